"""Evidence: archiving cited sources (WARC, text, SHA-256), excerpt checks, link checks, and
every bad input of issue 13, against a local server."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from typing import Any

import pytest

from factcheck import store, urlfetch
from factcheck.db import connect, migrate
from factcheck.evidence import archive, excerpts, links, work
from factcheck.evidence.urls import normalise_url
from factcheck.store import evidence as records
from tests.evidence_server import LOOPBACK_OK, Handler, make_pdf, serving
from tests.test_urlfetch import public_name  # noqa: F401,F811 (a fixture: news.example is public)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serving() as base:
        yield base


# Excerpts ------------------------------------------------------------------------------------


def test_normalise_keeps_offsets() -> None:
    text = "  A  “quoted”\u00a0word —\n dash…  "
    n = excerpts.normalise(text)
    assert n.text == 'A "quoted" word - dash...'
    start, end = n.span(n.text.index("word"), n.text.index("word") + 4)
    assert text[start:end] == "word"


@pytest.mark.parametrize(
    ("excerpt", "result"),
    [
        ("Ferry passenger numbers rose by 12 per cent in 2024", "found"),
        ("the authority's report says", "found"),  # typed straight quote, curly in the page
        ("losses on the harbour line - more than forecast", "found"),  # dash typed as hyphen
        ("ferry passenger numbers ROSE by 12 per cent", "close"),  # case
        ("Ferry passenger numbers rose by 13 per cent in 2024", "close"),
        ("The mayor resigned after a vote of no confidence on Friday", "not_found"),
    ],
)
def test_check_excerpt(excerpt: str, result: str) -> None:
    text = archive.extract(
        urlfetch.Page("http://x/", "text/html", "utf-8", _report_html().encode())
    )[1]
    check = excerpts.check_excerpt(excerpt, text)
    assert check.result == result, check
    if result != "not_found":
        assert check.start is not None and check.end is not None
        assert 85 <= check.score <= 100
    if result == "close":
        assert check.label().startswith("close match (") and check.label().endswith(" %)")


def _report_html() -> str:
    from tests.evidence_server import REPORT

    return REPORT


def test_normalise_url() -> None:
    assert normalise_url("HTTPS://News.Example:443/a?utm_source=x&id=3#top") == (
        "https://news.example/a?id=3"
    )
    assert normalise_url("http://x.example") == "http://x.example/"
    assert normalise_url("http://x.example:8080/p?q=1") == "http://x.example:8080/p?q=1"


# Archiving -----------------------------------------------------------------------------------


def test_capture_html_as_warc_text_and_digest(server: str) -> None:
    from warcio.archiveiterator import ArchiveIterator

    cap = archive.capture(f"{server}/redirect", LOOPBACK_OK)
    assert cap.status == 200 and cap.content_type == "text/html"
    assert cap.final_url == f"{server}/report" and cap.requested_url == f"{server}/redirect"
    body = _report_html().encode()
    assert cap.sha256 == hashlib.sha256(body).hexdigest() and cap.size == len(body)
    assert "Ferry passenger numbers rose" in cap.text and "alert" not in cap.text
    assert cap.title == "Annual transport report"
    records_read = list(ArchiveIterator(io.BytesIO(cap.warc)))
    assert [r.rec_type for r in records_read] == ["response"]
    warc_headers, payload = archive.read_warc(cap.warc)
    assert warc_headers["WARC-Target-URI"] == f"{server}/report"
    assert payload == body
    assert cap.warc[:2] == b"\x1f\x8b"  # gzip


def test_capture_pdf(server: str) -> None:
    cap = archive.capture(f"{server}/pdf", LOOPBACK_OK)
    assert cap.content_type == "application/pdf"
    assert "Single tickets cost 4.30 euros from 1 March." in cap.text
    assert cap.title == "Fare table 2025"
    assert archive.read_warc(cap.warc)[1] == make_pdf(
        "Single tickets cost 4.30 euros from 1 March."
    )


def test_capture_plain_text(server: str) -> None:
    assert archive.capture(f"{server}/text", LOOPBACK_OK).text.startswith("Plain text source")


def test_non_utf8_page_without_a_charset(server: str) -> None:
    cap = archive.capture(f"{server}/latin1", LOOPBACK_OK)
    assert "café on the pier" in cap.text and "Renée Müller" in cap.text


@pytest.mark.parametrize(
    ("path", "config", "message", "temporary"),
    [
        ("/pdf-bomb", {}, "The PDF could not be read", False),
        ("/huge", {}, "bytes; the limit is 2,000,000 bytes", False),
        ("/endless", {"FETCH_TIMEOUT_SECONDS": 0.3}, "took longer than 0.9 seconds", True),
        ("/broken", {}, "The server answered 503", True),
        ("/gone", {}, "The server answered 410", False),
        ("/image", {}, "not an HTML page or text or PDF", False),
    ],
)
def test_capture_failures(
    server: str, path: str, config: dict[str, Any], message: str, temporary: bool
) -> None:
    with pytest.raises(archive.ArchiveFailure) as failure:
        archive.capture(f"{server}{path}", {**LOOPBACK_OK, **config})
    assert message in failure.value.reason
    assert failure.value.temporary is temporary


@pytest.mark.parametrize("url", ["javascript:alert(1)", "file:///etc/passwd", "ftp://x.example/"])
def test_only_http_sources_are_fetched(url: str) -> None:
    with pytest.raises(archive.ArchiveFailure, match="Only http:// and https:// addresses can be"):
        archive.capture(url, LOOPBACK_OK)


def test_private_addresses_are_refused_unless_allowed(server: str) -> None:
    with pytest.raises(archive.ArchiveFailure, match="loopback address .*ALLOW_PRIVATE_URLS"):
        archive.capture(f"{server}/report", {"FETCH_TIMEOUT_SECONDS": 2})


def test_redirect_to_a_private_address_is_refused(public_name: dict[str, Any]) -> None:  # noqa: F811
    config = {"FETCH_TIMEOUT_SECONDS": 2}
    cap = archive.capture(f"{public_name['base']}/report", config, resolver=public_name["resolver"])
    assert cap.status == 200  # the public name itself is fine
    with pytest.raises(archive.ArchiveFailure, match="127.0.0.1 resolves to a loopback"):
        archive.capture(
            f"{public_name['base']}/to-private", config, resolver=public_name["resolver"]
        )
    assert "127.0.0.1" not in public_name["connects"]  # never connected to it


# The library and the background work ----------------------------------------------------------


@pytest.fixture
def evidence_db(tmp_path: Any) -> Iterator[Any]:
    from factcheck import ingest
    from tests.conftest import SAMPLE_ARTICLE

    path = str(tmp_path / "evidence.db")
    db = connect(path)
    migrate(db)
    users = [
        store.create_user(db, name, "pw-pw-pw-pw", role="reviewer")["id"] for name in ("al", "bo")
    ]
    draft = ingest.prepare_article(body=SAMPLE_ARTICLE, title="Tram line", published="2025-05-06")
    article = store.create_article(db, draft.article, draft.claims, None)
    claims = store.list_claims(db, article)
    yield {"db": db, "path": path, "users": users, "claims": claims, "article": article}
    db.close()


RATINGS = ["true", "false"]


def _cite(ev: dict[str, Any], user: int, claim: int, *sources: dict[str, Any]) -> dict[str, Any]:
    return store.record_verdict(
        ev["db"], ev["claims"][claim]["id"], ev["users"][user], "true", "", list(sources), None,
        RATINGS,
    )  # fmt: skip


def test_one_record_per_address_and_archive(server: str, evidence_db: dict[str, Any]) -> None:
    ev = evidence_db
    db = ev["db"]
    url = f"{server}/report"
    _cite(ev, 0, 0, {"url": url + "#top", "title": "Report", "excerpt": "rose by 12 per cent"})
    _cite(ev, 1, 0, {"url": url, "excerpt": "fell by 40 per cent", "stance": "refutes"})
    _cite(ev, 1, 1, {"url": url.replace("http://", "HTTP://"), "excerpt": ""})
    assert db.execute("SELECT count(*) FROM source_records").fetchone()[0] == 1
    record_id = db.execute("SELECT id FROM source_records").fetchone()[0]
    assert records.get_record(db, record_id)["state"] == "pending"
    assert records.get_record(db, record_id)["title"] == "Report"

    outcome = work.archive_source(ev["path"], record_id, LOOPBACK_OK)
    assert outcome.state == "archived"
    record = records.get_record(db, record_id)
    assert record["state"] == "archived" and record["archive_id"] == outcome.archive_id
    checks = dict(
        db.execute("SELECT excerpt, result FROM excerpt_checks WHERE archive_id = ?",
                   (outcome.archive_id,)).fetchall()
    )  # fmt: skip
    assert checks == {"rose by 12 per cent": "found", "fell by 40 per cent": "not_found"}
    assert records.get_warc(db, outcome.archive_id)[:2] == b"\x1f\x8b"
    # Every citation points at the archive current when it was cited; a later one too.
    assert db.execute("SELECT count(*) FROM sources WHERE archive_id IS NULL").fetchone()[0] == 0
    _cite(ev, 0, 1, {"url": url, "excerpt": "Fuel costs went up by a quarter"})
    assert db.execute("SELECT count(*) FROM sources WHERE archive_id IS NULL").fetchone()[0] == 0
    assert work.pending_excerpts(db) == [outcome.archive_id]
    assert work.check_excerpts(ev["path"], outcome.archive_id) == 1
    entries = records.verdict_evidence(
        db, [store.get_verdict(db, ev["claims"][1]["id"], ev["users"][0])["id"]]
    )
    (entry,) = next(iter(entries.values()))
    assert entry["excerpt_check"] == "found" and entry["has_warc"]


def test_500_then_200_is_retried(server: str, evidence_db: dict[str, Any]) -> None:
    ev = evidence_db
    Handler.calls.pop("/flaky", None)
    _cite(ev, 0, 0, {"url": f"{server}/flaky"})
    record_id = ev["db"].execute("SELECT id FROM source_records").fetchone()[0]
    first = work.archive_source(ev["path"], record_id, LOOPBACK_OK)
    assert first.state == "retry" and first.retry_in > 0
    record = records.get_record(ev["db"], record_id)
    assert record["state"] == "pending" and "500" in record["reason"]
    assert "Trying again (attempt 2 of 3)" in record["reason"]
    waits: list[float] = []
    outcome = work.archive_with_retries(ev["path"], record_id, LOOPBACK_OK, sleep=waits.append)
    assert outcome.state == "archived" and waits == []
    assert records.get_record(ev["db"], record_id)["reason"] == ""


def test_a_failure_that_stays_ends_failed_with_its_reason(
    server: str, evidence_db: dict[str, Any]
) -> None:
    ev = evidence_db
    _cite(ev, 0, 0, {"url": f"{server}/broken"}, {"url": f"{server}/huge"})
    ids = [r[0] for r in ev["db"].execute("SELECT id FROM source_records ORDER BY id")]
    waits: list[float] = []
    assert work.archive_with_retries(ev["path"], ids[0], LOOPBACK_OK, sleep=waits.append).state == (
        "failed"
    )
    assert waits == list(work.BACKOFF[: work.ATTEMPTS - 1])
    assert "503" in records.get_record(ev["db"], ids[0])["reason"]
    assert work.archive_with_retries(ev["path"], ids[1], LOOPBACK_OK, sleep=waits.append).state == (
        "failed"
    )
    assert "limit" in records.get_record(ev["db"], ids[1])["reason"]
    # A failed record is not fetched again until someone asks.
    assert work.archive_source(ev["path"], ids[1], LOOPBACK_OK).state == "skipped"
    assert records.request_archive(ev["db"], ids[1], ev["users"][0])["state"] == "pending"


def test_the_verdict_is_saved_whatever_the_source(evidence_db: dict[str, Any]) -> None:
    ev = evidence_db
    saved = _cite(ev, 0, 0, {"url": "http://127.0.0.1:1/nothing-listens", "excerpt": "x"})
    assert saved["rating"] == "true" and saved["sources"][0]["url"].endswith("/nothing-listens")
    # An address that is not a web address is kept as typed, failed at once, never fetched.
    odd = ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,<b>x</b>", "see p. 4"]
    saved = _cite(ev, 1, 0, *({"url": u, "excerpt": "x"} for u in odd))
    assert [s["url"] for s in saved["sources"]] == odd
    db = ev["db"]
    reasons = dict(db.execute("SELECT url, reason FROM source_records WHERE state = 'failed'"))
    assert reasons == {
        "javascript:alert(1)": "Not archived: not a web address (javascript:).",
        "file:///etc/passwd": "Not archived: not a web address (file:).",
        "data:text/html,<b>x</b>": "Not archived: not a web address (data:).",
        "see p. 4": "Not archived: not a web address (no http:// or https://).",
    }
    assert records.pending_records(db) == [
        db.execute("SELECT id FROM source_records WHERE url LIKE 'http://127%'").fetchone()[0]
    ]
    ids = [r[0] for r in db.execute("SELECT id FROM source_records WHERE state = 'failed'")]
    for record_id in ids:  # asking again changes nothing; a forced attempt never fetches
        assert records.request_archive(db, record_id, ev["users"][0])["state"] == "failed"
        db.execute("UPDATE source_records SET state = 'pending' WHERE id = ?", (record_id,))
        outcome = work.archive_source(ev["path"], record_id, LOOPBACK_OK)
        assert outcome.state == "failed" and "not a web address" in outcome.reason


def test_sources_check_marks_alive_changed_gone(server: str, evidence_db: dict[str, Any]) -> None:
    ev = evidence_db
    Handler.variant = "first"
    urls = [f"{server}/report", f"{server}/changing", f"{server}/page/soon-gone", f"{server}/slow"]
    _cite(ev, 0, 0, *({"url": u} for u in urls))
    ev["db"].conn.execute("UPDATE source_records SET state = 'pending'")
    summary = work.check_sources(ev["path"], LOOPBACK_OK, sleep=lambda s: None)
    assert summary.archived == 4 and summary.checked == 4
    Handler.variant = "second"
    # the gone page: its record now points at a path that answers 404
    ev["db"].conn.execute(
        "UPDATE source_records SET url = ? WHERE url = ?", (f"{server}/missing", urls[2] )
    )  # fmt: skip
    summary = work.check_sources(
        ev["path"], {**LOOPBACK_OK, "FETCH_TIMEOUT_SECONDS": 0.3}, sleep=lambda s: None
    )
    status = dict(ev["db"].execute("SELECT url, link_status FROM source_records").fetchall())
    assert status[urls[0]] == "alive"
    assert status[urls[1]] == "changed"
    assert status[f"{server}/missing"] == "gone"
    assert status[urls[3]] == "unreachable"  # too slow this time: says nothing yet
    assert summary.by_status == {"alive": 1, "changed": 1, "gone": 1, "unreachable": 1}

    def unresolvable(host: str, port: int) -> list[str]:
        raise urlfetch.FetchError(f"The host name {host!r} could not be resolved.")

    result = links.check_link("http://nowhere.example/", "x", LOOPBACK_OK, unresolvable)
    assert result.status == "gone" and "could not be resolved" in result.reason


def test_cli_sources_check_and_warc_export(
    server: str, evidence_db: dict[str, Any], tmp_path: Any
) -> None:
    from click.testing import CliRunner
    from warcio.archiveiterator import ArchiveIterator

    from factcheck.cli import cli

    ev = evidence_db
    _cite(ev, 0, 0, {"url": f"{server}/report"}, {"url": f"{server}/pdf"})
    _cite(ev, 1, 1, {"url": f"{server}/missing-page"})
    env = {"FACTCHECK_ALLOW_PRIVATE_URLS": "1", "FACTCHECK_FETCH_TIMEOUT_SECONDS": "2"}
    runner = CliRunner()
    result = runner.invoke(cli, ["--db", ev["path"], "sources", "check"], env=env)
    assert result.exit_code == 0, result.output
    assert f"alive       {server}/report" in result.output
    assert "Checked 2 sources: 2 alive; archived 2, failed 1" in result.output
    out = tmp_path / "desk.warc.gz"
    result = runner.invoke(
        cli, ["--db", ev["path"], "export", "--format", "warc", "-o", str(out)], env=env
    )
    assert result.exit_code == 0, result.output
    uris = [
        r.rec_headers.get_header("WARC-Target-URI")
        for r in ArchiveIterator(io.BytesIO(out.read_bytes()))
    ]
    assert uris == [f"{server}/report", f"{server}/pdf"]
    result = runner.invoke(
        cli,
        ["--db", ev["path"], "export", "--format", "warc", "--article", "999", "-o", str(out)],
        env=env,
    )
    assert result.exit_code != 0 and "no article 999" in result.output


def test_exports_carry_the_archive_and_the_json_import_keeps_it(
    server: str, evidence_db: dict[str, Any], tmp_path: Any
) -> None:
    import json

    from factcheck import export
    from factcheck.store.imports import items_from_json

    ev = evidence_db
    _cite(
        ev, 0, 0,
        {"url": f"{server}/report", "excerpt": "rose by 12 per cent"},
        {"url": f"{server}/gone", "excerpt": "x"},
    )  # fmt: skip
    work.check_sources(ev["path"], LOOPBACK_OK, sleep=lambda s: None)
    scale = [{"key": "true", "label": "True", "value": 1}, {"key": "false", "label": "False"}]

    def exported(db: Any) -> dict[str, Any]:
        records_ = store.export_records(db, store.ExportFilter(), scale, body=True)
        return json.loads("".join(export.json_chunks(records_, {})))

    def archives(doc: dict[str, Any]) -> list[Any]:
        return [
            s["archive"]
            for a in doc["articles"]
            for c in a["claims"]
            for v in c["verdicts"]
            for s in v["sources"]
        ]

    doc = exported(ev["db"])
    first, second = archives(doc)
    assert first["state"] == "archived" and first["http_status"] == 200
    assert first["archived_at"] and len(first["sha256"]) == 64
    assert first["excerpt_check"] == "found" and first["excerpt_score"] == 100
    assert first["final_url"] == f"{server}/report" and first["link_status"] == "alive"
    assert second["state"] == "failed" and "410" in second["reason"]
    assert second["archived_at"] is None
    csv_text = "".join(export.csv_chunks(store.export_records(ev["db"], store.ExportFilter(),
                                                               scale, html=False)))  # fmt: skip
    assert f"sha256:{first['sha256']} HTTP 200; excerpt found; link alive" in csv_text
    assert "failed: The server answered 410" in csv_text
    records_ = list(store.claim_records(ev["db"], ev["article"], scale))
    report = "".join(export.markdown_report(None, records_, {}))
    assert "excerpt found in the archived copy, link alive" in report
    assert "archiving failed" in report

    other = connect(str(tmp_path / "imported.db"))
    migrate(other)
    items = items_from_json(json.dumps(doc), "desk.json")
    summary = store.import_items(other, items, ratings=["true", "false"], max_bytes=1_000_000)
    assert len(summary.imported) == 1
    assert archives(exported(other)) == [first, second]
    # The imported copy's details are there, not the copy itself.
    row = other.execute("SELECT origin, text FROM source_archives").fetchone()
    assert tuple(row) == ("import", "")
    other.close()
