"""Changing a claim from the review page (routes of the ``review`` blueprint): adding one from a
selected passage, its wording, claimant, dismissal and restore (directly, as a proposal or
refused for a correction, as :func:`factcheck.access.claim_shaping` says), and its history."""

from __future__ import annotations

from typing import Any

from flask import flash, g, jsonify, redirect, url_for

from .. import access, store
from ..db import get_db
from ..forms import AddClaimForm, ClaimantForm, ClaimStateForm, EditClaimForm
from ..web import render, validates_own_csrf, wants_json
from . import proposals
from .auth import login_required
from .review import bp
from .review_fields import add_fields, claimant_fields, refusal
from .review_page import review_again, review_context
from .review_panel import panel_context, visible_claim


@bp.route("/articles/<int:article_id>/claims", methods=["POST"])
@login_required
@validates_own_csrf
def add_claim(article_id: int) -> Any:
    db = get_db()
    access.require_article(db, g.user, article_id)
    form = AddClaimForm()
    error = None
    claim_row = None
    if not form.validate():
        error = (
            "The form's security token expired; reload and select the passage again."
            if form.csrf_token.errors
            else form.storable_error or "Select a passage of the article first."
        )
    else:
        try:
            claim_row = store.add_claim_at_passage(
                db, article_id, form.quote.data, form.start.data, g.user["id"], form.text.data
            )
        except store.Invalid as exc:
            error = str(exc)
    if wants_json():
        if error:
            return jsonify({"error": error, "status": 400}), 400
        return jsonify({"ok": True, "claim": claim_row}), 201
    if error:
        # Render rather than redirect, so the passage and wording typed are kept.
        context, extra = review_context(article_id, None, False)
        extra["add_fields"] = add_fields(form, error)
        return render("review/review.html", context, status=400, **extra)
    flash("Claim added.")
    return redirect(url_for("review.article", article_id=article_id, claim=claim_row["id"]))


def _claim_change(
    claim_id: int, change: Any, success: str, form: str = "state", typed: str | None = None
) -> Any:
    """Apply ``change`` to the claim; a refusal shows the page again with the message beside
    the ``form`` that was refused ("edit": the wording form, with the wording ``typed``
    kept, see :func:`_edit_again`; "state": the dismiss/restore button)."""
    db = get_db()
    found = visible_claim(claim_id)
    target = url_for("review.article", article_id=found["article_id"], claim=claim_id)
    try:
        updated = change(db, found)
    except store.Invalid as exc:
        if wants_json():
            return jsonify({"error": str(exc), "status": 400}), 400
        if form == "edit":
            return _edit_again(found, typed, str(exc))
        refused = {"form": form, "error": str(exc), "field": None}
        return review_again(found, 400, refused=refused)
    except store.Conflict as exc:
        message = "This claim was changed by someone else; here is the current version."
        if wants_json():
            return jsonify({"error": message, "status": 409, "current": exc.current}), 409
        current = visible_claim(claim_id)
        if form == "edit":
            message = (
                "This claim was changed by someone else since you opened it; its wording now is"
                " shown above. Your wording is kept here: check it and save again."
            )
            return _edit_again(current, typed, message, 409)
        return review_again(current, 409, refused={"form": form, "error": message, "field": None})
    if wants_json():
        return jsonify({"ok": True, "claim": updated})
    flash(success)
    return redirect(target)


@bp.route("/claims/<int:claim_id>/edit", methods=["POST"])
@login_required
@validates_own_csrf
def edit_claim(claim_id: int) -> Any:
    form = EditClaimForm()
    typed = form.text.data or ""
    if not form.validate():
        message = (
            "The form's security token expired; save again (your wording is kept)."
            if form.csrf_token.errors
            else form.storable_error or "Give the claim's wording."
        )
        return _claim_change(claim_id, _invalid(message), "", form="edit", typed=typed)
    return _shape_claim(
        claim_id,
        "wording",
        form.text.data,
        form.version.data,
        lambda db, c: store.edit_claim_text(
            db, claim_id, form.text.data, form.version.data, g.user["id"]
        ),
        "Claim wording saved.",
        form="edit",
        typed=typed,
    )


@bp.route("/claims/<int:claim_id>/claimant", methods=["POST"])
@login_required
@validates_own_csrf
def set_claimant(claim_id: int) -> Any:
    """Say who made the claim (a person or an organization) or that the publication did, as
    the wording is changed (:func:`access.claim_shaping`): directly, or as a proposal to the
    editors (reviewers); on a published article only through a correction. A refused form is
    shown again with what was typed and the error by its field; a claimant changed elsewhere
    meanwhile is shown beside it, not overwritten."""
    db = get_db()
    found = visible_claim(claim_id)
    as_json = wants_json()
    form = ClaimantForm()
    # Who changes the claimant: whoever changes the wording directly (access.claim_shaping).
    mode = access.claim_shaping(db, g.user, store.get_article_head(db, found["article_id"]))
    if mode == access.CORRECTION:
        return _claimant_refused(found, form, proposals.PUBLISHED_MESSAGE, 409)
    if not form.validate():
        message = refusal(form, "Check the claimant.")
        if as_json:
            return jsonify({"error": message, "status": 400, "fields": form.errors}), 400
        return _claimant_refused(found, form, None, 400, message)
    try:
        if mode == access.PROPOSE:  # (reviewers: an editor accepts or rejects it)
            proposal = store.propose(
                db,
                claim_id,
                g.user["id"],
                "claimant",
                None,
                form.reason.data,
                form.version.data,
                claimant=form.claimant.data,
                claimant_kind=form.claimant_kind.data,
            )
            if as_json:
                return jsonify({"ok": True, "proposal": proposal})
            flash("Claimant proposed: an editor accepts or rejects it.")
            target = url_for("review.article", article_id=found["article_id"], claim=claim_id)
            return redirect(target + "#panel")
        updated = store.set_claimant(
            db,
            claim_id,
            form.claimant.data,
            form.claimant_kind.data,
            form.version.data,
            g.user["id"],
        )
    except store.Invalid as exc:
        return _claimant_refused(found, form, str(exc), 400)
    except store.Conflict as exc:
        message = (
            "Someone changed this claim since you opened it; its saved claimant is shown. "
            "Your entry is kept: save it again to replace theirs."
        )
        if as_json:
            return jsonify({"error": message, "status": 409, "current": exc.current}), 409
        form.version.data = exc.current["version"]
        return _claimant_refused(
            exc.current, form, None, 409, message, claimant_conflict=exc.current
        )
    if as_json:
        return jsonify({"ok": True, "claim": updated})
    flash("Claimant saved.")
    target = url_for("review.article", article_id=found["article_id"], claim=claim_id)
    return redirect(target + "#panel")


def _claimant_refused(
    claim: dict[str, Any],
    form: ClaimantForm,
    error: str | None,
    status: int,
    message: str | None = None,
    **more: Any,
) -> Any:
    """The review page with the claimant form as submitted, its error by the field."""
    if wants_json():
        return jsonify({"error": error or message, "status": status}), status
    flash(message or error or "")
    context, extra = review_context(claim["article_id"], claim["id"], False)
    panel, panel_extra = panel_context(
        {**context["selected"], **claim}, claimant_form=claimant_fields(claim, form, error)
    )
    context.update(panel, **more)
    extra.update(panel_extra)
    return render("review/review.html", context, status=status, **extra)


def _edit_again(claim: dict[str, Any], text: str | None, error: str, status: int = 400) -> Any:
    """The review page with the claim's *Edit wording* form open again: the wording as typed,
    the error next to it, the claim's version now (a conflict shows its wording above)."""
    refused = {"form": "edit", "error": error, "field": "text"}
    return review_again(claim, status, refused=refused, edit_text=text or "")


@bp.route("/claims/<int:claim_id>/dismiss", methods=["POST"])
@login_required
def dismiss_claim(claim_id: int) -> Any:
    return _set_dismissed(claim_id, True, "Claim dismissed; restore it from the claim list.")


@bp.route("/claims/<int:claim_id>/restore", methods=["POST"])
@login_required
def restore_claim(claim_id: int) -> Any:
    return _set_dismissed(claim_id, False, "Claim restored.")


def _set_dismissed(claim_id: int, dismissed: bool, success: str) -> Any:
    form = ClaimStateForm()
    if not form.validate():
        return _claim_change(claim_id, _invalid("The claim's version is missing."), "")
    return _shape_claim(
        claim_id,
        "dismiss" if dismissed else "restore",
        None,
        form.version.data,
        lambda db, c: store.set_claim_dismissed(
            db, claim_id, dismissed, form.version.data, g.user["id"]
        ),
        success,
    )


def _shape_claim(
    claim_id: int,
    kind: str,
    text: str | None,
    version: int,
    change: Any,
    success: str,
    **refusal: Any,
) -> Any:
    """A change of the claim's wording or dismissal, as :func:`access.claim_shaping` allows
    it: made directly, sent to the editors as a proposal (reviewers), or refused (a published
    article's claims change only through an editor's correction). ``refusal`` goes to
    :func:`_claim_change` (which form shows a refusal, what was typed)."""
    db = get_db()
    found = visible_claim(claim_id)
    article = store.get_article_head(db, found["article_id"])
    mode = access.claim_shaping(db, g.user, article)
    if mode == access.PROPOSE:
        return proposals.submit_proposal(found, kind, text, "", version)
    if mode == access.CORRECTION:
        message = proposals.PUBLISHED_MESSAGE
        if wants_json():
            return jsonify({"error": message, "status": 409}), 409
        flash(message)
        target = proposals.correction_url(found) or (
            url_for("review.article", article_id=found["article_id"], claim=claim_id) + "#panel"
        )
        return redirect(target)
    return _claim_change(claim_id, change, success, **refusal)


def _invalid(message: str) -> Any:
    def fail(db: Any, claim: Any) -> Any:
        raise store.Invalid(message)

    return fail


@bp.route("/claims/<int:claim_id>/history")
@login_required
def history(claim_id: int) -> Any:
    db = get_db()
    found = visible_claim(claim_id)
    entries = access.visible_history(db, g.user, claim_id, store.claim_history(db, claim_id))
    return render("review/history.html", {"claim": found, "entries": entries})
