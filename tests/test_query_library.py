"""The query library: golden results on the real graph, checked by hand against the source text.

Every expectation names the source file and lines it was checked against. Multi-valued columns
(" | "-joined) are compared as sets; the data-quality checks also get a small invalid graph each,
so that a check that can never fire does not pass unnoticed.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from rdflib import Graph
from rdflib.plugins.sparql import prepareQuery

from hyvinvointi_kg.query import list_queries, run_query
from hyvinvointi_kg.stores.files import load_graph

QUERIES = list_queries()
PROJECT = "https://w3id.org/hyvinvointi-kg/id/project/"
ORG = "https://w3id.org/hyvinvointi-kg/id/org/"
PLACE = "https://w3id.org/hyvinvointi-kg/id/place/"
FUND = "https://w3id.org/hyvinvointi-kg/id/fund/"
THEME = "https://w3id.org/hyvinvointi-kg/concept/theme/"
GROUP = "https://w3id.org/hyvinvointi-kg/concept/target-group/"
CATALOGUE = "lapland_projects_catalogue_fi.txt"
REGISTER_S20154 = "eura_S20154_description_fi.txt"
REGISTER_S21758 = "eura_S21758_description_en.txt"
CARD_S21758 = "S21758_summary_card_fi.txt"
NEWS_S21758 = "S21758_news_2019-08-07_fi.txt"

PELKOSENNIEMI = PLACE + "kunta/583"
PELLO = PLACE + "kunta/854"
ITA_LAPPI = PLACE + "seutukunta/194"
ITA_LAPIN_KY = ORG + "ita-lapin-kuntayhtyma"
MAJAKKA = ORG + "pohjoisen-yhteisojen-tuki-majakka-ry"
KITINEN = ORG + "jarjestokeskus-kitinen-ry"
VIOLENCE_VICTIMS = ("seksuaalisen-vakivallan-uhrien-toimintakyvyn-edistamiseen-lapissa-tarjoamalla-yksilollista-"
                    "tukea-uudessa-aluetoimipisteessa-seka-kehittamalla-etaauttamisen-menetelmia-2017-2019")
MIELENTERVEYSSEURA = ORG + "rovaniemen-seudun-mielenterveysseura-ry"
NIKK = ORG + "nikk"
STEA = ORG + "stea"

# The five projects that name Pelkosenniemi (the only catalogue lines with "Pelkosenniemi" are
# 411, 881, 929, 1993, 2811, 3928, 4127, 4413, 4444, inside these four rows; register line 86).
S21758 = "S21758"
KOULUTUKSELLA = "koulutuksella-laatua-ja-toimintavarmuutta-etahoitoon"  # catalogue 385-423
REILA = "reila-reittimerkintojen-turvallisuus-pilottialueena-lappi"  # catalogue 845-886
SEKSUAALISEN_VAKIVALLAN = (  # catalogue 906-941
    "seksuaalisen-vakivallan-uhrien-toimintakyvyn-edistamiseen-lapissa-tarjoamalla-yksilollista-tukea"
    "-uudessa-aluetoimipisteessa-seka-kehittamalla-etaauttamisen-menetelmia-2017-2019")
LUMITURVALLISUUS = "lumiturvallisuuskoulutuksen-kehittaminen-ja-lumivyorytiedon-tuottaminen"  # 4089-4131
EVAITA_REPPUUN = "evaita-reppuun-osallisuutta-ja-osaamista-jarjestoista"  # catalogue 119-156
YHTA_KOYTTA = "yhta-koytta-kylien-hyvinvoinnin-monipalvelupisteet-lansi-pohjassa"  # catalogue 9055-9080


@pytest.fixture(scope="module")
def graph() -> Graph:
    return load_graph()


def _local(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def _split(value: str | None) -> set[str]:
    return set(value.split(" | ")) if value else set()


@pytest.mark.parametrize("info", QUERIES, ids=[q.name for q in QUERIES])
def test_query_library_returns_match_select(info) -> None:  # type: ignore[no-untyped-def]
    projected = [str(v) for v in prepareQuery(info.text).algebra["PV"]]
    assert projected == list(info.returns)


# --- projects-by-filter ---------------------------------------------------------------------


def test_projects_by_filter_municipality_pelkosenniemi(graph: Graph) -> None:
    rows = run_query(graph, "projects-by-filter", municipality=PELKOSENNIEMI).records()
    assert {_local(r["project"]) for r in rows} == {
        S21758, KOULUTUKSELLA, REILA, SEKSUAALISEN_VAKIVALLAN, LUMITURVALLISUUS}
    assert [r["title"] for r in rows] == sorted(r["title"] for r in rows)


def test_projects_by_filter_include_region_adds_region_wide_projects(graph: Graph) -> None:
    # SOCIOPOLIS names only "Lappi" as its area (catalogue line 6675), so it targets the region
    # that contains Pelkosenniemi as a whole: in only with include_region.
    direct = {_local(r["project"])
              for r in run_query(graph, "projects-by-filter", municipality=PELKOSENNIEMI).records()}
    widened = {_local(r["project"]) for r in run_query(
        graph, "projects-by-filter", municipality=PELKOSENNIEMI, include_region=True).records()}
    explicit_false = {_local(r["project"]) for r in run_query(
        graph, "projects-by-filter", municipality=PELKOSENNIEMI, include_region=False).records()}
    assert direct == explicit_false
    assert direct < widened
    assert "lapin-sosiaalialan-osaamiskeskittyma-sociopolis" in widened - direct


def test_projects_by_filter_theme_and_period(graph: Graph) -> None:
    # Of Pelkosenniemi's safety projects (theme cells "turvallisuus", catalogue lines 886 and 4131),
    # Lumiturvallisuus ran 1.1.2015 - 31.12.2017 (lines 4100-4101) and ended before 2018;
    # REILA ran 1.6.2015 - 31.8.2018 (lines 857-858).
    rows = run_query(graph, "projects-by-filter", municipality=PELKOSENNIEMI,
                     theme=THEME + "turvallisuus", active_from=date(2018, 1, 1)).records()
    assert rows == [{
        "project": PROJECT + REILA, "title": "REILA REITTIMERKINTÖJEN TURVALLISUUS, PILOTTIALUEENA LAPPI",
        "lead": ORG + "lapin-ammattikorkeakoulu-oy", "lead_label": "Lapin ammattikorkeakoulu Oy",
        "start_date": date(2015, 6, 1), "end_date": date(2018, 8, 31)}]


def test_projects_by_filter_period_before_all_projects_is_empty(graph: Graph) -> None:
    # The earliest of the five Pelkosenniemi projects starts 1.1.2015 (catalogue line 4100).
    assert len(run_query(graph, "projects-by-filter", municipality=PELKOSENNIEMI,
                         active_to=date(2014, 12, 31))) == 0
    assert len(run_query(graph, "projects-by-filter", municipality=PELKOSENNIEMI,
                         active_to=date(2015, 1, 1))) == 1


def test_projects_by_filter_organisation_and_funder(graph: Graph) -> None:
    # Majakka's ESR projects: EVÄITÄ REPPUUN ("ESR 2014-2020/ELY", "1.7.2021 - 30.6.2023",
    # catalogue lines 133-136) and S20154 (register line 1, period line 15); YHTÄ KÖYTTÄ is a
    # Leader project (catalogue lines 9060-9064).
    majakka = {"lead": MAJAKKA, "lead_label": "Pohjoisen yhteisöjen tuki - Majakka ry"}
    rows = run_query(graph, "projects-by-filter", organisation=MAJAKKA, funder=FUND + "esr").records()
    assert rows == [
        {"project": PROJECT + EVAITA_REPPUUN, "title": "EVÄITÄ REPPUUN - osallisuutta ja osaamista järjestöistä",
         **majakka, "start_date": date(2021, 7, 1), "end_date": date(2023, 6, 30)},
        {"project": PROJECT + "S20154", "title": "Hyvinvointia yhteistyöllä Meri-Lapissa",
         **majakka, "start_date": date(2015, 3, 1), "end_date": date(2018, 2, 28)},
    ]


def test_projects_by_filter_organisation_and_target_group(graph: Graph) -> None:
    # Young people: "nuorten osallisuutta" (catalogue line 139) and "nuoret" (S20154 register
    # line 69); YHTÄ KÖYTTÄ's description (catalogue lines 9066-9075) names no young people.
    rows = run_query(graph, "projects-by-filter", organisation=MAJAKKA, target_group=GROUP + "nuoret")
    assert {_local(r["project"]) for r in rows.records()} == {EVAITA_REPPUUN, "S20154"}


# --- organisation-profile -----------------------------------------------------------------------


def test_organisation_profile_ita_lapin_kuntayhtyma(graph: Graph) -> None:
    # Itä-Lapin kuntayhtymä occurs only in the S21758 documents (not in the catalogue). Register:
    # applicant line 21, period line 13, ESF line 1, policy axis 5 (social inclusion) line 9,
    # regions line 82, sub-regions line 84, municipalities line 86; Finnish title: summary card line 7.
    rows = run_query(graph, "organisation-profile", organisation=ITA_LAPIN_KY).records()
    assert len(rows) == 1
    row = rows[0]
    assert {k: row[k] for k in ("project", "title", "role", "start_date", "end_date")} == {
        "project": PROJECT + S21758, "title": "High five – Yhteistyöllä hyvinvointia Itä-Lappiin",
        "role": "lead", "start_date": date(2019, 9, 1), "end_date": date(2022, 3, 31)}
    assert _split(row["municipalities"]) == {"Posio", "Salla", "Pelkosenniemi", "Savukoski", "Kemijärvi"}
    assert row["municipalities"] == " | ".join(sorted(_split(row["municipalities"])))
    assert _split(row["regions"]) == {"Lappi", "Itä-Lappi"}
    assert _split(row["funders"]) == {"Euroopan sosiaalirahasto"}
    assert _split(row["themes"]) == {"sosiaalinen osallisuus"}


def test_organisation_profile_majakka_three_projects(graph: Graph) -> None:
    # S20154 register lines 87-91: Lappi; Kemi-Tornion, Torniolaakson; Keminmaa, Simo, Ylitornio,
    # Tornio, Tervola, Kemi. EVÄITÄ REPPUUN: areas catalogue lines 145-152, themes 154-156.
    # YHTÄ KÖYTTÄ: "Majakka ry", funders "Peräpohjolan Leader, Outokaira Tuottamhan", 2016-2020,
    # area "Lappi", themes "hyvinvointi, sosiaalinen osallisuus, turvallisuus" (lines 9060-9080).
    rows = {_local(r["project"]): r
            for r in run_query(graph, "organisation-profile", organisation=MAJAKKA).records()}
    assert set(rows) == {"S20154", EVAITA_REPPUUN, YHTA_KOYTTA}
    assert {r["role"] for r in rows.values()} == {"lead"}
    s20154 = rows["S20154"]
    assert _split(s20154["municipalities"]) == {"Keminmaa", "Simo", "Ylitornio", "Tornio", "Tervola", "Kemi"}
    assert _split(s20154["regions"]) == {"Lappi", "Kemi-Tornio", "Torniolaakso"}
    assert _split(rows[EVAITA_REPPUUN]["municipalities"]) == {
        "Sodankylä", "Keminmaa", "Rovaniemi", "Simo", "Ylitornio", "Tornio", "Tervola", "Kemi"}
    assert _split(rows[EVAITA_REPPUUN]["themes"]) == {"hyvinvointi", "sosiaalinen osallisuus"}
    yhta = rows[YHTA_KOYTTA]
    assert (yhta["start_date"], yhta["end_date"]) == (date(2016, 1, 1), date(2020, 12, 31))
    assert yhta["municipalities"] is None
    assert _split(yhta["regions"]) == {"Lappi"}
    # one model of Leader funding: the rural fund, the Leader groups granting (funders.yaml)
    assert _split(yhta["funders"]) == {"Euroopan maaseudun kehittämisen maatalousrahasto"}
    assert _split(yhta["themes"]) == {"hyvinvointi", "sosiaalinen osallisuus", "turvallisuus"}


# --- organisation-partners ----------------------------------------------------------------------


def test_organisation_partners_majakka(graph: Graph) -> None:
    # EVÄITÄ REPPUUN (catalogue lines 123-131): "Majakka ry; Järjestökeskus Kitinen ry, Rovaniemen
    # Seudun Mielenterveysseura"; S20154 has one applicant (register line 47) and YHTÄ KÖYTTÄ
    # names Majakka alone (line 9060).
    rows = run_query(graph, "organisation-partners", organisation=MAJAKKA).records()
    assert rows == [
        {"partner": KITINEN, "partner_label": "Järjestökeskus Kitinen ry", "shared_projects": 1},
        {"partner": MIELENTERVEYSSEURA, "partner_label": "Rovaniemen seudun mielenterveysseura ry",
         "shared_projects": 1},
    ]


def test_organisation_partners_sole_applicant_is_empty(graph: Graph) -> None:
    # S21758 register line 44: "Number of applicants or subsidy transfer:" left empty; summary card
    # line 17 names Itä-Lapin kuntayhtymä as the only implementer.
    assert len(run_query(graph, "organisation-partners", organisation=ITA_LAPIN_KY)) == 0


# --- municipality-profile -----------------------------------------------------------------------


def test_municipality_profile_pelkosenniemi(graph: Graph) -> None:
    # Leads, periods, funders and themes as the rows state them: KOULUTUKSELLA "Lapin AMK", "ESR",
    # 1.3.2020 - 31.10.2022, "hyvinvointi" (catalogue 385-423); REILA "Lapin AMK", "EAKR",
    # 1.6.2015 - 31.8.2018, "turvallisuus" (845-886); TUKINAINEN RY, "STEA 2017-2019", "hyvinvointi"
    # (906-941); Suomen Humanistinen Ammattikorkeakoulu Oy, "ESR", 1.1.2015 - 31.12.2017,
    # "turvallisuus" (4089-4131); S21758 as in the register (lines 1, 9, 13, 21).
    rows = {_local(r["project"]): r
            for r in run_query(graph, "municipality-profile", municipality=PELKOSENNIEMI).records()}
    expected = {
        S21758: ("Itä-Lapin kuntayhtymä", date(2019, 9, 1), date(2022, 3, 31),
                 {"Euroopan sosiaalirahasto"}, {"sosiaalinen osallisuus"}),
        KOULUTUKSELLA: ("Lapin ammattikorkeakoulu Oy", date(2020, 3, 1), date(2022, 10, 31),
                        {"Euroopan sosiaalirahasto"}, {"hyvinvointi"}),
        REILA: ("Lapin ammattikorkeakoulu Oy", date(2015, 6, 1), date(2018, 8, 31),
                {"Euroopan aluekehitysrahasto"}, {"turvallisuus"}),
        SEKSUAALISEN_VAKIVALLAN: ("TUKINAINEN RY", date(2017, 1, 1), date(2019, 12, 31),
                                  {"Sosiaali- ja terveysjärjestöjen avustuskeskus STEA"}, {"hyvinvointi"}),
        LUMITURVALLISUUS: ("Suomen Humanistinen Ammattikorkeakoulu Oy", date(2015, 1, 1),
                           date(2017, 12, 31), {"Euroopan sosiaalirahasto"}, {"turvallisuus"}),
    }
    assert {p: (r["lead_label"], r["start_date"], r["end_date"], _split(r["funders"]), _split(r["themes"]))
            for p, r in rows.items()} == expected
    # Target groups are derived by keyword rules; only S21758's descriptions match any: register
    # lines 60-62 ("heikommassa asemassa", "nuoret", "työikäiset", "mielenterveys- ja
    # riippuvuusongelmat", "työmarkkinoiden ulkopuolella", "luottamushenkilöt", "yrityksissä
    # työskentelevät"); news release line 16 names "lapsiperheet" only as benefiting
    # ("hyötyvät"), an indirect target group, which this column (direct groups) leaves out.
    # and the catalogue's row 906 names "seksuaalisen väkivallan uhrien" (victims of violence)
    assert {p for p, r in rows.items() if r["target_groups"]} == {S21758, VIOLENCE_VICTIMS}
    assert _split(rows[S21758]["target_groups"]) == {
        "heikommassa asemassa olevat", "nuoret", "työikäiset", "mielenterveys- ja päihdekuntoutujat",
        "työttömät", "alan ammattilaiset ja toimijat", "yritykset"}


# --- funders-by-municipality and funders-by-theme -----------------------------------------------


def test_funders_by_municipality_pelkosenniemi(graph: Graph) -> None:
    # ESR: S21758 (register line 1), KOULUTUKSELLA (catalogue line 398), Lumiturvallisuus
    # (line 4098); EAKR: REILA (line 855); STEA: TUKINAINEN RY (line 915). Granted EU and state
    # funding is stated only for S21758: "EU and State funding granted: 221 952" (register line 72).
    rows = run_query(graph, "funders-by-municipality", municipality=PELKOSENNIEMI).records()
    assert [(r["funder"], r["projects"], r["projects_with_amount"], r["granted_eu_state"]) for r in rows] == [
        (FUND + "eakr", 1, 0, None),
        (FUND + "esr", 3, 1, Decimal(221952)),
        (STEA, 1, 0, None),
    ]
    assert {r["municipality_label"] for r in rows} == {"Pelkosenniemi"}


def test_funders_by_theme_nikk(graph: Graph) -> None:
    # "The Nordic Gender Eguality Fund (NIKK)" funds three catalogue rows (lines 5790, 7781,
    # 8638 - the only ones naming it), all with the theme "sosiaalinen osallisuus" (lines
    # 5803-5804, 7796-7797, 8658-8659).
    rows = run_query(graph, "funders-by-theme", funder=NIKK).records()
    assert rows == [{
        "funder": NIKK, "funder_label": "NIKK – Nordic Information on Gender",
        "theme": THEME + "sosiaalinen-osallisuus", "theme_label": "sosiaalinen osallisuus",
        "projects": 3, "projects_with_amount": 0, "granted_eu_state": None}]


def test_funders_by_theme_granted_amounts_of_the_registers(graph: Graph) -> None:
    # Only the two register descriptions state granted EU and state funding: S20154 280 681
    # (line 77), S21758 221 952 (line 72). Both are social-inclusion projects (policy axis 5,
    # S20154 line 11, S21758 line 9); S20154 also has "hyvinvointi" (catalogue line 264).
    rows = {_local(r["theme"]): r for r in run_query(graph, "funders-by-theme", funder=FUND + "esr").records()}
    assert (rows["sosiaalinen-osallisuus"]["projects_with_amount"],
            rows["sosiaalinen-osallisuus"]["granted_eu_state"]) == (2, Decimal(280681 + 221952))
    assert (rows["hyvinvointi"]["projects_with_amount"], rows["hyvinvointi"]["granted_eu_state"]) == (
        1, Decimal(280681))
    assert rows["turvallisuus"]["granted_eu_state"] is None


# --- collaboration-pairs ------------------------------------------------------------------------


def test_collaboration_pairs_kitinen(graph: Graph) -> None:
    # Järjestökeskus Kitinen ry and Rovaniemen Seudun Mielenterveysseura occur only in the
    # EVÄITÄ REPPUUN rows (catalogue lines 127/130, 1608/1611, 2466/2469, 3029, 3680/3683).
    rows = [r for r in run_query(graph, "collaboration-pairs").records()
            if KITINEN in (r["organisation_a"], r["organisation_b"])]
    title = "EVÄITÄ REPPUUN - osallisuutta ja osaamista järjestöistä"
    assert rows == [
        {"organisation_a": KITINEN, "label_a": "Järjestökeskus Kitinen ry",
         "organisation_b": MAJAKKA, "label_b": "Pohjoisen yhteisöjen tuki - Majakka ry",
         "projects": 1, "titles": title},
        {"organisation_a": KITINEN, "label_a": "Järjestökeskus Kitinen ry",
         "organisation_b": MIELENTERVEYSSEURA, "label_b": "Rovaniemen seudun mielenterveysseura ry",
         "projects": 1, "titles": title},
    ]


def test_collaboration_pairs_min_projects(graph: Graph) -> None:
    every = run_query(graph, "collaboration-pairs").records()
    some = run_query(graph, "collaboration-pairs", min_projects=2).records()
    assert some == [r for r in every if r["projects"] >= 2]
    assert all(r["organisation_a"] < r["organisation_b"] for r in every)
    assert not any(KITINEN in (r["organisation_a"], r["organisation_b"]) for r in some)
    assert all(len(_split(r["titles"])) == r["projects"] for r in some)


# --- organisations-by-reach and white-spots ------------------------------------------------------


def test_organisations_by_reach_ita_lapin_kuntayhtyma(graph: Graph) -> None:
    # S21758 names five municipalities (register line 86), the sub-region Eastern Lapland
    # (line 84) and the region Lapland (line 82), which has 21 municipalities.
    def reach(**params: object) -> tuple[int, int]:
        rows = [r for r in run_query(graph, "organisations-by-reach", **params).records()
                if r["organisation"] == ITA_LAPIN_KY]
        assert len(rows) == 1
        assert rows[0]["organisation_label"] == "Itä-Lapin kuntayhtymä"
        return rows[0]["municipalities"], rows[0]["projects"]

    assert reach() == (5, 1)
    assert reach(include_region=True) == (21, 1)
    assert reach(region=ITA_LAPPI) == (5, 1)


def test_white_spots_pelkosenniemi(graph: Graph) -> None:
    # The implementers of the five Pelkosenniemi projects: Itä-Lapin kuntayhtymä (S21758);
    # Lapin AMK, Rovaniemen koulutuskuntayhtymä REDU, Rovaniemen kaupunki, Lapin
    # sairaanhoitopiirin kuntayhtymä (catalogue lines 389-396); Lapin AMK, Metsähallitus,
    # Lapin Pelastuslaitos (850-853); TUKINAINEN RY (915); Suomen Humanistinen
    # Ammattikorkeakoulu Oy (4093-4096): nine organisations.
    rows = run_query(graph, "white-spots").records()
    assert len(rows) == 21
    assert [r["organisations"] for r in rows] == sorted(r["organisations"] for r in rows)
    pelkosenniemi = [r for r in rows if r["municipality"] == PELKOSENNIEMI]
    assert pelkosenniemi == [{"municipality": PELKOSENNIEMI, "municipality_label": "Pelkosenniemi",
                              "organisations": 9, "projects": 5}]
    # Safety only: REILA (Lapin AMK, Metsähallitus, Lapin Pelastuslaitos) and Lumiturvallisuus.
    safety = {r["municipality_label"]: (r["organisations"], r["projects"])
              for r in run_query(graph, "white-spots", theme=THEME + "turvallisuus").records()}
    assert safety["Pelkosenniemi"] == (4, 2)


def test_white_spots_theme_keeps_municipalities_without_projects(graph: Graph) -> None:
    # Pello is named by eight rows (catalogue lines 408, 500, 930, 1130, 2234, 1234, 4791, 1389);
    # their theme cells (423, 503, 941, 1137, 2238, 1238-1240, 4793, 1394-1396) never say
    # "turvallisuus".
    rows = run_query(graph, "white-spots", theme=THEME + "turvallisuus").records()
    assert len(rows) == 21
    pello = [r for r in rows if r["municipality"] == PELLO]
    assert pello == [{"municipality": PELLO, "municipality_label": "Pello", "organisations": 0, "projects": 0}]
    assert rows[0]["organisations"] == 0


# --- overlapping-projects -----------------------------------------------------------------------


def test_overlapping_projects_pelkosenniemi(graph: Graph) -> None:
    # Of the five Pelkosenniemi projects only REILA (1.6.2015 - 31.8.2018, "turvallisuus") and
    # Lumiturvallisuus (1.1.2015 - 31.12.2017, "turvallisuus") share a theme in overlapping times;
    # their area cells (catalogue lines 873-884 and 4117-4129) have eleven municipalities in common.
    # S21758 and the row-906 project (victims of sexual violence) overlap by target group in 2019.
    rows = run_query(graph, "overlapping-projects", municipality=PELKOSENNIEMI).records()
    assert len(rows) == 2
    assert {_local(rows[1]["project_a"]), _local(rows[1]["project_b"])} == {"S21758", VIOLENCE_VICTIMS}
    row = rows[0]
    assert (_local(row["project_a"]), _local(row["project_b"])) == (LUMITURVALLISUUS, REILA)
    assert (row["overlap_start"], row["overlap_end"]) == (date(2015, 6, 1), date(2017, 12, 31))
    assert _split(row["themes"]) == {"turvallisuus"}
    assert row["target_groups"] is None
    assert _split(row["municipalities"]) == {
        "Salla", "Kittilä", "Rovaniemi", "Kolari", "Savukoski", "Tornio", "Enontekiö", "Muonio",
        "Pelkosenniemi", "Posio", "Kemijärvi"}


def test_overlapping_projects_theme(graph: Graph) -> None:
    rows = run_query(graph, "overlapping-projects", theme=THEME + "turvallisuus").records()
    assert rows
    assert all("turvallisuus" in _split(r["themes"]) for r in rows)
    assert all(r["overlap_start"] <= r["overlap_end"] for r in rows)
    assert all(r["project_a"] < r["project_b"] for r in rows)


# --- projects-per-year and projects-per-year-by-funder ------------------------------------------


def test_projects_per_year_yhteisollisyys(graph: Graph) -> None:
    # The twelve rows whose theme cell says "yhteisöllisyys" (catalogue lines 1425, 1816, 1937,
    # 2238, 4732, 4817, 5628, 5773, 6445, 7097, 7623, 8898 and the same projects in other
    # sections), with their periods: 1.9.2016-31.12.2018 (8877-8878), 2017 (4798), 5/2017-4/2019
    # (5760-5762), 5.5.2017-30.4.2019 (1913-1914), 2018-2021 (6428-6429), 2018-2020 (2220),
    # 2019-2021 (4719-4720), 2020-2022 (7081-7082, 7608-7609), 1.2.2020-30.9.2022 (5617-5618),
    # 1.5.2020-28.2.2021 (1408-1409); "Kylien investoinnit" states no period (1786-1816).
    rows = run_query(graph, "projects-per-year", theme=THEME + "yhteisollisyys").records()
    assert [(r["year"], r["projects"]) for r in rows] == [
        (2016, 1), (2017, 4), (2018, 5), (2019, 5), (2020, 7), (2021, 6), (2022, 3)]
    assert {r["theme_label"] for r in rows} == {"yhteisöllisyys"}


def test_projects_per_year_by_funder_nikk(graph: Graph) -> None:
    # NIKK's projects: 01.09.2017 - 31.08.2018 (catalogue 5791-5792), 01.12.2018 - 31.05.2021
    # (7782-7783), 11.09.2019 - 11.09.2021 (8639-8640).
    rows = run_query(graph, "projects-per-year-by-funder", funder=NIKK).records()
    assert [(r["year"], r["projects"]) for r in rows] == [(2017, 1), (2018, 2), (2019, 2), (2020, 2), (2021, 2)]
    assert {r["funder_label"] for r in rows} == {"NIKK – Nordic Information on Gender"}


# --- project-sources ----------------------------------------------------------------------------


def test_project_sources_s21758(graph: Graph) -> None:
    # The news release states S21758 on line 5 (lead, title, ESR), 16 (target groups) and 28
    # (budget, area, period); the register's period is line 13 and municipalities line 86; the
    # summary card's period is line 7 and implementer line 17.
    rows = {r["file"]: r for r in run_query(graph, "project-sources", project=PROJECT + S21758).records()}
    assert set(rows) == {REGISTER_S21758, CARD_S21758, NEWS_S21758}
    assert _split(rows[NEWS_S21758]["line_ranges"]) == {"5-5", "16-16", "28-28"}
    assert {"13-13", "86-86"} <= _split(rows[REGISTER_S21758]["line_ranges"])
    assert {"7-7", "17-17"} <= _split(rows[CARD_S21758]["line_ranges"])
    assert all(r["claims"] > 0 for r in rows.values())


def test_project_sources_s20154_catalogue_rows(graph: Graph) -> None:
    # S20154 is in the register and in five catalogue sections, rows 236-266 (Kemi), 1670-1699
    # (Keminmaa), 2530-2559 (Simo), 3090-3120 (Tervola), 3803-3833 (Tornio).
    rows = {r["file"]: r for r in run_query(graph, "project-sources", project=PROJECT + "S20154").records()}
    assert set(rows) == {REGISTER_S20154, CATALOGUE}
    spans = [tuple(map(int, s.split("-"))) for s in _split(rows[CATALOGUE]["line_ranges"])]
    catalogue_rows = [(236, 266), (1670, 1699), (2530, 2559), (3090, 3120), (3803, 3833)]
    assert all(any(a <= first <= last <= b for a, b in catalogue_rows) for first, last in spans)
    assert all(any(a <= first <= b for first, _ in spans) for a, b in catalogue_rows)
    ranges = rows[CATALOGUE]["line_ranges"].split(" | ")
    assert ranges == sorted(ranges, key=lambda s: tuple(map(int, s.split("-"))))


def test_project_sources_agree_with_project_claims(graph: Graph) -> None:
    # Each claim of project-claims is counted once, under its file, by project-sources.
    project = PROJECT + "S20154"
    claims = Counter(r["file"] for r in run_query(graph, "project-claims", project=project).records())
    sources = {r["file"]: r["claims"] for r in run_query(graph, "project-sources", project=project).records()}
    assert sources == dict(claims)


# --- data-quality checks: each one fires on a small invalid graph -------------------------------

PREFIXES = """
@prefix hk: <https://w3id.org/hyvinvointi-kg/ontology#> .
@prefix project: <https://w3id.org/hyvinvointi-kg/id/project/> .
@prefix place: <https://w3id.org/hyvinvointi-kg/id/place/> .
@prefix ex: <https://example.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


def _turtle(text: str) -> Graph:
    return Graph().parse(data=PREFIXES + text, format="turtle")


def test_end_before_start_violation_detects_reversed_period() -> None:
    graph = _turtle("""
        project:a hk:startDate "2020-01-01"^^xsd:date ; hk:endDate "2019-12-31"^^xsd:date .
        project:b hk:startDate "2020-01-01"^^xsd:date ; hk:endDate "2020-01-01"^^xsd:date .
    """)
    assert [_local(r["project"]) for r in run_query(graph, "end-before-start-violation").records()] == ["a"]


def test_funding_without_funder_violation_detects_both_problems() -> None:
    graph = _turtle("""
        project:a hk:hasFunding ex:f1 , ex:f2 .
        ex:f1 a hk:Funding .
        ex:f2 a hk:Funding ; hk:funder ex:esr .
        ex:f3 a hk:Funding ; hk:funder ex:esr .
    """)
    rows = run_query(graph, "funding-without-funder-violation").records()
    assert [(_local(r["funding"]), r["problem"]) for r in rows] == [
        ("f1", "funding without a funder"), ("f3", "funding of no project")]


def test_municipality_code_duplicate_violation_detects_shared_code() -> None:
    graph = _turtle("""
        place:a hk:municipalityCode "240" .
        place:b hk:municipalityCode "240" .
        place:c hk:municipalityCode "241" .
    """)
    rows = run_query(graph, "municipality-code-duplicate-violation").records()
    assert [(r["code"], r["count"]) for r in rows] == [("240", 2)]


def test_project_without_source_violation_detects_unstated_project() -> None:
    graph = _turtle("""
        project:stated a hk:Project .
        ex:claim1 a hk:Claim ; rdf:subject project:stated ; prov:wasDerivedFrom ex:span .
        ex:span hk:inDocument ex:doc ; hk:firstLine 1 ; hk:lastLine 2 .
        project:unstated a hk:Project .
        ex:claim2 a hk:Claim ; rdf:subject project:unstated .
    """)
    rows = run_query(graph, "project-without-source-violation").records()
    assert [_local(r["project"]) for r in rows] == ["unstated"]


def test_project_without_lead_violation_detects_two_leads_and_an_undescribed_none() -> None:
    # "16 Lapin kunnan yhteishanke" (catalogue 6718-6720) names no one organisation as lead: the
    # text is kept as hk:partnerDescription and the project is not a violation.
    graph = _turtle("""
        project:one a hk:Project ; hk:leadImplementer ex:a .
        project:two a hk:Project ; hk:leadImplementer ex:a , ex:b .
        project:none a hk:Project ; hk:partner ex:a .
        project:group a hk:Project ; hk:partnerDescription "16 Lapin kunnan yhteishanke"@fi .
    """)
    rows = run_query(graph, "project-without-lead-violation").records()
    assert sorted((_local(r["project"]), r["leads"]) for r in rows) == [("none", 0), ("two", 2)]


def test_organisation_label_collision_violation_detects_a_preflabel_used_by_another() -> None:
    graph = _turtle("""
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        ex:a a hk:Organisation ; skos:prefLabel "Lapin yliopisto"@fi .
        ex:b a hk:Organisation ; skos:prefLabel "Lapin AMK"@fi ; skos:altLabel "lapin yliopisto"@fi .
        ex:c a hk:Organisation ; skos:prefLabel "Kemin kaupunki"@fi .
        ex:d a hk:Organisation ; skos:prefLabel "Tornion kaupunki"@fi ; skos:altLabel "Kemin kaupunki"@fi .
        ex:e a hk:Organisation ; skos:prefLabel "Simon kunta"@fi ; skos:altLabel "SK"@fi .
        ex:f a hk:Organisation ; skos:prefLabel "Sallan kunta"@fi ; skos:altLabel "SK"@fi .
    """)
    rows = run_query(graph, "organisation-label-collision-violation").records()
    # two alternative labels alike ("SK") are no collision: neither is a preferred name
    assert [r["label"] for r in rows] == ["kemin kaupunki", "lapin yliopisto"]


def test_place_without_code_violation_detects_each_kind_of_place() -> None:
    graph = _turtle("""
        place:ok a hk:Municipality ; hk:municipalityCode "240" .
        place:m a hk:Municipality ; hk:municipalityCode "24" .
        place:s a hk:SubRegion .
        place:r a hk:Region ; hk:regionCode "019" .
        project:p hk:targetArea place:ok , place:unknown .
    """)
    rows = run_query(graph, "place-without-code-violation").records()
    assert [(_local(r["place"]), r["problem"]) for r in rows] == [
        ("m", "municipality without a three-digit code"), ("r", "region without a two-digit code"),
        ("s", "sub-region without a three-digit code"),
        ("unknown", "target area that is not a known municipality, sub-region or region")]
