"""Conflicting claims: keep every source's value as a claim, assert one current value by rule.

The rule, in order:

1. the source kind: an official register description beats a project's own
   summary card, which beats the compiled catalogue, which beats an earlier news
   release (``SOURCE_PRECEDENCE``). Imported spreadsheets (``build --add``) take
   the rank of their kind of source: a register export (the EURA 2021–2027
   report, the STEA register) is the official register itself, so it ranks with
   the register descriptions; our project spreadsheet filled in by a coordinator
   is a compilation of what others state, like the catalogue, so it ranks with
   the catalogue: below the registers and the project's own summary card;
2. the more precise value (a day beats a month beats a year);
3. for a start or an end of equal standing, the union of the stated periods
   (the earliest start, the latest end);
4. among equals, the value stated by more records, then the first in the source.

Losing values stay in the graph as claims marked ``hk:supersededBy`` the winning
claim with the ``hk:selectionRule`` that decided; a losing title becomes
``dcterms:alternative``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, XSD
from rdflib.term import Node

from hyvinvointi_kg.namespaces import HK

__all__ = ["FUNCTIONAL_PROPERTIES", "SOURCE_PRECEDENCE", "Conflict", "ProjectBudget",
           "project_budgets", "resolve_conflicts"]

SOURCE_PRECEDENCE = {
    HK.RegisterDescription: 4,
    HK.RegisterExport: 4,
    HK.SummaryCard: 3,
    HK.Catalogue: 2,
    HK.ProjectSpreadsheet: 2,
    HK.NewsRelease: 1,
}
FUNCTIONAL_PROPERTIES = (HK.start, HK.end, HK.status, HK.leadImplementer, HK.amount,
                         HK.grantingAuthority, HK.domicile, DCTERMS.title)
_PRECISION = {XSD.date: 3, XSD.gYearMonth: 2, XSD.gYear: 1}


@dataclass(frozen=True)
class Conflict:
    """Sources disagree on one property of one node."""

    subject: str
    predicate: str
    chosen: str
    chosen_sources: tuple[str, ...]
    rejected: tuple[tuple[str, tuple[str, ...]], ...]
    rule: str


@dataclass(frozen=True)
class ProjectBudget:
    """An amount a source states for a whole project, beside its funding records' amounts.

    Not a conflict to decide: the scopes differ (a total budget that includes the
    municipalities' share is not the amount of one fund), so both stay current and
    the report shows them side by side. Sources are ``file:line``.
    """

    project: str
    kind: str
    amount: str
    sources: tuple[str, ...]
    funding_amounts: tuple[tuple[str, str, str, tuple[str, ...]], ...]
    """(funding record, kind, amount, sources) of every amount of the project's funding."""


def project_budgets(graph: Graph) -> list[ProjectBudget]:
    """The whole-project amounts (``hk:projectBudget``) with the amounts of the project's funding.

    Examples
    --------
    >>> from rdflib import Graph
    >>> g = Graph().parse(data='''
    ... @prefix hk: <https://w3id.org/hyvinvointi-kg/ontology#> .
    ... @prefix k: <https://w3id.org/hyvinvointi-kg/concept/amount-kind/> .
    ... <p> hk:projectBudget <p/b> ; hk:hasFunding <p/f> .
    ... <p/b> hk:amount 100.0 ; hk:amountKind k:total-budget-incl-municipal-share .
    ... <p/f> hk:hasAmount <p/f/a> . <p/f/a> hk:amount 80.0 ; hk:amountKind k:granted-eu-state .
    ... ''', format="turtle", publicID="https://example.org/")
    >>> [(b.kind, b.amount, [a[1:3] for a in b.funding_amounts]) for b in project_budgets(g)]
    [('total-budget-incl-municipal-share', '100.0', [('granted-eu-state', '80.0')])]
    """
    def sources(subject: Node, predicate: Node, obj: Node) -> tuple[str, ...]:
        found = set()
        for claim in graph.subjects(RDF.object, obj):
            if (graph.value(claim, RDF.subject) == subject
                    and graph.value(claim, RDF.predicate) == predicate):
                _rank, file_name, line = _claim_info(graph, claim)
                found.add(f"{file_name}:{line}")
        return tuple(sorted(found))

    def kind(node: Node) -> str:
        return str(graph.value(node, HK.amountKind) or "").rsplit("/", 1)[-1]

    budgets = []
    for project, node in sorted(graph.subject_objects(HK.projectBudget), key=lambda so: tuple(map(str, so))):
        value = graph.value(node, HK.amount)
        if value is None:
            continue
        funding_amounts = []
        for funding in sorted(graph.objects(project, HK.hasFunding), key=str):
            for amount in sorted(graph.objects(funding, HK.hasAmount), key=str):
                figure = graph.value(amount, HK.amount)
                if figure is not None:
                    funding_amounts.append((str(funding), kind(amount), str(figure),
                                            sources(amount, HK.amount, figure)))
        budgets.append(ProjectBudget(
            project=str(project), kind=kind(node), amount=str(value),
            sources=sources(node, HK.amount, value), funding_amounts=tuple(funding_amounts)))
    return budgets


def _claim_info(graph: Graph, claim: Node) -> tuple[int, str, int]:
    span = graph.value(claim, PROV.wasDerivedFrom)
    document = graph.value(span, HK.inDocument) if span is not None else None
    rank = max((SOURCE_PRECEDENCE.get(t, 0) for t in graph.objects(document, RDF.type)
                if isinstance(t, URIRef)), default=0) if document is not None else 0
    line = (graph.value(span, HK.firstLine) or graph.value(span, HK.rowNumber)) if span is not None else None
    return (rank, str(graph.value(document, HK.fileName) or ""),
            int(str(line)) if line is not None else 0)


def resolve_conflicts(graph: Graph) -> list[Conflict]:
    """Choose one current value where sources disagree on a single-valued property.

    Modifies *graph* in place (the name says so in the module's contract: this
    is a build step) and returns the conflicts it decided, for the report.
    Titles are single-valued per language.
    """
    claims: dict[tuple[Node, Node, Node], list[Node]] = defaultdict(list)
    for claim in graph.subjects(RDF.type, HK.Claim):
        s, p, o = (graph.value(claim, RDF.subject), graph.value(claim, RDF.predicate),
                   graph.value(claim, RDF.object))
        if p is not None and p in FUNCTIONAL_PROPERTIES and s is not None and o is not None:
            claims[(s, p, o)].append(claim)
    groups: dict[tuple[Node, Node, str], list[Node]] = defaultdict(list)
    for s, p, o in claims:
        lang = o.language if isinstance(o, Literal) and p == DCTERMS.title else ""
        groups[(s, p, lang or "")].append(o)
    conflicts = []
    for (s, p, _lang), values in sorted(groups.items(), key=lambda kv: tuple(map(str, kv[0]))):
        values = sorted(set(values), key=str)
        if len(values) < 2:
            continue

        def score(value: Node, s: Node = s, p: Node = p) -> tuple[int, int, int, int, int, str]:
            infos = [_claim_info(graph, c) for c in claims[(s, p, value)]]
            best_rank = max(i[0] for i in infos)
            datatype = value.datatype if isinstance(value, Literal) else None
            precision = _PRECISION.get(datatype, 0) if datatype is not None else 0
            first_line = min(i[2] for i in infos if i[0] == best_rank)
            # Periods of equal standing: their union (the earliest start, the latest end).
            span = 0
            if p in (HK.start, HK.end) and isinstance(value, Literal):
                bound = _bound(value, last=p == HK.end)
                if bound is not None:
                    ordinal = bound.toPython().toordinal()
                    span = ordinal if p == HK.end else -ordinal
            return (best_rank, precision, span, len(infos), -first_line, str(value))

        ranked = sorted(values, key=score, reverse=True)
        winner, losers = ranked[0], ranked[1:]
        top, second = score(winner), score(losers[0])
        reason = ("source precedence (register > summary card > catalogue > news release)"
                  if top[0] != second[0] else "more precise value" if top[1] != second[1]
                  else "union of the periods stated by records of equal standing"
                  if top[2] != second[2]
                  else "stated by more records" if top[3] != second[3]
                  else "stated first in the source")
        winning_claim = sorted(claims[(s, p, winner)], key=str)[0]
        for value in losers:
            graph.remove((s, p, value))
            if p == DCTERMS.title:
                graph.add((s, DCTERMS.alternative, value))
            for claim in claims[(s, p, value)]:
                graph.add((claim, HK.supersededBy, winning_claim))
                graph.add((claim, HK.selectionRule, Literal(reason)))
        conflicts.append(Conflict(
            subject=str(s), predicate=str(p), chosen=str(winner),
            chosen_sources=tuple(sorted({_claim_info(graph, c)[1] for c in claims[(s, p, winner)]})),
            rejected=tuple((str(v), tuple(sorted({_claim_info(graph, c)[1]
                                                  for c in claims[(s, p, v)]}))) for v in losers),
            rule=reason,
        ))
    _align_bounds(graph)
    return conflicts


def _bound(value: Node, *, last: bool) -> Literal | None:
    from hyvinvointi_kg.assembly.periods import PartialDate

    if not isinstance(value, Literal):
        return None
    text = str(value)
    parts = [int(x) for x in text.split("-")] if value.datatype in _PRECISION else []
    if not parts:
        return None
    day = PartialDate(*parts)
    return Literal(day.last_day() if last else day.first_day(), datatype=XSD.date)


def _align_bounds(graph: Graph) -> None:
    """Make hk:startDate/hk:endDate follow the chosen hk:start/hk:end."""
    for stated, bound, last in ((HK.start, HK.startDate, False), (HK.end, HK.endDate, True)):
        for subject in set(graph.subjects(bound, None)):
            chosen = graph.value(subject, stated)
            expected = _bound(chosen, last=last) if chosen is not None else None
            if expected is None:
                continue
            winners = sorted((c for c in graph.subjects(RDF.object, chosen)
                             if graph.value(c, RDF.subject) == subject
                             and graph.value(c, RDF.predicate) == stated), key=str)
            for value in list(graph.objects(subject, bound)):
                if value != expected:
                    graph.remove((subject, bound, value))
                    for claim in list(graph.subjects(RDF.object, value)):
                        if (graph.value(claim, RDF.subject) == subject
                                and graph.value(claim, RDF.predicate) == bound):
                            graph.add((claim, HK.selectionRule,
                                       Literal(f"follows the chosen {stated.split('#')[-1]}")))
                            if winners:
                                graph.add((claim, HK.supersededBy, winners[0]))
            graph.add((subject, bound, expected))
