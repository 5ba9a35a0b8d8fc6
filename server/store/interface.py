"""What the server asks of the graph it serves, whichever holds it: pyoxigraph's `Store`
(in memory, or the persisted store on disk) or `remote.RemoteStore` (an external SPARQL
endpoint over HTTP). Nothing in the server calls a store method not named here."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol


class GraphStore(Protocol):
    def query(self, query: str, /, *args: Any, **kwargs: Any) -> Any:
        """A SPARQL query's outcome: solutions (with `variables`), a boolean, or triples."""
        ...

    def named_graphs(self) -> Iterator[Any]: ...

    def dump(self, output: Any, /, *args: Any, **kwargs: Any) -> Any:
        """Write the graph (or one graph of it, `from_graph=`) to a file in an RDF format."""
        ...
