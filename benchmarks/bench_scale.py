"""Benchmark every step on the reference stack and on the fast path, at several graph sizes.

Run: python benchmarks/bench_scale.py --sizes 1000,10000 [--repeat 3] [--timeout 600]
                                      [--workdir /tmp/hyvinvointi-bench] [--markdown FILE]

For each size the graph is generated (``benchmarks/generate.py``, seed 1) and
prepared once (untimed here; the times are reported): the ontology as N-Triples,
the generated graph with the ontology and the entailments of the reference rules
(input of the queries, so that it does not depend on the fast path under test),
and the co-implementation network (input of the metrics and the HTML page).
Then every step runs, reference and fast side by side, each in a fresh
subprocess that loads its input (untimed) and times the step *repeat* times (fewer
when one run is long: no new run starts after ``--budget`` seconds). The table
gives the median, the ratio reference / fast, the peak memory of the subprocess
(its VmHWM, read by the subprocess itself, or the largest VmRSS seen while
polling it if it was killed: the step together with its loaded input) and the
scaling exponent log(t2/t1) / log(n2/n1) between consecutive sizes. A
subprocess still running after ``--timeout`` seconds is killed and reported as
"> timeout", one above ``--max-memory`` GB of resident memory as "killed
above"; a side that hit a limit is not run again at the larger sizes.

Steps (reference | fast):

- load: rdflib ``Graph.parse`` | ``stores.oxigraph.load_store`` (Oxigraph, keeps
  literal originals for exact validation), and plain ``Store.bulk_load``;
- validate: ``validation.validate`` (pySHACL) | ``validation.sparql.validate_sparql`` on the store;
- infer: ``reasoning.entailments.entailments`` with ``method="owlrl"`` and ``"rules"`` |
  ``rules_sparql.materialise_in_place(store)`` and ``rules_sparql.entailments_sparql(graph)``;
- queries: ``query.run_query`` on rdflib | the same text on Oxigraph, the
  parameters bound by ``VALUES`` blocks (see :func:`bind_values`);
- overlaps: the SPARQL self-join ``overlapping-projects`` on rdflib (quadratic; only
  up to ``--overlap-sparql-max`` projects) | ``overlaps.overlap_pairs`` (the same
  pairs by a sweep per (municipality, topic) bucket, over the fast pipeline's store and over an
  rdflib graph),
  ``overlaps.find_overlaps`` (the pairs with scores and reasons: more than the
  reference computes) and the same SPARQL on Oxigraph;
- network metrics: ``analysis.networks.network_metrics`` (networkx) |
  ``analysis.igraph_metrics.igraph_metrics`` (igraph);
  above 10,000 nodes both estimate betweenness from the same 1,000 sampled sources;
- HTML: pyvis ``Network.from_nx`` + ``generate_html`` | ``views.html.html_document``.

A fast function that does not exist (yet) is reported as "not available".
Results also go to ``<workdir>/results.json``.
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import itertools
import json
import math
import os
import pickle
import platform
import re
import shlex
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ID = "https://w3id.org/hyvinvointi-kg/id/"
CONCEPT = "https://w3id.org/hyvinvointi-kg/concept/"

QUERIES: dict[str, dict[str, str]] = {
    "organisation-profile": {"organisation": ID + "org/lapin-yliopisto"},
    "municipality-profile": {"municipality": ID + "place/kunta/240"},
    "projects-by-filter": {"municipality": ID + "place/kunta/698", "theme": CONCEPT + "theme/mielenterveys"},
    "overlapping-projects": {"municipality": ID + "place/kunta/583"},
}
OVERLAP_MUNICIPALITY = ID + "place/kunta/583"
"""The benchmarked queries and their parameters: the most popular organisation (Lapin yliopisto),
the most targeted municipality (Kemi), Rovaniemi with a theme, and the least targeted
Lapland municipality (Pelkosenniemi) for the overlap question."""


# ---------------------------------------------------------------------------
# Inputs, prepared once per size
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Inputs:
    """The files of one size in the work folder."""

    folder: Path

    @property
    def generated(self) -> Path:
        return self.folder / "generated.nt"

    @property
    def ontology(self) -> Path:
        return self.folder / "ontology.nt"

    @property
    def materialised(self) -> Path:
        return self.folder / "materialised.nt"

    @property
    def network(self) -> Path:
        return self.folder / "network.pickle"

    @property
    def store(self) -> Path:
        return self.folder / "store"


_FAST_MODULES = {"load_store": "stores.oxigraph", "validate_sparql": "validation.sparql",
                 "materialise_in_place": "reasoning.rules_sparql", "entailments_sparql": "reasoning.rules_sparql",
                 "igraph_metrics": "analysis.igraph_metrics"}


def _fast(name: str) -> Callable[..., Any] | None:
    """The function *name* of the module of ``hyvinvointi_kg`` that holds it, or None when it is missing."""
    try:
        module = importlib.import_module(f"hyvinvointi_kg.{_FAST_MODULES.get(name, name)}")
    except ImportError:
        return None
    return getattr(module, name, None)


def _rdflib(*paths: Path) -> Any:
    from rdflib import Graph

    graph = Graph()
    for path in paths:
        graph.parse(path, format="nt")
    return graph


def _raw_store(*paths: Path) -> Any:
    import pyoxigraph as ox

    store = ox.Store()
    for path in paths:
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
    return store


def prepare(size: int, seed: int, inputs: Inputs, *, light: bool = False,
            fast_inputs: bool = False) -> dict[str, float]:
    """Generate the graph and the derived inputs (only the graph and the ontology if *light*); return times.

    With *fast_inputs* (``--only fast``), the input of the queries is materialised by the fast
    path (the same triples, tested in tests/test_rules_sparql.py) instead of rdflib, which takes minutes
    and gigabytes from 100,000 projects on.
    """
    sys.path.insert(0, str(HERE))
    from generate import write_graph

    from hyvinvointi_kg.analysis.networks import to_networkx
    from hyvinvointi_kg.stores.files import load_ontology

    times: dict[str, float] = {}
    inputs.folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    triples = write_graph(inputs.generated, size, seed)
    times["generate"] = time.perf_counter() - started
    times["triples"] = triples
    load_ontology().serialize(inputs.ontology, format="nt", encoding="utf-8")
    if light:
        return times

    # The input of the queries: the graph, the ontology and the entailments of the reference rules
    # (not of the fast path under test).
    from hyvinvointi_kg.reasoning.entailments import materialise

    if fast_inputs:
        import pyoxigraph as ox

        from hyvinvointi_kg.reasoning.rules_sparql import materialise_in_place
        from hyvinvointi_kg.stores.oxigraph import load_store

        started = time.perf_counter()
        store = load_store([inputs.generated, inputs.ontology])
        materialise_in_place(store)
        times["materialise"] = time.perf_counter() - started
        store.dump(str(inputs.materialised), format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        times["entailed"] = sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        del store
    else:
        started = time.perf_counter()
        graph = materialise(_rdflib(inputs.generated, inputs.ontology))
        times["materialise"] = time.perf_counter() - started
        times["entailed"] = len(graph)
        graph.serialize(inputs.materialised, format="nt", encoding="utf-8")
        del graph

    graph = _rdflib(inputs.generated, inputs.ontology)
    started = time.perf_counter()
    network = to_networkx(graph, "co-implementation")
    times["to_networkx"] = time.perf_counter() - started
    times["nodes"], times["edges"] = network.number_of_nodes(), network.number_of_edges()
    with inputs.network.open("wb") as handle:
        pickle.dump(network, handle, protocol=pickle.HIGHEST_PROTOCOL)
    return times


# ---------------------------------------------------------------------------
# Steps: a setup (untimed, once per subprocess), an optional per-run setup and the timed run
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Side:
    """One implementation of a step."""

    label: str
    setup: Callable[[Inputs], Any]
    run: Callable[[Any], Any]
    fresh: bool = False
    """Set up again (untimed) before every run: the run changes its input."""
    needs: str | None = None
    """The function of hyvinvointi_kg this side needs (see _FAST_MODULES)."""
    imports: tuple[str, ...] = ()
    """Modules to import during the setup, so that import time is not counted in the runs."""


@dataclass(frozen=True)
class Step:
    name: str
    reference: Side | None
    fast: tuple[Side, ...]
    max_size: int | None = None
    """Run the reference only up to this size."""


def _validation_summary(report: Any) -> dict[str, Any]:
    shapes = Counter(f"{r.severity} {r.source_shape.rsplit('#', 1)[-1]}" for r in report.results)
    return {"conforms": report.conforms, "violations": len(report.violations), "results": len(report.results),
            "by_shape": dict(sorted(shapes.items()))}


def _run_validate(graph: Any) -> Any:
    from hyvinvointi_kg.validation.validate import validate

    return _validation_summary(validate(graph))


def _run_validate_fast(store: Any) -> Any:
    return _validation_summary(_fast("validate_sparql")(store))  # type: ignore[misc]


def _run_entailments(method: str) -> Callable[[Any], Any]:
    def run(graph: Any) -> Any:
        from hyvinvointi_kg.reasoning.entailments import entailments

        return {"entailed": len(entailments(graph, method=method))}  # type: ignore[arg-type]

    return run


def _query_sides(name: str, params: dict[str, str]) -> tuple[Side, Side]:
    def run_rdflib(graph: Any) -> Any:
        from hyvinvointi_kg.query import run_query

        result = run_query(graph, name, **params)
        return {"rows": len(result), "first": sorted(str(row[0]) for row in result.rows)}

    def run_oxigraph(store: Any) -> Any:
        import pyoxigraph as ox

        from hyvinvointi_kg.query import get_query

        rows = list(store.query(bind_values(get_query(name).text, params)))
        assert all(isinstance(row, ox.QuerySolution) for row in rows)
        return {"rows": len(rows), "first": sorted(str(row[0].value) for row in rows if row[0] is not None)}

    return (Side("rdflib run_query", lambda i: _warm_sparql(_rdflib(i.materialised)), run_rdflib,
                 imports=("hyvinvointi_kg.query",)),
            Side("Oxigraph query", lambda i: _raw_store(i.materialised), run_oxigraph,
                 imports=("pyoxigraph", "hyvinvointi_kg.query")))


def _warm_sparql(graph: Any) -> Any:
    """*graph*, after one trivial query: rdflib builds its SPARQL parser on first use."""
    graph.query("ASK { ?s ?p ?o }")
    return graph


def bind_values(text: str, params: dict[str, str]) -> str:
    """*text* with a ``VALUES`` block binding each IRI parameter at the start of the ``WHERE`` groups.

    Benchmark only: the benchmark's profile queries use a parameter inside sub-selects, so
    the ``VALUES`` block is repeated in every ``WHERE`` group to reach them; the row counts
    are compared with rdflib's on the same text. (The bundled queries need one ``VALUES``
    block at the top, see :func:`hyvinvointi_kg.query.bind_in_text`.)
    """
    from rdflib import URIRef

    block = " ".join(f"VALUES ?{name} {{ {URIRef(value).n3()} }}" for name, value in params.items())
    # A group that holds a sub-select can hold nothing else; its sub-select's own WHERE gets the block.
    return re.sub(r"WHERE\s*\{(?!\s*SELECT)", lambda match: f"{match.group(0)} {block} ", text)


def _sparql_overlaps_rdflib(graph: Any) -> Any:
    from hyvinvointi_kg.query import run_query

    result = run_query(graph, "overlapping-projects")
    return {"pairs": len(result)}


def _sparql_overlaps_oxigraph(store: Any) -> Any:
    from hyvinvointi_kg.query import get_query

    return {"pairs": sum(1 for _ in store.query(get_query("overlapping-projects").text))}


def _store_graph(inputs: Inputs) -> Any:
    """An rdflib graph over the fast pipeline's Oxigraph store (oxrdflib): the graph is not held twice."""
    from oxrdflib.store import OxigraphStore
    from rdflib import Graph
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    store = _fast("load_store")([inputs.generated, inputs.ontology])  # type: ignore[misc]
    return Graph(store=OxigraphStore(store=store), identifier=DATASET_DEFAULT_GRAPH_ID)


def _overlap_pairs(graph: Any) -> Any:
    from hyvinvointi_kg.analysis.overlaps import overlap_pairs

    return {"pairs": len(overlap_pairs(graph))}


def _find_overlaps(graph: Any) -> Any:
    from hyvinvointi_kg.analysis.overlaps import find_overlaps

    return {"pairs": len(find_overlaps(graph))}


def _network(inputs: Inputs) -> Any:
    with inputs.network.open("rb") as handle:
        return pickle.load(handle)


def _metrics_summary(metrics: Any) -> dict[str, Any]:
    frame = metrics.nodes
    return {"nodes": len(frame), "components": metrics.components, "communities": metrics.communities,
            "modularity": round(metrics.modularity, 4), "density": metrics.density,
            "frame": frame[["degree", "weighted_degree", "betweenness", "closeness", "component"]]}


EXACT_BETWEENNESS_MAX_NODES = 10_000
BETWEENNESS_SAMPLE = 1000
"""Above this many nodes (100,000 projects make 19,300), both sides estimate betweenness from the
same 1,000 sampled sources (networkx's ``k``): exact betweenness grows with nodes × ties."""


def _sample(G: Any) -> int | None:
    return BETWEENNESS_SAMPLE if G.number_of_nodes() > EXACT_BETWEENNESS_MAX_NODES else None


def _network_metrics(G: Any) -> Any:
    from hyvinvointi_kg.analysis.networks import network_metrics

    return _metrics_summary(network_metrics(G, betweenness_sample=_sample(G)))


def _network_metrics_fast(G: Any) -> Any:
    return _metrics_summary(_fast("igraph_metrics")(G, betweenness_sample=_sample(G)))  # type: ignore[misc]


def _pyvis_html(G: Any) -> Any:
    import networkx as nx
    from pyvis.network import Network

    net = Network(cdn_resources="remote")
    plain = nx.Graph()
    plain.add_nodes_from((str(n), {"label": str(d.get("label", n))}) for n, d in G.nodes(data=True))
    plain.add_edges_from((str(u), str(v), {"weight": d.get("weight", 1)}) for u, v, d in G.edges(data=True))
    net.from_nx(plain)
    return {"bytes": len(net.generate_html())}


def _html_document(G: Any) -> Any:
    from hyvinvointi_kg.views.html import html_document

    return {"bytes": len(html_document(G))}


FAST = ("pyoxigraph", "hyvinvointi_kg.stores.oxigraph")


def _steps(overlap_sparql_max: int) -> tuple[Step, ...]:
    def fast_store(i: Inputs) -> Any:
        return _fast("load_store")([i.generated])  # type: ignore[misc]

    def fast_store_with_ontology(i: Inputs) -> Any:
        return _fast("load_store")([i.generated, i.ontology])  # type: ignore[misc]

    materialise = Side("materialise_in_place(store)", fast_store_with_ontology,
                       lambda store: {"entailed": _fast("materialise_in_place")(store)},  # type: ignore[misc]
                       fresh=True, needs="materialise_in_place", imports=FAST)
    entailments_sparql = Side("entailments_sparql(graph)", lambda i: _rdflib(i.generated, i.ontology),
                            lambda g: {"entailed": len(_fast("entailments_sparql")(g))},  # type: ignore[misc]
                            needs="entailments_sparql", imports=FAST)
    steps = [
        Step("load", Side("rdflib Graph.parse", lambda i: i.generated,
                          lambda path: {"triples": len(_rdflib(path))}),
             (Side("oxigraph_store.load_store", lambda i: i.generated,
                   lambda path: {"quads": len(_fast("load_store")([path]))},  # type: ignore[misc]
                   needs="load_store", imports=FAST),
              Side("Oxigraph bulk_load", lambda i: i.generated,
                   lambda path: {"triples": len(_raw_store(path))}, imports=("pyoxigraph",)))),
        Step("validate", Side("pySHACL validate", lambda i: _rdflib(i.generated), _run_validate,
                              imports=("pyshacl", "hyvinvointi_kg.validation.validate")),
             (Side("validate_sparql(store)", fast_store, _run_validate_fast, needs="validate_sparql",
                   imports=FAST),)),
        Step("infer: OWL RL (owlrl)", Side("entailments owlrl", lambda i: _rdflib(i.generated, i.ontology),
                                           _run_entailments("owlrl"), imports=("owlrl",)), (materialise,)),
        Step("infer: rules", Side("entailments rules", lambda i: _rdflib(i.generated, i.ontology),
                                  _run_entailments("rules")), (materialise, entailments_sparql)),
    ]
    for name, params in QUERIES.items():
        rdflib_side, oxigraph_side = _query_sides(name, params)
        steps.append(Step(f"query: {name}", rdflib_side, (oxigraph_side,)))
    steps += [
        Step("overlaps (all pairs)", Side("SPARQL self-join, rdflib", lambda i: _warm_sparql(_rdflib(i.materialised)),
                                          _sparql_overlaps_rdflib, imports=("hyvinvointi_kg.query",)),
             (Side("overlap_pairs (sweep) over the store", _store_graph, _overlap_pairs, needs="load_store",
                   imports=("numpy", "oxrdflib.store", "hyvinvointi_kg.analysis.overlaps", *FAST)),
              Side("overlap_pairs (sweep) over an rdflib graph", lambda i: _rdflib(i.generated, i.ontology),
                   _overlap_pairs, imports=("numpy", "hyvinvointi_kg.analysis.overlaps")),
              Side("find_overlaps (sweep + scores, reasons)", lambda i: _rdflib(i.generated, i.ontology),
                   _find_overlaps, imports=("sklearn.feature_extraction.text", "hyvinvointi_kg.analysis.overlaps")),
              Side("SPARQL self-join, Oxigraph", lambda i: _raw_store(i.materialised), _sparql_overlaps_oxigraph)),
             max_size=overlap_sparql_max),
        Step("network metrics", Side("networkx network_metrics", _network, _network_metrics,
                                     imports=("pandas", "hyvinvointi_kg.analysis.networks")),
             (Side("igraph_metrics (igraph)", _network, _network_metrics_fast,
                   needs="igraph_metrics", imports=("pandas", "igraph", *FAST)),)),
        Step("HTML page", Side("pyvis from_nx + generate_html", _network, _pyvis_html,
                               imports=("pyvis.network",)),
             (Side("viz.html_document", _network, _html_document, imports=("hyvinvointi_kg.views.html",)),)),
    ]
    return tuple(steps)


def _persistent_steps() -> tuple[Step, ...]:
    """The 1M check: a persistent Oxigraph store loaded once, then each question in a fresh process."""

    def load(inputs: Inputs) -> Any:
        import shutil

        shutil.rmtree(inputs.store, ignore_errors=True)
        store = _fast("load_store")([inputs.generated, inputs.ontology], path=inputs.store)  # type: ignore[misc]
        store.flush()
        return {"store": str(inputs.store)}

    def open_store(inputs: Inputs) -> Any:
        import pyoxigraph as ox

        return ox.Store(str(inputs.store))

    def materialise(store: Any) -> Any:
        entailed = _fast("materialise_in_place")(store)  # type: ignore[misc]
        store.flush()
        return {"entailed": entailed}

    steps = [Step("persistent: load_store(path=...)", None,
                  (Side("oxigraph_store.load_store into a store on disk", lambda i: i, load, needs="load_store",
                        imports=FAST),)),
             Step("persistent: materialise_in_place", None,
                  (Side("materialise_in_place(store)", open_store, materialise, needs="materialise_in_place",
                        imports=FAST),))]
    for name, params in QUERIES.items():
        _, oxigraph_side = _query_sides(name, params)
        steps.append(Step(f"persistent query: {name}", None,
                          (Side("open the store + Oxigraph query", open_store, oxigraph_side.run,
                                imports=oxigraph_side.imports),)))

    def store_graph(inputs: Inputs) -> Any:
        import pyoxigraph as ox
        from oxrdflib.store import OxigraphStore
        from rdflib import Graph
        from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

        return Graph(store=OxigraphStore(store=ox.Store.read_only(str(inputs.store))),
                     identifier=DATASET_DEFAULT_GRAPH_ID)

    def pairs(graph: Any) -> Any:
        from rdflib import URIRef

        from hyvinvointi_kg.analysis.overlaps import overlap_pairs

        return {"pairs": len(overlap_pairs(graph, municipality=URIRef(OVERLAP_MUNICIPALITY)))}

    steps.append(Step("persistent overlaps: overlap_pairs(municipality=...)", None,
                      (Side("open the store (rdflib over Oxigraph) + overlap_pairs", store_graph, pairs,
                            imports=("oxrdflib.store", "hyvinvointi_kg.analysis.overlaps")),)))
    return tuple(steps)


# ---------------------------------------------------------------------------
# The child process: set up, run, report
# ---------------------------------------------------------------------------


def _side(steps: tuple[Step, ...], step_name: str, side_index: int) -> Side:
    step = next(s for s in steps if s.name == step_name)
    side = step.reference if side_index < 0 else step.fast[side_index]
    assert side is not None
    return side


def _resident_kb(pid: int) -> int:
    """Resident memory of process *pid* in kB (0 if unknown)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    return int(match.group(1)) if match else 0


def _peak_kb() -> int | None:
    """This process's peak resident memory (VmHWM), in kB; None where /proc is missing."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(match.group(1)) if match else None


def child(args: argparse.Namespace) -> None:
    """Run one side of one step; write setup time, run times and the last result to a pickle."""
    side = _side(_steps(args.overlap_sparql_max) + _persistent_steps(), args.step, args.side)
    inputs = Inputs(Path(args.folder))
    out = Path(args.out)
    record: dict[str, Any] = {"runs": []}

    def save() -> None:
        record["peak_kb"] = _peak_kb()
        tmp = out.with_suffix(".tmp")
        with tmp.open("wb") as handle:
            pickle.dump(record, handle)
        os.replace(tmp, out)

    started = time.perf_counter()
    for module in side.imports:
        importlib.import_module(module)
    state = side.setup(inputs)
    record["setup"] = time.perf_counter() - started
    save()
    spent = 0.0
    for n in range(args.repeat):
        if n and side.fresh:
            state = side.setup(inputs)
        began = time.perf_counter()
        result = side.run(state)
        seconds = time.perf_counter() - began
        spent += seconds
        record["runs"].append(seconds)
        record["result"] = result
        save()
        if spent > args.budget:
            break


# ---------------------------------------------------------------------------
# The parent: one subprocess per side, timeouts, peak memory
# ---------------------------------------------------------------------------


@dataclass
class Measure:
    label: str
    median: float | None = None
    runs: int = 0
    peak_mb: float | None = None
    status: str = "ok"
    """ok, timeout, skipped, not available, error"""
    note: str = ""
    result: Any = None

    def cell(self) -> str:
        if self.status == "ok" and self.median is not None:
            return _seconds(self.median)
        if self.status == "timeout":
            return f"> {self.note}"
        if self.status == "memory":
            return f"killed above {self.note} of memory"
        if self.status == "none":
            return "—"
        return self.status


@dataclass
class Row:
    step: str
    size: int
    reference: Measure
    fast: list[Measure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """Disagreements between the stacks, found when the row was measured."""


def _seconds(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f} s"
    if value >= 1:
        return f"{value:.2f} s"
    return f"{value * 1000:.1f} ms"


def measure(args: argparse.Namespace, step: Step, side_index: int, inputs: Inputs, label: str) -> Measure:
    """Run one side of *step* in a fresh subprocess with a time and a memory limit."""
    out = inputs.folder / f"result-{''.join(c if c.isalnum() else '-' for c in step.name)}-{side_index}.pickle"
    out.unlink(missing_ok=True)
    command = [sys.executable, str(Path(__file__).resolve()), "_child", "--step", step.name,
               "--side", str(side_index), "--folder", str(inputs.folder), "--out", str(out),
               "--repeat", str(args.repeat), "--budget", str(args.budget),
               "--overlap-sparql-max", str(args.overlap_sparql_max)]
    log = (inputs.folder / "child.log").open("ab")
    process = subprocess.Popen(command, stdout=log, stderr=log, start_new_session=True)
    deadline = time.monotonic() + args.timeout
    timed_out = too_big = False
    seen_kb = 0
    while True:
        pid, status = os.waitpid(process.pid, os.WNOHANG)
        if pid:
            break
        timed_out = time.monotonic() > deadline
        resident = _resident_kb(process.pid)
        seen_kb = max(seen_kb, resident)
        too_big = resident > args.max_memory * 1024 * 1024
        if timed_out or too_big:
            os.killpg(process.pid, signal.SIGKILL)
            pid, status = os.waitpid(process.pid, 0)
            break
        time.sleep(0.05)
    process.returncode = os.waitstatus_to_exitcode(status)
    log.close()
    record: dict[str, Any] = {}
    if out.exists():
        with out.open("rb") as handle:
            record = pickle.load(handle)
        out.unlink()
    # VmHWM as the child last read it, or the largest VmRSS seen while polling (after a kill). Not
    # ru_maxrss: on Linux it also counts the parent's pages (vfork, and the high-water mark survives exec).
    result = Measure(label, peak_mb=max(record.get("peak_kb") or 0, seen_kb) / 1024)
    runs = record.get("runs", [])
    result.runs, result.result = len(runs), record.get("result")
    if runs:
        result.median = statistics.median(runs)
    if timed_out:
        result.status = "timeout"
        result.note = f"{args.timeout:.0f} s"
        if runs:  # some runs finished: report them, but say the limit was hit
            result.status = "ok"
            result.note = f"stopped at the {args.timeout:.0f} s limit after {len(runs)} run(s)"
    elif too_big:
        result.status = "memory"
        result.note = f"{args.max_memory:g} GB"
    elif process.returncode != 0:
        result.status = "error"
        result.note = f"exit {process.returncode}; see {inputs.folder / 'child.log'}"
    return result


def _available(side: Side) -> bool:
    return side.needs is None or _fast(side.needs) is not None


def _disagreements(row: Row) -> list[str]:
    """What the fast sides report differently from the reference (or from each other, for overlaps)."""
    notes: list[str] = []
    ref = row.reference.result
    for m in row.fast:
        res = m.result
        if res is None:
            continue
        if row.step == "network metrics" and ref is not None:
            for key in ("components", "nodes"):
                if ref[key] != res[key]:
                    notes.append(f"{m.label}: {key} {res[key]} vs {ref[key]}")
            a, b = ref.get("frame"), res.get("frame")
            if a is not None and b is not None and list(a.index) == list(b.index):
                for column in ("degree", "weighted_degree", "component"):
                    if not (a[column] == b[column]).all():
                        notes.append(f"{m.label}: {column} differs on {(a[column] != b[column]).sum()} nodes")
                for column in ("betweenness", "closeness"):
                    diff = float((a[column] - b[column]).abs().max())
                    if diff > 1e-9:
                        notes.append(f"{m.label}: {column} differs by up to {diff:.2e}")
            if ref["communities"] != res["communities"]:
                notes.append(f"{m.label}: {res['communities']} communities (modularity {res['modularity']}) vs "
                             f"{ref['communities']} ({ref['modularity']}) — different Louvain implementations")
            continue
        if ref is None:
            continue
        for key in ("conforms", "violations", "results", "entailed", "rows", "pairs", "triples"):
            if key in ref and key in res and ref[key] != res[key]:
                if row.step.startswith("infer: OWL RL"):
                    continue  # the OWL RL closure is larger than the rules by design
                notes.append(f"{m.label}: {key} {res[key]} vs reference {ref[key]}")
        if "by_shape" in ref and "by_shape" in res and ref["by_shape"] != res["by_shape"]:
            keys = sorted(set(ref["by_shape"]) | set(res["by_shape"]))
            diff = [f"{k}: {res['by_shape'].get(k, 0)} vs {ref['by_shape'].get(k, 0)}" for k in keys
                    if res["by_shape"].get(k, 0) != ref["by_shape"].get(k, 0)]
            notes.append(f"{m.label}: results by shape differ ({'; '.join(diff)})")
        if "first" in ref and "first" in res and ref["first"] != res["first"]:
            notes.append(f"{m.label}: first column differs ({len(set(res['first']) ^ set(ref['first']))} values)")
    if row.step.startswith("overlaps"):
        counts = {m.label: m.result["pairs"] for m in row.fast if m.result is not None}
        if len(set(counts.values())) > 1:
            notes.append("pair counts differ: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
    return notes


def _exponent(t1: float | None, t2: float | None, n1: int, n2: int) -> str:
    if not t1 or not t2:
        return ""
    return f"{math.log(t2 / t1) / math.log(n2 / n1):.2f}"


def _markdown(rows: list[Row], sizes: list[int], prep: dict[int, dict[str, float]], args: argparse.Namespace) -> str:
    command = " ".join(shlex.quote(a) for a in sys.argv[1:])
    lines = [f"Command: `python benchmarks/bench_scale.py {command}` (repeat {args.repeat}, timeout "
             f"{args.timeout:.0f} s, budget {args.budget:.0f} s)",
             f"Machine: {platform.node()}, {platform.processor() or platform.machine()}, "
             f"{os.cpu_count()} cores, Python {platform.python_version()}; "
             f"{datetime.date.today().isoformat()}", ""]
    lines += ["| size | triples | generate | materialise (input of the queries) "
              " | to_networkx "
              "| network nodes / edges "
              "| prepare peak MB |", "|---:|---:|---:|---:|---:|---:|---:|"]
    for size in sizes:
        p = prep[size]
        if "materialise" in p:
            derived = (f"{_seconds(p['materialise'])} ({int(p['entailed']):,} triples) | "
                       f"{_seconds(p['to_networkx'])} | "
                       f"{int(p['nodes']):,} / {int(p['edges']):,}")
        else:
            derived = "— | — | —"
        lines.append(f"| {size:,} | {int(p['triples']):,} | {_seconds(p['generate'])} | {derived} | "
                     f"{p.get('peak_mb', 0):,.0f} |")
    lines += ["", "| step | size | reference | median | peak MB | fast | median | peak MB | ref / fast |",
              "|---|---:|---|---:|---:|---|---:|---:|---:|"]

    def cells(m: Measure) -> str:
        runs = f" ({m.runs} run{'s' if m.runs != 1 else ''})" if m.runs and m.runs != args.repeat else ""
        peak = f"{m.peak_mb:,.0f}" if m.peak_mb else ""
        return f"{m.label} | {m.cell()}{runs} | {peak}"

    for row in rows:
        ref = row.reference
        for k, m in enumerate(row.fast):
            ratio = (f"{ref.median / m.median:,.1f}×" if ref.median and m.median and ref.status == "ok"
                     and m.status == "ok" else "")
            first = f"{row.step} | {row.size:,} | {cells(ref)}" if k == 0 else f" | {row.size:,} | | |"
            lines.append(f"| {first} | {cells(m)} | {ratio} |")
    if len(sizes) > 1:
        lines += ["", "Scaling exponents log(t2/t1) / log(n2/n1) (1 = linear):", "",
                  "| step | side | " + " | ".join(f"{a:,} → {b:,}" for a, b in itertools.pairwise(sizes)) + " |",
                  "|---|---|" + "---:|" * (len(sizes) - 1)]
        by_key: dict[tuple[str, str], dict[int, float | None]] = {}
        for row in rows:
            for m in (row.reference, *row.fast):
                by_key.setdefault((row.step, m.label), {})[row.size] = m.median if m.status == "ok" else None
        for (step, label), times in by_key.items():
            cells = [_exponent(times.get(a), times.get(b), a, b) for a, b in itertools.pairwise(sizes)]
            if any(cells):
                lines.append(f"| {step} | {label} | " + " | ".join(cells) + " |")
    notes = [(row, n) for row in rows for n in row.notes]
    if notes:
        lines += ["", "Disagreements between the stacks:", ""]
        lines += [f"- {row.step}, {row.size:,}: {n}" for row, n in notes]
    notes = [(row, m) for row in rows for m in (row.reference, *row.fast) if m.note and m.status != "timeout"]
    if notes:
        lines += ["", "Notes:", ""] + [f"- {row.step}, {row.size:,}, {m.label}: {m.note}" for row, m in notes]
    if args.persistent:
        return "\n".join(lines) + "\n"
    lines += ["", "Pipeline totals (sum of the medians of load, validate, infer rules, the four queries, overlaps, "
              "network metrics and HTML; the fast column takes the first fast variant of each step; "
              "≥ where a step timed out or was skipped):", "",
              "| size | reference | fast |", "|---:|---:|---:|"]
    for size in sizes:
        totals = {"reference": 0.0, "fast": 0.0}
        complete = {"reference": True, "fast": True}
        for row in rows:
            if row.size != size or row.step.startswith("infer: OWL RL"):
                continue
            for key, m in (("reference", row.reference), ("fast", row.fast[0] if row.fast else None)):
                if m is not None and m.status == "ok" and m.median:
                    totals[key] += m.median
                else:
                    complete[key] = False
        lines.append(f"| {size:,} | " + " | ".join(f"{'' if complete[k] else '≥ '}{_seconds(totals[k])}"
                                                  for k in ("reference", "fast")) + " |")
    return "\n".join(lines) + "\n"


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items() if k != "frame"}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value][:50]
    if isinstance(value, float | int | str | bool) or value is None:
        return value
    return str(value)


def _save_results(path: Path, prep: dict[int, dict[str, float]], rows: list[Row]) -> None:
    results = [{"step": r.step, "size": r.size, "notes": r.notes, "sides": [
        {"label": m.label, "median": m.median, "runs": m.runs, "peak_mb": m.peak_mb, "status": m.status,
         "note": m.note, "result": _jsonable(m.result)} for m in (r.reference, *r.fast)]} for r in rows]
    path.write_text(json.dumps({"prepare": {str(k): v for k, v in prep.items()}, "rows": results}, indent=1),
                    encoding="utf-8")


def _load_results(path: Path) -> tuple[dict[int, dict[str, float]], list[Row]]:
    """Rows of an earlier run's results.json (``--merge``)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = []
    for row in data["rows"]:
        measures = [Measure(m["label"], median=m["median"], runs=m["runs"], peak_mb=m["peak_mb"],
                            status=m["status"], note=m["note"], result=m["result"]) for m in row["sides"]]
        rows.append(Row(row["step"], row["size"], measures[0], measures[1:], list(row.get("notes", []))))
    return {int(k): v for k, v in data["prepare"].items()}, rows


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated numbers of projects")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=600, help="seconds per step and side (setup included)")
    parser.add_argument("--max-memory", type=float, default=10,
                        help="GB of resident memory above which a step is killed (the machine must not run out)")
    parser.add_argument("--budget", type=float, default=60,
                        help="start no further run of a step after this many seconds of runs")
    parser.add_argument("--overlap-sparql-max", type=int, default=1000,
                        help="largest size for the quadratic SPARQL self-join on rdflib")
    parser.add_argument("--steps", default="", help="only the steps whose name starts with one of these "
                                                    "(comma-separated), e.g. load,validate")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/hyvinvointi-bench"))
    parser.add_argument("--markdown", type=Path, help="also write the report to this file")
    parser.add_argument("--merge", type=Path, action="append", default=[],
                        help="results.json of an earlier run: its rows join the report (for exponents across "
                             "runs), its timeouts are not rerun, and with --only its other side is kept")
    parser.add_argument("--only", choices=("reference", "fast"),
                        help="run only this side (the other comes from --merge, if given)")
    parser.add_argument("--persistent", type=int, metavar="SIZE",
                        help="instead: generate SIZE projects, load them into a persistent Oxigraph store, "
                             "materialise, and answer the queries each in a fresh process (fast side only)")
    if argv and argv[0] == "_prepare":
        parser.add_argument("--size", type=int, required=True)
        parser.add_argument("--folder", type=Path, required=True)
        parser.add_argument("--light", action="store_true")
        parser.add_argument("--fast-inputs", action="store_true")
        args = parser.parse_args(argv[1:])
        times = prepare(args.size, args.seed, Inputs(args.folder), light=args.light, fast_inputs=args.fast_inputs)
        times["peak_mb"] = (_peak_kb() or 0) / 1024
        (args.folder / "prepare.json").write_text(json.dumps(times), encoding="utf-8")
        return 0
    if argv and argv[0] == "_child":
        parser.add_argument("--step", required=True)
        parser.add_argument("--side", type=int, required=True)
        parser.add_argument("--folder", required=True)
        parser.add_argument("--out", required=True)
        child(parser.parse_args(argv[1:]))
        return 0
    args = parser.parse_args(argv)
    sizes = [args.persistent] if args.persistent else sorted(int(s) for s in args.sizes.split(","))
    wanted = tuple(s.strip() for s in args.steps.split(",") if s.strip())
    candidates = _persistent_steps() if args.persistent else _steps(args.overlap_sparql_max)
    steps = [s for s in candidates if not wanted or s.name.startswith(wanted)]
    prep: dict[int, dict[str, float]] = {}
    merged: dict[tuple[str, int], Row] = {}
    for path in args.merge:
        old_prep, old_rows = _load_results(path)
        prep.update(old_prep)
        merged.update({(row.step, row.size): row for row in old_rows})
    timed_out: dict[tuple[str, str], int] = {}
    for row in sorted(merged.values(), key=lambda r: r.size):
        for m in (row.reference, *row.fast):
            if m.status in ("timeout", "memory") and "not rerun" not in m.note:
                timed_out.setdefault((row.step, m.label), row.size)
    rows: dict[tuple[str, int], Row] = dict(merged)
    args.workdir.mkdir(parents=True, exist_ok=True)
    for size in sizes:
        inputs = Inputs(args.workdir / str(size))
        print(f"[{size:,}] preparing", file=sys.stderr, flush=True)
        inputs.folder.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(Path(__file__).resolve()), "_prepare", "--size", str(size),
                        "--seed", str(args.seed), "--folder", str(inputs.folder),
                        *(["--light"] if args.persistent else []),
                        *(["--fast-inputs"] if args.only == "fast" else [])], check=True)
        prep[size] = json.loads((inputs.folder / "prepare.json").read_text(encoding="utf-8"))
        print(f"[{size:,}] {prep[size]}", file=sys.stderr, flush=True)
        for step in steps:
            previous = merged.get((step.name, size))
            sides: list[tuple[int, Side | None]] = [(-1, step.reference)] + list(enumerate(step.fast))
            measures: list[Measure] = []
            for index, side in sides:
                kept = None
                if previous is not None:
                    kept = previous.reference if index < 0 else next(
                        (m for m in previous.fast if side is not None and m.label == side.label), None)
                if side is None:
                    measures.append(Measure("(no reference)", status="none"))
                    continue
                key = (step.name, side.label)
                if args.only and args.only != ("reference" if index < 0 else "fast"):
                    measures.append(kept or Measure(side.label, status="not run"))
                    continue
                if not _available(side):
                    measures.append(Measure(side.label, status="not available",
                                            note=f"hyvinvointi_kg: {side.needs} does not exist"))
                elif index < 0 and step.max_size is not None and size > step.max_size:
                    measures.append(Measure(side.label, status="skipped",
                                            note=f"quadratic; run only up to {step.max_size:,} projects"))
                elif key in timed_out and timed_out[key] < size:
                    measures.append(Measure(side.label, status="timeout",
                                            note=f"time or memory limit at {timed_out[key]:,} (not rerun)"))
                else:
                    m = measure(args, step, index, inputs, side.label)
                    if m.status in ("timeout", "memory"):
                        timed_out[key] = size
                    else:
                        timed_out.pop(key, None)
                    measures.append(m)
                last = measures[-1]
                print(f"[{size:,}] {step.name} / {last.label}: {last.cell()} ({last.runs} runs, "
                      f"peak {last.peak_mb or 0:,.0f} MB) {_jsonable(last.result)}", file=sys.stderr, flush=True)
            row = Row(step.name, size, measures[0], measures[1:])
            row.notes = _disagreements(row)
            rows[(step.name, size)] = row
        _save_results(args.workdir / "results.json", prep, list(rows.values()))
    all_sizes = sorted({row.size for row in rows.values()})
    order = {step.name: i for i, step in enumerate(candidates)}
    ordered = sorted(rows.values(), key=lambda r: (r.size, order.get(r.step, len(order))))
    report = _markdown(ordered, all_sizes, prep, args)
    print(report)
    (args.workdir / "report.md").write_text(report, encoding="utf-8")
    if args.markdown:
        args.markdown.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
