"""Exports in Chromium: every format from an article and from the filtered list, the printable
report, a public verdict page, and importing an article from a locally served URL."""

from __future__ import annotations

import csv
import io
import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from factcheck import store
from factcheck.config import DEFAULT_RATING_SCALE
from factcheck.db import connect
from tests.conftest import NEWS_PAGE

RATINGS = [entry["key"] for entry in DEFAULT_RATING_SCALE]
LINKS = {
    "CSV": "csv",
    "JSON": "json",
    "JSONL": "jsonl",
    "ClaimReview": "claimreview.json",
    "Markdown": "md",
}


@pytest.fixture
def reviewed(live_server: dict[str, Any]) -> dict[str, Any]:
    """Verdicts by alice and bob, final verdicts by admin, the article published."""
    db = connect(live_server["database"])
    try:
        ids = {u["username"]: u["id"] for u in store.list_users(db)}
        article_id = live_server["article_id"]
        claims = store.list_claims(db, article_id)
        source = [{"url": "https://airport.example/report", "title": "Annual report"}]
        for claim, rating in zip(claims[:2], ["true", "mostly-false"], strict=False):
            cid = claim["id"]
            store.record_verdict(db, cid, ids["alice"], rating, "Report.", source, None, RATINGS)
            store.record_verdict(db, cid, ids["bob"], "false", "No.", [], None, RATINGS)
            store.record_final_verdict(db, cid, ids["admin"], rating, "Checked.", None, RATINGS)
        store.publish_article(db, article_id, ids["admin"])
    finally:
        db.close()
    return {"article_id": article_id, "claims": [c["id"] for c in claims[:2]]}


@pytest.fixture
def editor_page(context: Any, live_server: dict[str, Any], log_in: Any) -> Iterator[Any]:
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, live_server["url"], "admin")
    yield page
    assert not errors, f"JavaScript errors: {errors}"


def download(page: Any, link: Any, tmp_path: Path) -> tuple[str, str]:
    with page.expect_download() as info:
        link.click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return info.value.suggested_filename, target.read_text(encoding="utf-8")


def check_content(kind: str, text: str, claim_ids: list[int]) -> None:
    if kind == "csv":
        rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline="")))
        assert {int(r["claim_id"]) for r in rows} >= set(claim_ids)
    elif kind == "json":
        claims = [c["id"] for a in json.loads(text)["articles"] for c in a["claims"]]
        assert set(claim_ids) <= set(claims)
    elif kind == "jsonl":
        assert {json.loads(line)["claim"]["id"] for line in text.splitlines()} >= set(claim_ids)
    elif kind.startswith("claimreview"):
        docs = json.loads(text)
        assert len(docs) == len(claim_ids) and all(d["@type"] == "ClaimReview" for d in docs)
    else:
        assert text.startswith("# Verdict report")


def test_downloads_from_the_article_report(
    editor_page: Any, live_server: dict[str, Any], reviewed: dict[str, Any], tmp_path: Path
) -> None:
    page = editor_page
    page.goto(f"{live_server['url']}/articles/{reviewed['article_id']}/report")
    for label, suffix in LINKS.items():
        link = page.locator(".report-actions a", has_text=re.compile(rf"^{label}$"))
        name, text = download(page, link, tmp_path)
        assert name.endswith("." + suffix), name
        check_content(suffix.split(".")[0], text, reviewed["claims"])


def test_downloads_from_the_filtered_list(
    editor_page: Any, live_server: dict[str, Any], reviewed: dict[str, Any], tmp_path: Path
) -> None:
    page = editor_page
    page.goto(f"{live_server['url']}/")
    page.click("nav >> text=Exports")
    page.select_option("select[name=status]", "decided")
    page.select_option("select[name=published]", "yes")
    page.click("button:has-text('Apply filters')")
    page.wait_for_url(re.compile(r"/exports\?.*status=decided"))
    assert "2 claims in 1 article" in page.locator(".export-result h2").inner_text()
    for fmt in ("csv", "json", "jsonl", "claimreview", "markdown"):
        name, text = download(page, page.locator(f"a[data-format={fmt}]"), tmp_path)
        assert name.startswith("factcheck-export-")
        check_content(fmt, text, reviewed["claims"])
        if fmt == "csv":
            rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline="")))
            assert len(rows) == 2  # the two decided claims
    page.click("text=check the ClaimReview markup")
    assert "2 valid" in page.locator(".check-summary").inner_text()


def test_printable_report(
    editor_page: Any, live_server: dict[str, Any], reviewed: dict[str, Any], tmp_path: Path
) -> None:
    page = editor_page
    page.goto(f"{live_server['url']}/articles/{reviewed['article_id']}/report")
    labels = page.locator("svg.verdict-chart text.bar-label").all_text_contents()
    assert labels[:2] == ["True", "Mostly false"]  # in scale order; "No verdict yet" last
    assert page.locator("svg.verdict-chart rect.bar").count() == len(labels)
    assert page.locator(".dissent").count() == 2  # bob dissents on both claims
    assert page.locator(".print-button").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".report-actions").is_visible()
    assert not page.locator(".topbar").is_visible()
    assert page.locator("svg.verdict-chart").is_visible()
    # Compact by default in print: claims without verdicts are left out, a note says so.
    undecided = page.locator(".claim-report.no-verdict")
    assert undecided.count() >= 1 and not undecided.first.is_visible()
    assert page.locator(".left-out").is_visible()
    # The organisation, the report's date and page numbers in the page margins (CSS paged
    # media margin boxes, which Chromium draws since version 131), and the page's own header.
    pdf = page.pdf(path=str(tmp_path / "report.pdf"), prefer_css_page_size=True)
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000
    pages = _pdf_pages(tmp_path / "report.pdf")
    if pages is not None:
        # The cover, then the two claims with verdicts (their claimant lines may take them
        # onto a third page).
        assert len(pages) >= 2 and "Claims by final rating" in pages[0]
        assert "1. The regional airport" in pages[1] and "1. The regional" not in pages[0]
        for number, text in enumerate(pages, start=1):
            assert "factcheck desk" in text and "Verdict report, " in text
            assert f"Page {number} of {len(pages)}" in text
        assert "No verdict yet" not in "".join(pages)
    # Chromium's own header and footer (page.pdf's templates) print as well.
    page.pdf(
        path=str(tmp_path / "chromium.pdf"),
        display_header_footer=True,
        header_template='<div style="font-size:8px;margin-left:16mm">factcheck desk</div>',
        footer_template='<div style="font-size:8px;margin-left:16mm">'
        '<span class="pageNumber"></span>/<span class="totalPages"></span></div>',
        margin={"top": "18mm", "bottom": "18mm", "left": "16mm", "right": "16mm"},
    )
    pages = _pdf_pages(tmp_path / "chromium.pdf")
    if pages is not None:
        assert all(f"{n}/{len(pages)}" in text for n, text in enumerate(pages, start=1))
    # Every claim, in print too, with ?compact=0.
    page.goto(f"{live_server['url']}/articles/{reviewed['article_id']}/report?compact=0")
    assert page.locator(".claim-report.no-verdict").first.is_visible()


def _pdf_pages(path: Path) -> list[str] | None:
    """The text of each page of a PDF (poppler's pdftotext), or None without poppler."""
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        return None
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return text.rstrip("\f").split("\f")


def test_public_verdict_page(
    browser: Any, live_server: dict[str, Any], reviewed: dict[str, Any]
) -> None:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{live_server['url']}/verdicts/{reviewed['claims'][0]}")
        assert page.locator(".verdict-badge strong").inner_text() == "True"
        assert page.locator(".topbar nav").count() == 0
        doc = json.loads(page.locator("script[type='application/ld+json']").text_content())
        assert doc["reviewRating"]["alternateName"] == "True"
        response = page.goto(f"{live_server['url']}/verdicts/999999")
        assert response.status == 404
    finally:
        context.close()


class _Page(BaseHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        body = NEWS_PAGE.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def news_site(live_server: dict[str, Any]) -> Iterator[str]:
    """A saved news page served locally; the app may fetch from loopback for this test."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    live_server["app"].config["ALLOW_PRIVATE_URLS"] = True
    yield f"http://127.0.0.1:{httpd.server_address[1]}/2025/ferry-fares"
    httpd.shutdown()
    httpd.server_close()


def test_import_article_from_url(page: Any, live_server: dict[str, Any], news_site: str) -> None:
    base = live_server["url"]
    page.click("text=Add article")
    page.fill("input[name=page_url]", news_site)
    page.click("button:has-text('Fetch and import')")
    page.wait_for_url(re.compile(rf"{re.escape(base)}/articles/\d+$"))
    assert page.locator("h1").inner_text() == "Harbour ferry fares to rise 8% in March"
    assert page.locator("#article-body a.mark").count() >= 2
    assert "alert" not in page.locator("#article-body").inner_text()
