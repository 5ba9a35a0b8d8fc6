"""The `ofsted-kg` command: build and validate the graph, fetch the reports, serve and query it.

Exit codes (README, "Exit codes"): 0 done; 1 the graph does not conform to the SHACL shapes
(report printed, nothing written); 2 bad input (each problem on one line: file and what is
wrong; nothing written); 3 with --keep-going, built from the good documents but some failed;
4 an output cannot be written (one line: which and why; nothing replaced).

The composition root: each layer adds its own subcommands (`configure`), so the graph layer
knows nothing of the server and the server nothing of fetching.
"""

from __future__ import annotations

import argparse
import sys

from ofsted_kg.graph.model.user_errors import EXIT_BAD_INPUT, InputErrors, OfstedKGError


def parser() -> argparse.ArgumentParser:
    from ofsted_kg.graph.build.commands import configure as configure_graph
    from ofsted_kg.graph.build.update import configure as configure_update
    from ofsted_kg.graph.fetch.command import configure as configure_fetch
    from ofsted_kg.graph.reference.wikidata_refresh import configure as configure_links
    from ofsted_kg.server.cli import configure as configure_server

    top = argparse.ArgumentParser(prog="ofsted-kg", description=(__doc__ or "").splitlines()[0])
    commands = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for configure in (configure_graph, configure_server, configure_fetch, configure_update, configure_links):
        configure(commands)
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except InputErrors as errors:
        for error in errors.errors:
            print(f"ofsted-kg: error: {error}", file=sys.stderr)
        print(f"ofsted-kg: {len(errors.errors)} bad input(s); nothing written", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OfstedKGError as error:
        print(f"ofsted-kg: error: {error}", file=sys.stderr)
        return getattr(error, "exit_code", EXIT_BAD_INPUT)  # e.g. 4: the server could not write its store


if __name__ == "__main__":
    sys.exit(main())
