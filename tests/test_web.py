"""factcheck.web: what is remembered between requests gives what is computed each time."""

from __future__ import annotations

from typing import Any

import pytest
from flask import session, url_for

from factcheck import web


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("application/json", True),
        ("text/html", False),
        ("", False),
        ("*/*", False),
        ("application/*", True),
        ("text/html;q=0.5, application/json", True),
        ("application/json;q=0.5, text/html", False),
        ("application/json", True),  # (again, now remembered)
        ("text/html", False),
    ],
)
def test_wants_json_by_accept_header(app: Any, accept: str, expected: bool) -> None:
    for _ in range(2):
        with app.test_request_context("/", headers={"Accept": accept} if accept else {}):
            assert web.wants_json() is expected
    with app.test_request_context("/?_format=json", headers={"Accept": accept}):
        assert web.wants_json() is True


URL_CASES = [
    ("static", {"filename": "app.css"}),
    ("articles.index", {}),
    ("review.article", {"article_id": 3}),
    ("review.article", {"article_id": 3, "only": "checkworthy"}),
    ("review.article", {"article_id": 3, "claim": 7}),
    ("review.article", {"article_id": 3, "flag": True}),
    ("review.article", {"article_id": 3, "flag": 1}),
    ("review.save_verdict", {"claim_id": 12}),
    ("reports.report_csv", {"article_id": 4}),
    ("review.article", {"article_id": 3, "_anchor": "panel"}),
    ("review.article", {"article_id": 3, "_external": True}),
]


@pytest.mark.parametrize("script_name", ["", "/desk"])
def test_cached_url_for_gives_url_for(app: Any, script_name: str) -> None:
    for _ in range(2):  # (built, then remembered)
        for endpoint, values in URL_CASES:
            base = f"http://localhost{script_name}/"
            with app.test_request_context("/", base_url=base):
                expected = url_for(endpoint, **values)
                assert web.cached_url_for(endpoint, **values) == expected
                assert expected.startswith(script_name) or values.get("_external")


def test_pages_use_the_cached_url_for(login: Any, article_id: int) -> None:
    alice = login("alice")
    web._urls.clear()
    html = alice.get(f"/articles/{article_id}").get_data(as_text=True)
    assert any(key[1] == "static" for key in web._urls)
    for key, url in web._urls.items():
        assert f'"{url}"' in html, key


def _session_cookie(client: Any) -> str:
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def test_session_cookie_is_verified_once_and_still_checked(
    app: Any, login: Any, article_id: int, monkeypatch: Any
) -> None:
    alice = login("alice")
    web.SessionInterface._verified.clear()
    assert alice.get(f"/articles/{article_id}").status_code == 200
    cookie = _session_cookie(alice.client)
    assert any(key[0] == cookie for key in web.SessionInterface._verified)
    assert alice.get(f"/articles/{article_id}").status_code == 200  # (remembered)
    # A tampered cookie is never taken, remembered or not.
    other = app.test_client()
    other.set_cookie("session", cookie[:-2] + ("AA" if not cookie.endswith("AA") else "BB"))
    assert other.get(f"/articles/{article_id}").status_code == 302  # (to the login page)
    # The lifetime counts from the signature, also for a remembered cookie.
    signed_at = next(v[1] for k, v in web.SessionInterface._verified.items() if k[0] == cookie)
    lifetime = int(app.permanent_session_lifetime.total_seconds())
    monkeypatch.setattr(web.time, "time", lambda: signed_at + lifetime + 1)
    assert alice.get(f"/articles/{article_id}").status_code == 302
    monkeypatch.setattr(web.time, "time", lambda: signed_at + lifetime - 1)
    assert alice.get(f"/articles/{article_id}").status_code == 200


def test_session_changes_are_not_shared_through_the_cache(app: Any) -> None:
    """Each request gets its own session object: a change does not leak into the next one."""
    web.SessionInterface._verified.clear()

    @app.route("/_set")
    def _set() -> str:
        session["x"] = "1"
        return "ok"

    @app.route("/_touch")
    def _touch() -> str:
        seen = session.get("y", "")
        session["y"] = "changed"  # (modifies this request's session: a new cookie is sent)
        session.modified = False  # (...unless it is not saved: the next request must not see it)
        return seen

    client = app.test_client()
    client.get("/_set")
    assert client.get("/_touch").get_data(as_text=True) == ""
    assert client.get("/_touch").get_data(as_text=True) == ""


def test_csrf_token_for_templates_is_flask_wtfs(app: Any) -> None:
    from flask_wtf.csrf import generate_csrf, validate_csrf

    with app.test_request_context("/"):
        first = web.csrf_token()
        assert web.csrf_token() == first == generate_csrf()
        validate_csrf(first)
    with app.test_request_context("/"):  # (a new request: its own token on g)
        session["csrf_token"] = "another raw token"
        assert web.csrf_token() != first
