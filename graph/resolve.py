"""Many documents -> one account: identity resolution and merging of records.

The same inspection is told by the Ofsted report (PDF and its Markdown conversion), the
council's press release and the trade press; the same person by several articles. Here:
- council names as printed resolve to one council of la_lookup.csv (or the document fails);
- loose references ("a full inspection in October", "the last full inspection was in
  August 2015") resolve to the inspection they mean: same council, kind if stated, and the
  month or year given matching its start or its publication;
- records with the same identity merge: one record, the evidence of all. Where documents
  disagree (one says a post was taken up in March 2015, another April 2015), the keys differ
  and both claims stay, each with its own evidence.
Text fields come from the most authoritative document that gives them: an Ofsted PDF, then
its Markdown conversion, a letter, a press release, the press.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .councils import Council, CouncilIndex, UnknownCouncil
from . import name_variants
from .keys import person_key, slug
from .errors import DocumentError
from .parsers.history import OVERALL
from .records import (Citation, Extraction, Finding, Inspection, InspectionRef, Judgement, OrgRef, Recommendation,
                      SourceDocument, Statistic, TeamMember, Tenure)

AUTHORITY = {"report": 0, "letter": 1, "press-release": 2, "news": 3}
OVERALL_AREA = {"sif": "sif-area/overall", "ilacs": "ilacs-area/overall"}
FULL_INSPECTIONS = ("sif", "ilacs")


@dataclass
class Account:
    """The resolved, merged records of a whole build."""

    councils: dict[str, Council] = field(default_factory=dict)
    neighbours: dict[str, Council] = field(default_factory=dict)  # councils named only as statistical neighbours
    documents: list[SourceDocument] = field(default_factory=list)
    inspections: dict[InspectionRef, Inspection] = field(default_factory=dict)
    reports: dict[InspectionRef, set[str]] = field(default_factory=dict)  # inspection -> report document keys
    judgements: dict[tuple, Judgement] = field(default_factory=dict)
    tenures: dict[tuple, Tenure] = field(default_factory=dict)
    team: dict[tuple, TeamMember] = field(default_factory=dict)
    findings: dict[tuple, Finding] = field(default_factory=dict)
    recommendations: dict[tuple, Recommendation] = field(default_factory=dict)
    statistics: dict[tuple, Statistic] = field(default_factory=dict)
    citations: list[Citation] = field(default_factory=list)  # legislation cited, per document
    people: dict[str, str] = field(default_factory=dict)  # person slug -> name as printed
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # merged name -> other printed forms (name_variants)
    unresolved: list[str] = field(default_factory=list)  # claims left out, with why


def authority(extraction: Extraction) -> tuple:
    doc = extraction.document
    return (AUTHORITY.get(doc.kind, 9), doc.media_type != "application/pdf", doc.key)


def resolve(extractions: list[Extraction], councils: CouncilIndex) -> tuple[Account, list[DocumentError]]:
    account, errors = Account(), []
    ordered = []
    for extraction in sorted(extractions, key=authority):
        try:
            ordered.append(canonical_councils(extraction, councils, account))
        except DocumentError as error:
            errors.append(error)
    ordered, account.aliases = name_variants.merge(ordered)
    for extraction in ordered:
        account.documents.append(extraction.document)
        account.citations.extend(extraction.citations)
    mapping = resolve_references(ordered, account)
    for extraction in ordered:
        merge(extraction, mapping, account)
    name_unnamed_holders(account)
    # each council's statistical neighbours come along, so comparisons reach them
    for council in list(account.councils.values()):
        for gss in council.neighbours:
            if gss in councils.by_gss:
                account.neighbours.setdefault(councils.by_gss[gss].slug, councils.by_gss[gss])
    return account, errors


def canonical_councils(extraction: Extraction, councils: CouncilIndex, account: Account) -> Extraction:
    """Every council name in the extraction replaced by its council's slug."""
    names = {}
    for printed in extraction.councils:
        try:
            council = councils.identify(printed)
        except UnknownCouncil as error:
            raise DocumentError(extraction.document.file_name, str(error)) from None
        names[printed] = council.slug
        account.councils[council.slug] = council
    publisher = extraction.document.publisher
    if publisher and publisher.kind == "council":
        council = councils.resolve(publisher.name)
        if council is None:
            raise DocumentError(extraction.document.file_name, f"publisher {publisher.name!r} is not a known council")
        account.councils[council.slug] = council
        names[publisher.name] = council.slug

    def ref(r: InspectionRef | None) -> InspectionRef | None:
        return replace(r, council=names.get(r.council, r.council)) if r else None

    def org(o: OrgRef | None) -> OrgRef | None:
        return replace(o, name=names.get(o.name, o.name)) if o and o.kind in ("council", "lscb") else o

    return Extraction(
        document=replace(extraction.document, publisher=org(extraction.document.publisher)),
        inspections=tuple(replace(i, ref=ref(i.ref), follows=ref(i.follows)) for i in extraction.inspections),
        judgements=tuple(replace(j, inspection=ref(j.inspection)) for j in extraction.judgements),
        tenures=tuple(replace(t, organisation=org(t.organisation), concerns=names.get(t.concerns, t.concerns),
                              begins_with=ref(t.begins_with)) for t in extraction.tenures),
        team=tuple(replace(t, inspection=ref(t.inspection)) for t in extraction.team),
        findings=tuple(replace(f, inspection=ref(f.inspection)) for f in extraction.findings),
        recommendations=tuple(replace(r, inspection=ref(r.inspection), addressed_to=org(r.addressed_to))
                              for r in extraction.recommendations),
        statistics=tuple(replace(s, council=names.get(s.council, s.council), inspection=ref(s.inspection))
                         for s in extraction.statistics),
        councils=tuple(names[c] for c in extraction.councils),
        citations=extraction.citations,
    )


def is_full(ref: InspectionRef) -> bool:
    return ref.kind is not None and len(ref.start) == 10


def resolve_references(extractions: list[Extraction], account: Account) -> dict[InspectionRef, InspectionRef | None]:
    """Each partial reference -> the full one it names, itself (a kind-known inspection only
    mentioned in passing), or None (cannot tell which inspection is meant)."""
    full: dict[InspectionRef, set[str]] = {}  # full ref -> its publication dates
    issued = {e.document.key: e.document.issued for e in extractions}
    for extraction in extractions:
        for inspection in extraction.inspections:
            if is_full(inspection.ref):
                dates = full.setdefault(inspection.ref, set())
                dates.update(d for d in (inspection.published, issued.get(inspection.reported_in or "")) if d)
    partial = {r for e in extractions for r in refs_of(e) if not is_full(r)}
    mapping: dict[InspectionRef, InspectionRef | None] = {r: r for r in full}
    for ref in sorted(partial, key=lambda r: (r.council, r.kind or "", r.start)):
        candidates = [f for f in full if f.council == ref.council and (ref.kind is None or f.kind == ref.kind)]
        by_start = [f for f in candidates if f.start.startswith(ref.start)]
        by_publication = [f for f in candidates if any(d.startswith(ref.start) for d in full[f])]
        for pool in (by_start, by_publication):
            if ref.kind is None:
                pool = [f for f in pool if f.kind in FULL_INSPECTIONS] or pool
            if len(pool) == 1:
                mapping[ref] = pool[0]
                break
        else:
            mapping[ref] = ref if ref.kind is not None else None
    # A kind-known inspection mentioned twice at different precisions ("in 2018", "in April
    # 2018") is one inspection: the vaguer reference takes the more precise one.
    for ref, target in list(mapping.items()):
        if target == ref and not is_full(ref):
            finer = [r for r, t in mapping.items() if t == r and r != ref and r.council == ref.council
                     and r.kind == ref.kind and r.start.startswith(ref.start)]
            if len(finer) == 1:
                mapping[ref] = finer[0]
    for ref, target in mapping.items():
        if target is None:
            account.unresolved.append(f"an inspection of {ref.council} in {ref.start}: no single inspection in the input matches")
    return mapping


def refs_of(extraction: Extraction):
    for i in extraction.inspections:
        yield i.ref
        if i.follows:
            yield i.follows
    yield from (j.inspection for j in extraction.judgements)
    yield from (t.begins_with for t in extraction.tenures if t.begins_with)
    yield from (s.inspection for s in extraction.statistics if s.inspection)


def merge(extraction: Extraction, mapping: dict, account: Account) -> None:
    def target(ref):
        return mapping.get(ref, ref) if ref else None

    for inspection in extraction.inspections:
        ref = target(inspection.ref)
        if ref is None:
            continue
        known = account.inspections.get(ref)
        if inspection.reported_in and not inspection.published and not (known and known.published):
            inspection = published_as_reported(inspection, extraction.document)
        merged = replace(inspection, ref=ref, follows=target(inspection.follows), reported_in=None)
        if known:
            merged = replace(known, evidence=union(known.evidence, inspection.evidence),
                             **{f: getattr(known, f) or getattr(merged, f)
                                for f in ("detail", "end", "published", "visit_ordinal", "follows")})
        account.inspections[ref] = merged
        if inspection.reported_in:
            account.reports.setdefault(ref, set()).add(inspection.reported_in)
    for j in extraction.judgements:
        ref = target(j.inspection)
        if ref is None:
            continue
        area = OVERALL_AREA.get(ref.kind or "") if j.area == OVERALL else j.area
        if area is None:
            account.unresolved.append(f"an overall grade for {ref.kind} {ref.start}, a kind with no overall judgement")
            continue
        add(account.judgements, (ref, area, j.grade), replace(j, inspection=ref, area=area))
    for t in extraction.team:
        account.people.setdefault(person_key(t.person), t.person)
        add(account.team, (target(t.inspection), t.role, person_key(t.person)), replace(t, inspection=target(t.inspection)))
    for t in extraction.tenures:
        if t.begins_with:
            ref = target(t.begins_with)
            if ref is None or not is_full(ref):
                account.unresolved.append(f"{t.person or 'an unnamed holder'} as {t.role}: the inspection whose first day they started on is not in the input")
                t = replace(t, begins_with=None)
            else:
                t = replace(t, begins_with=None, begin=ref.start)
        if t.person:
            account.people.setdefault(person_key(t.person), t.person)
        key = (post_path(t), person_key(t.person) if t.person else "unnamed", t.begin or "undated")
        known = account.tenures.get(key)
        if known and t.attested and (not known.attested or len(t.attested) > len(known.attested)):
            known = replace(known, attested=t.attested)
            account.tenures[key] = known
        add(account.tenures, key, t)
    for f in extraction.findings:
        if (ref := target(f.inspection)) is not None:
            add(account.findings, (ref, f.number), replace(f, inspection=ref))
    for r in extraction.recommendations:
        if (ref := target(r.inspection)) is not None:
            add(account.recommendations, (ref, r.number), replace(r, inspection=ref))
    for s in extraction.statistics:
        ref = target(s.inspection)
        add(account.statistics, (s.council, s.measure, s.ref_date, s.value), replace(s, inspection=ref))


def published_as_reported(inspection: Inspection, report: SourceDocument) -> Inspection:
    """An inspection whose report prints no publication date was published when its report
    was: the catalogue's date, with the catalogue's words as evidence."""
    if not report.issued:
        return inspection
    return replace(inspection, published=report.issued, evidence=union(inspection.evidence, report.issued_evidence))


def name_unnamed_holders(account: Account) -> None:
    """"A new interim Director of Children's Services started on the first day of this
    inspection" (the report) and "An interim director of children's services, Mark Barratt,
    started on the first day of the inspection" (the press) are one appointment: an unnamed
    holder whose post and first day match exactly one named holder's is that holder. Unnamed
    claims that match nobody, or whose dates are only a month or year, stay as they are."""
    for key in [k for k in account.tenures if k[1] == "unnamed" and len(k[2]) == 10]:
        named = [k for k in account.tenures if k[0] == key[0] and k[2] == key[2] and k[1] != "unnamed"]
        if len(named) == 1:
            known = account.tenures[named[0]]
            account.tenures[named[0]] = replace(known, evidence=union(known.evidence, account.tenures.pop(key).evidence))


def add(table: dict, key, record) -> None:
    """First record under a key wins its fields; later ones add their evidence."""
    known = table.get(key)
    table[key] = replace(known, evidence=union(known.evidence, record.evidence)) if known else record


def union(a: tuple, b: tuple) -> tuple:
    return a + tuple(span for span in b if span not in a)


def org_slug(org: OrgRef) -> str:
    return f"{org.name}-lscb" if org.kind == "lscb" else org.name


def post_path(t: Tenure) -> str:
    """post/{organisation}/{role}[-{portfolio}][/{council it concerns, for posts outside the council}]."""
    role = t.role.split("/", 1)[1]
    path = f"post/{org_slug(t.organisation)}/{role}"
    if t.portfolio:
        path += "-" + slug(t.portfolio)
    if t.organisation.kind == "org" and t.concerns:
        path += "/" + t.concerns
    return path
