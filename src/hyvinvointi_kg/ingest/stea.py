"""The STEA grants register (one row per grant decision and year) read into project records."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TypeVar

from hyvinvointi_kg.ingest.import_records import (
    BadInputError,
    BadRow,
    Cell,
    CellValue,
    ImportedAmount,
    ImportedFunding,
    ImportedImplementer,
    ImportedProject,
    ImportReport,
    ImportResult,
    SourceFile,
    TurnedDownApplication,
)
from hyvinvointi_kg.ingest.tabular import (
    Column,
    Header,
    PlaceLookup,
    RowReader,
    data_rows,
    file_sha256,
    find_header,
    header_key,
    read_sheets,
)
from hyvinvointi_kg.namespaces import slugify

__all__ = ["STEA_AMOUNTS", "STEA_COLUMNS", "read_stea"]

#: The register's columns, by key, as its header writes them. All are required.
STEA_COLUMNS: tuple[Column, ...] = tuple(Column(key, (header,), required=True) for key, header in (
    ("organisation", "jarjesto"), ("business_id", "y_tunnus"), ("year", "vuosi"),
    ("purpose", "kayttotarkoitus"), ("grant_type", "avustuslaji"), ("area", "alue"),
    ("grant_group", "avustuskokonaisuus"), ("organisation_class", "jarjestoluokka"),
    ("applied", "haettu"), ("proposed", "ehdotettu"), ("granted", "myonnetty"),
))

#: Amount columns by key, with the amount kind (a key of the amount-kind scheme) each states.
STEA_AMOUNTS: dict[str, str] = {"applied": "applied", "proposed": "proposed", "granted": "granted"}

T = TypeVar("T")
FUNDER_RULE = "the STEA register lists the grants STEA decides"


def read_stea(path: Path, *, skip_bad_rows: bool = False, places: PlaceLookup | None = None) -> ImportResult:
    """Read the STEA grants register (.xlsx or .csv): a project per organisation and purpose, a funding line per year.

    Rows of one organisation (business ID) and purpose (``kayttotarkoitus``) are one
    project, keyed ``stea:<business ID>:<purpose slug>``, whose period runs from 1
    January of the first year to 31 December of the last. A row granting nothing
    (``myonnetty`` = 0) is an application that was turned down: it is no grant and
    makes no project, and the report lists it in ``turned_down``.

    Parameters
    ----------
    path
        The register export.
    skip_bad_rows
        Leave bad rows out (listed in the report's ``skipped``) instead of failing.
    places
        The municipalities known (default: ``data/reference/municipalities_fi.csv``).

    Raises
    ------
    BadInputError
        Naming file, sheet, row and column of every problem: a missing or renamed
        column, a missing required value (organisation, business ID, year, purpose,
        granted amount), a malformed business ID, an unknown municipality or region
        (``alue``), a year or amount that is not one, a duplicate row.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "stea.csv"
    >>> _ = path.write_text(
    ...     "jarjesto;y_tunnus;vuosi;kayttotarkoitus;avustuslaji;alue;avustuskokonaisuus;jarjestoluokka;"
    ...     "haettu;ehdotettu;myonnetty\\n"
    ...     "Lapin Nuoret ry;1762900-8;2023;Nuorten kohtaamo;C;Savukoski;Osallisuus;Nuoriso;90000;80000;80000\\n"
    ...     "Lapin Nuoret ry;1762900-8;2024;Nuorten kohtaamo;C;Savukoski;Osallisuus;Nuoriso;90000;0;0\\n",
    ...     encoding="utf-8")
    >>> result = read_stea(path)
    >>> [(p.key, p.start.value.year, p.end.value.year, len(p.funding)) for p in result.projects]
    [('stea:1762900-8:nuorten-kohtaamo', 2023, 2023, 1)]
    >>> [(t.row.row, t.year.value) for t in result.report.turned_down]
    [(3, 2024)]
    """
    places = places or PlaceLookup()
    sheet = read_sheets(path)[0]
    header = find_header(sheet, STEA_COLUMNS)
    bad: list[BadRow] = []
    turned_down: list[TurnedDownApplication] = []
    projects: dict[str, ImportedProject] = {}
    seen: dict[tuple[str, ...], int] = {}
    grants: dict[tuple[str, ...], int] = {}
    rows_read = 0
    for number, values in data_rows(header):
        rows_read += 1
        row = RowReader(header, number, values)
        first = seen.setdefault(row.signature(), number)
        if first != number:
            row.fail(None, f"duplicate of row {first}")
        organisation, purpose = row.text("organisation", required=True), row.text("purpose", required=True)
        business_id = row.business_id("business_id", required=True)
        year = row.year("year", required=True)
        grant_type = row.text("grant_type")
        amounts = {key: row.amount(key, required=key == "granted") for key in STEA_AMOUNTS}
        place = row.place("area", places)
        if organisation and purpose and business_id and year:
            grant = (business_id.value, header_key(purpose.text), str(year.value),
                     header_key(grant_type.text) if grant_type else "")
            earlier = grants.setdefault(grant, number)
            if earlier != number and first == number:
                row.fail(None, f"the same grant (organisation, year, purpose and grant type) is on row {earlier}")
        if row.problems or not (organisation and purpose and business_id and year and amounts["granted"]):
            bad += row.problems
            continue
        if amounts["granted"].value == 0:
            turned_down.append(TurnedDownApplication(row.location(), organisation, purpose, year, amounts["applied"]))
            continue
        key = f"stea:{business_id.value}:{slugify(purpose.text)}"
        funding = ImportedFunding(
            key=f"STEA {grant_type.text if grant_type else ''} {year.value}".replace("  ", " "),
            funder=CellValue("STEA", amounts["granted"].cell, FUNDER_RULE), instrument=grant_type, year=year,
            amounts=tuple(ImportedAmount(CellValue(kind, _header_cell(header, column), "the amount kind of the column"),
                                         value)
                          for column, kind in STEA_AMOUNTS.items() if (value := amounts[column]) is not None),
        )
        project = projects.get(key) or ImportedProject(key=key, row=row.location(), name=purpose)
        lead = ImportedImplementer(organisation, CellValue("lead", organisation, "STEA grants go to the organisation "
                                                                                  "that runs the activity"),
                                   business_id, organisation_type=row.text("organisation_class"))
        group = row.text("grant_group")
        projects[key] = replace(
            project,
            implementers=_add(project.implementers, lead, lambda i: i.name.text),
            places=_add(project.places, place, lambda p: (p.kind, p.code)),
            themes=_add(project.themes, group, lambda c: c.text),
            funding=(*project.funding, funding),
        )
    if bad and not skip_bad_rows:
        raise BadInputError(tuple(bad))
    report = ImportReport(
        file=path.name, format="stea", sources=(SourceFile(path.name, file_sha256(path)),), rows_read=rows_read,
        unknown_columns=tuple(header.location(i) for i in header.unknown), skipped=tuple(bad),
        turned_down=tuple(turned_down),
    )
    return ImportResult(tuple(_with_period(p) for p in projects.values()), report)


def _add(items: tuple[T, ...], item: T | None, key: Callable[[T], Hashable]) -> tuple[T, ...]:
    """*items* with *item* appended unless ``None`` or already there by *key*."""
    if item is None or any(key(i) == key(item) for i in items):
        return items
    return (*items, item)


def _header_cell(header: Header, key: str) -> Cell:
    location = header.location(header.columns[key])
    return Cell(location.column or key, location)


def _with_period(project: ImportedProject) -> ImportedProject:
    years = sorted((f.year for f in project.funding if f.year is not None), key=lambda y: y.value)
    if not years:
        return project
    return replace(project,
                   start=CellValue(date(years[0].value, 1, 1), years[0].cell, "a STEA grant is for a calendar year: "
                                                                              "1 January of the first year"),
                   end=CellValue(date(years[-1].value, 12, 31), years[-1].cell, "a STEA grant is for a calendar "
                                                                                "year: 31 December of the last year"))
