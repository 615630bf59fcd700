"""A first run an operator can read: `make serve` installs quietly what serving needs, and the
login address and the one-time password come last, set apart."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from factcheck import cli as cli_module
from factcheck.cli import cli

ROOT = Path(__file__).resolve().parents[1]


def _recipe(makefile: str, target: str) -> str:
    match = re.search(rf"^{re.escape(target)}:.*\n((?:\t.*\n)+)", makefile, re.M)
    assert match, f"no rule for {target}"
    return match.group(1)


def test_make_serve_installs_only_what_serving_needs_quietly() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^serve: \$\(SERVE_STAMP\)$", makefile, re.M)
    serve_install = _recipe(makefile, "$(SERVE_STAMP)")
    assert "-e ." in serve_install and "[test]" not in serve_install
    assert ">>$(LOG) 2>&1" in serve_install  # pip's output to a log, shown on failure only
    assert re.search(r"^test: \$\(STAMP\)$", makefile, re.M)
    assert "'.[test]'" in _recipe(makefile, "$(STAMP)")


def test_the_password_comes_last_set_apart(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["--db", "first.db", "init"], catch_exceptions=False)
    lines = result.output.rstrip("\n").splitlines()
    assert lines[-1].startswith("=" * 40) and lines[-6].startswith("=" * 40), lines
    assert re.fullmatch(r"    password: \S{12,}", lines[-3])
    assert "user set-password admin" in lines[-2]
    again = CliRunner().invoke(cli, ["--db", "first.db", "init"], catch_exceptions=False)
    assert "password" not in again.output  # (shown only once)


def test_serve_prints_the_login_address_last(monkeypatch: Any, capsys: Any) -> None:
    cli_module._print_login(("admin", "s3cret-passw0rd"), "http://127.0.0.1:5000/login")
    cli_module._print_login(None, "http://127.0.0.1:5000/login")
    out = capsys.readouterr().out
    assert out.count("Log in at   http://127.0.0.1:5000/login") == 2
    assert out.count("password:") == 1
