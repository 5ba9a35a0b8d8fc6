"""Statistics: a figure a document states for a council, as a Data Cube observation."""

from __future__ import annotations

from dataclasses import replace

from rdflib import Literal
from rdflib.namespace import QB, XSD

from ..model.account import Account
from ..model.records import Statistic
from ..rdf import iris
from ..rdf.mapper import Mapper, date_literal
from ..rdf.namespaces import OKG
from .fact_kind import Merging, Names, declare


def canonical(statistic: Statistic, names: Names) -> Statistic:
    return replace(statistic, council=names.council(statistic.council), inspection=names.ref(statistic.inspection))


def references(statistic: Statistic):
    if statistic.inspection:
        yield statistic.inspection


def merge(statistic: Statistic, merging: Merging) -> None:
    key = (statistic.council, statistic.measure, statistic.ref_date, statistic.value)
    merging.add("statistics", key, replace(statistic, inspection=merging.target(statistic.inspection)))


def triples(mapper: Mapper, key: tuple[str, str, str, str], statistic: Statistic, account: Account) -> None:
    council, measure, ref_date, value = key
    node = iris.statistic(council, measure, ref_date, value)
    mapper.types(node, OKG.Statistic, QB.Observation)
    mapper.add(node, QB.dataSet, iris.statistics_dataset())
    mapper.add(node, OKG.measure, iris.concept(measure))
    mapper.add(node, OKG.value, Literal(value, datatype=XSD.decimal))
    mapper.add(node, OKG.localAuthority, iris.council(council))
    if ref_date:
        mapper.add(node, OKG.refDate, date_literal(ref_date))
    if statistic.approximate:
        mapper.add(node, OKG.approximate, Literal(True))
    if statistic.period:
        # as the text counts it: rdflib would write "in the last 12 months" as P1Y
        mapper.add(node, OKG.refPeriod, Literal(statistic.period, datatype=XSD.duration, normalize=False))
    if statistic.qualifier:
        mapper.add(node, OKG.valueQualifier, Literal(statistic.qualifier))
    if statistic.inspection and statistic.inspection in account.inspections:
        mapper.add(node, OKG.statedIn, iris.inspection(statistic.inspection))
    mapper.evidence(node, statistic.evidence)


KIND = declare(__name__, name="statistics", record=Statistic, rank=70, summary=("Statistic", "statistics"))
