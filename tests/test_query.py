"""Queries: every file parses and has a header; golden results on the real graph; safe parameters."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from rdflib import Graph
from rdflib.plugins.sparql import prepareQuery

from hyvinvointi_kg.cells import format_result
from hyvinvointi_kg.errors import QueryError
from hyvinvointi_kg.query import list_queries, run_query, run_sparql
from hyvinvointi_kg.stores.files import load_graph

QUERIES = list_queries()
PROJECT = "https://w3id.org/hyvinvointi-kg/id/project/"
ORG = "https://w3id.org/hyvinvointi-kg/id/org/"
PLACE = "https://w3id.org/hyvinvointi-kg/id/place/"


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


def test_projects_of_an_organisation_golden(graph: Graph) -> None:
    # Hand-checked: "Majakka" occurs in the catalogue on lines 125, 241, 1606, 1676, 2464,
    # 2536, 3027, 3096, 3678, 3808 (EVÄITÄ REPPUUN as lead, and S20154, five sections each)
    # and 9060 (YHTÄ KÖYTTÄ, "Majakka ry"); the register names it as S20154's applicant.
    # (Rows without a code sort first: SPARQL orders unbound values before bound ones.)
    rows = run_query(graph, "projects", organisation=ORG + "pohjoisen-yhteisojen-tuki-majakka-ry")
    majakka = {"lead": ORG + "pohjoisen-yhteisojen-tuki-majakka-ry",
               "lead_label": "Pohjoisen yhteisöjen tuki - Majakka ry"}
    assert rows.records() == [
        {"project": PROJECT + "evaita-reppuun-osallisuutta-ja-osaamista-jarjestoista", "code": None,
         "title": "EVÄITÄ REPPUUN - osallisuutta ja osaamista järjestöistä", **majakka,
         "start": date(2021, 7, 1), "end": date(2023, 6, 30), "status": None},
        {"project": PROJECT + "yhta-koytta-kylien-hyvinvoinnin-monipalvelupisteet-lansi-pohjassa",
         "code": None, "title": "YHTÄ KÖYTTÄ -Kylien hyvinvoinnin monipalvelupisteet Länsi-Pohjassa",
         **majakka, "start": "2016", "end": "2020", "status": None},
        {"project": PROJECT + "S20154", "code": "S20154",
         "title": "Hyvinvointia yhteistyöllä Meri-Lapissa", **majakka,
         "start": date(2015, 3, 1), "end": date(2018, 2, 28), "status": "ended"},
    ]


def test_projects_s21758_row_merges_three_documents(graph: Graph) -> None:
    rows = [r for r in run_query(graph, "projects").records() if r["code"] == "S21758"]
    assert rows == [{
        "project": PROJECT + "S21758", "code": "S21758",
        "title": "High five – Yhteistyöllä hyvinvointia Itä-Lappiin",
        "lead": ORG + "ita-lapin-kuntayhtyma", "lead_label": "Itä-Lapin kuntayhtymä",
        "start": date(2019, 9, 1), "end": date(2022, 3, 31), "status": "ended"}]


def test_projects_one_row_per_project(graph: Graph) -> None:
    rows = run_query(graph, "projects").records()
    # 227: the distinct subjects typed hk:Project, counted with rdflib (tests/test_summary.py).
    assert len(rows) == len({r["project"] for r in rows}) == 227


@pytest.mark.parametrize(("place", "inside", "outside"), [
    # Kemi: S20154 (register: Kemi), ATAK (catalogue lines 23-26: "Kemin kaupunki, ...").
    ("kunta/240", ["S20154", "aktiivisen-tuen-alueellinen-kehittamismalli-atak"], ["S21758"]),
    # Kemijärvi: S21758 (register, news release).
    ("kunta/320", ["S21758"], ["S20154"]),
    # Rovaniemi: ASE (lines 65-68: "Ranua, Rovaniemi, Tornion kaupunki, Kemin kaupunki").
    ("kunta/698", ["arctic-smartness-excellence-ase"], ["S20154", "S21758"]),
    # Lappi contains both registers' projects (through their municipalities).
    ("maakunta/19", ["S20154", "S21758"], []),
])
def test_projects_filtered_by_place(graph: Graph, place: str, inside: list[str],
                                    outside: list[str]) -> None:
    found = {r["project"].split("/")[-1]
             for r in run_query(graph, "projects", place=PLACE + place).records()}
    assert set(inside) <= found
    assert not set(outside) & found


def test_project_claims_golden_end_date(graph: Graph) -> None:
    rows = run_query(graph, "project-claims", project=PROJECT + "S21758").records()
    end = sorted((r["file"], r["first_line"], r["object"], r["current"], r["selection_rule"])
                 for r in rows if r["predicate"].endswith("#endDate"))
    assert end == [
        # News release line 28: "Hankeaika on 1.9.2019 – 31.8.2021" (the planned period).
        ("S21758_news_2019-08-07_fi.txt", 28, date(2021, 8, 31), False, "follows the chosen end"),
        # Summary card line 7: "1.9.2019 – 31.3.2022".
        ("S21758_summary_card_fi.txt", 7, date(2022, 3, 31), True, None),
        # Register line 13: "Start 1.9.2019 and end 31.3.2022".
        ("eura_S21758_description_en.txt", 13, date(2022, 3, 31), True, None),
    ]
    amounts = {r["object"] for r in rows if r["predicate"].endswith("#amount")}
    assert amounts == {Decimal(221952), Decimal(204071), Decimal(277440), Decimal(259577)}


def test_run_query_injection_is_bound_not_pasted(graph: Graph) -> None:
    before = len(graph)
    evil = 'x" } ; DELETE WHERE { ?s ?p ?o } #'
    from hyvinvointi_kg.errors import InputError

    with pytest.raises(InputError, match="unknown place 'x\" } ; DELETE"):  # looked up as a name
        run_query(graph, "projects", place=evil)
    with pytest.raises(QueryError, match="not an absolute IRI"):
        run_query(graph, "projects", place="http://" + evil)
    assert len(run_query(graph, "projects-by-filter", active_from="2019-01-01")) > 0  # still there
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
    df = run_query(graph, "projects", organisation=ORG + "ita-lapin-kuntayhtyma").to_dataframe()
    assert list(df.columns) == ["project", "code", "title", "lead", "lead_label", "start",
                                "end", "status"]
    assert df.loc[0, "start"] == date(2019, 9, 1)


def test_format_result_json_and_table(graph: Graph) -> None:
    result = run_query(graph, "projects", place=PLACE + "kunta/320")
    assert '"code": "S21758"' in format_result(result, "json")
    assert format_result(result, "table").rstrip().endswith(f"({len(result)} rows)")


@pytest.mark.parametrize("info", QUERIES, ids=[q.name for q in QUERIES])
def test_every_iri_parameter_declares_the_class_it_names(info) -> None:  # type: ignore[no-untyped-def]
    for param in info.params:
        assert (param.cls is not None) == (param.type == "iri"), param.name


def test_iri_parameters_accept_names_and_codes(graph: Graph) -> None:
    by_iri = run_query(graph, "municipality-profile", municipality=PLACE + "kunta/240")
    assert run_query(graph, "municipality-profile", municipality="Kemi").rows == by_iri.rows
    assert run_query(graph, "municipality-profile", municipality="kemi").rows == by_iri.rows
    # a project by its code (eura_S21758 line 1), a theme by its Finnish label
    sources = run_query(graph, "project-sources", project="S21758").records()
    assert {r["file"] for r in sources} == {"S21758_news_2019-08-07_fi.txt",
                                            "S21758_summary_card_fi.txt",
                                            "eura_S21758_description_en.txt"}
    assert run_query(graph, "projects-by-filter", theme="Turvallisuus").rows == run_query(
        graph, "projects-by-filter",
        theme="https://w3id.org/hyvinvointi-kg/concept/theme/turvallisuus").rows


def test_unknown_name_suggests_closest(graph: Graph) -> None:
    from hyvinvointi_kg.errors import InputError

    with pytest.raises(InputError, match="unknown municipality 'Kemmi'; closest known names: Kemi"):
        run_query(graph, "municipality-profile", municipality="Kemmi")


def test_cli_query_bad_input_is_one_clear_line(capsys: pytest.CaptureFixture[str]) -> None:
    from hyvinvointi_kg.cli import main

    cases = {
        ("projects-by-filter", "-p", "municipality=Kemmi"): "closest known names: Kemi",
        ("projects-by-filter", "-p", "active_from=2019-13-01"): "parameter 'active_from' (date)",
        ("projects-by-filter", "-p", "include_region=maybe"): "expected true or false",
        ("projects-by-filter", "-p", "bogus=1"): "has no parameter 'bogus'",
        ("organisation-profile",): "missing required parameter(s): organisation",
        ("no-such-query",): "available: collaboration-pairs",
    }
    for args, message in cases.items():
        assert main(["query", *args]) == 2, args
        err = capsys.readouterr().err
        assert message in err and "Traceback" not in err and len(err.splitlines()) == 1, err


def test_cli_query_empty_result_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    from hyvinvointi_kg.cli import main

    # no project is active in 2030 (the latest end date in the sources is 2023)
    args = ["query", "projects-by-filter", "-p", "municipality=Savukoski", "-p", "active_from=2030-01-01"]
    assert main([*args, "-f", "csv"]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == "project,title,lead,lead_label,start_date,end_date"
    assert "no rows match" in captured.err
    assert main(args) == 0
    assert "(0 rows)" in capsys.readouterr().out


def test_run_sparql_binds_with_one_values_block_on_rdflib(graph: Graph) -> None:
    # A parameter is in scope in the outermost group only: a filter in a nested group does not see
    # it (SPARQL 1.1), as on every other engine; rdflib's initBindings would have reached in.
    from rdflib import Literal

    nested = "SELECT ?p WHERE { ?p hk:projectCode ?c { FILTER(!BOUND(?code)) } }"
    outer = "SELECT ?p WHERE { ?p hk:projectCode ?c FILTER(!BOUND(?code) || ?c = ?code) }"
    code = {"code": Literal("S21758")}
    # Inside the nested group ?code is unbound, so its filter holds and every project is kept
    # (with initBindings rdflib answered 0 rows, every other engine 2).
    assert len(run_sparql(graph, nested, bindings=code)) == len(run_sparql(graph, nested)) == 2
    assert [str(r[0]).rsplit("/", 1)[-1] for r in run_sparql(graph, outer, bindings=code)] == ["S21758"]


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { service silent ?endpoint { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <http://example.org/sparql> { ?s ?p ?o } }",
])
def test_run_sparql_refuses_service(graph: Graph, text: str) -> None:
    with pytest.raises(QueryError, match="SERVICE clause"):
        run_sparql(graph, text)


def test_run_sparql_service_in_names_strings_and_comments_is_not_a_clause(graph: Graph) -> None:
    text = 'SELECT ?service WHERE { ?service <urn:x:SERVICE> "SERVICE <http://e/>" } # SERVICE <http://e/>'
    assert len(run_sparql(graph, text)) == 0


def test_load_query_refuses_service_in_a_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from hyvinvointi_kg.query import load_query

    path = tmp_path / "remote.rq"
    path.write_text("#+ summary: fetches\nSELECT * WHERE { SERVICE <http://example.org/> { ?s ?p ?o } }\n",
                    encoding="utf-8")
    with pytest.raises(QueryError, match="remote.rq: the query has a SERVICE clause"):
        load_query(path)


def test_bind_in_text_refuses_blank_nodes_and_bad_names() -> None:
    from rdflib import BNode, Literal

    from hyvinvointi_kg.query import bind_in_text

    with pytest.raises(QueryError, match="blank node"):
        bind_in_text("SELECT * WHERE { ?s ?p ?o }", {"s": BNode()})
    with pytest.raises(QueryError, match="not a SPARQL variable name"):
        bind_in_text("SELECT * WHERE { ?s ?p ?o }", {"s } DELETE": Literal(1)})
