"""Benchmark the network views: metrics, layout and the HTML page, at the real size and at 10×.

Run: python benchmarks/bench_viz.py [--repeat 3]

The 10× network is ten relabelled copies of the real co-implementation network,
consecutive copies joined by 30 seeded random ties (one large component, as a
bigger region would give). For each size it reports the median of *repeat*
runs of: ``network_metrics`` (exact), the page with metrics computed inside
(``html_document``, which estimates betweenness from a seeded sample above
1,000 nodes), pyvis's ``Network.from_nx`` + ``generate_html`` for comparison,
and ``draw_network`` to PNG.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import networkx as nx

from hyvinvointi_kg.analysis.networks import network_metrics, to_networkx
from hyvinvointi_kg.stores.files import load_graph
from hyvinvointi_kg.views.html import html_document


def tenfold(G: nx.Graph, copies: int = 10, links: int = 30) -> nx.Graph:
    """Relabelled copies of *G*, consecutive copies joined by a few seeded random ties."""
    big = G.__class__(**G.graph)
    rng = random.Random(1)
    nodes = sorted(G.nodes)
    for k in range(copies):
        big.add_nodes_from((f"{n}#{k}", {**d, "label": f"{d.get('label', n)} ({k})"})
                           for n, d in G.nodes(data=True))
        big.add_edges_from((f"{u}#{k}", f"{v}#{k}", d) for u, v, d in G.edges(data=True))
        for _ in range(links if k else 0):
            big.add_edge(f"{rng.choice(nodes)}#{k}", f"{rng.choice(nodes)}#{k - 1}", weight=1,
                         projects="x", project_names="x")
    return big


def median(step: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def pyvis_from_nx(G: nx.Graph) -> str:
    from pyvis.network import Network

    net = Network(cdn_resources="remote")
    plain = nx.Graph()
    plain.add_nodes_from((n, {"label": str(d.get("label", n))}) for n, d in G.nodes(data=True))
    plain.add_edges_from((u, v, {"weight": d.get("weight", 1)}) for u, v, d in G.edges(data=True))
    net.from_nx(plain)
    html: str = net.generate_html()
    return html


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-exact-10x", action="store_true",
                        help="skip exact metrics at 10x (about 30 s a run)")
    args = parser.parse_args()
    real = to_networkx(load_graph(), "co-implementation")
    folder = Path(tempfile.mkdtemp())
    print(f"median of {args.repeat} runs, seconds")
    print("| network | nodes / edges | exact metrics | page (html_document) | page size | "
          "pyvis from_nx + generate_html | PNG (draw_network) |")
    print("|---|---|---|---|---|---|---|")
    from hyvinvointi_kg.views.figures import draw_network

    for name, G in (("real", real), ("10x", tenfold(real))):
        exact = (float("nan") if name == "10x" and args.skip_exact_10x
                 else median(lambda G=G: network_metrics(G), args.repeat))
        page_time = median(lambda G=G: html_document(G), args.repeat)
        size = len(html_document(G).encode("utf-8")) / 1e6
        from_nx = median(lambda G=G: pyvis_from_nx(G), args.repeat)
        png = median(lambda G=G, name=name: draw_network(G, folder / f"{name}.png"), args.repeat)
        print(f"| {name} | {G.number_of_nodes()} / {G.number_of_edges()} | {exact:.2f} | {page_time:.2f} | "
              f"{size:.1f} MB | {from_nx:.2f} | {png:.2f} |")


if __name__ == "__main__":
    main()
