"""The ClaimReview check: every claim with a final verdict in a filtered set rendered as
ClaimReview and validated (the exports page's check, ``factcheck export --check``)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from sqlite_utils import Database

from .. import export, store
from ..config import with_addresses
from ..store.published import published_view
from .stream import org

MAX_SHOWN_ISSUES = 200


#: The check's warning for a final verdict the desk has not published (ClaimReview is for
#: published fact-checks; the "everything" export previews the desk's decisions too).
NOT_PUBLISHED = {
    "level": "warning",
    "field": "url",
    "message": "This verdict is not published: readers get 'not found' at its permalink ({}) "
    "until an editor publishes it (Publish… on the article).",
}


def claimreview_issues(
    db: Database,
    flt: store.ExportFilter,
    config: Mapping[str, Any],
    *,
    warn_unpublished: bool = True,
) -> dict[str, Any]:
    """Validate the ClaimReview of every claim with a final verdict in the set (read from one
    snapshot, or from ``db``'s when it is a snapshot's connection).

    Returns ``{"checked", "valid", "with_errors", "with_warnings", "issues"}``; ``issues`` lists
    at most :data:`MAX_SHOWN_ISSUES` entries ``{claim_id, article_id, article_title, claim,
    level, field, message}``, errors first. ``warn_unpublished``: a final verdict not
    published gets the :data:`NOT_PUBLISHED` warning.
    """
    scale = config["RATING_SCALE"]
    config = with_addresses(config)
    if flt.status is None:
        flt = dataclasses.replace(flt, status="decided")
    with store.snapshot(db) as snap:
        return _claimreview_issues(snap, flt, config, scale, warn_unpublished)


def _claimreview_issues(
    db: Database,
    flt: store.ExportFilter,
    config: Mapping[str, Any],
    scale: Any,
    warn_unpublished: bool,
) -> dict[str, Any]:
    checked = valid = with_errors = with_warnings = 0
    errors: list[dict[str, Any]] = []
    warnings: list[dict[str, Any]] = []
    found = store.export_records(db, flt, scale, html=False, agreement=False)
    for record in published_view(found, scale, unpublished=flt.published is not True):
        doc = export.claimreview(
            record,
            org=org(config),
            permalink_template=config["PERMALINK_TEMPLATE"],
            scale=scale,
        )
        if doc is None:
            continue
        checked += 1
        found = export.validate_claimreview(doc)
        if warn_unpublished and record.get("published") is None:
            found.append(NOT_PUBLISHED | {"message": NOT_PUBLISHED["message"].format(doc["url"])})
        levels = {issue["level"] for issue in found}
        valid += "error" not in levels
        with_errors += "error" in levels
        with_warnings += "warning" in levels
        for issue in found:
            target = errors if issue["level"] == "error" else warnings
            if len(errors) + len(warnings) < MAX_SHOWN_ISSUES:
                target.append(
                    {
                        "claim_id": record["claim"]["id"],
                        "article_id": record["article"]["id"],
                        "article_title": record["article"]["title"],
                        "claim": record["claim"]["text"],
                        **issue,
                    }
                )
    return {
        "checked": checked,
        "valid": valid,
        "with_errors": with_errors,
        "with_warnings": with_warnings,
        "issues": errors + warnings,
    }
