"""Reference places: municipalities, sub-regions and regions from the official classification."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS
from rdflib.term import Node

from hyvinvointi_kg._resources import resource_dir
from hyvinvointi_kg.errors import SourceError
from hyvinvointi_kg.ingest.sources import describe_source, source_graph
from hyvinvointi_kg.namespaces import (
    HK,
    ID,
    KUNTA_CODELIST,
    WD,
    YSO,
    municipality_iri,
    region_iri,
    source_iri,
    subregion_iri,
)

__all__ = ["FINLAND", "Municipality", "PlaceIndex", "load_municipalities", "load_swedish_names", "place_graph"]

FINLAND = ID["place/maa/FI"]

_BOUNDARY_FILES = {"kunta": "municipalities_fi.geojson", "maakunta": "regions_fi.geojson"}
"""The National Land Survey's boundary files (in ``data/reference/boundaries``) by place kind."""

_NLS_LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
_NLS_ATTRIBUTION = "© Maanmittauslaitos (National Land Survey of Finland), CC BY 4.0"


@dataclass(frozen=True)
class Municipality:
    """One row of the official municipality classification."""

    code: str
    name_fi: str
    subregion_code: str
    subregion_fi: str
    region_code: str
    region_fi: str


def load_municipalities(path: Path | None = None) -> tuple[Municipality, ...]:
    """Read ``municipalities_fi.csv`` (codes kept as strings with their leading zeros).

    Raises
    ------
    SourceError
        If the file is missing or a row is malformed.

    Examples
    --------
    >>> rows = load_municipalities()
    >>> len(rows), next(m.code for m in rows if m.name_fi == "Enontekiö")
    (309, '047')
    """
    path = path or resource_dir("data/reference") / "municipalities_fi.csv"
    result = []
    for line_no, row in enumerate(_read_csv(path), start=2):
        try:
            result.append(
                Municipality(
                    code=row["code"],
                    name_fi=row["name_fi"],
                    subregion_code=row["subregion_code"],
                    subregion_fi=row["subregion_fi"],
                    region_code=row["region_code"],
                    region_fi=row["region_fi"],
                )
            )
        except KeyError as err:
            raise SourceError(f"{path}:{line_no}: missing column {err}") from err
    return tuple(result)


def load_swedish_names(path: Path) -> dict[str, str]:
    """Read the official Swedish names of a boundary file: ``NATCODE`` → ``NAMESWE``.

    The National Land Survey of Finland's administrative division gives every municipality
    and region its Swedish name, also where it is the Finnish one (``Tervola``).

    Raises
    ------
    SourceError
        If the file is missing, is not GeoJSON or a feature lacks its code or Swedish name.

    Examples
    --------
    >>> names = load_swedish_names(resource_dir("data/reference") / "boundaries" / "municipalities_fi.geojson")
    >>> len(names), names["091"], names["851"], names["845"]
    (309, 'Helsingfors', 'Torneå', 'Tervola')
    """
    try:
        features = json.loads(path.read_text(encoding="utf-8"))["features"]
    except OSError as err:
        raise SourceError(f"{path}: cannot read reference data: {err.strerror}") from err
    except (ValueError, KeyError, TypeError) as err:
        raise SourceError(f"{path}: not a GeoJSON feature collection: {err}") from err
    names: dict[str, str] = {}
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") or {}
        code, name = properties.get("NATCODE"), properties.get("NAMESWE")
        if not code or not name:
            raise SourceError(f"{path}: feature {number} has no NATCODE or NAMESWE")
        names[str(code)] = " ".join(str(name).split())
    return names


def _read_csv(path: Path) -> list[dict[str, str]]:
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
    except OSError as err:
        raise SourceError(f"{path}: cannot read reference data: {err.strerror}") from err


def _kind_iri(kind: str, code: str) -> URIRef:
    if kind == "kunta":
        return municipality_iri(code)
    if kind == "seutukunta":
        return subregion_iri(code)
    if kind == "maakunta":
        return region_iri(code)
    if kind == "maa":
        return FINLAND
    raise SourceError(f"unknown place kind {kind!r} (expected kunta, seutukunta, maakunta, maa)")


def place_graph(reference_dir: Path | None = None) -> Graph:
    """Build the place hierarchy: every municipality, sub-region and region, and Finland.

    Each municipality has its official code, Finnish name and ``hk:partOf`` its
    sub-region, which is part of its region, which is part of Finland. Every
    municipality and region has its official Swedish name from the National Land
    Survey's boundary files (``boundaries/*.geojson``; the place is
    ``prov:wasDerivedFrom`` that file, described as a source document with its
    checksum and licence). Verified YSO and Wikidata links, English and Sámi names
    (and Swedish names of places the boundaries do not cover) come from
    ``place_links.csv``; other names that sources use from ``place_aliases.csv``.

    Examples
    --------
    >>> g = place_graph()
    >>> from hyvinvointi_kg.namespaces import HK, municipality_iri, region_iri, subregion_iri
    >>> (municipality_iri("240"), HK.partOf, subregion_iri("192")) in g
    True
    >>> from hyvinvointi_kg.i18n import label
    >>> label(g, municipality_iri("148"), lang="sv"), label(g, region_iri("19"), lang="sv")
    ('Enare', 'Lappland')
    """
    reference_dir = reference_dir or resource_dir("data/reference")
    municipalities = load_municipalities(reference_dir / "municipalities_fi.csv")
    dataset = source_iri("municipalities_fi.csv")
    g = Graph(store="SimpleMemory")  # no named graphs here: the faster store
    g.add((FINLAND, RDF.type, HK.Country))
    g.add((FINLAND, SKOS.prefLabel, Literal("Suomi", lang="fi")))
    g.add((FINLAND, SKOS.prefLabel, Literal("Finland", lang="sv")))
    for m in municipalities:
        place = municipality_iri(m.code)
        sub = subregion_iri(m.subregion_code)
        region = region_iri(m.region_code)
        g.add((place, RDF.type, HK.Municipality))
        g.add((place, SKOS.prefLabel, Literal(m.name_fi, lang="fi")))
        g.add((place, HK.municipalityCode, Literal(m.code)))
        g.add((place, HK.partOf, sub))
        g.add((place, SKOS.exactMatch, KUNTA_CODELIST[m.code]))
        g.add((place, PROV.wasDerivedFrom, dataset))
        g.add((sub, RDF.type, HK.SubRegion))
        g.add((sub, SKOS.prefLabel, Literal(m.subregion_fi, lang="fi")))
        g.add((sub, HK.subRegionCode, Literal(m.subregion_code)))
        g.add((sub, HK.partOf, region))
        g.add((sub, PROV.wasDerivedFrom, dataset))
        g.add((region, RDF.type, HK.Region))
        g.add((region, SKOS.prefLabel, Literal(m.region_fi, lang="fi")))
        g.add((region, HK.regionCode, Literal(m.region_code)))
        g.add((region, HK.partOf, FINLAND))
        g.add((region, PROV.wasDerivedFrom, dataset))
    g += _swedish_names_graph(g, reference_dir / "boundaries")
    for row in _read_csv(reference_dir / "place_links.csv"):
        place = _kind_iri(row["kind"], row["code"])
        if (place, None, None) not in g:
            raise SourceError(f"place_links.csv: no {row['kind']} with code {row['code']!r}")
        if row["yso"]:
            g.add((place, SKOS.closeMatch, YSO[row["yso"]]))
        if row["wikidata"]:
            g.add((place, SKOS.closeMatch, WD[row["wikidata"]]))
        for column, lang in (("name_en", "en"), ("name_sv", "sv")):
            # The boundaries' official Swedish name wins (tests check that the two agree).
            if row[column] and not any(x.language == lang for x in g.objects(place, SKOS.prefLabel)
                                       if isinstance(x, Literal)):
                g.add((place, SKOS.prefLabel, Literal(row[column], lang=lang)))
        for column, lang in (("name_se", "se"), ("name_smn", "smn"), ("name_sms", "sms")):
            if row[column]:
                g.add((place, SKOS.altLabel, Literal(row[column], lang=lang)))
    for row in _read_csv(reference_dir / "place_aliases.csv"):
        place = _kind_iri(row["kind"], row["code"])
        if (place, None, None) not in g:
            raise SourceError(f"place_aliases.csv: no {row['kind']} with code {row['code']!r}")
        g.add((place, SKOS.altLabel, Literal(row["alias"], lang=row["lang"])))
    return g


def _swedish_names_graph(places: Graph, boundaries: Path) -> Graph:
    """The Swedish names of *places*' municipalities and regions, each derived from its boundary file."""
    g = Graph(store="SimpleMemory")
    for kind, file_name in _BOUNDARY_FILES.items():
        path = boundaries / file_name
        names = load_swedish_names(path)
        document = describe_source(path)
        cls = HK.Municipality if kind == "kunta" else HK.Region
        by_place: dict[Node, str] = {_kind_iri(kind, code): name for code, name in names.items()}
        for place in sorted(places.subjects(RDF.type, cls), key=str):
            if place not in by_place:
                raise SourceError(f"{path}: no Swedish name for {place} (no feature with its NATCODE)")
            g.add((place, SKOS.prefLabel, Literal(by_place[place], lang="sv")))
            g.add((place, PROV.wasDerivedFrom, document.iri))
        unknown = sorted(code for code in names if (_kind_iri(kind, code), RDF.type, cls) not in places)
        if unknown:
            raise SourceError(f"{path}: NATCODE {unknown[0]!r} is no {kind} of municipalities_fi.csv")
        g += source_graph([document])
        g.add((document.iri, DCTERMS.license, _NLS_LICENCE))
        g.add((document.iri, DCTERMS.bibliographicCitation, Literal(_NLS_ATTRIBUTION)))
    return g


class PlaceIndex:
    """Resolve place names as sources write them to place IRIs.

    Matching is case-insensitive on preferred and alternative labels in every
    language, and also accepts the genitive stem used in lists such as
    ``Seutukunnat: Kemi-Tornion``. Finnish names come first: a name in another
    language (``Torneå``, ``Lapland``, ``Anár``) never takes the place of another
    place's Finnish name, and genitives are formed of Finnish names only.

    Examples
    --------
    >>> index = PlaceIndex(place_graph())
    >>> index.resolve("Kemi", kind="municipality") == municipality_iri("240")
    True
    >>> index.resolve("Torniolaakson", kind="subregion") == subregion_iri("193")
    True
    >>> index.resolve("Torneå", kind="municipality") == municipality_iri("851")
    True
    >>> index.resolve("Atlantis", kind="municipality") is None
    True
    """

    _KIND_CLASS: ClassVar[dict[str, URIRef]] = {
        "municipality": HK.Municipality, "subregion": HK.SubRegion, "region": HK.Region,
    }

    def __init__(self, graph: Graph) -> None:
        self._names: dict[tuple[str, str], URIRef] = {}
        self._genitive: dict[str, URIRef] = {}
        for finnish in (True, False):
            for kind, cls in self._KIND_CLASS.items():
                for place in sorted(graph.subjects(RDF.type, cls), key=str):
                    assert isinstance(place, URIRef)
                    for label in self._labels(graph, place, finnish=finnish):
                        self._names.setdefault((kind, label.casefold()), place)
                        if not finnish:
                            continue
                        if kind in ("municipality", "region") and label[:1].isupper():
                            for form in self._genitives(label):
                                self._genitive.setdefault(form.casefold(), place)
                        if kind == "subregion" and label.endswith(" seutukunta"):
                            stem = label.removesuffix(" seutukunta")
                            self._names.setdefault((kind, stem.casefold()), place)

    @staticmethod
    def _labels(graph: Graph, place: URIRef, *, finnish: bool) -> Iterable[str]:
        """The pref- and altLabels of *place* in Finnish (or untagged), or in the other languages."""
        for prop in (SKOS.prefLabel, SKOS.altLabel):
            for label in sorted(graph.objects(place, prop), key=str):
                if isinstance(label, Literal) and (label.language in (None, "fi")) == finnish:
                    yield str(label)

    _AREA_PREFIX = re.compile(r"^(?:Lapissa|Lapista|Lapin alueella|Lapin alueelta)\s*:\s*", re.IGNORECASE)
    _ORG_SUFFIX = re.compile(r"\s+(?:kaupunki|kunta|kaupungin alue|kunnan alue)$", re.IGNORECASE)

    @staticmethod
    def _genitives(name: str) -> set[str]:
        """Genitive forms of a Finnish place name (Kemi → Kemin, Rovaniemi → Rovaniemen)."""
        forms = {name + "n"}
        for nominative, genitive in (("niemi", "niemen"), ("järvi", "järven"), ("joki", "joen"),
                                     ("koski", "kosken"), ("mäki", "mäen"), ("salmi", "salmen"),
                                     ("lampi", "lammen"), ("vesi", "veden"),
                                     ("lahti", "lahden"), ("Helsinki", "Helsingin"),
                                     ("Turku", "Turun"), ("Tampere", "Tampereen"),
                                     ("Lappi", "Lapin"), ("Sodankylä", "Sodankylän")):
            if name.endswith(nominative):
                forms.add(name[: -len(nominative)] + genitive)
        return forms

    def resolve_area(self, text: str) -> URIRef | None:
        """Resolve one item of a catalogue area cell to a municipality or region.

        Accepts municipality and region names, the municipality as an
        organisation in the genitive (``Kemin kaupunki``, ``Keminmaan kunta``),
        a bare genitive (``Simon``), a sub-region (``Tunturi-Lappi``), the rural areas
        of a municipality (``Tornion maaseutualueet``: within Tornio) and the
        prefixes ``Lapissa:`` / ``Lapista:``.

        Examples
        --------
        >>> index = PlaceIndex(place_graph())
        >>> [index.resolve_area(t).split("/")[-1] for t in
        ...  ("Kemin kaupunki", "Lapista: Tornion kaupunki", "Simon", "Lappi", "Rovaniemen kaupunki")]
        ['240', '851', '751', '19', '698']
        >>> index.resolve_area("Kemin ja Tornion maaseutualueet") is None
        True

        A bare genitive is the municipality; the sub-region needs its own word:

        >>> [index.resolve_area(t).split("/")[-2:] for t in ("Rovaniemen", "Rovaniemen seutukunta")]
        [['kunta', '698'], ['seutukunta', '191']]
        """
        text = " ".join(self._AREA_PREFIX.sub("", text.strip()).split()).rstrip(".,;")
        if not text:
            return None
        for kind in ("municipality", "region"):
            found = self.resolve(text, kind=kind)
            if found is not None:
                return found
        # A sub-region only by its full name ("Rovaniemen seutukunta") or by a name that is
        # not also a municipality's genitive: in "Simon, Kemin, Rovaniemen ja Ranuan" every
        # item is a municipality.
        if re.search(r"\sseutukunta$", text, flags=re.IGNORECASE):
            return self.resolve(text, kind="subregion")
        stem = self._ORG_SUFFIX.sub("", text)
        stem = re.sub(r"\s+maaseutualueet?$", "", stem, flags=re.IGNORECASE)
        return self._genitive.get(stem.casefold()) or self.resolve(text, kind="subregion")

    def resolve(self, name: str, *, kind: str) -> URIRef | None:
        """Return the IRI of the place of *kind* called *name*, or ``None``."""
        if kind not in self._KIND_CLASS:
            raise ValueError(f"kind must be one of {sorted(self._KIND_CLASS)}, not {kind!r}")
        return self._names.get((kind, " ".join(name.split()).casefold()))
