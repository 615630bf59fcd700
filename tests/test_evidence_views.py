"""Evidence in the web app: the panel's source states, the archived-text view, the WARC, the
Sources page and suggestions; saving never waits for a fetch."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from factcheck import store
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


def _save(session: Any, claim_id: int, *sources: dict[str, str], as_json: bool = False) -> Any:
    data: dict[str, str] = {"rating": "true", "rationale": "", "version": ""}
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


def test_panel_states_of_bad_sources(
    archiving: Any, server: str, login: Any, db: Any, article_id: int
) -> None:
    archiving.config["ALLOW_PRIVATE_URLS"] = False
    alice = login("alice")
    claim = _claim(db, article_id)
    response = _save(
        alice,
        claim["id"],
        {"url": f"{server}/report", "title": "Private"},
        {"url": "https://", "title": "no host"},
        as_json=True,
    )
    assert response.status_code == 400  # an address without a host is a typing error
    response = _save(
        alice, claim["id"], {"url": f"{server}/report", "title": "Private"}, as_json=True
    )
    assert response.status_code == 200 and response.get_json()["ok"]  # saved regardless
    tasks.wait_idle()
    html = alice.get(f"/claims/{claim['id']}/evidence").get_data(as_text=True)
    assert "archiving failed" in html
    assert "loopback address" in html and "ALLOW_PRIVATE_URLS" in html
    assert "Try again" in html


def test_javascript_and_file_addresses_are_refused_beside_the_field(
    archiving: Any, login: Any, db: Any, article_id: int
) -> None:
    alice = login("alice")
    claim = _claim(db, article_id)
    for url in ("javascript:alert(1)", "file:///etc/passwd"):
        response = _save(alice, claim["id"], {"url": url}, as_json=True)
        assert response.status_code == 400
        assert "http" in str(response.get_json()["fields"]["sources"])
    assert store.get_verdict(db, claim["id"], 3) is None
    assert db.execute("SELECT count(*) FROM source_records").fetchone()[0] == 0


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
        html = alice.get(f"/claims/{claim['id']}/evidence").get_data(as_text=True)
        assert "excerpt found in the archived copy" in html
    finally:
        if worker is not None and worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(20)
        jobs.configure({"JOBS_IMMEDIATE": True})
