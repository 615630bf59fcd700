"""How fast cited sources are archived, and what citing one adds to a verdict save.

1. **Archiving**: a page server in its own process on 127.0.0.1 serves ``--pages`` distinct
   news pages (about 25 KB of HTML each); each page is cited with an excerpt, and this process
   archives them one after another on one thread (:func:`factcheck.evidence.work.archive_source`:
   guarded fetch, WARC record, trafilatura text, SHA-256, stored in SQLite, excerpt checked).
   Prints pages per second (wall clock) and CPU milliseconds a page, over ``--runs`` runs
   (each on a fresh database): min / median / max. Target: at least 20 pages/s.
2. **Save latency**: ``--saves`` verdict saves through the web app (the review page's fetch
   save, ``POST /claims/<id>/verdict`` as JSON) citing a new address each time, with
   background archiving off and on (alternating rounds; on, each save queues a job and a
   ``factcheck worker`` process archives the sources meanwhile), and saves without a source;
   prints the p50 / p90 of each round and their spread. Target: a save citing a source takes
   as long with archiving on as off, within noise (the fetch happens after the answer).
   The worker runs at the ``JOBS_NICE`` it would have (``--jobs-nice``, default the
   setting's: 10); ``--jobs-nice 0`` measures it at the web server's priority. The load
   average is printed before and after (the figures mean little on a busy machine).

Run it alone: ``flock /tmp/fc-bench.lock python bench/archive_speed.py``.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# Jobs go on the queue file and the worker process runs them, as under `factcheck serve`
# (tests.conftest, imported below for csrf_from, would otherwise make them run in threads of
# this process: JOBS_IMMEDIATE, the test suite's mode).
os.environ["FACTCHECK_JOBS_IMMEDIATE"] = "0"

from factcheck import create_app, ingest, jobs, store  # noqa: E402
from factcheck.config import DEFAULTS  # noqa: E402
from factcheck.db import connect, migrate  # noqa: E402
from factcheck.evidence import work  # noqa: E402
from factcheck.store import evidence as records  # noqa: E402
from tests.conftest import csrf_from  # noqa: E402

PASSWORD = "bench password 1234"

# (the page server stands for the web's servers, whose CPU is not ours: it runs at the lowest
# priority, so that on a busy machine it does not take the CPU from the saves measured)
SERVER = r"""
import os
import sys
os.nice(19)
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PARAGRAPH = ("<p>The regional transport authority said on Monday that ferry ticket number {n} "
             "would cost {n}.30 euros from March, up from 3.98 euros, and that fuel costs had "
             "risen by a quarter since 2023 while passenger numbers rose by {m} per cent.</p>")

def page(n):
    paragraphs = "\n".join(PARAGRAPH.format(n=n + i, m=(n * 7 + i) % 40) for i in range(40))
    nav = "".join(f'<li><a href="/section/{i}">Section {i}</a></li>' for i in range(60))
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>Fares story {n}</title>"
            f"<meta property='og:site_name' content='The Courier'>"
            f"<script>var tracking = {n};</script><style>body{{font:serif}}</style></head>"
            f"<body><header><nav><ul>{nav}</ul></nav></header><main><article>"
            f"<h1>Fares story {n}</h1><p class='byline'>By A. Reporter</p>{paragraphs}"
            f"</article></main><footer>Copyright The Courier</footer></body></html>").encode()

class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass
    def do_GET(self):
        n = int(self.path.rsplit("/", 1)[1]) if self.path.startswith("/page/") else 0
        body = page(n)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
httpd.daemon_threads = True
print(httpd.server_address[1], flush=True)
httpd.serve_forever()
"""

BODY = """Harbour ferry fares to rise

The regional transport authority said on Monday that single ferry tickets will cost 4.30 euros \
from March, up from 3.98 euros. Fuel costs had risen by a quarter since 2023, it said. \
Passenger numbers rose by 12 per cent last year, the operator said.
"""


def start_server() -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", SERVER], stdout=subprocess.PIPE, text=True, bufsize=1
    )
    assert proc.stdout is not None
    port = int(proc.stdout.readline())
    return proc, f"http://127.0.0.1:{port}"


def new_database(tmp: str, name: str) -> tuple[str, Any, list[int], list[int]]:
    path = os.path.join(tmp, name)
    db = connect(path)
    migrate(db)
    users = [
        store.create_user(db, f"reviewer{i}", PASSWORD, role="reviewer")["id"] for i in range(8)
    ]
    draft = ingest.prepare_article(body=BODY, title="Ferry fares", published="2026-01-05")
    article = store.create_article(db, draft.article, draft.claims, None)
    store.set_assignments(db, article, users, None)
    claims = [c["id"] for c in store.list_claims(db, article)]
    return path, db, users, claims


def archive_run(base: str, pages: int, offset: int, tmp: str, run: int) -> tuple[float, float]:
    path, db, users, claims = new_database(tmp, f"archive-{run}.db")
    per_verdict = 50
    n = 0
    slot = 0
    while n < pages:
        sources = [
            {"url": f"{base}/page/{offset + n + i}", "excerpt": "fuel costs had risen by a quarter"}
            for i in range(min(per_verdict, pages - n))
        ]
        user, claim = users[slot % len(users)], claims[slot // len(users) % len(claims)]
        store.record_verdict(db, claim, user, "true", "", sources, None, ["true"])
        n += len(sources)
        slot += 1
    ids = records.pending_records(db, limit=pages + 10)
    assert len(ids) == pages, (len(ids), pages)
    config = {"ALLOW_PRIVATE_URLS": True, "FETCH_TIMEOUT_SECONDS": 10}
    wall, cpu = time.perf_counter(), time.process_time()
    for record_id in ids:
        outcome = work.archive_source(db, record_id, config)
        if outcome.state != "archived":
            raise SystemExit(f"record {record_id}: {outcome}")
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    found = db.execute("SELECT count(*) FROM excerpt_checks WHERE result = 'found'").fetchone()[0]
    assert found == pages, found
    db.close()
    return pages / wall, cpu / pages * 1000


def spread(values: list[float], fmt: str = "{:.1f}") -> str:
    return (
        f"min {fmt.format(min(values))} / median {fmt.format(statistics.median(values))}"
        f" / max {fmt.format(max(values))}"
    )


def save_rounds(
    base: str, saves: int, rounds: int, tmp: str, jobs_nice: int
) -> dict[str, list[tuple[float, float]]]:
    path, db, users, claims = new_database(tmp, "saves.db")
    db.close()
    app = create_app(
        {
            "DATABASE": path,
            "SECRET_KEY": "bench",
            "ALLOW_PRIVATE_URLS": True,
            "FETCH_TIMEOUT_SECONDS": 10,
        }
    )
    clients = []
    for i in range(len(users)):
        client = app.test_client()
        token = csrf_from(client.get("/login").get_data(as_text=True))
        client.post(
            "/login",
            data={"username": f"reviewer{i}", "password": PASSWORD, "csrf_token": token},
        )
        token = csrf_from(client.get("/articles/new").get_data(as_text=True))
        clients.append((client, token))
    out: dict[str, list[tuple[float, float]]] = {"no source": [], "archiving off": [],
                                                 "archiving on": []}  # fmt: skip
    counter = [0]

    def one_round(kind: str) -> tuple[float, float]:
        app.config["ARCHIVE_SOURCES"] = kind == "archiving on"
        jobs.configure(app.config)
        times = []
        for i in range(saves):
            client, token = clients[i % len(clients)]
            claim = claims[(i // len(clients)) % len(claims)]
            counter[0] += 1
            data = {"rating": "true" if counter[0] % 2 else "false", "rationale": "", "version": ""}
            current = store.get_verdict(db_reader, claim, users[i % len(users)])
            data["version"] = str(current["version"]) if current else ""
            if kind != "no source":
                data["sources-0-url"] = f"{base}/page/{900000 + counter[0]}"
                data["sources-0-excerpt"] = "fuel costs had risen by a quarter"
            started = time.perf_counter()
            response = client.post(
                f"/claims/{claim}/verdict",
                data={**data, "csrf_token": token},
                headers={"Accept": "application/json", "X-CSRFToken": token},
            )
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, response.get_data(as_text=True)[:300]
        drain()
        times.sort()
        return times[len(times) // 2] * 1000, times[int(len(times) * 0.9)] * 1000

    def drain() -> None:
        """Wait until the worker has archived everything queued (retries too)."""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            state = jobs.status()
            if not state["queued"] and not state["running"] and not state["scheduled"]:
                return
            time.sleep(0.05)
        raise SystemExit(f"the job worker did not finish: {jobs.status()}")

    db_reader = connect(path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("FACTCHECK_")}
    env.update(
        FACTCHECK_SECRET_KEY="bench",
        FACTCHECK_ALLOW_PRIVATE_URLS="1",
        FACTCHECK_JOBS_WORKERS="1",
        FACTCHECK_JOBS_NICE=str(jobs_nice),
        FACTCHECK_INSTANCE_PATH=os.path.join(tmp, "instance"),
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "factcheck", "--db", path, "worker"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert not jobs.queue.immediate, "jobs would run in this process"
        one_round("archiving on")  # warm up (and the worker is up: the round waits for it)
        for _ in range(rounds):
            for kind in ("no source", "archiving off", "archiving on"):
                out[kind].append(one_round(kind))
        states = dict(
            db_reader.execute("SELECT state, count(*) FROM source_records GROUP BY state")
        )
        reasons = db_reader.execute(
            "SELECT reason, count(*) FROM source_records WHERE reason <> '' GROUP BY reason"
            " ORDER BY 2 DESC LIMIT 3"
        ).fetchall()
        print(f"  (sources by state: {states}; jobs: {jobs.status(0)}; reasons: {reasons})")
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(20)
        db_reader.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--saves", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs-nice", type=int, default=DEFAULTS["JOBS_NICE"])
    parser.add_argument("--saves-only", action="store_true", help="skip the archiving runs")
    args = parser.parse_args()
    print(f"load average {load()}; {os.cpu_count()} cores", flush=True)
    proc, base = start_server()
    try:
        with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
            rates, cpus = [], []
            archive_run(base, 20, 10_000_000, tmp, -1)  # warm up (imports, trafilatura)
            for run in range(0 if args.saves_only else args.runs):
                rate, cpu = archive_run(base, args.pages, run * 100_000, tmp, run)
                rates.append(rate)
                cpus.append(cpu)
                print(f"run {run + 1}: {rate:.1f} pages/s, {cpu:.1f} ms CPU a page", flush=True)
            if rates:
                print(f"Archiving {args.pages} pages, one thread: {spread(rates)} pages/s"
                      f" (target >= 20); CPU a page: {spread(cpus)} ms")  # fmt: skip
            rounds = save_rounds(base, args.saves, args.rounds, tmp, args.jobs_nice)
            print(
                f"Verdict saves through the web app ({args.saves} a round, {args.rounds} rounds,"
                f" worker at nice {args.jobs_nice}):"
            )
            for kind, values in rounds.items():
                p50 = [v[0] for v in values]
                p90 = [v[1] for v in values]
                print(
                    f"  {kind:<14} p50 {spread(p50, '{:.2f}')} ms; p90 {spread(p90, '{:.2f}')} ms"
                )
        print(f"load average {load()}", flush=True)
    finally:
        proc.terminate()
        proc.wait(timeout=5)


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()
