"""SHACL validation as SPARQL on Oxigraph: takes a graph or a store and the shapes, gives a ValidationReport.

pySHACL (``validate(graph, engine="pyshacl")``) stays the reference implementation; this
engine (``validate(graph, engine="sparql")``) compiles the shapes graph into SPARQL queries,
one per constraint, that select the violating focus nodes and values, and gives the same
report. Where the two would disagree, this engine follows the reference:

- Literals: Oxigraph normalises them; the queries read datatypes and lexical forms from the
  originals that :func:`hyvinvointi_kg.stores.oxigraph.load_store` keeps.
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

Only what :mod:`hyvinvointi_kg.validation.shapes` reads is compiled, by
:mod:`hyvinvointi_kg.validation.sparql_compile`; this module runs the queries and reads the results.
"""

from __future__ import annotations

import datetime
import itertools
import re
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeAlias

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.stores.files import load_ontology, load_shapes
from hyvinvointi_kg.stores.oxigraph import (
    LEXICAL_GRAPH,
    NAMESPACE,
    STORE_MARK,
    TermCodec,
    require_oxigraph,
    store_triples,
    stored_form,
)
from hyvinvointi_kg.validation.report import ValidationReport, ValidationResult
from hyvinvointi_kg.validation.shapes import Constraint, Shape, compile_shapes, unsupported
from hyvinvointi_kg.validation.sparql_compile import SUBCLASS_OF, FocusContext, SparqlWriter

if TYPE_CHECKING:
    import pyoxigraph

    _Term: TypeAlias = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal
    _Binding: TypeAlias = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | pyoxigraph.Triple
    _Resource: TypeAlias = pyoxigraph.NamedNode | pyoxigraph.BlankNode
    _GraphName: TypeAlias = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.DefaultGraph

__all__ = ["validate_sparql"]


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

    def __init__(self, store: pyoxigraph.Store, codec: TermCodec, *, default_graph: list[_GraphName] | None,
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
        predicates.discard(STORE_MARK)
        self.sparql = SparqlWriter(lex_graphs, frozenset(predicates), self.subclasses)
        self.results: list[ValidationResult] = []
        self._ox = ox
        self._subclasses: dict[str, tuple[str, ...] | None] = {}

    def subclasses(self, iri: str) -> tuple[str, ...] | None:
        """*iri* and every class that is ``rdfs:subClassOf*`` it in the data; None if one is a blank node."""
        if iri not in self._subclasses:
            rows = list(self.select(f"SELECT DISTINCT ?k WHERE {{ ?k {SUBCLASS_OF}* <{iri}> }}"))
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
            raise InputError(f"validate(engine='sparql'): SPARQL error {err} in:\n{query}") from err
        assert isinstance(result, ox.QuerySolutions)
        return result

    def text(self, term: object) -> str:
        return str(self.codec.to_rdflib(term))

    def report(self, shape: Shape, focus: object, constraint: Constraint, *, value: object | None = None,
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

    def run(self, shapes: Iterable[Shape]) -> ValidationReport:
        for shape in shapes:
            self.shape(shape, self.sparql.target_context(shape))
        results = sorted(self.results, key=lambda r: (r.focus_node, r.source_shape, r.path or "", r.value or "",
                                                      r.constraint, r.severity, r.message_en, r.message_fi))
        return ValidationReport(conforms=not any(r.severity == "Violation" for r in results),
                                results=tuple(results))

    def shape(self, shape: Shape, ctx: FocusContext) -> None:
        for c in shape.constraints:
            self.constraint(shape, c, ctx)
        nested = self.sparql.nested_context(shape, ctx)
        for child in shape.properties:
            self.shape(child, nested)

    def rows(self, ctx: FocusContext, body: str, *extra: str) -> list[dict[str, Any]]:
        """The distinct solutions of *body* in *ctx*, by variable (with its ``?``)."""
        names = list(dict.fromkeys((*ctx.chain, *extra)))
        query = f"SELECT DISTINCT {' '.join(names)} WHERE {{ {ctx.pattern} {body} }}"
        return [{name: solution[name[1:]] for name in names}
                for solution in self.select(query, prefixes=ctx.prefixes)]

    def constraint(self, shape: Shape, c: Constraint, ctx: FocusContext) -> None:
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

    def less_than_or_equals(self, shape: Shape, c: Constraint, ctx: FocusContext) -> None:
        body, value_original, other_original = self.sparql.less_than_or_equals(shape, c, ctx.focus, ctx.original)
        for row in self.rows(ctx, body, value_original, other_original):
            if _less_than_or_equals_fails(self.codec.to_rdflib(row[value_original]),
                                          self.codec.to_rdflib(row[other_original])):
                self.report(shape, row[ctx.original], c, value=row[value_original])

    def sparql_constraint(self, shape: Shape, c: Constraint, ctx: FocusContext) -> None:
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

    def sparql_rows(self, shape: Shape, c: Constraint, focus: _Term) -> list[dict[str, Any]]:
        ox = self._ox
        substitutions: dict[pyoxigraph.Variable, _Binding] = {ox.Variable("this"): focus}
        if re.search(r"[\s{}()][$?]currentShape\b", c.text):
            substitutions[ox.Variable("currentShape")] = ox.NamedNode(shape.iri)
        solutions = self.select(c.text, prefixes=c.prefixes, substitutions=substitutions)
        names = [v.value for v in solutions.variables]
        if "failure" in names:
            raise unsupported(shape.iri, "?failure in an sh:sparql query")
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
                 f"FILTER(sameTerm(?v, {stored_form('?e')})) }}")
        substitutions = {ox.Variable("s"): this, ox.Variable("p"): path, ox.Variable("v"): value}
        return [row["e"] for row in self.select(query, substitutions=substitutions)]  # type: ignore[arg-type]


def validate_sparql(data: Graph | pyoxigraph.Store, *, shapes: Graph | None = None,
                  with_ontology: bool = True) -> ValidationReport:
    """Validate *data* against the SHACL shapes with SPARQL on Oxigraph: ``validate(data, engine="sparql")``.

    Parameters
    ----------
    data
        An rdflib graph (not modified), or a store built by :func:`load_store`
        with the data in its default graph.
    shapes
        A shapes graph (default: the bundled ``ontology/shapes.ttl``).
    with_ontology
        Validate the union of *data* and the ontology with its SKOS schemes, as
        :func:`hyvinvointi_kg.validation.validate.validate` does. For a store, the
        ontology is added to two temporary named graphs, removed afterwards.

    Returns
    -------
    ValidationReport
        The results :func:`hyvinvointi_kg.validation.validate.validate` gives, sorted.

    Raises
    ------
    InputError
        If pyoxigraph is missing; if a shape uses a constraint component, target,
        path or SPARQL feature the SPARQL engine does not compile (the message
        names the shape); or if the store was not built by :func:`load_store`.

    Examples
    --------
    >>> from rdflib import Graph
    >>> bad = Graph().parse(data='''
    ... @prefix hk: <https://w3id.org/hyvinvointi-kg/ontology#> .
    ... <https://w3id.org/hyvinvointi-kg/id/place/kunta/999> a hk:Municipality ;
    ...     hk:municipalityCode "99" .
    ... ''', format="turtle")
    >>> report = validate_sparql(bad)
    >>> report.conforms, sorted({r.source_shape.split("#")[1] for r in report.violations})
    (False, ['Municipality-code', 'Municipality-partOf', 'Place-prefLabelFi'])
    """
    require_oxigraph()
    import pyoxigraph as ox

    compiled = compile_shapes(shapes if shapes is not None else load_shapes())
    codec = TermCodec()
    lex = ox.NamedNode(LEXICAL_GRAPH)
    if isinstance(data, Graph):
        store = ox.Store()
        triples: Iterable[tuple[Node, Node, Node]] = data
        if with_ontology:  # the store keeps one copy of a triple in both
            triples = itertools.chain(data, load_ontology())
        store_triples(store, triples, codec, graph=ox.DefaultGraph(), lex_graph=lex)
        return _Validation(store, codec, default_graph=None, lex_graphs=(LEXICAL_GRAPH,)).run(compiled)
    if not isinstance(data, ox.Store):
        raise InputError("validate(engine='sparql') takes an rdflib Graph or a pyoxigraph Store, "
                         f"not {type(data).__name__}")
    if not any(True for _ in data.quads_for_pattern(lex, ox.NamedNode(STORE_MARK), None, lex)):
        raise InputError("validate(engine='sparql'): the store was not built by "
                         "hyvinvointi_kg.stores.oxigraph.load_store(); Oxigraph normalises literals "
                         "(xsd:positiveInteger becomes xsd:integer), so sh:datatype cannot be checked as the "
                         "reference does")
    if not with_ontology:
        return _Validation(data, codec, default_graph=None, lex_graphs=(LEXICAL_GRAPH,)).run(compiled)
    token = uuid.uuid4().hex
    ontology = ox.NamedNode(f"{NAMESPACE}ontology-{token}")
    ontology_lex = ox.NamedNode(f"{NAMESPACE}ontology-lexical-{token}")
    try:
        store_triples(data, load_ontology(), codec, graph=ontology, lex_graph=ontology_lex)
        return _Validation(data, codec, default_graph=[ox.DefaultGraph(), ontology],
                           lex_graphs=(LEXICAL_GRAPH, ontology_lex.value)).run(compiled)
    finally:
        data.remove_graph(ontology)
        data.remove_graph(ontology_lex)
