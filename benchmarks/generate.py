"""Generate synthetic graphs with the shape of the real one, streamed as N-Triples.

Run: python benchmarks/generate.py --projects 10000 --seed 1 -o /tmp/gen/10k.nt [--provenance]

The output is written line by line to a temporary file next to *-o* and renamed
into place at the end (atomic: an interrupted run leaves no partial file); memory
stays flat at any size (a few hundred MB at a million projects, for the
organisation pool). The same ``--projects``, ``--seed`` and ``--provenance``
give the same bytes.

What is generated, after the figures of the real graph (``data/ttl/graph.ttl``,
227 projects):

- the real reference places (``place_graph()``: 309 municipalities, their
  sub-regions and regions, Finland), so that target areas are the official
  ``place/kunta/NNN`` IRIs and the output validates on its own;
- a fixed set of real funders (ESR, EAKR, STEA, ministries, …), programmes and
  granting authorities with the real IRIs and names;
- one source document (the synthetic catalogue, with a SHA-256 checksum);
- organisations: the real top implementers (Lapin yliopisto, Lapin AMK, the
  Lapland municipalities as organisations, …) and a synthetic pool of
  ``4 · projects ** 0.75`` named associations, companies, foundations, joint
  municipal authorities, parishes and others, with legal forms, domiciles and
  business IDs with valid check digits. Implementers are drawn with Zipf
  popularity (weight 1/rank): the most popular organisation implements far more
  projects than the median one. An organisation is written just before the first
  project that uses it, so unused pool members are not in the graph;
- projects: a Finnish title and description, a lead implementer, 0–15 partners
  (none for 59 %), 1–40 target areas (one for 70 %; the Lapland region as a
  whole for about a quarter of areas, Lapland municipalities for three quarters
  of the municipal ones, the rest of Finland for the others), 1–3 themes and
  0–3 target groups from the SKOS schemes, stated and normalised start and end
  dates 2007–2027 (none for 3 %), a project code for EU-funded projects, and
  one funding record with a funder, often a programme and a granting authority,
  sometimes a monetary amount.

Provenance: by default the graph has no reified claims. The real graph states,
for every fact, the source line range it was read from (``hk:Claim`` with
``rdf:subject``/``rdf:predicate``/``rdf:object``, ``prov:wasDerivedFrom`` a
``hk:SourceSpan``): about 200 of its 266 triples per project. The issue's figure
of about 26 triples per project is the graph without them, the benchmarked
queries, overlaps and networks never read them, and comparing stacks needs the
same data on both sides. ``--provenance`` adds them (one span per project and a
claim per stated fact: about 10 claims, 65 more triples per project) to measure
what provenance costs to load and validate.

The generated graph conforms to ``ontology/shapes.ttl`` (tests/test_generate.py
validates 200 projects with the ontology).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sys
import tempfile
import time
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from hyvinvointi_kg.namespaces import slugify

BASE = "https://w3id.org/hyvinvointi-kg/"
ID = BASE + "id/"
HK = BASE + "ontology#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
SPDX = "http://spdx.org/rdf/terms#"
XSD = "http://www.w3.org/2001/XMLSchema#"

CATALOGUE = "synthetic_catalogue_fi.txt"
LINES_PER_PROJECT = 12
"""Each project's entry spans this many lines of the synthetic catalogue (for --provenance)."""


def _iri(value: str) -> str:
    return f"<{value}>"


def _hk(local: str) -> str:
    return f"<{HK}{local}>"


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _text(value: str, lang: str | None = None) -> str:
    body = f'"{value.translate(_ESCAPES)}"'
    return f"{body}@{lang}" if lang else body


def _typed(value: str, datatype: str) -> str:
    return f'"{value}"^^<{XSD}{datatype}>'


def _line(s: str, p: str, o: str) -> str:
    return f"{s} {p} {o} .\n"


# ---------------------------------------------------------------------------
# Vocabulary: concepts of ontology/schemes.ttl with weights after the real graph.
# ---------------------------------------------------------------------------

THEMES = {  # slug: (weight, title phrases, goal sentence)
    "hyvinvointi": (30, ("Hyvinvointia arkeen", "Hyvä arki", "Hyvinvoinnin polut", "Elämänlaatua"),
                    "edistää asukkaiden hyvinvointia ja arjessa jaksamista"),
    "sosiaalinen-osallisuus": (18, ("Osallisuutta yhdessä", "Osallisuuden askeleet", "Matalan kynnyksen tuki",
                                    "Kohtaamispaikka"),
                               "vahvistaa heikommassa asemassa olevien osallisuutta ja toimijuutta"),
    "tyollisyys": (12, ("Polku työelämään", "Osaajat töihin", "Työkykyä ja valmennusta", "Työhön"),
                   "parantaa työllistymisen edellytyksiä ja tukea siirtymistä työelämään"),
    "terveyden-edistaminen": (10, ("Liikkuva arki", "Terveyttä elintavoista", "Terveysneuvonta",
                                   "Etäterveys"),
                              "edistää terveellisiä elintapoja ja ehkäistä sairauksia"),
    "mielenterveys": (8, ("Mielen hyvinvointi", "Jaksamisen tueksi", "Vertaistuki", "Mielen ensiapu"),
                      "tukea mielenterveyttä ja lisätä mielenterveystaitoja"),
    "syrjaytymisen-ehkaisy": (8, ("Uusi suunta", "Toinen mahdollisuus", "Etsivä työ", "Nuorten polut"),
                              "ehkäistä syrjäytymistä ja löytää tuen tarpeessa olevat ajoissa"),
    "yhteisollisyys": (8, ("Kyläyhteisöt", "Naapuriapu", "Yhteinen olohuone", "Vapaaehtoiset"),
                       "vahvistaa yhteisöllisyyttä ja vapaaehtoistoimintaa"),
    "turvallisuus": (6, ("Turvallinen arki", "Arjen turva", "Väkivallan ehkäisy", "Kylien turvallisuus"),
                     "lisätä arjen turvallisuutta ja ehkäistä väkivaltaa"),
}
TARGET_GROUPS = {  # slug: (weight, Finnish label as the subject of a sentence)
    "nuoret": (20, "nuoret"), "lapset-ja-perheet": (16, "lapset ja perheet"),
    "ikaantyneet": (12, "ikääntyneet"), "tyottomat": (10, "työttömät"),
    "tyoikaiset": (6, "työikäiset"), "pitkaaikaistyottomat": (5, "pitkäaikaistyöttömät"),
    "maahanmuuttajat": (5, "maahanmuuttajat"), "ammattilaiset": (8, "alan ammattilaiset"),
    "jarjestot": (4, "järjestöt"), "yritykset": (3, "yritykset"), "saamelaiset": (2, "saamelaiset"),
    "asukkaat": (5, "alueen asukkaat"), "vammaiset": (3, "vammaiset"),
    "kehitysvammaiset": (2, "kehitysvammaiset"),
    "mielenterveys-ja-paihdekuntoutujat": (3, "mielenterveys- ja päihdekuntoutujat"),
    "heikommassa-asemassa-olevat": (4, "heikommassa asemassa olevat"),
}
AMOUNT_KINDS = ("granted-eu-state", "planned-public-total", "total-budget")

# ---------------------------------------------------------------------------
# Funders, programmes and granting authorities: real IRIs and names.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Funder:
    path: str
    types: tuple[str, ...]
    labels: tuple[tuple[str, str], ...]
    weight: float
    programmes: tuple[str, ...] = ()
    authority: str | None = None
    code_letter: str | None = None


FUNDERS = (
    _Funder("fund/esr", ("Fund", "FundingSource"),
            (("Euroopan sosiaalirahasto", "fi"), ("European Social Fund", "en")), 40,
            ("rr-2007-2013", "rr-2014-2020", "rr-2021-2027"), "org/pohjois-pohjanmaan-ely-keskus", "S"),
    _Funder("fund/eakr", ("Fund", "FundingSource"),
            (("Euroopan aluekehitysrahasto", "fi"), ("European Regional Development Fund", "en")), 7,
            ("rr-2007-2013", "rr-2014-2020", "rr-2021-2027"), "org/lapin-liitto", "A"),
    _Funder("org/stea", ("StateAgency", "FundingSource"),
            (("Sosiaali- ja terveysjärjestöjen avustuskeskus STEA", "fi"),), 12,
            ("stea-kohdennettu-toiminta-avustus",)),
    _Funder("org/opetushallitus", ("StateAgency", "FundingSource"),
            (("Opetushallitus", "fi"), ("Finnish National Agency for Education", "en")), 10),
    _Funder("org/opetus-ja-kulttuuriministerio", ("Ministry", "FundingSource"),
            (("Opetus- ja kulttuuriministeriö", "fi"), ("Ministry of Education and Culture", "en")), 6),
    _Funder("org/sosiaali-ja-terveysministerio", ("Ministry", "FundingSource"),
            (("Sosiaali- ja terveysministeriö", "fi"), ("Ministry of Social Affairs and Health", "en")), 4,
            ("kaste",), "org/sosiaali-ja-terveysministerio"),
    _Funder("org/suomen-akatemia", ("StateAgency", "FundingSource"),
            (("Suomen Akatemia", "fi"), ("Research Council of Finland", "en")), 3),
    _Funder("fund/maaseuturahasto", ("Fund", "FundingSource"),
            (("Euroopan maaseudun kehittämisen maatalousrahasto", "fi"),
             ("European Agricultural Fund for Rural Development", "en")), 3, ("leader",),
            "org/perapohjolan-leader-ry"),
    _Funder("org/euroopan-komissio", ("InternationalBody", "FundingSource"),
            (("Euroopan komissio", "fi"), ("European Commission", "en")), 2, ("erasmus-plus",)),
    _Funder("org/lapin-liitto", ("RegionalCouncil", "FundingSource"),
            (("Lapin liitto", "fi"), ("Regional Council of Lapland", "en")), 3, ("aiko",)),
    _Funder("org/terveyden-ja-hyvinvoinnin-laitos", ("StateAgency", "FundingSource"),
            (("Terveyden ja hyvinvoinnin laitos", "fi"), ("Finnish Institute for Health and Welfare", "en")), 3),
    _Funder("org/perapohjolan-leader-ry", ("Association", "FundingSource"),
            (("Peräpohjolan Leader ry", "fi"),), 3),
    _Funder("funder/ministeriot", ("FundingSource",),
            (("ministeriöt (ei eritelty)", "fi"), ("ministries (not specified)", "en")), 2),
    _Funder("funder/saatiot", ("FundingSource",),
            (("säätiöt (ei eritelty)", "fi"), ("foundations (not specified)", "en")), 2),
)
PROGRAMMES = {  # slug: (labels, funds)
    "rr-2007-2013": ((("Rakennerahasto-ohjelmat 2007–2013", "fi"), ("Structural funds programmes 2007–2013", "en")),
                     ("fund/eakr", "fund/esr")),
    "rr-2014-2020": ((("Kestävää kasvua ja työtä 2014–2020 – Suomen rakennerahasto-ohjelma", "fi"),
                      ("Sustainable growth and jobs 2014–2020 – Finland's structural funds programme", "en")),
                     ("fund/eakr", "fund/esr")),
    "rr-2021-2027": ((("Uudistuva ja osaava Suomi 2021–2027", "fi"), ("Innovation and Skills in Finland 2021–2027",
                                                                      "en")),
                     ("fund/eakr", "fund/esr")),
    "stea-kohdennettu-toiminta-avustus": ((("STEA:n kohdennettu toiminta-avustus (Ak)", "fi"),), ()),
    "kaste": ((("Sosiaali- ja terveydenhuollon kansallinen kehittämisohjelma (Kaste)", "fi"),), ()),
    "leader": ((("Leader-toiminta", "fi"), ("Leader", "en")), ()),
    "erasmus-plus": ((("Erasmus+", "fi"), ("Erasmus+", "en")), ()),
    "aiko": ((("Alueelliset innovaatiot ja kokeilut (AIKO)", "fi"),), ()),
}
AUTHORITIES = {  # granting authorities that are not funders themselves
    "org/pohjois-pohjanmaan-ely-keskus": (
        "StateAgency", (("Pohjois-Pohjanmaan elinkeino-, liikenne- ja ympäristökeskus", "fi"),
                        ("Centre for Economic Development, Transport and the Environment North Ostrobothnia",
                         "en")), "valtion-viranomainen"),
}
LEGAL_FORM_OF_FUNDER = {"StateAgency": "valtion-viranomainen", "Ministry": "valtion-viranomainen",
                        "RegionalCouncil": "kuntayhtyma", "Association": "rekisteroity-yhdistys"}

# ---------------------------------------------------------------------------
# Organisations: the real top implementers first (Zipf rank order), then a pool.
# ---------------------------------------------------------------------------

LAPLAND_MUNICIPALITIES = (  # code, organisation name; in the real graph's order of popularity
    ("240", "Kemin kaupunki"), ("851", "Tornion kaupunki"), ("241", "Keminmaan kunta"),
    ("698", "Rovaniemen kaupunki"), ("976", "Ylitornion kunta"), ("845", "Tervolan kunta"),
    ("751", "Simon kunta"), ("320", "Kemijärven kaupunki"), ("683", "Ranuan kunta"),
    ("758", "Sodankylän kunta"), ("273", "Kolarin kunta"), ("854", "Pellon kunta"),
    ("614", "Posion kunta"), ("261", "Kittilän kunta"), ("732", "Sallan kunta"),
    ("148", "Inarin kunta"), ("890", "Utsjoen kunta"), ("047", "Enontekiön kunta"),
    ("498", "Muonion kunta"), ("742", "Savukosken kunta"), ("583", "Pelkosenniemen kunta"),
)
ANCHORS = (  # name, class, legal form
    ("Lapin yliopisto", "University", "julkisoikeudellinen-yliopisto"),
    ("Lapin ammattikorkeakoulu Oy", "UniversityOfAppliedSciences", "osakeyhtio"),
    ("Kemin kaupunki", "MunicipalityOrganisation", "kunta"),
    ("Pohjois-Suomen sosiaalialan osaamiskeskus", "OtherOrganisation", None),
    ("Rovaniemen koulutuskuntayhtymä", "JointMunicipalAuthority", "kuntayhtyma"),
    ("Rovaniemen kaupunki", "MunicipalityOrganisation", "kunta"),
    ("Kolpeneen palvelukeskuksen kuntayhtymä", "JointMunicipalAuthority", "kuntayhtyma"),
    ("Turun ammattikorkeakoulu Oy", "UniversityOfAppliedSciences", "osakeyhtio"),
    ("Suomen Punainen Risti", "Association", None),
    ("Lapin ensi- ja turvakoti ry", "Association", "rekisteroity-yhdistys"),
    ("Oulun yliopisto", "University", "julkisoikeudellinen-yliopisto"),
    ("Tornion kaupunki", "MunicipalityOrganisation", "kunta"),
    ("Lapin sairaanhoitopiirin kuntayhtymä", "JointMunicipalAuthority", "kuntayhtyma"),
    ("Oulun ammattikorkeakoulu Oy", "UniversityOfAppliedSciences", "osakeyhtio"),
    ("Lapin hyvinvointialue", "WellbeingServicesCounty", "hyvinvointialue"),
    ("Kajaanin ammattikorkeakoulu Oy", "UniversityOfAppliedSciences", "osakeyhtio"),
    ("Itä-Suomen yliopisto", "University", "julkisoikeudellinen-yliopisto"),
    ("Rovaniemen seurakunta", "Parish", "seurakunta"),
    ("Umeå universitet", "University", None),
    ("Luleå tekniska universitet", "University", None),
    ("UiT Norges arktiske universitet", "University", None),
)
GENITIVES = (
    "Lapin", "Pohjois-Suomen", "Meri-Lapin", "Itä-Lapin", "Tunturi-Lapin", "Peräpohjolan",
    "Tornionlaakson", "Pohjoisen", "Rovaniemen", "Kemin", "Tornion", "Kemijärven", "Sodankylän",
    "Inarin", "Kittilän", "Sallan", "Posion", "Ranuan", "Pellon", "Kolarin", "Muonion", "Enontekiön",
    "Utsjoen", "Simon", "Tervolan", "Keminmaan", "Ylitornion", "Savukosken", "Pelkosenniemen",
    "Oulun", "Kainuun", "Arktisen", "Saamelaisalueen",
)
QUALIFIERS = ("Uusi", "Yhteinen", "Vireä", "Aktiivinen", "Pohjoinen", "Läntinen", "Itäinen", "Eteläinen")
KINDS = (  # class, weight, legal form, business ID share, name patterns ({g} = a genitive)
    ("Association", 34, "rekisteroity-yhdistys", 0.8,
     ("{g} nuorisoyhdistys ry", "{g} kyläyhdistys ry", "{g} mielenterveysyhdistys ry", "{g} eläkeläiset ry",
      "{g} liikuntaseura ry", "{g} kulttuuriyhdistys ry", "{g} perheyhdistys ry", "{g} vammaisyhdistys ry",
      "{g} työttömät ry", "{g} setlementti ry", "{g} Martat ry", "{g} sydänyhdistys ry",
      "{g} omaishoitajat ry", "{g} kriisikeskus ry", "{g} monikulttuurinen yhdistys ry",
      "{g} 4H-yhdistys ry", "{g} partiolaiset ry", "{g} reumayhdistys ry")),
    ("OtherOrganisation", 20, None, 0.0,
     ("{g} hyvinvointiverkosto", "{g} osaamiskeskus", "{g} toimintaryhmä", "{g} kumppanuusfoorumi",
      "{g} kehittämiskeskus", "{g} yhteistyöryhmä", "{g} nuorisotakuu", "{g} ohjaamo")),
    ("Company", 12, "osakeyhtio", 1.0,
     ("{g} Hoiva Oy", "{g} Kuntoutuspalvelut Oy", "{g} Koulutuspalvelut Oy", "{g} Kehitys Oy",
      "{g} Terveyspalvelut Oy", "{g} Valmennus Oy", "{g} Konsultointi Oy", "{g} Elämyspalvelut Oy")),
    ("Foundation", 8, "saatio", 0.9,
     ("{g} nuorisosäätiö sr", "{g} kuntoutussäätiö sr", "{g} asumissäätiö sr", "{g} kulttuurisäätiö sr",
      "{g} sosiaalisäätiö sr", "{g} koulutussäätiö sr")),
    ("JointMunicipalAuthority", 6, "kuntayhtyma", 0.9,
     ("{g} koulutuskuntayhtymä", "{g} sosiaalipalvelujen kuntayhtymä", "{g} terveyspalvelujen kuntayhtymä",
      "{g} jätehuollon kuntayhtymä")),
    ("Parish", 4, "seurakunta", 0.5, ("{g} seurakunta", "{g} ortodoksinen seurakunta")),
    ("StateAgency", 3, "valtion-viranomainen", 0.5, ("{g} poliisilaitos", "{g} TE-toimisto", "{g} aluevirasto")),
    ("InternationalBody", 1, None, 0.0, ("{g} Barents-verkosto", "{g} pohjoismainen neuvosto")),
)


def _business_id(number: int) -> str | None:
    """A Y-tunnus with a valid check digit for a seven-digit *number*, or None (remainder 1 is never issued)."""
    digits = f"{number:07d}"
    total = sum(int(d) * w for d, w in zip(digits, (7, 9, 10, 5, 8, 4, 2), strict=True))
    remainder = total % 11
    if remainder == 1:
        return None
    return f"{digits}-{0 if remainder == 0 else 11 - remainder}"


@dataclass(frozen=True)
class _Organisation:
    iri: str
    name: str
    cls: str
    legal_form: str | None
    business_id: str | None
    governs: str | None
    domicile: str | None


def _pool_size(projects: int) -> int:
    return max(60, int(4 * projects ** 0.75))


# ---------------------------------------------------------------------------
# The generator.
# ---------------------------------------------------------------------------


class _Weighted:
    """Draw from *items* with the given weights (bisection on cumulative weights)."""

    def __init__(self, items: Sequence[object], weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cumulative = list(accumulate(weights))
        self.total = self.cumulative[-1]

    def index(self, rng: random.Random) -> int:
        return bisect_right(self.cumulative, rng.random() * self.total)

    def draw(self, rng: random.Random) -> object:
        return self.items[min(self.index(rng), len(self.items) - 1)]

    def distinct(self, rng: random.Random, k: int, *, exclude: frozenset[int] = frozenset()) -> list[int]:
        """Up to *k* distinct indexes (fewer if draws keep repeating), never one in *exclude*."""
        chosen: list[int] = []
        for _ in range(k * 8):
            if len(chosen) == k:
                break
            i = min(self.index(rng), len(self.items) - 1)
            if i not in chosen and i not in exclude:
                chosen.append(i)
        return chosen


def _places() -> tuple[list[str], dict[str, str], list[str], list[str]]:
    """Reference place triples as sorted N-Triples lines, Finnish place names, Lapland and other municipality IRIs."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import RDF as RDFNS
    from rdflib.namespace import SKOS as SKOSNS

    from hyvinvointi_kg.assembly.places import place_graph

    graph = place_graph()
    lines = sorted(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in graph)
    hk_municipality, hk_part_of = URIRef(HK + "Municipality"), URIRef(HK + "partOf")
    lapland = URIRef(ID + "place/maakunta/19")
    names: dict[str, str] = {}
    inside, outside = [], []
    for place, label in graph.subject_objects(SKOSNS.prefLabel):
        if isinstance(label, Literal) and label.language == "fi":
            names[str(place)] = str(label)
    for m in sorted(graph.subjects(RDFNS.type, hk_municipality), key=str):
        regions = {r for sub in graph.objects(m, hk_part_of) for r in graph.objects(sub, hk_part_of)}
        (inside if lapland in regions else outside).append(str(m))
    return lines, names, inside, outside


def generate(projects: int, seed: int, *, provenance: bool = False) -> Iterator[str]:
    """N-Triples lines (each ending in a newline) of a synthetic graph of *projects* projects.

    Deterministic: the same arguments give the same lines in the same order.

    Raises
    ------
    ValueError
        If *projects* is not positive.

    Examples
    --------
    >>> lines = list(generate(3, seed=1))
    >>> sum(1 for line in lines if line.endswith("<https://w3id.org/hyvinvointi-kg/ontology#Project> .\\n"))
    3
    """
    if projects < 1:
        raise ValueError(f"projects must be positive, got {projects}")
    return _generate(projects, seed, provenance=provenance)


def _generate(projects: int, seed: int, *, provenance: bool) -> Iterator[str]:
    rng = random.Random(seed)
    place_lines, municipality_names, lapland, elsewhere = _places()
    yield from place_lines

    # Where projects work and organisations live: Lapland municipalities in the real order of
    # popularity with Zipf weights (three quarters of municipal mentions), the rest of Finland evenly.
    lapland_order = [ID + f"place/kunta/{code}" for code, _ in LAPLAND_MUNICIPALITIES]
    lapland_order += [m for m in lapland if m not in lapland_order]
    others = list(elsewhere)
    lap_weights = [1 / (r + 1) ** 0.9 for r in range(len(lapland_order))]
    scale = 0.76 / sum(lap_weights)
    municipalities = _Weighted(lapland_order + others,
                               [w * scale for w in lap_weights] + [0.24 / len(others)] * len(others))
    regions = _Weighted([ID + "place/maakunta/19", ID + "place/maakunta/17", ID + "place/maakunta/18",
                         ID + "place/seutukunta/191", ID + "place/seutukunta/197"], [88, 4, 3, 3, 2])

    # The source document every project and organisation cites.
    document = _iri(ID + f"source/{CATALOGUE}")
    checksum = _iri(ID + f"source/{CATALOGUE}/sha256")
    digest = hashlib.sha256(f"hyvinvointi_kg synthetic {projects} {seed} {provenance}".encode()).hexdigest()
    yield _line(document, RDF_TYPE, _hk("SourceDocument"))
    yield _line(document, _hk("fileName"), _text(CATALOGUE))
    yield _line(document, f"<{DCTERMS}title>", _text(CATALOGUE))
    yield _line(document, f"<{DCTERMS}language>", _text("fi"))
    yield _line(document, _hk("lineCount"), _typed(str(projects * LINES_PER_PROJECT), "nonNegativeInteger"))
    yield _line(document, f"<{SPDX}checksum>", checksum)
    yield _line(checksum, RDF_TYPE, f"<{SPDX}Checksum>")
    yield _line(checksum, f"<{SPDX}algorithm>", f"<{SPDX}checksumAlgorithm_sha256>")
    yield _line(checksum, f"<{SPDX}checksumValue>", _typed(digest, "hexBinary"))

    # Funders, programmes and granting authorities.
    pref = f"<{SKOS}prefLabel>"
    for funder in FUNDERS:
        node = _iri(ID + funder.path)
        for cls in funder.types:
            yield _line(node, RDF_TYPE, _hk(cls))
        for text, lang in funder.labels:
            yield _line(node, pref, _text(text, lang))
        for cls in funder.types:
            if cls in LEGAL_FORM_OF_FUNDER:
                yield _line(node, _hk("legalForm"), _iri(BASE + f"concept/legal-form/{LEGAL_FORM_OF_FUNDER[cls]}"))
    for slug, (labels, funds) in PROGRAMMES.items():
        node = _iri(ID + f"programme/{slug}")
        yield _line(node, RDF_TYPE, _hk("FundingProgramme"))
        for text, lang in labels:
            yield _line(node, pref, _text(text, lang))
        for fund in funds:
            yield _line(node, _hk("programmeFund"), _iri(ID + fund))
    for path, (cls, labels, form) in AUTHORITIES.items():
        node = _iri(ID + path)
        yield _line(node, RDF_TYPE, _hk(cls))
        for text, lang in labels:
            yield _line(node, pref, _text(text, lang))
        yield _line(node, _hk("legalForm"), _iri(BASE + f"concept/legal-form/{form}"))
    funder_draw = _Weighted(FUNDERS, [f.weight for f in FUNDERS])

    # The organisation pool in Zipf rank order: real anchors, the other Lapland municipalities, synthetic ones.
    municipality_of = {name: ID + f"place/kunta/{code}" for code, name in LAPLAND_MUNICIPALITIES}
    pool: list[_Organisation] = []
    seen: set[str] = {ID + f.path for f in FUNDERS} | {ID + path for path in AUTHORITIES}

    def add(name: str, cls: str, form: str | None, business_id: str | None, domicile: str | None) -> None:
        iri = ID + f"org/{slugify(name)}"
        if iri in seen:
            return
        seen.add(iri)
        governs = municipality_of[name] if cls == "MunicipalityOrganisation" else None
        pool.append(_Organisation(iri, name, cls, form, business_id, governs,
                                  None if governs else domicile))

    for name, cls, form in ANCHORS:
        add(name, cls, form, None, None)
    for _code, name in LAPLAND_MUNICIPALITIES:
        add(name, "MunicipalityOrganisation", "kunta", None, None)
    kinds = _Weighted(KINDS, [k[1] for k in KINDS])
    counters = [0] * len(KINDS)
    size = _pool_size(projects)
    while len(pool) < size:
        k = kinds.index(rng)
        cls, _weight, form, id_share, patterns = KINDS[k]
        c = counters[k]
        counters[k] += 1
        pattern = patterns[(c // len(GENITIVES)) % len(patterns)]
        name = pattern.format(g=GENITIVES[c % len(GENITIVES)])
        round_ = c // (len(GENITIVES) * len(patterns))
        if round_:
            qualifier = QUALIFIERS[(round_ - 1) % len(QUALIFIERS)]
            extra = (round_ - 1) // len(QUALIFIERS)
            name = f"{qualifier} {name}" + (f" {extra + 1}" if extra else "")
        business_id = _business_id(1_000_000 + len(pool) * 13) if rng.random() < id_share else None
        domicile = str(municipalities.draw(rng)) if rng.random() < 0.7 else None
        add(name, cls, form, business_id, domicile)
    popularity = _Weighted(range(len(pool)), [1 / (rank + 1) for rank in range(len(pool))])
    written = bytearray(len(pool))

    def organisation_lines(i: int) -> Iterator[str]:
        org = pool[i]
        node = _iri(org.iri)
        yield _line(node, RDF_TYPE, _hk(org.cls))
        yield _line(node, pref, _text(org.name, "fi"))
        yield _line(node, f"<{DCTERMS}source>", document)
        if org.legal_form:
            yield _line(node, _hk("legalForm"), _iri(BASE + f"concept/legal-form/{org.legal_form}"))
        if org.business_id:
            yield _line(node, _hk("businessId"), _text(org.business_id))
        if org.governs:
            yield _line(node, _hk("governs"), _iri(org.governs))
        if org.domicile:
            yield _line(node, _hk("domicile"), _iri(org.domicile))

    themes = _Weighted(list(THEMES), [v[0] for v in THEMES.values()])
    groups = _Weighted(list(TARGET_GROUPS), [v[0] for v in TARGET_GROUPS.values()])
    years = _Weighted(range(2007, 2026), [2, 3, 4, 5, 6, 6, 7, 9, 11, 12, 12, 13, 12, 13, 9, 7, 6, 5, 4])
    durations = _Weighted(range(6, 61, 3), [2, 4, 6, 9, 10, 9, 12, 10, 9, 8, 6, 5, 4, 2, 2, 1, 1, 1, 1])
    codes = {"S": 0, "A": 0}
    title_p, desc_p = f"<{DCTERMS}title>", f"<{DCTERMS}description>"
    source_p = f"<{DCTERMS}source>"
    openers = ("", "", "", "Kohti", "Yhdessä", "Vahva", "Pohjoisen", "Arjen", "Lapin", "Uusi")
    places_in = ("Lapissa", "pohjoisessa", "kylissä", "Meri-Lapissa", "Itä-Lapissa", "Tornionlaaksossa",
                 "Tunturi-Lapissa", "kunnissa", "")
    syllables = ("NUO", "VA", "KI", "PI", "NÄ", "AR", "KI", "LA", "PPI", "TU", "KE", "MO", "RA", "SI", "HY")
    actions = ("järjestetään ryhmätoimintaa, koulutuksia ja vertaistapaamisia",
               "kehitetään palveluja yhdessä asukkaiden ja järjestöjen kanssa",
               "kokeillaan digitaalisia palveluja ja etäyhteyksiä harvaan asutuilla alueilla",
               "luodaan alueellinen yhteistyöverkosto ja yhteinen toimintamalli",
               "koulutetaan ammattilaisia ja vapaaehtoisia tunnistamaan tuen tarve",
               "tuotetaan opas ja levitetään hyviä käytäntöjä muihin kuntiin",
               "tarjotaan yksilöllistä ohjausta ja valmennusta")

    for i in range(projects):
        # Who: a lead and partners, drawn with Zipf popularity.
        lead = min(popularity.index(rng), len(pool) - 1)
        n_partners = 0 if rng.random() < 0.59 else min(15, 1 + int(rng.expovariate(1 / 2.9)))
        partners = popularity.distinct(rng, n_partners, exclude=frozenset((lead,)))
        for j in (lead, *partners):
            if not written[j]:
                written[j] = 1
                yield from organisation_lines(j)
        # Where: one area for 70 %, else several municipalities (often with the region).
        if rng.random() < 0.70:
            areas = [str(regions.draw(rng)) if rng.random() < 0.45 else str(municipalities.draw(rng))]
        else:
            k = min(40, 2 + int(rng.expovariate(1 / 4.8)))
            areas = [str(municipalities.items[j]) for j in municipalities.distinct(rng, k)]
            if rng.random() < 0.3:
                areas.append(str(regions.draw(rng)))
        # What: themes and target groups.
        n_themes = 1 if rng.random() < 0.74 else (2 if rng.random() < 0.92 else 3)
        project_themes = [str(themes.items[j]) for j in themes.distinct(rng, n_themes)]
        r = rng.random()
        n_groups = 0 if r < 0.59 else 1 if r < 0.89 else 2 if r < 0.98 else 3
        project_groups = [str(groups.items[j]) for j in groups.distinct(rng, n_groups)]
        # When.
        dated = rng.random() >= 0.03
        start_year, start_month = int(years.draw(rng)), 1 + rng.randrange(12)  # type: ignore[call-overload]
        months = int(durations.draw(rng))  # type: ignore[call-overload]
        end_index = start_year * 12 + start_month - 1 + months - 1
        end_year, end_month = divmod(end_index, 12)
        end_month += 1
        end_day = (28 if end_month == 2 and end_year % 4 else 29 if end_month == 2
                   else 30 if end_month in (4, 6, 9, 11) else 31)
        start = f"{start_year:04d}-{start_month:02d}-01"
        end = f"{end_year:04d}-{end_month:02d}-{end_day:02d}"
        # Funding.
        funder: _Funder = funder_draw.draw(rng)  # type: ignore[assignment]
        funded = rng.random() < 0.98
        code = None
        if funded and funder.code_letter and codes[funder.code_letter] < 99_999:
            codes[funder.code_letter] += 1
            code = f"{funder.code_letter}{(codes[funder.code_letter] * 7 + 10_007) % 100_000:05d}"
        # Text.
        opener, theme_phrase = rng.choice(openers), rng.choice(THEMES[project_themes[0]][1])
        if opener:
            theme_phrase = theme_phrase[0].lower() + theme_phrase[1:]
        acronym = "".join(rng.choice(syllables) for _ in range(2 + rng.randrange(2)))
        title = " ".join(w for w in (
            f"{acronym} –" if rng.random() < 0.3 else "", opener, theme_phrase, rng.choice(places_in)) if w)
        names = [municipality_names.get(a) for a in areas]
        place_text = ", ".join(n for n in names if n)
        sentences = [f"Hankkeen tavoitteena on {THEMES[project_themes[0]][2]}."]
        if project_groups:
            sentences.append("Kohderyhmänä ovat " + " ja ".join(TARGET_GROUPS[g][1] for g in project_groups)
                             + ".")
        sentences.append(f"Toiminta-alueena on {place_text}.")
        sentences.append(f"Hankkeessa {rng.choice(actions)}, ja lisäksi {rng.choice(actions)}.")
        sentences.append(f"Päätoteuttaja on {pool[lead].name}"
                         + (f" ja osatoteuttajina {len(partners)} kumppania." if partners else "."))
        description = " ".join(sentences)

        slug = code or f"{slugify(title)}-{i + 1}"
        project = _iri(ID + f"project/{slug}")
        yield _line(project, RDF_TYPE, _hk("Project"))
        yield _line(project, title_p, _text(title, "fi"))
        yield _line(project, desc_p, _text(description, "fi"))
        yield _line(project, source_p, document)
        if code:
            yield _line(project, _hk("projectCode"), _text(code))
        yield _line(project, _hk("leadImplementer"), _iri(pool[lead].iri))
        for j in partners:
            yield _line(project, _hk("partner"), _iri(pool[j].iri))
        for area in areas:
            yield _line(project, _hk("targetArea"), _iri(area))
        for theme in project_themes:
            yield _line(project, _hk("theme"), _iri(BASE + f"concept/theme/{theme}"))
        for group in project_groups:
            yield _line(project, _hk("targetGroup"), _iri(BASE + f"concept/target-group/{group}"))
        if dated:
            for p, value in (("start", start), ("startDate", start), ("end", end), ("endDate", end)):
                yield _line(project, _hk(p), _typed(value, "date"))
        if funded:
            funding = _iri(f"{ID}project/{slug}/funding/{funder.path.rsplit('/', 1)[1]}")
            yield _line(project, _hk("hasFunding"), funding)
            yield _line(funding, RDF_TYPE, _hk("Funding"))
            yield _line(funding, _hk("funder"), _iri(ID + funder.path))
            yield _line(funding, source_p, document)
            if funder.programmes and rng.random() < 0.85:
                programme = funder.programmes[0] if len(funder.programmes) == 1 else (
                    "rr-2007-2013" if start_year < 2014 else "rr-2014-2020" if start_year < 2021
                    else "rr-2021-2027")
                yield _line(funding, _hk("programme"), _iri(ID + f"programme/{programme}"))
            if funder.authority and rng.random() < 0.9:
                yield _line(funding, _hk("grantingAuthority"), _iri(ID + funder.authority))
            if rng.random() < 0.1:
                kind = rng.choice(AMOUNT_KINDS)
                amount = _iri(f"{ID}project/{slug}/funding/{funder.path.rsplit('/', 1)[1]}/amount/{kind}")
                yield _line(funding, _hk("hasAmount"), amount)
                yield _line(amount, RDF_TYPE, _hk("MonetaryAmount"))
                yield _line(amount, _hk("amount"), _typed(f"{rng.randrange(20, 2000) * 500}.0", "decimal"))
                yield _line(amount, _hk("currency"), _text("EUR"))
                yield _line(amount, _hk("amountKind"), _iri(BASE + f"concept/amount-kind/{kind}"))
        if provenance:
            yield from _claims(project, i, title, pool[lead].iri, [pool[j].iri for j in partners], areas,
                               municipality_names, project_themes, start if dated else None,
                               end if dated else None)


def _claims(project: str, i: int, title: str, lead: str, partners: list[str], areas: list[str],
            names: dict[str, str], themes: list[str], start: str | None, end: str | None) -> Iterator[str]:
    """One source span (the project's lines in the catalogue) and a claim per stated fact."""
    first = i * LINES_PER_PROJECT + 1
    span = _iri(ID + f"source/{CATALOGUE}/lines/{first}-{first + LINES_PER_PROJECT - 1}")
    yield _line(span, RDF_TYPE, _hk("SourceSpan"))
    yield _line(span, _hk("inDocument"), _iri(ID + f"source/{CATALOGUE}"))
    yield _line(span, _hk("firstLine"), _typed(str(first), "positiveInteger"))
    yield _line(span, _hk("lastLine"), _typed(str(first + LINES_PER_PROJECT - 1), "positiveInteger"))
    facts: list[tuple[str, str, str]] = [(f"<{DCTERMS}title>", _text(title, "fi"), title),
                                         (_hk("leadImplementer"), _iri(lead), lead.rsplit("/", 1)[1])]
    facts += [(_hk("partner"), _iri(p), p.rsplit("/", 1)[1]) for p in partners]
    facts += [(_hk("targetArea"), _iri(a), names.get(a, a.rsplit("/", 1)[1])) for a in areas]
    facts += [(_hk("theme"), _iri(BASE + f"concept/theme/{t}"), t.replace("-", " ")) for t in themes]
    if start and end:
        stated = f"{start} → {end}"
        facts += [(_hk("startDate"), _typed(start, "date"), stated), (_hk("endDate"), _typed(end, "date"), stated)]
    for predicate, obj, stated in facts:
        digest = hashlib.sha1(f"{project}\x1f{predicate}\x1f{obj}\x1f{span}".encode()).hexdigest()[:20]
        claim = _iri(ID + f"claim/{digest}")
        yield _line(claim, RDF_TYPE, _hk("Claim"))
        yield _line(claim, f"<{RDF}subject>", project)
        yield _line(claim, f"<{RDF}predicate>", predicate)
        yield _line(claim, f"<{RDF}object>", obj)
        yield _line(claim, f"<{PROV}wasDerivedFrom>", span)
        yield _line(claim, _hk("statedAs"), _text(stated))


def write_graph(path: Path, projects: int, seed: int, *, provenance: bool = False) -> int:
    """Write the generated graph to *path* as N-Triples atomically; return the number of triples."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    count = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as handle:
            for line in generate(projects, seed, provenance=provenance):
                handle.write(line)
                count += 1
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return count


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--projects", type=int, required=True, help="number of projects (e.g. 1000, 1000000)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--provenance", action="store_true", help="also write reified claims and source spans")
    parser.add_argument("-o", "--output", type=Path, required=True, help="N-Triples file to write")
    args = parser.parse_args(argv)
    if args.projects < 1:
        parser.error("--projects must be positive")
    started = time.perf_counter()
    count = write_graph(args.output, args.projects, args.seed, provenance=args.provenance)
    seconds = time.perf_counter() - started
    print(f"{args.output}: {count:,} triples, {args.projects:,} projects "
          f"({count / args.projects:.1f} per project), {seconds:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
