"""Talking about claims: comments, verdicts handed back by an editor, and each user's inbox.

- **Comments**: one thread per claim, Markdown rendered through
  :func:`factcheck.sanitize.render_markdown` when written (``body_html``). ``@name`` in a
  comment mentions a user: an inbox item for them, if the caller's ``audience`` lets them
  know (:func:`factcheck.access.mention_audience`: who may see the claim, and whether the
  comment is hidden from them by blind review).
- **Hand-back** (``verdict_returns``): an editor returns a reviewer's verdict with a comment
  saying why. The return stays open until the reviewer saves the verdict again
  (:func:`resolve_returns`, called in the save's own transaction by
  :func:`factcheck.store.record_verdict`). A verdict with an open return is *not current*:
  agreement and the disagreement queue leave it out (:func:`current_verdict_sql`).
- **Inbox** (``inbox_items``): what concerns a user, newest first, read state per user. Other
  modules add to it through :func:`notify` only (a proposal to decide, a new assignment ...).
  Items may also be sent by e-mail (:mod:`factcheck.mail`): :func:`claim_mail` hands out the
  unsent ones.

Every change is one ``BEGIN IMMEDIATE`` transaction with its audit entry (a comment and its
inbox items, a return with its comment and item); :func:`notify` joins the caller's
transaction when there is one.
"""

from __future__ import annotations

import html as html_module
import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlite_utils import Database

from .. import sanitize
from .base import Conflict, Invalid, NotFound, _audit, _row, _rows, now, transaction

MAX_COMMENT = 10_000
MAX_ITEM_TEXT = 500
MAX_EMAIL = 254
# Kinds of inbox items this module writes; other modules may add their own kinds.
MENTION, RETURNED, RESAVED, ASSIGNED, PROPOSAL = (
    "mention",
    "returned",
    "resaved",
    "assigned",
    "proposal",
)
KIND_LABELS = {
    "decided": "Proposal decided",
    MENTION: "Mention",
    RETURNED: "Verdict returned",
    RESAVED: "Verdict saved again",
    ASSIGNED: "New assignment",
    PROPOSAL: "Proposal to decide",
}
# ``@name``: a username (letters, digits, ``_ . -``; no spaces) not inside a word or address.
_MENTION = re.compile(r"(?<![\w@/.:])@([\w][\w.-]{0,63})")
_EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;.]+$")


def claim_url(claim_id: int) -> str:
    """The app-relative address of a claim (its review page opens at the claim's panel)."""
    return f"/claims/{int(claim_id)}"


def claim_label(db: Database, claim_id: int) -> str:
    """How an inbox item names a claim: its wording, shortened, in quotes."""
    row = _row(db, "SELECT text FROM claims WHERE id = ?", (claim_id,))
    if row is None:
        return f"claim {claim_id}"
    text = " ".join(str(row["text"]).split())
    return "“" + (text if len(text) <= 60 else text[:59].rstrip() + "…") + "”"


def current_verdict_sql(alias: str = "v") -> str:
    """SQL condition: the verdict ``alias`` is current (no open hand-back)."""
    return (
        f"NOT EXISTS (SELECT 1 FROM verdict_returns vr_ WHERE vr_.verdict_id = {alias}.id"
        " AND vr_.resolved_at IS NULL)"
    )


# Inbox ---------------------------------------------------------------------------------------


def _check_url(subject_url: str) -> str:
    """An app-relative path (``/claims/12``): never another site (the inbox redirects to it)."""
    url = str(subject_url or "")
    if not url.startswith("/") or url.startswith("//") or "\\" in url or not url.isprintable():
        raise Invalid("An inbox item links to a page of this app (a path starting with /).")
    return url


def notify(
    db: Database,
    user_id: int,
    kind: str,
    subject_url: str,
    text: str,
    actor_id: int | None = None,
) -> int | None:
    """Put an item in the user's inbox: ``kind`` (e.g. "mention", "proposal"), the page it is
    about (an app-relative path such as ``/claims/12``) and a line of plain text (at most
    500 characters kept). Nothing is added for the user's own actions (``user_id ==
    actor_id``). Joins the caller's open transaction, else makes its own. Returns the item's
    id (None when nothing was added)."""
    if user_id is None or (actor_id is not None and user_id == actor_id):
        return None
    url = _check_url(subject_url)
    line = " ".join(sanitize.strip_control(str(text or "")).split())
    if len(line) > MAX_ITEM_TEXT:
        line = line[: MAX_ITEM_TEXT - 1] + "…"
    sql = (
        "INSERT INTO inbox_items (user_id, kind, subject_url, text, actor_id, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)"
    )
    params = (user_id, str(kind), url, line, actor_id, now())
    if db.conn.in_transaction:
        return db.execute(sql, params).lastrowid
    with transaction(db):
        return db.execute(sql, params).lastrowid


_ITEM_SELECT = (
    "SELECT i.id, i.kind, i.subject_url, i.text, i.created_at, i.read_at, i.actor_id,"
    " u.username AS actor FROM inbox_items i LEFT JOIN users u ON u.id = i.actor_id"
)


def list_inbox(
    db: Database,
    user_id: int,
    *,
    unread_only: bool = False,
    limit: int = 50,
    before: int | None = None,
) -> list[dict[str, Any]]:
    """The user's inbox items, newest first (``before``: only items older than that id)."""
    where = "i.user_id = ?"
    params: list[Any] = [user_id]
    if unread_only:
        where += " AND i.read_at IS NULL"
    if before is not None:
        where += " AND i.id < ?"
        params.append(before)
    rows = _rows(
        db, f"{_ITEM_SELECT} WHERE {where} ORDER BY i.id DESC LIMIT ?", (*params, int(limit))
    )
    for row in rows:
        row["label"] = KIND_LABELS.get(row["kind"], row["kind"].replace("-", " ").capitalize())
    return rows


def get_inbox_item(db: Database, user_id: int, item_id: int) -> dict[str, Any]:
    """One of the user's items (another user's is :class:`NotFound`, as if absent)."""
    row = _row(db, f"{_ITEM_SELECT} WHERE i.id = ? AND i.user_id = ?", (item_id, user_id))
    if row is None:
        raise NotFound(f"inbox item {item_id}")
    return row


def unread_count(db: Database, user_id: int) -> int:
    """How many of the user's items are unread."""
    return db.execute(
        "SELECT count(*) FROM inbox_items WHERE user_id = ? AND read_at IS NULL", (user_id,)
    ).fetchone()[0]


def mark_read(db: Database, user_id: int, item_ids: Iterable[int] | None = None) -> int:
    """Mark the user's items read (``item_ids``; None: all of them). Returns how many changed.
    Ids of other users' items change nothing."""
    stamp = now()
    with transaction(db):
        if item_ids is None:
            cursor = db.execute(
                "UPDATE inbox_items SET read_at = ? WHERE user_id = ? AND read_at IS NULL",
                (stamp, user_id),
            )
        else:
            ids = sorted({int(i) for i in item_ids})
            if not ids:
                return 0
            cursor = db.execute(
                "UPDATE inbox_items SET read_at = ? WHERE user_id = ? AND read_at IS NULL"
                " AND id IN (SELECT value FROM json_each(?))",
                (stamp, user_id, "[" + ",".join(map(str, ids)) + "]"),
            )
        return cursor.rowcount


def mark_unread(db: Database, user_id: int, item_id: int) -> int:
    """Mark one of the user's items unread again."""
    with transaction(db):
        return db.execute(
            "UPDATE inbox_items SET read_at = NULL WHERE user_id = ? AND id = ?",
            (user_id, item_id),
        ).rowcount


def settle_items(db: Database, kind: str, subject_url: str) -> int:
    """Mark everyone's unread items of ``kind`` about ``subject_url`` read (in the caller's
    transaction): e.g. a proposal decided by one editor is no longer the others' to decide."""
    return db.execute(
        "UPDATE inbox_items SET read_at = ? WHERE kind = ? AND subject_url = ? AND read_at IS NULL",
        (now(), kind, subject_url),
    ).rowcount


# E-mail of inbox items ------------------------------------------------------------------------


def clean_email(email: Any) -> str | None:
    """An e-mail address as stored (None: no address); :class:`Invalid` when it is not one."""
    text = str(email or "").strip()
    if not text:
        return None
    if len(text) > MAX_EMAIL or not _EMAIL.match(text) or not text.isprintable():
        raise Invalid("Give an e-mail address such as name@example.org (or leave it empty).")
    return text


def set_email(db: Database, user_id: int, email: Any) -> str | None:
    """Set (or clear, with an empty value) the address the user's inbox items are mailed to."""
    address = clean_email(email)
    with transaction(db):
        row = _row(db, "SELECT email FROM users WHERE id = ?", (user_id,))
        if row is None:
            raise NotFound(f"user {user_id}")
        if row["email"] != address:
            db.execute(
                "UPDATE users SET email = ?, updated_at = ? WHERE id = ?",
                (address, now(), user_id),
            )
            _audit(
                db,
                user_id=user_id,
                action="email",
                table="users",
                row_id=user_id,
                before={"email": row["email"]},
                after={"email": address},
            )
    return address


def get_email(db: Database, user_id: int) -> str | None:
    """The user's address for inbox e-mail, or None."""
    row = _row(db, "SELECT email FROM users WHERE id = ?", (user_id,))
    return row["email"] if row else None


def claim_mail(db: Database, since: str, limit: int = 100) -> list[dict[str, Any]]:
    """Take the unsent, unread items created at ``since`` or later of active users with an
    e-mail address, marking them sent (so that two senders never send one twice); each with
    ``email`` and ``username``. Older items are never mailed (turning e-mail on does not
    send a backlog). A failed send gives them back with :func:`unclaim_mail`."""
    with transaction(db):
        rows = _rows(
            db,
            "SELECT i.id, i.kind, i.subject_url, i.text, i.created_at, u.email, u.username,"
            " a.username AS actor FROM inbox_items i JOIN users u ON u.id = i.user_id"
            " LEFT JOIN users a ON a.id = i.actor_id"
            " WHERE i.mailed_at IS NULL AND i.created_at >= ? AND i.read_at IS NULL"
            " AND u.email IS NOT NULL AND u.active ORDER BY i.id LIMIT ?",
            (since, int(limit)),
        )
        if rows:
            db.execute(
                "UPDATE inbox_items SET mailed_at = ? WHERE id IN (SELECT value FROM json_each(?))",
                (now(), "[" + ",".join(str(r["id"]) for r in rows) + "]"),
            )
    for row in rows:
        row["label"] = KIND_LABELS.get(row["kind"], row["kind"])
    return rows


def unclaim_mail(db: Database, item_ids: Sequence[int]) -> None:
    """Give items taken by :func:`claim_mail` back to be sent later (their send failed)."""
    if not item_ids:
        return
    with transaction(db):
        db.execute(
            "UPDATE inbox_items SET mailed_at = NULL WHERE id IN (SELECT value FROM json_each(?))",
            ("[" + ",".join(str(int(i)) for i in item_ids) + "]",),
        )


# Comments ------------------------------------------------------------------------------------


def mentioned_names(body: str) -> list[str]:
    """The ``@names`` in a comment, in order, each once (case kept as written)."""
    seen: dict[str, str] = {}
    for match in _MENTION.finditer(body or ""):
        name = match.group(1).rstrip(".-")
        if name and name.lower() not in seen:
            seen[name.lower()] = name
    return list(seen.values())


def _clean_body(body: Any) -> str:
    text = str(body or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise Invalid("Write a comment first.")
    if len(text) > MAX_COMMENT:
        raise Invalid(f"A comment is at most {MAX_COMMENT:,} characters.")
    return text


# Who hears of a mention: audience(user) -> "full" (the item quotes the comment), "hidden"
# (the comment is hidden from them for now: the item says so, without quoting it) or None.
Audience = Callable[[dict[str, Any]], str | None]


def _insert_comment(
    db: Database, claim: dict[str, Any], user_id: int, kind: str, body: str, html: str
) -> dict[str, Any]:
    stamp = now()
    comment_id = db.execute(
        "INSERT INTO comments (claim_id, user_id, kind, body, body_html, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (claim["id"], user_id, kind, body, html, stamp, stamp),
    ).lastrowid
    _audit(
        db,
        user_id=user_id,
        action=kind,
        table="comments",
        row_id=comment_id,
        claim_id=claim["id"],
        article_id=claim["article_id"],
        after={"body": body},
    )
    return get_comment(db, comment_id)


def _notify_mentions(
    db: Database, comment: dict[str, Any], audience: Audience | None, skip: Iterable[int] = ()
) -> list[dict[str, Any]]:
    """Inbox items for the users the comment mentions (in the open transaction)."""
    names = mentioned_names(comment["body"])
    if not names:
        return []
    skipped = set(skip) | {comment["user_id"]}
    users = _rows(
        db,
        "SELECT id, username, role, active FROM users WHERE active"
        " AND username IN (SELECT value FROM json_each(?)) ORDER BY id",
        ("[" + ",".join(_json_string(n) for n in names) + "]",),
    )
    told = []
    label = claim_label(db, comment["claim_id"])
    for user in users:
        if user["id"] in skipped:
            continue
        heard = audience(user) if audience is not None else "full"
        if heard is None:
            continue
        author = comment["username"]
        if heard == "full":
            quoted = plain_text(comment["body_html"])
            text = f"{author} mentioned you on {label}: {quoted}"
        else:
            text = (
                f"{author} mentioned you on {label}; you see the comment"
                " once you have saved your verdict."
            )
        notify(db, user["id"], MENTION, claim_url(comment["claim_id"]), text, comment["user_id"])
        told.append(user)
    return told


_TAG = re.compile(r"<[^>]*>")


def plain_text(html: str) -> str:
    """The text of a comment's sanitised HTML, on one line (what an inbox item quotes)."""
    return " ".join(html_module.unescape(_TAG.sub(" ", html or "")).split())


def _json_string(text: str) -> str:
    return json.dumps(text)


def add_comment(
    db: Database, claim_id: int, user_id: int, body: Any, audience: Audience | None = None
) -> dict[str, Any]:
    """Add the user's comment to the claim's thread, and an inbox item for each user it
    mentions that ``audience`` lets know (see :data:`Audience`). Returns the comment with
    ``mentioned``: the users told."""
    text = _clean_body(body)
    html = str(sanitize.render_markdown(text))  # (rendered before taking the write lock)
    with transaction(db):
        claim = _row(db, "SELECT id, article_id FROM claims WHERE id = ?", (claim_id,))
        if claim is None:
            raise NotFound(f"claim {claim_id}")
        comment = _insert_comment(db, claim, user_id, "comment", text, html)
        comment["mentioned"] = _notify_mentions(db, comment, audience)
    return comment


_COMMENT_SELECT = (
    "SELECT c.*, u.username, u.role AS author_role, r.reviewer_id AS returned_reviewer_id,"
    " ru.username AS returned_reviewer, r.resolved_at AS return_resolved_at,"
    " r.id AS return_id, r.verdict_id AS returned_verdict_id, r.created_at AS returned_at"
    " FROM comments c JOIN users u ON u.id = c.user_id"
    " LEFT JOIN verdict_returns r ON r.comment_id = c.id"
    " LEFT JOIN users ru ON ru.id = r.reviewer_id"
)


def get_comment(db: Database, comment_id: int) -> dict[str, Any]:
    """One comment with its author's name and role (and, for a return, whose verdict)."""
    row = _row(db, _COMMENT_SELECT + " WHERE c.id = ?", (comment_id,))
    if row is None:
        raise NotFound(f"comment {comment_id}")
    return row


def list_comments(db: Database, claim_id: int) -> list[dict[str, Any]]:
    """The claim's thread, oldest first; who may see which comment is decided by
    :func:`factcheck.access.visible_comments`."""
    return _rows(db, _COMMENT_SELECT + " WHERE c.claim_id = ? ORDER BY c.id", (claim_id,))


def count_comments(db: Database, claim_ids: Sequence[int]) -> dict[int, int]:
    """Comments per claim (claims without any are left out)."""
    return {
        row[0]: row[1]
        for row in db.execute(
            "SELECT claim_id, count(*) FROM comments"
            " WHERE claim_id IN (SELECT value FROM json_each(?)) GROUP BY claim_id",
            ("[" + ",".join(str(int(i)) for i in claim_ids) + "]",),
        )
    }


# Hand-back -----------------------------------------------------------------------------------


def return_verdict(
    db: Database,
    claim_id: int,
    reviewer_id: int,
    editor_id: int,
    body: Any,
    audience: Audience | None = None,
) -> dict[str, Any]:
    """An editor returns the reviewer's verdict on the claim with a comment saying why: the
    comment (kind "return"), the open return and an inbox item for the reviewer, in one
    transaction (users the comment mentions are told as by :func:`add_comment`). The
    verdict is not current until the reviewer saves it again. :class:`Conflict` when it is
    already returned (open); :class:`Invalid` without a verdict or reason. The caller checks
    that ``editor_id`` is an editor's. Returns the return with its ``comment``."""
    text = _clean_body(body)
    html = str(sanitize.render_markdown(text))
    with transaction(db):
        claim = _row(db, "SELECT id, article_id FROM claims WHERE id = ?", (claim_id,))
        if claim is None:
            raise NotFound(f"claim {claim_id}")
        verdict = _row(
            db,
            "SELECT v.id, u.username FROM verdicts v JOIN users u ON u.id = v.user_id"
            " WHERE v.claim_id = ? AND v.user_id = ?",
            (claim_id, reviewer_id),
        )
        if verdict is None:
            raise Invalid("That reviewer has no verdict on this claim to return.")
        if reviewer_id == editor_id:
            raise Invalid("Your own verdict is yours to change: edit and save it.")
        current = _row(
            db,
            "SELECT * FROM verdict_returns WHERE verdict_id = ? AND resolved_at IS NULL",
            (verdict["id"],),
        )
        if current is not None:
            raise Conflict(current)
        comment = _insert_comment(db, claim, editor_id, "return", text, html)
        stamp = now()
        return_id = db.execute(
            "INSERT INTO verdict_returns (verdict_id, claim_id, reviewer_id, returned_by,"
            " comment_id, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (verdict["id"], claim_id, reviewer_id, editor_id, comment["id"], stamp),
        ).lastrowid
        _audit(
            db,
            user_id=editor_id,
            action="return",
            table="verdict_returns",
            row_id=return_id,
            claim_id=claim_id,
            article_id=claim["article_id"],
            after={"reviewer": verdict["username"], "comment": text},
        )
        notify(
            db,
            reviewer_id,
            RETURNED,
            claim_url(claim_id),
            f"{comment['username']} returned your verdict on {claim_label(db, claim_id)}:"
            f" {plain_text(html)}",
            editor_id,
        )
        comment = get_comment(db, comment["id"])
        comment["mentioned"] = _notify_mentions(db, comment, audience, skip=[reviewer_id])
        found = _row(db, "SELECT * FROM verdict_returns WHERE id = ?", (return_id,))
    assert found is not None
    found["comment"] = comment
    return found


def resolve_returns(db: Database, verdict_id: int, user_id: int) -> int:
    """Close the verdict's open return (in the caller's transaction: the reviewer's save)
    and tell the editor who returned it. Returns how many were open (0 or 1)."""
    try:
        rows = _rows(
            db,
            "SELECT r.*, u.username FROM verdict_returns r JOIN users u ON u.id = r.reviewer_id"
            " WHERE r.verdict_id = ? AND r.resolved_at IS NULL",
            (verdict_id,),
        )
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return 0  # (a database before m012, as tests of older migrations write)
        raise
    if not rows:
        return 0
    stamp = now()
    for row in rows:
        db.execute("UPDATE verdict_returns SET resolved_at = ? WHERE id = ?", (stamp, row["id"]))
        _audit(
            db,
            user_id=user_id,
            action="resolve",
            table="verdict_returns",
            row_id=row["id"],
            claim_id=row["claim_id"],
            before={"resolved_at": None},
            after={"resolved_at": stamp},
        )
        if row["returned_by"] is not None:
            notify(
                db,
                row["returned_by"],
                RESAVED,
                claim_url(row["claim_id"]),
                f"{row['username']} saved their returned verdict on"
                f" {claim_label(db, row['claim_id'])} again.",
                user_id,
            )
    return len(rows)


def has_open_return(db: Database, verdict_id: int) -> bool:
    """Whether the verdict is returned and not saved again since."""
    return (
        db.execute(
            "SELECT 1 FROM verdict_returns WHERE verdict_id = ? AND resolved_at IS NULL",
            (verdict_id,),
        ).fetchone()
        is not None
    )


def open_returns(db: Database, claim_id: int) -> dict[int, dict[str, Any]]:
    """The claim's open returns by reviewer id, with who returned it and why."""
    rows = _rows(
        db,
        "SELECT r.*, e.username AS returned_by_name, ru.username AS reviewer_name,"
        " c.body AS comment, c.body_html AS comment_html FROM verdict_returns r"
        " LEFT JOIN users e ON e.id = r.returned_by LEFT JOIN users ru ON ru.id = r.reviewer_id"
        " LEFT JOIN comments c ON c.id = r.comment_id"
        " WHERE r.claim_id = ? AND r.resolved_at IS NULL ORDER BY r.id",
        (claim_id,),
    )
    return {row["reviewer_id"]: row for row in rows}


def _fetch_since_m012(cursor: Any, sql: str, claim_ids_json: str) -> list[Any]:
    """The rows of a query of the exports on the tables of m012 (none before it)."""
    try:
        return cursor.execute(sql, (claim_ids_json,)).fetchall()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return []
        raise


def open_returns_in(comments: Sequence[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """The open returns of a claim read from its thread (:func:`list_comments`: each return is
    a comment), as :func:`open_returns` gives them, without reading them again."""
    return {
        c["returned_reviewer_id"]: {
            "id": c["return_id"],
            "verdict_id": c["returned_verdict_id"],
            "claim_id": c["claim_id"],
            "reviewer_id": c["returned_reviewer_id"],
            "returned_by": c["user_id"],
            "comment_id": c["id"],
            "created_at": c["returned_at"],
            "resolved_at": None,
            "returned_by_name": c["username"],
            "reviewer_name": c["returned_reviewer"],
            "comment": c["body"],
            "comment_html": c["body_html"],
        }
        for c in comments
        if c["return_id"] is not None and c["return_resolved_at"] is None
    }


def open_returns_of_claims(cursor: Any, claim_ids_json: str) -> dict[int, tuple[int, Any]]:
    """The open returns of the claims (a JSON array of ids), for the exports: verdict id ->
    ``(claim id, {"reason", "by", "at"})`` (the editor's comment in Markdown, their username,
    when). ``cursor`` is a plain DB-API cursor or connection; nothing before m012."""
    rows = _fetch_since_m012(
        cursor,
        "SELECT r.verdict_id, r.claim_id, c.body, e.username, r.created_at"
        " FROM verdict_returns r LEFT JOIN comments c ON c.id = r.comment_id"
        " LEFT JOIN users e ON e.id = r.returned_by"
        " WHERE r.resolved_at IS NULL AND r.claim_id IN (SELECT value FROM json_each(?))"
        " ORDER BY r.id",
        claim_ids_json,
    )
    return {row[0]: (row[1], {"reason": row[2] or "", "by": row[3], "at": row[4]}) for row in rows}


def comments_of_claims(cursor: Any, claim_ids_json: str) -> dict[int, list[dict[str, Any]]]:
    """The threads of the claims (a JSON array of ids), for the JSON exports: claim id -> its
    comments, oldest first, each ``{"by", "kind", "body", "created_at", "updated_at",
    "returned"}`` (the author's username, the Markdown as written; ``returned``: for an
    editor's hand-back, ``{"reviewer", "at", "resolved_at"}``: whose verdict, when it was
    returned and when they saved it again (None: the return is open); else None).
    ``cursor`` is a plain DB-API cursor or connection; nothing before m012."""
    rows = _fetch_since_m012(
        cursor,
        "SELECT c.claim_id, u.username, c.kind, c.body, c.created_at, c.updated_at,"
        " r.id, ru.username, r.created_at, r.resolved_at"
        " FROM comments c JOIN users u ON u.id = c.user_id"
        " LEFT JOIN verdict_returns r ON r.comment_id = c.id"
        " LEFT JOIN users ru ON ru.id = r.reviewer_id"
        " WHERE c.claim_id IN (SELECT value FROM json_each(?)) ORDER BY c.claim_id, c.id",
        claim_ids_json,
    )
    threads: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        threads.setdefault(row[0], []).append(
            {
                "by": row[1],
                "kind": row[2],
                "body": row[3],
                "created_at": row[4],
                "updated_at": row[5],
                "returned": (
                    {"reviewer": row[7], "at": row[8], "resolved_at": row[9]} if row[6] else None
                ),
            }
        )
    return threads


def returned_claim_ids(db: Database, user_id: int, article_id: int | None = None) -> set[int]:
    """Claims (of one article, or all) on which the user's verdict is returned and not saved
    again."""
    sql = (
        "SELECT r.claim_id FROM verdict_returns r WHERE r.reviewer_id = ? AND r.resolved_at IS NULL"
    )
    params: tuple[Any, ...] = (user_id,)
    if article_id is not None:
        sql += " AND r.claim_id IN (SELECT id FROM claims WHERE article_id = ?)"
        params = (user_id, article_id)
    return {row[0] for row in db.execute(sql, params)}


# Items other parts of the desk raise ----------------------------------------------------------


def proposal_url(proposal_id: int) -> str:
    """Where editors decide a proposal (the desk's proposals page, at the proposal)."""
    return f"/desk/proposals#proposal-{int(proposal_id)}"


def proposal_waiting(db: Database, proposal_id: int, claim_id: int, author_id: int) -> int:
    """Tell every active editor and admin (not the author) of a new proposal to decide (in the
    caller's transaction). Returns how many were told."""
    author = _row(db, "SELECT username FROM users WHERE id = ?", (author_id,))
    name = author["username"] if author else "A reviewer"
    editors = db.execute(
        "SELECT id FROM users WHERE active AND role IN ('admin', 'editor') AND id != ?",
        (author_id,),
    ).fetchall()
    for (editor_id,) in editors:
        notify(
            db,
            editor_id,
            PROPOSAL,
            proposal_url(proposal_id),
            f"{name} proposes a change to {claim_label(db, claim_id)}: accept or reject it.",
            author_id,
        )
    return len(editors)


def proposal_closed(
    db: Database, proposal: dict[str, Any], status: str, user_id: int | None
) -> None:
    """A proposal was decided or withdrawn (in the caller's transaction): the editors' items
    about it are read (nothing is left to decide), and its author hears of a decision."""
    settle_items(db, PROPOSAL, proposal_url(proposal["id"]))
    if status in ("accepted", "rejected"):
        decider = _row(db, "SELECT username FROM users WHERE id = ?", (user_id,))
        name = decider["username"] if decider else "An editor"
        notify(
            db,
            proposal["user_id"],
            "decided",
            claim_url(proposal["claim_id"]),
            f"{name} {status} your proposal on {claim_label(db, proposal['claim_id'])}.",
            user_id,
        )


def assigned(db: Database, article_id: int, user_ids: Iterable[int], by: int | None) -> None:
    """Tell newly assigned users of their article (in the caller's transaction)."""
    article = _row(db, "SELECT title FROM articles WHERE id = ?", (article_id,))
    title = article["title"] if article else f"article {article_id}"
    for user_id in user_ids:
        notify(
            db, user_id, ASSIGNED, f"/articles/{int(article_id)}", f"Assigned to you: {title}", by
        )
