"""Reads while another process holds the write lock: GET /login latency, and how saves end.

Serves a small database with ``factcheck serve`` (granian, its default 2 threads; or
``--server waitress``), then, ``--runs`` times: another process (plain ``sqlite3``, as an
operator's shell would) holds the write lock with ``BEGIN IMMEDIATE`` for ``--hold`` seconds
(default 10) while ``--savers`` clients PUT verdicts through the API as fast as they can and
one client asks for ``GET /login`` every 50 ms. Prints the login page's latency before and
during the hold (median, p99, max), and the saves' outcomes during the hold (503s, the
longest a save took). ``--repo DIR`` serves another checkout's code (before/after figures).

    .venv/bin/python bench/reads_during_writer.py
    .venv/bin/python bench/reads_during_writer.py --repo ../main --runs 1   # another checkout

The timed part holds ``flock /tmp/fc-bench.lock``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import serving  # (bench/serving.py: bench/ is on the path of a script run from it)

ROOT = Path(__file__).resolve().parents[1]


def _call(url: str, method: str = "GET", token: str = "", body: Any = None, etag: str = "") -> Any:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if etag:
        headers["If-Match"] = etag
    request = urllib.request.Request(
        url,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers=headers,
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            return response.status, response.headers.get("ETag", "")
    except urllib.error.HTTPError as exc:
        exc.read()
        return exc.code, exc.headers.get("ETag", "")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _setup(folder: Path, repo: Path, savers: int) -> tuple[str, list[str], list[int]]:
    env = dict(os.environ, PYTHONPATH=str(repo), FACTCHECK_INSTANCE_PATH=str(folder / "i"))
    database = str(folder / "reads.db")
    subprocess.run(
        [*serving.FACTCHECK, "--db", database, "init"],
        env=env,
        check=True,
        capture_output=True,
    )
    script = (
        "import sys, json; from factcheck import store; from factcheck.db import connect; "
        "from factcheck.store import tokens; db = connect(sys.argv[1]); keys = []\n"
        "for n in range(int(sys.argv[2])):\n"
        "    u = store.create_user(db, f'saver{n}', 'bench password 123', role='editor')\n"
        "    keys.append(tokens.create_token(db, u['id'], 'bench')[0])\n"
        "claims = [r[0] for r in db.execute('SELECT id FROM claims ORDER BY id')]\n"
        "print(json.dumps([keys, claims]))"
    )
    made = subprocess.run(
        [sys.executable, "-c", script, database, str(savers)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    keys, claims = json.loads(made.stdout)
    return database, keys, claims


def one_run(base: str, database: str, keys: list[str], claims: list[int], hold: float) -> Any:
    logins_before = []
    for _ in range(20):
        started = time.monotonic()
        assert _call(base + "login")[0] == 200
        logins_before.append(time.monotonic() - started)
        time.sleep(0.05)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time; c = sqlite3.connect(sys.argv[1], isolation_level=None); "
            "c.execute('BEGIN IMMEDIATE'); print('held', flush=True); "
            "time.sleep(float(sys.argv[2])); c.execute('ROLLBACK')",
            database,
            str(hold),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "held"
    held_until = time.monotonic() + hold
    saves: list[tuple[int, float]] = []
    stop = threading.Event()

    def saver(n: int) -> None:
        etag = ""
        i = 0
        while not stop.is_set():
            i += 1
            started = time.monotonic()
            status, new_etag = _call(
                f"{base}api/v1/claims/{claims[n % len(claims)]}/verdict",
                "PUT",
                keys[n],
                {"rating": "true", "rationale": f"save {i}"},
                etag,
            )
            if started < held_until:
                saves.append((status, time.monotonic() - started))
            if new_etag:
                etag = new_etag

    threads = [threading.Thread(target=saver, args=(n,)) for n in range(len(keys))]
    for thread in threads:
        thread.start()
    logins = []
    while time.monotonic() < held_until - 0.1:
        started = time.monotonic()
        status = _call(base + "login")[0]
        logins.append(time.monotonic() - started)
        assert status == 200, status
        time.sleep(0.05)
    stop.set()
    for thread in threads:
        thread.join()
    holder.wait()
    return logins_before, logins, saves


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hold", type=float, default=10.0, help="seconds the lock is held")
    parser.add_argument("--savers", type=int, default=4)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--server", default="granian", choices=["granian", "waitress"])
    parser.add_argument("--repo", default=str(ROOT), help="the checkout whose code is served")
    args = parser.parse_args()
    repo = Path(args.repo).resolve()
    folder = Path(tempfile.mkdtemp(prefix="fc-reads-"))
    database, keys, claims = _setup(folder, repo, args.savers)
    env = dict(os.environ, PYTHONPATH=str(repo), FACTCHECK_INSTANCE_PATH=str(folder / "i"))
    server, base = serving.serve(database, env, ["--server", args.server])
    base += "/"
    try:
        print(
            f"python {sys.version.split()[0]}, {os.cpu_count()} cores; serving {repo.name} with "
            f"{args.server} (default threads); BUSY_TIMEOUT_MS 5000; another process holds the "
            f"write lock {args.hold:g} s while {args.savers} clients save",
            flush=True,
        )
        with serving.bench_lock():
            worst = []
            for n in range(args.runs):
                before, during, saves = one_run(base, database, keys, claims, args.hold)
                busy = [seconds for status, seconds in saves if status == 503]
                other = sorted({status for status, _ in saves} - {503})
                worst.append(max(during))
                print(
                    f"run {n + 1}: GET /login before: median "
                    f"{statistics.median(before) * 1000:.0f} "
                    f"ms; during the hold ({len(during)} requests): median "
                    f"{statistics.median(during) * 1000:.0f} ms, p99 "
                    f"{_percentile(during, 0.99) * 1000:.0f} ms, max {max(during) * 1000:.0f} ms; "
                    f"saves: {len(saves)}, {len(busy)} got 503 (longest "
                    f"{max(busy, default=0):.2f} s){', others ' + str(other) if other else ''}"
                    f"; the longest save of all {max(s for _, s in saves):.2f} s",
                    flush=True,
                )
            print(
                f"GET /login max during the hold over the runs (min / median / max): "
                f"{min(worst) * 1000:.0f} / {statistics.median(worst) * 1000:.0f} / "
                f"{max(worst) * 1000:.0f} ms"
            )
    finally:
        serving.stop(server)


if __name__ == "__main__":
    main()
