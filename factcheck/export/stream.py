"""The export pipeline: a filtered set of claims, read from one snapshot of the store and
rendered in one of :data:`FORMATS`, streamed as UTF-8 bytes. The exports page, the command line
(``factcheck export``) and the benchmarks call it; the renderers are the package's modules.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterator, Mapping
from typing import Any

from sqlite_utils import Database

from .. import access, export, store
from ..agreement import claim_agreement, ordinal_order
from ..config import org_url, with_addresses
from ..store import exports as store_exports
from ..store.published import published_view

#: format -> (label, MIME type, file suffix)
FORMATS: dict[str, tuple[str, str, str]] = {
    "csv": ("CSV (spreadsheet)", "text/csv", "csv"),
    "json": ("JSON (everything, re-importable)", "application/json", "json"),
    "jsonl": ("JSON Lines (one claim a line)", "application/x-ndjson", "jsonl"),
    "claimreview": ("ClaimReview JSON-LD", "application/ld+json", "claimreview.json"),
    "markdown": ("Markdown report", "text/markdown", "md"),
}


def org(config: Mapping[str, Any]) -> dict[str, Any]:
    """The fact-checking organisation named in ClaimReview (its address: ``ORG_URL``, else the
    address the app is served at)."""
    return {"name": config["ORG_NAME"], "url": org_url(config)}


def export_stream(
    db: Database,
    fmt: str,
    flt: store.ExportFilter,
    config: Mapping[str, Any],
    *,
    article: dict[str, Any] | None = None,
    disagreement_mode: str = "any",
    bom: bool = True,
    user: dict[str, Any] | None = None,
) -> Iterator[bytes]:
    """UTF-8 chunks of the filtered set in ``fmt`` (see :data:`FORMATS`), streamed.

    The export reflects the database at the moment it started: nothing is read before the
    first chunk is asked for, and from then on everything it reads (counts and summaries
    before the rows too) comes from one :func:`factcheck.store.snapshot` of ``db``'s file,
    on a read connection of its own, ended when the stream ends or is closed (a client that
    went away). Given a snapshot's connection, it reads that snapshot.

    With a ``user`` who is not an editor, only what that user may see is exported (see
    :func:`scoped_records`); without one (the command line) everything matching.

    ClaimReview leaves out documents with validation errors (see :func:`claimreview_issues`);
    Markdown reads the set twice (summary first), so memory stays flat for it too. JSON and
    JSONL carry the article texts and dismissed claims, so that they can be imported again.
    The fast paths write bytes; the others' text is encoded here.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    config = with_addresses(config)  # (now: the stream may outlive the request)
    return _encoded(
        store.in_snapshot(
            db,
            lambda snap: _export_chunks(
                snap, fmt, flt, config, article, disagreement_mode, bom, user
            ),
        )
    )


def _encoded(chunks: Iterator[str | bytes]) -> Iterator[bytes]:
    """The chunks as UTF-8 bytes; closing this closes ``chunks`` (and so their snapshot)."""
    with contextlib.closing(chunks):
        for chunk in chunks:
            yield chunk if chunk.__class__ is bytes else chunk.encode()


def _export_chunks(
    db: Database,
    fmt: str,
    flt: store.ExportFilter,
    config: Mapping[str, Any],
    article: dict[str, Any] | None,
    disagreement_mode: str,
    bom: bool,
    user: dict[str, Any] | None,
) -> Iterator[str | bytes]:
    scale = config["RATING_SCALE"]
    # "Published" exports read the published record only (store.published), the record way.
    published_only = flt.published is True

    def records(**options: Any) -> Iterator[dict[str, Any]]:
        found = user_records(db, flt, scale, user, disagreement_mode, **options)
        if published_only:
            return published_view(found, scale, unpublished=False)
        return found

    if fmt in ("json", "jsonl"):
        # The archive formats hold everything, dismissed claims too (marked), for re-import.
        flt = dataclasses.replace(flt, include_dismissed=True)

    # Everything (the command line, editors): the columnar fast paths, same text.
    fast = (user is None or access.is_editor(user)) and not published_only
    if fmt == "csv":
        if fast:
            return export.csv_fast_chunks(
                store_exports.export_batches(db, flt, full=False),
                scale,
                disagreement_mode=disagreement_mode,
                bom=bom,
            )
        return export.csv_chunks(records(html=False), bom=bom)
    if fmt == "json":
        meta = {
            "generator": "factcheck",
            "exported_at": store.now(),
            "filter": flt.as_dict(),
            "scale": scale,
        }
        if fast:
            return export.json_fast_chunks(
                store_exports.export_batches(db, flt, body=True),
                scale,
                meta,
                disagreement_mode=disagreement_mode,
            )
        return export.json_chunks(records(body=True), meta)
    if fmt == "jsonl":
        if fast:
            return export.jsonl_fast_chunks(
                store_exports.export_batches(db, flt, body=True),
                scale,
                disagreement_mode=disagreement_mode,
            )
        return export.batched(export.jsonl_lines(records(body=True)))
    if fmt == "claimreview":
        # Published claims as published (withdrawn ones left out), the others as decided.
        return export.claimreview_chunks(
            published_view(records(html=False, agreement=False), scale, unpublished=True),
            org=org(config),
            permalink_template=config["PERMALINK_TEMPLATE"],
            scale=scale,
        )
    if fmt == "markdown":
        return _markdown(db, flt, records, article, ordinal_order(scale), user)
    raise ValueError(f"unknown export format {fmt!r}")


#: Above this many claims the Markdown summary leaves out the agreement figures, whose
#: computation holds every verdict in memory (the rest of the report streams).
MARKDOWN_AGREEMENT_LIMIT = 100_000


def _markdown(
    db: Database,
    flt: store.ExportFilter,
    records: Any,
    article: dict[str, Any] | None,
    order: list[str],
    user: dict[str, Any] | None,
) -> Iterator[str]:
    if count_claims(db, flt, user)["claims"] <= MARKDOWN_AGREEMENT_LIMIT:
        summary = export.report_summary(records(html=False), order)
    else:
        summary = summary_counts(records(html=False))
    yield from export.markdown_report(article, records(html=False), summary)


def summary_counts(records: Iterator[dict[str, Any]]) -> dict[str, Any]:
    """The counts of :func:`factcheck.export.report_summary`, without agreement figures, in
    memory that does not grow with the number of records."""
    return export.report_summary(records)


def visible_article_ids(db: Database, user: dict[str, Any]) -> list[int]:
    """Articles a reviewer may see (assigned, or added by them), in id order."""
    rows = store.list_articles(db, limit=1_000_000_000, visible_to=user["id"])
    return sorted(row["id"] for row in rows)


def user_records(
    db: Database,
    flt: store.ExportFilter,
    scale: list[dict[str, Any]],
    user: dict[str, Any] | None,
    disagreement_mode: str = "any",
    **options: Any,
) -> Iterator[dict[str, Any]]:
    """The export records of ``flt`` the user may see: every one for an editor (or without a
    user: the command line), a reviewer's :func:`scoped_records` otherwise. ``options`` go to
    :func:`factcheck.store.export_records`."""
    if user is not None and not access.is_editor(user):
        return scoped_records(db, flt, scale, user, disagreement_mode, **options)
    return store.export_records(db, flt, scale, disagreement_mode=disagreement_mode, **options)


def scoped_records(
    db: Database,
    flt: store.ExportFilter,
    scale: list[dict[str, Any]],
    user: dict[str, Any],
    disagreement_mode: str = "any",
    **options: Any,
) -> Iterator[dict[str, Any]]:
    """A reviewer's export: their articles only, article by article, and under blind review
    other reviewers' verdicts and the final verdict only on claims they have a verdict on
    (:func:`factcheck.access.filter_record`), agreement recomputed over what is left."""
    blind = store.get_settings(db)["blind_verdicts"]
    order = ordinal_order(scale)
    labels = {entry["key"]: entry["label"] for entry in scale}
    ids = [flt.article_id] if flt.article_id is not None else visible_article_ids(db, user)
    editors = access.editor_names(db)
    for article_id in ids:
        if not access.can_view_article(db, user, article_id):
            continue
        visible = access.visible_claim_ids(db, user, article_id, blind)
        one = dataclasses.replace(flt, article_id=article_id)
        for record in store.export_records(
            db, one, scale, disagreement_mode=disagreement_mode, **options
        ):
            filtered = access.filter_record(record, user, visible, editors)
            if filtered is not record and "agreement" in record:
                figures = claim_agreement(
                    export.current_ratings(filtered["verdicts"]), order, disagreement_mode
                )
                figures["majority_label"] = labels.get(figures["majority"], figures["majority"])
                filtered = filtered | {"agreement": figures}
            yield filtered


def count_claims(
    db: Database, flt: store.ExportFilter, user: dict[str, Any] | None = None
) -> dict[str, int]:
    """:func:`factcheck.store.count_export_claims`, over the user's articles for a reviewer."""
    if user is None or access.is_editor(user):
        return store.count_export_claims(db, flt)
    total = {"claims": 0, "articles": 0}
    ids = [flt.article_id] if flt.article_id is not None else visible_article_ids(db, user)
    for article_id in ids:
        counts = store.count_export_claims(db, dataclasses.replace(flt, article_id=article_id))
        total["claims"] += counts["claims"]
        total["articles"] += counts["articles"]
    return total
