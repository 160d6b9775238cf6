"""Key figures of a graph (``summary.py``), each checked against a count made another way."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDF

from hyvinvointi_kg.analysis.summary import GraphSummary, summarise
from hyvinvointi_kg.namespaces import HK

DATA = Path(__file__).parent.parent / "data"


@pytest.fixture(scope="module")
def summary(built_graph: Graph) -> GraphSummary:
    return summarise(built_graph)


def test_summarise_projects_are_the_typed_project_nodes(built_graph: Graph, summary: GraphSummary) -> None:
    # 227: the distinct subjects typed hk:Project, counted with rdflib's triple index.
    assert summary.projects == len(set(built_graph.subjects(RDF.type, HK.Project))) == 227


def test_summarise_places_are_the_reference_classification(summary: GraphSummary) -> None:
    # data/reference/municipalities_fi.csv: one row per municipality with its sub-region and region.
    with (DATA / "reference" / "municipalities_fi.csv").open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert (summary.municipalities, summary.subregions, summary.regions) == (
        len({r["code"] for r in rows}), len({r["subregion_code"] for r in rows}),
        len({r["region_code"] for r in rows}))
    assert (summary.municipalities, summary.subregions, summary.regions) == (309, 69, 19)


def test_summarise_sources_are_the_documents_and_curation_files_read(summary: GraphSummary) -> None:
    # The five documents of data/sources (its README is not one), the municipality classification,
    # the National Land Survey's two boundary files (the Swedish names of municipalities and
    # regions) and the three curation files with decisions in them (corrections, funders,
    # organisations; catalogue_layout.yaml describes the file's shape and states no fact).
    documents = [p for p in (DATA / "sources").glob("*.txt")]
    boundaries = sorted((DATA / "reference" / "boundaries").glob("*.geojson"))
    assert len(documents) == 5 and len(boundaries) == 2
    assert summary.sources == len(documents) + 1 + len(boundaries) + 3 == 11


def test_summarise_claims_and_triples_are_counted_directly(built_graph: Graph, summary: GraphSummary) -> None:
    assert summary.claims == len(set(built_graph.subjects(RDF.type, HK.Claim))) == 7247
    assert summary.triples == len(built_graph)


def test_summarise_organisations_need_the_ontology_for_their_kinds(built: object, summary: GraphSummary) -> None:
    from hyvinvointi_kg.assembly.assemble import Assembly

    assert isinstance(built, Assembly)
    # Without the ontology only nodes typed hk:Organisation itself are counted; with it, every kind.
    plain = summarise(built.graph())
    assert plain.organisations < summary.organisations == 256
    assert plain.projects == summary.projects


def test_summarise_small_graph_counts_each_kind_once() -> None:
    graph = Graph().parse(data="""
        @prefix hk: <https://w3id.org/hyvinvointi-kg/ontology#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        hk:Association rdfs:subClassOf hk:Organisation .
        <p1> a hk:Project . <p2> a hk:Project .
        <o1> a hk:Association , hk:Organisation . <o2> a hk:Association .
        <d1> a hk:SourceDocument , hk:Catalogue . <d2> a hk:NewsRelease .
    """, format="turtle", publicID="https://example.org/")
    summary = summarise(graph)
    assert (summary.projects, summary.organisations, summary.sources, summary.claims) == (2, 2, 2, 0)
    assert summary.triples == len(graph) == 9


def test_summarise_on_an_oxigraph_store_gives_the_same_figures() -> None:
    pytest.importorskip("oxrdflib")
    text = """
        @prefix hk: <https://w3id.org/hyvinvointi-kg/ontology#> .
        <p1> a hk:Project . <c1> a hk:Claim . <r> a hk:Region . <m> a hk:Municipality .
    """
    memory = Graph().parse(data=text, format="turtle", publicID="https://example.org/")
    stored = Graph(store="Oxigraph").parse(data=text, format="turtle", publicID="https://example.org/")
    assert summarise(stored) == summarise(memory)
    assert summarise(stored).triples == 4


def test_graph_summary_lines_name_every_figure(summary: GraphSummary) -> None:
    lines = summary.lines()
    assert [line.split(": ")[0] for line in lines] == [
        "projects", "organisations", "municipalities", "subregions", "regions", "sources", "claims",
        "triples"]
    assert lines[0] == "projects: 227"


@pytest.mark.parametrize(("lang", "lines"), [
    ("en", ["projects: 227", "organisations: 256", "municipalities: 309", "subregions: 69", "regions: 19",
            "sources: 9", "claims: 7256", "triples: 97222"]),
    ("fi", ["hankkeita: 227", "organisaatioita: 256", "kuntia: 309", "seutukuntia: 69", "maakuntia: 19",
            "lähteitä: 9", "väitteitä: 7256", "kolmikoita: 97222"]),
])
def test_graph_summary_lines_one_per_figure_in_the_language(lang: str, lines: list[str]) -> None:
    summary = GraphSummary(227, 256, 309, 69, 19, 9, 7256, 97222)
    assert summary.lines(lang=lang) == lines  # type: ignore[arg-type]
    assert len(summary.lines(lang="sv")) == len(vars(summary))
