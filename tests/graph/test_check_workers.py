"""A forked process of the build's graph-wide check that dies (the kernel's OOM killer, a signal)
ends the check with one clear error, never a build waiting for an answer that will not come.

Each case runs in its own interpreter, under a time limit: multiprocessing.Pool, which the
check used, replaces a killed worker and waits for the lost task's answer for ever.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

# Far above the few seconds a healthy check of these triples takes, even on a busy machine.
LIMIT = 120

SETUP = """
import os, signal, sys
from ofsted_kg.graph.model.user_errors import OfstedKGError
from ofsted_kg.graph.rdf import validate
from ofsted_kg.graph.rdf.turtle import order
keyed = {order(t): t for t in validate.reference_triples()}
shapes = tuple(validate.graph_wide_shapes())
def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)
"""

CASES = {
    "queries": """
validate.queried = die
try:
    with validate.querying(keyed, shapes, 2) as quick:
        quick()
except OfstedKGError as error:
    print(type(error).__name__, error.exit_code, error, sep="|")
""",
    "pyshacl": """
from rdflib import Graph
validate.validate = die
data = Graph()
for path in (validate.ONTOLOGY, validate.CONCEPTS, validate.REFERENCE):
    data.parse(path, format="turtle")
try:
    validate.validate_merged(data, 2)
except OfstedKGError as error:
    print(type(error).__name__, error.exit_code, error, sep="|")
""",
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_killed_check_process_is_one_clear_error_not_a_hang(case):
    script = textwrap.dedent(SETUP) + textwrap.dedent(CASES[case])
    try:
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=LIMIT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the {case} check waited over {LIMIT} s for a process that had been killed")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 1, done.stdout  # one line: what the CLI prints after "ofsted-kg: error: "
    name, code, message = lines[0].split("|")
    assert name == "WorkerDied" and code == "7"
    assert "SIGKILL" in message and "nothing written" in message


def test_a_check_process_answers_in_order_and_its_own_error_reaches_the_caller():
    from ofsted_kg.graph.rdf import forked

    with forked.forked([lambda: 1, lambda: [2, 3]], "a check") as answers:
        assert answers() == [1, [2, 3]]

    def broken():
        raise ValueError("a shape the queries cannot read")

    with pytest.raises(ValueError, match="cannot read"), forked.forked([lambda: 1, broken], "a check") as answers:
        answers()


def test_a_killed_document_reader_is_one_clear_error_not_a_hang():
    # The readers are spawned; here they are forked instead, so that the reading they do is
    # this script's, which kills its own process halfway through a document.
    script = textwrap.dedent("""
        import multiprocessing, os, signal
        from ofsted_kg.graph.build import reading
        from ofsted_kg.graph.model.user_errors import OfstedKGError
        fork = multiprocessing.get_context("fork")
        multiprocessing.get_context = lambda method=None: fork
        def die(*args, **kwargs):
            os.kill(os.getpid(), signal.SIGKILL)
        reading.read_extracted = die
        try:
            list(reading.read_misses([(("a.pdf",), b""), (("b.pdf",), b"")], None, None, 2, 10.0))
        except OfstedKGError as error:
            print(type(error).__name__, error.exit_code, error, sep="|")
    """)
    name, code, message = error_printed(script, "a document reader")
    assert name == "WorkerDied" and code == "7" and "nothing written" in message


def test_documents_are_handed_to_readers_largest_first_ties_in_order():
    from ofsted_kg.graph.build.reading import largest_first

    work = [(("a.pdf",), b"12"), (("b.pdf",), b"1234"), (("c.pdf",), b"1"), (("d.pdf",), b"5678")]
    assert largest_first(work) == [1, 3, 0, 2]


def test_a_killed_shape_store_process_is_one_clear_error_not_a_hang():
    # The shape stores on disk are loaded (a clean build) and changed (a rebuild) in a process
    # a fork server starts (rebuild_validation.elsewhere); here that process is killed.
    script = textwrap.dedent("""
        import signal
        from ofsted_kg.graph.model.user_errors import OfstedKGError
        from ofsted_kg.graph.rdf.rebuild_validation import in_child
        try:
            in_child(signal.raise_signal, signal.SIGKILL)
        except OfstedKGError as error:
            print(type(error).__name__, error.exit_code, error, sep="|")
    """)
    name, code, message = error_printed(script, "a shape store process")
    assert name == "WorkerDied" and code == "7" and "SIGKILL" in message and "nothing written" in message


def test_the_progress_of_documents_read_out_of_order_is_told_as_each_is_done(tmp_path):
    # The first document, the smallest, is read last (largest first), and the results come
    # back in the tasks' order: the progress bar must not wait for it to count the others.
    # Here it is read only once the others are counted (or after 20 s: too late).
    for name, size in [("a-small.pdf", 1)] + [(f"b-large-{i}.pdf", 5) for i in range(4)]:
        (tmp_path / name).write_bytes(b"%" * size)
    script = textwrap.dedent(f"""
        import multiprocessing
        from pathlib import Path
        from ofsted_kg.graph.build import reading
        from ofsted_kg.graph.build.extraction_cache import Extracted
        fork = multiprocessing.get_context("fork")
        multiprocessing.get_context = lambda method=None: fork
        counted = fork.Event()
        done = []
        def read(task, data, *args, **kwargs):
            in_time = task[0].name != "a-small.pdf" or counted.wait(20)
            return Extracted(problem="in time" if in_time else "too late")
        def progress(n):
            done.append(n)
            if len(done) == 4:
                counted.set()
        reading.read_extracted = read
        reading._init_worker = lambda max_mb: reading._WORKER.update(vocab=None, councils=None, max_mb=max_mb)
        tasks = [(path, None, ()) for path in sorted(Path({str(tmp_path)!r}).iterdir())]
        print(*(result.problem for _, result in reading.read_all(tasks, None, None, 2, progress, None, 10.0)), sep="|")
        print(len(done))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=LIMIT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["|".join(["in time"] * 5), "5"]


def error_printed(script: str, killed: str) -> list[str]:
    """The error `script` prints (name|exit code|message) once `killed` has been killed."""
    try:
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=LIMIT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the build waited over {LIMIT} s for {killed} that had been killed")
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().split("|")


def test_a_killed_evidence_checker_is_one_clear_error_not_a_hang():
    # The documents' evidence checks run in a forked process while the build maps
    # (build/evidence_checks.py); here that process kills itself at its first document.
    script = textwrap.dedent("""
        import os, signal
        from types import SimpleNamespace
        from ofsted_kg.graph.build import evidence_checks
        from ofsted_kg.graph.model.user_errors import OfstedKGError
        def die(*args, **kwargs):
            os.kill(os.getpid(), signal.SIGKILL)
        evidence_checks.check_all = die
        checks = evidence_checks.EvidenceChecks(None)
        checks.want(SimpleNamespace(document=SimpleNamespace(key="a")), None)
        try:
            with checks.checking(None, 2) as checked:
                checked()
        except OfstedKGError as error:
            print(type(error).__name__, error.exit_code, error, sep="|")
    """)
    name, code, message = error_printed(script, "an evidence checker")
    assert name == "WorkerDied" and code == "7" and "SIGKILL" in message and "nothing written" in message
    assert "evidence" in message
