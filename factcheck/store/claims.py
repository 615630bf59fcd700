"""Claims: reading them, a reviewer's own claim, the versioned claim update (wording,
claimant, dismissal) and a claim's history.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlite_utils import Database

from .base import Conflict, Invalid, NotFound, _audit, _row, _rows, now, transaction
from .claimants import CLAIMANT_COLUMNS, checked_claimant, claimant_changes, claimant_columns


def _claim_from_row(row: dict[str, Any]) -> dict[str, Any]:
    row["kind"] = json.loads(row["kind"])
    row["values"] = json.loads(row["values"])
    row["wording_spans"] = json.loads(row["wording_spans"])
    row["checkworthy"] = bool(row["checkworthy"])
    row["dismissed"] = bool(row["dismissed"])
    return row


def list_claims(db: Database, article_id: int) -> list[dict[str, Any]]:
    """The article's claims (dismissed ones included) in reading order."""
    return [
        _claim_from_row(row)
        for row in _rows(
            db,
            'SELECT * FROM claims WHERE article_id = ? ORDER BY start, "end", id',
            (article_id,),
        )
    ]


def claims_state(db: Database, article_id: int) -> tuple[Any, ...]:
    """A cheap fingerprint of the article's claims: count, highest id, sum of versions, latest
    change. Every change to a claim moves its version on, so any change changes it."""
    row = db.execute(
        "SELECT count(*), max(id), total(version), max(updated_at) FROM claims"
        " WHERE article_id = ?",
        (article_id,),
    ).fetchone()
    return (row[0], row[1], int(row[2]), row[3])


def get_claim(db: Database, claim_id: int) -> dict[str, Any]:
    """The claim with ``claim_id``."""
    row = _row(db, "SELECT * FROM claims WHERE id = ?", (claim_id,))
    if row is None:
        raise NotFound(f"claim {claim_id}")
    return _claim_from_row(row)


def find_passage(body: str, quote: str, near: int | None) -> int | None:
    """The offset of ``quote`` in ``body``, the occurrence nearest ``near`` if repeated."""
    if not quote:
        return None
    found = []
    index = body.find(quote)
    while index != -1 and len(found) < 1000:
        found.append(index)
        index = body.find(quote, index + 1)
    if not found:
        return None
    if near is None:
        return found[0]
    return min(found, key=lambda offset: abs(offset - near))


def add_claim_at_passage(
    db: Database,
    article_id: int,
    quote: str,
    near: int | None,
    user_id: int | None,
    text: str | None = None,
) -> dict[str, Any]:
    """Add a reviewer's claim on a passage they selected in the article: ``quote`` at the
    offset ``near`` the page gave, else the occurrence of the quote (blank space trimmed)
    nearest it. :class:`Invalid` when the passage is not in the article's text."""
    article = _row(db, "SELECT body FROM articles WHERE id = ?", (article_id,))
    if article is None:
        raise NotFound(f"article {article_id}")
    body = article["body"]
    quote = quote.replace("\r\n", "\n").replace("\r", "\n")
    start = near
    if start is None or start < 0 or body[start : start + len(quote)] != quote:
        quote = quote.strip()
        start = find_passage(body, quote, start)
    if start is None:
        raise Invalid("That passage is not in the article's text; select it in the article.")
    # (add_claim trims the blank space a selection may have around it)
    return add_claim(db, article_id, start, start + len(quote), user_id, text)


def add_claim(
    db: Database,
    article_id: int,
    start: int,
    end: int,
    user_id: int | None,
    text: str | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Add a reviewer's claim anchored at ``body[start:end]`` (whitespace trimmed)."""
    with transaction(db):
        article = _row(db, "SELECT body FROM articles WHERE id = ?", (article_id,))
        if article is None:
            raise NotFound(f"article {article_id}")
        body = article["body"]
        if not (0 <= start < end <= len(body)):
            raise Invalid("The selection lies outside the article.")
        while start < end and body[start].isspace():
            start += 1
        while end > start and body[end - 1].isspace():
            end -= 1
        if start == end:
            raise Invalid("The selection is empty.")
        duplicate = _row(
            db,
            'SELECT id FROM claims WHERE article_id = ? AND start = ? AND "end" = ?',
            (article_id, start, end),
        )
        if duplicate:
            raise Invalid("That passage is a claim already.")
        quote = body[start:end]
        wording = (text or "").strip() or quote
        stamp = now()
        extra = dict(extra or {})
        # A wording typed by hand is "edited"; none typed, the passage itself is the wording.
        extra["wording_source"] = (
            "edited"
            if wording != quote
            else "quote"
            if extra.get("wording_source") in (None, "edited")
            else extra["wording_source"]
        )
        claimant = claimant_columns(body, extra)
        cursor = db.execute(
            'INSERT INTO claims (article_id, start, "end", quote, text, kind, "values", score,'
            f" checkworthy, origin, {CLAIMANT_COLUMNS}, created_by, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'manual', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article_id,
                start,
                end,
                quote,
                wording,
                json.dumps(extra.get("kind", []), ensure_ascii=False),
                json.dumps(extra.get("values", []), ensure_ascii=False),
                extra.get("score"),
                1,
                *claimant,
                user_id,
                stamp,
                stamp,
            ),
        )
        claim_id = cursor.lastrowid
        _audit(
            db,
            user_id=user_id,
            action="create",
            table="claims",
            row_id=claim_id,
            claim_id=claim_id,
            article_id=article_id,
            after={
                "start": start,
                "end": end,
                "quote": quote,
                "text": wording,
                "claimant": claimant[0],
                "claimant_kind": claimant[3],
                "wording_source": claimant[4],
            },
        )
    return get_claim(db, claim_id)


def _update_claim(
    db: Database,
    claim_id: int,
    version: int,
    user_id: int | None,
    changes: dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]],
    action: str,
) -> dict[str, Any]:
    """Change a claim's columns, if ``version`` is still the stored one (else
    :class:`Conflict`); ``changes`` may be a function of the stored row that gives them."""
    with transaction(db):
        change_claim(db, claim_id, version, user_id, changes, action)
    return get_claim(db, claim_id)


def change_claim(
    db: Database,
    claim_id: int,
    version: int,
    user_id: int | None,
    changes: dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]],
    action: str,
) -> dict[str, Any]:
    """Apply ``changes`` to the claim at ``version`` with its audit entry, inside the caller's
    transaction (:class:`Conflict` when the claim is at another version); ``changes`` may be a
    function of the stored row that gives them. The one versioned claim update: the edit
    routes and accepted proposals (:mod:`.proposals`) go through it."""
    before = _row(db, "SELECT * FROM claims WHERE id = ?", (claim_id,))
    if before is None:
        raise NotFound(f"claim {claim_id}")
    if before["version"] != version:
        raise Conflict(_claim_from_row(before))
    if callable(changes):
        changes = changes(before)
    if all(before[key] == value for key, value in changes.items()):
        return _claim_from_row(before)
    assignments = ", ".join(f"{key} = ?" for key in changes)
    cursor = db.execute(
        f"UPDATE claims SET {assignments}, version = version + 1, updated_at = ?"
        " WHERE id = ? AND version = ?",
        (*changes.values(), now(), claim_id, version),
    )
    if cursor.rowcount != 1:
        raise Conflict(get_claim(db, claim_id))
    _audit(
        db,
        user_id=user_id,
        action=action,
        table="claims",
        row_id=claim_id,
        claim_id=claim_id,
        article_id=before["article_id"],
        before={key: before[key] for key in changes},
        after=changes,
    )
    return get_claim(db, claim_id)


def wording_changes(text: str) -> dict[str, Any]:
    """The claim columns a new wording sets (checked): the wording, and its source
    ``edited`` (by hand: an edit, an accepted proposal)."""
    text = text.strip()
    if not text:
        raise Invalid("A claim's wording cannot be empty.")
    if len(text) > 2000:
        raise Invalid("A claim's wording is at most 2,000 characters.")
    return {"text": text, "wording_source": "edited"}


def dismissal_changes(dismissed: bool) -> tuple[dict[str, Any], str]:
    """The claim columns a dismissal (or restore) sets, and its audit action."""
    return {"dismissed": 1 if dismissed else 0}, "dismiss" if dismissed else "restore"


def edit_claim_text(
    db: Database, claim_id: int, text: str, version: int, user_id: int | None
) -> dict[str, Any]:
    """Change a claim's wording (its source becomes ``edited``); its quote and offsets stay
    anchored. The same wording again changes nothing."""
    changes = wording_changes(text)
    return _update_claim(
        db,
        claim_id,
        version,
        user_id,
        lambda before: {} if before["text"] == changes["text"] else changes,
        "edit",
    )


def set_claimant(
    db: Database,
    claim_id: int,
    claimant: str | None,
    kind: str | None,
    version: int,
    user_id: int | None,
) -> dict[str, Any]:
    """Say who made a claim: a named ``claimant`` (a ``person`` or an ``organization``), or
    None for the publication itself. The mention's offsets point to the name's occurrence in
    the article nearest before the claim (else after it; none when the article does not
    name it), unless the name is unchanged, whose offsets stay."""
    claimant, kind = checked_claimant(claimant, kind)
    return _update_claim(
        db, claim_id, version, user_id, claimant_changes(db, claimant, kind), "set-claimant"
    )


def set_claim_dismissed(
    db: Database, claim_id: int, dismissed: bool, version: int, user_id: int | None
) -> dict[str, Any]:
    """Dismiss a claim (it stays stored) or restore it."""
    changes, action = dismissal_changes(dismissed)
    return _update_claim(db, claim_id, version, user_id, changes, action)


def claim_history(db: Database, claim_id: int) -> list[dict[str, Any]]:
    """Audit entries about a claim and its verdicts, oldest first, with user names."""
    entries = _rows(
        db,
        "SELECT l.id, l.at, l.action, l.table_name, l.row_id, l.before, l.after,"
        " u.username FROM audit_log l LEFT JOIN users u ON u.id = l.user_id"
        " WHERE l.claim_id = ? ORDER BY l.id",
        (claim_id,),
    )
    for entry in entries:
        entry["before"] = json.loads(entry["before"]) if entry["before"] else None
        entry["after"] = json.loads(entry["after"]) if entry["after"] else None
    return entries
