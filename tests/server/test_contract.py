"""The saved queries of the contract (issue 3): names, parameters and columns exactly, and
rows checked against what the seed documents say (values read off the graph and the reports)."""

from __future__ import annotations

import csv
import io

import pytest

from .conftest import ID

CONTRACT = {
    "inspections": (["la"], ["inspection", "la", "kind", "start", "end", "published", "overall", "source"]),
    "judgements": (["la", "inspection"], ["inspection", "start", "area", "grade", "quote"]),
    "people": (["la", "role"], ["person", "name", "role", "organisation", "start", "end", "quote"]),
    "inspection_team": (["inspection"], ["name", "role"]),
    "recommendations": (["inspection"], ["inspection", "number", "text", "theme"]),
    "findings": (["la", "theme"], ["inspection", "number", "theme", "polarity", "text"]),
    "recurring_themes": (["la"], ["theme", "inspections", "first", "last"]),
    "statistics": (["la", "measure"], ["measure", "value", "date", "quote"]),
    "who_held_post": (["date", "role"], ["name", "role", "organisation", "start", "end"]),
    "evidence": (["subject"], ["quote", "document", "start", "end"]),
    "links": (["la"], ["entity", "label", "predicate", "target", "dataset"]),
}
OWL_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
DCTERMS = "http://purl.org/dc/terms/"
ILACS_2019 = ID + "inspection/stoke-on-trent/ilacs/2019-02-04"
SIF_2015 = ID + "inspection/stoke-on-trent/sif/2015-06-01"


def rows(client, name, **params) -> list[dict]:
    response = client.get(f"/queries/{name}.csv", query_string=params)
    assert response.status_code == 200, response.get_json()
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


@pytest.mark.parametrize("name", sorted(CONTRACT))
def test_names_params_and_columns(app, client, name):
    params, columns = CONTRACT[name]
    query = app.extensions["ofsted_kg"].queries[name]
    assert [p.name for p in query.params] == params
    header = client.get(f"/queries/{name}.csv", query_string=_required(query)).get_data(as_text=True).splitlines()[0]
    assert header.split(",") == columns


def _required(query) -> dict:
    return {p.name: p.example for p in query.params if p.required}


def test_inspections(client):
    found = {r["inspection"]: r for r in rows(client, "inspections", la="stoke-on-trent")}
    assert found[ILACS_2019]["overall"] == "Inadequate"
    assert found[ILACS_2019]["start"] == "2019-02-04" and found[ILACS_2019]["end"] == "2019-02-15"
    assert found[ILACS_2019]["published"] == "2019-03-18"
    assert found[SIF_2015]["overall"] == "Requires improvement to be good"
    assert found[ID + "inspection/stoke-on-trent/focused-visit/2018-04"]["start"] == "2018-04"  # month only
    assert found[ILACS_2019]["la"] == ID + "council/stoke-on-trent"
    assert found[ILACS_2019]["source"].startswith(ID + "document/")
    assert rows(client, "inspections", la="STOKE-ON-TRENT") == rows(client, "inspections", la=ID + "council/stoke-on-trent")


def test_judgements(client, graph):
    found = {(r["inspection"], r["area"]): r for r in rows(client, "judgements", inspection=ILACS_2019)}
    overall = found[(ILACS_2019, "Overall effectiveness")]
    assert overall["grade"] == "Inadequate"
    # the quote is evidence text, exactly as the graph holds it
    exacts = {str(o) for o in graph.objects(None, __import__("rdflib").URIRef("http://www.w3.org/ns/oa#exact"))}
    assert all(r["quote"] in exacts for r in found.values())
    assert "Inadequate" in overall["quote"]
    assert {r["inspection"] for r in found.values()} == {ILACS_2019}
    sif = {r["area"]: r["grade"] for r in rows(client, "judgements", la="Stoke-on-Trent") if r["inspection"] == SIF_2015}
    assert sif["Adoption performance"] == "Good" and len(sif) == 7


def test_people_for_a_council(client):
    people = {(r["name"], r["role"]): r for r in rows(client, "people", la="stoke-on-trent")}
    assert ("Paul Moffat", "DfE commissioner for children's services") in people
    assert people[("Paul Moffat", "DfE commissioner for children's services")]["organisation"] == "Department for Education"
    lead = people[("Peter McEntee", "Lead inspector")]
    assert lead["start"] == "2015-06-01" and lead["organisation"] == "Ofsted"
    assert ("Mark Barratt", "Interim director of children's services") in people
    assert all(r["quote"] for r in people.values())
    only = rows(client, "people", la="stoke-on-trent", role="lead inspector")
    assert {r["name"] for r in only} == {"Peter McEntee", "Neil Penswick", "Rebecca Quested", "Matthew Reed"}


def test_inspection_team(client):
    team = rows(client, "inspection_team", inspection="stoke-on-trent/sif/2015-06-01")
    assert team[0] == {"name": "Peter McEntee", "role": "Lead inspector"}
    assert len(team) == 11 and {"name": "Simone White", "role": "Quality assurance manager"} in team


def test_recommendations(client):
    recs = rows(client, "recommendations", inspection=ILACS_2019)
    assert [int(r["number"]) for r in recs] == list(range(1, len(recs) + 1))
    assert "Management oversight" in recs[1]["theme"].split("; ")


def test_findings_by_theme(client):
    found = rows(client, "findings", la="stoke-on-trent", theme="supervision")
    assert found and all("Supervision" in r["theme"].split("; ") for r in found)
    assert {r["polarity"] for r in found} <= {"", "Strength", "Weakness", "Area for improvement"}


def test_recurring_themes(client, select):
    found = {r["theme"]: r for r in rows(client, "recurring_themes", la="stoke-on-trent")}
    # what the graph says: weakness findings per theme, counted by distinct inspection
    expected = select("""SELECT ?label (COUNT(DISTINCT ?i) AS ?n) WHERE {
        ?f okg:polarity polarity:weakness ; okg:theme ?t ; okg:inspection ?i . ?t skos:prefLabel ?label }
        GROUP BY ?label HAVING (COUNT(DISTINCT ?i) >= 2)""")
    assert {label: int(n) for label, n in expected} == {t: int(r["inspections"]) for t, r in found.items()}
    assert found and all(r["first"] < r["last"] for r in found.values())


def test_statistics(client):
    stats = rows(client, "statistics", la="stoke-on-trent", measure="children looked after")
    # the 2015 report's information section, and the 2019 report's "to 850 at the time of this inspection"
    assert {(r["value"], r["date"]) for r in stats} == {("535", "2014-03-31"), ("609", "2015-03-31"), ("850", "2019-02-04")}
    assert all(r["value"] in r["quote"] for r in stats)


def test_who_held_post(client):
    held = rows(client, "who_held_post", date="2019-03-18")
    names = {r["name"] for r in held}
    assert {"Mark Barratt", "Ann James", "Janine Bridges"} <= names
    assert "Niki Clemo" not in names  # attested in September 2021
    assert {r["name"] for r in rows(client, "who_held_post", date="2021-09-03", role="interim director of children's services")} >= {"Niki Clemo"}


def test_evidence(client):
    quotes = rows(client, "evidence", subject=ILACS_2019 + "/judgement/overall")
    assert len(quotes) == 5
    assert {"quote": "Overall effectiveness Inadequate", "start": "411", "end": "443"}.items() <= \
        next(r for r in quotes if r["start"] == "411").items()


def test_links(client):
    found = rows(client, "links")
    links = {(r["entity"], r["predicate"], r["target"]): r for r in found}
    stoke = ID + "council/stoke-on-trent"
    assert links[(stoke, OWL_SAME_AS, "http://www.wikidata.org/entity/Q17022507")]["dataset"] == "Wikidata"
    assert links[(stoke, DCTERMS + "spatial", "http://statistics.data.gov.uk/id/statistical-geography/E06000021")]["dataset"] \
        == "ONS statistical geographies"
    assert links[(ID + "org/department-for-education", OWL_SAME_AS, "http://www.wikidata.org/entity/Q2612019")]["label"] \
        == "Department for Education"
    legislation = [r for r in found if r["dataset"] == "legislation.gov.uk"]
    assert {r["predicate"] for r in legislation} == {DCTERMS + "references"}
    assert any(r["target"].endswith("/id/ukpga/2006/40/section/136") for r in legislation)
    assert all(not r["target"].startswith("https://w3id.org/ofsted-kg/") for r in found)
    # a council's links: its own, and those of the documents reporting its inspections
    mine = rows(client, "links", la="stoke-on-trent")
    assert {r["entity"] for r in mine} >= {stoke} and ID + "org/ofsted" not in {r["entity"] for r in mine}
    assert any(r["entity"].startswith(ID + "document/") for r in mine)
    other_councils = {r["entity"] for r in found if r["entity"].startswith(ID + "council/")} - {stoke}
    assert other_councils and not other_councils & {r["entity"] for r in mine}  # its neighbours' links are theirs
