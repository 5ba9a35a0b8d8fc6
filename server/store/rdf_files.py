"""Read RDF files into a pyoxigraph store: the one place the server touches the graph's files.

Turtle, N-Triples, N-Quads and TriG, chosen by the file's suffix; quads keep their named
graph, triples go to the default graph. pyoxigraph was chosen over rdflib's own SPARQL
engine by measurement (bench/engines.py; README, "Why pyoxigraph: measured").
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from ofsted_kg.graph.model.user_errors import OfstedKGError, one_line

# Chosen by suffix, which pyoxigraph maps to its format (RdfFormat.from_extension).
READ = (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG)
GZIP_MAGIC = b"\x1f\x8b"  # RFC 1952: the first two bytes of every gzip file


class DataError(OfstedKGError):
    """A data file the server was told to serve but cannot read."""


def rdf_format(path: Path) -> ox.RdfFormat:
    fmt = ox.RdfFormat.from_extension(path.suffix[1:].lower()) if path.suffix else None
    if fmt not in READ:
        known = ", ".join(sorted("." + f.file_extension for f in READ))
        raise DataError(f"{path}: not a file the server reads (suffix one of {known})")
    assert fmt is not None
    return fmt


def load(paths: Sequence[Path | str]) -> ox.Store:
    """A new in-memory store holding every file in `paths`."""
    store = ox.Store()
    if not paths:
        raise DataError("no data files to serve")
    for path in map(Path, paths):
        fmt = rdf_format(path)
        if not path.is_file():
            raise DataError(f"{path}: no such file (build the graph first: `ofsted-kg build`)")
        try:
            store.load(path=str(path), format=fmt)
        except (SyntaxError, ValueError, OSError) as error:
            raise invalid(path, fmt, str(error)) from None
    return store


def invalid(path: Path, fmt: ox.RdfFormat, detail: str) -> DataError:
    """The error for a file the parser refused: a gzip file said so (the parser's words would
    quote its first byte, a control character), else the parser's first line, on one line."""
    try:
        with path.open("rb") as f:
            compressed = f.read(2) == GZIP_MAGIC
    except OSError:
        compressed = False
    if compressed:
        return DataError(f"{one_line(path)}: gzip-compressed, not {fmt.name} text (decompress it first, e.g. with gunzip)")
    return DataError(one_line(f"{path}: not valid {fmt.name} ({detail.splitlines()[0] if detail else 'no detail'})"))
