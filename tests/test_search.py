"""factcheck.search: typed queries made safe, the similar-claims query, highlight segments."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factcheck import search
from factcheck.store.search import MARK_END, MARK_START

S, E = MARK_START, MARK_END


@pytest.mark.parametrize(
    ("typed", "match", "terms"),
    [
        ("tram", '"tram"', ["tram"]),
        ("tram line", '"tram" AND "line"', ["tram", "line"]),
        ("  Tram,line!  ", '"Tram" AND "line"', ["Tram", "line"]),
        ('"tram line" cost', '"tram line" AND "cost"', ['"tram line"', "cost"]),
        ('"tram line', '"tram line"', ['"tram line"']),  # an unclosed quote runs to the end
        ("tram*", '"tram"*', ["tram*"]),
        ("tra*", '"tra"*', ["tra*"]),
        ("tr* a*", '"tr" AND "a"', ["tr", "a"]),
        ("tram OR bus", '("tram" OR "bus")', ["tram", "bus"]),
        ("tram OR bus line", '("tram" OR "bus") AND "line"', ["tram", "bus", "line"]),
        ("a OR b OR c", '("a" OR "b" OR "c")', ["a", "b", "c"]),
        ("tram or bus", '"tram" AND "or" AND "bus"', ["tram", "or", "bus"]),
        ("OR tram", '"tram"', ["tram"]),
        ("tram OR", '"tram"', ["tram"]),
        ("tram AND bus", '"tram" AND "bus"', ["tram", "bus"]),
        ("NEAR(tram bus, 2)", '"NEAR" AND "tram" AND "bus" AND "2"', ["NEAR", "tram", "bus", "2"]),
        ("text:tram", '"text" AND "tram"', ["text", "tram"]),
        ("café Zürich", '"café" AND "Zürich"', ["café", "Zürich"]),
        ("snake_case", '"snake" AND "case"', ["snake", "case"]),
        ('say "" ok', '"say" AND "ok"', ["say", "ok"]),
    ],
)
def test_parse_query(typed: str, match: str, terms: list[str]) -> None:
    query = search.parse_query(typed)
    assert query.match == match
    assert list(query.terms) == terms
    assert not query.truncated


@pytest.mark.parametrize(
    "typed", ["", "   ", '"', '""', "*", "AND OR", "OR", "AND", "(((", "—", "_", "\x00", "'; --"]
)
def test_nothing_to_search_for(typed: str) -> None:
    query = search.parse_query(typed)
    assert query.match is None and query.terms == ()


def test_long_queries_are_cut() -> None:
    query = search.parse_query("word " * 100)
    assert len(query.terms) == search.MAX_TERMS and query.truncated
    query = search.parse_query("a" * 10_000)
    assert query.truncated and query.terms == ("a" * search.MAX_QUERY_CHARS,)


@given(st.text(max_size=300))
def test_any_text_gives_only_quoted_words(typed: str) -> None:
    """Outside the quotes there is nothing but the syntax parse_query writes itself."""
    query = search.parse_query(typed)
    if query.match is None:
        return
    outside = query.match.split('"')[0::2]
    for piece in outside:
        assert set(piece) <= set(" ()*ORAND"), (typed, query.match)
    assert query.match.count('"') % 2 == 0


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "The city council voted 31 to 12 on Tuesday to build a 14-kilometre tram line.",
            [
                "city",
                "council",
                "voted",
                "31",
                "12",
                "tuesday",
                "build",
                "14",
                "kilometre",
                "tram",
                "line",
            ],
        ),  # fmt: skip
        ("Mayor Ana Lopez said it would cost 5 euros.", ["mayor", "ana", "lopez", "cost", "euros"]),
        ("It is what it is.", []),
        ("Tram, tram and TRAM.", ["tram"]),
        ("Le café coûte cher", ["café", "coûte", "cher"]),
    ],
)
def test_significant_words(text: str, words: list[str]) -> None:
    assert search.significant_words(text) == words


def test_similar_query() -> None:
    assert search.similar_query("The tram line costs 820 million euros.") == (
        '"tram" OR "line" OR "costs" OR "820" OR "million" OR "euros"'
    )
    assert search.similar_query("It was so.") is None
    assert search.similar_query('He said "NEAR(" -- OR *') is None
    many = " ".join(f"word{n:03d}" for n in range(40)) + " extraordinarily"
    query = search.similar_query(many)
    assert query.count(" OR ") == search.MAX_SIMILAR_TERMS - 1
    assert '"extraordinarily"' in query  # the longest words are kept


@pytest.mark.parametrize(
    ("counts", "query"),
    [
        # Words only the claim itself holds, and words at the cap, are left out.
        (
            {"tram": 40, "line": 2000, "costs": 1, "820": 3, "million": 2000, "euros": 1999},
            '"tram" OR "820" OR "euros"',
        ),
        # Every word common: claims must hold all of them.
        (
            {"tram": 5000, "line": 2000, "costs": 2000, "820": 2000, "million": 2000, "euros": 1},
            '"tram" AND "line" AND "costs" AND "820" AND "million"',
        ),
        # Nothing shared with any other claim.
        ({"tram": 1, "line": 1, "costs": 1, "820": 1, "million": 1, "euros": 1}, None),
    ],
)
def test_similar_query_with_counts(counts: dict[str, int], query: str | None) -> None:
    text = "The tram line costs 820 million euros."
    assert search.COMMON_WORD_CLAIMS == 2000
    assert search.similar_query(text, counts) == query


def test_similar_query_keeps_the_rarest_words() -> None:
    words = [f"word{n:02d}" for n in range(12)]
    counts = {w: 100 - n for n, w in enumerate(words)}  # later words are rarer
    query = search.similar_query(" ".join(words), counts)
    assert query == " OR ".join(f'"{w}"' for w in words[-search.SIMILAR_WORDS :])


@pytest.mark.parametrize(
    ("marked", "original", "segments"),
    [
        (f"a {S}tram{E} line", "a tram line", [("a ", False), ("tram", True), (" line", False)]),
        (f"{S}tram{E}", "tram", [("tram", True)]),
        (f"{S}a{E} {S}b{E}", "a b", [("a", True), (" ", False), ("b", True)]),
        ("plain", "plain", [("plain", False)]),
        (None, "plain", [("plain", False)]),
        ("", "", []),
        # Text that holds a marker itself is not highlighted (it could forge a match).
        (f"{S}x{E}{S}y{E}", f"x{E}y", [(f"x{E}y", False)]),
        (f"{S}<b>{E}", "<b>", [("<b>", True)]),  # (escaping is the renderer's job)
        # Output that does not spell the original is not trusted.
        (f"{S}other{E}", "text", [("text", False)]),
    ],
)
def test_split_marked(marked: str | None, original: str, segments: list) -> None:
    assert search.split_marked(marked, original) == segments
