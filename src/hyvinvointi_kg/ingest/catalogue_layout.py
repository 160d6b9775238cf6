"""The catalogue's expected layout: a YAML file in; the sections to find, and checks that they fit, out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from hyvinvointi_kg.assembly.curation import expect, load_curation_file
from hyvinvointi_kg.errors import InputError, SourceError
from hyvinvointi_kg.ingest.catalogue_records import Section

__all__ = [
    "CatalogueLayout",
    "SectionLayout",
    "check_layout",
    "expected_heading",
    "load_catalogue_layout",
    "nearly_equal",
]


@dataclass(frozen=True)
class SectionLayout:
    """A section the catalogue must have: its heading and about how many entries."""

    heading: str
    entries: int
    tolerance: int


@dataclass(frozen=True)
class CatalogueLayout:
    """The sections the catalogue must have, in order, and the header row that opens each."""

    header: str
    sections: tuple[SectionLayout, ...]


def load_catalogue_layout(path: Path) -> CatalogueLayout:
    """Read the expected layout of the catalogue (``data/curation/catalogue_layout.yaml``).

    Raises
    ------
    InputError
        If the file is missing, not valid YAML, or a value is missing or of the
        wrong type (naming the file and the section).

    Examples
    --------
    >>> from hyvinvointi_kg._resources import resource_dir
    >>> layout = load_catalogue_layout(resource_dir("data/curation") / "catalogue_layout.yaml")
    >>> [(s.heading, s.entries) for s in layout.sections][:2]
    [('Kemi', 49), ('Keminmaa', 32)]
    """
    data = load_curation_file(path)
    unknown = set(data) - {"header", "tolerance", "sections"}
    if unknown:
        raise InputError(f"{path}: unknown key(s) {', '.join(sorted(map(str, unknown)))}")
    header = expect(data.get("header"), str, where=f"{path}: header")
    tolerance = expect(data.get("tolerance", 0), int, where=f"{path}: tolerance")
    sections = []
    for index, item in enumerate(expect(data.get("sections"), list, where=f"{path}: sections"),
                                 start=1):
        where = f"{path}: section {index}"
        item = expect(item, dict, where=where)
        if set(item) - {"heading", "entries", "tolerance"}:
            raise InputError(f"{where}: keys are heading, entries and tolerance")
        sections.append(SectionLayout(
            heading=expect(item.get("heading"), str, where=f"{where}: heading"),
            entries=expect(item.get("entries"), int, where=f"{where}: entries"),
            tolerance=expect(item.get("tolerance", tolerance), int, where=f"{where}: tolerance"),
        ))
    return CatalogueLayout(header, tuple(sections))


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of *a* and *b*, or ``limit + 1`` as soon as it must exceed *limit*."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, char in enumerate(a, start=1):
        current = [i]
        for j, other in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (char != other)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def nearly_equal(text: str, target: str) -> bool:
    """Whether *text* is *target* up to spacing, case and a few mistyped letters.

    Examples
    --------
    >>> nearly_equal("Hankkeen  nimi toteuttajat Rahoitus ", "Hankkeen nimi Toteuttajat Rahoitus")
    True
    >>> nearly_equal("Hankkeen nimi Toteutajat Rahoitus", "Hankkeen nimi Toteuttajat Rahoitus")
    True
    >>> nearly_equal("Kemi", "Keminmaa"), nearly_equal("Simo", "Kemi"), nearly_equal("KEMI ", "Kemi")
    (False, False, True)
    """
    a, b = " ".join(text.split()).casefold(), " ".join(target.split()).casefold()
    return a == b or _edit_distance(a, b, min(3, len(b) // 5)) <= min(3, len(b) // 5)


def expected_heading(path: Path, number: int, title: str, layout: CatalogueLayout) -> str:
    """The layout's heading that *title* (on line *number*) nearly is, else a SourceError."""
    for section in layout.sections:
        if nearly_equal(title, section.heading):
            return section.heading
    raise SourceError(
        f"{path.name}:{number}: {title[:80]!r} stands before a header row but is not a section "
        f"heading of the layout ({', '.join(s.heading for s in layout.sections)}); correct the "
        "heading, or the layout file catalogue_layout.yaml if the document changed")


def check_layout(path: Path, lines: Sequence[str], sections: tuple[Section, ...],
                  layout: CatalogueLayout) -> None:
    """Raise a SourceError unless *sections* are the layout's, in order, with about its counts."""
    found = [s.title for s in sections]
    for expected in layout.sections:
        if found.count(expected.heading) > 1:
            lines_at = [str(s.first_line) for s in sections if s.title == expected.heading]
            raise SourceError(f"{path.name}:{lines_at[1]}: section {expected.heading!r} starts "
                              f"twice (lines {', '.join(lines_at)})")
        if expected.heading not in found:
            candidates = [n for n in range(len(lines) - 1)
                          if (n == 0 or not lines[n - 1].strip()) and lines[n + 1].strip()
                          and nearly_equal(lines[n], expected.heading)]
            candidates.sort(key=lambda n: lines[n].strip().casefold() != expected.heading.casefold())
            hint = (f"; line {candidates[0] + 1} reads {lines[candidates[0]].strip()!r} but the "
                    f"next line {lines[candidates[0] + 1][:80]!r} is not the header row "
                    f"{layout.header!r}" if candidates else "; the file may be cut short")
            raise SourceError(f"{path.name}: section {expected.heading!r} not found{hint}")
    order = [s.heading for s in layout.sections]
    if found != order:
        raise SourceError(f"{path.name}: sections in the order {', '.join(found)}; the layout "
                          f"expects {', '.join(order)}")
    for section, expected in zip(sections, layout.sections, strict=True):
        count = len(section.entries)
        if abs(count - expected.entries) > expected.tolerance:
            raise SourceError(
                f"{path.name}:{section.first_line}: section {section.title!r} has {count} "
                f"entries; the layout expects {expected.entries} ± {expected.tolerance}. A header "
                "row may be damaged (rows then go to the section before) or the file cut; if the "
                "document really changed, update catalogue_layout.yaml")
