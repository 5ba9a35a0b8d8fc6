"""The mapping cache: a rebuild maps again only the units whose records or answers changed,
and the published triples it derives (the last graph's, less what it removed, plus what it
added) are exactly a clean mapping's; the Turtle spliced from the last one is a clean
serialisation's byte for byte."""

from __future__ import annotations

import copy
import random
from dataclasses import replace

import pytest

from ofsted_kg.graph.build.mapping_cache import PublishedGraph, ReadAccount, map_account
from ofsted_kg.graph.build.pipeline import DEFAULT_INPUT, build, check_quotes
from ofsted_kg.graph.input.sources import discover, read_sources
from ofsted_kg.graph.rdf import iris
from ofsted_kg.graph.rdf.namespaces import DCTERMS, OKG, RDFS
from ofsted_kg.graph.rdf.triple_set import TripleSet
from ofsted_kg.graph.rdf.turtle import serialize_keyed
from ofsted_kg.graph.rdf.turtle_splice import blocks, splice
from ofsted_kg.graph.resolve.resolution import resolve
from tests.graph.test_incremental_build import corpus, outputs


@pytest.fixture(scope="module")
def seeds(vocab, councils):
    """The seed documents' account and texts."""
    files, missing = discover([DEFAULT_INPUT])
    reading = read_sources(files, missing, vocab, councils, jobs=1, cache=None, max_mb=50, inputs=[DEFAULT_INPUT])
    account, _ = resolve(reading.extractions, councils)
    return account, reading.texts


class Entries:
    """The mapping cache's store of unit entries, in memory."""

    def __init__(self, entries: dict):
        self.entries = dict(entries)

    def keys(self, name: str):
        return self.entries.get(name)


def clean_map(account, vocab, texts):
    return map_account(account, vocab, texts, TripleSet(), None, None, None, check_quotes)


def rebuild(account, vocab, texts, last):
    """The changes since `last` (a clean mapping), and the graph they make of last's."""

    def old_triples(subjects):
        wanted = set(subjects)
        return {key: triple for key, triple in last.published.items() if key[0] in wanted}

    changed = map_account(account, vocab, texts, TripleSet(), None, last.state, Entries(last.entries), check_quotes, old_triples)
    assert changed.published is None, "the rebuild mapped everything instead of the changes"
    graph = {key: triple for key, triple in last.published.items() if key not in changed.removed}
    graph.update(changed.added)
    return changed, graph


def test_a_rebuild_with_nothing_changed_maps_nothing(seeds, vocab):
    account, texts = seeds
    last = clean_map(account, vocab, texts)
    changed, graph = rebuild(account, vocab, texts, last)
    assert changed.mapped == 0 and not changed.added and not changed.removed
    assert graph == last.published


def test_a_record_removed_drops_its_triples_and_what_others_said_of_it(seeds, vocab):
    """A finding a recommendation cites goes: its node's triples go, and so does the
    recommendation's okg:citesFinding, though the recommendation's record did not change (its
    mapping asked whether the finding was there)."""
    account, texts = seeds
    last = clean_map(account, vocab, texts)
    findings = account.table("findings")
    (ref, number), recommendation = next((key, r) for key, r in account.table("recommendations").items()
                                          if any((key[0], p) in findings for p in r.cited_paragraphs))
    cited = next(p for p in recommendation.cited_paragraphs if (ref, p) in findings)
    changed_account = copy.deepcopy(account)
    del changed_account.table("findings")[(ref, cited)]
    changed, graph = rebuild(changed_account, vocab, texts, last)
    finding, node = str(iris.finding(ref, cited)), str(iris.recommendation(ref, number))
    assert (node, True, str(OKG.citesFinding), 0, finding, "") in changed.removed
    assert not any(key[0] == finding for key in graph), "the finding's own triples are gone"
    assert graph == clean_map(changed_account, vocab, texts).published
    assert changed.mapped < len(last.state["units"]) / 4, "only the units concerned are mapped again"


def test_a_changed_record_gives_the_clean_mapping(seeds, vocab):
    account, texts = seeds
    last = clean_map(account, vocab, texts)
    changed_account = copy.deepcopy(account)
    table = changed_account.table("judgements")
    key = next(iter(table))
    table[key] = replace(table[key], evidence=table[key].evidence[:1])  # fewer quotes of the same grade
    people = changed_account.people
    slug = next(iter(people))
    people[slug] = people[slug] + " Smith"  # a name printed otherwise: the person's node and their memberships change
    changed, graph = rebuild(changed_account, vocab, texts, last)
    assert changed.added and changed.removed
    assert graph == clean_map(changed_account, vocab, texts).published


def test_a_triple_two_units_give_stays_until_the_last_goes(seeds, vocab):
    """An Act's label is given by every citation of it: it leaves the graph with the last."""
    account, texts = seeds
    last = clean_map(account, vocab, texts)
    citations = account.table("citations")
    act = next(a for a in {c.act for c in citations.values()} if sum(c.act == a for c in citations.values()) > 1)
    label = next(key for key in last.published if key[0].endswith(act) and key[2] == str(RDFS.label))
    one_less = copy.deepcopy(account)
    citing = [key for key, c in one_less.table("citations").items() if c.act == act]
    del one_less.table("citations")[citing[0]]
    changed, graph = rebuild(one_less, vocab, texts, last)
    assert label in graph and label not in changed.removed
    assert graph == clean_map(one_less, vocab, texts).published
    none = copy.deepcopy(account)
    for key in citing:
        del none.table("citations")[key]
    changed, graph = rebuild(none, vocab, texts, last)
    assert label in changed.removed and label not in graph
    assert not any(key[2] == str(DCTERMS.references) and key[4].endswith(act) for key in graph)
    assert graph == clean_map(none, vocab, texts).published


def test_what_a_kind_reads_of_the_account_is_recorded_or_refused(seeds):
    account, _ = seeds
    reads: dict = {}
    seen = ReadAccount(account, reads)
    ref = next(iter(account.reports))
    assert seen.reports.get(ref, ()) == account.reports[ref]
    assert ((ref, 1) in seen.table("findings")) == ((ref, 1) in account.table("findings"))
    assert len(reads) == 2
    with pytest.raises(AttributeError):
        seen.unresolved  # noqa: B018: not something a kind's mapping may read unrecorded


def test_the_spliced_turtle_is_the_clean_serialisation(seeds, vocab):
    """Subjects dropped, added (before the first, after the last, between) and changed."""
    account, texts = seeds
    published = clean_map(account, vocab, texts).published
    old = serialize_keyed(published)
    subjects = sorted({key[0] for key in published})
    rng = random.Random(11)
    changed = set(rng.sample(subjects, 40)) | {subjects[0], subjects[-1]} | set(subjects[100:110])  # a run, as a report's evidence
    now = {key: t for key, t in published.items() if key[0] not in changed or rng.random() < 0.5}
    donor = next(key for key in published if key[1] and key[3] == 1)  # a triple with a literal object
    import pyoxigraph as ox

    for subject in ("http://a.example/first", subjects[len(subjects) // 2] + "-new", "zzz:last", subjects[3]):
        triple = ox.Triple(ox.NamedNode(subject), published[donor].predicate, published[donor].object)
        now[(subject, *donor[1:])] = triple
    touched = sorted({key[0] for key in now.keys() ^ published.keys()})
    ranges = blocks(old, touched)
    changed = {k: t for k, t in now.items() if k[0] in set(touched)}
    spliced = splice(old, ranges, changed)
    assert spliced == serialize_keyed(now)

    # what the graph-wide check of a rebuild is given: membership without reading it all back
    graph = PublishedGraph(spliced, len(now), changed, set(touched))
    asked = rng.sample(sorted(published.keys() | now.keys()), 300)
    assert [key in graph for key in asked] == [key in now for key in asked]
    assert graph._keyed is None, "answered from the changed subjects and single blocks"
    assert dict(graph) == now and len(graph) == len(now)


def test_rebuilds_map_only_what_changed_and_write_the_clean_bytes(tmp_path):
    docs = corpus(tmp_path / "docs")
    out = tmp_path / "incremental" / "g.ttl"
    first = build([docs], out)
    assert first.mapping["incremental"] is False
    letter = next(p for p in docs.iterdir() if p.name.startswith("003"))
    letter.write_text(letter.read_text(encoding="utf-8").replace("Progress has been made", "Some progress has been made"),
                      encoding="utf-8")
    changed = build([docs], out)
    assert changed.mapping["incremental"] and 0 < changed.mapping["mapped"] < changed.mapping["units"]
    reference = tmp_path / "clean" / "g.ttl"
    build([docs], reference, cache=False)
    assert outputs(out) == outputs(reference)


def test_a_graph_edited_on_disk_is_written_whole_again(tmp_path):
    docs = corpus(tmp_path / "docs")
    out = tmp_path / "incremental" / "g.ttl"
    build([docs], out)
    out.write_bytes(out.read_bytes().replace(b"Stoke-on-Trent", b"Stoke"))
    letter = next(p for p in docs.iterdir() if p.name.startswith("003"))
    letter.write_text(letter.read_text(encoding="utf-8") + "\nA line added to the letter.\n", encoding="utf-8")
    again = build([docs], out)
    assert again.mapping["incremental"] is False, "the state describes another graph than the one on disk"
    reference = tmp_path / "clean" / "g.ttl"
    build([docs], reference, cache=False)
    assert outputs(out) == outputs(reference)
