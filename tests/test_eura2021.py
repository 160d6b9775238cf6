"""The EURA 2021–2027 project report: header matched after trimming, footer, places, amounts, bad rows."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from hyvinvointi_kg.ingest.eura2021 import EURA2021_AMOUNTS, EURA2021_COLUMNS, read_eura2021
from hyvinvointi_kg.ingest.import_records import BadInputError, Location

IMPORTS = Path(__file__).parent / "data" / "imports"
REPORT = IMPORTS / "eura2021_report.xlsx"


def test_eura2021_columns_are_the_35_of_the_export() -> None:
    assert len(EURA2021_COLUMNS) == 35
    assert EURA2021_COLUMNS[0].header == "Hankekoodi" and EURA2021_COLUMNS[-1].header == "Hankkeen kotisivun osoite"


def test_read_eura2021_header_with_trailing_space_and_line_break() -> None:
    result = read_eura2021(REPORT)
    assert result.report.unknown_columns == ()
    assert [p.key for p in result.projects] == ["S30101", "A70301", "S30155"]
    assert result.projects[0].code and result.projects[0].code.location == Location(REPORT.name, "Raportti", 2,
                                                                                      "Hankekoodi")


def test_read_eura2021_footer_rows_are_not_projects() -> None:
    report = read_eura2021(REPORT).report
    assert report.rows_read == 3
    assert [(b.location.row, b.reason) for b in report.ignored_rows] == [
        (5, "footer row ('Yhteensä')"),
        (6, "footer row ('Raportti luotu 2.1.2025 klo 10.00, EURA 2021 (synteettinen)')")]


def test_read_eura2021_place_is_the_implementation_site_not_the_head_office() -> None:
    project = read_eura2021(REPORT).projects[0]
    assert [(p.kind, p.code, p.cell.text) for p in project.places] == [("municipality", "742", "SAVUKOSKI")]
    lead = project.implementers[0]
    assert lead.domicile and lead.domicile.text == "ROVANIEMI"
    assert lead.role.value == "lead" and lead.business_id and lead.business_id.value == "2841553-1"


def test_read_eura2021_postal_town_falls_back_to_sijainti() -> None:
    project = read_eura2021(REPORT).projects[2]  # site IVALO, a post office of Inari
    assert [(p.code, p.cell.location.column) for p in project.places] == [("148", "Sijainti")]


def test_read_eura2021_site_and_region_both_kept() -> None:
    project = read_eura2021(REPORT).projects[1]
    assert [(p.kind, p.code) for p in project.places] == [("municipality", "851"), ("region", "19")]


def test_read_eura2021_empty_string_amount_is_missing() -> None:
    amounts = read_eura2021(REPORT).projects[0].funding[0].amounts
    assert [(a.kind.value, a.value.value) for a in amounts] == [
        ("planned-eu-state", Decimal(180000)), ("planned-public-total", Decimal(240000)),
        ("planned-total", Decimal(240000)), ("realised-eu-state", Decimal("45000.5"))]
    assert amounts[0].kind.cell.location == Location(REPORT.name, "Raportti", 1, "Suunniteltu EU- ja valtion rahoitus")


def test_read_eura2021_all_seven_amount_kinds() -> None:
    amounts = read_eura2021(REPORT).projects[1].funding[0].amounts
    assert [a.kind.value for a in amounts] == list(EURA2021_AMOUNTS.values())


def test_read_eura2021_funding_dates_and_kept_columns() -> None:
    project = read_eura2021(REPORT).projects[0]
    funding = project.funding[0]
    assert funding.funder and funding.funder.value == "ESR+"
    assert (funding.granting_authority and funding.granting_authority.text) == "Lapin ELY-keskus"
    assert (funding.policy_axis and funding.policy_axis.text, funding.specific_objective
            and funding.specific_objective.text) == ("4", "4.1")
    assert project.start and project.start.value.isoformat() == "2023-09-01"
    kept = {c.location.column: c.text for c in project.other}
    assert kept["Tukitoimen ala"] == "153" and kept["Hankekuvauksen osoite"] == "https://example.org/eura/S30101"


def test_read_eura2021_renamed_column_named_with_the_closest_header() -> None:
    with pytest.raises(BadInputError) as caught:
        read_eura2021(IMPORTS / "eura2021_bad_renamed_column.xlsx")
    assert [str(b) for b in caught.value.bad_rows] == [
        "eura2021_bad_renamed_column.xlsx, sheet 'Raportti', row 1, column 'Toteuttajan Y-tunnus': required column "
        "'Toteuttajan Y-tunnus' is missing; closest header found: 'Toteuttajan nimi'"]


def test_read_eura2021_bad_rows_all_named() -> None:
    with pytest.raises(BadInputError) as caught:
        read_eura2021(IMPORTS / "eura2021_bad_rows.xlsx")
    assert [(b.location.row, b.location.column) for b in caught.value.bad_rows] == [
        (3, "Toteuttajan Y-tunnus"), (4, "Aloituspvm"), (4, "Toteutuspaikan postitoimipaikka"), (5, None)]


def test_read_eura2021_skip_bad_rows() -> None:
    result = read_eura2021(IMPORTS / "eura2021_bad_rows.xlsx", skip_bad_rows=True)
    assert [p.key for p in result.projects] == ["S30101"]
    assert len(result.report.skipped) == 4


def test_read_eura2021_missing_footer_refused() -> None:
    with pytest.raises(BadInputError, match="reads like a project: is the footer missing"):
        read_eura2021(IMPORTS / "eura2021_bad_no_footer.xlsx")


def test_read_eura2021_stea_file_is_the_wrong_format() -> None:
    with pytest.raises(BadInputError, match="no header row with the columns"):
        read_eura2021(IMPORTS / "stea_register.xlsx")
