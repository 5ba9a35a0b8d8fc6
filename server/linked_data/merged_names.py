"""Old IRIs of people whose name variants were merged: `/id/person/sue-myers` answers 301 Moved
Permanently to `/id/person/susan-myers` once the graph keeps "Sue Myers" as an alternative label
of Susan Myers (graph/resolve/name_variants.py), so links published before the merge keep working.

The old IRI is the one the build would give the printed form on its own (graph/model/keys.py's
person_key): the graph states no triple about it, so it is found from the kept node's labels.
"""

from __future__ import annotations

from ofsted_kg.graph.model.keys import person_key

from . import lookups, page_queries

PERSON = "person/"


def kept_path(path: str) -> str | None:
    """The path of the merged person whose variant's IRI `path` was, or None."""
    if not path.startswith(PERSON) or "/" in path[len(PERSON) :]:
        return None
    wanted = path[len(PERSON) :]
    for row in lookups.rows(page_queries.NAME_FORMS):
        if person_key(row["form"]) == wanted and not row["person"].endswith("/" + PERSON + wanted):
            return PERSON + row["person"].rsplit("/" + PERSON, 1)[1]
    return None
