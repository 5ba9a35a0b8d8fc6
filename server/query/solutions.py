"""Rows of a SELECT run on the served graph through its `query()` (a pyoxigraph Store, or
anything answering the same call), as dictionaries: the one place solutions become dicts."""

from __future__ import annotations

from typing import Any


def rows(graph, text: str) -> list[dict]:
    """Each solution as {variable: term}, None where unbound."""
    solutions = graph.query(text)
    names = [v.value for v in solutions.variables]
    return [dict(zip(names, row, strict=True)) for row in solutions]


def values(graph, text: str) -> list[dict[str, Any]]:
    """Each solution as {variable: lexical value or IRI}, None where unbound: what pages show.
    (Any, not str | None: which variables can be unbound is the query's to say, and its callers
    know their own queries.)"""
    return [{name: (None if term is None else term.value) for name, term in row.items()} for row in rows(graph, text)]
