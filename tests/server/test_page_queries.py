"""The pages' own SPARQL: each sparql/*.rq beside page_queries.py is valid SPARQL on its own and
is one of page_queries' named queries (none left unread, none missing)."""

import pyoxigraph as ox
import pytest

from ofsted_kg.graph.rdf.namespaces import sparql_prologue
from ofsted_kg.server.linked_data import page_queries

FILES = sorted(page_queries.FOLDER.glob("*.rq"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_each_file_is_valid_sparql_and_a_named_query(path):
    text = path.read_text(encoding="utf-8")
    ox.Store().query(sparql_prologue() + text)  # $entity alone is a variable: the query runs, on nothing
    assert getattr(page_queries, path.stem.upper()) == text


def test_every_named_query_has_its_file():
    named = {name for name, value in vars(page_queries).items() if name.isupper() and isinstance(value, str)}
    assert named == {path.stem.upper() for path in FILES} and len(FILES) >= 25
