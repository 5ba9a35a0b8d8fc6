"""An external SPARQL 1.1 endpoint behind the slice of pyoxigraph's Store API the server uses.

`ofsted-kg serve --store URL` serves from another triple store (an `oxigraph serve`, Apache
Jena Fuseki, QLever, ...) instead of loading files. `RemoteStore.query` sends the query by
the SPARQL 1.1 Protocol (POST, form-encoded, dataset as `default-graph-uri` /
`named-graph-uri`) and parses the answer with pyoxigraph's own parsers, so execution.run,
the pages and the parameter names work unchanged: SELECT gives `Solutions` (the variables
and pyoxigraph QuerySolution rows), ASK a pyoxigraph QueryBoolean, CONSTRUCT and DESCRIBE
an iterator of pyoxigraph Triples. Answers are parsed as they arrive, so the row cap stops
reading a long answer early instead of holding it all.

Every query has gone through guard.inspect before it gets here (no SERVICE, no updates):
the remote engine never sees what the embedded one would refuse.

The dataset to serve can be given in the endpoint URL, as the Protocol's own parameters:
`--store "http://host:8890/sparql?default-graph-uri=urn:ofsted-kg"` (the convention of
DBpedia's and other public endpoints). It is sent with every query that names no dataset of
its own (no `FROM`, no dataset parameters). A URL that gives only default graphs means a
dataset with no named graphs, as the Protocol says (and only named graphs, an empty default
graph). Virtuoso does not follow that rule: it lets `GRAPH ?g` see every graph it holds, its
own system graphs too. So the side the URL leaves out is sent as one graph no store holds
(EMPTY_GRAPH), which every engine reads as empty.

Failures have their own statuses: past the time limit (QUERY_TIMEOUT, on the whole answer,
not only on each read) is 503 `timeout`; a query the store rejects as malformed (its 400) is
the client's 400; a store that cannot be reached, answers another error, or sends an answer
that does not parse is 502 `store-error` naming the store. urllib3 keeps connections alive
across requests and threads (one pool per store), which saves a TCP handshake per query.
"""

from __future__ import annotations

import io
import re
import tempfile
import time
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pyoxigraph as ox
import urllib3

from ..query import guard
from ..query.execution import syntax_detail
from ..web.errors import BadQuery, TimedOut, UpstreamError

# What the server asks the store for: results JSON for SELECT and ASK (every engine has it),
# N-Triples for CONSTRUCT and DESCRIBE (line-based, so parsing can stop anywhere). Asked by the
# query's form, not in one list: Virtuoso answers a CONSTRUCT in results JSON when that is
# first in the list, and fails part-way through a large one.
ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9, application/n-triples;q=0.8, text/turtle;q=0.7"
ACCEPT_GRAPH = "application/n-triples, text/turtle;q=0.9"
FORM = "application/x-www-form-urlencoded"
COUNT_DEFAULT = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
COUNT_ALL = "SELECT (COUNT(*) AS ?n) { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
NAMED_GRAPHS = "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }"
DEFAULT_TRIPLES = "CONSTRUCT WHERE { ?s ?p ?o }"
ALL_QUADS = "SELECT ?s ?p ?o ?g { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
SPOOL_MEMORY = 64 << 20  # bytes of a dump's answer held in memory before the rest goes to a temporary file
DUMP_TIMEOUT = 600.0  # a whole-graph dump is one long answer, read at start-up: this long at most
DATASET_FIELDS = ("default-graph-uri", "named-graph-uri")
EMPTY_GRAPH = "urn:x-ofsted-kg:empty-graph"  # a graph no store holds: what the URL's dataset leaves out


class Rejected(Exception):
    """The store answered 400: its message, for RemoteStore.query to tell with the query's own positions."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def check_url(url: str, what: str = "--store") -> str:
    """The URL, if it is an http(s) URL without credentials; else UpstreamError naming `what`.

    Credentials in a URL (`http://user:password@host/`) are refused, never used: a command
    line is visible to every user of the machine (`ps`), and a message quoting the URL would
    print the password. Any `@` refuses the URL, wherever it is: a password holding `/`, `?` or
    `#` moves where a URL parser ends the host, so looking for credentials only where the parser
    finds the host misses them (a graph IRI in a parameter writes its `@` as %40). Every message
    here shows the URL masked (`masked`)."""
    if "@" in url:
        raise UpstreamError(
            f"{what}: {masked(url)!r} holds '@': credentials are never taken from a URL (the command line is "
            "visible to every user of the machine): set OFSTED_KG_STORE_USER and OFSTED_KG_STORE_PASSWORD, or a "
            "netrc entry for the host (a graph IRI in a parameter writes '@' as %40)"
        )
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (a port past 65535 or not a number raises here)
    except ValueError as error:
        raise UpstreamError(f"{what}: {url!r} is not a valid URL ({error})") from None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UpstreamError(f"{what}: {url!r} is not an http:// or https:// URL")
    return url


# From the scheme's // to the LAST @ (greedy): a password may hold /, ? or #, and hiding too
# much of a URL in a message is harmless where showing a password is not.
_USER_PART = re.compile(r"(?<=//)[^\s'\"]*@")


def masked(text: str) -> str:
    """The text with the user part of any URL in it (`user:password@`) replaced by `***@`."""
    return _USER_PART.sub("***@", text)


def pool(timeout: float) -> urllib3.PoolManager:
    """Keep-alive connections shared by threads; no retries (a query is not retried behind the client's back)."""
    return urllib3.PoolManager(maxsize=16, retries=False, timeout=urllib3.Timeout(connect=min(timeout, 5.0), read=timeout))


def split_dataset(url: str) -> tuple[str, list[str], list[str]]:
    """An endpoint URL as (the URL without dataset parameters, its default graphs, its named graphs)."""
    parts = urlsplit(check_url(url))
    fields = parse_qsl(parts.query, keep_blank_values=True)
    default = [v for k, v in fields if k == "default-graph-uri"]
    named = [v for k, v in fields if k == "named-graph-uri"]
    rest = urlencode([(k, v) for k, v in fields if k not in DATASET_FIELDS])
    for iri in default + named:
        if not _absolute(iri):
            raise UpstreamError(f"--store: {iri!r} in the URL's dataset is not an absolute IRI")
    return urlunsplit((parts.scheme, parts.netloc, parts.path, rest, "")), default, named


class RemoteStore:
    def __init__(self, url: str, timeout: float = 5.0):
        self.url, self.default_graphs, self.named = split_dataset(url)
        if self.default_graphs or self.named:
            self.default_graphs = self.default_graphs or [EMPTY_GRAPH]
            self.named = self.named or [EMPTY_GRAPH]
        self.timeout = timeout
        self._http = pool(timeout)

    def __repr__(self) -> str:
        return f"RemoteStore({self.url!r})"

    def query(
        self,
        query: str,
        base_iri: str | None = None,
        default_graph=None,
        named_graphs=None,
        *,
        timeout: float | None = None,
        whole_first: bool = False,
    ):
        """Run a query on the store: Solutions, a QueryBoolean, or an iterator of Triples.
        `whole_first`: the answer is read to its end (into a temporary file) before the first
        row is given, for a reader that may be slow (StoreResponse.spool)."""
        sent = query
        if base_iri and any(not _absolute(iri) for iri in guard.iris(query)):
            # The Protocol has no base parameter: without this the store would resolve <x>
            # against its own URL. On the first line, so error positions keep their line.
            sent = f"BASE <{base_iri}> {query}"
        defaults, named = _iris(default_graph), _iris(named_graphs)
        if not defaults and not named and "FROM" not in guard.keywords(query):
            defaults, named = self.default_graphs, self.named  # the dataset the URL gives, if any
        elif bool(defaults) != bool(named):  # the side a client leaves out is empty (see above)
            defaults, named = defaults or [EMPTY_GRAPH], named or [EMPTY_GRAPH]
        fields = [("query", sent)]
        fields += [("default-graph-uri", g) for g in defaults]
        fields += [("named-graph-uri", g) for g in named]
        limit = self.timeout if timeout is None else timeout
        try:
            response = self._post(fields, limit, ACCEPT_GRAPH if _gives_triples(query) else ACCEPT)
        except Rejected as error:  # the store's parser or evaluator rejecting the client's query
            detail = syntax_detail(query, error.message, first_line_shift=len(sent) - len(query))
            raise BadQuery(f"the query is not valid SPARQL: {detail}") from None
        answer = StoreResponse(self, response, time.monotonic() + limit, limit)
        if whole_first:
            answer.spool()
        return answer.parse()

    def _post(self, fields: list[tuple[str, str]], limit: float, accept: str = ACCEPT) -> urllib3.BaseHTTPResponse:
        body, timeout = urlencode(fields).encode(), urllib3.Timeout(connect=min(limit, 5.0), read=limit)
        for attempt in (1, 2):
            try:
                response = self._http.request(
                    "POST",
                    self.url,
                    body=body,
                    preload_content=False,
                    timeout=timeout,
                    headers={"Content-Type": FORM, "Accept": accept},
                )
                break
            except urllib3.exceptions.ReadTimeoutError:
                raise TimedOut(f"the query ran past the {limit:g} s limit and was stopped") from None
            except urllib3.exceptions.ProtocolError as error:
                # A kept-alive connection the store closed as we reused it: once more on a new
                # one (a query changes nothing, so it is safe to send twice; a timeout never is).
                if attempt == 2:
                    raise UpstreamError(f"the store at {self.url} cannot be reached ({reason_of(error)})") from None
            except urllib3.exceptions.HTTPError as error:
                raise UpstreamError(f"the store at {self.url} cannot be reached ({reason_of(error)})") from None
        if response.status == 200:
            return response
        text = _first_line(response)
        if response.status == 400:
            raise Rejected(text)
        raise UpstreamError(f"the store at {self.url} answered {response.status}: {text}")

    def _count(self, query: str) -> int:
        rows = list(self.query(query))  # read to the end, so the connection is kept
        return int(rows[0]["n"].value)

    def __len__(self) -> int:
        """Quads in the whole dataset, as len(pyoxigraph.Store) counts them."""
        return self._count(COUNT_ALL)

    def triples(self) -> int:
        return self._count(COUNT_DEFAULT)

    def named_graphs(self):
        if self.named == [EMPTY_GRAPH]:
            return iter(())
        return (s["g"] for s in self.query(NAMED_GRAPHS) if isinstance(s["g"], ox.NamedNode))

    def dump(self, output, format: ox.RdfFormat, *, from_graph=None, prefixes=None) -> None:
        """Write the default graph (from_graph=DefaultGraph()) or the whole dataset to `output`,
        streamed from the store through a query: any SPARQL 1.1 endpoint can answer it."""
        if from_graph is not None and not isinstance(from_graph, ox.DefaultGraph):
            raise ValueError("a remote store dumps the default graph or the whole dataset")
        if from_graph is not None or not any(self.named_graphs()):
            # N-Triples from a CONSTRUCT parse faster than a SELECT's quads as results JSON
            # (the four England dumps: 99 s, not 138 s); with no named graphs the dataset
            # is the default graph.
            items = self.query(DEFAULT_TRIPLES, timeout=DUMP_TIMEOUT, whole_first=True)
            if from_graph is None:
                items = (ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in items)
        else:
            items = (
                ox.Quad(s["s"], s["p"], s["o"], s["g"] or ox.DefaultGraph())
                for s in self.query(ALL_QUADS, timeout=DUMP_TIMEOUT, whole_first=True)
            )
        ox.serialize(items, output, format, prefixes=prefixes)


class StoreResponse:
    """One HTTP answer read as the parser asks for it, under the query's overall deadline."""

    def __init__(self, store: RemoteStore, response, deadline: float, limit: float):
        self.store, self.response, self.deadline, self.limit = store, response, deadline, limit
        self.done = False
        self.spooled: tempfile.SpooledTemporaryFile | None = None

    def spool(self) -> None:
        """Read the whole answer now, into memory up to SPOOL_MEMORY and a temporary file past it.
        The dumps are written at the lowest CPU priority, and a store whose time limit covers the
        whole answer (oxigraph's) cut one read slowly on a busy machine: the dumps then failed
        until a restart. Copying the bytes costs little; parsing and writing them, the rest."""
        spooled = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY)  # noqa: SIM115 (kept open: parse reads it, close closes it)
        try:
            while data := self.read(1 << 16):
                spooled.write(data)
        except BaseException:
            spooled.close()
            raise
        spooled.seek(0)
        self.spooled = spooled

    def parse(self):
        media_type = (self.response.headers.get("Content-Type") or "").split(";")[0].strip()
        stream = self.spooled or io.BufferedReader(_Reader(self), 1 << 16)
        results = ox.QueryResultsFormat.from_media_type(media_type) if media_type else None
        try:
            if results is not None:
                outcome = ox.parse_query_results(stream, results)
                if isinstance(outcome, ox.QueryBoolean):
                    self.close()
                    return outcome
                return Solutions(outcome, self)
            graph = ox.RdfFormat.from_media_type(media_type) if media_type else None
        except (SyntaxError, ValueError, OSError) as error:
            self.close()
            raise self.broken(error) from None
        if graph is None:
            self.close()
            raise UpstreamError(
                f"the store at {self.store.url} answered {media_type or 'no Content-Type'}, not SPARQL results or RDF"
            )
        return self.triples(ox.parse(stream, graph))

    def triples(self, quads):
        try:
            for quad in quads:
                yield ox.Triple(quad.subject, quad.predicate, quad.object)
        except (SyntaxError, ValueError, OSError) as error:
            raise self.broken(error) from None
        finally:
            self.close()
            quads = None  # noqa: F841 (freed on this thread, as Solutions does)

    def broken(self, error: Exception) -> Exception:
        if time.monotonic() > self.deadline:  # cut short by the store's own time limit
            return TimedOut(f"the query ran past the {self.limit:g} s limit and was stopped")
        return UpstreamError(
            f"the store at {self.store.url} sent an answer that does not parse ({str(error).splitlines()[0][:200]})"
        )

    def read(self, size: int) -> bytes:
        if time.monotonic() > self.deadline:
            self.close()
            raise TimedOut(f"the query ran past the {self.limit:g} s limit and was stopped")
        try:
            data = self.response.read1(size)
        except urllib3.exceptions.ReadTimeoutError:
            self.close()
            raise TimedOut(f"the query ran past the {self.limit:g} s limit and was stopped") from None
        except urllib3.exceptions.HTTPError as error:
            self.close()
            raise UpstreamError(f"the store at {self.store.url} broke off its answer ({reason_of(error)})") from None
        if not data and not self.done:
            self.done = True
            self.response.release_conn()  # read to the end: the connection goes back to the pool
        return data

    def close(self) -> None:
        # Not read to the end (the row cap, an error): this connection cannot be reused.
        if not self.done:
            self.done = True
            self.response.close()
        if self.spooled is not None:
            self.spooled.close()


class _Reader(io.RawIOBase):
    def __init__(self, answer: StoreResponse):
        self.answer = answer

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.answer.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


class Solutions:
    """SELECT results from the store: pyoxigraph's QuerySolutions (which cannot be subclassed),
    with the store's answer read as rows are asked for and a broken answer reported as the
    store's fault (502), not as the client's malformed query."""

    def __init__(self, solutions: ox.QuerySolutions, answer: StoreResponse):
        self._solutions, self._answer = solutions, answer
        self.variables = solutions.variables

    def __iter__(self):
        try:
            yield from self._solutions
        except (SyntaxError, ValueError, OSError) as error:
            raise self._answer.broken(error) from None
        finally:
            self._answer.close()
            # pyoxigraph's results must be freed on the thread that made them; an exception
            # kept in a reference cycle could otherwise take them to the collector's thread.
            self._solutions = None

    def __del__(self):
        self._answer.close()


def _gives_triples(query: str) -> bool:
    """Whether the query is a CONSTRUCT or DESCRIBE: its first keyword after the prologue,
    strings, IRIs and comments aside (guard.keywords). Only the answer's format hangs on it."""
    first = next((w for w in guard.keywords(query) if w not in ("PREFIX", "BASE")), "")
    return first in ("CONSTRUCT", "DESCRIBE")


def _iris(graphs) -> list[str]:
    if graphs is None:
        return []
    graphs = [graphs] if isinstance(graphs, (ox.NamedNode, str)) else graphs
    return [g.value if isinstance(g, ox.NamedNode) else str(g) for g in graphs]


def _absolute(iri: str) -> bool:
    scheme, sep, _ = iri.partition(":")
    return bool(sep) and scheme[:1].isalpha() and all(c.isalnum() or c in "+-." for c in scheme)


def reason_of(error: Exception) -> str:
    reason = getattr(error, "reason", None) or error
    return str(reason).split(": ", 1)[-1][:200]


def _first_line(response) -> str:
    try:
        text = response.read(4096, decode_content=True).decode("utf-8", "replace").strip()
    except urllib3.exceptions.HTTPError:
        text = ""
    finally:
        response.close()  # the rest of the message is not read: the connection is not reused
    return (text.splitlines() or ["(no message)"])[0][:500]
