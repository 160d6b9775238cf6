"""Closeness of part of a network, computed in a worker process of igraph_metrics' process pool.

igraph holds the GIL, so threads would not compute closeness in parallel; processes do.
"""

from __future__ import annotations


def closeness_part(n: int, edges: list[tuple[int, int]], first: int, step: int) -> list[float]:
    """igraph's normalised closeness (over the reachable vertices) of ``range(first, n, step)``.

    Examples
    --------
    >>> closeness_part(3, [(0, 1), (1, 2)], 0, 2)
    [0.6666666666666666, 0.6666666666666666]
    """
    import igraph

    graph = igraph.Graph(n=n, edges=edges)
    return list(graph.closeness(vertices=range(first, n, step), normalized=True))
