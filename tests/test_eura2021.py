"""The EURA 2021–2027 project report: header matched after trimming, footer, places, amounts, bad rows."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from hyvinvointi_kg.assembly.places import load_municipalities
from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.ingest.eura2021 import (
    EURA2021_AMOUNTS,
    EURA2021_COLUMNS,
    PostalTown,
    load_postal_towns,
    read_eura2021,
)
from hyvinvointi_kg.ingest.import_records import BadInputError, Location

IMPORTS = Path(__file__).parent / "data" / "imports"
REPORT = IMPORTS / "eura2021_report.xlsx"
POSTAL = IMPORTS / "eura2021_postal_towns.xlsx"


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


def test_read_eura2021_postal_town_is_in_its_municipality() -> None:
    project = read_eura2021(REPORT).projects[2]  # site IVALO, a post office of Inari; Sijainti 'Inari' too
    assert [(p.code, p.cell.location.column, p.rule) for p in project.places] == [
        ("148", "Toteutuspaikan postitoimipaikka", "post office IVALO is in Inari (data/reference/postal_towns.csv)")]


def _postal() -> dict[str, list[tuple[str, str, str | None]]]:
    result = read_eura2021(POSTAL, skip_bad_rows=True)
    return {p.key: [(p.code, p.cell.location.column or "", p.cell.text) for p in p.places] for p in result.projects}


def test_read_eura2021_site_by_post_office_not_a_municipality() -> None:
    places = _postal()
    assert places["S30201"] == [("148", "Toteutuspaikan postitoimipaikka", "SAARISELKÄ")]  # Inari
    assert places["A70402"] == [("890", "Toteutuspaikan postitoimipaikka", "KARIGASNIEMI"),  # Utsjoki
                                ("19", "Sijainti", "Lappi")]


def test_read_eura2021_site_moved_to_another_municipality() -> None:
    assert _postal()["J30301"] == [("498", "Toteutuspaikan postitoimipaikka", "PALLASTUNTURI")]  # Muonio since 2004


def test_read_eura2021_site_by_postal_code_when_the_post_office_is_empty() -> None:
    assert _postal()["S30202"] == [("758", "Toteutuspaikan postinumero", "99690")]  # Vuotso, Sodankylä


def test_read_eura2021_split_village_left_to_sijainti() -> None:
    # Ylläsjärvi lies on both sides of the Kolari-Kittilä border: not in the table, Sijainti decides.
    assert _postal()["S30203"] == [("273", "Sijainti", "Kolari")]


def test_read_eura2021_unknown_post_office_is_a_bad_row() -> None:
    with pytest.raises(BadInputError) as caught:
        read_eura2021(POSTAL)
    assert [str(b) for b in caught.value.bad_rows] == [
        "eura2021_postal_towns.xlsx, sheet 'Raportti', row 7, column 'Toteutuspaikan postitoimipaikka': unknown "
        "post office 'YLLÄSJÄRVI': neither a municipality of data/reference/municipalities_fi.csv nor a post office "
        "of data/reference/postal_towns.csv, and neither 'Toteutuspaikan postinumero' (empty) nor 'Sijainti' "
        "(empty) names a place"]


def test_read_eura2021_unknown_postal_code_is_a_bad_row(tmp_path: Path) -> None:
    path = _one_row_report(tmp_path, {"Toteutuspaikan postinumero": "99999"})
    with pytest.raises(BadInputError, match="row 2, column 'Toteutuspaikan postinumero': unknown postal code '99999'"):
        read_eura2021(path)


def test_read_eura2021_postal_towns_can_be_given(tmp_path: Path) -> None:
    path = _one_row_report(tmp_path, {"Toteutuspaikan postitoimipaikka": "KORVATUNTURI"})
    towns = [PostalTown("KORVATUNTURI", "742", "Savukoski", "a test")]
    place = read_eura2021(path, postal_towns=towns).projects[0].places[0]
    assert (place.code, place.rule) == ("742", "post office KORVATUNTURI is in Savukoski "
                                               "(data/reference/postal_towns.csv)")


def _one_row_report(folder: Path, values: dict[str, str]) -> Path:
    stated = {"Hankekoodi": "S30999", "Rahasto": "ESR+", "Hankkeen nimi": "Testi", "Toteuttajan nimi": "Testi ry",
              "Toteuttajan Y-tunnus": "1762900-8", "Aloituspvm": "1.1.2024", "Päättymispvm": "31.12.2024", **values}
    path = folder / "eura2021.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(c.header for c in EURA2021_COLUMNS)
        writer.writerow(stated.get(c.header, "") for c in EURA2021_COLUMNS)
        writer.writerows([["Yhteensä"], ["Raportti luotu"]])
    return path


def test_load_postal_towns_names_municipalities_of_lapland_with_evidence() -> None:
    municipalities = {m.code: m for m in load_municipalities()}
    towns = load_postal_towns()
    assert len(towns) == 14
    for town in towns:
        municipality = municipalities[town.municipality_code]
        assert (municipality.name_fi, municipality.region_code) == (town.municipality, "19"), town
        assert town.name.casefold() not in {m.name_fi.casefold() for m in municipalities.values()}, town
        assert town.evidence, town
    assert "YLLÄSJÄRVI" not in {t.name for t in towns}  # split between Kolari and Kittilä: left out


def test_load_postal_towns_refuses_a_postal_code_of_two_municipalities(tmp_path: Path) -> None:
    path = tmp_path / "postal_towns.csv"
    path.write_text("postal_town,postal_code,municipality_code,municipality,evidence\n"
                    "A,99130,261,Kittilä,x\nB,99130,273,Kolari,x\n", encoding="utf-8")
    with pytest.raises(InputError, match="row 3: postal code 99130 is already listed for another municipality"):
        load_postal_towns(path)


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
