"""The published record: what is public is a published version.

Publishing an article writes version 1 of each of its *settled* claims (a final verdict, not
dismissed) into ``published_claims`` (migration m009): the wording, quote, claimant, final
rating and reason, the sources as published (with their reviewer) and the article's details,
dated and signed. Rows are immutable (triggers refuse UPDATE and DELETE) and nothing but this
module writes them. The public pages, the public JSON-LD and "published" exports read these
versions only, so that live edits of a published claim (by anyone) change nothing public.

A later change to a published claim is a *correction*: an editor changes the wording, the final
rating or reason (or the sources changed meanwhile) and describes it in a note; the live claim
and the new version are written in one transaction, the version listing what changed. A claim
is withdrawn with a note (a ``withdrawn`` version: its public page then says so), and a whole
article is withdrawn (unpublished) with a note too. Articles published again keep their
claims' latest versions; claims settled since get their version 1.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from sqlite_utils import Database

from .. import config as config_module
from . import (
    Conflict,
    Invalid,
    NotFound,
    _audit,
    _row,
    _rows,
    change_claim,
    now,
    snapshot,
    transaction,
    wording_changes,
)

#: What a version publishes of a claim; a correction changes at least one of these.
CONTENT_KEYS = ("text", "quote", "claimant", "claimant_kind", "rating", "reason", "sources")
#: The article's details a version (and an article publication) carries.
ARTICLE_KEYS = ("title", "url", "publisher", "author", "published")
NOTE_MAX = 5000


def _note(note: str | None, what: str) -> str:
    note = (note or "").strip()
    if not note:
        raise Invalid(f"{what} needs a note saying what changed and why.")
    if len(note) > NOTE_MAX:
        raise Invalid(f"A note is at most {NOTE_MAX:,} characters.")
    return note


def _article_details(db: Database, article_id: int) -> dict[str, Any]:
    row = _row(
        db,
        "SELECT id, title, url, publisher, author, published, published_at FROM articles"
        " WHERE id = ?",
        (article_id,),
    )
    if row is None:
        raise NotFound(f"article {article_id}")
    return row


def _published_sources(db: Database, claim_id: int, rating: str) -> list[dict[str, Any]]:
    """The sources of the verdicts that agree with the final rating (of all verdicts when
    none agrees), each URL once, with their reviewer (kept in the record; the public pages
    do not show reviewers)."""
    seen: set[str] = set()
    sources = []
    for row in _rows(
        db,
        "SELECT s.url, s.title, s.publisher, s.excerpt, s.stance, s.accessed,"
        " u.username AS reviewer FROM verdicts v JOIN sources s ON s.verdict_id = v.id"
        " LEFT JOIN users u ON u.id = v.user_id WHERE v.claim_id = :claim"
        " AND (v.rating = :rating OR NOT EXISTS (SELECT 1 FROM verdicts w"
        "   WHERE w.claim_id = :claim AND w.rating = :rating))"
        " ORDER BY v.created_at, v.id, s.position, s.id",
        {"claim": claim_id, "rating": rating},
    ):
        if row["url"] and row["url"] in seen:
            continue
        seen.add(row["url"])
        sources.append(row)
    return sources


def live_state(db: Database, claim_id: int) -> dict[str, Any]:
    """What publishing the claim now would make public, with ``settled`` and ``dismissed``."""
    row = _row(
        db,
        'SELECT c.id, c.article_id, c.start, c."end", c.quote, c.text, c.dismissed, c.claimant,'
        " c.claimant_kind, f.rating, f.reason FROM claims c"
        " LEFT JOIN final_verdicts f ON f.claim_id = c.id"
        " WHERE c.id = ?",
        (claim_id,),
    )
    if row is None:
        raise NotFound(f"claim {claim_id}")
    row["dismissed"] = bool(row["dismissed"])
    row["settled"] = row["rating"] is not None and not row["dismissed"]
    row["reason"] = row["reason"] or ""
    row["sources"] = _published_sources(db, claim_id, row["rating"]) if row["rating"] else []
    return row


def _version_from_row(row: dict[str, Any]) -> dict[str, Any]:
    row["sources"] = json.loads(row["sources"])
    row["article"] = json.loads(row["article"])
    row["changes"] = json.loads(row["changes"])
    return row


_VERSION_SELECT = (
    "SELECT p.*, u.username AS published_by_name FROM published_claims p"
    " LEFT JOIN users u ON u.id = p.published_by"
)


def latest_version(db: Database, claim_id: int) -> dict[str, Any] | None:
    """The claim's latest published version (None: never published)."""
    row = _row(
        db, f"{_VERSION_SELECT} WHERE p.claim_id = ? ORDER BY p.version DESC LIMIT 1", (claim_id,)
    )
    return _version_from_row(row) if row is not None else None


def claim_versions(db: Database, claim_id: int) -> list[dict[str, Any]]:
    """Every published version of the claim, oldest first."""
    return [
        _version_from_row(row)
        for row in _rows(
            db, f"{_VERSION_SELECT} WHERE p.claim_id = ? ORDER BY p.version", (claim_id,)
        )
    ]


def _as_read(key: str, value: Any) -> Any:
    """A content field as readers see it: sources without their reviewer (the public pages
    do not name reviewers, so a source that only moved to another reviewer's verdict has not
    changed for them)."""
    if key == "sources" and value:
        return [{k: v for k, v in source.items() if k != "reviewer"} for source in value]
    return value


def changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """``{field: {"before", "after"}}`` of the published content that differs as readers
    see it."""
    return {
        key: {"before": before.get(key), "after": after.get(key)}
        for key in CONTENT_KEYS
        if _as_read(key, before.get(key)) != _as_read(key, after.get(key))
    }


def _insert_version(
    db: Database,
    state: dict[str, Any],
    article: dict[str, Any],
    *,
    version: int,
    status: str,
    note: str | None,
    changes: dict[str, Any],
    user_id: int | None,
    stamp: str,
) -> int:
    cursor = db.execute(
        'INSERT INTO published_claims (claim_id, article_id, version, status, start, "end",'
        " quote, text, claimant, claimant_kind, rating, reason, sources, article, note,"
        " changes, published_at, published_by)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            state.get("claim_id", state.get("id")),
            state["article_id"],
            version,
            status,
            state["start"],
            state["end"],
            state["quote"],
            state["text"],
            state.get("claimant"),
            state.get("claimant_kind"),
            state["rating"],
            state["reason"] or "",
            json.dumps(state["sources"], ensure_ascii=False),
            json.dumps({key: article.get(key) for key in ARTICLE_KEYS}, ensure_ascii=False),
            note,
            json.dumps(changes, ensure_ascii=False),
            stamp,
            user_id,
        ),
    )
    return cursor.lastrowid


def _content(version: dict[str, Any]) -> dict[str, Any]:
    return {key: version.get(key) for key in CONTENT_KEYS}


# Publishing an article -------------------------------------------------------------------------


def publish_article(
    db: Database,
    article_id: int,
    user_id: int | None,
    publish: bool = True,
    note: str | None = None,
    confirmed_state: str | None = None,
) -> None:
    """Publish the article (or withdraw it, which needs a ``note``).

    Publishing writes version 1 of every settled claim that has no published version yet
    (claims published before keep their latest version: a change to them is a correction,
    see :func:`publish_correction`) and marks the article published. Withdrawing marks it
    unpublished; its public pages then say when and why. ``confirmed_state`` is what the
    editor confirmed on the publish check (:func:`publish_state`): when what would go out
    changed since, nothing is published and :class:`Conflict` carries ``{"state": the state
    now, "changes": state_changes(...)}``.
    """
    if not publish:
        note = _note(note, "Withdrawing a published article")
    with transaction(db):
        article = _article_details(db, article_id)
        if publish and confirmed_state is not None:
            current = publish_state(db, article_id)
            if current != confirmed_state:
                raise Conflict(
                    {"state": current, "changes": state_changes(confirmed_state, current)}
                )
        stamp = now()
        details = {key: article[key] for key in ARTICLE_KEYS}
        if publish:
            settled = [
                row[0]
                for row in db.execute(
                    "SELECT c.id FROM claims c JOIN final_verdicts f ON f.claim_id = c.id"
                    ' WHERE c.article_id = ? AND NOT c.dismissed ORDER BY c.start, c."end", c.id',
                    (article_id,),
                )
            ]
            if not settled:
                raise Invalid("Settle at least one final verdict before publishing.")
            if not versioned(db):
                settled = []  # (a database before m009: only marked published)
            published = (
                {
                    row[0]
                    for row in db.execute(
                        "SELECT DISTINCT claim_id FROM published_claims WHERE article_id = ?",
                        (article_id,),
                    )
                }
                if settled
                else set()
            )
            new = [claim_id for claim_id in settled if claim_id not in published]
            for claim_id in new:
                _insert_version(
                    db,
                    live_state(db, claim_id),
                    details,
                    version=1,
                    status="published",
                    note=None,
                    changes={},
                    user_id=user_id,
                    stamp=stamp,
                )
            if article["published_at"] is not None and not new:
                return  # (published already, nothing new to publish)
        elif article["published_at"] is None:
            raise Invalid("This article is not published.")
        if versioned(db):
            db.execute(
                "INSERT INTO article_publications (article_id, action, note, article, at, user_id)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    article_id,
                    "publish" if publish else "unpublish",
                    note if not publish else None,
                    json.dumps(details, ensure_ascii=False),
                    stamp,
                    user_id,
                ),
            )
        published_at = (article["published_at"] or stamp) if publish else None
        db.execute(
            "UPDATE articles SET published_at = ?, published_by = ?, version = version + 1,"
            " updated_at = ? WHERE id = ?",
            (published_at, user_id if publish else None, stamp, article_id),
        )
        _audit(
            db,
            user_id=user_id,
            action="publish" if publish else "unpublish",
            table="articles",
            row_id=article_id,
            article_id=article_id,
            before={"published_at": article["published_at"]},
            after={"published_at": published_at} | ({"claims": new} if publish else {"note": note}),
        )


# Corrections and withdrawals -----------------------------------------------------------------


def _correct_live(
    db: Database, claim_id: int, user_id: int | None, note: str, stamp: str
) -> dict[str, Any] | None:
    """Publish the claim's live state as a new version (in the open transaction) when it
    differs from the latest published one; the new version, or None when nothing differs.
    A dismissed or unsettled claim cannot be published (it is withdrawn instead)."""
    latest = latest_version(db, claim_id)
    if latest is None:
        raise Invalid("This claim is not published: settle it and publish the article instead.")
    state = live_state(db, claim_id)
    if state["dismissed"]:
        raise Invalid("This claim is dismissed: restore it first, or withdraw it with a note.")
    if not state["settled"]:
        raise Invalid("This claim has no final verdict to publish.")
    found = changes(latest, state)
    if latest["status"] == "withdrawn":
        found["status"] = {"before": "withdrawn", "after": "published"}
    if not found:
        return None
    article = _article_details(db, state["article_id"])
    version_id = _insert_version(
        db,
        state,
        article,
        version=latest["version"] + 1,
        status="published",
        note=note,
        changes=found,
        user_id=user_id,
        stamp=stamp,
    )
    db.execute(
        "INSERT INTO corrections (claim_id, before_rating, after_rating, note, user_id, at,"
        " published_claim_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (claim_id, latest["rating"], state["rating"], note, user_id, stamp, version_id),
    )
    _audit(
        db,
        user_id=user_id,
        action="correct",
        table="published_claims",
        row_id=version_id,
        claim_id=claim_id,
        article_id=state["article_id"],
        before={"version": latest["version"]},
        after={"version": latest["version"] + 1, "note": note, "changes": found},
    )
    return latest_version(db, claim_id)


def versioned(db: Database) -> bool:
    """Whether the database has published versions (migration m009; the store also runs on
    older schemas while they are migrated, as it did before: no versions written)."""
    return (
        db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'published_claims'"
        ).fetchone()
        is not None
    )


def is_published(db: Database, claim_id: int) -> bool:
    """Whether the claim has a published version (withdrawn or not); before m009, whether
    its article is published."""
    if not versioned(db):
        return (
            db.execute(
                "SELECT 1 FROM claims c JOIN articles a ON a.id = c.article_id"
                " WHERE c.id = ? AND a.published_at IS NOT NULL",
                (claim_id,),
            ).fetchone()
            is not None
        )
    return (
        db.execute(
            "SELECT 1 FROM published_claims WHERE claim_id = ? LIMIT 1", (claim_id,)
        ).fetchone()
        is not None
    )


def publish_correction(
    db: Database,
    claim_id: int,
    user_id: int,
    note: str,
    *,
    text: str | None = None,
    rating: str | None = None,
    reason: str | None = None,
    ratings: Sequence[str] = (),
    published_version: int | None = None,
) -> dict[str, Any] | None:
    """An editor's correction of a published claim: change the live wording, final rating and
    reason (None: unchanged) and publish the result as a new version, with ``note``, in one
    transaction. Sources changed since the last version are published with it. Also restores
    a withdrawn claim. ``published_version`` is the version the editor saw (:class:`Conflict`
    when another was published meanwhile). Returns the new version.

    A claim not published yet (of a published article: settled since, or never settled) is
    changed at the desk the same way, with the note in its history, and None is returned:
    publishing the article makes it public.
    """
    note = _note(note, "A correction")
    wording = wording_changes(text) if text is not None else None
    if rating is not None and rating not in ratings:
        raise Invalid("Choose a final verdict from the rating scale.")
    if reason is not None:
        reason = reason.strip()
        if len(reason) > 20_000:
            raise Invalid("A reason is at most 20,000 characters.")
    stamp = now()
    with transaction(db):
        latest = latest_version(db, claim_id)
        if latest is not None and published_version not in (None, latest["version"]):
            raise Conflict(latest)
        claim = _row(
            db, "SELECT id, article_id, text, version FROM claims WHERE id = ?", (claim_id,)
        )
        if claim is None:
            raise NotFound(f"claim {claim_id}")
        changed = False
        if wording is not None and wording["text"] != claim["text"]:
            changed = True
            change_claim(db, claim_id, claim["version"], user_id, wording, "correct")
        final = _row(
            db, "SELECT rating, reason FROM final_verdicts WHERE claim_id = ?", (claim_id,)
        )
        wanted = {
            "rating": rating if rating is not None else (final or {}).get("rating"),
            "reason": reason if reason is not None else (final or {}).get("reason", ""),
        }
        if wanted["rating"] is not None and (
            final is None
            or (final["rating"], final["reason"]) != (wanted["rating"], wanted["reason"])
        ):
            changed = True
            if final is None:
                db.execute(
                    "INSERT INTO final_verdicts (claim_id, rating, reason, decided_by,"
                    " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (claim_id, wanted["rating"], wanted["reason"], user_id, stamp, stamp),
                )
            else:
                db.execute(
                    "UPDATE final_verdicts SET rating = ?, reason = ?, decided_by = ?,"
                    " version = version + 1, updated_at = ? WHERE claim_id = ?",
                    (wanted["rating"], wanted["reason"], user_id, stamp, claim_id),
                )
            _audit(
                db,
                user_id=user_id,
                action="correct",
                table="final_verdicts",
                row_id=claim_id,
                claim_id=claim_id,
                article_id=claim["article_id"],
                before=final,
                after=wanted | {"note": note},
            )
        if latest is None:  # (not published yet: a change at the desk, with its note)
            if not changed:
                raise Invalid("Nothing changed: change the wording, the verdict or its reason.")
            _audit(
                db,
                user_id=user_id,
                action="note",
                table="claims",
                row_id=claim_id,
                claim_id=claim_id,
                article_id=claim["article_id"],
                after={"note": note},
            )
            return None
        version = _correct_live(db, claim_id, user_id, note, stamp)
        if version is None:
            raise Invalid(
                "Nothing differs from the published version: change the wording, the verdict"
                " or its reason first."
            )
    return version


def withdraw_claim(
    db: Database,
    claim_id: int,
    user_id: int,
    note: str,
    published_version: int | None = None,
) -> dict[str, Any]:
    """Withdraw a published claim: a ``withdrawn`` version with ``note`` (its public page
    says when and why). The live claim stays as it is."""
    note = _note(note, "Withdrawing a claim")
    stamp = now()
    with transaction(db):
        latest = latest_version(db, claim_id)
        if latest is None:
            raise Invalid("This claim is not published.")
        if published_version is not None and latest["version"] != published_version:
            raise Conflict(latest)
        if latest["status"] == "withdrawn":
            raise Invalid("This claim is withdrawn already.")
        version_id = _insert_version(
            db,
            latest,
            latest["article"],
            version=latest["version"] + 1,
            status="withdrawn",
            note=note,
            changes={"status": {"before": "published", "after": "withdrawn"}},
            user_id=user_id,
            stamp=stamp,
        )
        _audit(
            db,
            user_id=user_id,
            action="withdraw",
            table="published_claims",
            row_id=version_id,
            claim_id=claim_id,
            article_id=latest["article_id"],
            before={"version": latest["version"]},
            after={"version": latest["version"] + 1, "note": note},
        )
    return latest_version(db, claim_id)


# Reading the published record ----------------------------------------------------------------


def article_publications(db: Database, article_id: int) -> list[dict[str, Any]]:
    """The article's publications and withdrawals, oldest first."""
    rows = _rows(
        db,
        "SELECT p.*, u.username FROM article_publications p"
        " LEFT JOIN users u ON u.id = p.user_id WHERE p.article_id = ? ORDER BY p.id",
        (article_id,),
    )
    for row in rows:
        row["article"] = json.loads(row["article"])
    return rows


def _legacy_corrections(db: Database, claim_ids: Sequence[int]) -> dict[int, list[dict]]:
    """Corrections of final ratings made before published versions existed (m002), by claim."""
    found: dict[int, list[dict[str, Any]]] = {}
    for row in _rows(
        db,
        "SELECT claim_id, before_rating, after_rating, note, at FROM corrections"
        " WHERE published_claim_id IS NULL AND claim_id IN (SELECT value FROM json_each(?))"
        " ORDER BY claim_id, id",
        (json.dumps(list(claim_ids)),),
    ):
        found.setdefault(row["claim_id"], []).append(row)
    return found


def _public_entry(
    versions: list[dict[str, Any]],
    legacy: list[dict[str, Any]],
    withdrawn_article: dict[str, Any] | None,
) -> dict[str, Any]:
    """A claim's published record: the latest version, the first publication, corrections."""
    latest = versions[-1]
    corrections = [
        {
            "version": v["version"],
            "at": v["published_at"],
            "note": v["note"],
            "changes": v["changes"],
            "status": v["status"],
        }
        for v in versions[1:]
    ] + [
        {
            "version": None,
            "at": k["at"],
            "note": k["note"],
            "changes": {"rating": {"before": k["before_rating"], "after": k["after_rating"]}},
            "status": "published",
        }
        for k in legacy
    ]
    corrections.sort(key=lambda k: k["at"])
    withdrawn = None
    if latest["status"] == "withdrawn":
        withdrawn = {"at": latest["published_at"], "note": latest["note"], "scope": "claim"}
    elif withdrawn_article is not None:
        withdrawn = {
            "at": withdrawn_article["at"],
            "note": withdrawn_article["note"],
            "scope": "article",
        }
    return {
        "claim_id": latest["claim_id"],
        "article_id": latest["article_id"],
        "version": latest,
        "first_published_at": versions[0]["published_at"],
        "modified_at": latest["published_at"],
        "corrections": corrections,
        "withdrawn": withdrawn,
    }


def _article_withdrawal(db: Database, article_id: int) -> dict[str, Any] | None:
    """The article's withdrawal when its latest publication event is one, else None."""
    row = _row(
        db,
        "SELECT action, note, at, article FROM article_publications WHERE article_id = ?"
        " ORDER BY id DESC LIMIT 1",
        (article_id,),
    )
    if row is None or row["action"] != "unpublish":
        return None
    return row


def _public_article_head(db: Database, article_id: int) -> dict[str, Any]:
    events = article_publications(db, article_id)
    if not events:
        raise NotFound(f"article {article_id}")
    body = db.execute("SELECT body FROM articles WHERE id = ?", (article_id,)).fetchone()[0]
    last_published = next(e for e in reversed(events) if e["action"] == "publish")
    latest = events[-1]
    return {
        "id": article_id,
        **last_published["article"],
        "first_published_at": events[0]["at"],
        "published_at": last_published["at"],
        "withdrawn": (
            {"at": latest["at"], "note": latest["note"]}
            if latest["action"] == "unpublish"
            else None
        ),
        "body": body,
    }


def public_claim(db: Database, claim_id: int) -> dict[str, Any]:
    """The published record of a claim (see :func:`_public_entry`) with its ``article``
    (the latest version's details, ``id``, ``body``); :class:`NotFound` for a claim that was
    never published (whether it exists or not). Read from one snapshot."""
    with snapshot(db) as snap:
        versions = claim_versions(snap, claim_id)
        if not versions:
            raise NotFound(f"claim {claim_id}")
        article_id = versions[-1]["article_id"]
        entry = _public_entry(
            versions,
            _legacy_corrections(snap, [claim_id]).get(claim_id, []),
            _article_withdrawal(snap, article_id),
        )
        head = _public_article_head(snap, article_id)
        entry["article"] = head | versions[-1]["article"]
        return entry


def public_article(db: Database, article_id: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A published (or once published) article's details (``withdrawn`` when it is
    withdrawn) and the published records of its claims in reading order, withdrawn ones
    included; :class:`NotFound` for an article never published. Read from one snapshot."""
    with snapshot(db) as snap:
        head = _public_article_head(snap, article_id)
        versions: dict[int, list[dict[str, Any]]] = {}
        for row in _rows(
            snap,
            f"{_VERSION_SELECT} WHERE p.article_id = ? ORDER BY p.claim_id, p.version",
            (article_id,),
        ):
            versions.setdefault(row["claim_id"], []).append(_version_from_row(row))
        legacy = _legacy_corrections(snap, list(versions))
        withdrawal = _article_withdrawal(snap, article_id)
        entries = [
            _public_entry(found, legacy.get(claim_id, []), withdrawal)
            for claim_id, found in versions.items()
        ]
    entries.sort(key=lambda e: (e["version"]["start"], e["version"]["end"], e["claim_id"]))
    return head, entries


def published_entries(db: Database, claim_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    """The published records (see :func:`_public_entry`) of those of ``claim_ids`` that were
    published, by claim id (for exports: one query for the versions, one for legacy
    corrections, one for article withdrawals)."""
    versions: dict[int, list[dict[str, Any]]] = {}
    ids = json.dumps(list(claim_ids))
    try:
        rows = _rows(
            db,
            f"{_VERSION_SELECT} WHERE p.claim_id IN (SELECT value FROM json_each(?))"
            " ORDER BY p.claim_id, p.version",
            (ids,),
        )
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return {}  # (a database before m009: nothing was published as versions)
        raise
    for row in rows:
        versions.setdefault(row["claim_id"], []).append(_version_from_row(row))
    if not versions:
        return {}
    legacy = _legacy_corrections(db, list(versions))
    withdrawals = {
        row["article_id"]: row
        for row in _rows(
            db,
            "SELECT p.article_id, p.action, p.note, p.at FROM article_publications p"
            " WHERE p.id IN (SELECT max(id) FROM article_publications"
            "   WHERE article_id IN (SELECT DISTINCT article_id FROM published_claims"
            "     WHERE claim_id IN (SELECT value FROM json_each(?))) GROUP BY article_id)"
            " AND p.action = 'unpublish'",
            (ids,),
        )
    }
    return {
        claim_id: _public_entry(
            found, legacy.get(claim_id, []), withdrawals.get(found[-1]["article_id"])
        )
        for claim_id, found in versions.items()
    }


def version_record(entry: dict[str, Any], scale: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """A published record (:func:`_public_entry` with ``article``) as a claim record of the
    exports' shape (see :mod:`factcheck.export`), read from its latest version only: for the
    ClaimReview of published claims (``published_at`` the first publication, ``modified_at``
    the latest version's date)."""
    version = entry["version"]
    entry_of = {e["key"]: e for e in scale}.get(version["rating"], {})
    article = entry.get("article") or version["article"]
    return {
        "article": {"id": version["article_id"]} | {k: article.get(k) for k in ARTICLE_KEYS},
        "claim": {
            "id": version["claim_id"],
            "start": version["start"],
            "end": version["end"],
            "quote": version["quote"],
            "text": version["text"],
            "claimant": version["claimant"],
            "claimant_kind": version["claimant_kind"],
        },
        "verdicts": [],
        "final": {
            "rating": version["rating"],
            "label": entry_of.get("label", version["rating"]),
            "value": entry_of.get("value"),
            "reason": version["reason"],
            "decided_at": version["published_at"],
            "decided_by": None,
        },
        "published_at": entry["first_published_at"],
        "modified_at": entry["modified_at"],
    }


def as_published(record: dict[str, Any], scale: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """An export record read from its claim's published record only (``record["published"]``,
    see :func:`published_json`): the wording, quote, claimant, final verdict and article
    details of the latest version, ``published_at`` its first publication, ``modified_at`` its
    latest version, no reviewers' verdicts. None for a claim that is not public now (never
    published, or withdrawn)."""
    published = record.get("published")
    if not published or published["status"] != "published" or record.get("claim") is None:
        return None
    entry = {e["key"]: e for e in scale}.get(published["rating"], {})
    claim = dict(record["claim"])
    for key in ("text", "quote", "claimant", "claimant_kind"):
        claim[key] = published[key]
    # What a published version does not hold (how the live wording was made, where the live
    # claimant is named) is left out rather than read from the live claim.
    for key in ("claimant_start", "claimant_end", "wording_source"):
        if key in claim:
            claim[key] = None
    if "wording_spans" in claim:
        claim["wording_spans"] = []
    claim["updated_at"] = published["modified_at"]  # (not the live claim's last edit)
    claim["dismissed"] = False  # (a live dismissal changes nothing public)
    return record | {
        "article": record["article"] | published["article"],
        "claim": claim,
        "verdicts": [],
        "final": {
            "rating": published["rating"],
            "label": published["label"],
            "value": entry.get("value"),
            "reason": published["reason"],
            "decided_at": published["modified_at"],
            "decided_by": None,
        },
        "published_at": published["first_published_at"],
        "modified_at": published["modified_at"],
    }


def published_view(
    records: Iterable[dict[str, Any]],
    scale: Sequence[dict[str, Any]],
    *,
    unpublished: bool,
) -> Iterator[dict[str, Any]]:
    """Export records with every published claim read from its published record
    (:func:`as_published`) and withdrawn ones left out; claims never published are kept
    as they are when ``unpublished`` (a ClaimReview preview of the desk's own decisions),
    else left out. Records of articles without claims pass through."""
    for record in records:
        if record.get("claim") is None:
            yield record
        elif record.get("published") is None:
            if unpublished:
                yield record
        else:
            shown = as_published(record, scale)
            if shown is not None:
                yield shown


# The published record of export records, as JSON text built by SQLite (the exports' fast
# paths write it as it comes; the record path parses it): ``"label"`` holds char(3) until
# :func:`with_label` puts the configured scale's label there.
_LABEL_MARK = '"label":"\\u0003"'
_PUBLISHED_JSON_SQL = """
    WITH l AS (
        SELECT p.*, (p.version - 1) + (SELECT count(*) FROM corrections k
                WHERE k.claim_id = p.claim_id AND k.published_claim_id IS NULL) AS fixes,
            CASE WHEN p.status = 'withdrawn' OR w.action = 'unpublish' THEN 'withdrawn'
                ELSE 'published' END AS shown,
            w.action AS w_action, w.note AS w_note, w.at AS w_at
        FROM published_claims p
        LEFT JOIN article_publications w ON w.id = (SELECT max(e.id)
            FROM article_publications e WHERE e.article_id = p.article_id)
        WHERE p.article_id BETWEEN :first AND :last
        AND NOT EXISTS (SELECT 1 FROM published_claims m
            WHERE m.claim_id = p.claim_id AND m.version = p.version + 1)
    )
    SELECT l.claim_id, l.version, l.shown, l.fixes, l.rating,
        CASE WHEN :full OR l.fixes > 0 THEN json_object(
            'version', l.version,
            'status', l.shown,
            'first_published_at', CASE WHEN l.version = 1 THEN l.published_at ELSE
                (SELECT f.published_at FROM published_claims f
                 WHERE f.claim_id = l.claim_id AND f.version = 1) END,
            'modified_at', l.published_at,
            'withdrawn', CASE
                WHEN l.status = 'withdrawn' THEN json_object('at', l.published_at,
                    'note', l.note, 'scope', 'claim')
                WHEN l.w_action = 'unpublish' THEN json_object('at', l.w_at, 'note', l.w_note,
                    'scope', 'article') END,
            'text', l.text, 'quote', l.quote, 'claimant', l.claimant,
            'claimant_kind', l.claimant_kind, 'rating', l.rating, 'label', char(3),
            'reason', l.reason, 'sources', json(l.sources), 'article', json(l.article),
            'corrections', CASE WHEN l.fixes = 0 THEN json_array() ELSE (
                SELECT json_group_array(json(cj)) FROM (
                    SELECT v.published_at AS at, 0 AS src, v.version AS ord, json_object(
                        'version', v.version, 'at', v.published_at, 'note', v.note,
                        'changes', json(v.changes)) AS cj
                    FROM published_claims v WHERE v.claim_id = l.claim_id AND v.version > 1
                    UNION ALL
                    SELECT k.at, 1, k.id, json_object('version', NULL, 'at', k.at,
                        'note', k.note, 'changes', json_object('rating', json_object(
                            'before', k.before_rating, 'after', k.after_rating)))
                    FROM corrections k WHERE k.claim_id = l.claim_id
                        AND k.published_claim_id IS NULL
                    ORDER BY at, src, ord)) END) END
    FROM l
"""


def published_json(
    db: Database,
    claim_ids: Sequence[int],
    first_article: int,
    last_article: int,
    full: bool = True,
) -> dict[int, tuple[Any, ...]]:
    """What export records carry of the published claims among ``claim_ids`` (their
    ``"published"`` key), by claim id: ``(version, status, corrections, rating, json)``,
    ``status``
    published or withdrawn (the claim or its whole article), ``corrections`` how many, and
    the record as JSON text (see :func:`with_label`): the latest version (``version``,
    ``status``, its content), the first publication's and the latest version's dates, the
    ``withdrawn`` notice (when, why, ``scope`` claim or article) and every correction
    (version, date, note and ``changes`` as ``{field: {"before", "after"}}``; a correction
    of a final rating made before m009 has version null). The claims are of the articles
    ``first_article`` to ``last_article``: one range query over them (cheaper than looking
    the ids up one by one); none before m009. Without ``full`` (the CSV export) the JSON is
    built only for claims with corrections (None for the others)."""
    try:
        rows = db.conn.execute(
            _PUBLISHED_JSON_SQL, {"full": full, "first": first_article, "last": last_article}
        ).fetchall()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return {}
        raise
    if not rows:
        return {}
    wanted = set(claim_ids)
    return {row[0]: tuple(row[1:]) for row in rows if row[0] in wanted}


def with_label(entry: tuple[Any, ...], labels: dict[str, str]) -> str:
    """The JSON text of an entry of :func:`published_json` with its rating's label in place."""
    label = json.dumps(labels.get(entry[3], entry[3]), ensure_ascii=False)
    return entry[4].replace(_LABEL_MARK, '"label":' + label, 1)


# The publish check ---------------------------------------------------------------------------

#: The check's lists of claims, in the order the page shows them.
CHECK_LISTS = ("unanimous", "unsettled", "no_verdict", "settled", "published", "withdrawn")


def publish_state(db: Database, article_id: int) -> str:
    """What publishing the article now would put out, as a short text: the article's version,
    then each settled claim (final verdict, not dismissed) without a published version yet as
    ``claim:claim version:final version``. The check page hands it to the confirm form, so
    that a claim settled, unsettled or changed in between (or another publishing) is
    noticed."""
    article = _row(db, "SELECT version FROM articles WHERE id = ?", (article_id,))
    if article is None:
        raise NotFound(f"article {article_id}")
    unpublished = (
        " AND NOT EXISTS (SELECT 1 FROM published_claims p WHERE p.claim_id = c.id)"
        if versioned(db)
        else ""
    )
    settled = db.execute(
        "SELECT c.id, c.version, f.version FROM claims c JOIN final_verdicts f"
        f" ON f.claim_id = c.id WHERE c.article_id = ? AND NOT c.dismissed{unpublished}"
        " ORDER BY c.id",
        (article_id,),
    ).fetchall()
    return f"a{article['version']};" + ",".join(f"{c}:{v}:{f}" for c, v, f in settled)


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


def _state_claims(state: str) -> dict[int, str]:
    """Settled claim id -> its ``version:final version`` in a :func:`publish_state` text."""
    _, _, claims = state.partition(";")
    found = {}
    for item in claims.split(","):
        claim, _, versions = item.partition(":")
        if claim.isdigit():
            found[int(claim)] = versions
    return found


def state_changes(confirmed: str, current: str) -> dict[str, list[int]]:
    """How the state the editor confirmed differs from the current one: claims ``settled``
    since, ``unsettled`` since (dismissed), and ``changed`` (wording or final verdict)."""
    before, after = _state_claims(confirmed), _state_claims(current)
    return {
        "settled": sorted(set(after) - set(before)),
        "unsettled": sorted(set(before) - set(after)),
        "changed": sorted(c for c in set(before) & set(after) if before[c] != after[c]),
    }


def unanimous_minimum(db: Database) -> int:
    """How many verdicts make an agreement unanimous: two, or one on a desk that assigns one
    reviewer per article."""
    from .desk import get_settings

    return min(2, get_settings(db)["reviewers_per_article"])


def _live_claims(db: Database, article_id: int) -> list[dict[str, Any]]:
    """The article's claims (dismissed too) with their reviewers' current ratings (a verdict
    an editor returned counts again once saved again) and final verdict."""
    from .discussion import current_verdict_sql

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
