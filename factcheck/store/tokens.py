"""Personal API tokens: created and revoked on the user's account page, used by the JSON API.

Only a token's SHA-256 is stored; the plaintext is shown once, when it is created. A short
prefix is kept so that users can tell their tokens apart. A revoked token, or any token of a
disabled user, authenticates nobody.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import hmac
import secrets
import sqlite3
from typing import Any

from sqlite_utils import Database

from .base import Busy, Invalid, NotFound, _audit, _row, _rows, now, transaction
from .users import get_user

TOKEN_SCHEME = "fct_"
PREFIX_LENGTH = len(TOKEN_SCHEME) + 8
MAX_NAME_LENGTH = 100
MAX_ACTIVE_TOKENS = 50
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)

_TOKEN_COLUMNS = "id, user_id, name, prefix, created_at, last_used_at, revoked_at"


def token_hash(plaintext: str) -> str:
    """Hex SHA-256 of a token (a token is 256 random bits, so no salt or slow hash is needed)."""
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


def get_token(db: Database, token_id: int) -> dict[str, Any]:
    """The token with ``token_id`` (never its hash)."""
    row = _row(db, f"SELECT {_TOKEN_COLUMNS} FROM api_tokens WHERE id = ?", (token_id,))  # noqa: S608
    if row is None:
        raise NotFound(f"token {token_id}")
    return row


def create_token(db: Database, user_id: int, name: str) -> tuple[str, dict[str, Any]]:
    """Create an API token for the user; return ``(plaintext, row)``.

    The plaintext is not stored anywhere: show it to the user once.
    """
    name = " ".join((name or "").split())
    if not name:
        raise Invalid("Give the token a name, such as the script or machine that will use it.")
    if len(name) > MAX_NAME_LENGTH:
        raise Invalid(f"A token name is at most {MAX_NAME_LENGTH} characters.")
    plaintext = TOKEN_SCHEME + secrets.token_urlsafe(32)
    prefix = plaintext[:PREFIX_LENGTH]
    with transaction(db):
        user = _row(db, "SELECT id, active FROM users WHERE id = ?", (user_id,))
        if user is None:
            raise NotFound(f"user {user_id}")
        if not user["active"]:
            raise Invalid("A disabled user cannot create API tokens.")
        active = db.execute(
            "SELECT count(*) FROM api_tokens WHERE user_id = ? AND revoked_at IS NULL",
            (user_id,),
        ).fetchone()[0]
        if active >= MAX_ACTIVE_TOKENS:
            raise Invalid(
                f"You have {active} active tokens, the most allowed: revoke one you no longer use."
            )
        cursor = db.execute(
            "INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (user_id, name, token_hash(plaintext), prefix, now()),
        )
        token_id = cursor.lastrowid
        _audit(
            db,
            user_id=user_id,
            action="create",
            table="api_tokens",
            row_id=token_id,
            after={"user_id": user_id, "name": name, "prefix": prefix},
        )
    return plaintext, get_token(db, token_id)


def list_tokens(db: Database, user_id: int) -> list[dict[str, Any]]:
    """The user's tokens (revoked ones included), newest first."""
    return _rows(
        db,
        f"SELECT {_TOKEN_COLUMNS} FROM api_tokens WHERE user_id = ?"  # noqa: S608
        " ORDER BY id DESC",
        (user_id,),
    )


def revoke_token(db: Database, token_id: int, user_id: int) -> dict[str, Any]:
    """Revoke a token as ``user_id``: one's own, or anyone's for an admin.

    A token the user may not revoke is reported as :class:`NotFound` (no hint that it exists).
    Revoking a revoked token changes nothing.
    """
    with transaction(db):
        actor = _row(db, "SELECT role, active FROM users WHERE id = ?", (user_id,))
        token = _row(
            db,
            f"SELECT {_TOKEN_COLUMNS} FROM api_tokens WHERE id = ?",
            (token_id,),  # noqa: S608
        )
        if actor is None or not actor["active"] or token is None:
            raise NotFound(f"token {token_id}")
        if token["user_id"] != user_id and actor["role"] != "admin":
            raise NotFound(f"token {token_id}")
        if token["revoked_at"] is not None:
            return token
        stamp = now()
        db.execute("UPDATE api_tokens SET revoked_at = ? WHERE id = ?", (stamp, token_id))
        _audit(
            db,
            user_id=user_id,
            action="revoke",
            table="api_tokens",
            row_id=token_id,
            before={"revoked_at": None},
            after={"user_id": token["user_id"], "prefix": token["prefix"], "revoked_at": stamp},
        )
    return get_token(db, token_id)


def user_for_token(db: Database, plaintext: str | None) -> dict[str, Any] | None:
    """The active user a live token belongs to, else None.

    The token is looked up by its SHA-256, so response times reveal nothing about stored
    tokens; the hashes are compared once more in constant time. ``last_used_at`` is updated at
    most once a minute, and only when the database can be written at once: it never waits for
    another writer (an API read would have waited up to the busy timeout, once a minute a
    token, while another process held the database), and a busy or read-only database skips it.
    """
    if (
        not plaintext
        or not plaintext.startswith(TOKEN_SCHEME)
        or len(plaintext) > 200
        or not plaintext.isascii()
    ):
        return None
    digest = token_hash(plaintext)
    row = _row(
        db,
        "SELECT t.id, t.user_id, t.token_hash, t.last_used_at, t.revoked_at, u.active"
        " FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?",
        (digest,),
    )
    if row is None or not hmac.compare_digest(row["token_hash"], digest):
        return None
    if row["revoked_at"] is not None or not row["active"]:
        return None
    moment = datetime.datetime.now(datetime.UTC)
    cutoff = (moment - LAST_USED_RESOLUTION).isoformat(timespec="microseconds")
    if row["last_used_at"] is None or row["last_used_at"] < cutoff:
        with contextlib.suppress(Busy, sqlite3.OperationalError), transaction(db, wait_ms=0):
            db.execute(
                "UPDATE api_tokens SET last_used_at = ? WHERE id = ?"
                " AND (last_used_at IS NULL OR last_used_at < ?)",
                (moment.isoformat(timespec="microseconds"), row["id"], cutoff),
            )
    return get_user(db, row["user_id"])
