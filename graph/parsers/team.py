"""Inspection teams as reports print them.

"Lead inspector: Neil Penswick HMI"; "Lead inspectors: Rebecca Quested, His Majesty's
Inspector, and Matthew Reed, His Majesty's Inspector"; SIF's "Team inspectors: Shirley
Bailey HMI, ..., Ty Yousaf, Associate Inspector"; a letter's "Her Majesty's Inspectors for
this visit were Kathryn Grindrod and Andrew Waugh". Each member's evidence is the role's
label and their name as printed.
"""

from __future__ import annotations

import re

from ..model.records import InspectionRef, TeamMember
from ..reference.vocabulary import Vocabulary
from .evidence import span
from .patterns import APOS, INSPECTOR_GRADE, NAME_SHORTEST, WORD

PIECE_SEPARATOR = re.compile(r",\s*(?:and\s+)?|\s+and\s+|\s*/\s*")
CONTINUES = re.compile(r"(?:,|\band|\bAssociate|\bSenior|\bHer|\bHis|\bOfsted|\bMajesty" + APOS + r"s|\([^)]*)\s*$")
#: a next line that carries on the list: "and Teresa Lavelle-Hill", "(Associate Inspector)",
#: "HMI, Lorna Schlechte HMI", "designate)"
CARRIES_ON = re.compile(rf"^\s*(?:and\s|\(|[a-z]|{INSPECTOR_GRADE}(?:[,\s]|$))")
TITLE = re.compile(r"^(?:Dr|Mr|Mrs|Ms|Miss|Professor)\.?\s+")
#: a page number or footnote mark glued to the last name of a page ("Sarah Urding47")
GLUED_NUMBER = re.compile(r"(?<=[A-Za-z])\d{1,3}$")


def team_lines(text: str, document: str, vocab: Vocabulary, inspection: InspectionRef) -> list[TeamMember]:
    """Members from "<team role>: <names>" lines, which may run onto following lines. The
    role may carry a note ("Team inspectors (all HMI unless otherwise stated):"), lose its
    colon ("Deputy lead inspector Mike Ferguson") or follow another list on the same line
    ("... Margaret Farrow. Shadow inspector: Anne-Marie Born")."""
    role_pattern = re.compile(
        rf"(?:^[ \t*#]*|(?<=\.[ \t]))(?P<role>{vocab.label_pattern('team-role')})"
        rf"(?:[ \t]*\([^)\n]*\))?(?P<colon>[ \t]*:[ \t]*|[ \t]+(?-i:(?={WORD}[ \t]+{WORD})))",
        re.I | re.M,
    )
    # without its colon, a role is read only at a line's start ("Deputy lead inspector Mike Ferguson")
    found = [
        m
        for m in role_pattern.finditer(text)
        if vocab.concept("team-role", m["role"]) is not None
        and (":" in m["colon"] or m.start() == 0 or text[m.start() - 1] in "\n\f")
    ]
    members: list[TeamMember] = []
    for index, m in enumerate(found):
        role = vocab.concept("team-role", m["role"])
        assert role is not None  # `found` keeps only the labels the vocabulary knows
        end = value_end(text, m.end())
        if index + 1 < len(found):
            end = min(end, found[index + 1].start())
        label = span(text, document, m.start("role"), m.end("role"))
        for name_start, name_end, name, grade in people_in(text, m.end(), end):
            evidence = (label, span(text, document, name_start, name_end))
            members.append(TeamMember(inspection, name, role, evidence, grade))
    return members


def value_end(text: str, start: int) -> int:
    """Where a team line's list of names ends: at the line end, unless the list plainly runs on
    (a trailing comma, "and", an open bracket or the start of a grade; a lone first name whose
    surname is on the next line: "Simon / Rushall"; a next line that opens with "and", a
    bracket or a grade)."""
    end = line_end(text, start)
    while end < len(text) and text[end] != "\f":
        nxt = line_end(text, end + 1)
        following = text[end + 1 : nxt]
        if not following.strip() or re.match(r"\s*(?:Any\s+complaints|Information\s+about)", following):
            break
        last = PIECE_SEPARATOR.split(text[start:end])[-1].strip()
        if not (CONTINUES.search(text[start:end]) or re.fullmatch(WORD, last) or CARRIES_ON.match(following)):
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
        if text[position : sep.start()].count("(") > text[position : sep.start()].count(")"):
            continue  # a separator inside brackets: "(HMI, designate)"
        pieces.append((position, sep.start()))
        position = sep.end()
    pieces.append((position, end))
    people: list[tuple[int, int, str, str | None]] = []
    for a, b in pieces:
        piece = text[a:b]
        stripped = GLUED_NUMBER.sub("", piece.strip().rstrip(".")).rstrip(". ")
        if not stripped:
            continue
        a += len(piece) - len(piece.lstrip())
        b = a + len(stripped)
        if re.fullmatch(INSPECTOR_GRADE, stripped) and people:
            p_start, _, name, _ = people[-1]
            people[-1] = (p_start, b, name, collapse_grade(stripped))
            continue
        # a grade or title printed before the name: "HMI Susan Myers", "Dr Donna Neill"
        before = re.match(rf"(?:{INSPECTOR_GRADE}\s+|{TITLE.pattern})", stripped)
        prefix_grade = None
        if before and re.fullmatch(INSPECTOR_GRADE, before[0].strip()):
            prefix_grade = collapse_grade(before[0])
        body = stripped[before.end() :] if before else stripped
        # the shortest name that leaves a grade: "John Gregg Senior Her Majesty's Inspector" is
        # John Gregg, a Senior HMI, not "John Gregg Senior"
        m = re.fullmatch(rf"(?P<name>{NAME_SHORTEST}),?(?:\s+(?P<grade>{INSPECTOR_GRADE}))?", body)
        if m:
            grade = collapse_grade(m["grade"]) if m["grade"] else prefix_grade
            people.append((a, b, re.sub(r"\s+", " ", m["name"]), grade))
    return people


def collapse_grade(grade: str) -> str:
    return re.sub(r"\s+", " ", grade.strip().strip("()").strip()).replace("\u2019", "'").replace("(", "").replace(")", "")


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
