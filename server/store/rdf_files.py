"""Read RDF files into a pyoxigraph store: the one place the server touches the graph's files.

Turtle, N-Triples, N-Quads and TriG, chosen by the file's suffix; quads keep their named
graph, triples go to the default graph. pyoxigraph was chosen over rdflib's own SPARQL
engine by measurement (bench/engines.py, docs/endpoint.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from ofsted_kg.graph.model.user_errors import OfstedKGError

FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG}


class DataError(OfstedKGError):
    """A data file the server was told to serve but cannot read."""


def rdf_format(path: Path) -> ox.RdfFormat:
    try:
        return FORMATS[path.suffix.lower()]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise DataError(f"{path}: not a file the server reads (suffix one of {known})") from None


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
            raise DataError(f"{path}: not valid {fmt.name} ({str(error).splitlines()[0]})") from None
    return store
