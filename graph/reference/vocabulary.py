"""The ontology's concept schemes, read once into plain lookups the parsers can use.

Parsers never import rdflib: they match printed text against the labels in
ontology/concepts.ttl, handed to them as this `Vocabulary`. So a new way Ofsted prints a
grade or an area is one altLabel in the ontology, not a change of code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..model.user_errors import VocabularyError

ONTOLOGY_DIR = Path(__file__).resolve().parents[2] / "ontology"
CONCEPT_BASE = "https://w3id.org/ofsted-kg/def/"


MARKUP, SPACES = re.compile(r"<[^>]+>|[*#|]"), re.compile(r"\s+")


def normalise_label(text: str) -> str:
    """Lower case, straight apostrophes, single spaces, no markup or trailing punctuation."""
    # called for every statement of a build (its identity, statement.words): the markup
    # pattern only where one of its characters occurs
    if "<" in text or "*" in text or "#" in text or "|" in text:
        text = MARKUP.sub(" ", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u2013", "-").replace("\u2014", "-")
    text = SPACES.sub(" ", text).strip().lower()
    return text.rstrip(" .:;,?")


def fold(text: str) -> str:
    """The lookup key of a label: normalised, and each word without a final "s", so agreement
    and plurals ("require improvements to be good", "care leaver") find the same concept."""
    return " ".join(word[:-1] if len(word) > 3 and word.endswith("s") else word for word in normalise_label(text).split())


@dataclass(frozen=True)
class Vocabulary:
    labels: dict[str, dict[str, str]]  # scheme -> {folded label: concept key}
    pref_labels: dict[str, str]  # concept key -> preferred label
    keywords: dict[str, tuple[str, ...]]  # theme key -> phrases
    cues: dict[str, tuple[str, ...]]  # polarity key -> phrases

    def concept(self, scheme: str, label: str) -> str | None:
        return self.labels.get(scheme, {}).get(fold(label))

    def scheme_labels(self, scheme: str) -> list[str]:
        """Every label of a scheme, longest first, so alternations prefer the fullest match."""
        return sorted(self.labels.get(scheme, {}), key=lambda label: (-len(label), label))

    def label_pattern(self, scheme: str) -> str:
        """A regex alternation of a scheme's labels, tolerant of line breaks and markup between words."""
        parts = []
        for label in self.scheme_labels(scheme):
            words = [re.escape(word).replace("'", "['\u2019]") + "s?" for word in label.split(" ")]
            parts.append(r"(?:<[^>]+>|[\s*|])+".join(words))
        if not parts:
            raise VocabularyError(f"the concept scheme {scheme!r} has no labels in {ONTOLOGY_DIR / 'concepts.ttl'}")
        return "(?:" + "|".join(parts) + ")"


def concept_key(iri: str) -> str:
    return iri.removeprefix(CONCEPT_BASE)


@lru_cache(maxsize=4)
def load_vocabulary(concepts_file: Path = ONTOLOGY_DIR / "concepts.ttl") -> Vocabulary:
    from rdflib import Graph
    from rdflib.namespace import SKOS

    from ..rdf.namespaces import OKG

    graph = Graph()
    try:
        graph.parse(concepts_file, format="turtle")
    except (OSError, SyntaxError, ValueError) as error:
        raise VocabularyError(f"{concepts_file}: cannot be read as Turtle ({error})") from None

    labels: dict[str, dict[str, str]] = {}
    pref_labels: dict[str, str] = {}
    keywords: dict[str, list[str]] = {}
    cues: dict[str, list[str]] = {}
    for concept, scheme in sorted(graph.subject_objects(SKOS.inScheme)):
        key, scheme_key = concept_key(str(concept)), concept_key(str(scheme))
        table = labels.setdefault(scheme_key, {})
        for predicate in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):  # not notations: "1" is a page number too
            for label in graph.objects(concept, predicate):
                table.setdefault(fold(str(label)), key)
        pref = graph.value(concept, SKOS.prefLabel)
        if pref is not None:
            pref_labels[key] = str(pref)
        keywords[key] = sorted({normalise_label(str(k)) for k in graph.objects(concept, OKG.keyword)})
        cues[key] = sorted({normalise_label(str(c)) for c in graph.objects(concept, OKG.cue)})
    if not labels:
        raise VocabularyError(f"{concepts_file}: no concepts with skos:inScheme")
    return Vocabulary(
        labels=labels,
        pref_labels=pref_labels,
        keywords={k: tuple(v) for k, v in keywords.items() if v and k.startswith("theme/")},
        cues={k: tuple(v) for k, v in cues.items() if v and k.startswith("polarity/")},
    )
