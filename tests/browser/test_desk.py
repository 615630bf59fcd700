"""The desk in Chromium: a stale save, the disagreement queue, adjudication, the report."""

from __future__ import annotations

from typing import Any

from factcheck import store
from factcheck.config import DEFAULT_RATING_SCALE
from factcheck.db import connect

SCALE_KEYS = [entry["key"] for entry in DEFAULT_RATING_SCALE]


def test_stale_save_shows_the_conflict_and_keeps_my_text(
    context: Any, live_server: dict[str, Any], log_in: Any
) -> None:
    base, article_id = live_server["url"], live_server["article_id"]
    first, second = context.new_page(), context.new_page()
    log_in(first, base, "alice")
    for page in (first, second):
        page.goto(f"{base}/articles/{article_id}")
        page.locator("#article-body a.mark").first.click()
        page.wait_for_selector(".panel")
    # Version 1 exists and both tabs know it.
    first.check("input[name=rating][value=true]")
    first.click("#verdict-form button[type=submit]")
    first.wait_for_selector(".save-status:has-text('Saved (version 1)')")
    second.reload()
    second.wait_for_selector(".panel")
    # The first tab saves version 2; the second still holds version 1.
    first.check("input[name=rating][value=mostly-true]")
    first.fill("textarea[name=rationale]", "Saved in the first tab.")
    first.click("#verdict-form button[type=submit]")
    first.wait_for_selector(".save-status:has-text('Saved (version 2)')")

    second.check("input[name=rating][value=false]")
    second.fill("textarea[name=rationale]", "My careful second-tab rationale.")
    second.click("#verdict-form button[type=submit]")
    second.wait_for_selector(".conflict")
    conflict = second.locator(".conflict").inner_text()
    assert "Saved in the first tab." in conflict and "Mostly true" in conflict
    assert second.input_value("textarea[name=rationale]") == "My careful second-tab rationale."
    assert second.is_checked("input[name=rating][value=false]")
    # Having seen the newer version, saving again is a deliberate merge.
    second.click("#verdict-form button[type=submit]")
    second.wait_for_selector(".save-status:has-text('Saved (version 3)')")
    assert second.locator(".conflict").count() == 0


def test_editor_settles_a_disagreement_and_the_report_shows_it(
    browser: Any, live_server: dict[str, Any], log_in: Any
) -> None:
    base, article_id = live_server["url"], live_server["article_id"]
    db = connect(live_server["database"])
    store.create_user(db, "edna", "correct horse battery", role="editor")
    claim = next(c for c in store.list_claims(db, article_id) if not c["dismissed"])
    for name, rating, why in (
        ("alice", "true", "Matches the report."),
        ("bob", "false", "Wrong year."),
    ):
        user = store.user_by_name(db, name)
        store.record_verdict(db, claim["id"], user["id"], rating, why, [], None, SCALE_KEYS)
    db.close()

    context = browser.new_context()
    try:
        page = context.new_page()
        log_in(page, base, "edna")
        page.click("nav >> text=Disagreements")
        row = page.locator("table.list tbody tr", has_text=claim["text"][:40])
        assert "True, False" in row.inner_text()
        row.locator("a").first.click()
        page.wait_for_selector(".adjudicate[open]")
        page.select_option("select[name=rating]", "half-true")
        page.fill("textarea[name=reason]", "Right figure, wrong year.")
        page.click("button:has-text('Record final verdict')")
        page.wait_for_selector(".final-verdict:has-text('Final verdict: Half true')")

        page.goto(f"{base}/disagreements")
        assert claim["text"][:40] not in page.locator("main").inner_text()

        page.goto(f"{base}/articles/{article_id}/report")
        report = page.locator(f"#claim-{claim['id']}").inner_text()
        assert "Final verdict: Half true" in report
        assert "Right figure, wrong year." in report
        assert "alice: True" in report and "bob: False" in report  # the dissent stays visible
    finally:
        context.close()


def test_menu_items_never_break_over_two_lines(
    context: Any, live_server: dict[str, Any], log_in: Any
) -> None:
    """An admin's menu (the longest) keeps each item on one line ("Add article", not "Add"
    over "article"), at a common laptop width and at a narrow one, where whole items wrap."""
    base = live_server["url"]
    page = context.new_page()
    log_in(page, base, "admin")
    for width in (1280, 800):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(f"{base}/admin/users")
        broken = page.eval_on_selector_all(
            ".topbar nav a",
            "links => links.filter(a => { const r = document.createRange();"
            " r.selectNodeContents(a); const tops = [...r.getClientRects()]"
            ".map(x => Math.round(x.top)); return Math.max(...tops) - Math.min(...tops) > 4; })"
            ".map(a => a.textContent.trim())",
        )
        assert broken == [], (width, broken)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
