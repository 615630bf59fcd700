"""Per-article verdict reports: printable HTML, and CSV, JSON, JSONL, ClaimReview and Markdown
downloads."""

from __future__ import annotations

import datetime
import re
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

from flask import Blueprint, Response, current_app, g, request
from sqlite_utils import Database

from .. import access, export, store
from ..agreement import claim_agreement, ordinal_order
from ..config import org_url
from ..db import get_db
from ..export.claimreview_check import claimreview_issues
from ..export.stream import export_stream
from ..web import render
from .auth import login_required
from .exports import download_response
from .public import corrections_view

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
    editors = access.editor_names(db)
    for record in store.export_records(db, flt, scale, agreement=False, **options):
        record = access.filter_record(record, user, visible, editors)
        agreement = claim_agreement(
            export.current_ratings(record["verdicts"]), order, settings["disagreement_mode"]
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
    """The printable report: a cover summary, then the claims.

    ``?compact=1`` lists only the claims with verdicts (reviewers' or final); ``?compact=0``
    every claim, also in print; without it the screen shows every claim and print leaves out
    those without verdicts (the compact mode is the default when printing).
    """
    compact = {"1": True, "0": False}.get(request.args.get("compact", ""))
    with store.snapshot(get_db()) as snap:  # (the page shows one moment)
        article = _visible_article(snap, article_id)
        records = [r for r in article_records(snap, g.user, article_id) if r["claim"] is not None]
        # (counts final verdicts, which blind review hides from reviewers until they judge)
        claimreview = (
            claimreview_issues(
                snap,
                store.ExportFilter(article_id=article_id),
                current_app.config,
                warn_unpublished=False,  # (the publish check is where they go out)
            )
            if access.is_editor(g.user)
            else None
        )
    scale = current_app.config["RATING_SCALE"]
    labels = {entry["key"]: entry["label"] for entry in scale}
    verdict_counts = Counter(
        (r["final"] or {}).get("label") or r["agreement"]["majority_label"] or NO_VERDICT
        for r in records
    )
    final_counts = Counter((r["final"] or {}).get("label") or NO_FINAL for r in records)
    final_ordered = _in_scale_order(final_counts, scale)
    figures = export.report_summary(records, ordinal_order(scale))
    numbers = {r["claim"]["id"]: n for n, r in enumerate(records, start=1)}
    judged = [r for r in records if r["verdicts"] or r["final"]]
    shown = judged if compact else records
    context = {
        "article": {key: article[key] for key in article if key not in ("original", "body")},
        "records": shown,
        "compact": compact,
        "org": {"name": current_app.config["ORG_NAME"], "url": org_url(current_app.config)},
        "report_date": datetime.date.today().isoformat(),
        "summary": {
            "claims": len(records),
            "with_verdicts": sum(1 for r in records if r["verdicts"]),
            "without_verdicts": len(records) - len(judged),
            "with_final": figures["n_final"],
            "disagreements": figures["n_disagreement"],
            "verdicts": dict(_in_scale_order(verdict_counts, scale)),
            "final_ratings": dict(final_ordered),
            "agreement": figures["agreement"],
        },
        "chart": bar_chart([(label, n, _css_key(label, scale)) for label, n in final_ordered if n]),
        "numbers": numbers,
        "contexts": {r["claim"]["id"]: _in_context(article["body"], r["claim"]) for r in shown},
        "details": {r["claim"]["id"]: _details(r, labels) for r in shown},
        "claimreview": claimreview,
    }
    return render("reports/report.html", context)


MARGIN_FONT = "font: 8.5pt system-ui, sans-serif; color: #5b6673;"
NO_VERDICT = "No verdict yet"
NO_FINAL = "No final verdict yet"


@bp.route("/report-print.css")
@login_required
def print_css() -> Response:
    """The report's print header and footer (CSS paged media margin boxes): the organisation,
    the report date and page numbers. A stylesheet, since the pages allow no inline styles;
    the date is in its address (``?d=``), so a day's copy is cached for the day."""
    name = _css_string(current_app.config["ORG_NAME"])
    day = request.args.get("d", "")
    day = day if re.fullmatch(r"\d{4}-\d{2}-\d{2}", day) else datetime.date.today().isoformat()
    css = (
        "@page {\n"
        f"  @top-left {{ content: {name}; {MARGIN_FONT} }}\n"
        f"  @top-right {{ content: {_css_string('Verdict report, ' + day)}; {MARGIN_FONT} }}\n"
        "}\n"
    )
    response = Response(css, mimetype="text/css")
    response.headers["Cache-Control"] = "private, max-age=86400"
    return response


def _css_string(text: str) -> str:
    """``text`` as a quoted CSS string: backslashes and quotes escaped, line breaks and other
    control characters as code points, and ``<`` too (never a tag, wherever it is read)."""
    out = []
    for ch in str(text)[:200]:
        if ch in '\\"<' or ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _in_scale_order(counts: Counter[str], scale: list[dict[str, Any]]) -> list[tuple[str, int]]:
    """Verdict counts in the scale's order, other labels after, "No (final) verdict yet"
    last."""
    rank = {entry["label"]: i for i, entry in enumerate(scale)}
    return sorted(
        counts.items(),
        key=lambda item: (
            item[0] in (NO_VERDICT, NO_FINAL),
            rank.get(item[0], len(rank)),
            item[0],
        ),
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
    """Agreeing verdicts, dissent (verdicts differing from the final), verdicts returned to
    their reviewer (not current: neither agreeing nor dissenting) and corrections."""
    final = record["final"]
    verdicts = [v for v in record["verdicts"] if v.get("status") != "returned"]
    returned = [v for v in record["verdicts"] if v.get("status") == "returned"]
    if final is None:
        agreeing, dissent = verdicts, []
    else:
        agreeing = [v for v in verdicts if v["rating"] == final["rating"]]
        dissent = [v for v in verdicts if v["rating"] != final["rating"]]
    return {
        "agreeing": agreeing,
        "dissent": dissent,
        "returned": returned,
        "corrections": _corrections(record, labels),
    }


def _corrections(record: dict[str, Any], labels: dict[str, str]) -> list[dict[str, Any]]:
    """The claim's corrections, each with its date, editor, note and what it changed: of a
    published claim, its published versions' changes (wording, claimant, verdict, reason,
    sources, a withdrawal) as the public page lists them; else the final ratings changed."""
    by = {c["created_at"]: c["by"] for c in record["corrections"]}
    published = record.get("published")
    if published and published.get("corrections"):
        publication = (published.get("article") or {}).get("publisher")
        shown = corrections_view(published["corrections"], labels, publication)
        return [
            view | {"by": k.get("by") or by.get(k["at"])}
            for k, view in zip(published["corrections"], shown, strict=True)
        ]
    return [
        {
            "date": (c["created_at"] or "")[:10],
            "note": c["note"],
            "by": c["by"],
            "withdrawal": False,
            "changes": [
                {
                    "field": "Verdict",
                    "before": labels.get(c["before_rating"], c["before_rating"]),
                    "after": labels.get(c["after_rating"], c["after_rating"]),
                }
            ],
        }
        for c in record["corrections"]
    ]


def _in_context(body: str, claim: dict[str, Any], width: int = 160) -> dict[str, str]:
    """The claim's passage with the text around it from its own paragraph (a headline or the
    paragraph before are not glued to it), at most ``width`` characters either side, cut at a
    sentence start before and a word end after ("…" where cut)."""
    start, end = claim["start"], claim["end"]
    para_start = body.rfind("\n", 0, start) + 1
    para_end = body.find("\n", end)
    para_end = len(body) if para_end == -1 else para_end
    before = body[para_start:start]
    cut_before = len(before) > width
    if cut_before:
        window = before[-width:]
        sentence = _SENTENCE_START.search(window + body[start : start + 1])
        space = window.find(" ")
        before = window[sentence.end() :] if sentence else window[space + 1 :]
        cut_before = not sentence
    after = body[end:para_end]
    cut_after = len(after) > width
    if cut_after:
        after = after[:width].rsplit(" ", 1)[0]
    return {
        "before": ("…" if cut_before else "") + before,
        "quote": body[start:end],
        "after": after + ("…" if cut_after else ""),
    }


# A sentence's end and the next one's start (a capital, a digit or an opening quote: "U.S. forces"
# goes on).
_SENTENCE_START = re.compile(r"[.!?][\"'\u201d\u2019)]?\s+(?=[A-Z0-9\"'\u201c\u2018(])")


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
