"""The document text renderer: spans as nested marks, crossing spans split, everything escaped."""

from __future__ import annotations

import pytest

from ofsted_kg.server.linked_data.document_text import BadSpan, Span, parse_char, render

from .html_reading import Page


def marked(text: str, spans: list[Span]) -> tuple[Page, list[Span]]:
    html, split = render(text, spans)
    return Page(f'<pre id="all">{html}</pre>'), split


def test_nested_spans_each_hold_exactly_their_text():
    text = "Overall effectiveness: Inadequate. Leaders do not know."
    page, split = marked(text, [Span(0, 34), Span(23, 33), Span(35, 55)])
    assert not split
    assert page.texts["all"] == text
    for start, end in ((0, 34), (23, 33), (35, 55)):
        assert page.texts[f"char={start},{end}"] == text[start:end]


def test_a_crossing_span_is_split_and_its_first_piece_keeps_the_id():
    text = "abcdefghij"
    page, split = marked(text, [Span(0, 5), Span(3, 8)])
    assert split == [Span(3, 8)]
    assert page.texts["char=0,5"] == "abcde" and page.texts["char=3,8"] == "de"
    assert page.texts["all"] == text


def test_a_requested_span_that_is_also_evidence_is_one_mark():
    html, _ = render("abcdef", [Span(1, 3), Span(1, 3, requested=True)])
    assert html.count('id="char=1,3"') == 1 and "requested" in html


def test_text_is_escaped_and_spans_outside_the_text_are_left_out():
    page, _ = marked("<b>&</b>", [Span(0, 3), Span(5, 99)])
    assert page.texts["all"] == "<b>&</b>" and page.texts["char=0,3"] == "<b>"
    assert "char=5,99" not in page.ids
    assert render("<b>&</b>", [])[0] == "&lt;b&gt;&amp;&lt;/b&gt;"


@pytest.mark.parametrize("value", ["", "1", "a,b", "2,1", "1,1", "0,11", "-1,3", "1,2,3", "1.5,2"])
def test_a_char_parameter_must_be_a_span_of_the_text(value):
    with pytest.raises(BadSpan):
        parse_char(value, 10)


def test_a_good_char_parameter():
    assert parse_char("0,10", 10) == Span(0, 10, requested=True)
