"""Claims: every fact added to the graph together with the source lines that state it."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, XSD
from rdflib.term import Node

from hyvinvointi_kg.namespaces import HK, claim_iri, span_iri
from hyvinvointi_kg.sources import SourceDocument

__all__ = ["Stated", "add_claim"]


@dataclass(frozen=True)
class Stated:
    """A value exactly as a source writes it, with the lines it spans (1-based, inclusive)."""

    text: str
    first_line: int
    last_line: int

    def __post_init__(self) -> None:
        if not 1 <= self.first_line <= self.last_line:
            raise ValueError(f"bad line range {self.first_line}-{self.last_line}")


def add_claim(
    graph: Graph,
    subject: URIRef,
    predicate: URIRef,
    obj: Node,
    *,
    source: SourceDocument,
    stated: Stated,
    rule: str | None = None,
) -> URIRef:
    """Assert ``subject predicate obj`` and record who says so.

    Adds the triple itself, a ``hk:Claim`` (a reified ``rdf:Statement``) derived
    from a ``hk:SourceSpan`` of *source*, the text as stated and, when the value
    is not a plain copy of the text, the rule that derived it. The subject also
    gets ``dcterms:source`` the document. Returns the claim's IRI.

    Examples
    --------
    >>> from rdflib import Graph, Literal, URIRef
    >>> from hyvinvointi_kg.sources import SourceDocument
    >>> doc = SourceDocument("x_fi.txt", "register", "fi", "00", 10)
    >>> g = Graph()
    >>> s = URIRef("https://example.org/p")
    >>> claim = add_claim(g, s, HK.projectCode, Literal("S1"), source=doc,
    ...                   stated=Stated("Hankekoodi: S1", 5, 5))
    >>> (s, HK.projectCode, Literal("S1")) in g, g.value(claim, RDF.subject) == s
    (True, True)
    """
    span = span_iri(source.file_name, stated.first_line, stated.last_line)
    claim = claim_iri(subject, predicate, obj, span)
    graph.add((subject, predicate, obj))
    graph.add((subject, DCTERMS.source, source.iri))
    graph.add((claim, RDF.type, HK.Claim))
    graph.add((claim, RDF.subject, subject))
    graph.add((claim, RDF.predicate, predicate))
    graph.add((claim, RDF.object, obj))
    graph.add((claim, PROV.wasDerivedFrom, span))
    graph.add((claim, HK.statedAs, Literal(stated.text)))
    if rule:
        graph.add((claim, HK.derivationRule, Literal(rule)))
    graph.add((span, RDF.type, HK.SourceSpan))
    graph.add((span, HK.inDocument, source.iri))
    graph.add((span, HK.firstLine, Literal(stated.first_line, datatype=XSD.positiveInteger)))
    graph.add((span, HK.lastLine, Literal(stated.last_line, datatype=XSD.positiveInteger)))
    return claim
