"""Each step of the claims pipeline alone (factcheck/extract/claims.py puts them together):
a sentence's pieces (spans), a subject's apposition, quoted words, the last check of a
wording, who an opening "she" is."""

from factcheck.extract.apposition import subject_apposition
from factcheck.extract.claimant import Claimant, People
from factcheck.extract.final_wording import faithful_wording
from factcheck.extract.open_quotes import _open_quotes
from factcheck.extract.pronouns import _opening_pronoun, _other_person
from factcheck.extract.quoted import _quoted_statement
from factcheck.extract.spans import claim_spans


def test_spans_split_a_sentence_and_keep_its_source_on_each_piece():
    s = "The ministry said exports fell 12% and imports rose 3%."
    got = [(s[d["start"] : d["end"]], d["text"]) for d in claim_spans(s)]
    assert got == [
        ("The ministry said exports fell 12%", "The ministry said exports fell 12%"),
        ("imports rose 3%", "The ministry said imports rose 3%"),
    ]


def test_apposition_of_a_subject_and_where_its_verb_starts():
    s = "Hale, a former judge, denied the charges."
    np_, app, verb_at = subject_apposition(s, 0, len(s))
    assert (s[slice(*np_)], s[slice(*app)], s[verb_at:]) == (
        "Hale",
        "a former judge",
        "denied the charges.",
    )
    s = "In October, the month used for the cap, prices rose."
    assert subject_apposition(s, 0, len(s)) is None


def test_quoted_statement_and_what_the_speaker_adds():
    s = '"We cut the deficit," said Mayor Ana Pires, adding that taxes fell.'
    got = [(d["text"], d["speaker"]) for d in _quoted_statement(s, 0, len(s))]
    assert got == [
        ("Mayor Ana Pires said we cut the deficit", "Mayor Ana Pires"),
        ("Mayor Ana Pires said taxes fell", "Mayor Ana Pires"),
    ]


def test_final_wording_keeps_a_faithful_rewrite_and_falls_back_to_the_quote():
    text = "Prices rose 3%. They fell later."
    assert faithful_wording("Prices rose 3%", "Prices rose 3%", 0, 14, text, [(0, 15)]) == (
        "Prices rose 3%",
        "rewritten",
        [[0, 14]],
    )
    # a word the article does not give ("Wages"), or an unresolved pronoun: the quote
    for wording in ("Wages fell later", "They fell later"):
        got = faithful_wording(wording, "They fell later", 16, 31, text, [(16, 32)])
        assert got == ("They fell later.", "quote", [[16, 31]])


def test_open_quote_closed_by_a_later_sentence_is_its_speakers():
    text = '"Sales doubled in May. We hired 40 people," Lund said.'
    claims = [
        {"sentence_start": 0, "sentence_end": 22, "claimant": None, "quote": "Sales doubled"},
        {
            "sentence_start": 23,
            "sentence_end": len(text),
            "claimant": "Lund",
            "claimant_start": 44,
            "claimant_end": 48,
            "claimant_kind": "person",
            "quote": "We hired 40 people",
        },
    ]
    _open_quotes(text, claims)
    assert claims[0]["claimant"] == "Lund"


def test_opening_pronoun_and_the_other_person_it_fits():
    assert _opening_pronoun('"She said no."') == "she"
    assert _opening_pronoun("Prices rose.") is None
    people = People()
    people.seen += [Claimant("Eva Abel", 0, 8, "person"), Claimant("Jon Moll", 20, 28, "person")]
    # Moll was "he" before: "she" is Abel, the other one
    assert _other_person(people, {"Moll": "he"}, "she", "Jon Moll").name == "Eva Abel"
    # both named "he" before: nobody this "she" fits
    assert _other_person(people, {"Abel": "he", "Moll": "he"}, "she", "Eva Abel") is None
