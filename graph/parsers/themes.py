"""Themes and polarity of a finding or recommendation, from the ontology's keyword lists.

A theme applies when one of its okg:keyword phrases occurs as whole words. Polarity is set
only where the text says so, sentence by sentence (see polarity()): a paragraph that weighs
strengths against weaknesses gets none, because a wrong polarity misleads more than a missing
one.
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
    """Strength, weakness or area for improvement, only where the paragraph is one-sided.

    Each sentence counts once, by its strongest cue: an area-for-improvement phrase, else a
    weakness cue (negation included: "is not timely" is no strength), else a strength cue.
    A paragraph that has sentences on both sides ("... well attended. GPs do not always
    provide reports ...") gets no polarity.
    """
    afi, weak, strong = (vocab.cues.get(f"polarity/{k}", ()) for k in ("area-for-improvement", "weakness", "strength"))
    counts = {"afi": 0, "weak": 0, "strong": 0}
    for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z\u2018\u201c'\"])", text):
        folded = normalise_label(sentence)
        for side, cues in (("afi", afi), ("weak", weak), ("strong", strong)):
            if any(phrase(c).search(folded) for c in cues):
                counts[side] += 1
                break
    if counts["strong"] and not (counts["weak"] or counts["afi"]):
        return "polarity/strength"
    if counts["weak"] and not counts["strong"]:
        return "polarity/weakness"
    if counts["afi"] and not (counts["strong"] or counts["weak"]):
        return "polarity/area-for-improvement"
    return None
