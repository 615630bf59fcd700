"""The JSON API, version 1 (``/api/v1``), described by ``/api/v1/openapi.json``.

Every endpoint but the OpenAPI document needs a personal API token sent as
``Authorization: Bearer <token>`` (created on the account page). Cookies are never read here,
so cross-site request forgery does not apply and the blueprint is exempt from CSRF checks.
What a caller may see and do is decided by :mod:`factcheck.access`, exactly as in the browser.
Errors are JSON ``{"error": message, "status": code}``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    g,
    jsonify,
    request,
    stream_with_context,
    url_for,
)
from sqlite_utils import Database

from .. import access, export, ingest, limits, sanitize, search, store
from ..agreement import agreement_summary, claim_agreement, ordinal_order, pairwise_agreement
from ..config import org_url, permalink_template
from ..db import get_db
from ..evidence import tasks as evidence_tasks
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


# Representations ---------------------------------------------------------------------------

_LIST_ARTICLE_KEYS = (
    "id",
    "title",
    "url",
    "publisher",
    "author",
    "published",
    "status",
    "published_at",
    "created_at",
    "chars",
    "claims",
    "checkworthy",
    "reviewed",
    "settled",
)
_ARTICLE_KEYS = (
    "id",
    "title",
    "url",
    "publisher",
    "author",
    "published",
    "status",
    "published_at",
    "body_sha256",
    "original_type",
    "original_name",
    "version",
    "created_at",
    "updated_at",
)
_CLAIM_KEYS = (
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


def _article_summary(row: dict[str, Any]) -> dict[str, Any]:
    out = {key: row.get(key) for key in _LIST_ARTICLE_KEYS}
    out["reviewers"] = [name for name in (row.get("reviewers") or "").split(", ") if name]
    out["href"] = url_for("api.get_article", article_id=row["id"])
    return out


def _article(article: dict[str, Any], *, body: bool) -> dict[str, Any]:
    out = {key: article.get(key) for key in _ARTICLE_KEYS}
    if body:
        out["body"] = article["body"]
    out["claims_href"] = url_for("api.article_claims", article_id=article["id"])
    return out


def _claim(claim: dict[str, Any]) -> dict[str, Any]:
    return {key: claim[key] for key in _CLAIM_KEYS}


def _verdict(verdict: dict[str, Any], reviewer: str | None = None) -> dict[str, Any]:
    labels = _labels()
    return {
        "id": verdict["id"],
        "claim_id": verdict["claim_id"],
        "reviewer": verdict.get("reviewer") or reviewer,
        "rating": verdict["rating"],
        "label": labels.get(verdict["rating"], verdict["rating"]),
        "rationale": verdict["rationale"],
        "sources": [
            {key: source.get(key) for key in SOURCE_FIELDS} | {"archive": source.get("archive")}
            for source in verdict["sources"]
        ],
        "version": verdict["version"],
        "created_at": verdict["created_at"],
        "updated_at": verdict["updated_at"],
    }


def _own_verdict(verdict: dict[str, Any]) -> dict[str, Any]:
    return _verdict(verdict, g.user["username"])


# Articles ------------------------------------------------------------------------------------


@route("/articles", methods=["GET"])
def list_articles() -> Any:
    limit = _int_arg("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    offset = _int_arg("offset", 0, 0)
    visible_to = None if access.is_editor(g.user) else g.user["id"]
    db = get_db()
    rows = store.list_articles(db, limit=limit + 1, offset=offset, visible_to=visible_to)
    access.own_counts(db, g.user, rows)  # (blind review: the caller's own verdicts only)
    return jsonify(
        {
            "articles": [_article_summary(row) for row in rows[:limit]],
            "limit": limit,
            "offset": offset,
            "next_offset": offset + limit if len(rows) > limit else None,
        }
    )


@route("/articles", methods=["POST"])
def create_article() -> Any:
    data = _json_body()
    _check_fields(data, ARTICLE_FIELDS)
    fields = {key: _optional_text(data, key) for key in ARTICLE_FIELDS}
    text, html = fields["text"], fields["html"]
    if (text is None) == (html is None):
        raise ApiError(422, "Give the article as 'text' or as 'html' (one of the two).")
    for key, limit in (
        ("title", limits.TITLE),
        ("url", limits.URL),
        ("publisher", limits.PUBLISHER),
        ("author", limits.AUTHOR),
    ):
        if fields[key] is not None and len(fields[key]) > limit:
            raise ApiError(422, f"'{key}' is at most {limit:,} characters.")
    if fields["url"] and sanitize.safe_url(fields["url"]) is None:
        raise ApiError(422, "'url' must be a web address starting with http:// or https://.")
    if fields["published"] and ingest.parse_date(fields["published"]) is None:
        raise ApiError(422, "'published' must be a date, YYYY-MM-DD.")
    config = current_app.config
    max_bytes = config["MAX_ARTICLE_BYTES"]
    meta = {key: fields[key] for key in ("title", "url", "publisher", "author", "published")}
    if html is not None:
        if len(html.encode("utf-8", "surrogatepass")) > max_bytes * 4:
            raise ApiError(422, f"The page is larger than the limit of {max_bytes * 4:,} bytes.")
        body, found = ingest.html_to_text(html)
        given = {key: value for key, value in meta.items() if value}
        draft = ingest.prepare_article(
            body=body,
            original=html,
            original_type="html",
            max_bytes=max_bytes,
            threshold=config["CHECKWORTHY_THRESHOLD"],
            **(found | given),
        )
    else:
        draft = ingest.prepare_article(
            body=text or "",
            max_bytes=max_bytes,
            threshold=config["CHECKWORTHY_THRESHOLD"],
            **{key: value or "" for key, value in meta.items()},
        )
    db = get_db()
    article_id = store.create_article(db, draft.article, draft.claims, g.user["id"])
    out = _article(store.get_article(db, article_id), body=False)
    out["claims"] = len(draft.claims)
    out["notices"] = draft.notices
    response = jsonify(out)
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_article", article_id=article_id)
    return response


@route("/articles/<int:article_id>", methods=["GET"])
def get_article(article_id: int) -> Any:
    db = get_db()
    access.require_article(db, g.user, article_id)
    return jsonify(_article(store.get_article(db, article_id), body=True))


@route("/articles/<int:article_id>/claims", methods=["GET"])
def article_claims(article_id: int) -> Any:
    db = get_db()
    access.require_article(db, g.user, article_id)
    include_dismissed = _bool_arg("include_dismissed")
    claims = [
        _claim(claim)
        for claim in store.list_claims(db, article_id)
        if include_dismissed or not claim["dismissed"]
    ]
    return jsonify({"article_id": article_id, "claims": claims})


# Claims and verdicts -------------------------------------------------------------------------


SEARCH_LIMIT = 100
SIMILAR_MAX = 20


def _search_result(result: dict[str, Any]) -> dict[str, Any]:
    return result | {
        "href": url_for("api.get_claim", claim_id=result["claim_id"]),
        "review_url": url_for(
            "review.article", article_id=result["article_id"], claim=result["claim_id"]
        ),
    }


@route("/claims/search", methods=["GET"])
def search_claims() -> Any:
    text = request.args.get("q")
    if text is None or not text.strip():
        raise ApiError(422, "'q' is required: the words to search for.")
    limit = _int_arg("limit", 20, 1, SEARCH_LIMIT)
    offset = _int_arg("offset", 0, 0)
    sort = request.args.get("sort", "relevance")
    if sort not in search.SORTS:
        raise ApiError(422, f"'sort' must be one of: {', '.join(search.SORTS)}.")
    found = search.search(
        get_db(),
        g.user,
        text,
        blind=_blind(),
        labels=_labels(),
        sort=sort,
        limit=limit,
        offset=offset,
    )
    found["results"] = [_search_result(r) for r in found["results"]]
    found["next_offset"] = offset + limit if found.pop("has_next") else None
    return jsonify(found)


@route("/claims/<int:claim_id>/similar", methods=["GET"])
def similar_claims(claim_id: int) -> Any:
    claim = _visible_claim(claim_id)
    limit = _int_arg("limit", search.SIMILAR_LIMIT, 1, SIMILAR_MAX)
    found = search.similar(get_db(), g.user, claim, blind=_blind(), labels=_labels(), limit=limit)
    return jsonify({"claim_id": claim_id, "results": [_search_result(r) for r in found]})


@route("/claims/<int:claim_id>", methods=["GET"])
def get_claim(claim_id: int) -> Any:
    claim = _visible_claim(claim_id)
    response = jsonify(_claim(claim))
    response.headers["ETag"] = _etag(claim["version"])
    return response


CLAIMANT_FIELDS = ("claimant", "claimant_kind", "reason")
# Fields of a claim as GET returns it that may come back in a PUT of its claimant; ignored.
CLAIM_READ_ONLY = tuple(key for key in _CLAIM_KEYS if key not in CLAIMANT_FIELDS)
_PROPOSAL_KEYS = (
    "id",
    "claim_id",
    "kind",
    "claimant",
    "claimant_kind",
    "base_claimant",
    "base_claimant_kind",
    "base_version",
    "reason",
    "status",
    "created_at",
)


def _claim_precondition(claim: dict[str, Any], message: str, status: int = 412) -> ApiError:
    return ApiError(
        status, message, headers={"ETag": _etag(claim["version"])}, current=_claim(claim)
    )


@route("/claims/<int:claim_id>/claimant", methods=["PUT"])
def put_claimant(claim_id: int) -> Any:
    """Say who made the claim, as the review panel's claimant form does: ``claimant`` (a name)
    with ``claimant_kind`` (person or organization), or ``claimant: null`` for the
    publication. Needs ``If-Match`` with the claim's ETag. Set directly by whoever shapes the
    claim directly (editors, admins; reviewers while the desk lets them), proposed to the
    editors otherwise (202, with ``reason``); a published article's claims change only through
    a correction (409)."""
    claim = _visible_claim(claim_id)
    data = _json_body()
    _check_fields(data, CLAIMANT_FIELDS, CLAIM_READ_ONLY)
    if "claimant" not in data:
        raise ApiError(422, "'claimant' is required: a name, or null for the publication.")
    name = _optional_text(data, "claimant", store.CLAIMANT_MAX)
    kind = _optional_text(data, "claimant_kind")
    reason = _optional_text(data, "reason", store.proposals.MAX_REASON)
    db = get_db()
    if request.headers.get("If-Match") is None:
        raise _claim_precondition(
            claim,
            "Send 'If-Match' with the ETag of the claim version you changed (GET the claim "
            "first), so that nobody's change is overwritten silently.",
            428,
        )
    etags = request.if_match
    if not (etags.star_tag or etags.contains(str(claim["version"]))):
        raise _claim_precondition(
            claim,
            f"The claim changed since the version you sent (it is at version "
            f"{claim['version']} now): see 'current' and send your change again with its ETag.",
        )
    mode = access.claim_shaping(db, g.user, store.get_article_head(db, claim["article_id"]))
    if mode == access.CORRECTION:
        raise ApiError(
            409,
            "This article is published: its claims change only through an editor's correction "
            "with a note, in the browser.",
        )
    try:
        if mode == access.PROPOSE:
            proposal = store.propose(
                db,
                claim_id,
                g.user["id"],
                "claimant",
                None,
                reason,
                claim["version"],
                claimant=name,
                claimant_kind=kind,
            )
            response = jsonify({key: proposal.get(key) for key in _PROPOSAL_KEYS})
            response.status_code = 202
            return response
        updated = store.set_claimant(db, claim_id, name, kind, claim["version"], g.user["id"])
    except store.Conflict as exc:
        raise _claim_precondition(
            exc.current or store.get_claim(db, claim_id),
            "The claim was changed from elsewhere at the same moment: see 'current' and send "
            "your change again with its ETag.",
        ) from None
    response = jsonify(_claim(updated))
    response.headers["ETag"] = _etag(updated["version"])
    return response


@route("/claims/<int:claim_id>/verdict", methods=["GET"])
def get_verdict(claim_id: int) -> Any:
    _visible_claim(claim_id)
    verdict = store.get_verdict(get_db(), claim_id, g.user["id"])
    if verdict is None:
        raise ApiError(
            404, f"You have no verdict on claim {claim_id} yet; PUT one to this address."
        )
    response = jsonify(_own_verdict(verdict))
    response.headers["ETag"] = _etag(verdict["version"])
    return response


def _verdict_input(data: dict[str, Any]) -> tuple[str, str, list[dict[str, Any]]]:
    _check_fields(data, VERDICT_FIELDS, VERDICT_READ_ONLY)
    rating = data.get("rating")
    keys = [entry["key"] for entry in _scale()]
    if not isinstance(rating, str) or not rating:
        raise ApiError(422, f"'rating' is required: one of {', '.join(keys)}.")
    if rating not in keys:
        raise ApiError(422, f"Choose a verdict from the rating scale: one of {', '.join(keys)}.")
    rationale = _optional_text(data, "rationale", limits.RATIONALE) or ""
    sources = data.get("sources") or []
    if not isinstance(sources, list):
        raise ApiError(422, "'sources' must be a list of objects.")
    if len(sources) > limits.MAX_SOURCES:
        raise ApiError(
            422,
            f"A verdict has at most {limits.MAX_SOURCES} sources ({len(sources):,} given); "
            "nothing was saved.",
        )
    cleaned = []
    for position, source in enumerate(sources, start=1):
        if not isinstance(source, dict):
            raise ApiError(422, f"Source {position} must be an object.")
        unknown = sorted(set(source) - set(SOURCE_FIELDS) - {"archive"})  # (read-only)
        if unknown:
            raise ApiError(
                422,
                f"Source {position}: unknown field(s) {', '.join(unknown)}. "
                f"Allowed: {', '.join(SOURCE_FIELDS)}.",
            )
        for key in SOURCE_FIELDS:
            value = source.get(key)
            if value is not None and not isinstance(value, str):
                raise ApiError(422, f"Source {position}: '{key}' must be a string.")
            most = SOURCE_LIMITS.get(key)
            if most is not None and value is not None and len(value) > most:
                raise ApiError(422, f"Source {position}: '{key}' is at most {most:,} characters.")
        if not (source.get("url") or "").strip():
            raise ApiError(422, f"Source {position}: 'url' is required.")
        if source.get("stance") and source["stance"] not in store.STANCES:
            raise ApiError(
                422, f"Source {position}: stance must be one of {', '.join(store.STANCES)}."
            )
        accessed = source.get("accessed")
        if accessed:
            try:
                datetime.date.fromisoformat(accessed)
            except ValueError:
                raise ApiError(
                    422, f"Source {position}: 'accessed' must be a date, YYYY-MM-DD."
                ) from None
        cleaned.append({key: source.get(key) for key in SOURCE_FIELDS})
    return rating, rationale, cleaned


def _precondition_failed(claim_id: int, current: dict[str, Any] | None, message: str) -> ApiError:
    headers = {"ETag": _etag(current["version"])} if current else {}
    return ApiError(
        412,
        message,
        headers=headers,
        current=_own_verdict(current) if current else None,
    )


@route("/claims/<int:claim_id>/verdict", methods=["PUT"])
def put_verdict(claim_id: int) -> Any:
    _visible_claim(claim_id)
    rating, rationale, sources = _verdict_input(_json_body())
    db = get_db()
    user_id = g.user["id"]
    current = store.get_verdict(db, claim_id, user_id)
    has_precondition = request.headers.get("If-Match") is not None
    version: int | None
    if current is None:
        if has_precondition:
            raise _precondition_failed(
                claim_id,
                None,
                "You have no verdict on this claim yet: create it without If-Match.",
            )
        version = None
    else:
        if not has_precondition:
            raise ApiError(
                428,
                "You have a verdict on this claim already: send 'If-Match' with the ETag of "
                "the version you changed (GET it first).",
                headers={"ETag": _etag(current["version"])},
                current=_own_verdict(current),
            )
        etags = request.if_match
        if not (etags.star_tag or etags.contains(str(current["version"]))):
            raise _precondition_failed(
                claim_id,
                current,
                f"Your verdict changed since the version you sent (it is at version "
                f"{current['version']} now): merge your change into 'current' and send "
                "it again with its ETag.",
            )
        version = current["version"]
    try:
        saved = store.record_verdict(
            db,
            claim_id,
            user_id,
            rating,
            rationale,
            sources,
            version,
            [entry["key"] for entry in _scale()],
        )
    except store.Conflict as exc:
        latest = exc.current or store.get_verdict(db, claim_id, user_id)
        raise _precondition_failed(
            claim_id,
            latest,
            "Your verdict was saved from elsewhere at the same moment: merge your change into "
            "'current' and send it again with its ETag.",
        ) from None
    evidence_tasks.after_save(current_app.config, db, saved["id"])
    created = current is None
    response = jsonify(_own_verdict(saved))
    response.status_code = 201 if created else 200
    response.headers["ETag"] = _etag(saved["version"])
    if created:
        response.headers["Location"] = url_for("api.get_verdict", claim_id=claim_id)
    return response


@route("/claims/<int:claim_id>/verdicts", methods=["GET"])
def claim_verdicts(claim_id: int) -> Any:
    _visible_claim(claim_id)
    db = get_db()
    if not access.sees_others(db, g.user, claim_id, _blind()):
        raise ApiError(
            403,
            "Blind review: you see the other reviewers' verdicts on this claim once you have "
            f"saved your own (PUT /api/v1/claims/{claim_id}/verdict).",
        )
    verdicts = [_verdict(verdict) for verdict in store.list_verdicts(db, claim_id)]
    return jsonify({"claim_id": claim_id, "verdicts": verdicts})


@route("/claims/<int:claim_id>/final", methods=["GET"])
def claim_final(claim_id: int) -> Any:
    _visible_claim(claim_id)
    db = get_db()
    if not access.sees_others(db, g.user, claim_id, _blind()):
        raise ApiError(
            403,
            "Blind review: you see this claim's final verdict once you have saved your own "
            f"(PUT /api/v1/claims/{claim_id}/verdict).",
        )
    final = store.get_final_verdict(db, claim_id)
    labels = _labels()
    out = None
    if final is not None:
        out = {
            "rating": final["rating"],
            "label": labels.get(final["rating"], final["rating"]),
            "reason": final["reason"],
            "decided_by": final.get("decided_by_name"),
            "version": final["version"],
            "created_at": final["created_at"],
            "updated_at": final["updated_at"],
        }
    corrections = [
        {
            "before_rating": c["before_rating"],
            "after_rating": c["after_rating"],
            "note": c["note"],
            "by": c["username"],
            "at": c["at"],
        }
        for c in (store.list_corrections(db, claim_id) if final is not None else [])
    ]
    return jsonify({"claim_id": claim_id, "final": out, "corrections": corrections})


# Agreement -----------------------------------------------------------------------------------


def _named_pairs(
    ratings: list[tuple[int, int, str]], order: list[str], names: dict[int, str]
) -> list[dict[str, Any]]:
    pairs = []
    for pair in pairwise_agreement(ratings, order):
        a, b = pair["coders"]
        pairs.append(
            {
                "reviewers": sorted([names.get(a, str(a)), names.get(b, str(b))]),
                "n_units": pair["n_units"],
                "percent": pair["percent"],
                "alpha_ordinal": pair["alpha_ordinal"],
                "alpha_nominal": pair["alpha_nominal"],
            }
        )
    return sorted(pairs, key=lambda pair: pair["reviewers"])


@route("/articles/<int:article_id>/agreement", methods=["GET"])
def article_agreement(article_id: int) -> Any:
    db = get_db()
    access.require_article(db, g.user, article_id)
    order = ordinal_order(_scale())
    mode = store.get_settings(db)["disagreement_mode"]
    visible = access.visible_claim_ids(db, g.user, article_id, _blind())
    all_ratings = store.verdict_ratings(db, article_id)
    ratings = [r for r in all_ratings if r[0] in visible]
    by_claim: dict[int, list[str]] = {}
    for claim_id, _user, rating in ratings:
        by_claim.setdefault(claim_id, []).append(rating)
    claims = [
        {"claim_id": claim_id, **claim_agreement(values, order, mode)}
        for claim_id, values in sorted(by_claim.items())
    ]
    return jsonify(
        {
            "article_id": article_id,
            "summary": agreement_summary(ratings, order),
            "pairs": _named_pairs(ratings, order, store.usernames(db)),
            "claims": claims,
            "hidden_claims": len({r[0] for r in all_ratings} - visible),
        }
    )


@route("/agreement", methods=["GET"])
def desk_agreement() -> Any:
    if not access.is_editor(g.user):
        raise ApiError(403, "Desk-wide agreement is for editors and admins.")
    db = get_db()
    order = ordinal_order(_scale())
    ratings = store.verdict_ratings(db)
    return jsonify(
        {
            "summary": agreement_summary(ratings, order),
            "pairs": _named_pairs(ratings, order, store.usernames(db)),
        }
    )


# Exports -------------------------------------------------------------------------------------


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
    """Claim records the caller may see, in reading order, verdicts filtered for blind review.

    Editors get every matching record in one stream; a reviewer's export runs article by
    article over the articles they may see, each record passed through
    :func:`factcheck.access.filter_record`. ``db`` is a snapshot's connection
    (:func:`factcheck.store.snapshot`): every read of the export is of one moment.
    """
    scale = _scale()
    order = ordinal_order(scale)
    settings = store.get_settings(db)
    mode = settings["disagreement_mode"]
    labels = {entry["key"]: entry["label"] for entry in scale}
    only_checkworthy = params.get("checkworthy_only", False)

    def wanted(record: dict[str, Any]) -> bool:
        claim = record["claim"]
        return not only_checkworthy or (claim is not None and claim["checkworthy"])

    def stream(flt: Any) -> Iterator[dict[str, Any]]:
        return store.export_records(db, flt, scale, disagreement_mode=mode)

    if access.is_editor(user):
        yield from (record for record in stream(_export_filter(params)) if wanted(record))
        return
    if "article" in params:
        article_ids = [params["article"]]
    else:
        rows = store.list_articles(db, limit=1_000_000_000, visible_to=user["id"])
        article_ids = sorted(row["id"] for row in rows)
    blind = bool(settings["blind_verdicts"])
    editors = access.editor_names(db)
    for article_id in article_ids:
        visible = access.visible_claim_ids(db, user, article_id, blind)
        for record in stream(_export_filter(params, article_id)):
            if not wanted(record):
                continue
            filtered = access.filter_record(record, user, visible, editors)
            if filtered is not record:
                # Agreement over the verdicts left (filter_record hid the rest and the final).
                figures = claim_agreement(export.current_ratings(filtered["verdicts"]), order, mode)
                figures["majority_label"] = labels.get(figures["majority"], figures["majority"])
                filtered = filtered | {"agreement": figures}
            yield filtered


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


# The OpenAPI document ------------------------------------------------------------------------


@route("/openapi.json", methods=["GET"])
def openapi() -> Any:
    from ..openapi import build_document

    return jsonify(build_document(current_app))


# (their routes are on this blueprint)
from . import api_discussion, api_imports  # noqa: E402,F401
