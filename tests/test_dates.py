"""dates.py: dates and periods as people type them, and the one clear error for the rest."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from hyvinvointi_kg.cli import main
from hyvinvointi_kg.dates import parse_date, parse_period
from hyvinvointi_kg.errors import InputError

Y2019 = (date(2019, 1, 1), date(2019, 12, 31))
Y2018_2020 = (date(2018, 1, 1), date(2020, 12, 31))


@pytest.mark.parametrize(("text", "expected"), [
    ("1.9.2019", date(2019, 9, 1)),
    ("01.09.2019", date(2019, 9, 1)),
    ("2019-09-01", date(2019, 9, 1)),
    (" 29.2.2020 ", date(2020, 2, 29)),
])
def test_parse_date_finnish_and_iso_forms(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["31.2.2019", "29.2.2019", "2019-13-01", "1/9/2019", "syyskuu 2019", ""])
def test_parse_date_refuses_what_is_not_a_day_naming_it(text: str) -> None:
    with pytest.raises(InputError, match=repr(text).replace(".", r"\.").replace("(", r"\(")):
        parse_date(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("2019", Y2019),
    ("2018-2020", Y2018_2020),
    ("2018–2020", Y2018_2020),  # en dash, as Finnish text writes a range
    ("2018 — 2020", Y2018_2020),
    ("2018..2020", Y2018_2020),
    ("1.1.2019-31.12.2019", Y2019),
    ("1.1.2019–31.12.2019", Y2019),
    ("2019-01-01..2019-12-31", Y2019),
    ("2019-01-01-2019-12-31", Y2019),
    ("2019-01-01 – 2019-12-31", Y2019),
    ("1.1.2018-2020", Y2018_2020),  # a date and a year: the year's last day
    ("15.6.2019", (date(2019, 6, 15), date(2019, 6, 15))),
])
def test_parse_period_forms(text: str, expected: tuple[date, date]) -> None:
    assert parse_period(text) == expected


@pytest.mark.parametrize(("text", "message"), [
    ("2019-20", "'20' is not a year"),
    ("2020-2019", "ends before it starts"),
    ("31.12.2020-1.1.2020", "ends before it starts"),
    ("1.1.2019-31.2.2019", "'31.2.2019' is not a date"),
    ("kevät 2019", "neither a year nor a date"),
    ("2019-2020-2021", "is not a period"),
    ("2019..", "is not a period"),
    ("", "empty period"),
])
def test_parse_period_refuses_naming_the_value(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_period(text)


def test_cli_period_with_an_en_dash_and_a_reversed_one(capsys: pytest.CaptureFixture[str],
                                                       tmp_path: Path) -> None:
    args = ["network", "co-implementation", "--backend", "memory", "-f", "csv"]
    assert main([*args, "--period", "2018–2020", "-o", str(tmp_path / "a.csv")]) == 0
    capsys.readouterr()
    assert main([*args, "--period", "2020-2018", "-o", str(tmp_path / "b.csv")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'2020-2018' ends before it starts" in err
    assert not (tmp_path / "b.csv").exists()


def test_cli_query_date_parameter_in_finnish_form(capsys: pytest.CaptureFixture[str]) -> None:
    base = ["query", "projects-by-filter", "--backend", "memory", "-f", "csv"]
    assert main([*base, "-p", "active_from=1.1.2019", "-p", "active_to=31.12.2019"]) == 0
    finnish = capsys.readouterr().out
    assert main([*base, "-p", "active_from=2019-01-01", "-p", "active_to=2019-12-31"]) == 0
    assert capsys.readouterr().out == finnish and finnish.count("\n") > 10
    assert main([*base, "-p", "active_from=31.2.2019"]) == 2
    assert "'31.2.2019' is not a date" in capsys.readouterr().err
