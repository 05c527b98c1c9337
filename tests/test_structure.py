"""The code stays in rooms a newcomer can read: small modules, small functions, and no
reference to notes outside the repository."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APPS = ("tracker", "ratings", "audit", "config")
MODULE_LINES, FUNCTION_LINES = 420, 65


def app_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


@pytest.mark.parametrize("path", list(app_modules()), ids=lambda p: str(p.relative_to(ROOT)))
def test_modules_and_functions_are_small(path):
    source = path.read_text(encoding="utf-8")
    assert len(source.splitlines()) <= MODULE_LINES
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.end_lineno - node.lineno + 1 > FUNCTION_LINES
    ]
    assert not long


def test_nothing_cites_notes_outside_the_repository():
    texts = [*app_modules(), *(ROOT / "tests").rglob("*.py"), *(ROOT / "templates").rglob("*.*"), ROOT / "README.md"]
    texts += list((ROOT / "docs").rglob("*.md"))
    citing = [str(p.relative_to(ROOT)) for p in texts if p != Path(__file__) and "DESIGN.md" in p.read_text(encoding="utf-8", errors="replace")]
    assert not citing
