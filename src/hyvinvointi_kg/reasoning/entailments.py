"""Reasoning: the full OWL RL closure with owlrl, and a fast materialisation of what queries need."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Literal

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.namespaces import bind_prefixes
from hyvinvointi_kg.reasoning.closure import transitive_closure

if TYPE_CHECKING:
    import pyoxigraph

__all__ = ["Method", "entailments", "infer", "materialise"]

Method = Literal["rules", "owlrl", "sparql"]


def infer(graph: Graph) -> Graph:
    """Return a new graph with the OWL 2 RL closure of *graph* (owlrl); *graph* is not changed.

    This is the reference reasoner: complete for OWL RL, but slow (seconds per
    thousand triples). *graph* should contain the ontology (see
    :func:`hyvinvointi_kg.stores.files.load_ontology`) for the axioms to apply.

    Examples
    --------
    >>> from rdflib import Graph
    >>> g = Graph().parse(data='''
    ... @prefix hk: <https://w3id.org/hyvinvointi-kg/ontology#> .
    ... @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ... hk:leadImplementer rdfs:subPropertyOf hk:implementedBy .
    ... <https://example.org/p> hk:leadImplementer <https://example.org/o> .
    ... ''', format="turtle")
    >>> closed = infer(g)
    >>> from hyvinvointi_kg.namespaces import HK
    >>> (URIRef("https://example.org/p"), HK.implementedBy, URIRef("https://example.org/o")) in closed
    True
    >>> len(g)
    2
    """
    import owlrl

    result = bind_prefixes(Graph(store="SimpleMemory"))
    result += graph
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(result)
    return result


def materialise(graph: Graph) -> Graph:
    """Return a new graph with *graph* plus the entailments the library's queries rely on.

    A fast, targeted subset of OWL RL driven by the axioms in *graph*:
    ``rdfs:subClassOf`` and ``rdfs:subPropertyOf`` (transitively),
    ``rdfs:domain`` and ``rdfs:range`` (resources only), ``owl:inverseOf``,
    ``owl:TransitiveProperty`` and two-step ``owl:propertyChainAxiom``, applied
    to a fixpoint. Every triple it adds is also in :func:`infer`'s closure (the
    tests check this on the real graph).

    Examples
    --------
    >>> from hyvinvointi_kg.stores.files import load_ontology
    >>> from hyvinvointi_kg.namespaces import HK
    >>> g = load_ontology()
    >>> p, o = URIRef("https://example.org/p"), URIRef("https://example.org/o")
    >>> _ = g.add((p, HK.partner, o))
    >>> m = materialise(g)
    >>> (o, HK.implements, p) in m, (p, RDF.type, HK.Project) in m
    (True, True)
    """
    result = bind_prefixes(Graph(store="SimpleMemory"))
    result += graph
    for triple in _entailed(graph):
        result.add(triple)
    return result


def _entailed(graph: Graph) -> set[tuple[Node, Node, Node]]:
    """The triples the rules add to *graph*, without copying it (semi-naive fixpoint)."""
    sub_class: dict[Node, set[Node]] = defaultdict(set)
    for s, o in graph.subject_objects(RDFS.subClassOf):
        if isinstance(o, URIRef) and s != o:
            sub_class[s].add(o)
    sub_prop: dict[Node, set[Node]] = defaultdict(set)
    for s, o in graph.subject_objects(RDFS.subPropertyOf):
        if s != o:
            sub_prop[s].add(o)
    super_classes = transitive_closure(sub_class)
    super_props = transitive_closure(sub_prop)
    inverses: dict[Node, set[Node]] = defaultdict(set)
    for s, o in graph.subject_objects(OWL.inverseOf):
        inverses[s].add(o)
        inverses[o].add(s)
    transitive = set(graph.subjects(RDF.type, OWL.TransitiveProperty))
    domains = {p: set(graph.objects(p, RDFS.domain)) for p in set(graph.subjects(RDFS.domain))}
    ranges = {p: set(graph.objects(p, RDFS.range)) for p in set(graph.subjects(RDFS.range))}
    chains: list[tuple[Node, Node, Node]] = []
    for prop, head in graph.subject_objects(OWL.propertyChainAxiom):
        steps = list(Collection(graph, head))
        if len(steps) == 2:
            chains.append((prop, steps[0], steps[1]))

    added: set[tuple[Node, Node, Node]] = set()
    by_predicate: dict[Node, set[tuple[Node, Node]]] = defaultdict(set)

    def pairs(p: Node) -> list[tuple[Node, Node]]:
        return [*graph.subject_objects(p), *by_predicate.get(p, ())]

    relevant = set(super_props) | set(inverses) | set(domains) | set(ranges)
    while True:
        new: set[tuple[Node, Node, Node]] = set()
        types = pairs(RDF.type)
        for s, cls in types:
            for sup in super_classes.get(cls, ()):
                new.add((s, RDF.type, sup))
        for p in relevant:
            for s, o in pairs(p):
                for sup in super_props.get(p, ()):
                    new.add((s, sup, o))
                if isinstance(o, (URIRef, BNode)):
                    for inv in inverses.get(p, ()):
                        new.add((o, inv, s))
                    for cls in ranges.get(p, ()):
                        new.add((o, RDF.type, cls))
                for cls in domains.get(p, ()):
                    new.add((s, RDF.type, cls))
        for prop in transitive:
            succ: dict[Node, set[Node]] = defaultdict(set)
            for s, o in pairs(prop):
                succ[s].add(o)
            for s, reach in transitive_closure(succ).items():
                for o in reach:
                    new.add((s, prop, o))
        for prop, first, second in chains:
            second_of: dict[Node, set[Node]] = defaultdict(set)
            for mid, o in pairs(second):
                second_of[mid].add(o)
            for s, mid in pairs(first):
                for o in second_of.get(mid, ()):
                    new.add((s, prop, o))
        fresh = {t for t in new if t not in added and t not in graph}
        if not fresh:
            return added
        added |= fresh
        for s, p, o in fresh:
            by_predicate[p].add((s, o))


def entailments(graph: Graph | pyoxigraph.Store, *, method: Method = "rules") -> Graph:
    """Only the triples reasoning adds to *graph* (the content of ``inferred.ttl``).

    Parameters
    ----------
    graph
        The data with the ontology; it is not modified. With ``method="sparql"`` it may
        also be a store built by :func:`hyvinvointi_kg.stores.oxigraph.load_store`.
    method
        ``"rules"`` (default): the rules of :func:`materialise` in Python over rdflib;
        ``"sparql"``: the same rules as SPARQL updates on Oxigraph, the same triples
        (:func:`hyvinvointi_kg.reasoning.rules_sparql.entailments_sparql`; to add them to a store in
        place, :func:`hyvinvointi_kg.reasoning.rules_sparql.materialise_in_place`);
        ``"owlrl"``: the complete OWL RL closure of :func:`infer`, slow.

    Raises
    ------
    InputError
        For an unknown method, a store with a method other than ``"sparql"``, or
        (``"sparql"``) a missing pyoxigraph.

    Examples
    --------
    >>> from hyvinvointi_kg.stores.files import load_ontology
    >>> from hyvinvointi_kg.namespaces import HK
    >>> g = load_ontology()
    >>> _ = g.add((URIRef("https://example.org/p"), HK.partner, URIRef("https://example.org/o")))
    >>> (URIRef("https://example.org/o"), HK.implements, URIRef("https://example.org/p")) in entailments(g)
    True
    >>> set(entailments(g, method="sparql")) == set(entailments(g))
    True
    """
    if method == "sparql":
        from hyvinvointi_kg.reasoning.rules_sparql import entailments_sparql

        return entailments_sparql(graph)
    if method not in ("rules", "owlrl"):
        raise InputError(f"unknown entailment method {method!r}; one of rules, owlrl, sparql")
    if not isinstance(graph, Graph):
        raise InputError(f"entailments(method={method!r}) takes an rdflib Graph, not {type(graph).__name__}")
    added = bind_prefixes(Graph(store="SimpleMemory"))
    if method == "rules":
        for triple in _entailed(graph):
            added.add(triple)
        return added
    for triple in infer(graph):
        if triple not in graph:
            added.add(triple)
    return added
