"""A council's statistics over time beside its statistical neighbours': one small line chart a
measure, laid out here and drawn by templates/_statistics_chart.html as SVG, with a table
saying the same.

Everything comes from the graph: the statistics (okg:Statistic with its council, measure, value
and reference date) of the council and of each council its okg:statisticalNeighbour links
name, and each measure's okg:unit. A measure is charted when the council itself has a value
of it; its neighbours' values of the same measure are drawn beside it, lighter. Layout only.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

WIDTH, HEIGHT = 440, 210  # pixels of one chart
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 14, 34  # margins: the value axis, the right edge, the date axis
INSET = 36  # pixels between the plot's edges and its first and last dates: room for their labels
COUNCIL_COLOUR, NEIGHBOUR_COLOUR = "#0b5394", "#767676"  # both at least 4.5:1 on white


@dataclass
class Point:
    x: float
    y: float
    date: str
    value: str
    title: str


@dataclass
class Series:
    council: str
    label: str
    own: bool  # the council of the page, not a neighbour
    colour: str
    points: list[Point] = field(default_factory=list)

    @property
    def path(self) -> str:
        return " ".join(f"{'M' if i == 0 else 'L'}{p.x:.1f},{p.y:.1f}" for i, p in enumerate(self.points))


@dataclass
class Chart:
    measure: str
    label: str
    unit: str | None
    series: list[Series]  # the council's first, then its neighbours' by name
    ticks: list[tuple[float, str]]  # (x, date)
    levels: list[tuple[float, str]]  # (y, value)
    rows: list[dict]  # the table: council, date, value, own
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    bottom: int = HEIGHT - BOTTOM

    @property
    def neighbours(self) -> int:
        return sum(1 for s in self.series if not s.own)


def day(value: str) -> dt.date | None:
    """A reference date (YYYY-MM-DD, or YYYY-MM, or YYYY) as a day: a month or year at its first day."""
    parts = value[:10].split("-")
    try:
        return dt.date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return None


def number(value: str) -> Decimal | None:
    try:
        return Decimal(value)
    except InvalidOperation:
        return None


def round_up(top: Decimal) -> Decimal:
    """The axis's top: the smallest 1, 2 or 5 times a power of ten at or above `top`."""
    if top <= 0:
        return Decimal(1)
    scale = Decimal(10) ** (top.adjusted())
    for step in (1, 2, 5, 10):
        if top <= step * scale:
            return step * scale
    return 10 * scale


def layout(council: str, rows: list[dict]) -> list[Chart]:
    """Rows of (la, laLabel, measure, measureLabel, unit, value, date) -> one chart a measure the council has."""
    by_measure: dict[str, list[dict]] = defaultdict(list)
    for row in rows:  # a value or date that is no number or day cannot be placed (the page's statistics table still lists it)
        when, value = day(row["date"]), number(row["value"])
        if when is not None and value is not None:
            by_measure[row["measure"]].append({**row, "day": when, "number": value})
    charts = []
    for measure, found in by_measure.items():
        if not any(r["la"] == council for r in found):
            continue
        charts.append(_chart(council, measure, found))
    return sorted(charts, key=lambda c: c.label)


def _chart(council: str, measure: str, rows: list[dict]) -> Chart:
    first = rows[0]
    days: list[dt.date] = sorted({r["day"] for r in rows})
    start, end = days[0], days[-1]
    span = max(1, (end - start).days)
    top = round_up(max(r["number"] for r in rows))
    plot_w, plot_h = WIDTH - RIGHT - LEFT, HEIGHT - BOTTOM - TOP

    def x(date: dt.date) -> float:  # one date alone sits in the middle
        if start == end:
            return LEFT + plot_w / 2
        return LEFT + INSET + (date - start).days / span * (plot_w - 2 * INSET)

    def y(value: Decimal) -> float:
        return TOP + float(1 - value / top) * plot_h

    unit = first.get("unit")
    series: dict[str, Series] = {}
    seen = set()
    table = []
    for row in sorted(rows, key=lambda r: (r["la"] != council, r["laLabel"], r["date"])):
        key = (row["la"], row["date"])
        if key in seen:  # one point a council and date: the first the graph gives
            continue
        seen.add(key)
        own = row["la"] == council
        line = series.setdefault(row["la"], Series(row["la"], row["laLabel"], own, COUNCIL_COLOUR if own else NEIGHBOUR_COLOUR))
        said = f"{row['value']}{' ' + unit if unit else ''}"
        line.points.append(
            Point(x(row["day"]), y(row["number"]), row["date"], row["value"], f"{row['laLabel']}, {row['date']}: {said}")
        )
        table.append({"council": row["la"], "label": row["laLabel"], "date": row["date"], "value": row["value"], "own": own})
    shown = days if len(days) <= 4 else [start, end]
    ticks = [(x(d), d.isoformat()) for d in shown]
    levels = [(y(top * k / 2), _plain(top * k / 2)) for k in (0, 1, 2)]
    return Chart(measure, first["measureLabel"], unit, list(series.values()), ticks, levels, table)


def _plain(value: Decimal) -> str:
    """An axis value as people write it: 50, 2.5, 10000 (no exponent, no trailing zeros)."""
    return format(value.normalize(), "f")
