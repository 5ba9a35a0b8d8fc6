"""The comparative saved queries (issue 4), on a small made-up graph whose answers are known
(tests/fixtures/comparisons.ttl), through the `ofsted-kg query` command."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ofsted_kg.console import main

ROOT = Path(__file__).resolve().parents[2]
DATA = ["--data", str(ROOT / "tests" / "fixtures" / "comparisons.ttl"), "--data", str(ROOT / "ontology" / "concepts.ttl")]


def rows(capsys, name, *params):
    arguments = ["query", name, *DATA, "--format", "csv"]
    for param in params:
        arguments += ["-p", param]
    assert main(arguments) == 0, capsys.readouterr().err
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


def test_time_from_inadequate_to_good(capsys):
    got = rows(capsys, "inadequate_to_good")
    assert [(r["name"], r["inadequate_start"], r["good_start"], r["grade"], r["months"]) for r in got] == [
        ("Ayton", "2015-03-02", "2021-09-06", "Good", "78")]  # 2024's inadequate has no good after it


def test_trajectory_beside_statistical_neighbours(capsys):
    got = rows(capsys, "neighbour_trajectories", "la=ayton")
    assert [(r["name"], r["relation"], r["start"], r["overall"], r["rank"]) for r in got] == [
        ("Ayton", "council", "2015-03-02", "Inadequate", "4"),
        ("Ayton", "council", "2018-05-14", "Requires improvement to be good", "3"),
        ("Ayton", "council", "2021-09-06", "Good", "2"),
        ("Ayton", "council", "2024-01-15", "Inadequate", "4"),
        ("Beeton", "statistical neighbour", "2016-01-11", "Good", "2"),
    ]


def test_current_grades_come_from_the_latest_full_inspection(capsys):
    got = rows(capsys, "current_grades", "area=overall effectiveness")
    assert sorted((r["name"], r["start"], r["grade"]) for r in got) == [
        ("Ayton", "2024-01-15", "Inadequate"), ("Beeton", "2016-01-11", "Good")]


def test_inspectors_by_inspections_led(capsys):
    got = rows(capsys, "inspectors_leading")
    assert [(r["name"], r["inspections"], r["first"], r["last"]) for r in got] == [
        ("Xenia Lead", "2", "2015-03-02", "2016-01-11"), ("Yusuf Lead", "1", "2018-05-14", "2018-05-14")]
