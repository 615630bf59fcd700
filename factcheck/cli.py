"""The ``factcheck`` command: thin wrappers over the Python API."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from typing import Any

import click

from . import create_app, ingest, store
from .cli_extract import checkworthy_command, extract_command, train_model_command
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


def _initialise(app: Any, demo: bool) -> None:
    db = open_database(app)
    try:
        created = ensure_admin(db)
        if created:
            click.secho("Created the first account (the password is shown only once):", bold=True)
            click.echo(f"    username: {created[0]}\n    password: {created[1]}")
            click.echo("Change it with: factcheck user set-password admin")
        if demo and app.config["LOAD_DEMO"]:
            article_id = load_demo(db, app)
            if article_id:
                click.echo(f"Loaded the demo article (id {article_id}).")
    finally:
        db.close()


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
@click.option("--threads", type=int, default=8, show_default=True, help="Worker threads.")
@click.option("--no-demo", is_flag=True, help="Do not load the demo article.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, threads: int, no_demo: bool) -> None:
    """Set up the database and serve the web app with waitress.

    \b
    Example:
        factcheck serve --port 8000
    """
    import waitress

    app = _app(ctx)
    _initialise(app, demo=not no_demo)
    click.echo(f"Serving factcheck on http://{host}:{port}/ (database {app.config['DATABASE']})")
    waitress.serve(app, host=host, port=port, threads=threads, ident="factcheck")


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
    _initialise(app, demo=not no_demo)
    click.echo(f"Database ready: {app.config['DATABASE']}")


@cli.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--publisher", help="Publisher for every file without one.")
@click.option("--date", "published", help="Publication date YYYY-MM-DD for files without one.")
@click.pass_context
def import_command(
    ctx: click.Context, files: tuple[str, ...], publisher: str | None, published: str | None
) -> None:
    """Import article files (.txt, .md, .html) and extract their claims.

    A text file may start with "Title:", "Publisher:", "Author:", "Date:" and "URL:" lines
    followed by a blank line. A file that fails is reported and the others go on.

    \b
    Example:
        factcheck import articles/*.txt --publisher "Daily Planet"
    """
    app = _app(ctx)
    db = open_database(app)
    imported = duplicates = failed = 0
    try:
        for name in files:
            try:
                draft = _draft_from_file(app, Path(name), publisher, published)
                article_id = store.create_article(db, draft.article, draft.claims, None)
            except (ingest.IngestError, store.Invalid) as exc:
                failed += 1
                click.echo(f"failed     {name}: {exc}", err=True)
            except store.DuplicateArticle as exc:
                duplicates += 1
                click.echo(f"duplicate  {name}: same text as article {exc.article_id}")
            else:
                imported += 1
                notes = "".join(f" ({n})" for n in draft.notices)
                click.echo(
                    f"imported   {name}: article {article_id}, {len(draft.claims)} claims{notes}"
                )
    finally:
        db.close()
    click.echo(f"{imported} imported, {duplicates} duplicates skipped, {failed} failed.")
    if failed and not imported:
        sys.exit(1)


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
            **({k: v for k, v in defaults.items() if v} | meta),
        )
        if not encoding.startswith("UTF-8"):
            draft.notices.insert(0, f"read as {encoding}")
        return draft
    return ingest.prepare_upload(path.name, data, limit, threshold=threshold, **defaults)


@cli.command("export")
@click.option("--article", "article_id", type=int, required=True, help="Article id.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json", "jsonl", "markdown"]),
    default="csv",
    show_default=True,
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="File.")
@click.pass_context
def export_command(ctx: click.Context, article_id: int, fmt: str, output: str | None) -> None:
    """Export an article's claims, verdicts and sources.

    \b
    Example:
        factcheck export --article 1 --format csv -o report.csv
    """
    from . import export
    from .agreement import claim_agreement, ordinal_order

    app = _app(ctx)
    db = open_database(app)
    scale = app.config["RATING_SCALE"]
    order = ordinal_order(scale)
    try:
        article = store.get_article(db, article_id)
    except store.NotFound:
        db.close()
        raise click.ClickException(f"There is no article {article_id}.") from None

    def records() -> Any:
        for record in store.claim_records(db, article_id, scale):
            record["agreement"] = claim_agreement([v["rating"] for v in record["verdicts"]], order)
            yield record

    if fmt == "csv":
        chunks = export.csv_chunks(records())
    elif fmt == "json":
        chunks = export.json_chunks(records(), {"generator": "factcheck", "scale": scale})
    elif fmt == "jsonl":
        chunks = export.jsonl_lines(records())
    else:
        collected = list(records())
        chunks = export.markdown_report(article, collected, export.report_summary(collected, order))
    stream = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        for chunk in chunks:
            stream.write(chunk)
    finally:
        if output:
            stream.close()
        db.close()


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


cli.add_command(extract_command, "extract")
cli.add_command(checkworthy_command, "checkworthy")
cli.add_command(train_model_command, "train-model")
