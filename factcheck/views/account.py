"""My account: API tokens (create, list, revoke) and changing one's own password."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, g, make_response, redirect, session, url_for
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from .. import store
from ..db import get_db
from ..forms import FlaskForm
from ..web import render, validates_own_csrf
from . import auth
from .auth import login_required

bp = Blueprint("account", __name__)


class TokenForm(FlaskForm):
    name = StringField(
        "Token name",
        validators=[
            DataRequired("Give the token a name."),
            Length(max=store.tokens.MAX_NAME_LENGTH),
        ],
    )


class PasswordForm(FlaskForm):
    current = PasswordField(
        "Current password", validators=[DataRequired("Give your current password.")]
    )
    new = PasswordField(
        "New password",
        validators=[
            DataRequired("Choose a new password."),
            Length(min=8, max=1024, message="A password has 8 to 1,024 characters."),
        ],
    )
    confirm = PasswordField(
        "New password again", validators=[DataRequired("Type the new password again.")]
    )


def _page(
    token_form: TokenForm | None = None,
    password_form: PasswordForm | None = None,
    *,
    new_token: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Any:
    tokens = store.list_tokens(get_db(), g.user["id"])
    context = {
        "user": {key: g.user[key] for key in ("id", "username", "display_name", "role")},
        "tokens": tokens,
        "new_token": new_token,
        "errors": errors or {},
    }
    response = make_response(
        render(
            "account/index.html",
            context,
            status=status,
            token_form=token_form or TokenForm(formdata=None),
            password_form=password_form or PasswordForm(formdata=None),
        )
    )
    # The page may show a token's plaintext once: never keep it in a cache.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/account")
@login_required
def index() -> Any:
    return _page()


@bp.route("/account/tokens", methods=["POST"])
@login_required
@validates_own_csrf
def create_token() -> Any:
    form = TokenForm()
    valid = form.validate()
    if form.csrf_token.errors:
        return _page(
            form,
            errors={"token": "The form's security token expired: reload the page and try again."},
            status=400,
        )
    if not valid:
        message = next(iter(form.name.errors), "Give the token a name.")
        return _page(form, errors={"token": message}, status=400)
    try:
        plaintext, row = store.create_token(get_db(), g.user["id"], form.name.data)
    except store.Invalid as exc:
        return _page(form, errors={"token": str(exc)}, status=400)
    return _page(new_token=row | {"token": plaintext}, status=201)


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: int) -> Any:
    token = store.revoke_token(get_db(), token_id, g.user["id"])
    flash(f"Token “{token['name']}” ({token['prefix']}…) is revoked.")
    return redirect(url_for("account.index"))


@bp.route("/account/password", methods=["POST"])
@login_required
@validates_own_csrf
def change_password() -> Any:
    form = PasswordForm()
    valid = form.validate()
    if form.csrf_token.errors:
        message = "The form's security token expired: reload the page and try again."
        return _page(password_form=form, errors={"password": message}, status=400)
    if not valid:
        message = next(
            (e for f in (form.current, form.new, form.confirm) for e in f.errors),
            "Fill in every password field.",
        )
        return _page(password_form=form, errors={"password": message}, status=400)
    db = get_db()
    username = g.user["username"]
    address = auth.client_address()
    by_name, _ = store.login_failures(db, username, address, auth.LOGIN_WINDOW_MINUTES)
    if by_name >= auth.MAX_FAILURES_PER_ACCOUNT:
        message = (
            f"Too many wrong passwords. Wait {auth.LOGIN_WINDOW_MINUTES} minutes and try again."
        )
        return _page(password_form=form, errors={"password": message}, status=429)
    if store.authenticate(db, username, form.current.data) is None:
        store.record_login_failure(db, username, address)
        return _page(
            password_form=form,
            errors={"password": "Your current password is not right."},
            status=400,
        )
    if form.new.data != form.confirm.data:
        return _page(
            password_form=form,
            errors={"password": "The two new passwords differ: type them again."},
            status=400,
        )
    try:
        store.set_password(db, username, form.new.data)
    except store.Invalid as exc:
        return _page(password_form=form, errors={"password": str(exc)}, status=400)
    # set_password ended every session of the user; keep this one.
    session["session_version"] = store.get_user(db, g.user["id"])["session_version"]
    flash("Your password is changed. Your other sessions are logged out.")
    return redirect(url_for("account.index"))
