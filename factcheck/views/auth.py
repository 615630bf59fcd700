"""Log in and out; load the logged-in user for every request."""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, flash, g, redirect, request, session, url_for

from .. import store
from ..db import get_db
from ..forms import LoginForm
from ..web import render, validates_own_csrf

bp = Blueprint("auth", __name__)

# Login throttling: failures count per (account, address) and per address, over a window.
LOGIN_WINDOW_MINUTES = 15
MAX_FAILURES_PER_ACCOUNT = 5  # for one account from one address
MAX_FAILURES_PER_ADDRESS = 20  # from one address, any accounts


def client_address() -> str:
    """Who is asking, for throttling: the connection's address, or, when the operator trusts a
    proxy (``PROXY_FIX``, Werkzeug's ``ProxyFix``), the client address the proxy forwarded
    (``X-Forwarded-For`` is read only then). An IPv6 address counts as its /64 network: one
    host has a whole /64 to pick addresses from."""
    address = request.remote_addr or "unknown"
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{ip}/64", strict=False))
    return str(ip)


def throttled(db: Any, username: str, address: str) -> str | None:
    """Why a password may not be tried now (None: it may): too many failures for this account
    from this address, or from this address for any accounts, in the window. The account's
    owner elsewhere is never held up by someone else's guesses."""
    by_pair, by_address = store.login_failures(db, username, address, LOGIN_WINDOW_MINUTES)
    if by_pair >= MAX_FAILURES_PER_ACCOUNT:
        return (
            f"Too many failed logins for this account from your network. Wait "
            f"{LOGIN_WINDOW_MINUTES} minutes and try again, or ask an admin to reset your password."
        )
    if by_address >= MAX_FAILURES_PER_ADDRESS:
        return (
            f"Too many failed logins from your network. Wait {LOGIN_WINDOW_MINUTES} minutes and "
            "try again."
        )
    return None


def load_logged_in_user() -> None:
    """Put the session's user on ``g.user`` if the session is still valid."""
    g.user = None
    if (request.endpoint or "").endswith("static"):
        return  # (not even a look at the session: a static file is the same for everyone)
    user_id = session.get("user_id")
    if user_id is None:
        return
    try:
        user = store.get_user(get_db(), user_id)
    except store.NotFound:
        session.clear()
        return
    if not user["active"] or user["session_version"] != session.get("session_version"):
        session.clear()
        return
    g.user = user


def login_required(view: Callable) -> Callable:
    """Send anonymous visitors to the login page, then back."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if g.get("user") is None:
            if request.method == "GET":
                return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
            from ..web import error_response

            return error_response(401, "Log in first.")
        return view(*args, **kwargs)

    return wrapped


def role_required(*roles: str) -> Callable:
    """Allow only logged-in users with one of ``roles`` (403 for the others)."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if g.get("user") is not None and g.user["role"] not in roles:
                from ..web import error_response

                return error_response(403, "Your role does not allow this.")
            return view(*args, **kwargs)

        return login_required(wrapped)

    return decorate


def _safe_next(target: str | None) -> str:
    # Browsers read "\\" as "/" (so "/\\evil.example" is "//evil.example") and drop tabs
    # and newlines: a path with any of them is not trusted.
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not any(ch == "\\" or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target)
    ):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("articles.index")


@bp.route("/login", methods=["GET", "POST"])
@validates_own_csrf
def login() -> Any:
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    error = None
    status = 200
    if form.validate_on_submit():
        db = get_db()
        username = form.username.data.strip()
        address = client_address()
        error = throttled(db, username, address)
        if error:
            return render("auth/login.html", {"error": error}, status=429, form=form)
        user = store.authenticate(db, username, form.password.data)
        if user is not None:
            store.clear_login_failures(db, username, address)
            session.clear()
            session["user_id"] = user["id"]
            session["session_version"] = user["session_version"]
            session.permanent = True
            return redirect(_safe_next(form.next.data))
        store.record_login_failure(db, username, address)
        error = "Unknown username or wrong password."
        status = 401
    elif form.csrf_token.errors:
        error = "The form's security token is missing or has expired; please log in again."
        status = 400
    elif request.method == "POST":
        error = "Give your username and password."
        status = 400
    return render("auth/login.html", {"error": error}, status=status, form=form)


@bp.route("/logout", methods=["POST"])
def logout() -> Any:
    if g.get("user") is not None:
        # Signed cookies cannot be revoked one by one: moving the user's session version on
        # ends this session and any copy of its cookie.
        store.end_sessions(get_db(), g.user["id"])
    session.clear()
    flash("You are logged out.")
    return redirect(url_for("auth.login"))
