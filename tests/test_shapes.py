"""Tests of the SHACL shapes in ontology/shapes.ttl: fixtures per shape, documentation, real data.

Every shape ``hks:<Name>`` has fixtures ``tests/shapes/<Name>.valid.ttl`` and
``tests/shapes/<Name>.invalid.ttl`` (more as ``<Name>.valid-2.ttl`` ...). The
fixtures are found by glob: adding a file adds a test.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.stores.files import load_graph, load_ontology, load_shapes
from hyvinvointi_kg.validation.validate import ValidationReport, validate

HKS = "https://w3id.org/hyvinvointi-kg/shapes#"
FIXTURES = Path(__file__).parent / "shapes"
FIXTURE_NAME = re.compile(r"^(?P<shape>[A-Za-z][\w-]*)\.(?P<kind>valid|invalid)(-\d+)?\.ttl$")

VALID = sorted(FIXTURES.glob("*.valid*.ttl"))
INVALID = sorted(FIXTURES.glob("*.invalid*.ttl"))

# Parameters of SHACL constraints whose values are shapes.
_SHAPE_VALUED = (SH.property, SH.node, SH.qualifiedValueShape, SH["not"])
_SHAPE_LISTS = (SH["or"], SH["and"], SH.xone)


def _shape_iri(fixture: Path) -> str:
    match = FIXTURE_NAME.match(fixture.name)
    assert match, f"{fixture.name}: not <Shape>.valid[-N].ttl or <Shape>.invalid[-N].ttl"
    return HKS + match["shape"]


@cache
def _shapes() -> Graph:
    return load_shapes()


@cache
def _ontology() -> Graph:
    return load_ontology()


@cache
def _report(fixture: Path) -> ValidationReport:
    # The same as validate(fixture_graph), with the shapes and the ontology parsed once.
    data = Graph().parse(fixture, format="turtle") + _ontology()
    return validate(data, shapes=_shapes(), with_ontology=False)


def _tested_shapes(shapes: Graph) -> set[URIRef | BNode]:
    """Shapes that report results under their own IRI: node and property shapes."""
    found: set[URIRef | BNode] = set()
    for kind in (SH.NodeShape, SH.PropertyShape):
        found.update(s for s in shapes.subjects(RDF.type, kind) if isinstance(s, URIRef | BNode))
    found.update(o for o in shapes.objects(None, SH.property) if isinstance(o, URIRef | BNode))
    return found


def _all_shapes(shapes: Graph) -> set[URIRef | BNode]:
    """Every shape, also those used only as values (sh:or members, qualified value shapes)."""
    found = _tested_shapes(shapes)
    for parameter in _SHAPE_VALUED:
        found.update(o for o in shapes.objects(None, parameter) if isinstance(o, URIRef | BNode))
    for parameter in _SHAPE_LISTS:
        for head in shapes.objects(None, parameter):
            found.update(m for m in shapes.items(head) if isinstance(m, URIRef | BNode))
    return found


def _fixture_id(fixture: Path) -> str:
    return fixture.name.removesuffix(".ttl")


@pytest.mark.parametrize("fixture", VALID, ids=_fixture_id)
def test_valid_fixture_not_reported_by_its_shape(fixture: Path) -> None:
    shape = _shape_iri(fixture)
    report = _report(fixture)
    assert shape not in report.shapes_violated(), report.text()
    assert report.results == (), f"the valid fixture should conform entirely:\n{report.text()}"


@pytest.mark.parametrize("fixture", INVALID, ids=_fixture_id)
def test_invalid_fixture_reported_by_its_shape(fixture: Path) -> None:
    shape = _shape_iri(fixture)
    report = _report(fixture)
    mine = [r for r in report.results if r.source_shape == shape]
    assert mine, f"expected a result from <{shape}>:\n{report.text()}"
    assert all(r.message_fi and r.message_en for r in mine), "results carry both messages"


def test_shapes_have_valid_and_invalid_fixtures() -> None:
    missing = []
    for shape in sorted(_tested_shapes(_shapes()), key=str):
        assert isinstance(shape, URIRef) and shape.startswith(HKS), f"shape without an hks: IRI: {shape}"
        name = shape.removeprefix(HKS)
        for kind in ("valid", "invalid"):
            if not list(FIXTURES.glob(f"{name}.{kind}.ttl")) + list(FIXTURES.glob(f"{name}.{kind}-*.ttl")):
                missing.append(f"{name}.{kind}.ttl")
    assert not missing, f"missing fixtures in {FIXTURES}: {missing}"


def test_fixtures_name_existing_shapes() -> None:
    shapes = {str(s) for s in _tested_shapes(_shapes())}
    orphans = [f.name for f in sorted(FIXTURES.glob("*.ttl")) if _shape_iri(f) not in shapes]
    assert not orphans, f"fixtures for shapes that do not exist: {orphans}"


def test_shapes_have_iris() -> None:
    blank = [s for s in _all_shapes(_shapes()) if not (isinstance(s, URIRef) and s.startswith(HKS))]
    assert not blank, f"{len(blank)} shape(s) without an hks: IRI"


@pytest.mark.parametrize("shape", sorted(str(s) for s in _all_shapes(_shapes())), ids=lambda s: s.removeprefix(HKS))
def test_shape_documents_itself(shape: str) -> None:
    shapes = _shapes()
    node = URIRef(shape)
    messages = [m for m in shapes.objects(node, SH.message) if isinstance(m, Literal)]
    names = [n for n in shapes.objects(node, SH.name) if isinstance(n, Literal)]
    assert {m.language for m in messages} >= {"fi", "en"}, "sh:message in Finnish and English"
    assert {n.language for n in names} >= {"fi", "en"}, "sh:name in Finnish and English"
    assert shapes.value(node, SH.severity) in (SH.Violation, SH.Warning, SH.Info), "explicit sh:severity"


def test_real_graph_conforms() -> None:
    try:
        graph = load_graph()
    except InputError:
        graph = load_graph(inferred=False)
    report = validate(graph, with_ontology=False)
    assert report.conforms, report.text()
    assert report.violations == (), report.text()
