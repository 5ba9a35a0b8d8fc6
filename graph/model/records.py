"""Typed records: what the parsers read out of a document, before any RDF exists.

Frozen dataclasses, one per kind of fact. Every fact carries the spans of text it was read
from (`Span`), so the mapping to triples can attach evidence to each. Dates are ISO strings
at the precision the text gives: "2019-02-04", "2019-03" or "2011".
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    """A stretch of a document's extracted text: text[start:end] == exact."""

    document: str  # the document key (see documents.document_key)
    start: int
    end: int
    exact: str
    prefix: str = ""
    suffix: str = ""


Evidence = tuple[Span, ...]


@dataclass(frozen=True)
class OrgRef:
    """An organisation as a document names it. kind: council | lscb | org (a reference organisation)."""

    kind: str
    name: str


@dataclass(frozen=True)
class InspectionRef:
    """Identity of an inspection: council, framework and start date, possibly partial.

    `kind` is the framework key that goes into the IRI (sif, ilacs, monitoring-visit,
    focused-visit, legacy-safeguarding, legacy-looked-after). A full `start` is the first day
    on site. Later texts name inspections loosely ("a full inspection in October", "the last
    full inspection was in August 2015"): then kind may be None and `start` is the month or
    year the text gives, which may be the start or the publication; the resolver matches it
    to a full reference.
    """

    council: str
    kind: str | None
    start: str


@dataclass(frozen=True)
class Inspection:
    ref: InspectionRef
    evidence: Evidence
    detail: str | None = None  # the finer inspection kind key, e.g. "inspection-kind/ilacs-standard"
    end: str | None = None
    published: str | None = None
    visit_ordinal: int | None = None
    follows: InspectionRef | None = None
    reported_in: str | None = None  # document key, when this document is the inspection's report


@dataclass(frozen=True)
class Judgement:
    inspection: InspectionRef
    area: str  # concept key, e.g. "ilacs-area/overall"
    grade: str  # concept key, e.g. "grade/inadequate"
    evidence: Evidence


@dataclass(frozen=True)
class Tenure:
    """Someone (or, where the text names nobody, an unnamed holder) in a post."""

    role: str  # concept key, e.g. "role/dfe-commissioner"
    organisation: OrgRef  # where the post is
    evidence: Evidence
    person: str | None = None
    concerns: str | None = None  # council name, for posts about a council held elsewhere (DfE commissioner)
    portfolio: str | None = None
    begin: str | None = None
    end: str | None = None
    attested: str | None = None  # the date on which the source says the holder was in post
    begins_with: InspectionRef | None = None  # "started on the first day of the inspection"


@dataclass(frozen=True)
class TeamMember:
    inspection: InspectionRef
    person: str
    role: str  # concept key, e.g. "team-role/lead-inspector"
    evidence: Evidence
    inspector_grade: str | None = None  # as printed: "HMI", "Associate Inspector", ...


@dataclass(frozen=True)
class Finding:
    inspection: InspectionRef
    number: int
    text: str
    evidence: Evidence
    number_printed: bool = True
    area: str | None = None
    themes: tuple[str, ...] = ()
    polarity: str | None = None


@dataclass(frozen=True)
class Recommendation:
    inspection: InspectionRef
    number: int
    text: str
    evidence: Evidence
    addressed_to: OrgRef | None = None
    cited_paragraphs: tuple[int, ...] = ()
    themes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Statistic:
    council: str
    measure: str  # concept key, e.g. "measure/children-looked-after"
    value: str  # decimal as text, exactly as the number reads ("110.6")
    evidence: Evidence
    ref_date: str  # the date the figure is for: every statistic has one (it is a dimension of the cube)
    inspection: InspectionRef | None = None
    approximate: bool = False  # "approximately 30 children per social worker"
    period: str | None = None  # a count over a span ending on ref_date, as xsd:duration: "P12M" ("in the last 12 months")
    qualifier: str | None = None  # the words that bound the figure, as printed: "over", "at least", "approximately"


@dataclass(frozen=True)
class Citation:
    """Words of a document that cite an Act of Parliament: "section 136 of the Education and
    Inspections Act 2006". One citation may name several sections ("section 17 or section 20
    of the Children Act 1989"); none where the text names only the Act."""

    act: str  # the Act's legislation.gov.uk key, e.g. "ukpga/2006/40"
    sections: tuple[str, ...]  # as printed, without subsections: ("136",), ("15A",)
    evidence: Evidence


@dataclass(frozen=True)
class CatalogueEntry:
    """What one catalogue (a manifest, a catalogue.csv, a listing of published file names)
    says of a document: its publication date and the URL it came from, with the words saying
    each. Only what the build took from this catalogue (publication.py decides which wins)."""

    catalogue: str  # the catalogue's document key
    issued: str | None = None
    url: str | None = None
    issued_evidence: Evidence = ()
    url_evidence: Evidence = ()


@dataclass(frozen=True)
class SourceDocument:
    """A document the graph cites: its identity and catalogue description."""

    key: str
    file_name: str
    media_type: str
    sha256: str
    character_count: int
    kind: str  # report | letter | news | press-release | catalogue
    title: str
    issued: str | None = None
    publisher: OrgRef | None = None
    licence: str | None = None  # an IRI
    rights: str | None = None  # a statement, where there is no licence IRI
    url: str | None = None
    entries: tuple[CatalogueEntry, ...] = ()  # where issued and url come from

    @property
    def issued_evidence(self) -> Evidence:
        return next((e.issued_evidence for e in self.entries if e.issued), ())


@dataclass(frozen=True)
class Extraction:
    """Everything one parser read from one document."""

    document: SourceDocument
    inspections: tuple[Inspection, ...] = ()
    judgements: tuple[Judgement, ...] = ()
    tenures: tuple[Tenure, ...] = ()
    team: tuple[TeamMember, ...] = ()
    findings: tuple[Finding, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()
    statistics: tuple[Statistic, ...] = ()
    councils: tuple[str, ...] = field(default=())  # council names the document is about
    not_judged: tuple[str, ...] = ()  # areas a report's table prints as "Not judged"
    reviews_lscb: bool = False  # a SIF report that includes the review of the safeguarding board
    citations: tuple[Citation, ...] = ()  # legislation the document cites
