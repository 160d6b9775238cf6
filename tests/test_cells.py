"""CSV that spreadsheets open right: formula escaping, byte-order mark, ``;`` and decimal comma."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pandas
import pytest

from hyvinvointi_kg.cells import escape_formula, frame_to_csv

FRAME = pandas.DataFrame({
    "name": ["=HYPERLINK(\"http://x\")", "Enontekiö", "-2+3", "Sodankylä; Inari"],
    "amount": [Decimal("259577.50"), None, Decimal("-1"), Decimal("0.25")],
    "share": [0.5, 1.0, float("nan"), 2.25],
    "start": [date(2019, 9, 1), None, date(2020, 1, 1), None],
})


def _read(text: str, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def test_frame_to_csv_plain_has_no_byte_order_mark() -> None:
    text = frame_to_csv(FRAME)
    assert not text.startswith("\ufeff")
    assert _read(text, ",")[0] == ["name", "amount", "share", "start"]


def test_frame_to_csv_excel_starts_with_byte_order_mark() -> None:
    text = frame_to_csv(FRAME, dialect="excel")
    assert text.startswith("\ufeff")
    # As bytes, the UTF-8 mark that Excel looks for, then the same CSV as plain.
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbf")
    assert text[1:] == frame_to_csv(FRAME)


def test_frame_to_csv_excel_semicolon_uses_semicolons_and_decimal_commas() -> None:
    text = frame_to_csv(FRAME, dialect="excel-semicolon")
    assert text.startswith("\ufeff")
    rows = _read(text[1:], ";")
    assert rows[0] == ["name", "amount", "share", "start"]
    assert rows[1][1:] == ["259577,50", "0,5", "2019-09-01"]
    # A text cell with a ";" is quoted, not split; a missing value is an empty cell.
    assert rows[4][0] == "Sodankylä; Inari"
    assert rows[2][1] == "" and rows[3][2] == ""


@pytest.mark.parametrize("dialect", ["plain", "excel", "excel-semicolon"])
def test_frame_to_csv_escapes_formulas_in_every_dialect(dialect: str) -> None:
    text = frame_to_csv(FRAME, dialect=dialect)  # type: ignore[arg-type]
    rows = _read(text.removeprefix("\ufeff"), ";" if dialect == "excel-semicolon" else ",")
    assert rows[1][0] == "'=HYPERLINK(\"http://x\")"
    assert rows[3][0] == "'-2+3"
    # A negative number is a number, not text that looks like a formula.
    assert rows[3][1] == "-1"


def test_frame_to_csv_unknown_dialect_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown CSV dialect 'excel-fi'"):
        frame_to_csv(FRAME, dialect="excel-fi")  # type: ignore[arg-type]


def test_escape_formula_leaves_other_values() -> None:
    assert escape_formula("Kemi") == "Kemi"
    assert escape_formula(Decimal("-5")) == Decimal("-5")
    assert escape_formula(None) is None
