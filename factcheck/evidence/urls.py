"""One address per source: :func:`normalise_url` makes the key of the sources library;
:func:`not_web` says why a cited address is not a web address (it is kept as typed, never
fetched and never made a link)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

#: Query parameters that only track a click, dropped from the key.
TRACKING = ("utm_", "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "_ga")


def normalise_url(url: str) -> str:
    """``url`` as the sources library's key: scheme and host in lower case, no default port,
    no fragment, no tracking parameters (``utm_*``, ``fbclid`` ...), an empty path as ``/``.
    An address that cannot be parsed is given back stripped."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    if parts.username or parts.password:
        auth = parts.username or ""
        if parts.password:
            auth += ":" + parts.password
        host = f"{auth}@{host}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        kept = [(k, v) for k, v in pairs if not k.lower().startswith(TRACKING)]
        if len(kept) != len(pairs):
            query = urlencode(kept)
    return urlunsplit((scheme, host, parts.path or "/", query, ""))


def not_web(url: str | None) -> str | None:
    """Why ``url`` is not an http(s) web address, in a few words for people (``javascript:``,
    ``no host name``, ``no http:// or https://``), or None when it is one (what
    :func:`factcheck.sanitize.safe_url` accepts: only those are fetched or made links)."""
    from ..sanitize import safe_url

    if safe_url(url) is not None:
        return None
    text = (url or "").strip()
    try:
        parts = urlsplit(text)
    except ValueError:
        return "it cannot be read as an address"
    scheme = parts.scheme.lower()
    if scheme and scheme not in ("http", "https"):
        return f"{scheme[:20]}:"
    if not scheme:
        return "no http:// or https://"
    if any(ch.isspace() for ch in text):
        return "it contains spaces"
    return "no host name"


def not_web_text(url: str | None) -> str:
    """The state of a source whose address is not a web address: ``not archived: not a web
    address (javascript:)``; empty for a web address."""
    why = not_web(url)
    return "" if why is None else f"not archived: not a web address ({why})"


def not_web_reason(url: str | None) -> str:
    """:func:`not_web_text` as the sentence stored as a record's reason (empty for a web
    address)."""
    text = not_web_text(url)
    return text[:1].upper() + text[1:] + "." if text else ""
