"""Tests of hyvinvointi_kg.stores.backends that need no server: the store's cache location, counting triples."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from rdflib import Graph

from hyvinvointi_kg._resources import resource_dir
from hyvinvointi_kg.stores import backends
from hyvinvointi_kg.stores.backends import count_triples, default_store_location
from hyvinvointi_kg.stores.files import DATA_FILES, INFERRED_FILE


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled graph's files, with the store cache in *tmp_path*."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "ttl"
    folder.mkdir()
    for name in (*DATA_FILES, INFERRED_FILE):
        shutil.copy(resource_dir("data/ttl") / name, folder / name)
    return folder


def test_default_store_location_is_named_by_the_files_content(data_dir: Path) -> None:
    first = default_store_location(data_dir)
    assert first.parent == data_dir.parent / "cache" / "hyvinvointi-kg" and first.name.startswith("store-")
    assert default_store_location(data_dir) == first
    # Another folder with the same content: the same store.
    copy = shutil.copytree(data_dir, data_dir.parent / "copy")
    assert default_store_location(copy) == first


def test_default_store_location_changes_when_a_file_changes(data_dir: Path) -> None:
    first = default_store_location(data_dir)
    graph = data_dir / "graph.ttl"
    stat = graph.stat()
    graph.write_bytes(graph.read_bytes() + b"\n# rebuilt\n")
    assert default_store_location(data_dir) != first
    # Same size, same content as before, only the time changed: read again, same digest.
    graph.write_bytes(graph.read_bytes()[: stat.st_size])
    os.utime(graph, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert default_store_location(data_dir) == first


def test_default_store_location_reads_unchanged_files_once(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    default_store_location(data_dir)
    reads: list[Path] = []
    original = Path.read_bytes

    def counted(self: Path) -> bytes:
        reads.append(self)
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", counted)
    default_store_location(data_dir)
    assert reads == []
    (data_dir / "places.ttl").touch()
    default_store_location(data_dir)
    assert len(reads) == len(backends.graph_files(data_dir))


def test_count_triples_in_memory_and_in_a_store_that_is_asked() -> None:
    data = "<http://e.org/a> <http://e.org/p> 1, 2, 3 ."
    assert count_triples(Graph().parse(data=data, format="turtle")) == 3
    pytest.importorskip("oxrdflib")
    assert count_triples(Graph(store="Oxigraph").parse(data=data, format="turtle")) == 3
