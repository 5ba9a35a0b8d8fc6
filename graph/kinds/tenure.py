"""Tenures: someone (or an unnamed holder) in a post, over an interval."""

from __future__ import annotations

from dataclasses import replace

from rdflib import Literal
from rdflib.namespace import ORG, SKOS, TIME

from ..model.account import Account, union
from ..model.records import Tenure
from ..parsers.dates import precision
from ..rdf import iris
from ..rdf.mapper import Mapper, date_literal
from ..rdf.namespaces import OKG
from .fact_kind import Merging, Names, declare

TIME_PROPERTIES = {"date": TIME.inXSDDate, "gYearMonth": TIME.inXSDgYearMonth, "gYear": TIME.inXSDgYear}


def canonical(tenure: Tenure, names: Names) -> Tenure:
    return replace(
        tenure,
        organisation=names.org(tenure.organisation),
        concerns=names.council(tenure.concerns),
        begins_with=names.ref(tenure.begins_with),
    )


def references(tenure: Tenure):
    if tenure.begins_with:
        yield tenure.begins_with


def merge(tenure: Tenure, merging: Merging) -> None:
    if tenure.begins_with:
        tenure = dated_by_inspection(tenure, merging)
    holder = merging.person(tenure.person) if tenure.person else "unnamed"
    key = (post_path(tenure), holder, tenure.begin or "undated")
    table = merging.account.table("tenures")
    known = table.get(key)
    if known and tenure.attested and (not known.attested or len(tenure.attested) > len(known.attested)):
        table[key] = replace(known, attested=tenure.attested)
    merging.add("tenures", key, tenure)


def dated_by_inspection(tenure: Tenure, merging: Merging) -> Tenure:
    """ "Started on the first day of the inspection": the inspection's start is the tenure's."""
    ref = merging.target(tenure.begins_with)
    if ref is None or len(ref.start) != 10 or ref.kind is None:
        merging.account.unresolved.append(
            f"{tenure.person or 'an unnamed holder'} as {tenure.role}: the inspection "
            "whose first day they started on is not in the input"
        )
        return replace(tenure, begins_with=None)
    return replace(tenure, begins_with=None, begin=ref.start)


def post_path(tenure: Tenure) -> str:
    return iris.post_path(tenure.organisation, tenure.role, tenure.portfolio, tenure.concerns)


def name_unnamed_holders(account: Account) -> None:
    """ "A new interim Director of Children's Services started on the first day of this
    inspection" (the report) and "An interim director of children's services, Mark Barratt,
    started on the first day of the inspection" (the press) are one appointment: an unnamed
    holder whose post and first day match exactly one named holder's is that holder. Unnamed
    claims that match nobody, or whose dates are only a month or year, stay as they are."""
    tenures = account.table("tenures")
    for key in [k for k in tenures if k[1] == "unnamed" and len(k[2]) == 10]:
        named = [k for k in tenures if k[0] == key[0] and k[2] == key[2] and k[1] != "unnamed"]
        if len(named) == 1:
            known = tenures[named[0]]
            tenures[named[0]] = replace(known, evidence=union(known.evidence, tenures.pop(key).evidence))


def triples(mapper: Mapper, key: tuple[str, str, str], tenure: Tenure, account: Account) -> None:
    path, holder, begin = key
    post, org = post_triples(mapper, path, tenure)
    node = iris.tenure(path, holder, begin)
    mapper.types(node, OKG.Tenure, ORG.Membership)
    mapper.add(node, OKG.post, post)
    mapper.add(node, ORG.organization, org)
    mapper.add(node, ORG.role, iris.concept(tenure.role))
    if tenure.person:
        mapper.add(node, ORG.member, iris.person(tenure.person))
    if tenure.begin or tenure.end:
        interval = iris.interval(node)
        mapper.types(interval, TIME.Interval)
        mapper.add(node, ORG.memberDuring, interval)
        for value, part, predicate in ((tenure.begin, "beginning", TIME.hasBeginning), (tenure.end, "end", TIME.hasEnd)):
            if value:
                instant = iris.instant(interval, part)
                mapper.types(instant, TIME.Instant)
                mapper.add(interval, predicate, instant)
                mapper.add(instant, TIME_PROPERTIES[precision(value)], date_literal(value))
    if tenure.attested:
        mapper.add(node, OKG.attestedOn, date_literal(tenure.attested))
    mapper.evidence(node, tenure.evidence)


def post_triples(mapper: Mapper, path: str, tenure: Tenure):
    """The post a tenure is in, labelled with its role and where it is: (post, organisation)."""
    post = iris.post(path)
    org = mapper.organisation(tenure.organisation)
    mapper.types(post, ORG.Post)
    mapper.add(post, ORG.postIn, org)
    mapper.add(post, ORG.role, iris.concept(tenure.role))
    role_label = mapper.vocab.pref_labels.get(tenure.role, tenure.role)
    label_of = mapper.graph.value
    where = label_of(org, SKOS.prefLabel) or label_of(iris.council(tenure.concerns or ""), SKOS.prefLabel)
    label = role_label + (f" for {tenure.portfolio}" if tenure.portfolio else "")
    if tenure.concerns and tenure.organisation.kind == "org":
        label += f" for {label_of(iris.council(tenure.concerns), SKOS.prefLabel)}"
    elif where:
        label += f", {where}"
    mapper.add(post, SKOS.prefLabel, Literal(label))
    if tenure.concerns:
        mapper.add(post, OKG.concerns, iris.council(tenure.concerns))
    elif tenure.organisation.kind == "council":
        mapper.add(post, OKG.concerns, iris.council(tenure.organisation.name))
    if tenure.portfolio:
        mapper.add(post, OKG.portfolio, Literal(tenure.portfolio))
    return post, org


KIND = declare(__name__, name="tenures", record=Tenure, rank=40, summary=("Tenure", "tenures"), finish=name_unnamed_holders)
