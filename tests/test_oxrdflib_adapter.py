"""Tests of hyvinvointi_kg.stores.oxrdflib_adapter, and the pin of the oxrdflib internals it relies on.

If ``test_oxrdflib_private_pieces_the_adapter_relies_on`` fails after an oxrdflib upgrade, the
adapter (and only it) needs changing: its message says which private piece changed.
"""

from __future__ import annotations

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import XSD

from hyvinvointi_kg.stores.oxrdflib_adapter import graph_over_store, objects_by_subject, oxigraph_store

ox = pytest.importorskip("pyoxigraph")
pytest.importorskip("oxrdflib")

EX = "http://example.org/"
TURTLE = f"""
<{EX}a> <{EX}p> <{EX}x> , "1"^^<{XSD.integer}> , "yksi"@fi , _:b .
<{EX}b> <{EX}p> <{EX}x> .
<{EX}c> <{EX}q> <{EX}x> .
"""


def test_oxrdflib_private_pieces_the_adapter_relies_on() -> None:
    upgrade = "oxrdflib changed a private piece hyvinvointi_kg.stores.oxrdflib_adapter relies on: "
    try:
        from oxrdflib._converter import from_ox, to_ox_quad_pattern
        from oxrdflib.store import OxigraphStore
    except ImportError as err:
        pytest.fail(upgrade + f"cannot import it ({err})")
    store = ox.Store()
    graph = Graph(store=OxigraphStore(store=store), identifier=DATASET_DEFAULT_GRAPH_ID)
    # OxigraphStore._inner: the pyoxigraph store it was given.
    assert getattr(graph.store, "_inner", None) is store, upgrade + "OxigraphStore._inner is not the given store"
    # to_ox_quad_pattern: an rdflib triple pattern and graph -> the arguments of quads_for_pattern.
    pattern = to_ox_quad_pattern((None, URIRef(EX + "p"), None), graph)
    assert pattern == (None, ox.NamedNode(EX + "p"), None, ox.DefaultGraph()), \
        upgrade + f"to_ox_quad_pattern gives {pattern!r}"
    named = to_ox_quad_pattern((None, None, None), Graph(identifier=URIRef(EX + "g")))[3]
    assert named == ox.NamedNode(EX + "g"), upgrade + f"to_ox_quad_pattern names a graph {named!r}"
    # from_ox: a pyoxigraph term -> the equal rdflib term.
    cases = {ox.NamedNode(EX + "x"): URIRef(EX + "x"), ox.BlankNode("b1"): BNode("b1"),
             ox.Literal("yksi", language="fi"): Literal("yksi", lang="fi"),
             ox.Literal("1", datatype=ox.NamedNode(str(XSD.integer))): Literal("1", datatype=XSD.integer),
             ox.Literal("text"): Literal("text", datatype=XSD.string)}
    for term, expected in cases.items():
        converted = from_ox(term)
        assert converted == expected and type(converted) is type(expected), \
            upgrade + f"from_ox({term!r}) gives {converted!r}, not {expected!r}"


def test_oxigraph_store_is_none_for_other_graphs() -> None:
    assert oxigraph_store(Graph()) is None
    assert oxigraph_store(Graph(store="Oxigraph")) is not None
    assert oxigraph_store(graph_over_store(ox.Store())) is not None


def test_objects_by_subject_equals_reading_through_rdflib() -> None:
    memory = Graph().parse(data=TURTLE, format="turtle")
    stored = graph_over_store(ox.Store())
    stored.parse(data=TURTLE, format="turtle")
    keep = {URIRef(EX + "a"), URIRef(EX + "b"), URIRef(EX + "c")}
    found = objects_by_subject(stored, URIRef(EX + "p"), keep)
    assert found is not None
    expected: dict[URIRef, list[object]] = {}
    for s, o in memory.subject_objects(URIRef(EX + "p")):
        expected.setdefault(s, []).append(o)  # type: ignore[arg-type]
    # Blank nodes get store-local labels: compare them by kind only.
    def normal(values: list[object]) -> list[str]:
        return sorted("_:" if isinstance(v, BNode) else v.n3() for v in values)  # type: ignore[attr-defined]
    assert {s: normal(v) for s, v in found.items()} == {s: normal(v) for s, v in expected.items()}
    assert objects_by_subject(memory, URIRef(EX + "p"), keep) is None
