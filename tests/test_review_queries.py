"""How many SQL statements the review page runs: the article head, the desk's settings and
the claim's proposals are read once per request and handed down. In this test's desk the page
with a claim open ran 19 statements for an editor and 25 for a reviewer before (the head twice,
the settings two or three times, the proposals twice, the reviewer's own verdict twice more);
15 and 17 now."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from factcheck import db as db_module
from factcheck import store

# Every statement of the request, from the session's user to the menu's counts.
LIMITS = {
    ("edna", True): 15,
    ("alice", True): 17,
    ("edna", False): 6,
    ("alice", False): 6,
}


@pytest.fixture
def statements(monkeypatch: Any) -> list[str]:
    """Each SQL statement the app's request connections run (sqlite3's trace callback)."""
    seen: list[str] = []
    checkout = db_module._checkout

    def traced(*args: Any, **kwargs: Any) -> Any:
        database = checkout(*args, **kwargs)
        database.conn.set_trace_callback(seen.append)
        return database

    monkeypatch.setattr(db_module, "_checkout", traced)
    return seen


@pytest.mark.parametrize(("who", "with_claim"), list(LIMITS))
def test_review_page_query_count(
    db: Any, login: Any, article_id: int, statements: list[str], who: str, with_claim: bool
) -> None:
    claims = [c["id"] for c in store.list_claims(db, article_id)]
    alice = store.user_by_name(db, "alice")["id"]
    store.set_assignments(db, article_id, [alice], None)
    store.record_verdict(db, claims[0], alice, "true", "The table.", [], None, ["true"])
    store.add_comment(db, claims[0], alice, "See page 4.")
    store.propose(db, claims[0], alice, "wording", "Reworded", "", None)
    session = login(who)
    url = f"/articles/{article_id}" + (f"?claim={claims[0]}" if with_claim else "")
    assert session.get(url).status_code == 200  # (the article's view is cached from here on)
    statements.clear()
    response = session.get(url)
    assert (
        response.status_code == 200
        and "Reworded" in response.get_data(as_text=True)
        or (not with_claim)
    )
    shown = "\n".join(statements)
    assert len(statements) <= LIMITS[(who, with_claim)], shown
    repeated = [sql for sql, n in Counter(statements).items() if n > 1]
    assert not repeated, repeated  # (nothing is read twice)
    assert sum("FROM settings" in sql for sql in statements) <= 1, shown
