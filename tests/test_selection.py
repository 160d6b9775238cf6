"""analysis/selection.py: projects chosen by filters given as IRIs, names or periods as people write them."""

from __future__ import annotations

from datetime import date

import pytest
from rdflib import Graph, URIRef

from hyvinvointi_kg.analysis.selection import Filters, resolve_filters, select_projects
from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.namespaces import ID, THEME
from hyvinvointi_kg.query import run_query
from hyvinvointi_kg.stores.files import load_graph


@pytest.fixture(scope="module")
def graph() -> Graph:
    return load_graph()


def _sparql_projects(graph: Graph, where: str) -> set[URIRef]:
    """The independent oracle: the projects a hand-written SPARQL pattern selects."""
    rows = graph.query(f"PREFIX hk: <https://w3id.org/hyvinvointi-kg/ontology#> "
                       f"PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
                       f"SELECT DISTINCT ?p WHERE {{ ?p a hk:Project . {where} }}")
    return {row[0] for row in rows}  # type: ignore[index]


def test_resolve_filters_names_and_iris_agree(graph: Graph) -> None:
    by_name = resolve_filters(graph, municipality="kemi", theme="Turvallisuus", period="2018–2020")
    by_iri = resolve_filters(graph, municipality=ID["place/kunta/240"], theme=THEME.turvallisuus,
                             period=(date(2018, 1, 1), date(2020, 12, 31)))
    assert by_name == by_iri == Filters(period=(date(2018, 1, 1), date(2020, 12, 31)),
                                        municipality=ID["place/kunta/240"], theme=THEME.turvallisuus)


def test_resolve_filters_unknown_name_suggests_the_closest(graph: Graph) -> None:
    with pytest.raises(InputError, match="unknown target group 'nuort'; closest known names: .*nuoret"):
        resolve_filters(graph, target_group="nuort")


def test_select_projects_by_target_group_equals_sparql(graph: Graph) -> None:
    chosen = select_projects(graph, target_group="nuoret")
    oracle = _sparql_projects(graph, "?p hk:targetGroup ?g . ?g skos:prefLabel 'nuoret'@fi")
    assert chosen == oracle and len(chosen) > 10


def test_select_projects_matches_the_named_query(graph: Graph) -> None:
    chosen = select_projects(graph, municipality="Kemi", period="2019")
    rows = run_query(graph, "projects-by-filter", municipality=str(ID["place/kunta/240"]),
                     active_from="2019-01-01", active_to="2019-12-31").records()
    assert {URIRef(r["project"]) for r in rows} == chosen and chosen


def test_select_projects_with_no_filter_is_every_project(graph: Graph) -> None:
    assert select_projects(graph) == _sparql_projects(graph, "")
