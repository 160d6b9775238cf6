"""Overlap detection on the real graph."""

from __future__ import annotations

from datetime import date

import pytest
from rdflib import Graph, URIRef

from hyvinvointi_kg.analysis.overlaps import find_overlaps, overlap_clusters, overlaps_frame
from hyvinvointi_kg.cli import main
from hyvinvointi_kg.namespaces import ID, project_iri
from hyvinvointi_kg.stores.files import load_graph

PROJECT = "https://w3id.org/hyvinvointi-kg/id/project/"


@pytest.fixture(scope="module")
def graph() -> Graph:
    return load_graph()


@pytest.fixture(scope="module")
def overlaps(graph: Graph) -> list:  # type: ignore[type-arg]
    return find_overlaps(graph)


def test_find_overlaps_never_pairs_a_project_with_itself(overlaps: list) -> None:  # type: ignore[type-arg]
    assert overlaps and all(o.project_a != o.project_b for o in overlaps)
    assert len({(o.project_a, o.project_b) for o in overlaps}) == len(overlaps)
    assert [o.score for o in overlaps] == sorted((o.score for o in overlaps), reverse=True)


def test_find_overlaps_every_pair_meets_the_definition(graph: Graph, overlaps: list) -> None:  # type: ignore[type-arg]
    for o in overlaps:
        assert o.shared_municipalities
        assert o.shared_themes or o.shared_target_groups
        assert o.overlap_start <= o.overlap_end
        assert o.overlap_days == (o.overlap_end - o.overlap_start).days + 1
        assert 0.0 <= o.text_similarity <= 1.0 and 0.0 <= o.score <= 1.0


def test_find_overlaps_golden_s20154_and_erityistukea(overlaps: list) -> None:  # type: ignore[type-arg]
    # S20154 (register: 1.3.2015-28.2.2018; Keminmaa, Simo, Ylitornio, Tornio, Tervola, Kemi;
    # theme sosiaalinen osallisuus from policy axis 5) and "Erityistukea elämään" (catalogue
    # lines 96-117: 1.1.2015-31.12.2017, "Keminmaa, Kemin kaupunki", sosiaalinen osallisuus).
    pair = next(o for o in overlaps if {o.project_a, o.project_b}
                == {PROJECT + "S20154", PROJECT + "erityistukea-elamaan"})
    assert pair.shared_municipalities == ("Kemi", "Keminmaa")
    assert "sosiaalinen osallisuus" in pair.shared_themes
    assert (pair.overlap_start, pair.overlap_end) == (date(2015, 3, 1), date(2017, 12, 31))
    assert pair.overlap_days == 1037


def test_find_overlaps_filters(graph: Graph, overlaps: list) -> None:  # type: ignore[type-arg]
    simo = find_overlaps(graph, municipality=ID["place/kunta/751"])
    assert simo and len(simo) < len(overlaps)
    assert all("Simo" in o.shared_municipalities for o in simo)
    strong = find_overlaps(graph, min_score=0.5)
    assert strong and all(o.score >= 0.5 for o in strong)
    early = find_overlaps(graph, period=(date(2015, 1, 1), date(2015, 12, 31)))
    assert all(o.overlap_start <= date(2018, 12, 31) for o in early)
    s21758 = str(project_iri("S21758"))
    assert all(s21758 not in (o.project_a, o.project_b) for o in early)


def test_overlap_clusters_and_frame(overlaps: list) -> None:  # type: ignore[type-arg]
    clusters = overlap_clusters(overlaps)
    assert sum(len(c) for c in clusters) == len({p for o in overlaps for p in (o.project_a, o.project_b)})
    frame = overlaps_frame(overlaps[:3])
    assert list(frame.columns)[:5] == ["project_a", "project_b", "name_a", "name_b", "score"]
    assert {"shared_municipalities", "shared_themes", "shared_target_groups", "overlap_start",
            "overlap_end", "overlap_days", "text_similarity", "shared_organisations"} <= set(frame.columns)


def test_cli_overlaps_csv(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["overlaps", "--format", "csv", "--municipality", "Simo", "--min-score", "0.4"]) == 0
    header = capsys.readouterr().out.splitlines()[0]
    assert header.startswith("project_a,project_b,name_a,name_b,score,shared_municipalities")


def _generated(projects: int, *, seed: int) -> Graph:
    """A graph from the benchmark generator (benchmarks/generate.py)."""
    import sys
    from pathlib import Path

    benchmarks = str(Path(__file__).parent.parent / "benchmarks")
    sys.path.insert(0, benchmarks)
    try:
        import generate
    finally:
        sys.path.remove(benchmarks)
    return Graph().parse(data="".join(generate.generate(projects, seed=seed)), format="nt")


def _all_pairs(projects: object) -> set[tuple[int, int]]:
    """The overlap definition checked on every pair of projects (the quadratic reference)."""
    from hyvinvointi_kg.analysis.overlaps import _Projects

    assert isinstance(projects, _Projects)
    found = set()
    n = len(projects.iris)
    for a in range(n):
        for b in range(a + 1, n):
            if (projects.municipalities[a] & projects.municipalities[b]
                    and (projects.themes[a] & projects.themes[b] or projects.groups[a] & projects.groups[b])
                    and projects.starts[a] <= projects.ends[b] and projects.starts[b] <= projects.ends[a]):
                found.add((a, b))
    return found


def _sweep_pairs(graph: Graph) -> tuple[object, set[tuple[int, int]]]:
    from hyvinvointi_kg.analysis.networks import select_projects
    from hyvinvointi_kg.analysis.overlaps import _candidate_pairs, _projects

    projects = _projects(graph, select_projects(graph))
    i, j = _candidate_pairs(projects)
    assert len(set(zip(i.tolist(), j.tolist(), strict=True))) == len(i)
    return projects, set(zip(i.tolist(), j.tolist(), strict=True))


def test_sweep_finds_exactly_the_pairs_of_the_all_pairs_check_on_the_real_graph(graph: Graph) -> None:
    projects, pairs = _sweep_pairs(graph)
    # 813: the same set as the all-pairs check on the next line and as the SPARQL query
    # overlapping-projects (test_overlap_pairs_are_the_pairs_of_the_sparql_query_and_of_find_overlaps).
    assert len(pairs) == 813
    assert pairs == _all_pairs(projects)


def test_sweep_finds_exactly_the_pairs_of_the_all_pairs_check_on_a_generated_graph() -> None:
    graph = _generated(600, seed=3)
    projects, pairs = _sweep_pairs(graph)
    assert len(pairs) > 1000
    assert pairs == _all_pairs(projects)
    # The scored overlaps are the same pairs.
    assert len(find_overlaps(graph)) == len(pairs)


def test_overlap_pairs_are_the_pairs_of_the_sparql_query_and_of_find_overlaps(
        graph: Graph, overlaps: list) -> None:  # type: ignore[type-arg]
    from hyvinvointi_kg.analysis.overlaps import overlap_pairs
    from hyvinvointi_kg.query import run_query

    pairs = overlap_pairs(graph)
    # 813: checked below against the rows of the SPARQL query overlapping-projects.
    assert len(pairs) == 813
    found = pairs.iri_pairs()
    assert all(a < b for a, b in found)
    sparql = {(str(r["project_a"]), str(r["project_b"])) for r in run_query(graph, "overlapping-projects").records()}
    assert set(found) == sparql
    assert set(found) == {tuple(sorted((o.project_a, o.project_b))) for o in overlaps}
    simo = overlap_pairs(graph, municipality=ID["place/kunta/751"])
    assert 0 < len(simo) < len(pairs) and set(simo.iri_pairs()) <= set(found)


def _generated_texts(projects: int, seed: int) -> list[str]:
    from hyvinvointi_kg.analysis.networks import select_projects
    from hyvinvointi_kg.analysis.overlaps import _projects

    generated = _generated(projects, seed=seed)
    return _projects(generated, select_projects(generated)).texts


def test_word_level_tfidf_is_scikit_learns_char_wb_tfidf(graph: Graph) -> None:
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    from hyvinvointi_kg.analysis.networks import select_projects
    from hyvinvointi_kg.analysis.overlaps import _projects, _tfidf

    real = _projects(graph, select_projects(graph)).texts
    for texts in (real, _generated_texts(300, seed=5), ["", "Åä  x\tyy", "ÅÄ x yy zzzzzz", "a b"]):
        ours = _tfidf(texts)
        theirs = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), lowercase=True,
                                 sublinear_tf=True).fit_transform(texts).sorted_indices()
        assert ours.shape == theirs.shape
        assert np.array_equal(ours.indptr, theirs.indptr) and np.array_equal(ours.indices, theirs.indices)
        assert np.allclose(ours.data, theirs.data, rtol=0, atol=1e-15)


def test_bitset_counts_are_set_intersections_beyond_64_members() -> None:
    import numpy as np

    from hyvinvointi_kg.analysis.overlaps import _bitsets, _shared_members, _shares_none_below

    rng = np.random.default_rng(7)
    members = [URIRef(f"urn:m:{k}") for k in range(200)]
    sets = [frozenset(members[k] for k in rng.choice(200, size=rng.integers(0, 40), replace=False))
            for _ in range(60)]
    i, j = np.triu_indices(len(sets), k=1)
    bits = _bitsets(sets)
    assert bits.shape == (60, 4)
    expected = [len(sets[a] & sets[b]) for a, b in zip(i.tolist(), j.tolist(), strict=True)]
    assert _shared_members(bits, i, j).tolist() == expected
    assert np.bitwise_count(bits).sum(axis=1).tolist() == [len(s) for s in sets]
    # The bucket test of the sweep: no shared member numbered below k, in every word.
    columns: dict[URIRef, int] = {}
    bits = _bitsets(sets, columns)
    for k in (0, 1, 63, 64, 65, 130, 199):
        shared_below = [any(columns[m] < k for m in sets[a] & sets[b])
                        for a, b in zip(i.tolist(), j.tolist(), strict=True)]
        assert _shares_none_below(bits, i, j, k).tolist() == [not s for s in shared_below], k
    assert bits.shape[1] * 64 >= len(columns) > 128


def test_overlap_weights_are_a_parameter_not_global_state(graph: Graph) -> None:
    from hyvinvointi_kg.analysis.overlaps import OverlapWeights, find_overlaps

    kemi = ID["place/kunta/240"]
    default = find_overlaps(graph, municipality=kemi)
    only_text = find_overlaps(graph, municipality=kemi,
                              weights=OverlapWeights(text=1.0, municipalities=0.0, topics=0.0, time=0.0))
    # the same pairs, scored by their text similarity alone; the default is left as it was
    assert {(o.project_a, o.project_b) for o in only_text} == {(o.project_a, o.project_b) for o in default}
    assert all(abs(o.score - o.text_similarity) < 1e-4 for o in only_text)
    assert [o.score for o in find_overlaps(graph, municipality=kemi)] == [o.score for o in default]
    with pytest.raises(ValueError, match="sum to 1"):
        OverlapWeights(text=0.5)
