"""Which media type to answer in: by a `format` parameter or suffix, else by Accept (q-values).

SELECT and ASK answer in SPARQL results JSON, XML, CSV or TSV; CONSTRUCT and DESCRIBE in
Turtle, N-Triples, JSON-LD or RDF/XML; both also as an HTML table for people. Anything
else is 406. With no preference (no Accept, or */*), JSON for results and Turtle for graphs,
the first of each list. SPARQL 1.1 Protocol, 2.1.5 ("Accepted Response Formats").
"""

from __future__ import annotations

from dataclasses import dataclass

from werkzeug.datastructures import MIMEAccept

from .errors import NotAcceptable, echo


@dataclass(frozen=True)
class Format:
    key: str  # the `format` value and URL suffix
    media_type: str
    aliases: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()

    def names(self) -> tuple[str, ...]:
        return (self.key, self.media_type, *self.aliases, *self.suffixes)


HTML = Format("html", "text/html", ("application/xhtml+xml",))
RESULTS = [
    Format("json", "application/sparql-results+json", ("application/json",)),
    Format("xml", "application/sparql-results+xml", ("application/xml", "text/xml")),
    Format("csv", "text/csv"),
    Format("tsv", "text/tab-separated-values"),
    HTML,
]
GRAPHS = [
    # N3 is a superset of Turtle, so an N3 client (SPARQLWrapper's N3: format=n3, text/n3) reads Turtle.
    Format(
        "ttl",
        "text/turtle",
        ("application/x-turtle", "text/n3", "text/rdf+n3", "application/n3", "application/turtle"),
        ("turtle", "n3"),
    ),
    Format("nt", "application/n-triples", ("text/plain",), ("ntriples", "n-triples")),
    Format("jsonld", "application/ld+json", ("application/json",), ("json-ld", "json")),
    Format("rdfxml", "application/rdf+xml", ("application/xml", "text/xml"), ("xml", "rdf")),
    HTML,
]


def offered(form: str) -> list[Format]:
    return GRAPHS if form in ("CONSTRUCT", "DESCRIBE") else RESULTS


def negotiate(form: str, accept: MIMEAccept | None, requested: str | None = None) -> Format:
    """The format to answer a query of this form in; NotAcceptable when none will do."""
    formats = offered(form)
    if requested:
        wanted = requested.strip().lower()
        for fmt in formats:
            if wanted in fmt.names():
                return fmt
        raise NotAcceptable(f"a {form} query cannot be given as {echo(requested)}; one of: {', '.join(f.key for f in formats)}")
    if not accept:
        return formats[0]
    best, best_quality = None, 0.0
    for fmt in formats:  # ties go to the first offered: JSON, then Turtle
        quality = max(accept.quality(t) for t in (fmt.media_type, *fmt.aliases))
        # A browser's */* (or application/xml) must not win HTML over the explicit text/html.
        if quality > best_quality:
            best, best_quality = fmt, quality
    if best is None:
        raise NotAcceptable(
            f"none of the Accept header's types can be given for a {form} query; "
            f"offered: {', '.join(f.media_type for f in formats)}"
        )
    return best
