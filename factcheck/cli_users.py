"""``factcheck user``: add, list, enable and disable accounts, set roles and passwords."""

from __future__ import annotations

from typing import Any

import click

from . import store
from .cli_common import _app, open_database


@click.group("user")
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
