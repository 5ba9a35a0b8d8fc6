"""Inspections and visits: the identity every other fact of an inspection hangs from."""

from __future__ import annotations

from dataclasses import replace

from rdflib import Literal
from rdflib.namespace import PROV, XSD

from ..model.account import Account, union
from ..model.records import Inspection, InspectionRef, OrgRef, SourceDocument
from ..rdf import iris
from ..rdf.mapper import Mapper, date_literal
from ..rdf.namespaces import OKG
from .fact_kind import Merging, Names, declare

CLASSES = {
    "sif": [OKG.SIFInspection],
    "ilacs": [OKG.ILACSInspection],
    "monitoring-visit": [OKG.MonitoringVisit, OKG.Visit],
    "focused-visit": [OKG.FocusedVisit, OKG.Visit],
    "legacy-safeguarding": [OKG.LegacyInspection],
    "legacy-looked-after": [OKG.LegacyInspection],
}
KIND_CONCEPTS = {framework: f"inspection-kind/{framework}" for framework in CLASSES}
FILLED_LATER = ("detail", "end", "published", "visit_ordinal", "follows")  # first document to give one wins


def canonical(inspection: Inspection, names: Names) -> Inspection:
    return replace(inspection, ref=names.ref(inspection.ref), follows=names.ref(inspection.follows))


def references(inspection: Inspection):
    yield inspection.ref
    if inspection.follows:
        yield inspection.follows


def merge(inspection: Inspection, merging: Merging) -> None:
    ref = merging.target(inspection.ref)
    if ref is None:
        return
    known = merging.account.inspections.get(ref)
    if inspection.reported_in and not inspection.published and not (known and known.published):
        inspection = published_as_reported(inspection, merging.document)
    merged = replace(inspection, ref=ref, follows=merging.target(inspection.follows), reported_in=None)
    if known:
        merged = replace(
            known,
            evidence=union(known.evidence, inspection.evidence),
            **{f: getattr(known, f) or getattr(merged, f) for f in FILLED_LATER},
        )
    merging.account.inspections[ref] = merged
    if inspection.reported_in:
        merging.account.reports.setdefault(ref, set()).add(inspection.reported_in)


def published_as_reported(inspection: Inspection, report: SourceDocument) -> Inspection:
    """An inspection whose report prints no publication date was published when its report
    was: the catalogue's date, with the catalogue's words as evidence."""
    if not report.issued:
        return inspection
    return replace(inspection, published=report.issued, evidence=union(inspection.evidence, report.issued_evidence))


def triples(mapper: Mapper, ref: InspectionRef, inspection: Inspection, account: Account) -> None:
    node = iris.inspection(ref)
    mapper.types(node, *CLASSES[ref.kind or ""], OKG.Inspection, PROV.Activity)
    mapper.add(node, OKG.inspectionKind, iris.concept(inspection.detail or KIND_CONCEPTS[ref.kind or ""]))
    mapper.add(node, OKG.localAuthority, iris.council(ref.council))
    mapper.add(node, PROV.wasAssociatedWith, iris.organisation(OrgRef("org", "ofsted")))
    mapper.add(node, OKG.startDate, date_literal(ref.start))
    if inspection.end:
        mapper.add(node, OKG.endDate, date_literal(inspection.end))
    if inspection.published:
        mapper.add(node, OKG.publicationDate, date_literal(inspection.published))
    if inspection.visit_ordinal:
        mapper.add(node, OKG.visitOrdinal, Literal(inspection.visit_ordinal, datatype=XSD.positiveInteger))
    if inspection.follows:
        mapper.add(node, OKG.followsInspection, iris.inspection(inspection.follows))
    for key in sorted(account.reports.get(ref, ())):
        mapper.add(node, OKG.reportedIn, iris.document(key))
    mapper.evidence(node, inspection.evidence)


KIND = declare(__name__, name="inspections", record=Inspection, rank=10, summary=("Inspection", "inspections and visits"))
