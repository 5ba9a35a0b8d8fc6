"""Search, the national picture, the sortable paged tables and the browsers' error pages, on the
seed graph through the Flask app (both backends: the embedded store and `serve --store`)."""

from __future__ import annotations

import csv
import io

from ofsted_kg.graph.reference.councils import read_councils
from ofsted_kg.server.linked_data import search_index

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
STOKE = "https://w3id.org/ofsted-kg/id/council/stoke-on-trent"


def _hits(client, q: str, **args) -> dict:
    response = client.get("/search.json", query_string={"q": q, **args})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_stoke_finds_stoke_on_trent_first(client):
    answer = _hits(client, "stoke")
    assert answer["hits"][0]["iri"] == STOKE and answer["hits"][0]["kind"] == "council"
    assert answer["hits"][0]["page"].endswith("/doc/council/stoke-on-trent")
    assert answer["total"] > 1 and any(h["kind"] == "finding" and "#char=" in h["evidence"] for h in answer["hits"])


def test_every_council_in_the_graph_is_found_by_each_of_its_name_forms(app, client):
    councils = {row["iri"]: row["label"] for row in _councils(app)}
    lookup = read_councils()
    tried = 0
    for iri, label in councils.items():
        slug = iri.rsplit("/", 1)[-1]
        forms = {label} | {a.replace("-", " ") for a, s in lookup.aliases.items() if s == slug}
        for form in forms:
            for dressed in (form, f"{form} City Council", f"Inspection of {form} local authority children's services"):
                tried += 1
                assert _hits(client, dressed)["hits"][0]["iri"] == iri, dressed
    assert tried >= 3 * len(councils) > 0


def _councils(app):
    from ofsted_kg.graph.rdf.namespaces import sparql_prologue

    graph = app.extensions["ofsted_kg"].graph
    return [{"iri": s["c"].value, "label": s["l"].value} for s in
            graph.query(sparql_prologue() + "SELECT ?c ?l { ?c a okg:LocalAuthority ; skos:prefLabel ?l }")]


def test_a_misspelt_council_gets_did_you_mean(client):
    answer = _hits(client, "Stokee on Trent")
    assert {"label": "Stoke-on-Trent", "iri": STOKE} in answer["didYouMean"]


def test_search_pages_and_kinds(client):
    everything = _hits(client, "children")
    findings = _hits(client, "children", kind="finding")
    assert 0 < findings["total"] < everything["total"]
    assert {h["kind"] for h in findings["hits"]} == {"finding"}
    second = _hits(client, "children", kind="finding", page=2)
    assert not {h["iri"] for h in second["hits"]} & {h["iri"] for h in findings["hits"]}


def test_the_search_page_marks_the_words_and_escapes_the_query(client):
    page = client.get("/search", query_string={"q": "early help"}, headers=BROWSER).get_data(as_text=True)
    assert "<mark>Early</mark>" in page or "<mark>early</mark>" in page
    hostile = client.get("/search", query_string={"q": "<script>alert(1)</script> stoke"}, headers=BROWSER)
    assert hostile.status_code == 200 and "<script>alert" not in hostile.get_data(as_text=True)


def test_bad_searches_are_400_in_one_line(client):
    for args, parameter in (({"q": ""}, "q"), ({"q": "!!!"}, "q"), ({"q": "stoke", "page": "0"}, "page"),
                            ({"q": "stoke", "kind": "planet"}, "kind"), ({"q": "x" * 201}, "q")):
        response = client.get("/search.json", query_string=args)
        assert response.status_code == 400 and response.get_json()["parameter"] == parameter, args


def test_the_match_expression_holds_no_fts_syntax():
    expression = search_index.SearchIndex.match_expression('stoke" OR NEAR(x) * -care')
    assert expression == '"stoke"* AND "or"* AND "near"* AND "x"* AND "care"*'


def test_the_national_picture_has_every_council_and_its_twin(client):
    page = client.get("/national", headers=BROWSER)
    assert page.status_code == 200 and 'rel="alternate"' in page.headers["Link"]
    data = client.get("/national.json").get_json()
    stoke = [c for r in data["currentGrades"] for c in r["councils"] if c["iri"] == STOKE][0]
    assert stoke["grade"] == "Requires improvement to be good" and stoke["start"].startswith("2022")
    assert [y["year"] for y in data["gradesByYear"]] == sorted(y["year"] for y in data["gradesByYear"])
    assert 'href="/doc/council/stoke-on-trent"' in page.get_data(as_text=True)


def _csv(client, path: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(client.get(path).get_data(as_text=True))))


def test_a_table_sorts_and_pages_and_its_csv_is_the_same_view(client):
    everything = _csv(client, "/queries/findings.csv")
    view = _csv(client, "/queries/findings.csv?_sort_desc=number&_size=10&_page=2")
    expected = sorted(everything, key=lambda r: int(r["number"]), reverse=True)[10:20]
    assert [int(r["number"]) for r in view] == [int(r["number"]) for r in expected]
    json_view = client.get("/queries/findings.json?_sort_desc=number&_size=10&_page=2").get_json()
    assert [b["number"]["value"] for b in json_view["results"]["bindings"]] == [r["number"] for r in view]
    page = client.get("/queries/findings.html?_sort_desc=number&_size=10&_page=2", headers=BROWSER).get_data(as_text=True)
    assert 'aria-sort="descending"' in page and "page 2 of" in page and 'rel="next"' in page
    assert 'href="/doc/inspection/' in page  # the dataset's IRIs link to this server's pages


def test_bad_view_parameters_are_400(client):
    for query in ("_sort=nope", "_page=0", "_size=5000", "_sort=number&_sort_desc=number", "_page=999"):
        response = client.get(f"/queries/findings.json?{query}")
        assert response.status_code == 400 and response.get_json()["error"] == "bad-parameter", query


def test_browsers_get_error_pages_with_did_you_mean_and_programs_json(app, client):
    search_index.for_service(app.extensions["ofsted_kg"])
    page = client.get("/doc/council/stoke", headers=BROWSER)
    assert page.status_code == 404 and page.mimetype == "text/html"
    assert 'href="/doc/council/stoke-on-trent"' in page.get_data(as_text=True)
    wrong = client.get("/queries/inspections.html?la=Stoke", headers=BROWSER)
    assert wrong.status_code == 400 and "la=Stoke-on-Trent" in wrong.get_data(as_text=True)
    for headers in ({}, {"Accept": "application/json"}, {"Accept": "*/*"}):
        response = client.get("/doc/council/stoke", headers=headers)
        assert response.status_code == 404 and response.get_json()["error"] == "not-found", headers


def test_statistics_say_their_units_and_the_ontology_its_plurals(client):
    council = client.get("/doc/council/stoke-on-trent", headers=BROWSER).get_data(as_text=True)
    assert " children</td>" in council  # the measure's okg:unit, read from the graph
    ontology = client.get("/ontology", headers=BROWSER).get_data(as_text=True)
    assert "Classes</h2>" in ontology and "Object properties</h2>" in ontology and "Classs" not in ontology


def test_descriptions_show_code_not_backticks(client):
    page = client.get("/queries", headers=BROWSER).get_data(as_text=True)
    assert "<code>theme</code>" in page and "`theme`" not in page
    results = client.get("/queries/findings.html", headers=BROWSER).get_data(as_text=True)
    assert "<code>theme</code>" in results


def test_a_councils_description_names_its_inspections(client):
    from rdflib import Graph, URIRef

    turtle = client.get("/doc/council/stoke-on-trent.ttl").get_data(as_text=True)
    graph = Graph().parse(data=turtle, format="turtle")
    inspections = set(graph.subjects(URIRef("https://w3id.org/ofsted-kg/def#localAuthority"), URIRef(STOKE)))
    assert URIRef("https://w3id.org/ofsted-kg/id/inspection/stoke-on-trent/ilacs/2019-02-04") in inspections
    assert len(inspections) == 7  # every inspection and visit of the seed graph's council
