"""Speed of segmentation and full claim extraction on generated news-like text (one core).

Generates a deterministic corpus of at least 5 MB of news-like articles (headlines,
bylines, datelines, captions, quotes, abbreviations, numbers, dates), then times
``split_sentences`` and ``extract_claims`` article by article, and pySBD (reference)
on the same articles (by default on the first 1 MB, as pySBD is much slower; pass
``--pysbd-all`` to time it on everything).

Then the budget figure: the median time of ``extract_claims`` on 5,000-character articles
(target: 100 ms on one core), and chars/s on our labelled news set (``bench/news/dev``, ``test``,
``fresh`` and ``fourth`` unless ``--sets`` names some, e.g. ``--sets dev``; the held-out ``fifth``
half only when named) beside pySBD on the same texts.

``--parser spacy`` times extraction with the optional parse step (``EXTRACT_PARSER``; needs
the ``parse`` extra; the model is loaded before the timed runs).

Usage: python bench/extract_speed.py [--mb 5] [--pysbd-all] [--sets dev,test,fresh,fourth]
                                     [--parser rules|spacy]
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from factcheck.extract import extract_claims, split_sentences  # noqa: E402

PEOPLE = [
    "Maria Lopez",
    "Dr. Alan Brooks",
    "Gov. Ruth Okafor",
    "Sen. Paul Hendricks",
    "Prof. Li Wei",
    "Mayor Anna Kowalski",
    "Gen. Tomás Ibarra",
    "Mr. James O'Neill",
    "Ms. Priya Nair",
]
PLACES = ["Lagos", "Quito", "Ohio", "the U.K.", "the U.S.", "Manila", "Bavaria", "Ontario", "Cairo"]
ORGS = [
    "the World Bank",
    "the U.N. refugee agency",
    "Acme Corp.",
    "the health ministry",
    "the central bank",
    "the National Weather Service",
    "the electoral commission",
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
TEMPLATES = [
    "{org} said on {day} that unemployment fell to {pct}% in {month} {year}, the lowest level since {year2}.",  # noqa: E501
    "The storm left around {word} dead and displaced tens of thousands of people, officials said.",
    "{person} told reporters that the project, which cost ${num} million, was finished {n} years ago.",  # noqa: E501
    "Prices rose {pct} percent compared with {month}, according to {org}.",
    '"We will not back down," {person} said. "This is only the beginning."',
    "More than {num},000 people attended the rally in {place}, the largest since {year2}.",
    "In {year}, {org} reported a deficit of ${num}.{n} billion, up from ${n} billion a year earlier.",  # noqa: E501
    "The talks collapsed after a dispute over tariffs, which had risen sharply since Jan. {n}.",
    '{person}, who leads the inquiry, said the figures were "deeply worrying" and called for action.',  # noqa: E501
    "Critics argue the plan is a mistake; supporters say it will create {num},000 jobs by {year3}.",
    "It is unclear whether the agreement will hold.",
    "I think we should all be proud of what we have achieved.",
    "The company, based in {place}, employs about {num} people and sold {n}.{n} million units last year.",  # noqa: E501
    "Police arrested {n} men on {day} night in connection with the attack, which killed {n} people.",  # noqa: E501
    "The vote passed 52-48, with three members abstaining (see p. 4 for details).",
    "Officials estimated the damage at roughly €{num} million... The final figure may be higher.",
]
HEADINGS = [
    "Markets rally as inflation cools",
    "What happens next",
    "A long road to recovery",
    "Analysis",
    "World",
    "Why the vote matters",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
WORDS = ["a hundred", "two dozen", "fifty", "a thousand", "three hundred"]


def make_article(rng: random.Random) -> str:
    """One deterministic news-like article of about 2-6 KB."""
    lines = [
        rng.choice(HEADINGS) + " in " + rng.choice(PLACES).replace("the ", ""),
        "By " + rng.choice(PEOPLE).split(". ")[-1],
        f"{rng.choice(MONTHS)} {rng.randint(1, 28)}, {rng.randint(2015, 2025)}",
    ]
    for p in range(rng.randint(5, 12)):
        if p and rng.random() < 0.2:
            lines.append(rng.choice(HEADINGS))
        if rng.random() < 0.1:
            lines.append(f"{rng.choice(PEOPLE)} speaks in {rng.choice(PLACES)}. (Photo: Reuters)")
        sents = []
        for _ in range(rng.randint(2, 5)):
            t = rng.choice(TEMPLATES)
            sents.append(
                t.format(
                    org=rng.choice(ORGS),
                    person=rng.choice(PEOPLE),
                    place=rng.choice(PLACES),
                    day=rng.choice(DAYS),
                    month=rng.choice(MONTHS),
                    year=rng.randint(2010, 2025),
                    year2=rng.randint(1980, 2009),
                    year3=rng.randint(2026, 2035),
                    pct=rng.randint(1, 60),
                    num=rng.randint(2, 950),
                    n=rng.randint(2, 9),
                    word=rng.choice(WORDS),
                )
            )
        text = " ".join(sents)
        if p == 0 and rng.random() < 0.5:
            text = "LONDON (Reuters) — " + text
        lines.append(text[0].upper() + text[1:])
    return "\n".join(lines) + "\n"


def corpus(min_bytes: int, seed: int = 2024) -> list[str]:
    rng = random.Random(seed)
    docs, size = [], 0
    while size < min_bytes:
        d = make_article(rng)
        docs.append(d)
        size += len(d.encode("utf-8"))
    return docs


def rate(chars: int, seconds: float) -> str:
    return f"{chars / seconds / 1e6:.2f} M chars/s ({chars / seconds / 1e3:,.0f} K chars/s)"


NEWS = Path(__file__).resolve().parent / "news"


HELD_OUT = ("fifth",)  # bench/news/fifth/README.md: only the lead's runs of eval_claims read it


def news_texts(sets: list[str] | None) -> list[str]:
    """The articles of our labelled news set (every set but the held-out ones, or those named)."""
    dirs = sorted(
        d
        for d in NEWS.glob("*")
        if d.is_dir() and (d.name in sets if sets else d.name not in HELD_OUT)
    )
    return [p.read_text(encoding="utf-8") for d in dirs for p in sorted(d.glob("*.txt"))]


def five_k(docs: list[str], size: int = 5000) -> list[str]:
    """Articles of ``size`` characters made of whole paragraphs of ``docs``."""
    out, cur = [], ""
    for d in docs:
        for para in d.split("\n"):
            if len(cur) + len(para) + 1 > size and cur:
                out.append(cur)
                cur = ""
            cur += para + "\n"
    return out


def budget(docs: list[str], label: str) -> None:
    arts = [a for a in five_k(docs) if len(a) >= 4000]
    if not arts:
        return
    times, cpu = [], []
    for a in arts:
        t, c = time.perf_counter(), time.process_time()
        extract_claims(a, published="2025-06-01")
        cpu.append(time.process_time() - c)
        times.append(time.perf_counter() - t)
    mean_chars = sum(len(a) for a in arts) / len(arts)
    print(
        f"5,000-char articles ({label}): {len(arts)} of {mean_chars:,.0f} chars, extract_claims "
        f"median {statistics.median(times) * 1e3:.1f} ms wall, "
        f"{statistics.median(cpu) * 1e3:.1f} ms CPU (one core; the machine's other load "
        f"left out), max {max(times) * 1e3:.1f} ms wall (target: median <= 100 ms)"
    )


def news(sets: list[str] | None) -> None:
    docs = news_texts(sets)
    if not docs:
        print("news set: bench/news/*/*.txt not found - skipped")
        return
    chars = sum(len(d) for d in docs)
    scope = ",".join(sets) if sets else "dev, test, fresh and fourth"
    rounds = max(1, 300_000 // max(1, chars))
    t = time.perf_counter()
    for _ in range(rounds):
        for d in docs:
            extract_claims(d, published="2025-06-01")
    ext = time.perf_counter() - t
    line = (
        f"news set ({scope}: {len(docs)} articles, {chars:,} chars, x{rounds}): extract_claims "
        f"{rate(chars * rounds, ext)}"
    )
    try:
        import pysbd
    except ImportError:
        print(line + "; pySBD: not installed (pip install pysbd) - skipped")
        budget(docs, scope)
        return
    seg = pysbd.Segmenter(language="en", clean=False, char_span=False)
    t = time.perf_counter()
    for _ in range(rounds):
        for d in docs:
            seg.segment(d)
    ps = time.perf_counter() - t
    print(f"{line}; pySBD sentence splitting alone on the same: {rate(chars * rounds, ps)}")
    budget(docs, scope)


def main() -> None:
    if "--parser" in sys.argv:
        parser = sys.argv[sys.argv.index("--parser") + 1]
        os.environ["FACTCHECK_EXTRACT_PARSER"] = parser
        if parser == "spacy":
            from factcheck.extract import parse

            t = time.perf_counter()
            parse.load()  # (raises ParserUnavailable, with what to install, if missing)
            took = time.perf_counter() - t
            print(f"parser: spacy, model {parse.model_name()} loaded in {took:.2f} s")
    mb = 5.0
    if "--mb" in sys.argv:
        mb = float(sys.argv[sys.argv.index("--mb") + 1])
    docs = corpus(int(mb * 1_000_000))
    chars = sum(len(d) for d in docs)
    print(f"cores: {os.cpu_count()} (timed on one core, single process)")
    print(
        f"corpus: {len(docs)} articles, {chars:,} chars, {sum(len(d.encode()) for d in docs):,} bytes UTF-8"  # noqa: E501
    )
    t = time.perf_counter()
    nseg = sum(len(split_sentences(d)) for d in docs)
    seg_s = time.perf_counter() - t
    print(
        f"segmentation (split_sentences): {nseg:,} segments in {seg_s:.2f} s = {rate(chars, seg_s)}"
    )
    t = time.perf_counter()
    nclaims = sum(len(extract_claims(d, published="2025-06-01")) for d in docs)
    ext_s = time.perf_counter() - t
    print(
        f"full extraction (extract_claims, scoring): {nclaims:,} claims in {ext_s:.2f} s = {rate(chars, ext_s)}"  # noqa: E501
    )
    print(
        f"per article: {ext_s / len(docs) * 1e3:.2f} ms mean ({chars / len(docs) / 1e3:.1f} K chars)"  # noqa: E501
    )
    budget(docs[:400], "generated")
    sets = None
    if "--sets" in sys.argv:
        sets = sys.argv[sys.argv.index("--sets") + 1].split(",")
    news(sets)
    try:
        import pysbd
    except ImportError:
        print("pySBD reference: not installed (pip install pysbd) - skipped")
        return
    seg = pysbd.Segmenter(language="en", clean=False, char_span=False)
    sample = docs if "--pysbd-all" in sys.argv else []
    if not sample:
        size = 0
        for d in docs:
            sample.append(d)
            size += len(d)
            if size >= 1_000_000:
                break
    sc = sum(len(d) for d in sample)
    t = time.perf_counter()
    n = sum(len(seg.segment(d)) for d in sample)
    ps = time.perf_counter() - t
    t = time.perf_counter()
    for d in sample:
        split_sentences(d)
    ours = time.perf_counter() - t
    scope = "whole corpus" if sc == chars else f"first {len(sample)} articles, {sc:,} chars"
    print(
        f"pySBD {pysbd.__version__ if hasattr(pysbd, '__version__') else ''} reference ({scope}): "
        f"{n:,} sentences in {ps:.2f} s = {rate(sc, ps)}; split_sentences on the same: {rate(sc, ours)}"  # noqa: E501
        f" ({ps / ours:.0f}x faster)"
    )


if __name__ == "__main__":
    main()
