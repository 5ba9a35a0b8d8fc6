"""The registry of fact kinds: every module of this package that declares a `KIND` is one.

Like rdflib's plugin registry, the stages look kinds up here instead of naming them: reading
(sources.py), resolution (resolve.py), the RDF mapping (triples.py) and the build's summary
(the build command) all loop over `KINDS`. A new kind is a new module here declaring its
`FactKind` (fact_kind.py) plus its record class in records.py: docs/architecture.md, "Adding
a fact kind", walks through one.
"""

from __future__ import annotations

import importlib
import pkgutil

from .fact_kind import FactKind


def discover() -> tuple[FactKind, ...]:
    """Every kind declared in this package, in rank order; two kinds of one name or rank are a
    mistake caught at import, not a fact silently dropped."""
    found = []
    for module in pkgutil.iter_modules(__path__):
        kind = getattr(importlib.import_module(f"{__name__}.{module.name}"), "KIND", None)
        if isinstance(kind, FactKind):
            found.append(kind)
    for attribute in ("name", "rank"):
        values = [getattr(k, attribute) for k in found]
        if len(values) != len(set(values)):
            raise ImportError(f"two fact kinds share a {attribute}: {sorted(map(str, values))}")
    return tuple(sorted(found, key=lambda k: k.rank))


KINDS: tuple[FactKind, ...] = discover()
