"""The background work of evidence as jobs (:mod:`factcheck.jobs`), and where a request
starts it: after a verdict is saved, and when someone asks for a source to be archived again.
The request only queues the work (never fetches); a job worker runs it (:mod:`.work`).

``archive_task`` archives one record (tried again on a timeout, a dropped connection or a
5xx, 3 attempts in all, then failed with its reason); ``excerpts_task`` checks the excerpts
cited from an archive; ``daily_check`` runs ``factcheck sources check`` once a day. When the
queue runs jobs in the caller (``JOBS_IMMEDIATE``, tests), the work goes to a thread of this
process instead: a save never waits for a fetch.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlite_utils import Database

from .. import jobs
from ..db import connect
from ..store import evidence as records
from . import work


class RetryLater(Exception):
    """An attempt failed for a reason that may pass (the job queue tries again later)."""


_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(
                max_workers=2, thread_name_prefix="factcheck-archive", initializer=_lower_priority
            )
        return _pool


def _lower_priority() -> None:
    """These threads yield the CPU to request threads (``JOBS_NICE``, as the job worker)."""
    jobs.lower_priority(jobs.config(), thread=True)


def enabled(config: Any) -> bool:
    return bool(config.get("ARCHIVE_SOURCES", True)) and config.get("DATABASE") != ":memory:"


def _settings(config: Any) -> dict[str, Any]:
    keys = (
        "ALLOW_PRIVATE_URLS",
        "FETCH_TIMEOUT_SECONDS",
        "ARCHIVE_MAX_BYTES",
        "DATABASE",
        "BUSY_TIMEOUT_MS",
    )
    return {key: config.get(key) for key in keys if config.get(key) is not None}


def _archive_gave_up(record_id: int, error: str = "", **_: Any) -> None:
    db = connect(jobs.config()["DATABASE"])
    try:
        if records.get_record(db, record_id)["state"] in ("pending", "archiving"):
            records.save_failure(db, record_id, error or "Archiving failed.", final=True)
    finally:
        db.close()


@jobs.task(
    retries=work.ATTEMPTS - 1,
    retry_delay=work.BACKOFF[0],
    retry_backoff=work.BACKOFF[1] / work.BACKOFF[0],
    on_failure=_archive_gave_up,
)
def archive_task(record_id: int) -> str:
    """Archive one record (a job): fetch, WARC, text, excerpt checks."""
    settings = _settings(jobs.config())
    outcome = work.archive_source(settings["DATABASE"], record_id, settings)
    if outcome.state == "retry":
        raise RetryLater(outcome.reason)
    return outcome.state


@jobs.task(retries=1)
def excerpts_task(archive_id: int) -> int:
    """Check the excerpts cited from an archive (a job)."""
    return work.check_excerpts(jobs.config()["DATABASE"], archive_id)


@jobs.periodic_task(jobs.crontab(hour="4", minute="17"))
def daily_check() -> None:
    """The daily link check (``factcheck sources check``), when archiving is on."""
    settings = jobs.config()
    if enabled(settings):
        work.check_sources(settings["DATABASE"], _settings(settings))


def _in_caller() -> bool:
    """Whether the queue would run a job in the caller (immediate mode)."""
    return bool(getattr(jobs.queue, "immediate", False))


def archive(config: Any, record_id: int) -> None:
    """Queue the archiving of a record (with its retries)."""
    if not enabled(config):
        return
    if _in_caller():
        settings = _settings(config)
        _executor().submit(work.archive_with_retries, settings["DATABASE"], record_id, settings)
    else:
        archive_task(record_id)


def excerpts(config: Any, archive_id: int) -> None:
    """Queue the check of the excerpts cited from an archive."""
    if not enabled(config):
        return
    if _in_caller():
        _executor().submit(work.check_excerpts, config["DATABASE"], archive_id)
    else:
        excerpts_task(archive_id)


def after_save(config: Any, db: Database, verdict_id: int) -> None:
    """Queue what a saved verdict's sources need: archiving of new addresses, checks of
    excerpts typed after their source was archived."""
    if not enabled(config):
        return
    pending, unchecked = records.verdict_work(db, verdict_id)
    for record_id in pending:
        archive(config, record_id)
    for archive_id in unchecked:
        excerpts(config, archive_id)


def wait_idle(timeout: float = 30.0) -> None:
    """Wait for the queued work to finish (tests, benchmarks)."""
    global _pool
    with _pool_lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True)


__all__ = ["after_save", "archive", "archive_task", "daily_check", "excerpts", "wait_idle"]
