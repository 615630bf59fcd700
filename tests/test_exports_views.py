"""Exports page and downloads, per-article formats, the extended report, import from URL, CLI."""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from factcheck import export, store
from factcheck.agreement import ordinal_order
from factcheck.cli import cli
from factcheck.config import DEFAULTS
from factcheck.db import connect
from factcheck.export import stream as export_pipeline
from factcheck.store import ExportFilter, export_records
from factcheck.views.reports import bar_chart
from tests.conftest import PASSWORD
from tests.test_articles import assert_no_injected_markup
from tests.test_store_exports import build_desk
from tests.test_urlfetch import server  # noqa: F401 (fixture)

FORMATS = {
    "csv": "text/csv",
    "json": "application/json",
    "jsonl": "application/x-ndjson",
    "claimreview": "application/ld+json",
    "markdown": "text/markdown",
}


@pytest.fixture
def desk(db: Any) -> dict[str, Any]:
    return build_desk(db)


def parse(fmt: str, text: str) -> Any:
    if fmt == "csv":
        assert text.startswith("\ufeff")
        return list(csv.DictReader(io.StringIO(text[1:], newline="")))
    if fmt == "json":
        return json.loads(text)
    if fmt == "jsonl":
        return [json.loads(line) for line in text.splitlines()]
    if fmt == "claimreview":
        return json.loads(text)
    return text


def test_exports_page(client: Any, login: Any, desk: dict[str, Any]) -> None:
    assert client.get("/exports").status_code == 302
    page = login("edna").get("/exports")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert re.search(r"\d+ claims in 2 articles", html)  # "quiet" has no claims
    for fmt in FORMATS:
        assert f"/exports/download.{fmt}" in html
    assert "/exports/claimreview-check" in html
    assert_no_injected_markup(html)


def test_a_reviewer_exports_only_what_they_may_see(
    db: Any, login: Any, desk: dict[str, Any]
) -> None:
    """Their articles only; under blind review, others' verdicts and the final verdict only
    on claims they have a verdict on."""
    bob = login("bob")
    html = bob.get("/exports").get_data(as_text=True)
    assert "0 claims in 0 articles" in html and "claimreview-check" not in html
    assert bob.get("/exports/claimreview-check").status_code == 403
    assert parse("csv", bob.get("/exports/download.csv").get_data(as_text=True)) == []
    store.set_assignments(db, desk["courier"], [desk["users"]["bob"]], desk["users"]["edna"])
    rows = parse("jsonl", bob.get("/exports/download.jsonl").get_data(as_text=True))
    first = next(r for r in rows if r["claim"]["id"] == desk["courier_claims"][0])
    assert first["verdicts"] == [] and first["hidden_verdicts"] == 1  # alice's, hidden
    assert first["agreement"]["n"] == 0
    refused = bob.get("/exports?verdict=half-true")
    assert refused.status_code == 400 and "only editors filter by verdict" in refused.get_data(
        as_text=True
    )
    assert bob.get("/exports/download.csv?reviewer=alice").status_code == 400
    assert bob.get("/exports/download.csv?reviewer=bob").status_code == 200


def test_filters_live_in_the_address(login: Any, desk: dict[str, Any]) -> None:
    edna = login("edna")
    html = edna.get("/exports?publisher=Daily+Planet&status=decided").get_data(as_text=True)
    assert re.search(r"2 claims in 1 article\b", html)
    assert "/exports/download.csv?publisher=Daily+Planet&amp;status=decided" in html
    data = edna.get("/exports?publisher=Daily+Planet&_format=json").get_json()
    assert data["counts"] == {"claims": 3, "articles": 1}
    assert data["filter"] == {"publisher": "Daily Planet"}


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("since=yesterday", "Not a valid date"),
        ("reviewer=nobody", "Not a valid choice"),
        ("verdict=pants-on-fire", "Not a valid choice"),
        ("status=done", "Not a valid choice"),
    ],
)
def test_bad_filters(login: Any, desk: dict[str, Any], query: str, message: str) -> None:
    edna = login("edna")
    page = edna.get(f"/exports?{query}")
    assert page.status_code == 400 and message in page.get_data(as_text=True)
    assert edna.get(f"/exports/download.csv?{query}").status_code == 400


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_download_every_format(login: Any, desk: dict[str, Any], fmt: str) -> None:
    response = login("edna").get(f"/exports/download.{fmt}?published=yes")
    assert response.status_code == 200
    assert response.mimetype == FORMATS[fmt]
    assert re.fullmatch(
        r'attachment; filename="factcheck-export-\d{8}\.[a-z.]+"',
        response.headers["Content-Disposition"],
    )
    data = parse(fmt, response.get_data(as_text=True))
    public = desk["planet_claims"][:2]  # the settled claims: what is public
    if fmt == "csv":
        assert [int(r["claim_id"]) for r in data] == public
    elif fmt == "json":
        (article,) = data["articles"]
        assert article["id"] == desk["planet"] and article["body"].startswith("Council")
        assert data["meta"]["filter"] == {"published": True, "include_dismissed": True}
    elif fmt == "jsonl":
        assert [r["claim"]["id"] for r in data] == public
    elif fmt == "claimreview":
        assert [d["claimReviewed"] for d in data]
        assert all(d["url"].startswith("http://localhost/verdicts/") for d in data)
        assert {d["reviewRating"]["alternateName"] for d in data} == {"False", "Mostly true"}
    else:
        assert "# Verdict report" in data and "## Tunnel" in data
        # the published record only: no reviewers' dissent, the corrections listed
        assert "#### Dissent" not in data and "#### Corrections" in data


def test_unknown_format(login: Any, desk: dict[str, Any]) -> None:
    assert login("edna").get("/exports/download.xlsx").status_code == 404


def test_claimreview_check_shows_problems_and_leaves_invalid_out(
    app: Any, login: Any, desk: dict[str, Any]
) -> None:
    app.config["PERMALINK_TEMPLATE"] = "/verdicts/{claim_id}"  # not absolute: an error
    edna = login("edna")
    html = edna.get("/exports/claimreview-check").get_data(as_text=True)
    assert "2 claims with a final verdict checked" in html
    assert "is not an absolute http(s) URL" in html
    assert "with errors" in html
    data = edna.get("/exports/claimreview-check?_format=json").get_json()
    assert data["with_errors"] == 2 and data["valid"] == 0
    assert json.loads(edna.get("/exports/download.claimreview").get_data(as_text=True)) == []


# Per-article downloads and the report ----------------------------------------------------------


@pytest.mark.parametrize(
    ("suffix", "mimetype"),
    [
        ("report.jsonl", "application/x-ndjson"),
        ("report.md", "text/markdown"),
        ("claimreview.json", "application/ld+json"),
        ("report.csv", "text/csv"),
        ("report.json", "application/json"),
    ],
)
def test_per_article_downloads(
    login: Any, desk: dict[str, Any], suffix: str, mimetype: str
) -> None:
    edna = login("edna")
    response = edna.get(f"/articles/{desk['planet']}/{suffix}")
    assert response.status_code == 200 and response.mimetype == mimetype
    assert response.headers["Content-Disposition"].endswith(f'.{suffix.split(".", 1)[1]}"')
    text = response.get_data(as_text=True)
    assert "Council" in text or "tunnel" in text.lower()
    # reviewers who are not assigned get a 404, as if the article did not exist
    assert login("bob").get(f"/articles/{desk['planet']}/{suffix}").status_code == 404


def test_report_summary_chart_agreement_dissent_corrections(
    login: Any, desk: dict[str, Any]
) -> None:
    html = login("edna").get(f"/articles/{desk['planet']}/report").get_data(as_text=True)
    assert '<svg class="verdict-chart"' in html and "<rect" in html
    assert "Krippendorff&#39;s alpha" in html or "Krippendorff's alpha" in html
    assert "Dissent" in html and "bob: Mostly false" in html
    assert "Corrections" in html and "The budget figure is rounded." in html
    assert "<dt>Verdict</dt><dd><s>True</s> → Mostly true</dd>" in html
    assert "ClaimReview: 2 of 2 final verdicts valid" in html
    for link in ("report.jsonl", "report.md", "claimreview.json"):
        assert f"/articles/{desk['planet']}/{link}" in html
    assert_no_injected_markup(html)


@pytest.mark.parametrize(
    ("bars", "widths"),
    [
        ([], []),
        ([("False", 4, "false"), ("True", 2, "true")], [294.0, 147.0]),
        ([("No verdict yet", 0, "none")], [0]),
    ],
)
def test_bar_chart_geometry(bars: list[Any], widths: list[float]) -> None:
    chart = bar_chart(bars)
    assert [b["width"] for b in chart["bars"]] == widths
    assert chart["height"] == 8 + len(bars) * 30


# Import from URL in the browser flow -----------------------------------------------------------


def test_add_article_page_offers_url_import(login: Any) -> None:
    html = login("alice").get("/articles/new").get_data(as_text=True)
    assert 'action="/articles/import-url"' in html and 'name="page_url"' in html


def test_import_from_url(app: Any, login: Any, server: str) -> None:  # noqa: F811
    alice = login("alice")
    refused = alice.post("/articles/import-url", data={"page_url": f"{server}/article"})
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert "loopback address" in html and f'value="{server}/article"' in html
    app.config["ALLOW_PRIVATE_URLS"] = True
    done = alice.post("/articles/import-url", data={"page_url": f"{server}/article"})
    assert done.status_code == 302 and re.search(r"/articles/\d+$", done.headers["Location"])
    again = alice.post("/articles/import-url", data={"page_url": f"{server}/redirect"})
    assert again.status_code == 302  # the same text: shown, not stored twice
    empty = alice.post("/articles/import-url", data={"page_url": f"{server}/empty"})
    assert "No article was found" in empty.get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"page_url": "javascript:alert(1)"}, "starting with http:// or https://"),
        ({"page_url": ""}, "Give the article&#39;s web address."),
        ({"page_url": "https://x.example", "csrf_token": "stale"}, "security token expired"),
    ],
)
def test_import_from_url_bad_input(login: Any, data: dict[str, str], message: str) -> None:
    response = login("alice").post("/articles/import-url", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


# The command line ------------------------------------------------------------------------------


@pytest.fixture
def run(app: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path))
    runner = CliRunner()

    def invoke(*args: str, database: str | None = None) -> Any:
        return runner.invoke(cli, ["--db", database or app.config["DATABASE"], *args])

    return invoke


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--format", "jsonl", "--published"], lambda d: d["planet_claims"][:2]),
        (
            ["--format", "jsonl", "--unpublished", "--status", "in-review"],
            lambda d: d["courier_claims"][:1],
        ),
        (["--format", "jsonl", "--verdict", "false"], lambda d: d["planet_claims"][:1]),
        (
            ["--format", "jsonl", "--reviewer", "bob", "--since", "2025-01-01"],
            lambda d: d["planet_claims"][:2],
        ),
    ],
)
def test_cli_export_filters(run: Any, desk: dict[str, Any], args: list[str], expected: Any) -> None:
    result = run("export", *args)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["claim"]["id"] for r in lines if r["claim"]] == expected(desk)


def test_cli_export_all_formats_to_files(run: Any, desk: dict[str, Any], tmp_path: Path) -> None:
    for fmt in ("csv", "json", "jsonl", "markdown", "claimreview"):
        out = tmp_path / f"all.{fmt}"
        result = run("export", "--format", fmt, "-o", str(out))
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 100
    assert (tmp_path / "all.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_cli_claimreview_check(run: Any, app: Any, desk: dict[str, Any], monkeypatch: Any) -> None:
    good = run("export", "--format", "claimreview", "--check")
    assert good.exit_code == 0
    assert "2 checked, 2 valid, 0 with errors" in good.stderr
    monkeypatch.setenv("FACTCHECK_ORG_URL", "not a url")
    bad = run("export", "--format", "claimreview", "--check")
    assert bad.exit_code == 1
    assert "error    claim" in bad.stderr and "is not an absolute http(s) URL" in bad.stderr
    listed = run("export", "--format", "claimreview")
    assert listed.exit_code == 0 and json.loads(listed.stdout) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--reviewer", "nobody"], "There is no reviewer named 'nobody'."),
        (["--verdict", "pants"], "is not on the rating scale"),
        (["--check"], "--check goes with --format claimreview"),
        (["--article", "999"], "There is no article 999."),
    ],
)
def test_cli_export_bad_input(
    run: Any, desk: dict[str, Any], args: list[str], message: str
) -> None:
    result = run("export", *args)
    assert result.exit_code != 0 and message in result.output


def test_cli_import_json_export_with_progress(
    run: Any, desk: dict[str, Any], tmp_path: Path, monkeypatch: Any
) -> None:
    out = tmp_path / "desk.json"
    assert run("export", "--format", "json", "-o", str(out)).exit_code == 0
    copy = str(tmp_path / "copy.db")
    result = run("import", str(out), database=copy)
    assert result.exit_code == 0, result.output
    assert "3 imported, 0 duplicates skipped, 0 failed." in result.stdout
    monkeypatch.setattr("factcheck.cli_import.PROGRESS_FROM", 1)
    again = run("import", str(out), database=copy)
    assert "Importing desk.json" in again.stderr
    assert "0 imported, 3 duplicates skipped, 0 failed." in again.stdout


def test_cli_import_jsonl_records_with_failures(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "articles.jsonl"
    path.write_text(
        json.dumps({"title": "One", "text": "The dam holds 40 million cubic metres of water."})
        + "\n{oops\n"
        + json.dumps({"title": "Two"})
        + "\n",
        encoding="utf-8",
    )
    result = run("import", str(path))
    assert result.exit_code == 0
    assert "1 imported, 0 duplicates skipped, 2 failed." in result.stdout
    assert "line 2: not valid JSON" in result.stderr
    assert "neither text nor html" in result.stderr


def test_cli_import_url(run: Any, server: str, monkeypatch: Any) -> None:  # noqa: F811
    refused = run("import-url", f"{server}/article")
    assert refused.exit_code == 1 and "ALLOW_PRIVATE_URLS" in refused.output
    monkeypatch.setenv("FACTCHECK_ALLOW_PRIVATE_URLS", "1")
    done = run("import-url", f"{server}/article")
    assert done.exit_code == 0, done.output
    assert "Harbour ferry fares" in done.stdout
    assert "duplicate" in run("import-url", f"{server}/redirect").stdout


def test_large_markdown_summary_streams(
    app: Any, db: Any, desk: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    scale = app.config["RATING_SCALE"]
    full = export.report_summary(export_records(db, ExportFilter(), scale), ordinal_order(scale))
    counts = export_pipeline.summary_counts(export_records(db, ExportFilter(), scale))
    assert counts == {k: v for k, v in full.items() if k != "agreement"}
    monkeypatch.setattr(export_pipeline, "MARKDOWN_AGREEMENT_LIMIT", 1)
    text = b"".join(export_pipeline.export_stream(db, "markdown", ExportFilter(), app.config))
    text = text.decode()
    assert "Krippendorff" not in text and "- Claims: " in text


def test_blind_reviewer_gets_no_hidden_final_in_claimreview(
    db: Any, login: Any, desk: dict[str, Any]
) -> None:
    store.set_assignments(db, desk["planet"], [desk["users"]["bob"]], desk["users"]["edna"])
    carol = store.create_user(db, "carol", PASSWORD)
    store.set_assignments(
        db, desk["planet"], [desk["users"]["bob"], carol["id"]], desk["users"]["edna"]
    )
    carol_session = login("carol")
    docs = json.loads(
        carol_session.get(f"/articles/{desk['planet']}/claimreview.json").get_data(as_text=True)
    )
    assert docs == []  # carol has no verdicts yet: the finals stay hidden from her
    html = carol_session.get(f"/articles/{desk['planet']}/report").get_data(as_text=True)
    assert "ClaimReview:" not in html
    bob_docs = json.loads(
        login("bob").get(f"/articles/{desk['planet']}/claimreview.json").get_data(as_text=True)
    )
    assert len(bob_docs) == 2


# Every export reflects one moment ----------------------------------------------------------------

RATINGS = [entry["key"] for entry in DEFAULTS["RATING_SCALE"]]

#: What other reviewers commit while an export runs: each touches a claim of the first window
#: the export reads (planet's first claim), later claims of the same article and a claim of a
#: later article (courier's first).
MIDWAY = ["verdict changed", "verdict added", "verdict deleted", "stale claim rebuilt"]


def midway_writes(db: Any, desk: dict[str, Any], what: str) -> Callable[[], None]:
    """Prepare ``what`` (before any export) and return the writes to commit during one."""
    ids = desk["users"]
    pc, cc = desk["planet_claims"], desk["courier_claims"]

    def change(claim_id: int, user: str, rating: str) -> None:
        verdict = store.get_verdict(db, claim_id, ids[user])
        store.record_verdict(
            db, claim_id, ids[user], rating, "Changed meanwhile.", [], verdict["version"], RATINGS
        )

    def add(claim_id: int) -> None:
        store.record_verdict(
            db, claim_id, ids["edna"], "misleading", "Added meanwhile.", [], None, RATINGS
        )

    if what == "stale claim rebuilt":
        # Written outside the store: marked stale (read the slow way) until a store write.
        db.conn.execute(
            "UPDATE verdicts SET rationale = 'Edited *outside*' WHERE claim_id = ?", (cc[0],)
        )
        assert db.execute("SELECT count(*) FROM fragments_stale").fetchone()[0] == 1

    def settle(claim_id: int, rating: str, note: str | None = None) -> None:
        final = db.execute(
            "SELECT version FROM final_verdicts WHERE claim_id = ?", (claim_id,)
        ).fetchone()
        store.record_final_verdict(
            db, claim_id, ids["edna"], rating, "Settled.", final and final[0], RATINGS,
            correction_note=note,
        )  # fmt: skip

    # (ClaimReview holds final verdicts only: each case changes one on a later claim.)
    if what == "verdict deleted":
        settle(cc[0], "false")

    def write() -> None:
        if what == "verdict changed":
            change(pc[0], "alice", "mostly-true")
            change(pc[1], "bob", "true")
            change(cc[0], "alice", "false")
            settle(pc[2], "half-true", "Settled meanwhile.")
        elif what == "verdict added":
            for claim_id in (pc[0], pc[2], cc[0]):
                add(claim_id)
            store.record_final_verdict(
                db, cc[0], ids["edna"], "misleading", "Settled meanwhile.", None, RATINGS
            )
        elif what == "verdict deleted":
            with store.transaction(db):
                db.conn.execute(
                    "DELETE FROM verdicts WHERE (claim_id = ? AND user_id = ?)"
                    " OR (claim_id = ? AND user_id = ?) OR claim_id = ?",
                    (pc[0], ids["bob"], pc[1], ids["alice"], cc[0]),
                )
                db.conn.execute("DELETE FROM final_verdicts WHERE claim_id = ?", (cc[0],))
        else:
            # The store's transactions rebuild the stale claim's fragments, with the change.
            change(cc[0], "alice", "false")
            add(pc[2])
            settle(pc[2], "half-true", "Settled meanwhile.")
            assert db.execute("SELECT count(*) FROM fragments_stale").fetchone()[0] == 0

    return write


@pytest.fixture
def commit_midway(monkeypatch: pytest.MonkeyPatch) -> Callable[[Callable[[], None]], list[int]]:
    """``commit_midway(write)``: the next export reads one claim (or article) per window and
    calls ``write`` (another connection, committed) once it has read its first window and
    goes on reading: when it asks for its second window of articles or of claims. Returns a
    list that holds 1 once ``write`` ran."""
    from factcheck.store import exports as store_exports

    def install(write: Callable[[], None]) -> list[int]:
        fired: list[int] = []

        def once() -> None:
            if not fired:
                fired.append(1)
                write()

        real_windows, real_details = store_exports._article_windows, store_exports._window_details

        def article_windows(*args: Any) -> Any:
            for n, window in enumerate(real_windows(*args)):
                yield window
                if n == 0:
                    once()

        def window_details(*args: Any) -> Any:
            window_details.calls += 1  # type: ignore[attr-defined]
            if window_details.calls == 2:  # type: ignore[attr-defined]
                once()
            return real_details(*args)

        window_details.calls = 0  # type: ignore[attr-defined]
        monkeypatch.setattr(store_exports, "ARTICLE_WINDOW", 1)
        monkeypatch.setattr(store_exports, "CLAIM_WINDOW", 1)
        monkeypatch.setattr(store_exports, "BATCH_CLAIMS", 1)
        monkeypatch.setattr(store_exports, "_article_windows", article_windows)
        monkeypatch.setattr(store_exports, "_window_details", window_details)
        return fired

    return install


def same_moment(data: bytes) -> bytes:
    """The export without the time it was taken (and a page without its CSRF token, which is
    signed with the time: it changes every second)."""
    data = re.sub(rb'name="csrf-token" content="[^"]*"', b"", data)
    data = re.sub(rb'name="csrf_token" type="hidden" value="[^"]*"', b"", data)
    data = re.sub(rb'type="hidden" name="csrf_token" value="[^"]*"', b"", data)  # (log out form)
    return re.sub(rb'"exported_at": ?"[^"]*"', b'"exported_at":""', data)


def assert_one_moment(
    export_now: Callable[[], bytes],
    db: Any,
    desk: dict[str, Any],
    what: str,
    commit_midway: Any,
) -> None:
    """An export with writes committed midway equals, byte for byte, the export taken before
    them; the next export shows them."""
    write = midway_writes(db, desk, what)
    before = same_moment(export_now())
    fired = commit_midway(write)
    during = same_moment(export_now())
    assert fired, "the writes were not made during the export"
    assert during == before
    after = same_moment(export_now())
    assert after != before


@pytest.mark.parametrize("what", MIDWAY)
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_export_stream_reads_one_snapshot(
    db: Any, desk: dict[str, Any], commit_midway: Any, fmt: str, what: str
) -> None:
    """The command line's and editors' exports: CSV/JSON/JSONL by the fast paths,
    ClaimReview and Markdown (summary first, then the claims) by the record path."""
    config = dict(DEFAULTS, ORG_URL="https://desk.example/")

    def export_now() -> bytes:
        return b"".join(export_pipeline.export_stream(db, fmt, ExportFilter(), config))

    assert_one_moment(export_now, db, desk, what, commit_midway)


def assign_alice(db: Any, desk: dict[str, Any]) -> dict[str, Any]:
    """Planet and courier assigned to alice, who judges planet's third claim too (so that the
    final verdict settled on it meanwhile is one she sees under blind review)."""
    alice = store.user_by_name(db, "alice")
    for article in (desk["planet"], desk["courier"]):
        store.set_assignments(db, article, [alice["id"]], None)
    claim = desk["planet_claims"][2]
    store.record_verdict(db, claim, alice["id"], "true", "Mine.", [], None, RATINGS)
    return alice


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_a_reviewers_export_reads_one_snapshot(
    db: Any, desk: dict[str, Any], commit_midway: Any, fmt: str
) -> None:
    """A reviewer's export (article by article, blind review applied) is of one moment too."""
    alice = assign_alice(db, desk)
    config = dict(DEFAULTS, ORG_URL="https://desk.example/")

    def export_now() -> bytes:
        return b"".join(
            export_pipeline.export_stream(db, fmt, ExportFilter(), config, user=dict(alice))
        )

    assert_one_moment(export_now, db, desk, "verdict changed", commit_midway)


WEB_DOWNLOADS = [
    ("edna", "/exports/download.csv"),
    ("edna", "/exports/download.json"),
    ("edna", "/exports/download.jsonl"),
    ("edna", "/exports/download.claimreview"),
    ("edna", "/exports/download.markdown"),
    ("alice", "/exports/download.csv"),
    ("alice", "/exports/download.markdown"),
    ("edna", "/articles/{planet}/report.csv"),
    ("edna", "/articles/{planet}/report.json"),
    ("edna", "/articles/{planet}/report.jsonl"),
    ("edna", "/articles/{planet}/report.md"),
    ("edna", "/articles/{planet}/claimreview.json"),
    ("alice", "/articles/{planet}/report.md"),
    ("edna", "/articles/{planet}/report"),
]


@pytest.mark.parametrize(("user", "url"), WEB_DOWNLOADS)
def test_web_downloads_read_one_snapshot(
    db: Any, desk: dict[str, Any], login: Any, commit_midway: Any, user: str, url: str
) -> None:
    assign_alice(db, desk)
    session = login(user)
    url = url.format(planet=desk["planet"])

    def export_now() -> bytes:
        response = session.get(url)
        assert response.status_code == 200
        return response.get_data()

    what = "verdict changed" if url.startswith("/articles/") else "verdict added"
    assert_one_moment(export_now, db, desk, what, commit_midway)


@pytest.mark.parametrize("user", ["edna", "alice"])
@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl", "claimreview", "markdown"])
def test_api_exports_read_one_snapshot(
    app: Any, db: Any, desk: dict[str, Any], commit_midway: Any, user: str, fmt: str
) -> None:
    assign_alice(db, desk)
    who = store.user_by_name(db, user)
    token = store.create_token(db, who["id"], "tests")[0]
    client = app.test_client()

    def export_now() -> bytes:
        response = client.get(
            f"/api/v1/exports/download?format={fmt}",
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_data()

    assert_one_moment(export_now, db, desk, "verdict changed", commit_midway)


@pytest.mark.parametrize("fmt", ["csv", "json", "jsonl", "claimreview", "markdown"])
def test_cli_export_reads_one_snapshot(
    run: Any, db: Any, desk: dict[str, Any], commit_midway: Any, fmt: str
) -> None:
    def export_now() -> bytes:
        result = run("export", "--format", fmt)
        assert result.exit_code == 0, result.output
        return result.stdout_bytes

    assert_one_moment(export_now, db, desk, "verdict deleted", commit_midway)


def wal_reset(path: str) -> bool:
    """Whether no read transaction holds the WAL now (a checkpoint that truncates it)."""
    conn = sqlite3.connect(path, isolation_level=None, timeout=0)
    try:
        return conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0] == 0
    finally:
        conn.close()


@pytest.mark.parametrize("url", ["/exports/download.csv", "/articles/{planet}/report.jsonl"])
def test_writers_go_on_while_a_download_streams_and_a_client_that_leaves_ends_it(
    app: Any, db: Any, desk: dict[str, Any], login: Any, url: str, monkeypatch: Any
) -> None:
    from factcheck.store import exports as store_exports

    monkeypatch.setattr(store_exports, "BATCH_CLAIMS", 1)
    monkeypatch.setattr(store_exports, "CLAIM_WINDOW", 1)
    monkeypatch.setattr(export, "batched", functools.partial(export.batched, size=1))
    path = app.config["DATABASE"]
    response = login("edna").client.get(url.format(planet=desk["planet"]), buffered=False)
    assert response.status_code == 200
    chunks = iter(response.response)
    first = next(chunks) + next(chunks)
    assert first
    # A writer with no patience at all (busy timeout 0) commits while the stream is open, in
    # this thread and in another.
    impatient = connect(path, busy_timeout_ms=0)
    ids, claim = desk["users"], desk["planet_claims"][2]
    outcome: list[Any] = []

    def write(user: str) -> None:
        conn = connect(path, busy_timeout_ms=0)
        try:
            outcome.append(
                store.record_verdict(conn, claim, ids[user], "true", "", [], None, RATINGS)
            )
        except Exception as exc:  # (reported below)
            outcome.append(exc)
        finally:
            conn.close()

    try:
        store.record_verdict(impatient, claim, ids["alice"], "false", "", [], None, RATINGS)
    finally:
        impatient.close()
    thread = threading.Thread(target=write, args=("bob",))
    thread.start()
    thread.join(10)
    assert isinstance(outcome[0], dict), outcome
    assert not wal_reset(path)  # (the stream's snapshot still holds the WAL)
    response.close()  # the client went away
    assert wal_reset(path)


def test_claimreview_check_says_which_verdicts_are_not_published(
    login: Any, db: Any, desk: dict[str, Any]
) -> None:
    """ClaimReview markup is for published fact-checks: the check warns about a final
    verdict the desk has not published, whose permalink readers cannot open yet, and the
    exports page says the ClaimReview download holds those too unless filtered."""
    courier = desk["courier_claims"][0]
    store.record_final_verdict(
        db, courier, desk["users"]["edna"], "half-true", "Partly.", None, RATINGS
    )
    edna = login("edna")
    data = edna.get("/exports/claimreview-check?_format=json").get_json()
    assert data["checked"] == 3
    unpublished = [i for i in data["issues"] if i["field"] == "url"]
    assert [(i["claim_id"], i["level"]) for i in unpublished] == [(courier, "warning")]
    assert "not published" in unpublished[0]["message"]
    assert "not published" not in json.dumps(
        edna.get("/exports/claimreview-check?published=yes&_format=json").get_json()
    )
    html = edna.get("/exports").get_data(as_text=True)
    assert "published or not" in html


def test_export_filters_tell_the_two_publications_apart(login: Any, desk: dict[str, Any]) -> None:
    """Two filters are about publishing: the article's date (by its publisher) and whether
    the desk published its fact-checks; their labels say which is which."""
    html = login("edna").get("/exports").get_data(as_text=True)
    labels = [" ".join(x.split()) for x in re.findall(r"<label[^>]*>\s*([^<]*)", html)]
    assert "Article published from" in labels and "Article published until" in labels
    assert "Fact-checks published by the desk" in labels
    assert "Published from" not in labels
