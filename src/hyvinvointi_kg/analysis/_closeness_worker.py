"""Closeness of part of a network, in a worker process (``python -m hyvinvointi_kg.analysis._closeness_worker``).

:func:`hyvinvointi_kg.analysis.igraph_metrics.igraph_metrics` starts one per core for a large network: igraph
holds the GIL, so threads would not run in parallel, and a plain subprocess, unlike
``multiprocessing``'s spawn, does not re-import the caller's ``__main__`` script. Reads a pickled
``(vertex count, edge list, first vertex, step)`` from stdin and writes the pickled normalised
closeness (igraph's, over the reachable vertices) of ``range(first, count, step)`` to stdout.
"""

from __future__ import annotations

import pickle
import sys


def main() -> None:
    import igraph

    n, edges, first, step = pickle.load(sys.stdin.buffer)
    graph = igraph.Graph(n=n, edges=edges)
    values = graph.closeness(vertices=range(first, n, step), normalized=True)
    pickle.dump(list(values), sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)


if __name__ == "__main__":
    main()
