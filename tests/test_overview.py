"""The one-page overview report: figures checked against the queries, a safe and offline page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph

from hyvinvointi_kg.cli import main
from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.query import run_query
from hyvinvointi_kg.stores.files import load_graph
from hyvinvointi_kg.views.overview import Overview, overview, overview_html, write_overview


@pytest.fixture(scope="module")
def graph() -> Graph:
    return load_graph()


@pytest.fixture(scope="module")
def figures(graph: Graph) -> Overview:
    return overview(graph, lang="fi")


@pytest.fixture(scope="module")
def page(graph: Graph) -> str:
    return overview_html(graph, lang="en")


def test_key_figures(figures: Overview) -> None:
    # 227, 256, 9: summarise's figures, each counted another way in tests/test_summary.py (typed
    # nodes with rdflib; 5 documents + the municipality CSV + 3 curation files); 21: the rows of
    # data/reference/municipalities_fi.csv with region_code 19 (awk -F, '$5=="19"'); 818: see
    # tests/test_overlaps.py (the all-pairs check and the SPARQL query agree).
    assert (figures.projects, figures.organisations, figures.sources) == (227, 256, 9)
    assert figures.lapland_municipalities == 21 and figures.overlap_pairs == 818


def test_projects_by_municipality_agree_with_the_municipality_profile_query(
        graph: Graph, figures: Overview) -> None:
    counts = dict(figures.by_municipality)
    assert len(counts) == 21 and counts["Kemi"] == 52 and counts["Tornio"] == 44
    for name in ("Kemi", "Savukoski", "Pelkosenniemi"):
        rows = run_query(graph, "municipality-profile", municipality=name).records()
        assert counts[name] == len({r["project"] for r in rows}), name


def test_projects_by_theme_and_funder(figures: Overview) -> None:
    themes = dict(figures.by_theme)
    assert themes["sosiaalinen osallisuus"] == 129 and themes["turvallisuus"] == 24
    assert figures.by_funder[0] == ("Euroopan sosiaalirahasto", 93)


def test_projects_by_municipality_chart_agrees_with_white_spots(graph: Graph, figures: Overview) -> None:
    rows = run_query(graph, "white-spots").records()
    assert dict(figures.by_municipality) == {str(r["municipality_label"]): int(r["projects"]) for r in rows}


def test_projects_per_year_chart_agrees_with_projects_per_year(graph: Graph, figures: Overview) -> None:
    """The chart counts as the query does (hk:startDate to hk:endDate); per theme they match year by year."""
    from rdflib import URIRef

    from hyvinvointi_kg.namespaces import HK
    from hyvinvointi_kg.views.overview import active_years

    spans = active_years(graph)
    per_year = dict(figures.by_year)
    assert per_year["2019"] == 106  # issue 17: 84 before, with year-precision periods left out
    assert sum(per_year.values()) == sum(len(s) for s in spans.values())
    assert figures.undated == figures.projects - len(spans)
    rows = run_query(graph, "projects-per-year").records()
    for theme in {str(r["theme"]) for r in rows}:
        expected = {(int(r["year"]), int(r["projects"])) for r in rows if str(r["theme"]) == theme}
        counted: dict[int, int] = {}
        for project, years in spans.items():
            if (project, HK.theme, URIRef(theme)) in graph:
                for year in years:
                    counted[year] = counted.get(year, 0) + 1
        assert set(counted.items()) == expected, theme


def test_page_in_finnish_names_what_each_chart_counts(graph: Graph) -> None:
    page = overview_html(graph, lang="fi")
    assert '<html lang="fi">' in page and "Käynnissä olevat hankkeet vuosittain" in page
    assert "projects-per-year" in page and "white-spots" in page


def test_top_organisations_are_the_brokers(figures: Overview) -> None:
    names = [row[0] for row in figures.top_organisations[:2]]
    assert set(names) == {"Lapin ammattikorkeakoulu Oy", "Lapin yliopisto"}


def test_page_is_self_contained_and_escaped(page: str) -> None:
    outer = re.sub(r'srcdoc="[^"]*"', 'srcdoc=""', page)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "<script" not in outer  # the only scripts are the network view's, inside the frame
    assert "script-src 'sha256-" in outer and "default-src 'none'" in outer
    assert "Varhaiskasvatuksen positiivinen diskriminaatio" in outer  # the strongest overlap
    assert "Who implements projects with whom" in page


def test_write_overview_missing_folder_is_a_clear_error(graph: Graph, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        write_overview(graph, tmp_path / "missing" / "report.html")
    assert not (tmp_path / "missing").exists()


def test_cli_report_overview(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.html"
    assert main(["report", "overview", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert str(out) in capsys.readouterr().out
    assert main(["report", "overview", "-o", str(tmp_path / "no" / "r.html")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_page_policy_allows_the_network_view_scripts(page: str) -> None:
    from hyvinvointi_kg.views.inline import page_assets

    policy = re.search(r"script-src ([^;]*);", re.sub(r'srcdoc="[^"]*"', 'srcdoc=""', page))
    assert policy is not None and policy.group(1) == page_assets().script_sources
