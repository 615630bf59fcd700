"""store.export_records: filtered, keyset-paginated export records; public reads."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck import ingest, sanitize, store
from factcheck.config import DEFAULT_RATING_SCALE
from factcheck.store import exports as store_exports

SCALE = DEFAULT_RATING_SCALE
RATINGS = [entry["key"] for entry in SCALE]

PLANET = """Council backs harbour tunnel

The council voted 28 to 9 on Monday to build a 2-kilometre harbour tunnel. The tunnel will \
cost 1.2 billion euros, the finance office said.

The mayor said traffic on the old bridge fell by 15% last year.
"""

COURIER = """Ferry fares rise again

Ferry tickets will cost 4.30 euros from March, up from 3.98 euros. The ferry service lost \
2.1 million euros last year, the authority said.
"""

QUIET = "A quiet week\n\nNothing happened at the harbour this week."


def users(db: Any) -> dict[str, int]:
    return {u["username"]: u["id"] for u in store.list_users(db)}


def add(db: Any, body: str, **meta: Any) -> int:
    draft = ingest.prepare_article(body=body, **meta)
    return store.create_article(db, draft.article, draft.claims, None)


def build_desk(db: Any) -> dict[str, Any]:
    """Three articles: "planet" published with final verdicts, "courier" reviewed but not
    published, "quiet" without claims. Verdicts by alice and bob; finals by edna."""
    ids = users(db)
    planet = add(db, PLANET, title="Tunnel", publisher="Daily Planet", published="2025-05-06")
    courier = add(db, COURIER, title="Fares", publisher="Coastal Courier", published="2024-01-10")
    quiet = store.create_article(
        db, {"title": "Quiet", "body": QUIET, "published": "2025-02-01"}, [], None
    )
    pc = store.list_claims(db, planet)
    cc = store.list_claims(db, courier)
    assert len(pc) >= 3 and len(cc) >= 2
    source = {"url": "https://stats.example/tunnel", "title": "Minutes", "stance": "supports"}

    def verdict(claim: dict[str, Any], user: str, rating: str, why: str, *sources: Any) -> None:
        store.record_verdict(db, claim["id"], ids[user], rating, why, sources, None, RATINGS)

    def final(
        claim: dict[str, Any], rating: str, reason: str, version: Any = None, **kw: Any
    ) -> None:
        store.record_final_verdict(
            db, claim["id"], ids["edna"], rating, reason, version, RATINGS, **kw
        )

    # planet claim 0: alice false, bob false, final false (unanimous)
    verdict(pc[0], "alice", "false", "Minutes say 27.", source)
    verdict(pc[0], "bob", "false", "Wrong **count**.")
    final(pc[0], "false", "The minutes say 27.")
    # planet claim 1: alice true, bob mostly-false -> disputed, final true (bob dissents)
    verdict(pc[1], "alice", "true", "Budget table.", source)
    verdict(pc[1], "bob", "mostly-false", "Old figure.")
    final(pc[1], "true", "Budget 2025.")
    # planet claim 2: no verdicts
    store.publish_article(db, planet, ids["edna"])
    # a correction after publishing
    final(
        pc[1],
        "mostly-true",
        "Budget 2025, rounded.",
        1,
        correction_note="The budget figure is rounded.",
    )
    # courier claim 0: alice half-true only (majority half-true, no final)
    verdict(cc[0], "alice", "half-true", "Partly.")
    # courier claim 1: dismissed
    store.set_claim_dismissed(db, cc[1]["id"], True, cc[1]["version"], ids["alice"])
    return {
        "planet": planet,
        "courier": courier,
        "quiet": quiet,
        "planet_claims": [c["id"] for c in pc],
        "courier_claims": [c["id"] for c in cc],
        "users": ids,
    }


@pytest.fixture
def desk(db: Any) -> dict[str, Any]:
    return build_desk(db)


def claim_ids(db: Any, flt: store.ExportFilter) -> list[int | None]:
    return [r["claim"]["id"] if r["claim"] else None for r in store.export_records(db, flt, SCALE)]


def test_same_records_as_claim_records(db: Any, desk: dict[str, Any]) -> None:
    """For one article, the fast path gives claim_records' records, plus a few keys."""
    for article_id in (desk["planet"], desk["courier"], desk["quiet"]):
        slow = list(store.claim_records(db, article_id, SCALE))
        fast = list(store.export_records(db, store.ExportFilter(article_id=article_id), SCALE))
        assert len(fast) == len(slow)
        for f, s in zip(fast, slow, strict=True):
            extra = ("published_at", "publications")  # (the export's, for the JSON import)
            assert {k: v for k, v in f["article"].items() if k not in extra} == s["article"]
            assert f["claim"] == s["claim"]
            # (the exports mark returned verdicts: claim_records, used by no export, does not)
            marks = ("status", "returned")
            assert [{k: v for k, v in x.items() if k not in marks} for x in f["verdicts"]] == (
                s["verdicts"]
            )
            assert all(v["status"] == "current" for v in f["verdicts"])
            assert f["final"] == s["final"]
            assert f["published_at"] == f["article"]["published_at"]
            assert isinstance(f["corrections"], list)


def test_reading_order_and_empty_articles(db: Any, desk: dict[str, Any]) -> None:
    records = list(store.export_records(db, store.ExportFilter(), SCALE))
    assert [r["article"]["id"] for r in records] == sorted(r["article"]["id"] for r in records)
    quiet = [r for r in records if r["article"]["id"] == desk["quiet"]]
    assert len(quiet) == 1 and quiet[0]["claim"] is None
    # the dismissed claim is left out unless asked for
    assert desk["courier_claims"][1] not in [r["claim"]["id"] for r in records if r["claim"]]
    everything = claim_ids(db, store.ExportFilter(include_dismissed=True))
    assert desk["courier_claims"][1] in everything


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        ({"publisher": "daily planet"}, lambda d: d["planet_claims"]),
        ({"since": "2025-01-01"}, lambda d: [*d["planet_claims"], None]),
        ({"until": "2024-12-31"}, lambda d: d["courier_claims"][:1]),
        ({"since": "2025-05-06", "until": "2025-05-06"}, lambda d: d["planet_claims"]),
        ({"published": True}, lambda d: d["planet_claims"][:2]),  # public now: settled
        ({"published": False}, lambda d: [*d["courier_claims"][:1], None]),
        ({"verdict": "false"}, lambda d: d["planet_claims"][:1]),
        ({"verdict": "mostly-true"}, lambda d: d["planet_claims"][1:2]),  # final, after correction
        ({"verdict": "true"}, lambda d: []),  # corrected away
        ({"verdict": "half-true"}, lambda d: d["courier_claims"][:1]),  # majority, no final
        ({"reviewer": "bob"}, lambda d: d["planet_claims"][:2]),
        ({"reviewer": "alice", "publisher": "Coastal Courier"}, lambda d: d["courier_claims"][:1]),
        ({"status": "decided"}, lambda d: d["planet_claims"][:2]),
        ({"status": "in-review"}, lambda d: d["courier_claims"][:1]),
        ({"status": "unreviewed"}, lambda d: d["planet_claims"][2:]),
        ({"status": "disputed"}, lambda d: d["planet_claims"][1:2]),
        ({"article_id": -1}, lambda d: []),
    ],
)
def test_filters(db: Any, desk: dict[str, Any], criteria: dict[str, Any], expected: Any) -> None:
    flt = store.ExportFilter(**criteria)
    got = claim_ids(db, flt)
    want = expected(desk)
    if flt.status == "unreviewed":
        want = want + [c for c in desk["courier_claims"][2:]]
    assert got == want
    counts = store.count_export_claims(db, flt)
    assert counts["claims"] == len([c for c in got if c is not None])


@pytest.mark.parametrize(
    ("criteria", "message"),
    [({"reviewer": "nobody"}, "no reviewer named"), ({"status": "done"}, "Status must be")],
)
def test_bad_filters(db: Any, desk: dict[str, Any], criteria: dict[str, Any], message: str) -> None:
    with pytest.raises(store.Invalid, match=message):
        store.check_export_filter(db, store.ExportFilter(**criteria))


def test_windows_do_not_change_the_result(
    db: Any, desk: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(5):
        add(db, f"Extra article {n}\n\nThe port handled {n + 2} million tonnes in 2024, up 5%.")
    whole = list(store.export_records(db, store.ExportFilter(), SCALE))
    monkeypatch.setattr(store_exports, "CLAIM_WINDOW", 2)
    monkeypatch.setattr(store_exports, "ARTICLE_WINDOW", 2)
    assert list(store.export_records(db, store.ExportFilter(), SCALE)) == whole


def test_details_final_corrections_agreement_body(db: Any, desk: dict[str, Any]) -> None:
    records = {
        r["claim"]["id"]: r
        for r in store.export_records(
            db, store.ExportFilter(article_id=desk["planet"]), SCALE, body=True
        )
    }
    first, second = desk["planet_claims"][:2]
    assert records[first]["article"]["body"] == PLANET.strip()  # first record of the article
    assert "body" not in records[second]["article"]
    assert records[first]["final"]["label"] == "False"
    assert records[first]["final"]["decided_by"] == "edna"
    assert records[first]["agreement"]["unanimous"] is True
    assert records[second]["agreement"]["disagreement"] is True
    (correction,) = records[second]["corrections"]
    assert correction["before_rating"] == "true" and correction["after_rating"] == "mostly-true"
    assert correction["note"] == "The budget figure is rounded." and correction["by"] == "edna"
    assert records[first]["published_at"]
    bob = next(v for v in records[first]["verdicts"] if v["reviewer"] == "bob")
    assert bob["rationale_html"] == "<p>Wrong <strong>count</strong>.</p>\n"
    plain = store.export_records(
        db, store.ExportFilter(article_id=desk["planet"]), SCALE, html=False
    )
    assert all("rationale_html" not in v for r in plain for v in r["verdicts"])


@pytest.mark.parametrize(
    "text",
    [
        "The minutes say otherwise.",
        "Two lines\nof prose.",
        "First paragraph.\n\nSecond one, with “quotes” and 5% (roughly).",
        "Costs €5 or £4: see page 3/4.",
        "Straße, café and naïve are fine.",
        "A sentence.  Two spaces.",
        "1. a list",
        "- a list",
        "# heading",
        "see example.com",
        "see https://example.org/x",
        "a <b>tag</b> & entity",
        "under_score and *stars*",
        "line with trailing space \nnext",
        "    indented code",
        "Quote:\n> quoted",
        "Setext\n===",
        "Hi!\nThere",
        "e.g. this",
        "",
    ],
)
def test_rationale_html_matches_render_markdown(text: str) -> None:
    assert store.rationale_html(text) == (str(sanitize.render_markdown(text)) if text else "")


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(list("ab1 .,;:?!'\"()%/\n_*#-<>&[]`~|\\=+@éß€“”—")), max_size=40
    )
)
def test_rationale_html_fast_path_is_exact(text: str) -> None:
    assert store.rationale_html(text) == (str(sanitize.render_markdown(text)) if text else "")


def test_public_reads(db: Any, desk: dict[str, Any]) -> None:
    first, second, third = desk["planet_claims"][:3]
    entry = store.public_claim(db, first)
    assert entry["claim_id"] == first and entry["article"]["body"] == PLANET.strip()
    assert entry["version"]["version"] == 1 and entry["withdrawn"] is None
    article, entries = store.public_article(db, desk["planet"])
    assert article["id"] == desk["planet"]
    assert [e["claim_id"] for e in entries] == [first, second]
    for claim_id in (third, *desk["courier_claims"], 999_999):
        with pytest.raises(store.NotFound) as caught:
            store.public_claim(db, claim_id)
        assert str(caught.value) == f"claim {claim_id}"
    for article_id in (desk["courier"], desk["quiet"], 999_999):
        with pytest.raises(store.NotFound):
            store.public_article(db, article_id)


# The columnar fast paths: the same text as the reference renderers ---------------------------

NASTY = """=HYPERLINK("http://evil","x"), said the "mayor"; Ünïcödé ✓ 日本語

+49 rose by 12% to 3,400, "quoted", with a tab\there.

-5 degrees; @handle claimed 40, and
a line break inside.
"""


OKAFOR = """Exports fall

Trade minister Maria Okafor said on Monday that exports fell 12% in 2024. She said the port \
was closed for six weeks. The ministry's figures show 3,100 firms exported goods.
"""


def _okafor_claims() -> list[dict[str, Any]]:
    def at(text: str) -> tuple[int, int]:
        start = OKAFOR.index(text)
        return start, start + len(text)

    name, fell, port = at("Maria Okafor"), at("exports fell 12% in 2024"), at("the port")
    closed, firms = at("She said the port was closed for six weeks."), at("3,100 firms")
    return [
        {
            "start": fell[0],
            "end": fell[1],
            "quote": "exports fell 12% in 2024",
            "text": "Maria Okafor said that exports fell 12% in 2024.",
            "checkworthy": True,
            "score": 0.9,
            "claimant": "Maria Okafor",
            "claimant_start": name[0],
            "claimant_end": name[1],
            "claimant_kind": "person",
            "wording_source": "rewritten",
            "wording_spans": [list(name), list(fell)],
        },
        {
            "start": closed[0],
            "end": closed[1],
            "quote": OKAFOR[closed[0] : closed[1]],
            "text": OKAFOR[closed[0] : closed[1]],
            "checkworthy": True,
            "claimant": "Maria Okafor",
            "claimant_start": name[0],
            "claimant_end": name[1],
            "claimant_kind": "person",
            "wording_source": "quote",
            "wording_spans": [list(closed), list(port)],
        },
        {
            "start": firms[0] - 28,
            "end": firms[1] + 16,
            "quote": OKAFOR[firms[0] - 28 : firms[1] + 16],
            "text": "The ministry's figures show 3,100 firms exported goods.",
            "claimant": "the ministry",
            "claimant_kind": "organization",
        },
    ]


OKAFOR_CLAIMS = _okafor_claims()


def build_varied_desk(db: Any) -> dict[str, Any]:
    """build_desk plus an article of awkward text: formula-like cells, quotes, commas,
    newlines, unicode, sources with odd characters, a rationale without stored HTML."""
    desk = build_desk(db)
    ids = desk["users"]
    nasty = add(
        db, NASTY, title='=cmd|" /C calc"!A0', publisher="-Minus, Inc.", url="@https://x.example/"
    )
    store.create_article(
        db, {"title": "Empty too", "body": "Nothing.", "published": None}, [], None
    )
    claims = store.list_claims(db, nasty)
    assert claims
    odd = {"url": 'https://a.example/?q=1,2&x="y"', "title": 'T, "q"\n2', "stance": "refutes"}
    other = {"url": "https://b.example/ü", "title": "Ü", "stance": "context", "excerpt": "=1+1"}
    texts = [
        "=SUM(A1)\n\nSecond paragraph, 100% sure (%s, %%), with **bold** and a link https://x.example/a.",
        '-1 is "wrong"; see <script>alert(1)</script> & more\r\nline',
        "Plain prose, nothing else.",
        "",
    ]
    for i, claim in enumerate(claims):
        for j, user in enumerate(("alice", "bob", "carol")):
            if user not in ids:
                continue
            store.record_verdict(
                db,
                claim["id"],
                ids[user],
                RATINGS[(i + j) % len(RATINGS)],
                texts[(i + j) % len(texts)],
                [odd, other, odd] if j == 0 else [other],
                None,
                RATINGS,
            )
        if i % 2 == 0:
            store.record_final_verdict(
                db, claim["id"], ids["edna"], RATINGS[i % len(RATINGS)], "+Reason, \"q\"\n",
                None, RATINGS,
            )  # fmt: skip
    # Claimants: typed by hand (formula-like, quotes, commas), and as the extractor gives them.
    first = store.get_claim(db, claims[0]["id"])
    store.set_claimant(db, first["id"], '=Dr. "Ann", Lee', "person", first["version"], ids["alice"])
    if len(claims) > 1:
        store.set_claimant(db, claims[1]["id"], "Ünïon, Inc.", "organization", 1, ids["alice"])
    _archive_some_sources(db)
    okafor = store.create_article(
        db, {"title": "Exports", "body": OKAFOR, "published": "2025-03-01"}, OKAFOR_CLAIMS, None
    )
    # A verdict written without its HTML (as plain SQL would): the export computes it.
    db.conn.execute(
        "UPDATE verdicts SET rationale_html = NULL WHERE id = (SELECT max(id) FROM verdicts)"
    )
    db.conn.commit()
    desk["nasty"] = nasty
    desk["okafor"] = okafor
    return desk


def _archive_some_sources(db: Any) -> None:
    """One cited source archived (its excerpt a close match, its link changed), another
    failed with an awkward reason: the exports carry each source's archive."""
    from factcheck.evidence.archive import Capture
    from factcheck.evidence.excerpts import ExcerptCheck
    from factcheck.store import evidence as records

    def record(url: str) -> int:
        return db.execute("SELECT id FROM source_records WHERE url = ?", (url,)).fetchone()[0]

    odd, other = record('https://a.example/?q=1,2&x="y"'), record("https://b.example/ü")
    capture = Capture(
        requested_url="https://b.example/ü",
        final_url='https://b.example/ü?x="1",2',
        fetched_at="2026-12-07T18:00:00.123456+00:00",
        status=200,
        content_type="text/html",
        sha256="ab" * 32,
        size=10,
        title="Ü",
        text="=1+1 is two",
        warc=b"\x1f\x8b",
    )
    archive_id, excerpts = records.save_capture(db, other, capture)
    assert excerpts == ["=1+1"]
    records.save_excerpt_checks(db, archive_id, [("=1+1", ExcerptCheck("close", 91.6, 0, 4))])
    records.save_link_check(db, other, "changed", "The text differs.")
    records.save_failure(db, odd, 'The server answered 404 "Not, Found"\nfor 100% of it.', True)


FAST_FILTERS = [
    store.ExportFilter(),
    store.ExportFilter(include_dismissed=True),
    store.ExportFilter(status="decided"),
    store.ExportFilter(publisher="daily planet"),
    store.ExportFilter(since="2025-01-01", include_dismissed=True),
]


@pytest.mark.parametrize("batch_claims", [1, 2, 5, 4000])
@pytest.mark.parametrize("flt", FAST_FILTERS)
def test_fast_paths_match_the_reference_renderers(
    db: Any, flt: store.ExportFilter, batch_claims: int, monkeypatch: Any
) -> None:
    from factcheck import export

    build_varied_desk(db)
    monkeypatch.setattr(store_exports, "ARTICLE_WINDOW", 2)

    def batches(**options: Any) -> Any:
        return store_exports.export_batches(db, flt, batch_claims=batch_claims, **options)

    reference = "".join(export.csv_chunks(store.export_records(db, flt, SCALE, html=False)))
    assert b"".join(export.csv_fast_chunks(batches(full=False), SCALE)) == reference.encode()
    reference = "".join(export.jsonl_lines(store.export_records(db, flt, SCALE, body=True)))
    fast = b"".join(export.jsonl_fast_chunks(batches(body=True), SCALE, size=100))
    assert fast == reference.encode()
    meta = {"generator": "factcheck", "filter": flt.as_dict(), "scale": SCALE}
    reference = "".join(export.json_chunks(store.export_records(db, flt, SCALE, body=True), meta))
    fast = b"".join(export.json_fast_chunks(batches(body=True), SCALE, meta, chunk_size=50))
    assert fast == reference.encode()


def test_export_stream_uses_the_fast_paths(db: Any, monkeypatch: Any) -> None:
    from factcheck import export
    from factcheck.config import DEFAULTS
    from factcheck.export.stream import export_stream

    build_varied_desk(db)

    def refused(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the fast path reads batches, not records")

    everything = store.ExportFilter(include_dismissed=True)
    reference = {
        "csv": "".join(
            export.csv_chunks(
                store.export_records(db, store.ExportFilter(), SCALE, html=False), bom=True
            )
        ),
        "jsonl": "".join(
            export.jsonl_lines(store.export_records(db, everything, SCALE, body=True))
        ),
    }
    assert "=cmd" in reference["csv"] and "'=cmd" in reference["csv"]
    assert reference["jsonl"].count("rationale_html") >= 7
    monkeypatch.setattr(store, "export_records", refused)
    for fmt in ("csv", "jsonl"):
        fast = b"".join(export_stream(db, fmt, store.ExportFilter(), DEFAULTS))
        assert fast == reference[fmt].encode()


def test_rationale_html_is_stored_and_forgotten_when_the_rationale_changes(
    db: Any, desk: dict[str, Any]
) -> None:
    row = db.execute("SELECT id, rationale, rationale_html FROM verdicts LIMIT 1").fetchone()
    assert row[2] == store.rationale_html(row[1])
    db.execute("UPDATE verdicts SET rationale = 'Changed *text*' WHERE id = ?", (row[0],))
    assert (
        db.execute("SELECT rationale_html FROM verdicts WHERE id = ?", (row[0],)).fetchone()[0]
        is None
    )


def test_json_batches_read_fragments_and_match_with_an_odd_scale(db: Any) -> None:
    from factcheck import export

    build_varied_desk(db)
    # Labels with quotes and non-ASCII, a missing label and value, and ratings not in the scale.
    scale = [
        {**entry, "label": f'It\'s "{entry["label"]}" ü %s'} if i % 2 else {"key": entry["key"]}
        for i, entry in enumerate(SCALE[:-2])
    ]
    flt = store.ExportFilter(include_dismissed=True)
    batches = list(store_exports.export_batches(db, flt, body=True).json_batches())
    kinds = {len(item) for batch in batches for item in batch.items if item.__class__ is tuple}
    assert kinds == {store_exports.JSON_PIECES, len(store_exports.CLAIM_COLUMNS.split(","))}
    reference = "".join(export.jsonl_lines(store.export_records(db, flt, scale, body=True)))
    fast = store_exports.export_batches(db, flt, body=True, batch_claims=3)
    assert b"".join(export.jsonl_fast_chunks(fast, scale)) == reference.encode()


TRICKY = [
    "=1+1",
    "+x",
    "-y",
    "@z",
    "\tt",
    "\rr",
    'a "q", b',
    "line\nbreak",
    "cr\r\nlf",
    "ü ✓ 日本",
    "",
]


@pytest.mark.parametrize("batch_claims", [1, 3, 4000])
def test_csv_written_by_sqlite_matches_with_tricky_cells(db: Any, batch_claims: int) -> None:
    """Cells that need neutralising or quoting, empty and NULL values, duplicate sources and a
    source holding the separator character: the SQL-built CSV is the reference's text."""
    from factcheck import export

    build_varied_desk(db)
    conn = db.conn
    claim_ids = [row[0] for row in conn.execute("SELECT id FROM claims ORDER BY id")]
    for i, claim_id in enumerate(claim_ids):
        text = TRICKY[i % len(TRICKY)]
        conn.execute(
            "UPDATE claims SET quote = ?, text = ?, score = ? WHERE id = ?",
            (text, TRICKY[(i + 3) % len(TRICKY)], None if i % 3 == 0 else -0.1 * i, claim_id),
        )
        conn.execute(
            "UPDATE verdicts SET rationale = ? WHERE claim_id = ?",
            (TRICKY[(i + 5) % len(TRICKY)], claim_id),
        )
        conn.execute(
            "UPDATE claims SET claimant = ? WHERE id = ?", (TRICKY[(i + 1) % len(TRICKY)], claim_id)
        )
        conn.execute(
            "UPDATE final_verdicts SET reason = ?, decided_by = NULL"
            " WHERE claim_id = ? AND claim_id % 2",
            (TRICKY[(i + 7) % len(TRICKY)], claim_id),
        )
    conn.execute("UPDATE sources SET url = '-dup' WHERE id % 2 = 0")
    conn.execute("UPDATE sources SET url = 'sep' || char(30) || 'x' WHERE id = 1")
    # Sources' details with line breaks, separators and formulas; a reviewer named like one.
    conn.execute(
        "UPDATE sources SET title = 'a' || char(13, 10) || 'b | c', excerpt = '=x' || char(13)"
        " || 'y' || char(10) || 'z', publisher = '\"q\", z' WHERE id % 3 = 0"
    )
    conn.execute("UPDATE sources SET title = '', publisher = '' WHERE id % 3 = 1")
    conn.execute(
        "UPDATE users SET username = '=bob' || char(13) WHERE id = (SELECT min(user_id) FROM"
        " verdicts)"
    )
    conn.execute("UPDATE articles SET title = '@t,\"x\"', publisher = ''")
    conn.commit()
    with store.transaction(db):  # (rebuilds the fragments of the claims changed above)
        pass
    scale = [{**SCALE[0], "label": '=Odd, "label"'}, *SCALE[1:]]
    for flt in FAST_FILTERS:
        reference = "".join(export.csv_chunks(store.export_records(db, flt, scale, html=False)))
        batches = store_exports.export_batches(db, flt, full=False, batch_claims=batch_claims)
        kinds = {len(c) for b in batches.csv_batches() for c in b.items if c.__class__ is tuple}
        assert kinds <= {store_exports.CSV_PIECES} and (kinds or not reference.count("\n") > 1)
        assert b"".join(export.csv_fast_chunks(batches, scale)) == reference.encode()
        if flt == store.ExportFilter():
            assert "a b | c" in reference and "'=bob\n: " in reference


# Stored export fragments (migration m005): kept right by triggers after every write -----------


def fast_and_reference(db: Any, scale: Any = SCALE) -> dict[str, str]:
    """Every format through the fast path, asserting each equals the full record path."""
    from factcheck import export

    flt, everything = store.ExportFilter(), store.ExportFilter(include_dismissed=True)
    out = {
        "csv": b"".join(
            export.csv_fast_chunks(store_exports.export_batches(db, flt, full=False), scale)
        ).decode(),
        "jsonl": b"".join(
            export.jsonl_fast_chunks(store_exports.export_batches(db, everything, body=True), scale)
        ).decode(),
    }
    assert out["csv"] == "".join(
        export.csv_chunks(store.export_records(db, flt, scale, html=False))
    )
    assert out["jsonl"] == "".join(
        export.jsonl_lines(store.export_records(db, everything, scale, body=True))
    )
    meta = {"generator": "factcheck"}
    fast = export.json_fast_chunks(
        store_exports.export_batches(db, everything, body=True), scale, meta
    )
    assert (
        b"".join(fast)
        == "".join(
            export.json_chunks(store.export_records(db, everything, scale, body=True), meta)
        ).encode()
    )
    return out


def assert_fragments_current(db: Any) -> None:
    """Nothing is stale: every claim has exactly its fragments as the views compute them now."""
    assert db.execute("SELECT count(*) FROM fragments_stale").fetchone()[0] == 0
    n = db.execute("SELECT count(*) FROM claims").fetchone()[0]
    for table in ("csv_fragments", "json_fragments"):
        assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == n  # noqa: S608
        for a, b in ((table, f"{table}_v"), (f"{table}_v", table)):
            stale = db.execute(f"SELECT * FROM {a} EXCEPT SELECT * FROM {b}").fetchall()  # noqa: S608
            assert stale == [], (a, b)


def _verdict_of(db: Any, claim_id: int, user_id: int) -> dict[str, Any]:
    verdict = store.get_verdict(db, claim_id, user_id)
    assert verdict is not None
    return verdict


def _edit(db: Any, desk: dict[str, Any], what: str) -> str:
    """Make one change after the fact; return a text that the next export must contain."""
    ids = desk["users"]
    first, second, third = desk["planet_claims"]
    source = {"url": "https://stats.example/new-source", "title": "New", "stance": "context"}
    if what == "verdict changed":
        verdict = _verdict_of(db, first, ids["alice"])
        store.record_verdict(
            db, first, ids["alice"], "mostly-true", "Changed my mind, see the annex.",
            [], verdict["version"], RATINGS,
        )  # fmt: skip
        return "Changed my mind, see the annex."
    if what == "source added":
        verdict = _verdict_of(db, first, ids["bob"])
        store.record_verdict(
            db, first, ids["bob"], verdict["rating"], verdict["rationale"], [source],
            verdict["version"], RATINGS,
        )  # fmt: skip
        return "https://stats.example/new-source"
    if what == "source removed":
        verdict = _verdict_of(db, first, ids["alice"])
        store.record_verdict(
            db, first, ids["alice"], verdict["rating"], verdict["rationale"], [],
            verdict["version"], RATINGS,
        )  # fmt: skip
        return ""
    if what == "final verdict set":
        store.record_verdict(db, third, ids["alice"], "half-true", "Half.", [], None, RATINGS)
        store.record_final_verdict(
            db, third, ids["edna"], "half-true", "Settled later.", None, RATINGS,
            correction_note="Added after publishing.",
        )  # fmt: skip
        return "Settled later."
    if what == "claim reworded":
        claim = store.get_claim(db, second)
        wording = "The tunnel budget is 1.2 billion."
        store.edit_claim_text(db, second, wording, claim["version"], None)
        return wording
    if what == "claim dismissed":
        claim = store.get_claim(db, second)
        store.set_claim_dismissed(db, second, True, claim["version"], ids["edna"])
        return ""
    if what == "user renamed (plain SQL)":
        db.conn.execute("UPDATE users SET username = 'alicia' WHERE username = 'alice'")
        return "alicia"
    if what == "verdict deleted (plain SQL)":
        db.conn.execute("DELETE FROM verdicts WHERE claim_id = ?", (first,))
        return ""
    if what == "rationale without HTML (plain SQL)":
        db.conn.execute(
            "UPDATE verdicts SET rationale = 'Now *emphasised*' WHERE claim_id = ?", (first,)
        )
        return "<em>emphasised</em>"
    raise AssertionError(what)


EDITS = [
    "verdict changed",
    "source added",
    "source removed",
    "final verdict set",
    "claim reworded",
    "claim dismissed",
    "user renamed (plain SQL)",
    "verdict deleted (plain SQL)",
    "rationale without HTML (plain SQL)",
]


@pytest.mark.parametrize("what", EDITS)
def test_edits_after_the_fact_show_up_in_the_next_export(
    db: Any, desk: dict[str, Any], what: str
) -> None:
    before = fast_and_reference(db)
    assert_fragments_current(db)
    expected = _edit(db, desk, what)
    # Right at once; a claim written outside the store is read the slow way until the next
    # store transaction rebuilds its fragments.
    after = fast_and_reference(db)
    assert after["csv"] != before["csv"] and after["jsonl"] != before["jsonl"]
    if expected:
        assert expected in after["jsonl"] and expected not in before["jsonl"]
    stale = db.execute("SELECT count(*) FROM fragments_stale").fetchone()[0]
    assert bool(stale) == ("plain SQL" in what)
    with store.transaction(db):
        pass
    assert_fragments_current(db)
    assert fast_and_reference(db) == after


def test_fragments_survive_a_sequence_of_edits_and_an_odd_scale(db: Any) -> None:
    desk = build_varied_desk(db)
    for what in EDITS:
        _edit(db, desk, what) if what != "verdict deleted (plain SQL)" else None
    store.refresh_fragments(db)
    assert_fragments_current(db)
    scale = [{**entry, "label": f'=It\'s "{entry["label"]}"'} for entry in SCALE[1:]]
    fast_and_reference(db, scale)


def test_an_import_keeps_the_fragments(db: Any, desk: dict[str, Any], app: Any) -> None:
    from factcheck.db import connect, migrate
    from factcheck.store.imports import items_from_json

    exported = fast_and_reference(db)["jsonl"]
    other = connect(str(app.config["DATABASE"]) + ".copy")
    migrate(other)
    items = list(items_from_json("[" + ",".join(exported.splitlines()) + "]", "x.json"))
    summary = store.import_items(other, items, ratings=RATINGS, max_bytes=1_000_000)
    assert summary.imported
    assert_fragments_current(other)
    fast_and_reference(other)
    other.close()


def desk_before(tmp_path: Any, stop_before: str) -> tuple[Any, dict[str, Any]]:
    """The varied desk (built by today's store) in a database with the migrations before
    ``stop_before`` only: its rows copied, column by column, as far as the old schema has them
    (the store writes today's schema; an old database only ever held what its schema had)."""
    from factcheck.db import connect, migrate, migrations

    new = connect(str(tmp_path / "new.db"))
    migrate(new)
    for name, role in [("edna", "editor"), ("alice", "reviewer"), ("bob", "reviewer")]:
        store.create_user(new, name, "a long enough password", role=role)
    desk = build_varied_desk(new)
    new.close()
    old = connect(str(tmp_path / "old.db"))
    migrations.apply(old, stop_before=stop_before)
    conn = old.conn
    conn.execute("ATTACH DATABASE ? AS src", (str(tmp_path / "new.db"),))
    conn.execute("PRAGMA foreign_keys = OFF")  # (tables copied one by one, not all of them)
    conn.execute("BEGIN")
    tables = ["users", "articles", "claims", "verdicts", "sources", "final_verdicts"]
    tables += ["corrections", "assignments", "settings", "audit_log"]
    for table in tables:
        if table not in old.table_names():
            continue
        here = {row[1] for row in conn.execute(f"PRAGMA main.table_info({table})")}
        there = [row[1] for row in conn.execute(f"PRAGMA src.table_info({table})")]
        columns = ", ".join(f'"{c}"' for c in there if c in here)
        conn.execute(
            f"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM src.{table}"  # noqa: S608
            " ORDER BY rowid"
        )
    conn.execute("COMMIT")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("DETACH DATABASE src")
    return old, desk


def test_the_migration_backfills_an_existing_database(tmp_path: Any) -> None:
    from factcheck.db import migrate

    old, _desk = desk_before(tmp_path, "m005_export_fragments")
    assert "csv_fragments" not in old.table_names()
    assert migrate(old)[:2] == ["m005_export_fragments", "m006_rationale_html_code"]
    assert_fragments_current(old)
    # One verdict was written without its HTML: that claim takes the slow path.
    assert old.execute("SELECT count(*) FROM json_fragments WHERE tail IS NULL").fetchone()[0] == 1
    fast_and_reference(old)
    old.close()


# Migration m006: rationale HTML with code rendered again (it was escaped twice) ----------------

CODE_RATIONALES = [
    "Quote: `a && b < c`, see https://example.org/t?a=1&b=2",
    '```\nif a < b && c:\n    print("<script>")\n```',
    "The table:\n\n    x & y > 3\n\nthen `https://example.org/` in code.",
]


def _html_as_stored_before_m006(text: str) -> str:
    """What render_markdown stored before the fix: bleach's own linkify on code too."""
    import bleach

    html = sanitize._markdown.render(sanitize.strip_control(text))
    if bleach.linkifier.URL_RE.search(text) or "<code" in html:
        html = bleach.linkify(html, parse_email=False, skip_tags={"pre", "code"})
    return str(sanitize.clean_html(html))


def test_m006_renders_code_again_and_the_exports_follow(tmp_path: Any) -> None:
    from factcheck.db import migrate

    old, desk = desk_before(tmp_path, "m006_rationale_html_code")
    dave = store.create_user(old, "dave", "a long enough password", role="reviewer")["id"]
    claims = desk["planet_claims"]
    assert len(claims) >= len(CODE_RATIONALES)
    for claim_id, text in zip(claims, CODE_RATIONALES, strict=False):
        store.record_verdict(old, claim_id, dave, RATINGS[0], text, [], None, RATINGS)
    # The HTML as the old code stored it, and the fragments built from it.
    with store.transaction(old):
        for text in CODE_RATIONALES:
            old.conn.execute(
                "UPDATE verdicts SET rationale_html = ? WHERE rationale = ?",
                (_html_as_stored_before_m006(text), text),
            )
    assert_fragments_current(old)
    # (the record path renders the HTML again, so only the fast path's stored fragments show
    # the stored HTML; today's exports cannot read a database from before m008)
    before = old.execute("SELECT group_concat(tail, '') FROM json_fragments").fetchone()[0]
    assert "&amp;amp;" in before and "&amp;lt;" in before
    rows = "SELECT id, rationale, rationale_html, version, updated_at FROM verdicts ORDER BY id"
    verdicts_before = old.execute(rows).fetchall()

    assert migrate(old)[:1] == ["m006_rationale_html_code"]

    assert_fragments_current(old)  # (the fragments hold the new HTML: nothing left stale)
    after = fast_and_reference(old)
    assert "&amp;amp;" not in after["jsonl"] and "&amp;lt;" not in after["jsonl"]
    exported = {
        v["rationale"]: v["rationale_html"]
        for line in after["jsonl"].splitlines()
        for v in json.loads(line)["verdicts"]
    }
    for text in CODE_RATIONALES:
        assert exported[text] == str(sanitize.render_markdown(text))
    changed = 0
    for was, now in zip(verdicts_before, old.execute(rows).fetchall(), strict=True):
        assert now[0] == was[0] and now[1] == was[1] and now[3:] == was[3:]
        if now[1] in CODE_RATIONALES:
            assert now[2] == str(sanitize.render_markdown(now[1])) != was[2]
            changed += 1
        else:
            assert now[2] == was[2]  # no code: left as it was (NULL stays NULL)
    assert changed == len(CODE_RATIONALES)
    old.close()


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_fragment_batches_are_bytes_and_leave_the_connection_reading_text(
    db: Any, fmt: str
) -> None:
    build_varied_desk(db)
    batches = store_exports.export_batches(db, store.ExportFilter(include_dismissed=True))
    read = batches.csv_batches() if fmt == "csv" else batches.json_batches()
    first = next(read)
    pieces = {"csv": store_exports.CSV_PIECES, "json": store_exports.JSON_PIECES}[fmt]
    fragments = [c for c in first.items if c.__class__ is tuple and len(c) == pieces]
    assert fragments and all(c[6].__class__ is bytes for c in fragments)
    # Between two batches (and after them) the connection reads text as str again.
    assert db.execute("SELECT text FROM claims LIMIT 1").fetchone()[0].__class__ is str
    list(read)
    assert db.conn.text_factory is str


def test_m011_rebuilds_the_csv_fragments(tmp_path: Any) -> None:
    """m011: the stored CSV fragments of an existing database take the new sources cell (one
    source a line with its reviewer and details) and the one line break convention."""
    from factcheck.db import migrate

    old, _desk = desk_before(tmp_path, "m011_csv_sources")
    old.conn.execute("UPDATE verdicts SET rationale = 'two' || char(13, 10) || 'lines'")
    with store.transaction(old):  # (the fragments as m008's view builds them)
        pass
    before = old.execute("SELECT group_concat(sources, '') FROM csv_fragments").fetchone()[0]
    assert before and ": " not in before.split("http")[0]  # ("stance url; ...")
    assert migrate(old)[:1] == ["m011_csv_sources"]  # (later migrations follow it)
    assert_fragments_current(old)
    after = fast_and_reference(old)
    assert " | " in after["csv"] and "two\nlines" in after["csv"]
    assert "\r" not in after["csv"].replace("\r\n", "")
    old.close()
