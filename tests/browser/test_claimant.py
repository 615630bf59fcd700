"""The claimant in Chromium: the panel shows who made the claim and the "check the wording"
mark; the claimant is changed in the panel, a refused entry stays in view; a reviewer (who
proposes wording changes) proposes the claimant to an editor."""

from __future__ import annotations

import os
import re
from typing import Any

from factcheck import store
from factcheck.db import connect
from tests.test_store_exports import OKAFOR, OKAFOR_CLAIMS


def _okafor(live_server: dict[str, Any]) -> int:
    db = connect(live_server["database"])
    article = {"title": "Exports fall", "body": OKAFOR, "publisher": "The Courier"}
    article_id = store.create_article(db, article, OKAFOR_CLAIMS, None)
    alice = store.user_by_name(db, "alice")["id"]
    store.set_assignments(db, article_id, [alice], None)
    db.close()
    return article_id


def test_the_panel_shows_and_changes_the_claimant(
    context: Any, live_server: dict[str, Any], log_in: Any
) -> None:
    """An admin (who edits wordings directly, as editors do) sets the claimant."""
    base = live_server["url"]
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, base, "admin")
    article_id = _okafor(live_server)
    db = connect(live_server["database"])
    fell, closed, firms = store.list_claims(db, article_id)
    page.goto(f"{base}/articles/{article_id}")
    page.locator(f"#article-body a.mark[data-claim='{closed['id']}']").first.click()
    page.wait_for_selector(f".panel[data-claim='{closed['id']}']")
    assert page.locator(".claimant-line").inner_text() == "Claimant: Maria Okafor (person)"
    mark = page.locator(".panel .check-wording")
    assert mark.is_visible() and mark.inner_text() == "check the wording"
    assert "the passage itself" in page.locator(".wording-source").inner_text()
    shots = os.environ.get("FACTCHECK_SCREENSHOTS")
    if shots:
        page.locator("#panel").screenshot(path=os.path.join(shots, "claimant-panel.png"))

    # The first claim: rewritten, built from two passages, no mark.
    page.locator(f"#claim-list a[data-claim='{fell['id']}']").click()
    page.wait_for_selector(f".panel[data-claim='{fell['id']}']")
    assert page.locator(".panel .check-wording").count() == 0
    assert page.locator(".wording-span").all_inner_texts() == [
        "Maria Okafor",
        "exports fell 12% in 2024",
    ]

    # Change the third claim's claimant: first without a kind (refused, entry kept), then right.
    page.locator(f"#claim-list a[data-claim='{firms['id']}']").click()
    page.wait_for_selector(f".panel[data-claim='{firms['id']}']")
    assert page.locator(".claimant-line").inner_text() == "Claimant: the ministry (organization)"
    page.click("details.edit-claimant summary")
    page.fill("#claimant-name", "Maria Okafor")
    page.evaluate(
        "document.querySelectorAll('input[name=claimant_kind]').forEach(i => i.checked = false)"
    )
    page.click("button:has-text('Save claimant')")
    page.wait_for_selector(".claimant-kinds .field-error")
    assert page.locator("#claimant-name").input_value() == "Maria Okafor"
    assert page.locator("details.edit-claimant").get_attribute("open") is not None
    assert "person or an organization" in page.locator(".claimant-kinds").inner_text()
    if shots:
        page.locator("#panel").screenshot(path=os.path.join(shots, "claimant-refused.png"))
    page.check("input[name=claimant_kind][value=person]")
    page.click("button:has-text('Save claimant')")
    page.wait_for_url(re.compile(rf".*claim={firms['id']}.*"))
    page.wait_for_selector(".flash:has-text('Claimant saved.')")
    assert page.locator(".claimant-line").inner_text() == "Claimant: Maria Okafor (person)"
    saved = store.get_claim(db, firms["id"])
    assert (saved["claimant"], saved["claimant_kind"]) == ("Maria Okafor", "person")
    # The publication's own: empty name.
    page.click("details.edit-claimant summary")
    page.fill("#claimant-name", "")
    page.click("button:has-text('Save claimant')")
    page.wait_for_selector(".flash:has-text('Claimant saved.')")
    assert page.locator(".claimant-line").inner_text() == "Claimant: The Courier (the publication)"
    db.close()
    assert not errors, f"JavaScript errors: {errors}"


def test_a_reviewer_proposes_a_claimant(page: Any, live_server: dict[str, Any]) -> None:
    article_id = _okafor(live_server)
    db = connect(live_server["database"])
    firms = store.list_claims(db, article_id)[2]
    page.goto(f"{live_server['url']}/articles/{article_id}?claim={firms['id']}")
    assert page.locator(".claimant-line").inner_text() == "Claimant: the ministry (organization)"
    page.click("details.edit-claimant summary:has-text('Propose a claimant')")
    page.fill("#claimant-name", "Maria Okafor")
    page.check("input[name=claimant_kind][value=person]")
    page.fill("details.edit-claimant textarea[name=reason]", "The figures are her ministry's.")
    page.click("button:has-text('Propose claimant')")
    page.wait_for_selector(".flash:has-text('Claimant proposed')")
    assert "new claimant" in page.locator(".my-proposal").inner_text()
    (proposal,) = store.list_open_proposals(db, firms["id"])
    assert (proposal["claimant"], proposal["claimant_kind"]) == ("Maria Okafor", "person")
    assert store.get_claim(db, firms["id"])["claimant"] == "the ministry"
    db.close()
