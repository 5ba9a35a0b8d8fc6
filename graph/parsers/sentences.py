"""A report's or letter's sentences, each with the section it stands in and its exact spans.

The statements of issue 12 are sentences: the summary and judgement sections, numbered
paragraphs, "What needs to improve" and recommendation items of a report, and a letter's
paragraphs. This module finds them in the document's text and says where each one is;
what each says (polarity, themes) is statement_classifier.py's job.

Sentences are split on the raw text, line by line, so that a sentence broken by a page
break (running header, page number) keeps one exact span per unbroken stretch. Front matter
(title, dates, the judgement table), the contents, the area's statistics, the inspection
team and Ofsted's boilerplate at the end are no sentences of judgement and are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..input.documents import DocumentText
from ..model.records import Span
from ..reference.vocabulary import fold, load_vocabulary
from . import judgements, legacy
from .evidence import span
from .layout import BULLET, GLUED_NUMBER, Line, clean_line, ends_sentence, lines
from .letter import CLOSING, is_letter
from .report import END_OF_REPORT, NUMBERED, framework, is_subheading, section_of

# Sections a statement can stand in (the labelled set's `section` values).
SECTIONS = ("summary", "judgement", "paragraph", "improve", "recommendation", "letter")

# Headings after which nothing is a judgement until the next heading of a known section.
SKIPPED_HEADINGS = {fold(h) for h in ("Contents", "Information about this local authority area", "The local authority")}
# A sentence ends at . ! or ? (and any closing quote or bracket) before a space and a capital,
# a digit or an opening quote: not after the abbreviations Ofsted's prose uses.
END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*(?=\s+[\"\u201c\u2018(\[*]*[A-Z0-9])")
ABBREVIATION = re.compile(r"(?:\b(?:e\.g|i\.e|etc|Mr|Mrs|Ms|Dr|St|No|para|paras|cf|vs)|\b[A-Z])\.$")
LETTER_START = re.compile(r"^\s*Dear\s", re.M)
MIN_WORDS = 4  # "Summary." or "Areas for improvement." are no statements


@dataclass(frozen=True)
class Sentence:
    section: str  # one of SECTIONS
    text: str  # the sentence without markup, bullets or paragraph number, on one line
    spans: tuple[Span, ...]  # its exact words: one span per stretch unbroken by page furniture


def document_sentences(doc: DocumentText) -> list[Sentence]:
    """Every sentence of a report or letter that may carry a judgement; none for any other document."""
    if is_letter(doc.text):
        return Reader(doc, letter=True).read()
    kind = framework(doc.text)
    if kind is None and legacy.recognise(doc.text):
        kind = "legacy"
    if kind is None:
        return []  # press, news, catalogues
    return Reader(doc, letter=False, scheme=f"{kind}-area").read()


TABLE_GAP = 300  # characters: the judgement table's rows stand closer together than this


def table_end(found: list[judgements.Statement]) -> int:
    """Where the first page's judgement table ends: the end of the first run of judgement
    statements standing close together (the headings further on repeat them, one an area)."""
    end = 0
    for statement in sorted(found, key=lambda s: s.start):
        if statement.start >= judgements.FIRST_PAGE or (end and statement.start - end > TABLE_GAP):
            break
        end = max(end, statement.end)
    return end


class Reader:
    """Walks a document's body lines, tracking the section, and cuts blocks of lines into sentences."""

    def __init__(self, doc: DocumentText, letter: bool, scheme: str = ""):
        self.doc, self.text, self.letter = doc, doc.text, letter
        self.sentences: list[Sentence] = []
        self.judgement_lines: dict[int, list[judgements.Statement]] = {}
        self.front_end = 0
        if not letter:
            found = judgements.statements(self.text, doc.key, load_vocabulary(), scheme)
            self.front_end = table_end(found)
            for s in found:
                if s.start >= self.front_end:
                    self.judgement_lines.setdefault(s.start, []).append(s)
        else:
            opening = LETTER_START.search(self.text)
            self.front_end = opening.end() if opening else 0

    def read(self) -> list[Sentence]:
        section = "letter" if self.letter else "summary"
        block: list[Line] = []
        previous: Line | None = None
        judged = [found[0] for _, found in sorted(self.judgement_lines.items())]
        emitted: set[int] = set()
        for line in lines(self.text):
            if line.furniture or line.end <= self.front_end:
                continue
            raw = self.text[line.start : line.end]
            if line.blank:
                if block and ends_sentence(block[-1].clean):
                    self.cut(block, section)
                    block = []
                continue
            if raw.lstrip().startswith("|"):  # a Markdown table row: the judgement table, figures
                continue
            if self.letter and CLOSING.match(line.clean):
                break
            if not self.letter and END_OF_REPORT.search(line.clean):
                self.cut(block, section)
                block, section = [], "skip"
                continue
            # a judgement heading ("The experiences and progress of children in care ... is: good")
            heading = next((j for j in judged if j.start < line.end and line.start < j.end), None)
            if heading is not None:
                self.cut(block, section)
                block, section, previous = [], "summary", line
                if heading.start not in emitted:
                    emitted.add(heading.start)
                    self.judgement(heading)
                continue
            at_start = previous is None or not block or ends_sentence(block[-1].clean)
            new = self.heading(line, at_start)
            if new is not None:
                self.cut(block, section)
                block, previous = [], line
                section = section if new == "keep" else new
                continue
            if section == "skip":
                continue
            starts_item = bool(BULLET.match(raw) or NUMBERED.match(line.clean))
            if starts_item and block:
                self.cut(block, section)
                block = []
            if NUMBERED.match(line.clean) and section == "summary":
                section = "paragraph"  # the numbered paragraphs after an area's summary
            block.append(line)
            previous = line
        self.cut(block, section)
        return self.sentences

    def heading(self, line: Line, at_start: bool) -> str | None:
        """The section a heading line opens ("skip" for sections without judgements), or None."""
        clean = GLUED_NUMBER.sub("", line.clean)
        folded = fold(clean)
        if self.letter:
            if folded.startswith("what needs to improve") or folded.startswith("areas for improvement"):
                return "improve"
            return "keep" if at_start and is_subheading(line.clean) else None
        if folded in SKIPPED_HEADINGS:
            return "skip"
        new = section_of(line.clean, folded)
        if new is not None:
            return {
                "recommendations": "recommendation",
                "improve": "improve",
                "end": "skip",
                "findings": "summary",
                "lscb-findings": "summary",
            }.get(new, "summary")
        if at_start and is_subheading(line.clean) and not BULLET.match(self.text[line.start : line.end]):
            return None if len(clean.split()) > 12 else "keep"
        return None

    def judgement(self, statement: judgements.Statement) -> None:
        s = statement.span
        words = clean_line(s.exact)
        if len(words.split()) >= MIN_WORDS:
            self.sentences.append(Sentence("judgement", words, (s,)))

    def cut(self, block: list[Line], section: str) -> None:
        """The sentences of a run of lines."""
        if not block or section == "skip":
            return
        # the lines joined by spaces, and where each line's text begins in the joined stream
        stream = " ".join(self.text[line.start : line.end] for line in block) + " "
        lines_at: list[tuple[int, Line]] = []
        at = 0
        for line in block:
            lines_at.append((at, line))
            at += line.end - line.start + 1
        begin = 0
        lead = BULLET.match(stream) or re.match(r"\s*\d{1,3}\.\s*", stream)
        if lead:
            begin = lead.end()
        for m in END.finditer(stream, begin):
            if ABBREVIATION.search(stream[max(begin, m.start() - 6) : m.start() + 1]):
                continue
            self.sentence(stream, lines_at, begin, m.end(), section)
            begin = m.end()
        self.sentence(stream, lines_at, begin, len(stream), section)

    def sentence(self, stream: str, lines_at: list[tuple[int, Line]], a: int, b: int, section: str) -> None:
        words = clean_line(BULLET.sub("", stream[a:b], count=1))
        if len(words.split()) < MIN_WORDS or not re.search(r"[a-z]", words):
            return
        # stream[a:b] in the document: a stretch of each line it covers, stretches joined where
        # only white space stands between them (not page furniture)
        runs: list[list[int]] = []
        for at, line in lines_at:
            start, end = max(a, at), min(b, at + line.end - line.start)
            if start >= end:
                continue
            first, last = line.start + start - at, line.start + end - at
            if runs and not self.text[runs[-1][1] : first].strip():
                runs[-1][1] = last
            else:
                runs.append([first, last])
        spans = [span(self.text, self.doc.key, first, last) for first, last in runs if self.text[first:last].strip()]
        if spans:
            self.sentences.append(Sentence(section, words, tuple(spans)))
