"""The code's shape: no development tool inside the installed package, no CLI import in the output layer, and no
function in geomap/ or gazetteer/ above a cyclomatic complexity of 20 (a reader can follow each)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "geomap" / "output"
#: The highest cyclomatic complexity a function of geomap/ or gazetteer/ may have.
MAX_COMPLEXITY = 20


def test_development_tools_are_not_in_the_installed_package():
    """The map regenerator and the browser driver live in tools/ and tests/; the output layer knows no CLI."""
    output = OUTPUT
    assert not (output / "examples.py").exists() and not (output / "browser.py").exists()
    for path in output.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
        imported += [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
        assert not [m for m in imported if m.startswith("geomap.cli")], f"{path.name} imports the CLI"


def test_no_function_is_too_complex():
    from radon.complexity import cc_visit  # a test dependency

    paths = sorted([*(ROOT / "geomap").rglob("*.py"), *(ROOT / "gazetteer").rglob("*.py")])
    too_complex = [f"{path.relative_to(ROOT)}:{block.name} ({block.complexity})" for path in paths
                   for block in cc_visit(path.read_text(encoding="utf-8"))
                   if block.complexity > MAX_COMPLEXITY]
    assert not too_complex
