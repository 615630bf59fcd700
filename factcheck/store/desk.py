"""The multi-reviewer desk: roles, assignments, queues, final verdicts, publishing, settings."""

from __future__ import annotations

import datetime
import json
from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database

from .articles import VISIBLE_ARTICLE_IDS
from .base import Conflict, Invalid, NotFound, _audit, _row, _rows, now, transaction
from .discussion import assigned, current_verdict_sql
from .users import ROLES, get_user

# Desk settings ------------------------------------------------------------------------------

SETTING_DEFAULTS: dict[str, Any] = {
    # Reviewers see other reviewers' verdicts on a claim only after saving their own.
    "blind_verdicts": True,
    # "any": any two different verdicts disagree; "step": only more than one step apart.
    "disagreement_mode": "any",
    # How many reviewers "spread" assigns to each article.
    "reviewers_per_article": 2,
    # Reviewers change claims' wordings and dismiss them directly (not by proposals to an
    # editor) while the article is unpublished; never once it is published.
    "reviewers_shape_claims": False,
}


def get_settings(db: Database) -> dict[str, Any]:
    """The desk's settings, defaults filled in."""
    stored = {row["key"]: json.loads(row["value"]) for row in _rows(db, "SELECT * FROM settings")}
    return {key: stored.get(key, default) for key, default in SETTING_DEFAULTS.items()}


def update_settings(db: Database, changes: dict[str, Any], user_id: int | None) -> dict[str, Any]:
    """Change desk settings (only known keys, checked)."""
    for key, value in changes.items():
        if key not in SETTING_DEFAULTS:
            raise Invalid(f"Unknown setting {key!r}.")
        if key == "disagreement_mode" and value not in ("any", "step"):
            raise Invalid("Disagreement is 'any' difference or more than one 'step' apart.")
        if key == "reviewers_per_article" and not (isinstance(value, int) and 1 <= value <= 20):
            raise Invalid("Reviewers per article is a whole number from 1 to 20.")
        if key == "blind_verdicts" and not isinstance(value, bool):
            raise Invalid("Blind verdicts is on or off.")
        if key == "reviewers_shape_claims" and not isinstance(value, bool):
            raise Invalid("Reviewers shaping claims directly is on or off.")
    with transaction(db):
        before = get_settings(db)
        for key, value in changes.items():
            db.execute(
                "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value,"
                " version = version + 1, updated_at = excluded.updated_at",
                (key, json.dumps(value), now()),
            )
        _audit(
            db,
            user_id=user_id,
            action="edit",
            table="settings",
            row_id=None,
            before={k: before[k] for k in changes},
            after=changes,
        )
    return get_settings(db)


# Users -------------------------------------------------------------------------------------


def _change_user(
    db: Database, user_id: int, changes: dict[str, Any], by: int | None, end_sessions: bool
) -> dict[str, Any]:
    with transaction(db):
        before = _row(db, "SELECT role, active FROM users WHERE id = ?", (user_id,))
        if before is None:
            raise NotFound(f"user {user_id}")
        if before.get("role") == "admin" and (
            changes.get("role", "admin") != "admin" or changes.get("active", 1) == 0
        ):
            admins = db.execute(
                "SELECT count(*) FROM users WHERE role = 'admin' AND active"
            ).fetchone()[0]
            if admins <= 1 and before["active"]:
                raise Invalid("This is the last active admin; make another admin first.")
        assignments = ", ".join(f"{key} = ?" for key in changes)
        bump = ", session_version = session_version + 1" if end_sessions else ""
        db.execute(
            f"UPDATE users SET {assignments}{bump}, version = version + 1,"
            " updated_at = ? WHERE id = ?",
            (*changes.values(), now(), user_id),
        )
        _audit(
            db,
            user_id=by,
            action="edit",
            table="users",
            row_id=user_id,
            before={k: before[k] for k in changes if k in before},
            after=changes,
        )
    return get_user(db, user_id)


def set_role(db: Database, user_id: int, role: str, by: int | None) -> dict[str, Any]:
    """Give a user another role."""
    if role not in ROLES:
        raise Invalid(f"Role must be one of {', '.join(ROLES)}.")
    return _change_user(db, user_id, {"role": role}, by, end_sessions=False)


def set_active(db: Database, user_id: int, active: bool, by: int | None) -> dict[str, Any]:
    """Disable a user (ending their sessions) or enable them again."""
    return _change_user(db, user_id, {"active": 1 if active else 0}, by, end_sessions=not active)


def end_sessions(db: Database, user_id: int) -> None:
    """End every open session of the user (their session version moves on)."""
    with transaction(db):
        db.execute(
            "UPDATE users SET session_version = session_version + 1 WHERE id = ?", (user_id,)
        )


def user_by_name(db: Database, username: str) -> dict[str, Any]:
    """The user called ``username``."""
    row = _row(db, "SELECT id FROM users WHERE username = ?", (username,))
    if row is None:
        raise NotFound(f"user {username!r}")
    return get_user(db, row["id"])


def active_reviewers(db: Database) -> list[dict[str, Any]]:
    """Active users with the reviewer role, by name."""
    return _rows(
        db,
        "SELECT id, username, display_name FROM users WHERE active AND role = 'reviewer'"
        " ORDER BY username",
    )


# Login throttling ----------------------------------------------------------------------------


def _window_start(minutes: int) -> str:
    moment = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=minutes)
    return moment.isoformat(timespec="microseconds")


def login_failures(db: Database, username: str, address: str, minutes: int) -> tuple[int, int]:
    """Failed logins in the last ``minutes``: (for this username from this address, from this
    address for any username). Failures for the username from other addresses do not count:
    someone guessing a name elsewhere never locks its owner out."""
    since = _window_start(minutes)
    by_name = db.execute(
        "SELECT count(*) FROM login_failures WHERE username = ? AND address = ? AND at >= ?",
        (username[:64], address[:64], since),
    ).fetchone()[0]
    by_address = db.execute(
        "SELECT count(*) FROM login_failures WHERE address = ? AND at >= ?", (address, since)
    ).fetchone()[0]
    return by_name, by_address


def record_login_failure(db: Database, username: str, address: str) -> None:
    """Remember a failed login (old entries are pruned)."""
    with transaction(db):
        db.execute(
            "INSERT INTO login_failures (username, address, at) VALUES (?, ?, ?)",
            (username[:64], address[:64], now()),
        )
        db.execute("DELETE FROM login_failures WHERE at < ?", (_window_start(24 * 60),))


def clear_login_failures(db: Database, username: str, address: str | None = None) -> None:
    """Forget a username's failed logins after a successful one: those from ``address`` (a
    login elsewhere does not give a guesser new tries), or all of them (``address`` None)."""
    with transaction(db):
        if address is None:
            db.execute("DELETE FROM login_failures WHERE username = ?", (username,))
        else:
            db.execute(
                "DELETE FROM login_failures WHERE username = ? AND address = ?",
                (username[:64], address[:64]),
            )


# Assignments and queues ------------------------------------------------------------------------


def assigned_user_ids(db: Database, article_id: int) -> list[int]:
    """Ids of the users assigned to the article."""
    return [
        row[0]
        for row in db.execute(
            "SELECT user_id FROM assignments WHERE article_id = ? ORDER BY user_id", (article_id,)
        )
    ]


def is_assigned(db: Database, article_id: int, user_id: int) -> bool:
    """Whether the user is assigned to the article (or added it)."""
    return (
        db.execute(
            "SELECT 1 FROM assignments WHERE article_id = ? AND user_id = ?"
            " UNION SELECT 1 FROM articles WHERE id = ? AND created_by = ?",
            (article_id, user_id, article_id, user_id),
        ).fetchone()
        is not None
    )


def list_assignments(db: Database, article_id: int) -> list[dict[str, Any]]:
    """The article's reviewers with their progress."""
    return _rows(
        db,
        "SELECT u.id, u.username, u.role, u.active, a.assigned_at,"
        " (SELECT count(*) FROM verdicts v JOIN claims c ON c.id = v.claim_id"
        "   WHERE c.article_id = a.article_id AND v.user_id = u.id AND NOT c.dismissed) AS done"
        " FROM assignments a JOIN users u ON u.id = a.user_id WHERE a.article_id = ?"
        " ORDER BY u.username",
        (article_id,),
    )


def set_assignments(
    db: Database, article_id: int, user_ids: Sequence[int], by: int | None
) -> list[int]:
    """Make exactly ``user_ids`` the article's assigned reviewers."""
    wanted = sorted(set(user_ids))
    with transaction(db):
        if _row(db, "SELECT id FROM articles WHERE id = ?", (article_id,)) is None:
            raise NotFound(f"article {article_id}")
        for user_id in wanted:
            user = _row(db, "SELECT active FROM users WHERE id = ?", (user_id,))
            if user is None or not user["active"]:
                raise Invalid("Only active users can be assigned.")
        before = assigned_user_ids(db, article_id)
        stamp = now()
        db.execute(
            "DELETE FROM assignments WHERE article_id = ? AND user_id NOT IN"
            f" ({', '.join('?' * len(wanted))})"
            if wanted
            else "DELETE FROM assignments WHERE article_id = ?",
            (article_id, *wanted),
        )
        db.conn.executemany(
            "INSERT OR IGNORE INTO assignments (article_id, user_id, assigned_by, assigned_at)"
            " VALUES (?, ?, ?, ?)",
            [(article_id, user_id, by, stamp) for user_id in wanted],
        )
        assigned(db, article_id, sorted(set(wanted) - set(before)), by)
        if before != wanted:
            _audit(
                db,
                user_id=by,
                action="assign",
                table="assignments",
                row_id=article_id,
                article_id=article_id,
                before={"users": before},
                after={"users": wanted},
            )
    return wanted


def spread_assignments(
    db: Database, article_ids: Sequence[int], per_article: int, by: int | None
) -> dict[int, list[int]]:
    """Give each article ``per_article`` reviewers, choosing the least loaded active reviewers.

    Reviewers already assigned stay; ties go to the reviewer with the lower id, so the result
    is deterministic.
    """
    reviewers = [r["id"] for r in active_reviewers(db)]
    if not reviewers:
        raise Invalid("There are no active reviewers to assign.")
    load = {
        row[0]: row[1]
        for row in db.execute("SELECT user_id, count(*) FROM assignments GROUP BY user_id")
    }
    result = {}
    for article_id in article_ids:
        current = set(assigned_user_ids(db, article_id))
        chosen = set(current)
        for reviewer in sorted(reviewers, key=lambda r: (load.get(r, 0), r)):
            if len(chosen) >= max(per_article, len(current)):
                break
            if reviewer not in chosen:
                chosen.add(reviewer)
                load[reviewer] = load.get(reviewer, 0) + 1
        result[article_id] = set_assignments(db, article_id, sorted(chosen), by)
    return result


def reviewer_queue(db: Database, user_id: int) -> list[dict[str, Any]]:
    """The user's assigned articles with claims done and to do, unfinished first."""
    rows = _rows(
        db,
        "SELECT a.id, a.title, a.publisher, a.published, a.published_at,"
        " (SELECT count(*) FROM claims c WHERE c.article_id = a.id AND NOT c.dismissed) AS total,"
        " (SELECT count(*) FROM claims c JOIN verdicts v ON v.claim_id = c.id"
        "   WHERE c.article_id = a.id AND NOT c.dismissed AND v.user_id = :user) AS done"
        f" FROM articles a WHERE a.id IN ({VISIBLE_ARTICLE_IDS})"
        " ORDER BY a.id",
        {"user": user_id},
    )
    for row in rows:
        row["todo"] = row["total"] - row["done"]
    rows.sort(key=lambda r: (r["todo"] == 0, r["id"]))
    return rows


def next_claim(db: Database, user_id: int, after_claim: int | None = None) -> dict[str, Any] | None:
    """The next claim in the user's queue without their verdict (check-worthy ones first)."""
    return _row(
        db,
        "SELECT c.id, c.article_id FROM claims c"
        f" WHERE NOT c.dismissed AND c.article_id IN ({VISIBLE_ARTICLE_IDS})"
        " AND NOT EXISTS (SELECT 1 FROM verdicts v WHERE v.claim_id = c.id AND v.user_id = :user)"
        " AND c.id != :after"
        " ORDER BY c.article_id, c.checkworthy DESC, c.start, c.id LIMIT 1",
        {"user": user_id, "after": after_claim or 0},
    )


# Ratings for agreement -----------------------------------------------------------------------


def claims_with_verdict_by(db: Database, article_id: int, user_id: int) -> set[int]:
    """Ids of the article's claims (dismissed ones too) on which the user gave a verdict."""
    return {
        row[0]
        for row in db.execute(
            "SELECT v.claim_id FROM verdicts v JOIN claims c ON c.id = v.claim_id"
            " WHERE c.article_id = ? AND v.user_id = ?",
            (article_id, user_id),
        )
    }


def verdict_ratings(db: Database, article_id: int | None = None) -> list[tuple[int, int, str]]:
    """(claim id, reviewer id, rating) of every current verdict (not returned by an editor and
    unsaved since) on live claims, optionally of one article."""
    sql = (
        "SELECT v.claim_id, v.user_id, v.rating FROM verdicts v JOIN claims c ON c.id = v.claim_id"
        f" WHERE NOT c.dismissed AND {current_verdict_sql('v')}"  # (returned ones: not current)
    )
    params: tuple[Any, ...] = ()
    if article_id is not None:
        sql += " AND c.article_id = ?"
        params = (article_id,)
    return [(row[0], row[1], row[2]) for row in db.execute(sql + " ORDER BY v.claim_id", params)]


def usernames(db: Database) -> dict[int, str]:
    """User id -> username."""
    return {row[0]: row[1] for row in db.execute("SELECT id, username FROM users")}


# Final verdicts, publishing, corrections -------------------------------------------------------


def get_final_verdict(db: Database, claim_id: int) -> dict[str, Any] | None:
    """The claim's final verdict with the editor's name, or None."""
    return _row(
        db,
        "SELECT f.*, u.username AS decided_by_name FROM final_verdicts f"
        " LEFT JOIN users u ON u.id = f.decided_by WHERE f.claim_id = ?",
        (claim_id,),
    )


def list_corrections(db: Database, claim_id: int) -> list[dict[str, Any]]:
    """Corrections of a published final verdict, oldest first."""
    return _rows(
        db,
        "SELECT k.id, k.claim_id, k.before_rating, k.after_rating, k.note, k.at,"
        " u.username FROM corrections k LEFT JOIN users u ON u.id = k.user_id"
        " WHERE k.claim_id = ? ORDER BY k.id",
        (claim_id,),
    )


def record_final_verdict(
    db: Database,
    claim_id: int,
    user_id: int,
    rating: str,
    reason: str,
    version: int | None,
    ratings: Sequence[str],
    correction_note: str | None = None,
) -> dict[str, Any]:
    """Settle a claim's final verdict (an editor's decision); reviewers' verdicts stay as they are.

    ``version`` is the final verdict's version the editor saw (None when there was none). Once
    the claim is published, a change needs a ``correction_note`` and publishes a new version of
    the claim (a correction, see :mod:`factcheck.store.publish`).
    """
    from .publish import _correct_live as correct_live
    from .publish import is_published, latest_version, versioned

    if rating not in ratings:
        raise Invalid("Choose a final verdict from the rating scale.", field="rating")
    reason = (reason or "").strip()
    if len(reason) > 20_000:
        raise Invalid("A reason is at most 20,000 characters.", field="reason")
    stamp = now()
    with transaction(db):
        claim = _row(
            db,
            "SELECT c.id, c.article_id, a.published_at FROM claims c"
            " JOIN articles a ON a.id = c.article_id WHERE c.id = ?",
            (claim_id,),
        )
        if claim is None:
            raise NotFound(f"claim {claim_id}")
        current = get_final_verdict(db, claim_id)
        if current is not None and version != current["version"]:
            raise Conflict(current)
        if current is None and version is not None:
            raise Conflict({"version": None})
        if current is not None and (current["rating"], current["reason"]) == (rating, reason):
            return current
        published = is_published(db, claim_id)
        note = (correction_note or "").strip()
        if published and not note:
            raise Invalid(
                "This claim is published: describe the correction in a note.",
                field="correction_note",
            )
        if current is None:
            db.execute(
                "INSERT INTO final_verdicts (claim_id, rating, reason, decided_by, created_at,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                (claim_id, rating, reason, user_id, stamp, stamp),
            )
        else:
            cursor = db.execute(
                "UPDATE final_verdicts SET rating = ?, reason = ?, decided_by = ?,"
                " version = version + 1, updated_at = ? WHERE claim_id = ? AND version = ?",
                (rating, reason, user_id, stamp, claim_id, version),
            )
            if cursor.rowcount != 1:
                raise Conflict(get_final_verdict(db, claim_id) or {})
        if published:
            # A change to a published claim's verdict is published as a correction at once.
            # A withdrawn claim stays withdrawn: the change waits at the desk (its note in the
            # audit entry below) until a correction republishes it; a corrections row would
            # show on its public page as if published.
            if versioned(db):
                if latest_version(db, claim_id)["status"] == "published":
                    correct_live(db, claim_id, user_id, note, stamp)
            else:  # (before m009: the corrections table was the published record)
                db.execute(
                    "INSERT INTO corrections (claim_id, before_rating, after_rating, note,"
                    " user_id, at) VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        claim_id,
                        current["rating"] if current else None,
                        rating,
                        note,
                        user_id,
                        stamp,
                    ),
                )
        _audit(
            db,
            user_id=user_id,
            action="correct" if published else ("create" if current is None else "edit"),
            table="final_verdicts",
            row_id=claim_id,
            claim_id=claim_id,
            article_id=claim["article_id"],
            before={"rating": current["rating"], "reason": current["reason"]} if current else None,
            after={"rating": rating, "reason": reason} | ({"note": note} if published else {}),
        )
    return get_final_verdict(db, claim_id)


def publish_article(
    db: Database,
    article_id: int,
    user_id: int | None,
    publish: bool = True,
    note: str | None = None,
    confirmed_state: str | None = None,
) -> None:
    """Publish the article's settled claims (or withdraw the article, with a ``note``): see
    :func:`factcheck.store.publish.publish_article`, which owns what publishing writes
    (``confirmed_state``: what the editor confirmed on the publish check)."""
    from .publish import publish_article as publish_versions

    publish_versions(
        db, article_id, user_id, publish=publish, note=note, confirmed_state=confirmed_state
    )


def contested_claims(db: Database, include_settled: bool = False) -> list[dict[str, Any]]:
    """Live claims with at least two current verdicts (a returned verdict not saved again does
    not count), their ratings, and any final verdict."""
    rows = _rows(
        db,
        "SELECT c.id, c.article_id, c.text, c.quote, a.title AS article_title,"
        " group_concat(v.rating, char(31)) AS ratings, count(v.id) AS n,"
        " f.rating AS final_rating, f.updated_at AS final_at, max(v.updated_at) AS last_verdict"
        " FROM claims c JOIN articles a ON a.id = c.article_id"
        " JOIN verdicts v ON v.claim_id = c.id"
        " LEFT JOIN final_verdicts f ON f.claim_id = c.id"
        f" WHERE NOT c.dismissed AND {current_verdict_sql('v')}"
        " GROUP BY c.id HAVING count(v.id) >= 2"
        " ORDER BY c.article_id, c.start",
    )
    result = []
    for row in rows:
        row["ratings"] = row["ratings"].split("\x1f")
        if row["final_rating"] is not None and not include_settled:
            continue
        result.append(row)
    return result
