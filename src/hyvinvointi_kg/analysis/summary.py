"""Key figures of a graph: counts of projects, organisations, places, sources, triples."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph

from hyvinvointi_kg.i18n import N_, Lang, translator
from hyvinvointi_kg.stores.backends import count_triples

__all__ = ["GraphSummary", "summarise"]

# The line of each figure of GraphSummary, by field (English: "projects: 227").
_FIGURES = {
    "projects": N_("projects: {n}"), "organisations": N_("organisations: {n}"),
    "municipalities": N_("municipalities: {n}"), "subregions": N_("subregions: {n}"), "regions": N_("regions: {n}"),
    "sources": N_("sources: {n}"), "claims": N_("claims: {n}"), "triples": N_("triples: {n}"),
}


@dataclass(frozen=True)
class GraphSummary:
    """Counts of the main kinds of node in a graph."""

    projects: int
    organisations: int
    municipalities: int
    subregions: int
    regions: int
    sources: int
    claims: int
    triples: int

    def lines(self, *, lang: Lang = "en") -> list[str]:
        """One ``name: count`` line per figure, in *lang*: what ``build`` ends with and ``info`` prints.

        Examples
        --------
        >>> summary = GraphSummary(227, 256, 309, 69, 19, 9, 7256, 97222)
        >>> summary.lines()[:2], summary.lines(lang="fi")[:2]
        (['projects: 227', 'organisations: 256'], ['hankkeita: 227', 'organisaatioita: 256'])
        """
        t = translator(lang)
        return [t.gettext(_FIGURES[name]).format(n=value) for name, value in vars(self).items()]


def summarise(graph: Graph) -> GraphSummary:
    """Count projects, organisations, places, sources, claims and triples in *graph*.

    Organisations are counted by ``rdf:type`` of any organisation kind (the
    ontology's subclasses of ``hk:Organisation``), so no inference is needed.

    Examples
    --------
    >>> from hyvinvointi_kg.stores.files import load_graph
    >>> s = summarise(load_graph())
    >>> s.projects, s.regions
    (227, 19)
    """
    # One SPARQL query, so that a store answers it itself (Oxigraph: one call, not a walk).
    counts = {str(kind): int(str(n)) for kind, n in graph.query(_COUNTS)}  # type: ignore[misc]
    return GraphSummary(
        projects=counts.get("projects", 0),
        organisations=counts.get("organisations", 0),
        municipalities=counts.get("municipalities", 0),
        subregions=counts.get("subregions", 0),
        regions=counts.get("regions", 0),
        sources=counts.get("sources", 0),
        claims=counts.get("claims", 0),
        triples=count_triples(graph),
    )


# Organisations by rdf:type of any organisation kind (subclasses of hk:Organisation, and
# hk:Organisation itself by the zero-length path even where the ontology is not loaded).
_COUNTS = """
PREFIX hk: <https://w3id.org/hyvinvointi-kg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?kind (COUNT(DISTINCT ?node) AS ?n) WHERE {
  {
    VALUES (?kind ?class) {
      ("projects" hk:Project) ("municipalities" hk:Municipality) ("subregions" hk:SubRegion)
      ("regions" hk:Region) ("claims" hk:Claim) ("sources" hk:SourceDocument)
      ("sources" hk:RegisterDescription) ("sources" hk:Catalogue) ("sources" hk:SummaryCard)
      ("sources" hk:NewsRelease)
    }
    ?node a ?class .
  } UNION {
    ?class rdfs:subClassOf* hk:Organisation .
    ?node a ?class .
    BIND("organisations" AS ?kind)
  }
}
GROUP BY ?kind
"""
