"""The map of projects per municipality (views/map.py): SVG, offline HTML, PNG, and in Chromium."""

from __future__ import annotations

import os
import re
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph

from hyvinvointi_kg.analysis.municipalities import MunicipalityCounts, municipality_counts
from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.stores.files import load_graph
from hyvinvointi_kg.views.map import (
    ATTRIBUTION,
    LICENCE_URL,
    MunicipalityMap,
    map_labels,
    municipality_map,
    write_map,
)

SVG = "{http://www.w3.org/2000/svg}"
README = Path(__file__).parent.parent / "data" / "reference" / "boundaries" / "README.md"


@pytest.fixture(scope="module")
def graph() -> Graph:
    return load_graph()


@pytest.fixture(scope="module")
def safety(graph: Graph) -> MunicipalityCounts:
    return municipality_counts(graph, theme="turvallisuus")  # three white spots: Keminmaa, Pello, Simo


@pytest.fixture(scope="module")
def safety_map(safety: MunicipalityCounts) -> MunicipalityMap:
    return municipality_map(safety, lang="fi")


def _paths(svg: str) -> list[ET.Element]:
    return [e for e in ET.fromstring(svg).iter(f"{SVG}path") if "hk-municipality" in e.get("class", "")]


def test_municipality_map_svg_parses_with_every_lapland_municipality(safety_map: MunicipalityMap) -> None:
    paths = _paths(safety_map.svg)
    assert {p.get("data-code") for p in paths} == set(safety_map.counts.frame["code"])
    assert len(paths) == 21


def test_municipality_map_zero_is_a_white_spot(safety_map: MunicipalityMap) -> None:
    zero = {p.get("data-code"): p.get("fill") for p in _paths(safety_map.svg) if p.get("data-projects") == "0"}
    assert zero == {"241": "url(#hk-white-spot)", "854": "url(#hk-white-spot)", "751": "url(#hk-white-spot)"}
    others = {p.get("fill") for p in _paths(safety_map.svg) if p.get("data-projects") != "0"}
    assert others and all(f.startswith("#") and f.lower() != "#ffffff" for f in others)
    assert map_labels("fi")["no_projects"] in safety_map.svg  # the legend names the white spot


def test_municipality_map_hover_details(safety_map: MunicipalityMap) -> None:
    rovaniemi = next(p for p in _paths(safety_map.svg) if p.get("data-code") == "698")
    title = rovaniemi.find(f"{SVG}title")
    assert title is not None and title.text is not None
    assert title.text.startswith("Rovaniemi (698)\n4 hanketta\n– ")


def test_municipality_map_region_wide_beside_the_map(safety_map: MunicipalityMap) -> None:
    texts = " ".join(e.text or "" for e in ET.fromstring(safety_map.svg).iter(f"{SVG}text"))
    assert "20 hanketta kohdistuu koko maakuntaan" in texts
    assert "Lappi (maakunta): 20 hanketta" in texts


def test_municipality_map_carries_the_attribution(safety_map: MunicipalityMap) -> None:
    assert ATTRIBUTION in README.read_text(encoding="utf-8")  # the exact line the licence asks for
    texts = " ".join(e.text or "" for e in ET.fromstring(safety_map.svg).iter(f"{SVG}text")
                     if e.get("class") == "hk-attribution")
    assert ATTRIBUTION in texts
    assert ATTRIBUTION in safety_map.to_html()


def test_municipality_map_html_offline(safety_map: MunicipalityMap) -> None:
    page = safety_map.to_html()
    assert "<script" not in page.lower()
    assert "Content-Security-Policy" in page and "default-src &#39;none&#39;" in page
    urls = set(re.findall(r"https?://[^\s\"'<>)]+", page))
    # The SVG namespace is a name, never fetched; the licence's address is text in the attribution.
    assert urls <= {"http://www.w3.org/2000/svg", LICENCE_URL}
    assert not re.search(r"<(img|link|iframe|object|embed)\b", page)


def test_municipality_map_html_escapes_the_data(graph: Graph) -> None:
    counts = municipality_counts(graph)
    hostile = MunicipalityCounts(
        frame=counts.frame.assign(name=counts.frame["name"].where(counts.frame["code"] != "698",
                                                                   "<script>x</script>")),
        pairs=counts.pairs, region_wide=counts.region_wide, region=counts.region, region_name=counts.region_name)
    page = municipality_map(hostile).to_html()
    assert "<script>x</script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page


def test_municipality_map_all_finland(graph: Graph) -> None:
    finland = municipality_map(graph, region=None, lang="fi")
    assert len(_paths(finland.svg)) == 309
    assert 'class="hk-regions"' in finland.svg
    assert finland.title == "Hankkeet kunnittain: koko Suomi"


def test_municipality_map_filter_with_counts_refused(safety: MunicipalityCounts) -> None:
    with pytest.raises(InputError, match="theme cannot be applied"):
        municipality_map(safety, theme="hyvinvointi")


def test_municipality_map_repr_for_notebooks(safety_map: MunicipalityMap) -> None:
    assert safety_map._repr_svg_() == safety_map.svg
    assert safety_map._repr_html_().startswith('<div class="hk-map-output"')
    assert repr(safety_map).startswith("MunicipalityMap('Lappi', 21 municipalities")


@pytest.mark.parametrize("suffix", [".html", ".svg"])
def test_write_map_text_formats(safety_map: MunicipalityMap, tmp_path: Path, suffix: str) -> None:
    out = write_map(safety_map, tmp_path / f"map{suffix}")
    text = out.read_text(encoding="utf-8")
    if suffix == ".svg":
        assert len(_paths(text)) == 21
    else:
        assert text.startswith("<!DOCTYPE html>")


def test_write_map_png(safety_map: MunicipalityMap, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    out = write_map(safety_map, tmp_path / "map.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_write_map_png_without_matplotlib(safety_map: MunicipalityMap, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(InputError, match=r"needs matplotlib: pip install 'hyvinvointi_kg\[figures\]'"):
        write_map(safety_map, tmp_path / "map.png")
    assert not (tmp_path / "map.png").exists()


def test_write_map_unknown_suffix(safety_map: MunicipalityMap, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="the suffix must be one of"):
        write_map(safety_map, tmp_path / "map.pdf")


def test_write_map_missing_folder(safety_map: MunicipalityMap, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        write_map(safety_map, tmp_path / "nowhere" / "map.svg")


# In Chromium, like the network views (tests/test_viz_browser.py): skipped without a browser unless
# HK_REQUIRE_BROWSER=1 (CI), where a missing browser is a failure.

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
REQUIRED = os.environ.get("HK_REQUIRE_BROWSER") == "1"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(__file__).parent.parent / "test-artifacts"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        if REQUIRED:
            raise RuntimeError(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set $CHROMIUM)")
        pytest.skip(f"no Chromium at {CHROMIUM}")
    if REQUIRED:
        import playwright.sync_api as sync_api
    else:
        sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


def test_map_in_chromium_drawn_offline_without_errors(browser: Any, safety_map: MunicipalityMap,
                                                      tmp_path: Path) -> None:
    path = write_map(safety_map, tmp_path / "map.html")
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    external: list[str] = []
    errors: list[str] = []

    def route(request_route: Any) -> None:
        url = request_route.request.url
        if url.startswith(("file:", "data:", "blob:")):
            request_route.continue_()
        else:
            external.append(url)
            request_route.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda err: errors.append(f"pageerror: {err}"))
    page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning")
            else None)
    try:
        page.goto(path.resolve().as_uri())
        boxes = page.evaluate("""() => [...document.querySelectorAll("path.hk-municipality")].map(p => {
            const b = p.getBoundingClientRect();
            return [p.dataset.code, b.width, b.height, getComputedStyle(p).fill]; })""")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "map-lappi-turvallisuus.png"), full_page=True)
        page.hover('path[data-code="698"]')
        hovered = page.evaluate("""() => getComputedStyle(document.querySelector('path[data-code="698"]'))
                                  .strokeWidth""")
    finally:
        page.close()
    assert external == [] and errors == []
    assert len(boxes) == 21 and all(w > 5 and h > 5 for _, w, h, _ in boxes)
    fills = {code: fill for code, _, _, fill in boxes}
    assert fills["241"].startswith("url(") and fills["698"].startswith("rgb(")
    assert hovered == "2.2px"  # the hovered municipality is outlined


def test_municipality_map_in_swedish_uses_the_nls_swedish_names() -> None:
    drawn = municipality_map(load_graph(), lang="sv")
    page = drawn.to_html()
    assert drawn.title == "Projekt per kommun: Lappland"
    assert '<html lang="sv">' in page and "Enare" in page and "Enontekis" in page and "Kommungränser" in page
