"""One checkable fact per claim, fourth round: general grammatical shapes (not the labelled
sentences'), each case our own invented sentence. Every case fails without its rule."""

from __future__ import annotations

import pytest

from factcheck.extract import extract_claims

CASES = [
    (  # a cause after an apposition that ranks the figure: the clause's cause
        "Steel output fell 3.2%, its fourth monthly decline in a row, mainly because orders "
        "from carmakers dropped sharply.",
        [
            ("Steel output fell 3.2%", "Steel output fell 3.2%"),
            (
                "its fourth monthly decline in a row",
                "Steel output fell 3.2%, its fourth monthly decline in a row",
            ),
            (
                "mainly because orders from carmakers dropped sharply",
                "Orders from carmakers dropped sharply",
            ),
        ],
    ),
    (  # a circumstance after a participle
        "The Liberals won 9 seats, ending 16 years of Conservative rule, as turnout fell to a "
        "record low.",
        [
            ("The Liberals won 9 seats", "The Liberals won 9 seats"),
            (
                "ending 16 years of Conservative rule",
                "The Liberals won 9 seats, ending 16 years of Conservative rule",
            ),
            ("as turnout fell to a record low", "Turnout fell to a record low"),
        ],
    ),
    (  # a figure against a yardstick
        "The regional jobless rate rose to 6.1%, well above the national average of 4.8%.",
        [
            ("The regional jobless rate rose to 6.1%", "The regional jobless rate rose to 6.1%"),
            (
                "well above the national average of 4.8%",
                "The regional jobless rate rose to 6.1%, well above the national average of 4.8%",
            ),
        ],
    ),
    (  # a figure against another period
        "The bank will pay a dividend of 1.20 euros a share, unchanged from last year.",
        [
            (
                "The bank will pay a dividend of 1.20 euros a share",
                "The bank will pay a dividend of 1.20 euros a share",
            ),
            (
                "unchanged from last year",
                "The bank will pay a dividend of 1.20 euros a share, unchanged from last year",
            ),
        ],
    ),
    (  # a count compared with another election (a number word)
        "The Greens took 7 seats, two more than in 2021.",
        [
            ("The Greens took 7 seats", "The Greens took 7 seats"),
            ("two more than in 2021", "The Greens took two more than in 2021"),
        ],
    ),
    (  # a count of its own among the clause's figure; data that "show"
        "Police figures show 40 crashes on the bridge since 2019, six of them in winter.",
        [
            (
                "Police figures show 40 crashes on the bridge since 2019",
                "Police figures show 40 crashes on the bridge since 2019",
            ),
            (
                "six of them in winter",
                "Police figures show 40 crashes on the bridge since 2019, six of them in winter",
            ),
        ],
    ),
    (  # a plain present verb before the share
        "Flu kills about 900 people a year, most of them over 70, according to the institute.",
        [
            (
                "Flu kills about 900 people a year",
                "Flu kills about 900 people a year, according to the institute",
            ),
            (
                "most of them over 70, according to the institute",
                "Flu kills about 900 people a year, most of them over 70, according to the "
                "institute",
            ),
        ],
    ),
    (  # any superlative as a second comparison
        "The fire is the second at the depot since 2020, and the costliest.",
        [
            (
                "The fire is the second at the depot since 2020",
                "The fire is the second at the depot since 2020",
            ),
            ("the costliest", "The fire is the costliest"),
        ],
    ),
    (  # ", and" + a clause after a clause in the plain present
        "The line links two towns in the valley, and the road is closed for four months a year.",
        [
            ("The line links two towns in the valley", "The line links two towns in the valley"),
            (
                "the road is closed for four months a year",
                "The road is closed for four months a year",
            ),
        ],
    ),
    (  # a capitalised word after the subject is a name, not a verb ("Centre", "Left")
        "The Social Democrats lost two seats, and the Left Party kept its four.",
        [
            ("The Social Democrats lost two seats", "The Social Democrats lost two seats"),
            ("the Left Party kept its four", "The Left Party kept its four"),
        ],
    ),
    (  # two participles of the same clause
        "A storm hit the coast on Sunday, flooding 300 homes and cutting power to 12,000 "
        "households.",
        [
            ("A storm hit the coast on Sunday", "A storm hit the coast on Sunday"),
            ("flooding 300 homes", "A storm hit the coast on Sunday, flooding 300 homes"),
            (
                "cutting power to 12,000 households",
                "A storm hit the coast on Sunday, cutting power to 12,000 households",
            ),
        ],
    ),
    (  # a leading subordinate clause states an event of its own
        "When Velland raised its fuel tax in 2022, diesel sales fell 9%.",
        [
            ("Velland raised its fuel tax in 2022", "Velland raised its fuel tax in 2022"),
            ("diesel sales fell 9%", "Diesel sales fell 9%"),
        ],
    ),
    (  # ... but a leading phrase without a clause does not
        "After a two-week trial, the former director was convicted of fraud.",
        [
            (
                "After a two-week trial, the former director was convicted of fraud",
                "After a two-week trial, the former director was convicted of fraud",
            ),
        ],
    ),
    (  # any participle with its agent about the subject; the copula agrees
        "Season tickets, used by about 9,000 fans, will cost 5% more.",
        [
            ("used by about 9,000 fans", "Season tickets were used by about 9,000 fans"),
            ("will cost 5% more", "Season tickets will cost 5% more"),
        ],
    ),
    (  # ... and after a clause, a cause
        "Grain exports rose 6%, helped by a strong harvest.",
        [
            ("Grain exports rose 6%", "Grain exports rose 6%"),
            (
                "helped by a strong harvest",
                "Grain exports rose 6%, helped by a strong harvest",
            ),
        ],
    ),
    (  # two participles about the subject, then the subject's own verb
        "The survey, led by economists at Harlow University and published in the Labour "
        "Review, covered 2,400 firms.",
        [
            (
                "led by economists at Harlow University",
                "The survey was led by economists at Harlow University",
            ),
            ("published in the Labour Review", "The survey was published in the Labour Review"),
            ("covered 2,400 firms", "The survey covered 2,400 firms"),
        ],
    ),
    (  # a verb with an object pronoun is a second verb, not a noun ("a pay cut" after it)
        "The firm made a loss of 4 million euros and wants them to accept a pay cut.",
        [
            (
                "The firm made a loss of 4 million euros",
                "The firm made a loss of 4 million euros",
            ),
            ("wants them to accept a pay cut", "The firm wants them to accept a pay cut"),
        ],
    ),
    (  # ... but a plural noun before a share is no verb: one claim
        "He said that pupils at private schools, about 8% of all pupils, were left out.",
        [
            (
                "He said that pupils at private schools, about 8% of all pupils, were left out",
                "He said that pupils at private schools, about 8% of all pupils, were left out.",
            ),
        ],
    ),
    (  # the verb of a relative clause does not make "after midnight slept ..." an adjunct
        "Pupils who used phones after midnight slept 74 minutes less than their peers.",
        [
            (
                "Pupils who used phones after midnight slept 74 minutes less than their peers",
                "Pupils who used phones after midnight slept 74 minutes less than their peers",
            ),
        ],
    ),
    (  # a wire story's dateline is no part of the claim
        "KESTON, Varnia, May 3 (Meridian Wire) - Harlow Foods will close two bakeries.",
        [("Harlow Foods will close two bakeries", "Harlow Foods will close two bakeries")],
    ),
    (  # an apposition that is a name's (a ranking)
        "Ardel Steel, Varnia's largest steelmaker, will cut 900 jobs.",
        [
            (
                "Ardel Steel, Varnia's largest steelmaker, will cut 900 jobs",
                "Ardel Steel will cut 900 jobs",
            ),
            ("Varnia's largest steelmaker", "Ardel Steel is Varnia's largest steelmaker"),
        ],
    ),
    (  # an apposition with a comma inside its figure
        "Tollby, a village of about 2,400 people, lost its last bank in May.",
        [
            (
                "Tollby, a village of about 2,400 people, lost its last bank in May",
                "Tollby lost its last bank in May",
            ),
            ("a village of about 2,400 people", "Tollby was a village of about 2,400 people"),
        ],
    ),
    (  # a second bare verb with an object of two words before its preposition
        "The council will sell the old depot in March and raise parking charges by 10%.",
        [
            (
                "The council will sell the old depot in March",
                "The council will sell the old depot in March",
            ),
            ("raise parking charges by 10%", "The council will raise parking charges by 10%"),
        ],
    ),
    (  # a colon, then a clause after a time adjunct
        "It is the third flood in the town in five years: in 2021 the river flooded 40 homes.",
        [
            (
                "It is the third flood in the town in five years",
                "It is the third flood in the town in five years.",  # ("It": the quote)
            ),
            ("in 2021 the river flooded 40 homes", "In 2021 the river flooded 40 homes"),
        ],
    ),
    (  # a colon, then a clause in the present
        "The school will not close: the council runs 14 schools in the valley.",
        [
            ("The school will not close", "The school will not close"),
            (
                "the council runs 14 schools in the valley",
                "The council runs 14 schools in the valley",
            ),
        ],
    ),
    (  # figures, each with what it measures, after a comparison
        "Debt stood at 58% of output at the end of 2025, against 41% in Velland and 63% in Dania.",
        [
            (
                "Debt stood at 58% of output at the end of 2025",
                "Debt stood at 58% of output at the end of 2025",
            ),
            (
                "against 41% in Velland",
                "Debt stood at 58% of output at the end of 2025, against 41% in Velland",
            ),
            (
                "63% in Dania",
                "Debt stood at 58% of output at the end of 2025, against 63% in Dania",
            ),
        ],
    ),
    (  # ... and after a verb
        "Tickets will cost 12 euros for adults and 6 euros for children.",
        [
            ("Tickets will cost 12 euros for adults", "Tickets will cost 12 euros for adults"),
            ("6 euros for children", "Tickets will cost 6 euros for children"),
        ],
    ),
    (  # a second clause without the first one's verb ("... and Mobi by 4% in June")
        "Harlow Mobile raised its prices by 6% in May and its rival, Kesti, by 4% in June.",
        [
            (
                "Harlow Mobile raised its prices by 6% in May",
                "Harlow Mobile raised its prices by 6% in May",
            ),
            (
                "its rival, Kesti, by 4% in June",
                "Its rival, Kesti, raised its prices by 4% in June",
            ),
        ],
    ),
    (  # ... the subject's gap, not the object's ("Exports imports by 2%" before)
        "Exports rose by 4% and imports by 2%.",
        [
            ("Exports rose by 4%", "Exports rose by 4%"),
            ("imports by 2%", "Imports rose by 2%"),
        ],
    ),
    (  # a second yardstick after "and", worded with the clause
        "The bridge was finished in May, two months late and 15% over budget.",
        [
            (
                "The bridge was finished in May, two months late",
                "The bridge was finished in May, two months late",
            ),
            ("15% over budget", "The bridge was 15% over budget"),
        ],
    ),
    (  # ... after an apposition: the clause's, not the apposition's noun's
        "The museum opened on Monday, a year later than planned and about 20% over budget.",
        [
            ("The museum opened on Monday", "The museum opened on Monday"),
            ("a year later than planned", "A year later than planned."),
            ("about 20% over budget", "The museum opened on Monday, about 20% over budget"),
        ],
    ),
    (  # "learned" is a verb: quoted words with it state a fact
        "Ada Berg chairs the tenants' group. \"Our members learned about it from the "
        'radio," she said.',
        [
            ("Ada Berg chairs the tenants' group", "Ada Berg chairs the tenants' group"),
            (
                "Our members learned about it from the radio",
                'Ada Berg said: "Our members learned about it from the radio."',
            ),
        ],
    ),
    (  # "warned X ... that": what he warned, not a relative clause about the year
        "The engineer warned the council in a letter in 2019 that the bridge was unsafe.",
        [
            (
                "The engineer warned the council in a letter in 2019 that the bridge was unsafe",
                "The engineer warned the council in a letter in 2019 that the bridge was unsafe",
            ),
        ],
    ),
    (  # what the clause costs
        "The council will open two clinics next year, at a cost of about 9 million euros.",
        [
            (
                "The council will open two clinics next year",
                "The council will open two clinics next year",
            ),
            (
                "at a cost of about 9 million euros",
                "The council will open two clinics next year, at a cost of about 9 million euros",
            ),
        ],
    ),
    (  # an irregular past the verb lists lacked
        "Construction shrank 1.4% in the third quarter.",
        [
            (
                "Construction shrank 1.4% in the third quarter",
                "Construction shrank 1.4% in the third quarter",
            ),
        ],
    ),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_one_fact_per_claim(text: str, expected: list[tuple[str, str]]) -> None:
    claims = extract_claims(text)
    assert [(c["quote"], c["text"]) for c in claims] == expected
    for c in claims:
        assert text[c["start"] : c["end"]] == c["quote"]


def test_a_fact_box_item_of_two_words_with_a_figure_is_a_claim() -> None:
    text = "Tunnel facts\n\n- Length: 14.6 km\n- Construction: 2017-2026\n- Opened: 1987\n"
    got = [c["quote"] for c in extract_claims(text)]
    assert got == ["Length: 14.6 km", "Construction: 2017-2026", "Opened: 1987"]
