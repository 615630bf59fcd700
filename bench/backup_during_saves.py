"""Backups while reviewers save: saves/s kept during a backup, and the backup's duration.

Seeds (once, cached) a database of ``--claims`` claims (default 1,000,000; three verdicts a
claim with a source each, as ``bench/export_speed.py`` seeds them), then, ``--runs`` times:
``--writers`` processes save verdicts through the store as fast as they can (each save one
``BEGIN IMMEDIATE`` transaction with its audit row, as the web app's); after
``--baseline`` seconds the backup starts (``factcheck.backup.take_backup``: the online
backup API in steps inside one read snapshot, then ``PRAGMA integrity_check`` and row
counts); the writers go on until it ends. Printed per run: saves/s before and during the
backup, their ratio, and the backup's duration (copy and check); then each figure's min,
median and max over the runs. ``--method vacuum`` times ``VACUUM INTO`` the same way (no
check), for comparison.

    .venv/bin/python bench/backup_during_saves.py                  # 1,000,000 claims
    .venv/bin/python bench/backup_during_saves.py --claims 20000   # a quick run

The timed part holds ``flock /tmp/fc-bench.lock`` (other timed benchmarks wait for it);
seeding does not. The backups are written to the cache folder and deleted after each run.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

METHODS = {"api": "the online backup API + integrity_check", "vacuum": "VACUUM INTO"}
RATINGS = ["true", "mostly-true", "half-true", "mostly-false", "false", "misleading"]


def seeded(claims: int, cache_dir: str) -> str:
    """The cached seeded database of ``claims`` claims, brought to the current schema."""
    import export_speed

    path = os.path.join(cache_dir, f"backup-{claims}.db")
    if not os.path.exists(path):
        os.makedirs(cache_dir, exist_ok=True)
        partial = path + ".partial"
        for leftover in (partial, partial + "-wal", partial + "-shm"):
            if os.path.exists(leftover):
                os.remove(leftover)
        started = time.perf_counter()
        export_speed.seed(partial, claims, 0.0)
        export_speed._migrate(partial)
        os.replace(partial, path)
        print(f"seeded {claims:,} claims in {time.perf_counter() - started:.0f} s", flush=True)
    else:
        print(f"reusing the seeded database {path}", flush=True)
        export_speed._migrate(path)  # (to the current schema)
    return path


def writer(path: str, index: int, claims: int, stop: Any, out: Any) -> None:
    """Save verdicts until ``stop.value`` (monotonic) passes; put the saves' times on ``out``."""
    from factcheck import store
    from factcheck.db import connect

    db = connect(path)
    user_id = db.execute("SELECT id FROM users WHERE username = ?", (f"saver{index}",)).fetchone()[
        0
    ]
    rng = random.Random(os.getpid() ^ time.time_ns())
    times = []
    busy = 0
    while (now := time.monotonic()) < stop.value:
        claim_id = rng.randint(1, claims)
        rating = rng.choice(RATINGS)
        try:
            try:
                store.record_verdict(
                    db, claim_id, user_id, rating, f"Bench save {now}", [], None, RATINGS
                )
            except store.Conflict as exc:
                store.record_verdict(
                    db, claim_id, user_id, rating, f"Bench save {now}", [],
                    exc.current["version"], RATINGS,
                )  # fmt: skip
        except store.Busy:
            busy += 1
            continue
        times.append(time.monotonic())
    db.close()
    out.put((times, busy))


def ensure_savers(path: str, writers: int) -> None:
    from factcheck import store
    from factcheck.db import connect

    db = connect(path)
    for index in range(writers):
        try:
            store.user_by_name(db, f"saver{index}")
        except store.NotFound:
            store.create_user(db, f"saver{index}", "bench password 123", role="editor")
    db.close()


def one_run(path: str, args: argparse.Namespace, claims: int) -> dict[str, float]:
    """Writers save for ``--baseline`` seconds, then while the backup runs; the figures."""
    from factcheck import backup

    out = multiprocessing.Queue()
    stop = multiprocessing.Value("d", float("inf"))
    procs = [
        multiprocessing.Process(target=writer, args=(path, i, claims, stop, out))
        for i in range(args.writers)
    ]
    for proc in procs:
        proc.start()
    time.sleep(1.0)  # (the writers connect and warm up)
    base_from = time.monotonic()
    time.sleep(args.baseline)
    started = time.monotonic()
    target = os.path.join(os.path.dirname(path), f"bench-backup-{os.getpid()}.db")
    for leftover in (target, target + ".json"):
        Path(leftover).unlink(missing_ok=True)
    try:
        if args.method == "api":
            manifest = backup.take_backup(path, target)
            size = manifest["bytes"]
        else:
            import sqlite3

            conn = sqlite3.connect(path, isolation_level=None)
            conn.execute("VACUUM INTO ?", (target,))
            conn.close()
            size = os.path.getsize(target)
        ended = time.monotonic()
    finally:
        stop.value = time.monotonic()
        results = [out.get() for _ in procs]
        for proc in procs:
            proc.join()
        for leftover in (target, target + ".json"):
            Path(leftover).unlink(missing_ok=True)
    times = sorted(t for found, _ in results for t in found)
    before = sum(1 for t in times if base_from <= t < started)
    during = sum(1 for t in times if started <= t < ended)
    return {
        "saves_per_s_before": before / (started - base_from),
        "saves_per_s_during": during / (ended - started),
        "kept": (during / (ended - started)) / max(before / (started - base_from), 1e-9),
        "backup_s": ended - started,
        "backup_mb": size / 1e6,
        "busy": sum(busy for _, busy in results),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--writers", type=int, default=2, help="saving processes")
    parser.add_argument("--baseline", type=float, default=5.0, help="seconds of saves before")
    parser.add_argument("--method", choices=["api", "vacuum"], default="api")
    parser.add_argument(
        "--cache-dir", default=os.path.join(tempfile.gettempdir(), "factcheck-bench")
    )
    parser.add_argument("--seed-only", action="store_true")
    args = parser.parse_args()
    path = seeded(args.claims, args.cache_dir)
    if args.seed_only:
        return
    run_all(path, args)


def run_all(path: str, args: argparse.Namespace) -> None:
    import serving

    from factcheck.db import connect

    ensure_savers(path, args.writers)
    db = connect(path)
    claims = db.execute("SELECT max(id) FROM claims").fetchone()[0]
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} cores; {claims:,} claims, database "
        f"{os.path.getsize(path) / 1e6:,.0f} MB; {args.writers} writer processes; "
        f"backup by {METHODS[args.method]}",
        flush=True,
    )
    with serving.bench_lock():
        runs = []
        for n in range(args.runs):
            figures = one_run(path, args, claims)
            runs.append(figures)
            print(
                f"run {n + 1}: {figures['saves_per_s_before']:7.1f} saves/s before, "
                f"{figures['saves_per_s_during']:7.1f} during the backup "
                f"({100 * figures['kept']:.0f}% kept, {figures['busy']} busy); backup "
                f"{figures['backup_mb']:,.0f} MB in {figures['backup_s']:.1f} s",
                flush=True,
            )
    print("over the runs (min / median / max):")
    for key, label in [
        ("saves_per_s_before", "saves/s before"),
        ("saves_per_s_during", "saves/s during"),
        ("kept", "share kept"),
        ("backup_s", "backup seconds"),
    ]:
        values = [run[key] for run in runs]
        print(
            f"  {label:<16} {min(values):8.2f} {statistics.median(values):8.2f} {max(values):8.2f}"
        )


if __name__ == "__main__":
    main()
