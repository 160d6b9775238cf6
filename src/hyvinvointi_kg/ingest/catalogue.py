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
from pathlib import Path

from hyvinvointi_kg.errors import SourceError
from hyvinvointi_kg.ingest.catalogue_flags import flag_damage_across_rows, flag_damage_in_row
from hyvinvointi_kg.ingest.catalogue_layout import CatalogueLayout, check_layout, expected_heading, nearly_equal
from hyvinvointi_kg.ingest.catalogue_records import CELL_NAMES, CatalogueEntry, Cell, Section
from hyvinvointi_kg.ingest.catalogue_text import (
    Block,
    join_lines,
    split_blocks,
    split_entries,
    split_themes,
    theme_suffix,
)
from hyvinvointi_kg.ingest.sources import read_lines

__all__ = ["parse_catalogue"]

_HEADER = "Hankkeen nimi Toteuttajat Rahoitus"

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

    def strong_merge(self, block: Block) -> bool:
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
                   blocks: list[Block], b: int, number: int, flags: list[str],
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
        blocks = split_blocks(numbered)
        pieces: dict[str, list[tuple[int, str]]] = {}

        # The last block holds the theme cell, maybe after area and description.
        last = blocks.pop()
        first_no, first = last.lines[0]
        cut = theme_suffix(first)
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
        flags.extend(flag_damage_in_row(cells, numbered))
        return CatalogueEntry(
            section=section, index=index, first_line=numbered[0][0],
            last_line=numbered[-1][0], cells=cells, flags=tuple(flags),
        )


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
              if lines[i + 1].startswith(header) or nearly_equal(lines[i + 1], header)]
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
            title = expected_heading(path, start + 1, title, layout)
        body = [(n + 1, lines[n]) for n in range(body_start, end)]
        entries = []
        for index, span in enumerate(split_entries(body), start=1):
            entries.append(parser.parse(title, index, span))
        sections.append(Section(title, start + 1, tuple(entries)))
    if layout is not None:
        check_layout(path, lines, tuple(sections), layout)
    return flag_damage_across_rows(tuple(sections))
