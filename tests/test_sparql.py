"""Tests of hyvinvointi_kg.validation.sparql: ``validate(..., engine="sparql")`` gives pySHACL's report.

The reference is :func:`hyvinvointi_kg.validation.validate.validate` with ``engine="pyshacl"``. Every
shape fixture in ``tests/shapes`` is validated both ways (found by glob, as in test_shapes.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import SH, XSD

from hyvinvointi_kg._resources import resource_dir
from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.reasoning.entailments import entailments
from hyvinvointi_kg.reasoning.rules_sparql import materialise_in_place
from hyvinvointi_kg.stores.files import (
    DATA_FILES,
    INFERRED_FILE,
    ONTOLOGY_FILES,
    load_graph,
    load_ontology,
    load_shapes,
)
from hyvinvointi_kg.stores.oxigraph import load_store
from hyvinvointi_kg.validation.sparql import validate_sparql
from hyvinvointi_kg.validation.validate import ValidationReport, ValidationResult, validate

pyoxigraph = pytest.importorskip("pyoxigraph")

FIXTURES = sorted((Path(__file__).parent / "shapes").glob("*.ttl"))
SPARQL = str(SH.SPARQLConstraintComponent)


@cache
def _shapes() -> Graph:
    return load_shapes()

@cache
def _ontology() -> Graph:
    return load_ontology()

@cache
def _real_graph() -> Graph:
    return load_graph()

@cache
def _real_report() -> ValidationReport:
    return validate(_real_graph(), with_ontology=False)

def _key(result: ValidationResult) -> tuple[str | None, ...]:
    return (result.focus_node, result.path, result.value, result.severity, result.source_shape, result.constraint)

def _assert_same(fast: ValidationReport, reference: ValidationReport) -> None:
    """Same conformance and the same results (a multiset), messages included.

    pySHACL drops the language tags of messages of SPARQL-based constraints, so
    the reference reports one of the two messages, at random, in both fields;
    there the fast path must report the English and the Finnish one, and the
    reference's message must be one of them.
    """
    assert fast.conforms == reference.conforms
    assert Counter(map(_key, fast.results)) == Counter(map(_key, reference.results))
    plain = Counter(r for r in reference.results if r.constraint != SPARQL)
    assert Counter(r for r in fast.results if r.constraint != SPARQL) == plain
    messages = {_key(r): (r.message_en, r.message_fi) for r in fast.results if r.constraint == SPARQL}
    for result in reference.results:
        if result.constraint == SPARQL:
            assert result.message_en in messages[_key(result)]
            assert result.message_fi in messages[_key(result)]

def _fixture_id(fixture: Path) -> str:
    return fixture.name.removesuffix(".ttl")

@pytest.mark.parametrize("fixture", FIXTURES, ids=_fixture_id)
def test_validate_sparql_agrees_with_validate_on_fixture(fixture: Path) -> None:
    data = Graph().parse(fixture, format="turtle") + _ontology()
    reference = validate(data, shapes=_shapes(), with_ontology=False)
    _assert_same(validate_sparql(data, shapes=_shapes(), with_ontology=False), reference)

def test_validate_sparql_reports_sparql_messages_in_both_languages() -> None:
    data = Graph().parse(Path(__file__).parent / "shapes" / "Organisation-businessIdCheckDigit.invalid.ttl")
    results = [r for r in validate_sparql(data).results if r.constraint == SPARQL]
    assert results
    assert all(r.message_en.startswith("The check digit") for r in results)
    assert all(r.message_fi.startswith("Y-tunnuksen tarkistusnumero") for r in results)

def test_validate_sparql_agrees_with_validate_on_literals_oxigraph_normalises(turtle: Callable[..., Graph]) -> None:
    # Oxigraph stores "0"^^xsd:positiveInteger as "0"^^xsd:integer and "-1.50" as "-1.5";
    # rdflib lower-cases xsd:hexBinary; Python's $ also matches before a final newline.
    data = turtle("""
    ex:span a hk:SourceSpan ; hk:inDocument ex:doc ; hk:firstLine "0"^^xsd:positiveInteger ;
        hk:lastLine "2"^^xsd:integer .
    ex:doc a hk:SourceDocument ; hk:fileName "a.csv" ; hk:lineCount "1"^^xsd:nonNegativeInteger ;
        <http://spdx.org/rdf/terms#checksum> ex:sum .
    ex:sum <http://spdx.org/rdf/terms#algorithm> <http://spdx.org/rdf/terms#checksumAlgorithm_sha256> ;
        <http://spdx.org/rdf/terms#checksumValue>
        "ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789"^^xsd:hexBinary .
    ex:money a hk:MonetaryAmount ; hk:amount "-1.50"^^xsd:decimal , "1.5"^^xsd:decimal ; hk:currency "EUR" .
    ex:place a hk:Municipality ; hk:municipalityCode "047\\n" ; hk:startDate "2020-1-5"^^xsd:date .
    """)
    _assert_same(validate_sparql(data), validate(data))

def test_validate_sparql_sh_class_through_named_and_blank_subclasses(turtle: Callable[..., Graph]) -> None:
    # sh:class lists the class and its subclasses; a blank-node subclass falls back to the path.
    shapes = turtle("""
    hks:Example a sh:NodeShape ; sh:targetClass ex:Thing ; sh:message "m"@en , "m"@fi ;
        sh:property hks:Example-p .
    hks:Example-p sh:path ex:p ; sh:class ex:C ; sh:message "m"@en , "m"@fi .
    """)
    for subclass in ("ex:D", "_:d"):
        data = turtle(f"""
        {subclass} rdfs:subClassOf ex:C . ex:E rdfs:subClassOf {subclass} .
        ex:a a ex:Thing ; ex:p ex:c , ex:d , ex:e , ex:x , "literal" .
        ex:c a ex:C . ex:d a {subclass} . ex:e a ex:E . ex:x a ex:Other .
        """)
        fast = validate_sparql(data, shapes=shapes, with_ontology=False)
        _assert_same(fast, validate(data, shapes=shapes, with_ontology=False))
        assert sorted(str(r.value) for r in fast.results) == ["http://example.org/x", "literal"]

@pytest.mark.slow
def test_validate_sparql_agrees_with_validate_on_real_graph() -> None:
    _assert_same(validate_sparql(_real_graph(), with_ontology=False), _real_report())

def _real_files() -> list[Path]:
    data = resource_dir("data/ttl")
    return ([resource_dir("ontology") / name for name in ONTOLOGY_FILES]
            + [data / name for name in (*DATA_FILES, INFERRED_FILE)])

@pytest.mark.slow
def test_validate_sparql_on_store_loaded_from_files_agrees_with_validate() -> None:
    store = load_store(_real_files())
    _assert_same(validate_sparql(store, with_ontology=False), _real_report())

def test_validate_sparql_on_store_with_ontology_removes_its_temporary_graphs() -> None:
    fixture = Path(__file__).parent / "shapes" / "SourceSpan-firstLine.invalid.ttl"
    data = Graph().parse(fixture, format="turtle")
    store = load_store(data)
    graphs = set(store.named_graphs())
    _assert_same(validate_sparql(store), validate(data))
    assert set(store.named_graphs()) == graphs

def test_validate_sparql_refuses_store_not_built_by_load_store() -> None:
    store = pyoxigraph.Store()
    store.load('<http://example.org/span> <https://w3id.org/hyvinvointi-kg/ontology#firstLine> '
               '"1"^^<http://www.w3.org/2001/XMLSchema#positiveInteger> .', pyoxigraph.RdfFormat.TURTLE)
    with pytest.raises(InputError, match="load_store"):
        validate_sparql(store)

def test_validate_sparql_unsupported_component_names_shape_and_component(turtle: Callable[..., Graph]) -> None:
    shapes = turtle("""
    hks:Example a sh:NodeShape ; sh:targetClass hk:Project ; sh:message "m"@en , "m"@fi ;
        sh:property hks:Example-status .
    hks:Example-status sh:path hk:status ; sh:in ( ex:a ex:b ) ; sh:message "m"@en , "m"@fi .
    """)
    with pytest.raises(InputError, match=r"shape <https://w3id.org/hyvinvointi-kg/shapes#Example-status>: sh:in"):
        validate_sparql(Graph(), shapes=shapes)

def test_validate_sparql_blank_node_shape_is_an_error(turtle: Callable[..., Graph]) -> None:
    shapes = turtle("""
    hks:Example a sh:NodeShape ; sh:targetClass hk:Project ; sh:message "m"@en , "m"@fi ;
        sh:property [ sh:path hk:status ; sh:minCount 1 ; sh:message "m"@en , "m"@fi ] .
    """)
    with pytest.raises(InputError, match="blank-node shape"):
        validate_sparql(Graph(), shapes=shapes)

def test_validate_sparql_unsupported_shape_named_by_iri(turtle: Callable[..., Graph]) -> None:
    shapes = turtle("""
    hks:Example a sh:PropertyShape ; sh:targetClass hk:Project ; sh:path hk:status ;
        sh:maxLength 3 ; sh:message "m"@en , "m"@fi .
    """)
    with pytest.raises(InputError, match=r"hyvinvointi-kg/shapes#Example.*sh:maxLength"):
        validate_sparql(Graph(), shapes=shapes)

def test_validate_sparql_unsupported_path_is_an_error(turtle: Callable[..., Graph]) -> None:
    shapes = turtle("""
    hks:Example a sh:PropertyShape ; sh:targetClass hk:Project ; sh:path ( hk:status hk:theme ) ;
        sh:minCount 1 ; sh:message "m"@en , "m"@fi .
    """)
    with pytest.raises(InputError, match="property path"):
        validate_sparql(Graph(), shapes=shapes)

def test_validate_sparql_pattern_outside_the_shared_regex_syntax_is_an_error(turtle: Callable[..., Graph]) -> None:
    shapes = turtle(r"""
    hks:Example a sh:PropertyShape ; sh:targetClass hk:Project ; sh:path hk:projectCode ;
        sh:pattern "^\\d+$" ; sh:message "m"@en , "m"@fi .
    """)
    with pytest.raises(InputError, match=r"escape \\d"):
        validate_sparql(Graph(), shapes=shapes)

def test_validate_sparql_shape_without_messages_is_an_error(turtle: Callable[..., Graph]) -> None:
    shapes = turtle("hks:Example a sh:PropertyShape ; sh:targetClass hk:Project ; "
                           "sh:path hk:status ; sh:minCount 1 .")
    with pytest.raises(InputError, match="sh:message"):
        validate_sparql(Graph(), shapes=shapes)

def test_validate_sparql_after_materialise_in_place_agrees_with_validate() -> None:
    fixture = Path(__file__).parent / "shapes" / "Municipality-partOf.invalid.ttl"
    data = Graph().parse(fixture, format="turtle") + _ontology()
    store = load_store(data)
    materialise_in_place(store)
    closed = data + entailments(data)
    _assert_same(validate_sparql(store, with_ontology=False), validate(closed, with_ontology=False))

def test_comparison_prefilters_only_skip_values_that_conform() -> None:
    # SPARQL skips a value for sh:minInclusive / sh:lessThanOrEquals only when two well-typed exact
    # numbers (or two plain xsd:date values) compare so; pySHACL's comparison must agree there.
    from hyvinvointi_kg.stores.oxigraph import fails_own_datatype
    from hyvinvointi_kg.validation.sparql import _less_than_or_equals_fails, _min_inclusive_ok
    from hyvinvointi_kg.validation.sparql_compile import EXACT_NUMERIC as _EXACT_NUMERIC

    numbers = [Literal(lexical, datatype=datatype) for datatype in _EXACT_NUMERIC
               for lexical in ("-7", "-1", "0", "1", "5", "12345678901234567890")
               if not fails_own_datatype(Literal(lexical, datatype=datatype))]
    numbers += [Literal(lexical, datatype=XSD.decimal) for lexical in ("-1.50", "0.0", "0.5", "2.000001")]
    for value in numbers:
        for minimum in (Literal(0), Literal("0.5", datatype=XSD.decimal), Literal(-3)):
            if value.value >= minimum.value:
                assert _min_inclusive_ok(value, minimum), (value, minimum)
        for other in numbers:
            if value.value <= other.value:
                assert not _less_than_or_equals_fails(value, other), (value, other)
    days = [Literal(day, datatype=XSD.date) for day in ("1999-12-31", "2020-01-05", "2020-02-29", "2027-12-31")]
    for value in days:
        for other in days:
            assert _less_than_or_equals_fails(value, other) == (value.value > other.value)
