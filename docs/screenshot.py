"""Make docs/screenshot.png: the review page of the demo article with a verdict being recorded.

Run from the repository root with the project's venv (needs Debian's Chromium):

    .venv/bin/python docs/screenshot.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import shots  # (docs/shots.py: run from the repository root, docs/ is on the path)
from playwright.sync_api import sync_playwright

from factcheck import store

OUT = Path(__file__).resolve().parent / "screenshot.png"
PASSWORD = "screenshot-password"


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        app, db, article_id = shots.demo_app(tmp)
        store.create_user(db, "maria", PASSWORD, role="editor")
        db.close()
        server, base = shots.serve(app)
        with sync_playwright() as playwright:
            browser = shots.launch(playwright)
            page = browser.new_page(viewport={"width": 1440, "height": 960})
            shots.log_in(page, base, "maria", PASSWORD)
            page.goto(f"{base}/articles/{article_id}")
            page.locator("#article-body a.mark").nth(2).click()
            page.wait_for_selector(".panel")
            page.check("input[name=rating][value=mostly-false]")
            page.fill(
                "textarea[name=rationale]",
                "The council's own accounts put the bill at **53 million euros** once the "
                "design contract is included.",
            )
            page.fill("input[name='sources-0-url']", "https://example.org/council-accounts-2026")
            page.fill("input[name='sources-0-title']", "Porthaven council accounts 2026")
            page.select_option("select[name='sources-0-stance']", "refutes")
            page.click("#verdict-form button[type=submit]")
            page.wait_for_selector(".save-status:has-text('Saved')")
            page.evaluate("window.scrollTo(0, 0); document.querySelector('.side').scrollTo(0, 0)")
            page.screenshot(path=str(OUT))
            browser.close()
        server.close()
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
