"""Project periods as sources write them: full dates, months, years, month names, truncations."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from rdflib import Literal
from rdflib.namespace import XSD

__all__ = ["PartialDate", "Period", "parse_period"]

_MONTHS = {
    name: number for number, name in enumerate(
        ("tammikuu", "helmikuu", "maaliskuu", "huhtikuu", "toukokuu", "kesäkuu", "heinäkuu",
         "elokuu", "syyskuu", "lokakuu", "marraskuu", "joulukuu"), start=1)
}
_SEP = r"\s*(?:-|–|—|→)\s*"
_DMY = r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{0,3})"  # the year may be missing or truncated
_MY = r"(\d{1,2})/(\d{4}|\d{0,3})"
_Y = r"((?:19|20)\d{2})"
_MONTH_NAME = r"(" + "|".join(_MONTHS) + r")\w*\s+(\d{0,4})"


@dataclass(frozen=True)
class PartialDate:
    """A date known to a day, a month or a year."""

    year: int
    month: int | None = None
    day: int | None = None

    def literal(self) -> Literal:
        """The value as stated, typed by its precision (xsd:date, xsd:gYearMonth, xsd:gYear)."""
        if self.day is not None and self.month is not None:
            return Literal(date(self.year, self.month, self.day), datatype=XSD.date)
        if self.month is not None:
            return Literal(f"{self.year:04d}-{self.month:02d}", datatype=XSD.gYearMonth)
        return Literal(f"{self.year:04d}", datatype=XSD.gYear)

    def first_day(self) -> date:
        """The earliest day the value can mean."""
        return date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> date:
        """The latest day the value can mean."""
        month = self.month or 12
        return date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])


@dataclass(frozen=True)
class Period:
    """A start and an end (either may be unknown) and what went wrong reading them."""

    start: PartialDate | None
    end: PartialDate | None
    problems: tuple[str, ...] = ()


def _valid(year: int, month: int | None, day: int | None) -> PartialDate | None:
    """The date if it exists and its year is plausible for a project (1900-2099), else None."""
    if not 1900 <= year <= 2099:
        return None
    try:
        if month is not None:
            date(year, month, day or 1)
    except ValueError:
        return None
    return PartialDate(year, month, day)


def _one(text: str, *, default_year: int | None = None) -> tuple[PartialDate | None, str | None]:
    text = text.strip().rstrip(".")
    if not text:
        return None, None
    if m := re.fullmatch(_DMY, text + ("." if text.count(".") == 1 else "")) or re.fullmatch(
            _DMY, text):
        day, month, year = int(m.group(1)), int(m.group(2)), m.group(3)
        if len(year) != 4:
            if default_year is not None and not year:
                found = _valid(default_year, month, day)
                return found, None if found else f"invalid date {text!r}"
            return None, f"truncated date {text!r}"
        found = _valid(int(year), month, day)
        return found, None if found else f"invalid date {text!r}"
    if m := re.fullmatch(_MY, text):
        if len(m.group(2)) != 4:
            return None, f"truncated date {text!r}"
        found = _valid(int(m.group(2)), int(m.group(1)), None)
        return found, None if found else f"invalid month {text!r}"
    if m := re.fullmatch(_MONTH_NAME, text.casefold()):
        if len(m.group(2)) != 4:
            return None, f"truncated date {text!r}"
        found = _valid(int(m.group(2)), _MONTHS[m.group(1)], None)
        return found, None if found else f"invalid month {text!r}"
    if m := re.fullmatch(_Y, text):
        return PartialDate(int(m.group(1))), None
    if re.fullmatch(r"\d{1,3}", text):
        return None, f"truncated date {text!r}"
    return None, f"unreadable date {text!r}"


def parse_period(text: str) -> Period:
    """Read a period such as ``1.10.2018 - 31.12.2020``, ``2018-2020`` or ``8/2016–2/2019``.

    A single year means the period lies within that year (start and end both
    that year). A truncated or unreadable part is left unknown and reported in
    ``problems``, never guessed.

    Examples
    --------
    >>> p = parse_period("13.02.2016 → 15.03.201")
    >>> p.start, p.end, p.problems
    (PartialDate(year=2016, month=2, day=13), None, ("truncated date '15.03.201'",))
    >>> p = parse_period("2.1.–31.12.2017")
    >>> p.start.first_day().isoformat(), p.end.last_day().isoformat()
    ('2017-01-02', '2017-12-31')
    >>> parse_period("Toukokuu 2017 – Huhtikuu 2019").end
    PartialDate(year=2019, month=4, day=None)
    >>> parse_period("2021").start == parse_period("2021").end == PartialDate(2021)
    True
    >>> parse_period("Kesäkuu 0000 – Huhtikuu 2019").problems
    ("invalid month 'Kesäkuu 0000'",)
    """
    text = " ".join(text.split()).strip(" ,")
    if not text:
        return Period(None, None, ("no period",))
    text = re.sub(r"(\d{1,2}\.\d{1,2}\.) ((?:19|20)\d{2})", r"\1\2", text)  # "1.8. 2020"
    cleaned = re.sub(r"([-–])[a-zäö](?=\s)", r"\1", text)  # a stray letter after a dash
    notes: tuple[str, ...] = ()
    if cleaned != text:
        notes = (f"stray character removed from {text!r}",)
        text = cleaned
    if "," in text:
        pieces = [parse_period(piece) for piece in text.split(",") if piece.strip()]
        starts = [p.start for p in pieces if p.start is not None]
        ends = [p.end for p in pieces if p.end is not None]
        return Period(
            min(starts, key=lambda d: d.first_day()) if starts else None,
            max(ends, key=lambda d: d.last_day()) if ends else None,
            notes + tuple(x for p in pieces for x in p.problems)
            + (f"{len(pieces)} periods stated; the whole span is used",),
        )
    parts = re.split(_SEP, text, maxsplit=1)
    if len(parts) == 1 or (len(parts) == 2 and not parts[1].strip() and not re.search(r"[-–—→]\s*$", text)):
        start, problem = _one(parts[0])
        if start is not None and start.month is None and len(parts) == 1:
            return Period(start, start, notes)
        return Period(start, None, notes + tuple(p for p in (problem,) if p))
    end, end_problem = _one(parts[1])
    default_year = end.year if end is not None else None
    start, start_problem = _one(parts[0], default_year=default_year)
    problems = notes + tuple(p for p in (start_problem, end_problem) if p)
    if not parts[1].strip():
        problems += ("open-ended period (no end stated)",)
    if start and end and start.first_day() > end.last_day():
        problems += (f"start after end in {text!r}",)
    return Period(start, end, problems)
