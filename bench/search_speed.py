"""Claim search speed: the search page's query and "earlier checks of similar claims".

Seeds a database of news-like claims (the load benchmark's generator: templated sentences
with figures, so many claims share many words, the hard case for a ranked OR query), or
reuses it from ``--cache-dir``, then times in this process, on warm caches:

- ``search``: :func:`factcheck.search.search` (one page of 20) for typed queries, best
  match first and newest first, as an editor (every article) and as a reviewer (the
  articles assigned to them);
- ``similar``: :func:`factcheck.search.similar` (5 results) for random claims, likewise.

Prints p50/p95/max milliseconds of each, and the time to build the index (migration m007)
over the seeded claims.

    python bench/search_speed.py --claims 200000
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

QUERIES = [
    "unemployment",
    "million euros",
    "the project will cost",
    "rents climbed",
    '"waiting times"',
    "emissions 2019",
    "harbour OR riverton",
    "jobs lost",
    "statistics office",
    "zzz nothing matches",
]


def seed(path: str, n_claims: int, per_article: int) -> None:
    from load import make_article

    from factcheck import store
    from factcheck.db import connect, migrate, migrations

    db = connect(path)
    db.conn.execute("PRAGMA foreign_keys = OFF")
    migrations.apply(db, stop_before="m007_claims_fts")
    db.conn.execute("PRAGMA foreign_keys = ON")
    rng = random.Random(7)
    editor = store.create_user(db, "editor", "bench password 123", role="editor")["id"]
    reviewer = store.create_user(db, "reviewer", "bench password 123", role="reviewer")["id"]
    n_articles = max(1, n_claims // per_article)
    started = time.perf_counter()
    for number in range(n_articles):
        article, claims = make_article(rng, number, per_article)
        article_id = store.create_article(db, article, claims, None)
        if number % 20 == 0:  # the reviewer sees one article in twenty
            store.set_assignments(db, article_id, [reviewer], editor)
    claim_ids = [row[0] for row in db.execute("SELECT id FROM claims ORDER BY id")]
    ratings = ["true", "mostly-true", "half-true", "mostly-false", "false"]
    for claim_id in rng.sample(claim_ids, min(len(claim_ids) // 4, 50_000)):
        store.record_final_verdict(db, claim_id, editor, rng.choice(ratings), "", None, ratings)
    print(f"seeded {len(claim_ids):,} claims in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    applied = migrate(db)
    print(f"index built ({', '.join(applied)}) in {time.perf_counter() - started:.1f} s")
    db.conn.execute("ANALYZE")
    db.close()


def timed(call, repeat: int = 1) -> float:
    started = time.perf_counter()
    for _ in range(repeat):
        call()
    return (time.perf_counter() - started) / repeat * 1000


def report(name: str, values: list[float]) -> None:
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
    print(
        f"  {name:<22} n={len(values):>4}  p50 {statistics.median(values):8.2f} ms"
        f"  p95 {p95:8.2f} ms  max {values[-1]:8.2f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=200_000)
    parser.add_argument("--per-article", type=int, default=50)
    parser.add_argument("--samples", type=int, default=200, help="claims timed for similar")
    parser.add_argument(
        "--cache-dir",
        default=os.path.join(tempfile.gettempdir(), "factcheck-bench"),
        help="where the seeded database is kept between runs",
    )
    args = parser.parse_args()

    from factcheck import search, store
    from factcheck.db import connect, migrate

    os.makedirs(args.cache_dir, exist_ok=True)
    path = os.path.join(args.cache_dir, f"search-{args.claims}-{args.per_article}.db")
    if not os.path.exists(path):
        seed(path + ".tmp", args.claims, args.per_article)
        os.replace(path + ".tmp", path)
        for suffix in ("-wal", "-shm", ".writelock"):
            if os.path.exists(path + ".tmp" + suffix):
                os.remove(path + ".tmp" + suffix)
    db = connect(path)
    migrate(db)
    users = {u["username"]: u for u in store.list_users(db)}
    total = db.execute("SELECT count(*) FROM claims").fetchone()[0]
    print(f"{total:,} claims in {path}")
    labels: dict[str, str] = {}
    rng = random.Random(11)
    sample = rng.sample(range(1, total + 1), min(args.samples, total))
    for who in ("editor", "reviewer"):
        user = users[who]
        print(f"as {who}:")
        for blind in (True,):
            for sort in ("relevance", "newest"):
                times = []
                for query in QUERIES:
                    search.search(db, user, query, blind=blind, labels=labels, sort=sort)  # warm
                    times.append(
                        timed(
                            lambda q=query, u=user, b=blind, o=sort: search.search(
                                db, u, q, blind=b, labels=labels, sort=o
                            ),
                            3,
                        )
                    )
                report(f"search {sort} (20)", times)
            times = []
            found = 0
            for claim_id in sample:
                claim = store.get_claim(db, claim_id)
                started = time.perf_counter()
                results = search.similar(db, user, claim, blind=blind, labels=labels)
                times.append((time.perf_counter() - started) * 1000)
                found += len(results)
            report("similar (5)", times)
            print(f"  similar results per claim: {found / len(sample):.2f}")
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
