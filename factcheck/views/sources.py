"""The sources library: the *Sources* page, a source's record, its archived text and WARC,
suggestions of earlier sources, and a claim panel's source states.

Archived pages are never served as HTML of this origin: the archived-text view shows the
extracted text, escaped, and the WARC is a download (``attachment``, ``application/warc``).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, flash, g, jsonify, redirect, request, url_for

from .. import access, limits, store
from ..db import get_db
from ..evidence import excerpts as excerpt_marks
from ..evidence import tasks as evidence_tasks
from ..evidence.panel import LINK_LABELS, STATE_LABELS, panel_evidence, record_state_text
from ..sanitize import safe_url
from ..store import evidence as records
from ..web import render
from .auth import login_required
from .review_panel import visible_claim

bp = Blueprint("sources", __name__)

PER_PAGE = 50


def viewer() -> tuple[int, bool] | None:
    """Whose citations the user may see (see :func:`factcheck.store.evidence.visible_sql`)."""
    if access.is_editor(g.user):
        return None
    return g.user["id"], bool(store.get_settings(get_db())["blind_verdicts"])


def _visible_record(record_id: int) -> dict[str, Any]:
    db = get_db()
    record = records.get_record(db, record_id)
    if not records.may_see_record(db, record_id, viewer()):
        raise store.NotFound(f"source {record_id}")
    return record


@bp.route("/claims/<int:claim_id>/evidence")
@login_required
def claim_evidence(claim_id: int) -> Any:
    """The panel's source states alone (the panel polls it while sources are archived)."""
    found = visible_claim(claim_id)
    db = get_db()
    mine = store.get_verdict(db, found["id"], g.user["id"])
    context = {"selected": found, "evidence": panel_evidence(db, mine)}
    return render("review/_evidence.html", context)


@bp.route("/sources")
@login_required
def index() -> Any:
    db = get_db()
    if records.has_unlinked(db):  # (sources saved before the library, or imported: linked once)
        records.link_sources(db)
    status = request.args.get("status") or None
    publisher = (request.args.get("publisher") or "").strip()[:300] or None
    stance = request.args.get("stance") or None
    query = (request.args.get("q") or "").strip()[:300] or None
    page = min(max(request.args.get("page", 1, type=int), 1), 1000)
    found = records.list_records(
        db,
        status=status,
        publisher=publisher,
        stance=stance,
        query=query,
        viewer=viewer(),
        limit=PER_PAGE + 1,
        offset=(page - 1) * PER_PAGE,
    )
    for r in found:
        r["state_text"] = record_state_text(r)
        r["state_class"] = r["state"] if safe_url(r["url"]) else "not-web"
        r["link_text"] = LINK_LABELS.get(r["link_status"] or "", "")
        r["stance_counts"] = dict(
            (part.split(":")[0], int(part.split(":")[1]))
            for part in (r["stances"] or "").split(",")
            if ":" in part
        )
    context = {
        "sources": found[:PER_PAGE],
        "has_next": len(found) > PER_PAGE,
        "page": page,
        "filters": {"status": status, "publisher": publisher, "stance": stance, "q": query},
        "counts": records.count_records(db),
        "publishers": records.publishers(db),
        "states": STATE_LABELS,
        "link_states": LINK_LABELS,
        "stances": records.STANCES,
    }
    return render("sources/index.html", context)


@bp.route("/sources/<int:record_id>")
@login_required
def record(record_id: int) -> Any:
    found = _visible_record(record_id)
    db = get_db()
    found["state_text"] = record_state_text(found)
    found["web"] = safe_url(found["url"]) is not None
    found["state_class"] = found["state"] if found["web"] else "not-web"
    found["link_text"] = LINK_LABELS.get(found["link_status"] or "", "")
    citations = records.record_citations(db, record_id, viewer())
    for c in citations:
        c["excerpt_text"] = excerpt_marks.label(c["excerpt_check"], c["excerpt_score"])
    context = {
        "source": found,
        "archives": records.record_archives(db, record_id),
        "citations": citations,
    }
    return render("sources/record.html", context)


@bp.route("/sources/<int:record_id>/archive", methods=["POST"])
@login_required
def archive_again(record_id: int) -> Any:
    """Archive the source (again): queued, never fetched on this request."""
    _visible_record(record_id)
    db = get_db()
    found = records.request_archive(db, record_id, g.user["id"])
    if found["state"] == "pending":
        evidence_tasks.archive(current_app.config, record_id)
    if request.accept_mimetypes.best == "application/json":
        return jsonify({"ok": True, "state": found["state"]})
    flash("The source is queued for archiving.")
    back = limits.parse_id(request.form.get("claim") or "")
    if back is not None:
        return redirect(url_for("review.claim", claim_id=back))
    return redirect(url_for("sources.record", record_id=record_id))


@bp.route("/sources/suggest")
@login_required
def suggest() -> Any:
    """Earlier sources whose address or title contains ``q`` (JSON), for the panel."""
    query = (request.args.get("q") or "")[:300]
    found = records.suggest(get_db(), query, viewer())
    return jsonify(
        {
            "sources": [
                {key: r[key] for key in ("url", "title", "publisher", "citations")}
                | {"state": r["state"], "link_status": r["link_status"]}
                for r in found
            ]
        }
    )


def _visible_archive(archive_id: int) -> dict[str, Any]:
    db = get_db()
    archive = records.get_archive(db, archive_id)
    if not records.may_see_record(db, archive["record_id"], viewer()):
        raise store.NotFound(f"archive {archive_id}")
    return archive


@bp.route("/archives/<int:archive_id>")
@login_required
def archived_text(archive_id: int) -> Any:
    """The archived copy's extracted text, escaped, with the cited excerpt (``?check=``, an
    excerpt check of this archive) highlighted."""
    archive = _visible_archive(archive_id)
    text = archive.pop("text")
    check = None
    check_id = limits.parse_id(request.args.get("check") or "")
    if check_id is not None:
        check = records.get_excerpt_check(get_db(), check_id)
        if check is not None and check["archive_id"] != archive_id:
            check = None
    parts = [text]
    if check is not None and check["start"] is not None and check["end"] is not None:
        start, end = int(check["start"]), int(check["end"])
        if 0 <= start <= end <= len(text):
            parts = [text[:start], text[start:end], text[end:]]
    context = {
        "archive": archive,
        "parts": parts,
        "check": check,
        "check_text": excerpt_marks.label(check["result"], check["score"]) if check else "",
        "text_length": len(text),
    }
    return render("sources/archive.html", context)


@bp.route("/archives/<int:archive_id>.warc.gz")
@login_required
def warc(archive_id: int) -> Any:
    _visible_archive(archive_id)
    data = records.get_warc(get_db(), archive_id)
    response = Response(data, mimetype="application/warc")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="factcheck-archive-{archive_id}.warc.gz"'
    )
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response
