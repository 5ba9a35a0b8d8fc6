"""What each kind of entity page shows, gathered with a few SPARQL queries per page.

A council (identifiers, links out, neighbours, timeline of grades, inspections, statistics,
people in post), an inspection (judgements, team, recommendations, findings by theme), a
person (posts and inspection teams), a theme (where it was raised) and anything else (its
triples). Every fact that has evidence carries its quotes, each linking to the quoted span
in the document view. The templates (templates/<kind>.html) lay them out.
"""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from ofsted_kg.graph.rdf.namespaces import DCTERMS, FOAF, OKG, RDF, RDFS, SKOS

from ..query.execution import PREFIX_IRIS
from . import addresses, lookups, statistics_chart, timeline
from . import page_queries as q

# Predicates of a council shown as identifiers; every other IRI-valued one outside the
# dataset is a link out (dcterms:spatial, rdfs:seeAlso, owl:sameAs, skos:exactMatch, ...).
IDENTIFIERS = {
    str(OKG.ofstedURN): "Ofsted URN",
    str(OKG.laCode): "DfE LA code",
    str(OKG.gssCode): "ONS GSS code",
    str(OKG.region): "Region",
}
NOT_LINKS = {str(RDF.type), str(OKG.statisticalNeighbour), "http://www.w3.org/ns/prov#wasDerivedFrom"}
LABELS = {str(SKOS.prefLabel), str(FOAF.name), str(DCTERMS.title), str(RDFS.label)}


def short(iri: str) -> str:
    """A predicate's prefixed name (dcterms:spatial), for people reading a table of triples."""
    for prefix, namespace in sorted(PREFIX_IRIS.items(), key=lambda item: -len(item[1])):
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def quote_link(document: str, start: str | int, end: str | int) -> str:
    return f"{addresses.local(document)}#char={start},{end}"


def evidence(entity: ox.NamedNode) -> dict[str, list[dict]]:
    """Fact IRI -> its quotes (the entity's own, and those of facts naming it), in document order."""
    quotes = defaultdict(list)
    for row in lookups.rows(q.EVIDENCE, entity=entity):
        row["href"] = quote_link(row["document"], row["start"], row["end"])
        quotes[row["fact"]].append(row)
    return quotes


def council(entity: ox.NamedNode) -> dict:
    properties = lookups.rows(q.PROPERTIES, entity=entity)
    root = addresses.base()
    identifiers = [(IDENTIFIERS[p["p"]], p["o"]) for p in properties if p["p"] in IDENTIFIERS]
    links = _dedupe_by(
        [
            {"predicate": short(p["p"]), "iri": p["o"], "label": p["label"]}
            for p in properties
            if p["p"] not in NOT_LINKS | LABELS | IDENTIFIERS.keys()
            and p["o"].startswith(("http://", "https://"))
            and not p["o"].startswith(root)
        ],
        "predicate",
        "iri",
    )
    neighbours = _dedupe_by(
        [{"iri": p["o"], "label": p["label"] or p["o"]} for p in properties if p["p"] == str(OKG.statisticalNeighbour)], "iri"
    )
    name = next((p["o"] for p in properties if p["p"] == str(SKOS.prefLabel)), entity.value)
    judgements = lookups.rows(q.COUNCIL_JUDGEMENTS, entity=entity)
    return {
        "title": name,
        "identifiers": identifiers,
        "links": links,
        "neighbours": sorted(neighbours, key=lambda n: n["label"]),
        "timeline": timeline.layout(judgements, lookups.rows(q.AREAS)),
        "judgements": judgements,
        "inspections": lookups.rows(q.INSPECTIONS, entity=entity),
        "statistics": lookups.rows(q.STATISTICS, entity=entity),
        "statistics_charts": statistics_chart.layout(entity.value, lookups.rows(q.NEIGHBOUR_STATISTICS, entity=entity)),
        "tenures": lookups.rows(q.COUNCIL_TENURES, entity=entity),
    }


def inspection(entity: ox.NamedNode) -> dict:
    facts = lookups.rows(q.INSPECTION, entity=entity)
    about = facts[0] if facts else {}
    quotes = evidence(entity)
    findings = lookups.rows(q.FINDINGS, entity=entity)
    by_theme: dict[str, list[dict]] = defaultdict(list)
    for row in findings:
        by_theme[row["themeLabel"] or "No theme recognised"].append(row)
    title = f"{about.get('councilLabel', '')}: {about.get('kindLabel', 'inspection')}"
    if about.get("start"):
        title += f", {about['start']}"
    return {
        "title": title,
        "about": about,
        "evidence": quotes,
        "documents": _dedupe_by(lookups.rows(q.INSPECTION_DOCUMENTS, entity=entity), "document"),
        "judgements": lookups.rows(q.JUDGEMENTS, entity=entity),
        "team": lookups.rows(q.TEAM, entity=entity),
        "recommendations": _group(lookups.rows(q.RECOMMENDATIONS, entity=entity), "recommendation"),
        "findings_by_theme": sorted(by_theme.items(), key=lambda item: (item[0] == "No theme recognised", item[0])),
        "finding_count": len({row["finding"] for row in findings}),
    }


def person(entity: ox.NamedNode) -> dict:
    properties = lookups.rows(q.PROPERTIES, entity=entity)
    name = next((p["o"] for p in properties if p["p"] == str(FOAF.name)), entity.value)
    return {
        "title": name,
        "evidence": evidence(entity),
        "tenures": lookups.rows(q.PERSON_TENURES, entity=entity),
        "teams": lookups.rows(q.PERSON_TEAMS, entity=entity),
    }


def theme(entity: ox.NamedNode) -> dict:
    rows = lookups.rows(q.CONCEPT, entity=entity)
    about = rows[0] if rows else {"label": entity.value}
    uses = lookups.rows(q.THEME_USES, entity=entity)
    for use in uses:
        use["year"] = (use["start"] or "")[:4]
    councils = defaultdict(list)
    for use in uses:
        councils[(use["council"], use["councilLabel"])].append(use)
    return {
        "title": about["label"],
        "about": about,
        "keywords": [r["keyword"] for r in rows if r["keyword"]],
        "councils": list(councils.items()),
        "findings": sum(int(u["findings"]) for u in uses),
        "recommendations": sum(int(u["recommendations"]) for u in uses),
    }


def generic(entity: ox.NamedNode) -> dict:
    properties = lookups.rows(q.PROPERTIES, entity=entity)
    title = next((p["o"] for p in properties if p["p"] in LABELS), None)
    for row in properties:
        row["short"] = short(row["p"])
    return {
        "title": title or entity.value.rsplit("/id/", 1)[-1],
        "properties": _dedupe_by(properties, "p", "o"),
        "evidence": evidence(entity),
    }


def referenced_by(entity: ox.NamedNode) -> dict:
    """What points at the entity (every page shows it): the count by property, and the first of them
    (INCOMING's cap) with their labels. The page's own sections show the same links in context;
    this is the whole inbound side, as an RDF client would have to query for it."""
    counts = lookups.rows(q.INCOMING_COUNTS, entity=entity)
    items = _dedupe_by(lookups.rows(q.INCOMING, entity=entity), "s", "p")
    for row in counts + items:
        row["short"] = short(row["p"])
    return {"counts": counts, "items": items, "total": sum(int(c["n"]) for c in counts)}


def councils() -> list[dict]:
    return lookups.rows(q.COUNCILS)


def _group(rows: list[dict], key: str) -> list[dict]:
    """Rows of one item per theme -> one item with a list of its themes."""
    items: dict[str, dict] = {}
    for row in rows:
        item = items.setdefault(row[key], {**row, "themes": []})
        if row.get("theme"):
            item["themes"].append({"iri": row["theme"], "label": row["themeLabel"]})
    return list(items.values())


def _dedupe_by(rows: list[dict], *keys: str) -> list[dict]:
    """The first row for each value of `keys` (an object with two labels gives two rows)."""
    seen, out = set(), []
    for row in rows:
        marker = tuple(row[k] for k in keys)
        if marker not in seen:
            seen.add(marker)
            out.append(row)
    return out
