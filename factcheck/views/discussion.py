"""Talking about claims: a claim's comment thread, an editor handing a verdict back, the inbox.

The thread is part of the claim's panel (``review/_discussion.html``, given its data by
:func:`panel_extra`); its forms post here. Who sees which comment is
:func:`factcheck.access.visible_comments`'s (blind review hides other reviewers' comments
until one's own verdict is saved); every state change is a POST with its CSRF token; a
refused comment comes back in the panel with what was typed and the message beside it.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    request,
    url_for,
)
from flask_wtf.csrf import validate_csrf
from wtforms import ValidationError

from .. import access, limits, mail, store
from ..db import get_db
from ..store import discussion
from ..web import render, validates_own_csrf, wants_json
from .auth import login_required

bp = Blueprint("discussion", __name__)

COMMENT_HINT = (
    "Markdown works. A comment is not a verdict: never say what you or another reviewer rated"
    " the claim. Write @name to tell a colleague."
)
INBOX_PAGE = 50


def _blind() -> bool:
    return store.get_settings(get_db())["blind_verdicts"]


def panel_extra(
    claim: dict[str, Any], verdicts: list[dict[str, Any]], blind: bool | None = None
) -> dict[str, Any]:
    """What the claim panel's discussion part shows the logged-in user: the comments they may
    see (and how many are hidden), their own open hand-back, and for editors the verdicts
    they may return (``verdicts``: :func:`factcheck.store.list_verdicts` of the claim, the
    user's own among them; ``blind``: the desk's setting, when the caller has read it)."""
    db = get_db()
    if blind is None:
        blind = _blind()
    comments = store.list_comments(db, claim["id"])
    # (whether the user sees the others: as access.sees_others, from the verdicts at hand)
    sees = (
        access.is_editor(g.user) or not blind or any(v["user_id"] == g.user["id"] for v in verdicts)
    )
    shown, hidden = access.visible_comments(db, g.user, claim["id"], comments, blind, sees)
    returns = store.open_returns_in(comments)  # (each return is a comment: read with them)
    editor = access.can_return_verdicts(g.user)
    return {
        "discussion": {
            "claim_id": claim["id"],
            "comments": shown,
            # (blind review: whether other reviewers' comments are held back, never how many)
            "hidden": bool(hidden) or not sees,
            "my_return": returns.get(g.user["id"]),
            # (editors: every verdict but their own, and whether it is returned now)
            "returnable": [
                {
                    "user_id": v["user_id"],
                    "reviewer": v["reviewer"],
                    "returned": v["user_id"] in returns,
                }
                for v in verdicts
                if v["user_id"] != g.user["id"]
            ]
            if editor
            else [],
            "returns": list(returns.values()) if editor else [],
            "returned_ids": set(returns),
            "hint": COMMENT_HINT,
            "typed": "",
            "error": None,
            "return_form": {"reviewer": None, "typed": "", "error": None},
        }
    }


TOKEN_EXPIRED = "The form's security token expired; post again (your text is kept here)."


def _token_ok() -> bool:
    """Whether the form's CSRF token is good (these forms check it themselves, so that a
    stale one comes back with the text typed, not as an error page)."""
    try:
        validate_csrf(request.form.get("csrf_token") or request.headers.get("X-CSRFToken"))
    except ValidationError:
        return False
    return True


def _claim(claim_id: int) -> dict[str, Any]:
    from .review_panel import visible_claim

    return visible_claim(claim_id)


def _refused(claim: dict[str, Any], status: int, error: str, form: str, **typed: Any) -> Any:
    """The review page at the claim with the refused comment or hand-back form as submitted,
    the message beside the field (JSON clients get the error)."""
    if wants_json():
        return jsonify({"error": error, "status": status}), status
    from .review_page import review_again

    refused = {"form": form, "error": error, "field": "body"}
    return review_again(claim, status, refused=refused, discussion_typed=typed)


@bp.route("/claims/<int:claim_id>/comments")
@login_required
def thread(claim_id: int) -> Any:
    """The claim's thread as the panel shows it (the page's script reloads it from here)."""
    found = _claim(claim_id)
    verdicts = store.list_verdicts(get_db(), claim_id)
    extra = panel_extra(found, verdicts)
    if wants_json():
        data = extra["discussion"]
        return jsonify({key: data[key] for key in ("claim_id", "comments", "hidden")})
    return render("review/_discussion.html", {"selected": found}, **extra)


@bp.route("/claims/<int:claim_id>/comments", methods=["POST"])
@login_required
@validates_own_csrf
def add_comment(claim_id: int) -> Any:
    db = get_db()
    found = _claim(claim_id)
    body = request.form.get("body", "")
    if not _token_ok():
        return _refused(found, 400, TOKEN_EXPIRED, "comment", body=body)
    audience = access.mention_audience(db, g.user, found, "comment", _blind())
    try:
        comment = store.add_comment(db, claim_id, g.user["id"], body, audience)
    except store.Invalid as exc:
        return _refused(found, 400, str(exc), "comment", body=body)
    except store.Busy:
        return _refused(
            found,
            503,
            "The database is busy; your comment is kept here: post it again.",
            "comment",
            body=body,
        )
    told = [u["username"] for u in comment.pop("mentioned")]
    if wants_json():
        return jsonify({"ok": True, "comment": comment, "mentioned": told}), 201
    flash("Comment posted." + (f" Told: {', '.join(told)}." if told else ""))
    return redirect(_claim_page(found) + "#comments")


@bp.route("/claims/<int:claim_id>/return", methods=["POST"])
@login_required
@validates_own_csrf
def return_verdict(claim_id: int) -> Any:
    """An editor sends a reviewer's verdict back with a comment."""
    if not access.can_return_verdicts(g.user):
        abort(403)
    db = get_db()
    found = _claim(claim_id)
    body = request.form.get("body", "")
    reviewer = limits.parse_id(request.form.get("reviewer") or "")
    typed = {"body": body, "reviewer": reviewer}
    if not _token_ok():
        return _refused(found, 400, TOKEN_EXPIRED, "return", **typed)
    if reviewer is None:
        return _refused(found, 400, "Choose whose verdict to return.", "return", **typed)
    audience = access.mention_audience(db, g.user, found, "return", _blind())
    try:
        back = store.return_verdict(db, claim_id, reviewer, g.user["id"], body, audience)
    except store.Invalid as exc:
        return _refused(found, 400, str(exc), "return", **typed)
    except store.Conflict:
        return _refused(
            found,
            409,
            "That verdict is returned already; its reviewer has not saved it again.",
            "return",
            **typed,
        )
    name = back["comment"]["returned_reviewer"]
    if wants_json():
        back["comment"].pop("mentioned", None)
        return jsonify({"ok": True, "return": back}), 201
    flash(f"Verdict returned to {name}: it shows as returned until they save it again.")
    return redirect(_claim_page(found) + "#comments")


def _claim_page(claim: dict[str, Any]) -> str:
    return url_for("review.article", article_id=claim["article_id"], claim=claim["id"])


# Inbox ---------------------------------------------------------------------------------------


def _inbox_page(
    unread_only: bool = False,
    before: int | None = None,
    status: int = 200,
    email_error: str | None = None,
    email_typed: str | None = None,
) -> Any:
    db = get_db()
    items = discussion.list_inbox(
        db, g.user["id"], unread_only=unread_only, limit=INBOX_PAGE + 1, before=before
    )
    more = len(items) > INBOX_PAGE
    items = items[:INBOX_PAGE]
    context = {
        "items": items,
        "unread": store.unread_count(db, g.user["id"]),
        "unread_only": unread_only,
        "older": items[-1]["id"] if more else None,
        "email": discussion.get_email(db, g.user["id"]),
        "mail_on": mail.enabled(current_app.config),
    }
    return render(
        "inbox/index.html",
        context,
        status=status,
        email_error=email_error,
        email_typed=email_typed,
    )


@bp.route("/inbox")
@login_required
def inbox() -> Any:
    """What concerns the user, newest first (``?show=unread``: the unread ones only)."""
    before = limits.parse_id(request.args.get("before") or "")
    return _inbox_page(request.args.get("show") == "unread", before)


@bp.route("/inbox/<int:item_id>/open", methods=["POST"])
@login_required
def open_item(item_id: int) -> Any:
    """Mark the item read and go to what it is about."""
    db = get_db()
    item = discussion.get_inbox_item(db, g.user["id"], item_id)
    discussion.mark_read(db, g.user["id"], [item_id])
    return redirect(request.script_root + item["subject_url"], 303)


@bp.route("/inbox/read", methods=["POST"])
@login_required
def mark_read() -> Any:
    """Mark the items given (``item`` fields) read, or all of them (``all``); or one unread
    again (``unread``)."""
    db = get_db()
    unread = limits.parse_id(request.form.get("unread") or "")
    if unread is not None:
        changed = discussion.mark_unread(db, g.user["id"], unread)
    elif request.form.get("all"):
        changed = discussion.mark_read(db, g.user["id"])
    else:
        ids = [limits.parse_id(v) for v in request.form.getlist("item")]
        changed = discussion.mark_read(db, g.user["id"], [i for i in ids if i is not None])
    if wants_json():
        return jsonify(
            {"ok": True, "changed": changed, "unread": store.unread_count(db, g.user["id"])}
        )
    return redirect(url_for("discussion.inbox", show=request.form.get("show") or None), 303)


@bp.route("/inbox/email", methods=["POST"])
@login_required
def set_email() -> Any:
    """The address the user's inbox items are e-mailed to (empty: none)."""
    db = get_db()
    typed = request.form.get("email", "")
    try:
        address = discussion.set_email(db, g.user["id"], typed)
    except store.Invalid as exc:
        if wants_json():
            return jsonify({"error": str(exc), "status": 400}), 400
        return _inbox_page(status=400, email_error=str(exc), email_typed=typed)
    if wants_json():
        return jsonify({"ok": True, "email": address})
    flash(f"Inbox items are e-mailed to {address}." if address else "No e-mail: the inbox only.")
    return redirect(url_for("discussion.inbox") + "#email", 303)


def unread_count() -> int:
    """The logged-in user's unread items (the menu's count)."""
    user = g.get("user")
    if user is None or user.get("id") is None:
        return 0
    try:
        return store.unread_count(get_db(), user["id"])
    except (sqlite3.Error, store.StoreError):  # (an error page about the database itself)
        return 0
