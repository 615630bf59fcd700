"""``factcheck backup`` and ``factcheck restore`` (see :mod:`factcheck.backup`)."""

from __future__ import annotations

import os

import click

from . import backup as backups
from .cli_common import _app, _command_name, open_database


def _size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:,} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1000  # type: ignore[assignment]
    return str(n)


def _summary(tables: dict[str, int]) -> str:
    names = ("articles", "claims", "verdicts", "users", "audit_log")
    return ", ".join(f"{tables[name]:,} {name}" for name in names if name in tables)


@click.command("backup")
@click.argument("file", required=False, type=click.Path(dir_okay=True))
@click.option("--list", "list_only", is_flag=True, help="List the backups in the backup folder.")
@click.option("-q", "--quiet", is_flag=True, help="No progress, only the backup's path.")
@click.pass_context
def backup_command(ctx: click.Context, file: str | None, list_only: bool, quiet: bool) -> None:
    """Copy the database to FILE (default: a new file in the backup folder), checked.

    The copy is consistent (one snapshot) and taken while the server keeps running and
    saving; it is checked with PRAGMA integrity_check and every table's row count before it
    gets its name. FILE may be a folder. The backup folder is BACKUP_DIR, or "backups"
    beside the database.

    \b
    Examples:
        factcheck backup                       # backups/claims-20261207-182300.db
        factcheck backup /mnt/offsite/claims.db
        factcheck backup --list
    """
    app = _app(ctx)
    folder = backups.backup_dir(app.config)
    if list_only:
        found = backups.list_backups(folder)
        if not found:
            click.echo(f"No backups in {folder}")
            return
        click.echo(f"Backups in {folder} (newest first):")
        for item in found:
            taken = item["taken_at"].strftime("%Y-%m-%d %H:%M:%S UTC")
            counts = f"  {_summary(item['tables'])}" if item["tables"] else ""
            click.echo(f"  {item['name']}  {taken}  {item['kind']}  {_size(item['bytes'])}{counts}")
        return
    shown = [-1]

    def progress(done: int, total: int) -> None:
        percent = 100 * done // max(total, 1)
        if not quiet and percent != shown[0]:
            shown[0] = percent
            click.echo(f"\rCopying: {percent}% of {total:,} pages", nl=False, err=True)

    try:
        manifest = backups.take_backup(
            app.config["DATABASE"],
            file,
            directory=folder,
            busy_timeout_ms=app.config["BUSY_TIMEOUT_MS"],
            progress=progress,
        )
    except backups.BackupError as exc:
        if shown[0] >= 0:
            click.echo(err=True)
        raise click.ClickException(str(exc)) from None
    if quiet:
        click.echo(manifest["path"])
        return
    click.echo("\r" + " " * 40 + "\r", nl=False, err=True)
    click.echo(
        f"Backup written to {manifest['path']}\n"
        f"  {_size(manifest['bytes'])} in {manifest['seconds']:.1f} s; integrity_check ok; "
        f"row counts equal the database's: {_summary(manifest['tables'])}\n"
        f"Restore it with: {_command_name()} restore {manifest['path']}"
    )


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def restore_command(ctx: click.Context, file: str, yes: bool) -> None:
    """Put the backup FILE in place of the database (stop the server first).

    FILE is checked first (integrity, a factcheck database of this version or older); the
    current database is kept as a "-before-restore" backup in the backup folder. Refused
    while `factcheck serve` runs on the database.

    \b
    Example:
        factcheck restore backups/claims-20261207-182300.db
    """
    app = _app(ctx)
    path = app.config["DATABASE"]
    if backups.server_running(path):
        raise click.ClickException(
            f"a server is running on {path}: stop it first (Ctrl-C or SIGTERM), then restore"
        )
    try:
        counts = backups.check_file(file)
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{file}: integrity_check ok; {_summary(counts)}")
    if not yes and os.path.isfile(path):
        click.confirm(
            f"Replace the database {path} with it? (the current one is kept as a backup)",
            abort=True,
        )
    try:
        result = backups.restore(
            path,
            file,
            keep_current_in=backups.backup_dir(app.config),
            busy_timeout_ms=app.config["BUSY_TIMEOUT_MS"],
        )
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    open_database(app).close()  # (an older backup's schema is brought up to date)
    if result["kept"]:
        click.echo(f"The database as it was is kept in {result['kept']}")
    click.echo(f"Restored {path} from {file}: {_summary(result['tables'])}")
