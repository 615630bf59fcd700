"""Users: accounts, password hashes (argon2id), logins.

Roles, activation, login throttling and sessions are the desk's (:mod:`.desk`).
"""

from __future__ import annotations

import contextlib
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlite_utils import Database

from .base import Invalid, NotFound, _audit, _row, _rows, now, transaction

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


ROLES = ("admin", "editor", "reviewer")
_USER_COLUMNS = (
    "id, username, display_name, role, active, session_version, version, created_at, updated_at"
)


def hash_password(password: str) -> str:
    """An argon2id hash of ``password``."""
    return _hasher.hash(password)


def create_user(
    db: Database, username: str, password: str, role: str = "reviewer", display_name: str = ""
) -> dict[str, Any]:
    """Create a user; raise :class:`Invalid` for a bad name, role, password or a taken name."""
    username = username.strip()
    if not username or len(username) > 64 or any(ch.isspace() for ch in username):
        raise Invalid("A username is 1 to 64 characters without spaces.")
    if role not in ROLES:
        raise Invalid(f"Role must be one of {', '.join(ROLES)}.")
    if len(password) < 8:
        raise Invalid("A password has at least 8 characters.")
    stamp = now()
    with transaction(db):
        if _row(db, "SELECT id FROM users WHERE username = ?", (username,)):
            raise Invalid(f"The username {username!r} is taken.")
        cursor = db.execute(
            "INSERT INTO users (username, display_name, password_hash, role, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
            (username, display_name.strip(), hash_password(password), role, stamp, stamp),
        )
        user_id = cursor.lastrowid
        _audit(
            db,
            user_id=None,
            action="create",
            table="users",
            row_id=user_id,
            after={"username": username, "role": role},
        )
    return get_user(db, user_id)


def get_user(db: Database, user_id: int) -> dict[str, Any]:
    """The user with ``user_id`` (without the password hash)."""
    user = _row(db, f"SELECT {_USER_COLUMNS} FROM users WHERE id = ?", (user_id,))
    if user is None:
        raise NotFound(f"user {user_id}")
    return user


def list_users(db: Database) -> list[dict[str, Any]]:
    """Every user, by name."""
    return _rows(db, f"SELECT {_USER_COLUMNS} FROM users ORDER BY username")


def set_password(db: Database, username: str, password: str) -> None:
    """Change a user's password and end their open sessions."""
    if len(password) < 8:
        raise Invalid("A password has at least 8 characters.")
    with transaction(db):
        row = _row(db, "SELECT id FROM users WHERE username = ?", (username,))
        if row is None:
            raise NotFound(f"user {username!r}")
        db.execute(
            "UPDATE users SET password_hash = ?, session_version = session_version + 1,"
            " version = version + 1, updated_at = ? WHERE id = ?",
            (hash_password(password), now(), row["id"]),
        )
        _audit(db, user_id=None, action="set-password", table="users", row_id=row["id"])


def count_users(db: Database) -> int:
    """How many users exist."""
    return db.execute("SELECT count(*) FROM users").fetchone()[0]


def authenticate(db: Database, username: str, password: str) -> dict[str, Any] | None:
    """The active user whose name and password match, else None."""
    row = _row(
        db, "SELECT id, password_hash, active FROM users WHERE username = ?", (username.strip(),)
    )
    if row is None:
        # Spend the same time as a real check, so that names cannot be probed by timing.
        with contextlib.suppress(VerificationError, InvalidHashError):
            _hasher.verify(_DUMMY_HASH, password)
        return None
    try:
        _hasher.verify(row["password_hash"], password)
    except (VerificationError, InvalidHashError):
        return None
    if not row["active"]:
        return None
    if _hasher.check_needs_rehash(row["password_hash"]):
        new_hash = hash_password(password)  # (0.1 s of CPU: before taking the write lock)
        with transaction(db):
            db.execute("UPDATE users SET password_hash = ? WHERE id = ?", (new_hash, row["id"]))
    return get_user(db, row["id"])


_DUMMY_HASH = _hasher.hash("factcheck-dummy-password")
