"""Benchmark the main job and the two ways of computing entailments.

Run: python benchmarks/bench_build.py [--repeat 5]

Times, in fresh processes, (1) the README's main job ``hyvinvointi-kg build``
end to end, and (2) ``entailments(..., method="rules")`` against
``method="owlrl"`` on the real graph plus ontology. Prints medians and the ratio.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time

CHILD = """
import time
from hyvinvointi_kg.assembly.assemble import assemble
from hyvinvointi_kg.stores.files import load_ontology
from hyvinvointi_kg.reasoning.entailments import entailments
g = assemble().graph(); g += load_ontology()
t = time.perf_counter(); entailments(g, method="{method}"); print(time.perf_counter() - t, len(g))
"""


def _median_run(cmd: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    out = tempfile.mkdtemp()
    build = _median_run([sys.executable, "-m", "hyvinvointi_kg", "build", "-o", out], args.repeat)
    print(f"main job (hyvinvointi-kg build, end to end): median {build:.2f} s over {args.repeat} runs")
    result = {}
    for method in ("rules", "owlrl"):
        samples = []
        for _ in range(args.repeat):
            proc = subprocess.run([sys.executable, "-c", CHILD.format(method=method)],
                                  check=True, capture_output=True, text=True)
            seconds, triples = proc.stdout.split()
            samples.append(float(seconds))
        result[method] = statistics.median(samples)
        print(f"entailments method={method}: median {result[method]:.3f} s on {triples} triples")
    print(f"owlrl / rules: {result['owlrl'] / result['rules']:.1f}x")


if __name__ == "__main__":
    main()
