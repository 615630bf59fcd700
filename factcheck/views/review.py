"""The review page: the article with its claims, and a claim's verdict panel."""

from __future__ import annotations

import datetime
import threading
from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    jsonify,
    make_response,
    redirect,
    request,
    url_for,
)
from markupsafe import escape

from .. import access, store
from ..agreement import claim_agreement, ordinal_order
from ..db import get_db
from ..forms import (
    AddClaimForm,
    ClaimStateForm,
    EditClaimForm,
    FinalVerdictForm,
    VerdictForm,
)
from ..highlight import Marked, body_html, highlight_segments
from ..web import render, validates_own_csrf, wants_json
from .auth import login_required

bp = Blueprint("review", __name__)


def rating_scale() -> list[dict[str, Any]]:
    """The configured rating scale."""
    return current_app.config["RATING_SCALE"]


def verdict_form(verdict: dict[str, Any] | None = None, formdata: Any = None) -> VerdictForm:
    """A verdict form filled from ``verdict`` (or from the request when ``formdata``)."""
    if formdata is None and verdict is not None:
        form = VerdictForm(
            formdata=None,
            data={
                "rating": verdict["rating"],
                "rationale": verdict["rationale"],
                "sources": [_source_data(source) for source in verdict["sources"]] or [{}],
                "version": verdict["version"],
            },
        )
        form.sources.append_entry()
    elif formdata is None:
        form = VerdictForm(formdata=None)
    else:
        form = VerdictForm()
    form.rating.choices = [("", "— choose —")] + [(e["key"], e["label"]) for e in rating_scale()]
    return form


def _source_data(source: dict[str, Any]) -> dict[str, Any]:
    """A stored source as form data: the DateField wants a date, not its ISO string."""
    accessed = source.get("accessed")
    if isinstance(accessed, str):
        try:
            accessed = datetime.date.fromisoformat(accessed)
        except ValueError:
            accessed = None
    return {**source, "accessed": accessed}


def visible_claim(claim_id: int) -> dict[str, Any]:
    """The claim, if the logged-in user may see its article (else NotFound, as if absent)."""
    db = get_db()
    found = store.get_claim(db, claim_id)
    access.require_article(db, g.user, found["article_id"])
    return found


def _labels() -> dict[str, str]:
    return {entry["key"]: entry["label"] for entry in rating_scale()}


class ArticleView:
    """What the review page shows of an article's claims, computed once per state of them.

    The claims, the body's highlight runs, the counts, and the HTML of the body and the claim
    lists (with a slot for the selected claim), built with the Jinja environment's own
    cleaning and escaping (:func:`factcheck.sanitize.finalize`, then markupsafe's escape).
    Shared between requests: never changed after it is built.
    """

    def __init__(self, article: dict[str, Any], claims: list[dict[str, Any]], href: str):
        self.claims = claims
        self.by_id = {c["id"]: c for c in claims}
        visible = [c for c in claims if not c["dismissed"]]
        segments = highlight_segments(article["body"], visible)
        checkworthy_ids = {c["id"] for c in visible if c["checkworthy"]}
        for segment in segments:
            segment["checkworthy"] = segment["claim"] in checkworthy_ids
        self.segments = segments
        self.counts = {
            "claims": len(visible),
            "checkworthy": len(checkworthy_ids),
            "dismissed": len(claims) - len(visible),
        }
        self.listed = {
            False: [c["id"] for c in claims],
            True: [c["id"] for c in claims if c["checkworthy"]],
        }
        self.href = href
        self.body = body_html(segments, href, _text)
        self._lists: dict[bool, Marked] = {}
        self._dismissed: str | None = None

    def claim_list(self, only_checkworthy: bool) -> Marked:
        """The ``#claim-list`` items (undismissed listed claims), as the template wrote them."""
        found = self._lists.get(only_checkworthy)
        if found is not None:
            return found
        out = Marked("selected")
        suffix = _text("&only=checkworthy") if only_checkworthy else ""
        out.add("\n        ")
        empty = True
        for c in self.claims:
            if c["dismissed"] or (only_checkworthy and not c["checkworthy"]):
                continue
            empty = False
            ident = _text(c["id"])
            score = "%.2f" % c["score"] if c["score"] is not None else "manual"  # noqa: UP031
            out.add(
                f'\n        <li><a href="{_text(self.href)}?claim={ident}{suffix}#panel"'
                f' data-claim="{ident}" class="'
            )
            out.slot(c["id"])
            out.add(
                f'{" cw" if c["checkworthy"] else ""}">\n'
                f'          <span class="score" title="check-worthiness">{_text(score)}</span>\n'
                f'          <span class="claim-text">{_text(c["text"])}</span>\n'
                "        </a></li>\n        "
            )
        if empty:
            marked = " marked check-worthy" if only_checkworthy else ""
            out.add(f'\n        <li class="empty">No claims{marked}.</li>\n        ')
        self._lists[only_checkworthy] = out
        return out

    def dismissed_list(self) -> str:
        """The items of the dismissed claims' list."""
        if self._dismissed is None:
            items = [
                f'\n          <li><a href="{_text(self.href)}?claim={_text(c["id"])}#panel"'
                f' data-claim="{_text(c["id"])}">{_text(c["text"])}</a></li>\n          '
                for c in self.claims
                if c["dismissed"]
            ]
            self._dismissed = "\n          " + "".join(items)
        return self._dismissed


def _text(value: Any) -> str:
    """A value as escaped HTML text, cleaned exactly as the templates' output is."""
    return str(escape(current_app.jinja_env.finalize(value)))


_views_lock = threading.Lock()
VIEW_CACHE_SIZE = 64  # articles whose ArticleView each app keeps (per process)


def article_view(db: Any, article: dict[str, Any]) -> ArticleView:
    """The article's :class:`ArticleView`, from the cache while its claims have not changed.

    The key is the article's body hash with its claims' count, highest id, sum of versions
    and latest change (:func:`store.claims_state`): every change to a claim moves its version
    on, and adding one moves the count, so an edit in any process shows on the next view.
    """
    views = current_app.extensions.setdefault("factcheck_article_views", {})
    state = (article["body_sha256"], *store.claims_state(db, article["id"]))
    cached = views.get(article["id"])
    if cached is not None and cached[0] == state:
        return cached[1]
    claims = store.list_claims(db, article["id"])
    # The key of what was read (a write may have landed since the state was read).
    state = (
        article["body_sha256"],
        len(claims),
        max((c["id"] for c in claims), default=None),
        sum(c["version"] for c in claims),
        max((c["updated_at"] for c in claims), default=None),
    )
    view = ArticleView(article, claims, url_for("review.article", article_id=article["id"]))
    with _views_lock:
        views.pop(article["id"], None)
        while len(views) >= VIEW_CACHE_SIZE:
            views.pop(next(iter(views)))
        views[article["id"]] = (state, view)
    return view


def review_context(
    article_id: int, claim_id: int | None, only_checkworthy: bool
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The review page's JSON context and the HTML-only objects (forms, prebuilt HTML)."""
    db = get_db()
    access.require_article(db, g.user, article_id)
    article = store.get_article(db, article_id)
    view = article_view(db, article)
    selected = None
    if claim_id is not None:
        selected = view.by_id.get(claim_id)
        if selected is None:
            raise store.NotFound(f"claim {claim_id} in article {article_id}")
        selected = dict(selected)
    context = {
        "article": {key: article[key] for key in article if key != "original"},
        "claims": view.claims,
        "listed": view.listed[only_checkworthy],
        "only_checkworthy": only_checkworthy,
        "segments": view.segments,
        "selected": selected,
        "scale": rating_scale(),
        "is_editor": access.is_editor(g.user),
        "counts": view.counts,
    }
    extra: dict[str, Any] = {"add_form": AddClaimForm(formdata=None), "article_view": view}
    if selected is not None:
        panel, panel_extra = panel_context(selected)
        context.update(panel)
        extra.update(panel_extra)
    return context, extra


def panel_context(
    claim: dict[str, Any], form: VerdictForm | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The selected claim's panel: the user's verdict and, once allowed, the others'."""
    db = get_db()
    blind = store.get_settings(db)["blind_verdicts"]
    everyone = store.list_verdicts(db, claim["id"])  # (one read: mine and the others agree)
    mine = next((v for v in everyone if v["user_id"] == g.user["id"]), None)
    if mine is not None:
        mine = {key: value for key, value in mine.items() if key != "reviewer"}
    others = [v for v in everyone if v["user_id"] != g.user["id"]]
    sees_others = access.is_editor(g.user) or not blind or mine is not None
    final = store.get_final_verdict(db, claim["id"])
    context = {
        "selected": claim,
        "my_verdict": mine,
        "other_verdicts": [
            {key: v[key] for key in ("reviewer", "rating", "rationale", "sources", "updated_at")}
            for v in others
        ]
        if sees_others
        else [],
        "others_hidden": 0 if sees_others else len(others),
        "agreement": claim_agreement([v["rating"] for v in everyone], ordinal_order(rating_scale()))
        if sees_others and len(everyone) > 1
        else None,
        "final": final if (final and (sees_others or access.is_editor(g.user))) else None,
        "corrections": store.list_corrections(db, claim["id"]) if final else [],
        "is_editor": access.is_editor(g.user),
        "labels": _labels(),
    }
    extra = {
        "verdict_form": form if form is not None else verdict_form(mine),
        "edit_form": EditClaimForm(
            formdata=None, data={"text": claim["text"], "version": claim["version"]}
        ),
        "state_form": ClaimStateForm(formdata=None, data={"version": claim["version"]}),
    }
    if access.is_editor(g.user):
        extra["final_form"] = final_form(final)
    return context, extra


def final_form(final: dict[str, Any] | None, formdata: Any = None) -> FinalVerdictForm:
    """The adjudication form, filled from the current final verdict."""
    if formdata is None:
        form = FinalVerdictForm(
            formdata=None,
            data={
                "rating": final["rating"] if final else "",
                "reason": final["reason"] if final else "",
                "version": final["version"] if final else "",
            },
        )
    else:
        form = FinalVerdictForm()
    form.rating.choices = [("", "— choose —")] + [(e["key"], e["label"]) for e in rating_scale()]
    return form


@bp.route("/articles/<int:article_id>")
@login_required
def article(article_id: int) -> Any:
    claim_id = request.args.get("claim", type=int)
    only = request.args.get("only") == "checkworthy"
    context, extra = review_context(article_id, claim_id, only)
    return render("review/review.html", context, **extra)


@bp.route("/claims/<int:claim_id>")
@login_required
def claim(claim_id: int) -> Any:
    found = visible_claim(claim_id)
    return redirect(
        url_for("review.article", article_id=found["article_id"], claim=claim_id) + "#panel"
    )


@bp.route("/claims/<int:claim_id>/panel")
@login_required
def panel(claim_id: int) -> Any:
    found = visible_claim(claim_id)
    context, extra = panel_context(found)
    return render("review/_panel.html", context, **extra)


def _sources_from_form(form: VerdictForm) -> list[dict[str, Any]]:
    return [entry.form.data for entry in form.sources]


def _review_again(claim: dict[str, Any], form: VerdictForm, status: int, **more: Any) -> Any:
    context, extra = review_context(claim["article_id"], claim["id"], False)
    panel, panel_extra = panel_context(claim, form)
    context.update(panel, **more)
    extra.update(panel_extra)
    return render("review/review.html", context, status=status, **extra)


@bp.route("/claims/<int:claim_id>/verdict", methods=["POST"])
@login_required
@validates_own_csrf
def save_verdict(claim_id: int) -> Any:
    db = get_db()
    found = visible_claim(claim_id)
    form = verdict_form(formdata=request.form)
    if not form.validate():
        message = (
            "The form's security token expired: reload the page (copy your text first)."
            if form.csrf_token.errors
            else "Check the highlighted fields."
        )
        if wants_json():
            return jsonify({"error": message, "status": 400, "fields": form.errors}), 400
        flash(message)
        return _review_again(found, form, 400)
    version = int(form.version.data) if (form.version.data or "").isdigit() else None
    try:
        verdict = store.record_verdict(
            db,
            claim_id,
            g.user["id"],
            form.rating.data,
            form.rationale.data or "",
            _sources_from_form(form),
            version,
            [entry["key"] for entry in rating_scale()],
        )
    except store.Invalid as exc:
        if wants_json():
            return jsonify({"error": str(exc), "status": 400}), 400
        flash(str(exc))
        return _review_again(found, form, 400)
    except store.Busy:
        message = (
            "The database is busy with another change; your verdict was not saved yet. "
            "It is kept in the form: save again in a moment."
        )
        if wants_json():
            response = jsonify({"error": message, "status": 503})
        else:
            flash(message)
            response = make_response(_review_again(found, form, 503))
        response.status_code = 503
        response.headers["Retry-After"] = "2"
        return response
    except store.Conflict as exc:
        message = (
            "This verdict was changed elsewhere since you opened it. "
            "The saved version is shown beside yours; merge them and save again."
        )
        if wants_json():
            return jsonify({"error": message, "status": 409, "current": exc.current}), 409
        form.version.data = str(exc.current["version"])
        return _review_again(found, form, 409, conflict=exc.current)
    if wants_json():
        return jsonify({"ok": True, "verdict": verdict, "version": verdict["version"]})
    flash("Verdict saved.")
    return redirect(url_for("review.article", article_id=found["article_id"], claim=claim_id))


@bp.route("/articles/<int:article_id>/claims", methods=["POST"])
@login_required
@validates_own_csrf
def add_claim(article_id: int) -> Any:
    db = get_db()
    access.require_article(db, g.user, article_id)
    article_row = store.get_article(db, article_id)
    form = AddClaimForm()
    error = None
    claim_row = None
    if not form.validate():
        error = (
            "The form's security token expired; reload and select the passage again."
            if form.csrf_token.errors
            else "Select a passage of the article first."
        )
    else:
        body = article_row["body"]
        quote = form.quote.data.replace("\r\n", "\n").replace("\r", "\n")
        start = form.start.data
        if start is None or start < 0 or body[start : start + len(quote)] != quote:
            quote = quote.strip()
            start = _find_passage(body, quote, start)
        if start is None:
            error = "That passage is not in the article's text; select it in the article."
        else:
            try:
                # The store trims the blank space a selection may have around it.
                claim_row = store.add_claim(
                    db, article_id, start, start + len(quote), g.user["id"], form.text.data
                )
            except store.Invalid as exc:
                error = str(exc)
    if wants_json():
        if error:
            return jsonify({"error": error, "status": 400}), 400
        return jsonify({"ok": True, "claim": claim_row}), 201
    if error:
        # Render rather than redirect, so the passage and wording typed are kept.
        flash(error)
        context, extra = review_context(article_id, None, False)
        extra["add_form"] = form
        return render("review/review.html", context, status=400, **extra)
    flash("Claim added.")
    return redirect(url_for("review.article", article_id=article_id, claim=claim_row["id"]))


def _find_passage(body: str, quote: str, near: int | None) -> int | None:
    """The offset of ``quote`` in ``body``, the occurrence nearest ``near`` if repeated."""
    if not quote:
        return None
    found = []
    index = body.find(quote)
    while index != -1 and len(found) < 1000:
        found.append(index)
        index = body.find(quote, index + 1)
    if not found:
        return None
    if near is None:
        return found[0]
    return min(found, key=lambda offset: abs(offset - near))


def _claim_change(claim_id: int, change: Any, success: str) -> Any:
    db = get_db()
    found = visible_claim(claim_id)
    target = url_for("review.article", article_id=found["article_id"], claim=claim_id)
    try:
        updated = change(db, found)
    except store.Invalid as exc:
        if wants_json():
            return jsonify({"error": str(exc), "status": 400}), 400
        flash(str(exc))
        return redirect(target)
    except store.Conflict as exc:
        message = "This claim was changed by someone else; here is the current version."
        if wants_json():
            return jsonify({"error": message, "status": 409, "current": exc.current}), 409
        flash(message)
        return redirect(target)
    if wants_json():
        return jsonify({"ok": True, "claim": updated})
    flash(success)
    return redirect(target)


@bp.route("/claims/<int:claim_id>/edit", methods=["POST"])
@login_required
def edit_claim(claim_id: int) -> Any:
    form = EditClaimForm()
    if not form.validate():
        return _claim_change(claim_id, _invalid("Give the claim's wording."), "")
    return _claim_change(
        claim_id,
        lambda db, c: store.edit_claim_text(
            db, claim_id, form.text.data, form.version.data, g.user["id"]
        ),
        "Claim wording saved.",
    )


@bp.route("/claims/<int:claim_id>/dismiss", methods=["POST"])
@login_required
def dismiss_claim(claim_id: int) -> Any:
    return _set_dismissed(claim_id, True, "Claim dismissed; restore it from the claim list.")


@bp.route("/claims/<int:claim_id>/restore", methods=["POST"])
@login_required
def restore_claim(claim_id: int) -> Any:
    return _set_dismissed(claim_id, False, "Claim restored.")


def _set_dismissed(claim_id: int, dismissed: bool, success: str) -> Any:
    form = ClaimStateForm()
    if not form.validate():
        return _claim_change(claim_id, _invalid("The claim's version is missing."), "")
    return _claim_change(
        claim_id,
        lambda db, c: store.set_claim_dismissed(
            db, claim_id, dismissed, form.version.data, g.user["id"]
        ),
        success,
    )


def _invalid(message: str) -> Any:
    def fail(db: Any, claim: Any) -> Any:
        raise store.Invalid(message)

    return fail


@bp.route("/claims/<int:claim_id>/history")
@login_required
def history(claim_id: int) -> Any:
    db = get_db()
    found = visible_claim(claim_id)
    entries = store.claim_history(db, claim_id)
    blind = store.get_settings(db)["blind_verdicts"]
    if not access.sees_others(db, g.user, claim_id, blind):
        # Blind review: before giving a verdict, a reviewer sees only claim changes.
        entries = [
            e
            for e in entries
            if e["table_name"] == "claims"
            or (e["table_name"] == "verdicts" and e["username"] == g.user["username"])
        ]
    return render("review/history.html", {"claim": found, "entries": entries})
