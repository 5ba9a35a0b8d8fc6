"""The build: documents -> records -> triples -> validated graph -> Turtle on disk.

The only stage that writes files. Output is written atomically (a temporary file in the same
folder, then a rename), so a failed or interrupted build never leaves a half-written graph,
and only after SHACL validation passes. Beside the graph, `text/<document key>.txt` holds
each document's extracted text: the text every evidence offset indexes.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from rdflib import BNode, Graph
from rdflib.namespace import RDF

from .councils import read_councils
from .errors import DocumentError, InputErrors
from .namespaces import bind_prefixes
from .resolve import resolve
from .sources import discover, read_sources
from .tables import seeds
from .triples import to_graph
from .validate import Validation, reference_graph, validate
from .vocabulary import load_vocabulary

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


PARALLEL_FROM = 16  # documents: below this, starting worker processes costs more than it saves


def build(inputs: list[Path] | None = None, output: Path = DEFAULT_OUTPUT, keep_going: bool = False,
          jobs: int | None = None, progress: Callable[[int], None] | None = None,
          on_total: Callable[[int], None] | None = None) -> BuildResult:
    """Build the graph from `inputs`. Raises InputErrors when any document is bad (unless
    keep_going: then the good ones are built and the bad ones listed in the result).
    `jobs` worker processes read documents (default: one per core for a large input);
    `on_total` is told how many files there are and `progress` of each one done."""
    vocab = load_vocabulary()
    councils = read_councils()
    inputs = inputs or [DEFAULT_INPUT]
    files, missing = discover(inputs)
    if on_total:
        on_total(len(files))
    if jobs is None:
        jobs = (os.cpu_count() or 1) if len(files) >= PARALLEL_FROM else 1
    clock = Stopwatch()
    reading = read_sources(files, missing, vocab, councils, jobs=jobs, progress=progress, inputs=inputs)
    clock.lap("read")
    account, council_errors = resolve(reading.extractions, councils)
    clock.lap("resolve")
    result = BuildResult(output=output, errors=reading.errors + council_errors, unresolved=account.unresolved,
                         outcomes=reading.outcomes, timings=clock.laps)
    if result.errors and not keep_going:
        raise InputErrors(result.errors)
    if not account.documents:
        raise InputErrors(result.errors or [DocumentError(", ".join(map(str, inputs or [DEFAULT_INPUT])), "holds no documents")])

    graph = to_graph(account, vocab)
    check_quotes(graph, reading.texts)
    clock.lap("triples")
    result.validation = validate(graph)
    clock.lap("validate")
    result.documents = len(account.documents)
    if not result.validation.conforms:
        return result
    published = bind_prefixes(Graph())
    for triple in graph:
        published.add(triple)
    for triple in reference_graph():
        published.add(triple)
    if any(isinstance(term, BNode) for triple in published for term in triple):
        raise AssertionError("blank node in the published graph: every node needs an IRI from a stable key")
    result.triples = len(published)
    result.classes = Counter(str(o) for o in graph.objects(None, RDF.type))
    write_atomically(output, (HEADER + published.serialize(format="turtle")).encode("utf-8"))
    clock.lap("write")
    texts = output.parent / "text"
    for key in sorted(d.key for d in account.documents):
        write_atomically(texts / f"{key}.txt", reading.texts[key].encode("utf-8"))
    write_atomically(report_path(output), extraction_report(result).encode("utf-8"))
    result.written = True
    return result


class Stopwatch:
    def __init__(self):
        self.laps: dict[str, float] = {}
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self.last, 3)
        self.last = now


def report_path(output: Path) -> Path:
    return output.parent / "extraction-report.json"


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


def check_quotes(graph: Graph, texts: dict[str, str]) -> None:
    """Every quote must be the document's text at its offsets: a mismatch is a loader bug."""
    from .namespaces import OA

    for position in graph.subjects(RDF.type, OA.TextPositionSelector):
        target = graph.value(None, OA.hasSelector, position)
        document = str(graph.value(target, OA.hasSource)).rsplit("/", 1)[1]
        quote = next(q for q in graph.objects(target, OA.hasSelector) if q != position)
        start, end = int(graph.value(position, OA.start)), int(graph.value(position, OA.end))
        if texts[document][start:end] != str(graph.value(quote, OA.exact)):
            raise AssertionError(f"evidence {position} does not quote document {document} at {start}-{end}")


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.chmod(temporary, 0o666 & ~current_umask())  # mkstemp makes 0600; a published dump is for everyone
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
