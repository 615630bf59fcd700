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
from collections.abc import Sequence
from typing import Any

from sqlite_utils import Database

from .base import Conflict, Invalid, NotFound, _audit, _row, _rows, now, transaction
from .claimants import checked_claimant, claimant_changes
from .claims import change_claim, wording_changes

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
    claimant: tuple[str | None, str | None] | None = None,
    rating: str | None = None,
    reason: str | None = None,
    ratings: Sequence[str] = (),
    published_version: int | None = None,
) -> dict[str, Any] | None:
    """An editor's correction of a published claim: change the live wording, the claimant
    (``(name, kind)``, ``(None, None)`` for the publication itself), the final rating and
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
    if claimant is not None:
        claimant = checked_claimant(*claimant)
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
            claim = change_claim(db, claim_id, claim["version"], user_id, wording, "correct")
        if claimant is not None:
            before = claim["version"]
            claim = change_claim(
                db, claim_id, before, user_id, claimant_changes(db, *claimant), "correct"
            )
            changed = changed or claim["version"] != before
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
                raise Invalid(
                    "Nothing changed: change the wording, the claimant, the verdict or its reason."
                )
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
                "Nothing differs from the published version: change the wording, the claimant,"
                " the verdict or its reason first."
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


# What publishing now would put out (the publish check confirms it) ----------------------


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
