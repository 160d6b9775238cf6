"""Tables for a terminal: columns fitted to its width, a cut cell ending in an ellipsis, never silently."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Sequence

from hyvinvointi_kg.i18n import Lang, Nn_, count_text, translator

__all__ = ["ELLIPSIS", "terminal_width", "text_table"]

ELLIPSIS = "…"
_GAP = "  "
_NARROWEST = 8  # a column is never cut narrower than this (a long header is cut too)
_ROWS = Nn_("{n} row", "{n} rows")


def terminal_width(*, full: bool = False) -> int | None:
    """The width to fit tables to: the terminal's columns when output goes to a terminal and
    *full* is false, else ``None`` (no limit: a file or a pipe gets every cell whole)."""
    if full or not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size().columns


def _fitted(natural: list[int], floors: list[int], room: int) -> list[int]:
    """Column widths for *room* characters: a column narrower than the fair share keeps its width,
    the others share what is left (water-filling), never below their floor."""
    if sum(natural) <= room:
        return list(natural)
    flexible = set(range(len(natural)))
    left = room
    while flexible:
        share = left // len(flexible)
        fits = {i for i in flexible if natural[i] <= share}
        if not fits:
            break
        left -= sum(natural[i] for i in fits)
        flexible -= fits
    share = left // len(flexible) if flexible else 0
    return [max(share, floors[i]) if i in flexible else natural[i] for i in range(len(natural))]


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + ELLIPSIS


def text_table(columns: Sequence[str], rows: Sequence[Sequence[str]], *, width: int | None = None,
               lang: Lang = "en") -> str:
    """*rows* under *columns* as an aligned text table, fitted to *width* characters.

    Columns narrower than their share keep their width; wider ones share the rest,
    and a cell that does not fit ends in ``…`` (a footer says so, so that nothing is
    cut silently). ``width=None`` fits nothing: every cell is shown whole. Line
    breaks inside a cell are shown as spaces.

    Parameters
    ----------
    columns
        The header of each column, as shown.
    rows
        The cells, one sequence per row, as many as *columns*.
    width
        The characters to fit the table to (``None``: no limit).
    lang
        The language of the footer (the row count and the note on cut cells).

    Examples
    --------
    >>> print(text_table(("code", "name"), [("S1", "Nuorten hyvinvointi Kemissä")], width=24), end="")
    code  name
    ----  ------------------
    S1    Nuorten hyvinvoin…
    (1 row; cells ending in … are cut to fit 24 columns: --full shows them whole)
    >>> print(text_table(("koodi",), [("S1",), ("S2",)], lang="fi").splitlines()[-1])
    (2 riviä)
    """
    lines_of = [[" ".join(str(c).split()) for c in columns]] + [[" ".join(str(c).split()) for c in row]
                                                                  for row in rows]
    natural = [max(len(r[i]) for r in lines_of) for i in range(len(columns))]
    widths = natural
    if width is not None:
        room = width - len(_GAP) * max(len(columns) - 1, 0)
        floors = [min(n, _NARROWEST) for n in natural]
        widths = _fitted(natural, floors, room)
    cut = any(len(cell) > w for row in lines_of for cell, w in zip(row, widths, strict=True))
    out = []
    for n, row in enumerate(lines_of):
        out.append(_GAP.join(_cut(c, w).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            out.append(_GAP.join("-" * w for w in widths))
    footer = count_text(_ROWS, len(rows), lang=lang)
    if cut:
        footer += "; " + translator(lang).gettext(
            "cells ending in {ellipsis} are cut to fit {width} columns: --full shows them whole").format(
            ellipsis=ELLIPSIS, width=width)
    out.append(f"({footer})")
    return "\n".join(out) + "\n"
