"""Wiring shared by every blueprint: CSRF, the logged-in user, rendering, error pages."""

from __future__ import annotations

import functools
import sqlite3
import time
from collections.abc import Callable
from typing import Any

from flask import (
    Flask,
    Response,
    current_app,
    g,
    jsonify,
    make_response,
    render_template,
    request,
    session,
    url_for,
)
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf
from itsdangerous import BadSignature
from markupsafe import Markup, escape
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter
from wtforms import widgets
from wtforms.widgets.core import clean_key

from . import limits, sanitize, store

csrf = CSRFProtect()

ERROR_TITLES = {
    400: "Bad request",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Changed by someone else",
    413: "Too large",
    429: "Too many requests",
    500: "Server error",
    503: "Busy",
}


def validates_own_csrf(view: Callable) -> Callable:
    """Mark a view whose WTForms form checks the CSRF token itself.

    Such a view re-renders the form with the user's input and a message when the token is
    missing or stale; every other POST is checked before it reaches its view.
    """
    view.validates_own_csrf = True  # type: ignore[attr-defined]
    return view


def csrf_token() -> str:
    """``generate_csrf`` for templates: a page asks for the token several times, and after the
    first call flask_wtf keeps it on ``g`` (read here directly, without its config lookups)."""
    return g.get("csrf_token") or generate_csrf()


_wants_json_of: dict[str, bool] = {}  # Accept header -> answer (clients send a few headers)


def wants_json() -> bool:
    """Whether the client asked for JSON (``Accept`` or ``?_format=json``)."""
    if request.args.get("_format") == "json":
        return True
    header = request.headers.get("Accept", "")
    answer = _wants_json_of.get(header)
    if answer is None:
        best = request.accept_mimetypes.best_match(["text/html", "application/json"])
        answer = (
            best == "application/json"
            and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
        )
        if len(_wants_json_of) < 256:
            _wants_json_of[header] = answer
    return answer


_urls: dict[tuple[Any, ...], str] = {}
URL_CACHE_SIZE = 50_000


def cached_url_for(endpoint: str, **values: Any) -> str:
    """``url_for`` for templates, remembered: a page builds ~20 addresses, the same again and
    again (the app has no URL defaults or preprocessors, so an address depends only on the
    endpoint, its values and the script root). Relative endpoints and ``_`` options (external,
    anchor, scheme...) are built each time."""
    if values:  # (the values' types too: True and 1 are equal keys, not equal addresses)
        key: tuple[Any, ...] = (
            request.script_root,
            endpoint,
            tuple(values.items()),
            tuple(map(type, values.values())),
        )
    else:
        key = (request.script_root, endpoint)
    try:
        url = _urls.get(key)
    except TypeError:  # (an unhashable value)
        return url_for(endpoint, **values)
    if url is not None:
        return url
    url = url_for(endpoint, **values)
    if endpoint[0] != "." and not any(name[0] == "_" for name in values):
        if len(_urls) >= URL_CACHE_SIZE:
            _urls.clear()
        _urls[key] = url
    return url


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the cookies already verified remembered.

    Checking a cookie (HMAC, base64, tagged JSON) cost ~5% of a request, and a browser sends
    the same cookie again and again. A cookie seen before (the very same string, with the same
    keys) gives the data it held, while it is not older than the session lifetime (checked at
    each use, as itsdangerous does); sessions holding anything but plain values are not kept.
    Logouts are not affected: they are checked against the user's ``session_version``.
    """

    _verified: dict[tuple[Any, ...], tuple[dict[str, Any], int]] = {}
    CACHE_SIZE = 10_000

    def open_session(self, app: Flask, request: Any) -> Any:
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie or not app.secret_key:
            return super().open_session(app, request)
        max_age = int(app.permanent_session_lifetime.total_seconds())
        key = (cookie, app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        found = self._verified.get(key)
        if found is not None:
            data, signed_at = found
            if 0 <= int(time.time()) - signed_at <= max_age:
                return self.session_class(data)
        serializer = self.get_signing_serializer(app)
        try:
            data, signed_at = serializer.loads(cookie, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        if all(type(value) in (str, int, bool, float) for value in data.values()):
            if len(self._verified) >= self.CACHE_SIZE:
                self._verified.clear()
            self._verified[key] = (dict(data), int(signed_at.timestamp()))
        return self.session_class(data)


def render(template: str, context: dict[str, Any], status: int = 200, **extra: Any) -> Any:
    """Render ``context`` as JSON when asked for it, else as HTML with ``extra`` objects."""
    if wants_json():
        response = jsonify(context)
        response.status_code = status
        return response
    return render_template(template, **context, **extra), status


# Widgets whose output :func:`render_field` writes itself (exactly these classes, not subclasses).
FAST_WIDGETS = {
    widgets.TextInput: "input",
    widgets.HiddenInput: "input",
    widgets.DateInput: "input",
    widgets.NumberInput: "input",
    widgets.TextArea: "textarea",
    widgets.Select: "select",
}


def html_params(attrs: dict[str, Any]) -> str:
    """``html_params`` of WTForms (sorted names, ``True`` bare, ``False`` left out, values
    escaped by markupsafe), without its ``Markup.format`` per attribute."""
    out = []
    for key, value in sorted(attrs.items()):
        if value is True:
            out.append(key)
        elif value is not False:
            out.append(f'{key}="{escape(value)}"')
    return " ".join(out)


def render_field(field: Any, **kwargs: Any) -> Markup:
    """``field(**kwargs)``, the same markup, written here for the common widgets (text, hidden,
    date, number, textarea, single select): WTForms' own rendering costs more than the rest of
    a page. Any other widget, or a field with ``render_kw`` or a datalist, renders as before."""
    widget = field.widget
    kind = FAST_WIDGETS.get(type(widget))
    if (
        kind is None
        or getattr(field, "render_kw", None)
        or getattr(field, "_datalist", None) is not None
        or (kind == "select" and (widget.multiple or field.has_groups()))
    ):
        return field(**kwargs)
    attrs = {clean_key(key): value for key, value in kwargs.items()}
    attrs.setdefault("id", field.id)
    if kind == "input":
        attrs.setdefault("type", widget.input_type)
        if "value" not in attrs:
            attrs["value"] = field._value()
    for key, value in vars(field.flags).items():
        if key in widget.validation_attrs and key not in attrs:
            attrs[key] = value() if kind == "input" and callable(value) else value
    attrs["name"] = field.name
    params = html_params(attrs)
    if kind == "input":
        return Markup(f"<input {params}>")
    if kind == "textarea":
        return Markup(f"<textarea {params}>\r\n{escape(field._value())}</textarea>")
    html = [f"<select {params}>"]
    for choice in field._iter_choices_normalized():
        value = str(choice.value) if isinstance(choice.value, bool) else choice.value
        options = {"value": value, **(choice.render_kw or {})}
        if choice.selected:
            options["selected"] = True
        html.append(
            f"<option {html_params(options)}>{escape(choice.label or choice.value)}</option>"
        )
    html.append("</select>")
    return Markup("".join(html))


MARKDOWN_CACHE_CHARS = 20_000  # longer texts are rendered each time (the cache stays small)


@functools.lru_cache(maxsize=1024)
def _cached_markdown(source: str) -> Markup:
    return sanitize.render_markdown(source)


def render_markdown(source: Any) -> Markup:
    """:func:`factcheck.sanitize.render_markdown`, remembered for the last texts shown: pages
    show the same rationales again and again (a review page, the other reviewers' verdicts), and
    rendering is a pure function of the text (and costs more than the rest of a panel)."""
    if type(source) is str and len(source) <= MARKDOWN_CACHE_CHARS:
        return _cached_markdown(source)
    return sanitize.render_markdown(source)


def error_response(status: int, message: str, **fields: Any) -> Response:
    """An error as JSON ``{"error", "status"}`` or as the HTML error page."""
    if wants_json() or request.path.startswith("/api/"):
        response = jsonify({"error": message, "status": status, **fields})
    else:
        title = ERROR_TITLES.get(status, "Error")
        response = make_response(
            render_template("error.html", status=status, title=title, message=message)
        )
    response.status_code = status
    return response


def _check_csrf() -> None:
    if request.method in {"GET", "HEAD", "OPTIONS"} or request.routing_exception is not None:
        return  # (an unknown address or method answers 404 or 405, not a token error)
    view = current_app.view_functions.get(request.endpoint or "")
    if view is not None and getattr(view, "validates_own_csrf", False):
        return
    csrf.protect()


def _security_headers(response: Response) -> Response:
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    # What is shown to a logged-in user (pages, downloads, API answers), or made for one
    # visitor (a form's token in the session cookie), is kept by no cache, the browser's
    # included: after a logout the back button must not show it. Public pages and static
    # files stay cacheable.
    if g.get("user") is not None or g.get("csrf_token") or session.modified:
        response.headers["Cache-Control"] = "no-store"
    return response


# SQLite's primary result codes that mean the database cannot be written (or read) at all:
# read-only file or folder, disk full, I/O error, file gone, no permission, damaged file.
UNWRITABLE_CODES = {
    sqlite3.SQLITE_READONLY,
    sqlite3.SQLITE_FULL,
    sqlite3.SQLITE_IOERR,
    sqlite3.SQLITE_CANTOPEN,
    sqlite3.SQLITE_PERM,
    sqlite3.SQLITE_CORRUPT,
    sqlite3.SQLITE_NOTADB,
}


def _database_error(exc: sqlite3.Error) -> Any:
    """503 for a database that cannot be written (read-only, full, failing) or is busy; the
    rest is a server error (500), logged."""
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return _busy_response()
    if code in UNWRITABLE_CODES:
        current_app.logger.error("Database error on %s: %s", request.path, exc)
        response = error_response(
            503,
            "The database cannot be written (it is read-only, the disk is full or failing); "
            "nothing was saved. Tell your administrator; try again later.",
        )
        response.headers["Retry-After"] = "60"
        return response
    current_app.logger.exception("Unhandled database error on %s", request.path)
    return error_response(500, "Something went wrong on our side; the error was logged.")


def _busy_response() -> Response:
    response = error_response(
        503, "The database is busy with another change. Wait a moment and try again."
    )
    response.headers["Retry-After"] = "2"
    return response


class IdConverter(IntegerConverter):
    """``<int:…>`` in every route: a whole number up to :data:`factcheck.limits.MAX_ID`
    (SQLite's integer range); a larger one matches no route, so it is "not found" (404)."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", limits.MAX_ID)
        super().__init__(map, *args, **kwargs)


def _archive_note(archive: Any, url: str | None = None) -> str:
    from .evidence.panel import archive_note

    return archive_note(archive, url)


def init_app(app: Flask) -> None:
    """Register extensions, blueprints, hooks and error handlers on ``app``."""
    from .views import (
        account,
        admin,
        api,
        articles,
        auth,
        corrections,
        desk,
        discussion,
        exports,
        imports,
        proposals,
        public,
        publishing,
        reports,
        review,
        search,
        sources,
    )

    app.jinja_env.finalize = sanitize.finalize
    app.jinja_env.globals.update(
        csrf_token=csrf_token,
        highlighted=sanitize.highlighted,
        markdown=render_markdown,
        archive_note=_archive_note,
        web_url=sanitize.safe_url,
        render_field=render_field,
        url_for=cached_url_for,
    )
    app.url_map.converters["int"] = IdConverter  # (before any route is added)
    app.session_interface = SessionInterface()
    csrf.init_app(app)
    app.before_request(auth.load_logged_in_user)
    app.before_request(_check_csrf)
    app.after_request(_security_headers)
    app.after_request(_mail_inbox)
    for module in (
        auth,
        articles,
        search,
        review,
        reports,
        desk,
        publishing,
        admin,
        account,
        api,
        exports,
        public,
        corrections,
        proposals,
        discussion,
        imports,
        sources,
    ):
        app.register_blueprint(module.bp)

    @app.context_processor
    def _user_context() -> dict[str, Any]:
        return {
            "current_user": g.get("user"),
            "app_version": _version(),
            "open_proposal_count": _open_proposal_count,
            "inbox_unread_count": discussion.unread_count,
        }

    @app.errorhandler(CSRFError)
    def _csrf_error(exc: CSRFError) -> Any:
        return error_response(
            400,
            "The form's security token is missing or has expired. "
            "Go back, reload the page and submit again.",
        )

    @app.errorhandler(store.NotFound)
    def _not_found(exc: store.NotFound) -> Any:
        return error_response(404, f"There is no {exc}.")

    app.register_error_handler(store.Busy, lambda exc: _busy_response())
    app.register_error_handler(sqlite3.Error, _database_error)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Any:
        status = exc.code or 500
        if status == 413:
            return error_response(
                413,
                f"The request was larger than this server accepts "
                f"({app.config['MAX_CONTENT_LENGTH']:,} bytes); nothing was stored. "
                f"An article can have at most {app.config['MAX_ARTICLE_BYTES']:,} bytes of text "
                "(setting MAX_ARTICLE_BYTES): shorten it and try again.",
            )
        response = error_response(status, exc.description or ERROR_TITLES.get(status, "Error"))
        for name, value in exc.get_headers():
            if name.lower() in {"allow", "retry-after", "www-authenticate"}:
                response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def _server_error(exc: Exception) -> Any:
        app.logger.exception("Unhandled error on %s", request.path)
        return error_response(500, "Something went wrong on our side; the error was logged.")


def _mail_inbox(response: Response) -> Response:
    """After a change that may have put items in inboxes (a successful POST), e-mail them
    when SMTP is configured: in a background thread, never on this one (see factcheck.mail)."""
    if (
        request.method == "POST"
        and response.status_code < 400
        and current_app.config.get("SMTP_HOST")
    ):
        from . import config as config_module
        from . import mail

        mail.schedule(
            current_app.config["DATABASE"],
            mail.smtp_settings(current_app.config),
            config_module.public_base_url(current_app.config),
        )
    return response


def _open_proposal_count() -> int:
    """How many proposals wait for an editor (the menu's count; asked for by editors' pages)."""
    from .db import get_db

    return store.count_open_proposals(get_db())


def _version() -> str:
    from . import __version__

    return __version__
