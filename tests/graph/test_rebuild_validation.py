"""A rebuild's check of the graph-wide shapes (rdf/rebuild_validation.py) answers what a check of
the whole graph answers (validate.querying), from the last build's stores changed by the delta:
a change that breaks a shape on a node it did not touch (a type an sh:class reads, the concept a
nested sh:node reads, the partner of an inverse path) is found; the stores then hold the last
successful build's graph again, and a later change is checked from them; a delta the stores
cannot vouch for is refused, and the whole graph checked instead."""

from __future__ import annotations

import random
import shutil

import pyoxigraph as ox
import pytest

from ofsted_kg.graph.build.extraction_cache import ExtractionCache
from ofsted_kg.graph.rdf import forked, rebuild_validation
from ofsted_kg.graph.rdf.rebuild_validation import Change, ShapeStores, in_child, validate_rebuild
from ofsted_kg.graph.rdf.shape_queries import as_written, reach
from ofsted_kg.graph.rdf.turtle import as_oxigraph, order
from ofsted_kg.graph.rdf.validate import graph_wide_shapes, querying, reference_triples, shape_queries_for

GRAPH_WIDE = tuple(graph_wide_shapes())
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
OKG = "https://w3id.org/ofsted-kg/def#"
OA = "http://www.w3.org/ns/oa#"
SKOS_IN_SCHEME = "http://www.w3.org/2004/02/skos/core#inScheme"
PRIMARY_TOPIC = "http://xmlns.com/foaf/0.1/primaryTopic"
SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"


@pytest.fixture(scope="module")
def base(graph) -> dict:
    """The seed graph as the build holds it: every triple under its turtle.order key."""
    return {order(t): t for t in as_oxigraph(graph) | reference_triples()}


@pytest.fixture(scope="module")
def made(base, tmp_path_factory):
    """A cache folder whose stores hold the seed graph, as a build leaves them (two processes)."""
    cache = tmp_path_factory.mktemp("made") / "cache"
    with validate_rebuild(base, None, cache, jobs=2) as answer:
        assert answer() is True
    ExtractionCache(cache).record({"build": 1})  # that build wrote its graph: the stores hold the last one's
    return cache


@pytest.fixture
def cache(made, tmp_path):
    copy = tmp_path / "cache"
    shutil.copytree(made, copy)
    return copy


def whole(published: dict) -> bool:
    with querying(published, GRAPH_WIDE, jobs=1) as answer:
        return answer()


def changed(base: dict, removed=(), added=()) -> tuple[dict, Change]:
    graph = dict(base)
    for triple in removed:
        del graph[order(triple)]
    for triple in added:
        graph[order(triple)] = triple
    return graph, Change(removed=list(removed), added=list(added))


def triples(base: dict, subject=None, predicate=None, value=None) -> list[ox.Triple]:
    return [t for t in base.values() if (subject is None or t.subject.value == subject)
            and (predicate is None or t.predicate.value == predicate) and (value is None or t.object.value == value)]


def one(base, predicate, value=None):
    return sorted(triples(base, predicate=predicate, value=value), key=str)[0]


def breaks(base: dict):
    """(name, triples removed, triples added): changes that break a shape on a node they do not touch."""
    evidence = one(base, OKG + "evidence")
    annotation = evidence.object.value
    yield "an annotation loses its type (the facts citing it: sh:class)", triples(base, annotation, RDF + "type"), []
    council = one(base, OKG + "localAuthority").object.value
    yield "a council loses its type (its inspections: sh:class)", triples(base, council, RDF + "type", OKG + "LocalAuthority"), []
    grade = one(base, OKG + "grade").object.value
    yield "a grade leaves its schemes (its judgements: nested sh:node)", triples(base, grade, SKOS_IN_SCHEME), []
    other = next(t.subject for t in sorted(triples(base, predicate=OKG + "text"), key=str)
                 if ox.Triple(t.subject, ox.NamedNode(OKG + "evidence"), evidence.object) not in base.values())
    yield "a fact names an annotation whose body it is not (the annotation: inverse path, sh:equals)", [], [
        ox.Triple(other, ox.NamedNode(OKG + "evidence"), evidence.object)]
    entry = one(base, PRIMARY_TOPIC)
    yield "a document's catalogue entry no longer names it (the dated document: inverse path, qualified minimum)", [entry], []
    yield "the entry loses its type (the document: sh:class in a qualified shape)", triples(
        base, entry.subject.value, RDF + "type", OKG + "CatalogueEntry"), []


def test_a_change_breaking_a_shape_on_a_node_it_does_not_touch_is_found(base, cache):
    for name, removed, added in breaks(base):
        assert removed or added, name
        graph, delta = changed(base, removed, added)
        assert whole(graph) is False, name
        answer = ShapeStores(cache).rebuilt(graph, delta, GRAPH_WIDE)
        assert answer is False, name
        # the stores hold the last successful build's graph again: the next change is checked from it
        assert ShapeStores(cache).state().trusted(ShapeStores(cache).record()), name
        held(cache, base)


def test_after_a_change_that_failed_one_that_conforms_is_checked_from_the_stores(base, cache):
    name, removed, added = next(breaks(base))
    graph, delta = changed(base, removed, added)
    assert ShapeStores(cache).rebuilt(graph, delta, GRAPH_WIDE) is False
    title = one(base, "http://purl.org/dc/terms/title")
    retitled = ox.Triple(title.subject, title.predicate, ox.Literal("A retitled report"))
    graph, delta = changed(base, [title], [retitled])
    assert whole(graph) is True
    assert ShapeStores(cache).rebuilt(graph, delta, GRAPH_WIDE) is True
    held(cache, graph)


def held(cache, graph: dict) -> None:
    """The store holds what a store made afresh of `graph` would: what the queries of any group read."""
    stores = ShapeStores(cache)
    wanted: set = set()
    for names in stores.state().groups:
        compiled = shape_queries_for(tuple(shape for shape in GRAPH_WIDE if str(shape) in names))
        wanted |= set(as_written(t for _, t in reach(compiled.values()).kept(graph)))
    # read in a clean process, as the build does (rebuild_validation.elsewhere)
    assert in_child(quads_in, stores.path()) == wanted


def quads_in(path) -> set:
    return set(ox.Store(str(path)))


def test_random_changes_are_judged_as_the_whole_graph_is(base, made, tmp_path):
    """Single triples the queries read, taken out or put in (a stray value), from fixed draws,
    each a rebuild of the seed graph."""
    draw = random.Random(11)
    read = reach(shape_queries_for(GRAPH_WIDE).values()).predicates
    candidates = sorted((t for t in base.values() if t.predicate.value in read), key=str)
    stray = ox.NamedNode("https://w3id.org/ofsted-kg/id/test/stray")
    for _ in range(8):
        triple = draw.choice(candidates)
        for removed, added in (([triple], []), ([], [ox.Triple(triple.subject, triple.predicate, stray)])):
            if added and order(added[0]) in base:
                continue
            graph, delta = changed(base, removed, added)
            cache = tmp_path / f"cache-{len(list(tmp_path.iterdir()))}"
            shutil.copytree(made, cache)
            assert ShapeStores(cache).rebuilt(graph, delta, GRAPH_WIDE) is whole(graph), (removed, added)


def test_a_report_taken_out_and_put_back_is_judged_as_the_whole_graph_is(base, cache):
    key = sorted(t.subject.value for t in triples(base, predicate=RDF + "type", value=OKG + "InspectionReport"))[0]
    ours = [t for t in base.values() if key.rsplit("/", 1)[1] in t.subject.value]
    graph, delta = changed(base, ours, [])
    expected = whole(graph)
    assert ShapeStores(cache).rebuilt(graph, delta, GRAPH_WIDE) is expected
    if expected:  # the stores now hold the graph without it: as a build that wrote it
        ExtractionCache(cache).record({"build": 2})
        held(cache, graph)
        assert ShapeStores(cache).rebuilt(base, Change(added=ours), GRAPH_WIDE) is True
        held(cache, base)


def test_stores_not_known_to_hold_the_last_build_are_not_used(base, cache):
    title = one(base, "http://purl.org/dc/terms/title")
    graph, delta = changed(base, [title], [])
    stores = ShapeStores(cache)
    (stores.folder / "state.json").unlink()  # a build stopped while changing them
    assert stores.rebuilt(graph, delta, GRAPH_WIDE) is None


def test_stores_of_a_build_that_did_not_finish_are_not_used(base, tmp_path):
    cache = tmp_path / "cache"
    with validate_rebuild(base, None, cache, jobs=1) as answer:
        assert answer() is True
    title = one(base, "http://purl.org/dc/terms/title")
    graph, delta = changed(base, [title], [])
    # no record written after the stores were made: the build did not write its graph
    assert ShapeStores(cache).rebuilt(graph, delta, GRAPH_WIDE) is None


def test_stores_loaded_while_a_build_failed_claim_nothing(base, tmp_path):
    """The store on disk is loaded while the build writes its outputs: the state is written once
    it is loaded and the build has left the check, never when the build failed meanwhile."""
    cache = tmp_path / "cache"
    with pytest.raises(OSError), validate_rebuild(base, None, cache, jobs=2) as answer:
        assert answer() is True
        raise OSError("the disk filled while the graph was written")
    assert ShapeStores(cache).state() is None
    with validate_rebuild(base, None, cache, jobs=2) as answer:
        assert answer() is True
        assert ShapeStores(cache).state() is None  # still loading, or loaded but not yet claimed
    assert ShapeStores(cache).state().conforms


def test_a_store_that_fails_to_load_costs_only_the_next_rebuilds_head_start(base, tmp_path, monkeypatch):
    """The store on disk is loaded after the build has written its graph: a load that fails (a
    full disk here) does not fail the build that wrote it, and leaves no store claimed."""
    cache = tmp_path / "cache"

    def full(path, parts):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(forked, "available", lambda: False)  # loaded here, where `stored` is replaced
    monkeypatch.setattr(rebuild_validation, "stored", full)
    with validate_rebuild(base, None, cache, jobs=1) as answer:
        assert answer() is True
    assert ShapeStores(cache).state() is None
    assert not ShapeStores(cache).folder.exists()


def test_a_delta_that_does_not_fit_the_stores_is_refused(base, cache):
    title = one(base, "http://purl.org/dc/terms/title")
    stray = ox.Triple(title.subject, title.predicate, ox.Literal("never in the graph"))
    stores = ShapeStores(cache)
    graph, _ = changed(base, [title], [])
    assert stores.rebuilt(graph, Change(removed=[title, stray]), GRAPH_WIDE) is None  # sizes disagree
    graph = dict(base)
    graph[order(stray)] = stray
    del graph[order(title)]
    graph[order(title)] = title
    # the size fits but `stray` was never there to be removed: the stores were not made from that graph
    assert stores.rebuilt(base, Change(removed=[stray], added=[stray]), GRAPH_WIDE) is None
    assert stores.state() is not None  # refused before any store changed


def test_without_a_delta_or_when_refused_the_whole_graph_is_checked(base, cache):
    grade = one(base, OKG + "grade")
    doubled = ox.Triple(grade.subject, grade.predicate, ox.NamedNode(grade.object.value + "-too"))  # maxCount 1
    graph, _ = changed(base, [], [doubled])
    assert whole(graph) is False
    for delta in (None, Change(removed=[doubled])):  # none, and one the stores refuse
        with validate_rebuild(graph, delta, cache, jobs=2) as answer:
            assert answer() is False
    assert ShapeStores(cache).state().conforms is False  # made afresh of the failing graph: no base for a change


def test_a_build_leaves_stores_of_its_graph(built):
    result, out = built
    stores = ShapeStores(out.parent / ".cache")
    state = stores.state()
    assert state is not None and state.conforms and state.triples == result.triples


def test_shapes_the_queries_cannot_put_leave_the_answer_to_pyshacl_not_an_error(base, tmp_path, monkeypatch):
    # A shape using what shape_queries.py does not translate (Untranslatable): its group's
    # queries answer "not known to conform" and pySHACL judges; the other group's process,
    # writing only what no earlier group reads, must not need the earlier group's queries.
    from ofsted_kg.graph.rdf import validate

    groups = validate.query_groups(base, GRAPH_WIDE, 2)
    translated = validate.shape_queries_for
    monkeypatch.setattr(validate, "shape_queries_for", lambda shapes: None if shapes == groups[0] else translated(shapes))
    with validate_rebuild(base, None, tmp_path / "cache", jobs=2) as answer:
        assert answer() is False
    assert ShapeStores(tmp_path / "cache").state().conforms is False


def test_triples_both_groups_read_and_one_group_alone_reads_taken_out_and_put_back(base, cache):
    """The one store holds what any group reads, each triple once: a change to a triple both
    groups' queries read, and to triples only one of them reads, leaves it as a store made afresh."""
    stores = ShapeStores(cache)
    state = stores.state()
    readers = [(reach(shape_queries_for(tuple(s for s in GRAPH_WIDE if str(s) in names)).values()), set(classes))
               for names, classes in zip(state.groups, state.classes, strict=True)]
    assert len(readers) == 2

    def read_by(which: tuple[bool, bool]) -> list[ox.Triple]:
        return sorted((t for t in base.values() if t.predicate.value != SUBCLASS
                       and tuple(r.reads(t, c) for r, c in readers) == which), key=str)

    draw = random.Random(5)
    both, first, second = read_by((True, True)), read_by((True, False)), read_by((False, True))
    assert both and first and second
    for build in range(3):
        removed = [draw.choice(both), draw.choice(first), draw.choice(second)]
        graph, delta = changed(base, removed, [])
        conforms = whole(graph)
        assert ShapeStores(cache).rebuilt(graph, delta, GRAPH_WIDE) is conforms, removed
        if not conforms:
            held(cache, base)  # put back
            continue
        held(cache, graph)
        ExtractionCache(cache).record({"build": 10 + build})  # that build wrote its graph
        assert ShapeStores(cache).rebuilt(base, Change(added=removed), GRAPH_WIDE) is True
        held(cache, base)
        ExtractionCache(cache).record({"build": 20 + build})
