"""Exports mark verdicts an editor returned to their reviewer: ``status`` "returned" with the
reason (JSON, JSONL), ``(returned by …: reason)`` in the CSV verdicts cell, a block of their
own in the printed report; agreement, majority, spread and disagreement leave them out (as the
desk's agreement does), and the fast paths equal the record path."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from factcheck import store
from factcheck.store import discussion
from tests.test_store_exports import (
    RATINGS,
    SCALE,
    assert_fragments_current,
    build_desk,
    desk_before,
    fast_and_reference,
)


@pytest.fixture
def desk(db: Any) -> dict[str, Any]:
    return build_desk(db)


def _returned(db: Any, desk: dict[str, Any]) -> int:
    """planet's claim 1 (alice true, bob mostly-false: disputed), bob's verdict returned."""
    second = desk["planet_claims"][1]
    users = desk["users"]
    discussion.return_verdict(
        db, second, users["bob"], users["edna"], "Which budget?\nThe **2024** one is out of date."
    )
    return second


def _csv_row(text: str, claim_id: int) -> dict[str, str]:
    rows = csv.DictReader(io.StringIO(text))
    return next(r for r in rows if r["claim_id"] == str(claim_id))


def test_returned_verdicts_are_marked_and_not_counted(db: Any, desk: dict[str, Any]) -> None:
    before = fast_and_reference(db)
    second = _returned(db, desk)
    out = fast_and_reference(db)  # (asserts every fast path equals the record path)
    records = {
        r["claim"]["id"]: r for r in map(json.loads, out["jsonl"].splitlines()) if r["claim"]
    }
    alice, bob = records[second]["verdicts"]
    assert (alice["status"], alice["returned"]) == ("current", None)
    assert bob["status"] == "returned" and bob["rating"] == "mostly-false"
    assert bob["returned"]["reason"] == "Which budget?\nThe **2024** one is out of date."
    assert bob["returned"]["by"] == "edna" and bob["returned"]["at"]
    agreement = records[second]["agreement"]
    assert agreement["n"] == 1 and agreement["majority"] == "true"
    assert not agreement["disagreement"]
    # every other claim reads as before (its verdicts current)
    others = [r for cid, r in records.items() if cid != second]
    assert all(v["status"] == "current" for r in others for v in r["verdicts"])
    assert _csv_row(before["csv"], desk["planet_claims"][0]) == _csv_row(
        out["csv"], desk["planet_claims"][0]
    )
    # CSV: marked with its reason on one line, and out of the "final" figures
    row = _csv_row(out["csv"], second)
    assert row["verdicts"] == (
        "alice: True; bob: Mostly false"
        " (returned by edna: Which budget? The **2024** one is out of date.)"
    )
    assert (row["n_verdicts"], row["majority"], row["disagreement"]) == ("1", "True", "false")
    was = _csv_row(before["csv"], second)
    assert (was["n_verdicts"], was["disagreement"]) == ("2", "true")
    # the "disputed" filter leaves it out, as agreement does
    assert second in claim_ids(db, store.ExportFilter(status="in-review")) + claim_ids(
        db, store.ExportFilter(status="decided")
    )
    assert second not in claim_ids(db, store.ExportFilter(status="disputed"))


def claim_ids(db: Any, flt: store.ExportFilter) -> list[int]:
    return [r["claim"]["id"] for r in store.export_records(db, flt, SCALE) if r["claim"]]


def test_saving_again_makes_it_current(db: Any, desk: dict[str, Any]) -> None:
    second = _returned(db, desk)
    bob = desk["users"]["bob"]
    verdict = store.get_verdict(db, second, bob)
    store.record_verdict(
        db, second, bob, "true", "The 2025 budget.", [], verdict["version"], RATINGS
    )
    out = fast_and_reference(db)
    record = next(
        r
        for r in map(json.loads, out["jsonl"].splitlines())
        if (r["claim"] or {}).get("id") == second
    )
    assert [v["status"] for v in record["verdicts"]] == ["current", "current"]
    assert record["agreement"]["n"] == 2
    assert_fragments_current(db)


def test_the_report_shows_returned_verdicts_apart(
    db: Any, desk: dict[str, Any], login: Any
) -> None:
    second = _returned(db, desk)
    html = login("edna").get(f"/articles/{desk['planet']}/report").get_data(as_text=True)
    part = html.split(f'id="claim-{second}"')[1].split("</article>")[0]
    assert "1 verdict;" in part and "reviewers disagree" not in part
    counted, block = part.split('class="returned-verdicts"')
    assert "bob:" not in counted  # (returned: neither agreeing nor dissenting)
    assert "Returned to the reviewer" in block and "Returned to bob by edna" in block
    assert "<strong>2024</strong>" in block and "bob: Mostly false" in block


def test_m017_rebuilds_the_json_fragments(tmp_path: Any) -> None:
    """m017: an existing database's JSON fragments take each verdict's status, and the fast
    paths still equal the record path (with a return open on one claim)."""
    from factcheck.db import migrate

    old, _desk = desk_before(tmp_path, "m017_export_returns")
    with store.transaction(old):
        pass
    assert (
        '"status":"current"'
        not in old.execute("SELECT group_concat(tail, '') FROM json_fragments").fetchone()[0]
    )
    assert migrate(old)[:1] == ["m017_export_returns"]
    assert_fragments_current(old)
    assert (
        '"status":"current","returned":null'
        in old.execute("SELECT group_concat(tail, '') FROM json_fragments").fetchone()[0]
    )
    fast_and_reference(old)
    old.close()


def _thread(text: str, claim_id: int) -> list[tuple[Any, ...]]:
    record = next(
        r
        for r in map(json.loads, text.splitlines())
        if (r.get("claim") or {}).get("id") == claim_id
    )
    return [
        (c["by"], c["kind"], c["body"], (c["returned"] or {}).get("reviewer"))
        for c in record["comments"]
    ]


def test_comments_are_exported_to_whoever_may_see_them(db: Any, desk: dict[str, Any]) -> None:
    """The JSON formats carry each claim's thread (hand-backs with whose verdict, when, and
    whether it is still open), the fast paths as the record path; a reviewer's own export
    under blind review holds only what their panel shows, and a "Published" export none."""
    from factcheck.config import DEFAULTS
    from factcheck.export.stream import export_stream

    users = desk["users"]
    second = _returned(db, desk)
    discussion.add_comment(db, second, users["alice"], "I used the 2025 table.")
    discussion.add_comment(db, second, users["edna"], "Thanks, both.")
    out = fast_and_reference(db)
    reason = "Which budget?\nThe **2024** one is out of date."
    everything = [
        ("edna", "return", reason, "bob"),
        ("alice", "comment", "I used the 2025 table.", None),
        ("edna", "comment", "Thanks, both.", None),
    ]
    assert _thread(out["jsonl"], second) == everything
    record = next(r for r in map(json.loads, out["jsonl"].splitlines()) if r["claim"])
    assert record["comments"] == []  # (a claim without comments)
    returned = next(
        c["returned"]
        for r in map(json.loads, out["jsonl"].splitlines())
        if (r["claim"] or {}).get("id") == second
        for c in r["comments"]
    )
    assert returned["resolved_at"] is None and returned["at"]

    def exported(user: str | None, **flt: Any) -> str:
        who = store.user_by_name(db, user) if user else None
        chunks = export_stream(db, "jsonl", store.ExportFilter(**flt), DEFAULTS, user=who)
        return b"".join(chunks).decode()

    store.update_settings(db, {"blind_verdicts": True}, None)
    store.create_user(db, "carol", "long enough password", role="reviewer")
    store.set_assignments(
        db, desk["planet"], [users["bob"], store.user_by_name(db, "carol")["id"]], None
    )
    # carol has no verdict on it: the editors' comments, not alice's nor bob's hand-back
    assert _thread(exported("carol"), second) == everything[2:]
    assert _thread(exported("bob"), second) == everything  # (his verdict is in)
    assert _thread(exported(None), second) == everything
    # the published record holds no talk
    assert _thread(exported(None, published=True), desk["planet_claims"][0]) == []
