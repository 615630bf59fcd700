"""Make the evidence screenshots in docs/: the claim panel's cited sources in each state
(waiting, archived with an excerpt found, a close match, failed with its reason, a link gone,
not a web address), the archived-text view with the excerpt marked, and the Sources page.

The sources are served by the tests' local page server (tests/evidence_server.py), archived by
the same functions the job worker runs. Run from the repository root with the project's venv
(needs Debian's Chromium):

    .venv/bin/python docs/evidence_screens.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import shots  # noqa: E402 (docs/shots.py: run from the repository root, docs/ is on the path)
from playwright.sync_api import sync_playwright  # noqa: E402

from factcheck import store  # noqa: E402
from factcheck.config import DEFAULT_RATING_SCALE  # noqa: E402
from factcheck.evidence import links, work  # noqa: E402
from factcheck.store import evidence as records  # noqa: E402
from tests.evidence_server import LOOPBACK_OK, serving  # noqa: E402

DOCS = Path(__file__).resolve().parent
PASSWORD = "screenshot-password"
SCALE = [r["key"] for r in DEFAULT_RATING_SCALE]


def seed(db, base: str) -> tuple[int, int]:
    """Users and a verdict whose sources end in every state; (article id, claim id)."""
    store.create_user(db, "edna", PASSWORD, role="editor")
    alice = store.create_user(db, "alice", PASSWORD, role="reviewer")["id"]
    article_id = store.list_articles(db, limit=1)[0]["id"]
    store.set_assignments(db, article_id, [alice], None)
    claim = next(c for c in store.list_claims(db, article_id) if c["checkworthy"])
    sources = [
        {
            "url": f"{base}/report",
            "title": "Annual transport report 2024",
            "publisher": "Harbour Transport Authority",
            "excerpt": "Ferry passenger numbers rose by 12 per cent in 2024",
            "stance": "supports",
        },
        {
            "url": f"{base}/pdf",
            "title": "Fare table 2025 (PDF)",
            "publisher": "Harbour Transport Authority",
            "excerpt": "Single tickets cost 4.30 euro from 1 March",
            "stance": "context",
        },
        {
            "url": f"{base}/changing",
            "title": "Operator's press release",
            "publisher": "Harbour Ferries Ltd",
            "excerpt": "numbers rose by 15 per cent",
            "stance": "refutes",
        },
        {
            "url": f"{base}/gone",
            "title": "Council statement (removed)",
            "publisher": "Porthaven council",
            "stance": "refutes",
        },
        {
            "url": f"{base}/slow",
            "title": "Union newsletter",
            "publisher": "Harbour Riders",
            "stance": "context",
        },
        {  # (a saved file's path: kept as typed, never fetched, never a link)
            "url": "file:///C:/Users/alice/Downloads/council-minutes.pdf",
            "title": "Council minutes, 3 May (saved copy)",
            "publisher": "Porthaven council",
            "stance": "context",
        },
    ]
    rationale = "The authority's **annual report** puts the rise at 12 per cent."
    store.record_verdict(db, claim["id"], alice, "mostly-true", rationale, sources, None, SCALE)
    # Other citations, so that the Sources page has counts and stances.
    bob = store.create_user(db, "bob", PASSWORD, role="reviewer")["id"]
    store.set_assignments(db, article_id, [alice, bob], None)
    for other in [c for c in store.list_claims(db, article_id) if c["checkworthy"]][1:3]:
        store.record_verdict(db, other["id"], bob, "true", "", sources[:2], None, SCALE)
    ids = {r["url"]: r["id"] for r in records.list_records(db, limit=20)}
    for url in (f"{base}/report", f"{base}/pdf", f"{base}/changing", f"{base}/gone"):
        work.archive_with_retries(db, ids[url], LOOPBACK_OK, sleep=lambda s: None)
    # A link check: the press release changed since it was cited.
    from tests.evidence_server import Handler

    Handler.variant = "second"
    for url in (f"{base}/report", f"{base}/changing"):
        row = db.execute(
            "SELECT a.text_sha256 FROM source_records r JOIN source_archives a"
            " ON a.id = r.archive_id WHERE r.id = ?",
            (ids[url],),
        ).fetchone()
        result = links.check_link(url, row[0], LOOPBACK_OK)
        records.save_link_check(db, ids[url], result.status, result.reason)
    return article_id, claim["id"]


def main() -> int:
    with serving() as base, tempfile.TemporaryDirectory() as tmp:
        app, db, _article = shots.demo_app(tmp, ARCHIVE_SOURCES=False, **LOOPBACK_OK)
        article_id, claim_id = seed(db, base)
        check_id = db.execute(
            "SELECT x.id, x.archive_id FROM excerpt_checks x WHERE x.result = 'found'"
        ).fetchone()
        db.close()
        server, url = shots.serve(app)
        with sync_playwright() as p:
            browser = shots.launch(p)
            page = browser.new_page(viewport={"width": 1400, "height": 1100})
            shots.log_in(page, url, "alice", PASSWORD)
            page.wait_for_url(f"{url}/")
            page.goto(f"{url}/articles/{article_id}?claim={claim_id}#panel")
            page.wait_for_selector("#evidence .evidence-item")
            page.locator("#evidence").screenshot(path=str(DOCS / "evidence-panel-states.png"))
            page.locator("#evidence").scroll_into_view_if_needed()
            page.screenshot(path=str(DOCS / "evidence-panel.png"))
            page.goto(f"{url}/archives/{check_id[1]}?check={check_id[0]}")
            page.screenshot(path=str(DOCS / "evidence-archived-text.png"), full_page=True)
            page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
            shots.log_in(page, url, "edna", PASSWORD)
            page.wait_for_url(f"{url}/")
            page.goto(f"{url}/sources")
            page.screenshot(path=str(DOCS / "evidence-sources-page.png"), full_page=True)
            browser.close()
        server.close()
    print("docs/evidence-*.png written")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
