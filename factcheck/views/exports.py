"""Exports of a filtered set of claims: a bookmarkable filter page and streaming downloads."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
from collections.abc import Iterator, Mapping
from typing import Any

from flask import Blueprint, Response, current_app, g, request, stream_with_context, url_for
from sqlite_utils import Database
from wtforms import DateField, Form, SelectField, StringField
from wtforms.validators import Length, Optional

from .. import access, export, store
from ..agreement import claim_agreement, ordinal_order
from ..config import org_url, with_addresses
from ..db import get_db
from ..store import exports as store_exports
from ..store.published import published_view
from ..web import error_response, render
from .auth import login_required

bp = Blueprint("exports", __name__)

#: format -> (label, MIME type, file suffix)
FORMATS: dict[str, tuple[str, str, str]] = {
    "csv": ("CSV (spreadsheet)", "text/csv", "csv"),
    "json": ("JSON (everything, re-importable)", "application/json", "json"),
    "jsonl": ("JSON Lines (one claim a line)", "application/x-ndjson", "jsonl"),
    "claimreview": ("ClaimReview JSON-LD", "application/ld+json", "claimreview.json"),
    "markdown": ("Markdown report", "text/markdown", "md"),
}
MAX_SHOWN_ISSUES = 200


def org(config: Mapping[str, Any]) -> dict[str, Any]:
    """The fact-checking organisation named in ClaimReview (its address: ``ORG_URL``, else the
    address the app is served at)."""
    return {"name": config["ORG_NAME"], "url": org_url(config)}


def export_stream(
    db: Database,
    fmt: str,
    flt: store.ExportFilter,
    config: Mapping[str, Any],
    *,
    article: dict[str, Any] | None = None,
    disagreement_mode: str = "any",
    bom: bool = True,
    user: dict[str, Any] | None = None,
) -> Iterator[bytes]:
    """UTF-8 chunks of the filtered set in ``fmt`` (see :data:`FORMATS`), streamed.

    The export reflects the database at the moment it started: nothing is read before the
    first chunk is asked for, and from then on everything it reads (counts and summaries
    before the rows too) comes from one :func:`factcheck.store.snapshot` of ``db``'s file,
    on a read connection of its own, ended when the stream ends or is closed (a client that
    went away). Given a snapshot's connection, it reads that snapshot.

    With a ``user`` who is not an editor, only what that user may see is exported (see
    :func:`scoped_records`); without one (the command line) everything matching.

    ClaimReview leaves out documents with validation errors (see :func:`claimreview_issues`);
    Markdown reads the set twice (summary first), so memory stays flat for it too. JSON and
    JSONL carry the article texts and dismissed claims, so that they can be imported again.
    The fast paths write bytes; the others' text is encoded here.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    config = with_addresses(config)  # (now: the stream may outlive the request)
    return _encoded(
        store.in_snapshot(
            db,
            lambda snap: _export_chunks(
                snap, fmt, flt, config, article, disagreement_mode, bom, user
            ),
        )
    )


def _encoded(chunks: Iterator[str | bytes]) -> Iterator[bytes]:
    """The chunks as UTF-8 bytes; closing this closes ``chunks`` (and so their snapshot)."""
    with contextlib.closing(chunks):
        for chunk in chunks:
            yield chunk if chunk.__class__ is bytes else chunk.encode()


def _export_chunks(
    db: Database,
    fmt: str,
    flt: store.ExportFilter,
    config: Mapping[str, Any],
    article: dict[str, Any] | None,
    disagreement_mode: str,
    bom: bool,
    user: dict[str, Any] | None,
) -> Iterator[str | bytes]:
    scale = config["RATING_SCALE"]
    # "Published" exports read the published record only (store.published), the record way.
    published_only = flt.published is True

    def records(**options: Any) -> Iterator[dict[str, Any]]:
        if user is not None and not access.is_editor(user):
            found = scoped_records(db, flt, scale, user, disagreement_mode, **options)
        else:
            found = store.export_records(
                db, flt, scale, disagreement_mode=disagreement_mode, **options
            )
        if published_only:
            return published_view(found, scale, unpublished=False)
        return found

    if fmt in ("json", "jsonl"):
        # The archive formats hold everything, dismissed claims too (marked), for re-import.
        flt = dataclasses.replace(flt, include_dismissed=True)

    # Everything (the command line, editors): the columnar fast paths, same text.
    fast = (user is None or access.is_editor(user)) and not published_only
    if fmt == "csv":
        if fast:
            return export.csv_fast_chunks(
                store_exports.export_batches(db, flt, full=False),
                scale,
                disagreement_mode=disagreement_mode,
                bom=bom,
            )
        return export.csv_chunks(records(html=False), bom=bom)
    if fmt == "json":
        meta = {
            "generator": "factcheck",
            "exported_at": store.now(),
            "filter": flt.as_dict(),
            "scale": scale,
        }
        if fast:
            return export.json_fast_chunks(
                store_exports.export_batches(db, flt, body=True),
                scale,
                meta,
                disagreement_mode=disagreement_mode,
            )
        return export.json_chunks(records(body=True), meta)
    if fmt == "jsonl":
        if fast:
            return export.jsonl_fast_chunks(
                store_exports.export_batches(db, flt, body=True),
                scale,
                disagreement_mode=disagreement_mode,
            )
        return export.batched(export.jsonl_lines(records(body=True)))
    if fmt == "claimreview":
        # Published claims as published (withdrawn ones left out), the others as decided.
        return export.claimreview_chunks(
            published_view(records(html=False, agreement=False), scale, unpublished=True),
            org=org(config),
            permalink_template=config["PERMALINK_TEMPLATE"],
            scale=scale,
        )
    if fmt == "markdown":
        return _markdown(db, flt, records, article, ordinal_order(scale), user)
    raise ValueError(f"unknown export format {fmt!r}")


#: Above this many claims the Markdown summary leaves out the agreement figures, whose
#: computation holds every verdict in memory (the rest of the report streams).
MARKDOWN_AGREEMENT_LIMIT = 100_000


def _markdown(
    db: Database,
    flt: store.ExportFilter,
    records: Any,
    article: dict[str, Any] | None,
    order: list[str],
    user: dict[str, Any] | None,
) -> Iterator[str]:
    if count_claims(db, flt, user)["claims"] <= MARKDOWN_AGREEMENT_LIMIT:
        summary = export.report_summary(records(html=False), order)
    else:
        summary = summary_counts(records(html=False))
    yield from export.markdown_report(article, records(html=False), summary)


def summary_counts(records: Iterator[dict[str, Any]]) -> dict[str, Any]:
    """The counts of :func:`factcheck.export.report_summary`, without agreement figures, in
    memory that does not grow with the number of records."""
    return export.report_summary(records)


def visible_article_ids(db: Database, user: dict[str, Any]) -> list[int]:
    """Articles a reviewer may see (assigned, or added by them), in id order."""
    rows = store.list_articles(db, limit=1_000_000_000, visible_to=user["id"])
    return sorted(row["id"] for row in rows)


def scoped_records(
    db: Database,
    flt: store.ExportFilter,
    scale: list[dict[str, Any]],
    user: dict[str, Any],
    disagreement_mode: str = "any",
    **options: Any,
) -> Iterator[dict[str, Any]]:
    """A reviewer's export: their articles only, article by article, and under blind review
    other reviewers' verdicts and the final verdict only on claims they have a verdict on
    (:func:`factcheck.access.filter_record`), agreement recomputed over what is left."""
    blind = store.get_settings(db)["blind_verdicts"]
    order = ordinal_order(scale)
    labels = {entry["key"]: entry["label"] for entry in scale}
    ids = [flt.article_id] if flt.article_id is not None else visible_article_ids(db, user)
    for article_id in ids:
        if not access.can_view_article(db, user, article_id):
            continue
        visible = access.visible_claim_ids(db, user, article_id, blind)
        one = dataclasses.replace(flt, article_id=article_id)
        for record in store.export_records(
            db, one, scale, disagreement_mode=disagreement_mode, **options
        ):
            filtered = access.filter_record(record, user, visible)
            if filtered is not record and "agreement" in record:
                figures = claim_agreement(
                    export.current_ratings(filtered["verdicts"]), order, disagreement_mode
                )
                figures["majority_label"] = labels.get(figures["majority"], figures["majority"])
                filtered = filtered | {"agreement": figures}
            yield filtered


def count_claims(
    db: Database, flt: store.ExportFilter, user: dict[str, Any] | None = None
) -> dict[str, int]:
    """:func:`factcheck.store.count_export_claims`, over the user's articles for a reviewer."""
    if user is None or access.is_editor(user):
        return store.count_export_claims(db, flt)
    total = {"claims": 0, "articles": 0}
    ids = [flt.article_id] if flt.article_id is not None else visible_article_ids(db, user)
    for article_id in ids:
        counts = store.count_export_claims(db, dataclasses.replace(flt, article_id=article_id))
        total["claims"] += counts["claims"]
        total["articles"] += counts["articles"]
    return total


def check_filter_for(db: Database, flt: store.ExportFilter, user: dict[str, Any]) -> None:
    """Raise :class:`factcheck.store.Invalid` for a filter the user may not use or that
    cannot run: under blind review a reviewer filters by verdict, status or another
    reviewer only as an editor could (these filters depend on others' verdicts)."""
    store.check_export_filter(db, flt)
    if access.is_editor(user) or not store.get_settings(db)["blind_verdicts"]:
        return
    revealing = [name for name in ("verdict", "status") if getattr(flt, name)]
    if flt.reviewer and flt.reviewer.lower() != user["username"].lower():
        revealing.append("reviewer")
    if revealing:
        raise store.Invalid(
            f"Under blind review only editors filter by {', '.join(revealing)}: these filters "
            "depend on other reviewers' verdicts."
        )


#: The check's warning for a final verdict the desk has not published (ClaimReview is for
#: published fact-checks; the "everything" export previews the desk's decisions too).
NOT_PUBLISHED = {
    "level": "warning",
    "field": "url",
    "message": "This verdict is not published: readers get 'not found' at its permalink ({}) "
    "until an editor publishes it (Publish… on the article).",
}


def claimreview_issues(
    db: Database,
    flt: store.ExportFilter,
    config: Mapping[str, Any],
    *,
    warn_unpublished: bool = True,
) -> dict[str, Any]:
    """Validate the ClaimReview of every claim with a final verdict in the set (read from one
    snapshot, or from ``db``'s when it is a snapshot's connection).

    Returns ``{"checked", "valid", "with_errors", "with_warnings", "issues"}``; ``issues`` lists
    at most :data:`MAX_SHOWN_ISSUES` entries ``{claim_id, article_id, article_title, claim,
    level, field, message}``, errors first. ``warn_unpublished``: a final verdict not
    published gets the :data:`NOT_PUBLISHED` warning.
    """
    scale = config["RATING_SCALE"]
    config = with_addresses(config)
    if flt.status is None:
        flt = dataclasses.replace(flt, status="decided")
    with store.snapshot(db) as snap:
        return _claimreview_issues(snap, flt, config, scale, warn_unpublished)


def _claimreview_issues(
    db: Database,
    flt: store.ExportFilter,
    config: Mapping[str, Any],
    scale: Any,
    warn_unpublished: bool,
) -> dict[str, Any]:
    checked = valid = with_errors = with_warnings = 0
    errors: list[dict[str, Any]] = []
    warnings: list[dict[str, Any]] = []
    found = store.export_records(db, flt, scale, html=False, agreement=False)
    for record in published_view(found, scale, unpublished=flt.published is not True):
        doc = export.claimreview(
            record,
            org=org(config),
            permalink_template=config["PERMALINK_TEMPLATE"],
            scale=scale,
        )
        if doc is None:
            continue
        checked += 1
        found = export.validate_claimreview(doc)
        if warn_unpublished and record.get("published") is None:
            found.append(NOT_PUBLISHED | {"message": NOT_PUBLISHED["message"].format(doc["url"])})
        levels = {issue["level"] for issue in found}
        valid += "error" not in levels
        with_errors += "error" in levels
        with_warnings += "warning" in levels
        for issue in found:
            target = errors if issue["level"] == "error" else warnings
            if len(errors) + len(warnings) < MAX_SHOWN_ISSUES:
                target.append(
                    {
                        "claim_id": record["claim"]["id"],
                        "article_id": record["article"]["id"],
                        "article_title": record["article"]["title"],
                        "claim": record["claim"]["text"],
                        **issue,
                    }
                )
    return {
        "checked": checked,
        "valid": valid,
        "with_errors": with_errors,
        "with_warnings": with_warnings,
        "issues": errors + warnings,
    }


# The filter form -------------------------------------------------------------------------------

STATUS_CHOICES = [
    ("", "Any status"),
    ("unreviewed", "No verdict yet"),
    ("in-review", "Verdicts, no final verdict"),
    ("decided", "Final verdict"),
    ("disputed", "Reviewers disagree"),
]


class ExportFilterForm(Form):
    """The export filters, read from the query string (GET, so the page can be bookmarked)."""

    since = DateField("Article published from", validators=[Optional()])
    until = DateField("Article published until", validators=[Optional()])
    publisher = StringField("Publisher", validators=[Optional(), Length(max=300)])
    verdict = SelectField("Verdict (final, else majority)", validators=[Optional()])
    reviewer = SelectField("Reviewer", validators=[Optional()])
    status = SelectField("Status", choices=STATUS_CHOICES, validators=[Optional()])
    published = SelectField(
        "Fact-checks published by the desk",
        choices=[("", "Published or not"), ("yes", "Published"), ("no", "Not published")],
        validators=[Optional()],
    )


FILTER_KEYS = ("since", "until", "publisher", "verdict", "reviewer", "status", "published")


def filter_form(db: Database) -> ExportFilterForm:
    """The filter form bound to the query string, with the scale and reviewers as choices."""
    form = ExportFilterForm(request.args)
    form.verdict.choices = [("", "Any verdict")] + [
        (e["key"], e["label"]) for e in current_app.config["RATING_SCALE"]
    ]
    form.reviewer.choices = [("", "Any reviewer")] + [
        (u["username"], u["username"]) for u in store.list_users(db)
    ]
    return form


def filter_from_form(form: ExportFilterForm) -> store.ExportFilter:
    """The store's filter for a validated form."""

    def iso(value: datetime.date | None) -> str | None:
        return value.isoformat() if value else None

    return store.ExportFilter(
        since=iso(form.since.data),
        until=iso(form.until.data),
        publisher=(form.publisher.data or "").strip() or None,
        verdict=form.verdict.data or None,
        reviewer=form.reviewer.data or None,
        status=form.status.data or None,
        published={"yes": True, "no": False}.get(form.published.data or ""),
    )


def _query() -> dict[str, str]:
    """The current non-empty filter parameters, for links that keep them."""
    return {key: value for key, value in request.args.items() if value and key in FILTER_KEYS}


def _editor_only() -> Any:
    """The ClaimReview check of the whole desk is for editors."""
    if not access.is_editor(g.user):
        return error_response(403, "Checking the desk's ClaimReview markup is for editors.")
    return None


def _form_errors(form: ExportFilterForm) -> list[str]:
    return [
        f"{form[name].label.text}: {message}"
        for name, messages in form.errors.items()
        for message in messages
    ]


@bp.route("/exports")
@login_required
def index() -> Any:
    db = get_db()
    form = filter_form(db)
    errors: list[str] = []
    counts = None
    flt = None
    if form.validate():
        flt = filter_from_form(form)
        try:
            check_filter_for(db, flt, g.user)
            counts = count_claims(db, flt, g.user)
        except store.Invalid as exc:
            errors.append(str(exc))
    else:
        errors = _form_errors(form)
    query = _query()
    context = {
        "filter": flt.as_dict() if flt else {},
        "counts": counts,
        "errors": errors,
        "downloads": [
            {"format": fmt, "label": label, "url": url_for("exports.download", fmt=fmt, **query)}
            for fmt, (label, _mime, _suffix) in FORMATS.items()
        ]
        if not errors
        else [],
        "check_url": url_for("exports.check", **query) if access.is_editor(g.user) else None,
        "scope": "everything" if access.is_editor(g.user) else "your articles",
    }
    return render("exports/index.html", context, status=400 if errors else 200, form=form)


@bp.route("/exports/download.<fmt>")
@login_required
def download(fmt: str) -> Any:
    if fmt not in FORMATS:
        return error_response(404, f"There is no export format {fmt!r}.")
    db = get_db()
    form = filter_form(db)
    if not form.validate():
        return error_response(400, " ".join(_form_errors(form)))
    flt = filter_from_form(form)
    try:
        check_filter_for(db, flt, g.user)
    except store.Invalid as exc:
        return error_response(400, str(exc))
    _label, mimetype, suffix = FORMATS[fmt]
    mode = store.get_settings(db)["disagreement_mode"]
    chunks = export_stream(db, fmt, flt, current_app.config, disagreement_mode=mode, user=g.user)
    stamp = datetime.date.today().strftime("%Y%m%d")
    return download_response(chunks, mimetype, f"factcheck-export-{stamp}.{suffix}")


def download_response(
    chunks: Iterator[str] | Iterator[bytes], mimetype: str, filename: str
) -> Response:
    """A streamed attachment of text chunks, or of their UTF-8 bytes (``chunks`` are closed
    when the response is, also when the client goes away before the end)."""
    response = Response(stream_with_context(chunks), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.route("/exports/claimreview-check")
@login_required
def check() -> Any:
    denied = _editor_only()
    if denied is not None:
        return denied
    db = get_db()
    form = filter_form(db)
    if not form.validate():
        return error_response(400, " ".join(_form_errors(form)))
    flt = filter_from_form(form)
    try:
        result = claimreview_issues(db, flt, current_app.config)
    except store.Invalid as exc:
        return error_response(400, str(exc))
    context = {
        **result,
        "truncated": len(result["issues"]) >= MAX_SHOWN_ISSUES,
        "back_url": url_for("exports.index", **_query()),
        "download_url": url_for("exports.download", fmt="claimreview", **_query()),
    }
    return render("exports/check.html", context)
