"""The catalogue's text: numbered lines in; blocks, entry spans, cell text with broken words joined, and themes out."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["THEMES", "Block", "join_lines", "split_blocks", "split_entries", "split_themes", "theme_suffix"]

THEMES = ("hyvinvointi", "sosiaalinen osallisuus", "turvallisuus", "yhteisöllisyys")
_THEME_TOKENS = {"hyvinvointi", "sosiaalinen", "osallisuus", "turvallisuus", "yhteisöllisyys"}
_DATE_END = re.compile(r"(\d{1,2}\.\d{1,2}\.\d{2,4}|\b(?:19|20)\d{2}|\d{1,2}\.\d{1,2}\.)\s*$")


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


def theme_suffix(line: str) -> int | None:
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
    return theme_suffix(line) == len(line) - len(line.lstrip())


def _theme_complete(text: str) -> bool:
    known, unknown = split_themes(text)
    return bool(known) and not unknown


@dataclass
class Block:
    """The numbered lines of one block of a row; its first line may hold several cells."""

    lines: list[tuple[int, str]]


def split_blocks(numbered: Sequence[tuple[int, str]]) -> list[Block]:
    """Cut the numbered lines of one row into blocks at blank lines.

    A whitespace-only line (a page-break artefact) separates nothing; a line
    that starts with a space right after a complete period starts a block.
    """
    blocks: list[Block] = []
    current: list[tuple[int, str]] = []
    for number, line in numbered:
        if line and not line.strip():
            continue  # a whitespace-only line: a page-break artefact inside a cell, not a separator
        if line.strip():
            # A line that starts with a space right after a complete period starts a new
            # cell even without a blank line (a row continuing after a page break).
            if current and line[:1].isspace() and _DATE_END.search(current[-1][1].strip()):
                blocks.append(Block(current))
                current = []
            current.append((number, line))
        elif current:
            blocks.append(Block(current))
            current = []
    if current:
        blocks.append(Block(current))
    return blocks



def split_entries(body: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
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
            cut = theme_suffix(text)
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
