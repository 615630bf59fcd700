"""Bulk import: many articles stored and acknowledged at once, their claims extracted in the
background on every core.

:func:`read_records` reads a JSON array (or ``{"articles": [...]}``), JSON Lines or CSV of
article records, as ``factcheck import`` reads them (``title``, ``text`` or ``html``,
``url``, ``publisher``, ``author``, ``date``). :func:`start` checks every record first (a
record that fails stops the batch, naming it, and nothing is stored), stores the articles in
one transaction (:func:`factcheck.store.batches.create_batch`: each marked "extracting") and
queues :func:`extract_articles` jobs of :data:`CHUNK` articles each, which the job worker's
processes share. A job that dies with its worker is run again (:mod:`factcheck.jobs`); a
worker that starts queues again every article still extracting.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from typing import Any

from . import extract, ingest, jobs, limits
from .store import Invalid, batches
from .store.imports import ImportItem, draft_from_record, items_from_json, items_from_jsonl

CHUNK = 50  # articles per extraction job: ~0.1-0.2 s of work, one transaction to store
CSV_FIELDS = ("title", "text", "html", "url", "publisher", "author", "date", "published")
FORMATS = ("json", "jsonl", "csv")


class BatchInvalid(Invalid):
    """A record of the batch cannot be imported: nothing was stored."""


def guess_format(name: str | None, data: str) -> str:
    """``json``, ``jsonl`` or ``csv`` from a file name, else from the text's first character."""
    lower = (name or "").lower()
    for suffix, kind in ((".jsonl", "jsonl"), (".ndjson", "jsonl"), (".json", "json")):
        if lower.endswith(suffix):
            return kind
    if lower.endswith(".csv"):
        return "csv"
    head = data.lstrip()[:1]
    if head == "[":
        return "json"
    if head == "{":
        first = data.lstrip().split("\n", 1)[0].strip()
        try:
            json.loads(first)
        except ValueError:
            return "json"
        return "jsonl" if "\n" in data.strip() else "json"
    return "csv"


def read_records(data: str, kind: str, source: str = "input") -> list[ImportItem]:
    """The batch's records as import items (unreadable entries as items of kind "error")."""
    if kind == "json":
        return items_from_json(data, source)
    if kind == "jsonl":
        return list(items_from_jsonl(data.splitlines(), source))
    if kind == "csv":
        return _csv_items(data, source)
    raise BatchInvalid(f"Unknown format {kind!r}: give json, jsonl or csv.")


def _csv_items(data: str, source: str) -> list[ImportItem]:
    reader = csv.DictReader(io.StringIO(data, newline=""))
    fields = [name.strip().lower() for name in (reader.fieldnames or [])]
    if not {"text", "html"} & set(fields):
        raise BatchInvalid(
            "The CSV file needs a header row with a 'text' (or 'html') column, and optionally "
            "title, url, publisher, author and date."
        )
    items = []
    try:
        for number, row in enumerate(reader, 2):
            record = {
                (key or "").strip().lower(): value
                for key, value in row.items()
                if (key or "").strip().lower() in CSV_FIELDS and value not in (None, "")
            }
            title = " ".join(str(record.get("title") or "untitled").split())[:60]
            items.append(ImportItem(f"{source} line {number} ({title})", "article", data=record))
    except csv.Error as exc:
        raise BatchInvalid(f"{source}: not readable as CSV ({exc}).") from exc
    return items


def prepare(items: list[ImportItem], config: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """Check every record and make its draft (without claims); the first bad record raises
    :class:`BatchInvalid` naming it."""
    if not items:
        raise BatchInvalid("The batch has no article records.")
    max_bytes = int(config.get("MAX_ARTICLE_BYTES", 5_000_000))
    drafts = []
    for item in items:
        if item.kind == "bundle":
            raise BatchInvalid(
                f"{item.label}: this is a factcheck export (claims and verdicts): restore it "
                "with `factcheck import FILE` instead. Nothing was imported."
            )
        try:
            if item.kind == "error":
                raise Invalid(item.error or "unreadable")
            _check_lengths(item.data)
            draft = draft_from_record(item.data, max_bytes=max_bytes, with_claims=False)
        except (Invalid, ingest.IngestError, limits.LimitError) as exc:
            raise BatchInvalid(f"{item.label}: {exc} Nothing was imported.") from exc
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise BatchInvalid(
                f"{item.label}: malformed record ({exc}). Nothing was imported."
            ) from exc
        drafts.append((item.label, draft))
    return drafts


_LENGTHS = {
    "title": limits.TITLE,
    "url": limits.URL,
    "publisher": limits.PUBLISHER,
    "author": limits.AUTHOR,
}


def _check_lengths(record: dict[str, Any]) -> None:
    for key, most in _LENGTHS.items():
        value = record.get(key)
        if isinstance(value, str) and len(value) > most:
            raise Invalid(f"the {key} is longer than {most:,} characters (the limit).")


def start(
    db: Any, config: Mapping[str, Any], items: list[ImportItem], user_id: int | None, source: str
) -> dict[str, Any]:
    """Check, store and queue a batch; return :func:`~factcheck.store.batches.create_batch`'s
    result. Raises :class:`BatchInvalid` (nothing stored)."""
    drafts = prepare(items, config)
    created = batches.create_batch(db, drafts, user_id, source)
    queue_extraction(created["article_ids"])
    return created


def queue_extraction(article_ids: list[int]) -> int:
    """Queue the extraction jobs of ``article_ids`` (:data:`CHUNK` a job, one transaction)."""
    chunks = [(article_ids[at : at + CHUNK],) for at in range(0, len(article_ids), CHUNK)]
    return jobs.enqueue_many(extract_articles, chunks)


@jobs.task(retries=3, retry_delay=2)
def extract_articles(article_ids: list[int]) -> int:
    """Extract and store the claims of those of ``article_ids`` still extracting (a job)."""
    config = jobs.config()
    threshold = config.get("CHECKWORTHY_THRESHOLD")
    db = jobs.open_db()
    try:
        results: list[tuple[dict[str, Any], list[dict[str, Any]] | None, str | None]] = []
        for article in batches.articles_to_extract(db, article_ids):
            try:
                claims = extract.extract_claims(
                    article["body"], published=article["published"], threshold=threshold
                )
            except Exception as exc:  # (one article's failure is its own, not the chunk's)
                results.append((article, None, f"claim extraction failed: {exc}"))
            else:
                results.append((article, claims, None))
        return batches.store_extracted(db, results)
    finally:
        db.close()


def resume(config: Mapping[str, Any]) -> int:
    """Queue again every article still extracting (a worker starts; jobs queued before a
    crash between storing a batch and queuing it would be missing). Returns how many."""
    db = jobs.open_db()
    try:
        article_ids = batches.extracting_article_ids(db)
    finally:
        db.close()
    if article_ids:
        queue_extraction(article_ids)
    return len(article_ids)


jobs.on_consumer_start.append(resume)
