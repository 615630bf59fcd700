"""Make the discussion screenshots in docs/: a claim's comment thread with a returned verdict
(as its reviewer sees it) and the reviewer's inbox, on the demo article.

Run from the repository root with the project's venv (needs Debian's Chromium):

    .venv/bin/python docs/discussion.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import shots  # (docs/shots.py: run from the repository root, docs/ is on the path)
from playwright.sync_api import sync_playwright

from factcheck import access, store
from factcheck.config import DEFAULT_RATING_SCALE

DOCS = Path(__file__).resolve().parent
PASSWORD = "screenshot-password"
SCALE = [r["key"] for r in DEFAULT_RATING_SCALE]


def seed(db) -> tuple[int, int]:
    """Users, verdicts, a discussion and a hand-back on the demo article; (article, claim)."""
    edna = store.create_user(db, "edna", PASSWORD, role="editor")
    alice = store.create_user(db, "alice", PASSWORD, role="reviewer")
    bob = store.create_user(db, "bob", PASSWORD, role="reviewer")
    article_id = store.list_articles(db, limit=1)[0]["id"]
    store.set_assignments(db, article_id, [alice["id"], bob["id"]], edna["id"])
    claims = [c for c in store.list_claims(db, article_id) if c["checkworthy"]]
    claim = claims[0]
    store.record_verdict(
        db, claim["id"], alice["id"], "false", "A news report puts it lower.", [], None, SCALE
    )
    store.record_verdict(
        db, claim["id"], bob["id"], "half-true", "Close to the budget figure.", [], None, SCALE
    )

    def say(user, body, kind="comment"):
        audience = access.mention_audience(db, user, claim, kind, True)
        return store.add_comment(db, claim["id"], user["id"], body, audience)

    say(
        bob,
        "The council's **budget 2026**, table 4, lists the repairs separately from the"
        " new footbridge. Worth checking whether the article adds them up.",
    )
    say(
        edna,
        "@alice @bob before we settle this: is the footbridge part of the same"
        " contract? The tender notice should say.",
    )
    say(alice, "The tender notice (ref. PH-2025-117) covers both. I'll add it as a source.")
    store.return_verdict(
        db,
        claim["id"],
        alice["id"],
        edna["id"],
        "Needs a primary source: the news report quotes the council, so cite the council's"
        " own document (the tender notice) instead.",
        access.mention_audience(db, edna, claim, "return", True),
    )
    other = claims[1]
    store.propose(db, other["id"], alice["id"], "dismiss", None, "A forecast, not a claim.", None)
    return article_id, claim["id"]


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        app, db, _article = shots.demo_app(tmp)
        article_id, claim_id = seed(db)
        server, base = shots.serve(app)
        with sync_playwright() as playwright:
            browser = shots.launch(playwright)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            shots.log_in(page, base, "alice", PASSWORD)
            page.goto(f"{base}/inbox")
            page.screenshot(path=str(DOCS / "inbox.png"), full_page=True)
            page.set_viewport_size({"width": 1280, "height": 3000})
            page.goto(f"{base}/articles/{article_id}?claim={claim_id}#comments")
            page.locator(".discussion").screenshot(path=str(DOCS / "comment-thread.png"))
            browser.close()
        db.close()
        server.close()
    print("wrote inbox.png, comment-thread.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
