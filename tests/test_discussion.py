"""Comments on a claim, an editor handing a verdict back, the inbox and its e-mail (issue 12,
items 4-6): the pages and forms (the store's rules are in test_store_discussion.py)."""

from __future__ import annotations

import re
import socket
import time
from typing import Any

import pytest

from factcheck import mail, store
from factcheck.store import discussion

from .test_proposals import _page
from .test_review import JSON, panel_html


@pytest.fixture
def claim(db: Any, article_id: int) -> dict[str, Any]:
    return store.list_claims(db, article_id)[0]


def _thread(session: Any, claim: dict[str, Any]) -> str:
    response = session.get(f"/claims/{claim['id']}/comments")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _save(session: Any, claim: dict[str, Any], rating: str, version: str = "") -> Any:
    return session.post(
        f"/claims/{claim['id']}/verdict",
        data={"rating": rating, "rationale": "r", "version": version},
    )


def test_comment_thread_in_the_panel(login: Any, db: Any, claim: dict) -> None:
    alice, edna = login("alice"), login("edna")
    panel = panel_html(_page(alice, claim))
    assert 'id="comments"' in panel and "No comments yet." in panel
    assert "A comment is not a verdict" in panel  # the blind-review warning
    response = alice.post(
        f"/claims/{claim['id']}/comments",
        data={"body": "Is *14 km* the [whole line](javascript:alert(1))? <img src=x onerror=y>"},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("#comments")
    thread = _thread(edna, claim)
    assert "<em>14 km</em>" in thread
    assert 'href="javascript' not in thread and "<img" not in thread
    assert "<strong>alice</strong>" in thread
    # JSON: a mention tells the user (who may see the claim)
    response = edna.post(
        f"/claims/{claim['id']}/comments",
        data={"body": "@alice @bob see the minutes"},
        headers=JSON,
    )
    assert response.status_code == 201
    assert sorted(response.get_json()["mentioned"]) == ["alice", "bob"]
    assert discussion.list_inbox(db, store.user_by_name(db, "bob")["id"])[0]["kind"] == "mention"


def test_a_refused_comment_keeps_its_text(login: Any, db: Any, claim: dict) -> None:
    alice = login("alice")
    long = "Word " * 2001  # (over the 10,000 characters)
    response = alice.post(f"/claims/{claim['id']}/comments", data={"body": long})
    assert response.status_code == 400
    panel = panel_html(response.get_data(as_text=True))
    assert "A comment is at most 10,000 characters." in panel
    assert re.search(r'<textarea name="body"[^>]*aria-invalid="true"[^>]*>Word Word', panel)
    # a stale form token: the text comes back too, with the message by the field
    response = alice.client.post(
        f"/claims/{claim['id']}/comments", data={"body": "kept? yes", "csrf_token": "stale"}
    )
    assert response.status_code == 400
    panel = panel_html(response.get_data(as_text=True))
    assert "security token expired" in panel and ">kept? yes</textarea>" in panel
    assert store.list_comments(db, claim["id"]) == []
    response = alice.post(f"/claims/{claim['id']}/comments", data={"body": "  "}, headers=JSON)
    assert response.status_code == 400 and response.get_json()["error"] == "Write a comment first."


def test_blind_review_hides_other_reviewers_comments(login: Any, claim: dict) -> None:
    alice, bob, edna = login("alice"), login("bob"), login("edna")
    assert _save(alice, claim, "false").status_code == 302
    alice.post(f"/claims/{claim['id']}/comments", data={"body": "Checked the council minutes"})
    edna.post(f"/claims/{claim['id']}/comments", data={"body": "Editors' question for all"})
    thread = _thread(bob, claim)
    assert "council minutes" not in thread
    assert "Editors' question for all" in thread
    assert "other reviewers' comments show here once you save your verdict" in thread
    assert "comments-hidden" not in _thread(edna, claim)
    assert "council minutes" in _thread(edna, claim)
    assert _save(bob, claim, "true").status_code == 302
    assert "council minutes" in _thread(bob, claim)


def test_unassigned_reviewer_sees_no_thread(login: Any, db: Any, claim: dict) -> None:
    store.set_assignments(db, claim["article_id"], [store.user_by_name(db, "alice")["id"]], None)
    bob = login("bob")
    assert bob.get(f"/claims/{claim['id']}/comments").status_code == 404
    assert bob.post(f"/claims/{claim['id']}/comments", data={"body": "x"}).status_code == 404
    assert store.list_comments(db, claim["id"]) == []


def test_editor_returns_a_verdict_and_the_reviewer_saves_again(
    login: Any, db: Any, claim: dict
) -> None:
    alice, bob, edna = login("alice"), login("bob"), login("edna")
    _save(alice, claim, "false")
    _save(bob, claim, "true")
    alice_id = store.user_by_name(db, "alice")["id"]
    # the editor's panel offers the hand-back; reviewers' panels do not
    assert "Return a verdict to its reviewer" in panel_html(_page(edna, claim))
    assert "Return a verdict to its reviewer" not in panel_html(_page(bob, claim))
    assert (
        bob.post(
            f"/claims/{claim['id']}/return", data={"reviewer": alice_id, "body": "no"}
        ).status_code
        == 403
    )
    # refused: no reason given; the choice and the form come back
    response = edna.post(f"/claims/{claim['id']}/return", data={"reviewer": alice_id, "body": ""})
    assert response.status_code == 400
    assert "Write a comment first." in panel_html(response.get_data(as_text=True))
    stale = {"reviewer": alice_id, "body": "Kept through a stale token", "csrf_token": "x"}
    response = edna.client.post(f"/claims/{claim['id']}/return", data=stale)
    assert response.status_code == 400
    assert ">Kept through a stale token</textarea>" in response.get_data(as_text=True)
    response = edna.post(
        f"/claims/{claim['id']}/return",
        data={"reviewer": alice_id, "body": "Needs a primary source."},
    )
    assert response.status_code == 302
    again = edna.post(f"/claims/{claim['id']}/return", data={"reviewer": alice_id, "body": "Twice"})
    assert again.status_code == 409 and "returned already" in again.get_data(as_text=True)
    # the reviewer: inbox, the panel's note; the verdict is out of the agreement
    inbox = alice.get("/inbox").get_data(as_text=True)
    assert "Verdict returned" in inbox and "Needs a primary source." in inbox
    assert re.search(r'href="/inbox"[^>]*>Inbox <span class="count"[^>]*>\d+</span>', inbox)
    panel = panel_html(_page(alice, claim))
    assert "returned your verdict" in panel and "Needs a primary source." in panel
    assert store.contested_claims(db) == []
    agreement = panel_html(_page(edna, claim))
    assert "agreement-line" not in agreement  # one current verdict: no agreement line
    assert "Returned, waiting for the reviewer to save again" in agreement
    assert re.search(r"<strong>alice</strong>: False <span class=\"tag returned\"", agreement)
    # saved again: resolved, the editor hears of it
    version = str(store.get_verdict(db, claim["id"], alice_id)["version"])
    assert _save(alice, claim, "mostly-false", version).status_code == 302
    assert store.returned_claim_ids(db, alice_id) == set()
    assert "returned your verdict" not in panel_html(_page(alice, claim))
    assert "Verdict saved again" in edna.get("/inbox").get_data(as_text=True)
    assert [c["id"] for c in store.contested_claims(db)] == [claim["id"]]


def test_inbox_read_state(login: Any, db: Any, claim: dict) -> None:
    alice, bob = login("alice"), login("bob")
    alice_id = store.user_by_name(db, "alice")["id"]
    bob.post(f"/claims/{claim['id']}/comments", data={"body": "@alice what about 1987?"})
    page = alice.get("/inbox").get_data(as_text=True)
    items = discussion.list_inbox(db, alice_id)
    assert [i["kind"] for i in items] == ["mention", "assigned"]  # newest first
    assert "2 unread" in page and "Mark all read" in page
    mention = items[0]
    # opening an item marks it read and goes to the claim
    response = alice.post(f"/inbox/{mention['id']}/open")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/claims/{claim['id']}")
    assert store.unread_count(db, alice_id) == 1
    # another user's item: not found, nothing changes
    assert bob.post(f"/inbox/{items[1]['id']}/open").status_code == 404
    assert bob.post("/inbox/read", data={"item": items[1]["id"]}).status_code == 303
    assert store.unread_count(db, alice_id) == 1
    alice.post("/inbox/read", data={"unread": mention["id"]})
    assert store.unread_count(db, alice_id) == 2
    response = alice.post("/inbox/read", data={"all": "1"}, headers=JSON)
    assert response.get_json() == {"ok": True, "changed": 2, "unread": 0}
    page = alice.get("/inbox?show=unread").get_data(as_text=True)
    assert "No unread items." in page
    assert not re.search(r'href="/inbox"[^>]*>Inbox <span class="count"', page)


def test_email_address_is_checked_and_kept(login: Any, db: Any) -> None:
    alice = login("alice")
    response = alice.post("/inbox/email", data={"email": "not-an-address"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'value="not-an-address"' in html and "Give an e-mail address" in html
    assert alice.post("/inbox/email", data={"email": "alice@example.org"}).status_code == 303
    assert discussion.get_email(db, store.user_by_name(db, "alice")["id"]) == "alice@example.org"
    assert "no mail server is configured" in alice.get("/inbox").get_data(as_text=True)


@pytest.fixture
def smtp_server() -> Any:
    """A local SMTP server (aiosmtpd) that keeps what it is sent."""
    from aiosmtpd.controller import Controller

    class Keep:
        def __init__(self) -> None:
            self.messages: list[Any] = []

        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            self.messages.append(envelope)
            return "250 OK"

    with socket.socket() as probe:  # (a free port: aiosmtpd cannot start on port 0)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Keep()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield controller, handler
    finally:
        controller.stop()


def _wait_for(condition: Any, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_inbox_items_are_emailed_off_the_request(
    app: Any, login: Any, db: Any, claim: dict, smtp_server: Any
) -> None:
    controller, handler = smtp_server
    app.config.update(
        SMTP_HOST="127.0.0.1", SMTP_PORT=controller.port, MAIL_FROM="desk@example.org"
    )
    alice, edna = login("alice"), login("edna")
    alice.post("/inbox/email", data={"email": "alice@example.org"})
    assert mail.wait_idle()
    handler.messages.clear()  # (alice's assignment, a moment ago, may have gone out)
    _save(alice, claim, "false")
    alice_id = store.user_by_name(db, "alice")["id"]
    edna.post(
        f"/claims/{claim['id']}/return", data={"reviewer": alice_id, "body": "Primary source?"}
    )
    assert _wait_for(lambda: handler.messages), "no message reached the SMTP server"
    assert mail.wait_idle()
    message = handler.messages[0]
    assert message.rcpt_tos == ["alice@example.org"] and message.mail_from == "desk@example.org"
    text = message.content.decode()
    assert "Primary source?" in text and f"/claims/{claim['id']}" in text
    # sent once: a later run sends nothing again; edna has no address, nothing for her
    assert mail.deliver(app.config["DATABASE"], mail.smtp_settings(app.config), "http://x/") == 0
    assert len(handler.messages) == 1


def test_a_failed_send_is_tried_again(app: Any, db: Any, smtp_server: Any) -> None:
    controller, handler = smtp_server
    alice_id = store.user_by_name(db, "alice")["id"]
    discussion.set_email(db, alice_id, "alice@example.org")
    store.notify(db, alice_id, "mention", "/claims/1", "hello")
    settings = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": 9, "SMTP_TIMEOUT_SECONDS": 2}
    assert mail.deliver(app.config["DATABASE"], settings, "http://x/") == 0  # refused: kept
    settings["SMTP_PORT"] = controller.port
    assert mail.deliver(app.config["DATABASE"], settings, "http://x/") >= 1
    assert any(b"hello" in m.content for m in handler.messages)


def test_no_email_without_smtp(app: Any, db: Any) -> None:
    assert not mail.enabled(app.config)
    assert mail.deliver(app.config["DATABASE"], mail.smtp_settings(app.config), "http://x/") == 0


def test_with_a_job_queue_a_worker_sends_the_mail(tmp_path: Any, smtp_server: Any) -> None:
    """Not in immediate mode: the request queues a job; a worker process (`factcheck worker`)
    sends the message."""
    import os
    import subprocess
    import sys

    from factcheck import create_app, jobs
    from factcheck.db import connect, migrate

    from .conftest import PASSWORD, Session
    from .test_jobs import ROOT, _stop

    controller, handler = smtp_server
    smtp = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": controller.port, "MAIL_FROM": "d@example.org"}
    database = str(tmp_path / "claims.db")
    app = create_app(
        {"DATABASE": database, "SECRET_KEY": "x", "JOBS_IMMEDIATE": False, "LOAD_DEMO": False}
        | smtp
    )
    worker = None
    try:
        db = connect(database)
        migrate(db)
        alice = store.create_user(db, "alice", PASSWORD)["id"]
        store.create_user(db, "bob", PASSWORD)
        discussion.set_email(db, alice, "alice@example.org")
        store.notify(db, alice, "mention", "/claims/1", "Look")
        db.close()
        bob = Session(app.test_client(), "bob")
        queued = jobs.status()["queued"]  # (every successful POST queues a delivery)
        bob.post("/inbox/read", data={"all": "1"})
        assert jobs.status()["queued"] == queued + 1
        assert not handler.messages  # (nothing sent on the request's thread)
        env = {k: v for k, v in os.environ.items() if not k.startswith("FACTCHECK_")}
        env.update({f"FACTCHECK_{k}": str(v) for k, v in smtp.items()})
        env.update(FACTCHECK_INSTANCE_PATH=str(tmp_path / "instance"), FACTCHECK_SECRET_KEY="x")
        worker = subprocess.Popen(
            [sys.executable, "-m", "factcheck", "--db", database, "worker"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=open(tmp_path / "worker.log", "ab"),  # noqa: SIM115
        )
        assert _wait_for(lambda: handler.messages, 30), (tmp_path / "worker.log").read_text()
        assert handler.messages[0].rcpt_tos == ["alice@example.org"]
        assert b"Look" in handler.messages[0].content
    finally:
        if worker is not None:
            _stop(worker)
        jobs.configure({"JOBS_IMMEDIATE": True})
