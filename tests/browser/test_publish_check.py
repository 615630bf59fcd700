"""The publish check and a refused correction in Chromium: what goes out and what does not,
settling the unanimous claims in one step, a confirmation that notices a change, and a
correction without a note that keeps everything typed, in view.

With ``FACTCHECK_SCREENSHOTS=<folder>`` the tests save screenshots of these pages there.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from factcheck import store
from factcheck.config import DEFAULT_RATING_SCALE
from factcheck.db import connect
from factcheck.store import publish as store_publish
from factcheck.store import publish_check as store_check

SCALE_KEYS = [entry["key"] for entry in DEFAULT_RATING_SCALE]


def _shot(page: Any, name: str, full_page: bool = True) -> None:
    folder = os.environ.get("FACTCHECK_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=full_page)


def _desk(live_server: dict[str, Any]) -> dict[str, Any]:
    """edna the editor; claims: a settled one, two unanimous, a disputed one, one unreviewed."""
    db = connect(live_server["database"])
    store.create_user(db, "edna", "correct horse battery", role="editor")
    claims = [c["id"] for c in store.list_claims(db, live_server["article_id"])]
    ids = dict(zip(("settled", "first", "second", "disputed", "unreviewed"), claims, strict=True))
    users = {name: store.user_by_name(db, name)["id"] for name in ("alice", "bob", "edna")}
    ratings = {
        "settled": ("true", "true"),
        "first": ("mostly-true", "mostly-true"),
        "second": ("false", "false"),
        "disputed": ("true", "half-true"),
    }
    for key, (a, b) in ratings.items():
        store.record_verdict(db, ids[key], users["alice"], a, "", [], None, SCALE_KEYS)
        store.record_verdict(db, ids[key], users["bob"], b, "", [], None, SCALE_KEYS)
    store.record_final_verdict(
        db, ids["settled"], users["edna"], "true", "The annual report.", None, SCALE_KEYS
    )
    db.close()
    return ids


def _in_view(page: Any, selector: str) -> bool:
    return page.eval_on_selector(
        selector,
        "el => { const r = el.getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0; }",
    )


def test_publish_check_settle_and_confirm(
    context: Any, live_server: dict[str, Any], log_in: Any
) -> None:
    base, article_id = live_server["url"], live_server["article_id"]
    ids = _desk(live_server)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, base, "edna")
    page.goto(f"{base}/articles/{article_id}")
    page.click("a:has-text('Publish…')")
    page.wait_for_url(f"{base}/articles/{article_id}/publish")
    summary = page.locator(".check-summary").inner_text()
    assert "1 claim with a final verdict will be published" in summary
    assert "2 unanimous but not settled" in summary and "1 without any verdict" in summary
    assert "points at this machine" in page.locator(".article-issues").inner_text()
    # The long wording of the settled claim is flagged for ClaimReview.
    assert "Google shows at most 75" in page.locator("#settled").inner_text()
    boxes = page.locator(".settle-form input[name=claims]")
    assert boxes.count() == 2 and all(boxes.nth(i).is_checked() for i in range(2))
    _shot(page, "publish-check")

    # Settling without a reason is refused: the message beside the reason, in view, focused,
    # the choice of claims as it was sent.
    boxes.nth(1).uncheck()
    page.fill("textarea[name=reason]", "   ")  # (an empty one the browser itself refuses)
    page.click(".settle-form button[type=submit]")
    page.wait_for_selector(".settle-form .field-error")
    assert "Give a reason" in page.locator(".settle-form .has-error").inner_text()
    assert page.evaluate("document.activeElement.name") == "reason"
    assert _in_view(page, ".settle-form .field-error")
    assert page.locator(".settle-form input[name=claims]").nth(0).is_checked()
    assert not page.locator(".settle-form input[name=claims]").nth(1).is_checked()
    page.locator(".settle-form input[name=claims]").nth(1).check()
    page.fill("textarea[name=reason]", "Both reviewers' sources agree.")
    page.click(".settle-form button[type=submit]")
    page.wait_for_selector(".flash:has-text('Settled 2 unanimous claims')")
    assert page.locator(".settle-form").count() == 0
    assert "3 claims with a final verdict" in page.locator(".check-summary").inner_text()
    _shot(page, "publish-check-settled")

    # Meanwhile another editor settles the disputed claim: confirming shows the check again.
    db = connect(live_server["database"])
    store.record_final_verdict(
        db,
        ids["disputed"],
        store.user_by_name(db, "admin")["id"],
        "mostly-true",
        "",
        None,
        SCALE_KEYS,
    )
    db.close()
    page.click("button:has-text('Publish 3 claims')")
    page.wait_for_selector("#confirm .form-error")
    message = page.locator("#confirm .form-error").inner_text()
    assert f"newly settled: claim {ids['disputed']}" in message
    assert _in_view(page, "#confirm .form-error")
    db = connect(live_server["database"])
    assert store.get_article(db, article_id)["published_at"] is None
    db.close()
    page.click("button:has-text('Publish 4 claims')")
    page.wait_for_url(f"{base}/articles/{article_id}")
    assert "Published the final verdicts of 4 claims" in page.locator("#flash").inner_text()
    assert page.locator(".tag.published").count() == 1
    # Checking again: what is public stays as it is; nothing new to publish.
    page.click("a:has-text('Publish newly settled claims…')")
    assert "Public already 4" in page.locator("#published").inner_text()
    assert "Nothing new to publish" in page.locator("#confirm").inner_text()
    _shot(page, "publish-check-published")
    assert not errors, errors


def test_refused_correction_keeps_input_in_view(
    context: Any, live_server: dict[str, Any], log_in: Any
) -> None:
    base, article_id = live_server["url"], live_server["article_id"]
    ids = _desk(live_server)
    db = connect(live_server["database"])
    edna_id = store.user_by_name(db, "edna")["id"]
    store_check.publish_confirmed(
        db, article_id, edna_id, store_publish.publish_state(db, article_id)
    )
    db.close()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, base, "edna")
    page.goto(f"{base}/articles/{article_id}?claim={ids['settled']}#panel")
    page.click(".adjudicate summary")
    page.select_option(".final-form select[name=rating]", "mostly-true")
    page.fill(".final-form textarea[name=reason]", "The report counts transfers twice.")
    page.click("button:has-text('Record final verdict')")
    page.wait_for_selector(".adjudicate[open] .field-error")
    # The section is open, the error beside the note, in view, with the cursor in the note;
    # the rating and reason typed are kept (not the published ones).
    assert "describe the correction" in page.locator(".adjudicate .has-error").inner_text()
    assert _in_view(page, ".adjudicate .field-error")
    assert page.evaluate("document.activeElement.name") == "correction_note"
    assert page.input_value(".final-form select[name=rating]") == "mostly-true"
    assert (
        page.input_value(".final-form textarea[name=reason]")
        == "The report counts transfers twice."
    )
    _shot(page, "correction-refused", full_page=False)  # (what the editor sees)
    page.keyboard.type("Transfers were counted twice; the operator confirmed.")
    page.click("button:has-text('Record final verdict')")
    page.wait_for_selector(".final-verdict:has-text('Final verdict: Mostly true')")
    assert "Transfers were counted twice" in page.locator(".corrections").inner_text()
    assert not errors, errors
