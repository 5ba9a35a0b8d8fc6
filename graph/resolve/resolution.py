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
its Markdown conversion, a letter, a press release, the press. What is a kind's identity, and
which references it carries, each fact kind says itself (kinds/): this module loops over them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from .. import kinds
from ..kinds.fact_kind import Merging, Names
from ..model.account import Account
from ..model.records import Extraction, InspectionRef
from ..model.user_errors import DocumentError
from ..reference.councils import CouncilIndex, UnknownCouncil
from . import name_variants

AUTHORITY = {"report": 0, "letter": 1, "press-release": 2, "news": 3}
FULL_INSPECTIONS = ("sif", "ilacs")

Mapping = dict[InspectionRef, InspectionRef | None]


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
    account.documents.extend(extraction.document for extraction in ordered)
    mapping = resolve_references(ordered, account)
    for extraction in ordered:
        merge(extraction, mapping, account)
    for kind in kinds.KINDS:
        if kind.finish:
            kind.finish(account)
    # each council's statistical neighbours come along, so comparisons reach them
    for council in list(account.councils.values()):
        for gss in council.neighbours:
            if gss in councils.by_gss:
                account.neighbours.setdefault(councils.by_gss[gss].slug, councils.by_gss[gss])
    return account, errors


def canonical_councils(extraction: Extraction, councils: CouncilIndex, account: Account) -> Extraction:
    """Every council name in the extraction replaced by its council's slug."""
    slugs = {}
    for printed in extraction.councils:
        try:
            council = councils.identify(printed)
        except UnknownCouncil as error:
            raise DocumentError(extraction.document.file_name, str(error)) from None
        slugs[printed] = council.slug
        account.councils[council.slug] = council
    publisher = extraction.document.publisher
    if publisher and publisher.kind == "council":
        by_publisher = councils.resolve(publisher.name)
        if by_publisher is None:
            raise DocumentError(extraction.document.file_name, f"publisher {publisher.name!r} is not a known council")
        account.councils[by_publisher.slug] = by_publisher
        slugs[publisher.name] = by_publisher.slug
    names = Names(slugs)
    facts: dict[str, Any] = {
        kind.name: tuple(kind.canonical(record, names) for record in getattr(extraction, kind.name)) for kind in kinds.KINDS
    }
    return replace(
        extraction,
        document=replace(extraction.document, publisher=names.org(extraction.document.publisher)),
        councils=tuple(slugs[c] for c in extraction.councils),
        **facts,
    )


def is_full(ref: InspectionRef) -> bool:
    return ref.kind is not None and len(ref.start) == 10


def resolve_references(extractions: list[Extraction], account: Account) -> Mapping:
    """Each partial reference -> the full one it names, itself (a kind-known inspection only
    mentioned in passing), or None (cannot tell which inspection is meant)."""
    full = publication_dates(extractions)
    mapping: Mapping = {r: r for r in full}
    for ref in sorted(partial_references(extractions), key=lambda r: (r.council, r.kind or "", r.start)):
        mapping[ref] = match(ref, full)
    take_finer(mapping)
    for ref, target in mapping.items():
        if target is None:
            account.unresolved.append(f"an inspection of {ref.council} in {ref.start}: no single inspection in the input matches")
    return mapping


def publication_dates(extractions: list[Extraction]) -> dict[InspectionRef, set[str]]:
    """Every fully known inspection (kind and first day) -> the dates it was published on: its
    own, and its report's."""
    full: dict[InspectionRef, set[str]] = {}
    issued = {e.document.key: e.document.issued for e in extractions}
    for extraction in extractions:
        for inspection in extraction.inspections:
            if is_full(inspection.ref):
                dates = full.setdefault(inspection.ref, set())
                dates.update(d for d in (inspection.published, issued.get(inspection.reported_in or "")) if d)
    return full


def partial_references(extractions: list[Extraction]) -> set[InspectionRef]:
    return {r for e in extractions for r in references(e) if not is_full(r)}


def references(extraction: Extraction) -> Iterable[InspectionRef]:
    for kind in kinds.KINDS:
        for record in getattr(extraction, kind.name):
            yield from kind.references(record)


def match(ref: InspectionRef, full: dict[InspectionRef, set[str]]) -> InspectionRef | None:
    """The one full inspection a partial reference names: by start, else by publication (a
    reference of no stated kind preferring full inspections to visits); else the reference
    itself where its kind is known, else None."""
    candidates = [f for f in full if f.council == ref.council and (ref.kind is None or f.kind == ref.kind)]
    by_start = [f for f in candidates if f.start.startswith(ref.start)]
    by_publication = [f for f in candidates if any(d.startswith(ref.start) for d in full[f])]
    for pool in (by_start, by_publication):
        if ref.kind is None:
            pool = [f for f in pool if f.kind in FULL_INSPECTIONS] or pool
        if len(pool) == 1:
            return pool[0]
    return ref if ref.kind is not None else None


def take_finer(mapping: Mapping) -> None:
    """A kind-known inspection mentioned twice at different precisions ("in 2018", "in April
    2018") is one inspection: the vaguer reference takes the more precise one."""
    for ref, target in list(mapping.items()):
        if target == ref and not is_full(ref):
            finer = [
                r
                for r, t in mapping.items()
                if t == r and r != ref and r.council == ref.council and r.kind == ref.kind and r.start.startswith(ref.start)
            ]
            if len(finer) == 1:
                mapping[ref] = finer[0]


def merge(extraction: Extraction, mapping: Mapping, account: Account) -> None:
    """One document's records into the account, kind by kind in rank order."""
    merging = Merging(account, mapping, extraction.document)
    for kind in kinds.KINDS:
        for record in getattr(extraction, kind.name):
            kind.merge(record, merging)
