"""Import speed: claims per second of restoring a factcheck export, articles per second of
importing plain-text files, and the share of the time spent rebuilding the export fragments.

Builds a desk's export as another desk would send it: ``--claims`` claims (default 20,000;
20 per article), three verdicts each with a rationale and one source, a final verdict on
every other claim (the seed of ``bench/export_speed.py``), exported as JSON and as JSONL by
``factcheck``'s own exporter. Each file is then imported into an empty database by
``factcheck import`` in a fresh process, timed from the command's start to its end (reading,
parsing, storing, committing): claims/s, claims per CPU-second, peak RSS, and the time spent
in :func:`factcheck.db.rebuild_stale_fragments` (the export fragments rebuilt before each
commit), and then how fast the imported set exports again (JSONL). The same import runs
again into a database without m005's triggers (nothing is marked stale, so no fragments are
built): the difference is what keeping the fragments costs in all (the triggers included).
Last, ``--articles`` plain-text articles (default 300, news-like, 2-6 KB, as
``bench/extract_speed.py`` makes them) are imported as ``.txt`` files:
articles/s and MB/s, claim extraction and scoring included.

    .venv/bin/python bench/import_speed.py                  # 20,000 claims, 300 articles
    .venv/bin/python bench/import_speed.py --claims 100000  # a bigger export

Building the export is timed and printed apart, never counted.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))


def build_exports(workdir: str, claims: int) -> tuple[str, str]:
    """Seed a desk with ``claims`` claims and export it as JSON and JSONL; return the paths."""
    import export_speed

    from factcheck import store
    from factcheck.config import DEFAULTS
    from factcheck.db import connect, migrate
    from factcheck.export.stream import export_stream

    source = os.path.join(workdir, "desk.db")
    export_speed.seed(source, claims, 0.0)
    db = connect(source)
    migrate(db)
    paths = []
    for fmt in ("json", "jsonl"):
        path = os.path.join(workdir, f"desk-export.{fmt}")
        with open(path, "wb") as out:
            for chunk in export_stream(db, fmt, store.ExportFilter(), DEFAULTS):
                out.write(chunk)
        paths.append(path)
    db.close()
    return paths[0], paths[1]


def build_texts(workdir: str, articles: int) -> list[str]:
    """``articles`` news-like ``.txt`` files with a title line, in a directory of their own."""
    import extract_speed

    rng = random.Random(7)
    folder = os.path.join(workdir, "texts")
    os.makedirs(folder, exist_ok=True)
    paths = []
    for number in range(1, articles + 1):
        text = extract_speed.make_article(rng)
        head, _, body = text.partition("\n")
        path = os.path.join(folder, f"article-{number:05d}.txt")
        with open(path, "w", encoding="utf-8") as out:
            out.write(f"Title: {head} ({number})\nPublisher: Bench Courier\n\n{body}")
        paths.append(path)
    return paths


def run_import(db_path: str, files: list[str], fragments: bool) -> None:
    """In this (fresh) process: an empty database at ``db_path``, then ``factcheck import``
    of ``files``, timed; print the figures as one JSON line."""
    from factcheck import db as fdb
    from factcheck import store
    from factcheck.cli import cli
    from factcheck.store import base as store_base

    empty = fdb.connect(db_path)
    fdb.migrate(empty)
    if not fragments:
        triggers = empty.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%fragments%'"
        ).fetchall()
        for (name,) in triggers:
            empty.conn.execute(f'DROP TRIGGER "{name}"')
    empty.close()

    rebuild = {"seconds": 0.0, "cpu": 0.0, "calls": 0}
    original = store_base.rebuild_stale_fragments  # (refresh_fragments looks it up there)

    def timed_rebuild(conn: object) -> None:
        started, cpu = time.perf_counter(), time.process_time()
        try:
            original(conn)
        finally:
            rebuild["seconds"] += time.perf_counter() - started
            rebuild["cpu"] += time.process_time() - cpu
            rebuild["calls"] += 1

    store_base.rebuild_stale_fragments = timed_rebuild
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    output, errors = io.StringIO(), io.StringIO()
    started, cpu = time.perf_counter(), time.process_time()
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(errors):
        cli.main(["--db", db_path, "import", *files], standalone_mode=False)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    check = fdb.connect(db_path)
    counts = {
        table: check.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
        for table in ("articles", "claims", "verdicts", "sources", "json_fragments")
    }
    export_seconds = None
    if fragments and counts["claims"]:
        from factcheck.config import DEFAULTS
        from factcheck.export.stream import export_stream

        # The imported set exported again (JSONL): from the stored fragments, or the slow way
        # for claims whose fragments are incomplete.
        started = time.perf_counter()
        with open(os.devnull, "wb") as sink:
            for chunk in export_stream(check, "jsonl", store.ExportFilter(), DEFAULTS):
                sink.write(chunk)
        export_seconds = time.perf_counter() - started
    check.close()
    summary = output.getvalue().strip().splitlines()[-1]
    print(
        json.dumps(
            {
                "seconds": elapsed,
                "cpu": cpu,
                "rss_before": rss_before,
                "peak_rss": peak,
                "rebuild": rebuild,
                "counts": counts,
                "summary": summary,
                "export_seconds": export_seconds,
            }
        )
    )


def child(db_path: str, files: list[str], fragments: bool = True) -> dict:
    """Run :func:`run_import` in a fresh process; its figures."""
    args = [sys.executable, __file__, "--run", db_path]
    if not fragments:
        args.append("--no-fragments")
    done = subprocess.run([*args, "--", *files], check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def report_export(label: str, size: int, result: dict, expect: int) -> None:
    counts = result["counts"]
    if counts["claims"] != expect:
        sys.exit(f"{label}: {counts['claims']} claims stored, expected {expect} ({result})")
    claims, seconds, cpu = counts["claims"], result["seconds"], result["cpu"]
    print(
        f"{label:<28} {claims:>8,} claims {seconds:7.2f} s {claims / seconds:>9,.0f} claims/s"
        f"  cpu {cpu:6.2f} s ({claims / cpu:>7,.0f} claims/cpu-s)  {size / 1e6:6.1f} MB in"
        f"  peak RSS {result['peak_rss']:5.0f} MB (before import {result['rss_before']:.0f})",
        flush=True,
    )
    rebuild = result["rebuild"]
    if rebuild["calls"]:
        print(
            f"{'':<28} rebuilding fragments: {rebuild['seconds']:.2f} s"
            f" ({rebuild['seconds'] / seconds:.0%} of the time; cpu {rebuild['cpu']:.2f} s,"
            f" {rebuild['cpu'] / cpu:.0%}) in {rebuild['calls']:,}"
            f" rebuilds, {rebuild['seconds'] / claims * 1e6:.1f} µs/claim;"
            f" {result['counts']['json_fragments']:,} fragments stored",
            flush=True,
        )
    if result["export_seconds"]:
        print(
            f"{'':<28} then exporting the imported set as JSONL: {result['export_seconds']:.2f} s"
            f" ({claims / result['export_seconds']:,.0f} claims/s)",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=20_000, help="claims in the export")
    parser.add_argument("--articles", type=int, default=300, help="plain-text articles")
    parser.add_argument("--run", help=argparse.SUPPRESS)  # internal: one import, fresh process
    parser.add_argument("--no-fragments", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("files", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        run_import(args.run, args.files, fragments=not args.no_fragments)
        return
    with tempfile.TemporaryDirectory(prefix="factcheck-import-bench-") as workdir:
        started = time.perf_counter()
        json_path, jsonl_path = build_exports(workdir, args.claims)
        texts = build_texts(workdir, args.articles) if args.articles else []
        print(
            f"built the export of {args.claims:,} claims ({3 * args.claims:,} verdicts) and"
            f" {len(texts)} text files in {time.perf_counter() - started:.1f} s (not counted);"
            f" python {sys.version.split()[0]}, {os.cpu_count()} cores, one process per import",
            flush=True,
        )
        runs = [
            ("JSON export", json_path, True),
            ("JSONL export", jsonl_path, True),
            ("JSON export, no fragments", json_path, False),
            ("JSONL export, no fragments", jsonl_path, False),
        ]
        seconds = {}
        for number, (label, path, fragments) in enumerate(runs):
            target = os.path.join(workdir, f"import-{number}.db")
            result = child(target, [path], fragments)
            report_export(label, os.path.getsize(path), result, args.claims)
            seconds[label] = result["seconds"]
        for fmt in ("JSON", "JSONL"):
            with_, without = seconds[f"{fmt} export"], seconds[f"{fmt} export, no fragments"]
            print(
                f"{fmt}: keeping the fragments (triggers and rebuilds) costs"
                f" {with_ - without:.2f} s of {with_:.2f} s ({(with_ - without) / with_:.0%})",
                flush=True,
            )
        if texts:
            result = child(os.path.join(workdir, "texts.db"), texts)
            size = sum(os.path.getsize(p) for p in texts)
            count, claims = result["counts"]["articles"], result["counts"]["claims"]
            if count != len(texts):
                sys.exit(f"text import stored {count} of {len(texts)} articles: {result}")
            s, cpu = result["seconds"], result["cpu"]
            print(
                f"{'text files (.txt)':<28} {count:>8,} articles {s:7.2f} s"
                f" {count / s:>7,.1f} articles/s {size / s / 1e6:5.2f} MB/s"
                f"  cpu {cpu:6.2f} s ({count / cpu:,.1f} articles/cpu-s)  {size / 1e6:.1f} MB in,"
                f" {claims:,} claims extracted  peak RSS {result['peak_rss']:.0f} MB;"
                f" rebuilding fragments {result['rebuild']['seconds']:.2f} s"
                f" ({result['rebuild']['seconds'] / s:.0%})",
                flush=True,
            )


if __name__ == "__main__":
    main()
