"""Loading and writing graphs: the bundled ontology and data, Turtle files, atomic writes."""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

from rdflib import Graph
from rdflib.plugins.serializers.turtle import TurtleSerializer
from rdflib.term import Node

from hyvinvointi_kg._resources import resource_dir
from hyvinvointi_kg.errors import InputError, RDFSyntaxError
from hyvinvointi_kg.namespaces import bind_prefixes

__all__ = [
    "DATA_FILES",
    "INFERRED_FILE",
    "ONTOLOGY_FILES",
    "load_graph",
    "load_ontology",
    "load_shapes",
    "parse_rdf",
    "turtle_bytes",
    "write_bytes",
    "write_text",
    "write_turtle",
]

ONTOLOGY_FILES = ("hyvinvointi.ttl", "schemes.ttl")
SHAPES_FILE = "shapes.ttl"
DATA_FILES = ("places.ttl", "graph.ttl")
INFERRED_FILE = "inferred.ttl"

_LINE_PATTERNS = (re.compile(r"\bline[: ]+(\d+)", re.IGNORECASE), re.compile(r":(\d+):"))


def parse_rdf(path: Path, *, into: Graph | None = None) -> Graph:
    """Parse an RDF file (format from its extension) into a graph.

    Raises
    ------
    InputError
        If the file does not exist or cannot be read.
    RDFSyntaxError
        If it does not parse; the message names the file and, when the parser
        reports it, the line.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> bad = pathlib.Path(tempfile.mkdtemp()) / "bad.ttl"
    >>> _ = bad.write_text("@prefix ex: <http://example.org/> .\\nex:a ex:b .\\n")
    >>> try:
    ...     parse_rdf(bad)
    ... except RDFSyntaxError as err:
    ...     print(err.line)
    2
    """
    graph = into if into is not None else Graph()
    if not path.is_file():
        raise InputError(f"{path}: file not found")
    suffix = path.suffix.lower()
    fmt = {".ttl": "turtle", ".nt": "nt", ".rdf": "xml", ".owl": "xml", ".jsonld": "json-ld",
           ".trig": "trig", ".n3": "n3"}.get(suffix, "turtle")
    try:
        graph.parse(path, format=fmt)
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror or err}") from err
    except Exception as err:  # rdflib raises many types for syntax errors
        detail = " ".join(str(err).split())
        line = None
        for pattern in _LINE_PATTERNS:
            match = pattern.search(detail)
            if match:
                line = int(match.group(1))
                break
        reason = re.search(r"Bad syntax \((.*?)\) at \^", detail)
        raise RDFSyntaxError(str(path), line, reason.group(1) if reason else detail[:300]) from err
    return graph


def load_ontology() -> Graph:
    """The ontology and its SKOS schemes (no shapes, no data).

    Examples
    --------
    >>> from hyvinvointi_kg.namespaces import HK
    >>> from rdflib.namespace import RDF, OWL
    >>> (HK.Project, RDF.type, OWL.Class) in load_ontology()
    True
    """
    graph = bind_prefixes(Graph())
    for name in ONTOLOGY_FILES:
        parse_rdf(resource_dir("ontology") / name, into=graph)
    return graph


def load_shapes() -> Graph:
    """The SHACL shapes graph (``ontology/shapes.ttl``).

    Examples
    --------
    >>> from rdflib.namespace import RDF, SH
    >>> len(set(load_shapes().subjects(RDF.type, SH.NodeShape))) > 10
    True
    """
    return parse_rdf(resource_dir("ontology") / SHAPES_FILE, into=bind_prefixes(Graph()))


def load_graph(
    *, data_dir: Path | None = None, inferred: bool = True, ontology: bool = True
) -> Graph:
    """Load the built knowledge graph.

    Parameters
    ----------
    data_dir
        Folder with ``places.ttl`` and ``graph.ttl`` (default: the bundled ``data/ttl``).
    inferred
        Also load ``inferred.ttl``, the entailments the build computed, so that
        ``hk:implementedBy``, ``hk:partOf`` closure and inverses can be queried.
    ontology
        Also load the ontology and the SKOS schemes (labels of concepts, classes).

    Raises
    ------
    InputError
        If a file is missing (run ``hyvinvointi-kg build`` first) or malformed.

    Examples
    --------
    >>> from hyvinvointi_kg.namespaces import HK, project_iri
    >>> g = load_graph()
    >>> (project_iri("S21758"), HK.implementedBy, None) in g
    True
    """
    data_dir = data_dir or resource_dir("data/ttl")
    graph = load_ontology() if ontology else bind_prefixes(Graph())
    names: Iterable[str] = DATA_FILES + ((INFERRED_FILE,) if inferred else ())
    for name in names:
        path = data_dir / name
        if not path.is_file():
            raise InputError(f"{path}: not found; run 'hyvinvointi-kg build' first")
        parse_rdf(path, into=graph)
    return graph


class _MemoTurtle(TurtleSerializer):
    """rdflib's Turtle serializer with the prefixed name of each IRI computed once."""

    def get_pname(self, uri: Node, gen_prefix: bool = True) -> str | None:
        key = (uri, gen_prefix)
        if key not in self._pnames:
            self._pnames[key] = super().get_pname(uri, gen_prefix)
        return self._pnames[key]

    def reset(self) -> None:
        super().reset()
        self._pnames: dict[tuple[Node, bool], str | None] = {}


def turtle_bytes(graph: Graph) -> bytes:
    """*graph* serialised as Turtle (UTF-8) with the project's prefixes.

    The bytes of rdflib's Turtle serializer, about twice as fast: the prefixed
    name of each IRI is computed once per serialisation instead of at every use.

    Examples
    --------
    >>> from rdflib import URIRef
    >>> g = Graph()
    >>> _ = g.add((URIRef("https://w3id.org/hyvinvointi-kg/id/project/S1"),
    ...            URIRef("http://purl.org/dc/terms/title"), URIRef("https://example.org/x")))
    >>> turtle_bytes(g) == g.serialize(format="turtle", encoding="utf-8")
    True
    """
    bind_prefixes(graph)
    stream = io.BytesIO()
    _MemoTurtle(graph).serialize(stream, encoding="utf-8")
    return stream.getvalue()


def write_bytes(data: bytes, path: Path) -> None:
    """Write *data* atomically: a temporary file in the same folder, then a rename.

    A failure leaves any existing file untouched.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_turtle(graph: Graph, path: Path) -> None:
    """Write *graph* as Turtle atomically (see :func:`write_bytes`).

    Examples
    --------
    >>> import tempfile
    >>> from rdflib import Graph, URIRef
    >>> g = Graph()
    >>> g.add((URIRef("https://example.org/a"), URIRef("https://example.org/b"), URIRef("https://example.org/c")))
    <Graph identifier=... (<class 'rdflib.graph.Graph'>)>
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     write_turtle(g, Path(folder) / "a.ttl")
    ...     len(Graph().parse(Path(folder) / "a.ttl"))
    1
    """
    write_bytes(turtle_bytes(graph), path)


def write_text(text: str, path: Path) -> None:
    """Write UTF-8 text atomically (see :func:`write_bytes`)."""
    write_bytes(text.encode("utf-8"), path)
