"""The bench and docs scripts import each other by file (``from serving import serve``): a name
moved out of a sibling module must not leave a script that fails only when someone runs it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted([*(ROOT / "bench").glob("*.py"), *(ROOT / "docs").glob("*.py")])


def top_level_names(path: Path) -> set[str]:
    """Names a module defines or imports at its top level."""
    names: set[str] = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return names


def sibling_imports(path: Path) -> list[tuple[str, str]]:
    """(module, name) of each ``from <sibling> import name`` anywhere in a script."""
    siblings = {p.stem for p in path.parent.glob("*.py")}
    return [
        (node.module, alias.name)
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module in siblings
        for alias in node.names
    ]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_names_imported_from_a_sibling_script_exist(script: Path) -> None:
    for module, name in sibling_imports(script):
        assert name in top_level_names(script.parent / f"{module}.py"), (
            f"{script.name} imports {name} from {module}.py, which no longer defines it"
        )


def test_the_check_sees_sibling_imports() -> None:
    assert ("serving", "serve") in sibling_imports(ROOT / "bench" / "review_flow.py")
