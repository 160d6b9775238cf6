"""Latency of CLI commands on the bundled graph, default (Oxigraph) against ``--backend memory``.

Run: python benchmarks/cli_latency.py [--repeat 5]

Each command runs *repeat* times per backend in a fresh process (``python -m hyvinvointi_kg``),
the two backends alternating so that both see the same machine load. The Oxigraph store is built
once before timing (as the first CLI call on a new graph does). Prints, per command, the median
and the spread (min-max) of the wall-clock times and the ratio of the medians.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

COMMANDS: tuple[tuple[str, ...], ...] = (
    ("query", "municipality-profile", "-p", "municipality=Savukoski"),
    ("query", "projects-by-filter", "-p", "municipality=Simo", "-p", "include_region=true"),
    ("table", "organisations"),
    ("table", "projects"),
    ("overlaps", "--municipality", "Kemi"),
    ("metrics", "co-implementation"),
    ("info",),
)


def _run(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "hyvinvointi_kg", *args], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        os.environ["XDG_CACHE_HOME"] = cache  # a store of its own, built once here
        _run(["info"])
        print(f"{'command':60s} {'oxigraph (default)':>22s} {'memory (rdflib)':>22s} {'ratio':>7s}")
        for command in COMMANDS:
            times: dict[str, list[float]] = {"oxigraph": [], "memory": []}
            for _ in range(args.repeat):
                times["oxigraph"].append(_run(list(command)))
                times["memory"].append(_run([*command, "--backend", "memory"]))
            cells = [f"{statistics.median(t):6.2f} s ({min(t):.2f}-{max(t):.2f})" for t in times.values()]
            ratio = statistics.median(times["memory"]) / statistics.median(times["oxigraph"])
            print(f"{' '.join(command):60s} {cells[0]:>22s} {cells[1]:>22s} {ratio:6.1f}x")


if __name__ == "__main__":
    main()
