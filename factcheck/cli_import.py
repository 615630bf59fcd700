"""``factcheck import`` (files: text, HTML, JSON/JSONL records and exports) and
``factcheck import-url``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from . import ingest, store
from .cli_common import _app, open_database


@click.command("import")
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


@click.command("import-url")
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
