"""An article's publication date: never guessed, shown as unknown, set on the review page."""

from __future__ import annotations

from typing import Any

import pytest

from factcheck import ingest, store

from .conftest import SAMPLE_ARTICLE

PAGE_1998 = b"""<!doctype html><html><head><title>Wheat harvest</title></head><body><article>
<h1>Wheat harvest is the largest since 1998</h1>
<p>The wheat harvest this year was the largest since 1998, the farmers' union said on Monday.
Farmers brought in 18.2 million tonnes, up from 15.1 million tonnes last year.</p>
</article></body></html>"""


@pytest.fixture
def undated(db: Any) -> dict[str, Any]:
    """An article without a date, added by bob, assigned to alice and bob."""
    draft = ingest.prepare_article(body=SAMPLE_ARTICLE, title="Tram line")
    bob = store.user_by_name(db, "bob")
    alice = store.user_by_name(db, "alice")
    article_id = store.create_article(db, draft.article, draft.claims, bob["id"])
    store.set_assignments(db, article_id, [alice["id"], bob["id"]], None)
    return store.get_article_head(db, article_id)


def _date_form(html: str) -> str:
    start = html.index('id="article-date"')
    return html[start : html.index("</form>", start)]


def test_upload_of_1998_page_has_no_date_and_the_page_asks(login: Any, db: Any) -> None:
    alice = login("alice")
    response = alice.post(
        "/articles/new",
        data={"upload": (__import__("io").BytesIO(PAGE_1998), "harvest.html")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    article_id = int(response.headers["Location"].rstrip("/").split("/")[-1].split("?")[0])
    assert store.get_article_head(db, article_id)["published"] is None
    page = alice.get(f"/articles/{article_id}").get_data(as_text=True)
    assert "date unknown" in page
    assert "When was this article published?" in _date_form(page)
    assert "1998-01-01" not in page
    listing = alice.get("/").get_data(as_text=True)
    assert "date unknown" in listing


@pytest.mark.parametrize("who", ["edna", "admin", "bob"])
def test_editors_and_the_creator_set_the_date(
    login: Any, db: Any, undated: dict[str, Any], who: str
) -> None:
    session = login(who)
    page = session.get(f"/articles/{undated['id']}").get_data(as_text=True)
    assert 'name="published"' in _date_form(page)
    response = session.post(
        f"/articles/{undated['id']}/date",
        data={"published": "2025-05-06", "version": str(undated["version"])},
    )
    assert response.status_code == 302
    after = store.get_article_head(db, undated["id"])
    assert after["published"] == "2025-05-06"
    assert after["version"] == undated["version"] + 1
    audit = db.execute(
        "SELECT action, before, after, user_id FROM audit_log WHERE table_name = 'articles'"
        " AND row_id = ? ORDER BY id DESC LIMIT 1",
        (undated["id"],),
    ).fetchone()
    assert audit["action"] == "set-date"
    assert '"published": null' in audit["before"] and "2025-05-06" in audit["after"]
    assert audit["user_id"] == store.user_by_name(db, who)["id"]
    page = session.get(f"/articles/{undated['id']}").get_data(as_text=True)
    assert "date unknown" not in page
    assert "2025-05-06" in page
    assert "Change the publication date" in page  # (folded away once known)


def test_other_reviewers_see_no_form_and_are_refused(
    login: Any, db: Any, undated: dict[str, Any]
) -> None:
    alice = login("alice")  # assigned, but did not add the article
    page = alice.get(f"/articles/{undated['id']}").get_data(as_text=True)
    assert "date unknown" in page
    assert 'id="article-date"' not in page
    response = alice.post(
        f"/articles/{undated['id']}/date",
        data={"published": "2025-05-06", "version": str(undated["version"])},
    )
    assert response.status_code == 403
    assert store.get_article_head(db, undated["id"])["published"] is None


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"published": "06/05/2025"}, 400, "Not a valid date value"),
        ({"published": ""}, 400, "Give the date the article was published."),
        ({"published": "2025-05-06", "version": "99"}, 409, "changed by someone else"),
        ({"published": "2025-05-06", "csrf_token": "stale"}, 400, "security token expired"),
    ],
)
def test_a_refused_date_keeps_what_was_typed(
    login: Any, db: Any, undated: dict[str, Any], data: dict[str, str], status: int, message: str
) -> None:
    edna = login("edna")
    response = edna.post(
        f"/articles/{undated['id']}/date", data={"version": str(undated["version"])} | data
    )
    assert response.status_code == status
    form = _date_form(response.get_data(as_text=True))
    assert message in form  # (the error next to the field)
    assert f'value="{data["published"]}"' in form or not data["published"]
    assert store.get_article_head(db, undated["id"])["published"] is None


def test_store_refuses_a_date_that_is_not_iso(db: Any, undated: dict[str, Any]) -> None:
    with pytest.raises(store.Invalid):
        store.set_article_published(db, undated["id"], "May 2025", undated["version"], None)
    with pytest.raises(store.Conflict):
        store.set_article_published(db, undated["id"], "2025-05-06", 99, None)
    store.set_article_published(db, undated["id"], "2025-05-06", undated["version"], None)
    store.set_article_published(db, undated["id"], None, undated["version"] + 1, None)
    assert store.get_article_head(db, undated["id"])["published"] is None


def test_date_as_json(login: Any, db: Any, undated: dict[str, Any]) -> None:
    edna = login("edna")
    url = f"/articles/{undated['id']}/date"
    headers = {"Accept": "application/json"}
    bad = edna.post(url, data={"published": "soon", "version": "1"}, headers=headers)
    assert bad.status_code == 400 and "published" in bad.get_json()["fields"]
    good = edna.post(url, data={"published": "2025-05-06", "version": "1"}, headers=headers)
    assert good.status_code == 200 and good.get_json()["article"]["published"] == "2025-05-06"
