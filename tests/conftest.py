"""Shared fixtures: the real graph built from the real sources (built once per session), the bundled graph in
memory, in an Oxigraph store and behind the endpoint (once per module), and small Turtle graphs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from rdflib import Graph

from hyvinvointi_kg.assembly.assemble import Assembly, assemble
from hyvinvointi_kg.stores.files import load_graph, load_ontology

if TYPE_CHECKING:
    from hyvinvointi_kg.stores.endpoint import Endpoint

TESTS = Path(__file__).parent


@pytest.fixture(scope="session")
def built() -> Assembly:
    """A fresh build from data/sources (not the committed data/ttl)."""
    return assemble()


@pytest.fixture(scope="session")
def built_graph(built: Assembly) -> Graph:
    """The fresh build plus the ontology and schemes."""
    graph = built.graph()
    graph += load_ontology()
    return graph


@pytest.fixture(scope="module")
def memory() -> Graph:
    """The bundled graph in rdflib's memory store (the reference engine)."""
    return load_graph()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A persistent Oxigraph store of the bundled graph."""
    from hyvinvointi_kg.stores.backends import build_store

    return build_store(tmp_path_factory.mktemp("oxigraph") / "store")


@pytest.fixture(scope="module")
def endpoint(store: Path) -> Iterator[Endpoint]:
    """The project's SPARQL endpoint over :func:`store`, on a free port."""
    from hyvinvointi_kg.stores.endpoint import running_endpoint

    with running_endpoint(location=store, port=0) as running:
        yield running


TURTLE_PREFIXES = """
@prefix hk: <https://w3id.org/hyvinvointi-kg/ontology#> .
@prefix hks: <https://w3id.org/hyvinvointi-kg/shapes#> .
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix ex: <http://example.org/> .
"""


@pytest.fixture(scope="session")
def turtle() -> Callable[..., Graph]:
    """Parse a few lines of Turtle with the prefixes hk:, hks:, sh:, xsd:, rdfs: and ex:
    (``http://example.org/``) into a new graph, or ``into=`` a given one (shapes and data fixtures)."""
    def parse(text: str, *, into: Graph | None = None) -> Graph:
        return (Graph() if into is None else into).parse(data=TURTLE_PREFIXES + text, format="turtle")

    return parse
