"""Imports that run as background jobs: the progress of an import from a web address, and
bulk imports (the form, and a batch's progress)."""

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

from .. import access, bulk_import, ingest, store
from ..db import get_db
from ..forms import BulkImportForm, UrlImportForm
from ..store import batches, url_imports
from ..web import render, validates_own_csrf, wants_json
from .auth import login_required

bp = Blueprint("imports", __name__)

STATE_TEXT = {
    "queued": "Waiting for a job worker…",
    "fetching": "Fetching the page…",
    "done": "Imported.",
    "failed": "The import failed.",
}


def visible_import(import_id: int) -> dict[str, Any]:
    """The import, if the user started it or is an editor; else :class:`store.NotFound`."""
    row = url_imports.get_url_import(get_db(), import_id)
    if not access.can_view_import(g.user, row):
        raise store.NotFound(f"import {import_id}")
    return row


def import_json(row: dict[str, Any]) -> dict[str, Any]:
    """An import as the page's (and the API's) JSON."""
    out = {
        key: row[key]
        for key in (
            "id",
            "url",
            "state",
            "error",
            "article_id",
            "claims",
            "notices",
            "created_at",
            "started_at",
            "finished_at",
        )
    }
    out["duplicate"] = bool(row["duplicate"])
    out["message"] = done_message(row) if row["state"] == "done" else STATE_TEXT[row["state"]]
    if row["state"] == "failed":
        out["message"] = row["error"]
    return out


def done_message(row: dict[str, Any]) -> str:
    if row["duplicate"]:
        return "This article is already stored; here it is."
    return f"Imported from {row['url']} with {row['claims']} claims."


def after_done(row: dict[str, Any]) -> Any:
    """The article of an import that is over (with its notices and outcome flashed)."""
    if not row["duplicate"]:
        for notice in row["notices"]:
            flash(notice)
    flash(done_message(row))
    return redirect(url_for("review.article", article_id=row["article_id"]))


@bp.route("/imports/url/<int:import_id>")
@login_required
def url_import(import_id: int) -> Any:
    """An import from a web address: "fetching…" (the page follows it), then the article, or
    the error with the address kept in the form to try again."""
    row = visible_import(import_id)
    if wants_json():
        data = import_json(row)
        if row["article_id"]:
            data["article_url"] = url_for("review.article", article_id=row["article_id"])
        return jsonify(data)
    if row["state"] == "done" and row["user_id"] == g.user["id"]:
        return after_done(row)
    form = UrlImportForm(formdata=None, data={"page_url": row["url"]})
    return render(
        "imports/url.html",
        {"item": import_json(row), "state_text": STATE_TEXT},
        url_form=form,
        timeout=3 * float(current_app.config["FETCH_TIMEOUT_SECONDS"]),
    )


# Bulk import --------------------------------------------------------------------------------

KEEP_PASTE_BYTES = 200_000  # a refused paste larger than this is not sent back
BATCH_ROWS = 20  # articles listed on a batch's page


def visible_batch(batch_id: int) -> dict[str, Any]:
    """The batch, if the user imported it or is an editor; else :class:`store.NotFound`."""
    batch = batches.get_batch(get_db(), batch_id)
    if not access.can_view_import(g.user, batch):
        raise store.NotFound(f"import batch {batch_id}")
    return batch


def batch_json(batch: dict[str, Any]) -> dict[str, Any]:
    """A batch's progress as the page's (and the API's) JSON."""
    out = {
        key: batch[key]
        for key in ("id", "source", "state", "total", "duplicates", "extracting", "done", "failed")
    }
    out["created_at"] = batch["created_at"]
    finished = out["finished"] = batch["done"] + batch["failed"]
    out["message"] = (
        f"Extracting claims: {finished:,} of {batch['total']:,} articles done."
        if batch["state"] == "extracting"
        else f"All {batch['total']:,} articles have their claims"
        + (f" ({batch['failed']:,} failed)." if batch["failed"] else ".")
    )
    out["counts_text"] = (
        f"{batch['done']:,} with claims · {batch['extracting']:,} extracting · "
        f"{batch['failed']:,} failed · {batch['duplicates']:,} duplicates skipped"
    )
    return out


@bp.route("/imports/bulk", methods=["GET", "POST"])
@login_required
@validates_own_csrf
def bulk() -> Any:
    """Import many articles at once: stored and acknowledged at once, claims extracted in the
    background (see :mod:`factcheck.bulk_import`); then the batch's progress page."""
    form = BulkImportForm()
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        status = 400
        if not form.validate():
            if form.csrf_token.errors:
                errors.append("The form's security token expired. Submit again.")
        else:
            try:
                data, name = _bulk_input(form)
                kind = form.format.data if form.format.data != "auto" else None
                kind = kind or bulk_import.guess_format(name, data)
                items = bulk_import.read_records(data, kind, name or "pasted records")
                created = bulk_import.start(
                    get_db(), current_app.config, items, g.user["id"], name or "pasted records"
                )
            except (store.Invalid, ingest.IngestError) as exc:
                errors.append(str(exc))
            except store.Busy:
                errors.append("The database is busy with another change; nothing was stored.")
                status = 503
            else:
                return redirect(url_for("imports.batch", batch_id=created["batch_id"]), code=303)
        if len((form.records.data or "").encode("utf-8", "surrogatepass")) > KEEP_PASTE_BYTES:
            form.records.data = ""
            errors.append("The pasted records were not kept here (too long): paste them again.")
    response = make_response(
        render(
            "imports/bulk.html",
            {"errors": errors, "field_errors": form.errors},
            status=status,
            form=form,
        )
    )
    if status == 503:
        response.headers["Retry-After"] = "2"
    return response


def _bulk_input(form: BulkImportForm) -> tuple[str, str | None]:
    """The records' text and the file's name (None for a paste)."""
    upload = form.upload.data
    pasted = form.records.data or ""
    if upload is not None and getattr(upload, "filename", ""):
        if pasted.strip():
            raise store.Invalid("Upload a file or paste records, not both.")
        raw = upload.read()
        try:
            text, _ = ingest.decode_bytes(raw)
        except ingest.IngestError as exc:
            raise store.Invalid(f"{upload.filename}: {exc}") from exc
        return text.lstrip("\ufeff"), upload.filename
    if not pasted.strip():
        raise store.Invalid("Choose a file of article records, or paste them.")
    return pasted, None


@bp.route("/imports/batches/<int:batch_id>")
@login_required
def batch(batch_id: int) -> Any:
    """A bulk import's progress: articles with their claims, still extracting, failed."""
    info = visible_batch(batch_id)
    articles = batches.batch_articles(get_db(), batch_id, limit=BATCH_ROWS)
    if wants_json():
        return jsonify(batch_json(info) | {"articles": articles})
    return render(
        "imports/batch.html", {"batch": batch_json(info), "articles": articles}, status=200
    )
