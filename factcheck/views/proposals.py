"""Proposals to change a claim: reviewers propose a new wording, a dismissal or a restore;
editors accept or reject them (in the claim's panel, or on the desk's list of open ones).

Who changes a claim directly, who proposes and who makes a correction is decided by
:func:`factcheck.access.claim_shaping`; the edit routes of :mod:`.review` ask it too.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, g, jsonify, redirect, url_for

from .. import access, store
from ..db import get_db
from ..forms import DecisionForm, ProposalForm, ProposalWithdrawForm
from ..web import render, wants_json
from ..wordiff import word_diff
from .auth import login_required, role_required

bp = Blueprint("proposals", __name__)

PUBLISHED_MESSAGE = (
    "This article is published: its claims change only through an editor's correction with a"
    " note (published: make a correction)."
)


PUBLISHED_STATE_MESSAGE = (
    "This article is published: dismissing or restoring its claim is a withdrawal or a"
    " correction with a note, made on the claim's correction page (published: make a"
    " correction). Reject the proposal here, or make the change there."
)


def correction_url(claim: dict[str, Any]) -> str | None:
    """Where an editor corrects a published claim (views/corrections.py)."""
    return url_for("corrections.correct_claim", claim_id=claim["id"])


def with_diff(proposal: dict[str, Any] | None) -> dict[str, Any] | None:
    """The proposal with ``diff``: its wording's changes word by word (plain runs, see
    :func:`factcheck.wordiff.word_diff`), and ``current_diff`` against the claim's wording now
    when that changed since."""
    if proposal is None:
        return None
    proposal = dict(proposal)
    if proposal["kind"] == "wording":
        proposal["diff"] = word_diff(proposal["base_text"], proposal["text"])
        proposal["current_diff"] = (
            word_diff(proposal["claim_text"], proposal["text"])
            if proposal["claim_text"] != proposal["base_text"]
            else None
        )
    return proposal


def shaping_context(
    claim: dict[str, Any],
    article: dict[str, Any] | None = None,
    propose: dict[str, Any] | None = None,
    decision: dict[str, Any] | None = None,
    settings: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """What the claim's panel shows about changing the claim: the user's way to change it
    (``shaping``), their open proposal, the form to propose (``propose``: a refused one's
    values and error), and for editors the claim's open proposals (``decision``: a refused
    decision's values and error). ``article`` (its head) and ``settings``: when the caller
    has read them already (the review page reads each once)."""
    db = get_db()
    if article is None:
        article = store.get_article_head(db, claim["article_id"])
    mode = access.claim_shaping(db, g.user, article, settings)
    deciding = access.can_decide_proposals(g.user)  # (theirs is among the claim's open ones)
    open_ones, decided_last = store.panel_proposals(
        db,
        claim["id"],
        g.user["id"],
        every_open=deciding,
        decided=mode != access.DIRECT or not access.is_editor(g.user),
    )
    mine = with_diff(next((p for p in open_ones if p["user_id"] == g.user["id"]), None))
    if not deciding:
        open_ones = []
    if propose is None:
        wording = mine is not None and mine["kind"] == "wording"
        propose = {
            "kind": None,
            "text": mine["text"] if wording else claim["text"],
            "reason": mine["reason"] if wording else "",
            "version": claim["version"],
            "error": None,
        }
    pending = [decided(with_diff(p), decision) for p in open_ones]
    decided_last = with_diff(decided_last)
    return {
        "shaping": mode,
        "published": article.get("published_at") is not None,
        "my_proposal": mine,
        "my_decided": decided_last,
        "propose": propose,
        "pending_proposals": pending,
        "correction_url": correction_url(claim) if mode == access.CORRECTION else None,
    }


def decided(proposal: dict[str, Any], decision: dict[str, Any] | None) -> dict[str, Any]:
    """The proposal with the decision form's values: a refused one's (note kept, its error and
    any conflict), else empty."""
    if decision is not None and decision["id"] == proposal["id"]:
        proposal["form"] = decision
    else:
        proposal["form"] = {
            "note": "",
            "claim_version": proposal["base_version"],
            "error": None,
            "conflict": None,
        }
    return proposal


def _review_again(claim: dict[str, Any], status: int, **shaping: Any) -> Any:
    """The review page with the claim's panel showing a refused form."""
    from .review_page import review_context
    from .review_panel import panel_context

    context, extra = review_context(claim["article_id"], claim["id"], False)
    panel, panel_extra = panel_context(claim, shaping=shaping)
    context.update(panel)
    extra.update(panel_extra)
    return render("review/review.html", context, status=status, **extra)


def _back_to_claim(claim: dict[str, Any]) -> Any:
    return redirect(
        url_for("review.article", article_id=claim["article_id"], claim=claim["id"]) + "#panel"
    )


def submit_proposal(
    claim: dict[str, Any], kind: str, text: str | None, reason: str | None, version: int | None
) -> Any:
    """Store the user's proposal and answer (also for the edit routes, whose changes by a
    reviewer become proposals); a refused one shows the form again with its values."""
    db = get_db()
    error, conflict = None, None
    try:
        proposal = store.propose(db, claim["id"], g.user["id"], kind, text, reason, version)
    except store.Conflict as exc:
        conflict = exc.current
        error = (
            "The claim was changed since you opened it; its wording now is shown. Check your"
            " proposal against it and send it again."
        )
    except store.Invalid as exc:
        error = str(exc)
    if error is not None:
        if wants_json():
            return jsonify({"error": error, "status": 409 if conflict else 400}), (
                409 if conflict else 400
            )
        current = store.get_claim(db, claim["id"])
        values = {
            "kind": kind,
            "text": text if kind == "wording" else current["text"],
            "reason": reason or "",
            "version": current["version"],
            "error": error,
        }
        return _review_again(current, 409 if conflict else 400, propose=values)
    if wants_json():
        return jsonify({"ok": True, "proposal": proposal})
    flash(
        {
            "wording": "Your wording change was sent to the editors as a proposal.",
            "dismiss": "Your proposal to dismiss the claim was sent to the editors.",
            "restore": "Your proposal to restore the claim was sent to the editors.",
        }[kind]
    )
    return _back_to_claim(claim)


@bp.route("/claims/<int:claim_id>/proposals", methods=["POST"])
@login_required
def propose(claim_id: int) -> Any:
    from .review_panel import visible_claim

    claim = visible_claim(claim_id)
    form = ProposalForm()
    if not form.validate():
        kind = form.kind.data if form.kind.data in ("wording", "dismiss", "restore") else None
        message = (
            "The form's security token expired: reload the page (copy your text first)."
            if form.csrf_token.errors
            else "; ".join(m for messages in form.errors.values() for m in messages)
        )
        if wants_json():
            return jsonify({"error": message, "status": 400}), 400
        values = {
            "kind": kind,
            "text": form.text.data if kind == "wording" else claim["text"],
            "reason": form.reason.data or "",
            "version": claim["version"],
            "error": message,
        }
        return _review_again(claim, 400, propose=values)
    return submit_proposal(
        claim, form.kind.data, form.text.data, form.reason.data, form.version.data
    )


@bp.route("/proposals/<int:proposal_id>/withdraw", methods=["POST"])
@login_required
def withdraw(proposal_id: int) -> Any:
    db = get_db()
    proposal = store.get_proposal(db, proposal_id)
    access.require_article(db, g.user, proposal["article_id"])
    form = ProposalWithdrawForm()
    claim = {"id": proposal["claim_id"], "article_id": proposal["article_id"]}
    if not form.validate():
        flash("The form's security token expired: reload the page.")
        return _back_to_claim(claim)
    try:
        store.withdraw_proposal(db, proposal_id, g.user["id"], form.version.data)
    except store.Conflict:
        flash("You changed this proposal elsewhere since; here it is as it is now.")
        return _back_to_claim(claim)
    except store.Invalid as exc:
        flash(str(exc))
        return _back_to_claim(claim)
    if wants_json():
        return jsonify({"ok": True})
    flash("Proposal withdrawn.")
    return _back_to_claim(claim)


@bp.route("/proposals/<int:proposal_id>/accept", methods=["POST"])
@role_required("admin", "editor")
def accept(proposal_id: int) -> Any:
    return _decide(proposal_id, True)


@bp.route("/proposals/<int:proposal_id>/reject", methods=["POST"])
@role_required("admin", "editor")
def reject(proposal_id: int) -> Any:
    return _decide(proposal_id, False)


def _decide(proposal_id: int, accepting: bool) -> Any:
    db = get_db()
    proposal = store.get_proposal(db, proposal_id)
    form = DecisionForm()
    back = "desk" if form.back.data == "desk" else "panel"
    error, conflict, status = None, None, 400
    if not form.validate():
        error = (
            "The form's security token expired: reload the page (copy your note first)."
            if form.csrf_token.errors
            else "; ".join(m for messages in form.errors.values() for m in messages)
        )
    else:
        try:
            store.decide_proposal(
                db,
                proposal_id,
                g.user["id"],
                accepting,
                form.note.data,
                form.version.data,
                form.claim_version.data,
            )
        except store.PublishedClaim:
            error = PUBLISHED_STATE_MESSAGE
        except store.Conflict as exc:
            status = 409
            if "base_version" in exc.current:  # (the proposal changed)
                error = "The reviewer changed this proposal since you opened it; here it is now."
            else:
                conflict = exc.current
                error = (
                    "The claim was changed since this proposal was made: its wording now is"
                    " shown. Accept again to apply the proposal over it, or reject it."
                )
        except store.Invalid as exc:
            error = str(exc)
    if error is None:
        if wants_json():
            return jsonify({"ok": True, "proposal": store.get_proposal(db, proposal_id)})
        flash("Proposal accepted: the claim is changed." if accepting else "Proposal rejected.")
        if back == "desk":
            return redirect(url_for("proposals.index"))
        return _back_to_claim({"id": proposal["claim_id"], "article_id": proposal["article_id"]})
    if wants_json():
        return jsonify({"error": error, "status": status}), status
    current = store.get_proposal(db, proposal_id)
    decision = {
        "id": proposal_id,
        "note": form.note.data or "",
        "claim_version": current["claim_version"] if conflict else current["base_version"],
        "error": error,
        "conflict": conflict,
        "accepting": accepting,
    }
    if current["status"] != "open":
        flash(error)
        return redirect(url_for("proposals.index"))
    if back == "desk":
        return _index(decision, status)
    claim = store.get_claim(db, proposal["claim_id"])
    return _review_again(claim, status, decision=decision)


@bp.route("/desk/proposals")
@role_required("admin", "editor")
def index() -> Any:
    return _index(None, 200)


def _index(decision: dict[str, Any] | None, status: int) -> Any:
    db = get_db()
    proposals = [decided(with_diff(p), decision) for p in store.list_open_proposals(db)]
    return render(
        "desk/proposals.html",
        {"proposals": proposals, "published_message": PUBLISHED_MESSAGE},
        status=status,
    )
