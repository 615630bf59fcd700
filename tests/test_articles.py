"""Flow tests of logging in and adding articles, with every kind of bad input."""

from __future__ import annotations

import contextlib
import io
import re
import sqlite3
from collections.abc import Iterator
from html import unescape
from html.parser import HTMLParser
from typing import Any

import pytest

from factcheck import store
from factcheck.db import connect
from tests.conftest import NEWS_PAGE, PASSWORD, SAMPLE_ARTICLE, csrf_from

CURLY = (
    "The minister said \u201cwe will spend \u20ac5 billion\u201d \u2013 twice last year\u2019s sum."
)


# Helpers ---------------------------------------------------------------------------------------


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.data: list[str] = []
        self._tag: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._tag = tag

    def handle_data(self, data: str) -> None:
        if self._tag == "script":
            self.data.append(data)


def assert_no_injected_markup(html: str) -> None:
    """Only our own scripts (``/static/…`` files), no handlers, no ``javascript:`` URLs."""
    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.tags:
        if tag == "script":
            assert (attrs.get("src") or "").startswith("/static/"), attrs
        # The one SVG allowed is the report's server-drawn chart (class "verdict-chart").
        if not (tag == "svg" and attrs.get("class") == "verdict-chart"):
            assert tag not in {"iframe", "object", "embed", "svg", "img"}, tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name, value)
            if name in {"href", "src", "action", "formaction"}:
                assert not re.sub(r"\s", "", value or "").lower().startswith("javascript:")
    assert not "".join(parser.data).strip(), "inline script content"


def form_values(html: str) -> dict[str, str]:
    """The values the page's form fields carry (inputs and textareas)."""
    parser = _Tags()
    parser.feed(html)
    values = {
        attrs["name"]: attrs.get("value") or ""
        for tag, attrs in parser.tags
        if tag == "input" and attrs.get("name")
    }
    for name, text in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        values[name] = unescape(re.sub(r"\A\r?\n", "", text))  # HTML drops the first newline
    return values


def errors_in(html: str) -> str:
    return " ".join(
        unescape(m) for m in re.findall(r'class="(?:error|field-error)[^"]*"[^>]*>(.*?)</', html)
    )


def post_upload(session: Any, name: str, data: bytes, **fields: str) -> Any:
    form: dict[str, Any] = {"title": "", "body": "", **fields}
    form["upload"] = (io.BytesIO(data), name)
    return session.post("/articles/new", data=form, content_type="multipart/form-data")


def article_rows(db: Any) -> list[dict[str, Any]]:
    return [dict(r) for r in db.execute("SELECT * FROM articles ORDER BY id").fetchall()]


def article_id_from(response: Any) -> int:
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    match = re.fullmatch(r"/articles/(\d+)", response.headers["Location"])
    assert match, response.headers["Location"]
    return int(match.group(1))


@contextlib.contextmanager
def write_lock(app: Any) -> Iterator[sqlite3.Connection]:
    """Another connection holding the database's write lock."""
    other = sqlite3.connect(app.config["DATABASE"], isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    try:
        yield other
    finally:
        other.execute("ROLLBACK")
        other.close()


# Logging in ------------------------------------------------------------------------------------

PAGES = [
    "/",
    "/articles/new",
    "/articles/1",
    "/articles/1?claim=1",
    "/claims/1",
    "/claims/1/panel",
    "/claims/1/history",
    "/articles/1/report",
    "/articles/1/report.csv",
    "/articles/1/report.json",
]


@pytest.mark.parametrize("url", PAGES)
def test_login_required(client: Any, article_id: int, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/login?next=")
    from urllib.parse import parse_qs, urlsplit

    assert parse_qs(urlsplit(location).query)["next"] == [url]


def test_login_then_back_to_next(client: Any, article_id: int) -> None:
    page = client.get("/login?next=/articles/1/report").get_data(as_text=True)
    assert 'value="/articles/1/report"' in page
    response = client.post(
        "/login",
        data={
            "username": "alice",
            "password": PASSWORD,
            "next": "/articles/1/report",
            "csrf_token": csrf_from(page),
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/articles/1/report"
    assert client.get("/articles/1/report").status_code == 200


@pytest.mark.parametrize(
    "target", ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)"]
)
def test_login_never_redirects_off_site(client: Any, target: str) -> None:
    page = client.get("/login").get_data(as_text=True)
    response = client.post(
        "/login",
        data={
            "username": "alice",
            "password": PASSWORD,
            "next": target,
            "csrf_token": csrf_from(page),
        },
    )
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\"))


@pytest.mark.parametrize(
    ("username", "password"),
    [("alice", "wrong password"), ("nobody", PASSWORD), ("alice", ""), ("", PASSWORD)],
)
def test_login_refused(client: Any, username: str, password: str) -> None:
    page = client.get("/login").get_data(as_text=True)
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": csrf_from(page)},
    )
    assert response.status_code in (400, 401)
    if username and password:
        assert response.status_code == 401
        assert "wrong password" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302  # still logged out


def test_login_without_csrf_token(client: Any) -> None:
    response = client.post("/login", data={"username": "alice", "password": PASSWORD})
    assert response.status_code in (400, 401)
    html = response.get_data(as_text=True)
    assert "expired" in html
    assert form_values(html)["username"] == "alice"
    assert client.get("/").status_code == 302


def test_logout(login: Any) -> None:
    alice = login("alice")
    assert alice.get("/").status_code == 200
    assert alice.post("/logout").status_code == 302
    assert alice.get("/").status_code == 302


def test_post_when_logged_out_is_401(client: Any, article_id: int) -> None:
    page = client.get("/login").get_data(as_text=True)
    response = client.post(
        "/claims/1/verdict", data={"rating": "true", "csrf_token": csrf_from(page)}
    )
    assert response.status_code == 401


# Importing an article ----------------------------------------------------------------------------


def test_import_paste_then_review(login: Any, db: Any) -> None:
    alice = login("alice")
    assert alice.get("/articles/new").status_code == 200
    response = alice.post(
        "/articles/new",
        data={
            "title": "Tram line",
            "url": "https://news.example/tram",
            "publisher": "City Post",
            "author": "Jo Example",
            "published": "2025-05-06",
            "body": SAMPLE_ARTICLE,
        },
    )
    article_id = article_id_from(response)
    article = store.get_article(db, article_id)
    assert (article["title"], article["url"], article["publisher"]) == (
        "Tram line",
        "https://news.example/tram",
        "City Post",
    )
    assert article["published"] == "2025-05-06"
    assert article["created_by"] == 3  # alice
    claims = store.list_claims(db, article_id)
    assert claims
    page = alice.get(f"/articles/{article_id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f"Imported with {len(claims)} claims." in html
    marks = re.findall(r'<a class="mark[^"]*"[^>]*data-claim="(\d+)"[^>]*>([^<]*)</a>', html)
    assert {int(cid) for cid, _ in marks} == {c["id"] for c in claims}
    by_id = {c["id"]: c for c in claims}
    for cid, text in marks:
        assert unescape(text) in by_id[int(cid)]["quote"]
    # the whole body is on the page, in order, once
    body_text = re.search(r'id="article-body"[^>]*>(.*?)</div>', html, re.S).group(1)
    assert unescape(re.sub(r"<[^>]+>", "", body_text)) == article["body"]
    listing = alice.get("/").get_data(as_text=True)
    assert "Tram line" in listing and f"/articles/{article_id}" in listing


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("\r\n\t \r\n", "empty"),
        ("\u00a0\u200b", "empty"),
    ],
)
def test_empty_article(login: Any, db: Any, body: str, message: str) -> None:
    alice = login("alice")
    response = alice.post(
        "/articles/new", data={"title": "Kept title", "publisher": "Kept pub", "body": body}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in errors_in(html)
    values = form_values(html)
    assert values["title"] == "Kept title"
    assert values["publisher"] == "Kept pub"
    assert article_rows(db) == []


def test_too_large_paste(login: Any, db: Any, app: Any) -> None:
    alice = login("alice")
    limit = app.config["MAX_ARTICLE_BYTES"]
    body = "The council spent money. " * (limit // 25 + 10)
    response = alice.post(
        "/articles/new",
        data={"title": "Big one", "url": "https://news.example/big", "author": "A", "body": body},
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    errors = errors_in(html)
    assert f"limit is {limit:,} bytes" in errors
    assert "not kept" in errors  # says so instead of echoing the whole text back
    assert len(html) < limit
    values = form_values(html)
    assert values["title"] == "Big one"
    assert values["url"] == "https://news.example/big"
    assert values["author"] == "A"
    assert article_rows(db) == []


def test_too_large_upload(login: Any, db: Any, app: Any) -> None:
    alice = login("alice")
    limit = app.config["MAX_ARTICLE_BYTES"]
    response = post_upload(alice, "big.txt", b"word " * (limit // 5 + 100), title="Big file")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f"{limit:,}" in errors_in(html)
    assert form_values(html)["title"] == "Big file"
    assert article_rows(db) == []


@pytest.mark.parametrize("field", ["body", "upload"])
def test_request_over_max_content_length(login: Any, db: Any, app: Any, field: str) -> None:
    alice = login("alice")
    size = app.config["MAX_CONTENT_LENGTH"] + 1000
    if field == "body":
        response = alice.post("/articles/new", data={"title": "Huge", "body": "x" * size})
    else:
        response = post_upload(alice, "huge.txt", b"x" * size)
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert "Too large" in html
    assert "MAX_ARTICLE_BYTES" in html
    assert f"{app.config['MAX_ARTICLE_BYTES']:,}" in html
    assert "Traceback" not in html
    assert article_rows(db) == []


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 20),
        ("archive.md", b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256))),
        ("page.html", b"\x00\x01\x02\x03" * 100),
    ],
)
def test_binary_upload(login: Any, db: Any, name: str, data: bytes) -> None:
    alice = login("alice")
    response = post_upload(alice, name, data, title="Kept", author="Kept author")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "binary" in errors_in(html)
    values = form_values(html)
    assert (values["title"], values["author"]) == ("Kept", "Kept author")
    assert article_rows(db) == []


@pytest.mark.parametrize(
    ("name", "data", "stored", "notice"),
    [
        ("bom.txt", b"\xef\xbb\xbf" + CURLY.encode(), CURLY, None),
        ("cp1252.txt", CURLY.encode("cp1252"), CURLY, "Read the file as Windows-1252."),
        (
            "latin1.md",
            "Le caf\u00e9 a ferm\u00e9 en 2019 apr\u00e8s 40 ans.".encode("latin-1"),
            "Le caf\u00e9 a ferm\u00e9 en 2019 apr\u00e8s 40 ans.",
            "Read the file as Windows-1252.",
        ),
        ("utf16.txt", ("\ufeff" + CURLY).encode("utf-16-le"), CURLY, "Read the file as UTF-16."),
        ("crlf.txt", SAMPLE_ARTICLE.replace("\n", "\r\n").encode(), SAMPLE_ARTICLE.strip(), None),
    ],
)
def test_encoded_uploads(
    login: Any, db: Any, name: str, data: bytes, stored: str, notice: str | None
) -> None:
    alice = login("alice")
    article_id = article_id_from(post_upload(alice, name, data))
    article = store.get_article(db, article_id)
    assert article["body"] == stored
    assert "\ufffd" not in article["body"]
    assert article["original_name"] == name
    html = alice.get(f"/articles/{article_id}").get_data(as_text=True)
    if notice:
        assert notice in html
    for claim in store.list_claims(db, article_id):
        assert article["body"][claim["start"] : claim["end"]] == claim["quote"]


def test_broken_utf8_upload_is_explained(login: Any, db: Any) -> None:
    alice = login("alice")
    data = "Caf\u00e9 \u201cquoted\u201d ".encode() + b"\xff\xfe and more."
    response = post_upload(alice, "broken.txt", data)
    assert response.status_code == 400
    assert "invalid bytes" in errors_in(response.get_data(as_text=True))
    assert article_rows(db) == []


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_paste_line_endings_keep_offsets(login: Any, db: Any, newline: str) -> None:
    alice = login("alice")
    body = SAMPLE_ARTICLE.replace("\n", newline)
    article_id = article_id_from(alice.post("/articles/new", data={"title": "T", "body": body}))
    article = store.get_article(db, article_id)
    assert "\r" not in article["body"]
    assert article["body"] == SAMPLE_ARTICLE.strip()
    claims = store.list_claims(db, article_id)
    assert claims
    for claim in claims:
        assert article["body"][claim["start"] : claim["end"]] == claim["quote"]
    # the page places each highlight at its offset
    html = alice.get(f"/articles/{article_id}").get_data(as_text=True)
    for start, text in re.findall(r'data-start="(\d+)">([^<]*)<', html):
        assert article["body"][int(start) : int(start) + len(unescape(text))] == unescape(text)


def test_paste_and_upload_together(login: Any, db: Any) -> None:
    alice = login("alice")
    response = post_upload(alice, "a.txt", b"File text.", body="Pasted text.")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "not both" in errors_in(html)
    assert form_values(html)["body"] == "Pasted text."


def test_unsupported_upload_type(login: Any, db: Any) -> None:
    alice = login("alice")
    response = post_upload(alice, "report.pdf", b"%PDF-1.4 ...")
    assert response.status_code == 400
    assert ".txt" in errors_in(response.get_data(as_text=True))


HOSTILE = (
    "Council <script>alert('body')</script> spends 5 million euros.\n\n"
    "<img src=x onerror=alert('img')> The mayor said \"<b onmouseover=alert(1)>\" 40,000 riders."
)


def test_pasted_markup_is_shown_as_text(login: Any, db: Any) -> None:
    alice = login("alice")
    article_id = article_id_from(
        alice.post(
            "/articles/new",
            data={
                "title": "<script>alert('title')</script>",
                "publisher": "<img src=x onerror=alert(1)>",
                "author": '"><svg onload=alert(1)>',
                "body": HOSTILE,
            },
        )
    )
    assert store.get_article(db, article_id)["body"] == HOSTILE  # stored as the text it is
    claims = store.list_claims(db, article_id)
    pages = [
        f"/articles/{article_id}",
        f"/articles/{article_id}/report",
        "/",
        *(f"/articles/{article_id}?claim={c['id']}" for c in claims),
        *(f"/claims/{c['id']}/panel" for c in claims),
        *(f"/claims/{c['id']}/history" for c in claims),
    ]
    for url in pages:
        response = alice.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        assert_no_injected_markup(html)
        assert "&lt;script&gt;" in html or "&lt;img" in html or url.endswith("/panel") or url == "/"


def test_html_upload_is_reduced_to_text(login: Any, db: Any) -> None:
    alice = login("alice")
    article_id = article_id_from(post_upload(alice, "ferry.html", NEWS_PAGE.encode()))
    article = store.get_article(db, article_id)
    assert "4.30 euros" in article["body"]
    for dropped in ("alert", "stealCookies", "trackPageView", "<"):
        assert dropped not in article["body"]
    assert article["original"] == NEWS_PAGE  # the original is kept ...
    assert article["original_type"] == "html"
    assert article["publisher"] == "The Coastal Courier"
    # ... but never rendered or sent: not in pages, not in JSON
    for url in [
        f"/articles/{article_id}",
        f"/articles/{article_id}/report",
        f"/articles/{article_id}?_format=json",
        f"/articles/{article_id}/report.json",
        f"/articles/{article_id}/report.csv",
    ]:
        text = alice.get(url).get_data(as_text=True)
        assert "stealCookies" not in text, url
        assert "trackPageView" not in text, url
        if not url.endswith((".json", ".csv", "json")):
            assert_no_injected_markup(text)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(document.cookie)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "ftp://files.example/a.txt",
        "news.example/no-scheme",
    ],
)
def test_bad_source_url(login: Any, db: Any, url: str) -> None:
    alice = login("alice")
    response = alice.post(
        "/articles/new", data={"title": "Kept", "url": url, "body": SAMPLE_ARTICLE}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "http://" in errors_in(html) and "https://" in errors_in(html)
    values = form_values(html)
    assert values["url"].strip() == url.strip()
    assert values["title"] == "Kept"
    assert values["body"].strip() == SAMPLE_ARTICLE.strip()
    assert_no_injected_markup(html)
    assert article_rows(db) == []


def test_second_submit_goes_to_the_same_article(login: Any, db: Any) -> None:
    alice = login("alice")
    data = {"title": "Tram", "body": SAMPLE_ARTICLE}
    first = article_id_from(alice.post("/articles/new", data=data))
    second = article_id_from(alice.post("/articles/new", data=data))
    assert first == second
    assert len(article_rows(db)) == 1
    assert "already stored" in alice.get(f"/articles/{first}").get_data(as_text=True)
    # also for the same text with other line endings or surrounding blank space
    again = {"title": "Other", "body": "\r\n" + SAMPLE_ARTICLE.replace("\n", "\r\n") + "  "}
    assert article_id_from(alice.post("/articles/new", data=again)) == first
    assert len(article_rows(db)) == 1


@pytest.mark.parametrize("token", [None, "", "not-a-token", "stale"])
def test_missing_or_stale_csrf_token(login: Any, db: Any, app: Any, token: str | None) -> None:
    alice = login("alice")
    data = {"title": "My title", "publisher": "My pub", "body": SAMPLE_ARTICLE}
    if token == "stale":
        # a token from another session (an old tab from before logging in again)
        token = login("bob").token
    if token is None:
        response = alice.client.post("/articles/new", data=data)
    else:
        response = alice.client.post("/articles/new", data={**data, "csrf_token": token})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "security token" in errors_in(html)
    values = form_values(html)
    assert values["title"] == "My title"
    assert values["publisher"] == "My pub"
    assert values["body"].strip() == SAMPLE_ARTICLE.strip()
    assert values["csrf_token"] and values["csrf_token"] != token  # a fresh token to resubmit
    assert article_rows(db) == []
    # submitting again with the fresh token works
    retry = alice.client.post("/articles/new", data={**data, "csrf_token": values["csrf_token"]})
    article_id_from(retry)


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/articles/999"),
        ("get", "/articles/1?claim=999"),
        ("get", "/claims/999"),
        ("get", "/claims/999/panel"),
        ("get", "/claims/999/history"),
        ("get", "/articles/999/report"),
        ("get", "/articles/999/report.csv"),
        ("get", "/articles/999/report.json"),
        ("get", "/articles/not-a-number"),
        ("get", "/no/such/page"),
        ("post", "/claims/999/verdict"),
        ("post", "/claims/999/edit"),
        ("post", "/claims/999/dismiss"),
        ("post", "/claims/999/restore"),
        ("post", "/articles/999/claims"),
    ],
)
def test_unknown_ids_give_a_404_page(login: Any, article_id: int, method: str, url: str) -> None:
    alice = login("alice")
    response = alice.get(url) if method == "get" else alice.post(url, data={"version": "1"})
    assert response.status_code == 404
    assert response.content_type.startswith("text/html")
    html = response.get_data(as_text=True)
    assert "404" in html and "Not found" in html
    assert "Traceback" not in html and "werkzeug" not in html.lower()
    assert 'href="/"' in html


def test_unknown_id_as_json(login: Any) -> None:
    alice = login("alice")
    response = alice.get("/articles/999", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.get_json() == {"error": "There is no article 999.", "status": 404}


def test_database_locked_gives_503_and_keeps_input(login: Any, app: Any, db: Any) -> None:
    alice = login("alice")
    app.config["BUSY_TIMEOUT_MS"] = 50
    data = {"title": "Locked out", "author": "Someone", "body": SAMPLE_ARTICLE}
    with write_lock(app):
        response = alice.post("/articles/new", data=data)
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    html = response.get_data(as_text=True)
    assert "busy" in errors_in(html)
    values = form_values(html)
    assert values["title"] == "Locked out"
    assert values["author"] == "Someone"
    assert values["body"].strip() == SAMPLE_ARTICLE.strip()
    assert article_rows(db) == []
    assert db.execute("SELECT count(*) FROM claims").fetchone()[0] == 0
    # once the other writer is done, the same submission goes through
    article_id_from(alice.post("/articles/new", data=data))


def test_database_locked_on_other_writes(login: Any, app: Any, article_id: int) -> None:
    alice = login("alice")
    app.config["BUSY_TIMEOUT_MS"] = 50
    with write_lock(app):
        response = alice.post("/claims/1/dismiss", data={"version": "1"})
        json_response = alice.post(
            "/claims/1/edit",
            data={"text": "New wording", "version": "1"},
            headers={"Accept": "application/json"},
        )
    assert response.status_code == 503
    assert "busy" in response.get_data(as_text=True)
    assert json_response.status_code == 503
    assert "busy" in json_response.get_json()["error"]
    check = connect(app.config["DATABASE"])
    try:
        claim = store.get_claim(check, 1)
    finally:
        check.close()
    assert (claim["dismissed"], claim["version"]) == (False, 1)
