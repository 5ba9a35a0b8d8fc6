"""Links out (docs/data-model.md, "Links out" and "Legislation cited"): councils' typed
identifiers and links from the reference tables, legislation cited in the documents with
evidence, and the concepts' notations in Ofsted's official statistics."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF

from ofsted_kg.graph.model.user_errors import DocumentError
from ofsted_kg.graph.parsers.act_citations import find_citations
from ofsted_kg.graph.rdf.namespaces import ID, OA, OKG
from ofsted_kg.graph.rdf.validate import CONCEPTS, validate
from ofsted_kg.graph.reference.legislation import read_acts
from ofsted_kg.graph.reference.wikidata import read_wikidata

STOKE = ID["council/stoke-on-trent"]
LEG = "http://www.legislation.gov.uk/id/ukpga/"
EIA_136 = URIRef(LEG + "2006/40/section/136")


def test_stoke_has_typed_identifiers(graph):
    assert graph.value(STOKE, OKG.laCode) == Literal("861", datatype=OKG.LACode)
    assert graph.value(STOKE, OKG.ofstedURN) == Literal("80564", datatype=OKG.OfstedURN)
    # typed, so a plain string does not match: the datatype says which scheme a code is in
    assert (STOKE, OKG.laCode, Literal("861")) not in graph


def test_stoke_links_out(graph):
    assert graph.value(STOKE, OWL.sameAs) == URIRef("http://www.wikidata.org/entity/Q17022507")
    assert graph.value(STOKE, DCTERMS.spatial) == URIRef("http://statistics.data.gov.uk/id/statistical-geography/E06000021")


def test_only_councils_in_the_wikidata_table_get_an_item(graph):
    known = set(read_wikidata())
    councils = set(graph.subjects(OKG.gssCode, None))
    assert len(councils) > 1  # Stoke and its neighbours
    for council in councils:
        has_item = (council, OWL.sameAs, None) in graph
        assert has_item == (str(graph.value(council, OKG.gssCode)) in known), council


def test_dfe_is_its_wikidata_item_and_ofsted_has_none(graph):
    assert graph.value(ID["org/department-for-education"], OWL.sameAs) == URIRef("http://www.wikidata.org/entity/Q2612019")
    assert (ID["org/ofsted"], OWL.sameAs, None) not in graph  # not verified, so not stated


def test_citations_quote_their_document(graph, text_of):
    text = text_of("004")
    citations = list(graph.subjects(OKG.cites, EIA_136))
    assert citations
    for citation in citations:
        document = graph.value(citation, OKG.citedIn)
        assert (document, DCTERMS.references, EIA_136) in graph
        assert (document, DCTERMS.references, URIRef(LEG + "2006/40")) in graph
        position = next(s for s in graph.objects(graph.value(graph.value(citation, OKG.evidence), OA.hasTarget), OA.hasSelector)
                        if (s, OA.start, None) in graph)
        if str(document).endswith(text.key):
            start, end = int(graph.value(position, OA.start)), int(graph.value(position, OA.end))
            assert text.text[start:end] == "section 136 of the Education and Inspections Act 2006"


def test_seed_citations_are_the_ones_the_reports_make(graph):
    cited = {str(o).removeprefix(LEG) for o in graph.objects(None, OKG.cites)}
    assert cited == {"2006/40/section/136", "2006/40/section/152", "2004/31/section/15A", "1989/41/section/20"}


def test_seed_graph_with_links_conforms(graph):
    result = validate(graph)
    assert result.conforms, result.report
    assert len(list(graph.subjects(RDF.type, OKG.LegislationCitation))) >= 6  # the shapes had citations to check


@pytest.mark.parametrize("text, expected", [
    ("carried out under section 136 of the Education and Inspections Act 2006.", [("ukpga/2006/40", ("136",))]),
    ("under section 136 of the Education and\nInspections Act 2006", [("ukpga/2006/40", ("136",))]),
    ("under section 136(2) of the Education and Inspection Act 2006", [("ukpga/2006/40", ("136",))]),
    ("Section 17 or Section 20 of the Children Act 1989", [("ukpga/1989/41", ("17", "20"))]),
    ("accommodated under section 20 (Children Act 1989)", [("ukpga/1989/41", ("20",))]),
    ("use of s20 of the Children \nAct 1989 in relation to", [("ukpga/1989/41", ("20",))]),
    ("sections 17, 20 and 47 of the Children Act 1989", [("ukpga/1989/41", ("17", "20", "47"))]),
    ("its s.47 (Children Act 1989) work", [("ukpga/1989/41", ("47",))]),
    ("section 11 of the Children\u2019s Act 2004", [("ukpga/2004/31", ("11",))]),
    ("under section 15A of the Children Act 2004", [("ukpga/2004/31", ("15A",))]),
    ("The Children Act 2004 requires", [("ukpga/2004/31", ())]),
    ("section 47 enquiries were timely; section 11 audits", []),  # no Act named: not linked
    ("the Licensing Act 2003", []),  # not in the reference table
])
def test_find_citations(text, expected):
    found = find_citations(text, "d", read_acts())
    assert [(c.act, c.sections) for c in found] == expected
    for c in found:
        span = c.evidence[0]
        assert text[span.start:span.end] == span.exact


@pytest.mark.parametrize("table, problem", [
    ("title,type,year,chapter\nChildren Act 1989,ukpga,1989,forty-one\n", "line 2: needs"),
    ("# note\ntitle,type,year,chapter\n,ukpga,1989,41\n", "line 3: needs"),
])
def test_bad_legislation_table(tmp_path: Path, table, problem):
    path = tmp_path / "legislation.csv"
    path.write_text(table)
    with pytest.raises(DocumentError, match=problem):
        read_acts(path)


def test_bad_wikidata_table(tmp_path: Path):
    path = tmp_path / "wikidata.csv"
    path.write_text("gss_code,wikidata,name,source\nE06000021,17022507,Stoke,\n")
    with pytest.raises(DocumentError, match="line 2: needs a GSS code"):
        read_wikidata(path)


def test_statistics_notations_join_one_concept_per_edition():
    concepts = Graph().parse(CONCEPTS)
    by_edition: dict[tuple, set] = {}
    for concept, notation in concepts.subject_objects(OKG.statisticsNotation):
        by_edition.setdefault((notation.datatype, str(notation)), set()).add(concept)
    assert all(len(c) == 1 for c in by_edition.values()), "a heading or value names two concepts in one edition"
    for edition in (OKG.InspectionOutcomes2024, OKG.InspectionOutcomes2025):
        areas = {c for (d, _), cs in by_edition.items() if d == edition for c in cs if "/ilacs-area/" in str(c)}
        grades = {c for (d, _), cs in by_edition.items() if d == edition for c in cs if "/grade/" in str(c)}
        assert len(areas) == 5 and len(grades) == 4
    leaders = {str(n) for n in concepts.objects(URIRef("https://w3id.org/ofsted-kg/def/ilacs-area/leaders"), OKG.statisticsNotation)}
    assert leaders == {"Impact of leaders", "The impact of leaders on social work practice with children and families"}
