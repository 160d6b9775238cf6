"""Interactive network views: a self-contained, offline HTML page per network, and a pyvis ``Network``."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.stores.files import write_text
from hyvinvointi_kg.views.encoding import RADIUS, LegendEntry, NetworkEncoding, encode_network
from hyvinvointi_kg.views.inline import page_assets
from hyvinvointi_kg.views.options import ColorBy, SizeBy, ViewOptions
from hyvinvointi_kg.views.pages import render_page

if TYPE_CHECKING:
    from pyvis.network import Network

    from hyvinvointi_kg.analysis.networks import NetworkMetrics

__all__ = [  # the page functions, then the names this module held before views/ had a module per topic
    "ColorBy", "LegendEntry", "NetworkEncoding", "SizeBy", "ViewOptions", "encode_network",
    "html_document", "to_pyvis", "write_html",
]

_EDGE_COLOUR = {"color": "rgba(110,110,110,0.45)", "highlight": "rgba(40,40,40,0.75)", "hover": "rgba(40,40,40,0.75)"}
_EMPTY_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"


def html_document(
    G: nx.Graph,
    *,
    options: ViewOptions = ViewOptions(),  # noqa: B008 (frozen: one shared default is safe)
    metrics: NetworkMetrics | None = None,
) -> str:
    """A complete, self-contained HTML page with the interactive view of *G* (see :func:`to_pyvis`).

    vis-network (shipped with this package, ``views/assets/vis-network``) is inlined; the page
    loads nothing from the network (its Content-Security-Policy forbids it and allows exactly
    its two scripts, by hash). It shows a title with the filters, a legend, a search box that
    highlights a node's neighbourhood, checkboxes that hide kinds, and plain-text tooltips.
    Labels are placed by importance (node size; the selected node and its neighbours first),
    each only where it overlaps no label already shown and, but for the three largest, no
    other node; the rest appear on hover or when zooming in makes room. The nodes without a
    tie sit in one grid under a caption that counts them; the size legend's circles follow the zoom.
    Every text from the data is escaped: labels are shown, never interpreted as HTML. An
    empty network gives a page that says no node matches the filters.

    Parameters
    ----------
    G
        The network (see :func:`hyvinvointi_kg.views.encoding.encode_network`).
    options
        What the view shows (:class:`hyvinvointi_kg.views.options.ViewOptions`).
    metrics
        Precomputed :func:`hyvinvointi_kg.analysis.networks.network_metrics` of *G*.

    Examples
    --------
    >>> page = html_document(nx.Graph([("a", "b")]), options=ViewOptions(title="Two <nodes>"))
    >>> "<title>Two &lt;nodes&gt;</title>" in page, "https://" in page.split("<script")[0]
    (True, False)
    >>> empty = html_document(nx.Graph(), options=ViewOptions(filters={"theme": "Youth"}))
    >>> "No nodes match the filters (theme = Youth)." in empty
    True
    """
    enc = encode_network(G, options=options, metrics=metrics)
    assets = page_assets()
    if len(G) == 0:
        return render_page("network.html", lang=enc.lang, enc=enc, assets=assets, csp=_EMPTY_CSP, data=None)
    csp = (f"default-src 'none'; script-src {assets.script_sources}; style-src 'unsafe-inline'; "
           "img-src data:; base-uri 'none'; form-action 'none'")
    return render_page("network.html", lang=enc.lang, enc=enc, assets=assets, csp=csp,
                       data=_script_safe(_json(_records(G, enc))))


def write_html(
    G: nx.Graph,
    path: Path,
    *,
    options: ViewOptions = ViewOptions(),  # noqa: B008 (frozen: one shared default is safe)
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
    write_text(html_document(G, options=options, metrics=metrics), path)
    return path


def to_pyvis(
    G: nx.Graph,
    *,
    options: ViewOptions = ViewOptions(),  # noqa: B008 (frozen: one shared default is safe)
    metrics: NetworkMetrics | None = None,
) -> Network:
    """A pyvis ``Network`` of *G* with positions fixed (physics off) and the encoding of :func:`encode_network`.

    Its nodes, edges and options are the records :func:`html_document` shows. Node tooltips
    (``title``) are plain text: name, kind, municipality, projects (with roles where the
    network knows them) and metrics. Use :func:`write_html` or :func:`html_document` for a
    self-contained offline page; pyvis's own ``write_html`` fetches vis-network from a CDN.

    Examples
    --------
    >>> net = to_pyvis(nx.Graph([("a", "b"), ("b", "c")]))
    >>> len(net.nodes), len(net.edges), net.options["physics"]["enabled"]
    (3, 2, False)
    """
    from pyvis.network import Network

    enc = encode_network(G, options=options, metrics=metrics)
    # Remote resources only matter for pyvis's own writers: "local" would copy a lib/ folder into
    # the working directory. html_document() inlines vis-network and never uses them.
    net = Network(height="100%", width="100%", directed=G.is_directed(), heading=enc.title,
                  cdn_resources="remote")
    records = _records(G, enc)
    for node in records["nodes"]:
        net.add_node(node["id"], **{k: v for k, v in node.items() if k != "id"})
    _add_edges(net, records["edges"])
    net.set_options(_json(records["options"]))
    return net


def _add_edges(net: Network, edges: list[dict[str, Any]]) -> None:
    """Add *edges* (records with ``from`` and ``to``) to *net* as ``net.add_edge`` would.

    pyvis's ``add_edge`` checks that both ends exist by scanning the list of nodes and, in an
    undirected network, looks for a duplicate by scanning every edge: quadratic in Python,
    minutes for 30,000 ties. A networkx graph has no duplicates to find, so the records (as
    pyvis's ``Edge`` makes them: the options with ``from``, ``to`` and, if directed,
    ``arrows``) go straight onto its ``edges`` list. The one place that relies on how pyvis
    keeps its edges; ``tests/test_viz.py`` checks it against ``add_edge``.
    """
    net.edges.extend(edges)


def _records(G: nx.Graph, enc: NetworkEncoding) -> dict[str, Any]:
    """The nodes, edges and options vis-network draws: the data block of :func:`html_document`."""
    ids = {n: str(n) for n in G}
    nodes = []
    for n in sorted(G.nodes, key=str):
        colour, radius, (x, y) = enc.colours[n], enc.sizes[n], enc.positions[n]
        name = str(G.nodes[n].get("label", n))
        nodes.append({
            "id": ids[n], "label": _short(name), "hkName": name, "hkGroup": enc.groups[n],
            "shape": enc.shapes[n], "size": radius, "title": enc.tooltips[n], "x": x, "y": y,
            "color": {"background": colour, "border": _darker(colour),
                      "highlight": {"background": colour, "border": "#000000"},
                      "hover": {"background": colour, "border": "#000000"}},
            # Label size grows with the node. The page's script draws the labels itself, where they fit
            # (assets/network.js: the font size here times the zoom, between 11 and 16 screen pixels);
            # label and font are for pyvis, whose pages let vis-network draw them.
            "font": {"size": round(9 + (radius - RADIUS[0]) * 1.2, 1), "color": "#222222", "strokeWidth": 3,
                     "strokeColor": "#ffffff"},
        })
    arrows = {"arrows": "to"} if G.is_directed() else {}
    edges = [{"id": f"e{i}", "from": ids[u], "to": ids[v], "width": enc.widths[u, v],
              "title": enc.edge_tooltips[u, v], "color": dict(_EDGE_COLOUR), **arrows}
             for i, (u, v) in enumerate(G.edges())]
    return {"nodes": nodes, "edges": edges, "options": _vis_options(G)}


def _vis_options(G: nx.Graph) -> dict[str, Any]:
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


@functools.cache
def _darker(colour: str, factor: float = 0.65) -> str:
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(int(c * factor) for c in (r, g, b)))


def _short(label: str, limit: int = 40) -> str:
    return label if len(label) <= limit else label[:limit - 1].rstrip() + "…"


def _json(value: Any) -> str:
    """Compact JSON, UTF-8 text as is; every float is already rounded where it is made (layout, scales)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _script_safe(text: str) -> str:
    """JSON text made safe inside a <script> element: no ``<``, ``>`` or ``&`` that could end or open a tag."""
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        if char in text:  # a search: much quicker than replace() on megabytes without a match
            text = text.replace(char, escape)
    return text
