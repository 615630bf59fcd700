"""Admin pages: accounts, desk settings, backups."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, g, redirect, request, send_file, url_for

from .. import store
from ..db import get_db
from ..forms import SettingsForm, UserChangeForm, UserForm
from ..web import render
from .auth import role_required

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users", methods=["GET", "POST"])
@role_required("admin")
def users() -> Any:
    db = get_db()
    form = UserForm()
    error = None
    if request.method == "POST":
        if form.validate():
            try:
                created = store.create_user(
                    db, form.username.data, form.password.data, role=form.role.data
                )
            except store.Invalid as exc:
                error = str(exc)
            else:
                flash(f"Added {created['username']} ({created['role']}).")
                return redirect(url_for("admin.users"))
        else:
            error = "Check the fields marked below."
    return _users_page(form, error=error)


def _users_page(
    form: UserForm, *, error: str | None = None, refused: dict[str, Any] | None = None
) -> Any:
    """The users page; ``refused`` is a refused change of one user (``user_id``, the
    ``role`` and ``active`` chosen, ``errors`` by field), shown in that user's row."""
    context = {"users": store.list_users(get_db()), "error": error, "refused": refused}
    return render(
        "admin/users.html",
        context,
        status=400 if error or refused else 200,
        form=form,
        change_form=UserChangeForm(formdata=None),
    )


@bp.route("/users/<int:user_id>", methods=["POST"])
@role_required("admin")
def change_user(user_id: int) -> Any:
    db = get_db()
    target = store.get_user(db, user_id)
    form = UserChangeForm()
    if not form.validate():
        # (the message beside the field at fault in the user's row, the choices kept)
        errors = {
            name: " ".join(
                f"{target['username']}'s {m}" if name == "password" else m for m in messages
            )
            for name, messages in form.errors.items()
        }
        refused = {
            "user_id": user_id,
            "role": form.role.data,
            "active": form.active.data,
            "errors": errors,
        }
        return _users_page(UserForm(formdata=None), refused=refused)
    try:
        if form.role.data and form.role.data != target["role"]:
            store.set_role(db, user_id, form.role.data, g.user["id"])
            flash(f"{target['username']} is now {form.role.data}.")
        if form.active.data in ("0", "1") and int(form.active.data) != target["active"]:
            store.set_active(db, user_id, form.active.data == "1", g.user["id"])
            flash(
                f"{target['username']} is "
                + ("enabled." if form.active.data == "1" else "disabled; their sessions ended.")
            )
        if form.password.data:
            store.set_password(db, target["username"], form.password.data)
            flash(f"Password of {target['username']} changed; their sessions ended.")
    except store.Invalid as exc:
        flash(str(exc))
    return redirect(url_for("admin.users"))


@bp.route("/settings", methods=["GET", "POST"])
@role_required("admin")
def settings() -> Any:
    db = get_db()
    current = store.get_settings(db)
    form = SettingsForm(data=current) if request.method == "GET" else SettingsForm()
    error = None
    if request.method == "POST":
        if form.validate():
            try:
                store.update_settings(
                    db,
                    {
                        "blind_verdicts": bool(form.blind_verdicts.data),
                        "disagreement_mode": form.disagreement_mode.data,
                        "reviewers_per_article": form.reviewers_per_article.data,
                        "reviewers_shape_claims": bool(form.reviewers_shape_claims.data),
                    },
                    g.user["id"],
                )
            except store.Invalid as exc:
                error = str(exc)
            else:
                flash("Settings saved.")
                return redirect(url_for("admin.settings"))
        else:
            error = "Check the fields."
    return render(
        "admin/settings.html",
        {"settings": current, "error": error},
        status=400 if error else 200,
        form=form,
    )


@bp.route("/backups")
@role_required("admin")
def backups() -> Any:
    """The backups in the backup folder, newest first, and the schedule."""
    from .. import backup

    folder = backup.backup_dir(current_app.config)
    interval = current_app.config["BACKUP_INTERVAL_HOURS"]
    context = {
        "folder": str(folder),
        "backups": [
            {**item, "taken_at": item["taken_at"].isoformat(timespec="seconds")}
            for item in backup.list_backups(folder)
        ],
        "interval_hours": interval,
        "keep": current_app.config["BACKUP_KEEP"],
        "next_due": (
            due.isoformat(timespec="seconds")
            if (due := backup.next_due(folder, interval))
            else None
        ),
        "failures": _backup_failures(),
    }
    return render("admin/backups.html", context)


@bp.route("/backups/<backup_name>")
@role_required("admin")
def download_backup(backup_name: str) -> Any:
    """One backup of the list, as a download (only names the list gives: never a path)."""
    from .. import backup

    found = backup.find_backup(backup.backup_dir(current_app.config), backup_name)
    if found is None:
        abort(404, "There is no backup of that name.")
    return send_file(
        found["path"],
        mimetype="application/vnd.sqlite3",
        as_attachment=True,
        download_name=found["name"],
        max_age=0,
    )


def _backup_failures() -> list[dict[str, Any]]:
    """The last failed scheduled backups the job queue recorded (newest first)."""
    import datetime

    from .. import backup_tasks, jobs

    try:
        recent = jobs.status(failures=50)["recent_failures"]
    except Exception:  # (the queue's file cannot be read: the page still lists the backups)
        return []
    return [
        {
            "error": failure["error"],
            "failed_at": datetime.datetime.fromtimestamp(failure["failed_at"], datetime.UTC)
            .isoformat(timespec="seconds")
            .replace("+00:00", " UTC")
            .replace("T", " "),
        }
        for failure in recent
        if failure["task"].endswith(backup_tasks.TASK_NAME)
    ][:3]
