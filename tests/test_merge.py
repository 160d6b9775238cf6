"""One node per real project; conflicts between sources kept as claims with an explicit rule."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS, XSD
from rdflib.term import Node

from hyvinvointi_kg.assembly.assemble import Assembly
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


def test_register_end_date_beats_news_release(built: Assembly, built_graph: Graph) -> None:
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

def _claims(graph: Graph, subject: URIRef, predicate: URIRef, obj: URIRef) -> list[Node]:
    return [c for c in graph.subjects(RDF.subject, subject)
            if (c, RDF.predicate, predicate) in graph and (c, RDF.object, obj) in graph]


def _first_lines(graph: Graph, claims: Sequence[Node]) -> set[tuple[str, int]]:
    spans = [graph.value(c, PROV.wasDerivedFrom) for c in claims]
    return {(str(graph.value(s, HK.inDocument)).rsplit("/", 1)[-1], int(str(graph.value(s, HK.firstLine))))
            for s in spans}


def test_s20154_granting_authority_claims_compete_and_the_register_wins(
        built: Assembly, built_graph: Graph) -> None:
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


def test_quality_report_shows_both_conflicts_and_the_news_budget(built: Assembly) -> None:
    from hyvinvointi_kg.assembly.report import quality_report

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
    from hyvinvointi_kg.assembly.merge import project_budgets

    budgets = project_budgets(built_graph)
    assert [(b.project, b.kind, b.amount, b.sources) for b in budgets] == [
        (str(project_iri("S21758")), "total-budget-incl-municipal-share", "277440",
         ("S21758_news_2019-08-07_fi.txt:28",))]
    kinds = {k for _f, k, _v, _s in budgets[0].funding_amounts}
    assert kinds == {"granted-eu-state", "realised-eu-state", "planned-public-total", "realised-public-total"}


# --- the rule, step by step -------------------------------------------------------------------

def test_s21758_start_is_agreed_and_its_end_follows_the_register(built_graph: Graph) -> None:
    # eura_S21758_description_en.txt:13 'Start 1.9.2019 and end 31.3.2022'; S21758_summary_card_fi.txt:7
    # '1.9.2019 – 31.3.2022'; S21758_news_2019-08-07_fi.txt:28 'Hankeaika on 1.9.2019 – 31.8.2021'
    project = project_iri("S21758")
    assert list(built_graph.objects(project, HK.start)) == [Literal(date(2019, 9, 1), datatype=XSD.date)]
    news_end = Literal(date(2021, 8, 31), datatype=XSD.date)
    losing = [c for c in built_graph.subjects(RDF.object, news_end)
              if built_graph.value(c, RDF.subject) == project and built_graph.value(c, RDF.predicate) == HK.end]
    assert _first_lines(built_graph, losing) == {("S21758_news_2019-08-07_fi.txt", 28)}
    winner = built_graph.value(losing[0], HK.supersededBy)
    assert built_graph.value(winner, RDF.object) == Literal(date(2022, 3, 31), datatype=XSD.date)
    assert str(built_graph.value(losing[0], HK.selectionRule)) == (
        "source precedence (register > summary card > catalogue > news release)")


def _period_claims_by_line(graph: Graph, project: URIRef, predicate: URIRef) -> dict[int, tuple[str, bool]]:
    """First catalogue line of each claim -> (value, superseded)."""
    found = {}
    for claim in graph.subjects(RDF.subject, project):
        if graph.value(claim, RDF.predicate) == predicate:
            ((_file, line),) = _first_lines(graph, [claim])
            found[line] = (str(graph.value(claim, RDF.object)), (claim, HK.supersededBy, None) in graph)
    return found


def test_seniorin_evaat_period_is_the_union_of_its_catalogue_rows(built: Assembly, built_graph: Graph) -> None:
    # Two STEA grants of one project, each row repeated in three sections:
    # catalogue 950, 2014, 4462: 'STEA 2021 Yli 65-vuotiaiden ...' (the year 2021);
    # catalogue 971-972, 2037-2038, 4483-4484: 'STEA 2020-' / '2022'.
    project = ID["project/seniorin-evaat"]
    assert _period_claims_by_line(built_graph, project, HK.start) == {
        950: ("2021", True), 2014: ("2021", True), 4462: ("2021", True),
        971: ("2020", False), 2037: ("2020", False), 4483: ("2020", False)}
    assert _period_claims_by_line(built_graph, project, HK.end) == {
        950: ("2021", True), 2014: ("2021", True), 4462: ("2021", True),
        971: ("2022", False), 2037: ("2022", False), 4483: ("2022", False)}
    assert built_graph.value(project, HK.startDate) == Literal(date(2020, 1, 1), datatype=XSD.date)
    assert built_graph.value(project, HK.endDate) == Literal(date(2022, 12, 31), datatype=XSD.date)
    rules = {(c.predicate.rsplit("#", 1)[-1], c.rule) for c in built.conflicts if c.subject == str(project)}
    assert rules == {("start", "union of the periods stated by records of equal standing"),
                     ("end", "union of the periods stated by records of equal standing")}


def test_resolve_conflicts_decides_exactly_where_sources_disagree(built: Assembly, built_graph: Graph) -> None:
    # Counted independently with one SPARQL query: a subject and single-valued property
    # (a title per language) with claims of more than one value.
    rows = built_graph.query("""
        PREFIX hk: <https://w3id.org/hyvinvointi-kg/ontology#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        SELECT ?s ?p WHERE {
          ?c a hk:Claim ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o .
          VALUES ?p { hk:start hk:end hk:status hk:leadImplementer hk:amount hk:grantingAuthority
                      <http://purl.org/dc/terms/title> }
        } GROUP BY ?s ?p (LANG(?o) AS ?lang) HAVING (COUNT(DISTINCT ?o) > 1)""")
    disagreements = {(str(s), str(p)) for s, p in rows}  # type: ignore[misc]
    assert disagreements == {(c.subject, c.predicate) for c in built.conflicts}
    assert len(disagreements) == 4  # the four rows of build-report.md's "Conflicts between sources"


def _claim_graph(*claims: tuple[URIRef, str, Literal, int]) -> Graph:
    """Claims of hk:end on <p>: (document kind, file name, value, line) each."""
    graph = Graph()
    project = URIRef("https://example.org/p")
    for number, (kind, name, value, line) in enumerate(claims):
        claim, span, document = (URIRef(f"https://example.org/{x}{number}") for x in ("c", "s", "d"))
        graph.add((document, RDF.type, kind))
        graph.add((document, HK.fileName, Literal(name)))
        graph.add((span, HK.inDocument, document))
        graph.add((span, HK.firstLine, Literal(line)))
        graph.add((claim, RDF.type, HK.Claim))
        graph.add((claim, RDF.subject, project))
        graph.add((claim, RDF.predicate, HK.end))
        graph.add((claim, RDF.object, value))
        graph.add((claim, PROV.wasDerivedFrom, span))
        graph.add((project, HK.end, value))
    return graph


def test_resolve_conflicts_source_precedence_comes_before_precision() -> None:
    from hyvinvointi_kg.assembly.merge import resolve_conflicts

    graph = _claim_graph((HK.Catalogue, "cat.txt", Literal(date(2020, 6, 30), datatype=XSD.date), 1),
                         (HK.RegisterDescription, "reg.txt", Literal("2020", datatype=XSD.gYear), 9))
    (conflict,) = resolve_conflicts(graph)
    assert (conflict.chosen, conflict.rejected) == ("2020", (("2020-06-30", ("cat.txt",)),))
    assert conflict.rule.startswith("source precedence")


def test_resolve_conflicts_more_precise_value_among_equals() -> None:
    from hyvinvointi_kg.assembly.merge import resolve_conflicts

    graph = _claim_graph((HK.Catalogue, "cat.txt", Literal("2021", datatype=XSD.gYear), 1),
                         (HK.Catalogue, "cat.txt", Literal("2020-12", datatype=XSD.gYearMonth), 5))
    (conflict,) = resolve_conflicts(graph)
    assert (conflict.chosen, conflict.rule) == ("2020-12", "more precise value")
    project = URIRef("https://example.org/p")
    assert list(graph.objects(project, HK.end)) == [Literal("2020-12", datatype=XSD.gYearMonth)]
    loser = URIRef("https://example.org/c0")
    assert graph.value(loser, HK.supersededBy) == URIRef("https://example.org/c1")
    assert str(graph.value(loser, HK.selectionRule)) == "more precise value"


def test_resolve_conflicts_agreeing_sources_are_no_conflict() -> None:
    from hyvinvointi_kg.assembly.merge import resolve_conflicts

    same = Literal(date(2022, 3, 31), datatype=XSD.date)
    graph = _claim_graph((HK.NewsRelease, "news.txt", same, 3), (HK.RegisterDescription, "reg.txt", same, 13))
    assert resolve_conflicts(graph) == []
    assert not list(graph.subject_objects(HK.supersededBy))
