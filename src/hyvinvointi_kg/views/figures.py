"""Static network figures (PNG, SVG) with matplotlib, in the encoding of the interactive views."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.stores.files import write_bytes
from hyvinvointi_kg.views.encoding import encode_network
from hyvinvointi_kg.views.options import ViewOptions

if TYPE_CHECKING:
    from collections.abc import Sequence

    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.patheffects import AbstractPathEffect
    from matplotlib.transforms import Bbox

    from hyvinvointi_kg.analysis.networks import NetworkMetrics
    from hyvinvointi_kg.views.encoding import NetworkEncoding

__all__ = ["draw_network"]

_FORMATS = {".png": "png", ".svg": "svg"}
_MARKERS = {"dot": "o", "square": "s", "diamond": "D"}
_LABELLED = 30  # at most this many nodes get a name, each where it fits ...
_TRIED = 150    # ... among this many, the largest first
_FREE = 3       # how many of the largest names may cover other nodes (never another name)
_FONT = 7.5     # legend and label font size in points


def draw_network(
    G: nx.Graph,
    path: Path,
    *,
    options: ViewOptions = ViewOptions(),  # noqa: B008 (frozen: one shared default is safe)
    metrics: NetworkMetrics | None = None,
) -> Path:
    """Draw *G* to a PNG or SVG file (chosen by the suffix of *path*), atomically.

    The same layout, colours, sizes, widths and legend as
    :func:`hyvinvointi_kg.views.html.write_html` (see :func:`hyvinvointi_kg.views.encoding.encode_network`),
    the size legend's circles at the scale of the drawing. The largest nodes are named, each
    name only where it overlaps no other name (and, but for the three largest, no other node);
    the nodes without a tie sit in one grid under a caption that counts them. Needs
    matplotlib (the ``figures`` extra).

    Parameters
    ----------
    G
        The network.
    path
        Where to write; its suffix (``.png`` or ``.svg``) chooses the format.
    options, metrics
        As for :func:`hyvinvointi_kg.views.html.html_document`.

    Raises
    ------
    InputError
        If the suffix is not ``.png`` or ``.svg``, the folder of *path* does not
        exist, or matplotlib is not installed.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     out = draw_network(nx.Graph([("a", "b"), ("b", "c")]), Path(folder) / "net.svg")
    ...     out.read_text(encoding="utf-8").startswith("<?xml")
    True
    """
    path = Path(path)
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise InputError(f"cannot draw {path}: the suffix must be .png or .svg")
    if not path.parent.is_dir():
        raise InputError(f"cannot write {path}: the folder {path.parent} does not exist")
    try:
        import matplotlib
    except ImportError as err:
        raise InputError("draw_network() needs matplotlib: pip install 'hyvinvointi_kg[figures]'") from err

    fig = _network_figure(encode_network(G, options=options, metrics=metrics), G)
    buffer = io.BytesIO()
    metadata: dict[str, str | None] = {"Software": None} if fmt == "png" else {"Date": None}
    with matplotlib.rc_context({"svg.hashsalt": "hyvinvointi-kg", "svg.fonttype": "path"}):
        fig.savefig(buffer, format=fmt, metadata=metadata)
    write_bytes(buffer.getvalue(), path)
    return path


def _network_figure(enc: NetworkEncoding, G: nx.Graph) -> Figure:
    """The figure of :func:`draw_network`: the drawing, the names, the caption and the legends."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import LineCollection
    from matplotlib.figure import Figure
    from matplotlib.patheffects import withStroke

    fig = Figure(figsize=(12, 8), dpi=100)
    fig.text(0.01, 0.975, enc.title, fontsize=13, fontweight="bold", va="top")
    fig.text(0.01, 0.94, enc.subtitle, fontsize=9, color="#555555", va="top")
    ax = fig.add_axes((0.01, 0.01, 0.72, 0.9))
    ax.set_axis_off()
    if not enc.positions:
        ax.text(0.5, 0.5, enc.empty_message, ha="center", va="center", fontsize=12, wrap=True)
    else:
        nodes = list(enc.positions)
        xs = [enc.positions[n][0] for n in nodes]
        ys = [-enc.positions[n][1] for n in nodes]  # the HTML view's y grows downwards
        pad = max(enc.sizes.values()) * 1.2
        x0, x1, y0, y1 = min(xs) - pad, max(xs) + pad, min(ys) - pad, max(ys) + pad
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_aspect("equal", adjustable="box", anchor="NW")
        ax.apply_aspect()  # the box as drawn, for the positions of the names below
        # Sizes and widths are pixels of the layout: convert to points at this figure's scale.
        width_pt, height_pt = 0.72 * 12 * 72, 0.9 * 8 * 72
        scale = min(width_pt / (x1 - x0), height_pt / (y1 - y0))
        segments = [((enc.positions[u][0], -enc.positions[u][1]), (enc.positions[v][0], -enc.positions[v][1]))
                    for u, v in enc.widths]
        ax.add_collection(LineCollection(segments, colors="#6e6e6e", alpha=0.35, zorder=1,
                                         linewidths=[max(w * scale, 0.2) for w in enc.widths.values()]))
        for shape, marker in _MARKERS.items():
            chosen = [i for i, n in enumerate(nodes) if enc.shapes[n] == shape]
            if not chosen:
                continue
            ax.scatter([xs[i] for i in chosen], [ys[i] for i in chosen], marker=marker, zorder=2,
                       s=[(2 * enc.sizes[nodes[i]] * scale) ** 2 * (0.8 if marker != "o" else 1.0)
                          for i in chosen],
                       c=[enc.colours[nodes[i]] for i in chosen], edgecolors="#333333", linewidths=0.3)
        outline = [withStroke(linewidth=2.5, foreground="white")]
        FigureCanvasAgg(fig)  # measures text: the extents below are those of the drawing
        taken: list[Bbox] = []  # what a label may not overlap, in display pixels
        if enc.isolated:  # the caption above the grid of nodes without a tie
            left = min(enc.positions[n][0] - enc.sizes[n] for n in enc.isolated)
            top = max(-enc.positions[n][1] + enc.sizes[n] for n in enc.isolated)
            caption = ax.annotate(enc.isolated_caption, (left, top), xytext=(0, 3), textcoords="offset points",
                                  fontsize=8, fontweight="bold", ha="left", va="bottom", zorder=3,
                                  path_effects=outline)
            taken.append(caption.get_window_extent())
        _place_labels(G, enc, ax, taken, scale=scale, dpi=fig.dpi, outline=outline)
        _legends(fig, enc, scale=scale)
    return fig


def _place_labels(G: nx.Graph, enc: NetworkEncoding, ax: Axes, taken: list[Bbox], *,
                  scale: float, dpi: float, outline: Sequence[AbstractPathEffect]) -> None:
    """Name up to 30 of the 150 largest nodes greedily, largest first: below, above, right or left of the
    node, where the name overlaps nothing in *taken* (which it joins) and stays inside the axes."""
    import numpy as np

    nodes = list(enc.positions)
    points = ax.transData.transform(np.array([(enc.positions[n][0], -enc.positions[n][1]) for n in nodes]))
    radii = np.array([enc.sizes[n] * scale * dpi / 72 for n in nodes])  # display pixels
    index = {n: i for i, n in enumerate(nodes)}
    frame = ax.get_window_extent()
    ranked = sorted(nodes, key=lambda n: (-enc.sizes[n], str(G.nodes[n].get("label", n))))[:_TRIED]
    named = 0
    for rank, n in enumerate(ranked):
        if named == _LABELLED:
            break
        label = str(G.nodes[n].get("label", n))
        label = label if len(label) <= 40 else label[:39] + "…"
        gap = enc.sizes[n] * scale + 1.5  # points
        for (dx, dy), ha, va in (((0, -gap), "center", "top"), ((0, gap), "center", "bottom"),
                                 ((gap, 0), "left", "center"), ((-gap, 0), "right", "center")):
            text = ax.annotate(label, (enc.positions[n][0], -enc.positions[n][1]), xytext=(dx, dy),
                               textcoords="offset points", fontsize=_FONT, ha=ha, va=va, zorder=3,
                               path_effects=outline)
            box = text.get_window_extent()
            inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
            if inside and not any(box.overlaps(other) for other in taken) and (
                    rank < _FREE or not _covers(box, points, radii, skip=index[n])):
                taken.append(box)
                named += 1
                break
            text.remove()


def _covers(box: Bbox, points: Any, radii: Any, *, skip: int) -> bool:
    """Whether *box* covers a node disc (centres *points*, *radii*, display pixels) other than number *skip*."""
    import numpy as np

    dx = points[:, 0] - np.clip(points[:, 0], box.x0, box.x1)
    dy = points[:, 1] - np.clip(points[:, 1], box.y0, box.y1)
    hit = dx * dx + dy * dy < radii * radii
    hit[skip] = False
    return bool(hit.any())


def _legends(fig: Figure, enc: NetworkEncoding, *, scale: float) -> None:
    """The colour, size and width legends, one under the other right of the drawing; every row of
    the size legend as high as its largest circle, drawn at the scale of the nodes (*scale*
    points per pixel of the layout)."""
    from matplotlib.lines import Line2D

    def legend(title: str, handles: list[Line2D], labels: list[str], top: float, *,
               height: float = 0.7) -> float:
        made = fig.legend(handles, labels, loc="upper left", bbox_to_anchor=(0.74, top), fontsize=_FONT,
                          frameon=False, handlelength=2.2, handleheight=height, borderaxespad=0,
                          title=textwrap.fill(title, 48), alignment="left",
                          title_fontproperties={"weight": "bold", "size": _FONT})
        return float(made.get_window_extent().transformed(fig.transFigure.inverted()).y0) - 0.015

    top = legend(enc.colour_title, [
        Line2D([], [], linestyle="none", marker=_MARKERS.get(entry.shape, "o"), markersize=7,
               markerfacecolor=entry.colour, markeredgecolor="#333333", markeredgewidth=0.3)
        for entry in enc.colour_legend], [entry.label for entry in enc.colour_legend], 0.9)
    diameters = [max(2 * entry.size * scale, 2) for entry in enc.size_legend]  # points
    top = legend(enc.size_title, [
        Line2D([], [], linestyle="none", marker="o", markerfacecolor="#bbbbbb", markeredgecolor="#888888",
               markeredgewidth=0.5, markersize=d) for d in diameters], [entry.label for entry in enc.size_legend],
        top, height=max(0.7, max(diameters, default=0) / _FONT))
    if enc.width_legend:
        legend(enc.width_title, [Line2D([], [], color="#6e6e6e", linewidth=max(entry.size * scale, 0.2))
                                 for entry in enc.width_legend], [entry.label for entry in enc.width_legend], top)
