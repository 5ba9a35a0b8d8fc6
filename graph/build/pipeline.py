"""The build: documents -> records -> triples -> validated graph -> Turtle on disk.

The only stage that writes files (where, and how all-or-nothing: outputs.py). Output is
written only after SHACL validation passes, and a failed or interrupted build never leaves a
half-written graph or a report that describes another graph. Beside the graph,
`text/<document key>.txt` holds each document's extracted text: the text every evidence
offset indexes. What reading each document gave is kept in the extraction cache
(extraction_cache.py), so a rebuild re-reads only new or changed documents.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections import Counter
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ..reference.councils import read_councils
from ..input.documents import MAX_DOCUMENT_MB, read_bytes
from ..model.user_errors import CannotWrite, DocumentError, InputErrors
from .extraction_cache import ExtractionCache
from .mapping_cache import Delta, MappingCache, PublishedGraph, map_account
from .outputs import Outputs, replace_together, write_unless_same
from ..resolve.resolution import resolve
from ..input.sources import discover, read_sources, tasks_for
from ..reference.tables import seeds
from ..rdf.triple_set import TripleSet
from ..rdf.turtle_splice import blocks, splice, triples_of
from ..rdf.turtle import serialize_keyed as turtle_of
from ..rdf.validate import CONFORMS, Validation, validate_merged
from ..rdf.rebuild_validation import validate_rebuild
from ..reference.vocabulary import load_vocabulary

DEFAULT_INPUT = seeds()  # the seed documents: the checkout's seeds/, or the copy a wheel installs
DEFAULT_OUTPUT = Path("build") / "ofsted-kg.ttl"
HEADER = (
    "# ofsted-kg: Ofsted's inspections of English councils' children's services, with evidence.\n"
    "# Contains public sector information licensed under the Open Government Licence v3.0.\n"
    "# Quotations from news articles and press releases remain their publishers' copyright.\n"
)


@dataclass
class BuildResult:
    output: Path
    documents: int = 0
    triples: int = 0
    classes: Counter = field(default_factory=Counter)
    errors: list[DocumentError] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)
    validation: Validation | None = None
    written: bool = False
    outcomes: list = field(default_factory=list)  # sources.Outcome per file: the extraction report
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage, for bench/
    cpu_timings: dict[str, float] = field(default_factory=dict)  # the build process's CPU seconds per stage
    cache: dict[str, int] = field(default_factory=dict)  # extraction cache: hits and misses
    mapping: dict = field(default_factory=dict)  # units of the account, how many mapped, whether only changes were


PARALLEL_FROM = 16  # documents: below this, starting worker processes costs more than it saves
BESIDE_OUTPUT = True  # the default cache: `.cache/` beside the graph


def build(inputs: list[Path] | None = None, output: Path = DEFAULT_OUTPUT, keep_going: bool = False,
          jobs: int | None = None, progress: Callable[[int], None] | None = None,
          on_total: Callable[[int], None] | None = None, cache: Path | bool = BESIDE_OUTPUT,
          max_document_mb: float = MAX_DOCUMENT_MB) -> BuildResult:
    """Build the graph from `inputs`. Raises InputErrors when any document is bad (unless
    keep_going: then the good ones are built and the bad ones listed in the result), and
    CannotWrite, before reading anything, when an output cannot be written.
    `jobs` worker processes read documents (default: one per core for a large input);
    `on_total` is told how many files there are and `progress` of each one done. `cache` is
    the extraction cache's folder (True: `.cache/` beside the graph; False: none)."""
    cache_folder = output.parent / ".cache" if cache is True else (cache or None)
    outputs = Outputs(output, cache_folder)
    outputs.check()
    with ExitStack() as meanwhile:  # processes the build starts to run beside it: ended with it, however it ends
        try:
            return build_checked(inputs, outputs, keep_going, jobs, progress, on_total, max_document_mb, meanwhile)
        except OSError as error:  # the disk filled or a folder changed under the build: nothing half-written is left
            raise CannotWrite(error.filename or output, error.strerror or str(error)) from None


def build_checked(inputs, outputs: Outputs, keep_going, jobs, progress, on_total, max_document_mb,
                  meanwhile: ExitStack) -> BuildResult:
    output, cache_folder = outputs.graph, outputs.cache
    vocab = load_vocabulary()
    councils = read_councils()
    inputs = inputs or [DEFAULT_INPUT]
    files, missing = discover(inputs)
    if on_total:
        on_total(len(files))
    if jobs is None:
        jobs = (os.cpu_count() or 1) if len(files) >= PARALLEL_FROM else 1
    clock = Stopwatch()
    store = ExtractionCache(cache_folder) if cache_folder else None
    inputs_seen = fingerprint(files, missing, store, max_document_mb, keep_going, output, inputs) if store else None
    if store and inputs_seen and (unchanged := unchanged_build(store, inputs_seen, outputs)):
        clock.lap("unchanged")
        unchanged.timings, unchanged.cpu_timings = clock.laps, clock.cpu_laps
        unchanged.cache = {"hits": len(files), "misses": 0}
        return unchanged
    reading = read_sources(files, missing, vocab, councils, jobs=jobs, progress=progress, cache=store,
                           max_mb=max_document_mb, inputs=inputs)
    clock.lap("read")
    # Each document's own evidence, checked in a forked process on the core this one leaves
    # idle while it resolves and maps (evidence_checks.py); collected for the "validate" lap.
    documents_checked = meanwhile.enter_context(reading.evidence.checking(vocab, jobs))
    account, council_errors = resolve(reading.extractions, councils)
    clock.lap("resolve")
    result = BuildResult(output=output, errors=reading.errors + council_errors, unresolved=account.unresolved,
                         outcomes=reading.outcomes, timings=clock.laps, cpu_timings=clock.cpu_laps)
    if store:
        result.cache = {"hits": store.hits, "misses": store.misses}
    if result.errors and not keep_going:
        raise InputErrors(result.errors)
    if not account.documents:
        raise InputErrors(result.errors or [DocumentError(", ".join(map(str, inputs or [DEFAULT_INPUT])), "holds no documents")])

    # The account mapped unit by unit through the mapping cache (mapping_cache.py): on a
    # rebuild only the units whose records or answers changed, and the published triples
    # that changed (`delta`); with no cache, or none that describes the graph on disk, all.
    dataset = TripleSet()
    describe_dataset(dataset, account.documents, reading.texts)
    mapping = MappingCache(store.folder / "mapping") if store else None
    last_turtle, previous = last_graph(mapping, output)
    ranges: dict[str, tuple[int, int]] = {}

    def old_triples(subjects: list[str]) -> dict:
        ranges.update(blocks(last_turtle, subjects))
        return triples_of(last_turtle, ranges)

    mapped = map_account(account, vocab, reading.texts, dataset, None, previous, mapping, check_quotes, old_triples)
    result.documents = len(account.documents)
    result.classes, result.triples = mapped.classes, mapped.triples
    result.mapping = {"units": mapped.units, "mapped": mapped.mapped, "incremental": mapped.published is None}
    clock.lap("triples")
    # The graph-wide check's context (`checking`) is left only once the outputs are written
    # and kept: the shape stores a clean build makes for the next rebuild are loaded meanwhile
    # (rebuild_validation.py), and claimed to hold the graph only once loaded.
    with ExitStack() as checking:
        if mapped.published is not None:
            # The published triples (the merged graph, the ontology and reference overlay), as
            # pyoxigraph's, each under its sort key: checked by the queries and written by its serialiser.
            published, delta = mapped.published, None
            clock.lap("convert")
            # The graph-wide shapes as SPARQL queries over pyoxigraph, in forked processes while
            # this one writes the Turtle: when they find nothing, the graph conforms
            # (validate.queried). When they find something, pySHACL checks the whole graph for the
            # report (in forked workers), and the Turtle is not kept. The stores they were asked
            # of are kept for the next rebuild (rebuild_validation.py).
            quick = checking.enter_context(validate_rebuild(published, delta, cache_folder, jobs))
            turtle = HEADER.encode("utf-8") + turtle_of(published)
            clock.lap("serialise")
            conforms = quick()
        else:
            # Only the changed subjects' blocks are written again, into the last build's Turtle.
            delta = Delta(added=tuple(mapped.added.values()), removed=tuple(mapped.removed_triples.values()))
            now = {key: triple for key, triple in mapped.before.items() if key not in mapped.removed}
            now.update(mapped.added)
            clock.lap("convert")
            turtle = splice(last_turtle, ranges, now)
            del last_turtle
            spliced = PublishedGraph(turtle, mapped.triples, now, set(ranges))
            clock.lap("serialise")
            # Only the focus nodes the delta can reach are asked, of the last build's stores
            # changed by it (rebuild_validation.py); stores that cannot be trusted are made again.
            quick = checking.enter_context(validate_rebuild(spliced, delta, cache_folder, jobs))  # type: ignore[arg-type]  # a dict's reads
            conforms = quick()
            result.mapping["published_read_seconds"] = spliced.seconds  # of the validation's time: the Turtle read back
        clock.lap("validate queries")
        if conforms:
            result.validation = CONFORMS
        else:
            result.validation = validate_merged(Graph().parse(data=turtle, format="turtle"), jobs)
        evidence_checks = reading.evidence_checks | documents_checked()  # the catalogues' and the documents' own
        for document in account.documents:  # each document's own evidence, checked after reading
            if (check := evidence_checks.get(document.key)) is not None:
                result.validation += check
        clock.lap("validate")
        if not result.validation.conforms:
            return result
        for key in sorted(d.key for d in account.documents):  # new texts first: the graph on disk never quotes a missing one
            write_unless_same(outputs.texts / f"{key}.txt", reading.texts[key].encode("utf-8"))
        report = extraction_report(result).encode("utf-8")
        replace_together((output, turtle), (outputs.report, report))
        outputs.remove_texts_except({d.key for d in account.documents})  # as a clean build's folder would be
        clock.lap("write")
        result.written = True
        if store:
            graph_sha256 = sha256(turtle)
            if mapping:
                mapping.save(mapped, output, graph_sha256)
                clock.lap("keep mapping")
            checking.close()  # the shape stores loaded (meanwhile) and their state written: before the build's record
            clock.lap("keep shape stores")
            store.prune(keep=store.used)
            store.record({"fingerprint": inputs_seen, "graph": graph_sha256, "report": sha256(report),
                          "texts": sorted(d.key for d in account.documents), "result": portable(result)})
    return result



def last_graph(mapping: MappingCache | None, output: Path) -> tuple[bytes, dict | None]:
    """The graph on disk and the mapping cache's state of it, when that state describes it."""
    if mapping is None:
        return b"", None
    try:
        turtle = output.read_bytes()
    except OSError:
        return b"", None
    previous = mapping.previous(output, sha256(turtle))
    return (turtle, previous) if previous is not None else (b"", None)


def describe_dataset(graph: Graph | TripleSet, documents, texts: dict[str, str]) -> None:
    """When the data was last updated and from what, on the dataset's node, so the dumps say it
    and the server's VoID/DCAT description repeats it. From the inputs, never the clock (the
    same inputs give the same bytes): dcterms:modified is the newest `fetched` time in the
    catalogue.csv files read (when the last file that changed the mirror came in), else the
    newest publication date of a document; prov:wasDerivedFrom names each catalogue read (a
    fetch's catalogue.csv, a manifest, a listing of file names), whose key is its content hash."""
    from rdflib import Literal
    from rdflib.namespace import DCTERMS, PROV, XSD

    from ..rdf.iris import document as document_iri
    from ..rdf.namespaces import ID
    from ..input.publication import newest_fetch

    dataset = ID["dataset/ofsted-kg"]
    catalogues = sorted((d for d in documents if d.kind == "catalogue"), key=lambda d: d.key)
    fetched = [t for d in catalogues if d.media_type == "text/csv" and (t := newest_fetch(texts[d.key]))]
    if fetched:
        graph.add((dataset, DCTERMS.modified, Literal(max(fetched), datatype=XSD.dateTime)))
    elif issued := [d.issued for d in documents if d.issued and len(d.issued) == 10]:
        graph.add((dataset, DCTERMS.modified, Literal(max(issued), datatype=XSD.date)))
    for catalogue in catalogues:
        graph.add((dataset, PROV.wasDerivedFrom, document_iri(catalogue.key)))


def fingerprint(files, missing, store: ExtractionCache, max_mb: float, keep_going: bool, output: Path,
                inputs: list[Path] | None = None) -> str:
    """What decides a build's output besides the code (whose hash names the cache's folder):
    every file's path and cache key (its bytes, name and catalogue facts), or why it cannot be read."""
    tasks, manifest_errors, _ = tasks_for(files, inputs)
    digest = hashlib.sha256(repr((keep_going, max_mb, str(output))).encode())
    for error in missing + manifest_errors:
        digest.update(f"{error}\n".encode())
    for task in tasks:
        try:
            key = store.key(read_bytes(task[0], max_mb), task[0].name, (task[1:], max_mb))
        except DocumentError as error:
            key = error.problem
        digest.update(f"{task[0]}\0{key}\n".encode())
    return digest.hexdigest()


def unchanged_build(store: ExtractionCache, inputs_seen: str, outputs: Outputs) -> BuildResult | None:
    """The last build's result when it was of these very inputs with this code and what it wrote
    is still on disk as it wrote it: then there is nothing to do."""
    record = store.recorded(inputs_seen)
    if record is None:
        return None
    try:
        if (sha256(outputs.graph.read_bytes()) != record["graph"] or sha256(outputs.report.read_bytes()) != record["report"]
                or not all((outputs.texts / f"{key}.txt").is_file() for key in record["texts"])):
            return None
    except OSError:
        return None
    result = record["result"]
    result.errors = [DocumentError(path, problem) for path, problem in result.errors]
    return result


def portable(result: BuildResult) -> BuildResult:
    """The result as it can be pickled: DocumentErrors (exceptions with fields) as (path, problem)."""
    pairs = [(str(e.path), e.problem) for e in result.errors]  # unchanged_build() makes them DocumentErrors again
    return replace(result, errors=pairs, timings={}, cpu_timings={}, cache={}, mapping={})  # type: ignore[arg-type]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Stopwatch:
    """Wall seconds per stage, and this process's CPU seconds (a busy machine inflates the first)."""

    def __init__(self):
        self.laps: dict[str, float] = {}
        self.cpu_laps: dict[str, float] = {}
        self.last, self.last_cpu = time.perf_counter(), time.process_time()

    def lap(self, name: str) -> None:
        now, now_cpu = time.perf_counter(), time.process_time()
        self.laps[name] = round(now - self.last, 3)
        self.cpu_laps[name] = round(now_cpu - self.last_cpu, 3)
        self.last, self.last_cpu = now, now_cpu


def report_path(output: Path) -> Path:
    return Outputs(output).report


def extraction_report(result: BuildResult) -> str:
    """Every file of the run: what was extracted, what could not be and why, what failed and why."""
    outcomes = sorted(result.outcomes, key=lambda o: o.file)
    statuses = Counter(o.status for o in outcomes)
    report = {
        "summary": {"files": len(outcomes), **dict(sorted(statuses.items())),
                    "failures_by_reason": dict(sorted(Counter(failure_reason(o.reason) for o in outcomes
                                                              if o.status == "failed").items()))},
        "documents": [{k: v for k, v in asdict(o).items() if v not in (None, {}, ())} for o in outcomes],
        "left_out": sorted(result.unresolved),
    }
    return json.dumps(report, indent=1, ensure_ascii=False) + "\n"


def failure_reason(reason: str | None) -> str:
    """A failure's reason without its particulars, for counting like with like."""
    return (reason or "").split(":")[0].split(" (")[0]


def check_quotes(graph: TripleSet, texts: dict[str, str]) -> None:
    """Every quote must be the document's text at its offsets: a mismatch is a loader bug.
    Read from the graph's triples (their sort keys hold each term's text), in one pass."""
    from ..rdf.namespaces import OA

    wanted: dict[str, dict[str, str]] = {str(p): {} for p in (OA.hasSource, OA.start, OA.end, OA.exact)}  # predicate -> {subject: object's text}
    selectors: dict[str, list[str]] = {}  # target -> its selectors
    positions = []
    position_class, has_selector = str(OA.TextPositionSelector), str(OA.hasSelector)
    for subject, not_type, predicate, _, value, _ in graph.keyed():
        if not not_type:
            if value == position_class:
                positions.append(subject)
        elif predicate == has_selector:
            selectors.setdefault(subject, []).append(value)
        elif (values := wanted.get(predicate)) is not None:
            values[subject] = value
    source, starts, ends, exact = (wanted[str(p)] for p in (OA.hasSource, OA.start, OA.end, OA.exact))
    target_of = {selector: target for target, chosen in selectors.items() for selector in chosen}
    for position in positions:
        target = target_of[position]
        document = source[target].rsplit("/", 1)[1]
        quote = next(q for q in selectors[target] if q != position)
        start, end = int(starts[position]), int(ends[position])
        if texts[document][start:end] != exact[quote]:
            raise AssertionError(f"evidence {position} does not quote document {document} at {start}-{end}")
