"""Reasoning: owlrl's closure is the reference; the fast rules agree with it on the real graph."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF

from hyvinvointi_kg.graph import load_graph
from hyvinvointi_kg.inference import entailments, infer, materialise
from hyvinvointi_kg.namespaces import (
    HK,
    ID,
    municipality_iri,
    organisation_iri,
    project_iri,
    region_iri,
)


def test_infer_does_not_mutate_input(built_graph: Graph) -> None:
    before = len(built_graph)
    infer(built_graph)
    assert len(built_graph) == before


def test_infer_role_implies_implemented_by_and_inverse(built_graph: Graph) -> None:
    closed = infer(built_graph)
    project, org = project_iri("S21758"), organisation_iri("Itä-Lapin kuntayhtymä")
    assert (project, HK.implementedBy, org) not in built_graph
    assert (project, HK.implementedBy, org) in closed
    assert (org, HK.implements, project) in closed
    assert (org, HK.leads, project) in closed


def test_infer_place_hierarchy_is_transitive(built_graph: Graph) -> None:
    closed = infer(built_graph)
    kemi = municipality_iri("240")
    assert (kemi, HK.partOf, region_iri("19")) not in built_graph
    assert (kemi, HK.partOf, region_iri("19")) in closed
    assert (kemi, HK.partOf, ID["place/maa/FI"]) in closed
    assert (region_iri("19"), HK.hasPart, kemi) in closed


def test_infer_funding_chain_gives_funded_by(built_graph: Graph) -> None:
    closed = infer(built_graph)
    assert (project_iri("S20154"), HK.fundedBy, ID["fund/esr"]) in closed
    assert (ID["fund/esr"], HK.funds, project_iri("S20154")) in closed


def test_materialise_is_subset_of_owlrl_and_misses_only_owl_thing(built_graph: Graph) -> None:
    fast = entailments(built_graph, method="rules")
    full = entailments(built_graph, method="owlrl")
    assert set(fast) <= set(full)
    missed = {
        t for t in set(full) - set(fast)
        if isinstance(t[0], URIRef) and str(t[0]).startswith(str(ID))
        and not isinstance(t[2], Literal) and t[1] != OWL.sameAs
    }
    assert {t[2] for t in missed} <= {OWL.Thing}
    assert all(t[1] == RDF.type for t in missed)
    assert len(fast) > 1000


def test_materialise_does_not_mutate_input(built_graph: Graph) -> None:
    before = len(built_graph)
    materialise(built_graph)
    assert len(built_graph) == before


def test_bundled_inferred_file_matches_a_fresh_materialisation(built_graph: Graph) -> None:
    shipped = load_graph(inferred=True)
    for triple in entailments(built_graph):
        assert triple in shipped
    assert (project_iri("S21758"), HK.implementedBy, organisation_iri("Itä-Lapin kuntayhtymä")) in shipped
