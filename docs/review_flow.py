"""Make the reviewer-flow screenshots in docs/: the claim list marked with a reviewer's progress
(to do, done, returned, disputed) and the list of keys (``?``), on the demo article.

Run from the repository root with the project's venv (needs Debian's Chromium):

    .venv/bin/python docs/review_flow.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import shots  # (docs/shots.py: run from the repository root, docs/ is on the path)
from playwright.sync_api import sync_playwright

from factcheck import store
from factcheck.config import DEFAULT_RATING_SCALE

DOCS = Path(__file__).resolve().parent
PASSWORD = "screenshot-password"
SCALE = [r["key"] for r in DEFAULT_RATING_SCALE]


def seed(db) -> int:
    """The demo article assigned to alice and bob; alice has three verdicts (bob disagrees with
    one of them, an editor returned another); returns the article's id."""
    alice = store.create_user(db, "alice", PASSWORD, role="reviewer")["id"]
    bob = store.create_user(db, "bob", PASSWORD, role="reviewer")["id"]
    article_id = store.list_articles(db, limit=1)[0]["id"]
    store.set_assignments(db, article_id, [alice, bob], None)
    claims = [c for c in store.list_claims(db, article_id) if c["checkworthy"]]
    for claim, (mine, theirs) in zip(
        claims, [("false", "false"), ("true", "half-true"), ("mostly-true", None)], strict=False
    ):
        store.record_verdict(db, claim["id"], alice, mine, "Checked.", [], None, SCALE)
        if theirs:
            store.record_verdict(db, claim["id"], bob, theirs, "Checked.", [], None, SCALE)
    from factcheck.store import discussion

    editor = store.create_user(db, "edna", PASSWORD, role="editor")["id"]
    discussion.return_verdict(db, claims[2]["id"], alice, editor, "Needs a primary source.")
    return article_id


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app, db, _article = shots.demo_app(tmp)
        article_id = seed(db)
        db.close()
        server, base = shots.serve(app)
        with sync_playwright() as playwright:
            browser = shots.launch(playwright)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            shots.log_in(page, base, "alice", PASSWORD)
            page.goto(f"{base}/articles/{article_id}")
            page.keyboard.press("j")
            page.wait_for_selector(".panel[data-claim]")
            page.keyboard.press("3")
            page.screenshot(path=str(DOCS / "review-flow.png"))
            page.locator(".claims").screenshot(path=str(DOCS / "review-claim-list.png"))
            page.keyboard.press("?")
            page.wait_for_selector("#keys-help[open]")
            page.screenshot(path=str(DOCS / "review-keys.png"))
            browser.close()
        server.close()


if __name__ == "__main__":
    main()
