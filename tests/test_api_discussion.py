"""The API's comments, returned verdicts and inbox: the browser's rules, as JSON."""

from __future__ import annotations

from typing import Any

import pytest

from factcheck import store
from factcheck.openapi import API_PREFIX, build_document
from tests.test_api import API, assert_error, claim_ids


@pytest.fixture
def tokens(db: Any) -> dict[str, str]:
    return {
        name: store.create_token(db, store.user_by_name(db, name)["id"], "tests")[0]
        for name in ("admin", "edna", "alice", "bob")
    }


@pytest.fixture
def call(app: Any, tokens: dict[str, str]) -> Any:
    """``call("alice", "GET", "/inbox")``: the response to alice's request."""

    def make(who: str, method: str, url: str, body: Any = None) -> Any:
        return app.test_client().open(
            API + url, method=method, json=body, headers={"Authorization": f"Bearer {tokens[who]}"}
        )

    return make


@pytest.fixture
def claim(db: Any, article_id: int) -> int:
    """A claim of the sample article (assigned to alice and bob) with alice's verdict."""
    first = claim_ids(db, article_id)[0]
    alice = store.user_by_name(db, "alice")["id"]
    store.record_verdict(db, first, alice, "true", "The table.", [], None, ["true", "false"])
    return first


def validate(app: Any, body: Any, schema: str) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    document = build_document(app)
    jsonschema.validate(
        body,
        {"$ref": f"#/components/schemas/{schema}", "components": document["components"]},
        cls=jsonschema.Draft202012Validator,
    )


def test_comments(app: Any, db: Any, call: Any, claim: int) -> None:
    posted = call("alice", "POST", f"/claims/{claim}/comments", {"body": "See **p. 4**, @edna"})
    assert posted.status_code == 201 and posted.headers["Location"].endswith("/comments")
    body = posted.get_json()
    validate(app, body, "CommentPosted")
    assert body["mentioned"] == ["edna"] and body["comment"]["author"] == "alice"
    assert body["comment"]["body_html"].startswith("<p>See <strong>p. 4</strong>")
    evil = call("alice", "POST", f"/claims/{claim}/comments", {"body": "<script>x()</script>"})
    assert "<script>" not in evil.get_json()["comment"]["body_html"]  # (sanitised)
    thread = call("edna", "GET", f"/claims/{claim}/comments").get_json()
    validate(app, thread, "CommentList")
    assert [c["body"] for c in thread["comments"]][0] == "See **p. 4**, @edna"
    assert thread["hidden"] is False
    # the same audit entry as the browser's
    assert (
        db.execute(
            "SELECT count(*) FROM audit_log WHERE table_name = 'comments' AND claim_id = ?",
            (claim,),
        ).fetchone()[0]
        == 2
    )
    # blind review: bob, without a verdict, does not see alice's comments (nor how many)
    store.update_settings(db, {"blind_verdicts": True}, None)
    hidden = call("bob", "GET", f"/claims/{claim}/comments").get_json()
    assert hidden["comments"] == [] and hidden["hidden"] is True
    # refused input: 422 with the reason; no body or unknown fields
    assert_error(call("alice", "POST", f"/claims/{claim}/comments", {"body": " "}), 422)
    assert_error(call("alice", "POST", f"/claims/{claim}/comments", {"text": "x"}), 422)
    assert_error(call("alice", "POST", f"/claims/{claim}/comments", {"body": "x" * 10_001}), 422)


def test_returns_and_inbox(app: Any, db: Any, call: Any, claim: int) -> None:
    reason = {"reviewer": "alice", "reason": "Which budget? The *2024* one."}
    assert_error(call("bob", "POST", f"/claims/{claim}/returns", reason), 403)
    assert_error(
        call("edna", "POST", f"/claims/{claim}/returns", reason | {"reviewer": "zed"}), 422
    )
    assert_error(
        call("edna", "POST", f"/claims/{claim}/returns", reason | {"reviewer": "bob"}), 422
    )
    posted = call("edna", "POST", f"/claims/{claim}/returns", reason)
    assert posted.status_code == 201
    validate(app, posted.get_json(), "ReturnPosted")
    back = posted.get_json()["return"]
    assert (back["reviewer"], back["returned_by"]) == ("alice", "edna")
    assert back["reason_html"] == "<p>Which budget? The <em>2024</em> one.</p>\n"
    assert_error(call("admin", "POST", f"/claims/{claim}/returns", reason), 409)
    # who sees it: editors all, alice her own, bob none
    for who, expected in (("edna", ["alice"]), ("alice", ["alice"]), ("bob", [])):
        listed = call(who, "GET", f"/claims/{claim}/returns").get_json()
        validate(app, listed, "ReturnList")
        assert [r["reviewer"] for r in listed["returns"]] == expected, who
    # alice's inbox says so; she reads it, and marks it unread again
    inbox = call("alice", "GET", "/inbox").get_json()
    validate(app, inbox, "Inbox")
    item = inbox["items"][0]
    assert item["kind"] == "returned" and item["actor"] == "edna" and inbox["unread"] >= 1
    assert item["url"] == f"/claims/{claim}" and item["read_at"] is None
    done = call("alice", "POST", "/inbox/read", {"items": [item["id"]]}).get_json()
    validate(app, done, "InboxChanged")
    assert done["changed"] == 1
    assert call("alice", "GET", "/inbox?unread=true").get_json()["items"] == [
        i for i in call("alice", "GET", "/inbox").get_json()["items"] if i["read_at"] is None
    ]
    again = call("alice", "POST", "/inbox/read", {"unread": item["id"]}).get_json()
    assert again["changed"] == 1 and again["unread"] == inbox["unread"]
    # another user's item changes nothing
    assert call("bob", "POST", "/inbox/read", {"items": [item["id"]]}).get_json()["changed"] == 0
    for bad in ({}, {"all": True, "unread": 1}, {"items": ["x"]}, {"all": "yes"}, {"unread": True}):
        assert_error(call("alice", "POST", "/inbox/read", bad), 422)
    # saving the verdict again closes the return
    alice = store.user_by_name(db, "alice")["id"]
    verdict = store.get_verdict(db, claim, alice)
    store.record_verdict(db, claim, alice, "false", "2025.", [], verdict["version"], ["false"])
    assert call("edna", "GET", f"/claims/{claim}/returns").get_json()["returns"] == []


def test_inbox_pages(app: Any, db: Any, call: Any) -> None:
    alice = store.user_by_name(db, "alice")["id"]
    for n in range(5):
        store.notify(db, alice, "mention", f"/claims/{n + 1}", f"Item {n}")
    first = call("alice", "GET", "/inbox?limit=2").get_json()
    assert [i["text"] for i in first["items"]] == ["Item 4", "Item 3"]
    second = call("alice", "GET", first["next"][len(API_PREFIX) :]).get_json()
    assert [i["text"] for i in second["items"]] == ["Item 2", "Item 1"]
    assert call("bob", "GET", "/inbox").get_json() == {"items": [], "unread": 0, "next": None}
    assert_error(call("alice", "GET", "/inbox?limit=0"), 422)
