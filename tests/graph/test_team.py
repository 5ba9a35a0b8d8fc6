"""Inspection team lines as the corpus prints them: every case here was once read wrong
(found by hand-checking 30 reports against their PDFs)."""

from __future__ import annotations

import pytest

from ofsted_kg.graph.model.keys import person_key
from ofsted_kg.graph.model.records import InspectionRef
from ofsted_kg.graph.parsers.team import team_lines

REF = InspectionRef("Somewhere", "sif", "2015-01-01")

CASES = [
    # a name broken over two lines (Southampton 2014)
    ("Team inspectors: Linda Steele, Tracy Metcalfe, John Gregg, Ken Jones, Simon\nRushall\nSenior data analyst: Ann Other",
     [("Linda Steele", "team-inspector", None), ("Tracy Metcalfe", "team-inspector", None),
      ("John Gregg", "team-inspector", None), ("Ken Jones", "team-inspector", None),
      ("Simon Rushall", "team-inspector", None), ("Ann Other", "senior-data-analyst", None)]),
    # a grade in brackets (Rutland 2017)
    ("Lead inspector: Karen Wareing (HMI)\n", [("Karen Wareing", "lead-inspector", "HMI")]),
    # "Senior" belongs to the grade, not the name (Lincolnshire 2015)
    ("Quality assurance manager: John Gregg Senior Her Majesty\u2019s Inspector.\n",
     [("John Gregg", "quality-assurance-manager", "Senior Her Majesty's Inspector")]),
    # abbreviated grades (Cheshire East 2015, Tameside 2016)
    ("Team inspectors: Ty Yousaf AI, Simone White SHMI\n", [("Ty Yousaf", "team-inspector", "AI"),
                                                           ("Simone White", "team-inspector", "SHMI")]),
    # a complete name ends the list: the judgement table's heading is not a name (Stoke 2019)
    ("Lead inspector: Neil Penswick HMI\nJudgement Grade\n", [("Neil Penswick", "lead-inspector", "HMI")]),
    # a grade on the next line after a comma (Stoke 2022)
    ("Lead inspectors: Rebecca Quested, His Majesty\u2019s Inspector, and Matthew Reed, \nHis Majesty\u2019s Inspector\nJudgement Grade",
     [("Rebecca Quested", "lead-inspector", "His Majesty's Inspector"),
      ("Matthew Reed", "lead-inspector", "His Majesty's Inspector")]),
    # roles the first templates did not have
    ("Shadow inspectors: Jan Edwards\nLead inspector on site: Pietro Battista\nAdditional inspector: Andy Smith\n",
     [("Jan Edwards", "shadow-inspector", None), ("Pietro Battista", "lead-inspector", None),
      ("Andy Smith", "team-inspector", None)]),
    # a note after the role, bracketed grades, "and" opening the next line (Devon 2015)
    ("Team inspectors (all HMI unless otherwise stated): Dominic Stevens, Deane Jennings (Associate Inspector)\n"
     "and Teresa Lavelle-Hill (associate inspector)\nQuality assurance manager: Christopher Sands, Senior HMI54\n",
     [("Dominic Stevens", "team-inspector", None), ("Deane Jennings", "team-inspector", "Associate Inspector"),
      ("Teresa Lavelle-Hill", "team-inspector", "associate inspector"),
      ("Christopher Sands", "quality-assurance-manager", "Senior HMI")]),
    # no colon; an apostrophe in a surname; a grade opening the next line; an acting grade
    ("Deputy lead inspector Mike Ferguson\nTeam inspectors: Paul D\u2019Inverno, Rachel Holden\nHMI, Sean Tarpey, Acting Senior HMI\n",
     [("Mike Ferguson", "deputy-lead-inspector", None), ("Paul D\u2019Inverno", "team-inspector", None),
      ("Rachel Holden", "team-inspector", "HMI"), ("Sean Tarpey", "team-inspector", "Acting Senior HMI")]),
    # two roles on one line, two deputies with a slash, a grade before the name
    ("Deputy lead inspector: Cath McEvoy/Ian Young\nTeam inspectors: HMI Susan Myers, Margaret Farrow. Shadow inspector: Anne-Marie Born\n",
     [("Cath McEvoy", "deputy-lead-inspector", None), ("Ian Young", "deputy-lead-inspector", None),
      ("Susan Myers", "team-inspector", "HMI"), ("Margaret Farrow", "team-inspector", None),
      ("Anne-Marie Born", "shadow-inspector", None)]),
    # the seed's associate inspector, the grade wrapped onto the next line (Stoke-on-Trent 2015)
    ("Team inspectors: Pam Blackman HMI, Ty Yousaf, Associate\nInspector\nSenior data analyst: Clare Atkinson\n",
     [("Pam Blackman", "team-inspector", "HMI"), ("Ty Yousaf", "team-inspector", "Associate Inspector"),
      ("Clare Atkinson", "senior-data-analyst", None)]),
    # a middle initial (Sunderland 2015)
    ("Lead inspector: Fiona J Millns\n", [("Fiona J Millns", "lead-inspector", None)]),
]


@pytest.mark.parametrize("text, expected", CASES, ids=[c[0][:30] for c in CASES])
def test_team_line(vocab, text, expected):
    members = team_lines(text, "doc", vocab, REF)
    assert [(m.person, m.role.split("/")[1], m.inspector_grade) for m in members] == expected
    for m in members:
        for span in m.evidence:
            assert text[span.start:span.end] == span.exact


def test_one_inspector_printed_with_and_without_a_middle_initial_is_one_person():
    assert person_key("Fiona J Millns") == person_key("Fiona Millns") == "fiona-millns"
    assert person_key("Ty Yousaf") == "ty-yousaf"
