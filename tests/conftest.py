"""Shared fixtures: the real graph built from the real sources (built once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from hyvinvointi_kg.assembly.assemble import Assembly, assemble
from hyvinvointi_kg.stores.files import load_ontology

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
