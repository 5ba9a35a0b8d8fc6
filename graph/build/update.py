"""`ofsted-kg update`: fetch, then the incremental build, in one command, for a cron job.

The mirror is brought up to date (`fetch`, with its options), then the graph is rebuilt from
it through the extraction cache (`build --keep-going`: only new or changed reports are read).
The build replaces the graph file atomically, and a server serving that file takes up the
new version by itself (server/store/reload.py), so nothing has to be restarted.

Exit codes: 0 fetched and built; 3 built, but some files could not be fetched or some
documents could not be read (each listed); the fetch's 2, 5, 6 and 130 stop before the build
(nothing rebuilt, the served graph unchanged); the build's 1, 2 and 4 likewise leave the
previous graph in place.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..model.user_errors import ExitCode

DEFAULT_GRAPH = Path("build") / "england" / "ofsted-kg.ttl"  # where `make england` writes it


def configure(commands) -> None:
    from ..input.documents import MAX_DOCUMENT_MB
    from ..fetch.command import add_fetch_options

    update = commands.add_parser("update", help="fetch new reports, then rebuild the graph from the mirror incrementally")
    add_fetch_options(update)
    update.add_argument("--graph", type=Path, default=DEFAULT_GRAPH, metavar="FILE",
                        help=f"the graph to rebuild from the mirror (default: {DEFAULT_GRAPH}); a server serving it "
                             "takes up the new version by itself")
    update.add_argument("--jobs", "-j", type=_positive, default=None, metavar="N",
                        help="worker processes reading new documents (default: one per core)")
    update.add_argument("--max-document-mb", type=float, default=MAX_DOCUMENT_MB, metavar="MB", help=argparse.SUPPRESS)
    update.set_defaults(func=run_update)


def _positive(text: str) -> int:
    from .commands import positive

    return positive(text)


def run_update(args) -> int:
    from .commands import run_build
    from ..fetch.command import run_fetch

    fetched = run_fetch(args)
    if fetched not in (ExitCode.OK, ExitCode.PARTIAL):
        return fetched
    built = run_build(argparse.Namespace(input=[args.out], out=args.graph, keep_going=True, jobs=args.jobs, cache=True,
                                         max_document_mb=args.max_document_mb))
    if built not in (ExitCode.OK, ExitCode.PARTIAL):
        return built
    return ExitCode.PARTIAL if ExitCode.PARTIAL in (fetched, built) else ExitCode.OK
