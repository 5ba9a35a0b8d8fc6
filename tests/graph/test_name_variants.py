"""One person, one node: printed variants of a name merged only when the evidence supports it."""

from __future__ import annotations

from ofsted_kg.graph.model.keys import person_key, slug
from ofsted_kg.graph.model.records import Extraction, InspectionRef, SourceDocument, TeamMember
from ofsted_kg.graph.resolve import name_variants


def report(*members: tuple[str, str]) -> Extraction:
    """An extraction whose team is (name, inspection start) pairs."""
    doc = SourceDocument("k", "f.pdf", "application/pdf", "0" * 64, 1, "report", "t")
    return Extraction(document=doc, team=tuple(
        TeamMember(InspectionRef("Somewhere", "sif", start), name, "team-role/team-inspector", ()) for name, start in members))


def names(extractions) -> set[str]:
    return {t.person for e in extractions for t in e.team}


def test_nicknames_case_and_diacritics_are_one_person():
    merged, aliases = name_variants.merge([
        report(("Sue Myers", "2016-01-01"), ("Cath McEvoy", "2015-01-01"), ("Máire Atherton", "2015-01-01")),
        report(("Susan Myers", "2016-06-01"), ("Susan Myers", "2017-01-01"), ("Catherine McEvoy", "2016-01-01"),
               ("Maire Atherton", "2016-01-01"), ("Brenda Mclaughlin", "2015-01-01"), ("Brenda McLaughlin", "2014-01-01"),
               ("Brenda McLaughlin", "2016-01-01")),
    ])
    assert len(names(merged)) == 4
    assert aliases["Susan Myers"] == ("Sue Myers",)
    assert aliases["Brenda McLaughlin"] == ("Brenda Mclaughlin",)
    assert {"Cath McEvoy", "Catherine McEvoy"} & set(aliases) and len(aliases) == 4


def test_never_merely_the_same_surname():
    merged, aliases = name_variants.merge([report(("Brenda McLaughlin", "2015-01-01"), ("Peter McLaughlin", "2015-01-01"))])
    assert names(merged) == {"Brenda McLaughlin", "Peter McLaughlin"} and aliases == {}


def test_an_ambiguous_short_form_is_merged_with_neither():
    merged, _ = name_variants.merge([report(("Chris Williams", "2015-01-01"), ("Christine Williams", "2015-01-01"),
                                            ("Christopher Williams", "2015-01-01"))])
    assert len(names(merged)) == 3


def test_years_far_apart_keep_two_people():
    merged, _ = name_variants.merge([report(("Mike Ferguson", "2013-01-01"), ("Michael Ferguson", "2024-01-01"))])
    assert len(names(merged)) == 2


def test_slugs_transliterate_letters_with_diacritics():
    assert slug("Máire Atherton") == "maire-atherton"
    assert person_key("Máire Atherton") == person_key("Maire Atherton")
