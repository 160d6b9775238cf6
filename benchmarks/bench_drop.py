"""Removing a large named graph from a persistent Oxigraph store: one transaction or batches.

``materialise_in_place`` records each round's conclusions in private named graphs and removes
them at the end; at 1,000,000 projects they hold about 21 million quads. This compares
``Store.remove_graph`` (one transaction, held in memory) with the batched removal of
``hyvinvointi_kg.reasoning.rules_sparql._drop_graph`` (``DELETE DATA`` updates of 100,000 triples read from a
dump), on a fresh store per method, each in its own process (peak memory is per process).

    python benchmarks/bench_drop.py [--quads 2000000]

Prints, per method, the seconds, the process's peak resident memory, and the quads left.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time


def _run(method: str, quads: int) -> None:
    import pyoxigraph as ox

    from hyvinvointi_kg.reasoning.rules_sparql import _drop_graph

    with tempfile.TemporaryDirectory(prefix="bench-drop-") as folder:
        store = ox.Store(folder)
        graph, p = ox.NamedNode("urn:g"), ox.NamedNode("http://example.org/p")
        for target in (graph, ox.DefaultGraph()):
            store.bulk_extend(ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), p,
                                      ox.NamedNode(f"http://example.org/o{i % 1000}"), target) for i in range(quads))
        start = time.perf_counter()
        if method == "remove_graph":
            store.remove_graph(graph)
        else:
            _drop_graph(store, graph)
        seconds = time.perf_counter() - start
        left = sum(1 for _ in store.quads_for_pattern(None, None, None, graph))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{method:>13}: {seconds:6.1f} s, peak {peak:,.0f} MB (the store's build included), "
              f"{left} quads left, {len(store):,} in the store", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quads", type=int, default=2_000_000, help="quads in the graph to remove")
    parser.add_argument("--method", choices=("remove_graph", "batches"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.method:
        _run(args.method, args.quads)
        return
    print(f"{args.quads:,} quads in a named graph (and as many in the default graph), RocksDB store")
    for method in ("remove_graph", "batches"):
        subprocess.run([sys.executable, __file__, "--quads", str(args.quads), "--method", method], check=True)


if __name__ == "__main__":
    main()
