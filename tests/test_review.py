"""Flow tests of the review page: claims, verdicts, sources, conflicts, blind review, CSRF."""

from __future__ import annotations

import json
import re
from html import unescape
from typing import Any

import pytest

from factcheck import store
from tests.conftest import SAMPLE_ARTICLE
from tests.test_articles import assert_no_injected_markup, form_values, write_lock

BODY = SAMPLE_ARTICLE.strip()

SOURCES = {
    "sources-0-url": "https://city.example/budget.pdf",
    "sources-0-title": "=Budget 2025",
    "sources-0-publisher": "City finance department",
    "sources-0-excerpt": "Total cost: 820 million euros.",
    "sources-0-stance": "supports",
    "sources-0-accessed": "2025-05-07",
    "sources-1-url": "http://transit.example/report",
    "sources-1-title": "Transit report",
    "sources-1-stance": "refutes",
}

RATIONALE = (
    "The **budget** says so; see https://city.example.org/budget.pdf.\n\n"
    "<script>alert('rationale')</script> [click](javascript:alert(1)) "
    "<img src=x onerror=alert(1)>"
)

JSON = {"Accept": "application/json"}


def verdict_data(**overrides: str) -> dict[str, str]:
    return {"rating": "true", "rationale": RATIONALE, "version": "", **SOURCES, **overrides}


def first_claim(db: Any, article_id: int) -> dict[str, Any]:
    return store.list_claims(db, article_id)[0]


def snapshot(db: Any) -> dict[str, list[tuple]]:
    tables = ["users", "articles", "claims", "verdicts", "sources", "audit_log"]
    return {
        t: [tuple(r) for r in db.execute(f"SELECT * FROM {t} ORDER BY id").fetchall()]  # noqa: S608
        for t in tables
        if t != "sources"
    } | {"sources": [tuple(r) for r in db.execute("SELECT * FROM sources").fetchall()]}


def verdict_form_html(html: str) -> str:
    match = re.search(r'<form id="verdict-form".*?</form>', html, re.S)
    assert match, "no verdict form"
    return match.group(0)


def panel_html(html: str) -> str:
    match = re.search(r'<section id="panel".*?</section>\s*</aside>', html, re.S)
    assert match, "no panel"
    return match.group(0)


# Selecting a claim ---------------------------------------------------------------------------


def test_select_claim(login: Any, db: Any, article_id: int) -> None:
    alice = login("alice")
    claims = store.list_claims(db, article_id)
    assert len(claims) >= 2
    for claim in claims:
        response = alice.get(f"/articles/{article_id}?claim={claim['id']}")
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        panel = panel_html(html)
        assert f'data-claim="{claim["id"]}"' in panel
        assert (
            unescape(re.search(r'<blockquote class="quote">(.*?)</blockquote>', panel).group(1))
            == claim["quote"]
        )
        assert f'action="/claims/{claim["id"]}/verdict"' in panel
        selected = re.findall(r'class="mark[^"]* selected"[^>]*data-claim="(\d+)"', html)
        assert selected and set(selected) == {str(claim["id"])}
    # the panel alone (for fetch) and the claim permalink
    one = claims[1]
    assert alice.get(f"/claims/{one['id']}/panel").status_code == 200
    link = alice.get(f"/claims/{one['id']}")
    assert link.status_code == 302
    assert link.headers["Location"] == f"/articles/{article_id}?claim={one['id']}#panel"


def test_review_page_as_json(login: Any, db: Any, article_id: int) -> None:
    alice = login("alice")
    claim = first_claim(db, article_id)
    data = alice.get(f"/articles/{article_id}?claim={claim['id']}", headers=JSON).get_json()
    assert data["article"]["body"] == BODY
    assert "original" not in data["article"]
    assert data["selected"]["id"] == claim["id"]
    assert "".join(s["text"] for s in data["segments"]) == BODY
    for c in data["claims"]:
        assert BODY[c["start"] : c["end"]] == c["quote"]
    assert [e["key"] for e in data["scale"]][:2] == ["true", "mostly-true"]


def test_only_checkworthy_filter(login: Any, db: Any, article_id: int) -> None:
    alice = login("alice")
    claim = first_claim(db, article_id)
    db.execute("UPDATE claims SET checkworthy = 0 WHERE id = ?", (claim["id"],))
    data = alice.get(f"/articles/{article_id}?only=checkworthy", headers=JSON).get_json()
    assert claim["id"] not in data["listed"]
    assert data["only_checkworthy"] is True


# Saving verdicts ---------------------------------------------------------------------------


def test_save_verdict_plain_form(login: Any, db: Any, article_id: int) -> None:
    alice = login("alice")
    claim = first_claim(db, article_id)
    response = alice.post(f"/claims/{claim['id']}/verdict", data=verdict_data())
    assert response.status_code == 302
    assert response.headers["Location"] == f"/articles/{article_id}?claim={claim['id']}"
    verdict = store.get_verdict(db, claim["id"], 3)
    assert verdict["rating"] == "true"
    assert verdict["rationale"] == RATIONALE
    assert verdict["version"] == 1
    assert [(s["url"], s["stance"]) for s in verdict["sources"]] == [
        ("https://city.example/budget.pdf", "supports"),
        ("http://transit.example/report", "refutes"),
    ]
    assert verdict["sources"][0]["accessed"] == "2025-05-07"
    assert verdict["sources"][0]["excerpt"] == "Total cost: 820 million euros."
    # the reloaded page shows the saved verdict in the form, with the next version
    html = alice.get(response.headers["Location"]).get_data(as_text=True)
    assert "Verdict saved." in html
    values = form_values(verdict_form_html(html))
    assert values["version"] == "1"
    assert values["rationale"] == RATIONALE
    assert values["sources-0-url"] == "https://city.example/budget.pdf"
    assert re.search(r'value="true" checked', html)
    assert_no_injected_markup(html)


def test_save_verdict_fetch(login: Any, db: Any, article_id: int) -> None:
    alice = login("alice")
    claim = first_claim(db, article_id)
    data = verdict_data()
    response = alice.client.post(
        f"/claims/{claim['id']}/verdict",
        data=data,
        headers={**JSON, "X-CSRFToken": alice.token},
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["ok"] is True
    assert body["version"] == 1
    assert body["verdict"]["rating"] == "true"
    assert [s["title"] for s in body["verdict"]["sources"]] == ["=Budget 2025", "Transit report"]
    # an update with the version just returned
    again = alice.client.post(
        f"/claims/{claim['id']}/verdict",
        data={**data, "rating": "mostly-true", "version": "1"},
        headers={**JSON, "X-CSRFToken": alice.token},
    )
    assert again.status_code == 200
    assert again.get_json()["version"] == 2
    assert store.get_verdict(db, claim["id"], 3)["rating"] == "mostly-true"


def test_rationale_markdown_is_rendered_sanitised(login: Any, db: Any, article_id: int) -> None:
    claim = first_claim(db, article_id)
    alice, bob = login("alice"), login("bob")
    assert alice.post(f"/claims/{claim['id']}/verdict", data=verdict_data()).status_code == 302
    assert (
        bob.post(f"/claims/{claim['id']}/verdict", data=verdict_data(rating="false")).status_code
        == 302
    )
    for url in [f"/articles/{article_id}?claim={claim['id']}", f"/articles/{article_id}/report"]:
        html = bob.get(url).get_data(as_text=True)
        assert "<strong>budget</strong>" in html
        assert (
            'href="https://city.example.org/budget.pdf" rel="noopener noreferrer nofollow"' in html
        )
        assert "&lt;script&gt;alert(" in html
        assert_no_injected_markup(html)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"rating": ""}, "rating", "Choose a verdict"),
        ({"rating": "sort-of"}, "rating", "Not a valid choice"),
        ({"sources-0-stance": "agrees"}, "sources-0-stance", "Not a valid choice"),
        ({"sources-0-accessed": "yesterday"}, "sources-0-accessed", "date"),
        ({"rationale": "x" * 50_001}, "rationale", "50000"),
    ],
)
def test_invalid_verdict_keeps_input(
    login: Any, db: Any, article_id: int, overrides: dict, field: str, message: str
) -> None:
    alice = login("alice")
    claim = first_claim(db, article_id)
    data = verdict_data(**overrides)
    response = alice.post(f"/claims/{claim['id']}/verdict", data=data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    panel = panel_html(html)
    assert message.lower() in " ".join(re.findall(r'field-error">([^<]*)<', panel)).lower()
    values = form_values(panel)
    for key in ("rationale", "sources-0-title", "sources-1-url"):
        if key != field:
            assert values[key] == data[key]
    assert store.get_verdict(db, claim["id"], 3) is None
    json_response = alice.post(f"/claims/{claim['id']}/verdict", data=data, headers=JSON)
    assert json_response.status_code == 400
    assert json_response.get_json()["fields"]


def test_source_without_url_is_refused(login: Any, db: Any, article_id: int) -> None:
    alice = login("alice")
    claim = first_claim(db, article_id)
    data = verdict_data(**{"sources-1-url": ""})
    response = alice.post(f"/claims/{claim['id']}/verdict", data=data)
    assert response.status_code == 400
    assert "Source 2" in response.get_data(as_text=True)
    assert form_values(verdict_form_html(response.get_data(as_text=True)))["sources-1-title"] == (
        "Transit report"
    )
    assert store.get_verdict(db, claim["id"], 3) is None


def test_stale_version_plain_form(login: Any, db: Any, article_id: int) -> None:
    alice = login("alice")
    claim = first_claim(db, article_id)
    url = f"/claims/{claim['id']}/verdict"
    assert alice.post(url, data=verdict_data()).status_code == 302
    # another tab saves version 2 ...
    assert (
        alice.post(url, data=verdict_data(rationale="Other tab.", version="1")).status_code == 302
    )
    # ... and this tab, still on version 1, saves its own text
    mine = verdict_data(rating="half-true", rationale="My careful **merge** text.", version="1")
    response = alice.post(url, data=mine)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    conflict = re.search(r'<div class="conflict".*?</div>\s*</div>', html, re.S).group(0)
    assert "Other tab." in conflict
    assert "version 2" in conflict
    values = form_values(verdict_form_html(html))
    assert values["rationale"] == "My careful **merge** text."
    assert values["version"] == "2"  # saving again now merges over version 2
    assert re.search(r'value="half-true" checked', html)
    stored = store.get_verdict(db, claim["id"], 3)
    assert (stored["rationale"], stored["version"]) == ("Other tab.", 2)
    # saving the merged text with the new version works
    assert alice.post(url, data={**mine, "version": values["version"]}).status_code == 302
    assert store.get_verdict(db, claim["id"], 3)["rationale"] == "My careful **merge** text."


def test_stale_version_json(login: Any, db: Any, article_id: int) -> None:
    alice = login("alice")
    claim = first_claim(db, article_id)
    url = f"/claims/{claim['id']}/verdict"
    alice.post(url, data=verdict_data())
    alice.post(url, data=verdict_data(rationale="Other tab.", version="1"))
    response = alice.post(url, data=verdict_data(rationale="Stale.", version="1"), headers=JSON)
    assert response.status_code == 409
    body = response.get_json()
    assert body["status"] == 409
    assert body["current"]["rationale"] == "Other tab."
    assert body["current"]["version"] == 2
    assert len(body["current"]["sources"]) == 2
    assert store.get_verdict(db, claim["id"], 3)["rationale"] == "Other tab."


def test_repeated_submit_is_not_a_conflict(login: Any, db: Any, article_id: int) -> None:
    alice = login("alice")
    claim = first_claim(db, article_id)
    url = f"/claims/{claim['id']}/verdict"
    data = verdict_data()
    assert alice.post(url, data=data).status_code == 302
    before = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    assert alice.post(url, data=data).status_code == 302  # a double click: same form again
    assert db.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before
    assert store.get_verdict(db, claim["id"], 3)["version"] == 1


def test_verdict_under_a_write_lock(login: Any, db: Any, app: Any, article_id: int) -> None:
    alice = login("alice")
    claim = first_claim(db, article_id)
    app.config["BUSY_TIMEOUT_MS"] = 50
    data = verdict_data(rationale="Long careful rationale.")
    with write_lock(app):
        response = alice.post(f"/claims/{claim['id']}/verdict", data=data)
        json_response = alice.post(f"/claims/{claim['id']}/verdict", data=data, headers=JSON)
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    html = response.get_data(as_text=True)
    assert "busy" in html
    assert form_values(verdict_form_html(html))["rationale"] == "Long careful rationale."
    assert json_response.status_code == 503
    assert "busy" in json_response.get_json()["error"]
    assert store.get_verdict(db, claim["id"], 3) is None


# Blind review ------------------------------------------------------------------------------


def test_blind_review(login: Any, db: Any, article_id: int) -> None:
    claim = first_claim(db, article_id)
    url = f"/articles/{article_id}?claim={claim['id']}"
    alice, bob = login("alice"), login("bob")
    secret = "Secret reasoning about the 820 million budget."
    alice.post(
        f"/claims/{claim['id']}/verdict", data=verdict_data(rating="false", rationale=secret)
    )
    before = bob.get(url).get_data(as_text=True)
    assert secret not in before
    # Not even how many others gave a verdict (#12): the same words as with none.
    hidden = "are shown once you save yours"
    assert hidden in before and "other reviewer gave" not in before
    assert "<strong>alice</strong>" not in before
    other = store.list_claims(db, article_id)[1]
    assert hidden in bob.get(f"/claims/{other['id']}/panel").get_data(as_text=True)
    data = bob.get(url, headers=JSON).get_json()
    assert data["other_verdicts"] == []
    assert data["others_hidden"] is True
    assert bob.get(f"/articles/{other['article_id']}?claim={other['id']}", headers=JSON).get_json()[
        "others_hidden"
    ]
    assert secret not in bob.get(f"/claims/{claim['id']}/panel").get_data(as_text=True)
    assert secret not in bob.get(f"/claims/{claim['id']}/history").get_data(as_text=True)
    # after bob saves his own verdict he sees alice's
    bob.post(f"/claims/{claim['id']}/verdict", data=verdict_data(rating="true", rationale="Bob's."))
    after = bob.get(url).get_data(as_text=True)
    assert secret in after
    assert "<strong>alice</strong>" in after
    assert [v["reviewer"] for v in bob.get(url, headers=JSON).get_json()["other_verdicts"]] == [
        "alice"
    ]
    assert secret in bob.get(f"/claims/{claim['id']}/history").get_data(as_text=True)
    # editors see every verdict at once
    edna = login("edna")
    assert secret in edna.get(url).get_data(as_text=True)


# Adding, editing, dismissing claims -----------------------------------------------------------


def test_add_claim_by_offsets(login: Any, db: Any, article_id: int) -> None:
    alice = login("alice")
    quote = "according to the finance department"
    start = BODY.index(quote)
    response = alice.post(
        f"/articles/{article_id}/claims",
        data={"quote": quote, "start": str(start), "end": str(start + len(quote)), "text": ""},
    )
    assert response.status_code == 302
    claim_id = int(re.search(r"claim=(\d+)", response.headers["Location"]).group(1))
    claim = store.get_claim(db, claim_id)
    assert (claim["start"], claim["end"], claim["quote"]) == (start, start + len(quote), quote)
    assert claim["origin"] == "manual"
    assert "Claim added." in alice.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize(
    ("quote", "start", "expected"),
    [
        ("Mayor Ana Lopez said", None, "Mayor Ana Lopez said"),
        ("  Mayor Ana Lopez said \n", None, "Mayor Ana Lopez said"),
        ("Mayor Ana Lopez said", 3, "Mayor Ana Lopez said"),  # a wrong offset: found by text
        ("Mayor Ana Lopez said", -1, "Mayor Ana Lopez said"),
        # a selection with the blank space before it, at its exact offset
        ("\n\nMayor Ana Lopez said", BODY.index("Mayor") - 2, "Mayor Ana Lopez said"),
        ("\r\n\r\nMayor Ana Lopez said ", BODY.index("Mayor") - 2, "Mayor Ana Lopez said"),
        ("tram line", None, "tram line"),  # first occurrence without an offset
    ],
)
def test_add_claim_by_quote_only(
    login: Any, db: Any, article_id: int, quote: str, start: int | None, expected: str
) -> None:
    alice = login("alice")
    data = {"quote": quote, "text": "Wording of my own"}
    if start is not None:
        data["start"] = str(start)
    response = alice.post(f"/articles/{article_id}/claims", data=data, headers=JSON)
    assert response.status_code == 201, response.get_json()
    claim = response.get_json()["claim"]
    assert claim["quote"] == expected
    assert BODY[claim["start"] : claim["end"]] == expected
    assert claim["start"] == BODY.index(expected)
    assert claim["text"] == "Wording of my own"


def test_add_claim_nearest_occurrence(login: Any, db: Any, article_id: int) -> None:
    alice = login("alice")
    second = BODY.index("the", BODY.index("the") + 1) + 200
    expected = min(
        (m.start() for m in re.finditer("the", BODY)), key=lambda offset: abs(offset - second)
    )
    response = alice.post(
        f"/articles/{article_id}/claims",
        data={"quote": "the", "start": str(second)},
        headers=JSON,
    )
    assert response.status_code == 201
    assert response.get_json()["claim"]["start"] == expected


def test_add_claim_with_crlf_quote(login: Any, db: Any) -> None:
    alice = login("alice")
    article = alice.post(
        "/articles/new", data={"title": "T", "body": SAMPLE_ARTICLE.replace("\n", "\r\n")}
    )
    article_id = int(article.headers["Location"].rsplit("/", 1)[1])
    quote = "finance department.\r\n\r\nMayor Ana Lopez"  # a selection across paragraphs
    response = alice.post(f"/articles/{article_id}/claims", data={"quote": quote}, headers=JSON)
    assert response.status_code == 201, response.get_json()
    claim = response.get_json()["claim"]
    assert BODY[claim["start"] : claim["end"]] == claim["quote"]
    assert "\r" not in claim["quote"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"quote": "This sentence is not in the article."}, "not in the article"),
        ({"quote": ""}, "Select a passage"),
        ({"quote": "   "}, "Select a passage"),
    ],
)
def test_add_claim_refused(login: Any, db: Any, article_id: int, data: dict, message: str) -> None:
    alice = login("alice")
    before = len(store.list_claims(db, article_id))
    response = alice.post(f"/articles/{article_id}/claims", data={**data, "text": "My words"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    add_form = re.search(r'<form id="add-claim".*?</form>', html, re.S).group(0)
    assert form_values(add_form)["text"] == "My words"  # the input is kept
    assert form_values(add_form)["quote"] == data["quote"]
    json_response = alice.post(f"/articles/{article_id}/claims", data=data, headers=JSON)
    assert json_response.status_code == 400
    assert message in json_response.get_json()["error"]
    assert len(store.list_claims(db, article_id)) == before


def test_add_existing_claim_is_refused(login: Any, db: Any, article_id: int) -> None:
    alice = login("alice")
    claim = first_claim(db, article_id)
    response = alice.post(
        f"/articles/{article_id}/claims",
        data={"quote": claim["quote"], "start": str(claim["start"])},
        headers=JSON,
    )
    assert response.status_code == 400
    assert "already" in response.get_json()["error"]


def test_edit_wording_keeps_the_anchor(login: Any, db: Any, article_id: int) -> None:
    store.update_settings(db, {"reviewers_shape_claims": True}, None)  # (direct edits)
    alice = login("alice")
    claim = first_claim(db, article_id)
    response = alice.post(
        f"/claims/{claim['id']}/edit", data={"text": "Council votes 31-12 for tram", "version": "1"}
    )
    assert response.status_code == 302
    edited = store.get_claim(db, claim["id"])
    assert edited["text"] == "Council votes 31-12 for tram"
    assert (edited["quote"], edited["start"], edited["end"]) == (
        claim["quote"],
        claim["start"],
        claim["end"],
    )
    assert BODY[edited["start"] : edited["end"]] == edited["quote"]
    assert edited["version"] == 2
    html = alice.get(response.headers["Location"]).get_data(as_text=True)
    assert "Claim wording saved." in html
    assert "Council votes 31-12 for tram" in html
    # a stale edit is refused and shows the current wording
    stale = alice.post(f"/claims/{claim['id']}/edit", data={"text": "Stale", "version": "1"})
    assert stale.status_code == 409
    panel = panel_html(stale.get_data(as_text=True))
    assert "changed by someone else" in panel
    # (the typed wording kept in the open form, at the claim's version now)
    assert '<details class="edit-claim" open data-refused>' in panel
    assert "Stale</textarea>" in panel
    assert 'id="version" name="version" required type="hidden" value="2"' in panel
    assert '<span id="claim-wording">Council votes 31-12 for tram</span>' in panel
    empty = alice.post(f"/claims/{claim['id']}/edit", data={"text": "", "version": "2"})
    assert empty.status_code == 400
    assert 'id="edit-error" role="alert">Give the claim' in empty.get_data(as_text=True)
    stale_json = alice.post(
        f"/claims/{claim['id']}/edit", data={"text": "Stale", "version": "1"}, headers=JSON
    )
    assert stale_json.status_code == 409
    assert stale_json.get_json()["current"]["text"] == "Council votes 31-12 for tram"
    assert store.get_claim(db, claim["id"])["text"] == "Council votes 31-12 for tram"


@pytest.mark.parametrize(
    "data", [{"text": "", "version": "1"}, {"text": "New"}, {"text": " ", "version": "1"}]
)
def test_edit_wording_refused(login: Any, db: Any, article_id: int, data: dict) -> None:
    store.update_settings(db, {"reviewers_shape_claims": True}, None)  # (direct edits)
    alice = login("alice")
    claim = first_claim(db, article_id)
    response = alice.post(f"/claims/{claim['id']}/edit", data=data, headers=JSON)
    assert response.status_code == 400
    assert store.get_claim(db, claim["id"])["text"] == claim["text"]


def test_dismiss_and_restore(login: Any, db: Any, article_id: int) -> None:
    store.update_settings(db, {"reviewers_shape_claims": True}, None)  # (direct edits)
    alice = login("alice")
    claim = first_claim(db, article_id)
    alice.post(f"/claims/{claim['id']}/verdict", data=verdict_data())
    count = len(store.list_claims(db, article_id))
    response = alice.post(f"/claims/{claim['id']}/dismiss", data={"version": "1"})
    assert response.status_code == 302
    assert store.get_claim(db, claim["id"])["dismissed"] is True
    html = alice.get(f"/articles/{article_id}").get_data(as_text=True)
    assert "1 dismissed" in html
    marks = re.findall(r'<a class="mark[^"]*"[^>]*data-claim="(\d+)"', html)
    assert str(claim["id"]) not in marks
    # nothing was deleted: the claim, its verdict and its sources are still stored
    assert len(store.list_claims(db, article_id)) == count
    assert store.get_verdict(db, claim["id"], 3)["sources"]
    # the selected dismissed claim offers "Restore"
    panel = panel_html(
        alice.get(f"/articles/{article_id}?claim={claim['id']}").get_data(as_text=True)
    )
    assert f'action="/claims/{claim["id"]}/restore"' in panel
    # a stale dismiss (version 1) changes nothing
    assert (
        alice.post(
            f"/claims/{claim['id']}/restore", data={"version": "1"}, headers=JSON
        ).status_code
        == 409
    )
    response = alice.post(f"/claims/{claim['id']}/restore", data={"version": "2"}, headers=JSON)
    assert response.status_code == 200
    assert response.get_json()["claim"]["dismissed"] is False
    marks = re.findall(
        r'<a class="mark[^"]*"[^>]*data-claim="(\d+)"',
        alice.get(f"/articles/{article_id}").get_data(as_text=True),
    )
    assert str(claim["id"]) in marks


def test_claim_history(login: Any, db: Any, article_id: int) -> None:
    store.update_settings(db, {"reviewers_shape_claims": True}, None)  # (direct edits)
    alice = login("alice")
    claim = first_claim(db, article_id)
    alice.post(f"/claims/{claim['id']}/edit", data={"text": "Reworded claim", "version": "1"})
    alice.post(f"/claims/{claim['id']}/dismiss", data={"version": "2"})
    alice.post(f"/claims/{claim['id']}/restore", data={"version": "3"})
    alice.post(f"/claims/{claim['id']}/verdict", data=verdict_data(rationale="First."))
    alice.post(
        f"/claims/{claim['id']}/verdict", data=verdict_data(rationale="Second.", version="1")
    )
    html = alice.get(f"/claims/{claim['id']}/history").get_data(as_text=True)
    rows = re.findall(r"<tr><td>[^<]*</td><td>([^<]*)</td><td>([^<]*)</td>", html)
    assert rows == [
        ("alice", "edit claim"),
        ("alice", "dismiss claim"),
        ("alice", "restore claim"),
        ("alice", "create verdict"),
        ("alice", "edit verdict"),
    ]
    assert "Reworded claim" in html
    assert "Second." in html
    data = alice.get(f"/claims/{claim['id']}/history", headers=JSON).get_json()
    assert [e["action"] for e in data["entries"]] == [
        "edit",
        "dismiss",
        "restore",
        "create",
        "edit",
    ]


# CSRF on every POST route ------------------------------------------------------------------


def post_routes(app: Any) -> list[str]:
    routes = []
    for rule in app.url_map.iter_rules():
        if "POST" in (rule.methods or set()):
            values = {arg: 1 for arg in rule.arguments}
            with app.test_request_context():
                from flask import url_for

                routes.append(url_for(rule.endpoint, **values))
    return sorted(routes)


def test_post_routes_are_known(app: Any) -> None:
    """A new POST route lands in the CSRF test below by itself; this lists what it covers."""
    assert set(post_routes(app)) >= {
        "/login",
        "/logout",
        "/articles/new",
        "/articles/1/claims",
        "/claims/1/verdict",
        "/claims/1/edit",
        "/claims/1/dismiss",
        "/claims/1/restore",
    }


@pytest.mark.parametrize("token", [None, "forged-token"])
def test_every_post_route_needs_a_csrf_token(
    app: Any, login: Any, db: Any, article_id: int, token: str | None
) -> None:
    # The admin may reach every route, so that only the CSRF check stands in the way.
    alice = login("admin")
    claim = first_claim(db, article_id)
    assert claim["id"] == 1
    data = {
        "title": "CSRF attempt",
        "body": "An article the attacker wants stored.",
        "quote": BODY[:30],
        "start": "0",
        "end": "30",
        "text": "Attacker's wording",
        "version": "1",
        "rating": "false",
        "rationale": "Attacker's verdict",
        "username": "alice",
        "password": "correct horse battery",
    }
    if token is not None:
        data["csrf_token"] = token
    before = snapshot(db)
    for url in post_routes(app):
        if url.startswith("/api/"):
            continue  # the API takes bearer tokens, never cookies (see tests/test_api.py)
        for headers in ({}, JSON):
            response = alice.client.post(url, data=data, headers=headers)
            assert response.status_code == 400, (url, headers, response.status_code)
            if headers:
                assert "token" in json.dumps(response.get_json()), url
            else:
                assert "token" in response.get_data(as_text=True)
    assert snapshot(db) == before
    assert alice.get("/").status_code == 200  # still logged in: logout was refused too
