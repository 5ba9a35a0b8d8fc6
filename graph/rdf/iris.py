"""Every IRI the loaders mint, from stable keys only (docs/data-model.md, "IRIs").

Council slugs, inspection start dates, paragraph numbers, slugs of names, content hashes of
documents, character offsets: never counters or random ids, so the same documents always
give the same IRIs, and a document found twice (seeds and corpus) is one node.
"""

from __future__ import annotations

from functools import cache

from rdflib import Namespace, URIRef

from ..model.keys import person_key, slug
from ..model.records import InspectionRef, OrgRef, Span
from ..reference.councils import ODC_TYPES, Council
from ..reference.legislation import Act
from .namespaces import DEF, ID

LEGISLATION = Namespace("http://www.legislation.gov.uk/id/")  # legislation.gov.uk's own identifiers


@cache  # called for every fact and span (rdflib checks each IRI it makes)
def concept(key: str) -> URIRef:
    return DEF[key]


@cache
def council(council_slug: str) -> URIRef:
    return ID[f"council/{council_slug}"]


def organisation(org: OrgRef) -> URIRef:
    if org.kind == "council":
        return council(org.name)
    if org.kind == "lscb":
        return ID[f"council/{org.name}/lscb"]
    return ID[f"org/{org.name}"]


@cache
def inspection(ref: InspectionRef) -> URIRef:
    return ID[f"inspection/{ref.council}/{ref.kind}/{ref.start}"]


def fact(kind: str, *key: str) -> URIRef:
    """A fact that stands on its own, by its kind and identity key: id/{kind}/{key}/... (a fact
    kind's IRI needs no function of its own here)."""
    return ID["/".join((kind, *key))]


def part_of(ref: InspectionRef, kind: str, *key: str) -> URIRef:
    """A fact of one inspection, by its kind and identity key: {inspection}/{kind}/{key}/..."""
    return URIRef("/".join((str(inspection(ref)), kind, *key)))


def concept_key(concept_path: str) -> str:
    """ "grade/good" -> "good": a concept's key within its scheme, as IRIs carry it."""
    return concept_path.split("/", 1)[1]


def judgement(ref: InspectionRef, area: str, grade: str | None = None) -> URIRef:
    """An area's judgement; with `grade`, a second claim where documents disagree on the grade."""
    return part_of(ref, "judgement", concept_key(area), *((concept_key(grade),) if grade else ()))


def finding(ref: InspectionRef, number: int) -> URIRef:
    return part_of(ref, "finding", str(number))


def recommendation(ref: InspectionRef, number: int) -> URIRef:
    return part_of(ref, "recommendation", str(number))


def team_membership(ref: InspectionRef, role: str, person_slug: str) -> URIRef:
    return part_of(ref, "team", concept_key(role), person_slug)


def person(name: str) -> URIRef:
    return ID[f"person/{person_key(name)}"]


def post_path(organisation: OrgRef, role: str, portfolio: str | None, concerns: str | None) -> str:
    """post/{organisation}/{role}[-{portfolio}][/{council it concerns, for posts outside the council}]:
    the post's IRI under id/, and the key tenures in one post share."""
    path = f"post/{org_slug(organisation)}/{concept_key(role)}"
    if portfolio:
        path += "-" + slug(portfolio)
    if organisation.kind == "org" and concerns:
        path += "/" + concerns
    return path


def org_slug(org: OrgRef) -> str:
    return f"{org.name}-lscb" if org.kind == "lscb" else org.name


def post(path: str) -> URIRef:
    return ID[path]


def tenure(post_path: str, holder: str, begin: str) -> URIRef:
    return fact("tenure", post_path.removeprefix("post/"), holder, begin)


def interval(tenure_node: URIRef) -> URIRef:
    return URIRef(f"{tenure_node}/interval")


def instant(interval_node: URIRef, part: str) -> URIRef:
    """part: beginning | end."""
    return URIRef(f"{interval_node}/{part}")


def statistic(council_slug: str, measure: str, ref_date: str | None, value: str) -> URIRef:
    return fact("statistic", council_slug, concept_key(measure), ref_date or "undated", value)


def statistics_dataset() -> URIRef:
    return ID["dataset/stated-statistics"]


def la_lookup_dataset() -> URIRef:
    """The reference table every council's identifiers come from (seeds/la_lookup.csv)."""
    return ID["dataset/la-lookup"]


@cache
def document(key: str) -> URIRef:
    return ID[f"document/{key}"]


def catalogue_entry(document_key: str, catalogue_key: str) -> URIRef:
    """What one catalogue says of one document: under the document, named by the catalogue."""
    return URIRef(f"{document(document_key)}/catalogue-entry/{catalogue_key}")


def citation(span: Span) -> URIRef:
    return URIRef(f"{document(span.document)}/citation/{span.start}-{span.end}")


def evidence(span: Span) -> URIRef:
    return ID[f"evidence/{span.document}/{span.start}-{span.end}"]


def evidence_check(document_key: str) -> URIRef:
    """A stand-in for one document's facts while its evidence is checked alone (validate.py):
    never in the published graph, where the merge decides which facts there are."""
    return URIRef(f"{document(document_key)}/evidence-check")


def evidence_parts(annotation: URIRef) -> tuple[URIRef, URIRef, URIRef]:
    """An evidence annotation's target, quote selector and position selector."""
    return URIRef(f"{annotation}/target"), URIRef(f"{annotation}/quote"), URIRef(f"{annotation}/position")


def act(cited: Act) -> URIRef:
    return LEGISLATION[cited.key]


def act_section(cited: Act, section: str) -> URIRef:
    return URIRef(f"{act(cited)}/section/{section}")


def ons_geography(council: Council) -> URIRef:
    """The area the council governs, in ONS's statistical geography (by its GSS code)."""
    return URIRef(f"http://statistics.data.gov.uk/id/statistical-geography/{council.gss_code}")


def odc_authority(council: Council) -> URIRef | None:
    """The council's OpenDataCommunities IRI, where its slug is certain: ODC slugs follow the
    plain name, so names ONS writes inverted ("Bristol, City of") get none rather than a guess."""
    kind = ODC_TYPES.get(council.ons_type)
    return URIRef(f"http://opendatacommunities.org/id/{kind}/{council.slug}") if kind and "," not in council.name else None
