"""What one sentence of a report says: its polarity and its themes.

Polarity is one of strength, weakness, mixed (one sentence states both) and neutral
(description, context, figures). The rules come from Ofsted's own wording:
- an improvement item (recommendations, "What needs to improve") is a weakness by definition;
- a judgement heading takes its grade's side (good and outstanding: strength);
- any other sentence is weighed by the cue phrases of ontology/concepts.ttl (okg:cue of each
  polarity concept), a strength cue negated just before it ("is not timely") counting as a
  weakness; cues on both sides make it mixed.
Themes are the def:theme concepts whose okg:keyword phrases occur in it, at most three.
How well this agrees with careful reading is measured by `make bench-findings` (README).
"""

from __future__ import annotations

import re
from collections import Counter

from ..reference.vocabulary import Vocabulary, normalise_label
from .themes import NEGATION, phrase

MAX_THEMES = 3
STRONG_GRADES = re.compile(r"\b(?:outstanding|good)$")
IMPROVEMENT_SECTIONS = ("improve", "recommendation")


def polarity(text: str, section: str, vocab: Vocabulary) -> str:
    """polarity/strength | weakness | mixed | neutral of one sentence in its section."""
    folded = normalise_label(text)
    if section in IMPROVEMENT_SECTIONS:
        return "polarity/weakness"
    if section == "judgement":
        return "polarity/strength" if STRONG_GRADES.search(folded) and "improvement" not in folded else "polarity/weakness"
    sides = cues(folded, vocab)
    if sides["strong"] and sides["weak"]:
        return "polarity/mixed"
    if sides["weak"]:
        return "polarity/weakness"
    if sides["strong"]:
        return "polarity/strength"
    return "polarity/neutral"


def cues(folded: str, vocab: Vocabulary) -> Counter[str]:
    """How many cue phrases of each side a (folded) sentence uses."""
    weak = vocab.cues.get("polarity/weakness", ()) + vocab.cues.get("polarity/area-for-improvement", ())
    strong = vocab.cues.get("polarity/strength", ())
    hits: Counter[str] = Counter()
    for cue in weak:
        hits["weak"] += len(phrase(cue).findall(folded))
    for cue in strong:
        for m in phrase(cue).finditer(folded):
            hits["weak" if NEGATION.search(folded[: m.start()]) else "strong"] += 1
    return hits


def themes(text: str, vocab: Vocabulary) -> tuple[str, ...]:
    """The themes whose keywords the sentence uses, first mentioned first, at most three."""
    folded = normalise_label(text)
    first: dict[str, int] = {}
    for key, keywords in vocab.keywords.items():
        positions = [m.start() for k in keywords if (m := phrase(k).search(folded))]
        if positions:
            first[key] = min(positions)
    return tuple(sorted(first, key=lambda k: (first[k], k))[:MAX_THEMES])
