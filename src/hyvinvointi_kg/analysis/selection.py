"""Projects chosen by period, municipality, theme and funder: takes a graph, gives a set of project IRIs."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from rdflib import Graph, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.namespace import RDF
from rdflib.term import Node

from hyvinvointi_kg.assembly.vocabulary import resolve_name
from hyvinvointi_kg.dates import parse_period
from hyvinvointi_kg.namespaces import HK

__all__ = ["Filters", "Named", "Period", "resolve_filters", "select_projects"]

#: A period as ``(first day, last day)`` or as people write it (see :func:`hyvinvointi_kg.dates.parse_period`).
Period = tuple[date, date] | str
#: A resource as its IRI, or as a name or label the graph knows (``"Kemi"``).
Named = URIRef | str


@dataclass(frozen=True)
class Filters:
    """The projects to keep, every filter resolved: a period of dates and IRIs (``None``: any)."""

    period: tuple[date, date] | None = None
    municipality: URIRef | None = None
    theme: URIRef | None = None
    funder: URIRef | None = None
    target_group: URIRef | None = None


def _resolved(graph: Graph, value: Named | None, cls: URIRef, what: str) -> URIRef | None:
    if value is None or isinstance(value, URIRef):
        return value
    return resolve_name(graph, value, cls=cls, what=what)


def resolve_filters(
    graph: Graph,
    *,
    period: Period | None = None,
    municipality: Named | None = None,
    theme: Named | None = None,
    funder: Named | None = None,
    target_group: Named | None = None,
) -> Filters:
    """*period*, *municipality*, *theme*, *funder* and *target_group* as dates and IRIs of *graph*.

    A text is looked up among the labels of the graph's resources of that kind
    (case-insensitive, any language) or taken as an IRI; an IRI given as
    :class:`~rdflib.URIRef` is kept as it is. A period may be written as people
    write it (``2019``, ``2018–2020``, ``1.1.2019-31.12.2020``).

    Raises
    ------
    InputError
        If a name matches nothing (the message lists the closest names) or a period
        cannot be read.

    Examples
    --------
    >>> from hyvinvointi_kg.stores.files import load_graph
    >>> f = resolve_filters(load_graph(), municipality="Kemi", period="2018–2019")
    >>> f.municipality.split("/")[-1], f.period
    ('240', (datetime.date(2018, 1, 1), datetime.date(2019, 12, 31)))
    """
    return Filters(
        period=parse_period(period) if isinstance(period, str) else period,
        municipality=_resolved(graph, municipality, HK.Municipality, "municipality"),
        theme=_resolved(graph, theme, HK.Theme, "theme"),
        funder=_resolved(graph, funder, HK.FundingSource, "funder"),
        target_group=_resolved(graph, target_group, HK.TargetGroup, "target group"),
    )


def select_projects(
    graph: Graph,
    *,
    period: Period | None = None,
    municipality: Named | None = None,
    theme: Named | None = None,
    funder: Named | None = None,
    target_group: Named | None = None,
) -> set[URIRef]:
    """Projects active in *period*, targeting *municipality* (or a place within it), on
    *theme*, funded by *funder* and for *target_group*; every filter is optional, names
    and periods as in :func:`resolve_filters`.

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
    chosen = resolve_filters(graph, period=period, municipality=municipality, theme=theme, funder=funder,
                             target_group=target_group)
    period, municipality, theme, funder = chosen.period, chosen.municipality, chosen.theme, chosen.funder
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
        if chosen.target_group is not None and (project, HK.targetGroup, chosen.target_group) not in graph:
            continue
        if funder is not None and not any((f, HK.funder, funder) in graph
                                          for f in graph.objects(project, HK.hasFunding)):
            continue
        selected.add(project)
    return selected
