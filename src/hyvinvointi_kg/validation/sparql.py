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

Only what :mod:`hyvinvointi_kg.validation.shapes` reads is compiled.
"""

from __future__ import annotations

import datetime
import itertools
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias
from typing import Literal as TypingLiteral

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.stores.files import load_ontology, load_shapes
from hyvinvointi_kg.stores.oxigraph import (
    LEXICAL_GRAPH,
    NAMESPACE,
    ORIGINAL_BAD,
    STORE_MARK,
    TermCodec,
    fails_own_datatype,
    recorded_datatype,
    require_oxigraph,
    store_triples,
    stored_form,
)
from hyvinvointi_kg.validation.report import ValidationReport, ValidationResult
from hyvinvointi_kg.validation.shapes import Constraint, Shape, ShapePath, compile_shapes, unsupported

if TYPE_CHECKING:
    import pyoxigraph

    _Term: TypeAlias = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal
    _Binding: TypeAlias = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | pyoxigraph.Triple
    _Resource: TypeAlias = pyoxigraph.NamedNode | pyoxigraph.BlankNode
    _GraphName: TypeAlias = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.DefaultGraph

__all__ = ["validate_sparql"]

_RDF_TYPE = f"<{RDF.type}>"
_SUBCLASS_OF = f"<{RDFS.subClassOf}>"
_EXACT_NUMERIC = tuple(XSD[name] for name in (
    "integer", "decimal", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte"))



def _sparql_string(text: str) -> str:
    """*text* as a SPARQL string literal (escaped by pyoxigraph's N-Triples serialisation)."""
    import pyoxigraph as ox

    return str(ox.Literal(text))


def _sparql_literal(literal: Literal) -> str:
    return str(TermCodec().term(literal))


def _datatype_of(original: str) -> str:
    """SPARQL expression: the datatype of an original (decoded when it was recorded)."""
    return (f'IF(STRSTARTS(STR(DATATYPE({original})), "{NAMESPACE}"), {recorded_datatype(original)}, '
            f"DATATYPE({original}))")


def _bad(original: str) -> str:
    return f'STRSTARTS(STR(DATATYPE({original})), "{ORIGINAL_BAD}")'



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

    def values(self, focus: str, path: ShapePath, value: str) -> tuple[str, str]:
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
                    f" FILTER(sameTerm({value}, {stored_form(encoded)})) }}"
                    f" BIND(COALESCE({encoded}, {value}) AS {original})")
        return pattern, original

    def value_nodes(self, shape: Shape, focus: str, original: str) -> tuple[str, str, str]:
        """Pattern, value variable and original variable of the value nodes of *shape* at *focus*."""
        if shape.path is None:
            return "", focus, original
        value = self.var("v")
        pattern, value_original = self.values(focus, shape.path, value)
        return pattern, value, value_original

    def distinct_values(self, shape: Shape, focus: str, original: str, count: int,
                        conforming: Shape | None = None) -> str:
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

    def value_condition(self, c: Constraint, value: str, original: str) -> str:
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
            if c.literal.datatype not in _EXACT_NUMERIC or fails_own_datatype(c.literal):
                return "true"
            numeric = ", ".join(f"<{d}>" for d in _EXACT_NUMERIC)
            return (f"!(isLiteral({original}) && !{_bad(original)} && {_datatype_of(original)} IN ({numeric}) "
                    f"&& {value} >= {_sparql_literal(c.literal)})")
        raise AssertionError(c.kind)

    def focus_condition(self, shape: Shape, c: Constraint, focus: str, original: str) -> str:
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

    def qualified_condition(self, shape: Shape, c: Constraint, focus: str, original: str,
                            bound: TypingLiteral["lower", "upper"]) -> str:
        member = c.shapes[0]
        if bound == "lower":
            assert c.lower is not None
            if c.lower == 0:
                return "false"
            return f"NOT EXISTS {{ {self.distinct_values(shape, focus, original, c.lower, member)} }}"
        assert c.upper is not None
        return f"EXISTS {{ {self.distinct_values(shape, focus, original, c.upper + 1, member)} }}"

    def unique_lang(self, shape: Shape, focus: str, original: str) -> tuple[str, str]:
        """Pattern with a solution per language shared by two value nodes; returns it and the language."""
        first, _, first_original = self.value_nodes(shape, focus, original)
        second, _, second_original = self.value_nodes(shape, focus, original)
        return (f"{first} {second} FILTER(LANG({first_original}) != \"\" && "
                f"LCASE(LANG({first_original})) = LCASE(LANG({second_original})) && "
                f"!sameTerm({first_original}, {second_original}))", f"LCASE(LANG({first_original}))")

    def disjoint(self, shape: Shape, c: Constraint, focus: str, original: str) -> tuple[str, str]:
        pattern, value, value_original = self.value_nodes(shape, focus, original)
        other = ShapePath(f"<{c.iri}>", frozenset({c.iri}), c.iri)
        other_pattern, other_original = self.values(focus, other, value)
        return f"{pattern} {other_pattern} FILTER(sameTerm({value_original}, {other_original}))", value_original

    def violation(self, shape: Shape, focus: str, original: str) -> str:
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
                raise unsupported(shape.iri, f"{c.component} in a shape used by sh:or or sh:qualifiedValueShape")
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

    def target_context(self, shape: Shape) -> _Context:
        focus, original = self.var("f"), self.var("fo")
        branches: list[str] = []
        prefixes: dict[str, str] = {}
        for target in shape.targets:
            if target.kind == "class":
                branches.append(f"{focus} {_RDF_TYPE}/{_SUBCLASS_OF}* <{target.iri}> . BIND({focus} AS {original})")
            elif target.kind == "objectsOf":
                pattern, value_original = self.values(self.var("s"), ShapePath(f"<{target.iri}>",
                                                      frozenset({target.iri}), target.iri), focus)
                branches.append(f"{pattern} BIND({value_original} AS {original})")
            else:
                for prefix, namespace in target.prefixes:
                    if prefixes.setdefault(prefix, namespace) != namespace:
                        raise unsupported(shape.iri, f"SPARQL targets that bind the prefix {prefix} differently")
                branches.append(f"{{ SELECT (?this AS {focus}) WHERE {{ {{ {target.query} }} }} }} "
                                f"BIND({focus} AS {original})")
        pattern = branches[0] if len(branches) == 1 else " UNION ".join(f"{{ {b} }}" for b in branches)
        return _Context(pattern, focus, original, (original,), tuple(sorted(prefixes.items())))

    def nested_context(self, shape: Shape, ctx: _Context) -> _Context:
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

    def shape(self, shape: Shape, ctx: _Context) -> None:
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

    def constraint(self, shape: Shape, c: Constraint, ctx: _Context) -> None:
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

    def less_than_or_equals(self, shape: Shape, c: Constraint, ctx: _Context) -> None:
        q = self.sparql
        pattern, value, value_original = q.value_nodes(shape, ctx.focus, ctx.original)
        other = q.var("c")
        other_pattern, other_original = q.values(ctx.focus, ShapePath(f"<{c.iri}>", frozenset({c.iri}), c.iri), other)
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

    def sparql_constraint(self, shape: Shape, c: Constraint, ctx: _Context) -> None:
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
