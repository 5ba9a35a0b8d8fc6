"""Rows of a SELECT run on the served graph through its `query()` (a pyoxigraph Store, or
anything answering the same call), as dictionaries of variable name to term."""

from __future__ import annotations


def rows(graph, text: str) -> list[dict]:
    solutions = graph.query(text)
    names = [v.value for v in solutions.variables]
    return [dict(zip(names, row, strict=True)) for row in solutions]
