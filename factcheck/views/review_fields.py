"""The review page's forms as plain data: the rating scale's choices, the verdict, add-claim,
claimant, wording and final-verdict forms' markup (written without building the WTForms form
where that costs), and what a refused form says."""

from __future__ import annotations

import datetime
from typing import Any

from flask import current_app
from markupsafe import Markup, escape
from wtforms.widgets.core import clean_key

from ..forms import AddClaimForm, ClaimantForm, FinalVerdictForm, VerdictForm
from ..web import FAST_WIDGETS, html_params, render_field


def rating_scale() -> list[dict[str, Any]]:
    """The configured rating scale."""
    return current_app.config["RATING_SCALE"]


def rating_labels() -> dict[str, str]:
    """Each rating's label, by key."""
    return {entry["key"]: entry["label"] for entry in rating_scale()}


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


def shown_field(form_class: type, name: str, value: Any, **kwargs: Any) -> Markup:
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
        "quote": shown_field(AddClaimForm, "quote", "", rows=2, required=True),
        "text": shown_field(AddClaimForm, "text", "", rows=2),
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


def refusal(form: Any, otherwise: str) -> str:
    """What a form that did not validate says: its token expired, or ``otherwise``."""
    if form.csrf_token.errors:
        return "The form's security token expired: reload the page (copy your text first)."
    # (a limit of the whole form, e.g. too many sources, or text that cannot be stored)
    return next(iter(form.form_errors), None) or form.storable_error or otherwise
