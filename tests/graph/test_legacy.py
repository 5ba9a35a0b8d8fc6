"""The 2012-13 layout of inspections of looked after children services (graph/parsers/legacy.py),
on text cut from the two such reports in the corpus (tests/fixtures/legacy/). Expected values
are read off the PDFs by hand."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from ofsted_kg.graph.input.documents import read_document
from ofsted_kg.graph.input.sources import describe, kind_of
from ofsted_kg.graph.model.user_errors import DocumentError
from ofsted_kg.graph.parsers import legacy
from ofsted_kg.graph.parsers.checks import check_report
from tests.conftest import SEEDS

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "legacy"
MEDWAY, SANDWELL = FIXTURES / "medway-2013-excerpt.txt", FIXTURES / "sandwell-2013-excerpt.txt"
AREA = "legacy-area/looked-after"
EXPECTED = {
    MEDWAY: dict(council="Medway Council", start="2013-07-15", end="2013-07-19", published="2013-08-23",
                 lead=("Sarah Urding", "HMI"),
                 grades={AREA: "inadequate", f"{AREA}-capacity": "adequate", f"{AREA}-outcomes": "inadequate",
                         f"{AREA}-provision": "inadequate", f"{AREA}-leadership": "inadequate"}),
    SANDWELL: dict(council="Sandwell Metropolitan Borough Council", start="2013-06-24", end="2013-06-28",
                   published="2013-08-02", lead=("Christopher Sands", "HMI"),
                   grades={AREA: "inadequate", f"{AREA}-capacity": "adequate", f"{AREA}-outcomes": "adequate",
                           f"{AREA}-provision": "inadequate", f"{AREA}-leadership": "inadequate"}),
}


def parse(doc, vocab, councils):
    return legacy.parse_legacy(doc, vocab, describe(doc, "report", None, councils))


@pytest.fixture(scope="module")
def parsed(vocab, councils):
    return {path: (doc, parse(doc, vocab, councils)) for path in EXPECTED for doc in [read_document(path)]}


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.stem)
def test_the_inspection(parsed, path):
    doc, extraction = parsed[path]
    expected, own = EXPECTED[path], extraction.inspections[0]
    assert kind_of(doc) == "report" and legacy.recognise(doc.text)
    assert (own.ref.council, own.ref.kind, own.ref.start) == (expected["council"], "legacy-looked-after", expected["start"])
    assert (own.end, own.published, own.detail) == (expected["end"], expected["published"],
                                                    "inspection-kind/legacy-looked-after")
    assert [s.exact.split(":")[0] for s in own.evidence] == ["Inspection dates", "Published"]


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.stem)
def test_every_judgement_on_the_old_scale_with_evidence(parsed, path):
    doc, extraction = parsed[path]
    own = [j for j in extraction.judgements if j.inspection == extraction.inspections[0].ref]
    assert {j.area: j.grade.removeprefix("grade/") for j in own} == EXPECTED[path]["grades"]
    assert len(own) == 5  # heading and record agree: one claim per area
    for judgement in own:
        assert "grade/requires-improvement" != judgement.grade
        for s in judgement.evidence:
            assert doc.text[s.start : s.end] == s.exact and "\f" not in s.exact
        # the record of main findings states every grade; its row is evidence
        assert any(not s.exact.startswith("Grade") and s.start > doc.text.index("\nRecord of main findings\n")
                   for s in judgement.evidence), judgement.area


def test_capacity_to_improve_quotes_its_heading_and_grade(parsed):
    doc, extraction = parsed[MEDWAY]
    capacity = next(j for j in extraction.judgements if j.area == f"{AREA}-capacity")
    assert [s.exact for s in capacity.evidence] == ["Capacity to improve\nGrade 3 (Adequate)",
                                                   "Capacity to improve Adequate Grade 3"]


def test_a_heading_broken_by_a_page_break_is_quoted_in_two_runs(parsed):
    doc, extraction = parsed[SANDWELL]
    leadership = next(j for j in extraction.judgements if j.area == f"{AREA}-leadership")
    assert [s.exact for s in leadership.evidence] == ["Leadership and management", "Grade 4 (Inadequate)",
                                                     "Leadership and management Inadequate"]


def test_a_grade_that_contradicts_the_printed_scale_is_refused(parsed, vocab, councils):
    doc, _ = parsed[MEDWAY]
    broken = replace(doc, text=doc.text.replace("Capacity to improve\nGrade 3 (Adequate)", "Capacity to improve\nGrade 2 (Adequate)"))
    with pytest.raises(DocumentError, match=r"'Grade 2 \(Adequate\)' is not a grade of the report's scale"):
        parse(broken, vocab, councils)


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.stem)
def test_the_reporting_inspector_leads(parsed, path):
    _, extraction = parsed[path]
    [lead] = extraction.team
    assert (lead.person, lead.inspector_grade, lead.role) == (*EXPECTED[path]["lead"], "team-role/lead-inspector")
    assert [s.exact for s in lead.evidence] == ["Reporting inspector", " ".join(EXPECTED[path]["lead"])]


def test_findings_are_the_numbered_paragraphs_under_each_judgement(parsed):
    doc, extraction = parsed[MEDWAY]
    # 12-19 under capacity to improve (11 is cut off from its heading in the excerpt); 20 leads
    # into the areas for improvement; 21-24 under outcomes
    assert [(f.number, f.area) for f in extraction.findings] == (
        [(n, f"{AREA}-capacity") for n in range(12, 20)] + [(n, f"{AREA}-outcomes") for n in range(21, 25)])
    first = extraction.findings[0]
    assert first.text.startswith("The local authority is actively addressing inadequacies")
    assert first.text.endswith("outcomes for looked after children.")
    for finding in extraction.findings:
        assert all(doc.text[s.start : s.end] == s.exact for s in finding.evidence)
    # paragraph 14 runs over a page break: two spans, the running header between them left out
    assert len(next(f for f in extraction.findings if f.number == 14).evidence) == 2


def test_areas_for_improvement_are_recommendations_to_the_council(parsed):
    doc, extraction = parsed[MEDWAY]
    actions = extraction.recommendations
    assert [r.number for r in actions] == list(range(1, 16))  # 4 immediately, 8 within three months, 3 within six
    assert actions[0].text == ("ensure there is a clear and documented analysis of risk evident for all children "
                               "and young people who are entering or leaving care")
    assert actions[-1].text.endswith("to support care leavers in making informed choices about their future life")
    assert {r.addressed_to.name for r in actions} == {"Medway Council"}
    # the action that runs over a page break ("... in their transition" / header / next page) ends there
    assert actions[4].text.endswith("to assist care leavers in their transition")


def test_the_earlier_combined_inspection_it_recounts(parsed):
    _, extraction = parsed[MEDWAY]
    earlier = [j for j in extraction.judgements if j.inspection.start == "2011-08"]
    assert [(j.inspection.kind, j.area, j.grade) for j in earlier] == [("legacy-looked-after", AREA, "grade/adequate")]


@pytest.mark.parametrize("path", EXPECTED, ids=lambda p: p.stem)
def test_consistency_checks_pass(parsed, path, councils):
    _, extraction = parsed[path]
    assert check_report(extraction, councils) == []


def test_adequate_on_a_later_framework_fails_the_checks(parsed, councils):
    _, extraction = parsed[MEDWAY]
    own = extraction.inspections[0]
    as_sif = replace(own, ref=replace(own.ref, kind="sif"))
    moved = [replace(j, inspection=as_sif.ref) for j in extraction.judgements if j.inspection == own.ref]
    problems = check_report(replace(extraction, inspections=(as_sif,), judgements=tuple(moved)), councils)
    assert any("grade off the scale (grade/adequate)" in p for p in problems)


@pytest.mark.parametrize("path", sorted(p for p in SEEDS.iterdir() if p.suffix in (".pdf", ".txt")), ids=lambda p: p.name)
def test_no_other_layout_is_claimed(path):
    assert not legacy.recognise(read_document(path).text)


# Later reports recount these inspections; text cut from Medway's and Sandwell's 2015 SIF reports
# (Crown copyright, OGL v3.0). The 2013 inspection of child protection is a safeguarding inspection.
RECOUNTED = [
    ("The previous inspection of the local authority’s arrangements for the protection of \nchildren was in January "
     "2013. The local authority was judged to be inadequate.", "legacy-safeguarding", "2013-01", "safeguarding"),
    ("The previous inspection of the local authority’s services for children looked after \nwas in July 2013. The "
     "local authority was judged to be inadequate.", "legacy-looked-after", "2013-07", "looked-after"),
    ("The previous inspection of Sandwell’s safeguarding arrangements for the \nprotection of children took place "
     "between 25 February and 6 March 2013. The \nlocal authority was judged inadequate.",
     "legacy-safeguarding", "2013-02-25", "safeguarding"),
    ("The previous inspection of Sandwell’s services for looked after children took place \nbetween 24 and 28 June "
     "2013. The local authority was judged inadequate.", "legacy-looked-after", "2013-06-24", "looked-after"),
]


@pytest.mark.parametrize("text, kind, start, area", RECOUNTED, ids=[r[2] for r in RECOUNTED])
def test_later_reports_recount_the_pre_2014_inspections(vocab, text, kind, start, area):
    from ofsted_kg.graph.parsers.history import earlier_inspections

    [inspection], [judgement] = earlier_inspections(text, "k", vocab, "Sandwell")
    assert (inspection.ref.kind, inspection.ref.start) == (kind, start)
    assert (judgement.area, judgement.grade) == (f"legacy-area/{area}", "grade/inadequate")
    assert judgement.evidence[0].exact == text.removeprefix("The ").removesuffix(".")


@pytest.mark.parametrize("cut, message", [
    (r"(?m)^(Outstanding|Good|Adequate|Inadequate) \(Grade \d\)", "no four-point scale"),  # paragraph 3's scale
    (r"Record of main findings\nServices for looked after children", "no section heading"),
])
def test_a_report_missing_part_of_the_layout_is_refused_saying_what(parsed, vocab, councils, cut, message):
    doc, _ = parsed[MEDWAY]
    broken = replace(doc, text=re.sub(cut, lambda m: "x" * len(m[0]), doc.text))
    with pytest.raises(DocumentError, match=message):
        parse(broken, vocab, councils)


def test_the_excerpts_build_into_a_graph_that_conforms(tmp_path):
    from ofsted_kg.graph.build.pipeline import build

    result = build([MEDWAY, SANDWELL], tmp_path / "legacy.ttl")
    assert result.written and result.validation.conforms
    okg = "https://w3id.org/ofsted-kg/def#"
    assert result.classes[okg + "LegacyInspection"] == 3  # the two, and the 2011 one Medway's recounts
    assert result.classes[okg + "Judgement"] == 11
