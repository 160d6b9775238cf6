"""The catalogue's expected layout: sections found tolerantly, counts checked, damage named."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from hyvinvointi_kg._resources import resource_dir
from hyvinvointi_kg.errors import InputError, SourceError
from hyvinvointi_kg.ingest.catalogue import parse_catalogue
from hyvinvointi_kg.ingest.catalogue_layout import CatalogueLayout, load_catalogue_layout

CATALOGUE = resource_dir("data/sources") / "lapland_projects_catalogue_fi.txt"
LAYOUT_FILE = resource_dir("data/curation") / "catalogue_layout.yaml"
HAND_COUNTS = Path(__file__).parent / "data" / "catalogue_counts.yaml"
LINES = CATALOGUE.read_text(encoding="utf-8").split("\n")
KEMI_HEADER, KEMINMAA_HEADER = 2, 1484  # 0-based indexes of the first two header rows


@pytest.fixture(scope="module")
def layout() -> CatalogueLayout:
    return load_catalogue_layout(LAYOUT_FILE)


def parse(tmp_path: Path, lines: list[str], layout: CatalogueLayout) -> list[tuple[str, int]]:
    path = tmp_path / "catalogue.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return [(s.title, len(s.entries))
            for s in parse_catalogue(path, is_area_item=lambda t: False, layout=layout)]


def test_load_catalogue_layout_matches_the_hand_count(layout: CatalogueLayout) -> None:
    counts = yaml.safe_load(HAND_COUNTS.read_text(encoding="utf-8"))
    assert [(s.heading, s.entries) for s in layout.sections] == [
        (k, v) for k, v in counts.items() if k != "total" and isinstance(v, int)]


def test_parse_catalogue_bundled_file_fits_the_layout(tmp_path: Path, layout: CatalogueLayout) -> None:
    assert parse(tmp_path, LINES, layout) == [(s.heading, s.entries) for s in layout.sections]


@pytest.mark.parametrize("row", [KEMI_HEADER, KEMINMAA_HEADER])
@pytest.mark.parametrize("header", ["Hankkeen  nimi Toteuttajat Rahoitus ",
                                    "HANKKEEN NIMI TOTEUTTAJAT RAHOITUS",
                                    "Hankkeen nimi Toteutajat Rahoitus "])
def test_parse_catalogue_header_row_nearly_right_is_recognised(
        tmp_path: Path, layout: CatalogueLayout, row: int, header: str) -> None:
    lines = list(LINES)
    lines[row] = header
    assert parse(tmp_path, lines, layout) == [(s.heading, s.entries) for s in layout.sections]


def test_parse_catalogue_heading_nearly_right_is_named_by_the_layout(
        tmp_path: Path, layout: CatalogueLayout) -> None:
    lines = list(LINES)
    lines[KEMINMAA_HEADER - 1] = "  KEMINMAAN"
    assert parse(tmp_path, lines, layout)[1] == ("Keminmaa", 32)


def test_parse_catalogue_damaged_header_row_names_the_heading_line(
        tmp_path: Path, layout: CatalogueLayout) -> None:
    lines = list(LINES)
    lines[KEMINMAA_HEADER] = "Hankkeen tiedot"
    with pytest.raises(SourceError, match=r"section 'Keminmaa' not found; line 1484 reads "
                                          r"'Keminmaa' but the next line 'Hankkeen tiedot'"):
        parse(tmp_path, lines, layout)


def test_parse_catalogue_unknown_heading_is_an_error_naming_the_line(
        tmp_path: Path, layout: CatalogueLayout) -> None:
    lines = list(LINES)
    lines[KEMINMAA_HEADER - 1] = "Ranua"
    with pytest.raises(SourceError, match=r"catalogue.txt:1484: 'Ranua' stands before a header row"):
        parse(tmp_path, lines, layout)


def test_parse_catalogue_cut_in_half_is_an_error(tmp_path: Path, layout: CatalogueLayout) -> None:
    with pytest.raises(SourceError, match="not found; the file may be cut short"):
        parse(tmp_path, LINES[: len(LINES) // 2], layout)


def test_parse_catalogue_cut_inside_the_last_section_is_an_error(
        tmp_path: Path, layout: CatalogueLayout) -> None:
    with pytest.raises(SourceError, match=r":5120: section 'Lapin alueella .*' has \d+ entries; "
                                          r"the layout expects 151 ± 3"):
        parse(tmp_path, LINES[: int(len(LINES) * 0.7)], layout)


def test_parse_catalogue_section_twice_is_an_error(tmp_path: Path, layout: CatalogueLayout) -> None:
    with pytest.raises(SourceError, match="section 'Kemi' starts twice"):
        parse(tmp_path, LINES + LINES[:200], layout)


def test_parse_catalogue_without_layout_reads_any_sections(tmp_path: Path) -> None:
    path = tmp_path / "catalogue.txt"
    path.write_text("\n".join(LINES[:100]), encoding="utf-8")
    assert [s.title for s in parse_catalogue(path, is_area_item=lambda t: False)] == ["Kemi"]


@pytest.mark.parametrize("text, message", [
    ("header: H\nsections: [{heading: Kemi, entries: many}]\n",
     "section 1: entries must be an integer, not text"),
    ("header: H\nsections: Kemi\n", "sections must be a list"),
    ("header: H\nheader: I\nsections: []\n", "line 2: found the key 'header' a second time"),
    ("header: H\nsections: [{heading: Kemi, entries: 1, count: 2}]\n", "keys are heading"),
])
def test_load_catalogue_layout_bad_file_is_an_input_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "catalogue_layout.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_catalogue_layout(path)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([
    "", " ", "Kemi", "Keminmaa", "KEMI ", "Hankkeen nimi Toteuttajat Rahoitus ",
    "Hankkeen  nimi toteuttajat rahoitus", "Toteutusaika", "Kuvaus Alue Teema", "Lapin AMK ESR 2014-",
    "2020/ELY ", "hyvinvointi", "sosiaalinen ", "osallisuus", "Kemin kaupunki, ",
]), max_size=40), st.text(max_size=100))
def test_parse_catalogue_with_layout_raises_only_source_errors(
        tmp_path_factory: pytest.TempPathFactory, layout: CatalogueLayout,
        lines: list[str], noise: str) -> None:
    path = tmp_path_factory.mktemp("cat") / "catalogue.txt"
    path.write_text("\n".join([*lines, noise]), encoding="utf-8")
    with contextlib.suppress(SourceError):
        parse_catalogue(path, is_area_item=lambda t: False, layout=layout)
