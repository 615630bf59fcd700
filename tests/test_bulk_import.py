"""Bulk import (factcheck/bulk_import.py): records checked, stored and acknowledged at once in
one transaction, claims extracted by jobs; progress; a worker that dies loses nothing."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from factcheck import bulk_import, create_app, jobs, store
from factcheck.db import connect, migrate
from factcheck.store import batches

from .conftest import SAMPLE_ARTICLE

ROOT = Path(__file__).resolve().parents[1]


def records(n: int, start: int = 0) -> list[dict[str, Any]]:
    return [
        {
            "title": f"Council story {i}",
            "text": f"The council voted {i + 10} to 3 on Tuesday to spend {i + 2} million euros "
            f"on roads, the mayor said. Turnout was {i % 90 + 5} per cent.",
            "publisher": "Daily Planet",
            "date": "2025-05-06",
        }
        for i in range(start, start + n)
    ]


def counts(db: Any) -> tuple[int, int, int]:
    return (
        db.execute("SELECT count(*) FROM articles").fetchone()[0],
        db.execute("SELECT count(*) FROM claims").fetchone()[0],
        db.execute("SELECT count(*) FROM import_batches").fetchone()[0],
    )


def test_formats_are_read_as_factcheck_import_reads_them() -> None:
    data = records(2)
    as_json = json.dumps(data)
    as_jsonl = "\n".join(json.dumps(r) for r in data)
    as_csv = "title,text,publisher,date\n" + "\n".join(
        f'"{r["title"]}","{r["text"]}",{r["publisher"]},{r["date"]}' for r in data
    )
    for text, kind in ((as_json, "json"), (as_jsonl, "jsonl"), (as_csv, "csv")):
        assert bulk_import.guess_format(None, text) == kind
        items = bulk_import.read_records(text, kind, "f")
        assert [i.data["text"] for i in items] == [r["text"] for r in data]
    assert bulk_import.guess_format("x.csv", as_json) == "csv"
    assert bulk_import.guess_format(None, json.dumps({"articles": data})) == "json"


def test_web_bulk_import_stores_then_extracts(app: Any, login: Any, db: Any) -> None:
    alice = login("alice")
    assert "Bulk import" in alice.get("/imports/bulk").get_data(as_text=True)
    payload = json.dumps(records(120) + [{"title": "dup", "text": records(1)[0]["text"]}])
    response = alice.post(
        "/imports/bulk",
        data={"upload": (io.BytesIO(payload.encode()), "batch.json"), "format": "auto"},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    location = response.headers["Location"]
    progress = alice.get(location, headers={"Accept": "application/json"}).get_json()
    # JOBS_IMMEDIATE: the extraction jobs ran at once.
    assert progress["state"] == "done" and progress["total"] == 120
    assert progress["done"] == 120 and progress["duplicates"] == 1 and progress["failed"] == 0
    articles, claims, _ = counts(db)
    assert articles == 120 and claims > 120
    page = alice.get(location).get_data(as_text=True)
    assert "All 120 articles have their claims" in page and "batch.json" in page
    audit = db.execute("SELECT count(*) FROM audit_log WHERE table_name = 'articles'").fetchone()
    assert audit[0] == 120
    assert login("bob").get(location).status_code == 404
    assert login("edna").get(location).status_code == 200


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ([{"title": "ok", "text": "Fine text here."}, {"title": "bad"}], "#2 (bad): the record"),
        ([{"text": "Fine."}, "just a string"], "#2: an article record must be a JSON object"),
        ([{"text": "Fine.", "url": "javascript:alert(1)"}], "url must start with http"),
        ([], "The batch has no article records"),
    ],
)
def test_a_bad_record_stores_nothing_and_is_named(
    login: Any, db: Any, payload: list[Any], message: str
) -> None:
    before = counts(db)
    response = login("alice").post(
        "/imports/bulk", data={"records": json.dumps(payload), "format": "json"}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message.replace("'", "&#39;") in html or message in html, html
    assert "Nothing was imported" in html or not payload
    assert counts(db) == before
    assert "Fine" in html or not payload  # the pasted records are kept in the form


def test_an_extracting_article_has_no_claims_anywhere(app: Any, db: Any, login: Any) -> None:
    """Queued but not yet extracted: the list, the review page and the exports show an
    article without claims, marked extracting."""
    app.config["JOBS_IMMEDIATE"] = False
    jobs.configure(app.config)
    try:
        with app.app_context():
            items = bulk_import.read_records(json.dumps(records(3)), "json")
            created = bulk_import.start(db, app.config, items, None, "test")
        assert jobs.status()["queued"] == 1
        alice = login("edna")
        listing = alice.get("/").get_data(as_text=True)
        assert listing.count("extracting…") == 3
        article_id = created["article_ids"][0]
        review = alice.get(f"/articles/{article_id}").get_data(as_text=True)
        assert "Extracting claims…" in review
        csv_export = alice.get(f"/articles/{article_id}/report.csv").get_data(as_text=True)
        assert csv_export.count("\n") <= 1  # the header only
        batch = batches.get_batch(db, created["batch_id"])
        assert (batch["state"], batch["extracting"], batch["done"]) == ("extracting", 3, 0)
        # The job runs (as a worker would): the claims are in.
        task = jobs.queue.dequeue()
        jobs.queue.execute(task)
        batch = batches.get_batch(db, created["batch_id"])
        assert (batch["state"], batch["extracting"], batch["done"]) == ("done", 0, 3)
        assert "extracting" not in alice.get("/").get_data(as_text=True)
        review = alice.get(f"/articles/{article_id}").get_data(as_text=True)
        assert "Extracting claims" not in review
        # Run again (a job re-run after a stop): nothing doubles.
        claims = counts(db)[1]
        bulk_import.extract_articles.call_local(created["article_ids"])
        assert counts(db)[1] == claims
    finally:
        jobs.configure({"JOBS_IMMEDIATE": True})


def test_a_failing_extraction_marks_the_article(app: Any, db: Any, monkeypatch: Any) -> None:
    def broken(body: str, **kwargs: Any) -> Any:
        if "broken" in body:
            raise RuntimeError("the extractor broke")
        return []

    monkeypatch.setattr(bulk_import.extract, "extract_claims", broken)
    data = [{"text": "A broken article."}, {"text": "A fine article."}]
    with app.app_context():
        items = bulk_import.read_records(json.dumps(data), "json")
        created = bulk_import.start(db, app.config, items, None, "t")
    batch = batches.get_batch(db, created["batch_id"])
    assert (batch["done"], batch["failed"], batch["state"]) == (1, 1, "done")
    failed = batches.batch_articles(db, created["batch_id"])[0]
    assert failed["extraction"] == "failed" and "the extractor broke" in failed["extraction_error"]


# A real worker --------------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork (Unix)")
def test_a_worker_that_dies_leaves_its_articles_queued(tmp_path: Path) -> None:
    database = str(tmp_path / "claims.db")
    config = {"DATABASE": database, "SECRET_KEY": "x", "JOBS_IMMEDIATE": False}
    app = create_app(config)
    db = connect(database)
    migrate(db)
    try:
        with app.app_context():
            items = bulk_import.read_records(json.dumps(records(400)), "json")
            created = bulk_import.start(db, app.config, items, None, "bench")
        assert jobs.status()["queued"] == 8
        env = {k: v for k, v in os.environ.items() if not k.startswith("FACTCHECK_")}
        env.update(
            FACTCHECK_INSTANCE_PATH=str(tmp_path / "i"),
            FACTCHECK_JOBS_WORKERS="2",
            FACTCHECK_BACKUP_INTERVAL_HOURS="0",  # (only the batch's jobs in flight)
        )
        worker = subprocess.Popen(
            [sys.executable, "-m", "factcheck", "--db", database, "worker"],
            cwd=ROOT,
            env=env,
            start_new_session=True,
            stderr=subprocess.DEVNULL,
        )
        try:
            # Kill worker processes as they work, three times over.
            killed = 0
            deadline = time.monotonic() + 60
            while killed < 3 and time.monotonic() < deadline:
                running = jobs.queue.storage.sql("select pid from inflight", results=True)
                if running:
                    try:
                        os.kill(running[0][0], signal.SIGKILL)
                        killed += 1
                    except ProcessLookupError:
                        pass
                time.sleep(0.05)
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                batch = batches.get_batch(db, created["batch_id"])
                if batch["state"] == "done":
                    break
                time.sleep(0.2)
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(20)
        batch = batches.get_batch(db, created["batch_id"])
        assert killed == 3
        assert (batch["done"], batch["failed"], batch["extracting"]) == (400, 0, 0)
        # Every article extracted once: its claims are not doubled by the jobs run again.
        doubled = db.execute(
            'SELECT count(*) FROM (SELECT article_id, start, "end" FROM claims'
            ' GROUP BY article_id, start, "end" HAVING count(*) > 1)'
        ).fetchone()[0]
        assert doubled == 0
    finally:
        db.close()
        jobs.configure({"JOBS_IMMEDIATE": True})


def test_a_starting_worker_queues_articles_left_extracting(app: Any, db: Any) -> None:
    """Stored but never queued (a crash between the two): the next worker queues them."""
    app.config["JOBS_IMMEDIATE"] = False
    jobs.configure(app.config)
    try:
        drafts = bulk_import.prepare(bulk_import.read_records(json.dumps(records(60)), "json"), {})
        batches.create_batch(db, drafts, None, "lost")  # (not queued)
        assert jobs.status()["queued"] == 0
        assert bulk_import.resume(app.config) == 60
        assert jobs.status()["queued"] == 2
    finally:
        jobs.configure({"JOBS_IMMEDIATE": True})
    assert SAMPLE_ARTICLE and store


# The API --------------------------------------------------------------------------------------


def _token(db: Any, name: str) -> dict[str, str]:
    user = store.user_by_name(db, name)
    return {"Authorization": f"Bearer {store.create_token(db, user['id'], 't')[0]}"}


def test_api_bulk_import_json_jsonl_csv(app: Any, db: Any) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from factcheck.openapi import build_document

    components = build_document(app)["components"]
    client = app.test_client()
    alice = _token(db, "alice")
    response = client.post("/api/v1/imports/bulk", json=records(5), headers=alice)
    assert response.status_code == 202, response.get_json()
    body = response.get_json()
    assert body["total"] == 5 and len(body["article_ids"]) == 5 and body["state"] == "done"
    schema = {"$ref": "#/components/schemas/ImportBatch", "components": components}
    jsonschema.validate(body, schema, cls=jsonschema.Draft202012Validator)
    progress = client.get(response.headers["Location"], headers=alice).get_json()
    jsonschema.validate(progress, schema, cls=jsonschema.Draft202012Validator)
    assert progress["done"] == 5
    jsonl = "\n".join(json.dumps(r) for r in records(2, start=100))
    response = client.post(
        "/api/v1/imports/bulk?source=feed.jsonl",
        data=jsonl,
        headers=alice | {"Content-Type": "application/x-ndjson"},
    )
    assert response.status_code == 202 and response.get_json()["source"] == "feed.jsonl"
    csv_text = "title,text\nA,First CSV article text.\nB,Second CSV article text.\n"
    response = client.post(
        "/api/v1/imports/bulk", data=csv_text, headers=alice | {"Content-Type": "text/csv"}
    )
    assert response.status_code == 202 and response.get_json()["total"] == 2
    # All over again: every record a duplicate of a stored article.
    again = client.post("/api/v1/imports/bulk", json=records(5), headers=alice)
    assert (
        again.get_json()["total"] == 0 and again.get_json()["duplicate_of"] == body["article_ids"]
    )
    # A bad record: 422 naming it, nothing stored.
    before = counts(db)
    bad = client.post(
        "/api/v1/imports/bulk", json=[*records(3, start=500), {"title": "x"}], headers=alice
    )
    assert bad.status_code == 422 and "#4 (x)" in bad.get_json()["error"]
    assert counts(db) == before
    assert (
        client.post(
            "/api/v1/imports/bulk", data="x", headers=alice | {"Content-Type": "text/plain"}
        ).status_code
        == 415
    )
    assert client.get(response.headers["Location"], headers=_token(db, "bob")).status_code == 404


def test_api_url_import(app: Any, db: Any) -> None:
    client = app.test_client()
    alice = _token(db, "alice")
    response = client.post(
        "/api/v1/imports/url", json={"url": "http://127.0.0.1:9/x"}, headers=alice
    )
    assert response.status_code == 202
    body = response.get_json()
    # JOBS_IMMEDIATE: over already; a loopback address is refused by the fetcher.
    assert body["state"] == "failed" and "loopback" in body["error"]
    assert client.get(response.headers["Location"], headers=alice).get_json() == body
    bad = client.post("/api/v1/imports/url", json={"url": "javascript:alert(1)"}, headers=alice)
    assert bad.status_code == 422
    assert client.get(response.headers["Location"], headers=_token(db, "bob")).status_code == 404
