"""The workbook and .xlsx tables, read back with openpyxl: sheets, types, header, filter, row counts."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import numpy
import openpyxl
import pandas
import pytest
from openpyxl.worksheet.worksheet import Worksheet
from rdflib import Graph

import hyvinvointi_kg as hk
from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.views.workbook import SHEET_COLUMNS, TITLES, write_frame_xlsx, write_workbook

HK_PREFIXES = """
@prefix hk: <https://w3id.org/hyvinvointi-kg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://w3id.org/hyvinvointi-kg/id/> .
"""


@pytest.fixture(scope="module")
def graph() -> Graph:
    return hk.load_graph()


@pytest.fixture(scope="module")
def book(graph: Graph, tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    path = write_workbook(graph, tmp_path_factory.mktemp("workbook") / "hankkeet.xlsx",
                          built=datetime(2026, 12, 6, 2, 40))
    return openpyxl.load_workbook(path)


def _count(graph: Graph, text: str) -> int:
    return int(hk.run_sparql(graph, text).records()[0]["n"])


def _header(sheet: Worksheet) -> list[str]:
    return [c.value for c in sheet[1]]


def _records(sheet: Worksheet) -> list[dict[str, object]]:
    header = _header(sheet)
    return [dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)]


def _small_workbook(tmp_path: Path, turtle: str, **options: object) -> openpyxl.Workbook:
    graph = Graph().parse(format="turtle", data=HK_PREFIXES + turtle)
    return openpyxl.load_workbook(write_workbook(graph, tmp_path / "small.xlsx", overlaps=False, **options))


# --- the bundled graph ------------------------------------------------------------------------


def test_write_workbook_has_one_sheet_per_subject(book: openpyxl.Workbook) -> None:
    assert book.sheetnames == ["about", *SHEET_COLUMNS]


def test_write_workbook_every_sheet_has_frozen_header_filter_and_widths(book: openpyxl.Workbook) -> None:
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        # The filter spans the header and every row.
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"
        widths = [sheet.column_dimensions[sheet.cell(1, c).column_letter].width
                  for c in range(1, sheet.max_column + 1)]
        assert all(6 <= w <= 61 for w in widths), (sheet.title, widths)


def test_write_workbook_headers_are_the_sheet_columns(book: openpyxl.Workbook) -> None:
    for key, columns in SHEET_COLUMNS.items():
        header = _header(book[key])
        assert header[:len(columns)] == list(columns)
    # The projects sheet adds one column per amount kind.
    assert "amount_realised_public_total" in _header(book["projects"])


# Row counts, each checked against a SPARQL COUNT over the graph written independently of the
# workbook's own queries and traversals.

def test_write_workbook_projects_one_row_per_project(book: openpyxl.Workbook, graph: Graph) -> None:
    rows = _records(book["projects"])
    assert len(rows) == _count(graph, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a hk:Project }")
    assert len({r["project"] for r in rows}) == len(rows)


def test_write_workbook_implementers_one_row_per_project_organisation_role(
        book: openpyxl.Workbook, graph: Graph) -> None:
    # Lead implementer and partner are the two roles that link a project to an organisation.
    expected = _count(graph, """SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?p ?role ?o WHERE {
        VALUES ?role { hk:leadImplementer hk:partner } ?p a hk:Project ; ?role ?o } }""")
    rows = _records(book["implementers"])
    assert len(rows) == expected
    assert {r["role"] for r in rows} == {"lead implementer", "partner"}  # the roles' English labels


def test_write_workbook_funding_one_row_per_record_and_amount(book: openpyxl.Workbook, graph: Graph) -> None:
    # A funding record without amounts is one row; one with amounts one row per amount; plus the
    # amounts stated for a whole project (hk:projectBudget).
    without = _count(graph, "SELECT (COUNT(*) AS ?n) WHERE { ?p hk:hasFunding ?f "
                            "FILTER NOT EXISTS { ?f hk:hasAmount ?a } }")
    amounts = _count(graph, "SELECT (COUNT(*) AS ?n) WHERE { ?p hk:hasFunding ?f . ?f hk:hasAmount ?a }")
    budgets = _count(graph, "SELECT (COUNT(*) AS ?n) WHERE { ?p hk:projectBudget ?a }")
    assert len(_records(book["funding"])) == without + amounts + budgets


@pytest.mark.parametrize(("sheet", "pattern"), [
    ("municipalities", "?p hk:targetArea ?x . ?x a hk:Municipality"),
    ("regions", "?p hk:targetArea ?x . FILTER(EXISTS { ?x a hk:Region } || EXISTS { ?x a hk:SubRegion })"),
    ("themes", "?p hk:theme ?x"),
    ("target_groups", "{ ?p hk:targetGroup ?x } UNION { ?p hk:indirectTargetGroup ?x }"),
])
def test_write_workbook_long_sheet_one_row_per_project_and_value(
        book: openpyxl.Workbook, graph: Graph, sheet: str, pattern: str) -> None:
    expected = _count(graph, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?p a hk:Project . {pattern} }}")
    assert len(_records(book[sheet])) == expected


def test_write_workbook_claims_and_sources(book: openpyxl.Workbook, graph: Graph) -> None:
    claims = _records(book["claims"])
    assert len(claims) == _count(graph, "SELECT (COUNT(*) AS ?n) WHERE { ?c a hk:Claim }")
    superseded = _count(graph, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a hk:Claim ; hk:supersededBy ?w }")
    assert sum(1 for c in claims if c["current"] is False) == superseded
    sources = _records(book["sources"])
    assert len(sources) == _count(graph, "SELECT (COUNT(*) AS ?n) WHERE { ?d a hk:SourceDocument }")
    # Every claim is counted under the document it was read from.
    assert sum(int(s["claims"]) for s in sources) == len(claims)  # type: ignore[call-overload]
    line = next(c for c in claims if c["file"] == "eura_S21758_description_en.txt")
    assert isinstance(line["first_line"], int) and isinstance(line["last_line"], int)


def test_write_workbook_overlaps_agree_with_find_overlaps(book: openpyxl.Workbook, graph: Graph) -> None:
    pairs = hk.find_overlaps(graph)
    rows = _records(book["overlaps"])
    assert {(r["project_a"], r["project_b"]) for r in rows} == {(o.project_a, o.project_b) for o in pairs}
    # The reasons sheet has one row per shared thing the overlaps sheet counts.
    counted = sum(int(r[c]) for r in rows for c in ("shared_municipalities", "shared_themes",  # type: ignore[call-overload]
                                                    "shared_target_groups", "shared_organisations"))
    assert len(_records(book["overlap_reasons"])) == counted
    assert isinstance(rows[0]["overlap_start"], datetime) and isinstance(rows[0]["score"], float)


def test_write_workbook_dates_are_dates_and_amounts_are_euros(book: openpyxl.Workbook) -> None:
    sheet = book["projects"]
    header = _header(sheet)
    row = next(r for r in sheet.iter_rows(min_row=2) if r[header.index("code")].value == "S21758")
    start, amount = row[header.index("start")], row[header.index("amount_realised_public_total")]
    assert start.value == datetime(2019, 9, 1) and start.is_date
    assert amount.value == 259577 and amount.data_type == "n" and "€" in amount.number_format
    assert row[header.index("start_as_stated")].value == "2019-09-01"


def test_write_workbook_multi_valued_facts_are_rows_not_joined_cells(book: openpyxl.Workbook, graph: Graph) -> None:
    project = "https://w3id.org/hyvinvointi-kg/id/project/S21758"
    groups = {(r["target_group"], r["indirect"]) for r in _records(book["target_groups"]) if r["project"] == project}
    direct = hk.run_sparql(graph, f"SELECT ?g WHERE {{ <{project}> hk:targetGroup ?g }}").records()
    indirect = hk.run_sparql(graph, f"SELECT ?g WHERE {{ <{project}> hk:indirectTargetGroup ?g }}").records()
    assert groups == {(r["g"], False) for r in direct} | {(r["g"], True) for r in indirect}
    for sheet in ("projects", "implementers", "municipalities", "themes", "target_groups", "funding"):
        assert not any(" | " in str(v) for r in _records(book[sheet]) for v in r.values()), sheet


def test_write_workbook_about_sheet_says_what_and_when(book: openpyxl.Workbook, graph: Graph) -> None:
    items = list(book["about"].iter_rows(min_row=2, max_col=2, values_only=True))
    about = dict(items)
    assert about["graph_built"] == datetime(2026, 12, 6, 2, 40)
    assert isinstance(about["written"], datetime) and about["triples"] == len(graph)
    # The ontology's licence as the graph records it, and a line on the source documents' licence.
    licences = [str(value) for item, value in items if item == "licence"]
    assert any("creativecommons.org/licenses/by/4.0" in text for text in licences) and len(licences) >= 2
    # Each sheet with its row count.
    assert str(about["projects"]).startswith(f"{book['projects'].max_row - 1} ")


# --- small graphs: edge cases ------------------------------------------------------------------


def test_write_workbook_formula_like_text_stays_text(tmp_path: Path) -> None:
    book = _small_workbook(tmp_path, """
        id:project\\/p a hk:Project ; dcterms:title "=HYPERLINK(\\"http://x\\",\\"y\\")"@fi ;
            hk:projectCode "+358" .
        id:project\\/q a hk:Project ; dcterms:title "@SUM(A1)"@fi ; hk:projectCode "-1" .
    """)
    cells = {c.value: c for row in book["projects"].iter_rows(min_row=2) for c in row if c.value}
    for text in ('=HYPERLINK("http://x","y")', "+358", "@SUM(A1)", "-1"):
        assert cells[text].data_type == "s", text


def test_write_workbook_period_known_to_the_year(tmp_path: Path) -> None:
    book = _small_workbook(tmp_path, """
        id:project\\/p a hk:Project ; dcterms:title "Hanke"@fi ;
            hk:start "2019"^^xsd:gYear ; hk:startDate "2019-01-01"^^xsd:date ;
            hk:end "2020-06"^^xsd:gYearMonth ; hk:endDate "2020-06-30"^^xsd:date .
    """)
    [row] = _records(book["projects"])
    assert row["start"] == datetime(2019, 1, 1) and row["end"] == datetime(2020, 6, 30)
    # As stated: text, not the number 2019 nor a date.
    assert row["start_as_stated"] == "2019" and row["end_as_stated"] == "2020-06"


def test_write_workbook_empty_graph_has_headers_only(tmp_path: Path) -> None:
    book = _small_workbook(tmp_path, "")
    for key in SHEET_COLUMNS:
        if key in ("overlaps", "overlap_reasons"):
            continue
        assert book[key].max_row == 1 and book[key].freeze_panes == "A2", key


def test_write_workbook_titles_translate_sheets_and_headers(tmp_path: Path) -> None:
    book = _small_workbook(tmp_path, "", titles={"projects": "hankkeet", "name": "nimi"})
    assert "hankkeet" in book.sheetnames and "projects" not in book.sheetnames
    assert "nimi" in _header(book["hankkeet"])
    assert set(TITLES) >= {c for columns in SHEET_COLUMNS.values() for c in columns}


@pytest.mark.parametrize("title", ["hankkeet/2019", "x" * 32, "funding"])
def test_write_workbook_bad_or_duplicate_sheet_title_is_an_input_error(tmp_path: Path, title: str) -> None:
    with pytest.raises(InputError, match="sheet"):
        _small_workbook(tmp_path, "", titles={"projects": title})


# --- write_frame_xlsx ----------------------------------------------------------------------------


def test_write_frame_xlsx_types_cells(tmp_path: Path) -> None:
    frame = pandas.DataFrame({
        "name": ["=1+2", "Inari", None],
        "start": [date(2019, 9, 1), pandas.Timestamp("2020-01-31"), None],
        "amount": [Decimal("259577.5"), float("nan"), 12],
        "count": numpy.array([1, 2, 3], dtype=numpy.int64),
        "current": [True, False, True],
    })
    path = write_frame_xlsx(frame, tmp_path / "t.xlsx", sheet="hankkeet")
    sheet = openpyxl.load_workbook(path)["hankkeet"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:E4"
    assert _header(sheet) == ["name", "start", "amount", "count", "current"]
    first, second, third = (list(r) for r in sheet.iter_rows(min_row=2))
    assert first[0].value == "=1+2" and first[0].data_type == "s"
    assert first[1].value == datetime(2019, 9, 1) and first[1].is_date
    assert second[1].value == datetime(2020, 1, 31) and second[1].is_date
    assert first[2].value == 259577.5 and "€" in first[2].number_format
    assert second[2].value is None and third[0].value is None and third[1].value is None
    assert first[3].value == 1 and first[3].data_type == "n" and "€" not in first[3].number_format
    assert first[4].value is True


def test_write_frame_xlsx_money_by_name(tmp_path: Path) -> None:
    frame = pandas.DataFrame({"total_eur": [1.5], "amount": [2.0], "share": [0.5]})
    path = write_frame_xlsx(frame, tmp_path / "t.xlsx", money=["share"])
    cells = next(openpyxl.load_workbook(path)["data"].iter_rows(min_row=2))
    assert ["€" in c.number_format for c in cells] == [False, False, True]


def test_write_frame_xlsx_index_is_written_as_columns(tmp_path: Path) -> None:
    frame = pandas.DataFrame({"n": [1, 2]}, index=pandas.Index(["Kemi", "Tornio"], name="kunta"))
    sheet = openpyxl.load_workbook(write_frame_xlsx(frame, tmp_path / "t.xlsx", index=True))["data"]
    assert [tuple(r) for r in sheet.iter_rows(values_only=True)] == [("kunta", "n"), ("Kemi", 1), ("Tornio", 2)]


def test_write_frame_xlsx_bad_sheet_name_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot be a sheet name"):
        write_frame_xlsx(pandas.DataFrame({"n": [1]}), tmp_path / "t.xlsx", sheet="a:b")
    assert not (tmp_path / "t.xlsx").exists()


def test_write_frame_xlsx_unwritable_path_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot write"):
        write_frame_xlsx(pandas.DataFrame({"n": [1]}), tmp_path / "missing" / "t.xlsx")


def test_write_workbook_in_finnish_titles_sheets_and_columns(graph: Graph, tmp_path: Path) -> None:
    out = write_workbook(graph, tmp_path / "hankkeet.xlsx", overlaps=False, lang="fi")
    book = openpyxl.load_workbook(out, read_only=True)
    assert {"hankkeet", "toteuttajat", "rahoitus", "kunnat", "teemat", "kohderyhmät", "lähteet",
            "väitteet"} <= set(book.sheetnames)
    header = next(book["toteuttajat"].iter_rows(max_row=1, values_only=True))
    assert header[:2] == ("hanke", "hankkeen nimi")
    roles = {row[-1] for row in book["toteuttajat"].iter_rows(min_row=2, values_only=True)}
    assert roles == {"päätoteuttaja", "osatoteuttaja"}
    projects = next(book["hankkeet"].iter_rows(max_row=1, values_only=True))
    assert "summa: myönnetty" in projects and not any(h.startswith("amount") for h in projects)


def _tables_people_read() -> dict[str, tuple[str, ...]]:
    """Every table the CLI titles for people, by name, with its columns: the SELECT variables of the
    bundled queries (as parsed, not as their headers say), ``table``'s tables, the workbook's sheets,
    ``metrics``, ``overlaps`` and ``funded-elsewhere`` (computed on empty graphs, so a new column is found)."""
    from typing import get_args

    import networkx as nx
    from rdflib.plugins.sparql import prepareQuery

    from hyvinvointi_kg.analysis.funded_elsewhere import funded_elsewhere
    from hyvinvointi_kg.analysis.networks import network_metrics
    from hyvinvointi_kg.analysis.overlaps import overlaps_frame
    from hyvinvointi_kg.analysis.tables import TableName, table
    from hyvinvointi_kg.query import list_queries

    found = {f"query {q.name}": tuple(str(v) for v in prepareQuery(q.text).algebra["PV"]) for q in list_queries()}
    found |= {f"table {name}": table(Graph(), name).columns for name in get_args(TableName)}
    found |= {f"sheet {name}": columns for name, columns in SHEET_COLUMNS.items()}
    metrics = network_metrics(nx.Graph([("a", "b")])).nodes
    found["metrics"] = (str(metrics.index.name), *map(str, metrics.columns))
    found["overlaps"] = tuple(map(str, overlaps_frame([]).columns))
    elsewhere = funded_elsewhere(Graph())
    found["funded-elsewhere pairs"] = tuple(map(str, elsewhere.pairs.columns))
    found["funded-elsewhere organisations"] = tuple(map(str, elsewhere.organisations.columns))
    return found


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_column_titles_cover_every_column_of_every_table(lang: str) -> None:
    from hyvinvointi_kg.views.workbook import column_titles

    titles = column_titles(lang)  # type: ignore[arg-type]
    tables = _tables_people_read()
    assert len(tables) > 30
    for name, columns in tables.items():
        missing = [c for c in columns if c not in titles]
        assert not missing, f"{name}: no title for {missing}"
        shown = [titles[c].casefold() for c in columns]
        assert len(set(shown)) == len(shown), f"{name}: two columns titled alike in {lang}: {shown}"
    if lang == "en":
        assert all(title == key for key, title in titles.items())


def test_column_titles_sheet_names_written_like_the_other_titles() -> None:
    from hyvinvointi_kg.views.workbook import column_titles

    for lang in ("fi", "sv"):
        titles = column_titles(lang)  # type: ignore[arg-type]
        # lower case, as the column titles are; an abbreviation keeps its capitals (Y-tunnus, FO-nummer)
        capitalised = sorted(k for k, t in titles.items() if t[:1].isupper() and not t.split("-")[0].isupper())
        assert capitalised == [], lang
