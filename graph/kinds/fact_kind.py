"""What a fact kind declares once, and what every stage hands it.

A `FactKind` says of one kind of record (judgement, tenure, finding, ...): which field of an
`Extraction` holds it, how its council names become council slugs, which loose inspection
references it carries, how records of it merge (its identity key), which triples it maps to,
and how the extraction report and the build's summary count it. The stages (sources.py,
resolve.py, triples.py, the build command) loop over the registry (kinds/__init__.py) and
know no kind by name.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, overload

from ..model.account import Account, add
from ..model.keys import person_key
from ..model.records import InspectionRef, OrgRef, SourceDocument

if TYPE_CHECKING:
    from ..input.documents import DocumentText
    from ..rdf.mapper import Mapper


class Names:
    """Council names as documents print them -> council slugs, for one extraction."""

    def __init__(self, slugs: dict[str, str]):
        self.slugs = slugs

    @overload
    def council(self, name: str) -> str: ...
    @overload
    def council(self, name: None) -> None: ...
    def council(self, name: str | None) -> str | None:
        return self.slugs.get(name, name) if name is not None else None

    @overload
    def ref(self, ref: InspectionRef) -> InspectionRef: ...
    @overload
    def ref(self, ref: None) -> None: ...
    def ref(self, ref: InspectionRef | None) -> InspectionRef | None:
        return replace(ref, council=self.slugs.get(ref.council, ref.council)) if ref else None

    @overload
    def org(self, org: OrgRef) -> OrgRef: ...
    @overload
    def org(self, org: None) -> None: ...
    def org(self, org: OrgRef | None) -> OrgRef | None:
        return replace(org, name=self.slugs.get(org.name, org.name)) if org and org.kind in ("council", "lscb") else org


@dataclass
class Merging:
    """What a kind's merge needs: the account, the resolved inspection references, and the
    document the record comes from."""

    account: Account
    mapping: dict[InspectionRef, InspectionRef | None]
    document: SourceDocument

    def target(self, ref: InspectionRef | None) -> InspectionRef | None:
        """The inspection a reference resolved to (None: no single inspection matches)."""
        return self.mapping.get(ref, ref) if ref else None

    def person(self, name: str) -> str:
        """A person's key, their name as first printed kept for the graph."""
        key = person_key(name)
        self.account.people.setdefault(key, name)
        return key

    def add(self, kind: str, key: Hashable, record: Any) -> None:
        add(self.account.table(kind), key, record)


def same(record: Any, names: Names) -> Any:
    return record


def no_references(record: Any) -> Iterable[InspectionRef]:
    return ()


HOOKS = ("merge", "triples", "canonical", "references", "read", "finish")  # what a kind's module may define


def declare(module_name: str, **spec: Any) -> FactKind:
    """A kind from its module: the functions the module defines under a hook's name (merge,
    triples, canonical, references, read, finish), with the rest of the spec as given (a hook
    given here wins over the module's function of that name)."""
    module = sys.modules[module_name]
    hooks = {hook: getattr(module, hook) for hook in HOOKS if callable(getattr(module, hook, None))}
    return FactKind(**{**hooks, **spec})


@dataclass(frozen=True)
class FactKind:
    name: str  # the Extraction field that holds the kind and the Account table it fills, e.g. "judgements"
    record: type  # its record class (records.py)
    rank: int  # its place among the kinds: the order of the extraction report's counts and of merging
    merge: Callable[[Any, Merging], None]  # a record (council slugs in it) into the account, under its identity key
    triples: Callable[[Mapper, Any, Any, Account], None]  # one merged record (key, record) onto the graph
    canonical: Callable[[Any, Names], Any] = same  # the record with council names as slugs
    references: Callable[[Any], Iterable[InspectionRef]] = no_references  # loose inspection references to resolve
    read: Callable[[DocumentText], tuple] | None = None  # a reader run on every document (None: the document's parser reads it)
    finish: Callable[[Account], None] | None = None  # after every document merged: cross-document clean-up
    summary: tuple[str, str] | None = None  # (okg class, words): counted in the build's one-line summary
    expected: str | None = None  # in a report or letter with none of it, the extraction report says why it may be missing
    expected_in: tuple[str, ...] = ("report", "letter")  # the document kinds that should carry it
