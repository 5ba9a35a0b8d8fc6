"""/national: the national picture, drawn from the graph (HTML with its JSON twin /national.json).

Three views analysts otherwise build by hand from a spreadsheet:
- every council's current overall grade (its latest full inspection, the saved query
  `current_grades`), grouped by region, each council a link to its page;
- the overall grades of full inspections by year (a stacked bar chart drawn on the server as SVG);
- the months from inadequate to good or better (the saved query `inadequate_to_good`), one
  bar per council, each a link to its page.
Each chart has a table beside it saying the same, for screen readers and for copying.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict

from flask import Blueprint, Response, current_app, jsonify, render_template, url_for

from ..linked_data import addresses, lookups
from ..linked_data.timeline import COLOURS, UNKNOWN_COLOUR
from ..web import render

blueprint = Blueprint("national", __name__)
OVERALL = "overall effectiveness"
# Grades in the order the charts stack and the legend lists them, best first.
GRADES = ["outstanding", "good", "requires improvement", "requires improvement to be good", "inadequate"]
# Every council with its region, inspected or not: the picture shows the ones with no grade too.
COUNCILS = """SELECT ?council ?label ?region WHERE {
  ?council a okg:LocalAuthority ; skos:prefLabel ?label .
  OPTIONAL { ?council okg:region ?region } } ORDER BY ?region ?label"""
# The overall judgement of every full inspection (SIF and ILACS), with its year.
BY_YEAR = """SELECT ?year ?grade (COUNT(DISTINCT ?inspection) AS ?n) WHERE {
  ?inspection a ?class ; okg:startDate ?start .
  VALUES ?class { okg:SIFInspection okg:ILACSInspection }
  ?judgement okg:inspection ?inspection ; okg:judgementArea ?area ; okg:grade/skos:prefLabel ?grade .
  VALUES ?area { <https://w3id.org/ofsted-kg/def/sif-area/overall> <https://w3id.org/ofsted-kg/def/ilacs-area/overall> }
  BIND(YEAR(?start) AS ?year)
} GROUP BY ?year ?grade ORDER BY ?year"""
BAR_W, CHART_H, AXIS_H, LEFT = 46, 220, 28, 40  # pixels of the by-year chart
DURATION_ROW, DURATION_LEFT, DURATION_W = 22, 190, 420  # pixels of the durations chart


def colour(grade: str | None) -> str:
    key = (grade or "").lower()
    key = "requires-improvement" if key.startswith("requires improvement") else key  # SIF's and ILACS's wording
    return COLOURS.get(key, UNKNOWN_COLOUR)


def _saved(name: str, values: dict) -> list[dict]:
    """A saved query's rows as {variable: value}: the same answer as /queries/NAME.json."""
    answer, _ = current_app.extensions["ofsted_kg"].saved(name, values, requested="json")
    data = json.loads(answer.body)
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


def current_grades() -> list[dict]:
    graded = {row["la"]: row for row in _saved("current_grades", {"area": OVERALL})}
    regions = defaultdict(list)
    for council in lookups.rows(COUNCILS):
        row = graded.get(council["council"], {})
        regions[council["region"] or "Region not known"].append(
            {
                "iri": council["council"],
                "href": addresses.local(council["council"]),
                "label": council["label"],
                "grade": row.get("grade"),
                "start": row.get("start"),
                "inspection": row.get("inspection"),
                "colour": colour(row.get("grade")),
            }
        )
    return [
        {"region": region, "councils": councils, "counts": Counter(c["grade"] or "none" for c in councils)}
        for region, councils in sorted(regions.items())
    ]


def by_year() -> dict:
    counts: dict[int, Counter] = defaultdict(Counter)
    for row in lookups.rows(BY_YEAR):
        counts[int(row["year"])][row["grade"].lower()] += int(row["n"])
    years = sorted(counts)
    grades = [g for g in GRADES if any(counts[y][g] for y in years)]
    grades += sorted({g for y in years for g in counts[y]} - set(grades))
    top = max((sum(c.values()) for c in counts.values()), default=1)
    bars = []
    for i, year in enumerate(years):
        y: float = CHART_H
        stack = []
        for grade in grades:
            n = counts[year][grade]
            if n:
                height = n / top * (CHART_H - 10)
                y -= height
                stack.append({"grade": grade, "n": n, "y": round(y, 1), "height": round(height, 1), "colour": colour(grade)})
        bars.append({"year": year, "x": LEFT + i * BAR_W, "total": sum(counts[year].values()), "stack": stack})
    return {
        "years": years,
        "grades": grades,
        "bars": bars,
        "top": top,
        "counts": counts,
        "width": LEFT + max(1, len(years)) * BAR_W + 10,
        "height": CHART_H + AXIS_H,
        "chart_height": CHART_H,
        "bar_width": BAR_W - 8,
        "left": LEFT,
    }


def durations() -> dict:
    rows = _saved("inadequate_to_good", {})
    longest = max((int(r["months"]) for r in rows), default=1) or 1
    for i, row in enumerate(rows):
        row["href"] = addresses.local(row["la"])
        row["y"] = 8 + i * DURATION_ROW
        row["bar"] = round(int(row["months"]) / longest * DURATION_W, 1)
        row["colour"] = colour(row["grade"])
    return {
        "rows": rows,
        "left": DURATION_LEFT,
        "width": DURATION_LEFT + DURATION_W + 60,
        "height": 16 + len(rows) * DURATION_ROW,
        "longest": longest,
        "row": DURATION_ROW,
    }


def legend() -> list[tuple[str, str]]:
    return [(g, colour(g)) for g in GRADES if g != "requires improvement"] + [("no full inspection", UNKNOWN_COLOUR)]


@blueprint.route("/national.json")
def picture_json():
    year = by_year()
    return jsonify(
        {
            "currentGrades": [
                {
                    "region": r["region"],
                    "councils": [{k: c[k] for k in ("iri", "label", "grade", "start", "inspection")} for c in r["councils"]],
                }
                for r in current_grades()
            ],
            "gradesByYear": [{"year": y, **dict(year["counts"][y])} for y in year["years"]],
            "inadequateToGood": [
                {k: r[k] for k in ("la", "name", "inadequate_start", "good_start", "grade", "months")}
                for r in durations()["rows"]
            ],
        }
    )


@blueprint.route("/national")
def picture():
    html = render_template(
        "national.html",
        title="The national picture",
        regions=current_grades(),
        year=by_year(),
        durations=durations(),
        legend=legend(),
    )
    return render.twin_link(Response(html, mimetype="text/html"), url_for("national.picture_json", _external=True))
