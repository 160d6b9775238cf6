"""Organisation resolution: merges that must happen, merges that must never happen."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDF, SKOS

from hyvinvointi_kg._resources import resource_dir
from hyvinvointi_kg.assembly.assemble import Assembly
from hyvinvointi_kg.assembly.organisations import OrganisationResolver, name_key, split_implementers
from hyvinvointi_kg.assembly.places import PlaceIndex, place_graph
from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.namespaces import HK, municipality_iri, organisation_iri

CURATION = resource_dir("data/curation") / "organisations.yaml"


@pytest.fixture(scope="module")
def resolver() -> OrganisationResolver:
    return OrganisationResolver(CURATION, PlaceIndex(place_graph()))


@pytest.mark.parametrize(("a", "b"), [
    ("Lapin AMK", "Lapin ammattikorkeakoulu Oy"),
    ("Lapin ammattikorkeakoulu", "Lapin Ammattikorkeakoulu"),
    ("Majakka ry", "Pohjoisen yhteisöjen tuki - Majakka ry"),
    ("Rovaniemen koulutuskuntayhtymä REDU", "Rovaniemen koulutuskuntayhtymä"),
    ("Koulutuskuntayhtymä Lappia", "Kemi-Tornionlaakson koulutuskuntayhtymä Lappia"),
    ("Tornion Työvoimalasäätiö", "Tornion työvoimalasäätiö"),
    ("Luonnonvarakeskus (LUKE)", "Luonnonvarakeskus"),
])
def test_resolve_merges_spellings_of_one_organisation(resolver: OrganisationResolver, a: str,
                                                      b: str) -> None:
    assert resolver.resolve(a).iri == resolver.resolve(b).iri


@pytest.mark.parametrize(("a", "b"), [
    ("Kemin kaupunki", "Keminmaan kunta"),
    ("Lapin yliopisto", "Lapin AMK"),
    ("University of Lapland", "Lapin ammattikorkeakoulu Oy"),
    ("Rovaniemen koulutuskuntayhtymä", "Koulutuskuntayhtymä Lappia"),
    ("Tornion kaupunki", "Tornion kansalaisopisto"),
    ("Oulun yliopisto", "Oulun ammattikorkeakoulu Oy"),
])
def test_resolve_never_merges_distinct_organisations(resolver: OrganisationResolver, a: str,
                                                     b: str) -> None:
    assert resolver.resolve(a).iri != resolver.resolve(b).iri


def test_resolve_municipality_organisation_governs_its_place(resolver: OrganisationResolver) -> None:
    org = resolver.by_iri[resolver.resolve("Kemin kaupunki").iri]
    assert org.kind == HK.MunicipalityOrganisation
    assert org.governs == municipality_iri("240")
    new = resolver.by_iri[resolver.resolve("Ylitornion kunta").iri]
    assert (new.kind, new.governs) == (HK.MunicipalityOrganisation, municipality_iri("976"))


def test_resolve_new_organisation_kind_by_rule(resolver: OrganisationResolver) -> None:
    for name, kind in (("Esimerkin Urheilijat ry", HK.Association), ("Testi Oy", HK.Company),
                       ("Esimerkkisäätiö sr", HK.Foundation),
                       ("Jokin toimija", HK.OtherOrganisation)):
        org = resolver.by_iri[resolver.resolve(name).iri]
        assert org.kind == kind, name
        assert org.kind_rule


def test_near_misses_are_reported_not_merged(resolver: OrganisationResolver) -> None:
    resolver.resolve("Posion kansalaisopisto")
    resolver.resolve("Tornion kansalaisopisto")
    pairs = {(m.a, m.b) for m in resolver.near_misses()}
    assert ("Posion kansalaisopisto", "Tornion kansalaisopisto") in pairs
    assert name_key("Posion kansalaisopisto") != name_key("Tornion kansalaisopisto")


def test_split_implementers_keeps_country_with_its_organisation() -> None:
    lead, partners, _ = split_implementers(
        "University of Akureyri, Iceland; Nordregio, Sweden, University of Lapland, Finland")
    assert lead == "University of Akureyri, Iceland"
    assert partners == ["Nordregio, Sweden", "University of Lapland, Finland"]


def test_curation_alias_given_twice_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "organisations.yaml"
    bad.write_text("organisations:\n  - {name: A ry, kind: Association, aliases: [X]}\n"
                   "  - {name: B ry, kind: Association, aliases: [X]}\n", encoding="utf-8")
    with pytest.raises(InputError, match="alias 'X' is given to both"):
        OrganisationResolver(bad, PlaceIndex(place_graph()))


def test_curation_unknown_kind_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "organisations.yaml"
    bad.write_text("organisations:\n  - {name: A ry, kind: Club}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"organisations.yaml: organisation 1 \(A ry\): kind"):
        OrganisationResolver(bad, PlaceIndex(place_graph()))


def test_built_graph_keeps_every_spelling_as_alt_label(built_graph: Graph) -> None:
    amk = organisation_iri("Lapin ammattikorkeakoulu Oy")
    labels = {str(label) for label in built_graph.objects(amk, SKOS.altLabel)}
    assert {"Lapin AMK", "Lapin ammattikorkeakoulu"} <= labels
    assert (amk, HK.businessId, None) in built_graph
    assert (amk, RDF.type, HK.UniversityOfAppliedSciences) in built_graph


def test_built_graph_has_no_false_merges(built: Assembly) -> None:
    iris = {text: iri for text, iri, _ in built.merges}
    assert iris.get("Keminmaan kunta") != organisation_iri("Kemin kaupunki")
    assert all(m.reason for m in built.near_misses)
    kemi, keminmaa = organisation_iri("Kemin kaupunki"), organisation_iri("Keminmaan kunta")
    assert (kemi, HK.governs, municipality_iri("240")) in built.data
    assert (keminmaa, HK.governs, municipality_iri("241")) in built.data


@pytest.mark.parametrize(("cell", "names"), [
    # catalogue lines 7799-7811: three hospital districts, never a fragment
    ("Kela; Etelä-Pohjanmaan, Lapin ja Pirkanmaan sairaanhoitopiirit",
     ["Kela", "Etelä-Pohjanmaan sairaanhoitopiiri", "Lapin sairaanhoitopiiri", "Pirkanmaan sairaanhoitopiiri"]),
    # one body with "ja" and commas in its name
    ("Lapin AMK; Elinkeino-, liikenne- ja ympäristökeskusten sekä työ- ja elinkeinotoimistojen "
     "kehittämis- ja hallintokeskus",
     ["Lapin AMK", "Elinkeino-, liikenne- ja ympäristökeskusten sekä työ- ja elinkeinotoimistojen "
                   "kehittämis- ja hallintokeskus"]),
    # two organisations glued by "ja" / "sekä"
    ("Lapin ammattikorkeakoulu ja Lapin aluehallintovirasto",
     ["Lapin ammattikorkeakoulu", "Lapin aluehallintovirasto"]),
    ("Lapin AMK; Sodankylässä Seitasäätiö ja Lapin Yliopisto", ["Lapin AMK", "Seitasäätiö", "Lapin Yliopisto"]),
    # one association whose name has "ja" in it
    ("Karun sirkut ja eräveljet ry; Lounais-Suomen Liikunta ja Urheilu ry",
     ["Karun sirkut ja eräveljet ry", "Lounais-Suomen Liikunta ja Urheilu ry"]),
    # a parenthesis with a full stop inside stays whole; a sentence after a name is cut off
    ("Lapin AMK; Kemissä Meriva SR (aik. Meri-Lapin työhönvalmennussäätiö)",
     ["Lapin AMK", "Meriva SR (aik. Meri-Lapin työhönvalmennussäätiö)"]),
    ("Rovaniemen Palloseura, Lapin Lukko (Lapissa). Lisäksi 11 aluejärjestöä ja 6 lajiliittoa",
     ["Rovaniemen Palloseura", "Lapin Lukko (Lapissa)", "Lisäksi 11 aluejärjestöä ja 6 lajiliittoa"]),
])
def test_read_implementers_one_item_per_organisation(cell: str, names: list[str]) -> None:
    from hyvinvointi_kg.assembly.organisations import read_implementers

    assert [item.name for item in read_implementers(cell)] == names


def test_read_implementers_keeps_the_stated_text() -> None:
    from hyvinvointi_kg.assembly.organisations import read_implementers

    items = read_implementers("Kela; Etelä-Pohjanmaan, Lapin ja Pirkanmaan sairaanhoitopiirit")
    assert {i.stated for i in items[1:]} == {"Etelä-Pohjanmaan, Lapin ja Pirkanmaan sairaanhoitopiirit"}
    assert all("distributive plural" in i.rule for i in items[1:])


def test_resolve_iri_does_not_depend_on_order() -> None:
    # "Kemin (Lapissa) seura" and "Kemin Lapissa seura" are two organisations with one slug
    names = ["Kemin (Lapissa) seura", "Kemin Lapissa seura", "Lapin Martat ry", "Lapin-Martat", "Lapin liitto"]
    first, second = (OrganisationResolver(CURATION, PlaceIndex(place_graph())) for _ in range(2))
    first.register(names)
    second.register(list(reversed(names)))
    forward = {n: first.resolve(n).iri for n in names}
    backward = {n: second.resolve(n).iri for n in reversed(names)}
    assert forward == backward
    assert forward["Kemin (Lapissa) seura"] != forward["Kemin Lapissa seura"]


def test_build_organisation_iris_do_not_depend_on_source_order(built: Assembly,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Sections read in reverse order give every organisation the same IRI."""
    from hyvinvointi_kg.assembly import assemble as build_module

    parse = build_module.parse_catalogue
    monkeypatch.setattr(build_module, "parse_catalogue",
                        lambda *a, **k: tuple(reversed(parse(*a, **k))))
    reversed_build = build_module.assemble()

    def organisations(result: Assembly) -> dict[str, str]:
        return {str(label): str(org) for org, label in result.data.subject_objects(SKOS.prefLabel)
                if "/org/" in str(org)}

    assert organisations(reversed_build) == organisations(built)


def test_built_graph_has_no_unreviewed_organisation_names(built: Assembly) -> None:
    assert built.names_to_review == ()


def test_built_graph_keeps_no_person_name(built_graph: Graph) -> None:
    text = " ".join(str(o) for o in built_graph.objects())
    assert "Eskola Ville" not in text and "Heikki Armas" not in text
