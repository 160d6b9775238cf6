"""Tests of hyvinvointi_kg.reasoning.rules_sparql: the rules as SPARQL updates add the triples ``entailments`` adds."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from hyvinvointi_kg.reasoning.entailments import entailments
from hyvinvointi_kg.reasoning.rules_sparql import entailments_sparql, materialise_in_place
from hyvinvointi_kg.stores.files import load_graph
from hyvinvointi_kg.stores.oxigraph import load_store

pyoxigraph = pytest.importorskip("pyoxigraph")



@cache
def _facts() -> Graph:
    """The real graph without its entailments (data and ontology), as ``build`` infers from it."""
    return load_graph(inferred=False)

@cache
def _facts_entailed() -> frozenset[tuple[object, object, object]]:
    return frozenset(entailments(_facts()))

@pytest.mark.slow
def test_entailments_sparql_equals_entailments_on_real_graph() -> None:
    assert set(entailments_sparql(_facts())) == _facts_entailed()

def test_entailments_sparql_property_by_property_equals_entailments(
        monkeypatch: pytest.MonkeyPatch, turtle: Callable[..., Graph]) -> None:
    # A store above rules_sparql._SPLIT_ABOVE triples runs the property rules one property at a time
    # (a transaction each, so that a million projects fit in memory): the same conclusions.
    import hyvinvointi_kg.reasoning.rules_sparql as rules_sparql

    assert rules_sparql._holds_more_than(load_store(_facts()), 1000)
    monkeypatch.setattr(rules_sparql, "_SPLIT_ABOVE", 0)
    assert set(entailments_sparql(_facts())) == _facts_entailed()
    # Including the originals of literals carried along sub-properties and inverses.
    graph = turtle("""
    ex:p rdfs:subPropertyOf ex:q . ex:q <http://www.w3.org/2002/07/owl#inverseOf> ex:r .
    ex:a ex:p "1.50"^^xsd:decimal , ex:b .
    """)
    assert rules_sparql._holds_more_than(load_store(graph), 3)
    assert not rules_sparql._holds_more_than(load_store(graph), 4)
    assert set(entailments_sparql(graph)) == set(entailments(graph))
    # Split, the conclusions go through a file into the store in bulk: blank nodes keep their identity.
    turtle("_:x ex:p _:y . _:y ex:p ex:c .", into=graph)
    expected = set(entailments(graph))
    assert sum(isinstance(term, BNode) for triple in expected for term in triple) == 6
    assert set(entailments_sparql(graph)) == expected
    # The private graphs of the rounds are removed in batches (of 2 here), blank nodes one by one.
    monkeypatch.setattr(rules_sparql, "_DROP_BATCH", 2)
    store = load_store(graph)
    graphs = set(store.named_graphs())
    assert materialise_in_place(store) == len(expected)
    assert materialise_in_place(store) == 0
    assert set(store.named_graphs()) == graphs

def test_entailments_sparql_keeps_literals_oxigraph_normalises(turtle: Callable[..., Graph]) -> None:
    graph = turtle("""
    ex:p rdfs:subPropertyOf ex:q .
    ex:a ex:p "0"^^xsd:positiveInteger , "1.50"^^xsd:decimal , "x"^^xsd:string , "2020-1-5"^^xsd:date .
    ex:a ex:q "1.5"^^xsd:decimal .
    """)
    fast = set(entailments_sparql(graph))
    assert fast == set(entailments(graph))
    a, q = URIRef("http://example.org/a"), URIRef("http://example.org/q")
    assert (a, q, Literal("0", datatype=XSD.positiveInteger)) in fast
    assert (a, q, Literal("1.50", datatype=XSD.decimal)) in fast
    assert len(fast) == 4

@pytest.mark.slow
def test_entailments_sparql_of_store_does_not_change_it() -> None:
    store = load_store(_facts())
    before = len(store)
    assert set(entailments_sparql(store)) == _facts_entailed()
    assert len(store) == before

@pytest.mark.slow
def test_materialise_in_place_adds_the_entailments_once() -> None:
    store = load_store(_facts())
    graphs = set(store.named_graphs())
    assert materialise_in_place(store) == len(_facts_entailed())
    assert materialise_in_place(store) == 0
    assert set(store.named_graphs()) == graphs

def test_materialise_in_place_removes_the_graphs_of_a_killed_run(turtle: Callable[..., Graph]) -> None:
    import pyoxigraph as ox

    graph = turtle("ex:p rdfs:subPropertyOf ex:q . ex:a ex:p ex:b .")
    store = load_store(graph)
    graphs = set(store.named_graphs())
    stale = [ox.NamedNode(f"urn:x-hyvinvointi-kg:fast:{name}") for name in ("added-dead-0", "rules-dead")]
    for name in stale:
        store.add(ox.Quad(ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/q"),
                          ox.NamedNode("http://example.org/b"), name))
    assert materialise_in_place(store) == 1
    assert set(store.named_graphs()) == graphs
