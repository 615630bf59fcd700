"""The API's claims (routes of the ``api`` blueprint): searching them, similar ones, one claim,
and saying who made it (``PUT .../claimant`` with ``If-Match``: set directly, proposed to the
editors, or refused for a published article)."""

from __future__ import annotations

from typing import Any

from flask import g, jsonify, request, url_for

from .. import access, search, store
from ..db import get_db
from .api import (
    CLAIM_KEYS,
    ApiError,
    _blind,
    _check_fields,
    _claim,
    _etag,
    _int_arg,
    _json_body,
    _labels,
    _optional_text,
    _visible_claim,
    route,
)

SEARCH_LIMIT = 100
SIMILAR_MAX = 20


def _search_result(result: dict[str, Any]) -> dict[str, Any]:
    return result | {
        "href": url_for("api.get_claim", claim_id=result["claim_id"]),
        "review_url": url_for(
            "review.article", article_id=result["article_id"], claim=result["claim_id"]
        ),
    }


@route("/claims/search", methods=["GET"])
def search_claims() -> Any:
    text = request.args.get("q")
    if text is None or not text.strip():
        raise ApiError(422, "'q' is required: the words to search for.")
    limit = _int_arg("limit", 20, 1, SEARCH_LIMIT)
    offset = _int_arg("offset", 0, 0)
    sort = request.args.get("sort", "relevance")
    if sort not in search.SORTS:
        raise ApiError(422, f"'sort' must be one of: {', '.join(search.SORTS)}.")
    found = search.search(
        get_db(),
        g.user,
        text,
        blind=_blind(),
        labels=_labels(),
        sort=sort,
        limit=limit,
        offset=offset,
    )
    found["results"] = [_search_result(r) for r in found["results"]]
    found["next_offset"] = offset + limit if found.pop("has_next") else None
    return jsonify(found)


@route("/claims/<int:claim_id>/similar", methods=["GET"])
def similar_claims(claim_id: int) -> Any:
    claim = _visible_claim(claim_id)
    limit = _int_arg("limit", search.SIMILAR_LIMIT, 1, SIMILAR_MAX)
    found = search.similar(get_db(), g.user, claim, blind=_blind(), labels=_labels(), limit=limit)
    return jsonify({"claim_id": claim_id, "results": [_search_result(r) for r in found]})


@route("/claims/<int:claim_id>", methods=["GET"])
def get_claim(claim_id: int) -> Any:
    claim = _visible_claim(claim_id)
    response = jsonify(_claim(claim))
    response.headers["ETag"] = _etag(claim["version"])
    return response


CLAIMANT_FIELDS = ("claimant", "claimant_kind", "reason")
# Fields of a claim as GET returns it that may come back in a PUT of its claimant; ignored.
CLAIM_READ_ONLY = tuple(key for key in CLAIM_KEYS if key not in CLAIMANT_FIELDS)
_PROPOSAL_KEYS = (
    "id",
    "claim_id",
    "kind",
    "claimant",
    "claimant_kind",
    "base_claimant",
    "base_claimant_kind",
    "base_version",
    "reason",
    "status",
    "created_at",
)


def _claim_precondition(claim: dict[str, Any], message: str, status: int = 412) -> ApiError:
    return ApiError(
        status, message, headers={"ETag": _etag(claim["version"])}, current=_claim(claim)
    )


@route("/claims/<int:claim_id>/claimant", methods=["PUT"])
def put_claimant(claim_id: int) -> Any:
    """Say who made the claim, as the review panel's claimant form does: ``claimant`` (a name)
    with ``claimant_kind`` (person or organization), or ``claimant: null`` for the
    publication. Needs ``If-Match`` with the claim's ETag. Set directly by whoever shapes the
    claim directly (editors, admins; reviewers while the desk lets them), proposed to the
    editors otherwise (202, with ``reason``); a published article's claims change only through
    a correction (409)."""
    claim = _visible_claim(claim_id)
    data = _json_body()
    _check_fields(data, CLAIMANT_FIELDS, CLAIM_READ_ONLY)
    if "claimant" not in data:
        raise ApiError(422, "'claimant' is required: a name, or null for the publication.")
    name = _optional_text(data, "claimant", store.CLAIMANT_MAX)
    kind = _optional_text(data, "claimant_kind")
    reason = _optional_text(data, "reason", store.proposals.MAX_REASON)
    db = get_db()
    if request.headers.get("If-Match") is None:
        raise _claim_precondition(
            claim,
            "Send 'If-Match' with the ETag of the claim version you changed (GET the claim "
            "first), so that nobody's change is overwritten silently.",
            428,
        )
    etags = request.if_match
    if not (etags.star_tag or etags.contains(str(claim["version"]))):
        raise _claim_precondition(
            claim,
            f"The claim changed since the version you sent (it is at version "
            f"{claim['version']} now): see 'current' and send your change again with its ETag.",
        )
    mode = access.claim_shaping(db, g.user, store.get_article_head(db, claim["article_id"]))
    if mode == access.CORRECTION:
        raise ApiError(
            409,
            "This article is published: its claims change only through an editor's correction "
            "with a note, in the browser.",
        )
    try:
        if mode == access.PROPOSE:
            proposal = store.propose(
                db,
                claim_id,
                g.user["id"],
                "claimant",
                None,
                reason,
                claim["version"],
                claimant=name,
                claimant_kind=kind,
            )
            response = jsonify({key: proposal.get(key) for key in _PROPOSAL_KEYS})
            response.status_code = 202
            return response
        updated = store.set_claimant(db, claim_id, name, kind, claim["version"], g.user["id"])
    except store.Conflict as exc:
        raise _claim_precondition(
            exc.current or store.get_claim(db, claim_id),
            "The claim was changed from elsewhere at the same moment: see 'current' and send "
            "your change again with its ETag.",
        ) from None
    response = jsonify(_claim(updated))
    response.headers["ETag"] = _etag(updated["version"])
    return response
