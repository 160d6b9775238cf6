"""Static network figures (PNG, SVG) with matplotlib, in the encoding of the interactive views."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.stores.files import write_bytes
from hyvinvointi_kg.views.encoding import encode_network
from hyvinvointi_kg.views.options import ViewOptions

if TYPE_CHECKING:
    from hyvinvointi_kg.analysis.networks import NetworkMetrics

__all__ = ["draw_network"]

_FORMATS = {".png": "png", ".svg": "svg"}
_MARKERS = {"dot": "o", "square": "s", "diamond": "D"}
_LABELLED = 12  # the largest nodes get a name on the figure


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
    with the largest nodes named. Needs matplotlib (the ``figures`` extra).

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
        from matplotlib.collections import LineCollection
        from matplotlib.figure import Figure
        from matplotlib.lines import Line2D
        from matplotlib.patheffects import withStroke
    except ImportError as err:
        raise InputError("draw_network() needs matplotlib: pip install 'hyvinvointi_kg[figures]'") from err

    enc = encode_network(G, options=options, metrics=metrics)
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
        for n in sorted(nodes, key=lambda n: (-enc.sizes[n], str(n)))[:_LABELLED]:
            label = str(G.nodes[n].get("label", n))
            label = label if len(label) <= 40 else label[:39] + "…"
            ax.annotate(label, (enc.positions[n][0], -enc.positions[n][1]), fontsize=7, zorder=3,
                        ha="center", va="top", xytext=(0, -enc.sizes[n] * scale - 1),
                        textcoords="offset points", path_effects=outline)

        handles: list[Line2D] = []
        labels: list[str] = []

        headings: set[int] = set()

        def section(heading: str) -> None:
            headings.add(len(labels))
            handles.append(Line2D([], [], linestyle="none"))
            labels.append(textwrap.fill(heading, 48))

        section(enc.colour_title)
        for entry in enc.colour_legend:
            handles.append(Line2D([], [], linestyle="none", marker=_MARKERS.get(entry.shape, "o"),
                                  markersize=7, markerfacecolor=entry.colour, markeredgecolor="#333333",
                                  markeredgewidth=0.3))
            labels.append(entry.label)
        section(enc.size_title)
        for entry in enc.size_legend:
            handles.append(Line2D([], [], linestyle="none", marker="o", markerfacecolor="#bbbbbb",
                                  markeredgecolor="#888888", markersize=max(2 * entry.size * scale, 2)))
            labels.append(entry.label)
        if enc.width_legend:
            section(enc.width_title)
            for entry in enc.width_legend:
                handles.append(Line2D([], [], color="#6e6e6e", linewidth=max(entry.size * scale, 0.2)))
                labels.append(entry.label)
        legend = fig.legend(handles, labels, loc="upper left", bbox_to_anchor=(0.74, 0.9), fontsize=7.5,
                            frameon=False, handlelength=2.2, borderaxespad=0)
        for i, text in enumerate(legend.get_texts()):
            if i in headings:
                text.set_fontweight("bold")
    buffer = io.BytesIO()
    metadata: dict[str, str | None] = {"Software": None} if fmt == "png" else {"Date": None}
    with matplotlib.rc_context({"svg.hashsalt": "hyvinvointi-kg", "svg.fonttype": "path"}):
        fig.savefig(buffer, format=fmt, metadata=metadata)
    write_bytes(buffer.getvalue(), path)
    return path
