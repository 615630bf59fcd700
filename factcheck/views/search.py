"""Searching the claim archive: ``/claims/search?q=``, and a claim's earlier checks of
similar claims, ``/claims/<id>/similar`` (HTML, or JSON when asked for)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, request

from .. import search, store
from ..db import get_db
from ..web import render
from .auth import login_required
from .review_fields import rating_labels
from .review_page import with_links
from .review_panel import visible_claim

bp = Blueprint("search", __name__)

PER_PAGE = 20
MAX_PAGE = 500


@bp.route("/claims/search")
@login_required
def claims() -> Any:
    text = request.args.get("q", "")
    page = min(max(request.args.get("page", 1, type=int), 1), MAX_PAGE)
    sort = request.args.get("sort", "relevance")
    if sort not in search.SORTS:
        sort = "relevance"
    db = get_db()
    context = search.search(
        db,
        g.user,
        text,
        blind=store.get_settings(db)["blind_verdicts"],
        labels=rating_labels(),
        sort=sort,
        limit=PER_PAGE,
        offset=(page - 1) * PER_PAGE,
    )
    context["page"] = page
    with_links(context["results"])
    return render("search/claims.html", context)


@bp.route("/claims/<int:claim_id>/similar")
@login_required
def similar(claim_id: int) -> Any:
    """Earlier checks of claims like this one: a page, or (``?partial=1``) the list alone,
    which the claim's panel loads once it is shown (so the panel itself stays quick)."""
    found = visible_claim(claim_id)
    db = get_db()
    context = {
        "claim": found,
        "similar": with_links(
            search.similar(
                db,
                g.user,
                found,
                blind=store.get_settings(db)["blind_verdicts"],
                labels=rating_labels(),
            )
        ),
    }
    partial = request.args.get("partial") == "1"
    return render("search/_similar.html" if partial else "search/similar.html", context)
