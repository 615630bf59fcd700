"""The ``factcheck`` command: thin wrappers over the Python API."""

from __future__ import annotations

import json

import click

from . import store
from .cli_backup import backup_command, restore_command
from .cli_common import _app, _initialise, _print_login, open_database
from .cli_common import load_demo as load_demo  # (re-exported: docs and older scripts use it)
from .cli_export import export_command
from .cli_extract import checkworthy_command, extract_command, train_model_command
from .cli_import import import_command, import_url_command
from .cli_jobs import jobs_command, worker_command
from .cli_serve import serve
from .cli_users import user


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


cli.add_command(backup_command, "backup")
cli.add_command(restore_command, "restore")
cli.add_command(extract_command, "extract")
cli.add_command(checkworthy_command, "checkworthy")
cli.add_command(train_model_command, "train-model")
cli.add_command(worker_command, "worker")
cli.add_command(jobs_command, "jobs")
cli.add_command(serve, "serve")
cli.add_command(import_command, "import")
cli.add_command(import_url_command, "import-url")
cli.add_command(export_command, "export")
cli.add_command(user, "user")
