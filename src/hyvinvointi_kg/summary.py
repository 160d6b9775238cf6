"""Key figures of a graph: counts of projects, organisations, places, sources, triples."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph
from rdflib.namespace import RDF, RDFS

from hyvinvointi_kg.namespaces import HK

__all__ = ["GraphSummary", "summarise"]


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

    def lines(self) -> list[str]:
        """One ``name: count`` line per figure."""
        return [f"{name}: {value}" for name, value in vars(self).items()]


def summarise(graph: Graph) -> GraphSummary:
    """Count projects, organisations, places, sources, claims and triples in *graph*.

    Organisations are counted by ``rdf:type`` of any organisation kind (the
    ontology's subclasses of ``hk:Organisation``), so no inference is needed.

    Examples
    --------
    >>> from hyvinvointi_kg.graph import load_graph
    >>> s = summarise(load_graph())
    >>> s.projects, s.regions
    (227, 19)
    """
    def count(cls: object) -> int:
        return len(set(graph.subjects(RDF.type, cls)))  # type: ignore[arg-type]

    kinds = {HK.Organisation} | set(graph.transitive_subjects(
        RDFS.subClassOf, HK.Organisation))
    organisations = {s for k in kinds for s in graph.subjects(RDF.type, k)}
    return GraphSummary(
        projects=count(HK.Project),
        organisations=len(organisations),
        municipalities=count(HK.Municipality),
        subregions=count(HK.SubRegion),
        regions=count(HK.Region),
        sources=len({s for k in (HK.SourceDocument, HK.RegisterDescription, HK.Catalogue,
                                  HK.SummaryCard, HK.NewsRelease)
                     for s in graph.subjects(RDF.type, k)}),
        claims=count(HK.Claim),
        triples=len(graph),
    )
