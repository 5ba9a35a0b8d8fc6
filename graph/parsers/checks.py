"""Internal consistency of what was read from one report (issue 4's checks).

Each report must yield exactly the judgement areas its framework prescribes, one grade
each, from the scale; start <= end <= publication; an overall grade for a full inspection;
a council that is one row of la_lookup.csv. A document that fails is listed with the
reason, never silently dropped or filled in. Frameworks: docs/domain.md in the shared folder.
"""

from __future__ import annotations

from itertools import pairwise

from ..model.records import Extraction
from ..reference.councils import CouncilIndex, UnknownCouncil

SIF_AREAS = {
    "sif-area/overall",
    "sif-area/help-and-protection",
    "sif-area/looked-after",
    "sif-area/adoption",
    "sif-area/care-leavers",
    "sif-area/leadership",
}
LSCB = "sif-area/lscb"
ILACS_AREAS = {"ilacs-area/overall", "ilacs-area/leaders", "ilacs-area/help-and-protection"}
ILACS_BEFORE_2023 = ILACS_AREAS | {"ilacs-area/in-care-and-care-leavers"}
ILACS_FROM_2023 = ILACS_AREAS | {"ilacs-area/in-care", "ilacs-area/care-leavers"}
CURRENT_SCALE = {"grade/outstanding", "grade/good", "grade/requires-improvement", "grade/inadequate"}
# The 2012-13 inspection of looked after children services: overall effectiveness, capacity to
# improve and three aspects, on the pre-2013 scale (adequate, never requires improvement).
LEGACY_LOOKED_AFTER_AREAS = {
    "legacy-area/looked-after",
    "legacy-area/looked-after-capacity",
    "legacy-area/looked-after-outcomes",
    "legacy-area/looked-after-provision",
    "legacy-area/looked-after-leadership",
}
LEGACY_SCALE = {"grade/outstanding", "grade/good", "grade/adequate", "grade/inadequate"}


def check_report(extraction: Extraction, councils: CouncilIndex) -> list[str]:
    """What is inconsistent in one report's extraction (empty when all is well)."""
    problems: list[str] = []
    own = extraction.inspections[0]
    judged: dict[str, set[str]] = {}
    scale = LEGACY_SCALE if own.ref.kind == "legacy-looked-after" else CURRENT_SCALE
    for j in extraction.judgements:
        if j.inspection == own.ref:
            judged.setdefault(j.area, set()).add(j.grade)
    for area, grades in sorted(judged.items()):
        if len(grades) > 1:
            problems.append(f"{area} has {len(grades)} grades ({', '.join(sorted(grades))})")
        if grades - scale:
            problems.append(f"{area} has a grade off the scale ({', '.join(sorted(grades - scale))})")
    expected = prescribed_areas(own.ref.kind or "", own.ref.start, set(judged), extraction.reviews_lscb)
    if expected is not None:
        expected -= set(extraction.not_judged)  # printed as "Not judged": prescribed, but given no grade
    if expected is not None and set(judged) != expected:
        missing, extra = sorted(expected - set(judged)), sorted(set(judged) - expected)
        problems.append(
            "judgement areas differ from the framework's:"
            + (f" missing {', '.join(missing)}" if missing else "")
            + (f" unexpected {', '.join(extra)}" if extra else "")
        )
    dates = [("start", own.ref.start), ("end", own.end), ("publication", own.published or extraction.document.issued)]
    known = [(name, value) for name, value in dates if value]
    for (a, x), (b, y) in pairwise(known):
        if x > y:
            problems.append(f"{a} {x} is after {b} {y}")
    if own.end is None:
        problems.append("no end date")
    if len(extraction.councils) != 1:
        problems.append(f"council {extraction.councils!r} is not exactly one row of la_lookup.csv")
    else:
        try:
            councils.identify(extraction.councils[0])
        except UnknownCouncil as error:
            problems.append(str(error))
    return problems


def prescribed_areas(framework: str, start: str, judged: set[str], lscb_reviewed: bool) -> set[str] | None:
    if framework == "sif":
        if judged == {LSCB}:  # a review of the safeguarding board alone, published on its own
            return {LSCB}
        # the LSCB is judged where the report includes the review of the board
        return SIF_AREAS | {LSCB} if lscb_reviewed else SIF_AREAS
    if framework == "ilacs":
        return ILACS_FROM_2023 if start >= "2023-01" else ILACS_BEFORE_2023
    if framework == "legacy-looked-after":
        return LEGACY_LOOKED_AFTER_AREAS
    return None
