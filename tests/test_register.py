"""The register parser: every structured field checked against the source text."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from hyvinvointi_kg._resources import resource_dir
from hyvinvointi_kg.errors import SourceError
from hyvinvointi_kg.ingest.register import parse_register
from hyvinvointi_kg.namespaces import (
    AMOUNT_KIND,
    HK,
    ID,
    STATUS,
    TARGET_GROUP,
    THEME,
    municipality_iri,
    organisation_iri,
    project_iri,
    region_iri,
    subregion_iri,
)

SOURCES = resource_dir("data/sources")


def _line(file_name: str, number: int) -> str:
    return (SOURCES / file_name).read_text(encoding="utf-8").splitlines()[number - 1]


def test_parse_register_s21758_fields_match_source() -> None:
    rec = parse_register(SOURCES / "eura_S21758_description_en.txt")
    assert rec.language == "en" and rec.fund == "esr"
    assert rec.project_code.text == "S21758"
    assert rec.project_name.text == "High five - More wellbeing through co-operation in Eastern Lapland"
    assert rec.policy_axis.text == "5. Social inclusion and combating poverty"
    assert rec.specific_objective.text.startswith("10.1. Improving the ability")
    assert (rec.start, rec.end) == (date(2019, 9, 1), date(2022, 3, 31))
    assert rec.status.text == "Ended"
    assert rec.responsible_authority.text == (
        "Centre for Economic Development, Transport and the Environment North Ostrobothnia")
    assert rec.applicant_name.text == "Itä-Lapin kuntayhtymä"
    assert rec.organisation_type.text == "Joint municipal authority"
    assert rec.business_id.text == "1044651-6"
    assert rec.city is not None and rec.city.text == "Kemijärvi"
    assert {a.kind: a.value for a in rec.amounts} == {
        "granted-eu-state": Decimal(221952), "realised-eu-state": Decimal(204071),
        "planned-public-total": Decimal(277440), "realised-public-total": Decimal(259577)}
    assert [m.text for m in rec.municipalities] == [
        "Posio", "Salla", "Pelkosenniemi", "Savukoski", "Kemijärvi"]
    assert [s.text for s in rec.subregions] == ["Eastern Lapland"]
    assert [r.text for r in rec.regions] == ["Lapland"]
    assert rec.planned_companies and rec.planned_companies.value == 6
    assert rec.realised_companies and rec.realised_companies.value == 0
    assert rec.planned_persons and rec.planned_persons.value == 78
    assert rec.final_report is not None and "corona pandemic" in rec.final_report.text


def test_parse_register_s20154_fields_match_source() -> None:
    rec = parse_register(SOURCES / "eura_S20154_description_fi.txt")
    assert rec.language == "fi"
    assert rec.project_name.text == "Hyvinvointia yhteistyöllä Meri-Lapissa"
    assert rec.policy_axis.text == "5. Sosiaalinen osallisuus ja köyhyyden torjunta"
    assert (rec.start, rec.end) == (date(2015, 3, 1), date(2018, 2, 28))
    assert rec.status.text == "Toiminta päättynyt"
    assert rec.responsible_authority.text == (
        "Pohjois-Pohjanmaan elinkeino-, liikenne- ja ympäristökeskus")
    assert rec.applicant_name.text == "Pohjoisen yhteisöjen tuki - Majakka ry"
    assert rec.organisation_type.text == "Muu järjestö tai yhdistys"
    assert rec.business_id.text == "1762900-8"
    assert rec.website is not None and rec.website.text == "http://www.majakkatalo.fi"
    assert rec.applicants is not None and rec.applicants.text == "Vain yksi hakija"
    assert {a.kind: a.value for a in rec.amounts} == {
        "granted-eu-state": Decimal(280681), "realised-eu-state": Decimal(279853),
        "planned-public-total": Decimal(339623), "realised-public-total": Decimal(330271)}
    assert [m.text for m in rec.municipalities] == [
        "Keminmaa", "Simo", "Ylitornio", "Tornio", "Tervola", "Kemi"]
    assert [s.text for s in rec.subregions] == ["Kemi-Tornion", "Torniolaakson"]
    assert rec.planned_companies and rec.planned_companies.value == 9
    assert rec.realised_companies and rec.realised_companies.value == 5
    assert rec.planned_persons and rec.planned_persons.value == 240


@pytest.mark.parametrize("file_name", ["eura_S21758_description_en.txt",
                                       "eura_S20154_description_fi.txt"])
def test_parse_register_line_numbers_point_at_the_stated_text(file_name: str) -> None:
    rec = parse_register(SOURCES / file_name)
    for stated in (rec.project_code, rec.project_name, rec.period, rec.status,
                   rec.applicant_name, rec.business_id, *(a.stated for a in rec.amounts),
                   *rec.municipalities):
        assert stated.text in _line(file_name, stated.first_line)
    assert rec.summary.text.splitlines()[0] == _line(file_name, rec.summary.first_line)
    assert rec.summary.text.splitlines()[-1] == _line(file_name, rec.summary.last_line)


def test_register_graph_has_no_personal_contact_data(built_graph) -> None:  # type: ignore[no-untyped-def]
    text = " ".join(str(o) for o in built_graph.objects() if isinstance(o, Literal))
    for secret in ("dina.solatie", "maarit.pulkkinen", "0403548370", "050 4099683",
                   "4081922", "Solatie", "Pulkkinen", "Kuumaniemenkatu", "Pohjoisrantakatu"):
        assert secret not in text


def test_register_graph_s21758_facts(built_graph) -> None:  # type: ignore[no-untyped-def]
    g = built_graph
    p = project_iri("S21758")
    org = organisation_iri("Itä-Lapin kuntayhtymä")
    assert (p, RDF.type, HK.Project) in g
    assert (p, HK.leadImplementer, org) in g
    assert (org, RDF.type, HK.JointMunicipalAuthority) in g
    assert (org, HK.businessId, Literal("1044651-6")) in g
    assert (org, HK.domicile, municipality_iri("320")) in g
    assert (p, HK.status, STATUS.ended) in g
    assert (p, HK.startDate, Literal(date(2019, 9, 1), datatype=XSD.date)) in g
    assert (p, HK.endDate, Literal(date(2022, 3, 31), datatype=XSD.date)) in g
    assert (p, HK.theme, THEME["sosiaalinen-osallisuus"]) in g
    assert {g.value(a, HK.amountKind): g.value(a, HK.amount)
            for a in g.objects(URIRef(f"{p}/funding/esr"), HK.hasAmount)} == {
        AMOUNT_KIND["granted-eu-state"]: Literal(Decimal(221952), datatype=XSD.decimal),
        AMOUNT_KIND["realised-eu-state"]: Literal(Decimal(204071), datatype=XSD.decimal),
        AMOUNT_KIND["planned-public-total"]: Literal(Decimal(277440), datatype=XSD.decimal),
        AMOUNT_KIND["realised-public-total"]: Literal(Decimal(259577), datatype=XSD.decimal)}
    # the news release's total budget (S21758_news_2019-08-07_fi.txt:28) includes the
    # municipalities' 20 % and is the project's, not the ESF funding's
    budget = URIRef(f"{p}/amount/total-budget-incl-municipal-share")
    assert list(g.objects(p, HK.projectBudget)) == [budget]
    funding = URIRef(f"{p}/funding/esr")
    assert (funding, HK.funder, ID["fund/esr"]) in g
    assert (funding, HK.grantingAuthority, ID["org/pohjois-pohjanmaan-ely-keskus"]) in g
    areas = set(g.objects(p, HK.targetArea))
    assert areas == {municipality_iri(c) for c in ("614", "732", "583", "742", "320")} | {
        subregion_iri("194"), region_iri("19")}
    assert {TARGET_GROUP.nuoret, TARGET_GROUP.tyottomat,
            TARGET_GROUP["heikommassa-asemassa-olevat"]} <= set(g.objects(p, HK.targetGroup))
    assert {TARGET_GROUP.ikaantyneet, TARGET_GROUP["lapset-ja-perheet"]} <= set(
        g.objects(p, HK.indirectTargetGroup))
    titles = {(str(t), t.language) for t in g.objects(p, DCTERMS.title)}
    assert titles == {("High five - More wellbeing through co-operation in Eastern Lapland", "en"),
                      ("High five – Yhteistyöllä hyvinvointia Itä-Lappiin", "fi")}
    tg_description = g.value(p, HK.targetGroupDescription)
    assert isinstance(tg_description, Literal) and tg_description.language == "fi"


def test_register_graph_organisation_label_and_kind_s20154(built_graph) -> None:  # type: ignore[no-untyped-def]
    g = built_graph
    org = organisation_iri("Pohjoisen yhteisöjen tuki - Majakka ry")
    assert (org, RDF.type, HK.Association) in g
    assert (org, SKOS.prefLabel, Literal("Pohjoisen yhteisöjen tuki - Majakka ry", lang="fi")) in g
    assert str(g.value(org, HK.legalForm)).endswith("legal-form/rekisteroity-yhdistys")
    assert (org, HK.domicile, municipality_iri("240")) in g
    places = set(g.objects(project_iri("S20154"), HK.targetArea))
    assert {subregion_iri("192"), subregion_iri("193"), region_iri("19")} <= places
    assert len([p for p in places if "/kunta/" in str(p)]) == 6


def test_every_claim_points_to_existing_lines(built, built_graph) -> None:  # type: ignore[no-untyped-def]
    g = built_graph
    lengths = {d.iri: d.line_count for d in built.sources}
    spans = set(g.subjects(RDF.type, HK.SourceSpan))
    assert spans
    for span in spans:
        doc = g.value(span, HK.inDocument)
        first, last = int(g.value(span, HK.firstLine)), int(g.value(span, HK.lastLine))
        assert 1 <= first <= last <= lengths[doc]


def test_parse_register_missing_file_names_it(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="missing_fi.txt"):
        parse_register(tmp_path / "missing_fi.txt")


def test_parse_register_unknown_label_names_file_and_line(tmp_path: Path) -> None:
    text = (SOURCES / "eura_S20154_description_fi.txt").read_text(encoding="utf-8")
    broken = tmp_path / "eura_S1_description_fi.txt"
    broken.write_text(text.replace("Hankekoodi: S20154", "Hankekoodi: S20154\n\nOutolabel: x"),
                      encoding="utf-8")
    with pytest.raises(SourceError, match=r"eura_S1_description_fi.txt:9: unknown label"):
        parse_register(broken)


def test_parse_register_bad_period_is_reported(tmp_path: Path) -> None:
    text = (SOURCES / "eura_S20154_description_fi.txt").read_text(encoding="utf-8")
    broken = tmp_path / "eura_S2_description_fi.txt"
    broken.write_text(text.replace("päättyy 28.2.2018", "päättyy joskus"), encoding="utf-8")
    with pytest.raises(SourceError, match="expected a start and an end date"):
        parse_register(broken)
