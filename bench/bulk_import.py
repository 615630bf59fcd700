"""Bulk import speed: 10,000 one-paragraph articles posted to ``POST /api/v1/imports/bulk`` of
a running ``factcheck serve`` (granian, with the job worker it starts: one process per core).

Prints the time from sending the request to its 202 answer (the articles stored in one
transaction and acknowledged: target 1.5 s), and from sending it to the batch's page showing
every article with its claims (extraction by the job worker's processes: target 15 s on 2
cores), with the claims stored and the machine's core count and load (the machine may be
shared: read the figures beside the load). Peers measured on one harness: Label Studio
imports 10,000 short texts in 1.7 s, doccano in 3.3 s; before bulk import factcheck took 24 s
(one request per article, claims extracted inside it).

    .venv/bin/python bench/bulk_import.py [--articles 10000] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import serving  # noqa: E402 (bench/serving.py)

from factcheck import store  # noqa: E402
from factcheck.db import connect, migrate  # noqa: E402

PLACES = ["Harbour City", "Northfield", "Lakeside", "Old Town", "Riverton", "Eastgate", "Millbrook"]
PEOPLE = ["Ana Lopez", "Tomas Brek", "Lena Sova", "Mara Jensen", "Jo Example", "Piet Kolar"]
BODIES = ["the city council", "the regional transport authority", "the school board", "the port"]
THINGS = ["tram line", "ferry service", "bridge repair", "bus depot", "school roof", "cycle path"]


def paragraph(rng: random.Random, n: int) -> dict[str, str]:
    """One short news paragraph (~350 characters) with figures, a claimant and a date."""
    place, person, body, thing = (rng.choice(x) for x in (PLACES, PEOPLE, BODIES, THINGS))
    text = (
        f"{body.capitalize()} of {place} voted {rng.randint(12, 40)} to {rng.randint(1, 11)} "
        f"on Tuesday to spend {rng.randint(2, 900)} million euros on the {thing}, the largest "
        f"project since {rng.randint(1950, 2019)}. {person} said the {thing} would serve about "
        f"{rng.randint(1, 90) * 1000:,} people a day by {rng.randint(2026, 2040)}. Critics said "
        f"costs had risen by {rng.randint(5, 60)} per cent in {rng.randint(2, 9)} years "
        f"(report {n})."
    )
    return {
        "title": f"{place}: {thing} vote ({n})",
        "text": text,
        "publisher": "Daily Planet",
        "date": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
    }


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (from /proc; empty where there is none)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry)] = int(stat[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier}
        found |= frontier
    return found


def cpu_seconds(pids: set[int]) -> float:
    """User + system CPU time of the processes ``pids`` so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(stat[11]) + int(stat[12])
    return total / ticks


def call(base: str, path: str, token: str, body: bytes | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(
        base + path,
        data=body,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST" if body is not None else "GET",
    )
    try:
        with urllib.request.urlopen(request, timeout=600) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=0, help="JOBS_WORKERS (0: one per core)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    records = [paragraph(rng, n) for n in range(args.articles)]
    payload = json.dumps(records).encode()
    load = os.getloadavg()
    print(
        f"{os.cpu_count()} cores, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; "
        f"{args.articles:,} articles, {len(payload) / 1e6:.1f} MB of JSON, "
        f"{sum(len(r['text']) for r in records) // args.articles} characters each on average"
    )
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        database = str(folder / "bulk.db")
        db = connect(database)
        migrate(db)
        user = store.create_user(db, "importer", "bench password 1234", role="editor")
        token = store.create_token(db, user["id"], "b")[0]
        db.close()
        env = {
            **os.environ,
            "FACTCHECK_INSTANCE_PATH": str(folder / "instance"),
            "FACTCHECK_SECRET_KEY": "bench-secret",
            "FACTCHECK_LOAD_DEMO": "false",
            "FACTCHECK_JOBS_IMMEDIATE": "false",
            "FACTCHECK_JOBS_WORKERS": str(args.workers),
        }
        log = open(folder / "serve.log", "w")  # noqa: SIM115 (closed below)
        server, address = serving.serve(database, env, log=log, up_path="/api/v1/openapi.json")
        base = address + "/api/v1"
        try:
            time.sleep(2)  # (the job worker starts beside the web server)
            processes = descendants(server.pid) | {server.pid}
            cpu_before = cpu_seconds(processes)
            started = time.perf_counter()
            status, batch = call(base, "/imports/bulk?source=bench", token, payload)
            acknowledged = time.perf_counter() - started
            if status != 202:
                raise SystemExit(f"the import answered {status}: {batch}")
            print(
                f"acknowledged: {acknowledged:.2f} s (202; {batch['total']:,} articles stored, "
                f"target 1.5 s)"
            )
            path = "/imports/batches/" + str(batch["id"])
            progress = batch
            while progress["state"] != "done":
                time.sleep(0.1)
                progress = call(base, path, token)[1]
            extracted = time.perf_counter() - started
            cpu = cpu_seconds(processes) - cpu_before
            db = connect(database)
            claims = db.execute("SELECT count(*) FROM claims").fetchone()[0]
            db.close()
            load = os.getloadavg()
            print(
                f"fully extracted: {extracted:.2f} s after sending ({progress['done']:,} articles "
                f"with claims, {progress['failed']} failed, {claims:,} claims; target 15 s on "
                f"2 cores); load average now {load[0]:.2f}"
            )
            cores = os.cpu_count() or 1
            print(
                f"CPU used by the server and its job worker meanwhile: {cpu:.1f} s, so on "
                f"{cores} otherwise idle cores about {cpu / cores:.1f} s (the CPU time does not "
                "depend on the load of the machine; the wall time above does)"
            )
        finally:
            serving.stop(server, 30)
            log.close()


if __name__ == "__main__":
    main()
