"""schema.org ClaimReview JSON-LD for claims with a final verdict, and a validator.

Follows Google's ClaimReview structured-data guidelines
(https://developers.google.com/search/docs/appearance/structured-data/factcheck):
required ``claimReviewed``, ``reviewRating`` (with ``alternateName``) and
``url``; recommended ``author``, ``datePublished`` and ``itemReviewed``
(a Claim with ``author``, ``datePublished`` and ``appearance``).

The Claim's ``author`` is whoever made the claim (its claimant, or the publication for its
own statements), never the article's journalist, who is the ``author`` of the ``appearance``:
the article, a CreativeWork.

A published claim's sources (those its published version holds, never the live ones) are its
``citation``: one CreativeWork each (``url`` for a web address only, ``name``, ``publisher``).
Archive details (when we archived a source, its SHA-256) are not part of a published version
and our archived copies are not public pages, so no ``archivedAt`` is given.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "CLAIM_REVIEWED_MAX",
    "citations",
    "claimreview",
    "claimreview_chunks",
    "jsonld_for_html",
    "rating_bounds",
    "validate_claimreview",
]

#: Google shows at most this many characters of ``claimReviewed``.
CLAIM_REVIEWED_MAX = 75


def rating_bounds(scale: Iterable[dict[str, Any]]) -> tuple[int | float, int | float] | None:
    """``(worst, best)``: min and max ``value`` among the ordinal scale entries (None if none)."""
    values = [e["value"] for e in scale if e.get("ordinal") and e.get("value") is not None]
    return (min(values), max(values)) if values else None


def _date(value: Any) -> str | None:
    """ISO date (``YYYY-MM-DD``) from a date/datetime/ISO string, else None."""
    if value is None or value == "":
        return None
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()[:10]
    text = str(value)
    return text[:10] if len(text) >= 10 else text


def _drop_none(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None and v != "" and v != []}


_CLAIMANT_TYPES = {"person": "Person", "organization": "Organization"}


def claimant_of(claim: dict[str, Any], article: dict[str, Any]) -> dict[str, Any] | None:
    """``itemReviewed.author``: who made the claim, never the article's journalist.

    The claim's ``claimant`` as a Person or an Organization (by ``claimant_kind``; without a
    kind, no ``@type``, which :func:`validate_claimreview` reports); a claim the article
    states in its own voice (no claimant) is the publisher's, as an Organization; None when
    neither is known.
    """
    name = claim.get("claimant")
    if name:
        kind = _CLAIMANT_TYPES.get(claim.get("claimant_kind") or "")
        return {"@type": kind, "name": name} if kind else {"name": name}
    if article.get("publisher"):
        return {"@type": "Organization", "name": article["publisher"]}
    return None


def citations(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The ClaimReview's ``citation``: the sources of the claim's published version
    (``record["published"]["sources"]``; none for a claim never published), each a
    CreativeWork with its ``url`` (a web address only: any other address is left out, never
    made a link), ``name`` (its title) and ``publisher``; a source with neither a web address
    nor a title is left out, as is a second citation of one address."""
    published = record.get("published") or {}
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for source in published.get("sources") or ():
        if not isinstance(source, dict):
            continue
        url = source.get("url") if _is_http_url(source.get("url")) else None
        name = (source.get("title") or "").strip() or None
        if (url is None and name is None) or (url is not None and url in seen):
            continue
        if url is not None:
            seen.add(url)
        publisher = (source.get("publisher") or "").strip()
        out.append(
            _drop_none(
                {
                    "@type": "CreativeWork",
                    "url": url,
                    "name": name,
                    "publisher": {"@type": "Organization", "name": publisher}
                    if publisher
                    else None,
                }
            )
        )
    return out


def claimreview(
    record: dict[str, Any],
    *,
    org: dict[str, Any],
    permalink_template: str,
    scale: list[dict[str, Any]],
) -> dict[str, Any] | None:
    """One ClaimReview JSON-LD dict for a claim record, or None without a final verdict.

    ``org`` is the fact-checking organisation (``name``, ``url``, optional
    ``logo``, ``sameAs``); ``permalink_template`` is formatted with
    ``claim_id`` and ``article_id``.  ``ratingValue``/``bestRating``/
    ``worstRating`` come from the scale (best/worst = max/min ``value`` of the
    ordinal entries) and are emitted only when the final rating's value lies
    within them (so e.g. "Unverifiable" gets ``alternateName`` only).
    ``datePublished`` is ``record["published_at"]`` if present, else the date
    of the final decision; ``dateModified`` is ``record["modified_at"]`` when present (a
    published record: the date of its latest version).  Run :func:`validate_claimreview` on
    the result.
    """
    final = record.get("final")
    claim = record.get("claim")
    if not final or not claim:
        return None
    article = record.get("article") or {}
    entry = next((e for e in scale if e.get("key") == final.get("rating")), None) or {}
    label = final.get("label") or entry.get("label") or final.get("rating")
    value = entry.get("value", final.get("value")) if entry else final.get("value")

    rating: dict[str, Any] = {"@type": "Rating", "alternateName": label}
    bounds = rating_bounds(scale)
    if bounds is not None and isinstance(value, (int, float)) and bounds[0] <= value <= bounds[1]:
        rating["ratingValue"] = value
        rating["bestRating"] = bounds[1]
        rating["worstRating"] = bounds[0]

    claim_author = claimant_of(claim, article)
    appearance = None
    if article.get("url"):
        appearance = [
            _drop_none(
                {
                    "@type": "CreativeWork",
                    "url": article["url"],
                    "headline": article.get("title") or None,
                    "datePublished": _date(article.get("published")),
                    "author": (
                        {"@type": "Person", "name": article["author"]}
                        if article.get("author")
                        else None
                    ),
                    "publisher": (
                        {"@type": "Organization", "name": article["publisher"]}
                        if article.get("publisher")
                        else None
                    ),
                }
            )
        ]
    item = _drop_none(
        {
            "@type": "Claim",
            "author": claim_author,
            "datePublished": _date(article.get("published")),
            "appearance": appearance,
        }
    )
    author = _drop_none(
        {
            "@type": "Organization",
            "name": org.get("name"),
            "url": org.get("url"),
            "logo": org.get("logo"),
            "sameAs": org.get("sameAs"),
        }
    )
    return _drop_none(
        {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": permalink_template.format(
                claim_id=claim.get("id"), article_id=article.get("id")
            ),
            "claimReviewed": claim.get("text") or claim.get("quote"),
            "itemReviewed": item,
            "author": author,
            "datePublished": _date(record.get("published_at") or final.get("decided_at")),
            "dateModified": _date(record.get("modified_at")),
            "reviewRating": rating,
            "citation": citations(record),
        }
    )


def _is_http_url(value: Any) -> bool:
    if not isinstance(value, str) or not value.strip():
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _is_number(value: Any) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and not (isinstance(value, float) and not math.isfinite(value))
    )


def _is_iso_date(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        _dt.date.fromisoformat(value[:10])
    except ValueError:
        return False
    return len(value) == 10 or value[10] in "T "


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def validate_claimreview(doc: Any) -> list[dict[str, str]]:
    """Check a ClaimReview dict against Google's requirements.

    Returns a list of ``{"level": "error"|"warning", "field": "a.b", "message": str}``;
    empty when the markup is fine.  Errors make the markup unusable; warnings
    are recommended fields or display limits.
    """
    issues: list[dict[str, str]] = []

    def error(field: str, message: str) -> None:
        issues.append({"level": "error", "field": field, "message": message})

    def warning(field: str, message: str) -> None:
        issues.append({"level": "warning", "field": field, "message": message})

    if not isinstance(doc, dict):
        error("", "A ClaimReview must be a JSON object.")
        return issues

    context = doc.get("@context")
    if not (isinstance(context, str) and "schema.org" in context):
        error("@context", 'The "@context" must be "https://schema.org".')
    if doc.get("@type") != "ClaimReview":
        error("@type", 'The "@type" must be "ClaimReview".')

    claim_reviewed = doc.get("claimReviewed")
    if _blank(claim_reviewed) or not isinstance(claim_reviewed, str):
        error(
            "claimReviewed",
            "The claim being reviewed (claimReviewed) is missing; give the claim's wording.",
        )
    elif len(claim_reviewed) > CLAIM_REVIEWED_MAX:
        warning(
            "claimReviewed",
            f"The claim is {len(claim_reviewed)} characters long; Google shows at most "
            f"{CLAIM_REVIEWED_MAX}, so shorten the claim wording.",
        )

    url = doc.get("url")
    if _blank(url):
        error(
            "url", "The permalink of the fact-check (url) is missing; set the permalink template."
        )
    elif not _is_http_url(url):
        error("url", f"The permalink {url!r} is not an absolute http(s) URL.")

    rating = doc.get("reviewRating")
    if not isinstance(rating, dict):
        error("reviewRating", "The verdict (reviewRating) is missing.")
    else:
        if rating.get("@type") != "Rating":
            error("reviewRating.@type", 'The verdict\'s "@type" must be "Rating".')
        if _blank(rating.get("alternateName")):
            error(
                "reviewRating.alternateName",
                'The verdict has no name (reviewRating.alternateName), e.g. "False"; '
                "Google requires it.",
            )
        value = rating.get("ratingValue")
        best = rating.get("bestRating")
        worst = rating.get("worstRating")
        for name, v in (("bestRating", best), ("worstRating", worst)):
            if v is not None and not _is_number(v):
                error(f"reviewRating.{name}", f"reviewRating.{name} must be a number, not {v!r}.")
        if value is not None:
            if not _is_number(value):
                error(
                    "reviewRating.ratingValue",
                    f"reviewRating.ratingValue must be a number, not {value!r}.",
                )
            elif best is None or worst is None:
                missing = " and ".join(
                    n for n, v in (("bestRating", best), ("worstRating", worst)) if v is None
                )
                warning(
                    "reviewRating",
                    f"ratingValue is given without {missing}; Google assumes a 1 to 5 scale.",
                )
                lo = worst if _is_number(worst) else 1
                hi = best if _is_number(best) else 5
                if not lo <= value <= hi:
                    error(
                        "reviewRating.ratingValue",
                        f"ratingValue {value} lies outside the scale {lo} to {hi}.",
                    )
            elif _is_number(best) and _is_number(worst):
                if best <= worst:
                    error(
                        "reviewRating.bestRating",
                        f"bestRating ({best}) must be greater than worstRating ({worst}).",
                    )
                elif not worst <= value <= best:
                    error(
                        "reviewRating.ratingValue",
                        f"ratingValue {value} lies outside the scale "
                        f"{worst} (worst) to {best} (best).",
                    )

    author = doc.get("author")
    if not isinstance(author, dict):
        error(
            "author",
            "The fact-checking organisation (author) is missing; configure its name and URL.",
        )
    else:
        if _blank(author.get("name")):
            error(
                "author.name",
                "The fact-checking organisation has no name (author.name); configure it.",
            )
        if _blank(author.get("url")):
            warning("author.url", "The fact-checking organisation has no URL (author.url).")
        elif not _is_http_url(author.get("url")):
            error(
                "author.url",
                f"The organisation URL {author.get('url')!r} is not an absolute http(s) URL.",
            )

    published = doc.get("datePublished")
    if _blank(published):
        warning("datePublished", "The fact-check has no publication date (datePublished).")
    elif not _is_iso_date(published):
        error("datePublished", f"datePublished {published!r} is not an ISO 8601 date (YYYY-MM-DD).")

    item = doc.get("itemReviewed")
    if item is None:
        warning(
            "itemReviewed",
            "The reviewed claim (itemReviewed) is missing; say who made it and where.",
        )
    elif not isinstance(item, dict):
        error("itemReviewed", "itemReviewed must be an object of @type Claim.")
    else:
        if item.get("@type") != "Claim":
            error("itemReviewed.@type", 'itemReviewed\'s "@type" must be "Claim".')
        claim_author = item.get("author")
        if not claim_author:
            warning(
                "itemReviewed.author",
                "The claim has no claimant (itemReviewed.author): say who made it in the "
                "review panel, or set the article's publisher for its own statements.",
            )
        elif not isinstance(claim_author, dict) or _blank(claim_author.get("name")):
            error(
                "itemReviewed.author.name",
                "The claim's author has no name (itemReviewed.author.name).",
            )
        elif claim_author.get("@type") not in ("Person", "Organization"):
            warning(
                "itemReviewed.author.@type",
                f"Say whether the claimant {claim_author['name']!r} is a person or an "
                "organization (itemReviewed.author.@type).",
            )
        item_date = item.get("datePublished")
        if not _blank(item_date) and not _is_iso_date(item_date):
            error(
                "itemReviewed.datePublished",
                f"itemReviewed.datePublished {item_date!r} is not an ISO 8601 date (YYYY-MM-DD).",
            )
        appearance = item.get("appearance")
        if not appearance:
            warning(
                "itemReviewed.appearance",
                "The claim has no appearance (itemReviewed.appearance); set the article's URL.",
            )
        else:
            entries = appearance if isinstance(appearance, list) else [appearance]
            for i, entry in enumerate(entries):
                field = f"itemReviewed.appearance[{i}].url"
                link = entry.get("url") if isinstance(entry, dict) else None
                if _blank(link):
                    error(field, f"Appearance {i + 1} of the claim has no URL.")
                elif not _is_http_url(link):
                    error(field, f"Appearance {i + 1} URL {link!r} is not an absolute http(s) URL.")
    cited = doc.get("citation")
    if cited is not None:
        entries = cited if isinstance(cited, list) else [cited]
        for i, entry in enumerate(entries):
            if isinstance(entry, str):
                continue  # (schema.org allows a citation as text)
            if not isinstance(entry, dict) or entry.get("@type") != "CreativeWork":
                warning(f"citation[{i}]", f"Citation {i + 1} is not a CreativeWork.")
            elif entry.get("url") is not None and not _is_http_url(entry["url"]):
                warning(
                    f"citation[{i}].url",
                    f"Citation {i + 1} URL {entry['url']!r} is not an absolute http(s) URL.",
                )
    return issues


def claimreview_chunks(
    records: Iterable[dict[str, Any]],
    *,
    org: dict[str, Any],
    permalink_template: str,
    scale: list[dict[str, Any]],
    skip_invalid: bool = True,
) -> Iterator[str]:
    """Stream a JSON array of ClaimReview documents for the records with a final verdict.

    With ``skip_invalid`` (default) documents with validation *errors* are
    left out instead of emitting invalid markup (run the validator separately
    to report them).  Yields one chunk per document plus the brackets.
    """
    yield "["
    first = True
    for record in records:
        doc = claimreview(record, org=org, permalink_template=permalink_template, scale=scale)
        if doc is None:
            continue
        if skip_invalid and any(i["level"] == "error" for i in validate_claimreview(doc)):
            continue
        text = json.dumps(doc, ensure_ascii=False, indent=2)
        yield ("\n" if first else ",\n") + text
        first = False
    yield "\n]\n" if not first else "]\n"


def jsonld_for_html(doc: dict[str, Any]) -> str:
    """JSON text safe to place inside ``<script type="application/ld+json">``.

    ``<``, ``>`` and ``&`` are written as ``\\u003c`` etc. so user text such as
    ``</script>`` cannot end the script element; mark the result safe in Jinja.
    """
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )
