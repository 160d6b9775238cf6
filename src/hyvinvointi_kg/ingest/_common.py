"""Helpers shared by the parsers of the source documents."""

from __future__ import annotations

import re
from datetime import date

from hyvinvointi_kg.assembly.provenance import Stated
from hyvinvointi_kg.errors import SourceError

__all__ = ["parse_day_range"]

_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")


def parse_day_range(name: str, stated: Stated) -> tuple[date, date]:
    """The start and end dates (d.m.yyyy) stated in *stated*, checked.

    Raises
    ------
    SourceError
        Naming the file and line, if there are not exactly two valid dates in order.

    Examples
    --------
    >>> parse_day_range("x.txt", Stated("1.9.2019 – 31.3.2022", 7, 7))
    (datetime.date(2019, 9, 1), datetime.date(2022, 3, 31))
    """
    dates = _DATE.findall(stated.text)
    if len(dates) != 2:
        raise SourceError(f"{name}:{stated.first_line}: expected a start and an end date "
                          f"(d.m.yyyy), got {stated.text!r}")
    try:
        start, end = (date(int(y), int(m), int(d)) for d, m, y in dates)
    except ValueError as err:
        raise SourceError(f"{name}:{stated.first_line}: invalid date: {err}") from err
    if end < start:
        raise SourceError(f"{name}:{stated.first_line}: the period ends before it starts: "
                          f"{stated.text!r}")
    return start, end
