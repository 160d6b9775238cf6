"""Damage the PDF extraction left in the catalogue: cells and rows in, flags (short reasons) out."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from hyvinvointi_kg.ingest.catalogue_records import CELL_NAMES, CatalogueEntry, Cell, Section

__all__ = ["flag_damage_across_rows", "flag_damage_in_row"]

_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# Words of one or two letters that the catalogue's Finnish and English text really uses.
_SHORT_WORDS = frozenset({
    "ja", "on", "ei", "se", "ne", "he", "me", "te", "jo", "ml", "mm", "ym", "ry", "oy", "sr",
    "a", "i", "is", "to", "as", "it", "be", "of", "in", "at", "by", "or", "an", "we", "if", "so",
    "no", "do", "up", "us", "uk", "eu", "ii",
})
_SHORT_RUN = re.compile(r"(?:(?<!\S)[^\W\d_]{1,2}(?!\S)\s*){2,}")


def _page_break_cuts(cells: dict[str, Cell], numbered: Sequence[tuple[int, str]]) -> list[str]:
    """Flags for cells that end, at a page break, mid-word, with a comma or mid-sentence.

    A page break shows as a whitespace-only line. The cell whose last line comes
    right before it is cut when that line ends in a hyphen (a word broken off) or a
    comma, or, for a description (prose), without a closing punctuation mark.
    """
    flags = []
    texts = dict(numbered)
    for number, text in numbered:
        if not text or text.strip():
            continue
        before = max((n for n, t in numbered if n < number and t.strip()), default=None)
        if before is None:
            continue
        for name, cell in cells.items():
            if cell.last_line != before or name == "themes":
                continue
            end = texts[before].rstrip()
            how = ("mid-word" if end.endswith(("-", "–")) else "with a comma" if end.endswith(",")
                   else "mid-sentence" if name == "description" and not re.search(r"[.!?)”\"]$", end)
                   else None)
            if how:
                flags.append(f"line {before}: the {name} cell (lines {cell.first_line}-{cell.last_line}) "
                             f"ends {how} at a page break (whitespace-only line {number}); it is cut")
    return flags


def _clipped_letters(cells: dict[str, Cell]) -> list[str]:
    """Flags for runs of one- or two-letter fragments: letters lost in the PDF extraction.

    Examples
    --------
    >>> _clipped_letters({"implementers": Cell("Terveyden ja hyvinvoinnin l it", 7821, 7823)})
    ["lines 7821-7823: letters lost in the implementers cell: 'l it'"]
    >>> _clipped_letters({"description": Cell("The aim is to find ways as a whole", 1, 1)})
    []
    """
    flags = []
    for name, cell in cells.items():
        for match in _SHORT_RUN.finditer(cell.text):
            fragments = match.group().split()
            if any(f.casefold() not in _SHORT_WORDS for f in fragments):
                flags.append(f"lines {cell.first_line}-{cell.last_line}: letters lost in the {name} "
                             f"cell: {' '.join(fragments)!r}")
    return flags


def _copy_key(name: str) -> str:
    """A key under which copies of one project's name in several sections meet."""
    text = re.sub(r"\s*\(?(?:19|20)\d{2}\s*(?:[-–]\s*(?:19|20)?\d{2,4})?\)?\s*$", "",
                  name.casefold().replace("–", "-"))
    return re.sub(r"[^0-9a-zåäöü]", "", text)


def _truncated_copies(entries: Sequence[CatalogueEntry]) -> dict[int, list[str]]:
    """Flags, by entry position, for cells that are a strict prefix of another copy's cell.

    The same project appears in several sections; a copy whose cell stops where
    another copy's goes on was cut. A shorter list that ends at an item boundary
    (the other copy goes on with ``,`` or ``;``) is another list, not a cut one.
    """
    copies: dict[str, list[int]] = {}
    for position, entry in enumerate(entries):
        name = entry.text("name")
        if name:
            copies.setdefault(_copy_key(name), []).append(position)
    flags: dict[int, list[str]] = {}
    for positions in copies.values():
        for a in positions:
            for name in CELL_NAMES[:5]:
                cell = entries[a].cell(name)
                if cell is None:
                    continue
                short = " ".join(cell.text.split())
                longer = []
                for b in positions:
                    other = entries[b].text(name)
                    full = " ".join(other.split()) if other else ""
                    rest = full[len(short):]
                    if b == a or not full.startswith(short) or not rest:
                        continue
                    if (name in ("implementers", "area") and rest.lstrip()[:1] in (",", ";")
                            and not short.endswith(",")):
                        continue
                    longer.append((len(full), b, rest))
                if longer:
                    _, b, rest = max(longer)
                    flags.setdefault(a, []).append(
                        f"lines {cell.first_line}-{cell.last_line}: the {name} cell is truncated: "
                        f"the copy in {entries[b].section} (line {entries[b].first_line}) goes on "
                        f"{rest[:40]!r}")
    return flags


def _interleaved(entries: Sequence[CatalogueEntry]) -> dict[int, list[str]]:
    """Flags, by entry position, for neighbouring rows whose cells were printed into each other.

    At a page break a row's cell may be printed inside the neighbouring row: that
    row then has more text than cells ("extra text") while its neighbour in the
    same section lacks a cell.
    """
    flags: dict[int, list[str]] = {}
    for a, b in zip(range(len(entries)), range(1, len(entries)), strict=False):
        for extra, short in ((a, b), (b, a)):
            if entries[extra].section != entries[short].section:
                continue
            extra_text = [f for f in entries[extra].flags if f.startswith("extra text at lines")]
            missing = [f for f in entries[short].flags if f.startswith("missing cell(s)")]
            if not extra_text or not missing:
                continue
            where = "next" if short > extra else "previous"
            flags.setdefault(extra, []).append(
                f"interleaved cells: lines {entries[extra].first_line}-{entries[extra].last_line} "
                f"hold text of the {where} row (line {entries[short].first_line}, "
                f"{missing[0].split(': ', 1)[1]} missing there); {extra_text[0]}")
            flags.setdefault(short, []).append(
                f"interleaved cells: the {missing[0].split(': ', 1)[1]} cell is likely printed "
                f"inside the {'previous' if where == 'next' else 'next'} row (lines "
                f"{entries[extra].first_line}-{entries[extra].last_line})")
    return flags


def _year_disagreement(cells: dict[str, Cell]) -> list[str]:
    """A flag when the name states years the funding cell's years do not cover.

    Examples
    --------
    >>> _year_disagreement({"name": Cell("Tutuksi 2017-2018", 4795, 4795),
    ...                     "funding": Cell("STEA 2017", 4798, 4798)})
    ['years: the name (line 4795) states 2017-2018 but the funding cell (line 4798) states 2017']
    >>> _year_disagreement({"name": Cell("Tutuksi 2017-2018", 1, 1),
    ...                     "funding": Cell("STEA 2017-2018", 2, 2)})
    []
    """
    name, funding = cells.get("name"), cells.get("funding")
    if name is None or funding is None:
        return []
    named = sorted({int(y) for y in _YEAR.findall(name.text)})
    funded = sorted({int(y) for y in _YEAR.findall(funding.text)})
    if not named or not funded or (funded[0] <= named[0] and named[-1] <= funded[-1]):
        return []
    def span(years: list[int]) -> str:
        return str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"
    return [f"years: the name (line {name.first_line}) states {span(named)} but the funding cell "
            f"(line {funding.first_line}) states {span(funded)}"]



def flag_damage_in_row(cells: dict[str, Cell], numbered: Sequence[tuple[int, str]]) -> list[str]:
    """Flags that one row shows alone: years disagreeing, cells cut at a page break, letters lost.

    Examples
    --------
    >>> flag_damage_in_row({"name": Cell("Tutuksi 2017-2018", 1, 1), "funding": Cell("STEA 2017", 2, 2)},
    ...                    [(1, "Tutuksi 2017-2018"), (2, "STEA 2017")])
    ['years: the name (line 1) states 2017-2018 but the funding cell (line 2) states 2017']
    """
    return [*_year_disagreement(cells), *_page_break_cuts(cells, numbered), *_clipped_letters(cells)]


def flag_damage_across_rows(sections: tuple[Section, ...]) -> tuple[Section, ...]:
    """Add the flags that need other rows: truncated copies and interleaved neighbours."""
    entries = [entry for section in sections for entry in section.entries]
    found = _truncated_copies(entries)
    for position, flags in _interleaved(entries).items():
        found.setdefault(position, []).extend(flags)
    result, position = [], 0
    for section in sections:
        updated = []
        for entry in section.entries:
            extra = found.get(position, [])
            updated.append(replace(entry, flags=entry.flags + tuple(extra)) if extra else entry)
            position += 1
        result.append(replace(section, entries=tuple(updated)))
    return tuple(result)
