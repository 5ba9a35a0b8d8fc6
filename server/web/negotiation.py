"""Which format to answer in, for every route: a name (`format=` or a suffix) wins, else Accept.

Accept is read with its q-values and specificity by werkzeug's `MIMEAccept.best_match` (RFC
9110, 12.5.1), over the formats a route offers (formats.py), the default first: with no
preference among them (no Accept, `*/*`, or a tie) the first wins. A format's other media
types (`application/json` for SPARQL results JSON, `application/xhtml+xml` for HTML) count
only where the client names them: `text/html;q=0, */*` must not get the page as XHTML through
`*/*`. A header that rules out every offered format is 406 (`NotAcceptable`), unless the route
has a default of its own; an Accept header werkzeug can read nothing from is no preference.
"""

from __future__ import annotations

from werkzeug.datastructures import MIMEAccept

from .errors import NotAcceptable, echo
from .formats import REPRESENTATIONS, Format, named, offered

# An entity's representations by URL suffix (/doc/PATH.ttl): each format's file extension.
SUFFIXES = {fmt.extension: fmt for fmt in REPRESENTATIONS}


def best(accept: MIMEAccept | None, formats: list[Format], default: Format | None = None) -> Format:
    """The one of `formats` the Accept header prefers; `default` (else 406) when it rules out them all."""
    if not accept:
        return formats[0]
    offers: dict[str, Format] = {}  # media type -> format, in the order offered: ties go to the first
    for fmt in formats:
        offers.setdefault(fmt.media_type, fmt)
        for value, _ in accept:  # the client's own spellings of this format, as it wrote them
            if "/" in value and not value.startswith("*") and fmt.is_named(value.lower()):
                offers.setdefault(value, fmt)
    chosen = accept.best_match(offers)
    if chosen is not None:
        return offers[chosen]
    if default is not None:
        return default
    raise NotAcceptable(
        "none of the Accept header's types is offered; offered: " + ", ".join(dict.fromkeys(f.media_type for f in formats))
    )


def negotiate(form: str, accept: MIMEAccept | None, requested: str | None = None) -> Format:
    """The format to answer a query of this form in: `requested` (a `format=` value or suffix) if
    given, else by Accept; NotAcceptable when none will do."""
    formats = offered(form)
    if requested:
        fmt = named(requested, formats)
        if fmt is None:
            raise NotAcceptable(
                f"a {form} query cannot be given as {echo(requested)}; one of: {', '.join(f.key for f in formats)}"
            )
        return fmt
    try:
        return best(accept, formats)
    except NotAcceptable:
        raise NotAcceptable(
            f"none of the Accept header's types can be given for a {form} query; "
            f"offered: {', '.join(f.media_type for f in formats)}"
        ) from None


def split_suffix(path: str) -> tuple[str, Format | None]:
    """`council/x.ttl` -> (`council/x`, Turtle); a path with no known suffix is kept whole."""
    stem, dot, suffix = path.rpartition(".")
    if dot and "/" not in suffix and suffix in SUFFIXES:
        return stem, SUFFIXES[suffix]
    return path, None


def choose(accept: MIMEAccept | None, default: Format | None = None) -> Format:
    """An entity's representation by Accept: the page or its description in an RDF format."""
    return best(accept, REPRESENTATIONS, default)


def prefers(accept: MIMEAccept | None, first: Format, over: Format) -> bool:
    """Does the client rank `first` strictly above `over`? (A tie, or no Accept, goes to `over`.)"""
    return bool(accept) and best(accept, [over, first], over) is first
