"""Tests of hyvinvointi_kg.analysis.igraph_metrics: igraph's metrics agree with networkx's ``network_metrics``."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from rdflib import Graph

from hyvinvointi_kg.analysis.igraph_metrics import igraph_metrics
from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.stores.files import load_graph


@cache
def _real_graph() -> Graph:
    return load_graph()

def test_igraph_metrics_agrees_with_network_metrics() -> None:
    pytest.importorskip("igraph")
    from hyvinvointi_kg.analysis.networks import network_metrics, to_networkx

    G = to_networkx(_real_graph(), "co-implementation")
    reference, fast = network_metrics(G), igraph_metrics(G)
    exact = ["label", "kind", "degree", "weighted_degree", "component"]
    assert fast.nodes[exact].equals(reference.nodes[exact])
    for column in ("betweenness", "closeness"):
        assert (fast.nodes[column] - reference.nodes[column]).abs().max() < 1e-9
    assert (fast.density, fast.components) == (reference.density, reference.components)
    # Isolated nodes, pairs and a weighted random component: closeness over the reachable nodes only.
    import networkx as nx

    H = nx.gnm_random_graph(60, 90, seed=4)
    H.add_nodes_from(range(60, 64))
    H.add_edge(64, 65, weight=3)
    reference, fast = network_metrics(H), igraph_metrics(H)
    for column in ("betweenness", "closeness"):
        assert (fast.nodes[column] - reference.nodes[column]).abs().max() < 1e-9
    assert fast.nodes.loc[60, "closeness"] == 0.0 and fast.components == reference.components

def test_igraph_metrics_sampled_betweenness_equals_networkx_estimate() -> None:
    pytest.importorskip("igraph")
    from hyvinvointi_kg.analysis.networks import network_metrics, to_networkx

    G = to_networkx(_real_graph(), "co-implementation")
    exact = network_metrics(G).nodes["betweenness"]
    for sample in (2, 17, len(G) - 1):
        reference = network_metrics(G, betweenness_sample=sample, seed=7)
        fast = igraph_metrics(G, betweenness_sample=sample, seed=7)
        assert reference.betweenness_sample == fast.betweenness_sample == sample
        assert (fast.nodes["betweenness"] - reference.nodes["betweenness"]).abs().max() < 1e-12
        assert (fast.nodes["closeness"] - reference.nodes["closeness"]).abs().max() < 1e-9
    assert not fast.nodes["betweenness"].equals(exact)  # an estimate, not the exact value
    # As many sources as nodes (or more) is the exact computation, as in networkx.
    whole = igraph_metrics(G, betweenness_sample=len(G) + 5)
    assert whole.betweenness_sample is None
    assert (whole.nodes["betweenness"] - exact).abs().max() < 1e-9
    with pytest.raises(InputError, match="at least 2"):
        igraph_metrics(G, betweenness_sample=1)

def test_igraph_metrics_closeness_in_workers_equals_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("igraph")
    import os

    import networkx as nx

    import hyvinvointi_kg.analysis.igraph_metrics as igraph_module

    H = nx.gnm_random_graph(400, 1200, seed=5)
    H.add_nodes_from(range(400, 404))
    serial = igraph_metrics(H).nodes["closeness"]
    monkeypatch.setattr(igraph_module, "_PARALLEL_CLOSENESS_NODES", 10)
    monkeypatch.setattr(os, "cpu_count", lambda: 3)  # three workers, whatever this machine has
    assert igraph_metrics(H).nodes["closeness"].equals(serial)
    # A worker that dies: its part is computed in this process instead.
    import igraph

    parent, closeness = os.getpid(), igraph.Graph.closeness

    def dies_in_a_worker(graph: igraph.Graph, *args: Any, **kwargs: Any) -> Any:
        if os.getpid() != parent:
            os._exit(1)
        return closeness(graph, *args, **kwargs)

    monkeypatch.setattr(igraph.Graph, "closeness", dies_in_a_worker)
    assert igraph_metrics(H).nodes["closeness"].equals(serial)


def test_seeded_igraph_random_sets_back_igraphs_default_even_on_error(monkeypatch: pytest.MonkeyPatch) -> None:
    igraph = pytest.importorskip("igraph")
    import random

    import networkx as nx

    from hyvinvointi_kg.analysis.igraph_metrics import seeded_igraph_random

    def draws() -> list[tuple[int, int]]:
        random.seed(7)  # igraph's default generator is the random module
        return igraph.Graph.Erdos_Renyi(n=30, m=40).get_edgelist()

    before = draws()
    igraph_metrics(nx.karate_club_graph())
    assert draws() == before
    with pytest.raises(RuntimeError), seeded_igraph_random(1):
        raise RuntimeError("failed while seeded")
    assert draws() == before
