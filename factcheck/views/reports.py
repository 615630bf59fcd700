"""Per-article verdict reports: printable HTML, CSV and JSON downloads."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from flask import Blueprint, Response, current_app, g, stream_with_context

from .. import access, export, store
from ..agreement import claim_agreement, ordinal_order
from ..db import get_db
from ..web import render
from .auth import login_required

bp = Blueprint("reports", __name__)


def article_records(article_id: int) -> Iterator[dict[str, Any]]:
    """The article's claim records with per-claim agreement added.

    Only what the user may see: while blind review is on, a reviewer's report holds other
    reviewers' verdicts only on the claims the reviewer has given a verdict on.
    """
    db = get_db()
    access.require_article(db, g.user, article_id)
    scale = current_app.config["RATING_SCALE"]
    order = ordinal_order(scale)
    labels = {entry["key"]: entry["label"] for entry in scale}
    visible = access.visible_claim_ids(
        db, g.user, article_id, store.get_settings(db)["blind_verdicts"]
    )
    for record in store.claim_records(db, article_id, scale):
        record = access.filter_record(record, g.user, visible)
        agreement = claim_agreement([v["rating"] for v in record["verdicts"]], order)
        agreement["majority_label"] = labels.get(agreement["majority"], agreement["majority"])
        record["agreement"] = agreement
        yield record


def _visible_article(article_id: int) -> dict[str, Any]:
    """The article, checked before any streaming starts (else NotFound, as if absent)."""
    db = get_db()
    access.require_article(db, g.user, article_id)
    return store.get_article(db, article_id)


def _filename(article: dict[str, Any], suffix: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", article["title"]).strip("-").lower()[:60]
    return f"factcheck-{article['id']}-{slug or 'article'}.{suffix}"


def _download(chunks: Iterator[str], mimetype: str, filename: str) -> Response:
    response = Response(stream_with_context(chunks), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.route("/articles/<int:article_id>/report")
@login_required
def report(article_id: int) -> Any:
    article = _visible_article(article_id)
    records = [r for r in article_records(article_id) if r["claim"] is not None]
    verdict_counts = Counter(
        (r["final"] or {}).get("label") or r["agreement"]["majority_label"] or "No verdict yet"
        for r in records
    )
    context = {
        "article": {key: article[key] for key in article if key not in ("original", "body")},
        "records": records,
        "summary": {
            "claims": len(records),
            "with_verdicts": sum(1 for r in records if r["verdicts"]),
            "verdicts": dict(verdict_counts.most_common()),
        },
        "contexts": {r["claim"]["id"]: _in_context(article["body"], r["claim"]) for r in records},
    }
    return render("reports/report.html", context)


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
    article = _visible_article(article_id)
    chunks = export.csv_chunks(article_records(article_id), bom=True)
    return _download(chunks, "text/csv", _filename(article, "csv"))


@bp.route("/articles/<int:article_id>/report.json")
@login_required
def report_json(article_id: int) -> Response:
    article = _visible_article(article_id)
    meta = {
        "generator": "factcheck",
        "article_id": article_id,
        "scale": current_app.config["RATING_SCALE"],
    }
    chunks = export.json_chunks(article_records(article_id), meta)
    return _download(chunks, "application/json", _filename(article, "json"))
