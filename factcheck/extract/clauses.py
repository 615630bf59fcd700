"""Clause splitting: one sentence -> the pieces that each state one fact, with their wording."""

from __future__ import annotations

import re

from .claimant import _Attr, name_of
from .coordination import (
    PARTICIPLES,
    conjunct_wording,
    has_present_verb,
    infinitive_frame,
    is_conjunct_verb,
    present_subject,
)
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
    BARE_VERBS,
    MODAL_RE,
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
    r"(?P<rel>,\s+(?:which|who|whom|whose|where)\s+|,?\s+(?:in|during|at|on|under|by)\s+which\s+"
    r")"
    # "The study, led by researchers at ..., followed ...": a participle about the subject
    r"|(?P<ppart>,\s+(?=(?:led|published|founded|based|owned|run|built|created|established|"
    r"funded|located|named|chaired|headed|commissioned|formed|written|directed|managed|"
    r"operated|backed|controlled)\s+(?:by|in|at|on|for|as|alongside)\b))"
    # ", about 60% of the total", ", more than it receives in a year": a figure's share
    r"|(?P<figapp>,\s+(?=(?:(?:about|around|roughly|nearly|almost|some|just|only|over|more than|"
    r"less than|little more than|up to|well over)\s+)?(?:[$€£]?\d[\d,.]*\s?(?:%|percent\b|"
    r"per cent\b)?|half|a third|a quarter|two thirds|three quarters|most|many|all|none)\s+"
    r"(?:of|the)\s|(?:little\s+|far\s+|much\s+)?(?:more|less|fewer)\s+than\s"
    r"|(?:about\s+|almost\s+|nearly\s+|more\s+than\s+)?(?:twice|three times|four times|five times|"
    r"ten times|half|double|triple)\s+(?:as|the)\s"
    r"))"
    r"|(?P<app>,\s+(?=(?:the|a|an|their|its|his|her|our)\s+(?:first|second|third|fourth|fifth|last|only|latest|largest|"
    r"biggest|highest|lowest|worst|deadliest|best|most|least|\d+(?:st|nd|rd|th))\b))"
    r"|(?P<appsay>,\s+(?=(?:a|an|the)\s+[^\W\d_]+\s+(?:the|a|an|its|his|her|their|our)\s+"
    r"[^\W\d_]+(?:\s+[^\W\d_]+){0,2}\s+" + _SAY_EMBED + r"\s))"
    r"|(?P<appnp>,\s+(?=(?:the|a|an)\s+[^\W\d_]+(?:\s+[^\W\d_'’]+){0,5}\s+(?:[a-z]+ing|[a-z]+ed|responsible|"
    r"that|which|who|whose|with|known|accused|blamed)\b)"
    r"|,\s+(?=(?:the|a|an)\s+[^\W\d_]+(?:\s+[^\W\d_'’]+){0,6}\s*$))"
    r"|(?P<cmp>,\s+(?=" + _CMP_AHEAD + r"))"
    r"|(?P<making>,\s+(?=making\s+(?:it|them|him|her)\s))"
    r"|(?P<tadv>,\s+(?=" + _TADV_AHEAD + r"))"
    r"|(?P<adv>,\s+(?:(?:mainly|partly|largely|mostly|chiefly|primarily|in part)\s+)?"
    r"(?:amid|despite|whereas|although|though|but|because|while)\s+)"
    r"|(?P<semi>;\s+|\s+[—–]\s+|\s+--\s+)"
    # "Part-time jobs accounted for most of the increase: they rose by 48,000": two clauses
    r"|(?P<colon>:\s+(?![\"“]))"
    # "..., adding that imports rose 2%": the source's (or the subject's) second statement
    r"|(?P<adding>,\s+(?:adding|saying|noting|warning|arguing|insisting|claiming)\s+(?:that\s+)?"
    r"(?=\S))"
    r"|(?P<att>,\s+(?:according to|reported|said|says|told|added|noted|stated|announced|"
    r"confirmed|wrote|claimed)\s+)"
    r"|(?P<andthat>,?\s+(?:and|but)\s+that\s+)"
    # ", against a target of 18 minutes", ", pushing the balance into deficit": the figure's
    # yardstick or consequence, a fact of its own worded with the clause it hangs on
    r"|(?P<against>,\s+(?=(?:against|compared\s+(?:with|to))\s))"
    # ", driven by exports", ", with imports rising 3%": a cause or a second figure hanging on
    # the clause, a fact of its own worded with the clause
    r"|(?P<drv>,\s+(?=(?:(?:mainly|largely|partly|chiefly|mostly)\s+)?(?:driven|fuelled|fueled|"
    r"boosted|hit|hampered|held back|dragged down|weighed down|caused)\s+by\s"
    r"|with\s+(?:[^\s,;]+\s+){1,5}?[a-z]{3,}ing\b))"
    r"|(?P<part>,\s+(?=(?!(?:saying|adding|including|according|citing|following|using|during|"
    r"excluding|notably|something|nothing|anything|everything|bring|spring|morning|evening|"
    r"ceiling|building|ring|king|thing)\b)[a-z]{3,}ing\s))"
    # "... because of staff shortages", "... when thieves rammed the shop", "... after a storm
    # damaged the cranes", "... for diverting $3.4 million": a cause or an event of its own
    r"|(?P<sub>\s+(?=(?:(?:mainly|partly|largely|mostly|chiefly|in part)\s+)?"
    r"(?:because|when|after|as|for)\s))"
    # "... because of its plea and because it had paid ...": a second cause of the same clause
    r"|(?P<andsub>,?\s+and\s+(?=(?:because|after|when)\s))"
    # "voted to ban new lets and to cap existing ones": a second infinitive of the same verb
    r"|(?P<andto>,?\s+and\s+(?=to\s+[a-z]+\s))"
    r"|(?P<andv>,?\s+(?:and|but)\s+(?=(?:(?:[a-z]+ed|was|were|is|are|has|have|had|will|did|does|"
    r"would|could|can|may|might|must|should|"
    + _IRREGULAR_PAST.replace(" ", "|")
    + r"|taken|given|shown|seen|known|driven|written|broken|chosen|stolen|hidden|beaten|"
    r"fallen|risen|begun|done|gone|held|sent)\s|[a-z]{2,}[^s\W]s\s+(?:the|a|an|its|their|his|"
    r"her|\d|to|in|at|on|from|for|with|into)\b)))"
    # "Sales rose 4% and profits fell 2%": a second clause with its own subject and verb
    r"|(?P<andc>,?\s+and\s+(?=(?:(?:the|its|their|his|her|our|a|an)\s+)?[^\W\d_][\w'’-]*"
    r"(?:\s+[^\W\d_][\w'’-]*){0,2}\s+(?:" + _FINITE + r")\b"
    # "14 people died and 30 were injured": a figure as the second clause's subject
    r"|(?:(?:about|around|nearly|almost|some|over|more than|at least|up to|another)\s+)?"
    r"\d(?:[\d.]|,(?=\d))*%?(?:\s+(?!(?:but|and|or|in|on|at|to|from|by|for|of|than)\b)[a-z]+)?"
    r"\s+(?:" + _FINITE + r")\b))"
    # "will close its plant and move production to ...": a second verb after the modal
    r"|(?P<andb>,?\s+and\s+(?=[a-z]{2,}\s))"
)


_SAME_FIGURE_BEFORE_RE = re.compile(
    r"compared\s+(?:with|to)\s+[^,;]{1,60}?\s(?:a|one)\s+year\s+(?:earlier|before|ago)\s*(?:[,;.]|$)"
)


_SAY_AND_RE = re.compile(
    r"(?:said|noted|added|warned|argued|insisted|stressed|acknowledged|conceded|admitted|"
    r"cautioned|claimed|told|explained|pointed out)\b"
)


_REL_SAYS_RE = re.compile(
    r"(?:\S+\s+){0,4}?(?:said|says|say|claims|claimed|claim|believes|believed|estimates|"
    r"estimated|alleged|allege|alleges|told|put|puts)\b"
)


_AND_AUX = frozenset(
    "was were is are has have had will did does would could can may might must should".split()
)


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


# pieces that hang on another clause: an attribution after them is the whole sentence's
_HANGING = frozenset("app appnp rel cmp appsay making since sub against part ppart figapp".split())
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
    attribution = attr.who or None
    prot = [(a, b) for a, b in _protected(sentence) if a >= s0 and b <= e0]
    cuts: list[tuple[int, int, str]] = []  # (marker start, content start, type)
    for m in _SPLIT_RE.finditer(sentence, s0, e0):
        if _inside(m.start(), prot):
            continue
        typ = m.lastgroup or "semi"
        if typ == "andv" and _GAPPED_RE.match(sentence, m.end(), e0):
            # "Exports rose 4% and imports 2%": a gapped clause, not a second verb
            if _figure_list(sentence[cuts[-1][1] if cuts else s0 : e0]) is not None:
                continue
        if typ == "andv":
            nxt = sentence[m.end() : m.end() + 30].split(" ", 1)[0]
            if not is_conjunct_verb(nxt, _AND_AUX):
                continue
            if not (_is_past(nxt) or nxt in _AND_AUX or nxt in PARTICIPLES) and (
                _FINITE_RE.search(sentence, m.end() + len(nxt), min(e0, m.end() + 80))
                or not _VERB_HINT_RE.search(sentence, cuts[-1][1] if cuts else s0, m.start())
            ):
                continue  # "... and costs in the sector rose": a subject, not a verb
            if sentence[m.start() : m.end()].split()[0] == "but" and not _FINITE_RE.search(
                sentence, cuts[-1][1] if cuts else s0, m.start()
            ):
                continue
        elif typ == "drv":
            before = sentence[cuts[-1][1] if cuts else s0 : m.start()].lower()
            if not _FINITE_RE.search(before):
                continue
            typ = "part"
        elif typ == "andto":
            # only when the clause before governs an infinitive ("voted to ban ...")
            clause = sentence[cuts[-1][1] if cuts else s0 : m.start()]
            if infinitive_frame(clause) is None or not _FINITE_RE.search(clause.lower()):
                continue
        elif typ == "andsub":
            before = sentence[cuts[-1][1] if cuts else s0 : m.start()].lower()
            if (
                not cuts
                or cuts[-1][2] != "sub"
                or not _subordinate(sentence, m.end(), e0)
                or not _FINITE_RE.search(sentence[s0 : cuts[-1][0]].lower())
            ):
                continue
        elif typ == "against" and _SAME_FIGURE_BEFORE_RE.match(sentence, m.end(), e0):
            continue  # "a loss of 84 million, compared with a profit of 156 million a year
            # earlier": one change (GUIDE.md section 4), not a comparison
        elif typ == "andb":
            if not _bare_verb_after(sentence, m.end(), e0, cuts[-1][1] if cuts else s0, m.start()):
                continue
        elif typ in ("app", "appnp", "figapp"):
            before = sentence[cuts[-1][1] if cuts else s0 : m.start()].lower()
            if not _FINITE_RE.search(before) and not has_present_verb(before):
                continue
        elif typ == "colon":
            # only between two clauses ("Owners: Vindkraft Nord (70%), ..." is a list), and
            # not in a speaker's own words ('"We have to be honest: Skarva is ..."')
            if attr.direct:
                continue
            before = sentence[cuts[-1][1] if cuts else s0 : m.start()].lower()
            if not (_FINITE_RE.search(before) or has_present_verb(before)):
                continue
            if not _clause_start(sentence[m.end() : e0]):
                continue
            typ = "semi"
        elif typ == "andc":
            # only between two clauses ("the mayor and the governor denied it" is one)
            before = sentence[cuts[-1][1] if cuts else s0 : m.start()].lower()
            between = sentence[m.end() : m.end() + 60].lower().split()
            if not (_FINITE_RE.search(before) or has_present_verb(before)) or any(
                _FINITE_RE.fullmatch(w) for w in between[:1]
            ):
                continue
            if not _clause_start(sentence[m.end() : e0]):
                continue  # "... about drug trafficking and the presence of armed groups"
            typ = "semi"
        elif typ == "sub":
            before = sentence[cuts[-1][1] if cuts else s0 : m.start()].lower()
            if not _FINITE_RE.search(before) or not _subordinate(sentence, m.end(), e0):
                continue
        elif typ == "att" and not cuts and not _FINITE_RE.search(sentence, s0, m.start()):
            # "Reinholt's spokeswoman, Hanna Ostrow, said Lusk had ...": the subject's verb
            continue
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
        if typ == "andsub":
            owner, typ = root, "sub"  # the second cause hangs on the main clause too
        elif typ == "andto":
            owner = pieces[-1][3] if pieces[-1][2] == "andto" else len(pieces) - 1
        elif typ in ("andv", "andb"):
            prev_t = pieces[-1][2]
            if prev_t in ("andv", "andb"):
                owner = pieces[-1][3]
            elif prev_t in _HANGING and prev_t not in ("rel", "ppart"):
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
            if pieces[own][2] == "rel" and owner_quote and owner_base.endswith(owner_quote):
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
            frame = infinitive_frame(bases[own])
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
        elif typ == "figapp" and own >= 0:
            base = bases[own] + ", " + quote  # "..., about 60% of the total"
        elif typ in ("rel", "app", "appnp", "ppart") and own >= 0:
            os_, oe_ = spans[own]
            ant = _antecedent(sentence, os_, oe_, typ in ("rel", "ppart"))
            if ant and typ == "rel" and sentence[ant[0]].islower():
                nm = _NAME_BEFORE_APPOS_RE.search(sentence, 0, ant[0])
                rm = _REL_MARK_RE.match(sentence, pieces[idx - 1][1])
                if nm and rm and rm.group("w").lower() in ("who", "whose"):
                    ant = nm.span(1)  # who is the person, not the apposition
            if ant:
                ant_text = sentence[ant[0] : ant[1]].rstrip(",;: ")
                if typ == "ppart":
                    if _copula_ok(ant_text, "the"):
                        base = ant_text + " was " + quote  # "The study was led by ..."
                        glue = frozenset(("was",))
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
            if sm and not sm.group("of") and not gerund and not pron and _clause_start(rest):
                base = rest  # "when thieves rammed the shop": the clause states it
            elif 0 <= own < len(bases):
                base = bases[own] + " " + quote  # "... because of staff shortages"
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
            fl = None if ev is not None or not base.endswith(quote) else _figure_list(quote)
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
        if pe - ps < 8 or len(quote.split()) < 3 or not any(c.isalpha() for c in quote):
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
            if d["end"] == last and d["type"] not in _NOUN_HANGING:
                d["end"] = attr_end
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
        if _is_past(w) or w in _AUX or (len(w) > 3 and w[-1] == "s" and w[-2] not in "su'"):
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


_PRONOUN_SUBJECTS = frozenset("he she it they this that these those".split())
_TIME_CONNECTIVE_RE = re.compile(r"\b(?:after|before|following)\s+")


def time_clause(quote: str) -> str | None:
    """The clause after the connective of a time adjunct ("nearly two years after a storm
    surge tore away two spans" -> "a storm surge tore away two spans"), unless it opens with a
    pronoun or a gerund; ``None`` when there is no such clause."""
    m = _TIME_CONNECTIVE_RE.search(quote)
    if m is None:
        return None
    rest = quote[m.end() :]
    first = rest.split(" ", 1)[0].lower()
    if first in _PRONOUN_SUBJECTS or first.endswith("ing"):
        return None
    return rest


_SUB_RE = re.compile(
    r"(?:(?:mainly|partly|largely|mostly|chiefly|in part)\s+)?(?P<m>because|when|after|as|for)\s+"
    r"(?P<of>of\s+)?"
)
_NOT_AFTER_AS = frozenset(
    "well such soon long far much many part a an if though same just so twice".split()
)


def _clause_start(rest: str) -> bool:
    """Does ``rest`` open with a clause: a subject of at most seven words, then its verb?"""
    words = rest.split(None, 9)
    for i, w in enumerate(words[:9]):
        low = w.lower().strip(',;:"“”')
        if i and (_is_past(low) or low in _AUX):
            return words[i - 1].lower() not in _DETERMINERS  # "a failed investment": no verb
        if low in _PREPS and i == 0:
            if i + 1 < len(words) and words[i + 1][:1].isdigit() and low in ("about", "over"):
                continue  # "about 2,000 homes lost power": a figure, not a preposition
            return False
    return False


def _subordinate(sentence: str, at: int, e0: int) -> bool:
    """Does the adjunct at ``at`` ("because ...", "when ...", "after ...", "as ...", "for
    ...") state something of its own: a cause, a clause, or a gerund ("for diverting")?"""
    m = _SUB_RE.match(sentence, at, e0)
    if m is None:
        return False
    rest = sentence[m.end() : e0]
    first = rest.split(" ", 1)[0].lower()
    word = m.group("m")
    if word == "because":
        return len(rest.split()) >= 2
    if word == "for":
        return first.endswith("ing") and len(first) > 5
    if word == "after" and first.endswith("ing") and len(first) > 5:
        return True
    if word == "as":
        before = sentence[max(0, at - 12) : at].split()
        if first in _NOT_AFTER_AS or (before and before[-1].lower() in _NOT_AFTER_AS):
            return False
    return _clause_start(rest)


_ASIDE_REL_RE = re.compile(r"(?P<w>who|whom|whose|which)\s+(?=\S)")


def _aside_claims(sentence: str, attr: _Attr) -> list[dict]:
    """The article's own statements in the asides between a source and its verb
    ("Bettina Kross, the general secretary of the federation, whose predecessor resigned
    ..., said ..."): "Bettina Kross's predecessor resigned ...", "Bettina Kross is the general
    secretary of the federation"; never the source's claim. An aside that is no relative
    clause or plain noun phrase ("speaking after the vote", an age, the name itself) states
    nothing here."""
    a, b, kind = name_of(attr.who)
    name = attr.who[a:b].strip()
    out: list[dict] = []
    for s, e in attr.asides:
        chunk = sentence[s:e]
        if len(chunk.split()) < 3:
            continue
        glue: frozenset = frozenset()
        rm = _ASIDE_REL_RE.match(chunk)
        if rm is not None:
            rest = chunk[rm.end() :]
            w = rm.group("w")
            if w == "whose":
                base = name + "'s " + rest
            elif w == "whom":
                last = rest.split()[-1].lower()
                if not _is_past(last):
                    continue
                base = rest + " " + name  # "whom the judge commended"
            elif w == "which":
                base = attr.who + " " + rest  # "Northline, which runs ...": as the article names it
            elif _VERB_HINT_RE.search(rest) or _FINITE_RE.search(rest):
                base = name + " " + rest
            else:
                continue
        elif _copula_ok(name, chunk) and not _FINITE_RE.search(chunk.split(" who ")[0].lower()):
            base = name + " is " + chunk
            glue = frozenset(("is",))
        else:
            continue
        out.append(
            {
                # a relative clause's span starts past its "who"/"which", as in _clause_claims
                "start": s + rm.end() if rm is not None else s,
                "end": e,
                "text": _cap(base),
                "attribution": None,
                "subject": name,
                "type": "rel" if rm is not None else "app",
                "glue": glue,
                "own_voice": True,
            }
        )
    return out


_OBJECT_OPENERS = frozenset(
    "its their his her all more up down one two three four five six seven eight nine ten "
    "eleven twelve twenty thirty forty fifty hundred hundreds thousands dozens".split()
)
_NEXT_TWO_RE = re.compile(r"([a-z]+)\s+([$€£]?[\w'’]+)(?:\s+([\w'’]+))?")


def _bare_verb_after(sentence: str, at: int, e0: int, clause_start: int, and_at: int) -> bool:
    """Is "and" at ``and_at`` followed (at ``at``) by a second bare verb of a clause whose verb
    follows a modal ("will close its plant and move production to Stek", "would cut 300 jobs
    and sell two buildings")? The verb must be one of :data:`BARE_VERBS` and take an object:
    a determiner or a figure next, or a noun and a preposition ("move production to")."""
    m = _NEXT_TWO_RE.match(sentence, at, e0)
    if m is None or m.group(1) not in BARE_VERBS:
        return False
    mm = MODAL_RE.search(sentence, clause_start, and_at)
    if mm is None or mm.group("verb") not in BARE_VERBS:
        return False
    nxt, after = m.group(2), (m.group(3) or "").lower()
    low = nxt.lower()
    if low in _DETERMINERS or low in _OBJECT_OPENERS:
        return True
    if nxt[:1].isdigit() or nxt[:1] in "$€£":
        return True
    return nxt.islower() and after in _PREPS


_GAPPED_RE = re.compile(r"[a-z]+\s+[$€£]?\d[\d.,]*(?:\s?(?:%|per\s?cent|percent))?\s*$")
_FIGURE_RE = re.compile(r"[$€£]?\d[\d.,]*(?:\s?(?:%|per\s?cent|percent))?")
_LIST_ITEM_SEP_RE = re.compile(r",\s+(?:and\s+)?|\s+and\s+")
_FIGURE_END_RE = re.compile(
    r"(?:(?P<prep>at|on|to|by|with|of)\s+)?(?P<fig>(?:about\s+|nearly\s+|almost\s+)?[$€£]?\d[\d.,]*"
    r"(?:\s?(?:%|per\s?cent|percent))?(?:\s+(?:million|billion|thousand|tonnes|points?))?)$"
)


def _figure_list(quote: str) -> tuple[int, list[tuple[int, int, str]]] | None:
    """A clause ending in a list of figures that measure different things (GUIDE.md section
    4): "The poll put Abel at 44%, Reinholt at 41% and Moll at 9%" (the same frame: "The
    poll put Reinholt at 41%"), "Wheat exports fell 12%, maize exports 8% and barley exports
    5%" (gapping: the verb of the first, only when the items share its subject's head noun).
    Returns where the first clause ends and (start, end, wording) of each further item, in
    ``quote``'s offsets; ``None`` unless every item is short, verbless and ends in a figure."""
    seps = list(_LIST_ITEM_SEP_RE.finditer(quote))
    if not seps or not _FINITE_RE.search(quote.lower(), 0, seps[0].start()):
        return None
    bounds = [(0, seps[0].start())]
    for i, m in enumerate(seps):
        bounds.append((m.end(), seps[i + 1].start() if i + 1 < len(seps) else len(quote)))
    head_s, head_e = bounds[0]
    head = quote[head_s:head_e]
    hm = _FIGURE_END_RE.search(head)
    if hm is None:
        # "Exports rose 4% in March and imports 2%": the figure before a time adjunct
        found = list(_FIGURE_RE.finditer(head))
        if not found:
            return None
        hm = _FIGURE_END_RE.search(head, 0, found[-1].end())
    items: list[tuple[int, int, str]] = []
    for a, b in bounds[1:]:
        item = quote[a:b]
        words = item.split()
        im = _FIGURE_END_RE.search(item)
        if im is None or not 2 <= len(words) <= 5 or _FINITE_RE.search(item.lower()):
            return None
        np_ = item[: im.start()].strip()
        if not np_:
            return None
        if im.group("prep"):
            # the same frame: what stands before "at 44%" in the first clause is replaced
            if hm.group("prep") != im.group("prep"):
                return None
            n = len(np_.split())
            before = head[: hm.start()].split()
            if len(before) <= n:
                return None
            frame = " ".join(before[:-n])
            wording = frame + " " + item
        else:
            if hm.group("prep"):
                return None
            subj, sv = _subject_verb(head)
            if not subj or not sv:
                return None
            same_head = subj.split()[-1].lower() == np_.split()[-1].lower()
            plurals = " " not in subj + np_ and subj.endswith("s") and np_.endswith("s")
            if not (same_head or plurals):
                return None  # "..., February 2%": a month, not a second subject
            verb = sv[len(subj) :].strip()
            wording = np_ + " " + verb + " " + im.group("fig")
        items.append((a, b, wording))
    return head_e, items
