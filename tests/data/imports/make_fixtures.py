"""Write the synthetic import fixtures of tests/data/imports (run: python tests/data/imports/make_fixtures.py).

Every organisation, business ID, amount and project here is made up, except that the partner
Savukosken kunta is the real municipality (so that the build recognises an organisation the graph
has) with a made-up business ID; each organisation has its own business ID. The column lists follow
issue 18 (the EURA 2021–2027 project report and the STEA grants register, whose real exports
cannot be downloaded here) and docs/import.md (our own format). Each workbook says it is
synthetic (the first sheet's note or the header's first cell's comment); the CSV files are
described in README.md. The output is byte for byte the same on every run
(tests/test_spreadsheet_import.py checks the committed files against it).
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from hyvinvointi_kg.ingest.business_id import business_id_check_digit
from hyvinvointi_kg.ingest.eura2021 import EURA2021_COLUMNS
from hyvinvointi_kg.ingest.spreadsheet import SHEETS
from hyvinvointi_kg.ingest.stea import STEA_COLUMNS
from hyvinvointi_kg.views.template import write_template

HERE = Path(__file__).parent
NOTE = ("SYNTEETTINEN TESTIAINEISTO / SYNTHETIC TEST DATA: made up by tests/data/imports/make_fixtures.py; "
        "no real business ID, amount or project; no real organisation except the municipality Savukosken kunta.")


def bid(digits: str) -> str:
    """A made-up business ID with a valid check digit."""
    check = business_id_check_digit(digits)
    assert check is not None, digits
    return f"{digits}-{check}"


# One made-up business ID per organisation. The same organisation carries the same ID in every file
# (Lapin Kylätoiminta ry in the template, the EURA report and the STEA register; Tunturi-Lapin Turva ry in the
# template and the register), so the build recognises it; different organisations never share one. None of
# these organisations is one the bundled graph knows with a business ID (data/curation/organisations.yaml and
# the register descriptions name only Lapin ammattikorkeakoulu Oy, Majakka ry and Itä-Lapin kuntayhtymä).
KYLAT, TURVA, SENIORIT = bid("2841553"), bid("2290716"), bid("0245895")
KUNTA, OPPIMISKESKUS, KEHITYS, NUORET = bid("1927481"), bid("2467803"), bid("2755130"), bid("3012458")
SAARISELKA, SOMPIO, PALLAS, YLLAS, TENO = (bid("2930114"), bid("3158207"), bid("2711349"), bid("3067925"),
                                           bid("2584460"))

PROJECTS = [
    ["P2023-01", "Kylä kantaa – Savukosken nuorten osallisuus", "Lapin Kylätoiminta ry", KYLAT,
     date(2023, 9, 1), date(2025, 8, 31), "käynnissä",
     "Nuorten kohtaamispaikka ja harrastustoiminta Savukoskella; toteuttaja toimii Rovaniemeltä.",
     "https://example.org/kyla-kantaa"],
    ["S30102", "Turvallinen arki Tunturi-Lapissa", "Tunturi-Lapin Turva ry", TURVA, "1.1.2024", "2026-12-31",
     "käynnissä", "Lähisuhdeväkivallan ehkäisy ja turvallisuusosaaminen Tunturi-Lapin kunnissa.", ""],
    ["P2022-07", "Ikäihmisten digituki Inarissa", "Inarin Seniorit ry", "", date(2022, 3, 1), date(2023, 12, 31),
     "päättynyt", "Digitaitojen vertaistuki ikääntyneille.", ""],
]
SHEET_ROWS: dict[str, list[list[object]]] = {
    "hankkeet": PROJECTS,
    "kunnat": [["P2023-01", "Savukoski"], ["S30102", "Enontekiö"], ["S30102", "273"], ["S30102", "Muonio"],
               ["P2022-07", "Inari"]],
    "toteuttajat": [["P2023-01", "Savukosken kunta", KUNTA, "osatoteuttaja"],
                    ["S30102", "Lapin Oppimiskeskus Oy", OPPIMISKESKUS, "osatoteuttaja"]],
    "rahoitus": [["P2023-01", "STEA", "", "", 2023, 80000, "myönnetty"],
                 ["P2023-01", "STEA", "", "", 2024, 85000, "myönnetty"],
                 ["S30102", "ESR+", "Uudistuva ja osaava Suomi 2021–2027", "Lapin ELY-keskus", "", 250000,
                  "suunniteltu julkinen rahoitus yhteensä"],
                 ["S30102", "ESR+", "Uudistuva ja osaava Suomi 2021–2027", "Lapin ELY-keskus", "", 120000.5,
                  "toteutunut julkinen rahoitus yhteensä"]],
    "teemat": [["P2023-01", "osallisuus"], ["S30102", "turvallisuus"], ["P2022-07", "digitaalinen osallisuus"]],
    "kohderyhmat": [["P2023-01", "nuoret"], ["P2022-07", "ikääntyneet"]],
}


def _with(sheet: str, index: int, column: int, value: object) -> dict[str, list[list[object]]]:
    """SHEET_ROWS with one value changed."""
    rows = {name: [list(r) for r in values] for name, values in SHEET_ROWS.items()}
    rows[sheet][index][column] = value
    return rows


def _workbook(path: Path, sheets: dict[str, Sequence[Sequence[object]]], *, comment: str = NOTE) -> None:
    """A plain workbook (no template), the first header cell commented as synthetic."""
    import xlsxwriter  # type: ignore[import-untyped]

    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                           "strings_to_urls": False})
    book.set_properties({"title": "synthetic test data", "comments": NOTE, "created": datetime(2024, 1, 1)})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, int | float) and not isinstance(value, bool):
                    sheet.write_number(r, c, value)
                elif value not in (None, ""):
                    sheet.write_string(r, c, str(value))
        sheet.write_comment(0, 0, comment)
    book.close()


def _csv(path: Path, rows: Sequence[Sequence[object]], *, delimiter: str = ",") -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
        writer.writerows([["" if v is None else f"{v.day}.{v.month}.{v.year}" if isinstance(v, date) else v
                           for v in row] for row in rows])


def _headers(sheet: str) -> list[object]:
    return [c.header for c in SHEETS[sheet].columns]


EURA_HEADER = [c.header for c in EURA2021_COLUMNS]
EURA_HEADER[0] = "Hankekoodi "  # as the export writes them
EURA_HEADER[EURA_HEADER.index("Hankekuvauksen osoite")] = "Hankekuvauksen osoite\n"


def _eura_row(**values: object) -> list[object]:
    keyed = {c.key: "" for c in EURA2021_COLUMNS}  # the export writes a missing amount as an empty string
    keyed.update(values)
    return [keyed[c.key] for c in EURA2021_COLUMNS]


EURA_ROWS = [
    _eura_row(code="S30101", fund="ESR+", policy_axis="4", specific_objective="4.1", name="Kylä kantaa",
              beneficiary="Lapin Kylätoiminta ry", business_id=KYLAT, authority="Lapin ELY-keskus",
              status="Käynnissä", start="1.9.2023", end="31.8.2025", planned_eu_state=180000, planned_public=240000,
              planned_total=240000, realised_eu_state=45000.5, intervention_field="153", location="",
              site_postcode="98800", site_town="SAVUKOSKI", beneficiary_postcode="96100",
              beneficiary_town="ROVANIEMI", form_of_support="Avustus",
              summary="Nuorten osallisuutta ja harrastuksia Savukoskella.",
              description_url="https://example.org/eura/S30101", homepage="https://example.org/kyla-kantaa"),
    _eura_row(code="A70301", fund="EAKR", policy_axis="1", specific_objective="1.1", name="Meri-Lapin palvelupolut",
              beneficiary="Meri-Lapin Kehitys Oy", business_id=KEHITYS, authority="Lapin liitto",
              status="Päättynyt", start="1.1.2022", end="31.12.2023", planned_eu_state=300000, planned_public=400000,
              planned_total=420000, realised_eu_state=290000, realised_public=390000, realised_total=410000,
              realised_eu=210000, location="Lappi", site_postcode="95400", site_town="TORNIO",
              beneficiary_postcode="95400", beneficiary_town="TORNIO",
              summary="Palveluohjauksen kehittäminen Meri-Lapissa."),
    _eura_row(code="S30155", fund="ESR+", name="Saamelaisnuorten polku", beneficiary="Pohjois-Lapin Nuoret ry",
              business_id=NUORET, authority="Lapin ELY-keskus", status="Käynnissä", start="2024-01-01",
              end="2026-06-30", planned_public=150000, location="Inari", site_postcode="99800", site_town="IVALO",
              beneficiary_postcode="99800", beneficiary_town="IVALO", summary="Ohjausta saamelaisnuorille."),
]
# Implementation sites whose post office is not a municipality's name (data/reference/postal_towns.csv):
# by the post office, by the postal code alone, a post office in a municipality other than its old one,
# a village split between two municipalities (not in the table: Sijainti decides, or the row is bad), and
# two funds of the 2021-2027 programme besides ESR+ and a fund the programme does not have.
EURA_POSTAL_ROWS = [
    _eura_row(code="S30201", fund="ESR+", name="Tunturikylän arki", beneficiary="Saariselän Kyläyhdistys ry",
              business_id=SAARISELKA, authority="Lapin ELY-keskus", status="Käynnissä", start="1.3.2024",
              end="28.2.2026", planned_public=90000, site_postcode="99830", site_town="SAARISELKÄ",
              beneficiary_postcode="99800", beneficiary_town="IVALO", summary="Kyläyhteisön tukea Saariselällä."),
    _eura_row(code="S30202", fund="ESR+", name="Sompion nuoret", beneficiary="Sompion Nuoret ry",
              business_id=SOMPIO, authority="Lapin ELY-keskus", status="Käynnissä", start="1.8.2024",
              end="31.7.2026", planned_public=60000, site_postcode="99690", site_town="",
              beneficiary_postcode="99690", beneficiary_town="VUOTSO", summary="Nuorisotyötä Vuotsossa."),
    _eura_row(code="J30301", fund="JTF", name="Pallaksen luontotyö", beneficiary="Pallaksen Luontokoulu ry",
              business_id=PALLAS, authority="Lapin liitto", status="Käynnissä", start="1.1.2024",
              end="31.12.2025", planned_public=120000, site_town="PALLASTUNTURI",
              beneficiary_town="MUONIO", summary="Luontotyön koulutusta Pallastunturilla."),
    _eura_row(code="S30203", fund="Koheesiorahasto", name="Ylläksen kylätalo", beneficiary="Ylläksen Kylät ry",
              business_id=YLLAS, authority="Lapin ELY-keskus", status="Käynnissä", start="1.1.2024",
              end="31.12.2025", planned_public=50000, location="Kolari", site_town="YLLÄSJÄRVI",
              beneficiary_town="KOLARI", summary="Kylätalon toimintaa Ylläsjärvellä."),
    _eura_row(code="A70402", fund="EAKR", name="Tenon palvelut", beneficiary="Tenon Saamelaisnuoret ry",
              business_id=TENO, authority="Lapin liitto", status="Käynnissä", start="1.6.2024",
              end="31.5.2026", planned_public=200000, location="Lappi", site_town="KARIGASNIEMI",
              beneficiary_town="KARIGASNIEMI", summary="Palveluja Karigasniemellä."),
    _eura_row(code="S30204", fund="ESR+", name="Ylläksen kyläkoulu", beneficiary="Ylläksen Kylät ry",
              business_id=YLLAS, authority="Lapin ELY-keskus", status="Käynnissä", start="1.1.2025",
              end="31.12.2026", planned_public=40000, site_town="YLLÄSJÄRVI", beneficiary_town="KOLARI",
              summary="Kyläkoulun iltapäivätoimintaa Ylläsjärvellä."),
]
EURA_FOOTER = [["Yhteensä", "", "", "", "", "", "", "", "", "", "", "", "", 480000],
               ["Raportti luotu 2.1.2025 klo 10.00, EURA 2021 (synteettinen)"]]

STEA_HEADER = [c.header for c in STEA_COLUMNS]
STEA_ROWS: list[list[object]] = [
    ["Lapin Kylätoiminta ry", KYLAT, 2023, "Kylä kantaa – nuorten kohtaamo Savukoskella", "C", "Savukoski",
     "Osallisuuden ja yhdenvertaisuuden edistäminen", "Sosiaali- ja terveysjärjestö", 95000, 80000, 80000],
    ["Lapin Kylätoiminta ry", KYLAT, 2024, "Kylä kantaa – nuorten kohtaamo Savukoskella", "C", "Savukoski",
     "Osallisuuden ja yhdenvertaisuuden edistäminen", "Sosiaali- ja terveysjärjestö", 95000, 85000, 85000],
    ["Inarin Seniorit ry", SENIORIT, 2024, "Ikäihmisten digituki", "C", "Inari",
     "Ikääntyneiden hyvinvointi", "Eläkeläisjärjestö", 60000, 0, 0],
    ["Tunturi-Lapin Turva ry", TURVA, 2024, "Yleisavustus", "Ay", "Lappi",
     "Turvallisuuden edistäminen", "Sosiaali- ja terveysjärjestö", 40000, 35000, 35000],
]


def write_fixtures(folder: Path = HERE) -> list[Path]:
    """Write every fixture into *folder*; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    out: list[Path] = []

    def template(name: str, rows: dict[str, list[list[object]]]) -> None:
        out.append(write_template(folder / name, rows=rows, note=NOTE))

    # Our format: the filled template, the same as a folder of CSV files and as <base>_<sheet>.csv.
    template("hankkeet_filled.xlsx", SHEET_ROWS)
    for sub, prefix in (("hankkeet_csv", ""), ("csv_base", "lappi2024_")):
        (folder / sub).mkdir(exist_ok=True)
        for sheet, rows in SHEET_ROWS.items():
            path = folder / sub / f"{prefix}{sheet}.csv"
            _csv(path, [_headers(sheet), *rows])
            out.append(path)
    unknown = [[*_headers("hankkeet"), "budjettihuomio"], *[[*p, "tarkistettava"] for p in PROJECTS[:1]]]
    path = folder / "hankkeet_unknown_column.xlsx"
    _workbook(path, {"hankkeet": unknown})
    out.append(path)

    # Our format, one file per bad-input case.
    template("bad_missing_value.xlsx", _with("hankkeet", 1, 1, ""))
    template("bad_unknown_municipality.xlsx", _with("kunnat", 0, 1, "Korvatunturi"))
    template("bad_impossible_date.xlsx", _with("hankkeet", 1, 4, "31.2.2024"))
    template("bad_business_id.xlsx", _with("hankkeet", 0, 3, KYLAT[:-1] + str((int(KYLAT[-1]) + 1) % 10)))
    duplicate = _with("kunnat", 0, 1, "Savukoski")
    duplicate["kunnat"].append(list(duplicate["kunnat"][0]))
    template("bad_duplicate_row.xlsx", duplicate)
    several = _with("hankkeet", 2, 5, "2021-13-01")
    several["kunnat"][1][1] = "Atlantis"
    several["toteuttajat"][0][3] = "rahoittaja"
    template("bad_several.xlsx", several)
    renamed = [["hankekoodi", "projektin nimi", "päätoteuttaja"], ["P1", "Kylätalo", "Kylä ry"]]
    path = folder / "bad_missing_column.xlsx"
    _workbook(path, {"hankkeet": renamed})
    out.append(path)
    path = folder / "bad_wrong_format.xlsx"
    _workbook(path, {"Taulukko1": [["Nimi", "Osoite", "Puhelin"], ["Lapin Kylätoiminta ry", "Rovaniemi", ""]]})
    out.append(path)

    # The EURA 2021–2027 project report.
    for name, header, rows, footer in (
        ("eura2021_report.xlsx", EURA_HEADER, EURA_ROWS, EURA_FOOTER),
        ("eura2021_bad_renamed_column.xlsx",
         [h if h != "Toteuttajan Y-tunnus" else "Y-tunnus" for h in EURA_HEADER], EURA_ROWS, EURA_FOOTER),
        ("eura2021_bad_rows.xlsx", EURA_HEADER, [
            EURA_ROWS[0],
            [*EURA_ROWS[1][:8], KEHITYS[:-1] + "9", *EURA_ROWS[1][9:]],
            _eura_row(**{**dict(zip([c.key for c in EURA2021_COLUMNS], EURA_ROWS[2], strict=True)),
                         "site_town": "KORVATUNTURI", "site_postcode": "", "location": "",
                         "start": "30.2.2024"}),
            EURA_ROWS[0],
        ], EURA_FOOTER),
        ("eura2021_bad_no_footer.xlsx", EURA_HEADER, EURA_ROWS, []),
        ("eura2021_postal_towns.xlsx", EURA_HEADER, EURA_POSTAL_ROWS, EURA_FOOTER),
    ):
        path = folder / name
        _workbook(path, {"Raportti": [header, *rows, *footer]})
        out.append(path)

    # The STEA grants register, as .xlsx and as the ;-separated CSV file.
    path = folder / "stea_register.xlsx"
    _workbook(path, {"avustukset": [STEA_HEADER, *STEA_ROWS]})
    out.append(path)
    path = folder / "stea_register.csv"
    _csv(path, [STEA_HEADER, *STEA_ROWS], delimiter=";")
    out.append(path)
    bad = [STEA_ROWS[0], [*STEA_ROWS[1][:5], "Korvatunturi", *STEA_ROWS[1][6:]],
           [*STEA_ROWS[3][:10], ""], STEA_ROWS[0]]
    path = folder / "stea_bad_rows.xlsx"
    _workbook(path, {"avustukset": [STEA_HEADER, *bad]})
    out.append(path)
    return out


if __name__ == "__main__":
    for written in write_fixtures(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(written)
