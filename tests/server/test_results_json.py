"""The SPARQL JSON writer (results.to_json) writes what the specification's object for each term says."""

from __future__ import annotations

import json

import pyoxigraph as ox

from ofsted_kg.server.query import results

XSD = "http://www.w3.org/2001/XMLSchema#"


def test_every_kind_of_term_and_awkward_text_round_trips():
    iri = ox.NamedNode("https://w3id.org/ofsted-kg/id/council/é?a=b&c=d")
    terms = [
        iri,
        ox.BlankNode("b0"),
        ox.Literal('quote " backslash \\ newline \n tab \t nul \x00 é 😀 \u2028'),
        ox.Literal("Stoke", language="en-gb"),
        ox.Literal("3", datatype=ox.NamedNode(XSD + "integer")),
        ox.Triple(iri, iri, ox.Literal("t")),
        None,
    ]
    rows = [terms, list(reversed(terms)), terms]  # a term met again is written the same
    variables = ["a", "b", "c", "d", "e", "f", "g"]
    data = json.loads(results.to_json(variables, rows))
    assert data["head"] == {"vars": variables}
    first = data["results"]["bindings"][0]
    assert first["a"] == {"type": "uri", "value": iri.value}
    assert first["b"] == {"type": "bnode", "value": "b0"}
    assert first["c"] == {"type": "literal", "value": terms[2].value}
    assert first["d"] == {"type": "literal", "value": "Stoke", "xml:lang": "en-gb"}
    assert first["e"] == {"type": "literal", "value": "3", "datatype": XSD + "integer"}
    assert first["f"]["type"] == "triple" and first["f"]["value"]["object"] == {"type": "literal", "value": "t"}
    assert "g" not in first  # unbound: no key
    assert data["results"]["bindings"][2] == first
    assert [sorted(b) for b in data["results"]["bindings"]] == [variables[:6], variables[1:], variables[:6]]


def test_no_rows_and_booleans():
    assert json.loads(results.to_json(["x"], [])) == {"head": {"vars": ["x"]}, "results": {"bindings": []}}
    assert json.loads(results.to_json([], [], True)) == {"head": {}, "boolean": True}
