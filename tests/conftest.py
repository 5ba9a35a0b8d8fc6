"""Shared fixtures: the seed graph built once per session, and the seed documents' texts."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from ofsted_kg.graph.build.pipeline import build
from ofsted_kg.graph.input.documents import read_document
from ofsted_kg.graph.rdf.namespaces import sparql_prologue
from ofsted_kg.graph.reference.councils import read_councils
from ofsted_kg.graph.reference.vocabulary import load_vocabulary

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
BAD = ROOT / "tests" / "fixtures" / "documents"


def seed(name: str) -> Path:
    """A seed document by the start of its file name ("003", "children's services inspection - 18 march")."""
    matches = [p for p in SEEDS.iterdir() if p.name.startswith(name) and p.suffix in (".pdf", ".txt", ".md")]
    assert len(matches) == 1, f"{name!r} names {len(matches)} seed files"
    return matches[0]


@pytest.fixture(scope="session")
def vocab():
    return load_vocabulary()


@pytest.fixture(scope="session")
def councils():
    return read_councils()


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The seed graph, built once: (result, path to the Turtle, its folder)."""
    out = tmp_path_factory.mktemp("build") / "ofsted-kg.ttl"
    result = build([SEEDS], out)
    assert result.written, result.validation.report if result.validation else result.errors
    return result, out


@pytest.fixture(scope="session")
def graph(built) -> Graph:
    return Graph().parse(built[1], format="turtle")


@pytest.fixture(scope="session")
def select(graph):
    """Run a SELECT over the seed graph with the project's prefixes; rows as tuples of strings."""

    def run(query: str, **bindings) -> list[tuple]:
        rows = graph.query(sparql_prologue() + query, initBindings=bindings)
        return [tuple(None if v is None else str(v) for v in row) for row in rows]

    return run


@pytest.fixture(scope="session")
def text_of():
    cache = {}

    def text(name: str) -> str:
        if name not in cache:
            cache[name] = read_document(seed(name))
        return cache[name]

    return text
