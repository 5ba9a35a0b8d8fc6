"""Records -> triples: the RDF shape of a build's account (docs/data-model.md).

Councils, documents and people are mapped here; every fact kind maps its own records
(kinds/), in rank order. Superclasses from the reused vocabularies (org:Membership,
prov:Activity, qb:Observation, foaf:Document, ...) are stated as well as our own classes, so
the graph answers queries in those vocabularies without a reasoner.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, RDFS, SKOS, XSD

from .. import kinds
from ..model.account import Account
from ..model.records import CatalogueEntry, SourceDocument
from ..reference.councils import Council
from ..reference.vocabulary import Vocabulary
from ..reference.wikidata import read_wikidata
from . import iris
from .mapper import Mapper, date_literal
from .namespaces import OKG, SCHEMA

DOCUMENT_CLASSES = {
    "report": [OKG.InspectionReport, SCHEMA.Report],
    "letter": [OKG.InspectionLetter, SCHEMA.Report],
    "news": [OKG.NewsArticle, SCHEMA.NewsArticle],
    "press-release": [OKG.PressRelease],
    "catalogue": [OKG.Catalogue],
}


@dataclass(frozen=True)
class Unit:
    """One piece of the account mapped on its own: a council, a document, a person, or one
    fact kind's records of one group (an inspection, a council, a post, a document: the
    first part of their identity keys). `content` is everything of the account the unit's
    mapping reads but what it asks the account for as it maps (ReadAccount records those):
    the build's mapping cache (build/mapping_cache.py) maps again only the units whose
    content or answers changed. The judgements of one area of one inspection are in one
    unit, in the table's order: a second grade for an area is told from the first by what
    the unit has mapped already."""

    id: str
    content: object
    map: Callable[..., None]  # (mapper, the account or a ReadAccount recording what is asked of it)


def units(account: Account) -> Iterator[Unit]:
    """The account's units in the order the whole graph is mapped."""
    known = {**account.neighbours, **account.councils}
    by_gss = {c.gss_code: c for c in known.values()}
    wikidata = read_wikidata()
    for council in known.values():  # first: posts and boards are labelled with their council's name
        neighbours = tuple(by_gss[gss].slug if gss in by_gss else None for gss in council.neighbours)
        yield Unit(
            f"council {council.slug}",
            (council, neighbours, wikidata.get(council.gss_code)),
            lambda mapper, _, council=council: mapper.council(council, by_gss),
        )
    for doc in account.documents:
        yield Unit(f"document {doc.key}", doc, lambda mapper, _, doc=doc: mapper.document(doc))
    for slug, name in account.people.items():
        aliases = account.aliases.get(name, ())
        yield Unit(
            f"person {slug} {name}", (name, aliases), lambda mapper, _, name=name, aliases=aliases: mapper.person(name, aliases)
        )
    for kind in kinds.KINDS:
        groups: dict[object, list] = {}
        for key, record in account.table(kind.name).items():
            groups.setdefault(key[0] if isinstance(key, tuple) else key, []).append((key, record))
        for group, records in groups.items():
            yield Unit(
                f"{kind.name} {group!r}",
                tuple(records),
                lambda mapper, reads, kind=kind, records=records: kind_triples(mapper, kind, records, reads),
            )


def kind_triples(mapper: AccountMapper, kind, records: list, account: Account) -> None:
    for key, record in records:
        kind.triples(mapper, key, record, account)


class AccountMapper(Mapper):
    def map(self, account: Account) -> Graph:
        for unit in units(account):
            unit.map(self, account)
        return self.graph

    def person(self, name: str, aliases: tuple[str, ...]) -> None:
        node = iris.person(name)
        self.types(node, FOAF.Person)
        self.add(node, FOAF.name, Literal(name))
        for form in aliases:  # other printed forms of the name (name_variants.py)
            self.add(node, SKOS.altLabel, Literal(form))

    def council(self, council: Council, by_gss: dict[str, Council]) -> None:
        """A council with its identifiers, links out and statistical neighbours: all from
        la_lookup.csv, which the node names as its source."""
        node = iris.council(council.slug)
        self.types(node, OKG.LocalAuthority, ORG.FormalOrganization)
        self.add(node, SKOS.prefLabel, Literal(council.name))
        # typed identifiers: a URN and an LA code are both digit strings, their datatypes say which
        self.add(node, OKG.ofstedURN, Literal(council.urn, datatype=OKG.OfstedURN))
        self.add(node, OKG.laCode, Literal(council.la_code, datatype=OKG.LACode))
        self.add(node, OKG.gssCode, Literal(council.gss_code))
        self.add(node, OKG.region, Literal(council.region))
        self.add(node, PROV.wasDerivedFrom, iris.la_lookup_dataset())
        # the area the council governs, in ONS's statistical geography (not the same thing as the council)
        self.add(node, DCTERMS.spatial, iris.ons_geography(council))
        if odc := iris.odc_authority(council):
            self.add(node, RDFS.seeAlso, odc)
        if item := read_wikidata().get(council.gss_code):  # the council's own item: the same organisation
            self.add(node, OWL.sameAs, URIRef(item))
        for gss in council.neighbours:
            if gss in by_gss:
                self.add(node, OKG.statisticalNeighbour, iris.council(by_gss[gss].slug))

    def document(self, doc: SourceDocument) -> None:
        node = iris.document(doc.key)
        self.types(node, OKG.SourceDocument, *DOCUMENT_CLASSES[doc.kind], FOAF.Document, PROV.Entity)
        self.add(node, DCTERMS.title, Literal(doc.title))
        self.add(node, DCTERMS.identifier, Literal(doc.file_name))
        self.add(node, DCTERMS.format, Literal(doc.media_type))
        self.add(node, OKG.sha256, Literal(doc.sha256))
        self.add(node, OKG.characterCount, Literal(doc.character_count, datatype=XSD.nonNegativeInteger))
        if doc.issued:
            self.add(node, DCTERMS.issued, date_literal(doc.issued))
        if doc.publisher:
            self.add(node, DCTERMS.publisher, iris.organisation(doc.publisher))
        if doc.licence:
            self.add(node, DCTERMS.license, URIRef(doc.licence))
        if doc.rights:
            self.add(node, DCTERMS.rights, Literal(doc.rights))
        if doc.url:
            self.add(node, DCTERMS.source, URIRef(doc.url))
        for entry in doc.entries:
            self.catalogue_entry(doc.key, entry)

    def catalogue_entry(self, document_key: str, entry: CatalogueEntry) -> None:
        """A catalogue's word on a document's date and URL: the fact the evidence is for, so a
        document's dcterms:issued and dcterms:source can be traced to the row that states them."""
        node = iris.catalogue_entry(document_key, entry.catalogue)
        self.types(node, OKG.CatalogueEntry, PROV.Entity)
        self.add(node, FOAF.primaryTopic, iris.document(document_key))
        self.add(node, DCTERMS.isPartOf, iris.document(entry.catalogue))
        if entry.issued:
            self.add(node, DCTERMS.issued, date_literal(entry.issued))
        if entry.url:
            self.add(node, DCTERMS.source, URIRef(entry.url))
        self.evidence(node, entry.issued_evidence + tuple(s for s in entry.url_evidence if s not in entry.issued_evidence))


def to_graph(account: Account, vocab: Vocabulary, graph=None) -> Graph:
    return AccountMapper(vocab, graph).map(account)
