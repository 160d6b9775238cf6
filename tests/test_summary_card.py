"""The summary-card parser: every field checked against the source text and its line numbers."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, SKOS, XSD

from hyvinvointi_kg._resources import resource_dir
from hyvinvointi_kg.assembly.concepts import ConceptIndex
from hyvinvointi_kg.assembly.places import PlaceIndex, place_graph
from hyvinvointi_kg.assembly.provenance import Stated
from hyvinvointi_kg.assembly.vocabulary import LabelIndex
from hyvinvointi_kg.errors import SourceError
from hyvinvointi_kg.ingest.register import parse_register, register_to_graph
from hyvinvointi_kg.ingest.sources import describe_source
from hyvinvointi_kg.ingest.summary_card import SummaryCardRecord, parse_summary_card, summary_card_to_graph
from hyvinvointi_kg.namespaces import AMOUNT_KIND, HK, ID, TARGET_GROUP, organisation_iri, project_iri
from hyvinvointi_kg.stores.files import load_ontology, parse_rdf

SOURCES = resource_dir("data/sources")
CARD = SOURCES / "S21758_summary_card_fi.txt"
PROJECT = project_iri("S21758")
FUNDING = URIRef(f"{PROJECT}/funding/esr")
AMOUNT = URIRef(f"{FUNDING}/amount/realised-public-total")


def _line(number: int) -> str:
    return CARD.read_text(encoding="utf-8").splitlines()[number - 1].strip()


def _lines(first: int, last: int) -> str:
    """The non-blank source lines first..last, joined as the card's wrapped text is."""
    return " ".join(line for n in range(first, last + 1) if (line := _line(n)))


@pytest.fixture(scope="module")
def record() -> SummaryCardRecord:
    return parse_summary_card(CARD)


@pytest.fixture(scope="module")
def concepts() -> ConceptIndex:
    return ConceptIndex(load_ontology())


@pytest.fixture(scope="module")
def authorities() -> LabelIndex:
    funding = parse_rdf(resource_dir("data/reference") / "funding.ttl")
    return LabelIndex(funding, {HK.StateAgency, HK.RegionalCouncil, HK.Ministry})


@pytest.fixture(scope="module")
def graph(record: SummaryCardRecord, concepts: ConceptIndex, authorities: LabelIndex) -> Graph:
    return summary_card_to_graph(record, describe_source(CARD), concepts=concepts, authorities=authorities)


def _claim(g: Graph, s: URIRef, p: URIRef, o: Literal | URIRef) -> tuple[int, int, str, str | None]:
    """(first line, last line, stated text, rule) of the one claim of ``s p o``."""
    claims = [c for c in g.subjects(RDF.subject, s)
              if (c, RDF.predicate, p) in g and (c, RDF.object, o) in g]
    assert len(claims) == 1, claims
    span = g.value(claims[0], PROV.wasDerivedFrom)
    rule = g.value(claims[0], HK.derivationRule)
    return (int(str(g.value(span, HK.firstLine))), int(str(g.value(span, HK.lastLine))),
            str(g.value(claims[0], HK.statedAs)), None if rule is None else str(rule))


# --- parse_summary_card -----------------------------------------------------------------


def test_parse_summary_card_identification_is_on_line_7(record: SummaryCardRecord) -> None:
    assert record.project_code == Stated("S21758", 7, 7)
    assert record.title == Stated("High five – Yhteistyöllä hyvinvointia Itä-Lappiin", 7, 7)
    assert record.period == Stated("1.9.2019 – 31.3.2022", 7, 7)
    assert (record.start, record.end) == (date(2019, 9, 1), date(2022, 3, 31))
    for stated in (record.project_code, record.title, record.period):
        assert stated.text in _line(7)


def test_parse_summary_card_funding_is_on_line_15(record: SummaryCardRecord) -> None:
    assert record.granting_authority == Stated("Pohjois-Pohjanmaan ELY-keskus", 15, 15)
    assert record.realised_public_funding == Stated("259 577 €", 15, 15)
    assert record.realised_public_funding_eur == Decimal(259577)
    assert _line(15) == "Pohjois-Pohjanmaan ELY-keskus, 259 577 €"


def test_parse_summary_card_inline_implementer_is_on_line_17(record: SummaryCardRecord) -> None:
    assert record.implementer == Stated("Itä-Lapin kuntayhtymä", 17, 17)
    assert _line(17) == "Toteuttajat Itä-Lapin kuntayhtymä"


def test_parse_summary_card_target_groups_span_lines_21_to_25(record: SummaryCardRecord) -> None:
    assert (record.target_groups.first_line, record.target_groups.last_line) == (21, 25)
    assert record.target_groups.text == _lines(21, 25)
    assert record.target_groups.text.startswith("Heikommassa asemassa olevat itälappilaiset")
    assert [(s.first_line, s.text) for s in record.target_group_lines] == [
        (n, _line(n)) for n in (21, 23, 25)]


@pytest.mark.parametrize(("field", "first", "last", "start"), [
    ("goals", 31, 35, "Heikoimmassa asemassa olevien hyvinvoinnin edistäminen;"),
    ("approach", 39, 45, "Alueen yhteisen osallisuuskoordinaattori-toimintamallin kokeilu"),
    ("outputs", 49, 51, "Lupaavat osallisuuden käytännöt ja palaset"),
    ("results", 57, 63, "Yhteydenoton kynnys madaltui,"),
    ("remarks", 71, 73, "Asiakastyöhön ja yhteistyöhön vaikutti"),
])
def test_parse_summary_card_text_field_matches_its_lines(
    record: SummaryCardRecord, field: str, first: int, last: int, start: str
) -> None:
    stated = getattr(record, field)
    assert (stated.first_line, stated.last_line) == (first, last)
    assert stated.text == _lines(first, last)
    assert stated.text.startswith(start)


def test_parse_summary_card_value_on_the_label_line_is_split_off(record: SummaryCardRecord) -> None:
    assert record.dissemination == Stated(
        "Toteutetun hyvinvointi- ja turvallisuuskyselyn tulokset liitettiin hyvinvointikertomukseen", 65, 65)
    assert _line(65).startswith("Levittäminen ja juurrutus Toteutetun")


def test_parse_summary_card_label_broken_mid_word_is_recognised(record: SummaryCardRecord) -> None:
    assert (_line(67), _line(69)) == ("Erityishuomioita, kehittä-", "mistyön ongelmia")
    assert record.remarks is not None and record.remarks.first_line == 71
    assert record.dissemination is not None and record.dissemination.last_line == 65
    assert "Erityishuomioita" not in record.dissemination.text and "mistyön" not in record.remarks.text


def test_parse_summary_card_page_is_the_url_on_line_77(record: SummaryCardRecord) -> None:
    url = "https://www.eura2014.fi/rrtiepa/projekti.php?projektikoodi=S21758"
    assert record.page == Stated(url, 77, 77)
    assert _line(77) == url
    assert record.remarks is not None and url not in record.remarks.text


def test_parse_summary_card_missing_file_names_it(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="missing_summary_card_fi.txt"):
        parse_summary_card(tmp_path / "missing_summary_card_fi.txt")


def test_parse_summary_card_missing_label_names_file_and_label(tmp_path: Path) -> None:
    broken = tmp_path / "S1_summary_card_fi.txt"
    broken.write_text(CARD.read_text(encoding="utf-8").replace("Toteuttajat Itä-Lapin kuntayhtymä", ""),
                      encoding="utf-8")
    with pytest.raises(SourceError, match=r"S1_summary_card_fi.txt: required label\(s\) not found: 'Toteuttajat'"):
        parse_summary_card(broken)


def test_parse_summary_card_bad_identification_names_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "S2_summary_card_fi.txt"
    broken.write_text(CARD.read_text(encoding="utf-8").replace("1.9.2019 – 31.3.2022", "syksystä 2019"),
                      encoding="utf-8")
    with pytest.raises(SourceError, match=r"S2_summary_card_fi.txt:7: expected 'code, title"):
        parse_summary_card(broken)


def test_parse_summary_card_several_implementers_is_an_error(tmp_path: Path) -> None:
    broken = tmp_path / "S3_summary_card_fi.txt"
    broken.write_text(CARD.read_text(encoding="utf-8").replace(
        "Toteuttajat Itä-Lapin kuntayhtymä", "Toteuttajat Itä-Lapin kuntayhtymä; Lapin liitto"), encoding="utf-8")
    with pytest.raises(SourceError, match=r"S3_summary_card_fi.txt:17: several implementers"):
        parse_summary_card(broken)


# --- summary_card_to_graph ------------------------------------------------------------------


def test_summary_card_to_graph_project_code_title_and_period(graph: Graph) -> None:
    assert _claim(graph, PROJECT, HK.projectCode, Literal("S21758"))[:3] == (7, 7, "S21758")
    title = Literal("High five – Yhteistyöllä hyvinvointia Itä-Lappiin", lang="fi")
    assert _claim(graph, PROJECT, DCTERMS.title, title)[:2] == (7, 7)
    for prop, day in ((HK.start, date(2019, 9, 1)), (HK.end, date(2022, 3, 31)),
                      (HK.startDate, date(2019, 9, 1)), (HK.endDate, date(2022, 3, 31))):
        assert _claim(graph, PROJECT, prop, Literal(day, datatype=XSD.date))[:3] == (
            7, 7, "1.9.2019 – 31.3.2022")


def test_summary_card_to_graph_has_no_owl_time_interval(graph: Graph) -> None:
    assert graph.value(PROJECT, HK.period) is None


def test_summary_card_to_graph_lead_implementer(graph: Graph) -> None:
    org = organisation_iri("Itä-Lapin kuntayhtymä")
    first, last, text, rule = _claim(graph, PROJECT, HK.leadImplementer, org)
    assert (first, last, text) == (17, 17, "Itä-Lapin kuntayhtymä")
    assert rule is not None and "single implementer" in rule
    assert (org, SKOS.prefLabel, Literal("Itä-Lapin kuntayhtymä", lang="fi")) in graph


def test_summary_card_to_graph_granting_authority_on_the_esf_funding(graph: Graph) -> None:
    ely = ID["org/pohjois-pohjanmaan-ely-keskus"]
    assert _claim(graph, FUNDING, HK.grantingAuthority, ely)[:3] == (15, 15, "Pohjois-Pohjanmaan ELY-keskus")
    first, _, _, rule = _claim(graph, FUNDING, HK.funder, ID["fund/esr"])
    assert first == 7 and rule is not None and "ESF" in rule and "register" in rule
    assert (PROJECT, HK.hasFunding, FUNDING) in graph


def test_summary_card_to_graph_realised_public_funding(graph: Graph) -> None:
    assert _claim(graph, FUNDING, HK.hasAmount, AMOUNT)[:3] == (15, 15, "259 577 €")
    assert graph.value(AMOUNT, HK.amountKind) == AMOUNT_KIND["realised-public-total"]
    assert graph.value(AMOUNT, HK.amount) == Literal(Decimal(259577), datatype=XSD.decimal)
    assert graph.value(AMOUNT, HK.currency) == Literal("EUR")
    assert (AMOUNT, RDF.type, HK.MonetaryAmount) in graph


def test_summary_card_to_graph_amount_merges_with_the_register(
    graph: Graph, concepts: ConceptIndex, authorities: LabelIndex
) -> None:
    path = SOURCES / "eura_S21758_description_en.txt"
    register = register_to_graph(parse_register(path), describe_source(path), places=PlaceIndex(place_graph()),
                                 concepts=concepts, authorities=authorities)
    for triple in ((FUNDING, HK.hasAmount, AMOUNT),
                   (AMOUNT, HK.amount, Literal(Decimal(259577), datatype=XSD.decimal)),
                   (FUNDING, HK.grantingAuthority, ID["org/pohjois-pohjanmaan-ely-keskus"]),
                   (PROJECT, HK.leadImplementer, organisation_iri("Itä-Lapin kuntayhtymä"))):
        assert triple in graph and triple in register


def test_summary_card_to_graph_target_groups(graph: Graph) -> None:
    description = graph.value(PROJECT, HK.targetGroupDescription)
    assert isinstance(description, Literal) and description.language == "fi"
    assert str(description).startswith("Heikommassa asemassa olevat itälappilaiset")
    assert set(graph.objects(PROJECT, HK.targetGroup)) == {TARGET_GROUP["heikommassa-asemassa-olevat"]}
    first, _, text, rule = _claim(graph, PROJECT, HK.targetGroup, TARGET_GROUP["heikommassa-asemassa-olevat"])
    assert (first, text, rule) == (21, _line(21), "keyword 'heikommassa asemassa'")


@pytest.mark.parametrize(("prop", "first", "last"), [
    (HK.goals, 31, 35), (HK.approach, 39, 45), (HK.outputs, 49, 51), (HK.results, 57, 63)])
def test_summary_card_to_graph_text_fields_in_finnish(graph: Graph, prop: URIRef, first: int, last: int) -> None:
    value = graph.value(PROJECT, prop)
    assert value == Literal(_lines(first, last), lang="fi")
    assert _claim(graph, PROJECT, prop, value)[:2] == (first, last)


def test_summary_card_to_graph_adds_no_description(graph: Graph) -> None:
    assert graph.value(PROJECT, DCTERMS.description) is None


def test_summary_card_to_graph_page(graph: Graph) -> None:
    page = URIRef("https://www.eura2014.fi/rrtiepa/projekti.php?projektikoodi=S21758")
    assert _claim(graph, PROJECT, FOAF.page, page)[:2] == (77, 77)


def test_summary_card_to_graph_unknown_authority_names_file_and_line(
    record: SummaryCardRecord, concepts: ConceptIndex
) -> None:
    with pytest.raises(SourceError, match=r"S21758_summary_card_fi.txt:15: unknown authority"):
        summary_card_to_graph(record, describe_source(CARD), concepts=concepts,
                              authorities=LabelIndex(Graph(), {HK.StateAgency}))


def test_summary_card_to_graph_code_without_known_fund_is_an_error(
    record: SummaryCardRecord, concepts: ConceptIndex, authorities: LabelIndex
) -> None:
    other = dataclasses.replace(record, project_code=Stated("X12345", 7, 7))
    with pytest.raises(SourceError, match=r"S21758_summary_card_fi.txt:7: project code 'X12345'"):
        summary_card_to_graph(other, describe_source(CARD), concepts=concepts, authorities=authorities)
