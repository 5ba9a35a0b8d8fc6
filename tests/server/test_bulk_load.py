"""bulk_load: a file loaded in parts holds what it holds loaded whole; a bad line is named in the whole file."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from ofsted_kg.server.store import bulk_load
from ofsted_kg.server.store.rdf_files import DataError


@pytest.fixture
def triples(tmp_path):
    path = tmp_path / "g.nt"
    # Lines of different lengths, a multi-byte character and an escaped newline, so a cut at a byte
    # count falls mid-line and mid-character somewhere.
    lines = [f'<http://example.org/s{i}> <http://example.org/p> "v{i} é{"x" * (i % 37)}\\n" .\n' for i in range(3000)]
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_parts_cover_the_file_at_line_ends(triples, monkeypatch):
    monkeypatch.setattr(bulk_load, "MIN_PART", 1000)
    ranges = bulk_load.parts(triples, 7)
    data = triples.read_bytes()
    assert len(ranges) == 7 and ranges[0][0] == 0 and ranges[-1][1] == len(data)
    assert all(a[1] == b[0] for a, b in zip(ranges, ranges[1:], strict=False))
    assert all(data[end - 1 : end] == b"\n" for _, end in ranges)


def test_loaded_in_parts_is_loaded_whole(triples, tmp_path, monkeypatch):
    monkeypatch.setattr(bulk_load, "MIN_PART", 1000)
    whole = ox.Store()
    whole.load(path=str(triples), format=ox.RdfFormat.N_TRIPLES)
    parted = ox.Store(str(tmp_path / "store"))
    bulk_load.load(parted, [triples], threads=5)
    assert len(parted) == len(whole) == 3000
    assert set(parted) == set(whole)


def test_a_bad_line_in_a_later_part_is_named_by_its_line_in_the_file(triples, monkeypatch, tmp_path):
    lines = triples.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2500] = "<http://example.org/s> <http://example.org/p> bad .\n"
    triples.write_text("".join(lines), encoding="utf-8")
    monkeypatch.setattr(bulk_load, "MIN_PART", 1000)
    with pytest.raises(DataError, match=r"g\.nt: not valid N-Triples \(.*\bline 2501\b"):
        bulk_load.load(ox.Store(str(tmp_path / "store")), [triples], threads=4)


def test_a_blank_node_named_in_two_parts_stays_one_node(tmp_path, monkeypatch):
    # The engine renames each call's blank nodes: a file cut in parts would turn `_:case`
    # at its start and at its end into two nodes. Such a file is loaded whole.
    path = tmp_path / "b.nt"
    filler = [f'<http://example.org/s{i}> <http://example.org/p> "v{i}" .\n' for i in range(3000)]
    path.write_text('_:case <http://example.org/first> "1" .\n' + "".join(filler)
                    + '_:case <http://example.org/last> "2" .\n', encoding="utf-8")
    monkeypatch.setattr(bulk_load, "MIN_PART", 1000)
    assert len(bulk_load.parts(path, 4)) == 4  # the file is big enough to be cut
    store = ox.Store(str(tmp_path / "store"))
    bulk_load.load(store, [path], threads=4)
    first = list(store.quads_for_pattern(None, ox.NamedNode("http://example.org/first"), None))
    last = list(store.quads_for_pattern(None, ox.NamedNode("http://example.org/last"), None))
    assert len(store) == 3002 and first[0].subject == last[0].subject


def test_a_blank_node_graph_named_in_two_parts_of_n_quads_stays_one_graph(tmp_path, monkeypatch):
    # A blank node as a quad's graph name is renamed per call as a subject is: the file is loaded whole.
    path = tmp_path / "b.nq"
    filler = [f'<http://example.org/s{i}> <http://example.org/p> "v{i}" <http://example.org/g> .\n' for i in range(3000)]
    path.write_text('<http://example.org/a> <http://example.org/p> "1" _:graph .\n' + "".join(filler)
                    + '<http://example.org/b> <http://example.org/p> "2" _:graph .\n', encoding="utf-8")
    monkeypatch.setattr(bulk_load, "MIN_PART", 1000)
    assert len(bulk_load.parts(path, 4)) == 4  # the file is big enough to be cut
    store = ox.Store(str(tmp_path / "store"))
    bulk_load.load(store, [path], threads=4)
    graphs = {q.graph_name for q in store if not isinstance(q.graph_name, ox.NamedNode)}
    assert len(store) == 3002 and len(graphs) == 1


@pytest.mark.parametrize("loader", ["bulk", "in memory"])
@pytest.mark.parametrize("suffix", [".nt", ".nq", ".ttl"])
def test_a_gzip_file_is_named_as_such_on_one_printable_line(triples, tmp_path, loader, suffix):
    # The parser's words quoted the file's first byte, 0x1f, a control character, into the message.
    import gzip

    from ofsted_kg.server.store import rdf_files

    path = tmp_path / f"compressed{suffix}"
    path.write_bytes(gzip.compress(triples.read_bytes()))
    with pytest.raises(DataError) as raised:
        if loader == "bulk":
            bulk_load.load(ox.Store(str(tmp_path / "store")), [path])
        else:
            rdf_files.load([path])
    message = str(raised.value)
    assert message.startswith(f"{path}: gzip-compressed") and "gunzip" in message
    assert message.isprintable()


def test_a_control_character_the_parser_quotes_is_escaped(tmp_path):
    path = tmp_path / "odd.nt"
    path.write_bytes(b"\x1b<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n")
    with pytest.raises(DataError) as raised:
        bulk_load.load(ox.Store(str(tmp_path / "store")), [path])
    assert str(raised.value).isprintable() and "\\x1b" in str(raised.value)
