"""The EURA 2021–2027 project report (Excel export of eura2021.fi) read into project records."""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from hyvinvointi_kg._resources import resource_dir
from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.ingest.import_records import (
    BadInputError,
    BadRow,
    Cell,
    CellValue,
    ImportedAmount,
    ImportedFunding,
    ImportedImplementer,
    ImportedPlace,
    ImportedProject,
    ImportReport,
    ImportResult,
    SourceFile,
)
from hyvinvointi_kg.ingest.tabular import (
    Column,
    Header,
    PlaceLookup,
    RowReader,
    data_rows,
    file_sha256,
    find_header,
    read_sheets,
    stated_text,
)

__all__ = ["EURA2021_AMOUNTS", "EURA2021_COLUMNS", "PostalTown", "load_postal_towns", "read_eura2021"]

#: The report's columns in order, by key, as its header writes them (trimmed: the export writes
#: ``Hankekoodi`` with a trailing space and ``Hankekuvauksen osoite`` with a line break). All are required.
EURA2021_COLUMNS: tuple[Column, ...] = tuple(Column(key, (header,), required=True) for key, header in (
    ("code", "Hankekoodi"), ("group_code", "Ryhmähanketunnus"), ("fund", "Rahasto"),
    ("fund_subtype", "EAKR-/JTF-alatyyppi"), ("policy_axis", "Tl"), ("specific_objective", "Et"),
    ("name", "Hankkeen nimi"), ("beneficiary", "Toteuttajan nimi"), ("business_id", "Toteuttajan Y-tunnus"),
    ("authority", "Rahoittava viranomainen"), ("status", "Toiminnan tila"), ("start", "Aloituspvm"),
    ("end", "Päättymispvm"),
    ("planned_eu_state", "Suunniteltu EU- ja valtion rahoitus"),
    ("planned_public", "Suunniteltu julkinen rahoitus"),
    ("planned_total", "Suunniteltu rahoitus yhteensä"),
    ("realised_eu_state", "Toteutunut EU- ja valtion rahoitus"),
    ("realised_public", "Toteutunut julkinen rahoitus"),
    ("realised_total", "Toteutunut rahoitus yhteensä"),
    ("realised_eu", "Toteutunut EU-rahoituksen määrä"),
    ("intervention_field", "Tukitoimen ala"), ("location", "Sijainti"),
    ("site_postcode", "Toteutuspaikan postinumero"), ("site_town", "Toteutuspaikan postitoimipaikka"),
    ("beneficiary_postcode", "Tuensaajan postinumero"), ("beneficiary_town", "Tuensaajan postitoimipaikka"),
    ("form_of_support", "Tukimuoto"),
    ("territorial", "Alueellinen täytäntöönpanomekanismi ja alueellinen painopiste"),
    ("economic_activity", "Taloudellinen toiminta"), ("esf_secondary_theme", "Toissijainen teema, vain ESR+"),
    ("gender_equality", "Sukupuolten tasa-arvo"), ("baltic_strategy", "Itämeren alueen strategia"),
    ("summary", "Suunnitelman mukainen tiivistelmä hankkeen toteutuksesta"),
    ("description_url", "Hankekuvauksen osoite"), ("homepage", "Hankkeen kotisivun osoite"),
))

#: Amount columns by key, with the amount kind (a key of the amount-kind scheme) each states.
EURA2021_AMOUNTS: dict[str, str] = {
    "planned_eu_state": "planned-eu-state", "planned_public": "planned-public-total",
    "planned_total": "planned-total", "realised_eu_state": "realised-eu-state",
    "realised_public": "realised-public-total", "realised_total": "realised-total", "realised_eu": "realised-eu",
}

# Columns read into no field of their own: kept as stated text in ImportedProject.other.
_KEPT = ("group_code", "fund_subtype", "intervention_field", "site_postcode", "beneficiary_postcode",
         "form_of_support", "territorial", "economic_activity", "esf_secondary_theme", "gender_equality",
         "baltic_strategy", "description_url")
FOOTER_ROWS = 2
"""The report ends with this many rows that are not projects."""

_POSTAL_TOWN_COLUMNS = ("postal_town", "postal_code", "municipality_code", "municipality", "evidence")


@dataclass(frozen=True)
class PostalTown:
    """A post office (postitoimipaikka) whose name is not a municipality's, and the municipality it is in.

    ``postal_code`` is given only where the evidence shows it; ``evidence`` says where
    the row was verified (``data/reference/postal_towns.csv``).
    """

    name: str
    municipality_code: str
    municipality: str
    evidence: str
    postal_code: str | None = None


def load_postal_towns(path: Path | None = None) -> tuple[PostalTown, ...]:
    """Read the post offices of Lapland that are not municipality names (``data/reference/postal_towns.csv``).

    Raises
    ------
    InputError
        If the file lacks a column, a row lacks a name, municipality code or
        evidence, a postal code is not five digits, a name is listed twice, or a
        postal code is listed for two municipalities (the message names the file
        and the row).

    Examples
    --------
    >>> towns = {t.name: t for t in load_postal_towns()}
    >>> towns["IVALO"].municipality, towns["IVALO"].municipality_code, towns["IVALO"].postal_code
    ('Inari', '148', '99800')
    >>> towns["PALLASTUNTURI"].municipality  # moved from Kittilä to Muonio in 2004
    'Muonio'
    """
    path = path or resource_dir("data/reference") / "postal_towns.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in _POSTAL_TOWN_COLUMNS if c not in (reader.fieldnames or ())]
        if missing:
            raise InputError(f"{path}: missing column(s) {', '.join(missing)}")
        towns: list[PostalTown] = []
        for number, row in enumerate(reader, start=2):
            name, code = row["postal_town"].strip(), row["municipality_code"].strip()
            postal_code = row["postal_code"].strip() or None
            if not (name and re.fullmatch(r"\d{3}", code) and row["evidence"].strip()):
                raise InputError(f"{path}, row {number}: a name, a three-digit municipality code and the evidence "
                                 "are required")
            if postal_code is not None and not re.fullmatch(r"\d{5}", postal_code):
                raise InputError(f"{path}, row {number}: postal code {postal_code!r} is not five digits")
            if any(t.name.casefold() == name.casefold() for t in towns):
                raise InputError(f"{path}, row {number}: {name} is already listed")
            if any(t.postal_code == postal_code and t.municipality_code != code for t in towns if postal_code):
                raise InputError(f"{path}, row {number}: postal code {postal_code} is already listed for "
                                 "another municipality")
            towns.append(PostalTown(name, code, row["municipality"].strip(), row["evidence"].strip(), postal_code))
    return tuple(towns)


def read_eura2021(path: Path, *, skip_bad_rows: bool = False, places: PlaceLookup | None = None,
                  postal_towns: Sequence[PostalTown] | None = None) -> ImportResult:
    """Read a EURA 2021–2027 project report (.xlsx, or .csv saved from it): one project per row.

    The header row is found among the first rows and its cells matched after
    trimming spaces and line breaks; the last two rows are the report's footer and
    are not read (listed in the report's ``ignored_rows``). A missing amount may be
    an empty cell or an empty string. The project's place is the municipality of
    the implementation site (``Toteutuspaikan postitoimipaikka``, else ``Sijainti``),
    never the beneficiary's head office (``Tuensaajan postitoimipaikka``, the lead's
    ``domicile``).

    Parameters
    ----------
    path
        The report.
    skip_bad_rows
        Leave bad rows out (listed in the report's ``skipped``) instead of failing.
    places
        The municipalities known (default: ``data/reference/municipalities_fi.csv``).
    postal_towns
        Post offices that are not municipality names (default:
        :func:`load_postal_towns`, ``data/reference/postal_towns.csv``).

    Raises
    ------
    BadInputError
        Naming file, sheet, row and column of every problem: a missing or renamed
        column (with the closest header), a missing required value (code, fund, name,
        beneficiary, business ID, dates), an impossible date, a malformed business ID,
        an unknown municipality (a site post office that is neither a municipality nor
        a listed post office, when neither its postal code nor ``Sijainti`` resolves
        it), a duplicate row or project code, a footer that looks like a project.

    Examples
    --------
    >>> import csv, tempfile
    >>> path = Path(tempfile.mkdtemp()) / "eura2021.csv"
    >>> stated = {"Hankekoodi": "S30101", "Rahasto": "ESR+", "Hankkeen nimi": "Kylä kantaa",
    ...           "Toteuttajan nimi": "Lapin Nuoret ry", "Toteuttajan Y-tunnus": "1762900-8",
    ...           "Aloituspvm": "1.9.2023", "Päättymispvm": "31.8.2025", "Suunniteltu julkinen rahoitus": "240000",
    ...           "Toteutunut julkinen rahoitus": "", "Toteutuspaikan postitoimipaikka": "SAVUKOSKI",
    ...           "Tuensaajan postitoimipaikka": "ROVANIEMI"}
    >>> with path.open("w", newline="", encoding="utf-8") as out:
    ...     writer = csv.writer(out)
    ...     _ = writer.writerow(c.header for c in EURA2021_COLUMNS)
    ...     _ = writer.writerow(stated.get(c.header, "") for c in EURA2021_COLUMNS)
    ...     writer.writerows([["Yhteensä"], ["Raportti luotu 2.1.2025"]])
    >>> project = read_eura2021(path).projects[0]
    >>> project.places[0].code, project.implementers[0].domicile.text  # a Savukoski project run from Rovaniemi
    ('742', 'ROVANIEMI')
    >>> [(a.kind.value, a.value.value) for a in project.funding[0].amounts]
    [('planned-public-total', Decimal('240000'))]
    """
    places = places or PlaceLookup()
    towns = _PostalTowns(load_postal_towns() if postal_towns is None else postal_towns)
    sheet = read_sheets(path)[0]
    header = find_header(sheet, EURA2021_COLUMNS)
    rows = list(data_rows(header))
    body, footer = rows[:-FOOTER_ROWS], rows[-FOOTER_ROWS:]
    bad: list[BadRow] = []
    ignored: list[BadRow] = []
    for number, values in footer:
        reader = RowReader(header, number, values)
        if all(reader.text(k) for k in ("code", "name", "business_id")):
            bad.append(BadRow(reader.location(), "the last two rows of the report are its footer, but this one "
                                                 "reads like a project: is the footer missing?"))
        else:
            text = next(t for t in map(stated_text, values) if t)
            ignored.append(BadRow(reader.location(), f"footer row ({text[:60]!r})"))
    if len(footer) < FOOTER_ROWS:
        bad.append(BadRow(header.location(0), f"expected at least the {FOOTER_ROWS} footer rows below the header"))

    projects: dict[str, ImportedProject] = {}
    seen: dict[tuple[str, ...], int] = {}
    for number, values in body:
        reader = RowReader(header, number, values)
        first = seen.setdefault(reader.signature(), number)
        if first != number:
            reader.fail(None, f"duplicate of row {first}")
        project = _project(reader, header, places, towns)
        if project is not None and project.key in projects:
            reader.fail("code", f"project code {project.key!r} is already on row {projects[project.key].row.row}")
        if reader.problems or project is None:
            bad += reader.problems
            continue
        projects[project.key] = project
    if bad and not skip_bad_rows:
        raise BadInputError(tuple(bad))
    report = ImportReport(
        file=path.name, format="eura2021", sources=(SourceFile(path.name, file_sha256(path)),),
        rows_read=len(body), unknown_columns=tuple(header.location(i) for i in header.unknown),
        skipped=tuple(bad), ignored_rows=tuple(ignored),
    )
    return ImportResult(tuple(projects.values()), report)


def _project(row: RowReader, header: Header, places: PlaceLookup, towns: _PostalTowns) -> ImportedProject | None:
    code, fund, name, beneficiary = (row.text(k, required=True) for k in ("code", "fund", "name", "beneficiary"))
    business_id = row.business_id("business_id", required=True)
    start, end = row.date("start", required=True), row.date("end", required=True)
    if start and end and end.value < start.value:
        row.fail("end", f"the project ends ({end.cell.text}) before it starts ({start.cell.text})")
    amounts = []
    for key, kind in EURA2021_AMOUNTS.items():
        amount = row.amount(key)
        if amount is not None:
            heading = header.location(header.columns[key])
            amounts.append(ImportedAmount(CellValue(kind, Cell(heading.column or key, heading),
                                                    "the amount kind of the column"), amount))
    project_places = _places(row, places, towns)
    if code is None or fund is None or name is None or beneficiary is None or row.problems:
        return None
    funding = ImportedFunding(
        key=fund.text, funder=CellValue(fund.text, fund), granting_authority=row.text("authority"),
        policy_axis=row.text("policy_axis"), specific_objective=row.text("specific_objective"),
        amounts=tuple(amounts),
    )
    lead = ImportedImplementer(beneficiary, CellValue("lead", beneficiary, "EURA names the lead implementer as "
                                                                           "'Toteuttajan nimi'"),
                               business_id, domicile=row.text("beneficiary_town"))
    return ImportedProject(
        key=code.text, row=row.location(), name=name, code=code, start=start, end=end,
        status=row.text("status"), description=row.text("summary"), homepage=row.text("homepage"),
        places=project_places, implementers=(lead,), funding=(funding,), other=row.cells(_KEPT),
    )


class _PostalTowns:
    """The post offices of :func:`load_postal_towns` by name and by postal code."""

    def __init__(self, towns: Sequence[PostalTown]) -> None:
        self.by_name = {t.name.casefold(): t for t in towns}
        self.by_code = {t.postal_code: t for t in towns if t.postal_code}


def _site(row: RowReader, places: PlaceLookup, towns: _PostalTowns) -> ImportedPlace | None:
    """The implementation site's municipality: by its post office's name, else by its postal code."""
    town, postcode = row.text("site_town"), row.text("site_postcode")
    if town is not None:
        place = places.find(town.text)
        if place is not None and place[0] == "municipality":
            return ImportedPlace(place[0], place[1], town, "the implementation site's post office is the "
                                                           "municipality's name")
        known = towns.by_name.get(" ".join(town.text.split()).casefold())
        if known is not None:
            return ImportedPlace("municipality", known.municipality_code, town,
                                 f"post office {known.name} is in {known.municipality} "
                                 "(data/reference/postal_towns.csv)")
    digits = postcode.text.strip() if postcode is not None else ""
    known = towns.by_code.get(digits.zfill(5)) if digits.isdigit() and len(digits) <= 5 else None
    if postcode is not None and known is not None:
        return ImportedPlace("municipality", known.municipality_code, postcode,
                             f"postal code {known.postal_code} is {known.name}'s, in {known.municipality} "
                             "(data/reference/postal_towns.csv)")
    return None


def _places(row: RowReader, places: PlaceLookup, towns: _PostalTowns) -> tuple[ImportedPlace, ...]:
    """The implementation site's municipality, and the stated location (``Sijainti``)."""
    site, location = _site(row, places, towns), row.text("location")
    found = [site] if site is not None else []
    if location is not None:
        place = places.find(location.text)
        if place is not None and all((p.kind, p.code) != place for p in found):
            found.append(ImportedPlace(place[0], place[1], location))
    town, postcode = row.text("site_town"), row.text("site_postcode")
    if not found and town is not None:
        row.fail("site_town", f"unknown post office {town.text!r}: neither a municipality of "
                              "data/reference/municipalities_fi.csv nor a post office of "
                              "data/reference/postal_towns.csv, and neither 'Toteutuspaikan postinumero' "
                              f"({postcode.text if postcode else 'empty'}) nor 'Sijainti' "
                              f"({location.text if location else 'empty'}) names a place")
    elif not found and postcode is not None:
        row.fail("site_postcode", f"unknown postal code {postcode.text!r} (not in data/reference/postal_towns.csv) "
                                  f"and 'Sijainti' ({location.text if location else 'empty'}) names no place")
    elif not found and location is not None:
        row.fail("location", f"unknown municipality {location.text!r} (not in data/reference/municipalities_fi.csv)")
    return tuple(found)
