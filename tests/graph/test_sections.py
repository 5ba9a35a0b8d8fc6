"""Recommendations only from the sections that hold them, people only from names: each case
here is a layout of the corpus once read wrong (issue 16), written as the reports print it."""

from __future__ import annotations

from ofsted_kg.graph.model.records import InspectionRef
from ofsted_kg.graph.parsers.people import named_tenures, unnamed_tenures
from ofsted_kg.graph.parsers.report import Structure

REF = InspectionRef("Somewhere", "sif", "2015-01-01")


def walk(vocab, text: str) -> Structure:
    structure = Structure(text, "doc", vocab, REF, "sif-area", [], "Somewhere")
    structure.walk()
    return structure


SIF = """What does the local authority need to improve?
Priority and immediate action
1. The inspection did not find any areas for priority and immediate action.
Areas for improvement
Assessment, planning and participation
2. Ensure that plans always include clear and measurable objectives:
\u2022 in every plan
\u2022 for every child.
3. Improve the timeliness of the initial response to complaints.
The local authority\u2019s strengths
4. Managers know the service very well.
Section 2: The effectiveness of the local safeguarding
children board
Areas for improvement
119. Increase the range of multi-agency performance data.
120. Develop working links with the Family Justice Board.
Key strengths and weaknesses of the LSCB
121. The LSCB has not fully evaluated the effectiveness of local services, and
there has been insufficient challenge over panel
recommendations.
122. The Child Death Overview Panel is well-established.
What the inspection judgments mean: the LSCB
An outstanding LSCB is highly influential in improving the care and protection of
children.
Any complaints about the inspection or the report should be made following the procedures.
"""


def test_recommendations_stop_where_their_section_ends(vocab):
    s = walk(vocab, SIF)
    assert [(r.number, r.addressed_to.kind) for r in s.recommendations] == [
        (2, "council"), (3, "council"), (119, "lscb"), (120, "lscb")]
    assert [f.number for f in s.findings] == [4, 121, 122]


def test_sub_bullets_stay_inside_their_numbered_recommendation(vocab):
    first = walk(vocab, SIF).recommendations[0]
    assert first.text.endswith("in every plan \u2022 for every child.") or "for every child." in first.text
    assert first.number == 2


def test_no_finding_runs_on_into_the_grade_descriptors_or_the_complaints_boilerplate(vocab):
    s = walk(vocab, SIF)
    last = s.findings[-1]
    assert last.text == "The Child Death Overview Panel is well-established."
    assert not any("outstanding LSCB" in f.text or "complaints" in f.text for f in s.findings)


def test_a_sentence_ending_in_recommendations_is_no_heading(vocab):
    s = walk(vocab, SIF)
    assert s.findings[1].text.endswith("panel recommendations.")


def test_an_official_is_named_only_from_name_words(vocab):
    text = ("Overall effectiveness Good\nSummary The DCS has been in post since 2012. The Chief Executive, "
            "Executive Director of the council, met us. Council leader Ann James said the council was proud.")
    names = [t.person for t in named_tenures(text, "doc", vocab, "Somewhere", "2019-03-18")]
    assert names == ["Ann James"]


def test_a_stated_end_of_a_post_is_kept(vocab):
    text = "The previous permanent DCS left the authority in May 2013. The new DCS took up post in June 2013."
    found = {(t.begin, t.end) for t in unnamed_tenures(text, "doc", vocab, "Somewhere")}
    assert found == {(None, "2013-05"), ("2013-06", None)}
