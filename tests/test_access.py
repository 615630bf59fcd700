"""Access control over every route of the web app (the API has its own matrix in test_api.py).

Every endpoint must be classified in POLICY, so a new route cannot be forgotten. For each
route and each kind of visitor the test checks the answer, and for state-changing routes that
a denied visitor changed nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import url_for

from factcheck import backup, store
from factcheck.store import batches, url_imports

from .conftest import PASSWORD, Session, csrf_from

# Who may use an endpoint:
#   public   anyone, logged in or not
#   login    any logged-in, active user
#   own      whoever started the route's import (alice here), editors and admins (others: 404)
#   article  users who may see the route's article (assigned reviewers, editors, admins)
#   creator  editors, admins and whoever added the route's article (others who see it: 403)
#   editor   editors and admins
#   admin    admins
POLICY = {
    "static": "public",
    "auth.login": "public",
    "public.verdict": "public",
    "public.article": "public",
    "auth.logout": "login",
    "articles.index": "login",
    "articles.new": "login",
    "articles.import_url": "login",
    "imports.url_import": "own",
    "imports.bulk": "login",
    "imports.batch": "own",
    "account.index": "login",
    "account.change_password": "login",
    "account.create_token": "login",
    "account.revoke_token": "login",
    "desk.queue": "login",
    "desk.next_claim": "login",
    "exports.index": "login",
    "search.claims": "login",
    "exports.download": "login",
    "exports.check": "editor",
    "review.article": "article",
    "review.claim": "article",
    "review.panel": "article",
    "review.history": "article",
    "search.similar": "article",
    "articles.set_date": "creator",
    "review.add_claim": "article",
    "review.save_verdict": "article",
    "review.edit_claim": "article",
    "review.set_claimant": "article",
    "review.dismiss_claim": "article",
    "review.restore_claim": "article",
    "proposals.propose": "article",
    "proposals.withdraw": "article",
    "desk.article_agreement": "article",
    "reports.report": "article",
    "reports.print_css": "login",
    "reports.report_csv": "article",
    "reports.report_json": "article",
    "reports.report_jsonl": "article",
    "reports.report_markdown": "article",
    "reports.report_claimreview": "article",
    "desk.agreement": "editor",
    "desk.disagreements": "editor",
    "desk.spread": "editor",
    "desk.assign": "editor",
    "desk.publish": "editor",
    "publishing.check": "editor",
    "publishing.settle": "editor",
    "publishing.confirm": "editor",
    "desk.adjudicate": "editor",
    "corrections.correct_claim": "editor",
    "corrections.withdraw_claim": "editor",
    "corrections.unpublish_article": "editor",
    "proposals.index": "editor",
    "proposals.accept": "editor",
    "proposals.reject": "editor",
    "discussion.thread": "article",
    "discussion.add_comment": "article",
    "discussion.return_verdict": "editor",
    "discussion.inbox": "login",
    "discussion.open_item": "login",
    "discussion.mark_read": "login",
    "discussion.set_email": "login",
    "sources.index": "login",
    "sources.suggest": "login",
    "sources.claim_evidence": "article",
    # a source's record, archives and WARC: whoever may see one of its citations
    "sources.record": "article",
    "sources.archive_again": "article",
    "sources.archived_text": "article",
    "sources.warc": "article",
    "admin.users": "admin",
    "admin.change_user": "admin",
    "admin.settings": "admin",
    "admin.backups": "admin",
    "admin.download_backup": "admin",
}

VISITORS = ["anonymous", "disabled", "bob", "alice", "edna", "admin"]

# visitor -> the levels it may use
ALLOWED = {
    "anonymous": {"public"},
    "disabled": {"public"},
    "bob": {"public", "login"},  # a reviewer not assigned to the article
    "alice": {"public", "login", "own", "article"},
    "edna": {"public", "login", "own", "article", "creator", "editor"},
    "admin": {"public", "login", "own", "article", "creator", "editor", "admin"},
}


def routes(app: Any) -> list[tuple[str, str, str]]:
    """(endpoint, method, rule) of every non-API route."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((rule.endpoint, method, rule.rule))
    return sorted(found)


def test_every_route_is_classified(app: Any) -> None:
    missing = {endpoint for endpoint, _, _ in routes(app)} - set(POLICY)
    assert not missing, f"classify these endpoints in POLICY: {sorted(missing)}"


@pytest.fixture
def world(app: Any, db: Any, article_id: int, login: Any) -> dict[str, Any]:
    """An article assigned to alice only, a claim with her verdict, a token, and visitors."""
    alice = store.user_by_name(db, "alice")
    store.set_assignments(db, article_id, [alice["id"]], None)
    claim = next(c for c in store.list_claims(db, article_id) if not c["dismissed"])
    cited = [{"url": "https://source.example/report", "excerpt": "rose by 12 per cent"}]
    verdict = store.record_verdict(
        db, claim["id"], alice["id"], "true", "Alice's own", cited, None, ["true"]
    )
    record_id = db.execute(
        "SELECT record_id FROM sources WHERE verdict_id = ?", (verdict["id"],)
    ).fetchone()[0]
    archive_id, _ = store.evidence.save_capture(db, record_id, _capture())
    proposal = store.propose(db, claim["id"], alice["id"], "wording", "Alice's words", "", None)
    item_id = store.notify(db, alice["id"], "mention", f"/claims/{claim['id']}", "Alice's item")
    store.create_user(db, "dave", PASSWORD, role="reviewer")
    dave = store.user_by_name(db, "dave")
    store.set_assignments(db, article_id, [alice["id"], dave["id"]], None)
    token_id = None
    if hasattr(store, "create_token"):
        _, token = store.create_token(db, alice["id"], "alice's laptop")
        token_id = token["id"]
    sessions: dict[str, Any] = {"anonymous": _anonymous(app)}
    for name in ("dave", "bob", "alice", "edna", "admin"):
        sessions[name] = login(name)
    store.set_active(db, dave["id"], False, None)
    sessions["disabled"] = sessions.pop("dave")
    values = {
        "article_id": article_id,
        "claim_id": claim["id"],
        "user_id": alice["id"],
        "token_id": token_id or 1,
        "proposal_id": proposal["id"],
        "item_id": item_id,
        "record_id": record_id,
        "archive_id": archive_id,
        "fmt": "csv",
        "filename": "app.css",
        "import_id": url_imports.start_url_import(
            db, "https://news.example/a", alice["id"], overall=9, per_user=9
        ),
        "batch_id": batches.create_batch(db, [], alice["id"], "access test")["batch_id"],
        "backup_name": Path(
            backup.take_backup(app.config["DATABASE"], directory=backup.backup_dir(app.config))[
                "path"
            ]
        ).name,
    }
    return {"sessions": sessions, "values": values}


def _capture() -> Any:
    from factcheck.evidence.archive import Capture

    return Capture(
        requested_url="https://source.example/report",
        final_url="https://source.example/report",
        fetched_at="2026-01-02T03:04:05.000000+00:00",
        status=200,
        content_type="text/html",
        sha256="0" * 64,
        size=10,
        title="Report",
        text="Numbers rose by 12 per cent.",
        warc=b"\x1f\x8b not really a WARC",
    )


def _anonymous(app: Any) -> Session:
    session = Session.__new__(Session)
    session.client = app.test_client()
    session.username = None
    session.token = csrf_from(session.client.get("/login").get_data(as_text=True))
    return session


def snapshot(db: Any) -> dict[str, list]:
    tables = [
        "articles",
        "claims",
        "verdicts",
        "sources",
        "final_verdicts",
        "assignments",
        "users",
        "settings",
        "corrections",
        "published_claims",
        "article_publications",
        "claim_proposals",
        "comments",
        "verdict_returns",
        "inbox_items",
    ]
    if db["api_tokens"].exists():
        tables.append("api_tokens")
    state = {}
    for table in tables:
        rows = db.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
        state[table] = [
            {k: row[k] for k in row.keys() if k not in ("last_used_at",)} for row in rows
        ]
    return state


POST_DATA = {
    "title": "Access test",
    "body": "An article someone tries to store.",
    "url": "http://127.0.0.1:9/none",
    "quote": "The city council",
    "text": "Reworded",
    "claimant": "Mallory",
    "claimant_kind": "person",
    "version": "1",
    "rating": "false",
    "rationale": "Overwrite attempt",
    "reason": "Overruled",
    "publish": "1",
    "reviewers": "1",
    "per_article": "2",
    "role": "admin",
    "active": "0",
    "password": "a new password 123",
    "current_password": PASSWORD,
    "new_password": "a new password 123",
    "name": "stolen",
    "blind_verdicts": "y",
    "disagreement_mode": "step",
    "reviewers_per_article": "3",
    "username": "mallory",
    "note": "Unauthorised correction",
    "published_version": "1",
    "email": "mallory@example.org",
    "all": "1",
}


@pytest.mark.parametrize("visitor", VISITORS)
def test_access_matrix(app: Any, db: Any, world: dict[str, Any], visitor: str) -> None:
    session = world["sessions"][visitor]
    allowed_levels = ALLOWED[visitor]
    for endpoint, method, _rule in routes(app):
        level = POLICY[endpoint]
        if endpoint == "auth.logout":
            continue  # checked in test_desk (it would end the session used here)
        with app.test_request_context():
            arguments = {
                name: world["values"][name]
                for name in app.url_map._rules_by_endpoint[endpoint][0].arguments
            }
            url = url_for(endpoint, **arguments)
        allowed = level in allowed_levels
        if method == "GET":
            response = session.client.get(url)
            status = response.status_code
            location = response.headers.get("Location", "")
            response.close()  # end streamed downloads here, in order
            if endpoint.startswith("public."):
                assert status == 404, (visitor, url, status)  # nothing is published here
            elif allowed:
                assert status in (200, 302) and "/login" not in location, (visitor, url, status)
            else:
                _assert_denied(visitor, level, url, status, location)
        elif not allowed:
            before = snapshot(db)
            response = session.client.post(url, data={**POST_DATA, "csrf_token": session.token})
            _assert_denied(
                visitor, level, url, response.status_code, response.headers.get("Location", "")
            )
            assert snapshot(db) == before, (visitor, url, "changed state")


def _assert_denied(visitor: str, level: str, url: str, status: int, location: str) -> None:
    if visitor in ("anonymous", "disabled"):
        # A disabled user's session is cleared first, so its form token no longer fits (400).
        refused = status == 401 or (status == 302 and "/login" in location)
        assert refused or (visitor == "disabled" and status == 400), (visitor, url, status)
    elif level in ("article", "own") or (level == "creator" and visitor == "bob"):
        assert status == 404, (visitor, url, status)  # no hint that the article exists
    else:
        assert status == 403, (visitor, url, status)


def test_reviewer_cannot_touch_another_reviewers_verdict(db: Any, world: dict[str, Any]) -> None:
    """The verdict route only ever writes the caller's own verdict (no IDOR by ids)."""
    edna = world["sessions"]["edna"]
    claim_id = world["values"]["claim_id"]
    response = edna.post(f"/claims/{claim_id}/verdict", data={"rating": "false", "version": "1"})
    assert response.status_code in (302, 400)
    alice = store.user_by_name(db, "alice")
    assert store.get_verdict(db, claim_id, alice["id"])["rating"] == "true"


def test_search_follows_article_access_and_blind_review(db: Any, world: dict[str, Any]) -> None:
    """The claim search finds only claims of articles the user may see, and hides what blind
    review hides, result by result."""
    sessions, claim_id = world["sessions"], world["values"]["claim_id"]
    claim = store.get_claim(db, claim_id)
    word = max(claim["text"].split(), key=len).strip(".,")

    def found(visitor: str) -> list[dict[str, Any]]:
        response = sessions[visitor].get(
            "/claims/search", query_string={"q": word}, headers={"Accept": "application/json"}
        )
        assert response.status_code == 200, visitor
        return [r for r in response.get_json()["results"] if r["claim_id"] == claim_id]

    assert found("bob") == []  # not assigned
    for visitor in ("alice", "edna", "admin"):
        assert len(found(visitor)) == 1, visitor
    edna = store.user_by_name(db, "edna")
    store.record_final_verdict(db, claim_id, edna["id"], "false", "", None, ["true", "false"])
    assert found("alice")[0]["final"]["rating"] == "false"  # her own verdict is saved
    bob = store.user_by_name(db, "bob")
    store.set_assignments(db, claim["article_id"], [bob["id"]], None)
    (hidden,) = found("bob")
    assert (hidden["final"], hidden["ratings"], hidden["hidden_verdicts"]) == (None, [], 1)
    assert found("edna")[0]["ratings"] == [{"rating": "true", "label": "True", "count": 1}]


def test_corrections_routes_on_a_published_claim(app: Any, db: Any, world: dict[str, Any]) -> None:
    """The correction, withdrawal and unpublishing routes on a published claim: anonymous
    visitors are sent to log in, reviewers (even assigned) refused and nothing changes, editors
    and admins correct, withdraw and unpublish."""
    sessions, values = world["sessions"], world["values"]
    claim_id, article_id = values["claim_id"], values["article_id"]
    edna = store.user_by_name(db, "edna")
    store.record_final_verdict(db, claim_id, edna["id"], "true", "Settled.", None, ["true"])
    store.publish_article(db, article_id, edna["id"])
    urls = {
        "correct": f"/claims/{claim_id}/correction",
        "withdraw": f"/claims/{claim_id}/withdraw",
        "unpublish": f"/articles/{article_id}/unpublish",
    }
    for visitor in ("anonymous", "bob", "alice"):
        session = sessions[visitor]
        before = snapshot(db)
        for url in urls.values():
            post = session.client.post(
                url, data={**POST_DATA, "csrf_token": session.token, "text": "Hijacked"}
            )
            got = [] if url == urls["withdraw"] else [session.client.get(url)]  # (POST only)
            for response in (*got, post):
                if visitor == "anonymous":
                    assert response.status_code in (302, 401), (visitor, url)
                    assert response.status_code == 401 or "/login" in response.headers["Location"]
                else:
                    assert response.status_code == 403, (visitor, url, response.status_code)
        assert snapshot(db) == before, visitor
    for visitor, version in (("edna", 2), ("admin", 3)):
        session = sessions[visitor]
        page = session.get(urls["correct"])
        assert page.status_code == 200 and "Publish correction" in page.get_data(as_text=True)
        response = session.post(
            urls["correct"],
            data={
                "text": f"Corrected by {visitor}",
                "rating": "true",
                "reason": "Settled.",
                "note": f"{visitor} fixed the wording.",
                "published_version": str(version - 1),
            },
        )
        assert response.status_code == 302, visitor
        assert store.latest_version(db, claim_id)["version"] == version
    admin = sessions["admin"]
    assert (
        admin.post(
            urls["withdraw"], data={"note": "Wrong claim.", "published_version": "3"}
        ).status_code
        == 302
    )
    assert store.latest_version(db, claim_id)["status"] == "withdrawn"
    assert sessions["edna"].get(urls["unpublish"]).status_code == 200
    assert sessions["edna"].post(urls["unpublish"], data={"note": "Retracted."}).status_code == 302
    assert store.get_article(db, article_id)["published_at"] is None


@pytest.mark.parametrize("setting", [False, True])
@pytest.mark.parametrize("published", [False, True])
@pytest.mark.parametrize("role", ["reviewer", "editor", "admin"])
def test_claim_shaping(db: Any, role: str, published: bool, setting: bool) -> None:
    """Who changes a claim's wording, claimant or dismissal directly, who proposes, and who
    is sent to a correction: reviewers shape directly only before publication and only when
    the desk lets them; after publication nobody does."""
    from factcheck import access

    store.update_settings(db, {"reviewers_shape_claims": setting}, None)
    user = {"id": 1, "username": "u", "role": role}
    article = {"id": 1, "published_at": "2026-01-01T00:00:00+00:00" if published else None}
    expected = {
        ("reviewer", False, False): "propose",
        ("reviewer", False, True): "direct",
        ("reviewer", True, False): "propose",
        ("reviewer", True, True): "propose",
    }.get((role, published, setting), "correction" if published else "direct")
    assert access.claim_shaping(db, user, article) == expected
    assert access.can_shape_claim(db, user, article) == (expected == "direct")


# The API's discussion routes (views/api_discussion.py), under the same levels as the browser's
# (discussion.*): the rest of the API has its own matrix in test_api.py.
API_POLICY = {
    ("GET", "/api/v1/claims/{claim_id}/comments"): "article",
    ("POST", "/api/v1/claims/{claim_id}/comments"): "article",
    ("GET", "/api/v1/claims/{claim_id}/returns"): "article",
    ("POST", "/api/v1/claims/{claim_id}/returns"): "editor",
    ("GET", "/api/v1/inbox"): "login",
    ("POST", "/api/v1/inbox/read"): "login",
}
API_BODIES = {
    "/api/v1/claims/{claim_id}/comments": {"body": "Seen by @alice."},
    "/api/v1/claims/{claim_id}/returns": {"reviewer": "alice", "reason": "Which budget?"},
    "/api/v1/inbox/read": {"all": True},
}


def test_every_discussion_api_route_is_classified(app: Any) -> None:
    from factcheck.openapi import openapi_path

    found = {
        (method, openapi_path(rule.rule))
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
        and rule.endpoint.split(".", 1)[1]
        in {"claim_comments", "post_comment", "claim_returns", "post_return", "inbox"}
        | {"inbox_read"}
        for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}
    }
    assert found == set(API_POLICY)


@pytest.mark.parametrize("visitor", VISITORS)
def test_discussion_api_access_matrix(
    app: Any, db: Any, world: dict[str, Any], visitor: str
) -> None:
    """Each visitor with their token (the disabled user's was made while active; anonymous:
    none): allowed levels answer 200/201, the others 401 (no or dead token), 404 (an article
    they may not see: as if absent) or 403 (their role), and change nothing."""
    token = None
    if visitor != "anonymous":
        user = store.user_by_name(db, "dave" if visitor == "disabled" else visitor)
        if visitor == "disabled":
            store.set_active(db, user["id"], True, None)
        token = store.create_token(db, user["id"], "matrix")[0]
        if visitor == "disabled":
            store.set_active(db, user["id"], False, None)
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    for (method, path), level in sorted(API_POLICY.items()):
        url = path.replace("{claim_id}", str(world["values"]["claim_id"]))
        allowed = level in ALLOWED[visitor]
        before = snapshot(db)
        response = client.open(url, method=method, json=API_BODIES.get(path), headers=headers)
        status = response.status_code
        if allowed:
            assert status in (200, 201), (visitor, method, url, status, response.get_json())
            continue
        if visitor in ("anonymous", "disabled"):
            assert status == 401, (visitor, method, url, status)
        elif level == "article" or (level == "editor" and visitor == "bob"):
            assert status in (403, 404), (visitor, method, url, status)
            assert status == 404 or level == "editor", (visitor, method, url, status)
        else:
            assert status == 403, (visitor, method, url, status)
        assert snapshot(db) == before, (visitor, method, url, "changed state")
