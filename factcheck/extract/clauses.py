"""Clause splitting: one sentence -> the pieces that each state one fact, with their wording."""

from __future__ import annotations

import re

from .claimant import _Attr
from .grammar import (
    _AUX,
    _DETERMINERS,
    _FINITE,
    _FINITE_RE,
    _IRREGULAR_PAST,
    _PAST_RE,
    _PREPS,
    _REPORTED_RE,
    _SAY_VERBS,
    _STOP_BACK,
    _SUBJ_ADVERBS,
    _VERB_HINT_RE,
    _antecedent,
    _cap,
    _decap,
    _inside,
    _inside_any,
    _is_past,
    _protected,
    _subject_verb,
    _trim,
)
from .wording import (
    _APPSAY_RE,
    _EMBED_SAY_RE,
    _MAKING_RE,
    _POSSESSOR_RE,
    _SUMMARY_HEADS,
    _figure_apposition,
)

_CMP_AHEAD = (
    r"(?:(?:about|around|roughly|nearly|almost|some|just|only|over|more than|less than)\s+)?"
    r"(?:[$€£]?\d[\d,.]*\s?(?:%|percent\b|per cent\b)?"
    r"|(?:a|one|two|three)\s+(?:third|half|quarter|fifth)s?)"
    r"(?:\s+[^\W\d_]+){0,2}?\s+(?:less|more|fewer|higher|lower|cheaper|greater|smaller|larger|bigger|"
    r"above|below|up|down)\b"
)


_TADV_AHEAD = (
    r"(?:(?:nearly|almost|about|some|more than|less than|just|only|over|roughly|barely)\s+)?"
    r"(?:(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|a few|"
    r"\d+)\s+(?:hours?|days?|weeks?|months?|years?|decades?)\s+)?(?:after|before|following)\s"
)


_SAY_EMBED = (
    r"(?:says|said|claims|claimed|believes|believed|estimates|estimated|hopes|expects|expected)"
)


_SPLIT_RE = re.compile(
    r"(?P<rel>,\s+(?:which|who|whose|where)\s+)"
    r"|(?P<app>,\s+(?=(?:the|a|an)\s+(?:first|second|third|fourth|fifth|last|only|latest|largest|"
    r"biggest|highest|lowest|worst|deadliest|best|most|least|\d+(?:st|nd|rd|th))\b))"
    r"|(?P<appsay>,\s+(?=(?:a|an|the)\s+[^\W\d_]+\s+(?:the|a|an|its|his|her|their|our)\s+"
    r"[^\W\d_]+(?:\s+[^\W\d_]+)?\s+" + _SAY_EMBED + r"\s))"
    r"|(?P<appnp>,\s+(?=(?:the|a|an)\s+[^\W\d_]+(?:\s+[^\W\d_'’]+){0,5}\s+(?:[a-z]+ing|[a-z]+ed|responsible|"
    r"that|which|who|whose|with|known|accused|blamed)\b))"
    r"|(?P<cmp>,\s+(?=" + _CMP_AHEAD + r"))"
    r"|(?P<making>,\s+(?=making\s+(?:it|them|him|her)\s))"
    r"|(?P<tadv>,\s+(?=" + _TADV_AHEAD + r"))"
    r"|(?P<adv>,\s+(?:(?:mainly|partly|largely|mostly|chiefly|primarily|in part)\s+)?"
    r"(?:amid|despite|whereas|although|though|but|because|while)\s+)"
    r"|(?P<semi>;\s+|\s+[—–]\s+|\s+--\s+)"
    r"|(?P<att>,\s+(?:according to|reported|said|says|told|added|noted|stated|announced|"
    r"confirmed|wrote|claimed)\s+)"
    r"|(?P<andthat>,?\s+(?:and|but)\s+that\s+)"
    r"|(?P<andv>,?\s+and\s+(?=(?:[a-z]+ed|was|were|is|are|has|have|had|will|"
    + _IRREGULAR_PAST.replace(" ", "|")
    + r")\s))"
    # "Sales rose 4% and profits fell 2%": a second clause with its own subject and verb
    r"|(?P<andc>,?\s+and\s+(?=(?:(?:the|its|their|his|her|our|a|an)\s+)?[^\W\d_][\w'’-]*"
    r"(?:\s+[^\W\d_][\w'’-]*){0,2}\s+(?:" + _FINITE + r")\b))"
)


_AND_AUX = frozenset("was were is are has have had will".split())


_RESUME_RE = re.compile(r",\s+([A-Za-z]+)\b")


_LIST_PREP_RE = re.compile(
    r"\b(?:following|after|amid|including|such as|despite|because of|due to)\s+"
)


_LIST_SEP_RE = re.compile(r",\s+(?:and\s+|or\s+)?")


_LIST_AND_RE = re.compile(r"\s+(?:and|or)\s+(?=(?:the|a|an|its|his|her|their|[A-Z])\b|[A-Z])")


_LIST_BAD = frozenset(
    "is are was were has have had will would that which who whose said says can could".split()
)


_SINCE_RE = re.compile(r"\bsince\s+(?=(?:the|a|an|his|her|its|their|[A-Z][\w.'’-]*)\s)")


_SINCE_VERB_RE = re.compile(
    r"\b(?:was|were|had been|has been|have been|is|are|"
    + _IRREGULAR_PAST.replace(" ", "|")
    + r"|[a-z]{3,}ed)\b"
)


def _event_list(quote: str) -> tuple[int, int, list[tuple[int, int]]] | None:
    """``... following A, B and C`` -> (preposition start and end, item spans) or ``None``.

    The last preposition that introduces a list wins ("amid anger following A, B and C").
    """
    for pm in reversed(list(_LIST_PREP_RE.finditer(quote))):
        items: list[tuple[int, int]] = []
        pos = pm.end()
        for sm in _LIST_SEP_RE.finditer(quote, pos):
            items.append((pos, sm.start()))
            pos = sm.end()
        last = (pos, len(quote))
        am = _LIST_AND_RE.search(quote, last[0])
        if am is not None:
            items.append((last[0], am.start()))
            items.append((am.end(), last[1]))
        else:
            items.append(last)
        if len(items) < 2:
            continue
        sizes = [len(quote[a:b].split()) for a, b in items]
        if min(sizes) < 3 or max(sizes) > 14 or (len(items) == 2 and min(sizes) < 4):
            continue
        if any(w.lower().strip(",") in _LIST_BAD for a, b in items for w in quote[a:b].split()):
            continue
        return pm.start(), pm.end(), items
    return None


def _clause_claims(sentence: str, s0: int, e0: int, attr: _Attr) -> list[dict]:
    """Claims of ``sentence[s0:e0]`` (attribution already removed), worded with ``attr``."""
    attribution = attr.who or None
    prot = [(a, b) for a, b in _protected(sentence) if a >= s0 and b <= e0]
    cuts: list[tuple[int, int, str]] = []  # (marker start, content start, type)
    for m in _SPLIT_RE.finditer(sentence, s0, e0):
        if _inside(m.start(), prot):
            continue
        typ = m.lastgroup or "semi"
        if typ == "andv":
            nxt = sentence[m.end() : m.end() + 30].split(" ", 1)[0]
            if not (_is_past(nxt) or nxt in _AND_AUX):
                continue
        elif typ in ("app", "appnp"):
            before = sentence[cuts[-1][1] if cuts else s0 : m.start()].lower()
            if not _FINITE_RE.search(before):
                continue
        elif typ == "andc":
            # only between two clauses ("the mayor and the governor denied it" is one)
            before = sentence[cuts[-1][1] if cuts else s0 : m.start()].lower()
            between = sentence[m.end() : m.end() + 60].lower().split()
            if not _FINITE_RE.search(before) or any(_FINITE_RE.fullmatch(w) for w in between[:1]):
                continue
            typ = "semi"
        elif typ == "att" and cuts and cuts[-1][2] in ("rel", "app", "appnp"):
            # "The ministry, which ..., said the drought was ...": the subject's own verb and
            # the clause it reports, not a trailing "..., said Name"
            if _REPORTED_RE.match(sentence, m.end(), e0):
                continue
        cuts.append((m.start(), m.end(), typ))
    pieces: list[tuple[int, int, str, int]] = []  # start, end, type, index of the piece it hangs on
    cur_s, cur_t = s0, "main"
    owner = -1
    root = 0
    roots: list[int] = []
    trailing_attr = None
    for ms, cs, typ in cuts:
        pieces.append((cur_s, ms, cur_t, owner))
        roots.append(root)
        if typ == "att":
            trailing_attr = (ms, e0)
            cur_s = None
            break
        if cur_t in ("main", "semi", "andthat"):
            root = len(pieces) - 1
        if typ == "andv":
            prev_t = pieces[-1][2]
            if prev_t == "andv":
                owner = pieces[-1][3]
            elif prev_t in ("cmp", "app", "appnp", "appsay", "making"):
                owner = root
            else:
                owner = len(pieces) - 1
        elif typ in ("semi", "andthat"):
            owner = -1
        else:
            owner = len(pieces) - 1
        cur_s, cur_t = cs, typ
    if cur_s is not None:
        pieces.append((cur_s, e0, cur_t, owner))
        roots.append(root)
    if trailing_attr is not None and not attr.who:
        a, b = _trim(sentence, *trailing_attr)
        if b > a:
            attribution = sentence[a:b]
            attr = _Attr(attribution, suffix=", " + attribution)
    past = bool(_PAST_RE.search(sentence[s0:e0].lower()))
    out: list[dict] = []
    main_subject: str | None = None
    bases: list[str] = []  # wording of each piece before the attribution is added
    spans: list[tuple[int, int]] = []
    subjects: list[str | None] = []
    svs: list[str | None] = []
    extra: list[dict] = []
    reported = ""  # "The ministry said " when a relative clause sat between subject and verb
    resumed: dict[int, str] = {}  # relative clause piece -> main clause resumed after it
    for idx, (ps, pe, typ, own) in enumerate(pieces):
        ps, pe = _trim(sentence, ps, pe)
        quote = sentence[ps:pe]
        base = quote
        rt = roots[idx]
        root_ok = rt < len(spans) and rt != idx
        glue: frozenset = frozenset()
        own_voice = False  # an apposition inside an attribution: not the source's claim
        subj, sv = None, None
        if typ == "andv" and own >= 0:
            # coordinated verb phrase: reuse the subject of the clause it belongs to
            owner_base, owner_quote = bases[own], sentence[spans[own][0] : spans[own][1]]
            if pieces[own][2] == "rel" and owner_quote and owner_base.endswith(owner_quote):
                base = owner_base[: len(owner_base) - len(owner_quote)] + quote
            elif subjects[own]:
                base = subjects[own] + " " + quote
            elif main_subject:
                base = main_subject + " " + quote
            subj = subjects[own]
        elif typ in ("rel", "app", "appnp") and own >= 0:
            os_, oe_ = spans[own]
            ant = _antecedent(sentence, os_, oe_, typ == "rel")
            if ant:
                ant_text = sentence[ant[0] : ant[1]].rstrip(",;: ")
                if typ == "rel":
                    rm = re.match(r",\s+(which|who|whose|where)\s+", sentence[pieces[idx - 1][1] :])
                    rel = rm.group(1).lower() if rm else "which"
                    if rel == "which" and (ant_text[:1].isdigit() or _EMBED_SAY_RE.match(quote)):
                        # "..., which the council says protects it": keep the clause it hangs on
                        if rm:
                            ps = pieces[idx - 1][1] + rm.start(1)
                            quote = sentence[ps:pe]
                        base = bases[own] + ", " + quote
                    elif rel == "where":
                        base = "in " + ant_text + ", " + quote
                    elif rel == "whose":
                        base = ant_text + "'s " + quote
                    else:
                        base = ant_text + " " + quote
                else:
                    words = quote.split(" ", 2)
                    head = words[1].lower() if len(words) > 1 else ""
                    if typ == "app" and own in resumed:
                        # "Core inflation, which ..., slowed to 3%, the lowest since 2021"
                        base = resumed[own] + ", " + quote
                    elif typ == "app" and _figure_apposition(quote):
                        # "Exports fell to 12 billion in March, the lowest level since 2015":
                        # the superlative describes the figure, not the last noun ("March")
                        base = bases[own] + ", " + quote
                    elif (head in _SUMMARY_HEADS and typ == "appnp") or ant_text[:1].isdigit():
                        base = sentence[os_:oe_] + ", " + quote
                    elif _copula_ok(ant_text, quote):
                        # "the ELN, the guerrilla group operating on the border": a fact
                        # about the ELN the article states, not the source's reported words
                        copula = "was" if past else "is"
                        base = ant_text + " " + copula + " " + quote
                        glue = frozenset((copula,))
                        own_voice = not attr.direct
                    else:
                        base = quote  # no rewrite shown grammatical: the quote stands
                        own_voice = not attr.direct
        elif typ == "appsay":
            am = _APPSAY_RE.match(quote)
            if am:
                base = (
                    am.group("np")
                    + " "
                    + am.group("v")
                    + " the "
                    + am.group("noun")
                    + " "
                    + am.group("rest")
                )
        elif typ == "cmp" and root_ok:
            rsv = svs[rt]
            if rsv:
                base = rsv + " " + quote
        elif typ == "making" and root_ok:
            mm = _MAKING_RE.match(quote)
            rs = subjects[rt]
            if mm and rs:
                pm = _POSSESSOR_RE.match(rs + " ")
                base = (pm.group(1) if pm else rs) + " is " + mm.group("rest")
        elif typ == "tadv":
            subj, sv = _subject_verb(quote)
            if root_ok:
                base = bases[rt] + ", " + quote
        elif typ == "adv":
            am = re.match(r"(?:but|whereas|although|though|while)\s+", quote, re.IGNORECASE)
            if am and _VERB_HINT_RE.search(quote[am.end() :]):
                ps += am.end()
                quote = sentence[ps:pe]
                base = quote
        elif typ in ("main", "semi", "andthat"):
            subj, sv = _subject_verb(quote)
            if typ == "main" and main_subject is None:
                main_subject = subj
            if typ == "andthat" and reported:
                base = reported + _decap(quote)
        if typ == "rel" and own >= 0 and pieces[own][2] == "main" and base.endswith(quote):
            os_, oe_ = spans[own]
            vm = _RESUME_RE.search(sentence, ps, pe)
            resume = _resume_kind(sentence, vm, os_, oe_, pe) if vm else None
            if resume:
                rest_s, rest_e = _trim(sentence, vm.start(1), pe)
                main_text = sentence[os_:oe_] + " " + sentence[rest_s:rest_e]
                resumed[idx] = main_text
                if resume == "prep":
                    # "Officers arrested the man, who was not named, at his home": the main
                    # clause goes on after the relative clause; its first part is no claim alone
                    out = [d for d in out if (d["start"], d["end"]) != (os_, oe_)]
                extra.append(
                    {
                        "start": os_,
                        "end": rest_e,
                        "text": attr.word(main_text),
                        "attribution": attribution,
                        "subject": sentence[os_:oe_],
                        "type": "main",
                    }
                )
                if resume == "verb" and (main_subject is None or idx == 1):
                    main_subject = sentence[os_:oe_]
                if vm.group(1).lower() in _SAY_VERBS:
                    reported = sentence[os_:oe_] + " " + vm.group(1) + " "
                pe = _trim(sentence, ps, vm.start())[1]
                quote = sentence[ps:pe]
                base = (
                    base[: len(base) - (len(sentence[ps:rest_e]) - len(quote))]
                    if base.endswith(sentence[ps:rest_e])
                    else base
                )
        # "... following A, B and C": one claim per event in the list
        if (
            typ in ("main", "semi", "andthat", "tadv")
            and quote.count(",") + quote.count(" and ") >= 1
        ):
            ev = _event_list(quote) if not _inside_any(ps, pe, prot) else None
            if ev is not None:
                cut, prep_end, items = ev
                lead = base[: len(base) - len(quote)] if base.endswith(quote) else ""
                for a, b in items:
                    ia, ib = _trim(sentence, ps + a, ps + b)
                    if ib - ia < 8:
                        continue
                    extra.append(
                        {
                            "start": ia,
                            "end": ib,
                            "text": attr.word(
                                lead + sentence[ps : ps + prep_end] + sentence[ia:ib]
                            ),
                            "attribution": attribution,
                            "subject": subj,
                            "type": "item",
                        }
                    )
                pe = _trim(sentence, ps, ps + cut)[1]
                base = base[: len(base) - len(quote)] + sentence[ps:pe]
                quote = sentence[ps:pe]
        # "... since the harbour was dredged in 1998": the dated event is a claim of its own
        if "since" in quote:
            for sm in _SINCE_RE.finditer(quote):
                cs_ = ps + sm.end()
                vm2 = _SINCE_VERB_RE.search(sentence, cs_, pe)
                if vm2 and len(sentence[cs_ : vm2.start()].split()) <= 5:
                    ca, cb = _trim(sentence, cs_, pe)
                    if cb - ca >= 12 and len(sentence[ca:cb].split()) >= 4:
                        extra.append(
                            {
                                "start": ca,
                                "end": cb,
                                "text": attr.word(sentence[ca:cb]),
                                "attribution": attribution,
                                "subject": None,
                                "type": "since",
                            }
                        )
        bases.append(base)
        spans.append((ps, pe))
        subjects.append(subj)
        svs.append(sv)
        if pe - ps < 8 or len(quote.split()) < 3 or not any(c.isalpha() for c in quote):
            continue
        out.append(
            {
                "start": ps,
                "end": pe,
                "text": _cap(base) if own_voice else attr.word(base),
                "attribution": None if own_voice else attribution,
                "subject": main_subject,
                "type": typ,
                "glue": glue,
                "own_voice": own_voice,
            }
        )
    out.extend(extra)
    for d in out:
        d["subject"] = main_subject
    out.sort(key=lambda d: (d["start"], d["end"]))
    return out


_RESUME_PREPS = frozenset("at in on for from with by into after before during near outside".split())


_NEXT_WORD_RE = re.compile(r"\s+([a-z]+)\b")


def _resume_kind(sentence: str, vm: re.Match, os_: int, oe_: int, pe: int) -> str | None:
    """Does the main clause ``sentence[os_:oe_]`` go on after its relative clause, at
    ``vm`` (", resumed ...")? "verb": the subject's own verb ("The bill, which ..., now goes
    ..."); "prep": the rest of its predicate ("Police arrested the man, who ..., at his
    home"); ``None``: the comma belongs to the relative clause."""
    w = vm.group(1).lower()
    n_main = len(sentence[os_:oe_].split())
    if n_main <= 6:
        if _is_past(w) or w in _AUX:
            return "verb"
        if w in _SUBJ_ADVERBS:
            nm = _NEXT_WORD_RE.match(sentence, vm.end(1), pe)
            if nm:
                v = nm.group(1)
                if _is_past(v) or v in _AUX or (len(v) > 3 and v[-1] == "s" and v[-2] != "s"):
                    return "verb"
    if (
        w in _RESUME_PREPS
        and vm.group(1).islower()
        and n_main <= 12
        and _FINITE_RE.search(sentence, os_, oe_)
    ):
        return "prep"
    return None


_SUBORDINATORS = frozenset(
    "as when while if because although though since after before until once whereas unless "
    "where whether".split()
)


def _copula_ok(ant: str, app: str) -> bool:
    """May "ANT is/was APP" stand for the apposition "ANT, APP"? Only when the antecedent is
    a plain noun phrase (no clause opener, no verb) and the apposition a noun phrase opening
    with an article ("As the region recovers, the number ..." is no noun phrase)."""
    words = ant.split()
    if not words or len(words) > 10 or words[0].lower() in _SUBORDINATORS:
        return False
    first = words[0].lower()
    if first in _PREPS or first in _STOP_BACK:
        return False
    if not (first in _DETERMINERS or words[0][:1].isupper()):
        return False
    if _FINITE_RE.search(ant.lower()) or any(w.lower() in _AUX for w in words):
        return False
    return app.split(" ", 1)[0].lower() in ("the", "a", "an")
