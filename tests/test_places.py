"""Reference places (assembly/places.py): Swedish names from the National Land Survey, name lookup."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS

from hyvinvointi_kg._resources import resource_dir
from hyvinvointi_kg.assembly.places import PlaceIndex, load_swedish_names, place_graph
from hyvinvointi_kg.errors import SourceError
from hyvinvointi_kg.i18n import label
from hyvinvointi_kg.namespaces import HK, municipality_iri, region_iri, source_iri
from hyvinvointi_kg.stores.files import load_graph

REFERENCE = resource_dir("data/reference")
BOUNDARIES = REFERENCE / "boundaries"


@pytest.fixture(scope="module")
def places() -> Graph:
    return place_graph()


def _swedish(graph: Graph, place: URIRef) -> list[str]:
    return [str(x) for x in graph.objects(place, SKOS.prefLabel) if isinstance(x, Literal) and x.language == "sv"]


@pytest.mark.parametrize(("cls", "count"), [(HK.Municipality, 309), (HK.Region, 19)])
def test_place_graph_every_municipality_and_region_has_one_swedish_name(places: Graph, cls: URIRef,
                                                                         count: int) -> None:
    found = {place: _swedish(places, place) for place in places.subjects(RDF.type, cls)}
    assert len(found) == count
    assert all(len(names) == 1 for names in found.values())


@pytest.mark.parametrize(("place", "name"), [
    (municipality_iri("091"), "Helsingfors"),
    (municipality_iri("851"), "Torneå"),
    (municipality_iri("148"), "Enare"),
    (municipality_iri("976"), "Övertorneå"),
    (municipality_iri("845"), "Tervola"),  # the same in both languages, and still its Swedish name
    (municipality_iri("478"), "Mariehamn"),
    (region_iri("19"), "Lappland"),
    (region_iri("01"), "Nyland"),
])
def test_place_graph_swedish_name(places: Graph, place: URIRef, name: str) -> None:
    assert _swedish(places, place) == [name]
    assert label(places, place, lang="sv") == name


def test_place_graph_subregions_have_no_swedish_name(places: Graph) -> None:
    # No verified source of the sub-regions' Swedish names is bundled: none is guessed.
    assert not any(_swedish(places, sub) for sub in places.subjects(RDF.type, HK.SubRegion))


@pytest.mark.parametrize(("cls", "file_name"), [(HK.Municipality, "municipalities_fi.geojson"),
                                                 (HK.Region, "regions_fi.geojson")])
def test_place_graph_swedish_names_derived_from_the_boundaries(places: Graph, cls: URIRef, file_name: str) -> None:
    document = source_iri(file_name)
    assert all((place, PROV.wasDerivedFrom, document) in places for place in places.subjects(RDF.type, cls))
    assert (document, RDF.type, HK.SourceDocument) in places
    assert places.value(document, HK.fileName) == Literal(file_name)
    assert places.value(document, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")


def test_place_graph_boundaries_carry_the_attribution_of_the_map(places: Graph) -> None:
    from hyvinvointi_kg.views.map import ATTRIBUTION

    citations = set(places.objects(None, DCTERMS.bibliographicCitation))
    assert citations == {Literal(ATTRIBUTION)}


def test_place_links_swedish_names_agree_with_the_boundaries() -> None:
    names = {"kunta": load_swedish_names(BOUNDARIES / "municipalities_fi.geojson"),
             "maakunta": load_swedish_names(BOUNDARIES / "regions_fi.geojson")}
    with (REFERENCE / "place_links.csv").open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["name_sv"] and row["kind"] in names]
    assert rows  # Enontekis, Enare, Sodankylä, Utsjoki, Esbo
    assert all(names[row["kind"]][row["code"]] == row["name_sv"] for row in rows)


def test_load_swedish_names_without_a_name_is_a_source_error(tmp_path: Path) -> None:
    path = tmp_path / "b.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"NATCODE": "091", "NAMESWE": ""}, "geometry": None}]}), encoding="utf-8")
    with pytest.raises(SourceError, match="feature 1 has no NATCODE or NAMESWE"):
        load_swedish_names(path)


def test_place_graph_municipality_missing_from_the_boundaries_is_a_source_error(tmp_path: Path) -> None:
    reference = tmp_path / "reference"
    shutil.copytree(REFERENCE, reference)
    path = reference / "boundaries" / "municipalities_fi.geojson"
    collection = json.loads(path.read_text(encoding="utf-8"))
    collection["features"] = [f for f in collection["features"] if f["properties"]["NATCODE"] != "851"]
    path.write_text(json.dumps(collection), encoding="utf-8")
    with pytest.raises(SourceError, match="no Swedish name for .*/kunta/851"):
        place_graph(reference)


def test_place_index_resolves_swedish_names(places: Graph) -> None:
    index = PlaceIndex(places)
    assert index.resolve("Torneå", kind="municipality") == municipality_iri("851")
    assert index.resolve_area("Lappland") == region_iri("19")
    # Finnish genitives are formed of Finnish names only.
    assert index.resolve_area("Torneån") is None


def test_place_index_finnish_name_wins_over_another_places_other_name() -> None:
    graph = Graph().parse(format="turtle", data="""
        @prefix hk: <https://w3id.org/hyvinvointi-kg/ontology#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        <urn:x:a> a hk:Municipality ; skos:prefLabel "Aava"@fi , "Bee"@sv .
        <urn:x:b> a hk:Municipality ; skos:prefLabel "Bee"@fi .""")
    index = PlaceIndex(graph)
    assert index.resolve("Bee", kind="municipality") == URIRef("urn:x:b")
    assert index.resolve_area("Been") == URIRef("urn:x:b")


def test_place_index_other_languages_change_no_finnish_resolution(places: Graph) -> None:
    finnish_only = Graph()
    finnish_only += places
    for place, prop, name in list(places.triples((None, None, None))):
        if prop in (SKOS.prefLabel, SKOS.altLabel) and isinstance(name, Literal) and name.language != "fi":
            finnish_only.remove((place, prop, name))
    full, finnish = PlaceIndex(places), PlaceIndex(finnish_only)
    texts = {str(name) for name in finnish_only.objects(None, SKOS.prefLabel)}
    texts |= {form for text in list(texts) for form in PlaceIndex._genitives(text)}
    assert len(texts) > 700
    assert all(full.resolve_area(text) == finnish.resolve_area(text) for text in texts)


def test_place_index_resolves_the_stated_areas_of_the_graph_to_their_places(places: Graph) -> None:
    # Every area text a source states (hk:statedAs of an hk:targetArea claim) that the index
    # resolves goes to the place the bundled graph holds: the Swedish names match no catalogue text.
    graph = load_graph()
    stated = {(str(graph.value(claim, HK.statedAs)), graph.value(claim, RDF.object))
              for claim in graph.subjects(RDF.predicate, HK.targetArea)}
    index = PlaceIndex(places)
    found = {text: index.resolve_area(text) for text, _ in stated}
    assert all(found[text] in (None, place) for text, place in stated)
    assert sum(found[text] is not None for text, _ in stated) > 120
