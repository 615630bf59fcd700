"""The publish check: what publishing an article puts out and what it leaves out, settling
the unanimous claims in one step, and publishing what the editor confirmed.

The article's *Publish* action opens the check (the only way to publish an article); the
confirm form names the state it confirmed, so that a claim settled, unsettled or changed in
between shows the check again instead of going out unseen.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, g, jsonify, redirect, url_for

from .. import limits, store
from ..db import get_db
from ..forms import ConfirmPublishForm, SettleUnanimousForm
from ..store import publish_check as store_check
from ..store import published as store_published
from ..web import render, validates_own_csrf, wants_json
from .auth import role_required
from .review_fields import rating_scale

bp = Blueprint("publishing", __name__)

EDITORS = ("admin", "editor")


def check_page(
    article_id: int,
    status: int = 200,
    *,
    settle: dict[str, Any] | None = None,
    confirm: dict[str, Any] | None = None,
) -> Any:
    """The check page (HTML or JSON, same context). ``settle`` is the settle form as it was
    submitted when it was refused (``reason``, ``selected`` claim ids, ``error``, ``field``);
    ``confirm`` the refused confirmation (``error``, ``changes``)."""
    db = get_db()
    check = store_check.publish_check(db, article_id, current_app.config)
    unanimous = {c["id"] for c in check["unanimous"]}
    if settle is None:
        settle = {"reason": "", "selected": sorted(unanimous), "error": None, "field": None}
    else:
        settle = {**settle, "selected": [c for c in settle["selected"] if c in unanimous]}
    context = {
        "check": check,
        "history": store_published.publishing_history(db, article_id),
        "settle": settle,
        "confirm": confirm or {"error": None, "changes": None},
    }
    return render("publishing/check.html", context, status=status)


@bp.route("/articles/<int:article_id>/publish", methods=["GET"])
@role_required(*EDITORS)
def check(article_id: int) -> Any:
    return check_page(article_id)


def _selected(values: list[str]) -> dict[int, str]:
    """``claim id:rating`` values of the settle form -> {claim id: rating}."""
    found = {}
    for value in values:
        claim, _, rating = (value or "").partition(":")
        claim_id = limits.parse_id(claim)
        if claim_id is not None and rating:
            found[claim_id] = rating
    return found


@bp.route("/articles/<int:article_id>/publish/settle", methods=["POST"])
@role_required(*EDITORS)
@validates_own_csrf
def settle(article_id: int) -> Any:
    db = get_db()
    store.get_article_head(db, article_id)
    form = SettleUnanimousForm()
    chosen = _selected(form.claims.data or [])
    typed = {"reason": form.reason.data or "", "selected": sorted(chosen)}
    if not form.validate():
        if form.csrf_token.errors:
            error, field = (
                "The form's security token expired; settle again (your reason is kept).",
                None,
            )
        else:
            field = "claims" if form.claims.errors else "reason"
            error = form[field].errors[0]
        return _refused_settle(article_id, 400, typed, error, field)
    try:
        finals = store_check.settle_unanimous(
            db,
            article_id,
            g.user["id"],
            chosen,
            form.reason.data,
            [e["key"] for e in rating_scale()],
        )
    except store.Invalid as exc:
        field = "reason" if "reason" in str(exc).lower() else "claims"
        return _refused_settle(article_id, 400, typed, str(exc), field)
    except store.Conflict as exc:
        changed = exc.current.get("claims", [])
        error = (
            f"{len(changed)} of the chosen claims changed since you opened the check "
            f"(claim {', '.join(str(c) for c in changed)}): a reviewer changed a verdict, or "
            "an editor settled or dismissed it. Nothing was settled; the check below is as "
            "it is now. Settle again."
        )
        return _refused_settle(article_id, 409, typed | {"changed": changed}, error, "claims")
    if wants_json():
        return jsonify({"ok": True, "settled": len(finals), "finals": finals})
    flash(
        f"Settled {len(finals)} unanimous claim{'s' if len(finals) != 1 else ''} "
        "with the reviewers' rating."
    )
    return redirect(url_for("publishing.check", article_id=article_id))


def _refused_settle(
    article_id: int, status: int, typed: dict[str, Any], error: str, field: str | None
) -> Any:
    if wants_json():
        return jsonify(
            {"error": error, "status": status, "field": field, "changed": typed.get("changed")}
        ), status
    return check_page(article_id, status, settle={**typed, "error": error, "field": field})


@bp.route("/articles/<int:article_id>/publish/confirm", methods=["POST"])
@role_required(*EDITORS)
def confirm(article_id: int) -> Any:
    db = get_db()
    store.get_article_head(db, article_id)
    form = ConfirmPublishForm()
    if not form.validate():
        return _refused_confirm(article_id, 400, "Open the publish check and confirm there.")
    try:
        done = store_check.publish_confirmed(db, article_id, g.user["id"], form.state.data)
    except store.Invalid as exc:
        return _refused_confirm(article_id, 400, str(exc))
    except store.Conflict as exc:
        changes = exc.current.get("changes") or {}
        return _refused_confirm(
            article_id,
            409,
            "What would go out changed since you opened the check: "
            + _describe(changes)
            + " Nothing was published. Check again and confirm.",
            changes,
        )
    article = store.get_article_head(db, article_id)
    count = len(done["published"])
    if wants_json():
        return jsonify(
            {"ok": True, "published_at": article["published_at"], "published": done["published"]}
        )
    flash(
        f"Published the final verdicts of {count} claim{'s' if count != 1 else ''}; "
        "changes to them now need a correction note."
    )
    return redirect(url_for("review.article", article_id=article_id))


def _describe(changes: dict[str, list[int]]) -> str:
    """The changes of :func:`factcheck.store.publish.state_changes`, in words."""
    parts = []
    for key, words in (
        ("settled", "newly settled"),
        ("unsettled", "no longer settled (dismissed)"),
        ("changed", "changed (wording or final verdict)"),
    ):
        ids = changes.get(key) or []
        if ids:
            parts.append(f"{words}: claim {', '.join(str(c) for c in ids)}")
    return ("; ".join(parts) + ".") if parts else "the article was published or changed."


def _refused_confirm(
    article_id: int, status: int, error: str, changes: dict[str, Any] | None = None
) -> Any:
    if wants_json():
        return jsonify({"error": error, "status": status, "changes": changes}), status
    return check_page(article_id, status, confirm={"error": error, "changes": changes})
