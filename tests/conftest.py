"""Fixtures in the spirit of Flask's tutorial: ``app``, ``client``, ``runner``."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from factcheck import create_app, ingest, store
from factcheck.db import connect, migrate
from factcheck.store import users as store_users

# Background jobs run at once, in the request that queues them (tests/test_jobs.py runs a real
# consumer with this turned off).
os.environ.setdefault("FACTCHECK_JOBS_IMMEDIATE", "1")

PASSWORD = "correct horse battery"

SAMPLE_ARTICLE = """City council approves new tram line

By Jo Example, City Desk

The city council voted 31 to 12 on Tuesday to build a 14-kilometre tram line, the largest \
transport project since 1987. Construction will cost 820 million euros, according to the \
finance department.

Mayor Ana Lopez said the line would carry about 40,000 passengers a day by 2030. Critics \
said the estimate was twice as high as that of the bus routes it replaces.
"""

# A small news page of our own: navigation, scripts, handlers and the article text.
NEWS_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Harbour ferry fares to rise 8% in March | The Coastal Courier</title>
  <meta property="og:title" content="Harbour ferry fares to rise 8% in March">
  <meta property="og:site_name" content="The Coastal Courier">
  <meta name="author" content="Mara Jensen">
  <meta property="article:published_time" content="2025-02-11T08:30:00Z">
  <script>window.trackPageView("ferry-fares"); document.cookie = "x=1";</script>
  <style>body { font-family: serif }</style>
</head>
<body onload="stealCookies()">
  <header><nav><a href="/">Home</a> <a href="/local">Local</a> <a href="/sport">Sport</a>
    <a href="/subscribe">Subscribe for 1 euro</a></nav></header>
  <main>
    <article>
      <h1>Harbour ferry fares to rise 8% in March</h1>
      <p class="byline">By Mara Jensen, transport reporter</p>
      <p>The regional transport authority confirmed on Monday that single ferry tickets across
      the harbour will cost 4.30 euros from 1 March, up from 3.98 euros, an increase of 8 per
      cent.</p>
      <p onclick="alert('xss')">The authority said fuel costs had risen by a quarter since 2023
      and that the ferry service lost 2.1 million euros last year. Monthly passes will rise
      by 5 per cent to 61 euros.</p>
      <script>alert("injected in the article");</script>
      <p>Commuter groups said the rise was the third in four years. "People who cross twice a
      day will pay about 150 euros more a year," said Lena Falk of the Harbour Riders
      association.</p>
      <img src="x" onerror="alert('img')">
      <p>The authority's board will publish the full fare table on its website next week and
      said discounts for students and pensioners would remain unchanged.</p>
    </article>
  </main>
  <aside><h2>Most read</h2><ul><li><a href="/a">Storm closes coast road</a></li>
    <li><a href="/b">Fish market reopens</a></li></ul></aside>
  <footer><p>Copyright 2025 The Coastal Courier. All rights reserved.</p>
    <a href="/privacy">Privacy</a> <a href="/cookies">Cookie settings</a></footer>
</body>
</html>
"""


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing() -> Iterator[None]:
    """argon2id with the smallest cost: the real parameters take 0.1 s a hash."""
    from argon2 import PasswordHasher

    real = store_users._hasher
    store_users._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    yield
    store_users._hasher = real


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Any]:
    """An app on a fresh database with an admin, an editor and two reviewers."""
    app = create_app(
        {
            "TESTING": True,
            "DATABASE": str(tmp_path / "test.db"),
            "SECRET_KEY": "test-secret",
            "MAX_ARTICLE_BYTES": 200_000,
            "ARCHIVE_SOURCES": False,  # (tests of archiving turn it on)
        }
    )
    db = connect(app.config["DATABASE"])
    migrate(db)
    for name, role in [
        ("admin", "admin"),
        ("edna", "editor"),
        ("alice", "reviewer"),
        ("bob", "reviewer"),
    ]:
        store.create_user(db, name, PASSWORD, role=role)
    db.close()
    yield app


@pytest.fixture
def client(app: Any) -> Any:
    return app.test_client()


@pytest.fixture
def runner(app: Any) -> Any:
    return app.test_cli_runner()


@pytest.fixture
def db(app: Any) -> Iterator[Any]:
    database = connect(app.config["DATABASE"])
    yield database
    database.close()


def csrf_from(html: str) -> str:
    """The CSRF token of the first form in a page."""
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf-token" content="([^"]+)"', html
    )
    assert match, "no CSRF token in page"
    return match.group(1)


class Session:
    """A logged-in test client with a current CSRF token."""

    def __init__(self, client: Any, username: str):
        self.client = client
        self.username = username
        page = client.get("/login").get_data(as_text=True)
        response = client.post(
            "/login",
            data={"username": username, "password": PASSWORD, "csrf_token": csrf_from(page)},
        )
        assert response.status_code == 302, response.get_data(as_text=True)
        self.token = csrf_from(client.get("/articles/new").get_data(as_text=True))

    def get(self, *args: Any, **kwargs: Any) -> Any:
        return self.client.get(*args, **kwargs)

    def post(self, url: str, data: dict | None = None, **kwargs: Any) -> Any:
        data = dict(data or {})
        data.setdefault("csrf_token", self.token)
        return self.client.post(url, data=data, **kwargs)


@pytest.fixture
def login(app: Any) -> Any:
    """``login("alice")`` gives a fresh logged-in :class:`Session`."""

    def make(username: str = "alice") -> Session:
        return Session(app.test_client(), username)

    return make


@pytest.fixture
def article_id(app: Any, db: Any) -> int:
    """The sample article, stored with its extracted claims, assigned to alice and bob."""
    draft = ingest.prepare_article(body=SAMPLE_ARTICLE, title="Tram line", published="2025-05-06")
    article = store.create_article(db, draft.article, draft.claims, None)
    reviewers = [store.user_by_name(db, name)["id"] for name in ("alice", "bob")]
    store.set_assignments(db, article, reviewers, None)
    return article
