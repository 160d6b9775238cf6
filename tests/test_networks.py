"""Collaboration networks on the real graph: golden ties, metrics, exports, CLI."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph

from hyvinvointi_kg.analysis.networks import network_metrics, select_projects, to_networkx, write_network
from hyvinvointi_kg.cli import main
from hyvinvointi_kg.namespaces import ID, organisation_iri, project_iri
from hyvinvointi_kg.stores.files import load_graph

ORG = "https://w3id.org/hyvinvointi-kg/id/org/"


@pytest.fixture(scope="module")
def graph() -> Graph:
    return load_graph()


def test_to_networkx_co_implementation_golden_ase(graph: Graph) -> None:
    # Catalogue lines 32-46 (Kemi): "Arctic Smartness Excellence (ASE)", lead Lapin yliopisto;
    # partners Rovaniemen kehitys Oy, ProAgria Lappi ry, Lapin liitto, Geologian tutkimuskeskus,
    # Kemin Digipolis Oy, Luonnonvarakeskus (LUKE).
    G = to_networkx(graph, "lead-partner")
    ase = str(project_iri("arctic-smartness-excellence-ase"))
    partners = {v for u, v, d in G.out_edges(ORG + "lapin-yliopisto", data=True)
                if ase in d["projects"].split(" | ")}
    assert partners == {ORG + slug for slug in (
        "rovaniemen-kehitys-oy", "proagria-lappi-ry", "lapin-liitto", "geologian-tutkimuskeskus",
        "kemin-digipolis-oy", "luonnonvarakeskus")}
    undirected = to_networkx(graph, "co-implementation")
    edge = undirected.edges[ORG + "lapin-liitto", ORG + "luonnonvarakeskus"]
    assert ase in edge["projects"].split(" | ") and edge["weight"] >= 1


def test_to_networkx_organisation_municipality_golden(graph: Graph) -> None:
    G = to_networkx(graph, "organisation-municipality")
    reached = {G.nodes[n]["label"] for n in G.neighbors(str(organisation_iri("Itä-Lapin kuntayhtymä")))}
    assert reached == {"Posio", "Salla", "Pelkosenniemi", "Savukoski", "Kemijärvi"}
    assert nx.is_bipartite(G)


def test_to_networkx_node_attributes(graph: Graph) -> None:
    G = to_networkx(graph, "co-implementation")
    node = G.nodes[ORG + "kemin-kaupunki"]
    assert node["label"] == "Kemin kaupunki"
    assert node["kind"] == "MunicipalityOrganisation"
    assert node["municipality"] == "Kemi"
    assert node["projects"] >= 10


def test_select_projects_filters_combine(graph: Graph) -> None:
    kemi = ID["place/kunta/240"]
    in_2016 = select_projects(graph, municipality=kemi, period=(date(2016, 1, 1), date(2016, 12, 31)))
    assert project_iri("S20154") in in_2016          # 1.3.2015-28.2.2018, Kemi
    assert project_iri("S21758") not in in_2016      # 2019-2022, Eastern Lapland
    everything = select_projects(graph)
    assert in_2016 < everything and len(everything) == 227


def test_network_metrics_top_brokers_and_reproducible_communities(graph: Graph) -> None:
    G = to_networkx(graph, "co-implementation")
    first, second = network_metrics(G), network_metrics(G)
    assert list(first.nodes["community"]) == list(second.nodes["community"])
    top = first.nodes.sort_values("betweenness", ascending=False)["label"].head(2).tolist()
    assert set(top) == {"Lapin ammattikorkeakoulu Oy", "Lapin yliopisto"}
    assert 0 < first.density < 1 and first.components >= 1 and 0 <= first.modularity <= 1


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "csv"])
def test_write_network_formats_read_back(graph: Graph, tmp_path: Path, fmt: str) -> None:
    G = to_networkx(graph, "co-implementation", municipality=ID["place/kunta/240"])
    path = tmp_path / f"net.{fmt}"
    write_network(G, path, format=fmt)  # type: ignore[arg-type]
    if fmt == "graphml":
        assert nx.read_graphml(path).number_of_edges() == G.number_of_edges()
    elif fmt == "gexf":
        assert nx.read_gexf(path).number_of_nodes() == G.number_of_nodes()
    else:
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines[0] == "source,target,source_label,target_label,weight,projects,project_iris"
        assert len(lines) == G.number_of_edges() + 1
        nodes = list(csv.DictReader((tmp_path / "net.nodes.csv").open(encoding="utf-8")))
        assert len(nodes) == G.number_of_nodes()
        kemi = {row["label"]: row for row in nodes}["Kemin kaupunki"]
        assert kemi["kind"] == "MunicipalityOrganisation" and kemi["municipality"] == "Kemi"
        assert int(kemi["projects"]) == G.nodes[kemi["node"]]["projects"] > 0


def test_cli_network_unknown_municipality_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["network", "co-implementation", "--municipality", "Kemmi"]) == 2
    err = capsys.readouterr().err
    assert "unknown municipality 'Kemmi'; closest known names: Kemi" in err


def test_cli_metrics_csv(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["metrics", "co-implementation", "--format", "csv", "--period", "2019"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == ("node,label,kind,degree,weighted_degree,betweenness,closeness,"
                                   "community,component")


def test_cli_bad_period_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["metrics", "lead-partner", "--period", "last year"]) == 2
    assert "'last year' is neither a year nor a date" in capsys.readouterr().err


def test_metrics_by_period_tracks_positions(graph: Graph) -> None:
    from hyvinvointi_kg.analysis.networks import metrics_by_period

    frame = metrics_by_period(graph, {"2016": (date(2016, 1, 1), date(2016, 12, 31)),
                                      "2021": (date(2021, 1, 1), date(2021, 12, 31))})
    assert set(frame["period"]) == {"2016", "2021"}
    for period in ("2016", "2021"):
        top = frame[(frame["period"] == period) & (frame["rank"] == 1)]["label"].tolist()
        assert set(top) <= {"Lapin ammattikorkeakoulu Oy", "Lapin yliopisto"}
