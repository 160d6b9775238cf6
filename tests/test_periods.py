"""Periods as the sources write them (``periods.py``), read from the real catalogue's lines."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD

from hyvinvointi_kg.assembly.periods import PartialDate, parse_period
from hyvinvointi_kg.namespaces import HK, ID

CATALOGUE = Path(__file__).parent.parent / "data" / "sources" / "lapland_projects_catalogue_fi.txt"


@cache
def _lines() -> tuple[str, ...]:
    return tuple(CATALOGUE.read_text(encoding="utf-8").splitlines())


def _cell(first: int, last: int) -> str:
    """Lines *first*..*last* (1-based) joined as a flattened table cell is: a line that ends in a
    space is followed by a space, one that does not continues its word on the next line."""
    text = ""
    for line in _lines()[first - 1:last]:
        text += line if not line or not line[-1].isspace() else line.rstrip() + " "
    return text


# --- parse_period on cells of the catalogue --------------------------------------------------

def test_parse_period_day_dates_split_over_two_lines() -> None:
    # catalogue 7543-7544: '1.2.2017 - ' / '31.12.2019'
    period = parse_period(_cell(7543, 7544))
    assert (period.start, period.end, period.problems) == (
        PartialDate(2017, 2, 1), PartialDate(2019, 12, 31), ())


def test_parse_period_en_dash_with_a_word_broken_at_the_line_end() -> None:
    # catalogue 1344-1345: '12.4.2019–3' / '1.12.2020' (the end day is cut after its first digit)
    period = parse_period(_cell(1344, 1345))
    assert (period.start, period.end, period.problems) == (
        PartialDate(2019, 4, 12), PartialDate(2020, 12, 31), ())


def test_parse_period_finnish_month_names() -> None:
    # catalogue 5760-5762: 'Toukokuu 201' / '7 – Huhtikuu ' / '2019' (May 2017 - April 2019)
    assert _cell(5760, 5762) == "Toukokuu 2017 – Huhtikuu 2019"
    period = parse_period(_cell(5760, 5762))
    assert (period.start, period.end, period.problems) == (PartialDate(2017, 5), PartialDate(2019, 4), ())
    assert period.start is not None and period.end is not None
    assert (period.start.literal(), period.end.literal()) == (
        Literal("2017-05", datatype=XSD.gYearMonth), Literal("2019-04", datatype=XSD.gYearMonth))
    assert (period.start.first_day(), period.end.last_day()) == (date(2017, 5, 1), date(2019, 4, 30))


def test_parse_period_months_with_slashes_end_on_the_last_day_of_february() -> None:
    # catalogue 6871: '8/2016–2/2019'
    period = parse_period(_cell(6871, 6871))
    assert (period.start, period.end) == (PartialDate(2016, 8), PartialDate(2019, 2))
    assert period.end is not None and period.end.last_day() == date(2019, 2, 28)


def test_parse_period_month_cut_at_the_dash() -> None:
    # catalogue 6196-6197: ' 6/2018-' / '11/2022'
    period = parse_period(_cell(6196, 6197))
    assert (period.start, period.end, period.problems) == (PartialDate(2018, 6), PartialDate(2022, 11), ())


def test_parse_period_arrow_between_no_break_spaces() -> None:
    # catalogue 5188-5189: '01.09.2018\xa0→\xa0' / '31.08.2021'
    assert "\xa0→\xa0" in _lines()[5188 - 1]
    period = parse_period(_cell(5188, 5189))
    assert (period.start, period.end, period.problems) == (
        PartialDate(2018, 9, 1), PartialDate(2021, 8, 31), ())


def test_parse_period_truncated_end_is_left_unknown() -> None:
    # catalogue 49-50: '13.02.2016 ' / '→ 15.03.201' (the PDF cut the year; never guessed)
    period = parse_period(_cell(49, 50))
    assert (period.start, period.end) == (PartialDate(2016, 2, 13), None)
    assert period.problems == ("truncated date '15.03.201'",)


def test_parse_period_day_and_month_take_the_year_of_the_end() -> None:
    # catalogue 7435-7436: ' 2.1.–31.12.20' / '17' (the start states no year)
    period = parse_period(_cell(7435, 7436))
    assert (period.start, period.end, period.problems) == (
        PartialDate(2017, 1, 2), PartialDate(2017, 12, 31), ())


def test_parse_period_year_on_the_next_line_after_day_and_month() -> None:
    # catalogue 6686-6688: 'STM 1.8. ' / '2020 - ' / '31.12.2021' (the funder cell shares the line)
    text = _cell(6686, 6688).removeprefix("STM ")
    assert text == "1.8. 2020 - 31.12.2021"
    period = parse_period(text)
    assert (period.start, period.end, period.problems) == (
        PartialDate(2020, 8, 1), PartialDate(2021, 12, 31), ())


def test_parse_period_years_only() -> None:
    # catalogue 1317: '2018-2020'
    period = parse_period(_cell(1317, 1317))
    assert (period.start, period.end, period.problems) == (PartialDate(2018), PartialDate(2020), ())
    assert period.start is not None and period.end is not None
    assert (period.start.first_day(), period.end.last_day()) == (date(2018, 1, 1), date(2020, 12, 31))


def test_parse_period_single_year_is_both_start_and_end() -> None:
    # catalogue 950: 'STEA 2021 Yli 65-vuotiaiden ...' (Seniorin eväät in the Kemi section: the
    # funding, period and description cells share the line)
    text = _lines()[950 - 1].split()[1]
    assert text == "2021"
    period = parse_period(text)
    assert (period.start, period.end, period.problems) == (PartialDate(2021), PartialDate(2021), ())


def test_parse_period_stray_letter_after_the_dash_is_removed_and_reported() -> None:
    # catalogue 7482-7483: '1.10.2018 -y ' / '31.12.2021'
    period = parse_period(_cell(7482, 7483))
    assert (period.start, period.end) == (PartialDate(2018, 10, 1), PartialDate(2021, 12, 31))
    assert period.problems == ("stray character removed from '1.10.2018 -y 31.12.2021'",)


def test_parse_period_several_periods_give_the_whole_span() -> None:
    # catalogue 6771-6776: '15.08.2017 - ' / '30.06.2018, ' / ... / '31.10.2020'
    period = parse_period(_cell(6771, 6776))
    assert (period.start, period.end) == (PartialDate(2017, 8, 15), PartialDate(2020, 10, 31))
    assert period.problems == ("3 periods stated; the whole span is used",)


@pytest.mark.parametrize("dash", ["-", "–", "—", "→"])
def test_parse_period_open_end_is_reported(dash: str) -> None:
    # No catalogue cell leaves the end open (an awk scan for a date and a dash followed by an
    # empty line finds none), so this one is made up; every separator the parser knows counts.
    period = parse_period(f"1.9.2016 {dash}")
    assert (period.start, period.end) == (PartialDate(2016, 9, 1), None)
    assert period.problems == ("open-ended period (no end stated)",)


def test_parse_period_start_after_end_is_reported() -> None:
    period = parse_period("31.12.2020 - 1.1.2019")
    assert period.problems == ("start after end in '31.12.2020 - 1.1.2019'",)


@pytest.mark.parametrize(("day", "first", "last"), [
    (PartialDate(2020, 2), date(2020, 2, 1), date(2020, 2, 29)),  # a leap year
    (PartialDate(2019), date(2019, 1, 1), date(2019, 12, 31)),
    (PartialDate(2019, 4, 30), date(2019, 4, 30), date(2019, 4, 30)),
])
def test_partial_date_first_and_last_day(day: PartialDate, first: date, last: date) -> None:
    assert (day.first_day(), day.last_day()) == (first, last)


# --- the periods in the built graph ------------------------------------------------------------

def _period_claims(graph: Graph, first: int, last: int) -> dict[str, Literal]:
    """hk:start/hk:end claims made from the catalogue lines *first*..*last*."""
    span = ID[f"source/lapland_projects_catalogue_fi.txt/lines/{first}-{last}"]
    found = {}
    for claim in graph.subjects(PROV.wasDerivedFrom, span):
        predicate = graph.value(claim, RDF.predicate)
        if predicate in (HK.start, HK.end):
            value = graph.value(claim, RDF.object)
            assert isinstance(value, Literal)
            found[str(predicate).rsplit("#", 1)[-1]] = value
    return found


def test_graph_months_keep_their_precision_and_bounds(built_graph: Graph) -> None:
    # catalogue 5753-5762: the Elävät kylät row (funding cell from 5753, period 'Toukokuu 201' /
    # '7 – Huhtikuu ' / '2019' at 5760-5762)
    assert _period_claims(built_graph, 5753, 5762) == {
        "start": Literal("2017-05", datatype=XSD.gYearMonth),
        "end": Literal("2019-04", datatype=XSD.gYearMonth)}
    project = ID["project/elavat-kylat-kulttuurista-voimaa-hyvinvoinnin-tueksi"]
    assert built_graph.value(project, HK.startDate) == Literal(date(2017, 5, 1), datatype=XSD.date)
    assert built_graph.value(project, HK.endDate) == Literal(date(2019, 4, 30), datatype=XSD.date)


def test_graph_truncated_end_gives_no_end_claim(built_graph: Graph) -> None:
    # catalogue 48-50: 'liitto ' / '13.02.2016 ' / '→ 15.03.201': a start, no end
    prefix = str(ID["source/lapland_projects_catalogue_fi.txt/lines/"])
    covering = {s for s in built_graph.objects(None, PROV.wasDerivedFrom)
                if isinstance(s, URIRef) and str(s).startswith(prefix) and _covers(s, 50)}
    claims = {str(built_graph.value(c, RDF.predicate)).rsplit("#", 1)[-1]: built_graph.value(c, RDF.object)
              for s in covering for c in built_graph.subjects(PROV.wasDerivedFrom, s)
              if built_graph.value(c, RDF.predicate) in (HK.start, HK.end)}
    assert claims == {"start": Literal(date(2016, 2, 13), datatype=XSD.date)}


def test_graph_several_periods_give_the_whole_span(built_graph: Graph) -> None:
    # catalogue 6770-6776: funding 'Lapin AVI' (6770), then three periods, 15.08.2017 to 31.10.2020
    assert _period_claims(built_graph, 6770, 6776) == {
        "start": Literal(date(2017, 8, 15), datatype=XSD.date),
        "end": Literal(date(2020, 10, 31), datatype=XSD.date)}


def _covers(span: str, line: int) -> bool:
    first, _, last = span.rsplit("/", 1)[-1].partition("-")
    return int(first) <= line <= int(last or first)

