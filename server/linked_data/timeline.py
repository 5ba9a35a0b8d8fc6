"""A council's judgements as a timeline: one row per judgement area, one mark per judgement.

Areas of different frameworks that judge the same thing share a row: SIF's "Children who need
help and protection", ILACS's "The experiences and progress of children who need help and
protection" and the pre-2013 "Safeguarding" are joined by skos:closeMatch in
ontology/concepts.ttl, so the rows are the groups closeMatch links (read from the graph, not
listed here). Layout only: templates/_timeline.html draws the SVG from what this returns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

LEFT, RIGHT, TOP, ROW, AXIS = 330, 30, 20, 34, 36  # pixels: label column, margins, row height
PLOT = 620  # width of the dated part
# Grade colours, dark enough that the white notation on each mark passes WCAG AA (4.5:1).
COLOURS = {
    "outstanding": "#0b5394",
    "good": "#1e6b24",
    "requires-improvement": "#8a4b00",
    "inadequate": "#a11d1d",
    "adequate": "#4a4a4a",
}
UNKNOWN_COLOUR = "#4a4a4a"


@dataclass
class Row:
    key: str
    label: str
    order: tuple
    y: float = 0.0


@dataclass
class Mark:
    x: float
    y: float
    code: str
    colour: str
    title: str
    inspection: str
    grade: str


@dataclass
class Timeline:
    width: int
    height: int
    rows: list[Row]
    marks: list[Mark]
    ticks: list[tuple[float, str]]
    legend: list[tuple[str, str, str]]  # (code, colour, label)
    plot_left: int = LEFT
    plot_right: int = LEFT + PLOT
    undated: list[dict] = field(default_factory=list)  # judgements of inspections with no date


def year_fraction(value: str | None) -> float | None:
    """ "2019-02-04" -> 2019.09; "2011-08" -> mid-August; "2011" -> mid-year; None -> None."""
    if not value:
        return None
    parts = value.split("-")
    try:
        year = int(parts[0])
        if len(parts) >= 3:
            day = dt.date(year, int(parts[1]), int(parts[2][:2]))
        elif len(parts) == 2:
            day = dt.date(year, int(parts[1]), 15)
        else:
            day = dt.date(year, 7, 1)
    except ValueError:
        return None
    return year + (day.timetuple().tm_yday - 1) / 365.25


def area_rows(areas: list[dict]) -> dict[str, Row]:
    """Area IRI -> its row: the groups that skos:closeMatch joins, named by their shortest
    label, ordered by SIF's notation (narrower areas after their broader one), overall first."""
    parent: dict[str, str] = {}

    def find(a):
        while parent.setdefault(a, a) != a:
            a = parent[a]
        return a

    labels: dict[str, str] = {}
    notations: dict[str, str] = {}
    broader: dict[str, str] = {}
    legacy: set[str] = set()
    for row in areas:
        area = row["area"]
        labels[area] = row["label"]
        if row["scheme"].endswith("/legacy-area"):
            legacy.add(area)
        find(area)
        if row.get("notation"):
            notations[area] = row["notation"]
        if row.get("match"):
            parent[find(row["match"])] = find(area)
        if row.get("broader"):
            broader.setdefault(area, row["broader"])
    groups: dict[str, list[str]] = {}
    for area in labels:
        groups.setdefault(find(area), []).append(area)

    def group_notation(members, depth=0):
        own = sorted(notations[m] for m in members if m in notations)
        if own:
            return own[0]
        for m in members:  # ILACS's split areas sort just after the area they were split from
            if m in broader and depth < 3:
                up = group_notation(groups.get(find(broader[m]), [broader[m]]), depth + 1)
                if up:
                    return up + "~"
        return None

    rows: dict[str, Row] = {}
    for key, members in groups.items():
        # A current framework's name for the row; the pre-2013 names only where there is no other.
        names = sorted(labels[m] for m in members if m not in legacy) or sorted(labels[m] for m in members)
        headline = any(m.endswith("/overall") for m in members)  # sif-area/overall, ilacs-area/overall
        notation = group_notation(members)
        grouped = Row(key, min(names, key=len), (not headline, notation is None, notation or "", names[0]))
        for m in members:
            rows[m] = grouped
    return rows


def layout(judgements: list[dict], areas: list[dict]) -> Timeline:
    rows_of = area_rows(areas)
    dated = [(j, at) for j in judgements if (at := year_fraction(j.get("start"))) is not None]
    used: dict[str, Row] = {}
    for j in judgements:
        row = rows_of.get(j["area"]) or Row(j["area"], j["areaLabel"], (True, True, "", j["areaLabel"]))
        used[row.key] = row
    rows = sorted(used.values(), key=lambda r: r.order)
    for i, row in enumerate(rows):
        row.y = TOP + ROW * i + ROW / 2
    years = [at for _, at in dated]
    first = int(min(years)) if years else dt.date.today().year
    last = int(max(years)) + 1 if years else first + 1

    def x_of(year: float) -> float:
        return LEFT + (year - first) / (last - first) * PLOT

    marks, legend = [], {}
    for j, at in dated:
        row = rows_of.get(j["area"]) or used[j["area"]]
        grade_key = j["grade"].rstrip("/").rsplit("/", 1)[-1]
        code = j.get("gradeNotation") or j["gradeLabel"][:1]
        colour = COLOURS.get(grade_key, UNKNOWN_COLOUR)
        legend[grade_key] = (code, colour, j["gradeLabel"])
        marks.append(
            Mark(
                round(x_of(at), 1),
                row.y,
                code,
                colour,
                f"{j['areaLabel']}: {j['gradeLabel']} ({j['kindLabel']}, {j['start']})",
                j["inspection"],
                j["gradeLabel"],
            )
        )
    _spread(marks)
    step = 1 if last - first <= 8 else 2
    ticks = [(round(x_of(y), 1), str(y)) for y in range(first, last + 1, step)]
    height = TOP + ROW * max(len(rows), 1) + AXIS
    return Timeline(
        LEFT + PLOT + RIGHT,
        height,
        rows,
        marks,
        ticks,
        legend=sorted(legend.values(), key=lambda item: item[0]),
        undated=[j for j in judgements if year_fraction(j.get("start")) is None],
    )


def _spread(marks: list[Mark]) -> None:
    """Two judgements of one area on one day (documents that disagree) side by side, not stacked."""
    seen: dict[tuple, int] = {}
    for mark in marks:
        spot = (round(mark.x), mark.y)
        n = seen.get(spot, 0)
        seen[spot] = n + 1
        mark.x += 18 * n
