"""Load test of the SPARQL endpoint: concurrent clients over loopback for a bounded time.

Run: python benchmarks/endpoint_load.py [--clients 50] [--seconds 60] [--engines 4] [--port 0]

Starts ``hyvinvointi-kg serve`` on the built graph (a persistent Oxigraph store in
a temporary folder), then runs *clients* threads for *seconds* seconds; each
sends the bundled queries in turn (parameters fixed with ``VALUES``, as
``hyvinvointi-kg query NAME --sparql`` prints them) with ``Accept:
application/sparql-results+json`` and checks that the answer is HTTP 200 and
parses as JSON. The run is bounded in count (the threads) and time (each client
stops at the deadline; a request has a 180 s socket timeout), and stops by itself.

Reports the number of requests, errors, latency percentiles (p50, p90, p99, max)
and the resident memory of the server (the ``serve`` process and its Oxigraph
engines, sampled every 0.5 s: first, median and peak), then stops the server.
Exit status 1 if any request failed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

# Parameters of the queries that take some (as in tests/test_endpoint.py).
PARAMS: dict[str, dict[str, str]] = {
    "organisation-profile": {"organisation": "Kemin kaupunki"},
    "organisation-partners": {"organisation": "Lapin yliopisto"},
    "municipality-profile": {"municipality": "Savukoski"},
    "project-claims": {"project": "S21758"},
    "project-sources": {"project": "S21758"},
    "overlapping-projects": {"municipality": "Simo"},
    "funders-by-municipality": {"municipality": "Tornio"},
    "funders-by-theme": {"theme": "Turvallisuus"},
    "projects-by-filter": {"municipality": "Simo", "include_region": "true", "active_from": "2019-01-01"},
    "white-spots": {"theme": "Turvallisuus"},
    "organisations-by-reach": {"region": "Lappi"},
    "projects": {"place": "Kemi"},
    "projects-per-year": {"theme": "Turvallisuus"},
}


@dataclass(frozen=True)
class LoadResult:
    """What a load test measured."""

    clients: int
    seconds: float
    requests: int
    errors: tuple[str, ...]
    latencies_ms: tuple[float, ...] = field(repr=False)

    def percentile(self, p: float) -> float:
        """The *p*-th percentile of the latencies in milliseconds (nearest rank)."""
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def query_texts() -> list[tuple[str, str]]:
    """(name, self-contained SPARQL text) for every bundled query."""
    from hyvinvointi_kg.query import list_queries, query_text
    from hyvinvointi_kg.stores.files import load_graph

    graph = load_graph()
    return [(info.name, query_text(info, graph=graph, **PARAMS.get(info.name, {}))) for info in list_queries()]


def run_load(query_url: str, texts: list[tuple[str, str]], *, clients: int = 20,
             seconds: float = 60.0) -> LoadResult:
    """Run *clients* threads against *query_url* for *seconds*; every answer must be HTTP 200 JSON."""
    deadline = time.monotonic() + seconds
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client(offset: int) -> None:
        k = offset
        while time.monotonic() < deadline:
            name, text = texts[k % len(texts)]
            k += 1
            body = urllib.parse.urlencode({"query": text}).encode("utf-8")
            request = urllib.request.Request(query_url, data=body, headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/sparql-results+json"})
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=180) as response:
                    json.loads(response.read())
                    ok = response.status == 200
                    problem = f"{name}: HTTP {response.status}"
            except (urllib.error.URLError, OSError, ValueError) as err:
                ok, problem = False, f"{name}: {err}"
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    errors.append(problem)

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 200)
    return LoadResult(clients=clients, seconds=seconds, requests=len(latencies) + len(errors),
                      errors=tuple(errors), latencies_ms=tuple(latencies))


def _rss_kb(pid: int) -> int:
    """Resident memory of *pid* and its children (started by any of its threads), in kB (Linux /proc)."""
    total = 0
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            pids += [int(c) for c in (task / "children").read_text().split()]
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument("--engines", type=int, default=4, help="the server's --engines (queries run at once)")
    args = parser.parse_args(argv)

    import socket

    port = args.port
    if port == 0:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
    texts = query_texts()
    with tempfile.TemporaryDirectory() as folder:
        server = subprocess.Popen([sys.executable, "-m", "hyvinvointi_kg", "serve", "--port", str(port),
                                   "--engines", str(args.engines), "--location", str(Path(folder) / "store")],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            assert server.stdout is not None
            line = server.stdout.readline()
            if "SPARQL endpoint" not in line:
                print(f"the server did not start: {line}{server.stderr.read() if server.stderr else ''}",
                      file=sys.stderr)
                return 1
            query_url = f"http://127.0.0.1:{port}/query"
            memory: list[int] = []
            stop = threading.Event()

            def sample() -> None:
                while not stop.is_set():
                    memory.append(_rss_kb(server.pid))
                    stop.wait(0.5)

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            result = run_load(query_url, texts, clients=args.clients, seconds=args.seconds)
            stop.set()
            sampler.join()
            alive = server.poll() is None
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
    print(f"Command: `python benchmarks/endpoint_load.py --clients {args.clients} --seconds {args.seconds:g} "
          f"--engines {args.engines}`")
    print(f"Machine: {os.cpu_count()} cores; {len(texts)} queries in turn, loopback")
    print(f"requests: {result.requests} ({result.requests / args.seconds:.1f}/s), errors: {len(result.errors)}, "
          f"server still up: {alive}")
    print(f"latency ms: p50 {result.percentile(50):.1f}, p90 {result.percentile(90):.1f}, "
          f"p99 {result.percentile(99):.1f}, max {max(result.latencies_ms, default=float('nan')):.1f}")
    if memory:
        print(f"server resident memory MB (guard + engines): first {memory[0] / 1024:.0f}, median "
              f"{statistics.median(memory) / 1024:.0f}, peak {max(memory) / 1024:.0f} ({len(memory)} samples)")
    for problem in result.errors[:10]:
        print(f"error: {problem}", file=sys.stderr)
    return 0 if not result.errors and alive else 1


if __name__ == "__main__":
    raise SystemExit(main())
