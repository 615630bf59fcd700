"""Restrictive relative clauses that state a fact of their own ("work that was never carried
out", "an e-mail that the site office never answered"): only "that" clauses; "who" clauses
mostly define whom a statement is about ("pupils who put their phones away"):
where one starts in a clause, and its wording with the noun it describes.

Pure steps used by :mod:`factcheck.extract.clauses`:

- :func:`relative_kind`: does "that"/"who" at a position open such a clause, and is the noun
  its subject ("subj") or its object ("obj")?
- :func:`relative_wording`: the clause worded with that noun ("The work was never carried
  out", "The site office never answered an e-mail", "Prosecutors said a holiday home had been
  bought with the proceeds").
"""

from __future__ import annotations

import re

from .grammar import _DETERMINERS, _FINITE_RE, _is_past

# nouns whose "that" opens what they say or mean, not a relative clause ("the fact that")
_CONTENT_NOUNS = frozenset(
    "fact belief hope hopes claim claims view idea suggestion sign signs evidence news report "
    "reports warning warnings assurance assurances argument assumption concern concerns fear "
    "fears possibility risk chance likelihood notion allegation allegations statement rumour "
    "rumours message promise pledge decision ruling finding findings conclusion conclusions "
    "proof point case grounds condition conditions basis way time times day year moment "
    "sense feeling certain clear likely unlikely possible true".split()
)
# words before "that"/"who" that are no noun
_NOT_NOUNS = frozenset(
    "so such now than given except and but or that this those these all one ones some many "
    "most few any each everything something nothing anything everyone anyone someone it he "
    "she they we you i there here said says say told warned found showed shows show claimed "
    "argued added noted stated insisted confirmed believed believe believes estimated thought "
    "think thinks knew know known expected expects hoped felt feel heard seen realised "
    "realized ensure ensured means meant suggest suggested suggests agreed agree agrees "
    "announced reported concluded shown ruled decided admitted denied revealed sure aware "
    "confident certain at in on for to from with by of about after before during since under "
    "over into like as them us me him her you".split()
)
# verbs whose "that" opens what is said, found, shown ...
_COMPLEMENT_VERB_RE = re.compile(
    r"\b(?:said|says|say|told|tells|tell|warned|warns|estimated|estimates|found|finds|showed|"
    r"shows|show|argued|argues|claimed|claims|announced|confirmed|reported|noted|added|"
    r"insisted|stated|ruled|decided|concluded|believed|believes|expects|expected|agreed|heard|"
    r"learned|revealed|admitted|denied|suggested|suggests|acknowledged|means|meant|knew|knows|"
    r"ensure|ensured|testified|alleged|alleges|accepted|accepts|assured|reminded|informed)\b",
    re.IGNORECASE,
)
# what may stand between a verb and the "that" of what it reports ("said on Tuesday that")
_TIME_OPENERS = frozenset(
    "on in at last this during after before earlier yesterday today recently again also "
    "repeatedly previously".split()
)
# verbs that take whom they tell before the "that" of what they tell ("warned Vinter in writing
# in May 2019 that the price was too low")
_TELL_VERBS = frozenset(
    "told tells tell reminded informed assured warned warns promised notified advised".split()
)
_ADVERBS = frozenset("never not also still now later already recently then once".split())
_AUX = frozenset("was were is are has have had will would could can may might must".split())
_SAY = frozenset("said says say believe believes believed estimated estimate claimed".split())
_WORD_RE = re.compile(r"[\w'’%$€£.-]+")


_OBJECT_NEXT = _DETERMINERS | frozenset("to at for up in on by".split())


def _is_verb(word: str, nxt: str | None = None) -> bool:
    """A finite verb: a tense or an auxiliary, or a present-tense "-s" verb (when ``nxt``,
    the word after it, is given: only before an object or a preposition, as "raises the";
    "prosecutors said" is a noun)."""
    w = word.lower()
    if w in _AUX or _is_past(w) or bool(_FINITE_RE.fullmatch(w)):
        return True
    if len(w) <= 3 or not w.endswith("s") or w.endswith(("ss", "us", "is", "'s", "’s")):
        return False
    return nxt is None or nxt.lower() in _OBJECT_NEXT or nxt[:1].isdigit()


def relative_kind(sentence: str, at: int, end: int) -> str | None:
    """Is ``sentence[at:]`` ("that ...", up to ``end``) a restrictive relative
    clause after a noun, stating a fact of its own? "subj" when the noun is its subject
    ("work that was never carried out"), "obj" when its object ("an e-mail that the site
    office never answered", "a home that prosecutors said had been bought"), else ``None``."""
    before = sentence[:at].split()
    if not before:
        return None
    prev = before[-1].lower().strip(",;:\"“”'’()")
    if (
        not re.fullmatch(r"[\w%$€£.-]+", prev)
        or prev in _NOT_NOUNS
        or prev in _CONTENT_NOUNS
        or prev in _DETERMINERS
    ):
        return None
    if prev.endswith("ly") or _is_past(prev) or (prev.endswith("ing") and len(prev) > 5):
        return None
    if prev.endswith(("ble", "ful", "ous")) or before[-1].endswith(","):
        return None  # an adjective ("sensible that ..."); ", that ...": no restrictive clause
    if prev in _AUX:
        return None  # "The target is that no patient waits ...": a complement
    words = _WORD_RE.findall(sentence[at:end])
    if len(words) < 3 or words[0].lower() != "that":
        return None
    says = list(_COMPLEMENT_VERB_RE.finditer(sentence, 0, at))
    say = says[-1] if says else None
    if say is not None:
        between = sentence[say.end() : at].lower()
        first = between.strip().split(" ", 1)[0]
        if (
            not re.search(r"\bthat\b", between)
            and not _FINITE_RE.search(between)
            and "," not in between
            and (
                (len(between.split()) <= 6 and (not first or first in _TIME_OPENERS))
                # whom and how: "warned the council in a letter in 2019 that ..."
                or (len(between.split()) <= 10 and say.group(0).lower() in _TELL_VERBS)
            )
        ):
            return None  # "he told the court in September that ...": what he told
    rest = words[1:]
    i = 0
    while i < len(rest) and rest[i].lower() in _ADVERBS:
        i += 1
    if i < len(rest) and _is_verb(rest[i], rest[i + 1] if i + 1 < len(rest) else ""):
        return "subj"
    if words[0].lower() != "that":
        return None
    # "that" + a subject of at most five words (no determiner-led complement clause: "the
    # report that the minister ..." was ruled out above by the noun) + its verb
    for j in range(0, min(6, len(rest))):
        w = rest[j].lower()
        if j and (w in _SAY or _is_verb(w)) and rest[j - 1].lower() not in _DETERMINERS:
            k = j + 1 if w in _SAY else j
            while k < len(rest) and rest[k].lower() in _ADVERBS:
                k += 1
            if w in _SAY and not (k < len(rest) and _is_verb(rest[k])):
                return None
            after = [x.lower() for x in rest[j + 1 :]]
            if w not in _SAY and (len(after) > 3 or {"and", "or", "but"} & set(after)):
                return None  # the noun goes after the verb: only when the clause ends there
            return "obj"
        if j and w in _ADVERBS:
            continue
    return None


def relative_wording(noun: str, clause: str, kind: str) -> str:
    """The relative clause ``clause`` (without its "that"/"who") worded with ``noun``: the
    subject ("work" + "was never carried out"), or the object put where it belongs: after
    the verb ("the site office never answered" + "an e-mail"), or after a reporting verb
    ("prosecutors said had been bought" -> "prosecutors said a home had been bought")."""
    if kind == "subj":
        return noun + " " + clause
    words = clause.split(" ")
    for i, w in enumerate(words):
        if w.lower() in _SAY and i + 1 < len(words):
            nxt = [x for x in words[i + 1 :] if x.lower() not in _ADVERBS]
            if nxt and _is_verb(nxt[0]):
                return " ".join(words[: i + 1] + [noun] + words[i + 1 :])
    return clause + " " + noun


_NOMINAL_OF_RE = re.compile(
    r"^(?:the|a|an)\s+(?:[\w-]+\s+)?[\w-]*(?:tion|sion|ment|sale|purchase|removal|closure|"
    r"loss|use|repair|cost|value|part|member|members|number|group|kind|type|series|lot)\s+"
    r"of\s+(?=\S)",
    re.IGNORECASE,
)


def relative_noun(noun_phrase: str) -> str:
    """The noun a relative clause describes in ``noun_phrase``: past the "of" of a
    nominalisation ("the confiscation of a holiday home" -> "a holiday home"), else all of
    it ("a holiday home on the island of Varno")."""
    m = _NOMINAL_OF_RE.match(noun_phrase)
    if m:
        return noun_phrase[m.end() :]
    words = noun_phrase.split(" ")
    if len(words) > 8:
        # "the Justice Department in making Illinois implement a motor voter law": the last
        # noun phrase the clause can describe
        for i in range(len(words) - 1, 0, -1):
            if words[i].lower() in ("a", "an", "the"):
                return " ".join(words[i:])
    return noun_phrase
