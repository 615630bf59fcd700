"""The multi-reviewer desk: access, assignment, queues, blind review, agreement, adjudication,
publishing and corrections, accounts."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from click.testing import CliRunner

from factcheck import store
from factcheck.cli import cli
from factcheck.config import DEFAULT_RATING_SCALE
from factcheck.db import connect

from .conftest import PASSWORD, csrf_from

SCALE_KEYS = [entry["key"] for entry in DEFAULT_RATING_SCALE]


def claims_of(db: Any, article_id: int) -> list[dict[str, Any]]:
    return [c for c in store.list_claims(db, article_id) if not c["dismissed"]]


def uid(db: Any, name: str) -> int:
    return store.user_by_name(db, name)["id"]


def give(db: Any, claim_id: int, name: str, rating: str, rationale: str = "") -> dict[str, Any]:
    return store.record_verdict(
        db, claim_id, uid(db, name), rating, rationale, [], None, SCALE_KEYS
    )


# Access ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "assigned", "status"),
    [
        ("alice", True, 200),
        ("bob", False, 404),  # not assigned: as if the article did not exist
        ("edna", False, 200),  # editors see everything
        ("admin", False, 200),
    ],
)
def test_article_visibility(
    login: Any, db: Any, article_id: int, who: str, assigned: bool, status: int
) -> None:
    store.set_assignments(db, article_id, [uid(db, "alice")], None)
    session = login(who)
    claim = claims_of(db, article_id)[0]
    for url in (
        f"/articles/{article_id}",
        f"/articles/{article_id}/report",
        f"/articles/{article_id}/report.csv",
        f"/articles/{article_id}/agreement",
        f"/claims/{claim['id']}/panel",
        f"/claims/{claim['id']}/history",
    ):
        assert session.get(url).status_code == status, (who, url)
    response = session.post(f"/claims/{claim['id']}/verdict", data={"rating": "true"})
    assert (response.status_code == 404) == (status == 404)
    listed = session.get("/").get_data(as_text=True)
    assert ("Tram line" in listed) == (status == 200)


@pytest.mark.parametrize(
    ("who", "url", "status"),
    [
        ("alice", "/agreement", 403),
        ("alice", "/disagreements", 403),
        ("alice", "/assign", 403),
        ("alice", "/admin/users", 403),
        ("alice", "/admin/settings", 403),
        ("edna", "/agreement", 200),
        ("edna", "/disagreements", 200),
        ("edna", "/assign", 200),
        ("edna", "/admin/users", 403),
        ("admin", "/admin/users", 200),
        ("admin", "/admin/settings", 200),
        ("alice", "/queue", 200),
    ],
)
def test_role_pages(login: Any, who: str, url: str, status: int) -> None:
    assert login(who).get(url).status_code == status


def test_reviewer_cannot_adjudicate_or_publish(login: Any, db: Any, article_id: int) -> None:
    alice = login("alice")
    claim = claims_of(db, article_id)[0]
    assert alice.post(f"/claims/{claim['id']}/final", data={"rating": "true"}).status_code == 403
    assert alice.post(f"/articles/{article_id}/publish", data={"publish": "1"}).status_code == 403
    assert store.get_final_verdict(db, claim["id"]) is None


# Assignment and queues ---------------------------------------------------------------------------


def test_editor_assigns_by_hand(login: Any, db: Any, article_id: int) -> None:
    edna = login("edna")
    page = edna.get(f"/articles/{article_id}/assign")
    assert page.status_code == 200
    response = edna.post(
        f"/articles/{article_id}/assign", data={"reviewers": [str(uid(db, "bob"))]}
    )
    assert response.status_code == 302
    assert store.assigned_user_ids(db, article_id) == [uid(db, "bob")]
    assert login("alice").get(f"/articles/{article_id}").status_code == 404
    assert login("bob").get(f"/articles/{article_id}").status_code == 200


def test_spread_assigns_n_reviewers_least_loaded_first(db: Any) -> None:
    for name in ("carol", "dan"):
        store.create_user(db, name, PASSWORD, role="reviewer")
    ids = []
    for n in range(4):
        ids.append(
            store.create_article(db, {"title": f"A{n}", "body": f"Body number {n}."}, [], None)
        )
    result = store.spread_assignments(db, ids, 2, None)
    assert all(len(reviewers) == 2 for reviewers in result.values())
    load: dict[int, int] = {}
    for reviewers in result.values():
        for reviewer in reviewers:
            load[reviewer] = load.get(reviewer, 0) + 1
    assert sorted(load.values()) == [2, 2, 2, 2]  # 8 assignments over 4 reviewers


def test_queue_progress_and_next_claim(login: Any, db: Any, article_id: int) -> None:
    alice = login("alice")
    claims = claims_of(db, article_id)
    page = alice.get("/queue").get_data(as_text=True)
    assert f"0</strong> of {len(claims)} claims done" in page
    first = alice.get("/queue/next")
    assert first.status_code == 302 and "claim=" in first.headers["Location"]
    for claim in claims:
        give(db, claim["id"], "alice", "true")
    page = alice.get("/queue").get_data(as_text=True)
    assert f"{len(claims)}</strong> of {len(claims)} claims done" in page
    done = alice.get("/queue/next")
    assert done.headers["Location"].endswith("/queue")


# Blind review ------------------------------------------------------------------------------------


@pytest.mark.parametrize("blind", [True, False])
def test_blind_setting(login: Any, db: Any, article_id: int, blind: bool) -> None:
    store.update_settings(db, {"blind_verdicts": blind}, None)
    claim = claims_of(db, article_id)[0]
    give(db, claim["id"], "alice", "false", "Alice's secret rationale")
    bob = login("bob")
    panel = bob.get(f"/claims/{claim['id']}/panel").get_data(as_text=True)
    assert ("secret rationale" in panel) == (not blind)
    report = bob.get(f"/articles/{article_id}/report.csv").get_data(as_text=True)
    assert ("Alice" in report or "alice" in report) == (not blind)
    give(db, claim["id"], "bob", "true")
    panel = bob.get(f"/claims/{claim['id']}/panel").get_data(as_text=True)
    assert "secret rationale" in panel


# Agreement, disagreements, adjudication -------------------------------------------------------


def test_agreement_pages_show_figures(login: Any, db: Any, article_id: int) -> None:
    claims = claims_of(db, article_id)[:2]
    give(db, claims[0]["id"], "alice", "true")
    give(db, claims[0]["id"], "bob", "true")
    give(db, claims[1]["id"], "alice", "false")
    give(db, claims[1]["id"], "bob", "true")
    edna = login("edna")
    desk = edna.get("/agreement").get_data(as_text=True)
    assert "Krippendorff" in desk and "50.0%" in desk  # one of two claims agrees
    assert "alice · bob" in desk
    data = edna.get(f"/articles/{article_id}/agreement?_format=json").get_json()
    assert data["summary"]["n_units"] == 2 and data["summary"]["percent"] == 0.5
    assert [c["disagreement"] for c in data["claims"]] == [False, True]


@pytest.mark.parametrize(
    ("mode", "ratings", "listed"),
    [
        ("any", ("true", "mostly-true"), True),
        ("step", ("true", "mostly-true"), False),
        ("step", ("true", "half-true"), True),
        ("any", ("false", "false"), False),
        ("step", ("false", "misleading"), True),  # off the ordinal line: any difference counts
    ],
)
def test_disagreement_queue(
    login: Any, db: Any, article_id: int, mode: str, ratings: tuple, listed: bool
) -> None:
    store.update_settings(db, {"disagreement_mode": mode}, None)
    claim = claims_of(db, article_id)[0]
    give(db, claim["id"], "alice", ratings[0])
    give(db, claim["id"], "bob", ratings[1])
    page = login("edna").get("/disagreements?_format=json").get_json()
    assert (claim["id"] in [c["id"] for c in page["claims"]]) == listed


def test_adjudication_keeps_individual_verdicts_and_detects_conflicts(
    login: Any, db: Any, article_id: int
) -> None:
    claim = claims_of(db, article_id)[0]
    give(db, claim["id"], "alice", "true")
    give(db, claim["id"], "bob", "false")
    edna = login("edna")
    response = edna.post(
        f"/claims/{claim['id']}/final",
        data={"rating": "half-true", "reason": "Both partly right.", "version": ""},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["final"]["version"] == 1
    assert [v["rating"] for v in store.list_verdicts(db, claim["id"])] == ["true", "false"]
    # A second editor who saw no final verdict does not overwrite the first.
    stale = login("admin").post(
        f"/claims/{claim['id']}/final",
        data={"rating": "false", "reason": "", "version": ""},
        headers={"Accept": "application/json"},
    )
    assert stale.status_code == 409
    assert store.get_final_verdict(db, claim["id"])["rating"] == "half-true"
    listed = edna.get("/disagreements?_format=json").get_json()["claims"]
    assert claim["id"] not in [c["id"] for c in listed]
    settled = edna.get("/disagreements?settled=1&_format=json").get_json()["claims"]
    assert claim["id"] in [c["id"] for c in settled]
    report = edna.get(f"/articles/{article_id}/report").get_data(as_text=True)
    assert "Final verdict: Half true" in report


def test_publishing_requires_correction_notes(login: Any, db: Any, article_id: int) -> None:
    claim = claims_of(db, article_id)[0]
    edna = login("edna")
    refused = edna.post(f"/articles/{article_id}/publish", data={"publish": "1"})
    assert refused.status_code == 303  # publishing goes through the publish check
    assert refused.headers["Location"].endswith(f"/articles/{article_id}/publish")
    assert store.get_article(db, article_id)["published_at"] is None  # nothing settled yet
    final = store.record_final_verdict(
        db, claim["id"], uid(db, "edna"), "false", "", None, SCALE_KEYS
    )
    state = edna.get(f"/articles/{article_id}/publish?_format=json").get_json()["check"]["state"]
    edna.post(f"/articles/{article_id}/publish/confirm", data={"state": state})
    assert store.get_article(db, article_id)["published_at"] is not None
    with pytest.raises(store.Invalid, match="correction"):
        store.record_final_verdict(
            db, claim["id"], uid(db, "edna"), "true", "", final["version"], SCALE_KEYS
        )
    store.record_final_verdict(
        db,
        claim["id"],
        uid(db, "edna"),
        "mostly-true",
        "New data",
        final["version"],
        SCALE_KEYS,
        correction_note="The ministry revised its figures.",
    )
    corrections = store.list_corrections(db, claim["id"])
    assert [(c["before_rating"], c["after_rating"]) for c in corrections] == [
        ("false", "mostly-true")
    ]
    panel = edna.get(f"/claims/{claim['id']}/panel").get_data(as_text=True)
    assert "The ministry revised its figures." in panel
    history = [e["action"] for e in store.claim_history(db, claim["id"])]
    assert "correct" in history


def test_concurrent_adjudication_one_wins(app: Any, db: Any, article_id: int) -> None:
    claim = claims_of(db, article_id)[0]
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def decide(rating: str) -> None:
        conn = connect(app.config["DATABASE"])
        barrier.wait()
        try:
            store.record_final_verdict(
                conn, claim["id"], uid(conn, "edna"), rating, "", None, SCALE_KEYS
            )
            outcomes.append("ok")
        except store.Conflict:
            outcomes.append("conflict")
        finally:
            conn.close()

    threads = [threading.Thread(target=decide, args=(r,)) for r in ("true", "false")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "ok"]


# Accounts ----------------------------------------------------------------------------------------


def test_disabling_a_user_ends_their_sessions(login: Any, db: Any) -> None:
    alice = login("alice")
    assert alice.get("/queue").status_code == 200
    admin = login("admin")
    admin.post(f"/admin/users/{uid(db, 'alice')}", data={"active": "0", "role": "reviewer"})
    assert store.user_by_name(db, "alice")["active"] == 0
    assert alice.get("/queue").status_code == 302  # back to the login page


def test_logout_ends_every_session_of_the_user(login: Any) -> None:
    laptop, phone = login("alice"), login("alice")
    laptop.post("/logout")
    assert phone.get("/queue").status_code == 302


def test_password_change_ends_sessions(login: Any, db: Any) -> None:
    alice = login("alice")
    store.set_password(db, "alice", "a brand new password")
    assert alice.get("/queue").status_code == 302


def test_last_admin_cannot_be_demoted(db: Any) -> None:
    with pytest.raises(store.Invalid, match="last active admin"):
        store.set_role(db, uid(db, "admin"), "editor", None)
    with pytest.raises(store.Invalid, match="last active admin"):
        store.set_active(db, uid(db, "admin"), False, None)


def test_admin_adds_a_user(login: Any, db: Any) -> None:
    admin = login("admin")
    response = admin.post(
        "/admin/users", data={"username": "carol", "password": "long enough pw", "role": "editor"}
    )
    assert response.status_code == 302
    assert store.user_by_name(db, "carol")["role"] == "editor"


@pytest.mark.parametrize(("failures", "status"), [(4, 302), (5, 429)])
def test_login_is_rate_limited_per_account(
    client: Any, db: Any, failures: int, status: int
) -> None:
    for _ in range(failures):
        store.record_login_failure(db, "alice", "127.0.0.1")  # (the test client's address)
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"username": "alice", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == status


def test_login_is_rate_limited_per_address(client: Any, db: Any) -> None:
    for n in range(20):
        store.record_login_failure(db, f"user{n}", "127.0.0.1")
    token = csrf_from(client.get("/login").get_data(as_text=True))
    response = client.post(
        "/login", data={"username": "bob", "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 429


def test_failed_logins_are_counted(client: Any, db: Any) -> None:
    token = csrf_from(client.get("/login").get_data(as_text=True))
    for _ in range(2):
        client.post("/login", data={"username": "alice", "password": "wrong", "csrf_token": token})
    assert store.login_failures(db, "alice", "127.0.0.1", 15) == (2, 2)


@pytest.mark.parametrize(
    ("args", "check"),
    [
        (
            ["user", "set-role", "alice", "editor"],
            lambda db: store.user_by_name(db, "alice")["role"] == "editor",
        ),
        (["user", "disable", "bob"], lambda db: store.user_by_name(db, "bob")["active"] == 0),
    ],
)
def test_user_cli(app: Any, db: Any, tmp_path: Any, args: list[str], check: Any) -> None:
    result = CliRunner().invoke(
        cli, ["--db", app.config["DATABASE"], *args], env={"FACTCHECK_INSTANCE_PATH": str(tmp_path)}
    )
    assert result.exit_code == 0, result.output
    assert check(db)


def test_article_agreement_page_labels_every_column(login: Any, db: Any, article_id: int) -> None:
    """Every column of the article's agreement table has a heading, and its reviewer pairs
    give the same figures as the desk-wide page's (percent and both alphas)."""
    import re

    claims = claims_of(db, article_id)[:2]
    give(db, claims[0]["id"], "alice", "true")
    give(db, claims[0]["id"], "bob", "true")
    give(db, claims[1]["id"], "alice", "false")
    give(db, claims[1]["id"], "bob", "true")
    html = login("edna").get(f"/articles/{article_id}/agreement").get_data(as_text=True)
    for head in re.findall(r"<thead>(.*?)</thead>", html, re.S):
        cells = re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)
        assert cells and all(cell.strip() for cell in cells), head
    pairs = html.split("Reviewer pairs")[1]
    assert "α ordinal" in pairs and "α nominal" in pairs


def test_refused_user_forms_show_the_error_beside_the_field(login: Any, db: Any) -> None:
    """A refused change of a user (a password too short) or a refused new user comes back
    with the message beside the field at fault, naming the user, with the choices made kept;
    nothing is changed."""
    import re

    admin = login("admin")
    bob = uid(db, "bob")
    response = admin.post(
        f"/admin/users/{bob}", data={"role": "editor", "active": "1", "password": "short"}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    row = (
        html.split('aria-label="Role of bob"')[0].rsplit("<tr", 1)[1]
        + html.split('aria-label="Role of bob"')[1].split("</tr>")[0]
    )
    assert re.search(r'<option value="editor" selected>', row)  # (the role chosen, kept)
    assert re.search(
        r'aria-label="New password for bob"[^>]*>\s*<small class="field-error" role="alert">'
        r"bob&#39;s new password must be 8 to 1024 characters long\.</small>",
        row,
    ), row
    assert "Field must be between" not in html
    assert store.user_by_name(db, "bob")["role"] == "reviewer"  # nothing changed
    response = admin.post(
        "/admin/users", data={"username": "carol", "password": "short", "role": "editor"}
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    form = html.split("<h2>Add a user</h2>")[1]
    assert 'value="carol"' in form and '<option selected value="editor">' in form
    assert re.search(
        r'name="password"[^>]*>\s*<small class="field-error" role="alert">'
        r"The password must be 8 to 1024 characters long\.</small>",
        form,
    ), form
