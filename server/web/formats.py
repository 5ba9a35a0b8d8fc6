"""Every format the server answers in, once: its `format=` name, media type and file extension.

The RDF and SPARQL-results formats are pyoxigraph's own (`RdfFormat`, `QueryResultsFormat`),
which know their media types, extensions and the other names clients give them
(`application/x-turtle`, `text/xml`, `application/json`, ...). What is ours is which formats a
query form is offered in, each format's short `format=` key, the names pyoxigraph does not
know (`format=turtle`, `format=rdfxml`) and two policies: N3 is answered as Turtle (N3 is a
superset of Turtle, so an N3 client such as SPARQLWrapper's reads it), and an HTML table or
page for people. negotiation.py chooses among them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

N3_TYPES = ("text/n3", "text/rdf+n3", "application/n3")  # answered as Turtle


@dataclass(frozen=True)
class Format:
    key: str  # the `format` value, and the Job's format (plain data for a worker process)
    media_type: str
    extension: str  # a URL suffix (/doc/PATH.ttl) and a file's
    engine: ox.RdfFormat | ox.QueryResultsFormat | None = None  # pyoxigraph's; None for HTML
    names: tuple[str, ...] = ()  # further `format=` values and suffixes pyoxigraph does not know
    media_types: tuple[str, ...] = ()  # further media types pyoxigraph does not know as this format

    @property
    def rdf(self) -> ox.RdfFormat:
        """pyoxigraph's RDF format, for serialising a graph in this format."""
        assert isinstance(self.engine, ox.RdfFormat), self.key
        return self.engine

    def is_named(self, name: str) -> bool:
        """Is `name` (a `format=` value, suffix or media type, lowercased) this format?"""
        if name in (self.key, self.media_type, self.extension, *self.names, *self.media_types):
            return True
        if self.engine is None:
            return False
        kind = type(self.engine)
        return self.engine in (kind.from_media_type(name) if "/" in name else kind.from_extension(name),)


def _engine(engine: ox.RdfFormat | ox.QueryResultsFormat, key: str, *names: str, media_types: tuple[str, ...] = ()) -> Format:
    # pyoxigraph's CSV and TSV media types carry "; charset=utf-8", which werkzeug adds to text/* itself.
    return Format(key, engine.media_type.split(";")[0], engine.file_extension, engine, names, media_types)


HTML = Format("html", "text/html", "html", media_types=("application/xhtml+xml",))
JSON = _engine(ox.QueryResultsFormat.JSON, "json")
RESULTS = [
    JSON,
    _engine(ox.QueryResultsFormat.XML, "xml"),
    _engine(ox.QueryResultsFormat.CSV, "csv"),
    _engine(ox.QueryResultsFormat.TSV, "tsv"),
    HTML,
]
TURTLE = _engine(ox.RdfFormat.TURTLE, "ttl", "turtle", "n3", media_types=N3_TYPES)
N_TRIPLES = _engine(ox.RdfFormat.N_TRIPLES, "nt", "ntriples", "n-triples")
JSON_LD = _engine(ox.RdfFormat.JSON_LD, "jsonld", "json-ld")
RDF_XML = _engine(ox.RdfFormat.RDF_XML, "rdfxml")
GRAPHS = [TURTLE, N_TRIPLES, JSON_LD, RDF_XML, HTML]
# An entity's representations (/doc/PATH): the page first, so a tie goes to it as a browser expects.
REPRESENTATIONS = [HTML, TURTLE, N_TRIPLES, JSON_LD, RDF_XML]
# A JSON document that is not SPARQL results: the catalogue's and the errors' (errors.py).
JSON_DOCUMENT = Format("json", "application/json", "json")
BY_KEY = {fmt.key: fmt for fmt in (*RESULTS, *GRAPHS)}


def offered(form: str) -> list[Format]:
    """The formats a query of this form (SELECT, ASK, CONSTRUCT, DESCRIBE) can be given in, the default first."""
    return GRAPHS if form in ("CONSTRUCT", "DESCRIBE") else RESULTS


def named(name: str, formats: list[Format]) -> Format | None:
    """The one of `formats` a client's name for a format means (`ttl`, `turtle`, `text/turtle`, ...)."""
    wanted = name.strip().lower()
    return next((fmt for fmt in formats if fmt.is_named(wanted)), None)
