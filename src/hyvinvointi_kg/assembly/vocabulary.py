"""Labels in the graph's vocabularies: a name in, the IRI it labels out; a node in, the label to show out."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS
from rdflib.term import Node

from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.namespaces import HK

__all__ = ["LabelIndex", "label_key", "preferred_label", "resolve_name"]


def preferred_label(graph: Graph, node: Node) -> str:
    """The name to show for *node*: skos:prefLabel, else dcterms:title, else rdfs:label,
    Finnish first, then English, then any language; the IRI when there is none.

    Examples
    --------
    >>> from hyvinvointi_kg.stores.files import load_ontology
    >>> preferred_label(load_ontology(), URIRef("https://w3id.org/hyvinvointi-kg/concept/theme/turvallisuus"))
    'turvallisuus'
    """
    for prop in (SKOS.prefLabel, DCTERMS.title, RDFS.label):
        labels = sorted(graph.objects(node, prop), key=str)
        for lang in ("fi", "en", None):
            for label in labels:
                if isinstance(label, Literal) and (lang is None or label.language == lang):
                    return str(label)
    return str(node)


def label_key(text: str) -> str:
    """The form under which labels are compared: spacing, dashes and case ignored.

    Examples
    --------
    >>> label_key("Pohjois-Suomen  ELY–keskus")
    'pohjois-suomen ely-keskus'
    """
    return " ".join(text.replace("–", "-").split()).casefold()


class LabelIndex:
    """Resolve names to IRIs of resources of some types by their SKOS labels (case-insensitive).

    Examples
    --------
    >>> from rdflib import Graph
    >>> g = Graph().parse(data='''
    ... @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    ... @prefix hk: <https://w3id.org/hyvinvointi-kg/ontology#> .
    ... <https://example.org/ely> a hk:StateAgency ; skos:altLabel "ELY-keskus"@fi .
    ... ''', format="turtle")
    >>> str(LabelIndex(g, {HK.StateAgency}).resolve("ely-KESKUS"))
    'https://example.org/ely'
    """

    def __init__(self, graph: Graph, types: set[URIRef]) -> None:
        self._names: dict[str, URIRef] = {}
        for cls in sorted(types, key=str):
            for node in sorted(graph.subjects(RDF.type, cls), key=str):
                if not isinstance(node, URIRef):
                    continue
                for prop in (SKOS.prefLabel, SKOS.altLabel, HK.legalName, RDFS.label):
                    for label in graph.objects(node, prop):
                        self._names.setdefault(label_key(str(label)), node)

    def resolve(self, name: str) -> URIRef | None:
        """The IRI labelled *name*, or ``None``."""
        return self._names.get(label_key(name))


def resolve_name(graph: Graph, text: str, *, cls: URIRef, what: str) -> URIRef:
    """The resource of class *cls* whose IRI or label (any language, case-insensitive) is *text*.

    Raises
    ------
    InputError
        If nothing matches; the message suggests the closest known names.

    Examples
    --------
    >>> from hyvinvointi_kg.stores.files import load_graph
    >>> g = load_graph()
    >>> resolve_name(g, "Kemi", cls=HK.Municipality, what="municipality").split("/")[-1]
    '240'
    >>> try:
    ...     resolve_name(g, "Kemmi", cls=HK.Municipality, what="municipality")
    ... except InputError as err:
    ...     print(str(err)[:60])
    unknown municipality 'Kemmi'; closest known names: Kemi, Kem
    """
    from rapidfuzz import fuzz, process

    if text.startswith(("http://", "https://")):
        if (URIRef(text), RDF.type, cls) in graph:
            return URIRef(text)
        raise InputError(f"{text} is not a known {what}")
    names: dict[str, URIRef] = {}
    for node in graph.subjects(RDF.type, cls):
        if isinstance(node, URIRef):
            for prop in (SKOS.prefLabel, SKOS.altLabel, RDFS.label, HK.projectCode):
                for label in graph.objects(node, prop):
                    names.setdefault(str(label), node)
    for name, node in names.items():
        if label_key(name) == label_key(text):
            return node
    closest = [m[0] for m in process.extract(text, sorted(names), scorer=fuzz.WRatio, limit=3)]
    raise InputError(f"unknown {what} {text!r}; closest known names: {', '.join(closest)}")
