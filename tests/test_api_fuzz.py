"""Property-based: no request to the API, as its OpenAPI document describes it (paths, query
parameters, JSON bodies) or nearly so (values of any type, ids past SQLite's range, strings with
NUL and lone surrogates, bodies nested deep), gives a 5xx or a traceback. Strategies of our own,
built from factcheck.openapi's document; a few hundred requests, in a few seconds."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcheck import limits, store
from factcheck.openapi import build_document

NASTY_TEXT = st.sampled_from(
    ["", " ", "\x00", "a\x00b", "\ud800", "x\udfffy", "0", "-1", "1e309", "NaN", "null", "é" * 600]
)
TEXT = st.one_of(NASTY_TEXT, st.text(max_size=40))
NUMBERS = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, 1, limits.MAX_ID, limits.MAX_ID + 1, 2**64, -(2**63) - 1]),
    st.floats(allow_nan=False, allow_infinity=False),
)
SCALARS = st.one_of(st.none(), st.booleans(), NUMBERS, TEXT)
ANY_JSON = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=4)),
    max_leaves=12,
)
PATH_VALUES = st.one_of(
    st.sampled_from(["1", "2", "3", "4"]),  # (the sample article and its claims)
    st.sampled_from(["1", "2", "3", "4"]),
    st.integers(min_value=0, max_value=2**80).map(str),
    st.sampled_from([str(limits.MAX_ID), str(limits.MAX_ID + 1), "-1", "x", "1.5", "%00", "١"]),
)


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
        if method in {"get", "post", "put", "delete", "patch"}
    ]


def _resolve(document: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in item:
        name = item["$ref"].rsplit("/", 1)[1]
        kind = item["$ref"].split("/")[2]
        item = document["components"][kind][name]
    return item


def _value_for(document: dict[str, Any], schema: dict[str, Any], depth: int = 0) -> Any:
    """A strategy for values near ``schema``: often valid-looking, often not."""
    schema = _resolve(document, schema)
    kinds = schema.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    choices: list[Any] = [SCALARS]
    if "enum" in schema:
        choices.append(st.sampled_from(schema["enum"]))
    if "string" in kinds:
        most = schema.get("maxLength")
        choices.append(TEXT)
        choices.append(st.sampled_from(["https://a.example/x", "2025-01-31", "true"]))
        if most:
            choices.append(st.sampled_from(["y" * most, "y" * (most + 1)]))
    if "integer" in kinds:
        choices.append(NUMBERS)
    if "object" in kinds and depth < 3:
        properties = schema.get("properties", {})
        if properties:
            choices.append(
                st.fixed_dictionaries(
                    {},
                    optional={
                        name: _value_for(document, sub, depth + 1)
                        for name, sub in properties.items()
                    },
                )
            )
    if "array" in kinds and depth < 3 and "items" in schema:
        choices.append(st.lists(_value_for(document, schema["items"], depth + 1), max_size=3))
    return st.one_of(*choices)


def _body(document: dict[str, Any], operation: dict[str, Any]) -> Any:
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    near = _value_for(document, schema) if schema else ANY_JSON
    return st.one_of(
        near.map(lambda value: json.dumps(value).encode()),
        ANY_JSON.map(lambda value: json.dumps(value).encode()),
        st.sampled_from([b"", b"{", b"[" * 5000, b'{"a":"\\ud800"}', b"\xff\xfe", b"null"]),
    )


@st.composite
def requests(draw: Any, document: dict[str, Any]) -> tuple[str, str, Any, dict[str, str]]:
    path, method, operation = draw(st.sampled_from(_operations(document)))
    query: dict[str, str] = {}
    for parameter in operation.get("parameters", []):
        parameter = _resolve(document, parameter)
        if parameter["in"] == "path":
            value = draw(PATH_VALUES)
            path = path.replace("{" + parameter["name"] + "}", quote(value, safe=""))
        elif parameter["in"] == "query" and draw(st.booleans()):
            value = draw(_value_for(document, parameter.get("schema", {})))
            query[parameter["name"]] = value if isinstance(value, str) else json.dumps(value)
    url = path
    if query:
        url += "?" + urlencode(query, errors="surrogatepass")
    body = draw(_body(document, operation)) if method in {"post", "put", "patch"} else None
    headers = {"Content-Type": draw(st.sampled_from(["application/json", "text/plain"]))}
    return method, url, body, headers


@pytest.fixture
def caller(app: Any, db: Any, article_id: int) -> tuple[Any, dict[str, str], dict[str, Any]]:
    edna = store.user_by_name(db, "edna")
    token = store.create_token(db, edna["id"], "fuzz")[0]
    with app.app_context():
        document = build_document(app)
    return app.test_client(), {"Authorization": f"Bearer {token}"}, document


def test_no_request_gives_a_server_error(app: Any, caller: Any) -> None:
    client, auth, document = caller
    seen: dict[int, int] = {}

    @settings(
        max_examples=300,
        deadline=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(request=requests(document))
    def check(request: tuple[str, str, Any, dict[str, str]]) -> None:
        method, url, body, headers = request
        response = client.open(url, method=method.upper(), data=body, headers=auth | headers)
        seen[response.status_code] = seen.get(response.status_code, 0) + 1
        text = response.get_data(as_text=True)
        assert response.status_code < 500, (method, url, body and body[:300], text[:300])
        assert "Traceback" not in text

    check()
    assert sum(seen.values()) >= 300
    # (the requests reached the views: answers of several kinds, some of them successes)
    assert len(seen) >= 4 and seen.get(200, 0) + seen.get(201, 0) >= 10, seen
