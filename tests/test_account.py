"""My account: API tokens (shown once, listed, revoked) and changing one's own password."""

from __future__ import annotations

import re
from typing import Any

import pytest

from factcheck import store
from tests.conftest import PASSWORD, Session, csrf_from

NEW_PASSWORD = "a much longer new password"


def new_token(session: Session, name: str = "import script") -> tuple[Any, str]:
    response = session.post("/account/tokens", {"name": name})
    html = response.get_data(as_text=True)
    match = re.search(r'value="(fct_[A-Za-z0-9_-]+)"', html)
    assert match, html
    return response, match.group(1)


def api_status(app: Any, token: str) -> int:
    headers = {"Authorization": f"Bearer {token}"}
    return app.test_client().get("/api/v1/articles", headers=headers).status_code


def test_account_page_is_linked_and_needs_login(app: Any, login: Any) -> None:
    response = app.test_client().get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    alice = login("alice")
    page = alice.get("/").get_data(as_text=True)
    assert 'href="/account"' in page
    html = alice.get("/account").get_data(as_text=True)
    assert "API tokens" in html and "You have no API tokens." in html
    assert "Change password" in html


def test_token_is_shown_once_listed_and_works(app: Any, login: Any, db: Any) -> None:
    alice = login("alice")
    response, token = new_token(alice)
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert "Copy it now" in html and "will not be shown again" in html
    assert api_status(app, token) == 200
    # Listed with its prefix only; the plaintext is never shown again.
    listed = alice.get("/account").get_data(as_text=True)
    assert token not in listed
    [row] = store.list_tokens(db, store.user_by_name(db, "alice")["id"])
    assert row["prefix"] in listed and "import script" in listed
    assert row["last_used_at"] is not None  # used by the API call above
    assert token not in "\n".join(db.conn.iterdump())


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_token_needs_a_name(login: Any, db: Any, name: str) -> None:
    alice = login("alice")
    response = alice.post("/account/tokens", {"name": name})
    assert response.status_code == 400
    assert 'class="error"' in response.get_data(as_text=True)
    assert store.list_tokens(db, store.user_by_name(db, "alice")["id"]) == []


def test_revoke_token(app: Any, login: Any, db: Any) -> None:
    alice = login("alice")
    _, token = new_token(alice)
    [row] = store.list_tokens(db, store.user_by_name(db, "alice")["id"])
    # Another reviewer cannot revoke it (nor learn that it exists).
    bob = login("bob")
    assert bob.post(f"/account/tokens/{row['id']}/revoke").status_code == 404
    assert api_status(app, token) == 200
    response = alice.post(f"/account/tokens/{row['id']}/revoke")
    assert response.status_code == 302
    assert api_status(app, token) == 401
    html = alice.get("/account").get_data(as_text=True)
    assert "is revoked" in html and "revoked 20" in html
    assert f"/account/tokens/{row['id']}/revoke" not in html


def test_token_page_as_json(login: Any) -> None:
    alice = login("alice")
    response = alice.post(
        "/account/tokens", {"name": "cli"}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 201
    body = response.get_json()
    assert body["new_token"]["token"].startswith("fct_")
    assert [t["name"] for t in body["tokens"]] == ["cli"]
    assert all("token_hash" not in t for t in body["tokens"])


def test_stale_csrf_keeps_the_form(login: Any, db: Any) -> None:
    alice = login("alice")
    response = alice.post("/account/tokens", {"name": "kept name", "csrf_token": "stale"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "security token" in html and 'value="kept name"' in html
    assert store.list_tokens(db, store.user_by_name(db, "alice")["id"]) == []


def test_password_change_ends_other_sessions(app: Any, login: Any, db: Any) -> None:
    here, elsewhere = login("alice"), login("alice")
    _, token = new_token(here)
    response = here.post(
        "/account/password",
        {"current": PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    # This session stays logged in; the other one is logged out.
    page = here.get("/account")
    assert page.status_code == 200 and "password is changed" in page.get_data(as_text=True)
    assert elsewhere.get("/account").status_code == 302
    # The new password works, the old one no longer does.
    assert store.authenticate(db, "alice", NEW_PASSWORD) is not None
    assert store.authenticate(db, "alice", PASSWORD) is None
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    old = client.post(
        "/login", data={"username": "alice", "password": PASSWORD, "csrf_token": csrf_from(page)}
    )
    assert old.status_code == 401
    # API tokens are separate credentials: they stay valid until revoked.
    assert api_status(app, token) == 200


@pytest.mark.parametrize(
    ("data", "message", "status"),
    [
        (
            {"current": "wrong password", "new": NEW_PASSWORD, "confirm": NEW_PASSWORD},
            "not right",
            400,
        ),
        ({"current": PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD + "x"}, "differ", 400),
        ({"current": PASSWORD, "new": "short", "confirm": "short"}, "8 to 1,024", 400),
        ({"current": "", "new": NEW_PASSWORD, "confirm": NEW_PASSWORD}, "current password", 400),
        ({"current": PASSWORD, "new": NEW_PASSWORD, "csrf_token": "stale"}, "security token", 400),
    ],
)
def test_password_change_refused(
    login: Any, db: Any, data: dict, message: str, status: int
) -> None:
    alice, other = login("alice"), login("alice")
    response = alice.post("/account/password", data)
    assert response.status_code == status
    html = response.get_data(as_text=True)
    assert message in html
    assert NEW_PASSWORD not in html and PASSWORD not in html  # passwords are not echoed
    assert store.authenticate(db, "alice", PASSWORD) is not None
    assert other.get("/account").status_code == 200


def test_wrong_current_passwords_are_throttled(login: Any, db: Any) -> None:
    from factcheck.views import auth

    alice = login("alice")
    wrong = {"current": "wrong password", "new": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    for _ in range(auth.MAX_FAILURES_PER_ACCOUNT):
        assert alice.post("/account/password", wrong).status_code == 400
    right = {"current": PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    response = alice.post("/account/password", right)
    assert response.status_code == 429
    assert store.authenticate(db, "alice", PASSWORD) is not None
