"""A person's name variant merged into another node: its old IRI answers 301 to the kept one
(server/linked_data/merged_names.py), so links published before the merge keep working."""

from __future__ import annotations

import pytest

from ofsted_kg.server.app import create_app, start

GRAPH = """
@prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://w3id.org/ofsted-kg/id/person/susan-myers> a foaf:Person ; foaf:name "Susan Myers" ;
    skos:altLabel "Sue Myers", "SUSAN MYERS" .
<https://w3id.org/ofsted-kg/id/person/maire-atherton> a foaf:Person ; foaf:name "Maire Atherton" ;
    skos:altLabel "Máire Atherton" .
<https://w3id.org/ofsted-kg/id/person/sue-smith> a foaf:Person ; foaf:name "Sue Smith" .
"""


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    folder = tmp_path_factory.mktemp("merged")
    (folder / "graph.ttl").write_text(GRAPH, encoding="utf-8")
    app = start(create_app({"DATA": [str(folder / "graph.ttl")], "TESTING": True, "WORKERS": 1,
                            "DUMP_DIR": str(tmp_path_factory.mktemp("merged-dumps"))}))
    yield app.test_client()
    app.extensions["ofsted_kg"].close()


@pytest.mark.parametrize(("path", "target"), [
    ("/id/person/sue-myers", "/id/person/susan-myers"),
    ("/id/person/sue-myers.ttl", "/id/person/susan-myers.ttl"),
    ("/doc/person/sue-myers", "/doc/person/susan-myers"),
    ("/doc/person/sue-myers.jsonld", "/doc/person/susan-myers.jsonld"),
])
def test_a_merged_variant_moved_permanently_to_the_kept_person(client, path, target):
    response = client.get(path)
    assert response.status_code == 301
    assert response.headers["Location"].endswith(target)


def test_following_the_redirect_reaches_the_kept_persons_description(client):
    response = client.get("/id/person/sue-myers", headers={"Accept": "text/turtle"}, follow_redirects=True)
    assert response.status_code == 200 and "Susan Myers" in response.get_data(as_text=True)


def test_a_variant_iri_that_kept_its_own_slug_is_not_redirected(client):
    # "Máire Atherton" slugs to the kept IRI itself: the person is served, not redirected to itself
    assert client.get("/doc/person/maire-atherton").status_code == 200


@pytest.mark.parametrize("path", ["/id/person/sue-jones", "/doc/person/sue-myers/extra", "/id/council/sue-myers"])
def test_a_path_no_variant_had_is_still_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.get_json()["error"]
