"""The job queue: background work off the request threads (huey on SQLite).

Work that must not hold a request thread (fetching a web page, extracting the claims of a
bulk import, archiving a cited source, a scheduled backup) is a *task*: a function declared
with :func:`task` (or :func:`periodic_task` for work on a schedule) that takes only plain
arguments (ids, strings) and opens its own database connection (:func:`open_db`, from the
configured ``DATABASE``). Calling the declared function puts a message on the queue and
returns at once; a *consumer* runs it: ``factcheck worker``, or the one that ``factcheck
serve`` starts beside the web server (setting ``JOBS_IN_SERVE``).

The queue is huey's SQLite storage in a file of its own beside the database (``claims.db``
-> ``claims-jobs.db``; setting ``JOBS_DATABASE``), so the queue's writes never wait on the
database's write lock. Two additions of ours make it keep every job:

- **nothing lost mid-job.** huey deletes a message when a worker takes it. Here the same
  transaction moves it to an ``inflight`` table, and the row goes only once the task has
  finished (or its retry is scheduled). A consumer that starts puts every row left there
  back on the queue (the server stopped mid-job), and while it runs it puts back the rows of
  a worker process that died (its health check, every two seconds). A job put back more than
  :data:`MAX_RECOVERIES` times (it stops its worker itself) is failed instead.
- **a clear end.** A task that raises is retried with backoff (``retries``, ``retry_delay``,
  ``retry_backoff``); after the last try it is written to the ``failed`` table (``factcheck
  jobs`` lists them) and its ``on_failure`` callback gets the task's arguments and the error,
  to record a state the user sees.

A module that declares tasks goes in :data:`TASK_MODULES` (the consumer imports them all
before it starts). Periodic tasks run in the consumer's scheduler, checked once a minute;
``crontab`` times are UTC.

One consumer per queue: it holds an ``flock`` on ``<queue file>.consumer-lock`` while it
runs, and a second one refuses to start. ``JOBS_IMMEDIATE`` (tests) runs each task at once in
the caller, huey's immediate mode, where a failure is final at once.
"""

from __future__ import annotations

import ctypes
import json
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from huey import crontab  # noqa: F401 (re-exported: jobs.periodic_task(jobs.crontab(...)))
from huey import signals as huey_signals
from huey.api import Huey
from huey.consumer import Consumer
from huey.storage import MemoryStorage, SqliteStorage

try:
    import fcntl
except ImportError:  # (Windows: no consumer lock; run one worker)
    fcntl = None  # type: ignore[assignment]

logger = logging.getLogger("factcheck.jobs")

QUEUE_NAME = "factcheck"
TASK_MODULES: list[str] = [  # imported by a consumer so that it knows every task
    "factcheck.url_import",
    "factcheck.bulk_import",
    "factcheck.backup_tasks",
    "factcheck.mail",
    "factcheck.evidence.tasks",
]
DEFAULT_RETRIES = 3
DEFAULT_RETRY_DELAY = 2  # seconds before the first retry; then times DEFAULT_RETRY_BACKOFF
DEFAULT_RETRY_BACKOFF = 3
HEALTH_CHECK_SECONDS = 2
MAX_RECOVERIES = 3  # a job whose worker stopped under it more often is failed, not run again
POLL_MAX_SECONDS = 0.5  # an idle worker looks for work at least this often


class AlreadyRunning(RuntimeError):
    """Another consumer holds the queue's lock."""


def queue_path(config: Mapping[str, Any]) -> str:
    """The queue's file: ``JOBS_DATABASE``, else ``<database stem>-jobs<suffix>`` beside it."""
    if config.get("JOBS_DATABASE"):
        return str(config["JOBS_DATABASE"])
    database = Path(str(config.get("DATABASE") or "claims.db"))
    return str(database.with_name(f"{database.stem}-jobs{database.suffix or '.db'}"))


class QueueStorage(SqliteStorage):
    """huey's SQLite storage, with taken messages kept until their task is over."""

    table_inflight = (
        "create table if not exists inflight (id integer primary key, queue text not null, "
        "data blob not null, priority real not null default 0, pid integer not null, "
        "taken_at real not null)"
    )
    table_failed = (
        "create table if not exists failed (id integer primary key, queue text not null, "
        "task text not null, args text not null, error text not null, failed_at real not null)"
    )
    table_recovered = (
        "create table if not exists recovered (queue text not null, digest text not null, "
        "times integer not null, primary key (queue, digest))"
    )
    ddl = [*SqliteStorage.ddl, table_inflight, table_failed, table_recovered]

    def __init__(self, name: str = QUEUE_NAME, filename: str = "jobs.db", **kwargs: Any):
        # synchronous=NORMAL in WAL mode: a commit is not an fsync (an OS crash may lose the
        # last jobs queued, never corrupt the file; the work they stand for is also recorded
        # in the database by whoever queued it).
        super().__init__(name, filename=filename, fsync=False, **kwargs)

    def _create_connection(self) -> Any:
        conn = super()._create_connection()
        conn.execute("pragma synchronous=1")
        return conn

    def take(self) -> tuple[int, bytes] | None:
        """Take the next message: moved from the queue to ``inflight`` in one transaction."""
        if not self.sql("select 1 from task where queue = ? limit 1", (self.name,), results=True):
            return None
        with self.db(commit=True) as curs:
            curs.execute(
                "select id, data, priority from task where queue = ? "
                "order by priority desc, id limit 1",
                (self.name,),
            )
            row = curs.fetchone()
            if row is None:
                return None
            curs.execute("delete from task where id = ?", (row[0],))
            curs.execute(
                "insert into inflight (queue, data, priority, pid, taken_at) "
                "values (?, ?, ?, ?, ?)",
                (self.name, row[1], row[2], os.getpid(), time.time()),
            )
            return curs.lastrowid, bytes(row[1])

    def release(self, inflight_id: int) -> None:
        with self.db(commit=True) as curs:
            curs.execute("select data from inflight where id = ?", (inflight_id,))
            row = curs.fetchone()
            curs.execute("delete from inflight where id = ?", (inflight_id,))
            if row is not None:
                curs.execute(
                    "delete from recovered where queue = ? and digest = ?",
                    (self.name, _digest(row[0])),
                )

    def requeue_inflight(
        self, keep_pids: Iterable[int] | None = None, given_up: list[bytes] | None = None
    ) -> int:
        """Put back on the queue the messages taken by processes other than ``keep_pids``
        (all of them when None: no consumer runs). Returns how many. A message put back more
        than :data:`MAX_RECOVERIES` times (its job stops its worker: a crash, memory) is not:
        it goes to ``given_up``, for the caller to record as failed."""
        keep = sorted(set(keep_pids or ()))
        where = "queue = ?"
        params: list[Any] = [self.name]
        if keep:
            where += f" and pid not in ({', '.join('?' * len(keep))})"
            params += keep
        with self.db(commit=True) as curs:
            curs.execute(f"select id, data, priority from inflight where {where}", params)
            rows = curs.fetchall()
            requeued = 0
            for row_id, data, priority in rows:
                curs.execute("delete from inflight where id = ?", (row_id,))
                digest = _digest(data)
                curs.execute(
                    "insert into recovered (queue, digest, times) values (?, ?, 1) "
                    "on conflict (queue, digest) do update set times = times + 1",
                    (self.name, digest),
                )
                curs.execute(
                    "select times from recovered where queue = ? and digest = ?",
                    (self.name, digest),
                )
                if curs.fetchone()[0] > MAX_RECOVERIES:
                    curs.execute(
                        "delete from recovered where queue = ? and digest = ?", (self.name, digest)
                    )
                    if given_up is not None:
                        given_up.append(bytes(data))
                    continue
                curs.execute(
                    "insert into task (queue, data, priority) values (?, ?, ?)",
                    (self.name, data, priority),
                )
                requeued += 1
        return requeued

    def enqueue_many(self, messages: Iterable[tuple[bytes, float]]) -> None:
        """Queue many messages in one transaction (one commit, not one per message)."""
        with self.db(commit=True) as curs:
            curs.executemany(
                "insert into task (queue, data, priority) values (?, ?, ?)",
                ((self.name, self.to_blob(data), priority or 0) for data, priority in messages),
            )

    def record_failure(self, task_name: str, args: str, error: str) -> None:
        self.sql(
            "insert into failed (queue, task, args, error, failed_at) values (?, ?, ?, ?, ?)",
            (self.name, task_name, args, error, time.time()),
            commit=True,
        )

    def status(self, failures: int = 10) -> dict[str, Any]:
        def count(table: str) -> int:
            sql = f"select count(*) from {table} where queue = ?"  # noqa: S608 (our names)
            return self.sql(sql, (self.name,), results=True)[0][0]

        recent = self.sql(
            "select task, args, error, failed_at from failed where queue = ? "
            "order by id desc limit ?",
            (self.name, failures),
            results=True,
        )
        return {
            "queued": count("task"),
            "scheduled": count("schedule"),
            "running": count("inflight"),
            "failed": count("failed"),
            "recent_failures": [
                {"task": t, "args": a, "error": e, "failed_at": f} for t, a, e, f in recent
            ],
        }

    def forget_connection(self) -> None:
        """After fork: drop (without closing) the parent's connection and lock."""
        self._conn = None
        self.lock = threading.Lock()


def _digest(data: Any) -> str:
    import hashlib

    return hashlib.sha256(bytes(data)).hexdigest()


class Queue(Huey):
    """huey with :class:`QueueStorage`: a taken message stays in ``inflight`` until done."""

    storage_class = QueueStorage

    def dequeue(self) -> Any:
        take = getattr(self.storage, "take", None)
        if take is None:
            return super().dequeue()
        taken = take()
        if taken is None:
            return None
        inflight_id, data = taken
        try:
            task = self.deserialize_task(data)
        except Exception as exc:  # (a task this consumer does not know: never loop on it)
            self.storage.record_failure("?", "", f"cannot read the job: {exc}")
            self.storage.release(inflight_id)
            raise
        task.inflight_id = inflight_id
        return task

    def execute(self, task: Any, timestamp: Any = None) -> Any:
        value = super().execute(task, timestamp)
        # Done, failed for good, or its retry scheduled: the message is no longer needed.
        # (Interrupted by a stopping consumer: kept, and run again when a consumer starts.)
        inflight_id = getattr(task, "inflight_id", None)
        if inflight_id is not None and not getattr(task, "interrupted", False):
            self.storage.release(inflight_id)
        return value

    def recover(self, keep_pids: Iterable[int] | None = None) -> int:
        """Put back the jobs of stopped workers (see :meth:`QueueStorage.requeue_inflight`);
        a job that stopped its worker too often is failed for good. Returns how many went
        back on the queue."""
        given_up: list[bytes] = []
        requeued = self.storage.requeue_inflight(keep_pids, given_up)
        for data in given_up:
            try:
                task = self.deserialize_task(data)
            except Exception as exc:
                self.storage.record_failure("?", "", f"cannot read the job: {exc}")
                continue
            _give_up(
                task,
                f"its worker process stopped while running it {MAX_RECOVERIES + 1} times "
                "(a crash, or out of memory); it is not run again",
            )
        return requeued

    def enqueue_many(self, tasks: list[Any]) -> None:
        """Queue several tasks at once (one transaction; in immediate mode, run each)."""
        if self.immediate or not hasattr(self.storage, "enqueue_many"):
            for each in tasks:
                self.enqueue(each)
            return
        for each in tasks:
            self._emit(huey_signals.SIGNAL_ENQUEUED, each)
        self.storage.enqueue_many((self.serialize_task(t), t.priority) for t in tasks)


queue = Queue(QUEUE_NAME, immediate=True, results=False, utc=True)
_on_failure: dict[str, Callable[..., Any]] = {}
#: Called with the settings when a consumer starts, after the jobs left in flight are back on
#: the queue (e.g. to queue again work recorded in the database but not queued).
on_consumer_start: list[Callable[[Mapping[str, Any]], Any]] = []
_config: Mapping[str, Any] = {}


@queue.signal(huey_signals.SIGNAL_INTERRUPTED)
def _interrupted(signal: str, task: Any, *args: Any) -> None:
    task.interrupted = True


@queue.signal(huey_signals.SIGNAL_ERROR, huey_signals.SIGNAL_TIMEOUT)
def _failed(signal: str, task: Any, exc: BaseException | None = None) -> None:
    if queue.immediate:
        task.retries = 0  # (no scheduler runs in immediate mode: a failure is final at once)
    if task.retries:
        logger.warning("job %s failed (%s); %s retries left", task.name, exc, task.retries)
        return
    error = str(exc) if exc is not None else "timed out"
    _give_up(task, error or type(exc).__name__)


def _give_up(task: Any, error: str) -> None:
    """The job failed for good: recorded in ``failed``, and its ``on_failure`` called."""
    try:
        args = json.dumps([list(task.args), task.kwargs], default=str)[:2000]
    except (TypeError, ValueError):
        args = repr(task.args)[:2000]
    logger.error("job %s failed for good: %s", task.name, error)
    if hasattr(queue.storage, "record_failure"):
        queue.storage.record_failure(task.name, args, error[:2000])
    callback = _on_failure.get(task.name)
    if callback is not None:
        try:
            callback(*task.args, error=error, **task.kwargs)
        except Exception:
            logger.exception("on_failure of job %s failed", task.name)


def task(
    retries: int = DEFAULT_RETRIES,
    retry_delay: float = DEFAULT_RETRY_DELAY,
    retry_backoff: float = DEFAULT_RETRY_BACKOFF,
    on_failure: Callable[..., Any] | None = None,
    **settings: Any,
) -> Callable[[Callable[..., Any]], Any]:
    """Declare a background task (huey's ``task`` with our defaults).

    Call the decorated function to queue a job; ``.call_local(...)`` runs it here. A task that
    raises is tried ``retries`` more times, the first after ``retry_delay`` seconds, each
    wait ``retry_backoff`` times the one before; after the last, ``on_failure(*args,
    error=message, **kwargs)`` is called (record the failure where the user sees it).
    """

    def decorator(func: Callable[..., Any]) -> Any:
        wrapper = queue.task(
            retries=retries, retry_delay=retry_delay, retry_backoff=retry_backoff, **settings
        )(func)
        if on_failure is not None:
            _on_failure[wrapper.task_class.__name__] = on_failure
        return wrapper

    return decorator


def periodic_task(validate_datetime: Callable[..., bool], **settings: Any) -> Any:
    """Declare a task run on a schedule: ``@jobs.periodic_task(jobs.crontab(hour="3"))``."""
    return queue.periodic_task(validate_datetime, **settings)


def enqueue_many(wrapper: Any, argument_lists: Iterable[tuple[Any, ...]]) -> int:
    """Queue one job of ``wrapper`` per argument tuple, in one transaction. Returns how many."""
    tasks = [wrapper.s(*arguments) for arguments in argument_lists]
    queue.enqueue_many(tasks)
    return len(tasks)


# Configuration -------------------------------------------------------------------------------


def configure(config: Mapping[str, Any]) -> None:
    """Point the queue at the app's settings (``create_app`` calls this)."""
    global _config
    _config = config
    immediate = bool(config.get("JOBS_IMMEDIATE")) or config.get("DATABASE") == ":memory:"
    if immediate:
        queue._immediate = True
        if not isinstance(queue.storage, MemoryStorage):
            queue.storage = MemoryStorage(QUEUE_NAME)
        return
    queue._immediate = False
    path = os.path.abspath(queue_path(config))
    storage = queue.storage
    if not isinstance(storage, QueueStorage) or storage.filename != path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        queue.storage = QueueStorage(QUEUE_NAME, filename=path)


def config() -> Mapping[str, Any]:
    """The settings tasks run with: the current app's inside a request (immediate mode),
    else those given to :func:`configure`."""
    from flask import current_app, has_app_context

    if has_app_context():
        return current_app.config
    return _config


def open_db() -> Any:
    """A new connection to the configured database (the task closes it)."""
    from .db import connect

    settings = config()
    return connect(settings["DATABASE"], settings.get("BUSY_TIMEOUT_MS", 5000))


def load_tasks(config: Mapping[str, Any] | None = None) -> None:
    """Import the modules that declare tasks (a consumer must know every task it may meet):
    ours, and those named by the ``JOBS_TASK_MODULES`` setting."""
    import importlib

    extra = list((config or {}).get("JOBS_TASK_MODULES") or [])
    for name in [*TASK_MODULES, *extra]:
        importlib.import_module(name)


def status(failures: int = 10) -> dict[str, Any]:
    """Counts of queued, scheduled, running and failed jobs, and the last ``failures``."""
    if not isinstance(queue.storage, QueueStorage):
        return {"queued": 0, "scheduled": 0, "running": 0, "failed": 0, "recent_failures": []}
    return queue.storage.status(failures)


def _after_fork_in_child() -> None:
    if isinstance(queue.storage, QueueStorage):
        queue.storage.forget_connection()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


# The consumer --------------------------------------------------------------------------------


class _Consumer(Consumer):
    """huey's consumer; its health check also puts back the jobs of a worker that died.

    Two guards against worker processes outliving the consumer (an orphan keeps the
    database's serving lock, so ``factcheck restore`` refuses, and the queue's lock, so no
    new worker starts): the stop signals are handled before the processes start (huey sets
    them after, and a SIGTERM in between killed the consumer and left its processes
    running), and on Linux each process is killed when the consumer dies (``kill -9``
    included; its job in flight is put back by the next consumer)."""

    def start(self) -> None:
        self._set_signal_handlers()
        super().start()

    def get_environment(self, worker_type: str) -> Any:
        environment = super().get_environment(worker_type)
        if environment.forks:
            init_child, consumer = environment.init_child, os.getpid()

            def init_child_bound_to_parent(process: Any) -> None:
                init_child(process)
                _die_with_parent(consumer)

            environment.init_child = init_child_bound_to_parent
        return environment

    def _live_pids(self) -> set[int]:
        pids = {os.getpid()}
        for _, process in self.worker_threads:
            pid = getattr(process, "pid", None)
            if pid and self.environment.is_alive(process):
                pids.add(pid)
        return pids

    def check_worker_health(self) -> bool:
        healthy = super().check_worker_health()
        try:
            requeued = self.huey.recover(keep_pids=self._live_pids())
        except Exception:
            logger.exception("could not put back the jobs of stopped workers")
        else:
            if requeued:
                logger.warning("put back %s job(s) of a worker that stopped", requeued)
        return healthy


def _die_with_parent(parent: int) -> None:
    """Linux: this process gets SIGKILL when its parent dies (prctl PR_SET_PDEATHSIG); and
    if the parent is already gone (it died before the call), exit now."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # 1: PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            logger.warning("could not tie worker process %s to its consumer", os.getpid())
    if os.getppid() != parent:
        os._exit(0)


class ConsumerLock:
    """An ``flock`` held while a consumer runs: one consumer per queue file."""

    def __init__(self, path: str):
        self.path = path + ".consumer-lock"
        self.handle: Any = None

    def acquire(self) -> None:
        handle = open(self.path, "a+")  # noqa: SIM115 (held for the consumer's life)
        if fcntl is not None:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.seek(0)
                holder = handle.read().strip() or "?"
                handle.close()
                raise AlreadyRunning(
                    f"a worker already runs for the job queue {self.path[:-15]} (pid {holder})"
                ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self.handle = handle

    def release(self) -> None:
        if self.handle is not None:
            self.handle.close()
            self.handle = None


def lower_priority(config: Mapping[str, Any], thread: bool = False) -> int:
    """Lower the CPU priority of this process (its worker processes inherit it), or with
    ``thread`` of the calling thread only (Linux), by ``JOBS_NICE``: background work then
    yields the CPU to web requests. Returns the niceness reached (0: unchanged, or not
    possible here)."""
    amount = min(max(int(config.get("JOBS_NICE") or 0), 0), 19)
    if amount == 0:
        return 0
    try:
        if thread:
            who = threading.get_native_id()
            reached = min(os.getpriority(os.PRIO_PROCESS, who) + amount, 19)
            os.setpriority(os.PRIO_PROCESS, who, reached)
            return reached
        return os.nice(amount)
    except (AttributeError, OSError):  # (no nice on this system)
        return 0


def worker_count(config: Mapping[str, Any]) -> int:
    """``JOBS_WORKERS``, or one worker process per CPU core (at least two)."""
    wanted = int(config.get("JOBS_WORKERS") or 0)
    return wanted if wanted > 0 else max(2, os.cpu_count() or 1)


def create_consumer(config: Mapping[str, Any], workers: int | None = None) -> Any:
    """Take the queue's lock, put back jobs left in flight, and build the consumer (run it
    with ``.run()``; the lock is held until the process ends)."""
    if config.get("JOBS_IMMEDIATE") or config.get("DATABASE") == ":memory:":
        raise RuntimeError("JOBS_IMMEDIATE is on (or the database is in memory): no worker")
    configure(config)
    load_tasks(config)
    lock = ConsumerLock(queue.storage.filename)
    lock.acquire()
    requeued = queue.recover()
    if requeued:
        logger.warning("put back %s job(s) left unfinished when the last worker stopped", requeued)
    for hook in on_consumer_start:
        try:
            hook(config)
        except Exception:
            logger.exception("start-up hook %s failed", getattr(hook, "__name__", hook))
    consumer = _Consumer(
        queue,
        workers=workers or worker_count(config),
        worker_type="process",
        periodic=True,
        initial_delay=0.02,
        backoff=1.3,
        max_delay=POLL_MAX_SECONDS,
        check_worker_health=True,
        health_check_interval=HEALTH_CHECK_SECONDS,
    )
    consumer.factcheck_lock = lock
    return consumer
