"""What the factcheck command's modules share: the app of the command line, opening its
database, the first admin, the demo article, the login banner, the hold a server or a
worker keeps on its database."""

from __future__ import annotations

import secrets
import sys
from pathlib import Path
from typing import Any

import click

from . import create_app, ingest, store
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


def _hold_database(app: Any, what: str) -> None:
    """Mark the database as served by this process (``factcheck restore`` refuses meanwhile)."""
    from . import backup

    try:
        backup.hold_serving_lock(app.config["DATABASE"], what)
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from None
