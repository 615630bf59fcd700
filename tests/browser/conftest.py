"""Browser tests: Playwright driving Debian's Chromium against the app served by waitress.

They skip when ``/usr/bin/chromium`` is missing, unless ``FACTCHECK_REQUIRE_BROWSER=1`` (set by
CI), in which case they fail instead.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from factcheck import create_app, ingest, store
from factcheck.db import connect, migrate

CHROMIUM = os.environ.get("FACTCHECK_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "correct horse battery"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

BROWSER_ARTICLE = """Regional airport posts record year

By Sam Writer

The regional airport handled 2.4 million passengers in 2025, up 18% on the year before, \
its operator said on Monday. It was the busiest year since the terminal opened in 1994.

The operator plans to add six new routes next spring. Ticket prices will stay the same, \
the company's chief executive said.
"""


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("FACTCHECK_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """The app served by waitress on a free loopback port, with users and one article."""
    from waitress.server import create_server

    database = str(tmp_path / "browser.db")
    app = create_app(
        {"DATABASE": database, "SECRET_KEY": "browser-secret", "ARCHIVE_SOURCES": False}
    )
    db = connect(database)
    migrate(db)
    for name, role in [("admin", "admin"), ("alice", "reviewer"), ("bob", "reviewer")]:
        store.create_user(db, name, PASSWORD, role=role)
    draft = ingest.prepare_article(
        body=BROWSER_ARTICLE, title="Airport record", published="2026-01-12"
    )
    article_id = store.create_article(db, draft.article, draft.claims, None)
    reviewers = [store.user_by_name(db, name)["id"] for name in ("alice", "bob")]
    store.set_assignments(db, article_id, reviewers, None)
    db.close()
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield {
        "url": f"http://127.0.0.1:{server.effective_port}",
        "app": app,
        "article_id": article_id,
        "database": database,
    }
    server.close()
    thread.join(timeout=5)


@pytest.fixture
def context(browser: Any, tmp_path: Path) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    context.set_default_timeout(10_000)
    yield context
    context.close()


def _log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


@pytest.fixture
def log_in() -> Any:
    """``log_in(page, base_url, username)`` logs a page in through the login form."""
    return _log_in


@pytest.fixture
def page(context: Any, live_server: dict[str, Any]) -> Any:
    """A page logged in as alice; JavaScript errors fail the test."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    _log_in(page, live_server["url"], "alice")
    page.js_errors = errors
    yield page
    assert not errors, f"JavaScript errors: {errors}"
