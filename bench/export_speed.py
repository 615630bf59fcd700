"""Export speed: claims per second and peak memory of each export format.

Seeds a temporary database with ``--claims`` claims (default 1,000,000; 20 per article) and
three verdicts each (one source per verdict, a final verdict on every other claim), then runs
each format in a fresh subprocess (so that each peak memory is its own) and prints claims/s and
peak RSS. Targets: >= 100,000 claims/s for CSV and JSONL on one core, peak memory < 200 MB.

    .venv/bin/python bench/export_speed.py                 # 1,000,000 claims
    .venv/bin/python bench/export_speed.py --claims 50000  # a quick run

The seeded database is cached (``--cache-dir``, default ``<tmp>/factcheck-bench``) under a
name keyed by the claim count, the Markdown share and the schema (the names of all
migrations), so later runs skip seeding. The seed writes its rows at the schema before
``SEED_BEFORE`` (plain bulk inserts), then :func:`factcheck.db.migrate` brings the file up to
date as it would an existing database (m005 fills the export fragments). Seeding and migrating
are timed and printed on their own, never counted in claims/s.
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FORMATS = ("csv", "jsonl", "json", "claimreview", "markdown")
#: The seed's rows are written before this migration (it and later ones run as an upgrade).
SEED_BEFORE = "m005_export_fragments"
CLAIMS_PER_ARTICLE = 20
WORDS = (
    "council minister budget percent million tram line report vote record figures rose fell "
    "year since statistics office said would cost passengers city region study show data"
).split()


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize()


def seed(path: str, claims: int, markdown_share: float) -> None:
    """Fill a new database at ``path`` with synthetic articles, claims, verdicts and sources."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from factcheck import store
    from factcheck.db import connect, migrations

    # The stored HTML of each rationale, as store.record_verdict keeps it.
    html_of = store.rationale_html
    rng = random.Random(5)
    db = connect(path)
    migrations.apply(db, stop_before=SEED_BEFORE)
    conn = db.conn
    stamp = store.now()
    conn.execute("BEGIN")
    reviewers = []
    for name in ("alice", "bob", "carol", "edna"):
        cur = conn.execute(
            "INSERT INTO users (username, password_hash, role, created_at, updated_at)"
            " VALUES (?, '!', 'reviewer', ?, ?)",
            (name, stamp, stamp),
        )
        reviewers.append(cur.lastrowid)
    ratings = ["true", "mostly-true", "half-true", "mostly-false", "false", "misleading"]
    n_articles = (claims + CLAIMS_PER_ARTICLE - 1) // CLAIMS_PER_ARTICLE
    claim_id = verdict_id = 0
    for article_id in range(1, n_articles + 1):
        sentences = [
            _sentence(rng, 14) + f" in {1990 + article_id % 30}." for _ in range(CLAIMS_PER_ARTICLE)
        ]
        body = f"Article {article_id}\n\n" + " ".join(sentences)
        conn.execute(
            "INSERT INTO articles (id, title, url, publisher, author, published, body,"
            " body_sha256, created_at, updated_at, published_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                article_id,
                f"Article {article_id}: {_sentence(rng, 6)}",
                f"https://news.example/{article_id}",
                ("Daily Planet", "Coastal Courier", "Metro News")[article_id % 3],
                "Jo Example",
                f"20{10 + article_id % 15}-0{1 + article_id % 9}-1{article_id % 10}",
                body,
                store.sha256(body),
                stamp,
                stamp,
                stamp if article_id % 2 else None,
            ),
        )
        claim_rows, verdict_rows, source_rows, final_rows = [], [], [], []
        position = len(f"Article {article_id}\n\n")
        for sentence in sentences[: min(CLAIMS_PER_ARTICLE, claims - claim_id)]:
            claim_id += 1
            start, end = position, position + len(sentence)
            position = end + 1
            claim_rows.append(
                (claim_id, article_id, start, end, sentence, sentence, '["quantity"]',
                 round(rng.random(), 4), 1, stamp, stamp)
            )  # fmt: skip
            chosen = rng.sample(reviewers, 3)
            majority = rng.choice(ratings)
            for user in chosen:
                verdict_id += 1
                rating = majority if rng.random() < 0.7 else rng.choice(ratings)
                if rng.random() < markdown_share:
                    rationale = (
                        f"The **{_sentence(rng, 4)}** see https://stats.example/{verdict_id}"
                    )
                else:
                    rationale = _sentence(rng, 18) + "."
                verdict_rows.append(
                    (verdict_id, claim_id, user, rating, rationale, html_of(rationale), stamp,
                     stamp)
                )  # fmt: skip
                source_rows.append(
                    (verdict_id, 0, f"https://stats.example/t/{verdict_id % 997}",
                     "Statistics table", "Statistics Office", "", "refutes", "2025-01-02")
                )  # fmt: skip
            if claim_id % 2:
                final_rows.append(
                    (claim_id, majority, _sentence(rng, 10) + ".", chosen[0], stamp, stamp)
                )
        conn.executemany(
            'INSERT INTO claims (id, article_id, start, "end", quote, text, kind, score,'
            " checkworthy, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            claim_rows,
        )
        conn.executemany(
            "INSERT INTO verdicts (id, claim_id, user_id, rating, rationale, rationale_html,"
            " created_at, updated_at) VALUES (?,?,?,?,?,?,?,?)",
            verdict_rows,
        )
        conn.executemany(
            "INSERT INTO sources (verdict_id, position, url, title, publisher, excerpt, stance,"
            " accessed) VALUES (?,?,?,?,?,?,?,?)",
            source_rows,
        )
        conn.executemany(
            "INSERT INTO final_verdicts (claim_id, rating, reason, decided_by, created_at,"
            " updated_at) VALUES (?,?,?,?,?,?)",
            final_rows,
        )
        if article_id % 2000 == 0:
            conn.execute("COMMIT")
            conn.execute("BEGIN")
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    db.close()


def store_cpu(db: object, fmt: str) -> float | None:
    """CPU seconds of reading ``fmt``'s batches alone (SQLite and batching, no rendering)."""
    from factcheck import store
    from factcheck.store import exports as store_exports

    if fmt == "csv":
        batches = store_exports.export_batches(db, store.ExportFilter(), full=False).csv_batches()
    elif fmt in ("json", "jsonl"):
        everything = store.ExportFilter(include_dismissed=True)
        batches = store_exports.export_batches(db, everything, body=True).json_batches()
    else:
        return None
    cpu = time.process_time()
    for _batch in batches:
        pass
    return time.process_time() - cpu


def run_format(path: str, fmt: str, split: bool = False) -> None:
    """Export every claim of ``path`` in ``fmt`` to /dev/null; print claims/s and peak RSS."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from factcheck import store
    from factcheck.config import DEFAULTS
    from factcheck.db import connect
    from factcheck.export.stream import export_stream

    db = connect(path)
    # Claims exported: every claim (the JSON formats hold dismissed ones too; the seed has none).
    counted = db.execute("SELECT count(*) FROM claims").fetchone()[0]
    config = dict(DEFAULTS, ORG_URL="https://desk.example/")
    chunks = lambda: export_stream(db, fmt, store.ExportFilter(), config)  # noqa: E731
    size = 0
    started = time.perf_counter()
    cpu = time.process_time()
    with open(os.devnull, "wb") as sink:
        for chunk in chunks():
            size += len(chunk)
            sink.write(chunk)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak_mb = usage.ru_maxrss / 1024
    print(
        f"{fmt:<12} {counted:>10,} claims  {elapsed:7.2f} s  {counted / elapsed:>10,.0f} claims/s"
        f"  cpu {cpu:6.2f} s ({counted / cpu:>9,.0f} claims/cpu-s)  {size / 1e6:8.1f} MB out"
        f"  peak RSS {peak_mb:6.1f} MB",
        flush=True,
    )
    store_part = store_cpu(db, fmt) if split else None
    if store_part is not None:
        print(
            f"{'':<12} of which reading the batches (SQLite and batching) {store_part:6.2f} s cpu"
            f" ({store_part / counted * 1e6:.2f} µs/claim), rendering and writing"
            f" {(cpu - store_part) / counted * 1e6:.2f} µs/claim",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=1_000_000, help="claims to seed")
    parser.add_argument("--formats", default=",".join(FORMATS), help="comma-separated formats")
    parser.add_argument(
        "--markdown-share",
        type=float,
        default=0.0,
        help="share of rationales written in Markdown (rendered by the slow full path)",
    )
    parser.add_argument("--db", help="use this database file (seeded if it does not exist)")
    parser.add_argument(
        "--cache-dir",
        default=os.path.join(tempfile.gettempdir(), "factcheck-bench"),
        help="where seeded databases are kept between runs",
    )
    parser.add_argument(
        "--split",
        action="store_true",
        help="then time reading the batches alone (CSV, JSON, JSONL): SQLite vs Python",
    )
    parser.add_argument("--run", help=argparse.SUPPRESS)  # internal: one format in a subprocess
    args = parser.parse_args()
    if args.run:
        run_format(args.db, args.run, args.split)
        return
    path = args.db or os.path.join(args.cache_dir, _cache_name(args.claims, args.markdown_share))
    if not os.path.exists(path):
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        partial = path + ".partial"
        for leftover in (partial, partial + "-wal", partial + "-shm"):
            if os.path.exists(leftover):
                os.remove(leftover)
        started = time.perf_counter()
        seed(partial, args.claims, args.markdown_share)
        print(
            f"seeded {args.claims:,} claims, {3 * args.claims:,} verdicts in "
            f"{time.perf_counter() - started:.1f} s (not counted below)",
            flush=True,
        )
        _migrate(partial)
        os.replace(partial, path)
    else:
        print(f"reusing the seeded database {path}", flush=True)
        _migrate(path)
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} cores; one process per format;"
        f" database {os.path.getsize(path) / 1e6:,.0f} MB",
        flush=True,
    )
    for fmt in filter(None, args.formats.split(",")):  # (--formats "": only seed)
        split = ["--split"] if args.split else []
        subprocess.run([sys.executable, __file__, "--db", path, "--run", fmt, *split], check=True)


def _cache_name(claims: int, markdown_share: float) -> str:
    """The cached database's file name: the seed's parameters and the schema it ends at (the
    migrations' names and the code of :mod:`factcheck.db`, where they live)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import factcheck.db
    from factcheck.db import connect, migrations

    schema = hashlib.sha256(inspect.getsource(factcheck.db).encode())
    for migration in migrations.pending(connect(":memory:")):  # every migration
        schema.update(migration.name.encode())
    return f"export-{claims}-{markdown_share:g}-{schema.hexdigest()[:12]}.db"


def _migrate(path: str) -> None:
    """Apply pending migrations to ``path``, printing how long they took (not counted)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from factcheck.db import connect, migrate

    db = connect(path)
    started = time.perf_counter()
    applied = migrate(db)
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    if applied:
        print(
            f"migrated ({', '.join(applied)}) in {time.perf_counter() - started:.1f} s"
            " (not counted below)",
            flush=True,
        )


if __name__ == "__main__":
    main()
