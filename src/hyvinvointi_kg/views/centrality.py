"""The per-node figures a network view shows (degree, betweenness, community), computed once per view."""

from __future__ import annotations

import importlib.util
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx

if TYPE_CHECKING:
    from hyvinvointi_kg.analysis.networks import NetworkMetrics

__all__ = ["NodeMetrics", "node_metrics"]

_EXACT_METRICS_MAX_NODES = 1000  # above: betweenness estimated from sampled sources
_BETWEENNESS_WORK = 1_000_000   # sampled sources × (nodes + edges): a second or two
_IGRAPH_BETWEENNESS_WORK = 400_000_000  # the same with igraph: a few seconds


@dataclass(frozen=True)
class NodeMetrics:
    """Degree, weighted degree, betweenness and community of each node, as the views show them.

    Attributes
    ----------
    degree, weighted_degree, betweenness
        Node → number of ties, sum of their weights, betweenness centrality (normalised).
    community
        Node → Louvain community, numbered from 0 for the largest.
    sources
        How many source nodes the betweenness was estimated from; ``None`` when it is exact.

    Examples
    --------
    >>> m = NodeMetrics({"a": 1}, {"a": 2.0}, {"a": 0.0}, {"a": 0})
    >>> m.estimated, m.weighted_degree["a"]
    (False, 2.0)
    """

    degree: Mapping[Hashable, int]
    weighted_degree: Mapping[Hashable, float]
    betweenness: Mapping[Hashable, float]
    community: Mapping[Hashable, int]
    sources: int | None = None

    @property
    def estimated(self) -> bool:
        """Whether the betweenness is estimated from a sample of source nodes."""
        return self.sources is not None


def node_metrics(G: nx.Graph, *, metrics: NetworkMetrics | None = None, seed: int = 42) -> NodeMetrics:
    """The figures of each node of *G* that a view shows, taken from *metrics* or computed.

    Without *metrics*, :func:`hyvinvointi_kg.analysis.networks.network_metrics` computes them up
    to 1,000 nodes; above, betweenness is estimated from as many sampled source nodes as a
    few seconds allow (with igraph, where installed, exact up to a few thousand nodes).

    Parameters
    ----------
    G
        The network (a directed one is measured as undirected).
    metrics
        Precomputed :func:`hyvinvointi_kg.analysis.networks.network_metrics` of *G*.
    seed
        Seeds the communities and the sampled sources.

    Examples
    --------
    >>> m = node_metrics(nx.Graph([("a", "b"), ("b", "c")]))
    >>> m.degree["b"], m.betweenness["b"], m.estimated
    (2, 1.0, False)
    """
    if metrics is None and G.number_of_nodes() <= _EXACT_METRICS_MAX_NODES:
        from hyvinvointi_kg.analysis.networks import network_metrics

        metrics = network_metrics(G, seed=seed)
    if metrics is None and importlib.util.find_spec("igraph") is not None:
        # Large networks with the optional igraph: exact betweenness up to a few thousand nodes,
        # beyond estimated from as many sources as a few seconds allow; closeness is not shown.
        from hyvinvointi_kg.analysis.igraph_metrics import igraph_metrics

        sample = _samples(G, _IGRAPH_BETWEENNESS_WORK)
        metrics = igraph_metrics(G, seed=seed, betweenness_sample=sample if sample < len(G) else None,
                                 closeness=False)
    if metrics is not None:
        frame = metrics.nodes

        def column(name: str, kind: type[int] | type[float]) -> dict[Hashable, Any]:
            return dict(zip(frame.index, map(kind, frame[name].tolist()), strict=True))

        return NodeMetrics(column("degree", int), column("weighted_degree", float), column("betweenness", float),
                           column("community", int), sources=metrics.betweenness_sample)
    # Large networks without igraph: exact betweenness is O(nodes × edges); estimate it from samples.
    undirected = G.to_undirected(as_view=True) if G.is_directed() else G
    communities = sorted(nx.community.louvain_communities(undirected, weight="weight", seed=seed),
                         key=lambda c: (-len(c), min(map(str, c))))
    sources = _samples(G, _BETWEENNESS_WORK)
    return NodeMetrics(
        {n: int(d) for n, d in undirected.degree()},
        {n: float(d) for n, d in undirected.degree(weight="weight")},
        nx.betweenness_centrality(undirected, k=sources, seed=seed),
        {n: i for i, c in enumerate(communities) for n in c},
        sources=sources,
    )


def _samples(G: nx.Graph, work: int) -> int:
    return min(len(G), max(100, work // (len(G) + int(G.number_of_edges()))))
