"""The reviewer's flow by keyboard (#12): done marks and counts, "to do only", j/k to the next
claim to do, Save and next (Ctrl+Enter), rating keys, Enter never saving, the list of keys."""

from __future__ import annotations

from typing import Any

from factcheck import ingest, store
from factcheck.config import DEFAULT_RATING_SCALE
from factcheck.db import connect

SCALE = [r["key"] for r in DEFAULT_RATING_SCALE]

SECOND_ARTICLE = """Harbour ferry adds a night crossing

The harbour ferry will add a night crossing from March, the port authority said on Friday. \
The crossing will cost 4 euros, a euro less than the day fare.

Ridership rose by 12% last year, the authority said.
"""

# The list's claims in the order "to do" goes through them: check-worthy first, reading order.
DOING_ORDER = """() => Array.from(document.querySelectorAll('#claim-list a[data-claim]'))
  .map((a, i) => ({id: a.dataset.claim, i, cw: a.classList.contains('cw') ? 1 : 0}))
  .sort((a, b) => b.cw - a.cw || a.i - b.i).map(e => e.id)"""


def _user_id(live_server: dict[str, Any], name: str) -> int:
    db = connect(live_server["database"])
    try:
        return store.user_by_name(db, name)["id"]
    finally:
        db.close()


def _verdict(live_server: dict[str, Any], claim_id: str, name: str) -> dict[str, Any] | None:
    db = connect(live_server["database"])
    try:
        return store.get_verdict(db, int(claim_id), store.user_by_name(db, name)["id"])
    finally:
        db.close()


def _states(page: Any) -> dict[str, str]:
    return page.eval_on_selector_all(
        "#claim-list a[data-claim]",
        "els => Object.fromEntries(els.map(e => [e.dataset.claim,"
        " e.querySelector('.state').textContent]))",
    )


def _count(page: Any, key: str) -> int:
    return int(page.inner_text(f'#state-counts [data-count="{key}"]'))


def _second_article(live_server: dict[str, Any], reviewers: tuple[str, ...] = ("alice",)) -> int:
    db = connect(live_server["database"])
    try:
        draft = ingest.prepare_article(
            body=SECOND_ARTICLE, title="Night ferry", published="2026-02-01"
        )
        article_id = store.create_article(db, draft.article, draft.claims, None)
        ids = [store.user_by_name(db, name)["id"] for name in reviewers]
        store.set_assignments(db, article_id, ids, None)
        return article_id
    finally:
        db.close()


def test_marks_counts_and_save_and_next(page: Any, live_server: dict[str, Any]) -> None:
    base, article_id = live_server["url"], live_server["article_id"]
    page.goto(f"{base}/articles/{article_id}")
    order = page.evaluate(DOING_ORDER)
    assert len(order) >= 3
    assert set(_states(page).values()) == {"to do"}
    assert _count(page, "to_do") == len(order) and _count(page, "done") == 0

    page.keyboard.press("j")  # the first claim to do: check-worthy first
    page.wait_for_selector(f".panel[data-claim='{order[0]}']")
    assert page.evaluate("document.activeElement.classList.contains('panel')")
    page.keyboard.press("2")  # the second rating of the scale
    assert page.is_checked(f"input[name=rating][value={SCALE[1]}]")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector(f".panel[data-claim='{order[1]}']")
    assert _verdict(live_server, order[0], "alice")["rating"] == SCALE[1]
    states = _states(page)
    assert states[order[0]] == "done" and states[order[1]] == "to do"
    assert _count(page, "done") == 1 and _count(page, "to_do") == len(order) - 1
    # The article's highlights carry the state too.
    assert "is-done" in page.get_attribute(f"#article-body a[data-claim='{order[0]}']", "class")
    assert page.inner_text("#review-status").startswith("Saved (version 1).")
    # The next panel had been fetched ahead: it was in the page at once after the save.
    timings = page.evaluate("window.factcheckTimings")
    assert timings and timings[-1]["next"] == order[1]
    assert timings[-1]["shown"] - timings[-1]["ack"] < 250  # (50 ms is the bench's target)

    # The "Save and next" button does the same.
    page.keyboard.press("1")
    page.click("button.save-next")
    page.wait_for_selector(f".panel[data-claim='{order[2]}']")
    assert _verdict(live_server, order[1], "alice")["rating"] == SCALE[0]

    # k goes back to the previous claim to do (wrapping), j forward; both skip the done ones.
    page.keyboard.press("j")
    page.wait_for_selector(f".panel[data-claim='{order[3]}']")
    page.keyboard.press("k")
    page.wait_for_selector(f".panel[data-claim='{order[2]}']")
    page.keyboard.press("k")
    page.wait_for_selector(f".panel[data-claim='{order[-1]}']")

    # "To do only" hides the done claims, in the page and from the server (?todo=1).
    visible = "els => els.filter(e => e.offsetParent !== null).map(e => e.dataset.claim)"
    page.keyboard.press("t")
    assert page.get_attribute("#todo-filter", "aria-pressed") == "true"
    shown = page.eval_on_selector_all("#claim-list a[data-claim]", visible)
    assert set(shown) == set(order[2:])
    assert "todo=1" in page.url
    page.reload()
    shown = page.eval_on_selector_all("#claim-list a[data-claim]", visible)
    assert set(shown) == set(order[2:])
    page.click("#todo-filter")
    shown = page.eval_on_selector_all("#claim-list a[data-claim]", visible)
    assert set(shown) == set(order)


def test_enter_in_a_one_line_field_never_saves(page: Any, live_server: dict[str, Any]) -> None:
    """In a trial, Enter in the source's one-line field submitted the form and overwrote a
    saved verdict: Enter there (or on a rating) saves nothing, with or without JavaScript."""
    base, article_id = live_server["url"], live_server["article_id"]
    page.goto(f"{base}/articles/{article_id}")
    page.keyboard.press("j")
    page.wait_for_selector(".panel[data-claim]")
    claim_id = page.get_attribute(".panel", "data-claim")
    page.keyboard.press("3")
    page.fill("textarea[name=rationale]", "Saved on purpose.")
    page.click("button.save-only")
    page.wait_for_selector(".save-status:has-text('Saved (version 1)')")
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.keyboard.press("5")
    for name in ("sources-0-url", "sources-0-title", "sources-0-publisher"):
        page.fill(f"input[name='{name}']", "https://example.org/x" if "url" in name else "X")
        page.focus(f"input[name='{name}']")
        page.keyboard.press("Enter")
    page.focus("input[name=rating]:checked")
    page.keyboard.press("Enter")
    # Ctrl+Enter in another form of the page (here: a proposed wording) is not the verdict's.
    page.click("details.propose-wording summary")
    page.focus("details.propose-wording textarea[name=text]")
    page.keyboard.press("Control+Enter")
    page.wait_for_timeout(400)
    assert posts == []
    saved = _verdict(live_server, claim_id, "alice")
    assert (saved["rating"], saved["version"]) == (SCALE[2], 1)
    assert page.get_attribute(".panel", "data-claim") == claim_id  # still there

    # Without JavaScript too (the form's default button is a disabled one).
    context = page.context.browser.new_context(java_script_enabled=False)
    try:
        plain = context.new_page()
        plain.goto(f"{base}/login")
        plain.fill("input[name=username]", "alice")
        plain.fill("input[name=password]", "correct horse battery")
        plain.click("button[type=submit]")
        plain.goto(f"{base}/articles/{article_id}?claim={claim_id}")
        plain.check(f"input[name=rating][value={SCALE[4]}]")
        plain.fill("input[name='sources-0-url']", "https://example.org/y")
        plain.focus("input[name='sources-0-url']")
        plain.keyboard.press("Enter")
        plain.wait_for_timeout(400)
        assert _verdict(live_server, claim_id, "alice")["version"] == 1
        # Its "Save and next" saves and goes on to the next claim to do.
        plain.click("button.save-next")
        plain.wait_for_url(f"**/articles/{article_id}?claim=*")
        assert f"claim={claim_id}" not in plain.url
        assert _verdict(live_server, claim_id, "alice")["rating"] == SCALE[4]
    finally:
        context.close()


def test_rating_keys_tab_order_and_text_fields(page: Any, live_server: dict[str, Any]) -> None:
    page.goto(f"{live_server['url']}/articles/{live_server['article_id']}")
    page.keyboard.press("j")
    page.wait_for_selector(".panel[data-claim]")
    keys = page.eval_on_selector_all(
        ".ratings label.rating",
        "els => els.map(e => [e.querySelector('input').value, e.querySelector('kbd').textContent])",
    )
    assert keys == [[key, str(n)] for n, key in enumerate(SCALE, start=1)]
    # After the claim, Tab reaches the rating group first.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "rating"
    # A digit typed in a text field is text, not a rating.
    page.focus("textarea[name=rationale]")
    page.keyboard.type("4 sources")
    assert page.input_value("textarea[name=rationale]") == "4 sources"
    assert not page.is_checked(f"input[name=rating][value={SCALE[3]}]")
    assert page.evaluate("document.querySelectorAll('input[name=rating]:checked').length") == 0


def test_list_of_keys(page: Any, live_server: dict[str, Any]) -> None:
    page.goto(f"{live_server['url']}/articles/{live_server['article_id']}")
    page.keyboard.press("?")
    dialog = page.locator("#keys-help")
    dialog.wait_for(state="visible")
    text = dialog.inner_text()
    for key in ("j", "k", "Ctrl+Enter", "t", "?", "Esc", *[str(n) for n in range(1, 8)]):
        assert key in text
    for entry in DEFAULT_RATING_SCALE:
        assert f"Rating: {entry['label']}" in text
    page.keyboard.press("j")  # (no claim opens behind the dialog)
    assert page.locator(".panel[data-claim]").count() == 0
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    page.click("#keys-button")
    dialog.wait_for(state="visible")
    page.click("#keys-help button")
    dialog.wait_for(state="hidden")


def test_next_goes_to_the_next_article_when_this_one_is_done(
    page: Any, live_server: dict[str, Any]
) -> None:
    base, article_id = live_server["url"], live_server["article_id"]
    second = _second_article(live_server)
    page.goto(f"{base}/articles/{article_id}")
    order = page.evaluate(DOING_ORDER)
    page.keyboard.press("j")
    for index, claim_id in enumerate(order):
        page.wait_for_selector(f".panel[data-claim='{claim_id}']")
        page.keyboard.press("1")
        page.keyboard.press("Control+Enter")
        if index < len(order) - 1:
            page.wait_for_selector(f".panel[data-claim='{order[index + 1]}']")
    page.wait_for_url(f"{base}/articles/{second}?claim=*")
    page.wait_for_selector(".panel[data-claim]")
    first = page.evaluate(DOING_ORDER)[0]
    assert page.get_attribute(".panel", "data-claim") == first
    assert all(_verdict(live_server, c, "alice") for c in order)
    # Back in the finished article, j says where the next work is: the second article.
    page.goto(f"{base}/articles/{article_id}")
    page.keyboard.press("j")
    page.wait_for_url(f"{base}/articles/{second}?claim=*")


def test_blind_review_hides_the_others_counts(
    page: Any, live_server: dict[str, Any], log_in: Any
) -> None:
    """The article list said "With verdicts 5" to a reviewer whose queue said "0 of 26 done"."""
    base, article_id = live_server["url"], live_server["article_id"]
    db = connect(live_server["database"])
    bob = store.user_by_name(db, "bob")["id"]
    for claim in store.list_claims(db, article_id):
        store.record_verdict(db, claim["id"], bob, "true", "", [], None, SCALE)
    db.close()
    page.goto(f"{base}/")
    row = page.locator("table.list tbody tr", has_text="Airport record")
    header = page.locator("table.list thead").inner_text()
    assert "Your verdicts" in header and "With verdicts" not in header
    assert row.locator("td").nth(5).inner_text() == "0"
    page.goto(f"{base}/articles/{article_id}")
    page.keyboard.press("j")
    page.wait_for_selector(".panel[data-claim]")
    others = page.inner_text(".others")
    assert "bob" not in others and "1 other" not in others
    assert _count(page, "disputed") == 0


def test_disputed_when_the_others_differ(page: Any, live_server: dict[str, Any]) -> None:
    base, article_id = live_server["url"], live_server["article_id"]
    db = connect(live_server["database"])
    bob = store.user_by_name(db, "bob")["id"]
    claim = store.list_claims(db, article_id)[0]
    store.record_verdict(db, claim["id"], bob, "false", "", [], None, SCALE)
    db.close()
    page.goto(f"{base}/articles/{article_id}?claim={claim['id']}")
    page.keyboard.press("1")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector(f"#claim-list a[data-claim='{claim['id']}'].is-disputed")
    assert _count(page, "disputed") == 1


def test_only_the_status_message_is_live(page: Any, live_server: dict[str, Any]) -> None:
    page.goto(f"{live_server['url']}/articles/{live_server['article_id']}")
    page.keyboard.press("j")
    page.wait_for_selector(".panel[data-claim]")
    live = page.eval_on_selector_all(
        "[aria-live], [role=status], [role=log]", "els => els.map(e => e.id)"
    )
    assert sorted(live) == ["flash", "review-status"]
    page.keyboard.press("1")
    assert page.inner_text("#review-status") == f"Rating: {DEFAULT_RATING_SCALE[0]['label']}."


def return_first_claim(live_server: dict[str, Any]) -> str:
    """alice's verdict on the first claim, returned by the admin with a reason; its id."""
    from factcheck.store import discussion

    db = connect(live_server["database"])
    try:
        claim = store.list_claims(db, live_server["article_id"])[0]
        alice = store.user_by_name(db, "alice")["id"]
        admin = store.user_by_name(db, "admin")["id"]
        store.record_verdict(db, claim["id"], alice, "true", "First look.", [], None, SCALE)
        discussion.return_verdict(db, claim["id"], alice, admin, "Needs a primary source.")
        return str(claim["id"])
    finally:
        db.close()


def test_a_returned_verdict_is_to_do_again(page: Any, live_server: dict[str, Any]) -> None:
    base, article_id = live_server["url"], live_server["article_id"]
    claim_id = return_first_claim(live_server)
    page.goto(f"{base}/queue")
    assert "1 returned" in page.inner_text("table.list")
    assert "(1 returned to you by an editor)" in page.inner_text(".progress-line")
    page.goto(f"{base}/articles/{article_id}?todo=1")
    assert _states(page)[claim_id] == "returned"
    assert _count(page, "returned") == 1 and _count(page, "done") == 0
    visible = "els => els.filter(e => e.offsetParent !== null).map(e => e.dataset.claim)"
    assert claim_id in page.eval_on_selector_all("#claim-list a[data-claim]", visible)
    # It is the first claim to do (check-worthy, first in the article).
    page.keyboard.press("j")
    page.wait_for_selector(f".panel[data-claim='{claim_id}']")
    page.keyboard.press("2")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector(f".panel[data-claim]:not([data-claim='{claim_id}'])")
    assert _states(page)[claim_id] == "done"
    assert _count(page, "returned") == 0
    assert _verdict(live_server, claim_id, "alice")["rating"] == SCALE[1]
