"""Tasks for tests/test_jobs.py (a real consumer imports them: setting JOBS_TASK_MODULES).

Each appends lines to a log file named by its first argument, so that a test sees what ran.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from factcheck import jobs


def _log(path: str, line: str) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(line + "\n")


def lines(path: str) -> list[str]:
    file = Path(path)
    return file.read_text(encoding="utf-8").splitlines() if file.exists() else []


@jobs.task()
def record(path: str, label: str) -> None:
    _log(path, f"ran {label} in {os.getpid()}")


@jobs.task()
def slow(path: str, label: str, seconds: float) -> None:
    _log(path, f"start {label} {os.getpid()}")
    time.sleep(seconds)
    _log(path, f"done {label}")


def _gave_up(path: str, label: str, error: str) -> None:
    _log(path, f"gave up {label}: {error}")


@jobs.task(retries=2, retry_delay=0.2, retry_backoff=2, on_failure=_gave_up)
def flaky(path: str, label: str) -> None:
    _log(path, f"try {label}")
    raise RuntimeError(f"{label} broke")


@jobs.task(on_failure=_gave_up)
def crash(path: str, label: str) -> None:
    """Stops its worker process (as a crash or the out-of-memory killer would)."""
    _log(path, f"crash {label}")
    os._exit(1)
