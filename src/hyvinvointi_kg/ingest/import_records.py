"""Records of imported spreadsheets: every value with the file, sheet, row and column that state it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Generic, Literal, TypeVar

from hyvinvointi_kg.errors import InputError

__all__ = [
    "BadInputError",
    "BadRow",
    "Cell",
    "CellValue",
    "ImportFormat",
    "ImportReport",
    "ImportResult",
    "ImportedAmount",
    "ImportedFunding",
    "ImportedImplementer",
    "ImportedPlace",
    "ImportedProject",
    "Location",
    "PlaceKind",
    "Role",
    "SourceFile",
    "TurnedDownApplication",
]

ImportFormat = Literal["hankkeet", "eura2021", "stea"]
"""The formats read: our own project sheets, the EURA 2021–2027 project report, the STEA register."""

Role = Literal["lead", "partner"]
"""An implementer's role: the keys of the role scheme (``role:lead`` → ``hk:leadImplementer``,
``role:partner`` → ``hk:partner``)."""

PlaceKind = Literal["municipality", "region", "country"]

T = TypeVar("T")


@dataclass(frozen=True)
class Location:
    """Where a value stands: file, sheet, row (1-based, as a spreadsheet shows it) and column header.

    In a CSV file the sheet is the sheet the file stands for and the row is the
    record's number, the header being row 1. ``column`` is ``None`` for a whole row.

    Examples
    --------
    >>> str(Location("hankkeet.xlsx", "kunnat", 4, "kunta"))
    "hankkeet.xlsx, sheet 'kunnat', row 4, column 'kunta'"
    """

    file: str
    sheet: str
    row: int
    column: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}, sheet {self.sheet!r}, row {self.row}" if self.sheet else f"{self.file}, row {self.row}"
        return where if self.column is None else f"{where}, column {self.column!r}"


@dataclass(frozen=True)
class Cell:
    """A value as the file states it (text, trimmed; see ``tabular.stated_text``) and where."""

    text: str
    location: Location


@dataclass(frozen=True)
class CellValue(Generic[T]):
    """A typed value read from a cell; *rule* says how, when it is not a plain copy of the text."""

    value: T
    cell: Cell
    rule: str | None = None


@dataclass(frozen=True)
class BadRow:
    """A row (or header) that cannot be imported, and why: one line naming file, sheet, row and column.

    Examples
    --------
    >>> str(BadRow(Location("a.xlsx", "hankkeet", 3, "alkupäivä"), "'31.2.2023' is not a date"))
    "a.xlsx, sheet 'hankkeet', row 3, column 'alkupäivä': '31.2.2023' is not a date"
    """

    location: Location
    reason: str

    def __str__(self) -> str:
        return f"{self.location}: {self.reason}"


class BadInputError(InputError):
    """Rows or headers of an imported file that cannot be used; ``bad_rows`` holds every one.

    The message is one line per bad row, after a first line counting them.
    """

    def __init__(self, bad_rows: tuple[BadRow, ...]) -> None:
        self.bad_rows = bad_rows
        files = sorted({b.location.file for b in bad_rows})
        head = f"{len(bad_rows)} bad row{'s' if len(bad_rows) != 1 else ''} in {', '.join(files)}; nothing imported"
        super().__init__("\n".join([head, *map(str, bad_rows)]))


@dataclass(frozen=True)
class ImportedPlace:
    """A place of a project: a municipality or region by its official code, or all of Finland (``FI``)."""

    kind: PlaceKind
    code: str
    cell: Cell
    rule: str | None = None


@dataclass(frozen=True)
class ImportedImplementer:
    """An organisation implementing a project, with its role.

    ``domicile`` is the head office's town as stated (the EURA report's
    beneficiary's post office), never the project's place. ``organisation_type``
    is a stated class (STEA's ``jarjestoluokka``).
    """

    name: Cell
    role: CellValue[Role]
    business_id: CellValue[str] | None = None
    domicile: Cell | None = None
    organisation_type: Cell | None = None


@dataclass(frozen=True)
class ImportedAmount:
    """One amount of a funding line: its kind (a key of the amount-kind scheme) and euros."""

    kind: CellValue[str]
    value: CellValue[Decimal]


@dataclass(frozen=True)
class ImportedFunding:
    """One funding line of a project: funder, programme, granting body, instrument, year and amounts.

    ``funder.value`` is the funder's name to resolve with the funding rules (a fund such
    as ``ESR+``, or ``STEA``); ``instrument`` is STEA's grant type (``avustuslaji``).
    """

    key: str
    funder: CellValue[str] | None
    programme: Cell | None = None
    granting_authority: Cell | None = None
    policy_axis: Cell | None = None
    specific_objective: Cell | None = None
    instrument: Cell | None = None
    year: CellValue[int] | None = None
    amounts: tuple[ImportedAmount, ...] = ()


@dataclass(frozen=True)
class ImportedProject:
    """A project as one import states it; every field points at its cell.

    ``key`` identifies the project within the file and across imports: its code, or
    (STEA, which has none) ``stea:<business ID>:<purpose>``. ``other`` holds every
    cell of a column no field reads, unknown columns included, as stated text.
    """

    key: str
    row: Location
    name: Cell
    code: Cell | None = None
    start: CellValue[date] | None = None
    end: CellValue[date] | None = None
    status: Cell | None = None
    description: Cell | None = None
    homepage: Cell | None = None
    places: tuple[ImportedPlace, ...] = ()
    themes: tuple[Cell, ...] = ()
    target_groups: tuple[Cell, ...] = ()
    implementers: tuple[ImportedImplementer, ...] = ()
    funding: tuple[ImportedFunding, ...] = ()
    other: tuple[Cell, ...] = ()


@dataclass(frozen=True)
class TurnedDownApplication:
    """A STEA register row with nothing granted (``myonnetty`` = 0): an application, not a grant."""

    row: Location
    organisation: Cell
    purpose: Cell
    year: CellValue[int]
    applied: CellValue[Decimal] | None


@dataclass(frozen=True)
class SourceFile:
    """A file an import read, identified as the graph's source descriptions identify documents."""

    name: str
    sha256: str


@dataclass(frozen=True)
class ImportReport:
    """What an import read, and what it did not turn into projects.

    ``sources`` are the files read (one .xlsx, or one .csv per sheet); ``rows_read`` counts
    the data rows of every sheet; ``unknown_columns`` locates each header the format does not know (its values are in
    the projects' ``other``); ``unknown_sheets`` names sheets (or CSV files) not read;
    ``skipped`` lists the bad rows left out with ``skip_bad_rows=True``; ``ignored_rows``
    the rows deliberately not read (the EURA report's footer) with why.
    """

    file: str
    format: ImportFormat
    sources: tuple[SourceFile, ...]
    rows_read: int
    unknown_columns: tuple[Location, ...] = ()
    unknown_sheets: tuple[str, ...] = ()
    skipped: tuple[BadRow, ...] = ()
    turned_down: tuple[TurnedDownApplication, ...] = ()
    ignored_rows: tuple[BadRow, ...] = ()


@dataclass(frozen=True)
class ImportResult:
    """The projects of one imported file and its report."""

    projects: tuple[ImportedProject, ...]
    report: ImportReport
