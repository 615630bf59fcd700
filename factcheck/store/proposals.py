"""Reviewers' proposals to change a claim, and editors' decisions on them.

A reviewer proposes a new wording, a dismissal, a restore or a claimant of a claim, with an
optional reason; a user has at most one open proposal on a claim (a new one replaces it, and says so
in the history). An editor (or admin) accepts or rejects it with an optional note. Accepting
applies the change to the claim version the proposal was made on, through the one versioned
claim update (:func:`factcheck.store.change_claim`): a claim changed since is a
:class:`~factcheck.store.Conflict`, and the editor may accept again over the current version.
Every step is one transaction with its audit entry, so the claim's history lists them all.

Who may shape a claim directly, who proposes and who makes a correction instead is decided in
:func:`factcheck.access.claim_shaping`; this module only checks that a decision is an
editor's and that a published claim is not changed here.
"""

from __future__ import annotations

from typing import Any

from sqlite_utils import Database

from .base import Conflict, Invalid, NotFound, _audit, _row, _rows, now, transaction
from .claimants import checked_claimant, claimant_changes
from .claims import change_claim, dismissal_changes, wording_changes
from .discussion import proposal_closed, proposal_waiting
from .publish import _correct_live as correct_live  # (in the caller's transaction, as desk's)
from .publish import latest_version

KINDS = ("wording", "dismiss", "restore", "claimant")
MAX_REASON = 5000


class PublishedClaim(Invalid):
    """The claim's article is published: its live wording and dismissal change only through an
    editor's correction, never through a proposal or a plain edit."""

    def __init__(self, claim_id: int, article_id: int):
        super().__init__(
            "This article is published: its claims change only through an editor's"
            " correction with a note (published: make a correction)."
        )
        self.claim_id = claim_id
        self.article_id = article_id


_SELECT = (
    "SELECT p.*, u.username, d.username AS decided_by_name,"
    " c.text AS claim_text, c.version AS claim_version, c.dismissed AS claim_dismissed,"
    " c.article_id, a.title AS article_title, a.published_at AS article_published_at"
    " FROM claim_proposals p JOIN claims c ON c.id = p.claim_id"
    " JOIN articles a ON a.id = c.article_id"
    " LEFT JOIN users u ON u.id = p.user_id LEFT JOIN users d ON d.id = p.decided_by"
)


def _shaped(row: dict[str, Any]) -> dict[str, Any]:
    row["claim_dismissed"] = bool(row["claim_dismissed"])
    # The claim moved on since the proposal was made (accepting it is then a conflict).
    row["stale"] = row["claim_version"] != row["base_version"]
    return row


def get_proposal(db: Database, proposal_id: int) -> dict[str, Any]:
    """The proposal with its author's name, its claim's current state and its article."""
    row = _row(db, _SELECT + " WHERE p.id = ?", (proposal_id,))
    if row is None:
        raise NotFound(f"proposal {proposal_id}")
    return _shaped(row)


def open_proposal(db: Database, claim_id: int, user_id: int) -> dict[str, Any] | None:
    """The user's open proposal on the claim, or None."""
    row = _row(
        db,
        _SELECT + " WHERE p.claim_id = ? AND p.user_id = ? AND p.status = 'open'",
        (claim_id, user_id),
    )
    return _shaped(row) if row else None


def last_decided_proposal(db: Database, claim_id: int, user_id: int) -> dict[str, Any] | None:
    """The user's latest proposal on the claim that an editor decided on, or None."""
    row = _row(
        db,
        _SELECT + " WHERE p.claim_id = ? AND p.user_id = ? AND p.status IN ('accepted', 'rejected')"
        " ORDER BY p.decided_at DESC, p.id DESC LIMIT 1",
        (claim_id, user_id),
    )
    return _shaped(row) if row else None


def panel_proposals(
    db: Database, claim_id: int, user_id: int, *, every_open: bool, decided: bool
) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """What a claim's panel shows of its proposals, in one read: the open ones, oldest first
    (``every_open``: all of the claim's, as an editor decides them; else the user's own: at
    most one), and with ``decided`` the user's latest proposal an editor decided on
    (:func:`last_decided_proposal`), else None."""
    mine = "" if every_open else " AND p.user_id = :user"
    sql = f"SELECT * FROM ({_SELECT} WHERE p.claim_id = :claim AND p.status = 'open'{mine})"
    if decided:
        sql += (
            f" UNION ALL SELECT * FROM ({_SELECT} WHERE p.claim_id = :claim"
            " AND p.user_id = :user AND p.status IN ('accepted', 'rejected')"
            " ORDER BY p.decided_at DESC, p.id DESC LIMIT 1)"
        )
    rows = [_shaped(row) for row in _rows(db, sql, {"claim": claim_id, "user": user_id})]
    found = sorted((row for row in rows if row["status"] == "open"), key=lambda row: row["id"])
    last = next((row for row in rows if row["status"] != "open"), None)
    return found, last


def list_open_proposals(db: Database, claim_id: int | None = None) -> list[dict[str, Any]]:
    """Open proposals, oldest first: all of the desk's, or the claim's."""
    if claim_id is None:
        rows = _rows(db, _SELECT + " WHERE p.status = 'open' ORDER BY p.id")
    else:
        rows = _rows(
            db, _SELECT + " WHERE p.status = 'open' AND p.claim_id = ? ORDER BY p.id", (claim_id,)
        )
    return [_shaped(row) for row in rows]


def count_open_proposals(db: Database) -> int:
    """How many proposals wait for an editor."""
    return db.execute("SELECT count(*) FROM claim_proposals WHERE status = 'open'").fetchone()[0]


def _claim_for_change(db: Database, claim_id: int) -> dict[str, Any]:
    claim = _row(
        db,
        "SELECT c.id, c.text, c.version, c.dismissed, c.claimant, c.claimant_kind, c.article_id,"
        " a.published_at"
        " FROM claims c JOIN articles a ON a.id = c.article_id WHERE c.id = ?",
        (claim_id,),
    )
    if claim is None:
        raise NotFound(f"claim {claim_id}")
    return claim


def _state(proposal: dict[str, Any]) -> dict[str, Any]:
    state = {"kind": proposal["kind"], "reason": proposal["reason"]}
    if proposal["kind"] == "wording":
        state |= {"old": proposal["base_text"], "new": proposal["text"]}
    elif proposal["kind"] == "claimant":
        state |= {
            "old": _claimant_text(proposal["base_claimant"], proposal["base_claimant_kind"]),
            "new": _claimant_text(proposal["claimant"], proposal["claimant_kind"]),
        }
    return state


def _claimant_text(claimant: str | None, kind: str | None) -> str:
    """A claimant as the history shows it: "Name (kind)", or the publication."""
    return f"{claimant} ({kind})" if claimant else "the publication"


def propose(
    db: Database,
    claim_id: int,
    user_id: int,
    kind: str,
    text: str | None,
    reason: str | None,
    claim_version: int | None,
    *,
    claimant: str | None = None,
    claimant_kind: str | None = None,
) -> dict[str, Any]:
    """Propose a change to the claim as it is at ``claim_version`` (the version the user saw):
    a new wording (``text``), a dismissal, a restore or a claimant (``claimant`` and
    ``claimant_kind``; no name: the publication). Replaces the user's open proposal on the
    claim, if any."""
    if kind not in KINDS:
        raise Invalid("Propose a new wording, a dismissal, a restore or a claimant.")
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON:
        raise Invalid(f"A reason is at most {MAX_REASON:,} characters.")
    if kind == "claimant":
        claimant, claimant_kind = checked_claimant(claimant, claimant_kind)
    else:
        claimant = claimant_kind = None
    stamp = now()
    with transaction(db):
        claim = _claim_for_change(db, claim_id)
        if claim_version is not None and claim["version"] != claim_version:
            raise Conflict(claim)
        if kind == "wording":
            text = wording_changes(text or "")["text"]
            if text == claim["text"]:
                raise Invalid("The proposed wording is the claim's wording now: change it first.")
        elif kind == "claimant":
            text = None
            if (claimant, claimant_kind) == (claim["claimant"], claim["claimant_kind"]):
                raise Invalid("That is the claim's claimant now: change it first.")
        else:
            text = None
            if (kind == "dismiss") == bool(claim["dismissed"]):
                raise Invalid(
                    "The claim is dismissed already."
                    if claim["dismissed"]
                    else "The claim is not dismissed."
                )
        before = _row(
            db,
            "SELECT * FROM claim_proposals WHERE claim_id = ? AND user_id = ? AND status = 'open'",
            (claim_id, user_id),
        )
        fields = {
            "kind": kind,
            "text": text,
            "base_text": claim["text"],
            "claimant": claimant,
            "claimant_kind": claimant_kind,
            "base_claimant": claim["claimant"],
            "base_claimant_kind": claim["claimant_kind"],
            "base_version": claim["version"],
            "reason": reason,
        }
        if before is None:
            cursor = db.execute(
                "INSERT INTO claim_proposals (claim_id, user_id, kind, text, base_text, claimant,"
                " claimant_kind, base_claimant, base_claimant_kind, base_version, reason,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (claim_id, user_id, *fields.values(), stamp, stamp),
            )
            proposal_id = cursor.lastrowid
        else:
            proposal_id = before["id"]
            db.execute(
                "UPDATE claim_proposals SET kind = ?, text = ?, base_text = ?, claimant = ?,"
                " claimant_kind = ?, base_claimant = ?, base_claimant_kind = ?, base_version = ?,"
                " reason = ?, version = version + 1, updated_at = ? WHERE id = ?",
                (*fields.values(), stamp, proposal_id),
            )
        after = {"kind": kind, "reason": reason}
        if kind in ("wording", "claimant"):
            state = _state(fields)
            after |= {"old": state["old"], "new": state["new"]}
        _audit(
            db,
            user_id=user_id,
            action="propose",
            table="claim_proposals",
            row_id=proposal_id,
            claim_id=claim_id,
            article_id=claim["article_id"],
            before=_state(before) if before else None,
            after=after,
        )
        if before is None:
            proposal_waiting(db, proposal_id, claim_id, user_id)
    return get_proposal(db, proposal_id)


def _open_for_update(db: Database, proposal_id: int, version: int | None) -> dict[str, Any]:
    proposal = _row(db, "SELECT * FROM claim_proposals WHERE id = ?", (proposal_id,))
    if proposal is None:
        raise NotFound(f"proposal {proposal_id}")
    if proposal["status"] != "open":
        raise Invalid(f"This proposal was {proposal['status']} already.")
    if version is not None and proposal["version"] != version:
        raise Conflict(get_proposal(db, proposal_id))
    return proposal


def _changes(db: Database, proposal: dict[str, Any]) -> tuple[Any, str]:
    """The claim changes accepting ``proposal`` makes, and their audit action."""
    if proposal["kind"] == "wording":
        return wording_changes(proposal["text"]), "edit"
    if proposal["kind"] == "claimant":
        changes = claimant_changes(db, proposal["claimant"], proposal["claimant_kind"])
        return changes, "set-claimant"
    return dismissal_changes(proposal["kind"] == "dismiss")


def _username(db: Database, user_id: int) -> str | None:
    row = _row(db, "SELECT username FROM users WHERE id = ?", (user_id,))
    return row["username"] if row else None


def withdraw_proposal(
    db: Database, proposal_id: int, user_id: int, version: int | None = None
) -> dict[str, Any]:
    """The author takes back their open proposal."""
    with transaction(db):
        proposal = _open_for_update(db, proposal_id, version)
        if proposal["user_id"] != user_id:
            raise NotFound(f"proposal {proposal_id}")  # (only the author's own)
        claim = _claim_for_change(db, proposal["claim_id"])
        db.execute(
            "UPDATE claim_proposals SET status = 'withdrawn', version = version + 1,"
            " updated_at = ? WHERE id = ?",
            (now(), proposal_id),
        )
        _audit(
            db,
            user_id=user_id,
            action="withdraw",
            table="claim_proposals",
            row_id=proposal_id,
            claim_id=proposal["claim_id"],
            article_id=claim["article_id"],
            before=_state(proposal),
        )
        proposal_closed(db, proposal, "withdrawn", user_id)
    return get_proposal(db, proposal_id)


def decide_proposal(
    db: Database,
    proposal_id: int,
    user_id: int,
    accept: bool,
    note: str | None = None,
    version: int | None = None,
    claim_version: int | None = None,
) -> dict[str, Any]:
    """An editor accepts or rejects an open proposal, with an optional ``note``.

    ``version`` is the proposal's version the editor saw (a proposal changed since is a
    :class:`Conflict`). Accepting applies the change to ``claim_version`` (default: the
    version the proposal was made on), so a claim changed since is a :class:`Conflict`
    whose ``current`` is the claim; accepting again with the claim's current version applies
    the proposal over it. On a published article, accepting a new wording or claimant is a
    correction: ``note`` is required and, when the claim has a published version, a new
    version is published with it; a dismissal or restore of such a claim is not made here
    (:class:`PublishedClaim`: withdraw or correct it on the correction page).
    """
    note = (note or "").strip()
    if len(note) > MAX_REASON:
        raise Invalid(f"A note is at most {MAX_REASON:,} characters.")
    stamp = now()
    with transaction(db):
        editor = _row(db, "SELECT role FROM users WHERE id = ?", (user_id,))
        if editor is None or editor["role"] not in ("admin", "editor"):
            raise Invalid("Only editors and admins decide on proposals.")
        proposal = _open_for_update(db, proposal_id, version)
        claim = _claim_for_change(db, proposal["claim_id"])
        if accept and claim["published_at"] is not None:
            # A published article's claim changes by a correction: a new wording or claimant
            # with the editor's note, published as a new version (store.publish), in this
            # transaction.
            # Dismissing or restoring one is a withdrawal or correction on its own page.
            if proposal["kind"] not in ("wording", "claimant"):
                raise PublishedClaim(claim["id"], claim["article_id"])
            if not note:
                raise Invalid(
                    "This article is published: accepting the proposal publishes a correction."
                    " Write its note (readers see it)."
                )
            change_claim(
                db,
                claim["id"],
                proposal["base_version"] if claim_version is None else claim_version,
                user_id,
                _changes(db, proposal)[0],
                "correct",
            )
            if latest_version(db, claim["id"]) is not None:
                correct_live(db, claim["id"], user_id, note, stamp)
        elif accept:
            changes, action = _changes(db, proposal)
            change_claim(
                db,
                claim["id"],
                proposal["base_version"] if claim_version is None else claim_version,
                user_id,
                changes,
                action,
            )
        status = "accepted" if accept else "rejected"
        db.execute(
            "UPDATE claim_proposals SET status = ?, decided_by = ?, decided_at = ?, note = ?,"
            " version = version + 1, updated_at = ? WHERE id = ?",
            (status, user_id, stamp, note, stamp, proposal_id),
        )
        _audit(
            db,
            user_id=user_id,
            action="accept" if accept else "reject",
            table="claim_proposals",
            row_id=proposal_id,
            claim_id=claim["id"],
            article_id=claim["article_id"],
            before=_state(proposal) | {"proposed_by": _username(db, proposal["user_id"])},
            after={"status": status, "note": note},
        )
        proposal_closed(db, proposal, status, user_id)
    return get_proposal(db, proposal_id)
