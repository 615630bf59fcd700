"""Tests for factcheck.export: CSV, JSON, JSONL, ClaimReview, Markdown."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json

import pytest

from factcheck.agreement import claim_agreement, ordinal_order
from factcheck.export import (
    CSV_BOM,
    CSV_COLUMNS,
    batched,
    claimreview,
    claimreview_chunks,
    csv_chunks,
    json_chunks,
    jsonl_lines,
    jsonld_for_html,
    markdown_report,
    neutralise_cell,
    rating_bounds,
    records_from_json,
    report_summary,
    validate_claimreview,
)
from factcheck.export.csv_export import one_line_break

SCALE = [
    {"key": "true", "label": "True", "value": 5, "ordinal": True},
    {"key": "mostly-true", "label": "Mostly true", "value": 4, "ordinal": True},
    {"key": "half", "label": "Half true", "value": 3, "ordinal": True},
    {"key": "mostly-false", "label": "Mostly false", "value": 2, "ordinal": True},
    {"key": "false", "label": "False", "value": 1, "ordinal": True},
    {"key": "misleading", "label": "Misleading", "value": 2, "ordinal": False},
    {"key": "unverifiable", "label": "Unverifiable", "value": 0, "ordinal": False},
]
LABELS = {e["key"]: e["label"] for e in SCALE}
ORDER = ordinal_order(SCALE)
ORG = {"name": "Desk Check", "url": "https://desk.example"}
PERMALINK = "https://desk.example/a/{article_id}/c/{claim_id}"


def article(article_id=1, **kw):
    base = {
        "id": article_id,
        "title": f"Article {article_id}",
        "url": f"https://news.example/{article_id}",
        "publisher": "News Example",
        "author": "Jane Writer",
        "published": "2024-03-01",
        "body_sha256": "ab" * 32,
    }
    base.update(kw)
    return base


def verdict(reviewer, rating, rationale="", sources=()):
    return {
        "reviewer": reviewer,
        "rating": rating,
        "label": LABELS[rating],
        "value": next(e["value"] for e in SCALE if e["key"] == rating),
        "rationale": rationale,
        "rationale_html": f"<p>{rationale}</p>" if rationale else "",
        "created_at": "2024-03-02T10:00:00Z",
        "updated_at": "2024-03-02T10:05:00Z",
        "sources": list(sources),
    }


def source(url, stance="refutes", **kw):
    base = {
        "url": url,
        "title": "Official stats",
        "publisher": "Stats Office",
        "excerpt": "",
        "stance": stance,
    }
    base["accessed"] = "2024-03-02"
    base.update(kw)
    return base


def record(
    claim_id=10,
    art=None,
    *,
    text="Unemployment doubled last year.",
    quote=None,
    verdicts=None,
    final="false",
    **claim_kw,
):
    if verdicts is None:
        verdicts = [
            verdict(
                "alice", "false", "Stats say **otherwise**.", [source("https://stats.example/u")]
            ),
            verdict(
                "bob",
                "mostly-false",
                "Partly.",
                [source("https://stats.example/u"), source("https://x.example", "context")],
            ),
        ]
    claim = {
        "id": claim_id,
        "start": 5,
        "end": 40,
        "quote": quote if quote is not None else "unemployment has doubled",
        "text": text,
        "kind": ["statistic", "comparison"],
        "score": 0.875,
        "checkworthy": True,
        "dismissed": False,
        "origin": "auto",
        "created_at": "2024-03-01T09:00:00Z",
        "updated_at": "2024-03-01T09:00:00Z",
    }
    claim.update(claim_kw)
    fin = None
    if final:
        fin = {
            "rating": final,
            "label": LABELS[final],
            "value": next(e["value"] for e in SCALE if e["key"] == final),
            "reason": "Majority and sources agree.",
            "decided_by": "eve",
            "decided_at": "2024-03-03T12:00:00Z",
        }
    return {
        "article": art if art is not None else article(),
        "claim": claim,
        "verdicts": verdicts,
        "final": fin,
        "agreement": claim_agreement([v["rating"] for v in verdicts], ORDER),
    }


def parse_csv(chunks) -> list[list[str]]:
    return list(csv.reader(io.StringIO("".join(chunks), newline="")))


def csv_rows(records) -> list[dict[str, str]]:
    rows = parse_csv(csv_chunks(records))
    assert tuple(rows[0]) == CSV_COLUMNS
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


# --------------------------------------------------------------------------- CSV


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+49 30 1234", "'+49 30 1234"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("a=b", "a=b"),
        (" =1", " =1"),
        ("'=1", "'=1"),
        ("", ""),
        ("plain", "plain"),
        ("ünïcödé = fine", "ünïcödé = fine"),
    ],
)
def test_neutralise_cell(value, expected):
    assert neutralise_cell(value) == expected


@pytest.mark.parametrize(
    "payload", ["=1+1", "+1", "-1", "@x", "\tx", "\rx", '=HYPERLINK("http://evil")']
)
@pytest.mark.parametrize(
    ("where", "column"),
    [
        ("text", "claim"),
        ("quote", "quote"),
        ("title", "article_title"),
        ("url", "article_url"),
        ("publisher", "article_publisher"),
        ("reviewer", "verdicts"),
        ("reason", "final_reason"),
        ("kind", "kind"),
        ("source", "sources"),
        ("rationale", "rationales"),
    ],
)
def test_csv_injection_neutralised(payload, where, column):
    rec = record()
    if where in ("text", "quote"):
        rec["claim"][where] = payload
    elif where in ("title", "url", "publisher"):
        rec["article"][where] = payload
    elif where == "reviewer":
        rec["verdicts"][0]["reviewer"] = payload
    elif where == "rationale":
        rec["verdicts"][1]["rationale"] = ""
        rec["verdicts"][0]["reviewer"] = payload
        rec["verdicts"][0]["rationale"] = "x"
    elif where == "reason":
        rec["final"]["reason"] = payload
    elif where == "kind":
        rec["claim"]["kind"] = [payload, "other"]
    elif where == "source":  # (a source's line starts with its reviewer's name)
        rec["verdicts"] = [
            verdict(payload, "false", sources=[{"url": "https://a.example", "stance": "="}])
        ]
    (row,) = csv_rows([rec])
    cell = row[column]
    assert cell.startswith("'")
    assert cell[1:].startswith(payload.replace("\r\n", "\n").replace("\r", "\n"))


def test_csv_numbers_not_mangled():
    rec = record(score=-0.25)
    (row,) = csv_rows([rec])
    assert row["score"] == "-0.25"
    assert row["claim_id"] == "10"
    assert row["start"] == "5" and row["end"] == "40"
    assert row["article_id"] == "1"


@pytest.mark.parametrize(
    "text",
    [
        "Comma, separated, claim",
        "He said \"never\" and 'again'",
        "Line one\nLine two\r\nLine three\rfour",
        "Ünïcödé — «quotes» 中文 العربية 🙂",
        "trailing space ",
        "",
        '"=starts with quote"',
        "semi;colons;here",
    ],
)
def test_csv_round_trip(text):
    rec = record(text=text, quote=text, art=article(title=text, publisher=text))
    rec["final"]["reason"] = text
    (row,) = csv_rows([rec])
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # (cells' one line break)
    assert row["claim"] == text
    assert row["quote"] == text
    assert row["article_title"] == text
    assert row["final_reason"] == text


def test_csv_content():
    (row,) = csv_rows([record()])
    assert row["kind"] == "statistic;comparison"
    assert row["score"] == "0.875"
    assert row["checkworthy"] == "true"
    assert row["dismissed"] == "false"
    assert row["final_rating"] == "false"
    assert row["final_verdict"] == "False"
    assert row["final_reason"] == "Majority and sources agree."
    assert row["decided_by"] == "eve"
    assert row["verdicts"] == "alice: False; bob: Mostly false"
    assert row["rationales"] == "alice: Stats say **otherwise**.\n\nbob: Partly."
    assert row["n_verdicts"] == "2"
    assert row["majority"] == ""  # tie
    assert row["spread"] == "1"
    assert row["disagreement"] == "true"
    assert row["sources"] == (  # every source with its reviewer, one a line
        "alice: refutes | Official stats | Stats Office | https://stats.example/u |  | \n"
        "bob: refutes | Official stats | Stats Office | https://stats.example/u |  | \n"
        "bob: context | Official stats | Stats Office | https://x.example |  | "
    )  # (no archive known: the last field is empty)
    assert row["article_published"] == "2024-03-01"


def test_csv_majority_label_and_no_final():
    rec = record(
        verdicts=[verdict("a", "true"), verdict("b", "true"), verdict("c", "half")], final=None
    )
    (row,) = csv_rows([rec])
    assert row["majority"] == "True"
    assert row["final_verdict"] == "" and row["final_reason"] == ""
    assert row["spread"] == "2"


def test_csv_empty_and_header():
    chunks = list(csv_chunks([]))
    assert chunks == [",".join(CSV_COLUMNS) + "\r\n"]
    assert parse_csv(chunks) == [list(CSV_COLUMNS)]


def test_csv_bom_and_chunking():
    records = [record(i) for i in range(5)]
    chunks = list(csv_chunks(records, bom=True, rows_per_chunk=2))
    assert chunks[0].startswith(CSV_BOM)
    assert len(chunks) == 1 + 3
    rows = parse_csv([chunks[0][1:], *chunks[1:]])
    assert [r[5] for r in rows[1:]] == ["0", "1", "2", "3", "4"]
    assert not "".join(csv_chunks(records)).startswith(CSV_BOM)


def test_csv_skips_articles_without_claims():
    recs = [
        {"article": article(7), "claim": None, "verdicts": [], "final": None, "agreement": None},
        record(),
    ]
    assert [r["claim_id"] for r in csv_rows(recs)] == ["10"]


def test_csv_is_lazy():
    consumed = []

    def gen():
        for i in range(10):
            consumed.append(i)
            yield record(i)

    it = csv_chunks(gen(), rows_per_chunk=1)
    next(it), next(it)
    assert len(consumed) < 10


# --------------------------------------------------------------------------- JSON / JSONL

META = {
    "generated_at": "2024-03-04T00:00:00Z",
    "filter": {"publisher": "News Example"},
    "version": "0.1",
}


def many_records(claims_per_article=(3, 1, 0, 2, 5)):
    recs = []
    cid = 100
    for aid, n in enumerate(claims_per_article, start=1):
        art = article(aid, title=f"Título {aid} «»")
        if n == 0:
            recs.append(
                {"article": art, "claim": None, "verdicts": [], "final": None, "agreement": None}
            )
        for _ in range(n):
            recs.append(record(cid, art))
            cid += 1
    return recs


@pytest.mark.parametrize("chunk_size", [1, 200, 65536])
@pytest.mark.parametrize(
    "shape",
    [
        pytest.param((), id="no-records"),
        pytest.param((1,), id="one"),
        pytest.param((3, 1, 0, 2, 5), id="many"),
        pytest.param((0,), id="only-empty-article"),
        pytest.param((2,) * 40, id="forty-articles"),
    ],
)
def test_json_document(shape, chunk_size):
    recs = many_records(shape)
    text = "".join(json_chunks(iter(recs), META, chunk_size=chunk_size))
    doc = json.loads(text)
    assert list(doc) == ["factcheck_export", "meta", "articles"]
    assert doc["factcheck_export"] == 1
    assert doc["meta"] == META
    assert [len(a["claims"]) for a in doc["articles"]] == list(shape)
    assert [a["id"] for a in doc["articles"]] == list(range(1, len(shape) + 1))
    for a in doc["articles"]:
        assert a["title"].startswith("Título")
        assert a["body_sha256"] == "ab" * 32
        for c in a["claims"]:
            assert {"id", "start", "end", "quote", "text", "verdicts", "final", "agreement"} <= set(
                c
            )
            assert c["verdicts"][0]["rationale_html"] == "<p>Stats say **otherwise**.</p>"
            assert c["verdicts"][0]["sources"][0]["url"] == "https://stats.example/u"
    assert list(records_from_json(doc)) == recs


def test_json_empty_document():
    assert json.loads("".join(json_chunks([], {}))) == {
        "factcheck_export": 1,
        "meta": {},
        "articles": [],
    }


def test_json_non_consecutive_article_starts_new_group():
    a1, a2 = article(1), article(2)
    doc = json.loads("".join(json_chunks([record(1, a1), record(2, a2), record(3, a1)], {})))
    assert [a["id"] for a in doc["articles"]] == [1, 2, 1]


def test_json_odd_values():
    rec = record(text='line\u2028sep "q" \\ </script>')
    rec["article"] = {}
    rec["extra"] = {"when": dt.date(2024, 1, 2), "at": dt.datetime(2024, 1, 2, 3, 4, 5)}
    doc = json.loads("".join(json_chunks([rec], {"n": 1})))
    (art,) = doc["articles"]
    assert list(art) == ["claims"]
    assert art["claims"][0]["text"] == rec["claim"]["text"]
    assert art["claims"][0]["extra"] == {"when": "2024-01-02", "at": "2024-01-02T03:04:05"}
    with pytest.raises(TypeError):
        "".join(json_chunks([record(art=article(object()))], {}))


def test_json_is_lazy():
    consumed = []

    def gen():
        for rec in many_records((5, 5)):
            consumed.append(rec)
            yield rec

    it = json_chunks(gen(), META, chunk_size=1)
    next(it), next(it)
    assert len(consumed) < 10


def test_records_from_json_rejects_other_documents():
    with pytest.raises(ValueError):
        list(records_from_json({"articles": []}))


@pytest.mark.parametrize("shape", [(), (1,), (3, 0, 2)])
def test_jsonl_lines(shape):
    recs = many_records(shape)
    if recs:
        recs[0]["claim"]["text"] = "multi\nline\r\n«ü» 🙂 \u2028"
    lines = list(jsonl_lines(recs))
    assert len(lines) == len(recs)
    for line, rec in zip(lines, recs, strict=True):
        assert line.endswith("\n") and line.count("\n") == 1
        assert json.loads(line) == rec
    text = "".join(batched(jsonl_lines(recs), size=100))
    assert text == "".join(lines)
    if recs:
        assert "🙂" in text  # not \\u-escaped


def test_batched():
    assert list(batched(["ab", "cd", "e"], size=3)) == ["abcd", "e"]
    assert list(batched([], size=3)) == []


# --------------------------------------------------------------------------- ClaimReview


def test_claimreview_fields():
    doc = claimreview(record(), org=ORG, permalink_template=PERMALINK, scale=SCALE)
    assert doc == {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": "https://desk.example/a/1/c/10",
        "claimReviewed": "Unemployment doubled last year.",
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Organization", "name": "News Example"},
            "datePublished": "2024-03-01",
            "appearance": [
                {
                    "@type": "CreativeWork",
                    "url": "https://news.example/1",
                    "headline": "Article 1",
                    "datePublished": "2024-03-01",
                    "author": {"@type": "Person", "name": "Jane Writer"},
                    "publisher": {"@type": "Organization", "name": "News Example"},
                }
            ],
        },
        "author": {"@type": "Organization", "name": "Desk Check", "url": "https://desk.example"},
        "datePublished": "2024-03-03",
        "reviewRating": {
            "@type": "Rating",
            "alternateName": "False",
            "ratingValue": 1,
            "bestRating": 5,
            "worstRating": 1,
        },
    }
    assert validate_claimreview(doc) == []


@pytest.mark.parametrize(
    ("final", "rating"),
    [
        ("true", {"alternateName": "True", "ratingValue": 5, "bestRating": 5, "worstRating": 1}),
        (
            "half",
            {"alternateName": "Half true", "ratingValue": 3, "bestRating": 5, "worstRating": 1},
        ),
        (
            "misleading",
            {"alternateName": "Misleading", "ratingValue": 2, "bestRating": 5, "worstRating": 1},
        ),
        ("unverifiable", {"alternateName": "Unverifiable"}),
    ],
)
def test_claimreview_rating(final, rating):
    doc = claimreview(record(final=final), org=ORG, permalink_template=PERMALINK, scale=SCALE)
    assert doc["reviewRating"] == {"@type": "Rating", **rating}
    assert [i for i in validate_claimreview(doc) if i["level"] == "error"] == []


@pytest.mark.parametrize(
    ("article_kw", "claim_kw", "author", "flagged"),
    [
        # The publication's own statement: the publisher, never the journalist.
        ({}, {}, {"@type": "Organization", "name": "News Example"}, None),
        ({"author": None}, {}, {"@type": "Organization", "name": "News Example"}, None),
        ({"publisher": None}, {}, None, "itemReviewed.author"),
        ({"author": None, "publisher": None}, {}, None, "itemReviewed.author"),
        # A named claimant, by kind.
        (
            {},
            {"claimant": "Maria Okafor", "claimant_kind": "person"},
            {"@type": "Person", "name": "Maria Okafor"},
            None,
        ),
        (
            {"publisher": None},
            {"claimant": "Trade ministry", "claimant_kind": "organization"},
            {"@type": "Organization", "name": "Trade ministry"},
            None,
        ),
        (
            {},
            {"claimant": "Okafor", "claimant_kind": None},
            {"name": "Okafor"},
            "itemReviewed.author.@type",
        ),
    ],
)
def test_claimreview_claim_author(article_kw, claim_kw, author, flagged):
    doc = claimreview(
        record(art=article(**article_kw), **claim_kw),
        org=ORG,
        permalink_template=PERMALINK,
        scale=SCALE,
    )
    assert doc["itemReviewed"].get("author") == author
    # The journalist is the appearance's author, never the claim's.
    appearance = doc["itemReviewed"]["appearance"][0]
    assert appearance.get("author") == (
        {"@type": "Person", "name": "Jane Writer"} if article(**article_kw)["author"] else None
    )
    issues = [i for i in validate_claimreview(doc) if i["field"].startswith("itemReviewed.author")]
    assert [i["field"] for i in issues] == ([flagged] if flagged else [])
    assert all(i["level"] == "warning" for i in issues)


def test_claimreview_none_without_final():
    rec = record(verdicts=[verdict("a", "false"), verdict("b", "false")], final=None)
    assert claimreview(rec, org=ORG, permalink_template=PERMALINK, scale=SCALE) is None
    rec = {"article": article(), "claim": None, "verdicts": [], "final": None, "agreement": None}
    assert claimreview(rec, org=ORG, permalink_template=PERMALINK, scale=SCALE) is None


def test_claimreview_published_at_and_missing_url():
    rec = record(art=article(url=None, published=None))
    rec["published_at"] = "2024-05-06T07:08:09Z"
    doc = claimreview(rec, org=ORG, permalink_template=PERMALINK, scale=SCALE)
    assert doc["datePublished"] == "2024-05-06"
    assert "appearance" not in doc["itemReviewed"] and "datePublished" not in doc["itemReviewed"]
    issues = validate_claimreview(doc)
    assert [(i["level"], i["field"]) for i in issues] == [("warning", "itemReviewed.appearance")]


def test_claimreview_long_claim_warns():
    doc = claimreview(record(text="x" * 76), org=ORG, permalink_template=PERMALINK, scale=SCALE)
    assert [(i["level"], i["field"]) for i in validate_claimreview(doc)] == [
        ("warning", "claimReviewed")
    ]
    doc["claimReviewed"] = "x" * 75
    assert validate_claimreview(doc) == []


def _good_doc():
    return claimreview(record(), org=ORG, permalink_template=PERMALINK, scale=SCALE)


def _set(doc, path, value):
    *parents, last = path.split(".")
    target = doc
    for p in parents:
        target = target[int(p)] if isinstance(target, list) else target[p]
    if value is KeyError:
        del target[last]
    else:
        target[last] = value


@pytest.mark.parametrize(
    ("path", "value", "level", "field"),
    [
        ("claimReviewed", KeyError, "error", "claimReviewed"),
        ("claimReviewed", "  ", "error", "claimReviewed"),
        ("claimReviewed", 42, "error", "claimReviewed"),
        ("url", KeyError, "error", "url"),
        ("url", "/relative/c/1", "error", "url"),
        ("url", "javascript:alert(1)", "error", "url"),
        ("reviewRating", KeyError, "error", "reviewRating"),
        ("reviewRating", "False", "error", "reviewRating"),
        ("reviewRating.alternateName", KeyError, "error", "reviewRating.alternateName"),
        ("reviewRating.alternateName", "", "error", "reviewRating.alternateName"),
        ("reviewRating.@type", "Review", "error", "reviewRating.@type"),
        ("reviewRating.ratingValue", 6, "error", "reviewRating.ratingValue"),
        ("reviewRating.ratingValue", 0, "error", "reviewRating.ratingValue"),
        ("reviewRating.ratingValue", "1", "error", "reviewRating.ratingValue"),
        ("reviewRating.bestRating", 1, "error", "reviewRating.bestRating"),
        ("reviewRating.bestRating", "5", "error", "reviewRating.bestRating"),
        ("reviewRating.bestRating", KeyError, "warning", "reviewRating"),
        ("author", KeyError, "error", "author"),
        ("author.name", KeyError, "error", "author.name"),
        ("author.name", "", "error", "author.name"),
        ("author.url", KeyError, "warning", "author.url"),
        ("author.url", "desk.example", "error", "author.url"),
        ("datePublished", KeyError, "warning", "datePublished"),
        ("datePublished", "03/03/2024", "error", "datePublished"),
        ("@type", "Review", "error", "@type"),
        ("@context", KeyError, "error", "@context"),
        ("itemReviewed", KeyError, "warning", "itemReviewed"),
        ("itemReviewed", "a claim", "error", "itemReviewed"),
        ("itemReviewed.@type", "Thing", "error", "itemReviewed.@type"),
        ("itemReviewed.author", KeyError, "warning", "itemReviewed.author"),
        ("itemReviewed.author.name", KeyError, "error", "itemReviewed.author.name"),
        ("itemReviewed.appearance", KeyError, "warning", "itemReviewed.appearance"),
        ("itemReviewed.appearance", [], "warning", "itemReviewed.appearance"),
        ("itemReviewed.appearance.0.url", KeyError, "error", "itemReviewed.appearance[0].url"),
        (
            "itemReviewed.appearance.0.url",
            "ftp://x.example/a",
            "error",
            "itemReviewed.appearance[0].url",
        ),
        ("itemReviewed.datePublished", "yesterday", "error", "itemReviewed.datePublished"),
    ],
)
def test_validator_catches_broken_field(path, value, level, field):
    doc = _good_doc()
    _set(doc, path, value)
    issues = validate_claimreview(doc)
    assert {"level": level, "field": field} in [
        {"level": i["level"], "field": i["field"]} for i in issues
    ]
    for issue in issues:
        assert set(issue) == {"level", "field", "message"}
        assert len(issue["message"]) > 15


def test_validator_ratingvalue_without_bounds_uses_google_defaults():
    doc = _good_doc()
    del doc["reviewRating"]["bestRating"], doc["reviewRating"]["worstRating"]
    assert [(i["level"], i["field"]) for i in validate_claimreview(doc)] == [
        ("warning", "reviewRating")
    ]
    doc["reviewRating"]["ratingValue"] = 7
    assert ("error", "reviewRating.ratingValue") in [
        (i["level"], i["field"]) for i in validate_claimreview(doc)
    ]


@pytest.mark.parametrize("doc", [None, [], "ClaimReview", {}])
def test_validator_non_documents(doc):
    issues = validate_claimreview(doc)
    assert issues and all(i["level"] in ("error", "warning") for i in issues)
    assert any(i["level"] == "error" for i in issues)


def test_rating_bounds():
    assert rating_bounds(SCALE) == (1, 5)
    assert rating_bounds([{"key": "x", "value": 3, "ordinal": False}]) is None


def test_claimreview_chunks():
    recs = [record(1), record(2, final=None), record(3, text=""), record(4, quote="", text="")]
    text = "".join(claimreview_chunks(recs, org=ORG, permalink_template=PERMALINK, scale=SCALE))
    docs = json.loads(text)
    # record 3 falls back to the quote; record 4 has no wording at all (invalid, skipped)
    assert [d["url"] for d in docs] == [
        "https://desk.example/a/1/c/1",
        "https://desk.example/a/1/c/3",
    ]
    assert docs[1]["claimReviewed"] == "unemployment has doubled"
    all_docs = json.loads(
        "".join(
            claimreview_chunks(
                recs, org=ORG, permalink_template=PERMALINK, scale=SCALE, skip_invalid=False
            )
        )
    )
    assert len(all_docs) == 3
    assert (
        json.loads(
            "".join(claimreview_chunks([], org=ORG, permalink_template=PERMALINK, scale=SCALE))
        )
        == []
    )


def test_jsonld_for_html():
    doc = claimreview(
        record(text="</script><script>alert(1)</script> & more"),
        org=ORG,
        permalink_template=PERMALINK,
        scale=SCALE,
    )
    text = jsonld_for_html(doc)
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == doc


# --------------------------------------------------------------------------- Markdown


def report(records, art=None, order=ORDER):
    records = list(records)
    return "".join(markdown_report(art, records, report_summary(records, order)))


def test_markdown_report_contents():
    recs = [
        record(1),
        record(
            2,
            text="Crime fell by 10 %.",
            quote="crime fell",
            verdicts=[verdict("alice", "true", "Police data confirm it.")],
            final="true",
        ),
        record(3, text="Unreviewed claim.", verdicts=[], final=None),
    ]
    recs[0]["corrections"] = [{"date": "2024-04-01", "note": "Source link fixed."}]
    md = report(recs, article())
    assert md.startswith("# Verdict report: Article 1\n")
    for needle in [
        "https://news.example/1",
        "News Example",
        "Jane Writer",
        "| False | 1 |",
        "| True | 1 |",
        "| *(no final verdict)* | 1 |",
        "- Claims: 3",
        "Krippendorff's alpha",
        "> unemployment has doubled",
        "**Claim:** Unemployment doubled last year.",
        "**Final verdict: False** (decided by eve on 2024-03-03)",
        "**Reason:** Majority and sources agree.",
        "Stats say **otherwise**.",
        "[Official stats](<https://stats.example/u>)",
        "refutes",
        "#### Dissent",
        "**bob: Mostly false**",
        "Partly.",
        "Police data confirm it.",
        "**Final verdict:** *none yet*",
        "2024-04-01: Source link fixed.",
    ]:
        assert needle in md, needle
    # the dissenting verdict's rationale is under Dissent, not under Rationale
    first = md.split("### 1.")[1].split("### 2.")[0]
    assert first.index("Partly.") > first.index("#### Dissent")
    # unanimous claim has no dissent section
    second = md.split("### 2.")[1].split("### 3.")[0]
    assert "Dissent" not in second


@pytest.mark.parametrize(
    ("text", "forbidden"),
    [
        ("# Not a heading", "\n# Not a heading"),
        ("| table | break |", "| table | break |"),
        ("[link](javascript:alert(1))", "[link](javascript"),
        ("<script>x</script>", "<script>"),
        ("*bold* _it_", "*bold*"),
    ],
)
def test_markdown_escapes_user_text(text, forbidden):
    md = report([record(text=text, quote=text)], article(title=text))
    assert forbidden not in md


def test_markdown_only_links_http_sources():
    rec = record(
        verdicts=[verdict("a", "false", sources=[source("javascript:alert(1)", title="Bad")])]
    )
    md = report([rec], article())
    assert "](<javascript" not in md
    assert "Bad (javascript:alert(1))" in md


def test_markdown_multi_article_and_empty():
    md = report(many_records((1, 0, 2)))
    assert md.startswith("# Verdict report\n")
    assert md.count("## Título") == 2
    assert "*No claims.*" in report([], article())


def test_report_summary():
    recs = [
        record(1),
        record(2, final="true"),
        record(3, final=None, dismissed=True),
        record(4, final="false"),
    ]
    s = report_summary(recs, ORDER)
    assert s["n_claims"] == 4
    assert s["n_final"] == 3
    assert s["n_dismissed"] == 1
    assert s["n_disagreement"] == 4
    assert s["final_distribution"] == {"False": 2, "True": 1}
    assert s["verdict_distribution"] == {"False": 4, "Mostly false": 4}
    assert s["agreement"]["n_units"] == 4 and s["agreement"]["n_coders"] == 2
    assert "agreement" not in report_summary(recs)


def test_records_are_not_mutated():
    recs = many_records((2, 1))
    before = copy.deepcopy(recs)
    "".join(csv_chunks(recs))
    "".join(json_chunks(recs, META))
    "".join(jsonl_lines(recs))
    report(recs, article())
    for r in recs:
        claimreview(r, org=ORG, permalink_template=PERMALINK, scale=SCALE)
    assert recs == before


# --------------------------------------------------------------------------- properties

try:
    from hypothesis import given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - hypothesis is a test extra
    given = None

if given is not None:

    @settings(max_examples=200, deadline=None)
    @given(st.text(), st.text())
    def test_csv_round_trip_any_text(text, title):
        (row,) = csv_rows([record(text=text, quote=text, art=article(title=title))])
        assert row["claim"] == one_line_break(neutralise_cell(text))
        assert row["quote"] == one_line_break(neutralise_cell(text))
        assert row["article_title"] == one_line_break(neutralise_cell(title))

    @settings(max_examples=100, deadline=None)
    @given(
        st.lists(st.integers(min_value=0, max_value=4), max_size=12),
        st.integers(min_value=1, max_value=5000),
        st.text(max_size=30),
    )
    def test_json_any_grouping(shape, chunk_size, text):
        recs = many_records(shape)
        for rec in recs:
            if rec["claim"]:
                rec["claim"]["text"] = text
        doc = json.loads("".join(json_chunks(recs, {"t": text}, chunk_size=chunk_size)))
        assert [len(a["claims"]) for a in doc["articles"]] == shape
        assert list(records_from_json(doc)) == recs


def test_csv_sources_with_their_details_and_one_line_break_convention():
    rec = record()
    rec["verdicts"][0]["rationale"] = "First line\r\nsecond\rthird"
    rec["verdicts"][0]["sources"] = [
        source(
            "https://a.example/report",
            "supports",
            title="Annual\r\nreport",
            publisher="Agency",
            excerpt="Prices rose\nby 5%",
        )
    ]
    (row,) = csv_rows([rec])
    assert row["sources"].split("\n")[0] == (
        "alice: supports | Annual report | Agency | https://a.example/report | Prices rose by 5% | "
    )
    assert row["rationales"] == "alice: First line\nsecond\nthird\n\nbob: Partly."
    raw = "".join(csv_chunks([rec]))
    assert raw.count("\r") == raw.count("\r\n") == 2  # CR only ends the two rows


def test_csv_source_line_carries_the_archive():
    rec = record()
    archive = {
        "state": "archived",
        "reason": "",
        "archived_at": "2026-12-07T18:00:00.000000+00:00",
        "sha256": "ab" * 32,
        "http_status": 200,
        "content_type": "text/html",
        "final_url": "https://a.example/report",
        "excerpt_check": "close",
        "excerpt_score": 91,
        "link_status": "changed",
        "link_checked_at": "2026-12-08T03:00:00+00:00",
    }
    failed = {**dict.fromkeys(archive), "state": "failed", "reason": "The server\nanswered 404."}
    rec["verdicts"][0]["sources"] = [
        source("https://a.example/report", "supports", archive=archive),
        source("https://b.example/", "context", archive=failed),
    ]
    (row,) = csv_rows([rec])
    first, second = row["sources"].split("\n")[:2]
    assert first.endswith(
        " | archived 2026-12-07T18:00:00.000000+00:00 sha256:" + "ab" * 32
        + " HTTP 200; excerpt close match (91 %); link changed"
    )  # fmt: skip
    assert second.endswith(" | failed: The server answered 404.")
