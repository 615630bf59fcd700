"""The pages that follow background jobs, in Chromium: an import from a web address
("Fetching the page…", then the error with the address kept) and a bulk import's progress."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from factcheck import jobs
from tests.drip import DripServer

SHOTS = os.environ.get("FACTCHECK_SCREENSHOTS")  # a folder: save the pages seen, to look at


def _shot(page: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


@pytest.fixture
def slow_worker(live_server: dict[str, Any]) -> Iterator[dict[str, float]]:
    """Jobs go to a real queue; a thread works them off, one every ``pace["delay"]`` seconds
    (so that a person, and the test, see the progress), until the test ends."""
    app = live_server["app"]
    app.config.update(JOBS_IMMEDIATE=False, ALLOW_PRIVATE_URLS=True, FETCH_TIMEOUT_SECONDS=1)
    jobs.configure(app.config)
    stop = threading.Event()
    pace = {"delay": 0.5}

    def work() -> None:
        while not stop.wait(pace["delay"]):
            task = jobs.queue.dequeue()
            if task is not None:
                jobs.queue.execute(task)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    yield pace
    stop.set()
    thread.join(10)
    jobs.configure({"JOBS_IMMEDIATE": True})


def test_import_from_url_shows_progress_then_the_error(
    page: Any, live_server: dict[str, Any], slow_worker: Any
) -> None:
    base = live_server["url"]
    with DripServer("body", interval=0.3, lifetime=20) as drip:
        page.goto(f"{base}/articles/new")
        page.fill("input[name=page_url]", drip.url)
        page.click("text=Fetch and import")
        page.wait_for_url(f"{base}/imports/url/*")
        status = page.locator(".job-state")
        status.locator("text=Fetching the page…").wait_for()
        _shot(page, "url-import-fetching")
        # Cut off at 3 x 1 s in the worker; the page notices and shows the error.
        page.locator(".job-state.job-failed").wait_for(timeout=15_000)
    assert "took longer than 3 seconds" in status.inner_text()
    assert page.input_value("input[name=page_url]") == drip.url  # kept, to try again
    _shot(page, "url-import-failed")


def test_bulk_import_progress(
    page: Any, live_server: dict[str, Any], slow_worker: Any, tmp_path: Path
) -> None:
    base = live_server["url"]
    slow_worker["delay"] = 3.0  # (a job every 3 s: the page is seen half-way on a busy machine)
    records = [
        {
            "title": f"Harbour vote {n}",
            "text": f"The port board voted {n + 9} to 2 to spend {n + 3} million euros on the "
            f"quay, its chair said. Traffic rose {n + 4} per cent last year.",
            "publisher": "Coastal Courier",
            "date": "2025-03-0" + str(1 + n % 9),
        }
        for n in range(150)
    ]
    upload = tmp_path / "harbour.jsonl"
    upload.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    page.goto(f"{base}/imports/bulk")
    _shot(page, "bulk-form")
    page.set_input_files("input[name=upload]", str(upload))
    page.click("button:has-text('Import')")
    page.wait_for_url(f"{base}/imports/batches/*")
    assert "Extracting claims" in page.locator(".job-state").inner_text()
    # The page follows the jobs (3 of 50 articles) without reloading: the bar moves.
    bar = page.locator("progress")
    deadline = time.monotonic() + 15
    while not 0 < float(bar.get_attribute("value") or 0) < 150:
        assert time.monotonic() < deadline, "the progress bar never moved"
        time.sleep(0.1)
    # ... and so do the rows of the articles listed (the first 20: the first job's).
    page.locator("tr[data-article-id] .article-claims >> nth=0").filter(
        has_not_text="extracting"
    ).wait_for()
    assert "Extracting claims" in page.locator(".job-state").inner_text()  # (not reloaded)
    _shot(page, "bulk-progress")
    articles = page.context.new_page()
    articles.goto(f"{base}/")
    if "extracting…" in articles.content():
        _shot(articles, "articles-extracting")
    articles.close()
    page.locator(".job-state.job-done").wait_for(timeout=30_000)
    assert "All 150 articles have their claims" in page.locator(".job-state").inner_text()
    assert bar.get_attribute("value") == "150"
    _shot(page, "bulk-done")
