"""The fact-kind registry: every stage loops over it, so a kind declared once is read,
counted, merged, mapped and summarised, and no kind of record is silently dropped."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.namespace import RDF

from ofsted_kg.graph import kinds
from ofsted_kg.graph.input.sources import outcome
from ofsted_kg.graph.kinds.fact_kind import FactKind, Merging, Names
from ofsted_kg.graph.model.records import Evidence, Extraction, SourceDocument, Span
from ofsted_kg.graph.rdf import iris
from ofsted_kg.graph.rdf.namespaces import ID, OKG
from ofsted_kg.graph.rdf.triples import to_graph
from ofsted_kg.graph.reference.councils import read_councils
from ofsted_kg.graph.reference.vocabulary import load_vocabulary
from ofsted_kg.graph.resolve.resolution import resolve

NOT_FACTS = {"document", "councils", "not_judged", "reviews_lscb"}  # what a document is about, not facts with evidence


def test_every_kind_of_record_an_extraction_holds_is_a_registered_kind():
    held = {f.name for f in dataclasses.fields(Extraction)} - NOT_FACTS
    assert held == {kind.name for kind in kinds.KINDS}


def test_kinds_come_in_rank_order_with_their_record_classes():
    assert [k.name for k in kinds.KINDS] == ["inspections", "judgements", "team", "tenures", "findings", "statements",
                                             "recommendations", "statistics", "citations"]
    hints = {f.name: f.type for f in dataclasses.fields(Extraction)}
    for kind in kinds.KINDS:
        assert kind.record.__name__ in hints[kind.name], kind.name


# A made-up kind, declared the way a real one is (docs/architecture.md, "Adding a fact kind").
@dataclass(frozen=True)
class Headcount:
    council: str
    social_workers: int
    evidence: Evidence


@dataclass(frozen=True)
class WithHeadcounts(Extraction):
    headcounts: tuple[Headcount, ...] = ()


def merge(record: Headcount, merging: Merging) -> None:
    merging.add("headcounts", (record.council, record.social_workers), record)


def triples(mapper, key, record: Headcount, account) -> None:
    node = iris.fact("headcount", key[0], str(key[1]))  # minted in iris.py without a function of its own
    mapper.types(node, OKG.Headcount)
    mapper.add(node, OKG.value, Literal(record.social_workers))
    mapper.evidence(node, record.evidence)


HEADCOUNTS = FactKind(name="headcounts", record=Headcount, rank=75, merge=merge, triples=triples,
                      canonical=lambda r, names: replace(r, council=names.council(r.council)),
                      summary=("Headcount", "headcounts"), expected="no number of social workers")


@pytest.fixture
def with_headcounts(monkeypatch):
    monkeypatch.setattr(kinds, "KINDS", kinds.KINDS + (HEADCOUNTS,))


def test_a_new_kind_flows_through_every_stage(with_headcounts):
    doc = SourceDocument(key="d1", file_name="d1.pdf", media_type="application/pdf", sha256="0" * 64,
                         character_count=40, kind="report", title="A report")
    said = (Span("d1", 3, 7, "forty"),)
    extraction = WithHeadcounts(document=doc, councils=("Stoke-on-Trent",),
                                headcounts=(Headcount("Stoke-on-Trent", 40, said), Headcount("Stoke-on-Trent", 40, said)))
    report = outcome(Path("d1.pdf"), extraction)
    assert report.extracted["headcounts"] == 2
    assert "findings: no numbered findings" in report.missing and "headcounts: no number of social workers" not in report.missing
    account, errors = resolve([extraction], read_councils())
    assert errors == [] and list(account.table("headcounts")) == [("stoke-on-trent", 40)]  # canonical, merged
    graph = to_graph(account, load_vocabulary())
    node = ID["headcount/stoke-on-trent/40"]
    assert (node, RDF.type, OKG.Headcount) in graph and len(list(graph.objects(node, OKG.evidence))) == 1


def test_the_build_summary_counts_every_kind_that_asks(with_headcounts, monkeypatch, capsys):
    from collections import Counter

    from ofsted_kg.console import main
    from ofsted_kg.graph.build import pipeline as build_module
    from ofsted_kg.graph.build.pipeline import BuildResult

    classes = Counter({str(OKG.Headcount): 3, str(OKG.Judgement): 2})
    monkeypatch.setattr(build_module, "build", lambda *a, **k: BuildResult(output=Path("g.ttl"), classes=classes))
    assert main(["build", "--no-cache"]) == 0
    summary = capsys.readouterr().out.splitlines()[0]
    assert "0 inspections and visits, 2 judgements," in summary and summary.endswith("0 statistics, 3 headcounts)")


def test_names_change_only_council_names():
    names = Names({"Stoke on Trent": "stoke-on-trent"})
    assert names.council("Stoke on Trent") == "stoke-on-trent" and names.council("Ofsted") == "Ofsted"
    assert names.council(None) is None
