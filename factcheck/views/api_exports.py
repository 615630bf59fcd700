"""The API's exports (routes of the ``api`` blueprint): checking an export's format and
filters, and downloading it, streamed from one snapshot (a reviewer's holds only what they
may see)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask import Response, current_app, g, jsonify, request, stream_with_context, url_for
from sqlite_utils import Database

from .. import access, export, ingest, limits, store
from ..agreement import ordinal_order
from ..config import org_url, permalink_template
from ..db import get_db
from ..export.stream import user_records
from .api import (
    EXPORT_FILTERS,
    EXPORT_FORMATS,
    EXPORT_STATUSES,
    ApiError,
    _blind,
    _bool_value,
    _check_fields,
    _json_body,
    _scale,
    route,
)


def _export_params(source: dict[str, Any]) -> dict[str, Any]:
    """Checked export parameters: ``format`` and the filters that are set."""
    _check_fields(source, ("format", *EXPORT_FILTERS))
    fmt = source.get("format")
    if fmt not in EXPORT_FORMATS:
        raise ApiError(422, f"'format' must be one of {', '.join(EXPORT_FORMATS)}.")
    params: dict[str, Any] = {"format": fmt}
    for key, kind in EXPORT_FILTERS.items():
        value = source.get(key)
        if value is None or value == "":
            continue
        if kind == "id":
            value = limits.parse_id(value)
            if value is None:
                raise ApiError(422, f"'{key}' must be an article id.")
        elif kind == "bool":
            value = _bool_value(key, value)
        elif not isinstance(value, str):
            raise ApiError(422, f"'{key}' must be a string.")
        elif kind == "date":
            if len(value) != 10 or ingest.parse_date(value) != value:
                raise ApiError(422, f"'{key}' must be a date, YYYY-MM-DD.")
        elif kind == "rating":
            keys = [entry["key"] for entry in _scale()]
            if value not in keys:
                raise ApiError(422, f"'{key}' must be one of {', '.join(keys)}.")
        elif kind == "status" and value not in EXPORT_STATUSES:
            raise ApiError(422, f"'{key}' must be one of {', '.join(EXPORT_STATUSES)}.")
        params[key] = value
    db = get_db()
    if "article" in params:
        access.require_article(db, g.user, params["article"])
    if not access.is_editor(g.user) and _blind():
        revealing = [key for key in ("verdict", "status") if key in params]
        if params.get("reviewer", g.user["username"]).lower() != g.user["username"].lower():
            revealing.append("reviewer")
        if revealing:
            raise ApiError(
                403,
                f"Under blind review only editors filter by {', '.join(revealing)}: these "
                "filters depend on other reviewers' verdicts.",
            )
    store.check_export_filter(db, _export_filter(params))
    return params


def _export_filter(params: dict[str, Any], article_id: int | None = None) -> Any:
    return store.ExportFilter(
        article_id=article_id if article_id is not None else params.get("article"),
        since=params.get("since"),
        until=params.get("until"),
        publisher=params.get("publisher"),
        verdict=params.get("verdict"),
        reviewer=params.get("reviewer"),
        status=params.get("status"),
        published=params.get("published"),
        include_dismissed=params.get("include_dismissed", False),
    )


def _query(params: dict[str, Any]) -> dict[str, Any]:
    """Parameters as query-string values."""
    return {
        key: ("true" if value else "false") if isinstance(value, bool) else value
        for key, value in params.items()
    }


@route("/exports", methods=["POST"])
def start_export() -> Any:
    params = _export_params(_json_body())
    location = url_for("api.download_export", **_query(params))
    response = jsonify(
        {
            "format": params["format"],
            "filters": {key: value for key, value in params.items() if key != "format"},
            "media_type": EXPORT_FORMATS[params["format"]][0],
            "href": location,
        }
    )
    response.status_code = 201
    response.headers["Location"] = location
    return response


def _export_records(
    db: Database, user: dict[str, Any], params: dict[str, Any]
) -> Iterator[dict[str, Any]]:
    """Claim records the caller may see, in reading order, verdicts filtered for blind review
    (:func:`factcheck.export.stream.user_records`). ``db`` is a snapshot's connection
    (:func:`factcheck.store.snapshot`): every read of the export is of one moment."""
    mode = store.get_settings(db)["disagreement_mode"]
    records = user_records(db, _export_filter(params), _scale(), user, mode)
    if not params.get("checkworthy_only", False):
        return records
    return (r for r in records if r["claim"] is not None and r["claim"]["checkworthy"])


def _export_chunks(db: Database, user: dict[str, Any], params: dict[str, Any]) -> Iterator[str]:
    """The export of ``params`` as text chunks, read from the snapshot ``db``."""
    fmt = params["format"]
    scale = _scale()
    config = current_app.config
    records = _export_records(db, user, params)
    if fmt == "csv":
        return export.csv_chunks(records)
    if fmt == "json":
        meta = {"generator": "factcheck", "scale": scale, "filters": _query(params)}
        return export.json_chunks(records, meta)
    if fmt == "jsonl":
        return export.batched(export.jsonl_lines(records))
    if fmt == "claimreview":
        return export.claimreview_chunks(
            records,
            org={"name": config["ORG_NAME"], "url": org_url(config)},
            permalink_template=permalink_template(config),
            scale=scale,
        )
    collected = list(records)
    article = store.get_article(db, params["article"]) if "article" in params else None
    summary = export.report_summary(collected, ordinal_order(scale))
    return export.markdown_report(article, collected, summary)


@route("/exports/download", methods=["GET"])
def download_export() -> Any:
    params = _export_params(request.args.to_dict())
    fmt = params["format"]
    user = g.user
    # The export reflects the database at the moment it started (one read snapshot).
    chunks = store.in_snapshot(get_db(), lambda snap: _export_chunks(snap, user, params))
    mimetype, suffix = EXPORT_FORMATS[fmt]
    name = f"factcheck-article-{params['article']}" if "article" in params else "factcheck-export"
    response = Response(stream_with_context(chunks), content_type=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{suffix}"'
    return response
