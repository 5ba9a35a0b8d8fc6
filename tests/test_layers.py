"""The architecture as imports: the graph layer never imports the server layer (the entry
point, ofsted_kg/console.py, composes them)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.add("." * node.level + (node.module or ""))
    return names


def test_the_graph_layer_does_not_import_the_server():
    offending = {}
    for path in sorted((ROOT / "graph").rglob("*.py")):
        depth = len(path.relative_to(ROOT / "graph").parts)  # graph/x.py: 1; graph/kinds/x.py: 2
        beyond = "." * (depth + 1)  # a relative import that climbs out of graph/
        found = [n for n in imported(path) if n.startswith("ofsted_kg.server") or n.startswith(beyond)]
        if found:
            offending[str(path.relative_to(ROOT))] = found
    assert offending == {}

