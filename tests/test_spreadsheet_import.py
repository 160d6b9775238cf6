"""Our project spreadsheet: the template, reading it back (xlsx and CSV), locations, bad input, the fixtures."""

from __future__ import annotations

import importlib.util
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest

from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.ingest.import_records import BadInputError, Location
from hyvinvointi_kg.ingest.imports import detect_format, read_import
from hyvinvointi_kg.ingest.spreadsheet import SHEETS, read_project_sheets
from hyvinvointi_kg.views.template import write_template

IMPORTS = Path(__file__).parent / "data" / "imports"


def _fixtures_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_fixtures", IMPORTS / "make_fixtures.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_make_fixtures_reproduces_the_committed_files(tmp_path: Path) -> None:
    written = _fixtures_module().write_fixtures(tmp_path)
    assert written
    for path in written:
        committed = IMPORTS / path.relative_to(tmp_path)
        assert committed.read_bytes() == path.read_bytes(), f"{committed} differs: run make_fixtures.py"


def test_write_template_reads_back_as_zero_rows(tmp_path: Path) -> None:
    result = read_project_sheets(write_template(tmp_path / "hankkeet.xlsx"))
    assert result.projects == ()
    assert result.report.rows_read == 0
    assert result.report.unknown_columns == () and result.report.unknown_sheets == ()


def test_write_template_sheets_headers_and_validation(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(write_template(tmp_path / "hankkeet.xlsx"))
    assert book.sheetnames == ["ohje", *SHEETS, "listat"]
    for name, spec in SHEETS.items():
        sheet = book[name]
        assert [c.value for c in sheet[1]] == [c.header for c in spec.columns]
        assert sheet.freeze_panes == "A2"
        assert all(c.comment is not None and "\n\n" in c.comment.text for c in sheet[1])
    lists = {dv.formula1 for name in SHEETS for dv in book[name].data_validations.dataValidation
             if dv.type == "list"}
    assert {"listat!$A$2:$A$3", "listat!$B$2:$B$16"} <= lists
    types = {dv.type for dv in book["hankkeet"].data_validations.dataValidation}
    assert types == {"date"}
    texts = " ".join(str(c.value) for row in book["ohje"].iter_rows() for c in row if c.value)
    assert "Suomeksi" in texts and "In English" in texts and "päätoteuttaja" in texts


def test_write_template_refuses_an_unknown_sheet(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no sheet 'budjetti'"):
        write_template(tmp_path / "x.xlsx", rows={"budjetti": [["P1"]]})


def test_read_project_sheets_filled_template_round_trips() -> None:
    rows = _fixtures_module().SHEET_ROWS
    result = read_project_sheets(IMPORTS / "hankkeet_filled.xlsx")
    assert [p.key for p in result.projects] == [r[0] for r in rows["hankkeet"]]
    assert [p.name.text for p in result.projects] == [r[1] for r in rows["hankkeet"]]
    assert result.report.rows_read == sum(len(r) for r in rows.values())
    first = result.projects[0]
    assert (first.start and first.start.value.isoformat(), first.end and first.end.value.isoformat()) == \
        ("2023-09-01", "2025-08-31")
    assert [(i.name.text, i.role.value) for i in first.implementers] == \
        [("Lapin Kylätoiminta ry", "lead"), ("Savukosken kunta", "partner")]
    assert [t.text for t in first.themes] == ["osallisuus"] and [t.text for t in first.target_groups] == ["nuoret"]


def test_read_project_sheets_savukoski_project_is_placed_in_savukoski() -> None:
    project = read_project_sheets(IMPORTS / "hankkeet_filled.xlsx").projects[0]
    assert [(p.kind, p.code) for p in project.places] == [("municipality", "742")]
    assert project.places[0].cell.location == Location("hankkeet_filled.xlsx", "kunnat", 2, "kunta")


def test_read_project_sheets_values_carry_file_sheet_row_column() -> None:
    project = read_project_sheets(IMPORTS / "hankkeet_filled.xlsx").projects[1]
    assert project.row == Location("hankkeet_filled.xlsx", "hankkeet", 3)
    assert project.start and project.start.cell.location == Location("hankkeet_filled.xlsx", "hankkeet", 3,
                                                                      "alkupäivä")
    amount = project.funding[0].amounts[1]
    assert amount.value.cell.location == Location("hankkeet_filled.xlsx", "rahoitus", 5, "summa")
    assert amount.kind.cell.location == Location("hankkeet_filled.xlsx", "rahoitus", 5, "summan laji")


def test_read_project_sheets_municipality_by_code() -> None:
    project = read_project_sheets(IMPORTS / "hankkeet_filled.xlsx").projects[1]
    assert [p.code for p in project.places] == ["047", "273", "498"]


def test_read_project_sheets_funding_lines_grouped_by_funder_programme_year() -> None:
    projects = read_project_sheets(IMPORTS / "hankkeet_filled.xlsx").projects
    stea = projects[0].funding
    assert [(f.key, f.year and f.year.value, [(a.kind.value, a.value.value) for a in f.amounts]) for f in stea] == [
        ("STEA / 2023", 2023, [("granted", Decimal(80000))]), ("STEA / 2024", 2024, [("granted", Decimal(85000))])]
    esr = projects[1].funding
    assert len(esr) == 1 and [(a.kind.value, a.value.value) for a in esr[0].amounts] == [
        ("planned-public-total", Decimal(250000)), ("realised-public-total", Decimal("120000.5"))]
    assert esr[0].granting_authority and esr[0].granting_authority.text == "Lapin ELY-keskus"


@pytest.mark.parametrize("path", [IMPORTS / "hankkeet_csv", IMPORTS / "hankkeet_csv" / "hankkeet.csv",
                                  IMPORTS / "csv_base" / "lappi2024_kunnat.csv"])
def test_read_project_sheets_csv_equals_xlsx(path: Path) -> None:
    def facts(result_path: Path) -> list[tuple[object, ...]]:
        return [(p.key, p.name.text, p.start and p.start.value, p.end and p.end.value,
                 tuple((x.kind, x.code) for x in p.places), tuple((i.name.text, i.role.value) for i in p.implementers),
                 tuple((a.kind.value, a.value.value) for f in p.funding for a in f.amounts))
                for p in read_project_sheets(result_path).projects]

    assert facts(path) == facts(IMPORTS / "hankkeet_filled.xlsx")


def test_read_project_sheets_csv_location_is_the_csv_file() -> None:
    project = read_project_sheets(IMPORTS / "csv_base" / "lappi2024_hankkeet.csv").projects[0]
    assert project.places[0].cell.location == Location("lappi2024_kunnat.csv", "kunnat", 2, "kunta")
    assert project.start and project.start.cell.text == "1.9.2023"


def test_read_project_sheets_unknown_column_kept_and_reported() -> None:
    result = read_project_sheets(IMPORTS / "hankkeet_unknown_column.xlsx")
    assert result.report.unknown_columns == (Location("hankkeet_unknown_column.xlsx", "hankkeet", 1,
                                                      "budjettihuomio"),)
    assert [(c.text, c.location.column) for c in result.projects[0].other] == [("tarkistettava", "budjettihuomio")]


# Every bad-input fixture: the lines it must give (one per problem, each naming file, sheet, row, column).
BAD = {
    "bad_missing_value.xlsx": ["sheet 'hankkeet', row 3, column 'hankkeen nimi': a value for 'hankkeen nimi' is "
                               "required"],
    "bad_unknown_municipality.xlsx": ["sheet 'kunnat', row 2, column 'kunta': unknown municipality 'Korvatunturi'"],
    "bad_impossible_date.xlsx": ["sheet 'hankkeet', row 3, column 'alkupäivä': '31.2.2024' is not a date"],
    "bad_business_id.xlsx": ["sheet 'hankkeet', row 2, column 'päätoteuttajan y-tunnus': malformed business ID "
                             "'2841553-2': the check digit should be 1"],
    "bad_duplicate_row.xlsx": ["sheet 'kunnat', row 7: duplicate of row 2"],
    "bad_missing_column.xlsx": ["sheet 'hankkeet', row 1, column 'hankkeen nimi': required column 'hankkeen nimi' "
                                "is missing; closest header found: 'hankekoodi'"],
    "bad_wrong_format.xlsx": ["sheet 'Taulukko1', row 1: not a format this tool imports"],
    "bad_several.xlsx": ["sheet 'hankkeet', row 4, column 'loppupäivä': '2021-13-01' is not a date",
                         "sheet 'kunnat', row 3, column 'kunta': unknown municipality 'Atlantis'",
                         "sheet 'toteuttajat', row 2, column 'rooli': unknown role 'rahoittaja'"],
}


@pytest.mark.parametrize("path", sorted(IMPORTS.glob("bad_*.xlsx")), ids=lambda p: p.name)
def test_read_import_bad_input_one_line_each(path: Path) -> None:
    with pytest.raises(BadInputError) as caught:
        read_import(path)
    expected = BAD[path.name]
    lines = [str(b) for b in caught.value.bad_rows]
    assert len(lines) == len(expected)
    for line, part in zip(lines, expected, strict=True):
        assert line.startswith(f"{path.name}, ") and part in line
    assert str(caught.value).splitlines()[1:] == lines
    assert isinstance(caught.value, InputError)


def test_read_project_sheets_skip_bad_rows_keeps_the_good_rows() -> None:
    result = read_project_sheets(IMPORTS / "bad_several.xlsx", skip_bad_rows=True)
    assert [p.key for p in result.projects] == ["P2023-01", "S30102"]
    skipped = [str(b) for b in result.report.skipped]
    assert any("row 4, column 'loppupäivä'" in s for s in skipped)
    assert any("sheet 'teemat', row 4" in s and "'P2022-07' is not imported" in s for s in skipped)
    assert [p.code for p in result.projects[1].places] == ["273", "498"]  # the Atlantis row left out
    assert [i.role.value for i in result.projects[0].implementers] == ["lead"]


def test_read_project_sheets_skip_bad_rows_still_refuses_a_missing_column() -> None:
    with pytest.raises(BadInputError, match="required column 'hankkeen nimi' is missing"):
        read_project_sheets(IMPORTS / "bad_missing_column.xlsx", skip_bad_rows=True)


def test_read_project_sheets_refuses_a_workbook_without_hankkeet() -> None:
    with pytest.raises(BadInputError, match="no sheet 'hankkeet' \\(sheets found: 'Taulukko1'\\)"):
        read_project_sheets(IMPORTS / "bad_wrong_format.xlsx")


def test_read_import_refuses_a_file_that_is_no_spreadsheet(tmp_path: Path) -> None:
    path = tmp_path / "hankkeet.txt"
    path.write_text("hankekoodi\n")
    with pytest.raises(BadInputError, match="hankkeet.txt, row 1: not a spreadsheet"):
        read_import(path)


def test_read_import_refuses_a_broken_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "hankkeet.xlsx"
    path.write_bytes(b"not a zip")
    with pytest.raises(BadInputError, match="not a readable .xlsx workbook"):
        read_import(path)


@pytest.mark.parametrize(("name", "expected"), [
    ("hankkeet_filled.xlsx", "hankkeet"), ("hankkeet_csv", "hankkeet"), ("eura2021_report.xlsx", "eura2021"),
    ("stea_register.xlsx", "stea"), ("stea_register.csv", "stea")])
def test_detect_format_by_header(name: str, expected: str) -> None:
    assert detect_format(IMPORTS / name) == expected


def test_docs_import_names_every_column_and_the_new_amount_kinds() -> None:
    from hyvinvointi_kg.ingest.eura2021 import EURA2021_COLUMNS
    from hyvinvointi_kg.ingest.spreadsheet import AMOUNT_KINDS
    from hyvinvointi_kg.ingest.stea import STEA_COLUMNS

    root = Path(__file__).parent.parent
    docs = (root / "docs" / "import.md").read_text(encoding="utf-8")
    columns = [c for s in SHEETS.values() for c in s.columns] + list(EURA2021_COLUMNS) + list(STEA_COLUMNS)
    assert [c.header for c in columns if f"`{c.header}`" not in docs] == []
    schemes = (root / "ontology" / "schemes.ttl").read_text(encoding="utf-8")
    assert [k for k in AMOUNT_KINDS if f"amount:{k} a hk:AmountKind" not in schemes] == []
    assert "every kind above is a concept of `ontology/schemes.ttl`" in docs
