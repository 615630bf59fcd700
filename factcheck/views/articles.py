"""The article list and adding an article (paste or upload)."""

from __future__ import annotations

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

from .. import access, ingest, store, url_import
from ..db import get_db
from ..forms import ArticleDateForm, ArticleForm, UrlImportForm
from ..store import url_imports
from ..web import error_response, render, validates_own_csrf, wants_json
from . import imports
from .auth import login_required

bp = Blueprint("articles", __name__)


@bp.route("/")
@login_required
def index() -> Any:
    visible_to = None if access.is_editor(g.user) else g.user["id"]
    db = get_db()
    articles = store.list_articles(db, visible_to=visible_to)
    own = access.own_counts(db, g.user, articles)
    return render("articles/index.html", {"articles": articles, "own_counts": own})


@bp.route("/articles/new", methods=["GET", "POST"])
@login_required
@validates_own_csrf
def new() -> Any:
    form = ArticleForm()
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        if form.csrf_token.errors or not form.validate():
            if form.csrf_token.errors:
                errors.append(
                    "The form's security token expired. Your text is kept below: submit again."
                )
        else:
            try:
                draft = _draft_from_form(form)
                article_id = store.create_article(
                    get_db(), draft.article, draft.claims, g.user["id"]
                )
            except ingest.IngestError as exc:
                errors.append(str(exc))
                if _too_large(form.body.data):
                    # Sending the oversized text back would double the traffic for nothing.
                    form.body.data = ""
                    errors.append("The text was not kept here: shorten it, then paste it again.")
            except store.Busy:
                errors.append(
                    "The database is busy with another change; nothing was stored. "
                    "Your input is kept below: submit again in a moment."
                )
                status = 503
            except store.DuplicateArticle as exc:
                flash("This article is already stored; here it is.")
                return redirect(url_for("review.article", article_id=exc.article_id))
            else:
                for notice in draft.notices:
                    flash(notice)
                flash(f"Imported with {len(draft.claims)} claims.")
                return redirect(url_for("review.article", article_id=article_id))
    if status == 200 and (errors or form.errors):
        status = 400
    response = make_response(
        render(
            "articles/new.html",
            {
                "errors": errors,
                "field_errors": form.errors,
                "limit": current_app.config["MAX_ARTICLE_BYTES"],
            },
            status=status,
            form=form,
            url_form=UrlImportForm(formdata=None),
        )
    )
    if status in (429, 503):
        response.headers["Retry-After"] = "2"
    return response


def _too_large(body: str | None) -> bool:
    limit = current_app.config["MAX_ARTICLE_BYTES"]
    return len((body or "").encode("utf-8", "surrogatepass")) > limit


def _draft_from_form(form: ArticleForm) -> ingest.Draft:
    config = current_app.config
    meta = {
        "title": form.title.data or "",
        "url": form.url.data,
        "publisher": form.publisher.data,
        "author": form.author.data,
        "published": form.published.data,
    }
    upload = form.upload.data
    if upload is not None and getattr(upload, "filename", ""):
        if (form.body.data or "").strip():
            raise ingest.IngestError("Paste text or upload a file, not both.")
        data = upload.read(config["MAX_ARTICLE_BYTES"] * 4 + 1)
        return ingest.prepare_upload(
            upload.filename,
            data,
            config["MAX_ARTICLE_BYTES"],
            threshold=config["CHECKWORTHY_THRESHOLD"],
            **meta,
        )
    return ingest.prepare_article(
        body=form.body.data or "",
        max_bytes=config["MAX_ARTICLE_BYTES"],
        threshold=config["CHECKWORTHY_THRESHOLD"],
        **meta,
    )


@bp.route("/articles/import-url", methods=["POST"])
@login_required
@validates_own_csrf
def import_url() -> Any:
    """Start an import from a web address: recorded and queued as a job (see
    :mod:`factcheck.url_import`), answered at once with the import's page, which follows it."""
    url_form = UrlImportForm()
    errors: list[str] = []
    status = 400
    valid = url_form.validate()
    if url_form.csrf_token.errors:
        errors.append("The form's security token expired. The address is kept below: try again.")
    elif valid:
        try:
            import_id = url_import.start(
                get_db(), current_app.config, url_form.page_url.data.strip(), g.user["id"]
            )
        except url_imports.TooManyImports as exc:
            errors.append(str(exc))
            status = 429
        except store.Busy:
            errors.append(
                "The database is busy with another change; nothing was stored. Try again."
            )
            status = 503
        else:
            row = url_imports.get_url_import(get_db(), import_id)
            if row["state"] == "failed":  # (over already: jobs run at once, JOBS_IMMEDIATE)
                errors.append(row["error"])
            elif row["state"] == "done":
                return imports.after_done(row)
            else:
                return redirect(url_for("imports.url_import", import_id=import_id), code=303)
    response = make_response(
        render(
            "articles/new.html",
            {
                "errors": [],
                "url_errors": errors,
                "field_errors": url_form.errors,
                "limit": current_app.config["MAX_ARTICLE_BYTES"],
            },
            status=status,
            form=ArticleForm(formdata=None),
            url_form=url_form,
        )
    )
    if status in (429, 503):
        response.headers["Retry-After"] = "2"
    return response


@bp.route("/articles/<int:article_id>/date", methods=["POST"])
@login_required
@validates_own_csrf
def set_date(article_id: int) -> Any:
    """Set the article's publication date (editors, admins and whoever added the article): a
    new version of the article, audited. A refused date is shown again with its error."""
    from .review_page import review_context  # (the review page shows the form)

    db = get_db()
    access.require_article(db, g.user, article_id)
    article = store.get_article_head(db, article_id)
    if not access.can_edit_article(g.user, article):
        return error_response(403, "Only editors and whoever added the article set its date.")
    form = ArticleDateForm()
    error = None
    status = 400
    if not form.validate():
        if form.csrf_token.errors:
            error = "The form's security token expired: save the date again."
        else:
            error = next(iter(form.published.errors or form.version.errors), "Check the date.")
    else:
        try:
            store.set_article_published(
                db, article_id, form.published.data.isoformat(), form.version.data, g.user["id"]
            )
        except store.Invalid as exc:
            error = str(exc)
        except store.Conflict:
            error = "The article was changed by someone else meanwhile: check and save again."
            status = 409
    if wants_json():
        if error is not None:
            return jsonify({"error": error, "status": status, "fields": form.errors}), status
        return jsonify({"ok": True, "article": store.get_article_head(db, article_id)})
    if error is None:
        flash(f"Publication date set to {form.published.data.isoformat()}.")
        return redirect(url_for("review.article", article_id=article_id))
    context, extra = review_context(article_id, None, False)
    typed = (form.published.raw_data or [""])[0]
    extra["date_edit"] = {"value": typed[:32], "error": error}
    return render("review/review.html", context, status=status, **extra)
