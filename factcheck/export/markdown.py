"""Markdown verdict report for one article (or any set of claim records).

User text (titles, quotes, claim wording, reasons, names) is escaped so it
cannot change the report's structure; rationales are Markdown source and are
included as written (sanitise when converting the report to HTML).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from ..agreement import agreement_summary
from ..evidence.panel import archive_note

__all__ = ["markdown_report", "report_summary"]

_INLINE = re.compile(r"([\\`*_\[\]<>|~])")
_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])", re.MULTILINE)


def _esc(text: Any) -> str:
    """Escape Markdown in a single-line piece of user text."""
    if text is None:
        return ""
    s = " ".join(str(text).split())
    s = _INLINE.sub(r"\\\1", s)
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), s)


def _esc_block(text: Any) -> str:
    """Escape Markdown in multi-line user text, keeping its line breaks."""
    if text is None:
        return ""
    lines = [_INLINE.sub(r"\\\1", line.strip()) for line in str(text).strip().splitlines()]
    return _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), "\n".join(lines))


def _quote(text: str) -> str:
    return "\n".join("> " + line if line else ">" for line in text.splitlines()) or ">"


def _indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line if line else "" for line in text.splitlines())


def _link(url: Any, title: Any = None) -> str:
    """A Markdown link for http(s) URLs; other schemes are shown as plain text."""
    if not url:
        return _esc(title) or ""
    text = str(url)
    if not text.lower().startswith(("http://", "https://")):
        return f"{_esc(title)} ({_esc(text)})" if title else _esc(text)
    for ch, enc in ((" ", "%20"), ("<", "%3C"), (">", "%3E"), ("\n", "%0A"), ("\r", "%0D")):
        text = text.replace(ch, enc)
    return f"[{_esc(title) or _esc(url)}](<{text}>)"


def _fmt(x: float | None, percent: bool = False) -> str:
    if x is None:
        return "n/a"
    return f"{x * 100:.1f} %" if percent else f"{x:.3f}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def report_summary(
    records: Iterable[dict[str, Any]], order: Sequence[str] | None = None
) -> dict[str, Any]:
    """Summary figures for :func:`markdown_report` from (materialised) claim records.

    Returns ``n_claims``, ``n_checkworthy``, ``n_dismissed``, ``n_final``,
    ``n_disagreement``, ``final_distribution`` ({label: count}, most common
    first), ``verdict_distribution`` (all reviewers' verdicts, {label: count})
    and ``agreement`` (:func:`factcheck.agreement.agreement_summary`, when
    ``order`` is given).
    """
    n = checkworthy = dismissed = disagreement = 0
    finals: Counter[str] = Counter()
    verdicts: Counter[str] = Counter()
    ratings = []
    for record in records:
        claim = record.get("claim")
        if claim is None:
            continue
        n += 1
        checkworthy += bool(claim.get("checkworthy"))
        dismissed += bool(claim.get("dismissed"))
        final = record.get("final")
        if final:
            finals[final.get("label") or final.get("rating")] += 1
        for v in record.get("verdicts") or ():
            verdicts[v.get("label") or v.get("rating")] += 1
            # (kept only when agreement is wanted: memory grows with it; a verdict returned
            # to its reviewer is not current, and agreement leaves it out)
            if order is not None and v.get("status") != "returned":
                ratings.append((claim.get("id"), v.get("reviewer"), v.get("rating")))
        if (record.get("agreement") or {}).get("disagreement"):
            disagreement += 1
    summary: dict[str, Any] = {
        "n_claims": n,
        "n_checkworthy": checkworthy,
        "n_dismissed": dismissed,
        "n_final": sum(finals.values()),
        "n_disagreement": disagreement,
        "final_distribution": dict(finals.most_common()),
        "verdict_distribution": dict(verdicts.most_common()),
    }
    if order is not None:
        summary["agreement"] = agreement_summary(ratings, order)
    return summary


def _summary_lines(summary: dict[str, Any]) -> Iterator[str]:
    yield "## Summary\n\n"
    n = summary.get("n_claims")
    facts = []
    if n is not None:
        facts.append(f"- Claims: {n}")
    for key, label in (
        ("n_checkworthy", "Check-worthy"),
        ("n_dismissed", "Dismissed"),
        ("n_final", "With a final verdict"),
        ("n_disagreement", "Reviewers disagree"),
    ):
        if summary.get(key) is not None:
            facts.append(f"- {label}: {summary[key]}")
    if facts:
        yield "\n".join(facts) + "\n\n"
    dist = summary.get("final_distribution") or {}
    if dist:
        yield "| Final verdict | Claims |\n|---|---:|\n"
        for label, count in dist.items():
            yield f"| {_esc(label)} | {count} |\n"
        if n is not None and summary.get("n_final") is not None and n > summary["n_final"]:
            yield f"| *(no final verdict)* | {n - summary['n_final']} |\n"
        yield "\n"
    agreement = summary.get("agreement")
    if agreement:
        yield (
            "**Agreement:** Krippendorff's alpha "
            f"{_fmt(agreement.get('alpha_ordinal'))} (ordinal), "
            f"{_fmt(agreement.get('alpha_nominal'))} (nominal); "
            f"percent agreement {_fmt(agreement.get('percent'), percent=True)} "
            f"— over {_plural(agreement.get('n_units', 0), 'claim')} with two or more verdicts, "
            f"{_plural(agreement.get('n_coders', 0), 'reviewer')}, "
            f"{_plural(agreement.get('n_ratings', 0), 'verdict')}.\n\n"
        )


def _claimant(claim: dict[str, Any], article: dict[str, Any]) -> str:
    """Who made the claim: its claimant and kind, or the publication."""
    if claim.get("claimant"):
        kind = claim.get("claimant_kind")
        return _esc(claim["claimant"]) + (f" ({kind})" if kind else "")
    publisher = article.get("publisher")
    return (_esc(publisher) + " (the publication)") if publisher else "the publication"


def _claim_section(index: int, record: dict[str, Any]) -> str:
    claim = record["claim"]
    final = record.get("final")
    verdicts = record.get("verdicts") or []
    agreement = record.get("agreement") or {}
    out: list[str] = []
    wording = claim.get("text") or claim.get("quote") or ""
    out.append(f"### {index}. {_esc(wording)}\n\n")
    meta = [f"claim #{claim.get('id')}"]
    if claim.get("start") is not None:
        meta.append(f"characters {claim.get('start')}–{claim.get('end')}")
    if claim.get("kind"):
        meta.append("kind: " + _esc(", ".join(claim["kind"])))
    if claim.get("dismissed"):
        meta.append("dismissed")
    out.append("*" + "; ".join(meta) + "*\n\n")
    if claim.get("quote"):
        out.append(_quote(_esc_block(claim["quote"])) + "\n\n")
    if claim.get("text") and claim.get("text") != claim.get("quote"):
        out.append(f"**Claim:** {_esc(claim['text'])}\n\n")
    if "claimant" in claim:  # (records from before the claimant have no such key)
        out.append(f"**Claimant:** {_claimant(claim, record.get('article') or {})}\n\n")

    final_rating = final.get("rating") if final else None
    if final:
        line = f"**Final verdict: {_esc(final.get('label') or final.get('rating'))}**"
        who = []
        if final.get("decided_by"):
            who.append(f"decided by {_esc(final['decided_by'])}")
        if final.get("decided_at"):
            who.append(f"on {_esc(str(final['decided_at'])[:10])}")
        if who:
            line += " (" + " ".join(who) + ")"
        out.append(line + "\n\n")
        if final.get("reason"):
            out.append(f"**Reason:** {_esc_block(final['reason'])}\n\n")
    else:
        out.append("**Final verdict:** *none yet*\n\n")

    if verdicts:
        parts = [
            f"{_esc(v.get('reviewer'))}: {_esc(v.get('label') or v.get('rating'))}"
            for v in verdicts
        ]
        line = "**Reviewers:** " + "; ".join(parts)
        figures = []
        if agreement.get("unanimous"):
            figures.append("unanimous")
        elif agreement.get("disagreement"):
            figures.append("disagreement")
        if len(verdicts) > 1 and agreement.get("spread") is not None:
            figures.append(
                f"spread {agreement['spread']} step{'s' if agreement['spread'] != 1 else ''}"
            )
        if figures:
            line += " (" + ", ".join(figures) + ")"
        out.append(line + "\n\n")

    agreeing = [v for v in verdicts if final_rating is None or v.get("rating") == final_rating]
    dissent = [v for v in verdicts if final_rating is not None and v.get("rating") != final_rating]
    rationales = [v for v in agreeing if (v.get("rationale") or "").strip()]
    if rationales:
        out.append("#### Rationale\n\n")
        for v in rationales:
            if len(verdicts) > 1:
                out.append(
                    f"*{_esc(v.get('reviewer'))}* ({_esc(v.get('label') or v.get('rating'))}):\n\n"
                )
            out.append(v["rationale"].strip() + "\n\n")

    sources = []
    seen = set()
    for v in verdicts:
        for s in v.get("sources") or ():
            key = (s.get("url"), s.get("stance"))
            if key not in seen:
                seen.add(key)
                sources.append(s)
    if sources:
        out.append("#### Sources\n\n")
        for s in sources:
            bits = [_link(s.get("url"), s.get("title"))]
            if s.get("publisher"):
                bits.append(_esc(s["publisher"]))
            if s.get("stance"):
                bits.append(_esc(s["stance"]))
            if s.get("accessed"):
                bits.append("accessed " + _esc(s["accessed"]))
            note = archive_note(s.get("archive"), s.get("url"))
            if note:
                bits.append(_esc(note))
            line = "- " + ", ".join(b for b in bits if b)
            if s.get("excerpt"):
                line += "\n\n" + _indent(_quote(_esc_block(s["excerpt"])), "  ")
            out.append(line + "\n")
        out.append("\n")

    if dissent:
        out.append("#### Dissent\n\n")
        for v in dissent:
            line = f"- **{_esc(v.get('reviewer'))}: {_esc(v.get('label') or v.get('rating'))}**"
            rationale = (v.get("rationale") or "").strip()
            if rationale:
                line += "\n\n" + _indent(rationale, "  ")
            out.append(line + "\n")
        out.append("\n")

    corrections = record.get("corrections") or []
    if corrections:
        out.append("#### Corrections\n\n")
        for c in corrections:
            when = _esc(str(c.get("date") or c.get("created_at") or "")[:10])
            note = _esc(c.get("note") or c.get("reason") or "")
            out.append(f"- {when}: {note}\n" if when else f"- {note}\n")
        out.append("\n")
    return "".join(out)


def markdown_report(
    article: dict[str, Any] | None, records: Iterable[dict[str, Any]], summary: dict[str, Any]
) -> Iterator[str]:
    """Stream a Markdown verdict report: article header, summary, then each claim.

    ``summary`` is typically :func:`report_summary` of the same records (any of
    its keys may be missing).  ``article`` may be None for a multi-article set;
    the article title is then shown above each new article's claims.  Each claim
    shows its quote, wording, final verdict and reason, reviewers' verdicts,
    rationale (of the verdicts matching the final), sources, dissent (verdicts
    differing from the final) and corrections.
    """
    if article:
        yield f"# Verdict report: {_esc(article.get('title') or 'Untitled article')}\n\n"
        facts = []
        if article.get("url"):
            facts.append("- Source: " + _link(article["url"], article["url"]))
        for key, label in (
            ("publisher", "Publisher"),
            ("author", "Author"),
            ("published", "Published"),
        ):
            if article.get(key):
                facts.append(f"- {label}: {_esc(article[key])}")
        if facts:
            yield "\n".join(facts) + "\n\n"
    else:
        yield "# Verdict report\n\n"
    yield from _summary_lines(summary)
    yield "## Claims\n\n"
    index = 0
    current = object()
    for record in records:
        if record.get("claim") is None:
            continue
        if not article:
            rec_article = record.get("article") or {}
            if rec_article.get("id") != current:
                current = rec_article.get("id")
                yield f"## {_esc(rec_article.get('title') or 'Untitled article')}\n\n"
        index += 1
        yield _claim_section(index, record)
    if index == 0:
        yield "*No claims.*\n"
