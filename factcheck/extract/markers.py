"""Where a sentence splits into pieces that each state one fact: the markers (",
which", " and " + a second verb, ", according to", "; ", " because " ...) in ``_SPLIT_RE`` and
:func:`find_cuts`, which keeps a marker only where it really opens a piece of its own."""

from __future__ import annotations

import re

from .claimant import _Attr
from .coordination import (
    PARTICIPLES,
    _bare_verb_after,
    has_present_verb,
    infinitive_frame,
    is_conjunct_verb,
    present_subject,
)
from .filters import _PLURAL_PRESENT, has_verb
from .grammar import (
    _AUX,
    _DETERMINERS,
    _FINITE,
    _FINITE_RE,
    _IRREGULAR_PAST,
    _REPORTED_RE,
    _VERB_HINT_RE,
    _inside,
    _is_past,
)
from .lists import _GAPPED_RE, _figure_list
from .relatives import relative_kind
from .subordinates import _clause_start, _subordinate

_CMP_AHEAD = (
    r"(?:(?:about|around|roughly|nearly|almost|some|just|only|over|more than|less than)\s+)?"
    r"(?:[$€£]?\d[\d,.]*\s?(?:%|percent\b|per cent\b)?"
    r"|(?:a|one|two|three)\s+(?:third|half|quarter|fifth)s?"
    r"|(?:one|two|three|four|five|six|seven|eight|nine|ten|twice)(?=\s+(?:more|fewer|less)\s+than\b))"
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
    # ", used by about 22,000 people," after a subject; ", helped by a record harvest" after a
    # clause (a cause): any participle with its agent, place or time (checked in find_cuts)
    r"|(?P<gppart>,\s+(?=[a-z]{2,}ed\s+(?:by|in|at|on|from)\s))"
    # ", about 60% of the total", ", more than it receives in a year": a figure's share
    r"|(?P<figapp>,\s+(?=(?:(?:about|around|roughly|nearly|almost|some|just|only|over|more than|"
    r"less than|little more than|up to|well over)\s+)?(?:[$€£]?\d[\d,.]*\s?(?:%|percent\b|"
    r"per cent\b)?|half|a third|a quarter|two thirds|three quarters|most|many|all|none)\s+"
    r"(?:of|the)\s|(?:little\s+|far\s+|much\s+)?(?:more|less|fewer)\s+than\s"
    r"|(?:about\s+|almost\s+|nearly\s+|more\s+than\s+)?(?:twice|three times|four times|five times|"
    r"ten times|half|double|triple)\s+(?:as|the)\s"
    # ", among them 23 children"; ", 34 miles away": a figure of its own about the clause
    r"|among\s+(?:them|whom)\s"
    # ", nine of them in winter": a count of its own among the clause's figure
    r"|(?:one|two|three|four|five|six|seven|eight|nine|ten|\d[\d,.]*|several|some|most|many|"
    r"half|all|none)\s+of\s+them\b"
    # ", well above the central bank's 2% target", ", unchanged from last year": the figure
    # against a yardstick or another period (GUIDE.md section 4)
    r"|(?:(?:well|far|much|just|slightly|still)\s+)?(?:above|below)\s+(?:the|its|their|a|an)\s"
    r"|unchanged\s+(?:from|on)\s"
    # ", at a cost of about 60 million crowns a year": what the clause costs
    r"|at\s+a\s+(?:cost|price)\s+of\s"
    r"|(?:about\s+|some\s+|nearly\s+)?\d[\d,.]*\s+(?:miles|km|kilometres|kilometers|metres)\s+"
    r"(?:away|north|south|east|west|from|off|up|down)\b"
    r"))"
    r"|(?P<app>,\s+(?=(?:the|a|an|their|its|his|her|our)\s+(?:first|second|third|fourth|fifth|last|only|latest|largest|"
    r"biggest|highest|lowest|worst|deadliest|best|most|least|record|\d+(?:st|nd|rd|th))\b))"
    r"|(?P<appsay>,\s+(?=(?:a|an|the)\s+[^\W\d_]+\s+(?:the|a|an|its|his|her|their|our)\s+"
    r"[^\W\d_]+(?:\s+[^\W\d_]+){0,2}\s+" + _SAY_EMBED + r"\s))"
    r"|(?P<appnp>,\s+(?=(?:the|a|an)\s+[^\W\d_]+(?:\s+[^\W\d_'’]+){0,5}\s+(?:[a-z]+ing|[a-z]+ed|responsible|"
    r"that|which|who|whose|with|known|accused|blamed)\b)"
    r"|,\s+(?=(?:the|a|an)\s+[^\W\d_]+(?:\s+[^\W\d_'’]+){0,6}\s*$))"
    r"|(?P<cmp>,\s+(?=" + _CMP_AHEAD + r"))"
    r"|(?P<making>,\s+(?=making\s+(?:it|them|him|her)\s))"
    r"|(?P<tadv>,\s+(?=" + _TADV_AHEAD + r"))"
    # (", mainly because ...": a cause, the "sub" marker below)
    r"|(?P<adv>,\s+(?:amid|despite|whereas|although|though|but|while)\s+)"
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
    r"|(?P<part>,\s+(?=(?!(?:saying|adding|including|according|following|using|during|"
    r"excluding|notably|something|nothing|anything|everything|bring|spring|morning|evening|"
    r"ceiling|building|ring|king|thing)\b)[a-z]{3,}ing\s))"
    # "... because of staff shortages", "... when thieves rammed the shop", "... after a storm
    # damaged the cranes", "... for diverting $3.4 million": a cause or an event of its own
    r"|(?P<sub>\s+(?=(?:(?:mainly|partly|largely|mostly|chiefly|in part)\s+)?"
    r"(?:because|when|after|as|for|so\s+that|while|whereas)\s))"
    # "... because of its plea and because it had paid ...": a second cause of the same clause
    r"|(?P<andsub>,?\s+and\s+(?=(?:because|after|when)\s))"
    # "..., killing 31 people and injuring more than 200": a second participle of the same
    # clause (only after a first one, checked in find_cuts)
    r"|(?P<andpart>,?\s+and\s+(?=(?!(?:during|morning|evening|nothing|something|everything|"
    r"building|spring|bring|thing)\b)[a-z]{3,}ing\s))"
    # "work that was never carried out", "an e-mail that the site office never answered": a
    # restrictive relative clause with a fact of its own (checked by relatives.relative_kind)
    r"|(?P<rrel>\s+(?=that\s))"
    # "was lowest in Almer, at 3.1%, and highest in Grauland, at 9.8%", "... and the highest
    # on record", "... and slightly below the 3.3% expected": a second comparison
    r"|(?P<andadj>,?\s+and\s+(?=(?:the\s+)?(?:(?:slightly|well|far|much|just)\s+)?"
    r"(?:(?!(?:interest|forest|protest|request|harvest|west|guest|rest|test|chest|nest|contest|"
    r"arrest|suggest|honest|modest|invest|digest)\b)[a-z]{3,}est|best|worst|most\s+[a-z]+|"
    r"below|above)\b"
    # "a year later than planned and about 20% over budget": a second figure against a yardstick
    r"|(?:(?:about|nearly|almost|some|roughly|more\s+than)\s+)?\d[\d.,]*\s?%?\s+"
    r"(?:over|under|above|below)\s))"
    # "voted to ban new lets and to cap existing ones": a second infinitive of the same verb
    r"|(?P<andto>,?\s+and\s+(?=to\s+[a-z]+\s|by\s(?!the\s+way|then|far|now)))"
    r"|(?P<andv>,?\s+(?:and|but)\s+(?=(?:(?:now|also|later|then|still)\s+)?(?:(?:[a-z]+ed|was|were|is|are|has|have|had|will|did|does|"
    r"would|could|can|may|might|must|should|"
    + _IRREGULAR_PAST.replace(" ", "|")
    + r"|taken|given|shown|seen|known|driven|written|broken|chosen|stolen|hidden|beaten|"
    r"fallen|risen|begun|done|gone|held|sent)\s|[a-z]{2,}[^s\W]s\s+(?:the|a|an|its|their|his|"
    r"her|us|them|him|\d|to|in|at|on|from|for|with|into|two|three|four|five|six|seven|eight|nine|ten|"
    r"several|most|all)\b)))"
    # "Sales rose 4% and profits fell 2%": a second clause with its own subject and verb
    r"|(?P<andc>,?\s+and\s+(?=(?:(?:the|its|their|his|her|our|a|an)\s+)?[^\W\d_][\w'’-]*"
    r"(?:\s+(?!(?:and|or|but)\b)[^\W\d_][\w'’-]*){0,3}\s+(?:"
    + _FINITE
    + r"|[a-z]{2,}[^s\W'’]s(?=\s+(?:\d|the|a|an)\b))\b"
    # "14 people died and 30 were injured": a figure as the second clause's subject
    r"|(?:(?:about|around|nearly|almost|some|over|more than|at least|up to|another)\s+)?"
    r"\d(?:[\d.]|,(?=\d))*%?(?:\s+(?!(?:but|and|or|in|on|at|to|from|by|for|of|than)\b)[a-z]+)?"
    r"\s+(?:" + _FINITE + r")\b))"
    # "will close its plant and move production to ...": a second verb after the modal
    r"|(?P<andb>,?\s+and\s+(?=[a-z]{2,}\s))"
)


# "and wants us to ...": a verb with its object, never a noun
_OBJECT_PRONOUNS = frozenset("us them him her me you".split())
_ACCORDING_AT_RE = re.compile(r",\s+according to\s")
_CONJ_ADVERBS = frozenset("now also later then still".split())
_MODAL_DO_RE = re.compile(r"\b(?:did|does|do|could|can|may|might|must|should|shall)\b")
_AGENT_PARTICIPLE_RE = re.compile(r"\b[a-z]+ed\s+by\b")
_SAME_FIGURE_BEFORE_RE = re.compile(
    r"compared\s+(?:with|to)\s+[^,;]{1,60}?\s(?:a|one)\s+year\s+(?:earlier|before|ago)\s*(?:[,;.]|$)"
)
_AND_AUX = frozenset(
    "was were is are has have had will did does would could can may might must should".split()
)
_RESUME_RE = re.compile(r",\s+([A-Za-z]+)\b")


_PRESENT_S_RE = re.compile(r"\b(?!(?:this|his|its|us|was|has|is|does)\b)[a-z]{2,}[^s\W'’]s\b")


# a description that calls something what it is: its relative clause is part of the verdict
_EVALUATIVE_RE = re.compile(r"\b(?:called|calls|call|described|describes|labelled|branded)\b")
_CONTRAST_AIM_RE = re.compile(r"(?:while|whereas|so\s+that)\s")
# "Flu kills between 400 and 1,100 people", "Police figures show 11 deaths": a verb in the
# plain present before its object (a figure, a determiner), not a plural noun ("schools, about")
_PLAIN_PRESENT_RE = re.compile(
    r"\b(?:[a-z]{2,}[^s\W'’]s|show|suggest)\s+(?:the|a|an|its|their|his|her|about|between|more|"
    r"nearly|almost|over|some)\b|\b(?:[a-z]{2,}[^s\W'’]s|show|suggest)\s+\d"
)
# a time adjunct that may open a clause: "in 2023", "last year", "on Monday"
_TIME_OPENER_RE = re.compile(
    r"(?:(?:in|on|since|by)\s+(?:\d{4}|[A-Z][a-z]+(?:\s+\d{1,2})?)|(?:last|this|next)\s+"
    r"(?:year|month|week|spring|summer|autumn|winter))\s*,?\s+(?=\S)"
)
_REL_VERB_RE = re.compile(r"\b(?:who|which|that)\s+[a-z]+")
# pieces that hang on the clause before them, not on one of its nouns
_HANGS_ON_CLAUSE = frozenset("app figapp part cmp against".split())


def _plural_verb(clause: str) -> bool:
    """A plural present verb of :data:`filters._PLURAL_PRESENT` after a word that is no
    determiner ("students come from", not "the work")."""
    words = clause.split()
    return any(
        w in _PLURAL_PRESENT and i and words[i - 1] not in _DETERMINERS for i, w in enumerate(words)
    )


def find_cuts(
    sentence: str, s0: int, e0: int, attr: _Attr, prot: list[tuple[int, int]]
) -> list[tuple[int, int, str]]:
    """The places where ``sentence[s0:e0]`` splits: (marker start, content start, type), the
    types of ``_SPLIT_RE``'s groups ("andc" becomes "semi", "drv" "part"); ``prot`` are the
    quoted or bracketed stretches no marker inside of counts."""
    cuts: list[tuple[int, int, str]] = []  # (marker start, content start, type)
    clause_s = s0  # where the clause being cut starts (a source between two parts skipped)
    for m in _SPLIT_RE.finditer(sentence, s0, e0):
        if _inside(m.start(), prot):
            continue
        typ = m.lastgroup or "semi"
        if typ == "andv" and _GAPPED_RE.match(sentence, m.end(), e0):
            # "Exports rose 4% and imports 2%": a gapped clause, not a second verb
            if _figure_list(sentence[clause_s:e0]) is not None:
                continue
        if typ == "andv" and cuts and cuts[-1][2] == "ppart":
            # "The trial, led by researchers at X and published in Y, followed ...": a second
            # participle about the same noun
            nxt = sentence[m.end() : m.end() + 40].split(" ", 1)[0]
            if _is_past(nxt) or nxt in PARTICIPLES:
                cuts.append((m.start(), m.end(), "ppart"))
                clause_s = m.end()
                continue
        if typ == "andv":
            nxt = sentence[m.end() : m.end() + 40].split(" ", 2)
            nxt = nxt[1] if len(nxt) > 1 and nxt[0] in _CONJ_ADVERBS else nxt[0]
            if not is_conjunct_verb(nxt, _AND_AUX):
                continue
            comma = sentence.find(",", m.end(), e0)
            if cuts and cuts[-1][2] == "rel" and comma >= 0:
                rm = _RESUME_RE.match(sentence, comma)
                if rm and (_is_past(rm.group(1)) or rm.group(1).lower() in _AUX):
                    continue  # "X, which opened in 2024 and now carries ..., is ...": the
                    # main clause resumes after the relative clause
            present = not (_is_past(nxt) or nxt in _AND_AUX or nxt in PARTICIPLES)
            if present and not (
                _PRESENT_S_RE.search(sentence, clause_s, m.start())
                or _FINITE_RE.search(sentence, clause_s, m.start())
            ):
                continue  # "must require wisdom and smarts in ...": no verb like the first
            after = sentence[m.end() + len(nxt) : m.end() + len(nxt) + 12].split(" ", 2)
            takes_object = len(after) > 1 and after[1].lower() in _OBJECT_PRONOUNS
            if (
                present
                and not takes_object
                and (
                    _FINITE_RE.search(
                        sentence, m.end() + len(nxt), min(e0 if comma < 0 else comma, m.end() + 80)
                    )
                    or not (
                        _VERB_HINT_RE.search(sentence, clause_s, m.start())
                        or _FINITE_RE.search(sentence, clause_s, m.start())
                    )
                )
            ):
                continue  # "... and costs in the sector rose": a subject, not a verb
            if sentence[m.start() : m.end()].split()[0] == "but" and not (
                _FINITE_RE.search(sentence, clause_s, m.start())
                or _MODAL_DO_RE.search(sentence, clause_s, m.start())
            ):
                continue  # "did not dispute the number but said ...": two verbs
        elif typ == "gppart":
            if not _is_past(sentence[m.end() : e0].split(" ", 1)[0]):
                continue
            before = sentence[clause_s : m.start()].lower()
            typ = "part" if _FINITE_RE.search(before) or has_present_verb(before) else "ppart"
        elif typ == "andpart":
            if not cuts or cuts[-1][2] != "part":
                continue
            typ = "part"
        elif typ == "drv":
            before = sentence[clause_s : m.start()].lower()
            if not _FINITE_RE.search(before):
                continue
            typ = "part"
        elif typ == "andto":
            # only when the clause before governs an infinitive ("voted to ban ...") or has
            # the same preposition ("was caused by a shortage ... and by a cable fault")
            clause = sentence[clause_s : m.start()]
            word = sentence[m.end() : m.end() + 3].strip()
            if infinitive_frame(clause, word) is None or not _FINITE_RE.search(clause.lower()):
                continue
        elif typ == "andadj":
            before = sentence[clause_s : m.start()].lower()
            if not (_FINITE_RE.search(before) or has_present_verb(before)):
                continue
        elif typ == "rrel":
            before = sentence[clause_s : m.start()].lower()
            if _EVALUATIVE_RE.search(before):
                continue  # "called the closures an act of vandalism that would cost 40 jobs"
            if (
                attr.direct  # a speaker's own words: "We have farmers that ..."
                or (cuts and cuts[-1][2] not in ("semi", "andthat", "andv", "adv"))
                or _inside(m.end(), prot)
                or not (_FINITE_RE.search(before) or has_present_verb(before))
                or relative_kind(sentence, m.end(), e0) is None
            ):
                continue
        elif typ == "andsub":
            before = sentence[clause_s : m.start()].lower()
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
            if not _bare_verb_after(sentence, m.end(), e0, clause_s, m.start()):
                continue
        elif typ in ("app", "appnp", "figapp"):
            before = sentence[clause_s : m.start()].lower()
            verb_phrase = bool(cuts) and cuts[-1][2] in ("andv", "andb", "andto")
            if not (
                _FINITE_RE.search(before)
                or has_present_verb(before)
                # "Flu kills 400 people a year, most of them over 65"; "figures show 11 deaths"
                or (typ == "figapp" and _PLAIN_PRESENT_RE.search(before))
                or verb_phrase  # "... and move births to Aldmoor, 34 miles away"
                or (typ == "figapp" and _plural_verb(before))  # "students come from ..., most"
            ):
                continue
        elif typ == "colon":
            # only between two clauses ("Owners: Vindkraft Nord (70%), ..." is a list), and
            # not in a speaker's own words ('"We have to be honest: Skarva is ..."')
            if attr.direct:
                continue
            before = sentence[clause_s : m.start()].lower()
            if not (_FINITE_RE.search(before) or has_present_verb(before)):
                continue
            rest = sentence[m.end() : e0]
            tm = _TIME_OPENER_RE.match(rest)
            if tm is not None:
                rest = rest[tm.end() :]  # ": in 2023 the company withdrew ..."
            if not (_clause_start(rest) or present_subject(rest)):
                continue  # (": the company runs 480 counters": a clause in the present too)
            typ = "semi"
        elif typ == "andc":
            # only between two clauses ("the mayor and the governor denied it" is one)
            before = sentence[clause_s : m.start()].lower()
            between = sentence[m.end() : m.end() + 60].lower().split()
            # ", and" after a clause in the plain present ("Night temperatures fall below
            # freezing, and snow is forecast"): a comma and a verb of any kind before it
            comma = sentence[m.start()] == "," and has_verb(sentence[clause_s : m.start()])
            if not (_FINITE_RE.search(before) or has_present_verb(before) or comma) or any(
                _FINITE_RE.fullmatch(w) for w in between[:1]
            ):
                continue
            rest = sentence[m.end() : e0]
            if not _clause_start(rest) and not present_subject(rest):
                continue  # "... about drug trafficking and the presence of armed groups"
            typ = "semi"
        elif typ == "sub":
            if attr.direct and _CONTRAST_AIM_RE.match(sentence, m.end()):
                continue  # '"My shop lost 40% while the road was shut," said ...': her words
            before = sentence[clause_s : m.start()].lower()
            # "Viewers polled by the broadcaster after the debate were split": a participle
            # with its agent is no verb of the clause
            before = _AGENT_PARTICIPLE_RE.sub(" by", before)
            # "Pupils who used phones after midnight slept less": the verb of a relative
            # clause is no verb of the clause the adjunct would hang on
            before = _REL_VERB_RE.sub(" ", before)
            if not _subordinate(sentence, m.end(), e0):
                continue
            if not _FINITE_RE.search(before):
                # "Output fell 2%, its fifth decline in a row, mainly because orders dropped";
                # "..., beating forecasts, as price rises offset ...": after a piece that hangs
                # on the clause (an apposition, a figure, a participle), the cause or the
                # circumstance is the clause's too
                if not (
                    cuts
                    and cuts[-1][2] in _HANGS_ON_CLAUSE
                    and _FINITE_RE.search(sentence[s0 : cuts[-1][0]].lower())
                ):
                    continue
                typ = "andsub"
        elif (
            typ == "att"
            and not cuts
            and not _FINITE_RE.search(sentence, s0, m.start())
            and not (
                _ACCORDING_AT_RE.match(sentence, m.start()) and has_verb(sentence[s0 : m.start()])
            )
        ):
            # "Reinholt's spokeswoman, Hanna Ostrow, said Lusk had ...": the subject's verb
            continue
        elif typ == "att" and cuts and cuts[-1][2] in ("rel", "app", "appnp"):
            # "The ministry, which ..., said the drought was ...": the subject's own verb and
            # the clause it reports, not a trailing "..., said Name"
            if _REPORTED_RE.match(sentence, m.end(), e0):
                continue
        cuts.append((m.start(), m.end(), typ))
        if typ != "att":
            clause_s = m.end()
    return cuts
