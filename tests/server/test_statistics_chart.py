"""Statistics over time beside the statistical neighbours on a council's page: the layout (pure)
and the page, from the graph's statistics and the neighbour links it holds."""

from __future__ import annotations

import pytest

from ofsted_kg.server.app import create_app, start
from ofsted_kg.server.linked_data import statistics_chart

BROWSER = {"Accept": "text/html"}
ID = "https://w3id.org/ofsted-kg/id/"
STOKE, DERBY, BARNET = ID + "council/stoke-on-trent", ID + "council/derby", ID + "council/barnet"
RATE = "https://w3id.org/ofsted-kg/def/measure/children-looked-after-rate"


def _row(la, label, value, date, measure=RATE, measure_label="Rate of children looked after"):
    return {"la": la, "laLabel": label, "measure": measure, "measureLabel": measure_label,
            "unit": "per 10,000 children", "value": value, "date": date}


def test_the_council_is_first_and_darker_and_points_keep_their_order_in_time():
    rows = [_row(DERBY, "Derby", "70", "2014-03-31"), _row(STOKE, "Stoke-on-Trent", "98", "2014-03-31"),
            _row(STOKE, "Stoke-on-Trent", "110.6", "2015-03-31"), _row(DERBY, "Derby", "75", "2015-03-31")]
    [chart] = statistics_chart.layout(STOKE, rows)
    own, neighbour = chart.series
    assert own.own and own.council == STOKE and not neighbour.own and chart.neighbours == 1
    assert own.colour != neighbour.colour
    assert [p.date for p in own.points] == ["2014-03-31", "2015-03-31"]
    assert own.points[0].x < own.points[1].x and own.points[1].y < own.points[0].y  # higher value, higher on the page
    assert neighbour.points[0].y > own.points[0].y  # 70 draws below 98
    assert chart.levels[-1][1] == "200" and chart.levels[0][1] == "0"  # the axis reaches past 110.6
    assert all(chart.left <= p.x <= chart.right and 0 < p.y <= chart.bottom for s in chart.series for p in s.points)
    assert [r["value"] for r in chart.rows] == ["98", "110.6", "70", "75"]


def test_only_measures_the_council_has_are_charted():
    rows = [_row(STOKE, "Stoke-on-Trent", "98", "2014-03-31"),
            _row(DERBY, "Derby", "5", "2014-03-31", measure="m:other", measure_label="Other")]
    assert [c.label for c in statistics_chart.layout(STOKE, rows)] == ["Rate of children looked after"]
    assert statistics_chart.layout(DERBY, rows)[0].label == "Other"


@pytest.fixture(scope="module")
def neighbours_app(seed_ttl, tmp_path_factory):
    """The seed graph and a statistic of Derby (one of Stoke-on-Trent's neighbours in the seed) and
    one of Barnet (not a neighbour), as another data file, so the page has a neighbour to draw."""
    extra = tmp_path_factory.mktemp("neighbours") / "neighbours.ttl"
    extra.write_text(f"""@prefix okg: <https://w3id.org/ofsted-kg/def#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<{ID}statistic/derby/rate/2015> a okg:Statistic ; okg:localAuthority <{DERBY}> ; okg:measure <{RATE}> ;
    okg:value "71.5"^^xsd:decimal ; okg:refDate "2015-03-31"^^xsd:date .
<{ID}statistic/barnet/rate/2015> a okg:Statistic ; okg:localAuthority <{BARNET}> ; okg:measure <{RATE}> ;
    okg:value "40"^^xsd:decimal ; okg:refDate "2015-03-31"^^xsd:date .
""")
    application = start(create_app({"DATA": [str(seed_ttl), str(extra)], "TESTING": True, "WORKERS": 1,
                                    "DUMP_DIR": str(tmp_path_factory.mktemp("dumps"))}))
    yield application
    application.extensions["ofsted_kg"].close()


def test_the_council_page_draws_its_neighbours_statistics_beside_its_own(neighbours_app):
    page = neighbours_app.test_client().get("/doc/council/stoke-on-trent", headers=BROWSER).get_data(as_text=True)
    section = page.split('id="statistics-over-time"')[1].split("</section>")[0]
    rate = section[section.index("Rate of children looked after (per 10,000 children)"):]
    rate = rate[: rate.index("</table>")]  # its chart and its table
    assert f'data-council="{DERBY}"' in rate and f'data-council="{STOKE}"' in rate
    assert "Derby, 2015-03-31: 71.5 per 10,000 children" in rate and 'href="/doc/council/derby">Derby</a> (neighbour)' in rate
    assert "110.6" in rate and "Barnet" not in section  # not a neighbour of Stoke-on-Trent in the graph
    assert section.count('role="img"') == section.count("the chart as a table") > 1


def test_a_council_with_no_statistics_has_no_chart(client):
    page = client.get("/doc/council/derby", headers=BROWSER).get_data(as_text=True)
    assert page.count("statistics-over-time") == 0
