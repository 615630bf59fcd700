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


# Review panel ------------------------------------------------------------------------------------


@pytest.fixture
def assigned(db: Any, okafor: int) -> int:
    store.set_assignments(db, okafor, [user_id(db, "alice")], None)
    return okafor


def panel_of(session: Any, claim_id: int, **kwargs: Any) -> Any:
    return session.get(f"/claims/{claim_id}/panel", **kwargs)


def test_the_panel_shows_the_claimant_and_the_wordings_source(
    db: Any, assigned: int, login: Any
) -> None:
    fell, closed, firms = store.list_claims(db, assigned)
    alice = login("alice")
    html = panel_of(alice, fell["id"]).get_data(as_text=True)
    assert 'id="claimant-shown">Maria Okafor</span> <span class="claimant-kind">(person)' in html
    assert "rewritten by the extractor" in html
    assert '<q class="wording-span">Maria Okafor</q>' in html
    assert '<q class="wording-span">exports fell 12% in 2024</q>' in html
    assert "check the wording" not in html
    html = panel_of(alice, closed["id"]).get_data(as_text=True)
    assert "the passage itself" in html and "check the wording" in html
    # The publication's own statement.
    store.set_claimant(db, firms["id"], None, None, firms["version"], None)
    html = panel_of(alice, firms["id"]).get_data(as_text=True)
    assert 'id="claimant-shown">The Courier</span>' in html and "(the publication)" in html


def test_a_wording_starting_with_a_pronoun_is_marked(db: Any, assigned: int, login: Any) -> None:
    fell = store.list_claims(db, assigned)[0]
    store.edit_claim_text(db, fell["id"], "They said exports fell 12% in 2024.", 1, None)
    html = panel_of(login("alice"), fell["id"]).get_data(as_text=True)
    assert "check the wording" in html and "starts with “They”" in html
    assert "edited by hand" in html


def test_the_json_panel_carries_the_fields(db: Any, assigned: int, login: Any) -> None:
    fell = store.list_claims(db, assigned)[0]
    data = panel_of(login("alice"), fell["id"], headers={"Accept": "application/json"}).get_json()
    claim = data["selected"]
    assert claim["claimant"] == "Maria Okafor" and claim["claimant_kind"] == "person"
    assert claim["wording_source"] == "rewritten" and claim["wording_spans"]
    assert (claim["claimant_start"], claim["claimant_end"]) == (
        fell["claimant_start"],
        fell["claimant_end"],
    )
    assert data["claimant"] == {"name": "Maria Okafor", "kind": "person", "publication": False}
    assert data["wording_from"] == ["Maria Okafor", "exports fell 12% in 2024"]
    assert data["check_wording"] is None


def test_editing_the_claimant_in_the_panel(db: Any, assigned: int, login: Any) -> None:
    firms = store.list_claims(db, assigned)[2]
    alice = login("edna")
    url = f"/claims/{firms['id']}/claimant"
    response = alice.post(
        url, {"claimant": "Trade ministry", "claimant_kind": "organization", "version": "1"}
    )
    assert response.status_code == 302
    saved = store.get_claim(db, firms["id"])
    assert saved["claimant"] == "Trade ministry" and saved["claimant_kind"] == "organization"
    page = alice.get(response.headers["Location"]).get_data(as_text=True)
    assert "Claimant saved." in page and 'id="claimant-shown">Trade ministry<' in page
    history = store.claim_history(db, firms["id"])
    assert history[-1]["action"] == "set-claimant" and history[-1]["username"] == "edna"


def test_a_refused_claimant_keeps_the_input_and_shows_the_error(
    db: Any, assigned: int, login: Any
) -> None:
    firms = store.list_claims(db, assigned)[2]
    alice = login("edna")
    url = f"/claims/{firms['id']}/claimant"
    response = alice.post(url, {"claimant": "Léa <b>Okafor</b>", "version": "1"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert '<details class="edit-claimant" open>' in html
    assert 'value="Léa &lt;b&gt;Okafor&lt;/b&gt;"' in html
    kinds = html[html.index('class="claimant-kinds') : html.index("Save claimant")]
    assert "Say whether the claimant is a person or an organization." in kinds
    assert store.get_claim(db, firms["id"])["version"] == 1
    # A bad kind, and an expired token: the typed name stays.
    response = alice.post(url, {"claimant": "X", "claimant_kind": "robot", "version": "1"})
    assert response.status_code == 400
    assert "Choose a person or an organization." in response.get_data(as_text=True)
    response = alice.post(
        url, {"claimant": "Kept name", "claimant_kind": "person", "version": "1", "csrf_token": "x"}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'value="Kept name"' in html and "security token expired" in html
    assert store.get_claim(db, firms["id"])["claimant"] == "the ministry"


def test_a_claimant_changed_elsewhere_is_shown_not_overwritten(
    db: Any, assigned: int, login: Any
) -> None:
    firms = store.list_claims(db, assigned)[2]
    store.set_claimant(db, firms["id"], "Customs office", "organization", 1, None)
    alice = login("edna")
    url = f"/claims/{firms['id']}/claimant"
    response = alice.post(
        url, {"claimant": "Maria Okafor", "claimant_kind": "person", "version": "1"}
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Changed elsewhere" in html and "<strong>Customs office</strong>" in html
    assert (
        'value="Maria Okafor"' in html
        and 'id="claimant-version" name="version" type="hidden" value="2"' in html
    )
    assert store.get_claim(db, firms["id"])["claimant"] == "Customs office"
    # Saved again, with the version now shown, it replaces the other one.
    response = alice.post(
        url, {"claimant": "Maria Okafor", "claimant_kind": "person", "version": "2"}
    )
    assert response.status_code == 302
    assert store.get_claim(db, firms["id"])["claimant"] == "Maria Okafor"
    # JSON: the conflict carries the stored claim.
    response = alice.post(
        url,
        {"claimant": "", "version": "2"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 409 and response.get_json()["current"]["version"] == 3


def test_only_who_may_see_the_article_sets_its_claimant(db: Any, assigned: int, login: Any) -> None:
    firms = store.list_claims(db, assigned)[2]
    response = login("bob").post(
        f"/claims/{firms['id']}/claimant",
        {"claimant": "Mallory", "claimant_kind": "person", "version": "1"},
    )
    assert response.status_code == 404
    assert store.get_claim(db, firms["id"])["claimant"] == "the ministry"


def test_the_claimant_follows_the_wordings_rule(db: Any, assigned: int, login: Any) -> None:
    """The claimant changes as the wording does (access.claim_shaping): editors directly
    before publication; reviewers propose it to an editor (directly while the desk lets them
    shape claims); nobody on a published article (a correction)."""
    firms = store.list_claims(db, assigned)[2]
    url = f"/claims/{firms['id']}/claimant"
    data = {"claimant": "Maria Okafor", "claimant_kind": "person", "version": "1"}
    alice = login("alice")
    html = panel_of(alice, firms["id"]).get_data(as_text=True)
    assert "Propose a claimant" in html and "Change the claimant" not in html
    # A refused proposal keeps what was typed.
    response = alice.post(url, {**data, "claimant_kind": "", "reason": "Her ministry."})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'value="Maria Okafor"' in html and "Her ministry.</textarea>" in html
    response = alice.post(url, {**data, "reason": "Her ministry's figures."})
    assert response.status_code == 302
    assert store.get_claim(db, firms["id"])["claimant"] == "the ministry"  # (not yet)
    (proposal,) = store.list_open_proposals(db, firms["id"])
    assert proposal["kind"] == "claimant" and proposal["claimant"] == "Maria Okafor"
    assert proposal["base_claimant"] == "the ministry"
    html = panel_of(login("edna"), firms["id"]).get_data(as_text=True)
    assert "new claimant" in html and '<dd class="new">Maria Okafor (person)</dd>' in html
    store.decide_proposal(db, proposal["id"], user_id(db, "edna"), True, "Yes.")
    claim = store.get_claim(db, firms["id"])
    assert (claim["claimant"], claim["claimant_kind"]) == ("Maria Okafor", "person")
    assert OKAFOR[claim["claimant_start"] : claim["claimant_end"]] == "Maria Okafor"
    history = [e["action"] for e in store.claim_history(db, firms["id"])]
    assert history[-3:] == ["propose", "set-claimant", "accept"]
    # Directly, while the desk lets reviewers shape claims.
    store.update_settings(db, {"reviewers_shape_claims": True}, None)
    assert "Change the claimant" in panel_of(alice, firms["id"]).get_data(as_text=True)
    response = alice.post(url, {**data, "claimant": "", "version": "2"})
    assert response.status_code == 302
    assert store.get_claim(db, firms["id"])["claimant"] is None
    _settled(db, assigned)
    store.publish_article(db, assigned, user_id(db, "edna"))
    response = login("edna").post(url, {**data, "claimant": "Someone", "version": "3"})
    assert response.status_code == 409
    assert store.get_claim(db, firms["id"])["claimant"] is None
    html = panel_of(login("edna"), firms["id"]).get_data(as_text=True)
    assert "Change the claimant" not in html and "Propose a claimant" not in html


# ClaimReview, reports, API, command line ----------------------------------------------------------


def _settled(db: Any, article_id: int) -> list[dict[str, Any]]:
    edna = user_id(db, "edna")
    ratings = [e["key"] for e in SCALE]
    claims = store.list_claims(db, article_id)
    for claim in claims:
        store.record_final_verdict(db, claim["id"], edna, "false", "Because.", None, ratings)
    return claims


def test_claimreview_names_the_claimant_not_the_journalist(db: Any) -> None:
    from factcheck import export

    article = {
        "title": "Exports fall",
        "body": OKAFOR,
        "publisher": "The Courier",
        "author": "Jo Reporter",
        "url": "https://courier.example/exports",
        "published": "2025-03-01",
    }
    article_id = store.create_article(db, article, OKAFOR_CLAIMS, None)
    fell, closed, firms = _settled(db, article_id)
    store.set_claimant(db, firms["id"], None, None, firms["version"], None)
    docs = {}
    for record in store.export_records(db, store.ExportFilter(article_id=article_id), SCALE):
        docs[record["claim"]["id"]] = export.claimreview(
            record,
            org={"name": "Desk", "url": "https://desk.example"},
            permalink_template="https://desk.example/v/{claim_id}",
            scale=SCALE,
        )
    assert docs[fell["id"]]["itemReviewed"]["author"] == {"@type": "Person", "name": "Maria Okafor"}
    assert docs[firms["id"]]["itemReviewed"]["author"] == {
        "@type": "Organization",
        "name": "The Courier",
    }
    (appearance,) = docs[fell["id"]]["itemReviewed"]["appearance"]
    assert appearance == {
        "@type": "CreativeWork",
        "url": "https://courier.example/exports",
        "headline": "Exports fall",
        "datePublished": "2025-03-01",
        "author": {"@type": "Person", "name": "Jo Reporter"},
        "publisher": {"@type": "Organization", "name": "The Courier"},
    }
    for doc in docs.values():
        assert "Jo Reporter" not in json.dumps(doc["itemReviewed"]["author"])
        assert export.validate_claimreview(doc) == []


def test_the_claimreview_check_flags_a_missing_claimant(app: Any, db: Any) -> None:
    from factcheck.export.claimreview_check import claimreview_issues

    article_id = store.create_article(
        db, {"title": "No publisher", "body": OKAFOR, "url": "https://x.example/a"}, [
            {k: v for k, v in OKAFOR_CLAIMS[0].items() if not k.startswith("claimant")}
        ], None
    )  # fmt: skip
    _settled(db, article_id)
    with app.app_context():
        found = claimreview_issues(db, store.ExportFilter(article_id=article_id), app.config)
    assert [(i["level"], i["field"]) for i in found["issues"]] == [
        ("warning", "itemReviewed.author"),
        ("warning", "url"),  # (not published yet)
    ]
    assert "no claimant" in found["issues"][0]["message"]


def test_reports_show_the_claimant(db: Any, assigned: int, login: Any) -> None:
    from factcheck import export

    records = list(store.export_records(db, store.ExportFilter(article_id=assigned), SCALE))
    text = "".join(export.markdown_report(None, records, export.report_summary(records)))
    assert "**Claimant:** Maria Okafor (person)" in text
    assert "**Claimant:** the ministry (organization)" in text
    html = login("alice").get(f"/articles/{assigned}/report").get_data(as_text=True)
    assert '<p class="claimant">Claimed by Maria Okafor (person)</p>' in html
    firms = store.list_claims(db, assigned)[2]
    store.set_claimant(db, firms["id"], None, None, firms["version"], None)
    html = login("alice").get(f"/articles/{assigned}/report").get_data(as_text=True)
    # (the publication's own statements: no line, the report is the publication's article)
    assert html.count('<p class="claimant">') == 2


def test_the_api_gives_the_claimant(db: Any, assigned: int, app: Any) -> None:
    token, _ = store.create_token(db, user_id(db, "alice"), "tests")
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    claims = client.get(f"/api/v1/articles/{assigned}/claims", headers=headers).get_json()
    fell = claims["claims"][0]
    assert fell["claimant"] == "Maria Okafor" and fell["claimant_kind"] == "person"
    assert fell["wording_source"] == "rewritten"
    assert OKAFOR[fell["claimant_start"] : fell["claimant_end"]] == "Maria Okafor"
    assert fell["wording_spans"] == store.list_claims(db, assigned)[0]["wording_spans"]
    one = client.get(f"/api/v1/claims/{fell['id']}", headers=headers).get_json()
    assert one["claimant"] == "Maria Okafor"
    schema = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]["Claim"]
    for key in ("claimant", "claimant_kind", "claimant_start", "claimant_end"):
        assert key in schema["properties"] and key in one
    assert set(schema["properties"]["wording_source"]["enum"]) == set(store.WORDING_SOURCES)


def test_the_cli_prints_the_claimant(monkeypatch: Any) -> None:
    from click.testing import CliRunner

    import factcheck.extract
    from factcheck.cli import cli

    monkeypatch.setattr(
        factcheck.extract,
        "extract_claims",
        lambda *a, **k: [dict(c, score=0.5) for c in OKAFOR_CLAIMS],
    )
    # (through the command group: a command invoked alone keeps click's help option without -h)
    out = CliRunner().invoke(cli, ["extract", "-", "--format", "text"], input=OKAFOR).output
    rows = [line.split("\t") for line in out.splitlines()]
    assert rows[0][-2:] == ["Maria Okafor", "rewritten"]
    assert rows[1][-2:] == ["Maria Okafor", "quote"]
    out = CliRunner().invoke(cli, ["extract", "-"], input=OKAFOR).output
    assert json.loads(out.splitlines()[0])["claimant"] == "Maria Okafor"
