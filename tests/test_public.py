"""Public verdict pages: published final verdicts only, the same 404 for everything else."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from factcheck import export, store
from factcheck.store import published
from tests.test_articles import assert_no_injected_markup
from tests.test_publish import page
from tests.test_store_exports import COURIER, build_desk

JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture
def desk(db: Any) -> dict[str, Any]:
    return build_desk(db)


def all_ids(db: Any, table: str) -> list[int]:
    return [row[0] for row in db.execute(f"SELECT id FROM {table}")]  # noqa: S608


def test_published_verdict_page(client: Any, desk: dict[str, Any]) -> None:
    first = desk["planet_claims"][0]
    response = client.get(f"/verdicts/{first}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Our verdict:" in html and '<strong class="badge tone-0">False</strong>' in html
    assert "The minutes say 27." in html  # the final verdict's reason
    assert "https://stats.example/tunnel" in html  # a source of an agreeing verdict
    assert "<mark>" in html and "Tunnel" in html
    for private in ("alice", "bob", "edna", "Wrong <strong>count"):  # no names, no dissent
        assert private not in html
    assert "<nav>" not in html  # no app navigation for visitors
    (script,) = JSONLD.findall(html)
    doc = json.loads(script)
    assert doc["@type"] == "ClaimReview"
    assert doc["url"] == f"http://localhost/verdicts/{first}"  # (the request's address)
    assert not [i for i in export.validate_claimreview(doc) if i["level"] == "error"]
    assert_no_injected_markup(JSONLD.sub("", html))


def test_corrections_are_public(client: Any, desk: dict[str, Any]) -> None:
    html = client.get(f"/verdicts/{desk['planet_claims'][1]}").get_data(as_text=True)
    assert '<strong class="badge tone-3">Mostly true</strong>' in html
    assert "The budget figure is rounded." in html
    assert re.search(
        r"<dt>Verdict</dt><dd><span class=\"old\"><span class=\"sr\">was </span>True", html
    )


def test_public_article_page(client: Any, desk: dict[str, Any]) -> None:
    html = client.get(f"/verdicts/article/{desk['planet']}").get_data(as_text=True)
    first, second, third = desk["planet_claims"][:3]
    assert f'href="/verdicts/{first}"' in html and f'href="/verdicts/{second}"' in html
    assert f'id="claim-{third}"' not in html  # no final verdict: not public
    data = client.get(f"/verdicts/article/{desk['planet']}?_format=json").get_json()
    assert [c["id"] for c in data["claims"]] == [first, second]
    assert "alice" not in json.dumps(data) and "body" not in data["article"]


def test_script_in_claim_wording_cannot_end_the_jsonld(
    client: Any, db: Any, desk: dict[str, Any]
) -> None:
    first = desk["planet_claims"][0]
    store.publish_correction(
        db,
        first,
        desk["users"]["edna"],
        "Wording.",
        text="Tunnel </script><script>alert(1)</script>",
    )
    html = client.get(f"/verdicts/{first}").get_data(as_text=True)
    (script,) = JSONLD.findall(html)
    assert "</script>" not in script and "\\u003c/script\\u003e" in script
    assert json.loads(script)["claimReviewed"].startswith("Tunnel </script>")
    assert_no_injected_markup(JSONLD.sub("", html))


def test_nothing_unpublished_is_reachable_without_login(
    app: Any, client: Any, db: Any, desk: dict[str, Any]
) -> None:
    """Every claim and article id, and every GET route of the app, as an anonymous visitor."""
    public_claims = set(desk["planet_claims"][:2])
    pages = {}
    for claim_id in [*all_ids(db, "claims"), 999_999]:
        response = client.get(f"/verdicts/{claim_id}")
        assert response.status_code == (200 if claim_id in public_claims else 404), claim_id
        if response.status_code == 404:
            page = response.get_data(as_text=True).replace(f"claim {claim_id}.", "claim N.")
            pages[claim_id] = re.sub(r'name="csrf-token" content="[^"]*"', "", page)
    assert len(set(pages.values())) == 1  # unpublished and nonexistent look the same
    for article_id in [*all_ids(db, "articles"), 999_999]:
        response = client.get(f"/verdicts/article/{article_id}")
        assert response.status_code == (200 if article_id == desk["planet"] else 404)

    secret = COURIER.split("\n")[2][:40]  # text of the unpublished article
    values = {
        "article_id": desk["courier"],
        "claim_id": desk["courier_claims"][0],
        "user_id": desk["users"]["alice"],
        "token_id": 1,
        "fmt": "json",
        "filename": "app.css",
    }
    open_endpoints = {"auth.login", "static", "api.openapi", "public.verdict", "public.article"}
    checked = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        args = {name: values.get(name, 1) for name in rule.arguments}
        url = rule.build(args, append_unknown=False)[1]
        response = client.get(url)
        body = response.get_data(as_text=True)
        assert secret not in body, url
        if rule.endpoint not in open_endpoints:
            assert response.status_code in (302, 401, 404), (url, response.status_code)
        checked += 1
    assert checked > 20


def test_withdrawing_an_article_says_so(client: Any, db: Any, desk: dict[str, Any]) -> None:
    """Something once public keeps its address: it says when and why it was withdrawn."""
    first = desk["planet_claims"][0]
    assert client.get(f"/verdicts/{first}").status_code == 200
    with pytest.raises(store.Invalid):
        store.publish_article(db, desk["planet"], desk["users"]["edna"], publish=False)
    store.publish_article(
        db, desk["planet"], desk["users"]["edna"], publish=False, note="The article was retracted."
    )
    for url in (f"/verdicts/{first}", f"/verdicts/article/{desk['planet']}"):
        response = client.get(url)
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "withdrawn on" in html and "The article was retracted." in html
    assert not JSONLD.findall(client.get(f"/verdicts/{first}").get_data(as_text=True))


def test_a_live_dismissal_changes_nothing_public(
    client: Any, db: Any, desk: dict[str, Any]
) -> None:
    first = desk["planet_claims"][0]
    before = page(client, f"/verdicts/{first}")
    claim = store.get_claim(db, first)
    store.set_claim_dismissed(db, first, True, claim["version"], None)
    assert page(client, f"/verdicts/{first}") == before


def test_the_public_article_page_reads_one_snapshot(
    client: Any, db: Any, desk: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A correction published while the page reads its claims is not half in it."""
    from factcheck.store import publish, published

    url = f"/verdicts/article/{desk['planet']}"
    before = page(client, url)
    real = published._legacy_corrections
    fired: list[int] = []

    def midway(*args: Any) -> Any:
        if not fired:
            fired.append(1)
            for claim_id in desk["planet_claims"][:2]:
                publish.publish_correction(
                    db, claim_id, desk["users"]["edna"], "Midway.", text=f"Midway {claim_id}"
                )
        return real(*args)

    monkeypatch.setattr(published, "_legacy_corrections", midway)
    assert page(client, url) == before and fired
    after = page(client, url)
    assert after.count("Midway.") == 2


def test_a_claim_of_the_publication_and_its_claimant_corrected(
    client: Any, db: Any, desk: dict[str, Any]
) -> None:
    """A claim the article states in its own voice is the publication's, on the public pages
    as in its ClaimReview author; a correction naming its real claimant shows who it was
    attributed to before (the publication, not "none") and who now, with their kinds, in one
    row."""
    first = desk["planet_claims"][0]
    edna = desk["users"]["edna"]
    assert store.latest_version(db, first)["claimant"] is None
    html = page(client, f"/verdicts/{first}")
    assert "Claim by <strong>Daily Planet</strong> (the publication)" in html
    doc = json.loads(JSONLD.findall(html)[0])
    assert doc["itemReviewed"]["author"]["name"] == "Daily Planet"
    assert "Claim by <strong>Daily Planet</strong> (the publication)" in page(
        client, f"/verdicts/article/{desk['planet']}"
    )
    store.publish_correction(
        db, first, edna, "The count is the port's.", claimant=("Port authority", "organization")
    )
    html = page(client, f"/verdicts/{first}")
    assert "Claim by <strong>Port authority</strong>" in html
    changes = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", html)
    assert [(field, re.sub(r"<[^>]+>", "", value)) for field, value in changes] == [
        ("Claimant", "was Daily Planet (the publication) → now Port authority (organization)")
    ]
    # back to the publication
    store.publish_correction(db, first, edna, "Our own count after all.", claimant=(None, None))
    html = page(client, f"/verdicts/{first}")
    assert "Claim by <strong>Daily Planet</strong> (the publication)" in html
    rows = [re.sub(r"<[^>]+>", "", v) for _, v in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", html)]
    assert "was Port authority (organization) → now Daily Planet (the publication)" in rows


def test_the_fact_checks_date_is_told_apart_from_the_articles(
    client: Any, desk: dict[str, Any]
) -> None:
    """Both pages give two dates, the article's and the fact-check's: each says which it is
    (a bare "Published 2026-…" under the article's own "published 2025-…" reads as the
    article's date)."""
    first = desk["planet_claims"][0]
    for url in (f"/verdicts/{first}", f"/verdicts/article/{desk['planet']}"):
        text = " ".join(re.sub(r"<[^>]+>", " ", page(client, url)).split())
        assert "published 2025-05-06" in text  # the article's date
        assert re.search(r"Fact-checks? published \d{4}-\d\d-\d\d", text), url
        assert not re.search(r"(?<!Fact-check )(?<!Fact-checks )Published \d{4}", text), url


def _visible(html: str) -> str:
    """The page's text between its tags (what a reader sees), with the <title> left out."""
    html = re.sub(r"<title>.*?</title>|<script.*?</script>", "", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_withdrawn_claim_reads_as_withdrawn(client: Any, db: Any, desk: dict[str, Any]) -> None:
    """No live verdict badge under the notice: what the claim said is kept, set apart and
    marked as the withdrawn version, and the page says who withdrew it (the desk)."""
    first = desk["planet_claims"][0]
    store.withdraw_claim(db, first, desk["users"]["edna"], "The claim was never made.")
    html = page(client, f"/verdicts/{first}")
    assert "Our verdict:" not in html
    assert '<strong class="badge' not in html  # (the live badge's markup)
    assert "<title>Withdrawn fact-check:" in html
    text = _visible(html)
    assert "This fact-check was withdrawn on" in text
    assert "Withdrawn by factcheck desk. Why: The claim was never made." in text
    assert "It is no longer our verdict." in text
    notice, rest = html.split('<section class="withdrawn-version"', 1)
    assert "The claim was never made." in notice and "False" not in _visible(notice)
    # the old verdict only inside the withdrawn version, struck through and labelled
    assert "The withdrawn version" in rest
    assert (
        'Verdict when withdrawn (no longer in force):</span> <s class="badge tone-none">False</s>'
        in rest
    )
    assert "Why (as withdrawn)" in rest and "The minutes say 27." in rest
    assert not JSONLD.findall(html)
    # nor on the article's page: listed as withdrawn, without its verdict
    article = page(client, f"/verdicts/article/{desk['planet']}")
    listed = article.split('<section class="withdrawn-claims">', 1)[1]
    assert f'href="/verdicts/{first}"' in listed and "badge" not in listed
    assert "withdrawn by factcheck desk on" in _visible(listed)
    for name in ("edna", "alice", "bob"):  # the desk, never the person
        assert name not in html and name not in article
    # nor in the page's JSON: no verdict in force, what it said is the withdrawn version
    data = client.get(f"/verdicts/{first}?_format=json").get_json()["claim"]
    assert data["status"] == "withdrawn"
    assert "verdict" not in data and "rating" not in data and "tone" not in data
    said = data["withdrawn"]["version"]
    assert (said["verdict"], said["rating"], said["reason"]) == (
        "False",
        "false",
        "The minutes say 27.",
    )
    assert data["withdrawn"]["note"] == "The claim was never made."
    listed = client.get(f"/verdicts/article/{desk['planet']}?_format=json").get_json()
    assert first not in [c["id"] for c in listed["claims"]]
    (gone,) = listed["withdrawn_claims"]
    assert gone["id"] == first and "verdict" not in gone
    live = client.get(f"/verdicts/{desk['planet_claims'][1]}?_format=json").get_json()["claim"]
    assert live["status"] == "published" and live["verdict"] == "Mostly true"


def test_a_withdrawn_article_reads_as_withdrawn(client: Any, db: Any, desk: dict[str, Any]) -> None:
    first, second = desk["planet_claims"][:2]
    store.publish_article(
        db, desk["planet"], desk["users"]["edna"], publish=False, note="The article was retracted."
    )
    for claim_id in (first, second):
        html = page(client, f"/verdicts/{claim_id}")
        assert "Our verdict:" not in html and '<strong class="badge' not in html
        assert "All fact-checks of this article were withdrawn by factcheck desk." in _visible(html)
        assert "The withdrawn version" in html
    article = page(client, f"/verdicts/article/{desk['planet']}")
    assert "badge" not in article and "Our verdict" not in article
    listed = article.split('<section class="withdrawn-claims">', 1)[1]
    assert f'href="/verdicts/{first}"' in listed and f'href="/verdicts/{second}"' in listed
    # the published exports and ClaimReview leave them out
    records = list(store.export_records(db, store.ExportFilter(article_id=desk["planet"]), []))
    shown = published.published_view(records, [], unpublished=True)
    assert [r["claim"]["id"] for r in shown if r.get("claim")] == [desk["planet_claims"][2]]


def test_a_desk_change_to_a_withdrawn_claim_stays_off_its_public_page(
    client: Any, db: Any, desk: dict[str, Any]
) -> None:
    """Changing a withdrawn claim's final verdict at the desk (with its note) publishes
    nothing: its page still shows only the withdrawal, until a correction publishes it."""
    from tests.test_store_exports import RATINGS

    first = desk["planet_claims"][0]
    edna = desk["users"]["edna"]
    store.withdraw_claim(db, first, edna, "The claim was never made.")
    before = page(client, f"/verdicts/{first}")
    final = store.get_final_verdict(db, first)
    store.record_final_verdict(
        db, first, edna, "true", "Checked again.", final["version"], RATINGS,
        correction_note="Re-rated at the desk.",
    )  # fmt: skip
    assert page(client, f"/verdicts/{first}") == before
    assert "Re-rated at the desk." not in page(client, f"/verdicts/article/{desk['planet']}")
    # (the note is in the claim's history, and a correction publishes the change)
    history = [e for e in store.claim_history(db, first) if e["action"] == "correct"]
    assert history[-1]["after"]["note"] == "Re-rated at the desk."
    store.publish_correction(db, first, edna, "Republished, re-rated.")
    assert "Republished, re-rated." in page(client, f"/verdicts/{first}")
