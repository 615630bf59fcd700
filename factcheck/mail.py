"""E-mail of inbox items (optional: off until ``SMTP_HOST`` is set).

Each user who gave an address (on their inbox page) gets their new, unread inbox items by
e-mail: one message per user and delivery run, listing the items with links. Delivery never
runs on a request's thread: a request that may have added items (any successful POST while
e-mail is on) calls :func:`schedule`, which queues the job :func:`deliver_job` (the job queue,
:mod:`factcheck.jobs`); with the queue in immediate mode (tests) it runs :func:`deliver` in a
background thread instead (one at a time per process; a request during a run asks for one
more run after it). A consumer also runs :func:`deliver_periodically` every five minutes, so
a send that failed is tried again. Items older than ``MAIL_MAX_AGE_HOURS`` are never sent, so
turning e-mail on sends no backlog; an item read before its run is not sent.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
import ssl
import threading
from collections.abc import Mapping
from email.message import EmailMessage
from typing import Any

from . import jobs
from .config import public_base_url
from .db import connect
from .store import discussion

log = logging.getLogger(__name__)

_lock = threading.Lock()
_state = {"running": False, "again": False}


def enabled(config: Mapping[str, Any]) -> bool:
    """Whether inbox items are e-mailed (an SMTP server is configured)."""
    return bool(config.get("SMTP_HOST"))


def smtp_settings(config: Mapping[str, Any]) -> dict[str, Any]:
    """The plain settings a delivery needs (it may outlive the request and its app context)."""
    return {
        key: config.get(key)
        for key in (
            "SMTP_HOST",
            "SMTP_PORT",
            "SMTP_USERNAME",
            "SMTP_PASSWORD",
            "SMTP_SECURITY",
            "SMTP_TIMEOUT_SECONDS",
            "MAIL_FROM",
            "MAIL_MAX_AGE_HOURS",
        )
    }


def _message(settings: Mapping[str, Any], base_url: str, items: list[dict[str, Any]]) -> Any:
    count = len(items)
    message = EmailMessage()
    message["From"] = settings.get("MAIL_FROM") or "factcheck@localhost"
    message["To"] = items[0]["email"]
    first = items[0]["text"]
    message["Subject"] = (
        f"factcheck: {first[:70]}" if count == 1 else f"factcheck: {count} new items in your inbox"
    )
    lines = [f"Hello {items[0]['username']},", ""]
    for item in items:
        lines.append(f"- {item['label']}: {item['text']}")
        lines.append(f"  {base_url.rstrip('/')}{item['subject_url']}")
    lines += ["", f"Your inbox: {base_url.rstrip('/')}/inbox", ""]
    message.set_content("\n".join(lines))
    return message


def _connect(settings: Mapping[str, Any]) -> smtplib.SMTP:
    host = settings["SMTP_HOST"]
    security = (settings.get("SMTP_SECURITY") or "none").lower()
    port = int(settings.get("SMTP_PORT") or (465 if security == "ssl" else 25))
    timeout = float(settings.get("SMTP_TIMEOUT_SECONDS") or 10)
    if security == "ssl":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(
            host, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
        if security == "starttls":
            smtp.starttls(context=ssl.create_default_context())
    if settings.get("SMTP_USERNAME"):
        smtp.login(settings["SMTP_USERNAME"], settings.get("SMTP_PASSWORD") or "")
    return smtp


def deliver(db_path: str, settings: Mapping[str, Any], base_url: str) -> int:
    """Send every user's new unread inbox items (one message per user); returns how many
    items were sent. Opens its own database connection; never raises for a failed send (the
    items wait for the next run)."""
    if not settings.get("SMTP_HOST"):
        return 0
    hours = float(settings.get("MAIL_MAX_AGE_HOURS") or 24)
    since = (datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=hours)).isoformat(
        timespec="microseconds"
    )
    db = connect(db_path)
    sent = 0
    try:
        while True:
            items = discussion.claim_mail(db, since)
            if not items:
                return sent
            by_address: dict[str, list[dict[str, Any]]] = {}
            for item in items:
                by_address.setdefault(item["email"], []).append(item)
            try:
                with _connect(settings) as smtp:
                    for batch in by_address.values():
                        try:
                            smtp.send_message(_message(settings, base_url, batch))
                            sent += len(batch)
                        except smtplib.SMTPRecipientsRefused:
                            log.warning("inbox e-mail refused for %s", batch[0]["email"])
            except (OSError, smtplib.SMTPException) as exc:
                log.warning("inbox e-mail not sent (%s); it is tried again later", exc)
                discussion.unclaim_mail(db, [i["id"] for i in items])
                return sent
    finally:
        db.close()


@jobs.task(retries=1, retry_delay=60)
def deliver_job(base_url: str) -> int:
    """The job of sending the new inbox items (settings from the queue's configuration)."""
    settings = jobs.config()
    return deliver(settings["DATABASE"], smtp_settings(settings), base_url)


@jobs.periodic_task(jobs.crontab(minute="*/5"))
def deliver_periodically() -> int:
    """Every five minutes in a consumer: what failed before, or was added without a request."""
    settings = jobs.config()
    if not enabled(settings):
        return 0
    return deliver(settings["DATABASE"], smtp_settings(settings), public_base_url(settings))


def schedule(db_path: str, settings: Mapping[str, Any], base_url: str) -> bool:
    """Have the new inbox items sent off the request's thread: a job on the queue, or (the
    queue in immediate mode) :func:`deliver` in a background thread, unless one runs already
    (it then runs once more when done). Returns whether anything was started."""
    if not settings.get("SMTP_HOST"):
        return False
    if not jobs.queue.immediate:
        deliver_job(base_url)
        return True
    with _lock:
        if _state["running"]:
            _state["again"] = True
            return False
        _state["running"] = True

    def run() -> None:
        while True:
            try:
                deliver(db_path, settings, base_url)
            except Exception:  # (a background thread: log, never take the process down)
                log.exception("inbox e-mail delivery failed")
            with _lock:
                if not _state["again"]:
                    _state["running"] = False
                    return
                _state["again"] = False

    threading.Thread(target=run, name="factcheck-mail", daemon=True).start()
    return True


def wait_idle(timeout: float = 10.0) -> bool:
    """Wait until no delivery runs (for tests and a clean shutdown)."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with _lock:
            if not _state["running"]:
                return True
        time.sleep(0.01)
    return False
