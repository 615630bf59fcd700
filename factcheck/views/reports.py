"""Per-article verdict reports: printable HTML, and CSV, JSON, JSONL, ClaimReview and Markdown
downloads."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from flask import Blueprint, Response, current_app, g
from sqlite_utils import Database

from .. import access, export, store
from ..agreement import claim_agreement, ordinal_order
from ..db import get_db
from ..web import render
from .auth import login_required
from .exports import claimreview_issues, download_response, export_stream

bp = Blueprint("reports", __name__)


def article_records(
    db: Database, user: dict[str, Any], article_id: int, **options: Any
) -> Iterator[dict[str, Any]]:
    """The article's claim records with per-claim agreement added.

    Only what the user may see: while blind review is on, a reviewer's report holds other
    reviewers' verdicts only on the claims the reviewer has given a verdict on. ``options`` go
    to :func:`factcheck.store.export_records` (``html``, ``body``). ``db`` is a snapshot's
    connection (:func:`factcheck.store.snapshot`), so that the records are of one moment.
    """
    access.require_article(db, user, article_id)
    scale = current_app.config["RATING_SCALE"]
    order = ordinal_order(scale)
    labels = {entry["key"]: entry["label"] for entry in scale}
    settings = store.get_settings(db)
    visible = access.visible_claim_ids(db, user, article_id, settings["blind_verdicts"])
    flt = store.ExportFilter(article_id=article_id)
    for record in store.export_records(db, flt, scale, agreement=False, **options):
        record = access.filter_record(record, user, visible)
        agreement = claim_agreement(
            [v["rating"] for v in record["verdicts"]], order, settings["disagreement_mode"]
        )
        agreement["majority_label"] = labels.get(agreement["majority"], agreement["majority"])
        record["agreement"] = agreement
        yield record


def _visible_article(db: Database, article_id: int) -> dict[str, Any]:
    """The article, checked before any streaming starts (else NotFound, as if absent)."""
    access.require_article(db, g.user, article_id)
    return store.get_article(db, article_id)


def _download(
    article_id: int,
    suffix: str,
    mimetype: str,
    chunks_of: Callable[[Iterator[dict[str, Any]]], Iterator[str]],
    **options: Any,
) -> Response:
    """The article's records rendered by ``chunks_of``, streamed from one snapshot."""
    db, user = get_db(), g.user
    article = _visible_article(db, article_id)
    chunks = store.in_snapshot(
        db, lambda snap: chunks_of(article_records(snap, user, article_id, **options))
    )
    return download_response(chunks, mimetype, _filename(article, suffix))


def _filename(article: dict[str, Any], suffix: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", article["title"]).strip("-").lower()[:60]
    return f"factcheck-{article['id']}-{slug or 'article'}.{suffix}"


@bp.route("/articles/<int:article_id>/report")
@login_required
def report(article_id: int) -> Any:
    with store.snapshot(get_db()) as snap:  # (the page shows one moment)
        article = _visible_article(snap, article_id)
        records = [r for r in article_records(snap, g.user, article_id) if r["claim"] is not None]
        # (counts final verdicts, which blind review hides from reviewers until they judge)
        claimreview = (
            claimreview_issues(snap, store.ExportFilter(article_id=article_id), current_app.config)
            if access.is_editor(g.user)
            else None
        )
    scale = current_app.config["RATING_SCALE"]
    labels = {entry["key"]: entry["label"] for entry in scale}
    verdict_counts = Counter(
        (r["final"] or {}).get("label") or r["agreement"]["majority_label"] or "No verdict yet"
        for r in records
    )
    ordered = _in_scale_order(verdict_counts, scale)
    figures = export.report_summary(records, ordinal_order(scale))
    context = {
        "article": {key: article[key] for key in article if key not in ("original", "body")},
        "records": records,
        "summary": {
            "claims": len(records),
            "with_verdicts": sum(1 for r in records if r["verdicts"]),
            "with_final": figures["n_final"],
            "disagreements": figures["n_disagreement"],
            "verdicts": dict(ordered),
            "agreement": figures["agreement"],
        },
        "chart": bar_chart([(label, n, _css_key(label, scale)) for label, n in ordered]),
        "contexts": {r["claim"]["id"]: _in_context(article["body"], r["claim"]) for r in records},
        "details": {r["claim"]["id"]: _details(r, labels) for r in records},
        "claimreview": claimreview,
    }
    return render("reports/report.html", context)


def _in_scale_order(counts: Counter[str], scale: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """Verdict counts in the scale's order, other labels after, "No verdict yet" last."""
    rank = {entry["label"]: i for i, entry in enumerate(scale)}
    return sorted(
        counts.items(),
        key=lambda item: (item[0] == "No verdict yet", rank.get(item[0], len(rank)), item[0]),
    )


def _css_key(label: str, scale: list[dict[str, Any]]) -> str:
    key = next((e["key"] for e in scale if e["label"] == label), "none")
    return re.sub(r"[^a-z0-9-]+", "-", str(key).lower())


def bar_chart(
    bars: list[tuple[str, int, str]], width: int = 560, bar_height: int = 22, gap: int = 8
) -> dict[str, Any]:
    """Geometry of a horizontal bar chart for ``(label, count, css key)`` triples.

    The template draws it as inline SVG (no JavaScript, no inline styles: colours come from
    CSS classes ``bar-<key>``), so it prints with the report.
    """
    label_width, count_width = 170, 96
    room = width - label_width - count_width
    most = max((count for _label, count, _key in bars), default=0) or 1
    total = sum(count for _label, count, _key in bars) or 1
    shapes = []
    for index, (label, count, key) in enumerate(bars):
        y = gap + index * (bar_height + gap)
        length = round(room * count / most, 1)
        shapes.append(
            {
                "label": label,
                "count": count,
                "percent": round(100 * count / total),
                "key": key,
                "x": label_width,
                "y": y,
                "width": max(length, 1 if count else 0),
                "height": bar_height,
                "text_y": y + bar_height * 0.7,
                "count_x": label_width + length + 6,
            }
        )
    return {
        "width": width,
        "height": gap + len(bars) * (bar_height + gap),
        "label_x": label_width - 8,
        "bars": shapes,
    }


def _details(record: dict[str, Any], labels: dict[str, str]) -> dict[str, Any]:
    """Agreeing verdicts, dissent (verdicts differing from the final) and corrections."""
    final = record["final"]
    verdicts = record["verdicts"]
    if final is None:
        agreeing, dissent = verdicts, []
    else:
        agreeing = [v for v in verdicts if v["rating"] == final["rating"]]
        dissent = [v for v in verdicts if v["rating"] != final["rating"]]
    return {
        "agreeing": agreeing,
        "dissent": dissent,
        "corrections": [
            {
                "date": (c["created_at"] or "")[:10],
                "before": labels.get(c["before_rating"], c["before_rating"]),
                "after": labels.get(c["after_rating"], c["after_rating"]),
                "note": c["note"],
                "by": c["by"],
            }
            for c in record["corrections"]
        ],
    }


def _in_context(body: str, claim: dict[str, Any], width: int = 160) -> dict[str, str]:
    start, end = claim["start"], claim["end"]
    before = body[max(0, start - width) : start]
    after = body[end : end + width]
    return {
        "before": ("…" if start > width else "") + before,
        "quote": body[start:end],
        "after": after + ("…" if end + width < len(body) else ""),
    }


@bp.route("/articles/<int:article_id>/report.csv")
@login_required
def report_csv(article_id: int) -> Response:
    return _download(
        article_id,
        "csv",
        "text/csv",
        lambda records: export.csv_chunks(records, bom=True),
        html=False,
    )


@bp.route("/articles/<int:article_id>/report.json")
@login_required
def report_json(article_id: int) -> Response:
    meta = {
        "generator": "factcheck",
        "article_id": article_id,
        "scale": current_app.config["RATING_SCALE"],
    }
    return _download(
        article_id,
        "json",
        "application/json",
        lambda records: export.json_chunks(records, meta),
        body=True,
    )


@bp.route("/articles/<int:article_id>/report.jsonl")
@login_required
def report_jsonl(article_id: int) -> Response:
    return _download(
        article_id,
        "jsonl",
        "application/x-ndjson",
        lambda records: export.batched(export.jsonl_lines(records)),
        body=True,
    )


@bp.route("/articles/<int:article_id>/report.md")
@login_required
def report_markdown(article_id: int) -> Response:
    order = ordinal_order(current_app.config["RATING_SCALE"])
    with store.snapshot(get_db()) as snap:
        article = _visible_article(snap, article_id)
        records = list(article_records(snap, g.user, article_id, html=False))
    summary = export.report_summary(records, order)
    chunks = export.markdown_report(article, records, summary)
    return download_response(chunks, "text/markdown", _filename(article, "md"))


@bp.route("/articles/<int:article_id>/claimreview.json")
@login_required
def report_claimreview(article_id: int) -> Response:
    db = get_db()
    article = _visible_article(db, article_id)
    flt = store.ExportFilter(article_id=article_id)
    chunks = export_stream(db, "claimreview", flt, current_app.config, user=g.user)
    return download_response(chunks, "application/ld+json", _filename(article, "claimreview.json"))
