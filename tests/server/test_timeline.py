"""The timeline's rows: areas that skos:closeMatch joins share one, in the frameworks' order."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from ofsted_kg.server.linked_data import page_queries
from ofsted_kg.server.linked_data.lookups import PROLOGUE
from ofsted_kg.server.linked_data.timeline import area_rows, layout, year_fraction

DEF = "https://w3id.org/ofsted-kg/def/"


@pytest.fixture(scope="module")
def areas(seed_ttl) -> list[dict]:
    store = ox.Store()
    store.load(path=str(seed_ttl), format=ox.RdfFormat.TURTLE)
    solutions = store.query(PROLOGUE + page_queries.AREAS)
    names = [v.value for v in solutions.variables]
    return [{n: (None if t is None else t.value) for n, t in zip(names, s)} for s in solutions]


def test_the_same_area_in_three_frameworks_is_one_row(areas):
    rows = area_rows(areas)
    help_and_protection = {rows[DEF + a].key for a in ("sif-area/help-and-protection", "ilacs-area/help-and-protection",
                                                      "legacy-area/safeguarding")}
    assert len(help_and_protection) == 1
    assert rows[DEF + "sif-area/overall"] is rows[DEF + "ilacs-area/overall"]
    assert rows[DEF + "sif-area/adoption"] is not rows[DEF + "sif-area/looked-after"]
    assert rows[DEF + "sif-area/help-and-protection"].label == "Children who need help and protection"  # not "Safeguarding"


def test_rows_are_ordered_overall_first_then_by_sif_notation(areas):
    rows = area_rows(areas)
    order = sorted({id(r): r for r in rows.values()}.values(), key=lambda r: r.order)
    keys = [r.label for r in order]
    assert keys[0] == "Overall effectiveness"
    assert keys.index("Children who need help and protection") < keys.index("Adoption performance")
    # ILACS's 2023 split areas sort after the combined area they came from
    assert order.index(rows[DEF + "ilacs-area/in-care"]) > order.index(rows[DEF + "sif-area/looked-after"])


@pytest.mark.parametrize("value, year", [("2019-01-01", 2019.0), ("2011-08", 2011.6), ("2011", 2011.5),
                                         (None, None), ("20x1", None), ("2019-02-30", None)])
def test_year_fraction(value, year):
    result = year_fraction(value)
    assert (result is None) if year is None else abs(result - year) < 0.05


def test_one_mark_per_dated_judgement_and_undated_ones_listed(areas):
    judgement = {"inspection": "i", "kindLabel": "ILACS", "area": DEF + "ilacs-area/overall",
                 "areaLabel": "Overall effectiveness", "grade": DEF + "grade/good", "gradeLabel": "Good",
                 "gradeNotation": "2"}
    drawn = layout([{**judgement, "start": "2019-01-01"}, {**judgement, "start": "2019-01-01", "grade": DEF + "grade/inadequate",
                                                           "gradeLabel": "Inadequate", "gradeNotation": "4"},
                    {**judgement, "start": None}], areas)
    assert len(drawn.marks) == 2 and len(drawn.undated) == 1
    assert drawn.marks[0].x != drawn.marks[1].x  # two claims for one area and day side by side
    assert [code for code, _, _ in drawn.legend] == ["2", "4"]
