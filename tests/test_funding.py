"""Funding strings normalised by the reviewed rules file."""

from __future__ import annotations

from pathlib import Path

import pytest

from hyvinvointi_kg._resources import resource_dir
from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.funding import load_funding_rules, match_funding, split_funding_cell
from hyvinvointi_kg.namespaces import ID

RULES = load_funding_rules(resource_dir("data/curation") / "funders.yaml")


@pytest.mark.parametrize(("text", "funders", "programme", "body"), [
    ("ESR 2014-2020/ELY", ["fund/esr"], "programme/rr-2014-2020", "org/pohjois-pohjanmaan-ely-keskus"),
    ("Pohjois-Suomen ELY-keskus/ESR", ["fund/esr"], "programme/rr-2014-2020",
     "org/pohjois-pohjanmaan-ely-keskus"),
    ("STEA", ["org/stea"], None, None),
    ("EAKR 2014-2020/Lapin liitto", ["fund/eakr"], "programme/rr-2014-2020", "org/lapin-liitto"),
    ("Peräpohjolan Leader, Outokaira Tuottamhan", ["org/perapohjolan-leader-ry",
                                                   "org/outokaira-tuottamhan-ry"], "programme/leader", None),
    ("Suomen Akatemia", ["org/suomen-akatemia"], None, None),
    ("Erasmus+ 2014-2020", ["org/euroopan-komissio"], "programme/erasmus-plus", None),
    ("Horizon2020", ["org/euroopan-komissio"], "programme/horizon-2020", None),
    ("STM (Kaste)", ["org/sosiaali-ja-terveysministerio"], "programme/kaste", None),
])
def test_match_funding_normalises(text: str, funders: list[str], programme: str | None,
                                  body: str | None) -> None:
    rule = match_funding(text, RULES)
    assert rule is not None
    assert list(rule.funders) == [ID[f] for f in funders]
    assert rule.programme == (ID[programme] if programme else None)
    assert rule.body == (ID[body] if body else None)


def test_match_funding_unknown_text_is_none() -> None:
    assert match_funding("Jokin säätiö", RULES) is None


def test_split_funding_cell_several_periods() -> None:
    funder, period = split_funding_cell(
        "Lapin AVI 15.08.2017 - 30.06.2018, 01.08.2018 - 30.06.2019, 01.08.2019 - 31.10.2020")
    assert funder == "Lapin AVI"
    assert period == "15.08.2017 - 30.06.2018, 01.08.2018 - 30.06.2019, 01.08.2019 - 31.10.2020"


def test_funding_rules_reference_known_nodes() -> None:
    from rdflib import Graph

    reference = Graph().parse(resource_dir("data/reference") / "funding.ttl")
    for rule in RULES:
        for node in (*rule.funders, rule.programme, rule.body):
            if node is not None:
                assert (node, None, None) in reference, (rule.index, node)


def test_load_funding_rules_typo_names_file_and_rule(tmp_path: Path) -> None:
    bad = tmp_path / "funders.yaml"
    bad.write_text("rules:\n  - {match: STEA, funders: [org/stea], bodyy: x}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"funders.yaml: rule 1: unknown key\(s\) bodyy"):
        load_funding_rules(bad)
