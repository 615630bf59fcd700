"""A slow page never holds a thread: how long a dripping import takes to be cut off, and how
``GET /login`` answers meanwhile.

Starts a drip server on 127.0.0.1 (one byte every ``--interval`` seconds: each read returns
before the step timeout, so only the deadline over the whole fetch stops it) and:

1. times ``urlfetch.fetch_article`` (what ``factcheck import-url`` runs) against it: the cut-off
   should come at the documented deadline, 3 x ``FETCH_TIMEOUT_SECONDS``, + at most 1 s;
2. serves the app with ``factcheck serve`` on loopback (its default server and threads, and the
   job worker it starts), logs two users in, starts two drip imports from the web form at once
   and requests ``GET /login`` back to back until both are over; prints the imports' outcomes
   (the form's answer time: the fetch runs as a background job; then the time until the
   import's page shows it cut off) and the p50/p99/max of ``/login``. With ``--cap N`` the run
   is repeated with ``FETCH_MAX_CONCURRENT=N`` (e.g. 2: both imports run, in the job worker).

    python bench/fetch_deadline.py --timeout 2 --cap 2
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import serving  # noqa: E402 (bench/serving.py)

from factcheck import create_app, store, urlfetch  # noqa: E402
from factcheck.db import connect, migrate  # noqa: E402
from tests.drip import DripServer  # noqa: E402

PASSWORD = "bench password 1234"


class Browser:
    """A logged-in user (cookies, CSRF token) over HTTP."""

    def __init__(self, base: str, name: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
            NoRedirect(),
        )
        token = self.token("/login")
        status, _ = self.post("/login", {"username": name, "password": PASSWORD}, token)
        assert status == 302, f"login of {name} answered {status}"

    def get(self, path: str, accept: str = "text/html") -> tuple[int, str]:
        request = urllib.request.Request(self.base + path, headers={"Accept": accept})
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def token(self, path: str) -> str:
        match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', self.get(path)[1])
        assert match, f"no CSRF token on {path}"
        return match.group(1)

    def post(self, path: str, data: dict[str, str], token: str) -> tuple[int, str]:
        """POST a form; a redirect's target is kept in ``self.location``."""
        body = urllib.parse.urlencode({**data, "csrf_token": token}).encode()
        self.location = ""
        try:
            with self.opener.open(self.base + path, data=body, timeout=120) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            self.location = exc.headers.get("Location", "")
            return exc.code, exc.read().decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def cut_off(url: str, timeout: float) -> tuple[float, str]:
    config = {"ALLOW_PRIVATE_URLS": True, "FETCH_TIMEOUT_SECONDS": timeout}
    started = time.monotonic()
    try:
        urlfetch.fetch_article(url, config)
    except urlfetch.FetchError as exc:
        return time.monotonic() - started, str(exc)
    return time.monotonic() - started, "(not cut off)"


def served_run(folder: Path, drip_url: str, timeout: float, cap: int) -> None:
    env = {
        **os.environ,
        "FACTCHECK_DATABASE": str(folder / "bench.db"),
        "FACTCHECK_INSTANCE_PATH": str(folder / "instance"),
        "FACTCHECK_SECRET_KEY": "bench-secret",
        "FACTCHECK_LOAD_DEMO": "false",
        "FACTCHECK_ALLOW_PRIVATE_URLS": "true",
        "FACTCHECK_FETCH_TIMEOUT_SECONDS": f"{timeout:g}",
        "FACTCHECK_FETCH_MAX_CONCURRENT": str(cap),
        "FACTCHECK_JOBS_IMMEDIATE": "false",
    }
    log = open(folder / f"serve-{cap}.log", "w")  # noqa: SIM115 (closed below)
    try:
        process, base = serving.serve(env["FACTCHECK_DATABASE"], env, log=log)
    except SystemExit:
        log.close()
        print((folder / f"serve-{cap}.log").read_text()[-2000:])
        raise
    try:
        users = [Browser(base, name) for name in ("alice", "bob")]
        tokens = [user.token("/articles/new") for user in users]
        outcomes: list[str] = []

        def run_import(user: Browser, token: str) -> None:
            started = time.monotonic()
            status, html = user.post("/articles/import-url", {"page_url": drip_url}, token)
            answered = time.monotonic() - started
            if "Too many imports" in html:
                outcomes.append(f"{status} after {answered:.2f} s (too many imports, try again)")
                return
            if status != 303:
                outcomes.append(f"{status} after {answered:.2f} s (?)")
                return
            path = urllib.parse.urlsplit(user.location).path
            state: dict[str, object] = {"state": "queued"}
            while state["state"] in ("queued", "fetching"):
                time.sleep(0.1)
                state = json.loads(user.get(path, accept="application/json")[1])
            message = "took longer than" if "took longer than" in str(state["error"]) else ""
            outcomes.append(
                f"303 after {answered:.2f} s, then {state['state']} after "
                f"{time.monotonic() - started:.1f} s ({message or state['error']})"
            )

        threads = [
            threading.Thread(target=run_import, args=pair)
            for pair in zip(users, tokens, strict=True)
        ]
        for thread in threads:
            thread.start()
        time.sleep(0.2)
        times = []
        anonymous = urllib.request.build_opener()
        while any(thread.is_alive() for thread in threads):
            started = time.perf_counter()
            with anonymous.open(base + "/login", timeout=120) as response:
                response.read()
            times.append((time.perf_counter() - started) * 1000)
        for thread in threads:
            thread.join()
        times.sort()
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
        print(
            f"served, FETCH_MAX_CONCURRENT={cap}: imports {'; '.join(outcomes)}\n"
            f"  GET /login while they ran: {len(times)} requests, "
            f"p50 {statistics.median(times):.1f} ms, p99 {p99:.1f} ms, max {times[-1]:.1f} ms"
        )
    finally:
        log.close()
        serving.stop(process, 10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=int, default=2, help="FETCH_TIMEOUT_SECONDS")
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between bytes")
    parser.add_argument("--cap", type=int, action="append", default=[], help="also run with it")
    args = parser.parse_args()
    if args.interval >= args.timeout:
        args.interval = args.timeout / 2  # each byte must come before the step timeout
    print(f"{os.cpu_count()} cores; a drip server sends one byte every {args.interval:g} s")
    with tempfile.TemporaryDirectory() as tmp, DripServer("body", args.interval, 600) as drip:
        folder = Path(tmp)
        deadline = 3 * args.timeout
        took, message = cut_off(drip.url, args.timeout)
        verdict = "within" if took <= deadline + 1 else "PAST"
        print(
            f"import-url cut off after {took:.2f} s (deadline 3 x {args.timeout:g} = "
            f"{deadline:g} s; {verdict} deadline + 1 s): {message[:70]}..."
        )
        app = create_app(
            {"DATABASE": str(folder / "bench.db"), "SECRET_KEY": "bench-secret"}
            | {"LOAD_DEMO": False}
        )
        db = connect(app.config["DATABASE"])
        migrate(db)
        for name in ("alice", "bob"):
            store.create_user(db, name, PASSWORD, role="reviewer")
        db.close()
        for cap in [1, *args.cap]:
            served_run(folder, drip.url, args.timeout, cap)


if __name__ == "__main__":
    main()
