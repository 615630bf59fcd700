"""The API's articles (routes of the ``api`` blueprint): the list the caller may see, adding one
(text or HTML, its claims extracted), one article with its text, and its claims."""

from __future__ import annotations

from typing import Any

from flask import current_app, g, jsonify, url_for

from .. import access, ingest, limits, sanitize, store
from ..db import get_db
from .api import (
    ARTICLE_FIELDS,
    DEFAULT_LIMIT,
    MAX_LIMIT,
    ApiError,
    _bool_arg,
    _check_fields,
    _claim,
    _int_arg,
    _json_body,
    _optional_text,
    route,
)

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
