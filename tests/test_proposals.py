"""Roles over claims (issue 11, item 1): reviewers propose wording changes and dismissals,
editors accept or reject them; the desk setting for reviewers shaping claims directly before
publication; nobody changes a published claim through the plain edit routes."""

from __future__ import annotations

import re
from typing import Any

import pytest

from factcheck import store

from .test_review import JSON, panel_html

NEW = "The council voted 31 to 12 for a 14-kilometre tram line"


@pytest.fixture
def claim(db: Any, article_id: int) -> dict[str, Any]:
    return store.list_claims(db, article_id)[0]


def _page(session: Any, claim: dict[str, Any]) -> str:
    response = session.get(f"/articles/{claim['article_id']}?claim={claim['id']}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _publish(db: Any, claim: dict[str, Any]) -> None:
    edna = store.user_by_name(db, "edna")["id"]
    store.record_final_verdict(db, claim["id"], edna, "true", "", None, ["true"])
    store.publish_article(db, claim["article_id"], edna)


def _open(db: Any) -> list[dict[str, Any]]:
    return store.list_open_proposals(db)


def test_reviewer_proposes_and_editor_accepts(login: Any, db: Any, claim: dict) -> None:
    alice, edna = login("alice"), login("edna")
    panel = panel_html(_page(alice, claim))
    assert "Propose wording change" in panel and "Propose dismissal" in panel
    assert "Edit wording" not in panel and "Dismiss claim" not in panel
    response = alice.post(
        f"/claims/{claim['id']}/proposals",
        data={"kind": "wording", "text": NEW, "reason": "Say who voted.", "version": "1"},
    )
    assert response.status_code == 302
    assert store.get_claim(db, claim["id"])["text"] == claim["text"]  # not yet
    html = alice.get(response.headers["Location"]).get_data(as_text=True)
    assert "sent to the editors as a proposal" in html
    mine = panel_html(html)
    assert "Your proposal: new wording" in mine and "Withdraw proposal" in mine
    assert "Change your proposed wording" in mine
    # The editor sees it in the panel, with the diff, and in the menu's count.
    page = _page(edna, claim)
    assert re.search(r">Proposals <span class=\"count\"[^>]*>1</span>", page)
    panel = panel_html(page)
    assert "Proposals waiting (1)" in panel
    assert "<del>city council</del>" in panel or "<del>" in panel
    assert "<ins>" in panel and "Say who voted." in panel
    proposal = _open(db)[0]
    response = edna.post(
        f"/proposals/{proposal['id']}/accept",
        data={
            "note": "Thanks.",
            "version": str(proposal["version"]),
            "claim_version": str(proposal["base_version"]),
            "back": "panel",
        },
    )
    assert response.status_code == 302
    assert store.get_claim(db, claim["id"])["text"] == NEW
    assert _open(db) == []
    assert "Proposal accepted" in edna.get(response.headers["Location"]).get_data(as_text=True)
    history = alice.get(f"/claims/{claim['id']}/history").get_data(as_text=True)
    rows = re.findall(r"<tr><td>[^<]*</td><td>([^<]*)</td><td>([^<]*)</td>", history)
    assert rows[-3:] == [
        ("alice", "propose claim_proposal"),
        ("edna", "edit claim"),
        ("edna", "accept claim_proposal"),
    ]
    assert "Thanks." in history


def test_editor_rejects_on_the_desk_page(login: Any, db: Any, claim: dict) -> None:
    alice, edna = login("alice"), login("edna")
    alice.post(
        f"/claims/{claim['id']}/proposals",
        data={"kind": "dismiss", "reason": "An <b>opinion</b>", "version": "1"},
    )
    page = edna.get("/desk/proposals").get_data(as_text=True)
    assert "dismiss the claim" in page and "An &lt;b&gt;opinion&lt;/b&gt;" in page
    proposal = _open(db)[0]
    response = edna.post(
        f"/proposals/{proposal['id']}/reject",
        data={"note": "It is a fact.", "version": str(proposal["version"]), "back": "desk"},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("/desk/proposals")
    assert store.get_claim(db, claim["id"])["dismissed"] is False
    assert store.get_proposal(db, proposal["id"])["status"] == "rejected"
    assert "No proposals are waiting." in edna.get("/desk/proposals").get_data(as_text=True)
    # The reviewer sees the decision and the editor's note in the claim's panel.
    panel = panel_html(_page(alice, claim))
    assert "Your last proposal (dismiss the claim) was <strong>rejected</strong> by edna" in panel
    assert "It is a fact." in panel
    history = store.claim_history(db, claim["id"])
    assert [e["action"] for e in history[-2:]] == ["propose", "reject"]
    assert history[-1]["after"]["note"] == "It is a fact."


def test_conflict_shows_the_claim_now_and_keeps_the_note(login: Any, db: Any, claim: dict) -> None:
    alice, edna = login("alice"), login("edna")
    alice.post(
        f"/claims/{claim['id']}/proposals", data={"kind": "wording", "text": NEW, "version": "1"}
    )
    edna.post(f"/claims/{claim['id']}/edit", data={"text": "Edna's wording", "version": "1"})
    proposal = _open(db)[0]
    data = {
        "note": "Merged by hand",
        "version": str(proposal["version"]),
        "claim_version": str(proposal["base_version"]),
        "back": "panel",
    }
    response = edna.post(f"/proposals/{proposal['id']}/accept", data=data)
    assert response.status_code == 409
    panel = panel_html(response.get_data(as_text=True))
    assert "The claim changed since this proposal" in panel
    assert "Edna&#39;s wording" in panel or "Edna's wording" in panel
    assert ">Merged by hand</textarea>" in panel
    assert "Accept anyway" in panel
    assert 'name="claim_version" value="2"' in panel
    assert store.get_claim(db, claim["id"])["text"] == "Edna's wording"
    # Accepting again over the current version applies it.
    response = edna.post(f"/proposals/{proposal['id']}/accept", data=data | {"claim_version": "2"})
    assert response.status_code == 302
    assert store.get_claim(db, claim["id"])["text"] == NEW
    # On the desk page, a conflict shows there (the note kept).
    alice.post(f"/claims/{claim['id']}/proposals", data={"kind": "dismiss", "version": "3"})
    edna.post(f"/claims/{claim['id']}/edit", data={"text": "Again", "version": "3"})
    proposal = _open(db)[0]
    response = edna.post(
        f"/proposals/{proposal['id']}/accept",
        data={"note": "Desk note", "version": "1", "claim_version": "3", "back": "desk"},
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "<h1>Proposals</h1>" in page and ">Desk note</textarea>" in page


def test_refused_proposal_keeps_input_with_the_error(login: Any, db: Any, claim: dict) -> None:
    alice = login("alice")
    response = alice.post(
        f"/claims/{claim['id']}/proposals",
        data={"kind": "wording", "text": claim["text"], "reason": "Typed reason", "version": "1"},
    )
    assert response.status_code == 400
    panel = panel_html(response.get_data(as_text=True))
    assert re.search(r'<details class="propose-wording" open>', panel)
    assert 'class="field-error" id="propose-error" role="alert">' in panel
    assert "wording now" in panel
    assert ">Typed reason</textarea>" in panel
    # A stale version: the claim's wording now is shown, the typed wording kept.
    store.edit_claim_text(db, claim["id"], "Changed meanwhile", 1, None)
    response = alice.post(
        f"/claims/{claim['id']}/proposals",
        data={"kind": "wording", "text": "My words", "reason": "", "version": "1"},
    )
    assert response.status_code == 409
    panel = panel_html(response.get_data(as_text=True))
    assert "Changed meanwhile" in panel and ">My words</textarea>" in panel
    assert 'name="version" value="2"' in panel
    assert _open(db) == []


def test_withdraw(login: Any, db: Any, claim: dict) -> None:
    alice, bob = login("alice"), login("bob")
    alice.post(f"/claims/{claim['id']}/proposals", data={"kind": "dismiss", "version": "1"})
    proposal = _open(db)[0]
    # Nobody else withdraws it, nor decides on it but an editor.
    assert bob.post(f"/proposals/{proposal['id']}/withdraw", data={}).status_code == 404
    assert store.get_proposal(db, proposal["id"])["status"] == "open"
    assert alice.post(f"/proposals/{proposal['id']}/accept", data={}).status_code == 403
    response = alice.post(f"/proposals/{proposal['id']}/withdraw", data={"version": "1"})
    assert response.status_code == 302
    assert store.get_proposal(db, proposal["id"])["status"] == "withdrawn"
    assert "Your proposal" not in panel_html(_page(alice, claim))


def test_reviewer_edit_route_becomes_a_proposal(login: Any, db: Any, claim: dict) -> None:
    alice = login("alice")
    response = alice.post(f"/claims/{claim['id']}/edit", data={"text": NEW, "version": "1"})
    assert response.status_code == 302
    assert store.get_claim(db, claim["id"])["text"] == claim["text"]
    assert [(p["kind"], p["text"]) for p in _open(db)] == [("wording", NEW)]
    response = alice.post(f"/claims/{claim['id']}/dismiss", data={"version": "1"}, headers=JSON)
    assert response.status_code == 200 and response.get_json()["proposal"]["kind"] == "dismiss"
    assert store.get_claim(db, claim["id"])["dismissed"] is False
    assert len(_open(db)) == 1  # (one open proposal per claim and user: replaced)


def test_setting_lets_reviewers_shape_before_publication_only(
    login: Any, db: Any, claim: dict
) -> None:
    admin, alice, edna = login("admin"), login("alice"), login("edna")
    page = admin.get("/admin/settings").get_data(as_text=True)
    assert "Reviewers may shape claims directly before publication" in page
    response = admin.post(
        "/admin/settings",
        data={
            "blind_verdicts": "y",
            "disagreement_mode": "any",
            "reviewers_per_article": "2",
            "reviewers_shape_claims": "y",
        },
    )
    assert response.status_code == 302
    assert store.get_settings(db)["reviewers_shape_claims"] is True
    panel = panel_html(_page(alice, claim))
    assert "Edit wording" in panel and "Dismiss claim" in panel
    assert "Propose wording change" not in panel
    alice.post(f"/claims/{claim['id']}/edit", data={"text": "Alice's own", "version": "1"})
    assert store.get_claim(db, claim["id"])["text"] == "Alice's own"
    # Published: nobody edits the live claim through the plain routes.
    _publish(db, claim)
    panel = panel_html(_page(alice, claim))
    assert "Edit wording" not in panel and "Dismiss claim" not in panel
    assert "Propose wording change" in panel
    response = alice.post(f"/claims/{claim['id']}/edit", data={"text": NEW, "version": "2"})
    assert response.status_code == 302
    assert store.get_claim(db, claim["id"])["text"] == "Alice's own"
    assert [p["text"] for p in _open(db)] == [NEW]
    panel = panel_html(_page(edna, claim))
    assert "Edit wording" not in panel and "Dismiss claim" not in panel
    assert f'<a href="/claims/{claim["id"]}/correction">make a correction</a>' in panel
    for url, data in [
        (f"/claims/{claim['id']}/edit", {"text": "Edna's", "version": "2"}),
        (f"/claims/{claim['id']}/dismiss", {"version": "2"}),
    ]:
        response = edna.post(url, data=data, headers=JSON)
        assert response.status_code == 409
        assert "published: make a correction" in response.get_json()["error"]
        response = edna.post(url, data=data)
        assert response.status_code == 302
        assert "published: make a correction" in edna.get(response.headers["Location"]).get_data(
            as_text=True
        )
    claim_now = store.get_claim(db, claim["id"])
    assert (claim_now["text"], claim_now["dismissed"]) == ("Alice's own", False)
    # Accepting a proposal on a published claim is a correction: its note is required.
    proposal = _open(db)[0]
    panel = panel_html(_page(edna, claim))
    assert "Correction note (required; readers see it)" in panel
    assert "Accept and publish the correction" in panel
    data = {"note": "", "version": str(proposal["version"]), "back": "panel"}
    response = edna.post(f"/proposals/{proposal['id']}/accept", data=data)
    assert response.status_code == 400
    panel = panel_html(response.get_data(as_text=True))
    assert "Write its note" in panel
    assert store.get_claim(db, claim["id"])["text"] == "Alice's own"
    assert store.latest_version(db, claim["id"])["text"] == "Alice's own"
    response = edna.post(
        f"/proposals/{proposal['id']}/accept", data=data | {"note": "The vote was 31-12."}
    )
    assert response.status_code == 302
    assert store.get_claim(db, claim["id"])["text"] == NEW
    latest = store.latest_version(db, claim["id"])
    assert (latest["version"], latest["text"], latest["note"]) == (2, NEW, "The vote was 31-12.")
    public = login("bob").get(f"/verdicts/{claim['id']}").get_data(as_text=True)
    assert NEW in public and "The vote was 31-12." in public
    actions = [(e["action"], e["table_name"]) for e in store.claim_history(db, claim["id"])]
    assert actions[-3:] == [
        ("correct", "claims"),
        ("correct", "published_claims"),
        ("accept", "claim_proposals"),
    ]
    # A dismissal of a published claim is a withdrawal, made on the correction page.
    alice.post(f"/claims/{claim['id']}/proposals", data={"kind": "dismiss", "version": "3"})
    proposal = _open(db)[0]
    panel = panel_html(_page(edna, claim))
    assert f'formaction="/proposals/{proposal["id"]}/accept"' not in panel
    assert f'formaction="/proposals/{proposal["id"]}/reject"' in panel
    response = edna.post(
        f"/proposals/{proposal['id']}/accept",
        data={"note": "Kept", "version": str(proposal["version"]), "back": "panel"},
    )
    assert response.status_code == 400
    panel = panel_html(response.get_data(as_text=True))
    assert "published: make a correction" in panel and ">Kept</textarea>" in panel
    assert store.get_claim(db, claim["id"])["dismissed"] is False


def test_setting_off_editors_still_shape_directly(login: Any, db: Any, claim: dict) -> None:
    edna = login("edna")
    panel = panel_html(_page(edna, claim))
    assert "Edit wording" in panel and "Dismiss claim" in panel
    assert "Propose wording change" not in panel
    edna.post(f"/claims/{claim['id']}/dismiss", data={"version": "1"})
    assert store.get_claim(db, claim["id"])["dismissed"] is True
    assert _open(db) == []


def test_proposal_text_is_escaped(login: Any, db: Any, claim: dict) -> None:
    alice, edna = login("alice"), login("edna")
    hostile = 'Tram <script>alert(1)</script> <img src=x onerror="alert(2)">'
    alice.post(
        f"/claims/{claim['id']}/proposals",
        data={"kind": "wording", "text": hostile, "reason": "<b>why</b>", "version": "1"},
    )
    for html in (
        panel_html(_page(edna, claim)),
        edna.get("/desk/proposals").get_data(as_text=True),
    ):
        assert "<script>alert" not in html and "<img" not in html and "<b>why" not in html
        assert "&lt;script&gt;" in html


def test_menu_count_is_for_editors(login: Any, db: Any, claim: dict) -> None:
    alice, edna = login("alice"), login("edna")
    assert "/desk/proposals" not in alice.get("/articles").get_data(as_text=True)
    page = edna.get("/articles").get_data(as_text=True)
    assert re.search(r'href="/desk/proposals">Proposals</a>', page)
    alice.post(f"/claims/{claim['id']}/proposals", data={"kind": "dismiss", "version": "1"})
    page = edna.get("/articles").get_data(as_text=True)
    assert re.search(r'>Proposals <span class="count" aria-label="1 open">1</span></a>', page)


def test_claimant_proposal_accepted_also_as_a_correction(login: Any, db: Any, claim: dict) -> None:
    """The claimant follows the wording's rule: a reviewer's claimant is a proposal, which an
    editor accepts (before publication directly, after it as a correction)."""
    alice, edna = login("alice"), login("edna")
    response = alice.post(
        f"/claims/{claim['id']}/claimant",
        data={
            "claimant": "Mayor Ana <b>Lopez</b>",
            "claimant_kind": "person",
            "reason": "She said it.",
            "version": "1",
        },
    )
    assert response.status_code == 302
    assert store.get_claim(db, claim["id"])["claimant"] == claim["claimant"]
    mine = panel_html(alice.get(response.headers["Location"]).get_data(as_text=True))
    assert "Your proposal: new claimant" in mine
    assert "Mayor Ana &lt;b&gt;Lopez&lt;/b&gt; (person)" in mine
    page = edna.get("/desk/proposals").get_data(as_text=True)
    assert "alice</strong> proposes: new claimant" in page and "She said it." in page
    (proposal,) = _open(db)
    response = edna.post(
        f"/proposals/{proposal['id']}/accept",
        data={"version": str(proposal["version"]), "back": "desk"},
    )
    assert response.status_code == 302
    saved = store.get_claim(db, claim["id"])
    assert (saved["claimant"], saved["claimant_kind"]) == ("Mayor Ana <b>Lopez</b>", "person")
    actions = [e["action"] for e in store.claim_history(db, claim["id"])]
    assert actions[-3:] == ["propose", "set-claimant", "accept"]
    # Published: accepting another claimant is a correction with its note.
    _publish(db, claim)
    alice.post(
        f"/claims/{claim['id']}/claimant",
        data={"claimant": "", "version": str(saved["version"])},
    )
    (proposal,) = _open(db)
    assert proposal["claimant"] is None  # (the publication itself)
    data = {"note": "", "version": str(proposal["version"]), "back": "desk"}
    response = edna.post(f"/proposals/{proposal['id']}/accept", data=data)
    assert response.status_code == 400 and "Write its note" in response.get_data(as_text=True)
    response = edna.post(
        f"/proposals/{proposal['id']}/accept", data=data | {"note": "The paper said it."}
    )
    assert response.status_code == 302
    assert store.get_claim(db, claim["id"])["claimant"] is None
    latest = store.latest_version(db, claim["id"])
    assert latest["version"] == 2 and latest["claimant"] is None
