"""`ofsted-kg publish --to URL`: load the built graph into an external triple store.

By the SPARQL 1.1 Graph Store HTTP Protocol (https://www.w3.org/TR/sparql11-http-rdf-update/):
the first file is PUT (replacing the default graph, `?default`, or the named graph
`?graph=IRI`), any further files are POSTed into the same graph (merged). Each file is
streamed from disk with its Content-Length, never read whole into memory. Then the store's
query endpoint is asked how many triples that graph holds, and the command prints it.

A store that asks for credentials (a 401 with its challenge: HTTP Basic, or Digest as
Virtuoso's `/sparql-graph-crud-auth` wants) gets them from the environment or a netrc file
(credentials.py), never from the command line. requests does the Digest handshake (RFC 7616)
and rewinds the file when a nonce goes stale; urllib3 alone has no Digest.

Exit codes: 0 published; 2 bad input (a missing file, a suffix that is not a graph format, a
URL that is not http(s)) or a store that cannot be reached or refuses the data, each as one
line on stderr.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pyoxigraph as ox
import requests
from requests.auth import AuthBase, HTTPBasicAuth, HTTPDigestAuth

from ofsted_kg.graph.model.user_errors import ExitCode, OfstedKGError

from ..settings import DEFAULT_GRAPH
from . import credentials
from .remote import RemoteStore, check_url, reason_of

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
        help="the store's Graph Store Protocol URL, e.g. http://127.0.0.1:7878/store (oxigraph), "
        "http://host:3030/ds/data (Fuseki) or http://host:8890/sparql-graph-crud-auth (Virtuoso, with "
        "--named-graph); credentials, if the store asks, from OFSTED_KG_STORE_USER/OFSTED_KG_STORE_PASSWORD or ~/.netrc",
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
        "(default: beside --to, e.g. .../store or .../data -> .../query, .../sparql-graph-crud-auth -> .../sparql)",
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
        http = requests.Session()
        auth = authentication(http, target, args.timeout)
        for n, path in enumerate(files):
            send(http, auth, "PUT" if n == 0 else "POST", target, path, args.timeout)
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
    if last in ("sparql-graph-crud-auth", "sparql-graph-crud"):  # Virtuoso's Graph Store endpoints
        return urlunsplit((parts.scheme, parts.netloc, f"{folder}/sparql", "", ""))
    if last not in ("store", "data"):
        raise PublishError(f"--to {gsp_url}: give the store's query URL with --store (no /query beside this URL to count with)")
    return urlunsplit((parts.scheme, parts.netloc, f"{folder}/query", "", ""))


def authentication(http: requests.Session, url: str, timeout: float) -> AuthBase | None:
    """What the store asks for, learnt from a HEAD on the graph before any file is sent (a
    refused upload of a large file would be sent twice): None, Basic or Digest credentials.
    A Digest handshake is done here, so the uploads carry their Authorization from the start."""
    try:
        challenge = _challenge(_answered(http.head(url, auth=Anonymous(), allow_redirects=False, timeout=_timeouts(timeout))))
        if challenge is None:
            return None
        given = credentials.for_url(url)
        if given is None:
            raise PublishError(
                f"{url}: the store asks for credentials ({challenge}): set {credentials.USER} and "
                f"{credentials.PASSWORD}, or a netrc entry for its host"
            )
        auth = HTTPDigestAuth(given.user, given.password) if challenge == "Digest" else HTTPBasicAuth(given.user, given.password)
        if _challenge(_answered(http.head(url, auth=auth, allow_redirects=False, timeout=_timeouts(timeout)))) is not None:
            raise PublishError(f"{url}: the store refused the credentials from {given.source}")
        return auth
    except requests.RequestException as error:
        raise PublishError(f"{url}: cannot reach the store ({_reason(error)})") from None


class Anonymous(AuthBase):
    """No credentials, said explicitly: else requests sends a netrc entry as Basic by itself, and
    a store that wants Digest answers that with a 401 without its challenge."""

    def __call__(self, request):
        return request


def _answered(response: requests.Response) -> requests.Response:
    """The store's own answer: a redirect is refused, never followed (see send)."""
    if response.is_redirect or 300 <= response.status_code < 400:
        where = response.headers.get("Location", "(no Location)")
        raise PublishError(
            f"{response.request.url}: the store redirects to {where}; give that URL with --to if it is the store's"
        )
    return response


def _challenge(response: requests.Response) -> str | None:
    """The scheme a 401 asks for (Digest preferred when both are offered), else None."""
    if response.status_code != 401:
        return None
    offered = response.headers.get("WWW-Authenticate", "").lower()
    return "Digest" if "digest" in offered else "Basic"


def _reason(error: requests.RequestException) -> str:
    """The operating system's words when there are some ("Failed to establish a new connection:
    [Errno 111] Connection refused", as urllib3 says it):
    requests wraps them in two layers of pool and retry messages."""
    found = re.search(r"(?:Failed to establish a new connection: )?\[Errno -?\d+\] [^'\")]+", str(error))
    return found.group() if found else reason_of(error)


def _timeouts(timeout: float) -> tuple[float, float]:
    return (min(timeout, 5.0), timeout)


def send(http: requests.Session, auth: AuthBase | None, method: str, url: str, path: Path, timeout: float) -> None:
    fmt = _format(path)
    assert fmt is not None, path  # check_file refused any other suffix
    headers = {"Content-Type": fmt.media_type, "Content-Length": str(path.stat().st_size)}
    try:
        with path.open("rb") as body:  # a file object: streamed in blocks, rewound if Digest asks again
            # No redirects: a PUT turned into a GET (302, 303) would "succeed" storing nothing, and
            # credentials (or a netrc entry requests adds by itself) would go to another host.
            response = http.request(
                method,
                url,
                data=body,
                headers=headers,
                auth=auth or Anonymous(),
                allow_redirects=False,
                timeout=_timeouts(timeout),
            )
    except requests.exceptions.UnrewindableBodyError:  # requests readies the redirect even when not following it
        raise PublishError(
            f"{url}: the store redirects; give the store's own URL with --to (a redirect is never followed)"
        ) from None
    except requests.RequestException as error:
        raise PublishError(f"{url}: cannot reach the store ({_reason(error)})") from None
    _answered(response)
    if response.status_code not in DONE:
        message = (response.text.strip().splitlines() or ["(no message)"])[0][:300]
        raise PublishError(f"{url}: the store refused {path.name} with {response.status_code}: {message}")
