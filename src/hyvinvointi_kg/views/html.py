"""Interactive network views: a self-contained, offline HTML page per network (pyvis, vis-network)."""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import importlib.util
import json
import math
import re
from collections.abc import Hashable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from json.encoder import encode_basestring as _json_string  # json.dumps(text, ensure_ascii=False)
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import networkx as nx
import numpy as np

from hyvinvointi_kg.analysis.networks import SEPARATOR
from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.stores.files import write_text

if TYPE_CHECKING:
    from pyvis.network import Network

    from hyvinvointi_kg.analysis.networks import NetworkMetrics

__all__ = [
    "ColorBy",
    "LegendEntry",
    "NetworkEncoding",
    "SizeBy",
    "encode_network",
    "html_document",
    "to_pyvis",
    "write_html",
]

ColorBy = Literal["kind", "community"]
SizeBy = Literal["degree", "betweenness", "projects"]
Shape = Literal["dot", "square", "diamond", "line"]

# Paul Tol's "muted" scheme (colour-blind safe) plus Okabe-Ito orange and a neutral grey.
# Groups of kinds, in legend order: (key, label, colour, shape, kinds).
_KIND_GROUPS: tuple[tuple[str, str, str, Shape, tuple[str, ...]], ...] = (
    ("university", "University", "#332288", "dot", ("University",)),
    ("uas", "University of applied sciences", "#88CCEE", "dot", ("UniversityOfAppliedSciences",)),
    ("municipal", "Municipality organisation", "#CC6677", "dot", ("MunicipalityOrganisation",)),
    ("joint", "Joint municipal authority", "#882255", "dot", ("JointMunicipalAuthority",)),
    ("state", "State or regional authority", "#AA4499", "dot", ("StateAgency", "Ministry", "RegionalCouncil")),
    ("association", "Association", "#117733", "dot", ("Association",)),
    ("foundation", "Foundation", "#44AA99", "dot", ("Foundation",)),
    ("company", "Company", "#DDCC77", "dot", ("Company",)),
    ("other", "Other or unclassified organisation", "#BBBBBB", "dot", ("OtherOrganisation", "Organisation")),
    ("project", "Project", "#999933", "square", ("Project",)),
    ("place", "Municipality (place)", "#E69F00", "diamond", ("Municipality",)),
)
_COMMUNITY_COLOURS = ("#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE", "#882255", "#44AA99",
                      "#999933", "#AA4499")
_REST_COLOUR = "#DDDDDD"
_RADIUS = (6.0, 28.0)            # node radius in pixels: smallest and largest value
_WIDTH = (1.0, 7.0)              # line width in pixels: smallest and largest weight
_UNIT = 80.0                     # pixels per ideal edge length of the layout
_EXACT_METRICS_MAX_NODES = 1000  # above: betweenness estimated from sampled sources
_BETWEENNESS_WORK = 1_000_000   # sampled sources × (nodes + edges): a second or two
_IGRAPH_BETWEENNESS_WORK = 400_000_000  # the same with igraph: a few seconds
_LARGE_COMPONENT = 1000  # above: laid out by igraph where it is installed
_LIST_LIMIT = 10                 # project and neighbour names listed in a tooltip
_EDGE_COLOUR = {"color": "rgba(110,110,110,0.45)", "highlight": "rgba(40,40,40,0.75)", "hover": "rgba(40,40,40,0.75)"}

_TITLES = {
    "co-implementation": "Co-implementation network: organisations that implement projects together",
    "lead-partner": "Lead–partner network: lead implementers and their partners",
    "organisation-project": "Organisations and the projects they implement",
    "organisation-municipality": "Organisations and the municipalities their projects target",
    "project-overlap": "Overlapping projects: same place, same theme, overlapping time",
}
_NOUNS = {"project-overlap": "projects", "organisation-project": "organisations or projects",
          "organisation-municipality": "organisations or municipalities"}
# Network kind → (what line width means, unit of one, unit of many).
_EDGE_MEANINGS = {
    "co-implementation": ("Line width: number of shared projects", "shared project", "shared projects"),
    "lead-partner": ("Arrow from lead to partner; width: number of such projects", "project", "projects"),
    "organisation-project": ("Line: the organisation is lead or partner in the project", "", ""),
    "organisation-municipality": ("Line width: number of the organisation's projects targeting the municipality",
                                  "project", "projects"),
    "project-overlap": ("Line width: overlap score (0 to 1)", "", ""),
}
_SIZE_MEANINGS = {
    "degree": "number of ties (degree)",
    "betweenness": "betweenness centrality (how often it lies on shortest paths between others)",
    "projects": "number of projects in the selection",
}


@dataclass(frozen=True)
class LegendEntry:
    """One line of a legend: a swatch (colour, shape, size) and what it stands for.

    *size* is a radius in pixels for node swatches and a width in pixels for
    ``"line"`` swatches; *key* names the group of kinds a kind filter toggles.
    """

    label: str
    colour: str = "#888888"
    shape: Shape = "dot"
    size: float = 6.0
    key: str = ""


@dataclass(frozen=True, eq=False)
class NetworkEncoding:
    """How each node and edge of a network is drawn: the shared encoding of the HTML and static views.

    Attributes
    ----------
    positions
        Node → (x, y) in pixels, y growing downwards: a seeded force-directed layout
        of each connected component, the components packed in rows, largest first.
    colours, shapes, sizes, groups
        Node → fill colour, marker (``"dot"``, ``"square"``, ``"diamond"``), radius
        in pixels, and the key of its group of kinds (what a kind filter toggles).
    widths
        Edge ``(u, v)`` (as ``G.edges`` yields it) → line width in pixels.
    colour_legend, kind_legend, size_legend, width_legend
        Legend lines under the headings *colour_title*, *size_title* and
        *width_title*; *kind_legend* lists the groups of kinds present with counts.
    tooltips, edge_tooltips
        Plain text (lines separated by newlines) for each node and edge.
    title, subtitle, empty_message
        The heading, the filters and counts under it, and what to say when
        there is nothing to draw (empty when there is).
    """

    color_by: ColorBy
    size_by: SizeBy
    positions: Mapping[Hashable, tuple[float, float]]
    colours: Mapping[Hashable, str]
    shapes: Mapping[Hashable, Shape]
    sizes: Mapping[Hashable, float]
    groups: Mapping[Hashable, str]
    widths: Mapping[tuple[Hashable, Hashable], float]
    colour_title: str
    colour_legend: tuple[LegendEntry, ...]
    kind_legend: tuple[LegendEntry, ...]
    size_title: str
    size_legend: tuple[LegendEntry, ...]
    width_title: str
    width_legend: tuple[LegendEntry, ...]
    tooltips: Mapping[Hashable, str]
    edge_tooltips: Mapping[tuple[Hashable, Hashable], str]
    title: str
    subtitle: str
    empty_message: str


@dataclass(frozen=True)
class _Metrics:
    degree: dict[Hashable, int]
    weighted: dict[Hashable, float]
    betweenness: dict[Hashable, float]
    community: dict[Hashable, int]
    estimated: bool


# (projects, project_names) of an edge → its (IRI, name) pairs: each distinct edge text parsed once.
_ProjectMemo = dict[tuple[str, str], tuple[tuple[str, str], ...]]


@dataclass(frozen=True)
class _Network:
    """What the tooltips of one network share, worked out once rather than for every node and edge."""

    graph: nx.Graph
    kind: str
    directed: bool
    labels: dict[Hashable, Any]
    projects: _ProjectMemo
    listings: dict[str, tuple[int, str]]  # an edge's project_names → (how many, the lines listing them)
    # node → neighbour (successor) → edge data, and node → predecessor → edge data if directed;
    # both empty for a multigraph (there each neighbour maps to several edges).
    succ: dict[Hashable, Mapping[Hashable, Mapping[str, Any]]]
    pred: dict[Hashable, Mapping[Hashable, Mapping[str, Any]]]

    @classmethod
    def of(cls, G: nx.Graph) -> _Network:
        simple = not G.is_multigraph()
        return cls(G, str(G.graph.get("kind", "")), G.is_directed(),
                   {n: d.get("label", n) for n, d in G.nodes(data=True)}, {}, {},
                   dict(G.adjacency()) if simple else {},
                   dict(G.pred) if simple and G.is_directed() else {})

    def listing(self, project_names: str) -> tuple[int, str]:
        """How many projects an edge's ``project_names`` names, and its tooltip lines listing them."""
        found = self.listings.get(project_names)
        if found is None:
            names = _split(project_names)
            found = self.listings[project_names] = (len(names), "\n".join(_bullets(names)))
        return found

    def incident(self, n: Hashable) -> Iterator[tuple[Hashable, Hashable, Mapping[str, Any]]]:
        """The edges at *n* as ``G.edges(n, data=True)`` gives them (out-edges, then in-edges, if directed)."""
        G = self.graph
        if G.is_multigraph():
            if self.directed:
                yield from G.out_edges(n, data=True)
                yield from G.in_edges(n, data=True)
            else:
                yield from G.edges(n, data=True)
            return
        for v, d in self.succ[n].items():
            yield n, v, d
        if self.directed:
            for u, d in self.pred[n].items():
                yield u, n, d


# --------------------------------------------------------------------------- encoding


def _kind_group(kind: str) -> tuple[str, str, str, Shape]:
    for key, label, colour, shape, kinds in _KIND_GROUPS:
        if kind in kinds:
            return key, label, colour, shape
    key, label, colour, shape, _ = _KIND_GROUPS[8]  # "other"
    return key, label, colour, shape


@functools.cache
def _humanise(kind: str) -> str:
    words = re.findall(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+", kind) or [kind]
    return " ".join([words[0], *(w.lower() for w in words[1:])])


def _metrics(G: nx.Graph, metrics: NetworkMetrics | None, seed: int) -> _Metrics:
    if metrics is None and G.number_of_nodes() <= _EXACT_METRICS_MAX_NODES:
        from hyvinvointi_kg.analysis.networks import network_metrics

        metrics = network_metrics(G, seed=seed)
    if metrics is None and importlib.util.find_spec("igraph") is not None:
        # Large networks with the optional igraph: exact betweenness up to a few thousand nodes,
        # beyond estimated from as many sources as a few seconds allow; closeness is not shown.
        from hyvinvointi_kg.analysis.igraph_metrics import igraph_metrics

        sample = _samples(G, _IGRAPH_BETWEENNESS_WORK)
        metrics = igraph_metrics(G, seed=seed, betweenness_sample=sample if sample < len(G) else None,
                                 closeness=False)
    if metrics is not None:
        frame = metrics.nodes

        def column(name: str, kind: type[int] | type[float]) -> dict[Hashable, Any]:
            return dict(zip(frame.index, map(kind, frame[name].tolist()), strict=True))

        return _Metrics(column("degree", int), column("weighted_degree", float), column("betweenness", float),
                        column("community", int), estimated=metrics.betweenness_sample is not None)
    # Large networks without igraph: exact betweenness is O(nodes × edges); estimate it from samples.
    undirected = G.to_undirected(as_view=True) if G.is_directed() else G
    communities = sorted(nx.community.louvain_communities(undirected, weight="weight", seed=seed),
                         key=lambda c: (-len(c), min(map(str, c))))
    return _Metrics(
        {n: int(d) for n, d in undirected.degree()},
        {n: float(d) for n, d in undirected.degree(weight="weight")},
        nx.betweenness_centrality(undirected, k=_samples(G), seed=seed),
        {n: i for i, c in enumerate(communities) for n in c},
        estimated=True,
    )


def _samples(G: nx.Graph, work: int = _BETWEENNESS_WORK) -> int:
    return min(len(G), max(100, work // (len(G) + int(G.number_of_edges()))))


def _edge_projects(data: Mapping[str, Any], memo: _ProjectMemo | None = None) -> tuple[tuple[str, str], ...]:
    """(IRI, name) of each project an edge stands for; *memo* keeps each distinct pair of strings parsed once."""
    key = (str(data.get("projects", "")), str(data.get("project_names", "")))
    if memo is not None and (found := memo.get(key)) is not None:
        return found
    iris, names = _split(key[0]), _split(key[1])
    pairs = tuple(zip(iris, names, strict=True)) if len(iris) == len(names) else tuple(zip(names, names, strict=True))
    if memo is not None:
        memo[key] = pairs
    return pairs


def _split(text: str) -> list[str]:
    parts = text.split(SEPARATOR)
    return [s for s in parts if s] if "" in parts else parts


def _project_count(G: nx.Graph, n: Hashable, net: _Network) -> int:
    value = G.nodes[n].get("projects")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value)
    if G.nodes[n].get("type") == "project":
        return 1
    return len({iri for _, _, d in net.incident(n) for iri, _ in _edge_projects(d, net.projects)})


def _scale(v: float, vmin: float, vmax: float, low: float, high: float, *, area: bool) -> float:
    """Map *v* into [low, high]: by square root from zero (*area*), else linearly from *vmin*."""
    if area:
        share = math.sqrt(v / vmax) if vmax > 0 and v > 0 else 0.0
    else:
        share = (v - vmin) / (vmax - vmin) if vmax > vmin else 0.25
    return round(low + (high - low) * share, 2)


def _scaled(values: Mapping[Any, float], low: float, high: float, *,
            area: bool) -> tuple[dict[Any, float], float, float]:
    vmin = min(values.values(), default=0.0)
    vmax = max(values.values(), default=0.0)
    scaled = {v: _scale(v, vmin, vmax, low, high, area=area) for v in set(values.values())}
    return {k: scaled[v] for k, v in values.items()}, vmin, vmax


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


def _layout(G: nx.Graph, seed: int) -> dict[Hashable, tuple[float, float]]:
    """Seeded force-directed positions in pixels: each component laid out alone, then packed in rows."""
    undirected = G.to_undirected(as_view=True) if G.is_directed() else G
    components = sorted((sorted(c, key=str) for c in nx.connected_components(undirected)),
                        key=lambda c: (-len(c), str(c[0])))
    where = {n: (i, j) for i, comp in enumerate(components) for j, n in enumerate(comp)}
    edges: list[list[tuple[int, int]]] = [[] for _ in components]
    for u, v in undirected.edges():
        (cu, ju), (_, jv) = where[u], where[v]
        if ju != jv:
            edges[cu].append((ju, jv))
    if G.is_directed():
        # The undirected view of a directed graph lists its edges in the order of a set, which
        # changes from one Python process to the next: in a fixed order the same seed gives the
        # same picture everywhere.
        edges = [sorted((min(e), max(e)) for e in component) for component in edges]
    blocks = []
    for i, comp in enumerate(components):
        if len(comp) == 1:
            pos = np.zeros((1, 2))
        elif len(comp) == 2:
            pos = np.array([[-0.5, 0.0], [0.5, 0.0]])
        elif len(comp) > _LARGE_COMPONENT and importlib.util.find_spec("igraph") is not None:
            pos = _igraph_layout(len(comp), edges[i], seed=seed + i)
        else:
            pos = _force_layout(len(comp), edges[i], rng=np.random.default_rng([seed & 0xFFFFFFFF, i]))
        pos = pos - (pos.min(axis=0) + pos.max(axis=0)) / 2
        blocks.append(pos)
    # Isolated nodes sit closer together than the groups: they would otherwise fill the picture.
    sizes = [(float(np.ptp(p[:, 0])) + gap, float(np.ptp(p[:, 1])) + gap)
             for p in blocks for gap in [1.5 if len(p) > 1 else 0.7]]
    row_width = max(max((w for w, _ in sizes), default=0.0), math.sqrt(sum(w * h for w, h in sizes)) * 1.2)
    positions: dict[Hashable, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for comp, pos, (w, h) in zip(components, blocks, sizes, strict=True):
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for n, (px, py) in zip(comp, pos.tolist(), strict=True):  # Python floats: no NumPy scalars
            positions[n] = (px + x + w / 2, py + y + h / 2)
        x += w
        row_height = max(row_height, h)
    cx, cy = row_width / 2, (y + row_height) / 2
    return {n: (round((px - cx) * _UNIT, 1), round((py - cy) * _UNIT, 1)) for n, (px, py) in positions.items()}


def _force_layout(n: int, edges: list[tuple[int, int]], *, rng: np.random.Generator,
                  iterations: int = 100, cutoff: float = 3.0) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Force-directed positions, ideal edge length 1: Fruchterman–Reingold cooling and repulsion
    (cut off at *cutoff*, the grid variant of the original paper, so an iteration costs about
    O(nodes + edges) rather than O(nodes²)) with ForceAtlas2's linear attraction, which keeps
    clusters apart better than FR's quadratic one. Scaled so that the median distance to the nearest
    node is 1."""
    from scipy.spatial import cKDTree

    side = math.sqrt(n)
    pos = rng.uniform(-side / 2, side / 2, (n, 2))
    src = np.fromiter((e[0] for e in edges), dtype=np.intp, count=len(edges))
    dst = np.fromiter((e[1] for e in edges), dtype=np.intp, count=len(edges))
    start = max(side / 5, 0.5)
    for i in range(iterations):
        disp = np.zeros((n, 2))
        pairs = cKDTree(pos).query_pairs(cutoff, output_type="ndarray")
        if len(pairs):
            a, b = pairs[:, 0], pairs[:, 1]
            delta = pos[a] - pos[b]
            force = delta / np.maximum((delta * delta).sum(axis=1), 1e-6)[:, None]
            for dim in (0, 1):
                disp[:, dim] += np.bincount(a, force[:, dim], n) - np.bincount(b, force[:, dim], n)
        if len(src):
            delta = pos[src] - pos[dst]
            for dim in (0, 1):
                disp[:, dim] -= np.bincount(src, delta[:, dim], n) - np.bincount(dst, delta[:, dim], n)
        disp -= 0.01 * (pos - pos.mean(axis=0))  # weak gravity keeps loosely tied parts near
        length = np.maximum(np.sqrt((disp * disp).sum(axis=1)), 1e-9)
        temperature = start * (1 - i / iterations) + 0.01
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
    # Dense and sparse networks settle at different scales: make the typical gap to the nearest node 1.
    nearest = float(np.median(cKDTree(pos).query(pos, k=2)[0][:, 1]))
    return pos / max(nearest, 1e-3)


def _igraph_layout(n: int, edges: list[tuple[int, int]], *, seed: int) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Fruchterman–Reingold positions from igraph (grid variant, seeded), for components too large
    for :func:`_force_layout` to be quick (0.35 s instead of 4 s for 2,794 nodes and 30,679 ties);
    scaled like it, so that the median distance to the nearest node is 1."""
    import random

    import igraph
    from scipy.spatial import cKDTree

    graph = igraph.Graph(n=n, edges=edges)
    igraph.set_random_number_generator(random.Random(seed))
    try:
        pos = np.array(graph.layout_fruchterman_reingold(grid=True).coords, dtype=np.float64)
    finally:
        igraph.set_random_number_generator(random)
    nearest = float(np.median(cKDTree(pos).query(pos, k=2)[0][:, 1]))
    return pos / max(nearest, 1e-3)


def _describe_filters(filters: Mapping[str, str] | None) -> str:
    return "; ".join(f"{key} = {value}" for key, value in (filters or {}).items() if value)


def _node_tooltip(G: nx.Graph, n: Hashable, m: _Metrics, rank: Mapping[Hashable, int], net: _Network) -> str:
    data = G.nodes[n]
    kind = str(data.get("kind", ""))
    lines = [str(data.get("label", n))]
    head = " · ".join(str(x) for x in (_humanise(kind) if kind else "", data.get("municipality")) if x)
    if head:
        lines.append(head)
    is_project = data.get("type") == "project" or kind == "Project"
    if not is_project:
        lines.append(f"Projects in the selection: {_project_count(G, n, net)}")
    lines.append(f"Degree (ties): {m.degree.get(n, 0)} · weighted: {_number(m.weighted.get(n, 0.0))}")
    estimated = " (estimated)" if m.estimated else ""
    lines.append(f"Betweenness{estimated}: {m.betweenness.get(n, 0.0):.4f} (rank {rank[n]} of {len(G)})")
    lines.append(f"Community: {m.community.get(n, 0) + 1}")
    if is_project:
        lines.extend(_neighbour_lines(G, n, net))
    else:
        lines.extend(_project_lines(G, n, kind, net))
    return "\n".join(lines)


def _neighbour_lines(G: nx.Graph, n: Hashable, net: _Network) -> list[str]:
    """A project's tooltip lines on the nodes it is tied to (with roles or overlap scores)."""
    neighbours = []
    for u, v, d in net.incident(n):
        other = v if u == n else u
        if "role" in d:
            extra = f" ({d['role']})"
        elif net.kind == "project-overlap":
            extra = f" (score {_number(float(d.get('weight', 0)))})"
        else:
            extra = ""
        neighbours.append(f"{net.labels[other]}{extra}")
    heading = {"organisation-project": "Implementers", "project-overlap": "Overlaps with"}.get(
        net.kind, "Linked to")
    return _listing(heading, neighbours)


def _project_lines(G: nx.Graph, n: Hashable, kind: str, net: _Network) -> list[str]:
    """An organisation's (or a place's) tooltip lines on the projects of its ties, with roles where known."""
    names: dict[str, str] = {}  # project IRI → name, in the order the ties give them
    roles: dict[str, set[str]] = {}  # only projects with a role
    lead_partner = net.directed and net.kind == "lead-partner"
    for u, _v, d in net.incident(n):
        role: str | None = None
        if "role" in d:
            role = str(d["role"])
        elif lead_partner:
            role = "lead" if u == n else "partner"
        for iri, name in _edge_projects(d, net.projects):
            names.setdefault(iri, name)
            if role is not None:
                roles.setdefault(iri, set()).add(role)
    lines = []
    if net.kind == "lead-partner":
        led = sum("lead" in r for r in roles.values())
        partnered = sum("partner" in r for r in roles.values())
        lines.append(f"Lead in {led} and partner in {partnered} of the projects with ties here")
    if kind == "Municipality":
        heading = "Projects targeting it"
    else:
        heading = {"co-implementation": "Projects with partners in this network",
                   "organisation-municipality": "Projects targeting these municipalities"}.get(
            net.kind, "Projects")
    entries = [f"{name} ({', '.join(sorted(r))})" if (r := roles.get(iri)) else name for iri, name in names.items()]
    return [*lines, *_listing(heading, entries)]


def _listing(heading: str, entries: list[str]) -> list[str]:
    return [f"{heading} ({len(entries)}):", *_bullets(entries)] if entries else []


def _bullets(entries: list[str]) -> list[str]:
    """The first entries by name (case ignored), one a line, and how many more there are."""
    if len(entries) > 1:
        entries = sorted(entries, key=str.casefold)
    lines = [f"• {e}" for e in entries[:_LIST_LIMIT]]
    if len(entries) > _LIST_LIMIT:
        lines.append(f"… and {len(entries) - _LIST_LIMIT} more")
    return lines


def _edge_tooltip(net: _Network, u: Hashable, v: Hashable, data: Mapping[str, Any]) -> str:
    arrow = "→" if net.directed else "—"
    source, target = net.labels[u], net.labels[v]
    first = f"{source} {arrow} {target}"
    if "role" in data:
        return f"{first}\nRole: {data['role']}"
    if net.kind == "project-overlap":
        return "\n".join([first, *_overlap_lines(data)])
    count, listed = net.listing(str(data.get("project_names", "")))
    weight = float(data.get("weight", count or 1))
    number, plural = _number(weight), "" if weight == 1 else "s"
    if net.kind == "co-implementation":
        summary = f"{number} shared project{plural}"
    elif net.kind == "lead-partner":
        summary = f"{number} project{plural} led by {source} with {target} as partner"
    elif net.kind == "organisation-municipality":
        summary = f"{number} project{plural} of {source} targeting {target}"
    else:
        summary = f"Weight: {number}"
    return f"{first}\n{summary}\n{listed}" if listed else f"{first}\n{summary}"


def _overlap_lines(data: Mapping[str, Any]) -> list[str]:
    lines = [f"Overlap score: {_number(float(data.get('weight', 0)))}"]
    for key, label in (("overlap_days", "Overlapping days"), ("text_similarity", "Text similarity"),
                       ("municipalities", "Shared municipalities")):
        if data.get(key) not in (None, ""):
            value = data[key]
            lines.append(f"{label}: {_number(value) if isinstance(value, float) else value}")
    return lines


def encode_network(
    G: nx.Graph,
    *,
    color_by: ColorBy = "kind",
    size_by: SizeBy = "degree",
    title: str | None = None,
    filters: Mapping[str, str] | None = None,
    seed: int = 42,
    metrics: NetworkMetrics | None = None,
) -> NetworkEncoding:
    """Decide position, colour, shape, size, width, tooltip and legend of every node and edge.

    Colours come from a fixed colour-blind-safe palette (Paul Tol's *muted*):
    by organisation kind (related kinds share a colour, projects are squares and
    municipalities diamonds) or by Louvain community (the nine largest; the rest
    grey). Node area grows with *size_by*; line width with the edge ``weight``
    (shared projects, or the overlap score).

    Parameters
    ----------
    G
        A network from :func:`hyvinvointi_kg.analysis.networks.to_networkx` (node attributes
        ``label``, ``kind``, ``municipality``, ``projects``; edge attributes
        ``weight``, ``projects``, ``project_names``), or any networkx graph.
    color_by, size_by
        What colour and size encode.
    title, filters
        The heading (default: what the network kind shows) and the filters that
        produced *G* (``{"municipality": "Rovaniemi"}``), named under the heading.
    seed
        Seeds the layout and the communities: the same seed gives the same picture.
    metrics
        Precomputed :func:`hyvinvointi_kg.analysis.networks.network_metrics` of *G*; computed
        when not given (above 1,000 nodes, and with igraph above a few thousand, betweenness is
        estimated from a sample of 100 or more source nodes, so that it takes a few seconds at
        most; the tooltips then say "estimated").

    Raises
    ------
    InputError
        For an unknown *color_by* or *size_by*.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c")])
    >>> enc = encode_network(G)
    >>> enc.sizes["b"] > enc.sizes["a"], enc.positions == encode_network(G).positions
    (True, True)
    """
    if color_by not in ("kind", "community"):
        raise InputError(f"unknown color_by {color_by!r}; one of kind, community")
    if size_by not in _SIZE_MEANINGS:
        raise InputError(f"unknown size_by {size_by!r}; one of {', '.join(_SIZE_MEANINGS)}")
    network = str(G.graph.get("kind", ""))
    noun = _NOUNS.get(network, "organisations" if network else "nodes")
    heading = title or _TITLES.get(network, "Network")
    described = _describe_filters(filters)
    counts = f"{len(G)} {noun}, {G.number_of_edges()} ties"
    if isinstance(G.graph.get("projects"), int):
        counts += f", {G.graph['projects']} projects in the selection"
    subtitle = f"Filters: {described}. {counts}." if described else f"{counts}."
    if len(G) == 0:
        empty = (f"No {noun} match the filters ({described})." if described
                 else f"No {noun} to show: the network is empty.")
    else:
        empty = ""
    nodes = sorted(G.nodes, key=str)
    net = _Network.of(G)
    m = _metrics(G, metrics, seed) if nodes else _Metrics({}, {}, {}, {}, estimated=False)
    order = sorted(nodes, key=lambda n: (-m.betweenness.get(n, 0.0), str(n)))
    rank: dict[Hashable, int] = {}
    for i, n in enumerate(order):
        previous = order[i - 1] if i else None
        same = previous is not None and m.betweenness.get(previous, 0.0) == m.betweenness.get(n, 0.0)
        rank[n] = rank[previous] if same else i + 1

    groups: dict[Hashable, str] = {}
    shapes: dict[Hashable, Shape] = {}
    kind_colours: dict[Hashable, str] = {}
    group_counts: dict[str, int] = {}
    for n in nodes:
        key, _, colour, shape = _kind_group(str(G.nodes[n].get("kind", "")))
        groups[n], shapes[n], kind_colours[n] = key, shape, colour
        group_counts[key] = group_counts.get(key, 0) + 1
    kind_legend = tuple(LegendEntry(f"{label} ({group_counts[key]})", colour, shape, key=key)
                        for key, label, colour, shape, _ in _KIND_GROUPS if key in group_counts)
    if color_by == "kind":
        colours = kind_colours
        colour_title = "Colour: kind"
        colour_legend = kind_legend
    else:
        # Communities are numbered from the largest; the nine largest with two or more members get a colour.
        members: dict[int, int] = {}
        for n in nodes:
            members[m.community.get(n, 0)] = members.get(m.community.get(n, 0), 0) + 1
        coloured = {c: _COMMUNITY_COLOURS[i] for i, c in enumerate(
            sorted((c for c, k in members.items() if k > 1), key=lambda c: (-members[c], c))[
                :len(_COMMUNITY_COLOURS)])}
        colours = {n: coloured.get(m.community.get(n, 0), _REST_COLOUR) for n in nodes}
        colour_title = "Colour: community (Louvain)"
        colour_legend = tuple(LegendEntry(f"Community {c + 1} ({members[c]})", colour)
                              for c, colour in coloured.items())
        rest = sum(k for c, k in members.items() if c not in coloured)
        if rest:
            colour_legend += (LegendEntry(f"Smaller communities or alone ({rest})", _REST_COLOUR),)

    if size_by == "degree":
        values: dict[Hashable, float] = {n: float(m.degree.get(n, 0)) for n in nodes}
    elif size_by == "betweenness":
        values = {n: m.betweenness.get(n, 0.0) for n in nodes}
    else:
        values = {n: float(_project_count(G, n, net)) for n in nodes}
    sizes, vmin, vmax = _scaled(values, *_RADIUS, area=True)
    size_meaning = _SIZE_MEANINGS[size_by]
    if size_by == "betweenness" and m.estimated:
        size_meaning += f", estimated from {_samples(G)} sampled nodes"
    size_legend: tuple[LegendEntry, ...] = ()
    if nodes:
        middle = (vmin + vmax) / 2
        if all(float(v).is_integer() for v in values.values()):
            middle = round(middle)
        samples = sorted({vmin, middle, vmax}) if vmax > vmin else [vmax]
        size_legend = tuple(
            LegendEntry(f"{v:.3f}" if size_by == "betweenness" else _number(round(v, 2)), "#BBBBBB",
                        size=_scale(v, vmin, vmax, *_RADIUS, area=True)) for v in samples)

    # One pass, no list of (u, v, data): 30,000 tuples that hold a dict would outlive the young
    # generations and set off a full garbage collection.
    weights: dict[tuple[Hashable, Hashable], float] = {}
    edge_tooltips: dict[tuple[Hashable, Hashable], str] = {}
    for u, v, d in G.edges(data=True):
        weights[u, v] = float(d.get("weight", 1))
        edge_tooltips[u, v] = _edge_tooltip(net, u, v, d)
    widths, wmin, wmax = _scaled(weights, *_WIDTH, area=False)
    width_title, one, many = _EDGE_MEANINGS.get(network, ("Line width: weight", "", ""))
    width_legend: tuple[LegendEntry, ...] = ()
    if network == "organisation-project":
        width_legend = (LegendEntry("lead or partner", "#777777", "line", size=_scale(1, 1, 1, *_WIDTH, area=False)),)
    elif weights:
        ends = [wmin, wmax] if wmax > wmin else [wmax]
        width_legend = tuple(
            LegendEntry(f"{_number(w)} {one if w == 1 else many}" if one
                        else f"{'score' if network == 'project-overlap' else 'weight'} {_number(w)}",
                        "#777777", "line", size=_scale(w, wmin, wmax, *_WIDTH, area=False)) for w in ends)
    positions = _layout(G, seed) if nodes else {}
    return NetworkEncoding(
        color_by=color_by, size_by=size_by,
        positions=positions, colours=colours, shapes=shapes, sizes=sizes, groups=groups,
        widths=widths, colour_title=colour_title, colour_legend=colour_legend, kind_legend=kind_legend,
        size_title=f"Node area: {size_meaning}", size_legend=size_legend,
        width_title=width_title, width_legend=width_legend,
        tooltips={n: _node_tooltip(G, n, m, rank, net) for n in nodes},
        edge_tooltips=edge_tooltips,
        title=heading, subtitle=subtitle, empty_message=empty,
    )


# --------------------------------------------------------------------------- pyvis


def _darker(colour: str, factor: float = 0.65) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(int(c * factor) for c in (r, g, b)))


def _short(label: str, limit: int = 40) -> str:
    return label if len(label) <= limit else label[:limit - 1].rstrip() + "…"


def _options(G: nx.Graph) -> dict[str, Any]:
    big = G.number_of_edges() > 3000
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": big,
                        "hideEdgesOnZoom": big, "navigationButtons": False, "keyboard": False},
        "nodes": {"borderWidth": 1, "borderWidthSelected": 3,
                  "scaling": {"label": {"drawThreshold": 8, "maxVisible": 18}}},
        "edges": {"smooth": False, "color": {"inherit": False}, "selectionWidth": 1,
                  "arrows": {"to": {"enabled": G.is_directed(), "scaleFactor": 0.5}}},
    }


def _payload(G: nx.Graph, enc: NetworkEncoding) -> str:
    """The nodes, edges and options vis-network draws, as JSON text: the records of :func:`to_pyvis`.

    Written record by record rather than by ``json.dumps`` of a dict per node and edge (a third
    of the time for 30,000 edges); every value is encoded as ``json.dumps`` encodes it.
    """
    ids = {n: _json_string(str(n)) for n in G}
    colours: dict[str, str] = {}
    nodes = []
    for n in sorted(G.nodes, key=str):
        colour = enc.colours[n]
        if colour not in colours:
            colours[colour] = _json({"background": colour, "border": _darker(colour),
                                     "highlight": {"background": colour, "border": "#000000"},
                                     "hover": {"background": colour, "border": "#000000"}})
        nodes.append(_node_json(ids[n], str(G.nodes[n].get("label", n)), enc.sizes[n], enc.positions[n],
                                colours[colour], group=enc.groups[n], shape=enc.shapes[n],
                                tooltip=enc.tooltips[n]))
    arrows = ',"arrows":"to"' if G.is_directed() else ""
    tail = f',"color":{_json(_EDGE_COLOUR)}{arrows}}}'
    widths = {w: _json_float(w) for w in set(enc.widths.values())}
    parts = ['{"nodes":[', ",".join(nodes), '],"edges":[']
    for i, edge in enumerate(G.edges()):
        u, v = edge
        comma = "," if i else ""
        parts.extend((f'{comma}{{"id":"e{i}","from":{ids[u]},"to":{ids[v]},"width":{widths[enc.widths[edge]]},'
                      '"title":', _json_string(enc.edge_tooltips[edge]), tail))
    parts.extend(('],"options":', _json(_options(G)), "}"))
    return "".join(parts)


def _node_json(node_id: str, name: str, radius: float, position: tuple[float, float], colour: str, *,
               group: str, shape: str, tooltip: str) -> str:
    """One node record; *node_id* and *colour* are JSON already."""
    # Label size grows with the node; small labels only appear when zoomed in (drawThreshold).
    font = _json_float(round(9 + (radius - _RADIUS[0]) * 1.2, 1))
    return (f'{{"id":{node_id},"label":{_json_string(_short(name))},"hkName":{_json_string(name)},'
            f'"hkGroup":{_json_string(group)},"shape":{_json_string(shape)},"size":{_json_float(radius)},'
            f'"title":{_json_string(tooltip)},"x":{_json_float(position[0])},"y":{_json_float(position[1])},'
            f'"color":{colour},"font":{{"size":{font},"color":"#222222","strokeWidth":3,"strokeColor":"#ffffff"}}}}')


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _json_float(value: float) -> str:
    """*value* as :func:`_json` writes it: ``float.__repr__``, and no NaN or infinity."""
    if not isinstance(value, float):
        return _json(value)
    if not math.isfinite(value):
        raise ValueError("Out of range float values are not JSON compliant")
    return float.__repr__(value)


def to_pyvis(
    G: nx.Graph,
    *,
    color_by: ColorBy = "kind",
    size_by: SizeBy = "degree",
    title: str | None = None,
    filters: Mapping[str, str] | None = None,
    seed: int = 42,
    metrics: NetworkMetrics | None = None,
) -> Network:
    """A pyvis ``Network`` of *G* with positions fixed (physics off) and the encoding of :func:`encode_network`.

    Node tooltips (``title``) are plain text: name, kind, municipality, projects
    (with roles where the network knows them) and metrics. Use
    :func:`write_html` or :func:`html_document` for a self-contained offline
    page; pyvis's own ``write_html`` fetches vis-network from a CDN.

    Examples
    --------
    >>> net = to_pyvis(nx.Graph([("a", "b"), ("b", "c")]))
    >>> len(net.nodes), len(net.edges), net.options["physics"]["enabled"]
    (3, 2, False)
    """
    from pyvis.network import Network

    enc = encode_network(G, color_by=color_by, size_by=size_by, title=title, filters=filters,
                         seed=seed, metrics=metrics)
    # Remote resources only matter for pyvis's own writers: "local" would copy a lib/ folder into
    # the working directory. html_document() inlines vis-network and never uses them.
    net = Network(height="100%", width="100%", directed=G.is_directed(), heading=enc.title,
                  cdn_resources="remote")
    # pyvis's add_node/add_edge check membership in lists (add_edge scans every edge: quadratic);
    # fill its node and edge lists directly, with the records html_document() shows.
    records = json.loads(_payload(G, enc))
    net.nodes, net.edges, net.options = records["nodes"], records["edges"], records["options"]
    net.node_ids = [node["id"] for node in net.nodes]
    net.node_map = {node["id"]: node for node in net.nodes}
    return net


# --------------------------------------------------------------------------- HTML

_CSS = """
*{box-sizing:border-box}
html,body{margin:0;height:100%;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#222}
body{display:flex;flex-direction:column}
.hk-header{padding:8px 16px;border-bottom:1px solid #ddd}
.hk-header h1{font-size:18px;margin:0}
.hk-subtitle{margin:2px 0 0;color:#555;font-size:13px}
.hk-main{flex:1;display:flex;min-height:0}
.hk-side{width:300px;flex:none;overflow-y:auto;padding:8px 12px;border-right:1px solid #ddd;font-size:13px}
.hk-side h2{font-size:13px;margin:12px 0 4px;text-transform:uppercase;letter-spacing:.04em;color:#555}
.hk-side ul{list-style:none;margin:0;padding:0}
.hk-side li{margin:2px 0;display:flex;align-items:center;gap:6px}
.hk-side label{display:flex;align-items:center;gap:6px;cursor:pointer}
#hk-search{width:100%;padding:4px 6px;font:inherit}
#hk-matches button{all:unset;cursor:pointer;padding:1px 4px;border-radius:3px}
#hk-matches button:hover,#hk-matches button:focus{background:#e8eefc}
#hk-details{white-space:pre-line;background:#f6f6f6;padding:6px;border-radius:4px;max-height:260px;
 overflow-y:auto;font-size:12px}
.hk-swatch{display:inline-block;width:12px;height:12px;border:1px solid rgba(0,0,0,.35);flex:none}
.hk-dot{border-radius:50%}
.hk-diamond{transform:rotate(45deg) scale(.85)}
.hk-line{display:inline-block;width:32px;background:#777;flex:none}
.hk-circle{display:inline-block;border-radius:50%;background:#bbb;border:1px solid #888;flex:none}
#hk-network{flex:1;min-width:0;position:relative}
.hk-empty{margin:40px auto;max-width:560px;font-size:16px;text-align:center;color:#444}
.hk-side button.hk-reset{margin-top:6px;font:inherit}
div.vis-tooltip{white-space:pre-line;max-width:420px;font:12px/1.35 system-ui,sans-serif}
"""

_JS = """
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("hk-data").textContent);
  var hidden = new Set();
  var groupOf = new Map();
  var original = new Map();
  data.nodes.forEach(function (n) { groupOf.set(n.id, n.hkGroup); original.set(n.id, n); });
  var edgeColour = new Map(data.edges.map(function (e) { return [e.id, e.color]; }));
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var nodesView = new vis.DataView(nodes, {filter: function (n) { return !hidden.has(n.hkGroup); }});
  var edgesView = new vis.DataView(edges, {filter: function (e) {
    return !hidden.has(groupOf.get(e.from)) && !hidden.has(groupOf.get(e.to)); }});
  var network = new vis.Network(document.getElementById("hk-network"),
                                {nodes: nodesView, edges: edgesView}, data.options);
  var details = document.getElementById("hk-details");
  var hint = details.textContent;
  var input = document.getElementById("hk-search");
  var matches = document.getElementById("hk-matches");
  var FADED = {background: "#eeeeee", border: "#dddddd",
               highlight: {background: "#eeeeee", border: "#dddddd"},
               hover: {background: "#eeeeee", border: "#dddddd"}};
  var state = {highlighted: null, drawn: false};

  function restore() {
    if (state.highlighted === null) { return; }
    nodes.update(data.nodes.map(function (n) { return {id: n.id, color: n.color, font: n.font}; }));
    edges.update(data.edges.map(function (e) { return {id: e.id, color: e.color}; }));
    state.highlighted = null;
  }
  function clear() {
    restore();
    network.unselectAll();
    details.textContent = hint;
  }
  function highlight(id, focus) {
    restore();
    var keep = new Set(network.getConnectedNodes(id));
    keep.add(id);
    nodes.update(data.nodes.map(function (n) {
      return keep.has(n.id) ? {id: n.id} : {id: n.id, color: FADED,
        font: Object.assign({}, n.font, {color: "rgba(0,0,0,0.15)"})};
    }));
    edges.update(data.edges.map(function (e) {
      return (e.from === id || e.to === id) ? {id: e.id, color: edgeColour.get(e.id)}
                                            : {id: e.id, color: {color: "rgba(200,200,200,0.25)"}};
    }));
    state.highlighted = id;
    network.selectNodes([id]);
    details.textContent = original.get(id).title;
    if (focus) { network.focus(id, {scale: Math.max(network.getScale(), 0.6), animation: false}); }
  }
  function search(text) {
    var query = text.trim().toLocaleLowerCase();
    matches.replaceChildren();
    if (!query) { return []; }
    var found = nodesView.get({filter: function (n) {
      return n.hkName.toLocaleLowerCase().indexOf(query) >= 0; }});
    found.sort(function (a, b) { return a.hkName.localeCompare(b.hkName); });
    found.slice(0, 15).forEach(function (n) {
      var li = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = n.hkName;
      button.addEventListener("click", function () { highlight(n.id, true); });
      li.appendChild(button);
      matches.appendChild(li);
    });
    if (found.length > 15) {
      var more = document.createElement("li");
      more.textContent = "… " + (found.length - 15) + " more";
      matches.appendChild(more);
    }
    return found;
  }
  input.addEventListener("input", function () { search(input.value); });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      var found = search(input.value);
      if (found.length) { highlight(found[0].id, true); }
    } else if (event.key === "Escape") {
      input.value = ""; search(""); clear();
    }
  });
  document.querySelectorAll("input[data-group]").forEach(function (box) {
    box.addEventListener("change", function () {
      if (box.checked) { hidden.delete(box.dataset.group); } else { hidden.add(box.dataset.group); }
      if (state.highlighted !== null && hidden.has(groupOf.get(state.highlighted))) { clear(); }
      nodesView.refresh();
      edgesView.refresh();
      search(input.value);
    });
  });
  document.getElementById("hk-reset").addEventListener("click", function () {
    clear(); network.fit({animation: false});
  });
  network.on("click", function (params) {
    if (params.nodes.length) { highlight(params.nodes[0], false); }
    else if (params.edges.length) { restore(); details.textContent = edges.get(params.edges[0]).title; }
    else { clear(); }
  });
  network.once("afterDrawing", function () { state.drawn = true; });
  network.fit({animation: false});
  window.hkView = {network: network, nodes: nodes, edges: edges, nodesView: nodesView, state: state,
                   highlight: highlight, clear: clear, search: search};
})();
"""


def _vis_library() -> tuple[str, str]:
    folder = resources.files("pyvis") / "lib" / "vis-9.1.2"
    js = (folder / "vis-network.min.js").read_text(encoding="utf-8")
    css = (folder / "vis-network.css").read_text(encoding="utf-8")
    js = re.sub(r"//# sourceMappingURL=\S*", "", js)
    css = re.sub(r"/\*# sourceMappingURL=\S*\s*\*/", "", css)
    return re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE), re.sub(
        r"</(style)", r"<\\/\1", css, flags=re.IGNORECASE)


def _script_safe(text: str) -> str:
    """JSON text made safe inside a <script> element: no ``<``, ``>`` or ``&`` that could end or open a tag."""
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        if char in text:  # a search: much quicker than replace() on megabytes without a match
            text = text.replace(char, escape)
    return text


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _swatch(entry: LegendEntry) -> str:
    if entry.shape == "line":
        return f'<span class="hk-line" style="height:{max(entry.size, 1):.1f}px"></span>'
    shape = {"dot": " hk-dot", "diamond": " hk-diamond"}.get(entry.shape, "")
    return f'<span class="hk-swatch{shape}" style="background:{entry.colour}"></span>'


def _size_swatch(entry: LegendEntry) -> str:
    d = 2 * entry.size * 0.6  # the canvas at about the scale of a fitted overview
    return f'<span class="hk-circle" style="width:{d:.1f}px;height:{d:.1f}px"></span>'


def _legend(enc: NetworkEncoding) -> str:
    esc = html.escape
    parts = []
    with_boxes = enc.color_by == "kind"  # the colour legend doubles as the kind filter
    parts.append(f"<h2>{esc(enc.colour_title)}</h2><ul>")
    for entry in enc.colour_legend:
        if with_boxes:
            parts.append(f'<li><label><input type="checkbox" data-group="{esc(entry.key)}" checked>'
                         f"{_swatch(entry)}{esc(entry.label)}</label></li>")
        else:
            parts.append(f"<li>{_swatch(entry)}{esc(entry.label)}</li>")
    parts.append("</ul>")
    if not with_boxes:
        parts.append("<h2>Show kinds</h2><ul>")
        for entry in enc.kind_legend:
            parts.append(f'<li><label><input type="checkbox" data-group="{esc(entry.key)}" checked>'
                         f"{esc(entry.label)}</label></li>")
        parts.append("</ul>")
    parts.append(f"<h2>Size</h2><p>{esc(enc.size_title)}</p><ul>")
    parts.extend(f"<li>{_size_swatch(e)}{esc(e.label)}</li>" for e in enc.size_legend)
    parts.append("</ul>")
    if enc.width_legend:
        parts.append(f"<h2>Lines</h2><p>{esc(enc.width_title)}</p><ul>")
        parts.extend(f"<li>{_swatch(e)}{esc(e.label)}</li>" for e in enc.width_legend)
        parts.append("</ul>")
    return "".join(parts)


def html_document(
    G: nx.Graph,
    *,
    color_by: ColorBy = "kind",
    size_by: SizeBy = "degree",
    title: str | None = None,
    filters: Mapping[str, str] | None = None,
    seed: int = 42,
    metrics: NetworkMetrics | None = None,
) -> str:
    """A complete, self-contained HTML page with the interactive view of *G* (see :func:`to_pyvis`).

    vis-network (pyvis's bundled copy) is inlined; the page loads nothing from
    the network (its Content-Security-Policy forbids it). It shows a title with
    the filters, a legend, a search box that highlights a node's neighbourhood,
    checkboxes that hide kinds, and plain-text tooltips. Every text from the
    data is escaped: labels are shown, never interpreted as HTML. An empty
    network gives a page that says no node matches the filters.

    Examples
    --------
    >>> page = html_document(nx.Graph([("a", "b")]), title="Two <nodes>")
    >>> "<title>Two &lt;nodes&gt;</title>" in page, "https://" in page.split("<script")[0]
    (True, False)
    >>> "No nodes match the filters (theme = Youth)." in html_document(nx.Graph(), filters={"theme": "Youth"})
    True
    """
    enc = encode_network(G, color_by=color_by, size_by=size_by, title=title, filters=filters, seed=seed,
                         metrics=metrics)
    esc = html.escape
    header = (f'<header class="hk-header"><h1>{esc(enc.title)}</h1>'
              f'<p class="hk-subtitle">{esc(enc.subtitle)}</p></header>')
    if len(G) == 0:
        csp = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
        return "".join([
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
            f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n',
            f"<title>{esc(enc.title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n",
            header, f'\n<p class="hk-empty">{esc(enc.empty_message)}</p>\n</body>\n</html>\n'])
    vis_js, vis_css = _vis_library()
    payload = _script_safe(_payload(G, enc))
    csp = (f"default-src 'none'; script-src {_sha256(vis_js)} {_sha256(_JS)}; style-src 'unsafe-inline'; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    side = (
        '<aside class="hk-side">'
        '<label for="hk-search"><b>Find</b></label>'
        '<input id="hk-search" type="search" placeholder="Type part of a name, Enter selects" autocomplete="off">'
        '<ul id="hk-matches"></ul>'
        '<h2>Selected</h2><div id="hk-details">Click a node or search for one: it and its neighbours stay '
        "in colour, the rest fades. Hover for details; scroll to zoom.</div>"
        '<button type="button" id="hk-reset" class="hk-reset">Reset view</button>'
        f"{_legend(enc)}</aside>"
    )
    return "".join([
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n',
        f"<title>{esc(enc.title)}</title>\n",
        f"<style>{vis_css}</style>\n<style>{_CSS}</style>\n</head>\n<body>\n",
        header, '\n<div class="hk-main">', side,
        f'<div id="hk-network" role="application" aria-label="{esc(enc.title)}"></div></div>\n',
        f'<script type="application/json" id="hk-data">{payload}</script>\n',
        f"<script>{vis_js}</script>\n<script>{_JS}</script>\n</body>\n</html>\n",
    ])


def write_html(
    G: nx.Graph,
    path: Path,
    *,
    color_by: ColorBy = "kind",
    size_by: SizeBy = "degree",
    title: str | None = None,
    filters: Mapping[str, str] | None = None,
    seed: int = 42,
    metrics: NetworkMetrics | None = None,
) -> Path:
    """Write :func:`html_document` of *G* to *path* atomically; nothing else is written.

    Raises
    ------
    InputError
        If the folder of *path* does not exist.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     out = write_html(nx.Graph([("a", "b")]), Path(folder) / "net.html")
    ...     out.name, out.stat().st_size > 100_000
    ('net.html', True)
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise InputError(f"cannot write {path}: the folder {path.parent} does not exist")
    write_text(html_document(G, color_by=color_by, size_by=size_by, title=title, filters=filters,
                             seed=seed, metrics=metrics), path)
    return path
