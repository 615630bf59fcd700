"""Discussion in Chromium: an editor comments on a claim and returns a reviewer's verdict; the
reviewer finds it in the inbox, opens the claim and saves again."""

from __future__ import annotations

from typing import Any

from factcheck import store
from factcheck.config import DEFAULT_RATING_SCALE
from factcheck.db import connect

RATINGS = [e["key"] for e in DEFAULT_RATING_SCALE]


def _seed(database: str, article_id: int) -> int:
    """alice's and bob's verdicts on the article's first claim; its id."""
    db = connect(database)
    try:
        claim = next(c for c in store.list_claims(db, article_id) if not c["dismissed"])
        for name, rating in (("alice", "true"), ("bob", "mostly-true")):
            user = store.user_by_name(db, name)["id"]
            store.record_verdict(
                db, claim["id"], user, rating, "From the report.", [], None, RATINGS
            )
        return claim["id"]
    finally:
        db.close()


def test_return_a_verdict_and_resave_it_from_the_inbox(
    page: Any, browser: Any, live_server: dict[str, Any], log_in: Any
) -> None:
    base, article_id = live_server["url"], live_server["article_id"]
    claim_id = _seed(live_server["database"], article_id)

    editors = browser.new_context(viewport={"width": 1400, "height": 1000})
    editor = editors.new_page()
    errors: list[str] = []
    editor.on("pageerror", lambda error: errors.append(str(error)))
    log_in(editor, base, "admin")
    editor.goto(f"{base}/articles/{article_id}?claim={claim_id}#panel")
    thread = editor.locator(".discussion")
    assert "A comment is not a verdict" in thread.inner_text()
    # a comment posted with Ctrl+Enter; the page is not reloaded (a typed rationale stays)
    editor.fill("#verdict-form textarea[name=rationale]", "My own notes, not saved yet")
    editor.fill(".comment-form textarea[name=body]", "@bob which **table** of the report?")
    editor.press(".comment-form textarea[name=body]", "Control+Enter")
    editor.wait_for_selector(".comments .comment:has-text('which table of the report?')")
    assert editor.locator(".comments strong:has-text('table')").count() == 1  # Markdown
    assert "Told: bob." in editor.locator(".comment-status").inner_text()
    assert editor.input_value("#verdict-form textarea[name=rationale]") == (
        "My own notes, not saved yet"
    )
    # an empty comment is refused beside the field, nothing is lost
    editor.click(".comment-form button[type=submit]")
    assert editor.locator(".comment-form textarea[name=body]:invalid").count() == 1
    # the hand-back
    editor.click("summary:has-text('Return a verdict to its reviewer')")
    editor.check(".return-form input[name=reviewer] + span:has-text('alice') >> xpath=..//input")
    editor.fill(".return-form textarea[name=body]", "Needs a primary source.")
    editor.click(".return-form button:has-text('Return verdict')")
    editor.wait_for_selector(".returns-open:has-text('alice')")
    assert editor.locator(".comment-return:has-text('Needs a primary source.')").count() == 1
    assert "agreement-line" not in editor.locator(".panel").inner_html()

    # the reviewer: the menu's count, the inbox, the claim
    page.goto(f"{base}/")
    assert int(page.locator("nav a:has-text('Inbox') .count").inner_text()) >= 1
    page.click("nav a:has-text('Inbox')")
    item = page.locator(".inbox-item.unread:has-text('Verdict returned')")
    assert "Needs a primary source." in item.inner_text()
    item.locator("button.item-open").click()
    page.wait_for_selector(f".panel[data-claim='{claim_id}']")
    note = page.locator(".returned-note")
    assert "returned your verdict" in note.inner_text()
    assert "Needs a primary source." in note.inner_text()
    page.check("#verdict-form input[name=rating][value='mostly-true']")
    page.fill(
        "#verdict-form textarea[name=rationale]",
        "The operator's annual report, table 2 (a primary source).",
    )
    page.click("#verdict-form button[type=submit]")
    page.wait_for_selector(".save-status:has-text('Saved')")
    page.wait_for_selector(".returned-note", state="detached")
    page.goto(f"{base}/inbox")
    assert page.locator(".inbox-item.unread:has-text('Verdict returned')").count() == 0

    db = connect(live_server["database"])
    try:
        alice = store.user_by_name(db, "alice")["id"]
        assert store.returned_claim_ids(db, alice) == set()
        assert len(store.verdict_ratings(db, article_id)) == 2
    finally:
        db.close()
    editor.goto(f"{base}/inbox")
    assert editor.locator(".inbox-item:has-text('Verdict saved again')").count() == 1
    assert not errors, f"JavaScript errors: {errors}"
    editors.close()
