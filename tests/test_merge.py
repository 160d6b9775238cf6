"""One node per real project; conflicts between sources kept as claims with an explicit rule."""

from __future__ import annotations

from datetime import date

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS, XSD

from hyvinvointi_kg.build import BuildResult
from hyvinvointi_kg.namespaces import HK, ID, project_iri


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


# --- S20154's granting authority: the catalogue and the register disagree -------------------

def _claims(graph: Graph, subject: URIRef, predicate: URIRef, obj: URIRef) -> list[URIRef]:
    return [c for c in graph.subjects(RDF.subject, subject)
            if (c, RDF.predicate, predicate) in graph and (c, RDF.object, obj) in graph]


def _first_lines(graph: Graph, claims: list[URIRef]) -> set[tuple[str, int]]:
    spans = [graph.value(c, PROV.wasDerivedFrom) for c in claims]
    return {(str(graph.value(s, HK.inDocument)).rsplit("/", 1)[-1], int(str(graph.value(s, HK.firstLine))))
            for s in spans}


def test_s20154_granting_authority_claims_compete_and_the_register_wins(
        built: BuildResult, built_graph: Graph) -> None:
    funding = URIRef(f"{project_iri('S20154')}/funding/esr")
    register_body, catalogue_body = ID["org/pohjois-pohjanmaan-ely-keskus"], ID["org/pohjois-suomen-ely-keskus"]
    # eura_S20154_description_fi.txt:19 "Vastuuviranomainen: Pohjois-Pohjanmaan elinkeino-, liikenne-
    # ja ympäristökeskus"
    winners = _claims(built_graph, funding, HK.grantingAuthority, register_body)
    assert _first_lines(built_graph, winners) == {("eura_S20154_description_fi.txt", 19)}
    assert str(built_graph.value(winners[0], HK.statedAs)).startswith("Pohjois-Pohjanmaan elinkeino-")
    # lapland_projects_catalogue_fi.txt:243, 1678, 2538, 3098, 3810 "Pohjois-Suomen ELY-keskus/ESR"
    # (the project's rows in the Kemi, Keminmaa, Simo, Tervola and Tornio sections)
    losers = _claims(built_graph, funding, HK.grantingAuthority, catalogue_body)
    assert _first_lines(built_graph, losers) == {
        ("lapland_projects_catalogue_fi.txt", line) for line in (243, 1678, 2538, 3098, 3810)}
    for claim in losers:
        assert " ".join(str(built_graph.value(claim, HK.statedAs)).split()) == "Pohjois-Suomen ELY-keskus/ESR"
        assert built_graph.value(claim, HK.supersededBy) == winners[0]
        assert str(built_graph.value(claim, HK.selectionRule)).startswith("source precedence")
    assert list(built_graph.objects(funding, HK.grantingAuthority)) == [register_body]
    conflict = next(c for c in built.conflicts
                    if c.subject == str(funding) and c.predicate == str(HK.grantingAuthority))
    assert (conflict.chosen, conflict.chosen_sources) == (str(register_body), ("eura_S20154_description_fi.txt",))
    assert conflict.rejected == ((str(catalogue_body), ("lapland_projects_catalogue_fi.txt",)),)


def test_s20154_catalogue_body_keeps_its_stated_name(built_graph: Graph) -> None:
    body = ID["org/pohjois-suomen-ely-keskus"]
    assert list(built_graph.objects(body, SKOS.prefLabel)) == [Literal("Pohjois-Suomen ELY-keskus", lang="fi")]
    assert (body, RDF.type, HK.Organisation) not in built_graph  # no such body is asserted to exist


def test_quality_report_shows_both_conflicts_and_the_news_budget(built: BuildResult) -> None:
    from hyvinvointi_kg.report import quality_report

    text = quality_report(built)
    conflicts = text[text.index("## Conflicts between sources"):]
    assert ("| S20154/funding/esr | grantingAuthority | org/pohjois-pohjanmaan-ely-keskus "
            "(eura_S20154_description_fi.txt) | org/pohjois-suomen-ely-keskus "
            "(lapland_projects_catalogue_fi.txt) | source precedence") in conflicts
    # S21758_news_2019-08-07_fi.txt:28 beside the register's planned public total (line 76)
    row = next(line for line in conflicts.splitlines() if line.startswith("| S21758 | 277440"))
    assert "total-budget-incl-municipal-share; S21758_news_2019-08-07_fi.txt:28" in row
    assert "S21758/funding/esr: 277440 € (planned-public-total; eura_S21758_description_en.txt:76)" in row
    assert "221952 € (granted-eu-state; eura_S21758_description_en.txt:72)" in row


def test_project_budgets_lists_the_news_budget_beside_the_funding_amounts(built_graph: Graph) -> None:
    from hyvinvointi_kg.merge import project_budgets

    budgets = project_budgets(built_graph)
    assert [(b.project, b.kind, b.amount, b.sources) for b in budgets] == [
        (str(project_iri("S21758")), "total-budget-incl-municipal-share", "277440",
         ("S21758_news_2019-08-07_fi.txt:28",))]
    kinds = {k for _f, k, _v, _s in budgets[0].funding_amounts}
    assert kinds == {"granted-eu-state", "realised-eu-state", "planned-public-total", "realised-public-total"}
