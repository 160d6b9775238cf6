"""The project spreadsheet template (``hankkeet.xlsx``): instructions, the sheets and headers, validation lists."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from hyvinvointi_kg.assembly.places import load_municipalities
from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.ingest.spreadsheet import AMOUNT_KINDS, ROLES, SHEETS

__all__ = ["COLUMN_HELP", "write_template"]

#: What each column holds, by sheet and column key: (Finnish, English). Written as the header's
#: comment and on the instructions sheet.
COLUMN_HELP: dict[tuple[str, str], tuple[str, str]] = {
    ("*", "code"): ("Hankkeen tunnus, esim. EURA-hankekoodi (S30101) tai oma tunnus. Pakollinen; yksilöi hankkeen.",
                    "The project's code, e.g. its EURA code (S30101) or your own. Required; identifies the project."),
    ("hankkeet", "name"): ("Hankkeen nimi. Pakollinen.", "The project's name. Required."),
    ("hankkeet", "lead"): ("Päätoteuttajan virallinen nimi. Pakollinen.", "The lead implementer's official name. "
                                                                           "Required."),
    ("hankkeet", "lead_business_id"): ("Päätoteuttajan Y-tunnus muodossa 1234567-8 (tarkiste tarkistetaan).",
                                       "The lead's business ID, 1234567-8 (the check digit is checked)."),
    ("hankkeet", "start"): ("Alkupäivä: 1.9.2023 tai 2023-09-01.", "Start date: 1.9.2023 or 2023-09-01."),
    ("hankkeet", "end"): ("Loppupäivä: 31.8.2025 tai 2025-08-31; ei ennen alkupäivää.",
                          "End date: 31.8.2025 or 2025-08-31; not before the start."),
    ("hankkeet", "status"): ("Tila, esim. käynnissä tai päättynyt.", "Status, e.g. käynnissä (running) or päättynyt "
                                                                     "(ended)."),
    ("hankkeet", "description"): ("Lyhyt kuvaus hankkeesta.", "A short description of the project."),
    ("hankkeet", "homepage"): ("Hankkeen kotisivun osoite.", "The project's web page."),
    ("kunnat", "place"): ("Kunta, jossa hanke toimii (nimi tai kuntanumero), ei toteuttajan kotikunta. Myös maakunta "
                          "tai 'koko Suomi'.", "A municipality where the project acts (name or code), not the "
                                               "implementer's home town. Also a region or 'koko Suomi'."),
    ("toteuttajat", "organisation"): ("Organisaation virallinen nimi.", "The organisation's official name."),
    ("toteuttajat", "business_id"): ("Y-tunnus muodossa 1234567-8.", "Business ID, 1234567-8."),
    ("toteuttajat", "role"): ("päätoteuttaja tai osatoteuttaja.", "päätoteuttaja (lead) or osatoteuttaja (partner)."),
    ("rahoitus", "funder"): ("Rahoittaja tai rahasto, esim. ESR+, STEA, Lapin liitto.",
                             "Funder or fund, e.g. ESR+, STEA, Lapin liitto."),
    ("rahoitus", "programme"): ("Rahoitusohjelma, esim. Uudistuva ja osaava Suomi 2021–2027.",
                                "Funding programme, e.g. Uudistuva ja osaava Suomi 2021–2027."),
    ("rahoitus", "granting_authority"): ("Rahoituksen myöntänyt viranomainen, esim. Lapin ELY-keskus.",
                                         "The authority that granted it, e.g. Lapin ELY-keskus."),
    ("rahoitus", "year"): ("Vuosi, jota summa koskee (valinnainen).", "The year the amount is for (optional)."),
    ("rahoitus", "amount"): ("Summa euroina: 12500 tai 12500,50.", "Amount in euros: 12500 or 12500.50."),
    ("rahoitus", "kind"): ("Summan laji listasta, esim. myönnetty, toteutunut, suunniteltu, kokonaisbudjetti.",
                           "The amount's kind from the list, e.g. myönnetty (granted), toteutunut (realised)."),
    ("teemat", "theme"): ("Teema, esim. osallisuus, mielenterveys, turvallisuus.",
                          "A theme, e.g. osallisuus (inclusion), mielenterveys (mental health)."),
    ("kohderyhmat", "target_group"): ("Kohderyhmä, esim. nuoret, ikääntyneet, maahanmuuttajat.",
                                      "A target group, e.g. nuoret (young people), ikääntyneet (older people)."),
}

_INTRO = (
    ("Hankkeet-taulukon pohja", "Project spreadsheet template"),
    ("Täytä yksi rivi hanketta kohden välilehdelle hankkeet. Kunnat, toteuttajat, rahoitus, teemat ja kohderyhmät "
     "ovat omilla välilehdillään, yksi rivi arvoa kohden, hankekoodilla yhdistettynä: älä luettele useita arvoja "
     "samassa solussa.",
     "Fill in one row per project on the sheet hankkeet. Municipalities, implementers, funding, themes and target "
     "groups have sheets of their own, one row per value, joined by the project code: never list several values in "
     "one cell."),
    ("Päivämäärät muodossa 1.9.2023 tai 2023-09-01; summat euroina; Y-tunnus muodossa 1234567-8.",
     "Dates as 1.9.2023 or 2023-09-01; amounts in euros; business IDs as 1234567-8."),
    ("Tuo täytetty tiedosto: hyvinvointi-kg build --add hankkeet.xlsx. Virheellinen rivi nimetään (tiedosto, "
     "välilehti, rivi, sarake); --skip-bad-rows ohittaa virheelliset rivit ja luettelee ne.",
     "Import the filled file: hyvinvointi-kg build --add hankkeet.xlsx. A bad row is named (file, sheet, row, "
     "column); --skip-bad-rows leaves bad rows out and lists them."),
)
_ROWS = 1000  # rows given validation and formats below each header
_DATE_KEYS = {"start", "end"}


def write_template(path: Path, *, rows: Mapping[str, Sequence[Sequence[object]]] | None = None,
                   note: str | None = None) -> Path:
    """Write the project spreadsheet template: ``ohje``, the data sheets with their headers, ``listat``.

    Every data sheet has a frozen header row whose cells carry a comment (Finnish and
    English) saying what the column holds; date columns are formatted and checked as
    dates, amounts as non-negative numbers, and roles, amount kinds and municipalities
    are chosen from the lists on the ``listat`` sheet. The importer reads the empty
    template as zero projects.

    Parameters
    ----------
    path
        The .xlsx file to write.
    rows
        Rows to fill in, by sheet name, each in the order of the sheet's columns
        (dates as :class:`datetime.date`, amounts as numbers); for examples and fixtures.
    note
        A line written first on the ``ohje`` sheet (e.g. that the data is synthetic).

    Returns
    -------
    Path
        *path*.

    Raises
    ------
    InputError
        If *rows* names a sheet the format lacks, a row is longer than its sheet's
        columns, or the file cannot be written.

    Examples
    --------
    >>> import tempfile
    >>> from hyvinvointi_kg.ingest.spreadsheet import read_project_sheets
    >>> path = write_template(Path(tempfile.mkdtemp()) / "hankkeet.xlsx")
    >>> result = read_project_sheets(path)
    >>> result.projects, result.report.unknown_columns, result.report.unknown_sheets
    ((), (), ())
    """
    import xlsxwriter  # type: ignore[import-untyped]  # no py.typed
    from xlsxwriter.exceptions import FileCreateError  # type: ignore[import-untyped]

    rows = rows or {}
    unknown = set(rows) - set(SHEETS)
    if unknown:
        raise InputError(f"no sheet {sorted(unknown)[0]!r} in the template; sheets: {', '.join(SHEETS)}")
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                           "strings_to_numbers": False})
    book.set_properties({"title": "Hankkeet / Projects", "created": datetime(2024, 1, 1)})
    formats = {
        "header": book.add_format({"bold": True, "bottom": 1, "bg_color": "#E8EEF4"}),
        "date": book.add_format({"num_format": "d.m.yyyy"}),
        "euro": book.add_format({"num_format": '#,##0.00 "€"'}),
        "title": book.add_format({"bold": True, "font_size": 14}),
        "bold": book.add_format({"bold": True}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
    }
    _write_instructions(book.add_worksheet("ohje"), formats, note)
    lists = _lists()
    for name, spec in SHEETS.items():
        sheet = book.add_worksheet(name)
        sheet.freeze_panes(1, 0)
        for col, column in enumerate(spec.columns):
            fi, en = COLUMN_HELP.get((name, column.key)) or COLUMN_HELP[("*", column.key)]
            sheet.write_string(0, col, column.header, formats["header"])
            sheet.write_comment(0, col, f"{fi}\n\n{en}", {"x_scale": 2.2, "y_scale": 1.6})
            cell_format = formats["date"] if column.key in _DATE_KEYS else \
                formats["euro"] if column.key == "amount" else None
            sheet.set_column(col, col, 40 if column.key in ("name", "description", "lead", "organisation") else 20,
                             cell_format)
            _validate(sheet, col, column.key, lists)
        for r, values in enumerate(rows.get(name, ()), start=1):
            if len(values) > len(spec.columns):
                raise InputError(f"row {r} of sheet {name!r} has {len(values)} values for {len(spec.columns)} columns")
            for col, value in enumerate(values):
                _write_cell(sheet, r, col, value, formats)
    listed = book.add_worksheet("listat")
    for col, (title, values) in enumerate(lists.items()):
        listed.write_string(0, col, title, formats["header"])
        listed.set_column(col, col, 38)
        for r, value in enumerate(values, start=1):
            listed.write_string(r, col, value)
    try:
        book.close()
    except (FileCreateError, OSError) as err:
        raise InputError(f"{path}: cannot write the template: {err}") from err
    return path


def _lists() -> dict[str, list[str]]:
    return {
        "rooli": [names[0] for names in ROLES.values()],
        "summan laji": [names[0] for names in AMOUNT_KINDS.values()],
        "kunta": sorted((m.name_fi for m in load_municipalities()), key=str.casefold),
    }


def _validate(sheet: Any, col: int, key: str, lists: dict[str, list[str]]) -> None:
    """Validation of column *col* below the header: dates, amounts, list choices."""
    source = {"role": (0, "rooli", "stop"), "kind": (1, "summan laji", "stop"), "place": (2, "kunta", "information")}
    if key in _DATE_KEYS:
        sheet.data_validation(1, col, _ROWS, col, {
            "validate": "date", "criteria": "between", "minimum": date(1950, 1, 1), "maximum": date(2100, 12, 31),
            "error_title": "Päivämäärä / Date", "error_message": "Kirjoita päivämäärä, esim. 1.9.2023. / "
                                                                "Write a date, e.g. 1.9.2023."})
    elif key == "amount":
        sheet.data_validation(1, col, _ROWS, col, {
            "validate": "decimal", "criteria": ">=", "value": 0,
            "error_title": "Summa / Amount", "error_message": "Summa euroina, ei negatiivinen. / "
                                                             "An amount in euros, not negative."})
    elif key in source:
        index, title, error_type = source[key]
        letter = "ABC"[index]
        sheet.data_validation(1, col, _ROWS, col, {
            "validate": "list", "source": f"=listat!${letter}$2:${letter}${len(lists[title]) + 1}",
            "error_type": error_type, "error_title": title,
            "error_message": f"Valitse listasta ({title}). / Choose from the list."})


def _write_cell(sheet: Any, row: int, col: int, value: object, formats: dict[str, Any]) -> None:
    if value is None or value == "":
        return
    if isinstance(value, date):
        sheet.write_datetime(row, col, datetime(value.year, value.month, value.day), formats["date"])
    elif isinstance(value, bool):
        sheet.write_string(row, col, str(value))
    elif isinstance(value, int | float | Decimal):
        sheet.write_number(row, col, float(value))
    else:
        sheet.write_string(row, col, str(value))


def _write_instructions(sheet: Any, formats: dict[str, Any], note: str | None) -> None:
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 2, 70, formats["wrap"])
    row = 0
    if note:
        sheet.write_string(row, 0, note, formats["bold"])
        row += 2
    sheet.write_string(row, 0, f"{_INTRO[0][0]} / {_INTRO[0][1]}", formats["title"])
    row += 2
    sheet.write_row(row, 0, ("", "Suomeksi", "In English"), formats["header"])
    for fi, en in _INTRO[1:]:
        row += 1
        sheet.write_row(row, 1, (fi, en))
    row += 2
    sheet.write_row(row, 0, ("Välilehti ja sarake / Sheet and column", "Suomeksi", "In English"), formats["header"])
    for name, spec in SHEETS.items():
        row += 1
        sheet.write_row(row, 0, (name, *spec.about), formats["bold"])
        for column in spec.columns:
            row += 1
            fi, en = COLUMN_HELP.get((name, column.key)) or COLUMN_HELP[("*", column.key)]
            required = " (pakollinen / required)" if column.required else ""
            sheet.write_row(row, 0, (f"  {column.header}{required}", fi, en))
