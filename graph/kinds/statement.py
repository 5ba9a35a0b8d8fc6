"""Statements: the sentences of reports and letters that may carry a judgement (issue 12).

Each sentence of a report's summary, judgement, paragraph, improvement and recommendation
sections and of a letter's paragraphs is read from every document (parsers/sentences.py)
with its polarity and themes (parsers/statement_classifier.py). Which inspection it is of,
and which finding or recommendation holds it, is settled after all documents are merged
(`finish`): the inspection the document reports, and the finding or recommendation whose
evidence contains the sentence's first words. The same sentence in a report's PDF and its
Markdown conversion is one statement with the evidence of both.
"""

from __future__ import annotations

import bisect
import hashlib
from dataclasses import replace

from ..input.documents import DocumentText
from ..model.account import Account, add
from ..model.records import InspectionRef, Span, Statement
from ..parsers import statement_classifier
from ..parsers.sentences import document_sentences
from ..rdf import iris
from ..rdf.mapper import Mapper
from ..rdf.namespaces import OKG, PROV
from ..reference.vocabulary import load_vocabulary, normalise_label
from .fact_kind import Merging, declare


def read(doc: DocumentText) -> tuple[Statement, ...]:
    vocab = load_vocabulary()
    return tuple(
        Statement(s.section, s.text, bare(s.spans), *statement_classifier.judge(s.text, s.section, vocab))
        for s in document_sentences(doc)
    )


def bare(spans: tuple[Span, ...]) -> tuple[Span, ...]:
    """A statement's spans without oa:prefix and oa:suffix: a report has hundreds of sentences,
    and the two context strings were two of a statement's 24 triples and most of its bytes.
    The evidence (document, offsets, exact quote) is whole; the quote's context is the
    sentences before and after it, statements themselves."""
    return tuple(replace(span, prefix="", suffix="") for span in spans)


def merge(statement: Statement, merging: Merging) -> None:
    # keyed by where it is until finish() knows the inspection
    merging.add("statements", (statement.evidence[0].document, statement.evidence[0].start), statement)


def finish(account: Account) -> None:
    """Statements re-keyed by (inspection, words): each placed in the inspection its document
    reports and in the finding or recommendation holding it; those of a document that reports
    no inspection of the build are left out."""
    reported = {key: ref for ref, keys in account.reports.items() for key in keys}
    holders = Holders(account)
    placed: dict = {}
    for (document, start), statement in sorted(account.table("statements").items()):
        ref = reported.get(document)
        if ref is None:
            continue
        finding = holders.number("findings", ref, document, start)
        recommendation = holders.number("recommendations", ref, document, start)
        section = "paragraph" if finding is not None and statement.section == "summary" else statement.section
        statement = replace(statement, inspection=ref, finding=finding, recommendation=recommendation, section=section)
        add(placed, (ref, words(statement.text)), statement)
    account.facts["statements"] = placed


def words(text: str) -> str:
    """A sentence's identity within an inspection: its words, folded (PDF and Markdown print
    the same sentence with different quotes, dashes and markup)."""
    return normalise_label(text)


class Holders:
    """The findings and recommendations of the account by document, for finding which one holds a span."""

    def __init__(self, account: Account):
        self.index: dict[tuple[str, str], list[tuple[int, int, InspectionRef, int]]] = {}
        for kind in ("findings", "recommendations"):
            for (ref, number), record in account.table(kind).items():
                for span in record.evidence:
                    self.index.setdefault((kind, span.document), []).append((span.start, span.end, ref, number))
        for spans in self.index.values():
            spans.sort(key=lambda s: s[:2])
        self.starts = {where: [s[0] for s in spans] for where, spans in self.index.items()}  # bisected without a key function

    def number(self, kind: str, ref: InspectionRef, document: str, start: int) -> int | None:
        spans = self.index.get((kind, document), [])
        at = bisect.bisect_right(self.starts.get((kind, document), []), start)
        for begin, end, holder, number in reversed(spans[max(0, at - 3) : at]):
            if begin <= start < end and holder == ref:
                return number
        return None


# made once: rdflib makes a new URIRef at each OKG.x, and a statement's node takes seven
STATEMENT, INSPECTION, TEXT, SECTION, POLARITY, THEME = (
    OKG.Statement,
    OKG.inspection,
    OKG.text,
    OKG.section,
    OKG.polarity,
    OKG.theme,
)
PART_OF_FINDING, PART_OF_RECOMMENDATION = OKG.partOfFinding, OKG.partOfRecommendation
RAISING, RAISED_IN, RAISED_THEME, DERIVED_FROM = OKG.WeaknessRaising, OKG.raisedIn, OKG.raisedTheme, PROV.wasDerivedFrom
RAISES = frozenset({"polarity/weakness", "polarity/mixed"})  # the polarities that raise a theme as a weakness


def triples(mapper: Mapper, key: tuple[InspectionRef, str], statement: Statement, account: Account) -> None:
    ref, said = key
    node = iris.part_of(ref, "statement", hashlib.sha1(said.encode()).hexdigest()[:12])
    mapper.types(node, STATEMENT)
    mapper.add(node, INSPECTION, iris.inspection(ref))
    mapper.add(node, TEXT, mapper.text(statement.text))
    mapper.add(node, SECTION, mapper.text(statement.section))
    mapper.add(node, POLARITY, iris.concept(statement.polarity))
    for theme in statement.themes:
        mapper.add(node, THEME, iris.concept(theme))
    if statement.finding is not None and (ref, statement.finding) in account.table("findings"):
        mapper.add(node, PART_OF_FINDING, iris.finding(ref, statement.finding))
    if statement.recommendation is not None and (ref, statement.recommendation) in account.table("recommendations"):
        mapper.add(node, PART_OF_RECOMMENDATION, iris.recommendation(ref, statement.recommendation))
    mapper.evidence(node, statement.evidence)
    if statement.polarity in RAISES:
        for theme in statement.themes:
            raising(mapper, ref, theme, node, statement)


def raising(mapper: Mapper, ref: InspectionRef, theme: str, node, statement: Statement) -> None:
    """The inspection raised `theme` as a weakness: one okg:WeaknessRaising per inspection and
    theme, derived from each of its statements that reads as a weakness or mixed with that
    theme, and quoting their words. Every such statement of the inspection adds itself (the
    node's other triples are the same from each, and a graph holds a triple once).

    It is the statements counted once, at build time: counting inspections per theme from the
    statements themselves reads every weakness statement of the graph (307,370 at ten times
    England, 12 to 17 s for a saved query's first page); the raisings are under a quarter as
    many (69,460), read by two properties of their own (issue 15)."""
    node_raising = iris.part_of(ref, "weakness", iris.concept_key(theme))
    mapper.types(node_raising, RAISING)
    mapper.add(node_raising, RAISED_IN, iris.inspection(ref))
    mapper.add(node_raising, RAISED_THEME, iris.concept(theme))
    mapper.add(node_raising, DERIVED_FROM, node)
    mapper.evidence(node_raising, statement.evidence)


SUMMARY = ("Statement", "statements")  # counted in the build's one-line summary
MISSING = "no sentences of judgement"  # the extraction report's words for a report or letter without any
KIND = declare(__name__, name="statements", record=Statement, rank=55, summary=SUMMARY, expected=MISSING)
