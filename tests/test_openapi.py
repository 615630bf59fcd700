"""The OpenAPI document stays true: every API route is documented, and nothing else is."""

from __future__ import annotations

import re
from typing import Any

import pytest

from factcheck.openapi import API_PREFIX, build_document, openapi_path
from factcheck.views import api as api_views

HTTP_METHODS = {"get", "put", "post", "delete", "patch", "options", "head", "trace"}


@pytest.fixture
def document(app: Any) -> dict[str, Any]:
    response = app.test_client().get(f"{API_PREFIX}/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


def api_routes(app: Any) -> dict[str, set[str]]:
    """OpenAPI path -> lower-case methods, for every rule under /api/v1."""
    routes: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(API_PREFIX + "/"):
            methods = {m.lower() for m in rule.methods or ()} - {"head", "options"}
            routes.setdefault(openapi_path(rule.rule), set()).update(methods)
    return routes


def mismatches(app: Any, document: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
    """(routes whose methods are not all documented, documented paths that are no route)."""
    routes = api_routes(app)
    documented = {
        path: {method for method in item if method in HTTP_METHODS}
        for path, item in document["paths"].items()
    }
    missing = {path: methods for path, methods in routes.items() if documented.get(path) != methods}
    return missing, set(documented) - set(routes)


def test_every_route_is_documented_and_every_path_is_a_route(
    app: Any, document: dict[str, Any]
) -> None:
    assert len(api_routes(app)) >= 10
    missing, extra = mismatches(app, document)
    assert not missing, f"routes without (complete) documentation: {missing}"
    assert not extra, f"documented paths that are not routes: {extra}"


def test_a_new_route_without_docs_is_caught(app: Any) -> None:
    """The check above really fails for an undocumented route or method."""
    document = build_document(app)
    app.add_url_rule(f"{API_PREFIX}/secret/<int:thing_id>", "undocumented", lambda thing_id: "")
    app.add_url_rule(
        f"{API_PREFIX}/articles/<int:article_id>",
        "api_delete",
        lambda article_id: "",
        methods=["DELETE"],
    )
    missing, extra = mismatches(app, document)
    assert missing == {
        f"{API_PREFIX}/secret/{{thing_id}}": {"get"},
        f"{API_PREFIX}/articles/{{article_id}}": {"get", "delete"},
    }
    del document["paths"][f"{API_PREFIX}/agreement"]
    document["paths"][f"{API_PREFIX}/gone"] = {}
    missing, extra = mismatches(app, document)
    assert f"{API_PREFIX}/agreement" in missing and extra == {f"{API_PREFIX}/gone"}


@pytest.mark.parametrize(
    ("rule", "path"),
    [
        ("/api/v1/claims/<int:claim_id>/verdict", "/api/v1/claims/{claim_id}/verdict"),
        ("/api/v1/articles/<article_id>", "/api/v1/articles/{article_id}"),
        ("/api/v1/openapi.json", "/api/v1/openapi.json"),
    ],
)
def test_openapi_path(rule: str, path: str) -> None:
    assert openapi_path(rule) == path


def test_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    validator = pytest.importorskip("openapi_spec_validator")
    assert document["openapi"] == "3.1.0"
    validator.validate(document)


def test_document_essentials(app: Any, document: dict[str, Any]) -> None:
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": document["components"]["securitySchemes"]["bearerAuth"]["description"],
    }
    assert document["security"] == [{"bearerAuth": []}]
    operation_ids = []
    for path, item in document["paths"].items():
        placeholders = set(re.findall(r"{([^}]+)}", path))
        for method, operation in item.items():
            operation_ids.append(operation["operationId"])
            assert operation["summary"] and operation["responses"], (path, method)
            parameters = [resolve(document, p) for p in operation.get("parameters", [])]
            in_path = {p["name"] for p in parameters if p["in"] == "path"}
            assert in_path == placeholders, (path, method)
            success = [code for code in operation["responses"] if code.startswith("2")]
            assert success, (path, method)
            if operation.get("security") != []:
                assert "401" in operation["responses"], (path, method)
            if method in ("post", "put"):
                assert "requestBody" in operation, (path, method)
                assert "415" in operation["responses"], (path, method)
            for code, response in operation["responses"].items():
                response = resolve(document, response)
                if code[0] in "45":
                    schema = response["content"]["application/json"]["schema"]
                    text = str(schema) + str(resolve(document, schema))
                    assert "#/components/schemas/Error" in text, (path, method, code)
    assert len(operation_ids) == len(set(operation_ids))
    assert [
        p for p, item in document["paths"].items() if item.get("get", {}).get("security") == []
    ] == [f"{API_PREFIX}/openapi.json"]


def test_document_matches_the_code(app: Any, document: dict[str, Any]) -> None:
    assert document == build_document(app)
    schemas = document["components"]["schemas"]
    scale_keys = [entry["key"] for entry in app.config["RATING_SCALE"]]
    assert schemas["VerdictInput"]["properties"]["rating"]["enum"] == scale_keys
    assert set(schemas["ExportRequest"]["properties"]["format"]["enum"]) == set(
        api_views.EXPORT_FORMATS
    )
    export_fields = set(schemas["ExportRequest"]["properties"])
    assert export_fields == {"format", *api_views.EXPORT_FILTERS}
    assert set(schemas["ExportRequest"]["properties"]["status"]["enum"]) == set(
        api_views.EXPORT_STATUSES
    )
    download = document["paths"][f"{API_PREFIX}/exports/download"]["get"]
    assert {p["name"] for p in download["parameters"]} == export_fields
    assert set(schemas["NewArticle"]["properties"]) == set(api_views.ARTICLE_FIELDS)
    assert set(schemas["VerdictInput"]["properties"]) == set(api_views.VERDICT_FIELDS)
    assert set(schemas["Source"]["properties"]) == {*api_views.SOURCE_FIELDS, "archive"}


def test_responses_match_their_schemas(app: Any, db: Any, article_id: int) -> None:
    """Real responses validate against the documented schemas."""
    jsonschema = pytest.importorskip("jsonschema")
    from factcheck import store

    document = build_document(app)
    alice = store.user_by_name(db, "alice")
    edna = store.user_by_name(db, "edna")
    store.set_assignments(db, article_id, [alice["id"]], None)
    token = store.create_token(db, alice["id"], "t")[0]
    editor_token = store.create_token(db, edna["id"], "t")[0]
    client = app.test_client()
    claim = store.list_claims(db, article_id)[0]["id"]
    verdict = {"rating": "true", "sources": [{"url": "https://x.example", "stance": "supports"}]}
    calls = [
        ("GET", "/articles", None, "ArticleList", token),
        ("GET", f"/articles/{article_id}", None, "Article", token),
        ("GET", f"/articles/{article_id}/claims", None, "ClaimList", token),
        ("PUT", f"/claims/{claim}/verdict", verdict, "Verdict", token),
        ("GET", f"/claims/{claim}/verdict", None, "Verdict", token),
        ("GET", f"/claims/{claim}", None, "Claim", token),
        ("GET", "/claims/search?q=tram+line", None, "SearchResults", token),
        ("GET", f"/claims/{claim}/similar", None, "SimilarClaims", editor_token),
        ("GET", f"/claims/{claim}/verdicts", None, "VerdictList", token),
        ("GET", f"/claims/{claim}/final", None, "Final", token),
        ("GET", f"/articles/{article_id}/agreement", None, "ArticleAgreement", token),
        ("GET", "/agreement", None, "DeskAgreement", editor_token),
        ("POST", "/exports", {"format": "csv"}, "ExportStarted", token),
        ("POST", "/articles", {"text": "New text: 4 ferries a day."}, "ArticleCreated", token),
        (
            "PUT",
            f"/claims/{claim}/verdict",
            verdict | {"rating": "false"},
            "VerdictPrecondition",
            token,
        ),
        ("GET", "/articles/9999", None, "Error", token),
    ]
    for method, url, body, schema_name, bearer in calls:
        response = client.open(
            API_PREFIX + url,
            method=method,
            json=body,
            headers={"Authorization": f"Bearer {bearer}"},
        )
        assert response.status_code < 500, (url, response.get_data(as_text=True))
        schema = {
            "$ref": f"#/components/schemas/{schema_name}",
            "components": document["components"],
        }
        jsonschema.validate(response.get_json(), schema, cls=jsonschema.Draft202012Validator)


def resolve(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        parts = node["$ref"].removeprefix("#/").split("/")
        node = document
        for part in parts:
            node = node[part]
    return node
