"""The one module that cleans user content for rendering.

nh3 does the cleaning; bleach's ``linkify`` turns bare URLs into links before the final nh3
pass. Callers use these functions only, so the libraries behind them can be swapped.
"""

from __future__ import annotations

import html as html_module
import re
import threading
import unicodedata
from typing import Any
from urllib.parse import urlsplit

import bleach
import bleach.linkifier
import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "li", "ol", "p", "pre", "q", "s", "strong", "sub", "sup", "table", "tbody",
    "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}

_URL_ATTRIBUTES = {"href", "src"}
_BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def strip_control(text: str) -> str:
    """Remove control characters (NUL and friends) that have no place in rendered text."""
    return _CONTROL.sub("", text)


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    """Drop URLs hiding a scheme behind control or invisible characters (``java&#1;script:``).

    nh3 reads such a URL as relative and keeps it; old browsers ignored those characters.
    """
    if attribute in _URL_ATTRIBUTES:
        if any(unicodedata.category(ch) in {"Cc", "Cf"} for ch in value):
            return None
        if "".join(value.split()).lower().startswith(_BAD_SCHEMES):
            return None
    return value


_NH3_OPTIONS: dict[str, Any] = {
    "tags": ALLOWED_TAGS,
    "attributes": ALLOWED_ATTRIBUTES,
    "attribute_filter": _filter_attribute,
    "url_schemes": URL_SCHEMES,
    "link_rel": "noopener noreferrer nofollow",
}
# One cleaner built once (nh3 >= 0.3): nh3.clean converts every option on each call.
_cleaner = nh3.Cleaner(**_NH3_OPTIONS) if hasattr(nh3, "Cleaner") else None


def clean_html(html: str) -> Markup:
    """Reduce untrusted HTML to a safe subset: no scripts, handlers, styles or odd URLs."""
    if _cleaner is not None:
        return Markup(_cleaner.clean(strip_control(html)))
    return Markup(nh3.clean(strip_control(html), **_NH3_OPTIONS))


_LINKIFY_SKIP_TAGS = frozenset({"pre", "code"})
_linkers = threading.local()  # a bleach Linker per thread (one is not safe to share)
_TAG = re.compile(r"<[^>]*>")


class _LinkifyFilter(bleach.linkifier.LinkifyFilter):
    """bleach's ``LinkifyFilter``, with the text of the skipped tags (code) kept as it came.

    bleach's tokenizer leaves character references in the text (``&lt;`` stays those four
    characters), so its serializer would escape their ``&`` again; outside the skipped tags
    the filter turns them into Entity tokens first (``extract_entities``), but inside them it
    passes the text on untouched, and ``a && b`` in code came out as ``a &amp;amp;&amp;amp; b``
    (bleach 6.4). Here the text inside a skipped tag gets the same treatment before the filter
    sees it; nothing else changes (it is still not linkified).
    """

    def __init__(self, source: Any, **kwargs: Any) -> None:
        super().__init__(source, **kwargs)
        self.source = self._entities_in_skipped_tags(self.source)

    def _entities_in_skipped_tags(self, tokens: Any) -> Any:
        depth = 0  # how many skipped tags are open (``pre`` holds ``code``)
        for token in tokens:
            kind = token["type"]
            if kind == "Characters" and depth:
                yield from self.extract_entities(token)
                continue
            if kind == "StartTag" and token["name"] in self.skip_tags:
                depth += 1
            elif kind == "EndTag" and token["name"] in self.skip_tags and depth:
                depth -= 1
            yield token


class _Linker(bleach.linkifier.Linker):
    """bleach's ``Linker`` with :class:`_LinkifyFilter` (same parser and serializer)."""

    def linkify(self, text: str) -> str:
        if not isinstance(text, str):
            raise TypeError("argument must be of text type")
        if not text:
            return ""
        filtered = _LinkifyFilter(
            source=self.walker(self.parser.parseFragment(text)),
            callbacks=self.callbacks,
            skip_tags=self.skip_tags,
            parse_email=self.parse_email,
            url_re=self.url_re,
            email_re=self.email_re,
        )
        return self.serializer.render(filtered)


def linkify(html: str) -> str:
    """bleach's ``linkify`` of ``html`` (bare URLs become links, not inside ``pre`` or
    ``code``), skipped when its text has nothing that bleach's URL pattern matches.

    linkify only looks at text (each text node apart), so then it would only add
    ``rel="nofollow"`` to existing links, which the nh3 pass of :func:`clean_html` replaces:
    the cleaned result is the same (tests compare both paths), without html5lib's parse and
    serialisation in pure Python, most of the cost of rendering a rationale.
    """
    text = html_module.unescape(_TAG.sub(" ", html))
    if not bleach.linkifier.URL_RE.search(text):
        return html
    linker = getattr(_linkers, "linker", None)
    if linker is None:
        linker = _linkers.linker = _Linker(parse_email=False, skip_tags=_LINKIFY_SKIP_TAGS)
    return linker.linkify(html)


def render_markdown(source: str) -> Markup:
    """Render a reviewer's Markdown (raw HTML disabled), link bare URLs, then clean."""
    html = _markdown.render(strip_control(source or ""))
    return clean_html(linkify(html))


def highlighted(segments: Any) -> Markup:
    """Text in (text, matched) segments (a search's highlighting) as HTML: each segment's
    text escaped (control characters removed), and only then a matched one put in
    ``<mark>``, so that no text can add markup of its own."""
    out = []
    for text, matched in segments or ():
        escaped = Markup.escape(strip_control(str(text)))
        out.append(f"<mark>{escaped}</mark>" if matched else escaped)
    return Markup("".join(out))


def safe_url(url: str | None) -> str | None:
    """Return ``url`` if it is an absolute http(s) address, else None."""
    if not url:
        return None
    url = strip_control(url).strip()
    if any(ch.isspace() for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc:
        return None
    return url


def finalize(value: Any) -> Any:
    """Jinja ``finalize`` hook: every rendered string loses control characters first.

    Autoescaping then escapes whatever is not already :class:`Markup` from this module.
    """
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    if isinstance(value, str):
        # Fast path: a printable string has no control characters (they are not printable).
        return value if value.isprintable() else _CONTROL.sub("", value)
    return value
