"""The HTTP layer's commands, added to `ofsted-kg` by graph/cli.py: serve, query (issue 3)."""

from __future__ import annotations


def configure(commands) -> None:
    """Add this layer's subcommands to the `ofsted-kg` argument parser (none yet)."""
