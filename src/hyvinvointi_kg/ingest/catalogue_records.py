"""The catalogue's records: parsed rows in, frozen cells, entries and sections out."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["CELL_NAMES", "CatalogueEntry", "Cell", "Section"]

CELL_NAMES = ("name", "implementers", "funding", "description", "area", "themes")


@dataclass(frozen=True)
class Cell:
    """One table cell: its text with broken words repaired, and its source lines.

    A cell replaced by a reviewed correction that repairs the source's text
    (rather than reading it from other lines) keeps the text as its lines hold
    it in ``source_text``; ``repair`` says what repaired it. Both are ``None``
    for a cell read as written.
    """

    text: str
    first_line: int
    last_line: int
    source_text: str | None = None
    repair: str | None = None


@dataclass(frozen=True)
class CatalogueEntry:
    """One row of the catalogue, in one section.

    ``flags`` lists what could not be read cleanly (each a short reason); the
    build records them in the graph rather than guessing.
    """

    section: str
    index: int
    first_line: int
    last_line: int
    cells: dict[str, Cell] = field(hash=False, compare=True)
    flags: tuple[str, ...] = ()

    def cell(self, name: str) -> Cell | None:
        """The cell called *name* (one of :data:`CELL_NAMES`), or ``None`` if absent."""
        return self.cells.get(name)

    def text(self, name: str) -> str | None:
        """The text of the cell *name*, or ``None``."""
        cell = self.cells.get(name)
        return cell.text if cell else None


@dataclass(frozen=True)
class Section:
    """A section of the catalogue (a municipality, or Lapland in general) and its entries."""

    title: str
    first_line: int
    entries: tuple[CatalogueEntry, ...]
