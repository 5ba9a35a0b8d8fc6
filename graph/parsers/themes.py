"""Themes and polarity of a finding or recommendation, from the ontology's keyword lists.

A theme applies when one of its okg:keyword phrases occurs as whole words. Polarity is set
only where the text says so: the okg:cue phrases of exactly one polarity occur more often
than the others' (a paragraph that weighs strengths against weaknesses gets none), because a
wrong polarity misleads more than a missing one.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..vocabulary import Vocabulary, normalise_label


@lru_cache(maxsize=4096)
def phrase(p: str) -> re.Pattern:
    return re.compile(r"(?<![\w-])" + r"\s+".join(re.escape(w) for w in p.split()) + r"(?![\w-])")


def themes(text: str, vocab: Vocabulary) -> tuple[str, ...]:
    folded = normalise_label(text)
    return tuple(sorted(key for key, keywords in vocab.keywords.items() if any(phrase(k).search(folded) for k in keywords)))


def polarity(text: str, vocab: Vocabulary) -> str | None:
    folded = normalise_label(text)
    counts = {key: sum(len(phrase(c).findall(folded)) for c in cues) for key, cues in vocab.cues.items()}
    ranked = sorted(counts.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] == 0:
        return None
    if len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]:
        return None
    return ranked[0][0]
