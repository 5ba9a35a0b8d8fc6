"""/.well-known/void: the VoID and DCAT description, validated against
ontology/description-shapes.ttl with pySHACL; its counts and sizes checked against the graph
and the dump files."""

from __future__ import annotations

import pyshacl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF, SH, VOID, XSD

from ofsted_kg.graph.reference.vocabulary import ONTOLOGY_DIR
from ofsted_kg.server.routes import dumps

from .conftest import ID

DATASET = URIRef(ID + "dataset/ofsted-kg")


@pytest.fixture(scope="module")
def description(app) -> Graph:
    # the description once the dumps a start writes in the background are written (their sizes
    # join it then; meanwhile it names them without sizes: test_dumps_pending.py)
    written = app.extensions["ofsted_kg"].dumps
    if isinstance(written, dumps.Pending):
        assert written.done.wait(300), "the dumps were not written in 300 s"
    response = app.test_client().get("/.well-known/void")
    assert response.status_code == 200 and response.mimetype == "text/turtle"
    return Graph().parse(data=response.get_data(as_text=True), format="turtle")


def test_description_conforms_to_its_shapes(description):
    shapes = Graph().parse(ONTOLOGY_DIR / "description-shapes.ttl")
    conforms, _, text = pyshacl.validate(description, shacl_graph=shapes)
    assert conforms, text
    # the shapes had something to check: every targeted class is present
    for cls in shapes.objects(None, SH.targetClass):
        assert (None, RDF.type, cls) in description, cls


def test_shapes_catch_a_broken_description(description):
    broken = Graph()
    for triple in description:
        if triple[1] == DCAT.byteSize:  # a size that is no number (a missing one is allowed: DCAT's is optional)
            broken.add((triple[0], triple[1], Literal("large")))
        elif triple[1] != DCTERMS.license:
            broken.add(triple)
    conforms, _, text = pyshacl.validate(broken, shacl_graph=Graph().parse(ONTOLOGY_DIR / "description-shapes.ttl"))
    assert not conforms and "dcat:byteSize" in text and "Open Government Licence" in text


def test_linkset_sizes_are_counted_from_the_graph(description, graph):
    sizes = {(description.value(ls, VOID.objectsTarget), description.value(ls, VOID.linkPredicate)): int(description.value(ls, VOID.triples))
             for ls in description.subjects(RDF.type, VOID.Linkset)}
    wikidata = (URIRef(ID + "dataset/wikidata"), URIRef("http://www.w3.org/2002/07/owl#sameAs"))
    assert sizes[wikidata] == 2  # Stoke and the DfE in the seed graph
    legislation = (URIRef(ID + "dataset/legislation-gov-uk"), DCTERMS.references)
    expected = sum(1 for s, o in graph.subject_objects(DCTERMS.references) if str(o).startswith("http://www.legislation.gov.uk/id/"))
    assert sizes[legislation] == expected > 0
    ons = (URIRef(ID + "dataset/ons-statistical-geography"), DCTERMS.spatial)
    assert sizes[ons] == len(set(graph.subjects(DCTERMS.spatial, None))) > 1


def test_dataset_facts(description, app, graph):
    assert description.value(DATASET, VOID.triples) == Literal(len(graph), datatype=XSD.integer)
    examples = set(description.objects(DATASET, VOID.exampleResource))
    assert URIRef(ID + "council/stoke-on-trent") in examples
    assert all((e, None, None) in graph for e in examples)  # real resources of the graph
    rights = description.value(DATASET, DCTERMS.rights)
    holders = set(description.objects(rights, DCTERMS.rightsHolder))
    assert {URIRef(ID + "org/community-care"), URIRef(ID + "org/ofsted")} <= holders
    assert "Open Government Licence v3.0" in str(description.value(rights, URIRef("http://www.w3.org/2000/01/rdf-schema#label")))


def test_distributions_give_the_dump_files_sizes(description, app, client):
    dumps = app.extensions["ofsted_kg"].dumps
    found = {}
    for dist in description.subjects(RDF.type, DCAT.Distribution):
        url = str(description.value(dist, DCAT.downloadURL))
        found[url.rsplit(".", 1)[-1]] = (int(description.value(dist, DCAT.byteSize)), str(description.value(dist, DCAT.mediaType)))
    assert set(found) == set(dumps)
    for kind, (size, media) in found.items():
        assert size == dumps[kind].path.stat().st_size == len(client.get(f"/dump.{kind}").data)
        assert media == "https://www.iana.org/assignments/media-types/" + dumps[kind].media_type


@pytest.mark.parametrize("accept, media, parse", [
    ("application/n-triples", "application/n-triples", "nt"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
])
def test_content_negotiation(client, description, accept, media, parse):
    response = client.get("/.well-known/void", headers={"Accept": accept})
    assert response.status_code == 200 and response.mimetype == media
    assert len(Graph().parse(data=response.get_data(as_text=True), format=parse)) == len(description)


def test_browser_gets_html_and_unknown_format_is_406(client):
    response = client.get("/.well-known/void", headers={"Accept": "text/html"})
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "void:Linkset" in response.get_data(as_text=True)
    bad = client.get("/.well-known/void", headers={"Accept": "image/png"})
    assert bad.status_code == 406 and bad.get_json()["error"] == "not-acceptable"


def test_landing_page_links_the_description_and_ontology(client):
    html = client.get("/").get_data(as_text=True)
    assert 'href="/.well-known/void"' in html and 'href="/ontology"' in html
    assert '<link rel="alternate" type="text/turtle"' in html


def test_the_description_says_when_the_data_was_last_updated_and_from_what(description, graph):
    """dcterms:modified and prov:wasDerivedFrom come from the built graph (the dumps carry them
    too), taken from the inputs: for the seeds, the newest publication date their manifest
    gives, and the manifest itself as the catalogue the data was derived from."""
    from rdflib.namespace import PROV

    modified = description.value(DATASET, DCTERMS.modified)
    documents = set(graph.subjects(RDF.type, URIRef("https://w3id.org/ofsted-kg/def#SourceDocument")))
    newest = max(d for s, d in graph.subject_objects(DCTERMS.issued) if s in documents and d.datatype == XSD.date)
    assert modified == newest and graph.value(DATASET, DCTERMS.modified) == modified
    sources = set(description.objects(DATASET, PROV.wasDerivedFrom))
    catalogues = set(graph.subjects(RDF.type, URIRef("https://w3id.org/ofsted-kg/def#Catalogue")))
    assert sources == catalogues and sources
    assert all("manifest" in str(description.value(s, DCTERMS.title)) for s in sources)
