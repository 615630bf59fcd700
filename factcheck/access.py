"""Who may see and do what. Every view and API endpoint asks here.

Roles: admins and editors see every article and every verdict; reviewers see the articles
assigned to them (or that they added), and, while blind review is on, other reviewers'
verdicts on a claim only once they have saved their own. Nobody edits another person's verdict.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlite_utils import Database

from . import store

EDITOR_ROLES = ("admin", "editor")
# Who the command line acts as where a user is asked for: whoever can open the database file
# sees the whole desk, as an admin does (no account: its id matches no verdict).
OPERATOR: dict[str, Any] = {"id": None, "username": None, "role": "admin"}


def is_editor(user: dict[str, Any] | None) -> bool:
    """Admins and editors."""
    return bool(user) and user["role"] in EDITOR_ROLES


def is_admin(user: dict[str, Any] | None) -> bool:
    """Admins only."""
    return bool(user) and user["role"] == "admin"


def can_view_article(db: Database, user: dict[str, Any] | None, article_id: int) -> bool:
    """Editors see everything; reviewers their assigned articles and the ones they added."""
    if user is None:
        return False
    if is_editor(user):
        return True
    return store.is_assigned(db, article_id, user["id"])


def require_article(db: Database, user: dict[str, Any] | None, article_id: int) -> None:
    """Raise NotFound when the user may not see the article (no hint that it exists)."""
    if not can_view_article(db, user, article_id):
        raise store.NotFound(f"article {article_id}")


def can_edit_article(user: dict[str, Any] | None, article: dict[str, Any]) -> bool:
    """Who may change an article's details (its publication date): editors, admins and the
    user who added it."""
    if user is None:
        return False
    return is_editor(user) or (
        article.get("created_by") is not None and article["created_by"] == user["id"]
    )


def sees_others(db: Database, user: dict[str, Any], claim_id: int, blind: bool) -> bool:
    """Whether the user may see other reviewers' verdicts on the claim now."""
    if is_editor(user) or not blind:
        return True
    return store.get_verdict(db, claim_id, user["id"]) is not None


def visible_history(
    db: Database, user: dict[str, Any], claim_id: int, entries: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The entries of the claim's history (:func:`factcheck.store.claim_history`) the user may
    see: all of them, except that under blind review a reviewer who has not given a verdict
    yet sees only the claim's changes and proposals (and their own verdict's entries)."""
    if sees_others(db, user, claim_id, store.get_settings(db)["blind_verdicts"]):
        return entries
    return [
        e
        for e in entries
        if e["table_name"] in ("claims", "claim_proposals")
        or (e["table_name"] == "verdicts" and e["username"] == user["username"])
    ]


def visible_claim_ids(db: Database, user: dict[str, Any], article_id: int, blind: bool) -> set[int]:
    """Claims of the article whose other verdicts the user may see."""
    if is_editor(user) or not blind:
        return {c["id"] for c in store.list_claims(db, article_id)}
    return store.claims_with_verdict_by(db, article_id, user["id"])


def own_counts(db: Database, user: dict[str, Any], articles: list[dict[str, Any]]) -> bool:
    """Under blind review, make a reviewer's article rows (``store.list_articles``) count only
    what they may see: the claims with their own verdict (``reviewed``) and of those the
    settled ones (``settled``), never how many verdicts the others gave. True when it did."""
    if is_editor(user) or not store.get_settings(db)["blind_verdicts"]:
        return False
    from .store import flow

    mine = flow.visible_progress(db, user["id"])
    for row in articles:
        own = mine.get(row["id"], {"reviewed": 0, "settled": 0})
        row["reviewed"], row["settled"] = own["reviewed"], own["settled"]
    return True


def filter_record(
    record: dict[str, Any],
    user: dict[str, Any],
    visible: set[int],
    editors: Collection[str] = (),
) -> dict[str, Any]:
    """Remove what the user may not see yet from an export record.

    Before their own verdict (blind review) a reviewer sees neither the other verdicts nor the
    final verdict and its corrections, in the panel, the API and every export alike; of the
    claim's comments, what :func:`visible_comments` shows them (``editors``: the usernames of
    editors, :func:`editor_names`; without them only their own comments and the hand-backs
    of their own verdict are kept).
    """
    claim = record.get("claim")
    if claim is None or claim["id"] in visible:
        return record
    own = [v for v in record["verdicts"] if v["reviewer"] == user["username"]]
    return (
        record
        | {
            "verdicts": own,
            "hidden_verdicts": len(record["verdicts"]) - len(own),
            "final": None,
            "corrections": [],
        }
        | ({"published": None} if "published" in record else {})
        | (
            {"comments": _visible_thread(record["comments"], user["username"], editors)}
            if "comments" in record
            else {}
        )
    )


def _visible_thread(
    comments: list[dict[str, Any]], name: str, editors: Collection[str]
) -> list[dict[str, Any]]:
    """An export record's comments a reviewer sees before their own verdict (blind review), as
    :func:`visible_comments` decides for the thread: their own, and the editors' other than
    hand-backs of another reviewer's verdict."""
    return [
        c
        for c in comments
        if c["by"] == name
        or (c["kind"] == "return" and (c["returned"] or {}).get("reviewer") == name)
        or (c["kind"] != "return" and c["by"] in editors)
    ]


def editor_names(db: Database) -> frozenset[str]:
    """The usernames of the desk's editors and admins (for :func:`filter_record`)."""
    return frozenset(u["username"] for u in store.list_users(db) if u["role"] in EDITOR_ROLES)


def search_scope(user: dict[str, Any], blind: bool) -> dict[str, Any]:
    """What a claim search may return to the user (arguments of
    :func:`factcheck.store.search_claims`): editors search every article, reviewers the
    articles they may see; a final verdict counts in the ranking only where the user may
    see it."""
    editor = is_editor(user)
    return {
        "visible_to": None if editor else user["id"],
        "viewer_id": user["id"],
        "sees_all_finals": editor or not blind,
    }


def filter_search_results(
    user: dict[str, Any], results: list[dict[str, Any]], blind: bool
) -> list[dict[str, Any]]:
    """Search results (:func:`factcheck.store.search_claims`) as records (``claim``,
    ``verdicts``, ``final``) with what the user may not see yet removed by
    :func:`filter_record`: under blind review a reviewer sees the other verdicts and the
    final verdict of a result only once they gave their own verdict on that claim."""
    visible = {r["id"] for r in results if is_editor(user) or not blind or r["own"]}
    return [
        filter_record(
            {
                "claim": {k: v for k, v in r.items() if k not in ("verdicts", "final")},
                "verdicts": r["verdicts"],
                "final": r["final"],
                "corrections": [],
            },
            user,
            visible,
        )
        for r in results
    ]


# Shaping claims: wording, claimant, dismissal ------------------------------------------------

DIRECT, PROPOSE, CORRECTION = "direct", "propose", "correction"


def claim_shaping(
    db: Database,
    user: dict[str, Any],
    article: dict[str, Any],
    settings: dict[str, Any] | None = None,
) -> str:
    """How the user may change a claim of ``article`` (its wording, claimant, dismissal):

    - ``"direct"``: change it (editors and admins before publication; reviewers too while the
      desk setting ``reviewers_shape_claims`` is on);
    - ``"propose"``: propose the change to an editor (reviewers; always once published);
    - ``"correction"``: the article is published and the user is an editor: the live claim
      changes only through a correction with a note.

    ``article`` needs its ``published_at``; ``settings``: the desk's, when the caller has read
    them already. The caller checks first that the user may see it.
    """
    published = article.get("published_at") is not None
    if is_editor(user):
        return CORRECTION if published else DIRECT
    if settings is None:
        settings = store.get_settings(db)
    if not published and settings["reviewers_shape_claims"]:
        return DIRECT
    return PROPOSE


def can_shape_claim(db: Database, user: dict[str, Any], article: dict[str, Any]) -> bool:
    """Whether the user changes the claims of ``article`` directly (see :func:`claim_shaping`)."""
    return claim_shaping(db, user, article) == DIRECT


def can_decide_proposals(user: dict[str, Any] | None) -> bool:
    """Editors and admins accept or reject reviewers' proposals."""
    return is_editor(user)


def can_view_import(user: dict[str, Any] | None, row: dict[str, Any]) -> bool:
    """Whether ``user`` may follow an import (from a web address, or a bulk import's batch):
    whoever started it, editors and admins. Others get "not found"."""
    return user is not None and (row["user_id"] == user["id"] or is_editor(user))


# Discussion: comments, hand-back, mentions -----------------------------------------------------


def visible_comments(
    db: Database,
    user: dict[str, Any],
    claim_id: int,
    comments: list[dict[str, Any]],
    blind: bool,
    sees: bool | None = None,
) -> tuple[list[dict[str, Any]], int]:
    """The comments of the claim's thread the user may see now, and how many are hidden.

    Everyone who may see the claim sees its thread, except that under blind review a reviewer
    who has not saved their own verdict yet sees, like verdicts, no other reviewer's comments
    and no editor's hand-back of another reviewer's verdict (both may speak of a verdict);
    their own comments and the editors' other comments they see. ``comments`` are
    :func:`factcheck.store.list_comments`'s; ``sees``: :func:`sees_others`, when the caller
    knows it already."""
    if sees is None:
        sees = sees_others(db, user, claim_id, blind)
    if is_editor(user) or not blind or sees:
        return comments, 0
    shown = [
        c
        for c in comments
        if c["user_id"] == user["id"]
        or (
            c["author_role"] in EDITOR_ROLES
            and (c["kind"] != "return" or c["returned_reviewer_id"] == user["id"])
        )
    ]
    return shown, len(comments) - len(shown)


def mention_audience(
    db: Database, author: dict[str, Any], claim: dict[str, Any], kind: str, blind: bool
) -> Any:
    """Who hears of a ``@mention`` in the author's comment of ``kind`` on the claim: a
    function of a mentioned user giving "full" (the inbox item quotes the comment),
    "hidden" (blind review hides the comment from them until they save a verdict: the item
    says only that they were mentioned) or None (they may not see the claim: not told)."""

    def audience(user: dict[str, Any]) -> str | None:
        if not can_view_article(db, user, claim["article_id"]):
            return None
        comment = {
            "user_id": author["id"],
            "author_role": author["role"],
            "kind": kind,
            "returned_reviewer_id": None,
        }
        shown, _ = visible_comments(db, user, claim["id"], [comment], blind)
        return "full" if shown else "hidden"

    return audience


def can_return_verdicts(user: dict[str, Any] | None) -> bool:
    """Editors and admins return a reviewer's verdict to them with a comment."""
    return is_editor(user)
