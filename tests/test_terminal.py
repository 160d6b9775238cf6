"""Tables for a terminal (``terminal.py``): fitted columns, cut cells and a footer in the reader's language."""

from __future__ import annotations

import pytest

from hyvinvointi_kg.terminal import ELLIPSIS, text_table

ROWS = [("S1", "Nuorten hyvinvointi Kemissä"), ("S2", "Turvallinen arki")]


@pytest.mark.parametrize(("lang", "one", "two"), [("fi", "(1 rivi)", "(2 riviä)"), ("sv", "(1 rad)", "(2 rader)"),
                                                  ("en", "(1 row)", "(2 rows)")])
def test_text_table_footer_counts_rows_in_each_language(lang: str, one: str, two: str) -> None:
    assert text_table(("code", "name"), ROWS[:1], lang=lang).splitlines()[-1] == one  # type: ignore[arg-type]
    assert text_table(("code", "name"), ROWS, lang=lang).splitlines()[-1] == two  # type: ignore[arg-type]


def test_text_table_no_rows_is_a_plural() -> None:
    assert text_table(("koodi",), [], lang="fi").splitlines() == ["koodi", "-----", "(0 riviä)"]


@pytest.mark.parametrize(("lang", "note"), [
    ("fi", f"(2 riviä; {ELLIPSIS}-merkkiin päättyvät solut on lyhennetty, jotta taulukko mahtuu 24 merkin "
           "leveyteen: --full näyttää ne kokonaan)"),
    ("sv", f"(2 rader; celler som slutar på {ELLIPSIS} har kortats så att tabellen ryms på 24 teckens bredd: "
           "--full visar dem i sin helhet)"),
    ("en", f"(2 rows; cells ending in {ELLIPSIS} are cut to fit 24 columns: --full shows them whole)"),
])
def test_text_table_says_in_each_language_what_it_cut(lang: str, note: str) -> None:
    lines = text_table(("code", "name"), ROWS, width=24, lang=lang).splitlines()  # type: ignore[arg-type]
    assert lines[-1] == note
    assert lines[2] == "S1    Nuorten hyvinvoin…" and all(len(line) <= 24 for line in lines[:-1])


def test_text_table_whole_cells_without_a_width() -> None:
    lines = text_table(("code", "name"), ROWS).splitlines()
    assert lines[2] == "S1    Nuorten hyvinvointi Kemissä" and ELLIPSIS not in lines[-1]


def test_text_table_line_breaks_in_a_cell_become_spaces() -> None:
    assert text_table(("a",), [("yksi\nkaksi",)]).splitlines()[2] == "yksi kaksi"
