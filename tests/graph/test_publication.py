"""Catalogue facts: publication dates and source URLs, each with the catalogue's words as evidence.

A catalogue.csv (as `ofsted-kg fetch` writes it) wins over the published file name; the
folder's manifest wins over both; a bad catalogue is one line naming the file and the line.
"""

from __future__ import annotations

import shutil

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from ofsted_kg.graph.build.pipeline import build
from ofsted_kg.graph.input.publication import HEADER, csv_facts, file_name_facts, gather
from ofsted_kg.graph.model.user_errors import DocumentError
from ofsted_kg.graph.rdf.namespaces import OKG
from tests.conftest import seed

REPORT = "children's services inspection - 25 november 2022.pdf"  # ILACS 2022: prints no publication date
URL = "https://files.ofsted.gov.uk/v1/file/50201376"


FETCHED = "2026-11-30T21:49:00Z"


def row(path: str, published: str = "2022-11-26", url: str = URL, fetched: str = "") -> str:
    return f'"{path}",80564,Stoke-on-Trent,"Inspection of Stoke-on-Trent",ilacs,{published},{url},,,{fetched},,\r\n'


def write_catalogue(folder, *rows: str) -> None:
    (folder / "catalogue.csv").write_text(HEADER + "\r\n" + "".join(rows), encoding="utf-8", newline="")


@pytest.fixture(scope="module")
def fetched(tmp_path_factory):
    """A folder as `ofsted-kg fetch` leaves it: one report under its council, and catalogue.csv."""
    folder = tmp_path_factory.mktemp("fetched")
    (folder / "80564_Stoke-on-Trent").mkdir()
    shutil.copy(seed(REPORT[:40]), folder / "80564_Stoke-on-Trent" / REPORT)
    write_catalogue(folder, row(f"80564_Stoke-on-Trent/{REPORT}", fetched=FETCHED))
    out = folder.parent / f"{folder.name}-build" / "ofsted-kg.ttl"
    result = build([folder], out)
    assert result.written, result.errors or result.validation.report
    return out, Graph().parse(out, format="turtle")


def report_node(graph: Graph) -> URIRef:
    return next(graph.subjects(DCTERMS.identifier, Literal(REPORT)))


def test_the_catalogue_gives_the_date_and_url_with_its_row_as_evidence(fetched):
    out, graph = fetched
    document = report_node(graph)
    assert str(graph.value(document, DCTERMS.issued)) == "2022-11-26", "the catalogue's date, not the file name's"
    assert graph.value(document, DCTERMS.source) == URIRef(URL)
    entry = next(graph.subjects(URIRef("http://xmlns.com/foaf/0.1/primaryTopic"), document))
    catalogue = graph.value(entry, DCTERMS.isPartOf)
    assert (catalogue, DCTERMS.identifier, Literal("catalogue.csv")) in graph
    quotes = [str(q) for (q,) in graph.query(
        "SELECT ?exact WHERE { ?e <https://w3id.org/ofsted-kg/def#evidence>/<http://www.w3.org/ns/oa#hasTarget>/"
        "<http://www.w3.org/ns/oa#hasSelector>/<http://www.w3.org/ns/oa#exact> ?exact }", initBindings={"e": entry})]
    assert quotes == [row(f"80564_Stoke-on-Trent/{REPORT}", fetched=FETCHED).strip()]
    text = (out.parent / "text" / f"{str(catalogue).rsplit('/', 1)[1]}.txt").read_text(encoding="utf-8")
    assert quotes[0] in text, "the catalogue's text is saved beside the graph, so the quote can be checked"


def test_the_dataset_was_last_updated_when_the_fetch_brought_its_newest_file(fetched):
    """dcterms:modified from the catalogue's newest `fetched` time, not the clock (the same
    inputs give the same bytes); prov:wasDerivedFrom the catalogue of that fetch."""
    from rdflib.namespace import PROV, XSD

    _, graph = fetched
    dataset = URIRef("https://w3id.org/ofsted-kg/id/dataset/ofsted-kg")
    assert graph.value(dataset, DCTERMS.modified) == Literal(FETCHED, datatype=XSD.dateTime)
    catalogue = next(graph.subjects(DCTERMS.identifier, Literal("catalogue.csv")))
    assert catalogue in set(graph.objects(dataset, PROV.wasDerivedFrom))


def test_the_inspection_is_published_when_its_report_is(fetched):
    _, graph = fetched
    inspection = next(graph.subjects(OKG.reportedIn, report_node(graph)))
    assert str(graph.value(inspection, OKG.publicationDate)) == "2022-11-26"
    sources = {str(s) for (s,) in graph.query(
        "SELECT ?doc WHERE { ?i <https://w3id.org/ofsted-kg/def#evidence>/<http://www.w3.org/ns/oa#hasTarget>/"
        "<http://www.w3.org/ns/oa#hasSource> ?doc }", initBindings={"i": inspection})}
    catalogue = next(graph.subjects(DCTERMS.identifier, Literal("catalogue.csv")))
    assert str(catalogue) in sources, "the catalogue's row is among the inspection's evidence"


def test_without_a_catalogue_the_file_name_dates_the_report(tmp_path):
    shutil.copy(seed(REPORT[:40]), tmp_path / REPORT)
    facts = gather([tmp_path], [tmp_path / REPORT])
    [entry] = facts.entries[tmp_path / REPORT]
    assert (entry.issued, entry.url) == ("2022-11-25", None)
    assert entry.issued_evidence[0].exact == REPORT
    assert facts.catalogues[entry.catalogue].text == REPORT + "\n"


def test_every_report_backed_inspection_of_the_seed_graph_has_a_publication_date(select):
    missing = select("""SELECT ?i WHERE { ?i okg:reportedIn ?d FILTER NOT EXISTS { ?i okg:publicationDate ?p } }""")
    assert missing == []


def test_the_manifest_wins_over_the_catalogue_and_the_catalogue_over_the_file_name(tmp_path):
    dated = "children's services inspection - 1 march 2020.pdf"
    for name in (dated, "other - 2 march 2020.pdf"):
        (tmp_path / name).write_bytes(b"%PDF-")
    (tmp_path / "manifest.yaml").write_text(
        f'documents:\n  - file: "{dated}"\n    kind: report\n    publisher: Ofsted\n    title: t\n    issued: "2020-03-03"\n',
        encoding="utf-8")
    write_catalogue(tmp_path, row(dated, "2020-03-04"), row("other - 2 march 2020.pdf", "2020-03-05", ""))
    facts = gather([tmp_path], sorted(tmp_path.glob("*.pdf")))
    first = facts.entries[tmp_path / dated]
    assert [(e.issued, e.url) for e in first] == [("2020-03-03", None), (None, URL)], "date from the manifest, URL from the catalogue"
    assert [e.exact for e in first[0].issued_evidence] == [f'file: "{dated}"', 'issued: "2020-03-03"']
    assert [(e.issued, e.url) for e in facts.entries[tmp_path / "other - 2 march 2020.pdf"]] == [("2020-03-05", None)]


@pytest.mark.parametrize("rows, message", [
    ([row("a.pdf", "25/11/2022")], r"catalogue.csv: line 2: published '25/11/2022' is not a date written YYYY-MM-DD"),
    ([row("a.pdf", url="files.ofsted.gov.uk/x")], r"line 2: url 'files.ofsted.gov.uk/x' is not an absolute http\(s\) URL"),
    ([row("a.pdf"), row("a.pdf")], r"line 3: path 'a.pdf' is listed twice"),
    ([row("")], r"line 2: no path"),
])
def test_a_bad_catalogue_row_is_one_line_naming_the_line(tmp_path, rows, message):
    write_catalogue(tmp_path, *rows)
    with pytest.raises(DocumentError, match=message):
        csv_facts(tmp_path)


def test_a_catalogue_without_the_columns_says_which(tmp_path):
    (tmp_path / "catalogue.csv").write_text("path,title\r\na.pdf,x\r\n", encoding="utf-8")
    with pytest.raises(DocumentError, match="line 1: no column published, url; expected the header path,urn"):
        csv_facts(tmp_path)


def test_a_bad_catalogue_fails_the_build_with_exit_2_and_keep_going_builds_without_it(tmp_path):
    shutil.copy(seed(REPORT[:40]), tmp_path / REPORT)
    write_catalogue(tmp_path, row(REPORT, "2022-13-01"))
    from ofsted_kg.graph.model.user_errors import InputErrors

    with pytest.raises(InputErrors, match="catalogue.csv: line 2: published '2022-13-01'"):
        build([tmp_path], tmp_path / "out" / "g.ttl")


def test_rows_spanning_lines_are_quoted_whole(tmp_path):
    write_catalogue(tmp_path, row("a.pdf").replace('"Inspection of Stoke-on-Trent"', '"Inspection of\r\nStoke-on-Trent"'),
                    row("b.pdf", "2022-11-27"))
    catalogue, said = csv_facts(tmp_path)
    first, second = said["a.pdf"].issued_evidence[0], said["b.pdf"].issued_evidence[0]
    assert first.exact.count("\n") == 1 and first.exact.endswith(",,,,,")
    assert second.exact == row("b.pdf", "2022-11-27").strip()
    assert catalogue.text[second.start:second.end] == second.exact


def test_only_dated_file_names_are_evidence(tmp_path):
    files = [tmp_path / "000_3ad69fd1930be354.txt", tmp_path / "children's services inspection,  pdf - 23 august 2013.pdf"]
    catalogue, said = file_name_facts(tmp_path, files)
    assert list(said) == ["children's services inspection,  pdf - 23 august 2013.pdf"]
    assert said[files[1].name].issued == "2013-08-23"
