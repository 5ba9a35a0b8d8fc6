"""Inspection team members: who inspected, in which team role."""

from __future__ import annotations

from dataclasses import replace

from rdflib import Literal
from rdflib.namespace import ORG

from ..model.account import Account
from ..model.records import InspectionRef, OrgRef, TeamMember
from ..rdf import iris
from ..rdf.mapper import Mapper
from ..rdf.namespaces import OKG
from .fact_kind import Merging, Names, declare


def canonical(member: TeamMember, names: Names) -> TeamMember:
    return replace(member, inspection=names.ref(member.inspection))


def merge(member: TeamMember, merging: Merging) -> None:
    ref = merging.target(member.inspection)
    if ref is None:  # a team is its own report's: its reference is always full, so this never happens
        return
    merging.add("team", (ref, member.role, merging.person(member.person)), replace(member, inspection=ref))


def triples(mapper: Mapper, key: tuple[InspectionRef, str, str], member: TeamMember, account: Account) -> None:
    ref, role, person_slug = key
    node = iris.team_membership(ref, role, person_slug)
    mapper.types(node, OKG.TeamMembership, ORG.Membership)
    mapper.add(node, OKG.inspection, iris.inspection(ref))
    mapper.add(node, ORG.member, iris.person(account.people[person_slug]))
    mapper.add(node, ORG.organization, iris.organisation(OrgRef("org", "ofsted")))
    mapper.add(node, ORG.role, iris.concept(role))
    if member.inspector_grade:
        mapper.add(node, OKG.inspectorGrade, Literal(member.inspector_grade))
    mapper.evidence(node, member.evidence)


SUMMARY = ("TeamMembership", "team members")  # counted in the build's one-line summary
MISSING = "no inspection team printed"  # the extraction report's words for a report without any
KIND = declare(__name__, name="team", record=TeamMember, rank=30, summary=SUMMARY, expected=MISSING)
