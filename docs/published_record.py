"""Make the published-record screenshots in docs/: the publish check, a corrected public claim
page, the editor's correction page (wording, claimant, verdict), a withdrawn public claim page,
the publishing history (who published, corrected, withdrew) and the first two pages of the
printed verdict report, all of the demo article.

Run from the repository root with the project's venv (needs Debian's Chromium and
``pdftoppm`` from poppler-utils):

    .venv/bin/python docs/published_record.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import shots  # (docs/shots.py: run from the repository root, docs/ is on the path)
from playwright.sync_api import sync_playwright

from factcheck import store
from factcheck.config import DEFAULT_RATING_SCALE
from factcheck.store import desk, publish

DOCS = Path(__file__).resolve().parent
PASSWORD = "screenshot-password"
SCALE = [r["key"] for r in DEFAULT_RATING_SCALE]
SOURCE = {
    "url": "https://council.example/budget-2026",
    "title": "Council budget 2026, table 4",
    "publisher": "Porthaven council",
    "excerpt": "Old Quay Bridge repairs: 55.2 million euros",
    "stance": "refutes",
    "accessed": "2026-03-20",
}


def seed(db) -> tuple[int, int]:
    """Users, verdicts and final verdicts on the demo article; (article id, corrected claim)."""
    editor = store.create_user(db, "edna", PASSWORD, role="editor")["id"]
    alice = store.create_user(db, "alice", PASSWORD, role="reviewer")["id"]
    bob = store.create_user(db, "bob", PASSWORD, role="reviewer")["id"]
    article_id = store.list_articles(db, limit=1)[0]["id"]
    claims = [c for c in store.list_claims(db, article_id) if c["checkworthy"]]
    plan = [  # (alice's rating, bob's rating, final rating or None)
        ("false", "half-true", "half-true"),
        ("true", "true", "true"),
        ("mostly-true", "mostly-true", None),
        ("true", "true", None),
        ("half-true", "false", None),
    ]
    for claim, (a, b, final) in zip(claims, plan, strict=False):
        for user, rating in ((alice, a), (bob, b)):
            rationale = "The council's own budget puts the figure elsewhere; see table 4."
            store.record_verdict(db, claim["id"], user, rating, rationale, [SOURCE], None, SCALE)
        if final:
            reason = "The council's budget, table 4, and the reviewers' sources agree."
            desk.record_final_verdict(db, claim["id"], editor, final, reason, None, SCALE)
    return article_id, claims[0]["id"]


def publish_and_correct(db, article_id: int, claim_id: int) -> None:
    editor = desk.user_by_name(db, "edna")["id"]
    publish.publish_article(db, article_id, editor)
    publish.publish_correction(
        db,
        claim_id,
        editor,
        "We first compared the figure with the 2024 budget; the final accounts of January"
        " 2026 put it elsewhere.",
        rating="false",
        reason="The council's final accounts (January 2026) contradict the figure.",
        ratings=SCALE,
    )


def withdraw_one(db, article_id: int, corrected: int) -> int:
    """Withdraw a published claim other than the corrected one (by a second editor); its id."""
    olga = store.create_user(db, "olga", PASSWORD, role="editor")["id"]
    claim_id = next(
        v["claim_id"]
        for v in (publish.latest_version(db, c["id"]) for c in store.list_claims(db, article_id))
        if v is not None and v["claim_id"] != corrected
    )
    publish.withdraw_claim(
        db,
        claim_id,
        olga,
        "The minister's office showed us the full transcript: the sentence was quoted out of"
        " its context. We are checking it again.",
    )
    return claim_id


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        app, db, _article = shots.demo_app(
            tmp, ORG_NAME="Coastal Fact Desk", ORG_URL="https://factcheck.example/"
        )
        article_id, claim_id = seed(db)
        server, base = shots.serve(app)
        with sync_playwright() as playwright:
            browser = shots.launch(playwright)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            shots.log_in(page, base, "edna", PASSWORD)
            page.goto(f"{base}/articles/{article_id}/publish")
            page.screenshot(path=str(DOCS / "publish-check.png"), full_page=True)

            publish_and_correct(db, article_id, claim_id)
            page.goto(f"{base}/verdicts/{claim_id}")
            page.screenshot(path=str(DOCS / "public-correction.png"), full_page=True)

            page.goto(f"{base}/claims/{claim_id}/correction")
            page.screenshot(path=str(DOCS / "correction-page.png"), full_page=True)

            withdrawn = withdraw_one(db, article_id, claim_id)
            page.goto(f"{base}/verdicts/{withdrawn}")
            page.screenshot(path=str(DOCS / "public-withdrawn.png"), full_page=True)
            page.goto(f"{base}/articles/{article_id}/publish#history")
            page.locator("#history").screenshot(path=str(DOCS / "publishing-history.png"))

            page.goto(f"{base}/articles/{article_id}/report")
            page.emulate_media(media="print")
            pdf = Path(tmp) / "report.pdf"
            page.pdf(path=str(pdf), format="A4", print_background=True)
            browser.close()
        db.close()
        server.close()
        prefix = Path(tmp) / "report"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "2", str(pdf), str(prefix)],
            check=True,
        )
        for n, png in enumerate(sorted(Path(tmp).glob("report-*.png")), start=1):
            (DOCS / f"report-page-{n}.png").write_bytes(png.read_bytes())
    print("wrote", ", ".join(p.name for p in sorted(DOCS.glob("*.png"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
