"""Cells as their readers take them: formula escaping, CSV and JSON of a frame, query results as tables, CSV, JSON."""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import date, datetime, time
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from rdflib import BNode, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.term import Node

from hyvinvointi_kg.i18n import Lang, format_date
from hyvinvointi_kg.namespaces import PREFIXES

if TYPE_CHECKING:
    import pandas

    from hyvinvointi_kg.query import QueryResult

__all__ = ["CsvDialect", "OutputFormat", "escape_formula", "format_result", "frame_to_csv", "frame_to_json"]

OutputFormat = Literal["table", "csv", "json"]
"""The text formats of :func:`format_result`."""

CsvDialect = Literal["plain", "excel", "excel-semicolon"]
"""How :func:`frame_to_csv` writes: ``plain`` (UTF-8, ``,``), ``excel`` (a byte-order mark so that
Excel reads UTF-8, ``,``) or ``excel-semicolon`` (the mark, ``;`` between cells and a decimal comma:
what Excel expects where the list separator is ``;``, as in Finnish and Swedish settings)."""

_BOM = "\ufeff"

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value: object) -> object:
    """*value*, with an apostrophe before text a spreadsheet would read as a formula.

    Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
    run as a formula when a CSV file is opened in a spreadsheet (CSV injection);
    the apostrophe makes it plain text. Anything else is returned unchanged.

    Examples
    --------
    >>> escape_formula("=1+2"), escape_formula("Kemi"), escape_formula(-1)
    ("'=1+2", 'Kemi', -1)
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _decimal_comma(value: object) -> object:
    if isinstance(value, Decimal) or (isinstance(value, float) and not math.isnan(value)):
        return str(value).replace(".", ",")
    return value


def frame_to_csv(frame: pandas.DataFrame, *, index: bool = False, dialect: CsvDialect = "plain") -> str:
    """*frame* as CSV text, every text cell (and index label) passed through :func:`escape_formula`.

    Parameters
    ----------
    frame
        The table.
    index
        Also write the index.
    dialect
        ``"plain"``: UTF-8 text with ``,`` between cells. ``"excel"``: the same, starting
        with a byte-order mark (U+FEFF), without which Excel on Windows reads UTF-8 as
        its legacy code page ("Ã¤" for "ä"). ``"excel-semicolon"``: the mark, ``;``
        between cells and a decimal comma, for Excel set to a Finnish (or other ``;``)
        locale, where a ``,``-separated file opens as one column. Write the text with
        ``encoding="utf-8"`` (the mark is a character of the text).

    Raises
    ------
    ValueError
        If *dialect* is not one of the three.

    Examples
    --------
    >>> import pandas
    >>> print(frame_to_csv(pandas.DataFrame({"name": ["@evil", "ok"], "n": [1, 2]})), end="")
    name,n
    '@evil,1
    ok,2
    >>> from decimal import Decimal
    >>> text = frame_to_csv(pandas.DataFrame({"kunta": ["Enontekiö", "Inari"],
    ...                                       "summa": [Decimal("259577.5"), 12.5]}), dialect="excel-semicolon")
    >>> text.startswith("\\ufeff"), text[1:].splitlines()
    (True, ['kunta;summa', 'Enontekiö;259577,5', 'Inari;12,5'])
    """
    if dialect not in ("plain", "excel", "excel-semicolon"):
        raise ValueError(f"unknown CSV dialect {dialect!r}; choose plain, excel or excel-semicolon")
    safe = frame.map(escape_formula)
    if index:
        safe.index = safe.index.map(escape_formula)
    if dialect == "excel-semicolon":
        # pandas writes the decimal comma of float columns itself; of a Decimal or a float in a
        # column of mixed values (query results) it does not.
        safe = safe.map(_decimal_comma)
        text: str = safe.to_csv(index=index, sep=";", decimal=",")
    else:
        text = safe.to_csv(index=index)
    return text if dialect == "plain" else _BOM + text


def _json_cell(value: object) -> object:
    """A frame cell as JSON has it: numbers as numbers, dates ISO 8601, a missing value ``None``."""
    import pandas

    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)) or value is pandas.NaT:
        return None
    if isinstance(value, pandas.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if hasattr(value, "item"):  # a NumPy number
        return _json_cell(value.item())
    return value


def frame_to_json(frame: pandas.DataFrame) -> str:
    """*frame* as a JSON list of objects: numbers as numbers, dates ISO 8601, missing values ``null``.

    Examples
    --------
    >>> import pandas
    >>> frame = pandas.DataFrame({"name": ["a/b", ""], "start": pandas.to_datetime(["2019-04-12", None]),
    ...                           "score": [0.5, float("nan")]})
    >>> print(frame_to_json(frame))
    [
      {
        "name": "a/b",
        "start": "2019-04-12",
        "score": 0.5
      },
      {
        "name": null,
        "start": null,
        "score": null
      }
    ]
    """
    import json

    records = [{str(k): _json_cell(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]
    return json.dumps(records, ensure_ascii=False, indent=2)


def _cell(node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)


def _json_value(value: object) -> object:
    """A Python cell value as JSON has it: numbers as numbers, dates and times in ISO 8601."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    return str(value)


def _compact(node: Node | None, lang: Lang) -> str:
    """An IRI as a prefixed name when one of the project's prefixes fits (``hkid:org/…``), a date as *lang*
    writes it (1.9.2019; English: as the literal is written, ISO 8601)."""
    if lang != "en" and isinstance(node, RDFLiteral) and type(node.value) is date:
        return format_date(node.value, lang)
    if isinstance(node, URIRef):
        text = str(node)
        for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(str(kv[1]))):
            if text.startswith(str(namespace)) and len(text) > len(str(namespace)):
                return f"{prefix}:{text[len(str(namespace)):]}"
    return _cell(node)


def format_result(result: QueryResult, fmt: OutputFormat, *, width: int | None = None, lang: Lang = "en") -> str:
    """Render a result as an aligned text table, CSV or JSON (a list of objects).

    In CSV a number stays a number and text a spreadsheet would run as a formula
    gets an apostrophe. In JSON numbers are numbers, dates ISO 8601 and a missing
    value ``null``. The table shows IRIs as prefixed names (``hkid:org/…``) and fits
    *width* characters (see :func:`hyvinvointi_kg.terminal.text_table`; ``None``:
    every cell whole); its dates and footer are in *lang* (``1.9.2019``; English: ISO 8601).

    Parameters
    ----------
    result
        The rows and columns of a query.
    fmt
        ``table``, ``csv`` or ``json``.
    width
        The characters to fit a table to (``None``: no limit).
    lang
        The language of a table's dates and footer; CSV and JSON are the same in every language.

    Examples
    --------
    >>> from hyvinvointi_kg.query import QueryResult
    >>> r = QueryResult(("a", "b"), ((RDFLiteral(-1), RDFLiteral("=HYPERLINK()")),))
    >>> print(format_result(r, "csv").strip())  # text a spreadsheet would run gets an apostrophe
    a,b
    -1,'=HYPERLINK()
    >>> r = QueryResult(("amount", "start", "end"), ((RDFLiteral(Decimal("280681.0")),
    ...                 RDFLiteral(date(2019, 4, 12)), None),))
    >>> print(format_result(r, "json"), end="")
    [
      {
        "amount": 280681,
        "start": "2019-04-12",
        "end": null
      }
    ]
    >>> print(format_result(r, "table", lang="fi"), end="")
    amount    start      end
    --------  ---------  ---
    280681.0  12.4.2019
    (1 rivi)
    """
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(result.columns)
        def cell(node: Node | None) -> object:  # a number stays a number ("-5"), text is escaped
            numeric = isinstance(node, RDFLiteral) and isinstance(node.value, (int, float, Decimal))
            return _cell(node) if numeric else escape_formula(_cell(node))

        writer.writerows([cell(c) for c in row] for row in result.rows)
        return out.getvalue()
    if fmt == "json":
        return json.dumps(result.records(), ensure_ascii=False, indent=2, default=_json_value) + "\n"
    if fmt == "table":
        from hyvinvointi_kg.terminal import text_table

        return text_table(result.columns, [[_compact(c, lang) for c in row] for row in result.rows], width=width,
                          lang=lang)
    raise ValueError(f"unknown format {fmt!r}")
