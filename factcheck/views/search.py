"""Searching the claim archive: ``/claims/search?q=`` (HTML, or JSON when asked for)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, request

from .. import search, store
from ..db import get_db
from ..web import render
from .auth import login_required
from .review import rating_scale, with_links

bp = Blueprint("search", __name__)

PER_PAGE = 20
MAX_PAGE = 500


@bp.route("/claims/search")
@login_required
def claims() -> Any:
    text = request.args.get("q", "")
    page = min(max(request.args.get("page", 1, type=int), 1), MAX_PAGE)
    db = get_db()
    context = search.search(
        db,
        g.user,
        text,
        blind=store.get_settings(db)["blind_verdicts"],
        labels={entry["key"]: entry["label"] for entry in rating_scale()},
        limit=PER_PAGE,
        offset=(page - 1) * PER_PAGE,
    )
    context["page"] = page
    with_links(context["results"])
    return render("search/claims.html", context)
