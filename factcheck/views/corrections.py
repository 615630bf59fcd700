"""Corrections of the published record, for editors.

``corrections.correct_claim`` (``/claims/<id>/correction``) shows a published claim's latest
version beside its live state (what the desk changed since, not yet public) and publishes a
correction: the wording, the claimant, final verdict and reason as the editor sets them, with a note
readers see (:func:`factcheck.store.publish_correction`). The same page withdraws the claim
with a note (``corrections.withdraw_claim``); ``corrections.unpublish_article`` withdraws a
whole article with a note. A refused form is shown again with what was typed and the error
next to its field.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, g, redirect, request, url_for

from .. import limits, store
from ..db import get_db
from ..forms import CorrectionForm, WithdrawForm
from ..store import publish
from ..web import render
from .auth import role_required
from .public import corrections_view
from .review_fields import rating_labels, rating_scale
from .review_panel import visible_claim

bp = Blueprint("corrections", __name__)

EDITORS = ("admin", "editor")


def _version_number(form: Any) -> int | None:
    value = form.published_version.data or ""
    return limits.parse_id(value)


def _correction_page(
    claim_id: int,
    correction: CorrectionForm | None = None,
    withdrawal: WithdrawForm | None = None,
    status: int = 200,
    error: str | None = None,
) -> Any:
    db = get_db()
    claim = visible_claim(claim_id)
    latest = store.latest_version(db, claim_id)
    live = publish.live_state(db, claim_id)
    if correction is None:
        correction = CorrectionForm(
            formdata=None,
            data={
                "text": live["text"],
                "claimant": live["claimant"] or "",
                "claimant_kind": live["claimant_kind"] or "",
                "rating": live["rating"] or (latest or {}).get("rating") or "",
                "reason": live["reason"] if live["rating"] or not latest else latest["reason"],
                "published_version": latest["version"] if latest else "",
            },
        )
    correction.rating.choices = [("", "— choose —")] + [
        (e["key"], e["label"]) for e in rating_scale()
    ]
    if withdrawal is None:
        withdrawal = WithdrawForm(
            formdata=None, data={"published_version": latest["version"] if latest else ""}
        )
    labels = rating_labels()
    unpublished = publish.changes(latest, live) if latest else {}
    versions = store.claim_versions(db, claim_id)
    publication = ((latest or {}).get("article") or {}).get("publisher") or None
    context = {
        "claim": {key: claim[key] for key in ("id", "article_id", "text", "dismissed")},
        "published": {
            key: latest[key]
            for key in (
                "version",
                "status",
                "text",
                "claimant",
                "rating",
                "reason",
                "published_at",
                "note",
                "published_by_name",
            )
        }
        | {"label": labels.get(latest["rating"], latest["rating"])}
        if latest
        else None,
        "live_differs": corrections_view(
            [{"at": "", "note": "", "changes": unpublished}], labels, publication
        )[0]["changes"],
        "live_settled": live["settled"],
        "publication": publication,
        "history": [
            view | {"by": v["published_by_name"], "version": v["version"], "at": v["published_at"]}
            for v, view in zip(
                versions,
                corrections_view(
                    [
                        {
                            "at": v["published_at"],
                            "note": v["note"] or "First published.",
                            "changes": v["changes"],
                        }
                        for v in versions
                    ],
                    labels,
                    publication,
                ),
                strict=True,
            )
        ],
        "error": error,
        "public_url": url_for("public.verdict", claim_id=claim_id),
        "review_url": url_for("review.article", article_id=claim["article_id"], claim=claim_id),
    }
    return render(
        "review/correct.html",
        context,
        status=status,
        correction_form=correction,
        withdraw_form=withdrawal,
    )


def _refused(claim_id: int, kind: str, form: Any, write: Any) -> Any:
    """Run ``write``; when the store refuses it, the page again with the ``kind`` form as
    typed and the reason next to its note (400), or above it when another editor published
    a version meanwhile (409); None when it was written."""
    try:
        write()
    except store.Invalid as exc:
        at = form[exc.field] if exc.field in form else form.note
        at.errors = [*at.errors, str(exc)]
        return _correction_page(claim_id, status=400, **{kind: form})
    except store.Conflict as exc:
        return _correction_page(
            claim_id,
            status=409,
            error=f"Another editor published version {exc.current['version']} meanwhile:"
            " check it below and try again (what you typed is kept).",
            **{kind: form},
        )
    return None


@bp.route("/claims/<int:claim_id>/correction", methods=["GET", "POST"])
@role_required(*EDITORS)
def correct_claim(claim_id: int) -> Any:
    """The correction page of a published claim; POST publishes a correction."""
    if request.method == "GET":
        return _correction_page(claim_id)
    visible_claim(claim_id)
    form = CorrectionForm()
    form.rating.choices = [("", "— choose —")] + [(e["key"], e["label"]) for e in rating_scale()]
    if not form.validate():
        return _correction_page(claim_id, correction=form, status=400)
    refused = _refused(
        claim_id,
        "correction",
        form,
        lambda: store.publish_correction(
            get_db(),
            claim_id,
            g.user["id"],
            form.note.data,
            text=form.text.data,
            # (a form without the claimant's fields leaves the claimant as it is)
            claimant=(form.claimant.data or None, form.claimant_kind.data or None)
            if "claimant" in request.form
            else None,
            rating=form.rating.data or None,
            reason=form.reason.data or "" if form.rating.data else None,
            ratings=[e["key"] for e in rating_scale()],
            published_version=_version_number(form),
        ),
    )
    if refused is not None:
        return refused
    flash(
        "Correction published: the public pages show the new version."
        if store.latest_version(get_db(), claim_id)
        else "Saved at the desk, with your note: publishing the article makes it public."
    )
    return redirect(url_for("corrections.correct_claim", claim_id=claim_id))


@bp.route("/claims/<int:claim_id>/withdraw", methods=["POST"])
@role_required(*EDITORS)
def withdraw_claim(claim_id: int) -> Any:
    """Withdraw a published claim with a note readers see."""
    visible_claim(claim_id)
    form = WithdrawForm()
    if not form.validate():
        return _correction_page(claim_id, withdrawal=form, status=400)
    refused = _refused(
        claim_id,
        "withdrawal",
        form,
        lambda: store.withdraw_claim(
            get_db(), claim_id, g.user["id"], form.note.data, _version_number(form)
        ),
    )
    if refused is not None:
        return refused
    flash("Withdrawn: the claim's public page says when and why.")
    return redirect(url_for("corrections.correct_claim", claim_id=claim_id))


def _unpublish_page(article_id: int, form: WithdrawForm, status: int = 200) -> Any:
    article = store.get_article_head(get_db(), article_id)
    context = {
        "article": {key: article[key] for key in ("id", "title", "published_at")},
        "public_url": url_for("public.article", article_id=article_id),
        "review_url": url_for("review.article", article_id=article_id),
    }
    return render("review/unpublish.html", context, status=status, form=form)


@bp.route("/articles/<int:article_id>/unpublish", methods=["GET", "POST"])
@role_required(*EDITORS)
def unpublish_article(article_id: int) -> Any:
    """Withdraw a published article with a note readers see."""
    if request.method == "GET":
        return _unpublish_page(article_id, WithdrawForm(formdata=None))
    form = WithdrawForm()
    if not form.validate():
        return _unpublish_page(article_id, form, status=400)
    try:
        store.publish_article(
            get_db(), article_id, g.user["id"], publish=False, note=form.note.data
        )
    except store.Invalid as exc:
        form.note.errors = [*form.note.errors, str(exc)]
        return _unpublish_page(article_id, form, status=400)
    flash("Withdrawn: the article's public pages say when and why.")
    return redirect(url_for("review.article", article_id=article_id))
