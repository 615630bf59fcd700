"""Exports of a filtered set of claims: a bookmarkable filter page and streaming downloads
(the pipeline itself is :mod:`factcheck.export.stream`)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from flask import Blueprint, Response, current_app, g, request, stream_with_context, url_for
from sqlite_utils import Database
from wtforms import DateField, Form, SelectField, StringField
from wtforms.validators import Length, Optional

from .. import access, store
from ..db import get_db
from ..export.claimreview_check import MAX_SHOWN_ISSUES, claimreview_issues
from ..export.stream import FORMATS, count_claims, export_stream
from ..web import error_response, render
from .auth import login_required

bp = Blueprint("exports", __name__)


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


def _requested_filter(db: Database) -> tuple[Any, Any]:
    """The store's filter that the query string asks for, or (None and) the 400 response
    saying which fields are wrong."""
    form = filter_form(db)
    if not form.validate():
        return None, error_response(400, " ".join(_form_errors(form)))
    return filter_from_form(form), None


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
    flt, refused = _requested_filter(db)
    if refused is not None:
        return refused
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
    flt, refused = _requested_filter(db)
    if refused is not None:
        return refused
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
