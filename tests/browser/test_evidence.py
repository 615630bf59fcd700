"""Cited sources in Chromium: the panel's states while a source is archived, a failure with
its reason, the archived-text view, and suggestions of earlier sources as one types."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from factcheck.evidence import tasks
from tests.evidence_server import LOOPBACK_OK, serving


@pytest.fixture(scope="module")
def sources_server() -> Iterator[str]:
    with serving() as base:
        yield base


@pytest.fixture
def archiving(live_server: dict[str, Any]) -> Iterator[dict[str, Any]]:
    live_server["app"].config.update(ARCHIVE_SOURCES=True, **LOOPBACK_OK)
    yield live_server
    tasks.wait_idle()


def _open_first_claim(page: Any, base: str, article_id: int) -> str:
    page.goto(f"{base}/articles/{article_id}")
    first = page.locator("#article-body a.mark").first
    claim_id = first.get_attribute("data-claim")
    first.click()
    page.wait_for_selector(f".panel[data-claim='{claim_id}']")
    return str(claim_id)


def test_panel_states_and_archived_view(
    page: Any, archiving: dict[str, Any], sources_server: str
) -> None:
    base, article_id = archiving["url"], archiving["article_id"]
    _open_first_claim(page, base, article_id)
    page.check("input[name=rating][value=mostly-true]")
    page.fill("input[name='sources-0-url']", f"{sources_server}/slow")
    page.fill("input[name='sources-0-title']", "Annual transport report")
    page.fill("textarea[name='sources-0-excerpt']", "Ferry passenger numbers rose by 12 per cent")
    page.click("button.add-source")
    page.fill("input[name='sources-1-url']", f"{sources_server}/gone")
    page.fill("input[name='sources-1-title']", "A page that went away")
    page.click("#verdict-form button[type=submit]")
    page.wait_for_selector(".save-status:has-text('Saved (version 1)')")
    # While the slow page is fetched the panel says so; then it updates by itself.
    page.wait_for_selector("#evidence .evidence-item[data-state='pending'],"
                           " #evidence .evidence-item[data-state='archiving']")  # fmt: skip
    page.wait_for_selector("#evidence .evidence-item[data-state='archived']", timeout=20_000)
    page.wait_for_selector("#evidence .evidence-item[data-state='failed']", timeout=20_000)
    page.wait_for_selector("#evidence:not([data-waiting])", timeout=20_000)
    items = page.locator("#evidence .evidence-item")
    archived = items.filter(has_text="Annual transport report")
    assert re.search(r"archived \d{4}-\d\d-\d\d \d\d:\d\d", archived.inner_text())
    assert "excerpt found in the archived copy" in archived.inner_text()
    failed = items.filter(has_text="A page that went away")
    assert "archiving failed" in failed.inner_text()
    assert "The server answered 410" in failed.inner_text()
    assert failed.locator("button:has-text('Try again')").count() == 1
    # Our own page of the copy: text, escaped, the excerpt marked.
    archived.locator("a:has-text('archived text')").click()
    page.wait_for_selector("mark#excerpt")
    assert page.locator("mark#excerpt").inner_text() == (
        "Ferry passenger numbers rose by 12 per cent"
    )
    assert "found in the archived copy" in page.locator(".excerpt-result").inner_text()
    assert page.locator(".archived-text script").count() == 0
    with page.expect_download() as download:
        page.click("a:has-text('Download the WARC')")
    assert download.value.suggested_filename.endswith(".warc.gz")


def test_earlier_sources_are_suggested(
    page: Any, archiving: dict[str, Any], sources_server: str
) -> None:
    base, article_id = archiving["url"], archiving["article_id"]
    _open_first_claim(page, base, article_id)
    page.check("input[name=rating][value=true]")
    page.fill("input[name='sources-0-url']", f"{sources_server}/report")
    page.fill("input[name='sources-0-title']", "Annual transport report")
    page.fill("input[name='sources-0-publisher']", "Transport Authority")
    page.click("#verdict-form button[type=submit]")
    page.wait_for_selector(".save-status:has-text('Saved (version 1)')")
    page.reload()
    page.wait_for_selector("#verdict-form")
    url_field = page.locator("input[name='sources-1-url']")
    url_field.press_sequentially("transport", delay=20)
    page.wait_for_selector("#earlier-sources option", state="attached", timeout=5000)
    option = page.locator("#earlier-sources option").first
    assert option.get_attribute("value") == f"{sources_server}/report"
    assert "Annual transport report" in (option.get_attribute("label") or "")
    assert url_field.get_attribute("list") == "earlier-sources"
    # Picking it fills in the title and publisher left empty.
    url_field.fill(f"{sources_server}/report")
    url_field.dispatch_event("input")
    assert page.locator("input[name='sources-1-title']").input_value() == (
        "Annual transport report"
    )
    assert page.locator("input[name='sources-1-publisher']").input_value() == (
        "Transport Authority"
    )
