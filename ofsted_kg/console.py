"""The `ofsted-kg` command: build and validate the graph, fetch the reports, serve and query it.

Exit codes: graph/model/user_errors.py's ExitCode, one enum for every command (README, "Exit
codes"). An error raised on purpose (OfstedKGError) is one line on stderr and its exit_code.

The composition root: each layer adds its own subcommands (`configure`), so the graph layer
knows nothing of the server and the server nothing of fetching.
"""

from __future__ import annotations

import argparse
import sys

from ofsted_kg.graph.model.user_errors import ExitCode, InputErrors, OfstedKGError


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
        return ExitCode.BAD_INPUT
    except OfstedKGError as error:
        print(f"ofsted-kg: error: {error}", file=sys.stderr)
        return error.exit_code  # 2 unless the error says otherwise: 4 the server could not write its store


if __name__ == "__main__":
    sys.exit(main())
