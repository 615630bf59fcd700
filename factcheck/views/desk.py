"""The desk: my queue, assignments, agreement, disagreements, adjudication, publishing."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, g, jsonify, redirect, request, url_for

from .. import access, limits, store
from ..agreement import (
    agreement_summary,
    claim_agreement,
    is_disagreement,
    ordinal_order,
    pairwise_agreement,
)
from ..db import get_db
from ..forms import AssignForm, PublishForm, SpreadForm
from ..store import flow as flow_store
from ..web import render, validates_own_csrf, wants_json
from .auth import login_required, role_required
from .review_fields import final_form, rating_labels, rating_scale
from .review_page import review_again
from .review_panel import visible_claim

bp = Blueprint("desk", __name__)

EDITORS = ("admin", "editor")


def _order() -> list[str]:
    return ordinal_order(current_app.config["RATING_SCALE"])


@bp.route("/queue")
@login_required
def queue() -> Any:
    db = get_db()
    articles = store.reviewer_queue(db, g.user["id"])
    returned = flow_store.returned_counts(db, g.user["id"])
    for article in articles:  # (a returned verdict is to do again)
        article["returned"] = returned.get(article["id"], 0)
        article["done"] -= article["returned"]
        article["todo"] += article["returned"]
    articles.sort(key=lambda a: (a["todo"] == 0, a["id"]))
    done = sum(a["done"] for a in articles)
    total = sum(a["total"] for a in articles)
    context = {
        "articles": articles,
        "progress": {
            "done": done,
            "total": total,
            "todo": total - done,
            "returned": sum(returned.values()),
        },
        "next": flow_store.next_todo(db, g.user["id"]),
    }
    return render("desk/queue.html", context)


@bp.route("/queue/next")
@login_required
def next_claim() -> Any:
    """The next claim to do (check-worthy first; the article ``article`` first, then the
    next ones), as a redirect to it, or as JSON (``{"claim", "article_id", "href"}``, all
    None when the queue is done)."""
    after = limits.parse_id(request.args.get("after"))
    article = limits.parse_id(request.args.get("article"))
    found = flow_store.next_todo(get_db(), g.user["id"], after, article)
    href = (
        url_for("review.article", article_id=found["article_id"], claim=found["id"]) + "#panel"
        if found is not None
        else None
    )
    if wants_json():
        return jsonify(
            {
                "claim": found and found["id"],
                "article_id": found and found["article_id"],
                "href": href,
            }
        )
    if href is None:
        flash("Your queue is done: every claim assigned to you has your verdict.")
        return redirect(url_for("desk.queue"))
    return redirect(href)


def _named_agreement(ratings: list[tuple[int, int, str]]) -> dict[str, Any]:
    db = get_db()
    names = store.usernames(db)
    order = _order()
    summary = agreement_summary(ratings, order)
    pairs = []
    for pair in pairwise_agreement(ratings, order):
        a, b = pair["coders"]
        pairs.append(pair | {"coders": [names.get(a, a), names.get(b, b)]})
    return {"summary": summary, "pairs": pairs}


@bp.route("/agreement")
@role_required(*EDITORS)
def agreement() -> Any:
    db = get_db()
    ratings = store.verdict_ratings(db)
    per_article = []
    for article in store.list_articles(db, limit=10_000):
        article_ratings = store.verdict_ratings(db, article["id"])
        if article_ratings:
            summary = agreement_summary(article_ratings, _order())
            per_article.append({"id": article["id"], "title": article["title"], **summary})
    context = {"desk": _named_agreement(ratings), "articles": per_article}
    return render("desk/agreement.html", context)


@bp.route("/articles/<int:article_id>/agreement")
@login_required
def article_agreement(article_id: int) -> Any:
    db = get_db()
    access.require_article(db, g.user, article_id)
    article = store.get_article(db, article_id)
    blind = store.get_settings(db)["blind_verdicts"]
    visible = access.visible_claim_ids(db, g.user, article_id, blind)
    ratings = [r for r in store.verdict_ratings(db, article_id) if r[0] in visible]
    claims = []
    by_claim: dict[int, list[str]] = {}
    for claim_id, _user, rating in ratings:
        by_claim.setdefault(claim_id, []).append(rating)
    for claim in store.list_claims(db, article_id):
        if claim["id"] in by_claim:
            claims.append(
                {
                    "id": claim["id"],
                    "text": claim["text"],
                    **claim_agreement(by_claim[claim["id"]], _order()),
                }
            )
    context = {
        "article": {"id": article["id"], "title": article["title"]},
        "claims": claims,
        "labels": rating_labels(),
        **_named_agreement(ratings),
    }
    return render("desk/article_agreement.html", context)


@bp.route("/disagreements")
@role_required(*EDITORS)
def disagreements() -> Any:
    db = get_db()
    mode = store.get_settings(db)["disagreement_mode"]
    show_settled = request.args.get("settled") == "1"
    order = _order()
    labels = rating_labels()
    rows = []
    for row in store.contested_claims(db, include_settled=show_settled):
        if not is_disagreement(row["ratings"], order, mode=mode):
            continue
        row["agreement"] = claim_agreement(row["ratings"], order)
        row["labels"] = [labels.get(r, r) for r in row["ratings"]]
        row["final_label"] = labels.get(row["final_rating"]) if row["final_rating"] else None
        rows.append(row)
    context = {"claims": rows, "mode": mode, "show_settled": show_settled}
    return render("desk/disagreements.html", context)


@bp.route("/claims/<int:claim_id>/final", methods=["POST"])
@role_required(*EDITORS)
@validates_own_csrf
def adjudicate(claim_id: int) -> Any:
    db = get_db()
    found = visible_claim(claim_id)
    form = final_form(None, formdata=request.form)
    target = url_for("review.article", article_id=found["article_id"], claim=claim_id) + "#panel"
    if not form.validate():
        if form.csrf_token.errors:
            message = "The form's security token expired; record it again (what you typed is kept)."
        else:
            message = "Check the highlighted field."
        field = next((f.name for f in form if f.errors and f.name != "csrf_token"), None)
        return _refused_final(found, form, message, field, 400)
    version = limits.parse_id(form.version.data or "")
    try:
        final = store.record_final_verdict(
            db,
            claim_id,
            g.user["id"],
            form.rating.data,
            form.reason.data or "",
            version,
            [e["key"] for e in rating_scale()],
            correction_note=form.correction_note.data,
        )
    except store.Invalid as exc:
        field = exc.field if exc.field in form else None
        if field:
            form[field].errors = [*form[field].errors, str(exc)]
        return _refused_final(found, form, str(exc), field, 400)
    except store.Conflict as exc:
        current = exc.current
        message = (
            "Another editor settled this claim meanwhile"
            + (f" as {current.get('rating')}" if current.get("rating") else "")
            + "; review it and decide again."
        )
        if wants_json():
            return jsonify({"error": message, "status": 409, "current": current}), 409
        # What the editor typed stays; the version moves on to the one now stored, so that
        # recording again (after reading the current verdict shown above) replaces it.
        form.version.data = "" if current.get("version") is None else str(current["version"])
        return _refused_final(found, form, message, None, 409)
    if wants_json():
        return jsonify({"ok": True, "final": final})
    flash("Final verdict recorded.")
    return redirect(target)


def _refused_final(
    claim: dict[str, Any], form: Any, message: str, field: str | None, status: int
) -> Any:
    """A refused final verdict: JSON, or the review page with the settle section open, the
    message beside the field at fault and everything typed kept."""
    if wants_json():
        fields = {f.name: f.errors for f in form if f.errors and f.name != "csrf_token"}
        return jsonify({"error": message, "status": status, "fields": fields}), status
    refused = {"form": "final", "error": message, "field": field}
    return review_again(claim, status, refused=refused, final=form)


def _fail(message: str, status: int, target: str, **extra: Any) -> Any:
    if wants_json():
        return jsonify({"error": message, "status": status, **extra}), status
    flash(message)
    return redirect(target)


@bp.route("/articles/<int:article_id>/publish", methods=["POST"])
@role_required(*EDITORS)
def publish(article_id: int) -> Any:
    """Withdraw the article's publication. Publishing goes through the publish check
    (:mod:`factcheck.views.publishing`): a request to publish here is sent there."""
    db = get_db()
    store.get_article(db, article_id)
    form = PublishForm()
    target = url_for("review.article", article_id=article_id)
    form.validate()
    if form.publish.data != "0":
        check = url_for("publishing.check", article_id=article_id)
        if wants_json():
            message = (
                "Publish through the publish check: GET it, then POST its state to "
                + url_for("publishing.confirm", article_id=article_id)
                + "."
            )
            return jsonify({"error": message, "status": 409, "check": check}), 409
        return redirect(check, code=303)
    try:
        store.publish_article(db, article_id, g.user["id"], publish=False, note=form.note.data)
    except store.Invalid as exc:
        return _fail(str(exc), 400, target)
    flash("Withdrawn: the verdicts are no longer public.")
    return redirect(target)


@bp.route("/articles/<int:article_id>/assign", methods=["GET", "POST"])
@role_required(*EDITORS)
def assign(article_id: int) -> Any:
    db = get_db()
    article = store.get_article(db, article_id)
    form = AssignForm()
    candidates = [u for u in store.list_users(db) if u["active"]]
    form.reviewers.choices = [(u["id"], f"{u['username']} ({u['role']})") for u in candidates]
    error = None
    if request.method == "POST":
        if form.validate():
            try:
                store.set_assignments(db, article_id, form.reviewers.data or [], g.user["id"])
            except store.Invalid as exc:
                error = str(exc)
            else:
                flash("Assignments saved.")
                return redirect(url_for("desk.assign", article_id=article_id))
        else:
            error = "The form's security token expired or a reviewer is unknown; try again."
    else:
        form.reviewers.data = store.assigned_user_ids(db, article_id)
    context = {
        "article": {"id": article["id"], "title": article["title"]},
        "assignments": store.list_assignments(db, article_id),
        "error": error,
    }
    return render("desk/assign.html", context, status=400 if error else 200, form=form)


@bp.route("/assign", methods=["GET", "POST"])
@role_required(*EDITORS)
def spread() -> Any:
    db = get_db()
    settings = store.get_settings(db)
    form = SpreadForm()
    error = None
    if request.method == "GET":
        form.per_article.data = settings["reviewers_per_article"]
    elif form.validate():
        articles = store.list_articles(db, limit=100_000)
        targets = [a["id"] for a in articles if not (form.only_unassigned.data and a["reviewers"])]
        try:
            result = store.spread_assignments(db, targets, form.per_article.data, g.user["id"])
        except store.Invalid as exc:
            error = str(exc)
        else:
            flash(f"Assigned reviewers to {len(result)} article(s).")
            return redirect(url_for("desk.spread"))
    else:
        error = "Give a number of reviewers per article."
    context = {
        "articles": store.list_articles(db, limit=500),
        "reviewers": store.active_reviewers(db),
        "error": error,
    }
    return render("desk/spread.html", context, status=400 if error else 200, form=form)
