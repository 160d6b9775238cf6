"""What both network-metrics backends share: the NetworkMetrics record and the sampled betweenness sources."""

from __future__ import annotations

import random
from collections.abc import Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import networkx as nx

from hyvinvointi_kg.errors import InputError

if TYPE_CHECKING:
    import pandas

__all__ = ["NetworkMetrics", "betweenness_sources", "empty_metrics"]


@dataclass(frozen=True, eq=False)
class NetworkMetrics:
    """Per-node metrics (a DataFrame) and a whole-network summary."""

    nodes: pandas.DataFrame
    density: float
    components: int
    communities: int
    modularity: float
    betweenness_sample: int | None = None
    """How many sampled sources the betweenness was estimated from; None: exact."""


def empty_metrics() -> NetworkMetrics:
    """The metrics of a network without nodes (both backends give these).

    Examples
    --------
    >>> empty_metrics().components, list(empty_metrics().nodes.columns)[:3]
    (0, ['label', 'degree', 'weighted_degree'])
    """
    import pandas as pd

    return NetworkMetrics(pd.DataFrame(columns=["label", "degree", "weighted_degree", "betweenness", "closeness",
                                                "community", "component"]), 0.0, 0, 0, 0.0)


def betweenness_sources(G: nx.Graph, sample: int | None, *, seed: int) -> list[Hashable] | None:
    """The sources networkx's ``betweenness_centrality(G, k=sample, seed=seed)`` draws; None: all (exact).

    The igraph backend (``network_metrics(G, backend="igraph")``) walks from the same
    sources, so that both estimate the same value.

    Examples
    --------
    >>> betweenness_sources(nx.path_graph(5), 2, seed=1)
    [1, 0]
    >>> betweenness_sources(nx.path_graph(5), 5, seed=1) is None
    True
    """
    if sample is None or sample >= len(G):
        return None
    if sample < 2:
        raise InputError(f"betweenness_sample must be at least 2 sources, not {sample}; "
                         "leave it out for exact betweenness")
    return random.Random(seed).sample(list(G.nodes()), sample)
