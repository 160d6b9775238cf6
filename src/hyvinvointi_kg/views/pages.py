"""The views' HTML pages rendered from the package's jinja2 templates (``views/templates/``), autoescaped.

The templates' texts are gettext messages (``{{ _("Find") }}``, jinja2's i18n extension in its
new style: ``_()`` formats its keywords and escapes); each language has its own environment.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from hyvinvointi_kg.i18n import Lang, check_lang, translator

if TYPE_CHECKING:
    import jinja2

__all__ = ["render_page"]


def render_page(name: str, /, *, lang: Lang, **context: Any) -> str:
    """Render the template *name* of ``views/templates/`` with *context*, its texts in *lang*.

    Every value is HTML-escaped where the template writes it, unless the template marks it
    ``safe``; a name the template uses but *context* lacks is an error, not an empty string.

    Examples
    --------
    >>> from hyvinvointi_kg.views.options import ViewOptions
    >>> from hyvinvointi_kg.views.encoding import encode_network
    >>> import networkx as nx
    >>> from hyvinvointi_kg.views.inline import page_assets
    >>> enc = encode_network(nx.Graph(), options=ViewOptions(title="<b>"))
    >>> page = render_page("network.html", lang="fi", enc=enc, assets=page_assets(), csp="default-src 'none'",
    ...                    data=None)
    >>> "<title>&lt;b&gt;</title>" in page, '<html lang="fi">' in page
    (True, True)
    """
    return _environment(check_lang(lang)).get_template(name).render(lang=lang, **context)


@functools.cache
def _environment(lang: Lang) -> jinja2.Environment:
    import jinja2

    environment = jinja2.Environment(loader=jinja2.PackageLoader("hyvinvointi_kg.views", "templates"),
                                     autoescape=jinja2.select_autoescape(), keep_trailing_newline=True,
                                     undefined=jinja2.StrictUndefined, extensions=["jinja2.ext.i18n"])
    environment.install_gettext_translations(translator(lang), newstyle=True)  # type: ignore[attr-defined]
    return environment
