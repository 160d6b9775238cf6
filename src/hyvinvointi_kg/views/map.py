"""A choropleth map of projects per municipality: inline SVG, one offline HTML page, or a PNG.

The boundaries are the National Land Survey of Finland's 1:4 500 000 municipal
division (bundled in ``data/reference/boundaries``, CC BY 4.0); every drawing
carries their attribution. Coordinates are projected with a spherical
transverse Mercator on 27° E, the central meridian of ETRS-TM35FIN, so the map
looks like the maps Finns know. Every text a person reads comes from
:func:`map_labels` in the map's language (the package's gettext catalogues).
"""

from __future__ import annotations

import functools
import json
import math
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import numpy as np
from rdflib import Graph, URIRef

from hyvinvointi_kg._resources import resource_dir
from hyvinvointi_kg.analysis.municipalities import LAPLAND, MunicipalityCounts, municipality_counts
from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.i18n import N_, Lang, Nn_, check_lang, count_text, default_lang, translator
from hyvinvointi_kg.stores.files import write_bytes, write_text

if TYPE_CHECKING:
    from numpy.typing import NDArray

    Points = NDArray[np.float64]

__all__ = ["ATTRIBUTION", "MunicipalityMap", "map_labels", "municipality_map", "write_map"]

ATTRIBUTION = "© Maanmittauslaitos (National Land Survey of Finland), CC BY 4.0"
"""The attribution the boundaries' licence asks for (``data/reference/boundaries/README.md``)."""
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"

# Every text of the map but counts, by key: English message ids, translated by map_labels().
_MESSAGES: Mapping[str, str] = MappingProxyType({
    "title_region": N_("Projects by municipality: {region}"),
    "title_finland": N_("Projects by municipality: all of Finland"),
    "filters": N_("Selection: {filters}"),
    "no_filters": N_("All projects"),
    "legend_title": N_("Projects that name the municipality as a target area"),
    "no_projects": N_("0 – no projects (white spot)"),
    "white_spots": N_("No projects: {names}"),
    "area_line": N_("{name}: {projects}"),
    "kind_region": N_("region"),
    "kind_subregion": N_("sub-region"),
    "kind_country": N_("whole country"),
    "more": N_("… and {n} more"),
    "hover_region_wide": N_("Also projects of the whole area: {n}"),
    "attribution": N_("Municipal boundaries: {attribution}"),
    "licence": N_("Licence: {url}"),
    "table_caption": N_("Projects by municipality"),
    "column_municipality": N_("Municipality"),
    "column_code": N_("Municipality code"),
    "column_projects": N_("Projects"),
    "column_titles": N_("Project titles"),
    "made_with": N_("Made with hyvinvointi-kg"),
    "filter_teema": N_("theme"),
    "filter_kohderyhmä": N_("target group"),
    "filter_rahoittaja": N_("funder"),
    "filter_ajanjakso": N_("period"),
})
_PROJECTS = Nn_("{n} project", "{n} projects")
_WHITE_SPOTS_MANY = Nn_("No projects in {n} municipality.", "No projects in {n} municipalities.")
_REGION_WIDE = Nn_("{n} project covers a whole region or sub-region rather than single municipalities "
                   "(not counted in the municipalities' figures):",
                   "{n} projects cover a whole region or sub-region rather than single municipalities "
                   "(not counted in the municipalities' figures):")


def map_labels(lang: Lang) -> Mapping[str, str]:
    """Every text of the map (but counts) in *lang*, by key; ``{name}`` fields filled in where used.

    Examples
    --------
    >>> map_labels("fi")["table_caption"], map_labels("sv")["column_municipality"]
    ('Hankkeet kunnittain', 'Kommun')
    """
    _ = translator(lang).gettext
    labels = {key: _(text) for key, text in _MESSAGES.items()}
    labels["attribution"] = labels["attribution"].format(attribution=ATTRIBUTION)
    return MappingProxyType(labels)


# ColorBrewer "Blues" without its lightest step, so the lowest class stays apart from white.
_COLOURS = ("#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
_DARK = {"#3182bd", "#08519c"}  # classes whose labels are written in white
_ZERO = "url(#hk-white-spot)"
_BORDER = "#555555"
_RADIUS_KM = 6371.0
_MERIDIAN = 27.0  # ETRS-TM35FIN's central meridian
_SIDE = 380  # pixels of the side panel (legend and texts)
_INCH = 100.0  # layout pixels per inch of a PNG figure
_POINTS = 72 / _INCH  # a layout pixel in points
_LISTED = 12  # white spots named, areas listed beside the map
_TOOLTIP_TITLES = 8  # project titles listed in a municipality's tooltip
_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


def _label(labels: Mapping[str, str], key: str, **values: object) -> str:
    return labels[key].format(**values)


# Geometry ------------------------------------------------------------------------------------

def _project(lon_lat: Points) -> Points:
    """Spherical transverse Mercator on 27° E: kilometres east and north (north up)."""
    lon = np.radians(lon_lat[:, 0] - _MERIDIAN)
    lat = np.radians(lon_lat[:, 1])
    b = np.cos(lat) * np.sin(lon)
    x = _RADIUS_KM * np.arctanh(b)
    y = _RADIUS_KM * np.arctan2(np.tan(lat), np.cos(lon))
    return np.column_stack([x, y])


def _read_shapes(name: str, codes: Sequence[str]) -> dict[str, list[Points]]:
    """The rings (outer and holes, projected) of each feature of *name* whose ``NATCODE`` is in *codes*."""
    path = resource_dir("data/reference") / "boundaries" / name
    try:
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
    except (OSError, ValueError, KeyError) as err:
        raise InputError(f"{path}: cannot read the boundaries: {err}") from err
    wanted = set(codes)
    shapes: dict[str, list[Points]] = {}
    for feature in features:
        code = feature["properties"]["NATCODE"]
        if code not in wanted:
            continue
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        shapes[code] = [_project(np.asarray(ring, dtype=float)) for polygon in polygons for ring in polygon]
    missing = wanted - shapes.keys()
    if missing:
        raise InputError(f"{path}: no boundary for the code(s) {', '.join(sorted(missing))}")
    return shapes


def _inside(points: Points, rings: Sequence[Points]) -> NDArray[np.bool_]:
    """Even-odd rule over all rings (holes included) for each point."""
    result = np.zeros(len(points), dtype=bool)
    px, py = points[:, 0][:, None], points[:, 1][:, None]
    for ring in rings:
        x0, y0 = ring[:-1, 0][None, :], ring[:-1, 1][None, :]
        x1, y1 = ring[1:, 0][None, :], ring[1:, 1][None, :]
        crosses = (y0 > py) != (y1 > py)
        with np.errstate(divide="ignore", invalid="ignore"):
            x_at = x0 + (py - y0) * (x1 - x0) / (y1 - y0)
        result ^= (np.count_nonzero(crosses & (px < x_at), axis=1) % 2).astype(bool)
    return result


def _distance_to_edges(points: Points, rings: Sequence[Points]) -> Points:
    best = np.full(len(points), np.inf)
    for ring in rings:
        a, b = ring[:-1][None, :, :], ring[1:][None, :, :]
        p = points[:, None, :]
        ab = b - a
        length = np.maximum((ab ** 2).sum(axis=2), 1e-12)
        t = np.clip(((p - a) * ab).sum(axis=2) / length, 0.0, 1.0)
        nearest = a + t[:, :, None] * ab
        best = np.minimum(best, np.sqrt(((p - nearest) ** 2).sum(axis=2)).min(axis=1))
    return best


def _anchor(rings: Sequence[Points]) -> tuple[float, float, float]:
    """A point well inside the shape (the grid point farthest from its edges) and that distance."""
    outer = max(rings, key=lambda r: float(np.ptp(r[:, 0]) * np.ptp(r[:, 1])))
    (x0, y0), (x1, y1) = outer.min(axis=0), outer.max(axis=0)
    xs, ys = np.meshgrid(np.linspace(x0, x1, 30), np.linspace(y0, y1, 30))
    grid = np.column_stack([xs.ravel(), ys.ravel()])
    grid = grid[_inside(grid, rings)]
    if len(grid) == 0:
        centre = outer.mean(axis=0)
        return float(centre[0]), float(centre[1]), 0.0
    distance = _distance_to_edges(grid, rings)
    i = int(np.argmax(distance))
    return float(grid[i, 0]), float(grid[i, 1]), float(distance[i])


def _fits(x: float, y: float, width: float, height: float, rings: Sequence[Points]) -> bool:
    """Whether a box centred on (x, y) lies inside the shape (checked at its edges)."""
    xs = np.linspace(x - width / 2, x + width / 2, 7)
    top = np.column_stack([xs, np.full(7, y - height / 2)])
    bottom = np.column_stack([xs, np.full(7, y + height / 2)])
    return bool(_inside(np.vstack([top, bottom]), rings).all())


# Layout --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Area:
    code: str
    name: str
    projects: int
    colour: str
    rings: tuple[Points, ...]  # pixels, y down
    tooltip: str
    label: tuple[float, float, float, bool] | None  # x, y, font size, with the count


@dataclass(frozen=True)
class _Layout:
    width: float
    height: float
    map_width: float
    title: str
    subtitle: str
    areas: tuple[_Area, ...]
    borders: tuple[Points, ...]  # region borders (all of Finland only)
    legend: tuple[tuple[str, str], ...]  # (fill, text)
    notes: tuple[str, ...]  # side-panel paragraphs
    labels: Mapping[str, str]  # map_labels() of the map's language
    names: Mapping[str, str]  # code → municipality name in that language


def _classes(values: Sequence[int]) -> list[tuple[int, int]]:
    """Up to five classes of the positive values: one per value when few, else by quantiles."""
    positive = sorted({v for v in values if v > 0})
    if not positive:
        return []
    if len(positive) <= len(_COLOURS):
        return [(v, v) for v in positive]
    observed = [v for v in values if v > 0]
    cuts = sorted({math.ceil(q) for q in np.quantile(observed, np.linspace(0, 1, len(_COLOURS) + 1)[1:-1])})
    lows = sorted({positive[0], *(c for c in cuts if c > positive[0])})
    return [(lo, (lows[i + 1] - 1) if i + 1 < len(lows) else positive[-1]) for i, lo in enumerate(lows)]


def _palette(n: int) -> list[str]:
    if n <= 0:
        return []
    return [_COLOURS[round(i * (len(_COLOURS) - 1) / max(n - 1, 1))] for i in range(n)] if n > 1 else [_COLOURS[2]]


def _range_text(lo: int, hi: int) -> str:
    return str(lo) if lo == hi else f"{lo}–{hi}"


def _tooltip(name: str, code: str, titles: Sequence[str], region_wide: int, lang: Lang) -> str:
    labels = map_labels(lang)
    lines = [f"{name} ({code})", count_text(_PROJECTS, len(titles), lang=lang)]
    lines += [f"– {t}" for t in titles[:_TOOLTIP_TITLES]]
    if len(titles) > _TOOLTIP_TITLES:
        lines.append(_label(labels, "more", n=len(titles) - _TOOLTIP_TITLES))
    if region_wide:
        lines.append(_label(labels, "hover_region_wide", n=region_wide))
    return "\n".join(lines)


def _notes(counts: MunicipalityCounts, names: Mapping[str, str], lang: Lang) -> tuple[str, ...]:
    labels = map_labels(lang)
    notes = []
    white = counts.frame.loc[counts.frame["projects"] == 0, "code"]
    if len(white):
        notes.append(_label(labels, "white_spots", names=", ".join(sorted(names[c] for c in white)))
                     if len(white) <= _LISTED else count_text(_WHITE_SPOTS_MANY, len(white), lang=lang))
    wide = counts.region_wide_projects
    if not wide:
        notes.append(translator(lang).gettext("No projects cover a whole region or sub-region."))
    else:
        notes.append(count_text(_REGION_WIDE, len(wide), lang=lang))
        largest = sorted(counts.region_wide, key=lambda a: -len(a.projects))  # stable: kind, code
        for area in largest[:_LISTED]:
            kind = _label(labels, f"kind_{area.kind}")
            notes.append(_label(labels, "area_line", name=f"{area.name} ({kind})",
                                projects=count_text(_PROJECTS, len(area.projects), lang=lang)))
        if len(counts.region_wide) > _LISTED:
            notes.append(_label(labels, "more", n=len(counts.region_wide) - _LISTED))
    return tuple(notes)


def _layout(counts: MunicipalityCounts, *, title: str | None, height: float, lang: Lang) -> _Layout:
    labels = map_labels(lang)
    frame = counts.frame
    codes = list(frame["code"])
    names = _names(counts, lang)
    shapes = _read_shapes("municipalities_fi.geojson", codes)
    every = np.vstack([ring for rings in shapes.values() for ring in rings])
    (x0, y0), (x1, y1) = every.min(axis=0), every.max(axis=0)
    margin = 12.0
    scale = (height - 2 * margin) / (y1 - y0)
    map_width = (x1 - x0) * scale + 2 * margin

    def to_pixels(ring: Points) -> Points:
        return np.column_stack([(ring[:, 0] - x0) * scale + margin, (y1 - ring[:, 1]) * scale + margin])

    classes = _classes([int(v) for v in frame["projects"]])
    colours = _palette(len(classes))
    titles = counts.pairs.groupby("code")["title"].apply(list).to_dict()
    region_wide = len(counts.region_wide_projects)
    areas = []
    for code, projects in frame[["code", "projects"]].itertuples(index=False):
        name = names[code]
        n = int(projects)
        colour = _ZERO if n == 0 else next(c for (lo, hi), c in zip(classes, colours, strict=True) if lo <= n <= hi)
        rings = tuple(to_pixels(r) for r in shapes[code])
        x, y, room = _anchor(rings)
        label = None
        for size in (11.0, 9.0):
            width = 0.58 * size * len(name)
            if room >= size * 0.9 and _fits(x, y, width, 2.3 * size, rings):
                label = (x, y, size, True)
                break
            if room >= size * 0.5 and _fits(x, y, width, 1.1 * size, rings):
                label = (x, y, size, False)
                break
        areas.append(_Area(code=str(code), name=str(name), projects=n, colour=colour, rings=rings,
                           tooltip=_tooltip(str(name), str(code), titles.get(code, []), region_wide, lang),
                           label=label))
    borders: tuple[Points, ...] = ()
    if counts.region is None:
        regions = _read_shapes("regions_fi.geojson", sorted(_region_codes()))
        borders = tuple(to_pixels(r) for rings in regions.values() for r in rings)
    legend = ((_ZERO, _label(labels, "no_projects")),
              *((c, _range_text(lo, hi)) for (lo, hi), c in zip(classes, colours, strict=True)))
    if title is None:
        title = (_label(labels, "title_region", region=_region_name(counts, lang)) if counts.region is not None
                 else _label(labels, "title_finland"))
    shown = ", ".join(f"{labels.get(f'filter_{k}', k)} {v}" for k, v in counts.filters.items())
    subtitle = _label(labels, "filters", filters=shown) if counts.filters else _label(labels, "no_filters")
    return _Layout(width=map_width + _SIDE, height=height, map_width=map_width, title=title, subtitle=subtitle,
                   areas=tuple(areas), borders=borders, legend=legend, notes=_notes(counts, names, lang),
                   labels=labels, names=names)


@functools.cache
def _swedish_names(name: str) -> Mapping[str, str]:
    """``NATCODE`` → ``NAMESWE`` of the boundary file *name*: the names the build gives places (read once)."""
    from hyvinvointi_kg.assembly.places import load_swedish_names

    return MappingProxyType(load_swedish_names(resource_dir("data/reference") / "boundaries" / name))


def _names(counts: MunicipalityCounts, lang: Lang) -> dict[str, str]:
    """Code → the municipality's name in *lang*: Swedish from the boundaries (NLS), else Finnish."""
    finnish = dict(zip(counts.frame["code"], counts.frame["name"], strict=True))
    if lang != "sv":
        return finnish
    swedish = _swedish_names("municipalities_fi.geojson")
    return {code: swedish.get(code, name) for code, name in finnish.items()}


def _region_name(counts: MunicipalityCounts, lang: Lang) -> str | None:
    if lang == "sv" and counts.region is not None:
        return _swedish_names("regions_fi.geojson").get(counts.region, counts.region_name)
    return counts.region_name


def _region_codes() -> set[str]:
    from hyvinvointi_kg.analysis.municipalities import read_municipalities

    return {m.region_code for m in read_municipalities()}


@dataclass(frozen=True)
class _Text:
    x: float
    y: float  # baseline
    text: str
    size: float
    bold: bool = False
    colour: str = "#1b1b1b"
    role: str = ""


@dataclass(frozen=True)
class _Box:
    x: float
    y: float
    width: float
    height: float
    fill: str


def _side(layout: _Layout) -> tuple[list[_Text], list[_Box]]:
    """The texts and legend boxes of the panel right of the map, in pixels (shared by SVG and PNG)."""
    x = layout.map_width + 10
    y = 24.0
    texts: list[_Text] = []
    boxes: list[_Box] = []
    for line in textwrap.wrap(layout.title, 40):
        texts.append(_Text(x, y, line, 15, bold=True, role="title"))
        y += 19
    for line in textwrap.wrap(layout.subtitle, 55):
        texts.append(_Text(x, y, line, 12, colour="#555555", role="subtitle"))
        y += 16
    y += 10
    for line in textwrap.wrap(layout.labels["legend_title"], 50):
        texts.append(_Text(x, y, line, 12, bold=True))
        y += 16
    for fill, text in layout.legend:
        boxes.append(_Box(x, y - 11, 22, 14, fill))
        texts.append(_Text(x + 30, y, text, 12, role="legend"))
        y += 20
    attribution = textwrap.wrap(layout.labels["attribution"], 62)
    bottom = layout.height - 14 - 13 * len(attribution)
    for note in layout.notes:
        y += 6
        for line in textwrap.wrap(note, 55):
            if y > bottom:
                break
            texts.append(_Text(x, y, line, 12, role="note"))
            y += 15
    for i, line in enumerate(attribution):
        texts.append(_Text(x, layout.height - 10 - 13 * (len(attribution) - 1 - i), line, 10, colour="#444444",
                           role="attribution"))
    return texts, boxes


# SVG -----------------------------------------------------------------------------------------

def _path(rings: Sequence[Points]) -> str:
    parts = []
    for ring in rings:
        xy = " ".join(f"{x:.1f} {y:.1f}" for x, y in ring[:-1])
        parts.append(f"M{xy}Z")
    return "".join(parts)


def _svg(layout: _Layout) -> str:
    svg = ET.Element("svg", {
        "xmlns": "http://www.w3.org/2000/svg", "viewBox": f"0 0 {layout.width:.0f} {layout.height:.0f}",
        "width": f"{layout.width:.0f}", "height": f"{layout.height:.0f}", "role": "img",
        "font-family": _FONT, "class": "hk-map"})
    ET.SubElement(svg, "title").text = layout.title
    ET.SubElement(svg, "desc").text = " ".join([layout.subtitle, *layout.notes, layout.labels["attribution"]])
    defs = ET.SubElement(svg, "defs")
    pattern = ET.SubElement(defs, "pattern", {"id": "hk-white-spot", "patternUnits": "userSpaceOnUse",
                                              "width": "6", "height": "6", "patternTransform": "rotate(45)"})
    ET.SubElement(pattern, "rect", {"width": "6", "height": "6", "fill": "#ffffff"})
    ET.SubElement(pattern, "line", {"x1": "0", "y1": "0", "x2": "0", "y2": "6", "stroke": "#a0a0a0",
                                    "stroke-width": "1.3"})
    group = ET.SubElement(svg, "g", {"class": "hk-municipalities", "stroke": _BORDER, "stroke-width": "0.6",
                                     "stroke-linejoin": "round"})
    for area in layout.areas:
        path = ET.SubElement(group, "path", {
            "d": _path(area.rings), "fill": area.colour, "fill-rule": "evenodd",
            "class": "hk-municipality" + (" hk-white-spot" if area.projects == 0 else ""),
            "data-code": area.code, "data-projects": str(area.projects)})
        ET.SubElement(path, "title").text = area.tooltip
    if layout.borders:
        ET.SubElement(svg, "path", {"d": _path(layout.borders), "fill": "none", "stroke": "#222222",
                                    "stroke-width": "1.2", "class": "hk-regions", "pointer-events": "none"})
    labels = ET.SubElement(svg, "g", {"class": "hk-labels", "text-anchor": "middle", "pointer-events": "none"})
    for area in layout.areas:
        if area.label is None:
            continue
        x, y, size, with_count = area.label
        dark = area.colour in _DARK
        attributes = {"x": f"{x:.1f}", "y": f"{y - (0.15 * size if with_count else -0.35 * size):.1f}",
                      "font-size": f"{size:g}", "fill": "#ffffff" if dark else "#1b1b1b", "class": "hk-label"}
        if not dark:
            attributes.update({"stroke": "#ffffff", "stroke-width": "2.5", "paint-order": "stroke",
                               "stroke-opacity": "0.8"})
        text = ET.SubElement(labels, "text", attributes)
        text.text = area.name
        if with_count:
            count = ET.SubElement(text, "tspan", {"x": f"{x:.1f}", "dy": f"{1.1 * size:.1f}", "font-weight": "bold"})
            count.text = str(area.projects)
    side = ET.SubElement(svg, "g", {"class": "hk-side", "fill": "#1b1b1b"})
    texts, boxes = _side(layout)
    for box in boxes:
        ET.SubElement(side, "rect", {"x": f"{box.x:.0f}", "y": f"{box.y:.0f}", "width": f"{box.width:.0f}",
                                     "height": f"{box.height:.0f}", "fill": box.fill, "stroke": _BORDER,
                                     "stroke-width": "0.6", "class": "hk-legend-box"})
    for item in texts:
        attributes = {"x": f"{item.x:.0f}", "y": f"{item.y:.0f}", "font-size": f"{item.size:g}"}
        if item.bold:
            attributes["font-weight"] = "bold"
        if item.colour != "#1b1b1b":
            attributes["fill"] = item.colour
        if item.role:
            attributes["class"] = f"hk-{item.role}"
        ET.SubElement(side, "text", attributes).text = item.text
    return ET.tostring(svg, encoding="unicode")


# The map object ------------------------------------------------------------------------------

@dataclass(frozen=True, repr=False)
class MunicipalityMap:
    """A drawn choropleth of projects per municipality.

    ``svg`` is the whole map (legend, notes and attribution included) as one
    SVG document; ``counts`` what it shows. :meth:`to_html` gives one offline
    page; notebooks display the object inline; :func:`write_map` writes it.
    """

    svg: str
    counts: MunicipalityCounts
    title: str
    _layout: _Layout = field(compare=False)
    lang: Lang = "fi"

    def __repr__(self) -> str:
        region = self.counts.region_name or "Suomi"
        return f"MunicipalityMap({region!r}, {len(self.counts.frame)} municipalities, {len(self.svg) // 1024} KiB)"

    def to_html(self) -> str:
        """The map as one self-contained HTML page: inline SVG, a table, no script, nothing fetched.

        Its Content-Security-Policy forbids every request and every script; a
        municipality's details show on hover (the SVG's ``<title>``) and in the
        table below the map.

        Examples
        --------
        >>> from hyvinvointi_kg.stores.files import load_graph
        >>> page = municipality_map(load_graph()).to_html()
        >>> page.startswith("<!DOCTYPE html>"), "<script" in page, "Content-Security-Policy" in page
        (True, False, True)
        """
        import jinja2

        assets = _assets_dir()
        environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
        template = environment.from_string((assets / "map.html").read_text(encoding="utf-8"))
        titles = self.counts.pairs.groupby("code")["title"].apply(list).to_dict()
        names = self._layout.names
        rows = [{"name": names[code], "code": code, "projects": int(n), "titles": titles.get(code, [])}
                for code, n in self.counts.frame[["code", "projects"]].itertuples(index=False)]
        return template.render(
            lang=self.lang, labels=self._layout.labels, title=self.title, subtitle=self._layout.subtitle,
            svg=_markup(self.svg), rows=rows, css=(assets / "map.css").read_text(encoding="utf-8"),
            licence=_label(self._layout.labels, "licence", url=LICENCE_URL),
            csp="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'")

    def to_png(self, *, dpi: int = 150) -> bytes:
        """The map drawn by matplotlib as PNG bytes (the ``figures`` extra).

        Raises
        ------
        InputError
            If matplotlib is not installed.

        Examples
        --------
        >>> from hyvinvointi_kg.stores.files import load_graph
        >>> municipality_map(load_graph()).to_png()[:8]
        b'\\x89PNG\\r\\n\\x1a\\n'
        """
        return _png(self._layout, dpi=dpi)

    def _repr_svg_(self) -> str:
        return self.svg

    def _repr_html_(self) -> str:
        return f'<div class="hk-map-output" style="overflow:auto">{self.svg}</div>'


def _assets_dir() -> Path:
    from importlib import resources

    return Path(str(resources.files("hyvinvointi_kg.views") / "map_assets"))


def _markup(text: str) -> Any:
    import markupsafe

    return markupsafe.Markup(text)  # built by ElementTree, which escapes every text


def municipality_map(
    source: Graph | MunicipalityCounts,
    *,
    region: str | None = LAPLAND,
    theme: URIRef | str | None = None,
    target_group: URIRef | str | None = None,
    funder: URIRef | str | None = None,
    period: tuple[date, date] | str | None = None,
    title: str | None = None,
    height: int = 640,
    lang: Lang | None = None,
) -> MunicipalityMap:
    """Draw the projects per municipality as a choropleth map.

    Municipalities are coloured in up to five classes of a sequential blue
    scale; a municipality with no project is a white spot (white, hatched
    grey, its own legend entry). Projects that cover a region or sub-region as
    a whole are stated beside the map, not painted on every municipality. A
    name (and count) is written where it fits; every municipality shows its
    name, count and project titles on hover.

    Parameters
    ----------
    source
        The graph (counted with :func:`municipality_counts` and the filters
        below) or counts made before.
    region, theme, target_group, funder, period
        As for :func:`municipality_counts`; only with a graph.
    title
        The map's title (default: "Hankkeet kunnittain: <region>").
    height
        The height of the map in pixels; the width follows the region's shape.
    lang
        The language of its texts (default: :func:`hyvinvointi_kg.i18n.default_lang`); in
        Swedish the municipalities and regions bear the National Land Survey's Swedish names.

    Raises
    ------
    InputError
        If a filter is given with counts, or as :func:`municipality_counts` raises.

    Examples
    --------
    >>> from hyvinvointi_kg.stores.files import load_graph
    >>> m = municipality_map(load_graph(), theme="turvallisuus", lang="fi")
    >>> m.title, m.svg.count('class="hk-municipality'), m.svg.count('data-projects="0"')
    ('Hankkeet kunnittain: Lappi', 21, 3)
    >>> "Kuntarajat: © Maanmittauslaitos" in m.svg
    True
    >>> municipality_map(load_graph(), lang="sv").title
    'Projekt per kommun: Lappland'

    """
    if isinstance(source, MunicipalityCounts):
        given = {"theme": theme, "target_group": target_group, "funder": funder, "period": period}
        extra = [name for name, value in given.items() if value is not None]
        if region not in (LAPLAND, source.region):
            extra.append("region")
        if extra:
            raise InputError(f"municipality_map: {', '.join(extra)} cannot be applied to counts already made; "
                             "pass the graph instead")
        counts = source
    else:
        counts = municipality_counts(source, region=region, theme=theme, target_group=target_group,
                                     funder=funder, period=period)
    if height < 200:
        raise InputError(f"municipality_map: a height of {height} pixels is too small (200 or more)")
    lang = default_lang() if lang is None else check_lang(lang)
    layout = _layout(counts, title=title, height=float(height), lang=lang)
    return MunicipalityMap(svg=_svg(layout), counts=counts, title=layout.title, _layout=layout, lang=lang)


# PNG -----------------------------------------------------------------------------------------

def _png(layout: _Layout, *, dpi: int) -> bytes:
    try:
        from matplotlib.figure import Figure
        from matplotlib.patches import PathPatch, Rectangle
        from matplotlib.path import Path as MplPath
    except ImportError as err:
        raise InputError("a PNG map needs matplotlib: pip install 'hyvinvointi_kg[figures]'") from err
    import io

    fig = Figure(figsize=(layout.width / _INCH, layout.height / _INCH), dpi=dpi)
    ax = fig.add_axes((0.0, 0.0, layout.map_width / layout.width, 1.0))
    ax.set_xlim(0, layout.map_width)
    ax.set_ylim(layout.height, 0)
    ax.set_aspect("equal")
    ax.set_axis_off()
    for area in layout.areas:
        vertices = np.vstack([np.vstack([r[:-1], r[:1]]) for r in area.rings])
        codes = np.concatenate([[MplPath.MOVETO, *[MplPath.LINETO] * (len(r) - 2), MplPath.CLOSEPOLY]
                                for r in area.rings])
        zero = area.projects == 0
        ax.add_patch(PathPatch(MplPath(vertices, codes), facecolor="#ffffff" if zero else area.colour,
                               edgecolor="#a0a0a0" if zero else _BORDER, hatch="////" if zero else None,
                               linewidth=0.5))
        if zero:  # the hatch takes the edge colour: draw the border again on top
            ax.add_patch(PathPatch(MplPath(vertices, codes), fill=False, edgecolor=_BORDER, linewidth=0.5))
    for ring in layout.borders:
        ax.plot(ring[:, 0], ring[:, 1], color="#222222", linewidth=0.9)
    for area in layout.areas:
        if area.label is None:
            continue
        x, y, size, with_count = area.label
        text = f"{area.name}\n{area.projects}" if with_count else area.name
        ax.text(x, y, text, ha="center", va="center", fontsize=size * _POINTS,
                color="#ffffff" if area.colour in _DARK else "#1b1b1b", linespacing=1.0)
    panel = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    panel.set_xlim(0, layout.width)
    panel.set_ylim(layout.height, 0)
    panel.set_axis_off()
    texts, boxes = _side(layout)
    for box in boxes:
        zero = box.fill == _ZERO
        panel.add_patch(Rectangle((box.x, box.y), box.width, box.height, facecolor="#ffffff" if zero else box.fill,
                                  hatch="////" if zero else None, edgecolor=_BORDER, linewidth=0.5))
    for item in texts:
        panel.text(item.x, item.y, item.text, fontsize=item.size * _POINTS, color=item.colour, va="baseline",
                   fontweight="bold" if item.bold else "normal")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


# Files ---------------------------------------------------------------------------------------

_SUFFIXES = (".html", ".svg", ".png")


def write_map(municipality_map: MunicipalityMap, path: Path) -> Path:
    """Write *municipality_map* to *path* atomically: ``.html`` (one offline page), ``.svg`` or ``.png``.

    Raises
    ------
    InputError
        If the suffix is not one of those, the folder does not exist, or a PNG
        is asked for without matplotlib.

    Examples
    --------
    >>> import tempfile
    >>> from hyvinvointi_kg.stores.files import load_graph
    >>> m = municipality_map(load_graph())
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     [write_map(m, Path(folder) / f"lappi{s}").stat().st_size > 20_000 for s in (".html", ".svg")]
    [True, True]
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in _SUFFIXES:
        raise InputError(f"cannot write the map to {path}: the suffix must be one of {', '.join(_SUFFIXES)}")
    if not path.parent.is_dir():
        raise InputError(f"cannot write {path}: the folder {path.parent} does not exist")
    if suffix == ".png":
        write_bytes(municipality_map.to_png(), path)
    elif suffix == ".svg":
        write_text('<?xml version="1.0" encoding="UTF-8"?>\n' + municipality_map.svg + "\n", path)
    else:
        write_text(municipality_map.to_html(), path)
    return path
