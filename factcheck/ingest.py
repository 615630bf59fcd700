"""Turn pasted text and uploaded files into an article ready to store.

Decoding is strict and says what it did: UTF-8 (with or without BOM) and UTF-16 with BOM are
read as such, other text is read as Windows-1252 only when every byte is valid there, and a
file that looks binary is refused. Line endings become ``\\n`` before anything is measured, so
claim offsets index the stored text exactly. HTML is reduced to the article's text by
trafilatura; the original is kept beside it.

A publication date comes only from metadata, never from the article's text: an HTML page's
meta tags (``article:published_time``, ``datePublished``...) or JSON-LD ``datePublished``
(:func:`html_published_date`), a text file's header (:func:`split_front_matter`), or what the
user gives. trafilatura's own date, which it may guess from the body ("the largest since 1998"
became 1998-01-01), is never used. Without one the article's date is unknown (NULL).
"""

from __future__ import annotations

import datetime
import email.utils
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import PurePath
from typing import Any

from . import extract, limits

TEXT_TYPES = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md"}
HTML_TYPES = {".html": "html", ".htm": "html"}
ALLOWED_SUFFIXES = sorted({*TEXT_TYPES, *HTML_TYPES})


class IngestError(ValueError):
    """The input cannot become an article; the message tells the user why."""


@dataclass
class Draft:
    """An article ready for :func:`factcheck.store.create_article`, with its claims."""

    article: dict[str, Any]
    claims: list[dict[str, Any]]
    notices: list[str] = field(default_factory=list)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode uploaded bytes; return ``(text, encoding)`` or raise :class:`IngestError`."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode(data[3:], "utf-8"), "UTF-8 (with BOM)"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode(data, "utf-16"), "UTF-16"
    if b"\x00" in data[:8192]:
        raise IngestError("This file looks binary (it contains NUL bytes), not text.")
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    lenient = data.decode("utf-8", errors="replace")
    if any(ord(ch) > 0x7F and ch != "\ufffd" for ch in lenient):
        # Real UTF-8 sequences beside broken ones: reading it as Windows-1252 would garble it.
        raise IngestError(
            f"This file is mostly UTF-8 but has invalid bytes (first at byte {first_bad}); "
            "repair or re-save it as UTF-8."
        )
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise IngestError(
            "This file is neither UTF-8 nor Windows-1252 text; save it as UTF-8 and try again."
        ) from exc
    return text, "Windows-1252"


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise IngestError(
            f"This file says it is {encoding} but has invalid bytes at position {exc.start}."
        ) from exc


def normalise_text(text: str) -> str:
    """Unify line endings, drop a BOM, and trim surrounding blank space."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    return text.strip()


# Unicode's control characters (category Cc: U+0000-U+001F, U+007F-U+009F) but line feed and tab.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def check_text(text: str, max_bytes: int) -> None:
    """Refuse text that is empty, too large, or mostly control characters."""
    if not any(ch.isprintable() and not ch.isspace() for ch in text):
        # Blank space, a lone BOM, zero-width or control characters: nothing to read.
        raise IngestError("The article is empty: paste or upload some text.")
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise IngestError(
            f"The article is {size:,} bytes; the limit is {max_bytes:,} bytes "
            "(setting MAX_ARTICLE_BYTES)."
        )
    controls = len(_CONTROLS.findall(text, 0, 20000))
    if controls > max(10, len(text[:20000]) // 100):
        raise IngestError("This text is full of control characters; it looks binary.")


def html_to_text(html: str) -> tuple[str, dict[str, Any]]:
    """Extract the main text and metadata of an HTML page (trafilatura); the publication date
    only from the page's metadata (:func:`html_published_date`), never trafilatura's guess."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        html, include_comments=False, include_tables=False, with_metadata=True
    )
    if doc is None:
        raise IngestError("No article text was found in this HTML page.")
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = (data.get("text") or "").strip()
    if not text:
        raise IngestError("No article text was found in this HTML page.")
    meta = {
        "title": data.get("title"),
        "author": data.get("author"),
        "publisher": data.get("sitename"),
        "published": html_published_date(html),
        "url": data.get("url"),
    }
    return text, {key: value for key, value in meta.items() if value}


# Meta tags stating when a page was published (``property``, ``name`` or ``itemprop``, lower
# case), the most specific first. A page's modification date is not its publication date.
DATE_META = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "published_time",
    "publishdate",
    "publish-date",
    "publish_date",
    "pubdate",
    "parsely-pub-date",
    "sailthru.date",
    "dcterms.issued",
    "dc.date.issued",
    "dcterms.date",
    "dc.date",
    "citation_publication_date",
    "date",
)


class _DateMeta(HTMLParser):
    """Collects the metadata of a page that may state its publication date."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.times: list[str] = []
        self.json_ld: list[str] = []
        self._in_json_ld = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {key.lower(): value or "" for key, value in attrs}
        if tag == "meta":
            content = found.get("content", "").strip()
            for key in ("property", "name", "itemprop"):
                name = found.get(key, "").strip().lower()
                if name and content:
                    self.meta.setdefault(name, content)
        elif tag == "time" and found.get("datetime"):
            if found.get("itemprop", "").lower() == "datepublished" or "pubdate" in found:
                self.times.append(found["datetime"])
        elif tag == "script" and found.get("type", "").strip().lower() == "application/ld+json":
            self._in_json_ld = True
            self.json_ld.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data: str) -> None:
        if self._in_json_ld:
            self.json_ld[-1] += data


def _json_ld_dates(node: Any, depth: int = 0) -> Iterator[str]:
    """Every ``datePublished`` of a JSON-LD document (``@graph`` and nested nodes too)."""
    if depth > 8:
        return
    if isinstance(node, dict):
        value = node.get("datePublished")
        if isinstance(value, str):
            yield value
        for child in node.values():
            if isinstance(child, dict | list):
                yield from _json_ld_dates(child, depth + 1)
    elif isinstance(node, list):
        for child in node:
            yield from _json_ld_dates(child, depth + 1)


def html_published_date(html: str) -> str | None:
    """The publication date an HTML page states in its metadata, as ``YYYY-MM-DD``: a meta tag
    of :data:`DATE_META` (in that order), JSON-LD ``datePublished``, or a ``<time>`` marked
    ``itemprop="datePublished"`` or ``pubdate``. None when the page states none: the text of
    the page is never searched for dates."""
    parser = _DateMeta()
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError):  # (a malformed page: use what was read)
        pass
    candidates = [parser.meta[name] for name in DATE_META if name in parser.meta]
    for block in parser.json_ld:
        try:
            candidates.extend(_json_ld_dates(json.loads(block)))
        except ValueError:
            continue
    candidates.extend(parser.times)
    for value in candidates:
        found = loose_date(value)
        if found:
            return found
    return None


_DATE_FORMATS = ("%Y/%m/%d", "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y")


def loose_date(value: str | datetime.date | None) -> str | None:
    """A metadata date as ``YYYY-MM-DD``: ISO 8601 (a time after it is ignored), RFC 2822
    (``Tue, 11 Feb 2025 08:30:00 GMT``), ``2025/02/11``, ``11 February 2025`` or
    ``February 11, 2025``; None for anything else (a bare year is not a date)."""
    found = parse_date(value)
    if found or not isinstance(value, str):
        return found
    text = " ".join(value.split())
    try:
        return email.utils.parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def parse_date(value: str | datetime.date | None) -> str | None:
    """An ISO date ``YYYY-MM-DD`` from a date or string, or None if it is not one."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.date):
        return value.isoformat()
    try:
        return datetime.date.fromisoformat(str(value).strip()[:10]).isoformat()
    except ValueError:
        return None


def prepare_article(
    *,
    body: str,
    title: str = "",
    url: str | None = None,
    publisher: str | None = None,
    author: str | None = None,
    published: str | datetime.date | None = None,
    original: str | None = None,
    original_type: str = "paste",
    original_name: str | None = None,
    max_bytes: int = 5_000_000,
    threshold: float | None = None,
    notices: list[str] | None = None,
    with_claims: bool = True,
) -> Draft:
    """Normalise an article's text and metadata and extract its claims (none with
    ``with_claims`` false: a bulk import extracts them later, in the background).

    NUL characters and lone surrogates (from a file, a page or an import: they cannot be
    stored) are removed from the text and the metadata (:func:`factcheck.limits.clean_text`).
    """
    body, title, original = (limits.clean_text(v) or "" for v in (body, title, original or ""))
    original = original or None
    url, publisher, author, original_name = (
        limits.clean_text(v) for v in (url, publisher, author, original_name)
    )
    if isinstance(published, str):
        published = limits.clean_text(published)
    body = normalise_text(body)
    check_text(body, max_bytes)
    published_iso = loose_date(published)
    title = " ".join((title or "").split())
    if not title:
        first_line = body.split("\n", 1)[0]
        title = first_line[:120] + ("…" if len(first_line) > 120 else "")
    article = {
        "title": title[:500],
        "url": (url or "").strip() or None,
        "publisher": (publisher or "").strip() or None,
        "author": (author or "").strip() or None,
        "published": published_iso,
        "body": body,
        "original": original,
        "original_type": original_type,
        "original_name": original_name,
    }
    claims = (
        extract.extract_claims(body, published=published_iso, threshold=threshold)
        if with_claims
        else []
    )
    return Draft(article=article, claims=claims, notices=list(notices or []))


def prepare_upload(
    filename: str,
    data: bytes,
    max_bytes: int,
    threshold: float | None = None,
    *,
    read_header: bool = True,
    **meta: Any,
) -> Draft:
    """Prepare an uploaded ``.txt``, ``.md`` or ``.html`` file; metadata given wins over what
    the file states (an HTML page's metadata, a text file's header: see
    :func:`split_front_matter`, unless ``read_header`` is false)."""
    suffix = PurePath(filename or "").suffix.lower()
    if suffix not in TEXT_TYPES and suffix not in HTML_TYPES:
        raise IngestError(
            f"Upload a {', '.join(ALLOWED_SUFFIXES)} file (got {suffix or 'no extension'!r})."
        )
    if len(data) > max_bytes * 4:
        raise IngestError(f"The file is {len(data):,} bytes; the limit is {max_bytes:,} bytes.")
    text, encoding = decode_bytes(data)
    notices = [] if encoding.startswith("UTF-8") else [f"Read the file as {encoding}."]
    if suffix in HTML_TYPES:
        if len(text.encode("utf-8", "surrogatepass")) > max_bytes * 4:
            raise IngestError(f"The page is larger than the limit of {max_bytes * 4:,} bytes.")
        body, found = html_to_text(text)
        given = {key: value for key, value in meta.items() if value}
        return prepare_article(
            body=body,
            original=text,
            original_type="html",
            original_name=filename,
            max_bytes=max_bytes,
            threshold=threshold,
            notices=notices,
            **(found | given),
        )
    if read_header:
        found, text = split_front_matter(text)
        meta = found | {key: value for key, value in meta.items() if value}
    if not meta.get("title"):
        meta["title"] = headline(text) or PurePath(filename).stem.replace("_", " ").replace(
            "-", " "
        )
    return prepare_article(
        body=text,
        original=None,
        original_type=TEXT_TYPES[suffix],
        original_name=filename,
        max_bytes=max_bytes,
        threshold=threshold,
        notices=notices,
        **meta,
    )


def headline(text: str) -> str | None:
    """The article's headline: its first segment when that is a heading (not a byline, a
    dateline or running text) with more of the article after it, else None."""
    head = text.lstrip("\ufeff")[:1000]
    segments = extract.split_sentences(head)[:2]
    if len(segments) == 2 and segments[0].kind == "heading":
        return head[segments[0].start : segments[0].end]
    return None


_HEADER_KEYS = {
    "title": "title",
    "publisher": "publisher",
    "author": "author",
    "date": "published",
    "published": "published",
    "url": "url",
    "source": "url",
}


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Read the metadata heading a text or Markdown file; return ``(metadata, rest)``.

    Two forms, both only at the very start of the file:

    - ``Key: value`` lines (Title, Publisher, Author, Date or Published, URL or Source) ended
      by a blank line; a line of any other form means there is no header.
    - a front-matter block between two ``---`` lines, of ``key: value`` lines (values may be
      quoted); keys other than those above are ignored, and so is a block never closed.

    Otherwise the text is returned unchanged with no metadata. Values are kept as written
    (a date is read by :func:`loose_date` when the article is prepared).
    """
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").split("\n")
    meta: dict[str, str] = {}
    if lines and lines[0].strip() == "---":
        for index, line in enumerate(lines[1:], start=1):
            if line.strip() in ("---", "..."):
                return meta, "\n".join(lines[index + 1 :]).lstrip("\n")
            key, sep, value = line.partition(":")
            field_name = _HEADER_KEYS.get(key.strip().lower())
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1].strip()
            if sep and field_name and value:
                meta.setdefault(field_name, value)
        return {}, text
    for index, line in enumerate(lines):
        if not line.strip():
            if meta:
                return meta, "\n".join(lines[index + 1 :])
            break
        key, sep, value = line.partition(":")
        field_name = _HEADER_KEYS.get(key.strip().lower())
        if not sep or field_name is None or not value.strip():
            break
        meta[field_name] = value.strip()
    return {}, text
