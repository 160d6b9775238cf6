"""Imported spreadsheets recognised by their header row and read by the importer of their format."""

from __future__ import annotations

from pathlib import Path

from hyvinvointi_kg.ingest.eura2021 import EURA2021_COLUMNS, read_eura2021
from hyvinvointi_kg.ingest.import_records import BadInputError, BadRow, ImportFormat, ImportResult, Location
from hyvinvointi_kg.ingest.spreadsheet import SHEETS, read_project_sheets
from hyvinvointi_kg.ingest.stea import STEA_COLUMNS, read_stea
from hyvinvointi_kg.ingest.tabular import Column, RawSheet, header_key, read_sheets, stated_text

__all__ = ["detect_format", "read_import"]

_SIGNATURES: dict[ImportFormat, tuple[Column, ...]] = {
    "eura2021": EURA2021_COLUMNS, "stea": STEA_COLUMNS, "hankkeet": SHEETS["hankkeet"].columns,
}


def _score(sheet: RawSheet, columns: tuple[Column, ...]) -> float:
    """The best share of *columns* one of the sheet's first rows names."""
    names = [{header_key(n) for n in c.names} for c in columns]
    best = 0
    for row in sheet.rows[:20]:
        keys = {header_key(stated_text(v)) for v in row}
        best = max(best, sum(bool(n & keys) for n in names))
    return best / len(columns)


def detect_format(path: Path) -> ImportFormat:
    """Which format *path* is in, by its header row (and, for our own format, its sheet names).

    A folder, or a CSV file named ``…hankkeet.csv`` / ``…_kunnat.csv`` …, is our own
    format. Otherwise the first sheet's header decides: the format whose columns it
    names most of, if it names at least half of them.

    Raises
    ------
    BadInputError
        If the file cannot be read, or its header fits no format (the message quotes
        the header found).

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "register.csv"
    >>> _ = path.write_text("jarjesto,y_tunnus,vuosi,kayttotarkoitus,avustuslaji,alue,avustuskokonaisuus,"
    ...                     "jarjestoluokka,haettu,ehdotettu,myonnetty\\n", encoding="utf-8")
    >>> detect_format(path)
    'stea'
    >>> _ = path.write_text("nimi,osoite\\nLapin Nuoret ry,Rovaniemi\\n", encoding="utf-8")
    >>> detect_format(path)
    Traceback (most recent call last):
    ...
    hyvinvointi_kg.ingest.import_records.BadInputError: 1 bad row in register.csv; nothing imported
    register.csv, row 1: not a format this tool imports (hankkeet, eura2021, stea); first row: ['nimi', 'osoite']
    """
    if path.is_dir() or (path.suffix.casefold() == ".csv" and any(
            header_key(path.stem).endswith(header_key(n)) for s in SHEETS.values() for n in (s.name, *s.aliases))):
        return "hankkeet"
    sheets = read_sheets(path)
    if any(header_key(s.sheet) in {header_key(n) for n in ("hankkeet", *SHEETS["hankkeet"].aliases)}
           for s in sheets):
        return "hankkeet"
    first = sheets[0]
    scores = {fmt: _score(first, columns) for fmt, columns in _SIGNATURES.items()}
    best = max(scores, key=lambda f: scores[f])
    if scores[best] >= 0.5:
        return best
    row = next((r for r in first.rows if any(stated_text(v) for v in r)), ())
    found = [stated_text(v) for v in row if stated_text(v)][:8]
    raise BadInputError((BadRow(Location(path.name, first.sheet if path.suffix.casefold() != ".csv" else "", 1),
                                "not a format this tool imports (hankkeet, eura2021, stea); "
                                f"first row: {found!r}"),))


def read_import(path: Path, *, skip_bad_rows: bool = False) -> ImportResult:
    """Read *path* with the importer of its format (see :func:`detect_format`).

    Raises
    ------
    BadInputError
        Every problem of the file, one line each (see the importers).

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "hankkeet.csv").write_text("hankekoodi,hankkeen nimi,päätoteuttaja\\nP1,Kylätalo,Kylä ry\\n")
    >>> result = read_import(folder)
    >>> result.report.format, [p.key for p in result.projects]
    ('hankkeet', ['P1'])
    """
    readers = {"hankkeet": read_project_sheets, "eura2021": read_eura2021, "stea": read_stea}
    return readers[detect_format(path)](path, skip_bad_rows=skip_bad_rows)
