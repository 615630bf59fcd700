"""No 500 on any input: the 13 inputs of the audit (issue 14), each with its status and no
traceback, the limits of factcheck.limits, and nothing of it stored."""

from __future__ import annotations

import json
from typing import Any

import pytest

from factcheck import limits, store
from tests.conftest import SAMPLE_ARTICLE
from tests.test_review import verdict_data

JSON_HEADERS = {"Content-Type": "application/json"}


@pytest.fixture
def desk(app: Any, db: Any, article_id: int, login: Any) -> dict[str, Any]:
    """alice logged in (web) and with an API token; the sample article's first claim."""
    alice = store.user_by_name(db, "alice")
    token = store.create_token(db, alice["id"], "tests")[0]
    claim = store.list_claims(db, article_id)[0]
    return {
        "web": login("alice"),
        "editor": login("edna"),
        "api": app.test_client(),
        "auth": {"Authorization": f"Bearer {token}"},
        "anonymous": app.test_client(),
        "article": article_id,
        "claim": claim,
        "db": db,
    }


def _deep(levels: int) -> bytes:
    return b"[" * levels + b"]" * levels


def _api_article(**fields: Any) -> dict[str, Any]:
    return {"text": SAMPLE_ARTICLE.replace("tram", "bus"), **fields}


def _verdict(**source: Any) -> dict[str, Any]:
    return {
        "rating": "true",
        "rationale": "ok",
        "sources": [{"url": "https://a.example", **source}],
    }


# (what, how, status, words of the message)
CASES: list[tuple[str, Any, int, str]] = [
    (
        "id past SQLite's range, public page, anonymously",
        lambda d: d["anonymous"].get("/verdicts/99999999999999999999999"),
        404,
        "",
    ),
    (
        "id past SQLite's range in the API",
        lambda d: d["api"].get("/api/v1/claims/9223372036854775808", headers=d["auth"]),
        404,
        "",
    ),
    (
        "offset past any offset",
        lambda d: d["api"].get("/api/v1/articles?offset=99999999999999999999", headers=d["auth"]),
        400,
        "'offset' must be a whole number from 0 to 1,000,000,000",
    ),
    (
        "JSON nested 100,000 deep",
        lambda d: d["api"].post(
            "/api/v1/articles", data=_deep(100_000), headers=d["auth"] | JSON_HEADERS
        ),
        400,
        f"nests more than {limits.MAX_JSON_DEPTH} levels",
    ),
    (
        "a lone surrogate in JSON text",
        lambda d: d["api"].post(
            "/api/v1/articles",
            data=json.dumps(_api_article(text="Harbour \ud800 fares rose by 8% in 2024.")),
            headers=d["auth"] | JSON_HEADERS,
        ),
        400,
        "'text' contains a lone surrogate (\\ud800",
    ),
    (
        "a lone surrogate in a source title (API)",
        lambda d: d["api"].put(
            f"/api/v1/claims/{d['claim']['id']}/verdict",
            data=json.dumps(_verdict(title="Budget \udfff")),
            headers=d["auth"] | JSON_HEADERS,
        ),
        400,
        "'sources[0].title' contains a lone surrogate",
    ),
    (
        "NUL in an article title (web)",
        lambda d: d["web"].post("/articles/new", data={"title": "A\x00B", "body": SAMPLE_ARTICLE}),
        400,
        "contains a NUL character",
    ),
    (
        "NUL in an article body (web)",
        lambda d: d["web"].post("/articles/new", data={"body": SAMPLE_ARTICLE + "\x00"}),
        400,
        "contains a NUL character",
    ),
    (
        "NUL in a claim's wording (web)",
        lambda d: d["editor"].post(
            f"/claims/{d['claim']['id']}/edit",
            data={"text": "The tram\x00 costs", "version": str(d["claim"]["version"])},
        ),
        400,
        "contains a NUL character",
    ),
    (
        "NUL in a rationale (web)",
        lambda d: d["web"].post(
            f"/claims/{d['claim']['id']}/verdict", data=verdict_data(rationale="so\x00")
        ),
        400,
        "contains a NUL character",
    ),
    (
        "NUL in a source (web)",
        lambda d: d["web"].post(
            f"/claims/{d['claim']['id']}/verdict", data=verdict_data(**{"sources-0-title": "\x00"})
        ),
        400,
        "contains a NUL character",
    ),
    (
        "a 1 MB source title and a 100,000-character URL (API)",
        lambda d: d["api"].put(
            f"/api/v1/claims/{d['claim']['id']}/verdict",
            data=json.dumps(_verdict(title="t" * 1_000_000)),
            headers=d["auth"] | JSON_HEADERS,
        ),
        422,
        "Source 1: 'title' is at most 500 characters",
    ),
    (
        "a 100,000-character source URL (API)",
        lambda d: d["api"].put(
            f"/api/v1/claims/{d['claim']['id']}/verdict",
            data=json.dumps(
                {**_verdict(), "sources": [{"url": "https://a.example/" + "u" * 99_982}]}
            ),
            headers=d["auth"] | JSON_HEADERS,
        ),
        422,
        "Source 1: 'url' is at most 2,000 characters",
    ),
    (
        "a web verdict with 10,000 sources",
        lambda d: d["web"].post(
            f"/claims/{d['claim']['id']}/verdict",
            data=verdict_data(
                **{f"sources-{i}-url": f"https://s.example/{i}" for i in range(10_000)}
            ),
        ),
        400,
        "A verdict has at most 50 sources; 10,000 were sent",
    ),
    (
        "an API verdict with 51 sources",
        lambda d: d["api"].put(
            f"/api/v1/claims/{d['claim']['id']}/verdict",
            data=json.dumps({**_verdict(), "sources": [{"url": "https://a.example"}] * 51}),
            headers=d["auth"] | JSON_HEADERS,
        ),
        422,
        "A verdict has at most 50 sources (51 given)",
    ),
    (
        "a JSON body larger than the request limit",
        lambda d: d["api"].post(
            "/api/v1/articles",
            data=json.dumps(_api_article(text="x" * 2_000_000)),
            headers=d["auth"] | JSON_HEADERS,
        ),
        413,
        "larger than this server accepts",
    ),
]


def _counts(db: Any) -> dict[str, int]:
    return {
        table: db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
        for table in ("articles", "claims", "verdicts", "sources")
    }


@pytest.mark.parametrize(("what", "how", "status", "message"), CASES, ids=[c[0] for c in CASES])
def test_the_audits_inputs(
    desk: dict[str, Any], what: str, how: Any, status: int, message: str
) -> None:
    before = _counts(desk["db"])
    response = how(desk)
    text = response.get_data(as_text=True)
    assert response.status_code == status, text[:500]
    assert "Traceback" not in text and "Something went wrong" not in text
    if message:
        said = response.get_json()["error"] if response.is_json else text.replace("&#39;", "'")
        assert message in said
    assert _counts(desk["db"]) == before  # nothing stored
    stored = desk["db"].execute("SELECT title, body FROM articles").fetchall()
    assert all("\x00" not in title + body for title, body in stored)


@pytest.mark.parametrize(
    "path",
    [
        "/articles/99999999999999999999",
        "/claims/9223372036854775808",
        "/claims/9223372036854775808/history",
        "/verdicts/article/99999999999999999999",
        "/api/v1/articles/99999999999999999999",
        "/api/v1/claims/99999999999999999999/verdicts",
        "/articles/1?claim=99999999999999999999",
        "/queue/next?after=99999999999999999999",
        "/api/v1/exports/download?format=csv&article=99999999999999999999",
    ],
)
def test_ids_out_of_range_are_not_found_everywhere(desk: dict[str, Any], path: str) -> None:
    client = desk["api"] if path.startswith("/api/") else desk["web"]
    headers = desk["auth"] if path.startswith("/api/") else {}
    response = client.get(path, headers=headers)
    assert response.status_code in (200, 302, 404, 422), response.status_code
    assert "Something went wrong" not in response.get_data(as_text=True)


def test_the_largest_id_is_an_ordinary_missing_one(desk: dict[str, Any]) -> None:
    assert desk["anonymous"].get(f"/verdicts/{limits.MAX_ID}").status_code == 404
    response = desk["api"].get(f"/api/v1/claims/{limits.MAX_ID}", headers=desk["auth"])
    assert response.status_code == 404 and response.get_json()["status"] == 404


def test_a_refused_form_keeps_the_text_and_says_why(desk: dict[str, Any]) -> None:
    response = desk["web"].post("/articles/new", data={"title": "Fares\x00", "body": "Some text."})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'class="field-error"' in html and "NUL character" in html
    assert "Some text." in html


def test_nul_and_surrogates_are_removed_from_imported_text() -> None:
    from factcheck import ingest

    draft = ingest.prepare_article(
        body="Fares\x00 rose by 8% in 2024, the authority said.\ud800",
        title="Fa\x00res",
        publisher="Courier\udc00",
    )
    assert draft.article["body"] == "Fares rose by 8% in 2024, the authority said."
    assert draft.article["title"] == "Fares" and draft.article["publisher"] == "Courier"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", 1),
        (str(limits.MAX_ID), limits.MAX_ID),
        (str(limits.MAX_ID + 1), None),
        ("0", None),
        ("-1", None),
        ("²", None),
        ("١", None),
        ("1" * 5000, None),
        ("", None),
        (None, None),
        (True, None),
        (7, 7),
    ],
)
def test_parse_id(raw: Any, expected: int | None) -> None:
    assert limits.parse_id(raw) == expected


@pytest.mark.parametrize(
    ("text", "too_deep"),
    [
        (b"{}", False),
        (b"[1,[2,{}]]", True),
        (b"[[],[],[],[],{}]", False),
        (b'{"a":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\\"[[[[["}', False),
        (b"[" * 100_000 + b"]" * 100_000, True),
    ],
)
def test_json_depth(text: bytes, too_deep: bool) -> None:
    assert (limits.json_depth(text, most=2) > 2) == too_deep
