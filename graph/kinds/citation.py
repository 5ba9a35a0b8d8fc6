"""Legislation citations: words of any document that cite an Act of Parliament."""

from __future__ import annotations

from functools import cache

from rdflib import Literal
from rdflib.namespace import DCTERMS, RDFS

from ..input.documents import DocumentText
from ..model.account import Account
from ..model.records import Citation
from ..parsers.act_citations import find_citations
from ..rdf import iris
from ..rdf.mapper import Mapper
from ..rdf.namespaces import OKG
from ..reference.legislation import Act, read_acts
from .fact_kind import Merging, declare


def read(doc: DocumentText) -> tuple[Citation, ...]:
    """Every kind of document may cite legislation: read apart from the kind's own parser."""
    return tuple(find_citations(doc.text, doc.key, read_acts()))


def merge(citation: Citation, merging: Merging) -> None:
    span = citation.evidence[0]
    merging.account.table("citations").setdefault((span.document, span.start, span.end), citation)


@cache
def acts() -> dict[str, Act]:
    return {act.key: act for act in read_acts()}


def triples(mapper: Mapper, key: object, citation: Citation, account: Account | None) -> None:
    """The citation node (with its evidence) cites the sections, or the Act where no section is
    named; the document dcterms:references them and the Act, so "which documents cite the
    Children Act 1989" is one pattern."""
    act = acts()[citation.act]
    span = citation.evidence[0]
    document = iris.document(span.document)
    node = iris.citation(span)
    mapper.types(node, OKG.LegislationCitation)
    mapper.add(node, OKG.citedIn, document)
    whole = iris.act(act)
    mapper.add(whole, RDFS.label, Literal(act.title))
    mapper.add(document, DCTERMS.references, whole)
    for section in citation.sections:
        target = iris.act_section(act, section)
        mapper.add(target, RDFS.label, Literal(f"section {section} of the {act.title}"))
        mapper.add(target, DCTERMS.isPartOf, whole)
        mapper.add(node, OKG.cites, target)
        mapper.add(document, DCTERMS.references, target)
    if not citation.sections:
        mapper.add(node, OKG.cites, whole)
    mapper.evidence(node, citation.evidence)


KIND = declare(__name__, name="citations", record=Citation, rank=80)
