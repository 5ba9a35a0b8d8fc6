"""Saved-query files: every header parses, and broken ones fail loudly; values are bound, never pasted."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from ofsted_kg.graph.rdf.namespaces import PREFIXES
from ofsted_kg.server.query import catalogue
from ofsted_kg.server.web.errors import BadParameter, HeaderError

FILES = sorted(catalogue.QUERIES.glob("*.rq"))


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_each_file_has_a_good_header_and_is_valid_sparql(path: Path, app):
    query = catalogue.parse(path)
    assert query.title and query.description
    ox.Store().query(path.read_text())  # the file as it is, header and all, is valid SPARQL
    # its prefixes are the project's
    for line in path.read_text().splitlines():
        if line.startswith("PREFIX "):
            prefix, iri = line.split()[1].rstrip(":"), line.split()[2].strip("<>")
            assert str(PREFIXES[prefix]) == iri, line
    # every example names something the graph holds
    names = app.extensions["ofsted_kg"].names
    for param in query.params:
        if param.example is not None:
            names.resolve(param, param.example) if param.within else catalogue.term(param, param.example)


BROKEN = {
    "no-header.rq": ("SELECT * { ?s ?p ?o }", "no `#+` header"),
    "bad-yaml.rq": ("#+ title: [unclosed\nSELECT * {}", "not valid YAML"),
    "no-title.rq": ("#+ description: d\nSELECT * {}", "non-empty `title`"),
    "bad-type.rq": ("#+ title: t\n#+ description: d\n#+ params:\n#+   x: {type: float}\nSELECT * { VALUES (?_x) { (UNDEF) } }", "`type` must be"),
    "no-values.rq": ("#+ title: t\n#+ description: d\n#+ params:\n#+   x: {type: string}\nSELECT * { ?x ?p ?o }", "VALUES"),
    "bad-default.rq": ("#+ title: t\n#+ description: d\n#+ params:\n#+   d: {type: date, default: \"2019-13-45\"}\nSELECT * { VALUES (?_d) { (UNDEF) } }", "not a valid date"),
    "impossible-date.rq": ("#+ title: t\n#+ description: d\n#+ params:\n#+   d: {type: date, default: 2019-13-45}\nSELECT * { VALUES (?_d) { (UNDEF) } }", "not valid YAML"),
    "unknown-key.rq": ("#+ title: t\n#+ description: d\n#+ colour: red\nSELECT * {}", "unknown header key"),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_header_is_an_error(tmp_path, name):
    text, message = BROKEN[name]
    (tmp_path / name).write_text(text)
    with pytest.raises(HeaderError, match=re.escape(message)):
        catalogue.load(tmp_path)


HOSTILE = 'x" } } ; DROP ALL ; SELECT * { <evil:a> ?p ?o } # \'\'\' """ {{ }} <> SERVICE <http://127.0.0.1:1/>'


@pytest.mark.parametrize("kind", ["string", "iri-by-name"])
def test_a_hostile_value_changes_nothing_but_the_value(kind, app):
    service = app.extensions["ofsted_kg"]
    query = catalogue.SavedQuery("t", "t", "d", (catalogue.Param("x", "string"),), (),
                                 "SELECT ?got { VALUES (?_x) { (UNDEF) } BIND(?_x AS ?got) }", Path("t.rq"))
    if kind == "string":
        text = catalogue.bind(query, {"x": HOSTILE}, service.names)
        [solution] = list(service.graph.query(text))
        assert solution["got"].value == HOSTILE
    else:
        with pytest.raises(BadParameter, match="^la: nothing in the graph"):
            catalogue.bind(service.queries["inspections"], {"la": HOSTILE}, service.names)


def test_hostile_values_over_http_are_400_or_inert(client):
    response = client.get("/queries/findings.json", query_string={"la": HOSTILE})
    assert response.status_code == 400 and response.get_json()["parameter"] == "la"
    response = client.get("/queries/evidence.json", query_string={"subject": HOSTILE})  # no IRI holds spaces or braces
    assert response.status_code == 400 and response.get_json()["parameter"] == "subject"
    response = client.get("/queries/evidence.json", query_string={"subject": "https://example.org/a'b(c)*"})
    assert response.status_code == 200 and response.get_json()["results"]["bindings"] == []


@pytest.mark.parametrize("param,value,why", [
    ("date", "18/03/2019", "not a date"), ("date", "2019-02-30", "not a date"), ("date", "", "required"),
])
def test_bad_values_are_400_naming_the_parameter(client, param, value, why):
    response = client.get("/queries/who_held_post.json", query_string={param: value})
    body = response.get_json()
    assert response.status_code == 400 and body["parameter"] == param and why in body["detail"]
    assert set(body) >= {"status", "error", "detail"}


def test_unknown_parameter_is_400(client):
    response = client.get("/queries/inspections.json?council=x")
    assert response.status_code == 400 and response.get_json()["parameter"] == "council"


def test_types(app):
    p = lambda t: catalogue.Param("v", t)  # noqa: E731
    assert str(catalogue.term(p("integer"), "+12")) == '"12"^^<http://www.w3.org/2001/XMLSchema#integer>'
    assert str(catalogue.term(p("year"), "2019")) == '"2019"^^<http://www.w3.org/2001/XMLSchema#gYear>'
    for kind, bad in [("integer", "1.5"), ("year", "19"), ("iri", "not an iri"), ("string", "x" * 1001)]:
        with pytest.raises(BadParameter):
            catalogue.term(p(kind), bad)


@pytest.mark.parametrize("kind", sorted(catalogue.TYPES))
def test_a_value_with_bytes_that_are_not_utf8_is_a_bad_parameter(kind):
    # `ofsted-kg query -p region=$'West\xff'`: Python hands argv's undecodable bytes over as lone
    # surrogates (surrogateescape), which no RDF term can hold; a string value was a traceback.
    with pytest.raises(BadParameter, match="not UTF-8"):
        catalogue.term(catalogue.Param("v", kind), "West\udcff")


def test_the_query_command_names_a_value_that_is_not_utf8(seed_ttl, capsys):
    from ofsted_kg.console import main

    assert main(["query", "changes", "-p", "region=West\udcff", "--graph", str(seed_ttl)]) == 2
    error = capsys.readouterr().err
    assert error.startswith("ofsted-kg: error: region: ") and "not UTF-8" in error and len(error.splitlines()) == 1
