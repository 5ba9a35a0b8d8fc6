"""Recommendations: what an inspection says needs to improve, numbered, citing findings."""

from __future__ import annotations

from dataclasses import replace

from rdflib import Literal
from rdflib.namespace import XSD

from ..model.account import Account
from ..model.records import InspectionRef, Recommendation
from ..rdf import iris
from ..rdf.mapper import Mapper
from ..rdf.namespaces import OKG
from .fact_kind import Merging, Names, declare


def canonical(recommendation: Recommendation, names: Names) -> Recommendation:
    return replace(
        recommendation, inspection=names.ref(recommendation.inspection), addressed_to=names.org(recommendation.addressed_to)
    )


def merge(recommendation: Recommendation, merging: Merging) -> None:
    if (ref := merging.target(recommendation.inspection)) is not None:
        merging.add("recommendations", (ref, recommendation.number), replace(recommendation, inspection=ref))


def triples(mapper: Mapper, key: tuple[InspectionRef, int], recommendation: Recommendation, account: Account) -> None:
    ref, number = key
    node = mapper.numbered_text(
        iris.recommendation(ref, number), OKG.Recommendation, ref, number, recommendation.text, recommendation.themes
    )
    if recommendation.addressed_to:
        mapper.add(node, OKG.addressedTo, mapper.organisation(recommendation.addressed_to))
    findings = account.table("findings")
    for paragraph in recommendation.cited_paragraphs:
        mapper.add(node, OKG.citesParagraph, Literal(paragraph, datatype=XSD.positiveInteger))
        if (ref, paragraph) in findings:
            mapper.add(node, OKG.citesFinding, iris.finding(ref, paragraph))
    mapper.evidence(node, recommendation.evidence)


SUMMARY = ("Recommendation", "recommendations")  # counted in the build's one-line summary
MISSING = "no recommendations or 'what needs to improve'"  # the extraction report's words for a report without any
# A letter (a visit's) has findings but may well have no recommendations: only reports are expected to.
KIND = declare(
    __name__, name="recommendations", record=Recommendation, rank=60, summary=SUMMARY, expected=MISSING, expected_in=("report",)
)
