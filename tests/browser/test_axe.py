"""axe-core (vendored: tests/browser/vendor/axe-core-VERSION.min.js, its license beside it) finds
no accessibility violations on the reviewer's views (#12): review, queue, articles, a claim's
comments and the inbox.

To check another view, add an entry to ``VIEWS``: a name and a function that brings the logged-in
``page`` (alice, a reviewer assigned to the fixture's article) to the state to check.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from factcheck import store
from factcheck.config import DEFAULT_RATING_SCALE
from factcheck.db import connect

AXE = next((Path(__file__).parent / "vendor").glob("axe-core-*.min.js"))
SCALE = [r["key"] for r in DEFAULT_RATING_SCALE]

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => `${n.target.join(' ')}: ${n.failureSummary}`),
  }));
}"""


def _article(page: Any, server: dict[str, Any]) -> None:
    page.goto(f"{server['url']}/articles/{server['article_id']}")


def _claim(page: Any, server: dict[str, Any]) -> None:
    _article(page, server)
    page.keyboard.press("j")
    page.wait_for_selector(".panel[data-claim]")


def _claim_saved(page: Any, server: dict[str, Any]) -> None:
    """A claim alice saved by Save and next, with bob's verdict on it now shown to her."""
    db = connect(server["database"])
    bob = store.user_by_name(db, "bob")["id"]
    claims = store.list_claims(db, server["article_id"])
    for claim in claims:
        store.record_verdict(db, claim["id"], bob, "false", "**Bob** read it.", [], None, SCALE)
    db.close()
    page.goto(f"{server['url']}/articles/{server['article_id']}?claim={claims[0]['id']}")
    page.keyboard.press("1")
    page.keyboard.press("Control+Enter")
    page.wait_for_function("window.factcheckTimings.length === 1")
    page.goto(f"{server['url']}/articles/{server['article_id']}?claim={claims[0]['id']}")
    page.wait_for_selector(".others li")


def _keys(page: Any, server: dict[str, Any]) -> None:
    _claim(page, server)
    page.keyboard.press("?")
    page.wait_for_selector("#keys-help[open]")


def _todo_only(page: Any, server: dict[str, Any]) -> None:
    page.goto(f"{server['url']}/articles/{server['article_id']}?todo=1")


def _discussed(page: Any, server: dict[str, Any], returned: bool = False) -> None:
    """A claim's thread: a comment of bob's (held back from alice by blind review) and one of
    the admin's mentioning alice; ``returned``: alice's verdict saved, then returned to her."""
    db = connect(server["database"])
    users = {name: store.user_by_name(db, name) for name in ("admin", "alice", "bob")}
    claim = store.list_claims(db, server["article_id"])[0]
    store.record_verdict(db, claim["id"], users["bob"]["id"], "false", "", [], None, SCALE)
    store.add_comment(db, claim["id"], users["bob"]["id"], "The **operator's** report?")
    store.add_comment(db, claim["id"], users["admin"]["id"], "@alice which year is it?")
    if returned:
        store.record_verdict(db, claim["id"], users["alice"]["id"], "true", "", [], None, SCALE)
        store.return_verdict(
            db, claim["id"], users["alice"]["id"], users["admin"]["id"], "A primary source?"
        )
    db.close()
    page.goto(f"{server['url']}/articles/{server['article_id']}?claim={claim['id']}#comments")
    page.wait_for_selector(".discussion")


def _inbox(page: Any, server: dict[str, Any]) -> None:
    _discussed(page, server, returned=True)
    page.goto(f"{server['url']}/inbox")


VIEWS: dict[str, Callable[[Any, dict[str, Any]], None]] = {
    "comments": _discussed,
    "comments-returned": lambda page, server: _discussed(page, server, returned=True),
    "inbox": _inbox,
    "review": _article,
    "review-claim": _claim,
    "review-claim-saved": _claim_saved,
    "review-keys": _keys,
    "review-todo-only": _todo_only,
    "queue": lambda page, server: page.goto(f"{server['url']}/queue"),
    "articles": lambda page, server: page.goto(f"{server['url']}/"),
}


@pytest.fixture
def axe_context(browser: Any) -> Any:
    # (the app's Content-Security-Policy allows no injected script: bypass it for axe only)
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, bypass_csp=True)
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.mark.parametrize("view", list(VIEWS))
def test_no_axe_violations(
    view: str, axe_context: Any, live_server: dict[str, Any], log_in: Any
) -> None:
    page = axe_context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, live_server["url"], "alice")
    VIEWS[view](page, live_server)
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(RUN_AXE)
    assert violations == [], violations
    assert not errors, errors
