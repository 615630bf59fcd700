"""Import from a web address, off the request threads: the request records the import and
queues :func:`run_url_import`; a job worker fetches the page (:mod:`factcheck.urlfetch`, with
its hard deadline), extracts the article and its claims and stores them. The user follows the
import's state on its page (``/imports/url/<id>``) or through the API."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import ingest, jobs, store, urlfetch
from .store import url_imports

#: Fetches go before bulk extraction work in the queue (a person is waiting for each one).
PRIORITY = 10


def start(db: Any, config: Mapping[str, Any], url: str, user_id: int | None) -> int:
    """Record an import of ``url`` and queue its job; return the import's id. Raises
    :class:`factcheck.store.url_imports.TooManyImports` at once when the desk's or the user's
    cap on running imports is reached (``FETCH_MAX_CONCURRENT``, ``FETCH_MAX_PER_USER``)."""
    import_id = url_imports.start_url_import(
        db,
        url,
        user_id,
        overall=max(int(config.get("FETCH_MAX_CONCURRENT", 1)), 1),
        per_user=max(int(config.get("FETCH_MAX_PER_USER", 1)), 1),
    )
    run_url_import(import_id)
    return import_id


def _failed(import_id: int, error: str) -> None:
    db = jobs.open_db()
    try:
        url_imports.finish_url_import(
            db, import_id, error=f"The import failed: {error}. Nothing was imported; try again."
        )
    finally:
        db.close()


@jobs.task(retries=2, retry_delay=1, priority=PRIORITY, on_failure=_failed)
def run_url_import(import_id: int) -> None:
    """Fetch the page of import ``import_id`` and store its article (a job)."""
    config = jobs.config()
    db = jobs.open_db()
    try:
        row = url_imports.begin_url_import(db, import_id)
        if row is None:
            return  # over already (run again after a stop)
        try:
            draft = urlfetch.fetch_article(row["url"], config)
        except (urlfetch.FetchError, ingest.IngestError) as exc:
            url_imports.finish_url_import(db, import_id, error=str(exc))
            return
        try:
            article_id = store.create_article(db, draft.article, draft.claims, row["user_id"])
        except store.DuplicateArticle as exc:
            url_imports.finish_url_import(db, import_id, article_id=exc.article_id, duplicate=True)
        else:
            url_imports.finish_url_import(
                db,
                import_id,
                article_id=article_id,
                claims=len(draft.claims),
                notices=draft.notices,
            )
    finally:
        db.close()
