"""The build's cache of the account's triples, unit by unit, so a rebuild maps again only
what changed, and knows which published triples it added and removed.

The account is mapped in units (triples.units: a council, a document, a person, one fact
kind's records of one inspection, council, post or document), each into a set of its own.
A unit's triples depend on two things, and an entry keeps both:
- its `content`: the records it maps (and the few tables it reads whole, e.g. a council's
  statistical neighbours), hashed (SHA-1 of their pickle);
- what its mapping asked the rest of the account as it ran (ReadAccount: "is finding 12 of
  this inspection in the account?", "which reports report this inspection?", "what is this
  council's name?"), each question with its answer.
A rebuild asks each unit's recorded questions of the new account: a unit whose content and
answers are the same is not mapped again, so nobody has to know what each kind reads (a kind
that asks the account something ReadAccount does not record fails loudly instead).

The published graph is the union of the units' triples (and of the ontology's, a unit of
its own): several units may give one triple (a council's node, an act's label, the evidence
of a span two facts quote), so the state counts, for each triple given by more than one,
how many give it; a triple given by one unit is counted once where it stands in the graph.
A rebuild then knows exactly the triples that left the graph (their last giver changed) and
those that joined it, which the Turtle is spliced with (turtle_splice.py) and the shape
queries may check alone (validate_rebuild).

Everything lives in `<extraction cache>/<loaders' version>/mapping/`: any change to the code
or the reference tables starts from empty. `state` holds the units' digests and questions
and the counts, with the output and the SHA-256 of the graph it describes: a graph on disk
that is not that one (edited, another build's) makes the build map everything again.
"""

from __future__ import annotations

import hashlib
import pickle
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Literal
from rdflib.namespace import SKOS

from ..model.account import Account
from ..rdf import iris
from ..rdf.triple_set import TripleSet
from ..rdf.triples import AccountMapper, Unit, units
from .extraction_cache import ExtractionCache

STATE = "state"
PREF_LABEL = str(SKOS.prefLabel)
REFERENCE = "reference"  # the ontology, concepts and reference individuals: one more unit
DATASET = "dataset"  # the dataset's description (pipeline.describe_dataset): one more unit


def frozen(value):
    """An answer as it is kept and compared: sets in order."""
    if isinstance(value, set | frozenset):
        return tuple(sorted(value))
    return value


class Recorded:
    """One table of the account, as a unit's mapping reads it: each answer recorded."""

    def __init__(self, name: tuple, table, reads: dict):
        self.name, self.table, self.reads = name, table, reads

    def __contains__(self, key) -> bool:
        found = key in self.table
        self.reads[(self.name, "in", key)] = found
        return found

    def get(self, key, default=None):
        found = self.table.get(key, default)
        self.reads[(self.name, "get", key, frozen(default))] = frozen(found)
        return found

    def __getitem__(self, key):
        found = self.table[key]  # a KeyError is the mapping's, as on the account itself
        self.reads[(self.name, "[]", key)] = frozen(found)
        return found


class ReadAccount:
    """The account as a unit's mapping sees it: what the kinds read of it (kinds/*.py's
    triples), each answer recorded. Anything else is an AttributeError, so a kind that starts
    reading something new fails a test instead of being served from a stale cache."""

    def __init__(self, account: Account, reads: dict):
        self._account, self._reads = account, reads

    @property
    def reports(self) -> Recorded:
        return Recorded(("reports",), self._account.reports, self._reads)

    @property
    def people(self) -> Recorded:
        return Recorded(("people",), self._account.people, self._reads)

    @property
    def inspections(self) -> Recorded:
        return self.table("inspections")

    def table(self, kind: str) -> Recorded:
        return Recorded(("table", kind), self._account.table(kind), self._reads)


def answer(account: Account, labels: dict[str, str], question: tuple):
    """A recorded question asked again, of this account."""
    name, operation, key, *default = question
    if name == ("label",):
        return labels.get(key)
    table: Any = {("reports",): account.reports, ("people",): account.people}.get(name)
    if table is None:
        table = account.facts.get(name[1], {})
    if operation == "in":
        return key in table
    if operation == "get":
        return frozen(table.get(key, default[0]))
    return frozen(table[key]) if key in table else KeyError


class UnitTripleSet(TripleSet):
    """A unit's own triples. What it looks up beyond them: a council's name (skos:prefLabel,
    which only the council's unit gives, mapped first), recorded as a question."""

    def __init__(self, terms: TripleSet, labels: dict[str, str], reads: dict):
        super().__init__(terms)
        self.labels, self.reads = labels, reads

    def _matching(self, pattern: tuple):
        found = False
        for match in super()._matching(pattern):
            found = True
            yield match
        subject, predicate = str.__str__(pattern[0]), pattern[1]
        if not found and predicate is not None and str.__str__(predicate) == PREF_LABEL and subject in self.labels:
            label = self.labels[subject]
            self.reads[(("label",), "get", subject)] = label
            if pattern[2] is None or pattern[2] == Literal(label):
                yield (subject, False, PREF_LABEL, 1, label, "\0http://www.w3.org/2001/XMLSchema#string"), Literal(label)


def council_labels(account: Account) -> dict[str, str]:
    """Each known council's node -> its name: what the council units give as skos:prefLabel."""
    known = {**account.neighbours, **account.councils}
    return {str(iris.council(c.slug)): c.name for c in known.values()}


def content_digest(unit: Unit) -> str:
    return hashlib.sha1(pickle.dumps(unit.content, protocol=pickle.HIGHEST_PROTOCOL)).hexdigest()


def entry_name(unit_id: str, content: str, reads: dict) -> str:
    """The file a unit's triples are kept under: its id, content and questions with answers."""
    digest = hashlib.sha1(f"{unit_id}\0{content}\0".encode())
    digest.update(pickle.dumps(sorted(reads.items(), key=repr), protocol=pickle.HIGHEST_PROTOCOL))
    return digest.hexdigest()


@dataclass
class Mapped:
    """What mapping the account gave. On a clean build (`published` set) every triple; on a
    rebuild only the changes: `added` (the triples new to the graph), `removed` (the keys of
    those gone, their triples in `removed_triples`), `before` (every triple the changed
    subjects had in the last graph). `state` is what the cache keeps once the graph is
    written (MappingCache.save)."""

    published: dict[tuple, ox.Triple] | None = None
    added: dict[tuple, ox.Triple] = field(default_factory=dict)
    removed: set[tuple] = field(default_factory=set)
    triples: int = 0
    classes: Counter = field(default_factory=Counter)
    state: dict = field(default_factory=dict)
    entries: dict[str, list[tuple]] = field(default_factory=dict)  # new entries: file name -> the unit's keys
    mapped: int = 0  # units mapped (not from the cache)
    units: int = 0
    removed_triples: dict[tuple, ox.Triple] = field(default_factory=dict)  # the removed keys' triples
    before: dict[tuple, ox.Triple] = field(default_factory=dict)  # the changed subjects' triples before


@dataclass(frozen=True)
class Delta:
    """The published triples a rebuild added and removed (pyoxigraph's): what the graph-wide
    check of a rebuild may look at (pipeline.validate_rebuild)."""

    added: tuple[ox.Triple, ...]
    removed: tuple[ox.Triple, ...]


class PublishedGraph(Mapping):
    """A rebuild's published triples by key, read from its Turtle only when they are all asked
    for: a rebuild does not hold the triples of the units it did not map again. Whether it
    holds a triple is answered from the changed subjects' triples (`changed`, every triple of
    each of `subjects`), else from that subject's block of the Turtle."""

    def __init__(self, turtle: bytes, count: int, changed: dict[tuple, ox.Triple] | None = None,
                 subjects: set[str] | None = None):
        self.turtle, self.count = turtle, count
        self.changed, self.subjects = changed or {}, subjects or set()
        self._keyed: dict[tuple, ox.Triple] | None = None
        self.seconds = 0.0  # how long reading the whole Turtle back took, if it was

    def keyed(self) -> dict[tuple, ox.Triple]:
        if self._keyed is None:
            from ..rdf.turtle import order

            started = time.perf_counter()
            self._keyed = {order(quad.triple): quad.triple for quad in ox.parse(self.turtle, format=ox.RdfFormat.TURTLE)}
            assert len(self._keyed) == self.count, "the spliced Turtle holds other triples than were counted"
            self.seconds = round(time.perf_counter() - started, 3)
        return self._keyed

    def __contains__(self, key) -> bool:
        if self._keyed is not None:
            return key in self._keyed
        if key[0] in self.subjects:
            return key in self.changed
        from ..rdf.turtle_splice import blocks, triples_of

        return key in triples_of(self.turtle, blocks(self.turtle, [key[0]]))

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[tuple]:
        return iter(self.keyed())

    def __getitem__(self, key: tuple) -> ox.Triple:
        return self.keyed()[key]


class MappingCache:
    def __init__(self, folder: Path):
        self.folder = folder

    def previous(self, output: Path, graph_sha256: str | None) -> dict | None:
        """The last build's state, if it describes the graph now at `output`."""
        state = ExtractionCache.load(self.folder / STATE, dict)
        if state is None or state.get("output") != str(output) or state.get("graph") != graph_sha256:
            return None
        return state

    def keys(self, name: str) -> list[tuple] | None:
        return ExtractionCache.load(self.folder / name, list)

    def save(self, mapped: Mapped, output: Path, graph_sha256: str) -> None:
        """The new units' triples, then the state naming them and the graph written."""
        for name, keys in mapped.entries.items():
            ExtractionCache.store(ExtractionCache, self.folder / name, keys)  # type: ignore[arg-type]
        state = {**mapped.state, "output": str(output), "graph": graph_sha256}
        ExtractionCache.store(ExtractionCache, self.folder / STATE, state)  # type: ignore[arg-type]
        keep = {entry for entry, *_ in state["units"].values()} | {STATE}
        for path in self.folder.iterdir():
            if path.name not in keep and not path.name.startswith("."):
                path.unlink(missing_ok=True)


def map_account(account: Account, vocab, texts: dict[str, str], dataset: TripleSet, reference: dict[tuple, ox.Triple] | None,
                previous: dict | None, cache: MappingCache | None, check, old_triples=None) -> Mapped:
    """The account's triples: all of them when there is no `previous` state (or it does not
    add up), else what changed since. `dataset`: the dataset's description, mapped already;
    `reference`: the ontology's triples (None: read them when needed). `check(unit_set,
    texts)` checks the quotes of each unit mapped; `old_triples(subjects)`: those subjects'
    triples in the last build's graph, by key."""
    terms = TripleSet()
    labels = council_labels(account)
    if previous is not None and cache is not None:
        changed = rebuild(account, vocab, texts, dataset, previous, cache, check, terms, labels, old_triples)
        if changed is not None:
            return changed
    return clean(account, vocab, texts, dataset, reference, check, terms, labels)


def map_unit(unit: Unit, vocab, account: Account, terms: TripleSet, labels: dict[str, str]) -> tuple[UnitTripleSet, dict]:
    reads: dict = {}
    graph = UnitTripleSet(terms, labels, reads)
    unit.map(AccountMapper(vocab, graph), ReadAccount(account, reads))
    return graph, reads


def clean(account, vocab, texts, dataset, reference, check, terms, labels) -> Mapped:
    if reference is None:
        from ..rdf.validate import reference_keyed  # keyed once per process; only read here

        reference = reference_keyed()
    published: dict[tuple, ox.Triple] = {}
    shared: dict[tuple, int] = {}  # key -> how many units give it, where more than one
    mapped = Mapped(published=published)
    unit_state: dict[str, tuple] = {}

    def take(unit_id: str, content: str, reads: dict, keyed: dict) -> None:
        if not published.keys().isdisjoint(keyed):  # some of these another unit gives too
            for key in keyed.keys() & published.keys():
                shared[key] = shared.get(key, 1) + 1
        published.update(keyed)
        name = entry_name(unit_id, content, reads)
        unit_state[unit_id] = (name, content, reads)
        mapped.entries[name] = list(keyed)

    for unit in units(account):
        graph, reads = map_unit(unit, vocab, account, terms, labels)
        check(graph, texts)
        take(unit.id, content_digest(unit), reads, graph.keyed())
        mapped.mapped += 1
    take(DATASET, dataset_digest(dataset.keyed()), {}, dataset.keyed())
    take(REFERENCE, "", {}, reference)
    mapped.units = len(unit_state)
    mapped.triples = len(published)
    mapped.classes = Counter(key[4] for key in published if not key[1])
    mapped.state = {"units": unit_state, "shared": shared, "classes": mapped.classes, "triples": mapped.triples}
    return mapped


def dataset_digest(keyed: dict) -> str:
    return hashlib.sha1(repr(sorted(keyed)).encode()).hexdigest()


@dataclass
class Changes:
    """A rebuild's units against the last build's: the keys each changed unit gave before
    (`gone`, by entry) and gives now (`fresh`)."""

    state: dict
    fresh: dict[str, dict[tuple, ox.Triple]]
    gone: list[str]
    mapped: int


def changes(account, vocab, texts, dataset, previous, check, terms, labels) -> Changes:
    old_units: dict[str, tuple] = previous["units"]
    state: dict[str, tuple] = {}
    fresh: dict[str, dict[tuple, ox.Triple]] = {}
    gone: list[str] = []
    mapped = 0
    for unit in units(account):
        content = content_digest(unit)
        old = old_units.get(unit.id)
        if old is not None and old[1] == content and all(answer(account, labels, q) == a for q, a in old[2].items()):
            state[unit.id] = old
            continue
        graph, reads = map_unit(unit, vocab, account, terms, labels)
        check(graph, texts)
        mapped += 1
        name = entry_name(unit.id, content, reads)
        state[unit.id] = (name, content, reads)
        if old is None or old[0] != name:
            fresh[name] = graph.keyed()
            if old is not None:
                gone.append(old[0])
    keyed = dataset.keyed()
    content = dataset_digest(keyed)
    old = old_units[DATASET]
    if old[1] == content:
        state[DATASET] = old
    else:
        name = entry_name(DATASET, content, {})
        state[DATASET], fresh[name] = (name, content, {}), keyed
        gone.append(old[0])
    state[REFERENCE] = old_units[REFERENCE]  # the ontology: the code's, whose version names the cache
    gone.extend(old_units[unit_id][0] for unit_id in old_units.keys() - state.keys())
    return Changes(state, fresh, gone, mapped)


def rebuild(account, vocab, texts, dataset, previous, cache, check, terms, labels, old_triples) -> Mapped | None:
    """The changes since the `previous` build, or None when its state does not add up (an
    entry missing, a triple it says was given that the graph does not hold)."""
    found = changes(account, vocab, texts, dataset, previous, check, terms, labels)
    count: Counter = Counter()  # key -> givers now less givers before
    for name in found.gone:
        keys = cache.keys(name)
        if keys is None:
            return None
        count.subtract(keys)
    given: dict[tuple, ox.Triple] = {}
    for keyed in found.fresh.values():
        count.update(keyed.keys())
        given.update(keyed)
    changed = {key: n for key, n in count.items() if n}
    before = old_triples(sorted({key[0] for key in changed}))  # those subjects' triples in the graph on disk
    shared = dict(previous["shared"])
    mapped = Mapped(triples=previous["triples"], classes=Counter(previous["classes"]), mapped=found.mapped,
                    units=len(found.state))
    for key, n in changed.items():
        givers = shared.get(key, 1) if key in before else 0
        now = givers + n
        if now < 0 or (n < 0 and not givers) or (n > 0 and givers and key not in before):
            return None
        if now >= 2:
            shared[key] = now
        else:
            shared.pop(key, None)
        if givers and not now:
            mapped.removed.add(key)
        elif now and not givers:
            mapped.added[key] = given[key]
    mapped.removed_triples = {key: before[key] for key in mapped.removed}
    mapped.before = before
    mapped.triples += len(mapped.added) - len(mapped.removed)
    mapped.classes.update(key[4] for key in mapped.added if not key[1])
    mapped.classes.subtract(key[4] for key in mapped.removed if not key[1])
    mapped.classes = +mapped.classes
    mapped.entries = {name: list(keyed) for name, keyed in found.fresh.items()}
    mapped.state = {"units": found.state, "shared": shared, "classes": mapped.classes, "triples": mapped.triples}
    return mapped
