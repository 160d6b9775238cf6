"""The blind samples (``tests/data/blind/``) as tests: the parser measured by eyes that are not its own.

The samples were drawn by ``tests/data/blind/draw_samples.py`` before the rules changed and
annotated by readers who saw only the source text and the guides. The target-group rules were
tuned on the first target-group sample (the development sample); the held-out sample
(``draw_heldout.py``) was drawn and annotated before that tuning, measured it once, and was then
read to tune the rules again; the final sample (``draw_final.py``) was drawn and annotated before
that second tuning and measured it once. The floors below are the figures of the build today
(``python tests/blind_scoring.py DIR``), so a change that makes the graph less true fails here.
Run with ``-s`` to print every figure.
"""

from __future__ import annotations

import pytest
from rdflib import RDF, Graph

from blind_scoring import Score, score_catalogue, score_target_groups
from hyvinvointi_kg.assembly.assemble import Assembly
from hyvinvointi_kg.assembly.places import PlaceIndex


@pytest.fixture(scope="module")
def data(built: Assembly) -> Graph:
    return built.data


@pytest.fixture(scope="module")
def catalogue(data: Graph, built: Assembly) -> Score:
    score = score_catalogue(data, PlaceIndex(built.places))
    for name, value in score.summary().items():
        print(f"catalogue blind sample: {name}: {value:.1%}")
    return score


@pytest.fixture(scope="module", params=["target_groups", "target_groups_heldout", "target_groups_final"])
def target_groups(data: Graph, request: pytest.FixtureRequest) -> tuple[str, Score]:
    score = score_target_groups(data, request.param)
    for name, value in score.summary().items():
        print(f"{request.param} blind sample: {name}: {value:.1%}")
    return request.param, score


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


#: Today's figures (precision, recall) on each target-group sample. The goal is 0.90 for both on
#: a sample the rules were not tuned on (the final one); it is not met: see docs/target-groups.md.
TARGET_GROUP_FLOORS = {"target_groups": (0.92, 0.87), "target_groups_heldout": (0.89, 0.82),
                       "target_groups_final": (0.85, 0.73)}


def test_blind_target_group_precision(target_groups: tuple[str, Score]) -> None:
    sample, score = target_groups
    assert score.tg_right / score.tg_predicted >= TARGET_GROUP_FLOORS[sample][0], score.tg_errors


def test_blind_target_group_recall(target_groups: tuple[str, Score]) -> None:
    sample, score = target_groups
    assert score.tg_right / score.tg_annotated >= TARGET_GROUP_FLOORS[sample][1], score.tg_errors


def test_blind_heldout_sample_excludes_the_other_samples() -> None:
    import yaml

    from blind_scoring import BLIND, load_blind

    heldout = load_blind("target_groups_heldout")
    sample = yaml.safe_load((BLIND / "target_groups_heldout_sample.yaml").read_text(encoding="utf-8"))
    assert [r["line"] for r in heldout] == [r["line"] for r in sample] and len(sample) == 64
    others = {r["line"] for name in ("catalogue", "target_groups") for r in load_blind(name)}
    assert others.isdisjoint(r["line"] for r in sample)


def test_blind_final_sample_excludes_the_target_group_samples() -> None:
    import yaml

    from blind_scoring import BLIND, load_blind

    final = load_blind("target_groups_final")
    sample = yaml.safe_load((BLIND / "target_groups_final_sample.yaml").read_text(encoding="utf-8"))
    assert [r["line"] for r in final] == [r["line"] for r in sample] and len(sample) == 64
    others = {r["line"] for name in ("target_groups", "target_groups_heldout") for r in load_blind(name)}
    assert others.isdisjoint(r["line"] for r in sample)


def test_target_group_from_a_projects_name(data: Graph) -> None:
    # catalogue 7746-7750: only the name says whom the project is about ("saamelaisissa
    # poronhoitoyhteisöissä"); the claim cites the name's lines
    from hyvinvointi_kg.namespaces import HK, ID, PROV

    project = ID["project/rakenteellisen-epatasa-arvoisuuden-purkaminen-sukupuolten-valinen-"
                 "epatasarvo-saamelaisissa-poronhoitoyhteisoissa"]
    claims = {(str(data.value(c, RDF.object)).rsplit("/", 1)[-1], str(data.value(c, PROV.wasDerivedFrom)),
               str(data.value(c, HK.derivationRule))) for c in data.subjects(RDF.subject, project)
              if data.value(c, RDF.predicate) == HK.targetGroup}
    assert ("saamelaiset", str(ID["source/lapland_projects_catalogue_fi.txt/lines/7746-7750"]),
            "derived, not stated: keyword 'saamelainen' (lemma): 'saamelaisissa' in the name") in claims


def test_two_blind_annotations_of_the_heldout_sample_agree_far_above_the_rules() -> None:
    # the reference is stable: two independent readings agree at precision 98.9 %, recall
    # 91.8 %, so the rules' shortfall on this sample is theirs, not the annotation's noise
    from blind_scoring import annotator_agreement

    score = annotator_agreement()
    assert score.tg_right / score.tg_predicted >= 0.98 and score.tg_right / score.tg_annotated >= 0.91
