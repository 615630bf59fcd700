"""The claims' full-text index (migration m007) and store.search_claims.

The index follows every writer (store, import, plain SQL); searches leave dismissed claims
out, match without accents or case, and never fail on what a user types.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from factcheck import search, store
from factcheck.config import DEFAULTS
from factcheck.db import connect, migrate, migrations
from factcheck.store.imports import items_from_json
from factcheck.store.search import MARK_END, MARK_START

RATINGS = [entry["key"] for entry in DEFAULTS["RATING_SCALE"]]


def make_article(db: Any, title: str, sentences: list[str], **meta: Any) -> list[int]:
    """An article whose claims are exactly ``sentences`` (quote = wording); their ids."""
    body = " ".join(sentences)
    claims, start = [], 0
    for sentence in sentences:
        claims.append({"start": start, "end": start + len(sentence), "quote": sentence})
        start += len(sentence) + 1
    article_id = store.create_article(db, {"title": title, "body": body, **meta}, claims, None)
    return [c["id"] for c in store.list_claims(db, article_id)]


def ids(db: Any, typed: str, **kwargs: Any) -> list[int]:
    match = search.parse_query(typed).match
    assert match is not None
    return [r["id"] for r in store.search_claims(db, match, **kwargs)]


def index_matches_claims(db: Any) -> bool:
    """Whether claims_fts holds exactly every claim's current text and quote."""
    row = db.execute(
        "SELECT (SELECT count(*) FROM claims) = (SELECT count(*) FROM claims_fts)"
        " AND NOT EXISTS (SELECT 1 FROM claims c LEFT JOIN claims_fts x ON x.rowid = c.id"
        "   WHERE x.rowid IS NULL OR x.text IS NOT c.text OR x.quote IS NOT c.quote)"
    ).fetchone()
    return bool(row[0])


@pytest.fixture
def harbour(db: Any) -> list[int]:
    return make_article(
        db,
        "Harbour",
        [
            "The harbour ferry carries 4,000 passengers a day.",
            "Le café du port coûte 3 euros à Zürich.",
            "Households near the river were evacuated.",
        ],
        publisher="Courier",
        published="2025-03-01",
    )


def test_index_follows_inserts(db: Any, harbour: list[int]) -> None:
    assert ids(db, "ferry") == [harbour[0]]
    assert index_matches_claims(db)
    added = make_article(db, "Second", ["Another ferry line opens in May."])
    assert set(ids(db, "ferry")) == {harbour[0], added[0]}


def test_index_follows_rewording(db: Any, harbour: list[int]) -> None:
    claim = store.get_claim(db, harbour[0])
    store.edit_claim_text(
        db, claim["id"], "The tunnel shuttle runs hourly.", claim["version"], None
    )
    assert ids(db, "shuttle") == [harbour[0]]
    # The quote is still indexed (it did not change), the old wording is not.
    assert ids(db, "ferry") == [harbour[0]]
    assert ids(db, "carries") == [harbour[0]]  # (in the quote)
    assert store.search_claims(db, '"ferry"')[0]["text"] == "The tunnel shuttle runs hourly."
    store.edit_claim_text(db, claim["id"], "Quiet now.", claim["version"] + 1, None)
    assert ids(db, "shuttle") == []
    assert index_matches_claims(db)


def test_dismissed_claims_are_left_out_and_come_back(db: Any, harbour: list[int]) -> None:
    claim = store.get_claim(db, harbour[2])
    store.set_claim_dismissed(db, claim["id"], True, claim["version"], None)
    assert ids(db, "households") == []
    store.set_claim_dismissed(db, claim["id"], False, claim["version"] + 1, None)
    assert ids(db, "households") == [harbour[2]]


def test_index_follows_plain_sql(db: Any, harbour: list[int]) -> None:
    """Triggers, not the store, keep the index: any writer is followed."""
    conn = db.conn
    conn.execute("UPDATE claims SET text = 'Trams replace the buses' WHERE id = ?", (harbour[0],))
    assert ids(db, "trams") == [harbour[0]]
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("DELETE FROM claims WHERE id = ?", (harbour[1],))
    assert ids(db, "cafe") == []
    # INSERT OR REPLACE deletes without firing the delete trigger: still no stale entry.
    conn.execute(
        'INSERT OR REPLACE INTO claims (id, article_id, start, "end", quote, text, created_at,'
        " updated_at) VALUES (?, 1, 0, 3, 'The', 'Bridges close at night', 'x', 'x')",
        (harbour[2],),
    )
    conn.execute("PRAGMA foreign_keys = ON")
    assert ids(db, "households") == []
    assert ids(db, "bridges") == [harbour[2]]
    assert index_matches_claims(db)


def test_index_follows_imports(db: Any, tmp_path: Path) -> None:
    records = [{"title": "Imported", "text": "The new bridge will cost 90 million euros."}]
    summary = store.import_items(
        db, items_from_json(json.dumps(records), "a.json"), ratings=RATINGS, max_bytes=10_000
    )
    assert len(summary.imported) == 1
    found = store.search_claims(db, search.parse_query("bridge million").match)
    assert found and found[0]["article_id"] == summary.imported[0]["article_id"]
    assert index_matches_claims(db)


def test_migration_backfills_existing_claims(tmp_path: Path) -> None:
    """A database with claims from before m007 gets them indexed by the migration."""
    db = connect(str(tmp_path / "old.db"))
    db.conn.execute("PRAGMA foreign_keys = OFF")
    migrations.apply(db, stop_before="m007_claims_fts")
    db.conn.execute("PRAGMA foreign_keys = ON")
    assert not db["claims_fts"].exists()
    # (written as the schema before m007 held it: today's store writes later columns too)
    quote, stamp = "The old pier was rebuilt in 1990.", store.now()
    article_id = db.execute(
        "INSERT INTO articles (title, body, body_sha256, created_at, updated_at)"
        " VALUES ('Old', ?, ?, ?, ?)",
        (quote, store.sha256(quote), stamp, stamp),
    ).lastrowid
    claim_ids = [
        db.execute(
            'INSERT INTO claims (article_id, start, "end", quote, text, created_at, updated_at)'
            " VALUES (?, 0, ?, ?, ?, ?, ?)",
            (article_id, len(quote), quote, quote, stamp, stamp),
        ).lastrowid
    ]
    db.conn.commit()
    assert migrate(db)[:1] == ["m007_claims_fts"]
    assert ids(db, "pier") == claim_ids
    assert index_matches_claims(db)
    db.close()


@pytest.mark.parametrize(
    ("typed", "which"),
    [
        ("cafe", 1),  # no accent typed, accent stored
        ("CAFÉ", 1),  # case and accent
        ("zurich", 1),
        ("Zürich", 1),
        ("coute", 1),
        ("household", 2),  # stem: the claim says "Households"
        ("evacuate", 2),
        ("passenger", 0),
        ("harb*", 0),  # prefix
        ('"harbour ferry"', 0),  # phrase
        ("ferry OR households", None),
    ],
)
def test_matching(db: Any, harbour: list[int], typed: str, which: int | None) -> None:
    found = ids(db, typed)
    if which is None:
        assert set(found) == {harbour[0], harbour[2]}
    else:
        assert found == [harbour[which]]


def test_phrase_needs_the_words_together(db: Any, harbour: list[int]) -> None:
    assert ids(db, '"ferry harbour"') == []
    assert ids(db, "ferry harbour") == [harbour[0]]


def test_highlight_marks_the_matched_words(db: Any, harbour: list[int]) -> None:
    (result,) = store.search_claims(db, search.parse_query("cafe zurich").match)
    marked = result["text_marked"]
    assert marked.replace(MARK_START, "").replace(MARK_END, "") == result["text"]
    assert search.split_marked(marked, result["text"]) == [
        ("Le ", False),
        ("café", True),
        (" du port coûte 3 euros à ", False),
        ("Zürich", True),
        (".", False),
    ]


# Hostile input: every one gives an answer (maybe empty), never an FTS5 syntax error.
HOSTILE = [
    '"',
    '""',
    '"""',
    "*",
    "**",
    "ferry*",
    "*ferry",
    "NEAR(",
    "NEAR(ferry harbour, 2)",
    "NEAR",
    "AND OR",
    "OR",
    "AND",
    "NOT",
    "ferry NOT",
    "NOT ferry",
    "ferry AND",
    "ferry OR",
    "OR ferry",
    "(((",
    ")))",
    "(ferry",
    "ferry)",
    "text:ferry",
    "quote:ferry",
    "{text quote}: ferry",
    "^ferry",
    "-ferry",
    "+ferry",
    "ferry -harbour",
    "' OR 1=1 --",
    "'; DROP TABLE claims; --",
    "\x00",
    "ferry\x00harbour",
    "\u202eferry",
    "🚢 ferry",
    "日本語",
    "ﬀ",
    "_",
    "ferry_harbour",
    "a" * 10_000,
    "ferry " * 2_000,
    '"' * 5_000,
    "NEAR(" * 2_000,
    "(" * 5_000 + "ferry",
    "x" + "\u0301" * 500,
    '"' + "ferry " * 300 + '"',
    "a* b* c* d*",
]


@pytest.mark.parametrize("typed", HOSTILE, ids=lambda t: repr(t[:20]))
def test_hostile_queries_never_fail(db: Any, harbour: list[int], typed: str) -> None:
    query = search.parse_query(typed)
    if query.match is None:
        return
    assert len(query.terms) <= search.MAX_TERMS
    try:
        store.search_claims(db, query.match)
    except sqlite3.OperationalError as exc:  # pragma: no cover - the failure being tested
        pytest.fail(f"{typed[:40]!r} -> {query.match[:80]!r}: {exc}")


def test_hostile_words_are_searched_as_words(db: Any) -> None:
    claim_ids = make_article(db, "Near", ["The NEAR agreement was signed AND ratified."])
    assert ids(db, "NEAR(") == claim_ids
    assert ids(db, "agreement NOT") == []  # NOT is a word here, and absent
    assert ids(db, "agreement AND ratified") == claim_ids  # AND is what words do anyway
    assert ids(db, '"signed AND ratified"') == claim_ids  # in a phrase, a word
    assert ids(db, "text:agreement") == []  # "text" is a word too, and absent


def test_scope_and_exclusion(db: Any, harbour: list[int]) -> None:
    alice = store.user_by_name(db, "alice")
    other = make_article(db, "Other", ["A ferry strike is planned."])
    assert set(ids(db, "ferry")) == {harbour[0], other[0]}
    assert ids(db, "ferry", visible_to=alice["id"]) == []
    store.set_assignments(db, store.get_claim(db, other[0])["article_id"], [alice["id"]], None)
    assert ids(db, "ferry", visible_to=alice["id"]) == other
    harbour_article = store.get_claim(db, harbour[0])["article_id"]
    assert ids(db, "ferry", exclude_article=harbour_article) == other


def test_prefer_final_and_pages(db: Any) -> None:
    edna = store.user_by_name(db, "edna")
    alice = store.user_by_name(db, "alice")
    first = make_article(db, "A", ["Ferry fares rise by 10 percent in the ferry season."])
    second = make_article(db, "B", ["Ferry fares rise."])
    match = search.similar_query("ferry fares rise")
    assert [r["id"] for r in store.search_claims(db, match)] == second + first
    store.record_final_verdict(db, first[0], edna["id"], "false", "No.", None, RATINGS)
    preferred = store.search_claims(db, match, prefer_final=True)
    assert [r["id"] for r in preferred] == first + second
    assert preferred[0]["final"] == {"rating": "false"}
    # Under blind review a reviewer without a verdict of their own does not see that final
    # verdict, so it does not move the claim up for them either.
    hidden = store.search_claims(
        db, match, prefer_final=True, viewer_id=alice["id"], sees_all_finals=False
    )
    assert [r["id"] for r in hidden] == second + first and not hidden[1]["own"]
    store.record_verdict(db, first[0], alice["id"], "true", "", [], None, RATINGS)
    mine = store.search_claims(
        db, match, prefer_final=True, viewer_id=alice["id"], sees_all_finals=False
    )
    assert [r["id"] for r in mine] == first + second and mine[0]["own"]
    assert mine[0]["verdicts"] == [{"reviewer": "alice", "rating": "true"}]
    # Pages
    assert [r["id"] for r in store.search_claims(db, match, limit=1, offset=1)] == first
    assert store.search_claims(db, match, limit=1, offset=2) == []


def test_newest_first(db: Any, harbour: list[int]) -> None:
    later = make_article(db, "Later", ["A second ferry joins the fleet.", "Ferry fares fall."])
    dismissed = store.get_claim(db, later[1])
    store.set_claim_dismissed(db, dismissed["id"], True, dismissed["version"], None)
    assert ids(db, "ferry", newest=True) == [later[0], harbour[0]]
    assert ids(db, "ferry", newest=True, limit=1, offset=1) == [harbour[0]]


@pytest.mark.parametrize(
    ("factor", "minimum", "maximum"),
    [(4, 200, 2000), (1, 1, 2000), (1, 3, 2000), (2, 5, 2000), (4, 200, 0)],
    ids=["index-ranked", "tiny-fallback", "small", "medium", "joined-only"],
)
def test_ranking_in_the_index_gives_the_joined_order(
    db: Any, monkeypatch: Any, factor: int, minimum: int, maximum: int
) -> None:
    """Ranking the best matches in the index alone, then keeping those in scope, gives the
    same pages as ranking every match joined with its claim (forced here through every
    path: enough candidates, too few so that it falls back, a page too deep)."""
    from factcheck.store import search as store_search

    alice = store.user_by_name(db, "alice")
    articles = []
    for n in range(6):
        sentences = [
            f"Ferry {'ferry ' * (k % 3)}route {n}-{k} carries {k * 100} passengers."
            for k in range(8)
        ]
        claim_ids = make_article(db, f"Ferries {n}", sentences)
        articles.append(store.get_claim(db, claim_ids[0])["article_id"])
        for claim_id in claim_ids[::3]:
            claim = store.get_claim(db, claim_id)
            store.set_claim_dismissed(db, claim_id, True, claim["version"], None)
    store.set_assignments(db, articles[4], [alice["id"]], None)
    match = search.parse_query("ferry passengers").match

    def pages(**scope: Any) -> list[list[int]]:
        return [
            [r["id"] for r in store.search_claims(db, match, limit=7, offset=o, **scope)]
            for o in (0, 7, 14, 21, 28, 35)
        ]

    monkeypatch.setattr(store_search, "RANKED_MAX", 0)  # the joined query only
    reference = {
        "all": pages(),
        "alice": pages(visible_to=alice["id"]),
        "other": pages(exclude_article=articles[0]),
    }
    assert sum(len(p) for p in reference["all"]) == 6 * 5  # (8 claims, 3 dismissed)
    assert sum(len(p) for p in reference["alice"]) == 5
    monkeypatch.setattr(store_search, "RANKED_FACTOR", factor)
    monkeypatch.setattr(store_search, "RANKED_MIN", minimum)
    monkeypatch.setattr(store_search, "RANKED_MAX", maximum)
    assert pages() == reference["all"]
    assert pages(exclude_article=articles[0]) == reference["other"]
    # (A reviewer's scope is ranked joined; the index-first path is checked with it too.)
    scope = {"visible_to": None, "limit": 7, "offset": 0}
    for offset in (0, 7):
        visible = "c.article_id = :article"
        found = store_search._ranked_in_index(
            db,
            match,
            f"NOT c.dismissed AND {visible}",
            scope | {"offset": offset, "article": articles[4]},
        )
        expected = reference["alice"][offset // 7]
        assert found is None or [row[0] for row in found] == expected
