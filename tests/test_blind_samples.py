"""The blind samples (``tests/data/blind/``) as tests: the parser measured by eyes that are not its own.

The samples were drawn by ``tests/data/blind/draw_samples.py`` before the rules changed and
annotated by readers who saw only the source text and the guides. The floors below are the
figures of the build today (``python tests/blind_scoring.py DIR``), so a change that makes
the graph less true fails here. Run with ``-s`` to print every figure.
"""

from __future__ import annotations

import pytest
from rdflib import Graph

from blind_scoring import Score, score_catalogue, score_target_groups
from hyvinvointi_kg.build import BuildResult
from hyvinvointi_kg.places import PlaceIndex


@pytest.fixture(scope="module")
def data(built: BuildResult) -> Graph:
    return built.data


@pytest.fixture(scope="module")
def catalogue(data: Graph, built: BuildResult) -> Score:
    score = score_catalogue(data, PlaceIndex(built.places))
    for name, value in score.summary().items():
        print(f"catalogue blind sample: {name}: {value:.1%}")
    return score


@pytest.fixture(scope="module")
def target_groups(data: Graph) -> Score:
    score = score_target_groups(data)
    for name, value in score.summary().items():
        print(f"target-group blind sample: {name}: {value:.1%}")
    return score


def test_blind_catalogue_sample_has_64_rows_in_six_sections() -> None:
    import yaml

    from blind_scoring import BLIND, load_blind

    rows = load_blind("catalogue")
    sample = yaml.safe_load((BLIND / "catalogue_sample.yaml").read_text(encoding="utf-8"))
    assert [r["line"] for r in rows] == [r["line"] for r in sample]
    assert len(rows) == 64 and len({r["section"] for r in sample}) == 6


def test_blind_catalogue_fields(catalogue: Score) -> None:
    assert catalogue.field_accuracy() >= 0.99, catalogue.field_errors


def test_blind_catalogue_every_organisation_node_is_one_real_organisation(catalogue: Score) -> None:
    assert catalogue.org_nodes_right == catalogue.org_nodes, catalogue.wrong_nodes


def test_blind_catalogue_organisations_found(catalogue: Score) -> None:
    # one miss left: "(Kemin kaupunki)" after row 606's lead, which the annotator read as a
    # partner and the graph as the lead's place (the annotator's note calls it a judgement call)
    assert catalogue.org_found / catalogue.org_annotated >= 0.99, catalogue.missed_orgs


def test_blind_catalogue_kinds(catalogue: Score) -> None:
    assert catalogue.kind_right == catalogue.org_found, catalogue.wrong_kinds


def test_blind_target_group_precision(target_groups: Score) -> None:
    assert target_groups.tg_right / target_groups.tg_predicted >= 0.90, target_groups.tg_errors


def test_blind_target_group_recall(target_groups: Score) -> None:
    # the floor is today's figure; the goal (0.90) is not met yet: see docs/target-groups.md
    assert target_groups.tg_right / target_groups.tg_annotated >= RECALL_FLOOR, target_groups.tg_errors


RECALL_FLOOR = 0.58
