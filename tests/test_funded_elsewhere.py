"""Funded elsewhere? The two queries and funded_elsewhere(): golden rows traced to the sources,
counts against an independent count from the graph's triples, and the same answer on Oxigraph."""

from __future__ import annotations

from datetime import date

import pandas
import pytest
from rdflib import Graph, URIRef

from hyvinvointi_kg.analysis.funded_elsewhere import FundedElsewhere, funded_elsewhere
from hyvinvointi_kg.namespaces import HK
from hyvinvointi_kg.stores.files import load_graph

PROJECT = "https://w3id.org/hyvinvointi-kg/id/project/"
MAJAKKA = "https://w3id.org/hyvinvointi-kg/id/org/pohjoisen-yhteisojen-tuki-majakka-ry"
YHTA_KOYTTA = PROJECT + "yhta-koytta-kylien-hyvinvoinnin-monipalvelupisteet-lansi-pohjassa"
CATALOGUE = "lapland_projects_catalogue_fi.txt"
REGISTER = "eura_S20154_description_fi.txt"
ESR = "Euroopan sosiaalirahasto"
MAASEUTU = "Euroopan maaseudun kehittämisen maatalousrahasto"


@pytest.fixture(scope="module")
def graph() -> Graph:
    return load_graph()


@pytest.fixture(scope="module")
def found(graph: Graph) -> FundedElsewhere:
    return funded_elsewhere(graph)


def _funders(graph: Graph, project: URIRef) -> set[URIRef]:
    return {f for funding in graph.objects(project, HK.hasFunding) for f in graph.objects(funding, HK.funder)
            if isinstance(f, URIRef)}


def _implemented(graph: Graph) -> dict[URIRef, set[URIRef]]:
    """Organisation -> the projects it leads or is a partner in, from the triples."""
    projects: dict[URIRef, set[URIRef]] = {}
    for role in (HK.leadImplementer, HK.partner):
        for project, org in graph.subject_objects(role):
            assert isinstance(project, URIRef) and isinstance(org, URIRef)
            projects.setdefault(org, set()).add(project)
    return projects


def _rows(frame: pandas.DataFrame) -> list[str]:
    return sorted(map(repr, frame.astype(str).values.tolist()))


def test_organisations_majakka_golden(found: FundedElsewhere) -> None:
    # Majakka leads three projects: S20154, ESR ("Euroopan sosiaalirahaston (ESR) rahoittaman",
    # register line 3; catalogue lines 243-248 and the same row in four more sections);
    # EVÄITÄ REPPUUN, "ESR 2014-2020/ELY" (catalogue lines 133-136); YHTÄ KÖYTTÄ, "Peräpohjolan
    # Leader, Outokaira Tuottamhan" (catalogue lines 9060-9064: Leader groups, the rural fund).
    rows = found.organisations[found.organisations["organisation"] == MAJAKKA].to_dict("records")
    assert len(rows) == 1
    row = rows[0]
    assert (row["organisation_label"], row["funder_count"], row["project_count"]) == (
        "Pohjoisen yhteisöjen tuki - Majakka ry", 2, 3)
    assert row["funders"] == f"{MAASEUTU} | {ESR}"
    assert row["projects"].split(" | ") == [
        f"EVÄITÄ REPPUUN - osallisuutta ja osaamista järjestöistä [{ESR}; lead]",
        f"Hyvinvointia yhteistyöllä Meri-Lapissa [{ESR}; lead]",
        f"YHTÄ KÖYTTÄ -Kylien hyvinvoinnin monipalvelupisteet Länsi-Pohjassa [{MAASEUTU}; lead]"]
    sources = set(row["sources"].split(" | "))
    assert {f"{REGISTER}:3-3", f"{CATALOGUE}:133-136", f"{CATALOGUE}:243-248", f"{CATALOGUE}:9060-9064"} <= sources
    assert len(sources) == 12  # S20154 is in five catalogue sections: 1 + 1 + 5 + 5 spans


def test_pairs_majakka_golden(found: FundedElsewhere) -> None:
    # S20154 runs 1.3.2015 - 28.2.2018 (register line 15), applicant Majakka (line 23), ESR (line 3);
    # YHTÄ KÖYTTÄ 2016-2020 with Majakka and its Leader funders on catalogue lines 9060-9064. EVÄITÄ
    # REPPUUN starts 1.7.2021 (line 135), after both: no pair with it.
    rows = found.pairs[found.pairs["organisation"] == MAJAKKA].to_dict("records")
    assert len(rows) == 1
    row = rows[0]
    assert {k: row[k] for k in ("project_a", "project_b", "role_a", "role_b", "overlap_start", "overlap_end",
                                "funder_a", "funder_b")} == {
        "project_a": PROJECT + "S20154", "project_b": YHTA_KOYTTA, "role_a": "lead", "role_b": "lead",
        "overlap_start": date(2016, 1, 1), "overlap_end": date(2018, 2, 28), "funder_a": ESR, "funder_b": MAASEUTU}
    assert {f"{REGISTER}:3-3", f"{REGISTER}:15-15", f"{REGISTER}:23-23"} <= set(row["sources_a"].split(" | "))
    assert row["sources_b"] == f"{CATALOGUE}:9060-9060 | {CATALOGUE}:9060-9064"


def test_organisations_count_equals_a_count_from_the_triples(graph: Graph, found: FundedElsewhere) -> None:
    several = {org for org, projects in _implemented(graph).items()
               if len(set().union(*(_funders(graph, p) for p in projects))) >= 2}
    assert set(found.organisations["organisation"]) == {str(org) for org in several}
    assert len(several) == 37


def test_pairs_count_equals_a_count_from_the_triples(graph: Graph, found: FundedElsewhere) -> None:
    expected = set()
    for org, projects in _implemented(graph).items():
        for a in projects:
            for b in projects:
                if str(a) >= str(b):
                    continue
                dates = [graph.value(p, prop) for p in (a, b) for prop in (HK.startDate, HK.endDate)]
                if None in dates:
                    continue
                start_a, end_a, start_b, end_b = (d.toPython() for d in dates)  # type: ignore[union-attr]
                if not (start_a <= end_b and start_b <= end_a):
                    continue
                funders_a, funders_b = _funders(graph, a), _funders(graph, b)
                expected |= {(str(a), str(b), str(org), fa, fb) for fa in funders_a for fb in funders_b
                             if fa != fb and not (fa in funders_b and fb in funders_a)}
    assert len(found.pairs) == len(expected) == 2544
    pairs = found.pairs
    assert set(zip(pairs["project_a"], pairs["project_b"], pairs["organisation"], strict=True)) == {
        e[:3] for e in expected}
    assert "no source stated" not in set(pairs["sources_a"]) | set(pairs["sources_b"])


def test_funded_elsewhere_period_and_municipality_narrow_the_rows(graph: Graph, found: FundedElsewhere) -> None:
    narrow = funded_elsewhere(graph, municipality="Kemi", period="2018–2019")
    assert 0 < len(narrow.organisations) < len(found.organisations)
    assert 0 < len(narrow.pairs) < len(found.pairs)
    assert all(narrow.pairs["overlap_start"] <= date(2019, 12, 31))
    assert all(narrow.pairs["overlap_end"] >= date(2018, 1, 1))
    every = set(zip(found.pairs["project_a"], found.pairs["project_b"], strict=True))
    assert set(zip(narrow.pairs["project_a"], narrow.pairs["project_b"], strict=True)) <= every


def test_funded_elsewhere_same_answer_on_oxigraph(found: FundedElsewhere,
                                                  tmp_path_factory: pytest.TempPathFactory) -> None:
    pytest.importorskip("pyoxigraph", reason="needs the 'serve' extra")
    from hyvinvointi_kg.stores.backends import open_graph

    store = open_graph(f"oxigraph:{tmp_path_factory.mktemp('oxigraph') / 'store'}")
    other = funded_elsewhere(store)
    for mine, theirs in ((found.organisations, other.organisations), (found.pairs, other.pairs)):
        assert list(theirs.columns) == list(mine.columns)
        assert _rows(theirs) == _rows(mine)


def test_funded_elsewhere_pairs_leave_out_projects_without_dates() -> None:
    g = Graph().parse(format="turtle", data="""
        @prefix hk: <https://w3id.org/hyvinvointi-kg/ontology#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        @prefix : <urn:x:> .
        :p1 hk:leadImplementer :org ; hk:hasFunding :f1 ; hk:startDate "2019-01-01"^^xsd:date .
        :p2 hk:leadImplementer :org ; hk:hasFunding :f2 ;
            hk:startDate "2019-01-01"^^xsd:date ; hk:endDate "2020-12-31"^^xsd:date .
        :f1 hk:funder :esr . :f2 hk:funder :stea .
    """)
    result = funded_elsewhere(g)
    assert len(result.pairs) == 0
    assert result.organisations["funder_count"].tolist() == [2]
