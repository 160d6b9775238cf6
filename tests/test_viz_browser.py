"""The written HTML views in headless Chromium: offline, no script errors, drawn, safe, searchable.

Needs Chromium at /usr/bin/chromium (or $CHROMIUM) and the ``playwright`` Python package; Playwright's
own browser download is not used. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from rdflib import Graph

from hyvinvointi_kg.analysis.networks import NETWORK_KINDS, to_networkx
from hyvinvointi_kg.stores.files import load_graph
from hyvinvointi_kg.views.html import write_html
from hyvinvointi_kg.views.options import ViewOptions

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# CI sets HK_REQUIRE_BROWSER=1: there a missing browser is a failure, not a skip.
REQUIRED = os.environ.get("HK_REQUIRE_BROWSER") == "1"
if not Path(CHROMIUM).exists():
    message = f"no Chromium at {CHROMIUM} (apt-get install chromium, or set $CHROMIUM)"
    if REQUIRED:
        raise RuntimeError(message)
    pytest.skip(message, allow_module_level=True)
if REQUIRED:
    import playwright.sync_api as sync_api
else:
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")

ARTIFACTS = Path(__file__).parent.parent / "test-artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "</script><script>window.__pwned=1</script>"
LAPIN_YLIOPISTO = "https://w3id.org/hyvinvointi-kg/id/org/lapin-yliopisto"
LAPIN_AMK = "https://w3id.org/hyvinvointi-kg/id/org/lapin-ammattikorkeakoulu-oy"
DRAWN = "window.hkView && window.hkView.state.drawn"
COUNT_PIXELS = """() => {
  const canvas = document.querySelector("#hk-network canvas");
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let drawn = 0;
  for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) { drawn++; } }
  return [drawn, canvas.width * canvas.height];
}"""
# The labels drawn now (window.hkLabels: boxes in CSS pixels of the canvas), each with two measures
# taken apart from the page's placement: the width of its text as the browser lays it out in a
# <span>, and the dark pixels (the text is #222222) inside its box on the canvas.
DRAWN_LABELS = """() => {
  const canvas = document.querySelector("#hk-network canvas");
  const ratio = canvas.width / canvas.clientWidth;
  const copy = document.createElement("canvas");  // read a copy: one read per canvas, as Chromium asks
  copy.width = canvas.width;
  copy.height = canvas.height;
  const ctx = copy.getContext("2d");
  ctx.drawImage(canvas, 0, 0);
  const span = document.createElement("span");
  span.style.cssText = "position:absolute;visibility:hidden;white-space:pre";
  document.body.appendChild(span);
  const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height).data;  // one read
  const labels = window.hkLabels().map(label => {
    span.style.font = (label.caption ? "600 " : "400 ") + label.font +
      'px system-ui,-apple-system,"Segoe UI",Roboto,sans-serif';
    span.textContent = label.text;
    let ink = 0;
    for (let y = Math.round(label.y * ratio); y < Math.round((label.y + label.height) * ratio); y++) {
      for (let x = Math.round(label.x * ratio); x < Math.round((label.x + label.width) * ratio); x++) {
        const i = 4 * (y * canvas.width + x);
        if (pixels[i + 3] > 200 && pixels[i] < 90 && pixels[i + 1] < 90 && pixels[i + 2] < 90) { ink++; }
      }
    }
    return Object.assign({textWidth: span.getBoundingClientRect().width, ink: ink}, label);
  });
  span.remove();
  return labels;
}"""
SCREEN_POSITION = """(id) => {
  const network = window.hkView.network;
  const p = network.canvasToDOM(network.getPosition(id));
  const box = document.querySelector("#hk-network canvas").getBoundingClientRect();
  return [p.x + box.left, p.y + box.top];
}"""


@dataclass
class Opened:
    """A page and what it tried to do: requests that left file://, errors, dialogs."""

    page: Any
    external: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def graph() -> Graph:
    return load_graph()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def open_page(browser: Any) -> Iterator[Any]:
    pages: list[Any] = []

    def open_(path: Path, *, wait_drawn: bool = True) -> Opened:
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        pages.append(page)
        opened = Opened(page)

        def route(request_route: Any) -> None:
            url = request_route.request.url
            if url.startswith(("file:", "data:", "blob:")):
                request_route.continue_()
            else:
                opened.external.append(url)
                request_route.abort()

        page.route("**/*", route)
        page.on("requestfailed", lambda r: None if r.url.startswith(("file:", "data:", "blob:"))
                else opened.external.append(r.url))
        page.on("pageerror", lambda err: opened.errors.append(f"pageerror: {err}"))
        page.on("console", lambda m: opened.errors.append(f"console {m.type}: {m.text}")
                if m.type in ("error", "warning") else None)

        def dialog(d: Any) -> None:
            opened.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", dialog)
        page.goto(path.resolve().as_uri())
        if wait_drawn:
            page.wait_for_function(DRAWN, timeout=30_000)
        return opened

    yield open_
    for page in pages:
        page.close()


def _artifact(opened: Opened, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    opened.page.screenshot(path=str(ARTIFACTS / name))


def _overlapping(labels: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """The pairs of labels whose boxes overlap."""
    def apart(a: dict[str, Any], b: dict[str, Any]) -> bool:
        return (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])
    return [(a["text"], b["text"]) for i, a in enumerate(labels) for b in labels[i + 1:] if not apart(a, b)]


def _drawn_labels(page: Any) -> list[dict[str, Any]]:
    """The labels on the canvas now, each checked against its own measures (see DRAWN_LABELS)."""
    page.evaluate("window.hkView.network.redraw()")
    labels: list[dict[str, Any]] = page.evaluate(DRAWN_LABELS)
    for label in labels:
        assert abs(label["textWidth"] - label["width"]) <= 2, label  # the box is as wide as the text
        assert label["ink"] > 0 or label["faded"], label  # and the text is drawn in it
    return labels


def test_co_implementation_view_offline_and_drawn(graph: Graph, open_page: Any, tmp_path: Path) -> None:
    G = to_networkx(graph, "co-implementation")
    opened = open_page(write_html(G, tmp_path / "co-implementation.html"))
    drawn, total = opened.page.evaluate(COUNT_PIXELS)
    _artifact(opened, "viz-co-implementation.png")
    opened.page.locator("#hk-network canvas").screenshot(path=str(ARTIFACTS / "viz-co-implementation-canvas.png"))
    assert opened.external == [] and opened.errors == [] and opened.dialogs == []
    assert drawn > 0.02 * total  # nodes and ties, not a blank canvas
    assert opened.page.evaluate("window.hkView.nodesView.length") == G.number_of_nodes()


@pytest.mark.parametrize("kind", [k for k in NETWORK_KINDS if k != "co-implementation"])
def test_each_kind_loads_without_errors(graph: Graph, open_page: Any, tmp_path: Path, kind: str) -> None:
    G = to_networkx(graph, kind)  # type: ignore[arg-type]
    opened = open_page(write_html(G, tmp_path / f"{kind}.html",
                                    options=ViewOptions(color_by="community", size_by="betweenness")))
    drawn, total = opened.page.evaluate(COUNT_PIXELS)
    _artifact(opened, f"viz-{kind}.png")
    assert opened.external == [] and opened.errors == [] and opened.dialogs == []
    assert drawn > 0.005 * total


def test_search_highlights_neighbourhood(graph: Graph, open_page: Any, tmp_path: Path) -> None:
    G = to_networkx(graph, "co-implementation")
    opened = open_page(write_html(G, tmp_path / "search.html"))
    page = opened.page
    page.fill("#hk-search", "lapin yliopisto")
    assert page.locator("#hk-matches button").first.text_content() == "Lapin yliopisto"
    page.press("#hk-search", "Enter")
    assert page.evaluate("window.hkView.network.getSelectedNodes()") == [LAPIN_YLIOPISTO]
    colours = page.evaluate("""() => Object.fromEntries(
        window.hkView.nodes.get().map(n => [n.id, n.color.background]))""")
    neighbours = set(G[LAPIN_YLIOPISTO]) | {LAPIN_YLIOPISTO}
    assert {colours[n] for n in G.nodes if n not in neighbours} == {"#eeeeee"}
    assert "#eeeeee" not in {colours[n] for n in neighbours}
    assert page.locator("#hk-details").text_content().startswith("Lapin yliopisto\nUniversity")
    _artifact(opened, "viz-search.png")
    page.press("#hk-search", "Escape")
    assert page.evaluate("window.hkView.nodes.get().filter(n => n.color.background === '#eeeeee').length") == 0
    assert opened.errors == []


@pytest.mark.parametrize("color_by", ["kind", "community"])
def test_labels_drawn_without_overlap(graph: Graph, open_page: Any, tmp_path: Path, color_by: str) -> None:
    # Issue 17: only the two largest names were legible, and with community colours names piled up.
    G = to_networkx(graph, "co-implementation")
    opened = open_page(write_html(G, tmp_path / f"labels-{color_by}.html",
                                    options=ViewOptions(color_by=color_by, lang="en")))  # type: ignore[arg-type]
    page = opened.page
    labels = _drawn_labels(page)
    _artifact(opened, f"viz-labels-{color_by}.png")
    shown = {label["id"] for label in labels}
    assert _overlapping(labels) == []
    assert {LAPIN_YLIOPISTO, LAPIN_AMK} <= shown  # the two largest nodes
    assert len(labels) >= 40 and min(label["font"] for label in labels) >= 11
    alone = sum(1 for n in G if G.degree(n) == 0)
    assert [label["text"] for label in labels if label["caption"]] == [
        f"{alone} organisations without a shared project"]
    # Zoomed in, more names fit, still none over another.
    page.evaluate("window.hkView.network.moveTo({scale: 2.5 * window.hkView.network.getScale()})")
    closer = _drawn_labels(page)
    assert _overlapping(closer) == [] and len(closer) >= 40
    assert opened.errors == []


def test_labels_while_searching_do_not_overlap(graph: Graph, open_page: Any, tmp_path: Path) -> None:
    # Issue 17: the faded names of a search stayed on top of each other.
    G = to_networkx(graph, "co-implementation")
    opened = open_page(write_html(G, tmp_path / "search-labels.html"))
    page = opened.page
    page.fill("#hk-search", "lapin yliopisto")
    page.press("#hk-search", "Enter")
    labels = _drawn_labels(page)
    _artifact(opened, "viz-search-labels.png")
    assert _overlapping(labels) == []
    assert labels[0]["id"] == LAPIN_YLIOPISTO and not labels[0]["faded"]  # the selected node first
    neighbours = set(G[LAPIN_YLIOPISTO])
    assert {label["faded"] for label in labels if label["id"] in neighbours} == {False}
    assert {label["faded"] for label in labels if label["id"] not in neighbours | {LAPIN_YLIOPISTO}} <= {True}
    page.press("#hk-search", "Escape")
    assert _overlapping(_drawn_labels(page)) == []


def test_size_legend_circles_as_large_as_the_nodes(graph: Graph, open_page: Any, tmp_path: Path) -> None:
    # Issue 17: the legend's largest circle was twice the largest node drawn.
    G = to_networkx(graph, "co-implementation")
    opened = open_page(write_html(G, tmp_path / "legend.html"))
    page = opened.page
    measure = """(id) => {
      const network = window.hkView.network, box = network.getBoundingBox(id);
      const circles = [...document.querySelectorAll(".hk-circle")];
      return [(box.right - box.left) * network.getScale(),
              circles[circles.length - 1].getBoundingClientRect().width];
    }"""
    largest = max(G.nodes, key=lambda n: (G.degree(n), n))
    for zoom in (1.0, 2.0):
        page.evaluate(f"window.hkView.network.moveTo({{scale: {zoom} * window.hkView.network.getScale()}})")
        page.evaluate("window.hkView.network.redraw()")
        node, circle = page.evaluate(measure, largest)
        assert abs(node - circle) <= 2.5, (zoom, node, circle)  # the node's border is part of its box
    assert opened.errors == []


def test_kind_checkbox_hides_nodes(graph: Graph, open_page: Any, tmp_path: Path) -> None:
    G = to_networkx(graph, "co-implementation")
    opened = open_page(write_html(G, tmp_path / "kinds.html"))
    universities = sum(1 for _, kind in G.nodes(data="kind") if kind == "University")
    opened.page.uncheck("input[data-group=university]")
    assert opened.page.evaluate("window.hkView.nodesView.length") == G.number_of_nodes() - universities
    opened.page.check("input[data-group=university]")
    assert opened.page.evaluate("window.hkView.nodesView.length") == G.number_of_nodes()
    assert opened.errors == []


def test_labels_from_data_stay_text(open_page: Any, tmp_path: Path) -> None:
    G = nx.Graph(kind="co-implementation", projects=1)
    G.add_node("a", label=XSS_IMG, kind="Association", municipality=XSS_SCRIPT, projects=1)
    G.add_node("b", label=XSS_SCRIPT, kind="University", municipality="Inari", projects=1)
    G.add_node("c", label="Plain ry", kind="Association", municipality="Kemi", projects=1)
    G.add_edge("a", "b", weight=1, projects="p1", project_names=XSS_IMG)
    G.add_edge("b", "c", weight=2, projects="p1 | p2", project_names=f"{XSS_SCRIPT} | Plain")
    opened = open_page(write_html(G, tmp_path / "xss.html",
                                    options=ViewOptions(title=XSS_IMG, filters={"theme": XSS_SCRIPT})))
    page = opened.page
    page.fill("#hk-search", "<")
    assert sorted(page.locator("#hk-matches button").all_text_contents()) == sorted([XSS_IMG, XSS_SCRIPT])
    page.locator("#hk-matches button", has_text="onerror").click()
    assert page.locator("#hk-details").text_content().startswith(f"{XSS_IMG}\nAssociation · {XSS_SCRIPT}")
    x, y = page.evaluate(SCREEN_POSITION, "b")
    page.mouse.move(x, y)
    tooltip = page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible")
    assert tooltip.inner_text().startswith(XSS_SCRIPT)
    # innerText turns newlines into <br>; any other element would mean the label was parsed as HTML.
    assert tooltip.evaluate("e => [...e.children].every(c => c.tagName === 'BR')")
    assert page.locator("h1").text_content() == XSS_IMG
    _artifact(opened, "viz-xss.png")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert page.evaluate("document.scripts.length") == 3
    assert opened.dialogs == [] and opened.external == [] and opened.errors == []


def test_empty_network_page_says_so(open_page: Any, tmp_path: Path) -> None:
    path = write_html(nx.Graph(kind="co-implementation"), tmp_path / "empty.html",
                      options=ViewOptions(filters={"municipality": "Utsjoki"}))
    opened = open_page(path, wait_drawn=False)
    assert opened.page.locator(".hk-empty").text_content() == (
        "No organisations match the filters (municipality = Utsjoki).")
    assert opened.errors == [] and opened.external == []


def test_harness_records_external_requests(open_page: Any, tmp_path: Path) -> None:
    # The checks above are only as good as the request recorder: make sure it sees what a CDN page does.
    page = tmp_path / "cdn.html"
    page.write_text('<!DOCTYPE html><script src="https://cdn.example.invalid/vis.js"></script>'
                    '<img src="http://example.invalid/x.png">', encoding="utf-8")
    opened = open_page(page, wait_drawn=False)
    opened.page.wait_for_load_state("load")
    assert "https://cdn.example.invalid/vis.js" in opened.external
    assert "http://example.invalid/x.png" in opened.external


# --- the overview report ----------------------------------------------------------------------

def _overview_frame(opened: Opened) -> Any:
    """The network view's frame inside the overview page, once it has drawn.

    Chromium does not render a cross-origin (sandboxed) frame that is off screen, so
    scroll to it as a reader would.
    """
    element = opened.page.wait_for_selector("iframe")
    element.scroll_into_view_if_needed()
    frame = element.content_frame()
    frame.wait_for_function(DRAWN, timeout=30_000)
    return frame


def test_overview_report_offline_with_a_drawn_network(graph: Graph, open_page: Any, tmp_path: Path) -> None:
    from hyvinvointi_kg.views.overview import write_overview

    opened = open_page(write_overview(graph, tmp_path / "overview.html"), wait_drawn=False)
    frame = _overview_frame(opened)
    drawn, total = frame.evaluate(COUNT_PIXELS)
    _artifact(opened, "overview.png")
    opened.page.locator("iframe").screenshot(path=str(ARTIFACTS / "overview-network.png"))
    assert opened.external == [] and opened.errors == [] and opened.dialogs == []
    assert drawn > 0.02 * total
    # Issue 17: the network sat in a small frame with 7-pixel names. Now nearly the window's width
    # (1,200 pixels here), at least 760 high, names of 11 pixels or more, none over another.
    box = opened.page.locator("iframe").bounding_box()
    assert box["width"] >= 1150 and box["height"] >= 760
    labels = _drawn_labels(frame)
    assert _overlapping(labels) == [] and len(labels) >= 40 and min(label["font"] for label in labels) >= 11
    assert opened.page.locator("h1").text_content() == (
        "Welfare, inclusion and safety projects in Finnish Lapland")
    assert opened.page.locator(".figure b").first.text_content() == "227"


def test_overview_report_labels_stay_text(graph: Graph, open_page: Any, tmp_path: Path) -> None:
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDFS, SKOS

    from hyvinvointi_kg.views.overview import write_overview

    evil = Graph()
    evil += graph
    org = URIRef(LAPIN_YLIOPISTO)  # a top broker: named in the table and in the network
    for prop in (SKOS.prefLabel, SKOS.altLabel, RDFS.label):
        evil.remove((org, prop, None))
    evil.add((org, SKOS.prefLabel, Literal(XSS_IMG + XSS_SCRIPT, lang="fi")))
    opened = open_page(write_overview(evil, tmp_path / "overview-xss.html"), wait_drawn=False)
    frame = _overview_frame(opened)
    assert XSS_IMG + XSS_SCRIPT in opened.page.locator("td").all_text_contents()  # the brokers table
    frame.locator("#hk-search").fill("<img")
    assert any(XSS_IMG in t for t in frame.locator("#hk-matches li").all_text_contents())
    assert opened.page.evaluate("typeof window.__pwned") == "undefined"
    assert frame.evaluate("typeof window.__pwned") == "undefined"
    assert opened.page.evaluate("document.querySelectorAll('img').length") == 0
    assert frame.evaluate("document.querySelectorAll('img').length") == 0
    assert opened.dialogs == [] and opened.external == [] and opened.errors == []
