"""The ``factcheck`` command: thin wrappers over the Python API."""

from __future__ import annotations

import json
import logging
import os
import secrets
import sys
from pathlib import Path
from typing import Any

import click

from . import config as config_module
from . import create_app, ingest, store
from .cli_backup import backup_command, restore_command
from .cli_extract import checkworthy_command, extract_command, train_model_command
from .cli_jobs import jobs_command, start_serve_worker, stop_serve_worker, worker_command
from .db import connect, migrate

DEMO_DIR = Path(__file__).resolve().parent / "demo"


def _app(ctx: click.Context) -> Any:
    overrides = {}
    if ctx.obj and ctx.obj.get("db"):
        overrides["DATABASE"] = ctx.obj["db"]
    return create_app(overrides)


def open_database(app: Any) -> Any:
    """Connect to the app's database and bring its schema up to date."""
    db = connect(app.config["DATABASE"], app.config["BUSY_TIMEOUT_MS"])
    migrate(db)
    return db


def ensure_admin(db: Any) -> tuple[str, str] | None:
    """Create the first admin with a generated password when there are no users yet."""
    if store.count_users(db):
        return None
    password = secrets.token_urlsafe(12)
    store.create_user(db, "admin", password, role="admin", display_name="Administrator")
    return "admin", password


def load_demo(db: Any, app: Any) -> int | None:
    """Import the bundled demo article into an empty database; return its id."""
    if store.count_articles(db):
        return None
    path = DEMO_DIR / "harbour_bridge.txt"
    meta, body = ingest.split_front_matter(path.read_text(encoding="utf-8"))
    draft = ingest.prepare_article(
        body=body,
        original_type="txt",
        original_name=path.name,
        max_bytes=app.config["MAX_ARTICLE_BYTES"],
        threshold=app.config["CHECKWORTHY_THRESHOLD"],
        **meta,
    )
    return store.create_article(db, draft.article, draft.claims, None)


def _initialise(app: Any, demo: bool) -> tuple[str, str] | None:
    """Migrate, create the first admin, load the demo; return the admin created, if one was."""
    db = open_database(app)
    try:
        created = ensure_admin(db)
        if demo and app.config["LOAD_DEMO"]:
            article_id = load_demo(db, app)
            if article_id:
                click.echo(f"Loaded the demo article (id {article_id}).")
    finally:
        db.close()
    return created


def _print_login(created: tuple[str, str] | None, login_url: str | None = None) -> None:
    """The login address and, on the first run, the first account, set apart (printed last,
    after everything else, so that it is not missed)."""
    if created is None and login_url is None:
        return
    rule = "=" * 72
    click.echo(f"\n{rule}")
    if login_url:
        click.secho(f"  Log in at   {login_url}", bold=True)
    if created:
        click.secho("  Created the first account (the password is shown only once):", bold=True)
        click.echo(f"    username: {created[0]}\n    password: {created[1]}")
        click.echo(f"  Change it with: {_command_name()} user set-password {created[0]}")
    click.echo(f"{rule}\n")


def _command_name() -> str:
    """How to run this command again as typed: ``.venv/bin/factcheck`` from a checkout whose
    virtual environment is not activated, else ``factcheck``."""
    script = Path(sys.argv[0])
    if script.name == "factcheck" and script.parent.name == "bin":
        venv = script.parent.parent
        if venv.name == ".venv" and Path.cwd() == venv.parent.resolve():
            return ".venv/bin/factcheck"
    return "factcheck"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="factcheck")
@click.option(
    "--db",
    type=click.Path(dir_okay=False),
    envvar="FACTCHECK_DATABASE",
    help="SQLite database file (default: claims.db, or FACTCHECK_DATABASE).",
)
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """factcheck: split news articles into check-worthy claims, review them, export verdicts.

    \b
    Examples:
        factcheck serve                  # http://127.0.0.1:5000, creates claims.db
        factcheck import article.txt     # add articles from files
        factcheck extract article.txt    # print claims without storing anything
    """
    ctx.ensure_object(dict)
    ctx.obj["db"] = db


@cli.command()
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


def _hold_database(app: Any, what: str) -> None:
    """Mark the database as served by this process (``factcheck restore`` refuses meanwhile)."""
    from . import backup

    try:
        backup.hold_serving_lock(app.config["DATABASE"], what)
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from None


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
        "factcheck.cli:serving_app",
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


@cli.command()
@click.option("--no-demo", is_flag=True, help="Do not load the demo article.")
@click.pass_context
def init(ctx: click.Context, no_demo: bool) -> None:
    """Create or migrate the database, the first admin, and the demo article.

    \b
    Example:
        factcheck --db newsroom.db init --no-demo
    """
    app = _app(ctx)
    created = _initialise(app, demo=not no_demo)
    click.echo(f"Database ready: {app.config['DATABASE']}")
    _print_login(created)


@cli.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--publisher", help="Publisher for every text file without one.")
@click.option("--date", "published", help="Publication date YYYY-MM-DD for text files without one.")
@click.pass_context
def import_command(
    ctx: click.Context, files: tuple[str, ...], publisher: str | None, published: str | None
) -> None:
    """Import articles from files: .txt, .md, .html, and .json/.jsonl records or exports.

    A text file may start with "Title:", "Publisher:", "Author:", "Date:" and "URL:" lines
    followed by a blank line. A .json or .jsonl file holds article records (title, text or
    html, url, publisher, author, date) or a factcheck JSON/JSONL export, which is restored
    with its claims, verdicts, sources and final verdicts. Articles already stored (same
    text) are skipped; a record that fails is reported and the others go on. Many records
    show a progress bar on standard error.

    \b
    Example:
        factcheck import articles/*.txt --publisher "Daily Planet"
        factcheck --db copy.db import factcheck-export.json
    """
    from .store.imports import IMPORT_SUFFIXES

    app = _app(ctx)
    db = open_database(app)
    summary = store.ImportSummary()
    try:
        for name in files:
            if Path(name).suffix.lower() in IMPORT_SUFFIXES:
                _import_records(app, db, name, summary)
                continue
            try:
                draft = _draft_from_file(app, Path(name), publisher, published)
                article_id = store.create_article(db, draft.article, draft.claims, None)
            except (ingest.IngestError, store.Invalid) as exc:
                summary.failed.append({"label": name, "reason": str(exc)})
                click.echo(f"failed     {name}: {exc}", err=True)
            except store.DuplicateArticle as exc:
                summary.duplicates.append({"label": name, "article_id": exc.article_id})
                click.echo(f"duplicate  {name}: same text as article {exc.article_id}")
            else:
                summary.imported.append({"label": name, "article_id": article_id})
                notes = "".join(f" ({n})" for n in draft.notices)
                click.echo(
                    f"imported   {name}: article {article_id}, {len(draft.claims)} claims{notes}"
                )
    finally:
        db.close()
    click.echo(summary.line())
    if summary.failed and not summary.imported:
        sys.exit(1)


PROGRESS_FROM = 20  # records in a file from which a progress bar replaces per-record lines


def _import_records(app: Any, db: Any, name: str, summary: store.ImportSummary) -> None:
    """Import the records of one .json/.jsonl file into ``summary``."""
    total, items = store.read_import_file(name)
    ratings = [entry["key"] for entry in app.config["RATING_SCALE"]]
    options = {
        "ratings": ratings,
        "max_bytes": app.config["MAX_ARTICLE_BYTES"],
        "threshold": app.config["CHECKWORTHY_THRESHOLD"],
    }
    quiet = total is None or total >= PROGRESS_FROM
    failures: list[dict[str, Any]] = []

    def report(item: Any, outcome: str, detail: dict[str, Any]) -> None:
        if outcome == "failed":
            failures.append(detail)
        if quiet:
            return
        if outcome == "imported":
            click.echo(
                f"imported   {detail['label']}: article {detail['article_id']}, "
                f"{detail['claims']} claims"
            )
        elif outcome == "duplicate":
            click.echo(f"duplicate  {detail['label']}: same text as article {detail['article_id']}")
        else:
            click.echo(f"failed     {detail['label']}: {detail['reason']}", err=True)

    if quiet:
        with click.progressbar(
            items, length=total, label=f"Importing {Path(name).name}", file=sys.stderr
        ) as bar:
            result = store.import_items(db, bar, on_item=report, **options)
        for detail in failures:
            click.echo(f"failed     {detail['label']}: {detail['reason']}", err=True)
    else:
        result = store.import_items(db, items, on_item=report, **options)
    summary.imported += result.imported
    summary.duplicates += result.duplicates
    summary.failed += result.failed


@cli.command("import-url")
@click.argument("url")
@click.pass_context
def import_url_command(ctx: click.Context, url: str) -> None:
    """Fetch a web page and import its article (text, title, author, date).

    Only http(s) addresses on public networks are fetched (setting ALLOW_PRIVATE_URLS), with
    a timeout (FETCH_TIMEOUT_SECONDS) and a size limit (FETCH_MAX_BYTES).

    \b
    Example:
        factcheck import-url https://news.example.org/2025/05/tram-line
    """
    from . import urlfetch

    app = _app(ctx)
    try:
        draft = urlfetch.fetch_article(url, app.config)
    except (urlfetch.FetchError, ingest.IngestError) as exc:
        raise click.ClickException(str(exc)) from None
    db = open_database(app)
    try:
        article_id = store.create_article(db, draft.article, draft.claims, None)
    except store.DuplicateArticle as exc:
        click.echo(f"duplicate  {url}: same text as article {exc.article_id}")
        return
    finally:
        db.close()
    click.echo(
        f"imported   {url}: article {article_id} ({draft.article['title']}), "
        f"{len(draft.claims)} claims"
    )


def _draft_from_file(
    app: Any, path: Path, publisher: str | None, published: str | None
) -> ingest.Draft:
    data = path.read_bytes()
    limit = app.config["MAX_ARTICLE_BYTES"]
    threshold = app.config["CHECKWORTHY_THRESHOLD"]
    defaults = {"publisher": publisher, "published": published}
    if path.suffix.lower() in ingest.TEXT_TYPES:
        text, encoding = ingest.decode_bytes(data)
        meta, body = ingest.split_front_matter(text)
        draft = ingest.prepare_upload(
            path.name,
            body.encode("utf-8"),
            limit,
            threshold=threshold,
            read_header=False,
            **({k: v for k, v in defaults.items() if v} | meta),
        )
        if not encoding.startswith("UTF-8"):
            draft.notices.insert(0, f"read as {encoding}")
        return draft
    return ingest.prepare_upload(path.name, data, limit, threshold=threshold, **defaults)


@cli.command("search")
@click.argument("query")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text (matched words in [brackets]) or json (as GET /claims/search gives it).",
)
@click.option("--as", "username", help="Search as this user: their articles, blind review.")
@click.option(
    "--sort",
    type=click.Choice(["relevance", "newest"]),
    default="relevance",
    show_default=True,
    help="Best match first, or the most recently stored first.",
)
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option("--offset", type=click.IntRange(0), default=0, show_default=True)
@click.pass_context
def search_command(
    ctx: click.Context,
    query: str,
    fmt: str,
    username: str | None,
    sort: str,
    limit: int,
    offset: int,
) -> None:
    """Search the claims' wording and quotes, best match first.

    Every word must match (accents, case and English word endings aside); "exact phrase",
    word* (prefix) and a OR b are understood. Without --as, every article and every verdict
    is searched; with --as, only what that user sees on the search page.

    \b
    Example:
        factcheck search "tram line" --limit 5
        factcheck search 'cost* OR budget' --as alice --format json
    """
    from . import access, search

    app = _app(ctx)
    db = open_database(app)
    try:
        user = access.OPERATOR
        if username is not None:
            try:
                user = store.user_by_name(db, username)
            except store.NotFound:
                raise click.ClickException(f"There is no user {username!r}.") from None
        found = search.search(
            db,
            user,
            query,
            blind=store.get_settings(db)["blind_verdicts"],
            labels={entry["key"]: entry["label"] for entry in app.config["RATING_SCALE"]},
            sort=sort,
            limit=limit,
            offset=offset,
        )
    finally:
        db.close()
    if fmt == "json":
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    if found["message"]:
        click.echo(found["message"], err=True)
    for result in found["results"]:
        click.echo(search.text_line(result))
    if not found["results"] and found["terms"]:
        click.echo("No claims match.", err=True)


EXPORT_FORMATS = ["csv", "json", "jsonl", "markdown", "claimreview", "warc"]


@cli.command("export")
@click.option("--article", "article_id", type=int, help="Only this article (default: all).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    default="csv",
    show_default=True,
    help="csv (spreadsheet), json (everything, re-importable), jsonl, markdown, claimreview, "
    "warc (the archived copies of the cited sources).",
)
@click.option("--check", is_flag=True, help="ClaimReview: only validate; exit 1 on errors.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Articles published from.")
@click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Articles published until.")
@click.option("--publisher", help="Articles of this publisher.")
@click.option("--verdict", help="Claims with this rating key (final, else the majority).")
@click.option("--reviewer", help="Claims with a verdict by this username.")
@click.option(
    "--status",
    type=click.Choice(list(store.exports.STATUSES)),
    help="Claims with no verdict, verdicts but no final one, a final one, or disagreement.",
)
@click.option("--published", "published", flag_value=True, default=None, help="Published only.")
@click.option("--unpublished", "published", flag_value=False, help="Unpublished only.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="File.")
@click.pass_context
def export_command(
    ctx: click.Context,
    article_id: int | None,
    fmt: str,
    check: bool,
    since: Any,
    until: Any,
    publisher: str | None,
    verdict: str | None,
    reviewer: str | None,
    status: str | None,
    published: bool | None,
    output: str | None,
) -> None:
    """Export claims with their verdicts, rationales and sources, streamed.

    Without --article every article is exported; the filters narrow the set. ClaimReview
    holds one document per claim with a final verdict: problems found by the validator are
    printed on standard error and documents with errors are left out. --check validates
    only, and exits 1 when any document has errors. WARC writes the archived copies of the
    sources cited (by the article's verdicts, or by every verdict), one gzip-compressed WARC
    file that any WARC tool opens.

    \b
    Example:
        factcheck export --article 1 --format csv -o report.csv
        factcheck export --article 1 --format warc -o sources.warc.gz
        factcheck export --format claimreview --published --check
        factcheck export --format json --since 2025-01-01 -o desk.json
    """
    from .export.claimreview_check import claimreview_issues
    from .export.stream import export_stream

    app = _app(ctx)
    db = open_database(app)
    scale_keys = [entry["key"] for entry in app.config["RATING_SCALE"]]
    try:
        if verdict and verdict not in scale_keys:
            raise click.BadParameter(
                f"{verdict!r} is not on the rating scale ({', '.join(scale_keys)}).",
                param_hint="--verdict",
            )
        article = None
        if article_id is not None:
            try:
                article = store.get_article(db, article_id)
            except store.NotFound:
                raise click.ClickException(f"There is no article {article_id}.") from None
        flt = store.ExportFilter(
            article_id=article_id,
            since=since.date().isoformat() if since else None,
            until=until.date().isoformat() if until else None,
            publisher=publisher,
            verdict=verdict,
            reviewer=reviewer,
            status=status,
            published=published,
        )
        try:
            store.check_export_filter(db, flt)
        except store.Invalid as exc:
            raise click.ClickException(str(exc)) from None
        if check and fmt != "claimreview":
            raise click.BadParameter("--check goes with --format claimreview.")
        if fmt == "warc":
            _write_warc(db, article_id, output)
            return
        # One read snapshot: the issues printed and the file written are of the same moment.
        with store.snapshot(db) as snap:
            if fmt == "claimreview":
                result = claimreview_issues(snap, flt, app.config)
                _print_issues(result)
                if check:
                    if result["with_errors"]:
                        sys.exit(1)
                    return
            chunks = export_stream(
                snap,
                fmt,
                flt,
                app.config,
                article=article,
                disagreement_mode=store.get_settings(snap)["disagreement_mode"],
                bom=bool(output),
            )
            stream = open(output, "wb") if output else sys.stdout.buffer
            try:
                for chunk in chunks:
                    stream.write(chunk)
            finally:
                chunks.close()
                if output:
                    stream.close()
    finally:
        db.close()


def _write_warc(db: Any, article_id: int | None, output: str | None) -> None:
    """The archived copies cited (by one article's verdicts, or by all) as one WARC file
    (gzip members one after another, as WARC tools read them)."""
    stream = open(output, "wb") if output else sys.stdout.buffer
    count = 0
    try:
        with store.snapshot(db) as snap:
            for warc in store.evidence.warcs(snap, article_id):
                stream.write(warc)
                count += 1
    finally:
        if output:
            stream.close()
    click.echo(f"{count} archived source{'s' if count != 1 else ''} written.", err=True)


def _print_issues(result: dict[str, Any]) -> None:
    """ClaimReview validation results, on standard error."""
    for issue in result["issues"]:
        click.echo(
            f"{issue['level']:<8} claim {issue['claim_id']} ({issue['field']}): {issue['message']}",
            err=True,
        )
    click.echo(
        f"ClaimReview: {result['checked']} checked, {result['valid']} valid, "
        f"{result['with_errors']} with errors (left out), {result['with_warnings']} with warnings.",
        err=True,
    )


@cli.group()
def sources() -> None:
    """The sources library: archived copies of cited sources and link checks.

    \b
    Example:
        factcheck sources check
    """


@sources.command("check")
@click.option("--limit", type=click.IntRange(1), help="Check at most this many sources.")
@click.option("--no-archive", is_flag=True, help="Do not archive sources still waiting first.")
@click.pass_context
def sources_check(ctx: click.Context, limit: int | None, no_archive: bool) -> None:
    """Fetch every cited source again and mark it alive, changed since cited, gone or
    unreachable (least recently checked first); first archive the sources still waiting and
    check excerpts not yet checked. The server runs the same check daily.

    \b
    Example:
        factcheck sources check
        factcheck --db desk.db sources check --limit 100
    """
    from .evidence import work

    app = _app(ctx)
    open_database(app).close()
    summary = work.check_sources(
        app.config["DATABASE"], dict(app.config), limit=limit, archive_pending=not no_archive
    )
    for line in summary.lines:
        click.echo(line)
    counts = ", ".join(f"{n} {status}" for status, n in sorted(summary.by_status.items()))
    click.echo(
        f"Checked {summary.checked} source{'s' if summary.checked != 1 else ''}"
        + (f": {counts}" if counts else "")
        + f"; archived {summary.archived}, failed {summary.failed}, "
        f"excerpts checked {summary.excerpts}.",
        err=True,
    )


@cli.group()
def user() -> None:
    """Manage accounts: add them, list them, set their passwords.

    \b
    Example:
        factcheck user add alice --role reviewer
    """


@user.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(store.ROLES), default="reviewer", show_default=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.pass_context
def user_add(ctx: click.Context, username: str, role: str, password: str) -> None:
    """Add an account.

    \b
    Example:
        factcheck user add alice --role editor
    """
    app = _app(ctx)
    db = open_database(app)
    try:
        created = store.create_user(db, username, password, role=role)
    except store.Invalid as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        db.close()
    click.echo(f"Added {created['username']} ({created['role']}).")


@user.command("list")
@click.pass_context
def user_list(ctx: click.Context) -> None:
    """List accounts.

    \b
    Example:
        factcheck user list
    """
    app = _app(ctx)
    db = open_database(app)
    try:
        for row in store.list_users(db):
            state = "active" if row["active"] else "disabled"
            click.echo(f"{row['id']:>4}  {row['username']:<24} {row['role']:<9} {state}")
    finally:
        db.close()


@user.command("set-role")
@click.argument("username")
@click.argument("role", type=click.Choice(store.ROLES))
@click.pass_context
def user_set_role(ctx: click.Context, username: str, role: str) -> None:
    """Give an account another role.

    \b
    Example:
        factcheck user set-role alice editor
    """
    _change_account(ctx, username, lambda db, user: store.set_role(db, user["id"], role, None))
    click.echo(f"{username} is now {role}.")


@user.command("disable")
@click.argument("username")
@click.pass_context
def user_disable(ctx: click.Context, username: str) -> None:
    """Disable an account; its open sessions and API tokens stop working at once.

    \b
    Example:
        factcheck user disable bob
    """
    _change_account(ctx, username, lambda db, user: store.set_active(db, user["id"], False, None))
    click.echo(f"{username} is disabled.")


@user.command("enable")
@click.argument("username")
@click.pass_context
def user_enable(ctx: click.Context, username: str) -> None:
    """Enable a disabled account again.

    \b
    Example:
        factcheck user enable bob
    """
    _change_account(ctx, username, lambda db, user: store.set_active(db, user["id"], True, None))
    click.echo(f"{username} is enabled.")


def _change_account(ctx: click.Context, username: str, change: Any) -> None:
    app = _app(ctx)
    db = open_database(app)
    try:
        change(db, store.user_by_name(db, username))
    except (store.Invalid, store.NotFound) as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        db.close()


@user.command("set-password")
@click.argument("username")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.pass_context
def user_set_password(ctx: click.Context, username: str, password: str) -> None:
    """Set an account's password; its open sessions end.

    \b
    Example:
        factcheck user set-password admin
    """
    app = _app(ctx)
    db = open_database(app)
    try:
        store.set_password(db, username, password)
    except (store.Invalid, store.NotFound) as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        db.close()
    click.echo(f"Password of {username} changed; their sessions have ended.")


cli.add_command(backup_command, "backup")
cli.add_command(restore_command, "restore")
cli.add_command(extract_command, "extract")
cli.add_command(checkworthy_command, "checkworthy")
cli.add_command(train_model_command, "train-model")
cli.add_command(worker_command, "worker")
cli.add_command(jobs_command, "jobs")
