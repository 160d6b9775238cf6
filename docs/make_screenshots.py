"""Screenshots of the interactive network views for the documentation: ``python docs/make_screenshots.py``.

Writes docs/img/co-implementation.png (1200×800) and docs/img/overview.png (the top of the
overview report, 1200×1300) from the real graph. Needs Chromium
(``/usr/bin/chromium`` or ``$CHROMIUM``) and the ``playwright`` package; the page is opened from a
temporary file with every request that is not file:// refused, as in tests/test_viz_browser.py.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from hyvinvointi_kg.stores.files import load_graph, write_bytes
from hyvinvointi_kg.analysis.networks import to_networkx
from hyvinvointi_kg.views.html import write_html

IMG = Path(__file__).parent / "img"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def main() -> int:
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    graph = load_graph()
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
                   else route.abort())
        for kind in ("co-implementation",):
            html = write_html(to_networkx(graph, kind), Path(folder) / f"{kind}.html")
            page.goto(html.as_uri())
            page.wait_for_function("window.hkView && window.hkView.state.drawn", timeout=30_000)
            write_bytes(page.screenshot(type="png"), IMG / f"{kind}.png")
            print(IMG / f"{kind}.png")
        from hyvinvointi_kg.views.overview import write_overview

        page.set_viewport_size({"width": 1200, "height": 1300})
        page.goto(write_overview(graph, Path(folder) / "overview.html").as_uri())
        page.wait_for_load_state("load")
        write_bytes(page.screenshot(type="png"), IMG / "overview.png")
        print(IMG / "overview.png")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
