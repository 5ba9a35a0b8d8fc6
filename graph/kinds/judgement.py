"""Judgements: an inspection's grade for one area."""

from __future__ import annotations

from dataclasses import replace

from ..model.account import Account
from ..model.records import InspectionRef, Judgement
from ..parsers.history import OVERALL
from ..rdf import iris
from ..rdf.mapper import Mapper
from ..rdf.namespaces import OKG
from .fact_kind import Merging, Names, declare

OVERALL_AREA = {"sif": "sif-area/overall", "ilacs": "ilacs-area/overall"}  # "overall" in later text, per framework


def canonical(judgement: Judgement, names: Names) -> Judgement:
    return replace(judgement, inspection=names.ref(judgement.inspection))


def references(judgement: Judgement):
    yield judgement.inspection


def merge(judgement: Judgement, merging: Merging) -> None:
    ref = merging.target(judgement.inspection)
    if ref is None:
        return
    area = OVERALL_AREA.get(ref.kind or "") if judgement.area == OVERALL else judgement.area
    if area is None:
        merging.account.unresolved.append(f"an overall grade for {ref.kind} {ref.start}, a kind with no overall judgement")
        return
    merging.add("judgements", (ref, area, judgement.grade), replace(judgement, inspection=ref, area=area))


def triples(mapper: Mapper, key: tuple[InspectionRef, str, str], judgement: Judgement, account: Account) -> None:
    ref, area, grade = key
    node = iris.judgement(ref, area)
    if (node, OKG.grade, None) in mapper.graph:  # documents disagree on this area's grade: keep both claims
        node = iris.judgement(ref, area, grade)
    mapper.types(node, OKG.Judgement)
    mapper.add(node, OKG.inspection, iris.inspection(ref))
    mapper.add(node, OKG.judgementArea, iris.concept(area))
    mapper.add(node, OKG.grade, iris.concept(grade))
    mapper.evidence(node, judgement.evidence)


KIND = declare(__name__, name="judgements", record=Judgement, rank=20, summary=("Judgement", "judgements"))
