"""The job queue (factcheck/jobs.py): immediate mode, and a real consumer process that keeps
every job through retries, a worker killed mid-job and a consumer killed mid-job."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from factcheck import create_app, jobs
from factcheck.cli import cli

from . import jobs_tasks
from .jobs_tasks import lines
from .test_serve_workers import _children, _wait_for

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork (Unix)")


@pytest.fixture
def queued(tmp_path: Path) -> Any:
    """An app whose jobs go to a real queue file (no consumer yet); restores immediate mode."""
    app = create_app(
        {
            "TESTING": True,
            "DATABASE": str(tmp_path / "claims.db"),
            "SECRET_KEY": "x",
            "JOBS_IMMEDIATE": False,
            "JOBS_WORKERS": 2,
            "JOBS_TASK_MODULES": ["tests.jobs_tasks"],
        }
    )
    yield app
    jobs.configure({"JOBS_IMMEDIATE": True})


def _consumer(tmp_path: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FACTCHECK_")}
    env.update(
        FACTCHECK_INSTANCE_PATH=str(tmp_path / "instance"),
        FACTCHECK_JOBS_WORKERS="2",
        FACTCHECK_JOBS_TASK_MODULES='["tests.jobs_tasks"]',
        FACTCHECK_SECRET_KEY="x",
        FACTCHECK_BACKUP_INTERVAL_HOURS="0",  # (no scheduled backup job among those counted)
    )
    return subprocess.Popen(
        [sys.executable, "-m", "factcheck", "--db", str(tmp_path / "claims.db"), "worker"],
        cwd=ROOT,
        env=env,
        start_new_session=True,  # (its own process group: a test can kill it whole)
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "worker.log", "ab"),  # noqa: SIM115
    )


def _stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
    process.wait(20)


def test_queue_file_beside_the_database() -> None:
    assert jobs.queue_path({"DATABASE": "/srv/fc/claims.db"}) == "/srv/fc/claims-jobs.db"
    assert jobs.queue_path({"DATABASE": "news"}) == "news-jobs.db"
    assert jobs.queue_path({"DATABASE": "a.db", "JOBS_DATABASE": "/q/x.db"}) == "/q/x.db"


def test_immediate_mode_runs_in_the_caller(app: Any, tmp_path: Path) -> None:
    log = str(tmp_path / "log")
    assert app.config["JOBS_IMMEDIATE"] and jobs.queue.immediate
    jobs_tasks.record(log, "a")
    jobs_tasks.flaky(log, "b")  # fails: final at once, no retry without a scheduler
    assert lines(log) == [f"ran a in {os.getpid()}", "try b", "gave up b: b broke"]


def test_consumer_runs_jobs_in_worker_processes(queued: Any, tmp_path: Path) -> None:
    log = str(tmp_path / "log")
    jobs.enqueue_many(jobs_tasks.record, [(log, str(n)) for n in range(20)])
    jobs_tasks.record(log, "last")
    assert jobs.status()["queued"] == 21
    worker = _consumer(tmp_path)
    try:
        _wait_for(lambda: len(lines(log)) == 21)
        pids = {line.rsplit(" ", 1)[1] for line in lines(log)}
        assert str(os.getpid()) not in pids and str(worker.pid) not in pids
        _wait_for(lambda: jobs.status()["running"] == 0)
        assert jobs.status()["queued"] == 0
        # One consumer per queue: a second one refuses to start.
        second = subprocess.run(
            [sys.executable, "-m", "factcheck", "--db", str(tmp_path / "claims.db"), "worker"],
            cwd=ROOT,
            env={
                **{k: v for k, v in os.environ.items() if not k.startswith("FACTCHECK_")},
                "FACTCHECK_INSTANCE_PATH": str(tmp_path / "instance"),
                "FACTCHECK_SECRET_KEY": "x",
            },
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 1
        assert "a worker already runs for the job queue" in second.stderr
    finally:
        _stop(worker)


def test_failures_retry_with_backoff_then_end_visibly(queued: Any, tmp_path: Path) -> None:
    log = str(tmp_path / "log")
    worker = _consumer(tmp_path)
    try:
        jobs_tasks.flaky(log, "x")
        _wait_for(lambda: any(line.startswith("gave up") for line in lines(log)))
        assert lines(log) == ["try x", "try x", "try x", "gave up x: x broke"]
        state = jobs.status()
        assert state["failed"] == 1 and state["running"] == 0 and state["scheduled"] == 0
        assert state["recent_failures"][0]["task"] == "flaky"
        assert state["recent_failures"][0]["error"] == "x broke"
        assert '"x"' in state["recent_failures"][0]["args"]
    finally:
        _stop(worker)
    result = CliRunner().invoke(
        cli,
        ["--db", queued.config["DATABASE"], "jobs"],
        env={"FACTCHECK_JOBS_IMMEDIATE": "0", "FACTCHECK_INSTANCE_PATH": str(tmp_path / "i")},
    )
    assert "failed 1" in result.output and "flaky" in result.output and "x broke" in result.output


def test_a_job_in_flight_is_run_again_after_the_consumer_is_killed(
    queued: Any, tmp_path: Path
) -> None:
    log = str(tmp_path / "log")
    jobs_tasks.slow(log, "long", 30)
    worker = _consumer(tmp_path)
    try:
        _wait_for(lambda: any(line.startswith("start long") for line in lines(log)))
        assert jobs.status()["running"] == 1
    finally:
        _stop(worker, signal.SIGKILL)  # the whole consumer, workers included: no clean-up
    assert jobs.status()["running"] == 1 and jobs.status()["queued"] == 0
    # The job is no shorter the second time; a quicker one shows the queue still works.
    worker = _consumer(tmp_path)
    try:
        _wait_for(lambda: sum(line.startswith("start long") for line in lines(log)) == 2)
        jobs_tasks.record(log, "after")
        _wait_for(lambda: any(line.startswith("ran after") for line in lines(log)))
    finally:
        _stop(worker)
    # SIGTERM interrupts the job in flight: it stays for the next consumer.
    assert jobs.status()["running"] == 1


def test_a_worker_that_dies_leaves_its_job_queued(queued: Any, tmp_path: Path) -> None:
    log = str(tmp_path / "log")
    jobs_tasks.slow(log, "w", 1.0)
    worker = _consumer(tmp_path)
    try:
        started = _wait_for(lambda: [x for x in lines(log) if x.startswith("start w")])
        os.kill(int(started[0].split()[-1]), signal.SIGKILL)  # one worker process dies
        _wait_for(lambda: "done w" in lines(log))
        starts = [x for x in lines(log) if x.startswith("start w")]
        assert len(starts) == 2 and starts[0] != starts[1]  # run again, by another process
        _wait_for(lambda: jobs.status()["running"] == 0)
    finally:
        _stop(worker)


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_serve_starts_one_consumer_for_all_its_web_workers(tmp_path: Path) -> None:
    from .test_serve_workers import _children, _free_port, _get

    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("FACTCHECK_")}
    env.update(
        FACTCHECK_INSTANCE_PATH=str(tmp_path / "instance"),
        FACTCHECK_JOBS_WORKERS="2",
        FACTCHECK_JOBS_TASK_MODULES='["tests.jobs_tasks"]',
    )
    command = [sys.executable, "-m", "factcheck", "--db", str(tmp_path / "s.db"), "serve"]
    server = subprocess.Popen(
        [*command, "--port", str(port), "--workers", "2", "--no-demo"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:

        def consumers() -> list[int]:
            found = []
            for child in _children(server.pid):
                if "--from-serve" in _cmdline(child):
                    found.append(child)
            return found

        def ready() -> bool:
            try:
                return _get(port, "/login")[0] == 200 and len(_children(server.pid)) == 3
            except OSError:
                return False

        _wait_for(ready, 40)
        assert len(consumers()) == 1  # beside two web workers: one consumer, not one each
        consumer = consumers()[0]
        log = str(tmp_path / "log")
        app = create_app(
            {"DATABASE": str(tmp_path / "s.db"), "SECRET_KEY": "x", "JOBS_IMMEDIATE": False}
        )
        assert app and not jobs.queue.immediate
        jobs_tasks.record(log, "via serve")
        _wait_for(lambda: lines(log))
        server.send_signal(signal.SIGTERM)
        assert server.wait(30) == 0
        _wait_for(lambda: not Path(f"/proc/{consumer}").exists() or "Z" in _state(consumer))
    finally:
        jobs.configure({"JOBS_IMMEDIATE": True})
        if server.poll() is None:
            server.kill()
            server.wait()


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"


def test_a_job_that_keeps_stopping_its_worker_fails_for_good(queued: Any, tmp_path: Path) -> None:
    log = str(tmp_path / "log")
    worker = _consumer(tmp_path)
    try:
        jobs_tasks.crash(log, "c")
        jobs_tasks.record(log, "other")
        _wait_for(lambda: any(line.startswith("gave up c") for line in lines(log)), 60)
        assert [x for x in lines(log) if x.startswith(("crash c", "gave up c"))] == [
            "crash c"
        ] * 4 + [
            f"gave up c: its worker process stopped while running it {jobs.MAX_RECOVERIES + 1} "
            "times (a crash, or out of memory); it is not run again"
        ]
        assert any(x.startswith("ran other") for x in lines(log))  # the others go on
        state = jobs.status()
        assert state["failed"] == 1 and state["recent_failures"][0]["task"] == "crash"
        assert state["running"] == 0 and state["queued"] == 0
    finally:
        _stop(worker)


@pytest.mark.skipif(not hasattr(os, "getpriority"), reason="needs getpriority (Unix)")
def test_background_threads_yield_the_cpu() -> None:
    """``JOBS_NICE`` lowers a background thread's priority (its own only), 0 leaves it."""
    import threading

    seen: dict[str, int] = {}

    def run(name: str, nice: int) -> None:
        before = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        jobs.lower_priority({"JOBS_NICE": nice}, thread=True)
        seen[name] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) - before

    for name, nice in (("niced", 5), ("not", 0)):
        thread = threading.Thread(target=run, args=(name, nice))
        thread.start()
        thread.join()
    mine = os.getpriority(os.PRIO_PROCESS, 0)
    assert seen == {"niced": min(5, 19 - mine), "not": 0}
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == mine  # (unchanged)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_worker_processes_die_with_a_killed_consumer(queued: Any, tmp_path: Path) -> None:
    """kill -9 of the consumer alone (not its process group) leaves no orphan process: an
    orphan would keep the queue's lock (no new worker starts) and the database's serving lock
    (restore refuses) for ever."""
    log = str(tmp_path / "log")
    jobs_tasks.slow(log, "long", 30)
    worker = _consumer(tmp_path)
    try:
        _wait_for(lambda: any(line.startswith("start long") for line in lines(log)))
        children = _wait_for(lambda: _children(worker.pid))
        os.kill(worker.pid, signal.SIGKILL)  # the consumer only
        worker.wait(20)
        _wait_for(lambda: all(_state(pid) in ("gone", "Z") for pid in children))
    finally:
        _stop(worker, signal.SIGKILL)
    assert jobs.status()["running"] == 1  # (its job in flight waits for the next consumer)
    worker = _consumer(tmp_path)  # the queue's lock is free: a new consumer takes the job
    try:
        _wait_for(lambda: sum(line.startswith("start long") for line in lines(log)) == 2)
    finally:
        _stop(worker)
