"""Rules against spaCy's dependency parse, on our labelled news (issue #10, item 6).

Usage:
    python bench/compare_parsers.py [--set dev|test|fresh|fourth|seen|every] [--verbose]
                                    [--repeat N] [--json FILE]

Needs the ``parse`` extra (spaCy and an English model, see factcheck/extract/parse.py).
``--set every`` (the default) is dev, test, fresh and fourth, each on its own and together;
``seen`` is dev, test and fresh together. The held-out half (bench/news/fifth) is never read.

For every labelled claim it asks, of what the labels give (the claim's span, its subject
strings and its claimant):

- **subject**: the rules: the wording of the extracted claim matched to the label (the
  scorer's matching, bench/eval_claims.py) names one of the label's subjects ("ok"), starts
  with an unresolved pronoun or lacks a verb ("unresolved"), or names another ("wrong"); or no
  claim matched the label ("missed"). The parse: the clause the label's span states
  (:func:`factcheck.extract.parse.main_clause`: the highest clause whose verb lies in the span,
  the reported clause rather than "said") has a subject phrase naming one of the label's
  subjects ("ok"), a bare pronoun ("pronoun": the parse resolves no pronouns), another phrase
  ("wrong"), no subject ("none"), or the span holds no verb ("no clause").
- **claimant**: the rules: the matched claim's ``claimant`` (the scorer's check); the parse:
  the subject of the reporting verb above the clause, or its "according to" phrase
  (:func:`factcheck.extract.parse.speaker_of`), else the publication; "pronoun" when that
  speaker is "he", "she", "it" or "they".
- **extraction**: bench/eval_claims.py's recall, precision, non-atomic share and
  self-contained share for ``EXTRACT_PARSER`` rules and spacy on the same articles, and the
  paired difference with its bootstrap interval over articles.
- **guard**: for each rewritten wording of a matched claim whose clause's subject (by the
  parse) it does not name, would the tidied quote name the label's subject (a faithfulness
  guard that falls back to the quote when the parse disagrees)?
- **atomicity**: of the extracted claims covering half or more of two or more labels (the
  scorer's non-atomic claims), how many have those labels stated by different clauses of the
  parse (so a parse-based split could separate them).

Shares carry 95% intervals from a bootstrap over articles (1,000 resamples, fixed seed),
and the paired difference parse minus rules on the same labels.

Speed: the parse of every article of the set, on one core (the BLAS and OpenMP thread counts
set to 1 and the process pinned to one CPU), repeated ``--repeat`` times (median and range,
chars/s), beside the rules' full extraction (``extract_claims``) in the same run; the model's
load time (import + load, first call); resident memory before and after.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import eval_claims as ev  # noqa: E402

from factcheck.extract.wording import tidy_quote  # noqa: E402

HALVES = ("dev", "test", "fresh", "fourth")  # never "fifth": the held-out half
SETS = {"every": HALVES, "seen": ("dev", "test", "fresh"), **{h: (h,) for h in HALVES}}
RESAMPLES = 1000
SEED = 11
_WORDS = re.compile(r"[\w'\u2019-]+")
_PRONOUNS = frozenset("he she it they we i you him her them us".split())


def rss_mb() -> float:
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def parse_subject(sents, label: dict, P) -> tuple[str, object]:
    clause = P.main_clause(sents, label["start"], label["end"])
    if clause is None:
        return "no clause", None
    subj = clause.subject
    if subj is None:
        return "none", clause
    names = label.get("subject", [])
    if ev.names_subject(subj.text, names) or ev.names_subject(clause.subject_core.text, names):
        return "ok", clause
    if clause.pronoun_subject:
        return "pronoun", clause
    return "wrong", clause


def parse_claimant(sents, clause, label: dict, P) -> tuple[str, str | None]:
    speaker = P.speaker_of(sents, clause) if clause is not None else None
    name = speaker.text if speaker is not None else None
    if name and name.lower() in _PRONOUNS:
        return ("ok" if not label.get("claimant") else "pronoun"), name
    return ev.claimant_check({"claimant": name}, label.get("claimant", [])), name


def compare_article(art: dict, claims: list[dict], sents, P) -> dict:
    text, labels = art["text"], art["labels"]
    gold = [(c["start"], c["end"], bool(c["core"])) for c in labels]
    tool = [(c["start"], c["end"]) for c in claims]
    pairs, _ = ev.match(tool, gold, text)
    by_label = {gi: ti for ti, gi in pairs.items()}
    rows = []
    for gi, label in enumerate(labels):
        ti = by_label.get(gi)
        if ti is None:
            rs, rc = "missed", "missed"
        else:
            rs = ev.subject_check(claims[ti].get("text") or "", label.get("subject", []))
            rc = ev.claimant_check(claims[ti], label.get("claimant", []))
        ps, clause = parse_subject(sents, label, P)
        pc, speaker = parse_claimant(sents, clause, label, P)
        rows.append(
            dict(
                label=gi,
                core=bool(label["core"]),
                rules_subject=rs,
                parse_subject=ps,
                rules_claimant=rc,
                parse_claimant=pc,
                parse_subject_text=clause.subject.text if clause and clause.subject else None,
                parse_speaker=speaker,
                wording=claims[ti].get("text") if ti is not None else None,
                rules_claimant_name=claims[ti].get("claimant") if ti is not None else None,
            )
        )
    # a faithfulness guard: where the parse's subject of a rewritten claim's clause is not
    # named in the wording, would the tidied quote name the label's subject better?
    guard = Counter()
    for ti, c in enumerate(claims):
        if c.get("wording_source") != "rewritten" or ti not in pairs:
            continue
        clause = P.main_clause(sents, c["start"], c["end"])
        if clause is None or clause.subject is None or clause.pronoun_subject:
            continue
        head = _WORDS.findall(clause.subject_core.text.lower())[-1:]
        if not head or head[0] in _WORDS.findall((c.get("text") or "").lower()):
            continue
        subjects = labels[pairs[ti]].get("subject", [])
        before = ev.subject_check(c.get("text") or "", subjects)
        after = ev.subject_check(tidy_quote(c["quote"]), subjects)
        guard[f"{before}->{after}"] += 1
    # non-atomic claims: do different clauses of the parse state their labels?
    split = Counter()
    for t in tool:
        covered = [gi for gi, g in enumerate(gold) if ev.inter(t, g) >= 0.5 * max(1, g[1] - g[0])]
        if len(covered) < 2:
            continue
        split["non_atomic"] += 1
        mains = {P.main_clause(sents, gold[gi][0], gold[gi][1]) for gi in covered}
        mains.discard(None)
        split["parse_separates"] += len(mains) >= 2
    return dict(rows=rows, split=split, guard=guard)


def shares(rows: list[dict]) -> dict:
    """Counts behind the shares: on labels the rules matched, and on all labels."""
    matched = [r for r in rows if r["rules_subject"] != "missed"]
    return dict(
        n=len(rows),
        matched=len(matched),
        rules_subject_ok=sum(r["rules_subject"] == "ok" for r in matched),
        parse_subject_ok_matched=sum(r["parse_subject"] == "ok" for r in matched),
        parse_subject_ok=sum(r["parse_subject"] == "ok" for r in rows),
        rules_claimant_ok=sum(r["rules_claimant"] == "ok" for r in matched),
        parse_claimant_ok_matched=sum(r["parse_claimant"] == "ok" for r in matched),
        parse_claimant_ok=sum(r["parse_claimant"] == "ok" for r in rows),
    )


def _div(a, b):
    return a / b if b else 0.0


def figures(c: dict) -> dict:
    return dict(
        rules_subject=_div(c["rules_subject_ok"], c["matched"]),
        parse_subject_matched=_div(c["parse_subject_ok_matched"], c["matched"]),
        parse_subject_all=_div(c["parse_subject_ok"], c["n"]),
        subject_diff=_div(c["parse_subject_ok_matched"] - c["rules_subject_ok"], c["matched"]),
        rules_claimant=_div(c["rules_claimant_ok"], c["matched"]),
        parse_claimant_matched=_div(c["parse_claimant_ok_matched"], c["matched"]),
        parse_claimant_all=_div(c["parse_claimant_ok"], c["n"]),
        claimant_diff=_div(c["parse_claimant_ok_matched"] - c["rules_claimant_ok"], c["matched"]),
    )


def add(counts: list[dict]) -> dict:
    out = Counter()
    for c in counts:
        out.update(c)
    return dict(out)


def bootstrap(counts: list[dict]) -> dict[str, tuple[float, float]]:
    rng = random.Random(SEED)
    n = len(counts)
    vals: dict[str, list[float]] = {}
    for _ in range(RESAMPLES):
        f = figures(add([counts[rng.randrange(n)] for _ in range(n)]))
        for k, v in f.items():
            vals.setdefault(k, []).append(v)
    out = {}
    for k, v in vals.items():
        v.sort()
        out[k] = (v[int(0.025 * len(v))], v[int(0.975 * len(v)) - 1])
    return out


def report(name: str, arts: list[dict], per: dict[str, dict]) -> dict:
    counts = [shares(per[a["slug"]]["rows"]) for a in arts]
    tot = add(counts)
    f, ci = figures(tot), bootstrap(counts)
    rows = [r for a in arts for r in per[a["slug"]]["rows"]]
    split, guard = Counter(), Counter()
    for a in arts:
        split.update(per[a["slug"]]["split"])
        guard.update(per[a["slug"]]["guard"])
    print(
        f"== {name}: {len(arts)} articles, {tot['n']} labels, {tot['matched']} matched by the rules"
    )

    def line(label, key, num, den):
        lo, hi = ci[key]
        print(f"  {label:<44} {f[key]:6.3f}  [{lo:.3f}, {hi:.3f}]  ({num}/{den})")

    m = tot["matched"]
    for what, key, rules_how, parse_how in (
        ("subject named right", "subject", "wording of the matched claim", "clause subject"),
        ("claimant right", "claimant", "matched claim's claimant", "reporting verb's subject"),
    ):
        r_ok, p_ok = tot[f"rules_{key}_ok"], tot[f"parse_{key}_ok_matched"]
        print(f"  {what:<46} share   95% CI")
        line(f"rules ({rules_how})", f"rules_{key}", r_ok, m)
        line(f"parse ({parse_how}), same labels", f"parse_{key}_matched", p_ok, m)
        line("parse minus rules, same labels", f"{key}_diff", p_ok - r_ok, m)
        line("parse, every label", f"parse_{key}_all", tot[f"parse_{key}_ok"], tot["n"])
    cross = Counter((r["rules_subject"], r["parse_subject"]) for r in rows)
    kinds_r = ["ok", "wrong", "unresolved", "missed"]
    kinds_p = ["ok", "pronoun", "wrong", "none", "no clause"]
    print("  subject, rules (rows) by parse (columns):")
    print("    " + f"{'':<12}" + "".join(f"{k:>10}" for k in kinds_p))
    for kr in kinds_r:
        print("    " + f"{kr:<12}" + "".join(f"{cross[(kr, kp)]:>10}" for kp in kinds_p))
    crossc = Counter((r["rules_claimant"], r["parse_claimant"]) for r in rows)
    kinds_pc = ["ok", "pronoun", "wrong"]
    print("  claimant, rules (rows) by parse (columns):")
    print("    " + f"{'':<12}" + "".join(f"{k:>10}" for k in kinds_pc))
    for kr in ["ok", "wrong", "missed"]:
        print("    " + f"{kr:<12}" + "".join(f"{crossc[(kr, kp)]:>10}" for kp in kinds_pc))
    print(
        f"  non-atomic claims of the rules: {split['non_atomic']}; their labels stated by "
        f"different clauses of the parse: {split['parse_separates']}"
    )
    right = sum(n for k, n in guard.items() if k.startswith("ok->"))
    lose = right - guard["ok->ok"]
    gain = sum(n for k, n in guard.items() if not k.startswith("ok->") and k.endswith("->ok"))
    print(
        f"  guard (the tidied quote where the parse's clause subject is not in a rewritten "
        f"wording): {sum(guard.values())} matched claims; of {right} with the right subject, "
        f"{lose} would lose it; of {sum(guard.values()) - right} without, {gain} would gain it"
    )
    spread = [figures(c) for c in counts if c["matched"]]
    if spread:
        d = [s["subject_diff"] for s in spread]
        dc = [s["claimant_diff"] for s in spread]
        print(
            f"  per article, parse minus rules: subject {min(d):+.3f} .. {max(d):+.3f} "
            f"(median {statistics.median(d):+.3f}; parse better in "
            f"{sum(x > 0 for x in d)}, worse in {sum(x < 0 for x in d)} of {len(d)}); "
            f"claimant {min(dc):+.3f} .. {max(dc):+.3f} (better in {sum(x > 0 for x in dc)}, "
            f"worse in {sum(x < 0 for x in dc)})"
        )
    print()
    return dict(total=tot, figures=f, ci95=ci, cross_subject={f"{a}|{b}": n for (a, b), n in
                cross.items()}, split=dict(split))  # fmt: skip


_EXTRACTION = (
    ("recall (core)", "all", "recall_core"),
    ("precision (check-worthy)", "checkworthy", "precision"),
    ("non-atomic", "all", "non_atomic"),
    ("self-contained", "all", "self_contained"),
)


def extraction(name: str, arts: list[dict], rules: dict, spacy: dict) -> dict:
    """bench/eval_claims.py's figures for EXTRACT_PARSER rules and spacy on the same articles,
    with the paired difference and its bootstrap interval over articles."""
    per = {}
    for label, outputs in (("rules", rules), ("spacy", spacy)):
        details = {a["slug"]: ev.score_article(a["text"], a["labels"], outputs[a["slug"]])
                   for a in arts}  # fmt: skip
        per[label] = {sub: [details[a["slug"]][sub]["counts"] for a in arts] for sub in
                      ev.SUBSETS}  # fmt: skip
    rng = random.Random(SEED)
    n = len(arts)
    diffs: dict[str, list[float]] = {k: [] for _, _, k in _EXTRACTION}
    for _ in range(RESAMPLES):
        pick = [rng.randrange(n) for _ in range(n)]
        for _, sub, key in _EXTRACTION:
            r = ev.summarize(ev.total([per["rules"][sub][i] for i in pick]))[key]
            p = ev.summarize(ev.total([per["spacy"][sub][i] for i in pick]))[key]
            diffs[key].append(p - r)
    print(f"== {name}: extraction with EXTRACT_PARSER rules and spacy (bench/eval_claims.py)")
    print(f"  {'':<26} {'rules':>7} {'spacy':>7} {'spacy - rules':>14}   95% CI (paired)")
    out = {}
    for label, sub, key in _EXTRACTION:
        r = ev.summarize(ev.total(per["rules"][sub]))
        p = ev.summarize(ev.total(per["spacy"][sub]))
        d = sorted(diffs[key])
        lo, hi = d[int(0.025 * len(d))], d[int(0.975 * len(d)) - 1]
        print(f"  {label:<26} {r[key]:>7.3f} {p[key]:>7.3f} {p[key] - r[key]:>+14.3f}   "
              f"[{lo:+.3f}, {hi:+.3f}]")  # fmt: skip
        out[key] = dict(rules=r[key], spacy=p[key], ci95=(lo, hi))
    r = ev.summarize(ev.total(per["rules"]["all"]))
    p = ev.summarize(ev.total(per["spacy"]["all"]))
    print(
        f"  claims {r['tool']} -> {p['tool']}; wrong subject {r['subject_wrong']} -> "
        f"{p['subject_wrong']}, not self-contained {r['subject_unresolved']} -> "
        f"{p['subject_unresolved']}, wrong claimant {r['claimant_wrong']} -> "
        f"{p['claimant_wrong']} (of {r['checked']} and {p['checked']} matched)"
    )
    print()
    return out


def verbose_rows(art: dict, rows: list[dict]) -> None:
    labels = art["labels"]
    for r in rows:
        if r["rules_subject"] == "ok" and r["parse_subject"] == "ok":
            continue
        lab = labels[r["label"]]
        print(
            f"  [{art['slug'][:20]}] rules {r['rules_subject']:<10} parse {r['parse_subject']:<9}"
            f" label {lab.get('subject')}: parse subject {r['parse_subject_text']!r}\n"
            f"      quote:   {ev._short(lab['quote'], 120)}\n"
            f"      wording: {ev._short(r['wording'] or '', 120)}"
        )


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", choices=tuple(SETS), default="every", dest="which")
    ap.add_argument("--verbose", action="store_true", help="list the labels either side errs on")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs of each side (median)")
    ap.add_argument("--json", help="write the figures here as JSON")
    a = ap.parse_args(argv)

    if hasattr(os, "sched_setaffinity"):
        cpus = sorted(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {cpus[-1]})
    rss0 = rss_mb()
    t0 = time.perf_counter()
    from factcheck.extract import parse as P

    try:
        P.load()
    except P.ParserUnavailable as exc:
        print(f"{exc} - skipped")  # (`make bench` runs every script: not a failure)
        return 0
    load_s = time.perf_counter() - t0
    rss1 = rss_mb()
    from factcheck.extract import extract_claims

    halves = SETS[a.which]
    by_half = {h: ev.load_half(h) for h in halves}
    arts = [x for h in halves for x in by_half[h]]
    chars = sum(len(x["text"]) for x in arts)

    def run_parse():
        P.parse.cache_clear()
        return {x["slug"]: P.parse(x["text"]) for x in arts}

    def run_rules():
        return {
            x["slug"]: extract_claims(x["text"], published=x["meta"].get("published")) for x in arts
        }

    sents = run_parse()  # (warm-up: the first call builds the model's caches)
    outputs = run_rules()
    t_parse = timed(run_parse, a.repeat)
    t_rules = timed(run_rules, a.repeat)
    rss2 = rss_mb()
    per = {x["slug"]: compare_article(x, outputs[x["slug"]], sents[x["slug"]], P) for x in arts}

    print(
        f"model {P.model_name()} (spaCy {__import__('spacy').__version__}); "
        f"{len(arts)} articles, {chars:,} chars; one core "
        f"(load average {os.getloadavg()[0]:.2f} at the end of the timed runs)"
    )
    print(f"  load (import spaCy + model, first call): {load_s:.2f} s")
    for name, ts in (("spaCy parse", t_parse), ("rules: full extract_claims", t_rules)):
        med = statistics.median(ts)
        print(
            f"  {name:<28} {chars / med:>9,.0f} chars/s (median of {len(ts)}; "
            f"{chars / max(ts):,.0f}..{chars / min(ts):,.0f}); "
            f"{med / chars * 5000 * 1000:.1f} ms per 5,000 chars"
        )
    print(
        f"  resident memory: {rss0:.0f} MB before, {rss1:.0f} MB with the model loaded, "
        f"{rss2:.0f} MB after parsing"
    )
    print()
    result = {
        "model": P.model_name(),
        "chars": chars,
        "load_s": load_s,
        "parse_s": t_parse,
        "rules_s": t_rules,
        "rss_mb": [rss0, rss1, rss2],
        "sets": {},
    }
    groups = [(h, by_half[h]) for h in halves if by_half[h]]
    if len(groups) > 1:
        groups.append(("together", arts))
    for name, group in groups:
        result["sets"][name] = report(name, group, per)
    with_parse = {
        x["slug"]: extract_claims(x["text"], published=x["meta"].get("published"), parser="spacy")
        for x in arts
    }
    for name, group in groups:
        result["sets"][name]["extraction"] = extraction(name, group, outputs, with_parse)
    if a.verbose:
        for x in arts:
            verbose_rows(x, per[x["slug"]]["rows"])
    if a.json:
        Path(a.json).write_text(json.dumps(result, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
