"""A word-level diff of two wordings, for showing a proposed change.

The result is plain data, ``(op, text)`` pairs with ``op`` one of ``"same"``, ``"del"``,
``"ins"``: templates write each ``text`` through the usual escaping (never as markup), inside
``<del>`` and ``<ins>`` for removed and added words.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

_TOKENS = re.compile(r"\s+|[^\s]+")


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """The words of ``old`` and ``new`` as kept, deleted and inserted runs, in reading order
    (a replaced run is its deletion, then its insertion)."""
    a = _TOKENS.findall(old or "")
    b = _TOKENS.findall(new or "")
    runs: list[tuple[str, str]] = []

    def add(op: str, text: str) -> None:
        if not text:
            return
        if runs and runs[-1][0] == op:
            runs[-1] = (op, runs[-1][1] + text)
        else:
            runs.append((op, text))

    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            add("same", "".join(a[i1:i2]))
            continue
        add("del", "".join(a[i1:i2]))
        add("ins", "".join(b[j1:j2]))
    return runs
