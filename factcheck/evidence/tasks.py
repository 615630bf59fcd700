"""Where the background work of evidence is started from a request: after a verdict is saved,
and when someone asks for a source to be archived again. The request only queues the work
(never fetches); the work runs off the request thread (:mod:`.work`).
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlite_utils import Database

from ..store import evidence as records
from . import work

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="factcheck-archive")
        return _pool


def enabled(config: dict[str, Any]) -> bool:
    return bool(config.get("ARCHIVE_SOURCES", True)) and config.get("DATABASE") != ":memory:"


def _settings(config: dict[str, Any]) -> dict[str, Any]:
    keys = ("ALLOW_PRIVATE_URLS", "FETCH_TIMEOUT_SECONDS", "ARCHIVE_MAX_BYTES", "DATABASE")
    return {key: config.get(key) for key in keys if config.get(key) is not None}


def archive(config: dict[str, Any], record_id: int) -> None:
    """Queue the archiving of a record (with its retries)."""
    if enabled(config):
        settings = _settings(config)
        _executor().submit(work.archive_with_retries, settings["DATABASE"], record_id, settings)


def excerpts(config: dict[str, Any], archive_id: int) -> None:
    """Queue the check of the excerpts cited from an archive."""
    if enabled(config):
        _executor().submit(work.check_excerpts, config["DATABASE"], archive_id)


def after_save(config: dict[str, Any], db: Database, verdict_id: int) -> None:
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


__all__ = ["after_save", "archive", "excerpts", "records", "wait_idle"]
