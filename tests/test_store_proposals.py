"""Reviewers' proposals to change a claim (factcheck/store/proposals.py) and the word diff."""

from __future__ import annotations

from typing import Any

import pytest

from factcheck import store
from factcheck.wordiff import word_diff


def _users(db: Any) -> dict[str, int]:
    return {name: store.user_by_name(db, name)["id"] for name in ("alice", "bob", "edna")}


def _claim(db: Any, article_id: int) -> dict[str, Any]:
    return next(c for c in store.list_claims(db, article_id) if not c["dismissed"])


def _history(db: Any, claim_id: int) -> list[tuple[str, str]]:
    return [(e["action"], e["table_name"]) for e in store.claim_history(db, claim_id)]


def test_propose_accept_changes_the_wording_with_history(db: Any, article_id: int) -> None:
    u = _users(db)
    claim = _claim(db, article_id)
    proposal = store.propose(
        db, claim["id"], u["alice"], "wording", "  Better wording.  ", "clearer", claim["version"]
    )
    assert proposal["status"] == "open"
    assert (proposal["text"], proposal["base_text"]) == ("Better wording.", claim["text"])
    assert proposal["username"] == "alice" and not proposal["stale"]
    assert store.get_claim(db, claim["id"])["text"] == claim["text"]  # nothing changed yet
    assert store.count_open_proposals(db) == 1
    decided = store.decide_proposal(
        db, proposal["id"], u["edna"], True, "fine", proposal["version"]
    )
    assert decided["status"] == "accepted" and decided["decided_by_name"] == "edna"
    assert decided["note"] == "fine"
    after = store.get_claim(db, claim["id"])
    assert after["text"] == "Better wording." and after["version"] == claim["version"] + 1
    assert store.count_open_proposals(db) == 0
    history = _history(db, claim["id"])
    assert history[-3:] == [
        ("propose", "claim_proposals"),
        ("edit", "claims"),
        ("accept", "claim_proposals"),
    ]
    accept = store.claim_history(db, claim["id"])[-1]
    assert accept["username"] == "edna"
    assert accept["before"]["proposed_by"] == "alice"
    assert accept["before"]["new"] == "Better wording."


def test_reject_keeps_the_claim(db: Any, article_id: int) -> None:
    u = _users(db)
    claim = _claim(db, article_id)
    proposal = store.propose(db, claim["id"], u["alice"], "dismiss", None, "not a claim", None)
    decided = store.decide_proposal(db, proposal["id"], u["edna"], False, "It is one.")
    assert decided["status"] == "rejected"
    assert store.get_claim(db, claim["id"]) == claim
    assert _history(db, claim["id"])[-2:] == [
        ("propose", "claim_proposals"),
        ("reject", "claim_proposals"),
    ]
    with pytest.raises(store.Invalid, match="rejected already"):
        store.decide_proposal(db, proposal["id"], u["edna"], True)


def test_dismiss_and_restore_proposals(db: Any, article_id: int) -> None:
    u = _users(db)
    claim = _claim(db, article_id)
    with pytest.raises(store.Invalid, match="not dismissed"):
        store.propose(db, claim["id"], u["alice"], "restore", None, "", None)
    p = store.propose(db, claim["id"], u["alice"], "dismiss", None, "", None)
    store.decide_proposal(db, p["id"], u["edna"], True)
    assert store.get_claim(db, claim["id"])["dismissed"]
    with pytest.raises(store.Invalid, match="dismissed already"):
        store.propose(db, claim["id"], u["bob"], "dismiss", None, "", None)
    p = store.propose(db, claim["id"], u["bob"], "restore", None, "", None)
    store.decide_proposal(db, p["id"], u["edna"], True)
    assert not store.get_claim(db, claim["id"])["dismissed"]


def test_one_open_proposal_per_claim_and_user(db: Any, article_id: int) -> None:
    u = _users(db)
    claim = _claim(db, article_id)
    first = store.propose(db, claim["id"], u["alice"], "wording", "One.", "", None)
    second = store.propose(db, claim["id"], u["alice"], "dismiss", None, "Rather this", None)
    assert second["id"] == first["id"] and second["version"] == first["version"] + 1
    assert (second["kind"], second["text"], second["reason"]) == ("dismiss", None, "Rather this")
    bobs = store.propose(db, claim["id"], u["bob"], "wording", "Two.", "", None)
    assert [p["id"] for p in store.list_open_proposals(db, claim["id"])] == [
        first["id"],
        bobs["id"],
    ]
    assert store.open_proposal(db, claim["id"], u["alice"])["kind"] == "dismiss"
    replaced = store.claim_history(db, claim["id"])[-2]
    assert replaced["before"]["kind"] == "wording" and replaced["after"]["kind"] == "dismiss"
    # An editor deciding on the version they saw: a changed proposal is a conflict.
    with pytest.raises(store.Conflict):
        store.decide_proposal(db, first["id"], u["edna"], True, version=first["version"])


def test_withdraw_only_ones_own(db: Any, article_id: int) -> None:
    u = _users(db)
    claim = _claim(db, article_id)
    p = store.propose(db, claim["id"], u["alice"], "wording", "Mine.", "", None)
    with pytest.raises(store.NotFound):
        store.withdraw_proposal(db, p["id"], u["bob"])
    assert store.withdraw_proposal(db, p["id"], u["alice"])["status"] == "withdrawn"
    assert store.open_proposal(db, claim["id"], u["alice"]) is None
    assert _history(db, claim["id"])[-1] == ("withdraw", "claim_proposals")
    # A new proposal after a withdrawn one is a new row.
    again = store.propose(db, claim["id"], u["alice"], "wording", "Mine.", "", None)
    assert again["id"] != p["id"]


def test_conflict_when_the_claim_changed_since(db: Any, article_id: int) -> None:
    u = _users(db)
    claim = _claim(db, article_id)
    p = store.propose(db, claim["id"], u["alice"], "wording", "Alice's.", "", claim["version"])
    store.edit_claim_text(db, claim["id"], "Edna's.", claim["version"], u["edna"])
    assert store.get_proposal(db, p["id"])["stale"]
    with pytest.raises(store.Conflict) as caught:
        store.decide_proposal(db, p["id"], u["edna"], True)
    assert caught.value.current["text"] == "Edna's."
    assert store.get_proposal(db, p["id"])["status"] == "open"  # (rolled back whole)
    # Accepting again over the current version applies it.
    current = store.get_claim(db, claim["id"])
    store.decide_proposal(db, p["id"], u["edna"], True, claim_version=current["version"])
    assert store.get_claim(db, claim["id"])["text"] == "Alice's."
    # Proposing on a version the user did not see is a conflict too.
    with pytest.raises(store.Conflict):
        store.propose(db, claim["id"], u["bob"], "wording", "Bob's.", "", claim["version"])


def test_checks(db: Any, article_id: int) -> None:
    u = _users(db)
    claim = _claim(db, article_id)
    with pytest.raises(store.Invalid, match="wording now"):
        store.propose(db, claim["id"], u["alice"], "wording", claim["text"], "", None)
    with pytest.raises(store.Invalid, match="empty"):
        store.propose(db, claim["id"], u["alice"], "wording", "  ", "", None)
    with pytest.raises(store.Invalid):
        store.propose(db, claim["id"], u["alice"], "delete", None, "", None)
    with pytest.raises(store.Invalid, match="at most"):
        store.propose(db, claim["id"], u["alice"], "dismiss", None, "x" * 5001, None)
    with pytest.raises(store.NotFound):
        store.propose(db, 99999, u["alice"], "dismiss", None, "", None)
    p = store.propose(db, claim["id"], u["alice"], "dismiss", None, "", None)
    with pytest.raises(store.Invalid, match="Only editors"):
        store.decide_proposal(db, p["id"], u["bob"], True)
    assert store.get_proposal(db, p["id"])["status"] == "open"


def test_accepting_on_a_published_claim_is_a_correction(db: Any, article_id: int) -> None:
    u = _users(db)
    claim = _claim(db, article_id)
    store.record_final_verdict(db, claim["id"], u["edna"], "true", "", None, ["true"])
    store.publish_article(db, article_id, u["edna"])
    p = store.propose(db, claim["id"], u["alice"], "wording", "After publication.", "", None)
    with pytest.raises(store.Invalid, match="Write its note"):
        store.decide_proposal(db, p["id"], u["edna"], True)
    assert store.get_claim(db, claim["id"])["text"] == claim["text"]
    store.decide_proposal(db, p["id"], u["edna"], True, "Reworded after a reader's note.")
    assert store.get_claim(db, claim["id"])["text"] == "After publication."
    latest = store.latest_version(db, claim["id"])
    assert (latest["version"], latest["text"]) == (2, "After publication.")
    assert latest["note"] == "Reworded after a reader's note."
    # Dismissing a published claim is a withdrawal: not made by accepting a proposal.
    p = store.propose(db, claim["id"], u["alice"], "dismiss", None, "", None)
    with pytest.raises(store.PublishedClaim):
        store.decide_proposal(db, p["id"], u["edna"], True, "note")
    assert store.get_claim(db, claim["id"])["dismissed"] is False
    assert store.decide_proposal(db, p["id"], u["edna"], False)["status"] == "rejected"


def test_reviewers_shape_claims_setting(db: Any) -> None:
    assert store.get_settings(db)["reviewers_shape_claims"] is False
    store.update_settings(db, {"reviewers_shape_claims": True}, None)
    assert store.get_settings(db)["reviewers_shape_claims"] is True
    with pytest.raises(store.Invalid):
        store.update_settings(db, {"reviewers_shape_claims": "yes"}, None)


def test_word_diff() -> None:
    assert word_diff(
        "Unemployment fell in January 2025.", "Unemployment fell in January 2024."
    ) == [
        ("same", "Unemployment fell in January "),
        ("del", "2025."),
        ("ins", "2024."),
    ]
    assert word_diff("a b", "a b") == [("same", "a b")]
    assert word_diff("", "new words") == [("ins", "new words")]
    assert word_diff("old <b>", "") == [("del", "old <b>")]
