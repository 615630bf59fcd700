"""Per-article reports: printable HTML, CSV (spreadsheet-safe) and JSON downloads."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

import pytest

from factcheck import ingest, store
from tests.conftest import SAMPLE_ARTICLE
from tests.test_articles import assert_no_injected_markup

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")

HOSTILE_BODY = (
    '=HYPERLINK("http://evil.example/","Click") The council spent 5 million euros in 2024.\n\n'
    "@SUM(1+1) The mayor said 40,000 people ride the tram every day."
)


@pytest.fixture
def reviewed(login: Any, db: Any, article_id: int) -> dict[str, Any]:
    """The sample article with verdicts from alice and bob on its first claim."""
    claims = store.list_claims(db, article_id)
    alice, bob = login("alice"), login("bob")
    first = claims[0]
    alice.post(
        f"/claims/{first['id']}/verdict",
        data={
            "rating": "mostly-true",
            "rationale": "=1+2 **Vote** count confirmed <script>alert(1)</script>",
            "sources-0-url": "https://council.example.org/minutes",
            "sources-0-title": "=Minutes of 6 May",
            "sources-0-publisher": "@City council",
            "sources-0-excerpt": "31 in favour, 12 against",
            "sources-0-stance": "supports",
            "sources-0-accessed": "2025-05-07",
            "sources-1-url": "https://archive.example.org/1987",
            "sources-1-title": "Transport history",
            "sources-1-stance": "context",
        },
    )
    bob.post(f"/claims/{first['id']}/verdict", data={"rating": "false", "rationale": "-Wrong."})
    return {"article_id": article_id, "claims": claims, "alice": alice, "first": first}


def test_report_html(reviewed: dict[str, Any]) -> None:
    alice, article_id, claims = reviewed["alice"], reviewed["article_id"], reviewed["claims"]
    response = alice.get(f"/articles/{article_id}/report")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Verdict report" in html
    assert "Tram line" in html
    assert f"{len(claims)} claims, 1 with verdicts" in html
    for claim in claims:
        assert f'id="claim-{claim["id"]}"' in html
    assert "alice: Mostly true" in html and "bob: False" in html
    assert "<strong>Vote</strong>" in html
    assert "=Minutes of 6 May" in html
    assert "https://council.example.org/minutes" in html
    assert "(accessed 2025-05-07)" in html
    assert "reviewers disagree" in html
    assert "<mark>" + claims[0]["quote"] + "</mark>" in html
    assert_no_injected_markup(html)


def test_report_html_as_json(reviewed: dict[str, Any]) -> None:
    alice, article_id = reviewed["alice"], reviewed["article_id"]
    data = alice.get(f"/articles/{article_id}/report", headers={"Accept": "application/json"})
    body = data.get_json()
    assert "body" not in body["article"] and "original" not in body["article"]
    assert body["summary"]["with_verdicts"] == 1


def read_csv(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Type"].count("charset") == 1
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Content-Disposition"].endswith('.csv"')
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM, so Excel reads UTF-8
    text = raw.decode("utf-8")
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def test_report_csv(reviewed: dict[str, Any], db: Any) -> None:
    alice, article_id, claims = reviewed["alice"], reviewed["article_id"], reviewed["claims"]
    rows = read_csv(alice.get(f"/articles/{article_id}/report.csv"))
    assert [int(r["claim_id"]) for r in rows] == [c["id"] for c in claims]
    body = store.get_article(db, article_id)["body"]
    for row, claim in zip(rows, claims, strict=True):
        assert (int(row["start"]), int(row["end"])) == (claim["start"], claim["end"])
        assert row["quote"] == claim["quote"] == body[claim["start"] : claim["end"]]
    first = rows[0]
    assert first["n_verdicts"] == "2"
    assert "alice" in first["verdicts"] and "bob" in first["verdicts"]
    assert "Vote" in first["rationales"] and "Wrong." in first["rationales"]
    assert "https://council.example.org/minutes" in first["sources"]
    assert first["disagreement"] == "true"
    assert rows[1]["n_verdicts"] == "0"


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@"])
def test_csv_neutralises_formulas(login: Any, db: Any, prefix: str) -> None:
    store.update_settings(db, {"reviewers_shape_claims": True}, None)  # (direct edits)
    """Cells that a spreadsheet would run as a formula start with a quote instead."""
    body = HOSTILE_BODY.replace("=HYPERLINK", prefix + "HYPERLINK")
    draft = ingest.prepare_article(body=body, title=prefix + "cmd|' /C calc'!A0")
    article_id = store.create_article(db, draft.article, draft.claims, None)
    store.set_assignments(db, article_id, [store.user_by_name(db, "alice")["id"]], None)
    claim = store.add_claim(db, article_id, 0, body.index(" The council"), None)
    alice = login("alice")
    alice.post(
        f"/claims/{claim['id']}/edit", data={"text": prefix + "2+3 reworded", "version": "1"}
    )
    rows = read_csv(alice.get(f"/articles/{article_id}/report.csv"))
    cells = [cell for row in rows for cell in row.values()]
    for cell in cells:
        if cell and cell[0] in DANGEROUS:
            float(cell)  # only numbers we wrote ourselves may start with "-" or "+"
    titles = {row["article_title"] for row in rows}
    assert titles == {"'" + prefix + "cmd|' /C calc'!A0"}
    mine = next(row for row in rows if int(row["claim_id"]) == claim["id"])
    assert mine["quote"] == "'" + body[: body.index(" The council")]
    assert mine["claim"] == "'" + prefix + "2+3 reworded"


def test_report_json(reviewed: dict[str, Any]) -> None:
    alice, article_id, claims = reviewed["alice"], reviewed["article_id"], reviewed["claims"]
    response = alice.get(f"/articles/{article_id}/report.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].endswith('.json"')
    data = json.loads(response.get_data(as_text=True))
    assert data["meta"]["article_id"] == article_id
    assert [e["key"] for e in data["meta"]["scale"]][0] == "true"
    (article,) = data["articles"]
    assert article["id"] == article_id
    assert "original" not in article
    assert article["body"] == SAMPLE_ARTICLE.strip()  # the text travels, so it can be re-imported
    assert len(article["body_sha256"]) == 64
    exported = article["claims"]
    assert [c["id"] for c in exported] == [c["id"] for c in claims]
    for got, claim in zip(exported, claims, strict=True):
        assert (got["start"], got["end"], got["quote"]) == (
            claim["start"],
            claim["end"],
            claim["quote"],
        )
    verdicts = exported[0]["verdicts"]
    assert [(v["reviewer"], v["rating"]) for v in verdicts] == [
        ("alice", "mostly-true"),
        ("bob", "false"),
    ]
    alice_verdict = verdicts[0]
    assert alice_verdict["rationale"].startswith("=1+2 **Vote**")
    assert "<script>" not in alice_verdict["rationale_html"]
    assert [s["url"] for s in alice_verdict["sources"]] == [
        "https://council.example.org/minutes",
        "https://archive.example.org/1987",
    ]
    first_source = alice_verdict["sources"][0]
    assert first_source["title"] == "=Minutes of 6 May"  # JSON keeps the text as it is
    assert first_source["stance"] == "supports"
    assert first_source["accessed"] == "2025-05-07"
    assert exported[0]["agreement"]["disagreement"] is True
    assert exported[1]["verdicts"] == []


def test_dismissed_claims_leave_the_report(reviewed: dict[str, Any], login: Any) -> None:
    alice, article_id, first = reviewed["alice"], reviewed["article_id"], reviewed["first"]
    edna = login("edna")
    edna.post(f"/claims/{first['id']}/dismiss", data={"version": str(first["version"])})
    rows = read_csv(alice.get(f"/articles/{article_id}/report.csv"))
    assert first["id"] not in {int(r["claim_id"]) for r in rows}
    data = json.loads(alice.get(f"/articles/{article_id}/report.json").get_data(as_text=True))
    assert first["id"] not in {c["id"] for c in data["articles"][0]["claims"]}
    html = alice.get(f"/articles/{article_id}/report").get_data(as_text=True)
    assert f'id="claim-{first["id"]}"' not in html


def test_report_of_an_article_without_claims(login: Any, db: Any) -> None:
    article_id = store.create_article(db, {"title": "Quiet", "body": "Nothing to check."}, [], None)
    store.set_assignments(db, article_id, [store.user_by_name(db, "alice")["id"]], None)
    alice = login("alice")
    assert "No claims." in alice.get(f"/articles/{article_id}/report").get_data(as_text=True)
    assert read_csv(alice.get(f"/articles/{article_id}/report.csv")) == []
    data = json.loads(alice.get(f"/articles/{article_id}/report.json").get_data(as_text=True))
    assert data["articles"][0]["id"] == article_id


@pytest.mark.parametrize(
    ("title", "filename"),
    [
        ("Tram line", "factcheck-{id}-tram-line"),
        ('Evil"; filename="x.exe', "factcheck-{id}-evil-filename-x-exe"),
        ("\u00c9t\u00e9 \u00e0 Paris", "factcheck-{id}-t-paris"),
        ("!!!", "factcheck-{id}-article"),
    ],
)
def test_download_filenames(login: Any, db: Any, title: str, filename: str) -> None:
    article_id = store.create_article(db, {"title": title, "body": "Body " + title}, [], None)
    store.set_assignments(db, article_id, [store.user_by_name(db, "alice")["id"]], None)
    alice = login("alice")
    for suffix in ("csv", "json"):
        disposition = alice.get(f"/articles/{article_id}/report.{suffix}").headers[
            "Content-Disposition"
        ]
        expected = filename.format(id=article_id) + "." + suffix
        assert disposition == f'attachment; filename="{expected}"'
        assert re.fullmatch(r'attachment; filename="[a-z0-9.-]+"', disposition)


# The printable report: cover, compact mode, print header -------------------------------------


def claim_ids_in(html: str) -> list[int]:
    return [
        int(n) for n in re.findall(r'<article class="claim-report[^"]*" id="claim-(\d+)"', html)
    ]


def test_report_cover_and_modes(reviewed: dict[str, Any], app: Any) -> None:
    app.config["ORG_NAME"] = "Harbour <Fact> Desk"
    alice, article_id, claims = reviewed["alice"], reviewed["article_id"], reviewed["claims"]
    first = reviewed["first"]["id"]
    everything = [c["id"] for c in claims if not c["dismissed"]]
    html = alice.get(f"/articles/{article_id}/report").get_data(as_text=True)
    assert "Harbour &lt;Fact&gt; Desk" in html  # the organisation, escaped
    assert re.search(r'<time datetime="\d{4}-\d{2}-\d{2}">', html)  # the report date
    assert "/report-print.css?d=" in html
    # Default: every claim on screen; those without verdicts marked, left out in print.
    assert claim_ids_in(html) == everything
    assert html.count("claim-report no-verdict") == len(everything) - 1
    assert f"The {len(everything) - 1} claims without verdicts are not printed" in html
    assert '<div class="report">' in html
    # compact=1: only the claims with verdicts, on screen and in print.
    compact = alice.get(f"/articles/{article_id}/report?compact=1").get_data(as_text=True)
    assert claim_ids_in(compact) == [first]
    assert "Claims with verdicts" in compact and "left out" in compact
    # compact=0: every claim, in print too.
    full = alice.get(f"/articles/{article_id}/report?compact=0").get_data(as_text=True)
    assert claim_ids_in(full) == everything
    assert '<div class="report print-all">' in full
    data = alice.get(
        f"/articles/{article_id}/report?compact=1", headers={"Accept": "application/json"}
    ).get_json()
    assert data["summary"]["without_verdicts"] == len(everything) - 1
    assert data["summary"]["final_ratings"] == {"No final verdict yet": len(everything)}
    assert [r["claim"]["id"] for r in data["records"]] == [first]
    assert data["numbers"][str(first)] == 1


def test_report_numbers_follow_the_article(login: Any, db: Any, article_id: int) -> None:
    claims = [c for c in store.list_claims(db, article_id) if not c["dismissed"]]
    alice = login("alice")
    last = claims[-1]
    alice.post(f"/claims/{last['id']}/verdict", data={"rating": "true", "rationale": "Yes."})
    html = alice.get(f"/articles/{article_id}/report?compact=1").get_data(as_text=True)
    assert f"<h3>{len(claims)}. {last['text']}</h3>" in html


def test_report_print_css(login: Any, app: Any) -> None:
    app.config["ORG_NAME"] = 'Desk "A"\\ </style>\nB'
    alice = login("alice")
    response = alice.get("/report-print.css?d=2025-05-06")
    assert response.status_code == 200 and response.mimetype == "text/css"
    css = response.get_data(as_text=True)
    assert '@top-left { content: "Desk \\22 A\\22 \\5c  \\3c /style>\\a B";' in css
    assert '"Verdict report, 2025-05-06"' in css
    junk = alice.get("/report-print.css?d=<script>").get_data(as_text=True)
    assert "<script>" not in junk and re.search(r"Verdict report, \d{4}-\d{2}-\d{2}", junk)


@pytest.mark.parametrize(
    ("body", "start_text", "expected"),
    [
        # the headline before is not glued to the claim's paragraph
        ("Big headline\nThe council spent 5 million euros.", "The council", ("", "")),
        # cut at a sentence start ("U.S. forces" is not one), else at a word with "…"
        (
            "One. " + "x" * 150 + " said U.S. officials. The council spent 5 million euros.",
            "The council",
            ("", ""),  # (the claim starts a sentence)
        ),
        (
            "One. " + "x " * 80 + "end. Two words and the council spent 5 million euros.",
            "the council",
            ("Two words and ", ""),
        ),
        (
            "Intro. The U.S. forces and " + "y " * 80 + "the council spent 5 million euros.",
            "the council",
            ("…", ""),
        ),
    ],
)
def test_report_context_stays_in_the_paragraph(
    body: str, start_text: str, expected: tuple[str, str]
) -> None:
    from factcheck.views.reports import _in_context

    start = body.index(start_text)
    claim = {"start": start, "end": len(body) - 1}
    found = _in_context(body, claim)
    assert found["quote"] == body[start:-1]
    assert "headline" not in found["before"]
    assert found["before"].startswith(expected[0])
    assert expected[0] or found["before"] == ""
    assert len(found["before"]) <= 161


def test_report_lists_what_each_correction_changed(login: Any, db: Any) -> None:
    """A correction of a published claim's claimant or wording says what it changed (not
    "False → False", the rating that stayed), and a withdrawal is named as such, with the
    editor, the date and the note."""
    from html import unescape

    from tests.test_store_exports import build_desk

    desk = build_desk(db)
    first, second = desk["planet_claims"][:2]
    edna = desk["users"]["edna"]
    store.publish_correction(
        db, first, edna, "The count is the port's.", claimant=("Port authority", "organization")
    )
    store.withdraw_claim(db, second, edna, "Re-checking the budget.")
    html = login("edna").get(f"/articles/{desk['planet']}/report").get_data(as_text=True)

    def corrections_of(claim_id: int) -> str:
        part = html.split(f'id="claim-{claim_id}"')[1].split("</article>")[0]
        block = part.split('<div class="corrections">')[1].split("</div>")[0]
        return " ".join(unescape(re.sub(r"<[^>]+>", " ", block)).split()).replace(" :", ":")

    today = store.latest_version(db, first)["published_at"][:10]
    assert corrections_of(first) == (
        f"Corrections {today} (edna): The count is the port's."
        " Claimant Daily Planet (the publication) → Port authority (organization)"
    )
    assert corrections_of(second) == (
        f"Corrections {today} (edna): The budget figure is rounded."
        " Verdict True → Mostly true Reason Budget 2025. → Budget 2025, rounded."
        f" {today} (edna): Withdrawn. Re-checking the budget."  # (who withdrew it, too)
    )
