"""Imports: article records from JSON/JSONL, and the round trip of a factcheck export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from factcheck import store
from factcheck.config import DEFAULTS
from factcheck.db import connect, migrate
from factcheck.export.stream import export_stream
from factcheck.store.imports import items_from_json, items_from_jsonl
from tests.conftest import NEWS_PAGE, SAMPLE_ARTICLE
from tests.test_store_exports import build_desk

RATINGS = [entry["key"] for entry in DEFAULTS["RATING_SCALE"]]
OPTIONS = {"ratings": RATINGS, "max_bytes": 200_000}


@pytest.fixture
def empty_db(tmp_path: Path) -> Any:
    database = connect(str(tmp_path / "empty.db"))
    migrate(database)
    yield database
    database.close()


def exported(db: Any, fmt: str = "json") -> str:
    return b"".join(export_stream(db, fmt, store.ExportFilter(), DEFAULTS)).decode()


def comparable(db: Any) -> list[dict[str, Any]]:
    """Everything an export holds, without database ids (the published record included)."""
    doc = json.loads(exported(db))
    articles = []
    for article in doc["articles"]:
        claims = []
        for claim in article["claims"]:
            claim = {k: v for k, v in claim.items() if k != "id"}
            claims.append(claim)
        articles.append(
            {k: v for k, v in article.items() if k not in ("id", "claims")} | {"claims": claims}
        )
    return articles


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_round_trip(db: Any, empty_db: Any, fmt: str) -> None:
    build_desk(db)
    text = exported(db, fmt)
    items = (
        items_from_json(text, "export.json")
        if fmt == "json"
        else list(items_from_jsonl(text.splitlines(True), "export.jsonl"))
    )
    summary = store.import_items(empty_db, items, **OPTIONS)
    assert summary.failed == [] and summary.duplicates == []
    assert len(summary.imported) == 3
    assert comparable(empty_db) == comparable(db)
    # claims keep offsets, wording, dismissal and origin exactly
    original = json.loads(exported(db))["articles"]
    restored = json.loads(exported(empty_db))["articles"]
    for before, after in zip(original, restored, strict=True):
        assert [
            (c["start"], c["end"], c["quote"], c["text"], c["dismissed"], c["origin"])
            for c in before["claims"]
        ] == [
            (c["start"], c["end"], c["quote"], c["text"], c["dismissed"], c["origin"])
            for c in after["claims"]
        ]
    assert any(c["dismissed"] for a in restored for c in a["claims"])
    assert any(c["final"] for a in restored for c in a["claims"])
    assert any(c["corrections"] for a in restored for c in a["claims"])
    # reviewers came as disabled accounts that cannot log in
    accounts = {u["username"]: u for u in store.list_users(empty_db)}
    assert set(accounts) == {"alice", "bob", "edna"}
    assert not any(u["active"] for u in accounts.values())
    assert store.authenticate(empty_db, "alice", "") is None
    # importing again skips every article as a duplicate
    again = store.import_items(empty_db, items_from_json(exported(db), "export.json"), **OPTIONS)
    assert len(again.duplicates) == 3 and not again.imported


def test_existing_reviewers_are_matched_by_name(db: Any, app: Any, tmp_path: Path) -> None:
    build_desk(db)
    text = exported(db)
    other = connect(str(tmp_path / "other.db"))
    migrate(other)
    store.create_user(other, "Alice", "long enough password")
    store.import_items(other, items_from_json(text, "x"), **OPTIONS)
    accounts = {u["username"]: u for u in store.list_users(other)}
    assert accounts["Alice"]["active"]  # matched (names are case-insensitive), not duplicated
    assert "alice" not in accounts
    other.close()


def test_a_broken_bundle_is_rolled_back_and_the_others_go_on(db: Any, empty_db: Any) -> None:
    build_desk(db)
    doc = json.loads(exported(db))
    doc["articles"][0]["claims"][0]["quote"] = "not in the text"
    doc["articles"][1]["claims"][0]["verdicts"] = [{"reviewer": "alice", "rating": "pants-on-fire"}]
    summary = store.import_items(empty_db, items_from_json(json.dumps(doc), "x"), **OPTIONS)
    reasons = [f["reason"] for f in summary.failed]
    assert len(summary.imported) == 1 and len(reasons) == 2
    assert "quote does not match" in reasons[0]
    assert "pants-on-fire" in reasons[1]
    assert store.count_articles(empty_db) == 1
    assert empty_db.execute("SELECT count(*) FROM claims").fetchone()[0] == 0  # quiet has none


def test_export_without_text_is_refused_clearly(empty_db: Any) -> None:
    doc = {
        "factcheck_export": 1,
        "meta": {},
        "articles": [{"id": 1, "title": "Old", "claims": []}],
    }
    summary = store.import_items(empty_db, items_from_json(json.dumps(doc), "old.json"), **OPTIONS)
    assert "no article text" in summary.failed[0]["reason"]


PLAIN_RECORDS = [
    {"title": "Tram line", "text": SAMPLE_ARTICLE, "publisher": "City Desk", "date": "2025-05-06"},
    {"title": "Ferry", "html": NEWS_PAGE, "url": "https://courier.example/ferry"},
    {"title": "Nothing"},
    {"title": "Bad link", "text": "Some text here.", "url": "javascript:alert(1)"},
    {"title": "Both", "text": "a", "html": "<p>b</p>"},
    {"title": "Blank", "text": "   \n  "},
    "not an object",
    {"title": "Tram line again", "text": SAMPLE_ARTICLE},
]


@pytest.mark.parametrize("fmt", ["list", "articles", "jsonl"])
def test_plain_article_records(empty_db: Any, fmt: str) -> None:
    if fmt == "jsonl":
        lines = [json.dumps(r) for r in PLAIN_RECORDS]
        lines.insert(3, "{broken json")
        items = list(items_from_jsonl([line + "\n" for line in lines], "a.jsonl"))
    else:
        doc = PLAIN_RECORDS if fmt == "list" else {"articles": PLAIN_RECORDS}
        items = items_from_json(json.dumps(doc), "a.json")
    summary = store.import_items(empty_db, items, **OPTIONS)
    assert len(summary.imported) == 2
    assert len(summary.duplicates) == 1
    reasons = " | ".join(f["reason"] for f in summary.failed)
    assert len(summary.failed) == (6 if fmt == "jsonl" else 5)
    for expected in ("neither text nor html", "http", "not both", "empty", "JSON object"):
        assert expected in reasons
    if fmt == "jsonl":
        assert "not valid JSON" in reasons
    tram = store.get_article(empty_db, summary.imported[0]["article_id"])
    assert (tram["publisher"], tram["published"]) == ("City Desk", "2025-05-06")
    ferry = store.get_article(empty_db, summary.imported[1]["article_id"])
    assert "8 per" in ferry["body"] and "alert" not in ferry["body"]
    assert ferry["url"] == "https://courier.example/ferry"


@pytest.mark.parametrize(
    ("text", "reason"),
    [("{", "not valid JSON"), ("42", "expected a JSON object"), ('{"factcheck_export": 9}', "")],
)
def test_unreadable_json(empty_db: Any, text: str, reason: str) -> None:
    summary = store.import_items(empty_db, items_from_json(text, "bad.json"), **OPTIONS)
    assert len(summary.failed) == 1 and reason in summary.failed[0]["reason"]


def test_read_import_file(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in PLAIN_RECORDS[:2]) + "\n\n", "utf-8")
    total, items = store.read_import_file(path)
    assert total == 2 and [i.kind for i in items] == ["article", "article"]
    binary = tmp_path / "b.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    total, items = store.read_import_file(binary)
    assert total == 1 and "not UTF-8" in next(items).error


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_an_imported_set_exports_the_same_by_the_fast_and_the_record_path(
    db: Any, empty_db: Any, fmt: str
) -> None:
    """An import stores each rationale's HTML (rendered here, as a save does) and leaves the
    export fragments current, so every imported claim is exported from its stored fragments,
    byte for byte what the record path gives, and the set exports as it did where it came from.
    """
    from factcheck import sanitize
    from tests.test_store_exports import (
        assert_fragments_current,
        build_varied_desk,
        fast_and_reference,
    )

    build_varied_desk(db)
    text = exported(db, fmt)
    # A rationale_html in the file is never trusted: the import renders its own.
    text = text.replace('"rationale_html":"', '"rationale_html":"<script>alert(1)</script>')
    items = (
        items_from_json(text, "export.json")
        if fmt == "json"
        else items_from_jsonl(text.splitlines(True), "export.jsonl")
    )
    summary = store.import_items(empty_db, items, **OPTIONS)
    assert summary.failed == [] and len(summary.imported) == 6
    verdicts = empty_db.execute("SELECT rationale, rationale_html FROM verdicts").fetchall()
    assert len(verdicts) >= 7
    for rationale, html in verdicts:
        assert html == str(sanitize.render_markdown(rationale))
    assert_fragments_current(empty_db)
    missing = "SELECT count(*) FROM json_fragments WHERE tail IS NULL"
    assert empty_db.execute(missing).fetchone()[0] == 0  # (NULL: read by the record path)
    fast_and_reference(empty_db)  # asserts the fast paths equal the record path
    assert comparable(empty_db) == comparable(db)


STREAMED_DOCS = [
    '{"factcheck_export": 1, "meta": {}, "articles": []}',
    '{"factcheck_export": 1}',
    '{"factcheck_export": 9, "articles": [{"id": 1, "body": "x", "claims": []}]}',
    '{"factcheck_export": 9}',
    '{"factcheck_export": 1, "articles": [{"id": 1, "body": "abc", "claims": []}, {"id": 2, "bo',
    '{"factcheck_export": 1, "articles": [',
    '{"factcheck_export": 1, "articles": []} x',
    '{"factcheck_export": 1,\n "articles": [\n{"id": 1, "body": "abc", "claims": []},\n  nope]}',
    '{"factcheck_export": 1, "articles" [] }',
    '{"factcheck_export": 1, "articles": [{"id": 1, "body": "ab", "claims": []} {}] }',
    '{"factcheck_export": 1 "x": 2}',
    '{"factcheck_export": 1, "articles": [],}',
    '{"factcheck_export": 1, 5: 1}',
    '{"factcheck_export": 1, "articles": [1]}',
    '{"factcheck_export": 1, "articles": {"a": 1}}',
    '{"factcheck_export": 1, "articles": [{}], "z": 12345678901234567890}',
    '{ "factcheck_export" : 1, "articles": [{"id": 1, "body": "é", "claims": []},'
    ' {"id": 1, "body": "abc", "title": "Same id", "claims": []}], "meta": {"x": [1, {}]}}',
]


def _items(items: Any) -> list[tuple[Any, ...]]:
    return [(i.kind, i.label, i.error, i.data) for i in items]


@pytest.mark.parametrize("chunk", [1, 7, 4096])
@pytest.mark.parametrize("text", STREAMED_DOCS)
def test_a_json_export_file_is_read_one_article_at_a_time_as_if_whole(
    tmp_path: Path, monkeypatch: Any, text: str, chunk: int
) -> None:
    """Read from a file, a JSON export gives what the whole parsed document gives (errors
    placed in the file the same way, and one failed item for a broken file, nothing else)."""
    from factcheck.store import imports

    monkeypatch.setattr(imports, "STREAM_CHUNK", chunk)
    path = tmp_path / "export.json"
    path.write_text(text, "utf-8")
    whole = _items(items_from_json(text, "export.json"))

    def parsed_whole(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a JSON export file is read one article at a time")

    monkeypatch.setattr(imports.json, "loads", parsed_whole)
    total, items = store.read_import_file(path)
    assert _items(items) == whole and total == len(whole)


def test_a_large_json_export_streams_and_a_broken_one_stores_nothing(
    db: Any, empty_db: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    from factcheck.store import imports

    build_desk(db)
    text = exported(db)
    path = tmp_path / "export.json"
    path.write_text(text, "utf-8")
    monkeypatch.setattr(imports, "STREAM_CHUNK", 50)
    total, items = store.read_import_file(path)
    assert _items(items) == _items(items_from_json(text, "export.json")) and total == 3
    # Cut short (a download that broke off): one failed item, nothing stored.
    path.write_text(text[: len(text) * 2 // 3], "utf-8")
    total, items = store.read_import_file(path)
    summary = store.import_items(empty_db, items, **OPTIONS)
    assert total == 1 and summary.imported == [] and len(summary.failed) == 1
    assert "not valid JSON" in summary.failed[0]["reason"]
    assert store.count_articles(empty_db) == 0


def _public_pages(client: Any, articles: list[int], claims: list[int]) -> dict[str, str]:
    """The public pages (claims, then articles), with the i-th article and claim id of the
    list as ``A<i>``/``C<i>`` in their addresses (the import gives new ids)."""
    import re

    def shown(url: str) -> str:
        response = client.get(url)
        text = response.get_data(as_text=True)
        text = re.sub(r'name="csrf-token" content="[^"]*"', "", text)
        text = re.sub(
            r"/verdicts/article/(\d+)",
            lambda m: f"/verdicts/article/A{articles.index(int(m[1]))}",
            text,
        )
        text = re.sub(r"/verdicts/(\d+)", lambda m: f"/verdicts/C{claims.index(int(m[1]))}", text)
        text = re.sub(r'id="claim-(\d+)"', lambda m: f'id="claim-C{claims.index(int(m[1]))}"', text)
        return f"{response.status_code} {text}"

    pages = {f"C{i}": shown(f"/verdicts/{claim}") for i, claim in enumerate(claims)}
    pages |= {f"A{i}": shown(f"/verdicts/article/{a}") for i, a in enumerate(articles)}
    return pages


def _claim_ids(db: Any) -> list[int]:
    """Every claim's id in reading order, article by article."""
    return [
        row[0] for row in db.execute('SELECT id FROM claims ORDER BY article_id, start, "end", id')
    ]


def _desk_talk(db: Any, articles: list[int]) -> dict[str, Any]:
    """What the desk says of each claim (in reading order) without database ids: its thread
    (author, kind, text, time; a hand-back's reviewer and when it was resolved), its open
    returns, and each reviewer's to-do state."""
    from factcheck.store import discussion, flow

    claims = _claim_ids(db)
    names = {u["id"]: u["username"] for u in store.list_users(db)}
    threads = {
        f"C{i}": [
            (
                c["username"],
                c["kind"],
                c["body"],
                c["body_html"],
                c["created_at"],
                c["returned_reviewer"],
                c["return_resolved_at"],
            )
            for c in discussion.list_comments(db, claim)
        ]
        for i, claim in enumerate(claims)
    }
    returns = {
        f"C{i}": {
            names[reviewer]: (r["returned_by_name"], r["comment"], r["created_at"])
            for reviewer, r in discussion.open_returns(db, claim).items()
        }
        for i, claim in enumerate(claims)
    }
    states = {}
    for user_id, name in names.items():
        if name not in ("alice", "bob"):  # (the reviewers of the desk)
            continue
        for a, article in enumerate(articles):
            found = flow.review_states(db, article, user_id)
            states[f"{name} A{a}"] = {f"C{claims.index(c)}": s for c, s in found.items()}
    return {"threads": threads, "returns": returns, "states": states}


@pytest.mark.parametrize(
    "fmt", ["json", "jsonl", "json before publications", "json before comments"]
)
def test_round_trip_keeps_the_published_record(
    app: Any, db: Any, client: Any, tmp_path: Path, fmt: str
) -> None:
    """A desk with a published, a corrected (wording, verdict) and a withdrawn claim, and a
    withdrawn article published again: exported and imported into an empty desk, every
    public page reads the same (dates, corrections, withdrawal notices, JSON-LD), and so does
    the desk's talk: comments, returned verdicts (open: the reviewer's to-do; resolved) and
    every reviewer's to-do state."""
    from factcheck import create_app
    from factcheck.store import discussion

    desk = build_desk(db)  # (planet: published, claim 1 corrected; courier: not published)
    edna = desk["users"]["edna"]
    alice, bob = desk["users"]["alice"], desk["users"]["bob"]
    first, second, third = desk["planet_claims"][:3]
    # bob's verdict on the first claim is returned (open: his to do), alice's too, and she
    # saved it again (resolved); a comment mentions bob.
    discussion.add_comment(db, first, alice, "See the **minutes**, @bob.")
    discussion.return_verdict(db, first, bob, edna, "Which minutes? Cite the *page*.")
    discussion.return_verdict(db, first, alice, edna, "Add the source's date.")
    version = store.get_verdict(db, first, alice)["version"]
    store.record_verdict(db, first, alice, "false", "Minutes of 3 May.", [], version, RATINGS)
    store.publish_correction(
        db, first, edna, "The minutes say 27 million.", text="The tunnel cost 27 million."
    )
    store.withdraw_claim(db, second, edna, "The budget line was for another tunnel.")
    store.record_final_verdict(db, third, edna, "half-true", "Partly.", None, RATINGS)
    store.publish_article(db, desk["planet"], edna, publish=False, note="Checking the figures.")
    store.publish_article(db, desk["planet"], edna)  # (publishes the third claim too)
    courier_first = desk["courier_claims"][0]
    store.record_final_verdict(db, courier_first, edna, "half-true", "Partly.", None, RATINGS)
    store.publish_article(db, desk["courier"], edna)
    store.publish_article(db, desk["courier"], edna, publish=False, note="Retracted by the paper.")
    articles = [desk["planet"], desk["courier"], desk["quiet"]]
    before = _public_pages(client, articles, _claim_ids(db))
    talk = _desk_talk(db, articles)
    assert talk["returns"]["C0"] == {
        "bob": ("edna", "Which minutes? Cite the *page*.", talk["returns"]["C0"]["bob"][2])
    }
    assert talk["states"]["bob A0"]["C0"] == "returned"
    assert [(c[0], c[1], c[5], c[6] is None) for c in talk["threads"]["C0"]] == [
        ("alice", "comment", None, True),
        ("edna", "return", "bob", True),
        ("edna", "return", "alice", False),
    ]
    assert "Checking the figures." not in before["A0"]  # (published again)
    assert "The budget line was for another tunnel." in before["C1"]
    assert "Retracted by the paper." in before["A1"]
    assert before["C0"].startswith("200") and "application/ld+json" in before["C0"]
    assert "The withdrawn version" in before["C1"]
    assert any(p.startswith("404") for p in before.values())  # (never published)

    text = exported(db, "jsonl" if fmt == "jsonl" else "json")
    if fmt == "json before publications":  # an export made before article.publications
        doc = json.loads(text)
        for article in doc["articles"]:
            del article["publications"]
        text = json.dumps(doc)
    if fmt == "json before comments":  # an export made before claims' comments
        doc = json.loads(text)
        for article in doc["articles"]:
            for claim in article["claims"]:
                del claim["comments"]
        text = json.dumps(doc)
    other = create_app(dict(app.config) | {"DATABASE": str(tmp_path / "other.db")})
    target = connect(other.config["DATABASE"])
    migrate(target)
    items = (
        list(items_from_jsonl(text.splitlines(True), "export.jsonl"))
        if fmt == "jsonl"
        else items_from_json(text, "export.json")
    )
    summary = store.import_items(target, items, **OPTIONS)
    assert summary.failed == [] and len(summary.imported) == 3
    new_articles = [a["article_id"] for a in summary.imported]
    after = _public_pages(other.test_client(), new_articles, _claim_ids(target))
    assert after == before
    if fmt not in ("json before publications", "json before comments"):
        assert comparable(target) == comparable(db)  # (the publishing history, the talk too)
    restored = _desk_talk(target, new_articles)
    if fmt == "json before comments":
        # The export said only which verdicts were returned, by whom and why: the open
        # return is kept (bob's to-do), the rest of the thread is not in the file.
        assert restored["states"] == talk["states"] and restored["returns"] == talk["returns"]
        # (the comment is dated when the verdict was returned: a moment after it was written)
        assert [c[:4] + c[5:] for c in restored["threads"]["C0"]] == [
            c[:4] + c[5:] for c in talk["threads"]["C0"][1:2]
        ]
    else:
        assert restored == talk
    # the imported versions are versions: immutable, and signed by the editor (disabled here)
    versions = store.claim_versions(target, _claim_ids(target)[0])
    assert [(v["version"], v["published_by_name"]) for v in versions] == [(1, "edna"), (2, "edna")]
    target.close()
