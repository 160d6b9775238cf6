"""The scripts and styles a network page inlines (package files), and their Content-Security-Policy hashes."""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from dataclasses import dataclass
from importlib import resources

__all__ = ["PageAssets", "page_assets"]


@dataclass(frozen=True)
class PageAssets:
    """The text of each script and style element of a network page, ready to inline.

    vis-network (``assets/vis-network/``, with its licence) and the page's own script and
    style (``assets/network.js``, ``assets/network.css``), read from the package. No text
    can end its element early: ``</script`` and ``</style`` are escaped, and the source-map
    comments (which would make browsers fetch a file) are dropped.

    Examples
    --------
    >>> assets = page_assets()
    >>> "vis-network" in assets.vis_js[:100], assets.network_js.startswith("(function")
    (True, True)
    """

    vis_js: str
    vis_css: str
    network_js: str
    network_css: str

    @property
    def scripts(self) -> tuple[str, ...]:
        """The inline scripts, in page order: vis-network, then the page's own."""
        return self.vis_js, self.network_js

    @property
    def script_sources(self) -> str:
        """The ``script-src`` sources that allow exactly :attr:`scripts`: their SHA-256 hashes.

        Examples
        --------
        >>> page_assets().script_sources.startswith("'sha256-")
        True
        """
        return " ".join(_sha256(script) for script in self.scripts)


@functools.cache
def page_assets() -> PageAssets:
    """The scripts and styles of a network page, read from the package once.

    Examples
    --------
    >>> page_assets() is page_assets()
    True
    """
    folder = resources.files("hyvinvointi_kg.views") / "assets"
    js = (folder / "vis-network" / "vis-network.min.js").read_text(encoding="utf-8")
    css = (folder / "vis-network" / "vis-network.css").read_text(encoding="utf-8")
    js = re.sub(r"//# sourceMappingURL=\S*", "", js)
    css = re.sub(r"/\*# sourceMappingURL=\S*\s*\*/", "", css)
    return PageAssets(
        vis_js=_inert(js, "script"), vis_css=_inert(css, "style"),
        network_js=_inert((folder / "network.js").read_text(encoding="utf-8"), "script"),
        network_css=_inert((folder / "network.css").read_text(encoding="utf-8"), "style"),
    )


def _inert(text: str, element: str) -> str:
    """*text* that cannot close its *element* (``</script`` becomes ``<\\/script``)."""
    return re.sub(rf"</({element})", r"<\\/\1", text, flags=re.IGNORECASE)


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"
