"""The graph-wide shapes' check of a rebuild: the last build's stores, changed by what changed.

A clean build loads what the shapes' queries read of the whole graph (3.2 million triples on
England) into pyoxigraph stores and runs every query over every focus node (validate.querying):
half a minute. A rebuild that changes one report changes a few thousand triples. So the stores
are kept on disk, in the extraction cache's folder for this code (`<cache>/<loaders'
version>/shape-stores/`: any change to the code or the shapes starts afresh), and a rebuild
given the change (`delta`: the triples removed and added since the last successful build)
1. applies it to the stores (what the queries read of it);
2. finds, for each shape, the focus nodes whose answer the change can alter: a shape's query
   reads the triples along its steps from the focus node (shape_queries.Reads: each sh:path,
   nested sh:node and sh:property, qualified shapes, the sh:equals and sh:lessThan partners, and
   the rdf:type of every node an sh:class or the target checks). A node's answer can change only
   if one of the triples it reads was removed or added, so the affected focus nodes are those
   reached by walking back from each changed triple along the steps that read it, through the
   graph before and after the change (the store after it, and the removed triples);
3. runs each shape's query with ?this bound to those nodes (VALUES).
The nodes not walked to read the same triples as before, and the last graph conformed: so the
answer is the one a query over the whole graph gives. A change to rdfs:subClassOf (which every
class check reads) runs every query over the whole store instead.

The stores claim to hold the last successful build's graph only when sure (`State`): the state
file is removed before a store is touched and written after, naming the extraction cache's
record of the build the stores were made from (`last-build`, which a build rewrites only once
it has written its graph). The change must also fit: every removed triple the queries read in
the store, every added one not, and the graph's size the last one's less the removed plus the
added. When anything does not fit, the stores are made again from the whole graph, as a build
without a change does (`delta` None), while the Turtle is written, as before.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import multiprocessing.forkserver
import os
import shutil
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from ..model.user_errors import WorkerDied
from . import forked
from .shape_queries import (
    SUBCLASS_IRI,
    TYPE_IRI,
    Reads,
    as_written,
    bounded,
    load,
    n_triples,
    reach,
    reads,
    subclass_edges,
    violated,
)

FOLDER = "shape-stores"  # beside the extraction cache's entries, in its folder for this code
STATE = "state.json"
FORMAT = 2  # 1: a store per group of shapes
TYPE = ox.NamedNode(TYPE_IRI)
WHOLE_FROM = 50_000  # affected focus nodes of one shape: from here its query runs over the whole store


@dataclass(frozen=True)
class Change:
    """What a rebuild changed in the published graph since the last successful build: any
    object with these two collections of pyoxigraph triples will do as `delta`."""

    removed: Collection[ox.Triple] = ()
    added: Collection[ox.Triple] = ()


@contextmanager
def validate_rebuild(published: dict, delta, cache_folder: Path | None, jobs: int = 1) -> Iterator[Callable[[], bool]]:
    """As validate.querying(published, graph-wide shapes, jobs) (yields a function answering
    whether the queries find no violation), from the stores of the last build changed by
    `delta` when they can be trusted, else from stores made afresh of `published` (the whole
    graph, under turtle.order keys), which the next rebuild starts from. No `cache_folder`:
    querying as before, nothing kept."""
    from .validate import graph_wide_shapes, querying

    shapes = tuple(graph_wide_shapes())
    if cache_folder is None:
        with querying(published, shapes, jobs) as answer:
            yield answer
        return
    stores = ShapeStores(Path(cache_folder))
    plan = stores.planned(published, delta, shapes) if delta is not None else None
    if plan is None:
        with stores.made(published, shapes, jobs) as made:
            yield made
        return
    with elsewhere(stores.changed, plan) as pending:

        def answer() -> bool:
            found = pending()
            if found is not None:
                return found
            with stores.made(published, shapes, jobs) as made:  # the stores were not the delta's base
                return made()

        yield answer


@contextmanager
def elsewhere(function: Callable, *args) -> Iterator[Callable]:
    """`function(*args)` in a process started by a fork server (its arguments pickled),
    meanwhile this one goes on; yields a function that waits for its result. The stores on disk
    are only ever opened there: RocksDB's background threads do not survive a fork, so a process
    forked from one that had opened a store on disk (a server holds one) hangs when it opens
    one. The process is watched as forked.py watches its children: killed (out of memory), it
    ends the wait as WorkerDied, where a multiprocessing.Pool waited for its answer for ever.
    No fork: called here, when asked. (What needs this process's objects, the stores made
    afresh, runs in forked children: forked.py.)"""
    if not forked.available():
        yield lambda: function(*args)
        return
    fork_server()
    with forked.forked([partial(function, *args)], "the shape stores' process", method="forkserver") as answers:
        yield lambda: answers()[0]


def fork_server() -> None:
    """The fork server started, if it is not: it imports this module once and opens no store,
    so nothing of this process's comes with the processes it starts."""
    multiprocessing.get_context("forkserver").set_forkserver_preload([__name__])
    multiprocessing.forkserver.ensure_running()


def in_child(function: Callable, *args):
    """`function(*args)`, in another process (see `elsewhere`)."""
    with elsewhere(function, *args) as result:
        return result()


@dataclass
class State:
    """What the stores hold: the graph of the build after the one whose record was `after`, or
    (`exact`) of the build whose record is that; its size; whether it conformed; the shapes of
    each store, and the classes whose rdf:type each holds."""

    holds: dict
    triples: int
    conforms: bool
    groups: list[list[str]]
    classes: list[list[str]]
    format: int = FORMAT

    def trusted(self, record: str) -> bool:
        if "exact" in self.holds:
            return self.holds["exact"] == record
        return self.holds.get("after") != record  # that build wrote its record: it succeeded


@dataclass(frozen=True)
class Plan:
    """A rebuild's change as each store is to take it: (its shapes' queries, the quads to
    remove, the quads to add) a store; the state and record it starts from, the new size."""

    state: State
    record: str
    triples: int
    groups: list[tuple[dict, list, list, dict]]  # and what each shape reads (shape_queries.reads)


@dataclass
class ShapeStores:
    """The on-disk store of the last build's graph: what the queries of each group of shapes (validate.query_groups) read."""

    cache_folder: Path
    folder: Path = field(init=False)

    def __post_init__(self):
        from ..build.extraction_cache import RECORD, loader_version

        version = self.cache_folder / loader_version()
        self.folder = version / FOLDER
        self.record_path = version / RECORD

    def record(self) -> str:
        """The extraction cache's record of the last successful build, as a hash ('' if none)."""
        try:
            return hashlib.sha256(self.record_path.read_bytes()).hexdigest()
        except OSError:
            return ""

    def state(self) -> State | None:
        try:
            state = State(**json.loads((self.folder / STATE).read_text()))
        except (OSError, ValueError, TypeError):
            return None
        return state if state.format == FORMAT else None

    def forget(self) -> None:
        """Before a store changes: until the new state is written, the stores claim nothing."""
        (self.folder / STATE).unlink(missing_ok=True)

    def remember(self, state: State) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = self.folder / f".{STATE}.{os.getpid()}.tmp"
        temporary.write_text(json.dumps(state.__dict__, sort_keys=True))
        os.replace(temporary, self.folder / STATE)

    def path(self) -> Path:
        """The store: what the queries of every group read (a group's queries read only what
        theirs do, shape_queries.Reach, so the rest changes none of their answers)."""
        return self.folder / "store"

    # --- a rebuild: the stores changed by the delta, the affected focus nodes queried ---

    def rebuilt(self, published: dict, delta, shapes: tuple[URIRef, ...]) -> bool | None:
        """Whether the queries find no violation in `published`, from the stores changed by
        `delta`; None when the stores or the delta cannot be trusted."""
        plan = self.planned(published, delta, shapes)
        return None if plan is None else in_child(self.changed, plan)

    def planned(self, published: dict, delta, shapes: tuple[URIRef, ...]) -> Plan | None:
        """What `changed` is to do, when the stores are known to hold the last successful build's
        graph and the delta fits it as far as can be told without them; else None."""
        from .turtle import order
        from .validate import shape_queries_for

        state, record = self.state(), self.record()
        if state is None or not state.trusted(record) or not state.conforms:
            return None
        if sorted(s for group in state.groups for s in group) != sorted(map(str, shapes)):
            return None
        removed, added = list(delta.removed), list(delta.added)
        if state.triples - len(removed) + len(added) != len(published):
            return None
        if any(order(t) not in published for t in added) or any(order(t) in published for t in removed):
            return None
        if any(t.predicate.value == SUBCLASS_IRI for t in removed + added):
            return None  # every class check reads the hierarchy: the whole graph must be asked again
        groups = []
        for index, names in enumerate(state.groups):
            group = tuple(URIRef(s) for s in names)
            compiled = shape_queries_for(group)
            if compiled is None:
                return None
            classes = set(state.classes[index])
            seen = reach(compiled.values())
            gone = list(as_written(t for t in removed if seen.reads(t, classes)))
            new = list(as_written(t for t in added if seen.reads(t, classes)))
            groups.append((compiled, gone, new, shape_reads(group)))
        return Plan(state, record, len(published), groups)

    def changed(self, plan: Plan) -> bool | None:
        """The stores changed as `plan` says and the affected focus nodes asked (run in a forked
        process: `elsewhere`); None, nothing changed, when a store does not hold what the
        change removes or already holds what it adds."""
        store = ox.Store(str(self.path()))
        # what the groups read overlaps: each quad of the change once
        gone = list(dict.fromkeys(q for _, removed, _, _ in plan.groups for q in removed))
        new = list(dict.fromkeys(q for _, _, added, _ in plan.groups for q in added))
        if not all(q in store for q in gone) or any(q in store for q in new):
            return None  # not the graph the delta was taken from
        self.forget()
        change(store, gone, new)
        conforms = all(found_none(store, compiled, removed, added, read) for compiled, removed, added, read in plan.groups)
        state = plan.state
        if conforms:
            holds, triples = {"after": plan.record}, plan.triples
        else:  # put back: the next rebuild's change is taken from the last successful build's graph
            change(store, new, gone)
            holds, triples = {"exact": plan.record}, state.triples
        store.flush()
        self.remember(State(holds, triples, True, state.groups, state.classes))
        return conforms

    # --- a build without a (trusted) change: the stores made afresh, as querying does ---

    @contextmanager
    def made(self, published: dict, shapes: tuple[URIRef, ...], jobs: int) -> Iterator[Callable[[], bool]]:
        from .validate import query_groups, shape_queries_for

        record = self.record()
        self.forget()
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        parallel = jobs >= 2 and forked.available()
        groups = query_groups(published, shapes, min(jobs, 2)) if parallel else [shapes]
        # each group's queries run on a store in memory of what they read; the store on disk
        # holds what any of them reads (`path`), written by the groups in parts: each group
        # the triples no group before it reads (England: 1.9 million triples, not 2.9)
        parts = [self.folder / f"part-{i}.nt" for i in range(len(groups))]
        work = [(group, tuple(groups[:i]), parts[i]) for i, group in enumerate(groups)]

        loads: list[tuple[Callable[[], None], State]] = []  # the store's load, started, and the state it makes true

        def remembered(answers: list[tuple[bool, list[str]]], later: ExitStack) -> bool:
            conforms = all(a for a, _ in answers)
            state = State(
                {"after": record}, len(published), conforms, [sorted(map(str, g)) for g in groups], [c for _, c in answers]
            )
            if conforms:  # loaded while the caller goes on (writes the graph): the state is written once it is done
                loads.append((later.enter_context(elsewhere(stored, self.path(), parts)), state))
            else:  # a graph that does not conform is no rebuild's base
                for part in parts:
                    part.unlink(missing_ok=True)
                self.remember(state)
            return conforms

        calls = [partial(made_store, published, *w) for w in work]
        with ExitStack() as later:
            if not forked.available():
                yield lambda: remembered([call() for call in calls], later)
            else:
                for group in groups:
                    shape_queries_for(group)  # translated once, before the fork
                fork_server()  # now, so that it imports this module while the queries run
                # in forked children that share `published` (forked.py: a child killed out of memory
                # ends the build with one line, where a Pool waited for its answer for ever)
                with forked.forked(
                    [partial(call, in_child=True) for call in calls], "the graph-wide shapes' check (the stores made afresh)"
                ) as answers:
                    yield lambda: remembered(answers(), later)
            # not reached when the caller failed: leaving `later` then ends the load, and nothing is remembered
            for loaded, state in loads:
                try:
                    loaded()
                except (OSError, WorkerDied):
                    # The store is the next rebuild's head start, not an output, and the build has
                    # written its graph by now: a load that fails (a full disk, the loader killed)
                    # costs that head start only. Nothing claims the store; the next build makes it.
                    shutil.rmtree(self.folder, ignore_errors=True)
                    continue
                self.remember(state)


def made_store(
    published: dict, shapes: tuple[URIRef, ...], before: tuple[tuple[URIRef, ...], ...], part: Path, in_child: bool = False
) -> tuple[bool, list[str]]:
    """Whether the queries of `shapes` find no violation in `published` (asked of a store of
    what they read), and the classes whose rdf:type they read. When they find none, `part`
    gets the N-Triples of what they read that the queries of no group `before` this one
    read, for a clean process to load into the store on disk (`stored`): this one is forked.
    `in_child`: run in a forked child, whose exit drops what it made (`LEFT`)."""
    from .validate import shape_queries_for

    compiled = shape_queries_for(shapes)
    if compiled is None:
        return False, []
    seen = reach(compiled.values())
    edges = subclass_edges(published)  # read once, for this group's classes and the earlier groups'
    classes = seen.classes(edges)
    kept = seen.kept(published, classes)
    # Asked of a store in memory, as querying does: the whole graph's queries took 2.5 times
    # as long on the store on disk (bench/README.md, "A rebuild's shapes").
    memory = ox.Store()
    written = load(memory, kept)
    conforms = next(violated(memory, compiled), None) is None
    earlier = [shape_queries_for(g) for g in before]
    # stores of a graph that does not conform, or is not known to (an earlier group's shapes
    # not put as queries: pySHACL judges it), are no rebuild's base: not written
    if conforms and None not in earlier:
        readers = [(r, r.classes(edges)) for r in (reach(q.values()) for q in earlier if q is not None)]
        if readers:
            written = n_triples(item for item in kept if not any(r.reads_key(item[0], c) for r, c in readers))
        part.write_bytes(written)
    if in_child:
        LEFT.append((memory, kept, written))
    return conforms, sorted(classes)


# What a forked child made, left for its exit to drop: freed on return, before the answer was
# sent, the store and the list of a million items (each freed one writing to the parent's
# pages, so copying them) held the answer back by one to two seconds on England.
LEFT: list = []


def stored(path: Path, parts: list[Path]) -> None:
    """The store at `path` loaded from the N-Triples the query processes left (`made_store`)."""
    store = ox.Store(str(path))
    for part in parts:
        store.bulk_load(path=str(part), format=ox.RdfFormat.N_TRIPLES)
    store.flush()
    del store
    for part in parts:
        part.unlink()


def change(store, removed: list, added: list) -> None:
    """`removed` out of `store` and `added` in (pyoxigraph quads), in one transaction."""
    if not removed and not added:
        return
    parts = []
    if removed:
        parts.append("DELETE DATA { " + " . ".join(map(str, removed)) + " }")
    if added:
        parts.append("INSERT DATA { " + " . ".join(map(str, added)) + " }")
    store.update(" ; ".join(parts))


def found_none(store, compiled: dict, removed: list, added: list, read: dict) -> bool:
    """Whether no focus node the change can affect violates a shape of `compiled` in `store`
    (the graph after the change; `removed` and `added` as the store holds them), `read` saying
    what each shape reads."""
    walk = Walk(store, removed)
    changes: dict[tuple, list] = {}  # (predicate, the class if rdf:type) -> the changed quads
    for quad in removed + added:
        predicate = quad.predicate.value
        changes.setdefault((predicate, quad.object.value if predicate == TYPE_IRI else None), []).append(quad)
    for shape, query in compiled.items():
        focus = affected(read[shape], changes, walk)
        if focus is not None and not focus:
            continue
        asked = {shape: query if focus is None or len(focus) >= WHOLE_FROM else bounded(query, sorted(focus))}
        if next(violated(store, asked), None) is not None:
            return False
    return True


@lru_cache(maxsize=8)
def shape_reads(shapes: tuple[URIRef, ...]) -> dict[URIRef, Reads]:
    from .validate import shapes_and_ontology

    return reads(shapes_and_ontology()[0], shapes)


class Walk:
    """The graph before and after a change, for walking back: the store (after) and the removed quads."""

    def __init__(self, store, removed: Iterable):
        self.store = store
        self.gone_in: dict[tuple, list] = {}  # (predicate, object) -> subjects, of removed quads
        self.gone_out: dict[tuple, list] = {}  # (subject, predicate) -> objects
        for quad in removed:
            self.gone_in.setdefault((quad.predicate, quad.object), []).append(quad.subject)
            self.gone_out.setdefault((quad.subject, quad.predicate), []).append(quad.object)
        self.memo: dict[tuple, list] = {}
        self.children: dict[str, list[str]] = {}  # the class hierarchy (rdfs:subClassOf, unchanged)
        for quad in store.quads_for_pattern(None, ox.NamedNode(SUBCLASS_IRI), None):
            self.children.setdefault(quad.object.value, []).append(quad.subject.value)

    def below(self, classes: Iterable[str]) -> set[str]:
        """`classes` and their subclasses."""
        seen, waiting = set(classes), list(classes)
        while waiting:
            for child in self.children.get(waiting.pop(), ()):
                if child not in seen:
                    seen.add(child)
                    waiting.append(child)
        return seen

    def types(self, node) -> list:
        """The classes of `node` after the change."""
        key = (2, node)
        if (found := self.memo.get(key)) is None:
            found = self.memo[key] = [q.object.value for q in self.store.quads_for_pattern(node, TYPE, None)]
        return found

    def subjects(self, predicate, node) -> list:
        key = (0, predicate, node)
        if (found := self.memo.get(key)) is None:
            found = self.memo[key] = [q.subject for q in self.store.quads_for_pattern(None, predicate, node)] + self.gone_in.get(
                (predicate, node), []
            )
        return found

    def objects(self, node, predicate) -> list:
        key = (1, node, predicate)
        if (found := self.memo.get(key)) is None:
            found = self.memo[key] = [q.object for q in self.store.quads_for_pattern(node, predicate, None)] + self.gone_out.get(
                (node, predicate), []
            )
        return found


def affected(read: Reads, changes: dict[tuple, list], walk: Walk) -> set[str] | None:
    """The focus nodes (IRIs) whose answer to a shape reading `read` the changed quads (removed
    or added, under (predicate, the class if rdf:type) in `changes`) can alter: for each step
    that reads a changed triple, the nodes from which the steps lead to it, through the graph before or after the change (`walk`). None when every
    node must be asked (a changed rdfs:subClassOf, or a focus node that is no IRI)."""
    into: dict[str, list] = {}
    by_predicate: dict[str, list] = {}
    for step in read.steps:
        into.setdefault(step.far, []).append(step)
        by_predicate.setdefault(step.predicate, []).append(step)
    predicates = {p: ox.NamedNode(p) for p in by_predicate}
    typed: dict[str, set[str]] = {}  # a class -> the nodes whose rdf:type is read for it or a superclass
    for variable, cls in read.typed:
        for below in walk.below([cls]):
            typed.setdefault(below, set()).add(variable)
    found: set = set()
    seen: set = set()

    def back(variable: str, node) -> None:
        waiting = [(variable, node)]
        while waiting:
            at = waiting.pop()
            if at in seen:
                continue
            seen.add(at)
            variable, node = at
            if variable == "?this":
                found.add(node)
                continue
            for step in into.get(variable, ()):
                nearer = (
                    walk.objects(node, predicates[step.predicate])
                    if step.inverse
                    else walk.subjects(predicates[step.predicate], node)
                )
                waiting.extend((step.near, n) for n in nearer)

    if (SUBCLASS_IRI, None) in changes:
        return None
    for predicate, steps in by_predicate.items():
        if predicate == TYPE_IRI:  # rdf:type as a path step: every type triple
            quads = [q for (p, _), kept in changes.items() if p == TYPE_IRI for q in kept]
        else:
            quads = changes.get((predicate, None), [])
        for step in steps:
            for quad in quads:
                back(step.near, quad.object if step.inverse else quad.subject)
    for cls, variables in typed.items():
        for quad in changes.get((TYPE_IRI, cls), ()):
            for variable in variables:
                back(variable, quad.subject)
    if any(not isinstance(node, ox.NamedNode) for node in found):
        return None
    # Of these, the focus nodes after the change (a node that is none is asked nothing)
    targets = walk.below(read.targets)
    return {node.value for node in found if any(cls in targets for cls in walk.types(node))}
