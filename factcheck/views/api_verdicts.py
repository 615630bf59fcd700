"""The API's verdicts (routes of the ``api`` blueprint): the caller's own (``GET``/``PUT`` with
``If-Match``), the others' and the final verdict once blind review allows, and agreement (an
article's, the desk's)."""

from __future__ import annotations

import datetime
from typing import Any

from flask import current_app, g, jsonify, request, url_for

from .. import access, limits, store
from ..agreement import agreement_summary, claim_agreement, ordinal_order, pairwise_agreement
from ..db import get_db
from ..evidence import tasks as evidence_tasks
from .api import (
    SOURCE_FIELDS,
    SOURCE_LIMITS,
    VERDICT_FIELDS,
    VERDICT_READ_ONLY,
    ApiError,
    _blind,
    _check_fields,
    _etag,
    _json_body,
    _labels,
    _optional_text,
    _scale,
    _visible_claim,
    route,
)


def _verdict(verdict: dict[str, Any], reviewer: str | None = None) -> dict[str, Any]:
    labels = _labels()
    return {
        "id": verdict["id"],
        "claim_id": verdict["claim_id"],
        "reviewer": verdict.get("reviewer") or reviewer,
        "rating": verdict["rating"],
        "label": labels.get(verdict["rating"], verdict["rating"]),
        "rationale": verdict["rationale"],
        "sources": [
            {key: source.get(key) for key in SOURCE_FIELDS} | {"archive": source.get("archive")}
            for source in verdict["sources"]
        ],
        "version": verdict["version"],
        "created_at": verdict["created_at"],
        "updated_at": verdict["updated_at"],
    }


def _own_verdict(verdict: dict[str, Any]) -> dict[str, Any]:
    return _verdict(verdict, g.user["username"])


@route("/claims/<int:claim_id>/verdict", methods=["GET"])
def get_verdict(claim_id: int) -> Any:
    _visible_claim(claim_id)
    verdict = store.get_verdict(get_db(), claim_id, g.user["id"])
    if verdict is None:
        raise ApiError(
            404, f"You have no verdict on claim {claim_id} yet; PUT one to this address."
        )
    response = jsonify(_own_verdict(verdict))
    response.headers["ETag"] = _etag(verdict["version"])
    return response


def _verdict_input(data: dict[str, Any]) -> tuple[str, str, list[dict[str, Any]]]:
    _check_fields(data, VERDICT_FIELDS, VERDICT_READ_ONLY)
    rating = data.get("rating")
    keys = [entry["key"] for entry in _scale()]
    if not isinstance(rating, str) or not rating:
        raise ApiError(422, f"'rating' is required: one of {', '.join(keys)}.")
    if rating not in keys:
        raise ApiError(422, f"Choose a verdict from the rating scale: one of {', '.join(keys)}.")
    rationale = _optional_text(data, "rationale", limits.RATIONALE) or ""
    sources = data.get("sources") or []
    if not isinstance(sources, list):
        raise ApiError(422, "'sources' must be a list of objects.")
    if len(sources) > limits.MAX_SOURCES:
        raise ApiError(
            422,
            f"A verdict has at most {limits.MAX_SOURCES} sources ({len(sources):,} given); "
            "nothing was saved.",
        )
    cleaned = []
    for position, source in enumerate(sources, start=1):
        if not isinstance(source, dict):
            raise ApiError(422, f"Source {position} must be an object.")
        unknown = sorted(set(source) - set(SOURCE_FIELDS) - {"archive"})  # (read-only)
        if unknown:
            raise ApiError(
                422,
                f"Source {position}: unknown field(s) {', '.join(unknown)}. "
                f"Allowed: {', '.join(SOURCE_FIELDS)}.",
            )
        for key in SOURCE_FIELDS:
            value = source.get(key)
            if value is not None and not isinstance(value, str):
                raise ApiError(422, f"Source {position}: '{key}' must be a string.")
            most = SOURCE_LIMITS.get(key)
            if most is not None and value is not None and len(value) > most:
                raise ApiError(422, f"Source {position}: '{key}' is at most {most:,} characters.")
        if not (source.get("url") or "").strip():
            raise ApiError(422, f"Source {position}: 'url' is required.")
        if source.get("stance") and source["stance"] not in store.STANCES:
            raise ApiError(
                422, f"Source {position}: stance must be one of {', '.join(store.STANCES)}."
            )
        accessed = source.get("accessed")
        if accessed:
            try:
                datetime.date.fromisoformat(accessed)
            except ValueError:
                raise ApiError(
                    422, f"Source {position}: 'accessed' must be a date, YYYY-MM-DD."
                ) from None
        cleaned.append({key: source.get(key) for key in SOURCE_FIELDS})
    return rating, rationale, cleaned


def _precondition_failed(claim_id: int, current: dict[str, Any] | None, message: str) -> ApiError:
    headers = {"ETag": _etag(current["version"])} if current else {}
    return ApiError(
        412,
        message,
        headers=headers,
        current=_own_verdict(current) if current else None,
    )


@route("/claims/<int:claim_id>/verdict", methods=["PUT"])
def put_verdict(claim_id: int) -> Any:
    _visible_claim(claim_id)
    rating, rationale, sources = _verdict_input(_json_body())
    db = get_db()
    user_id = g.user["id"]
    current = store.get_verdict(db, claim_id, user_id)
    has_precondition = request.headers.get("If-Match") is not None
    version: int | None
    if current is None:
        if has_precondition:
            raise _precondition_failed(
                claim_id,
                None,
                "You have no verdict on this claim yet: create it without If-Match.",
            )
        version = None
    else:
        if not has_precondition:
            raise ApiError(
                428,
                "You have a verdict on this claim already: send 'If-Match' with the ETag of "
                "the version you changed (GET it first).",
                headers={"ETag": _etag(current["version"])},
                current=_own_verdict(current),
            )
        etags = request.if_match
        if not (etags.star_tag or etags.contains(str(current["version"]))):
            raise _precondition_failed(
                claim_id,
                current,
                f"Your verdict changed since the version you sent (it is at version "
                f"{current['version']} now): merge your change into 'current' and send "
                "it again with its ETag.",
            )
        version = current["version"]
    try:
        saved = store.record_verdict(
            db,
            claim_id,
            user_id,
            rating,
            rationale,
            sources,
            version,
            [entry["key"] for entry in _scale()],
        )
    except store.Conflict as exc:
        latest = exc.current or store.get_verdict(db, claim_id, user_id)
        raise _precondition_failed(
            claim_id,
            latest,
            "Your verdict was saved from elsewhere at the same moment: merge your change into "
            "'current' and send it again with its ETag.",
        ) from None
    evidence_tasks.after_save(current_app.config, db, saved["id"])
    created = current is None
    response = jsonify(_own_verdict(saved))
    response.status_code = 201 if created else 200
    response.headers["ETag"] = _etag(saved["version"])
    if created:
        response.headers["Location"] = url_for("api.get_verdict", claim_id=claim_id)
    return response


@route("/claims/<int:claim_id>/verdicts", methods=["GET"])
def claim_verdicts(claim_id: int) -> Any:
    _visible_claim(claim_id)
    db = get_db()
    if not access.sees_others(db, g.user, claim_id, _blind()):
        raise ApiError(
            403,
            "Blind review: you see the other reviewers' verdicts on this claim once you have "
            f"saved your own (PUT /api/v1/claims/{claim_id}/verdict).",
        )
    verdicts = [_verdict(verdict) for verdict in store.list_verdicts(db, claim_id)]
    return jsonify({"claim_id": claim_id, "verdicts": verdicts})


@route("/claims/<int:claim_id>/final", methods=["GET"])
def claim_final(claim_id: int) -> Any:
    _visible_claim(claim_id)
    db = get_db()
    if not access.sees_others(db, g.user, claim_id, _blind()):
        raise ApiError(
            403,
            "Blind review: you see this claim's final verdict once you have saved your own "
            f"(PUT /api/v1/claims/{claim_id}/verdict).",
        )
    final = store.get_final_verdict(db, claim_id)
    labels = _labels()
    out = None
    if final is not None:
        out = {
            "rating": final["rating"],
            "label": labels.get(final["rating"], final["rating"]),
            "reason": final["reason"],
            "decided_by": final.get("decided_by_name"),
            "version": final["version"],
            "created_at": final["created_at"],
            "updated_at": final["updated_at"],
        }
    corrections = [
        {
            "before_rating": c["before_rating"],
            "after_rating": c["after_rating"],
            "note": c["note"],
            "by": c["username"],
            "at": c["at"],
        }
        for c in (store.list_corrections(db, claim_id) if final is not None else [])
    ]
    return jsonify({"claim_id": claim_id, "final": out, "corrections": corrections})


# Agreement -----------------------------------------------------------------------------------


def _named_pairs(
    ratings: list[tuple[int, int, str]], order: list[str], names: dict[int, str]
) -> list[dict[str, Any]]:
    pairs = []
    for pair in pairwise_agreement(ratings, order):
        a, b = pair["coders"]
        pairs.append(
            {
                "reviewers": sorted([names.get(a, str(a)), names.get(b, str(b))]),
                "n_units": pair["n_units"],
                "percent": pair["percent"],
                "alpha_ordinal": pair["alpha_ordinal"],
                "alpha_nominal": pair["alpha_nominal"],
            }
        )
    return sorted(pairs, key=lambda pair: pair["reviewers"])


@route("/articles/<int:article_id>/agreement", methods=["GET"])
def article_agreement(article_id: int) -> Any:
    db = get_db()
    access.require_article(db, g.user, article_id)
    order = ordinal_order(_scale())
    mode = store.get_settings(db)["disagreement_mode"]
    visible = access.visible_claim_ids(db, g.user, article_id, _blind())
    all_ratings = store.verdict_ratings(db, article_id)
    ratings = [r for r in all_ratings if r[0] in visible]
    by_claim: dict[int, list[str]] = {}
    for claim_id, _user, rating in ratings:
        by_claim.setdefault(claim_id, []).append(rating)
    claims = [
        {"claim_id": claim_id, **claim_agreement(values, order, mode)}
        for claim_id, values in sorted(by_claim.items())
    ]
    return jsonify(
        {
            "article_id": article_id,
            "summary": agreement_summary(ratings, order),
            "pairs": _named_pairs(ratings, order, store.usernames(db)),
            "claims": claims,
            "hidden_claims": len({r[0] for r in all_ratings} - visible),
        }
    )


@route("/agreement", methods=["GET"])
def desk_agreement() -> Any:
    if not access.is_editor(g.user):
        raise ApiError(403, "Desk-wide agreement is for editors and admins.")
    db = get_db()
    order = ordinal_order(_scale())
    ratings = store.verdict_ratings(db)
    return jsonify(
        {
            "summary": agreement_summary(ratings, order),
            "pairs": _named_pairs(ratings, order, store.usernames(db)),
        }
    )
