"""The README documents every setting and every command (Datasette's rule)."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from factcheck.cli import cli
from factcheck.config import DEFAULTS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("setting", sorted(DEFAULTS))
def test_setting_is_documented(setting: str) -> None:
    assert f"| `{setting}` |" in README, f"README's settings table lacks {setting}"


def _commands(group: click.Group, prefix: str = "factcheck") -> list[str]:
    names = []
    for name, command in sorted(group.commands.items()):
        full = f"{prefix} {name}"
        if isinstance(command, click.Group):
            names.extend(_commands(command, full))
        else:
            names.append(full)
    return names


@pytest.mark.parametrize("command", _commands(cli))
def test_command_is_documented(command: str) -> None:
    assert f"`{command}" in README, f"README's command table lacks {command}"


def test_readme_names_the_two_commands() -> None:
    assert "make serve" in README and "make test" in README
