"""Inline network views for Jupyter, JupyterLab and VS Code notebooks.

pyvis's own notebook display writes an HTML file and shows it in an ``IFrame``
that points at that file: that fails in VS Code (the file is not served) and
in exported notebooks. :func:`show_network` instead returns an object whose
HTML output is an ``<iframe srcdoc=…>`` holding the whole self-contained page
(:func:`hyvinvointi_kg.views.html.html_document`): it is stored in the notebook,
needs no file and no server, loads nothing from the network, and runs in a
sandboxed frame isolated from the notebook's own page.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hyvinvointi_kg.views.options import ViewOptions

if TYPE_CHECKING:
    import networkx as nx

    from hyvinvointi_kg.analysis.networks import NetworkMetrics

__all__ = ["NetworkView", "show_network"]


@dataclass(frozen=True, repr=False)
class NetworkView:
    """A self-contained network page that notebooks display inline.

    ``document`` is the complete HTML page; ``height`` the frame's height in pixels.
    """

    document: str
    height: int = 650

    def __repr__(self) -> str:
        return f"NetworkView({len(self.document) // 1024} KiB page, height={self.height})"

    def _repr_html_(self) -> str:
        return (f'<iframe srcdoc="{html.escape(self.document, quote=True)}" '
                f'sandbox="allow-scripts" style="width:100%;height:{self.height}px;'
                'border:1px solid #ddd;border-radius:4px" title="network view"></iframe>')

    def _repr_mimebundle_(self, include: Any = None,
                          exclude: Any = None) -> tuple[dict[str, Any], dict[str, Any]]:
        # "isolated" asks classic Jupyter and JupyterLab to give the output its own frame
        # as well; VS Code renders the text/html as is.
        return {"text/html": self._repr_html_()}, {"text/html": {"isolated": True}}


def show_network(
    G: nx.Graph,
    *,
    height: int = 650,
    options: ViewOptions = ViewOptions(),  # noqa: B008 (frozen: one shared default is safe)
    metrics: NetworkMetrics | None = None,
) -> NetworkView:
    """Show *G* inline in a notebook (the last expression of a cell, or ``display(...)``).

    Parameters
    ----------
    G
        The network.
    height
        The frame's height in pixels.
    options, metrics
        As for :func:`hyvinvointi_kg.views.html.html_document`.

    Examples
    --------
    >>> import networkx as nx
    >>> view = show_network(nx.Graph([("a", "b")]), options=ViewOptions(title="Two <nodes>"))
    >>> html_out = view._repr_html_()
    >>> html_out.startswith("<iframe srcdoc=") and "Two &amp;lt;nodes&amp;gt;" in html_out
    True
    """
    from hyvinvointi_kg.views.html import html_document

    return NetworkView(html_document(G, options=options, metrics=metrics), height=height)
