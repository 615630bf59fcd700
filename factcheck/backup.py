"""Backups: a consistent copy of the live database, checked; scheduled copies; restore.

A backup is taken with SQLite's online backup API, in steps, inside one read transaction
on the source: in WAL mode a read transaction sees the database as it was when it began and
never blocks writers, so reviewers go on saving while the copy is made, and because the
snapshot stays fixed the copy never restarts. (Stepping *without* the read transaction, as
``sqlite3 .backup`` does, starts the copy again after every commit of another connection:
under a stream of saves it never finishes.) The copy is written beside its final name,
switched to a single-file journal, checked with ``PRAGMA integrity_check`` and with the row
count of every table against the source's counts in the same snapshot, and only then renamed
into place, with a small JSON manifest beside it. A file under a backup's name is a checked
backup.

``restore`` copies a backup back into the database file (through the backup API, so the
database's WAL is handled by SQLite), after keeping the current database as a backup, and
refuses while a server runs on the database: ``factcheck serve`` holds a shared ``flock`` on
``<database>.serving`` for as long as it runs (the kernel drops it when the process ends, even
on ``kill -9``), and ``restore`` needs the exclusive one.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # (Windows: no server detection; restore trusts the operator)
    fcntl = None  # type: ignore[assignment]

PAGES_PER_STEP = 1024  # 4 MiB of 4 KiB pages a step
SUFFIX = ".db"
# <stem>-YYYYMMDD-HHMMSS[-kind].db
NAME_RE = re.compile(
    r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})(?:-(?P<kind>auto|before-restore))?\.db$"
)


class BackupError(Exception):
    """A backup or restore could not be made; the message says why, for the operator."""


class ServerRunning(BackupError):
    """A server runs on the database (restore refuses)."""


# Where backups go -------------------------------------------------------------------------


def backup_dir(config: Any) -> Path:
    """The folder of backups: ``BACKUP_DIR``, else ``backups`` beside the database."""
    configured = config.get("BACKUP_DIR")
    if configured:
        return Path(configured)
    return Path(os.path.abspath(config["DATABASE"])).parent / "backups"


def backup_name(db_path: str, kind: str = "", when: datetime.datetime | None = None) -> str:
    """``claims-20261207-182300.db`` (``-auto`` for scheduled ones, ``-before-restore``)."""
    when = when or datetime.datetime.now(datetime.UTC)
    stem = Path(db_path).stem or "claims"
    return f"{stem}-{when.strftime('%Y%m%d-%H%M%S')}{'-' + kind if kind else ''}{SUFFIX}"


def _unique(path: Path) -> Path:
    if not path.exists():
        return path
    for n in range(2, 1000):
        other = path.with_name(f"{path.stem}.{n}{path.suffix}")
        if not other.exists():
            return other
    raise BackupError(f"too many backups named like {path}")


# Taking one ---------------------------------------------------------------------------------


def _tables(conn: sqlite3.Connection) -> list[str]:
    """The database's ordinary tables (virtual tables are counted through their shadow tables)."""
    return [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name"
        )
    ]


def row_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Rows in each ordinary table."""
    return {
        name: conn.execute(
            f'SELECT count(*) FROM "{name.replace(chr(34), chr(34) * 2)}"'
        ).fetchone()[0]
        for name in _tables(conn)
    }


def _open(path: str, busy_timeout_ms: int = 5000, readonly: bool = False) -> sqlite3.Connection:
    if readonly:
        uri = Path(os.path.abspath(path)).as_uri() + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=0)
    else:
        conn = sqlite3.connect(path, isolation_level=None, timeout=0)
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    return conn


def take_backup(
    db_path: str,
    dest: str | os.PathLike[str] | None = None,
    *,
    directory: str | os.PathLike[str] | None = None,
    kind: str = "",
    busy_timeout_ms: int = 5000,
    pages_per_step: int = PAGES_PER_STEP,
    pause: float = 0.0,
    progress: Callable[[int, int], None] | None = None,
    when: datetime.datetime | None = None,
) -> dict[str, Any]:
    """Copy the database at ``db_path`` to ``dest`` (a file, or a folder to name it in; else
    ``directory``, else ``backups`` beside the database), check the copy, and return its
    manifest: ``path``, ``bytes``, ``seconds``, ``tables`` (row counts), ``integrity``.

    ``progress(copied_pages, total_pages)`` is called after each step; ``pause`` seconds are
    slept between steps (lets writers on a busy machine have the CPU); ``when`` (default now)
    names the file. Raises
    :class:`BackupError` when the source cannot be read or the copy does not check out
    (nothing is left under the backup's name then).
    """
    started = time.monotonic()
    when = when or datetime.datetime.now(datetime.UTC)
    if not os.path.isfile(db_path):
        raise BackupError(f"there is no database at {db_path}")
    if dest is not None and not os.path.isdir(dest):
        target = Path(dest)
    else:
        folder = Path(dest if dest is not None else directory or Path(db_path).parent / "backups")
        target = _unique(folder / backup_name(db_path, kind, when))
    target = Path(os.path.abspath(target))
    if target.exists():
        raise BackupError(f"{target} exists already; name another file")
    if os.path.abspath(db_path) == str(target):
        raise BackupError("a backup cannot overwrite the database itself")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    for leftover in (partial, Path(str(partial) + "-journal")):
        leftover.unlink(missing_ok=True)

    try:
        source = _open(db_path, busy_timeout_ms)
    except sqlite3.Error as exc:
        raise BackupError(f"cannot open {db_path}: {exc}") from exc
    try:
        try:
            source.execute("BEGIN")  # one read snapshot for the counts and every step
            counts = row_counts(source)
        except sqlite3.Error as exc:
            raise BackupError(f"cannot read {db_path}: {exc}") from exc
        copy = sqlite3.connect(partial, isolation_level=None)
        try:

            def step(status: int, remaining: int, total: int) -> None:
                if progress is not None:
                    progress(total - remaining, total)
                if pause and remaining:
                    time.sleep(pause)

            try:
                source.backup(copy, pages=max(1, int(pages_per_step)), progress=step)
            except sqlite3.Error as exc:
                raise BackupError(f"the copy failed: {exc}") from exc
            finally:
                if source.in_transaction:
                    source.execute("ROLLBACK")
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            integrity = [row[0] for row in copy.execute("PRAGMA integrity_check")]
            copied = row_counts(copy)
        finally:
            copy.close()
    finally:
        source.close()

    if integrity != ["ok"] or copied != counts:
        partial.unlink(missing_ok=True)
        differ = {t: (counts.get(t), copied.get(t)) for t in set(counts) | set(copied)}
        differ = {t: v for t, v in differ.items() if v[0] != v[1]}
        raise BackupError(
            "the copy did not check out; nothing was kept "
            f"(integrity_check: {'; '.join(integrity[:5])}; differing row counts: {differ})"
        )
    with open(partial, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(partial, target)
    manifest = {
        "path": str(target),
        "database": os.path.abspath(db_path),
        "taken_at": when.isoformat(timespec="seconds"),
        "kind": kind or "manual",
        "bytes": target.stat().st_size,
        "seconds": round(time.monotonic() - started, 3),
        "integrity": "ok",
        "tables": counts,
    }
    _manifest_path(target).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def _manifest_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def check_file(path: str) -> dict[str, int]:
    """Row counts of the backup at ``path`` after ``PRAGMA integrity_check``; raises
    :class:`BackupError` for a file that is not an intact factcheck database."""
    if not os.path.isfile(path):
        raise BackupError(f"there is no file at {path}")
    try:
        conn = _open(path, readonly=True)
    except sqlite3.Error as exc:
        raise BackupError(f"{path} cannot be opened as a database: {exc}") from exc
    try:
        try:
            integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{path} is not a database: {exc}") from exc
        if integrity != ["ok"]:
            raise BackupError(f"{path} is damaged: {'; '.join(integrity[:5])}")
        counts = row_counts(conn)
        if "_sqlite_migrations" not in counts or "claims" not in counts:
            raise BackupError(f"{path} is not a factcheck database")
        applied = {
            row[0]
            for row in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = 'factcheck'"
            )
        }
    finally:
        conn.close()
    from .db import migrations

    known = {m.name for m in migrations._migrations}
    newer = sorted(applied - known)
    if newer:
        raise BackupError(
            f"{path} was made by a newer factcheck (migrations {', '.join(newer)}); "
            "restore it with that version"
        )
    return counts


# Restoring ----------------------------------------------------------------------------------


def serving_lock_path(db_path: str) -> str:
    return os.path.realpath(db_path) + ".serving"


@contextlib.contextmanager
def _exclusive_lock(db_path: str, what: str = "") -> Iterator[int | None]:
    if fcntl is None:
        yield None
        return
    path = serving_lock_path(db_path)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = ""
            with contextlib.suppress(OSError):
                holder = Path(path).read_text(encoding="utf-8").strip()
            raise ServerRunning(
                "a server is running on this database"
                + (f" ({holder})" if holder else "")
                + ": stop it first (Ctrl-C or SIGTERM), then restore"
            ) from None
        if what:
            os.ftruncate(fd, 0)
            os.pwrite(fd, what.encode("utf-8"), 0)
        yield fd
    finally:
        os.close(fd)


_held: list[int] = []  # the serving lock's file descriptors this process holds


def hold_serving_lock(db_path: str, what: str = "") -> None:
    """Mark the database as served by this process until it exits (``factcheck serve``, its
    worker processes): :func:`restore` refuses meanwhile. ``what`` (pid, address) is written
    into the lock file for restore's message. Raises :class:`BackupError` while a restore runs."""
    if fcntl is None:
        return
    fd = os.open(serving_lock_path(db_path), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise BackupError(
            "a restore is running on this database; try again when it is done"
        ) from None
    if what:
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            os.pwrite(fd, (what + "\n").encode("utf-8"), 0)
    _held.append(fd)  # (kept open, and so locked, for the life of the process)


def server_running(db_path: str) -> bool:
    """Whether a server holds the database (see :func:`hold_serving_lock`)."""
    try:
        with _exclusive_lock(db_path):
            return False
    except ServerRunning:
        return True


def restore(
    db_path: str,
    backup_path: str,
    *,
    keep_current_in: str | os.PathLike[str] | None = None,
    busy_timeout_ms: int = 5000,
) -> dict[str, Any]:
    """Put the backup at ``backup_path`` in place of the database at ``db_path``.

    The backup is checked first (integrity, a factcheck database, not of a newer version);
    the current database, if any, is kept as a ``-before-restore`` backup in
    ``keep_current_in`` (default ``backups`` beside it). Refuses with :class:`ServerRunning`
    while a server runs on the database. Returns ``tables`` (row counts of the restored
    database) and ``kept`` (the previous database's backup, or None).
    """
    if os.path.abspath(backup_path) == os.path.abspath(db_path):
        raise BackupError("that file is the database itself")
    with _exclusive_lock(db_path, what=f"restore, pid {os.getpid()}"):
        counts = check_file(backup_path)
        kept = None
        if os.path.isfile(db_path) and os.path.getsize(db_path) > 0:
            kept = take_backup(
                db_path,
                directory=keep_current_in or Path(os.path.abspath(db_path)).parent / "backups",
                kind="before-restore",
                busy_timeout_ms=busy_timeout_ms,
            )["path"]
        from .db import _write_lock

        lock = _write_lock(db_path)
        if not lock.acquire(timeout=busy_timeout_ms / 1000):
            raise BackupError("another process kept writing to the database; try again")
        try:
            target = _open(db_path, busy_timeout_ms)
            try:
                # A single-file journal while the pages are replaced (the page size may
                # change then, which WAL mode forbids); WAL again afterwards.
                target.execute("PRAGMA journal_mode = DELETE")
                source = _open(backup_path, readonly=True)
                try:
                    source.backup(target, pages=-1)
                finally:
                    source.close()
                target.execute("PRAGMA journal_mode = WAL")
                restored = row_counts(target)
            finally:
                target.close()
        except sqlite3.Error as exc:
            raise BackupError(f"the restore failed: {exc}") from exc
        finally:
            lock.release()
    if restored != counts:
        raise BackupError(f"the restored database differs from {backup_path}: {restored}")
    return {"tables": restored, "kept": kept}


# Scheduled backups and their list -------------------------------------------------------------


def list_backups(directory: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The backups in ``directory``, newest first: ``name``, ``path``, ``kind``, ``taken_at``
    (UTC datetime), ``bytes``, and from the manifest, when there is one, ``tables``."""
    folder = Path(directory)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = NAME_RE.match(path.name)
        if not match or not path.is_file():
            continue
        stamp = datetime.datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S").replace(
            tzinfo=datetime.UTC
        )
        item: dict[str, Any] = {
            "name": path.name,
            "path": str(path),
            "kind": match["kind"] or "manual",
            "taken_at": stamp,
            "bytes": (stat := path.stat()).st_size,
            "mtime": stat.st_mtime,
            "tables": None,
        }
        with contextlib.suppress(OSError, ValueError):
            manifest = json.loads(_manifest_path(path).read_text(encoding="utf-8"))
            item["tables"] = manifest.get("tables")
            item["seconds"] = manifest.get("seconds")
        found.append(item)
    found.sort(key=lambda item: (item["taken_at"], item["mtime"]), reverse=True)
    return found


def find_backup(directory: str | os.PathLike[str], name: str) -> dict[str, Any] | None:
    """The listed backup called ``name`` (only names :func:`list_backups` gives: no paths)."""
    return next((item for item in list_backups(directory) if item["name"] == name), None)


def run_scheduled_backup(
    db_path: str,
    directory: str | os.PathLike[str],
    interval_hours: float,
    keep: int,
    *,
    now: datetime.datetime | None = None,
    busy_timeout_ms: int = 5000,
) -> dict[str, Any] | None:
    """Take an ``-auto`` backup when the newest one is ``interval_hours`` old or more, then
    delete the oldest ``-auto`` backups beyond ``keep`` (backups taken by hand and before a
    restore are never deleted). Returns the new backup's manifest, or None when none was due
    (or ``interval_hours`` is 0: scheduled backups are off)."""
    if not interval_hours or interval_hours <= 0:
        return None
    now = now or datetime.datetime.now(datetime.UTC)
    autos = [item for item in list_backups(directory) if item["kind"] == "auto"]
    # (a newest backup "in the future" means the clock went back: one is due)
    if autos and datetime.timedelta(0) <= now - autos[0]["taken_at"] < datetime.timedelta(
        hours=interval_hours
    ):
        return None
    manifest = take_backup(
        db_path, directory=directory, kind="auto", busy_timeout_ms=busy_timeout_ms, when=now
    )
    prune(directory, keep)
    return manifest


def prune(directory: str | os.PathLike[str], keep: int) -> list[str]:
    """Delete the ``-auto`` backups beyond the ``keep`` newest; return the names deleted."""
    autos = [item for item in list_backups(directory) if item["kind"] == "auto"]
    deleted = []
    for item in autos[max(keep, 1) :]:
        path = Path(item["path"])
        path.unlink(missing_ok=True)
        _manifest_path(path).unlink(missing_ok=True)
        deleted.append(item["name"])
    return deleted


def next_due(directory: str | os.PathLike[str], interval_hours: float) -> datetime.datetime | None:
    """When the next scheduled backup is due (None: off); now or past when one is due."""
    if not interval_hours or interval_hours <= 0:
        return None
    autos = [item for item in list_backups(directory) if item["kind"] == "auto"]
    if not autos:
        return datetime.datetime.now(datetime.UTC)
    return autos[0]["taken_at"] + datetime.timedelta(hours=interval_hours)
