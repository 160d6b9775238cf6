"""Queries: every file parses and has a header; golden results on the real graph; safe parameters."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from rdflib import Graph
from rdflib.plugins.sparql import prepareQuery

from hyvinvointi_kg.errors import QueryError
from hyvinvointi_kg.graph import load_graph
from hyvinvointi_kg.query import format_result, list_queries, run_query, run_sparql

QUERIES = list_queries()


@pytest.fixture(scope="module")
def graph() -> Graph:
    return load_graph()


@pytest.mark.parametrize("info", QUERIES, ids=[q.name for q in QUERIES])
def test_query_file_parses_and_documents_itself(info) -> None:  # type: ignore[no-untyped-def]
    prepareQuery(info.text)
    assert info.summary and info.returns
    for param in info.params:
        assert f"?{param.name}" in info.text
        assert param.description


@pytest.mark.parametrize("info", [q for q in QUERIES if q.name.endswith("-violation")],
                         ids=lambda q: q.name)
def test_violation_query_returns_no_rows_on_real_graph(info, graph: Graph) -> None:  # type: ignore[no-untyped-def]
    assert len(run_query(graph, info)) == 0


def test_projects_golden(graph: Graph) -> None:
    rows = run_query(graph, "projects").records()
    assert rows == [
        {"project": "https://w3id.org/hyvinvointi-kg/id/project/S20154", "code": "S20154",
         "title": "Hyvinvointia yhteistyöllä Meri-Lapissa",
         "lead": "https://w3id.org/hyvinvointi-kg/id/org/pohjoisen-yhteisojen-tuki-majakka-ry",
         "lead_label": "Pohjoisen yhteisöjen tuki - Majakka ry",
         "start": date(2015, 3, 1), "end": date(2018, 2, 28), "status": "ended"},
        {"project": "https://w3id.org/hyvinvointi-kg/id/project/S21758", "code": "S21758",
         "title": "High five - More wellbeing through co-operation in Eastern Lapland",
         "lead": "https://w3id.org/hyvinvointi-kg/id/org/ita-lapin-kuntayhtyma",
         "lead_label": "Itä-Lapin kuntayhtymä",
         "start": date(2019, 9, 1), "end": date(2022, 3, 31), "status": "ended"},
    ]


@pytest.mark.parametrize(("place", "codes"), [
    ("kunta/240", ["S20154"]),          # Kemi: S20154 only
    ("kunta/320", ["S21758"]),          # Kemijärvi: S21758 only
    ("kunta/698", []),                  # Rovaniemi: neither
    ("maakunta/19", ["S20154", "S21758"]),  # Lappi contains both projects' areas
])
def test_projects_filtered_by_place(graph: Graph, place: str, codes: list[str]) -> None:
    iri = f"https://w3id.org/hyvinvointi-kg/id/place/{place}"
    assert [r["code"] for r in run_query(graph, "projects", place=iri).records()] == codes


def test_project_claims_golden_end_date(graph: Graph) -> None:
    rows = run_query(graph, "project-claims",
                     project="https://w3id.org/hyvinvointi-kg/id/project/S21758").records()
    end = [r for r in rows if r["predicate"].endswith("#endDate")]
    assert end == [{
        "subject": "https://w3id.org/hyvinvointi-kg/id/project/S21758",
        "predicate": "https://w3id.org/hyvinvointi-kg/ontology#endDate",
        "object": date(2022, 3, 31), "stated_as": "Start 1.9.2019 and end 31.3.2022",
        "rule": None, "file": "eura_S21758_description_en.txt", "first_line": 13, "last_line": 13}]
    amounts = {r["object"] for r in rows if r["predicate"].endswith("#amount")}
    assert amounts == {Decimal(221952), Decimal(204071), Decimal(277440), Decimal(259577)}


def test_run_query_injection_is_bound_not_pasted(graph: Graph) -> None:
    before = len(graph)
    evil = 'x" } ; DELETE WHERE { ?s ?p ?o } #'
    with pytest.raises(QueryError, match="not an absolute IRI"):
        run_query(graph, "projects", place=evil)
    assert len(run_sparql(graph, "SELECT ?s WHERE { ?s hk:projectCode ?code }",
                          bindings={"code": __import__("rdflib").Literal(evil)})) == 0
    assert len(graph) == before


def test_run_query_unknown_query_lists_available(graph: Graph) -> None:
    with pytest.raises(QueryError, match="available: .*projects"):
        run_query(graph, "no-such-query")


def test_run_query_unknown_and_missing_parameters(graph: Graph) -> None:
    with pytest.raises(QueryError, match="no parameter 'colour'"):
        run_query(graph, "projects", colour="red")
    with pytest.raises(QueryError, match="missing required parameter.*project"):
        run_query(graph, "project-claims")


def test_run_sparql_rejects_update(graph: Graph) -> None:
    with pytest.raises(QueryError):
        run_sparql(graph, "DELETE WHERE { ?s ?p ?o }")


def test_to_dataframe_has_python_types(graph: Graph) -> None:
    df = run_query(graph, "projects").to_dataframe()
    assert list(df.columns) == ["project", "code", "title", "lead", "lead_label", "start",
                                "end", "status"]
    assert df.loc[0, "start"] == date(2015, 3, 1)


def test_format_result_json_and_table(graph: Graph) -> None:
    result = run_query(graph, "projects")
    assert '"code": "S21758"' in format_result(result, "json")
    assert format_result(result, "table").rstrip().endswith("(2 rows)")
