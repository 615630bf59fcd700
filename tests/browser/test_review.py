"""A reviewer's day in Chromium: import, select, verdict, add a claim, download the CSV."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from factcheck import store
from factcheck.db import connect

PASTED = """Lake ferry service to double its crossings

The lake ferry will run 24 crossings a day from June, twice as many as now, the transport \
authority said on Wednesday. The expansion will cost 3.5 million euros.

Passenger numbers rose by 40% last summer, the authority said.
"""


def test_import_article_from_paste(page: Any, live_server: dict[str, Any]) -> None:
    base = live_server["url"]
    page.click("text=Add article")
    page.fill("input[name=title]", "Ferry expansion")
    page.fill("input[name=publisher]", "Lake News")
    page.fill("input[name=published]", "2026-05-01")
    page.fill("textarea[name=body]", PASTED)
    page.click("button:has-text('Import and extract claims')")
    page.wait_for_url(re.compile(rf"{re.escape(base)}/articles/\d+$"))
    assert page.locator("h1").inner_text() == "Ferry expansion"
    assert page.locator("#article-body a.mark").count() >= 2
    # The rendered body is the stored text, character for character.
    assert page.locator("#article-body").inner_text().strip() == PASTED.strip()
    page.click("text=Articles")
    assert page.locator("table.list").inner_text().count("Ferry expansion") == 1


def test_verdict_with_source_survives_reload(page: Any, live_server: dict[str, Any]) -> None:
    base, article_id = live_server["url"], live_server["article_id"]
    page.goto(f"{base}/articles/{article_id}")
    page.evaluate("window.__stayed = true")
    first = page.locator("#article-body a.mark").first
    claim_id = first.get_attribute("data-claim")
    first.click()
    page.wait_for_selector(f".panel[data-claim='{claim_id}']")
    assert page.evaluate("window.__stayed") is True  # the panel came without a reload
    assert f"claim={claim_id}" in page.url

    page.check("input[name=rating][value=mostly-true]")
    page.fill("textarea[name=rationale]", "The operator's **annual report** confirms 2.4 million.")
    page.fill("input[name='sources-0-url']", "https://example.org/annual-report-2025")
    page.fill("input[name='sources-0-title']", "Annual report 2025")
    page.select_option("select[name='sources-0-stance']", "supports")
    page.click("button.add-source")
    page.fill("input[name='sources-1-url']", "https://example.org/statistics")
    page.fill("input[name='sources-1-title']", "National statistics")
    page.click("#verdict-form button[type=submit]")
    page.wait_for_selector(".save-status:has-text('Saved (version 1)')")
    assert page.evaluate("window.__stayed") is True  # saved without a reload

    page.reload()
    page.wait_for_selector(f".panel[data-claim='{claim_id}']")
    assert page.is_checked("input[name=rating][value=mostly-true]")
    assert (
        page.input_value("input[name='sources-0-url']") == "https://example.org/annual-report-2025"
    )
    assert page.input_value("select[name='sources-0-stance']") == "supports"
    assert page.input_value("input[name='sources-1-title']") == "National statistics"

    db = connect(live_server["database"])
    alice = next(u for u in store.list_users(db) if u["username"] == "alice")
    verdict = store.get_verdict(db, int(claim_id), alice["id"])
    db.close()
    assert verdict["rating"] == "mostly-true"
    assert [s["title"] for s in verdict["sources"]] == ["Annual report 2025", "National statistics"]


def test_keyboard_moves_between_claims(page: Any, live_server: dict[str, Any]) -> None:
    page.goto(f"{live_server['url']}/articles/{live_server['article_id']}")
    ids = page.eval_on_selector_all(
        "#claim-list a[data-claim]", "els => els.map(e => e.dataset.claim)"
    )
    assert len(ids) >= 2
    page.keyboard.press("j")
    page.wait_for_selector(f".panel[data-claim='{ids[0]}']")
    page.keyboard.press("j")
    page.wait_for_selector(f".panel[data-claim='{ids[1]}']")
    page.keyboard.press("k")
    page.wait_for_selector(f".panel[data-claim='{ids[0]}']")


LONGEST_PLAIN_PASSAGE = """() => {
  // The longest run of words outside any claim, and where its first and last letters are.
  const spans = Array.from(document.querySelectorAll('#article-body > span[data-start]'));
  let best = null;
  for (const span of spans) {
    const node = span.firstChild;
    if (!node) continue;
    for (const match of node.data.matchAll(/[A-Za-z][A-Za-z ,']*[A-Za-z]/g)) {
      if (!best || match[0].length > best.text.length) {
        best = {node, at: match.index, text: match[0]};
      }
    }
  }
  if (!best) return null;
  const range = document.createRange();
  range.setStart(best.node, best.at);
  range.setEnd(best.node, best.at + 1);
  const a = range.getBoundingClientRect();
  range.setStart(best.node, best.at + best.text.length - 1);
  range.setEnd(best.node, best.at + best.text.length);
  const b = range.getBoundingClientRect();
  return {text: best.text, x1: a.left + 1, y1: a.top + a.height / 2,
          x2: b.right - 1, y2: b.top + b.height / 2};
}"""


def test_add_claim_by_selecting_text(page: Any, live_server: dict[str, Any]) -> None:
    page.goto(f"{live_server['url']}/articles/{live_server['article_id']}")
    box = page.evaluate(LONGEST_PLAIN_PASSAGE)
    assert box and len(box["text"]) > 8, "no passage outside the claims to select"
    before = page.locator("#article-body a.mark").count()
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=5)
    page.mouse.up()
    page.click("button.add-selection")
    page.wait_for_url(re.compile(r"claim=\d+"))
    assert page.locator(".panel .quote").inner_text() == box["text"]
    assert page.locator("#article-body a.mark.selected").inner_text() == box["text"]
    assert page.locator("#article-body a.mark").count() == before + 1


def test_download_csv_report(page: Any, live_server: dict[str, Any]) -> None:
    base, article_id = live_server["url"], live_server["article_id"]
    page.goto(f"{base}/articles/{article_id}")
    page.locator("#article-body a.mark").first.click()
    page.wait_for_selector(".panel")
    page.check("input[name=rating][value=false]")
    page.fill("textarea[name=rationale]", '=HYPERLINK("http://evil.example") is not a formula here')
    page.fill("input[name='sources-0-url']", "https://example.org/flight-data")
    page.click("#verdict-form button[type=submit]")
    page.wait_for_selector(".save-status:has-text('Saved')")
    with page.expect_download() as info:
        page.click("a:has-text('CSV')")
    path = info.value.path()
    text = open(path, encoding="utf-8-sig").read()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows, "the CSV has no rows"
    quote = page.locator(".panel .quote").inner_text()
    row = next(r for r in rows if r["quote"] == quote)
    assert "False" in " ".join(row.values())
    assert "https://example.org/flight-data" in " ".join(row.values())


def test_blind_until_own_verdict(browser: Any, live_server: dict[str, Any], log_in: Any) -> None:
    base, article_id = live_server["url"], live_server["article_id"]
    alice_context = browser.new_context()
    bob_context = browser.new_context()
    try:
        alice, bob = alice_context.new_page(), bob_context.new_page()
        log_in(alice, base, "alice")
        log_in(bob, base, "bob")
        alice.goto(f"{base}/articles/{article_id}")
        alice.locator("#article-body a.mark").first.click()
        alice.check("input[name=rating][value=true]")
        alice.fill("textarea[name=rationale]", "Alice checked the annual report.")
        alice.click("#verdict-form button[type=submit]")
        alice.wait_for_selector(".save-status:has-text('Saved')")

        bob.goto(f"{base}/articles/{article_id}")
        bob.locator("#article-body a.mark").first.click()
        bob.wait_for_selector(".others")
        assert "Alice checked" not in bob.locator(".others").inner_text()
        # (not even how many: #12)
        assert "shown once you save yours" in bob.locator(".others").inner_text()
        assert "1 other" not in bob.locator(".others").inner_text()
        bob.check("input[name=rating][value=half-true]")
        bob.click("#verdict-form button[type=submit]")
        bob.wait_for_selector(".others:has-text('Alice checked the annual report.')")
    finally:
        alice_context.close()
        bob_context.close()
