"""SHACL shapes to SPARQL text: compiled shapes in; per constraint, a pattern selecting the violations out.

The queries are run, and their candidates checked, by :mod:`hyvinvointi_kg.validation.sparql`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal as TypingLiteral

from rdflib import Literal
from rdflib.namespace import RDF, RDFS, SH, XSD

from hyvinvointi_kg.stores.oxigraph import (
    NAMESPACE,
    ORIGINAL_BAD,
    TermCodec,
    fails_own_datatype,
    recorded_datatype,
    stored_form,
)
from hyvinvointi_kg.validation.shapes import Constraint, Shape, ShapePath, unsupported

__all__ = ["EXACT_NUMERIC", "SUBCLASS_OF", "FocusContext", "SparqlWriter"]

_RDF_TYPE = f"<{RDF.type}>"
SUBCLASS_OF = f"<{RDFS.subClassOf}>"
EXACT_NUMERIC = tuple(XSD[name] for name in (
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
class FocusContext:
    """A pattern binding the focus nodes of one shape evaluation."""

    pattern: str
    focus: str                  # variable: the focus node as stored
    original: str               # variable: the focus node as in the data
    chain: tuple[str, ...]      # variables that identify one evaluation (for multiplicity)
    prefixes: tuple[tuple[str, str], ...] = ()


class SparqlWriter:
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
                return f"(isLiteral({value}) || NOT EXISTS {{ {value} {_RDF_TYPE}/{SUBCLASS_OF}* <{c.iri}> }})"
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
            if c.literal.datatype not in EXACT_NUMERIC or fails_own_datatype(c.literal):
                return "true"
            numeric = ", ".join(f"<{d}>" for d in EXACT_NUMERIC)
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

    def target_context(self, shape: Shape) -> FocusContext:
        focus, original = self.var("f"), self.var("fo")
        branches: list[str] = []
        prefixes: dict[str, str] = {}
        for target in shape.targets:
            if target.kind == "class":
                branches.append(f"{focus} {_RDF_TYPE}/{SUBCLASS_OF}* <{target.iri}> . BIND({focus} AS {original})")
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
        return FocusContext(pattern, focus, original, (original,), tuple(sorted(prefixes.items())))

    def nested_context(self, shape: Shape, ctx: FocusContext) -> FocusContext:
        """The context of the property shapes of *shape*: its value nodes (or its focus for a node shape)."""
        if shape.path is None:
            return ctx
        pattern, value, value_original = self.value_nodes(shape, ctx.focus, ctx.original)
        return FocusContext(f"{ctx.pattern} {pattern}", value, value_original, (*ctx.chain, value_original),
                        ctx.prefixes)
    def less_than_or_equals(self, shape: Shape, c: Constraint, focus: str, original: str) -> tuple[str, str, str]:
        """A pattern with a solution per pair of values that may violate sh:lessThanOrEquals.

        A prefilter: only pairs that provably conform are left out (two well-typed exact
        numbers, two plain xsd:date values, two IRIs); the rest is checked in Python.
        Returns the pattern and the variables of the value's and the other value's originals.
        """
        pattern, value, value_original = self.value_nodes(shape, focus, original)
        other = self.var("c")
        other_pattern, other_original = self.values(focus, ShapePath(f"<{c.iri}>", frozenset({c.iri}), c.iri), other)
        numeric = ", ".join(f"<{d}>" for d in EXACT_NUMERIC)

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
        return f"{pattern} {other_pattern} FILTER(!({provable}))", value_original, other_original
