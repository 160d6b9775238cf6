"""Tests of hyvinvointi_kg.stores.oxigraph: loading rdflib graphs and RDF files into Oxigraph."""

from __future__ import annotations

from pathlib import Path

import pytest

from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.stores.oxigraph import load_store

pyoxigraph = pytest.importorskip("pyoxigraph")


def test_load_store_refuses_a_single_path() -> None:
    with pytest.raises(InputError, match="list of paths"):
        load_store(Path("graph.ttl"))  # type: ignore[arg-type]
