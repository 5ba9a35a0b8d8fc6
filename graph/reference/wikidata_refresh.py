"""`ofsted-kg links --refresh`: councils' Wikidata items asked of the Wikidata query service.

One SPARQL query (a VALUES block of every council's GSS code from la_lookup.csv) finds the
items whose GSS code (P836) is the council's. Those items are the areas councils govern, so
the council is the area's legislative body (P194): the graph states owl:sameAs, which only
the council's own item may be. Where a GSS code has several items (a former and a current
district), the items dissolved (P576) are set aside; a code left with no council, or with
more than one, gets no row, and the table's notes say why. The table is rewritten whole,
atomically, sorted by GSS code, with the query and its date in its header so anyone can run
it again. https://www.wikidata.org/wiki/Wikidata:SPARQL_query_service ; Wikimedia's
User-Agent policy: https://meta.wikimedia.org/wiki/User-Agent_policy
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..model.user_errors import ExitCode, OfstedKGError
from .tables import read_table
from .wikidata import ENTITY, TABLE, read_wikidata

ENDPOINT = "https://query.wikidata.org/sparql"
USER_AGENT = "ofsted-kg/0.1 (https://w3id.org/ofsted-kg/; the links --refresh command) urllib3"
SOURCE = "Wikidata query service"  # the start of the source column of every row this command writes
QUERY = """PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?gss ?area ?areaDissolved ?council ?councilDissolved ?councilLabel WHERE {
  VALUES ?gss { %s }
  ?area wdt:P836 ?gss .
  OPTIONAL { ?area wdt:P576 ?areaDissolved }
  OPTIONAL { ?area wdt:P194 ?council .
             OPTIONAL { ?council wdt:P576 ?councilDissolved }
             OPTIONAL { ?council rdfs:label ?councilLabel FILTER(LANG(?councilLabel) = "en") } }
}
ORDER BY ?gss ?area ?council"""
HEADER = """# Councils' Wikidata items, where the identifier is known: the item of the council itself
# (the local authority as an organisation, not its area), so the graph states owl:sameAs.
# Keyed by the council's ONS/GSS code (la_lookup.csv's la_code_new). Source of each row: the
# column `source`. A council not listed simply has no Wikidata link.
"""


class RefreshError(OfstedKGError):
    def __init__(self, message: str, exit_code: int = ExitCode.BAD_INPUT):  # 2: the service failed; nothing written
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class Row:
    gss_code: str
    wikidata: str  # Q-identifier
    name: str
    source: str


def table_path() -> Path:
    """Where the build reads the table from, and so where a refresh writes it."""
    return TABLE


def query_text(gss_codes: list[str]) -> str:
    codes = sorted(set(gss_codes))
    if not codes or not all(re.fullmatch(r"E[0-9]{8}", c) for c in codes):
        raise RefreshError(f"no GSS codes to ask for, or one that is not E and eight digits: {codes[:3]!r}...")
    return QUERY % " ".join(f'"{code}"' for code in codes)


def ask(endpoint: str, query: str, timeout: float) -> list[dict[str, str]]:
    """The service's rows, each a {variable: value} of IRIs and literals' lexical forms."""
    import urllib3

    http = urllib3.PoolManager(retries=False, timeout=urllib3.Timeout(connect=min(timeout, 10.0), read=timeout))
    try:
        response = http.request(
            "POST",
            endpoint,
            fields={"query": query},
            encode_multipart=False,
            headers={"Accept": "application/sparql-results+json", "User-Agent": USER_AGENT},
        )
    except urllib3.exceptions.HTTPError as error:
        raise RefreshError(f"{endpoint}: cannot be reached or timed out after {timeout:g} s ({type(error).__name__})") from None
    if response.status != 200:
        first = response.data.decode("utf-8", "replace").strip().splitlines()[:1]
        raise RefreshError(f"{endpoint}: answered HTTP {response.status}{': ' + first[0][:200] if first else ''}")
    try:
        bindings = json.loads(response.data)["results"]["bindings"]
        return [{var: cell["value"] for var, cell in binding.items()} for binding in bindings]
    except (ValueError, KeyError, TypeError):
        raise RefreshError(f"{endpoint}: the answer is not SPARQL JSON results") from None


def qid(iri: str, endpoint: str) -> str:
    if not re.fullmatch(re.escape(ENTITY) + r"Q[1-9][0-9]*", iri):
        raise RefreshError(f"{endpoint}: answered {iri!r} where a Wikidata item was expected")
    return iri.removeprefix(ENTITY)


def choose(answers: list[dict[str, str]], asked: set[str], endpoint: str, date: str) -> tuple[list[Row], dict[str, str]]:
    """One row per GSS code with exactly one council in existence; for the others, why not."""
    by_code: dict[str, list[dict[str, str]]] = {}
    for answer in answers:
        if answer.get("gss") not in asked or "area" not in answer:
            raise RefreshError(f"{endpoint}: answered a row for {answer.get('gss')!r}, a GSS code it was not asked for")
        by_code.setdefault(answer["gss"], []).append(answer)
    rows, notes = [], {}
    for code in sorted(asked):
        current = [a for a in by_code.get(code, []) if "areaDissolved" not in a]
        councils = {
            qid(a["council"], endpoint): a.get("councilLabel", "")
            for a in current
            if "council" in a and "councilDissolved" not in a
        }
        areas = sorted({qid(a["area"], endpoint) for a in current})
        if len(councils) == 1:
            [(council, label)] = councils.items()
            rows.append(
                Row(
                    code,
                    council,
                    label,
                    f"{SOURCE} {date}: {', '.join(areas)} has GSS code (P836) {code}, legislative body (P194) {council}",
                )
            )
        elif not by_code.get(code):
            notes[code] = "no item has this GSS code (P836)"
        elif not current:
            notes[code] = "every item with this GSS code is dissolved (P576)"
        elif not councils:
            notes[code] = f"{', '.join(areas)} names no legislative body (P194) in existence"
        else:
            notes[code] = f"several councils ({', '.join(sorted(councils))}): none chosen"
    return rows, notes


def table_text(rows: list[Row], notes: dict[str, str], query: str, endpoint: str, date: str) -> str:
    out = io.StringIO()
    out.write(HEADER)
    out.write(
        f"# Refreshed by `ofsted-kg links --refresh` on {date} from {endpoint} with this query\n"
        "# (run it there to reproduce; the rule that picks one item per code is in graph/wikidata_refresh.py):\n"
    )
    out.writelines(f"#   {line}\n" for line in query.splitlines())
    out.writelines(f"# not linked: {code}: {why}\n" for code, why in sorted(notes.items()))
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["gss_code", "wikidata", "name", "source"])
    writer.writerows([r.gss_code, r.wikidata, r.name, r.source] for r in sorted(rows, key=lambda r: r.gss_code))
    return out.getvalue()


def kept_rows(path: Path, refreshed: set[str]) -> list[Row]:
    """Rows from other cited sources for codes the service gave no council: kept as they are."""
    if not path.exists():
        return []
    read_wikidata.__wrapped__(path)  # the same checks the build makes
    return [
        Row(row["gss_code"], row["wikidata"], row.get("name", ""), row["source"])
        for _, row in read_table(path)
        if not row["source"].startswith(SOURCE) and row["gss_code"] not in refreshed
    ]


def refresh(
    gss_codes: list[str], endpoint: str = ENDPOINT, timeout: float = 60.0, path: Path | None = None, today: dt.date | None = None
) -> tuple[list[Row], dict[str, str]]:
    """Ask the service, choose, and write the table: (rows written, codes without a row and why)."""
    from ..build.outputs import write_atomically

    parts = urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise RefreshError(f"--endpoint: {endpoint!r} is not an http:// or https:// URL")
    path = path or table_path()
    date = (today or dt.datetime.now(dt.UTC).date()).isoformat()
    query = query_text(gss_codes)
    rows, notes = choose(ask(endpoint, query, timeout), set(gss_codes), endpoint, date)
    rows += kept_rows(path, {r.gss_code for r in rows})
    notes = {code: why for code, why in notes.items() if code not in {r.gss_code for r in rows}}
    try:
        write_atomically(path, table_text(rows, notes, query, endpoint, date).encode("utf-8"))
    except OSError as error:
        raise RefreshError(
            f"{path}: cannot be written ({error.strerror}); the table is as it was", ExitCode.CANNOT_WRITE
        ) from None
    read_wikidata.cache_clear()
    return rows, notes


def configure(commands) -> None:
    links = commands.add_parser("links", help="refresh councils' Wikidata items from the Wikidata query service")
    links.add_argument(
        "--refresh", action="store_true", required=True, help="ask the service and rewrite the table the build reads"
    )
    links.add_argument("--endpoint", default=ENDPOINT, metavar="URL", help=f"SPARQL endpoint (default: {ENDPOINT})")
    links.add_argument(
        "--timeout", type=float, default=60.0, metavar="SECONDS", help="seconds to wait for the answer (default: 60)"
    )
    links.set_defaults(func=run_links)


def run_links(args) -> int:
    from .councils import read_councils

    codes = sorted(code for code in read_councils().by_gss if code)  # a council the lookup gives no code: nothing to ask
    rows, notes = refresh(codes, args.endpoint, args.timeout)
    print(f"wrote {table_path()}: {len(rows)} of {len(codes)} councils linked, {len(notes)} not (the reasons are in the file)")
    return ExitCode.OK
