"""A one-page, self-contained HTML overview of the welfare-project landscape in the graph.

Key figures, projects by municipality, theme, funder and year, the most connected
organisations, the strongest overlaps, the collaboration network, who is funded
elsewhere too and (given a previous build) what changed, in one file that opens offline.
Every text from the data is escaped; the only scripts are the network view's
(vis-network inlined, allowed by hash in the page's Content-Security-Policy).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node

from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.i18n import Lang, Nn_, default_lang, format_date, format_number, label, translator
from hyvinvointi_kg.namespaces import HK
from hyvinvointi_kg.stores.files import write_text

if TYPE_CHECKING:
    import pandas

__all__ = ["FundedElsewhereSection", "Overview", "SeveralFunders", "SharedImplementer", "active_years",
           "funded_elsewhere_section", "overview", "overview_html", "write_overview"]

_SEP = " | "
LAPLAND_REGION_CODE = "19"
_DIFF_ROWS = 200  # changed facts shown; hyvinvointi-kg diff lists them all


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


@dataclass(frozen=True)
class SeveralFunders:
    """An organisation that implements projects funded through several funders (a row of the section).

    ``sources`` are the source lines (``file:first-last``) that state the projects' funders.
    """

    organisation: str
    funders: tuple[str, ...]
    projects: int
    sources: tuple[str, ...]

    @property
    def sources_by_file(self) -> tuple[str, ...]:
        """The source lines as one text per file (``file: 47-50, 580-583``), lines in order."""
        return _by_file(self.sources)


@dataclass(frozen=True)
class SharedImplementer:
    """Two overlapping projects of one implementer with different funders (a row of the section).

    ``funder_a`` funds ``project_a``, ``funder_b`` funds ``project_b``; ``days`` is the length of
    the overlap; ``sources_a`` and ``sources_b`` are the source lines (``file:first-last``) that
    state each project's implementer, funder, start and end.
    """

    project_a: str
    project_b: str
    organisation: str
    role_a: str
    role_b: str
    overlap: str
    days: int
    funder_a: str
    funder_b: str
    sources_a: tuple[str, ...]
    sources_b: tuple[str, ...]

    @property
    def sources_by_file(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The source lines of each project as one text per file, lines in order."""
        return _by_file(self.sources_a), _by_file(self.sources_b)


@dataclass(frozen=True)
class FundedElsewhereSection:
    """The overview's "Funded elsewhere?" section: the first rows of the two queries and their row counts.

    ``organisations`` is in the order of ``organisations-with-several-funders`` (most funders
    first); ``pairs`` are the rows of ``shared-implementer-different-funders`` with the longest
    overlap (ties in the query's order). Names and dates are in the section's language.
    """

    organisations: tuple[SeveralFunders, ...]
    organisations_total: int
    pairs: tuple[SharedImplementer, ...]
    pairs_total: int


def funded_elsewhere_section(graph: Graph, *, top: int = 10, lang: Lang | None = None) -> FundedElsewhereSection:
    """The "Funded elsewhere?" section of the overview: *top* rows of each query, names in *lang*.

    Runs :func:`~hyvinvointi_kg.analysis.funded_elsewhere.funded_elsewhere` on Oxigraph (an
    in-memory copy of a graph held in rdflib's memory). Organisations, projects and funders
    are named in *lang* where the graph has a name in it (else in Finnish).

    Examples
    --------
    >>> from hyvinvointi_kg.stores.files import load_graph
    >>> section = funded_elsewhere_section(load_graph(), top=3, lang="en")
    >>> section.organisations_total, section.pairs_total
    (37, 2544)
    >>> section.organisations[0].organisation, section.organisations[0].funders[:2]
    ('Lapin yliopisto', ('European Agricultural Fund for Rural Development', 'European Commission'))
    """
    from hyvinvointi_kg.analysis.funded_elsewhere import funded_elsewhere

    lang = default_lang() if lang is None else lang
    t = translator(lang)
    found = funded_elsewhere(_on_oxigraph(graph))
    funder = _funder_names(graph, lang)
    names: dict[str, str] = {}

    def name(iri: str) -> str:
        if iri not in names:
            names[iri] = label(graph, URIRef(iri), lang=lang)
        return names[iri]

    roles = {"lead": t.pgettext("role", "lead"), "partner": t.pgettext("role", "partner")}
    organisations = tuple(
        SeveralFunders(organisation=name(r.organisation),
                       funders=tuple(sorted({funder(f) for f in _items(r.funders)}, key=str.casefold)),
                       projects=int(r.project_count), sources=_items(r.sources))
        for r in found.organisations.head(top).itertuples())
    pairs = _longest_overlaps(found.pairs).head(top)
    return FundedElsewhereSection(
        organisations=organisations,
        organisations_total=len(found.organisations),
        pairs=tuple(SharedImplementer(
            project_a=name(r.project_a), project_b=name(r.project_b), organisation=name(r.organisation),
            role_a=roles.get(r.role_a, r.role_a), role_b=roles.get(r.role_b, r.role_b),
            overlap=f"{format_date(r.overlap_start, lang)} – {format_date(r.overlap_end, lang)}", days=int(r.days),
            funder_a=funder(r.funder_a), funder_b=funder(r.funder_b),
            sources_a=_items(r.sources_a), sources_b=_items(r.sources_b)) for r in pairs.itertuples()),
        pairs_total=len(found.pairs),
    )


def _items(cell: object) -> tuple[str, ...]:
    """A `` | ``-joined cell of the queries as its items."""
    return tuple(cell.split(_SEP)) if isinstance(cell, str) and cell else ()


def _by_file(sources: tuple[str, ...]) -> tuple[str, ...]:
    """Source lines (``file:first-last``) as one text per file, lines in order: ``file: 47-50, 580-583``."""
    lines: dict[str, list[tuple[int, str]]] = {}
    for source in sources:
        file, _, span = source.rpartition(":")
        first = span.partition("-")[0]
        if file and first.isdigit():
            lines.setdefault(file, []).append((int(first), span))
        else:
            lines.setdefault(source, [])
    return tuple(f"{file}: {', '.join(_span(span) for _, span in sorted(spans))}" if spans else file
                 for file, spans in sorted(lines.items()))


def _span(span: str) -> str:
    """``5549-5549`` as ``5549``, other ranges as they are."""
    first, _, last = span.partition("-")
    return first if first == last else span


def _longest_overlaps(pairs: pandas.DataFrame) -> pandas.DataFrame:
    """The pairs with a column ``days`` (length of the overlap), longest first, ties in the query's order."""
    days = [(end - start).days + 1 for start, end in zip(pairs["overlap_start"], pairs["overlap_end"], strict=True)]
    return pairs.assign(days=days).sort_values("days", ascending=False, kind="stable")


def _funder_names(graph: Graph, lang: Lang) -> Any:
    """The name the queries give a funder (Finnish, else English, else untagged) → its name in *lang*.

    The queries name funders by that rule only; a name two funders share stays as it is.
    """
    by_query_name: dict[str, set[str]] = {}
    for funder in set(graph.objects(None, HK.funder)):
        labels = {(x.language or ""): str(x) for x in graph.objects(funder, SKOS.prefLabel) if isinstance(x, Literal)}
        query_name = next((labels[t] for t in ("fi", "en", "") if t in labels), str(funder))
        by_query_name.setdefault(query_name, set()).add(label(graph, funder, lang=lang))
    names = {key: next(iter(value)) for key, value in by_query_name.items() if len(value) == 1}
    return lambda text: names.get(text, text)


def _on_oxigraph(graph: Graph) -> Graph:
    """*graph* when a store or an endpoint answers its queries; a graph in rdflib's memory copied into Oxigraph."""
    from rdflib.plugins.stores.memory import Memory

    if not isinstance(graph.store, Memory):
        return graph
    from hyvinvointi_kg.stores.oxigraph import load_store
    from hyvinvointi_kg.stores.oxrdflib_adapter import graph_over_store

    return graph_over_store(load_store(graph))


def _previous_graph(previous: Graph | Path, *, like: Graph) -> Graph:
    """The previous build as a graph, read with its entailments when *like* has them (hk:implementedBy)."""
    if isinstance(previous, Graph):
        return previous
    from hyvinvointi_kg.analysis.diff import read_build

    return read_build(Path(previous), inferred=(None, HK.implementedBy, None) in like)


def _kind_name(kind: str, lang: Lang) -> str:
    from hyvinvointi_kg.views.tooltips import KIND_NAMES

    return translator(lang).gettext(KIND_NAMES[kind]) if kind in KIND_NAMES else kind


def overview_html(graph: Graph, *, top: int = 10, title: str | None = None, lang: Lang | None = None,
                  previous: Graph | Path | None = None) -> str:
    """The overview page of *graph* as one self-contained HTML document in *lang* (default: :func:`default_lang`).

    Parameters
    ----------
    graph
        The knowledge graph, on any backend.
    top
        Rows of each ranked table and chart (funders, organisations, overlaps, funded elsewhere).
    title
        The page's heading (default: a translated one).
    lang
        Language of the page.
    previous
        A previous build to say what changed since: a graph, or a build's output folder or an
        RDF file as :func:`~hyvinvointi_kg.analysis.diff.read_build` reads it (a folder with its
        entailments when *graph* has them, so that like is compared with like). Without it the
        page has no "What changed" section.

    Notes
    -----
    The section "Funded elsewhere?" runs the queries ``organisations-with-several-funders``
    and ``shared-implementer-different-funders`` on Oxigraph: a graph in rdflib's memory is
    copied into an in-memory Oxigraph store for them (about 6 s instead of 35 s on rdflib;
    the rows are the same, as ``tests/test_cross_engine.py`` checks).

    Raises
    ------
    InputError
        If *previous* is a path that is neither a build's folder nor a file.

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
    old = None if previous is None else _previous_graph(previous, like=graph)  # a wrong path fails first
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
    changes = None
    if old is not None:
        from hyvinvointi_kg.analysis.diff import diff_builds
        from hyvinvointi_kg.views.diff import diff_view

        changes = diff_view(diff_builds(old, graph), graphs=(graph, old), lang=lang, limit=_DIFF_ROWS)
    return render_page("overview.html", lang=lang, o=o, csp=csp, css=css,
                       elsewhere=funded_elsewhere_section(graph, top=top, lang=lang), changes=changes,
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
                   lang: Lang | None = None, previous: Graph | Path | None = None) -> Path:
    """Write :func:`overview_html` to *path* atomically (with ``previous=``: and what changed since that build).

    Raises
    ------
    InputError
        If the folder of *path* does not exist, or *previous* is a path that is neither a
        build's folder nor a file.

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
    write_text(overview_html(graph, top=top, title=title, lang=lang, previous=previous), path)
    return path
