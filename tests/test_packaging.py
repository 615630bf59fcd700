"""A non-editable install ships and finds the top-level templates/ and static/."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

CHECK = """
import factcheck, sys
assert factcheck.__file__.startswith(sys.argv[1]), factcheck.__file__
app = factcheck.create_app({"DATABASE": sys.argv[2], "SECRET_KEY": "x"})
client = app.test_client()
page = client.get("/login")
assert page.status_code == 200 and b"Log in" in page.data, page.status_code
css = client.get("/static/app.css")
assert css.status_code == 200 and b".article-body" in css.data
print("ok")
"""


@pytest.mark.slow
def test_wheel_ships_templates_and_static(tmp_path: Path) -> None:
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr
    wheel = next(tmp_path.glob("factcheck-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "factcheck/templates/base.html",
        "factcheck/templates/review/review.html",
        "factcheck/static/app.css",
        "factcheck/static/review.js",
        "factcheck/extract/model.json",
        "factcheck/demo/harbour_bridge.txt",
    ):
        assert expected in names, f"{expected} missing from the wheel"

    target = tmp_path / "site"
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert install.returncode == 0, install.stderr
    env = dict(os.environ, PYTHONPATH=str(target), FACTCHECK_INSTANCE_PATH=str(tmp_path / "inst"))
    run = subprocess.run(
        [sys.executable, "-c", CHECK, str(target), str(tmp_path / "t.db")],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert run.returncode == 0 and run.stdout.strip() == "ok", run.stderr
