"""Tables for people and the data-quality report."""

from __future__ import annotations

import pytest
from rdflib import Graph

from hyvinvointi_kg.analysis.tables import organisations_table, projects_table
from hyvinvointi_kg.assembly.assemble import Assembly
from hyvinvointi_kg.assembly.report import quality_report
from hyvinvointi_kg.stores.files import load_graph


@pytest.fixture(scope="module")
def graph() -> Graph:
    return load_graph()


def test_projects_table_columns_and_one_row_per_project(graph: Graph) -> None:
    result = projects_table(graph)
    assert result.columns[:4] == ("project", "name", "code", "lead_implementer")
    assert {"partners", "funders", "programme", "intermediate_body", "municipality_codes",
            "themes", "target_groups", "sources", "flags"} <= set(result.columns)
    rows = result.records()
    assert len(rows) == len({r["project"] for r in rows}) == 227


def test_projects_table_s21758_row(graph: Graph) -> None:
    row = next(r for r in projects_table(graph, lang="fi").records() if r["code"] == "S21758")
    assert row["lead_implementer"] == "Itä-Lapin kuntayhtymä"
    assert row["funders"] == "Euroopan sosiaalirahasto"
    assert row["intermediate_body"] == "Pohjois-Pohjanmaan elinkeino-, liikenne- ja ympäristökeskus"
    assert row["municipality_codes"] == "320 | 583 | 614 | 732 | 742"
    assert "eura_S21758_description_en.txt:13-13" in row["sources"]
    assert "S21758_news_2019-08-07_fi.txt:28-28" in row["sources"]


def test_organisations_table_lists_roles(graph: Graph) -> None:
    rows = {r["name"]: r for r in organisations_table(graph, lang="en").records()}
    majakka = rows["Pohjoisen yhteisöjen tuki - Majakka ry"]
    assert majakka["business_id"] == "1762900-8"
    assert "Majakka ry" in majakka["aliases"]
    assert "Hyvinvointia yhteistyöllä Meri-Lapissa" in majakka["lead_projects"]
    assert rows["Kemin kaupunki"]["kind"] == "Municipality (organisation)"
    finnish = {r["name"]: r for r in organisations_table(graph, lang="fi").records()}
    assert finnish["Kemin kaupunki"]["kind"] == "Kunta (organisaationa)"
    swedish = {r["name"]: r for r in organisations_table(graph, lang="sv").records()}
    assert swedish["Kemin kaupunki"]["kind"] == "Kommun (som organisation)"
    assert swedish["Lapin ammattikorkeakoulu Oy"]["kind"] == "Yrkeshögskola"


def test_projects_table_labels_in_the_language_asked_for(graph: Graph) -> None:
    # S20154 (the catalogue and eura_S20154_description_fi.txt): funded by the ESF, in six
    # municipalities of Sea Lapland; Tornio and Ylitornio have Swedish names (National Land Survey)
    rows = {lang: next(r for r in projects_table(graph, lang=lang).records() if r["code"] == "S20154")
            for lang in ("fi", "sv", "en")}
    assert rows["fi"]["municipalities"] == "Kemi | Keminmaa | Simo | Tervola | Tornio | Ylitornio"
    assert rows["sv"]["municipalities"] == "Kemi | Keminmaa | Simo | Tervola | Torneå | Övertorneå"
    assert rows["fi"]["name"] == rows["sv"]["name"] == rows["en"]["name"]  # as the sources name it
    assert rows["fi"]["funders"] != rows["en"]["funders"]


def test_quality_report_lists_sections_corrections_and_conflicts(built: Assembly) -> None:
    text = quality_report(built)
    for line in ("| Kemi | 49 |", "| Keminmaa | 32 |", "| Simo | 17 |", "| Tervola | 17 |",
                 "| Tornio | 51 |", "| Lapin alueella yleisesti toteutetut hankkeet | 151 |",
                 "| **all** | **317** |"):
        assert line in text
    assert "Applied: 17. No longer matching any entry: 0." in text
    assert "| S21758 | end | 2022-03-31" in text
