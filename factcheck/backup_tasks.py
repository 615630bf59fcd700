"""Scheduled backups as a periodic background job (:func:`factcheck.backup.run_scheduled_backup`).

The job worker (the one ``factcheck serve`` starts, or ``factcheck worker``) looks every
:data:`CHECK_EVERY_MINUTES` minutes whether a backup is due (``BACKUP_INTERVAL_HOURS`` since
the newest scheduled one) and, if so, takes it and deletes the scheduled ones beyond
``BACKUP_KEEP``. A failed backup is listed by ``factcheck jobs`` and on the admins' Backups
page; the next check tries again.
"""

from __future__ import annotations

from typing import Any

from . import backup, jobs

CHECK_EVERY_MINUTES = 5
TASK_NAME = "scheduled_backup"


@jobs.periodic_task(jobs.crontab(minute=f"*/{CHECK_EVERY_MINUTES}"), name=TASK_NAME)
def scheduled_backup() -> dict[str, Any] | None:
    settings = jobs.config()
    return backup.run_scheduled_backup(
        settings["DATABASE"],
        backup.backup_dir(settings),
        settings["BACKUP_INTERVAL_HOURS"],
        settings["BACKUP_KEEP"],
        busy_timeout_ms=settings.get("BUSY_TIMEOUT_MS", 5000),
    )
