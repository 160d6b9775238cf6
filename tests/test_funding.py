"""Funding strings normalised by the reviewed rules file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import PROV, RDF, SKOS

from hyvinvointi_kg._resources import resource_dir
from hyvinvointi_kg.assembly.funding import load_funding_rules, match_funding, split_funding_cell
from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.namespaces import HK, ID

RULES = load_funding_rules(resource_dir("data/curation") / "funders.yaml")
RURAL = "programme/manner-suomen-maaseudun-kehittamisohjelma-2014-2020"
CATALOGUE = "lapland_projects_catalogue_fi.txt"
PROGRAMME_2021 = "programme/uudistuva-ja-osaava-suomi-2021-2027"


@pytest.mark.parametrize(("text", "funders", "programme", "body"), [
    ("ESR 2014-2020/ELY", ["fund/esr"], "programme/rr-2014-2020", "org/pohjois-pohjanmaan-ely-keskus"),
    ("Pohjois-Suomen ELY-keskus/ESR", ["fund/esr"], "programme/rr-2014-2020",
     "org/pohjois-suomen-ely-keskus"),
    ("STEA", ["org/stea"], None, None),
    ("EAKR 2014-2020/Lapin liitto", ["fund/eakr"], "programme/rr-2014-2020", "org/lapin-liitto"),
    ("Peräpohjolan Leader", ["fund/maaseuturahasto"], RURAL, "org/perapohjolan-leader-ry"),
    ("Outokairan Nuoriso-Leader", ["fund/maaseuturahasto"], RURAL, "org/outokaira-tuottamhan-ry"),
    ("Leader Tunturi-Lappi ry", ["fund/maaseuturahasto"], RURAL, "org/leader-tunturi-lappi-ry"),
    ("Manner-Suomen maaseudun kehittämisohjelma 2014 – 2020/Peräpohjolan Leader",
     ["fund/maaseuturahasto"], RURAL, "org/perapohjolan-leader-ry"),
    ("Suomen Akatemia", ["org/suomen-akatemia"], None, None),
    ("Erasmus+ 2014-2020", ["org/euroopan-komissio"], "programme/erasmus-plus", None),
    ("Horizon2020", ["org/euroopan-komissio"], "programme/horizon-2020", None),
    ("STM (Kaste)", ["org/sosiaali-ja-terveysministerio"], "programme/kaste", None),
    ("ESR+", ["fund/esr-plus"], PROGRAMME_2021, None),  # the Rahasto values of the EURA 2021-2027 report
    ("JTF", ["fund/jtf"], PROGRAMME_2021, None),
    ("EAKR", ["fund/eakr"], None, None),
])
def test_match_funding_normalises(text: str, funders: list[str], programme: str | None,
                                  body: str | None) -> None:
    rule = match_funding(text, RULES)
    assert rule is not None
    assert list(rule.funders) == [ID[f] for f in funders]
    assert rule.programme == (ID[programme] if programme else None)
    assert rule.bodies == ((ID[body],) if body else ())


def test_match_funding_two_leader_groups_are_two_bodies() -> None:
    rule = match_funding("Peräpohjolan Leader, Outokaira Tuottamhan", RULES)
    assert rule is not None
    assert rule.funders == (ID["fund/maaseuturahasto"],) and rule.programme == ID[RURAL]
    assert rule.bodies == (ID["org/perapohjolan-leader-ry"], ID["org/outokaira-tuottamhan-ry"])


def test_match_funding_unknown_text_is_none() -> None:
    assert match_funding("Jokin säätiö", RULES) is None
    assert match_funding("Koheesiorahasto", RULES) is None  # a fund the 2021-2027 programme does not have


def test_funding_2021_2027_programme_has_its_three_funds_named_in_three_languages() -> None:
    reference = Graph().parse(resource_dir("data/reference") / "funding.ttl")
    programme = ID[PROGRAMME_2021]
    funds = set(reference.objects(programme, HK.programmeFund))
    assert funds == {ID["fund/eakr"], ID["fund/esr-plus"], ID["fund/jtf"]}
    labels = {(str(o), o.language) for o in reference.objects(ID["fund/esr-plus"], SKOS.prefLabel)}
    assert labels == {("Euroopan sosiaalirahasto plus (ESR+)", "fi"), ("Europeiska socialfonden+ (ESF+)", "sv"),
                      ("European Social Fund Plus (ESF+)", "en")}
    for node in (programme, ID["fund/jtf"]):
        assert {o.language for o in reference.objects(node, SKOS.prefLabel)} == {"fi", "sv", "en"}


def test_split_funding_cell_several_periods() -> None:
    funder, period = split_funding_cell(
        "Lapin AVI 15.08.2017 - 30.06.2018, 01.08.2018 - 30.06.2019, 01.08.2019 - 31.10.2020")
    assert funder == "Lapin AVI"
    assert period == "15.08.2017 - 30.06.2018, 01.08.2018 - 30.06.2019, 01.08.2019 - 31.10.2020"


def test_funding_rules_reference_known_nodes() -> None:
    from rdflib import Graph

    reference = Graph().parse(resource_dir("data/reference") / "funding.ttl")
    for rule in RULES:
        # A body named only as the source states it (body_label) is not reference data.
        bodies = () if rule.body_label else rule.bodies
        for node in (*rule.funders, rule.programme, *bodies):
            if node is not None:
                assert (node, None, None) in reference, (rule.index, node)
        if rule.body_label:
            assert (None, None, rule.bodies[0]) not in reference, (rule.index, rule.bodies[0])


def test_funding_rules_name_no_leader_group_as_funder() -> None:
    leader_groups = {ID["org/perapohjolan-leader-ry"], ID["org/outokaira-tuottamhan-ry"],
                     ID["org/leader-tunturi-lappi-ry"]}
    for rule in RULES:
        assert not leader_groups & set(rule.funders), rule.index
        if leader_groups & set(rule.bodies):
            assert rule.funders == (ID["fund/maaseuturahasto"],) and rule.programme == ID[RURAL]


def test_load_funding_rules_body_label_needs_one_body(tmp_path: Path) -> None:
    bad = tmp_path / "funders.yaml"
    bad.write_text("rules:\n  - {match: X, funders: [fund/esr], body: [org/a, org/b], body_label: A}\n",
                   encoding="utf-8")
    with pytest.raises(InputError, match=r"rule 1: 'body_label' names exactly one 'body'"):
        load_funding_rules(bad)


# --- the built graph: one model of Leader funding ------------------------------------------

# Every catalogue funding cell that names a Leader group (lapland_projects_catalogue_fi.txt,
# first line of the cell) and the group(s) it names; read off the source by hand.
LEADER_ROWS = {
    "elavat-kylat-kulttuurista-voimaa-hyvinvoinnin-tueksi": (  # 5753-5762 "Manner-Suomen
        {5753}, {"perapohjolan-leader-ry"}),                    # ... 2014 – 2020/Peräpohjolan Leader"
    "kaupungista-karunkiin-nuoret-haastavat-itsensa-vaeltamiseen-liittyvien-turvallisuusvalineiden"
    "-hankita-tunturivaellukseen": ({6319}, {"outokaira-tuottamhan-ry"}),  # 6319 "Outokairan Nuoriso-Leader"
    "kyla-lahtee": ({6518}, {"perapohjolan-leader-ry"}),  # 6518 "Peräpohjolan Leader"
    "nuorten-kylat-teemahanke": ({1911, 2755, 3248}, {"perapohjolan-leader-ry"}),  # three sections
    "tavataan-kylilla": ({2216, 2850, 3432},  # "Peräpohjolan Leader, Outokaira Tuottamhan"
                         {"perapohjolan-leader-ry", "outokaira-tuottamhan-ry"}),
    "vastaanottava-tunturi-lappi-ymparistoluotsaus-maahanmuuttotyon-menetelmana": (
        {8875}, {"leader-tunturi-lappi-ry"}),  # 8875 "Leader Tunturi-Lappi ry"
    "vaylanvarren-seniorimessut-hyva-ika": ({5066}, {"outokaira-tuottamhan-ry"}),  # 5066 "Outokaira Leader"
    "yhta-koytta-kylien-hyvinvoinnin-monipalvelupisteet-lansi-pohjassa": (  # 9060 "Peräpohjolan
        {9060}, {"perapohjolan-leader-ry", "outokaira-tuottamhan-ry"}),     # Leader, Outokaira Tuottamhan"
}
_LEADER_TEXT = re.compile(r"leader|tuottamhan", re.IGNORECASE)


def _funding_claims(graph: Graph) -> list[tuple[URIRef, URIRef, str, str, int]]:
    """(funding record, predicate, object, stated text, first line) of catalogue funding claims."""
    rows = []
    for claim in graph.subjects(RDF.type, HK.Claim):
        predicate = graph.value(claim, RDF.predicate)
        if predicate not in (HK.funder, HK.grantingAuthority):
            continue
        span = graph.value(claim, PROV.wasDerivedFrom)
        if not str(graph.value(span, HK.inDocument)).endswith(CATALOGUE):
            continue
        rows.append((graph.value(claim, RDF.subject), predicate, graph.value(claim, RDF.object),
                     str(graph.value(claim, HK.statedAs)), int(str(graph.value(span, HK.firstLine)))))
    return rows


def test_every_project_naming_a_leader_group_has_fund_programme_and_granting_group(
        built_graph: Graph) -> None:
    named: dict[str, set[int]] = {}
    for funding, _p, _o, text, line in _funding_claims(built_graph):
        if _LEADER_TEXT.search(text):
            project = built_graph.value(None, HK.hasFunding, funding)
            named.setdefault(str(project).rsplit("/", 1)[-1], set()).add(line)
    assert named == {slug: lines for slug, (lines, _groups) in LEADER_ROWS.items()}
    for slug, (_lines, groups) in LEADER_ROWS.items():
        project = ID[f"project/{slug}"]
        granted = {}
        for funding in built_graph.objects(project, HK.hasFunding):
            body = built_graph.value(funding, HK.grantingAuthority)
            if body is not None and str(body).rsplit("/", 1)[-1] in groups:
                granted[str(body).rsplit("/", 1)[-1]] = funding
                assert built_graph.value(funding, HK.funder) == ID["fund/maaseuturahasto"], slug
                assert built_graph.value(funding, HK.programme) == ID[RURAL], slug
        assert set(granted) == groups, slug


def test_no_leader_group_is_a_funder_in_the_built_graph(built_graph: Graph) -> None:
    funders = set(built_graph.objects(None, HK.funder)) | set(built_graph.objects(None, HK.fundedBy))
    assert not [f for f in funders if _LEADER_TEXT.search(str(f))]
    assert not [c for c in built_graph.subjects(RDF.predicate, HK.funder)
                if _LEADER_TEXT.search(str(built_graph.value(c, RDF.object)))]


def test_leader_funding_keeps_the_source_wording(built_graph: Graph) -> None:
    # lapland_projects_catalogue_fi.txt:6319-6321 "Outokairan Nuoriso- Leader 2017- 2020"
    project = ID[f"project/{next(s for s in LEADER_ROWS if s.startswith('kaupungista'))}"]
    funding = URIRef(f"{project}/funding/maaseuturahasto")
    texts = {(p, text) for f, p, _o, text, _line in _funding_claims(built_graph) if f == funding}
    assert texts == {(HK.funder, "Outokairan Nuoriso-Leader"),
                     (HK.grantingAuthority, "Outokairan Nuoriso-Leader")}


def test_rural_fund_query_finds_the_leader_projects(built_graph: Graph) -> None:
    from hyvinvointi_kg.query import run_query
    from hyvinvointi_kg.reasoning.entailments import materialise

    # The query reads hk:fundedBy, the chain hk:hasFunding / hk:funder the build materialises.
    rows = run_query(materialise(built_graph), "projects-by-filter",
                     funder=ID["fund/maaseuturahasto"]).records()
    found = {str(row["project"]).rsplit("/", 1)[-1] for row in rows}
    assert set(LEADER_ROWS) <= found


def test_load_funding_rules_typo_names_file_and_rule(tmp_path: Path) -> None:
    bad = tmp_path / "funders.yaml"
    bad.write_text("rules:\n  - {match: STEA, funders: [org/stea], bodyy: x}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"funders.yaml: rule 1: unknown key\(s\) bodyy"):
        load_funding_rules(bad)
