"""Cells that spreadsheets open as text: formula escaping, CSV of a frame."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas

__all__ = ["escape_formula", "frame_to_csv"]

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


def frame_to_csv(frame: pandas.DataFrame, *, index: bool = False) -> str:
    """*frame* as CSV text, every text cell (and index label) passed through :func:`escape_formula`.

    Examples
    --------
    >>> import pandas
    >>> print(frame_to_csv(pandas.DataFrame({"name": ["@evil", "ok"], "n": [1, 2]})), end="")
    name,n
    '@evil,1
    ok,2
    """
    safe = frame.map(escape_formula)
    if index:
        safe.index = safe.index.map(escape_formula)
    text: str = safe.to_csv(index=index)
    return text
