"""``factcheck serve``: set up the database and serve the web app with granian (or waitress),
in one process or several sharing the port; :func:`serving_app` builds a granian worker's app."""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

import click

from . import config as config_module
from . import create_app
from .cli_common import _app, _hold_database, _initialise, _print_login
from .cli_jobs import start_serve_worker, stop_serve_worker


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=int,
    default=lambda: int(os.environ.get("PORT", "5000")),
    show_default="5000, or PORT",
    help="Port to listen on.",
)
@click.option(
    "--threads",
    type=click.IntRange(1, 256),
    default=None,
    help="Threads per process  [default: 2 with granian, 8 with waitress].",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Server processes sharing the port (use one per CPU core).",
)
@click.option(
    "--server",
    "server_name",
    type=click.Choice(["auto", "granian", "waitress"]),
    default="auto",
    show_default=True,
    help="WSGI server: granian (auto, when installed) or waitress (pure Python).",
)
@click.option("--no-demo", is_flag=True, help="Do not load the demo article.")
@click.pass_context
def serve(
    ctx: click.Context,
    host: str,
    port: int,
    threads: int | None,
    workers: int,
    server_name: str,
    no_demo: bool,
) -> None:
    """Set up the database and serve the web app with granian (or waitress).

    granian (HTTP in Rust) costs the least CPU per request; waitress (pure Python) is the
    fallback where granian is not installed, or with ``--server waitress``. With
    ``--workers N`` (N > 1) the port is bound once and N processes, each running ``--threads``
    threads, accept connections on it; the parent process restarts a worker that dies and
    stops them all on SIGTERM or SIGINT (Ctrl-C).

    \b
    Examples:
        factcheck serve --port 8000
        factcheck serve --workers 2      # two processes: use two CPU cores
        factcheck serve --server waitress
    """
    server_name = _server_name(server_name)
    threads = threads or (GRANIAN_THREADS if server_name == "granian" else WAITRESS_THREADS)
    _limit_write_waiters(threads)
    app = _app(ctx)
    created = _initialise(app, demo=not no_demo)
    # Links made outside a request (permalinks, ORG_URL while unset) use this address;
    # a request uses its own (see factcheck.config.public_base_url).
    app.config.setdefault("PUBLIC_BASE_URL", config_module.serve_base_url(host, port))
    where = f"http://{host}:{port}/ (database {app.config['DATABASE']})"
    _hold_database(app, f"factcheck serve, pid {os.getpid()}, {where}")
    login_url = config_module.serve_base_url(host, port) + "login"
    worker = start_serve_worker(app)  # (the one job consumer, whatever the web workers)
    if worker is not None:
        click.echo(f"Background jobs: a worker process (pid {worker.pid}) beside the server.")
    try:
        _serve(
            app, server_name, host, port, workers, threads, where,
            lambda: _print_login(created, login_url),
        )  # fmt: skip
    finally:
        stop_serve_worker(worker)


def _serve(
    app: Any,
    server_name: str,
    host: str,
    port: int,
    workers: int,
    threads: int,
    where: str,
    announce: Any,
) -> None:
    """Serve until stopped; ``announce()`` prints the login address (last, before serving)."""
    if server_name == "granian":
        plural = f" with {workers} worker processes" if workers > 1 else ""
        click.echo(f"Serving factcheck on {where}{plural} (granian, {threads} threads each)")
        click.echo("Stop it with Ctrl-C.")
        announce()
        _serve_granian(app, host, port, workers, threads)
        click.echo("factcheck stopped")
        return
    import waitress

    # waitress warns "Task queue depth" whenever requests wait for a thread: normal under load,
    # and logging it for every request costs CPU.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    if workers == 1:
        click.echo(f"Serving factcheck on {where} (waitress)")
        announce()
        tune_gc()
        waitress.serve(app, host=host, port=port, threads=threads, ident="factcheck")
        return
    if not hasattr(os, "fork"):
        raise click.UsageError("waitress --workers needs fork (Linux, macOS); use --workers 1.")
    sock = _listen(host, port)
    click.echo(f"Serving factcheck on {where} with {workers} worker processes (waitress)")
    announce()
    code = _supervise(app, sock, workers, threads)
    if code:
        sys.exit(code)


GRANIAN_THREADS = 2  # per process: more only add GIL hand-offs (bench/load.py)
WAITRESS_THREADS = 8
GC_GEN0_THRESHOLD = 7000  # (Python's default is 700)


def tune_gc() -> None:
    """Garbage collection for a long-running server process, once the app is built.

    ``gc.freeze()`` moves everything loaded so far (libraries, app, templates) out of the
    collector's reach, and a 10x higher first-generation threshold makes collections ten
    times rarer: with Python's defaults a worker spent ~20% of its CPU collecting, and each
    full collection (100+ ms over the whole heap) stopped every request of the process.
    """
    import gc

    gc.collect()
    gc.freeze()
    _, second, third = gc.get_threshold()
    gc.set_threshold(GC_GEN0_THRESHOLD, second, third)


def _limit_write_waiters(threads: int) -> None:
    """Writers queued behind a long write leave one request thread of each process free
    for page views (see :data:`factcheck.db.MAX_WRITE_WAITERS`)."""
    from . import db

    db.MAX_WRITE_WAITERS = max(threads - 1, 1)
    os.environ["FACTCHECK_SERVE_THREADS"] = str(threads)  # (for granian's worker processes)


def serving_app() -> Any:
    """The app of a granian worker process (configured through ``FACTCHECK_*``), GC tuned."""
    app = create_app()
    if os.environ.get("FACTCHECK_SERVE_THREADS", "").isdigit():
        _limit_write_waiters(int(os.environ["FACTCHECK_SERVE_THREADS"]))
    _hold_database(app, "")  # (the parent wrote its pid and address into the lock file)
    if os.environ.get("FACTCHECK_PUBLIC_BASE_URL"):  # (set by serve: see _serve_granian)
        app.config["PUBLIC_BASE_URL"] = os.environ["FACTCHECK_PUBLIC_BASE_URL"]
    tune_gc()
    return app


def _server_name(choice: str) -> str:
    """The WSGI server to use: ``auto`` is granian when it can be imported, else waitress."""
    if choice != "auto":
        return choice
    try:
        import granian  # noqa: F401
    except ImportError:
        return "waitress"
    return "granian"


def _serve_granian(app: Any, host: str, port: int, workers: int, threads: int) -> None:
    """Serve with granian: ``workers`` processes of ``threads`` threads, until SIGTERM/SIGINT.

    granian's parent process binds the port, starts the workers (each builds the app with
    :func:`serving_app`, configured like this one), restarts one that dies and, on
    SIGTERM or Ctrl-C, lets them finish the requests in flight.
    """
    from granian.constants import Interfaces
    from granian.log import LogLevels
    from granian.server import Server

    # The workers build their own app: give them this one's database and instance folder.
    os.environ["FACTCHECK_DATABASE"] = os.path.abspath(app.config["DATABASE"])
    os.environ["FACTCHECK_INSTANCE_PATH"] = app.instance_path
    os.environ["FACTCHECK_PUBLIC_BASE_URL"] = app.config["PUBLIC_BASE_URL"]
    server = Server(
        "factcheck.cli_serve:serving_app",
        factory=True,
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=workers,
        blocking_threads=threads,
        respawn_failed_workers=True,
        respawn_interval=1.0,
        workers_kill_timeout=10,  # (requests in flight at SIGTERM get 10 s to finish)
        log_level=LogLevels.warning,
    )
    server.serve()


def _listen(host: str, port: int) -> Any:
    """The listening socket the workers share (bound once, here)."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise click.ClickException(f"cannot listen on {host}:{port}: {exc.strerror}") from exc
    sock.listen(1024)
    sock.setblocking(False)
    return sock


def _run_worker(app: Any, sock: Any, threads: int) -> None:
    """A worker process: waitress on the shared socket until SIGTERM or SIGINT."""
    import signal

    import waitress

    def stop(signum: int, frame: Any) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    tune_gc()
    server = waitress.create_server(app, sockets=[sock], threads=threads, ident="factcheck")
    try:
        server.run()
    finally:
        server.close()


def _supervise(app: Any, sock: Any, workers: int, threads: int) -> int:
    """Fork the workers, restart any that dies, stop them all on SIGTERM/SIGINT."""
    import signal
    import time

    from .db import close_thread_connection

    close_thread_connection()  # (no SQLite connection may cross fork)
    stopping: list[int] = []

    def on_signal(signum: int, frame: Any) -> None:
        stopping.append(signum)

    def spawn() -> int:
        pid = os.fork()
        if pid == 0:  # the worker
            code = 0
            try:
                _run_worker(app, sock, threads)
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 0
            except BaseException:
                import traceback

                traceback.print_exc()
                code = 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        return pid

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    children: dict[int, float] = {}  # pid -> start time
    try:
        for _ in range(workers):
            children[spawn()] = time.monotonic()
        while not stopping:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                pid, status = 0, 0
            if pid == 0:
                time.sleep(0.2)
                continue
            started = children.pop(pid, None)
            if started is None or stopping:
                continue
            reason = (
                f"signal {os.WTERMSIG(status)}"
                if os.WIFSIGNALED(status)
                else f"exit code {os.waitstatus_to_exitcode(status)}"
            )
            click.echo(f"worker {pid} stopped ({reason}); starting another", err=True)
            if time.monotonic() - started < 1:
                time.sleep(1)  # (a worker that dies at once: do not spin)
            if not stopping:
                children[spawn()] = time.monotonic()
    finally:
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 10
        while children and time.monotonic() < deadline:
            try:
                pid, _ = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid:
                children.pop(pid, None)
            else:
                time.sleep(0.05)
        for pid in children:
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        sock.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    click.echo("factcheck stopped")
    return 0
