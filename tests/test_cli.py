"""The ``factcheck`` command: help texts, init, import and export."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from factcheck import store
from factcheck.cli import cli
from factcheck.db import connect
from tests.conftest import NEWS_PAGE, SAMPLE_ARTICLE


def all_commands(group: click.Command, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command path under ``group``, the group itself first."""
    found = [path]
    if isinstance(group, click.Group):
        for name, command in sorted(group.commands.items()):
            found.extend(all_commands(command, (*path, name)))
    return found


@pytest.fixture
def run(tmp_path: Path, monkeypatch: Any) -> Any:
    """``run("import", "a.txt")`` runs ``factcheck --db tmp_path/cli.db import a.txt``."""
    monkeypatch.setenv("FACTCHECK_INSTANCE_PATH", str(tmp_path))
    monkeypatch.delenv("FACTCHECK_DATABASE", raising=False)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def invoke(*args: str, db: bool = True) -> Any:
        prefix = ["--db", str(tmp_path / "cli.db")] if db else []
        return runner.invoke(cli, [*prefix, *args], catch_exceptions=False)

    return invoke


@pytest.fixture
def cli_db(tmp_path: Path) -> Any:
    def open_db() -> Any:
        return connect(str(tmp_path / "cli.db"))

    return open_db


def test_every_command_is_listed() -> None:
    paths = all_commands(cli)
    for expected in [(), ("serve",), ("init",), ("import",), ("export",), ("extract",)]:
        assert expected in paths


@pytest.mark.parametrize("path", all_commands(cli), ids=lambda p: " ".join(p) or "factcheck")
def test_help(run: Any, path: tuple[str, ...]) -> None:
    result = run(*path, "--help", db=False)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Usage: ")
    assert "Example" in result.output
    short = run(*path, "-h", db=False)
    assert short.exit_code == 0 and short.output == result.output


def test_version(run: Any) -> None:
    result = run("--version", db=False)
    assert result.exit_code == 0
    assert re.search(r"\d+\.\d+\.\d+", result.output)


def test_init_creates_the_admin_once(run: Any, cli_db: Any, tmp_path: Path) -> None:
    first = run("init")
    assert first.exit_code == 0, first.output
    assert "username: admin" in first.output
    password = re.search(r"password: (\S+)", first.output).group(1)
    assert len(password) >= 12
    assert "Loaded the demo article" in first.output
    db = cli_db()
    try:
        assert [u["username"] for u in store.list_users(db)] == ["admin"]
        assert store.authenticate(db, "admin", password) is not None
        assert store.count_articles(db) == 1
    finally:
        db.close()
    assert (tmp_path / "secret_key").exists()
    second = run("init")
    assert second.exit_code == 0
    assert "password" not in second.output
    assert "Loaded the demo article" not in second.output
    db = cli_db()
    try:
        assert store.count_users(db) == 1
        assert store.count_articles(db) == 1
    finally:
        db.close()


def test_init_without_demo(run: Any, cli_db: Any) -> None:
    result = run("init", "--no-demo")
    assert result.exit_code == 0
    assert "Loaded the demo article" not in result.output
    db = cli_db()
    try:
        assert store.count_articles(db) == 0
    finally:
        db.close()


def write(tmp_path: Path, name: str, data: bytes | str) -> str:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return str(path)


def test_import_good_bad_and_duplicate(run: Any, cli_db: Any, tmp_path: Path) -> None:
    header = (
        "Title: Tram line\nPublisher: City Post\nDate: 2025-05-06\nURL: https://e.example.org/t\n\n"
    )
    files = [
        write(tmp_path, "tram.txt", header + SAMPLE_ARTICLE),
        write(tmp_path, "binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00" * 30),
        write(tmp_path, "empty.md", "  \n\n"),
        write(tmp_path, "again.txt", SAMPLE_ARTICLE.replace("\n", "\r\n")),
        write(tmp_path, "ferry.html", NEWS_PAGE),
        write(
            tmp_path,
            "cp1252.txt",
            "The minister said \u201c\u20ac5 billion\u201d.".encode("cp1252"),
        ),
    ]
    result = run("import", *files, "--publisher", "Fallback Pub")
    assert result.exit_code == 0, result.output
    out = result.output
    assert re.search(r"imported\s+\S*tram.txt: article 1, \d+ claims", out)
    assert re.search(r"failed\s+\S*binary.txt: .*binary", out)
    assert re.search(r"failed\s+\S*empty.md: .*empty", out)
    assert re.search(r"duplicate\s+\S*again.txt: same text as article 1", out)
    assert re.search(r"imported\s+\S*ferry.html: article 2", out)
    assert re.search(r"imported\s+\S*cp1252.txt: article 3, .*Windows-1252", out)
    assert out.strip().endswith("3 imported, 1 duplicates skipped, 2 failed.")
    db = cli_db()
    try:
        tram, ferry, cp1252 = (store.get_article(db, i) for i in (1, 2, 3))
    finally:
        db.close()
    assert (tram["title"], tram["publisher"], tram["published"], tram["url"]) == (
        "Tram line",
        "City Post",  # the file's own header wins over --publisher
        "2025-05-06",
        "https://e.example.org/t",
    )
    assert tram["body"] == SAMPLE_ARTICLE.strip()
    assert ferry["publisher"] == "Fallback Pub"
    assert "4.30 euros" in ferry["body"] and "alert" not in ferry["body"]
    assert cp1252["body"] == "The minister said \u201c\u20ac5 billion\u201d."
    assert cp1252["publisher"] == "Fallback Pub"


def test_import_all_failing_exits_1(run: Any, tmp_path: Path) -> None:
    result = run("import", write(tmp_path, "bad.txt", b"\x00\x01\x02"))
    assert result.exit_code == 1
    assert "0 imported, 0 duplicates skipped, 1 failed." in result.output


def test_import_missing_file(run: Any, tmp_path: Path) -> None:
    result = run("import", str(tmp_path / "nope.txt"))
    assert result.exit_code == 2
    assert "does not exist" in result.output


@pytest.fixture
def exported_article(run: Any, cli_db: Any, tmp_path: Path) -> int:
    run("init", "--no-demo")
    run("import", write(tmp_path, "tram.txt", "Title: =Tram line\n\n" + SAMPLE_ARTICLE))
    db = cli_db()
    try:
        store.create_user(db, "alice", "long enough password")
        claim = store.list_claims(db, 1)[0]
        store.record_verdict(
            db,
            claim["id"],
            2,
            "false",
            "=cmd|' /C calc'!A0 Wrong **count**.",
            [{"url": "https://council.example.org/m", "title": "=Minutes", "stance": "refutes"}],
            None,
            ["true", "false"],
        )
    finally:
        db.close()
    return 1


def test_export_csv(run: Any, exported_article: int, tmp_path: Path) -> None:
    out = tmp_path / "report.csv"
    result = run("export", "--article", "1", "--format", "csv", "-o", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert rows
    assert rows[0]["article_title"] == "'=Tram line"
    assert "Wrong **count**" in rows[0]["rationales"]
    body = SAMPLE_ARTICLE.strip()
    for row in rows:
        assert body[int(row["start"]) : int(row["end"])] == row["quote"]
    # to standard output as well
    printed = run("export", "--article", "1")
    assert printed.exit_code == 0
    assert printed.output.lstrip("\ufeff").startswith("article_id,")


def test_export_json(run: Any, exported_article: int) -> None:
    result = run("export", "--article", "1", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    (article,) = data["articles"]
    claims = article["claims"]
    assert claims[0]["verdicts"][0]["reviewer"] == "alice"
    assert claims[0]["verdicts"][0]["sources"][0]["title"] == "=Minutes"
    body = SAMPLE_ARTICLE.strip()
    for claim in claims:
        assert body[claim["start"] : claim["end"]] == claim["quote"]


def test_export_jsonl(run: Any, exported_article: int) -> None:
    result = run("export", "--article", "1", "--format", "jsonl")
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.output.splitlines() if line.strip()]
    assert len(lines) >= 2
    assert lines[0]["verdicts"][0]["rating"] == "false"


def test_export_markdown(run: Any, exported_article: int) -> None:
    result = run("export", "--article", "1", "--format", "markdown")
    assert result.exit_code == 0
    assert "Tram line" in result.output
    assert "alice" in result.output
    assert "https://council.example.org/m" in result.output


def test_export_unknown_article(run: Any, exported_article: int) -> None:
    result = run("export", "--article", "99")
    assert result.exit_code == 1
    assert "There is no article 99." in result.output


def test_export_article_without_claims(run: Any, cli_db: Any) -> None:
    run("init", "--no-demo")
    db = cli_db()
    try:
        store.create_article(db, {"title": "Quiet", "body": "Nothing."}, [], None)
    finally:
        db.close()
    result = run("export", "--article", "1", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.output)["articles"][0]["title"] == "Quiet"


def test_user_commands(run: Any) -> None:
    run("init", "--no-demo")
    added = run("user", "add", "carol", "--role", "editor", "--password", "long enough pw")
    assert added.exit_code == 0, added.output
    assert "Added carol (editor)." in added.output
    listed = run("user", "list")
    assert re.search(r"carol\s+editor\s+active", listed.output)
    taken = run("user", "add", "carol", "--password", "long enough pw")
    assert taken.exit_code == 1 and "taken" in taken.output
    short = run("user", "add", "dave", "--password", "short")
    assert short.exit_code == 1 and "8 characters" in short.output
    changed = run("user", "set-password", "carol", "--password", "another long pw")
    assert changed.exit_code == 0
    unknown = run("user", "set-password", "nobody", "--password", "another long pw")
    assert unknown.exit_code == 1


def test_search(run: Any, exported_article: int, cli_db: Any) -> None:
    text = run("search", "tram line")
    assert text.exit_code == 0, text.output
    lines = text.output.splitlines()
    assert lines[0].startswith("#") and "'=Tram line" not in lines[0]
    assert "[tram] [line]" in text.output
    assert text.output.count("\n    ") == 2  # two claims, each with its wording indented
    db = cli_db()
    try:
        claim = store.list_claims(db, 1)[0]
    finally:
        db.close()
    assert f"#{claim['id']}  False x1  =Tram line" in text.output
    data = json.loads(run("search", "tram line", "--format", "json").output)
    (found,) = [r for r in data["results"] if r["claim_id"] == claim["id"]]
    assert found["ratings"] == [{"rating": "false", "label": "False", "count": 1}]
    assert len(data["results"]) == 2 and data["terms"] == ["tram", "line"]
    # As alice (not assigned, and she did not add the article): nothing.
    assert (
        json.loads(run("search", "tram", "--as", "alice", "--format", "json").output)["results"]
        == []
    )
    assert run("search", "tram", "--as", "nobody").exit_code == 1
    hostile = run("search", 'NEAR( "')
    assert hostile.exit_code == 0 and "No claims match." in hostile.output
    empty = run("search", "((")
    assert empty.exit_code == 0 and "Type a word" in empty.output
