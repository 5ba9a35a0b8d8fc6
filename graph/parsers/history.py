"""What a text says about a council's earlier inspections, and their grades.

"The previous inspection of the local authority's safeguarding arrangements was in August
2011. The local authority was judged to be adequate." / "The last full inspection was in
August 2015. All of the judgements were requires improvements to be good" / "since the last
inspection in February 2019, when services were found to be inadequate" / "Stoke's previous
inspection in 2015, when it was rated as requires improvement" / "a focused visit in April
2018" / "the fourth monitoring visit since the local authority was judged inadequate in
March 2019". Each gives a (possibly partial) reference to an earlier inspection and, where
stated, its overall grade, which the resolver attaches to the inspection it names.
"""

from __future__ import annotations

import re

from ..model.records import Inspection, InspectionRef, Judgement
from ..reference.vocabulary import Vocabulary
from .dates import RANGE, parse_date, parse_range
from .evidence import match_span
from .patterns import APOS

WHEN = r"(?:(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+)?(?:19|20)\d\d"
OVERALL = "overall"  # resolved to the overall area of the framework of the inspection the claim names


def earlier_inspections(text: str, document: str, vocab: Vocabulary, council: str) -> tuple[list[Inspection], list[Judgement]]:
    # Earlier inspections may be graded on the pre-2013 scale ("judged to be adequate").
    grade = rf"(?P<grade>{vocab.label_pattern('grade')}|{vocab.label_pattern('legacy-grade')})"
    forms = [
        # "... of the local authority's services for looked after children was in August 2011. The local
        # authority was judged to be adequate"; "... of Sandwell's safeguarding arrangements for the
        # protection of children took place between 25 February and 6 March 2013. The local authority
        # was judged inadequate" (the 2013 unannounced inspection of child protection)
        (
            rf"previous\s+inspection\s+of\s+(?:the\s+local\s+authority|[\w-]+(?:\s+[\w-]+){{0,3}}){APOS}s\s+"
            rf"(?P<what>safeguarding\s+arrangements(?:\s+for\s+the\s+protection\s+of\s+children)?|arrangements\s+for\s+the\s+protection\s+of\s+children"
            rf"|services\s+for\s+(?:looked\s+after\s+children|children\s+looked\s+after))\s+"
            rf"(?:was\s+in\s+(?P<when>{WHEN})|took\s+place\s+between\s+(?P<range>{RANGE}))\.\s+The\s+local\s+authority\s+was\s+judged\s+(?:to\s+be\s+)?{grade}",
            None,
        ),
        (
            rf"(?:last|previous)\s+full\s+inspection\s+was\s+in\s+(?P<when>{WHEN})\.\s+All\s+of\s+the\s+judgements\s+were\s+{grade}",
            None,
        ),
        (
            rf"(?:last|previous)\s+inspection\s+in\s+(?P<when>{WHEN}),\s+when\s+(?:services\s+were\s+found\s+to\s+be|it\s+was\s+rated\s+as)\s+{grade}",
            None,
        ),
        (rf"(?:a|the)\s+focused\s+visit\s+in\s+(?P<when>{WHEN})", "focused-visit"),
        # a 2013 looked after children report on the combined inspection before it
        (
            rf"inspection\s+of\s+safeguarding\s+and\s+looked\s+after\s+children\s+arrangements\s+in\s+(?P<when>{WHEN})\s+judged\s+overall\s+effectiveness\s+for\s+looked\s+after\s+children\s+as\s+{grade}",
            "legacy-looked-after",
        ),
        (rf"(?:authority|council)\s+was\s+judged\s+{grade}\s+in\s+(?P<when>{WHEN})", None),
    ]
    inspections: list[Inspection] = []
    judgements: list[Judgement] = []
    for form, kind in forms:
        for m in re.finditer(form, text, re.I):
            what = re.sub(r"\s+", " ", m.groupdict().get("what") or "").lower()
            kind_ = kind or ("legacy-looked-after" if "looked after" in what else "legacy-safeguarding" if what else None)
            when = parse_range(m["range"])[0] if m.groupdict().get("range") else parse_date(re.sub(r"\s+", " ", m["when"]))
            ref = InspectionRef(council, kind_, when)
            evidence = (match_span(text, document, m),)
            inspections.append(Inspection(ref, evidence))
            if m.groupdict().get("grade"):
                grade_key = vocab.concept("grade", m["grade"]) or vocab.concept("legacy-grade", m["grade"])
                if grade_key:
                    area = {
                        "legacy-safeguarding": "legacy-area/safeguarding",
                        "legacy-looked-after": "legacy-area/looked-after",
                    }.get(kind_ or "", OVERALL)
                    judgements.append(Judgement(ref, area, grade_key, evidence))
    return inspections, judgements


PREVIOUS_LIST = re.compile(rf"(?P<when>{WHEN})\.\s+The\s+judgements\s+for\s+the\s+local\s+authority\s+were:")
LIST_GAP = 120  # characters between one listed judgement and the next, at most (a bullet and a line break)


def previous_judgements(text: str, document: str, statements: list, council: str, framework: str):
    """A re-inspection recounts the last inspection's grades: "... in May 2015. The judgements
    for the local authority were: - overall effectiveness: inadequate - children who need help
    and protection: inadequate ...". Returns the earlier inspection, its judgements, and the
    statements they used (which are not the re-inspection's own)."""
    m = PREVIOUS_LIST.search(text)
    if not m:
        return None, [], set()
    ref = InspectionRef(council, framework, parse_date(re.sub(r"\s+", " ", m["when"])))
    used, position = [], m.end()
    for statement in sorted((s for s in statements if s.start >= m.end()), key=lambda s: s.start):
        if statement.start - position > LIST_GAP:
            break
        used.append(statement)
        position = statement.end
    judgements = [Judgement(ref, s.area, s.grade, (s.span,)) for s in used]
    return Inspection(ref, (match_span(text, document, m),)), judgements, {id(s) for s in used}
