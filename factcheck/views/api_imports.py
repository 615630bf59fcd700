"""The API's imports that run as background jobs (routes of the ``api`` blueprint): an import
from a web address and a bulk import, each answered at once (202) with the address to follow
it at."""

from __future__ import annotations

from typing import Any

from flask import current_app, g, jsonify, request, url_for

from .. import bulk_import, limits, sanitize, store, url_import
from ..db import get_db
from ..store import batches, url_imports
from . import imports
from .api import ApiError, _check_fields, _json_body, route

BULK_TYPES = {
    "application/json": "json",
    "application/x-ndjson": "jsonl",
    "application/jsonl": "jsonl",
    "text/csv": "csv",
}


def _url_import(row: dict[str, Any]) -> dict[str, Any]:
    out = imports.import_json(row)
    out["href"] = url_for("api.get_url_import", import_id=row["id"])
    out["article_href"] = (
        url_for("api.get_article", article_id=row["article_id"]) if row["article_id"] else None
    )
    return out


@route("/imports/url", methods=["POST"])
def start_url_import() -> Any:
    """Start an import from a web address (202); follow it at the ``Location``."""
    data = _json_body()
    _check_fields(data, ("url",))
    url = data.get("url")
    if not isinstance(url, str) or not url.strip():
        raise ApiError(422, "'url' is required: the article's web address.")
    url = url.strip()
    if len(url) > limits.URL:
        raise ApiError(422, f"'url' is at most {limits.URL:,} characters.")
    if sanitize.safe_url(url) is None:
        raise ApiError(422, "'url' must be a web address starting with http:// or https://.")
    try:
        import_id = url_import.start(get_db(), current_app.config, url, g.user["id"])
    except url_imports.TooManyImports as exc:
        raise ApiError(429, str(exc), headers={"Retry-After": "2"}) from None
    row = url_imports.get_url_import(get_db(), import_id)
    response = jsonify(_url_import(row))
    response.status_code = 202
    response.headers["Location"] = url_for("api.get_url_import", import_id=import_id)
    return response


@route("/imports/url/<int:import_id>", methods=["GET"])
def get_url_import(import_id: int) -> Any:
    """An import from a web address: queued, fetching, done (with its article) or failed."""
    return jsonify(_url_import(imports.visible_import(import_id)))


def _batch(batch: dict[str, Any]) -> dict[str, Any]:
    out = imports.batch_json(batch)
    out["href"] = url_for("api.get_import_batch", batch_id=batch["id"])
    return out


@route("/imports/bulk", methods=["POST"])
def bulk_import_articles() -> Any:
    """Store many articles at once (202): a JSON array of article records (or
    ``{"articles": [...]}``), JSON Lines or CSV; their claims are extracted in the background."""
    mimetype = request.mimetype
    kind = BULK_TYPES.get(mimetype)
    if kind is None:
        raise ApiError(
            415,
            "Send the records as application/json (an array), application/x-ndjson "
            "(JSON Lines) or text/csv.",
        )
    if kind == "json":
        if not isinstance(_json_array_or_object(), list | dict):
            raise ApiError(422, "The body must be a JSON array of article records.")
        text = request.get_data(as_text=True)
    else:
        try:
            text = request.get_data().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ApiError(400, "The body is not UTF-8 text.") from None
        problem = limits.text_problem(text)
        if problem:
            raise ApiError(400, f"The body {problem}.")
    source = request.args.get("source") or "API"
    try:
        items = bulk_import.read_records(text, kind, source[:200])
        created = bulk_import.start(get_db(), current_app.config, items, g.user["id"], source)
    except store.Invalid as exc:
        raise ApiError(422, str(exc)) from None
    batch = batches.get_batch(get_db(), created["batch_id"])
    out = _batch(batch)
    out["article_ids"] = created["article_ids"]
    out["duplicate_of"] = [d["article_id"] for d in created["duplicates"]]
    response = jsonify(out)
    response.status_code = 202
    response.headers["Location"] = out["href"]
    return response


def _json_array_or_object() -> Any:
    try:
        return limits.load_json(request.get_data(cache=True))
    except limits.LimitError as exc:
        raise ApiError(exc.status, exc.message) from None


@route("/imports/batches/<int:batch_id>", methods=["GET"])
def get_import_batch(batch_id: int) -> Any:
    """A bulk import's progress: articles with their claims, extracting, failed."""
    return jsonify(_batch(imports.visible_batch(batch_id)))
