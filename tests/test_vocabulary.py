"""Tests of vocabulary.py: target groups found by lemma, and the implementer exclusion.

Phrases are from data/sources/lapland_projects_catalogue_fi.txt (the catalogue) unless noted;
the comment names the line.
"""

from __future__ import annotations

import pytest

from hyvinvointi_kg.assembly.concepts import ConceptIndex, TargetGroupMatch
from hyvinvointi_kg.assembly.lemmas import Lemmatiser
from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.stores.files import load_ontology


@pytest.fixture(scope="module")
def index() -> ConceptIndex:
    return ConceptIndex(load_ontology())


def _groups(index: ConceptIndex, text: str, lemmatiser: Lemmatiser = "simplemma") -> set[str]:
    return {m.concept.split("/")[-1] for m in index.find_target_groups(text, lemmatiser=lemmatiser)}


def _only(index: ConceptIndex, text: str, lemmatiser: Lemmatiser = "simplemma") -> TargetGroupMatch:
    (match,) = index.find_target_groups(text, lemmatiser=lemmatiser)
    return match


def test_find_target_groups_inflected_form_by_lemma(index: ConceptIndex) -> None:
    # catalogue 5978
    match = _only(index, "ikäihmisille suunnattujen hyvinvointia edistävien kotikäyntien")
    assert (match.concept.split("/")[-1], match.keyword, match.words, match.kind) == (
        "ikaantyneet", "ikäihminen", "ikäihmisille", "lemma")


def test_find_target_groups_new_base_form_keyword(index: ConceptIndex) -> None:
    # catalogue 3749
    assert _groups(index, "Tornion alueen senioreiden hyvinvointia, osallisuutta ja") == {"ikaantyneet"}


def test_find_target_groups_compound_with_person_noun_head(index: ConceptIndex) -> None:
    # catalogue 811
    match = _only(index, "maahanmuuttajataustaisten henkilöiden kotoutumisen ja")
    assert (match.concept.split("/")[-1], match.kind) == ("maahanmuuttajat", "compound")


def test_find_target_groups_compound_whose_head_is_the_keyword(index: ConceptIndex) -> None:
    # catalogue 1158-1159: pitkäaikaistyötön, the narrower concept only
    assert _groups(index, "konsultointia maahanmuuttajille ja pitkäaikaistyöttömille, jotta") == {
        "maahanmuuttajat", "pitkaaikaistyottomat"}


def test_find_target_groups_unemployed_dative(index: ConceptIndex) -> None:
    # catalogue 4878
    assert _groups(index, "Hankkeen tavoitteena on järjestää alueen työttömille ja") == {"tyottomat"}


def test_find_target_groups_asylum_seekers(index: ConceptIndex) -> None:
    # catalogue 4798
    assert _groups(index, "Turvapaikanhakijoiden osallisuuden ja yhteisöllisyyden") == {"maahanmuuttajat"}


def test_find_target_groups_hyphen_elided_coordination(index: ConceptIndex) -> None:
    # catalogue 2953-2954
    match = _only(index, "Tukiverkko-hankkeessa kehitetään mielenterveys- ja päihdeasiakkaille ennaltaehkäiseviä")
    assert (match.concept.split("/")[-1], match.words, match.kind) == (
        "mielenterveys-ja-paihdekuntoutujat", "mielenterveys- ja päihdeasiakkaille", "hyphen-elided compound")


def test_find_target_groups_elided_part_alone_does_not_match(index: ConceptIndex) -> None:
    # catalogue, "Lapsi-, nuoriso- ja perhesosiaalityön erikoistumiskoulutuksen": kinds of social work
    assert _groups(index, "Lapsi-, nuoriso- ja perhesosiaalityön erikoistumiskoulutuksen") == set()


def test_find_target_groups_multi_word_keyword_by_lemma(index: ConceptIndex) -> None:
    # catalogue 9049
    assert _groups(index, "erityistä tukea tarvitseville lapsille ja nuorille") == {
        "vammaiset", "lapset-ja-perheet", "nuoret"}


def test_find_target_groups_multi_word_keyword_outside_working_life(index: ConceptIndex) -> None:
    # catalogue 1277
    assert "tyottomat" in _groups(index, "Hankkeessa 114 työelämän ulkopuolella olevaa nuorta")


def test_find_target_groups_english_plural(index: ConceptIndex) -> None:
    # catalogue 5150
    matches = index.find_target_groups("in Finland, marginalized, indigenous, and immigrant children in")
    assert {(m.concept.split("/")[-1], m.words, m.kind) for m in matches} == {
        ("maahanmuuttajat", "immigrant", "English"), ("lapset-ja-perheet", "children", "English"),
        ("saamelaiset", "indigenous", "English"),  # in Finland, the indigenous people are the Sámi
        ("heikommassa-asemassa-olevat", "marginalized", "English")}


def test_find_target_groups_english_plural_s(index: ConceptIndex) -> None:
    assert _groups(index, "Immigrants and refugees") == {"maahanmuuttajat"}


def test_find_target_groups_english_elderly(index: ConceptIndex) -> None:
    # catalogue 8648
    assert _groups(index, "elderly service sector suffer from inequality") == {"ikaantyneet"}


def test_find_target_groups_english_multi_word(index: ConceptIndex) -> None:
    assert _groups(index, "Young people and the unemployed") == {"nuoret", "tyottomat"}


def test_find_target_groups_implementers_are_not_a_target_group(index: ConceptIndex) -> None:
    # catalogue 1805-1806 (also 2634-2635, 3188-3189)
    text = ("Kyseessä on Peräpohjolan Leader ry:n hallinnoima teemahanke, jonka toteutuksesta "
            "vastaavat yhdistykset ja järjestöt.")
    assert "jarjestot" not in _groups(index, text)


def test_find_target_groups_partners_in_cooperation_are_not_a_target_group(index: ConceptIndex) -> None:
    # catalogue 5522
    text = "Hanke toteutetaan yhteistyössä 11 liikunnan aluejärjestön ja kuuden lajiliiton kanssa."
    assert _groups(index, text) == set()


def test_find_target_groups_partners_named_with_kanssa(index: ConceptIndex) -> None:
    # catalogue 7739-7740
    assert _groups(index, "tiiviissä yhteistyössä julkisen sosiaali- ja terveydenhuollon sekä muiden "
                          "viranomaisten ja järjestöjen kanssa.") == set()


def test_find_target_groups_agent_of_participle_is_not_a_target_group(index: ConceptIndex) -> None:
    # catalogue 6338-6340: volunteers carry out the support; the immigrant mothers are the target
    text = ("MLL:n vapaaehtoisten toteuttaman tukihenkilötoiminnan koordinoimiseen: perhekummi-, "
            "ystäväksi maahanmuuttajaäidille")
    assert _groups(index, text) == {"maahanmuuttajat"}


def test_find_target_groups_implementer_clause_keeps_the_target_in_the_next_clause(index: ConceptIndex) -> None:
    # catalogue, Peräpohjolan Leader ry (Keminmaa section): the subject implements, the youth are the aim
    text = ("Peräpohjolan Leader ry toteuttaa omaa paikallisen kehittämisen strategiaansa, jonka "
            "tavoitteena on saada nuoret osallistumaan.")
    assert _groups(index, text) == {"nuoret"}


def test_find_target_groups_named_implementer_with_subject_first(index: ConceptIndex) -> None:
    assert _groups(index, "Hanketta toteuttavat paikalliset järjestöt.") == set()


def test_find_target_groups_project_name_is_not_a_target_group(index: ConceptIndex) -> None:
    # catalogue, description of "Ohjaa nuori tulevaan" (entry at line 7193)
    assert _groups(index, "Ohjaa nuori tulevaan -hankkeella pyritään edistämään Lapin alueen") == set()


def test_find_target_groups_staff_of_an_organisation_is_not_the_organisation(index: ConceptIndex) -> None:
    # S21758_news_2019-08-07_fi.txt line 16
    assert _groups(index, "järjestöjen työntekijät, yrityksissä työskentelevät") == {"ammattilaiset", "yritykset"}


def test_match_target_groups_returns_concept_and_keyword(index: ConceptIndex) -> None:
    # S21758_news_2019-08-07_fi.txt line 16: the keyword as the scheme writes it
    assert [k for _, k in index.match_target_groups("kuntien nuoret")] == ["nuoret"]


def test_target_group_match_rule_names_keyword_kind_and_words(index: ConceptIndex) -> None:
    assert _only(index, "työttömille").rule == "keyword 'työtön' (lemma): 'työttömille'"


def test_find_target_groups_unknown_lemmatiser_raises(index: ConceptIndex) -> None:
    with pytest.raises(InputError, match="unknown lemmatiser"):
        index.find_target_groups("nuoret", lemmatiser="stanza")  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "group"), [
    ("ikäihmisille", "ikaantyneet"),  # catalogue 5978
    ("maahanmuuttajataustaisten henkilöiden", "maahanmuuttajat"),  # catalogue 811
    ("mielenterveys- ja päihdeasiakkaille", "mielenterveys-ja-paihdekuntoutujat"),  # catalogue 2953-2954
    ("kehitysvammaisten", "kehitysvammaiset"),
])
def test_find_target_groups_with_voikko(index: ConceptIndex, text: str, group: str) -> None:
    pytest.importorskip("libvoikko")
    try:
        found = _groups(index, text, "voikko")
    except InputError as err:  # libvoikko without the Finnish dictionary
        pytest.skip(str(err))
    assert group in found


def test_find_target_groups_inen_word_simplemma_does_not_know(index: ConceptIndex) -> None:
    # catalogue 425: simplemma leaves "kulttuuritaustaisten" as it is; the -inen endings give the base
    [match] = index.find_target_groups("eri kulttuuritaustaisten naisten")
    assert (match.concept.split("/")[-1], match.keyword, match.words) == (
        "maahanmuuttajat", "kulttuuritaustainen", "kulttuuritaustaisten")


def test_find_target_groups_match_inside_a_longer_one_is_part_of_it(index: ConceptIndex) -> None:
    # catalogue 6347: "nuorten aikuisten" is young people, not also working-age adults
    assert _groups(index, "lievittää nuorten ja nuorten aikuisten yksinäisyyttä") == {
        "nuoret", "heikommassa-asemassa-olevat"}
    assert _groups(index, "aikuisten työkyvyn tukeminen") == {"tyoikaiset"}


def test_find_target_groups_conditions_name_the_people_in_them(index: ConceptIndex) -> None:
    # catalogue 1452, 3879, 7625: exclusion, loneliness, a weak labour-market position
    assert "heikommassa-asemassa-olevat" in _groups(index, "nuorten syrjäytymisen ehkäisy")
    assert "heikommassa-asemassa-olevat" in _groups(index, "Lasten yksinäisyyden ja kiusatuksi tulemisen")
    # a weak labour-market position is unemployment (as both blind samples' annotators read it),
    # not disadvantage in general; and employment alone names no group
    assert _groups(index, "heikossa työmarkkina-asemassa olevien henkilöiden työllistymisen") == {"tyottomat"}


def test_find_target_groups_wellbeing_at_work_is_for_working_age_people(index: ConceptIndex) -> None:
    # catalogue 469, 5829
    assert "tyoikaiset" in _groups(index, "työntekijöiden työkyvyn ja työssä jaksamisen tukeminen")
    assert "tyoikaiset" in _groups(index, "sote-henkilöstön työhyvinvointia")


def test_find_target_groups_sami_language_and_indigenous_communities(index: ConceptIndex) -> None:
    # catalogue 5605, 6118
    assert _groups(index, "Tenonlaakson saamen kieltä ja perimätietoa") == {"saamelaiset"}
    assert _groups(index, "alkuperäiskansayhteisöjen hyvinvointi") == {"saamelaiset"}


@pytest.mark.parametrize(("text", "group"), [
    ("Meri-Lapin äitien järjestölähtöinen kotoutuminen", "maahanmuuttajat"),  # 6928
    ("erityisesti nuoret alle 30-vuotiaat sekä Lapin alueen työnantajat", "yritykset"),  # 6417
    ("in Finland, marginalized, indigenous, and immigrant children", "heikommassa-asemassa-olevat"),  # 5150
    ("gender equality among caregivers in the aging sector", "ammattilaiset"),  # 8644
    ("työhyvinvoinnin johtamisen osaamista ja lähiesimiesten", "ammattilaiset"),  # 4782
    ("Koko Lapin alueen kunnallisen nuorisotyön hanke.", "nuoret"),  # 6722
    ("heikossa asemassa olevat äidit", "heikommassa-asemassa-olevat"),  # 6933
])
def test_find_target_groups_keywords_added_after_the_heldout_sample(index: ConceptIndex, text: str,
                                                                      group: str) -> None:
    assert group in _groups(index, text)


def test_find_target_groups_employment_alone_names_no_group(index: ConceptIndex) -> None:
    # catalogue 8420: the migrants are the group; their employment is the aim, not unemployment
    assert _groups(index, "osaamista omaavien lappilaisten maahanmuuttajien työllistymistä avoimille "
                          "työmarkkinoille") == {"maahanmuuttajat"}


def test_find_target_groups_staff_at_work_are_employees(index: ConceptIndex) -> None:
    # catalogue 7985: the sports clubs' employees' own coping at work: working-age adults
    (match,) = [m for m in index.find_target_groups(
        "Hankkeella haetaan ratkaisua Lapin alueella toimivien urheiluseurojen työntekijöiden "
        "työssäjaksamiseen") if m.concept.endswith("/tyoikaiset")]
    assert match.kind == "employees" and match.words == "työntekijöiden"
    assert "ammattilaiset" not in _groups(index, "urheiluseurojen työntekijöiden työssäjaksamiseen")
    # catalogue 469: staff of a field are its professionals as well
    assert {"ammattilaiset", "tyoikaiset"} <= _groups(
        index, "sosiaali- ja terveysalan työntekijöiden työkyvyn ja työssä jaksamisen tukeminen")


def test_find_target_groups_competence_of_a_field_names_its_professionals(index: ConceptIndex) -> None:
    # catalogue 6673, 9098
    assert _groups(index, "vahvistaa sosiaalialan osaamisen ja asiantuntijuuden asemaa") == {"ammattilaiset"}
    match = _only(index, "Selvityksen kohderyhmänä on sote-alan asiantuntijat")
    assert (match.kind, match.words) == ("field competence", "sote-alan asiantuntijat")


def test_find_target_groups_parissa_alone_is_whom_the_project_works_with(index: ConceptIndex) -> None:
    # catalogue 6389 against S21758_news_2019-08-07_fi.txt line 16
    assert _groups(index, "perusopetuksen ja lukiokoulutuksen opettajien parissa.") == {"ammattilaiset"}
    assert "asukkaat" not in _groups(index, "muut asukkaiden hyvinvoinnin parissa toimivien tahojen edustajat")


def test_find_target_groups_staff_hired_by_the_project_are_a_means(index: ConceptIndex) -> None:
    # catalogue 1348
    assert _groups(index, "Palkataan lisähenkilöstöä haasteellisilla alueilla toimiviin päiväkoteihin") == set()
