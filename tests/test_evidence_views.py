"""Evidence in the web app: the panel's source states, the archived-text view, the WARC, the
Sources page and suggestions; saving never waits for a fetch."""

from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from factcheck import export, store, urlfetch
from factcheck.evidence import tasks
from tests.evidence_server import LOOPBACK_OK, serving

JSON = {"Accept": "application/json"}
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with serving() as base:
        yield base


@pytest.fixture
def archiving(app: Any) -> Iterator[Any]:
    app.config.update(ARCHIVE_SOURCES=True, **LOOPBACK_OK)
    yield app
    tasks.wait_idle()


def _claim(db: Any, article_id: int, n: int = 0) -> dict[str, Any]:
    return [c for c in store.list_claims(db, article_id) if not c["dismissed"]][n]


def _save(
    session: Any, claim_id: int, *sources: dict[str, str], as_json: bool = False, version: str = ""
) -> Any:
    data: dict[str, str] = {"rating": "true", "rationale": "", "version": version}
    for i, source in enumerate(sources):
        for key, value in source.items():
            data[f"sources-{i}-{key}"] = value
    if as_json:
        return session.client.post(
            f"/claims/{claim_id}/verdict",
            data={**data, "csrf_token": session.token},
            headers={**JSON, "X-CSRFToken": session.token},
        )
    return session.post(f"/claims/{claim_id}/verdict", data=data)


def test_saving_never_waits_for_the_fetch(
    archiving: Any, server: str, login: Any, db: Any, article_id: int
) -> None:
    alice = login("alice")
    claim = _claim(db, article_id)
    started = time.perf_counter()
    response = _save(
        alice, claim["id"], {"url": f"{server}/slow", "excerpt": "rose by 12 per cent"}
    )
    took = time.perf_counter() - started
    assert response.status_code == 302
    assert took < 1.0, took  # the page takes 1.5 s to answer
    html = alice.get(f"/claims/{claim['id']}/evidence").get_data(as_text=True)
    assert 'data-waiting="1"' in html
    assert "waiting to be archived" in html or "archiving…" in html
    tasks.wait_idle()
    html = alice.get(f"/claims/{claim['id']}/evidence").get_data(as_text=True)
    assert "data-waiting" not in html
    assert "archived 20" in html and "excerpt found in the archived copy" in html
    assert ">archived text</a>" in html and ">WARC</a>" in html
    # the whole panel shows the same part
    panel = alice.get(f"/claims/{claim['id']}/panel").get_data(as_text=True)
    assert 'id="evidence"' in panel and "excerpt found in the archived copy" in panel


@pytest.fixture
def public_name(server: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """news.example "resolves" to a public address whose connections reach the test server
    (as in tests/test_urlfetch.py), for the app's own fetches; ``connects`` lists the
    addresses connected to."""
    port = int(server.rsplit(":", 1)[1])
    seen: dict[str, Any] = {"connects": []}
    real_resolve, real_open = urlfetch.resolve, urlfetch._open_socket

    def resolve(host: str, port_: int) -> list[str]:
        return ["93.184.216.34"] if host == "news.example" else real_resolve(host, port_)

    def open_socket(address: str, port_: int, timeout: float) -> Any:
        seen["connects"].append(address)
        if address == "93.184.216.34":
            return real_open("127.0.0.1", port, timeout)
        return real_open(address, port_, timeout)

    monkeypatch.setattr(urlfetch, "resolve", resolve)
    monkeypatch.setattr(urlfetch, "_open_socket", open_socket)
    seen["base"] = f"http://news.example:{port}"
    return seen


#: The issue's bad inputs: (case, address (``{server}``, ``{public}``), settings, the state
#: the panel shows, what else it says).
BAD_INPUTS = [
    ("redirect to a private address", "{public}/to-private", {"ALLOW_PRIVATE_URLS": False},
     "archiving failed", "127.0.0.1 resolves to a loopback address"),
    ("a private address", "{server}/report", {"ALLOW_PRIVATE_URLS": False},
     "archiving failed", "ALLOW_PRIVATE_URLS"),
    ("a 50 MB page", "{server}/huge", {}, "archiving failed", "the limit is 2,000,000 bytes"),
    ("a page that never ends", "{server}/endless", {"FETCH_TIMEOUT_SECONDS": 0.3},
     "archiving failed", "took longer than 0.9 seconds"),
    ("a PDF bomb", "{server}/pdf-bomb", {}, "archiving failed", "The PDF could not be read"),
    ("non-UTF-8 without a charset", "{server}/latin1", {}, "archived 20",
     "excerpt found in the archived copy"),
    ("500 then 200", "{server}/flaky", {}, "archived 20", "excerpt found in the archived copy"),
    ("javascript:", "javascript:alert(1)", {},
     "not archived: not a web address (javascript:)", "javascript:alert(1)"),
    ("file:", "file:///etc/passwd", {}, "not archived: not a web address (file:)",
     "file:///etc/passwd"),
    ("a bare word", "the printed minutes", {},
     "not archived: not a web address (no http:// or https://)", "the printed minutes"),
    ("no host", "https://", {}, "not archived: not a web address (no host name)", "https://"),
]  # fmt: skip
EXCERPTS = {"/latin1": "café on the pier", "/flaky": "rose by 12 per cent"}


@pytest.mark.parametrize(
    ("url", "settings", "state", "said"),
    [case[1:] for case in BAD_INPUTS],
    ids=[case[0] for case in BAD_INPUTS],
)
def test_each_bad_source_saves_the_verdict_and_shows_a_clear_state(
    archiving: Any,
    server: str,
    public_name: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    login: Any,
    db: Any,
    article_id: int,
    url: str,
    settings: dict[str, Any],
    state: str,
    said: str,
) -> None:
    from factcheck.evidence import work
    from tests.evidence_server import Handler

    monkeypatch.setattr(work, "BACKOFF", (0.01, 0.01, 0.01))  # (retries without the wait)
    archiving.config.update(settings)
    url = url.format(server=server, public=public_name["base"])
    path = url.split(":", 2)[-1].split("/", 1)[-1]
    excerpt = EXCERPTS.get("/" + path, "")
    Handler.calls.clear()
    alice = login("alice")
    claim = _claim(db, article_id)
    response = _save(alice, claim["id"], {"url": url, "title": "", "excerpt": excerpt})
    assert response.status_code == 302  # saved, whatever the source
    saved = store.get_verdict(db, claim["id"], store.user_by_name(db, "alice")["id"])
    assert saved["rating"] == "true" and [s["url"] for s in saved["sources"]] == [url.strip()]
    tasks.wait_idle()
    html = alice.get(f"/claims/{claim['id']}/evidence").get_data(as_text=True)
    assert "data-waiting" not in html  # a final state, shown
    assert state in html and said in html, html
    if not archiving.config["ALLOW_PRIVATE_URLS"]:  # never fetched from a private address
        assert Handler.calls.get("/report", 0) == 0
        assert "127.0.0.1" not in public_name["connects"]
    if "not a web address" in state:
        assert not Handler.calls and not public_name["connects"]  # never fetched
        assert "Try again" not in html and "Archive again" not in html
    elif "failed" in state:
        assert "Try again" in html


def _links(html: str) -> list[str]:
    from tests.test_articles import _Tags

    parser = _Tags()
    parser.feed(html)
    return [
        value or ""
        for _tag, attrs in parser.tags
        for name, value in attrs.items()
        if name in {"href", "src", "action", "formaction", "data-src", "cite"}
    ]


NOT_WEB = [
    "javascript:alert(1)",
    " JavaScript:alert(2)",
    "file:///etc/passwd",
    "data:text/html,<script>alert(3)</script>",
    "vbscript:msgbox(4)",
    "mailto:someone@example.org",
    "see the printed minutes",
]


def test_an_address_that_is_not_a_web_address_is_never_a_link(
    app: Any, login: Any, db: Any, article_id: int
) -> None:
    """Every page, export and public output showing the sources: the odd addresses are shown
    as text with their state, never as an ``href`` (or any other link attribute). (Archiving
    off: such a state needs no fetch.)"""
    from factcheck.config import DEFAULT_RATING_SCALE
    from tests.test_articles import assert_no_injected_markup

    ratings = [entry["key"] for entry in DEFAULT_RATING_SCALE]
    alice, edna = login("alice"), login("edna")
    claim = _claim(db, article_id)
    sources = [{"url": u, "title": "Titled" if i == 1 else ""} for i, u in enumerate(NOT_WEB)]
    sources.append({"url": "https://stats.example/ok", "title": "A web source"})
    assert _save(alice, claim["id"], *sources).status_code == 302
    edna_id = store.user_by_name(db, "edna")["id"]
    store.record_final_verdict(db, claim["id"], edna_id, "true", "Checked.", None, ratings)
    store.publish_article(db, article_id, edna_id)
    record = db.execute("SELECT id FROM source_records WHERE url LIKE 'javascript%'").fetchone()
    pages = {
        "review page": f"/articles/{article_id}?claim={claim['id']}",
        "panel": f"/claims/{claim['id']}/panel",
        "evidence": f"/claims/{claim['id']}/evidence",
        "history": f"/claims/{claim['id']}/history",
        "report": f"/articles/{article_id}/report",
        "sources": "/sources",
        "failed sources": "/sources?status=failed",
        "source record": f"/sources/{record[0]}",
        "public verdict": f"/verdicts/{claim['id']}",
        "public article": f"/verdicts/article/{article_id}",
    }
    for name, address in pages.items():
        who = alice if "public" not in name else app.test_client()
        response = who.get(address)
        assert response.status_code == 200, name
        html = response.get_data(as_text=True)
        links = [re.sub(r"\s", "", link).lower() for link in _links(html)]
        for link in links:
            assert link.startswith(("/", "#", "http://", "https://", "?")), (name, link)
        if name == "public verdict":  # (the one page linking sources: web addresses only)
            assert "https://stats.example/ok" in links and "Titled" in html
        assert_no_injected_markup(re.sub(r'<script type="application/ld\+json">.*?</script>',
                                          "", html, flags=re.S))  # fmt: skip
        if name in {"panel", "evidence", "report", "sources"}:
            assert "not archived: not a web address (javascript:)" in html, name
            assert "javascript:alert(1)" in html, name  # shown as typed, as text
    # the public pages' ClaimReview, the exports' JSON-LD and Markdown
    for address in ("/exports/download.claimreview", f"/articles/{article_id}/claimreview.json"):
        text = edna.get(address).get_data(as_text=True)
        for bad in ("javascript:", "file:", "data:", "vbscript:", "mailto:"):
            assert bad not in text.lower(), (address, bad)
    # ClaimReview cites the published version's sources: web addresses as urls, others by
    # their title only (or not at all); a live change after publication changes nothing.
    expected = [
        {"@type": "CreativeWork", "name": "Titled"},
        {"@type": "CreativeWork", "url": "https://stats.example/ok", "name": "A web source"},
    ]
    later = [*sources, {"url": "https://stats.example/later", "title": "Added later"}]
    assert _save(alice, claim["id"], *later, version="1").status_code == 302
    html = app.test_client().get(f"/verdicts/{claim['id']}").get_data(as_text=True)
    (script,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    doc = json.loads(script)
    assert doc["citation"] == expected
    assert not export.validate_claimreview(doc) or all(
        not i["field"].startswith("citation") for i in export.validate_claimreview(doc)
    )
    (exported,) = edna.get("/exports/download.claimreview").get_json()
    assert exported["citation"] == expected
    markdown = edna.get("/exports/download.markdown").get_data(as_text=True)
    assert "](<javascript" not in markdown.lower() and "](<file" not in markdown
    assert "(<https://stats.example/ok>)" in markdown
    assert "javascript:alert(1), context, not archived: not a web address (javascript:)" in (
        markdown
    )
    data = alice.get("/exports/download.json").get_json()
    cited = [
        s
        for a in data["articles"]
        for c in a["claims"]
        for v in c["verdicts"]
        for s in v["sources"]
    ]
    odd = [s for s in cited if s["url"] == "javascript:alert(1)"]
    assert odd and odd[0]["archive"]["state"] == "failed"
    assert odd[0]["archive"]["reason"] == "Not archived: not a web address (javascript:)."


def test_archived_text_view_escapes_and_marks_the_excerpt(
    archiving: Any, server: str, login: Any, db: Any, article_id: int
) -> None:
    from warcio.archiveiterator import ArchiveIterator

    alice = login("alice")
    claim = _claim(db, article_id)
    _save(
        alice, claim["id"], {"url": f"{server}/tricky", "excerpt": "the budget rose by 5 per cent"}
    )
    tasks.wait_idle()
    row = db.execute(
        "SELECT s.archive_id, x.id FROM sources s JOIN excerpt_checks x"
        " ON x.archive_id = s.archive_id AND x.excerpt = s.excerpt"
    ).fetchone()
    archive_id, check_id = row
    html = alice.get(f"/archives/{archive_id}?check={check_id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html and "<b onclick" not in html
    assert '<mark id="excerpt">the budget rose by 5 per cent</mark>' in html
    assert "found in the archived copy" in html
    response = alice.get(f"/archives/{archive_id}.warc.gz")
    assert response.mimetype == "application/warc"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    read = [
        (r.rec_headers.get_header("WARC-Target-URI"), r.content_stream().read())
        for r in ArchiveIterator(io.BytesIO(response.get_data()))
    ]
    assert len(read) == 1 and read[0][0] == f"{server}/tricky"
    assert b"<script>alert(1)</script>" in read[0][1]


def test_sources_page_record_and_suggestions(
    archiving: Any, server: str, login: Any, db: Any, article_id: int
) -> None:
    alice, bob, edna = login("alice"), login("bob"), login("edna")
    store.update_settings(db, {"blind_verdicts": True}, None)
    claim = _claim(db, article_id)
    _save(
        alice,
        claim["id"],
        {
            "url": f"{server}/report",
            "title": "Annual transport report",
            "publisher": "Transport Authority",
            "stance": "supports",
            "excerpt": "rose by 12 per cent",
        },
        {"url": f"{server}/gone", "title": "Old page", "stance": "refutes"},
    )
    tasks.wait_idle()
    page = edna.get("/sources").get_data(as_text=True)
    assert "Annual transport report" in page and "Old page" in page
    assert "archiving failed" in page and "supports 1" in page
    only = edna.get("/sources?status=failed").get_data(as_text=True)
    assert "Old page" in only and "Annual transport report" not in only
    assert "Old page" not in edna.get("/sources?publisher=Transport+Authority").get_data(
        as_text=True
    )
    assert "Old page" in edna.get("/sources?stance=refutes").get_data(as_text=True)
    record_id = db.execute("SELECT id FROM source_records WHERE title = 'Old page'").fetchone()[0]
    detail = edna.get(f"/sources/{record_id}").get_data(as_text=True)
    assert "The server answered 410" in detail and claim["text"][:30] in detail
    # suggestions as a reviewer types
    found = alice.get("/sources/suggest?q=transport").get_json()["sources"]
    assert [s["url"] for s in found] == [f"{server}/report"]
    assert found[0]["title"] == "Annual transport report" and found[0]["citations"] == 1
    # blind review: bob sees alice's sources only once he has saved his own verdict
    assert bob.get("/sources/suggest?q=transport").get_json()["sources"] == []
    assert "Annual transport report" not in bob.get("/sources").get_data(as_text=True)
    assert bob.get(f"/sources/{record_id}").status_code == 404
    _save(bob, claim["id"], {"url": f"{server}/text"})
    tasks.wait_idle()
    assert len(bob.get("/sources/suggest?q=transport").get_json()["sources"]) == 1


def test_archive_again(archiving: Any, server: str, login: Any, db: Any, article_id: int) -> None:
    alice = login("alice")
    claim = _claim(db, article_id)
    _save(alice, claim["id"], {"url": f"{server}/report"})
    tasks.wait_idle()
    record_id = db.execute("SELECT id FROM source_records").fetchone()[0]
    response = alice.post(f"/sources/{record_id}/archive", data={"claim": str(claim["id"])})
    assert response.status_code == 302 and f"/claims/{claim['id']}" in response.headers["Location"]
    tasks.wait_idle()
    assert db.execute("SELECT count(*) FROM source_archives").fetchone()[0] == 2
    audit = db.execute("SELECT action FROM audit_log WHERE table_name = 'source_records'")
    assert [r[0] for r in audit] == ["archive"]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork (Unix)")
def test_a_real_job_worker_archives_what_a_save_queued(
    tmp_path: Any, server: str, article_id: int, login: Any, db: Any, app: Any
) -> None:
    """Off the test suite's immediate mode: the save puts a job on the queue file, and
    ``factcheck worker`` (its own process) archives the source."""
    from factcheck import jobs

    app.config.update(ARCHIVE_SOURCES=True, JOBS_IMMEDIATE=False, **LOOPBACK_OK)
    jobs.configure(app.config)
    worker = None
    try:
        alice = login("alice")
        claim = _claim(db, article_id)
        response = _save(alice, claim["id"], {"url": f"{server}/report", "excerpt": "quarter"})
        assert response.status_code == 302
        assert jobs.status()["queued"] == 1
        env = {k: v for k, v in os.environ.items() if not k.startswith("FACTCHECK_")}
        env.update(
            FACTCHECK_INSTANCE_PATH=str(tmp_path / "instance"),
            FACTCHECK_SECRET_KEY="x",
            FACTCHECK_JOBS_WORKERS="1",
            FACTCHECK_ALLOW_PRIVATE_URLS="1",
            FACTCHECK_FETCH_TIMEOUT_SECONDS="5",
        )
        worker = subprocess.Popen(
            [sys.executable, "-m", "factcheck", "--db", app.config["DATABASE"], "worker"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=open(tmp_path / "worker.log", "ab"),  # noqa: SIM115
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            state = db.execute("SELECT state FROM source_records").fetchone()[0]
            if state == "archived":
                break
            time.sleep(0.1)
        assert state == "archived", (tmp_path / "worker.log").read_text()
        # the worker yields the CPU to the web server (JOBS_NICE, 10 by default)
        mine = os.getpriority(os.PRIO_PROCESS, 0)
        assert os.getpriority(os.PRIO_PROCESS, worker.pid) == min(mine + 10, 19)
        html = alice.get(f"/claims/{claim['id']}/evidence").get_data(as_text=True)
        assert "excerpt found in the archived copy" in html
    finally:
        if worker is not None and worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(20)
        jobs.configure({"JOBS_IMMEDIATE": True})
