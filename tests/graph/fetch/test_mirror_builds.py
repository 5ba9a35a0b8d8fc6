"""A mirror is a corpus: `ofsted-kg build --input` reads what `fetch` wrote, dating each
report by its file name, as it reads ../shared/corpus/reports. Slow: three real reports."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS

from ofsted_kg.console import main

SEEDS = Path(__file__).resolve().parents[3] / "seeds"
STOKE_FILES = {"50202020": "25 november 2022", "50070301": "18 march 2019", "50003412": "12 august 2015"}


@pytest.mark.slow
def test_the_build_reads_a_fetched_mirror_as_it_reads_the_corpus(site, tmp_path, capsys):
    for file_id, day in STOKE_FILES.items():
        site.documents[file_id] = (SEEDS / f"children's services inspection - {day}.pdf").read_bytes()
    out = tmp_path / "corpus"
    assert main(["fetch", "--out", str(out), "--site", site.url, "--rate", "0", "--council", "80564"]) == 0
    graph_file = tmp_path / "build" / "ofsted-kg.ttl"
    assert main(["build", "--input", str(out), "--out", str(graph_file)]) == 0, capsys.readouterr().err
    graph = Graph().parse(graph_file, format="turtle")
    issued = set(graph.objects(None, DCTERMS.issued))
    with open(out / "catalogue.csv", encoding="utf-8", newline="") as source:
        published = {row["published"] for row in csv.DictReader(source)}
    assert published == {"2022-11-25", "2019-03-18", "2015-08-12"}
    assert {Literal(date.fromisoformat(day)) for day in published} <= issued
    report = json.loads((graph_file.parent / "extraction-report.json").read_text(encoding="utf-8"))
    assert sorted(Path(d["file"]).parent.name for d in report["documents"] if d["status"] == "read") == ["80564_stoke-on-trent"] * 3
