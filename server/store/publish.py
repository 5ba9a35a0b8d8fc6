"""`ofsted-kg publish --to URL`: load the built graph into an external triple store.

By the SPARQL 1.1 Graph Store HTTP Protocol (https://www.w3.org/TR/sparql11-http-rdf-update/):
the first file is PUT (replacing the default graph, `?default`, or the named graph
`?graph=IRI`), any further files are POSTed into the same graph (merged). Each file is
streamed from disk with its Content-Length, never read whole into memory. Then the store's
query endpoint is asked how many triples that graph holds, and the command prints it.

Exit codes: 0 published; 2 bad input (a missing file, a suffix that is not a graph format, a
URL that is not http(s)) or a store that cannot be reached or refuses the data, each as one
line on stderr.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pyoxigraph as ox
import urllib3

from ofsted_kg.graph.model.user_errors import ExitCode, OfstedKGError

from ..settings import DEFAULT_GRAPH
from .remote import RemoteStore, check_url, pool, reason_of

SENT = (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES)  # by suffix: pyoxigraph knows each one's media type
DONE = {200, 201, 204}


class PublishError(OfstedKGError):
    """A file or a store that the graph cannot be published from or to."""


def configure(commands) -> None:
    publish = commands.add_parser("publish", help="load the built graph into an external triple store (Graph Store Protocol)")
    publish.add_argument(
        "--to",
        required=True,
        metavar="URL",
        help="the store's Graph Store Protocol URL, e.g. http://127.0.0.1:7878/store (oxigraph) "
        "or http://host:3030/ds/data (Fuseki)",
    )
    publish.add_argument(
        "--graph",
        type=Path,
        action="append",
        metavar="FILE",
        help=f"a Turtle or N-Triples file to load; repeatable (default: {DEFAULT_GRAPH})",
    )
    publish.add_argument("--named-graph", metavar="IRI", help="load into this named graph instead of the default graph")
    publish.add_argument(
        "--store",
        metavar="URL",
        help="the store's SPARQL query URL, to count what it holds afterwards "
        "(default: beside --to, e.g. .../store or .../data -> .../query)",
    )
    publish.add_argument(
        "--timeout",
        type=float,
        default=600.0,
        metavar="SECONDS",
        help="how long to wait for the store to take one file (default: 600)",
    )
    publish.set_defaults(func=run_publish)


def run_publish(args: argparse.Namespace) -> int:
    try:
        files = [check_file(f) for f in (args.graph or [DEFAULT_GRAPH])]
        target = graph_url(check_url(args.to, "--to"), args.named_graph)
        query_url = check_url(args.store, "--store") if args.store else beside(args.to)
        http = pool(args.timeout)
        for n, path in enumerate(files):
            send(http, "PUT" if n == 0 else "POST", target, path)
            print(f"sent {path} ({path.stat().st_size:,} bytes) to {target}", file=sys.stderr)
        store = RemoteStore(query_url, timeout=args.timeout)
        where = f"GRAPH <{args.named_graph}> {{ ?s ?p ?o }}" if args.named_graph else "?s ?p ?o"
        count = int(next(iter(store.query(f"SELECT (COUNT(*) AS ?n) {{ {where} }}")))["n"].value)
    except OfstedKGError as error:
        print(f"ofsted-kg: error: {error}", file=sys.stderr)
        return ExitCode.BAD_INPUT
    graph = f"the named graph <{args.named_graph}>" if args.named_graph else "the default graph"
    print(f"published {len(files)} file(s) to {args.to}: {graph} holds {count:,} triples")
    return ExitCode.OK


def check_file(path: Path) -> Path:
    if _format(path) not in SENT:
        raise PublishError(f"{path}: publish sends graphs as Turtle (.ttl) or N-Triples (.nt), not {path.suffix or 'no suffix'}")
    if not path.is_file():
        raise PublishError(f"{path}: no such file (build the graph first: `ofsted-kg build`)")
    return path


def _format(path: Path) -> ox.RdfFormat | None:
    return ox.RdfFormat.from_extension(path.suffix[1:].lower()) if path.suffix else None


def graph_url(url: str, named_graph: str | None) -> str:
    """The Graph Store Protocol's indirect identification: ?default or ?graph=IRI."""
    if named_graph is not None:
        try:
            ox.NamedNode(named_graph)
        except ValueError:
            raise PublishError(f"--named-graph: {named_graph!r} is not an absolute IRI") from None
    separator = "&" if urlsplit(url).query else "?"
    return url + separator + ("default" if named_graph is None else "graph=" + quote(named_graph, safe=""))


def beside(gsp_url: str) -> str:
    """The query URL next to a Graph Store URL: oxigraph's /store and Fuseki's /ds/data both have /query beside them."""
    parts = urlsplit(check_url(gsp_url, "--to"))
    folder, _, last = parts.path.rstrip("/").rpartition("/")
    if last not in ("store", "data"):
        raise PublishError(f"--to {gsp_url}: give the store's query URL with --store (no /query beside this URL to count with)")
    return urlunsplit((parts.scheme, parts.netloc, f"{folder}/query", "", ""))


def send(http: urllib3.PoolManager, method: str, url: str, path: Path) -> None:
    fmt = _format(path)
    assert fmt is not None, path  # check_file refused any other suffix
    headers = {"Content-Type": fmt.media_type, "Content-Length": str(path.stat().st_size)}
    try:
        with path.open("rb") as body:  # a file object: urllib3 streams it in blocks
            response = http.request(method, url, body=body, headers=headers, preload_content=True)
    except urllib3.exceptions.HTTPError as error:
        raise PublishError(f"{url}: cannot reach the store ({reason_of(error)})") from None
    if response.status not in DONE:
        message = (response.data.decode("utf-8", "replace").strip().splitlines() or ["(no message)"])[0][:300]
        raise PublishError(f"{url}: the store refused {path.name} with {response.status}: {message}")
