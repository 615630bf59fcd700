"""How many SQL statements the review page runs: the article head, the desk's settings and
the claim's proposals are read once per request and handed down. In this test's desk the page
with a claim open ran 19 statements for an editor and 25 for a reviewer before (the head twice,
the settings two or three times, the proposals twice, the reviewer's own verdict twice more);
then 15 and 17 (a reviewer's open and decided proposals in two reads, their own sources read
again for the evidence panel, the open returns apart from the thread that holds them); 14 and
14 now."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from factcheck import db as db_module
from factcheck import store

# Every statement of the request, from the session's user to the menu's counts.
LIMITS = {
    ("edna", True): 14,
    ("alice", True): 14,
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
    bob, edna = (store.user_by_name(db, name)["id"] for name in ("bob", "edna"))
    store.record_verdict(db, claims[0], bob, "false", "Old figure.", [], None, ["false"])
    store.return_verdict(db, claims[0], bob, edna, "Which figure?")
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
    # one read each: the claim's proposals (the menu counts the desk's apart), its verdicts'
    # sources (the reviewer's evidence panel among them), its thread (the returns with it)
    assert sum("FROM claim_proposals p" in sql for sql in statements) <= 1, shown
    assert sum("FROM sources s" in sql for sql in statements) <= 1, shown
    assert not any(sql.startswith("SELECT r.*") for sql in statements), shown  # (open_returns)


def test_the_panel_reads_give_what_the_separate_reads_gave(db: Any, article_id: int) -> None:
    """The one reads the panel makes now equal the reads they replace: the verdicts with
    their sources and evidence, the open returns from the thread, the proposals."""
    from factcheck.store import evidence

    claims = [c["id"] for c in store.list_claims(db, article_id)]
    ids = {name: store.user_by_name(db, name)["id"] for name in ("alice", "bob", "edna")}
    source = {"url": "https://stats.example/t", "title": "Table", "excerpt": "27 million"}
    for name in ("alice", "bob"):
        store.record_verdict(
            db, claims[0], ids[name], "true", "The table.", [source], None, ["true"]
        )
    store.return_verdict(db, claims[0], ids["bob"], ids["edna"], "Which **table**?")
    store.add_comment(db, claims[0], ids["alice"], "Page 4.")
    first = store.propose(db, claims[0], ids["alice"], "wording", "Reworded", "", None)
    store.decide_proposal(db, first["id"], ids["edna"], False, "No.")
    store.propose(db, claims[0], ids["alice"], "dismiss", "", "Opinion.", None)
    store.propose(db, claims[0], ids["bob"], "wording", "Other", "", None)

    both = store.list_verdicts(db, claims[0], evidence=True)
    assert [{k: v for k, v in b.items() if k != "evidence"} for b in both] == (
        store.list_verdicts(db, claims[0])
    )
    for verdict in both:
        assert len(verdict["evidence"]) == 1
        assert [
            {k: v for k, v in e.items() if k != "archive"}
            for e in evidence.verdict_evidence(db, [verdict["id"]])[verdict["id"]]
        ] == [{k: v for k, v in e.items() if k != "archive"} for e in verdict["evidence"]]
    thread = store.list_comments(db, claims[0])
    assert store.open_returns_in(thread) == store.open_returns(db, claims[0])
    assert list(store.open_returns_in(thread)) == [ids["bob"]]

    everyone, last = store.panel_proposals(
        db, claims[0], ids["edna"], every_open=True, decided=False
    )
    assert everyone == store.list_open_proposals(db, claims[0]) and last is None
    mine, last = store.panel_proposals(db, claims[0], ids["alice"], every_open=False, decided=True)
    assert mine == [store.open_proposal(db, claims[0], ids["alice"])]
    assert last == store.last_decided_proposal(db, claims[0], ids["alice"])
    assert (mine[0]["kind"], last["kind"], last["status"]) == ("dismiss", "wording", "rejected")
