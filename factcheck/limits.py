"""Input limits: one place for what the forms, the API and the routes accept.

- **Ids** (every ``<int:…>`` in a route, every id in a query string or a form): whole numbers
  from 1 to 2^63 - 1, SQLite's integer range; anything past it is "not found" (404), never a
  database error.
- **Offsets** (paging): 0 to :data:`MAX_OFFSET`.
- **Text**: lengths below (characters); no NUL character and no lone surrogate (``\\ud800`` in
  JSON: half of a UTF-16 pair, not a character) in anything typed in a form or sent to the API:
  refused with a message naming the field. Article text and metadata that come from a file, a
  fetched page or an import have them removed at ingest (:func:`clean_text`).
- **JSON bodies**: nested at most :data:`MAX_JSON_DEPTH` deep (checked on the raw text before it
  is parsed: 400); larger than the request limit (``MAX_CONTENT_LENGTH``, from
  ``MAX_ARTICLE_BYTES``): 413.
- **Sources**: at most :data:`MAX_SOURCES` per verdict, on the web and in the API; more is an
  error naming the limit, never silently cut.
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_ID = 2**63 - 1  # SQLite's largest integer
MAX_OFFSET = 1_000_000_000
MAX_JSON_DEPTH = 32

# Lengths in characters.
TITLE = 500
URL = 2000
PUBLISHER = 300
AUTHOR = 300
EXCERPT = 5000
RATIONALE = 50_000
CLAIM_WORDING = 2000
PASSAGE = 5000
NOTE = 5000
REASON = 20_000
USERNAME = 64
PASSWORD = 1024
MAX_SOURCES = 50

_BAD_CHARACTERS = re.compile("[\x00\ud800-\udfff]")
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


class LimitError(ValueError):
    """An input past a limit: ``status`` (400, 404, 413, 422) and a message for the user."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def parse_id(raw: Any) -> int | None:
    """``raw`` (a string of ASCII digits, or an int) as an id in 1..MAX_ID, else None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) <= 19:
        value = int(raw)
    else:
        return None
    return value if 1 <= value <= MAX_ID else None


def parse_whole(raw: str | None, low: int, high: int) -> int | None:
    """``raw`` as a whole number in ``low..high`` (ASCII digits only), else None."""
    if raw is None or not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(high)):
        return None
    value = int(raw)
    return value if low <= value <= high else None


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored (None when it can): a NUL or a lone surrogate."""
    match = _BAD_CHARACTERS.search(value)
    if match is None:
        return None
    if match.group() == "\x00":
        return "contains a NUL character (\\u0000), which cannot be stored"
    return (
        f"contains a lone surrogate (\\u{ord(match.group()):04x}: half of a UTF-16 pair, not a "
        "character), which cannot be stored"
    )


def clean_text(value: str | None) -> str | None:
    """``value`` without NUL characters and lone surrogates (text from files and pages)."""
    if value is None or _BAD_CHARACTERS.search(value) is None:
        return value
    return _BAD_CHARACTERS.sub("", value)


def json_depth(data: bytes, most: int = MAX_JSON_DEPTH) -> int:
    """How deeply the JSON text ``data`` nests arrays and objects (strings left out), without
    parsing it; counted up to ``most + 1`` (deeper is "too deep"; ``most`` for a text with fewer
    brackets than that). Each pass removes the
    innermost ``[]`` and ``{}`` pairs (at C speed), so it takes at most ``most + 1`` passes."""
    if data.count(b"[") + data.count(b"{") <= most:
        return most  # (too few brackets to be too deep: the usual case, no scan)
    brackets = _JSON_STRING.sub(b"", data).translate(None, _NOT_BRACKETS)
    depth = 0
    while brackets and depth <= most:
        shorter = brackets.replace(b"[]", b"").replace(b"{}", b"")
        if len(shorter) == len(brackets):
            break  # unbalanced: the parser will say it is not JSON
        brackets = shorter
        depth += 1
    return depth


def bad_text_in(value: Any, where: str = "") -> str | None:
    """The first string (key or value) of parsed JSON that :func:`text_problem` refuses, as
    ``"'<where>' <problem>"``; None when every string can be stored."""
    if isinstance(value, str):
        problem = text_problem(value)
        return f"'{where or 'the body'}' {problem}" if problem else None
    if isinstance(value, dict):
        for key, item in value.items():
            inner = f"{where}.{key}" if where else str(key)
            found = bad_text_in(key, inner + " (the name)") or bad_text_in(item, inner)
            if found:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found = bad_text_in(item, f"{where}[{index}]")
            if found:
                return found
    return None


def load_json(data: bytes) -> Any:
    """Parse a JSON request body under the limits above; raise :class:`LimitError` (400)."""
    depth = json_depth(data)
    if depth > MAX_JSON_DEPTH:
        raise LimitError(
            400, f"The JSON body nests more than {MAX_JSON_DEPTH} levels deep (the limit)."
        )
    try:
        value = json.loads(data)
    except (ValueError, RecursionError):
        raise LimitError(400, "The request body is not valid JSON.") from None
    problem = bad_text_in(value)
    if problem:
        raise LimitError(400, f"The request body's {problem}.")
    return value
