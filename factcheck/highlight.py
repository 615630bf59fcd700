"""Cut an article into flat runs of text for highlighting possibly overlapping claims."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def highlight_segments(body: str, claims: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Split ``body`` at every claim boundary.

    Each run is ``{"start", "end", "text", "claims", "claim"}``: ``claims`` lists the ids of the
    claims covering the run (outermost first) and ``claim`` is the innermost one (the shortest),
    or None for plain text. Joining the runs' texts gives ``body`` back.
    """
    spans = [
        (c["start"], c["end"], c["id"]) for c in claims if 0 <= c["start"] < c["end"] <= len(body)
    ]
    cuts = sorted({0, len(body), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    runs = []
    for left, right in zip(cuts, cuts[1:], strict=False):
        covering = sorted(
            ((s, e, cid) for s, e, cid in spans if s <= left and right <= e),
            key=lambda span: (span[1] - span[0], span[2]),
            reverse=True,
        )
        ids = [cid for _, _, cid in covering]
        runs.append(
            {
                "start": left,
                "end": right,
                "text": body[left:right],
                "claims": ids,
                "claim": ids[-1] if ids else None,
            }
        )
    return runs


class Marked:
    """HTML cut into parts, with slots per claim filled per request.

    ``parts`` joined give the HTML with nothing selected. ``slots[claim_id]`` are the indexes
    of the parts inside the claim's ``class`` attribute: they become ``selected_text`` when
    that claim is the selected one, followed by `` is-STATE`` for the user's state of it (see
    :mod:`factcheck.store.flow`). ``badges[claim_id]`` are the indexes of parts that become
    the state's visible label (``badge_html``). Built once per state of an article's claims
    (the review page caches it), filled per request.
    """

    __slots__ = ("parts", "slots", "badges", "selected_text", "badge_html")

    def __init__(self, selected_text: str, badge_html: dict[str, str] | None = None):
        self.parts: list[str] = []
        self.slots: dict[int, list[int]] = {}
        self.badges: dict[int, list[int]] = {}
        self.selected_text = selected_text
        self.badge_html = badge_html or {}

    def add(self, text: str) -> None:
        self.parts.append(text)

    def slot(self, claim_id: int) -> None:
        self.slots.setdefault(claim_id, []).append(len(self.parts))
        self.parts.append("")

    def badge(self, claim_id: int) -> None:
        self.badges.setdefault(claim_id, []).append(len(self.parts))
        self.parts.append("")

    def html(self, selected: int | None = None, states: dict[int, str] | None = None) -> str:
        """The HTML with ``selected`` (a claim id, or None) marked, and each claim's state
        (``states``: ``{claim_id: state}``) as a class and a label."""
        if not states:
            where = self.slots.get(selected) if selected is not None else None
            if not where:
                return "".join(self.parts)
            parts = self.parts.copy()
            for index in where:
                parts[index] = self.selected_text
            return "".join(parts)
        parts = self.parts.copy()
        for claim_id, where in self.slots.items():
            state = states.get(claim_id)
            text = f" is-{state}" if state else ""
            if claim_id == selected:  # (" selected" ends the classes, "selected" starts them)
                lead = self.selected_text.startswith(" ")
                text = text + self.selected_text if lead else self.selected_text + text
            for index in where:
                parts[index] = text
        for claim_id, where in self.badges.items():
            text = self.badge_html.get(states.get(claim_id, ""), "")
            for index in where:
                parts[index] = text
        return "".join(parts)


def body_html(segments: Sequence[dict[str, Any]], href: str, escape: Any) -> Marked:
    """The article body's runs as HTML: a link per claim run, a span per plain run.

    ``segments`` are :func:`highlight_segments` runs with a ``checkworthy`` flag; ``href`` is
    the article's address; ``escape`` turns a value into escaped, cleaned HTML text (the
    review page passes the Jinja environment's finalize + escape, so user text is treated
    exactly as in a template).
    """
    out = Marked(" selected")
    link = escape(href)
    for s in segments:
        claim = s["claim"]
        start = escape(s["start"])
        text = escape(s["text"])
        if claim:
            cls = "mark"
            if s.get("checkworthy"):
                cls += " cw"
            if len(s["claims"]) > 1:
                cls += " nested"
            out.add(f'<a class="{cls}')
            out.slot(claim)
            ident = escape(claim)
            out.add(
                f'" href="{link}?claim={ident}#panel" data-claim="{ident}"'
                f' data-start="{start}">{text}</a>'
            )
        else:
            out.add(f'<span data-start="{start}">{text}</span>')
    return out
