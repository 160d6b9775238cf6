"""A one-page, self-contained HTML overview of the welfare-project landscape in the graph.

Key figures, projects by municipality, theme, funder and year, the most connected
organisations, the strongest overlaps and the collaboration network, in one file
that opens offline. Every text from the data is escaped; the only scripts are the
network view's (vis-network inlined, allowed by hash in the page's
Content-Security-Policy).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
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


_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1b1b1b;
background:#fafafa}
main{max-width:1180px;margin:0 auto;padding:1.2rem 1.5rem 3rem}
h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.15rem;margin:1.6rem 0 .5rem;border-bottom:1px solid #ddd}
.sub{color:#555;margin:0 0 1rem}
.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(150px,1fr));gap:.6rem}
.figure{background:#fff;border:1px solid #ddd;border-radius:6px;padding:.6rem .8rem}
.figure b{display:block;font-size:1.6rem}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(340px,1fr));gap:0 2rem}
table{border-collapse:collapse;width:100%;background:#fff}
td,th{padding:.2rem .4rem;border-bottom:1px solid #eee;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.bar{display:inline-block;height:.8rem;background:#0072b2;border-radius:2px;vertical-align:middle}
td.barcell{width:45%}
iframe{width:100%;height:760px;border:1px solid #ddd;border-radius:6px;background:#fff}
footer{color:#666;font-size:.85rem;margin-top:2rem}
"""


def _bars(rows: tuple[tuple[str, int], ...], *, label: str, count: str) -> str:
    esc = html.escape
    if not rows:
        return "<p>No data.</p>"
    peak = max(c for _, c in rows) or 1
    body = "".join(
        f'<tr><td>{esc(name)}</td><td class="n">{n}</td><td class="barcell">'
        f'<span class="bar" style="width:{100 * n / peak:.1f}%"></span></td></tr>'
        for name, n in rows)
    return (f'<table><thead><tr><th>{esc(label)}</th><th class="n">{esc(count)}</th><th></th></tr>'
            f"</thead><tbody>{body}</tbody></table>")


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

    o = overview(graph, top=top)
    esc = html.escape
    heading = title or "Welfare, inclusion and safety projects in Finnish Lapland"
    G = to_networkx(graph, "co-implementation")
    network = html_document(G, metrics=network_metrics(G), size_by="betweenness",
                            title="Who implements projects with whom")
    # The embedded view runs in a srcdoc frame, which inherits this page's policy: allow
    # exactly its scripts (by hash) and nothing from the network.
    inner = re.search(r"script-src ([^;]*);", network)
    scripts = inner.group(1) if inner else "'none'"
    csp = (f"default-src 'none'; script-src {scripts}; style-src 'unsafe-inline'; img-src data:; "
           "frame-src 'self' about:; base-uri 'none'; form-action 'none'")
    figures = [
        (o.projects, "projects"), (o.organisations, "organisations"),
        (o.municipalities_reached, "municipalities named as target areas"),
        (o.funders, "funders"), (o.overlap_pairs, "overlapping project pairs"),
        (o.sources, "source documents"),
    ]
    figure_html = "".join(f'<div class="figure"><b>{n}</b>{esc(text)}</div>' for n, text in figures)
    org_rows = "".join(
        f'<tr><td>{esc(name)}</td><td>{esc(kind)}</td><td class="n">{projects}</td>'
        f'<td class="n">{partners}</td><td class="n">{between:.3f}</td></tr>'
        for name, kind, projects, partners, between in o.top_organisations)
    overlap_rows = "".join(
        f'<tr><td class="n">{score:.2f}</td><td>{esc(a)}</td><td>{esc(b)}</td><td>{esc(places)}</td>'
        f'<td class="n">{days}</td></tr>' for score, a, b, places, days in o.top_overlaps)
    lapland = tuple(o.by_municipality)
    white = [name for name, n in lapland if n == 0]
    parts = [
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n',
        f"<title>{esc(heading)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n",
        f"<h1>{esc(heading)}</h1>\n",
        '<p class="sub">Built from the project catalogue, register descriptions, a summary card and '
        "a news release; every fact in the graph keeps its source and line range. "
        "Counts are of distinct projects (a project listed in several catalogue sections counts once).</p>\n",
        f'<section class="figures">{figure_html}</section>\n',
        '<div class="grid"><section>',
        f"<h2>Projects by municipality of Lapland ({o.lapland_municipalities})</h2>",
        "<p>Projects that name the municipality as a target area (region-wide projects not counted).",
        f" No project names: {esc(', '.join(white))}.</p>" if white else "</p>",
        _bars(lapland, label="municipality", count="projects"),
        "</section><section>",
        "<h2>Projects active per year</h2>",
        _bars(o.by_year, label="year", count="projects"),
        f"<p>{o.undated} projects state no complete period and are not counted here.</p>"
        if o.undated else "",
        "<h2>Projects by theme</h2>", _bars(o.by_theme, label="theme", count="projects"),
        "<h2>Projects by target group</h2>", _bars(o.by_target_group, label="target group",
                                                  count="projects"),
        f"<h2>Top {len(o.by_funder)} funders</h2>", _bars(o.by_funder, label="funder", count="projects"),
        "</section></div>\n",
        "<h2>The collaboration network</h2>",
        "<p>Organisations that implement a project together are linked; node size is betweenness "
        "(brokers are large), colour the kind of organisation. Search, click and hover in the view.</p>",
        f'<iframe title="Collaboration network" sandbox="allow-scripts" srcdoc="{esc(network, quote=True)}">'
        "</iframe>\n",
        f"<h2>Most central organisations (top {len(o.top_organisations)} by betweenness)</h2>",
        '<table><thead><tr><th>organisation</th><th>kind</th><th class="n">projects</th>'
        f'<th class="n">partners</th><th class="n">betweenness</th></tr></thead><tbody>{org_rows}'
        "</tbody></table>\n",
        f"<h2>Strongest overlaps (top {len(o.top_overlaps)} of {o.overlap_pairs})</h2>",
        "<p>Pairs of projects sharing municipalities and a theme or target group in overlapping "
        "periods, scored by text similarity, shared places, shared topics and shared time.</p>",
        '<table><thead><tr><th class="n">score</th><th>project</th><th>project</th>'
        f'<th>shared municipalities</th><th class="n">days</th></tr></thead><tbody>{overlap_rows}'
        "</tbody></table>\n",
        "<footer>Made with hyvinvointi-kg (<code>hyvinvointi-kg report overview</code>). "
        "Sources: see <code>hyvinvointi-kg query project-sources</code>.</footer>\n",
        "</main>\n</body>\n</html>\n",
    ]
    return "".join(parts)


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
