"""Restoring the published record from a factcheck JSON or JSONL export (the JSON import).

An export carries each published claim's published record (``"published"``, see
:func:`factcheck.store.published.published_json`): its latest version's content and status,
who first published it and when, the withdrawal, and every correction with its version, date,
note, editor and ``changes`` (``{field: {"before", "after"}}``). The earlier versions are
rebuilt from the latest one by undoing the changes one version at a time, so that the claim's
public page, its JSON-LD and "published" exports read the same after the import as before.
The article's publications and withdrawals come from the export's ``article.publications``;
an export made before they were exported gets them rebuilt from its claims (one publication
at each first publication of a claim, and the article's withdrawal when it is withdrawn).

Everything here runs inside the import's transaction (:func:`factcheck.store.imports.
restore_bundle`), and writes versions the way :mod:`factcheck.store.publish` does.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from sqlite_utils import Database

from .base import Invalid
from .publish import ARTICLE_KEYS, CONTENT_KEYS, _insert_version

UserOf = Callable[[str | None], int | None]


def published_ratings(records: Sequence[dict[str, Any]]) -> set[str]:
    """Every rating the records' published versions hold (the import checks them against the
    desk's rating scale, as it does the verdicts')."""
    found = set()
    for record in records:
        published = record.get("published")
        if not isinstance(published, dict):
            continue
        found.add(published.get("rating"))
        for k in published.get("corrections") or ():
            change = (k.get("changes") or {}).get("rating") or {}
            found.update((change.get("before"), change.get("after")))
    return {rating for rating in found if rating is not None}


def _versions(published: dict[str, Any], label: str) -> list[dict[str, Any]]:
    """The claim's versions, oldest first, rebuilt from its published record: each with
    ``version``, ``status``, the content (:data:`CONTENT_KEYS`), ``at``, ``note``, ``by`` and
    ``changes``."""
    latest = int(published["version"])
    by_version = {
        int(k["version"]): k for k in published.get("corrections") or () if k.get("version")
    }
    withdrawn = published.get("withdrawn") or {}
    status = "withdrawn" if withdrawn.get("scope") == "claim" else "published"
    content = {key: published.get(key) for key in CONTENT_KEYS}
    found = []
    for version in range(latest, 0, -1):
        if version == 1:
            at, note, changes = published.get("first_published_at"), None, {}
            by = published.get("published_by")
        else:
            k = by_version.get(version)
            if k is None:
                raise Invalid(f"{label}: its published record lacks version {version}")
            at, note, by = k.get("at"), k.get("note"), k.get("by")
            changes = k.get("changes") or {}
            if not (note or "").strip():
                raise Invalid(f"{label}: published version {version} has no note")
        if not at:
            raise Invalid(f"{label}: published version {version} has no date")
        found.append(
            {"version": version, "status": status, "at": at, "note": note, "by": by}
            | {"changes": changes}
            | content
        )
        # One version back: the values before this version's changes.
        content = dict(content)
        for key, change in changes.items():
            if key in CONTENT_KEYS:
                content[key] = change.get("before")
            elif key == "status":
                status = change.get("before") or "published"
    found.reverse()
    return found


def restore_claim_versions(
    db: Database,
    claim_id: int,
    article_id: int,
    record: dict[str, Any],
    user_of: UserOf,
) -> dict[str, int]:
    """Write the published versions of one imported claim (when its record has a published
    record); ``{published_at: version id}`` of its versions from version 2 on, with which the
    import links the claim's corrections to the versions they published."""
    published = record.get("published")
    if not isinstance(published, dict):
        return {}
    claim = record["claim"]
    label = f"claim {claim.get('id')}"
    article = published.get("article") or {}
    ids = {}
    for version in _versions(published, label):
        if version["rating"] is None:
            raise Invalid(f"{label}: published version {version['version']} has no rating")
        state = {key: version[key] for key in CONTENT_KEYS} | {
            "id": claim_id,
            "article_id": article_id,
            "start": int(claim["start"]),
            "end": int(claim["end"]),
            "sources": version["sources"] or [],
            "reason": version["reason"] or "",
        }
        version_id = _insert_version(
            db,
            state,
            {key: article.get(key) for key in ARTICLE_KEYS},
            version=version["version"],
            status=version["status"],
            note=version["note"],
            changes=version["changes"],
            user_id=user_of(version["by"]),
            stamp=version["at"],
        )
        if version["version"] > 1:
            ids[version["at"]] = version_id
    return ids


def _rebuilt_publications(
    article: dict[str, Any], records: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The article's publications and withdrawal as far as its claims tell (an export made
    before ``article.publications`` was exported)."""
    details = {key: article.get(key) for key in ARTICLE_KEYS}
    firsts: dict[str, str | None] = {}
    withdrawal = None
    for record in records:
        published = record.get("published")
        if not isinstance(published, dict):
            continue
        at = published.get("first_published_at")
        if at and (at not in firsts or firsts[at] is None):
            firsts[at] = published.get("published_by")
        withdrawn = published.get("withdrawn") or {}
        if withdrawn.get("scope") == "article":
            withdrawal = withdrawn
    if not firsts and article.get("published_at"):
        firsts[article["published_at"]] = None
    events = [
        {"action": "publish", "at": at, "note": None, "by": by, "article": details}
        for at, by in sorted(firsts.items())
    ]
    if withdrawal is not None:
        events.append(
            {
                "action": "unpublish",
                "at": withdrawal.get("at"),
                "note": withdrawal.get("note"),
                "by": withdrawal.get("by"),
                "article": details,
            }
        )
    return events


def restore_publications(
    db: Database,
    article_id: int,
    article: dict[str, Any],
    records: Sequence[dict[str, Any]],
    user_of: UserOf,
) -> int:
    """Write the imported article's publications and withdrawals (``article.publications``
    of the export, else rebuilt from its claims) and mark it published as it was
    (``published_at``, and ``published_by`` from its last publication); how many events."""
    events = article.get("publications")
    if not isinstance(events, list):
        events = _rebuilt_publications(article, records)
    published_by = None
    for event in events:
        action = event.get("action")
        if action not in ("publish", "unpublish") or not event.get("at"):
            raise Invalid("the article's publications are not readable")
        if action == "unpublish" and not (event.get("note") or "").strip():
            raise Invalid("a withdrawal of the article has no note")
        user_id = user_of(event.get("by"))
        details = event.get("article") if isinstance(event.get("article"), dict) else {}
        db.execute(
            "INSERT INTO article_publications (article_id, action, note, article, at, user_id)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                article_id,
                action,
                event.get("note") if action == "unpublish" else None,
                json.dumps({key: details.get(key) for key in ARTICLE_KEYS}, ensure_ascii=False),
                event["at"],
                user_id,
            ),
        )
        published_by = user_id if action == "publish" else None
    published_at = article.get("published_at")
    if published_at:
        db.execute(
            "UPDATE articles SET published_at = ?, published_by = ? WHERE id = ?",
            (published_at, published_by, article_id),
        )
    return len(events)
