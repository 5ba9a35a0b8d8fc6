"""What one sentence of a report says: its polarity and its themes.

Polarity is one of strength, weakness, mixed (one sentence states both) and neutral
(description, context, figures). Two sources, chosen by measurement (`make bench-findings`,
README "Statements"):
- rules from Ofsted's own wording: an improvement item (recommendations, "What needs to
  improve") is a weakness by definition; a judgement heading takes its grade's side (good and
  outstanding: strength); the cue phrases of ontology/concepts.ttl (okg:cue of each polarity
  concept) say which side a sentence takes, a strength cue negated just before it ("is not
  timely") counting as a weakness;
- a linear model over the sentence's words, its section and its cue counts, trained on the
  labelled set (statement_model.py), for every other sentence, where a model file exists.
Themes: the def:theme concepts whose okg:keyword phrases occur in the sentence (at most three),
or, where none occurs, the one the theme model scores highest, if above its threshold.
"""

from __future__ import annotations

import re
from collections import Counter

from ..reference.vocabulary import Vocabulary, normalise_label
from . import statement_model
from .themes import NEGATION, phrase

MAX_THEMES = 3
STRONG_GRADES = re.compile(r"\b(?:outstanding|good)$")
IMPROVEMENT_SECTIONS = ("improve", "recommendation")


def features(text: str, section: str, vocab: Vocabulary) -> str:
    """What the models read of a sentence: made-up words for its section and for each cue it
    uses (zzcuestrong, zzcueweak), then its words."""
    hits = cues(normalise_label(text), vocab)
    marks = [f"zzsection{section}"] + [f"zzcue{side}" for side, n in sorted(hits.items()) for _ in range(min(n, 3))]
    return " ".join(marks) + " " + text


def polarity(text: str, section: str, vocab: Vocabulary) -> str:
    """polarity/strength | weakness | mixed | neutral of one sentence in its section."""
    folded = normalise_label(text)
    if section in IMPROVEMENT_SECTIONS:
        return "polarity/weakness"
    if section == "judgement":
        return "polarity/strength" if STRONG_GRADES.search(folded) and "improvement" not in folded else "polarity/weakness"
    model = statement_model.load().get("polarity")
    if model is not None:
        scores = model.scores(features(text, section, vocab))
        return "polarity/" + max(sorted(scores), key=scores.__getitem__)
    return by_cues(folded, vocab)


def by_cues(folded: str, vocab: Vocabulary) -> str:
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


def keyword_themes(text: str, vocab: Vocabulary) -> list[str]:
    """The themes whose keywords the sentence uses, first mentioned first."""
    folded = normalise_label(text)
    first: dict[str, int] = {}
    for key, keywords in vocab.keywords.items():
        positions = [m.start() for k in keywords if (m := phrase(k).search(folded))]
        if positions:
            first[key] = min(positions)
    return sorted(first, key=lambda k: (first[k], k))


def themes(text: str, section: str, vocab: Vocabulary) -> tuple[str, ...]:
    """The keyword themes, at most three; where no keyword occurs, the theme model's best
    theme if it scores above the model's threshold. The model fills gaps only: keywords are
    the more precise, and a theme given on a guess would make recurring weaknesses out of
    nothing (the choice was measured, bench/train_findings.py)."""
    if section == "judgement":
        return ()  # a graded heading names an area, not a theme (the labelling guide's rule)
    found = keyword_themes(text, vocab)[:MAX_THEMES]
    model = statement_model.load().get("themes")
    if not found and model is not None:
        scores = model.scores(features(text, section, vocab))
        best = max(sorted(scores), key=scores.__getitem__)
        if scores[best] > model.threshold:
            found = [best]
    return tuple(found)
