"""Click commands for the job queue: ``worker`` and ``jobs``; and the consumer that
``factcheck serve`` starts beside the web server (:func:`start_serve_worker`)."""

from __future__ import annotations

import datetime
import logging
import os
import signal
import subprocess
import sys
import threading
from typing import Any

import click

from .cli_common import _app, _hold_database, open_database

__all__ = ["worker_command", "jobs_command", "start_serve_worker", "stop_serve_worker"]


@click.command()
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    help="Worker processes  [default: JOBS_WORKERS, else one per CPU core, at least 2].",
)
@click.option("--from-serve", is_flag=True, hidden=True, help="Started by `factcheck serve`.")
@click.pass_context
def worker_command(ctx: click.Context, workers: int | None, from_serve: bool) -> None:
    """Run the background jobs (imports from URL, claim extraction of bulk imports...).

    `factcheck serve` runs one itself (setting JOBS_IN_SERVE); run this instead, as its own
    process, when the web server runs elsewhere or with JOBS_IN_SERVE off. One worker runs
    per job queue: a second one refuses to start. Jobs left unfinished by a worker that
    stopped are run again when the next one starts. Stop it with Ctrl-C (jobs in flight
    finish first) or SIGTERM (they are interrupted and run again next time).

    \b
    Example:
        factcheck --db newsroom.db worker --workers 4
    """
    from . import jobs

    app = _app(ctx)
    open_database(app).close()  # (the schema is up to date before any job runs)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("huey").setLevel(logging.WARNING)
    try:
        consumer = jobs.create_consumer(app.config, workers)
    except jobs.AlreadyRunning as exc:
        if from_serve:
            click.echo(f"factcheck serve: not starting a worker: {exc}", err=True)
            return
        raise click.ClickException(str(exc)) from None
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from None
    # Background work yields the CPU to the web server's requests (JOBS_NICE); the worker
    # processes the consumer starts inherit it.
    jobs.lower_priority(app.config)
    # (restore refuses while the worker runs: a job may be writing to the database)
    _hold_database(app, "" if from_serve else f"factcheck worker, pid {os.getpid()}")
    count = len(consumer.worker_threads)
    if not from_serve:  # (serve says it before its login address, which comes last)
        click.echo(
            f"factcheck worker: {count} processes on the job queue {jobs.queue.storage.filename}",
            err=True,
        )
    if from_serve:
        _stop_with_parent()
    consumer.run()


def _stop_with_parent() -> None:
    """A worker started by ``serve`` stops when ``serve`` is gone (even killed)."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            threading.Event().wait(1.0)
            if os.getppid() != parent:
                os.kill(os.getpid(), signal.SIGTERM)
                return

    threading.Thread(target=watch, daemon=True, name="watch-serve").start()


@click.command("jobs")
@click.pass_context
def jobs_command(ctx: click.Context) -> None:
    """Show the job queue: jobs queued, scheduled (retries), running, and the last failures.

    \b
    Example:
        factcheck jobs
    """
    from . import jobs

    app = _app(ctx)
    if app.config.get("JOBS_IMMEDIATE"):
        click.echo("JOBS_IMMEDIATE is on: jobs run at once, no queue.")
        return
    state = jobs.status()
    click.echo(f"job queue {jobs.queue.storage.filename}")
    click.echo(
        f"queued {state['queued']}, scheduled {state['scheduled']}, running "
        f"{state['running']}, failed {state['failed']}"
    )
    for failure in state["recent_failures"]:
        when = datetime.datetime.fromtimestamp(failure["failed_at"]).isoformat(" ", "seconds")
        click.echo(f"failed {when} {failure['task']} {failure['args']}: {failure['error']}")


def start_serve_worker(app: Any) -> subprocess.Popen[bytes] | None:
    """Start ``factcheck worker`` as a child of ``serve`` (one, whatever the number of web
    worker processes), unless ``JOBS_IN_SERVE`` is off or jobs run immediately."""
    config = app.config
    if not config.get("JOBS_IN_SERVE") or config.get("JOBS_IMMEDIATE"):
        return None
    env = dict(os.environ)
    env["FACTCHECK_INSTANCE_PATH"] = app.instance_path
    database = os.path.abspath(config["DATABASE"])
    command = [sys.executable, "-m", "factcheck", "--db", database, "worker", "--from-serve"]
    # Its own session: Ctrl-C in the terminal reaches serve, which then stops the worker with
    # SIGTERM (at once: jobs in flight run again next time), not a graceful stop that would
    # wait for a slow fetch.
    return subprocess.Popen(command, env=env, start_new_session=True)  # noqa: S603


def stop_serve_worker(process: subprocess.Popen[bytes] | None, timeout: float = 10) -> None:
    """Stop the worker ``serve`` started: SIGTERM (jobs in flight run again next time)."""
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
