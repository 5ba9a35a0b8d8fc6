"""Inspection teams as reports print them.

"Lead inspector: Neil Penswick HMI"; "Lead inspectors: Rebecca Quested, His Majesty's
Inspector, and Matthew Reed, His Majesty's Inspector"; SIF's "Team inspectors: Shirley
Bailey HMI, ..., Ty Yousaf, Associate Inspector"; a letter's "Her Majesty's Inspectors for
this visit were Kathryn Grindrod and Andrew Waugh". Each member's evidence is the role's
label and their name as printed.
"""

from __future__ import annotations

import re

from ..evidence import span
from ..records import InspectionRef, TeamMember
from ..vocabulary import Vocabulary
from .patterns import APOS, INSPECTOR_GRADE, NAME_SHORTEST, WORD

PIECE_SEPARATOR = re.compile(r",\s*(?:and\s+)?|\s+and\s+")
CONTINUES = re.compile(r"(?:,|\band|\bAssociate|\bSenior|\bHer|\bHis|\bOfsted|\bMajesty" + APOS + r"s)\s*$")


def team_lines(text: str, document: str, vocab: Vocabulary, inspection: InspectionRef) -> list[TeamMember]:
    """Members from "<team role>: <names>" lines, which may run onto following lines."""
    role_pattern = re.compile(rf"^[ \t*#]*(?P<role>{vocab.label_pattern('team-role')})[ \t]*:[ \t]*", re.I | re.M)
    members: list[TeamMember] = []
    for m in role_pattern.finditer(text):
        role = vocab.concept("team-role", m["role"])
        if role is None:
            continue
        end = value_end(text, m.end())
        label = span(text, document, m.start("role"), m.end("role"))
        for name_start, name_end, name, grade in people_in(text, m.end(), end):
            evidence = (label, span(text, document, name_start, name_end))
            members.append(TeamMember(inspection, name, role, evidence, grade))
    return members


def value_end(text: str, start: int) -> int:
    """Where a team line's list of names ends: at the line end, unless the list plainly runs on
    (a trailing comma, "and" or the start of a grade, or a lone first name whose surname is on
    the next line: "Simon / Rushall")."""
    end = line_end(text, start)
    while end < len(text) and text[end] != "\f":
        nxt = line_end(text, end + 1)
        if not text[end + 1 : nxt].strip():
            break
        last = PIECE_SEPARATOR.split(text[start:end])[-1].strip()
        if not (CONTINUES.search(text[start:end]) or re.fullmatch(WORD, last)):
            break
        end = nxt
    return end


def line_end(text: str, start: int) -> int:
    """Where the line from start ends: a newline, a page break (form feed) or the end of the text."""
    m = re.compile(r"[\n\f]").search(text, start)
    return m.start() if m else len(text)


def people_in(text: str, start: int, end: int) -> list[tuple[int, int, str, str | None]]:
    """(start, end, name, inspector grade) of each person named in text[start:end]."""
    pieces, position = [], start
    for sep in PIECE_SEPARATOR.finditer(text, start, end):
        pieces.append((position, sep.start()))
        position = sep.end()
    pieces.append((position, end))
    people: list[tuple[int, int, str, str | None]] = []
    for a, b in pieces:
        piece = text[a:b]
        stripped = piece.strip().rstrip(".")
        if not stripped:
            continue
        a += len(piece) - len(piece.lstrip())
        b = a + len(stripped)
        if re.fullmatch(INSPECTOR_GRADE, stripped) and people:
            p_start, _, name, _ = people[-1]
            people[-1] = (p_start, b, name, collapse_grade(stripped))
            continue
        # the shortest name that leaves a grade: "John Gregg Senior Her Majesty's Inspector" is
        # John Gregg, a Senior HMI, not "John Gregg Senior"
        m = re.fullmatch(rf"(?P<name>{NAME_SHORTEST}),?(?:\s+(?P<grade>{INSPECTOR_GRADE}))?", stripped)
        if m:
            people.append((a, b, re.sub(r"\s+", " ", m["name"]), collapse_grade(m["grade"]) if m["grade"] else None))
    return people


def collapse_grade(grade: str) -> str:
    return re.sub(r"\s+", " ", grade.strip().strip("()").strip()).replace("\u2019", "'")


def visit_inspectors(text: str, document: str, inspection: InspectionRef) -> list[TeamMember]:
    """A letter's "Her Majesty's Inspectors for this visit were A and B." """
    m = re.search(
        rf"(?P<label>(?:Her|His)\s+Majesty{APOS}s\s+Inspectors?)\s+for\s+this\s+visit\s+(?:were|was)\s+(?P<names>[^.]+)\.",
        text,
    )
    if not m:
        return []
    label = span(text, document, m.start("label"), m.end("label"))
    grade = collapse_grade(re.sub(r"Inspectors$", "Inspector", label.exact))  # as printed, one inspector's worth
    return [
        TeamMember(inspection, name, "team-role/inspector", (label, span(text, document, a, b)), grade_ or grade)
        for a, b, name, grade_ in people_in(text, m.start("names"), m.end("names"))
    ]
