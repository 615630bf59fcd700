"""Import articles from JSON and JSONL: plain article records, or a factcheck export.

A plain record has ``title``, ``text`` or ``html``, and optionally ``url``, ``publisher``,
``author`` and ``date`` (or ``published``); its claims are extracted on import. A factcheck
JSON export (``{"factcheck_export": 1, ...}``) or JSONL export (one claim record per line) is
restored as it was: the article, its claims with their offsets, wording, dismissal and origin,
every reviewer's verdict with sources, final verdicts and corrections, and the published
record (published versions, corrections and withdrawals, the article's publications: see
:mod:`factcheck.store.publish_restore`). Reviewers are matched by
username; a missing one is created as a disabled reviewer with an unusable password.

Each article is stored in its own ``BEGIN IMMEDIATE`` transaction: a failing one is reported
and rolled back, and the others go on. An article whose text is stored already is skipped.
(Batching articles into one transaction with a savepoint each was measured slower: the
savepoints journal the pages they change.) A factcheck JSON export file is read one article
at a time, JSONL one line at a time.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from .. import ingest
from ..export import records_from_json
from ..sanitize import render_markdown
from .articles import create_article, refuse_duplicate
from .base import DuplicateArticle, Invalid, _audit, _row, now, sha256, transaction
from .claimants import CLAIMANT_COLUMNS, claimant_columns
from .discussion import MAX_COMMENT, has_open_return
from .evidence import restore_sources
from .exports import rationale_html
from .publish_restore import published_ratings, restore_claim_versions, restore_publications
from .verdicts import STANCES

IMPORT_SUFFIXES = (".json", ".jsonl", ".ndjson")


@dataclass
class ImportItem:
    """One article to import: a plain record, an export bundle, or an unreadable entry."""

    label: str
    kind: str  # "article" (plain record), "bundle" (from a factcheck export) or "error"
    data: Any = None
    error: str | None = None


@dataclass
class ImportSummary:
    """What an import did: articles imported, duplicates skipped, failures with reasons."""

    imported: list[dict[str, Any]] = field(default_factory=list)
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    failed: list[dict[str, Any]] = field(default_factory=list)

    def line(self) -> str:
        """A one-line summary for people."""
        return (
            f"{len(self.imported)} imported, {len(self.duplicates)} duplicates skipped, "
            f"{len(self.failed)} failed."
        )


# Reading files ---------------------------------------------------------------------------------


def _is_export_record(value: Any) -> bool:
    return isinstance(value, dict) and "article" in value and "claim" in value


def _bundles(records: Iterable[dict[str, Any]], source: str) -> Iterator[ImportItem]:
    """Group consecutive claim records of the same article into one bundle each."""
    current: dict[str, Any] | None = None
    for record in records:
        article = record.get("article") or {}
        if current is not None and article.get("id") == current["article"].get("id"):
            if record.get("claim") is not None:
                current["records"].append(record)
            if article.get("body") and not current["article"].get("body"):
                current["article"] = article
            continue
        if current is not None:
            yield _bundle_item(current, source)
        current = {
            "article": article,
            "records": [record] if record.get("claim") is not None else [],
        }
    if current is not None:
        yield _bundle_item(current, source)


def _bundle_item(bundle: dict[str, Any], source: str) -> ImportItem:
    title = bundle["article"].get("title") or "untitled"
    return ImportItem(label=f"{source}: {title}", kind="bundle", data=bundle)


def _article_items(values: Sequence[Any], source: str) -> Iterator[ImportItem]:
    for index, value in enumerate(values, 1):
        label = f"{source} #{index}"
        if not isinstance(value, dict):
            yield ImportItem(label, "error", error="an article record must be a JSON object")
        else:
            yield ImportItem(f"{label} ({_short(value.get('title'))})", "article", data=value)


def _short(title: Any) -> str:
    text = " ".join(str(title or "untitled").split())
    return text[:60] + ("…" if len(text) > 60 else "")


def items_from_json(text: str, source: str = "input") -> list[ImportItem]:
    """Import items from a JSON document: a factcheck export, a list of articles, or one."""
    try:
        doc = json.loads(text)
    except ValueError as exc:
        return [ImportItem(source, "error", error=f"not valid JSON ({exc})")]
    if isinstance(doc, dict) and "factcheck_export" in doc:
        try:
            return list(_bundles(records_from_json(doc), source))
        except (ValueError, AttributeError, TypeError) as exc:
            return [ImportItem(source, "error", error=f"not a readable factcheck export ({exc})")]
    if isinstance(doc, dict) and isinstance(doc.get("articles"), list):
        return list(_article_items(doc["articles"], source))
    if isinstance(doc, list):
        if doc and all(_is_export_record(v) for v in doc):
            return list(_bundles(doc, source))
        return list(_article_items(doc, source))
    if isinstance(doc, dict):
        return list(_article_items([doc], source))
    return [ImportItem(source, "error", error="expected a JSON object or list of articles")]


def items_from_jsonl(lines: Iterable[str], source: str = "input") -> Iterator[ImportItem]:
    """Import items from JSON Lines: article records, or factcheck JSONL export records.

    A line that is not valid JSON becomes a failed item; the other lines go on.
    """
    pending: list[dict[str, Any]] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError as exc:
            yield from _bundles(pending, source)
            pending = []
            yield ImportItem(f"{source} line {number}", "error", error=f"not valid JSON ({exc})")
            continue
        if _is_export_record(value):
            if pending and (pending[-1].get("article") or {}).get("id") != (
                value.get("article") or {}
            ).get("id"):
                yield from _bundles(pending, source)
                pending = []
            pending.append(value)
            continue
        yield from _bundles(pending, source)
        pending = []
        label = f"{source} line {number}"
        if isinstance(value, dict):
            yield ImportItem(f"{label} ({_short(value.get('title'))})", "article", data=value)
        else:
            yield ImportItem(label, "error", error="an article record must be a JSON object")
    yield from _bundles(pending, source)


def read_import_file(path: str | Path) -> tuple[int | None, Iterator[ImportItem]]:
    """``(count or None, items)`` of a ``.json`` or ``.jsonl`` file, read as UTF-8.

    A factcheck JSON export is read one article at a time (see :func:`_read_streamed_export`):
    memory stays flat however large the file.
    """
    path = Path(path)
    name = path.name
    if path.suffix.lower() == ".json":
        streamed = _read_streamed_export(path, name)
        if streamed is not None:
            return streamed
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            items = [ImportItem(name, "error", error=f"not UTF-8 text ({exc.reason})")]
        else:
            items = items_from_json(text, name)
        return len(items), iter(items)
    with path.open(encoding="utf-8-sig", errors="strict") as handle:
        try:
            total = sum(1 for line in handle if line.strip())
        except UnicodeDecodeError as exc:
            return 1, iter([ImportItem(name, "error", error=f"not UTF-8 text ({exc.reason})")])

    def lines() -> Iterator[str]:
        with path.open(encoding="utf-8-sig") as handle:
            yield from handle

    return total, items_from_jsonl(lines(), name)


STREAM_CHUNK = 1 << 20  # characters read at a time from a JSON export
# A factcheck JSON export starts with its format key (as factcheck writes it).
_EXPORT_START = re.compile(r'\s*\{\s*"factcheck_export"\s*:')
_SPACE = re.compile(r"[ \t\n\r]*")
# (json's own messages for the same errors)
_EXPECTED = {
    ":": "Expecting ':' delimiter",
    ",": "Expecting ',' delimiter",
    "{": "Expecting value",
}


def _read_streamed_export(path: Path, name: str) -> tuple[int, Iterator[ImportItem]] | None:
    """``(count, items)`` of a factcheck JSON export read one article at a time, or None when
    the file does not start as one (it is then parsed whole, by :func:`items_from_json`).

    The file is read twice: first through to the end, counting the articles, so that a file
    that is not valid JSON, or not a readable export, gives one failed item and nothing is
    stored (as when it is parsed whole); then again for the items. Only one article's
    objects are alive at a time (parsed whole, a large export took about ten times its size
    in memory, and Python's garbage collector went through all of it again and again).
    """
    try:
        with path.open(encoding="utf-8-sig") as handle:
            if not _EXPORT_START.match(handle.read(4096)):
                return None
    except UnicodeDecodeError:
        return None

    def items() -> Iterator[ImportItem]:
        with path.open(encoding="utf-8-sig") as handle:
            try:
                yield from _bundles(_streamed_records(_JsonStream(handle)), name)
            except UnicodeDecodeError as exc:
                yield ImportItem(name, "error", error=f"not UTF-8 text ({exc.reason})")
            except json.JSONDecodeError as exc:
                yield ImportItem(name, "error", error=f"not valid JSON ({exc})")
            except (ValueError, AttributeError, TypeError) as exc:
                yield ImportItem(name, "error", error=f"not a readable factcheck export ({exc})")

    total = 0
    for item in items():
        if item.kind == "error":
            return 1, iter([item])
        total += 1
    return total, items()


def _streamed_records(stream: _JsonStream) -> Iterator[dict[str, Any]]:
    """The claim records of a JSON export (as :func:`records_from_json` gives them from the
    parsed document), parsing one element of ``articles`` at a time."""
    header: dict[str, Any] = {}
    stream.expect("{")
    if stream.peek() == "}":
        stream.pos += 1
    else:
        while True:
            if stream.peek() != '"':
                raise stream.error("Expecting property name enclosed in double quotes")
            key = stream.value()
            stream.expect(":")
            if key == "articles" and stream.peek() == "[":
                stream.pos += 1
                if stream.peek() == "]":
                    stream.pos += 1
                else:
                    while True:
                        entry = stream.value()
                        yield from records_from_json(header | {"articles": [entry]})
                        if stream.peek() == "]":
                            stream.pos += 1
                            break
                        stream.expect(",")
            elif key == "articles":
                yield from records_from_json(header | {"articles": stream.value()})
            else:
                header[key] = stream.value()
            if stream.peek() == "}":
                stream.pos += 1
                break
            stream.expect(",")
    if stream.peek():
        raise stream.error("Extra data")
    # (raises for another format version, with no articles too, as when parsed whole)
    yield from records_from_json(header | {"articles": []})


class _JsonStream:
    """JSON values read one at a time from a text file, through a buffer of about a chunk
    (more while one value is larger)."""

    def __init__(self, handle: Any):
        self.handle = handle
        self.chunk = STREAM_CHUNK
        self.buffer = ""
        self.pos = 0
        self.consumed = 0  # characters of the file before the buffer
        self.lines = 0  # line breaks in them
        self.line_start = 0  # where the line at the buffer's start begins in the file
        self.eof = False
        self.decoder = json.JSONDecoder()

    def _more(self, at_least: int = 0) -> bool:
        """Read on (at least ``at_least`` characters if there are); False at the end."""
        if self.eof:
            return False
        data = self.handle.read(max(self.chunk, at_least))
        if not data:
            self.eof = True
            return False
        dropped = self.buffer[: self.pos]
        self.lines += dropped.count("\n")
        if "\n" in dropped:
            self.line_start = self.consumed + dropped.rindex("\n") + 1
        self.consumed += self.pos
        self.buffer = self.buffer[self.pos :] + data
        self.pos = 0
        return True

    def error(self, message: str) -> json.JSONDecodeError:
        """The error at the current position, placed in the file as :func:`json.loads` would."""
        pos = self.consumed + self.pos
        lineno = self.lines + self.buffer.count("\n", 0, self.pos) + 1
        last = self.buffer.rfind("\n", 0, self.pos)
        colno = self.pos - last if last >= 0 else pos - self.line_start + 1
        exc = json.JSONDecodeError(message, self.buffer, self.pos)
        exc.args = (f"{message}: line {lineno} column {colno} (char {pos})",)
        exc.pos, exc.lineno, exc.colno = pos, lineno, colno
        return exc

    def peek(self) -> str:
        """The next character that is not white space ('' at the end), not consumed."""
        while True:
            self.pos = _SPACE.match(self.buffer, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buffer):
                return self.buffer[self.pos]
            if not self._more():
                return ""

    def expect(self, char: str) -> None:
        if self.peek() != char:
            raise self.error(_EXPECTED.get(char, f"Expecting {char!r}"))
        self.pos += 1

    def value(self) -> Any:
        """The next JSON value; read on while the buffer ends inside it."""
        self.peek()
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buffer, self.pos)
            except json.JSONDecodeError as exc:
                # A value cut off by the end of the buffer: read on (twice as much each time).
                if self._more(len(self.buffer) - self.pos):
                    continue
                self.pos = exc.pos
                raise self.error(exc.msg) from None
            if end == len(self.buffer) and self._more():
                continue  # (a number may go on in the next chunk)
            self.pos = end
            return value


# Storing ---------------------------------------------------------------------------------------


def import_items(
    db: Database,
    items: Iterable[ImportItem],
    *,
    ratings: Sequence[str],
    max_bytes: int,
    threshold: float | None = None,
    user_id: int | None = None,
    on_item: Callable[[ImportItem, str, dict[str, Any]], None] | None = None,
) -> ImportSummary:
    """Store every item, one transaction each; ``on_item(item, outcome, detail)`` reports."""
    summary = ImportSummary()
    for item in items:
        outcome, detail = import_item(
            db, item, ratings=ratings, max_bytes=max_bytes, threshold=threshold, user_id=user_id
        )
        {"imported": summary.imported, "duplicate": summary.duplicates, "failed": summary.failed}[
            outcome
        ].append(detail)
        if on_item is not None:
            on_item(item, outcome, detail)
    return summary


def import_item(
    db: Database,
    item: ImportItem,
    *,
    ratings: Sequence[str],
    max_bytes: int,
    threshold: float | None = None,
    user_id: int | None = None,
) -> tuple[str, dict[str, Any]]:
    """Store one item; return ``("imported"|"duplicate"|"failed", detail)``, never raising
    for bad input."""
    detail: dict[str, Any] = {"label": item.label}
    try:
        if item.kind == "error":
            raise Invalid(item.error or "unreadable")
        if item.kind == "article":
            draft = draft_from_record(item.data, max_bytes=max_bytes, threshold=threshold)
            article_id = create_article(db, draft.article, draft.claims, user_id)
            claims = len(draft.claims)
        else:
            article_id, claims = restore_bundle(db, item.data, ratings=ratings, user_id=user_id)
    except DuplicateArticle as exc:
        return "duplicate", detail | {"article_id": exc.article_id}
    except (ingest.IngestError, Invalid) as exc:
        return "failed", detail | {"reason": str(exc)}
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        return "failed", detail | {"reason": f"malformed record ({type(exc).__name__}: {exc})"}
    return "imported", detail | {"article_id": article_id, "claims": claims}


def _text_field(record: dict[str, Any], key: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str | int | float):
        raise Invalid(f"the field {key!r} must be text")
    return str(value)


def draft_from_record(
    record: dict[str, Any],
    *,
    max_bytes: int,
    threshold: float | None = None,
    with_claims: bool = True,
) -> ingest.Draft:
    """An article draft from a plain record (``text`` or ``html``, plus metadata); without its
    claims when ``with_claims`` is false."""
    meta = {
        "title": _text_field(record, "title") or "",
        "url": _text_field(record, "url"),
        "publisher": _text_field(record, "publisher"),
        "author": _text_field(record, "author"),
        "published": _text_field(record, "date") or _text_field(record, "published"),
    }
    if meta["url"] and not meta["url"].lower().startswith(("http://", "https://")):
        raise Invalid("the url must start with http:// or https://")
    text = _text_field(record, "text") or _text_field(record, "body")
    page = _text_field(record, "html")
    if text and page:
        raise Invalid("give either text or html, not both")
    if page:
        if len(page.encode("utf-8", "surrogatepass")) > max_bytes * 4:
            raise Invalid(f"the html is larger than the limit of {max_bytes * 4:,} bytes")
        body, found = ingest.html_to_text(page)
        given = {key: value for key, value in meta.items() if value}
        return ingest.prepare_article(
            body=body,
            original=page,
            original_type="html",
            max_bytes=max_bytes,
            threshold=threshold,
            with_claims=with_claims,
            **(found | given),
        )
    if not text:
        raise Invalid("the record has neither text nor html")
    return ingest.prepare_article(
        body=text,
        original_type="json",
        max_bytes=max_bytes,
        threshold=threshold,
        with_claims=with_claims,
        **meta,
    )


def _user_id(db: Database, username: str | None, cache: dict[str, int]) -> int | None:
    """The id of ``username``, creating a disabled reviewer that cannot log in if missing."""
    if not username:
        return None
    key = username.lower()
    if key in cache:
        return cache[key]
    row = _row(db, "SELECT id FROM users WHERE username = ?", (username,))
    if row is None:
        if len(username) > 64 or any(ch.isspace() for ch in username):
            raise Invalid(f"the reviewer name {username!r} is not a valid username")
        stamp = now()
        # "!" + random text is no argon2 hash: no password can ever match it.
        cursor = db.execute(
            "INSERT INTO users (username, display_name, password_hash, role, active,"
            " created_at, updated_at) VALUES (?, '', ?, 'reviewer', 0, ?, ?)",
            (username, "!" + secrets.token_hex(16), stamp, stamp),
        )
        _audit(
            db,
            user_id=None,
            action="import",
            table="users",
            row_id=cursor.lastrowid,
            after={"username": username, "role": "reviewer", "active": False},
        )
        cache[key] = cursor.lastrowid
    else:
        cache[key] = row["id"]
    return cache[key]


def restore_bundle(
    db: Database, bundle: dict[str, Any], *, ratings: Sequence[str], user_id: int | None = None
) -> tuple[int, int]:
    """Restore one article of a factcheck export; return ``(article_id, claims)``."""
    article = bundle["article"]
    body = article.get("body")
    if not isinstance(body, str) or not body:
        raise Invalid(
            "the export has no article text (body); export it again with this version of "
            "factcheck, whose JSON exports carry the text"
        )
    digest = sha256(body)
    if article.get("body_sha256") and article["body_sha256"] != digest:
        raise Invalid("the article text does not match its SHA-256 in the export")
    title = " ".join(str(article.get("title") or "").split()) or body.split("\n", 1)[0][:120]
    records = bundle["records"]
    unknown = sorted(
        {
            rating
            for record in records
            for rating in [v.get("rating") for v in record.get("verdicts") or ()]
            + [((record.get("final") or {}).get("rating"))]
            if rating is not None and rating not in ratings
        }
        | {rating for rating in published_ratings(records) if rating not in ratings}
    )
    if unknown:
        raise Invalid(f"ratings not on this desk's rating scale: {', '.join(unknown)}")
    # Each rationale's HTML, rendered here as record_verdict does (never taken from the file),
    # before the write lock: stored with the verdict, it lets the exports read the claim's
    # stored fragments instead of building its record again.
    html = [
        [rationale_html(verdict.get("rationale") or "") for verdict in record.get("verdicts") or ()]
        for record in records
    ]
    threads = [thread_of(record) for record in records]
    stamp = now()
    users: dict[str, int] = {}
    with transaction(db):
        refuse_duplicate(db, digest)
        article_id = db.execute(
            "INSERT INTO articles (title, url, publisher, author, published, body, body_sha256,"
            " original_type, created_by, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, 'import', ?, ?, ?)",
            (
                title[:500],
                article.get("url"),
                article.get("publisher"),
                article.get("author"),
                ingest.parse_date(article.get("published")),
                body,
                digest,
                user_id,
                stamp,
                stamp,
            ),
        ).lastrowid
        versions = 0
        for record, rationales, thread in zip(records, html, threads, strict=True):
            versions += _restore_claim(
                db, article_id, body, record, rationales, thread, users, stamp
            )
        # The published record: the article's publications and withdrawals, and whether it
        # is published now (its claims' versions were written with them).
        events = restore_publications(
            db, article_id, article, records, lambda name: _user_id(db, name, users)
        )
        _audit(
            db,
            user_id=user_id,
            action="import",
            table="articles",
            row_id=article_id,
            article_id=article_id,
            after={"title": title, "body_sha256": digest, "claims": len(records)}
            | ({"published_versions": versions, "publications": events} if events else {}),
        )
    return article_id, len(records)


def _restore_claim(
    db: Database,
    article_id: int,
    body: str,
    record: dict[str, Any],
    rationales: Sequence[str],
    thread: Sequence[dict[str, Any]],
    users: dict[str, int],
    stamp: str,
) -> int:
    """Restore one claim with its verdicts, final verdict, published versions, corrections
    and comments (with the editors' hand-backs, open or not); how many published versions."""
    claim = record["claim"]
    start, end, quote = int(claim["start"]), int(claim["end"]), claim["quote"]
    if not (0 <= start < end <= len(body)) or body[start:end] != quote:
        raise Invalid(
            f"claim {claim.get('id')}: its quote does not match the text at {start}:{end}"
        )
    origin = claim.get("origin") if claim.get("origin") in ("auto", "manual") else "auto"
    text = claim.get("text") or quote
    if "wording_source" not in claim and origin == "manual":
        # (an export from before the claimant: as migration m008 classified stored claims)
        claim = {**claim, "wording_source": "edited" if text != quote else "quote"}
    try:
        claimant = claimant_columns(body, claim)
    except Invalid as exc:
        raise Invalid(f"claim {claim.get('id')}: {exc}") from None
    claim_id = db.execute(
        'INSERT INTO claims (article_id, start, "end", quote, text, kind, score, checkworthy,'
        f" origin, dismissed, created_at, updated_at, {CLAIMANT_COLUMNS})"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            article_id,
            start,
            end,
            quote,
            text,
            json.dumps(list(claim.get("kind") or []), ensure_ascii=False),
            claim.get("score"),
            1 if claim.get("checkworthy") else 0,
            origin,
            1 if claim.get("dismissed") else 0,
            claim.get("created_at") or stamp,
            claim.get("updated_at") or stamp,
            *claimant,
        ),
    ).lastrowid
    verdict_ids: dict[int, int] = {}  # reviewer's id -> their verdict's
    for verdict, html in zip(record.get("verdicts") or (), rationales, strict=True):
        reviewer = _user_id(db, verdict.get("reviewer"), users)
        if reviewer is None:
            raise Invalid(f"claim {claim.get('id')}: a verdict has no reviewer")
        verdict_id = db.execute(
            "INSERT INTO verdicts (claim_id, user_id, rating, rationale, rationale_html,"
            " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                claim_id,
                reviewer,
                verdict["rating"],
                verdict.get("rationale") or "",
                html,
                verdict.get("created_at") or stamp,
                verdict.get("updated_at") or stamp,
            ),
        ).lastrowid
        verdict_ids[reviewer] = verdict_id
        rows = []
        for position, source in enumerate(verdict.get("sources") or ()):
            url = source.get("url") or ""
            if url and not url.lower().startswith(("http://", "https://")):
                raise Invalid(f"claim {claim.get('id')}: source URL {url!r} is not http(s)")
            stance = source.get("stance") if source.get("stance") in STANCES else "context"
            rows.append(
                (
                    verdict_id,
                    position,
                    url,
                    source.get("title") or "",
                    source.get("publisher") or "",
                    source.get("excerpt") or "",
                    stance,
                    source.get("accessed"),
                )
            )
        db.conn.executemany(
            "INSERT INTO sources (verdict_id, position, url, title, publisher, excerpt, stance,"
            " accessed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        # The sources library, and what the export said of each source's archive.
        restore_sources(
            db, verdict_id, [source.get("archive") for source in verdict.get("sources") or ()]
        )
    final = record.get("final")
    if final:
        decided = final.get("decided_at") or stamp
        db.execute(
            "INSERT INTO final_verdicts (claim_id, rating, reason, decided_by, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
            (
                claim_id,
                final["rating"],
                final.get("reason") or "",
                _user_id(db, final.get("decided_by"), users),
                decided,
                decided,
            ),
        )
    versions = restore_claim_versions(
        db, claim_id, article_id, record, lambda name: _user_id(db, name, users)
    )
    for correction in record.get("corrections") or ():
        at = correction.get("created_at") or stamp
        db.execute(
            "INSERT INTO corrections (claim_id, before_rating, after_rating, note, user_id, at,"
            " published_claim_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                claim_id,
                correction.get("before_rating"),
                correction["after_rating"],
                correction.get("note") or "",
                _user_id(db, correction.get("by"), users),
                at,
                # (the version it published: corrections made since m009 share its date)
                versions.get(at),
            ),
        )
    _restore_thread(db, claim_id, verdict_ids, thread, users, stamp)
    published = record.get("published")
    return int(published["version"]) if isinstance(published, dict) else 0


def thread_of(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The claim's comments to restore, each with its ``body_html`` rendered here (never taken
    from the file). An export from before comments were exported (no ``comments``) still
    says which verdicts were returned, by whom and why: each becomes its return comment."""
    comments = record.get("comments")
    if not isinstance(comments, list):
        comments = []
    open_for = {
        (c.get("returned") or {}).get("reviewer")
        for c in comments
        if isinstance(c, dict) and c.get("kind") == "return"
        if isinstance(c.get("returned"), dict) and c["returned"].get("resolved_at") is None
    }
    missing = [
        {
            "by": (verdict.get("returned") or {}).get("by"),
            "kind": "return",
            "body": (verdict.get("returned") or {}).get("reason") or "",
            "created_at": (verdict.get("returned") or {}).get("at"),
            "returned": {
                "reviewer": verdict.get("reviewer"),
                "at": (verdict.get("returned") or {}).get("at"),
                "resolved_at": None,
            },
        }
        for verdict in record.get("verdicts") or ()
        if verdict.get("status") == "returned" and verdict.get("reviewer") not in open_for
    ]
    thread = []
    if missing:
        comments = sorted(comments + missing, key=lambda c: str(c.get("created_at") or ""))
    for comment in comments:
        if not isinstance(comment, dict):
            raise Invalid("a comment must be a JSON object")
        body = str(comment.get("body") or "").strip()
        if not body or len(body) > MAX_COMMENT:
            raise Invalid(f"a comment must have between 1 and {MAX_COMMENT:,} characters")
        kind = "return" if comment.get("kind") == "return" else "comment"
        thread.append(
            comment | {"kind": kind, "body": body, "body_html": str(render_markdown(body))}
        )
    return thread


def _restore_thread(
    db: Database,
    claim_id: int,
    verdict_ids: dict[int, int],
    thread: Sequence[dict[str, Any]],
    users: dict[str, int],
    stamp: str,
) -> None:
    """The claim's comments, and for each hand-back of a verdict restored with the claim its
    return: open (the reviewer's to-do) or resolved when they saved it again."""
    for comment in thread:
        author = _user_id(db, comment.get("by"), users)
        if author is None:
            raise Invalid("a comment has no author (by)")
        at = comment.get("created_at") or stamp
        comment_id = db.execute(
            "INSERT INTO comments (claim_id, user_id, kind, body, body_html, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                claim_id,
                author,
                comment["kind"],
                comment["body"],
                comment["body_html"],
                at,
                comment.get("updated_at") or at,
            ),
        ).lastrowid
        returned = comment.get("returned")
        if comment["kind"] != "return" or not isinstance(returned, dict):
            continue
        reviewer = _user_id(db, returned.get("reviewer"), users)
        verdict_id = verdict_ids.get(reviewer) if reviewer is not None else None
        if verdict_id is None:
            continue  # (the verdict is not in the file: the comment stays, as written)
        resolved = returned.get("resolved_at")
        if resolved is None and has_open_return(db, verdict_id):
            continue  # (one open return a verdict)
        db.execute(
            "INSERT INTO verdict_returns (verdict_id, claim_id, reviewer_id, returned_by,"
            " comment_id, created_at, resolved_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                verdict_id,
                claim_id,
                reviewer,
                author,
                comment_id,
                returned.get("at") or at,
                resolved,
            ),
        )
