"""Saved queries: queries/*.rq, each a SPARQL query under a `#+` YAML header (grlc's format).

    #+ title: Inspections and visits
    #+ description: ...
    #+ params:
    #+   la: {type: iri, in: okg:LocalAuthority, required: false, example: Stoke-on-Trent}
    #+ tags: [inspections]

The header is the single source of truth for a query's title, description and parameters
(type iri, string, date, integer or year; required; default; example; description; for an
iri, `in`: a class or concept scheme whose members may also be named by label or key). A
missing or broken header is an error at start-up, never a warning.

Parameters are bound, never pasted: every query opens its WHERE with one VALUES block over
exactly its parameters, parameter `x` as the variable `?_x` (grlc's naming, which keeps a
parameter apart from the column it filters), all UNDEF so the file runs as it is with nothing
bound. Binding replaces that row with the N-Triples forms of typed, validated pyoxigraph
terms, which escape whatever a value holds; an absent optional parameter stays UNDEF, and
the query's `!BOUND(?_x) || ...` lets it match anything. (pyoxigraph's own `substitutions`
would be neater but requires the variable in the SELECT projection, which would change the
contract's columns.)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import pyoxigraph as ox
import yaml

from ofsted_kg.graph.rdf.namespaces import PREFIXES

from ..web.errors import ECHO_LIMIT, BadParameter, HeaderError, NotFound, echo
from .paging import is_mark

QUERIES = Path(__file__).resolve().parents[2] / "queries"
TYPES = {"iri", "string", "date", "integer", "year"}
PARAM_KEYS = {"type", "required", "default", "example", "description", "in"}
HEADER_KEYS = {"title", "description", "params", "tags"}
XSD = "http://www.w3.org/2001/XMLSchema#"
MAX_STRING = 1000
_VALUES = re.compile(r"VALUES\s*\(([^)]*)\)\s*\{\s*\(((?:\s*UNDEF)+)\s*\)\s*\}", re.I)


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    required: bool = False
    default: str | None = None
    example: str | None = None
    description: str = ""
    within: tuple[str, ...] = ()  # class or scheme IRIs whose members may be named by label


@dataclass(frozen=True)
class SavedQuery:
    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    tags: tuple[str, ...]
    text: str  # the whole file, header included (comments to SPARQL)
    path: Path = field(compare=False)

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)


def expand(curie: str) -> str:
    prefix, _, local = curie.partition(":")
    if prefix in PREFIXES and not local.startswith("//"):
        return str(PREFIXES[prefix]) + local
    return curie


def parse(path: Path) -> SavedQuery:
    """One .rq file; HeaderError naming the file and what to change."""
    text = path.read_text(encoding="utf-8")
    header = [line[3:] if line.startswith("#+ ") else line[2:] for line in text.splitlines() if line.startswith("#+")]
    if not header:
        raise HeaderError(path, "no `#+` header: start the file with `#+ title: ...` and `#+ description: ...` lines")
    try:
        meta = yaml.safe_load("\n".join(header))
    except (yaml.YAMLError, ValueError) as error:  # ValueError: a date-like scalar that is no date
        raise HeaderError(path, f"the `#+` header is not valid YAML ({str(error).splitlines()[0]})") from None
    if not isinstance(meta, dict):
        raise HeaderError(path, "the `#+` header must be a YAML mapping (title:, description:, params:, tags:)")
    if unknown := set(meta) - HEADER_KEYS:
        raise HeaderError(path, f"unknown header key(s) {sorted(unknown)}; allowed: {sorted(HEADER_KEYS)}")
    for key in ("title", "description"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            raise HeaderError(path, f"the header needs a non-empty `{key}`")
    tags = meta.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise HeaderError(path, "`tags` must be a list of words")
    params = tuple(_param(path, name, spec) for name, spec in (meta.get("params") or {}).items())
    _check_values_block(path, text, params)
    return SavedQuery(path.stem, meta["title"].strip(), meta["description"].strip(), params, tuple(tags), text, path)


def _param(path: Path, name, spec) -> Param:
    if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", name):
        raise HeaderError(path, f"parameter name {name!r} must be lower-case letters, digits and _")
    if not isinstance(spec, dict):
        raise HeaderError(path, f"parameter {name}: give a mapping with at least `type`")
    if unknown := set(spec) - PARAM_KEYS:
        raise HeaderError(path, f"parameter {name}: unknown key(s) {sorted(unknown)}; allowed: {sorted(PARAM_KEYS)}")
    if spec.get("type") not in TYPES:
        raise HeaderError(path, f"parameter {name}: `type` must be one of {sorted(TYPES)}, not {spec.get('type')!r}")
    within = spec.get("in") or ()
    within = tuple(expand(c) for c in ([within] if isinstance(within, str) else within))
    if within and spec["type"] != "iri":
        raise HeaderError(path, f"parameter {name}: `in` applies only to type iri")
    param = Param(
        name,
        spec["type"],
        bool(spec.get("required", False)),
        None if spec.get("default") is None else str(spec["default"]),
        None if spec.get("example") is None else str(spec["example"]),
        str(spec.get("description", "")),
        within,
    )
    for key in ("default", "example"):
        value = getattr(param, key)
        if value is not None and not within:  # names in `in` are checked against the graph by the tests
            try:
                term(param, value)
            except BadParameter as error:
                raise HeaderError(
                    path, f"parameter {name}: {key} {value!r} is not a valid {param.type} ({error.detail})"
                ) from None
    return param


def _check_values_block(path: Path, text: str, params: tuple[Param, ...]) -> None:
    names = {p.name for p in params}
    blocks = _VALUES.findall(_sparql(text))
    if not names:
        return
    if len(blocks) != 1:
        raise HeaderError(
            path,
            f"the query needs exactly one `VALUES ({' '.join('?_' + n for n in sorted(names))}) "
            f"{{ (UNDEF ...) }}` block for its parameters, found {len(blocks)}",
        )
    variables = [v.lstrip("?$").removeprefix("_") for v in blocks[0][0].split()]
    if (
        not all(v.lstrip("?$").startswith("_") for v in blocks[0][0].split())
        or set(variables) != names
        or len(blocks[0][1].split()) != len(variables)
    ):
        raise HeaderError(path, f"the VALUES block binds {variables} but the header declares {sorted(names)}")


def _sparql(text: str) -> str:
    """The query without its comment lines, so a VALUES in a comment is not mistaken for the block;
    but for `# PAGE` and `# COVER N`, where a page's LIMITs go (paging.py)."""
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#") or is_mark(line))


def load(folder: Path = QUERIES) -> dict[str, SavedQuery]:
    queries = {}
    for path in sorted(folder.glob("*.rq")):
        query = parse(path)
        queries[query.name] = query
    return queries


def term(param: Param, value: str):
    """A request value as the typed term its parameter declares; BadParameter naming it if not."""

    def bad(why: str) -> BadParameter:
        return BadParameter(f"{param.name}: {why}", parameter=param.name)

    utf8(param, value)
    if param.type == "iri":
        try:
            return ox.NamedNode(value)
        except ValueError:
            raise bad(f"{echo(value)} is not an absolute IRI") from None
    if param.type == "string":
        if len(value) > MAX_STRING:
            raise bad(f"longer than {MAX_STRING} characters")
        return ox.Literal(value)
    if param.type == "date":
        try:
            if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
                raise ValueError
            dt.date.fromisoformat(value)
        except ValueError:
            raise bad(f"{echo(value)} is not a date written YYYY-MM-DD") from None
        return ox.Literal(value, datatype=ox.NamedNode(XSD + "date"))
    if param.type == "integer":
        if not re.fullmatch(r"[+-]?[0-9]{1,18}", value):
            raise bad(f"{echo(value)} is not a whole number")
        return ox.Literal(str(int(value)), datatype=ox.NamedNode(XSD + "integer"))
    if not re.fullmatch(r"[0-9]{4}", value):  # year
        raise bad(f"{echo(value)} is not a year written YYYY")
    return ox.Literal(value, datatype=ox.NamedNode(XSD + "gYear"))


def utf8(param: Param, value: str) -> None:
    """BadParameter if `value` holds a lone surrogate: Python's stand-in for a byte that is not
    UTF-8 in a command line (surrogateescape), which no RDF term can hold (the engine refused
    it with a ValueError, a traceback). Over HTTP such a byte is read as U+FFFD already."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise BadParameter(f"{param.name}: {echo(value)} holds bytes that are not UTF-8", parameter=param.name) from None


def bind(query: SavedQuery, values: dict[str, str], names: Names) -> str:
    """The query's text with its VALUES row holding the request's values (UNDEF where absent)."""
    if unknown := set(values) - {p.name for p in query.params}:
        known = ", ".join(p.name for p in query.params) or "none"
        name = sorted(unknown)[0]
        shown = name if len(name) <= ECHO_LIMIT else name[:ECHO_LIMIT] + "…"
        raise BadParameter(f"{shown}: not a parameter of {query.name} (its parameters: {known})", parameter=shown)
    row = {}
    for param in query.params:
        value = values.get(param.name)
        value = param.default if value in (None, "") else value
        if value is None:
            if param.required:
                example = f" (for example {param.example})" if param.example else ""
                raise BadParameter(f"{param.name}: required{example}", parameter=param.name)
            row[param.name] = "UNDEF"
            continue
        utf8(param, value)  # before a name is looked up, too
        resolved = names.resolve(param, value) if param.within else term(param, value)
        row[param.name] = str(resolved)
    sparql = _sparql(query.text)
    match = _VALUES.search(sparql)
    if not match:
        return sparql
    variables = [v.lstrip("?$").removeprefix("_") for v in match.group(1).split()]
    block = f"VALUES ({' '.join('?_' + v for v in variables)}) {{ ({' '.join(row[v] for v in variables)}) }}"
    return sparql[: match.start()] + block + sparql[match.end() :]


def find(queries: dict[str, SavedQuery], name: str) -> SavedQuery:
    try:
        return queries[name]
    except KeyError:
        raise NotFound(f"no saved query called {echo(name)}; see /queries for the list") from None


class Names:
    """Members of classes and concept schemes by label, key or IRI: how `la=Stoke-on-Trent` becomes an IRI.

    Built once from the served store (never from request text): for each `in` of any
    parameter, every member's skos:prefLabel, skos:altLabel and foaf:name, lower-cased, its
    key (the IRI's last segment) and, for data IRIs, its path under id/{kind}/.

    Built on first use, or in the background from `warm()`: at 10x England it took 3 s of a
    restart, which the raw SPARQL endpoint and the pages that bind nothing need not wait for.
    """

    QUERY = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?x ?name { VALUES ?in { %s } { ?x a ?in } UNION { ?x skos:inScheme ?in }
            OPTIONAL { ?x skos:prefLabel|skos:altLabel|<http://xmlns.com/foaf/0.1/name> ?name } }"""

    def __init__(self, store: ox.Store, queries: dict[str, SavedQuery]):
        self._store, self._queries = store, queries
        self._lock = threading.Lock()
        self._built: tuple[dict[str, dict[str, set[str]]], dict[str, set[str]]] | None = None

    def build_now(self) -> None:
        self._tables()

    def warm(self) -> None:
        """Build the index in a background thread; a request needing it meanwhile waits for it
        (and, were building it to fail, builds it again and answers with the error)."""

        def build() -> None:
            with contextlib.suppress(Exception):  # the request that needs it next meets the error itself
                self._tables()

        threading.Thread(target=build, name="parameter-names", daemon=True).start()

    @property
    def index(self) -> dict[str, dict[str, set[str]]]:
        return self._tables()[0]

    @property
    def members(self) -> dict[str, set[str]]:
        return self._tables()[1]

    def _tables(self) -> tuple[dict[str, dict[str, set[str]]], dict[str, set[str]]]:
        with self._lock:
            if self._built is None:
                self._built = self._build(self._store, self._queries)
            return self._built

    def _build(self, store: ox.Store, queries: dict[str, SavedQuery]):
        all_index: dict[str, dict[str, set[str]]] = {}
        all_members: dict[str, set[str]] = {}
        wanted = {c for q in queries.values() for p in q.params for c in p.within}
        for within in wanted:
            index: dict[str, set[str]] = {}
            members: set[str] = set()
            # `within` comes from our own headers, but it is bound as a term all the same.
            # a SELECT: solutions, pyoxigraph's or remote.py's
            solutions = cast("ox.QuerySolutions", store.query(self.QUERY % ox.NamedNode(within)))
            for solution in solutions:
                iri = solution["x"].value
                members.add(iri)
                keys = {iri.rstrip("/").rsplit("/", 1)[-1].lower()}
                if "/id/" in iri:
                    keys.add(iri.split("/id/", 1)[1].split("/", 1)[-1].lower())
                if solution["name"] is not None:
                    keys.add(solution["name"].value.strip().lower())
                for key in keys:
                    index.setdefault(key, set()).add(iri)
            all_index[within], all_members[within] = index, members
        return all_index, all_members

    def resolve(self, param: Param, value: str) -> ox.NamedNode:
        found = set()
        for within in param.within:
            if value in self.members.get(within, ()):
                return ox.NamedNode(value)
            found |= self.index.get(within, {}).get(value.strip().lower(), set())
        if len(found) == 1:
            return ox.NamedNode(found.pop())
        if found:
            raise BadParameter(
                f"{param.name}: {echo(value)} names several things ({', '.join(sorted(found))}); give the IRI",
                parameter=param.name,
            )
        raise BadParameter(
            f"{param.name}: nothing in the graph is called {echo(value)}"
            + (f" (for example {param.example})" if param.example else ""),
            parameter=param.name,
        )

    def choices(self, param: Param) -> list[str]:
        return sorted(set().union(*(self.members.get(w, set()) for w in param.within)))
