"""Facts read from spreadsheet cells as the provenance and "funded elsewhere?" queries cite them.

A claim from an added spreadsheet (``build --add``) cites an ``hk:SpreadsheetCell``. The queries
cite it as ``table projects`` does, ``file:sheet:row:column`` beside the lines' ``file:first-last``,
in the sources of organisations-with-several-funders and shared-implementer-different-funders;
``sheet:row:column`` in project-sources' ``cells``; the columns ``sheet``, ``row`` and ``column``
in project-claims. The graph is the build of
docs/worked-example.md (the fixture hankkeet_filled.xlsx; built once, shared with
tests/test_imported.py), run on rdflib and Oxigraph; a small graph of both kinds of span runs on
Apache Jena too (skipped where Jena is not installed, unless ``HK_REQUIRE_JENA=1``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD
from rdflib.term import Node

import jena
from hyvinvointi_kg.analysis.funded_elsewhere import funded_elsewhere
from hyvinvointi_kg.analysis.tables import projects_table
from hyvinvointi_kg.assembly.provenance import Stated, add_claim, verify_claims
from hyvinvointi_kg.ingest.import_records import Cell, Location
from hyvinvointi_kg.ingest.sources import SourceDocument, source_graph
from hyvinvointi_kg.namespaces import HK, ID
from hyvinvointi_kg.pipeline import BuildResult
from hyvinvointi_kg.query import QueryResult, query_text, run_query
from test_imported import IMPORTS, _build

FIXTURE = "hankkeet_filled.xlsx"
# P2023-01 of the fixture (sheet 'hankkeet', row 2): STEA-funded, Savukosken kunta a partner.
KYLA_KANTAA = ID["project/kyla-kantaa-savukosken-nuorten-osallisuus-lapin-kylatoiminta-ry"]
KYLA_KANTAA_NAME = "Kylä kantaa – Savukosken nuorten osallisuus"
SAVUKOSKEN_KUNTA = str(ID["org/savukosken-kunta"])
CATALOGUE = "lapland_projects_catalogue_fi.txt"
PROVENANCE_QUERIES = ("project-sources", "project-claims")


@pytest.fixture(scope="module")
def result() -> BuildResult:
    return _build(FIXTURE)


@pytest.fixture(scope="module")
def provenance(result: BuildResult) -> dict[str, QueryResult]:
    """project-sources and project-claims of P2023-01 on rdflib."""
    return {query: run_query(result.graph, query, project=KYLA_KANTAA) for query in PROVENANCE_QUERIES}


@pytest.fixture(scope="module")
def oxigraph(result: BuildResult) -> Graph:
    pytest.importorskip("pyoxigraph", reason="needs the 'serve' extra")
    from hyvinvointi_kg.stores.oxigraph import load_store
    from hyvinvointi_kg.stores.oxrdflib_adapter import graph_over_store

    return graph_over_store(load_store(result.graph))


def _fixture_rows(sheet: str, code: str) -> list[int]:
    """The rows (1-based, as a spreadsheet shows them) of *sheet* that belong to the project *code*."""
    book = openpyxl.load_workbook(IMPORTS / FIXTURE, read_only=True)
    rows = book[sheet].iter_rows(values_only=True)
    header = next(rows)
    column = header.index("hankekoodi")
    return [number for number, row in enumerate(rows, start=2) if row[column] == code]


def _claim_cells(graph: Graph, project: URIRef) -> dict[Node, Location]:
    """The cell of every claim about *project* and the nodes minted under its IRI, from the triples."""
    cells = {}
    for claim, subject in graph.subject_objects(RDF.subject):
        if subject == project or str(subject).startswith(f"{project}/"):
            for span in graph.objects(claim, PROV.wasDerivedFrom):
                sheet, row, column = (graph.value(span, p) for p in (HK.sheetName, HK.rowNumber, HK.columnName))
                if row is not None:
                    cells[claim] = Location(FIXTURE, str(sheet), int(str(row)), str(column))
    return cells


_NUMERIC = {XSD.integer, XSD.decimal, XSD.double, XSD.positiveInteger, XSD.nonNegativeInteger}


def _value(node: Node | None) -> str | None:
    """A term as engines agree on it: numbers by value, `` | ``-joined lists as sets (GROUP_CONCAT's
    order is not defined)."""
    if node is None:
        return None
    if isinstance(node, Literal) and node.datatype in _NUMERIC:
        return str(Decimal(str(node)).normalize())
    return " | ".join(sorted(str(node).split(" | ")))


def _comparable(rows: Iterable[Iterable[Node | None]]) -> list[tuple[str | None, ...]]:
    return sorted((tuple(map(_value, row)) for row in rows), key=repr)


def _term(binding: Mapping[str, str]) -> Node:
    """A term of SPARQL 1.1 Query Results JSON."""
    if binding["type"] == "uri":
        return URIRef(binding["value"])
    datatype = binding.get("datatype")
    return Literal(binding["value"], lang=binding.get("xml:lang"), datatype=URIRef(datatype) if datatype else None)


# --- organisations-with-several-funders and funded_elsewhere() -----------------------------------


def test_funded_elsewhere_cites_the_cells_of_the_imported_funding(oxigraph: Graph) -> None:
    # Savukosken kunta: a partner of P2023-01, funded by STEA on rows 2 and 3 of the sheet
    # 'rahoitus' (column 'rahoittaja'), and of an ESF project in the catalogue (lines 4033-4036).
    found = funded_elsewhere(oxigraph, municipality="Savukoski").organisations
    [row] = found[found["organisation"] == SAVUKOSKEN_KUNTA].to_dict("records")
    cells = {f"{FIXTURE}:rahoitus:{n}:rahoittaja" for n in _fixture_rows("rahoitus", "P2023-01")}
    assert cells == {f"{FIXTURE}:rahoitus:2:rahoittaja", f"{FIXTURE}:rahoitus:3:rahoittaja"}
    assert set(row["sources"].split(" | ")) == cells | {f"{CATALOGUE}:4033-4036"}


def test_organisations_with_several_funders_same_cells_on_rdflib_and_oxigraph(result: BuildResult,
                                                                              oxigraph: Graph) -> None:
    params = {"municipality": "Savukoski"}
    reference = run_query(result.graph, "organisations-with-several-funders", **params)
    assert any(f"{FIXTURE}:rahoitus:2:rahoittaja" in str(v) for row in reference.rows for v in row)
    other = run_query(oxigraph, "organisations-with-several-funders", **params)
    assert _comparable(other.rows) == _comparable(reference.rows)


# --- project-sources ---------------------------------------------------------------------------


def test_project_sources_lists_the_spreadsheet_with_its_cells(result: BuildResult,
                                                               provenance: dict[str, QueryResult]) -> None:
    [row] = provenance["project-sources"].records()
    claims = _claim_cells(result.graph, KYLA_KANTAA)
    cells = sorted(set(claims.values()), key=lambda c: (c.sheet, c.row, c.column))
    assert (row["file"], row["claims"], row["line_ranges"]) == (FIXTURE, len(claims), "")
    # In the order of sheet, row and column; with the file, each as table projects cites it.
    assert row["cells"].split(" | ") == [f"{c.sheet}:{c.row}:{c.column}" for c in cells]
    assert {c.sheet for c in cells} == {"hankkeet", "kunnat", "toteuttajat", "rahoitus", "teemat", "kohderyhmat"}
    [listed] = [r["sources"] for r in projects_table(result.graph).records() if r["name"] == KYLA_KANTAA_NAME]
    assert set(listed.split(" | ")) == {f"{FIXTURE}:{cell}" for cell in row["cells"].split(" | ")}


# --- project-claims ----------------------------------------------------------------------------


def test_project_claims_give_the_cells_verify_claims_reads(result: BuildResult,
                                                          provenance: dict[str, QueryResult]) -> None:
    # The claims rebuilt from the rows alone (the cell as sheet, row and column) verify against the
    # file; the first moved down a row does not.
    claims = provenance["project-claims"]
    records = claims.records()
    assert len(records) == len(_claim_cells(result.graph, KYLA_KANTAA))
    assert all(r["file"] == FIXTURE and r["first_line"] is None and r["last_line"] is None for r in records)
    spreadsheet = SourceDocument(FIXTURE, "project_spreadsheet", "fi", "00", None)

    def rebuilt(shift: int) -> Graph:
        graph = Graph()
        for n, (row, record) in enumerate(zip(claims.rows, records, strict=True)):
            subject, predicate, obj = row[:3]
            assert isinstance(subject, URIRef) and isinstance(predicate, URIRef) and obj is not None
            where = Location(record["file"], record["sheet"], record["row"] + (shift if n == 0 else 0),
                             record["column"])
            add_claim(graph, subject, predicate, obj, source=spreadsheet, stated=Cell(record["stated_as"], where))
        return graph

    assert verify_claims(rebuilt(0), IMPORTS) == []
    [moved] = verify_claims(rebuilt(1), IMPORTS)
    assert moved.column == records[0]["column"] and "not the stated text" in moved.problem


@pytest.mark.parametrize("query", PROVENANCE_QUERIES)
def test_provenance_queries_same_cells_on_rdflib_and_oxigraph(query: str, provenance: dict[str, QueryResult],
                                                              oxigraph: Graph) -> None:
    other = run_query(oxigraph, query, project=KYLA_KANTAA)
    assert _comparable(other.rows) == _comparable(provenance[query].rows)


# --- both kinds of span, every engine ------------------------------------------------------------

REPORT = SourceDocument("r_fi.txt", "register", "fi", "00", 30)
SHEET = SourceDocument("h.xlsx", "project_spreadsheet", "fi", "00", None)
P1, P2 = URIRef("urn:x:p1"), URIRef("urn:x:p2")
ORGANISATION = URIRef("urn:x:org")


def _both_kinds() -> Graph:
    """Two overlapping projects of one lead, differently funded: p1 from a text document's lines,
    p2 from a spreadsheet's cells (one of its headers with a space)."""
    graph = source_graph([REPORT, SHEET])

    def state(subject: URIRef, predicate: URIRef, obj: Node, where: Stated | Cell) -> None:
        add_claim(graph, subject, predicate, obj, source=REPORT if isinstance(where, Stated) else SHEET,
                  stated=where)

    def cell(text: str, sheet: str, row: int, column: str) -> Cell:
        return Cell(text, Location(SHEET.file_name, sheet, row, column))

    for project, funder, dates, where in (
            (P1, "urn:x:esr", ("2019-01-01", "2020-12-31"),
             (Stated("lead", 3, 3), Stated("ESR", 5, 6), Stated("1.1.2019", 8, 8), Stated("31.12.2020", 9, 9))),
            (P2, "urn:x:stea", ("2020-06-01", "2021-05-31"),
             (cell("lead", "hankkeet", 2, "päätoteuttaja"), cell("STEA", "rahoitus", 3, "rahoittaja"),
              cell("2020-06-01", "hankkeet", 2, "alkupäivä"), cell("2021-05-31", "hankkeet", 2, "loppu päivä")))):
        funding = URIRef(f"{project}/funding")
        graph.add((project, RDF.type, HK.Project))
        graph.add((project, HK.hasFunding, funding))
        state(project, HK.leadImplementer, ORGANISATION, where[0])
        state(funding, HK.funder, URIRef(funder), where[1])
        state(project, HK.startDate, Literal(dates[0], datatype=XSD.date), where[2])
        state(project, HK.endDate, Literal(dates[1], datatype=XSD.date), where[3])
    return graph


CASES: dict[str, Mapping[str, object]] = {
    "organisations-with-several-funders": {},
    "shared-implementer-different-funders": {},
    "project-sources-p1": {"project": P1},
    "project-sources-p2": {"project": P2},
    "project-claims-p2": {"project": P2},
}


def _query(case: str) -> str:
    return case.removesuffix("-p1").removesuffix("-p2")


def test_shared_implementer_different_funders_cites_lines_and_cells() -> None:
    [row] = run_query(_both_kinds(), "shared-implementer-different-funders").records()
    assert (row["project_a"], row["project_b"]) == (str(P1), str(P2))
    assert set(row["sources_a"].split(" | ")) == {"r_fi.txt:3-3", "r_fi.txt:5-6", "r_fi.txt:8-8", "r_fi.txt:9-9"}
    assert set(row["sources_b"].split(" | ")) == {
        "h.xlsx:hankkeet:2:päätoteuttaja", "h.xlsx:rahoitus:3:rahoittaja", "h.xlsx:hankkeet:2:alkupäivä",
        "h.xlsx:hankkeet:2:loppu päivä"}


def test_provenance_queries_cite_lines_or_cells_never_both() -> None:
    graph = _both_kinds()
    [lines] = run_query(graph, "project-sources", project=P1).records()
    [cells] = run_query(graph, "project-sources", project=P2).records()
    assert (lines["file"], lines["claims"], lines["cells"]) == ("r_fi.txt", 4, "")
    assert set(lines["line_ranges"].split(" | ")) == {"3-3", "5-6", "8-8", "9-9"}
    assert (cells["file"], cells["claims"], cells["line_ranges"]) == ("h.xlsx", 4, "")
    assert set(cells["cells"].split(" | ")) == {
        "hankkeet:2:alkupäivä", "hankkeet:2:loppu päivä", "hankkeet:2:päätoteuttaja", "rahoitus:3:rahoittaja"}
    spans = {(r["first_line"], r["last_line"], r["sheet"], r["row"], r["column"])
             for r in run_query(graph, "project-claims", project=P1).records()}
    assert spans == {(3, 3, None, None, None), (5, 6, None, None, None), (8, 8, None, None, None),
                     (9, 9, None, None, None)}
    spans = {(r["first_line"], r["last_line"], r["sheet"], r["row"], r["column"])
             for r in run_query(graph, "project-claims", project=P2).records()}
    assert spans == {(None, None, "hankkeet", 2, "päätoteuttaja"), (None, None, "rahoitus", 3, "rahoittaja"),
                     (None, None, "hankkeet", 2, "alkupäivä"), (None, None, "hankkeet", 2, "loppu päivä")}


@pytest.mark.parametrize("case", CASES)
def test_both_kinds_of_span_same_answer_on_oxigraph(case: str) -> None:
    pytest.importorskip("pyoxigraph", reason="needs the 'serve' extra")
    from hyvinvointi_kg.stores.oxigraph import load_store
    from hyvinvointi_kg.stores.oxrdflib_adapter import graph_over_store

    graph = _both_kinds()
    reference = run_query(graph, _query(case), **CASES[case])
    assert reference.rows
    other = run_query(graph_over_store(load_store(graph)), _query(case), **CASES[case])
    assert _comparable(other.rows) == _comparable(reference.rows)


def test_both_kinds_of_span_same_answer_on_jena(tmp_path: Path) -> None:
    why = jena.missing()
    if why is not None:
        if os.environ.get("HK_REQUIRE_JENA") == "1":
            pytest.fail(f"HK_REQUIRE_JENA=1 but {why}")
        pytest.skip(why)
    graph = _both_kinds()
    data = tmp_path / "both.nt"
    graph.serialize(data, format="nt", encoding="utf-8")
    texts = {case: query_text(_query(case), graph=graph, **params) for case, params in CASES.items()}
    answers = jena.run_jena([data], texts, tmp_path / "jena")
    for case, params in CASES.items():
        answer = answers[case].results
        assert answer is not None, f"{case}: {answers[case].error}"
        reference = run_query(graph, _query(case), **params)
        columns = answer["head"]["vars"]
        assert tuple(columns) == reference.columns, case
        rows = [[_term(b[c]) if c in b else None for c in columns] for b in answer["results"]["bindings"]]
        assert _comparable(rows) == _comparable(reference.rows), case
