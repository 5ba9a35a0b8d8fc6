"""/ontology (the ontology documented, with examples from the graph), the Turtle files beside it,
and /def answering by Accept."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from ofsted_kg.graph.reference.vocabulary import ONTOLOGY_DIR

OKG = "https://w3id.org/ofsted-kg/def#"


@pytest.fixture(scope="module")
def page(app) -> str:
    response = app.test_client().get("/ontology")
    assert response.status_code == 200 and response.mimetype == "text/html"
    return response.get_data(as_text=True)


def okg_terms(*kinds):
    g = Graph().parse(ONTOLOGY_DIR / "ontology.ttl")
    return sorted({s for k in kinds for s in g.subjects(RDF.type, k) if str(s).startswith(OKG)}), g


def test_every_class_and_property_is_documented(page):
    terms, g = okg_terms(OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, RDFS.Datatype)
    assert len(terms) > 60
    for term in terms:
        name = str(term).removeprefix(OKG)
        section = re.search(rf'<h3 id="{name}">(.*?)</section>', page, re.S)
        assert section, f"no section for okg:{name}"
        assert str(g.value(term, RDFS.label)) in section.group(1).replace("&#34;", '"').replace("&#39;", "'")
        comment = " ".join(str(g.value(term, RDFS.comment)).split())
        assert comment[:60].replace("'", "&#39;").replace('"', "&#34;") in section.group(1)


def test_examples_are_real_resources_of_the_graph(page, graph):
    judgement = re.search(r'<h3 id="Judgement">(.*?)</section>', page, re.S).group(1)
    examples = re.findall(r'<a href="/id/([^"]+)">', judgement)
    assert examples and all((URIRef("https://w3id.org/ofsted-kg/id/" + e), RDF.type, URIRef(OKG + "Judgement")) in graph
                            for e in examples)
    grade = re.search(r'<h3 id="grade">(.*?)</section>', page, re.S).group(1)
    subject, obj = re.search(r'<a href="/id/([^"]+)">.*?</a> <code>okg:grade</code> <a href="/def/([^"]+)">', grade, re.S).groups()
    assert (URIRef("https://w3id.org/ofsted-kg/id/" + subject), URIRef(OKG + "grade"),
            URIRef("https://w3id.org/ofsted-kg/def/" + obj)) in graph


def test_shacl_constraints_are_shown(page):
    citation = re.search(r'<h3 id="LegislationCitation">(.*?)</section>', page, re.S).group(1)
    assert "okgsh:LegislationCitationShape" in citation and "a legislation.gov.uk IRI" in citation


def test_concept_schemes_with_their_concepts(page):
    concepts = Graph().parse(ONTOLOGY_DIR / "concepts.ttl")
    for scheme in concepts.subjects(RDF.type, SKOS.ConceptScheme):
        assert str(scheme) in page
    assert "Impact of leaders (okg:InspectionOutcomes2024)" in page


class Outline(HTMLParser):
    def __init__(self):
        super().__init__()
        self.headings, self.lang, self.tables, self.headers, self.scripts = [], None, 0, 0, 0

    def handle_starttag(self, tag, attrs):
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        self.tables += tag == "table"
        self.headers += tag == "th"
        self.scripts += tag == "script"


def test_accessible_html(page):
    outline = Outline()
    outline.feed(page)
    assert outline.lang == "en" and outline.scripts == 0
    assert outline.headings[0] == 1 and all(b - a <= 1 for a, b in zip(outline.headings, outline.headings[1:]))
    assert outline.tables and outline.headers >= outline.tables


@pytest.mark.parametrize("route, file", [("/ontology.ttl", "ontology.ttl"), ("/shapes.ttl", "shapes.ttl"),
                                         ("/concepts.ttl", "concepts.ttl"), ("/description-shapes.ttl", "description-shapes.ttl")])
def test_files_are_published_as_they_are(client, route, file):
    response = client.get(route)
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    assert response.data == (ONTOLOGY_DIR / file).read_bytes()


@pytest.mark.parametrize("accept, location", [("text/html", "/ontology"), ("text/turtle", "/ontology.ttl"),
                                              ("application/rdf+xml;q=0.9, text/html;q=0.5", "/ontology.ttl"),
                                              ("*/*", "/ontology")])
def test_def_answers_by_accept(client, accept, location):
    response = client.get("/def", headers={"Accept": accept})
    assert response.status_code == 303 and response.headers["Location"].endswith(location)
