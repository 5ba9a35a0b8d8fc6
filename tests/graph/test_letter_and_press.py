"""The monitoring-visit letter (seed 003), the council's press release (001) and the two
Community Care articles (000, 002). Expected values are read off the documents by hand."""

from __future__ import annotations

import pytest

from ofsted_kg.graph.input.documents import read_document
from ofsted_kg.graph.input.manifest import read_manifest
from ofsted_kg.graph.input.publication import gather
from ofsted_kg.graph.input.sources import describe
from ofsted_kg.graph.parsers.letter import parse_letter
from ofsted_kg.graph.parsers.press import parse_press
from tests.conftest import SEEDS, seed


@pytest.fixture(scope="module")
def parsed(vocab, councils):
    manifest = read_manifest(SEEDS)
    listed = gather([SEEDS], sorted(p for p in SEEDS.iterdir() if p.suffix in (".pdf", ".txt"))).entries

    def parse(name):
        path = seed(name)
        doc = read_document(path)
        entry = manifest[path.name]
        meta = describe(doc, entry.kind, entry, councils, listed[path])
        if entry.kind == "letter":
            return doc, parse_letter(doc, vocab, meta)
        return doc, parse_press(doc, vocab, meta, councils.names)

    return parse


def test_monitoring_visit(parsed):
    _, letter = parsed("003")
    visit = letter.inspections[0]
    assert (visit.ref.kind, visit.ref.start, visit.end, visit.visit_ordinal) == ("monitoring-visit", "2021-07-29", "2021-07-30", 4)
    assert visit.follows.start == "2019-03", "judged inadequate in March 2019"
    assert {(m.person, m.role, m.inspector_grade) for m in letter.team} == {
        ("Kathryn Grindrod", "team-role/inspector", "Her Majesty's Inspector"),
        ("Andrew Waugh", "team-role/inspector", "Her Majesty's Inspector")}  # "Her Majesty's Inspectors for this visit were ..."


def test_letter_addressee_is_the_interim_director_on_the_letter_date(parsed):
    _, letter = parsed("003")
    assert [(t.person, t.role, t.attested) for t in letter.tenures] == [
        ("Niki Clemo", "role/interim-director-of-childrens-services", "2021-09-03")]


def test_letter_findings_are_its_paragraphs_in_order(parsed):
    doc, letter = parsed("003")
    assert [f.number for f in letter.findings] == list(range(1, 15))
    assert not any(f.number_printed for f in letter.findings)
    assert letter.findings[0].text.startswith("Care leavers are involved in creating their pathway plans")
    joined = next(f for f in letter.findings if "improve engagement and participation" in f.text)
    assert "participation and is considering available options" in joined.text, "a page break inside the paragraph"
    assert letter.findings[-1].text.endswith("young person's needs not being fully met.")


PEOPLE = {
    "000": {("Eleanor Brazil", "role/dfe-commissioner", None), ("Paul Moffat", "role/dfe-commissioner", "2022-12"),
            ("Dave Evans", "role/cabinet-member", "2022-12")},
    "001": {("Ann James", "role/council-leader", "2019-03-18"), ("Janine Bridges", "role/cabinet-member", "2019-03-18")},
    "002": {("Mark Barratt", "role/interim-director-of-childrens-services", None),
            ("Janine Bridges", "role/cabinet-member", "2019-03")},
}


@pytest.mark.parametrize("name", PEOPLE)
def test_people_named_in_the_press(parsed, name):
    _, extraction = parsed(name)
    assert {(t.person, t.role, t.attested) for t in extraction.tenures} == PEOPLE[name]


def test_commissioner_post_is_in_the_department_and_concerns_the_council(parsed):
    _, extraction = parsed("000")
    moffat = next(t for t in extraction.tenures if t.person == "Paul Moffat")
    assert (moffat.organisation.kind, moffat.organisation.name, moffat.concerns) == ("org", "department-for-education", "Stoke-on-Trent")


def test_portfolio_of_a_cabinet_member(parsed):
    _, extraction = parsed("001")
    assert {t.portfolio for t in extraction.tenures if t.role == "role/cabinet-member"} == {"education and economy"}


SUBJECTS = {"000": ("2022-10", "grade/requires-improvement"), "001": ("2019-02", "grade/inadequate"),
            "002": ("2019-03", "grade/inadequate")}


@pytest.mark.parametrize("name", SUBJECTS)
def test_the_inspection_an_article_is_about_and_its_grade(parsed, name):
    _, extraction = parsed(name)
    subject = extraction.inspections[0].ref
    assert (subject.kind, subject.start) == (None, SUBJECTS[name][0])
    assert [(j.area, j.grade) for j in extraction.judgements if j.inspection == subject] == [("overall", SUBJECTS[name][1])]


def test_an_earlier_grade_is_not_taken_for_the_new_one(parsed):
    _, extraction = parsed("002")
    earlier = [j for j in extraction.judgements if j.inspection.start == "2015"]
    assert [(j.grade, j.evidence[0].exact) for j in earlier] == [
        ("grade/requires-improvement", "previous inspection in 2015, when it was rated as requires improvement")]


def test_a_release_dated_in_its_text_dates_the_report_it_says_was_published_today(parsed):
    _, release = parsed("001")
    subject = release.inspections[0]
    assert subject.published == "2019-03-18"
    assert any("published today (Monday)" in e.exact for e in subject.evidence)
    assert any(e.exact.startswith("Published: Monday, 18th March 2019") for e in subject.evidence)


def test_news_dated_only_by_the_manifest_dates_no_report(parsed):
    _, article = parsed("002")
    assert article.inspections[0].published is None
