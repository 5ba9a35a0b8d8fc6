"""The report parser on each of the four seed reports (SIF 2015 as PDF and as Markdown,
ILACS 2019 and 2022 as PDF). Expected values are read off the documents by hand."""

from __future__ import annotations

import pytest

from ofsted_kg.graph.input.documents import read_document
from ofsted_kg.graph.input.sources import describe
from ofsted_kg.graph.parsers.report import parse_report
from tests.conftest import seed

SIF_GRADES = {
    "sif-area/overall": "grade/requires-improvement",
    "sif-area/help-and-protection": "grade/requires-improvement",
    "sif-area/looked-after": "grade/requires-improvement",
    "sif-area/adoption": "grade/good",
    "sif-area/care-leavers": "grade/requires-improvement",
    "sif-area/leadership": "grade/requires-improvement",
    "sif-area/lscb": "grade/requires-improvement",
}
SIF_TEAM = {
    ("Peter McEntee", "team-role/lead-inspector"), ("Brenda McLaughlin", "team-role/deputy-lead-inspector"),
    ("Shirley Bailey", "team-role/team-inspector"), ("Robert Hackeson", "team-role/team-inspector"),
    ("Karen Wareing", "team-role/team-inspector"), ("Marcie Taylor", "team-role/team-inspector"),
    ("Cath McEvoy", "team-role/team-inspector"), ("Pam Blackman", "team-role/team-inspector"),
    ("Ty Yousaf", "team-role/team-inspector"), ("Clare Atkinson", "team-role/senior-data-analyst"),
    ("Simone White", "team-role/quality-assurance-manager"),
}
REPORTS = {
    "004": dict(kind="sif", start="2015-06-01", end="2015-06-25", published="2015-08-10", grades=SIF_GRADES,
                team=SIF_TEAM, findings=list(range(15, 144)) + list(range(151, 169)),
                recommendations=list(range(1, 15)) + list(range(144, 151))),
    "children's services inspection - 12 august": dict(
        kind="sif", start="2015-06-01", end="2015-06-25", published="2015-08-10", grades=SIF_GRADES, team=SIF_TEAM,
        findings=list(range(15, 144)) + list(range(151, 169)), recommendations=list(range(1, 15)) + list(range(144, 151))),
    "children's services inspection - 18 march": dict(
        kind="ilacs", start="2019-02-04", end="2019-02-15", published=None,
        grades={"ilacs-area/leaders": "grade/inadequate", "ilacs-area/help-and-protection": "grade/inadequate",
                "ilacs-area/in-care-and-care-leavers": "grade/inadequate", "ilacs-area/overall": "grade/inadequate"},
        team={("Neil Penswick", "team-role/lead-inspector")}, findings=list(range(1, 40)), recommendations=list(range(1, 16))),
    "children's services inspection - 25 november": dict(
        kind="ilacs", start="2022-10-03", end="2022-10-14", published=None,
        grades={"ilacs-area/leaders": "grade/requires-improvement",
                "ilacs-area/help-and-protection": "grade/requires-improvement",
                "ilacs-area/in-care-and-care-leavers": "grade/good", "ilacs-area/overall": "grade/requires-improvement"},
        team={("Rebecca Quested", "team-role/lead-inspector"), ("Matthew Reed", "team-role/lead-inspector")},
        findings=list(range(1, 50)), recommendations=list(range(1, 7))),
}


@pytest.fixture(scope="module")
def parsed(vocab, councils):
    cache = {}

    def parse(name):
        if name not in cache:
            doc = read_document(seed(name))
            cache[name] = (doc, parse_report(doc, vocab, describe(doc, "report", None, councils)))
        return cache[name]

    return parse


@pytest.mark.parametrize("name", REPORTS)
def test_inspection(parsed, name):
    expected = REPORTS[name]
    _, extraction = parsed(name)
    inspection = extraction.inspections[0]
    assert (inspection.ref.kind, inspection.ref.start, inspection.end, inspection.published) == (
        expected["kind"], expected["start"], expected["end"], expected["published"])


@pytest.mark.parametrize("name", REPORTS)
def test_every_judgement_once_with_its_grade(parsed, name):
    _, extraction = parsed(name)
    own = [j for j in extraction.judgements if j.inspection == extraction.inspections[0].ref]
    assert {j.area: j.grade for j in own} == REPORTS[name]["grades"]
    assert len(own) == len(REPORTS[name]["grades"]), "an area with two grades"


@pytest.mark.parametrize("name", REPORTS)
def test_inspection_team(parsed, name):
    _, extraction = parsed(name)
    assert {(m.person, m.role) for m in extraction.team} == REPORTS[name]["team"]


@pytest.mark.parametrize("name", REPORTS)
def test_numbered_findings_and_recommendations(parsed, name):
    _, extraction = parsed(name)
    assert [f.number for f in extraction.findings] == REPORTS[name]["findings"]
    assert [r.number for r in extraction.recommendations] == REPORTS[name]["recommendations"]


@pytest.mark.parametrize("name", REPORTS)
def test_every_span_quotes_the_text(parsed, name):
    doc, extraction = parsed(name)
    records = [*extraction.inspections, *extraction.judgements, *extraction.team, *extraction.findings,
               *extraction.recommendations, *extraction.statistics, *extraction.tenures]
    spans = [s for r in records for s in r.evidence]
    assert spans
    for span in spans:
        assert doc.text[span.start:span.end] == span.exact and span.exact.strip() == span.exact


def test_a_paragraph_broken_by_a_page_break_is_joined(parsed):
    doc, extraction = parsed("children's services inspection - 12 august")
    paragraph = next(f for f in extraction.findings if f.number == 20)
    assert "mental health problems, drug misuse, debt" in paragraph.text
    assert len(paragraph.evidence) == 2, "one span on each page, the page number between them left out"
    between = doc.text[paragraph.evidence[0].end:paragraph.evidence[1].start]
    assert "\f" in between


def test_running_headers_stay_out_of_findings(parsed):
    _, extraction = parsed("children's services inspection - 25 november")
    assert not [f.number for f in extraction.findings if "Inspection of Stoke-on-Trent local authority" in f.text]
    finding = next(f for f in extraction.findings if f.number == 43)
    assert "Learning from these audits is also limited" in finding.text


def test_recommendations_cite_paragraphs_and_say_whom_they_address(parsed):
    _, extraction = parsed("004")
    by_number = {r.number: r for r in extraction.recommendations}
    assert by_number[3].cited_paragraphs == (18, 28, 130)
    assert by_number[1].addressed_to.kind == "council"
    assert by_number[150].addressed_to.kind == "lscb"
    assert by_number[150].text.startswith("The LSCB chair should challenge")


def test_ilacs_what_needs_to_improve_runs_across_a_page(parsed):
    _, extraction = parsed("children's services inspection - 18 march")
    last = extraction.recommendations[-1]
    assert last.text.startswith("Support for care leavers, including in relation to health histories")
    assert last.text.endswith("apprenticeships.")


def test_local_leadership_and_conflicting_dates_both_kept(parsed):
    _, extraction = parsed("children's services inspection - 12 august")
    claims = {(t.role, t.begin) for t in extraction.tenures if t.person is None}
    assert ("role/acting-director-of-childrens-services", "2015-03") in claims
    assert ("role/lscb-chair", "2015-04") in claims  # "has been in post since April 2015"
    assert ("role/lscb-chair", "2015-03") in claims  # "took up post in March 2015"


def test_statistics_from_the_information_section(parsed):
    _, extraction = parsed("004")
    stated = {(s.measure, s.ref_date): s.value for s in extraction.statistics}
    assert stated[("measure/children-looked-after", "2015-03-31")] == "609"
    assert stated[("measure/children-looked-after-rate", "2015-03-31")] == "110.6"
    assert stated[("measure/children-looked-after", "2014-03-31")] == "535"
    assert stated[("measure/child-protection-plans", "2015-03-31")] == "261"
    assert stated[("measure/children-in-need", "2014-03-31")] == "3381"
    assert stated[("measure/privately-fostered-children", "2015-03-31")] == "9"  # "nine children"
    # "In the last 12 months: there have been 29 adoptions", dated by the inspection's start
    assert stated[("measure/adoptions", "2015-06-01")] == "29"
    assert stated[("measure/special-guardianship-orders", "2015-06-01")] == "26"
    assert stated[("measure/ceased-looked-after", "2015-06-01")] == "216"


def test_earlier_inspections_the_report_recounts(parsed):
    _, extraction = parsed("004")
    earlier = {(i.ref.kind, i.ref.start) for i in extraction.inspections[1:]}
    assert earlier == {("legacy-safeguarding", "2011-08"), ("legacy-looked-after", "2011-08")}
    grades = {(j.inspection.kind, j.grade) for j in extraction.judgements if j.inspection.kind.startswith("legacy")}
    assert grades == {("legacy-safeguarding", "grade/adequate"), ("legacy-looked-after", "grade/adequate")}


def test_an_approximate_figure_says_so(parsed):
    _, extraction = parsed("004")
    caseload = next(s for s in extraction.statistics if s.measure == "measure/average-caseload")
    assert (caseload.value, caseload.approximate) == ("30", True)
    assert caseload.evidence[0].exact == "approximately 30 children per social worker"
