"""The OpenAPI 3.1 document of the JSON API (served at ``/api/v1/openapi.json``).

Written by hand, next to the code it describes; ``tests/test_openapi.py`` checks that every
API route is documented with its methods and that every documented path is a route.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask

from . import __version__, limits
from .search import SORTS

API_PREFIX = "/api/v1"

_PATH_PARAM = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")

#: The paging fields of every list response.
PAGING: dict[str, Any] = {
    "limit": {"type": "integer"},
    "offset": {"type": "integer"},
    "next_offset": {
        "type": ["integer", "null"],
        "description": "Offset of the next page, null on the last page.",
    },
}


def openapi_path(rule: str) -> str:
    """A Flask rule such as ``/api/v1/claims/<int:claim_id>`` as an OpenAPI path template."""
    return _PATH_PARAM.sub(r"{\1}", rule)


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"oneOf": [schema, {"type": "null"}]}


def _str(description: str | None = None, **extra: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": ["string", "null"], **extra}
    if description:
        schema["description"] = description
    return schema


def _json(schema: dict[str, Any], description: str, **extra: Any) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": schema}},
        **extra,
    }


def _error(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/responses/{name}"}


_ETAG_HEADER = {
    "description": 'The verdict\'s version as a strong entity tag, e.g. `"3"`.',
    "schema": {"type": "string"},
}
_CLAIM_ETAG_HEADER = {
    "description": 'The claim\'s version as a strong entity tag, e.g. `"3"`.',
    "schema": {"type": "string"},
}
_LOCATION_HEADER = {"description": "Address of the new resource.", "schema": {"type": "string"}}


def _schemas(rating_keys: list[str]) -> dict[str, Any]:
    timestamp = {"type": "string", "description": "UTC time, ISO 8601."}
    marked = {
        "type": "array",
        "description": "The text in [text, matched] segments: matched ones are the search's "
        "words. Plain text: escape it before showing it as HTML.",
        "items": {
            "type": "array",
            "prefixItems": [{"type": "string"}, {"type": "boolean"}],
            "minItems": 2,
            "maxItems": 2,
        },
    }
    return {
        "Error": {
            "type": "object",
            "required": ["error", "status"],
            "properties": {
                "error": {"type": "string", "description": "What went wrong, for a person."},
                "status": {"type": "integer", "description": "The HTTP status code."},
            },
        },
        "DuplicateArticle": {
            "allOf": [
                _ref("Error"),
                {
                    "type": "object",
                    "required": ["article_id"],
                    "properties": {"article_id": {"type": "integer"}},
                },
            ]
        },
        "VerdictPrecondition": {
            "allOf": [
                _ref("Error"),
                {
                    "type": "object",
                    "properties": {
                        "current": _nullable(_ref("Verdict")),
                    },
                    "description": "`current` is your verdict as stored now (null if none).",
                },
            ]
        },
        "SearchResult": {
            "type": "object",
            "required": [
                "claim_id",
                "article_id",
                "text",
                "quote",
                "text_marked",
                "quote_marked",
                "article",
                "final",
                "ratings",
                "hidden_verdicts",
                "href",
                "review_url",
            ],
            "properties": {
                "claim_id": {"type": "integer"},
                "article_id": {"type": "integer"},
                "text": {"type": "string", "description": "The claim's wording."},
                "quote": {"type": "string", "description": "Its quote in the article."},
                "checkworthy": {"type": "boolean"},
                "text_marked": marked,
                "quote_marked": marked,
                "quote_matched": {"type": "boolean"},
                "article": {
                    "type": "object",
                    "required": ["id", "title"],
                    "properties": {
                        "id": {"type": "integer"},
                        "title": {"type": "string"},
                        "publisher": _str(),
                        "published": _str("Publication date, YYYY-MM-DD."),
                    },
                },
                "final": {
                    "oneOf": [
                        {
                            "type": "object",
                            "required": ["rating", "label"],
                            "properties": {
                                "rating": {"type": "string"},
                                "label": {"type": "string"},
                            },
                        },
                        {"type": "null"},
                    ],
                    "description": "The final verdict; null when there is none or blind "
                    "review hides it from you (until you give your own verdict).",
                },
                "ratings": {
                    "type": "array",
                    "description": "The reviewers' verdicts you may see, counted by rating.",
                    "items": {
                        "type": "object",
                        "required": ["rating", "label", "count"],
                        "properties": {
                            "rating": {"type": "string"},
                            "label": {"type": "string"},
                            "count": {"type": "integer"},
                        },
                    },
                },
                "hidden_verdicts": {
                    "type": "integer",
                    "description": "Other reviewers' verdicts blind review hides from you.",
                },
                "href": {"type": "string", "description": "The claim in the API."},
                "review_url": {"type": "string", "description": "The claim's review page."},
            },
        },
        "SearchResults": {
            "type": "object",
            "required": ["query", "terms", "results", "limit", "offset", "next_offset"],
            "properties": {
                "query": {"type": "string"},
                "terms": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "The words and phrases searched for.",
                },
                "truncated": {"type": "boolean"},
                "sort": {"type": "string", "enum": list(SORTS)},
                "message": _str("Why nothing, or not everything, was searched for."),
                "results": {"type": "array", "items": _ref("SearchResult")},
                **PAGING,
            },
        },
        "SimilarClaims": {
            "type": "object",
            "required": ["claim_id", "results"],
            "properties": {
                "claim_id": {"type": "integer"},
                "results": {"type": "array", "items": _ref("SearchResult")},
            },
        },
        "ArticleSummary": {
            "type": "object",
            "required": ["id", "title", "href"],
            "properties": {
                "id": {"type": "integer"},
                "title": {"type": "string"},
                "url": _str(),
                "publisher": _str(),
                "author": _str(),
                "published": _str("Publication date, YYYY-MM-DD."),
                "status": {"type": "string"},
                "published_at": _str("When the desk published its verdicts."),
                "created_at": timestamp,
                "chars": {"type": "integer", "description": "Length of the body."},
                "claims": {"type": "integer", "description": "Claims not dismissed."},
                "checkworthy": {"type": "integer"},
                "reviewed": {
                    "type": "integer",
                    "description": "Claims with a verdict (a reviewer under blind review:"
                    " with their own verdict).",
                },
                "settled": {"type": "integer", "description": "Claims with a final verdict."},
                "reviewers": {"type": "array", "items": {"type": "string"}},
                "href": {"type": "string"},
            },
        },
        "ArticleList": {
            "type": "object",
            "required": ["articles", "limit", "offset", "next_offset"],
            "properties": {
                "articles": {"type": "array", "items": _ref("ArticleSummary")},
                **PAGING,
            },
        },
        "Article": {
            "type": "object",
            "required": ["id", "title", "body_sha256", "claims_href"],
            "properties": {
                "id": {"type": "integer"},
                "title": {"type": "string"},
                "url": _str(),
                "publisher": _str(),
                "author": _str(),
                "published": _str("Publication date, YYYY-MM-DD."),
                "status": {"type": "string"},
                "published_at": _str(),
                "body_sha256": {"type": "string"},
                "original_type": {"type": "string"},
                "original_name": _str(),
                "version": {"type": "integer"},
                "created_at": timestamp,
                "updated_at": timestamp,
                "body": {
                    "type": "string",
                    "description": "The article text; claims' offsets index into it. "
                    "Only in the single-article response.",
                },
                "claims_href": {"type": "string"},
            },
        },
        "ArticleCreated": {
            "allOf": [
                _ref("Article"),
                {
                    "type": "object",
                    "properties": {
                        "claims": {"type": "integer", "description": "Claims extracted."},
                        "notices": {"type": "array", "items": {"type": "string"}},
                    },
                },
            ]
        },
        "NewArticle": {
            "type": "object",
            "description": "Give exactly one of `text` and `html`. From HTML the article "
            "text and any missing metadata are extracted.",
            "properties": {
                "title": _str("Defaults to the first line.", maxLength=limits.TITLE),
                "text": _str("The article as plain text."),
                "html": _str("The article's web page."),
                "url": _str("http:// or https:// address.", maxLength=limits.URL),
                "publisher": _str(maxLength=limits.PUBLISHER),
                "author": _str(maxLength=limits.AUTHOR),
                "published": _str("YYYY-MM-DD."),
            },
            "additionalProperties": False,
        },
        "Claim": {
            "type": "object",
            "required": ["id", "article_id", "start", "end", "quote", "text", "version"],
            "properties": {
                "id": {"type": "integer"},
                "article_id": {"type": "integer"},
                "start": {"type": "integer", "description": "Offset into the article body."},
                "end": {"type": "integer", "description": "body[start:end] == quote."},
                "quote": {"type": "string"},
                "text": {"type": "string", "description": "The claim's wording."},
                "kind": {"type": "array", "items": {"type": "string"}},
                "values": {"type": "array", "items": {}},
                "score": {"type": ["number", "null"], "description": "Check-worthiness."},
                "checkworthy": {"type": "boolean"},
                "origin": {"type": "string", "enum": ["auto", "manual"]},
                "dismissed": {"type": "boolean"},
                "claimant": {
                    "type": ["string", "null"],
                    "description": "Who made the claim (the named speaker or source); null: "
                    "the article states it in its own voice, i.e. the publication.",
                },
                "claimant_kind": {
                    "type": ["string", "null"],
                    "enum": ["person", "organization", None],
                },
                "claimant_start": {
                    "type": ["integer", "null"],
                    "description": "Offset of the claimant's name in the body (null: none).",
                },
                "claimant_end": {"type": ["integer", "null"]},
                "wording_source": {
                    "type": "string",
                    "enum": ["rewritten", "quote", "edited"],
                    "description": "How the wording was made: rewritten by the extractor from "
                    "wording_spans, the passage itself (check it), or edited by hand.",
                },
                "wording_spans": {
                    "type": "array",
                    "items": {
                        "type": "array",
                        "items": {"type": "integer"},
                        "minItems": 2,
                        "maxItems": 2,
                    },
                    "description": "[start, end] offsets of the body every word of a rewritten "
                    "wording comes from.",
                },
                "version": {"type": "integer"},
                "created_at": timestamp,
                "updated_at": timestamp,
            },
        },
        "ClaimantInput": {
            "type": "object",
            "required": ["claimant"],
            "description": "Other fields of a Claim response (id, version, ...) may be sent "
            "back and are ignored.",
            "properties": {
                "claimant": {
                    "type": ["string", "null"],
                    "maxLength": 300,
                    "description": "Who made the claim, as the article names them; null: the "
                    "publication (the article states it in its own voice).",
                },
                "claimant_kind": {
                    "type": ["string", "null"],
                    "enum": ["person", "organization", None],
                    "description": "Required with a name.",
                },
                "reason": {
                    "type": ["string", "null"],
                    "maxLength": 5000,
                    "description": "Why (shown to the editors with a proposal).",
                },
            },
        },
        "ClaimPrecondition": {
            "allOf": [
                _ref("Error"),
                {
                    "type": "object",
                    "properties": {"current": _ref("Claim")},
                    "description": "`current` is the claim as stored now.",
                },
            ]
        },
        "ClaimantProposal": {
            "type": "object",
            "required": ["id", "claim_id", "kind", "status"],
            "properties": {
                "id": {"type": "integer"},
                "claim_id": {"type": "integer"},
                "kind": {"type": "string", "enum": ["claimant"]},
                "claimant": {"type": ["string", "null"]},
                "claimant_kind": {
                    "type": ["string", "null"],
                    "enum": ["person", "organization", None],
                },
                "base_claimant": {"type": ["string", "null"]},
                "base_claimant_kind": {"type": ["string", "null"]},
                "base_version": {"type": "integer"},
                "reason": {"type": "string"},
                "status": {"type": "string", "enum": ["open"]},
                "created_at": timestamp,
            },
        },
        "ClaimList": {
            "type": "object",
            "required": ["article_id", "claims"],
            "properties": {
                "article_id": {"type": "integer"},
                "claims": {"type": "array", "items": _ref("Claim")},
            },
        },
        "Source": {
            "type": "object",
            "required": ["url"],
            "properties": {
                "url": {
                    "type": "string",
                    "description": "Its http:// or https:// address. Anything else (a "
                    "`javascript:` or `file:` address, a word) is kept as given, never fetched "
                    "and never shown as a link: its archive is `failed` with the reason "
                    "'Not archived: not a web address (javascript:).'",
                    "maxLength": limits.URL,
                },
                "title": _str(maxLength=limits.TITLE),
                "publisher": _str(maxLength=limits.PUBLISHER),
                "excerpt": _str(maxLength=limits.EXCERPT),
                "stance": {
                    "type": ["string", "null"],
                    "enum": ["supports", "refutes", "context", None],
                    "description": "Defaults to context.",
                },
                "accessed": _str("YYYY-MM-DD."),
                "archive": {
                    "oneOf": [_ref("SourceArchive"), {"type": "null"}],
                    "readOnly": True,
                    "description": "The source's archived copy, excerpt check and last link "
                    "check (null without an address). Sent back, it is ignored.",
                },
            },
            "additionalProperties": False,
        },
        "SourceArchive": {
            "type": "object",
            "properties": {
                "state": {
                    "type": "string",
                    "enum": ["pending", "archiving", "archived", "failed"],
                },
                "reason": {"type": "string", "description": "Why it failed, or is retried."},
                "archived_at": {"type": ["string", "null"], "description": "Fetch time (UTC)."},
                "sha256": {"type": ["string", "null"], "description": "Of the body fetched."},
                "http_status": {"type": ["integer", "null"]},
                "content_type": {"type": ["string", "null"]},
                "final_url": {"type": ["string", "null"], "description": "After redirects."},
                "excerpt_check": {
                    "type": ["string", "null"],
                    "enum": ["found", "close", "not_found", None],
                },
                "excerpt_score": {"type": ["integer", "null"], "description": "Percent."},
                "link_status": {
                    "type": ["string", "null"],
                    "enum": ["alive", "changed", "gone", "unreachable", None],
                },
                "link_checked_at": {"type": ["string", "null"]},
            },
        },
        "Verdict": {
            "type": "object",
            "required": ["id", "claim_id", "rating", "rationale", "sources", "version"],
            "properties": {
                "id": {"type": "integer"},
                "claim_id": {"type": "integer"},
                "reviewer": {"type": "string"},
                "rating": {"type": "string", "enum": rating_keys},
                "label": {"type": "string"},
                "rationale": {"type": "string", "description": "Markdown."},
                "sources": {"type": "array", "items": _ref("Source")},
                "version": {"type": "integer"},
                "created_at": timestamp,
                "updated_at": timestamp,
            },
        },
        "VerdictInput": {
            "type": "object",
            "required": ["rating"],
            "description": "Fields of a Verdict response other than these (id, version, "
            "...) may be sent back and are ignored.",
            "properties": {
                "rating": {"type": "string", "enum": rating_keys},
                "rationale": {"type": "string", "maxLength": limits.RATIONALE},
                "sources": {
                    "type": "array",
                    "items": _ref("Source"),
                    "maxItems": limits.MAX_SOURCES,
                },
            },
        },
        "VerdictList": {
            "type": "object",
            "required": ["claim_id", "verdicts"],
            "properties": {
                "claim_id": {"type": "integer"},
                "verdicts": {"type": "array", "items": _ref("Verdict")},
            },
        },
        "FinalVerdict": {
            "type": "object",
            "properties": {
                "rating": {"type": "string"},
                "label": {"type": "string"},
                "reason": {"type": "string"},
                "decided_by": _str(),
                "version": {"type": "integer"},
                "created_at": timestamp,
                "updated_at": timestamp,
            },
        },
        "Correction": {
            "type": "object",
            "properties": {
                "before_rating": _str(),
                "after_rating": {"type": "string"},
                "note": {"type": "string"},
                "by": _str(),
                "at": timestamp,
            },
        },
        "Final": {
            "type": "object",
            "required": ["claim_id", "final", "corrections"],
            "properties": {
                "claim_id": {"type": "integer"},
                "final": _nullable(_ref("FinalVerdict")),
                "corrections": {"type": "array", "items": _ref("Correction")},
            },
        },
        "AgreementSummary": {
            "type": "object",
            "description": "Figures over claims with at least two verdicts; alphas and "
            "percent are null when undefined.",
            "properties": {
                "alpha_ordinal": {"type": ["number", "null"]},
                "alpha_nominal": {"type": ["number", "null"]},
                "percent": {"type": ["number", "null"], "description": "0..1."},
                "n_units": {"type": "integer", "description": "Claims."},
                "n_coders": {"type": "integer", "description": "Reviewers."},
                "n_ratings": {"type": "integer"},
            },
        },
        "PairAgreement": {
            "type": "object",
            "properties": {
                "reviewers": {
                    "type": "array",
                    "items": {"type": "string"},
                    "minItems": 2,
                    "maxItems": 2,
                },
                "n_units": {"type": "integer"},
                "percent": {"type": ["number", "null"]},
                "alpha_ordinal": {"type": ["number", "null"]},
                "alpha_nominal": {"type": ["number", "null"]},
            },
        },
        "ClaimAgreement": {
            "type": "object",
            "properties": {
                "claim_id": {"type": "integer"},
                "n": {"type": "integer"},
                "distribution": {"type": "object", "additionalProperties": {"type": "integer"}},
                "majority": _str(),
                "unanimous": {"type": "boolean"},
                "spread": {"type": ["integer", "null"]},
                "disagreement": {"type": "boolean"},
            },
        },
        "ArticleAgreement": {
            "type": "object",
            "properties": {
                "article_id": {"type": "integer"},
                "summary": _ref("AgreementSummary"),
                "pairs": {"type": "array", "items": _ref("PairAgreement")},
                "claims": {"type": "array", "items": _ref("ClaimAgreement")},
                "hidden_claims": {
                    "type": "integer",
                    "description": "Claims left out because blind review hides them from you.",
                },
            },
        },
        "DeskAgreement": {
            "type": "object",
            "properties": {
                "summary": _ref("AgreementSummary"),
                "pairs": {"type": "array", "items": _ref("PairAgreement")},
            },
        },
        "ExportRequest": {
            "type": "object",
            "required": ["format"],
            "description": "Filters left out match everything. Under blind review, reviewers "
            "may not filter by verdict, status or another reviewer (403).",
            "properties": {
                "format": {"type": "string", "enum": list(EXPORT_FORMAT_NAMES)},
                **{key: schema for key, schema in _export_filters(rating_keys).items()},
            },
            "additionalProperties": False,
        },
        "ExportStarted": {
            "type": "object",
            "properties": {
                "format": {"type": "string"},
                "filters": {"type": "object"},
                "media_type": {"type": "string"},
                "href": {"type": "string", "description": "GET this to download the export."},
            },
        },
    }


EXPORT_FORMAT_NAMES = ("csv", "json", "jsonl", "claimreview", "markdown")
EXPORT_STATUS_NAMES = ("unreviewed", "in-review", "decided", "disputed")


def _export_filters(rating_keys: list[str]) -> dict[str, dict[str, Any]]:
    """The export filters' schemas (a JSON body's properties and the download's query)."""
    date = {"type": "string", "format": "date"}
    return {
        "article": {"type": "integer", "minimum": 1, "description": "Only this article."},
        "since": date | {"description": "Articles published on or after this date."},
        "until": date | {"description": "Articles published on or before this date."},
        "publisher": {"type": "string", "description": "Articles of this publisher."},
        "verdict": {
            "type": "string",
            "enum": rating_keys,
            "description": "Claims with this final verdict (else reviewers' majority).",
        },
        "reviewer": {"type": "string", "description": "Claims with this reviewer's verdict."},
        "status": {"type": "string", "enum": list(EXPORT_STATUS_NAMES)},
        "published": {"type": "boolean", "description": "Articles the desk has published."},
        "include_dismissed": {"type": "boolean", "default": False},
        "checkworthy_only": {"type": "boolean", "default": False},
    }


def _responses() -> dict[str, Any]:
    def error(description: str) -> dict[str, Any]:
        return _json(_ref("Error"), description)

    return {
        "BadRequest": error("The body is not valid JSON."),
        "Unauthorized": error(
            "No token, a malformed Authorization header, or a token that is unknown, "
            "revoked, or whose user is disabled."
        )
        | {
            "headers": {
                "WWW-Authenticate": {"schema": {"type": "string"}, "description": "Bearer."}
            }
        },
        "Forbidden": error("Your role or blind review does not allow this."),
        "Conflict": error("The resource's state does not allow this; the message says why."),
        "NotFound": error("No such resource, or not one you may see."),
        "UnsupportedMediaType": error("The body is not sent as application/json."),
        "Unprocessable": error("The input is not acceptable; the message says why."),
    }


def _parameters() -> dict[str, Any]:
    def path_id(name: str, what: str) -> dict[str, Any]:
        return {
            "name": name,
            "in": "path",
            "required": True,
            "description": f"The {what}'s id.",
            "schema": {"type": "integer", "minimum": 0, "maximum": limits.MAX_ID},
        }

    return {
        "ArticleId": path_id("article_id", "article"),
        "ClaimId": path_id("claim_id", "claim"),
        "ImportId": path_id("import_id", "import"),
        "BatchId": path_id("batch_id", "batch"),
        "Limit": {
            "name": "limit",
            "in": "query",
            "description": "Page size.",
            "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 50},
        },
        "Offset": {
            "name": "offset",
            "in": "query",
            "description": "Items to skip.",
            "schema": {
                "type": "integer",
                "minimum": 0,
                "maximum": limits.MAX_OFFSET,
                "default": 0,
            },
        },
    }


def _param(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/parameters/{name}"}


def _op(
    operation_id: str,
    summary: str,
    responses: dict[str, Any],
    *,
    tag: str,
    description: str | None = None,
    parameters: list[dict[str, Any]] | None = None,
    body: dict[str, Any] | None = None,
    public: bool = False,
) -> dict[str, Any]:
    operation: dict[str, Any] = {"operationId": operation_id, "summary": summary, "tags": [tag]}
    if description:
        operation["description"] = description
    if parameters:
        operation["parameters"] = parameters
    if body is not None:
        operation["requestBody"] = body
    all_responses = dict(responses)
    if public:
        operation["security"] = []
    else:
        all_responses.setdefault("401", _error("Unauthorized"))
    operation["responses"] = dict(sorted(all_responses.items()))
    return operation


def _body(schema_name: str, description: str) -> dict[str, Any]:
    return {
        "required": True,
        "description": description,
        "content": {"application/json": {"schema": _ref(schema_name)}},
    }


def _paths(rating_keys: list[str]) -> dict[str, Any]:
    article = [_param("ArticleId")]
    claim = [_param("ClaimId")]
    not_found = {"404": _error("NotFound")}
    json_input = {"400": _error("BadRequest"), "415": _error("UnsupportedMediaType")}
    export_query = [
        {
            "name": "format",
            "in": "query",
            "required": True,
            "schema": {"type": "string", "enum": list(EXPORT_FORMAT_NAMES)},
        },
        *(
            {"name": name, "in": "query", "schema": schema}
            for name, schema in _export_filters(rating_keys).items()
        ),
    ]
    export_content = {
        "text/csv": {"schema": {"type": "string"}},
        "application/json": {"schema": {"type": "object"}},
        "application/x-ndjson": {"schema": {"type": "string"}},
        "application/ld+json": {"schema": {"type": "array"}},
        "text/markdown": {"schema": {"type": "string"}},
    }
    return {
        "/articles": {
            "get": _op(
                "listArticles",
                "Articles you may see, newest first",
                {
                    "200": _json(_ref("ArticleList"), "A page of articles (bodies left out)."),
                    "400": _error("BadRequest"),
                    "422": _error("Unprocessable"),
                },
                tag="articles",
                description="Editors and admins see every article; reviewers the ones assigned "
                "to them or added by them.",
                parameters=[_param("Limit"), _param("Offset")],
            ),
            "post": _op(
                "createArticle",
                "Add an article; its claims are extracted",
                {
                    "201": _json(
                        _ref("ArticleCreated"),
                        "Stored.",
                        headers={"Location": _LOCATION_HEADER},
                    ),
                    "409": _json(_ref("DuplicateArticle"), "The same text is stored already."),
                    "422": _error("Unprocessable"),
                    **json_input,
                },
                tag="articles",
                body=_body("NewArticle", "The article and its metadata."),
            ),
        },
        "/articles/{article_id}": {
            "get": _op(
                "getArticle",
                "One article with its body",
                {"200": _json(_ref("Article"), "The article."), **not_found},
                tag="articles",
                parameters=article,
            )
        },
        "/articles/{article_id}/claims": {
            "get": _op(
                "listClaims",
                "The article's claims in reading order",
                {
                    "200": _json(_ref("ClaimList"), "The claims."),
                    "422": _error("Unprocessable"),
                    **not_found,
                },
                tag="claims",
                parameters=[
                    *article,
                    {
                        "name": "include_dismissed",
                        "in": "query",
                        "schema": {"type": "boolean", "default": False},
                    },
                ],
            )
        },
        "/articles/{article_id}/agreement": {
            "get": _op(
                "getArticleAgreement",
                "Agreement between reviewers on the article",
                {"200": _json(_ref("ArticleAgreement"), "Agreement figures."), **not_found},
                tag="agreement",
                description="Under blind review a reviewer's figures cover only the claims on "
                "which they have given a verdict.",
                parameters=article,
            )
        },
        "/agreement": {
            "get": _op(
                "getDeskAgreement",
                "Desk-wide agreement (editors and admins)",
                {
                    "200": _json(_ref("DeskAgreement"), "Agreement figures."),
                    "403": _error("Forbidden"),
                },
                tag="agreement",
            )
        },
        "/claims/search": {
            "get": _op(
                "searchClaims",
                "Search the claims you may see",
                {
                    "200": _json(_ref("SearchResults"), "Matching claims, best first."),
                    "422": _error("Unprocessable"),
                },
                tag="claims",
                description="Full-text search over the wording and quote of every claim not "
                "dismissed, in the articles you may see. Every word must match (accents, case "
                'and English word endings aside); `"exact phrase"`, `word*` (prefix, three '
                "letters at least) and `a OR b` are understood; everything else that is not a "
                "letter or digit separates words (no query is a syntax error). At most 32 "
                "terms. Under blind review a result's verdicts and final verdict are left out "
                "until you give your own verdict on that claim.",
                parameters=[
                    {
                        "name": "q",
                        "in": "query",
                        "required": True,
                        "description": "The words to search for.",
                        "schema": {"type": "string", "minLength": 1},
                    },
                    {
                        "name": "limit",
                        "in": "query",
                        "description": "Page size.",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
                    },
                    _param("Offset"),
                    {
                        "name": "sort",
                        "in": "query",
                        "description": "`relevance` (best match first, bm25) or `newest` "
                        "(most recently stored first).",
                        "schema": {
                            "type": "string",
                            "enum": list(SORTS),
                            "default": "relevance",
                        },
                    },
                ],
            )
        },
        "/claims/{claim_id}/similar": {
            "get": _op(
                "similarClaims",
                "Earlier checks of similar claims",
                {
                    "200": _json(_ref("SimilarClaims"), "Similar claims, best first."),
                    "422": _error("Unprocessable"),
                    **not_found,
                },
                tag="claims",
                description="Claims of other articles you may see that share the most "
                "significant words of this claim's wording (bm25; stopwords and words under "
                "three letters left out), those with a final verdict you may see first among "
                "close matches. The same blind-review rule as the search applies.",
                parameters=[
                    *claim,
                    {
                        "name": "limit",
                        "in": "query",
                        "description": "How many.",
                        "schema": {"type": "integer", "minimum": 1, "maximum": 20, "default": 5},
                    },
                ],
            )
        },
        "/claims/{claim_id}": {
            "get": _op(
                "getClaim",
                "One claim",
                {
                    "200": _json(_ref("Claim"), "The claim.", headers={"ETag": _CLAIM_ETAG_HEADER}),
                    **not_found,
                },
                tag="claims",
                parameters=claim,
            )
        },
        "/claims/{claim_id}/claimant": {
            "put": _op(
                "putClaimant",
                "Say who made the claim",
                {
                    "200": _json(
                        _ref("Claim"),
                        "Set: the claim as stored now.",
                        headers={"ETag": _CLAIM_ETAG_HEADER},
                    ),
                    "202": _json(
                        _ref("ClaimantProposal"),
                        "Proposed: an editor accepts or rejects it (your open proposal on "
                        "the claim, if any, is replaced).",
                    ),
                    "409": _error("Conflict"),
                    "412": _json(
                        _ref("ClaimPrecondition"),
                        "If-Match does not name the stored version: nothing was saved; "
                        "`current` is the claim as stored now.",
                    ),
                    "422": _error("Unprocessable"),
                    "428": _json(_ref("ClaimPrecondition"), "No If-Match was sent."),
                    **not_found,
                    **json_input,
                },
                tag="claims",
                description="The claimant is who made the claim: a named person or "
                "organization, or null for the publication. Needs "
                '`If-Match: "<version>"` with the ETag of the claim (GET it first). Editors '
                "and admins set it directly before publication (reviewers too while the desk "
                "lets reviewers shape claims); otherwise it becomes a proposal to the editors "
                "(202). A published article's claims change only through a correction with a "
                "note (409). The name's mention in the article is found again, nearest before "
                "the claim.",
                parameters=[
                    *claim,
                    {
                        "name": "If-Match",
                        "in": "header",
                        "required": True,
                        "description": 'ETag of the claim version you changed, e.g. `"3"`.',
                        "schema": {"type": "string"},
                    },
                ],
                body=_body("ClaimantInput", "The claimant."),
            )
        },
        "/claims/{claim_id}/verdict": {
            "get": _op(
                "getMyVerdict",
                "Your verdict on the claim",
                {
                    "200": _json(_ref("Verdict"), "Your verdict.", headers={"ETag": _ETAG_HEADER}),
                    **not_found,
                },
                tag="verdicts",
                parameters=claim,
            ),
            "put": _op(
                "putMyVerdict",
                "Create or update your verdict on the claim",
                {
                    "200": _json(_ref("Verdict"), "Updated.", headers={"ETag": _ETAG_HEADER}),
                    "201": _json(
                        _ref("Verdict"),
                        "Created.",
                        headers={"ETag": _ETAG_HEADER, "Location": _LOCATION_HEADER},
                    ),
                    "412": _json(
                        _ref("VerdictPrecondition"),
                        "If-Match does not name the stored version (or there is no verdict "
                        "to match): nothing was saved; `current` is the stored verdict.",
                    ),
                    "422": _error("Unprocessable"),
                    "428": _json(
                        _ref("VerdictPrecondition"),
                        "You have a verdict already and sent no If-Match.",
                    ),
                    **not_found,
                    **json_input,
                },
                tag="verdicts",
                description="Creating a verdict needs no precondition. Updating one needs "
                '`If-Match: "<version>"` with the ETag of the version you changed, so that '
                "nobody's change is overwritten silently. Only your own verdict is written.",
                parameters=[
                    *claim,
                    {
                        "name": "If-Match",
                        "in": "header",
                        "description": 'ETag of the version you changed, e.g. `"3"`; required '
                        "when you have a verdict on the claim already.",
                        "schema": {"type": "string"},
                    },
                ],
                body=_body("VerdictInput", "The verdict; its sources replace the stored ones."),
            ),
        },
        "/claims/{claim_id}/verdicts": {
            "get": _op(
                "listVerdicts",
                "Every reviewer's verdict on the claim",
                {
                    "200": _json(_ref("VerdictList"), "The verdicts."),
                    "403": _error("Forbidden"),
                    **not_found,
                },
                tag="verdicts",
                description="Under blind review a reviewer gets them only after saving their "
                "own verdict on the claim (403 before). Editors and admins always.",
                parameters=claim,
            )
        },
        "/claims/{claim_id}/final": {
            "get": _op(
                "getFinalVerdict",
                "The claim's final verdict and its corrections",
                {
                    "200": _json(_ref("Final"), "The final verdict (null if not settled)."),
                    "403": _error("Forbidden"),
                    **not_found,
                },
                tag="verdicts",
                description="Under blind review, like the other verdicts, only after saving "
                "your own.",
                parameters=claim,
            )
        },
        "/exports": {
            "post": _op(
                "startExport",
                "Start an export",
                {
                    "201": _json(
                        _ref("ExportStarted"),
                        "The export is ready to download from `Location`.",
                        headers={"Location": _LOCATION_HEADER},
                    ),
                    "403": _error("Forbidden"),
                    "422": _error("Unprocessable"),
                    **not_found,
                    **json_input,
                },
                tag="exports",
                description="Reviewers' exports hold only their articles and, under blind "
                "review, only the verdicts they may see.",
                body=_body("ExportRequest", "Format and filters."),
            )
        },
        "/exports/download": {
            "get": _op(
                "downloadExport",
                "Download an export (streamed)",
                {
                    "200": {"description": "The export.", "content": export_content},
                    "403": _error("Forbidden"),
                    "422": _error("Unprocessable"),
                    **not_found,
                },
                tag="exports",
                parameters=export_query,
            )
        },
        "/openapi.json": {
            "get": _op(
                "getOpenAPI",
                "This document",
                {"200": _json({"type": "object"}, "The OpenAPI document.")},
                tag="meta",
                public=True,
            )
        },
    }


def _import_schemas() -> dict[str, Any]:
    timestamp = {"type": "string", "description": "UTC time, ISO 8601."}
    return {
        "NewUrlImport": {
            "type": "object",
            "required": ["url"],
            "properties": {
                "url": _str("The article's http(s) address.", maxLength=limits.URL),
            },
        },
        "UrlImport": {
            "type": "object",
            "required": ["id", "url", "state", "message", "href"],
            "properties": {
                "id": {"type": "integer"},
                "url": {"type": "string"},
                "state": {
                    "type": "string",
                    "enum": ["queued", "fetching", "done", "failed"],
                    "description": "queued (waiting for a job worker), fetching, done (see "
                    "`article_href`) or failed (see `error`).",
                },
                "message": {"type": "string", "description": "The state, for a person."},
                "error": _str("Why it failed (state failed)."),
                "article_id": {"type": ["integer", "null"]},
                "article_href": _str(),
                "duplicate": {
                    "type": "boolean",
                    "description": "The article was stored already (same text): the import "
                    "points at it.",
                },
                "claims": {"type": ["integer", "null"], "description": "Claims extracted."},
                "notices": {"type": "array", "items": {"type": "string"}},
                "created_at": timestamp,
                "started_at": _nullable(timestamp),
                "finished_at": _nullable(timestamp),
                "href": {"type": "string"},
            },
        },
        "ImportBatch": {
            "type": "object",
            "required": ["id", "state", "total", "done", "extracting", "failed", "href"],
            "properties": {
                "id": {"type": "integer"},
                "source": {"type": "string"},
                "state": {
                    "type": "string",
                    "enum": ["extracting", "done"],
                    "description": "extracting until every article has its claims (or failed).",
                },
                "total": {"type": "integer", "description": "Articles stored."},
                "duplicates": {"type": "integer", "description": "Records skipped: same text."},
                "extracting": {"type": "integer", "description": "Articles without claims yet."},
                "done": {"type": "integer", "description": "Articles with their claims."},
                "failed": {"type": "integer", "description": "Articles whose extraction failed."},
                "finished": {"type": "integer", "description": "done + failed."},
                "message": {"type": "string"},
                "counts_text": {"type": "string"},
                "created_at": timestamp,
                "href": {"type": "string"},
                "article_ids": {
                    "type": "array",
                    "items": {"type": "integer"},
                    "description": "The articles stored (in the 202 answer only).",
                },
                "duplicate_of": {
                    "type": "array",
                    "items": {"type": ["integer", "null"]},
                    "description": "For each duplicate record, the stored article it repeats "
                    "(null: an earlier record of the batch). In the 202 answer only.",
                },
            },
        },
    }


def _import_paths() -> dict[str, Any]:
    not_found = {"404": _error("NotFound")}
    too_many = _json(_ref("Error"), "Too many imports running; try again (Retry-After).")
    accepted = {"Location": _LOCATION_HEADER}
    records = {"schema": {"type": "string"}}
    return {
        "/imports/url": {
            "post": _op(
                "startUrlImport",
                "Import an article from a web address, in the background",
                {
                    "202": _json(_ref("UrlImport"), "Queued: follow it at `Location`.")
                    | {"headers": accepted},
                    "422": _error("Unprocessable"),
                    "429": too_many,
                    "400": _error("BadRequest"),
                    "415": _error("UnsupportedMediaType"),
                },
                tag="imports",
                description="The server fetches the page as a background job (public addresses "
                "only, 3 x FETCH_TIMEOUT_SECONDS at most) and stores the article with its "
                "claims. At most FETCH_MAX_CONCURRENT imports run on the desk and "
                "FETCH_MAX_PER_USER for one user: more are refused (429).",
                body=_body("NewUrlImport", "The page's address."),
            )
        },
        "/imports/url/{import_id}": {
            "get": _op(
                "getUrlImport",
                "An import from a web address",
                {"200": _json(_ref("UrlImport"), "Its state."), **not_found},
                tag="imports",
                description="Yours, or any for editors and admins.",
                parameters=[_param("ImportId")],
            )
        },
        "/imports/bulk": {
            "post": _op(
                "bulkImport",
                "Store many articles at once; claims extracted in the background",
                {
                    "202": _json(_ref("ImportBatch"), "Stored: follow it at `Location`.")
                    | {"headers": accepted},
                    "400": _error("BadRequest"),
                    "415": _error("UnsupportedMediaType"),
                    "422": _error("Unprocessable"),
                },
                tag="imports",
                description='A JSON array of article records (or `{"articles": [...]}`), '
                "JSON Lines (application/x-ndjson) or CSV with a header row (text/csv). A "
                "record has `text` or `html`, and optionally `title`, `url`, `publisher`, "
                "`author`, `date`. Every record is checked first: a bad one is named in the "
                "422 and nothing is stored. Records whose text is stored already are skipped.",
                body={
                    "required": True,
                    "description": "The records.",
                    "content": {
                        "application/json": {
                            "schema": {"type": "array", "items": _ref("NewArticle")}
                        },
                        "application/x-ndjson": records,
                        "text/csv": records,
                    },
                },
            )
        },
        "/imports/batches/{batch_id}": {
            "get": _op(
                "getImportBatch",
                "A bulk import's progress",
                {"200": _json(_ref("ImportBatch"), "Its progress."), **not_found},
                tag="imports",
                description="Yours, or any for editors and admins.",
                parameters=[_param("BatchId")],
            )
        },
    }


def _discussion_schemas() -> dict[str, Any]:
    timestamp = {"type": "string", "description": "UTC time, ISO 8601."}
    markdown = {"type": "string", "minLength": 1, "maxLength": 10_000}
    return {
        "Comment": {
            "type": "object",
            "required": ["id", "claim_id", "kind", "author", "body", "body_html", "created_at"],
            "properties": {
                "id": {"type": "integer"},
                "claim_id": {"type": "integer"},
                "kind": {
                    "type": "string",
                    "enum": ["comment", "return"],
                    "description": "`return`: the reason an editor gave for returning a verdict.",
                },
                "author": _str("Who wrote it (username)."),
                "body": {"type": "string", "description": "Markdown, as written."},
                "body_html": {"type": "string", "description": "Its sanitised HTML."},
                "created_at": timestamp,
                "updated_at": timestamp,
                "returned_reviewer": _str("`return`: whose verdict it returned."),
                "return_resolved_at": _str("`return`: when that reviewer saved it again."),
            },
        },
        "CommentList": {
            "type": "object",
            "required": ["claim_id", "comments", "hidden"],
            "properties": {
                "claim_id": {"type": "integer"},
                "comments": {"type": "array", "items": _ref("Comment")},
                "hidden": {
                    "type": "boolean",
                    "description": "Blind review holds other reviewers' comments back until "
                    "you save a verdict on the claim (never says how many).",
                },
            },
        },
        "NewComment": {
            "type": "object",
            "required": ["body"],
            "properties": {
                "body": markdown
                | {"description": "Markdown; `@name` tells a colleague who may see the claim."}
            },
        },
        "CommentPosted": {
            "type": "object",
            "required": ["comment", "mentioned"],
            "properties": {
                "comment": _ref("Comment"),
                "mentioned": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "The users told of their `@mention`.",
                },
            },
        },
        "Return": {
            "type": "object",
            "required": ["id", "claim_id", "reviewer", "returned_by", "reason", "created_at"],
            "properties": {
                "id": {"type": "integer"},
                "claim_id": {"type": "integer"},
                "reviewer": _str("Whose verdict was returned."),
                "returned_by": _str("The editor who returned it."),
                "reason": {"type": "string", "description": "Markdown."},
                "reason_html": {"type": "string", "description": "Its sanitised HTML."},
                "created_at": timestamp,
            },
        },
        "ReturnList": {
            "type": "object",
            "required": ["claim_id", "returns"],
            "properties": {
                "claim_id": {"type": "integer"},
                "returns": {"type": "array", "items": _ref("Return")},
            },
        },
        "NewReturn": {
            "type": "object",
            "required": ["reviewer", "reason"],
            "properties": {
                "reviewer": {"type": "string", "description": "The reviewer's username."},
                "reason": markdown | {"description": "What should change (Markdown)."},
            },
        },
        "ReturnPosted": {
            "type": "object",
            "required": ["return"],
            "properties": {"return": _ref("Return")},
        },
        "InboxItem": {
            "type": "object",
            "required": ["id", "kind", "text", "url", "created_at", "read_at"],
            "properties": {
                "id": {"type": "integer"},
                "kind": {
                    "type": "string",
                    "description": "mention, returned, resaved, assigned, proposal, decided …",
                },
                "label": _str("The kind, for a person."),
                "text": {"type": "string"},
                "actor": _str("Who caused it."),
                "url": {"type": "string", "description": "The app page it is about."},
                "created_at": timestamp,
                "read_at": _str("When you read it (null: unread)."),
            },
        },
        "Inbox": {
            "type": "object",
            "required": ["items", "unread", "next"],
            "properties": {
                "items": {"type": "array", "items": _ref("InboxItem")},
                "unread": {"type": "integer", "description": "Your unread items, in all."},
                "next": _str("The next (older) page's address; null on the last."),
            },
        },
        "InboxRead": {
            "type": "object",
            "description": "One of `items`, `all` or `unread`.",
            "properties": {
                "items": {
                    "type": "array",
                    "items": {"type": "integer"},
                    "maxItems": 500,
                    "description": "Mark these items read.",
                },
                "all": {"type": "boolean", "description": "`true`: mark every item read."},
                "unread": {"type": "integer", "description": "Mark this item unread again."},
            },
        },
        "InboxChanged": {
            "type": "object",
            "required": ["changed", "unread"],
            "properties": {
                "changed": {"type": "integer", "description": "How many items changed."},
                "unread": {"type": "integer", "description": "Your unread items now."},
            },
        },
    }


def _discussion_paths() -> dict[str, Any]:
    claim = [_param("ClaimId")]
    not_found = {"404": _error("NotFound")}
    created = {"headers": {"Location": _LOCATION_HEADER}}
    body_errors = {
        "400": _error("BadRequest"),
        "415": _error("UnsupportedMediaType"),
        "422": _error("Unprocessable"),
    }
    return {
        "/claims/{claim_id}/comments": {
            "get": _op(
                "listComments",
                "The claim's comments",
                {"200": _json(_ref("CommentList"), "Oldest first."), **not_found},
                tag="discussion",
                description="Whoever may see the claim reads its thread; under blind review "
                "a reviewer sees other reviewers' comments (and the returns of their "
                "verdicts) only after saving their own verdict on the claim.",
                parameters=claim,
            ),
            "post": _op(
                "postComment",
                "Comment on the claim",
                {"201": _json(_ref("CommentPosted"), "Posted.") | created, **not_found}
                | body_errors,
                tag="discussion",
                description="Whoever may see the claim. A comment is not a verdict: never say "
                "what you or another reviewer rated the claim.",
                parameters=claim,
                body=_body("NewComment", "The comment."),
            ),
        },
        "/claims/{claim_id}/returns": {
            "get": _op(
                "listReturns",
                "The claim's returned verdicts not saved again",
                {"200": _json(_ref("ReturnList"), "Open returns."), **not_found},
                tag="discussion",
                description="Editors and admins see every open return; a reviewer their own.",
                parameters=claim,
            ),
            "post": _op(
                "returnVerdict",
                "Return a reviewer's verdict with a reason (editors)",
                {
                    "201": _json(_ref("ReturnPosted"), "Returned.") | created,
                    "403": _error("Forbidden"),
                    "409": _error("Conflict"),
                    **not_found,
                }
                | body_errors,
                tag="discussion",
                description="The verdict is not current (left out of agreement, "
                "disagreements and exports' figures) until its reviewer saves it again. 409: "
                "returned already and not saved since; 422: no such user or no verdict of "
                "theirs on the claim.",
                parameters=claim,
                body=_body("NewReturn", "Whose verdict, and why."),
            ),
        },
        "/inbox": {
            "get": _op(
                "inbox",
                "Your inbox",
                {"200": _json(_ref("Inbox"), "Newest first."), "422": _error("Unprocessable")},
                tag="discussion",
                description="Mentions, verdicts returned to you (and, for editors, saved "
                "again), assignments, proposals to decide and decisions on yours.",
                parameters=[
                    {
                        "name": "unread",
                        "in": "query",
                        "description": "`true`: unread items only.",
                        "schema": {"type": "boolean", "default": False},
                    },
                    {
                        "name": "before",
                        "in": "query",
                        "description": "Items older than this id (the next page).",
                        "schema": {"type": "integer", "minimum": 0},
                    },
                    _param("Limit"),
                ],
            )
        },
        "/inbox/read": {
            "post": _op(
                "markInboxRead",
                "Mark inbox items read (or one unread)",
                {"200": _json(_ref("InboxChanged"), "Done.")} | body_errors,
                tag="discussion",
                description="Only your own items change; other ids change nothing.",
                body=_body("InboxRead", "Which items."),
            )
        },
    }


def build_document(app: Flask) -> dict[str, Any]:
    """The OpenAPI 3.1 document of ``app``'s JSON API."""
    rating_keys = [entry["key"] for entry in app.config["RATING_SCALE"]]
    all_paths = _paths(rating_keys) | _import_paths() | _discussion_paths()
    paths = {API_PREFIX + path: item for path, item in all_paths.items()}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "factcheck API",
            "version": __version__,
            "description": "Articles, claims, reviewers' verdicts, agreement and exports of a "
            "factcheck desk. Authenticate with a personal API token from your account page: "
            '`Authorization: Bearer <token>`. Errors are JSON `{"error": ..., "status": '
            "...}`. Access follows the desk's rules: reviewers see the articles assigned to "
            "them, and under blind review other verdicts only after giving their own.",
            "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"},
        },
        "servers": [{"url": "/"}],
        "security": [{"bearerAuth": []}],
        "tags": [
            {"name": name}
            for name in (
                "articles",
                "imports",
                "claims",
                "verdicts",
                "agreement",
                "exports",
                "discussion",
                "meta",
            )
        ],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A personal API token (created on /account).",
                }
            },
            "schemas": _schemas(rating_keys) | _import_schemas() | _discussion_schemas(),
            "responses": _responses(),
            "parameters": _parameters(),
        },
    }
