"""Fixtures in the spirit of Flask's tutorial: ``app``, ``client``, ``runner``."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from factcheck import create_app, ingest, store
from factcheck.db import connect, migrate

PASSWORD = "correct horse battery"

SAMPLE_ARTICLE = """City council approves new tram line

By Jo Example, City Desk

The city council voted 31 to 12 on Tuesday to build a 14-kilometre tram line, the largest \
transport project since 1987. Construction will cost 820 million euros, according to the \
finance department.

Mayor Ana Lopez said the line would carry about 40,000 passengers a day by 2030. Critics \
said the estimate was twice as high as that of the bus routes it replaces.
"""


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Any]:
    """An app on a fresh database with an admin, an editor and two reviewers."""
    app = create_app(
        {
            "TESTING": True,
            "DATABASE": str(tmp_path / "test.db"),
            "SECRET_KEY": "test-secret",
            "MAX_ARTICLE_BYTES": 200_000,
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
    """The sample article, stored with its extracted claims."""
    draft = ingest.prepare_article(body=SAMPLE_ARTICLE, title="Tram line", published="2025-05-06")
    return store.create_article(db, draft.article, draft.claims, None)
