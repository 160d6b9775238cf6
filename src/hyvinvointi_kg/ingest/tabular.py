"""Tables from .xlsx and .csv files: the header row found, columns matched, cells read with their location."""

from __future__ import annotations

import csv
import difflib
import hashlib
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from hyvinvointi_kg.assembly.places import Municipality, load_municipalities
from hyvinvointi_kg.dates import parse_date
from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.ingest.business_id import normalise_business_id
from hyvinvointi_kg.ingest.import_records import (
    BadInputError,
    BadRow,
    Cell,
    CellValue,
    ImportedPlace,
    Location,
    PlaceKind,
)

__all__ = [
    "Column",
    "Header",
    "PlaceLookup",
    "RawSheet",
    "RowReader",
    "data_rows",
    "file_sha256",
    "find_header",
    "header_key",
    "read_sheets",
    "stated_text",
]

_CSV_DELIMITERS = (",", ";", "\t")
_FINLAND_NAMES = {"suomi", "finland", "koko suomi", "koko maa", "valtakunnallinen", "valtakunnallinen toiminta"}


@dataclass(frozen=True)
class Column:
    """A column of a format: a key, the header written first in *names*, and accepted other headers."""

    key: str
    names: tuple[str, ...]
    required: bool = False

    @property
    def header(self) -> str:
        """The header as the format writes it."""
        return self.names[0]


@dataclass(frozen=True)
class RawSheet:
    """The cells of one sheet (or CSV file) as read: ``rows[0]`` is row 1."""

    file: str
    sheet: str
    rows: tuple[tuple[object, ...], ...]


def header_key(text: str) -> str:
    """A header as matched: trimmed, whitespace (newlines too) and ``_`` as one space, case folded.

    Examples
    --------
    >>> header_key("Hankekoodi "), header_key("Hankekuvauksen osoite\\n"), header_key("Y_tunnus")
    ('hankekoodi', 'hankekuvauksen osoite', 'y tunnus')
    """
    return " ".join(text.replace("_", " ").split()).casefold()


def stated_text(value: object) -> str:
    """A cell's value as text, the form a claim states it in: trimmed; dates ISO; 1000.0 as ``1000``.

    Examples
    --------
    >>> stated_text(" Savukoski "), stated_text(datetime(2023, 1, 31)), stated_text(1500.0), stated_text(None)
    ('Savukoski', '2023-01-31', '1500', '')
    """
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file's bytes, as the graph's source descriptions record it."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _wrong_format(path: Path, reason: str) -> BadInputError:
    return BadInputError((BadRow(Location(path.name, "", 1), reason),))


def read_sheets(path: Path, *, sheet: str | None = None) -> tuple[RawSheet, ...]:
    """Every sheet of an .xlsx workbook, or a .csv file as one sheet (named *sheet* or its stem).

    A CSV file is read as UTF-8 (a byte-order mark is dropped) with ``,``, ``;`` or a tab
    between cells, whichever the first line has most of.

    Raises
    ------
    BadInputError
        If the file is missing, not an .xlsx or .csv file, or cannot be read as one.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "stea.csv"
    >>> _ = path.write_text("jarjesto;vuosi\\nLapin Nuoret ry;2023\\n", encoding="utf-8-sig")
    >>> read_sheets(path)[0].rows
    (('jarjesto', 'vuosi'), ('Lapin Nuoret ry', '2023'))
    """
    if not path.is_file():
        raise _wrong_format(path, "file not found")
    suffix = path.suffix.casefold()
    if suffix == ".csv":
        return (_read_csv(path, sheet or path.stem),)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix == ".xls":
        raise _wrong_format(path, "an old Excel .xls file; save it as .xlsx (or .csv) and import that")
    raise _wrong_format(path, f"not a spreadsheet: expected an .xlsx or .csv file, got {path.suffix or 'no suffix'!r}")


def _read_csv(path: Path, sheet: str) -> RawSheet:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as err:
        raise _wrong_format(path, f"not UTF-8 text ({err.reason}); save the CSV file as UTF-8") from err
    first = text.split("\n", 1)[0]
    delimiter = max(_CSV_DELIMITERS, key=first.count)
    rows = tuple(tuple(row) for row in csv.reader(text.splitlines(keepends=True), delimiter=delimiter))
    return RawSheet(path.name, sheet, rows)


def _read_xlsx(path: Path) -> tuple[RawSheet, ...]:
    try:
        import openpyxl  # type: ignore[import-untyped]  # no py.typed
    except ImportError as err:  # pragma: no cover - a runtime dependency
        raise InputError("reading .xlsx needs openpyxl: pip install openpyxl") from err
    import zipfile

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as err:
        raise _wrong_format(path, f"not a readable .xlsx workbook ({err})") from err
    try:
        return tuple(RawSheet(path.name, ws.title, tuple(tuple(r) for r in ws.iter_rows(values_only=True)))
                     for ws in book.worksheets)
    finally:
        book.close()


@dataclass(frozen=True)
class Header:
    """The header row of a sheet and which column holds what (indexes from 0)."""

    sheet: RawSheet
    row: int
    headers: tuple[str, ...]
    columns: dict[str, int]
    unknown: tuple[int, ...]

    def location(self, index: int) -> Location:
        """The header cell of column *index*."""
        return Location(self.sheet.file, self.sheet.sheet, self.row, self.headers[index])


def _matches(cells: Sequence[object], columns: Sequence[Column]) -> int:
    keys = {header_key(stated_text(c)) for c in cells}
    return sum(any(header_key(n) in keys for n in col.names) for col in columns)


def find_header(sheet: RawSheet, columns: Sequence[Column], *, search_rows: int = 20) -> Header:
    """Find the header row of *sheet*: the first of its first rows naming most of *columns* (two at least).

    Headers are compared by :func:`header_key` with every name of each column. A
    header no column knows is *unknown* (its values are kept, not dropped).

    Raises
    ------
    BadInputError
        One line per problem: no row looks like the header (the closest row is
        quoted), a required column is missing (with the closest header found), or
        a column appears twice.

    Examples
    --------
    >>> cols = (Column("code", ("Hankekoodi",), required=True), Column("name", ("Hankkeen nimi",)))
    >>> header = find_header(RawSheet("r.xlsx", "s", (("Raportti",), ("Hankekoodi ", "Hankkeen nimi", "Muu")))
    ...                      , cols)
    >>> header.row, header.columns, header.unknown
    (2, {'code': 0, 'name': 1}, (2,))
    """
    rows = sheet.rows[:search_rows]
    scores = [_matches(r, columns) for r in rows]
    top = max(scores, default=0)
    found = scores.index(top) if top >= min(2, len(columns)) else None
    if found is None:
        best = max(range(len(rows)), key=lambda i: scores[i], default=None)
        seen = "an empty sheet" if best is None else \
            f"row {best + 1} reads {[stated_text(c) for c in rows[best] if stated_text(c)][:8]!r}"
        raise BadInputError((BadRow(Location(sheet.file, sheet.sheet, 1 if best is None else best + 1),
                                    f"no header row with the columns {[c.header for c in columns][:6]!r}; "
                                    f"{seen}"),))
    headers = tuple(stated_text(c) for c in rows[found])
    by_key = {header_key(h): i for i, h in reversed(list(enumerate(headers))) if h}
    problems: list[BadRow] = []
    columns_at: dict[str, int] = {}
    for col in columns:
        index = next((by_key[header_key(n)] for n in col.names if header_key(n) in by_key), None)
        if index is not None:
            columns_at[col.key] = index
        elif col.required:
            close = difflib.get_close_matches(header_key(col.header), list(by_key), n=1, cutoff=0.5)
            hint = f"; closest header found: {headers[by_key[close[0]]]!r}" if close else ""
            problems.append(BadRow(Location(sheet.file, sheet.sheet, found + 1, col.header),
                                   f"required column {col.header!r} is missing{hint}"))
    counts = Counter(header_key(h) for h in headers if h)
    problems += [BadRow(Location(sheet.file, sheet.sheet, found + 1, headers[by_key[k]]),
                        f"column {headers[by_key[k]]!r} appears {n} times") for k, n in counts.items() if n > 1]
    if problems:
        raise BadInputError(tuple(problems))
    known = set(columns_at.values())
    unknown = tuple(i for i, h in enumerate(headers) if h and i not in known)
    return Header(sheet, found + 1, headers, columns_at, unknown)


def data_rows(header: Header) -> Iterator[tuple[int, tuple[object, ...]]]:
    """The rows below the header that hold anything, with their row numbers (1-based)."""
    for index in range(header.row, len(header.sheet.rows)):
        values = header.sheet.rows[index]
        if any(stated_text(v) for v in values):
            yield index + 1, values


class PlaceLookup:
    """Municipalities (by Finnish name or official code), regions (by name) and Finland.

    Examples
    --------
    >>> places = PlaceLookup()
    >>> places.find("Savukoski"), places.find("742"), places.find("47"), places.find("Lappi"), places.find("Atlantis")
    (('municipality', '742'), ('municipality', '742'), ('municipality', '047'), ('region', '19'), None)
    """

    def __init__(self, municipalities: Sequence[Municipality] | None = None) -> None:
        rows = load_municipalities() if municipalities is None else municipalities
        self._names: dict[str, tuple[PlaceKind, str]] = {n: ("country", "FI") for n in _FINLAND_NAMES}
        for m in rows:
            self._names[m.name_fi.casefold()] = ("municipality", m.code)
            self._names.setdefault(m.region_fi.casefold(), ("region", m.region_code))
        self._codes = {m.code for m in rows}

    def find(self, text: str) -> tuple[PlaceKind, str] | None:
        """The kind and code of the place *text* names, or ``None``."""
        name = " ".join(text.split())
        if re.fullmatch(r"\d{1,3}", name):
            code = name.zfill(3)
            return ("municipality", code) if code in self._codes else None
        return self._names.get(name.casefold())


@dataclass
class RowReader:
    """Reads the cells of one row by column key, recording a :class:`BadRow` per problem."""

    header: Header
    row: int
    values: tuple[object, ...]
    problems: list[BadRow] = field(default_factory=list)

    def location(self, key: str | None = None) -> Location:
        """The row, or its cell in the column *key*."""
        sheet = self.header.sheet
        column = None if key is None else self.header.headers[self.header.columns[key]]
        return Location(sheet.file, sheet.sheet, self.row, column)

    def raw(self, key: str) -> object:
        """The value of column *key* as the file holds it (``None`` if the column is absent)."""
        index = self.header.columns.get(key)
        return None if index is None or index >= len(self.values) else self.values[index]

    def fail(self, key: str | None, reason: str) -> None:
        """Record a problem in the column *key* (``None``: the row)."""
        self.problems.append(BadRow(self.location(key), reason))

    def text(self, key: str, *, required: bool = False) -> Cell | None:
        """The cell's text, or ``None`` if empty (a problem when *required*)."""
        text = stated_text(self.raw(key))
        if not text:
            if required:
                what = self.location(key).column if key in self.header.columns else key
                self.fail(key if key in self.header.columns else None, f"a value for {what!r} is required")
            return None
        return Cell(text, self.location(key))

    def date(self, key: str, *, required: bool = False) -> CellValue[date] | None:
        """The cell as a date: an Excel date, or text in Finnish (1.9.2023) or ISO form."""
        cell = self.text(key, required=required)
        if cell is None:
            return None
        value = self.raw(key)
        if isinstance(value, datetime):
            return CellValue(value.date(), cell)
        if isinstance(value, date):
            return CellValue(value, cell)
        try:
            return CellValue(parse_date(cell.text), cell)
        except InputError as err:
            self.fail(key, str(err))
            return None

    def amount(self, key: str, *, required: bool = False) -> CellValue[Decimal] | None:
        """The cell as euros: a number, or text such as ``12 500,50`` or ``12500.50 €``; empty is ``None``."""
        cell = self.text(key, required=required)
        if cell is None:
            return None
        value = self.raw(key)
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
            self.fail(key, f"{cell.text!r} is not an amount")
            return None
        digits = re.sub(r"[\s\u00a0\u202f]|€|eur$", "", str(value), flags=re.IGNORECASE)
        if "," in digits and "." in digits:
            self.fail(key, f"{cell.text!r} is not an amount: write 12500,50 or 12500.50 (no thousands separator)")
            return None
        try:
            amount = Decimal(digits.replace(",", "."))
        except InvalidOperation:
            amount = Decimal("NaN")
        if not amount.is_finite() or amount < 0:
            self.fail(key, f"{cell.text!r} is not an amount of euros (negative or not a number)")
            return None
        return CellValue(amount, cell)

    def year(self, key: str, *, required: bool = False) -> CellValue[int] | None:
        """The cell as a year (1900–2100)."""
        cell = self.text(key, required=required)
        if cell is None:
            return None
        if not re.fullmatch(r"\d{4}", cell.text) or not 1900 <= int(cell.text) <= 2100:
            self.fail(key, f"{cell.text!r} is not a year")
            return None
        return CellValue(int(cell.text), cell)

    def business_id(self, key: str, *, required: bool = False) -> CellValue[str] | None:
        """The cell as a business ID with a valid check digit, written ``1234567-8``."""
        cell = self.text(key, required=required)
        if cell is None:
            return None
        try:
            value = normalise_business_id(cell.text)
        except InputError as err:
            self.fail(key, str(err))
            return None
        return CellValue(value, cell, None if value == cell.text else "business ID written in its standard form")

    def place(self, key: str, places: PlaceLookup, *, required: bool = False) -> ImportedPlace | None:
        """The cell as a municipality (name or code), a region, or Finland; unknown is a problem."""
        cell = self.text(key, required=required)
        if cell is None:
            return None
        found = places.find(cell.text)
        if found is None:
            self.fail(key, f"unknown municipality {cell.text!r} (not in data/reference/municipalities_fi.csv)")
            return None
        return ImportedPlace(found[0], found[1], cell)

    def cells(self, keys: Sequence[str]) -> tuple[Cell, ...]:
        """The non-empty cells of the columns *keys* and of every unknown column, as stated text."""
        result = [c for c in (self.text(k) for k in keys if k in self.header.columns) if c is not None]
        for index in self.header.unknown:
            text = stated_text(self.values[index]) if index < len(self.values) else ""
            if text:
                sheet = self.header.sheet
                result.append(Cell(text, Location(sheet.file, sheet.sheet, self.row, self.header.headers[index])))
        return tuple(result)

    def signature(self) -> tuple[str, ...]:
        """The row's values as text, for finding duplicate rows."""
        texts = [stated_text(v) for v in self.values]
        while texts and not texts[-1]:
            texts.pop()
        return tuple(texts)
