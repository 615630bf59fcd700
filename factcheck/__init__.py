"""factcheck: split news articles into check-worthy claims and review them together."""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import Any

from flask import Flask

from . import config as config_module

__version__ = "0.1.0"

_PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> str:
    """Where ``templates`` or ``static`` live: inside the installed package, else the checkout."""
    installed = _PACKAGE_DIR / name
    if installed.is_dir():
        return str(installed)
    return str(_PACKAGE_DIR.parent / name)


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the application: defaults, then instance ``config.py``, then ``FACTCHECK_*``."""
    instance_path = os.environ.get("FACTCHECK_INSTANCE_PATH") or os.path.abspath("instance")
    app = Flask(
        __name__,
        instance_path=instance_path,
        instance_relative_config=True,
        template_folder=resource_dir("templates"),
        static_folder=resource_dir("static"),
    )
    app.config.from_mapping(config_module.DEFAULTS)
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(config_module.from_environment())
    if test_config is not None:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config_module.ensure_secret_key(app.instance_path)
    app.config.update(
        MAX_CONTENT_LENGTH=app.config["MAX_ARTICLE_BYTES"] * 4 + 1_000_000,
        MAX_FORM_MEMORY_SIZE=app.config["MAX_ARTICLE_BYTES"] * 4 + 1_000_000,
        WTF_CSRF_TIME_LIMIT=12 * 3600,
        WTF_CSRF_CHECK_DEFAULT=False,
        SESSION_COOKIE_HTTPONLY=True,
        # A login lasts SESSION_DAYS from the moment of login; the cookie is not re-signed on
        # every request (that cost ~9% of a page view and made the lifetime sliding).
        PERMANENT_SESSION_LIFETIME=datetime.timedelta(days=app.config["SESSION_DAYS"]),
        SESSION_REFRESH_EACH_REQUEST=False,
        SESSION_COOKIE_SAMESITE="Lax",
    )

    proxy = config_module.proxy_fix_options(app.config.get("PROXY_FIX"))
    if proxy:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, **proxy)  # type: ignore[method-assign]

    from . import db, jobs, web
    from .extract import parse_steps

    jobs.configure(app.config)
    parse_steps.configure(app.config.get("EXTRACT_PARSER"))
    app.teardown_appcontext(db.close_db)
    web.init_app(app)
    return app
