"""Unit tests of factcheck.store: every read and write, versions, the audit log, locking."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from typing import Any

import pytest

from factcheck import ingest, store
from factcheck.config import DEFAULT_RATING_SCALE
from factcheck.db import connect
from factcheck.store import articles as store_articles
from factcheck.store import claims as store_claims
from factcheck.store import verdicts as store_verdicts
from tests.conftest import SAMPLE_ARTICLE

RATINGS = [entry["key"] for entry in DEFAULT_RATING_SCALE]

BODY = "Alpha beta gamma. The tram costs 820 million euros.\nIt opens in 2030."


def user_id(db: Any, name: str) -> int:
    return db.execute("SELECT id FROM users WHERE username = ?", (name,)).fetchone()[0]


def audit_count(db: Any) -> int:
    return db.execute("SELECT count(*) FROM audit_log").fetchone()[0]


def make_article(db: Any, body: str = BODY, claims: list[dict] | None = None, **meta: Any) -> int:
    article = {"title": meta.pop("title", "A title"), "body": body, **meta}
    return store.create_article(db, article, claims or [], None)


def claim_at(body: str, quote: str) -> dict[str, Any]:
    start = body.index(quote)
    return {"start": start, "end": start + len(quote), "quote": quote}


@pytest.fixture
def alice(db: Any) -> int:
    return user_id(db, "alice")


@pytest.fixture
def bob(db: Any) -> int:
    return user_id(db, "bob")


@pytest.fixture
def claim(db: Any, alice: int) -> dict[str, Any]:
    article = make_article(db)
    start = BODY.index("The tram")
    return store.add_claim(
        db, article, start, start + len("The tram costs 820 million euros."), alice
    )


# Articles ------------------------------------------------------------------------------------


def test_create_get_list_articles(db: Any) -> None:
    first = make_article(db, title="First", url="https://example.org/a", publisher="Pub")
    second = make_article(db, body="Another body entirely.", title="Second")
    got = store.get_article(db, first)
    assert got["title"] == "First"
    assert got["url"] == "https://example.org/a"
    assert got["publisher"] == "Pub"
    assert got["body"] == BODY
    assert got["version"] == 1
    listed = store.list_articles(db)
    assert [a["id"] for a in listed] == [second, first]  # newest first
    assert listed[1]["chars"] == len(BODY)
    assert store.count_articles(db) == 2


def test_get_unknown_article(db: Any) -> None:
    with pytest.raises(store.NotFound):
        store.get_article(db, 999)


@pytest.mark.parametrize(
    "body",
    [
        BODY,
        "Caf\u00e9 \u201cquoted\u201d \u20ac5 \U0001f600 emoji and \u4e2d\u6587.",
        "x",
    ],
)
def test_body_sha256(db: Any, body: str) -> None:
    article = store.get_article(db, make_article(db, body=body))
    assert article["body_sha256"] == hashlib.sha256(body.encode("utf-8")).hexdigest()
    assert article["body"] == body


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE articles SET body = 'changed' WHERE id = ?",
        "UPDATE articles SET body_sha256 = 'x' WHERE id = ?",
        "UPDATE articles SET body = body || ' ', body_sha256 = 'y' WHERE id = ?",
    ],
)
def test_body_is_immutable(db: Any, sql: str) -> None:
    article_id = make_article(db)
    with pytest.raises(sqlite3.DatabaseError, match="immutable"):
        db.execute(sql, (article_id,))
    assert store.get_article(db, article_id)["body"] == BODY
    # Other fields may still change.
    db.execute("UPDATE articles SET title = 'New title' WHERE id = ?", (article_id,))
    assert store.get_article(db, article_id)["title"] == "New title"


def test_duplicate_article(db: Any) -> None:
    first = make_article(db)
    before = audit_count(db)
    with pytest.raises(store.DuplicateArticle) as info:
        make_article(db, title="Different title, same body")
    assert info.value.article_id == first
    assert store.count_articles(db) == 1
    assert audit_count(db) == before


def test_stored_claims_match_body(db: Any) -> None:
    draft = ingest.prepare_article(body=SAMPLE_ARTICLE.replace("\n", "\r\n"), title="T")
    article_id = store.create_article(db, draft.article, draft.claims, None)
    body = store.get_article(db, article_id)["body"]
    claims = store.list_claims(db, article_id)
    assert len(claims) == len(draft.claims) > 0
    for c in claims:
        assert body[c["start"] : c["end"]] == c["quote"]
    assert [c["start"] for c in claims] == sorted(c["start"] for c in claims)


def test_create_article_with_misanchored_claim_stores_nothing(db: Any) -> None:
    bad = {"start": 0, "end": 5, "quote": "Beta!"}
    with pytest.raises(store.Invalid):
        make_article(db, claims=[claim_at(BODY, "gamma"), bad])
    assert store.count_articles(db) == 0
    assert db.execute("SELECT count(*) FROM claims").fetchone()[0] == 0
    assert audit_count(db) == 4  # only the fixture's four users


# Claims --------------------------------------------------------------------------------------

ASTRAL = "Start \U0001f600\U0001f680 rockets: 3 launches in 2024 \U0001f30d. End."


@pytest.mark.parametrize(
    ("body", "start", "end", "quote"),
    [
        # plain selection
        (BODY, 18, 51, "The tram costs 820 million euros."),
        # surrounding whitespace is trimmed, offsets move with it
        (BODY, 17, 52, "The tram costs 820 million euros."),
        (BODY, 51, 55, "It"),
        # astral-plane characters count as one code point each
        (ASTRAL, 6, 8, "\U0001f600\U0001f680"),
        (ASTRAL, 9, 38, "rockets: 3 launches in 2024 \U0001f30d"),
    ],
)
def test_add_claim(db: Any, alice: int, body: str, start: int, end: int, quote: str) -> None:
    article_id = make_article(db, body=body)
    claim = store.add_claim(db, article_id, start, end, alice)
    assert claim["quote"] == quote
    assert body[claim["start"] : claim["end"]] == quote
    assert claim["text"] == quote
    assert claim["origin"] == "manual"
    stored = store.get_claim(db, claim["id"])
    assert stored["quote"] == quote
    assert body[stored["start"] : stored["end"]] == quote
    # the audit entry records the anchored offsets
    entry = store.claim_history(db, claim["id"])[-1]
    assert entry["action"] == "create"
    assert entry["after"]["start"] == stored["start"]
    assert entry["after"]["end"] == stored["end"]


def test_add_claim_with_wording(db: Any, alice: int) -> None:
    article_id = make_article(db)
    claim = store.add_claim(db, article_id, 0, 5, alice, text="  Alpha is a letter  ")
    assert claim["quote"] == "Alpha"
    assert claim["text"] == "Alpha is a letter"


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (-1, 5, "outside"),
        (5, 5, "outside"),
        (10, 4, "outside"),
        (0, len(BODY) + 1, "outside"),
        (len(BODY), len(BODY) + 3, "outside"),
        (5, 6, "empty"),  # a single space
        (17, 18, "empty"),
    ],
)
def test_add_claim_invalid(db: Any, alice: int, start: int, end: int, message: str) -> None:
    article_id = make_article(db)
    before = audit_count(db)
    with pytest.raises(store.Invalid, match=message):
        store.add_claim(db, article_id, start, end, alice)
    assert store.list_claims(db, article_id) == []
    assert audit_count(db) == before


def test_add_claim_duplicate(db: Any, alice: int, bob: int) -> None:
    article_id = make_article(db)
    store.add_claim(db, article_id, 0, 5, alice)
    with pytest.raises(store.Invalid, match="already"):
        store.add_claim(db, article_id, 0, 5, bob)
    # the same passage with whitespace around it trims to the same anchor
    with pytest.raises(store.Invalid, match="already"):
        store.add_claim(db, article_id, 0, 6, bob)
    assert len(store.list_claims(db, article_id)) == 1


def test_add_claim_unknown_article(db: Any, alice: int) -> None:
    with pytest.raises(store.NotFound):
        store.add_claim(db, 999, 0, 1, alice)


def test_edit_claim_text_versions(db: Any, alice: int, bob: int, claim: dict) -> None:
    quote, start, end = claim["quote"], claim["start"], claim["end"]
    edited = store.edit_claim_text(db, claim["id"], "  Trams cost EUR 820m  ", 1, alice)
    assert edited["text"] == "Trams cost EUR 820m"
    assert edited["version"] == 2
    assert (edited["quote"], edited["start"], edited["end"]) == (quote, start, end)
    before = audit_count(db)
    with pytest.raises(store.Conflict) as info:
        store.edit_claim_text(db, claim["id"], "Bob's stale edit", 1, bob)
    assert info.value.current["text"] == "Trams cost EUR 820m"
    assert info.value.current["version"] == 2
    assert store.get_claim(db, claim["id"])["text"] == "Trams cost EUR 820m"
    assert audit_count(db) == before


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "x" * 2001])
def test_edit_claim_text_invalid(db: Any, alice: int, claim: dict, text: str) -> None:
    with pytest.raises(store.Invalid):
        store.edit_claim_text(db, claim["id"], text, 1, alice)
    assert store.get_claim(db, claim["id"])["version"] == 1


def test_edit_claim_unchanged_is_not_a_change(db: Any, alice: int, claim: dict) -> None:
    before = audit_count(db)
    same = store.edit_claim_text(db, claim["id"], claim["text"], 1, alice)
    assert same["version"] == 1
    assert audit_count(db) == before


def test_dismiss_and_restore(db: Any, alice: int, bob: int, claim: dict) -> None:
    dismissed = store.set_claim_dismissed(db, claim["id"], True, 1, alice)
    assert dismissed["dismissed"] is True
    assert dismissed["version"] == 2
    with pytest.raises(store.Conflict) as info:
        store.set_claim_dismissed(db, claim["id"], False, 1, bob)
    assert info.value.current["dismissed"] is True
    # nothing is deleted: the claim is still listed
    assert [c["id"] for c in store.list_claims(db, claim["article_id"])] == [claim["id"]]
    restored = store.set_claim_dismissed(db, claim["id"], False, 2, bob)
    assert restored["dismissed"] is False
    assert restored["version"] == 3
    actions = [e["action"] for e in store.claim_history(db, claim["id"])]
    assert actions == ["create", "dismiss", "restore"]


def test_update_unknown_claim(db: Any, alice: int) -> None:
    with pytest.raises(store.NotFound):
        store.edit_claim_text(db, 999, "x", 1, alice)
    with pytest.raises(store.NotFound):
        store.set_claim_dismissed(db, 999, True, 1, alice)


# Verdicts ------------------------------------------------------------------------------------

SOURCE = {
    "url": "https://stats.example.org/tram",
    "title": "Budget",
    "publisher": "City finance department",
    "excerpt": "820 million",
    "stance": "supports",
    "accessed": "2025-05-07",
}


def record(db: Any, claim_id: int, uid: int, version: int | None, **kw: Any) -> dict[str, Any]:
    return store.record_verdict(
        db,
        claim_id,
        uid,
        kw.get("rating", "true"),
        kw.get("rationale", "Matches the **budget**."),
        kw.get("sources", [SOURCE]),
        version,
        RATINGS,
    )


def _without_archives(sources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sources as given (each stored one also says what became of its archive)."""
    return [{k: v for k, v in s.items() if k != "archive"} for s in sources]


def test_record_verdict_create_and_update(db: Any, alice: int, claim: dict) -> None:
    created = record(db, claim["id"], alice, None)
    assert created["rating"] == "true"
    assert created["version"] == 1
    (source,) = created["sources"]
    assert source.pop("archive")["state"] == "pending"  # (the sources library's record)
    assert created["sources"] == [SOURCE]
    updated = record(
        db,
        claim["id"],
        alice,
        1,
        rating="mostly-true",
        rationale="Roughly.",
        sources=[SOURCE, {"url": "http://b.example/", "stance": "refutes", "title": "B"}],
    )
    assert updated["rating"] == "mostly-true"
    assert updated["version"] == 2
    assert [s["url"] for s in updated["sources"]] == [SOURCE["url"], "http://b.example/"]
    assert updated["sources"][1]["stance"] == "refutes"
    assert store.get_verdict(db, claim["id"], alice) == updated
    actions = [(e["action"], e["table_name"]) for e in store.claim_history(db, claim["id"])]
    assert actions == [("create", "claims"), ("create", "verdicts"), ("edit", "verdicts")]


def test_record_verdict_stale(db: Any, alice: int, claim: dict) -> None:
    record(db, claim["id"], alice, None)
    record(db, claim["id"], alice, 1, rating="false", rationale="Second tab.")
    before = audit_count(db)
    with pytest.raises(store.Conflict) as info:
        record(db, claim["id"], alice, 1, rating="half-true", rationale="First tab, stale.")
    current = info.value.current
    assert current["rating"] == "false"
    assert current["rationale"] == "Second tab."
    assert current["version"] == 2
    assert _without_archives(current["sources"]) == [SOURCE]
    stored = store.get_verdict(db, claim["id"], alice)
    assert (stored["rating"], stored["version"]) == ("false", 2)
    assert audit_count(db) == before


def test_record_verdict_new_over_existing_is_a_conflict(db: Any, alice: int, claim: dict) -> None:
    """Two tabs both creating a verdict: the second must not overwrite the first."""
    record(db, claim["id"], alice, None, rating="true")
    with pytest.raises(store.Conflict) as info:
        record(db, claim["id"], alice, None, rating="false")
    assert info.value.current["rating"] == "true"
    assert store.get_verdict(db, claim["id"], alice)["rating"] == "true"


@pytest.mark.parametrize("version", [None, 1])
def test_record_verdict_repeat_submit_is_idempotent(
    db: Any, alice: int, claim: dict, version: int | None
) -> None:
    first = record(db, claim["id"], alice, None)
    if version is not None:
        first = record(db, claim["id"], alice, 1, rating="false")
    before = audit_count(db)
    # the same submission again (a double click, a resent POST) with the version it read
    again = record(
        db, claim["id"], alice, version, rating=first["rating"], rationale=first["rationale"]
    )
    assert again == first
    assert audit_count(db) == before


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"rating": "sort-of"}, "rating scale"),
        ({"rating": ""}, "rating scale"),
        ({"rationale": "x" * 50_001}, "50,000"),
        ({"sources": [dict(SOURCE, url="")]}, "give its address"),  # a title without a URL
        ({"sources": [dict(SOURCE, stance="agrees")]}, "stance"),
    ],
)
def test_record_verdict_invalid(
    db: Any, alice: int, claim: dict, kwargs: dict, message: str
) -> None:
    before = audit_count(db)
    with pytest.raises(store.Invalid, match=message):
        record(db, claim["id"], alice, None, **kwargs)
    assert store.get_verdict(db, claim["id"], alice) is None
    assert audit_count(db) == before


def test_record_verdict_skips_blank_sources(db: Any, alice: int, claim: dict) -> None:
    blank = {"url": "", "title": " ", "publisher": "", "excerpt": "", "stance": "context"}
    verdict = record(db, claim["id"], alice, None, sources=[blank, SOURCE, blank])
    assert _without_archives(verdict["sources"]) == [SOURCE]


def test_record_verdict_unknown_claim(db: Any, alice: int) -> None:
    with pytest.raises(store.NotFound):
        record(db, 999, alice, None)


def test_verdicts_are_per_reviewer(db: Any, alice: int, bob: int, claim: dict) -> None:
    record(db, claim["id"], alice, None, rating="true")
    record(db, claim["id"], bob, None, rating="false", sources=[])
    verdicts = store.list_verdicts(db, claim["id"])
    assert [(v["reviewer"], v["rating"]) for v in verdicts] == [("alice", "true"), ("bob", "false")]
    assert store.get_verdict(db, claim["id"], bob)["sources"] == []


# The audit log -------------------------------------------------------------------------------


def test_one_audit_entry_per_change(db: Any, alice: int) -> None:
    steps = [
        ("create", lambda: make_article(db)),
        ("create", lambda: store.add_claim(db, 1, 0, 5, alice)),
        ("edit", lambda: store.edit_claim_text(db, 1, "Alpha!", 1, alice)),
        ("dismiss", lambda: store.set_claim_dismissed(db, 1, True, 2, alice)),
        ("restore", lambda: store.set_claim_dismissed(db, 1, False, 3, alice)),
        ("create", lambda: record(db, 1, alice, None)),
        ("edit", lambda: record(db, 1, alice, 1, rating="false")),
    ]
    for action, step in steps:
        before = audit_count(db)
        step()
        assert audit_count(db) == before + 1
        last = db.execute("SELECT action FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()[0]
        assert last == action


@pytest.mark.parametrize(
    "change",
    [
        lambda db, uid, cid: store.add_claim(db, 1, 0, 5, uid),
        lambda db, uid, cid: store.edit_claim_text(db, cid, "Changed", 1, uid),
        lambda db, uid, cid: store.set_claim_dismissed(db, cid, True, 1, uid),
        lambda db, uid, cid: record(db, cid, uid, None),
        lambda db, uid, cid: make_article(db, body="A different body."),
    ],
)
def test_change_and_audit_share_a_transaction(
    db: Any, alice: int, claim: dict, monkeypatch: Any, change: Any
) -> None:
    """When writing the audit entry fails, the change itself is rolled back."""
    tables = ["articles", "claims", "verdicts", "sources", "audit_log"]
    snapshot = {t: db.execute(f"SELECT * FROM {t}").fetchall() for t in tables}  # noqa: S608

    def broken_audit(*args: Any, **kwargs: Any) -> None:
        raise sqlite3.OperationalError("disk I/O error (simulated)")

    for module in (store_articles, store_claims, store_verdicts):  # (where each change finds it)
        monkeypatch.setattr(module, "_audit", broken_audit)
    with pytest.raises(sqlite3.OperationalError):
        change(db, alice, claim["id"])
    assert not db.conn.in_transaction
    for table in tables:
        rows = db.execute(f"SELECT * FROM {table}").fetchall()  # noqa: S608
        assert [tuple(r) for r in rows] == [tuple(r) for r in snapshot[table]], table


# Locking and concurrency ---------------------------------------------------------------------


@pytest.fixture
def locker(app: Any) -> Any:
    """A second connection holding the write lock (``BEGIN IMMEDIATE``) until released."""
    other = sqlite3.connect(app.config["DATABASE"], isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    yield other
    if other.in_transaction:
        other.execute("ROLLBACK")
    other.close()


@pytest.mark.parametrize(
    "write",
    [
        lambda db, uid, cid: make_article(db, body="Locked out."),
        lambda db, uid, cid: store.add_claim(db, 1, 0, 5, uid),
        lambda db, uid, cid: store.edit_claim_text(db, cid, "Changed", 1, uid),
        lambda db, uid, cid: store.set_claim_dismissed(db, cid, True, 1, uid),
        lambda db, uid, cid: record(db, cid, uid, None),
        lambda db, uid, cid: store.create_user(db, "carol", "long enough pw"),
    ],
)
def test_locked_database_raises_busy(
    app: Any, db: Any, alice: int, claim: dict, locker: Any, write: Any
) -> None:
    tables = ["users", "articles", "claims", "verdicts", "sources", "audit_log"]
    counts = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}  # noqa: S608
    impatient = connect(app.config["DATABASE"], busy_timeout_ms=100)
    try:
        with pytest.raises(store.Busy):
            write(impatient, alice, claim["id"])
        assert not impatient.conn.in_transaction
        locker.execute("ROLLBACK")
        for table in tables:
            count = impatient.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
            assert count == counts[table], table
        # once the lock is gone the same connection writes normally
        write(impatient, alice, claim["id"])
    finally:
        impatient.close()


def test_busy_waits_for_a_short_lock(app: Any, db: Any, alice: int, claim: dict) -> None:
    """A lock released within the busy timeout is waited for, not reported."""
    other = sqlite3.connect(
        app.config["DATABASE"], isolation_level=None, timeout=0, check_same_thread=False
    )
    other.execute("BEGIN IMMEDIATE")
    timer = threading.Timer(0.15, lambda: other.execute("ROLLBACK"))
    patient = connect(app.config["DATABASE"], busy_timeout_ms=5000)
    try:
        timer.start()
        edited = store.edit_claim_text(patient, claim["id"], "Waited", 1, alice)
        assert edited["version"] == 2
    finally:
        timer.join()
        patient.close()
        other.close()


def test_concurrent_saves_of_the_same_version(app: Any, db: Any, alice: int, claim: dict) -> None:
    record(db, claim["id"], alice, None)
    barrier = threading.Barrier(2)
    outcomes: list[Any] = [None, None]

    def save(index: int) -> None:
        conn = connect(app.config["DATABASE"], busy_timeout_ms=5000)
        try:
            barrier.wait()
            outcomes[index] = record(
                conn, claim["id"], alice, 1, rating="false", rationale=f"Tab {index}."
            )
        except store.StoreError as exc:
            outcomes[index] = exc
        finally:
            conn.close()

    threads = [threading.Thread(target=save, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    winners = [o for o in outcomes if isinstance(o, dict)]
    conflicts = [o for o in outcomes if isinstance(o, store.Conflict)]
    assert len(winners) == 1 and len(conflicts) == 1, outcomes
    assert conflicts[0].current["rationale"] == winners[0]["rationale"]
    assert conflicts[0].current["version"] == 2
    stored = store.get_verdict(db, claim["id"], alice)
    assert stored["rationale"] == winners[0]["rationale"]
    assert stored["version"] == 2
    edits = db.execute("SELECT count(*) FROM audit_log WHERE action = 'edit'").fetchone()[0]
    assert edits == 1


# Read snapshots ------------------------------------------------------------------------------


def ratings_of(db: Any, claim_id: int) -> list[str]:
    rows = db.execute("SELECT rating FROM verdicts WHERE claim_id = ? ORDER BY id", (claim_id,))
    return [row[0] for row in rows]


def wal_reset(path: str) -> bool:
    """Whether the WAL can be checkpointed and truncated now: not while any read transaction
    still uses it (asked without waiting)."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=0)
    try:
        busy, _log, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return busy == 0
    finally:
        conn.close()


def test_a_snapshot_sees_the_moment_it_began(
    app: Any, db: Any, alice: int, bob: int, claim: dict
) -> None:
    record(db, claim["id"], alice, None, rating="true")
    with store.snapshot(db) as snap:
        assert snap is not db
        # Committed before the snapshot's first read by the caller: still not seen.
        verdict = store.get_verdict(db, claim["id"], alice)
        record(db, claim["id"], alice, verdict["version"], rating="false")
        record(db, claim["id"], bob, None, rating="half-true")
        assert ratings_of(snap, claim["id"]) == ["true"]
        assert ratings_of(db, claim["id"]) == ["false", "half-true"]
        with db.conn:
            db.conn.execute("DELETE FROM sources")
            db.conn.execute("DELETE FROM verdicts")
        assert ratings_of(snap, claim["id"]) == ["true"]
        assert snap.execute("SELECT count(*) FROM sources").fetchone()[0] == 1
    # A new snapshot sees everything committed.
    with store.snapshot(db) as snap:
        assert ratings_of(snap, claim["id"]) == []


def test_writers_are_not_blocked_by_a_snapshot(
    app: Any, db: Any, alice: int, bob: int, claim: dict
) -> None:
    """Writers on other connections, in this thread and in another, commit at once (a busy
    timeout of 0: any wait for the snapshot would raise Busy)."""
    path = app.config["DATABASE"]
    record(db, claim["id"], alice, None, rating="true")
    with store.snapshot(db) as snap:
        assert ratings_of(snap, claim["id"]) == ["true"]
        impatient = connect(path, busy_timeout_ms=0)
        try:
            record(impatient, claim["id"], bob, None, rating="false")
        finally:
            impatient.close()
        outcome: list[Any] = []

        def write() -> None:
            conn = connect(path, busy_timeout_ms=0)
            try:
                verdict = store.get_verdict(conn, claim["id"], alice)
                outcome.append(record(conn, claim["id"], alice, verdict["version"], rating="false"))
            except Exception as exc:  # (reported below)
                outcome.append(exc)
            finally:
                conn.close()

        thread = threading.Thread(target=write)
        thread.start()
        thread.join(10)
        assert isinstance(outcome[0], dict), outcome
        assert ratings_of(snap, claim["id"]) == ["true"]
    assert ratings_of(db, claim["id"]) == ["false", "false"]


def test_a_snapshot_cannot_write_and_leaves_the_callers_connection_free(
    app: Any, db: Any, alice: int, claim: dict
) -> None:
    with store.snapshot(db) as snap:
        assert snap.conn.in_transaction and not db.conn.in_transaction
        with pytest.raises(RuntimeError, match="read snapshot"):
            with store.transaction(snap):
                pass
        with pytest.raises(RuntimeError, match="read snapshot"):
            record(snap, claim["id"], alice, None)
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            snap.execute("UPDATE claims SET text = 'x'")
        # The caller's own connection writes in its own transactions meanwhile.
        saved = record(db, claim["id"], alice, None, rating="false")
        assert store.get_verdict(db, claim["id"], alice)["version"] == saved["version"]
        assert store.get_verdict(snap, claim["id"], alice) is None
        # Nested snapshots share the outer one.
        with store.snapshot(snap) as inner:
            assert inner is snap
        assert snap.conn.in_transaction
    assert not snap.conn.in_transaction


def test_a_snapshot_ends_however_its_block_ends(app: Any, db: Any, alice: int, claim: dict) -> None:
    path = app.config["DATABASE"]
    with pytest.raises(ZeroDivisionError):
        with store.snapshot(db) as snap:
            ratings_of(snap, claim["id"])
            record(db, claim["id"], alice, None)
            assert not wal_reset(path)  # (the check can fail: the snapshot holds the WAL)
            1 / 0  # noqa: B018
    assert not snap.conn.in_transaction
    assert wal_reset(path)
    # A stream over a snapshot: closed early, or dropped, it ends its snapshot.
    for end, rating in (("close", "false"), ("drop", "half-true")):
        stream = store.in_snapshot(
            db, lambda snap: (row[0] for row in snap.execute("SELECT id FROM claims"))
        )
        next(stream)
        verdict = store.get_verdict(db, claim["id"], alice)
        record(db, claim["id"], alice, verdict["version"], rating=rating)
        assert not wal_reset(path)
        if end == "close":
            stream.close()
        else:
            del stream
        assert wal_reset(path), end
    # A stream never started opens nothing.
    store.in_snapshot(db, lambda snap: iter(()))
    assert wal_reset(path)


def test_the_thread_reuses_its_read_connection(db: Any) -> None:
    with store.snapshot(db) as first:
        pass
    with store.snapshot(db) as again:
        assert again is first
        with store.snapshot(db) as other:  # (another snapshot while one is open: its own)
            assert other is not first
            assert other.conn.in_transaction
    assert not first.conn.in_transaction


def test_a_selected_passage_is_found_in_the_text(db: Any, article_id: int) -> None:
    """store.add_claim_at_passage: the quote at the offset the page sent, else the occurrence
    (blank space trimmed, line ends as stored) nearest it; refused when not in the text."""
    body = store.get_article(db, article_id)["body"]
    assert store.find_passage("a b a b", "a b", 3) == 4 and store.find_passage("ab", "", 0) is None
    word = next(w for w in body.split() if w.isalpha() and len(w) > 3 and body.count(w) == 1)
    at = body.index(word)
    claim = store.add_claim_at_passage(db, article_id, f" {word}\r\n", at + 50, None)
    assert (claim["start"], claim["end"], claim["quote"]) == (at, at + len(word), word)
    with pytest.raises(store.Invalid, match="not in the article's text"):
        store.add_claim_at_passage(db, article_id, "words never written here", 0, None)
