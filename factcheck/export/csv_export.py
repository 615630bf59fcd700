"""CSV export: one row per claim, safe to open in a spreadsheet.

Output is text with ``\\r\\n`` line endings (RFC 4180) and a header row; the
caller encodes it as UTF-8.  Prepend :data:`CSV_BOM` (or pass ``bom=True``)
for downloads meant for Excel, which otherwise guesses a legacy code page.
Write the chunks verbatim (binary, or text mode with ``newline=""``).

Inside a cell a line break is always ``\\n`` (``\\r\\n`` and ``\\r`` of the stored text
become ``\\n``): the rationales cell separates reviewers with a blank line, and the
sources cell holds one source a line (:func:`source_line`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

__all__ = [
    "CSV_BOM",
    "CSV_COLUMNS",
    "csv_chunks",
    "neutralise_cell",
    "one_line_break",
    "published_cells",
    "returned_mark",
    "source_line",
]

CSV_BOM = "\ufeff"

CSV_COLUMNS: tuple[str, ...] = (
    "article_id",
    "article_title",
    "article_url",
    "article_publisher",
    "article_published",
    "claim_id",
    "start",
    "end",
    "quote",
    "claim",
    "kind",
    "score",
    "checkworthy",
    "dismissed",
    "origin",
    "claimant",
    "claimant_kind",
    "wording_source",
    "final_rating",
    "final_verdict",
    "final_reason",
    "decided_by",
    "decided_at",
    "verdicts",
    "rationales",
    "n_verdicts",
    "majority",
    "spread",
    "disagreement",
    "sources",
    "published",
    "published_version",
    "corrections",
)

# OWASP "CSV injection": cells starting with these may be run as formulas.
_DANGEROUS = frozenset("=+-@\t\r")


def neutralise_cell(value: str) -> str:
    """Prefix ``'`` to a cell starting with ``= + - @``, tab or carriage return."""
    if value and value[0] in _DANGEROUS:
        return "'" + value
    return value


def one_line_break(text: str) -> str:
    """``text`` with every line break as ``\\n`` (the cells' one convention; applied after
    :func:`neutralise_cell`, so that a cell starting with ``\\r`` is still neutralised)."""
    if "\r" in text:
        return text.replace("\r\n", "\n").replace("\r", "\n")
    return text


#: The fields of a source in its line of the sources cell, in order.
SOURCE_FIELDS = ("stance", "title", "publisher", "url", "excerpt")


def _flat(value: Any) -> str:
    """A source field on one line (line breaks as spaces)."""
    if not value:
        return ""
    text = str(value)
    if "\r" in text or "\n" in text:
        text = text.replace("\r\n", " ").replace("\r", " ").replace("\n", " ")
    return text


def source_line(reviewer: Any, source: dict[str, Any]) -> str:
    """A source's line in the sources cell: ``reviewer: stance | title | publisher | url |
    excerpt | archive`` (every field present, empty when unknown; line breaks inside a field as
    spaces; the archive as :func:`factcheck.store.evidence.archive_summary` writes it)."""
    from ..store.evidence import archive_summary

    return (
        f"{reviewer}: "
        + " | ".join(_flat(source.get(key)) for key in SOURCE_FIELDS)
        + " | "
        + _flat(archive_summary(source.get("archive")))
    )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def _num(value: Any) -> str:
    """Numbers we produce are kept as numbers (a negative score is not a formula)."""
    if value.__class__ is int:
        return str(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(value) if isinstance(value, float) else str(value)
    return neutralise_cell(_text(value))


def _cell(value: Any) -> str:
    """Any value as a neutralised text cell with one line break (slow path of :func:`_row`)."""
    return one_line_break(neutralise_cell(_text(value)))


_EMPTY: dict[str, Any] = {}


def _shown(key: str, change: dict[str, Any], side: str) -> str:
    value = change.get(side)
    if key == "sources":
        return " | ".join(s.get("url") or s.get("title") or "" for s in value or ()) or "none"
    return "none" if value in (None, "") else str(value)


def returned_mark(returned: dict[str, Any]) -> str:
    """How the ``verdicts`` cell marks a verdict an editor returned to its reviewer:
    ``(returned by edna: reason)`` (the reason on one line). It is left out of ``n_verdicts``,
    ``majority``, ``spread`` and ``disagreement``, as agreement leaves it out."""
    by = f" by {returned['by']}" if returned.get("by") else ""
    return f"(returned{by}: {_flat(returned.get('reason'))})"


def published_cells(published: dict[str, Any] | None) -> list[str]:
    """The ``published``, ``published_version`` and ``corrections`` cells of a claim's
    published record (a record's ``"published"``; None: never published): its status
    (published or withdrawn), latest version, and one line per correction (date, version,
    note, then each change as ``field: before -> after``, then ``[by editor]``; line breaks
    inside as spaces),
    neutralised."""
    if published is None:
        return ["", "", ""]
    lines = []
    for k in published["corrections"]:
        changes = "; ".join(
            f"{key}: {_shown(key, change, 'before')} -> {_shown(key, change, 'after')}"
            for key, change in k["changes"].items()
        )
        version = f" v{k['version']}" if k["version"] is not None else ""
        lines.append(
            f"{(k['at'] or '')[:10]}{version}: {_flat(k['note'])}"
            + (f" ({_flat(changes)})" if changes else "")
            + (f" [by {_flat(k['by'])}]" if k.get("by") else "")
        )
    return [
        published["status"],
        str(published["version"]),
        neutralise_cell("\n".join(lines)),
    ]


def _row(record: dict[str, Any]) -> list[str]:
    article = record.get("article") or _EMPTY
    claim = record["claim"]
    verdicts = record.get("verdicts") or ()
    final = record.get("final") or _EMPTY
    agreement = record.get("agreement") or _EMPTY

    labels: dict[Any, str] = {}
    summary = []
    rationales = []
    sources: list[str] = []
    for v in verdicts:
        label = v.get("label") or v.get("rating") or ""
        labels[v.get("rating")] = label
        reviewer = v.get("reviewer", "")
        if v.get("status") == "returned":
            summary.append(f"{reviewer}: {label} {returned_mark(v.get('returned') or {})}")
        else:
            summary.append(f"{reviewer}: {label}")
        rationale = v.get("rationale")
        if rationale:
            rationales.append(f"{reviewer}: {rationale}")
        for src in v.get("sources") or ():
            sources.append(source_line(reviewer, src))
    majority = agreement.get("majority")

    # Text cells: one pass, neutralised against formula injection.
    texts = [
        article.get("title"),
        article.get("url"),
        article.get("publisher"),
        article.get("published"),
        claim.get("quote"),
        claim.get("text"),
        ";".join(claim.get("kind") or ()),
        claim.get("checkworthy"),
        claim.get("dismissed"),
        claim.get("origin"),
        claim.get("claimant"),
        claim.get("claimant_kind"),
        claim.get("wording_source"),
        final.get("rating"),
        final.get("label"),
        final.get("reason"),
        final.get("decided_by"),
        final.get("decided_at"),
        "; ".join(summary),
        "\n\n".join(rationales),
        labels.get(majority, majority),
        agreement.get("disagreement"),
        "\n".join(sources),
    ]
    t = [
        one_line_break(("'" + c) if c and c[0] in _DANGEROUS else c)
        if c.__class__ is str
        else _cell(c)
        for c in texts
    ]
    return [
        _num(article.get("id")),
        t[0],
        t[1],
        t[2],
        t[3],
        _num(claim.get("id")),
        _num(claim.get("start")),
        _num(claim.get("end")),
        t[4],
        t[5],
        t[6],
        _num(claim.get("score")),
        *t[7:18],
        t[18],
        t[19],
        _num(agreement.get("n", len(verdicts))),
        t[20],
        _num(agreement.get("spread")),
        t[21],
        t[22],
        *published_cells(record.get("published")),
    ]


def csv_chunks(
    records: Iterable[dict[str, Any]], *, bom: bool = False, rows_per_chunk: int = 512
) -> Iterator[str]:
    """Stream a CSV document: header row, then one row per claim.

    Yields text chunks of up to ``rows_per_chunk`` rows (the first chunk is
    the header, preceded by :data:`CSV_BOM` when ``bom``).  Every text cell
    is neutralised against spreadsheet formula injection.  Records without a
    claim are skipped.
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    yield (CSV_BOM if bom else "") + buf.getvalue()
    buf.seek(0)
    buf.truncate()
    pending = 0
    writerow = writer.writerow
    for record in records:
        if record.get("claim") is None:
            continue
        writerow(_row(record))
        pending += 1
        if pending >= rows_per_chunk:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
            pending = 0
    if pending:
        yield buf.getvalue()
