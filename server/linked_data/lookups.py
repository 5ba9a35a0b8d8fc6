"""Run the pages' own SPARQL (server/linked_data/page_queries.py) on the served graph: rows as plain dicts.

Pages read the graph only through `service.graph.query(text)` (pyoxigraph's Store.query, or
a remote endpoint offering the same call), never through other store methods. An entity's
IRI enters a query as `$name` and is replaced by its N-Triples form `<...>`, which
pyoxigraph's NamedNode has already checked can hold nothing but an IRI.
"""

from __future__ import annotations

from string import Template
from typing import Any

import pyoxigraph as ox
from flask import current_app

from ofsted_kg.graph.rdf.namespaces import sparql_prologue

from ..query import solutions

PROLOGUE = sparql_prologue()


def text(query: str, **iris: ox.NamedNode) -> str:
    return PROLOGUE + Template(query).substitute({k: str(ox.NamedNode(v.value)) for k, v in iris.items()})


def graph():
    return current_app.extensions["ofsted_kg"].graph


def rows(query: str, **iris: ox.NamedNode) -> list[dict[str, Any]]:
    """A SELECT's solutions, each {variable: lexical value or IRI, or None where unbound}."""
    return solutions.values(graph(), text(query, **iris))


def ask(query: str, **iris: ox.NamedNode) -> bool:
    return bool(graph().query(text(query, **iris)))


def triples(query: str, **iris: ox.NamedNode) -> list[ox.Triple]:
    return list(graph().query(text(query, **iris)))
