"""Where an IRI of the dataset lives on this server, and back.

The data's IRIs stay under the production base (BASE_IRI, https://w3id.org/ofsted-kg/ by
default: w3id.org redirects it to whoever publishes the graph). This server answers for
that base: `/id/<path>` is the IRI `BASE_IRI + "id/" + path`, `/def/<scheme>/<key>` the
concept `BASE_IRI + "def/<scheme>/<key>"`, and `/doc/<path>` the description of the
`id/` IRI (the UK government's /id/ -> 303 -> /doc/ pattern,
https://www.gov.uk/government/publications/designing-uri-sets-for-the-uk-public-sector).

A path is checked before it becomes an IRI: no empty, `.` or `..` segments, nothing an IRI
may not hold (pyoxigraph's NamedNode is the judge), so it can go into SPARQL as `<...>`.
"""

from __future__ import annotations

import re

import pyoxigraph as ox
from flask import current_app, url_for

from ..web.errors import ClientError, echo, shorten

# One `def/` concept: a scheme and a key, both slugs (ontology/concepts.ttl); not `def#` terms.
CONCEPT = re.compile(r"def/([a-z0-9-]+)/([a-z0-9-]+)")
SCHEME = re.compile(r"[a-z0-9-]+")  # def/<scheme>: documented on /ontology, #scheme-<scheme>
TERM = re.compile(r"[A-Za-z][A-Za-z0-9_]*")  # def#<term>: documented on /ontology, #<term>
# What a path segment of a minted IRI may hold (graph/iris.py makes slugs, dates, offsets).
SEGMENT = re.compile(r"[A-Za-z0-9._~%!$&'()*+,;=:@-]+")


class BadIRI(ClientError):
    error = "bad-iri"


def base() -> str:
    return current_app.config["BASE_IRI"]


def entity_iri(path: str) -> ox.NamedNode:
    """The IRI `/id/<path>` and `/doc/<path>` stand for; BadIRI (400) for a path no IRI can have."""
    segments = path.split("/")
    for segment in segments:
        if segment in ("", ".", "..") or not SEGMENT.fullmatch(segment):
            raise BadIRI(
                f"{echo(path)} is not the path of an IRI of this dataset "
                f"(segments of letters, digits and - . _ ~, no empty, '.' or '..' segment)"
            )
    try:
        return ox.NamedNode(base() + "id/" + path)
    except ValueError:
        raise BadIRI(f"{echo(path)} does not make an IRI") from None


def concept_iri(scheme: str, key: str) -> ox.NamedNode:
    if not CONCEPT.fullmatch(f"def/{scheme}/{key}"):
        raise BadIRI(f"{shorten(f'def/{scheme}/{key}')} is not the IRI of a concept (def/<scheme>/<key>, lower-case slugs)")
    return ox.NamedNode(f"{base()}def/{scheme}/{key}")


def local(iri: str | None) -> str | None:
    """The link a page gives for an IRI: this server's page for the dataset's own entities and
    concepts, the IRI itself for anything else (ONS, Wikidata, the ontology's `def#` terms)."""
    if not iri:
        return iri
    root = base()
    if iri.startswith(root + "id/"):
        return url_for("linked_data.doc", path=iri[len(root) + 3 :])
    if iri.startswith(root + "def/"):
        match = CONCEPT.fullmatch(iri[len(root) :])
        if match:
            return url_for("linked_data.concept", scheme=match[1], key=match[2])
        scheme = iri[len(root) + 4 :]
        if SCHEME.fullmatch(scheme):  # a concept scheme: its section of the ontology page
            return url_for("ontology.page", _anchor=f"scheme-{scheme}")
    if iri.startswith(root + "def#") and TERM.fullmatch(iri[len(root) + 4 :]):
        return url_for("ontology.page", _anchor=iri[len(root) + 4 :])  # a class or property
    return iri


def document_key_from_iri(iri: str) -> str:
    """`.../id/document/<key>` -> key (callers have the document's IRI from the graph)."""
    return iri.rsplit("/", 1)[-1]
