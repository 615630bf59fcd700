"""The claimant and the wording's source (issue 10, migration m008): store, migration,
exports (fast path == record path), import round trip."""

from __future__ import annotations

import json
from typing import Any

import pytest

from factcheck import store
from factcheck.store import exports as store_exports
from tests.test_store_exports import (
    OKAFOR,
    OKAFOR_CLAIMS,
    SCALE,
    assert_fragments_current,
    build_varied_desk,
    desk_before,
    fast_and_reference,
)


def user_id(db: Any, name: str) -> int:
    return store.user_by_name(db, name)["id"]


@pytest.fixture
def okafor(db: Any) -> int:
    article = {"title": "Exports", "body": OKAFOR, "publisher": "The Courier"}
    return store.create_article(db, article, OKAFOR_CLAIMS, None)


def by_quote(db: Any, article_id: int) -> dict[str, dict[str, Any]]:
    return {c["quote"]: c for c in store.list_claims(db, article_id)}


# Store ---------------------------------------------------------------------------------------


def test_extracted_claims_keep_the_claimant_and_the_wording_source(db: Any, okafor: int) -> None:
    claims = store.list_claims(db, okafor)
    assert len(claims) == 3
    fell, closed, firms = claims
    assert fell["claimant"] == "Maria Okafor" and fell["claimant_kind"] == "person"
    assert OKAFOR[fell["claimant_start"] : fell["claimant_end"]] == "Maria Okafor"
    assert fell["wording_source"] == "rewritten"
    assert [OKAFOR[s:e] for s, e in fell["wording_spans"]] == [
        "Maria Okafor",
        "exports fell 12% in 2024",
    ]
    assert closed["wording_source"] == "quote"
    # A claimant without a mention's offsets (an organization named by a common noun).
    assert firms["claimant"] == "the ministry" and firms["claimant_start"] is None
    assert firms["claimant_kind"] == "organization" and firms["wording_spans"] == []


def test_claims_without_the_keys_are_the_publications_rewritten(db: Any) -> None:
    body = "The council voted 28 to 9 on Monday."
    claim = {"start": 0, "end": len(body), "quote": body, "text": body, "checkworthy": True}
    article = store.create_article(db, {"title": "t", "body": body}, [claim], None)
    (stored,) = store.list_claims(db, article)
    assert stored["claimant"] is None and stored["claimant_kind"] is None
    assert stored["claimant_start"] is None and stored["claimant_end"] is None
    assert stored["wording_source"] == "rewritten" and stored["wording_spans"] == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"claimant_start": 5, "claimant_end": 500}, "outside the article"),
        ({"claimant_start": 9, "claimant_end": 3}, "outside the article"),
        ({"claimant_start": "1", "claimant_end": 3}, "whole number"),
        ({"claimant_start": 1, "claimant_end": None}, "whole number"),
        ({"claimant_kind": "robot"}, "person or an organization"),
        ({"wording_source": "guess"}, "wording_source"),
        ({"wording_spans": [[0, 10_000]]}, "outside the article"),
        ({"wording_spans": [[3]]}, r"list of \[start, end\]"),
        ({"wording_spans": "0-4"}, r"list of \[start, end\]"),
        ({"claimant": 7}, "name"),
        ({"claimant": "x" * 301}, "at most 300"),
    ],
)
def test_bad_claimant_keys_are_refused(db: Any, change: dict[str, Any], message: str) -> None:
    claim = {**OKAFOR_CLAIMS[0], **change}
    with pytest.raises(store.Invalid, match=message):
        store.create_article(db, {"title": "t", "body": OKAFOR}, [claim], None)
    assert store.count_articles(db) == 0


def test_a_claimant_without_a_name_is_the_publication(db: Any) -> None:
    claim = {**OKAFOR_CLAIMS[0], "claimant": "  ", "claimant_kind": "person"}
    article = store.create_article(db, {"title": "t", "body": OKAFOR}, [claim], None)
    (stored,) = store.list_claims(db, article)
    assert stored["claimant"] is None and stored["claimant_kind"] is None
    assert stored["claimant_start"] is None


def test_added_claims_say_whether_their_wording_was_typed(db: Any, okafor: int) -> None:
    alice = user_id(db, "alice")
    start = OKAFOR.index("The ministry's")
    typed = store.add_claim(db, okafor, start, start + 20, alice, "The ministry counts firms.")
    assert typed["wording_source"] == "edited" and typed["claimant"] is None
    plain = store.add_claim(db, okafor, start, start + 14, alice)
    assert plain["wording_source"] == "quote" and plain["text"] == plain["quote"]
    name = OKAFOR.index("Maria Okafor")
    extra = {
        "claimant": "Maria Okafor",
        "claimant_kind": "person",
        "claimant_start": name,
        "claimant_end": name + 12,
    }
    said = store.add_claim(db, okafor, start, start + 30, alice, None, extra)
    assert said["claimant"] == "Maria Okafor" and said["claimant_start"] == name
    history = store.claim_history(db, said["id"])
    assert history[0]["after"]["claimant"] == "Maria Okafor"
    with pytest.raises(store.Invalid, match="outside"):
        store.add_claim(
            db, okafor, start, start + 31, alice, None, {**extra, "claimant_end": 10_000}
        )


def test_editing_the_wording_makes_it_edited(db: Any, okafor: int) -> None:
    closed = by_quote(db, okafor)["She said the port was closed for six weeks."]
    alice = user_id(db, "alice")
    same = store.edit_claim_text(db, closed["id"], closed["text"], 1, alice)
    assert same["version"] == 1 and same["wording_source"] == "quote"
    edited = store.edit_claim_text(
        db, closed["id"], "Maria Okafor said the port was closed for six weeks.", 1, alice
    )
    assert edited["wording_source"] == "edited" and edited["version"] == 2
    entry = store.claim_history(db, closed["id"])[-1]
    assert entry["before"]["wording_source"] == "quote"
    assert entry["after"]["wording_source"] == "edited"


def test_set_claimant_is_versioned_audited_and_finds_the_mention(db: Any, okafor: int) -> None:
    firms = by_quote(db, okafor)["The ministry's figures show 3,100 firms exported goods."]
    alice, bob = user_id(db, "alice"), user_id(db, "bob")
    named = store.set_claimant(db, firms["id"], " Maria  Okafor ", "person", 1, alice)
    assert named["claimant"] == "Maria Okafor" and named["claimant_kind"] == "person"
    assert OKAFOR[named["claimant_start"] : named["claimant_end"]] == "Maria Okafor"
    assert named["version"] == 2
    entry = store.claim_history(db, firms["id"])[-1]
    assert entry["action"] == "set-claimant" and entry["username"] == "alice"
    assert entry["before"]["claimant"] == "the ministry"
    assert entry["after"]["claimant"] == "Maria Okafor"
    # Someone else's change is not overwritten: the conflict carries the stored claim.
    with pytest.raises(store.Conflict) as caught:
        store.set_claimant(db, firms["id"], "Trade ministry", "organization", 1, bob)
    assert caught.value.current["claimant"] == "Maria Okafor"
    # A name the article does not give: no offsets.
    other = store.set_claimant(db, firms["id"], "Customs office", "organization", 2, bob)
    assert other["claimant_start"] is None and other["claimant_end"] is None
    # The publication itself.
    own = store.set_claimant(db, firms["id"], None, "person", 3, bob)
    assert own["claimant"] is None and own["claimant_kind"] is None
    assert store.set_claimant(db, firms["id"], "", None, 4, bob)["version"] == 4  # no change
    with pytest.raises(store.Invalid, match="person or an organization"):
        store.set_claimant(db, firms["id"], "Maria Okafor", None, 4, bob)
    with pytest.raises(store.Invalid, match="person or an organization"):
        store.set_claimant(db, firms["id"], "Maria Okafor", "animal", 4, bob)
    with pytest.raises(store.NotFound):
        store.set_claimant(db, 999, "Maria Okafor", "person", 1, bob)


def test_an_unchanged_name_keeps_its_mention(db: Any, okafor: int) -> None:
    fell = store.list_claims(db, okafor)[0]
    kept = store.set_claimant(db, fell["id"], "Maria Okafor", "organization", 1, None)
    assert (kept["claimant_start"], kept["claimant_end"]) == (
        fell["claimant_start"],
        fell["claimant_end"],
    )
    assert kept["claimant_kind"] == "organization"


# Migration m008 --------------------------------------------------------------------------------


def test_m008_classifies_stored_wordings_and_rebuilds_the_fragments(tmp_path: Any) -> None:
    from factcheck.db import migrate

    old, desk = desk_before(tmp_path, "m008_claim_claimant")
    planet = desk["planet_claims"]
    stamp = store.now()
    conn = old.conn
    conn.execute("BEGIN")
    # A manual claim worded as its passage, one worded by hand, an extracted one edited later.
    conn.execute("UPDATE claims SET origin = 'manual', text = quote WHERE id = ?", (planet[0],))
    conn.execute("UPDATE claims SET origin = 'manual', text = 'Typed.' WHERE id = ?", (planet[1],))
    conn.execute(
        "INSERT INTO audit_log (at, action, table_name, row_id, claim_id) VALUES (?, 'edit',"
        " 'claims', ?, ?)",
        (stamp, planet[2], planet[2]),
    )
    conn.execute("COMMIT")
    versions = dict(old.execute("SELECT id, version FROM claims").fetchall())
    assert "m008_claim_claimant" in migrate(old)
    sources = dict(old.execute("SELECT id, wording_source FROM claims").fetchall())
    assert sources.pop(planet[0]) == "quote"
    assert sources.pop(planet[1]) == "edited"
    assert sources.pop(planet[2]) == "edited"
    assert set(sources.values()) == {"rewritten"}
    assert old.execute("SELECT count(*) FROM claims WHERE claimant IS NOT NULL").fetchone()[0] == 0
    assert dict(old.execute("SELECT id, version FROM claims").fetchall()) == versions
    assert_fragments_current(old)
    out = fast_and_reference(old)
    assert '"claimant":null,"claimant_kind":null' in out["jsonl"]
    old.close()


# Exports ---------------------------------------------------------------------------------------


def test_every_export_carries_the_claimant(db: Any, okafor: int) -> None:
    from factcheck import export

    fell = store.list_claims(db, okafor)[0]
    flt = store.ExportFilter(article_id=okafor)
    rows = "".join(export.csv_chunks(store.export_records(db, flt, SCALE, html=False)))
    header, first, *_ = rows.splitlines()
    columns = header.split(",")
    for name in ("claimant", "claimant_kind", "wording_source"):
        assert name in columns
    cells = dict(zip(columns, first.split(","), strict=False))
    assert cells["claimant"] == "Maria Okafor" and cells["claimant_kind"] == "person"
    assert cells["wording_source"] == "rewritten"
    record = next(store.export_records(db, flt, SCALE))
    claim = record["claim"]
    assert claim["claimant"] == "Maria Okafor" and claim["claimant_kind"] == "person"
    assert (claim["claimant_start"], claim["claimant_end"]) == (
        fell["claimant_start"],
        fell["claimant_end"],
    )
    assert claim["wording_source"] == "rewritten"
    assert claim["wording_spans"] == fell["wording_spans"]
    out = fast_and_reference(db)
    line = json.loads(out["jsonl"].splitlines()[0])
    assert line["claim"]["claimant"] == "Maria Okafor"
    assert line["claim"]["wording_spans"] == fell["wording_spans"]
    # claim_records (the report's record source) carries them too
    (first_record, *_) = store.claim_records(db, okafor, SCALE)
    assert first_record["claim"]["claimant"] == "Maria Okafor"


def test_fragments_follow_a_claimant_change(db: Any) -> None:
    desk = build_varied_desk(db)
    fell = store.list_claims(db, desk["okafor"])[0]
    store.set_claimant(db, fell["id"], '-Okafor, "the minister"', "person", fell["version"], None)
    assert_fragments_current(db)
    out = fast_and_reference(db)
    assert '"\'-Okafor, ""the minister""",person,rewritten' in out["csv"]
    assert '"claimant":"-Okafor, \\"the minister\\""' in out["jsonl"]


def test_the_fast_path_reads_fragments_for_claimant_claims(db: Any) -> None:
    desk = build_varied_desk(db)
    flt = store.ExportFilter(article_id=desk["okafor"])
    batches = store_exports.export_batches(db, flt)
    items = [c for b in batches.json_batches() for c in b.items]
    assert items and all(len(c) == store_exports.JSON_PIECES for c in items)
    assert b'"claimant":"Maria Okafor"' in items[0][7]


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_an_export_imports_with_its_claimants(db: Any, app: Any, tmp_path: Any, fmt: str) -> None:
    from factcheck.db import connect, migrate
    from factcheck.store.imports import items_from_json, items_from_jsonl
    from tests.test_store_imports import OPTIONS, exported

    desk = build_varied_desk(db)
    text = exported(db, fmt)
    other = connect(str(tmp_path / "other.db"))
    migrate(other)
    items = (
        items_from_json(text, "x.json")
        if fmt == "json"
        else items_from_jsonl(text.splitlines(True), "x.jsonl")
    )
    summary = store.import_items(other, items, **OPTIONS)
    assert summary.failed == []
    keys = (
        "quote, text, claimant, claimant_kind, claimant_start, claimant_end, wording_source,"
        " wording_spans"
    )
    query = f"SELECT {keys} FROM claims WHERE NOT dismissed ORDER BY quote, start"  # noqa: S608
    assert other.execute(query).fetchall() == db.execute(query).fetchall()
    assert desk["okafor"]
    assert_fragments_current(other)
    other.close()


def test_an_old_export_imports_manual_wordings_as_the_migration_does(
    db: Any, tmp_path: Any
) -> None:
    from factcheck.store.imports import items_from_jsonl

    body = "The council voted 28 to 9 on Monday. The tunnel costs 1.2 billion euros."
    record = {
        "article": {"id": 1, "title": "t", "body": body, "body_sha256": store.sha256(body)},
        "claim": {"id": 1, "start": 0, "end": 36, "quote": body[:36], "text": "Typed.",
                  "origin": "manual"},
        "verdicts": [],
        "final": None,
    }  # fmt: skip
    second = {**record, "claim": {"id": 2, "start": 37, "end": len(body), "quote": body[37:],
                                  "text": body[37:], "origin": "manual"}}  # fmt: skip
    lines = [json.dumps(record) + "\n", json.dumps(second) + "\n"]
    summary = store.import_items(
        db, items_from_jsonl(lines, "old.jsonl"), ratings=["true"], max_bytes=100_000
    )
    assert summary.failed == []
    (article_id,) = [item["article_id"] for item in summary.imported]
    assert [c["wording_source"] for c in store.list_claims(db, article_id)] == ["edited", "quote"]
