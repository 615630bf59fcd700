"""Configuration: defaults, then the instance folder's ``config.py``, then ``FACTCHECK_*``.

Every key of :data:`DEFAULTS` is a documented setting (the README lists them all and a test
checks that it does). Environment variables override with the key's name prefixed by
``FACTCHECK_``; values of non-string settings are parsed (integers, booleans, JSON lists).
"""

from __future__ import annotations

import ipaddress
import json
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DEFAULT_RATING_SCALE: list[dict[str, Any]] = [
    {"key": "true", "label": "True", "value": 5, "ordinal": True},
    {"key": "mostly-true", "label": "Mostly true", "value": 4, "ordinal": True},
    {"key": "half-true", "label": "Half true", "value": 3, "ordinal": True},
    {"key": "mostly-false", "label": "Mostly false", "value": 2, "ordinal": True},
    {"key": "false", "label": "False", "value": 1, "ordinal": True},
    {"key": "misleading", "label": "Misleading", "value": 2, "ordinal": False},
    {"key": "unverifiable", "label": "Unverifiable", "value": 0, "ordinal": False},
]

DEFAULTS: dict[str, Any] = {
    # Path of the SQLite database, relative to the working directory.
    "DATABASE": "claims.db",
    # Session signing key; generated into the instance folder when not set.
    "SECRET_KEY": None,
    # Largest article accepted, in bytes of UTF-8 text (pasted or uploaded).
    "MAX_ARTICLE_BYTES": 5_000_000,
    # Milliseconds a write waits for another writer before giving up with a 503.
    "BUSY_TIMEOUT_MS": 5000,
    # Load the demo article into a new, empty database.
    "LOAD_DEMO": True,
    # The verdict rating scale: key, label, numeric value, and whether it is on the ordinal line.
    "RATING_SCALE": DEFAULT_RATING_SCALE,
    # Minimum check-worthiness score for a claim to be marked check-worthy (None = model default).
    "CHECKWORTHY_THRESHOLD": None,
    # Claim extraction: "rules" (pure Python), or "spacy": the rules, then spaCy's dependency
    # parse splits coordinated clauses and adds appositions (needs the `parse` extra).
    "EXTRACT_PARSER": "rules",
    # Name and web address of the fact-checking organisation, used in exports (address unset:
    # the address the app is served at, see public_base_url).
    "ORG_NAME": "factcheck desk",
    "ORG_URL": None,
    # Permalink of a claim's verdict, used as the ClaimReview url (unset: this app's public
    # verdict page, /verdicts/{claim_id}, at the address the app is served at).
    "PERMALINK_TEMPLATE": None,
    # Behind a reverse proxy: trust its X-Forwarded-* headers (Werkzeug's ProxyFix) for this
    # many proxies (an integer: For, Proto, Host and Port), or {"x_for": 1, "x_proto": 1, ...}.
    "PROXY_FIX": None,
    # Import from URL: allow fetching from private, loopback and link-local addresses
    # (off: a server-side fetch must not reach the internal network).
    "ALLOW_PRIVATE_URLS": False,
    # Import from URL: seconds to wait for the server at each step (connect, each read); the
    # whole fetch is cut off after three times that, however slowly the server sends.
    "FETCH_TIMEOUT_SECONDS": 10,
    # Import from URL: fetches running at once in a server process, and for one user (more are
    # refused with "try again"), so that slow pages never take every request thread.
    "FETCH_MAX_CONCURRENT": 1,
    "FETCH_MAX_PER_USER": 1,
    # Import from URL: largest page fetched, in bytes.
    "FETCH_MAX_BYTES": 5_000_000,
    # Cited sources: archive each one in the background when a verdict citing it is saved
    # (a WARC record, its text, SHA-256), fetched under the import-from-URL guards above.
    "ARCHIVE_SOURCES": True,
    # Cited sources: largest page or PDF archived, in bytes.
    "ARCHIVE_MAX_BYTES": 20_000_000,
    # Background jobs (factcheck/jobs.py): the queue's SQLite file (unset: beside DATABASE,
    # claims.db -> claims-jobs.db); run each job at once in the caller instead (tests only);
    # worker processes of a consumer (0: one per CPU core, at least two); whether `factcheck
    # serve` starts the consumer (turn off when `factcheck worker` runs on its own); more
    # modules that declare tasks, imported by the consumer.
    "JOBS_DATABASE": None,
    "JOBS_IMMEDIATE": False,
    "JOBS_WORKERS": 0,
    "JOBS_IN_SERVE": True,
    "JOBS_TASK_MODULES": [],
    # How much lower the job worker's CPU priority is than the web server's (its niceness,
    # 0 to 19; 0 keeps it equal): background work (archiving, extraction) yields the CPU to
    # requests when both want it, and takes all that is free otherwise.
    "JOBS_NICE": 10,
    # Send the session cookie only over HTTPS (turn on behind TLS).
    "SESSION_COOKIE_SECURE": False,
    # Days a login lasts, counted from the login (not renewed by activity).
    "SESSION_DAYS": 14,
    # E-mail of inbox items (off while SMTP_HOST is unset): the mail server, its port (unset:
    # 25, or 465 with "ssl"), login (unset: none), "none", "starttls" or "ssl", seconds to wait
    # for it, the sender's address, and how old an unread item may be to be sent (hours).
    "SMTP_HOST": None,
    "SMTP_PORT": None,
    "SMTP_USERNAME": None,
    "SMTP_PASSWORD": None,
    "SMTP_SECURITY": "none",
    "SMTP_TIMEOUT_SECONDS": 10,
    "MAIL_FROM": "factcheck@localhost",
    "MAIL_MAX_AGE_HOURS": 24,
    # Backups: the folder (unset: "backups" beside the database), hours between the scheduled
    # backups a running server takes (0: none), and how many scheduled ones are kept.
    "BACKUP_DIR": None,
    "BACKUP_INTERVAL_HOURS": 24,
    "BACKUP_KEEP": 7,
}


def _parse(raw: str, default: Any) -> Any:
    """Parse an environment value to the type of its default."""
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    if isinstance(default, list | dict) or default is None:
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    return raw


def from_environment(environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Settings given as ``FACTCHECK_<KEY>`` environment variables."""
    environ = os.environ if environ is None else environ
    found = {}
    for key, default in DEFAULTS.items():
        raw = environ.get(f"FACTCHECK_{key}")
        if raw is not None:
            found[key] = _parse(raw, default)
    return found


def ensure_secret_key(instance_path: str) -> str:
    """Read the instance folder's secret key, creating it (mode 600) on first run."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        key = path.read_text().strip()
        if key:
            return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    return key


# Addresses -----------------------------------------------------------------------------------

DEFAULT_PORT = 5000


def serve_base_url(host: str, port: int) -> str:
    """The address ``factcheck serve --host HOST --port PORT`` is reached at on this machine
    (a wildcard host, ``0.0.0.0`` or ``::``, as ``127.0.0.1``)."""
    host = (host or "").strip().strip("[]") or "127.0.0.1"
    if host in ("0.0.0.0", "::", "*"):  # noqa: S104 (a name, not a bind)
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{int(port)}/"


def public_base_url(config: Mapping[str, Any] | None = None) -> str:
    """The address the app is served at, ending in ``/``: what the permalinks and the
    organisation's address default to while ``PERMALINK_TEMPLATE`` / ``ORG_URL`` are unset.

    Inside a request, the request's own address (scheme, host, port and script root; behind
    a proxy, the forwarded ones when ``PROXY_FIX`` trusts it). Outside one (command-line
    exports, work of the ``serve`` process), ``PUBLIC_BASE_URL`` of the app's config, which
    ``factcheck serve`` derives from its ``--host`` and ``--port``; else
    ``http://127.0.0.1:$PORT/`` (port 5000 without ``PORT``), where ``serve`` listens by
    default.
    """
    from flask import current_app, has_app_context, has_request_context, request

    if has_request_context():
        return request.url_root
    if config is None:
        config = current_app.config if has_app_context() else {}
    base = config.get("PUBLIC_BASE_URL")
    if base:
        return str(base).rstrip("/") + "/"
    port = os.environ.get("PORT", "").strip()
    return serve_base_url("127.0.0.1", int(port) if port.isdigit() else DEFAULT_PORT)


def org_url(config: Mapping[str, Any]) -> str:
    """The organisation's web address: ``ORG_URL``, else :func:`public_base_url`."""
    return config.get("ORG_URL") or public_base_url(config)


def permalink_template(config: Mapping[str, Any]) -> str:
    """The ClaimReview ``url`` template: ``PERMALINK_TEMPLATE``, else this app's public
    verdict page at :func:`public_base_url`."""
    return config.get("PERMALINK_TEMPLATE") or public_base_url(config) + "verdicts/{claim_id}"


def with_addresses(config: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``config`` with ``ORG_URL`` and ``PERMALINK_TEMPLATE`` resolved (see
    :func:`org_url`, :func:`permalink_template`), for work that may outlive the request."""
    return {**config, "ORG_URL": org_url(config), "PERMALINK_TEMPLATE": permalink_template(config)}


def is_loopback_address(url: Any) -> bool:
    """Whether a web address (or permalink template) points at this machine only:
    ``localhost`` (and ``*.localhost``), ``127.0.0.0/8``, ``::1``, ``0.0.0.0`` or ``::``.
    Readers and search engines cannot follow such links."""
    if not isinstance(url, str) or not url.strip():
        return False
    try:
        host = urlsplit(url.strip().replace("{", "").replace("}", "")).hostname or ""
    except ValueError:
        return False
    host = host.rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_loopback or address.is_unspecified


def proxy_fix_options(setting: Any) -> dict[str, int] | None:
    """Werkzeug ``ProxyFix`` arguments from the ``PROXY_FIX`` setting: a number of trusted
    proxies (each of X-Forwarded-For, -Proto, -Host and -Port trusted that many hops), or a
    mapping of ``x_for``, ``x_proto``, ``x_host``, ``x_port``, ``x_prefix`` to hop counts.
    None (off) for an unset, zero or false setting; ValueError for anything else."""
    if setting in (None, "", False, 0, "0"):
        return None
    if isinstance(setting, str) and setting.strip().isdigit():
        setting = int(setting.strip())
    if isinstance(setting, int) and not isinstance(setting, bool) and setting > 0:
        return {"x_for": setting, "x_proto": setting, "x_host": setting, "x_port": setting}
    names = ("x_for", "x_proto", "x_host", "x_port", "x_prefix")
    if isinstance(setting, Mapping) and setting and set(setting) <= set(names):
        if all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in setting.values()):
            return {key: int(value) for key, value in setting.items()}
    raise ValueError(
        f"PROXY_FIX must be a number of trusted proxies or a mapping of {', '.join(names)} to "
        f"hop counts, not {setting!r}"
    )
