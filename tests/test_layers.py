"""Which code may import which: the web views (factcheck/views/) are the top layer.

Nothing below them imports them: the command line, the export pipeline, the store, the
benchmarks and the documentation scripts call factcheck.export, factcheck.store and the like;
only web.py, which registers the blueprints, imports factcheck.views.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "factcheck"
# What may import the views: the views themselves, and the module registering their blueprints.
ALLOWED = (PACKAGE / "views", PACKAGE / "web.py")


def package_of(path: Path) -> str:
    """The package relative imports in ``path`` start from (``factcheck.store`` for
    factcheck/store/claims.py); "" outside the package (bench/, docs/)."""
    if not path.is_relative_to(PACKAGE):
        return ""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    parts.pop()  # (the module itself, or __init__)
    return ".".join(parts)


def imported_modules(source: str, package: str) -> list[tuple[int, str]]:
    """``(line, module)`` of every import in ``source``, relative ones resolved from
    ``package``; a name imported from a package counts as its submodule too (``from . import
    views`` imports ``factcheck.views``)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                anchor = parts[: len(parts) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.append((node.lineno, base))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def is_views(module: str) -> bool:
    return module == "factcheck.views" or module.startswith("factcheck.views.")


def test_imports_of_the_views_are_recognised() -> None:
    def flagged(source: str, package: str) -> bool:
        return any(is_views(name) for _line, name in imported_modules(source, package))

    assert flagged("from .views.exports import export_stream", "factcheck")
    assert flagged("def f():\n    from ..views import exports", "factcheck.store")
    assert flagged("from . import views", "factcheck")
    assert flagged("import factcheck.views.api", "")
    assert flagged("from factcheck.views import auth", "")
    assert not flagged("from .export.stream import export_stream", "factcheck")
    assert not flagged("from ..store import views_count", "factcheck.export")
    assert not flagged("from . import viewsets", "factcheck")


def test_nothing_below_the_views_imports_them() -> None:
    files = [*PACKAGE.rglob("*.py"), *(ROOT / "bench").rglob("*.py"), *(ROOT / "docs").glob("*.py")]
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in sorted(files)
        if not any(path == allowed or path.is_relative_to(allowed) for allowed in ALLOWED)
        for line, name in imported_modules(path.read_text(encoding="utf-8"), package_of(path))
        if is_views(name)
    ]
    assert len(files) > 100
    assert not wrong, "only factcheck/views/ and web.py import the views:\n" + "\n".join(wrong)


STORE = PACKAGE / "store"


def names_from_the_store_package(source: str, path: Path) -> list[str]:
    """``line: name`` of each name a store module imports from the ``factcheck.store``
    package itself (its ``__init__``, which only re-exports) rather than from the module
    defining it; importing a submodule (``from . import evidence``) is fine."""
    wrong = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            (_line, base), *_names = imported_modules(ast.unparse(node), package_of(path))
            for alias in node.names if base == "factcheck.store" else ():
                if not (STORE / f"{alias.name}.py").exists():
                    wrong.append(f"{node.lineno}: {alias.name}")
            wrong += [
                f"{node.lineno}: the package"
                for alias in node.names
                if base in ("factcheck", "") and alias.name == "store"
            ]
        elif isinstance(node, ast.Import):
            wrong += [
                f"{node.lineno}: the package" for a in node.names if a.name == "factcheck.store"
            ]
    return wrong


def test_the_store_finder_is_right() -> None:
    here = STORE / "claims.py"
    assert names_from_the_store_package("from . import now", here) == ["1: now"]
    assert names_from_the_store_package("def f():\n    from ..store import Invalid", here)
    assert names_from_the_store_package("from .. import store", here) == ["1: the package"]
    assert names_from_the_store_package("import factcheck.store", here)
    assert not names_from_the_store_package("from . import evidence", here)
    assert not names_from_the_store_package("from .base import now", here)
    assert not names_from_the_store_package("from .. import sanitize", here)


def test_store_modules_import_from_the_modules_that_define_names() -> None:
    """``factcheck/store/__init__.py`` only re-exports: a store module importing from it
    depends on the order the package imports its modules in (and hides where a name lives)."""
    modules = sorted(p for p in STORE.glob("*.py") if p.name != "__init__.py")
    wrong = [
        f"{path.relative_to(ROOT)}:{found}"
        for path in modules
        for found in names_from_the_store_package(path.read_text(encoding="utf-8"), path)
    ]
    assert len(modules) > 20
    assert not wrong, "import these from their own modules:\n" + "\n".join(wrong)
