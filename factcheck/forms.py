"""WTForms forms; each carries a CSRF token (Flask-WTF)."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_wtf import FlaskForm as _FlaskForm
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
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from . import sanitize


def http_url(form: Any, field: Any) -> None:
    """Accept only absolute http(s) addresses (never ``javascript:`` and the like)."""
    if field.data and sanitize.safe_url(field.data) is None:
        raise ValidationError("Give a web address starting with http:// or https://.")


class FlaskForm(_FlaskForm):
    """A form whose CSRF token may also come in the ``X-CSRFToken`` header (``fetch``)."""

    class Meta:
        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            formdata = super().wrap_formdata(form, formdata)
            header = request.headers.get("X-CSRFToken") or request.headers.get("X-CSRF-Token")
            if formdata is None or not header or formdata.get("csrf_token"):
                return formdata
            merged = MultiDict(formdata.items(multi=True))
            merged["csrf_token"] = header
            return merged


class LoginForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=64)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)])
    next = HiddenField()


class ActionForm(FlaskForm):
    """A button that changes state (log out, dismiss, restore): only the CSRF token."""


class ArticleForm(FlaskForm):
    title = StringField("Title", validators=[Optional(), Length(max=500)])
    url = StringField("Source URL", validators=[Optional(), Length(max=2000), http_url])
    publisher = StringField("Publisher", validators=[Optional(), Length(max=300)])
    author = StringField("Author", validators=[Optional(), Length(max=300)])
    published = DateField("Publication date", validators=[Optional()])
    body = TextAreaField("Article text")
    upload = FileField("…or upload a .txt, .md or .html file")


class SourceForm(Form):
    url = StringField("URL", validators=[Optional(), Length(max=2000), http_url])
    title = StringField("Title", validators=[Optional(), Length(max=500)])
    publisher = StringField("Publisher", validators=[Optional(), Length(max=300)])
    excerpt = TextAreaField("Excerpt", validators=[Optional(), Length(max=5000)])
    stance = SelectField(
        "Stance",
        choices=[("supports", "Supports"), ("refutes", "Refutes"), ("context", "Context")],
        default="context",
    )
    accessed = DateField("Accessed", validators=[Optional()])


class VerdictForm(FlaskForm):
    rating = SelectField("Verdict", validators=[DataRequired(message="Choose a verdict.")])
    rationale = TextAreaField("Rationale (Markdown)", validators=[Length(max=50_000)])
    sources = FieldList(FormField(SourceForm), min_entries=1, max_entries=50)
    version = HiddenField()


class AddClaimForm(FlaskForm):
    quote = TextAreaField("Passage", validators=[DataRequired(), Length(max=5000)])
    start = IntegerField(validators=[Optional()])
    end = IntegerField(validators=[Optional()])
    text = TextAreaField("Wording (optional)", validators=[Optional(), Length(max=2000)])


class EditClaimForm(FlaskForm):
    text = TextAreaField("Wording", validators=[DataRequired(), Length(max=2000)])
    version = IntegerField(validators=[DataRequired()])


class ClaimStateForm(FlaskForm):
    version = IntegerField(validators=[DataRequired()])


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


class UserForm(FlaskForm):
    username = StringField("Username", validators=[DataRequired(), Length(max=64)])
    password = PasswordField("Password", validators=[DataRequired(), Length(min=8, max=1024)])
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
    password = PasswordField("New password", validators=[Optional(), Length(min=8, max=1024)])


class SettingsForm(FlaskForm):
    blind_verdicts = BooleanField("Blind review: reviewers see others' verdicts after their own")
    disagreement_mode = SelectField(
        "A claim is disputed when verdicts",
        choices=[("any", "differ at all"), ("step", "are more than one step apart")],
    )
    reviewers_per_article = IntegerField(
        "Reviewers per article (for spreading)", validators=[DataRequired()]
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
