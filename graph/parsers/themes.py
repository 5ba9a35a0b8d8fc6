"""Themes and polarity of a finding or recommendation, from the ontology's keyword lists.

A theme applies when one of its okg:keyword phrases occurs as whole words. Polarity is set
only where the text says so (see polarity()): a paragraph that weighs strengths against
weaknesses gets none, because a wrong polarity misleads more than a missing one.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from ..model.records import Finding, InspectionRef, Span
from ..reference.vocabulary import Vocabulary, normalise_label


def finding(inspection: InspectionRef, number: int, text: str, spans: tuple[Span, ...], vocab: Vocabulary, **printed) -> Finding:
    """A paragraph of findings with its themes and polarity read from its words: one place for
    every parser that reads findings (reports, letters, the 2013 layout). `printed`: what the
    layout tells of the paragraph (its judgement area, whether its number is printed)."""
    return Finding(inspection, number, text, spans, themes=themes(text, vocab), polarity=polarity(text, vocab), **printed)


@lru_cache(maxsize=4096)
def phrase(p: str) -> re.Pattern:
    return re.compile(r"(?<![\w-])" + r"\s+".join(re.escape(w) for w in p.split()) + r"(?![\w-])")


# Why a phrase is first looked for as a plain substring: the text is folded by normalise_label
# (its only whitespace single spaces) and so is each phrase, so the phrase's pattern matches
# nowhere the phrase's own characters do not occur. `in` is C's substring search, some twenty
# times quicker than the pattern, whose look-behind makes it try every position; the pattern
# then decides the whole-word question only where the words occur. Same answers, a tenth of
# the time (themes and polarity were half the CPU of reading a report).
def occurs(p: str, folded: str) -> bool:
    return p in folded and phrase(p).search(folded) is not None


def themes(text: str, vocab: Vocabulary) -> tuple[str, ...]:
    folded = normalise_label(text)
    return tuple(sorted(key for key, keywords in vocab.keywords.items() if any(occurs(k, folded) for k in keywords)))


# Words that set one claim against another: a paragraph that uses them is weighing both sides.
CONTRAST = re.compile(r"\b(?:however|although|though|despite|but|while|whilst|yet|nevertheless|except)\b")
MIN_CUES = 2
NEGATION = re.compile(r"\b(?:not|no|never|nor|cannot)\s+(?:[\w-]+\s+){0,3}$")


def polarity(text: str, vocab: Vocabulary) -> str | None:
    """Strength, weakness or area for improvement, only where the paragraph is one-sided.

    A paragraph that sets claims against each other ("however", "although", "but", ...) has
    none. Otherwise each sentence is read for the sides its cues take: a weakness cue, or a
    strength cue negated just before it ("is not timely"), counts against; a strength cue
    for; an area-for-improvement phrase for improvement. The paragraph takes a polarity only
    when every cue in it takes the same side, and (but for an explicit area-for-improvement
    phrase) it has at least two.
    """
    folded = normalise_label(text)
    if CONTRAST.search(folded):
        return None
    # only the cues whose words occur in the paragraph can occur in one of its sentences (occurs())
    afi, weak, strong = (
        [c for c in vocab.cues.get(f"polarity/{k}", ()) if c in folded] for k in ("area-for-improvement", "weakness", "strength")
    )
    hits: Counter[str] = Counter()
    for sentence in re.split(r"(?<=[.!?])\s+", folded):
        hits["afi"] += sum(len(phrase(c).findall(sentence)) for c in afi if c in sentence)
        hits["weak"] += sum(len(phrase(c).findall(sentence)) for c in weak if c in sentence)
        for cue in (c for c in strong if c in sentence):
            for m in phrase(cue).finditer(sentence):
                hits["weak" if NEGATION.search(sentence[: m.start()]) else "strong"] += 1
    sides = {side for side, n in hits.items() if n}
    if sides == {"afi"}:  # "further work is required": an explicit phrase, once is enough
        return "polarity/area-for-improvement"
    if sum(hits.values()) < MIN_CUES:
        return None  # one word in passing ("after a delay occurred") is not the text saying so
    if sides == {"strong"}:
        return "polarity/strength"
    if sides == {"weak"} or sides == {"weak", "afi"}:
        return "polarity/weakness"
    return None
