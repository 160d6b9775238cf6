"""Dates and periods as people type them: ``1.1.2019``, ``2019-01-01``, ``2019``, ``2018–2020``."""

from __future__ import annotations

import re
from datetime import date

from hyvinvointi_kg.errors import InputError

__all__ = ["parse_date", "parse_period"]

#: The forms a period may take, for messages.
PERIOD_FORMS = "2019, 2018-2020, 1.1.2019-31.12.2020 or 2018-03-01..2019-12-31"

_FINNISH_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_YEAR = re.compile(r"\d{4}")
# Between two ends that are not ISO dates: a hyphen, an en or em dash or a minus sign.
_RANGE = re.compile(r"\s*[-\u2013\u2014\u2212]\s*")


def _day(year: str, month: str, day: str, text: str) -> date:
    try:
        return date(int(year), int(month), int(day))
    except ValueError as err:
        raise InputError(f"{text!r} is not a date: {err}") from err


def parse_date(text: str) -> date:
    """The date *text* names, written the Finnish way (``1.9.2019``) or ISO 8601 (``2019-09-01``).

    Raises
    ------
    InputError
        If *text* is neither form, or names a day that does not exist.

    Examples
    --------
    >>> parse_date("1.9.2019"), parse_date("2019-09-01"), parse_date(" 01.09.2019 ")
    (datetime.date(2019, 9, 1), datetime.date(2019, 9, 1), datetime.date(2019, 9, 1))
    >>> parse_date("31.2.2019")
    Traceback (most recent call last):
    ...
    hyvinvointi_kg.errors.InputError: '31.2.2019' is not a date: day is out of range for month
    """
    stripped = text.strip()
    if match := _FINNISH_DATE.fullmatch(stripped):
        day, month, year = match.groups()
        return _day(year, month, day, text)
    if match := _ISO_DATE.fullmatch(stripped):
        year, month, day = match.groups()
        return _day(year, month, day, text)
    raise InputError(f"{text!r} is not a date: write 1.9.2019 or 2019-09-01")


def _end(text: str, *, first: bool, whole: str) -> date:
    """One end of a period: a date, or a year (its first or last day)."""
    if _YEAR.fullmatch(text):
        return date(int(text), 1, 1) if first else date(int(text), 12, 31)
    if re.fullmatch(r"\d{1,3}", text):
        raise InputError(f"period {whole!r}: {text!r} is not a year; write years in full "
                         f"({PERIOD_FORMS})")
    if not (_FINNISH_DATE.fullmatch(text) or _ISO_DATE.fullmatch(text)):
        raise InputError(f"period {whole!r}: {text!r} is neither a year nor a date; use {PERIOD_FORMS}")
    return parse_date(text)  # a date form: only an impossible day is left to refuse


def parse_period(text: str) -> tuple[date, date]:
    """The first and last day of the period *text* names, inclusive.

    A year stands for the whole year; two ends are joined by ``..``, a hyphen or a
    dash (``2018–2020`` as typed in Finnish text); each end is a year or a date in
    Finnish or ISO form. A single date is a period of one day.

    Raises
    ------
    InputError
        If an end is not a year or a date, a year is abbreviated (``2019-20``) or the
        period ends before it starts. The message names the value.

    Examples
    --------
    >>> parse_period("2019")
    (datetime.date(2019, 1, 1), datetime.date(2019, 12, 31))
    >>> parse_period("2018–2020")
    (datetime.date(2018, 1, 1), datetime.date(2020, 12, 31))
    >>> parse_period("1.1.2019-31.12.2020")
    (datetime.date(2019, 1, 1), datetime.date(2020, 12, 31))
    >>> parse_period("2018-03-01..2019-12-31")
    (datetime.date(2018, 3, 1), datetime.date(2019, 12, 31))
    >>> parse_period("2020-2019")
    Traceback (most recent call last):
    ...
    hyvinvointi_kg.errors.InputError: period '2020-2019' ends before it starts (2020-01-01 > 2019-12-31)
    """
    whole = text.strip()
    if not whole:
        raise InputError(f"an empty period; use {PERIOD_FORMS}")
    if _ISO_DATE.fullmatch(whole) or _FINNISH_DATE.fullmatch(whole):
        day = parse_date(whole)
        return day, day
    if ".." in whole:
        parts = [part.strip() for part in whole.split("..")]
    elif _ISO_DATE.search(whole):
        parts = _split_iso_range(whole)
    else:
        parts = _RANGE.split(whole)
    if len(parts) == 1:
        return _end(parts[0], first=True, whole=whole), _end(parts[0], first=False, whole=whole)
    if len(parts) != 2 or not all(parts):
        raise InputError(f"{whole!r} is not a period; use {PERIOD_FORMS}")
    first, last = _end(parts[0], first=True, whole=whole), _end(parts[1], first=False, whole=whole)
    if last < first:
        raise InputError(f"period {whole!r} ends before it starts ({first} > {last})")
    return first, last


def _split_iso_range(text: str) -> list[str]:
    """``2019-01-01-2020-12-31`` (ISO dates joined by a hyphen or a dash) as its two dates."""
    match = re.fullmatch(r"(\d{4}-\d{1,2}-\d{1,2})\s*[-\u2013\u2014\u2212]\s*(\d{4}-\d{1,2}-\d{1,2})", text)
    return list(match.groups()) if match else [text]
