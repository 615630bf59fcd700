"""Searching the claim archive in Chromium: search, open a result, and see an earlier check
of a similar claim in the panel."""

from __future__ import annotations

import re
from typing import Any

from factcheck import store
from factcheck.config import DEFAULTS
from factcheck.db import connect

RATINGS = [entry["key"] for entry in DEFAULTS["RATING_SCALE"]]
EARLIER = "The regional airport handled 2.1 million passengers in 2024, its operator said."


def _earlier_check(database: str) -> int:
    """An earlier article whose claim alice checked and an editor settled as False."""
    db = connect(database)
    quote = EARLIER.split(",")[0]
    article_id = store.create_article(
        db,
        {"title": "Airport traffic 2024", "body": EARLIER, "publisher": "Valley Times"},
        [{"start": 0, "end": len(quote), "quote": quote}],
        None,
    )
    claim_id = store.list_claims(db, article_id)[0]["id"]
    alice, admin = store.user_by_name(db, "alice"), store.user_by_name(db, "admin")
    store.set_assignments(db, article_id, [alice["id"]], None)
    store.record_verdict(db, claim_id, alice["id"], "mostly-false", "", [], None, RATINGS)
    store.record_final_verdict(db, claim_id, admin["id"], "false", "1.9 million.", None, RATINGS)
    db.close()
    return claim_id


def test_search_open_result_and_similar_claims(page: Any, live_server: dict[str, Any]) -> None:
    base, article_id = live_server["url"], live_server["article_id"]
    earlier = _earlier_check(live_server["database"])

    page.click("nav >> text=Search")
    page.fill("input[name=q]", "airport passengers")
    page.click("form.search-form button[type=submit]")
    page.wait_for_url(re.compile(r"/claims/search\?q=airport\+passengers"))
    result = page.locator(f".search-result[data-claim='{earlier}']")
    assert result.locator("mark").all_inner_texts() == ["airport", "passengers"]
    assert "Final verdict: False" in result.inner_text()
    assert "Airport traffic 2024" in result.inner_text()

    result.locator("a.claim-link").click()
    page.wait_for_selector(f".panel[data-claim='{earlier}']")
    assert "Airport traffic 2024" in page.locator("h1").inner_text()

    # The claim of today's article: its panel lists the earlier check with its verdict.
    page.goto(f"{base}/articles/{article_id}")
    passengers = page.locator("#claim-list a", has_text="2.4 million passengers").first
    claim_id = passengers.get_attribute("data-claim")
    passengers.click()
    page.wait_for_selector(f".panel[data-claim='{claim_id}']")
    similar = page.locator(f".similar-claims .search-result[data-claim='{earlier}']")
    assert "Final verdict: False" in similar.inner_text()
    similar.locator("a.claim-link").click()
    page.wait_for_selector(f".panel[data-claim='{earlier}']")
