"""The synthetic graph generator of benchmarks/generate.py: valid, deterministic, shaped like the real graph."""

from __future__ import annotations

import re
import statistics
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import RDF, Graph, URIRef

from hyvinvointi_kg.assembly.places import place_graph
from hyvinvointi_kg.validation.validate import validate

BENCHMARKS = Path(__file__).parent.parent / "benchmarks"
HK = "https://w3id.org/hyvinvointi-kg/ontology#"
PROJECT_TYPE = re.compile(rf"^(<[^>]+>) <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{HK}Project> \.$")
IMPLEMENTER = re.compile(rf"^<[^>]+> <{HK}(?:leadImplementer|partner)> (<[^>]+>) \.$")
MUNICIPALITY = re.compile(rf"^(<[^>]+>) <{HK}targetArea> <https://w3id.org/hyvinvointi-kg/id/place/kunta/")


@pytest.fixture(scope="module")
def generator() -> Iterator[object]:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import generate

        yield generate
    finally:
        sys.path.remove(str(BENCHMARKS))


@pytest.fixture(scope="module")
def lines(generator: object) -> list[str]:
    """2,000 generated projects (seed 1), as N-Triples lines without their newlines."""
    return [line.rstrip("\n") for line in generator.generate(2000, seed=1)]  # type: ignore[attr-defined]


def _graph(lines: Iterator[str]) -> Graph:
    return Graph().parse(data="".join(lines), format="nt")


def test_generate_validates_with_the_ontology(generator: object) -> None:
    report = validate(_graph(generator.generate(200, seed=3)))  # type: ignore[attr-defined]
    assert report.conforms, report.text()
    assert report.violations == ()


def test_generate_with_provenance_validates(generator: object) -> None:
    graph = _graph(generator.generate(50, seed=4, provenance=True))  # type: ignore[attr-defined]
    report = validate(graph)
    assert report.conforms, report.text()
    assert report.violations == ()
    assert len(set(graph.subjects(RDF.type, URIRef(HK + "Claim")))) > 50 * 5


def test_generate_is_deterministic_per_seed(generator: object, tmp_path: Path) -> None:
    first, second, other = tmp_path / "a.nt", tmp_path / "b.nt", tmp_path / "c.nt"
    generator.write_graph(first, 300, 11)  # type: ignore[attr-defined]
    generator.write_graph(second, 300, 11)  # type: ignore[attr-defined]
    generator.write_graph(other, 300, 12)  # type: ignore[attr-defined]
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() != other.read_bytes()


def test_write_graph_leaves_no_temporary_file(generator: object, tmp_path: Path) -> None:
    count = generator.write_graph(tmp_path / "out" / "g.nt", 20, 1)  # type: ignore[attr-defined]
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["g.nt"]
    assert count == len((tmp_path / "out" / "g.nt").read_text(encoding="utf-8").splitlines())


def test_generate_rejects_no_projects_at_once(generator: object) -> None:
    with pytest.raises(ValueError, match="positive"):
        generator.generate(0, seed=1)  # type: ignore[attr-defined]


def test_generate_gives_the_number_of_projects_asked_for(lines: list[str]) -> None:
    assert sum(1 for line in lines if PROJECT_TYPE.match(line)) == 2000


def test_generate_triples_per_project_near_the_issues_figure(lines: list[str]) -> None:
    # The issue counts about 26 triples per project; the real graph without its claims has 28.
    per_project = (len(lines) - len(place_graph())) / 2000
    assert 18 <= per_project <= 30


def test_generate_popularity_is_zipf_like(lines: list[str]) -> None:
    projects = Counter(m.group(1) for line in lines if (m := IMPLEMENTER.match(line)))
    counts = sorted(projects.values(), reverse=True)
    assert counts[0] >= 20 * statistics.median(counts)
    assert counts[0] > 2 * counts[4]


def test_generate_has_multi_municipality_projects(lines: list[str]) -> None:
    municipalities = Counter(m.group(1) for line in lines if (m := MUNICIPALITY.match(line)))
    share = sum(1 for n in municipalities.values() if n > 1) / 2000
    assert 0.1 < share < 0.5  # 26 % in the real graph


def test_generate_reuses_the_real_places(lines: list[str]) -> None:
    places = {s.n3() for s in place_graph().subjects()}
    areas = {line.split()[2] for line in lines if f"<{HK}targetArea>" in line}
    assert areas and areas <= places


def test_bench_scale_finds_every_fast_function() -> None:
    """The benchmark reports a fast function it cannot import as "not available": after a module
    moves, every one must still be found, or the fast side silently drops out of the tables."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import bench_scale

        assert {name: bench_scale._fast(name) is not None for name in bench_scale._FAST_MODULES} == dict.fromkeys(
            bench_scale._FAST_MODULES, True)
    finally:
        sys.path.remove(str(BENCHMARKS))
