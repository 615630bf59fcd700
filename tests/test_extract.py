"""Tests for factcheck.extract: segmentation, atomic claims, values, scores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factcheck.extract import extract_claims, score_sentences, split_sentences
from factcheck.extract.claims import drop_repeats
from factcheck.extract.features import sentence_features, sentence_features_words
from factcheck.extract.model import Model
from factcheck.extract.values import find_values

SEED_ARTICLE = Path(__file__).resolve().parents[1].parent / "shared" / "seed" / "article.txt"

# Our own news-like article (not copied from anywhere).
ARTICLE = "\n".join(
    [
        "Flooding in Riverton kills dozens",
        "By Jane Okoro",
        "March 3, 2024",
        "RIVERTON (Reuters) — Flash floods swept through the city of Riverton "
        "on Saturday, killing at least 42 people, officials said.",
        "A resident wades through a flooded street. (Photo: Reuters)",
        "The river rose 3.5 metres in six hours, the highest level since 1998, "
        "according to the National Weather Service.",
        "Mayor Dr. Ana Ruiz said the city had spent $12 million on flood "
        "defences, which failed in two districts and forced about 3,000 people "
        "from their homes.",
        "What happens next",
        '"We are doing everything we can. We will rebuild," Ruiz told reporters.',
        "I think we should all pray for Riverton.",
        "",
    ]
)

SEGMENT_CASES = [
    ("Hello world. This is a test.", ["Hello world.", "This is a test."]),
    (
        "He moved to the U.S. in 2019. He works for Acme Inc. now.",
        ["He moved to the U.S. in 2019.", "He works for Acme Inc. now."],
    ),
    (
        "Dr. Smith met Mr. Jones on Jan. 5. They talked.",
        ["Dr. Smith met Mr. Jones on Jan. 5.", "They talked."],
    ),
    (
        "Prices rose 3.5% in Q1. Analysts were surprised.",
        ["Prices rose 3.5% in Q1.", "Analysts were surprised."],
    ),
    (
        "She lives in the U.S. The rest of her family lives abroad.",
        ["She lives in the U.S.", "The rest of her family lives abroad."],
    ),
    ("Wait... What happened?", ["Wait...", "What happened?"]),
    ("He paused... and then left.", ["He paused... and then left."]),
    ('"Are you coming?" she asked.', ['"Are you coming?" she asked.']),
    ("See item No. 5 in the list. It is long.", ["See item No. 5 in the list.", "It is long."]),
    (
        "\u201cWe won. We always win,\u201d he said. Then he left.",
        ["\u201cWe won. We always win,\u201d he said.", "Then he left."],
    ),
    (
        "The vote (held on Feb. 3. after a delay) passed. Good.",
        ["The vote (held on Feb. 3. after a delay) passed.", "Good."],
    ),
    ("It cost $1.5 million. That was a lot!", ["It cost $1.5 million.", "That was a lot!"]),
    ("J. K. Rowling wrote it. Fans loved it.", ["J. K. Rowling wrote it.", "Fans loved it."]),
    ("Line one\nLine two is here.", ["Line one", "Line two is here."]),
    (
        "Crowds gathered at 10 a.m. on Monday. It rained.",
        ["Crowds gathered at 10 a.m. on Monday.", "It rained."],
    ),
    (
        "The results, e.g. the totals, were late. Nobody knew why.",
        ["The results, e.g. the totals, were late.", "Nobody knew why."],
    ),
]


@pytest.mark.parametrize(("text", "expected"), SEGMENT_CASES)
def test_split_sentences_cases(text: str, expected: list[str]) -> None:
    got = [text[s.start : s.end] for s in split_sentences(text)]
    assert got == expected


KIND_CASES = [
    (
        "Markets rally as inflation cools\nStocks rose 2% on Monday, traders said.",
        ["heading", "sentence"],
    ),
    ("By Jane Okoro\nThe council voted 7-2 on Tuesday.", ["byline", "sentence"]),
    ("March 3, 2024\nThe council voted 7-2 on Tuesday.", ["dateline", "sentence"]),
    ("Protesters march in Quito. (Photo: AP)\nThe council voted.", ["caption", "sentence"]),
    ("LONDON (Reuters) — Shares fell 3% on Friday.", ["dateline", "sentence"]),
    ("- Exports fell 4% in May.\n- Imports rose 2%.", ["list_item", "list_item"]),
    # fact boxes: items without a full stop still state figures
    (
        "Key figures:\n- Harvest: 18.2 million tonnes, down 23%\n• Bread prices up 9% since "
        "January\n- Yield fell to its lowest level in years",
        ["heading", "list_item", "list_item", "list_item"],
    ),
    # ... but a menu or a related-story link in a list is no list item
    ("- World\n- Sport\n- Read more: Why the vote matters 2", ["heading", "heading", "related"]),
    ("Read more: Why the vote matters\nThe council voted.", ["related", "sentence"]),
    # notes about the story, not in it: corrections, credits, appeals, an author's bio
    (
        "Exports rose 4% in May.\nCorrection: An earlier version of this story said exports "
        "rose 5%.",
        ["sentence", "note"],
    ),
    ("Exports rose 4%.\nAdditional reporting by Ana Ruiz in Lima.", ["sentence", "note"]),
    ("Exports rose 4%.\nThis story has been corrected to fix the date.", ["sentence", "note"]),
    ("Two men were held.\nAnyone with information is asked to call 101.", ["sentence", "note"]),
    ("Libraries matter.\nThe author is a former librarian.", ["sentence", "note"]),
    # ... but running text that starts alike is a sentence
    ("Reporting by hospitals fell 20% in 2025.", ["sentence"]),
]


@pytest.mark.parametrize(("text", "kinds"), KIND_CASES)
def test_segment_kinds(text: str, kinds: list[str]) -> None:
    assert [s.kind for s in split_sentences(text)] == kinds


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r", "\u2028"])
def test_offsets_with_any_line_ending(newline: str) -> None:
    text = ARTICLE.replace("\n", newline)
    for c in extract_claims(text):
        assert text[c["start"] : c["end"]] == c["quote"]
        assert newline not in c["quote"] or newline == "\u2028"


def test_no_segment_longer_than_600() -> None:
    text = ("word, " * 400 + "and more ") * 5
    segs = split_sentences(text)
    assert segs and all(s.end - s.start <= 600 for s in segs)


def test_hard_wrapped_paragraph_is_joined() -> None:
    text = (
        "The council approved the budget on Tuesday after a long\n"
        "debate that lasted into the night, with members voting\n"
        "seven to two in favour of the plan.\n"
        "Critics said it was rushed.\n"
    )
    got = [text[s.start : s.end] for s in split_sentences(text)]
    assert len(got) == 2 and got[0].startswith("The council") and got[0].endswith("plan.")


def _claims_by_quote(text: str, **kw) -> dict[str, dict]:
    return {c["quote"]: c for c in extract_claims(text, **kw)}


def test_article_claims_are_atomic_and_skip_non_claims() -> None:
    claims = extract_claims(ARTICLE, published="2024-03-03")
    quotes = [c["quote"] for c in claims]
    assert "Flooding in Riverton kills dozens" not in quotes
    assert not any("Jane Okoro" in q for q in quotes)
    assert not any("Photo" in q for q in quotes)
    assert "the highest level since 1998" in quotes
    assert "failed in two districts" in quotes
    assert "forced about 3,000 people from their homes" in quotes
    by = {c["quote"]: c for c in claims}
    forced = by["forced about 3,000 people from their homes"]
    assert forced["checkworthy"] and "quantity" in forced["kind"]
    assert {"type": "quantity", "text": "about 3,000", "value": 3000, "approx": True} in forced[
        "values"
    ]
    assert (
        forced["text"].startswith("Mayor Dr. Ana Ruiz said that")
        or "flood defences" in forced["text"]
    )
    opinion = [c for c in claims if c["quote"].startswith("I think")]
    assert opinion and not opinion[0]["checkworthy"]


def test_claim_dict_contract() -> None:
    claims = extract_claims(ARTICLE, published="2024-03-03")
    keys = {
        "start",
        "end",
        "quote",
        "text",
        "kind",
        "score",
        "checkworthy",
        "values",
        "sentence_start",
        "sentence_end",
        "claimant",
        "claimant_start",
        "claimant_end",
        "claimant_kind",
        "wording_source",
        "wording_spans",
    }
    assert claims
    for c in claims:
        assert set(c) == keys
        assert ARTICLE[c["start"] : c["end"]] == c["quote"]
        assert c["sentence_start"] <= c["start"] < c["end"] <= c["sentence_end"]
        assert 0.0 <= c["score"] <= 1.0 and round(c["score"], 4) == c["score"]
        assert c["kind"] and set(c["kind"]) <= {
            "quantity",
            "time",
            "superlative",
            "comparison",
            "attribution",
            "causal",
            "event",
            "other",
        }
        json.dumps(c)
    assert [(c["start"], c["end"]) for c in claims] == sorted(
        {(c["start"], c["end"]) for c in claims}
    )


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t", "\x00"])
def test_empty_text(text: str) -> None:
    assert extract_claims(text) == [] or all(c["quote"].strip() for c in extract_claims(text))


def test_threshold_controls_checkworthy() -> None:
    assert all(c["checkworthy"] for c in extract_claims(ARTICLE, threshold=0.0))
    assert not any(c["checkworthy"] for c in extract_claims(ARTICLE, threshold=1.01))


VALUE_CASES = [
    (
        "left around a hundred dead",
        {"type": "quantity", "text": "around a hundred", "value": 100, "approx": True},
    ),
    (
        "tens of thousands of people",
        {"type": "quantity", "text": "tens of thousands", "value": 10000},
    ),
    ("in January 2025", {"type": "date", "text": "January 2025", "value": "2025-01"}),
    ("on March 3, 2024", {"type": "date", "value": "2024-03-03"}),
    ("on 5 May 2020", {"type": "date", "value": "2020-05-05"}),
    ("rose 4.5% last year", {"type": "percent", "value": 4.5}),
    ("twenty-five percent", {"type": "percent", "value": 25}),
    ("cost $1.2 billion", {"type": "money", "value": 1_200_000_000, "currency": "USD"}),
    ("cost €30 million", {"type": "money", "value": 30_000_000, "currency": "EUR"}),
    (
        "more than 2.5 million people",
        {"type": "quantity", "value": 2_500_000, "approx": True, "bound": "lower"},
    ),
    ("the second time", {"type": "ordinal", "value": 2}),
    ("in the 1990s", {"type": "date", "value": "1990s"}),
    (
        "lost almost a third of the crop",
        {"type": "fraction", "text": "almost a third", "value": 0.3333, "approx": True},
    ),
    ("two thirds of voters", {"type": "fraction", "value": 0.6667}),
    ("covers half the cost", {"type": "fraction", "text": "half", "value": 0.5}),
    ("a third term", {"type": "ordinal", "value": 3}),  # no "of": an ordinal
    # "by" a fraction: the size of a change
    ("profits rose by a third", {"type": "fraction", "text": "a third", "value": 0.3333}),
    ("cut its share of the river by a quarter.", {"type": "fraction", "value": 0.25}),
    ("spending was cut by half in 2024", {"type": "fraction", "text": "half", "value": 0.5}),
    ("attacked by a third party", {"type": "ordinal", "value": 3}),
]


@pytest.mark.parametrize(("text", "expected"), VALUE_CASES)
def test_find_values(text: str, expected: dict) -> None:
    values = find_values(text)
    assert any(all(v.get(k) == val for k, val in expected.items()) for v in values), values


RELATIVE_CASES = [
    ("about a year ago", "2026-01-08", "2025-01"),
    ("last December", "2026-01-08", "2025-12"),
    ("on Thursday", "2026-01-08", "2026-01-08"),
    ("on Wednesday night", "2026-01-08", "2026-01-07"),
    ("yesterday", "2024-03-01", "2024-02-29"),
    ("last year", "2024-03-01", "2023"),
    ("three months ago", "2024-03-01", "2023-12"),
    ("in March", "2024-01-10", "2023-03"),
    ("the plant closed in May", "2026-03-03", "2025-05"),
    # a future tense before a bare weekday or month: the coming one
    ("is due to appear in court on Monday", "2026-03-03", "2026-03-09"),
    ("the minister will visit Oslo on Friday", "2026-03-03", "2026-03-06"),
    ("is expected to cut rates in May", "2026-03-03", "2026-05"),
    ("plans to reopen the line in February", "2026-03-03", "2027-02"),
    ("the court met on Monday. It will rule later", "2026-03-03", "2026-03-02"),
]


@pytest.mark.parametrize(("text", "published", "value"), RELATIVE_CASES)
def test_relative_dates(text: str, published: str, value: str) -> None:
    dates = [v for v in find_values(text, published) if v["type"] == "date"]
    assert dates and dates[0]["value"] == value


def test_relative_dates_without_publication_date_are_unresolved() -> None:
    dates = [v for v in find_values("last December", None) if v["type"] == "date"]
    assert dates and dates[0]["value"] is None


SCORE_CASES = [
    ("Unemployment fell to 3.5 percent in 2019, the lowest rate in 50 years.", True),
    ("The deficit tripled to $1.4 trillion over the last four years.", True),
    ("Thank you very much, it is great to be here tonight.", False),
    ("What are you going to do about it?", False),
    ("Let's work together.", False),
]


@pytest.mark.parametrize(("sentence", "positive"), SCORE_CASES)
def test_score_sentences(sentence: str, positive: bool) -> None:
    (score,) = score_sentences([sentence])
    assert 0.0 <= score <= 1.0
    assert (score >= 0.5) is positive


def test_score_sentences_order_and_empty() -> None:
    assert score_sentences([]) == []
    s = score_sentences(["a", "Crime fell 20% in 2019.", "a"])
    assert len(s) == 3 and s[0] == s[2]


def test_model_is_small_and_has_no_sentences() -> None:
    path = Path(__file__).resolve().parents[1] / "factcheck" / "extract" / "model.json"
    assert path.stat().st_size < 1_000_000
    data = json.loads(path.read_text(encoding="utf-8"))
    assert max(len(k.split()) for k in data["weights"]) <= 2
    # the word block holds one number per single word, never a phrase or a sentence
    assert data["word_weights"] and all(" " not in w for w in data["word_weights"])
    assert all(isinstance(v, float | int) for v in data["word_weights"].values())


def test_word_weights_are_averaged_over_the_words() -> None:
    base = Model({"c:bias": 0.5}, -1.0)
    words = Model({"c:bias": 0.5}, -1.0, word_weights={"tax": 3.0, "cut": 1.0})
    # "Tax cut 20%!" has the words tax and cut; the number and "!" are not words
    assert words.logit("Tax cut 20%!") == pytest.approx(base.logit("Tax cut 20%!") + 2.0)
    assert words.logit("Tax rebates") == pytest.approx(base.logit("Tax rebates") + 1.5)
    assert words.logit("42?") == base.logit("42?")  # no words: no word term


def test_sentence_features_words() -> None:
    feats, words = sentence_features_words("Taxes rose 5% in 2019, didn’t they?")
    assert words == ["taxes", "rose", "in", "didn't", "they"]
    assert feats == sentence_features("Taxes rose 5% in 2019, didn’t they?")


@pytest.mark.skipif(not SEED_ARTICLE.exists(), reason="../shared/seed/article.txt not present")
def test_seed_article() -> None:
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    claims = extract_claims(text, published="2026-01-08")
    quotes = {c["quote"]: c for c in claims}
    first = quotes["the first since Trump assumed his second term in January 2025"]
    assert (
        first["checkworthy"]
        and {"type": "date", "text": "January 2025", "value": "2025-01"} in first["values"]
    )
    dead = quotes["left around a hundred dead"]
    assert dead["checkworthy"] and "quantity" in dead["kind"]
    assert dead["values"][0]["value"] == 100 and dead["values"][0]["approx"]
    first_line = text.splitlines()[0]
    assert first_line not in quotes
    # the standfirst is repeated in the body: each of its facts is listed once
    assert [c["quote"] for c in claims].count("U.S. operations in Caracas") == 1
    for c in claims:
        assert text[c["start"] : c["end"]] == c["quote"]
    segs = split_sentences(text)
    assert segs[0].kind == "heading"
    # the standfirst's facts are claims where the body states them again
    assert quotes["U.S. operations in Caracas"]["start"] > text.index("\n\n")
    for c in claims:
        # no wording opens with a bare pronoun, and none is credited to a speaker it is not
        assert not c["text"].startswith("They "), c["text"]
        if "guerrilla group" in c["quote"]:
            assert c["claimant"] is None and "Benedetti" not in c["text"]
        if c["claimant"] is not None:
            assert text[c["claimant_start"] : c["claimant_end"]] == c["claimant"]
        assert c["wording_source"] in ("rewritten", "quote") and c["wording_spans"]


# --- atomic, clean claims (issue 3 follow-up); our own sentences --------------------------

DATELINE_CASES = [
    "OSTBURG, May 2 (Valley Post) - The ferry resumed service on Monday after a 40-day strike.",
    "OSTBURG (Valley Post) -- The ferry resumed service on Monday after a 40-day strike.",
    "OSTBURG, May 2 \u2013 The ferry resumed service on Monday after a 40-day strike.",
    "OSTBURG \u2014 The ferry resumed service on Monday after a 40-day strike.",
    "NEW LYME, Sept. 9 (Valley Post) - The ferry resumed service on Monday after a 40-day strike.",
]


@pytest.mark.parametrize("text", DATELINE_CASES)
def test_dateline_is_not_part_of_claims(text: str) -> None:
    segs = split_sentences(text)
    assert [s.kind for s in segs] == ["dateline", "sentence"]
    assert text[segs[1].start : segs[1].end].startswith("The ferry")
    claims = extract_claims(text)
    assert claims
    for c in claims:
        assert text[c["start"] : c["end"]] == c["quote"]
        assert "OSTBURG" not in c["quote"] and "LYME" not in c["quote"]
        assert "OSTBURG" not in c["text"] and "Valley Post" not in c["text"]


def test_upper_case_word_and_hyphen_in_running_text_is_no_dateline() -> None:
    text = "NATO - the alliance - grew to 32 members in 2024."
    assert [s.kind for s in split_sentences(text)] == ["sentence"]


ATOMIC_CASES = [
    (
        "Governor Ines Marlow said the tunnel cost 2.1 billion dollars, about 15% more than "
        "the state planned in 2019, and was opened two weeks late.",
        [
            (  # the span takes in the attribution next to it
                "Governor Ines Marlow said the tunnel cost 2.1 billion dollars",
                "Governor Ines Marlow said the tunnel cost 2.1 billion dollars",
            ),
            (
                "about 15% more than the state planned in 2019",
                "Governor Ines Marlow said the tunnel cost about 15% more than the state "
                "planned in 2019",
            ),
            (
                "was opened two weeks late",
                "Governor Ines Marlow said the tunnel was opened two weeks late",
            ),
        ],
    ),
    (
        "The strike began amid rising anger following the closure of the northern mine, "
        "the arrest of three union leaders and the collapse of wage talks in March.",
        [
            ("The strike began amid rising anger", "The strike began amid rising anger"),
            (
                "the closure of the northern mine",
                "The strike began amid rising anger following the closure of the northern mine",
            ),
            (
                "the arrest of three union leaders",
                "The strike began amid rising anger following the arrest of three union leaders",
            ),
            (
                "the collapse of wage talks in March",
                "The strike began amid rising anger following the collapse of wage talks in March",
            ),
        ],
    ),
    (
        "Director Olu Hart said the plant employs 400 people, and that the owners will close "
        "it in 2027.",
        [
            (
                "Director Olu Hart said the plant employs 400 people",
                "Director Olu Hart said the plant employs 400 people",
            ),
            (
                "the owners will close it in 2027",
                "Director Olu Hart said the owners will close it in 2027",
            ),
        ],
    ),
    (  # the earlier event is its own claim, not the opening repeated (no nested duplicate)
        "The new line opened on Monday, nearly six years after engineers surveyed the route "
        "and found two unstable slopes.",
        [
            ("The new line opened on Monday", "The new line opened on Monday"),
            (
                "nearly six years after engineers surveyed the route",
                "Engineers surveyed the route",
            ),
            ("found two unstable slopes", "Engineers found two unstable slopes"),
        ],
    ),
    (
        "Fares rose to 3 pounds, a price the operator says will stay until 2028.",
        [
            ("Fares rose to 3 pounds", "Fares rose to 3 pounds"),
            (
                "a price the operator says will stay until 2028",
                "The operator says the price will stay until 2028",
            ),
        ],
    ),
    (
        "Typhoon Mira hit the island in 2019. It destroyed 1,200 homes and left 14 people dead.",
        [
            ("Typhoon Mira hit the island in 2019", "Typhoon Mira hit the island in 2019"),
            ("It destroyed 1,200 homes", "Typhoon Mira destroyed 1,200 homes"),
            ("left 14 people dead", "Typhoon Mira left 14 people dead"),
        ],
    ),
    (
        "Councillor Ada Brennan opposed the plan. She said the scheme would cost 3 million pounds.",
        [
            ("Councillor Ada Brennan opposed the plan", "Councillor Ada Brennan opposed the plan"),
            (
                "She said the scheme would cost 3 million pounds",
                "Councillor Ada Brennan said the scheme would cost 3 million pounds",
            ),
        ],
    ),
    (  # a relative clause between the subject and its "said": the verb is not a byline
        "The agency, which runs 40 ferries, said fares would rise 5% and that two routes "
        "would close in May.",
        [
            ("runs 40 ferries", "The agency runs 40 ferries"),
            # the main clause's span: its predicate after the relative clause
            ("said fares would rise 5%", "The agency said fares would rise 5%"),
            ("two routes would close in May", "The agency said two routes would close in May"),
        ],
    ),
    (
        "The plant, which employs 1,200 people, said on Tuesday that output fell 8% in 2025.",
        [
            ("employs 1,200 people", "The plant employs 1,200 people"),
            (
                "said on Tuesday that output fell 8% in 2025",
                "The plant said on Tuesday that output fell 8% in 2025",
            ),
        ],
    ),
    (  # ... but a trailing "said" followed by a name still is one
        "The bridge reopened in 2024, said Mayor Elena Varga.",
        [
            (
                "The bridge reopened in 2024, said Mayor Elena Varga",
                "The bridge reopened in 2024, said Mayor Elena Varga",
            )
        ],
    ),
    (  # a superlative after a figure describes the figure, not the last noun ("March")
        "Exports fell to 12 billion euros in March, the lowest level since 2015.",
        [
            (
                "Exports fell to 12 billion euros in March",
                "Exports fell to 12 billion euros in March",
            ),
            (
                "the lowest level since 2015",
                "Exports fell to 12 billion euros in March, the lowest level since 2015",
            ),
        ],
    ),
    (  # ... also after a relative clause between the subject and its verb
        "Core inflation, which excludes energy and food, slowed to 3.0%, the lowest since "
        "late 2021.",
        [
            ("excludes energy and food", "Core inflation excludes energy and food"),
            ("slowed to 3.0%", "Core inflation slowed to 3.0%"),
            (
                "the lowest since late 2021",
                "Core inflation slowed to 3.0%, the lowest since late 2021",
            ),
        ],
    ),
    (  # a study "found" / figures "show" at the end: the source, not an apposition
        "Patients who slept less than six hours were 30% more likely to fall ill, a study "
        "published on Monday found.",
        [
            (
                "Patients who slept less than six hours were 30% more likely to fall ill, a "
                "study published on Monday found",
                "Patients who slept less than six hours were 30% more likely to fall ill, a "
                "study published on Monday found",
            ),
        ],
    ),
    (
        "Ticket sales rose 12% last year, the museum's own figures show.",
        [
            (
                "Ticket sales rose 12% last year, the museum's own figures show",
                "Ticket sales rose 12% last year, the museum's own figures show",
            ),
        ],
    ),
    (  # the main clause goes on after a relative clause: with a preposition ...
        "Police arrested the driver, who was not injured, at a petrol station on Sunday.",
        [
            (
                "Police arrested the driver, who was not injured, at a petrol station on Sunday",
                "Police arrested the driver at a petrol station on Sunday",
            ),
            ("was not injured", "The driver was not injured"),
        ],
    ),
    (  # ... or with an adverb and the subject's verb
        "The treaty, which was signed in 1987, now covers 14 countries.",
        [
            ("was signed in 1987", "The treaty was signed in 1987"),
            ("now covers 14 countries", "The treaty now covers 14 countries"),
        ],
    ),
    (  # a second verb's subject is the one before the aside ", aged 19,"
        "A third suspect, aged 19, was charged with burglary and has been remanded in custody.",
        [
            (
                "A third suspect, aged 19, was charged with burglary",
                "A third suspect, aged 19, was charged with burglary",
            ),
            ("has been remanded in custody", "A third suspect has been remanded in custody"),
        ],
    ),
    (  # an attribution between two clauses is both clauses' source, and in neither quote
        "Sales fell 4% in May, the company said, but profits rose by a third.",
        [
            ("Sales fell 4% in May, the company said", "Sales fell 4% in May, the company said"),
            ("profits rose by a third", "Profits rose by a third, the company said"),
        ],
    ),
    (
        "Rents were up 6% from a year earlier, the housing agency found, while wages rose 2%.",
        [
            (
                "Rents were up 6% from a year earlier, the housing agency found",
                "Rents were up 6% from a year earlier, the housing agency found",
            ),
            ("wages rose 2%", "Wages rose 2%, the housing agency found"),
        ],
    ),
    (  # a speaker named in apposition, then what they said
        "The farm's owner, Rosa Lind, said she had lost 300 sheep in the storm.",
        [
            (
                "The farm's owner, Rosa Lind, said she had lost 300 sheep in the storm",
                "The farm's owner, Rosa Lind, said she had lost 300 sheep in the storm",
            ),
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), ATOMIC_CASES)
def test_atomic_claims_and_wording(text: str, expected: list[tuple[str, str]]) -> None:
    claims = extract_claims(text)
    got = [(c["quote"], c["text"]) for c in claims]
    assert got == expected
    for c in claims:
        assert text[c["start"] : c["end"]] == c["quote"]


QUOTE_CASES = [
    (
        '"This is the busiest summer the museum has had since the west wing was rebuilt in '
        '2011," Okafor told reporters on Sunday.',
        "This is the busiest summer the museum has had since the west wing was rebuilt in 2011",
        "Okafor said this is the busiest summer the museum has had since the west wing was "
        "rebuilt in 2011",
        "the west wing was rebuilt in 2011",
    ),
    (
        "\u201cThe museum sold 80,000 tickets in June,\u201d said Lena Okafor, "
        "who directs the museum.",
        "The museum sold 80,000 tickets in June",
        "Lena Okafor said the museum sold 80,000 tickets in June",
        "directs the museum",
    ),
]


@pytest.mark.parametrize(("text", "quote", "wording", "other"), QUOTE_CASES)
def test_quoted_statement(text: str, quote: str, wording: str, other: str) -> None:
    by = _claims_by_quote(text)
    assert quote in by, list(by)
    claim = by[quote]
    assert claim["text"] == wording
    assert "attribution" in claim["kind"] and claim["checkworthy"]
    assert '"' not in claim["quote"] and "\u201c" not in claim["quote"]
    assert other in by


OPINION_CASES = [
    '"I am so happy the park is finally open, but it should have been done years ago," '
    "said resident Tom Byrne.",
    "I'm glad the library is back, but it should never have closed.",
    "Related: Museum plans new wing\nBy Kai Olsen\nGreat news for the town, I think.",
]


@pytest.mark.parametrize("text", OPINION_CASES)
def test_opinions_and_non_claims_are_not_checkworthy(text: str) -> None:
    claims = extract_claims(text)
    assert not any(c["checkworthy"] for c in claims), [(c["quote"], c["score"]) for c in claims]
    assert not any("Museum plans" in c["quote"] or "Kai Olsen" in c["quote"] for c in claims)


def test_demo_article_claims() -> None:
    from factcheck.ingest import split_front_matter

    path = Path(__file__).resolve().parents[1] / "factcheck" / "demo" / "harbour_bridge.txt"
    _, body = split_front_matter(path.read_text(encoding="utf-8"))
    by = _claims_by_quote(body, published="2026-03-14")
    assert not any("PORTHAVEN" in q for q in by)
    assert by["Mayor Elena Varga said the repairs cost 48 million euros"]["text"] == (
        "Mayor Elena Varga said the repairs cost 48 million euros"
    )
    assert "about 12% less than the council budgeted in 2024" in by
    assert by["were finished three months ahead of schedule"]["text"] == (
        "Mayor Elena Varga said the repairs were finished three months ahead of schedule"
    )
    assert by[
        "This is the largest public works project Porthaven has completed since the harbour "
        "was dredged in 1998"
    ]["text"].startswith("Varga said this is the largest")
    assert "the harbour was dredged in 1998" in by
    # a speaker's feeling in the first person is no claim, and never reported speech
    assert "I'm glad it's open" not in by
    assert not any("said I'm glad" in c["text"] for c in by.values())


# --- a fact repeated later in the article is listed once ----------------------------------

REPEAT_CASES = [
    # (article, how many claims about the fact it lists)
    (
        "The council approved a budget of 48 million euros on Monday.\n\n"
        "Residents protested outside the hall.\n\n"
        "The council approved a budget of 48 million euros on Monday.",
        1,
    ),
    (  # the standfirst's reworded, shorter repeat adds nothing
        "The vote between the two parties ended a dispute over the new harbour tax.\n\n"
        "The vote ended a dispute over the new harbour tax.",
        1,
    ),
]


@pytest.mark.parametrize(("text", "expected"), REPEAT_CASES)
def test_repeated_fact_is_listed_once(text: str, expected: int) -> None:
    claims = extract_claims(text)
    facts = [c for c in claims if "48 million" in c["text"] or "harbour tax" in c["text"]]
    assert len(facts) == expected
    assert facts[0]["start"] < 10  # the first occurrence is the one kept


KEPT_CASES = [
    # a different number is a different fact
    "The council approved a budget of 48 million euros on Monday.\n\n"
    "The council approved a budget of 52 million euros on Monday.",
    # a later claim that adds a word (a source, a place) adds information
    "The council approved a budget of 48 million euros on Monday.\n\n"
    "Mayor Ines Kalt said the council approved a budget of 48 million euros on Monday.",
]


@pytest.mark.parametrize("text", KEPT_CASES)
def test_claims_that_are_not_repeats_stay(text: str) -> None:
    claims = extract_claims(text)
    paragraphs = text.split("\n\n")
    second = len(paragraphs[0]) + 2
    assert any(c["start"] >= second for c in claims), claims
    assert any(c["start"] < second for c in claims), claims


def test_claims_of_one_sentence_are_never_repeats() -> None:
    # nested claims: the inner one's words are all in the outer one, same sentence
    text = "It was the first vote since Mara Olsen became mayor in January 2025."
    quotes = [c["quote"] for c in extract_claims(text)]
    assert any("became mayor in January 2025" in q and "first" not in q for q in quotes), quotes
    assert any("first" in q for q in quotes), quotes


def test_drop_repeats_keeps_order_and_first_occurrence() -> None:
    def claim(text: str, start: int, sentence: tuple[int, int]) -> dict:
        return {
            "text": text,
            "start": start,
            "sentence_start": sentence[0],
            "sentence_end": sentence[1],
        }

    a = claim("Exports grew 4% in 2024", 0, (0, 30))
    b = claim("Exports grew 4% in 2024", 40, (40, 70))
    c = claim("Imports fell 2% in 2024", 80, (80, 110))
    d = claim("exports grew 4% in 2024", 120, (120, 150))  # case does not matter
    assert drop_repeats([a, b, c, d]) == [a, c]
    short = [claim("Prices rose", 0, (0, 12)), claim("prices rose", 20, (20, 32))]
    assert drop_repeats(short) == short  # too few words to call it a repeat
    assert drop_repeats([]) == []


QUESTION_CASES = [
    ("Is the country ready for another dry year?", []),
    ("Who will pay for the bridge?", []),
    # a question that takes a figure or a date as given keeps it to be checked
    ("Why did unemployment rise 5% in 2024?", ["Why did unemployment rise 5% in 2024"]),
    ("The bridge will reopen in May. Is the city ready?", ["The bridge will reopen in May"]),
]


@pytest.mark.parametrize(("text", "quotes"), QUESTION_CASES)
def test_questions_assert_nothing_unless_they_take_a_figure_as_given(
    text: str, quotes: list[str]
) -> None:
    assert [c["quote"] for c in extract_claims(text)] == quotes


QUOTE_RUN_CASES = [
    (  # a quotation that follows an attributed one is the same speaker's
        '"We will rebuild the bridge by 2027," Mayor Elena Varga said. "It will cost 48 million '
        'euros."',
        [
            (
                "We will rebuild the bridge by 2027",
                # her "we" stays in her words: never "Varga said we will ..." (who is "we"?)
                'Elena Varga said: "We will rebuild the bridge by 2027."',
            ),
            # "it" inside her quotation is whatever she had in mind: no "Varga said it ..."
            ("It will cost 48 million euros", "It will cost 48 million euros."),
        ],
    ),
    (  # a speaker named in lower case ("police", "the harbour master") is still the speaker
        '"The road was closed for 3 hours," police said. "Nobody was hurt."',
        [
            ("The road was closed for 3 hours", "Police said the road was closed for 3 hours"),
            ("Nobody was hurt", "Police said nobody was hurt"),
        ],
    ),
    (
        '"Only 12 of the 40 boats returned," the harbour master said.',
        [
            (
                "Only 12 of the 40 boats returned",
                "The harbour master said only 12 of the 40 boats returned",
            )
        ],
    ),
    (  # a speaker with a lower-case title and an age; "He" next is that speaker
        '"We will stay out as long as it takes," union leader Karl Weiss, 52, told a rally. He '
        "added that the union had money to pay strikers until April.",
        [
            (
                "We will stay out as long as it takes",
                'Karl Weiss said: "We will stay out as long as it takes."',
            ),
            (
                "He added that the union had money to pay strikers until April",
                "Union leader Karl Weiss added that the union had money to pay strikers until "
                "April",
            ),
        ],
    ),
    (  # a common word opening the quotation is no name: lower case after "said"
        '"Even a short walk lowers the risk by 20%," said Dr. Hana Sato.',
        [
            (
                "Even a short walk lowers the risk by 20%",
                "Dr. Hana Sato said even a short walk lowers the risk by 20%",
            )
        ],
    ),
    (  # ... but not after a sentence that is no quotation
        'The vote was close on Tuesday. "Prices rose 9% in 2025."',
        [
            ("The vote was close on Tuesday", "The vote was close on Tuesday"),
            ('"Prices rose 9% in 2025."', '"Prices rose 9% in 2025."'),
        ],
    ),
]


@pytest.mark.parametrize(("text", "expected"), QUOTE_RUN_CASES)
def test_quotation_run_keeps_its_speaker(text: str, expected: list[tuple[str, str]]) -> None:
    claims = extract_claims(text)
    assert [(c["quote"], c["text"]) for c in claims] == expected
    for c in claims:
        assert text[c["start"] : c["end"]] == c["quote"]
