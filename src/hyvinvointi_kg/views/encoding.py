"""How a network is drawn: position, colour, shape, size, width, tooltip and legend of each node and edge."""

from __future__ import annotations

import gettext
import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import networkx as nx

from hyvinvointi_kg.i18n import N_, Lang, Nn_, count_text, format_number, translator
from hyvinvointi_kg.views.centrality import NodeMetrics, node_metrics
from hyvinvointi_kg.views.layout import network_layout
from hyvinvointi_kg.views.options import ColorBy, SizeBy, ViewOptions
from hyvinvointi_kg.views.tooltips import Tooltips, network_tooltips

if TYPE_CHECKING:
    from hyvinvointi_kg.analysis.networks import NetworkMetrics

__all__ = ["RADIUS", "LegendEntry", "NetworkEncoding", "Shape", "encode_network"]

Shape = Literal["dot", "square", "diamond", "line"]

RADIUS = (6.0, 28.0)  #: node radius in pixels: smallest and largest value

# Paul Tol's "muted" scheme (colour-blind safe) plus Okabe-Ito orange and a neutral grey.
# Groups of kinds, in legend order: (key, label, colour, shape, kinds); labels translated where shown.
_KIND_GROUPS: tuple[tuple[str, str, str, Shape, tuple[str, ...]], ...] = (
    ("university", N_("University"), "#332288", "dot", ("University",)),
    ("uas", N_("University of applied sciences"), "#88CCEE", "dot", ("UniversityOfAppliedSciences",)),
    ("municipal", N_("Municipality organisation"), "#CC6677", "dot", ("MunicipalityOrganisation",)),
    ("joint", N_("Joint municipal authority"), "#882255", "dot", ("JointMunicipalAuthority",)),
    ("state", N_("State or regional authority"), "#AA4499", "dot", ("StateAgency", "Ministry", "RegionalCouncil")),
    ("association", N_("Association"), "#117733", "dot", ("Association",)),
    ("foundation", N_("Foundation"), "#44AA99", "dot", ("Foundation",)),
    ("company", N_("Company"), "#DDCC77", "dot", ("Company",)),
    ("other", N_("Other or unclassified organisation"), "#BBBBBB", "dot", ("OtherOrganisation", "Organisation")),
    ("project", N_("Project"), "#999933", "square", ("Project",)),
    ("place", N_("Municipality (place)"), "#E69F00", "diamond", ("Municipality",)),
)
_COMMUNITY_COLOURS = ("#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE", "#882255", "#44AA99",
                      "#999933", "#AA4499")
_REST_COLOUR = "#DDDDDD"
_WIDTH = (1.0, 7.0)  # line width in pixels: smallest and largest weight

_TITLES = {
    "co-implementation": N_("Co-implementation network: organisations that implement projects together"),
    "lead-partner": N_("Lead–partner network: lead implementers and their partners"),
    "organisation-project": N_("Organisations and the projects they implement"),
    "organisation-municipality": N_("Organisations and the municipalities their projects target"),
    "project-overlap": N_("Overlapping projects: same place, same theme, overlapping time"),
}
# Network kind → how its nodes are counted: (one, many), {n} the number.
_NOUNS = {"project-overlap": Nn_("{n} project", "{n} projects"),
          "organisation-project": Nn_("{n} organisation or project", "{n} organisations or projects"),
          "organisation-municipality": Nn_("{n} organisation or municipality",
                                           "{n} organisations or municipalities")}
_ORGANISATIONS = Nn_("{n} organisation", "{n} organisations")
_NODES = Nn_("{n} node", "{n} nodes")
# Network kind → the caption of the grid of nodes without a tie, {n} their number.
_ISOLATED = {
    "co-implementation": Nn_("{n} organisation without a shared project",
                             "{n} organisations without a shared project"),
    "lead-partner": Nn_("{n} organisation without a lead–partner tie", "{n} organisations without a lead–partner tie"),
    "project-overlap": Nn_("{n} project without an overlap", "{n} projects without an overlap"),
    "organisation-project": Nn_("{n} organisation or project without a tie",
                                "{n} organisations or projects without a tie"),
    "organisation-municipality": Nn_("{n} organisation or municipality without a tie",
                                     "{n} organisations or municipalities without a tie"),
}
_ISOLATED_DEFAULT = Nn_("{n} node without a tie", "{n} nodes without a tie")
# Network kind → what to say when nothing matches.
_NONE = {"project-overlap": N_("No projects"),
         "organisation-project": N_("No organisations or projects"),
         "organisation-municipality": N_("No organisations or municipalities")}
_NO_ORGANISATIONS, _NO_NODES, _NETWORK = N_("No organisations"), N_("No nodes"), N_("Network")
# Network kind → (what line width means, the legend of one line: one and many, {n} the weight).
_EDGE_MEANINGS = {
    "co-implementation": (N_("Line width: number of shared projects"),
                          Nn_("{n} shared project", "{n} shared projects")),
    "lead-partner": (N_("Arrow from lead to partner; width: number of such projects"),
                     Nn_("{n} project", "{n} projects")),
    "organisation-project": (N_("Line: the organisation is lead or partner in the project"), None),
    "organisation-municipality": (N_("Line width: number of the organisation's projects targeting the municipality"),
                                  Nn_("{n} project", "{n} projects")),
    "project-overlap": (N_("Line width: overlap score (0 to 1)"), None),
}
_EDGE_MEANINGS_DEFAULT: tuple[str, tuple[str, str] | None] = (N_("Line width: weight"), None)
_SIZE_MEANINGS = {
    "degree": N_("Node area: number of ties (degree)"),
    "betweenness": N_("Node area: betweenness centrality (how often it lies on shortest paths between others)"),
    "projects": N_("Node area: number of projects in the selection"),
}


@dataclass(frozen=True)
class LegendEntry:
    """One line of a legend: a swatch (colour, shape, size) and what it stands for.

    *size* is a radius in pixels for node swatches and a width in pixels for
    ``"line"`` swatches; *key* names the group of kinds a kind filter toggles.

    Examples
    --------
    >>> LegendEntry("Association (3)", "#117733", key="association").shape
    'dot'
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
        of each connected component, the components packed in rows, largest first,
        the nodes without a tie in one grid after them
        (:func:`hyvinvointi_kg.views.layout.network_layout`).
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
    lang
        The language of every text above (``ViewOptions.language``).
    isolated, isolated_caption
        The nodes without a tie (in the grid of the layout) and the caption the views
        write above that grid (``"35 organisations without a shared project"``; empty
        when every node has a tie).

    Examples
    --------
    >>> enc = encode_network(nx.Graph([("a", "b")]))
    >>> enc.title, enc.subtitle, enc.shapes["a"], enc.isolated_caption
    ('Network', '2 nodes, 1 tie.', 'dot', '')
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
    lang: Lang = "en"
    isolated: tuple[Hashable, ...] = ()
    isolated_caption: str = ""


def encode_network(
    G: nx.Graph,
    *,
    options: ViewOptions = ViewOptions(),  # noqa: B008 (frozen: one shared default is safe)
    metrics: NetworkMetrics | None = None,
) -> NetworkEncoding:
    """Decide position, colour, shape, size, width, tooltip and legend of every node and edge.

    Colours come from a fixed colour-blind-safe palette (Paul Tol's *muted*):
    by organisation kind (related kinds share a colour, projects are squares and
    municipalities diamonds) or by Louvain community (the nine largest; the rest
    grey). Node area grows with ``options.size_by``; line width with the edge ``weight``
    (shared projects, or the overlap score).

    Parameters
    ----------
    G
        A network from :func:`hyvinvointi_kg.analysis.networks.to_networkx` (node attributes
        ``label``, ``kind``, ``municipality``, ``projects``; edge attributes
        ``weight``, ``projects``, ``project_names``), or any networkx graph.
    options
        What colour and size encode, the title, the filters named under it and the seed
        of the layout and communities (:class:`hyvinvointi_kg.views.options.ViewOptions`).
    metrics
        Precomputed :func:`hyvinvointi_kg.analysis.networks.network_metrics` of *G* (data of this
        graph, not a drawing choice, hence not part of *options*); computed when not given
        (above 1,000 nodes, and with igraph above a few thousand, betweenness is estimated
        from a sample of 100 or more source nodes, so that it takes a few seconds at most;
        the tooltips then say "estimated").

    Raises
    ------
    InputError
        For an unknown ``color_by`` or ``size_by``.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c")])
    >>> enc = encode_network(G)
    >>> enc.sizes["b"] > enc.sizes["a"], enc.positions == encode_network(G).positions
    (True, True)
    >>> encode_network(G, options=ViewOptions(color_by="community")).colour_title
    'Colour: community (Louvain)'
    >>> G.add_nodes_from(["d", "e"])
    >>> encode_network(G, options=ViewOptions(lang="en")).isolated_caption
    '2 nodes without a tie'
    """
    lang = options.language
    t = translator(lang)
    _ = t.gettext
    network = str(G.graph.get("kind", ""))
    noun = _NOUNS.get(network, _ORGANISATIONS if network else _NODES)
    described = "; ".join(f"{key} = {value}" for key, value in (options.filters or {}).items() if value)
    counts = _("{nodes}, {ties}").format(nodes=count_text(noun, len(G), lang=lang),
                                         ties=count_text(Nn_("{n} tie", "{n} ties"), G.number_of_edges(), lang=lang))
    if isinstance(G.graph.get("projects"), int):
        counts = _("{counts}, {projects} in the selection").format(
            counts=counts, projects=count_text(Nn_("{n} project", "{n} projects"), G.graph["projects"], lang=lang))
    subtitle = _("Filters: {filters}. {counts}.").format(filters=described, counts=counts) if described else (
        f"{counts}.")
    if len(G) == 0:
        nothing = _(_NONE.get(network, _NO_ORGANISATIONS if network else _NO_NODES))
        empty = (_("{nothing} match the filters ({filters}).").format(nothing=nothing, filters=described)
                 if described else _("{nothing} to show: the network is empty.").format(nothing=nothing))
    else:
        empty = ""
    nodes = sorted(G.nodes, key=str)
    m = node_metrics(G, metrics=metrics, seed=options.seed) if nodes else NodeMetrics({}, {}, {}, {})
    tips = network_tooltips(G, m, lang=lang)

    groups: dict[Hashable, str] = {}
    shapes: dict[Hashable, Shape] = {}
    kind_colours: dict[Hashable, str] = {}
    group_counts: dict[str, int] = {}
    for n in nodes:
        key, _label, colour, shape = _kind_group(str(G.nodes[n].get("kind", "")))
        groups[n], shapes[n], kind_colours[n] = key, shape, colour
        group_counts[key] = group_counts.get(key, 0) + 1
    kind_legend = tuple(LegendEntry(f"{_(label)} ({group_counts[key]})", colour, shape, key=key)
                        for key, label, colour, shape, _kinds in _KIND_GROUPS if key in group_counts)
    if options.color_by == "kind":
        colours, colour_title, colour_legend = kind_colours, _("Colour: kind"), kind_legend
    else:
        colours, colour_legend = _community_colours(nodes, m, t)
        colour_title = _("Colour: community (Louvain)")
    sizes, size_title, size_legend = _node_sizes(nodes, m, tips, options.size_by, lang)

    weights = {(u, v): float(d.get("weight", 1)) for u, v, d in G.edges(data=True)}
    widths, wmin, wmax = _scaled(weights, *_WIDTH, area=False)
    width_meaning, units = _EDGE_MEANINGS.get(network, _EDGE_MEANINGS_DEFAULT)
    width_legend: tuple[LegendEntry, ...] = ()
    if network == "organisation-project":
        width_legend = (LegendEntry(_("lead or partner"), "#777777", "line",
                                    size=_scale(1, 1, 1, *_WIDTH, area=False)),)
    elif weights:
        ends = [wmin, wmax] if wmax > wmin else [wmax]
        what = _("score {value}") if network == "project-overlap" else _("weight {value}")
        width_legend = tuple(
            LegendEntry(t.ngettext(*units, 1 if w == 1 else 2).format(n=format_number(w, lang)) if units
                        else what.format(value=format_number(w, lang)),
                        "#777777", "line", size=_scale(w, wmin, wmax, *_WIDTH, area=False)) for w in ends)
    isolated = tuple(n for n in nodes if all(v == n for v in nx.all_neighbors(G, n)))  # a loop is no tie
    isolated_caption = (count_text(_ISOLATED.get(network, _ISOLATED_DEFAULT), len(isolated), lang=lang)
                        if isolated else "")
    return NetworkEncoding(
        color_by=options.color_by, size_by=options.size_by,
        positions=network_layout(G, seed=options.seed) if nodes else {},
        colours=colours, shapes=shapes, sizes=sizes, groups=groups,
        widths=widths, colour_title=colour_title, colour_legend=colour_legend, kind_legend=kind_legend,
        size_title=size_title, size_legend=size_legend, width_title=_(width_meaning), width_legend=width_legend,
        tooltips=tips.nodes, edge_tooltips=tips.edges,
        title=options.title or _(_TITLES.get(network, _NETWORK)), subtitle=subtitle, empty_message=empty,
        lang=lang, isolated=isolated, isolated_caption=isolated_caption,
    )


def _kind_group(kind: str) -> tuple[str, str, str, Shape]:
    for key, label, colour, shape, kinds in _KIND_GROUPS:
        if kind in kinds:
            return key, label, colour, shape
    key, label, colour, shape, _ = _KIND_GROUPS[8]  # "other"
    return key, label, colour, shape


def _community_colours(nodes: list[Hashable], m: NodeMetrics,
                       t: gettext.NullTranslations) -> tuple[dict[Hashable, str], tuple[LegendEntry, ...]]:
    """Communities are numbered from the largest; the nine largest with two or more members get a colour."""
    members: dict[int, int] = {}
    for n in nodes:
        members[m.community.get(n, 0)] = members.get(m.community.get(n, 0), 0) + 1
    coloured = {c: _COMMUNITY_COLOURS[i] for i, c in enumerate(
        sorted((c for c, k in members.items() if k > 1), key=lambda c: (-members[c], c))[
            :len(_COMMUNITY_COLOURS)])}
    colours = {n: coloured.get(m.community.get(n, 0), _REST_COLOUR) for n in nodes}
    legend = tuple(LegendEntry(t.gettext("Community {number} ({members})").format(number=c + 1, members=members[c]),
                               colour) for c, colour in coloured.items())
    rest = sum(k for c, k in members.items() if c not in coloured)
    if rest:
        legend += (LegendEntry(t.gettext("Smaller communities or alone ({members})").format(members=rest),
                               _REST_COLOUR),)
    return colours, legend


def _node_sizes(nodes: list[Hashable], m: NodeMetrics, tips: Tooltips, size_by: SizeBy,
                lang: Lang) -> tuple[dict[Hashable, float], str, tuple[LegendEntry, ...]]:
    """Node → radius (area grows with *size_by*), the size heading and its legend."""
    if size_by == "degree":
        values: dict[Hashable, float] = {n: float(m.degree.get(n, 0)) for n in nodes}
    elif size_by == "betweenness":
        values = {n: m.betweenness.get(n, 0.0) for n in nodes}
    else:
        values = {n: float(tips.projects[n]) for n in nodes}
    sizes, vmin, vmax = _scaled(values, *RADIUS, area=True)
    _ = translator(lang).gettext
    meaning = _(_SIZE_MEANINGS[size_by])
    if size_by == "betweenness" and m.sources is not None:
        meaning = _("{meaning}, estimated from {n} sampled nodes").format(meaning=meaning, n=m.sources)
    legend: tuple[LegendEntry, ...] = ()
    if nodes:
        middle = (vmin + vmax) / 2
        if all(float(v).is_integer() for v in values.values()):
            middle = round(middle)
        samples = sorted({vmin, middle, vmax}) if vmax > vmin else [vmax]
        legend = tuple(
            LegendEntry(format_number(v, lang, digits=3, fixed=True) if size_by == "betweenness"
                        else format_number(round(v, 2), lang), "#BBBBBB",
                        size=_scale(v, vmin, vmax, *RADIUS, area=True)) for v in samples)
    return sizes, meaning, legend


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
