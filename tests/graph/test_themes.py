"""Themes and polarity of findings: set only where the words say so."""

from __future__ import annotations

import pytest

from ofsted_kg.graph.parsers.themes import polarity, themes

POLARITY = [
    ("Strategy meetings are timely and well attended. Decision-making is effective.", "polarity/strength"),
    ("Plans are poor. Too many children wait too long for a decision.", "polarity/weakness"),
    ("Assessments are poor and rarely updated.", "polarity/weakness"),
    # negation outweighs the positive word in its own sentence
    ("The pre-proceedings process is not timely or used effectively.", "polarity/weakness"),
    ("Thresholds are not well understood by partner agencies.", "polarity/weakness"),  # "not", and "well" negated
    # sentences on both sides: no polarity (SIF 2015 paragraph 34, as a reviewer read it)
    ("Child protection conferences are well attended by partner agencies and meet statutory timescales. "
     "GPs do not always provide reports to conferences when they have relevant information.", None),
    ("Further work is required to embed the new model of practice.", "polarity/area-for-improvement"),
    ("The local authority operates 11 children's homes.", None),
    # one cue in passing is not the text saying so
    ("The police reviewed their process after a delay occurred in offering support.", None),
    # a contrast marker means the paragraph weighs both sides
    ("Most plans are detailed. However, some lack timescales and are poor.", None),
]


@pytest.mark.parametrize("text, expected", POLARITY)
def test_polarity(vocab, text, expected):
    assert polarity(text, vocab) == expected


def test_themes_are_whole_phrases(vocab):
    assert "theme/private-fostering" in themes("Arrangements to safeguard privately fostered children are poor.", vocab)
    assert "theme/assessments" not in themes("A risk assessment of the director's post was carried out.", vocab)
    assert themes("The weather was fine.", vocab) == ()


def test_findings_in_the_graph_with_a_polarity_are_one_sided(select):
    """Regression for the first review: these paragraphs weigh strengths against weaknesses."""
    rows = select("""SELECT ?f WHERE { VALUES ?f {
        <https://w3id.org/ofsted-kg/id/inspection/stoke-on-trent/sif/2015-06-01/finding/34>
        <https://w3id.org/ofsted-kg/id/inspection/stoke-on-trent/sif/2015-06-01/finding/109>
        <https://w3id.org/ofsted-kg/id/inspection/stoke-on-trent/ilacs/2022-10-03/finding/43> }
        ?f okg:polarity ?p }""")
    assert rows == []
