"""Projects per municipality (analysis/municipalities.py) against counts made other ways."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from rdflib import Graph

from hyvinvointi_kg.analysis.municipalities import (
    LAPLAND,
    MunicipalityCounts,
    municipality_counts,
    read_municipalities,
)
from hyvinvointi_kg.analysis.tables import SEPARATOR, projects_table
from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.query import run_query, run_sparql
from hyvinvointi_kg.stores.files import load_graph

# The 21 municipalities of Lapland (Statistics Finland 2024).
LAPLAND_CODES = {"047", "148", "240", "241", "261", "273", "320", "498", "583", "614", "683", "698", "732", "742",
                 "751", "758", "845", "851", "854", "890", "976"}


@pytest.fixture(scope="module")
def graph() -> Graph:
    return load_graph()


@pytest.fixture(scope="module")
def counts(graph: Graph) -> MunicipalityCounts:
    return municipality_counts(graph)


def test_municipality_counts_every_lapland_code(counts: MunicipalityCounts) -> None:
    assert set(counts.frame["code"]) == LAPLAND_CODES
    assert list(counts.frame.columns) == ["code", "name", "projects"]
    assert counts.region == LAPLAND and counts.region_name == "Lappi"


def test_municipality_counts_rows_match_the_graphs_places(graph: Graph, counts: MunicipalityCounts) -> None:
    rows = run_sparql(graph, """SELECT ?code ?name WHERE {
        ?m a hk:Municipality ; hk:municipalityCode ?code ; skos:prefLabel ?name ; hk:partOf+ ?lappi .
        ?lappi hk:regionCode "19" . FILTER(LANG(?name) = "fi") }""").records()
    assert {(str(r["code"]), str(r["name"])) for r in rows} == set(zip(counts.frame["code"], counts.frame["name"],
                                                                       strict=True))


def test_municipality_counts_equal_the_white_spots_query(graph: Graph, counts: MunicipalityCounts) -> None:
    oracle = {str(r["municipality_label"]): int(r["projects"]) for r in run_query(graph, "white-spots").records()}
    assert dict(zip(counts.frame["name"], counts.frame["projects"], strict=True)) == oracle


def test_municipality_counts_with_theme_equal_the_white_spots_query(graph: Graph) -> None:
    theme = "https://w3id.org/hyvinvointi-kg/concept/theme/turvallisuus"
    oracle = {str(r["municipality_label"]): int(r["projects"])
              for r in run_query(graph, "white-spots", theme=theme).records()}
    safety = municipality_counts(graph, theme=theme)
    assert dict(zip(safety.frame["name"], safety.frame["projects"], strict=True)) == oracle
    assert safety.white_spots == ("Keminmaa", "Pello", "Simo")


def test_municipality_counts_all_finland_equal_the_projects_table(graph: Graph) -> None:
    # Another path: the projects table's municipality codes, counted in Python.
    oracle: Counter[str] = Counter()
    for row in projects_table(graph).records():
        oracle.update(set(filter(None, str(row["municipality_codes"] or "").split(SEPARATOR))))
    everything = municipality_counts(graph, region=None)
    assert len(everything.frame) == 309
    assert {c: n for c, n in zip(everything.frame["code"], everything.frame["projects"], strict=True) if n} == oracle


def test_municipality_counts_pelkosenniemi_by_hand(counts: MunicipalityCounts) -> None:
    # Pelkosenniemi (583), traced to the sources: the catalogue names it under five distinct projects
    # (lapland_projects_catalogue_fi.txt lines 411/3928 etähoito, 881/4413 REILA, 929/1993/2811/4444
    # Tukinainen, 4127 lumiturvallisuus) and High five (S21758) names it in eura_S21758_description_en.txt:86
    # and S21758_news_2019-08-07_fi.txt:28.
    titles = set(counts.pairs.loc[counts.pairs["code"] == "583", "title"])
    assert counts.frame.set_index("code").loc["583", "projects"] == 5
    assert {t.split()[0] for t in titles} == {"High", "KOULUTUKSELLA", "Lumiturvallisuuskoulutuksen", "REILA",
                                              "Seksuaalisen"}


def test_municipality_counts_zero_where_no_project(graph: Graph) -> None:
    safety = municipality_counts(graph, theme="turvallisuus")
    frame = safety.frame.set_index("name")
    assert frame.loc["Keminmaa", "projects"] == 0 and frame.loc["Rovaniemi", "projects"] == 4
    assert len(frame) == 21  # the white spots are rows, not missing


def test_municipality_counts_region_wide_apart(graph: Graph, counts: MunicipalityCounts) -> None:
    lappi_wide = {str(r["p"]) for r in run_sparql(graph, """SELECT ?p WHERE { ?p a hk:Project ; hk:targetArea ?a .
        { ?a hk:regionCode "19" } UNION { ?a hk:subRegionCode ?c ; hk:partOf ?r . ?r hk:regionCode "19" } }""")
        .records()}
    assert set(counts.region_wide_projects) == lappi_wide
    first = counts.region_wide[0]
    assert (first.kind, first.code, len(first.projects)) == ("region", "19", 152)
    # A project with no lead implementer still counts (Lappi NYT, a joint project of 16 municipalities).
    assert "https://w3id.org/hyvinvointi-kg/id/project/lappi-nyt" in counts.region_wide_projects


def test_municipality_counts_period_keeps_only_overlapping(graph: Graph, counts: MunicipalityCounts) -> None:
    year = municipality_counts(graph, period=(date(2019, 1, 1), date(2019, 12, 31)))
    assert (year.frame["projects"] <= counts.frame["projects"]).all()
    assert year.filters == {"ajanjakso": "1.1.2019–31.12.2019"}
    oracle = {str(r["project"]) for r in run_query(graph, "projects-by-filter", active_from="2019-01-01",
                                                   active_to="2019-12-31").records()}
    assert set(year.pairs["project"]) <= oracle


@pytest.mark.parametrize(("option", "value"), [("target_group", "nuoret"), ("funder", "STEA")])
def test_municipality_counts_filters_narrow(graph: Graph, counts: MunicipalityCounts, option: str,
                                            value: str) -> None:
    narrowed = municipality_counts(graph, **{option: value})  # type: ignore[arg-type]
    assert 0 < narrowed.frame["projects"].sum() < counts.frame["projects"].sum()
    oracle = {str(r["project"]) for r in run_query(graph, "projects-by-filter", **{option: value}).records()}
    assert set(narrowed.pairs["project"]) <= oracle


def test_municipality_counts_unknown_region(graph: Graph) -> None:
    with pytest.raises(InputError, match="no region with the code '99'"):
        municipality_counts(graph, region="99")


def test_municipality_counts_reversed_period(graph: Graph) -> None:
    with pytest.raises(InputError, match="ends before it starts"):
        municipality_counts(graph, period=(date(2020, 1, 1), date(2019, 1, 1)))


def test_municipality_counts_unknown_theme(graph: Graph) -> None:
    with pytest.raises(InputError, match="unknown theme"):
        municipality_counts(graph, theme="no such theme")


def test_read_municipalities_bundled() -> None:
    municipalities = read_municipalities()
    assert len(municipalities) == 309 and len({m.region_code for m in municipalities}) == 19
    assert {m.code for m in municipalities if m.region_code == LAPLAND} == LAPLAND_CODES


def test_read_municipalities_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("code,name\n005,Alajärvi\n", encoding="utf-8")
    with pytest.raises(InputError, match="no column"):
        read_municipalities(path)
