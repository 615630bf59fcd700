"""The review page (the ``review`` blueprint): an article with its claims, a claim's verdict
panel, and saving a verdict.

The blueprint's parts, by what they are about:

- :mod:`.review_page`: the article's page (claim list, highlighted body, cached per state of
  the claims) and the page shown again after a refused form;
- :mod:`.review_panel`: the selected claim's panel;
- :mod:`.review_fields`: the forms as plain data (verdict, add claim, claimant, final verdict);
- :mod:`.review_claims`: the routes changing a claim (add, wording, claimant, dismiss,
  restore) and its history;
- here: the routes of the page and the panel, and saving a verdict.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    jsonify,
    make_response,
    redirect,
    request,
    url_for,
)

from .. import limits, store
from ..agreement import ordinal_order
from ..db import get_db
from ..evidence import tasks as evidence_tasks
from ..forms import VerdictForm, quick_verdict
from ..store import flow as flow_store
from ..web import render, validates_own_csrf, wants_json
from .auth import login_required
from .review_fields import rating_scale, refusal
from .review_page import review_again, review_context
from .review_panel import panel_context, visible_claim

bp = Blueprint("review", __name__)


def verdict_form() -> VerdictForm:
    """The verdict form, filled from the request (to validate it; :func:`verdict_fields` shows
    it)."""
    form = VerdictForm()
    form.rating.choices = [("", "— choose —")] + [(e["key"], e["label"]) for e in rating_scale()]
    return form


@bp.route("/articles/<int:article_id>")
@login_required
def article(article_id: int) -> Any:
    claim_id = limits.parse_id(request.args.get("claim"))
    only = request.args.get("only") == "checkworthy"
    todo_only = request.args.get("todo") == "1"
    context, extra = review_context(article_id, claim_id, only, todo_only)
    return render("review/review.html", context, **extra)


@bp.route("/claims/<int:claim_id>")
@login_required
def claim(claim_id: int) -> Any:
    found = visible_claim(claim_id)
    return redirect(
        url_for("review.article", article_id=found["article_id"], claim=claim_id) + "#panel"
    )


@bp.route("/claims/<int:claim_id>/panel")
@login_required
def panel(claim_id: int) -> Any:
    found = visible_claim(claim_id)
    context, extra = panel_context(found)
    return render("review/_panel.html", context, **extra)


def _sources_from_form(form: VerdictForm) -> list[dict[str, Any]]:
    return [entry.form.data for entry in form.sources]


def _review_again(claim: dict[str, Any], form: VerdictForm, status: int, **more: Any) -> Any:
    refused = {"form": "verdict", "error": None, "field": None}
    return review_again(claim, status, verdict=form, refused=refused, **more)


@bp.route("/claims/<int:claim_id>/verdict", methods=["POST"])
@login_required
@validates_own_csrf
def save_verdict(claim_id: int) -> Any:
    db = get_db()
    found = visible_claim(claim_id)
    scale_keys = [entry["key"] for entry in rating_scale()]
    as_json = wants_json()
    # The page's fetch save, when it is an ordinary valid one, is read without WTForms (same
    # rules, see forms.quick_verdict); any other save goes through the form and its messages.
    quick = quick_verdict(scale_keys) if as_json else None
    if quick is not None:
        form = None
        rating, rationale, sources, raw_version = (
            quick["rating"],
            quick["rationale"],
            quick["sources"],
            quick["version"],
        )
    else:
        form = verdict_form()
        if not form.validate():
            message = refusal(form, "Check the highlighted fields.")
            if as_json:
                return jsonify({"error": message, "status": 400, "fields": form.errors}), 400
            flash(message)
            return _review_again(found, form, 400)
        rating, rationale, sources, raw_version = (
            form.rating.data,
            form.rationale.data or "",
            _sources_from_form(form),
            form.version.data,
        )
    version = limits.parse_id(raw_version or "")
    try:
        verdict = store.record_verdict(
            db, claim_id, g.user["id"], rating, rationale, sources, version, scale_keys
        )
    except store.Invalid as exc:
        if as_json:
            return jsonify({"error": str(exc), "status": 400}), 400
        flash(str(exc))
        return _review_again(found, form, 400)
    except store.Busy:
        message = (
            "The database is busy with another change; your verdict was not saved yet. "
            "It is kept in the form: save again in a moment."
        )
        if as_json:
            response = jsonify({"error": message, "status": 503})
        else:
            flash(message)
            response = make_response(_review_again(found, form, 503))
        response.status_code = 503
        response.headers["Retry-After"] = "2"
        return response
    except store.Conflict as exc:
        message = (
            "This verdict was changed elsewhere since you opened it. "
            "The saved version is shown beside yours; merge them and save again."
        )
        if as_json:
            return jsonify({"error": message, "status": 409, "current": exc.current}), 409
        form.version.data = str(exc.current["version"])
        return _review_again(found, form, 409, conflict=exc.current)
    evidence_tasks.after_save(current_app.config, db, verdict["id"])
    if as_json:
        states = flow_store.review_states(
            db, found["article_id"], g.user["id"], ordinal_order(rating_scale())
        )
        return jsonify(
            {
                "ok": True,
                "verdict": verdict,
                "version": verdict["version"],
                "states": states,
                "counts": flow_store.state_counts(states),
            }
        )
    flash("Verdict saved.")
    if request.form.get("then") == "next":  # (Save and next, without JavaScript)
        return redirect(url_for("desk.next_claim", after=claim_id, article=found["article_id"]))
    return redirect(url_for("review.article", article_id=found["article_id"], claim=claim_id))


from . import review_claims  # noqa: E402,F401  (its routes are on this blueprint)
