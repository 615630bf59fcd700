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
