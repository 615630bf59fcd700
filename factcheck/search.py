"""Searching the claim archive, and earlier checks of similar claims.

What a user types never reaches FTS5 as syntax: :func:`parse_query` keeps only words (runs
of letters and digits, as the index's ``unicode61`` tokenizer splits text), quotes each one,
and rebuilds the little syntax it supports itself (``"exact phrase"``, ``word*`` for a
prefix, ``OR`` between words), so that no input, however hostile (``"``, ``NEAR(``,
``AND OR``, unbalanced parentheses, 10 KB), is an FTS5 syntax error. :func:`similar_query`
builds the "similar claims" query from a claim's own significant words. Both are pure.

:func:`search` and :func:`similar` run them through :func:`factcheck.store.search_claims`
within the scope :mod:`factcheck.access` gives the user, and hide per result what blind
review hides (:func:`factcheck.access.filter_search_results`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from . import access, store
from .store.search import MARK_END, MARK_START

MAX_QUERY_CHARS = 1000  # of a typed query; the rest is ignored (and the user told)
MAX_TERMS = 32  # words and phrases of a typed query
MIN_PREFIX = 3  # letters a prefix search (``word*``) needs
MAX_SIMILAR_TERMS = 24  # significant words of a claim used to find similar ones
SIMILAR_WORDS = 8  # of them, the rarest used in the query
COMMON_WORD_CLAIMS = 2000  # a word in this many claims is too common to find similar ones by
SIMILAR_LIMIT = 5
SORTS = ("relevance", "newest")  # how search results may be ordered

# Letters, digits and marks: what the unicode61 tokenizer keeps together (everything else
# separates words).
_WORD = re.compile(r"[^\W_]+")
# A typed query: a quoted phrase (closed, or running to the end), a word (maybe with a
# trailing ``*``), or anything else (skipped).
_PIECE = re.compile(r'"([^"]*)"?|([^\W_]+)(\*?)|.', re.DOTALL)

# Words too common to say what a claim is about (English; the claims' language).
STOPWORDS = frozenset(
    """
    a about above according after again against all also am among an and any are as at be
    because been before being below between both but by can could did do does doing down
    during each even ever every few for from further had has have having he her here hers
    him his how however i if in into is it its itself just last least less like made make
    many may me might more most much must my near never new no nor not now of off on once
    one only or other our ours out over own per said same says say she should since so some
    such than that the their theirs them then there these they this those though through
    thus to told too under until up upon very was we were what when where whether which
    while who whom whose why will with within without would yet you your yours
    """.split()
)


@dataclass(frozen=True)
class Query:
    """A typed query made safe: ``match`` is the FTS5 query (None: nothing to search for),
    ``terms`` the words and phrases used, ``truncated`` whether some input was ignored."""

    text: str
    match: str | None
    terms: tuple[str, ...] = field(default=())
    truncated: bool = False


def _quoted(words: list[str]) -> str:
    """An FTS5 string (a phrase of ``words``; words hold no ``"``)."""
    return '"' + " ".join(words) + '"'


def parse_query(text: str) -> Query:
    """The FTS5 query for what a user typed: its words, each quoted, all of them required.

    ``"several words"`` is an exact phrase (an unclosed quote runs to the end), ``word*``
    matches words starting with it (three letters or more; a shorter one is a word), and
    ``OR`` (upper case) between two words or phrases accepts either. Everything that is not
    a letter or digit separates words. At most :data:`MAX_QUERY_CHARS` characters and
    :data:`MAX_TERMS` terms are used.
    """
    truncated = len(text) > MAX_QUERY_CHARS
    groups: list[list[str]] = []  # ANDed groups of ORed terms
    terms: list[str] = []
    join_next = False  # the previous word was OR
    for piece in _PIECE.finditer(text[:MAX_QUERY_CHARS]):
        phrase, word, star = piece.group(1), piece.group(2), piece.group(3)
        if phrase is not None:
            words = _WORD.findall(phrase)
            if not words:
                continue
            term, shown = _quoted(words), '"' + " ".join(words) + '"'
        elif word is not None:
            if word == "OR":
                join_next = bool(groups)
                continue
            if word == "AND":
                continue  # (what words do anyway)
            if len(word) < MIN_PREFIX:
                star = ""  # (a prefix of one or two letters would match nearly everything)
            term, shown = _quoted([word]) + star, word + star
        else:
            continue
        if len(terms) == MAX_TERMS:
            truncated = True
            break
        terms.append(shown)
        if join_next and groups:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = False
    if not groups:
        return Query(text=text, match=None, truncated=truncated)
    match = " AND ".join(
        group[0] if len(group) == 1 else "(" + " OR ".join(group) + ")" for group in groups
    )
    return Query(text=text, match=match, terms=tuple(terms), truncated=truncated)


def significant_words(text: str) -> list[str]:
    """A claim's words that say what it is about: lower case, in order, each once, without
    stopwords and words under three letters (numbers of two digits or more stay)."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(text.casefold()):
        if word in STOPWORDS or word in seen:
            continue
        if len(word) < 3 and not (word.isdigit() and len(word) >= 2):
            continue
        seen[word] = None
    return list(seen)


def similar_words(text: str) -> list[str]:
    """The significant words of ``text`` (:func:`significant_words`) that a similar-claims
    query may use: at most :data:`MAX_SIMILAR_TERMS`, the longest kept, in order."""
    words = significant_words(text)
    if len(words) > MAX_SIMILAR_TERMS:
        keep = set(sorted(words, key=len, reverse=True)[:MAX_SIMILAR_TERMS])
        words = [w for w in words if w in keep][:MAX_SIMILAR_TERMS]
    return words


def similar_query(text: str, counts: Mapping[str, int] | None = None) -> str | None:
    """The FTS5 query that finds claims sharing ``text``'s significant words, or None when it
    has none to share.

    Without ``counts``: any of its words (``OR``; bm25 ranks the claims that share more, and
    rarer, words first), at most :data:`MAX_SIMILAR_TERMS`, the longest kept. With
    ``counts`` (word -> how many claims hold it, counted up to :data:`COMMON_WORD_CLAIMS`):
    words that only the claim itself holds (1) are no help and left out, and so are words at
    the cap, too common to tell similar claims from others (and costly to rank: each claim
    holding one is scored); of the rest, any of the :data:`SIMILAR_WORDS` rarest. When every
    word is that common, claims must hold all of the :data:`SIMILAR_WORDS` least common.
    """
    words = similar_words(text)
    if counts is None:
        return " OR ".join(_quoted([word]) for word in words) if words else None
    words = [w for w in words if counts.get(w, 0) != 1]
    rare = [w for w in words if counts.get(w, 0) < COMMON_WORD_CLAIMS]
    operator = " OR "
    if not rare:
        rare, operator = words, " AND "
    if not rare:
        return None
    keep = set(sorted(rare, key=lambda w: counts.get(w, 0))[:SIMILAR_WORDS])
    return operator.join(_quoted([word]) for word in rare if word in keep)


def split_marked(marked: str | None, original: str) -> list[tuple[str, bool]]:
    """``highlight()``'s output as (text, matched) segments of ``original``.

    Text that itself holds a marker character is shown whole and unmarked (the markers
    would be ambiguous), as is output that does not spell ``original`` once the markers are
    taken out. The segments are plain text: whoever renders them escapes them.
    """
    if (
        not marked
        or MARK_START in original
        or MARK_END in original
        or marked.replace(MARK_START, "").replace(MARK_END, "") != original
    ):
        return [(original, False)] if original else []
    segments: list[tuple[str, bool]] = []
    for index, part in enumerate(re.split(f"[{MARK_START}{MARK_END}]", marked)):
        if part:
            segments.append((part, index % 2 == 1))
    return segments


def _summary(record: dict[str, Any], labels: dict[str, str]) -> dict[str, Any]:
    """A result as shown: the claim, its article, its final verdict and the reviewers'
    verdicts counted by rating (what :func:`factcheck.access.filter_search_results` left of
    them), with the matches marked."""
    claim = record["claim"]
    counts = Counter(v["rating"] for v in record["verdicts"])
    final = record["final"]
    quote_marked = split_marked(claim["quote_marked"], claim["quote"])
    return {
        "claim_id": claim["id"],
        "article_id": claim["article_id"],
        "text": claim["text"],
        "quote": claim["quote"],
        "checkworthy": claim["checkworthy"],
        "text_marked": split_marked(claim["text_marked"], claim["text"]),
        "quote_marked": quote_marked,
        "quote_matched": any(matched for _, matched in quote_marked),
        "article": claim["article"],
        "final": {"rating": final["rating"], "label": labels.get(final["rating"], final["rating"])}
        if final
        else None,
        "ratings": [
            {"rating": key, "label": labels.get(key, key), "count": n}
            for key, n in counts.most_common()
        ],
        "hidden_verdicts": record.get("hidden_verdicts", 0),
    }


def _shown(
    user: dict[str, Any], results: list[dict[str, Any]], blind: bool, labels: dict[str, str]
) -> list[dict[str, Any]]:
    return [
        _summary(record, labels) for record in access.filter_search_results(user, results, blind)
    ]


def search(
    db: Database,
    user: dict[str, Any],
    text: str,
    *,
    blind: bool,
    labels: dict[str, str],
    sort: str = "relevance",
    limit: int = 20,
    offset: int = 0,
) -> dict[str, Any]:
    """The claims ``user`` may see that match the typed query ``text``, best first (``sort``
    ``"relevance"``) or most recently stored first (``"newest"``): ``limit`` of them from
    ``offset`` on.

    Returns ``query`` (the text), ``terms``, ``truncated``, ``sort``, ``limit``, ``offset``,
    ``has_next``, ``results`` (see :func:`_summary`) and ``message`` (for the user when
    there is nothing to search for, or some of the query was ignored; else None).
    """
    query = parse_query(text)
    results: list[dict[str, Any]] = []
    has_next = False
    if query.match is not None:
        found = store.search_claims(
            db,
            query.match,
            **access.search_scope(user, blind),
            newest=sort == "newest",
            limit=limit + 1,
            offset=offset,
        )
        has_next = len(found) > limit
        results = _shown(user, found[:limit], blind, labels)
    message = None
    if query.match is None and text.strip():
        message = "Type a word to search for: only letters and digits are searched."
    elif query.truncated:
        message = (
            f"Only the first {MAX_TERMS} words (and {MAX_QUERY_CHARS:,} characters) of the"
            " search were used."
        )
    return {
        "query": text,
        "terms": list(query.terms),
        "truncated": query.truncated,
        "sort": sort,
        "limit": limit,
        "offset": offset,
        "has_next": has_next,
        "results": results,
        "message": message,
    }


def similar(
    db: Database,
    user: dict[str, Any],
    claim: dict[str, Any],
    *,
    blind: bool,
    labels: dict[str, str],
    limit: int = SIMILAR_LIMIT,
) -> list[dict[str, Any]]:
    """Up to ``limit`` claims of other articles that ``user`` may see, sharing ``claim``'s
    significant words (:func:`similar_query`; bm25), those with a final verdict the user
    may see first among close matches (see :func:`factcheck.store.search_claims`); when
    all its words are common, the newest claims that hold them all."""
    words = similar_words(claim["text"])
    counts = store.match_counts(db, [_quoted([w]) for w in words], COMMON_WORD_CLAIMS)
    match = similar_query(claim["text"], dict(zip(words, counts, strict=True)))
    if match is None:
        return []
    # Every word common (joined by AND): the claims holding them all, the newest first;
    # ranking them would score every one of them, as many as the archive is large.
    all_common = " AND " in match
    found = store.search_claims(
        db,
        match,
        **access.search_scope(user, blind),
        exclude_article=claim["article_id"],
        prefer_final=not all_common,
        newest=all_common,
        limit=limit,
    )
    return _shown(user, found, blind, labels)


def text_line(result: dict[str, Any]) -> str:
    """A result as plain text (``factcheck search``): the claim's id, its verdict, its
    article, then its wording with the matched words in [brackets]."""
    if result["final"]:
        verdict = f"final: {result['final']['label']}"
    elif result["ratings"]:
        verdict = ", ".join(f"{r['label']} x{r['count']}" for r in result["ratings"])
    else:
        verdict = "no verdict"
    article = result["article"]
    where = ", ".join(str(x) for x in (article["publisher"], article["published"]) if x)
    wording = "".join(f"[{text}]" if hit else text for text, hit in result["text_marked"])
    return (
        f"#{result['claim_id']}  {verdict}  {article['title']}"
        + (f" ({where})" if where else "")
        + f"\n    {' '.join(wording.split())}"
    )
