"""The published record: what is public is an immutable published version of each claim."""

from __future__ import annotations

import json
import re
import sqlite3
from typing import Any

import pytest

from factcheck import store
from factcheck.store import published
from tests.test_store_exports import RATINGS, build_desk

JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture
def desk(db: Any) -> dict[str, Any]:
    return build_desk(db)


def page(client: Any, url: str) -> str:
    """The page without its CSRF token (signed with the time: it changes every second)."""
    response = client.get(url)
    assert response.status_code == 200
    return re.sub(r'name="csrf-token" content="[^"]*"', "", response.get_data(as_text=True))


def public(client: Any, claim_id: int) -> tuple[str, dict[str, Any] | None]:
    html = page(client, f"/verdicts/{claim_id}")
    scripts = JSONLD.findall(html)
    return html, json.loads(scripts[0]) if scripts else None


def test_publishing_writes_version_one_of_each_settled_claim(db: Any, desk: dict[str, Any]) -> None:
    first, second, third = desk["planet_claims"][:3]
    one = store.latest_version(db, first)
    assert (one["version"], one["status"], one["rating"]) == (1, "published", "false")
    assert one["text"] == store.get_claim(db, first)["text"]
    assert one["reason"] == "The minutes say 27."
    assert one["sources"] == [
        {
            "url": "https://stats.example/tunnel",
            "title": "Minutes",
            "publisher": "",
            "excerpt": "",
            "stance": "supports",
            "accessed": None,
            "reviewer": "alice",
        }
    ]
    assert one["article"] == {
        "title": "Tunnel",
        "url": None,
        "publisher": "Daily Planet",
        "author": None,
        "published": "2025-05-06",
    }
    assert one["published_by_name"] == "edna" and one["note"] is None
    assert store.latest_version(db, third) is None  # no final verdict: not published
    # the correction made with the settle form after publishing is version 2
    two = store.latest_version(db, second)
    assert two["version"] == 2 and two["note"] == "The budget figure is rounded."
    assert two["changes"] == {
        "rating": {"before": "true", "after": "mostly-true"},
        "reason": {"before": "Budget 2025.", "after": "Budget 2025, rounded."},
    }


def test_versions_are_immutable(db: Any, desk: dict[str, Any]) -> None:
    first = desk["planet_claims"][0]
    for sql in (
        "UPDATE published_claims SET text = 'Changed' WHERE claim_id = ?",
        "DELETE FROM published_claims WHERE claim_id = ?",
        "UPDATE article_publications SET note = 'x' WHERE article_id = ?",
        "DELETE FROM article_publications WHERE article_id = ?",
    ):
        arg = first if "published_claims" in sql else desk["planet"]
        with pytest.raises(sqlite3.IntegrityError, match="immutable"):
            db.conn.execute(sql, (arg,))
    with pytest.raises(sqlite3.IntegrityError):  # a later version needs its note
        db.conn.execute(
            'INSERT INTO published_claims (claim_id, article_id, version, status, start, "end",'
            " quote, text, rating, published_at) SELECT claim_id, article_id, 9, status, start,"
            ' "end", quote, text, rating, published_at FROM published_claims WHERE claim_id = ?',
            (first,),
        )


def test_a_reviewers_wording_edit_changes_nothing_public(
    client: Any, db: Any, desk: dict[str, Any], login: Any
) -> None:
    first = desk["planet_claims"][0]
    html, doc = public(client, first)
    article_html = page(client, f"/verdicts/article/{desk['planet']}")
    claim = store.get_claim(db, first)
    alice = login("alice")
    store.set_assignments(db, desk["planet"], [desk["users"]["alice"]], None)
    alice.post(
        f"/claims/{first}/edit",
        data={"text": "The tunnel cost 2024 million.", "version": claim["version"]},
    )
    claim = store.get_claim(db, first)  # (her edit became a proposal, or changed it live)
    store.edit_claim_text(db, first, "Edited live by anyone.", claim["version"], None)
    assert "Edited live" in store.get_claim(db, first)["text"]  # (the live claim changed)
    assert public(client, first) == (html, doc)
    assert page(client, f"/verdicts/article/{desk['planet']}") == article_html
    assert doc is not None and "Edited" not in doc["claimReviewed"]


def test_an_editors_correction_is_a_new_version_everywhere(
    client: Any, db: Any, desk: dict[str, Any], login: Any
) -> None:
    first = desk["planet_claims"][0]
    _, doc = public(client, first)
    assert doc["dateModified"] == doc["datePublished"]
    edna = login("edna")
    page = edna.get(f"/claims/{first}/correction").get_data(as_text=True)
    assert "Public now (version 1)" in page
    response = edna.post(
        f"/claims/{first}/correction",
        data={
            "text": "The tunnel cost 27 million euros.",
            "rating": "mostly-false",
            "reason": "The minutes say 27, the total is higher.",
            "note": "We misread the total.",
            "published_version": "1",
        },
    )
    assert response.status_code == 302
    version = store.latest_version(db, first)
    assert version["version"] == 2 and version["text"] == "The tunnel cost 27 million euros."
    html, doc = public(client, first)
    assert "We misread the total." in html and "The tunnel cost 27 million euros." in html
    assert '<strong class="badge tone-1">Mostly false</strong>' in html
    assert "<dt>Verdict</dt>" in html and "<dt>Wording</dt>" in html
    assert doc["claimReviewed"] == "The tunnel cost 27 million euros."
    assert doc["reviewRating"]["alternateName"] == "Mostly false"
    assert doc["dateModified"] == version["published_at"][:10]
    article = client.get(f"/verdicts/article/{desk['planet']}").get_data(as_text=True)
    assert "We misread the total." in article and "The tunnel cost 27 million euros." in article
    # the live claim carries the correction too, and its history the note
    assert store.get_claim(db, first)["text"] == "The tunnel cost 27 million euros."
    assert store.get_final_verdict(db, first)["rating"] == "mostly-false"
    actions = [(e["action"], e["table_name"]) for e in store.claim_history(db, first)]
    assert ("correct", "published_claims") in actions and ("correct", "claims") in actions


def test_a_refused_correction_keeps_what_was_typed(
    db: Any, desk: dict[str, Any], login: Any
) -> None:
    first = desk["planet_claims"][0]
    edna = login("edna")
    response = edna.post(
        f"/claims/{first}/correction",
        data={"text": "Typed wording", "rating": "true", "reason": "Typed reason", "note": ""},
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Typed wording" in html and "Typed reason" in html
    assert re.search(r'class="has-error">Correction note.*?field-error', html, re.S)
    assert store.latest_version(db, first)["version"] == 1
    # nothing differs: refused, with the reason next to the note
    claim = store.get_claim(db, first)
    response = edna.post(
        f"/claims/{first}/correction",
        data={
            "text": claim["text"],
            "rating": "false",
            "reason": "The minutes say 27.",
            "note": "No change.",
        },
    )
    assert response.status_code == 400 and "Nothing differs" in response.get_data(as_text=True)
    # another editor published meanwhile: 409, input kept
    store.publish_correction(db, first, desk["users"]["edna"], "Other.", text="Other wording")
    response = edna.post(
        f"/claims/{first}/correction",
        data={
            "text": "Mine",
            "rating": "false",
            "reason": "",
            "note": "My note",
            "published_version": "1",
        },
    )
    assert response.status_code == 409
    assert "My note" in response.get_data(as_text=True)


def test_corrections_of_sources_and_republishing(db: Any, desk: dict[str, Any]) -> None:
    first = desk["planet_claims"][0]
    alice = desk["users"]["alice"]
    verdict = store.get_verdict(db, first, alice)
    store.record_verdict(
        db,
        first,
        alice,
        "false",
        "Minutes say 27.",
        [{"url": "https://other.example/", "title": "Other", "stance": "refutes"}],
        verdict["version"],
        RATINGS,
    )
    assert store.latest_version(db, first)["sources"][0]["url"] == "https://stats.example/tunnel"
    version = store.publish_correction(db, first, desk["users"]["edna"], "Better source.")
    assert version["changes"]["sources"]["after"][0]["url"] == "https://other.example/"
    with pytest.raises(store.Invalid, match="Nothing differs"):
        store.publish_correction(db, first, desk["users"]["edna"], "Again.")
    with pytest.raises(store.Invalid, match="note"):
        store.publish_correction(db, first, desk["users"]["edna"], "  ", text="X")


def test_a_source_that_only_moved_to_another_reviewer_is_no_change(
    db: Any, desk: dict[str, Any]
) -> None:
    first = desk["planet_claims"][0]
    edna, bob = desk["users"]["edna"], desk["users"]["bob"]
    before = store.latest_version(db, first)
    # bob cites the same source with the rating the correction moves to: the published
    # sources become his, which readers cannot tell apart
    verdict = store.get_verdict(db, first, bob)
    source = {k: v for k, v in before["sources"][0].items() if k != "reviewer"}
    store.record_verdict(
        db,
        first,
        bob,
        "half-true",
        "Same minutes.",
        [source],
        verdict["version"] if verdict else None,
        RATINGS,
    )
    version = store.publish_correction(
        db, first, edna, "Rounded.", rating="half-true", ratings=RATINGS
    )
    assert version["sources"][0]["reviewer"] == "bob"
    assert set(version["changes"]) == {"rating"}


def test_withdraw_a_claim_with_a_note(client: Any, db: Any, desk: dict[str, Any]) -> None:
    first = desk["planet_claims"][0]
    edna = desk["users"]["edna"]
    with pytest.raises(store.Invalid, match="note"):
        store.withdraw_claim(db, first, edna, "")
    store.withdraw_claim(db, first, edna, "The claim was never made.")
    html, doc = public(client, first)
    assert doc is None and "withdrawn on" in html and "The claim was never made." in html
    article = client.get(f"/verdicts/article/{desk['planet']}").get_data(as_text=True)
    assert "Withdrawn fact-checks" in article and "The claim was never made." in article
    assert f'id="claim-{first}"' not in article
    # a correction publishes it again
    store.publish_correction(db, first, edna, "Restored after review.", text="Restored wording")
    html, doc = public(client, first)
    assert doc is not None and doc["claimReviewed"] == "Restored wording"


def test_publishing_again_adds_newly_settled_claims_only(db: Any, desk: dict[str, Any]) -> None:
    first, _second, third = desk["planet_claims"][:3]
    edna = desk["users"]["edna"]
    claim = store.get_claim(db, first)
    store.edit_claim_text(db, first, "Live change", claim["version"], None)
    store.record_final_verdict(db, third, edna, "true", "Checked.", None, RATINGS)
    store.publish_article(db, desk["planet"], edna)
    assert store.latest_version(db, third)["version"] == 1
    assert store.latest_version(db, first)["version"] == 1  # (a correction's business)
    assert store.latest_version(db, first)["text"] != "Live change"
    # an unpublished article published again keeps its claims' versions
    store.publish_article(db, desk["planet"], edna, publish=False, note="Paused.")
    store.publish_article(db, desk["planet"], edna)
    article, entries = store.public_article(db, desk["planet"])
    assert article["withdrawn"] is None and len(entries) == 3
    events = published.article_publications(db, desk["planet"])
    assert [e["action"] for e in events] == ["publish", "publish", "unpublish", "publish"]


def test_settling_a_new_verdict_on_a_published_claim_needs_a_note(
    db: Any, desk: dict[str, Any]
) -> None:
    first = desk["planet_claims"][0]
    edna = desk["users"]["edna"]
    with pytest.raises(store.Invalid, match="correction"):
        store.record_final_verdict(db, first, edna, "true", "Changed.", 1, RATINGS)
    store.record_final_verdict(
        db, first, edna, "true", "Changed.", 1, RATINGS, correction_note="Re-checked."
    )
    assert store.latest_version(db, first)["rating"] == "true"


def test_m009_publishes_what_was_published_before(tmp_path: Any) -> None:
    """Articles published before m009 get version 1 of each settled claim, dated with the
    article's publication; earlier rating corrections stay listed."""
    from factcheck.db import connect, migrations
    from tests.test_store_exports import PLANET, add

    db = connect(str(tmp_path / "old.db"))
    migrations.apply(db, stop_before="m009_published_versions")
    editor = store.create_user(db, "edna", "a password 123", role="editor")["id"]
    reviewer = store.create_user(db, "alice", "a password 123")["id"]
    article_id = add(db, PLANET, title="Tunnel", published="2025-05-06")
    first, second, third = [c["id"] for c in store.list_claims(db, article_id)][:3]
    source = {"url": "https://stats.example/tunnel", "title": "Minutes", "stance": "supports"}
    store.record_verdict(db, first, reviewer, "false", "No.", [source, source], None, RATINGS)
    stamp = "2025-06-01T10:00:00+00:00"
    for claim_id, rating in ((first, "false"), (second, "true")):
        db.conn.execute(
            "INSERT INTO final_verdicts (claim_id, rating, reason, decided_by, created_at,"
            " updated_at) VALUES (?, ?, 'Why.', ?, ?, ?)",
            (claim_id, rating, editor, stamp, stamp),
        )
    db.conn.execute("UPDATE claims SET dismissed = 1 WHERE id = ?", (second,))
    db.conn.execute(
        "UPDATE articles SET published_at = ?, published_by = ? WHERE id = ?",
        (stamp, editor, article_id),
    )
    db.conn.execute(
        "INSERT INTO corrections (claim_id, before_rating, after_rating, note, user_id, at)"
        " VALUES (?, 'true', 'false', 'Misread.', ?, '2025-06-02T00:00:00+00:00')",
        (first, editor),
    )
    migrations.apply(db)
    one = store.latest_version(db, first)
    assert (one["version"], one["rating"], one["published_at"]) == (1, "false", stamp)
    assert [s["url"] for s in one["sources"]] == ["https://stats.example/tunnel"]
    assert one["sources"][0]["reviewer"] == "alice"
    assert store.latest_version(db, second) is None  # dismissed
    assert store.latest_version(db, third) is None  # not settled
    entry = store.public_claim(db, first)
    assert entry["corrections"] == [
        {
            "version": None,
            "at": "2025-06-02T00:00:00+00:00",
            "note": "Misread.",
            "changes": {"rating": {"before": "true", "after": "false"}},
            "status": "published",
            "by": "edna",
        }
    ]
    article, entries = store.public_article(db, article_id)
    assert article["published_at"] == stamp and [e["claim_id"] for e in entries] == [first]
    db.close()


def test_exports_carry_the_published_record(
    app: Any, db: Any, desk: dict[str, Any], login: Any
) -> None:
    """A live edit changes no "published" export; a correction shows in all of them."""
    import csv
    import io

    first = desk["planet_claims"][0]
    edna = login("edna")

    def download(fmt: str, query: str = "?published=yes") -> str:
        response = edna.get(f"/exports/download.{fmt}{query}")
        assert response.status_code == 200
        return response.get_data(as_text=True)

    before = {fmt: download(fmt) for fmt in ("csv", "jsonl", "claimreview")}
    claim = store.get_claim(db, first)
    store.edit_claim_text(db, first, "Edited live.", claim["version"], None)
    for fmt, text in before.items():
        assert download(fmt) == text, fmt
    store.publish_correction(
        db, first, desk["users"]["edna"], "We misread it.", text="Corrected wording."
    )
    rows = list(csv.DictReader(io.StringIO(download("csv").lstrip("\ufeff"))))
    row = next(r for r in rows if int(r["claim_id"]) == first)
    assert (row["claim"], row["published"], row["published_version"]) == (
        "Corrected wording.",
        "published",
        "2",
    )
    assert "v2: We misread it. (text: " in row["corrections"]
    assert "-> Corrected wording.)" in row["corrections"]
    lines = [json.loads(line) for line in download("jsonl").splitlines()]
    record = next(r for r in lines if r["claim"]["id"] == first)
    assert record["claim"]["text"] == "Corrected wording." and record["verdicts"] == []
    assert record["published"]["version"] == 2
    assert record["published"]["corrections"][0]["note"] == "We misread it."
    docs = json.loads(download("claimreview"))
    doc = next(d for d in docs if d["url"].endswith(f"/verdicts/{first}"))
    assert doc["claimReviewed"] == "Corrected wording."
    assert doc["dateModified"] == store.latest_version(db, first)["published_at"][:10]
    # every export (not only "published") carries the published record; the desk's own
    # exports keep the live wording
    everything = [json.loads(line) for line in download("jsonl", "").splitlines()]
    live = next(r for r in everything if r["claim"] and r["claim"]["id"] == first)
    assert live["published"]["text"] == "Corrected wording."
    assert live["claim"]["text"] == "Corrected wording."  # (the correction set it live too)
    unpublished = next(
        r for r in everything if r["claim"] and r["claim"]["id"] == desk["planet_claims"][2]
    )
    assert unpublished["published"] is None
    # a withdrawn claim leaves the published exports and ClaimReview
    store.withdraw_claim(db, first, desk["users"]["edna"], "Withdrawn.")
    assert first not in [json.loads(x)["claim"]["id"] for x in download("jsonl").splitlines()]
    assert not [
        d
        for d in json.loads(download("claimreview", ""))
        if d["url"].endswith(f"/verdicts/{first}")
    ]


def test_a_claim_not_yet_published_of_a_published_article(
    client: Any, db: Any, desk: dict[str, Any], login: Any
) -> None:
    """The correction page is also where an editor changes a claim of a published article
    that has no published version yet: saved at the desk with the note, nothing public."""
    third = desk["planet_claims"][2]
    edna = login("edna")
    page = edna.get(f"/claims/{third}/correction").get_data(as_text=True)
    assert "not published yet" in page and "Withdraw this claim" not in page
    response = edna.post(
        f"/claims/{third}/correction",
        data={"text": "A clearer wording.", "rating": "", "reason": "", "note": "Clearer."},
    )
    assert response.status_code == 302
    assert store.get_claim(db, third)["text"] == "A clearer wording."
    assert store.get_final_verdict(db, third) is None and store.latest_version(db, third) is None
    assert client.get(f"/verdicts/{third}").status_code == 404
    history = store.claim_history(db, third)
    assert history[-1]["after"]["note"] == "Clearer."


def test_csv_corrections_one_a_line(db: Any, desk: dict[str, Any]) -> None:
    """The CSV's corrections cell: one correction a line, line breaks of a note as spaces;
    the fast path writes what the record path does."""
    from factcheck import export
    from factcheck.store import exports as store_exports
    from tests.test_store_exports import SCALE

    first = desk["planet_claims"][0]
    edna = desk["users"]["edna"]
    store.publish_correction(db, first, edna, "We misread\r\nthe table.", text="Corrected.")
    store.publish_correction(db, first, edna, "=Typo\rfixed.", text="Corrected again.")
    flt = store.ExportFilter()
    reference = "".join(export.csv_chunks(store.export_records(db, flt, SCALE, html=False)))
    fast = b"".join(
        export.csv_fast_chunks(store_exports.export_batches(db, flt, full=False), SCALE)
    )
    assert fast == reference.encode()
    import csv
    import io

    row = next(r for r in csv.DictReader(io.StringIO(reference)) if int(r["claim_id"]) == first)
    lines = row["corrections"].split("\n")
    assert len(lines) == 2
    assert "v2: We misread the table. (text: " in lines[0]
    assert "v3: =Typo fixed. (text: " in lines[1]
    assert reference.count("\r") == reference.count("\r\n")  # CR only ends the rows


def test_published_records_fast_path_equals_record_path(db: Any, desk: dict[str, Any]) -> None:
    """The published record in every export is the same text through the fast paths and the
    record path, whatever its text (quotes, line breaks, formulas, control characters)."""
    from tests.test_store_exports import NASTY, fast_and_reference

    first, second = desk["planet_claims"][:2]
    edna = desk["users"]["edna"]
    nasty = NASTY.split("\n")[0]
    store.publish_correction(db, first, edna, '=SUM(A1) "quoted"\nline', text=nasty[:200])
    store.publish_correction(
        db, first, edna, "+again, ünïcödé ✓", rating="misleading", ratings=RATINGS
    )
    store.withdraw_claim(db, second, edna, "@withdrawn\ttab")
    store.publish_article(db, desk["planet"], edna, publish=False, note="-paused")
    out = fast_and_reference(db)
    records = [json.loads(line) for line in out["jsonl"].splitlines()]
    published = {r["claim"]["id"]: r["published"] for r in records if r["claim"]}
    assert published[first]["version"] == 3 and published[first]["label"] == "Misleading"
    assert published[first]["withdrawn"]["scope"] == "article"
    assert [k["version"] for k in published[first]["corrections"]] == [2, 3]
    assert published[second]["status"] == "withdrawn"
    assert published[desk["planet_claims"][2]] is None
    assert 'v2: =SUM(A1) ""quoted""' in out["csv"] and "v3: +again" in out["csv"]


def test_the_claimant_is_published_with_the_claim(
    client: Any, db: Any, desk: dict[str, Any]
) -> None:
    third = desk["planet_claims"][2]
    edna = desk["users"]["edna"]
    claim = store.get_claim(db, third)
    store.set_claimant(db, third, "Finance office", "organization", claim["version"], edna)
    store.record_final_verdict(db, third, edna, "true", "Checked.", None, RATINGS)
    store.publish_article(db, desk["planet"], edna)
    version = store.latest_version(db, third)
    assert (version["claimant"], version["claimant_kind"]) == ("Finance office", "organization")
    html, _ = public(client, third)
    assert "Claim by <strong>Finance office</strong>" in html
    claim = store.get_claim(db, third)
    store.set_claimant(db, third, "Someone else", "person", claim["version"], edna)
    assert public(client, third)[0] == html  # (a live change: nothing public changes)


def test_a_correction_changes_the_claimant(
    db: Any, desk: dict[str, Any], login: Any, client: Any
) -> None:
    """A published misattribution is corrected like a wording: a new version, the old and new
    claimant listed with the note, ClaimReview's author following; a name without its kind
    is refused next to the kind, with what was typed kept."""
    first = desk["planet_claims"][0]
    edna = login("edna")
    page = edna.get(f"/claims/{first}/correction").get_data(as_text=True)
    assert 'name="claimant"' in page and 'name="claimant_kind"' in page
    claim = store.get_claim(db, first)
    fields = {"text": claim["text"], "published_version": "1", "note": "Said by the mayor."}
    response = edna.post(
        f"/claims/{first}/correction", data={**fields, "claimant": "Mayor Ana Ruiz"}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Mayor Ana Ruiz" in html and "Said by the mayor." in html
    assert re.search(r'class="has-error">Kind of claimant.*?person or an organization', html, re.S)
    assert store.latest_version(db, first)["version"] == 1
    response = edna.post(
        f"/claims/{first}/correction",
        data={**fields, "claimant": "Mayor Ana Ruiz", "claimant_kind": "person"},
    )
    assert response.status_code == 302
    version = store.latest_version(db, first)
    assert version["version"] == 2 and version["claimant"] == "Mayor Ana Ruiz"
    assert version["changes"]["claimant"]["after"] == "Mayor Ana Ruiz"
    html, doc = public(client, first)
    assert "Said by the mayor." in html and "<dt>Claimant</dt>" in html
    assert doc["itemReviewed"]["author"] == {"@type": "Person", "name": "Mayor Ana Ruiz"}
    # back to the publication itself: an empty name
    response = edna.post(
        f"/claims/{first}/correction",
        data={**fields, "published_version": "2", "note": "Our own report.", "claimant": ""},
    )
    assert response.status_code == 302
    assert store.latest_version(db, first)["claimant"] is None
    assert store.get_claim(db, first)["claimant"] is None


def test_published_exports_hold_no_live_reviewer_figures(
    db: Any, desk: dict[str, Any], login: Any
) -> None:
    """A "published" export carries no reviewers' verdicts, and so none of the desk's live
    figures made of them either (count, majority, spread, disagreement): a reviewer's change
    after publishing changes no published export, and the Markdown summary does not count
    disagreements among verdicts it does not hold."""
    import csv
    import io

    first, second = desk["planet_claims"][:2]  # (second: alice true, bob mostly-false)
    edna = login("edna")

    def download(fmt: str) -> str:
        response = edna.get(f"/exports/download.{fmt}?published=yes")
        assert response.status_code == 200
        return response.get_data(as_text=True)

    rows = {
        int(r["claim_id"]): r for r in csv.DictReader(io.StringIO(download("csv").lstrip("\ufeff")))
    }
    for claim_id in (first, second):
        row = rows[claim_id]
        assert (row["verdicts"], row["n_verdicts"], row["majority"]) == ("", "0", "")
        assert (row["spread"], row["disagreement"]) == ("", "false")
    records = [json.loads(line) for line in download("jsonl").splitlines()]
    record = next(r for r in records if r["claim"] and r["claim"]["id"] == second)
    assert record["verdicts"] == []
    assert record["agreement"]["n"] == 0 and record["agreement"]["distribution"] == {}
    assert not record["agreement"]["disagreement"]
    markdown = download("markdown")
    assert "- Reviewers disagree: 0" in markdown
    before = {fmt: download(fmt) for fmt in ("csv", "jsonl", "markdown")}
    store.record_verdict(
        db, first, desk["users"]["bob"], "true", "Changed my mind.", [], 1, RATINGS
    )
    for fmt, text in before.items():
        assert re.sub(r"\d{4}-\d\d-\d\dT[\d:.+]+", "", download(fmt)) == re.sub(
            r"\d{4}-\d\d-\d\dT[\d:.+]+", "", text
        ), fmt


def test_who_published_corrected_and_withdrew_is_on_staff_pages_and_exports(
    client: Any, db: Any, desk: dict[str, Any], login: Any
) -> None:
    """Each published version is signed (``published_by``; article events ``user_id``): the
    desk's pages, the claim's history and the exports name the editor; the public pages name
    the desk only."""
    from tests.test_store_exports import fast_and_reference

    first, second = desk["planet_claims"][:2]
    edna = desk["users"]["edna"]
    ed2 = store.create_user(db, "olga", "correct horse battery", "editor")["id"]
    store.withdraw_claim(db, first, ed2, "The claim was never made.")
    store.publish_article(db, desk["planet"], edna, publish=False, note="Paused for review.")
    assert store.latest_version(db, first)["published_by_name"] == "olga"
    # the correction page: who made each version
    editor = login("edna")
    html = editor.get(f"/claims/{first}/correction").get_data(as_text=True)
    assert re.search(r'Withdrawn [0-9-]+ [0-9:]+ UTC by <strong class="by">olga</strong>', html)
    history = html.split('class="version-history"')[1]
    assert re.search(r"version 1 by <strong class=\"by\">edna</strong> — First published", history)
    assert re.search(r"version 2, <strong>withdrawn</strong> by <strong class=\"by\">olga", history)
    # the review panel
    panel = editor.get(f"/articles/{desk['planet']}?claim={first}").get_data(as_text=True)
    assert re.search(r"version 2</a> \(withdrawn [0-9-]+ by olga\)", panel)
    # the publish check's publishing history, newest first
    check = editor.get(f"/articles/{desk['planet']}/publish").get_data(as_text=True)
    rows = check.split('class="check-section publishing-history"')[1].split("</tbody>")[0]
    cells = [" ".join(re.sub(r"<[^>]+>", " ", row).split()) for row in rows.split("<tr class=")[1:]]
    assert "Withdrew the article edna Paused for review." in cells[0]
    assert any("Withdrew" in c and "(version 2) olga The claim was never made." in c for c in cells)
    assert any(c.startswith('"event-publish"') and "Published the article edna" in c for c in cells)
    assert any("Corrected" in c and "edna The budget figure is rounded." in c for c in cells)
    # the claim's history (the audit log) names her too
    audit = editor.get(f"/claims/{first}/history").get_data(as_text=True)
    assert re.search(r"<td>olga</td><td>withdraw published_claim</td>", audit)
    # the exports: JSON and CSV, fast path = record path
    out = fast_and_reference(db)
    records = {
        r["claim"]["id"]: r["published"]
        for r in map(json.loads, out["jsonl"].splitlines())
        if r["claim"]
    }
    assert records[first]["withdrawn"] == {
        "at": records[first]["modified_at"],
        "note": "The claim was never made.",
        "scope": "claim",
        "by": "olga",
    }
    assert records[first]["published_by"] == "edna"
    assert [k["by"] for k in records[first]["corrections"]] == ["olga"]
    assert records[second]["withdrawn"]["by"] == "edna"  # (with the article)
    assert "v2: The claim was never made. (status: published -> withdrawn) [by olga]" in out["csv"]
    # the public pages name the desk, never the editor
    for url in (f"/verdicts/{first}", f"/verdicts/{second}", f"/verdicts/article/{desk['planet']}"):
        shown = page(client, url)
        assert "olga" not in shown and "edna" not in shown
