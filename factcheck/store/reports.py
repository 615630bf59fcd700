"""An article's claims as export records, one claim at a time: the reference the fast export
path (:mod:`.exports`) is checked against.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlite_utils import Database

from .. import sanitize
from .articles import get_article
from .base import _row
from .claimants import CLAIMANT_KEYS
from .claims import list_claims
from .verdicts import list_verdicts


def claim_records(
    db: Database, article_id: int, scale: Sequence[dict[str, Any]], include_dismissed: bool = False
) -> Iterator[dict[str, Any]]:
    """One export record per claim of the article, in reading order (see factcheck.export).

    An article without (undismissed) claims gives one record whose ``claim`` is None, so
    that exports still carry the article.
    """
    article = get_article(db, article_id)
    article_part = {
        "id": article["id"],
        "title": article["title"],
        "url": article["url"],
        "publisher": article["publisher"],
        "author": article["author"],
        "published": article["published"],
        "body_sha256": article["body_sha256"],
    }
    by_key = {entry["key"]: entry for entry in scale}
    yielded = False
    for claim in list_claims(db, article_id):
        if claim["dismissed"] and not include_dismissed:
            continue
        verdicts = []
        for verdict in list_verdicts(db, claim["id"]):
            entry = by_key.get(verdict["rating"], {})
            verdicts.append(
                {
                    "reviewer": verdict["reviewer"],
                    "rating": verdict["rating"],
                    "label": entry.get("label", verdict["rating"]),
                    "value": entry.get("value"),
                    "rationale": verdict["rationale"],
                    "rationale_html": str(sanitize.render_markdown(verdict["rationale"])),
                    "created_at": verdict["created_at"],
                    "updated_at": verdict["updated_at"],
                    "sources": verdict["sources"],
                }
            )
        final = _row(
            db,
            "SELECT f.rating, f.reason, f.updated_at AS decided_at, u.username AS decided_by"
            " FROM final_verdicts f LEFT JOIN users u ON u.id = f.decided_by"
            " WHERE f.claim_id = ?",
            (claim["id"],),
        )
        if final is not None:
            entry = by_key.get(final["rating"], {})
            final["label"] = entry.get("label", final["rating"])
            final["value"] = entry.get("value")
        yield {
            "article": article_part,
            "claim": {
                key: claim[key]
                for key in (
                    "id",
                    "start",
                    "end",
                    "quote",
                    "text",
                    "kind",
                    "score",
                    "checkworthy",
                    "dismissed",
                    "origin",
                    *CLAIMANT_KEYS,
                    "created_at",
                    "updated_at",
                )
            },
            "verdicts": verdicts,
            "final": final,
        }
        yielded = True
    if not yielded:
        yield {"article": article_part, "claim": None, "verdicts": [], "final": None}
