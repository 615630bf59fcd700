"""Who speaks a quotation: the speaker named after it ('" Name said.', 'said Name, who ...')."""

from __future__ import annotations

import re

from .names import _NAME_RUN_RE

_QUOTE_STMT_RE = re.compile(
    r"(?P<o>[\"“])(?P<q>[^\"“”]{6,}?)(?P<c>[\"”])\s*,?\s+(?P<rest>[^\"“”]*)$", re.DOTALL
)


_Q_WHO_RE = re.compile(
    r"(?P<who>(?:[A-Z]|(?:he|she|they|the|a|an|police|officials|witnesses|residents|analysts|experts|"
    r"researchers|doctors|prosecutors)\b|(?=(?:[a-z][\w'’-]*\s+){1,4}[A-Z]))[^,;:\"“”]{0,60}?)"
    # "union leader Karl Weiss, 52, told ...": the age is no part of the name
    r"(?:,\s+\d{1,3},)?\s+(?P<v>said|says|told|added|noted|stated|wrote|explained|"
    r"insisted|warned|claimed|confirmed|announced|recalled|argued|remarked|replied|countered|"
    r"responded|conceded)\b[^\"“”]*$",
    re.DOTALL,
)


_Q_INV_RE = re.compile(
    r"(?P<v>said|says|added|noted|stated|wrote|explained|insisted|warned|claimed|recalled|argued|"
    r"remarked|replied|countered|responded|conceded)\s+(?P<who>[^,;:\"“”]{2,80}?)(?:,\s+(?P<rel>who|whose)\s+(?P<relc>[^\"“”]+?)"
    r"|,\s+\d{1,3}(?:,\s+[^\"“”]{2,80}?)?|,\s+(?!who\b|whose\b)(?P<app>[^,\"“”]{2,80}?)"
    # 'said Jonas Berggren, chief economist at Nordvik Bank, who expects ...': the name's
    # apposition, then a clause about the speaker
    r"(?:,\s+(?:who|whose)\s+[^\"“”]+?)?|,\s+(?!who\b|whose\b)(?P<app2>[^\"“”]{2,80}?))?"
    r"\s*[.!…]?$",
    re.DOTALL,
)


# a sentence that is a quotation and nothing else: its words without the marks and the stop
_BARE_QUOTE_RE = re.compile(r"[\"“](?P<q>[^\"“”]{3,}?)[.!…]?[\"”]")


def quote_speaker(rest: str) -> tuple[str, str, tuple[int, int] | None] | None:
    """Who speaks a quotation, from what follows it (``rest``: '" Name said.' / 'said Name,
    who ...'): (who, "said"|"says", span in ``rest`` of a relative clause about them)."""
    wm = _Q_WHO_RE.match(rest)
    if wm and len(wm.group("who").split()) <= 6:
        return wm.group("who").strip(), "says" if wm.group("v") == "says" else "said", None
    wm = _Q_INV_RE.match(rest)
    if not wm or len(wm.group("who").split()) > 8:
        return None
    rel = (wm.start("relc"), wm.end("relc")) if wm.group("relc") else None
    who = wm.group("who").strip()
    app = wm.group("app") or wm.group("app2")
    if app and who[:1].islower() and app[:1].isupper() and _NAME_RUN_RE.fullmatch(app.strip()):
        # 'said its president, Arvid Tollen': the name in apposition names the speaker
        who = rest[wm.start("who") : wm.end("app")].strip()
    return who, "says" if wm.group("v") == "says" else "said", rel
