"""What the benchmarks share: a free port, ``factcheck serve`` started in a process of its own and
waited for, stopped again; and the lock that timed runs hold (``/tmp/fc-bench.lock``), so that
two timed benchmarks never run at once."""

from __future__ import annotations

import contextlib
import fcntl
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from typing import IO, Any

BENCH_LOCK = "/tmp/fc-bench.lock"
#: The factcheck command, run by this Python (with the PYTHONPATH of the environment it is given).
FACTCHECK = [sys.executable, "-c", "from factcheck.cli import cli; cli()"]


def free_port() -> int:
    """A TCP port of 127.0.0.1 free at the time of asking."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(
    database: str,
    env: Mapping[str, str],
    options: Sequence[str] = (),
    *,
    log: IO[Any] | int | None = subprocess.DEVNULL,
    up_path: str = "/login",
    seconds: float = 60,
) -> tuple[subprocess.Popen[bytes], str]:
    """``factcheck --db DATABASE serve --port P --no-demo OPTIONS`` in a process of its own
    (environment ``env``, output to ``log``), once ``up_path`` answers 200: the process and the
    base address. :class:`SystemExit` when the server exits or does not answer in ``seconds``
    (the process is stopped then)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [*FACTCHECK, "--db", database, "serve", "--port", str(port), "--no-demo", *options]
    process = subprocess.Popen(command, env=dict(env), stdout=log, stderr=subprocess.STDOUT)
    ends = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(base + up_path, timeout=2) as response:
                if response.status == 200:
                    return process, base
        except OSError:
            pass
        if time.monotonic() > ends:
            stop(process)
            raise SystemExit("the server did not come up")
        time.sleep(0.2)


def stop(process: subprocess.Popen[Any], seconds: float = 20) -> None:
    """Stop a server started by :func:`serve`: SIGTERM, then SIGKILL after ``seconds``."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def bench_lock() -> Iterator[None]:
    """Hold :data:`BENCH_LOCK` (waiting for another timed benchmark to end)."""
    with open(BENCH_LOCK, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield
