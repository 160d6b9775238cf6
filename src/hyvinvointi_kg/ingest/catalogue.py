"""The project catalogue: a PDF table flattened to text, segmented back into entries and cells.

The text was extracted row by row, cell by cell, from a six-column table (name,
implementers, funding and period, description, area, themes). Three regularities
of that extraction drive the parser:

* A row ends with its theme cell, whose words come from a small vocabulary.
* Cells are separated by blank lines, except that a cell of a single line is
  joined, on that line, to the first line of the next cell: the first line of a
  blank-separated block may hold several cells, and the block's other lines
  continue the last of them.
* A line that does not end in a space continues a word broken by the PDF's
  narrow columns (``Luonnonvarakes`` + ``kus``); one that ends in a space ends a word.

Where a merged line has to be split, the parser uses what it knows of the next
cell (funder names, place names, organisation names and markers) and records
each decision it could not make with certainty as a flag on the entry.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from hyvinvointi_kg.assembly.curation import expect, load_curation_file
from hyvinvointi_kg.errors import InputError, SourceError
from hyvinvointi_kg.ingest.sources import read_lines

__all__ = [
    "CELL_NAMES",
    "CatalogueEntry",
    "CatalogueLayout",
    "Cell",
    "Section",
    "SectionLayout",
    "join_lines",
    "load_catalogue_layout",
    "parse_catalogue",
    "split_themes",
]

CELL_NAMES = ("name", "implementers", "funding", "description", "area", "themes")
_HEADER = "Hankkeen nimi Toteuttajat Rahoitus"
THEMES = ("hyvinvointi", "sosiaalinen osallisuus", "turvallisuus", "yhteisöllisyys")
_THEME_TOKENS = {"hyvinvointi", "sosiaalinen", "osallisuus", "turvallisuus", "yhteisöllisyys"}

# The first words of funding cells (funders, programmes, instruments); a match inside a
# merged line marks where the funding cell begins. Extend with data/curation/funders.yaml.
_FUNDER_START = re.compile(
    r"(?<!\S)(?:ESR\b|EAKR\b|STEA\b|OPH\b|OKM\b|STM\b|UM\b|KELA\b|THL\b|"
    r"Pohjois-\s*Suomen\s+ELY|Suomen\s+Akatemia|Euroopan\s+komissio|Erasmus\+|Horizon\b|"
    r"Interreg\b|Ministeriöt|Säätiöt|Maaseuturahas|Työsuojelurah|Lapin\s+AVI|"
    r"Ympäristömini|Maa-\s+ja\s+metsätalousmi|Valtiovarainmi|Sosiaali-\s+ja\s+terveysmi|"
    r"Opetus-\s+ja\s+kulttuurimi|Terveyden\s+ja\s+hyvinvoinnin\s+laitos|"
    r"Peräpohjolan\s+Leader|Outokairan\s+Nuoriso-|Outokaira\s+(?:Leader|Tuottamhan)|Leader\b|"
    r"The\s+Nordic|Nordens\b|ELY-|Manner-?\s*Suomen\s+maaseudun|Alueelliset\s+innovaatiot)"
)
_FUND_THEN_TEXT = re.compile(
    r"^(.*?(?:\d{1,2}\.\d{1,2}\.\d{4}|(?:19|20)\d{2})"
    r"(?:\s*[-–→]\s*(?:\d{1,2}\.\d{1,2}\.)?(?:19|20)\d{2})?)\s+([^\s\d].*)$"
)
_DATE_END = re.compile(r"(\d{1,2}\.\d{1,2}\.\d{2,4}|\b(?:19|20)\d{2}|\d{1,2}\.\d{1,2}\.)\s*$")
_ORG_MARKERS = re.compile(
    r"(?:\b(?:ry|RY|r\.y\.|Oy|OY|Oyj|sr|kaupunki|kunta|yliopisto|AMK|säätiö|SÄÄTIÖ|"
    r"kuntayhtymä|liitto|LIITTO|seurakunta|opisto|OPISTO|Opisto|ammattikorkeakoulu|"
    r"Lappia|REDU|University|yhdistys|YHDISTYS|keskus|Martat|MARTAT|kansanopisto|"
    r"sairaanhoitopiiri|hiippakunta|seurakuntayhtymä|instituutti|oppilaitos|setlementti|"
    r"Setlementti|kunnat|yhtiö)\b[.,;)]*)$"
)
_ORG_START_WORDS = {
    "Lapin", "Kemin", "Tornion", "Keminmaan", "Simon", "Tervolan", "Rovaniemen", "Oulun",
    "Pohjoisen", "Pohjois-Suomen", "Suomen", "Peräpohjolan", "Itä-Lapin", "Meri-Lapin",
    "Koulutuskuntayhtymä", "Ammattiopisto", "Pohjantähti-opiston", "Ylitornion", "Pellon",
    "Ranuan", "Sodankylän", "Kemijärven", "Sallan", "Posion", "Inarin", "Utsjoen",
    "Kolarin", "Kittilän", "Muonion", "Enontekiön", "Savukosken", "Pelkosenniemen",
    "Helsingin", "Turun", "Tampereen", "Jyväskylän", "Diakonia-ammattikorkeakoulu",
}


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


def _nearly(text: str, target: str) -> bool:
    """Whether *text* is *target* up to spacing, case and a few mistyped letters.

    Examples
    --------
    >>> _nearly("Hankkeen  nimi toteuttajat Rahoitus ", "Hankkeen nimi Toteuttajat Rahoitus")
    True
    >>> _nearly("Hankkeen nimi Toteutajat Rahoitus", "Hankkeen nimi Toteuttajat Rahoitus")
    True
    >>> _nearly("Kemi", "Keminmaa"), _nearly("Simo", "Kemi"), _nearly("KEMI ", "Kemi")
    (False, False, True)
    """
    a, b = " ".join(text.split()).casefold(), " ".join(target.split()).casefold()
    return a == b or _edit_distance(a, b, min(3, len(b) // 5)) <= min(3, len(b) // 5)


def join_lines(parts: Sequence[str]) -> str:
    """Join the lines of one cell, repairing words the PDF broke across lines.

    A line ending in whitespace ends a word; a line ending in anything else is
    continued by the next line without a space (``ESR 2014-`` + ``2020/ELY``).

    Examples
    --------
    >>> join_lines(["Lapin yliopisto; ", "Luonnonvarakes", "kus (LUKE)"])
    'Lapin yliopisto; Luonnonvarakeskus (LUKE)'
    >>> join_lines(["ESR 2014-", "2020/ELY "])
    'ESR 2014-2020/ELY'
    """
    out = ""
    for part in parts:
        if not out:
            out = part.lstrip()
        elif out[-1].isspace():
            out = out.rstrip() + " " + part.lstrip()
        else:
            out += part.lstrip() if part[:1].isspace() and out[-1] in "-/" else part
    return " ".join(out.split())


def split_themes(text: str) -> tuple[list[str], list[str]]:
    """Split a theme cell into known themes and unknown items.

    Examples
    --------
    >>> split_themes("hyvinvointi, sosiaalinen osallisuus")
    (['hyvinvointi', 'sosiaalinen osallisuus'], [])
    >>> split_themes("Hyvinvointi, kulttuuri")
    (['hyvinvointi'], ['kulttuuri'])
    """
    known: list[str] = []
    unknown: list[str] = []
    for item in (i.strip() for i in text.split(",")):
        if not item:
            continue
        (known if item.casefold() in THEMES else unknown).append(
            item.casefold() if item.casefold() in THEMES else item)
    return known, unknown


def _theme_suffix(line: str) -> int | None:
    """Index where a trailing run of theme words starts in *line*, or None."""
    tokens = list(re.finditer(r"\S+", line))
    start = None
    for match in reversed(tokens):
        word = match.group().rstrip(",")
        if word in _THEME_TOKENS or (word[:1].isupper() and word[1:].islower()
                                      and word.lower() in _THEME_TOKENS):
            start = match.start()
        else:
            break
    return start


def _is_theme_line(line: str) -> bool:
    return _theme_suffix(line) == len(line) - len(line.lstrip())


def _theme_complete(text: str) -> bool:
    known, unknown = split_themes(text)
    return bool(known) and not unknown


@dataclass
class _Block:
    lines: list[tuple[int, str]]


def _blocks(numbered: Sequence[tuple[int, str]]) -> list[_Block]:
    blocks: list[_Block] = []
    current: list[tuple[int, str]] = []
    for number, line in numbered:
        if line and not line.strip():
            continue  # a whitespace-only line: a page-break artefact inside a cell, not a separator
        if line.strip():
            # A line that starts with a space right after a complete period starts a new
            # cell even without a blank line (a row continuing after a page break).
            if current and line[:1].isspace() and _DATE_END.search(current[-1][1].strip()):
                blocks.append(_Block(current))
                current = []
            current.append((number, line))
        elif current:
            blocks.append(_Block(current))
            current = []
    if current:
        blocks.append(_Block(current))
    return blocks


def _split_at(line: str, index: int) -> tuple[str, str]:
    return line[:index].rstrip(), line[index:].lstrip()


class _EntryParser:
    def __init__(self, is_area_item: Callable[[str], bool], known_orgs: set[str]) -> None:
        self.is_area_item = is_area_item
        self.known_orgs = {o.casefold() for o in known_orgs}

    # --- detectors -------------------------------------------------------
    def area_suffix(self, text: str) -> int | None:
        """Start of the longest suffix of *text* that is a list of place names."""
        tokens = list(re.finditer(r"\S+", text))
        best = None
        for i in range(len(tokens) - 1, 0, -1):
            tail = text[tokens[i].start():]
            items = [t.strip() for t in tail.rstrip(",").split(",")]
            if all(items) and all(self.is_area_item(t) for t in items):
                best = tokens[i].start()
        return best

    def funder_start(self, line: str, continuation: Sequence[str] = ()) -> int | None:
        """Where a funding cell begins in *line* (words may continue on the next lines)."""
        indent = len(line) - len(line.lstrip())
        text = line.rstrip() + " " + " ".join(c.strip() for c in continuation)
        for match in _FUNDER_START.finditer(text):
            if indent < match.start() < len(line.rstrip()):
                return match.start()
        return None

    @staticmethod
    def period_end(line: str) -> int | None:
        """In a single-line 'funder period description' line, where the description begins."""
        match = _FUND_THEN_TEXT.match(line)
        return match.start(2) if match else None

    @staticmethod
    def organisation_end(text: str) -> int | None:
        """Where the text after a complete single organisation name begins, if any."""
        for match in re.finditer(r"\S+", text):
            if _ORG_MARKERS.search(text[: match.end()]) and text[match.end():].strip():
                rest = text[match.end():]
                return match.end() + len(rest) - len(rest.lstrip())
        return None

    def implementer_start(
        self, line: str, continuation: Sequence[str] = ()
    ) -> tuple[int | None, bool]:
        """Where the implementer begins in a merged 'name implementer' line; and if sure."""
        tokens = list(re.finditer(r"\S+", line))
        for i in range(1, len(tokens)):  # a known organisation, longest first (it may go on
            # on the next lines: "Perhe Luotsi Mannerheimin " + "Lastensuojeluliito" + "n Lapin piiri ry")
            for tail in (line[tokens[i].start():], join_lines([line[tokens[i].start():], *continuation])):
                if tail.strip().rstrip(";,").casefold() in self.known_orgs:
                    return tokens[i].start(), True
        if "  " in line.strip():
            return line.index("  ", len(line) - len(line.lstrip())) + 2, True
        candidates = []
        caps_name = tokens[0].group().isupper() and len(tokens[0].group()) > 1
        for i in range(1, len(tokens)):
            word = tokens[i].group()
            if caps_name and word.isupper() and not re.match(r"[\d-]+$", tokens[i - 1].group()):
                continue  # an all-capitals name goes on in capitals (unless after its years)
            tail = re.split(r"[;,]", join_lines([line[tokens[i].start():], *continuation]))[0]
            if tokens[i - 1].group() in ("-", "–") or not word[:1].isupper():
                continue
            full_word = tail.split()[0] if tail.split() else word
            starts = word in _ORG_START_WORDS or full_word in _ORG_START_WORDS
            if _ORG_MARKERS.search(tail) or starts:
                candidates.append((starts, i, tokens[i].start()))
        if not candidates:
            return None, False
        preferred = [c for c in candidates if c[0]] or candidates
        return preferred[0][2], False

    def strong_merge(self, block: _Block) -> bool:
        """Whether the block's first line certainly joins two cells: a funder, or an
        organisation followed by a period, after other text."""
        line, rest = block.lines[0][1], [t for _, t in block.lines[1:]]
        if self.funder_start(line, rest) is not None:
            return True
        org_end = self.organisation_end(line)
        return org_end is not None and bool(re.match(r"\s*\d{1,2}\.\d{1,2}\.", line[org_end:]))

    @staticmethod
    def looks_like_funding(text: str) -> bool:
        """A funder name or a period, and short."""
        return len(text) < 160 and bool(
            _FUNDER_START.match(text) or re.search(r"\d{1,2}\.\d{1,2}\.|(?:19|20)\d{2}", text))

    @staticmethod
    def looks_like_description(text: str) -> bool:
        """Prose: long, with sentence punctuation."""
        return len(text) > 80 and bool(re.search(r"[.!?]\s|[.!?]$", text))

    def split_line(self, kind: str, line: str, rest: list[str], merges: int,
                   blocks: list[_Block], b: int, number: int, flags: list[str],
                   *, weak_allowed: bool = True) -> list[str]:
        """Split the first line of a block into the cells merged on it (left to right)."""
        if merges <= 0:
            return [line]
        if kind in ("name", "implementers"):
            at = self.funder_start(line, rest)
            if at is not None:
                left, fund = _split_at(line, at)
                if kind == "implementers" or merges < 2:
                    return [left, fund]
                impl_at, sure = self.implementer_start(left)
                if impl_at is None:
                    impl_at, sure = self.fallback_start(left), False
                if impl_at is None:
                    flags.append(f"line {number}: could not split name from implementer")
                    return [left, fund]
                if not sure:
                    flags.append(f"line {number}: name and implementer split by rule")
                return [*_split_at(left, impl_at), fund]
            if kind == "implementers":
                org_end = self.organisation_end(line)
                if org_end is not None and self.starts_funding(join_lines([line[org_end:], *rest])):
                    flags.append(f"line {number}: implementer and funding split by rule")
                    return list(_split_at(line, org_end))
                return [line]
            impl_at, sure = self.implementer_start(line, rest)
            next_is_funding = b + 1 < len(blocks) and (
                self.looks_like_funding(join_lines([t for _, t in blocks[b + 1].lines]))
                or self.starts_funding(blocks[b + 1].lines[0][1]))
            if impl_at is None and next_is_funding:
                impl_at, sure = self.fallback_start(line), False
            if impl_at is None or (not sure and not weak_allowed):
                return [line]
            if not sure:
                flags.append(f"line {number}: name and implementer split by rule")
            segments = list(_split_at(line, impl_at))
            if merges >= 2:
                org_end = self.organisation_end(segments[1])
                if org_end is not None and self.starts_funding(
                        join_lines([segments[1][org_end:], *rest])):
                    flags.append(f"line {number}: implementer and funding split by rule")
                    segments = [segments[0], *_split_at(segments[1], org_end)]
            return segments
        if kind == "funding":
            at = self.period_end(line)
            return list(_split_at(line, at)) if at is not None else [line]
        if kind == "description":
            at = self.area_suffix(line)
            return list(_split_at(line, at)) if at is not None else [line]
        return [line]

    @staticmethod
    def starts_funding(text: str) -> bool:
        """Whether *text* starts like a funding cell (a funder or a date)."""
        text = text.strip()
        if ";" not in text and re.search(r"(?:\d{1,2}\.\d{1,2}\.|\b)(?:19|20)\d{2}\s*[-–→]?$", text):
            return True
        return bool(_FUNDER_START.match(text) or re.match(r"\d", text)
                    or re.match(r"[A-ZÄÖ][\w-]*\s+(?:Leader|ELY)", text)
                    or re.match(r"(?:[A-ZÄÖ][a-zäö]+\s+)?[A-ZÄÖ][a-zäö-]*Leader", text))

    @staticmethod
    def fallback_start(line: str) -> int | None:
        """First capitalised word after the first one (not after a dash): the implementer.

        In an all-capitals name, capitalised words go on with the name.
        """
        tokens = list(re.finditer(r"\S+", line))
        caps_name = tokens[0].group().isupper() and len(tokens[0].group()) > 1 if tokens else False
        for i in range(1, len(tokens)):
            word = tokens[i].group()
            if caps_name and word.isupper() and not re.match(r"[\d-]+$", tokens[i - 1].group()):
                continue
            if word[:1].isupper() and tokens[i - 1].group() not in ("-", "–"):
                return tokens[i].start()
        return None

    # --- one entry ---------------------------------------------------------
    def parse(self, section: str, index: int, numbered: list[tuple[int, str]]) -> CatalogueEntry:
        flags: list[str] = [
            f"line {n}: page-break artefact (whitespace-only line); a cell may be truncated"
            for n, text in numbered if text and not text.strip()
        ]
        blocks = _blocks(numbered)
        pieces: dict[str, list[tuple[int, str]]] = {}

        # The last block holds the theme cell, maybe after area and description.
        last = blocks.pop()
        first_no, first = last.lines[0]
        cut = _theme_suffix(first)
        head = first[: cut].rstrip() if cut else ""
        pieces["themes"] = [(first_no, first[cut:] if cut else first)] + last.lines[1:]
        if head:
            area_at = self.area_suffix(head)
            if area_at is not None:
                pieces["area"] = [(first_no, head[area_at:])]
                head = head[:area_at].rstrip()
            if head:
                pieces["area" if "area" not in pieces else "description"] = [(first_no, head)]

        # The blocks before it, from the left: name, implementers, funding, description, area.
        order = [c for c in CELL_NAMES[:5] if c not in pieces]
        position = 0
        for b, block in enumerate(blocks):
            number, line = block.lines[0]
            rest = [t for _, t in block.lines[1:]]
            block_text = join_lines([t for _, t in block.lines])
            blocks_after = len(blocks) - b - 1
            # An empty funding cell: the block after the implementers is already prose.
            if (position < len(order) and order[position] == "funding"
                    and not self.looks_like_funding(block_text)
                    and self.looks_like_description(block_text)):
                flags.append("no funding cell in the source")
                position += 1
            if (position < len(order) and order[position] == "implementers"
                    and _FUNDER_START.match(block_text) and b + 1 < len(blocks)
                    and self.looks_like_description(join_lines([t for _, t in blocks[b + 1].lines]))):
                flags.append("no implementer cell in the source")
                position += 1
            if position >= len(order):
                flags.append(f"extra text at lines {block.lines[0][0]}-{block.lines[-1][0]}")
                pieces.setdefault("description", []).extend(block.lines)
                continue
            merges = (len(order) - position) - (blocks_after + 1)
            kind = order[position]
            # Merges that later blocks will certainly make (a funder inside their first line)
            # are not this block's to make.
            pending = sum(1 for later in blocks[b + 1:] if self.strong_merge(later))
            segments = self.split_line(kind, line, rest, merges, blocks, b, number, flags,
                                       weak_allowed=merges - pending > 0)
            names = order[position: position + len(segments)]
            for name, segment in zip(names, segments, strict=False):
                pieces.setdefault(name, []).append((number, segment))
            pieces[names[-1]].extend(block.lines[1:])
            position += len(names)

        missing = [c for c in CELL_NAMES if c not in pieces]
        if missing:
            flags.append("missing cell(s): " + ", ".join(missing))
        cells = {
            name: Cell(join_lines([t for _, t in parts]), parts[0][0], parts[-1][0])
            for name, parts in pieces.items()
        }
        _known, unknown = split_themes(cells["themes"].text)
        if unknown:
            flags.append("unknown theme(s): " + ", ".join(unknown))
        flags.extend(_year_disagreement(cells))
        flags.extend(_page_break_cuts(cells, numbered))
        flags.extend(_clipped_letters(cells))
        return CatalogueEntry(
            section=section, index=index, first_line=numbered[0][0],
            last_line=numbered[-1][0], cells=cells, flags=tuple(flags),
        )


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


def _entry_spans(body: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """Cut a section body into entries: each ends with a complete theme cell."""
    entries: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    for i, (number, line) in enumerate(body):
        current.append((number, line))
        if not line.strip():
            continue
        following = body[i + 1][1] if i + 1 < len(body) else ""
        # A row normally ends before a blank line; at a page break the next row's name
        # may follow the theme cell directly (a line that is not a theme word).
        if following.strip() and (_is_theme_line(following) or not _is_theme_line(line)
                                  or not following.strip()[:1].isupper()):
            continue
        # line is the last of its block: does the block end in a complete theme cell?
        block_lines: list[str] = []
        for _, text in reversed(current):
            if not text.strip():
                break
            block_lines.insert(0, text)
        theme_lines: list[str] = []
        for text in reversed(block_lines):
            if _is_theme_line(text):
                theme_lines.insert(0, text.strip())
                continue
            cut = _theme_suffix(text)
            if cut is not None:
                theme_lines.insert(0, text[cut:].strip())
            break
        if theme_lines and _theme_complete(" ".join(theme_lines)):
            while current and not current[0][1].strip():
                current.pop(0)
            entries.append(current)
            current = []
            if following.strip():  # keep the next row apart: insert a virtual blank line
                current.append((number, ""))
    if any(text.strip() for _, text in current):
        entries.append([(n, t) for n, t in current if True])
    return entries


def parse_catalogue(
    path: Path,
    *,
    is_area_item: Callable[[str], bool],
    known_organisations: set[str] | None = None,
    layout: CatalogueLayout | None = None,
) -> tuple[Section, ...]:
    """Parse the catalogue into sections and entries.

    Parameters
    ----------
    path
        The catalogue text file.
    is_area_item
        Tells whether a string is one item of an area cell (a place name as the
        catalogue writes it); used to split merged description/area lines.
    known_organisations
        Organisation names known from elsewhere (aliases), used to split merged
        name/implementer lines.
    layout
        The sections the file must have (:func:`load_catalogue_layout`). With a
        layout, headings and header rows are matched tolerantly and each section
        is named by its expected heading; a missing, unknown or misplaced
        section, or an entry count far from the expected one, is an error.
        Without one, any sections are read as they come.

    Raises
    ------
    SourceError
        If the file cannot be read, has no section header at all, or does not
        fit *layout* (the message names the line and what to fix).
    """
    lines = read_lines(path)
    header = layout.header if layout is not None else _HEADER
    starts = [i for i in range(len(lines) - 1)
              if lines[i + 1].startswith(header) or _nearly(lines[i + 1], header)]
    if not starts:
        raise SourceError(f"{path.name}: no section header ('{header}') found")
    parser = _EntryParser(is_area_item, known_organisations or set())
    sections = []
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        body_start = start + 2
        while body_start < end and lines[body_start].strip() in ("", "Toteutusaika",
                                                                   "Kuvaus Alue Teema"):
            body_start += 1
        title = lines[start].strip()
        if layout is not None:
            title = _expected_heading(path, start + 1, title, layout)
        body = [(n + 1, lines[n]) for n in range(body_start, end)]
        entries = []
        for index, span in enumerate(_entry_spans(body), start=1):
            entries.append(parser.parse(title, index, span))
        sections.append(Section(title, start + 1, tuple(entries)))
    if layout is not None:
        _check_layout(path, lines, tuple(sections), layout)
    return _flag_damage_across_rows(tuple(sections))


def _expected_heading(path: Path, number: int, title: str, layout: CatalogueLayout) -> str:
    """The layout's heading that *title* (on line *number*) nearly is, else a SourceError."""
    for section in layout.sections:
        if _nearly(title, section.heading):
            return section.heading
    raise SourceError(
        f"{path.name}:{number}: {title[:80]!r} stands before a header row but is not a section "
        f"heading of the layout ({', '.join(s.heading for s in layout.sections)}); correct the "
        "heading, or the layout file catalogue_layout.yaml if the document changed")


def _check_layout(path: Path, lines: Sequence[str], sections: tuple[Section, ...],
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
                          and _nearly(lines[n], expected.heading)]
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


def _flag_damage_across_rows(sections: tuple[Section, ...]) -> tuple[Section, ...]:
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
