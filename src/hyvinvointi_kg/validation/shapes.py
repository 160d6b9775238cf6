"""SHACL shapes read for the SPARQL engine: takes a shapes graph, gives frozen Shape records.

Only the constraint components, targets and paths that ``ontology/shapes.ttl`` uses are read;
anything else raises :class:`~hyvinvointi_kg.errors.InputError` naming the shape and the
parameter, so that no shape is silently skipped (:mod:`hyvinvointi_kg.validation.sparql` writes and
runs the SPARQL of the records).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from typing import Literal as TypingLiteral

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.term import Node

from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.validation.report import Severity

__all__ = ["Constraint", "Shape", "ShapePath", "Target", "compile_shapes"]

_Kind = TypingLiteral[
    "minCount", "maxCount", "class", "nodeKind", "datatype", "hasValue", "pattern", "uniqueLang",
    "languageIn", "minLength", "minInclusive", "or", "qualified", "lessThanOrEquals", "disjoint", "sparql"]

# Parameters of SHACL Core and SHACL-SPARQL constraint components: their subjects are shapes.
_PARAMETERS = frozenset(SH[name] for name in (
    "class", "datatype", "nodeKind", "minCount", "maxCount", "minExclusive", "minInclusive", "maxExclusive",
    "maxInclusive", "minLength", "maxLength", "pattern", "flags", "languageIn", "uniqueLang", "equals",
    "disjoint", "lessThan", "lessThanOrEquals", "not", "and", "or", "xone", "node", "property",
    "qualifiedValueShape", "qualifiedMinCount", "qualifiedMaxCount", "qualifiedValueShapesDisjoint",
    "closed", "ignoredProperties", "hasValue", "in", "sparql", "expression"))
_TARGETS = frozenset(SH[name] for name in ("targetClass", "targetNode", "targetObjectsOf", "targetSubjectsOf",
                                           "target"))
# What the compiler supports; every other sh: predicate on a shape is refused.
_SUPPORTED = frozenset(SH[name] for name in (
    "path", "targetClass", "targetObjectsOf", "target", "severity", "message", "name", "description",
    "order", "group", "minCount", "maxCount", "class", "nodeKind", "datatype", "hasValue", "pattern",
    "uniqueLang", "languageIn", "minLength", "minInclusive", "or", "qualifiedValueShape",
    "qualifiedMinCount", "qualifiedMaxCount", "lessThanOrEquals", "disjoint", "sparql", "property"))
_SINGLE = frozenset(SH[name] for name in (
    "path", "severity", "minCount", "maxCount", "nodeKind", "datatype", "pattern", "uniqueLang",
    "languageIn", "minLength", "minInclusive", "qualifiedMinCount", "qualifiedMaxCount"))
_NODE_KINDS = frozenset(SH[name] for name in (
    "IRI", "BlankNode", "Literal", "BlankNodeOrIRI", "BlankNodeOrLiteral", "IRIOrLiteral"))


@dataclass(frozen=True)
class ShapePath:
    """A property path: its SPARQL text, its forward predicates and the IRI a result reports."""

    sparql: str
    forward: frozenset[str]
    iri: str | None


@dataclass(frozen=True)
class Target:
    kind: TypingLiteral["class", "objectsOf", "sparql"]
    iri: str = ""
    query: str = ""
    prefixes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Constraint:
    kind: _Kind
    component: str
    iri: str = ""
    count: int = 0
    lower: int | None = None
    upper: int | None = None
    text: str = ""
    items: tuple[str, ...] = ()
    literal: Literal | None = None
    shapes: tuple[Shape, ...] = ()
    prefixes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Shape:
    iri: str
    path: ShapePath | None
    severity: Severity
    messages: tuple[str, str] | None
    constraints: tuple[Constraint, ...]
    properties: tuple[Shape, ...]
    targets: tuple[Target, ...]


def _short(term: Node) -> str:
    """``sh:name`` for a SHACL term, ``<iri>`` otherwise (for messages)."""
    text = str(term)
    return "sh:" + text.removeprefix(str(SH)) if text.startswith(str(SH)) else f"<{text}>"


def unsupported(shape: Node | str, what: str) -> InputError:
    """The error for a shape that uses *what*, which the SPARQL engine does not compile."""
    return InputError(f"validate(engine='sparql'): shape <{shape}>: {what} is not supported by the SPARQL "
                      "engine; use engine='pyshacl'")


def _shape_nodes(sg: Graph) -> list[URIRef | BNode]:
    """Every shape in *sg*, as pySHACL finds them."""
    found: set[Node] = set(sg.subjects(RDF.type, SH.NodeShape)) | set(sg.subjects(RDF.type, SH.PropertyShape))
    for parameter in _PARAMETERS | _TARGETS:
        found.update(sg.subjects(parameter, None))
    for parameter in (SH.property, SH.node, SH.qualifiedValueShape, SH["not"]):
        found.update(sg.objects(None, parameter))
    for parameter in (SH["or"], SH["and"], SH.xone):
        for head in sg.objects(None, parameter):
            found.update(sg.items(head))
    return sorted((n for n in found if isinstance(n, URIRef | BNode)), key=str)


def _prefixes(sg: Graph, node: Node) -> tuple[tuple[str, str], ...]:
    """The prefixes of a SPARQL constraint or target, collected as pySHACL collects them."""
    values = set(sg.objects(node, SH.prefixes))
    if not values:
        return ()
    graph_declares = set(sg.objects(sg.identifier, SH.declare))
    ontologies = set(sg.subjects(RDF.type, OWL.Ontology))
    global_declares = graph_declares.union(*(set(sg.objects(o, SH.declare)) for o in ontologies))
    prefixes: dict[str, str] = {}
    for value in values:
        own = set(sg.objects(value, SH.declare))
        declares = own | graph_declares if own and value in ontologies else global_declares | own
        for declare in declares:
            prefix, namespace = sg.value(declare, SH.prefix), sg.value(declare, SH.namespace)
            if not isinstance(prefix, Literal) or not isinstance(namespace, Literal):
                raise unsupported(node, "an sh:declare without one sh:prefix and one sh:namespace")
            prefixes[str(prefix)] = str(namespace)
    return tuple(sorted(prefixes.items()))


def _message(messages: list[Literal], lang: str) -> str | None:
    """The message :func:`hyvinvointi_kg.validation.validate.validate` reports in *lang*, when it is determined."""
    tagged = [m for m in messages if m.language == lang]
    if len(tagged) == 1:
        return str(tagged[0])
    if not tagged and len(messages) == 1:
        return str(messages[0])
    return None


_REGEX_QUANTIFIER = re.compile(r"\{\d+(,\d*)?\}")


def _regex(shape: Node, pattern: str) -> str:
    """*pattern* (Python ``re`` syntax) for SPARQL REGEX, refusing syntax whose meaning differs."""
    out: list[str] = []
    i, in_class = 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            escaped = pattern[i + 1: i + 2]
            if not escaped or escaped.isalnum():
                raise unsupported(shape, f"the escape \\{escaped} in sh:pattern {pattern!r}")
            out.append(char + escaped)
            i += 2
            continue
        if in_class:
            if char == "[" or (char in "&-~" and pattern[i + 1: i + 2] == char):
                raise unsupported(shape, f"nested classes or set operations in sh:pattern {pattern!r}")
            if char == "]":
                in_class = False
        elif char == "[":
            in_class = True
            out.append(char)
            i += 1
            for lead in ("^", "]"):
                if pattern[i: i + 1] == lead:
                    out.append(lead)
                    i += 1
            continue
        elif char == "$":
            out.append("(?:\\n?$)")
            i += 1
            continue
        elif char == "(" and pattern[i + 1: i + 2] == "?":
            raise unsupported(shape, f"groups with (? in sh:pattern {pattern!r}")
        elif char == "{":
            match = _REGEX_QUANTIFIER.match(pattern, i)
            if not match:
                raise unsupported(shape, f"a brace that is not a quantifier in sh:pattern {pattern!r}")
            out.append(match.group(0))
            i = match.end()
            if pattern[i: i + 1] == "+":
                raise unsupported(shape, f"possessive quantifiers in sh:pattern {pattern!r}")
            continue
        elif char in "*+?" and pattern[i + 1: i + 2] == "+":
            raise unsupported(shape, f"possessive quantifiers in sh:pattern {pattern!r}")
        out.append(char)
        i += 1
    if in_class:
        raise unsupported(shape, f"an unclosed class in sh:pattern {pattern!r}")
    return "".join(out)


class _ShapeParser:
    """Reads the shapes graph into :class:`Shape` records (each shape once)."""

    def __init__(self, sg: Graph) -> None:
        self.sg = sg
        self.done: dict[Node, Shape] = {}
        self.active: list[Node] = []

    def one(self, node: Node, parameter: URIRef) -> Node | None:
        values = list(self.sg.objects(node, parameter))
        if len(values) > 1:
            raise unsupported(node, f"more than one value of {_short(parameter)}")
        return values[0] if values else None

    def integer(self, node: Node, parameter: URIRef) -> int | None:
        value = self.one(node, parameter)
        if value is None:
            return None
        if not isinstance(value, Literal) or not isinstance(value.value, int) or value.value < 0:
            raise unsupported(node, f"{_short(parameter)} {value!r} (not a non-negative integer)")
        return int(value.value)

    def iri(self, node: Node, parameter: URIRef, value: Node) -> str:
        if not isinstance(value, URIRef):
            raise unsupported(node, f"{_short(parameter)} with the non-IRI value {value!r}")
        return str(value)

    def path(self, node: Node, value: Node) -> ShapePath:
        if isinstance(value, URIRef):
            return ShapePath(f"<{value}>", frozenset({str(value)}), str(value))
        steps: list[Node]
        alternative = self.sg.value(value, SH.alternativePath)
        steps = list(self.sg.items(alternative)) if alternative is not None else [value]
        if alternative is not None and len(steps) < 2:
            raise unsupported(node, "an sh:alternativePath with fewer than two members")
        texts, forward = [], set()
        for step in steps:
            if isinstance(step, URIRef):
                texts.append(f"<{step}>")
                forward.add(str(step))
                continue
            inverse = self.sg.value(step, SH.inversePath)
            if not isinstance(inverse, URIRef) or len(set(self.sg.predicate_objects(step))) != 1:
                raise unsupported(node, "a property path other than an IRI, sh:inversePath of an IRI or "
                                         "sh:alternativePath of those")
            texts.append(f"^<{inverse}>")
        text = texts[0] if len(texts) == 1 else "(" + "|".join(texts) + ")"
        return ShapePath(text, frozenset(forward), None)

    def shape(self, node: Node) -> Shape:
        if node in self.done:
            return self.done[node]
        if node in self.active:
            raise unsupported(node, "a recursive shape")
        if not isinstance(node, URIRef):
            raise unsupported(node, "a blank-node shape (results could not name it)")
        self.active.append(node)
        try:
            shape = self._parse(node)
        finally:
            self.active.pop()
        self.done[node] = shape
        return shape

    def _parse(self, node: URIRef) -> Shape:
        sg = self.sg
        for p in sorted(set(sg.predicates(node, None)), key=str):
            if str(p).startswith(str(SH)) and p not in _SUPPORTED:
                raise unsupported(node, _short(p))
            if p in _SINGLE and len(list(sg.objects(node, p))) > 1:
                raise unsupported(node, f"more than one value of {_short(p)}")
        types = set(sg.objects(node, RDF.type))
        if types & ({RDFS.Class} | set(sg.subjects(RDFS.subClassOf, RDFS.Class))):
            raise unsupported(node, "an implicit class target (a shape that is also an rdfs:Class)")
        path_node = self.one(node, SH.path)
        if SH.NodeShape in types and path_node is not None:
            raise unsupported(node, "an sh:NodeShape with sh:path")
        if SH.PropertyShape in types and path_node is None:
            raise unsupported(node, "an sh:PropertyShape without sh:path")
        path = self.path(node, path_node) if path_node is not None else None
        severity_node = self.one(node, SH.severity)
        severity: Severity = ("Warning" if severity_node == SH.Warning else
                              "Info" if severity_node == SH.Info else "Violation")
        messages = [m for m in sg.objects(node, SH.message) if isinstance(m, Literal)]
        en, fi = _message(messages, "en"), _message(messages, "fi")
        constraints = self._constraints(node, path)
        properties = tuple(self.shape(p) for p in sorted(sg.objects(node, SH.property), key=str))
        for child in properties:
            if child.path is None:
                raise unsupported(child.iri, "sh:property pointing to a shape without sh:path")
        return Shape(str(node), path, severity, (en, fi) if en is not None and fi is not None else None,
                      constraints, properties, self._targets(node))

    def _targets(self, node: URIRef) -> tuple[Target, ...]:
        sg = self.sg
        targets = [Target("class", iri=self.iri(node, SH.targetClass, c)) for c in sg.objects(node, SH.targetClass)]
        targets += [Target("objectsOf", iri=self.iri(node, SH.targetObjectsOf, p))
                    for p in sg.objects(node, SH.targetObjectsOf)]
        for target in sg.objects(node, SH.target):
            select = sg.value(target, SH.select)
            extra = {p for p in sg.predicates(target, None) if str(p).startswith(str(SH))} - {SH.select, SH.prefixes}
            if not isinstance(select, Literal) or extra:
                raise unsupported(node, "an sh:target other than an sh:SPARQLTarget with sh:select")
            targets.append(Target("sparql", query=str(select), prefixes=_prefixes(sg, target)))
        return tuple(sorted(targets, key=repr))

    def _constraints(self, node: URIRef, path: ShapePath | None) -> tuple[Constraint, ...]:
        sg = self.sg
        found: list[Constraint] = []

        def add(kind: _Kind, component: str, **fields: Any) -> None:
            if path is None and kind in ("minCount", "maxCount", "uniqueLang", "qualified", "lessThanOrEquals",
                                         "disjoint"):
                raise unsupported(node, f"sh:{component} on a node shape")
            found.append(Constraint(kind, f"{SH}{component}ConstraintComponent", **fields))

        for kind in ("minCount", "maxCount", "minLength"):
            count = self.integer(node, SH[kind])
            if count is not None:
                add(kind, kind[0].upper() + kind[1:], count=count)
        for c in sorted(sg.objects(node, SH["class"]), key=str):
            add("class", "Class", iri=self.iri(node, SH["class"], c))
        kind_value = self.one(node, SH.nodeKind)
        if kind_value is not None:
            if kind_value not in _NODE_KINDS:
                raise unsupported(node, f"sh:nodeKind {kind_value}")
            add("nodeKind", "NodeKind", iri=str(kind_value))
        datatype = self.one(node, SH.datatype)
        if datatype is not None:
            if datatype == RDFS.Datatype:
                raise unsupported(node, "sh:datatype rdfs:Datatype")
            add("datatype", "Datatype", iri=self.iri(node, SH.datatype, datatype))
        for value in sorted(sg.objects(node, SH.hasValue), key=str):
            add("hasValue", "HasValue", iri=self.iri(node, SH.hasValue, value))
        pattern = self.one(node, SH.pattern)
        if pattern is not None:
            add("pattern", "Pattern", text=_regex(node, str(pattern)))
        unique = self.one(node, SH.uniqueLang)
        if unique is not None:
            if not isinstance(unique, Literal) or not isinstance(unique.value, bool):
                raise unsupported(node, f"sh:uniqueLang {unique!r}")
            if unique.value:
                add("uniqueLang", "UniqueLang")
        languages = self.one(node, SH.languageIn)
        if languages is not None:
            items = list(sg.items(languages))
            if not all(isinstance(i, Literal) for i in items):
                raise unsupported(node, "sh:languageIn with non-literal members")
            add("languageIn", "LanguageIn", items=tuple(sorted({str(i).lower() for i in items})))
        minimum = self.one(node, SH.minInclusive)
        if minimum is not None:
            if not isinstance(minimum, Literal):
                raise unsupported(node, "sh:minInclusive with a non-literal value")
            add("minInclusive", "MinInclusive", literal=minimum)
        for head in sorted(sg.objects(node, SH["or"]), key=str):
            members = tuple(self.shape(m) for m in sg.items(head))
            if not members:
                raise unsupported(node, "an empty sh:or list")
            for member in members:
                _check_conformance_only(member)
            add("or", "Or", shapes=members)
        lower, upper = self.integer(node, SH.qualifiedMinCount), self.integer(node, SH.qualifiedMaxCount)
        qualified = sorted(sg.objects(node, SH.qualifiedValueShape), key=str)
        if (lower is not None or upper is not None) and not qualified:
            raise unsupported(node, "sh:qualifiedMinCount or sh:qualifiedMaxCount without sh:qualifiedValueShape")
        for value_shape in qualified:
            if lower is None and upper is None:
                raise unsupported(node, "sh:qualifiedValueShape without sh:qualifiedMinCount or MaxCount")
            member = self.shape(value_shape)
            _check_conformance_only(member)
            add("qualified", "QualifiedValueShape", shapes=(member,), lower=lower, upper=upper)
        for parameter, kind in ((SH.lessThanOrEquals, "lessThanOrEquals"), (SH.disjoint, "disjoint")):
            for other in sorted(sg.objects(node, parameter), key=str):
                add(kind, kind[0].upper() + kind[1:], iri=self.iri(node, parameter, other))  # type: ignore[arg-type]
        for constraint in sorted(sg.objects(node, SH.sparql), key=str):
            found.append(self._sparql(node, constraint))
        return tuple(found)

    def _sparql(self, node: URIRef, constraint: Node) -> Constraint:
        sg = self.sg
        extra = {p for p in sg.predicates(constraint, None) if str(p).startswith(str(SH))} - {SH.select, SH.prefixes}
        select = sg.value(constraint, SH.select)
        if extra or not isinstance(select, Literal):
            raise unsupported(node, "an sh:sparql constraint other than sh:select with sh:prefixes "
                                     f"(found {sorted(_short(p) for p in extra)})")
        text = str(select)
        for variable in ("PATH", "shapesGraph"):
            if re.search(rf"[\s{{}}()][$?]{variable}\b", text):
                raise unsupported(node, f"${variable} in an sh:sparql query")
        return Constraint("sparql", str(SH.SPARQLConstraintComponent), iri=str(constraint), text=text,
                           prefixes=_prefixes(sg, constraint))


def _check_conformance_only(shape: Shape) -> None:
    """Refuse components in a shape used by sh:or or sh:qualifiedValueShape that SPARQL cannot decide alone."""
    for constraint in shape.constraints:
        if constraint.kind in ("minInclusive", "lessThanOrEquals", "sparql"):
            raise unsupported(shape.iri, f"{constraint.component.removeprefix(str(SH))} in a shape used by "
                                          "sh:or or sh:qualifiedValueShape")
    for child in shape.properties:
        _check_conformance_only(child)


def compile_shapes(sg: Graph) -> tuple[Shape, ...]:
    """The shapes of *sg* that have targets (with everything they reach), checked for support."""
    parser = _ShapeParser(sg)
    shapes = [parser.shape(node) for node in _shape_nodes(sg)]

    def check_messages(shape: Shape) -> None:
        if shape.messages is None:
            raise unsupported(shape.iri, "a reporting shape without one sh:message in English and one in "
                                          "Finnish (the SPARQL engine reports sh:message texts only)")
        for child in shape.properties:
            check_messages(child)

    targeted = tuple(s for s in shapes if s.targets)
    for shape in targeted:
        check_messages(shape)
    return targeted
