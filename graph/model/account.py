"""The account of a build: what many documents say, resolved and merged into one.

Every fact kind (kinds/) keeps its merged records in a table of its own, keyed by the
record's identity: records with equal keys are one fact with the evidence of all.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from ..reference.councils import Council
from .records import Inspection, InspectionRef, SourceDocument


@dataclass
class Account:
    """The resolved, merged records of a whole build."""

    councils: dict[str, Council] = field(default_factory=dict)
    neighbours: dict[str, Council] = field(default_factory=dict)  # councils named only as statistical neighbours
    documents: list[SourceDocument] = field(default_factory=list)
    facts: dict[str, dict[Any, Any]] = field(default_factory=dict)  # fact kind name -> identity key -> record
    reports: dict[InspectionRef, set[str]] = field(default_factory=dict)  # inspection -> report document keys
    people: dict[str, str] = field(default_factory=dict)  # person slug -> name as printed
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # merged name -> other printed forms (name_variants)
    unresolved: list[str] = field(default_factory=list)  # claims left out, with why

    def table(self, kind: str) -> dict[Any, Any]:
        """One fact kind's records by identity (empty for a kind no document gave)."""
        return self.facts.setdefault(kind, {})

    @property
    def inspections(self) -> dict[InspectionRef, Inspection]:
        return self.table("inspections")


def add(table: dict, key, record) -> None:
    """First record under a key wins its fields; later ones add their evidence."""
    known = table.get(key)
    table[key] = replace(known, evidence=union(known.evidence, record.evidence)) if known else record


def union(a: tuple, b: tuple) -> tuple:
    return a + tuple(span for span in b if span not in a)
