"""The search page /claims/search and the "earlier checks of similar claims" in the panel:
HTML and JSON from one context, escaped highlighting, hostile queries, blind review."""

from __future__ import annotations

import re
from typing import Any

import pytest

from factcheck import store
from factcheck.config import DEFAULTS
from tests.test_sanitize import MARKDOWN_XSS, XSS, _Collect, _corpus
from tests.test_store_search import HOSTILE, make_article

RATINGS = [entry["key"] for entry in DEFAULTS["RATING_SCALE"]]
RESULT_TAGS = {"ol", "ul", "li", "a", "blockquote", "p", "span", "strong", "mark"}


def results_html(page: str) -> str:
    match = re.search(r'<ol class="search-results".*?</ol>', page, re.DOTALL)
    assert match, "no results list"
    return match.group(0)


def page_json(session: Any, query: str, **params: Any) -> dict[str, Any]:
    response = session.get(
        "/claims/search",
        query_string={"q": query, **params},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def test_search_page_html_and_json(login: Any, article_id: int) -> None:
    alice = login("alice")
    page = alice.get("/claims/search?q=tram+line").get_data(as_text=True)
    found = results_html(page)
    assert "<mark>tram</mark>" in found and "<mark>line</mark>" in found
    assert f'href="/articles/{article_id}?claim=' in found
    assert "Tram line" in found  # the article's title
    assert 'value="tram line"' in page  # the query stays in the box
    data = page_json(alice, "tram line")
    assert data["terms"] == ["tram", "line"] and data["message"] is None
    assert len(data["results"]) == 2
    result = data["results"][0]
    assert result["article"] == {
        "id": article_id,
        "title": "Tram line",
        "publisher": None,
        "published": "2025-05-06",
    }
    assert ["tram", True] in result["text_marked"]
    assert "".join(text for text, _ in result["text_marked"]) == result["text"]
    assert result["href"].startswith(f"/articles/{article_id}?claim={result['claim_id']}")
    same = alice.get("/claims/search?q=tram+line&_format=json").get_json()
    assert same == data


def test_menu_links_to_search(login: Any) -> None:
    page = login("bob").get("/queue").get_data(as_text=True)
    assert 'href="/claims/search"' in page


def test_empty_and_unsearchable_queries(login: Any, article_id: int) -> None:
    alice = login("alice")
    page = alice.get("/claims/search").get_data(as_text=True)
    assert "search-results" not in page and 'name="q"' in page
    data = page_json(alice, "*** ((")
    assert data["results"] == [] and "Type a word" in data["message"]
    page = alice.get("/claims/search", query_string={"q": '"'}).get_data(as_text=True)
    assert "Type a word" in page


@pytest.mark.parametrize("typed", HOSTILE, ids=lambda t: repr(t[:20]))
def test_hostile_queries_give_a_clean_page(login: Any, article_id: int, typed: str) -> None:
    alice = login("alice")
    response = alice.get("/claims/search", query_string={"q": typed})
    assert response.status_code == 200, typed[:40]
    page = response.get_data(as_text=True)
    assert "<h1>Search claims</h1>" in page
    assert "error" not in page.lower() or "syntax" not in page.lower()


def test_long_query_is_cut_with_a_message(login: Any, article_id: int) -> None:
    data = page_json(login("alice"), "tram " * 3000)
    assert data["truncated"] and "first 32 words" in data["message"]
    assert len(data["results"]) == 2


def test_pages(login: Any, db: Any) -> None:
    edna = login("edna")
    make_article(db, "Many", [f"Ferry number {n} sails at dawn." for n in range(45)])
    first = page_json(edna, "ferry")
    assert len(first["results"]) == 20 and first["has_next"] and first["offset"] == 0
    third = page_json(edna, "ferry", page=3)
    assert len(third["results"]) == 5 and not third["has_next"] and third["page"] == 3
    seen = {r["claim_id"] for p in (1, 2, 3) for r in page_json(edna, "ferry", page=p)["results"]}
    assert len(seen) == 45
    html = edna.get("/claims/search?q=ferry&page=2").get_data(as_text=True)
    assert 'rel="prev" href="/claims/search?q=ferry&amp;page=1"' in html
    assert 'rel="next" href="/claims/search?q=ferry&amp;page=3"' in html
    newest = page_json(edna, "ferry", sort="newest")
    ids = [r["claim_id"] for r in newest["results"]]
    assert newest["sort"] == "newest" and ids == sorted(ids, reverse=True) and len(ids) == 20
    html = edna.get("/claims/search?q=ferry&sort=newest&page=2").get_data(as_text=True)
    assert '<option value="newest" selected>' in html and "newest first." in html
    assert 'href="/claims/search?q=ferry&amp;sort=newest&amp;page=3"' in html
    assert page_json(edna, "ferry", sort="bogus")["sort"] == "relevance"
    assert edna.get("/claims/search?q=ferry&page=-4").status_code == 200
    assert edna.get("/claims/search?q=ferry&page=x").status_code == 200


def _payloads() -> list[str]:
    return XSS + MARKDOWN_XSS + _corpus()


def test_highlighting_is_escaped(login: Any, db: Any) -> None:
    """Claims whose wording and quote are XSS payloads: the matched word is marked, nothing
    of the payloads becomes markup."""
    payloads = _payloads()
    sentences = [f"zebra {p} zebra" for p in payloads]
    body = " ".join(sentences)
    claims, start = [], 0
    for sentence in sentences:
        quote = sentence
        claims.append({"start": start, "end": start + len(quote), "quote": quote, "text": sentence})
        start += len(sentence) + 1
    article = store.create_article(db, {"title": "<b>XSS</b> desk", "body": body}, claims, None)
    edna = login("edna")
    seen = 0
    for page in range(1, len(payloads) // 20 + 2):
        html = edna.get(f"/claims/search?q=zebra&page={page}").get_data(as_text=True)
        if "search-results" not in html:
            break
        found = results_html(html)
        parser = _Collect()
        parser.feed(found)
        parser.close()
        for tag, attrs in parser.tags:
            assert tag in RESULT_TAGS, (tag, attrs)
            assert all(not name.startswith("on") for name, _ in attrs), (tag, attrs)
            if tag == "a":
                assert attrs == [("class", "claim-link"), ("href", attrs[1][1])]
                assert attrs[1][1].startswith(f"/articles/{article}?claim=")
        assert set(re.findall(r"<mark>(.*?)</mark>", found)) == {"zebra"}
        assert "<script" not in found.lower()
        assert "&lt;b&gt;XSS&lt;/b&gt; desk" in found
        seen += found.count('class="search-result"')
    assert seen == len(payloads)


def test_dismissed_claims_are_not_found(login: Any, db: Any, article_id: int) -> None:
    alice = login("alice")
    assert len(page_json(alice, "tram line")["results"]) == 2
    claim = next(c for c in store.list_claims(db, article_id) if "voted" in c["text"])
    store.set_claim_dismissed(db, claim["id"], True, claim["version"], None)
    assert [r["claim_id"] for r in page_json(alice, "tram line")["results"]] != [claim["id"]]
    assert len(page_json(alice, "tram line")["results"]) == 1
    assert page_json(alice, "council voted")["results"] == []


# Earlier checks of similar claims, in the panel ----------------------------------------------


@pytest.fixture
def similar_desk(db: Any, article_id: int) -> dict[str, Any]:
    """An earlier article with a similar, settled claim; both assigned to alice and bob."""
    earlier = make_article(
        db,
        "Earlier tram story",
        [
            "The council approved a tram line costing 820 million euros.",
            "Nothing else here matters.",
        ],
        publisher="Courier",
    )
    earlier_article = store.get_claim(db, earlier[0])["article_id"]
    reviewers = [store.user_by_name(db, n)["id"] for n in ("alice", "bob")]
    store.set_assignments(db, earlier_article, reviewers, None)
    edna = store.user_by_name(db, "edna")
    store.record_verdict(db, earlier[0], reviewers[1], "mostly-false", "", [], None, RATINGS)
    store.record_final_verdict(
        db, earlier[0], edna["id"], "false", "Budget says 1.2 bn.", None, RATINGS
    )
    current = next(c for c in store.list_claims(db, article_id) if "820 million euros" in c["text"])
    return {"earlier": earlier[0], "current": current, "earlier_article": earlier_article}


def test_panel_loads_similar_claims_with_their_verdict(login: Any, similar_desk: dict) -> None:
    edna = login("edna")
    current = similar_desk["current"]["id"]
    panel = edna.get(f"/claims/{current}/panel").get_data(as_text=True)
    # The panel names where its similar claims come from (loaded once it is shown) and
    # links there for a browser without JavaScript.
    assert f'data-src="/claims/{current}/similar?partial=1"' in panel
    assert f'href="/claims/{current}/similar"' in panel
    fragment = edna.get(f"/claims/{current}/similar?partial=1").get_data(as_text=True)
    assert fragment.lstrip().startswith('<div class="similar-list">')
    assert "<html" not in fragment
    assert f'data-claim="{similar_desk["earlier"]}"' in fragment
    assert "Final verdict: <strong>False</strong>" in fragment
    assert "<mark>820</mark>" in fragment and "<mark>euros</mark>" in fragment
    page = edna.get(f"/claims/{current}/similar").get_data(as_text=True)
    assert "<html" in page and "Final verdict: <strong>False</strong>" in page
    data = similar_json(edna, current)
    assert data["claim"]["id"] == current
    assert [r["claim_id"] for r in data["similar"]][:1] == [similar_desk["earlier"]]
    # Only claims of other articles
    assert all(r["article_id"] != similar_desk["current"]["article_id"] for r in data["similar"])


def similar_json(session: Any, claim_id: int) -> dict[str, Any]:
    response = session.get(f"/claims/{claim_id}/similar", headers={"Accept": "application/json"})
    assert response.status_code == 200
    return response.get_json()


def test_claims_without_significant_words_have_no_similar(login: Any, db: Any) -> None:
    (claim,) = make_article(db, "Short", ["It is so."])
    make_article(db, "Other", ["It is so, and so it is."])
    edna = login("edna")
    assert similar_json(edna, claim)["similar"] == []
    assert "No similar claims" in edna.get(f"/claims/{claim}/similar?partial=1").get_data(
        as_text=True
    )


def test_blind_review_hides_verdicts_of_similar_claims(
    login: Any, db: Any, similar_desk: dict
) -> None:
    alice = login("alice")
    current = similar_desk["current"]["id"]

    def similar_of_alice() -> dict[str, Any]:
        data = similar_json(alice, current)
        return next(r for r in data["similar"] if r["claim_id"] == similar_desk["earlier"])

    hidden = similar_of_alice()
    assert hidden["final"] is None and hidden["ratings"] == [] and hidden["hidden_verdicts"] == 1
    html = alice.get(f"/claims/{current}/similar?partial=1").get_data(as_text=True)
    assert f'data-claim="{similar_desk["earlier"]}"' in html
    assert "Final verdict" not in html and "Mostly false" not in html
    assert "1 verdict hidden until you give yours on it" in html
    found = page_json(alice, "820 million euros")["results"]
    earlier = next(r for r in found if r["claim_id"] == similar_desk["earlier"])
    assert earlier["final"] is None and earlier["ratings"] == []
    # Once alice gives her own verdict on the earlier claim, she sees the others'.
    alice_id = store.user_by_name(db, "alice")["id"]
    store.record_verdict(db, similar_desk["earlier"], alice_id, "false", "", [], None, RATINGS)
    shown = similar_of_alice()
    assert shown["final"] == {"rating": "false", "label": "False"}
    assert {r["rating"] for r in shown["ratings"]} == {"false", "mostly-false"}
    # Blind review off: everyone sees everything.
    store.update_settings(db, {"blind_verdicts": False}, None)
    bob = login("bob")
    found = page_json(bob, "820 million euros")["results"]
    earlier = next(r for r in found if r["claim_id"] == similar_desk["earlier"])
    assert earlier["final"]["label"] == "False"


def test_unassigned_articles_are_never_found(login: Any, db: Any, similar_desk: dict) -> None:
    bob_id = store.user_by_name(db, "bob")["id"]
    alice_id = store.user_by_name(db, "alice")["id"]
    store.set_assignments(db, similar_desk["earlier_article"], [alice_id], None)
    bob = login("bob")
    assert all(
        r["article_id"] != similar_desk["earlier_article"]
        for r in page_json(bob, "820 million euros")["results"]
    )
    assert similar_json(bob, similar_desk["current"]["id"])["similar"] == []
    assert store.is_assigned(db, similar_desk["current"]["article_id"], bob_id)


def test_similar_claims_of_common_words_are_the_newest_holding_them_all(
    login: Any, db: Any, monkeypatch: Any
) -> None:
    """When every word of a claim is common, similar claims hold all of them, newest first
    (ranking them all would cost as much as the archive is large)."""
    from factcheck import search

    monkeypatch.setattr(search, "COMMON_WORD_CLAIMS", 3)
    (claim,) = make_article(db, "Now", ["Ferry fares rise again."])
    older = make_article(db, "Old", ["Ferry fares rise again and again.", "Ferry fares."])
    newer = make_article(db, "New", ["Again, ferry fares rise.", "Bus fares rise again."])
    found = [r["claim_id"] for r in similar_json(login("edna"), claim)["similar"]]
    assert found == [newer[0], older[0]]
    monkeypatch.setattr(search, "COMMON_WORD_CLAIMS", 2000)
    ranked = [r["claim_id"] for r in similar_json(login("edna"), claim)["similar"]]
    assert set(ranked) == {older[0], older[1], newer[0], newer[1]}
