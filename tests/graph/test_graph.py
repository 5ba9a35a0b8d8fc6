"""The seed graph end to end: what the issue's "Done when" asks of it, checked with SPARQL."""

from __future__ import annotations

from rdflib import BNode

from tests.conftest import SEEDS

ID = "https://w3id.org/ofsted-kg/id/"
STOKE = ID + "inspection/stoke-on-trent/"


def test_every_inspection_and_visit(select):
    rows = select("SELECT ?i WHERE { ?i a okg:Inspection }")
    assert sorted(r[0].removeprefix(STOKE) for r in rows) == [
        "focused-visit/2018-04",  # only recounted: "a focused visit in April 2018"
        "ilacs/2019-02-04", "ilacs/2022-10-03",
        "legacy-looked-after/2011-08", "legacy-safeguarding/2011-08",  # recounted by the 2015 report
        "monitoring-visit/2021-07-29", "sif/2015-06-01",
    ]


def test_one_inspection_told_by_five_documents(select):
    rows = select("""SELECT DISTINCT ?doc WHERE {
        ?j okg:inspection ?i ; okg:judgementArea ilacsarea:overall ; okg:evidence/oa:hasTarget/oa:hasSource ?doc }""",
                  i=__import__("rdflib").URIRef(STOKE + "ilacs/2019-02-04"))
    titles = select("SELECT ?t WHERE { ?d dcterms:identifier ?t }")
    assert len(rows) == 5, rows  # the report, the council's press release, Community Care, the 2021 letter, the 2022 report
    assert len(titles) == 9  # the eight documents and manifest.yaml, the catalogue dating them


def test_grades_per_area(select):
    rows = select("""SELECT ?start ?area ?grade WHERE {
        ?j a okg:Judgement ; okg:inspection ?i ; okg:judgementArea/skos:prefLabel ?area ; okg:grade/skos:prefLabel ?grade .
        ?i okg:startDate ?start }""")
    got = {(s, a.lower(), g) for s, a, g in rows}
    assert ("2022-10-03", "the experiences and progress of children in care and care leavers", "Good") in got
    assert ("2015-06-01", "adoption performance", "Good") in got
    assert ("2011-08", "overall effectiveness of safeguarding", "Adequate") in {(s, a, g) for s, a, g in got} or \
        any(s == "2011-08" and g == "Adequate" for s, a, g in got)
    assert len([r for r in rows if r[0] == "2019-02-04"]) == 4
    assert {g for s, a, g in rows if s == "2019-02-04"} == {"Inadequate"}


def test_people_with_their_posts(select):
    rows = select("""SELECT ?name ?role ?begin ?attested WHERE {
        ?t a okg:Tenure ; org:member/foaf:name ?name ; org:role/skos:prefLabel ?role .
        OPTIONAL { ?t org:memberDuring/time:hasBeginning/time:inXSDDate ?begin }
        OPTIONAL { ?t okg:attestedOn ?attested } }""")
    by_name = {r[0]: r for r in rows}
    assert set(by_name) == {"Eleanor Brazil", "Paul Moffat", "Dave Evans", "Ann James", "Janine Bridges",
                            "Mark Barratt", "Niki Clemo"}
    assert by_name["Mark Barratt"][2] == "2019-02-04", "started on the first day of the inspection"
    assert by_name["Niki Clemo"][3] == "2021-09-03"


def test_a_person_told_twice_is_one_node_with_both_evidences(select):
    rows = select("""SELECT ?t (COUNT(DISTINCT ?doc) AS ?docs) WHERE {
        ?t org:member/foaf:name "Janine Bridges" ; okg:evidence/oa:hasTarget/oa:hasSource ?doc } GROUP BY ?t""")
    assert len(rows) == 1 and rows[0][1] == "2"


def test_disagreeing_documents_both_kept(select):
    rows = select("""SELECT ?begin WHERE { ?t a okg:Tenure ; okg:post/org:role role:lscb-chair ;
        org:memberDuring/time:hasBeginning/time:inXSDgYearMonth ?begin }""")
    assert sorted(r[0] for r in rows) == ["2015-03", "2015-04"]


def test_team_members_with_roles(select):
    rows = select("""SELECT ?i ?name ?role WHERE { ?m a okg:TeamMembership ; okg:inspection ?i ;
        org:member/foaf:name ?name ; org:role/skos:prefLabel ?role }""")
    assert len(rows) == 11 + 1 + 2 + 2
    assert (STOKE + "monitoring-visit/2021-07-29", "Kathryn Grindrod") in {(i, n) for i, n, _ in rows}


def test_every_fact_has_evidence(select):
    rows = select("""SELECT ?fact WHERE {
        VALUES ?class { okg:Inspection okg:Judgement okg:Tenure okg:TeamMembership okg:Recommendation okg:Finding okg:Statistic }
        ?fact a ?class FILTER NOT EXISTS { ?fact okg:evidence ?e } }""")
    assert rows == []


def test_every_quote_is_the_document_text_at_its_offsets(built, select):
    _, out = built
    rows = select("""SELECT ?doc ?start ?end ?exact WHERE { ?a a oa:Annotation ; oa:hasTarget ?t .
        ?t oa:hasSource ?doc ; oa:hasSelector ?q, ?p . ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end }""")
    assert len(rows) > 600  # 616 spans in the seed graph
    texts = {}
    for doc, start, end, exact in rows:
        key = doc.rsplit("/", 1)[1]
        text = texts.setdefault(key, (out.parent / "text" / f"{key}.txt").read_text(encoding="utf-8"))
        assert text[int(start):int(end)] == exact


def test_no_blank_nodes(graph):
    assert not [t for t in graph if any(isinstance(x, BNode) for x in t)]


def test_the_same_inputs_give_the_same_bytes(built, tmp_path):
    from ofsted_kg.graph.build.pipeline import build

    again = tmp_path / "again.ttl"
    build([SEEDS], again)
    assert again.read_bytes() == built[1].read_bytes()


def test_an_unnamed_holder_told_elsewhere_by_name_is_one_tenure(select):
    """The 2019 report's "A new interim Director of Children's Services started on the first day
    of this inspection" and Community Care's "An interim director of children's services, Mark
    Barratt, started on the first day of the inspection"."""
    rows = select("""SELECT ?t ?name (COUNT(DISTINCT ?doc) AS ?docs) WHERE {
        ?t a okg:Tenure ; org:role role:interim-director-of-childrens-services ;
           org:memberDuring/time:hasBeginning/time:inXSDDate "2019-02-04"^^xsd:date ;
           okg:evidence/oa:hasTarget/oa:hasSource ?doc .
        OPTIONAL { ?t org:member/foaf:name ?name } } GROUP BY ?t ?name""")
    assert [(r[1], r[2]) for r in rows] == [("Mark Barratt", "2")]


def test_publication_dates_come_from_text(select):
    rows = select("SELECT ?i ?p WHERE { ?i okg:publicationDate ?p }")
    assert sorted((i.removeprefix(STOKE), p) for i, p in rows) == [
        ("ilacs/2019-02-04", "2019-03-18"),  # its report's date in the manifest (and the release's "published today (Monday)")
        ("ilacs/2022-10-03", "2022-11-25"),  # the report prints none: its date in the manifest
        ("monitoring-visit/2021-07-29", "2021-09-03"),  # the letter's, likewise
        ("sif/2015-06-01", "2015-08-10"),  # "Report published: 10/08/2015"
    ]


def test_a_publication_date_not_printed_quotes_the_catalogue(select):
    quotes = select("""SELECT ?exact WHERE { ?i okg:evidence/oa:hasTarget ?t . ?t oa:hasSource/dcterms:identifier "manifest.yaml" ;
                         oa:hasSelector/oa:exact ?exact }""", i=__import__("rdflib").URIRef(STOKE + "ilacs/2022-10-03"))
    assert sorted(q for (q,) in quotes) == ['file: "children\'s services inspection - 25 november 2022.pdf"', 'issued: "2022-11-25"']
    printed = select("""SELECT ?d WHERE { ?i okg:evidence/oa:hasTarget/oa:hasSource ?d . ?d a okg:Catalogue }""",
                     i=__import__("rdflib").URIRef(STOKE + "sif/2015-06-01"))
    assert printed == [], "a printed date needs no catalogue"


def test_the_2015_team_keeps_its_associate_inspector(select):
    rows = select("""SELECT ?role ?grade WHERE { ?m a okg:TeamMembership ; okg:inspection ?i ; org:member/foaf:name "Ty Yousaf" ;
        org:role/skos:prefLabel ?role ; okg:inspectorGrade ?grade }""", i=__import__("rdflib").URIRef(STOKE + "sif/2015-06-01"))
    assert rows == [("Team inspector", "Associate Inspector")]
