"""Fast paths on Oxigraph: SHACL validation and rule inference as SPARQL, with the reference results.

pySHACL (:func:`hyvinvointi_kg.validation.validate`) and the rule engine of
:mod:`hyvinvointi_kg.inference` stay the reference implementations. This module
gives the same results on a `pyoxigraph`_ store, for graphs where the reference
stack is too slow:

- :func:`validate_fast` compiles the shapes graph into SPARQL queries, one per
  constraint, that select the violating focus nodes and values;
- :func:`entailments_fast` and :func:`materialise_fast` apply the rules that
  :func:`hyvinvointi_kg.inference.entailments` derives from the ontology as
  SPARQL updates, to a fixpoint;
- :func:`network_metrics_fast` computes network metrics with igraph.

Where the two stacks would disagree, the fast path follows the reference:

- Oxigraph normalises literals when it stores them (``"0"^^xsd:positiveInteger``
  becomes ``"0"^^xsd:integer``, ``"1.50"^^xsd:decimal`` becomes ``"1.5"``; see
  oxigraph/oxigraph#526). :func:`load_store` therefore keeps the original of
  every literal that the store would change, or that pySHACL would find ill-typed
  for its own datatype, in a private named graph, and the queries read
  datatypes and lexical forms from there. Literals are first normalised as
  rdflib normalises them when it parses a file, so ``sh:pattern`` sees the same
  text as pySHACL.
- Regular expressions: SPARQL ``REGEX`` (Rust) and Python's ``re`` agree on the
  subset of syntax the shapes use; ``$`` is rewritten to Python's meaning (it also
  matches before a final newline) and anything outside the subset is refused.
- ``sh:minInclusive`` and ``sh:lessThanOrEquals`` compare literals as rdflib does;
  SPARQL only discards values it can prove to conform and every remaining
  candidate is checked in Python with pySHACL's comparison.
- SPARQL-based constraints run once per focus node with ``$this`` bound as a term
  (``substitutions=``), as pySHACL pre-binds it; their messages keep their
  language tags (pySHACL drops them, so the reference picks one message at random
  for both languages).
- Results are reported once per evaluation, as pySHACL reports them: a nested
  property shape reached from two focus nodes through the same value reports twice.

Only the constraint components, targets and paths that ``ontology/shapes.ttl``
uses are compiled; anything else raises :class:`~hyvinvointi_kg.errors.InputError`
naming the shape and the parameter, so that no shape is silently skipped.

.. _pyoxigraph: https://pyoxigraph.readthedocs.io/
"""

from __future__ import annotations

import datetime
import importlib.util
import itertools
import math
import re
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias
from typing import Literal as TypingLiteral

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD
from rdflib.term import Node

from hyvinvointi_kg.errors import InputError, RDFSyntaxError
from hyvinvointi_kg.graph import load_ontology, load_shapes
from hyvinvointi_kg.inference import _closure
from hyvinvointi_kg.namespaces import bind_prefixes
from hyvinvointi_kg.validation import Severity, ValidationReport, ValidationResult

if TYPE_CHECKING:
    import networkx as nx
    import pyoxigraph

    from hyvinvointi_kg.network import NetworkMetrics

    _Term: TypeAlias = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal
    _Binding: TypeAlias = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | pyoxigraph.Triple
    _Resource: TypeAlias = pyoxigraph.NamedNode | pyoxigraph.BlankNode
    _GraphName: TypeAlias = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.DefaultGraph

__all__ = ["entailments_fast", "load_store", "materialise_fast", "network_metrics_fast", "validate_fast"]

_NS = "urn:x-hyvinvointi-kg:fast:"
_LEX = _NS + "lexical"          # the named graph with the original of literals the store changes
_LEX_OK = _NS + "ok:"           # datatype prefix: original of a well-typed literal
_LEX_BAD = _NS + "no:"          # ... of a literal that fails sh:datatype of its own datatype
_LEX_PLAIN = _NS + "pl:"        # ... of a plain literal (no datatype in rdflib)
_LEX_MARK = _NS + "version"     # marks a store built by load_store
_EXTRA = "pip install 'hyvinvointi_kg[fast]'"

_RDF_TYPE = f"<{RDF.type}>"
_SUBCLASS_OF = f"<{RDFS.subClassOf}>"
_EXACT_NUMERIC = tuple(XSD[name] for name in (
    "integer", "decimal", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte"))


def _require_oxigraph() -> None:
    try:
        import pyoxigraph  # noqa: F401
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise InputError(f"the fast paths need pyoxigraph: {_EXTRA}") from err


# ---------------------------------------------------------------------------
# Terms: the one place that converts between rdflib and pyoxigraph
# ---------------------------------------------------------------------------

class _Codec:
    """Converts terms between rdflib and pyoxigraph and encodes original literals.

    Blank nodes keep their identifiers where Oxigraph accepts them, so that
    results name the same blank nodes as the rdflib graph.
    """

    def __init__(self) -> None:
        self._named: dict[str, pyoxigraph.NamedNode] = {}
        self._iris: dict[str, URIRef] = {}
        self._to_blank: dict[BNode, pyoxigraph.BlankNode] = {}
        self._from_blank: dict[str, BNode] = {}

    def named(self, iri: str) -> pyoxigraph.NamedNode:
        import pyoxigraph as ox

        node = self._named.get(iri)
        if node is None:
            node = self._named[iri] = ox.NamedNode(iri)
        return node

    def resource(self, node: Node) -> _Resource:
        """An rdflib subject as a pyoxigraph term."""
        import pyoxigraph as ox

        if isinstance(node, URIRef):
            return self.named(str(node))
        if isinstance(node, BNode):
            blank = self._to_blank.get(node)
            if blank is None:
                try:
                    blank = ox.BlankNode(str(node))
                except ValueError:
                    blank = ox.BlankNode()
                    self._from_blank[blank.value] = node
                self._to_blank[node] = blank
            return blank
        raise InputError(f"cannot store {node!r} as a subject: only IRIs and blank nodes can be")

    def term(self, node: Node) -> _Term:
        """An rdflib term as a pyoxigraph term (the store may still normalise a literal)."""
        import pyoxigraph as ox

        if isinstance(node, Literal):
            if node.language:
                return ox.Literal(str(node), language=node.language)
            if node.datatype is None:
                return ox.Literal(str(node))
            return ox.Literal(str(node), datatype=self.named(str(node.datatype)))
        return self.resource(node)

    def original(self, literal: Literal, *, bad: bool) -> pyoxigraph.Literal:
        """*literal* encoded with an opaque datatype, so that the store keeps it as it is."""
        import pyoxigraph as ox

        if literal.datatype is None:
            marker = _LEX_PLAIN + str(XSD.string)
        else:
            marker = (_LEX_BAD if bad else _LEX_OK) + str(literal.datatype)
        return ox.Literal(str(literal), datatype=self.named(marker))

    def iri(self, value: str) -> URIRef:
        iri = self._iris.get(value)
        if iri is None:
            iri = self._iris[value] = URIRef(value)
        return iri

    def to_rdflib(self, term: object) -> Node:
        """A pyoxigraph term as an rdflib term; encoded originals are decoded."""
        import pyoxigraph as ox

        if isinstance(term, ox.NamedNode):
            return self.iri(term.value)
        if isinstance(term, ox.BlankNode):
            return self._from_blank.get(term.value) or BNode(term.value)
        if isinstance(term, ox.Literal):
            if term.language:
                return Literal(term.value, lang=term.language)
            datatype = term.datatype.value
            if datatype.startswith(_NS):
                if datatype.startswith(_LEX_PLAIN):
                    return Literal(term.value)
                return Literal(term.value, datatype=self.iri(datatype[len(_LEX_OK):]))
            if datatype == str(XSD.string):
                return Literal(term.value)
            return Literal(term.value, datatype=self.iri(datatype))
        raise InputError(f"cannot convert {term!r} to rdflib (RDF 1.2 triple terms are not supported)")


def _value_has_python_type(value: object, datatype: URIRef) -> bool:
    """pySHACL's check that a literal's Python value fits its datatype (others pass)."""
    expected: dict[URIRef, type | tuple[type, ...]] = {
        XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: int, XSD.float: float,
        XSD.decimal: Decimal, XSD.boolean: bool, XSD.date: datetime.date, XSD.time: datetime.time,
        XSD.dateTime: datetime.datetime,
    }
    kind = expected.get(datatype)
    return kind is None or isinstance(value, kind)


def _fails_own_datatype(literal: Literal) -> bool:
    """Whether pySHACL's ``sh:datatype`` of the literal's own datatype would reject it."""
    if literal.datatype is None or literal.language:
        return False
    return literal.ill_typed is True or not _value_has_python_type(literal.value, literal.datatype)


_Triple: TypeAlias = "tuple[_Resource, pyoxigraph.NamedNode, Literal]"


def _store_triples(store: pyoxigraph.Store, triples: Iterable[tuple[Node, Node, Node]], codec: _Codec, *,
                   graph: _GraphName, lex_graph: pyoxigraph.NamedNode) -> None:
    """Add rdflib triples to *graph* of *store*, and the originals of changed literals to *lex_graph*."""
    import pyoxigraph as ox

    typed: list[_Triple] = []
    terms: dict[Node, _Term] = {}
    quad = ox.Quad

    def converted() -> Iterator[pyoxigraph.Quad]:
        for s, p, o in triples:
            subject, predicate, obj = terms.get(s), terms.get(p), terms.get(o)
            if subject is None:
                subject = terms[s] = codec.resource(s)
            if predicate is None:
                if not isinstance(p, URIRef):
                    raise InputError(f"cannot store the predicate {p!r}: predicates are IRIs")
                predicate = terms[p] = codec.named(str(p))
            if obj is None:
                obj = terms[o] = codec.term(o)
            if isinstance(o, Literal) and o.datatype is not None:
                typed.append((subject, predicate, o))  # type: ignore[arg-type]
            yield quad(subject, predicate, obj, graph)  # type: ignore[arg-type]

    store.extend(converted())
    _store_originals(store, typed, codec, lex_graph)


def _store_file(store: pyoxigraph.Store, path: Path, codec: _Codec, *, lex_graph: pyoxigraph.NamedNode) -> None:
    """Parse an RDF file with Oxigraph, normalise literals as rdflib would, add it to the default graph."""
    import pyoxigraph as ox

    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".")) or ox.RdfFormat.TURTLE
    string, literal_type = str(XSD.string), ox.Literal
    normalised: dict[tuple[str, str], tuple[Literal, pyoxigraph.Literal | None]] = {}
    typed: list[_Triple] = []

    def normalise(value: str, datatype: pyoxigraph.NamedNode) -> tuple[Literal, pyoxigraph.Literal | None]:
        literal = Literal(value, datatype=codec.iri(datatype.value))
        return literal, (ox.Literal(str(literal), datatype=datatype) if str(literal) != value else None)

    def quads() -> Iterator[pyoxigraph.Quad]:
        for quad in ox.parse(path=str(path), format=fmt, rename_blank_nodes=True, without_named_graphs=True):
            obj = quad.object
            if type(obj) is literal_type and obj.language is None and obj.datatype.value != string:
                key = (obj.value, obj.datatype.value)
                found = normalised.get(key)
                if found is None:
                    found = normalised[key] = normalise(obj.value, obj.datatype)
                subject = quad.subject
                if not isinstance(subject, ox.NamedNode | ox.BlankNode):
                    raise InputError(f"{path}: RDF 1.2 triple terms are not supported")
                typed.append((subject, quad.predicate, found[0]))
                if found[1] is not None:
                    quad = ox.Quad(subject, quad.predicate, found[1])
            yield quad

    try:
        store.bulk_extend(quads())
    except SyntaxError as err:
        match = re.search(r"line (\d+)", str(err))
        raise RDFSyntaxError(str(path), int(match.group(1)) if match else None, str(err)) from err
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror or err}") from err
    _store_originals(store, typed, codec, lex_graph)


def _store_originals(store: pyoxigraph.Store, typed: list[_Triple], codec: _Codec,
                     lex_graph: pyoxigraph.NamedNode) -> None:
    """Record the original of every typed literal whose stored form differs, or that is ill-typed.

    Each distinct literal is stored once in a scratch store and read back; if
    any literal of a stored form changed, all literals with that stored form are
    recorded, so that values the store merged stay apart.
    """
    import pyoxigraph as ox

    distinct = list(dict.fromkeys(literal for _, _, literal in typed))
    scratch = ox.Store()
    predicate = ox.NamedNode(_NS + "p")
    scratch.extend(ox.Quad(ox.NamedNode(f"{_NS}{i}"), predicate, codec.term(literal))
                   for i, literal in enumerate(distinct))
    stored: dict[int, object] = {}
    for quad in scratch:
        subject = quad.subject
        assert isinstance(subject, ox.NamedNode)
        stored[int(subject.value[len(_NS):])] = quad.object
    bad = [_fails_own_datatype(literal) for literal in distinct]
    changed = {stored[i] for i, literal in enumerate(distinct) if bad[i] or codec.to_rdflib(stored[i]) != literal}
    originals = {literal: codec.original(literal, bad=bad[i])
                 for i, literal in enumerate(distinct) if stored[i] in changed}
    store.extend(ox.Quad(s, p, originals[literal], lex_graph) for s, p, literal in typed if literal in originals)
    store.add(ox.Quad(lex_graph, ox.NamedNode(_LEX_MARK), ox.Literal("1"), lex_graph))


def load_store(source: Graph | Sequence[Path], *, path: Path | None = None) -> pyoxigraph.Store:
    """An Oxigraph store with *source* in its default graph, ready for the fast paths.

    Parameters
    ----------
    source
        An rdflib graph, or RDF files (Turtle, N-Triples, RDF/XML; the format
        from the extension) to load as :func:`hyvinvointi_kg.graph.parse_rdf`
        would: literals are normalised as rdflib normalises them.
    path
        A folder for a persistent store (default: in memory).

    Returns
    -------
    pyoxigraph.Store
        The triples in the default graph, and in a private named graph the
        original of every literal that Oxigraph stores in another form.

    Raises
    ------
    InputError
        If pyoxigraph is missing, a file cannot be read, or *source* is a
        single string or path rather than a list of paths.
    RDFSyntaxError
        If a file does not parse.

    Examples
    --------
    >>> from rdflib import Graph
    >>> g = Graph().parse(data='<http://example.org/a> <http://example.org/n> 3 .', format="turtle")
    >>> len(list(load_store(g).quads_for_pattern(None, None, None, None)))  # the triple and a marker
    2
    """
    _require_oxigraph()
    import pyoxigraph as ox

    if isinstance(source, str | bytes | Path):
        raise InputError("load_store() takes an rdflib Graph or a list of paths, not a single path")
    store = ox.Store(str(path)) if path is not None else ox.Store()
    codec = _Codec()
    lex = ox.NamedNode(_LEX)
    if isinstance(source, Graph):
        _store_triples(store, source, codec, graph=ox.DefaultGraph(), lex_graph=lex)
    else:
        for file in source:
            _store_file(store, Path(file), codec, lex_graph=lex)
    return store


# ---------------------------------------------------------------------------
# Shapes: parsed into plain records, refusing what the compiler does not support
# ---------------------------------------------------------------------------

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
class _Path:
    """A property path: its SPARQL text, its forward predicates and the IRI a result reports."""

    sparql: str
    forward: frozenset[str]
    iri: str | None


@dataclass(frozen=True)
class _Target:
    kind: TypingLiteral["class", "objectsOf", "sparql"]
    iri: str = ""
    query: str = ""
    prefixes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class _Constraint:
    kind: _Kind
    component: str
    iri: str = ""
    count: int = 0
    lower: int | None = None
    upper: int | None = None
    text: str = ""
    items: tuple[str, ...] = ()
    literal: Literal | None = None
    shapes: tuple[_Shape, ...] = ()
    prefixes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class _Shape:
    iri: str
    path: _Path | None
    severity: Severity
    messages: tuple[str, str] | None
    constraints: tuple[_Constraint, ...]
    properties: tuple[_Shape, ...]
    targets: tuple[_Target, ...]


def _short(term: Node) -> str:
    """``sh:name`` for a SHACL term, ``<iri>`` otherwise (for messages)."""
    text = str(term)
    return "sh:" + text.removeprefix(str(SH)) if text.startswith(str(SH)) else f"<{text}>"


def _unsupported(shape: Node | str, what: str) -> InputError:
    return InputError(f"validate_fast: shape <{shape}>: {what} is not supported by the fast path; "
                      "use hyvinvointi_kg.validation.validate")


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
                raise _unsupported(node, "an sh:declare without one sh:prefix and one sh:namespace")
            prefixes[str(prefix)] = str(namespace)
    return tuple(sorted(prefixes.items()))


def _message(messages: list[Literal], lang: str) -> str | None:
    """The message :func:`hyvinvointi_kg.validation.validate` reports in *lang*, when it is determined."""
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
                raise _unsupported(shape, f"the escape \\{escaped} in sh:pattern {pattern!r}")
            out.append(char + escaped)
            i += 2
            continue
        if in_class:
            if char == "[" or (char in "&-~" and pattern[i + 1: i + 2] == char):
                raise _unsupported(shape, f"nested classes or set operations in sh:pattern {pattern!r}")
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
            raise _unsupported(shape, f"groups with (? in sh:pattern {pattern!r}")
        elif char == "{":
            match = _REGEX_QUANTIFIER.match(pattern, i)
            if not match:
                raise _unsupported(shape, f"a brace that is not a quantifier in sh:pattern {pattern!r}")
            out.append(match.group(0))
            i = match.end()
            if pattern[i: i + 1] == "+":
                raise _unsupported(shape, f"possessive quantifiers in sh:pattern {pattern!r}")
            continue
        elif char in "*+?" and pattern[i + 1: i + 2] == "+":
            raise _unsupported(shape, f"possessive quantifiers in sh:pattern {pattern!r}")
        out.append(char)
        i += 1
    if in_class:
        raise _unsupported(shape, f"an unclosed class in sh:pattern {pattern!r}")
    return "".join(out)


class _ShapeParser:
    """Reads the shapes graph into :class:`_Shape` records (each shape once)."""

    def __init__(self, sg: Graph) -> None:
        self.sg = sg
        self.done: dict[Node, _Shape] = {}
        self.active: list[Node] = []

    def one(self, node: Node, parameter: URIRef) -> Node | None:
        values = list(self.sg.objects(node, parameter))
        if len(values) > 1:
            raise _unsupported(node, f"more than one value of {_short(parameter)}")
        return values[0] if values else None

    def integer(self, node: Node, parameter: URIRef) -> int | None:
        value = self.one(node, parameter)
        if value is None:
            return None
        if not isinstance(value, Literal) or not isinstance(value.value, int) or value.value < 0:
            raise _unsupported(node, f"{_short(parameter)} {value!r} (not a non-negative integer)")
        return int(value.value)

    def iri(self, node: Node, parameter: URIRef, value: Node) -> str:
        if not isinstance(value, URIRef):
            raise _unsupported(node, f"{_short(parameter)} with the non-IRI value {value!r}")
        return str(value)

    def path(self, node: Node, value: Node) -> _Path:
        if isinstance(value, URIRef):
            return _Path(f"<{value}>", frozenset({str(value)}), str(value))
        steps: list[Node]
        alternative = self.sg.value(value, SH.alternativePath)
        steps = list(self.sg.items(alternative)) if alternative is not None else [value]
        if alternative is not None and len(steps) < 2:
            raise _unsupported(node, "an sh:alternativePath with fewer than two members")
        texts, forward = [], set()
        for step in steps:
            if isinstance(step, URIRef):
                texts.append(f"<{step}>")
                forward.add(str(step))
                continue
            inverse = self.sg.value(step, SH.inversePath)
            if not isinstance(inverse, URIRef) or len(set(self.sg.predicate_objects(step))) != 1:
                raise _unsupported(node, "a property path other than an IRI, sh:inversePath of an IRI or "
                                         "sh:alternativePath of those")
            texts.append(f"^<{inverse}>")
        text = texts[0] if len(texts) == 1 else "(" + "|".join(texts) + ")"
        return _Path(text, frozenset(forward), None)

    def shape(self, node: Node) -> _Shape:
        if node in self.done:
            return self.done[node]
        if node in self.active:
            raise _unsupported(node, "a recursive shape")
        if not isinstance(node, URIRef):
            raise _unsupported(node, "a blank-node shape (results could not name it)")
        self.active.append(node)
        try:
            shape = self._parse(node)
        finally:
            self.active.pop()
        self.done[node] = shape
        return shape

    def _parse(self, node: URIRef) -> _Shape:
        sg = self.sg
        for p in sorted(set(sg.predicates(node, None)), key=str):
            if str(p).startswith(str(SH)) and p not in _SUPPORTED:
                raise _unsupported(node, _short(p))
            if p in _SINGLE and len(list(sg.objects(node, p))) > 1:
                raise _unsupported(node, f"more than one value of {_short(p)}")
        types = set(sg.objects(node, RDF.type))
        if types & ({RDFS.Class} | set(sg.subjects(RDFS.subClassOf, RDFS.Class))):
            raise _unsupported(node, "an implicit class target (a shape that is also an rdfs:Class)")
        path_node = self.one(node, SH.path)
        if SH.NodeShape in types and path_node is not None:
            raise _unsupported(node, "an sh:NodeShape with sh:path")
        if SH.PropertyShape in types and path_node is None:
            raise _unsupported(node, "an sh:PropertyShape without sh:path")
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
                raise _unsupported(child.iri, "sh:property pointing to a shape without sh:path")
        return _Shape(str(node), path, severity, (en, fi) if en is not None and fi is not None else None,
                      constraints, properties, self._targets(node))

    def _targets(self, node: URIRef) -> tuple[_Target, ...]:
        sg = self.sg
        targets = [_Target("class", iri=self.iri(node, SH.targetClass, c)) for c in sg.objects(node, SH.targetClass)]
        targets += [_Target("objectsOf", iri=self.iri(node, SH.targetObjectsOf, p))
                    for p in sg.objects(node, SH.targetObjectsOf)]
        for target in sg.objects(node, SH.target):
            select = sg.value(target, SH.select)
            extra = {p for p in sg.predicates(target, None) if str(p).startswith(str(SH))} - {SH.select, SH.prefixes}
            if not isinstance(select, Literal) or extra:
                raise _unsupported(node, "an sh:target other than an sh:SPARQLTarget with sh:select")
            targets.append(_Target("sparql", query=str(select), prefixes=_prefixes(sg, target)))
        return tuple(sorted(targets, key=repr))

    def _constraints(self, node: URIRef, path: _Path | None) -> tuple[_Constraint, ...]:
        sg = self.sg
        found: list[_Constraint] = []

        def add(kind: _Kind, component: str, **fields: Any) -> None:
            if path is None and kind in ("minCount", "maxCount", "uniqueLang", "qualified", "lessThanOrEquals",
                                         "disjoint"):
                raise _unsupported(node, f"sh:{component} on a node shape")
            found.append(_Constraint(kind, f"{SH}{component}ConstraintComponent", **fields))

        for kind in ("minCount", "maxCount", "minLength"):
            count = self.integer(node, SH[kind])
            if count is not None:
                add(kind, kind[0].upper() + kind[1:], count=count)
        for c in sorted(sg.objects(node, SH["class"]), key=str):
            add("class", "Class", iri=self.iri(node, SH["class"], c))
        kind_value = self.one(node, SH.nodeKind)
        if kind_value is not None:
            if kind_value not in _NODE_KINDS:
                raise _unsupported(node, f"sh:nodeKind {kind_value}")
            add("nodeKind", "NodeKind", iri=str(kind_value))
        datatype = self.one(node, SH.datatype)
        if datatype is not None:
            if datatype == RDFS.Datatype:
                raise _unsupported(node, "sh:datatype rdfs:Datatype")
            add("datatype", "Datatype", iri=self.iri(node, SH.datatype, datatype))
        for value in sorted(sg.objects(node, SH.hasValue), key=str):
            add("hasValue", "HasValue", iri=self.iri(node, SH.hasValue, value))
        pattern = self.one(node, SH.pattern)
        if pattern is not None:
            add("pattern", "Pattern", text=_regex(node, str(pattern)))
        unique = self.one(node, SH.uniqueLang)
        if unique is not None:
            if not isinstance(unique, Literal) or not isinstance(unique.value, bool):
                raise _unsupported(node, f"sh:uniqueLang {unique!r}")
            if unique.value:
                add("uniqueLang", "UniqueLang")
        languages = self.one(node, SH.languageIn)
        if languages is not None:
            items = list(sg.items(languages))
            if not all(isinstance(i, Literal) for i in items):
                raise _unsupported(node, "sh:languageIn with non-literal members")
            add("languageIn", "LanguageIn", items=tuple(sorted({str(i).lower() for i in items})))
        minimum = self.one(node, SH.minInclusive)
        if minimum is not None:
            if not isinstance(minimum, Literal):
                raise _unsupported(node, "sh:minInclusive with a non-literal value")
            add("minInclusive", "MinInclusive", literal=minimum)
        for head in sorted(sg.objects(node, SH["or"]), key=str):
            members = tuple(self.shape(m) for m in sg.items(head))
            if not members:
                raise _unsupported(node, "an empty sh:or list")
            for member in members:
                _check_conformance_only(member)
            add("or", "Or", shapes=members)
        lower, upper = self.integer(node, SH.qualifiedMinCount), self.integer(node, SH.qualifiedMaxCount)
        qualified = sorted(sg.objects(node, SH.qualifiedValueShape), key=str)
        if (lower is not None or upper is not None) and not qualified:
            raise _unsupported(node, "sh:qualifiedMinCount or sh:qualifiedMaxCount without sh:qualifiedValueShape")
        for value_shape in qualified:
            if lower is None and upper is None:
                raise _unsupported(node, "sh:qualifiedValueShape without sh:qualifiedMinCount or MaxCount")
            member = self.shape(value_shape)
            _check_conformance_only(member)
            add("qualified", "QualifiedValueShape", shapes=(member,), lower=lower, upper=upper)
        for parameter, kind in ((SH.lessThanOrEquals, "lessThanOrEquals"), (SH.disjoint, "disjoint")):
            for other in sorted(sg.objects(node, parameter), key=str):
                add(kind, kind[0].upper() + kind[1:], iri=self.iri(node, parameter, other))  # type: ignore[arg-type]
        for constraint in sorted(sg.objects(node, SH.sparql), key=str):
            found.append(self._sparql(node, constraint))
        return tuple(found)

    def _sparql(self, node: URIRef, constraint: Node) -> _Constraint:
        sg = self.sg
        extra = {p for p in sg.predicates(constraint, None) if str(p).startswith(str(SH))} - {SH.select, SH.prefixes}
        select = sg.value(constraint, SH.select)
        if extra or not isinstance(select, Literal):
            raise _unsupported(node, "an sh:sparql constraint other than sh:select with sh:prefixes "
                                     f"(found {sorted(_short(p) for p in extra)})")
        text = str(select)
        for variable in ("PATH", "shapesGraph"):
            if re.search(rf"[\s{{}}()][$?]{variable}\b", text):
                raise _unsupported(node, f"${variable} in an sh:sparql query")
        return _Constraint("sparql", str(SH.SPARQLConstraintComponent), iri=str(constraint), text=text,
                           prefixes=_prefixes(sg, constraint))


def _check_conformance_only(shape: _Shape) -> None:
    """Refuse components in a shape used by sh:or or sh:qualifiedValueShape that SPARQL cannot decide alone."""
    for constraint in shape.constraints:
        if constraint.kind in ("minInclusive", "lessThanOrEquals", "sparql"):
            raise _unsupported(shape.iri, f"{constraint.component.removeprefix(str(SH))} in a shape used by "
                                          "sh:or or sh:qualifiedValueShape")
    for child in shape.properties:
        _check_conformance_only(child)


def _compile(sg: Graph) -> tuple[_Shape, ...]:
    """The shapes of *sg* that have targets (with everything they reach), checked for support."""
    parser = _ShapeParser(sg)
    shapes = [parser.shape(node) for node in _shape_nodes(sg)]

    def check_messages(shape: _Shape) -> None:
        if shape.messages is None:
            raise _unsupported(shape.iri, "a reporting shape without one sh:message in English and one in "
                                          "Finnish (the fast path reports sh:message texts only)")
        for child in shape.properties:
            check_messages(child)

    targeted = tuple(s for s in shapes if s.targets)
    for shape in targeted:
        check_messages(shape)
    return targeted


# ---------------------------------------------------------------------------
# SPARQL: the text of each check
# ---------------------------------------------------------------------------

def _sparql_string(text: str) -> str:
    """*text* as a SPARQL string literal (escaped by pyoxigraph's N-Triples serialisation)."""
    import pyoxigraph as ox

    return str(ox.Literal(text))


def _sparql_literal(literal: Literal) -> str:
    return str(_Codec().term(literal))


def _recorded_datatype(encoded: str) -> str:
    """SPARQL expression: the datatype of a recorded original (see :meth:`_Codec.original`)."""
    return f"IRI(SUBSTR(STR(DATATYPE({encoded})), {len(_LEX_OK) + 1}))"


def _stored_form(encoded: str) -> str:
    """SPARQL expression: the term the store holds for a recorded original."""
    return f"STRDT(STR({encoded}), {_recorded_datatype(encoded)})"


def _datatype_of(original: str) -> str:
    """SPARQL expression: the datatype of an original (decoded when it was recorded)."""
    return (f'IF(STRSTARTS(STR(DATATYPE({original})), "{_NS}"), {_recorded_datatype(original)}, '
            f"DATATYPE({original}))")


def _bad(original: str) -> str:
    return f'STRSTARTS(STR(DATATYPE({original})), "{_LEX_BAD}")'


@dataclass(frozen=True)
class _Context:
    """A pattern binding the focus nodes of one shape evaluation."""

    pattern: str
    focus: str                  # variable: the focus node as stored
    original: str               # variable: the focus node as in the data
    chain: tuple[str, ...]      # variables that identify one evaluation (for multiplicity)
    prefixes: tuple[tuple[str, str], ...] = ()


class _Sparql:
    """Writes the SPARQL of the checks, with fresh variable names throughout one validation."""

    def __init__(self, lex_graphs: tuple[str, ...], lex_predicates: frozenset[str],
                 subclasses: Callable[[str], tuple[str, ...] | None] = lambda iri: None) -> None:
        self.lex_graphs = lex_graphs
        self.lex_predicates = lex_predicates
        self.subclasses = subclasses
        """The IRIs of a class and of its subclasses in the data, or None (then a property path)."""
        self.counter = 0

    def var(self, stem: str) -> str:
        self.counter += 1
        return f"?hk_{stem}{self.counter}"

    def lexical(self, pattern: str) -> str:
        if len(self.lex_graphs) == 1:
            return f"GRAPH <{self.lex_graphs[0]}> {{ {pattern} }}"
        graph = self.var("g")
        return f"VALUES {graph} {{ {' '.join(f'<{g}>' for g in self.lex_graphs)} }} GRAPH {graph} {{ {pattern} }}"

    def values(self, focus: str, path: _Path, value: str) -> tuple[str, str]:
        """A pattern binding *value* to each value node and its original; returns it and the original."""
        pattern = f"{focus} {path.sparql} {value} ."
        forward = sorted(path.forward & self.lex_predicates)
        if not forward:
            return pattern, value
        encoded, original = self.var("e"), self.var("o")
        lex_path = forward[0] if len(forward) == 1 else "(" + "|".join(f"<{p}>" for p in forward) + ")"
        if len(forward) == 1:
            lex_path = f"<{lex_path}>"
        pattern += (f" OPTIONAL {{ {self.lexical(f'{focus} {lex_path} {encoded}')}"
                    f" FILTER(sameTerm({value}, {_stored_form(encoded)})) }}"
                    f" BIND(COALESCE({encoded}, {value}) AS {original})")
        return pattern, original

    def value_nodes(self, shape: _Shape, focus: str, original: str) -> tuple[str, str, str]:
        """Pattern, value variable and original variable of the value nodes of *shape* at *focus*."""
        if shape.path is None:
            return "", focus, original
        value = self.var("v")
        pattern, value_original = self.values(focus, shape.path, value)
        return pattern, value, value_original

    def distinct_values(self, shape: _Shape, focus: str, original: str, count: int,
                        conforming: _Shape | None = None) -> str:
        """A pattern with a solution when *focus* has *count* distinct (conforming) value nodes."""
        if count == 0:
            return ""
        if count == 1 and conforming is None and shape.path is not None:
            return f"{focus} {shape.path.sparql} {self.var('v')} ."
        originals, parts = [], []
        for _ in range(count):
            pattern, value, value_original = self.value_nodes(shape, focus, original)
            parts.append(pattern)
            if conforming is not None:
                parts.append(f"FILTER NOT EXISTS {{ {self.violation(conforming, value, value_original)} }}")
            originals.append(value_original)
        parts += [f"FILTER(!sameTerm({a}, {b}))" for i, a in enumerate(originals) for b in originals[i + 1:]]
        return " ".join(parts)

    def value_condition(self, c: _Constraint, value: str, original: str) -> str:
        """A SPARQL expression, true when the value node violates *c* (a value-level constraint)."""
        if c.kind == "nodeKind":
            kinds = {"IRI": f"!isIRI({value})", "BlankNode": f"!isBlank({value})",
                     "Literal": f"!isLiteral({value})", "BlankNodeOrIRI": f"isLiteral({value})",
                     "BlankNodeOrLiteral": f"isIRI({value})", "IRIOrLiteral": f"isBlank({value})"}
            return kinds[c.iri.removeprefix(str(SH))]
        if c.kind == "datatype":
            if c.iri == str(RDFS.Literal):
                return f"!isLiteral({original})"
            if c.iri == str(RDF.langString):
                return f'!(isLiteral({original}) && LANG({original}) != "")'
            matches = f'isLiteral({original}) && LANG({original}) = "" && {_datatype_of(original)} = <{c.iri}>'
            return f"!({matches} && !{_bad(original)})"
        if c.kind == "class":
            classes = self.subclasses(c.iri)
            if classes is None:
                return f"(isLiteral({value}) || NOT EXISTS {{ {value} {_RDF_TYPE}/{_SUBCLASS_OF}* <{c.iri}> }})"
            # The class and its subclasses listed, instead of a path walked for every value (6x faster).
            k, listed = self.var("k"), ", ".join(f"<{iri}>" for iri in classes)
            return f"(isLiteral({value}) || NOT EXISTS {{ {value} {_RDF_TYPE} {k} FILTER({k} IN ({listed})) }})"
        if c.kind == "languageIn":
            if "*" in c.items:
                return f'!(isLiteral({original}) && LANG({original}) != "")'
            listed = ", ".join(_sparql_string(i) for i in c.items)
            first = f'LCASE(STRBEFORE(CONCAT(LANG({original}), "-"), "-"))'
            return (f'!(isLiteral({original}) && LANG({original}) != "" && '
                    f"(LCASE(LANG({original})) IN ({listed}) || {first} IN ({listed})))")
        if c.kind == "minLength":
            if c.count == 0:
                return "false"
            return f"(isBlank({original}) || STRLEN(STR({original})) < {c.count})"
        if c.kind == "pattern":
            return f"(isBlank({original}) || !REGEX(STR({original}), {_sparql_string(c.text)}))"
        if c.kind == "or":
            if any(m.severity != "Violation" for m in c.shapes):
                return "false"  # a member that is not a violation always conforms (allow_warnings)
            return " && ".join(f"EXISTS {{ {self.violation(m, value, original)} }}" for m in c.shapes)
        if c.kind == "minInclusive":
            # A prefilter: false only where the value provably conforms; the rest is checked in Python.
            assert c.literal is not None
            if c.literal.datatype not in _EXACT_NUMERIC or _fails_own_datatype(c.literal):
                return "true"
            numeric = ", ".join(f"<{d}>" for d in _EXACT_NUMERIC)
            return (f"!(isLiteral({original}) && !{_bad(original)} && {_datatype_of(original)} IN ({numeric}) "
                    f"&& {value} >= {_sparql_literal(c.literal)})")
        raise AssertionError(c.kind)

    def focus_condition(self, shape: _Shape, c: _Constraint, focus: str, original: str) -> str:
        """A SPARQL expression, true when the focus node violates *c* (a focus-level constraint)."""
        if c.kind == "minCount":
            return f"NOT EXISTS {{ {self.distinct_values(shape, focus, original, c.count)} }}" if c.count else "false"
        if c.kind == "maxCount":
            return f"EXISTS {{ {self.distinct_values(shape, focus, original, c.count + 1)} }}"
        if c.kind == "hasValue":
            if shape.path is None:
                return f"!sameTerm({focus}, <{c.iri}>)"
            return f"NOT EXISTS {{ {focus} {shape.path.sparql} <{c.iri}> }}"
        raise AssertionError(c.kind)

    def qualified_condition(self, shape: _Shape, c: _Constraint, focus: str, original: str,
                            bound: TypingLiteral["lower", "upper"]) -> str:
        member = c.shapes[0]
        if bound == "lower":
            assert c.lower is not None
            if c.lower == 0:
                return "false"
            return f"NOT EXISTS {{ {self.distinct_values(shape, focus, original, c.lower, member)} }}"
        assert c.upper is not None
        return f"EXISTS {{ {self.distinct_values(shape, focus, original, c.upper + 1, member)} }}"

    def unique_lang(self, shape: _Shape, focus: str, original: str) -> tuple[str, str]:
        """Pattern with a solution per language shared by two value nodes; returns it and the language."""
        first, _, first_original = self.value_nodes(shape, focus, original)
        second, _, second_original = self.value_nodes(shape, focus, original)
        return (f"{first} {second} FILTER(LANG({first_original}) != \"\" && "
                f"LCASE(LANG({first_original})) = LCASE(LANG({second_original})) && "
                f"!sameTerm({first_original}, {second_original}))", f"LCASE(LANG({first_original}))")

    def disjoint(self, shape: _Shape, c: _Constraint, focus: str, original: str) -> tuple[str, str]:
        pattern, value, value_original = self.value_nodes(shape, focus, original)
        other = _Path(f"<{c.iri}>", frozenset({c.iri}), c.iri)
        other_pattern, other_original = self.values(focus, other, value)
        return f"{pattern} {other_pattern} FILTER(sameTerm({value_original}, {other_original}))", value_original

    def violation(self, shape: _Shape, focus: str, original: str) -> str:
        """A group pattern with a solution when *focus* does not conform to *shape*.

        As pySHACL decides it with ``allow_warnings``: a shape whose severity is
        not Violation always conforms; otherwise any result of its own
        constraints, or a nested property shape that does not conform, fails it.
        """
        if shape.severity != "Violation":
            return "FILTER(false)"
        branches: list[str] = []
        for c in shape.constraints:
            if c.kind in ("minCount", "maxCount", "hasValue"):
                branches.append(f"FILTER({self.focus_condition(shape, c, focus, original)})")
            elif c.kind == "qualified":
                for bound in ("lower", "upper"):
                    if getattr(c, bound) is not None:
                        branches.append(f"FILTER({self.qualified_condition(shape, c, focus, original, bound)})")
            elif c.kind == "uniqueLang":
                branches.append(self.unique_lang(shape, focus, original)[0])
            elif c.kind == "disjoint":
                branches.append(self.disjoint(shape, c, focus, original)[0])
            elif c.kind in ("minInclusive", "lessThanOrEquals", "sparql"):
                raise _unsupported(shape.iri, f"{c.component} in a shape used by sh:or or sh:qualifiedValueShape")
            else:
                pattern, value, value_original = self.value_nodes(shape, focus, original)
                branches.append(f"{pattern} FILTER({self.value_condition(c, value, value_original)})")
        for child in shape.properties:
            if shape.path is None:
                branches.append(self.violation(child, focus, original))
            else:
                pattern, value, value_original = self.value_nodes(shape, focus, original)
                branches.append(f"{pattern} {self.violation(child, value, value_original)}")
        if not branches:
            return "FILTER(false)"
        return " UNION ".join(f"{{ {b} }}" for b in branches)

    def target_context(self, shape: _Shape) -> _Context:
        focus, original = self.var("f"), self.var("fo")
        branches: list[str] = []
        prefixes: dict[str, str] = {}
        for target in shape.targets:
            if target.kind == "class":
                branches.append(f"{focus} {_RDF_TYPE}/{_SUBCLASS_OF}* <{target.iri}> . BIND({focus} AS {original})")
            elif target.kind == "objectsOf":
                pattern, value_original = self.values(self.var("s"), _Path(f"<{target.iri}>",
                                                      frozenset({target.iri}), target.iri), focus)
                branches.append(f"{pattern} BIND({value_original} AS {original})")
            else:
                for prefix, namespace in target.prefixes:
                    if prefixes.setdefault(prefix, namespace) != namespace:
                        raise _unsupported(shape.iri, f"SPARQL targets that bind the prefix {prefix} differently")
                branches.append(f"{{ SELECT (?this AS {focus}) WHERE {{ {{ {target.query} }} }} }} "
                                f"BIND({focus} AS {original})")
        pattern = branches[0] if len(branches) == 1 else " UNION ".join(f"{{ {b} }}" for b in branches)
        return _Context(pattern, focus, original, (original,), tuple(sorted(prefixes.items())))

    def nested_context(self, shape: _Shape, ctx: _Context) -> _Context:
        """The context of the property shapes of *shape*: its value nodes (or its focus for a node shape)."""
        if shape.path is None:
            return ctx
        pattern, value, value_original = self.value_nodes(shape, ctx.focus, ctx.original)
        return _Context(f"{ctx.pattern} {pattern}", value, value_original, (*ctx.chain, value_original),
                        ctx.prefixes)


# ---------------------------------------------------------------------------
# Validation: running the checks and building the report
# ---------------------------------------------------------------------------

def _compare_literal(l1: Literal, l2: Literal) -> int:
    """pySHACL's literal comparison (pyshacl.rdfutil.compare.compare_literal)."""
    if l1.eq(l2):
        return 0
    if l1.value.__class__ in (datetime.datetime, datetime.time):
        if l1.value == l2.value:
            return 0
        if l1.value > l2.value:
            return 1
    elif l1 > l2:
        return 1
    return -1


def _min_inclusive_ok(value: Node, minimum: Literal) -> bool:
    """pySHACL's sh:minInclusive check of one value node."""
    if not isinstance(value, Literal):
        return False
    if isinstance(minimum.value, str) != isinstance(value.value, str):
        return False
    try:
        return _compare_literal(value, minimum) >= 0
    except (TypeError, NotImplementedError):
        return False


def _less_than_or_equals_fails(value: Node, other: Node) -> bool:
    """pySHACL's sh:lessThanOrEquals check of one pair of values."""
    if isinstance(value, BNode) or isinstance(other, BNode):
        raise InputError("sh:lessThanOrEquals cannot compare a blank node")
    left: Any = value
    right: Any = other
    left_string = right_string = False
    if isinstance(value, URIRef):
        left, left_string = str(value), True
    elif isinstance(value, Literal) and isinstance(value.value, str):
        left, left_string = value.value, True
    if isinstance(other, URIRef):
        right, right_string = str(other), True
    elif isinstance(other, Literal) and isinstance(other.value, str):
        right, right_string = other.value, True
    if left_string != right_string:
        return True
    return not bool(left <= right)


def _sparql_message(message: str, bindings: dict[str, Node]) -> str:
    """pySHACL's substitution of ``{$var}``/``{?var}`` in messages of SPARQL-based constraints."""
    for name, value in bindings.items():
        message = re.sub(f"{{[?$]{name}}}", str(value), message)
    return message


class _DefaultPath:
    """Marks "the path of the shape" as the path of a result."""


_DEFAULT_PATH = _DefaultPath()


class _Validation:
    """One run of the compiled shapes over a store."""

    def __init__(self, store: pyoxigraph.Store, codec: _Codec, *, default_graph: list[_GraphName] | None,
                 lex_graphs: tuple[str, ...]) -> None:
        import pyoxigraph as ox

        self.store = store
        self.codec = codec
        self.default_graph = default_graph
        self.lex_graphs = lex_graphs
        predicates: set[str] = set()
        for name in lex_graphs:
            query = f"SELECT DISTINCT ?p WHERE {{ GRAPH <{name}> {{ ?s ?p ?o }} }}"
            predicates.update(row["p"].value for row in self.select(query))
        predicates.discard(_LEX_MARK)
        self.sparql = _Sparql(lex_graphs, frozenset(predicates), self.subclasses)
        self.results: list[ValidationResult] = []
        self._ox = ox
        self._subclasses: dict[str, tuple[str, ...] | None] = {}

    def subclasses(self, iri: str) -> tuple[str, ...] | None:
        """*iri* and every class that is ``rdfs:subClassOf*`` it in the data; None if one is a blank node."""
        if iri not in self._subclasses:
            rows = list(self.select(f"SELECT DISTINCT ?k WHERE {{ ?k {_SUBCLASS_OF}* <{iri}> }}"))
            named = {row["k"].value for row in rows if isinstance(row["k"], self._ox.NamedNode)}
            self._subclasses[iri] = None if len(named) < len(rows) else tuple(sorted(named | {iri}))
        return self._subclasses[iri]

    def select(self, query: str, *, prefixes: tuple[tuple[str, str], ...] = (),
               substitutions: dict[pyoxigraph.Variable, _Binding] | None = None) -> pyoxigraph.QuerySolutions:
        import pyoxigraph as ox

        try:
            result = self.store.query(query, default_graph=self.default_graph, prefixes=dict(prefixes) or None,
                                      substitutions=substitutions)
        except SyntaxError as err:  # a query of the shapes graph that Oxigraph cannot parse
            raise InputError(f"validate_fast: SPARQL error {err} in:\n{query}") from err
        assert isinstance(result, ox.QuerySolutions)
        return result

    def text(self, term: object) -> str:
        return str(self.codec.to_rdflib(term))

    def report(self, shape: _Shape, focus: object, constraint: _Constraint, *, value: object | None = None,
               component: str | None = None, path: str | _DefaultPath | None = _DEFAULT_PATH,
               bindings: dict[str, Node] | None = None) -> None:
        assert shape.messages is not None
        en, fi = shape.messages
        if bindings is not None:
            en, fi = _sparql_message(en, bindings), _sparql_message(fi, bindings)
        if isinstance(path, _DefaultPath):
            path = shape.path.iri if shape.path else None
        self.results.append(ValidationResult(
            focus_node=self.text(focus),
            path=path,
            value=self.text(value) if value is not None else None,
            severity=shape.severity,
            source_shape=shape.iri,
            constraint=component or constraint.component,
            message_en=en,
            message_fi=fi,
        ))

    def run(self, shapes: Iterable[_Shape]) -> ValidationReport:
        for shape in shapes:
            self.shape(shape, self.sparql.target_context(shape))
        results = sorted(self.results, key=lambda r: (r.focus_node, r.source_shape, r.path or "", r.value or "",
                                                      r.constraint, r.severity, r.message_en, r.message_fi))
        return ValidationReport(conforms=not any(r.severity == "Violation" for r in results),
                                results=tuple(results))

    def shape(self, shape: _Shape, ctx: _Context) -> None:
        for c in shape.constraints:
            self.constraint(shape, c, ctx)
        nested = self.sparql.nested_context(shape, ctx)
        for child in shape.properties:
            self.shape(child, nested)

    def rows(self, ctx: _Context, body: str, *extra: str) -> list[dict[str, Any]]:
        """The distinct solutions of *body* in *ctx*, by variable (with its ``?``)."""
        names = list(dict.fromkeys((*ctx.chain, *extra)))
        query = f"SELECT DISTINCT {' '.join(names)} WHERE {{ {ctx.pattern} {body} }}"
        return [{name: solution[name[1:]] for name in names}
                for solution in self.select(query, prefixes=ctx.prefixes)]

    def constraint(self, shape: _Shape, c: _Constraint, ctx: _Context) -> None:
        q = self.sparql
        if c.kind in ("minCount", "maxCount", "hasValue"):
            for row in self.rows(ctx, f"FILTER({q.focus_condition(shape, c, ctx.focus, ctx.original)})"):
                self.report(shape, row[ctx.original], c)
        elif c.kind == "qualified":
            for bound, name in (("lower", "QualifiedMinCount"), ("upper", "QualifiedMaxCount")):
                if getattr(c, bound) is None:
                    continue
                condition = q.qualified_condition(shape, c, ctx.focus, ctx.original, bound)  # type: ignore[arg-type]
                for row in self.rows(ctx, f"FILTER({condition})"):
                    self.report(shape, row[ctx.original], c, component=f"{SH}{name}ConstraintComponent")
        elif c.kind == "uniqueLang":
            pattern, language = q.unique_lang(shape, ctx.focus, ctx.original)
            bound = q.var("lang")
            for row in self.rows(ctx, f"{pattern} BIND({language} AS {bound})", bound):
                self.report(shape, row[ctx.original], c)
        elif c.kind == "disjoint":
            pattern, value_original = q.disjoint(shape, c, ctx.focus, ctx.original)
            for row in self.rows(ctx, pattern, value_original):
                self.report(shape, row[ctx.original], c, value=row[value_original])
        elif c.kind == "lessThanOrEquals":
            self.less_than_or_equals(shape, c, ctx)
        elif c.kind == "sparql":
            self.sparql_constraint(shape, c, ctx)
        else:
            pattern, value, value_original = q.value_nodes(shape, ctx.focus, ctx.original)
            condition = q.value_condition(c, value, value_original)
            if condition == "false":
                return
            for row in self.rows(ctx, f"{pattern} FILTER({condition})", value_original):
                if c.kind == "minInclusive":
                    assert c.literal is not None
                    if _min_inclusive_ok(self.codec.to_rdflib(row[value_original]), c.literal):
                        continue
                self.report(shape, row[ctx.original], c, value=row[value_original])

    def less_than_or_equals(self, shape: _Shape, c: _Constraint, ctx: _Context) -> None:
        q = self.sparql
        pattern, value, value_original = q.value_nodes(shape, ctx.focus, ctx.original)
        other = q.var("c")
        other_pattern, other_original = q.values(ctx.focus, _Path(f"<{c.iri}>", frozenset({c.iri}), c.iri), other)
        numeric = ", ".join(f"<{d}>" for d in _EXACT_NUMERIC)

        def plain(o: str) -> str:
            return f"isLiteral({o}) && !{_bad(o)}"

        day = '"^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}$"'
        provable = " || ".join((
            f"({plain(value_original)} && {plain(other_original)} && {_datatype_of(value_original)} IN ({numeric})"
            f" && {_datatype_of(other_original)} IN ({numeric}) && {value} <= {other})",
            f"({plain(value_original)} && {plain(other_original)} && {_datatype_of(value_original)} = <{XSD.date}>"
            f" && {_datatype_of(other_original)} = <{XSD.date}> && REGEX(STR({value_original}), {day})"
            f" && REGEX(STR({other_original}), {day}) && {value} <= {other})",
            f"(isIRI({value}) && isIRI({other}) && STR({value}) <= STR({other}))",
        ))
        body = f"{pattern} {other_pattern} FILTER(!({provable}))"
        for row in self.rows(ctx, body, value_original, other_original):
            if _less_than_or_equals_fails(self.codec.to_rdflib(row[value_original]),
                                          self.codec.to_rdflib(row[other_original])):
                self.report(shape, row[ctx.original], c, value=row[value_original])

    def sparql_constraint(self, shape: _Shape, c: _Constraint, ctx: _Context) -> None:
        ox = self._ox
        cache: dict[object, list[dict[str, Any]]] = {}
        for row in self.rows(ctx, "", ctx.focus):
            focus, focus_original = row[ctx.focus], row[ctx.original]
            if focus not in cache:
                cache[focus] = self.sparql_rows(shape, c, focus)
            for found in cache[focus]:
                this, path, value = found.pop("this", None), found.pop("path", None), found.pop("value", None)
                if value is None and shape.path is None:
                    value = focus_original
                result_path: str | _DefaultPath | None = _DEFAULT_PATH
                if path is not None:
                    node = self.codec.to_rdflib(path)
                    result_path = str(node) if isinstance(node, URIRef) else None
                values: list[object | None] = [value]
                if isinstance(value, ox.Literal) and isinstance(path, ox.NamedNode) and this is not None:
                    values = self.originals(this, path, value) or values
                for each in values:
                    bindings = {k: self.codec.to_rdflib(v) for k, v in found.items()}
                    bindings.update({k: self.codec.to_rdflib(v) for k, v in
                                     (("this", this), ("path", path), ("value", each)) if v is not None})
                    self.report(shape, this if this is not None else focus_original, c, value=each,
                                path=result_path, bindings=bindings)

    def sparql_rows(self, shape: _Shape, c: _Constraint, focus: _Term) -> list[dict[str, Any]]:
        ox = self._ox
        substitutions: dict[pyoxigraph.Variable, _Binding] = {ox.Variable("this"): focus}
        if re.search(r"[\s{}()][$?]currentShape\b", c.text):
            substitutions[ox.Variable("currentShape")] = ox.NamedNode(shape.iri)
        solutions = self.select(c.text, prefixes=c.prefixes, substitutions=substitutions)
        names = [v.value for v in solutions.variables]
        if "failure" in names:
            raise _unsupported(shape.iri, "?failure in an sh:sparql query")
        seen: set[frozenset[tuple[str, Any]]] = set()
        rows: list[dict[str, Any]] = []
        for solution in solutions:
            found = {name: solution[name] for name in names if solution[name] is not None}
            key = frozenset(found.items())
            if key in seen or not ({"this", "path", "value"} & found.keys()):
                continue
            seen.add(key)
            rows.append(found)
        return rows

    def originals(self, this: object, path: object, value: object) -> list[object]:
        """The originals of a literal reported by a SPARQL constraint, when the store changed it."""
        ox = self._ox
        query = (f"SELECT DISTINCT ?e ?s ?p ?v WHERE {{ {self.sparql.lexical('?s ?p ?e')} "
                 f"FILTER(sameTerm(?v, {_stored_form('?e')})) }}")
        substitutions = {ox.Variable("s"): this, ox.Variable("p"): path, ox.Variable("v"): value}
        return [row["e"] for row in self.select(query, substitutions=substitutions)]  # type: ignore[arg-type]


def validate_fast(data: Graph | pyoxigraph.Store, *, shapes: Graph | None = None,
                  with_ontology: bool = True) -> ValidationReport:
    """Validate *data* against the SHACL shapes with SPARQL on Oxigraph; the same report as ``validate``.

    Parameters
    ----------
    data
        An rdflib graph (not modified), or a store built by :func:`load_store`
        with the data in its default graph.
    shapes
        A shapes graph (default: the bundled ``ontology/shapes.ttl``).
    with_ontology
        Validate the union of *data* and the ontology with its SKOS schemes, as
        :func:`hyvinvointi_kg.validation.validate` does. For a store, the
        ontology is added to two temporary named graphs, removed afterwards.

    Returns
    -------
    ValidationReport
        The results :func:`hyvinvointi_kg.validation.validate` gives, sorted.

    Raises
    ------
    InputError
        If pyoxigraph is missing; if a shape uses a constraint component, target,
        path or SPARQL feature the fast path does not compile (the message
        names the shape); or if the store was not built by :func:`load_store`.

    Examples
    --------
    >>> from rdflib import Graph
    >>> bad = Graph().parse(data='''
    ... @prefix hk: <https://w3id.org/hyvinvointi-kg/ontology#> .
    ... <https://w3id.org/hyvinvointi-kg/id/place/kunta/999> a hk:Municipality ;
    ...     hk:municipalityCode "99" .
    ... ''', format="turtle")
    >>> report = validate_fast(bad)
    >>> report.conforms, sorted({r.source_shape.split("#")[1] for r in report.violations})
    (False, ['Municipality-code', 'Municipality-partOf', 'Place-prefLabelFi'])
    """
    _require_oxigraph()
    import pyoxigraph as ox

    compiled = _compile(shapes if shapes is not None else load_shapes())
    codec = _Codec()
    lex = ox.NamedNode(_LEX)
    if isinstance(data, Graph):
        store = ox.Store()
        triples: Iterable[tuple[Node, Node, Node]] = data
        if with_ontology:  # the store keeps one copy of a triple in both
            triples = itertools.chain(data, load_ontology())
        _store_triples(store, triples, codec, graph=ox.DefaultGraph(), lex_graph=lex)
        return _Validation(store, codec, default_graph=None, lex_graphs=(_LEX,)).run(compiled)
    if not isinstance(data, ox.Store):
        raise InputError(f"validate_fast() takes an rdflib Graph or a pyoxigraph Store, not {type(data).__name__}")
    if not any(True for _ in data.quads_for_pattern(lex, ox.NamedNode(_LEX_MARK), None, lex)):
        raise InputError("validate_fast: the store was not built by hyvinvointi_kg.fast.load_store(); Oxigraph "
                         "normalises literals (xsd:positiveInteger becomes xsd:integer), so sh:datatype cannot "
                         "be checked as the reference does")
    if not with_ontology:
        return _Validation(data, codec, default_graph=None, lex_graphs=(_LEX,)).run(compiled)
    token = uuid.uuid4().hex
    ontology, ontology_lex = ox.NamedNode(f"{_NS}ontology-{token}"), ox.NamedNode(f"{_NS}ontology-lexical-{token}")
    try:
        _store_triples(data, load_ontology(), codec, graph=ontology, lex_graph=ontology_lex)
        return _Validation(data, codec, default_graph=[ox.DefaultGraph(), ontology],
                           lex_graphs=(_LEX, ontology_lex.value)).run(compiled)
    finally:
        data.remove_graph(ontology)
        data.remove_graph(ontology_lex)


# ---------------------------------------------------------------------------
# Inference: the rules of hyvinvointi_kg.inference as SPARQL updates
# ---------------------------------------------------------------------------

_RULE = _NS + "rule:"


def _rule_quads(store: pyoxigraph.Store, rules: pyoxigraph.NamedNode) -> list[pyoxigraph.Quad]:
    """The rules :func:`hyvinvointi_kg.inference.entailments` derives from the axioms, as quads in *rules*."""
    import pyoxigraph as ox

    default = ox.DefaultGraph()

    def pairs(predicate: URIRef) -> Iterator[tuple[object, object]]:
        for quad in store.quads_for_pattern(None, ox.NamedNode(str(predicate)), None, default):
            yield quad.subject, quad.object

    def value(subject: object, predicate: URIRef) -> object | None:
        if not isinstance(subject, ox.NamedNode | ox.BlankNode):
            return None
        for quad in store.quads_for_pattern(subject, ox.NamedNode(str(predicate)), None, default):
            return quad.object
        return None

    sub_class: dict[object, set[object]] = defaultdict(set)
    for s, o in pairs(RDFS.subClassOf):
        if isinstance(o, ox.NamedNode) and s != o:
            sub_class[s].add(o)
    sub_property: dict[object, set[object]] = defaultdict(set)
    for s, o in pairs(RDFS.subPropertyOf):
        if s != o:
            sub_property[s].add(o)
    quads: list[pyoxigraph.Quad] = []

    def add(s: object, p: str, o: object) -> None:
        quads.append(ox.Quad(s, ox.NamedNode(_RULE + p), o, rules))  # type: ignore[arg-type]

    for relation, name in ((_closure(sub_class), "superClass"), (_closure(sub_property), "superProperty")):
        for s, supers in relation.items():
            for o in supers:
                add(s, name, o)
    for s, o in pairs(OWL.inverseOf):
        add(s, "inverse", o)
        add(o, "inverse", s)
    for name, predicate in (("domain", RDFS.domain), ("range", RDFS.range)):
        for s, o in pairs(predicate):
            add(s, name, o)
    for quad in store.quads_for_pattern(None, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(OWL.TransitiveProperty)),
                                        default):
        add(quad.subject, "transitive", ox.Literal(True))
    for prop, head in pairs(OWL.propertyChainAxiom):
        steps, node, seen = [], head, {head}
        while node is not None and node != ox.NamedNode(str(RDF.nil)):
            first = value(node, RDF.first)
            if first is not None:
                steps.append(first)
            node = value(node, RDF.rest)
            if node in seen:
                raise InputError("owl:propertyChainAxiom: the list contains a recursive rdf:rest reference")
            seen.add(node)
        if len(steps) == 2:
            chain = ox.BlankNode()
            add(chain, "chain", prop)
            add(chain, "first", steps[0])
            add(chain, "second", steps[1])
    return quads


@dataclass(frozen=True)
class _Round:
    """The private named graphs of one round of a materialisation: the triples it added."""

    added: str
    added_lex: str

    @classmethod
    def fresh(cls, token: str, number: int) -> _Round:
        return cls(f"{_NS}added-{token}-{number}", f"{_NS}added-lexical-{token}-{number}")


_KEYS = "#keys#"
"""Where :func:`_materialise` puts the ``VALUES`` block of a split update (a comment otherwise)."""


@dataclass(frozen=True)
class _Update:
    """One rule of a round: the triple *head* concluded from the solutions of *where*.

    The rule runs once, or, split, once per *key*: once per subject of *predicate* in
    the rules graph, bound by a ``VALUES`` block at each ``_KEYS`` of *keyed* (else of
    *where*), so that one run concludes the triples of one property or class, not of all.
    A *lexical* rule concludes originals of literals (the lexical graph of :func:`load_store`).
    """

    head: str
    where: str
    lexical: bool = False
    key: str | None = None
    predicate: str | None = None
    keyed: str | None = None

    def body(self, bind: str | None) -> str:
        """The ``WHERE`` clause, for the key *bind* (a ``VALUES`` block or a filter) or, if None, whole."""
        return self.where if bind is None else (self.keyed or self.where).replace(_KEYS, bind)

    def update(self, now: _Round, bind: str | None = None) -> str:
        """The rule as one SPARQL update that adds its conclusions to the store and to the round *now*."""
        graph, added = (f"GRAPH <{_LEX}> {{ {self.head} }}", now.added_lex) if self.lexical else (self.head, now.added)
        return f"INSERT {{ {graph} GRAPH <{added}> {{ {self.head} }} }} WHERE {{ {self.body(bind)} }}"

    def construct(self, bind: str | None = None) -> str:
        """The rule as a query whose result is its conclusions (written to the store by the caller)."""
        return f"CONSTRUCT {{ {self.head} }} WHERE {{ {self.body(bind)} }}"


def _rule_round(rules: str, before: _Round | None) -> list[_Update]:
    """One semi-naive round of every rule.

    The first round (*before* is None) reads the whole default graph; later
    rounds join at least one atom with the triples the round *before* added,
    so each derivation is made once it becomes possible. A new triple goes to
    the default graph and to the graph of the round that concludes it. The originals of
    literals (the lexical graph of :func:`load_store`) are carried along the
    rules that copy an object: sub-properties, transitivity and chains.
    """
    r, lex, rule = f"<{rules}>", f"<{_LEX}>", _RULE

    def new(atom: str) -> str:
        return atom if before is None else f"GRAPH <{before.added}> {{ {atom} }}"

    def new_lex(atom: str) -> str:
        return f"GRAPH {lex if before is None else f'<{before.added_lex}>'} {{ {atom} }}"

    def either(left: str, right: str) -> str:
        return f"{left} {right}" if before is None else f"{{ {new(left)} {right} }} UNION {{ {left} {new(right)} }}"

    def either_lex(left: str, right: str) -> str:
        if before is None:
            return f"{left} GRAPH {lex} {{ {right} }}"
        return f"{{ {new(left)} GRAPH {lex} {{ {right} }} }} UNION {{ {left} {new_lex(right)} }}"

    def insert(head: str, body: str, key: tuple[str, str] | None = None, rule_atom: str = "") -> _Update:
        body = f"{_KEYS}\n{body}"
        var, predicate = key or (None, None)
        if _RDF_TYPE in head:
            # A type conclusion (subclass, domain, range) is drawn from many matches for few
            # resources: the distinct conclusions MINUS the known types, one anti-join. Every
            # head variable is bound by the body, so MINUS means FILTER NOT EXISTS here, which
            # Oxigraph evaluates per solution and which grew quadratically (range rule at 30,000
            # projects: 23 s against 0.6 s). Split by key, the known types are only those of the
            # key's conclusions (*rule_atom*), not all types once per key.
            variables = " ".join(sorted(set(re.findall(r"\?\w+", head))))
            distinct = f"{{ SELECT DISTINCT {variables} WHERE {{ {body} }} }}"
            keyed = f"{distinct} MINUS {{ {_KEYS}\n{rule_atom} {head} }}"
            return _Update(head, f"{distinct} MINUS {{ {head} }}", key=var, predicate=predicate,
                           keyed=keyed if key else None)
        return _Update(head, f"{body} FILTER NOT EXISTS {{ {head} }}", key=var, predicate=predicate)

    def insert_lex(head: str, body: str, key: tuple[str, str] | None = None) -> _Update:
        var, predicate = key or (None, None)
        return _Update(head, f"{_KEYS}\n{body} FILTER NOT EXISTS {{ GRAPH {lex} {{ {head} }} }}", lexical=True,
                       key=var, predicate=predicate)

    chain = f"GRAPH {r} {{ ?k <{rule}chain> ?q ; <{rule}first> ?p1 ; <{rule}second> ?p2 }}"
    # Split, the property rules run per property and the type rules per class or property
    # (their conclusions for a million projects would not fit one transaction).
    per_property = {name: ("?p", f"{rule}{name}") for name in ("superProperty", "inverse", "transitive",
                                                               "domain", "range")}
    sub_class = f"GRAPH {r} {{ ?c <{rule}superClass> ?sup }}"
    domain, range_ = f"GRAPH {r} {{ ?p <{rule}domain> ?c }}", f"GRAPH {r} {{ ?p <{rule}range> ?c }}"
    return [
        insert(f"?s {_RDF_TYPE} ?sup .", f"{sub_class} {new(f'?s {_RDF_TYPE} ?c .')}",
               ("?c", f"{rule}superClass"), sub_class),
        insert("?s ?q ?o .", f"GRAPH {r} {{ ?p <{rule}superProperty> ?q }} {new('?s ?p ?o .')}",
               per_property["superProperty"]),
        insert_lex("?s ?q ?e .", f"GRAPH {r} {{ ?p <{rule}superProperty> ?q }} {new_lex('?s ?p ?e .')}",
                   per_property["superProperty"]),
        insert("?o ?q ?s .", f"GRAPH {r} {{ ?p <{rule}inverse> ?q }} {new('?s ?p ?o .')} FILTER(!isLiteral(?o))",
               per_property["inverse"]),
        insert(f"?s {_RDF_TYPE} ?c .", f"{domain} {new('?s ?p ?o .')}", per_property["domain"], domain),
        insert(f"?o {_RDF_TYPE} ?c .", f"{range_} {new('?s ?p ?o .')} FILTER(!isLiteral(?o))",
               per_property["range"], range_),
        insert("?s ?p ?o .", f"GRAPH {r} {{ ?p <{rule}transitive> true }} {either('?s ?p ?m .', '?m ?p ?o .')}",
               per_property["transitive"]),
        insert_lex("?s ?p ?e .", f"GRAPH {r} {{ ?p <{rule}transitive> true }} "
                                 f"{either_lex('?s ?p ?m .', '?m ?p ?e .')}", per_property["transitive"]),
        insert("?s ?q ?o .", f"{chain} {either('?s ?p1 ?m .', '?m ?p2 ?o .')}"),
        insert_lex("?s ?q ?e .", f"{chain} {either_lex('?s ?p1 ?m .', '?m ?p2 ?e .')}"),
    ]


def _stream(store: pyoxigraph.Store, update: _Update, bind: str | None, now: _Round, scratch: Path) -> None:
    """Run *update* without a transaction: its conclusions go to a file, then into the store in bulk.

    A SPARQL update holds all its conclusions in one transaction, in memory; a
    million projects conclude tens of millions of triples. Here the query's result
    is written to *scratch* as it is evaluated, and read back into the store with
    ``bulk_extend``, which writes sorted files to disk (blank nodes keep their
    identifiers: ``parse`` does not rename them, unlike ``bulk_load``).
    """
    import pyoxigraph as ox

    result = store.query(update.construct(bind))
    assert isinstance(result, ox.QueryTriples)
    result.serialize(scratch, ox.RdfFormat.N_TRIPLES)
    if scratch.stat().st_size == 0:
        return
    target = ox.NamedNode(_LEX) if update.lexical else ox.DefaultGraph()
    added = ox.NamedNode(now.added_lex if update.lexical else now.added)
    Quad = ox.Quad

    def quads() -> Iterator[pyoxigraph.Quad]:
        for quad in ox.parse(path=scratch, format=ox.RdfFormat.N_TRIPLES):
            s, p, o = quad.subject, quad.predicate, quad.object
            yield Quad(s, p, o, target)
            yield Quad(s, p, o, added)

    store.bulk_extend(quads())


def _is_empty(store: pyoxigraph.Store, graph: str) -> bool:
    import pyoxigraph as ox

    return not any(True for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))


_SPLIT_ABOVE = 5_000_000
"""From this many triples in the default graph on, the property rules run property by property."""


def _holds_more_than(store: pyoxigraph.Store, triples: int) -> bool:
    """Whether the default graph of *store* holds more than *triples* triples (counting at most that many)."""
    import pyoxigraph as ox

    result = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT * WHERE {{ ?s ?p ?o }} LIMIT {triples + 1} }}")
    assert isinstance(result, ox.QuerySolutions)
    return int(next(iter(result))["n"].value) > triples


def _materialise(store: pyoxigraph.Store, token: str) -> list[_Round]:
    """Apply the rules to a fixpoint; returns the rounds, whose graphs hold the triples each added."""
    import tempfile

    import pyoxigraph as ox

    rules = f"{_NS}rules-{token}"
    quads = _rule_quads(store, ox.NamedNode(rules))
    store.extend(quads)
    # The properties or classes each rule runs for, in order; blank nodes, which VALUES cannot
    # hold, all in one run.
    keys: dict[str, dict[str, None]] = defaultdict(dict)
    for quad in quads:
        keys[quad.predicate.value][str(quad.subject) if isinstance(quad.subject, ox.NamedNode) else ""] = None
    split = _holds_more_than(store, _SPLIT_ABOVE)
    rounds: list[_Round] = []
    try:
        with tempfile.TemporaryDirectory(prefix="hyvinvointi-kg-rules-") as folder:
            scratch = Path(folder) / "conclusions.nt"
            while True:
                now = _Round.fresh(token, len(rounds))
                for update in _rule_round(rules, rounds[-1] if rounds else None):
                    if not split:
                        store.update(update.update(now))
                    elif update.key is None or update.predicate is None:
                        _stream(store, update, None, now, scratch)
                    else:
                        for key in keys.get(update.predicate, {}):
                            bind = f"VALUES {update.key} {{ {key} }}" if key else f"FILTER(isBlank({update.key}))"
                            _stream(store, update, bind, now, scratch)
                rounds.append(now)
                if _is_empty(store, now.added) and _is_empty(store, now.added_lex):
                    return rounds
    finally:
        store.remove_graph(ox.NamedNode(rules))


def _count(store: pyoxigraph.Store, graph: str) -> int:
    import pyoxigraph as ox

    result = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert isinstance(result, ox.QuerySolutions)
    return int(next(iter(result))["n"].value)


_DROP_BATCH = 100_000
"""A named graph of more quads than this is removed in transactions of this many quads."""


def _drop_graph(store: pyoxigraph.Store, graph: pyoxigraph.NamedNode) -> None:
    """Remove *graph* from *store*, in memory bounded by the batch, not by the graph.

    ``remove_graph`` deletes a graph in one transaction held in memory: the
    private graphs of a materialisation of a million projects, tens of millions
    of quads, outgrew 16 GB. A large graph is written to a temporary file and
    deleted from it in ``DELETE DATA`` updates of ``_DROP_BATCH`` triples
    (triples with blank nodes, which ``DELETE DATA`` cannot name, one by one).
    """
    import tempfile

    import pyoxigraph as ox

    if sum(1 for _ in itertools.islice(store.quads_for_pattern(None, None, None, graph), _DROP_BATCH + 1)) \
            <= _DROP_BATCH:
        store.remove_graph(graph)
        return
    with tempfile.TemporaryDirectory(prefix="hyvinvointi-kg-drop-") as scratch:
        path = Path(scratch) / "graph.nt"
        store.dump(path, ox.RdfFormat.N_TRIPLES, from_graph=graph)
        with path.open(encoding="utf-8") as lines:
            while batch := list(itertools.islice(lines, _DROP_BATCH)):
                named = [line for line in batch if "_:" not in line]
                store.update(f"DELETE DATA {{ GRAPH <{graph.value}> {{ {''.join(named)} }} }}")
                for quad in ox.parse("".join(line for line in batch if "_:" in line), format=ox.RdfFormat.N_TRIPLES):
                    store.remove(ox.Quad(quad.subject, quad.predicate, quad.object, graph))
    store.remove_graph(graph)


def materialise_fast(store: pyoxigraph.Store) -> int:
    """Add the entailments of the rules to *store* in place, with SPARQL updates; return how many.

    The rules are those of :func:`hyvinvointi_kg.inference.entailments` (``method="rules"``),
    derived from the axioms in the store's default graph, which should hold
    the ontology: ``rdfs:subClassOf`` and ``rdfs:subPropertyOf`` (transitively),
    ``rdfs:domain``, ``rdfs:range``, ``owl:inverseOf``, ``owl:TransitiveProperty``
    and two-step ``owl:propertyChainAxiom``, applied to a fixpoint. The store
    is changed in place (unlike :func:`hyvinvointi_kg.inference.materialise`,
    which returns a new graph); the originals that :func:`load_store` keeps of
    literals are carried along, so :func:`validate_fast` stays exact afterwards.

    Each rule of a round is one update, one transaction. On a store of more than
    five million triples, where the conclusions of one rule outgrow a transaction
    held in memory, the rules run one property or class at a time, and each run's
    conclusions are written to a temporary file as they are found and then into
    the store in bulk, without a transaction; the private graphs that record
    each round's conclusions are removed in batches. A run that is killed leaves a store
    with part of the entailments, each of them right; running it again completes them.

    Returns
    -------
    int
        The number of triples added to the default graph.

    Examples
    --------
    >>> from hyvinvointi_kg.graph import load_ontology
    >>> from rdflib import URIRef
    >>> from hyvinvointi_kg.namespaces import HK
    >>> g = load_ontology()
    >>> _ = g.add((URIRef("https://example.org/p"), HK.partner, URIRef("https://example.org/o")))
    >>> store = load_store(g)
    >>> materialise_fast(store) > 0
    True
    >>> materialise_fast(store)
    0
    """
    _require_oxigraph()
    import pyoxigraph as ox

    # The private graphs of a run that was killed before its clean-up (see _materialise).
    for graph in list(store.named_graphs()):
        if isinstance(graph, ox.NamedNode) and graph.value.startswith((f"{_NS}added", f"{_NS}rules-")):
            _drop_graph(store, graph)
    token = uuid.uuid4().hex
    rounds: list[_Round] = []
    try:
        rounds = _materialise(store, token)
        return sum(_count(store, r.added) for r in rounds)
    finally:
        # (listed first: removing a graph while iterating over them deadlocks)
        for graph in list(store.named_graphs()):
            if isinstance(graph, ox.NamedNode) and graph.value.startswith(f"{_NS}added") and token in graph.value:
                _drop_graph(store, graph)


def entailments_fast(data: Graph | pyoxigraph.Store) -> Graph:
    """Only the triples the rules add to *data*: the same triples as ``entailments(data, method="rules")``.

    Parameters
    ----------
    data
        An rdflib graph with the data and the ontology, or a store built by
        :func:`load_store`; neither is modified.

    Raises
    ------
    InputError
        If pyoxigraph is missing.

    Examples
    --------
    >>> from hyvinvointi_kg.graph import load_ontology
    >>> from hyvinvointi_kg.inference import entailments
    >>> from rdflib import URIRef
    >>> from hyvinvointi_kg.namespaces import HK
    >>> g = load_ontology()
    >>> _ = g.add((URIRef("https://example.org/p"), HK.partner, URIRef("https://example.org/o")))
    >>> set(entailments_fast(g)) == set(entailments(g))
    True
    """
    _require_oxigraph()
    import pyoxigraph as ox

    codec = _Codec()
    store = ox.Store()
    lex = ox.NamedNode(_LEX)
    if isinstance(data, Graph):
        _store_triples(store, data, codec, graph=ox.DefaultGraph(), lex_graph=lex)
    else:
        store.extend(data.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        store.extend(data.quads_for_pattern(None, None, None, lex))
    rounds = _materialise(store, uuid.uuid4().hex)
    added_graphs = " ".join(f"<{r.added}>" for r in rounds)
    lex_graphs = " ".join(f"<{r.added_lex}>" for r in rounds)
    # A new triple whose literal has a recorded original is reported through that original.
    query = (f"SELECT ?s ?p ?o WHERE {{ {{ VALUES ?g {{ {added_graphs} }} GRAPH ?g {{ ?s ?p ?o }} "
             f"FILTER(!isLiteral(?o) || NOT EXISTS {{ GRAPH <{_LEX}> {{ ?s ?p ?e }} "
             f"FILTER(sameTerm(?o, {_stored_form('?e')})) }}) }} "
             f"UNION {{ VALUES ?g {{ {lex_graphs} }} GRAPH ?g {{ ?s ?p ?o }} }} }}")
    result = store.query(query)
    assert isinstance(result, ox.QuerySolutions)
    added = bind_prefixes(Graph())
    terms: dict[object, Node] = {}

    def term(value: object) -> Node:
        found = terms.get(value)
        if found is None:
            found = terms[value] = codec.to_rdflib(value)
        return found

    for row in result:
        added.add((term(row["s"]), term(row["p"]), term(row["o"])))
    return added


# ---------------------------------------------------------------------------
# Network metrics with igraph
# ---------------------------------------------------------------------------

def network_metrics_fast(G: nx.Graph, *, seed: int = 42, betweenness_sample: int | None = None) -> NetworkMetrics:
    """:func:`hyvinvointi_kg.network.network_metrics` with igraph computing the costly measures.

    Degree, weighted degree, components and density are the same as the
    reference; betweenness and closeness (igraph) agree to rounding (1e-12).
    Communities come from igraph's Louvain implementation
    (``community_multilevel``, seeded), which is not networkx's, so community
    numbers and the modularity may differ from the reference.

    With *betweenness_sample*, betweenness is estimated from shortest paths out of
    that many sources, the same sources networkx's ``betweenness_centrality(k=...,
    seed=seed)`` draws, so the estimate equals the reference's (to rounding); its
    cost grows with sources × ties instead of nodes × ties. Closeness stays exact.

    Raises
    ------
    InputError
        If python-igraph is missing (``pip install 'hyvinvointi_kg[fast]'``), or if
        *betweenness_sample* is below 2.

    Examples
    --------
    >>> import networkx as nx
    >>> m = network_metrics_fast(nx.Graph([("a", "b"), ("b", "c"), ("d", "e")]))
    >>> m.components, float(m.nodes.loc["b", "betweenness"])
    (2, 0.16666666666666666)
    """
    if importlib.util.find_spec("igraph") is None:  # pragma: no cover - depends on the environment
        raise InputError(f"network_metrics_fast() needs python-igraph: {_EXTRA}")
    return _igraph_metrics(G, seed=seed, betweenness_sample=betweenness_sample)


def _igraph_metrics(G: nx.Graph, *, seed: int, betweenness_sample: int | None,
                    closeness: bool = True) -> NetworkMetrics:
    """:func:`network_metrics_fast`; without *closeness* (the costliest measure; a map does not
    show it), the closeness column is NaN."""
    import random

    import igraph
    import networkx
    import pandas as pd

    from hyvinvointi_kg.network import NetworkMetrics, _betweenness_sources, network_metrics

    undirected = G.to_undirected() if G.is_directed() else G
    sample = _betweenness_sources(undirected, betweenness_sample, seed=seed)
    nodes = sorted(G.nodes)
    n = len(nodes)
    if n == 0:
        return network_metrics(G, seed=seed)
    index = {node: i for i, node in enumerate(nodes)}
    ig = igraph.Graph(n=n, edges=[(index[u], index[v]) for u, v in undirected.edges()])
    ig.es["weight"] = [float(d.get("weight", 1)) for _, _, d in undirected.edges(data=True)]
    # Closeness is a breadth-first search from every node: on a large network, worker processes
    # take parts of it (igraph holds the GIL) while this one computes the betweenness.
    parts = _closeness_parts(ig) if closeness and n >= _PARALLEL_CLOSENESS_NODES else None
    betweenness = _betweenness(ig, None if sample is None else [index[s] for s in sample])
    if not closeness:
        raw_closeness = [math.nan] * n
    else:
        raw_closeness = ig.closeness(normalized=True) if parts is None else _gather(parts, ig)
    # networkx's closeness (wf_improved) is r / (total distance to the r reached nodes) · r / (n - 1);
    # igraph's normalised closeness is the first factor, over the reachable nodes only.
    clustering = ig.components()
    component_sizes = clustering.sizes()
    reached = [component_sizes[c] - 1 for c in clustering.membership]
    closeness_values = [c * r / (n - 1) if r > 0 and n > 1 and not math.isnan(c) else 0.0  # NaN: isolated
                        for c, r in zip(raw_closeness, reached, strict=True)] if closeness else raw_closeness

    def numbered(membership: Sequence[int]) -> list[list[Any]]:
        groups: dict[int, list[Any]] = defaultdict(list)
        for node, group in zip(nodes, membership, strict=True):
            groups[group].append(node)
        return sorted(groups.values(), key=lambda c: (-len(c), min(c)))

    components = numbered(clustering.membership)
    igraph.set_random_number_generator(random.Random(seed))
    try:
        membership = ig.community_multilevel(weights="weight").membership if ig.ecount() else list(range(n))
    finally:
        igraph.set_random_number_generator(random)
    communities = numbered(membership)
    component_of = {node: i for i, c in enumerate(components) for node in c}
    community_of = {node: i for i, c in enumerate(communities) for node in c}
    frame = pd.DataFrame({
        "label": [G.nodes[v].get("label", v) for v in nodes],
        "kind": [G.nodes[v].get("kind", "") for v in nodes],
        "degree": [undirected.degree(v) for v in nodes],
        "weighted_degree": [undirected.degree(v, weight="weight") for v in nodes],
        "betweenness": betweenness,
        "closeness": closeness_values,
        "community": [community_of[v] for v in nodes],
        "component": [component_of[v] for v in nodes],
    }, index=pd.Index(nodes, name="node"))
    modularity = (networkx.community.modularity(undirected, [set(c) for c in communities], weight="weight")
                  if undirected.number_of_edges() else 0.0)
    return NetworkMetrics(frame, networkx.density(undirected), len(components), len(communities), modularity,
                          None if sample is None else len(sample))


_PARALLEL_CLOSENESS_NODES = 5000
"""From this many nodes, closeness is computed in worker processes (one per core, at most 4)."""


def _closeness_parts(ig: Any) -> list[tuple[range, Any]] | None:
    """Closeness of *ig*'s vertices, started in strided parts in worker processes (one per core,
    at most 4; see :mod:`hyvinvointi_kg._closeness_worker`); None on one core."""
    import os
    import pickle
    import subprocess
    import sys

    workers = min(os.cpu_count() or 1, 4)
    if workers < 2:
        return None
    n, edges = ig.vcount(), ig.get_edgelist()
    parts = []
    for first in range(workers):
        process = subprocess.Popen([sys.executable, "-m", "hyvinvointi_kg._closeness_worker"],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert process.stdin is not None
        try:
            pickle.dump((n, edges, first, workers), process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            process.stdin.close()
        except BrokenPipeError:  # the worker died at start: _gather computes its part here
            pass
        parts.append((range(first, n, workers), process))
    return parts


def _gather(parts: list[tuple[range, Any]], ig: Any) -> list[float]:
    """The closeness the workers of :func:`_closeness_parts` computed; computed here if one failed."""
    import pickle

    values = [0.0] * ig.vcount()
    for vertices, process in parts:
        out = process.stdout.read() if process.stdout is not None else b""
        part = pickle.loads(out) if process.wait() == 0 else ig.closeness(vertices=vertices, normalized=True)
        for i, c in zip(vertices, part, strict=True):
            values[i] = c
    return values


def _betweenness(ig: Any, sources: list[int] | None) -> list[float]:
    """Betweenness of every vertex of *ig* (undirected, unweighted), normalised as networkx does,
    exact or (with *sources*) estimated from the shortest paths out of *sources*."""
    n = ig.vcount()
    if n <= 2:
        return [0.0] * n
    if sources is None:
        # networkx normalises undirected betweenness by 2 / ((n - 1)(n - 2)); igraph counts each pair once.
        scale = 2.0 / ((n - 1) * (n - 2))
        return [b * scale for b in ig.betweenness(directed=False)]
    # networkx's estimate (Brandes–Pich, endpoints excluded): the dependencies accumulated from the k
    # sources, counted per ordered pair (igraph's subset betweenness counts each pair once: × 2),
    # over k(n - 2) pairs a node can lie between, or (k - 1)(n - 2) for a node that is a source.
    k = len(sources)
    chosen = set(sources)
    raw = ig.betweenness(directed=False, sources=sources, targets=None)
    return [2.0 * b / ((k - 1 if i in chosen else k) * (n - 2)) for i, b in enumerate(raw)]
