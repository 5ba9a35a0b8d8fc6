"""The SPARQL behind the entity pages and descriptions, one named query per question.

Not the public saved-query catalogue (queries/): these are the server's own. Each is a file
of sparql/ beside this module (package data), valid SPARQL on its own, read once when the
module is imported. Each page runs a few of them, never one per row, so a council of the
England graph is as quick as the seed's. `$entity` is the entity's IRI (lookups.text puts it
in; on its own it is a SPARQL variable); the prologue has every project prefix.
"""

from pathlib import Path

FOLDER = Path(__file__).with_name("sparql")


def _read(name: str) -> str:
    return (FOLDER / f"{name}.rq").read_text(encoding="utf-8")


EXISTS = _read("exists")
TYPES = _read("types")
DESCRIPTION = _read("description")
PROPERTIES = _read("properties")
INCOMING = _read("incoming")
EVIDENCE = _read("evidence")
COUNCILS = _read("councils")
INSPECTIONS = _read("inspections")
COUNCIL_JUDGEMENTS = _read("council_judgements")
AREAS = _read("areas")
STATISTICS = _read("statistics")
COUNCIL_TENURES = _read("council_tenures")
PERSON_TENURES = _read("person_tenures")
PERSON_TEAMS = _read("person_teams")
INSPECTION = _read("inspection")
INSPECTION_DOCUMENTS = _read("inspection_documents")
JUDGEMENTS = _read("judgements")
TEAM = _read("team")
RECOMMENDATIONS = _read("recommendations")
FINDINGS = _read("findings")
CONCEPT = _read("concept")
THEME_USES = _read("theme_uses")
DOCUMENT = _read("document")
CATALOGUE_ENTRIES = _read("catalogue_entries")
DOCUMENT_SPANS = _read("document_spans")
INCOMING_COUNTS = _read("incoming_counts")
NEIGHBOUR_STATISTICS = _read("neighbour_statistics")
NAME_FORMS = _read("name_forms")
