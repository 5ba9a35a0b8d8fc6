"""The search index: SQLite FTS5 (in Python's standard library) over what people look for.

Built once per served graph from its own triples (never from request text), in memory:
councils under every name form la_lookup.csv gives them (ONS name, other names, Ofsted's
listing name: "Stoke", "Bristol", "Hull"), people, themes with their keywords, and the text of
findings and recommendations and the quotes of judgements. A query is its words, each a
prefix ("stoke" finds "Stoke-on-Trent"), all required; hits rank councils, then people,
themes, judgements, recommendations and findings, each by FTS5's bm25 within its kind.
Misspellings get "did you mean": the nearest council and people names (difflib).
"""

from __future__ import annotations

import difflib
import logging
import re
import sqlite3
import threading
from dataclasses import dataclass, field

from ofsted_kg.graph.model.user_errors import OfstedKGError
from ofsted_kg.graph.rdf.namespaces import sparql_prologue
from ofsted_kg.graph.reference.councils import name_key, read_councils

from ..query import solutions

log = logging.getLogger(__name__)
# Kinds in the order hits are shown; the number is the kind's rank.
KINDS = {"council": 0, "person": 1, "theme": 2, "judgement": 3, "recommendation": 4, "finding": 5}
NAME_KINDS, TEXT_KINDS = ("council", "person", "theme"), ("judgement", "recommendation", "finding")
WORD = re.compile(r"\w+", re.UNICODE)
# Markers FTS5's highlight() puts round matched words: private-use characters no text holds,
# so the page can escape the text first and turn them into <mark> after.
OPEN, CLOSE = "\ue000", "\ue001"
MAX_WORDS = 12
# How reports name a council's service beyond what graph/councils.py's name_key strips:
# "Inspection of Barnet local authority children's services".
SERVICE = re.compile(
    r"^\s*inspection\s+of\s+|\s+local\s+authority(?:\s+children['\u2019]?s\s+services)?\s*$"
    r"|\s+children['\u2019]?s\s+services\s*$",
    re.IGNORECASE,
)

COUNCILS = """SELECT ?iri ?label ?region WHERE {
  ?iri a okg:LocalAuthority ; skos:prefLabel ?label . OPTIONAL { ?iri okg:region ?region } }"""
PEOPLE = """SELECT ?iri ?label WHERE { ?iri a foaf:Person ; foaf:name ?label }"""
THEMES = """SELECT ?iri ?label (GROUP_CONCAT(?keyword; separator=" ") AS ?keywords) WHERE {
  ?iri skos:inScheme <https://w3id.org/ofsted-kg/def/theme> ; skos:prefLabel ?label .
  OPTIONAL { ?iri okg:keyword ?keyword } } GROUP BY ?iri ?label"""
# Findings and recommendations: their text; judgements: the quote they were read from.
# Each with its inspection's council and first day, and one evidence span to link to.
TEXTS = """SELECT ?iri ?class ?text ?council ?start ?document ?from ?to WHERE {
  VALUES ?class { okg:Finding okg:Recommendation }
  ?iri a ?class ; okg:text ?text ; okg:inspection ?inspection .
  ?inspection okg:localAuthority/skos:prefLabel ?council .
  OPTIONAL { ?inspection okg:startDate ?start }
  OPTIONAL { ?iri okg:evidence/oa:hasTarget ?target . ?target oa:hasSource ?document ;
             oa:hasSelector ?position . ?position oa:start ?from ; oa:end ?to }
}"""
JUDGEMENTS = """SELECT ?iri ?area ?grade ?text ?council ?start ?document ?from ?to WHERE {
  ?iri a okg:Judgement ; okg:inspection ?inspection ;
       okg:judgementArea/skos:prefLabel ?area ; okg:grade/skos:prefLabel ?grade ;
       okg:evidence/oa:hasTarget ?target .
  ?target oa:hasSource ?document ; oa:hasSelector ?quote, ?position .
  ?quote oa:exact ?text . ?position oa:start ?from ; oa:end ?to .
  ?inspection okg:localAuthority/skos:prefLabel ?council .
  OPTIONAL { ?inspection okg:startDate ?start }
}"""


class BadSearch(OfstedKGError):
    """A search with no words in it."""


@dataclass
class Hit:
    kind: str
    iri: str
    title: str  # the label, or for a text its council and date; matched words between OPEN and CLOSE
    text: str  # the matched text, highlighted the same way ("" for names)
    context: str  # where it is from: a council's region, a text's council and date
    document: str | None = None  # an evidence span: document IRI and offsets
    start: str | None = None
    end: str | None = None


@dataclass
class Results:
    query: str
    hits: list[Hit]
    total: int
    suggestions: list[tuple[str, str]] = field(default_factory=list)  # (label, IRI)


def _rows(graph, query: str) -> list[dict]:
    return solutions.values(graph, sparql_prologue() + query)


def _spaced(slug: str) -> str:
    return slug.replace("-", " ")


class SearchIndex:
    def __init__(self, graph):
        # One connection shared by the server's threads, used under a lock: a search takes
        # milliseconds, and an in-memory database is one connection's alone.
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._lock = threading.Lock()
        # Two tables: named (councils, people, themes: a few thousand, shown first) and texts
        # passages (findings, recommendations, judgement quotes: tens of thousands, ranked by bm25 alone),
        # so a common word ranks only the texts, and only on the columns it reads.
        for table in ("named", "passages"):
            self._db.execute(
                f"CREATE VIRTUAL TABLE {table} USING fts5(title, names, body, kind UNINDEXED, "
                "iri UNINDEXED, context UNINDEXED, document UNINDEXED, start UNINDEXED, "
                "end UNINDEXED, tokenize='unicode61 remove_diacritics 2', prefix='2 3 4')"
            )
        self.names: dict[str, tuple[str, str, str]] = {}  # a name key -> (label, IRI, kind)
        self._fill(graph)

    def _fill(self, graph) -> None:
        aliases: dict[str, set[str]] = {}
        for alias, slug in read_councils().aliases.items():
            aliases.setdefault(slug, set()).add(alias)
        entries = []
        for row in _rows(graph, COUNCILS):
            slug = row["iri"].rstrip("/").rsplit("/", 1)[-1]
            forms = aliases.get(slug, set()) | {slug, name_key(row["label"])}
            entries.append(
                (
                    "council",
                    row["iri"],
                    row["label"],
                    " ".join(sorted(_spaced(f) for f in forms)),
                    "",
                    row["region"] or "",
                    None,
                    None,
                    None,
                )
            )
            for form in forms:
                self.names[form] = (row["label"], row["iri"], "council")
        for row in _rows(graph, PEOPLE):
            entries.append(("person", row["iri"], row["label"], "", "", "", None, None, None))
            self.names.setdefault(name_key(row["label"]), (row["label"], row["iri"], "person"))
        for row in _rows(graph, THEMES):
            entries.append(("theme", row["iri"], row["label"], row["keywords"] or "", "", "theme", None, None, None))
        seen = set()
        for row in _rows(graph, TEXTS):
            if row["iri"] in seen:  # one row a fact: the first evidence span is its link
                continue
            seen.add(row["iri"])
            kind = row["class"].rsplit("#", 1)[-1].lower()
            entries.append(_passage(kind, "", row))
        for row in _rows(graph, JUDGEMENTS):
            if row["iri"] in seen:
                continue
            seen.add(row["iri"])
            entries.append(_passage("judgement", f"{row['area']}: {row['grade']}", row))
        for table, kinds in (("named", NAME_KINDS), ("passages", TEXT_KINDS)):
            self._db.executemany(
                f"INSERT INTO {table}(kind, iri, title, names, body, context, document, start, end) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [e for e in entries if e[0] in kinds],
            )
            self._db.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
        self.size = len(entries)

    @staticmethod
    def match_expression(query: str) -> str:
        """The query's words, each a quoted prefix, all required: no FTS5 syntax from the user."""
        words = WORD.findall(query.lower())[:MAX_WORDS]
        if not words:
            raise BadSearch(f"q: {query[:40]!r} has no words to search for")
        return " AND ".join(f'"{w}"*' for w in words)

    def search(self, query: str, limit: int = 20, offset: int = 0, kind: str | None = None) -> Results:
        expression = self.match_expression(query)
        tables = [t for t, kinds in (("named", NAME_KINDS), ("passages", TEXT_KINDS)) if kind is None or kind in kinds]
        hits: list = []
        total = 0
        with self._lock:
            for table in tables:
                where = f"{table} MATCH ?" + (" AND kind = ?" if kind else "")
                params = [expression] + ([kind] if kind else [])
                count = self._db.execute(f"SELECT count(*) FROM {table} WHERE {where}", params).fetchone()[0]
                skip = max(0, offset - total)  # rows of this table before the page starts
                room = limit - len(hits)
                total += count
                if room <= 0 or skip >= count:
                    continue
                # Rank first on rowids alone; highlight and snippet only the rows shown.
                order = (
                    "CASE kind " + " ".join(f"WHEN '{k}' THEN {n}" for k, n in KINDS.items()) + " END, "
                    if table == "named"
                    else ""
                ) + f"bm25({table}, 10.0, 10.0, 1.0)"
                page = [
                    r[0]
                    for r in self._db.execute(
                        f"SELECT rowid FROM {table} WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?", params + [room, skip]
                    )
                ]
                shown = {
                    r[0]: r[1:]
                    for r in self._db.execute(
                        f"SELECT rowid, kind, iri, highlight({table}, 0, '{OPEN}', '{CLOSE}'), "
                        f"snippet({table}, 2, '{OPEN}', '{CLOSE}', ' … ', 40), context, document, start, end "
                        f"FROM {table} WHERE {table} MATCH ? AND rowid IN ({', '.join('?' * len(page))})",
                        [expression] + page,
                    )
                }
                hits += [Hit(*shown[rowid]) for rowid in page]
        named = self.named(query) if offset == 0 else None
        named = named if named and kind in (None, named[2]) else None
        if named:  # "Stoke-on-Trent City Council": a name form whole, whatever its dressing
            found = [h for h in hits if h.iri == named[1]]
            hits = [h for h in hits if h.iri != named[1]]
            hits.insert(0, found[0] if found else Hit(named[2], named[1], f"{OPEN}{named[0]}{CLOSE}", "", ""))
            total += 0 if found else 1
            hits = hits[:limit]
        return Results(query, hits, total, self.suggest(query) if not any(h.kind == "council" for h in hits) else [])

    def named(self, query: str) -> tuple[str, str, str] | None:
        """The council or person a whole query names (name_key strips "City Council", "London
        Borough of", ...), if it names one."""
        return self.names.get(name_key(SERVICE.sub("", query))) if WORD.search(query) else None

    def suggest(self, query: str, n: int = 3) -> list[tuple[str, str]]:
        """The council and people names nearest the query as typed: the "did you mean" of a miss."""
        key = name_key(SERVICE.sub("", query))
        if not key:
            return []
        near = difflib.get_close_matches(key, self.names.keys(), n=n * 3, cutoff=0.75)
        out = []
        for name in near:
            if self.names[name][:2] not in out:
                out.append(self.names[name][:2])
        return out[:n]


_building = threading.Lock()


def for_service(service) -> SearchIndex:
    """The index of a service's graph, built on first use (or by `warm` at start-up)."""
    index = service.search_index
    if index is None:
        with _building:
            index = service.search_index
            if index is None:
                index = SearchIndex(service.graph)
                service.search_index = index
    return index


def warm(service) -> None:
    """Build the index in the background, so the first search does not wait for it. If the
    store cannot answer now (an external one may be down), the first search builds it, or says
    why it cannot, as any other request would."""

    def build() -> None:
        try:
            for_service(service)
        except Exception as error:  # noqa: BLE001 - a background start-up step: logged, retried on use
            log.warning("the search index was not built at start-up: %s", str(error).splitlines()[0] if str(error) else error)

    threading.Thread(target=build, name="search-index", daemon=True).start()


def _passage(kind: str, title: str, row: dict) -> tuple:
    """An entry for quoted words: their fact, the inspection they are about, and their place in
    their document (the first evidence span), which a hit links to."""
    where = f"{row['council']}, {row['start'] or 'date not known'}"
    return (kind, row["iri"], title, "", row["text"], where, row["document"], row["from"], row["to"])
