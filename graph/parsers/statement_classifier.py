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


class Phrases:
    """A vocabulary's cue phrases and theme keywords, each with the word a sentence must contain
    for the phrase to occur in it: the phrase's whole-word pattern (themes.phrase) is tried
    only on sentences containing that word, a plain substring test, so a sentence costs a few
    hundred substring tests and the patterns of the few phrases it may hold, not 350 regular
    expressions. The answers are those of trying every pattern (a phrase's words are all in
    any text it matches)."""

    def __init__(self, vocab: Vocabulary):
        def keyed(phrases) -> tuple[tuple[str, str], ...]:
            return tuple((max(p.split(), key=len), p) for p in phrases)

        self.weak = keyed(vocab.cues.get("polarity/weakness", ()) + vocab.cues.get("polarity/area-for-improvement", ()))
        self.strong = keyed(vocab.cues.get("polarity/strength", ()))
        # every theme's keywords in one list: (word, theme, phrase)
        self.keywords = tuple((word, key, p) for key, keywords in vocab.keywords.items() for word, p in keyed(keywords))


_PHRASES: dict[int, tuple[Vocabulary, Phrases]] = {}


def phrases_of(vocab: Vocabulary) -> Phrases:
    """The vocabulary's Phrases, made once per Vocabulary object (the build loads one)."""
    held = _PHRASES.get(id(vocab))
    if held is None or held[0] is not vocab:
        held = _PHRASES[id(vocab)] = (vocab, Phrases(vocab))
    return held[1]


def features(text: str, section: str, vocab: Vocabulary, hits: Counter[str] | None = None) -> str:
    """What the models read of a sentence: made-up words for its section and for each cue it
    uses (zzcuestrong, zzcueweak), then its words. `hits`: its cues() where counted already."""
    if hits is None:
        hits = cues(normalise_label(text), vocab)
    marks = [f"zzsection{section}"] + [f"zzcue{side}" for side, n in sorted(hits.items()) for _ in range(min(n, 3))]
    return " ".join(marks) + " " + text


def judge(text: str, section: str, vocab: Vocabulary) -> tuple[str, tuple[str, ...]]:
    """A sentence's polarity and themes (as polarity() and themes()), the sentence folded,
    its cues counted and its features made once for both."""
    if section == "judgement":
        return judged_heading(normalise_label(text)), ()  # a graded heading names an area, not a theme
    folded = normalise_label(text)
    hits = cues(folded, vocab)
    models = statement_model.load()
    read = features(text, section, vocab, hits)
    model = models.get("polarity")
    if section in IMPROVEMENT_SECTIONS:
        said = "polarity/weakness"
    elif model is not None:
        said = "polarity/" + best(model.scores(read))
    else:
        said = by_cues(folded, vocab, hits)
    return said, themes_of(folded, read, models.get("themes"), vocab)


def judged_heading(folded: str) -> str:
    return "polarity/strength" if STRONG_GRADES.search(folded) and "improvement" not in folded else "polarity/weakness"


def best(scores: dict[str, float]) -> str:
    return max(sorted(scores), key=scores.__getitem__)


def polarity(text: str, section: str, vocab: Vocabulary) -> str:
    """polarity/strength | weakness | mixed | neutral of one sentence in its section."""
    if section == "judgement":
        return judged_heading(normalise_label(text))
    return judge(text, section, vocab)[0]


def by_cues(folded: str, vocab: Vocabulary, sides: Counter[str] | None = None) -> str:
    if sides is None:
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
    known = phrases_of(vocab)
    hits: Counter[str] = Counter()
    for word, cue in known.weak:
        if word in folded:
            hits["weak"] += len(phrase(cue).findall(folded))
    for word, cue in known.strong:
        if word in folded:
            for m in phrase(cue).finditer(folded):
                hits["weak" if NEGATION.search(folded[: m.start()]) else "strong"] += 1
    return hits


def keyword_themes(text: str, vocab: Vocabulary, folded: str | None = None) -> list[str]:
    """The themes whose keywords the sentence uses, first mentioned first."""
    if folded is None:
        folded = normalise_label(text)
    first: dict[str, int] = {}
    for word, key, keyword in phrases_of(vocab).keywords:
        if word in folded and (m := phrase(keyword).search(folded)) and m.start() < first.get(key, len(folded)):
            first[key] = m.start()
    return sorted(first, key=lambda k: (first[k], k))


def themes(text: str, section: str, vocab: Vocabulary) -> tuple[str, ...]:
    """The keyword themes, at most three; where no keyword occurs, the theme model's best
    theme if it scores above the model's threshold. The model fills gaps only: keywords are
    the more precise, and a theme given on a guess would make recurring weaknesses out of
    nothing (the choice was measured, bench/train_findings.py)."""
    if section == "judgement":
        return ()  # a graded heading names an area, not a theme (the labelling guide's rule)
    return judge(text, section, vocab)[1]


def themes_of(folded: str, read: str, model, vocab: Vocabulary) -> tuple[str, ...]:
    found = keyword_themes("", vocab, folded)[:MAX_THEMES]
    if not found and model is not None:
        scores = model.scores(read)
        top = best(scores)
        if scores[top] > model.threshold:
            found = [top]
    return tuple(found)
