"""Network metrics with igraph: takes a networkx graph, gives NetworkMetrics (``backend="igraph"``)."""

from __future__ import annotations

import importlib.util
import math
import threading
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from hyvinvointi_kg.analysis.network_measures import NetworkMetrics, betweenness_sources, empty_metrics
from hyvinvointi_kg.errors import InputError

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["igraph_metrics", "seeded_igraph_random"]

_EXTRA = "pip install 'hyvinvointi_kg[fast]'"

def igraph_metrics(G: nx.Graph, *, seed: int = 42, betweenness_sample: int | None = None,
                   closeness: bool = True) -> NetworkMetrics:
    """:func:`hyvinvointi_kg.analysis.networks.network_metrics` with igraph computing the costly measures.

    Degree, weighted degree, components and density are the same as the
    networkx backend; betweenness and closeness (igraph) agree to rounding (1e-12).
    Communities come from igraph's Louvain implementation
    (``community_multilevel``, seeded), which is not networkx's, so community
    numbers and the modularity may differ from the networkx backend.

    With *betweenness_sample*, betweenness is estimated from shortest paths out of
    that many sources, the same sources networkx's ``betweenness_centrality(k=...,
    seed=seed)`` draws, so the estimate equals networkx's (to rounding); its
    cost grows with sources × ties instead of nodes × ties. Closeness stays exact;
    without *closeness* (the costliest measure; a map does not show it), the
    closeness column is NaN.

    Raises
    ------
    InputError
        If python-igraph is missing (``pip install 'hyvinvointi_kg[fast]'``), or if
        *betweenness_sample* is below 2.

    Examples
    --------
    >>> import networkx as nx
    >>> m = igraph_metrics(nx.Graph([("a", "b"), ("b", "c"), ("d", "e")]))
    >>> m.components, float(m.nodes.loc["b", "betweenness"])
    (2, 0.16666666666666666)
    """
    if importlib.util.find_spec("igraph") is None:  # pragma: no cover - depends on the environment
        raise InputError(f"network_metrics(backend=\"igraph\") needs python-igraph: {_EXTRA}")
    import igraph
    import networkx
    import pandas as pd

    undirected = G.to_undirected() if G.is_directed() else G
    sample = betweenness_sources(undirected, betweenness_sample, seed=seed)
    nodes = sorted(G.nodes)
    n = len(nodes)
    if n == 0:
        return empty_metrics()
    index = {node: i for i, node in enumerate(nodes)}
    ig = igraph.Graph(n=n, edges=[(index[u], index[v]) for u, v in undirected.edges()])
    ig.es["weight"] = [float(d.get("weight", 1)) for _, _, d in undirected.edges(data=True)]
    # Closeness is a breadth-first search from every node: on a large network, worker processes
    # take parts of it (igraph holds the GIL) while this one computes the betweenness.
    with _closeness(ig, parallel=closeness and n >= _PARALLEL_CLOSENESS_NODES) as closeness_result:
        betweenness = _betweenness(ig, None if sample is None else [index[s] for s in sample])
        raw_closeness = closeness_result() if closeness else [math.nan] * n
    # networkx's closeness (wf_improved) is r / (total distance to the r reached nodes) · r / (n - 1);
    # igraph's normalised closeness is the first factor, over the reachable nodes only.
    clustering = ig.components()
    component_sizes = clustering.sizes()
    reached = [component_sizes[c] - 1 for c in clustering.membership]
    closeness_values = [c * r / (n - 1) if r > 0 and n > 1 and not math.isnan(c) else 0.0  # NaN: isolated
                        for c, r in zip(raw_closeness, reached, strict=True)] if closeness else raw_closeness

    def numbered(membership: Sequence[int]) -> list[list[Any]]:
        groups: dict[int, list[Any]] = defaultdict(list)
        for node, group in zip(nodes, membership, strict=True):
            groups[group].append(node)
        return sorted(groups.values(), key=lambda c: (-len(c), min(c)))

    components = numbered(clustering.membership)
    with seeded_igraph_random(seed):
        membership = ig.community_multilevel(weights="weight").membership if ig.ecount() else list(range(n))
    communities = numbered(membership)
    component_of = {node: i for i, c in enumerate(components) for node in c}
    community_of = {node: i for i, c in enumerate(communities) for node in c}
    frame = pd.DataFrame({
        "label": [G.nodes[v].get("label", v) for v in nodes],
        "kind": [G.nodes[v].get("kind", "") for v in nodes],
        "degree": [undirected.degree(v) for v in nodes],
        "weighted_degree": [undirected.degree(v, weight="weight") for v in nodes],
        "betweenness": betweenness,
        "closeness": closeness_values,
        "community": [community_of[v] for v in nodes],
        "component": [component_of[v] for v in nodes],
    }, index=pd.Index(nodes, name="node"))
    modularity = (networkx.community.modularity(undirected, [set(c) for c in communities], weight="weight")
                  if undirected.number_of_edges() else 0.0)
    return NetworkMetrics(frame, networkx.density(undirected), len(components), len(communities), modularity,
                          None if sample is None else len(sample))


_PARALLEL_CLOSENESS_NODES = 5000
"""From this many nodes, closeness is computed in worker processes (one per core, at most 4)."""

_IGRAPH_RANDOM = threading.Lock()
"""Held while igraph's process-wide random number generator is seeded (:func:`seeded_igraph_random`)."""


@contextmanager
def seeded_igraph_random(seed: int) -> Iterator[None]:
    """Have igraph draw its random numbers from ``random.Random(seed)`` inside the ``with`` block.

    igraph's random number generator is process-wide and its algorithms take no generator
    (``community_multilevel`` has no ``seed``), so it is swapped for the block and always
    set back afterwards, even when the block raises. igraph cannot say which generator it
    had, so it is set back to igraph's default, the :mod:`random` module. A lock keeps two
    threads from seeding it at once; igraph code run by another thread meanwhile would
    still draw from the seeded generator.

    Examples
    --------
    >>> import igraph, random
    >>> g = igraph.Graph.Famous("Zachary")
    >>> with seeded_igraph_random(1):
    ...     first = g.community_multilevel().membership
    >>> with seeded_igraph_random(1):
    ...     first == g.community_multilevel().membership
    True
    """
    import random

    import igraph

    with _IGRAPH_RANDOM:
        igraph.set_random_number_generator(random.Random(seed))
        try:
            yield
        finally:
            igraph.set_random_number_generator(random)


@contextmanager
def _closeness(ig: Any, *, parallel: bool) -> Iterator[Callable[[], list[float]]]:
    """A function giving the normalised closeness of every vertex of *ig* (igraph's, over the
    reachable vertices); with *parallel*, started at once in worker processes (one per core,
    at most 4), each a strided part. The workers are forked (Linux), so the caller's
    ``__main__`` is not imported again; a part whose worker fails is computed here; elsewhere,
    or on one core, all of it is computed here."""
    import multiprocessing
    import os
    import sys
    from concurrent.futures import ProcessPoolExecutor

    from hyvinvointi_kg.analysis._closeness_worker import closeness_part

    workers = min(os.cpu_count() or 1, 4)
    if not parallel or workers < 2 or not sys.platform.startswith("linux"):
        yield lambda: list(ig.closeness(normalized=True))
        return
    n, edges = ig.vcount(), ig.get_edgelist()
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
        parts = [(range(first, n, workers), pool.submit(closeness_part, n, edges, first, workers))
                 for first in range(workers)]

        def gather() -> list[float]:
            values = [0.0] * n
            for vertices, future in parts:
                try:
                    part = future.result()
                except Exception:  # the worker died (BrokenProcessPool) or failed: this part here
                    part = list(ig.closeness(vertices=vertices, normalized=True))
                for i, c in zip(vertices, part, strict=True):
                    values[i] = c
            return values

        yield gather


def _betweenness(ig: Any, sources: list[int] | None) -> list[float]:
    """Betweenness of every vertex of *ig* (undirected, unweighted), normalised as networkx does,
    exact or (with *sources*) estimated from the shortest paths out of *sources*."""
    n = ig.vcount()
    if n <= 2:
        return [0.0] * n
    if sources is None:
        # networkx normalises undirected betweenness by 2 / ((n - 1)(n - 2)); igraph counts each pair once.
        scale = 2.0 / ((n - 1) * (n - 2))
        return [b * scale for b in ig.betweenness(directed=False)]
    # networkx's estimate (Brandes–Pich, endpoints excluded): the dependencies accumulated from the k
    # sources, counted per ordered pair (igraph's subset betweenness counts each pair once: × 2),
    # over k(n - 2) pairs a node can lie between, or (k - 1)(n - 2) for a node that is a source.
    k = len(sources)
    chosen = set(sources)
    raw = ig.betweenness(directed=False, sources=sources, targets=None)
    return [2.0 * b / ((k - 1 if i in chosen else k) * (n - 2)) for i, b in enumerate(raw)]
