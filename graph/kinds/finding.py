"""Findings: an inspection's numbered paragraphs of what inspectors found."""

from __future__ import annotations

from dataclasses import replace

from rdflib import Literal

from ..model.account import Account
from ..model.records import Finding, InspectionRef
from ..rdf import iris
from ..rdf.mapper import Mapper
from ..rdf.namespaces import OKG
from .fact_kind import Merging, Names, declare


def canonical(finding: Finding, names: Names) -> Finding:
    return replace(finding, inspection=names.ref(finding.inspection))


def merge(finding: Finding, merging: Merging) -> None:
    if (ref := merging.target(finding.inspection)) is not None:
        merging.add("findings", (ref, finding.number), replace(finding, inspection=ref))


def triples(mapper: Mapper, key: tuple[InspectionRef, int], finding: Finding, account: Account) -> None:
    ref, number = key
    node = mapper.numbered_text(iris.finding(ref, number), OKG.Finding, ref, number, finding.text, finding.themes)
    mapper.add(node, OKG.numberPrinted, Literal(finding.number_printed))
    if finding.area:
        mapper.add(node, OKG.judgementArea, iris.concept(finding.area))
    if finding.polarity:
        mapper.add(node, OKG.polarity, iris.concept(finding.polarity))
    mapper.evidence(node, finding.evidence)


SUMMARY = ("Finding", "findings")  # counted in the build's one-line summary
MISSING = "no numbered findings"  # the extraction report's words for a report without any
KIND = declare(__name__, name="findings", record=Finding, rank=50, summary=SUMMARY, expected=MISSING)
