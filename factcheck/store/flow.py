"""A reviewer's own progress: each claim's state for them, and the next claim they have to do.

A claim's state for a user (:func:`review_states`) is one of

- ``"todo"``: they have no verdict on it yet;
- ``"returned"``: an editor sent their verdict back (an open row of ``verdict_returns``, closed
  when they save again): it is to do again;
- ``"disputed"``: their verdict is in, other reviewers' current verdicts differ from it
  (by the desk's disagreement mode) and no editor has settled the claim yet;
- ``"done"``: their verdict is in.

Only undismissed claims have a state. "To do" for navigation means ``todo`` or ``returned``.
Nothing here reveals another reviewer's verdict to a user who has not saved one: a claim is
``disputed`` for a user only once their own verdict is in (when blind review shows them the
others' anyway).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database

from ..agreement import is_disagreement
from .articles import VISIBLE_ARTICLE_IDS
from .base import _row
from .desk import get_settings
from .discussion import current_verdict_sql

STATES = ("todo", "returned", "disputed", "done")
TO_DO = ("todo", "returned")
LABELS = {"todo": "to do", "returned": "returned", "disputed": "disputed", "done": "done"}

# An open hand-back of the user's verdict on the claim (store/discussion.py).
_RETURNED = (
    "EXISTS (SELECT 1 FROM verdict_returns r WHERE r.claim_id = c.id"
    " AND r.reviewer_id = :user AND r.resolved_at IS NULL)"
)


def review_states(
    db: Database, article_id: int, user_id: int, order: Sequence[str] | None = None
) -> dict[int, str]:
    """``{claim_id: state}`` of the article's undismissed claims for the user (see the module).

    ``order`` is the rating scale's ordinal order (:func:`factcheck.agreement.ordinal_order`),
    used by the "step" disagreement mode; without it any two different ratings disagree.
    """
    rows = db.execute(
        "SELECT c.id, mine.rating, f.claim_id IS NOT NULL AS settled,"
        " (SELECT group_concat(o.rating, char(31)) FROM verdicts o WHERE o.claim_id = c.id"
        f"   AND {current_verdict_sql('o')}) AS ratings,"  # (a returned verdict is not current)
        f" {_RETURNED} AS returned"
        " FROM claims c"
        " LEFT JOIN verdicts mine ON mine.claim_id = c.id AND mine.user_id = :user"
        " LEFT JOIN final_verdicts f ON f.claim_id = c.id"
        " WHERE c.article_id = :article AND NOT c.dismissed",
        {"user": user_id, "article": article_id},
    ).fetchall()
    mode = None
    states = {}
    for claim_id, mine, settled, ratings, is_returned in rows:
        if is_returned:
            state = "returned"
        elif mine is None:
            state = "todo"
        elif settled or not ratings or "\x1f" not in ratings:
            state = "done"
        else:
            if mode is None:
                mode = get_settings(db)["disagreement_mode"]
                if mode == "step" and not order:
                    mode = "any"
            values = ratings.split("\x1f")
            state = "disputed" if is_disagreement(values, list(order or ()), mode) else "done"
        states[claim_id] = state
    return states


def state_counts(states: dict[int, str]) -> dict[str, int]:
    """How many claims are in each state, and ``"to_do"``: to do and returned together."""
    counts = dict.fromkeys(STATES, 0)
    for state in states.values():
        counts[state] += 1
    counts["to_do"] = counts["todo"] + counts["returned"]
    counts["total"] = len(states)
    return counts


def next_todo(
    db: Database, user_id: int, after_claim: int | None = None, article_id: int | None = None
) -> dict[str, Any] | None:
    """The next claim the user has to do (``{"id", "article_id"}``), or None: in their queue
    (assigned or added by them), not ``after_claim``; check-worthy ones first within an
    article, in reading order; the article ``article_id`` first, then the articles after it,
    then those before it."""
    return _row(
        db,
        "SELECT c.id, c.article_id FROM claims c"
        f" WHERE NOT c.dismissed AND c.article_id IN ({VISIBLE_ARTICLE_IDS})"
        " AND (NOT EXISTS (SELECT 1 FROM verdicts v WHERE v.claim_id = c.id"
        f"   AND v.user_id = :user) OR {_RETURNED})"
        " AND c.id != :after"
        " ORDER BY c.article_id != :article, c.article_id < :article, c.article_id,"
        " c.checkworthy DESC, c.start, c.id LIMIT 1",
        {"user": user_id, "after": after_claim or 0, "article": article_id or 0},
    )


def returned_counts(db: Database, user_id: int) -> dict[int, int]:
    """Per article, how many of the user's verdicts an editor returned (not saved again)."""
    return {
        row[0]: row[1]
        for row in db.execute(
            "SELECT c.article_id, count(*) FROM verdict_returns r"
            " JOIN claims c ON c.id = r.claim_id"
            " WHERE r.reviewer_id = ? AND r.resolved_at IS NULL AND NOT c.dismissed"
            " GROUP BY c.article_id",
            (user_id,),
        )
    }


def visible_progress(db: Database, user_id: int) -> dict[int, dict[str, int]]:
    """Per article, what a reviewer under blind review may see of its verdicts: the claims
    with their own verdict (``reviewed``) and, of those, the settled ones (``settled``)."""
    return {
        row[0]: {"reviewed": row[1], "settled": row[2]}
        for row in db.execute(
            "SELECT c.article_id, count(*), count(f.claim_id) FROM verdicts v"
            " JOIN claims c ON c.id = v.claim_id"
            " LEFT JOIN final_verdicts f ON f.claim_id = c.id"
            " WHERE v.user_id = ? AND NOT c.dismissed GROUP BY c.article_id",
            (user_id,),
        )
    }
