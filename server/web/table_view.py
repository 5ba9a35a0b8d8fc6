"""A results table people can work with (Datasette's conventions): sorted by a column, paged,
the dataset's IRIs shown by their labels and linked to this server's pages.

View parameters, beside a saved query's own: `_sort=COLUMN` (ascending) or `_sort_desc=COLUMN`,
`_page=N` (from 1) and `_size=N` rows a page (1 to MAX_SIZE, PAGE_SIZE by default), and filters
in Datasette's spelling, `COLUMN__contains=TEXT` (the cell's value or label holds TEXT, any case)
and `COLUMN__exact=TEXT` (is TEXT, any case), all of them kept (AND). The suffix keeps a filter
apart from a saved query's own parameter of the same name (`la=` binds, `la__contains=` filters).
They apply to the HTML table and, given to `.json` or `.csv`, to those answers too, so the CSV and
JSON links of a page are the same view. A column the answer has not, or a page past its end, is 400.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from ..linked_data import lookups
from .errors import BadParameter, echo

VIEW_PARAMS = ("_sort", "_sort_desc", "_page", "_size")
OPERATORS = {"contains": "contains", "exact": "is"}  # a filter's suffix -> how the page says it
PAGE_SIZE, MAX_SIZE = 50, 1000
NUMERIC = ("integer", "decimal", "double", "float", "int", "long", "short", "nonNegativeInteger", "positiveInteger")
LABELS = """SELECT ?iri ?label WHERE {
  VALUES ?iri { $iris }
  ?iri skos:prefLabel|foaf:name|dcterms:title|rdfs:label ?label }"""


@dataclass(frozen=True)
class Filter:
    column: str
    operator: str  # a key of OPERATORS
    text: str

    @property
    def parameter(self) -> str:
        return f"{self.column}__{self.operator}"


@dataclass
class View:
    sort: str | None = None
    descending: bool = False
    page: int = 1
    size: int = PAGE_SIZE
    given: bool = False  # any view parameter in the request
    filters: tuple[Filter, ...] = ()


def is_view_parameter(name: str) -> bool:
    return name in VIEW_PARAMS or _filter_of(name, "x") is not None


def _filter_of(name: str, text: str) -> Filter | None:
    column, _, operator = name.rpartition("__")
    return Filter(column, operator, text) if column and operator in OPERATORS else None


FORM_FIELDS = ("_filter_column", "_filter_operator", "_filter_text")


def from_form(args: dict[str, str]) -> tuple[str, str] | None:
    """The filter form's three fields (a page without JavaScript cannot name a field after the
    chosen column) -> the filter's own parameter and text, for a redirect to the address that
    keeps it (`la__contains=stoke`); None when the request is not the form's."""
    if not any(name in args for name in FORM_FIELDS):
        return None
    column, operator, text = (args.get(name, "").strip() for name in FORM_FIELDS)
    if operator not in OPERATORS:
        raise BadParameter(
            f"_filter_operator: {echo(operator)} is not one of {', '.join(OPERATORS)}", parameter="_filter_operator"
        )
    if not column:
        raise BadParameter("_filter_column: name the column to filter", parameter="_filter_column")
    return f"{column}__{operator}", text


def split(args: dict[str, str]) -> tuple[dict[str, str], View]:
    """A request's arguments -> (the query's own, the view)."""
    own = {k: v for k, v in args.items() if not is_view_parameter(k)}
    # An empty filter is no filter: the page's form sends one when its box is left empty.
    filters = tuple(f for k, v in args.items() if v.strip() and (f := _filter_of(k, v.strip())) is not None)
    view = View(given=any(is_view_parameter(k) for k in args), filters=filters)
    if args.get("_sort") and args.get("_sort_desc"):
        raise BadParameter("_sort: give _sort or _sort_desc, not both", parameter="_sort")
    view.sort = args.get("_sort") or args.get("_sort_desc") or None
    view.descending = bool(args.get("_sort_desc"))
    for name, low, high in (("_page", 1, 10**6), ("_size", 1, MAX_SIZE)):
        if name in args:
            value = args[name]
            if not (value.isascii() and value.isdigit()) or not low <= int(value) <= high:  # "²" is a digit to isdigit
                raise BadParameter(f"{name}: {echo(value)} is not a whole number from {low} to {high:,}", parameter=name)
            setattr(view, name[1:], int(value))
    return own, view


TABLE_FORMATS = ("html", "json", "csv")  # the formats a view (filters, sort, page) is given in


def check_applies(view: View, form: str, fmt_key: str, given: dict[str, str]) -> None:
    """BadParameter (400) when view parameters are asked of an answer they cannot shape.

    Filters, sorting and pages shape the table of a SELECT answer, given as the HTML page, its
    JSON or its CSV. Anything else (a graph from CONSTRUCT or DESCRIBE, ASK's one boolean, the
    XML or TSV results formats) would come back whole, and a client would take it for the view
    it asked for: so it is refused, naming the parameter, rather than ignored."""
    if not view.given:
        return
    name = next(k for k in given if is_view_parameter(k))
    if form != "SELECT":
        raise BadParameter(
            f"{name}: filters, sorting and pages apply to the table of a SELECT answer, not to "
            f"{'an' if form.startswith('A') else 'a'} {form} answer",
            parameter=name,
        )
    if fmt_key not in TABLE_FORMATS:
        raise BadParameter(
            f"{name}: a filtered, sorted or paged table is given as HTML, JSON or CSV, not {fmt_key.upper()}",
            parameter=name,
        )


def _key(cell: dict | None):
    """Sort key: empty cells last, numbers by value, everything else by its text (any case)."""
    if cell is None:
        return (2, 0, "")
    datatype = cell.get("datatype", "")
    if datatype.rsplit("#", 1)[-1] in NUMERIC:
        try:
            return (0, Decimal(cell["value"]), "")
        except InvalidOperation:
            pass
    return (1, 0, text(cell).casefold())


def matching(variables: list[str], bindings: list[dict], filters: tuple[Filter, ...]) -> list[dict]:
    """The rows every filter keeps. A cell matches by its value or, for an IRI, by its label too
    (the table shows `Stoke-on-Trent`, so `la__contains=stoke` must find it)."""
    if not filters:
        return bindings
    for f in filters:
        if f.column not in variables:
            raise BadParameter(
                f"{f.parameter}: {echo(f.column)} is not a column (the columns: {', '.join(variables)})", parameter=f.parameter
            )
    columns = {f.column for f in filters}
    named = labels([[b.get(c) for c in columns] for b in bindings])

    def keeps(f: Filter, cell: dict | None) -> bool:
        if cell is None:
            return False
        texts = [text(cell).casefold(), named.get(text(cell), "").casefold()]
        wanted = f.text.casefold()
        return any(wanted in t for t in texts) if f.operator == "contains" else wanted in texts

    return [b for b in bindings if all(keeps(f, b.get(f.column)) for f in filters)]


def apply(variables: list[str], bindings: list[dict], view: View) -> tuple[list[dict], int, int]:
    """The page of (filtered, sorted) rows the view asks for, the number of pages, and the
    number of rows the filters kept."""
    bindings = matching(variables, bindings, view.filters)
    if view.sort is not None:
        if view.sort not in variables:
            raise BadParameter(
                f"{'_sort_desc' if view.descending else '_sort'}: {echo(view.sort)} is not a column "
                f"(the columns: {', '.join(variables)})",
                parameter="_sort",
            )
        present = [b for b in bindings if view.sort in b]
        absent = [b for b in bindings if view.sort not in b]
        present.sort(key=lambda b: _key(b[view.sort]), reverse=view.descending)
        bindings = present + absent  # empty cells last either way
    pages = max(1, -(-len(bindings) // view.size))
    if view.page > pages:
        raise BadParameter(f"_page: {view.page} is past the last page ({pages} of {view.size} rows)", parameter="_page")
    start = (view.page - 1) * view.size
    return bindings[start : start + view.size], pages, len(bindings)


def reshape(body: bytes, key: str, view: View) -> bytes:
    """A SELECT answer in JSON, sorted and paged, as JSON or CSV (the .json and .csv of a view)."""
    data = json.loads(body)
    if "results" not in data:  # ASK: one boolean, nothing to sort or page
        return body if key == "json" else f"boolean\r\n{'true' if data.get('boolean') else 'false'}\r\n".encode()
    variables = data["head"]["vars"]
    rows, _, _ = apply(variables, data["results"]["bindings"], view)
    if key == "json":
        data["results"]["bindings"] = rows
        return json.dumps(data, ensure_ascii=False).encode()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    writer.writerows([(row[v]["value"] if v in row else "") for v in variables] for row in rows)
    return buffer.getvalue().encode()


def text(cell: dict) -> str:
    """A cell's value as text. A triple term (RDF 1.2; SPARQL results JSON gives it as an object
    of subject, predicate and object) reads as `<< s p o >>` of its parts' values."""
    value = cell["value"]
    if isinstance(value, dict):
        return "<< " + " ".join(text(value[k]) for k in ("subject", "predicate", "object") if k in value) + " >>"
    return value


def as_text(cell: dict | None) -> dict | None:
    """A cell the HTML table can show: a triple term becomes a literal of its text."""
    return {"type": "literal", "value": text(cell)} if cell and isinstance(cell["value"], dict) else cell


def labels(rows: list[list[dict | None]]) -> dict[str, str]:
    """A label for each IRI of the dataset in the rows, in one query."""
    iris = {c["value"] for row in rows for c in row if c and c.get("type") == "uri"}
    if not iris:
        return {}
    nodes = " ".join(str(ox.NamedNode(i)) for i in sorted(iris))
    found: dict[str, str] = {}
    # Not lookups.rows: its template would read a "$" inside an IRI as a placeholder.
    for solution in lookups.graph().query(lookups.PROLOGUE + LABELS.replace("$iris", nodes)):
        found.setdefault(solution["iri"].value, solution["label"].value)
    return found
