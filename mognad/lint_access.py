"""Lint: views never query the database directly.

Tenant isolation has one door, `mognad/orgs/access.py`. A view that wrote `Model.objects…` or
`get_object_or_404(…)` could skip it, so any such use in a views module is an error.
Run as `python -m mognad.lint_access`; exits 1 and lists each offending line.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
FORBIDDEN_CALLS = {"get_object_or_404", "get_list_or_404"}


def _view_modules(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        if path.name == "views.py" or "views" in path.parent.name:
            yield path


def problems_in(source: str, filename: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            found.append(
                f"{filename}:{node.lineno}: views must not use .objects; go through orgs/access.py"
            )
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in FORBIDDEN_CALLS:
                where = f"{filename}:{node.lineno}"
                found.append(f"{where}: views must not call {name}; go through orgs/access.py")
    return found


def main(root: Path = PACKAGE) -> int:
    found = []
    for path in _view_modules(root):
        found += problems_in(path.read_text(encoding="utf-8"), str(path.relative_to(root.parent)))
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
