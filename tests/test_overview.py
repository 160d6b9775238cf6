"""The one-page overview report: figures checked against the queries, a safe and offline page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from hyvinvointi_kg.cli import main
from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.namespaces import HK, project_iri
from hyvinvointi_kg.query import run_query
from hyvinvointi_kg.stores.files import load_graph
from hyvinvointi_kg.views.overview import (
    FundedElsewhereSection,
    Overview,
    funded_elsewhere_section,
    overview,
    overview_html,
    write_overview,
)

ADDED, CHANGED = project_iri("S21758"), project_iri("S20154")  # High five; Hyvinvointia yhteistyöllä Meri-Lapissa


@pytest.fixture(scope="module")
def graph() -> Graph:
    return load_graph()


@pytest.fixture(scope="module")
def store_graph() -> Graph:
    """The bundled graph on the CLI's default backend (a persistent Oxigraph store)."""
    from hyvinvointi_kg.stores.backends import default_store_location, open_graph

    return open_graph(f"oxigraph:{default_store_location()}")


def _older(graph: Graph) -> Graph:
    """*graph* as an earlier build had it: without project S21758 (and its parts), S20154 ending 2017-12-31."""
    old = Graph()
    for s, p, o in graph:
        if str(s) == str(ADDED) or str(s).startswith(f"{ADDED}/"):
            continue
        if s == CHANGED and p == HK.endDate:
            o = Literal("2017-12-31", datatype=XSD.date)
        old.add((s, p, o))
    return old


@pytest.fixture(scope="module")
def page_fi_since(graph: Graph) -> str:
    return overview_html(graph, lang="fi", previous=_older(graph))


@pytest.fixture(scope="module")
def figures(graph: Graph) -> Overview:
    return overview(graph, lang="fi")


@pytest.fixture(scope="module")
def page(graph: Graph) -> str:
    return overview_html(graph, lang="en")


def test_key_figures(figures: Overview) -> None:
    # 227, 256, 11: summarise's figures, each counted another way in tests/test_summary.py (typed
    # nodes with rdflib; 5 documents + the municipality CSV + 2 boundary files + 3 curation files); 21: the rows of
    # data/reference/municipalities_fi.csv with region_code 19 (awk -F, '$5=="19"'); 813: see
    # tests/test_overlaps.py (the all-pairs check and the SPARQL query agree).
    assert (figures.projects, figures.organisations, figures.sources) == (227, 256, 11)
    assert figures.lapland_municipalities == 21 and figures.overlap_pairs == 813


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


def test_page_in_finnish_names_what_each_chart_counts(page_fi_since: str) -> None:
    page = page_fi_since
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


# --- funded elsewhere? -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def section(graph: Graph) -> FundedElsewhereSection:
    return funded_elsewhere_section(graph, top=10, lang="en")


def test_funded_elsewhere_section_counts_are_the_rows_of_the_two_queries(
        section: FundedElsewhereSection, graph: Graph, store_graph: Graph, page: str) -> None:
    from hyvinvointi_kg.i18n import label

    organisations = run_query(store_graph, "organisations-with-several-funders").records()
    pairs = run_query(store_graph, "shared-implementer-different-funders").records()
    assert (section.organisations_total, section.pairs_total) == (len(organisations), len(pairs)) == (37, 2544)
    assert len(section.organisations) == len(section.pairs) == 10
    assert "Organisations funded through several funders (10 of 37)" in page
    assert "Overlapping projects of one implementer with different funders (10 of 2,544)" in page
    assert "organisations-with-several-funders" in page and "shared-implementer-different-funders" in page
    # the organisations in the query's order (most funders first), named in the page's language
    assert [r.organisation for r in section.organisations] == [label(graph, URIRef(r["organisation"]), lang="en")
                                                               for r in organisations[:10]]
    assert section.organisations[9].organisation == "Regional Council of Lapland"  # the query: Lapin liitto
    first = organisations[0]
    assert section.organisations[0].projects == int(first["project_count"])
    assert len(section.organisations[0].funders) == int(first["funder_count"])
    assert "European Social Fund" in section.organisations[0].funders  # English, not Euroopan sosiaalirahasto


def test_funded_elsewhere_section_shows_the_longest_overlaps_with_their_evidence(
        section: FundedElsewhereSection, store_graph: Graph) -> None:
    pairs = run_query(store_graph, "shared-implementer-different-funders").records()
    longest = max((r["overlap_end"] - r["overlap_start"]).days + 1 for r in pairs)
    assert section.pairs[0].days == longest
    assert [r.days for r in section.pairs] == sorted((r.days for r in section.pairs), reverse=True)
    row = section.pairs[0]
    assert row.sources_a and row.sources_b and all(":" in s for s in row.sources_a + row.sources_b)
    assert row.role_a in {"lead", "partner"} and " – " in row.overlap


def test_funded_elsewhere_section_in_finnish_dates_and_roles(graph: Graph, page_fi_since: str) -> None:
    section = funded_elsewhere_section(graph, top=2, lang="fi")
    assert len(section.pairs) == 2 and section.pairs[0].role_a in {"päätoteuttaja", "osatoteuttaja"}
    assert section.pairs[0].overlap.count(".") == 4  # 1.10.2017 – 30.11.2022
    assert "Euroopan sosiaalirahasto" in section.organisations[0].funders
    assert "Rahoitusta myös muualta?" in page_fi_since and "(10 / 37)" in page_fi_since


def test_funded_elsewhere_section_escapes_names_from_the_data() -> None:
    from hyvinvointi_kg.views.overview import SeveralFunders, SharedImplementer
    from hyvinvointi_kg.views.pages import render_page

    bad = "<script>alert(1)</script>"
    section = FundedElsewhereSection(
        organisations=(SeveralFunders(bad, (bad,), 2, (f"{bad}:1-2",)),), organisations_total=1,
        pairs=(SharedImplementer(bad, bad, bad, bad, bad, bad, 1, bad, bad, (bad,), (bad,)),), pairs_total=1)
    html = render_page("overview.html", lang="en", o=_empty_overview(),
                       csp="", css="", figures=[], network="", n=str, decimals=lambda v, d: str(v),
                       markup=str, heading="h", white=[], elsewhere=section, changes=None)
    assert "<script" not in html and html.count("&lt;script&gt;") >= 10


def _empty_overview() -> Overview:
    return Overview(projects=0, organisations=0, municipalities_reached=0, lapland_municipalities=0, funders=0,
                    sources=0, overlap_pairs=0, by_municipality=(), by_theme=(), by_target_group=(), by_funder=(),
                    by_year=(), undated=0, top_organisations=(), top_overlaps=())


# --- what changed ----------------------------------------------------------------------------------

def test_page_without_previous_has_no_what_changed_section(page: str) -> None:
    assert 'class="build-diff"' not in page and "What changed" not in page


def test_page_since_an_older_build_names_the_added_project_and_the_changed_date(
        graph: Graph, page_fi_since: str) -> None:
    outer = re.sub(r'srcdoc="[^"]*"', 'srcdoc=""', page_fi_since)
    section = outer[outer.index('<section class="build-diff">'):]
    section = section[:section.index("</section>")]
    assert "Mikä muuttui edellisen koostamisen jälkeen" in section
    assert "<li>High five – Yhteistyöllä hyvinvointia Itä-Lappiin</li>" in section  # added, by its Finnish title
    assert "<b>1</b>uusi hanke" in section and "<b>1</b>muuttunut hanke" in section
    assert "<b>225</b>ennallaan olevaa hanketta" in section
    row = next(r for r in section.split("<tr>") if "Hyvinvointia yhteistyöllä Meri-Lapissa" in r)
    assert "päättymispäivä" in row and "31.12.2017" in row and "28.2.2018" in row  # the ontology's label
    assert "<script" not in section and str(ADDED) not in section


def test_write_overview_previous_folder_missing_is_a_clear_error(graph: Graph, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no graph.ttl"):
        write_overview(graph, tmp_path / "o.html", previous=tmp_path)
    assert not (tmp_path / "o.html").exists()


def test_cli_report_overview_since_an_older_graph_file(graph: Graph, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    old = tmp_path / "old.nt"
    _older(graph).serialize(old, format="nt", encoding="utf-8")
    out = tmp_path / "report.html"
    assert main(["--lang", "sv", "report", "overview", "-o", str(out), "--since", str(old)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "Vad har ändrats sedan förra bygget" in page and "High five" in page
    assert main(["report", "quality", "--since", str(old)]) == 2
    assert "--since" in capsys.readouterr().err

