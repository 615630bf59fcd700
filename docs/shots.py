"""What the screenshot scripts of docs/ share: an app on a new database with the demo article,
served on a free port of 127.0.0.1 (a waitress thread), Debian's Chromium launched headless, and
a login through the login form."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from waitress.server import create_server

from factcheck import create_app
from factcheck.cli_common import load_demo
from factcheck.db import connect, migrate

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def demo_app(folder: str, **config: Any) -> tuple[Any, Any, int]:
    """An app on a new database in ``folder`` (``config`` added to its settings), the database
    migrated and the demo article loaded: the app, a connection, the article's id."""
    database = str(Path(folder) / "shot.db")
    app = create_app({"DATABASE": database, "SECRET_KEY": "screenshot", **config})
    db = connect(database)
    migrate(db)
    return app, db, load_demo(db, app)


def serve(app: Any) -> tuple[Any, str]:
    """Serve ``app`` in a daemon thread: the server (to ``close()``) and its base address."""
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    return server, f"http://127.0.0.1:{server.effective_port}"


def launch(playwright: Any) -> Any:
    """Debian's Chromium, headless."""
    return playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)


def log_in(page: Any, base: str, username: str, password: str) -> None:
    """Log ``page`` in as ``username`` through the login form."""
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
