"""The data-quality report (``assembly/report.py``) in the language asked for; the build's own is English."""

from __future__ import annotations

from itertools import pairwise

import pytest

from hyvinvointi_kg import cli
from hyvinvointi_kg._resources import resource_dir
from hyvinvointi_kg.assembly.assemble import Assembly
from hyvinvointi_kg.assembly.report import quality_report


def _skeleton(text: str) -> list[object]:
    """The report's shape, line by line: heading level, list item, table row (its columns), text or blank."""
    return [line.split(" ")[0] if line.startswith(("#", "- ")) else line.count("|") if line.startswith("|")
            else bool(line) for line in text.splitlines()]


def _data_rows(text: str) -> list[str]:
    """The rows of the report's tables below their headers, but for the total row (its word translated)."""
    lines = text.splitlines()
    return [line for before, line in pairwise(lines)
            if line.startswith("| ") and before and not line.startswith("| **")]


@pytest.fixture(scope="module")
def english(built: Assembly) -> str:
    return quality_report(built)


def test_quality_report_english_is_what_the_build_wrote(english: str) -> None:
    # data/ttl/build-report.md is written by build() in English whatever --lang says (pipeline.py)
    assert english == (resource_dir("data/ttl") / "build-report.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(("lang", "words"), [
    ("fi", ("# Tietojen laaturaportti", "## Lähteiden väliset ristiriidat", "| tiedosto | laji | rivejä | SHA-256 |",
            "| **kaikki** | **317** |", "Tehty: 17. Ei enää vastaa mitään merkintää: 0.", "Ei yhtään.",
            "<summary>Kaikki huomautukset</summary>", ", rivi 74: line 74: name and implementer split by rule")),
    ("sv", ("# Rapport om datakvalitet", "## Konflikter mellan källor", "| fil | typ | rader | SHA-256 |",
            "| **alla** | **317** |", "Tillämpade: 17. Matchar inte längre någon post: 0.", "Inga.",
            "<summary>Alla flaggor</summary>", ", rad 74: line 74: name and implementer split by rule")),
])
def test_quality_report_in_each_language_same_data_and_shape(built: Assembly, english: str, lang: str,
                                                             words: tuple[str, ...]) -> None:
    text = quality_report(built, lang=lang)  # type: ignore[arg-type]
    assert all(word in text for word in words)
    assert "## Conflicts between sources" not in text and "None." not in text
    assert _skeleton(text) == _skeleton(english)  # the same headings, tables and rows
    assert _data_rows(text) == _data_rows(english)  # the data stays as the build states it
    assert "| S21758 | end | 2022-03-31" in text


def test_cli_report_quality_in_finnish(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--lang", "fi", "report", "quality"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Tietojen laaturaportti\n") and "## Tarkistetut korjaukset" in out
