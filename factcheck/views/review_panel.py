"""A claim's panel on the review page: which claim the user may open, and what its panel shows
(the claim, the user's verdict and, once allowed, the others', evidence, discussion, how the
user may change the claim)."""

from __future__ import annotations

from typing import Any

from flask import g

from .. import access, store, wording
from ..agreement import claim_agreement, ordinal_order
from ..db import get_db
from ..evidence import panel as evidence_panel
from ..forms import ClaimStateForm, EditClaimForm, VerdictForm
from ..store import panel as store_panel
from . import discussion, proposals
from .review_fields import (
    claimant_fields,
    final_form,
    rating_labels,
    rating_scale,
    shown_field,
    verdict_fields,
)


def visible_claim(claim_id: int) -> dict[str, Any]:
    """The claim, if the logged-in user may see its article (else NotFound, as if absent)."""
    db = get_db()
    found = store.get_claim(db, claim_id)
    access.require_article(db, g.user, found["article_id"])
    return found


def panel_context(
    claim: dict[str, Any],
    form: VerdictForm | None = None,
    shaping: dict[str, Any] | None = None,
    claimant_form: dict[str, Any] | None = None,
    *,
    article: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The selected claim's panel: the claim's claimant and wording's source, the user's
    verdict and, once allowed, the others', and how the user may change the claim
    (``shaping``: a refused proposal or decision to show again, see
    :func:`factcheck.views.proposals.shaping_context`; ``claimant_form``: a refused claimant
    form, see :func:`claimant_fields`).

    The HTML-only part has each form of the panel as shown fresh; another refused form is
    shown again with what the user typed by :func:`review_again` (``refused``).

    The claim's article (its head: ``article``, when the caller has it), the desk's settings
    and the claim's verdicts are read once here and handed to the parts that need them."""
    db = get_db()
    if article is None:
        article = store.get_article_head(db, claim["article_id"])
    settings = store.get_settings(db)
    blind = settings["blind_verdicts"]
    spans = store_panel.wording_spans(db, claim["article_id"], claim.get("wording_spans"))
    about = {"publisher": article.get("publisher"), "spans": spans}
    # (one read: mine and the others agree; with my sources' archive states for the panel)
    everyone = store.list_verdicts(db, claim["id"], evidence=True)
    mine = next((v for v in everyone if v["user_id"] == g.user["id"]), None)
    if mine is not None:
        mine = {key: value for key, value in mine.items() if key != "reviewer"}
    others = [v for v in everyone if v["user_id"] != g.user["id"]]
    sees_others = access.is_editor(g.user) or not blind or mine is not None
    talk = discussion.panel_extra(claim, everyone, blind)  # (comments, hand-backs)
    returned = talk["discussion"]["returned_ids"]  # (not current: out of the agreement)
    final = store.get_final_verdict(db, claim["id"])
    context = {
        "selected": claim,
        "my_verdict": mine,
        "other_verdicts": [
            {key: v[key] for key in ("reviewer", "rating", "rationale", "sources", "updated_at")}
            | {"returned": v["user_id"] in returned}  # (by an editor, not saved again since)
            for v in others
        ]
        if sees_others
        else [],
        # (under blind review, not even how many: a reviewer learns nothing of the others'
        # verdicts before saving theirs)
        "others_hidden": not sees_others,
        "agreement": claim_agreement(
            [v["rating"] for v in everyone if v["user_id"] not in returned],
            ordinal_order(rating_scale()),
        )
        if sees_others and len(everyone) - len(returned) > 1
        else None,
        "final": final if (final and (sees_others or access.is_editor(g.user))) else None,
        "corrections": store.list_corrections(db, claim["id"]) if final else [],
        "published_version": _published_version(db, claim["id"]),
        "is_editor": access.is_editor(g.user),
        "labels": rating_labels(),
        "claimant": wording.claimant_line(claim, about["publisher"]),
        "wording_source": wording.SOURCE_LABELS.get(claim["wording_source"]),
        "wording_from": about["spans"],
        "check_wording": wording.check_wording(claim),
    }
    extra = {
        "evidence": evidence_panel.panel_evidence(db, mine),
        "claimant_fields": claimant_form or claimant_fields(claim),
        "verdict_fields": verdict_fields(mine, form),
        "edit_fields": {
            "version": shown_field(EditClaimForm, "version", claim["version"], type="hidden"),
            "text": shown_field(EditClaimForm, "text", claim["text"], rows=3),
        },
        "state_version": shown_field(ClaimStateForm, "version", claim["version"], type="hidden"),
        "refused": {},
        **talk,
    }
    extra.update(
        proposals.shaping_context(
            claim, **{"article": article, "settings": settings} | (shaping or {})
        )
    )
    if access.is_editor(g.user):
        extra["final_form"] = final_form(final)
    return context, extra


def _published_version(db: Any, claim_id: int) -> dict[str, Any] | None:
    """The claim's latest published version (number, status, date), or None."""
    latest = store.latest_version(db, claim_id)
    if latest is None:
        return None
    return {key: latest[key] for key in ("version", "status", "published_at", "published_by_name")}
