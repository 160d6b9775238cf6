"""The news-release parser and mojibake repair: every field checked against the source text and lines."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS, XSD

from hyvinvointi_kg._resources import resource_dir
from hyvinvointi_kg.assembly.concepts import ConceptIndex
from hyvinvointi_kg.assembly.places import PlaceIndex, place_graph
from hyvinvointi_kg.assembly.provenance import Stated
from hyvinvointi_kg.errors import SourceError
from hyvinvointi_kg.ingest.news import NewsRecord, news_release_to_graph, parse_news_release, repair_mojibake
from hyvinvointi_kg.ingest.sources import describe_source
from hyvinvointi_kg.ingest.summary_card import parse_summary_card
from hyvinvointi_kg.namespaces import AMOUNT_KIND, HK, ID, TARGET_GROUP, organisation_iri, project_iri
from hyvinvointi_kg.stores.files import load_ontology

SOURCES = resource_dir("data/sources")
NEWS = SOURCES / "S21758_news_2019-08-07_fi.txt"
PROJECT = project_iri("S21758")
FUNDING = URIRef(f"{PROJECT}/funding/esr")
BUDGET = URIRef(f"{PROJECT}/amount/total-budget-incl-municipal-share")
TITLE = "High five – Yhteistyöllä hyvinvointia Itä-Lappiin"
LINE_5 = ("Itä-Lapin kuntayhtymän hallinnoima High five – Yhteistyöllä hyvinvointia Itä-Lappiin -hanke on "
          "saanut myönteisen rahoituspäätöksen ESR / Kestävää kasvua ja työtä -rakennerahastolta.")
LINE_28 = ("Hankkeen kokonaisbudjetti on 277\u00a0440 euroa, josta ESR -rahasto rahoittaa 80 % ja Itä-Lapin "
           "kunnat 20 %. Hankkeen toiminta-alueena on Kemijärvi, Pelkosenniemi, Posio, Salla ja Savukoski. "
           "Hankeaika on 1.9.2019 – 31.8.2021.")
MUNICIPALITY_CODES = {"Kemijärvi": "320", "Pelkosenniemi": "583", "Posio": "614", "Salla": "732",
                      "Savukoski": "742"}


def _line(number: int) -> str:
    """A line of the original (partly mis-encoded) file."""
    return NEWS.read_text(encoding="utf-8").splitlines()[number - 1]


@pytest.fixture(scope="module")
def record() -> NewsRecord:
    return parse_news_release(NEWS)


@pytest.fixture(scope="module")
def places() -> PlaceIndex:
    return PlaceIndex(place_graph())


@pytest.fixture(scope="module")
def concepts() -> ConceptIndex:
    return ConceptIndex(load_ontology())


@pytest.fixture(scope="module")
def graph(record: NewsRecord, places: PlaceIndex, concepts: ConceptIndex) -> Graph:
    return news_release_to_graph(record, describe_source(NEWS), places=places, concepts=concepts)


def _claim(g: Graph, s: URIRef, p: URIRef, o: Literal | URIRef) -> tuple[int, int, str, str | None]:
    """(first line, last line, text as read, rule) of the one claim of ``s p o``.

    The text as read is the repaired text (``hk:repairedAs``) of a line repaired from
    mojibake, else the text as stated (``hk:statedAs``, always the line's raw text).
    """
    claims = [c for c in g.subjects(RDF.subject, s)
              if (c, RDF.predicate, p) in g and (c, RDF.object, o) in g]
    assert len(claims) == 1, claims
    span = g.value(claims[0], PROV.wasDerivedFrom)
    rule = g.value(claims[0], HK.derivationRule)
    text = g.value(claims[0], HK.repairedAs) or g.value(claims[0], HK.statedAs)
    return (int(str(g.value(span, HK.firstLine))), int(str(g.value(span, HK.lastLine))),
            str(text), None if rule is None else str(rule))


# --- repair_mojibake ------------------------------------------------------------------------


def test_repair_mojibake_fixes_line_5() -> None:
    assert _line(5).startswith("It√§-Lapin kuntayhtym√§n hallinnoima High five ‚Äď")
    assert repair_mojibake(_line(5)) == LINE_5


def test_repair_mojibake_fixes_line_28_with_a_no_break_space() -> None:
    assert "277¬†440" in _line(28)
    assert repair_mojibake(_line(28)) == LINE_28


@pytest.mark.parametrize("text", [
    "Itä-Lapin kuntayhtymä", "Yhteistyöllä hyvinvointia Itä-Lappiin", "High five – Yhteistyöllä",
    "277\u00a0440 euroa", "1.9.2019 – 31.3.2022", "ÄÖÅ äöå", "259 577 €", "–ä", "plain ASCII text", "",
])
def test_repair_mojibake_leaves_correct_text_unchanged(text: str) -> None:
    assert repair_mojibake(text) == text


def test_repair_mojibake_leaves_every_other_source_line_unchanged() -> None:
    changed = [(path.name, number)
               for path in sorted(SOURCES.glob("*.txt"))
               for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
               if repair_mojibake(line) != line]
    assert changed == [(NEWS.name, 5), (NEWS.name, 28)]


# --- parse_news_release ----------------------------------------------------------------------


def test_parse_news_release_repairs_lines_5_and_28(record: NewsRecord) -> None:
    assert [(r.line, r.misread_as) for r in record.repairs] == [(5, "mac_latin2"), (28, "mac_latin2")]
    assert "Mac Roman" in record.repairs[0].rule


def test_parse_news_release_published_on_line_3(record: NewsRecord) -> None:
    assert record.published == date(2019, 8, 7) == describe_source(NEWS).issued
    assert record.published_stated == Stated("Julkaistu 07.08.2019", 3, 3) and _line(3) == "Julkaistu 07.08.2019"


def test_parse_news_release_title_and_implementer_on_line_5(record: NewsRecord) -> None:
    assert record.title == Stated(TITLE, 5, 5)
    assert record.implementer_stated == Stated("Itä-Lapin kuntayhtymän hallinnoima", 5, 5)
    assert record.implementer == "Itä-Lapin kuntayhtymä"
    assert record.title.text in LINE_5 and record.implementer_stated.text in LINE_5


def test_parse_news_release_title_is_the_summary_cards(record: NewsRecord) -> None:
    assert record.title.text == parse_summary_card(SOURCES / "S21758_summary_card_fi.txt").title.text


def test_parse_news_release_fund_and_programme_on_line_5(record: NewsRecord) -> None:
    assert record.fund == Stated("ESR", 5, 5)
    assert record.programme == Stated("Kestävää kasvua ja työtä", 5, 5)
    assert "ESR / Kestävää kasvua ja työtä -rakennerahastolta" in LINE_5


def test_parse_news_release_budget_on_line_28(record: NewsRecord) -> None:
    assert record.total_budget == Stated("277\u00a0440 euroa", 28, 28)
    assert record.total_budget_eur == Decimal(277440)
    assert record.total_budget.text in LINE_28


def test_parse_news_release_planned_period_on_line_28(record: NewsRecord) -> None:
    assert record.period == Stated("1.9.2019 – 31.8.2021", 28, 28)
    assert (record.start, record.end) == (date(2019, 9, 1), date(2021, 8, 31))
    assert record.period.text in LINE_28


def test_parse_news_release_municipalities_on_line_28(record: NewsRecord) -> None:
    assert record.municipalities == tuple(Stated(name, 28, 28) for name in MUNICIPALITY_CODES)


def test_parse_news_release_target_group_line_is_16(record: NewsRecord) -> None:
    assert record.target_group_lines == (Stated(_line(16), 16, 16),)
    assert _line(16).startswith("Hankkeen kohderyhmänä on heikommassa asemassa olevat itälappilaiset")


def test_parse_news_release_missing_file_names_it(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="missing_news_2019-01-01_fi.txt"):
        parse_news_release(tmp_path / "missing_news_2019-01-01_fi.txt")


def test_parse_news_release_missing_period_names_file_and_phrase(tmp_path: Path) -> None:
    broken = tmp_path / "S1_news_2019-08-07_fi.txt"
    broken.write_text(NEWS.read_text(encoding="utf-8").replace("Hankeaika on", "Hanke kestaa"), encoding="utf-8")
    with pytest.raises(SourceError, match=r"S1_news_2019-08-07_fi.txt: no line states 'Hankeaika on"):
        parse_news_release(broken)


def test_parse_news_release_second_statement_names_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "S2_news_2019-08-07_fi.txt"
    broken.write_text(NEWS.read_text(encoding="utf-8") + "\nJulkaistu 08.08.2019\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"S2_news_2019-08-07_fi.txt:31: 'Julkaistu d.m.yyyy' stated a second"):
        parse_news_release(broken)


def test_parse_news_release_unknown_genitive_names_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "S3_news_2019-08-07_fi.txt"
    broken.write_text(NEWS.read_text(encoding="utf-8").replace("kuntayhtym√§n hallinnoima", "porukan hallinnoima"),
                      encoding="utf-8")
    with pytest.raises(SourceError, match=r"S3_news_2019-08-07_fi.txt:5: cannot tell the name"):
        parse_news_release(broken)


# --- news_release_to_graph -------------------------------------------------------------------


def test_news_release_to_graph_identifies_the_project_by_title(graph: Graph) -> None:
    first, _, text, rule = _claim(graph, PROJECT, DCTERMS.title, Literal(TITLE, lang="fi"))
    assert (first, text) == (5, TITLE)
    assert rule is not None and "no project code" in rule and "S21758" in rule
    assert (PROJECT, RDF.type, HK.Project) in graph


def test_news_release_to_graph_states_repaired_text_with_a_repair_rule(graph: Graph) -> None:
    _, _, text, rule = _claim(graph, PROJECT, DCTERMS.title, Literal(TITLE, lang="fi"))
    assert "√" not in text and rule is not None and "repaired from mojibake" in rule and "Mac Roman" in rule
    # line 5 as the file holds it: "High five ‚Äď Yhteisty√∂ll√§ hyvinvointia It√§-Lappiin"
    claim = next(c for c in graph.subjects(RDF.object, Literal(TITLE, lang="fi"))
                 if (c, RDF.predicate, DCTERMS.title) in graph)
    assert str(graph.value(claim, HK.statedAs)) in _line(5) and "√" in str(graph.value(claim, HK.statedAs))


def test_news_release_to_graph_lead_implementer(graph: Graph) -> None:
    org = organisation_iri("Itä-Lapin kuntayhtymä")
    first, _, text, rule = _claim(graph, PROJECT, HK.leadImplementer, org)
    assert (first, text) == (5, "Itä-Lapin kuntayhtymän hallinnoima")
    assert rule is not None and "hallinnoima" in rule and "genitive" in rule
    assert (org, SKOS.prefLabel, Literal("Itä-Lapin kuntayhtymä", lang="fi")) in graph


def test_news_release_to_graph_fund_and_programme(graph: Graph) -> None:
    assert (PROJECT, HK.hasFunding, FUNDING) in graph
    assert _claim(graph, FUNDING, HK.funder, ID["fund/esr"])[:3] == (5, 5, "ESR")
    programme = ID["programme/rr-2014-2020"]
    assert _claim(graph, FUNDING, HK.programme, programme)[:3] == (5, 5, "Kestävää kasvua ja työtä")


def test_news_release_to_graph_total_budget_is_the_projects(graph: Graph) -> None:
    # S21758_news_2019-08-07_fi.txt:28 "Hankkeen kokonaisbudjetti on 277 440 euroa, josta ESR
    # -rahasto rahoittaa 80 % ja Itä-Lapin kunnat 20 %": the whole project's budget, the
    # municipalities' share included, so it is on the project and not on the ESF funding.
    first, _, _text, rule = _claim(graph, PROJECT, HK.projectBudget, BUDGET)
    assert first == 28 and rule is not None and "mojibake" in rule
    assert (FUNDING, HK.hasAmount, BUDGET) not in graph
    assert not [a for a in graph.objects(FUNDING, HK.hasAmount)
                if graph.value(a, HK.amountKind) in (AMOUNT_KIND["total-budget"],
                                                    AMOUNT_KIND["total-budget-incl-municipal-share"])]
    assert graph.value(BUDGET, HK.amountKind) == AMOUNT_KIND["total-budget-incl-municipal-share"]
    assert graph.value(BUDGET, HK.amount) == Literal(Decimal(277440), datatype=XSD.decimal)
    assert graph.value(BUDGET, HK.currency) == Literal("EUR")


def test_news_release_to_graph_budget_kind_rests_on_the_share_clause(graph: Graph) -> None:
    kind = AMOUNT_KIND["total-budget-incl-municipal-share"]
    first, last, _text, rule = _claim(graph, BUDGET, HK.amountKind, kind)
    assert (first, last) == (28, 28) and rule is not None and "municipalities' share" in rule


def test_parse_news_release_budget_shares() -> None:
    record = parse_news_release(NEWS)
    assert record.total_budget_shares is not None
    assert record.total_budget_shares.text == "josta ESR -rahasto rahoittaa 80 % ja Itä-Lapin kunnat 20 %"
    assert record.total_budget_shares.text in LINE_28


def test_news_release_to_graph_planned_period(graph: Graph) -> None:
    for prop, day in ((HK.start, date(2019, 9, 1)), (HK.end, date(2021, 8, 31)),
                      (HK.startDate, date(2019, 9, 1)), (HK.endDate, date(2021, 8, 31))):
        assert _claim(graph, PROJECT, prop, Literal(day, datatype=XSD.date))[:3] == (
            28, 28, "1.9.2019 – 31.8.2021")
    assert graph.value(PROJECT, HK.period) is None


def test_news_release_to_graph_target_area(graph: Graph, places: PlaceIndex) -> None:
    expected = {places.resolve(name, kind="municipality") for name in MUNICIPALITY_CODES}
    assert set(graph.objects(PROJECT, HK.targetArea)) == expected
    assert {str(p).rsplit("/", 1)[-1] for p in expected} == set(MUNICIPALITY_CODES.values())
    kemijarvi = places.resolve("Kemijärvi", kind="municipality")
    assert kemijarvi is not None and _claim(graph, PROJECT, HK.targetArea, kemijarvi)[:3] == (28, 28, "Kemijärvi")


def test_news_release_to_graph_target_groups_from_line_16(graph: Graph) -> None:
    assert set(graph.objects(PROJECT, HK.targetGroup)) == {
        TARGET_GROUP[k] for k in ("heikommassa-asemassa-olevat", "nuoret", "ammattilaiset", "yritykset")}
    first, _, text, rule = _claim(graph, PROJECT, HK.targetGroup, TARGET_GROUP.nuoret)
    assert (first, text, rule) == (16, _line(16), "keyword 'nuoret'")


def test_news_release_to_graph_puts_no_publication_date_on_the_project(graph: Graph) -> None:
    assert graph.value(PROJECT, DCTERMS.issued) is None
    assert graph.value(PROJECT, DCTERMS.date) is None


def test_news_release_to_graph_unknown_title_names_file_and_line(
    record: NewsRecord, places: PlaceIndex, concepts: ConceptIndex
) -> None:
    other = dataclasses.replace(record, title=Stated("Toinen hanke", 5, 5))
    with pytest.raises(SourceError, match=r"S21758_news_2019-08-07_fi.txt:5: no known project has the title"):
        news_release_to_graph(other, describe_source(NEWS), places=places, concepts=concepts)


def test_news_release_to_graph_unknown_municipality_names_file_and_line(
    record: NewsRecord, places: PlaceIndex, concepts: ConceptIndex
) -> None:
    other = dataclasses.replace(record, municipalities=(Stated("Atlantis", 28, 28),))
    with pytest.raises(SourceError, match=r"S21758_news_2019-08-07_fi.txt:28: unknown municipality 'Atlantis'"):
        news_release_to_graph(other, describe_source(NEWS), places=places, concepts=concepts)


def test_news_release_families_who_only_benefit_are_an_indirect_target_group(graph: Graph) -> None:
    # line 16: "Hankkeen lopputuotoksista hyötyvät myös niin sanotut tavalliset, hyvinvoivat lapsiperheet."
    families = TARGET_GROUP["lapset-ja-perheet"]
    first, last, _, rule = _claim(graph, PROJECT, HK.indirectTargetGroup, families)
    assert (first, last) == (16, 16) and rule is not None and "hyötyvät" in rule
    assert not [
        c for c in graph.subjects(RDF.subject, PROJECT)
        if (c, RDF.predicate, HK.targetGroup) in graph and (c, RDF.object, families) in graph]
    assert set(graph.objects(PROJECT, HK.indirectTargetGroup)) == {families}
