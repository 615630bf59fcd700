"""The publish check: what publishing an article now would put out, and what would not.

The check page lists the article's claims by what would happen to them (settled and going out,
unanimous but unsettled, unsettled, without a verdict, already published, withdrawn), the
ClaimReview problems of what goes out, and the article's; an editor settles the unanimous ones
in one step (:func:`settle_unanimous`) and confirms (:func:`publish_confirmed`), naming the
state the check showed (:func:`factcheck.store.publish.publish_state`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlite_utils import Database

from .. import config as config_module
from .base import Conflict, Invalid, NotFound, _audit, _row, _rows, now, snapshot, transaction
from .discussion import current_verdict_sql
from .publish import _state_claims, publish_article, publish_state, versioned

#: The check's lists of claims, in the order the page shows them.
CHECK_LISTS = ("unanimous", "unsettled", "no_verdict", "settled", "published", "withdrawn")


def _latest_statuses(db: Database, article_id: int) -> dict[int, str]:
    """Claim id -> the status of its latest published version, for the article's claims."""
    if not versioned(db):
        return {}
    return {
        row[0]: row[1]
        for row in db.execute(
            "SELECT p.claim_id, p.status FROM published_claims p WHERE p.article_id = ?"
            " AND p.version = (SELECT max(version) FROM published_claims q"
            "   WHERE q.claim_id = p.claim_id)",
            (article_id,),
        )
    }


def unanimous_minimum(db: Database) -> int:
    """How many verdicts make an agreement unanimous: two, or one on a desk that assigns one
    reviewer per article."""
    from .desk import get_settings

    return min(2, get_settings(db)["reviewers_per_article"])


def _live_claims(db: Database, article_id: int) -> list[dict[str, Any]]:
    """The article's claims (dismissed too) with their reviewers' current ratings (a verdict
    an editor returned counts again once saved again) and final verdict."""
    rows = _rows(
        db,
        "SELECT c.id, c.text, c.quote, c.start, c.version, c.dismissed,"
        " (SELECT group_concat(v.rating, char(31)) FROM"
        "   (SELECT rating FROM verdicts v WHERE claim_id = c.id"
        f"    AND {current_verdict_sql('v')} ORDER BY id) v) AS ratings,"
        " f.rating AS final_rating, f.version AS final_version"
        " FROM claims c LEFT JOIN final_verdicts f ON f.claim_id = c.id"
        ' WHERE c.article_id = ? ORDER BY c.start, c."end", c.id',
        (article_id,),
    )
    for row in rows:
        row["ratings"] = row["ratings"].split("\x1f") if row["ratings"] else []
        row["dismissed"] = bool(row["dismissed"])
    return rows


def _is_unanimous(ratings: Sequence[str], minimum: int) -> bool:
    return len(ratings) >= minimum and len(set(ratings)) == 1


def addresses(config: Mapping[str, Any]) -> dict[str, str]:
    """The addresses ClaimReview and the permalinks use: ``ORG_URL`` and
    ``PERMALINK_TEMPLATE``, or while unset the address the app is served at (see
    :func:`factcheck.config.public_base_url`)."""
    return {
        "ORG_URL": config_module.org_url(config),
        "PERMALINK_TEMPLATE": config_module.permalink_template(config),
    }


def _article_issues(article: dict[str, Any], config: Mapping[str, Any]) -> list[dict[str, str]]:
    issues = []
    if not article.get("published"):
        issues.append(
            {
                "level": "warning",
                "field": "published",
                "message": "The article's publication date is unknown: ClaimReview will not "
                "date the claims. Set the date on the article's review page.",
            }
        )
    for name, value in addresses(config).items():
        if config_module.is_loopback_address(value):
            where = (
                f"{name} points at this machine ({value})"
                if config.get(name)
                else f"{name} is not set, so links use the address the app is served at, "
                f"which points at this machine ({value})"
            )
            issues.append(
                {
                    "level": "warning",
                    "field": name,
                    "message": f"{where}: readers and search engines cannot follow links to "
                    "it. Set it to the desk's public address.",
                }
            )
    return issues


def _claimreview_issues(
    db: Database, article_id: int, config: Mapping[str, Any]
) -> dict[int, list[dict[str, str]]]:
    """ClaimReview problems of each settled claim: the validator's errors and warnings, and a
    missing claim date."""
    from .. import export  # (export imports the store: not at the store's import)
    from .exports import ExportFilter, export_records

    scale = config["RATING_SCALE"]
    where = addresses(config)
    org = {"name": config.get("ORG_NAME"), "url": where["ORG_URL"]}
    found: dict[int, list[dict[str, str]]] = {}
    flt = ExportFilter(article_id=article_id, status="decided")
    for record in export_records(db, flt, scale, html=False, agreement=False):
        if record.get("claim") is None:
            continue
        doc = export.claimreview(
            record, org=org, permalink_template=where["PERMALINK_TEMPLATE"], scale=scale
        )
        if doc is None:
            continue
        issues = export.validate_claimreview(doc)
        item = doc.get("itemReviewed") or {}
        if not item.get("datePublished"):
            issues.append(
                {
                    "level": "warning",
                    "field": "itemReviewed.datePublished",
                    "message": "The claim has no date (the article's publication date is unknown).",
                }
            )
        found[record["claim"]["id"]] = sorted(issues, key=lambda i: i["level"] != "error")
    return found


def publish_check(db: Database, article_id: int, config: Mapping[str, Any]) -> dict[str, Any]:
    """What publishing the article would put out, and what it would not.

    Lists of claims (each ``{id, text, ratings, rating}``, reading order, dismissed claims
    left out): ``settled`` (a final verdict and no published version yet: these go out, each
    with its ``issues``, the ClaimReview problems), ``published`` and ``withdrawn`` (public
    already, or withdrawn: publishing leaves them as they are; they change by corrections),
    ``unanimous`` (every reviewer gave the same rating, at least :func:`unanimous_minimum` of
    them, no final verdict: ``rating`` is theirs), ``unsettled`` (other verdicts, no final
    verdict) and ``no_verdict``. ``article_issues`` are problems of the whole article
    (publication date unknown, loopback addresses); ``state`` is :func:`publish_state`, for
    the confirm form; ``ready`` says whether publishing would do anything. Everything is read
    from one snapshot.
    """
    with snapshot(db) as snap:
        return _publish_check(snap, article_id, config)


def _publish_check(db: Database, article_id: int, config: Mapping[str, Any]) -> dict[str, Any]:
    article = _row(
        db,
        "SELECT id, title, publisher, author, url, published, published_at, version"
        " FROM articles WHERE id = ?",
        (article_id,),
    )
    if article is None:
        raise NotFound(f"article {article_id}")
    labels = {e["key"]: e.get("label", e["key"]) for e in config["RATING_SCALE"]}
    minimum = unanimous_minimum(db)
    statuses = _latest_statuses(db, article_id)
    lists: dict[str, list[dict[str, Any]]] = {name: [] for name in CHECK_LISTS}
    dismissed = 0
    for claim in _live_claims(db, article_id):
        if claim["dismissed"]:
            dismissed += 1
            continue
        entry = {
            "id": claim["id"],
            "text": claim["text"],
            "ratings": claim["ratings"],
            "labels": [labels.get(r, r) for r in claim["ratings"]],
            "rating": claim["final_rating"],
        }
        if claim["final_rating"] is not None:
            entry["final_version"] = claim["final_version"]
            status = statuses.get(claim["id"])
            lists["settled" if status is None else status].append(entry)
        elif not claim["ratings"]:
            lists["no_verdict"].append(entry)
        elif _is_unanimous(claim["ratings"], minimum):
            entry["rating"] = claim["ratings"][0]
            lists["unanimous"].append(entry)
        else:
            lists["unsettled"].append(entry)
    issues = _claimreview_issues(db, article_id, config) if lists["settled"] else {}
    for entry in lists["settled"]:
        entry["issues"] = issues.get(entry["id"], [])
    for entries in lists.values():
        for entry in entries:
            entry["label"] = labels.get(entry["rating"], entry["rating"])
    counts = {name: len(entries) for name, entries in lists.items()}
    counts["dismissed"] = dismissed
    counts["with_issues"] = sum(1 for e in lists["settled"] if e["issues"])
    return {
        "article": article,
        **lists,
        "counts": counts,
        "article_issues": _article_issues(article, config),
        "unanimous_minimum": minimum,
        "state": publish_state(db, article_id),
        # (an article withdrawn as a whole comes back with its published claims)
        "ready": bool(lists["settled"])
        or (article["published_at"] is None and bool(lists["published"])),
    }


def settle_unanimous(
    db: Database,
    article_id: int,
    user_id: int | None,
    claims: Mapping[int, str],
    reason: str,
    ratings: Sequence[str],
) -> list[dict[str, Any]]:
    """Settle unanimous claims of the article in one transaction: each of ``claims`` (claim id
    -> the reviewers' common rating the editor saw) gets that rating as its final verdict, with
    one ``reason`` for all. When any of them is no longer unanimous with that rating, already
    has a final verdict, or was dismissed, nothing is settled: :class:`Conflict` carries
    ``{"claims": [ids that changed]}``. Returns the final verdicts written."""
    reason = (reason or "").strip()
    if not claims:
        raise Invalid("Choose at least one unanimous claim to settle.")
    if not reason:
        raise Invalid("Give a reason: it is shown with each final verdict.")
    if len(reason) > 20_000:
        raise Invalid("A reason is at most 20,000 characters.")
    for rating in claims.values():
        if rating not in ratings:
            raise Invalid("Choose final verdicts from the rating scale.")
    stamp = now()
    with transaction(db):
        current = {c["id"]: c for c in _live_claims(db, article_id)}
        if not current and _row(db, "SELECT 1 FROM articles WHERE id = ?", (article_id,)) is None:
            raise NotFound(f"article {article_id}")
        minimum = unanimous_minimum(db)
        changed = [
            claim_id
            for claim_id, rating in claims.items()
            if claim_id not in current
            or current[claim_id]["dismissed"]
            or current[claim_id]["final_rating"] is not None
            or not _is_unanimous(current[claim_id]["ratings"], minimum)
            or current[claim_id]["ratings"][0] != rating
        ]
        if changed:
            raise Conflict({"claims": sorted(changed)})
        for claim_id, rating in sorted(claims.items()):
            db.execute(
                "INSERT INTO final_verdicts (claim_id, rating, reason, decided_by, created_at,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                (claim_id, rating, reason, user_id, stamp, stamp),
            )
            _audit(
                db,
                user_id=user_id,
                action="create",
                table="final_verdicts",
                row_id=claim_id,
                claim_id=claim_id,
                article_id=article_id,
                after={
                    "rating": rating,
                    "reason": reason,
                    "unanimous": len(current[claim_id]["ratings"]),
                },
            )
        placeholders = ", ".join("?" * len(claims))
        return _rows(
            db,
            f"SELECT * FROM final_verdicts WHERE claim_id IN ({placeholders})"  # noqa: S608
            " ORDER BY claim_id",
            sorted(claims),
        )


def publish_confirmed(
    db: Database, article_id: int, user_id: int | None, state: str
) -> dict[str, Any]:
    """Publish the article's settled claims, as the editor confirmed them on the check page:
    when what would go out is no longer ``state`` (:func:`publish_state`), nothing is published
    and :class:`Conflict` carries ``{"state": current, "changes": state_changes(...)}``.
    Returns ``{"published": [ids of the claims published now]}``."""
    publish_article(db, article_id, user_id, publish=True, confirmed_state=state)
    return {"published": sorted(_state_claims(state))}
