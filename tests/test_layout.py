"""The layout's one rule, enforced: article-level stages are pure functions of one input, so nothing
in ``article/`` reaches the corpus level, the store or the output; the store holds rows, so it
imports no stage. And no module grows past what a reader can hold."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "newsprism"
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80

# What each package may import from newsprism (its own modules always).
ALLOWED = {
    "article": {"newsprism.article", "newsprism.records", "newsprism.errors", "newsprism.lexicon",
                "newsprism.options", "newsprism.text"},
    "store": {"newsprism.store", "newsprism.records", "newsprism.errors", "newsprism.text",
              "newsprism.lexicon"},
}


def _newsprism_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("newsprism"):
            found.add(node.module)
            if node.module == "newsprism":  # "from newsprism import corpus" names a module
                found.update(f"newsprism.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("newsprism"))
    return found


def _modules(package: str) -> list[Path]:
    return sorted((PACKAGE / package).rglob("*.py"))


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_a_package_imports_only_what_its_side_of_the_line_allows(package):
    allowed = ALLOWED[package]
    crossings = {
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in _modules(package)
        for name in _newsprism_imports(path)
        if not any(name == ok or name.startswith(ok + ".") for ok in allowed)
    }
    assert not crossings, sorted(crossings)


def test_the_rule_sees_a_crossing(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from newsprism.corpus.stories import Profile\nimport newsprism.output.export\n")
    assert _newsprism_imports(bad) == {"newsprism.corpus.stories", "newsprism.output.export"}


def test_no_module_or_function_is_too_long_to_read():
    too_long = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if (lines := text.count("\n")) > MAX_MODULE_LINES:
            too_long.append(f"{path.relative_to(PACKAGE)}: {lines} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name}: {length} lines")
    assert not too_long, too_long
