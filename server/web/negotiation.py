"""Which representation of an entity to answer with: a suffix, else the Accept header.

An entity has five: the HTML page for people and its description in Turtle, N-Triples,
JSON-LD and RDF/XML for machines. A suffix (`.ttl`, `.nt`, `.jsonld`, `.rdf`, `.html`)
wins over Accept. Accept is read with its q-values (RFC 9110, 12.5.1); with no preference
among them (no Accept, `*/*`, or a tie) the page wins, as a browser expects. A header that
rules out all five is 406.
"""

from __future__ import annotations

from werkzeug.datastructures import MIMEAccept

from .errors import NotAcceptable
from .formats import GRAPHS, HTML, Format

# HTML first: ties go to the page. The RDF formats as the SPARQL endpoint names them.
REPRESENTATIONS: list[Format] = [HTML, *(f for f in GRAPHS if f is not HTML)]
SUFFIXES = {"html": HTML, "ttl": GRAPHS[0], "nt": GRAPHS[1], "jsonld": GRAPHS[2], "rdf": GRAPHS[3]}
SUFFIX_OF = {fmt.key: suffix for suffix, fmt in SUFFIXES.items()}


def split_suffix(path: str) -> tuple[str, Format | None]:
    """`council/x.ttl` -> (`council/x`, Turtle); a path with no known suffix is kept whole."""
    stem, dot, suffix = path.rpartition(".")
    if dot and "/" not in suffix and suffix in SUFFIXES:
        return stem, SUFFIXES[suffix]
    return path, None


def choose(accept: MIMEAccept | None) -> Format:
    if not accept:
        return HTML
    best, best_quality = None, 0.0
    named = {value.lower(): quality for value, quality in accept}
    for fmt in REPRESENTATIONS:
        # An alias counts only where named: `text/html;q=0, */*` must not get HTML as xhtml via */*.
        quality = max([accept.quality(fmt.media_type)] + [named[a] for a in fmt.aliases if a in named])
        if quality > best_quality:
            best, best_quality = fmt, quality
    if best is None:
        raise NotAcceptable(
            "none of the Accept header's types is offered; offered: " + ", ".join(f.media_type for f in REPRESENTATIONS)
        )
    return best
