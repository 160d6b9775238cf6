"""Projects chosen by period, municipality, theme and funder: takes a graph, gives a set of project IRIs."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from rdflib import Graph, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.namespace import RDF
from rdflib.term import Node

from hyvinvointi_kg.namespaces import HK

__all__ = ["select_projects"]


def select_projects(
    graph: Graph,
    *,
    period: tuple[date, date] | None = None,
    municipality: URIRef | None = None,
    theme: URIRef | None = None,
    funder: URIRef | None = None,
) -> set[URIRef]:
    """Projects active in *period*, targeting *municipality* (or a place within it), on
    *theme* and funded by *funder*; every filter is optional.

    A project without dates is kept only when no period is asked for.

    Examples
    --------
    >>> from hyvinvointi_kg.stores.files import load_graph
    >>> from hyvinvointi_kg.namespaces import ID, project_iri
    >>> g = load_graph()
    >>> project_iri("S20154") in select_projects(g, municipality=ID["place/kunta/240"],
    ...                                          period=(date(2016, 1, 1), date(2016, 12, 31)))
    True
    """
    # Start from the most selective index (a municipality's or a theme's projects), not all projects.
    candidates: Iterable[Node]
    if municipality is not None:
        areas = {municipality, *graph.subjects(HK.partOf, municipality)}
        candidates = {p for area in areas for p in graph.subjects(HK.targetArea, area)
                      if (p, RDF.type, HK.Project) in graph}
    elif theme is not None:
        candidates = {p for p in graph.subjects(HK.theme, theme) if (p, RDF.type, HK.Project) in graph}
    else:
        candidates = graph.subjects(RDF.type, HK.Project)
    selected = set()
    for project in candidates:
        if not isinstance(project, URIRef):
            continue
        if period is not None:
            start, end = graph.value(project, HK.startDate), graph.value(project, HK.endDate)
            if not (isinstance(start, RDFLiteral) and isinstance(end, RDFLiteral)):
                continue
            if end.toPython() < period[0] or start.toPython() > period[1]:
                continue
        if municipality is not None and not any(
                area == municipality or (area, HK.partOf, municipality) in graph
                for area in graph.objects(project, HK.targetArea)):
            continue
        if theme is not None and (project, HK.theme, theme) not in graph:
            continue
        if funder is not None and not any((f, HK.funder, funder) in graph
                                          for f in graph.objects(project, HK.hasFunding)):
            continue
        selected.add(project)
    return selected
