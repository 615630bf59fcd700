"""Public, read-only verdict pages: no login, the published record only.

What these pages (and their ClaimReview JSON-LD) show is read from the claims' published
versions (:mod:`factcheck.store.published`), never from the live claims and verdicts: a change
at the desk shows here only once an editor publishes it as a correction, and every correction
is listed with its date, the old and the new values and its note. Something once public keeps
its address: a withdrawn claim or article says when and why it was withdrawn. A claim's page
(its permalink, the ClaimReview ``url``) and an article's page answer 404 alike for what does
not exist and for what was never published, so nothing unpublished can be probed. Reviewers'
names and dissenting verdicts stay inside the desk.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from flask import Blueprint, current_app, url_for
from markupsafe import Markup

from .. import export, store
from ..config import permalink_template
from ..db import get_db
from ..export.stream import org
from ..store import published as store_published
from ..web import render

bp = Blueprint("public", __name__)

# A sentence ends after . ! ? (and any closing quotes or brackets) followed by white space.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s+")
_CLOSED = re.compile(r"[.!?…][\"'”’)\]]*$")


def _paragraph(body: str, start: int, end: int) -> tuple[int, int]:
    """Bounds of the paragraph (the line of the article's text) holding ``body[start:end]``:
    never the headline or a subhead on the lines around it."""
    left = body.rfind("\n", 0, start) + 1
    right = body.find("\n", end)
    return left, len(body) if right < 0 else right


def in_context(body: str, start: int, end: int, width: int = 240) -> dict[str, str]:
    """The quote ``body[start:end]`` with the rest of its sentence and whole sentences around
    it up to about ``width`` characters on either side, from its own paragraph only; a
    sentence longer than that is cut at a word boundary (never mid-word), marked "…"."""
    left, right = _paragraph(body, start, end)
    starts = [left] + [m.end() for m in _SENTENCE_END.finditer(body, left, start)]
    cut = starts[-1]  # where the quote's own sentence starts
    for sentence_start in reversed(starts[:-1]):
        if start - sentence_start > width:
            break
        cut = sentence_start
    before = body[cut:start]
    if len(before) > width:
        space = before.find(" ", len(before) - width)
        before = "…" + before[space + 1 :] if space >= 0 else before
    ends = [m.start() + len(m.group().rstrip()) for m in _SENTENCE_END.finditer(body, end, right)]
    ends.append(right)
    closed = _CLOSED.search(body, start, end) is not None  # the quote ends its sentence
    stop = end if closed else ends[0]
    for sentence_end in ends[0 if closed else 1 :]:
        if sentence_end - end > width:
            break
        stop = sentence_end
    after = body[end:stop].rstrip()
    if len(after) > width:
        space = after.rfind(" ", 0, width)
        after = (after[:space] if space > 0 else after[:width]).rstrip(",;:") + "…"
    return {"before": before.lstrip(), "quote": body[start:end], "after": after}


def tone(rating: str, scale: Sequence[Mapping[str, Any]]) -> str:
    """The badge colour class of a rating: ``tone-0`` (false, red) to ``tone-4`` (true,
    green) by its value on the ordinal scale, ``tone-none`` (grey) for a rating off it."""
    entry = next((e for e in scale if e["key"] == rating), None)
    bounds = export.rating_bounds(scale)
    value = entry.get("value") if entry else None
    if bounds is None or not isinstance(value, (int, float)) or bounds[0] == bounds[1]:
        return "tone-none"
    if not bounds[0] <= value <= bounds[1]:
        return "tone-none"
    return f"tone-{round((value - bounds[0]) / (bounds[1] - bounds[0]) * 4)}"


def _date(stamp: str | None) -> str:
    return (stamp or "")[:10]


_FIELD_NAMES = {
    "text": "Wording",
    "quote": "Quoted passage",
    "claimant": "Claimant",
    "claimant_kind": "Kind of claimant",
    "rating": "Verdict",
    "reason": "Reason",
    "sources": "Sources",
    "status": "Status",
}


def _value(key: str, value: Any, labels: Mapping[str, str]) -> str:
    if key == "rating":
        return labels.get(value, value) if value else "none"
    if key == "sources":
        return "; ".join(s.get("title") or s.get("url") or "" for s in value or ()) or "none"
    if key == "status":
        return {"published": "published", "withdrawn": "withdrawn"}.get(value, str(value))
    return "none" if value in (None, "") else str(value)


def claimant_shown(name: str | None, kind: str | None, publication: str | None) -> str:
    """Who made a claim, as readers are told: the claimant with their kind, or for a claim
    the article states in its own voice (no claimant) the publication, as in ClaimReview."""
    if name:
        return f"{name} ({kind})" if kind in ("person", "organization") else name
    return f"{publication} (the publication)" if publication else "the publication"


def _changes(
    changes: Mapping[str, Any], labels: Mapping[str, str], publication: str | None
) -> list[dict[str, str]]:
    """A correction's changes as field, old and new value. A changed claimant is one row
    with its kind on either side, and "none" is never shown for it: no claimant is the
    publication's own statement."""
    rows = []
    for key, change in changes.items():
        if key == "claimant_kind" and "claimant" in changes:
            continue  # (shown in the claimant's row)
        if key == "claimant":
            kinds = changes.get("claimant_kind")
            sides = [
                claimant_shown(change[side], kinds[side] if kinds else None, publication)
                for side in ("before", "after")
            ]
            rows.append({"field": _FIELD_NAMES[key], "before": sides[0], "after": sides[1]})
            continue
        rows.append(
            {
                "field": _FIELD_NAMES.get(key, key),
                "before": _value(key, change["before"], labels),
                "after": _value(key, change["after"], labels),
            }
        )
    return rows


def corrections_view(
    corrections: Sequence[Mapping[str, Any]],
    labels: Mapping[str, str],
    publication: str | None = None,
) -> list[dict[str, Any]]:
    """Each correction with its date, note and every change as field, old and new value
    (``publication``: the article's publisher, who made the claims without a claimant)."""
    return [
        {
            "date": _date(k["at"]),
            "note": k["note"],
            "withdrawal": k["changes"].get("status", {}).get("after") == "withdrawn",
            "changes": _changes(k["changes"], labels, publication),
        }
        for k in corrections
    ]


def claim_view(entry: dict[str, Any], body: str) -> dict[str, Any]:
    """What a public page shows of one published claim (its latest version): for a withdrawn
    one, no verdict (``status`` withdrawn): what it said is ``withdrawn["version"]``."""
    scale = current_app.config["RATING_SCALE"]
    labels = {e["key"]: e["label"] for e in scale}
    version = entry["version"]
    withdrawn = entry["withdrawn"]
    publication = (version.get("article") or {}).get("publisher") or None
    content = {
        "quote": version["quote"],
        "claimant": version["claimant"],
        "publication": publication,
        "context": in_context(body, version["start"], version["end"]),
        "verdict": labels.get(version["rating"], version["rating"]),
        "rating": version["rating"],
        "tone": tone(version["rating"], scale),
        "reason": version["reason"],
        "sources": [
            {
                key: s.get(key)
                for key in ("url", "title", "publisher", "excerpt", "stance", "accessed")
            }
            for s in version["sources"]
        ],
    }
    view = {
        "id": version["claim_id"],
        "text": version["text"],
        "status": "withdrawn" if withdrawn else "published",
        "version": version["version"],
        "published_on": _date(entry["first_published_at"]),
        "modified_on": _date(entry["modified_at"]),
        "corrections": corrections_view(entry["corrections"], labels, publication),
        "withdrawn": None,
        "url": url_for("public.verdict", claim_id=version["claim_id"]),
    }
    if not withdrawn:
        return view | content
    # A withdrawn claim has no verdict in force: what it said is kept inside its withdrawal
    # notice, as the withdrawn version (the page, its JSON and the article's page alike).
    return view | {
        "withdrawn": {
            "date": _date(withdrawn["at"]),
            "note": withdrawn["note"],
            "scope": withdrawn["scope"],
            "version": {"text": version["text"]} | content,
        }
    }


def _article_view(article: dict[str, Any]) -> dict[str, Any]:
    withdrawn = article.get("withdrawn")
    return {key: article.get(key) for key in ("id", "title", "url", "publisher", "author")} | {
        "published": article.get("published"),
        "public_url": url_for("public.article", article_id=article["id"]),
        "published_on": _date(article.get("first_published_at")),
        "withdrawn": (
            {"date": _date(withdrawn["at"]), "note": withdrawn["note"]} if withdrawn else None
        ),
    }


def _org() -> dict[str, Any]:
    return org(current_app.config)


def _jsonld(entry: dict[str, Any]) -> Markup | None:
    """The claim's ClaimReview (from its latest published version) as ``<script>`` content,
    or None when it is withdrawn or would be invalid."""
    if entry["withdrawn"]:
        return None
    config = current_app.config
    doc = export.claimreview(
        store_published.version_record(entry, config["RATING_SCALE"]),
        org=_org(),
        permalink_template=permalink_template(config),
        scale=config["RATING_SCALE"],
    )
    if doc is None or any(i["level"] == "error" for i in export.validate_claimreview(doc)):
        return None
    return Markup(export.jsonld_for_html(doc))  # noqa: S704 (escaped for <script> by the helper)


@bp.route("/verdicts/<int:claim_id>")
def verdict(claim_id: int) -> Any:
    entry = store.public_claim(get_db(), claim_id)
    article = entry["article"]
    context = {
        "article": _article_view(article),
        "claim": claim_view(entry, article["body"]),
        "org": _org(),
    }
    return render("public/verdict.html", context, jsonld=_jsonld(entry))


@bp.route("/verdicts/article/<int:article_id>")
def article(article_id: int) -> Any:
    found, entries = store.public_article(get_db(), article_id)
    claims = [claim_view(entry, found["body"]) for entry in entries]
    context = {
        "article": _article_view(found),
        "claims": [c for c in claims if not c["withdrawn"]],
        # (all of them when the article is withdrawn: its page lists them, without verdicts)
        "withdrawn_claims": [
            c
            for c in claims
            if c["withdrawn"] and (found["withdrawn"] or c["withdrawn"]["scope"] == "claim")
        ],
        "org": _org(),
    }
    return render("public/article.html", context)
