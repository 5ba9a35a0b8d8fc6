"""An entity's description for machines: its triples, and the evidence hanging off it.

The entity's own triples, each okg:evidence annotation with its target and both selectors,
and a tenure's interval and instants (page_queries.DESCRIPTION), written in Turtle,
N-Triples, JSON-LD or RDF/XML with the project's prefixes (graph/namespaces.PREFIXES), as the
dumps are. Everything comes from one CONSTRUCT through `service.graph.query`.
"""

from __future__ import annotations

import pyoxigraph as ox

from ..query.execution import PREFIX_IRIS
from ..web.formats import Format
from . import lookups, page_queries

# Without `id:`: its local names need `\/` escapes (id:council\/x), full IRIs read better.
PREFIXES = {prefix: iri for prefix, iri in PREFIX_IRIS.items() if prefix != "id"}


def describe(entity: ox.NamedNode, fmt: Format) -> bytes:
    triples = sorted(lookups.triples(page_queries.DESCRIPTION, entity=entity), key=str)
    # serialize() returns None only when given a file to write to
    return ox.serialize(triples, format=fmt.rdf, prefixes=None if fmt.key == "nt" else PREFIXES) or b""
