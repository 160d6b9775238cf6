"""Spreadsheets: the graph as one typed .xlsx workbook (a sheet per subject), and any table as .xlsx.

Every cell is written with its type: dates as Excel dates (shown in the reader's own
short-date format), numbers as numbers, amounts in euros with a euro format, text as
text — never as a formula, whatever it starts with. Every sheet has a frozen header
row, a filter and column widths fitted to its content. Multi-valued facts (themes,
target groups, municipalities, implementers) are long-format sheets with one row per
project and value, so a spreadsheet filters and counts them without splitting cells.

Sheet and column names are stable English ``snake_case`` keys; the titles written
come from one mapping, :data:`TITLES`, that a translation can replace (``titles=``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS
from rdflib.term import Node

from hyvinvointi_kg.assembly.vocabulary import preferred_label
from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.i18n import N_, Lang, Np_, check_lang, default_lang, translator
from hyvinvointi_kg.i18n import label as i18n_label
from hyvinvointi_kg.namespaces import HK, PREFIXES
from hyvinvointi_kg.query import run_query, run_sparql

if TYPE_CHECKING:
    import pandas

__all__ = ["DESCRIPTIONS", "SHEET_COLUMNS", "TITLES", "write_frame_xlsx", "write_workbook"]

#: The columns of each sheet of :func:`write_workbook`, by key, in order. The projects sheet
#: also has one ``amount_<kind>`` column per amount kind of the graph (after these).
SHEET_COLUMNS: dict[str, tuple[str, ...]] = {
    "projects": ("project", "code", "name", "status", "start", "end", "start_as_stated", "end_as_stated",
                 "lead", "lead_name"),
    "implementers": ("project", "project_name", "organisation", "organisation_name", "role"),
    "funding": ("project", "project_name", "funding", "funder", "funder_name", "programme", "programme_name",
                "granting_authority", "granting_authority_name", "amount_kind", "amount", "currency"),
    "municipalities": ("project", "project_name", "municipality", "municipality_name", "municipality_code"),
    "regions": ("project", "project_name", "area", "area_name", "area_kind", "area_code"),
    "themes": ("project", "project_name", "theme", "theme_name"),
    "target_groups": ("project", "project_name", "target_group", "target_group_name", "indirect"),
    "overlaps": ("project_a", "name_a", "project_b", "name_b", "score", "text_similarity", "overlap_start",
                 "overlap_end", "overlap_days", "shared_municipalities", "shared_themes",
                 "shared_target_groups", "shared_organisations"),
    "overlap_reasons": ("project_a", "project_b", "reason", "shared"),
    "sources": ("document", "file", "kind", "title", "language", "lines", "issued", "received_as", "claims",
                "sha256"),
    "claims": ("claim", "subject", "subject_name", "property", "value", "value_name", "stated_as", "file",
               "first_line", "last_line", "current", "derivation_rule", "selection_rule"),
}

_ABOUT_KEYS = ("about", "item", "value", "workbook", "graph_built", "written", "triples", "licence",
               "attribution")

#: The title written for every sheet, column and about-sheet item, by key (English: the key
#: itself, the vocabulary of the CSV and JSON outputs; :func:`column_titles` gives them in a
#: language). Every column of the bundled queries, of ``table`` and of the CLI's other tables
#: (``metrics``, ``overlaps``, ``funded-elsewhere``) is here too, for the CLI's tables.
TITLES: dict[str, str] = {
    "about": Np_("title", "about"), "item": Np_("title", "item"), "value": Np_("title", "value"),
    "workbook": Np_("title", "workbook"), "graph_built": Np_("title", "graph_built"),
    "written": Np_("title", "written"), "triples": Np_("title", "triples"), "licence": Np_("title", "licence"),
    "attribution": Np_("title", "attribution"), "projects": Np_("title", "projects"),
    "implementers": Np_("title", "implementers"), "funding": Np_("title", "funding"),
    "municipalities": Np_("title", "municipalities"), "regions": Np_("title", "regions"),
    "themes": Np_("title", "themes"), "target_groups": Np_("title", "target_groups"),
    "overlaps": Np_("title", "overlaps"), "overlap_reasons": Np_("title", "overlap_reasons"),
    "sources": Np_("title", "sources"), "claims": Np_("title", "claims"), "project": Np_("title", "project"),
    "code": Np_("title", "code"), "name": Np_("title", "name"), "status": Np_("title", "status"),
    "start": Np_("title", "start"), "end": Np_("title", "end"), "start_as_stated": Np_("title", "start_as_stated"),
    "end_as_stated": Np_("title", "end_as_stated"), "lead": Np_("title", "lead"),
    "lead_name": Np_("title", "lead_name"), "project_name": Np_("title", "project_name"),
    "organisation": Np_("title", "organisation"), "organisation_name": Np_("title", "organisation_name"),
    "role": Np_("title", "role"), "funder": Np_("title", "funder"), "funder_name": Np_("title", "funder_name"),
    "programme": Np_("title", "programme"), "programme_name": Np_("title", "programme_name"),
    "granting_authority": Np_("title", "granting_authority"),
    "granting_authority_name": Np_("title", "granting_authority_name"), "amount_kind": Np_("title", "amount_kind"),
    "amount": Np_("title", "amount"), "currency": Np_("title", "currency"),
    "municipality": Np_("title", "municipality"), "municipality_name": Np_("title", "municipality_name"),
    "municipality_code": Np_("title", "municipality_code"), "area": Np_("title", "area"),
    "area_name": Np_("title", "area_name"), "area_kind": Np_("title", "area_kind"),
    "area_code": Np_("title", "area_code"), "theme": Np_("title", "theme"), "theme_name": Np_("title", "theme_name"),
    "target_group": Np_("title", "target_group"), "target_group_name": Np_("title", "target_group_name"),
    "indirect": Np_("title", "indirect"), "project_a": Np_("title", "project_a"), "name_a": Np_("title", "name_a"),
    "project_b": Np_("title", "project_b"), "name_b": Np_("title", "name_b"), "score": Np_("title", "score"),
    "text_similarity": Np_("title", "text_similarity"), "overlap_start": Np_("title", "overlap_start"),
    "overlap_end": Np_("title", "overlap_end"), "overlap_days": Np_("title", "overlap_days"),
    "shared_municipalities": Np_("title", "shared_municipalities"), "shared_themes": Np_("title", "shared_themes"),
    "shared_target_groups": Np_("title", "shared_target_groups"),
    "shared_organisations": Np_("title", "shared_organisations"), "reason": Np_("title", "reason"),
    "shared": Np_("title", "shared"), "document": Np_("title", "document"), "file": Np_("title", "file"),
    "kind": Np_("title", "kind"), "title": Np_("title", "title"), "language": Np_("title", "language"),
    "lines": Np_("title", "lines"), "issued": Np_("title", "issued"), "received_as": Np_("title", "received_as"),
    "sha256": Np_("title", "sha256"), "claim": Np_("title", "claim"), "subject": Np_("title", "subject"),
    "subject_name": Np_("title", "subject_name"), "property": Np_("title", "property"),
    "value_name": Np_("title", "value_name"), "stated_as": Np_("title", "stated_as"),
    "first_line": Np_("title", "first_line"), "last_line": Np_("title", "last_line"),
    "current": Np_("title", "current"), "derivation_rule": Np_("title", "derivation_rule"),
    "selection_rule": Np_("title", "selection_rule"), "node": Np_("title", "node"), "label": Np_("title", "label"),
    "degree": Np_("title", "degree"), "weighted_degree": Np_("title", "weighted_degree"),
    "betweenness": Np_("title", "betweenness"), "closeness": Np_("title", "closeness"),
    "community": Np_("title", "community"), "component": Np_("title", "component"),
    # the other columns of the bundled queries (their SELECT variables) and tables
    "aliases": Np_("title", "aliases"), "business_id": Np_("title", "business_id"), "count": Np_("title", "count"),
    "end_date": Np_("title", "end_date"), "flags": Np_("title", "flags"), "funder_a": Np_("title", "funder_a"),
    "funder_b": Np_("title", "funder_b"), "funder_count": Np_("title", "funder_count"),
    "funder_label": Np_("title", "funder_label"), "funders": Np_("title", "funders"),
    "granted_eu_state": Np_("title", "granted_eu_state"), "intermediate_body": Np_("title", "intermediate_body"),
    "label_a": Np_("title", "label_a"), "label_b": Np_("title", "label_b"),
    "lead_implementer": Np_("title", "lead_implementer"), "lead_label": Np_("title", "lead_label"),
    "lead_projects": Np_("title", "lead_projects"), "leads": Np_("title", "leads"),
    "line_ranges": Np_("title", "line_ranges"), "municipality_codes": Np_("title", "municipality_codes"),
    "municipality_label": Np_("title", "municipality_label"), "object": Np_("title", "object"),
    "organisation_a": Np_("title", "organisation_a"), "organisation_b": Np_("title", "organisation_b"),
    "organisation_label": Np_("title", "organisation_label"), "organisations": Np_("title", "organisations"),
    "partner": Np_("title", "partner"), "partner_label": Np_("title", "partner_label"),
    "partner_projects": Np_("title", "partner_projects"), "partners": Np_("title", "partners"),
    "place": Np_("title", "place"), "predicate": Np_("title", "predicate"), "problem": Np_("title", "problem"),
    "project_count": Np_("title", "project_count"), "projects_with_amount": Np_("title", "projects_with_amount"),
    "role_a": Np_("title", "role_a"), "role_b": Np_("title", "role_b"), "rule": Np_("title", "rule"),
    "shared_projects": Np_("title", "shared_projects"), "sources_a": Np_("title", "sources_a"),
    "sources_b": Np_("title", "sources_b"), "start_date": Np_("title", "start_date"),
    "theme_label": Np_("title", "theme_label"), "title_a": Np_("title", "title_a"),
    "title_b": Np_("title", "title_b"), "titles": Np_("title", "titles"), "year": Np_("title", "year"),
    # where a claim about a spreadsheet's row comes from (project-claims, project-sources)
    "sheet": Np_("title", "sheet"), "row": Np_("title", "row"), "column": Np_("title", "column"),
    "cells": Np_("title", "cells"),
}


def column_titles(lang: Lang) -> dict[str, str]:
    """:data:`TITLES` in *lang*: what a person reads at the head of a sheet or column (English: the keys).

    Examples
    --------
    >>> column_titles("fi")["projects"], column_titles("sv")["start"], column_titles("en")["start"]
    ('hankkeet', 'början', 'start')
    """
    t = translator(lang)
    return {key: t.pgettext("title", message) for key, message in TITLES.items()}


#: The texts of the about sheet and what each sheet holds, by key (English; a translation replaces them).
DESCRIPTIONS: dict[str, str] = {  # translated where written (N_ marks them for the catalogues)
    "workbook": N_("Hyvinvointi KG: welfare, social-inclusion and safety projects in Finnish Lapland. One sheet "
                   "per subject; multi-valued facts as long sheets, one row per project and value. Dates are "
                   "dates, amounts are numbers in euros. The claims sheet gives the source (file and lines) of "
                   "every fact."),
    "not_recorded": N_("not recorded in the graph"),
    "data_licence": N_("No licence is recorded for the source documents; check with their publishers before "
                       "republishing them."),
    "attribution": N_("Built with hyvinvointi_kg from the source documents on the sources sheet; municipality "
                      "codes from Statistics Finland's classification service."),
    "projects": N_("One row per project: code, name, status, period (dates; as stated in the source), lead "
                   "implementer and amounts by kind (summed over the project's funding records and budget)."),
    "implementers": N_("One row per project, organisation and role (lead implementer or partner)."),
    "funding": N_("One row per funding record and stated amount (a record without amounts has one row); "
                  "an amount stated for the whole project has no funding record."),
    "municipalities": N_("One row per project and target municipality."),
    "regions": N_("One row per project and target sub-region or region (region-wide projects)."),
    "themes": N_("One row per project and theme."),
    "target_groups": N_("One row per project and target group (indirect: an indirect target group)."),
    "overlaps": N_("Pairs of projects that share municipalities and themes or target groups at the same time, "
                   "with a score and the number of things they share."),
    "overlap_reasons": N_("One row per overlapping pair and shared municipality, theme, target group or "
                          "organisation."),
    "sources": N_("The source documents, with their line counts, checksums and the number of claims read from them."),
    "claims": N_("One row per claim: what a source states about a project, organisation or funding, where "
                 "(file, lines) and as written there; current is false where another source's value was chosen."),
}

_MAX_ROWS = 1_048_576  # Excel's limit, header included
_MAX_TEXT = 32_767  # characters in one Excel cell
_DATE_FORMAT = 14  # Excel's built-in short date: shown as each reader's locale writes dates (1.9.2019)
_DATETIME_FORMAT = 22  # built-in short date and time
_EURO_FORMAT = '#,##0.00 "€"'
_SHEET_FORBIDDEN = set("[]:*?/\\")


@dataclass(frozen=True)
class _Sheet:
    """One sheet: its key, column keys and rows of Python values."""

    key: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    money: frozenset[str] = frozenset()
    """Columns written with the euro format."""


# --- values ------------------------------------------------------------------------------------


def _value(node: Node | None) -> Any:
    """A term as a Python value: IRIs as text, typed literals as dates and numbers, else the text."""
    if node is None:
        return None
    if isinstance(node, Literal):
        value = node.toPython()
        return str(node) if isinstance(value, Literal) else value
    return str(node)


def _short(iri: Node) -> str:
    """*iri* as a prefixed name (``hk:targetArea``) where a project prefix covers it."""
    text = str(iri)
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(str(item[1]))):
        if text.startswith(str(namespace)) and len(text) > len(str(namespace)):
            return f"{prefix}:{text[len(str(namespace)):]}"
    return text


def _class_label(graph: Graph, cls: Node | None, lang: Lang = "en") -> str | None:
    """The rdfs:label of a class in *lang*, else in English (``Sub-region``), else its prefixed name."""
    if cls is None:
        return None
    found = {x.language: str(x) for x in graph.objects(cls, RDFS.label) if isinstance(x, Literal)}
    return found.get(lang) or found.get("en") or _short(cls)


class _Labels:
    """Preferred labels of nodes, looked up once each."""

    def __init__(self, graph: Graph, lang: Lang) -> None:
        self._graph = graph
        self.lang = lang
        self._cache: dict[Node, str | None] = {}

    def __call__(self, node: Node | None) -> str | None:
        if node is None or isinstance(node, Literal):
            return None
        if node not in self._cache:
            label = i18n_label(self._graph, node, lang=self.lang)
            self._cache[node] = None if label == str(node) else label
        return self._cache[node]


# --- sheets --------------------------------------------------------------------------------------


def _sparql_rows(graph: Graph, text: str) -> list[dict[str, Node | None]]:
    result = run_sparql(graph, text)
    return [dict(zip(result.columns, row, strict=True)) for row in result.rows]


def _amount_kinds(graph: Graph) -> list[URIRef]:
    used = {k for k in graph.objects(None, HK.amountKind) if isinstance(k, URIRef)}
    declared = {k for k in graph.subjects(RDF.type, HK.AmountKind) if isinstance(k, URIRef)}
    return sorted(used | declared, key=str)


def _kind_key(kind: URIRef) -> str:
    return "amount_" + str(kind).rstrip("/").rsplit("/", 1)[-1].replace("-", "_")


def _amount_titles(graph: Graph, lang: Lang) -> dict[str, str]:
    """The title of each ``amount_<kind>`` column in *lang*: "summa: myönnetty" (English: the key, as in CSV)."""
    if lang == "en":
        return {}
    template = translator(lang).pgettext("title", "amount: {kind}")
    return {_kind_key(kind): template.format(kind=i18n_label(graph, kind, lang=lang)) for kind in _amount_kinds(graph)}


def _projects_sheet(graph: Graph, totals: Mapping[tuple[str, str], Decimal]) -> _Sheet:
    """From the ``projects`` query, with the dates of hk:startDate/hk:endDate and amounts by kind."""
    amount_columns = tuple(dict.fromkeys(_kind_key(k) for k in _amount_kinds(graph)))
    rows = []
    for record in run_query(graph, "projects").records():
        project = URIRef(record["project"])
        start, end = graph.value(project, HK.start), graph.value(project, HK.end)
        rows.append((
            record["project"], record["code"], record["title"], record["status"],
            _value(graph.value(project, HK.startDate)), _value(graph.value(project, HK.endDate)),
            None if start is None else str(start), None if end is None else str(end),
            record["lead"], record["lead_label"],
            *(totals.get((record["project"], column)) for column in amount_columns),
        ))
    rows.sort(key=lambda r: (r[1] is None, r[1] or "", r[2] or "", r[0]))
    return _Sheet("projects", SHEET_COLUMNS["projects"] + amount_columns, tuple(rows),
                  money=frozenset(amount_columns))


def _implementers_sheet(graph: Graph, label: _Labels) -> _Sheet:
    # The roles of the role scheme whose property links a project to an organisation (lead
    # implementer, partner); then the pairs of each (a variable predicate is slow in rdflib's SPARQL).
    roles = _sparql_rows(graph, """
        SELECT ?role ?property WHERE { ?role a hk:Role ; hk:roleProperty ?property .
                                       ?property rdfs:domain hk:Project }""")
    projects = set(graph.subjects(RDF.type, HK.Project))
    out = [(str(project), label(project), str(organisation), label(organisation), label(r["role"]))
           for r in roles if isinstance(r["property"], URIRef)
           for project, organisation in graph.subject_objects(r["property"]) if project in projects]
    out.sort(key=lambda r: (r[1] or "", r[0], r[4] or "", r[3] or "", r[2]))
    return _Sheet("implementers", SHEET_COLUMNS["implementers"], tuple(out))


def _funding_sheet(graph: Graph, label: _Labels) -> tuple[_Sheet, dict[tuple[str, str], Decimal]]:
    """Funding records and their amounts; and the sums in euros by (project, amount column)."""
    rows = _sparql_rows(graph, """
        SELECT ?project ?funding ?funder ?programme ?authority ?kind ?amount ?currency WHERE {
          ?project a hk:Project ; hk:hasFunding ?funding .
          OPTIONAL { ?funding hk:funder ?funder }
          OPTIONAL { ?funding hk:programme ?programme }
          OPTIONAL { ?funding hk:grantingAuthority ?authority }
          OPTIONAL { ?funding hk:hasAmount ?money .
                     ?money hk:amount ?amount .
                     OPTIONAL { ?money hk:amountKind ?kind }
                     OPTIONAL { ?money hk:currency ?currency } }
        }""")
    # An amount stated for the whole project (hk:projectBudget) belongs to no funding record.
    rows += _sparql_rows(graph, """
        SELECT ?project ?kind ?amount ?currency WHERE {
          ?project a hk:Project ; hk:projectBudget ?money .
          ?money hk:amount ?amount .
          OPTIONAL { ?money hk:amountKind ?kind }
          OPTIONAL { ?money hk:currency ?currency }
        }""")
    out = []
    totals: dict[tuple[str, str], Decimal] = {}
    for r in rows:
        kind, amount, currency = r["kind"], _value(r["amount"]), _value(r["currency"])
        out.append((
            str(r["project"]), label(r["project"]), _value(r.get("funding")),
            _value(r.get("funder")), label(r.get("funder")),
            _value(r.get("programme")), label(r.get("programme")),
            _value(r.get("authority")), label(r.get("authority")),
            label(kind) or _value(kind), amount, currency,
        ))
        if isinstance(kind, URIRef) and isinstance(amount, Decimal | int | float) and currency in (None, "EUR"):
            key = (str(r["project"]), _kind_key(kind))
            totals[key] = totals.get(key, Decimal(0)) + Decimal(str(amount))
    out.sort(key=lambda r: (r[1] or "", r[0], r[2] or "", r[9] or ""))
    return _Sheet("funding", SHEET_COLUMNS["funding"], tuple(out), money=frozenset({"amount"})), totals


def _areas_sheets(graph: Graph, label: _Labels) -> tuple[_Sheet, _Sheet]:
    rows = _sparql_rows(graph, """
        SELECT ?project ?area ?kind ?code WHERE {
          ?project a hk:Project ; hk:targetArea ?area .
          { ?area a hk:Municipality . BIND(hk:Municipality AS ?kind) OPTIONAL { ?area hk:municipalityCode ?code } }
          UNION { ?area a hk:SubRegion . BIND(hk:SubRegion AS ?kind) OPTIONAL { ?area hk:subRegionCode ?code } }
          UNION { ?area a hk:Region . BIND(hk:Region AS ?kind) OPTIONAL { ?area hk:regionCode ?code } }
        }""")
    municipalities, regions = [], []
    for r in rows:
        base = (str(r["project"]), label(r["project"]), str(r["area"]), label(r["area"]))
        if r["kind"] == HK.Municipality:
            municipalities.append((*base, _value(r["code"])))
        else:
            regions.append((*base, _class_label(graph, r["kind"], label.lang), _value(r["code"])))
    municipalities.sort(key=lambda r: (r[1] or "", r[0], r[3] or "", r[2]))
    regions.sort(key=lambda r: (r[1] or "", r[0], r[3] or "", r[2]))
    return (_Sheet("municipalities", SHEET_COLUMNS["municipalities"], tuple(municipalities)),
            _Sheet("regions", SHEET_COLUMNS["regions"], tuple(regions)))


def _concepts_sheets(graph: Graph, label: _Labels) -> tuple[_Sheet, _Sheet]:
    themes = [(str(p), label(p), str(t), label(t))
              for p, t in graph.subject_objects(HK.theme) if (p, RDF.type, HK.Project) in graph]
    groups = [(str(p), label(p), str(t), label(t), prop == HK.indirectTargetGroup)
              for prop in (HK.targetGroup, HK.indirectTargetGroup)
              for p, t in graph.subject_objects(prop) if (p, RDF.type, HK.Project) in graph]
    themes.sort(key=lambda r: (r[1] or "", r[0], r[3] or "", r[2]))
    groups.sort(key=lambda r: (r[1] or "", r[0], r[4], r[3] or "", r[2]))
    return (_Sheet("themes", SHEET_COLUMNS["themes"], tuple(themes)),
            _Sheet("target_groups", SHEET_COLUMNS["target_groups"], tuple(groups)))


def _overlaps_sheets(graph: Graph) -> tuple[_Sheet, _Sheet]:
    from hyvinvointi_kg.analysis.overlaps import find_overlaps

    pairs: list[tuple[Any, ...]] = []
    reasons: list[tuple[str, str, str, str]] = []
    for o in find_overlaps(graph):
        shared = {"municipality": o.shared_municipalities, "theme": o.shared_themes,
                  "target_group": o.shared_target_groups, "organisation": o.shared_organisations}
        pairs.append((o.project_a, o.name_a, o.project_b, o.name_b, o.score, o.text_similarity,
                      o.overlap_start, o.overlap_end, o.overlap_days, *(len(v) for v in shared.values())))
        reasons.extend((o.project_a, o.project_b, reason, name) for reason, names in shared.items()
                       for name in names)
    return (_Sheet("overlaps", SHEET_COLUMNS["overlaps"], tuple(pairs)),
            _Sheet("overlap_reasons", SHEET_COLUMNS["overlap_reasons"], tuple(reasons)))


def _claims_and_sources_sheets(graph: Graph, label: _Labels) -> tuple[_Sheet, _Sheet]:
    # A traversal rather than SPARQL: rdflib takes 3-5 s to evaluate the all-claims form of the
    # project-claims query on the bundled graph (7,247 claims), these scans a fraction of a second.
    def column(predicate: URIRef) -> dict[Node, Node]:  # one scan per property, not one lookup per claim
        return dict(graph.subject_objects(predicate))

    subject_of, predicate_of, object_of = column(RDF.subject), column(RDF.predicate), column(RDF.object)
    stated, derived, rule, selection = (column(HK.statedAs), column(PROV.wasDerivedFrom),
                                        column(HK.derivationRule), column(HK.selectionRule))
    superseded = set(column(HK.supersededBy))
    in_document, first_line, last_line = column(HK.inDocument), column(HK.firstLine), column(HK.lastLine)
    file_name = column(HK.fileName)
    claims = []
    per_document: dict[Node, int] = {}
    for claim in graph.subjects(RDF.type, HK.Claim):
        span = derived.get(claim)
        document = in_document.get(span) if span is not None else None
        if document is not None:
            per_document[document] = per_document.get(document, 0) + 1
        subject, predicate, obj = subject_of.get(claim), predicate_of.get(claim), object_of.get(claim)
        claims.append((
            str(claim), _value(subject), label(subject), None if predicate is None else _short(predicate),
            None if obj is None else str(obj), label(obj), _value(stated.get(claim)),
            _value(file_name.get(document)) if document is not None else None,
            _value(first_line.get(span)) if span is not None else None,
            _value(last_line.get(span)) if span is not None else None,
            claim not in superseded, _value(rule.get(claim)), _value(selection.get(claim)),
        ))
    claims.sort(key=lambda r: (r[7] or "", r[8] or 0, r[1] or "", r[3] or "", r[4] or "", r[0]))
    kinds = {k for k in graph.transitive_subjects(RDFS.subClassOf, HK.SourceDocument)} - {HK.SourceDocument}
    sources = []
    for document in set(graph.subjects(RDF.type, HK.SourceDocument)):
        kind = next((k for k in graph.objects(document, RDF.type) if k in kinds), None)
        checksum = next((graph.value(c, URIRef("http://spdx.org/rdf/terms#checksumValue"))
                         for c in graph.objects(document, URIRef("http://spdx.org/rdf/terms#checksum"))), None)
        sources.append((
            str(document), _value(graph.value(document, HK.fileName)), _class_label(graph, kind, label.lang),
            _value(graph.value(document, DCTERMS.title)), _value(graph.value(document, DCTERMS.language)),
            _value(graph.value(document, HK.lineCount)), _value(graph.value(document, DCTERMS.issued)),
            _value(graph.value(document, HK.receivedAs)), per_document.get(document, 0),
            None if checksum is None else str(checksum),
        ))
    sources.sort(key=lambda r: (r[1] or "", r[0]))
    return (_Sheet("sources", SHEET_COLUMNS["sources"], tuple(sources)),
            _Sheet("claims", SHEET_COLUMNS["claims"], tuple(claims)))


def _about_rows(graph: Graph, sheets: Sequence[_Sheet], titles: Mapping[str, str],
                descriptions: Mapping[str, str], built: datetime | date | None) -> list[tuple[Any, Any]]:
    licences = sorted({(preferred_label(graph, s), str(lic)) for s, lic in graph.subject_objects(DCTERMS.license)})
    rows: list[tuple[Any, Any]] = [
        (titles["workbook"], descriptions["workbook"]),
        (titles["graph_built"], built if built is not None else descriptions["not_recorded"]),
        (titles["written"], datetime.now().replace(microsecond=0)),
        (titles["triples"], len(graph)),
        *((titles["licence"], f"{name}: {licence}") for name, licence in licences),
        (titles["licence"], descriptions["data_licence"]),
        (titles["attribution"], descriptions["attribution"]),
    ]
    rows += [(titles[s.key], f"{len(s.rows)} · {descriptions[s.key]}") for s in sheets]
    return rows


# --- writing ---------------------------------------------------------------------------------------


class _Writer:
    """Cells written by type into an xlsxwriter workbook, with the formats made once."""

    def __init__(self, workbook: Any) -> None:
        self.book = workbook
        self.header = workbook.add_format({"bold": True, "bottom": 1, "bg_color": "#E8EEF4"})
        self.date = workbook.add_format({"num_format": _DATE_FORMAT})
        self.datetime = workbook.add_format({"num_format": _DATETIME_FORMAT})
        self.euro = workbook.add_format({"num_format": _EURO_FORMAT})
        self.wrap = workbook.add_format({"text_wrap": True, "valign": "top"})

    def cell(self, sheet: Any, row: int, col: int, value: Any, *, money: bool = False) -> int:
        """Write *value* with its type; the width (characters) it needs."""
        if _missing(value):
            return 0
        if isinstance(value, bool) or type(value).__name__ == "bool_":
            sheet.write_boolean(row, col, bool(value))
            return 5
        if isinstance(value, datetime):  # also pandas.Timestamp
            if value.tzinfo is not None:
                value = value.replace(tzinfo=None)
            if value.time() == time(0):
                sheet.write_datetime(row, col, value, self.date)
                return 10
            sheet.write_datetime(row, col, value, self.datetime)
            return 16
        if isinstance(value, date):
            sheet.write_datetime(row, col, datetime.combine(value, time(0)), self.date)
            return 10
        if isinstance(value, int | float | Decimal) or _is_numpy_number(value):
            number = float(value)
            if money:
                sheet.write_number(row, col, number, self.euro)
                return len(f"{number:,.2f}") + 2
            sheet.write_number(row, col, number)
            return len(str(value)) if not isinstance(value, float) else len(f"{number:.6g}")
        text = str(value)
        if len(text) > _MAX_TEXT:  # Excel's limit: say so rather than cut silently
            text = text[:_MAX_TEXT - 1] + "…"
        sheet.write_string(row, col, text)
        return max((len(line) for line in text.splitlines()), default=0)

    def table(self, name: str, headers: Sequence[str], rows: Iterable[Sequence[Any]],
              money: Iterable[int] = ()) -> None:
        """One sheet: header row (frozen), typed rows, a filter over all and fitted widths."""
        sheet = self.book.add_worksheet(name)
        widths = [len(h) + 3 for h in headers]  # room for the filter button
        money_columns = set(money)
        count = 0
        for count, values in enumerate(rows, start=1):
            if count >= _MAX_ROWS:
                raise InputError(f"sheet {name!r} has more than {_MAX_ROWS - 1:,} rows, Excel's limit; "
                                 f"write a narrower selection or CSV")
            for col, value in enumerate(values):
                width = self.cell(sheet, count, col, value, money=col in money_columns)
                if width > widths[col]:
                    widths[col] = width
        for col, header in enumerate(headers):
            sheet.write_string(0, col, header, self.header)
            sheet.set_column(col, col, min(max(widths[col] + 1, 6), 60))
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, count, max(len(headers) - 1, 0))


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):  # also numpy.float64
        return math.isnan(value)
    if type(value).__module__.startswith("pandas"):  # pandas.NA, pandas.NaT
        import pandas as pd

        return value is pd.NA or value is pd.NaT
    return False


def _is_numpy_number(value: Any) -> bool:
    module = type(value).__module__
    return module == "numpy" and hasattr(value, "dtype") and value.dtype.kind in "iuf"


def _open(path: Path) -> Any:
    try:
        import xlsxwriter  # type: ignore[import-untyped]  # no py.typed
    except ImportError as err:  # pragma: no cover - xlsxwriter is a dependency
        raise ImportError("writing .xlsx needs xlsxwriter: pip install xlsxwriter") from err
    # Text is text: never read as a formula, a URL or a number.
    return xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                           "strings_to_numbers": False})


def _close(workbook: Any, path: Path) -> None:
    from xlsxwriter.exceptions import FileCreateError  # type: ignore[import-untyped]

    try:
        workbook.close()
    except (FileCreateError, OSError) as err:  # FileCreateError wraps the OSError
        cause = err.args[0] if err.args and isinstance(err.args[0], OSError) else err
        reason = cause.strerror if isinstance(cause, OSError) and cause.strerror else str(cause)
        raise InputError(f"{path}: cannot write the workbook: {reason}") from err


def _sheet_name(name: str) -> str:
    if not name or len(name) > 31 or set(name) & _SHEET_FORBIDDEN or name.startswith("'") or name.endswith("'"):
        raise InputError(f"{name!r} cannot be a sheet name: 1 to 31 characters, none of [ ] : * ? / \\, "
                         "not starting or ending with an apostrophe")
    return name


def write_workbook(graph: Graph, path: Path, *, built: datetime | date | None = None,
                   overlaps: bool = True, titles: Mapping[str, str] | None = None,
                   descriptions: Mapping[str, str] | None = None, lang: Lang | None = None) -> Path:
    """Write *graph* as one .xlsx workbook with a sheet per subject; return *path*.

    Sheets (keys of :data:`SHEET_COLUMNS`, after an ``about`` sheet): ``projects``
    (one row per project, from the ``projects`` query, with real start and end dates,
    the period as stated and amounts by kind in euros), ``implementers`` (project,
    organisation, role), ``funding`` (funding record and amount with its kind),
    ``municipalities``, ``regions``, ``themes`` and ``target_groups`` (one row per
    project and value), ``overlaps`` and ``overlap_reasons`` (from
    :func:`~hyvinvointi_kg.analysis.overlaps.find_overlaps`), ``sources`` and
    ``claims`` (one row per claim, with its file and lines).

    Parameters
    ----------
    graph
        The knowledge graph (with the ontology, for labels of kinds and roles).
    path
        The ``.xlsx`` file to write (replaced if it exists).
    built
        When the graph was built, shown on the about sheet (the graph does not record it).
    overlaps
        Include the overlaps sheets (finding overlaps takes about a second on the bundled graph).
    titles
        Sheet and column titles by key, replacing those of :func:`column_titles`.
    descriptions
        The about sheet's texts and what each sheet holds, by key, replacing :data:`DESCRIPTIONS` entries.
    lang
        The language of titles, texts and names of concepts (default:
        :func:`hyvinvointi_kg.i18n.default_lang`); identifiers and values stay as in the graph.

    Returns
    -------
    pathlib.Path
        *path*.

    Raises
    ------
    InputError
        If the file cannot be written, or a translated sheet title is not a valid sheet name.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from rdflib import Graph
    >>> g = Graph().parse(format="turtle", data='''
    ...     @prefix hk: <https://w3id.org/hyvinvointi-kg/ontology#> .
    ...     @prefix dcterms: <http://purl.org/dc/terms/> .
    ...     @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
    ...     <https://w3id.org/hyvinvointi-kg/id/project/p> a hk:Project ;
    ...         dcterms:title "=Hanke"@fi ; hk:startDate "2019-09-01"^^xsd:date .
    ... ''')
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = write_workbook(g, Path(tmp) / "hankkeet.xlsx", overlaps=False)
    ...     out.name, out.stat().st_size > 0
    ('hankkeet.xlsx', True)
    """
    path = Path(path)
    lang = default_lang() if lang is None else check_lang(lang)
    _ = translator(lang).gettext
    titles = {**column_titles(lang), **_amount_titles(graph, lang), **(titles or {})}
    descriptions = {**{key: _(text) for key, text in DESCRIPTIONS.items()}, **(descriptions or {})}
    label = _Labels(graph, lang)
    funding, totals = _funding_sheet(graph, label)
    sheets = [_projects_sheet(graph, totals), _implementers_sheet(graph, label), funding,
              *_areas_sheets(graph, label), *_concepts_sheets(graph, label)]
    if overlaps:
        sheets += _overlaps_sheets(graph)
    sheets += _claims_and_sources_sheets(graph, label)
    names = [_sheet_name(titles[key]) for key in ("about", *(s.key for s in sheets))]
    if len({n.casefold() for n in names}) != len(names):
        raise InputError(f"sheet titles must differ (ignoring case): {', '.join(names)}")
    workbook = _open(path)
    writer = _Writer(workbook)
    writer.table(names[0], [titles["item"], titles["value"]],
                 _about_rows(graph, sheets, titles, descriptions, built))
    for name, sheet in zip(names[1:], sheets, strict=True):
        writer.table(name, [titles.get(c, c) for c in sheet.columns], sheet.rows,
                     money=[k for k, c in enumerate(sheet.columns) if c in sheet.money])
    _close(workbook, path)
    return path


def _money_by_name(column: str) -> bool:
    parts = column.casefold().split("_")
    return "amount" in parts or "eur" in parts


def write_frame_xlsx(frame: pandas.DataFrame, path: Path, *, sheet: str = "data", index: bool = False,
                     money: Iterable[str] | Callable[[str], bool] = _money_by_name) -> Path:
    """Write *frame* as a one-sheet .xlsx file with typed cells; return *path*.

    The same rules as :func:`write_workbook`: dates (``date``, ``datetime``,
    ``Timestamp``) as Excel dates, numbers as numbers, text as text (never a
    formula), missing values as empty cells, a frozen header row, a filter and
    fitted widths. This is how ``table``, ``query``, ``overlaps`` and ``metrics``
    results are written as spreadsheets.

    Parameters
    ----------
    frame
        The table; its column names become the header row.
    path
        The ``.xlsx`` file to write (replaced if it exists).
    sheet
        The sheet's name (at most 31 characters, none of ``[ ] : * ? / \\``).
    index
        Also write the index, as the first columns.
    money
        The columns written in euros: their names, or a test of a column's name
        (default: names with ``amount`` or ``eur`` as an ``_``-separated part).

    Raises
    ------
    InputError
        If *sheet* is not a valid sheet name, the frame has more rows than Excel
        holds, or the file cannot be written.

    Examples
    --------
    >>> import tempfile
    >>> from datetime import date
    >>> from pathlib import Path
    >>> import pandas
    >>> frame = pandas.DataFrame({"name": ["=1+2", "Kemi"], "start": [date(2019, 9, 1), None],
    ...                           "amount": [259577.0, None]})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     write_frame_xlsx(frame, Path(tmp) / "taulukko.xlsx", sheet="hankkeet").name
    'taulukko.xlsx'
    """
    path = Path(path)
    name = _sheet_name(sheet)
    if index:
        frame = frame.reset_index()
    columns = [str(c) for c in frame.columns]
    is_money = money if callable(money) else set(money).__contains__
    workbook = _open(path)
    _Writer(workbook).table(name, columns, frame.itertuples(index=False, name=None),
                            money=[k for k, c in enumerate(columns) if is_money(c)])
    _close(workbook, path)
    return path
