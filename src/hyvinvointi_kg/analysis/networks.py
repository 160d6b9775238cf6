"""Collaboration networks as networkx graphs, their metrics, and exports for network tools."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import networkx as nx
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from hyvinvointi_kg.analysis._kinds import NETWORK_KINDS, NetworkKind
from hyvinvointi_kg.analysis.network_measures import NetworkMetrics, betweenness_sources, empty_metrics
from hyvinvointi_kg.analysis.selection import Named, Period, resolve_filters, select_projects
from hyvinvointi_kg.assembly.vocabulary import preferred_label
from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.namespaces import HK
from hyvinvointi_kg.stores.files import write_bytes

if TYPE_CHECKING:
    import pandas

__all__ = [
    "NETWORK_KINDS",
    "Backend",
    "NetworkKind",
    "NetworkMetrics",
    "metrics_by_period",
    "network_metrics",
    "nodes_csv_path",
    "select_projects",
    "to_networkx",
    "write_network",
]

SEPARATOR = " | "


def _kind(graph: Graph, org: Node) -> str:
    kinds = [k for k in graph.objects(org, RDF.type)
             if isinstance(k, URIRef) and str(k).startswith(str(HK)) and k != HK.Organisation
             and k != HK.FundingSource]
    specific = [k for k in kinds if not any((o, RDFS.subClassOf, k) in graph
                                            for o in kinds if o != k)]
    return str(sorted(specific, key=str)[0]).rsplit("#", 1)[-1] if specific else "Organisation"


def _add_org(graph: Graph, g: nx.Graph, org: Node, projects: dict[Node, set[Node]]) -> None:
    if str(org) in g:
        return
    home = graph.value(org, HK.domicile) or graph.value(org, HK.governs)
    g.add_node(str(org), label=preferred_label(graph, org), kind=_kind(graph, org), type="organisation",
               municipality=preferred_label(graph, home) if home is not None else "",
               projects=len(projects.get(org, ())))


def to_networkx(
    graph: Graph,
    kind: NetworkKind = "co-implementation",
    *,
    period: Period | None = None,
    municipality: Named | None = None,
    theme: Named | None = None,
    funder: Named | None = None,
    target_group: Named | None = None,
    ties: Literal["all", "lead-partner"] = "all",
) -> nx.Graph:
    """Build a network from the graph's projects (optionally filtered).

    Parameters
    ----------
    kind
        ``"co-implementation"``: organisations, undirected, an edge per pair that
        implements a project together (``weight`` = shared projects, ``projects``
        and ``project_names`` list them, joined by `` | ``);
        ``"lead-partner"``: directed lead → partner edges;
        ``"organisation-project"`` and ``"organisation-municipality"``: bipartite
        (node attribute ``bipartite`` 0 for organisations, 1 for the other side);
        ``"project-overlap"``: projects, an edge per overlapping pair weighted by its
        score (see :func:`hyvinvointi_kg.analysis.overlaps.find_overlaps`; *funder* is not used).
    period, municipality, theme, funder, target_group
        Keep only the projects these select (see
        :func:`~hyvinvointi_kg.analysis.selection.resolve_filters`: names, IRIs and
        periods as people write them, ``"2018–2020"``).
    ties
        For co-implementation: ``"all"`` co-implementers, or only ``"lead-partner"`` ties.

    Node attributes: ``label``, ``kind``, ``municipality`` (domicile or governed
    place), ``projects`` (number of projects it implements in the selection).

    Raises
    ------
    InputError
        For an unknown kind, a name the graph does not know or a period it cannot read.

    Examples
    --------
    >>> from hyvinvointi_kg.stores.files import load_graph
    >>> G = to_networkx(load_graph(), "co-implementation")
    >>> G.nodes["https://w3id.org/hyvinvointi-kg/id/org/lapin-ammattikorkeakoulu-oy"]["label"]
    'Lapin ammattikorkeakoulu Oy'
    """
    if kind not in NETWORK_KINDS:
        raise InputError(f"unknown network kind {kind!r}; one of {', '.join(NETWORK_KINDS)}")
    chosen = resolve_filters(graph, period=period, municipality=municipality, theme=theme, funder=funder,
                             target_group=target_group)
    if kind == "project-overlap":
        return _overlap_network(graph, period=chosen.period, municipality=chosen.municipality,
                                theme=chosen.theme)
    projects = sorted(select_projects(graph, period=chosen.period, municipality=chosen.municipality,
                                      theme=chosen.theme, funder=chosen.funder,
                                      target_group=chosen.target_group), key=str)
    leads = {p: sorted(graph.objects(p, HK.leadImplementer), key=str) for p in projects}
    partners = {p: sorted(graph.objects(p, HK.partner), key=str) for p in projects}
    org_projects: dict[Node, set[Node]] = defaultdict(set)
    for p in projects:
        for org in (*leads[p], *partners[p]):
            org_projects[org].add(p)
    titles = {p: preferred_label(graph, p) for p in projects}
    G: nx.Graph = nx.DiGraph() if kind == "lead-partner" else nx.Graph()
    G.graph.update(kind=kind, ties=ties, projects=len(projects))
    for org in sorted(org_projects, key=str):
        _add_org(graph, G, org, org_projects)
        if kind in ("organisation-project", "organisation-municipality"):
            G.nodes[str(org)]["bipartite"] = 0

    def tie(a: Node, b: Node, project: URIRef) -> None:
        u, v = str(a), str(b)
        if u == v:
            return
        if not G.is_directed() and v < u:
            u, v = v, u
        data = G.get_edge_data(u, v)
        if data is None:
            G.add_edge(u, v, weight=0, projects=[], project_names=[])
            data = G.get_edge_data(u, v)
        if str(project) not in data["projects"]:
            data["projects"].append(str(project))
            data["project_names"].append(titles[project])
            data["weight"] += 1

    for p in projects:
        if kind == "co-implementation":
            members = [*leads[p], *partners[p]]
            if ties == "lead-partner":
                for lead in leads[p]:
                    for partner in partners[p]:
                        tie(lead, partner, p)
            else:
                for i, a in enumerate(members):
                    for b in members[i + 1:]:
                        tie(a, b, p)
        elif kind == "lead-partner":
            for lead in leads[p]:
                for partner in partners[p]:
                    tie(lead, partner, p)
        elif kind == "organisation-project":
            G.add_node(str(p), label=titles[p], kind="Project", type="project", bipartite=1)
            for org in (*leads[p], *partners[p]):
                tie(org, p, p)
                role = "lead" if org in leads[p] else "partner"
                G.edges[str(org), str(p)]["role"] = role
        else:
            places = [a for a in graph.objects(p, HK.targetArea)
                      if (a, RDF.type, HK.Municipality) in graph]
            for place in places:
                if str(place) not in G:
                    G.add_node(str(place), label=preferred_label(graph, place), kind="Municipality",
                               type="municipality", bipartite=1,
                               code=str(graph.value(place, HK.municipalityCode) or ""))
                for org in (*leads[p], *partners[p]):
                    tie(org, place, p)
    for _u, _v, data in G.edges(data=True):
        data["projects"] = SEPARATOR.join(data["projects"])
        data["project_names"] = SEPARATOR.join(data["project_names"])
    return G


def _overlap_network(graph: Graph, *, period: tuple[date, date] | None,
                     municipality: URIRef | None, theme: URIRef | None) -> nx.Graph:
    from hyvinvointi_kg.analysis.overlaps import find_overlaps

    G = nx.Graph(kind="project-overlap")
    for o in find_overlaps(graph, period=period, municipality=municipality, theme=theme):
        for iri, name in ((o.project_a, o.name_a), (o.project_b, o.name_b)):
            G.add_node(iri, label=name, kind="Project", type="project")
        G.add_edge(o.project_a, o.project_b, weight=o.score, overlap_days=o.overlap_days,
                   text_similarity=o.text_similarity,
                   municipalities=SEPARATOR.join(o.shared_municipalities),
                   projects=f"{o.project_a}{SEPARATOR}{o.project_b}",
                   project_names=f"{o.name_a}{SEPARATOR}{o.name_b}")
    return G


Backend = Literal["networkx", "igraph"]


def network_metrics(G: nx.Graph, *, backend: Backend = "networkx", seed: int = 42,
                    betweenness_sample: int | None = None) -> NetworkMetrics:
    """Degree, weighted degree, betweenness, closeness, community and component per node.

    Communities are Louvain communities (networkx, seeded, so results are
    reproducible) of the undirected, weighted graph; betweenness and closeness are
    on the unweighted graph (a tie is a tie); components are numbered from the
    largest. Needs pandas (the ``dataframe`` extra).

    Parameters
    ----------
    G
        The network.
    backend
        ``"networkx"`` (default): the reference. ``"igraph"``: igraph computes betweenness,
        closeness and communities (:func:`hyvinvointi_kg.analysis.igraph_metrics.igraph_metrics`), tens
        of times faster on large networks; the same values to rounding except the communities
        and the modularity (another Louvain implementation). Needs the ``fast`` extra.
    seed
        Seed of the community detection and of the betweenness sample.
    betweenness_sample
        Estimate betweenness from shortest paths out of this many sources, drawn with
        *seed* (networkx's ``betweenness_centrality(k=...)``, the Brandes–Pich
        estimator), instead of from every node. Exact betweenness costs
        O(nodes × ties): minutes from about 10,000 nodes. None (default), or at least
        the number of nodes: exact. Recorded in :attr:`NetworkMetrics.betweenness_sample`.

    Raises
    ------
    InputError
        If *betweenness_sample* is below 2, for an unknown backend, or if igraph is missing.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("d", "e")])
    >>> m = network_metrics(G)
    >>> m.components, float(m.nodes.loc["b", "betweenness"])
    (2, 0.16666666666666666)
    >>> network_metrics(nx.path_graph(30), betweenness_sample=10).betweenness_sample
    10
    >>> float(network_metrics(G, backend="igraph").nodes.loc["b", "betweenness"])
    0.16666666666666666
    """
    if backend == "igraph":
        from hyvinvointi_kg.analysis.igraph_metrics import igraph_metrics

        return igraph_metrics(G, seed=seed, betweenness_sample=betweenness_sample)
    if backend != "networkx":
        raise InputError(f"unknown network-metrics backend {backend!r}; one of networkx, igraph")
    try:
        import pandas as pd
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise ImportError("network_metrics() needs pandas: pip install 'hyvinvointi_kg[dataframe]'") from err
    undirected = G.to_undirected() if G.is_directed() else G
    nodes = sorted(G.nodes)
    if not nodes:
        return empty_metrics()
    communities = nx.community.louvain_communities(undirected, weight="weight", seed=seed)
    communities = sorted(communities, key=lambda c: (-len(c), min(c)))
    community_of = {n: i for i, c in enumerate(communities) for n in c}
    components = sorted(nx.connected_components(undirected), key=lambda c: (-len(c), min(c)))
    component_of = {n: i for i, c in enumerate(components) for n in c}
    sample = betweenness_sources(undirected, betweenness_sample, seed=seed)
    betweenness = nx.betweenness_centrality(undirected, k=None if sample is None else len(sample),
                                            seed=seed)
    closeness = nx.closeness_centrality(undirected)
    frame = pd.DataFrame({
        "label": [G.nodes[n].get("label", n) for n in nodes],
        "kind": [G.nodes[n].get("kind", "") for n in nodes],
        "degree": [undirected.degree(n) for n in nodes],
        "weighted_degree": [undirected.degree(n, weight="weight") for n in nodes],
        "betweenness": [betweenness[n] for n in nodes],
        "closeness": [closeness[n] for n in nodes],
        "community": [community_of[n] for n in nodes],
        "component": [component_of[n] for n in nodes],
    }, index=pd.Index(nodes, name="node"))
    modularity = (nx.community.modularity(undirected, communities, weight="weight")
                  if undirected.number_of_edges() else 0.0)
    return NetworkMetrics(frame, nx.density(undirected), len(components), len(communities),
                          modularity, None if sample is None else len(sample))


PROGRAMME_PERIODS: dict[str, tuple[date, date]] = {
    "2007-2013": (date(2007, 1, 1), date(2013, 12, 31)),
    "2014-2020": (date(2014, 1, 1), date(2020, 12, 31)),
    "2021-2027": (date(2021, 1, 1), date(2027, 12, 31)),
}


def metrics_by_period(
    graph: Graph,
    periods: dict[str, tuple[date, date]] | None = None,
    *,
    kind: NetworkKind = "co-implementation",
    seed: int = 42,
) -> pandas.DataFrame:
    """The same network in each time slice and every node's metrics in it (long format).

    Parameters
    ----------
    periods
        Label → (first day, last day); default: the EU programme periods
        2007–2013, 2014–2020 and 2021–2027. Use one slice per year for a timeline.

    Returns
    -------
    pandas.DataFrame
        One row per (period, node): ``period``, ``node``, ``label``, ``degree``,
        ``weighted_degree``, ``betweenness``, ``closeness``, ``community``, ``rank``
        (by betweenness within the period, 1 = the top broker).

    Examples
    --------
    >>> from hyvinvointi_kg.stores.files import load_graph
    >>> frame = metrics_by_period(load_graph())
    >>> sorted(frame["period"].unique())  # no project of the sources ran in 2007-2013
    ['2014-2020', '2021-2027']
    """
    import pandas as pd

    frames = []
    for label, span in (periods or PROGRAMME_PERIODS).items():
        metrics = network_metrics(to_networkx(graph, kind, period=span), seed=seed).nodes
        if metrics.empty:
            continue
        metrics = metrics.reset_index()
        metrics.insert(0, "period", label)
        metrics["rank"] = metrics["betweenness"].rank(ascending=False, method="min").astype(int)
        frames.append(metrics)
    if not frames:
        return pd.DataFrame(columns=["period", "node", "label", "degree", "betweenness", "rank"])
    return pd.concat(frames, ignore_index=True).sort_values(["period", "rank", "node"],
                                                             ignore_index=True)


def _edge_rows(G: nx.Graph) -> Iterable[dict[str, Any]]:
    for u, v, data in sorted(G.edges(data=True), key=lambda e: (e[0], e[1])):
        yield {"source": u, "target": v, "source_label": G.nodes[u].get("label", u),
               "target_label": G.nodes[v].get("label", v), "weight": data.get("weight", 1),
               "projects": data.get("project_names", ""), "project_iris": data.get("projects", "")}


NODE_COLUMNS = ("node", "label", "kind", "type", "municipality", "projects", "code", "bipartite")


def _node_rows(G: nx.Graph) -> Iterable[dict[str, Any]]:
    for node, data in sorted(G.nodes(data=True), key=lambda n: n[0]):
        yield {"node": node, **{k: data.get(k, "") for k in NODE_COLUMNS[1:]}}


def nodes_csv_path(path: Path) -> Path:
    """The node list written beside the CSV edge list *path* (``net.csv`` → ``net.nodes.csv``).

    Examples
    --------
    >>> nodes_csv_path(Path("out/co-implementation.csv")).as_posix()
    'out/co-implementation.nodes.csv'
    """
    return path.with_name(f"{path.stem}.nodes{path.suffix or '.csv'}")


def write_network(G: nx.Graph, path: Path, *, format: Literal["graphml", "gexf", "csv"],
                  nodes_path: Path | None = None) -> None:
    """Write *G* as GraphML or GEXF (for Gephi), or as CSV edge and node lists, atomically.

    The CSV edge list has the columns ``source``, ``target``, ``source_label``,
    ``target_label``, ``weight``, ``projects`` (names joined by `` | ``) and
    ``project_iris``; the node list (*nodes_path*, by default
    :func:`nodes_csv_path` of *path*) has ``node``, ``label``, ``kind``, ``type``,
    ``municipality``, ``projects`` (count), ``code`` and ``bipartite`` — the
    columns Gephi's spreadsheet import expects as ``Id``/``Label`` are ``node``/``label``.
    A CSV cell that a spreadsheet would run as a formula is escaped
    (:func:`hyvinvointi_kg.cells.escape_formula`).

    Examples
    --------
    >>> import tempfile
    >>> from hyvinvointi_kg.stores.files import load_graph
    >>> G = to_networkx(load_graph(), "co-implementation")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     write_network(G, Path(folder) / "ties.csv", format="csv")
    ...     sorted(p.name for p in Path(folder).iterdir())
    ['ties.csv', 'ties.nodes.csv']
    """
    if format == "csv":
        from hyvinvointi_kg.cells import escape_formula

        edges, nodes = io.StringIO(), io.StringIO()
        writer = csv.DictWriter(edges, ["source", "target", "source_label", "target_label",
                                        "weight", "projects", "project_iris"], lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: escape_formula(v) for k, v in row.items()} for row in _edge_rows(G))
        node_writer = csv.DictWriter(nodes, NODE_COLUMNS, lineterminator="\n")
        node_writer.writeheader()
        node_writer.writerows({k: escape_formula(v) for k, v in row.items()} for row in _node_rows(G))
        write_bytes(nodes.getvalue().encode("utf-8"), nodes_path or nodes_csv_path(path))
        write_bytes(edges.getvalue().encode("utf-8"), path)
        return
    buffer = io.BytesIO()
    if format == "graphml":
        nx.write_graphml(G, buffer)
    elif format == "gexf":
        nx.write_gexf(G, buffer)
    else:
        raise InputError(f"unknown network format {format!r}; one of graphml, gexf, csv")
    write_bytes(buffer.getvalue(), path)
