"""WTForms forms; each carries a CSRF token (Flask-WTF)."""

from __future__ import annotations

import datetime
from typing import Any

from flask import current_app, g, request
from flask_wtf import FlaskForm as _FlaskForm
from flask_wtf.csrf import validate_csrf
from flask_wtf.file import FileField
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from . import limits, sanitize


def http_url(form: Any, field: Any) -> None:
    """Accept only absolute http(s) addresses (never ``javascript:`` and the like)."""
    if field.data and sanitize.safe_url(field.data) is None:
        raise ValidationError("Give a web address starting with http:// or https://.")


def storable_problems(form: Any) -> bool:
    """Mark every field of ``form`` (sub-forms included) holding what cannot be stored (see
    :mod:`factcheck.limits`): a NUL character or a lone surrogate in text, an integer past
    SQLite's range. The message goes next to the field; True when any was found."""
    found = False
    for field in _flat_fields(form):
        data = field.data
        problem = None
        if isinstance(data, str):
            problem = limits.text_problem(data)
            if problem:
                problem = f"This field {problem}: remove it and try again."
        elif isinstance(data, int) and not isinstance(data, bool) and abs(data) > limits.MAX_ID:
            problem = f"This number is too large (at most {limits.MAX_ID:,})."
        if problem:
            if not isinstance(field.errors, list):
                field.errors = list(field.errors)
            field.errors.append(problem)
            found = True
    return found


class FlaskForm(_FlaskForm):
    """A form whose CSRF token may also come in the ``X-CSRFToken`` header (``fetch``), and
    whose fields never hold what cannot be stored (:func:`storable_problems`)."""

    storable_error: str | None = None  # the first such problem, for views with one message

    class Meta:
        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            formdata = super().wrap_formdata(form, formdata)
            header = request.headers.get("X-CSRFToken") or request.headers.get("X-CSRF-Token")
            if formdata is None or not header or formdata.get("csrf_token"):
                return formdata
            merged = MultiDict(formdata.items(multi=True))
            merged["csrf_token"] = header
            return merged

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if storable_problems(self):
            self.storable_error = next(
                f"{field.label.text}: {field.errors[-1]}"
                for field in _flat_fields(self)
                if field.errors
                and isinstance(field.errors, list)
                and ("cannot be stored" in field.errors[-1] or "too large" in field.errors[-1])
            )
            return False
        return valid


def _flat_fields(form: Any) -> Any:
    for field in form:
        if isinstance(field, FieldList):
            for entry in field.entries:
                if isinstance(entry, FormField):
                    yield from _flat_fields(entry.form)
        else:
            yield field


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=64)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)])
    next = HiddenField()


class ActionForm(FlaskForm):
    """A button that changes state (log out, dismiss, restore): only the CSRF token."""


class ArticleForm(FlaskForm):
    title = StringField("Title", validators=[Optional(), Length(max=limits.TITLE)])
    url = StringField("Source URL", validators=[Optional(), Length(max=limits.URL), http_url])
    publisher = StringField("Publisher", validators=[Optional(), Length(max=limits.PUBLISHER)])
    author = StringField("Author", validators=[Optional(), Length(max=limits.AUTHOR)])
    published = DateField("Publication date", validators=[Optional()])
    body = TextAreaField("Article text")
    upload = FileField("…or upload a .txt, .md or .html file")


class ArticleDateForm(FlaskForm):
    """An article's publication date, set on the review page when it is unknown."""

    published = DateField(
        "Publication date", validators=[InputRequired("Give the date the article was published.")]
    )
    version = IntegerField(validators=[DataRequired()])


class SourceForm(Form):
    # (any text: an address that is not http(s) is kept as typed, never fetched nor made a
    # link, and its state says so: see factcheck.evidence.urls.not_web)
    url = StringField("URL", validators=[Optional(), Length(max=limits.URL)])
    title = StringField("Title", validators=[Optional(), Length(max=limits.TITLE)])
    publisher = StringField("Publisher", validators=[Optional(), Length(max=limits.PUBLISHER)])
    excerpt = TextAreaField("Excerpt", validators=[Optional(), Length(max=limits.EXCERPT)])
    stance = SelectField(
        "Stance",
        choices=[("supports", "Supports"), ("refutes", "Refutes"), ("context", "Context")],
        default="context",
    )
    accessed = DateField("Accessed", validators=[Optional()])


class VerdictForm(FlaskForm):
    rating = SelectField("Verdict", validators=[DataRequired(message="Choose a verdict.")])
    rationale = TextAreaField("Rationale (Markdown)", validators=[Length(max=limits.RATIONALE)])
    sources = FieldList(FormField(SourceForm), min_entries=1, max_entries=limits.MAX_SOURCES)
    version = HiddenField()

    def validate(self, extra_validators: Any = None) -> bool:
        """Also: more sources than the limit is an error naming it (the form's list would keep
        the first ``max_entries`` and drop the rest without a word)."""
        valid = super().validate(extra_validators)
        given = submitted_sources()
        if given > limits.MAX_SOURCES:
            self.form_errors.append(
                f"A verdict has at most {limits.MAX_SOURCES} sources; {given:,} were sent and "
                "nothing was saved. Remove some and save again."
            )
            return False
        return valid


def submitted_sources() -> int:
    """How many sources the request's form holds (distinct ``sources-N-…`` indexes)."""
    indexes = set()
    for key in request.form:
        if key.startswith("sources-"):
            number = key[8:].partition("-")[0]
            if number.isascii() and number.isdigit():
                indexes.add(number)
    return len(indexes)


class AddClaimForm(FlaskForm):
    quote = TextAreaField("Passage", validators=[DataRequired(), Length(max=5000)])
    start = IntegerField(validators=[Optional()])
    end = IntegerField(validators=[Optional()])
    text = TextAreaField("Wording (optional)", validators=[Optional(), Length(max=2000)])


class EditClaimForm(FlaskForm):
    text = TextAreaField("Wording", validators=[DataRequired(), Length(max=2000)])
    version = IntegerField(validators=[DataRequired()])


class ClaimantForm(FlaskForm):
    """Who made a claim: a name and its kind, or nothing (the publication itself)."""

    claimant = StringField(
        "Claimant (leave empty: the publication)", validators=[Optional(), Length(max=300)]
    )
    claimant_kind = StringField(
        validators=[
            Optional(),
            AnyOf(["person", "organization"], message="Choose a person or an organization."),
        ]
    )
    reason = TextAreaField(validators=[Optional(), Length(max=5000)])  # (a proposal's)
    version = IntegerField(validators=[DataRequired()])


class ClaimStateForm(FlaskForm):
    version = IntegerField(validators=[DataRequired()])


class ProposalForm(FlaskForm):
    """A reviewer's proposal to change a claim (see :mod:`factcheck.store.proposals`)."""

    kind = SelectField(
        "Proposal",
        choices=[("wording", "new wording"), ("dismiss", "dismissal"), ("restore", "restore")],
        validators=[DataRequired(message="Say what you propose.")],
    )
    text = TextAreaField("Proposed wording", validators=[Optional(), Length(max=2000)])
    reason = TextAreaField("Reason (optional)", validators=[Optional(), Length(max=5000)])
    version = IntegerField(validators=[Optional()])


class DecisionForm(FlaskForm):
    """An editor's acceptance or rejection of a proposal."""

    note = TextAreaField("Note (optional)", validators=[Optional(), Length(max=5000)])
    version = IntegerField(validators=[Optional()])
    claim_version = IntegerField(validators=[Optional()])
    back = HiddenField()


class ProposalWithdrawForm(FlaskForm):
    """A reviewer takes back their open proposal."""

    version = IntegerField(validators=[Optional()])


class FinalVerdictForm(FlaskForm):
    rating = SelectField("Final verdict", validators=[DataRequired(message="Choose a verdict.")])
    reason = TextAreaField("Reason", validators=[Optional(), Length(max=20_000)])
    correction_note = TextAreaField(
        "Correction note (required once published)", validators=[Optional(), Length(max=5000)]
    )
    version = HiddenField()


class AssignForm(FlaskForm):
    reviewers = SelectMultipleField("Reviewers", coerce=int, validators=[Optional()])


class SpreadForm(FlaskForm):
    per_article = IntegerField("Reviewers per article", validators=[DataRequired()])
    only_unassigned = BooleanField("Only articles without reviewers", default=True)


class PublishForm(FlaskForm):
    publish = HiddenField(default="1")
    note = TextAreaField("Why the article is withdrawn", validators=[Optional(), Length(max=5000)])


class CorrectionForm(FlaskForm):
    """An editor's correction of a published claim (store.publish_correction)."""

    text = TextAreaField(
        "Wording",
        validators=[DataRequired(message="A claim's wording cannot be empty."), Length(max=2000)],
    )
    claimant = StringField(
        "Claimant (leave empty: the publication)", validators=[Optional(), Length(max=300)]
    )
    claimant_kind = SelectField(
        "Kind of claimant",
        choices=[
            ("", "— the publication —"),
            ("person", "Person"),
            ("organization", "Organization"),
        ],
        validators=[Optional()],
    )
    rating = SelectField("Final verdict", validators=[Optional()])
    reason = TextAreaField("Reason", validators=[Optional(), Length(max=20_000)])
    note = TextAreaField(
        "Correction note (shown to readers)",
        validators=[
            DataRequired(message="Say what changed and why: readers see this note."),
            Length(max=5000),
        ],
    )
    published_version = HiddenField()


class WithdrawForm(FlaskForm):
    """Withdrawing a published claim or article, with the note readers see."""

    note = TextAreaField(
        "Why it is withdrawn (shown to readers)",
        validators=[
            DataRequired(message="Say why: readers see this note."),
            Length(max=5000),
        ],
    )
    published_version = HiddenField()


class SettleUnanimousForm(FlaskForm):
    """The publish check's one form settling the unanimous claims: each ``claims`` value is
    ``claim id:rating`` (the reviewers' common rating the editor saw)."""

    claims = SelectMultipleField(
        "Claims to settle",
        validate_choice=False,
        validators=[DataRequired(message="Choose at least one claim to settle.")],
    )
    reason = TextAreaField(
        "Reason (shown with each final verdict)",
        validators=[
            DataRequired(message="Give a reason: it is shown with each final verdict."),
            Length(max=20_000),
        ],
    )


class ConfirmPublishForm(FlaskForm):
    """The publish check's confirmation: ``state`` names what the editor saw would go out
    (:func:`factcheck.store.publish.publish_state`)."""

    state = HiddenField(validators=[DataRequired(message="Open the publish check first.")])


class UserForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=64)])
    password = PasswordField(
        "Password",
        validators=[
            DataRequired(),
            Length(min=8, max=1024, message="The password must be 8 to 1024 characters long."),
        ],
    )
    role = SelectField(
        "Role",
        choices=[("reviewer", "Reviewer"), ("editor", "Editor"), ("admin", "Admin")],
        default="reviewer",
    )


class UserChangeForm(FlaskForm):
    role = SelectField(
        "Role",
        choices=[("reviewer", "Reviewer"), ("editor", "Editor"), ("admin", "Admin")],
        validators=[Optional()],
    )
    active = SelectField(
        "Status", choices=[("1", "Active"), ("0", "Disabled")], validators=[Optional()]
    )
    password = PasswordField(
        "New password",
        validators=[
            Optional(),
            Length(min=8, max=1024, message="new password must be 8 to 1024 characters long."),
        ],
    )


class SettingsForm(FlaskForm):
    blind_verdicts = BooleanField("Blind review: reviewers see others' verdicts after their own")
    disagreement_mode = SelectField(
        "A claim is disputed when verdicts",
        choices=[("any", "differ at all"), ("step", "are more than one step apart")],
    )
    reviewers_per_article = IntegerField(
        "Reviewers per article (for spreading)", validators=[DataRequired()]
    )
    reviewers_shape_claims = BooleanField(
        "Reviewers may shape claims directly before publication (edit wordings, dismiss);"
        " otherwise they propose changes to an editor. Never after publication."
    )


class UrlImportForm(FlaskForm):
    """Import an article from a web address: the server fetches the page (guarded)."""

    page_url = StringField(
        "Web address of the article",
        validators=[
            DataRequired(message="Give the article's web address."),
            Length(max=2000),
            http_url,
        ],
    )


class BulkImportForm(FlaskForm):
    """A bulk import: a file (or pasted text) of article records, JSON, JSON Lines or CSV."""

    upload = FileField("A .json, .jsonl or .csv file of article records")
    records = TextAreaField("…or paste the records")
    format = SelectField(
        "Format",
        choices=[
            ("auto", "From the file name or the text"),
            ("json", "JSON (an array of records)"),
            ("jsonl", "JSON Lines (one record a line)"),
            ("csv", "CSV (a header row: title, text, url, publisher, author, date)"),
        ],
        default="auto",
    )


# The verdict save without WTForms ---------------------------------------------------------------


def _max_length(field: Any) -> int:
    """The ``Length(max=...)`` of a form class's field (one place for each limit)."""
    return next(v.max for v in field.kwargs["validators"] if isinstance(v, Length))


_SOURCE_KEYS = ("url", "title", "publisher", "excerpt", "stance", "accessed")
_SOURCE_LIMITS = {
    name: _max_length(getattr(SourceForm, name))
    for name in ("url", "title", "publisher", "excerpt")
}
_STANCES = frozenset(value for value, _ in SourceForm.stance.kwargs["choices"])
_RATIONALE_MAX = _max_length(VerdictForm.rationale)
_MAX_SOURCES = VerdictForm.sources.kwargs["max_entries"]


def quick_verdict(scale_keys: list[str]) -> dict[str, Any] | None:
    """What a valid :class:`VerdictForm` of this request holds, read without WTForms, or None.

    Building and validating the form (a sub-form per source) cost a fifth of a save. This
    takes the ordinary submission only: exactly the form's fields (the page sends every source
    field), one value each, sources ``0..n-1`` (n up to the form's ``max_entries``), and every
    rule of the form met:
    the CSRF token (field, or the ``X-CSRFToken`` header), a rating of the scale, the length
    limits, a known stance, ``YYYY-MM-DD`` dates. Anything else, valid or
    not, gives None and the caller validates the WTForms form as before (with its messages).
    The values are those of the form's ``data`` (tests compare both on many inputs).
    """
    if request.files or not request.form:
        return None
    form = request.form
    config = current_app.config
    token_name = config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    count = (len(form) - 3 - (token_name in form)) // len(_SOURCE_KEYS)
    expected = 3 + (token_name in form) + count * len(_SOURCE_KEYS)
    if not 1 <= count <= _MAX_SOURCES or len(form) != expected:
        return None
    values: dict[str, str] = {}
    for key, found in form.lists():
        if len(found) != 1:
            return None
        values[key] = found[0]
    if any(limits.text_problem(value) for value in values.values()):
        return None  # (the form says which field)
    rating, rationale, version = (values.get(k) for k in ("rating", "rationale", "version"))
    if rating is None or rationale is None or version is None:
        return None
    if rating not in scale_keys or not rating.strip() or len(rationale) > _RATIONALE_MAX:
        return None
    if config.get("WTF_CSRF_ENABLED", True) and not g.get("csrf_valid", False):
        token = values.get(token_name) or (
            request.headers.get("X-CSRFToken") or request.headers.get("X-CSRF-Token")
        )
        try:
            validate_csrf(token)
        except ValidationError:
            return None
    sources = []
    for index in range(count):
        source: dict[str, Any] = {}
        for name in _SOURCE_KEYS:
            value = values.get(f"sources-{index}-{name}")
            if value is None:
                return None
            source[name] = value
        for name, limit in _SOURCE_LIMITS.items():
            value = source[name]
            if value.strip() and len(value) > limit:
                return None
        if source["stance"] not in _STANCES:
            return None
        accessed = source["accessed"]
        if accessed.strip():
            try:
                source["accessed"] = datetime.datetime.strptime(accessed, "%Y-%m-%d").date()
            except ValueError:
                return None
        else:
            source["accessed"] = None
        sources.append(source)
    return {"rating": rating, "rationale": rationale, "sources": sources, "version": version}
