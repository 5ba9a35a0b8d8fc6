"""/dump.ttl, /dump.nt, /dump.nq, /dump.jsonld: the whole graph, prepared once at start-up.

Each is a file written beside its gzip twin, sent with send_file (streamed through the WSGI
file wrapper, with Content-Length), a content-hash ETag and the data's Last-Modified, so a
conditional GET answers 304. `Accept-Encoding: gzip` gets the gzip file with
`Content-Encoding: gzip`. A single Turtle file served as it is keeps its prefixes and
layout byte for byte. Turtle and N-Triples hold the default graph; N-Quads and JSON-LD the
whole dataset, named graphs included.
"""

from __future__ import annotations

import gzip
import hashlib
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pyoxigraph as ox
from flask import Blueprint, abort, current_app, request, send_file

from .execution import PREFIX_IRIS

blueprint = Blueprint("dumps", __name__)
KINDS = {"ttl": ("text/turtle", ox.RdfFormat.TURTLE), "nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
         "nq": ("application/n-quads", ox.RdfFormat.N_QUADS), "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD)}


@dataclass(frozen=True)
class Dump:
    path: Path
    gzipped: Path
    media_type: str
    etag: str
    gzip_etag: str
    modified: datetime


def _sha(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()[:32]


def prepare(service, folder: str | None) -> dict[str, Dump]:
    out = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="ofsted-kg-dumps-"))
    out.mkdir(parents=True, exist_ok=True)
    # An external store has no files: its dumps are as of now, when they are read from it.
    latest = max((f.stat().st_mtime for f in service.files), default=datetime.now(timezone.utc).timestamp())
    modified = datetime.fromtimestamp(latest, tz=timezone.utc).replace(microsecond=0)
    dumps = {}
    for key, (media_type, fmt) in KINDS.items():
        path = out / f"ofsted-kg.{key}"
        if key == "ttl" and len(service.files) == 1 and service.files[0].suffix == ".ttl":
            shutil.copyfile(service.files[0], path)
        elif fmt.supports_datasets:
            service.graph.dump(str(path), fmt, prefixes=PREFIX_IRIS if key == "jsonld" else None)
        else:
            service.graph.dump(str(path), fmt, from_graph=ox.DefaultGraph(),
                               prefixes=None if key == "nt" else PREFIX_IRIS)
        gzipped = out / f"{path.name}.gz"
        with path.open("rb") as source, gzip.GzipFile(gzipped, "wb", mtime=0) as target:
            shutil.copyfileobj(source, target)
        dumps[key] = Dump(path, gzipped, media_type, _sha(path), _sha(gzipped) + "-gz", modified)
    return dumps


@blueprint.route("/dump.<kind>")
def download(kind: str):
    dumps = current_app.extensions["ofsted_kg"].dumps
    if kind not in dumps:
        abort(404, f"no dump /dump.{kind}; there are {', '.join('/dump.' + k for k in dumps)}")
    dump = dumps[kind]
    wants_gzip = request.accept_encodings["gzip"] > 0
    path, etag = (dump.gzipped, dump.gzip_etag) if wants_gzip else (dump.path, dump.etag)
    response = send_file(path, mimetype=dump.media_type, conditional=True, etag=etag, last_modified=dump.modified,
                         download_name=f"ofsted-kg.{kind}", as_attachment=False, max_age=3600)
    if wants_gzip:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Vary"] = "Accept-Encoding"
    return response
