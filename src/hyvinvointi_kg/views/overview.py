"""A one-page, self-contained HTML overview of the welfare-project landscape in the graph.

Key figures, projects by municipality, theme, funder and year, the most connected
organisations, the strongest overlaps and the collaboration network, in one file
that opens offline. Every text from the data is escaped; the only scripts are the
network view's (vis-network inlined, allowed by hash in the page's
Content-Security-Policy).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

from rdflib import Graph

from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.stores.files import write_text

__all__ = ["Overview", "overview", "overview_html", "write_overview"]

_SEP = " | "
LAPLAND_REGION_CODE = "19"


@dataclass(frozen=True)
class Overview:
    """The figures of the overview page (also useful on their own in a notebook).

    Each ``by_*`` field is a tuple of ``(label, count)`` pairs, largest first
    (``by_year`` in year order: projects active in each year).
    """

    projects: int
    organisations: int
    municipalities_reached: int
    lapland_municipalities: int
    funders: int
    sources: int
    overlap_pairs: int
    by_municipality: tuple[tuple[str, int], ...]
    by_theme: tuple[tuple[str, int], ...]
    by_target_group: tuple[tuple[str, int], ...]
    by_funder: tuple[tuple[str, int], ...]
    by_year: tuple[tuple[str, int], ...]
    undated: int
    top_organisations: tuple[tuple[str, str, int, int, float], ...]
    """(name, kind, projects, partners, betweenness) of the most central organisations."""
    top_overlaps: tuple[tuple[float, str, str, str, int], ...]
    """(score, project a, project b, shared municipalities, overlapping days)."""


def _split(value: object) -> list[str]:
    if not isinstance(value, str) or not value:
        return []
    return [v for v in value.split(_SEP) if v]


def overview(graph: Graph, *, top: int = 10) -> Overview:
    """Compute the figures of the overview page from *graph*.

    Examples
    --------
    >>> from hyvinvointi_kg.stores.files import load_graph
    >>> o = overview(load_graph())
    >>> o.projects, o.lapland_municipalities
    (227, 21)
    >>> o.by_theme[0][0]
    'sosiaalinen osallisuus'
    """
    from hyvinvointi_kg.analysis.networks import network_metrics, to_networkx
    from hyvinvointi_kg.analysis.overlaps import find_overlaps
    from hyvinvointi_kg.analysis.summary import summarise
    from hyvinvointi_kg.analysis.tables import projects_table
    from hyvinvointi_kg.query import run_query

    rows = projects_table(graph).records()
    municipalities: Counter[str] = Counter()
    themes: Counter[str] = Counter()
    groups: Counter[str] = Counter()
    funders: Counter[str] = Counter()
    years: Counter[int] = Counter()
    undated = 0
    for row in rows:
        municipalities.update(set(_split(row["municipalities"])))
        themes.update(set(_split(row["themes"])))
        groups.update(set(_split(row["target_groups"])))
        funders.update(set(_split(row["funders"])))
        start, end = row["start"], row["end"]
        if isinstance(start, date) and isinstance(end, date):
            years.update(range(start.year, end.year + 1))
        else:
            undated += 1
    lapland = run_query(graph, "white-spots").records()
    lapland_names = {str(r["municipality_label"]) for r in lapland}
    G = to_networkx(graph, "co-implementation")
    metrics = network_metrics(G).nodes.sort_values(["betweenness", "weighted_degree"],
                                                   ascending=False)
    top_orgs = tuple(
        (str(r["label"]), str(r["kind"]), int(G.nodes[node]["projects"]), int(r["degree"]),
         float(r["betweenness"]))
        for node, r in metrics.head(top).iterrows())
    pairs = find_overlaps(graph)
    summary = summarise(graph)
    return Overview(
        projects=summary.projects,
        organisations=summary.organisations,
        municipalities_reached=len(municipalities),
        lapland_municipalities=len(lapland_names),
        funders=len(funders),
        sources=summary.sources,
        overlap_pairs=len(pairs),
        by_municipality=tuple(sorted(((m, municipalities.get(m, 0)) for m in lapland_names),
                                     key=lambda kv: (-kv[1], kv[0]))),
        by_theme=tuple(sorted(themes.items(), key=lambda kv: (-kv[1], kv[0]))),
        by_target_group=tuple(sorted(groups.items(), key=lambda kv: (-kv[1], kv[0]))),
        by_funder=tuple(sorted(funders.items(), key=lambda kv: (-kv[1], kv[0])))[:top],
        by_year=tuple((str(y), years[y]) for y in range(min(years), max(years) + 1)) if years else (),
        undated=undated,
        top_organisations=top_orgs,
        top_overlaps=tuple((o.score, o.name_a, o.name_b, _SEP.join(o.shared_municipalities),
                            o.overlap_days) for o in pairs[:top]),
    )


def overview_html(graph: Graph, *, top: int = 10, title: str | None = None) -> str:
    """The overview page of *graph* as one self-contained HTML document.

    Examples
    --------
    >>> from hyvinvointi_kg.stores.files import load_graph
    >>> page = overview_html(load_graph())
    >>> page.startswith("<!DOCTYPE html>"), "https://" in page.split("<iframe")[0]
    (True, False)
    """
    from hyvinvointi_kg.analysis.networks import network_metrics, to_networkx
    from hyvinvointi_kg.views.html import html_document
    from hyvinvointi_kg.views.inline import page_assets
    from hyvinvointi_kg.views.options import ViewOptions
    from hyvinvointi_kg.views.pages import render_page

    o = overview(graph, top=top)
    G = to_networkx(graph, "co-implementation")
    network = html_document(G, metrics=network_metrics(G),
                            options=ViewOptions(size_by="betweenness", title="Who implements projects with whom"))
    # The embedded view runs in a srcdoc frame, which inherits this page's policy: allow
    # exactly its scripts (by the hashes of the same texts it inlines) and nothing from the network.
    csp = (f"default-src 'none'; script-src {page_assets().script_sources}; style-src 'unsafe-inline'; "
           "img-src data:; frame-src 'self' about:; base-uri 'none'; form-action 'none'")
    figures = [
        (o.projects, "projects"), (o.organisations, "organisations"),
        (o.municipalities_reached, "municipalities named as target areas"),
        (o.funders, "funders"), (o.overlap_pairs, "overlapping project pairs"),
        (o.sources, "source documents"),
    ]
    css = (resources.files("hyvinvointi_kg.views") / "assets" / "overview.css").read_text(encoding="utf-8")
    return render_page("overview.html", o=o, csp=csp, css=css, figures=figures, network=network,
                       heading=title or "Welfare, inclusion and safety projects in Finnish Lapland",
                       white=[name for name, n in o.by_municipality if n == 0])


def write_overview(graph: Graph, path: Path, *, top: int = 10, title: str | None = None) -> Path:
    """Write :func:`overview_html` to *path* atomically.

    Raises
    ------
    InputError
        If the folder of *path* does not exist.

    Examples
    --------
    >>> import tempfile
    >>> from hyvinvointi_kg.stores.files import load_graph
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     page = write_overview(load_graph(), Path(folder) / "overview.html")
    ...     page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    True
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise InputError(f"cannot write {path}: the folder {path.parent} does not exist")
    write_text(overview_html(graph, top=top, title=title), path)
    return path
