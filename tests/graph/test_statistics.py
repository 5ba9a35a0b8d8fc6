"""Stated statistics: SIF's information section and the figures ILACS reports and letters state in
prose (graph/parsers/statistics.py, prose_statistics.py), each quoted by the words carrying its number."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from ofsted_kg.graph.model.records import InspectionRef
from ofsted_kg.graph.parsers.patterns import NUMBER_WORDS
from ofsted_kg.graph.parsers.prose_statistics import prose_statistics

STOKE = "https://w3id.org/ofsted-kg/id/inspection/stoke-on-trent/"
VISIT = InspectionRef("Stoke-on-Trent", "ilacs", "2019-02-04")
STATEMENTS = """PREFIX oa: <http://www.w3.org/ns/oa#>
    SELECT ?s ?value ?exact WHERE { ?s a okg:Statistic ; okg:value ?value ; okg:evidence/oa:hasTarget/oa:hasSelector/oa:exact ?exact }"""


def months(duration: str) -> int:
    years, months = re.fullmatch(r"P(?:(\d+)Y)?(?:(\d+)M)?", duration).groups()
    return 12 * int(years or 0) + int(months or 0)


def numbers_in(quote: str) -> set[Decimal]:
    """Every number a quote prints, in digits ("1,766", "110.6", "8%") or in words ("nine")."""
    digits = {Decimal(n.replace(",", "")) for n in re.findall(r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?", quote)}
    return digits | {Decimal(NUMBER_WORDS[w.lower()]) for w in re.findall(r"[A-Za-z]+", quote) if w.lower() in NUMBER_WORDS}


def quotes_without_their_number(rows) -> list[tuple[str, str, str]]:
    """(statistic, value, quote) for each quote of a statistic that does not print its value."""
    return [(s, v, q) for s, v, q in rows if Decimal(v) not in numbers_in(q)]


def test_every_statistic_is_quoted_by_words_carrying_its_number(select):
    rows = select(STATEMENTS)
    assert len(rows) >= 30
    assert quotes_without_their_number(rows) == []


def test_the_twelve_month_counts_quote_their_item_and_keep_the_period(select):
    rows = select("""PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?value ?period ?exact WHERE { ?s okg:measure measure:adoptions ; okg:value ?value ; okg:refPeriod ?period ;
            okg:refDate ?date ; okg:evidence/oa:hasTarget/oa:hasSelector/oa:exact ?exact }""")
    # rdflib reads the Turtle's "P12M" as its equal, one year
    assert {(v, months(p), q) for v, p, q in rows} == {("29", 12, "there have been 29 adoptions")}


@pytest.mark.parametrize(("measure", "date", "value"), [
    ("children-looked-after", "2019-02-04", "850"),  # "to 850 at the time of this inspection"
    ("children-in-unregulated-placements", "2019-02-04", "56"),
    ("repeat-contacts-and-re-referrals", "2019-02-04", "4500"),  # "over 4,500 ... In the last three months"
    ("average-caseload", "2019-02-04", "25"),  # "the average being over 25 children"
    ("looked-after-under-section-20-percentage", "2019-02-04", "8"),
    ("care-leavers-in-apprenticeships", "2019-02-04", "1"),
    ("children-in-care-council-attendees", "2022-10-03", "6"),  # "has only six regular attendees"
])
def test_stokes_ilacs_figures_are_in_the_graph(select, measure, date, value):
    rows = select(f"""SELECT ?value ?inspection WHERE {{ ?s okg:measure measure:{measure} ; okg:refDate ?date ;
        okg:value ?value ; okg:statedIn ?inspection FILTER(STR(?date) = "{date}") }}""")
    assert [(str(Decimal(v)), i.removeprefix(STOKE)) for v, i in rows] == [(value, f"ilacs/{date}")]


def test_a_bound_keeps_its_words_and_a_count_over_months_its_period(select):
    rows = select("""SELECT ?qualifier ?period WHERE { ?s okg:measure measure:repeat-contacts-and-re-referrals ;
        okg:valueQualifier ?qualifier ; okg:refPeriod ?period }""")
    assert [(q, months(p)) for q, p in rows] == [("over", 3)]


def figures(sentence: str):
    return [(s.measure.removeprefix("measure/"), s.value, s.ref_date, s.period, s.qualifier)
            for s in prose_statistics(sentence, "doc", "Stoke-on-Trent", VISIT)]


@pytest.mark.parametrize(("sentence", "expected"), [
    ("At the time of inspection, 26 young people were attending university.",
     [("care-leavers-at-university", "26", "2019-02-04", None, None)]),
    ("Only five children have been adopted within the last year, but 17 children are now waiting.",
     [("adoptions", "5", "2019-02-04", "P12M", None)]),
    ("At 31 March 2018, there were 40 children in care.", [("children-looked-after", "40", "2018-03-31", None, None)]),
    ("There are approximately 300 children in care.", [("children-looked-after", "300", "2019-02-04", None, "approximately")]),
])
def test_a_figure_is_read_with_the_date_its_sentence_gives(sentence, expected):
    assert figures(sentence) == expected


@pytest.mark.parametrize("sentence", [
    "In 2017, there were 40 children in care.",  # of another year: not the inspection's
    "Five children have been adopted.",  # a flow with no period says nothing of when
    "Up until recently, there was a backlog of 89 cases.",  # of an earlier time
    "There are 23 care leavers currently engaged in apprenticeships and",  # no headcount of care leavers
    "Of the 22 children in care who were seen, most were safe.",  # a sample, not the council's figure
])
def test_no_figure_where_the_text_does_not_state_one_for_the_inspection(sentence):
    assert [f for f in figures(sentence) if f[0] != "care-leavers-in-apprenticeships"] == []


def test_a_page_number_after_the_footer_is_not_a_figure():
    text = ("Leaders know this. Some\f\nInspection of Stoke-on-Trent local authority children’s services\n"
            "3 to 14 October 2022 4 children are looked after in unregulated settings.\n")
    assert figures(text) == []
