"""The JSON API (/api/v1): token auth, access rules, If-Match on verdicts, agreement, exports."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
import threading
from typing import Any

import pytest

from factcheck import store
from factcheck.config import DEFAULTS
from tests.conftest import NEWS_PAGE, SAMPLE_ARTICLE

DEFAULTS_SCALE = DEFAULTS["RATING_SCALE"]

API = "/api/v1"
USERS = ("admin", "edna", "alice", "bob")


# Fixtures and helpers ------------------------------------------------------------------------


class Api:
    """A test client that sends one user's bearer token (or none)."""

    def __init__(self, client: Any, token: str | None):
        self.client = client
        self.token = token

    def request(self, method: str, url: str, headers: dict | None = None, **kwargs: Any) -> Any:
        headers = dict(headers or {})
        if self.token is not None:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        if not url.startswith(API + "/"):
            url = API + url
        return self.client.open(url, method=method, headers=headers, **kwargs)

    def get(self, url: str, **kwargs: Any) -> Any:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> Any:
        return self.request("POST", url, **kwargs)

    def put(self, url: str, **kwargs: Any) -> Any:
        return self.request("PUT", url, **kwargs)


@pytest.fixture
def users(db: Any) -> dict[str, dict[str, Any]]:
    return {name: store.user_by_name(db, name) for name in USERS}


@pytest.fixture
def tokens(db: Any, users: dict[str, dict[str, Any]]) -> dict[str, str]:
    return {name: store.create_token(db, user["id"], "tests")[0] for name, user in users.items()}


@pytest.fixture
def api(app: Any, tokens: dict[str, str]) -> Any:
    """``api("alice")``: a client authenticated as alice; ``api(None)``: no token."""

    def make(name: str | None) -> Api:
        return Api(app.test_client(), tokens[name] if name else None)

    return make


@pytest.fixture
def assigned(db: Any, users: dict[str, Any], article_id: int) -> int:
    """The sample article, assigned to alice only."""
    store.set_assignments(db, article_id, [users["alice"]["id"]], users["edna"]["id"])
    return article_id


def claim_ids(db: Any, article_id: int) -> list[int]:
    return [c["id"] for c in store.list_claims(db, article_id) if not c["dismissed"]]


def assert_error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["status"] == status
    assert isinstance(body["error"], str) and body["error"]
    return body


VERDICT = {
    "rating": "mostly-true",
    "rationale": "The **budget** says so.",
    "sources": [
        {
            "url": "https://city.example/budget.pdf",
            "title": "Budget 2025",
            "publisher": "City finance department",
            "excerpt": "Total cost: 820 million euros.",
            "stance": "supports",
            "accessed": "2025-05-07",
        }
    ],
}


# Authentication ------------------------------------------------------------------------------

# Every endpoint, with an id that exists (article 1, claim 1) and a valid body where one is due.
ENDPOINTS = [
    ("GET", "/articles", None),
    ("POST", "/articles", {"text": "Some text that is 100 words long.", "title": "x"}),
    ("GET", "/articles/1", None),
    ("GET", "/articles/1/claims", None),
    ("GET", "/articles/1/agreement", None),
    ("GET", "/agreement", None),
    ("GET", "/claims/search?q=tram", None),
    ("GET", "/claims/1", None),
    ("GET", "/claims/1/similar", None),
    ("GET", "/claims/1/verdict", None),
    ("PUT", "/claims/1/verdict", {"rating": "true"}),
    ("GET", "/claims/1/verdicts", None),
    ("GET", "/claims/1/final", None),
    ("PUT", "/claims/1/claimant", {"claimant": None}),
    ("POST", "/exports", {"format": "csv"}),
    ("GET", "/exports/download?format=csv", None),
    ("POST", "/imports/url", {"url": "http://127.0.0.1:9/none"}),
    ("GET", "/imports/url/1", None),
    ("POST", "/imports/bulk", [{"text": "One article."}]),
    ("GET", "/imports/batches/1", None),
    ("GET", "/claims/1/comments", None),
    ("POST", "/claims/1/comments", {"body": "A note."}),
    ("GET", "/claims/1/returns", None),
    ("POST", "/claims/1/returns", {"reviewer": "alice", "reason": "Which budget?"}),
    ("GET", "/inbox", None),
    ("POST", "/inbox/read", {"all": True}),
]


def test_endpoint_table_covers_every_route(app: Any) -> None:
    """A new API route must be added to ENDPOINTS (and so to the auth and access tests)."""
    from factcheck.openapi import openapi_path

    documented = {(m, p.split("?")[0]) for m, p, _ in ENDPOINTS} | {("GET", "/openapi.json")}
    routes = set()
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(API + "/"):
            path = openapi_path(rule.rule)[len(API) :]
            path = re.sub(r"\{\w+_id\}", "1", path)
            routes |= {(m, path) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert routes == documented


def _revoked(db: Any, users: dict, tokens: dict) -> str:
    token = tokens["alice"]
    row = next(t for t in store.list_tokens(db, users["alice"]["id"]))
    store.revoke_token(db, row["id"], users["alice"]["id"])
    return f"Bearer {token}"


def _disabled(db: Any, users: dict, tokens: dict) -> str:
    store.set_active(db, users["alice"]["id"], False, users["admin"]["id"])
    return f"Bearer {tokens['alice']}"


AUTH_CASES = {
    "missing": lambda db, users, tokens: None,
    "empty": lambda db, users, tokens: "",
    "wrong scheme": lambda db, users, tokens: f"Token {tokens['alice']}",
    "basic": lambda db, users, tokens: "Basic YWxpY2U6Y29ycmVjdCBob3JzZSBiYXR0ZXJ5",
    "bearer without token": lambda db, users, tokens: "Bearer ",
    "unknown token": lambda db, users, tokens: "Bearer fct_" + "A" * 43,
    "not a factcheck token": lambda db, users, tokens: "Bearer " + "x" * 500,
    "token with a changed letter": lambda db, users, tokens: (
        "Bearer " + tokens["alice"][:-1] + ("A" if tokens["alice"][-1] != "A" else "B")
    ),
    "revoked token": _revoked,
    "disabled user": _disabled,
}


@pytest.mark.parametrize("case", list(AUTH_CASES))
def test_unauthenticated_requests_get_401(
    app: Any, db: Any, users: dict, tokens: dict, assigned: int, case: str
) -> None:
    header = AUTH_CASES[case](db, users, tokens)
    client = app.test_client()
    before = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    for method, url, body in ENDPOINTS:
        headers = {} if header is None else {"Authorization": header}
        response = client.open(API + url, method=method, headers=headers, json=body)
        assert_error(response, 401)
        assert response.headers["WWW-Authenticate"].startswith("Bearer"), url
    assert db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before


def test_session_cookie_is_not_enough(login: Any, assigned: int) -> None:
    """A logged-in browser session does not authenticate API calls (so no CSRF either)."""
    alice = login("alice")
    assert alice.get(f"/articles/{assigned}").status_code == 200
    assert_error(alice.get(f"{API}/articles/{assigned}"), 401)
    response = alice.client.put(f"{API}/claims/1/verdict", json={"rating": "true"})
    assert_error(response, 401)


def test_token_needs_no_csrf_token(api: Any, assigned: int) -> None:
    response = api("alice").put("/claims/1/verdict", json={"rating": "true"})
    assert response.status_code == 201, response.get_json()


def test_openapi_document_is_public(app: Any) -> None:
    response = app.test_client().get(f"{API}/openapi.json")
    assert response.status_code == 200
    assert response.get_json()["openapi"].startswith("3.1")


def test_last_used_is_recorded_at_most_once_a_minute(
    api: Any, db: Any, users: dict, assigned: int
) -> None:
    [token] = store.list_tokens(db, users["alice"]["id"])
    assert token["last_used_at"] is None
    assert api("alice").get("/articles").status_code == 200
    [token] = store.list_tokens(db, users["alice"]["id"])
    first = token["last_used_at"]
    assert first is not None
    assert api("alice").get("/articles").status_code == 200
    assert store.list_tokens(db, users["alice"]["id"])[0]["last_used_at"] == first
    db.execute("UPDATE api_tokens SET last_used_at = '2000-01-01T00:00:00+00:00'")
    assert api("alice").get("/articles").status_code == 200
    assert store.list_tokens(db, users["alice"]["id"])[0]["last_used_at"] > first


def test_authentication_survives_a_write_lock(app: Any, api: Any, assigned: int) -> None:
    """Recording last use is skipped, not fatal, while another writer holds the lock."""
    app.config["BUSY_TIMEOUT_MS"] = 50
    other = sqlite3.connect(app.config["DATABASE"], isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    try:
        assert api("alice").get(f"/articles/{assigned}").status_code == 200
    finally:
        other.execute("ROLLBACK")
        other.close()


# Tokens in the store -------------------------------------------------------------------------


def test_only_the_hash_of_a_token_is_stored(app: Any, db: Any, users: dict) -> None:
    plaintext, row = store.create_token(db, users["alice"]["id"], "  import   script ")
    assert plaintext.startswith("fct_") and len(plaintext) >= 40
    assert row["name"] == "import script"
    assert plaintext.startswith(row["prefix"]) and len(row["prefix"]) < 16
    assert "token_hash" not in row
    dump = "\n".join(db.conn.iterdump())
    assert plaintext not in dump
    assert store.tokens.token_hash(plaintext) in dump
    assert store.user_for_token(db, plaintext)["username"] == "alice"
    entries = db.execute(
        "SELECT action, user_id, after FROM audit_log WHERE table_name = 'api_tokens'"
    ).fetchall()
    assert [(e[0], e[1]) for e in entries] == [("create", users["alice"]["id"])]
    assert plaintext not in entries[0][2]


@pytest.mark.parametrize("name", ["", "   ", "x" * 101])
def test_token_name_is_checked(db: Any, users: dict, name: str) -> None:
    with pytest.raises(store.Invalid):
        store.create_token(db, users["alice"]["id"], name)


def test_revoking_tokens(db: Any, users: dict) -> None:
    alice, bob, admin = users["alice"]["id"], users["bob"]["id"], users["admin"]["id"]
    plaintext, row = store.create_token(db, alice, "laptop")
    with pytest.raises(store.NotFound):
        store.revoke_token(db, row["id"], bob)  # not bob's: as if it did not exist
    with pytest.raises(store.NotFound):
        store.revoke_token(db, 999, alice)
    assert store.user_for_token(db, plaintext) is not None
    revoked = store.revoke_token(db, row["id"], alice)
    assert revoked["revoked_at"] is not None
    assert store.user_for_token(db, plaintext) is None
    assert store.revoke_token(db, row["id"], alice)["revoked_at"] == revoked["revoked_at"]
    plaintext2, row2 = store.create_token(db, alice, "server")
    store.revoke_token(db, row2["id"], admin)  # admins may revoke anyone's
    assert store.user_for_token(db, plaintext2) is None
    actions = db.execute(
        "SELECT action, user_id FROM audit_log WHERE table_name = 'api_tokens' ORDER BY id"
    ).fetchall()
    assert [tuple(a) for a in actions] == [
        ("create", alice),
        ("revoke", alice),
        ("create", alice),
        ("revoke", admin),
    ]
    assert [t["name"] for t in store.list_tokens(db, alice)] == ["server", "laptop"]
    assert store.list_tokens(db, bob) == []


def test_disabled_user_cannot_create_tokens(db: Any, users: dict) -> None:
    store.set_active(db, users["bob"]["id"], False, users["admin"]["id"])
    with pytest.raises(store.Invalid):
        store.create_token(db, users["bob"]["id"], "x")


@pytest.mark.parametrize("value", [None, "", "fct_", "fct_ä", "Bearer x", "fct_" + "A" * 300])
def test_user_for_token_refuses_junk(db: Any, value: Any) -> None:
    assert store.user_for_token(db, value) is None


# Articles ------------------------------------------------------------------------------------


def test_list_articles_follows_access_rules(api: Any, db: Any, users: dict, assigned: int) -> None:
    from factcheck import access, ingest

    draft = ingest.prepare_article(body="Bob's own article says 12 ferries sail daily.")
    bobs = store.create_article(db, draft.article, draft.claims, users["bob"]["id"])
    expected = {
        "admin": [bobs, assigned],
        "edna": [bobs, assigned],
        "alice": [assigned],
        "bob": [bobs],
    }
    for name, ids in expected.items():
        response = api(name).get("/articles")
        assert response.status_code == 200
        listed = [a["id"] for a in response.get_json()["articles"]]
        assert listed == ids, name
        # The same rule as everywhere else.
        assert all(access.can_view_article(db, users[name], i) for i in listed)
    article = api("alice").get("/articles").get_json()["articles"][0]
    assert "body" not in article
    assert article["title"] == "Tram line" and article["reviewers"] == ["alice"]
    assert article["href"] == f"{API}/articles/{assigned}"


def test_pagination(api: Any, db: Any, users: dict) -> None:
    from factcheck import ingest

    ids = []
    for n in range(5):
        draft = ingest.prepare_article(body=f"Article {n}: the council spent {n} million.")
        ids.append(store.create_article(db, draft.article, draft.claims, None))
    editor = api("edna")
    first = editor.get("/articles?limit=2").get_json()
    assert [a["id"] for a in first["articles"]] == ids[::-1][:2]
    assert first["next_offset"] == 2
    last = editor.get("/articles?limit=2&offset=4").get_json()
    assert [a["id"] for a in last["articles"]] == [ids[0]]
    assert last["next_offset"] is None
    for query in ("limit=0", "limit=501", "limit=x", "offset=-1", "limit=1.5"):
        assert_error(editor.get(f"/articles?{query}"), 422)


def test_get_article_includes_body(api: Any, assigned: int) -> None:
    response = api("alice").get(f"/articles/{assigned}")
    assert response.status_code == 200
    article = response.get_json()
    assert article["body"] == SAMPLE_ARTICLE.strip()
    assert article["claims_href"] == f"{API}/articles/{assigned}/claims"
    assert "original" not in article


def test_create_article_from_text(api: Any, db: Any, users: dict) -> None:
    alice = api("alice")
    response = alice.post(
        "/articles",
        json={
            "title": "Tram line",
            "text": SAMPLE_ARTICLE.replace("\n", "\r\n"),
            "url": "https://news.example/tram",
            "publisher": "City Desk",
            "author": "Jo Example",
            "published": "2025-05-06",
        },
    )
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert response.headers["Location"] == f"{API}/articles/{created['id']}"
    assert created["claims"] > 0 and created["publisher"] == "City Desk"
    stored = store.get_article(db, created["id"])
    assert stored["created_by"] == users["alice"]["id"]
    assert "\r" not in stored["body"]
    # Alice added it, so she sees it and its claims; bob does not.
    assert alice.get(response.headers["Location"]).status_code == 200
    claims = alice.get(f"/articles/{created['id']}/claims").get_json()["claims"]
    assert len(claims) == created["claims"]
    for claim in claims:
        assert stored["body"][claim["start"] : claim["end"]] == claim["quote"]
    assert_error(api("bob").get(f"/articles/{created['id']}"), 404)
    # The same text again: 409 with the existing article.
    again = api("bob").post("/articles", json={"text": SAMPLE_ARTICLE})
    body = assert_error(again, 409)
    assert body["article_id"] == created["id"]


def test_create_article_from_html(api: Any, db: Any) -> None:
    response = api("edna").post("/articles", json={"html": NEWS_PAGE})
    assert response.status_code == 201, response.get_json()
    article = store.get_article(db, response.get_json()["id"])
    assert article["title"] == "Harbour ferry fares to rise 8% in March"
    assert article["original_type"] == "html" and article["original"] == NEWS_PAGE
    assert "4.30 euros" in article["body"]
    for junk in ("alert", "trackPageView", "Most read", "Cookie settings"):
        assert junk not in article["body"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"title": "x"}, "'text' or as 'html'"),
        ({"text": "a", "html": "<p>a</p>"}, "one of the two"),
        ({"text": ""}, "empty"),
        ({"text": " \n\t "}, "empty"),
        ({"text": "x" * 200_001}, "limit"),
        ({"text": "Real text.", "url": "javascript:alert(1)"}, "http"),
        ({"text": "Real text.", "published": "yesterday"}, "YYYY-MM-DD"),
        ({"text": 12}, "string"),
        ({"text": "Real text.", "title": ["x"]}, "string"),
        ({"text": "Real text.", "body": "x"}, "Unknown field"),
        ({"html": "<html><body><script>x()</script></body></html>"}, "No article text"),
        ([1, 2], "JSON object"),
    ],
)
def test_create_article_bad_input(api: Any, db: Any, body: Any, message: str) -> None:
    before = store.count_articles(db)
    response = api("alice").post("/articles", json=body)
    assert message in assert_error(response, 422)["error"]
    assert store.count_articles(db) == before


def test_create_article_needs_json(api: Any) -> None:
    alice = api("alice")
    assert_error(alice.post("/articles", data={"text": "form data"}), 415)
    response = alice.post(
        "/articles", data="{not json", headers={"Content-Type": "application/json"}
    )
    assert_error(response, 400)


def test_article_claims(api: Any, db: Any, users: dict, assigned: int) -> None:
    claims = store.list_claims(db, assigned)
    store.set_claim_dismissed(db, claims[0]["id"], True, 1, users["alice"]["id"])
    alice = api("alice")
    listed = alice.get(f"/articles/{assigned}/claims").get_json()["claims"]
    assert [c["id"] for c in listed] == [c["id"] for c in claims[1:]]
    every = alice.get(f"/articles/{assigned}/claims?include_dismissed=true").get_json()
    assert [c["id"] for c in every["claims"]] == [c["id"] for c in claims]
    assert every["claims"][0]["dismissed"] is True
    one = alice.get(f"/claims/{claims[1]['id']}").get_json()
    assert one["quote"] == claims[1]["quote"] and one["article_id"] == assigned
    assert_error(alice.get(f"/articles/{assigned}/claims?include_dismissed=maybe"), 422)


# Verdicts: If-Match --------------------------------------------------------------------------


def test_verdict_if_match_flow(api: Any, db: Any, users: dict, assigned: int) -> None:
    claim = claim_ids(db, assigned)[0]
    alice = api("alice")
    url = f"/claims/{claim}/verdict"
    assert_error(alice.get(url), 404)
    # If-Match without a verdict: nothing to match.
    body = assert_error(alice.put(url, json=VERDICT, headers={"If-Match": '"1"'}), 412)
    assert body["current"] is None
    # Creating needs no precondition.
    created = alice.put(url, json=VERDICT)
    assert created.status_code == 201
    assert created.headers["ETag"] == '"1"'
    assert created.headers["Location"] == f"{API}{url}"
    verdict = created.get_json()
    assert verdict["reviewer"] == "alice" and verdict["rating"] == "mostly-true"
    # (each source also says what became of its archive: read-only, ignored when sent back)
    assert [{k: v for k, v in s.items() if k != "archive"} for s in verdict["sources"]] == (
        VERDICT["sources"]
    )
    assert [s["archive"]["state"] for s in verdict["sources"]] == ["pending"] * len(
        VERDICT["sources"]
    )
    fetched = alice.get(url)
    assert fetched.status_code == 200 and fetched.headers["ETag"] == '"1"'
    assert fetched.get_json() == verdict
    changed = {**VERDICT, "rating": "half-true"}
    # Updating without If-Match: 428, with the stored verdict.
    body = assert_error(alice.put(url, json=changed), 428)
    assert body["current"]["version"] == 1
    # With the right version: 200 and the next ETag.
    updated = alice.put(url, json=changed, headers={"If-Match": '"1"'})
    assert updated.status_code == 200, updated.get_json()
    assert updated.headers["ETag"] == '"2"'
    assert updated.get_json()["rating"] == "half-true"
    # A stale version: 412 with the current verdict, nothing written.
    stale = alice.put(url, json={**VERDICT, "rating": "false"}, headers={"If-Match": '"1"'})
    body = assert_error(stale, 412)
    assert stale.headers["ETag"] == '"2"'
    assert body["current"]["rating"] == "half-true" and body["current"]["version"] == 2
    # Weak tags never match; a list of tags does when one is right; "*" matches any.
    assert_error(alice.put(url, json=VERDICT, headers={"If-Match": 'W/"2"'}), 412)
    listed = alice.put(url, json=VERDICT, headers={"If-Match": '"1", "2"'})
    assert listed.status_code == 200 and listed.headers["ETag"] == '"3"'
    star = alice.put(url, json={**VERDICT, "sources": []}, headers={"If-Match": "*"})
    assert star.status_code == 200 and star.get_json()["sources"] == []
    # A verdict read back can be written back (read-only fields are ignored).
    back = {**star.get_json(), "rationale": "Edited."}
    again = alice.put(url, json=back, headers={"If-Match": star.headers["ETag"]})
    assert again.status_code == 200 and again.get_json()["rationale"] == "Edited."
    stored = store.get_verdict(db, claim, users["alice"]["id"])
    assert stored["version"] == 5 and stored["rationale"] == "Edited."
    history = [e["action"] for e in store.claim_history(db, claim) if e["table_name"] == "verdicts"]
    assert history == ["create", "edit", "edit", "edit", "edit"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"rating": "sort-of"}, "rating scale"),
        ({}, "'rating' is required"),
        ({"rating": 5}, "'rating' is required"),
        ({"rating": "true", "rationale": 3}, "string"),
        ({"rating": "true", "rationale": "x" * 50_001}, "50,000"),
        ({"rating": "true", "sources": "https://x.example"}, "list"),
        ({"rating": "true", "sources": ["https://x.example"]}, "object"),
        ({"rating": "true", "sources": [{"title": "No address"}]}, "'url' is required"),
        ({"rating": "true", "sources": [{"url": "https://x.example", "stance": "meh"}]}, "stance"),
        (
            {"rating": "true", "sources": [{"url": "https://x.example", "accessed": "May"}]},
            "YYYY-MM-DD",
        ),
        ({"rating": "true", "sources": [{"url": "https://x.example", "x": 1}]}, "unknown"),
        ({"rating": "true", "user_id": 3}, "Unknown field"),
    ],
)
def test_invalid_verdicts_get_422(
    api: Any, db: Any, assigned: int, body: dict, message: str
) -> None:
    claim = claim_ids(db, assigned)[0]
    response = api("alice").put(f"/claims/{claim}/verdict", json=body)
    assert message in assert_error(response, 422)["error"]
    assert store.list_verdicts(db, claim) == []


def test_verdict_needs_a_json_body(api: Any, db: Any, assigned: int) -> None:
    claim = claim_ids(db, assigned)[0]
    alice = api("alice")
    assert_error(alice.put(f"/claims/{claim}/verdict", data="rating=true"), 415)
    response = alice.put(
        f"/claims/{claim}/verdict", data="{", headers={"Content-Type": "application/json"}
    )
    assert_error(response, 400)


def test_concurrent_puts_with_the_same_if_match(
    app: Any, tokens: dict, db: Any, users: dict, assigned: int
) -> None:
    """Two saves of the same version at the same moment: one wins, the other gets 412."""
    alice = users["alice"]["id"]
    for claim in claim_ids(db, assigned)[:3]:  # a few rounds, so the threads really overlap
        store.record_verdict(db, claim, alice, "true", "", [], None, ["true"])
        barrier = threading.Barrier(2)
        results: dict[str, Any] = {}

        def save(
            rating: str, claim: int = claim, barrier: Any = barrier, results: dict = results
        ) -> None:
            client = app.test_client()
            barrier.wait()
            response = client.put(
                f"{API}/claims/{claim}/verdict",
                json={"rating": rating, "rationale": f"Saved as {rating}."},
                headers={"Authorization": f"Bearer {tokens['alice']}", "If-Match": '"1"'},
            )
            results[rating] = (response.status_code, response.get_json())

        threads = [threading.Thread(target=save, args=(r,)) for r in ("false", "half-true")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(status for status, _ in results.values()) == [200, 412], results
        winner = next(r for r, (status, _) in results.items() if status == 200)
        loser = next(body for status, body in results.values() if status == 412)
        stored = store.get_verdict(db, claim, alice)
        assert stored["rating"] == winner and stored["version"] == 2
        assert loser["current"]["rating"] == winner and loser["current"]["version"] == 2


def test_concurrent_creates(app: Any, tokens: dict, db: Any, users: dict, assigned: int) -> None:
    """Two first saves at once: one creates, the other is told it would overwrite (412)."""
    claim = claim_ids(db, assigned)[1]
    url = f"{API}/claims/{claim}/verdict"
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def save(rating: str) -> None:
        client = app.test_client()
        barrier.wait()
        response = client.put(
            url, json={"rating": rating}, headers={"Authorization": f"Bearer {tokens['alice']}"}
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=save, args=(r,)) for r in ("false", "true")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) in ([201, 412], [201, 428])
    assert len(store.list_verdicts(db, claim)) == 1


def test_put_writes_only_the_callers_verdict(api: Any, db: Any, users: dict, assigned: int) -> None:
    store.set_assignments(db, assigned, [users["alice"]["id"], users["bob"]["id"]], None)
    claim = claim_ids(db, assigned)[0]
    assert api("alice").put(f"/claims/{claim}/verdict", json=VERDICT).status_code == 201
    alices = store.get_verdict(db, claim, users["alice"]["id"])
    # Bob sends alice's verdict back with her name and version: he gets his own verdict.
    sent = {**api("alice").get(f"/claims/{claim}/verdict").get_json(), "rating": "false"}
    response = api("bob").put(f"/claims/{claim}/verdict", json=sent)
    assert response.status_code == 201
    assert response.get_json()["reviewer"] == "bob"
    assert store.get_verdict(db, claim, users["alice"]["id"]) == alices
    # An admin cannot write alice's verdict either: the endpoint writes the caller's own.
    admin = api("admin").put(f"/claims/{claim}/verdict", json={"rating": "true"})
    assert admin.status_code == 201 and admin.get_json()["reviewer"] == "admin"
    assert store.get_verdict(db, claim, users["alice"]["id"]) == alices
    assert api("alice").get(f"/claims/{claim}/verdict").get_json()["rating"] == "mostly-true"


# Access: no IDOR -----------------------------------------------------------------------------


def test_unassigned_reviewer_gets_404_everywhere(
    api: Any, db: Any, users: dict, assigned: int
) -> None:
    """Bob is not assigned: alice's article, its claims and verdicts are as if absent."""
    claims = claim_ids(db, assigned)
    store.record_verdict(db, claims[0], users["alice"]["id"], "true", "", [], None, ["true"])
    bob = api("bob")
    before = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    requests = [
        ("GET", "/articles/{}", None, assigned),
        ("GET", "/articles/{}/claims", None, assigned),
        ("GET", "/articles/{}/agreement", None, assigned),
        ("POST", "/exports", {"format": "json", "article": "{}"}, assigned),
        ("GET", "/exports/download?format=json&article={}", None, assigned),
    ]
    for claim in claims:
        requests += [
            ("GET", "/claims/{}", None, claim),
            ("GET", "/claims/{}/verdict", None, claim),
            ("PUT", "/claims/{}/verdict", {"rating": "false"}, claim),
            ("GET", "/claims/{}/verdicts", None, claim),
            ("GET", "/claims/{}/final", None, claim),
            ("GET", "/claims/{}/similar", None, claim),
            ("GET", "/claims/{}/comments", None, claim),
            ("POST", "/claims/{}/comments", {"body": "Seen."}, claim),
            ("GET", "/claims/{}/returns", None, claim),
        ]

    def send(method: str, url: str, body: dict | None, ident: int) -> Any:
        if body is not None:
            body = {k: (ident if v == "{}" else v) for k, v in body.items()}
        return bob.request(method, url.format(ident), json=body)

    for method, url, body, ident in requests:
        response = send(method, url, body, ident)
        hidden = assert_error(response, 404)
        assert "alice" not in response.get_data(as_text=True)
        # The answer is the one for an id that does not exist at all.
        missing = assert_error(send(method, url, body, 9999), 404)
        assert hidden["error"] == missing["error"].replace("9999", str(ident)), url
    assert bob.get("/articles").get_json()["articles"] == []
    assert bob.get("/claims/search?q=tram").get_json()["results"] == []
    assert db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before
    assert store.get_verdict(db, claims[0], users["bob"]["id"]) is None


def test_assignment_opens_and_closes_access(api: Any, db: Any, users: dict, assigned: int) -> None:
    bob = api("bob")
    assert_error(bob.get(f"/articles/{assigned}"), 404)
    store.set_assignments(db, assigned, [users["bob"]["id"]], None)
    assert bob.get(f"/articles/{assigned}").status_code == 200
    assert_error(api("alice").get(f"/articles/{assigned}"), 404)


def test_editors_and_admins_see_everything(api: Any, db: Any, users: dict, article_id: int) -> None:
    """Not assigned to anyone: editors and admins still see it, with every verdict."""
    claim = claim_ids(db, article_id)[0]
    store.record_verdict(db, claim, users["alice"]["id"], "true", "", [], None, ["true"])
    store.record_verdict(db, claim, users["bob"]["id"], "false", "", [], None, ["false"])
    for name in ("admin", "edna"):
        client = api(name)
        assert client.get(f"/articles/{article_id}").status_code == 200
        assert client.get(f"/claims/{claim}").status_code == 200
        verdicts = client.get(f"/claims/{claim}/verdicts").get_json()["verdicts"]
        assert sorted(v["reviewer"] for v in verdicts) == ["alice", "bob"]
        assert client.get(f"/claims/{claim}/final").status_code == 200
        assert client.get("/agreement").status_code == 200
        assert_error(client.get(f"/claims/{claim}/verdict"), 404)  # they have none of their own


# Blind review --------------------------------------------------------------------------------


def test_blind_review(api: Any, db: Any, users: dict, assigned: int) -> None:
    store.set_assignments(db, assigned, [users["alice"]["id"], users["bob"]["id"]], None)
    claim = claim_ids(db, assigned)[0]
    alice, bob = api("alice"), api("bob")
    assert alice.put(f"/claims/{claim}/verdict", json=VERDICT).status_code == 201
    # Alice sees her own verdict among "all" (only hers so far).
    assert [
        v["reviewer"] for v in alice.get(f"/claims/{claim}/verdicts").get_json()["verdicts"]
    ] == ["alice"]
    # Bob has not given his: alice's stays hidden, and so does the final verdict.
    body = assert_error(bob.get(f"/claims/{claim}/verdicts"), 403)
    assert "Blind review" in body["error"]
    assert_error(bob.get(f"/claims/{claim}/final"), 403)
    agreement = bob.get(f"/articles/{assigned}/agreement").get_json()
    assert agreement["claims"] == [] and agreement["hidden_claims"] == 1
    assert_error(bob.get("/agreement"), 403)
    export = bob.get(f"/exports/download?format=jsonl&article={assigned}")
    record = json.loads(export.get_data(as_text=True).splitlines()[0])
    assert record["claim"]["id"] == claim
    assert record["verdicts"] == [] and record["hidden_verdicts"] == 1
    # After saving his own, bob sees both.
    assert bob.put(f"/claims/{claim}/verdict", json={"rating": "false"}).status_code == 201
    verdicts = bob.get(f"/claims/{claim}/verdicts").get_json()["verdicts"]
    assert sorted(v["reviewer"] for v in verdicts) == ["alice", "bob"]
    assert bob.get(f"/claims/{claim}/final").get_json()["final"] is None
    agreement = bob.get(f"/articles/{assigned}/agreement").get_json()
    assert agreement["hidden_claims"] == 0
    [figures] = agreement["claims"]
    assert figures["claim_id"] == claim and figures["n"] == 2 and figures["disagreement"]
    assert agreement["pairs"][0]["reviewers"] == ["alice", "bob"]


def test_blind_review_off(api: Any, db: Any, users: dict, assigned: int) -> None:
    store.set_assignments(db, assigned, [users["alice"]["id"], users["bob"]["id"]], None)
    store.update_settings(db, {"blind_verdicts": False}, users["admin"]["id"])
    claim = claim_ids(db, assigned)[0]
    assert api("alice").put(f"/claims/{claim}/verdict", json=VERDICT).status_code == 201
    verdicts = api("bob").get(f"/claims/{claim}/verdicts").get_json()["verdicts"]
    assert [v["reviewer"] for v in verdicts] == ["alice"]
    assert api("bob").get(f"/claims/{claim}/final").status_code == 200


def test_final_verdict_and_corrections(api: Any, db: Any, users: dict, assigned: int) -> None:
    claim = claim_ids(db, assigned)[0]
    keys = ["true", "false", "mostly-true"]
    store.record_verdict(db, claim, users["alice"]["id"], "true", "", [], None, keys)
    edna = users["edna"]["id"]
    store.record_final_verdict(db, claim, edna, "mostly-true", "Close enough.", None, keys)
    store.publish_article(db, assigned, edna)
    store.record_final_verdict(db, claim, edna, "false", "Recount.", 1, keys, "Votes recounted.")
    final = api("alice").get(f"/claims/{claim}/final").get_json()
    assert final["final"]["rating"] == "false" and final["final"]["label"] == "False"
    assert final["final"]["decided_by"] == "edna" and final["final"]["reason"] == "Recount."
    [correction] = final["corrections"]
    assert correction["before_rating"] == "mostly-true" and correction["after_rating"] == "false"
    assert correction["note"] == "Votes recounted." and correction["by"] == "edna"


# The claimant ----------------------------------------------------------------------------------


def test_editor_sets_the_claimant_with_if_match(api: Any, db: Any, users: dict, assigned: int):
    claim = store.get_claim(db, claim_ids(db, assigned)[0])
    edna = api("edna")
    url = f"/claims/{claim['id']}/claimant"
    fetched = edna.get(f"/claims/{claim['id']}")
    etag = fetched.headers["ETag"]
    assert etag == f'"{claim["version"]}"'
    body = {"claimant": "City finance department", "claimant_kind": "organization"}
    # Without If-Match: 428 with the claim as stored, nothing written.
    refused = assert_error(edna.put(url, json=body), 428)
    assert refused["current"]["version"] == claim["version"]
    set_ = edna.put(url, json=body, headers={"If-Match": etag})
    assert set_.status_code == 200, set_.get_json()
    got = set_.get_json()
    assert got["claimant"] == "City finance department"
    assert got["claimant_kind"] == "organization"
    assert got["version"] == claim["version"] + 1
    assert set_.headers["ETag"] == f'"{got["version"]}"'
    stored = store.get_claim(db, claim["id"])
    assert (stored["claimant"], stored["claimant_kind"]) == (got["claimant"], "organization")
    # A stale version: 412 with the claim as stored now.
    stale = assert_error(edna.put(url, json={"claimant": None}, headers={"If-Match": etag}), 412)
    assert stale["current"]["claimant"] == "City finance department"
    # A claim read back can be written back; null is the publication.
    back = {**got, "claimant": None, "claimant_kind": None}
    cleared = edna.put(url, json=back, headers={"If-Match": set_.headers["ETag"]})
    assert cleared.status_code == 200, cleared.get_json()
    assert cleared.get_json()["claimant"] is None
    assert cleared.get_json()["claimant_start"] is None
    history = [e["action"] for e in store.claim_history(db, claim["id"])]
    assert history.count("set-claimant") == 2


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "'claimant' is required"),
        ({"claimant": "Ana Ruiz"}, "person or an organization"),
        ({"claimant": "Ana Ruiz", "claimant_kind": "robot"}, "person or an organization"),
        ({"claimant": 7, "claimant_kind": "person"}, "must be a string"),
        ({"claimant": "x" * 301, "claimant_kind": "person"}, "at most"),
        ({"claimant": None, "speaker": "Ana"}, "Unknown field"),
    ],
)
def test_invalid_claimants_get_422(
    api: Any, db: Any, assigned: int, body: dict, message: str
) -> None:
    claim = store.get_claim(db, claim_ids(db, assigned)[0])
    response = api("edna").put(
        f"/claims/{claim['id']}/claimant", json=body, headers={"If-Match": "*"}
    )
    assert message in assert_error(response, 422)["error"]
    assert store.get_claim(db, claim["id"])["version"] == claim["version"]


def test_a_reviewer_proposes_the_claimant(api: Any, db: Any, users: dict, assigned: int) -> None:
    claim = store.get_claim(db, claim_ids(db, assigned)[0])
    body = {"claimant": "Ana Ruiz", "claimant_kind": "person", "reason": "She said it."}
    # bob is not assigned: the claim does not exist for him
    assert_error(
        api("bob").put(f"/claims/{claim['id']}/claimant", json=body, headers={"If-Match": "*"}),
        404,
    )
    response = api("alice").put(
        f"/claims/{claim['id']}/claimant", json=body, headers={"If-Match": "*"}
    )
    assert response.status_code == 202, response.get_json()
    proposal = response.get_json()
    assert proposal["kind"] == "claimant" and proposal["status"] == "open"
    assert (proposal["claimant"], proposal["reason"]) == ("Ana Ruiz", "She said it.")
    assert store.get_claim(db, claim["id"])["claimant"] == claim["claimant"]  # not set yet
    # while the desk lets reviewers shape claims, a reviewer sets it directly
    store.update_settings(db, {"reviewers_shape_claims": True}, None)
    direct = api("alice").put(
        f"/claims/{claim['id']}/claimant", json=body, headers={"If-Match": "*"}
    )
    assert direct.status_code == 200 and direct.get_json()["claimant"] == "Ana Ruiz"


def test_a_published_claims_claimant_changes_only_by_correction(
    api: Any, db: Any, users: dict, assigned: int
) -> None:
    claim_id = claim_ids(db, assigned)[0]
    keys = ["true", "false", "mostly-true"]
    edna = users["edna"]["id"]
    store.record_final_verdict(db, claim_id, edna, "mostly-true", "Close enough.", None, keys)
    store.publish_article(db, assigned, edna)
    claim = store.get_claim(db, claim_id)
    body = {"claimant": "Ana Ruiz", "claimant_kind": "person"}
    response = api("edna").put(
        f"/claims/{claim['id']}/claimant", json=body, headers={"If-Match": "*"}
    )
    assert "correction" in assert_error(response, 409)["error"]
    assert store.get_claim(db, claim["id"])["version"] == claim["version"]


# Agreement -----------------------------------------------------------------------------------


def test_agreement(api: Any, db: Any, users: dict, assigned: int) -> None:
    from factcheck.agreement import agreement_summary, ordinal_order
    from factcheck.config import DEFAULT_RATING_SCALE

    claims = claim_ids(db, assigned)
    keys = [e["key"] for e in DEFAULT_RATING_SCALE]
    plan = {
        "alice": ["true", "false", "half-true"],
        "bob": ["true", "mostly-false", "half-true"],
        "edna": ["mostly-true", "false", "half-true"],
    }
    for name, ratings in plan.items():
        for claim, rating in zip(claims, ratings, strict=False):
            store.record_verdict(db, claim, users[name]["id"], rating, "", [], None, keys)
    desk = api("admin").get("/agreement").get_json()
    expected = agreement_summary(store.verdict_ratings(db), ordinal_order(DEFAULT_RATING_SCALE))
    assert desk["summary"] == pytest.approx(expected)
    assert desk["summary"]["n_coders"] == 3
    pairs = {tuple(p["reviewers"]): p for p in desk["pairs"]}
    assert set(pairs) == {("alice", "bob"), ("alice", "edna"), ("bob", "edna")}
    assert pairs[("alice", "bob")]["percent"] == pytest.approx(2 / 3)
    article = api("edna").get(f"/articles/{assigned}/agreement").get_json()
    assert article["summary"] == desk["summary"]
    by_claim = {c["claim_id"]: c for c in article["claims"]}
    assert by_claim[claims[2]]["unanimous"] and not by_claim[claims[2]]["disagreement"]
    assert by_claim[claims[0]]["majority"] == "true"
    # Alice gave a verdict on each: she sees the same figures.
    assert api("alice").get(f"/articles/{assigned}/agreement").get_json() == article
    assert_error(api("alice").get("/agreement"), 403)


# Exports -------------------------------------------------------------------------------------


def test_start_and_fetch_an_export(api: Any, db: Any, users: dict, assigned: int) -> None:
    claim = claim_ids(db, assigned)[0]
    alice = api("alice")
    assert alice.put(f"/claims/{claim}/verdict", json=VERDICT).status_code == 201
    started = alice.post("/exports", json={"format": "csv", "article": assigned})
    assert started.status_code == 201
    location = started.headers["Location"]
    assert started.get_json()["href"] == location
    assert started.get_json()["filters"] == {"article": assigned}
    download = alice.client.get(location, headers={"Authorization": f"Bearer {alice.token}"})
    assert download.status_code == 200
    assert download.mimetype == "text/csv"
    assert "attachment" in download.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(download.get_data(as_text=True))))
    assert len(rows) == len(claim_ids(db, assigned))
    row = next(r for r in rows if r["claim_id"] == str(claim))
    assert "Mostly true" in row["verdicts"] and "city.example" in row["sources"]
    # Without the token the address is of no use.
    assert_error(alice.client.get(location), 401)


@pytest.mark.parametrize(
    ("fmt", "mimetype", "check"),
    [
        ("csv", "text/csv", "article_id,"),
        ("json", "application/json", '"factcheck_export"'),
        ("jsonl", "application/x-ndjson", '"article"'),
        ("claimreview", "application/ld+json", "ClaimReview"),
        ("markdown", "text/markdown", "# Verdict report"),
    ],
)
def test_export_formats(
    api: Any, db: Any, users: dict, assigned: int, fmt: str, mimetype: str, check: str
) -> None:
    claim = claim_ids(db, assigned)[0]
    keys = [e["key"] for e in store_scale()]
    store.record_verdict(db, claim, users["alice"]["id"], "false", "", [], None, keys)
    store.record_final_verdict(db, claim, users["edna"]["id"], "false", "Wrong.", None, keys)
    started = api("alice").post("/exports", json={"format": fmt})
    assert started.status_code == 201
    response = api("alice").get(started.headers["Location"])
    assert response.status_code == 200
    assert response.mimetype == mimetype
    text = response.get_data(as_text=True)
    assert check in text
    if fmt in ("json", "claimreview"):
        json.loads(text)


def store_scale() -> list[dict[str, Any]]:
    from factcheck.config import DEFAULT_RATING_SCALE

    return DEFAULT_RATING_SCALE


def test_export_covers_only_visible_articles(api: Any, db: Any, users: dict, assigned: int) -> None:
    from factcheck import ingest

    draft = ingest.prepare_article(body="Bob's own article says 12 ferries sail daily.")
    bobs = store.create_article(db, draft.article, draft.claims, users["bob"]["id"])

    def exported(name: str, **params: Any) -> set[int]:
        location = (
            api(name).post("/exports", json={"format": "jsonl", **params}).headers["Location"]
        )
        lines = api(name).get(location).get_data(as_text=True).splitlines()
        return {json.loads(line)["article"]["id"] for line in lines}

    assert exported("alice") == {assigned}
    assert exported("bob") == {bobs}
    assert exported("edna") == {assigned, bobs}
    assert exported("admin", article=bobs) == {bobs}


def test_export_filters(api: Any, db: Any, users: dict, assigned: int) -> None:
    claims = store.list_claims(db, assigned)
    store.set_claim_dismissed(db, claims[0]["id"], True, 1, None)
    editor = api("edna")

    def claim_set(**params: Any) -> set[int]:
        location = editor.post("/exports", json={"format": "jsonl", **params}).headers["Location"]
        lines = editor.get(location).get_data(as_text=True).splitlines()
        return {json.loads(line)["claim"]["id"] for line in lines}

    live = {c["id"] for c in claims[1:]}
    assert claim_set(article=assigned) == live
    assert claim_set(article=assigned, include_dismissed=True) == {c["id"] for c in claims}
    checkworthy = {c["id"] for c in claims[1:] if c["checkworthy"]}
    assert claim_set(article=assigned, checkworthy_only=True) == checkworthy


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"format": "pdf"},
        {"format": "csv", "article": "one"},
        {"format": "csv", "article": True},
        {"format": "csv", "article": 0},
        {"format": "csv", "include_dismissed": "perhaps"},
        {"format": "csv", "colour": "blue"},
    ],
)
def test_export_bad_parameters(api: Any, assigned: int, body: dict) -> None:
    assert_error(api("alice").post("/exports", json=body), 422)
    query = "&".join(f"{k}={v}" for k, v in body.items())
    assert_error(api("alice").get(f"/exports/download?{query}"), 422)


# Errors are JSON -----------------------------------------------------------------------------


def test_every_error_is_json(api: Any, db: Any, users: dict, assigned: int) -> None:
    alice = api("alice")
    claim = claim_ids(db, assigned)[0]
    alice.put(f"/claims/{claim}/verdict", json=VERDICT)
    cases = {
        401: api(None).get("/articles"),
        403: alice.get("/agreement"),
        404: alice.get("/articles/9999"),
        405: alice.request("DELETE", f"/articles/{assigned}"),
        409: alice.post("/articles", json={"text": SAMPLE_ARTICLE}),
        412: alice.put(f"/claims/{claim}/verdict", json=VERDICT, headers={"If-Match": '"7"'}),
        415: alice.post("/articles", data="text"),
        422: alice.put(f"/claims/{claim}/verdict", json={"rating": "nope"}),
        428: alice.put(f"/claims/{claim}/verdict", json={"rating": "false"}),
    }
    for status, response in cases.items():
        assert_error(response, status)
    assert_error(alice.get("/no-such-endpoint"), 404)
    assert_error(alice.post("/claims/1/verdict", json={}), 405)


def test_export_filters_of_the_desk(api: Any, db: Any, users: dict, assigned: int) -> None:
    """Filters go to the store's export; blind review limits what reviewers filter by."""
    store.set_assignments(db, assigned, [users["alice"]["id"], users["bob"]["id"]], None)
    claims = claim_ids(db, assigned)
    keys = [e["key"] for e in store_scale()]
    store.record_verdict(db, claims[0], users["bob"]["id"], "false", "", [], None, keys)
    store.record_final_verdict(db, claims[0], users["edna"]["id"], "false", "", None, keys)
    store.record_verdict(db, claims[1], users["alice"]["id"], "true", "", [], None, keys)

    def exported(name: str, **params: Any) -> list[dict[str, Any]]:
        started = api(name).post("/exports", json={"format": "jsonl", **params})
        assert started.status_code == 201, started.get_json()
        text = api(name).get(started.headers["Location"]).get_data(as_text=True)
        return [json.loads(line) for line in text.splitlines()]

    assert [r["claim"]["id"] for r in exported("edna", verdict="false")] == [claims[0]]
    assert [r["claim"]["id"] for r in exported("edna", reviewer="alice")] == [claims[1]]
    assert [r["claim"]["id"] for r in exported("edna", status="decided")] == [claims[0]]
    assert exported("edna", since="2025-05-07") == []
    assert len(exported("edna", since="2025-05-06", until="2025-05-06")) == len(claims)
    # Alice may filter by her own verdicts, not by what depends on others' verdicts.
    assert [r["claim"]["id"] for r in exported("alice", reviewer="alice")] == [claims[1]]
    for params in ({"verdict": "false"}, {"status": "decided"}, {"reviewer": "bob"}):
        assert_error(api("alice").post("/exports", json={"format": "csv", **params}), 403)
    # Bob's verdict and the final verdict on claim 0 stay hidden from alice.
    record = next(r for r in exported("alice") if r["claim"]["id"] == claims[0])
    assert record["verdicts"] == [] and record["hidden_verdicts"] == 1
    assert record["final"] is None and record["agreement"]["n"] == 0
    store.update_settings(db, {"blind_verdicts": False}, users["admin"]["id"])
    assert [r["claim"]["id"] for r in exported("alice", verdict="false")] == [claims[0]]
    for params in (
        {"since": "May 2025"},
        {"until": "2025-13-01"},
        {"verdict": "sort-of"},
        {"status": "done"},
        {"reviewer": "nobody"},
        {"published": "maybe"},
        {"publisher": 3},
    ):
        assert_error(api("edna").post("/exports", json={"format": "csv", **params}), 422)


# Search and similar claims --------------------------------------------------------------------


def test_search_claims(api: Any, db: Any, users: dict, assigned: int) -> None:
    alice = api("alice")
    body = alice.get("/claims/search?q=tram+line").get_json()
    assert body["terms"] == ["tram", "line"] and len(body["results"]) == 2
    assert body["next_offset"] is None and body["limit"] == 20 and body["offset"] == 0
    result = body["results"][0]
    assert result["href"] == f"{API}/claims/{result['claim_id']}"
    assert result["review_url"] == f"/articles/{assigned}?claim={result['claim_id']}"
    assert alice.get(result["href"]).status_code == 200
    first = alice.get("/claims/search?q=tram&limit=1").get_json()
    assert len(first["results"]) == 1 and first["next_offset"] == 1
    newest = alice.get("/claims/search?q=tram&sort=newest").get_json()
    assert newest["sort"] == "newest"
    assert [r["claim_id"] for r in newest["results"]] == sorted(
        (r["claim_id"] for r in newest["results"]), reverse=True
    )
    second = alice.get("/claims/search?q=tram&limit=1&offset=1").get_json()
    assert second["results"][0]["claim_id"] != first["results"][0]["claim_id"]
    for hostile in ('"', "NEAR(", "AND OR", "((", "*"):
        reply = alice.get("/claims/search", query_string={"q": hostile})
        assert reply.status_code == 200 and reply.get_json()["results"] == []
    assert api("bob").get("/claims/search?q=tram").get_json()["results"] == []
    assert len(api("edna").get("/claims/search?q=tram").get_json()["results"]) == 2


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?q=",
        "?q=%20%20",
        "?q=tram&limit=0",
        "?q=tram&limit=101",
        "?q=tram&offset=-1",
        "?q=tram&sort=oldest",
    ],
)
def test_search_bad_parameters(api: Any, assigned: int, query: str) -> None:
    assert_error(api("alice").get("/claims/search" + query), 422)


def test_similar_claims_and_blind_review(api: Any, db: Any, users: dict, assigned: int) -> None:
    body = "The council will spend 820 million euros on a tram line. Other news follows."
    quote = body.split(".")[0]
    earlier_article = store.create_article(
        db,
        {"title": "Earlier", "body": body},
        [{"start": 0, "end": len(quote), "quote": quote}],
        None,
    )
    earlier = store.list_claims(db, earlier_article)[0]["id"]
    store.set_assignments(db, earlier_article, [users["alice"]["id"], users["bob"]["id"]], None)
    ratings = [entry["key"] for entry in DEFAULTS_SCALE]
    store.record_verdict(db, earlier, users["bob"]["id"], "false", "", [], None, ratings)
    store.record_final_verdict(db, earlier, users["edna"]["id"], "false", "", None, ratings)
    cost = next(c for c in store.list_claims(db, assigned) if "820 million" in c["text"])
    alice = api("alice")
    (hidden,) = alice.get(f"/claims/{cost['id']}/similar").get_json()["results"]
    assert hidden["claim_id"] == earlier
    assert (hidden["final"], hidden["ratings"], hidden["hidden_verdicts"]) == (None, [], 1)
    found = alice.get("/claims/search?q=820+million").get_json()["results"]
    assert {r["claim_id"] for r in found} == {earlier, cost["id"]}
    assert all(r["final"] is None and r["ratings"] == [] for r in found)
    store.record_verdict(db, earlier, users["alice"]["id"], "true", "", [], None, ratings)
    (shown,) = alice.get(f"/claims/{cost['id']}/similar").get_json()["results"]
    assert shown["final"] == {"rating": "false", "label": "False"}
    assert shown["hidden_verdicts"] == 0 and len(shown["ratings"]) == 2
    (editor_view,) = api("edna").get(f"/claims/{cost['id']}/similar").get_json()["results"]
    assert editor_view["final"]["rating"] == "false"
    # bob is not assigned to the sample article: its claim is "not found", and the earlier
    # article's claim finds nothing of the sample article for him.
    assert_error(api("bob").get(f"/claims/{cost['id']}/similar"), 404)
    assert api("bob").get(f"/claims/{earlier}/similar").get_json()["results"] == []
    assert_error(alice.get(f"/claims/{cost['id']}/similar?limit=21"), 422)
