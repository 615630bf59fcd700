"""Login throttling that cannot be turned against users: failures count per (account, address)
and per address; a lock slows the guesser's address, never the account's owner elsewhere; the
address comes from X-Forwarded-For only when the operator trusts a proxy (PROXY_FIX)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from factcheck import create_app, store
from factcheck.db import connect, migrate
from factcheck.views import auth
from tests.conftest import PASSWORD, csrf_from

ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"


def attempt(client: Any, username: str, password: str, **environ: Any) -> Any:
    headers = environ.pop("headers", {})
    token = csrf_from(client.get("/login", environ_base=environ, headers=headers).get_data(True))
    return client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        environ_base=environ,
        headers=headers,
    )


def test_guesses_lock_the_guessers_address_not_the_owner(app: Any) -> None:
    attacker, owner = app.test_client(), app.test_client()
    for _ in range(auth.MAX_FAILURES_PER_ACCOUNT):
        assert attempt(attacker, "alice", "guess", REMOTE_ADDR=ATTACKER).status_code == 401
    # The guesser's address is held up, the right password included...
    locked = attempt(attacker, "alice", PASSWORD, REMOTE_ADDR=ATTACKER)
    assert locked.status_code == 429
    assert "Too many failed logins for this account from your network" in locked.get_data(True)
    # ...while the owner, elsewhere, logs in at once.
    assert attempt(owner, "alice", PASSWORD, REMOTE_ADDR=OWNER).status_code == 302
    # The owner's login does not give the guesser new tries.
    assert attempt(attacker, "alice", PASSWORD, REMOTE_ADDR=ATTACKER).status_code == 429
    # The guesser may still log in to other accounts from there (below the address limit).
    assert attempt(attacker, "bob", PASSWORD, REMOTE_ADDR=ATTACKER).status_code == 302


def test_the_name_in_another_case_is_the_same_account(app: Any) -> None:
    client = app.test_client()
    for name in ("alice", "ALICE", "Alice", "aLiCe", "alicE"):
        attempt(client, name, "guess", REMOTE_ADDR=ATTACKER)
    assert attempt(client, "alice", PASSWORD, REMOTE_ADDR=ATTACKER).status_code == 429


def test_many_accounts_from_one_address_lock_that_address_only(app: Any, db: Any) -> None:
    for n in range(auth.MAX_FAILURES_PER_ADDRESS):
        store.record_login_failure(db, f"user{n}", ATTACKER)
    locked = attempt(app.test_client(), "bob", PASSWORD, REMOTE_ADDR=ATTACKER)
    assert locked.status_code == 429
    assert "Too many failed logins from your network" in locked.get_data(True)
    assert attempt(app.test_client(), "bob", PASSWORD, REMOTE_ADDR=OWNER).status_code == 302


def test_an_ipv6_host_counts_as_its_64_network(app: Any) -> None:
    client = app.test_client()
    for n in range(auth.MAX_FAILURES_PER_ACCOUNT):
        attempt(client, "alice", "guess", REMOTE_ADDR=f"2001:db8:1:2::{n + 1:x}")
    assert attempt(client, "alice", PASSWORD, REMOTE_ADDR="2001:db8:1:2::ff").status_code == 429
    assert attempt(client, "alice", PASSWORD, REMOTE_ADDR="2001:db8:1:3::1").status_code == 302


def test_forwarded_for_is_ignored_without_a_trusted_proxy(app: Any, db: Any) -> None:
    client = app.test_client()
    for n in range(auth.MAX_FAILURES_PER_ACCOUNT):
        spoofed = {"X-Forwarded-For": f"192.0.2.{n + 1}"}
        attempt(client, "alice", "guess", REMOTE_ADDR=ATTACKER, headers=spoofed)
    # Every failure counted for the connection's address, whatever the header said.
    assert store.login_failures(db, "alice", ATTACKER, 15) == (5, 5)
    fresh = {"X-Forwarded-For": "192.0.2.200"}
    response = attempt(client, "alice", PASSWORD, REMOTE_ADDR=ATTACKER, headers=fresh)
    assert response.status_code == 429


@pytest.fixture
def proxied_app(tmp_path: Path) -> Any:
    """The app behind one trusted reverse proxy (PROXY_FIX=1) at 10.0.0.2."""
    app = create_app(
        {
            "TESTING": True,
            "DATABASE": str(tmp_path / "proxied.db"),
            "SECRET_KEY": "test-secret",
            "PROXY_FIX": 1,
        }
    )
    db = connect(app.config["DATABASE"])
    migrate(db)
    for name in ("alice", "bob"):
        store.create_user(db, name, PASSWORD, role="reviewer")
    db.close()
    return app


def test_behind_a_trusted_proxy_each_client_counts_alone(proxied_app: Any) -> None:
    client = proxied_app.test_client()
    proxy = "10.0.0.2"
    attacker = {"X-Forwarded-For": ATTACKER}
    for n in range(auth.MAX_FAILURES_PER_ADDRESS):
        attempt(client, f"user{n}", "guess", REMOTE_ADDR=proxy, headers=attacker)
    assert attempt(client, "bob", PASSWORD, REMOTE_ADDR=proxy, headers=attacker).status_code == 429
    # Everyone else behind the same proxy logs in as usual.
    owner = {"X-Forwarded-For": OWNER}
    assert attempt(client, "bob", PASSWORD, REMOTE_ADDR=proxy, headers=owner).status_code == 302
    other = {"X-Forwarded-For": "192.0.2.9"}
    assert attempt(client, "alice", PASSWORD, REMOTE_ADDR=proxy, headers=other).status_code == 302
