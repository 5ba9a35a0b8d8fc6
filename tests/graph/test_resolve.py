"""Resolution on hand-built records: which inspection a loose reference names, what merges
into one fact, and what is left out with a note (beyond what the eight seed documents show)."""

from __future__ import annotations

import pytest

from ofsted_kg.graph.model.records import (
    Extraction,
    Inspection,
    InspectionRef,
    Judgement,
    OrgRef,
    SourceDocument,
    Span,
    Statistic,
    TeamMember,
    Tenure,
)
from ofsted_kg.graph.model.user_errors import DocumentError
from ofsted_kg.graph.reference.councils import read_councils
from ofsted_kg.graph.resolve.resolution import match, resolve, take_finer

COUNCIL = "stoke-on-trent"
SIF = InspectionRef(COUNCIL, "sif", "2015-06-01")
ILACS = InspectionRef(COUNCIL, "ilacs", "2019-02-04")
VISIT = InspectionRef(COUNCIL, "monitoring-visit", "2019-02-12")


def span(document: str = "d1", start: int = 0) -> tuple[Span, ...]:
    return (Span(document, start, start + 4, "text"),)


def document(key: str = "d1", kind: str = "report", media_type: str = "application/pdf", issued: str | None = None):
    return SourceDocument(key=key, file_name=f"{key}.pdf", media_type=media_type, sha256="0" * 64, character_count=10,
                          kind=kind, title=key, issued=issued)


def extraction(key: str = "d1", kind: str = "report", printed: str = "Stoke-on-Trent", **records) -> Extraction:
    return Extraction(document=document(key, kind), councils=(printed,), **records)


def inspection(ref: InspectionRef, published: str | None = None, key: str = "d1") -> Inspection:
    return Inspection(ref=ref, evidence=span(key), published=published)


@pytest.fixture(scope="module")
def councils():
    return read_councils()


FULL = {SIF: {"2015-07-10"}, ILACS: {"2019-03-20"}, VISIT: {"2019-03-15"}}


@pytest.mark.parametrize("loose, expected", [
    (InspectionRef(COUNCIL, "sif", "2015-06"), SIF),  # kind and month of its start
    (InspectionRef(COUNCIL, None, "2015-07"), SIF),  # no kind, the month it was published
    (InspectionRef(COUNCIL, None, "2019-02"), ILACS),  # a full inspection and a visit began that month: the full one
    (InspectionRef(COUNCIL, None, "2019-03"), ILACS),  # both published that month: the full one again
    (InspectionRef(COUNCIL, "monitoring-visit", "2019"), VISIT),
    (InspectionRef(COUNCIL, "focused-visit", "2018-04"), InspectionRef(COUNCIL, "focused-visit", "2018-04")),  # known kind, only recounted
    (InspectionRef(COUNCIL, None, "2017"), None),  # nothing then: cannot tell which is meant
    (InspectionRef("barnsley", None, "2015-06"), None),  # another council's
])
def test_a_loose_reference_names_one_inspection(loose, expected):
    assert match(loose, FULL) == expected


def test_two_candidates_are_not_guessed_between():
    twice = {InspectionRef(COUNCIL, "sif", "2015-06-01"): set(), InspectionRef(COUNCIL, "sif", "2015-06-22"): set()}
    assert match(InspectionRef(COUNCIL, "sif", "2015-06"), twice) == InspectionRef(COUNCIL, "sif", "2015-06")
    assert match(InspectionRef(COUNCIL, None, "2015-06"), twice) is None


def test_a_vaguer_mention_takes_the_finer_one():
    year, month = InspectionRef(COUNCIL, "focused-visit", "2018"), InspectionRef(COUNCIL, "focused-visit", "2018-04")
    mapping = {year: year, month: month}
    take_finer(mapping)
    assert mapping == {year: month, month: month}


def test_the_same_judgement_from_two_documents_is_one_fact_with_both_quotes(councils):
    grade = dict(inspection=ILACS, area="ilacs-area/overall", grade="grade/good")
    report = extraction("r", inspections=(inspection(ILACS, key="r"),), judgements=(Judgement(evidence=span("r"), **grade),))
    press = extraction("p", "press-release", judgements=(Judgement(evidence=span("p"), **grade),))
    account, errors = resolve([press, report], councils)
    judgements = account.table("judgements")
    assert errors == [] and list(judgements) == [(ILACS, "ilacs-area/overall", "grade/good")]
    assert [s.document for s in judgements[ILACS, "ilacs-area/overall", "grade/good"].evidence] == ["r", "p"]


def test_documents_disagreeing_on_a_grade_keep_both_claims(councils):
    report = extraction("r", inspections=(inspection(ILACS, key="r"),), judgements=(
        Judgement(ILACS, "ilacs-area/overall", "grade/good", span("r")),))
    press = extraction("p", "press-release", judgements=(Judgement(ILACS, "ilacs-area/overall", "grade/inadequate", span("p")),))
    account, _ = resolve([report, press], councils)
    assert sorted(k[2] for k in account.table("judgements")) == ["grade/good", "grade/inadequate"]


def test_an_overall_grade_for_a_visit_is_left_out_with_a_note(councils):
    letter = extraction("l", "letter", inspections=(inspection(VISIT, key="l"),),
                        judgements=(Judgement(VISIT, "overall", "grade/good", span("l")),))
    account, _ = resolve([letter], councils)
    assert account.table("judgements") == {}
    assert account.unresolved == ["an overall grade for monitoring-visit 2019-02-12, a kind with no overall judgement"]


def test_a_loose_reference_in_a_later_document_resolves_to_the_report(councils):
    report = extraction("r", inspections=(inspection(ILACS, published="2019-03-20", key="r"),))
    later = extraction("n", "news", judgements=(
        Judgement(InspectionRef("Stoke-on-Trent", None, "2019-03"), "overall", "grade/inadequate", span("n")),))
    account, _ = resolve([report, later], councils)
    assert list(account.table("judgements")) == [(ILACS, "ilacs-area/overall", "grade/inadequate")]


def test_an_unmatched_loose_reference_is_left_out_with_a_note(councils):
    later = extraction("n", "news", statistics=(
        Statistic("Stoke-on-Trent", "measure/children-looked-after", "110", span("n"), "2017-03-31",
                  inspection=InspectionRef("Stoke-on-Trent", None, "2017")),))
    account, _ = resolve([later], councils)
    assert account.unresolved == ["an inspection of stoke-on-trent in 2017: no single inspection in the input matches"]
    (statistic,) = account.table("statistics").values()
    assert statistic.council == COUNCIL and statistic.inspection is None  # the figure stays, unattached


def test_a_post_taken_up_on_an_inspections_first_day_is_dated_by_it(councils):
    dcs = dict(role="role/director-of-childrens-services", organisation=OrgRef("council", "Stoke-on-Trent"),
               begins_with=InspectionRef("Stoke-on-Trent", None, "2019-02"))
    report = extraction("r", inspections=(inspection(ILACS, key="r"),), tenures=(Tenure(evidence=span("r"), **dcs),))
    press = extraction("p", "press-release", tenures=(Tenure(evidence=span("p", 9), person="Mark Barratt", **dcs),))
    account, _ = resolve([report, press], councils)
    (key, tenure), = account.table("tenures").items()  # the unnamed holder is the named one
    assert key == (f"post/{COUNCIL}/director-of-childrens-services", "mark-barratt", "2019-02-04")
    assert tenure.person == "Mark Barratt" and {s.document for s in tenure.evidence} == {"r", "p"}
    assert account.people == {"mark-barratt": "Mark Barratt"}


def test_a_post_whose_first_inspection_is_missing_keeps_no_date(councils):
    press = extraction("p", "press-release", tenures=(Tenure(
        "role/director-of-childrens-services", OrgRef("council", "Stoke-on-Trent"), span("p"), person="Ann Example",
        begins_with=InspectionRef("Stoke-on-Trent", None, "2030")),))
    account, _ = resolve([press], councils)
    assert list(account.table("tenures")) == [(f"post/{COUNCIL}/director-of-childrens-services", "ann-example", "undated")]
    assert account.unresolved[-1] == ("Ann Example as role/director-of-childrens-services: the inspection whose first "
                                      "day they started on is not in the input")


def test_an_inspector_printed_two_ways_is_one_person(councils):
    team = (TeamMember(ILACS, "Fiona J Millns", "team-role/lead-inspector", span("r")),
            TeamMember(ILACS, "Fiona Millns", "team-role/lead-inspector", span("r", 20)))
    account, _ = resolve([extraction("r", inspections=(inspection(ILACS, key="r"),), team=team)], councils)
    assert list(account.table("team")) == [(ILACS, "team-role/lead-inspector", "fiona-millns")]
    assert account.people == {"fiona-millns": "Fiona J Millns"}  # the name as first printed


def test_the_more_authoritative_document_gives_the_fields(councils):
    """The report's PDF before its Markdown conversion, a letter, a press release, the press."""
    def told_by(key, kind, published):
        return extraction(key, kind, inspections=(inspection(ILACS, published=published, key=key),))
    account, _ = resolve([told_by("n", "news", "2019-03-21"), told_by("r", "report", "2019-03-20")], councils)
    assert account.inspections[ILACS].published == "2019-03-20"
    assert [s.document for s in account.inspections[ILACS].evidence] == ["r", "n"]


def test_a_council_not_in_the_table_fails_its_document_only(councils):
    good = extraction("r", inspections=(inspection(ILACS, key="r"),))
    bad = extraction("x", "news", printed="Atlantis")
    account, errors = resolve([good, bad], councils)
    assert [type(e) for e in errors] == [DocumentError] and "Atlantis" in str(errors[0])
    assert [d.key for d in account.documents] == ["r"]
