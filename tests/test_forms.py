"""factcheck.forms: the verdict save read without WTForms gives what the form gives."""

from __future__ import annotations

from typing import Any

import pytest
from flask import g, session
from flask_wtf.csrf import generate_csrf
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from factcheck.forms import VerdictForm, quick_verdict

SCALE = ["true", "mostly-true", "false", "misleading"]
SOURCE = {
    "url": "https://stats.example/t/4",
    "title": "Statistics table",
    "publisher": "Statistics Office",
    "excerpt": "Table 4, row 12.",
    "stance": "refutes",
    "accessed": "2025-05-06",
}


def _form(*sources: dict[str, str], **fields: str) -> dict[str, Any]:
    data: dict[str, Any] = {"rating": "true", "rationale": "**Bold** reasons.", "version": "3"}
    data.update(fields)
    for index, source in enumerate(sources or (SOURCE,)):
        data.update({f"sources-{index}-{name}": value for name, value in source.items()})
    return data


def _both(
    app: Any, data: Any, token: str | None = "field", header: bool = False
) -> tuple[Any, Any]:
    """(quick_verdict's result, the WTForms form's data or None) for one request."""
    with app.test_request_context("/"):
        signed = generate_csrf()
        raw = session["csrf_token"]
    data = MultiDict(data)
    if token == "field":
        data["csrf_token"] = signed
    elif token is not None:
        data["csrf_token"] = token
    headers = {"Accept": "application/json"}
    if header:
        headers["X-CSRFToken"] = signed
    with app.test_request_context("/claims/1/verdict", method="POST", data=data, headers=headers):
        session["csrf_token"] = raw
        quick = quick_verdict(SCALE)
        g.pop("csrf_valid", None)
        form = VerdictForm()
        form.rating.choices = [("", "— choose —")] + [(key, key) for key in SCALE]
        expected = None
        if form.validate():
            expected = {
                "rating": form.rating.data,
                "rationale": form.rationale.data or "",
                "sources": [entry.form.data for entry in form.sources],
                "version": form.version.data,
            }
    return quick, expected


TAKEN = [
    _form(),
    _form(SOURCE, dict(SOURCE, stance="context", accessed="")),
    _form(dict.fromkeys(SOURCE, "") | {"stance": "supports"}),
    _form(dict(SOURCE, url="   ", title=" " * 600, accessed="  ")),
    _form(dict(SOURCE, url="https://x.example/" + "a" * 1982, excerpt="e" * 5000)),
    _form(dict(SOURCE, accessed="2025-5-6")),
    _form(rationale="", version=""),
    _form(rationale="r" * 50_000, rating="misleading"),
    _form(*[SOURCE] * 50),
    _form(dict(SOURCE, url="javascript:alert(1)")),  # (kept as typed, never a link)
    _form(dict(SOURCE, url="ftp://files.example/x")),
]

LEFT = [  # (each is handled by WTForms as before: invalid, or not the ordinary shape)
    _form(rating=""),
    _form(rating="unknown"),
    _form(rationale="r" * 50_001),
    _form(dict(SOURCE, url="https://x.example/" + "a" * 1983)),
    _form(dict(SOURCE, title="t" * 501)),
    _form(dict(SOURCE, publisher="p" * 301)),
    _form(dict(SOURCE, excerpt="e" * 5001)),
    _form(dict(SOURCE, stance="agrees")),
    _form(dict(SOURCE, accessed="06/05/2025")),
    _form(dict(SOURCE, accessed="2025-02-30")),
    _form(*[SOURCE] * 51),
    {k: v for k, v in _form().items() if k != "version"},
    {k: v for k, v in _form().items() if k != "sources-0-stance"},
    {k: v for k, v in _form().items() if not k.startswith("sources-")},
    _form() | {"extra": "x"},
    {k.replace("sources-0-", "sources-00-"): v for k, v in _form().items()},
    {k.replace("sources-1-", "sources-2-"): v for k, v in _form(SOURCE, SOURCE).items()},
    MultiDict(list(_form().items()) + [("rating", "false")]),
]


@pytest.mark.parametrize("data", TAKEN)
def test_quick_verdict_takes_ordinary_saves(app: Any, data: dict[str, str]) -> None:
    quick, expected = _both(app, data)
    assert expected is not None and quick == expected


@pytest.mark.parametrize("data", LEFT)
def test_quick_verdict_leaves_the_rest_to_the_form(app: Any, data: Any) -> None:
    quick, expected = _both(app, data)
    assert quick is None
    if expected is not None:  # (valid, but not the page's ordinary shape)
        assert expected["sources"] is not None


@pytest.mark.parametrize(
    ("token", "header", "taken"),
    [
        ("field", False, True),
        (None, True, True),  # the page's fetch: the token in X-CSRFToken
        ("", True, True),  # an empty field: the header counts (as in FlaskForm.Meta)
        (None, False, False),
        ("", False, False),
        ("not-a-token", False, False),
        ("not-a-token", True, False),  # a field that is there wins over the header
    ],
)
def test_quick_verdict_checks_the_csrf_token(
    app: Any, token: str | None, header: bool, taken: bool
) -> None:
    quick, expected = _both(app, _form(), token=token, header=header)
    assert (quick is not None) == taken == (expected is not None)
    if taken:
        assert quick == expected


def test_quick_verdict_without_csrf_when_it_is_off(app: Any) -> None:
    app.config["WTF_CSRF_ENABLED"] = False
    quick, expected = _both(app, _form(), token=None)
    assert quick is not None and quick == expected


_text = st.sampled_from(["", " ", "  \t", "x", "é" * 3, "https://ok.example/p", "java script:"])


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rating=st.sampled_from(["", " ", "true", "false", "nope", "misleading"]),
    rationale=st.sampled_from(["", "text", "r" * 50_000, "r" * 50_001]),
    version=st.sampled_from(["", "1", "x", "12"]),
    sources=st.lists(
        st.fixed_dictionaries(
            {
                "url": st.sampled_from(
                    ["", " ", "https://a.example/x", "http://b.example", "javascript:x", "a b"]
                    + ["https://c.example/" + "a" * 1990]
                ),
                "title": _text,
                "publisher": st.sampled_from(["", "p", "p" * 300, "p" * 301, " " * 400]),
                "excerpt": _text,
                "stance": st.sampled_from(["supports", "refutes", "context", "", "other"]),
                "accessed": st.sampled_from(["", " ", "2025-05-06", "2025-5-6", "2025-13-01"]),
            }
        ),
        min_size=1,
        max_size=3,
    ),
)
def test_quick_verdict_agrees_with_the_form(
    app: Any, rating: str, rationale: str, version: str, sources: list[dict[str, str]]
) -> None:
    quick, expected = _both(
        app, _form(*sources, rating=rating, rationale=rationale, version=version)
    )
    assert quick == expected  # (every generated form has the ordinary shape)


def test_save_through_the_page_uses_either_path(
    login: Any, db: Any, article_id: int, monkeypatch: Any
) -> None:
    """A fetch save (quick, without the form) and a plain form post (WTForms) store the same."""
    from factcheck import store
    from factcheck.views import review

    alice = login("alice")
    alice_id = store.user_by_name(db, "alice")["id"]
    first, second = store.list_claims(db, article_id)[:2]
    data = {k: v for k, v in _form(version="").items() if k != "csrf_token"}
    real_form = review.verdict_form

    def no_form() -> Any:
        raise AssertionError("the ordinary fetch save built the WTForms form")

    monkeypatch.setattr(review, "verdict_form", no_form)
    response = alice.post(
        f"/claims/{first['id']}/verdict", data=data, headers={"Accept": "application/json"}
    )
    assert response.status_code == 200 and response.get_json()["version"] == 1
    monkeypatch.setattr(review, "verdict_form", real_form)
    response = alice.post(f"/claims/{second['id']}/verdict", data=data)
    assert response.status_code == 302
    quick, plain = (store.get_verdict(db, c["id"], alice_id) for c in (first, second))
    for key in ("rating", "rationale", "rationale_html", "version"):
        assert quick[key] == plain[key]
    fields = ("url", "title", "publisher", "excerpt", "stance", "accessed")
    assert [[s[f] for f in fields] for s in quick["sources"]] == [
        [s[f] for f in fields] for s in plain["sources"]
    ]
    # A stale version through the quick path is still a 409 with the current verdict.
    response = alice.post(
        f"/claims/{first['id']}/verdict",
        data=dict(data, version="0", rating="false"),
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 409 and response.get_json()["current"]["version"] == 1
