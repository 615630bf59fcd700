"""The API's discussion (routes of the ``api`` blueprint): a claim's comments, verdicts an
editor returns to their reviewer, and the caller's inbox.

The same rules as the browser's (:mod:`factcheck.views.discussion`): whoever may see the claim
reads its thread and comments on it, blind review holding back other reviewers' comments (and
the hand-backs of their verdicts) until the caller has saved a verdict; editors and admins
return a verdict with a reason (others: 403); ``@name`` mentions reach only users who may see
the claim. Comments are Markdown, stored with their sanitised HTML
(:func:`factcheck.sanitize.render_markdown`). The inbox is the caller's own.
"""

from __future__ import annotations

from typing import Any

from flask import g, jsonify, url_for

from .. import access, limits, store
from ..db import get_db
from ..store import discussion
from .api import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    ApiError,
    _blind,
    _bool_arg,
    _check_fields,
    _int_arg,
    _json_body,
    _visible_claim,
    route,
)

_COMMENT_KEYS = ("id", "claim_id", "kind", "body", "body_html", "created_at", "updated_at")


def _comment(row: dict[str, Any]) -> dict[str, Any]:
    """A comment as the API gives it: its author, Markdown and HTML, and for a hand-back
    whose verdict it returned and whether that reviewer saved it again since."""
    out = {key: row.get(key) for key in _COMMENT_KEYS} | {"author": row.get("username")}
    if row.get("kind") == "return":
        out["returned_reviewer"] = row.get("returned_reviewer")
        out["return_resolved_at"] = row.get("return_resolved_at")
    return out


def _return(row: dict[str, Any]) -> dict[str, Any]:
    """An open return: whose verdict, who returned it, why and when."""
    return {
        "id": row["id"],
        "claim_id": row["claim_id"],
        "reviewer": row.get("reviewer_name"),
        "returned_by": row.get("returned_by_name"),
        "reason": row.get("comment") or "",
        "reason_html": row.get("comment_html") or "",
        "created_at": row["created_at"],
    }


def _text(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ApiError(422, f"'{key}' is required: Markdown text.")
    if len(value) > discussion.MAX_COMMENT:
        raise ApiError(422, f"'{key}' is at most {discussion.MAX_COMMENT:,} characters.")
    return value


# Comments ------------------------------------------------------------------------------------


@route("/claims/<int:claim_id>/comments", methods=["GET"])
def claim_comments(claim_id: int) -> Any:
    """The claim's comments the caller may see, oldest first, and whether blind review holds
    other reviewers' comments back (never how many)."""
    db = get_db()
    claim = _visible_claim(claim_id)
    blind = _blind()
    shown, hidden = access.visible_comments(
        db, g.user, claim_id, store.list_comments(db, claim_id), blind
    )
    return jsonify(
        {
            "claim_id": claim["id"],
            "comments": [_comment(c) for c in shown],
            "hidden": bool(hidden) or not access.sees_others(db, g.user, claim_id, blind),
        }
    )


@route("/claims/<int:claim_id>/comments", methods=["POST"])
def post_comment(claim_id: int) -> Any:
    """Comment on the claim (``{"body": Markdown}``): 201 with the comment and the users its
    ``@mentions`` told."""
    db = get_db()
    claim = _visible_claim(claim_id)
    data = _json_body()
    _check_fields(data, ("body",))
    body = _text(data, "body")
    audience = access.mention_audience(db, g.user, claim, "comment", _blind())
    comment = store.add_comment(db, claim_id, g.user["id"], body, audience)
    told = [u["username"] for u in comment.pop("mentioned")]
    found = next(c for c in store.list_comments(db, claim_id) if c["id"] == comment["id"])
    response = jsonify({"comment": _comment(found), "mentioned": told})
    response.status_code = 201
    response.headers["Location"] = url_for("api.claim_comments", claim_id=claim_id)
    return response


# Returned verdicts ---------------------------------------------------------------------------


@route("/claims/<int:claim_id>/returns", methods=["GET"])
def claim_returns(claim_id: int) -> Any:
    """The claim's open returns (verdicts returned and not saved again): every one for
    editors and admins, the caller's own for a reviewer."""
    db = get_db()
    _visible_claim(claim_id)
    returns = store.open_returns(db, claim_id)
    if not access.can_return_verdicts(g.user):
        returns = {k: v for k, v in returns.items() if k == g.user["id"]}
    return jsonify({"claim_id": claim_id, "returns": [_return(r) for r in returns.values()]})


@route("/claims/<int:claim_id>/returns", methods=["POST"])
def post_return(claim_id: int) -> Any:
    """An editor returns a reviewer's verdict with a reason (``{"reviewer": username,
    "reason": Markdown}``): 201 with the return; 409 when it is returned already and not
    saved again since; 403 for reviewers."""
    if not access.can_return_verdicts(g.user):
        raise ApiError(403, "Only editors and admins return verdicts.")
    db = get_db()
    claim = _visible_claim(claim_id)
    data = _json_body()
    _check_fields(data, ("reviewer", "reason"))
    name = data.get("reviewer")
    if not isinstance(name, str) or not name.strip():
        raise ApiError(422, "'reviewer' is required: the username whose verdict to return.")
    try:
        reviewer = store.user_by_name(db, name.strip())
    except store.NotFound:
        raise ApiError(422, f"There is no user named {name.strip()!r}.") from None
    reason = _text(data, "reason")
    audience = access.mention_audience(db, g.user, claim, "return", _blind())
    try:
        store.return_verdict(db, claim_id, reviewer["id"], g.user["id"], reason, audience)
    except store.Conflict:
        raise ApiError(
            409, "That verdict is returned already; its reviewer has not saved it again."
        ) from None
    back = store.open_returns(db, claim_id)[reviewer["id"]]
    response = jsonify({"return": _return(back)})
    response.status_code = 201
    response.headers["Location"] = url_for("api.claim_returns", claim_id=claim_id)
    return response


# Inbox ---------------------------------------------------------------------------------------


def _item(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "kind": row["kind"],
        "label": row.get("label"),
        "text": row["text"],
        "actor": row.get("actor"),
        "url": row["subject_url"],
        "created_at": row["created_at"],
        "read_at": row["read_at"],
    }


@route("/inbox", methods=["GET"])
def inbox() -> Any:
    """The caller's inbox items, newest first (``unread=true``: unread only; ``before``: items
    older than that id; ``limit``), with the unread count and the next page's address."""
    limit = _int_arg("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    before = _int_arg("before", 0, 0) or None
    unread_only = _bool_arg("unread")
    db = get_db()
    rows = discussion.list_inbox(
        db, g.user["id"], unread_only=unread_only, limit=limit + 1, before=before
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return jsonify(
        {
            "items": [_item(row) for row in rows],
            "unread": store.unread_count(db, g.user["id"]),
            "next": url_for(
                "api.inbox",
                before=rows[-1]["id"],
                limit=limit,
                unread="true" if unread_only else None,
            )
            if more
            else None,
        }
    )


@route("/inbox/read", methods=["POST"])
def inbox_read() -> Any:
    """Mark the caller's items read (``{"items": [ids]}``, or ``{"all": true}``) or one
    unread again (``{"unread": id}``): how many changed and the unread count."""
    data = _json_body()
    _check_fields(data, ("items", "all", "unread"))
    given = [key for key in ("items", "all", "unread") if data.get(key) not in (None, False)]
    if len(given) != 1:
        raise ApiError(422, "Give one of 'items' (a list of ids), 'all': true or 'unread' (an id).")
    db = get_db()
    user_id = g.user["id"]
    if given == ["unread"]:
        item = limits.parse_id(str(data["unread"]))
        if item is None or isinstance(data["unread"], bool):
            raise ApiError(422, "'unread' must be an inbox item's id.")
        changed = discussion.mark_unread(db, user_id, item)
    elif given == ["all"]:
        if data["all"] is not True:
            raise ApiError(422, "'all' must be true.")
        changed = discussion.mark_read(db, user_id)
    else:
        items = data["items"]
        if not isinstance(items, list) or len(items) > MAX_LIMIT:
            raise ApiError(422, f"'items' must be a list of at most {MAX_LIMIT} ids.")
        ids = [limits.parse_id(str(i)) if not isinstance(i, bool) else None for i in items]
        if any(i is None for i in ids):
            raise ApiError(422, "'items' must hold inbox items' ids.")
        changed = discussion.mark_read(db, user_id, ids)
    return jsonify({"changed": changed, "unread": store.unread_count(db, user_id)})
