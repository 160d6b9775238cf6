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
from typing import Any

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.term import Node

from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.i18n import Lang, Nn_, default_lang, format_number, label, translator
from hyvinvointi_kg.namespaces import HK
from hyvinvointi_kg.stores.files import write_text

__all__ = ["Overview", "active_years", "overview", "overview_html", "write_overview"]

_SEP = " | "
LAPLAND_REGION_CODE = "19"


@dataclass(frozen=True)
class Overview:
    """The figures of the overview page (also useful on their own in a notebook).

    Each ``by_*`` field is a tuple of ``(label, count)`` pairs, largest first
    (``by_year`` in year order), labels in the overview's language. Every chart counts
    distinct projects, as the named query beside it does:

    ``by_municipality``
        Projects that name the municipality of Lapland as a target area (query ``white-spots``).
    ``by_year``
        Projects active in each year by the graph's dates ``hk:startDate``–``hk:endDate``
        (a period known only to the year runs the whole year; query ``projects-per-year``
        counts the same way, per theme); ``undated`` projects lack one of the two.
    ``by_theme``, ``by_target_group``, ``by_funder``
        Projects with the theme, the (direct) target group, a funding record of the funder.
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


def active_years(graph: Graph) -> dict[URIRef, range]:
    """The calendar years each dated project runs: from the year of ``hk:startDate`` to that of ``hk:endDate``.

    A project without both dates is left out (the rule of the ``projects-per-year`` query).

    Examples
    --------
    >>> g = Graph().parse(format="turtle", data='''
    ...     @prefix hk: <https://w3id.org/hyvinvointi-kg/ontology#> .
    ...     @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
    ...     <urn:x:p> a hk:Project ; hk:startDate "2018-03-01"^^xsd:date ; hk:endDate "2020-12-31"^^xsd:date .
    ...     <urn:x:q> a hk:Project ; hk:startDate "2019-01-01"^^xsd:date .''')
    >>> {str(p): list(years) for p, years in active_years(g).items()}
    {'urn:x:p': [2018, 2019, 2020]}
    """
    years = {}
    for project in graph.subjects(RDF.type, HK.Project):
        start, end = graph.value(project, HK.startDate), graph.value(project, HK.endDate)
        first, last = (x.toPython() if isinstance(x, Literal) else None for x in (start, end))
        if isinstance(first, date) and isinstance(last, date) and isinstance(project, URIRef):
            years[project] = range(first.year, last.year + 1)
    return years


def _ranked(counts: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def overview(graph: Graph, *, top: int = 10, lang: Lang | None = None) -> Overview:
    """Compute the figures of the overview page from *graph*, labels in *lang* (default: :func:`default_lang`).

    Examples
    --------
    >>> from hyvinvointi_kg.stores.files import load_graph
    >>> o = overview(load_graph(), lang="fi")
    >>> o.projects, o.lapland_municipalities
    (227, 21)
    >>> o.by_theme[0][0]
    'sosiaalinen osallisuus'
    """
    from hyvinvointi_kg.analysis.networks import network_metrics, to_networkx
    from hyvinvointi_kg.analysis.overlaps import find_overlaps
    from hyvinvointi_kg.analysis.summary import summarise
    from hyvinvointi_kg.query import run_query

    lang = default_lang() if lang is None else lang
    names: dict[Node, str] = {}

    def name(node: Node) -> str:
        if node not in names:
            names[node] = label(graph, node, lang=lang)
        return names[node]

    municipalities: Counter[Node] = Counter()
    themes: Counter[str] = Counter()
    groups: Counter[str] = Counter()
    funders: Counter[str] = Counter()
    for project in set(graph.subjects(RDF.type, HK.Project)):
        municipalities.update({a for a in graph.objects(project, HK.targetArea)
                               if (a, RDF.type, HK.Municipality) in graph})
        themes.update({name(t) for t in graph.objects(project, HK.theme)})
        groups.update({name(t) for t in graph.objects(project, HK.targetGroup)})
        funders.update({name(f) for funding in graph.objects(project, HK.hasFunding)
                        for f in graph.objects(funding, HK.funder)})
    dated = active_years(graph)
    years: Counter[int] = Counter(y for span in dated.values() for y in span)
    lapland = [URIRef(str(r["municipality"])) for r in run_query(graph, "white-spots").records()]
    G = to_networkx(graph, "co-implementation")
    metrics = network_metrics(G).nodes.sort_values(["betweenness", "weighted_degree"],
                                                   ascending=False)
    top_orgs = tuple(
        (str(r["label"]), _kind_name(str(r["kind"]), lang), int(G.nodes[node]["projects"]), int(r["degree"]),
         float(r["betweenness"]))
        for node, r in metrics.head(top).iterrows())
    pairs = find_overlaps(graph)
    summary = summarise(graph)
    return Overview(
        projects=summary.projects,
        organisations=summary.organisations,
        municipalities_reached=len(municipalities),
        lapland_municipalities=len(lapland),
        funders=len(funders),
        sources=summary.sources,
        overlap_pairs=len(pairs),
        by_municipality=_ranked(Counter({name(m): municipalities.get(m, 0) for m in lapland})),
        by_theme=_ranked(themes),
        by_target_group=_ranked(groups),
        by_funder=_ranked(funders)[:top],
        by_year=tuple((str(y), years[y]) for y in range(min(years), max(years) + 1)) if years else (),
        undated=summary.projects - len(dated),
        top_organisations=top_orgs,
        top_overlaps=tuple((o.score, o.name_a, o.name_b, _SEP.join(o.shared_municipalities),
                            o.overlap_days) for o in pairs[:top]),
    )


def _kind_name(kind: str, lang: Lang) -> str:
    from hyvinvointi_kg.views.tooltips import KIND_NAMES

    return translator(lang).gettext(KIND_NAMES[kind]) if kind in KIND_NAMES else kind


def overview_html(graph: Graph, *, top: int = 10, title: str | None = None, lang: Lang | None = None) -> str:
    """The overview page of *graph* as one self-contained HTML document in *lang* (default: :func:`default_lang`).

    Examples
    --------
    >>> from hyvinvointi_kg.stores.files import load_graph
    >>> page = overview_html(load_graph(), lang="sv")
    >>> page.startswith("<!DOCTYPE html>"), "https://" in page.split("<iframe")[0], '<html lang="sv">' in page
    (True, False, True)
    """
    from hyvinvointi_kg.analysis.networks import network_metrics, to_networkx
    from hyvinvointi_kg.views.html import html_document
    from hyvinvointi_kg.views.inline import page_assets
    from hyvinvointi_kg.views.options import ViewOptions
    from hyvinvointi_kg.views.pages import render_page

    lang = default_lang() if lang is None else lang
    t = translator(lang)
    o = overview(graph, top=top, lang=lang)
    G = to_networkx(graph, "co-implementation")
    options = ViewOptions(size_by="betweenness", title=t.gettext("Who implements projects with whom"), lang=lang)
    network = html_document(G, metrics=network_metrics(G), options=options)
    # The embedded view runs in a srcdoc frame, which inherits this page's policy: allow
    # exactly its scripts (by the hashes of the same texts it inlines) and nothing from the network.
    csp = (f"default-src 'none'; script-src {page_assets().script_sources}; style-src 'unsafe-inline'; "
           "img-src data:; frame-src 'self' about:; base-uri 'none'; form-action 'none'")
    figures = [  # the number in bold, then the rest of the text
        (o.projects, Nn_("{n} project", "{n} projects")),
        (o.organisations, Nn_("{n} organisation", "{n} organisations")),
        (o.municipalities_reached, Nn_("{n} municipality named as a target area",
                                       "{n} municipalities named as target areas")),
        (o.funders, Nn_("{n} funder", "{n} funders")),
        (o.overlap_pairs, Nn_("{n} overlapping project pair", "{n} overlapping project pairs")),
        (o.sources, Nn_("{n} source document", "{n} source documents")),
    ]
    css = (resources.files("hyvinvointi_kg.views") / "assets" / "overview.css").read_text(encoding="utf-8")
    return render_page("overview.html", lang=lang, o=o, csp=csp, css=css,
                       figures=[(format_number(n, lang), t.ngettext(*forms, n).format(n="").strip())
                                for n, forms in figures],
                       network=network, n=lambda value: format_number(value, lang),
                       decimals=lambda value, digits: format_number(value, lang, digits=digits, fixed=True),
                       markup=_markup,
                       heading=title or t.gettext("Welfare, inclusion and safety projects in Finnish Lapland"),
                       white=[name for name, n in o.by_municipality if n == 0])


def _markup(text: str) -> Any:
    """A fixed piece of markup written into a translated sentence (never text from the data)."""
    import markupsafe

    return markupsafe.Markup(text)


def write_overview(graph: Graph, path: Path, *, top: int = 10, title: str | None = None,
                   lang: Lang | None = None) -> Path:
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
    ...     page = write_overview(load_graph(), Path(folder) / "overview.html", lang="fi")
    ...     page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    True
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise InputError(f"cannot write {path}: the folder {path.parent} does not exist")
    write_text(overview_html(graph, top=top, title=title, lang=lang), path)
    return path
