"""The ILACS half of the findings labelled set (tests/fixtures/findings/labels-ilacs.yaml) keeps to
the schema in LABELS.md, so the findings bench can find every labelled sentence in its document.

Each text must be the document's own characters (an exact substring of the extracted text the
graph's offsets index), each label a known polarity and at most three theme keys of def:theme,
no sentence twice, and every held-apart document labelled in the file.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest
import yaml

from ofsted_kg.graph.input.documents import read_document
from ofsted_kg.graph.reference.vocabulary import load_vocabulary

LABELS = Path(__file__).resolve().parents[1] / "fixtures" / "findings" / "labels-ilacs.yaml"
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "reports"
POLARITIES = {"strength", "weakness", "mixed", "neutral"}
SECTIONS = {"summary", "judgement", "paragraph", "improve", "recommendation", "letter"}
MAX_THEMES = 3
MAX_PER_DOCUMENT = 10  # LABELS.md: "at most ~10 sentences per document"
MIN_SENTENCES, MIN_HELD_APART = 310, 60  # LABELS.md's target for each half of the set


@cache
def labelled() -> dict:
    return yaml.safe_load(LABELS.read_text(encoding="utf-8"))


@cache
def document_text(document: str) -> str:
    return read_document(CORPUS / document).text


def test_header_names_the_guide_the_labeller_and_the_sample():
    data = labelled()
    assert data["guide"] == "docs/labelling-findings.md"
    assert "no classifier output was consulted" in data["labelled_by"]
    assert "seed" in data["sample"]


def test_every_label_is_a_known_polarity_section_and_at_most_three_theme_keys():
    themes = {key.removeprefix("theme/") for key in load_vocabulary().pref_labels if key.startswith("theme/")}
    assert themes, "no def:theme concepts read from ontology/concepts.ttl"
    bad = []
    for n, s in enumerate(labelled()["sentences"]):
        if s["polarity"] not in POLARITIES or s["section"] not in SECTIONS:
            bad.append((n, s["polarity"], s["section"]))
        if not isinstance(s["themes"], list) or len(s["themes"]) > MAX_THEMES or len(set(s["themes"])) != len(s["themes"]):
            bad.append((n, s["themes"]))
        bad.extend((n, theme) for theme in s["themes"] if theme not in themes)
    assert bad == []


def test_no_sentence_twice_and_no_document_over_the_cap():
    sentences = labelled()["sentences"]
    twice = [key for key, count in Counter((s["document"], s["text"]) for s in sentences).items() if count > 1]
    assert twice == []
    per_document = Counter(s["document"] for s in sentences)
    assert max(per_document.values()) <= MAX_PER_DOCUMENT


def test_held_apart_documents_are_labelled_in_this_file():
    data = labelled()
    documents = {s["document"] for s in data["sentences"]}
    held = data["held_apart_documents"]
    assert held and len(set(held)) == len(held)
    assert set(held) <= documents
    assert set(held) < documents  # some documents are left for choosing the method


def test_the_set_is_as_large_as_the_spec_asks():
    data = labelled()
    held = set(data["held_apart_documents"])
    assert len(data["sentences"]) >= MIN_SENTENCES
    assert sum(s["document"] in held for s in data["sentences"]) >= MIN_HELD_APART


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not beside this checkout")
def test_every_text_is_the_documents_own_characters():
    missing = [(s["document"], s["text"][:60]) for s in labelled()["sentences"] if s["text"] not in document_text(s["document"])]
    assert missing == []
    assert all(s["text"] == s["text"].strip() and s["text"] for s in labelled()["sentences"])
