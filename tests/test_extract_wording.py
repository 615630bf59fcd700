"""Faithful wordings (factcheck.extract.wording): every word of a rewritten wording comes from
the article stretches the claim points to; else the quote, tidied. Our own sentences."""

from __future__ import annotations

import re

import pytest

from factcheck.extract import extract_claims
from factcheck.extract.wording import GLUE_WORDS, starts_with_pronoun, tidy_quote, wording_spans

from .test_extract import ARTICLE, ATOMIC_CASES, QUOTE_RUN_CASES

TEXTS = [ARTICLE] + [t for t, _ in ATOMIC_CASES] + [t for t, _ in QUOTE_RUN_CASES]
_WORD = re.compile(r"[^\W_]+")


@pytest.mark.parametrize("text", TEXTS)
def test_every_word_of_a_rewritten_wording_comes_from_its_spans(text: str) -> None:
    for c in extract_claims(text):
        assert c["wording_source"] in ("rewritten", "quote")
        assert c["wording_spans"]
        source = " ".join(text[a:b] for a, b in c["wording_spans"]).casefold()
        have = set(_WORD.findall(source))
        for w in _WORD.findall(c["text"].casefold()):
            assert w in have or w in GLUE_WORDS, (w, c["text"], c["wording_spans"])
        assert not starts_with_pronoun(c["text"]) or c["wording_source"] == "quote"


PRONOUN_CASES = [
    # (text, quote, wording, source)
    (
        "They closed the road at noon on Friday.",
        "They closed the road at noon on Friday",
        "They closed the road at noon on Friday.",
        "quote",
    ),
    (
        "Councillor Ada Brennan opposed the plan. She said the scheme would cost 3 million pounds.",
        "She said the scheme would cost 3 million pounds",
        "Councillor Ada Brennan said the scheme would cost 3 million pounds",
        "rewritten",
    ),
    # a pronoun inside a quotation is the speaker's reference, not the speaker: no wording
    # "Noor Kessel said it ..." (whom "it" means is unknown), the quote instead
    (
        'Noor Kessel watched the water rise. "It was gone in ten minutes," she said.',
        "It was gone in ten minutes",
        "It was gone in ten minutes.",
        "quote",
    ),
    (
        'Aron Falk spoke at the trial. "He knew the safe code by heart," Falk told the jury.',
        "He knew the safe code by heart",
        "He knew the safe code by heart.",
        "quote",
    ),
    (
        'Ada Linz accused the council. "Two years ago they promised a new school," she said.',
        "Two years ago they promised a new school",
        "Two years ago they promised a new school.",
        "quote",
    ),
    # "he" after two people named together is neither of them for certain
    (
        'Tomas Brek and Lena Sova met in a debate on Monday.\n\n"The pool will close," he said.',
        "The pool will close",
        "The pool will close.",
        "quote",
    ),
    # "who" after a name and its apposition is the person named, not the apposition
    (
        "The shop was owned by Karin Dohl, the aunt of the mayor's driver, who was fined "
        "for tax evasion in 2019.",
        "was fined for tax evasion in 2019",
        "Karin Dohl was fined for tax evasion in 2019",
        "rewritten",
    ),
]


@pytest.mark.parametrize(("text", "quote", "wording", "source"), PRONOUN_CASES)
def test_no_wording_starts_with_an_unresolved_pronoun(text, quote, wording, source) -> None:
    by = {c["quote"]: c for c in extract_claims(text)}
    assert by[quote]["text"] == wording
    assert by[quote]["wording_source"] == source


def test_wording_spans_and_fallback_helpers() -> None:
    t = "The agency, which runs 40 ferries, said fares would rise 5%."
    assert wording_spans("The agency said fares would rise 5%", t, [(0, len(t))]) == [
        [0, 10],
        [35, 58],
    ]
    assert wording_spans("The agency was founded in 1990", t, [(0, len(t))]) is None
    assert tidy_quote("they take refuge") == "They take refuge."
    assert tidy_quote("Prices rose 9%?") == "Prices rose 9%?"
    assert starts_with_pronoun("They take refuge") and starts_with_pronoun('"It rained."')
    assert not starts_with_pronoun("Theresa May spoke") and not starts_with_pronoun("Italy")


FIRST_PERSON_CASES = [
    # (text, the claim's quote, wording): a speaker's own "I"/"we" is never turned into
    # reported speech ("Lena Vik said we sold ...": who is "we"?); the quotation stays hers
    (
        '"We sold 80,000 tickets in June," said Lena Vik, the festival director.',
        "We sold 80,000 tickets in June",
        'Lena Vik said: "We sold 80,000 tickets in June."',
    ),
    (
        '"My shop lost 40% of its trade while the road was shut," said baker Ana Ruiz.',
        "My shop lost 40% of its trade while the road was shut",
        'Ana Ruiz said: "My shop lost 40% of its trade while the road was shut."',
    ),
    (
        'Union leader Karl Weiss said: "Our members have had no pay rise since 2021."',
        'Union leader Karl Weiss said: "Our members have had no pay rise since 2021."',
        'Union leader Karl Weiss said: "Our members have had no pay rise since 2021."',
    ),
    (  # a transcript's line is direct speech too
        "HALE: We cut the deficit by 40 billion dollars in 2024.",
        "We cut the deficit by 40 billion dollars in 2024",
        'HALE said: "We cut the deficit by 40 billion dollars in 2024."',
    ),
    (  # a quotation opening with "It": what "it" is, the article does not say here
        '"It was worse than anything I have seen in 30 years," said farmer Ole Dahl.',
        "It was worse than anything I have seen in 30 years",
        "It was worse than anything I have seen in 30 years.",
    ),
    (  # third person: the rewrite stays ("the Lerum mine" is no "mine" of the speaker's)
        '"The Lerum mine produced 9,000 tonnes last year," said Erik Sand.',
        "The Lerum mine produced 9,000 tonnes last year",
        "Erik Sand said the Lerum mine produced 9,000 tonnes last year",
    ),
]


@pytest.mark.parametrize(("text", "quote", "wording"), FIRST_PERSON_CASES)
def test_first_person_quotes_are_not_reported_speech(text: str, quote: str, wording: str) -> None:
    claims = [c for c in extract_claims(text) if c["quote"] == quote]
    assert len(claims) == 1, extract_claims(text)
    (c,) = claims
    assert c["text"] == wording
    assert c["wording_source"] == ("rewritten" if wording.endswith("last year") else "quote")
    source = " ".join(text[a:b] for a, b in c["wording_spans"]).casefold()
    for w in _WORD.findall(c["text"].casefold()):
        assert w in source or w in GLUE_WORDS, w


FEELING_CASES = [
    # a speaker's first-person feeling, or hindsight, without a figure: no claim
    "\"I'm glad it's open, but it should never have taken this long,\" said Ana Pires.",
    '"We are so relieved the water has gone down," said resident Tom Byrne.',
]


@pytest.mark.parametrize("text", FEELING_CASES)
def test_first_person_feelings_are_no_claims(text: str) -> None:
    assert extract_claims(text) == []


def test_a_feeling_with_a_figure_stays() -> None:
    text = '"We are relieved that sales rose 12% in May," said Ana Pires.'
    assert [c["quote"] for c in extract_claims(text)] == [
        "We are relieved that sales rose 12% in May"
    ]


@pytest.mark.parametrize(
    ("quote", "tidy"),
    [
        ('X said: "Our members had no pay rise', 'X said: "Our members had no pay rise."'),
        ("X said: “We won", "X said: “We won.”"),
        ('"We won," he said', '"We won," he said.'),
    ],
)
def test_tidy_quote_closes_the_quotation_it_opens(quote: str, tidy: str) -> None:
    assert tidy_quote(quote) == tidy


SHORTHAND_CASES = [
    # (text, the claim's quote, wording, claimant): a short name the article defined
    # ("the airline", "the company", "the group") is worded with the name it stands for
    (
        "Nordlys Air, Vestland's second-largest airline, filed for insolvency on Monday. The "
        "airline said it had run out of cash.",
        "The airline said it had run out of cash",
        "Nordlys Air said it had run out of cash",
        "Nordlys Air",
    ),
    (
        "Brenner Motors will hire 800 workers, the carmaker said on Friday. Chief executive Ida "
        "Lund said the company would invest 300 million crowns in a new paint shop.",
        "Chief executive Ida Lund said the company would invest 300 million crowns in a new "
        "paint shop",
        "Chief executive Ida Lund said Brenner Motors would invest 300 million crowns in a new "
        "paint shop",
        "Ida Lund",
    ),
    (
        "Supporters' group Red Wall called the vote a betrayal. The group said it would march "
        "on Saturday.",
        "The group said it would march on Saturday",
        "Red Wall said it would march on Saturday",
        "Red Wall",
    ),
    (  # a longer common name: "the office" is the national employment office
        "Unemployment fell to 5.4% in July, the national employment office said on Thursday. "
        "The office also revised June's rate up to 5.9% from 5.8%.",
        "The office also revised June's rate up to 5.9% from 5.8%",
        "The national employment office also revised June's rate up to 5.9% from 5.8%",
        None,
    ),
    (  # two banks named before: which is "the bank"? No guess
        "Economists at Oriel Bank expect one more cut. The central bank kept its key rate at 3% "
        "on Thursday. The bank's next decision is due on May 11.",
        "The bank's next decision is due on May 11",
        "The bank's next decision is due on May 11",
        None,
    ),
    (  # "the cut" is the duty cut named before
        "The duty cut reduced the tax on petrol by 12 cents. Opposition spokesman Gregor Holt "
        "said the cut had cost the treasury 1.4 billion crowns.",
        "Opposition spokesman Gregor Holt said the cut had cost the treasury 1.4 billion crowns",
        "Opposition spokesman Gregor Holt said the duty cut had cost the treasury 1.4 billion "
        "crowns",
        "Gregor Holt",
    ),
    (  # a rank is no name: "the port" is not "the smaller port"
        "Ships were diverted to the smaller port of Kessa. Officials said the port handled "
        "40 ships on Monday.",
        "Officials said the port handled 40 ships on Monday",
        "Officials said the port handled 40 ships on Monday",
        "Officials",
    ),
    (  # a plan named otherwise too ("the government's housing plan"): which is "the plan"?
        "The council approved the stadium plan in May. The government's housing plan was "
        "delayed. The plan will cost 40 million crowns.",
        "The plan will cost 40 million crowns",
        "The plan will cost 40 million crowns",
        None,
    ),
    (  # a job before a person's name is no company's short name
        "Crane operator Milo Hart said the strike would go on until the company returned to talks.",
        "Crane operator Milo Hart said the strike would go on until the company returned to talks",
        "Crane operator Milo Hart said the strike would go on until the company returned to talks",
        "Milo Hart",
    ),
    (  # the description first, then the name: "the company" is that name
        "The Lenna regional ferry company, Lenna Ferjer, will cut five routes from May, the "
        "company said on Tuesday. Managing director Ola Dahl said the company had no choice.",
        "Managing director Ola Dahl said the company had no choice",
        "Managing director Ola Dahl said Lenna Ferjer had no choice",
        "Ola Dahl",
    ),
    (  # "the state postal company" and "Posti Nord, the state-owned postal company": one
        "Letters will be delivered only on weekdays, the state postal company said on Tuesday. "
        "Posti Nord, the state-owned postal company, said it would cut 900 jobs. Chief executive "
        "Eva Lind said the company would make a loss from 2028.",
        "Chief executive Eva Lind said the company would make a loss from 2028",
        "Chief executive Eva Lind said Posti Nord would make a loss from 2028",
        "Eva Lind",
    ),
    (  # "the rail company Nordfrakt": a description before the name
        "The freight train, operated by the rail company Nordfrakt, hit a lorry on Monday. The "
        "company, which runs 40 trains a day, did not say when services would resume.",
        "did not say when services would resume",
        "Nordfrakt did not say when services would resume",
        None,
    ),
    (  # another company in play (named, not described): which is "the company"? The quote
        "Brenner Motors, the country's largest carmaker, will cut 500 jobs. Analysts at Kappa "
        "Securities expect more cuts. Chief executive Ida Lund said the company would close a "
        "plant in Lomme.",
        "Chief executive Ida Lund said the company would close a plant in Lomme",
        "Chief executive Ida Lund said the company would close a plant in Lomme.",
        "Ida Lund",
    ),
    (  # ... but the one company described, and no other: its name
        "Brenner Motors, the country's largest carmaker, will cut 500 jobs. Chief executive Ida "
        "Lund said the company would close a plant in Lomme.",
        "Chief executive Ida Lund said the company would close a plant in Lomme",
        "Chief executive Ida Lund said Brenner Motors would close a plant in Lomme",
        "Ida Lund",
    ),
]


@pytest.mark.parametrize(("text", "quote", "wording", "claimant"), SHORTHAND_CASES)
def test_short_names_are_worded_with_the_name_they_stand_for(
    text: str, quote: str, wording: str, claimant: str | None
) -> None:
    claims = [c for c in extract_claims(text) if c["quote"] == quote]
    assert len(claims) == 1, extract_claims(text)
    (c,) = claims
    assert (c["text"], c["claimant"]) == (wording, claimant)
    source = " ".join(text[a:b] for a, b in c["wording_spans"]).casefold()
    for w in _WORD.findall(c["text"].casefold()):
        assert w in source or w in GLUE_WORDS, w
    if claimant is not None:
        assert text[c["claimant_start"] : c["claimant_end"]] == claimant


DEMONSTRATIVE_CASES = [
    # (text, quote, wording): quoted "That is ..."/"This was ..." points at something said or
    # done before: the quote stands (never "Naess said this was not bad luck"); "This is the
    # worst ..." is the speaker's here and now, and the rewrite stays
    (
        '"This was not bad luck," said inspector Grete Naess.',
        "This was not bad luck",
        "This was not bad luck.",
    ),
    (
        "“That is not true,” Mayor Oskar Lindqvist replied.",
        "That is not true",
        "That is not true.",
    ),
    (
        '"This is the worst fire season in a decade," said fire chief Ana Ferreira.',
        "This is the worst fire season in a decade",
        "Fire chief Ana Ferreira said this is the worst fire season in a decade",
    ),
]


@pytest.mark.parametrize(("text", "quote", "wording"), DEMONSTRATIVE_CASES)
def test_quoted_demonstratives(text: str, quote: str, wording: str) -> None:
    claims = [c for c in extract_claims(text) if c["quote"] == quote]
    assert [c["text"] for c in claims] == [wording], extract_claims(text)


DOUBTFUL_CASES = [
    # (text, the claim's quote, a wording it must not get): a rewrite that gives a clause a
    # subject the sentence does not clearly give it is worded as the passage ("quote")
    (  # an opening phrase is no subject
        "In a joint letter published on Saturday, they said the mayor had lost touch and "
        "accused his office of ignoring warnings.",
        "accused his office of ignoring warnings",
        "In a joint letter accused his office of ignoring warnings",
    ),
    (  # "the fastest rise" ranks the figure, not "the year"
        "Rents were up 6.3% on the year, the fastest rise since the office began publishing "
        "the series in 2009.",
        "the fastest rise since the office began publishing the series in 2009",
        "The year was the fastest rise since the office began publishing the series in 2009",
    ),
    (  # the reopening was late, not Friday
        "The Lomme road bridge reopened on Friday, a year later than planned, the city council "
        "said.",
        "a year later than planned",
        "Friday was a year later than planned",
    ),
    (  # the collapse killed them, not the fine
        "A builder was fined 1.8 million crowns on Thursday after a scaffold collapsed at a "
        "site in Varnholm in 2023, killing two workers.",
        "killing two workers",
        "A builder was fined 1.8 million crowns on Thursday, killing two workers",
    ),
    (  # "which" is the object of "had done": the families did not do it
        "The judge reduced the fine because the firm had paid 3 million crowns to the "
        "families, which she said it had done without being asked.",
        "she said it had done without being asked",
        "The families she said it had done without being asked",
    ),
    (  # a verb phrase whose subject is another clause's: the rewrite gave it none
        "Hospitals in Merva were treating 30 of the injured, the health office said, and had "
        "appealed for blood donors.",
        "had appealed for blood donors",
        "Had appealed for blood donors, the health office said",
    ),
    (  # a count of something named before: four what?
        "Twelve ferries were stuck in the harbour on Monday. Harbour master Ivo Rask said four "
        "had been sent to Lenna.",
        "Harbour master Ivo Rask said four had been sent to Lenna",
        "Harbour master Ivo Rask said four had been sent to Lenna",
    ),
    (
        "Forty staff lost their jobs in May. Rask said all of them had been offered retraining.",
        "Rask said all of them had been offered retraining",
        "Rask said all of them had been offered retraining",
    ),
    (  # a phrase is no antecedent: "was for advice that ..."
        "The fee was for advice that was actually given, the judge found.",
        "that was actually given, the judge found",
        "For advice was actually given, the judge found",
    ),
    (  # a source, its verb and where it wrote: no subject
        "Columnist Ada Berg wrote in the Dagsposten that the tax was unfair and predicted that "
        "it would be scrapped within a year.",
        "predicted that it would be scrapped within a year",
        "Columnist Ada Berg wrote in the Dagsposten predicted that it would be scrapped within a "
        "year",
    ),
    (  # "which" is the object of "sold": the houses or the land?
        "Vento Bygg built 90 houses on the land, which it sold for 40 million crowns.",
        "it sold for 40 million crowns",
        "The land it sold for 40 million crowns",
    ),
    (  # the antecedent is the "whether" clause, not "no data"
        "But he noted that the survey had no data on whether parents smoked, which is known to "
        "raise the risk of asthma.",
        "is known to raise the risk of asthma",
        "No data on whether parents smoked is known to raise the risk of asthma",
    ),
    (  # "The fuel tax" is the subject cut short: the cut expires, not the tax
        "The fuel tax cut lowered petrol prices by 5 cents and is due to expire at the end of "
        "June.",
        "is due to expire at the end of June",
        "The fuel tax is due to expire at the end of June",
    ),
    (  # a record cannot be "she": who voted is not said in the wording
        "Hanna Lind is running for mayor. Council records show she voted against the budget in "
        "March 2021.",
        "Council records show she voted against the budget in March 2021",
        "Council records show she voted against the budget in March 2021",
    ),
    (  # a pronoun past an opening phrase
        "Twenty towns took part in the trial. In the other ten they were not offered the vaccine.",
        "In the other ten they were not offered the vaccine",
        "In the other ten they were not offered the vaccine",
    ),
]


@pytest.mark.parametrize(("text", "quote", "wrong"), DOUBTFUL_CASES)
def test_doubtful_rewrites_fall_back_to_the_quote(text: str, quote: str, wrong: str) -> None:
    claims = [c for c in extract_claims(text) if c["quote"] == quote]
    assert len(claims) == 1, extract_claims(text)
    (c,) = claims
    assert c["text"] != wrong
    assert (c["text"], c["wording_source"]) == (tidy_quote(quote), "quote")
    assert c["claimant"] is None or c["claimant"] in text[c["sentence_start"] : c["end"]]
    assert c["claimant"] != "In a joint letter"


def test_a_pronoun_inside_quoted_words_is_no_rewrite() -> None:
    # '"He knew ..., because he had designed them," she told the court': not "Whitlow said he
    # knew ..., because he had designed them" (he is neither Whitlow nor named)
    text = (
        "Prosecutor Anne Whitlow opened the case. "
        '"He knew exactly where the controls were, because he had designed them," she told '
        "the court."
    )
    (c,) = [c for c in extract_claims(text) if c["quote"].startswith("because he")]
    assert (c["text"], c["wording_source"]) == ("Because he had designed them.", "quote")


def test_a_quoted_pronoun_past_an_opening_phrase_is_no_rewrite() -> None:
    # what sounds like a stadium? "Marit Olsen said on Friday nights it sounds ..." says not
    text = '"On Friday nights it sounds like a stadium," said resident Marit Olsen.'
    (c,) = [c for c in extract_claims(text) if c["quote"].startswith("On Friday")]
    assert (c["text"], c["wording_source"]) == (
        "On Friday nights it sounds like a stadium.",
        "quote",
    )
    assert c["claimant"] == "Marit Olsen"


def test_a_second_verb_after_a_when_clause_is_that_clauses() -> None:
    # a number from the clause before is no subject of "fell": the bus of the "when" clause
    # is (factcheck.extract.clauses gives the second verb that clause's subject)
    text = (
        "Nine people were killed and 23 injured when a bus left the road and fell about 40 "
        "metres into a ravine, police said."
    )
    (c,) = [
        c
        for c in extract_claims(text)
        if c["quote"] == "fell about 40 metres into a ravine, police said"
    ]
    assert c["text"] == "A bus fell about 40 metres into a ravine, police said"


def test_a_participle_on_the_whole_sentence_keeps_its_rewrite() -> None:
    # "leaving ..." hangs on the airline's own acts: the rewrite stays
    text = (
        "Skyrun Air filed for insolvency on Wednesday and cancelled all its flights, leaving "
        "about 40,000 passengers stranded abroad."
    )
    (c,) = [c for c in extract_claims(text) if c["quote"].startswith("leaving")]
    assert c["wording_source"] == "rewritten"


def test_a_dateline_does_not_hide_the_company_it_names() -> None:
    text = (
        "OSLEBY, Oct 8 (Vestmark Business Wire) - Frisk Marked will close 38 stores, the "
        "company said on Thursday. Nielmark, an investment firm, owns 12% of it.\n\n"
        "In 2019, under Per Frisk, the company paid a dividend of 2.1 billion crowns."
    )
    (c,) = [c for c in extract_claims(text) if "dividend" in c["quote"]]
    assert (
        c["text"] == "In 2019, under Per Frisk, Frisk Marked paid a dividend of 2.1 billion crowns"
    )


def test_the_panel_says_a_speakers_quotation_is_their_own_words() -> None:
    from factcheck.wording import check_wording

    said = {"text": 'Lena Vik said: "We sold 80,000 tickets in June."', "wording_source": "quote"}
    assert "speaker's own words" in check_wording(said)
    plain = {"text": "We sold 80,000 tickets in June.", "wording_source": "quote"}
    assert "passage itself" in check_wording(plain)


def test_a_company_defined_by_its_apposition_is_no_person() -> None:
    text = (
        "Skyrun Air, the region's second-largest airline, said the closure had cost it 2 "
        "million euros."
    )
    (c,) = [c for c in extract_claims(text) if "2 million" in c["quote"]]
    assert (c["claimant"], c["claimant_kind"]) == ("Skyrun Air", "organization")


@pytest.mark.parametrize(
    ("text", "start"),
    [
        ("Many of them are staying in 14 schools.", "Many of them"),
        ("About 3,900 of them have waited more than a year.", "About 3,900 of them"),
        ("They take refuge after fighting.", "They"),
    ],
)
def test_the_panel_marks_a_wording_that_names_nobody(text: str, start: str) -> None:
    from factcheck.wording import check_wording

    assert f"starts with “{start}”" in check_wording({"text": text, "wording_source": "rewritten"})


def test_the_panel_does_not_mark_a_wording_that_names_its_subject() -> None:
    from factcheck.wording import check_wording

    claim = {
        "text": "Many of the evacuees are staying in 14 schools.",
        "wording_source": "rewritten",
    }
    assert check_wording(claim) is None


def test_the_agency_said_names_the_agency_in_full() -> None:
    text = (
        "The bridge carried 21,000 vehicles a day, according to the regional roads agency. "
        "Ferry crossings peaked at 3,400 last December, the agency said."
    )
    (c,) = [c for c in extract_claims(text) if "3,400" in c["quote"]]
    assert c["claimant"] == "the regional roads agency"
    assert text[c["claimant_start"] : c["claimant_end"]] == "the regional roads agency"
    assert c["text"].endswith("the regional roads agency said")


def test_quoted_second_person_stays_the_speakers_words() -> None:
    # "you" is whom the speaker addressed: never "Helena Brandt said you abused ..."
    text = (
        "Judge Helena Brandt sentenced Aalto to six years. "
        '"You abused the trust placed in you by the people of this city," the judge told Aalto.'
    )
    (c,) = [c for c in extract_claims(text) if c["quote"].startswith("You abused")]
    assert c["claimant"] == "Helena Brandt"
    assert (c["text"], c["wording_source"]) == (
        'Helena Brandt said: "You abused the trust placed in you by the people of this city."',
        "quote",
    )


def test_a_clause_a_wish_governs_is_not_what_the_source_said() -> None:
    # she wanted guarantees that letters would arrive on time; she did not say they would
    text = (
        'Minister Karin Aasen said she was "open to the proposal" but wanted guarantees that '
        "medicines and court letters would still arrive on time."
    )
    (c,) = [c for c in extract_claims(text) if c["quote"].startswith("court letters")]
    assert "said court letters" not in c["text"]
    assert (c["text"], c["wording_source"]) == (
        "Court letters would still arrive on time.",
        "quote",
    )
    # "said A and that B" is still the source's B
    text = "Halvik Buss said it would cut 11 routes and that about 70 posts would go."
    (c,) = [c for c in extract_claims(text) if c["quote"].startswith("about 70")]
    assert c["text"] == "Halvik Buss said about 70 posts would go"


def test_the_company_after_two_opening_phrases_is_unsure_too() -> None:
    text = (
        "Brenner Motors, the country's largest carmaker, will cut 500 jobs. Analysts at Kappa "
        "Securities expect more cuts. In 2019, under Per Frisk, the company paid a dividend of "
        "2.1 billion crowns."
    )
    (c,) = [c for c in extract_claims(text) if "dividend" in c["quote"]]
    assert (c["text"], c["wording_source"]) == (tidy_quote(c["quote"]), "quote")


def test_a_fact_box_line_is_the_boxs_words() -> None:
    # "Capacity: 960 MW": the capacity of what? The box's title is not in the line: the quote,
    # and the panel asks to check the wording
    text = (
        "The Skarholm wind farm began supplying power on Thursday.\n\nFACTBOX\n\n"
        "- Turbines: 64\n- Capacity: 960 MW\n- Cost: 2.4 billion euros (budget 1.85 billion)\n"
    )
    box = {c["quote"]: c for c in extract_claims(text) if ":" in c["quote"]}
    assert box["Capacity: 960 MW"]["wording_source"] == "quote"
    assert box["Capacity: 960 MW"]["text"] == "Capacity: 960 MW."
    cost = [c for q, c in box.items() if q.startswith("Cost")]
    assert [c["text"] for c in cost] == ["Cost: 2.4 billion euros (budget 1.85 billion)."]
    assert tidy_quote("cost 2.4 billion (budget 1.85 billion)") == (
        "Cost 2.4 billion (budget 1.85 billion)."
    )


def test_it_said_closing_a_wording_names_the_organisation() -> None:
    text = (
        "The national medicines agency ordered the recall on Thursday. About 310,000 patients "
        "in Brevia take the drug, it said. The agency will close the plant in June, it said."
    )
    claims = {c["quote"]: c for c in extract_claims(text)}
    (take,) = [c for q, c in claims.items() if "310,000" in q]
    assert take["text"] == (
        "About 310,000 patients in Brevia take the drug, the national medicines agency said"
    )
    # "it" is the subject the wording names already: left as it is
    (close,) = [c for q, c in claims.items() if "close the plant" in q]
    assert "medicines agency said" not in close["text"]


def test_a_coordinated_verb_takes_the_main_clause_subject_not_the_when_clause() -> None:
    """The subject of the "when" clause did not recover: the second verb's subject is the main
    clause's (worded so since the clause splitter learnt coordination), or the passage itself."""
    text = (
        "When Norland banned smoking in bars in 2019, bar takings fell 3% in the first year and "
        "recovered within two years, according to the statistics office."
    )
    quote = "recovered within two years, according to the statistics office"
    (c,) = [c for c in extract_claims(text) if c["quote"] == quote]
    assert (c["text"], c["wording_source"]) in (
        ("Bar takings recovered within two years, according to the statistics office", "rewritten"),
        (tidy_quote(quote), "quote"),
    )
