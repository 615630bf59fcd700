"""Configuration: defaults, then the instance folder's ``config.py``, then ``FACTCHECK_*``.

Every key of :data:`DEFAULTS` is a documented setting (the README lists them all and a test
checks that it does). Environment variables override with the key's name prefixed by
``FACTCHECK_``; values of non-string settings are parsed (integers, booleans, JSON lists).
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

DEFAULT_RATING_SCALE: list[dict[str, Any]] = [
    {"key": "true", "label": "True", "value": 5, "ordinal": True},
    {"key": "mostly-true", "label": "Mostly true", "value": 4, "ordinal": True},
    {"key": "half-true", "label": "Half true", "value": 3, "ordinal": True},
    {"key": "mostly-false", "label": "Mostly false", "value": 2, "ordinal": True},
    {"key": "false", "label": "False", "value": 1, "ordinal": True},
    {"key": "misleading", "label": "Misleading", "value": 2, "ordinal": False},
    {"key": "unverifiable", "label": "Unverifiable", "value": 0, "ordinal": False},
]

DEFAULTS: dict[str, Any] = {
    # Path of the SQLite database, relative to the working directory.
    "DATABASE": "claims.db",
    # Session signing key; generated into the instance folder when not set.
    "SECRET_KEY": None,
    # Largest article accepted, in bytes of UTF-8 text (pasted or uploaded).
    "MAX_ARTICLE_BYTES": 5_000_000,
    # Milliseconds a write waits for another writer before giving up with a 503.
    "BUSY_TIMEOUT_MS": 5000,
    # Load the demo article into a new, empty database.
    "LOAD_DEMO": True,
    # The verdict rating scale: key, label, numeric value, and whether it is on the ordinal line.
    "RATING_SCALE": DEFAULT_RATING_SCALE,
    # Minimum check-worthiness score for a claim to be marked check-worthy (None = model default).
    "CHECKWORTHY_THRESHOLD": None,
    # Name and web address of the fact-checking organisation, used in exports.
    "ORG_NAME": "factcheck desk",
    "ORG_URL": "http://127.0.0.1:5000/",
    # Permalink of a claim's verdict, used as the ClaimReview url.
    "PERMALINK_TEMPLATE": "http://127.0.0.1:5000/verdicts/{claim_id}",
    # Import from URL: allow fetching from private, loopback and link-local addresses
    # (off: a server-side fetch must not reach the internal network).
    "ALLOW_PRIVATE_URLS": False,
    # Import from URL: seconds to wait for the server at each step (connect, each read).
    "FETCH_TIMEOUT_SECONDS": 10,
    # Import from URL: largest page fetched, in bytes.
    "FETCH_MAX_BYTES": 5_000_000,
    # Send the session cookie only over HTTPS (turn on behind TLS).
    "SESSION_COOKIE_SECURE": False,
    # Days a login lasts, counted from the login (not renewed by activity).
    "SESSION_DAYS": 14,
}


def _parse(raw: str, default: Any) -> Any:
    """Parse an environment value to the type of its default."""
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    if isinstance(default, list | dict) or default is None:
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    return raw


def from_environment(environ: dict[str, str] | None = None) -> dict[str, Any]:
    """Settings given as ``FACTCHECK_<KEY>`` environment variables."""
    environ = os.environ if environ is None else environ
    found = {}
    for key, default in DEFAULTS.items():
        raw = environ.get(f"FACTCHECK_{key}")
        if raw is not None:
            found[key] = _parse(raw, default)
    return found


def ensure_secret_key(instance_path: str) -> str:
    """Read the instance folder's secret key, creating it (mode 600) on first run."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        key = path.read_text().strip()
        if key:
            return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key + "\n")
    return key
