"""How a cited source's archive state reads in the panel and on the pages."""

from __future__ import annotations

from typing import Any

from ..store import evidence as records
from . import excerpts as excerpt_marks
from .urls import not_web_text

STATE_LABELS = {
    "pending": "waiting to be archived",
    "archiving": "archiving…",
    "archived": "archived",
    "failed": "archiving failed",
}
LINK_LABELS = {
    "alive": "alive",
    "changed": "changed since cited",
    "gone": "gone",
    "unreachable": "unreachable at the last check",
}


def entry_view(e: dict[str, Any]) -> dict[str, Any]:
    """A cited source's state, as the panel and the pages show it."""
    out = dict(e)
    refused = not_web_text(e.get("url")) if e.get("url") else ""
    if refused:  # (kept as typed; never fetched, never a link)
        out["shown_state"] = "not-web"
        out["state_text"] = refused
        return out
    if not e.get("record_id"):
        out["shown_state"] = "none"
        out["state_text"] = "no address: nothing to archive" if not e.get("url") else ""
        return out
    if e.get("archive_id"):
        out["shown_state"] = "archived"
        out["state_text"] = "archived " + (e.get("fetched_at") or "")[:16].replace("T", " ")
        if e.get("origin") == "import":
            out["state_text"] += " (imported details; no copy here)"
    else:
        out["shown_state"] = e["state"]
        out["state_text"] = STATE_LABELS.get(e["state"], e["state"])
    out["excerpt_text"] = excerpt_marks.label(e.get("excerpt_check"), e.get("excerpt_score"))
    out["link_text"] = LINK_LABELS.get(e.get("link_status") or "", "")
    return out


def panel_evidence(db: Any, verdict: dict[str, Any] | None) -> dict[str, Any]:
    """The user's saved sources with their archive state, for ``review/_evidence.html``
    (read with the verdict when it holds them: ``store.list_verdicts(..., evidence=True)``)."""
    if verdict is None:
        return {"entries": [], "waiting": False}
    entries = verdict.get("evidence")
    if entries is None:
        entries = records.verdict_evidence(db, [verdict["id"]]).get(verdict["id"], [])
    return {
        "entries": [entry_view(e) for e in entries],
        "waiting": records.waiting(entries),
    }


def record_state_text(record: dict[str, Any]) -> str:
    """A library record's archiving state for the Sources pages: ``archived``, ``archiving
    failed`` … or ``not archived: not a web address (javascript:)``."""
    return not_web_text(record.get("url")) or STATE_LABELS.get(record["state"], record["state"])


def archive_note(archive: dict[str, Any] | None, url: str | None = None) -> str:
    """A cited source's archive in a few words, for reports: ``archived 2026-12-07 (SHA-256
    ab12cd34ef56…), excerpt found in the archived copy, link gone`` (``not archived: not a
    web address (javascript:)`` for such a ``url``); empty when nothing is known yet."""
    if url and not_web_text(url):
        return not_web_text(url)
    if not archive:
        return ""
    bits = []
    if archive.get("archived_at"):
        bits.append(
            f"archived {str(archive['archived_at'])[:10]}"
            f" (SHA-256 {str(archive.get('sha256') or '')[:12]}…)"
        )
    elif archive.get("state") == "failed":
        bits.append("archiving failed")
    mark = excerpt_marks.label(archive.get("excerpt_check"), archive.get("excerpt_score"))
    if mark:
        bits.append("excerpt " + mark)
    if archive.get("link_status"):
        bits.append("link " + LINK_LABELS.get(archive["link_status"], archive["link_status"]))
    return ", ".join(bits)
