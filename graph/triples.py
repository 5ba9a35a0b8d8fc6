"""Records -> triples: the one place that knows the RDF shape (docs/data-model.md).

Superclasses from the reused vocabularies (org:Membership, prov:Activity, qb:Observation,
foaf:Document, ...) are stated as well as our own classes, so the graph answers queries in
those vocabularies without a reasoner. Every fact node gets okg:evidence links to W3C Web
Annotations whose target is a span of a source document: a TextQuoteSelector (the exact
words) and a TextPositionSelector (their offsets in the extracted text).
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, QB, RDF, RDFS, SKOS, TIME, XSD

from . import iris
from .dates import precision
from .councils import odc_authority, ons_geography
from .legislation import Act, read_acts
from .namespaces import ID, OA, OKG, SCHEMA, bind_prefixes
from .resolve import Account
from .records import CatalogueEntry, Citation, OrgRef, Span, Tenure
from .vocabulary import Vocabulary
from .wikidata import read_wikidata

INSPECTION_CLASSES = {
    "sif": [OKG.SIFInspection], "ilacs": [OKG.ILACSInspection],
    "monitoring-visit": [OKG.MonitoringVisit, OKG.Visit], "focused-visit": [OKG.FocusedVisit, OKG.Visit],
    "legacy-safeguarding": [OKG.LegacyInspection], "legacy-looked-after": [OKG.LegacyInspection],
}
KIND_CONCEPTS = {
    "sif": "inspection-kind/sif", "ilacs": "inspection-kind/ilacs", "monitoring-visit": "inspection-kind/monitoring-visit",
    "focused-visit": "inspection-kind/focused-visit", "legacy-safeguarding": "inspection-kind/legacy-safeguarding",
    "legacy-looked-after": "inspection-kind/legacy-looked-after",
}
DOCUMENT_CLASSES = {
    "report": [OKG.InspectionReport, SCHEMA.Report], "letter": [OKG.InspectionLetter, SCHEMA.Report],
    "news": [OKG.NewsArticle, SCHEMA.NewsArticle], "press-release": [OKG.PressRelease], "catalogue": [OKG.Catalogue],
}
DATE_TYPES = {"date": XSD.date, "gYearMonth": XSD.gYearMonth, "gYear": XSD.gYear}
TIME_PROPERTIES = {"date": TIME.inXSDDate, "gYearMonth": TIME.inXSDgYearMonth, "gYear": TIME.inXSDgYear}


def date_literal(value: str) -> Literal:
    return Literal(value, datatype=DATE_TYPES[precision(value)])


class Mapper:
    def __init__(self, vocab: Vocabulary, graph=None):
        # `graph`: where the triples go, an rdflib Graph unless given (the build gives a
        # triple_set.TripleSet, four times quicker to fill)
        self.graph = bind_prefixes(Graph()) if graph is None else graph
        self.vocab = vocab

    def add(self, s, p, o) -> None:
        self.graph.add((s, p, o))

    def types(self, node: URIRef, *classes: URIRef) -> None:
        for cls in classes:
            self.add(node, RDF.type, cls)

    def evidence(self, fact: URIRef, spans: tuple[Span, ...]) -> None:
        for span in spans:
            annotation = iris.evidence(span)
            target, quote, position = (URIRef(f"{annotation}/{part}") for part in ("target", "quote", "position"))
            self.add(fact, OKG.evidence, annotation)
            self.types(annotation, OA.Annotation)
            self.add(annotation, OA.hasBody, fact)
            self.add(annotation, OA.motivatedBy, OA.describing)
            self.add(annotation, OA.hasTarget, target)
            self.types(target, OA.SpecificResource)
            self.add(target, OA.hasSource, iris.document(span.document))
            self.add(target, OA.hasSelector, quote)
            self.add(target, OA.hasSelector, position)
            self.types(quote, OA.TextQuoteSelector)
            self.add(quote, OA.exact, Literal(span.exact))
            if span.prefix:
                self.add(quote, OA.prefix, Literal(span.prefix))
            if span.suffix:
                self.add(quote, OA.suffix, Literal(span.suffix))
            self.types(position, OA.TextPositionSelector)
            self.add(position, OA.start, Literal(span.start, datatype=XSD.nonNegativeInteger))
            self.add(position, OA.end, Literal(span.end, datatype=XSD.nonNegativeInteger))

    def organisation(self, org: OrgRef) -> URIRef:
        node = iris.organisation(org)
        if org.kind == "lscb":
            board_of = iris.council(org.name)
            self.types(node, OKG.SafeguardingBoard, ORG.Organization)
            self.add(node, OKG.boardOf, board_of)
            label = self.graph.value(board_of, SKOS.prefLabel)
            self.add(node, SKOS.prefLabel, Literal(f"{label} Local Safeguarding Children Board"))
        return node

    def map(self, account: Account) -> Graph:
        known = {**account.neighbours, **account.councils}
        by_gss = {c.gss_code: c for c in known.values()}
        for council in known.values():
            self.council(council, by_gss)
        for doc in account.documents:
            self.document(doc)
        for ref, inspection in account.inspections.items():
            node = iris.inspection(ref)
            self.types(node, *INSPECTION_CLASSES[ref.kind], OKG.Inspection, PROV.Activity)
            self.add(node, OKG.inspectionKind, iris.concept(inspection.detail or KIND_CONCEPTS[ref.kind]))
            self.add(node, OKG.localAuthority, iris.council(ref.council))
            self.add(node, PROV.wasAssociatedWith, iris.organisation(OrgRef("org", "ofsted")))
            self.add(node, OKG.startDate, date_literal(ref.start))
            if inspection.end:
                self.add(node, OKG.endDate, date_literal(inspection.end))
            if inspection.published:
                self.add(node, OKG.publicationDate, date_literal(inspection.published))
            if inspection.visit_ordinal:
                self.add(node, OKG.visitOrdinal, Literal(inspection.visit_ordinal, datatype=XSD.positiveInteger))
            if inspection.follows:
                self.add(node, OKG.followsInspection, iris.inspection(inspection.follows))
            for key in sorted(account.reports.get(ref, ())):
                self.add(node, OKG.reportedIn, iris.document(key))
            self.evidence(node, inspection.evidence)
        for (ref, area, grade), j in account.judgements.items():
            node = iris.judgement(ref, area)
            if (node, OKG.grade, None) in self.graph:  # documents disagree on this area's grade: keep both claims
                node = URIRef(f"{node}/{grade.split('/', 1)[1]}")
            self.types(node, OKG.Judgement)
            self.add(node, OKG.inspection, iris.inspection(ref))
            self.add(node, OKG.judgementArea, iris.concept(area))
            self.add(node, OKG.grade, iris.concept(grade))
            self.evidence(node, j.evidence)
        for slug_, name in account.people.items():
            node = iris.person(name)
            self.types(node, FOAF.Person)
            self.add(node, FOAF.name, Literal(name))
        for (ref, role, person_slug), member in account.team.items():
            node = iris.team_membership(ref, role, person_slug)
            self.types(node, OKG.TeamMembership, ORG.Membership)
            self.add(node, OKG.inspection, iris.inspection(ref))
            self.add(node, ORG.member, iris.person(account.people[person_slug]))
            self.add(node, ORG.organization, iris.organisation(OrgRef("org", "ofsted")))
            self.add(node, ORG.role, iris.concept(role))
            if member.inspector_grade:
                self.add(node, OKG.inspectorGrade, Literal(member.inspector_grade))
            self.evidence(node, member.evidence)
        for (path, holder, begin), tenure in account.tenures.items():
            self.tenure(path, holder, begin, tenure, account)
        for (ref, number), f in account.findings.items():
            node = self.numbered_text(iris.finding(ref, number), OKG.Finding, ref, number, f.text, f.themes)
            self.add(node, OKG.numberPrinted, Literal(f.number_printed))
            if f.area:
                self.add(node, OKG.judgementArea, iris.concept(f.area))
            if f.polarity:
                self.add(node, OKG.polarity, iris.concept(f.polarity))
            self.evidence(node, f.evidence)
        for (ref, number), r in account.recommendations.items():
            node = self.numbered_text(iris.recommendation(ref, number), OKG.Recommendation, ref, number, r.text, r.themes)
            if r.addressed_to:
                self.add(node, OKG.addressedTo, self.organisation(r.addressed_to))
            for paragraph in r.cited_paragraphs:
                self.add(node, OKG.citesParagraph, Literal(paragraph, datatype=XSD.positiveInteger))
                if (ref, paragraph) in account.findings:
                    self.add(node, OKG.citesFinding, iris.finding(ref, paragraph))
            self.evidence(node, r.evidence)
        for (council, measure, ref_date, value), s in account.statistics.items():
            node = iris.statistic(council, measure, ref_date, value)
            self.types(node, OKG.Statistic, QB.Observation)
            self.add(node, QB.dataSet, iris.statistics_dataset())
            self.add(node, OKG.measure, iris.concept(measure))
            self.add(node, OKG.value, Literal(value, datatype=XSD.decimal))
            self.add(node, OKG.localAuthority, iris.council(council))
            if ref_date:
                self.add(node, OKG.refDate, date_literal(ref_date))
            if s.approximate:
                self.add(node, OKG.approximate, Literal(True))
            if s.inspection and s.inspection in account.inspections:
                self.add(node, OKG.statedIn, iris.inspection(s.inspection))
            self.evidence(node, s.evidence)
        acts = {act.key: act for act in read_acts()}
        for citation in account.citations:
            self.citation(citation, acts[citation.act])
        return self.graph

    def citation(self, citation: Citation, act: Act) -> None:
        """Words of a document citing legislation: the citation node (with its evidence) cites
        the sections, or the Act where no section is named; the document dcterms:references
        them and the Act, so "which documents cite the Children Act 1989" is one pattern."""
        span = citation.evidence[0]
        document = iris.document(span.document)
        node = iris.citation(span)
        self.types(node, OKG.LegislationCitation)
        self.add(node, OKG.citedIn, document)
        whole = URIRef(act.iri)
        self.add(whole, RDFS.label, Literal(act.title))
        self.add(document, DCTERMS.references, whole)
        for section in citation.sections:
            target = URIRef(act.section_iri(section))
            self.add(target, RDFS.label, Literal(f"section {section} of the {act.title}"))
            self.add(target, DCTERMS.isPartOf, whole)
            self.add(node, OKG.cites, target)
            self.add(document, DCTERMS.references, target)
        if not citation.sections:
            self.add(node, OKG.cites, whole)
        self.evidence(node, citation.evidence)

    def council(self, council, by_gss: dict) -> None:
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
        self.add(node, PROV.wasDerivedFrom, ID["dataset/la-lookup"])
        # the area the council governs, in ONS's statistical geography (not the same thing as the council)
        self.add(node, DCTERMS.spatial, URIRef(ons_geography(council)))
        if odc := odc_authority(council):
            self.add(node, RDFS.seeAlso, URIRef(odc))
        if item := read_wikidata().get(council.gss_code):  # the council's own item: the same organisation
            self.add(node, OWL.sameAs, URIRef(item))
        for gss in council.neighbours:
            if gss in by_gss:
                self.add(node, OKG.statisticalNeighbour, iris.council(by_gss[gss].slug))

    def numbered_text(self, node: URIRef, cls: URIRef, ref, number: int, text: str, themes: tuple[str, ...]) -> URIRef:
        """What findings and recommendations share: a numbered text of an inspection, with themes."""
        self.types(node, cls)
        self.add(node, OKG.inspection, iris.inspection(ref))
        self.add(node, OKG.number, Literal(number, datatype=XSD.positiveInteger))
        self.add(node, OKG.text, Literal(text))
        for theme in themes:
            self.add(node, OKG.theme, iris.concept(theme))
        return node

    def document(self, doc) -> None:
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

    def tenure(self, path: str, holder: str, begin: str, t: Tenure, account: Account) -> None:
        post = iris.post(path)
        org = self.organisation(t.organisation)
        self.types(post, ORG.Post)
        self.add(post, ORG.postIn, org)
        self.add(post, ORG.role, iris.concept(t.role))
        role_label = self.vocab.pref_labels.get(t.role, t.role)
        where = self.graph.value(org, SKOS.prefLabel) or self.graph.value(iris.council(t.concerns or ""), SKOS.prefLabel)
        label = role_label + (f" for {t.portfolio}" if t.portfolio else "")
        if t.concerns and t.organisation.kind == "org":
            label += f" for {self.graph.value(iris.council(t.concerns), SKOS.prefLabel)}"
        elif where:
            label += f", {where}"
        self.add(post, SKOS.prefLabel, Literal(label))
        if t.concerns:
            self.add(post, OKG.concerns, iris.council(t.concerns))
        elif t.organisation.kind == "council":
            self.add(post, OKG.concerns, iris.council(t.organisation.name))
        if t.portfolio:
            self.add(post, OKG.portfolio, Literal(t.portfolio))
        node = iris.tenure(path, holder, begin)
        self.types(node, OKG.Tenure, ORG.Membership)
        self.add(node, OKG.post, post)
        self.add(node, ORG.organization, org)
        self.add(node, ORG.role, iris.concept(t.role))
        if t.person:
            self.add(node, ORG.member, iris.person(t.person))
        if t.begin or t.end:
            interval = URIRef(f"{node}/interval")
            self.types(interval, TIME.Interval)
            self.add(node, ORG.memberDuring, interval)
            for value, part, predicate in ((t.begin, "beginning", TIME.hasBeginning), (t.end, "end", TIME.hasEnd)):
                if value:
                    instant = URIRef(f"{interval}/{part}")
                    self.types(instant, TIME.Instant)
                    self.add(interval, predicate, instant)
                    self.add(instant, TIME_PROPERTIES[precision(value)], date_literal(value))
        if t.attested:
            self.add(node, OKG.attestedOn, date_literal(t.attested))
        self.evidence(node, t.evidence)


def to_graph(account: Account, vocab: Vocabulary, graph=None) -> Graph:
    return Mapper(vocab, graph).map(account)

