"""Where the graph lives: in memory (rdflib), in a persistent Oxigraph store, or behind a SPARQL endpoint.

Every backend is an ``rdflib.Graph``, so the whole API — :func:`run_query`,
tables, overlaps, networks, views — works on each unchanged:

- ``"memory"`` (default): the bundled Turtle files parsed into rdflib's memory
  store; SPARQL by rdflib's engine (the reference).
- a folder (``"oxigraph:PATH"`` or a :class:`~pathlib.Path`): an embedded,
  persistent Oxigraph store (`oxrdflib`_), built once from the Turtle files and
  reopened instantly afterwards; SPARQL by Oxigraph's engine.
- an ``http(s)://`` URL: any SPARQL 1.1 query endpoint (Oxigraph server,
  Fuseki, Virtuoso, GraphDB …) through rdflib's ``SPARQLStore``, read-only.

:func:`publish` uploads the graph to a store through the SPARQL 1.1 Graph Store
HTTP Protocol.

.. _oxrdflib: https://github.com/oxigraph/oxrdflib
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import BNode, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from hyvinvointi_kg._resources import resource_dir
from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.namespaces import bind_prefixes
from hyvinvointi_kg.stores.files import DATA_FILES, INFERRED_FILE, load_graph

if TYPE_CHECKING:
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

__all__ = ["build_store", "check_store", "count_triples", "default_store_location", "graph_files", "open_graph",
           "publish"]

ONTOLOGY_FILES = ("hyvinvointi.ttl", "schemes.ttl")
_MARKER = "hyvinvointi-kg-store.txt"


def graph_files(data_dir: Path | None = None) -> list[Path]:
    """The Turtle files :func:`hyvinvointi_kg.stores.files.load_graph` reads, in order.

    Raises
    ------
    InputError
        If one is missing.

    Examples
    --------
    >>> [p.name for p in graph_files()]
    ['hyvinvointi.ttl', 'schemes.ttl', 'places.ttl', 'graph.ttl', 'inferred.ttl']
    """
    data_dir = data_dir or resource_dir("data/ttl")
    files = [resource_dir("ontology") / name for name in ONTOLOGY_FILES]
    files += [data_dir / name for name in (*DATA_FILES, INFERRED_FILE)]
    for path in files:
        if not path.is_file():
            raise InputError(f"{path}: not found; run 'hyvinvointi-kg build' first")
    return files


def default_store_location(data_dir: Path | None = None) -> Path:
    """A cache folder for the persistent store of the graph in *data_dir*.

    Named by a digest of the graph's files, so a rebuilt graph gets a new store:
    ``$XDG_CACHE_HOME/hyvinvointi-kg/store-<digest>`` (``~/.cache`` by default). The files
    are read again only when one's path, size or modification time has changed.

    Raises
    ------
    InputError
        If a file of the graph is missing.

    Examples
    --------
    >>> default_store_location().name.startswith("store-")
    True
    """
    stamps = tuple((str(path), stat.st_size, stat.st_mtime_ns)
                   for path in graph_files(data_dir) for stat in (path.stat(),))
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "hyvinvointi-kg"
    cache.mkdir(parents=True, exist_ok=True)
    return cache / f"store-{_files_digest(stamps)[:16]}"


@functools.lru_cache(maxsize=16)
def _files_digest(stamps: tuple[tuple[str, int, int], ...]) -> str:
    """SHA-256 of the files named in *stamps* (path, size, mtime_ns), in order.

    Memoised on the stamps, so that asking again about unchanged files reads nothing: a pure
    function of its argument (a file changed in place gets a new size or mtime, so a new key).
    """
    import hashlib

    digest = hashlib.sha256()
    for path, _, _ in stamps:
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()


def build_store(location: Path, *, data_dir: Path | None = None, replace: bool = False) -> Path:
    """Build a persistent Oxigraph store at *location* from the graph's Turtle files.

    The store is built in a temporary folder beside *location* and renamed into
    place, so an interrupted build leaves nothing half-made. An existing store
    is kept unless *replace*; when two processes build the same new store at
    once, the first to finish puts its store in place and the other uses it
    (nothing is deleted under a process that has opened it).

    Raises
    ------
    InputError
        If *location* exists and is not a store this function built, or a file is missing.
    """
    import pyoxigraph as ox

    location = Path(location)
    if location.exists():
        if not (location / _MARKER).is_file():
            raise InputError(f"{location} exists and is not a hyvinvointi-kg Oxigraph store; "
                             "choose another folder")
        if not replace:
            return location
    if not location.parent.is_dir():
        raise InputError(f"cannot create {location}: the folder {location.parent} does not exist")
    files = graph_files(data_dir)
    tmp = Path(tempfile.mkdtemp(dir=location.parent, prefix=f".{location.name}."))
    try:
        store = ox.Store(str(tmp / "db"))
        for path in files:
            try:
                store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
            except SyntaxError as err:
                raise InputError(f"{path}: RDF syntax error: {err}") from err
        store.flush()
        del store
        (tmp / _CHECKSUMS).write_text("".join(f"{digest}  {name}\n" for name, digest
                                              in _table_digests(tmp / "db").items()), encoding="utf-8")
        (tmp / _MARKER).write_text("\n".join(str(p) for p in files) + "\n", encoding="utf-8")
        if replace and location.exists():  # swap: the old store is renamed away, then deleted
            old = Path(tempfile.mkdtemp(dir=location.parent, prefix=f".{location.name}.old."))
            os.replace(location, old / "store")
            os.rename(tmp, location)
            shutil.rmtree(old, ignore_errors=True)
        else:
            try:
                os.rename(tmp, location)  # atomic; fails if another process got there first
            except OSError:
                if not (location / _MARKER).is_file():
                    raise
                # A concurrent build of the same store won: use its store, discard this one.
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return location


#: SHA-256 of the store's table files (RocksDB's ``*.sst``, never changed once written), written
#: when the store is built and checked when it is opened: a damaged table would make Oxigraph
#: allocate without bound or abort when a query reads it, so it is caught before any query.
_CHECKSUMS = "tables.sha256"


def _table_digests(db: Path) -> dict[str, str]:
    import hashlib

    return {table.name: hashlib.sha256(table.read_bytes()).hexdigest()
            for table in sorted(db.glob("*.sst"))}


def check_store(location: Path) -> None:
    """Raise :class:`InputError` if the store's table files differ from those it was built with.

    :func:`open_graph` and the endpoint call it before any query reaches the store; a store
    built before the checksums were kept is not checked.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     check_store(build_store(Path(folder) / "store"))  # intact: no error
    """
    listed = location / _CHECKSUMS
    if not listed.is_file():  # a store built before the checksums were kept
        return
    expected = {name: digest for digest, name in
                (line.split("  ", 1) for line in listed.read_text(encoding="utf-8").splitlines())}
    found = _table_digests(location / "db")
    damaged = sorted(set(expected) ^ set(found) | {n for n in expected if found.get(n, expected[n]) != expected[n]})
    if damaged:
        raise InputError(f"{location}: the Oxigraph store is damaged ({len(damaged)} table file(s) differ "
                         f"from those it was built with, e.g. {damaged[0]}); delete its folder "
                         "(it is built again on the next use)")


def open_graph(source: str | Path | None = None, *, data_dir: Path | None = None,
               timeout: float = 60.0) -> Graph:
    """Open the knowledge graph on a backend (see the module docstring).

    Parameters
    ----------
    source
        ``None`` or ``"memory"``; ``"oxigraph:PATH"`` or a Path (a persistent
        store, built from the Turtle files on first use); an ``http(s)://`` SPARQL
        query endpoint URL.
    data_dir
        Folder of a built graph (default: the bundled ``data/ttl``), for the
        memory backend and when a store is built.
    timeout
        For an endpoint: seconds to wait for it to connect or to send more of
        an answer before giving up with an :class:`~hyvinvointi_kg.errors.InputError`.

    Raises
    ------
    InputError
        If the store cannot be built or opened. An endpoint is first contacted
        by the first query; that query raises ``InputError`` (naming the URL) if
        the endpoint cannot be reached, does not answer within *timeout*, or
        refuses the query.

    Examples
    --------
    >>> import tempfile
    >>> from hyvinvointi_kg.query import run_query
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     g = open_graph(f"oxigraph:{folder}/store")
    ...     len(run_query(g, "municipality-profile", municipality="Savukoski"))
    6
    """
    if source is None or source == "memory":
        return load_graph(data_dir=data_dir)
    text = str(source)
    if text.startswith(("http://", "https://")):
        return bind_prefixes(Graph(store=_endpoint_store(text, timeout=timeout),
                                   identifier=DATASET_DEFAULT_GRAPH_ID))
    import pyoxigraph as ox

    from hyvinvointi_kg.stores.oxrdflib_adapter import graph_over_store

    path = Path(text.removeprefix("oxigraph:")) if isinstance(source, str) else Path(source)
    build_store(path, data_dir=data_dir)
    check_store(path)
    # Read-only: any number of readers (other graphs, processes, `hyvinvointi-kg serve`) at once.
    try:
        opened = ox.Store.read_only(str(path / "db"))
    except (OSError, RuntimeError) as err:  # RocksDB reports corruption as RuntimeError
        raise InputError(f"{path}: the Oxigraph store cannot be opened ({err}); it may be damaged. "
                         "Delete the folder, or rebuild it with build_store(..., replace=True), "
                         "which builds a new store beside it and swaps it in") from err
    return bind_prefixes(graph_over_store(opened))


def count_triples(graph: Graph) -> int:
    """The number of triples in *graph*, on any backend, without walking them one by one.

    rdflib's in-memory stores know their size; ``len`` on another store (Oxigraph, an
    endpoint) would walk it triple by triple, so the store is asked with one SPARQL
    ``COUNT`` instead.

    Examples
    --------
    >>> data = "<http://e.org/a> <http://e.org/p> 1, 2 ."
    >>> count_triples(Graph().parse(data=data, format="turtle"))
    2
    >>> count_triples(Graph(store="Oxigraph").parse(data=data, format="turtle"))  # asked, not walked
    2
    """
    from rdflib.plugins.stores.memory import Memory, SimpleMemory

    if isinstance(graph.store, (Memory, SimpleMemory)):
        return len(graph)
    row = next(iter(graph.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")))
    return int(str(row[0]))  # type: ignore[index]


def _endpoint_store(url: str, *, timeout: float) -> SPARQLStore:
    """A read-only store over the SPARQL endpoint *url*, each request bounded by *timeout*.

    rdflib's ``SPARQLStore`` sends its requests without a timeout (a silent
    server hangs the caller forever) and lets network errors escape as
    ``URLError`` tracebacks; this one sends each query itself (SPARQL 1.1
    Protocol, POST form) with a timeout and turns every failure into an
    ``InputError`` that names the URL and what to do.
    """
    from io import BytesIO

    from rdflib.plugins.stores.sparqlstore import SPARQLStore
    from rdflib.query import Result

    class EndpointStore(SPARQLStore):
        # rdflib's SPARQLStore sends every request (query, triples, len) through its
        # _query; tests/test_endpoint.py pins that this override is what runs.
        def _query(self, query: str, default_graph: str | None = None,
                   named_graph: str | None = None) -> Result:
            params = {"query": query}
            if default_graph is not None and not isinstance(default_graph, BNode):
                params["default-graph-uri"] = default_graph
            request = urllib.request.Request(
                url, data=urllib.parse.urlencode(params).encode("utf-8"),
                headers={"Accept": self.response_mime_types(),
                         "Content-Type": "application/x-www-form-urlencoded"})
            try:
                with urllib.request.urlopen(request, timeout=timeout) as response:
                    body = response.read()
                    content_type = response.headers.get_content_type()
            except urllib.error.HTTPError as err:
                raise InputError(f"{url}: the SPARQL endpoint refused the query: "
                                 f"{_refusal(err, max_chars=200)}") from err
            except (urllib.error.URLError, OSError) as err:  # a timeout is an OSError, or wrapped
                reason = getattr(err, "reason", err)
                if isinstance(reason, TimeoutError):
                    raise InputError(f"{url}: the SPARQL endpoint did not answer within {timeout:g} s; "
                                     "check that it is up and that the URL is its query endpoint") from err
                raise InputError(f"{url}: cannot reach the SPARQL endpoint ({reason}); "
                                 "check the URL and that the server is running") from err
            try:
                return Result.parse(BytesIO(body), content_type=content_type)
            except Exception as err:  # the parsers raise several types
                raise InputError(f"{url}: the answer is not a SPARQL result ({content_type}); "
                                 "is this the endpoint's query URL?") from err

    return EndpointStore(query_endpoint=url, returnFormat="json", method="POST_FORM", context_aware=False)


def _refusal(err: urllib.error.HTTPError, *, max_chars: int | None = None) -> str:
    """``HTTP <status> <the first line of the server's answer, or the reason>``."""
    detail = err.read().decode("utf-8", "replace").strip().splitlines()
    return f"HTTP {err.code} {detail[0][:max_chars] if detail else err.reason}"


def _ntriples(files: list[Path]) -> bytes:
    """The union of the Turtle *files* as N-Triples (parsed by Oxigraph, fast)."""
    import pyoxigraph as ox

    store = ox.Store()
    for path in files:
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    return data if isinstance(data, bytes) else b""


def publish(endpoint: str, *, data_dir: Path | None = None, graph_iri: str | None = None,
            timeout: float = 300.0) -> int:
    """Upload the graph to a store with the SPARQL 1.1 Graph Store HTTP Protocol (HTTP PUT).

    *endpoint* is the store's Graph Store URL (Oxigraph server:
    ``http://localhost:7878/store``; Fuseki: ``http://host:3030/DATASET/data``).
    The default graph is replaced, or the named graph *graph_iri*. Returns the
    number of bytes sent.

    Raises
    ------
    InputError
        If the server cannot be reached or refuses the upload (the message gives
        the HTTP status and the server's first line).
    """
    if not endpoint.startswith(("http://", "https://")):
        raise InputError(f"--endpoint {endpoint!r} is not an http(s) URL of a Graph Store endpoint")
    body = _ntriples(graph_files(data_dir))
    query = f"graph={urllib.parse.quote(graph_iri, safe='')}" if graph_iri else "default"
    url = f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"
    request = urllib.request.Request(url, data=body, method="PUT",
                                     headers={"Content-Type": "application/n-triples"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as err:
        raise InputError(f"{url}: the server refused the upload: {_refusal(err)}") from err
    except (urllib.error.URLError, OSError) as err:
        raise InputError(f"{url}: cannot reach the server: {err}") from err
    return len(body)
