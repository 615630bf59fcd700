"""The publish check: what goes out and what does not, settling the unanimous claims in one
step, confirming the state seen; and refused final-verdict forms keeping what was typed."""

from __future__ import annotations

import re
from typing import Any

import pytest

from factcheck import store
from factcheck.config import DEFAULT_RATING_SCALE
from factcheck.store import publish as store_publish
from factcheck.store import publish_check as store_check

SCALE_KEYS = [entry["key"] for entry in DEFAULT_RATING_SCALE]
JSON = {"Accept": "application/json"}
PUBLIC = {
    "ORG_URL": "https://checks.example.org/",
    "PERMALINK_TEMPLATE": "https://checks.example.org/verdicts/{claim_id}",
}


def uid(db: Any, name: str) -> int:
    return store.user_by_name(db, name)["id"]


def give(db: Any, claim_id: int, name: str, rating: str) -> dict[str, Any]:
    return store.record_verdict(db, claim_id, uid(db, name), rating, "", [], None, SCALE_KEYS)


@pytest.fixture
def desk(db: Any, article_id: int) -> dict[str, Any]:
    """The sample article's five claims: settled (76 characters), unanimous, disputed,
    without verdicts, dismissed."""
    claims = [c["id"] for c in store.list_claims(db, article_id)]
    settled, unanimous, disputed, unreviewed, dismissed = claims
    for claim in (settled, unanimous):
        give(db, claim, "alice", "mostly-true")
        give(db, claim, "bob", "mostly-true")
    give(db, disputed, "alice", "true")
    give(db, disputed, "bob", "false")
    store.record_final_verdict(db, settled, uid(db, "edna"), "true", "Checked.", None, SCALE_KEYS)
    store.set_claim_dismissed(db, dismissed, True, 1, None)
    return {
        "article_id": article_id,
        "settled": settled,
        "unanimous": unanimous,
        "disputed": disputed,
        "unreviewed": unreviewed,
        "dismissed": dismissed,
    }


def ids(entries: list[dict[str, Any]]) -> list[int]:
    return [e["id"] for e in entries]


def test_check_lists_what_goes_out_and_what_not(app: Any, db: Any, desk: dict) -> None:
    check = store_check.publish_check(db, desk["article_id"], app.config)
    assert ids(check["settled"]) == [desk["settled"]]
    assert ids(check["unanimous"]) == [desk["unanimous"]]
    assert ids(check["unsettled"]) == [desk["disputed"]]
    assert ids(check["no_verdict"]) == [desk["unreviewed"]]
    assert check["counts"]["dismissed"] == 1
    assert check["unanimous"][0]["rating"] == "mostly-true"
    assert check["unanimous"][0]["label"] == "Mostly true"
    assert check["settled"][0]["label"] == "True"
    assert check["ready"] is True
    # The settled claim's wording is 76 characters: over what Google shows.
    fields = [i["field"] for i in check["settled"][0]["issues"]]
    assert "claimReviewed" in fields
    # The defaults point at this machine: a warning for each address.
    article_fields = [i["field"] for i in check["article_issues"]]
    assert article_fields == ["ORG_URL", "PERMALINK_TEMPLATE"]
    assert check["state"] == store_publish.publish_state(db, desk["article_id"])


def test_check_date_unknown_and_public_addresses(app: Any, db: Any, desk: dict) -> None:
    db.execute("UPDATE articles SET published = NULL WHERE id = ?", (desk["article_id"],))
    db.conn.commit()
    check = store_check.publish_check(db, desk["article_id"], {**app.config, **PUBLIC})
    assert [i["field"] for i in check["article_issues"]] == ["published"]
    assert "date is unknown" in check["article_issues"][0]["message"]
    claim_fields = [i["field"] for i in check["settled"][0]["issues"]]
    assert "itemReviewed.datePublished" in claim_fields


def test_check_missing_claimant(app: Any, db: Any, desk: dict) -> None:
    db.execute(
        "UPDATE articles SET author = NULL, publisher = NULL WHERE id = ?", (desk["article_id"],)
    )
    db.conn.commit()
    check = store_check.publish_check(db, desk["article_id"], {**app.config, **PUBLIC})
    claim_fields = [i["field"] for i in check["settled"][0]["issues"]]
    assert "itemReviewed.author" in claim_fields


def test_unset_addresses_fall_back_on_the_served_address(app: Any, db: Any, desk: dict) -> None:
    config = {**app.config, "ORG_URL": None, "PERMALINK_TEMPLATE": None}
    served = store_check.publish_check(
        db, desk["article_id"], {**config, "PUBLIC_BASE_URL": "https://desk.example.org/"}
    )
    assert served["article_issues"] == []
    local = store_check.publish_check(
        db, desk["article_id"], {**config, "PUBLIC_BASE_URL": "http://127.0.0.1:8001/"}
    )
    assert [i["field"] for i in local["article_issues"]] == ["ORG_URL", "PERMALINK_TEMPLATE"]
    assert "is not set" in local["article_issues"][0]["message"]
    set_local = store_check.publish_check(
        db, desk["article_id"], {**config, "ORG_URL": "http://localhost:8000/"}
    )
    assert "ORG_URL points at this machine" in set_local["article_issues"][0]["message"]


def test_single_reviewer_desk_counts_one_verdict_as_unanimous(db: Any, desk: dict) -> None:
    give(db, desk["unreviewed"], "alice", "false")
    check = store_check.publish_check(db, desk["article_id"], {"RATING_SCALE": []})
    assert desk["unreviewed"] in ids(check["unsettled"])  # one of two reviewers
    store.update_settings(db, {"reviewers_per_article": 1}, None)
    check = store_check.publish_check(db, desk["article_id"], {"RATING_SCALE": []})
    assert ids(check["unanimous"]) == [desk["unanimous"], desk["unreviewed"]]


def test_check_page_html_and_json(login: Any, desk: dict) -> None:
    edna = login("edna")
    url = f"/articles/{desk['article_id']}/publish"
    page = edna.get(url)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Publish check" in html
    assert "Unanimous, not settled" in html and "No verdict yet" in html
    assert "points at this machine" in html
    assert f'value="{desk["unanimous"]}:mostly-true" checked' in html
    data = edna.get(url, headers=JSON).get_json()
    assert set(data) == {"check", "settle", "confirm", "history"}
    assert data["check"]["counts"]["settled"] == 1
    assert data["settle"]["selected"] == [desk["unanimous"]]


def test_review_page_publish_opens_the_check(login: Any, db: Any, desk: dict) -> None:
    edna = login("edna")
    html = edna.get(f"/articles/{desk['article_id']}").get_data(as_text=True)
    assert f'href="/articles/{desk["article_id"]}/publish">Publish' in html
    # The old one-click form is sent to the check; JSON clients are told how to publish.
    old = edna.post(f"/articles/{desk['article_id']}/publish", data={"publish": "1"})
    assert old.status_code == 303 and old.headers["Location"].endswith("/publish")
    refused = edna.post(
        f"/articles/{desk['article_id']}/publish", data={"publish": "1"}, headers=JSON
    )
    assert refused.status_code == 409
    assert refused.get_json()["check"] == f"/articles/{desk['article_id']}/publish"
    assert store.get_article(db, desk["article_id"])["published_at"] is None


def test_settle_all_unanimous_in_one_step(login: Any, db: Any, desk: dict) -> None:
    give(db, desk["unreviewed"], "alice", "false")
    give(db, desk["unreviewed"], "bob", "false")
    edna = login("edna")
    response = edna.post(
        f"/articles/{desk['article_id']}/publish/settle",
        data={
            "claims": [f"{desk['unanimous']}:mostly-true", f"{desk['unreviewed']}:false"],
            "reason": "Both reviewers' sources agree.",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/articles/{desk['article_id']}/publish")
    for claim, rating in ((desk["unanimous"], "mostly-true"), (desk["unreviewed"], "false")):
        final = store.get_final_verdict(db, claim)
        assert (final["rating"], final["reason"], final["decided_by"]) == (
            rating,
            "Both reviewers' sources agree.",
            uid(db, "edna"),
        )
        history = store.claim_history(db, claim)
        assert [e["action"] for e in history if e["table_name"] == "final_verdicts"] == ["create"]
    check = edna.get(f"/articles/{desk['article_id']}/publish", headers=JSON).get_json()["check"]
    assert check["unanimous"] == []
    assert ids(check["settled"]) == [desk["settled"], desk["unanimous"], desk["unreviewed"]]
    html = edna.get(response.headers["Location"]).get_data(as_text=True)
    assert "Settled 2 unanimous claims" in html


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"reason": "   "}, "reason", "Give a reason"),
        ({"reason": "Agreed."}, "claims", "Choose at least one claim"),
    ],
)
def test_settle_refused_keeps_input(
    login: Any, db: Any, desk: dict, data: dict, field: str, message: str
) -> None:
    edna = login("edna")
    url = f"/articles/{desk['article_id']}/publish/settle"
    if field == "reason":
        data = {**data, "claims": [f"{desk['unanimous']}:mostly-true"]}
    response = edna.post(url, data=data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html and "data-refused" in html
    if field == "reason":
        assert re.search(r'<textarea name="reason"[^>]* autofocus>', html)
        assert f'value="{desk["unanimous"]}:mostly-true" checked' in html
    else:
        assert ">Agreed.</textarea>" in html
        # left unticked, as sent, and focused
        assert f'value="{desk["unanimous"]}:mostly-true" autofocus>' in html
    assert store.get_final_verdict(db, desk["unanimous"]) is None
    as_json = edna.post(url, data=data, headers=JSON)
    assert as_json.status_code == 400 and as_json.get_json()["field"] == field


def test_settle_all_or_nothing_when_a_claim_changed(login: Any, db: Any, desk: dict) -> None:
    give(db, desk["unreviewed"], "alice", "false")
    give(db, desk["unreviewed"], "bob", "false")
    edna = login("edna")
    # bob changes his mind after the check was opened
    bob_verdict = store.get_verdict(db, desk["unreviewed"], uid(db, "bob"))
    store.record_verdict(
        db, desk["unreviewed"], uid(db, "bob"), "true", "", [], bob_verdict["version"], SCALE_KEYS
    )
    response = edna.post(
        f"/articles/{desk['article_id']}/publish/settle",
        data={
            "claims": [f"{desk['unanimous']}:mostly-true", f"{desk['unreviewed']}:false"],
            "reason": "Agreed by all.",
        },
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert f"(claim {desk['unreviewed']})" in html and ">Agreed by all.</textarea>" in html
    assert store.get_final_verdict(db, desk["unanimous"]) is None  # nothing settled
    assert store.get_final_verdict(db, desk["unreviewed"]) is None


def test_settle_unanimous_store_rules(db: Any, desk: dict) -> None:
    edna = uid(db, "edna")
    article = desk["article_id"]
    with pytest.raises(store.Conflict) as raised:  # the rating seen is not theirs
        store_check.settle_unanimous(
            db, article, edna, {desk["unanimous"]: "false"}, "x", SCALE_KEYS
        )
    assert raised.value.current == {"claims": [desk["unanimous"]]}
    for claim in (desk["settled"], desk["disputed"], desk["dismissed"], 999_999):
        with pytest.raises(store.Conflict):
            store_check.settle_unanimous(db, article, edna, {claim: "true"}, "x", SCALE_KEYS)
    with pytest.raises(store.Invalid):
        store_check.settle_unanimous(
            db, article, edna, {desk["unanimous"]: "mostly-true"}, "", SCALE_KEYS
        )
    with pytest.raises(store.Invalid):
        store_check.settle_unanimous(
            db, article, edna, {desk["unanimous"]: "nonsense"}, "x", SCALE_KEYS
        )
    store_check.settle_unanimous(
        db, article, edna, {desk["unanimous"]: "mostly-true"}, "x", SCALE_KEYS
    )
    assert store.get_final_verdict(db, desk["unanimous"])["rating"] == "mostly-true"


def test_confirm_notices_a_claim_settled_in_between(login: Any, db: Any, desk: dict) -> None:
    edna = login("edna")
    url = f"/articles/{desk['article_id']}/publish"
    seen = edna.get(url, headers=JSON).get_json()["check"]["state"]
    # another editor settles a claim while the check is open
    store.record_final_verdict(
        db, desk["disputed"], uid(db, "admin"), "half-true", "", None, SCALE_KEYS
    )
    response = edna.post(url + "/confirm", data={"state": seen})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert f"newly settled: claim {desk['disputed']}" in html
    assert "Nothing was published" in html
    assert store.get_article(db, desk["article_id"])["published_at"] is None
    # the check shown again carries the new state: confirming it publishes
    fresh = re.search(r'name="state" value="([^"]*)"', html).group(1)
    assert fresh != seen
    done = edna.post(url + "/confirm", data={"state": fresh})
    assert done.status_code == 302
    assert store.get_article(db, desk["article_id"])["published_at"] is not None
    assert "Published the final verdicts of 2 claims" in edna.get(
        done.headers["Location"]
    ).get_data(as_text=True)


def test_confirm_notices_unsettled_and_changed_claims(db: Any, desk: dict) -> None:
    edna = uid(db, "edna")
    seen = store_publish.publish_state(db, desk["article_id"])
    final = store.get_final_verdict(db, desk["settled"])
    store.record_final_verdict(
        db, desk["settled"], edna, "false", "Recounted.", final["version"], SCALE_KEYS
    )
    with pytest.raises(store.Conflict) as raised:
        store_check.publish_confirmed(db, desk["article_id"], edna, seen)
    assert raised.value.current["changes"]["changed"] == [desk["settled"]]
    seen = store_publish.publish_state(db, desk["article_id"])
    store.set_claim_dismissed(db, desk["settled"], True, 1, None)
    with pytest.raises(store.Conflict) as raised:
        store_check.publish_confirmed(db, desk["article_id"], edna, seen)
    assert raised.value.current["changes"]["unsettled"] == [desk["settled"]]
    assert store.get_article(db, desk["article_id"])["published_at"] is None


def test_check_after_publishing_lists_only_what_is_new(
    app: Any, login: Any, db: Any, desk: dict
) -> None:
    edna = uid(db, "edna")
    article = desk["article_id"]
    store_check.publish_confirmed(db, article, edna, store_publish.publish_state(db, article))
    check = store_check.publish_check(db, article, app.config)
    assert ids(check["published"]) == [desk["settled"]] and check["settled"] == []
    assert check["ready"] is False
    store_check.settle_unanimous(
        db, article, edna, {desk["unanimous"]: "mostly-true"}, "Agreed.", SCALE_KEYS
    )
    store.withdraw_claim(db, desk["settled"], edna, "The source was retracted.")
    check = store_check.publish_check(db, article, app.config)
    assert ids(check["settled"]) == [desk["unanimous"]]
    assert ids(check["withdrawn"]) == [desk["settled"]]
    html = login("edna").get(f"/articles/{article}/publish").get_data(as_text=True)
    assert "Public already" in html and "withdrawn" in html and "Publish 1 claim" in html
    done = store_check.publish_confirmed(db, article, edna, check["state"])
    assert done == {"published": [desk["unanimous"]]}
    assert store.latest_version(db, desk["settled"])["status"] == "withdrawn"  # stays so


def test_confirm_without_state_or_settled_claims(login: Any, db: Any, article_id: int) -> None:
    edna = login("edna")
    url = f"/articles/{article_id}/publish/confirm"
    assert edna.post(url, data={}).status_code == 400
    state = store_publish.publish_state(db, article_id)
    refused = edna.post(url, data={"state": state}, headers=JSON)
    assert refused.status_code == 400 and "Settle at least one" in refused.get_json()["error"]
    assert store.get_article(db, article_id)["published_at"] is None


# Refused final verdicts keep what was typed -----------------------------------------------------


def _published(db: Any, desk: dict) -> dict[str, Any]:
    state = store_publish.publish_state(db, desk["article_id"])
    store_check.publish_confirmed(db, desk["article_id"], uid(db, "edna"), state)
    return store.get_final_verdict(db, desk["settled"])


def test_correction_without_note_keeps_input(login: Any, db: Any, desk: dict) -> None:
    final = _published(db, desk)
    edna = login("edna")
    response = edna.post(
        f"/claims/{desk['settled']}/final",
        data={"rating": "mostly-false", "reason": "The count was wrong.", "version": "1"},
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    # The settle section is open, with the error beside the note, which has the focus.
    assert re.search(r'<details class="adjudicate" open data-refused>', html)
    assert re.search(
        r'<textarea autofocus id="correction_note"[^>]*>\r\n</textarea>\s*'
        r'<small class="field-error" role="alert">[^<]*describe the correction',
        html,
    )
    # What was typed is kept, not the stored verdict.
    assert '<option selected value="mostly-false">' in html
    assert ">\r\nThe count was wrong.</textarea>" in html
    assert store.get_final_verdict(db, desk["settled"]) == final
    as_json = edna.post(
        f"/claims/{desk['settled']}/final",
        data={"rating": "mostly-false", "reason": "x", "version": "1"},
        headers=JSON,
    )
    assert as_json.status_code == 400
    assert "correction_note" in as_json.get_json()["fields"]


def test_final_verdict_conflict_keeps_input(login: Any, db: Any, desk: dict) -> None:
    edna = login("edna")
    store.record_final_verdict(
        db, desk["settled"], uid(db, "admin"), "false", "Admin's call.", 1, SCALE_KEYS
    )
    response = edna.post(
        f"/claims/{desk['settled']}/final",
        data={"rating": "half-true", "reason": "Mine.", "version": "1"},
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Another editor settled this claim meanwhile" in html
    assert '<option selected value="half-true">' in html and ">\r\nMine.</textarea>" in html
    assert 'id="version" name="version" type="hidden" value="2"' in html
    assert "Final verdict: False" in html  # the current one, shown above the form


def test_missing_rating_keeps_reason(login: Any, db: Any, desk: dict) -> None:
    edna = login("edna")
    response = edna.post(
        f"/claims/{desk['unanimous']}/final", data={"rating": "", "reason": "Kept reason"}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert re.search(r'<select autofocus id="rating"', html)
    assert "Choose a verdict." in html and ">\r\nKept reason</textarea>" in html


def test_refused_dismiss_shows_error_beside_the_button(login: Any, db: Any, desk: dict) -> None:
    edna = login("edna")
    response = edna.post(f"/claims/{desk['unanimous']}/dismiss", data={"version": "7"})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert re.search(r'class="error form-error" role="alert" data-refused>This claim was', html)


def test_refused_correction_page_focuses_the_field_at_fault(db: Any, login: Any) -> None:
    from tests.test_store_exports import build_desk

    built = build_desk(db)
    first = built["planet_claims"][0]
    edna = login("edna")
    response = edna.post(
        f"/claims/{first}/correction",
        data={"text": "Typed wording", "rating": "true", "reason": "Typed reason", "note": ""},
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert len(re.findall(r"\bautofocus\b", html)) == 1
    assert re.search(r'<textarea autofocus id="note"', html)
    article = store.get_claim(db, first)["article_id"]
    refused = edna.post(f"/articles/{article}/unpublish", data={"note": ""})
    assert refused.status_code == 400
    assert re.search(r'<textarea autofocus id="note"', refused.get_data(as_text=True))


def test_two_editors_settling_all_at_once_one_wins(app: Any, db: Any, desk: dict) -> None:
    import threading

    from factcheck.db import connect

    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def settle(name: str) -> None:
        conn = connect(app.config["DATABASE"])
        barrier.wait()
        try:
            store_check.settle_unanimous(
                conn,
                desk["article_id"],
                uid(conn, name),
                {desk["unanimous"]: "mostly-true"},
                f"{name} agrees.",
                SCALE_KEYS,
            )
            outcomes.append("ok")
        except store.Conflict:
            outcomes.append("conflict")
        finally:
            conn.close()

    threads = [threading.Thread(target=settle, args=(n,)) for n in ("edna", "admin")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "ok"]
    final = store.get_final_verdict(db, desk["unanimous"])
    assert final["version"] == 1 and final["reason"].endswith("agrees.")


def test_check_of_a_withdrawn_article_says_nothing_is_public(
    login: Any, db: Any, desk: dict
) -> None:
    """After *Withdraw publication…* none of the article's claims is public: the check says
    so, and that publishing again brings them back, instead of calling them public already."""
    edna = uid(db, "edna")
    article = desk["article_id"]
    for claim in ("unanimous", "disputed"):
        store.record_final_verdict(db, desk[claim], edna, "true", "Checked.", None, SCALE_KEYS)
    html = login("edna").get(f"/articles/{article}/publish").get_data(as_text=True)
    assert "; the other 1 stays unpublished." in html  # (the claim without verdicts)
    store_check.publish_confirmed(db, article, edna, store_publish.publish_state(db, article))
    html = login("edna").get(f"/articles/{article}/publish").get_data(as_text=True)
    assert "public already" in html and "Public already" in html  # (published: they are)
    store.publish_article(db, article, edna, publish=False, note="Retracted by its publisher.")
    html = login("edna").get(f"/articles/{article}/publish").get_data(as_text=True)
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "public already" not in text.lower()
    assert (
        "The article's fact-checks were withdrawn: none of its claims is public now."
        " Publishing the article again brings back 3 claims as last published." in text
    )
    assert "Withdrawn with the article 3" in text
