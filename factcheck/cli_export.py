"""``factcheck export``: a filtered set of claims in CSV, JSON, JSONL, Markdown, ClaimReview
(with its check) or the archived sources as WARC, streamed to a file or standard output."""

from __future__ import annotations

import sys
from typing import Any

import click

from . import store
from .cli_common import _app, open_database

EXPORT_FORMATS = ["csv", "json", "jsonl", "markdown", "claimreview", "warc"]


@click.command("export")
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
