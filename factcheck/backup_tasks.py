"""Scheduled backups as a periodic background job (:func:`factcheck.backup.run_scheduled_backup`).

The job worker's scheduler (in the worker ``factcheck serve`` starts, or ``factcheck
worker``) looks every :data:`CHECK_EVERY_MINUTES` minutes whether a backup is due
(``BACKUP_INTERVAL_HOURS`` since the newest scheduled one) and, if so, queues the job, which
takes it and deletes the scheduled ones beyond
``BACKUP_KEEP``. A failed backup is listed by ``factcheck jobs`` and on the admins' Backups
page; the next check tries again.
"""

from __future__ import annotations

import datetime
from typing import Any

from . import backup, jobs

CHECK_EVERY_MINUTES = 5
TASK_NAME = "scheduled_backup"


_every = jobs.crontab(minute=f"*/{CHECK_EVERY_MINUTES}")


def due(when: datetime.datetime) -> bool:
    """Whether the worker's scheduler queues the job at ``when``: every
    :data:`CHECK_EVERY_MINUTES` minutes, and only when a backup is due (no job at all while
    scheduled backups are off or the newest is recent)."""
    if not _every(when):
        return False
    settings = jobs.config()
    try:
        next_one = backup.next_due(
            backup.backup_dir(settings), settings.get("BACKUP_INTERVAL_HOURS") or 0
        )
    except OSError:
        return True  # (the job will fail and say why)
    return next_one is not None and next_one <= datetime.datetime.now(datetime.UTC)


@jobs.periodic_task(due, name=TASK_NAME)
def scheduled_backup() -> dict[str, Any] | None:
    settings = jobs.config()
    return backup.run_scheduled_backup(
        settings["DATABASE"],
        backup.backup_dir(settings),
        settings["BACKUP_INTERVAL_HOURS"],
        settings["BACKUP_KEEP"],
        busy_timeout_ms=settings.get("BUSY_TIMEOUT_MS", 5000),
    )
