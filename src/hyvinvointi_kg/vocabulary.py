"""Look-ups in the SKOS schemes and reference data: labels to IRIs, keywords to concepts."""

from __future__ import annotations

import re

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS
from rdflib.term import Node

from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.namespaces import BASE, HK

__all__ = ["ConceptIndex", "LabelIndex", "preferred_label", "resolve_name"]


def preferred_label(graph: Graph, node: Node) -> str:
    """The name to show for *node*: skos:prefLabel, else dcterms:title, else rdfs:label,
    Finnish first, then English, then any language; the IRI when there is none.

    Examples
    --------
    >>> from hyvinvointi_kg.graph import load_ontology
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


def _key(text: str) -> str:
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
                        self._names.setdefault(_key(str(label)), node)

    def resolve(self, name: str) -> URIRef | None:
        """The IRI labelled *name*, or ``None``."""
        return self._names.get(_key(name))


class ConceptIndex:
    """Resolve labels and keywords to concepts of the project's SKOS schemes.

    Examples
    --------
    >>> from hyvinvointi_kg.graph import load_ontology
    >>> index = ConceptIndex(load_ontology())
    >>> index.resolve("Toiminta päättynyt", scheme="status").split("/")[-1]
    'ended'
    >>> [c.split("/")[-1] for c, _ in index.match_target_groups("syrjäytymisvaarassa olevat nuoret")]
    ['heikommassa-asemassa-olevat', 'nuoret']
    """

    def __init__(self, graph: Graph) -> None:
        self._graph = graph
        self._labels: dict[tuple[str, str], URIRef] = {}
        self._keywords: list[tuple[re.Pattern[str], URIRef, str]] = []
        for concept in sorted(set(graph.subjects(SKOS.inScheme, None)), key=str):
            scheme = graph.value(concept, SKOS.inScheme)
            if not isinstance(concept, URIRef) or scheme is None:
                continue
            scheme_id = str(scheme).removeprefix(BASE + "concept/")
            for prop in (SKOS.prefLabel, SKOS.altLabel):
                for label in graph.objects(concept, prop):
                    self._labels.setdefault((scheme_id, _key(str(label))), concept)
            if scheme_id == "target-group":
                for hidden in sorted(graph.objects(concept, SKOS.hiddenLabel), key=str):
                    word = re.escape(str(hidden).casefold())
                    pattern = re.compile(rf"(?<![\w-]){word}(?![\w])")
                    self._keywords.append((pattern, concept, str(hidden)))

    def resolve(self, label: str, *, scheme: str) -> URIRef | None:
        """The concept of *scheme* (e.g. ``"status"``) with this pref- or altLabel."""
        return self._labels.get((scheme, _key(label)))

    def match_target_groups(self, text: str) -> list[tuple[URIRef, str]]:
        """Target-group concepts whose keyword (skos:hiddenLabel) occurs in *text*.

        Returns each concept once, with the first keyword that matched, sorted by IRI.
        """
        folded = text.casefold()
        found: dict[URIRef, str] = {}
        for pattern, concept, keyword in self._keywords:
            if concept not in found and pattern.search(folded):
                found[concept] = keyword
        return sorted(found.items())

    def theme_of_objective(self, objective: URIRef) -> URIRef | None:
        """The theme a programme objective implies (``hk:impliesTheme``), if any."""
        theme = self._graph.value(objective, HK.impliesTheme)
        return theme if isinstance(theme, URIRef) else None


def resolve_name(graph: Graph, text: str, *, cls: URIRef, what: str) -> URIRef:
    """The resource of class *cls* whose IRI or label (any language, case-insensitive) is *text*.

    Raises
    ------
    InputError
        If nothing matches; the message suggests the closest known names.

    Examples
    --------
    >>> from hyvinvointi_kg.graph import load_graph
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
        if _key(name) == _key(text):
            return node
    closest = [m[0] for m in process.extract(text, sorted(names), scorer=fuzz.WRatio, limit=3)]
    raise InputError(f"unknown {what} {text!r}; closest known names: {', '.join(closest)}")
