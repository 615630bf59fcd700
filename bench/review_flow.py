"""A reviewer's flow by keyboard alone: key presses and milliseconds from opening an assigned
article to ten saved verdicts (issue #12).

Seeds a new database (the demo article, 27 claims, assigned to one reviewer), starts
``factcheck serve`` on a free port of 127.0.0.1 and drives Debian's Chromium (headless, through
Playwright) as that reviewer: open the article, then only keys: ``j`` (the first claim to do),
and per claim a rating digit and ``Ctrl+Enter`` (Save and next), until ten verdicts are saved.
Each run uses a fresh copy of the database and a fresh browser context (logged in before the
clock starts). Prints, over the runs, min / median / max of:

- key presses per verdict (target <= 4 without a source);
- ms from the start of the article's navigation to the tenth save acknowledged;
- ms from a save acknowledged (its JSON read by the page) to the next claim's panel in the page
  (``shown``) and to the frame after it was painted (``painted``), over every save and next
  (target: next claim shown <= 50 ms after the save is acknowledged), with the 95th percentile;
- ms of the save itself (key press to acknowledgement), for scale.

The page records ``ack``/``shown``/``painted`` itself (``window.factcheckTimings``, static/flow.js)
so the figures do not include Playwright's round trips. Time it alone:

    flock /tmp/fc-bench.lock .venv/bin/python bench/review_flow.py [--runs 5] [--verdicts 10]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# (the benches' server: `factcheck serve` on a free loopback port, stopped by SIGTERM)
from serving import serve, stop  # noqa: E402

from factcheck import create_app, store  # noqa: E402
from factcheck.cli_common import load_demo  # noqa: E402
from factcheck.db import connect, migrate  # noqa: E402

PASSWORD = "review-flow-password"
CHROMIUM = os.environ.get("FACTCHECK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions"]
RATING_KEYS = "1234567"


def seed(path: str) -> int:
    """The demo article assigned to reviewer ``rita``; its id."""
    app = create_app({"DATABASE": path, "SECRET_KEY": "bench"})
    db = connect(path)
    migrate(db)
    article_id = load_demo(db, app)
    rita = store.create_user(db, "rita", PASSWORD, role="reviewer")["id"]
    store.set_assignments(db, article_id, [rita], None)
    db.close()
    return article_id


def saved_count(path: str) -> int:
    db = connect(path)
    try:
        return db.execute("SELECT count(*) FROM verdicts").fetchone()[0]
    finally:
        db.close()


def one_run(browser, base: str, article_id: int, verdicts: int) -> dict[str, object]:
    # (Playwright's polling of wait_for_function evaluates strings, which the app's CSP forbids)
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, bypass_csp=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{base}/login")
    page.fill("input[name=username]", "rita")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    keys = 0
    started = time.perf_counter()
    page.goto(f"{base}/articles/{article_id}")
    page.keyboard.press("j")
    keys += 1
    page.wait_for_selector(".panel[data-claim]")
    pressed: list[float] = []
    for index in range(verdicts):
        claim = page.get_attribute(".panel", "data-claim")
        page.keyboard.press(RATING_KEYS[index % len(RATING_KEYS)])
        pressed.append(page.evaluate("performance.now()"))
        page.keyboard.press("Control+Enter")
        keys += 2
        page.wait_for_function(
            f"window.factcheckTimings.length === {index + 1}"
            " && window.factcheckTimings.at(-1).painted !== null"
        )
        assert page.get_attribute(".panel", "data-claim") != claim
    elapsed = (time.perf_counter() - started) * 1000
    timings = page.evaluate("window.factcheckTimings")
    context.close()
    if errors:
        raise RuntimeError(f"JavaScript errors: {errors}")
    return {
        "keys": keys,
        "elapsed_ms": elapsed,
        "page_ms": timings[-1]["ack"],  # (the page's clock starts at its navigation)
        "shown": [t["shown"] - t["ack"] for t in timings],
        "painted": [t["painted"] - t["ack"] for t in timings],
        "save": [t["ack"] - p for t, p in zip(timings, pressed, strict=True)],
    }


def spread(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return (
        f"min {ordered[0]:7.1f}  median {statistics.median(ordered):7.1f}"
        f"  p95 {p95:7.1f}  max {ordered[-1]:7.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--verdicts", type=int, default=10)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    workdir = tempfile.mkdtemp(prefix="review-flow-")
    template = os.path.join(workdir, "template.db")
    article_id = seed(template)
    results = []
    log = open(os.path.join(workdir, "server.log"), "w")  # noqa: SIM115
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            for run in range(args.runs):
                path = os.path.join(workdir, f"run{run}.db")
                shutil.copy(template, path)
                env = dict(os.environ, FACTCHECK_INSTANCE_PATH=os.path.join(workdir, "instance"))
                server, base = serve(path, env, log=log)
                try:
                    result = one_run(browser, base, article_id, args.verdicts)
                finally:
                    stop(server)
                stored = saved_count(path)
                if stored != args.verdicts:
                    raise RuntimeError(f"run {run}: {stored} verdicts stored, not {args.verdicts}")
                results.append(result)
                print(
                    f"run {run + 1}: {result['keys']} keys, {result['elapsed_ms']:.0f} ms"
                    f" to {args.verdicts} verdicts (page clock {result['page_ms']:.0f} ms),"
                    f" next shown median {statistics.median(result['shown']):.1f} ms",
                    flush=True,
                )
            browser.close()
    finally:
        log.close()
        shutil.rmtree(workdir, ignore_errors=True)

    n = args.verdicts
    print(f"\n{args.runs} runs, {n} verdicts each, demo article (27 claims), keyboard only")
    keys = [r["keys"] / n for r in results]
    print(f"key presses per verdict            {spread(keys)}   (target <= 4)")
    print(f"ms, article opened -> {n} saved     {spread([r['elapsed_ms'] for r in results])}")
    print(f"ms per verdict (same)              {spread([r['elapsed_ms'] / n for r in results])}")
    print(f"ms, same in the page's own clock   {spread([r['page_ms'] for r in results])}")
    every = {key: [v for r in results for v in r[key]] for key in ("shown", "painted", "save")}
    print(f"ms, save acked -> next shown       {spread(every['shown'])}   (target <= 50)")
    print(f"ms, save acked -> next painted     {spread(every['painted'])}")
    print(f"ms, key press -> save acked        {spread(every['save'])}")


if __name__ == "__main__":
    main()
