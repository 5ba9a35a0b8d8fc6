"""The physical layout of a document's text: lines, pages, page furniture, paragraphs.

Reports arrive as PDF text (no blank lines between paragraphs, running headers and page
numbers at each form feed, SIF footnotes at page feet) or as a Markdown conversion (blank
lines between paragraphs and at page breaks, footnotes after a `---` rule). This module
turns either into lines tagged as body or furniture, so a paragraph broken by a page break
can be joined back together while its evidence stays a set of exact spans of the original.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from ..model.records import Span
from .evidence import span

MARKUP = re.compile(r"<sup>\d+</sup>|<[^>]+>|\*\*|^\s*#+\s*|^\s*\|\s*|\s*\|\s*$|\\")
BULLET = re.compile(r"^\s*(?:[\u25fc\u25aa\u2022\uf0b7\uf06e\uf02d\uf0a7\u25cf\u2013-]|\*(?!\*))\s+")
# Compiled once: a document's every line is cleaned, and re.sub with a pattern's text looks
# the pattern up in re's cache at each call
FOOTNOTE_MARK = re.compile(r"<sup>\d+</sup>")
SPACES = re.compile(r"\s+")
DIGITS = re.compile(r"\d+")
LINE_END = re.compile(r"[\n\f]")
CLOSING_MARK = re.compile(r"[.!?:;)'\u2019\"\u201d]$")  # what a line ending a sentence ends with
#: a footnote number glued to a heading's last word ("area2")
GLUED_NUMBER = re.compile(r"(?<=[a-z])\d{1,2}$")


@dataclass(frozen=True)
class Line:
    start: int  # offset of the line's first character in the document text
    end: int  # offset just past its last character (the newline or form feed excluded)
    page: int
    clean: str  # the line without markup, for classification and for record text
    furniture: bool  # running header, page number or footnote: never part of a paragraph

    @property
    def blank(self) -> bool:
        return not self.clean


def clean_line(raw: str) -> str:
    raw = FOOTNOTE_MARK.sub("", raw)  # a footnote mark, glued to its word as in the PDF
    return SPACES.sub(" ", MARKUP.sub(" ", raw)).strip()


def split_lines(text: str) -> list[tuple[int, int, int]]:
    """(start, end, page) for every line; form feeds end a line and a page."""
    out, page, start = [], 1, 0
    for m in LINE_END.finditer(text):
        out.append((start, m.start(), page))
        if m.group() == "\f":
            page += 1
        start = m.end()
    if start < len(text):
        out.append((start, len(text), page))
    return out


def lines(text: str) -> list[Line]:
    raw = split_lines(text)
    furniture = pdf_furniture(text, raw) if "\f" in text else markdown_furniture(text, raw)
    return [
        Line(start, end, page, clean_line(text[start:end]), index in furniture) for index, (start, end, page) in enumerate(raw)
    ]


def pdf_furniture(text: str, raw: list[tuple[int, int, int]]) -> set[int]:
    """Lines that are page furniture in PDF text: page numbers, running headers that recur at
    the top of many pages (digits ignored), and SIF footnotes (a blank-ish line, then a
    line opening with the footnote number, down to the page end)."""
    by_page: dict[int, list[int]] = {}
    for index, (_, _, page) in enumerate(raw):
        by_page.setdefault(page, []).append(index)

    def shape(index: int) -> str:
        start, end, _ = raw[index]
        return DIGITS.sub("#", text[start:end].strip())

    tops = Counter(shape(i) for indexes in by_page.values() for i in indexes[:2])
    recurring = {s for s, n in tops.items() if n >= max(3, len(by_page) // 3) and s and s != "#"}
    marked: set[int] = set()
    for indexes in by_page.values():
        for i in indexes[:3]:
            if shape(i) == "#" or shape(i) in recurring:
                marked.add(i)
        for position, i in enumerate(indexes):
            start, end, _ = raw[i]
            line = text[start:end]
            if line.strip() == "" and line != "" and position + 1 < len(indexes):
                nxt = text[raw[indexes[position + 1]][0] : raw[indexes[position + 1]][1]]
                if re.match(r"\d{1,2}(?:\s|$)", nxt):
                    marked.update(indexes[position:])
                    break
        if indexes and shape(indexes[-1]) == "#":
            marked.add(indexes[-1])
    return marked


def markdown_furniture(text: str, raw: list[tuple[int, int, int]]) -> set[int]:
    """Footnote blocks in the Markdown conversion: a `---` rule and the <sup>n</sup> notes after it."""
    marked: set[int] = set()
    in_notes = False
    for index, (start, end, _) in enumerate(raw):
        line = text[start:end].strip()
        if line == "---":
            in_notes, marked = True, marked | {index}
        elif in_notes and (line == "" or line.startswith("<sup>")):
            marked.add(index)
        else:
            in_notes = False
    return marked


@dataclass(frozen=True)
class Block:
    """A paragraph or list item: the lines it spans, joined across page breaks."""

    lines: tuple[Line, ...]

    @property
    def text(self) -> str:
        return SPACES.sub(" ", " ".join(line.clean for line in self.lines)).strip()

    def spans(self, text: str, document: str) -> tuple[Span, ...]:
        """One span per run of consecutive body lines: a page break's furniture splits it."""
        runs: list[list[Line]] = [[]]
        for previous, line in zip((None, *self.lines), self.lines, strict=False):  # each line with the one before
            if previous is not None and not contiguous(text, previous, line):
                runs.append([])
            runs[-1].append(line)
        return tuple(span(text, document, run[0].start, run[-1].end) for run in runs if run)


def contiguous(text: str, a: Line, b: Line) -> bool:
    """True when only line breaks and blank lines lie between two lines."""
    return text[a.end : b.start].strip() == ""


def ends_sentence(line: str) -> bool:
    return bool(CLOSING_MARK.search(line.strip()))
