"""The STEA grants register: projects by organisation and purpose, turned-down applications, bad rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from hyvinvointi_kg.ingest.import_records import BadInputError, Location
from hyvinvointi_kg.ingest.stea import read_stea

IMPORTS = Path(__file__).parent / "data" / "imports"
REGISTER = IMPORTS / "stea_register.xlsx"


def test_read_stea_years_of_one_purpose_are_one_project() -> None:
    project = read_stea(REGISTER).projects[0]
    assert project.key == "stea:2841553-1:kyla-kantaa-nuorten-kohtaamo-savukoskella"
    assert [(f.key, f.year and f.year.value) for f in project.funding] == [("STEA C 2023", 2023), ("STEA C 2024", 2024)]
    assert (project.start and project.start.value, project.end and project.end.value) == (date(2023, 1, 1),
                                                                                          date(2024, 12, 31))
    assert project.start and project.start.rule and "calendar year" in project.start.rule


def test_read_stea_turned_down_application_is_no_project() -> None:
    result = read_stea(REGISTER)
    assert all("digituki" not in p.name.text for p in result.projects)
    [turned_down] = result.report.turned_down
    assert turned_down.row == Location(REGISTER.name, "avustukset", 4)
    assert (turned_down.organisation.text, turned_down.year.value) == ("Inarin Seniorit ry", 2024)
    assert turned_down.applied and turned_down.applied.value == Decimal(60000)


def test_read_stea_amounts_implementer_place_theme() -> None:
    project = read_stea(REGISTER).projects[0]
    assert [(a.kind.value, a.value.value) for a in project.funding[0].amounts] == [
        ("applied", Decimal(95000)), ("proposed", Decimal(80000)), ("granted", Decimal(80000))]
    assert project.funding[0].funder and project.funding[0].funder.value == "STEA"
    assert project.funding[0].instrument and project.funding[0].instrument.text == "C"
    [lead] = project.implementers
    assert (lead.name.text, lead.role.value, lead.organisation_type and lead.organisation_type.text) == (
        "Lapin Kylätoiminta ry", "lead", "Sosiaali- ja terveysjärjestö")
    assert [(p.kind, p.code) for p in project.places] == [("municipality", "742")]
    assert [t.text for t in project.themes] == ["Osallisuuden ja yhdenvertaisuuden edistäminen"]


def test_read_stea_region_as_area() -> None:
    project = read_stea(REGISTER).projects[1]
    assert [(p.kind, p.code) for p in project.places] == [("region", "19")]


def test_read_stea_csv_equals_xlsx() -> None:
    def facts(path: Path) -> list[tuple[object, ...]]:
        return [(p.key, tuple((a.kind.value, a.value.value) for f in p.funding for a in f.amounts))
                for p in read_stea(path).projects]

    assert facts(IMPORTS / "stea_register.csv") == facts(REGISTER)


def test_read_stea_bad_rows_all_named() -> None:
    with pytest.raises(BadInputError) as caught:
        read_stea(IMPORTS / "stea_bad_rows.xlsx")
    assert [str(b) for b in caught.value.bad_rows] == [
        "stea_bad_rows.xlsx, sheet 'avustukset', row 3, column 'alue': unknown municipality 'Korvatunturi' "
        "(not in data/reference/municipalities_fi.csv)",
        "stea_bad_rows.xlsx, sheet 'avustukset', row 4, column 'myonnetty': a value for 'myonnetty' is required",
        "stea_bad_rows.xlsx, sheet 'avustukset', row 5: duplicate of row 2",
    ]


def test_read_stea_skip_bad_rows() -> None:
    result = read_stea(IMPORTS / "stea_bad_rows.xlsx", skip_bad_rows=True)
    assert [len(p.funding) for p in result.projects] == [1]
    assert len(result.report.skipped) == 3


def test_read_stea_missing_column_named(tmp_path: Path) -> None:
    path = tmp_path / "stea.csv"
    path.write_text("jarjesto,y_tunnus,vuosi,kayttotarkoitus,avustuslaji,alue,avustuskokonaisuus,jarjestoluokka,"
                    "haettu,ehdotettu,myonnettu\n", encoding="utf-8")
    with pytest.raises(BadInputError, match="column 'myonnetty': required column 'myonnetty' is missing; closest "
                                            "header found: 'myonnettu'"):
        read_stea(path)
