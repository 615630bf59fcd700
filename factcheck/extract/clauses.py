"""Clause splitting: one sentence -> the pieces that each state one fact, with their wording."""

from __future__ import annotations

import re

from .claimant import _Attr
from .coordination import (
    conjunct_wording,
    infinitive_frame,
    present_subject,
    shared_aux,
)
from .grammar import (
    _AUX,
    _FINITE_RE,
    _IRREGULAR_PAST,
    _PAST_RE,
    _PREPS,
    _SAY_VERBS,
    _SUBJ_ADVERBS,
    _VERB_HINT_RE,
    MODAL_RE,
    _antecedent,
    _cap,
    _copula_ok,
    _decap,
    _inside,
    _inside_any,
    _is_past,
    _protected,
    _subject_verb,
    _trim,
)
from .lists import (
    _event_list,
    _figure_list,
    figure_pp_list,
    figure_subject_list,
    gapped_list,
)
from .markers import _ACCORDING_AT_RE, _RESUME_RE, find_cuts
from .relatives import relative_kind, relative_noun, relative_wording
from .subordinates import _PRONOUN_SUBJECTS, _SUB_RE, _clause_start, _sub_clause, time_clause
from .wording import (
    _APPSAY_RE,
    _EMBED_SAY_RE,
    _MAKING_RE,
    _POSSESSOR_RE,
    _SUMMARY_HEADS,
    _figure_apposition,
)

_GAPPED_FIGURE_RE = re.compile(
    r"(?P<fig>(?:(?:about|some|nearly|almost|more than|at least)\s+)?\d[\d,.]*)\s+(?P<v>[a-z]+ed)"
    r"(?P<rest>\s.*)?",
    re.DOTALL,
)
# a rank or a superlative: "..., a record", "and the deadliest"
_RECORD_RE = re.compile(
    r"\b(?:record|first|best|worst|(?!(?:interest|forest|protest|request|harvest|west|guest|rest|"
    r"test|chest|nest|contest|arrest|suggest|honest|modest|invest|digest)\b)[a-z]{3,}est)\b"
)
_SAY_AND_RE = re.compile(
    r"(?:said|noted|added|warned|argued|insisted|stressed|acknowledged|conceded|admitted|"
    r"cautioned|claimed|told|explained|pointed out|estimated|predicted|forecast|called for|"
    r"urged|demanded)\b"
)


_REL_SAYS_RE = re.compile(
    r"(?:\S+\s+){0,4}?(?:said|says|say|claims|claimed|claim|believes|believed|estimates|"
    r"estimated|alleged|allege|alleges|told|put|puts)\b"
)


_SINCE_RE = re.compile(r"\bsince\s+(?=(?:the|a|an|his|her|its|their|[A-Z][\w.'’-]*)\s)")


_SINCE_VERB_RE = re.compile(
    r"\b(?:was|were|had been|has been|have been|is|are|"
    + _IRREGULAR_PAST.replace(" ", "|")
    + r"|[a-z]{3,}ed)\b"
)


# pieces that hang on another clause: an attribution after them is the whole sentence's
_HANGING = frozenset(
    "app appnp rel rrel cmp appsay making since sub against part ppart figapp".split()
)
# pieces about a noun of the clause: an attribution after them is the whole sentence's
_NOUN_HANGING = frozenset("app appnp rel cmp appsay making since".split())
_OWN_SOURCE_RE = re.compile(
    r"(?:(?:the|a|an|its|his|her|their)\s+)?(?:[\w'’.-]+\s+){0,4}?[\w'’.-]+\s+(?P<v>said|says|told|"
    r"added|replied|insisted|argued|claimed|noted|countered)\s+(?!that\b)"
)
# "Paul Dressler, the husband of his sister, who ...": the person the apposition describes
_NAME_BEFORE_APPOS_RE = re.compile(r"(?<![\w'’.-])([A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}),\s+$")
_REL_MARK_RE = re.compile(
    r",?\s+(?:(?P<prep>in|during|at|on|under|by)\s+)?(?P<w>which|who|whom|whose|where|that)\s+"
)


def _clause_claims(sentence: str, s0: int, e0: int, attr: _Attr) -> list[dict]:
    """Claims of ``sentence[s0:e0]`` (attribution already removed), worded with ``attr``."""
    lead = _leading_subordinate(sentence, s0, e0)
    if lead is not None:
        # "When Dania introduced a similar ban in 2021, bar revenues fell 4%": two facts,
        # the event of the subordinate clause and the main clause
        sub_s, sub_e, main_s = lead
        out = _clause_claims(sentence, sub_s, sub_e, attr)
        for d in out:
            if d["type"] == "main":
                d["type"] = "lsub"
        main = _clause_claims(sentence, main_s, e0, attr)
        for d in out:
            d["subject"] = main[0]["subject"] if main else None  # the sentence is about it
        out += main
        out.sort(key=lambda d: (d["start"], d["end"]))
        return out
    attribution = attr.who or None
    prot = [(a, b) for a, b in _protected(sentence) if a >= s0 and b <= e0]
    cuts = find_cuts(sentence, s0, e0, attr, prot)
    pieces: list[tuple[int, int, str, int]] = []  # start, end, type, index of the piece it hangs on
    cur_s, cur_t = s0, "main"
    owner = -1
    root = 0
    roots: list[int] = []
    trailing_attr = None
    for ci, (ms, cs, typ) in enumerate(cuts):
        pieces.append((cur_s, ms, cur_t, owner))
        roots.append(root)
        if typ == "att":
            if ci + 1 < len(cuts) and _ACCORDING_AT_RE.match(sentence, ms):
                # "A, according to its annual accounts, nearly three times as much as ...":
                # the source between two parts of the sentence ("src", no claim); what
                # follows is split on
                trailing_attr = (ms, cuts[ci + 1][0])
                owner = len(pieces) - 1
                cur_s, cur_t = ms, "src"
                continue
            trailing_attr = (ms, e0)
            cur_s = None
            break
        if cur_t == "src" and typ not in ("rel", "app", "appnp", "ppart", "appsay"):
            # after the source, a comparison or a contrast hangs on the clause before it
            # (a relative clause or an apposition describes the source)
            owner = pieces[-1][3]
            cur_s, cur_t = cs, typ
            if typ in ("semi", "andthat"):
                owner = -1
            continue
        if cur_t in ("main", "semi", "andthat"):
            root = len(pieces) - 1
        if typ == "andsub":
            owner, typ = root, "sub"  # the second cause hangs on the main clause too
        elif typ == "andto":
            owner = pieces[-1][3] if pieces[-1][2] == "andto" else len(pieces) - 1
        elif typ in ("andv", "andb"):
            prev_t = pieces[-1][2]
            if prev_t in ("andv", "andb"):
                owner = pieces[-1][3]
            elif prev_t == "sub" and _sub_clause(sentence, pieces[-1][0], pieces[-1][1]):
                owner = len(pieces) - 1  # "when a coach left the road and fell ...": the coach
            elif prev_t in _HANGING and prev_t not in ("rel", "ppart", "rrel"):
                owner = root
            else:
                owner = len(pieces) - 1
        elif typ in ("semi", "andthat"):
            owner = -1
        elif typ == "ppart" and pieces[-1][2] == "ppart":
            owner = pieces[-1][3]  # "led by X and published in Y": the same noun
        elif pieces[-1][2] == "rrel" and typ not in ("rel", "rrel"):
            # "imposed a strike that affected civilians, a move the group justified as ...":
            # what follows a restrictive relative clause hangs on the clause it belongs to
            owner = pieces[-1][3]
        else:
            owner = len(pieces) - 1
        cur_s, cur_t = cs, typ
    if cur_s is not None:
        pieces.append((cur_s, e0, cur_t, owner))
        roots.append(root)
    attr_end = None  # where a trailing ", said Name" ends: the last clause's span takes it
    if trailing_attr is not None and not attr.who:
        a, b = _trim(sentence, *trailing_attr)
        if b > a:
            attribution = sentence[a:b]
            attr = _Attr(attribution, suffix=", " + attribution)
            attr_end = b
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
        if typ == "src":
            # "according to the labour inspectorate": no claim; a relative clause after it
            # names the source as its noun
            bases.append(quote)
            spans.append((ps, pe))
            subjects.append(None)
            svs.append(None)
            continue
        rt = roots[idx]
        root_ok = rt < len(spans) and rt != idx
        glue: frozenset = frozenset()
        own_voice = False  # an apposition inside an attribution: not the source's claim
        own_source = False  # a clause naming its own source
        said_again = False  # the source's own second verb: worded without the attribution
        adding_source = None  # who says the "..., adding that ..." piece
        unsure = False  # no faithful rewrite: the wording is the passage itself
        subj, sv = None, None
        if typ == "andv" and attr.who and attr.prefix and _SAY_AND_RE.match(quote):
            # 'X said the results were robust but noted that ...': the source's second verb,
            # not the reported clause's ("the results noted")
            base = attr.who + " " + quote
            said_again = True
        elif typ == "andv" and own >= 0:
            # coordinated verb phrase: reuse the subject of the clause it belongs to
            owner_base, owner_quote = bases[own], sentence[spans[own][0] : spans[own][1]]
            if pieces[own][2] == "rrel" and owner_quote and owner_base.endswith(owner_quote[5:]):
                # "a budget that raises the tax and closes two libraries": the same noun
                base = owner_base[: len(owner_base) - len(owner_quote) + 5] + quote
            elif pieces[own][2] == "rel" and owner_quote and owner_base.endswith(owner_quote):
                base = owner_base[: len(owner_base) - len(owner_quote)] + quote
            elif subjects[own]:
                base = conjunct_wording(owner_base, subjects[own], quote)
            elif main_subject and pieces[own][2] in ("main", "andv"):
                base = main_subject + " " + quote
            elif pieces[own][2] == "main" and present_subject(owner_quote):
                # "The budget raises the top rate ... and cuts the corporate tax rate ..."
                base = present_subject(owner_quote) + " " + quote
            else:
                # the clause it belongs to has no subject found: no subject is guessed, and
                # the verb phrase alone is shown as the passage ("check the wording")
                unsure = True
            subj = subjects[own]
        elif typ == "andto" and own >= 0:
            # "The council voted on Tuesday to ban ... and to cap ...": the same governing verb
            frame = infinitive_frame(bases[own], quote.split(" ", 1)[0])
            if frame:
                base = frame + quote
            subj = subjects[own]
        elif typ == "andb" and own >= 0:
            # "The company will close its plant and move ...": its subject and modal
            mm = MODAL_RE.search(bases[own])
            if mm is not None:
                base = bases[own][: mm.end("modal")] + " " + quote
            subj = subjects[own]
        elif typ == "adding":
            # "The minister said X, adding that Y" -> "The minister said Y"; "The company cut
            # jobs, saying demand fell" -> "The company said demand fell"
            who = attr.who if attr.prefix else (subjects[rt] if rt < len(subjects) else None)
            if who:
                base = who + " said " + quote
                glue = frozenset(("said",))
                said_again = True
                adding_source = who
        elif typ == "andadj" and own >= 0 and pieces[own][2] in ("app", "appnp") and root_ok:
            # "opened on Monday, a year later than planned and 20% over budget": the clause's
            # second yardstick, not the apposition's noun's
            base = bases[rt] + ", " + quote
        elif typ == "andadj" and own >= 0:
            # "Unemployment was lowest in X, and highest in Y": the subject and its copula;
            # "Employment rose to 3.94 million ... and the highest on record": the clause
            osubj, osv = _subject_verb(bases[own])
            if osv and osv.split()[-1].lower() in ("was", "is", "were", "are"):
                base = osv + " " + quote
                subj = osubj
            else:
                base = bases[own] + " and " + quote
        elif typ == "rrel" and own >= 0:
            # "... for maintenance work that was never carried out": the noun and its clause
            os_, oe_ = spans[own]
            ant = _antecedent(sentence, os_, oe_, True)
            kind = relative_kind(sentence, ps, pe)
            if ant and kind:
                noun = relative_noun(sentence[ant[0] : ant[1]].rstrip(",;: "))
                base = relative_wording(_decap(noun), quote.split(" ", 1)[1], kind)
            else:
                unsure = True
        elif typ == "figapp" and own >= 0:
            base = bases[own] + ", " + quote  # "..., about 60% of the total"
        elif typ in ("rel", "app", "appnp", "ppart") and own >= 0:
            os_, oe_ = spans[own]
            ant = _antecedent(sentence, os_, oe_, typ in ("rel", "ppart"))
            cm = _CAUSE_OF_RE.match(sentence, os_, oe_) if typ == "rel" else None
            if cm is not None:
                ant = (cm.end(), oe_)  # "because of higher spending on care, which ...": the cause
            if ant and typ == "rel" and sentence[ant[0]].islower():
                nm = _NAME_BEFORE_APPOS_RE.search(sentence, 0, ant[0])
                rm = _REL_MARK_RE.match(sentence, pieces[idx - 1][1])
                if nm and rm and rm.group("w").lower() in ("who", "whose"):
                    ant = nm.span(1)  # who is the person, not the apposition
            if ant:
                ant_text = sentence[ant[0] : ant[1]].rstrip(",;: ")
                if typ == "ppart":
                    if _copula_ok(ant_text, "the"):
                        # "The study was led by ...", "Monthly passes are used by ..."
                        copula = _copula_for(ant_text, past)
                        base = ant_text + " " + copula + " " + quote
                        glue = frozenset((copula,))
                    own_voice = not attr.direct
                elif typ == "rel":
                    rm = _REL_MARK_RE.match(sentence, pieces[idx - 1][1])
                    rel = rm.group("w").lower() if rm else "which"
                    # "The minister said the bridge, which opened in 2024, ...": a relative
                    # clause between commas is the writer's gloss, not the source's words,
                    # unless it names a source of its own ("which she said had doubled")
                    own_voice = (
                        bool(attr.who)
                        and not attr.direct
                        and not _REL_SAYS_RE.match(quote)
                        # "..., where yields fell by more than half": the reported account goes
                        # on, the source's (GUIDE.md section 3)
                        and rel not in ("where", "when")
                    )
                    if rm and rm.group("prep"):
                        pass  # "..., in which a shop assistant was injured": the clause
                    elif rel == "whom":
                        last = quote.split()[-1].lower() if quote.split() else ""
                        if _is_past(last):
                            base = quote + " " + ant_text  # "whom the judge commended"
                    elif rel == "which" and (ant_text[:1].isdigit() or _EMBED_SAY_RE.match(quote)):
                        # "..., which the council says protects it": keep the clause it hangs on
                        if rm:
                            ps = rm.start("w")
                            quote = sentence[ps:pe]
                        base = bases[own] + ", " + quote
                    elif rel == "where":
                        # "In Dolec, where ...": the antecedent may bring its preposition
                        first = ant_text.split(" ", 1)[0].lower()
                        lead = "" if first in _PREPS or first in ("near", "outside") else "in "
                        base = lead + (_decap(ant_text) if lead else ant_text) + ", " + quote
                    elif rel == "whose":
                        base = ant_text + "'s " + quote
                    else:
                        base = ant_text + " " + quote
                else:
                    words = quote.split(" ", 2)
                    head = words[1].lower() if len(words) > 1 else ""
                    if typ == "app" and words[0].lower() in ("their", "its", "his", "her", "our"):
                        # "..., their biggest fall since October": the clause's figure
                        base = bases[own] + ", " + quote
                    elif typ == "app" and own in resumed:
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
                glue = frozenset(("is",))
        elif typ == "tadv":
            subj, sv = _subject_verb(quote)
            rest = time_clause(quote)
            if rest is not None and _clause_start(rest):
                # "..., nearly two years after a storm surge tore away two of its spans": the
                # earlier event is the fact; the clause it hangs on is a claim already
                base = rest
            elif root_ok:
                base = bases[rt] + ", " + quote
        elif typ in ("against", "part") and root_ok:
            base = bases[rt] + ", " + quote
        elif typ == "sub":
            sm = _SUB_RE.match(quote)
            rest = quote[sm.end() :] if sm else quote
            gerund = rest.split(" ", 1)[0].endswith("ing")
            pron = rest.split(" ", 1)[0].lower() in _PRONOUN_SUBJECTS
            purpose = sm is not None and sm.group("m").startswith("so")
            if (
                sm
                and not sm.group("of")
                and not gerund
                and not pron
                and not purpose  # "so that fewer students would be priced out": an aim
                and _clause_start(rest)
            ):
                base = rest  # "when thieves rammed the shop": the clause states it
                subj, sv = _subject_verb(rest)
            elif 0 <= own < len(bases):
                # "... because of staff shortages"; ", as agreed in a deal ..."
                glue_ = ", " if sentence[:ps].rstrip().endswith(",") else " "
                base = bases[own] + glue_ + quote
        elif typ == "adv":
            am = re.match(r"(?:but|whereas|although|though|while)\s+", quote, re.IGNORECASE)
            if am and _VERB_HINT_RE.search(quote[am.end() :]):
                ps += am.end()
                quote = sentence[ps:pe]
                base = quote
            subj, sv = _subject_verb(quote)  # "while violent offences rose ... but fell ..."
        elif typ in ("main", "semi", "andthat"):
            subj, sv = _subject_verb(quote)
            if typ == "main" and main_subject is None:
                main_subject = subj
            if typ == "andthat" and reported:
                base = reported + _decap(quote)
            gm = _GAPPED_FIGURE_RE.fullmatch(quote) if typ == "semi" and idx else None
            if gm is not None and subjects[idx - 1]:
                # "Nine people were killed and 23 injured": the auxiliary of the clause before
                aux = shared_aux(bases[idx - 1], subjects[idx - 1])
                if aux:
                    base = gm.group("fig") + " " + aux + " " + gm.group("v") + (gm["rest"] or "")
                    glue = frozenset(aux.lower().split())

        if (
            typ in ("rel", "ppart")
            and own >= 0
            and pieces[own][2] == "main"
            and (base.endswith(quote) or typ == "ppart")
        ):
            os_, oe_ = spans[own]
            vm = _RESUME_RE.search(sentence, ps, pe)
            resume = _resume_kind(sentence, vm, os_, oe_, pe) if vm else None
            if resume:
                rest_s, rest_e = _trim(sentence, vm.start(1), pe)
                main_text = sentence[os_:oe_] + " " + sentence[rest_s:rest_e]
                resumed[idx] = main_text
                if resume == "prep" or not _FINITE_RE.search(sentence, os_, oe_):
                    # "Officers arrested the man, who was not named, at his home": the main
                    # clause goes on after the relative clause; its first part is no claim
                    # alone, nor is a bare subject ("The central bank, which ..., is ...")
                    out = [d for d in out if (d["start"], d["end"]) != (os_, oe_)]
                extra.append(
                    {
                        # "The treaty, which ..., now covers 14 countries": the span is the
                        # predicate after the relative clause (the wording names the subject)
                        "start": rest_s if resume == "verb" else os_,
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
        osm = _OWN_SOURCE_RE.match(quote) if typ in ("semi", "adv") and attr.who else None
        if osm and not _FINITE_RE.search(quote.lower(), 0, osm.start("v")):
            # "Abel said he would scrap the charge, while Reinholt said she would ...": the
            # second clause names its own source, never the first one's
            own_source = True
            base = quote
        if typ == "ppart" and idx not in resumed and "," in quote:
            base, glue = quote, frozenset()  # no main clause resumed after it: no rewrite
        # "... following A, B and C": one claim per event in the list
        if (
            typ in ("main", "semi", "andthat", "tadv", "against")
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
            fl = None
            if ev is None and base.endswith(quote):
                fl = (
                    _figure_list(quote)
                    or figure_subject_list(quote)
                    or figure_pp_list(quote)
                    or gapped_list(quote)
                )
            if fl is not None:
                # "put Abel at 44%, Reinholt at 41% and Moll at 9%": one claim per figure
                head_end, items = fl
                lead = base[: len(base) - len(quote)]
                for a, b, words in items:
                    extra.append(
                        {
                            "start": ps + a,
                            "end": ps + b,
                            "text": attr.word(lead + words),
                            "attribution": attribution,
                            "subject": subj,
                            "type": "item",
                        }
                    )
                pe = ps + head_end
                base = lead + sentence[ps:pe]
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
        short = pe - ps < 8 or len(quote.split()) < 3
        if (
            short
            and base != quote
            and len(base.split()) >= 3
            and pe - ps >= 6
            and (any(c.isdigit() for c in quote) or _RECORD_RE.search(quote))
        ):
            short = False  # "..., a record", "and 23 injured": worded with their clause
        if short and _FACT_ITEM_RE.fullmatch(quote):
            short = False  # a fact box's "Opened: 1987", "Construction: 2017-2026"
        if short or not any(c.isalpha() for c in quote):
            continue
        out.append(
            {
                "start": ps,
                "end": pe,
                "text": _cap(base) if own_voice or own_source or said_again else attr.word(base),
                "attribution": adding_source or (None if own_voice or own_source else attribution),
                "unsure": unsure,
                "subject": main_subject,
                "type": typ,
                "glue": glue,
                "own_voice": own_voice,
            }
        )
    out.extend(extra)
    if attr_end is not None and trailing_attr is not None:
        last = _trim(sentence, s0, trailing_attr[0])[1]
        for d in out:
            if d["end"] == last and takes_trailing_attribution(d, sentence):
                d["end"] = attr_end
    for d in out:
        d["subject"] = main_subject
    out.sort(key=lambda d: (d["start"], d["end"]))
    return out


def _copula_for(noun_phrase: str, past: bool) -> str:
    """ "was"/"were" (a sentence in the past) or "is"/"are", agreeing with the head noun of
    ``noun_phrase`` (its last word: "passes" plural, "the bus" not)."""
    head = noun_phrase.split()[-1] if noun_phrase.split() else ""
    plural = head.islower() and head.endswith("s") and not head.endswith(("ss", "us", "is", "'s"))
    if past:
        return "were" if plural else "was"
    return "are" if plural else "is"


_FACT_ITEM_RE = re.compile(r"[A-Z][\w'’-]+:\s+\S*\d\S*")
_LEAD_SUB_RE = re.compile(
    r"(?:when|after|before|because|since|although|though|while|once|as)\s+", re.IGNORECASE
)


def _leading_subordinate(sentence: str, s0: int, e0: int) -> tuple[int, int, int] | None:
    """A clause that opens with a subordinate clause stating an event or a cause of its own,
    then a comma and the main clause ("When Dania introduced a similar ban in 2021, bar
    revenues fell 4%"): where the subordinate clause's own words start and end, and where the
    main clause starts; ``None`` otherwise (no clause after the connective: "After a
    nine-week trial, ...", "When asked, ..."; a condition: "If ...")."""
    m = _LEAD_SUB_RE.match(sentence, s0, e0)
    if m is None:
        return None
    comma = sentence.find(", ", m.end(), e0)
    if comma < 0 or _inside(comma, _protected(sentence)):
        return None
    sub, main = sentence[m.end() : comma], sentence[comma + 2 : e0]
    if len(sub.split()) < 3 or not _clause_start(sub) or "," in sub:
        return None
    if not (_clause_start(main) or present_subject(main)):
        return None
    return m.end(), comma, comma + 2


_CAUSE_OF_RE = re.compile(
    r"(?:(?:mainly|partly|largely|mostly|chiefly|in part)\s+)?(?:because of|due to|owing to)\s+"
)


def takes_trailing_attribution(piece: dict, sentence: str) -> bool:
    """Does the span of ``piece``, the last of its sentence, run on to a trailing ", the
    office said"? Not a piece about a noun of the clause (an apposition, a relative clause:
    the attribution is the whole sentence's), unless it is a figure's rank worded with its
    clause ("..., its lowest level since 2008, the office said")."""
    if piece.get("type") not in _NOUN_HANGING:
        return True
    if piece["type"] != "app":
        return False
    quote = sentence[piece["start"] : piece["end"]]
    return piece["text"] != quote and quote.split(" ", 1)[0].lower() in _POSSESSIVES


_POSSESSIVES = frozenset("its their his her our".split())
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
        if _is_past(w) or w in _AUX or w in ("did", "does"):
            return "verb"
        if len(w) > 3 and w[-1] == "s" and w[-2] not in "su'":
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
