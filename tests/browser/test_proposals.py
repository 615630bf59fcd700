"""Roles over claims in Chromium: a reviewer proposes a new wording, an admin accepts it."""

from __future__ import annotations

import os
from typing import Any

from factcheck import store
from factcheck.db import connect

NEW = "The regional airport handled 2.4 million passengers in 2024, up 18%"


def test_propose_and_accept_a_wording(
    page: Any, browser: Any, live_server: dict[str, Any], log_in: Any
) -> None:
    base, article_id = live_server["url"], live_server["article_id"]
    page.goto(f"{base}/articles/{article_id}")
    first = page.locator("#article-body a.mark").first
    claim_id = first.get_attribute("data-claim")
    first.click()
    page.wait_for_selector(f".panel[data-claim='{claim_id}']")
    assert page.locator("summary:has-text('Edit wording')").count() == 0
    page.click("summary:has-text('Propose wording change')")
    page.fill(".propose-wording textarea[name=text]", NEW)
    page.fill(".propose-wording textarea[name=reason]", "The report says 2024.")
    shots = os.environ.get("FACTCHECK_SCREENSHOTS")
    if shots:
        page.locator(".panel").screenshot(path=os.path.join(shots, "proposals-form.png"))
    page.click("button:has-text('Propose wording')")
    page.wait_for_selector(".my-proposal:has-text('Your proposal: new wording')")
    assert "sent to the editors" in page.locator("#flash").inner_text()
    assert page.locator(".my-proposal ins").count() >= 1

    editors = browser.new_context(viewport={"width": 1400, "height": 1000})
    editor = editors.new_page()
    log_in(editor, base, "admin")
    assert editor.locator("nav a:has-text('Proposals') .count").inner_text() == "1"
    editor.click("nav a:has-text('Proposals')")
    proposal = editor.locator("article.proposal").first
    assert "alice proposes: new wording" in proposal.inner_text()
    assert proposal.locator("del").count() >= 1 and proposal.locator("ins").count() >= 1
    if shots:
        editor.screenshot(path=os.path.join(shots, "proposals-desk.png"), full_page=True)
        editor.goto(f"{base}/articles/{article_id}?claim={claim_id}")
        editor.locator("section.pending-proposals").screenshot(
            path=os.path.join(shots, "proposals-panel.png")
        )
        page.locator(".my-proposal").screenshot(path=os.path.join(shots, "proposals-mine.png"))
        editor.goto(f"{base}/desk/proposals")
        proposal = editor.locator("article.proposal").first
    proposal.locator("textarea[name=note]").fill("Checked against the report.")
    proposal.locator("button:has-text('Accept')").click()
    editor.wait_for_selector("text=No proposals are waiting.")
    assert "Proposal accepted" in editor.locator("#flash").inner_text()

    db = connect(live_server["database"])
    try:
        claim = store.get_claim(db, int(claim_id))
        assert claim["text"] == NEW
        actions = [e["action"] for e in store.claim_history(db, int(claim_id))]
        assert actions[-3:] == ["propose", "edit", "accept"]
    finally:
        db.close()
    page.goto(f"{base}/articles/{article_id}?claim={claim_id}")
    assert page.locator("#claim-wording").inner_text() == NEW
    assert page.locator(".my-proposal").count() == 0
    editors.close()
