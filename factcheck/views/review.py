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
from markupsafe import Markup, escape
from wtforms.widgets.core import clean_key

from .. import access, limits, store, wording
from ..agreement import claim_agreement, ordinal_order
from ..db import get_db
from ..evidence import panel as evidence_panel
from ..evidence import tasks as evidence_tasks
from ..forms import (
    AddClaimForm,
    ClaimantForm,
    ClaimStateForm,
    EditClaimForm,
    FinalVerdictForm,
    VerdictForm,
    quick_verdict,
)
from ..highlight import Marked, body_html, highlight_segments
from ..store import flow as flow_store
from ..store import panel as store_panel
from ..web import (
    FAST_WIDGETS,
    html_params,
    render,
    render_field,
    validates_own_csrf,
    wants_json,
)
from . import discussion, proposals
from .auth import login_required

bp = Blueprint("review", __name__)


def rating_scale() -> list[dict[str, Any]]:
    """The configured rating scale."""
    return current_app.config["RATING_SCALE"]


def rating_labels() -> dict[str, str]:
    """Each rating's label, by key."""
    return {entry["key"]: entry["label"] for entry in rating_scale()}


def verdict_form() -> VerdictForm:
    """The verdict form, filled from the request (to validate it; :func:`verdict_fields` shows
    it)."""
    form = VerdictForm()
    form.rating.choices = [("", "— choose —")] + [(e["key"], e["label"]) for e in rating_scale()]
    return form


# The verdict form's markup is written from plain data (:func:`verdict_fields`): building a
# ``VerdictForm`` with its list of source sub-forms only to show it cost more than the rest of
# the panel. Its fields' labels, validation attributes and choices are read once from the form
# classes; a form that was submitted (and failed) is shown from its own fields.
_RATIONALE_KW = {
    "rows": 5,
    "placeholder": "Why this verdict? Markdown works: **bold**, lists, links.",
}
_SOURCE_KW = {"excerpt": {"rows": 2}, "url": {"placeholder": "https://…", "inputmode": "url"}}
_shapes: dict[str, Any] | None = None  # (set once, whole: threads may race to build it)


def _verdict_shapes() -> dict[str, Any]:
    """What the verdict form's fields look like, read once from an empty form (in a request)."""
    global _shapes
    if _shapes is None:
        form = VerdictForm(formdata=None)
        entry = form.sources[0].form
        _shapes = dict(
            rationale=(
                form.rationale.label.text,
                form.rationale.widget,
                _control_attrs(form.rationale),
            ),
            sources=[
                (
                    f.short_name,
                    f.label.text,
                    f.widget,
                    _control_attrs(f),
                    [(str(c.value), c.label) for c in f._iter_choices_normalized()]
                    if _kind(f.widget) == "select"
                    else None,
                    f.default,
                )
                for f in entry
            ],
        )
    return _shapes


def _kind(widget: Any) -> str | None:
    return FAST_WIDGETS.get(type(widget))


def _control_attrs(field: Any) -> dict[str, Any]:
    """The field's validation attributes (``maxlength``, ``required``), as WTForms adds them."""
    widget = field.widget
    if _kind(widget) is None or getattr(field, "render_kw", None):
        raise TypeError(f"the verdict form's field {field.name} needs WTForms' rendering")
    return {
        key: value() if _kind(widget) == "input" and callable(value) else value
        for key, value in vars(field.flags).items()
        if key in widget.validation_attrs
    }


def _control(
    widget: Any, attrs: dict[str, Any], name: str, value: Any, choices: Any = None
) -> Markup:
    """A form control written as WTForms writes it (see :func:`factcheck.web.render_field`)."""
    kind = _kind(widget)
    attrs = {"id": name, **attrs, "name": name}
    if kind == "input":
        attrs.setdefault("type", widget.input_type)
        attrs["value"] = value
        return Markup(f"<input {html_params(attrs)}>")
    if kind == "textarea":
        return Markup(f"<textarea {html_params(attrs)}>\r\n{escape(value)}</textarea>")
    options = "".join(
        f"<option {html_params({'value': key, 'selected': key == value})}>"
        f"{escape(label or key)}</option>"
        for key, label in choices
    )
    return Markup(f"<select {html_params(attrs)}>{options}</select>")


_form_shapes: dict[type, dict[str, tuple[Any, dict[str, Any]]]] = {}


def _shown_field(form_class: type, name: str, value: Any, **kwargs: Any) -> Markup:
    """A field of an empty ``form_class`` showing ``value``, as ``render_field`` writes it,
    without building the form (its widgets and validation attributes are read once)."""
    shape = _form_shapes.get(form_class)
    if shape is None:
        form = form_class(formdata=None)
        shape = {f.name: (f.widget, _control_attrs(f)) for f in form if f.name != "csrf_token"}
        _form_shapes[form_class] = shape
    widget, attrs = shape[name]
    value = "" if value is None else str(value)
    return _control(widget, {**attrs, **{clean_key(k): v for k, v in kwargs.items()}}, name, value)


def add_fields(form: AddClaimForm | None = None, error: str | None = None) -> dict[str, Any]:
    """The add-claim form's fields for ``review.html``: empty, or a submitted ``form`` (refused
    with ``error``, shown beside the passage, which gets the focus)."""
    if form is not None:
        return {
            "open": bool(error or form.errors or form.quote.data),
            "quote": render_field(form.quote, rows=2, required=True, autofocus=bool(error)),
            "text": render_field(form.text, rows=2),
            "error": error,
        }
    return {
        "open": False,
        "error": None,
        "quote": _shown_field(AddClaimForm, "quote", "", rows=2, required=True),
        "text": _shown_field(AddClaimForm, "text", "", rows=2),
    }


def _date_value(accessed: Any) -> str:
    """A stored date as the form's DateField shows it (nothing for an invalid one)."""
    if isinstance(accessed, str):
        try:
            accessed = datetime.date.fromisoformat(accessed)
        except ValueError:
            return ""
    return accessed.strftime("%Y-%m-%d") if accessed else ""


def verdict_fields(
    verdict: dict[str, Any] | None = None, form: VerdictForm | None = None
) -> dict[str, Any]:
    """The verdict form as plain data for ``_panel.html``: the user's saved ``verdict`` (with an
    empty source to fill in), or a submitted ``form`` with its values and errors."""
    shapes = _verdict_shapes()
    label, rationale_widget, attrs = shapes["rationale"]
    scale = [(e["key"], e["label"]) for e in rating_scale()]
    if form is not None:
        sources = []
        for entry in form.sources:
            fields = []
            for short, flabel, *_ in shapes["sources"]:
                f = entry.form[short]
                kw = _SOURCE_KW.get(short, {})
                fields.append(
                    {
                        "name": short,
                        "label": flabel,
                        "html": render_field(f, **kw),
                        "errors": f.errors,
                    }
                )
            sources.append(fields)
        return {
            "version": form.version._value(),
            "rating": form.rating.data,
            "rating_errors": form.rating.errors,
            "choices": scale,
            "rationale_label": label,
            "rationale_html": render_field(form.rationale, **_RATIONALE_KW),
            "rationale_errors": form.rationale.errors,
            "sources": sources,
        }
    stored = list(verdict["sources"]) if verdict is not None else []
    if not stored:
        stored.append({})
    if verdict is not None:
        stored.append({})  # (an empty source to add)
    sources = []
    for index, source in enumerate(stored):
        fields = []
        for short, flabel, widget, fattrs, choices, default in shapes["sources"]:
            value = source[short] if short in source else default
            if short == "accessed":
                value = _date_value(value)
            elif choices is None:
                value = "" if value is None else str(value)
            fields.append(
                {
                    "name": short,
                    "label": flabel,
                    "html": _control(
                        widget,
                        {**fattrs, **_SOURCE_KW.get(short, {})},
                        f"sources-{index}-{short}",
                        value,
                        choices,
                    ),
                    "errors": (),
                }
            )
        sources.append(fields)
    rationale = verdict["rationale"] if verdict is not None else None
    version = verdict["version"] if verdict is not None else None
    return {
        "version": "" if version is None else str(version),
        "rating": verdict["rating"] if verdict is not None else None,
        "rating_errors": (),
        "choices": scale,
        "rationale_label": label,
        "rationale_html": _control(
            rationale_widget,
            {**attrs, **_RATIONALE_KW},
            "rationale",
            "" if rationale is None else str(rationale),
        ),
        "rationale_errors": (),
        "sources": sources,
    }


def visible_claim(claim_id: int) -> dict[str, Any]:
    """The claim, if the logged-in user may see its article (else NotFound, as if absent)."""
    db = get_db()
    found = store.get_claim(db, claim_id)
    access.require_article(db, g.user, found["article_id"])
    return found


def with_links(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Search results (:mod:`factcheck.search`) with ``href``: the claim in its review page."""
    for result in results:
        result["href"] = (
            url_for("review.article", article_id=result["article_id"], claim=result["claim_id"])
            + "#panel"
        )
    return results


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
        self.body_length = len(article["body"])
        self._lists: dict[bool, Marked] = {}
        self._dismissed: str | None = None

    def claim_list(self, only_checkworthy: bool) -> Marked:
        """The ``#claim-list`` items (undismissed listed claims), as the template wrote them."""
        found = self._lists.get(only_checkworthy)
        if found is not None:
            return found
        out = Marked("selected", _BADGES)
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
                "          "
            )
            out.badge(c["id"])
            out.add(
                "\n"
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


# The claim list's label of each state of a claim for the user (store/flow.py).
_BADGES = {
    state: f'<span class="state state-{state}">{label}</span>'
    for state, label in flow_store.LABELS.items()
}


def _text(value: Any) -> str:
    """A value as escaped HTML text, cleaned exactly as the templates' output is."""
    return str(escape(current_app.jinja_env.finalize(value)))


_views_lock = threading.Lock()
# Articles whose ArticleView each app keeps (per process), and at most this many characters of
# their bodies in all. A desk works on a few hundred articles at a time; rebuilding a view costs
# ~3 ms for 5,000 characters with 50 claims, against ~1 ms for the whole page from the cache.
# A view of such an article holds ~200 KB (its claims, the body's runs and HTML): at most
# ~50 MB for 256 of them, and the budget of characters bounds the views of long articles.
VIEW_CACHE_SIZE = 256
VIEW_CACHE_CHARS = 4_000_000


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
    if "body" not in article:  # (a body never changes: see the migration's trigger)
        article = {**article, **store.get_article_body(db, article["id"])}
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
        held = sum(entry[1].body_length for entry in views.values())
        while views and (
            len(views) >= VIEW_CACHE_SIZE or held + view.body_length > VIEW_CACHE_CHARS
        ):
            held -= views.pop(next(iter(views)))[1].body_length
        views[article["id"]] = (state, view)
    return view


def review_keys() -> list[tuple[str, str]]:
    """The review page's keys and what they do (the ``?`` overlay lists them)."""
    ratings = [
        (str(number), f"Rating: {entry['label']}")
        for number, entry in enumerate(rating_scale()[:9], start=1)
    ]
    return [
        ("j", "Next claim to do (check-worthy first; the next article when this one is done)"),
        ("k", "Previous claim to do"),
        *ratings,
        ("Ctrl+Enter", "Save the verdict and open the next claim to do"),
        ("Ctrl+Enter", "In a comment: post the comment (the verdict is not saved)"),
        ("t", "Show only the claims to do, or all claims"),
        ("?", "Show this list of keys"),
        ("Esc", "Close this list"),
    ]


def review_context(
    article_id: int, claim_id: int | None, only_checkworthy: bool, todo_only: bool = False
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The review page's JSON context and the HTML-only objects (forms, prebuilt HTML)."""
    db = get_db()
    access.require_article(db, g.user, article_id)
    # The JSON context has the body; the page has it from the (cached) ArticleView.
    get = store.get_article if wants_json() else store.get_article_head
    article = get(db, article_id)
    view = article_view(db, article)
    states = flow_store.review_states(db, article_id, g.user["id"], ordinal_order(rating_scale()))
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
        "states": states,
        "state_counts": flow_store.state_counts(states),
        "todo_only": todo_only,
    }
    extra: dict[str, Any] = {
        "keys": review_keys(),
        "add_fields": add_fields(),
        "article_view": view,
        "date_edit": {"value": "", "error": None}
        if access.can_edit_article(g.user, article)
        else None,
    }
    if selected is not None:
        panel, panel_extra = panel_context(selected, article=article)
        context.update(panel)
        extra.update(panel_extra)
    return context, extra


def claimant_fields(
    claim: dict[str, Any], form: ClaimantForm | None = None, error: str | None = None
) -> dict[str, Any]:
    """The claimant form as plain data for ``_panel.html``: the claim's claimant, or a
    submitted ``form`` with what was typed and its errors (``error``: the store's refusal,
    shown by the field it is about)."""
    if form is None:
        return {
            "open": False,
            "claimant": claim.get("claimant") or "",
            "kind": claim.get("claimant_kind") or "",
            "reason": "",
            "version": claim["version"],
            "claimant_errors": [],
            "kind_errors": [],
        }
    claimant_errors = list(form.claimant.errors)
    kind_errors = list(form.claimant_kind.errors) + list(form.version.errors)
    if error:
        (kind_errors if "person or an organization" in error else claimant_errors).append(error)
    return {
        "open": True,
        "claimant": form.claimant.data or "",
        "kind": form.claimant_kind.data or "",
        "reason": form.reason.data or "",
        "version": form.version.data if form.version.data is not None else claim["version"],
        "claimant_errors": claimant_errors,
        "kind_errors": kind_errors,
    }


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
            "version": _shown_field(EditClaimForm, "version", claim["version"], type="hidden"),
            "text": _shown_field(EditClaimForm, "text", claim["text"], rows=3),
        },
        "state_version": _shown_field(ClaimStateForm, "version", claim["version"], type="hidden"),
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


def review_again(
    claim: dict[str, Any],
    status: int,
    *,
    verdict: VerdictForm | None = None,
    refused: dict[str, Any] | None = None,
    final: FinalVerdictForm | None = None,
    edit_text: str | None = None,
    **more: Any,
) -> Any:
    """The review page at ``claim`` again after a refused form, with what the user typed kept:
    the ``verdict`` form, the ``final`` verdict form, or the wording typed (``edit_text``).

    ``refused`` says which form was refused (``{"form": "verdict" | "final" | "edit" | "state",
    "error": message, "field": the field at fault or None}``): the page opens that form's
    section and shows the message beside the field, which gets the focus (so the browser
    scrolls to it)."""
    context, extra = review_context(claim["article_id"], claim["id"], False)
    panel, panel_extra = panel_context(claim, verdict)
    context.update(panel, **more)
    extra.update(panel_extra)
    if final is not None:
        extra["final_form"] = final
    if edit_text is not None:
        extra["edit_fields"] = {
            "version": _shown_field(EditClaimForm, "version", claim["version"], type="hidden"),
            "text": _shown_field(
                EditClaimForm,
                "text",
                edit_text,
                rows=3,
                aria_invalid="true",
                aria_describedby="edit-error",
                autofocus=True,
            ),
            "error": (refused or {}).get("error"),
            "open": True,
        }
    extra["refused"] = refused or {}
    if wants_json():
        context["refused"] = extra["refused"]
    return render("review/review.html", context, status=status, **extra)


def _published_version(db: Any, claim_id: int) -> dict[str, Any] | None:
    """The claim's latest published version (number, status, date), or None."""
    latest = store.latest_version(db, claim_id)
    if latest is None:
        return None
    return {key: latest[key] for key in ("version", "status", "published_at", "published_by_name")}


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
    claim_id = limits.parse_id(request.args.get("claim"))
    only = request.args.get("only") == "checkworthy"
    todo_only = request.args.get("todo") == "1"
    context, extra = review_context(article_id, claim_id, only, todo_only)
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
    refused = {"form": "verdict", "error": None, "field": None}
    return review_again(claim, status, verdict=form, refused=refused, **more)


def _refusal(form: Any, otherwise: str) -> str:
    """What a form that did not validate says: its token expired, or ``otherwise``."""
    if form.csrf_token.errors:
        return "The form's security token expired: reload the page (copy your text first)."
    # (a limit of the whole form, e.g. too many sources, or text that cannot be stored)
    return next(iter(form.form_errors), None) or form.storable_error or otherwise


@bp.route("/claims/<int:claim_id>/verdict", methods=["POST"])
@login_required
@validates_own_csrf
def save_verdict(claim_id: int) -> Any:
    db = get_db()
    found = visible_claim(claim_id)
    scale_keys = [entry["key"] for entry in rating_scale()]
    as_json = wants_json()
    # The page's fetch save, when it is an ordinary valid one, is read without WTForms (same
    # rules, see forms.quick_verdict); any other save goes through the form and its messages.
    quick = quick_verdict(scale_keys) if as_json else None
    if quick is not None:
        form = None
        rating, rationale, sources, raw_version = (
            quick["rating"],
            quick["rationale"],
            quick["sources"],
            quick["version"],
        )
    else:
        form = verdict_form()
        if not form.validate():
            message = _refusal(form, "Check the highlighted fields.")
            if as_json:
                return jsonify({"error": message, "status": 400, "fields": form.errors}), 400
            flash(message)
            return _review_again(found, form, 400)
        rating, rationale, sources, raw_version = (
            form.rating.data,
            form.rationale.data or "",
            _sources_from_form(form),
            form.version.data,
        )
    version = limits.parse_id(raw_version or "")
    try:
        verdict = store.record_verdict(
            db, claim_id, g.user["id"], rating, rationale, sources, version, scale_keys
        )
    except store.Invalid as exc:
        if as_json:
            return jsonify({"error": str(exc), "status": 400}), 400
        flash(str(exc))
        return _review_again(found, form, 400)
    except store.Busy:
        message = (
            "The database is busy with another change; your verdict was not saved yet. "
            "It is kept in the form: save again in a moment."
        )
        if as_json:
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
        if as_json:
            return jsonify({"error": message, "status": 409, "current": exc.current}), 409
        form.version.data = str(exc.current["version"])
        return _review_again(found, form, 409, conflict=exc.current)
    evidence_tasks.after_save(current_app.config, db, verdict["id"])
    if as_json:
        states = flow_store.review_states(
            db, found["article_id"], g.user["id"], ordinal_order(rating_scale())
        )
        return jsonify(
            {
                "ok": True,
                "verdict": verdict,
                "version": verdict["version"],
                "states": states,
                "counts": flow_store.state_counts(states),
            }
        )
    flash("Verdict saved.")
    if request.form.get("then") == "next":  # (Save and next, without JavaScript)
        return redirect(url_for("desk.next_claim", after=claim_id, article=found["article_id"]))
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
            else form.storable_error or "Select a passage of the article first."
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
        context, extra = review_context(article_id, None, False)
        extra["add_fields"] = add_fields(form, error)
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


def _claim_change(
    claim_id: int, change: Any, success: str, form: str = "state", typed: str | None = None
) -> Any:
    """Apply ``change`` to the claim; a refusal shows the page again with the message beside
    the ``form`` that was refused ("edit": the wording form, with the wording ``typed``
    kept, see :func:`_edit_again`; "state": the dismiss/restore button)."""
    db = get_db()
    found = visible_claim(claim_id)
    target = url_for("review.article", article_id=found["article_id"], claim=claim_id)
    try:
        updated = change(db, found)
    except store.Invalid as exc:
        if wants_json():
            return jsonify({"error": str(exc), "status": 400}), 400
        if form == "edit":
            return _edit_again(found, typed, str(exc))
        refused = {"form": form, "error": str(exc), "field": None}
        return review_again(found, 400, refused=refused)
    except store.Conflict as exc:
        message = "This claim was changed by someone else; here is the current version."
        if wants_json():
            return jsonify({"error": message, "status": 409, "current": exc.current}), 409
        current = visible_claim(claim_id)
        if form == "edit":
            message = (
                "This claim was changed by someone else since you opened it; its wording now is"
                " shown above. Your wording is kept here: check it and save again."
            )
            return _edit_again(current, typed, message, 409)
        return review_again(current, 409, refused={"form": form, "error": message, "field": None})
    if wants_json():
        return jsonify({"ok": True, "claim": updated})
    flash(success)
    return redirect(target)


@bp.route("/claims/<int:claim_id>/edit", methods=["POST"])
@login_required
@validates_own_csrf
def edit_claim(claim_id: int) -> Any:
    form = EditClaimForm()
    typed = form.text.data or ""
    if not form.validate():
        message = (
            "The form's security token expired; save again (your wording is kept)."
            if form.csrf_token.errors
            else form.storable_error or "Give the claim's wording."
        )
        return _claim_change(claim_id, _invalid(message), "", form="edit", typed=typed)
    return _shape_claim(
        claim_id,
        "wording",
        form.text.data,
        form.version.data,
        lambda db, c: store.edit_claim_text(
            db, claim_id, form.text.data, form.version.data, g.user["id"]
        ),
        "Claim wording saved.",
        form="edit",
        typed=typed,
    )


@bp.route("/claims/<int:claim_id>/claimant", methods=["POST"])
@login_required
@validates_own_csrf
def set_claimant(claim_id: int) -> Any:
    """Say who made the claim (a person or an organization) or that the publication did, as
    the wording is changed (:func:`access.claim_shaping`): directly, or as a proposal to the
    editors (reviewers); on a published article only through a correction. A refused form is
    shown again with what was typed and the error by its field; a claimant changed elsewhere
    meanwhile is shown beside it, not overwritten."""
    db = get_db()
    found = visible_claim(claim_id)
    as_json = wants_json()
    form = ClaimantForm()
    # Who changes the claimant: whoever changes the wording directly (access.claim_shaping).
    mode = access.claim_shaping(db, g.user, store.get_article_head(db, found["article_id"]))
    if mode == access.CORRECTION:
        return _claimant_refused(found, form, proposals.PUBLISHED_MESSAGE, 409)
    if not form.validate():
        message = _refusal(form, "Check the claimant.")
        if as_json:
            return jsonify({"error": message, "status": 400, "fields": form.errors}), 400
        return _claimant_refused(found, form, None, 400, message)
    try:
        if mode == access.PROPOSE:  # (reviewers: an editor accepts or rejects it)
            proposal = store.propose(
                db,
                claim_id,
                g.user["id"],
                "claimant",
                None,
                form.reason.data,
                form.version.data,
                claimant=form.claimant.data,
                claimant_kind=form.claimant_kind.data,
            )
            if as_json:
                return jsonify({"ok": True, "proposal": proposal})
            flash("Claimant proposed: an editor accepts or rejects it.")
            target = url_for("review.article", article_id=found["article_id"], claim=claim_id)
            return redirect(target + "#panel")
        updated = store.set_claimant(
            db,
            claim_id,
            form.claimant.data,
            form.claimant_kind.data,
            form.version.data,
            g.user["id"],
        )
    except store.Invalid as exc:
        return _claimant_refused(found, form, str(exc), 400)
    except store.Conflict as exc:
        message = (
            "Someone changed this claim since you opened it; its saved claimant is shown. "
            "Your entry is kept: save it again to replace theirs."
        )
        if as_json:
            return jsonify({"error": message, "status": 409, "current": exc.current}), 409
        form.version.data = exc.current["version"]
        return _claimant_refused(
            exc.current, form, None, 409, message, claimant_conflict=exc.current
        )
    if as_json:
        return jsonify({"ok": True, "claim": updated})
    flash("Claimant saved.")
    target = url_for("review.article", article_id=found["article_id"], claim=claim_id)
    return redirect(target + "#panel")


def _claimant_refused(
    claim: dict[str, Any],
    form: ClaimantForm,
    error: str | None,
    status: int,
    message: str | None = None,
    **more: Any,
) -> Any:
    """The review page with the claimant form as submitted, its error by the field."""
    if wants_json():
        return jsonify({"error": error or message, "status": status}), status
    flash(message or error or "")
    context, extra = review_context(claim["article_id"], claim["id"], False)
    panel, panel_extra = panel_context(
        {**context["selected"], **claim}, claimant_form=claimant_fields(claim, form, error)
    )
    context.update(panel, **more)
    extra.update(panel_extra)
    return render("review/review.html", context, status=status, **extra)


def _edit_again(claim: dict[str, Any], text: str | None, error: str, status: int = 400) -> Any:
    """The review page with the claim's *Edit wording* form open again: the wording as typed,
    the error next to it, the claim's version now (a conflict shows its wording above)."""
    refused = {"form": "edit", "error": error, "field": "text"}
    return review_again(claim, status, refused=refused, edit_text=text or "")


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
    return _shape_claim(
        claim_id,
        "dismiss" if dismissed else "restore",
        None,
        form.version.data,
        lambda db, c: store.set_claim_dismissed(
            db, claim_id, dismissed, form.version.data, g.user["id"]
        ),
        success,
    )


def _shape_claim(
    claim_id: int,
    kind: str,
    text: str | None,
    version: int,
    change: Any,
    success: str,
    **refusal: Any,
) -> Any:
    """A change of the claim's wording or dismissal, as :func:`access.claim_shaping` allows
    it: made directly, sent to the editors as a proposal (reviewers), or refused (a published
    article's claims change only through an editor's correction). ``refusal`` goes to
    :func:`_claim_change` (which form shows a refusal, what was typed)."""
    db = get_db()
    found = visible_claim(claim_id)
    article = store.get_article_head(db, found["article_id"])
    mode = access.claim_shaping(db, g.user, article)
    if mode == access.PROPOSE:
        return proposals.submit_proposal(found, kind, text, "", version)
    if mode == access.CORRECTION:
        message = proposals.PUBLISHED_MESSAGE
        if wants_json():
            return jsonify({"error": message, "status": 409}), 409
        flash(message)
        target = proposals.correction_url(found) or (
            url_for("review.article", article_id=found["article_id"], claim=claim_id) + "#panel"
        )
        return redirect(target)
    return _claim_change(claim_id, change, success, **refusal)


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
            if e["table_name"] in ("claims", "claim_proposals")
            or (e["table_name"] == "verdicts" and e["username"] == g.user["username"])
        ]
    return render("review/history.html", {"claim": found, "entries": entries})
