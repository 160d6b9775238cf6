"""One node per real project; conflicts between sources kept as claims with an explicit rule."""

from __future__ import annotations

from datetime import date

from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, RDF, XSD

from hyvinvointi_kg.build import BuildResult
from hyvinvointi_kg.namespaces import HK, project_iri


def test_s20154_is_one_project_from_register_and_five_catalogue_sections(built_graph: Graph) -> None:
    project = project_iri("S20154")
    records = set(built_graph.subjects(HK.describes, project))
    sections = {str(built_graph.value(r, HK.section)) for r in records}
    assert sections == {"Kemi", "Keminmaa", "Simo", "Tervola", "Tornio"}
    documents = {str(d) for d in built_graph.objects(project, DCTERMS.source)}
    assert any(d.endswith("eura_S20154_description_fi.txt") for d in documents)
    assert any(d.endswith("lapland_projects_catalogue_fi.txt") for d in documents)
    assert len(list(built_graph.objects(project, HK.leadImplementer))) == 1


def test_s21758_is_one_project_from_three_documents(built_graph: Graph) -> None:
    documents = {str(d).rsplit("/", 1)[-1]
                 for d in built_graph.objects(project_iri("S21758"), DCTERMS.source)}
    assert {"eura_S21758_description_en.txt", "S21758_summary_card_fi.txt",
            "S21758_news_2019-08-07_fi.txt"} <= documents


def test_register_end_date_beats_news_release(built: BuildResult, built_graph: Graph) -> None:
    project = project_iri("S21758")
    assert list(built_graph.objects(project, HK.endDate)) == [
        Literal(date(2022, 3, 31), datatype=XSD.date)]
    conflict = next(c for c in built.conflicts
                    if c.subject == str(project) and c.predicate == str(HK.end))
    assert conflict.chosen == "2022-03-31"
    assert conflict.rejected == (("2021-08-31", ("S21758_news_2019-08-07_fi.txt",)),)
    assert conflict.rule.startswith("source precedence")
    losing = [c for c in built_graph.subjects(RDF.object, Literal(date(2021, 8, 31), datatype=XSD.date))
              if built_graph.value(c, RDF.predicate) == HK.end
              and built_graph.value(c, RDF.subject) == project]
    assert losing and all((c, HK.supersededBy, None) in built_graph for c in losing)


def test_every_project_has_one_current_value_per_single_valued_property(built_graph: Graph) -> None:
    for project in built_graph.subjects(RDF.type, HK.Project):
        for prop in (HK.start, HK.end, HK.startDate, HK.endDate, HK.leadImplementer, HK.status):
            assert len(list(built_graph.objects(project, prop))) <= 1, (project, prop)


def test_same_name_different_lead_stays_two_projects(built_graph: Graph) -> None:
    titles = [p for p in built_graph.subjects(RDF.type, HK.Project)
              if any(str(t).casefold() == "digitaalisuus ja palveluiden saavutettavuus maaseudulla"
                     for t in built_graph.objects(p, DCTERMS.title))]
    assert len(titles) == 2
    leads = {built_graph.value(p, HK.leadImplementer) for p in titles}
    assert len(leads) == 2
