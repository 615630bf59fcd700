"""Score claim extraction against our hand-labelled news articles (bench/news/).

Usage:
    python bench/eval_claims.py [--set dev|test|fresh|fourth|seen|all|fifth] [--verbose]
                                [--json FILE] [--outputs DIR] [--save-outputs DIR]
                                [--parser rules|spacy]

For each article of the set it runs ``factcheck.extract.extract_claims(text,
published=meta["published"])``, or, with ``--outputs DIR``, reads saved output from
``DIR/<slug>.jsonl`` (or ``DIR/<half>/<slug>.jsonl``): one claim per line with ``start``,
``end`` (Python str offsets into the article), ``text`` (the wording), ``checkworthy`` and,
optionally, ``claimant`` (a name, or null for the publication). A missing file is an empty
output. ``--save-outputs DIR`` writes what the extractor returned in that format.
``--parser`` sets ``EXTRACT_PARSER`` for the run (``spacy``: the rules, then the optional parse
step of factcheck/extract/parse_steps.py; needs the ``parse`` extra).

``dev``, ``test``, ``fresh`` and ``fourth`` have all been run and used for decisions, so none of
them is held out any more: develop on any of them, and ``seen`` (or ``all``, the same) scores the
four together. ``fifth`` (bench/news/fifth/, labelled by bench/news/GUIDE.md before any extractor
run) is the held-out half: only the lead runs it, once at the start and once at the end of a round;
``seen`` and ``all`` never include it (see bench/news/fifth/README.md).

Matching and counting are those of the project's reference scorer (score_claims.py, kept
beside the labelling guidelines), copied here so that the project does not depend on it:

- An extracted claim T and a label G are *compatible* when IoU(T, G) >= 0.5, or T lies
  inside G's sentence (the sentences G touches, by a rule-based splitter) and covers >= 50%
  of G's characters. Pairs are matched one-to-one greedily: best IoU first (ties: core before
  borderline, then larger coverage, then position).
- recall (core) = matched core labels / core labels; recall (all) = matched labels / labels.
- precision = claims matched to core labels / (those + claims matching no label); a claim
  matched to a borderline label is neutral (left out). "dup" = unmatched claims compatible
  with an already-matched label (a second piece of the same fact): false positives in
  precision; ``precision_dup_neutral`` leaves them out.
- non-atomic = share of claims covering >= 50% of each of two or more labels
  (``non_atomic_any``: touching two or more labels by any character).
- Both for (a) every extracted claim and (b) the claims with checkworthy = true.

Wording faithfulness, on every matched claim (core or borderline label):

- claimant: the claim's ``claimant`` against the label's ``claimant`` list. Right when,
  case-insensitively, a label name is contained in the extracted name or the extracted name
  in a label name; a label list ``[]`` means the publication, so None (or "") is right and
  any name wrong; a label naming someone makes None wrong. A claim without a ``claimant`` key
  is counted as "claimant not given" (neither right nor wrong).
- subject: right when one of the label's ``subject`` strings occurs in the wording
  (case-insensitive, compared as words, a leading article or determiner of the subject string
  dropped; all of its words anywhere in the wording also count). Otherwise "not
  self-contained" when the wording starts with an unresolved pronoun or demonstrative (he she
  it they this that these those his her its their) or is a fragment without a verb, else
  "wrong subject".
- self-contained: share of matched wordings that neither start with such a word nor lack a
  verb. The verb test is a heuristic: a word from a list of auxiliaries, reporting verbs and
  common irregular verbs, a word ending in -ed, or a word ending in -s followed by a
  determiner or a particle ("works at", "raises the") counts as a verb.

Intervals: bootstrap over articles (1,000 resamples of the set's articles with replacement,
fixed seed), 2.5th and 97.5th percentiles, for recall (core), precision and non-atomic.

Targets printed beside the figures: recall (core) >= 0.90, precision (checkworthy) >= 0.85,
non-atomic <= 5%, no wrong subject or claimant, >= 90% self-contained wordings.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEWS = ROOT / "bench" / "news"
HALVES = ("dev", "test", "fresh", "fourth")  # --set seen (or all): every half already run and used
HELD_OUT = ("fifth",)  # only when named: the lead runs it at the start and end of a round
SEEN = ("seen", "all")  # names for HALVES together
SUBSETS = ("all", "checkworthy")
RESAMPLES = 1000
SEED = 11

TARGETS = {
    "recall_core": 0.90,
    "precision_checkworthy": 0.85,
    "non_atomic_max": 0.05,
    "self_contained": 0.90,
}

# ---------------------------------------------------------------------------------------
# Matching: the reference scorer's definitions, unchanged.

ABBREV = {
    "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "gen", "lt", "col", "sgt", "capt", "st", "jr",
    "sr", "rev", "prof", "pres", "sept", "sep", "oct", "nov", "dec", "jan", "feb", "mar", "apr",
    "aug", "jun", "jul", "no", "vs", "inc", "corp", "co", "ltd", "dept", "mt", "ft", "fig", "e.g",
    "i.e", "etc", "approx", "est", "u.s", "u.k", "u.n", "d.c", "a.m", "p.m", "f.b.i", "c.i.a",
}  # fmt: skip
# sentence end: terminal punctuation (+ closing quotes) before whitespace, or a blank line.
# A single line break without terminal punctuation is a hard wrap inside a sentence.
_END = re.compile(r"[.!?]+[\"\u201d\u2019')\]]*(?=\s)|\n[ \t]*\n\s*")


def sentence_bounds(text: str) -> list[int]:
    """Sorted character offsets where sentences start (0 and len(text) included)."""
    cuts = [0]
    for m in _END.finditer(text):
        end = m.end()
        tok = m.group(0)
        if "\n" not in tok:
            # word before the period: abbreviation or single initial -> no break
            before = text[max(0, m.start() - 12) : m.start()]
            w = re.split(r"[\s(\[\"\u201c]", before)[-1].lower()
            nxt = text[end : end + 3].lstrip()
            if tok.startswith(".") and (
                w in ABBREV or re.fullmatch(r"[a-z]", w) or re.fullmatch(r"(?:[a-z]\.)+[a-z]", w)
            ):
                continue
            if nxt and nxt[0].islower():
                continue
        while end < len(text) and text[end].isspace():
            end += 1
        if end > cuts[-1]:
            cuts.append(end)
    if cuts[-1] != len(text):
        cuts.append(len(text))
    return cuts


def sentence_window(cuts: list[int], start: int, end: int) -> tuple[int, int]:
    """[s, e) covering every sentence the span [start, end) touches."""
    s = max(c for c in cuts if c <= start)
    later = [c for c in cuts if c >= end]
    e = min(later) if later else cuts[-1]
    return s, e


def inter(a, b) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def iou(a, b) -> float:
    i = inter(a, b)
    u = (a[1] - a[0]) + (b[1] - b[0]) - i
    return i / u if u > 0 else 0.0


def match(tool, gold, text):
    """tool: [(start, end)], gold: [(start, end, core)] -> (pairs {ti: gi}, compatible)."""
    cuts = sentence_bounds(text)
    cands = []
    compat: dict[int, set[int]] = {}
    for gi, g in enumerate(gold):
        gs = sentence_window(cuts, g[0], g[1])
        glen = max(1, g[1] - g[0])
        for ti, t in enumerate(tool):
            j = iou(t, g)
            cov = inter(t, g) / glen
            inside = gs[0] <= t[0] and t[1] <= gs[1]
            if j >= 0.5 or (inside and cov >= 0.5):
                cands.append((-j, 0 if g[2] else 1, -cov, ti, gi))
                compat.setdefault(ti, set()).add(gi)
    cands.sort()
    used_t: set[int] = set()
    used_g: set[int] = set()
    pairs: dict[int, int] = {}
    for _, _, _, ti, gi in cands:
        if ti in used_t or gi in used_g:
            continue
        used_t.add(ti)
        used_g.add(gi)
        pairs[ti] = gi
    return pairs, compat


COUNT_KEYS = (
    "gold", "gold_core", "tool", "tp", "neutral", "fp", "dup", "non_atomic", "non_atomic_any",
    "matched_core", "matched_all",
    # wording checks on matched claims
    "checked", "claimant_ok", "claimant_wrong", "claimant_missing",
    "subject_ok", "subject_wrong", "subject_unresolved", "self_contained_n",
)  # fmt: skip


def covering_two(tool, gold) -> list[tuple[int, list[int]]]:
    """The claims counted as non-atomic, with the labels each covers (>= 50% of two or more)."""
    out = []
    for ti, t in enumerate(tool):
        covered = [gi for gi, g in enumerate(gold) if inter(t, g) >= 0.5 * max(1, g[1] - g[0])]
        if len(covered) >= 2:
            out.append((ti, covered))
    return out


def score_doc(tool, gold, text):
    """The reference scorer's counts for one article: (counts, pairs, fps, missed_core)."""
    pairs, compat = match(tool, gold, text)
    matched_g = set(pairs.values())
    r = dict.fromkeys(COUNT_KEYS, 0)
    r.update(
        gold=len(gold),
        gold_core=sum(1 for g in gold if g[2]),
        tool=len(tool),
        matched_core=sum(1 for gi in matched_g if gold[gi][2]),
        matched_all=len(matched_g),
    )
    fps = []
    for ti, t in enumerate(tool):
        if ti in pairs:
            if gold[pairs[ti]][2]:
                r["tp"] += 1
            else:
                r["neutral"] += 1
        else:
            r["fp"] += 1
            if compat.get(ti, set()) & matched_g:
                r["dup"] += 1
            fps.append(ti)
        covered = [gi for gi, g in enumerate(gold) if inter(t, g) >= 0.5 * max(1, g[1] - g[0])]
        touched = [gi for gi, g in enumerate(gold) if inter(t, g) > 0]
        r["non_atomic"] += len(covered) >= 2
        r["non_atomic_any"] += len(touched) >= 2
    missed_core = [gi for gi, g in enumerate(gold) if g[2] and gi not in matched_g]
    return r, pairs, fps, missed_core


# ---------------------------------------------------------------------------------------
# Wording checks.

PRONOUNS = frozenset("he she it they this that these those his her its their".split())
_VERBS = frozenset(
    """is are was were be been being am has have had having do does did will would can could
    may might shall should must said says say told tells tell added asked called denied
    fell fall falls rose rise rises grew grow grows won win wins lost lose loses made make
    makes took take takes gave give gives went go goes came come comes got get gets put puts
    set sets cut cuts hit hits left leave leaves led lead leads paid pay pays sold sell sells
    bought buy buys found find finds held hold holds kept keep keeps met meet meets ran run
    runs saw see sees sent send sends spent spend spends stood stand stands struck strike
    thought think thinks brought bring brings built build builds began begin begins became
    become becomes chose choose drew draw draws drove drive flew fly forgot froze knew know
    knows lay lie lies meant mean means rode rang shook shot show shows shut sang sank sat
    slept spoke speak speaks stole swam swept sweep swore taught tore threw understood woke
    wore wrote write writes fled flee fought fight sought seek caught catch dealt deal felt
    feel feels heard hear hears hurt lent lit quit read sped split spread stuck bore beat bit
    bled broke burst cast clung crept dug fed forbade forgave hid hung laid leapt overtook
    own owns employ employs represent represents include includes live lives carry carries
    cost costs remain remains account accounts expect expects plan plans cap caps need needs
    total totals stay stays serve serves require requires raise raises freeze freezes work
    works chair chairs head heads manage manages open opens close closes call calls oversaw
    oversee oversees exclude excludes target targets cover covers reach reaches""".split()
)
# a word ending in -s before one of these is taken for a verb ("works at", "raises the")
_AFTER_VERB = frozenset("the a an at to its their his her about that up down more less".split())
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")


def first_word(wording: str) -> str:
    m = _WORD.search(wording or "")
    return m.group(0).lower() if m else ""


def has_verb(wording: str) -> bool:
    words = _WORD.findall((wording or "").lower())
    for i, w in enumerate(words):
        if w in _VERBS or (len(w) >= 4 and w.endswith("ed")):
            return True
        if (
            len(w) > 3
            and w.endswith("s")
            and not w.endswith(("ss", "us", "is", "'s", "\u2019s"))
            and i + 1 < len(words)
            and words[i + 1] in _AFTER_VERB
        ):
            return True
    return False


def self_contained(wording: str) -> bool:
    """Neither starting with an unresolved pronoun/demonstrative nor a fragment without a verb."""
    return first_word(wording) not in PRONOUNS and has_verb(wording)


def claimant_check(claim: dict, names: list[str]) -> str:
    """'ok', 'wrong' or 'missing' (the output has no claimant key)."""
    if "claimant" not in claim:
        return "missing"
    got = (claim.get("claimant") or "").strip().lower()
    if not names:
        return "ok" if not got else "wrong"
    if not got:
        return "wrong"
    for name in names:
        n = name.strip().lower()
        if n and (n in got or got in n):
            return "ok"
    return "wrong"


_DETERMINERS = frozenset("the a an this that these those its their his her our".split())
_TOKEN = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")


def names_subject(wording: str, subjects: list[str]) -> bool:
    """Whether one of the label's subject strings occurs in the wording: case-insensitively,
    as words (punctuation and spacing aside), without a leading article or determiner ("the
    spring" is named by "the driest spring"), in order or, failing that, all its words
    anywhere in the wording ("grain exports" is named by "exports of grain")."""
    low = (wording or "").lower()
    words = _TOKEN.findall(low)
    joined, present = " " + " ".join(words) + " ", set(words)
    for subject in subjects:
        if not subject or not subject.strip():
            continue
        if subject.lower() in low:
            return True
        sw = _TOKEN.findall(subject.lower())
        while sw and sw[0] in _DETERMINERS:
            sw = sw[1:]
        if sw and (" " + " ".join(sw) + " " in joined or all(w in present for w in sw)):
            return True
    return False


def subject_check(wording: str, subjects: list[str]) -> str:
    """'ok', 'unresolved' (not self-contained) or 'wrong'."""
    if names_subject(wording, subjects):
        return "ok"
    if not self_contained(wording):
        return "unresolved"
    return "wrong"


# ---------------------------------------------------------------------------------------
# Articles, outputs, scoring.


def load_half(half: str, root: Path = NEWS) -> list[dict]:
    """The articles of one half (dev, test, fresh, fourth or fifth), sorted by file name."""
    folder = root / half
    out = []
    if not folder.is_dir():
        return out
    for path in sorted(folder.glob("*.labels.json")):
        slug = path.name[: -len(".labels.json")]
        text = (folder / f"{slug}.txt").read_text(encoding="utf-8")
        meta = json.loads((folder / f"{slug}.meta.json").read_text(encoding="utf-8"))
        labels = json.loads(path.read_text(encoding="utf-8"))["claims"]
        out.append(dict(half=half, slug=slug, text=text, meta=meta, labels=labels))
    return out


def load_outputs(article: dict, outdir: Path) -> list[dict]:
    for path in (
        outdir / f"{article['slug']}.jsonl",
        outdir / article["half"] / f"{article['slug']}.jsonl",
    ):
        if path.exists():
            lines = path.read_text(encoding="utf-8").splitlines()
            return [json.loads(line) for line in lines if line.strip()]
    return []


def run_extractor(article: dict, parser: str | None = None) -> list[dict]:
    from factcheck.extract import extract_claims  # only when not scoring saved outputs

    published = article["meta"].get("published")
    if parser is None:
        return extract_claims(article["text"], published=published)
    return extract_claims(article["text"], published=published, parser=parser)


def score_article(text: str, labels: list[dict], claims: list[dict]) -> dict:
    """Counts and details for one article, for each subset (all / checkworthy)."""
    gold = [(c["start"], c["end"], bool(c["core"])) for c in labels]
    result = {"bad_quotes": 0}
    for c in claims:
        if "quote" in c and text[c["start"] : c["end"]] != c["quote"]:
            result["bad_quotes"] += 1
    for subset in SUBSETS:
        sel = [c for c in claims if subset == "all" or c.get("checkworthy")]
        tool = [(c["start"], c["end"]) for c in sel]
        r, pairs, fps, missed = score_doc(tool, gold, text)
        non_atomic = covering_two(tool, gold)
        wrong_claimant, wrong_subject = [], []
        for ti, gi in sorted(pairs.items()):
            claim, label = sel[ti], labels[gi]
            wording = claim.get("text") or ""
            r["checked"] += 1
            cl = claimant_check(claim, label.get("claimant", []))
            r["claimant_" + cl] += 1
            if cl == "wrong":
                wrong_claimant.append((ti, gi))
            sub = subject_check(wording, label.get("subject", []))
            r["subject_" + sub] += 1
            if sub != "ok":
                wrong_subject.append((ti, gi, sub))
            r["self_contained_n"] += self_contained(wording)
        result[subset] = dict(
            counts=r,
            claims=sel,
            pairs=pairs,
            fps=fps,
            missed=missed,
            wrong_claimant=wrong_claimant,
            wrong_subject=wrong_subject,
            non_atomic=non_atomic,
        )
    return result


def div(a: float, b: float) -> float:
    return a / b if b else 0.0


def summarize(r: dict) -> dict:
    p = div(r["tp"], r["tp"] + r["fp"])
    rc = div(r["matched_core"], r["gold_core"])
    out = {k: r[k] for k in COUNT_KEYS}
    out.update(
        recall_core=rc,
        recall_all=div(r["matched_all"], r["gold"]),
        precision=p,
        precision_dup_neutral=div(r["tp"], r["tp"] + r["fp"] - r["dup"]),
        f1_core=div(2 * p * rc, p + rc),
        non_atomic=div(r["non_atomic"], r["tool"]),
        non_atomic_any=div(r["non_atomic_any"], r["tool"]),
        self_contained=div(r["self_contained_n"], r["checked"]),
    )
    return out


def total(counts: list[dict]) -> dict:
    t = dict.fromkeys(COUNT_KEYS, 0)
    for r in counts:
        for k in COUNT_KEYS:
            t[k] += r[k]
    return t


def bootstrap(counts: list[dict], resamples: int = RESAMPLES, seed: int = SEED) -> dict:
    """95% percentile intervals of recall (core), precision and non-atomic share over
    articles resampled with replacement."""
    rng = random.Random(seed)
    n = len(counts)
    vals: dict[str, list[float]] = {"recall_core": [], "precision": [], "non_atomic": []}
    if not n:
        return {k: (0.0, 0.0) for k in vals}
    for _ in range(resamples):
        m = summarize(total([counts[rng.randrange(n)] for _ in range(n)]))
        for k in vals:
            vals[k].append(m[k])
    out = {}
    for k, v in vals.items():
        v.sort()
        out[k] = (v[int(0.025 * len(v))], v[int(0.975 * len(v)) - 1])
    return out


def evaluate(articles: list[dict], outputs: dict[str, list[dict]]) -> dict:
    """Per-article and total results for a list of articles and their outputs (by slug)."""
    per = {}
    for a in articles:
        per[a["slug"]] = score_article(a["text"], a["labels"], outputs.get(a["slug"], []))
    result = {"articles": len(articles), "tool_quote_mismatches": 0}
    result["tool_quote_mismatches"] = sum(p["bad_quotes"] for p in per.values())
    for subset in SUBSETS:
        counts = [per[a["slug"]][subset]["counts"] for a in articles]
        result[subset] = {
            "total": summarize(total(counts)),
            "ci95": bootstrap(counts),
            "per_article": {
                a["slug"]: summarize(per[a["slug"]][subset]["counts"]) for a in articles
            },
        }
    return {"result": result, "details": per}


# ---------------------------------------------------------------------------------------
# Printing.


def _mark(ok: bool) -> str:
    return "ok" if ok else "NOT MET"


def print_report(name: str, articles: list[dict], ev: dict, verbose: bool) -> None:
    res, details = ev["result"], ev["details"]
    a, cw = res["all"]["total"], res["checkworthy"]["total"]
    print(f"== {name}: {res['articles']} articles, {a['gold']} labels ({a['gold_core']} core)")
    print(
        f"{'subset':<12} {'claims':>6} {'R_core':>7} {'95% CI':>15} {'R_all':>6} {'P':>7} "
        f"{'95% CI':>15} {'P_dupN':>6} {'F1':>6} {'nonAt':>6} {'95% CI':>15} "
        f"{'TP':>4} {'neut':>4} {'FP':>4} {'dup':>4}"
    )
    for subset in SUBSETS:
        m, ci = res[subset]["total"], res[subset]["ci95"]

        def iv(k, ci=ci):
            return f"[{ci[k][0]:.3f},{ci[k][1]:.3f}]"

        print(
            f"{subset:<12} {m['tool']:>6} {m['recall_core']:>7.3f} {iv('recall_core'):>15} "
            f"{m['recall_all']:>6.3f} {m['precision']:>7.3f} {iv('precision'):>15} "
            f"{m['precision_dup_neutral']:>6.3f} {m['f1_core']:>6.3f} {m['non_atomic']:>6.3f} "
            f"{iv('non_atomic'):>15} {m['tp']:>4} {m['neutral']:>4} {m['fp']:>4} {m['dup']:>4}"
        )
    print("wordings of matched claims:")
    print(
        f"{'subset':<12} {'matched':>7} {'claimant ok':>11} {'wrong':>5} {'not given':>9} "
        f"{'subject ok':>10} {'wrong':>5} {'not self-cont.':>14} {'self-contained':>14}"
    )
    for subset in SUBSETS:
        m = res[subset]["total"]
        print(
            f"{subset:<12} {m['checked']:>7} {m['claimant_ok']:>11} {m['claimant_wrong']:>5} "
            f"{m['claimant_missing']:>9} {m['subject_ok']:>10} {m['subject_wrong']:>5} "
            f"{m['subject_unresolved']:>14} {m['self_contained']:>14.3f}"
        )
    print("targets:")
    print(
        f"  recall (core, all claims) >= {TARGETS['recall_core']:.2f}: "
        f"{a['recall_core']:.3f} {_mark(a['recall_core'] >= TARGETS['recall_core'])}"
    )
    print(
        f"  precision (checkworthy) >= {TARGETS['precision_checkworthy']:.2f}: "
        f"{cw['precision']:.3f} "
        f"{_mark(cw['precision'] >= TARGETS['precision_checkworthy'])}"
    )
    print(
        f"  non-atomic (all claims) <= {TARGETS['non_atomic_max']:.0%}: {a['non_atomic']:.1%} "
        f"{_mark(a['non_atomic'] <= TARGETS['non_atomic_max'])}"
    )
    wrong = a["subject_wrong"] + a["subject_unresolved"] + a["claimant_wrong"]
    mark = _mark(wrong == 0)
    if not wrong and a["claimant_missing"]:
        mark = "incomplete (claimants not given)"
    print(
        f"  wrong subject or claimant = 0: {a['subject_wrong']} wrong subject, "
        f"{a['subject_unresolved']} not self-contained, {a['claimant_wrong']} wrong claimant, "
        f"{a['claimant_missing']} claimant not given: {mark}"
    )
    print(
        f"  self-contained wordings >= {TARGETS['self_contained']:.0%}: "
        f"{a['self_contained']:.1%} {_mark(a['self_contained'] >= TARGETS['self_contained'])}"
    )
    if res["tool_quote_mismatches"]:
        print(f"  tool quote mismatches: {res['tool_quote_mismatches']}")
    print("per article (all claims | checkworthy only | wordings of matched claims, all):")
    print(
        f"{'article':<32} {'gold':>4} {'core':>4} | {'claims':>6} {'R_core':>6} {'P':>6} "
        f"{'nonAt':>6} | {'cw':>4} {'R_core':>6} {'P':>6} {'nonAt':>6} | "
        f"{'cl.wrong':>8} {'subj.wrong':>10} {'self-c.':>7}"
    )
    for art in articles:
        x = res["all"]["per_article"][art["slug"]]
        y = res["checkworthy"]["per_article"][art["slug"]]
        print(
            f"{art['slug'][:32]:<32} {x['gold']:>4} {x['gold_core']:>4} | {x['tool']:>6} "
            f"{x['recall_core']:>6.3f} {x['precision']:>6.3f} {x['non_atomic']:>6.3f} | "
            f"{y['tool']:>4} {y['recall_core']:>6.3f} {y['precision']:>6.3f} "
            f"{y['non_atomic']:>6.3f} | {x['claimant_wrong']:>8} "
            f"{x['subject_wrong'] + x['subject_unresolved']:>10} {x['self_contained']:>7.2f}"
        )
    if verbose:
        for art in articles:
            print_details(art, details[art["slug"]]["all"])
    print()


def _short(s: str, n: int = 150) -> str:
    s = " ".join((s or "").split())
    return s if len(s) <= n else s[: n - 1] + "\u2026"


def print_details(art: dict, d: dict) -> None:
    text, labels, claims = art["text"], art["labels"], d["claims"]
    print(
        f"--- {art['slug']}: {len(claims)} claims, {len(d['fps'])} false positives, "
        f"{len(d['missed'])} core labels missed"
    )
    for gi in d["missed"]:
        lab = labels[gi]
        print(f"  MISS  {_short(lab['quote'])!r}\n        label: {_short(lab['wording'])}")
    for ti in d["fps"]:
        c = claims[ti]
        quote = _short(text[c["start"] : c["end"]])
        print(f"  FP    {quote!r}\n        wording: {_short(c.get('text'))}")
    for ti, gi in d["wrong_claimant"]:
        c, lab = claims[ti], labels[gi]
        print(
            f"  CLAIMANT {c.get('claimant')!r}, label {lab.get('claimant') or 'the publication'}"
            f"\n        wording: {_short(c.get('text'))}\n        label:   {_short(lab['wording'])}"
        )
    for ti, gi, kind in d["wrong_subject"]:
        c, lab = claims[ti], labels[gi]
        what = "NOT SELF-CONTAINED" if kind == "unresolved" else "SUBJECT"
        print(
            f"  {what} (label subject {lab.get('subject')})\n        wording: "
            f"{_short(c.get('text'))}\n        label:   {_short(lab['wording'])}"
        )
    for ti, covered in d.get("non_atomic", []):
        c = claims[ti]
        print(f"  NON-ATOMIC {_short(text[c['start'] : c['end']])!r}")
        for gi in covered:
            core = "core" if labels[gi]["core"] else "borderline"
            print(f"        label ({core}): {_short(labels[gi]['quote'])!r}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", choices=(*HALVES, *SEEN, *HELD_OUT), default="dev", dest="which")
    ap.add_argument(
        "--verbose",
        action="store_true",
        help="list misses, false positives, wrong claimants and subjects, non-atomic claims",
    )
    ap.add_argument("--json", help="write the figures here as JSON")
    ap.add_argument("--outputs", help="score saved outputs DIR/<slug>.jsonl instead of running")
    ap.add_argument("--save-outputs", help="write the extractor's outputs to DIR/<slug>.jsonl")
    ap.add_argument(
        "--parser",
        choices=("rules", "spacy"),
        help="EXTRACT_PARSER for this run (default: the setting, FACTCHECK_EXTRACT_PARSER, "
        "else rules); spacy needs the parse extra",
    )
    ap.add_argument("--root", default=str(NEWS), help=argparse.SUPPRESS)
    a = ap.parse_args(argv)

    if a.parser == "spacy" and not a.outputs:
        sys.path.insert(0, str(ROOT))
        from factcheck.extract import parse

        if not parse.available():  # (never the rules' figures under the name spacy)
            print(parse.why_unavailable(), file=sys.stderr)
            return 1
    halves = HALVES if a.which in SEEN else (a.which,)
    by_half = {h: load_half(h, Path(a.root)) for h in halves}
    articles = [art for h in halves for art in by_half[h]]
    if not articles:
        print(f"no labelled articles in {a.root} for --set {a.which}", file=sys.stderr)
        return 1
    slugs = [art["slug"] for art in articles]
    if len(set(slugs)) != len(slugs):
        print("the same article name in both halves: rename one", file=sys.stderr)
        return 1
    outputs: dict[str, list[dict]] = {}
    for art in articles:
        if a.outputs:
            outputs[art["slug"]] = load_outputs(art, Path(a.outputs))
        else:
            sys.path.insert(0, str(ROOT))
            outputs[art["slug"]] = run_extractor(art, a.parser)
        if a.save_outputs:
            folder = Path(a.save_outputs)
            folder.mkdir(parents=True, exist_ok=True)
            with open(folder / f"{art['slug']}.jsonl", "w", encoding="utf-8") as f:
                for c in outputs[art["slug"]]:
                    f.write(json.dumps(c, ensure_ascii=False) + "\n")

    report = {}
    groups = [(h, by_half[h]) for h in halves if by_half[h]]
    if len(groups) > 1:
        groups.append(("all", articles))
    for name, arts in groups:
        ev = evaluate(arts, outputs)
        # the combined block repeats the halves' lists: print those once
        print_report(name, arts, ev, a.verbose and not (name == "all" and len(groups) > 1))
        report[name] = ev["result"]
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
