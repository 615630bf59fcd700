"""The news evaluation set's labels and the scorer bench/eval_claims.py.

None of these tests runs the claim extractor: the scorer is fed the gold labels themselves
and hand-made perturbations of them.
"""

from __future__ import annotations

import ast
import datetime
import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NEWS = ROOT / "bench" / "news"

_spec = importlib.util.spec_from_file_location("eval_claims", ROOT / "bench" / "eval_claims.py")
ev = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(ev)

# every half's labels are validated and scored as gold output here; none is run through the
# extractor (the held-out `fifth` half included: these tests never import factcheck.extract)
HALVES = [
    h for h in ("dev", "test", "fresh", "fourth", "fifth") if list((NEWS / h).glob("*.labels.json"))
]
ARTICLES = [a for h in HALVES for a in ev.load_half(h)]
LABEL_KEYS = {"start", "end", "quote", "wording", "claimant", "subject", "core"}


def gold_output(article: dict) -> list[dict]:
    """The labels written as extractor output (wording, first claimant name, checkworthy)."""
    return [
        {
            "start": c["start"],
            "end": c["end"],
            "quote": c["quote"],
            "text": c["wording"],
            "checkworthy": True,
            "claimant": c["claimant"][0] if c["claimant"] else None,
        }
        for c in article["labels"]
    ]


def test_dev_set_has_twelve_articles():
    dev = [a for a in ARTICLES if a["half"] == "dev"]
    assert len(dev) == 12
    assert sum(len(a["labels"]) for a in dev) >= 12 * 10


def test_fresh_set_has_twelve_articles_and_is_now_seen():
    fresh = [a for a in ARTICLES if a["half"] == "fresh"]
    assert len(fresh) == 12
    assert sum(len(a["labels"]) for a in fresh) >= 12 * 10
    assert ev.HALVES == ("dev", "test", "fresh", "fourth"), "--set seen/all: the four used halves"
    slugs = [a["slug"] for a in ARTICLES]
    assert len(set(slugs)) == len(slugs), "article names are unique across halves"


def test_fourth_set_has_twelve_articles_and_is_now_seen():
    fourth = [a for a in ARTICLES if a["half"] == "fourth"]
    assert len(fourth) == 12
    assert sum(len(a["labels"]) for a in fourth) >= 12 * 10
    assert "fourth" in ev.HALVES, "run twice by the lead, now a development half"
    assert "fourth" not in ev.HELD_OUT


def test_fifth_set_has_twelve_articles_and_is_held_out():
    fifth = [a for a in ARTICLES if a["half"] == "fifth"]
    assert len(fifth) == 12
    assert sum(len(a["labels"]) for a in fifth) >= 12 * 10
    assert ev.HELD_OUT == ("fifth",)
    assert "fifth" not in ev.HALVES, "--set seen/all must leave the held-out half out"


def test_extract_speed_leaves_the_held_out_half_out_unless_named():
    """Read from the script's source: importing it would import the extractor."""
    tree = ast.parse((ROOT / "bench" / "extract_speed.py").read_text(encoding="utf-8"))
    held = [
        ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "HELD_OUT" for t in node.targets)
    ]
    assert held == [("fifth",)]


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: f"{a['half']}/{a['slug']}")
def test_labels_file_is_valid(article):
    text, labels, meta = article["text"], article["labels"], article["meta"]
    assert set(meta) >= {"title", "publisher", "author", "published", "style"}
    datetime.date.fromisoformat(meta["published"])
    assert text.split("\n", 1)[0].strip(), "first line is the headline"
    assert text.split("\n")[1] == "", "a blank line after the headline"
    assert labels, "an article without labels"
    seen = set()
    for c in labels:
        assert LABEL_KEYS <= set(c), c
        assert set(c) <= LABEL_KEYS | {"note"}, c
        assert isinstance(c["start"], int) and isinstance(c["end"], int)
        assert 0 <= c["start"] < c["end"] <= len(text), c
        assert text[c["start"] : c["end"]] == c["quote"], c
        assert c["quote"] == c["quote"].strip(), c
        assert isinstance(c["wording"], str) and c["wording"].strip(), c
        assert isinstance(c["core"], bool), c
        assert isinstance(c["claimant"], list) and all(
            isinstance(n, str) and n.strip() for n in c["claimant"]
        ), c
        assert isinstance(c["subject"], list) and c["subject"], c
        assert all(isinstance(s, str) and s.strip() for s in c["subject"]), c
        assert (c["start"], c["end"]) not in seen, f"duplicate label {c['quote']!r}"
        seen.add((c["start"], c["end"]))
    assert [(c["start"], c["end"]) for c in labels] == sorted(seen), "labels sorted by position"


@pytest.mark.parametrize("half", HALVES)
def test_gold_labels_as_output_score_perfectly(half):
    articles = [a for a in ARTICLES if a["half"] == half]
    outputs = {a["slug"]: gold_output(a) for a in articles}
    res = ev.evaluate(articles, outputs)["result"]
    for subset in ev.SUBSETS:
        m = res[subset]["total"]
        assert m["recall_core"] == 1.0
        assert m["recall_all"] == 1.0
        assert m["precision"] == 1.0
        assert m["fp"] == 0
        assert m["checked"] == m["gold"]
        assert m["claimant_ok"] == m["gold"], "every claimant right"
        assert m["subject_ok"] == m["gold"], "every label's wording names its subject"
        assert m["self_contained"] == 1.0, "every label's wording is self-contained"
        assert res[subset]["ci95"]["recall_core"] == (1.0, 1.0)
        assert res[subset]["ci95"]["precision"] == (1.0, 1.0)
        # nested labels (a fact in an apposition inside another label's span) are the only
        # gold spans covering two labels
        assert m["non_atomic"] < 0.1
    assert res["tool_quote_mismatches"] == 0


# A small article for exact figures.
TEXT = (
    "Headline\n\n"
    "Exports fell 12% in May and imports rose 3%, the agency said. "
    "Maria Okafor called the plan a disgrace. "
    "She said the port closed for six weeks. "
    "It reopened on Monday. "
    "Prices rose 4% in June. "
    "Officials met in the capital."
)
AGENCY = ["the agency", "agency"]
OKAFOR = ["Maria Okafor", "Okafor"]


def _label(quote, wording, claimant, subject, core=True):
    start = TEXT.index(quote)
    assert TEXT.count(quote) == 1
    return dict(
        start=start,
        end=start + len(quote),
        quote=quote,
        wording=wording,
        claimant=claimant,
        subject=subject,
        core=core,
    )


LABELS = [
    _label(
        "Exports fell 12% in May", "The agency said exports fell 12% in May.", AGENCY, ["exports"]
    ),
    _label(
        "imports rose 3%, the agency said", "The agency said imports rose 3%.", AGENCY, ["imports"]
    ),
    _label(
        "Maria Okafor called the plan a disgrace",
        "Maria Okafor called the plan a disgrace.",
        OKAFOR,
        ["plan"],
        core=False,
    ),
    _label(
        "She said the port closed for six weeks",
        "Maria Okafor said the port closed for six weeks.",
        OKAFOR,
        ["port"],
    ),
    _label("It reopened on Monday", "The port reopened on Monday.", [], ["port"]),
    _label("Prices rose 4% in June", "Prices rose 4% in June.", [], ["prices"]),
]


def _claim(quote, wording, checkworthy=True, **extra):
    start = TEXT.index(quote)
    return dict(start=start, end=start + len(quote), text=wording, checkworthy=checkworthy, **extra)


def _score(claims):
    article = dict(half="dev", slug="x", text=TEXT, meta={}, labels=LABELS)
    return ev.evaluate([article], {"x": claims})


PERTURBED = [
    # two facts in one claim (it matches the second label, with the better IoU; the first is missed)
    _claim(
        "Exports fell 12% in May and imports rose 3%, the agency said",
        "The agency said exports fell 12% in May and imports rose 3%.",
        claimant="the agency",
    ),
    # an attributed opinion (borderline label): neutral, and not check-worthy
    _claim(
        "Maria Okafor called the plan a disgrace",
        "Maria Okafor called the plan a disgrace.",
        checkworthy=False,
        claimant="Maria Okafor",
    ),
    # the wrong claimant
    _claim(
        "She said the port closed for six weeks",
        "Maria Okafor said the port closed for six weeks.",
        claimant="the agency",
    ),
    # a pronoun wording
    _claim("It reopened on Monday", "It reopened on Monday.", claimant=None),
    # "Prices rose 4% in June" is missing
]


def test_perturbed_output_gives_the_expected_figures():
    res = _score(PERTURBED)["result"]
    m = res["all"]["total"]
    assert (m["tool"], m["gold"], m["gold_core"]) == (4, 6, 5)
    assert (m["tp"], m["neutral"], m["fp"], m["dup"]) == (3, 1, 0, 0)
    assert m["matched_core"] == 3
    assert m["recall_core"] == pytest.approx(3 / 5)
    assert m["recall_all"] == pytest.approx(4 / 6)
    assert m["precision"] == 1.0
    assert m["non_atomic"] == pytest.approx(1 / 4)
    assert m["checked"] == 4
    assert (m["claimant_ok"], m["claimant_wrong"], m["claimant_missing"]) == (3, 1, 0)
    assert (m["subject_ok"], m["subject_wrong"], m["subject_unresolved"]) == (3, 0, 1)
    assert m["self_contained"] == pytest.approx(3 / 4)

    c = res["checkworthy"]["total"]
    assert (c["tool"], c["tp"], c["neutral"], c["fp"]) == (3, 3, 0, 0)
    assert c["recall_core"] == pytest.approx(3 / 5)
    assert c["recall_all"] == pytest.approx(3 / 6)
    assert c["precision"] == 1.0
    assert c["non_atomic"] == pytest.approx(1 / 3)
    assert c["claimant_wrong"] == 1 and c["subject_unresolved"] == 1


def test_perturbed_details_name_the_misses_and_wrong_wordings():
    d = _score(PERTURBED)["details"]["x"]["all"]
    assert [LABELS[gi]["quote"] for gi in d["missed"]] == [
        "Exports fell 12% in May",
        "Prices rose 4% in June",
    ]
    assert [LABELS[gi]["quote"] for _, gi in d["wrong_claimant"]] == [LABELS[3]["quote"]]
    assert [(LABELS[gi]["quote"], kind) for _, gi, kind in d["wrong_subject"]] == [
        ("It reopened on Monday", "unresolved")
    ]


def test_false_positive_duplicate_and_claimant_not_given():
    claims = [
        _claim(
            "Exports fell 12% in May",
            "The agency said exports fell 12% in May.",
            claimant="the agency",
        ),
        _claim(
            "imports rose 3%, the agency said",
            "The agency said imports rose 3%.",
            claimant="Agency",
        ),
        # a second piece of an already-matched fact: a false positive, counted as dup
        _claim("imports rose 3%, the agency", "Imports rose 3%.", claimant="the agency"),
        _claim("Prices rose 4% in June", "Prices rose 4% in June."),  # no claimant key
        _claim("Officials met in the capital", "Officials met in the capital.", claimant=None),
    ]
    m = _score(claims)["result"]["all"]["total"]
    assert (m["tool"], m["tp"], m["fp"], m["dup"]) == (5, 3, 2, 1)
    assert m["precision"] == pytest.approx(3 / 5)
    assert m["precision_dup_neutral"] == pytest.approx(3 / 4)
    assert m["recall_core"] == pytest.approx(3 / 5)
    assert (m["claimant_ok"], m["claimant_wrong"], m["claimant_missing"]) == (2, 0, 1)


@pytest.mark.parametrize(
    "claimant, names, expected",
    [
        (None, [], "ok"),
        ("", [], "ok"),
        ("Reuters", [], "wrong"),
        (None, ["Danel Frost", "Frost"], "wrong"),
        ("Frost", ["Danel Frost"], "ok"),
        ("union secretary Danel Frost", ["Danel Frost", "Frost"], "ok"),
        ("DANEL FROST", ["Danel Frost"], "ok"),
        ("Ilse Varga", ["Danel Frost", "Frost"], "wrong"),
    ],
)
def test_claimant_check(claimant, names, expected):
    assert ev.claimant_check({"claimant": claimant}, names) == expected


def test_claimant_not_given():
    assert ev.claimant_check({"text": "x"}, []) == "missing"


@pytest.mark.parametrize(
    "wording, expected",
    [
        ("The port reopened on Monday.", "ok"),
        ("THE PORT reopened.", "ok"),
        ("It reopened on Monday.", "unresolved"),
        ("Their ships were diverted.", "unresolved"),
        ("Those were the figures.", "unresolved"),
        ("a six-week closure of the harbour", "unresolved"),  # a fragment without a verb
        ("The harbour reopened on Monday.", "wrong"),
        ("The harbour authority works at the port.", "ok"),
        ("The port's cranes were damaged.", "ok"),
    ],
)
def test_subject_check(wording, expected):
    assert ev.subject_check(wording, ["port"]) == expected


@pytest.mark.parametrize(
    "wording, expected",
    [
        ("Maria Fenn works at a cafe opposite the shop.", True),
        ("The budget freezes fuel duty.", True),
        ("In 1965, 112 people died in the valley.", True),
        ("Exports fell 12%.", True),
        ("Ostria's largest container terminal", False),
        ("about 60% of the country's container traffic", False),
        ("They sold 38,000 head of cattle.", False),
        ("This was the biggest fall since October.", False),
    ],
)
def test_self_contained(wording, expected):
    assert ev.self_contained(wording) is expected


def test_subject_named_as_words_without_a_leading_determiner():
    wording = "Officials said it was the driest spring in decades."
    assert ev.subject_check(wording, ["the spring"]) == "ok"
    assert ev.names_subject("Officials said it was the driest spring.", ["the spring"])
    assert ev.names_subject("Exports of grain fell by a third.", ["grain exports"])
    assert ev.names_subject("Whitlow said $1.1 million bought a villa.", ["1.1 million"])
    assert not ev.names_subject("Exports of fertiliser fell.", ["grain exports"])


def test_bootstrap_is_deterministic_and_brackets_the_figure():
    counts = []
    for k in range(6):
        r = dict.fromkeys(ev.COUNT_KEYS, 0)
        r.update(gold=4, gold_core=4, matched_core=k % 4 + 1, tool=4, tp=3, fp=1)
        counts.append(r)
    a, b = ev.bootstrap(counts), ev.bootstrap(counts)
    assert a == b
    point = ev.summarize(ev.total(counts))
    for key in ("recall_core", "precision", "non_atomic"):
        lo, hi = a[key]
        assert lo <= point[key] <= hi


def _write_set(root: Path, labels=LABELS):
    folder = root / "dev"
    folder.mkdir(parents=True)
    (folder / "01-x.txt").write_text(TEXT, encoding="utf-8")
    meta = {
        "title": "Headline",
        "publisher": "P",
        "author": "A",
        "published": "2026-05-01",
        "style": "test",
    }
    (folder / "01-x.meta.json").write_text(json.dumps(meta), encoding="utf-8")
    (folder / "01-x.labels.json").write_text(json.dumps({"claims": labels}), encoding="utf-8")


def test_main_scores_saved_outputs_without_running_the_extractor(tmp_path, monkeypatch, capsys):
    def no_extractor(article):
        raise AssertionError("the extractor must not run when --outputs is given")

    monkeypatch.setattr(ev, "run_extractor", no_extractor)
    _write_set(tmp_path / "news")
    out = tmp_path / "out"
    out.mkdir()
    (out / "01-x.jsonl").write_text(
        "".join(json.dumps(c) + "\n" for c in PERTURBED), encoding="utf-8"
    )
    report = tmp_path / "r.json"
    rc = ev.main(
        [
            "--root",
            str(tmp_path / "news"),
            "--outputs",
            str(out),
            "--json",
            str(report),
            "--verbose",
        ]
    )
    assert rc == 0
    printed = capsys.readouterr().out
    assert "recall (core, all claims) >= 0.90: 0.600 NOT MET" in printed
    assert "MISS  'Prices rose 4% in June'" in printed
    assert "CLAIMANT 'the agency'" in printed
    assert "NOT SELF-CONTAINED" in printed
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["dev"]["all"]["total"]["recall_core"] == pytest.approx(0.6)
    assert data["dev"]["checkworthy"]["per_article"]["01-x"]["tool"] == 3


def test_main_fifth_only_when_named(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(ev, "run_extractor", lambda article: pytest.fail("extractor ran"))
    _write_set(tmp_path / "news")
    (tmp_path / "news" / "dev").rename(tmp_path / "news" / "fifth")
    (tmp_path / "out").mkdir()
    args = ["--root", str(tmp_path / "news"), "--outputs", str(tmp_path / "out")]
    assert ev.main([*args, "--set", "all"]) == 1, "--set all leaves fifth out"
    assert ev.main([*args, "--set", "seen"]) == 1, "--set seen leaves fifth out"
    capsys.readouterr()
    report = tmp_path / "r.json"
    assert ev.main([*args, "--set", "fifth", "--json", str(report)]) == 0
    assert list(json.loads(report.read_text(encoding="utf-8"))) == ["fifth"]


def test_main_seen_and_all_cover_dev_test_fresh_and_fourth(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(ev, "run_extractor", lambda article: pytest.fail("extractor ran"))
    root = tmp_path / "news"
    for half in ("dev", "test", "fresh", "fourth", "fifth"):
        _write_set(root)
        (root / "dev").rename(root / f"{half}-tmp")
    for half in ("dev", "test", "fresh", "fourth", "fifth"):
        folder = root / f"{half}-tmp"
        for path in folder.iterdir():  # one article name per half
            path.rename(folder / path.name.replace("01-x", f"01-{half}"))
        folder.rename(root / half)
    (tmp_path / "out").mkdir()
    args = ["--root", str(root), "--outputs", str(tmp_path / "out")]
    for name in ("seen", "all"):
        report = tmp_path / f"{name}.json"
        assert ev.main([*args, "--set", name, "--json", str(report)]) == 0
        data = json.loads(report.read_text(encoding="utf-8"))
        assert list(data) == ["dev", "test", "fresh", "fourth", "all"], name
    capsys.readouterr()


def test_main_missing_output_file_is_an_empty_output(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(ev, "run_extractor", lambda article: pytest.fail("extractor ran"))
    _write_set(tmp_path / "news")
    (tmp_path / "out").mkdir()
    rc = ev.main(["--root", str(tmp_path / "news"), "--outputs", str(tmp_path / "out")])
    assert rc == 0
    assert "recall (core, all claims) >= 0.90: 0.000 NOT MET" in capsys.readouterr().out


def test_verbose_lists_the_non_atomic_claims_with_the_labels_they_cover(capsys):
    text = "Sales rose 4% and profits fell 2%."
    labels = [
        {"start": 0, "end": 13, "quote": "Sales rose 4%", "core": True, "wording": "x"},
        {"start": 18, "end": 33, "quote": "profits fell 2%", "core": False, "wording": "y"},
    ]
    claims = [{"start": 0, "end": 33, "text": "Sales rose 4% and profits fell 2%"}]
    assert ev.covering_two([(0, 33)], [(0, 13, True), (18, 33, False)]) == [(0, [0, 1])]
    d = ev.score_article(text, labels, claims)["all"]
    ev.print_details({"slug": "s", "text": text, "labels": labels}, d)
    out = capsys.readouterr().out
    assert "NON-ATOMIC 'Sales rose 4% and profits fell 2%'" in out
    assert "label (core): 'Sales rose 4%'" in out and "label (borderline): 'profits fell 2%'" in out
