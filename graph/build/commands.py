"""The graph layer's commands, added to `ofsted-kg` by the composition root (ofsted_kg/console.py):
build and validate.

Exit codes (README, "Exit codes"): 0 done; 1 the graph does not conform to the SHACL shapes
(report printed, nothing written); 2 bad input (each problem on one line: file and what is
wrong; nothing written); 3 with --keep-going, built from the good documents but some failed;
4 an output cannot be written (one line: which and why; nothing replaced).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .. import kinds
from ..model.user_errors import ExitCode, one_line
from ..rdf.namespaces import OKG

if TYPE_CHECKING:
    from tqdm import tqdm



def configure(commands) -> None:
    """Add the graph layer's subcommands, build and validate, to the `ofsted-kg` argument parser."""
    from .pipeline import DEFAULT_INPUT, DEFAULT_OUTPUT
    from ..input.documents import MAX_DOCUMENT_MB

    build = commands.add_parser("build", help="read documents and write the validated Turtle graph")
    build.add_argument("--input", "-i", type=Path, action="append", metavar="PATH",
                       help=f"a document or a folder of them, searched recursively; repeatable (default: {DEFAULT_INPUT})")
    build.add_argument("--out", "-o", type=Path, default=DEFAULT_OUTPUT, metavar="FILE",
                       help=f"where to write the Turtle graph; extracted texts go beside it in text/ (default: {DEFAULT_OUTPUT})")
    build.add_argument("--keep-going", action="store_true",
                       help="build from the good documents when some are bad, listing the bad ones (exit 3)")
    build.add_argument("--jobs", "-j", type=positive, default=None, metavar="N",
                       help="worker processes reading documents (default: one per core from 16 documents up, else 1)")
    cache = build.add_mutually_exclusive_group()
    cache.add_argument("--cache", type=Path, default=True, metavar="DIR",
                       help="the extraction cache: what reading each document gave, so a rebuild re-reads only "
                            "new or changed documents (default: .cache/ beside --out)")
    cache.add_argument("--no-cache", dest="cache", action="store_false", help="read every document again, keep nothing")
    build.add_argument("--max-document-mb", type=megabytes, default=MAX_DOCUMENT_MB, metavar="MB",
                       help=f"refuse a document whose file or text is larger than this (default: {MAX_DOCUMENT_MB})")
    validate = commands.add_parser("validate", help="check a Turtle file against the SHACL shapes")
    validate.add_argument("file", type=Path, metavar="FILE")
    build.set_defaults(func=run_build)
    validate.set_defaults(func=run_validate)


def positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, not {text!r}")
    return int(text)


def megabytes(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a number of megabytes above 0, not {text!r}")
    return value


def run_build(args) -> int:
    from .pipeline import build, report_path

    with ProgressBar() as bar:
        result = build(args.input, args.out, keep_going=args.keep_going, jobs=args.jobs,
                       progress=bar.advance, on_total=bar.start, cache=args.cache,
                       max_document_mb=args.max_document_mb)
    for error in result.errors:
        print(f"ofsted-kg: error: {error}", file=sys.stderr)
    for claim in result.unresolved:
        print(f"ofsted-kg: note: left out {claim}", file=sys.stderr)
    if result.validation and not result.validation.conforms:
        print(result.validation.report, file=sys.stderr)
        print(f"ofsted-kg: the graph breaks {result.validation.violations} SHACL constraint(s); nothing written", file=sys.stderr)
        return ExitCode.NOT_CONFORMANT
    counts = ", ".join(f"{result.classes[str(OKG[cls])]} {label}" for cls, label in
                       (kind.summary for kind in kinds.KINDS if kind.summary))
    print(one_line(f"wrote {result.output}: {result.triples} triples from {result.documents} documents ({counts})"))
    failed = sum(1 for o in result.outcomes if o.status == "failed")
    print(one_line(f"extraction report: {report_path(result.output)} ({len(result.outcomes)} files, {failed} failed)"))
    return ExitCode.PARTIAL if result.errors else ExitCode.OK


class ProgressBar:
    """A progress bar on the terminal (tqdm) for builds long enough to want one; silent when
    standard error is not a terminal (CI, pipes) or there are only a few documents."""

    def __init__(self, minimum: int = 16):
        self.minimum = minimum
        self.bar: tqdm | None = None

    def start(self, total: int) -> None:
        if total >= self.minimum and sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="doc", desc="reading", file=sys.stderr)

    def advance(self, n: int) -> None:
        if self.bar:
            self.bar.update(n)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        if self.bar:
            self.bar.close()


def run_validate(args) -> int:
    from rdflib import Graph

    from ..rdf.validate import validate

    if not args.file.is_file():
        print(f"ofsted-kg: error: {args.file}: no such file", file=sys.stderr)
        return ExitCode.BAD_INPUT
    try:
        graph = Graph().parse(args.file, format="turtle")
    except Exception as error:  # rdflib raises several unrelated types for bad syntax
        print(f"ofsted-kg: error: {args.file}: not valid Turtle ({str(error).splitlines()[0]})", file=sys.stderr)
        return ExitCode.BAD_INPUT
    result = validate(graph)
    if not result.conforms:
        print(result.report)
        print(f"ofsted-kg: {args.file} breaks {result.violations} SHACL constraint(s)", file=sys.stderr)
        return ExitCode.NOT_CONFORMANT
    print(f"{args.file} conforms ({len(graph)} triples)")
    return ExitCode.OK
