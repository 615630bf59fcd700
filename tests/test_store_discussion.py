"""Comments, hand-back of verdicts and the inbox in the store (factcheck/store/discussion.py)."""

from __future__ import annotations

from typing import Any

import pytest

from factcheck import access, store
from factcheck.config import DEFAULT_RATING_SCALE
from factcheck.store import discussion
from factcheck.store.publish_check import publish_check

RATINGS = [e["key"] for e in DEFAULT_RATING_SCALE]


def _users(db: Any) -> dict[str, dict[str, Any]]:
    return {name: store.user_by_name(db, name) for name in ("alice", "bob", "edna", "admin")}


def _claim(db: Any, article_id: int) -> dict[str, Any]:
    return next(c for c in store.list_claims(db, article_id) if not c["dismissed"])


def _verdict(db: Any, claim_id: int, user_id: int, rating: str, version: Any = None) -> Any:
    return store.record_verdict(db, claim_id, user_id, rating, "why", [], version, RATINGS)


def _items(db: Any, user_id: int) -> list[tuple[str, str]]:
    return [(i["kind"], i["subject_url"]) for i in discussion.list_inbox(db, user_id)]


def test_the_tables_flow_reads(db: Any) -> None:
    columns = [row[1] for row in db.execute("PRAGMA table_info(verdict_returns)")]
    assert columns == [
        "id",
        "verdict_id",
        "claim_id",
        "reviewer_id",
        "returned_by",
        "comment_id",
        "created_at",
        "resolved_at",
    ]
    assert {"comments", "inbox_items"} <= set(db.table_names())


def test_notify_and_read_state_per_user(db: Any) -> None:
    u = _users(db)
    alice, bob = u["alice"]["id"], u["bob"]["id"]
    first = store.notify(db, alice, "proposal", "/desk/proposals#proposal-1", "Decide it", bob)
    second = store.notify(db, alice, "mention", "/claims/3", "bob\x07 mentioned   you", bob)
    assert store.notify(db, bob, "mention", "/claims/3", "myself", bob) is None  # own action
    store.notify(db, bob, "assigned", "/articles/1", "for bob")
    items = discussion.list_inbox(db, alice)
    assert [i["id"] for i in items] == [second, first]  # newest first
    assert items[0]["text"] == "bob mentioned you" and items[0]["actor"] == "bob"
    assert store.unread_count(db, alice) == 2
    assert discussion.mark_read(db, bob, [first, second]) == 0  # not bob's
    assert discussion.mark_read(db, alice, [first]) == 1
    assert store.unread_count(db, alice) == 1 and store.unread_count(db, bob) == 1
    assert discussion.mark_read(db, alice) == 1
    assert store.unread_count(db, alice) == 0 and store.unread_count(db, bob) == 1
    discussion.mark_unread(db, alice, first)
    assert [i["id"] for i in discussion.list_inbox(db, alice, unread_only=True)] == [first]
    with pytest.raises(store.NotFound):
        discussion.get_inbox_item(db, bob, first)
    for bad in ("https://evil.example/", "//evil.example/x", "claims/1", "/x\\y"):
        with pytest.raises(store.Invalid):
            store.notify(db, alice, "mention", bad, "x")
    long = store.notify(db, alice, "mention", "/claims/1", "x" * 2000)
    assert len(discussion.get_inbox_item(db, alice, long)["text"]) == discussion.MAX_ITEM_TEXT


def test_notify_joins_the_callers_transaction(db: Any) -> None:
    alice = _users(db)["alice"]["id"]
    with pytest.raises(RuntimeError), store.transaction(db):
        store.notify(db, alice, "mention", "/claims/1", "rolled back")
        raise RuntimeError
    assert store.unread_count(db, alice) == 0


def test_comments_render_markdown_safely_and_mention_users(db: Any, article_id: int) -> None:
    u = _users(db)
    claim = _claim(db, article_id)
    body = "**Check** the budget, @Alice and @edna. <script>x()</script> me@example.org @nobody"
    comment = store.add_comment(db, claim["id"], u["bob"]["id"], body)
    assert "<strong>Check</strong>" in comment["body_html"]
    assert "<script" not in comment["body_html"]
    assert sorted(m["username"] for m in comment["mentioned"]) == ["alice", "edna"]
    assert _items(db, u["alice"]["id"])[0] == ("mention", f"/claims/{claim['id']}")
    assert "Check the budget" in discussion.list_inbox(db, u["edna"]["id"])[0]["text"]
    assert discussion.mentioned_names("a@b.org, @x.y. (@z) @x.Y") == ["x.y", "z"]
    assert [c["id"] for c in store.list_comments(db, claim["id"])] == [comment["id"]]
    history = [(e["action"], e["table_name"]) for e in store.claim_history(db, claim["id"])]
    assert ("comment", "comments") in history
    for empty in ("", "   \n"):
        with pytest.raises(store.Invalid):
            store.add_comment(db, claim["id"], u["bob"]["id"], empty)
    with pytest.raises(store.Invalid):
        store.add_comment(db, claim["id"], u["bob"]["id"], "x" * (discussion.MAX_COMMENT + 1))


def test_blind_review_hides_reviewers_comments_until_they_save(db: Any, article_id: int) -> None:
    u = _users(db)
    claim = _claim(db, article_id)
    alice, bob, edna = u["alice"], u["bob"], u["edna"]
    _verdict(db, claim["id"], bob["id"], "false")
    audience = access.mention_audience(db, bob, claim, "comment", True)
    store.add_comment(db, claim["id"], bob["id"], "Mine says false, @alice", audience)
    store.add_comment(db, claim["id"], edna["id"], "Editors' note for all", None)
    # alice has no verdict yet: bob's comment is hidden, and her mention does not quote it
    item = discussion.list_inbox(db, alice["id"])[0]
    assert "false" not in item["text"] and "once you have saved" in item["text"]
    comments = store.list_comments(db, claim["id"])
    shown, hidden = access.visible_comments(db, alice, claim["id"], comments, True)
    assert [c["body"] for c in shown] == ["Editors' note for all"] and hidden == 1
    assert access.visible_comments(db, alice, claim["id"], comments, False) == (comments, 0)
    assert access.visible_comments(db, edna, claim["id"], comments, True) == (comments, 0)
    _verdict(db, claim["id"], alice["id"], "true")
    assert access.visible_comments(db, alice, claim["id"], comments, True) == (comments, 0)
    # a reviewer who may not see the article is not told of a mention
    store.set_assignments(db, article_id, [alice["id"]], None)
    audience = access.mention_audience(db, alice, claim, "comment", True)
    told = store.add_comment(db, claim["id"], alice["id"], "@bob look", audience)["mentioned"]
    assert told == []


def test_return_and_resave(db: Any, article_id: int) -> None:
    u = _users(db)
    claim = _claim(db, article_id)
    alice, bob, edna = u["alice"]["id"], u["bob"]["id"], u["edna"]["id"]
    mine = _verdict(db, claim["id"], alice, "false")
    _verdict(db, claim["id"], bob, "true")
    assert len(store.verdict_ratings(db, article_id)) == 2
    assert [c["id"] for c in store.contested_claims(db)] == [claim["id"]]
    back = store.return_verdict(db, claim["id"], alice, edna, "Needs a primary source, @bob")
    assert back["resolved_at"] is None and back["comment"]["kind"] == "return"
    assert back["comment"]["returned_reviewer"] == "alice"
    assert _items(db, alice)[0] == ("returned", f"/claims/{claim['id']}")
    assert "Needs a primary source" in discussion.list_inbox(db, alice)[0]["text"]
    assert _items(db, bob)[0] == ("mention", f"/claims/{claim['id']}")
    # not current: left out of agreement and the disagreement queue
    assert [(r[1], r[2]) for r in store.verdict_ratings(db, article_id)] == [(bob, "true")]
    assert store.contested_claims(db) == []
    assert store.returned_claim_ids(db, alice, article_id) == {claim["id"]}
    assert set(store.open_returns(db, claim["id"])) == {alice}
    with pytest.raises(store.Conflict):
        store.return_verdict(db, claim["id"], alice, edna, "again")
    with pytest.raises(store.Invalid):
        store.return_verdict(db, claim["id"], u["admin"]["id"], edna, "no verdict")
    with pytest.raises(store.Invalid):
        store.return_verdict(db, claim["id"], alice, edna, "  ")
    # the reviewer saves again: resolved in the same transaction as the save
    saved = store.record_verdict(
        db, claim["id"], alice, "mostly-false", "primary source", [], mine["version"], RATINGS
    )
    row = db.execute("SELECT * FROM verdict_returns WHERE id = ?", (back["id"],)).fetchone()
    assert row["resolved_at"] is not None and row["resolved_at"] >= saved["updated_at"]
    audit = db.execute(
        "SELECT table_name, action FROM audit_log WHERE claim_id = ? ORDER BY id DESC LIMIT 2",
        (claim["id"],),
    ).fetchall()
    assert [tuple(a) for a in audit] == [("verdict_returns", "resolve"), ("verdicts", "edit")]
    assert store.returned_claim_ids(db, alice) == set()
    assert len(store.verdict_ratings(db, article_id)) == 2
    assert _items(db, edna)[0] == ("resaved", f"/claims/{claim['id']}")
    # returned again, saved unchanged: the verdict stands, the return is answered
    store.return_verdict(db, claim["id"], alice, edna, "Sure?")
    assert (
        store.record_verdict(
            db, claim["id"], alice, "mostly-false", "primary source", [], saved["version"], RATINGS
        )["version"]
        == saved["version"]
    )
    assert store.open_returns(db, claim["id"]) == {}


def test_a_failed_save_leaves_the_return_open(db: Any, article_id: int) -> None:
    u = _users(db)
    claim = _claim(db, article_id)
    alice = u["alice"]["id"]
    mine = _verdict(db, claim["id"], alice, "false")
    store.return_verdict(db, claim["id"], alice, u["edna"]["id"], "Source?")
    with pytest.raises(store.Conflict):
        _verdict(db, claim["id"], alice, "true", version=mine["version"] + 5)
    assert store.returned_claim_ids(db, alice) == {claim["id"]}


def test_publish_check_counts_only_current_verdicts(app: Any, db: Any, article_id: int) -> None:
    u = _users(db)
    claim = _claim(db, article_id)
    _verdict(db, claim["id"], u["alice"]["id"], "false")
    _verdict(db, claim["id"], u["bob"]["id"], "false")
    check = publish_check(db, article_id, app.config)
    assert claim["id"] in [c["id"] for c in check["unanimous"]]
    store.return_verdict(db, claim["id"], u["bob"]["id"], u["edna"]["id"], "Which source?")
    check = publish_check(db, article_id, app.config)
    assert claim["id"] not in [c["id"] for c in check["unanimous"]]


def test_assignments_and_proposals_reach_the_inbox(db: Any, article_id: int) -> None:
    u = _users(db)
    alice, bob, edna, admin = (u[n]["id"] for n in ("alice", "bob", "edna", "admin"))
    # (the fixture assigned alice and bob)
    assert _items(db, alice) == [("assigned", f"/articles/{article_id}")]
    store.set_assignments(db, article_id, [alice, bob], edna)
    assert len(_items(db, alice)) == 1  # nothing new for who stays assigned
    claim = _claim(db, article_id)
    proposal = store.propose(db, claim["id"], alice, "wording", "Better words", "", None)
    url = f"/desk/proposals#proposal-{proposal['id']}"
    assert _items(db, edna) == [("proposal", url)] and _items(db, admin) == [("proposal", url)]
    store.propose(db, claim["id"], alice, "wording", "Even better", "", None)  # replaces it
    assert len(_items(db, edna)) == 1
    store.decide_proposal(db, proposal["id"], edna, True, "ok")
    assert store.unread_count(db, edna) == 0 and store.unread_count(db, admin) == 0
    assert _items(db, alice)[0] == ("decided", f"/claims/{claim['id']}")


def test_mail_is_claimed_once_and_never_a_backlog(db: Any) -> None:
    u = _users(db)
    alice, bob = u["alice"]["id"], u["bob"]["id"]
    old = store.notify(db, alice, "mention", "/claims/1", "before e-mail was on")
    db.execute("UPDATE inbox_items SET created_at = '2020-01-01' WHERE id = ?", (old,))
    store.notify(db, alice, "mention", "/claims/1", "new")
    store.notify(db, bob, "mention", "/claims/1", "bob has no address")
    with pytest.raises(store.Invalid):
        discussion.set_email(db, alice, "not an address")
    assert discussion.set_email(db, alice, " alice@example.org ") == "alice@example.org"
    taken = discussion.claim_mail(db, "2021-01-01")
    assert [(t["email"], t["text"]) for t in taken] == [("alice@example.org", "new")]
    assert discussion.claim_mail(db, "2021-01-01") == []
    discussion.unclaim_mail(db, [t["id"] for t in taken])
    assert len(discussion.claim_mail(db, "2021-01-01")) == 1
    assert discussion.set_email(db, alice, "") is None
