"""The JSON API, version 1 (``/api/v1``), described by ``/api/v1/openapi.json``.

Every endpoint but the OpenAPI document needs a personal API token sent as
``Authorization: Bearer <token>`` (created on the account page). Cookies are never read here,
so cross-site request forgery does not apply and the blueprint is exempt from CSRF checks.
What a caller may see and do is decided by :mod:`factcheck.access`, exactly as in the browser.
Errors are JSON ``{"error": message, "status": code}``.

This module is the API's frame: the blueprint, its vocabulary (fields, formats, filters),
authentication, errors, reading a request, and the OpenAPI document. Its routes, by what they
are about: :mod:`.api_articles`, :mod:`.api_claims`, :mod:`.api_verdicts` (with agreement),
:mod:`.api_discussion` (comments, returns, inbox), :mod:`.api_exports`, :mod:`.api_imports`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, current_app, g, jsonify, request, url_for

from .. import access, ingest, limits, store
from ..db import get_db
from ..web import csrf, error_response, validates_own_csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)

PUBLIC_ENDPOINTS = frozenset({"api.openapi"})
DEFAULT_LIMIT = 50
MAX_LIMIT = 500
EXPORT_FORMATS: dict[str, tuple[str, str]] = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "json": ("application/json", "json"),
    "jsonl": ("application/x-ndjson", "jsonl"),
    "claimreview": ("application/ld+json", "claimreview.json"),
    "markdown": ("text/markdown; charset=utf-8", "md"),
}
# Export filters and their kinds (see factcheck.store.exports.ExportFilter).
EXPORT_FILTERS: dict[str, str] = {
    "article": "id",
    "since": "date",
    "until": "date",
    "publisher": "text",
    "verdict": "rating",
    "reviewer": "text",
    "status": "status",
    "published": "bool",
    "include_dismissed": "bool",
    "checkworthy_only": "bool",
}
EXPORT_STATUSES = store.exports.STATUSES
ARTICLE_FIELDS = ("title", "text", "html", "url", "publisher", "author", "published")
VERDICT_FIELDS = ("rating", "rationale", "sources")
# Fields of a GET response that may come back in a PUT (read, change, write back); ignored.
VERDICT_READ_ONLY = ("id", "claim_id", "reviewer", "label", "version", "created_at", "updated_at")
SOURCE_FIELDS = ("url", "title", "publisher", "excerpt", "stance", "accessed")
SOURCE_LIMITS = {
    "url": limits.URL,
    "title": limits.TITLE,
    "publisher": limits.PUBLISHER,
    "excerpt": limits.EXCERPT,
}


class ApiError(Exception):
    """An error answered as JSON with ``status`` and extra ``fields``."""

    def __init__(
        self,
        status: int,
        message: str,
        headers: dict[str, str] | None = None,
        **fields: Any,
    ):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}
        self.fields = fields


def route(rule: str, **options: Any) -> Callable[[Callable], Callable]:
    """``bp.route`` for an API endpoint.

    API requests are authenticated by a bearer token and never by the session cookie, so the
    app-wide CSRF check (``web._check_csrf``) does not apply to them.
    """

    def decorate(view: Callable) -> Callable:
        return bp.route(rule, **options)(validates_own_csrf(view))

    return decorate


# Authentication and errors -------------------------------------------------------------------


@bp.before_request
def authenticate() -> Any:
    """Identify the caller by the bearer token only (the session cookie is ignored)."""
    g.user = None
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    header = request.headers.get("Authorization", "").strip()
    if not header:
        return _unauthorized(
            "Authentication required: send 'Authorization: Bearer <token>'. "
            "Create a token on your account page (/account).",
            None,
        )
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return _unauthorized(
            "The Authorization header must be 'Bearer <token>'.", "invalid_request"
        )
    user = store.user_for_token(get_db(), token)
    if user is None:
        return _unauthorized(
            "The API token is not valid: it is unknown or revoked, or its user is disabled.",
            "invalid_token",
        )
    g.user = user
    return None


def _unauthorized(message: str, code: str | None) -> Response:
    response = error_response(401, message)
    challenge = 'Bearer realm="factcheck"'
    if code:
        challenge += f', error="{code}"'
    response.headers["WWW-Authenticate"] = challenge
    return response


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError) -> Response:
    response = error_response(exc.status, exc.message, **exc.fields)
    response.headers.update(exc.headers)
    return response


@bp.errorhandler(store.Invalid)
def _invalid(exc: store.Invalid) -> Response:
    return error_response(422, str(exc))


@bp.errorhandler(ingest.IngestError)
def _ingest_error(exc: ingest.IngestError) -> Response:
    return error_response(422, str(exc))


@bp.errorhandler(store.DuplicateArticle)
def _duplicate(exc: store.DuplicateArticle) -> Response:
    response = error_response(
        409,
        f"An article with the same text is stored already (article {exc.article_id}).",
        article_id=exc.article_id,
    )
    response.headers["Location"] = url_for("api.get_article", article_id=exc.article_id)
    return response


@bp.errorhandler(store.Conflict)
def _conflict(exc: store.Conflict) -> Response:
    return error_response(409, "The record changed since it was read.")


# Helpers -------------------------------------------------------------------------------------


def _scale() -> list[dict[str, Any]]:
    return current_app.config["RATING_SCALE"]


def _labels() -> dict[str, str]:
    return {entry["key"]: entry["label"] for entry in _scale()}


def _blind() -> bool:
    return bool(store.get_settings(get_db())["blind_verdicts"])


def _json_body() -> dict[str, Any]:
    """The request's JSON object, checked against :mod:`factcheck.limits` (nesting depth on the
    raw text before parsing; no NUL or lone surrogate in any string) before anything reads it."""
    if not request.is_json:
        raise ApiError(415, "Send a JSON body with 'Content-Type: application/json'.")
    try:
        data = limits.load_json(request.get_data(cache=True))
    except limits.LimitError as exc:
        raise ApiError(exc.status, exc.message) from None
    if not isinstance(data, dict):
        raise ApiError(422, "The request body must be a JSON object.")
    return data


def _check_fields(data: dict[str, Any], allowed: tuple[str, ...], ignored: tuple[str, ...] = ()):
    unknown = sorted(set(data) - set(allowed) - set(ignored))
    if unknown:
        raise ApiError(
            422,
            f"Unknown field(s): {', '.join(unknown)}. Allowed: {', '.join(allowed)}.",
        )


def _optional_text(data: dict[str, Any], key: str, max_length: int | None = None) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ApiError(422, f"'{key}' must be a string.")
    if max_length is not None and len(value) > max_length:
        raise ApiError(422, f"'{key}' is at most {max_length:,} characters.")
    return value


def _int_arg(name: str, default: int, low: int, high: int = limits.MAX_OFFSET) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    value = limits.parse_whole(raw, low, high)
    if value is None:
        # (a number past any offset is a bad request; other values cannot be used: 422)
        digits = raw.isascii() and raw.isdigit()
        big = digits and (len(raw) > 19 or int(raw) > limits.MAX_OFFSET)
        status = 400 if big else 422
        raise ApiError(status, f"'{name}' must be a whole number from {low} to {high:,}.")
    return value


def _bool_value(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in {"true", "1", "yes", "false", "0", "no", ""}:
        return value.lower() in {"true", "1", "yes"}
    raise ApiError(422, f"'{name}' must be true or false.")


def _bool_arg(name: str) -> bool:
    return _bool_value(name, request.args.get(name, "false"))


def _visible_claim(claim_id: int) -> dict[str, Any]:
    """The claim, if the caller may see its article; else 404, as if it did not exist."""
    db = get_db()
    claim = store.get_claim(db, claim_id)
    if not access.can_view_article(db, g.user, claim["article_id"]):
        raise store.NotFound(f"claim {claim_id}")  # the same answer as for a missing claim
    return claim


def _etag(version: int) -> str:
    return f'"{version}"'


# Representations shared by the API's parts -------------------------------------------------

CLAIM_KEYS = (
    "id",
    "article_id",
    "start",
    "end",
    "quote",
    "text",
    "kind",
    "values",
    "score",
    "checkworthy",
    "origin",
    "dismissed",
    *store.CLAIMANT_KEYS,
    "version",
    "created_at",
    "updated_at",
)


def _claim(claim: dict[str, Any]) -> dict[str, Any]:
    return {key: claim[key] for key in CLAIM_KEYS}


# The OpenAPI document ------------------------------------------------------------------------


@route("/openapi.json", methods=["GET"])
def openapi() -> Any:
    from ..openapi import build_document

    return jsonify(build_document(current_app))


# The API's parts, by what they are about (their routes are on this blueprint):
from . import (  # noqa: E402,F401
    api_articles,
    api_claims,
    api_discussion,
    api_exports,
    api_imports,
    api_verdicts,
)
