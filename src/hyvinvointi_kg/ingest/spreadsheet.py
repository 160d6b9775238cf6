"""Our own project spreadsheet (``hankkeet`` and its long-format sheets) read into project records."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from hyvinvointi_kg.ingest.import_records import (
    BadInputError,
    BadRow,
    CellValue,
    ImportedAmount,
    ImportedFunding,
    ImportedImplementer,
    ImportedProject,
    ImportReport,
    ImportResult,
    Location,
    Role,
    SourceFile,
)
from hyvinvointi_kg.ingest.tabular import (
    Column,
    Header,
    PlaceLookup,
    RawSheet,
    RowReader,
    data_rows,
    file_sha256,
    find_header,
    header_key,
    read_sheets,
    stated_text,
)

__all__ = ["AMOUNT_KINDS", "IGNORED_SHEETS", "ROLES", "SHEETS", "SheetSpec", "read_project_sheets"]

#: Amount kinds by key (of the amount-kind scheme), each with the names accepted (Finnish first).
AMOUNT_KINDS: dict[str, tuple[str, ...]] = {
    "granted": ("myönnetty", "granted"),
    "realised": ("toteutunut", "realised", "spent"),
    "planned": ("suunniteltu", "planned"),
    "applied": ("haettu", "applied"),
    "proposed": ("ehdotettu", "proposed"),
    "total-budget": ("kokonaisbudjetti", "total budget", "hankkeen kokonaisbudjetti"),
    "total-budget-incl-municipal-share": ("kokonaisbudjetti kuntien osuus mukaan lukien",
                                          "total budget including the municipalities' share"),
    "granted-eu-state": ("myönnetty EU- ja valtion rahoitus", "EU and state funding granted"),
    "planned-eu-state": ("suunniteltu EU- ja valtion rahoitus", "planned EU and state funding"),
    "realised-eu-state": ("toteutunut EU- ja valtion rahoitus", "EU and state funding used"),
    "planned-public-total": ("suunniteltu julkinen rahoitus yhteensä", "planned public funding (total)"),
    "realised-public-total": ("toteutunut julkinen rahoitus yhteensä", "realised public funding (total)"),
    "planned-total": ("suunniteltu rahoitus yhteensä", "planned funding (total)"),
    "realised-total": ("toteutunut rahoitus yhteensä", "realised funding (total)"),
    "realised-eu": ("toteutunut EU-rahoitus", "EU funding used"),
}

#: Roles by key, each with the names accepted (Finnish first).
ROLES: dict[Role, tuple[str, ...]] = {
    "lead": ("päätoteuttaja", "lead", "lead implementer", "hakija"),
    "partner": ("osatoteuttaja", "partner", "co-implementer", "yhteistyökumppani"),
}

#: Sheets a workbook may have besides the data: the template's instructions and lists.
IGNORED_SHEETS = ("ohje", "instructions", "listat", "lists")


@dataclass(frozen=True)
class SheetSpec:
    """A sheet of the format: name, accepted other names, columns, and what it holds (fi, en)."""

    name: str
    aliases: tuple[str, ...]
    columns: tuple[Column, ...]
    about: tuple[str, str]


def _code() -> Column:
    return Column("code", ("hankekoodi", "project code", "code"), required=True)


#: The sheets in order; ``hankkeet`` is required, the others optional.
SHEETS: dict[str, SheetSpec] = {s.name: s for s in (
    SheetSpec("hankkeet", ("projects",), (
        _code(),
        Column("name", ("hankkeen nimi", "nimi", "project name", "name"), required=True),
        Column("lead", ("päätoteuttaja", "lead implementer", "lead"), required=True),
        Column("lead_business_id", ("päätoteuttajan y-tunnus", "lead business id")),
        Column("start", ("alkupäivä", "alkupvm", "aloituspvm", "start date", "start")),
        Column("end", ("loppupäivä", "loppupvm", "päättymispvm", "end date", "end")),
        Column("status", ("tila", "status")),
        Column("description", ("kuvaus", "tiivistelmä", "description", "summary")),
        Column("homepage", ("kotisivu", "homepage", "website")),
    ), ("Yksi rivi hanketta kohden.", "One row per project.")),
    SheetSpec("kunnat", ("municipalities",), (
        _code(),
        Column("place", ("kunta", "municipality"), required=True),
    ), ("Hankkeen toteutuskunnat: rivi kuntaa kohden (nimi tai kuntanumero; myös maakunta tai 'koko Suomi').",
        "Where the project acts: a row per municipality (name or code; also a region or 'koko Suomi').")),
    SheetSpec("toteuttajat", ("implementers",), (
        _code(),
        Column("organisation", ("organisaatio", "organisation"), required=True),
        Column("business_id", ("y-tunnus", "business id")),
        Column("role", ("rooli", "role"), required=True),
    ), ("Toteuttajat rooleineen (päätoteuttaja tai osatoteuttaja).",
        "Implementers with their role (lead or partner).")),
    SheetSpec("rahoitus", ("funding",), (
        _code(),
        Column("funder", ("rahoittaja", "funder"), required=True),
        Column("programme", ("ohjelma", "programme")),
        Column("granting_authority", ("myöntäjä", "granting authority")),
        Column("year", ("vuosi", "year")),
        Column("amount", ("summa", "amount")),
        Column("kind", ("summan laji", "amount kind")),
    ), ("Rahoitusrivit: rahoittaja, ohjelma, summa euroina ja summan laji.",
        "Funding lines: funder, programme, amount in euros and its kind.")),
    SheetSpec("teemat", ("themes",), (
        _code(), Column("theme", ("teema", "theme"), required=True),
    ), ("Hankkeen teemat, rivi teemaa kohden.", "The project's themes, a row per theme.")),
    SheetSpec("kohderyhmat", ("kohderyhmät", "target groups"), (
        _code(), Column("target_group", ("kohderyhmä", "target group"), required=True),
    ), ("Hankkeen kohderyhmät, rivi kohderyhmää kohden.", "The project's target groups, a row per group.")),
)}


def _sheet_key(name: str) -> str | None:
    key = header_key(name)
    return next((s.name for s in SHEETS.values() if key in {header_key(n) for n in (s.name, *s.aliases)}), None)


def _open(path: Path) -> tuple[dict[str, RawSheet], list[str], list[Path]]:
    """The sheets by name, the names of sheets not read, the files read."""
    if path.is_dir():
        files = sorted(path.glob("*.csv"))
        named = [(f.stem, f) for f in files]
    elif path.suffix.casefold() == ".csv":
        base = next((path.name[: -len(f"{n}.csv")] for s in SHEETS.values() for n in (s.name, *s.aliases)
                     if header_key(path.name).endswith(header_key(f"{n}.csv"))), None)
        if base is None:
            return {}, [path.name], [path]
        files = sorted(f for f in path.parent.glob(f"{base}*.csv"))
        named = [(f.stem[len(base):], f) for f in files]
    else:
        sheets = read_sheets(path)
        found = {key: s for s in sheets if (key := _sheet_key(s.sheet))}
        other = [s.sheet for s in sheets if not _sheet_key(s.sheet) and header_key(s.sheet) not in IGNORED_SHEETS]
        return found, other, [path]
    found, other, read = {}, [], []
    for name, file in named:
        key = _sheet_key(name)
        if key:
            found[key] = read_sheets(file, sheet=key)[0]
            read.append(file)
        else:
            other.append(file.name)
    return found, other, read


def _lookup(names: dict[str, tuple[str, ...]], text: str) -> str | None:
    key = header_key(text)
    return next((k for k, accepted in names.items() if key in {header_key(n) for n in (k, *accepted)}), None)


def read_project_sheets(path: Path, *, skip_bad_rows: bool = False,
                        places: PlaceLookup | None = None) -> ImportResult:
    """Read our project spreadsheet: an .xlsx workbook, a folder of CSV files or one ``<base>_<sheet>.csv``.

    The ``hankkeet`` sheet has one row per project; ``kunnat``, ``toteuttajat``,
    ``rahoitus``, ``teemat`` and ``kohderyhmat`` (all optional) one row per project
    and value, joined by the project code (see ``docs/import.md``).

    Parameters
    ----------
    path
        The workbook, a folder holding ``hankkeet.csv`` (and the other sheets' files),
        or one of the files ``<base>_hankkeet.csv``, ``<base>_kunnat.csv``, ….
    skip_bad_rows
        Leave bad rows out (listed in the report's ``skipped``) instead of failing.
    places
        The municipalities known (default: ``data/reference/municipalities_fi.csv``).

    Raises
    ------
    BadInputError
        Naming file, sheet, row and column of every problem: a missing sheet or
        required column, a missing required value, an unknown municipality, role or
        amount kind, an impossible date, a malformed business ID, a duplicate row, a
        row about a project code the ``hankkeet`` sheet lacks. With *skip_bad_rows*
        only the problems that leave nothing to read (file, sheet, header).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "hankkeet.csv").write_text(
    ...     "hankekoodi,hankkeen nimi,päätoteuttaja,alkupäivä\\nP1,Kylätalo,Lapin Nuoret ry,1.9.2023\\n")
    >>> _ = (folder / "kunnat.csv").write_text("hankekoodi,kunta\\nP1,Savukoski\\n")
    >>> project = read_project_sheets(folder).projects[0]
    >>> project.key, project.start.value.isoformat(), project.places[0].code, str(project.places[0].cell.location)
    ('P1', '2023-09-01', '742', "kunnat.csv, sheet 'kunnat', row 2, column 'kunta'")
    """
    places = places or PlaceLookup()
    sheets, unknown_sheets, files = _open(path)
    if "hankkeet" not in sheets:
        found = ", ".join(repr(s) for s in [*sheets, *unknown_sheets]) or "none"
        raise BadInputError((BadRow(Location(path.name, "", 1),
                                    f"not a project spreadsheet: no sheet 'hankkeet' (sheets found: {found})"),))
    headers: dict[str, Header] = {}
    problems: list[BadRow] = []
    for name, sheet in sheets.items():
        try:
            headers[name] = find_header(sheet, SHEETS[name].columns, search_rows=1)
        except BadInputError as err:
            problems += err.bad_rows
    if problems:
        raise BadInputError(tuple(problems))

    bad: list[BadRow] = []
    projects: dict[str, ImportedProject] = {}
    bad_codes: dict[str, int] = {}
    rows_read = 0

    def rows(name: str) -> list[RowReader]:
        nonlocal rows_read
        if name not in headers:
            return []
        seen: dict[tuple[str, ...], int] = {}
        result = []
        for number, values in data_rows(headers[name]):
            rows_read += 1
            reader = RowReader(headers[name], number, values)
            first = seen.setdefault(reader.signature(), number)
            if first != number:
                reader.fail(None, f"duplicate of row {first}")
            result.append(reader)
        return result

    for row in rows("hankkeet"):
        project = _project(row)
        code = stated_text(row.raw("code")) or None
        if code in projects:
            row.fail("code", f"project code {code!r} is already on row {projects[code].row.row}")
        if row.problems or project is None or code is None:
            bad += row.problems
            if code is not None and code not in projects:
                bad_codes[code] = row.row
            continue
        projects[code] = project

    readers: dict[str, Callable[[RowReader], Callable[[ImportedProject], ImportedProject] | None]] = {
        "kunnat": lambda r: _adder("places", r.place("place", places, required=True)),
        "teemat": lambda r: _adder("themes", r.text("theme", required=True)),
        "kohderyhmat": lambda r: _adder("target_groups", r.text("target_group", required=True)),
        "toteuttajat": lambda r: _adder("implementers", _implementer(r)),
        "rahoitus": _funding_adder,
    }
    for name, read in readers.items():
        for row in rows(name):
            code_cell = row.text("code", required=True)
            add = read(row)
            code = code_cell.text if code_cell else None
            if code is not None and code not in projects:
                if code in bad_codes:
                    bad += [BadRow(row.location("code"), f"project {code!r} is not imported (its row "
                                   f"{bad_codes[code]} on sheet 'hankkeet' is bad)")] if skip_bad_rows else row.problems
                    continue
                row.fail("code", f"no project with code {code!r} on sheet 'hankkeet'")
            if row.problems or add is None or code is None:
                bad += row.problems
                continue
            projects[code] = add(replace(projects[code], other=projects[code].other + row.cells(())))
    if bad and not skip_bad_rows:
        raise BadInputError(tuple(bad))
    report = ImportReport(
        file=path.name, format="hankkeet",
        sources=tuple(SourceFile(f.name, file_sha256(f)) for f in files), rows_read=rows_read,
        unknown_columns=tuple(h.location(i) for h in headers.values() for i in h.unknown),
        unknown_sheets=tuple(unknown_sheets), skipped=tuple(bad),
    )
    return ImportResult(tuple(projects.values()), report)


def _project(row: RowReader) -> ImportedProject | None:
    code, name, lead = (row.text(k, required=True) for k in ("code", "name", "lead"))
    start, end = row.date("start"), row.date("end")
    if start and end and end.value < start.value:
        row.fail("end", f"the project ends ({end.cell.text}) before it starts ({start.cell.text})")
    lead_id = row.business_id("lead_business_id")
    if code is None or name is None or lead is None:
        return None
    implementer = ImportedImplementer(lead, CellValue("lead", lead, f"named in the column {lead.location.column!r}"),
                                      lead_id)
    return ImportedProject(
        key=code.text, row=row.location(), name=name, code=code, start=start, end=end,
        status=row.text("status"), description=row.text("description"), homepage=row.text("homepage"),
        implementers=(implementer,), other=row.cells(()),
    )


def _adder(field: str, value: object) -> Callable[[ImportedProject], ImportedProject] | None:
    if value is None:
        return None
    def add(project: ImportedProject) -> ImportedProject:
        changes: dict[str, Any] = {field: (*getattr(project, field), value)}
        return replace(project, **changes)

    return add


def _implementer(row: RowReader) -> ImportedImplementer | None:
    name, role_cell = row.text("organisation", required=True), row.text("role", required=True)
    business_id = row.business_id("business_id")
    key = header_key(role_cell.text) if role_cell else ""
    role = next((r for r, names in ROLES.items() if key in {header_key(n) for n in names}), None)
    if role_cell and role is None:
        row.fail("role", f"unknown role {role_cell.text!r}; write päätoteuttaja or osatoteuttaja")
    if name is None or role_cell is None or role is None:
        return None
    return ImportedImplementer(name, CellValue(role, role_cell), business_id)


def _funding_adder(row: RowReader) -> Callable[[ImportedProject], ImportedProject] | None:
    funder = row.text("funder", required=True)
    programme, authority = row.text("programme"), row.text("granting_authority")
    year, amount = row.year("year"), row.amount("amount")
    kind_cell = row.text("kind", required=amount is not None)
    kind = _lookup(AMOUNT_KINDS, kind_cell.text) if kind_cell else None
    if kind_cell and kind is None:
        row.fail("kind", f"unknown amount kind {kind_cell.text!r}; write e.g. myönnetty, toteutunut, "
                         "suunniteltu or kokonaisbudjetti")
    if kind_cell and amount is None and "amount" in row.header.columns and not row.text("amount"):
        row.fail("kind", f"an amount kind ({kind_cell.text!r}) without an amount")
    if funder is None or row.problems:
        return None
    key = " / ".join(c.text for c in (funder, programme, authority) if c) + (f" / {year.value}" if year else "")
    amounts = (ImportedAmount(CellValue(kind, kind_cell), amount),) if amount and kind and kind_cell else ()

    def add(project: ImportedProject) -> ImportedProject:
        lines = list(project.funding)
        index = next((i for i, f in enumerate(lines) if f.key == key), None)
        if index is None:
            lines.append(ImportedFunding(key, CellValue(funder.text, funder), programme, authority,
                                         year=year, amounts=amounts))
        else:
            lines[index] = replace(lines[index], amounts=lines[index].amounts + amounts)
        return replace(project, funding=tuple(lines))

    return add
