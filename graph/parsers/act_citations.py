"""Citations of Acts of Parliament in a document's text, with the words as evidence.

What counts: an Act the reference table knows (graph/legislation.py), named by its title,
optionally preceded by the sections cited: "section 136 of the Education and Inspections Act
2006", "Section 17 or Section 20 of the Children Act 1989", "section 20 (Children Act 1989", "s20 of the Children Act 1989",
"section 136(2) of the ..." (the subsection is dropped: legislation.gov.uk identifies sections).
What does not: a bare "section 47 enquiries" or "section 11 audits" with no Act named. Reports
use those as terms of art, and "section 1" and "section 2" are also the headings of the
report itself; which Act a bare section belongs to is an inference, not something the text
says, so it is left out (docs/data-model.md, "Legislation cited").
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..model.records import Citation
from ..reference.legislation import Act
from .evidence import match_span

SECTION = r"[0-9]{1,3}[A-Z]{0,2}"  # 47, 15A, 497A, 23ZA
SUBSECTIONS = r"(?:\s*\([0-9]{1,3}[A-Za-z]?\))*"  # "(2)", "(1)(a)" is not read past the first bracket group
KEYWORD = r"(?:sections?|ss?\.|s(?=\s?[0-9]))"  # "section 20", "s.20", "s20"
ONE_SECTION = rf"(?<![A-Za-z]){KEYWORD}\s*{SECTION}{SUBSECTIONS}"
SECTIONS = rf"(?P<sections>{ONE_SECTION}(?:\s*(?:,|and|or)\s*(?:{ONE_SECTION}|{SECTION}{SUBSECTIONS}))*)"
CONNECTOR = r"(?:\s+of\s+(?:the\s+)?|\s*\(\s*(?:the\s+)?)"


def _words(title: str) -> str:
    """A title as a pattern that spans line breaks and either apostrophe."""
    return r"\s+".join(re.escape(word).replace("'", "['\u2019]") for word in title.split())


@lru_cache(maxsize=4)
def _pattern(acts: tuple[Act, ...]) -> tuple[re.Pattern, dict[str, Act]]:
    by_title = {}
    for act in acts:
        for title in (act.title, *act.printed):
            by_title[" ".join(title.lower().replace("\u2019", "'").split())] = act
    titles = "|".join(_words(t) for t in sorted(by_title, key=lambda t: (-len(t), t)))
    pattern = re.compile(rf"(?:{SECTIONS}{CONNECTOR})?(?<![A-Za-z])(?P<act>{titles})(?![0-9])", re.I)
    return pattern, by_title


def find_citations(text: str, document: str, acts: tuple[Act, ...]) -> tuple[Citation, ...]:
    pattern, by_title = _pattern(acts)
    citations = []
    for match in pattern.finditer(text):
        act = by_title[" ".join(match["act"].lower().replace("\u2019", "'").split())]
        sections = ()
        if match["sections"]:
            cut = re.sub(r"\([^)]*\)", "", match["sections"])  # subsections out, then each number after its keyword
            sections = tuple(dict.fromkeys(re.findall(rf"(?:{KEYWORD}|,|and|or)\s*({SECTION})(?![0-9])", cut, re.I)))
        citations.append(Citation(act.key, sections, (match_span(text, document, match),)))
    return tuple(citations)
