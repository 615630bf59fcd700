"""Public, read-only verdict pages: no login, only published articles' final verdicts.

A claim's page (its permalink, the ClaimReview ``url``) and an article's page answer 404 alike
for what does not exist and for what is not published, so nothing unpublished can be probed.
Reviewers' names and dissenting verdicts stay inside the desk.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, url_for
from markupsafe import Markup

from .. import export, store
from ..config import permalink_template
from ..db import get_db
from ..web import render
from .exports import org

bp = Blueprint("public", __name__)


def in_context(body: str, claim: dict[str, Any], width: int = 200) -> dict[str, str]:
    """The claim's quote with up to ``width`` characters of the article on either side."""
    start, end = claim["start"], claim["end"]
    return {
        "before": ("…" if start > width else "") + body[max(0, start - width) : start],
        "quote": body[start:end],
        "after": body[end : end + width] + ("…" if end + width < len(body) else ""),
    }


def _sources(record: dict[str, Any]) -> list[dict[str, Any]]:
    """Sources of the verdicts that agree with the final verdict, each URL once."""
    rating = record["final"]["rating"]
    seen: set[str] = set()
    sources = []
    for verdict in record["verdicts"]:
        if verdict["rating"] != rating:
            continue
        for source in verdict["sources"]:
            if source["url"] and source["url"] not in seen:
                seen.add(source["url"])
                sources.append(source)
    return sources


def claim_view(record: dict[str, Any], body: str) -> dict[str, Any]:
    """What a public page shows of one published claim."""
    claim, final = record["claim"], record["final"]
    labels = {e["key"]: e["label"] for e in current_app.config["RATING_SCALE"]}
    return {
        "id": claim["id"],
        "text": claim["text"],
        "quote": claim["quote"],
        "context": in_context(body, claim),
        "verdict": final["label"],
        "rating": final["rating"],
        "reason": final["reason"],
        "decided_at": (final["decided_at"] or "")[:10],
        "sources": _sources(record),
        "corrections": [
            {
                "date": (c["created_at"] or "")[:10],
                "before": labels.get(c["before_rating"], c["before_rating"]),
                "after": labels.get(c["after_rating"], c["after_rating"]),
                "note": c["note"],
            }
            for c in record["corrections"]
        ],
        "url": url_for("public.verdict", claim_id=claim["id"]),
    }


def _article_view(article: dict[str, Any]) -> dict[str, Any]:
    return {
        key: article[key]
        for key in ("id", "title", "url", "publisher", "author", "published", "published_at")
    } | {
        "public_url": url_for("public.article", article_id=article["id"]),
        "published_on": (article["published_at"] or "")[:10],
    }


def _jsonld(record: dict[str, Any]) -> Markup | None:
    """The claim's ClaimReview as ``<script>`` content, or None when it would be invalid."""
    config = current_app.config
    doc = export.claimreview(
        record,
        org=org(config),
        permalink_template=permalink_template(config),
        scale=config["RATING_SCALE"],
    )
    if doc is None or any(i["level"] == "error" for i in export.validate_claimreview(doc)):
        return None
    return Markup(export.jsonld_for_html(doc))  # noqa: S704 (escaped for <script> by the helper)


@bp.route("/verdicts/<int:claim_id>")
def verdict(claim_id: int) -> Any:
    db = get_db()
    record, body = store.public_claim(db, claim_id, current_app.config["RATING_SCALE"])
    context = {
        "article": _article_view(record["article"]),
        "claim": claim_view(record, body),
    }
    return render("public/verdict.html", context, jsonld=_jsonld(record))


@bp.route("/verdicts/article/<int:article_id>")
def article(article_id: int) -> Any:
    db = get_db()
    found, records = store.public_article(db, article_id, current_app.config["RATING_SCALE"])
    context = {
        "article": _article_view(found),
        "claims": [claim_view(record, found["body"]) for record in records],
    }
    return render("public/article.html", context)
