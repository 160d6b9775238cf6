"""The views' HTML pages rendered from the package's jinja2 templates (``views/templates/``), autoescaped."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jinja2

__all__ = ["render_page"]


def render_page(name: str, /, **context: Any) -> str:
    """Render the template *name* of ``views/templates/`` with *context*.

    Every value is HTML-escaped where the template writes it, unless the template marks it
    ``safe``; a name the template uses but *context* lacks is an error, not an empty string.

    Examples
    --------
    >>> from hyvinvointi_kg.views.options import ViewOptions
    >>> from hyvinvointi_kg.views.encoding import encode_network
    >>> import networkx as nx
    >>> from hyvinvointi_kg.views.inline import page_assets
    >>> enc = encode_network(nx.Graph(), options=ViewOptions(title="<b>"))
    >>> page = render_page("network.html", enc=enc, assets=page_assets(), csp="default-src 'none'", data=None)
    >>> "<title>&lt;b&gt;</title>" in page
    True
    """
    return _environment().get_template(name).render(**context)


@functools.cache
def _environment() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(loader=jinja2.PackageLoader("hyvinvointi_kg.views", "templates"),
                              autoescape=jinja2.select_autoescape(), keep_trailing_newline=True,
                              undefined=jinja2.StrictUndefined)
