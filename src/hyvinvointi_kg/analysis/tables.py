"""Tables for people: one row per canonical project or organisation, multi-valued cells joined."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal as TypingLiteral

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from hyvinvointi_kg.assembly.vocabulary import preferred_label
from hyvinvointi_kg.i18n import Lang, default_lang, label
from hyvinvointi_kg.namespaces import HK
from hyvinvointi_kg.query import QueryResult

__all__ = [
    "SEPARATOR",
    "TableName",
    "organisations_table",
    "projects_table",
    "table",
]

SEPARATOR = " | "
TableName = TypingLiteral["projects", "organisations"]

PROJECT_COLUMNS = (
    "project", "name", "code", "lead_implementer", "partners", "funders", "programme",
    "intermediate_body", "start", "end", "municipalities", "municipality_codes", "regions",
    "themes", "target_groups", "sources", "flags",
)
ORGANISATION_COLUMNS = (
    "organisation", "name", "kind", "aliases", "business_id", "lead_projects",
    "partner_projects",
)


def _join(values: Iterable[str]) -> str:
    return SEPARATOR.join(sorted({v for v in values if v}))


def _cell(text: str | None) -> Literal | None:
    return Literal(text) if text else None


def _span_text(graph: Graph, span: Node) -> str:
    """A claim's span as people cite it: ``file:first-last``, or ``file:sheet:row:column`` for a spreadsheet cell."""
    file_name = graph.value(graph.value(span, HK.inDocument), HK.fileName)
    first, last = graph.value(span, HK.firstLine), graph.value(span, HK.lastLine)
    if first is None and (row := graph.value(span, HK.rowNumber)) is not None:
        return f"{file_name}:{graph.value(span, HK.sheetName)}:{row}:{graph.value(span, HK.columnName)}"
    return f"{file_name}:{first}-{last}"


def projects_table(graph: Graph, *, lang: Lang | None = None) -> QueryResult:
    """One row per project with names (not IRIs) for people; multi-valued cells joined by `` | ``.

    Projects and organisations are named as the sources name them; funders, programmes,
    places, themes and target groups by their labels in *lang* (default:
    :func:`~hyvinvointi_kg.i18n.default_lang`). ``sources`` lists ``file:first-last`` (or
    ``file:sheet:row:column`` for a spreadsheet cell) for every source record and claim span
    that states something about the project; ``flags`` the reading flags of the catalogue
    rows it was read from.

    Examples
    --------
    >>> from hyvinvointi_kg.stores.files import load_graph
    >>> rows = projects_table(load_graph(), lang="sv").records()
    >>> row = next(r for r in rows if r["code"] == "S20154")
    >>> row["municipality_codes"], row["municipalities"]
    ('240 | 241 | 751 | 845 | 851 | 976', 'Kemi | Keminmaa | Simo | Tervola | Torneå | Övertorneå')
    """
    lang = default_lang() if lang is None else lang

    def name(node: Node) -> str:
        return label(graph, node, lang=lang)

    spans_of: dict[Node, set[str]] = {}
    for claim in graph.subjects(RDF.type, HK.Claim):
        subject = graph.value(claim, RDF.subject)
        span = graph.value(claim, PROV.wasDerivedFrom)
        if subject is None or span is None:
            continue
        key = subject if (subject, RDF.type, HK.Project) in graph else None
        if key is None:  # a claim about the project's funding, period or amounts
            owner = str(subject).split("/funding/")[0].split("/period")[0]
            key = URIRef(owner)
        spans_of.setdefault(key, set()).add(_span_text(graph, span))
    rows = []
    for project in sorted(set(graph.subjects(RDF.type, HK.Project)), key=str):
        fundings = list(graph.objects(project, HK.hasFunding))
        areas = list(graph.objects(project, HK.targetArea))
        municipalities = [a for a in areas if (a, RDF.type, HK.Municipality) in graph]
        regions = [a for a in areas if (a, RDF.type, HK.Region) in graph]
        records = list(graph.subjects(HK.describes, project))
        start = graph.value(project, HK.start)
        end = graph.value(project, HK.end)
        row = {
            "project": project,
            "name": _cell(preferred_label(graph, project)),
            "code": graph.value(project, HK.projectCode),
            "lead_implementer": _cell(_join(preferred_label(graph, o)
                                            for o in graph.objects(project, HK.leadImplementer))),
            "partners": _cell(_join(preferred_label(graph, o) for o in graph.objects(project, HK.partner))),
            "funders": _cell(_join(name(o) for f in fundings
                                   for o in graph.objects(f, HK.funder))),
            "programme": _cell(_join(name(o) for f in fundings
                                     for o in graph.objects(f, HK.programme))),
            "intermediate_body": _cell(_join(preferred_label(graph, o) for f in fundings
                                             for o in graph.objects(f, HK.grantingAuthority))),
            "start": start,
            "end": end,
            "municipalities": _cell(_join(name(m) for m in municipalities)),
            "municipality_codes": _cell(_join(str(graph.value(m, HK.municipalityCode))
                                              for m in municipalities)),
            "regions": _cell(_join(name(r) for r in regions)),
            "themes": _cell(_join(name(t) for t in graph.objects(project, HK.theme))),
            "target_groups": _cell(_join(name(t) for t in graph.objects(project, HK.targetGroup))),
            "sources": _cell(_join(spans_of.get(project, set()))),
            "flags": _cell(_join(f"{graph.value(r, HK.firstLine)}: {f}" for r in records
                                 for f in graph.objects(r, HK.readingFlag))),
        }
        rows.append(tuple(row[c] for c in PROJECT_COLUMNS))
    return QueryResult(PROJECT_COLUMNS, tuple(rows))


def organisations_table(graph: Graph, *, lang: Lang | None = None) -> QueryResult:
    """One row per organisation: name, kind, aliases, business ID, projects led and partnered.

    Names as the sources write them; the kind in *lang* (default:
    :func:`~hyvinvointi_kg.i18n.default_lang`).

    Examples
    --------
    >>> from hyvinvointi_kg.stores.files import load_graph
    >>> rows = organisations_table(load_graph(), lang="en").records()
    >>> amk = next(r for r in rows if r["name"] == "Lapin ammattikorkeakoulu Oy")
    >>> amk["kind"], amk["business_id"], "Lapin AMK" in amk["aliases"]
    ('University of applied sciences', '2528792-5', True)
    >>> next(r for r in organisations_table(load_graph(), lang="fi").records()
    ...      if r["name"] == "Lapin ammattikorkeakoulu Oy")["kind"]
    'Ammattikorkeakoulu'
    """
    lang = default_lang() if lang is None else lang
    kinds = {k for k in graph.transitive_subjects(RDFS.subClassOf, HK.Organisation)}
    rows = []
    organisations = {o for k in kinds for o in graph.subjects(RDF.type, k)
                     if isinstance(o, URIRef)}
    for org in sorted(organisations, key=str):
        name = preferred_label(graph, org)
        org_kinds = [k for k in graph.objects(org, RDF.type) if k in kinds and k != HK.Organisation]
        specific = [k for k in org_kinds
                    if not any((other, RDFS.subClassOf, k) in graph for other in org_kinds
                               if other != k)]
        kind_labels = [label(graph, k, lang=lang) for k in specific]
        row = {
            "organisation": org,
            "name": _cell(name),
            "kind": _cell(_join(kind_labels)),
            "aliases": _cell(_join(str(a) for a in graph.objects(org, SKOS.altLabel)
                                   if str(a) != name)),
            "business_id": graph.value(org, HK.businessId),
            "lead_projects": _cell(_join(preferred_label(graph, p)
                                         for p in graph.subjects(HK.leadImplementer, org))),
            "partner_projects": _cell(_join(preferred_label(graph, p)
                                            for p in graph.subjects(HK.partner, org))),
        }
        rows.append(tuple(row[c] for c in ORGANISATION_COLUMNS))
    return QueryResult(ORGANISATION_COLUMNS, tuple(rows))


def table(graph: Graph, name: TableName, *, lang: Lang | None = None) -> QueryResult:
    """The table *name* (``"projects"`` or ``"organisations"``), labels in *lang*."""
    if name == "projects":
        return projects_table(graph, lang=lang)
    if name == "organisations":
        return organisations_table(graph, lang=lang)
    raise ValueError(f"unknown table {name!r}; choose projects or organisations")
