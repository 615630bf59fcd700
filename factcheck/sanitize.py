"""The one module that cleans user content for rendering.

nh3 does the cleaning; bleach's ``linkify`` turns bare URLs into links before the final nh3
pass. Callers use these functions only, so the libraries behind them can be swapped.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import urlsplit

import bleach
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


def clean_html(html: str) -> Markup:
    """Reduce untrusted HTML to a safe subset: no scripts, handlers, styles or odd URLs."""
    cleaned = nh3.clean(
        strip_control(html),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(cleaned)


def render_markdown(source: str) -> Markup:
    """Render a reviewer's Markdown (raw HTML disabled), link bare URLs, then clean."""
    html = _markdown.render(strip_control(source or ""))
    html = bleach.linkify(html, parse_email=False, skip_tags={"pre", "code"})
    return clean_html(html)


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
