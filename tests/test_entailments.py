"""Reasoning: owlrl's closure is the reference; the fast rules agree with it on the real graph.

owlrl needs about 9 s for the graph's facts (claims and source spans left out: they
hold no axioms' subjects and are most of the triples), so the closure is computed once.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF

from hyvinvointi_kg.namespaces import HK, ID, municipality_iri, organisation_iri, project_iri, region_iri
from hyvinvointi_kg.reasoning.entailments import entailments, infer, materialise
from hyvinvointi_kg.stores.files import load_graph


@pytest.fixture(scope="module")
def facts(built_graph: Graph) -> Graph:
    provenance = {s for c in (HK.Claim, HK.SourceSpan, HK.SourceRecord)
                  for s in built_graph.subjects(RDF.type, c)}
    graph = Graph()
    for triple in built_graph:
        if triple[0] not in provenance:
            graph.add(triple)
    return graph


@pytest.fixture(scope="module")
def closed(facts: Graph) -> Graph:
    return infer(facts)


def test_infer_does_not_mutate_input(facts: Graph, closed: Graph) -> None:
    assert len(closed) > len(facts)
    assert (project_iri("S21758"), HK.implementedBy, None) not in facts


def test_infer_role_implies_implemented_by_and_inverse(facts: Graph, closed: Graph) -> None:
    project, org = project_iri("S21758"), organisation_iri("Itä-Lapin kuntayhtymä")
    assert (project, HK.leadImplementer, org) in facts
    assert (project, HK.implementedBy, org) in closed
    assert (org, HK.implements, project) in closed
    assert (org, HK.leads, project) in closed


def test_infer_partner_implies_implemented_by(facts: Graph, closed: Graph) -> None:
    partnerships = list(facts.subject_objects(HK.partner))
    assert len(partnerships) > 100
    for project, org in partnerships:
        assert (project, HK.implementedBy, org) in closed
        assert (org, HK.partnerIn, project) in closed


def test_infer_place_hierarchy_is_transitive(facts: Graph, closed: Graph) -> None:
    kemi = municipality_iri("240")
    assert (kemi, HK.partOf, region_iri("19")) not in facts
    assert (kemi, HK.partOf, region_iri("19")) in closed
    assert (kemi, HK.partOf, ID["place/maa/FI"]) in closed
    assert (region_iri("19"), HK.hasPart, kemi) in closed


def test_infer_funding_chain_gives_funded_by(closed: Graph) -> None:
    assert (project_iri("S20154"), HK.fundedBy, ID["fund/esr"]) in closed
    assert (ID["fund/esr"], HK.funds, project_iri("S20154")) in closed


def test_infer_municipality_organisation_governs_its_place(closed: Graph) -> None:
    kemi_org = organisation_iri("Kemin kaupunki")
    assert (kemi_org, HK.governs, municipality_iri("240")) in closed
    assert (municipality_iri("240"), HK.governingBody, kemi_org) in closed


def test_materialise_is_subset_of_owlrl_and_misses_only_owl_thing(facts: Graph, closed: Graph) -> None:
    fast = materialise(facts)
    assert set(fast) <= set(closed)
    missed = {
        t for t in set(closed) - set(fast)
        if isinstance(t[0], URIRef) and str(t[0]).startswith(str(ID))
        and not isinstance(t[2], Literal) and t[1] != OWL.sameAs
    }
    assert {t[2] for t in missed} <= {OWL.Thing}
    assert all(t[1] == RDF.type for t in missed)
    assert len(fast) - len(facts) > 5000


def test_materialise_does_not_mutate_input(facts: Graph) -> None:
    before = len(facts)
    materialise(facts)
    assert len(facts) == before


def test_bundled_inferred_file_matches_a_fresh_materialisation(built_graph: Graph) -> None:
    shipped = load_graph(inferred=True)
    fresh = entailments(built_graph)
    assert len(fresh) > 10000
    assert all(triple in shipped for triple in fresh)
    assert (project_iri("S21758"), HK.implementedBy, organisation_iri("Itä-Lapin kuntayhtymä")) in shipped
