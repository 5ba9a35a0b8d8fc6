"""Quotes start and end on words: white space and list bullets are trimmed off a span, and its
offsets move with it, so text[start:end] == exact still holds."""

from __future__ import annotations

import re

import pytest

from ofsted_kg.graph.parsers.evidence import BULLETS, span

TEXT = "Areas for improvement:\n◼ Management oversight, direction and challenge.\n\uf0b7 Supervision\n\n"


@pytest.mark.parametrize("words", ["Management oversight, direction and challenge.", "Supervision"])
def test_a_bulleted_line_is_quoted_from_its_first_word_with_exact_offsets(words):
    line_start = TEXT.index(words) - 2  # the bullet and its space
    quoted = span(TEXT, "doc", line_start, TEXT.index(words) + len(words) + 1)
    assert quoted.exact == words and TEXT[quoted.start : quoted.end] == quoted.exact
    assert quoted.start == TEXT.index(words) and quoted.prefix.endswith(TEXT[line_start : quoted.start])


def test_a_bullet_at_the_end_and_inside_a_span():
    both = span(TEXT, "doc", TEXT.index("Management"), TEXT.index("Supervision"))
    assert both.exact.endswith("challenge.") and TEXT[both.start : both.end] == both.exact
    # a bullet inside a quote is the document's words between its ends: it stays
    whole = span(TEXT, "doc", TEXT.index("Management"), TEXT.index("Supervision") + len("Supervision"))
    assert "\uf0b7" in whole.exact and whole.exact.endswith("Supervision")


def test_a_dash_is_not_a_bullet_and_nothing_but_bullets_is_no_evidence():
    assert span("x -based work", "doc", 1, 13).exact == "-based work"
    with pytest.raises(ValueError):
        span("a ◼ \uf06e b", "doc", 1, 6)


def test_no_quote_of_the_seed_graph_starts_or_ends_with_a_bullet(built, select):
    rows = select("SELECT ?exact WHERE { ?q a oa:TextQuoteSelector ; oa:exact ?exact }")
    assert len(rows) > 600
    edges = {str(exact)[0] for (exact,) in rows} | {str(exact)[-1] for (exact,) in rows}
    assert not edges & BULLETS and not any(re.match(r"\s", e) for e in edges)
