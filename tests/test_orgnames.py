"""Tests of the organisation-name rules: what names no organisation, and what a reviewer should check."""

from __future__ import annotations

import pytest

from hyvinvointi_kg.assembly.orgnames import check_organisation_name, describes_no_organisation


@pytest.mark.parametrize("text", [
    "urheiluseurat",  # a plural group in a partner list
    "kansalaisopistot",
    "eläkeläisjärjestöt",
    "terveysalan paikallisyhdistykset",
    "muun muassa Ruotsista",  # "among others from Sweden"
    "Venäjältä",
    "Yhdistyneestä Kuningaskunnasta",
    "useita partnereita ympäri maailmaa",
    "Lisäksi 11 aluejärjestöä ja 6 lajiliittoa",
    "16 Lapin kunnan yhteishanke",
    "SOCENT SPAS-hankkeen kumppanuudet",
    "Peräpohjolan Leader ry:n toiminta-alueen kunnat (koulut, liikunta- nuoriso- ja sosiaalitoimi)",
])
def test_describes_no_organisation_groups_places_and_counts(text: str) -> None:
    assert describes_no_organisation(text) is not None


@pytest.mark.parametrize("text", [
    "Lapin ammattikorkeakoulu Oy", "Kemin kaupunki", "Aivoliitto", "Karun sirkut ja eräveljet ry",
    "Lasten ja nuorten säätiö", "Lapin Martat ry", "Pohjois-Pohjanmaan elinkeino-, liikenne- ja ympäristökeskus",
    "University of Limerick",
])
def test_describes_no_organisation_keeps_real_names(text: str) -> None:
    assert describes_no_organisation(text) is None


@pytest.mark.parametrize(("name", "rule"), [
    ("urheiluseurat", "lower-case-start"),
    ("kansalaisopistot", "plural-group"),
    ("ICBAN Ltd Irlannista", "elative-place"),
    ("Lapin yliopisto ja Tornion kaupunki", "conjunction"),
    ("Eskola Ville Heikki Armas", "person-name"),
    ("Elinkeino-", "trailing-hyphen-or-comma"),
    ("Etelä-Pohjanmaan", "single-word"),
    ("Sodankylässä Seitasäätiö ja Lapin Yliopisto", "inessive-place"),
])
def test_check_organisation_name_flags_each_shape(name: str, rule: str) -> None:
    assert rule in [f.rule for f in check_organisation_name(name)]


@pytest.mark.parametrize("name", [
    "Kemin kaupunki", "Lasten ja nuorten säätiö", "Ensi- ja turvakotien liitto", "Sveriges Lantbruksuniversitet",
    "Lounais-Suomen Liikunta ja Urheilu ry", "Mannerheimin Lastensuojeluliiton Lapin piiri ry",
])
def test_check_organisation_name_passes_ordinary_names(name: str) -> None:
    assert check_organisation_name(name) == ()
