"""Namespaces and the deterministic IRIs of every kind of node in the graph."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD

__all__ = [
    "AMOUNT_KIND",
    "BASE",
    "HK",
    "ID",
    "LEGAL_FORM",
    "OBJECTIVE",
    "ORG",
    "PREFIXES",
    "ROLE",
    "SCHEMA",
    "SPDX",
    "STATUS",
    "TARGET_GROUP",
    "THEME",
    "WD",
    "YSO",
    "bind_prefixes",
    "claim_iri",
    "funding_iri",
    "municipality_iri",
    "organisation_iri",
    "project_iri",
    "region_iri",
    "slugify",
    "source_iri",
    "span_iri",
    "subregion_iri",
]

BASE = "https://w3id.org/hyvinvointi-kg/"
HK = Namespace(BASE + "ontology#")
ID = Namespace(BASE + "id/")
THEME = Namespace(BASE + "concept/theme/")
TARGET_GROUP = Namespace(BASE + "concept/target-group/")
ROLE = Namespace(BASE + "concept/role/")
STATUS = Namespace(BASE + "concept/status/")
AMOUNT_KIND = Namespace(BASE + "concept/amount-kind/")
LEGAL_FORM = Namespace(BASE + "concept/legal-form/")
OBJECTIVE = Namespace(BASE + "concept/programme-objective/")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
YSO = Namespace("http://www.yso.fi/onto/yso/")
WD = Namespace("http://www.wikidata.org/entity/")
KUNTA_CODELIST = Namespace("http://uri.suomi.fi/codelist/jhs/kunta_1_20240101/code/")

#: The prefixes the queries, the endpoint and the written Turtle share, prefix to namespace.
PREFIXES = {
    "hk": HK,
    "hkid": ID,
    "theme": THEME,
    "tg": TARGET_GROUP,
    "role": ROLE,
    "status": STATUS,
    "amount": AMOUNT_KIND,
    "form": LEGAL_FORM,
    "obj": OBJECTIVE,
    "org": ORG,
    "prov": PROV,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "foaf": FOAF,
    "time": TIME,
    "schema": SCHEMA,
    "spdx": SPDX,
    "yso": YSO,
    "wd": WD,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
}

_TRANSLITERATE = str.maketrans({"ä": "a", "ö": "o", "å": "a", "Ä": "a", "Ö": "o", "Å": "a"})


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the project's prefixes on *graph* (for readable Turtle) and return it."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph


def slugify(text: str) -> str:
    """Turn a name into a lower-case ASCII slug for an IRI path segment.

    Examples
    --------
    >>> slugify("Itä-Lapin kuntayhtymä")
    'ita-lapin-kuntayhtyma'
    >>> slugify("Pohjoisen yhteisöjen tuki - Majakka ry")
    'pohjoisen-yhteisojen-tuki-majakka-ry'
    """
    text = unicodedata.normalize("NFC", text).translate(_TRANSLITERATE)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def project_iri(code: str) -> URIRef:
    """IRI of a project from its code (``S21758``) or, without one, a slug of its name.

    Examples
    --------
    >>> str(project_iri("S21758"))
    'https://w3id.org/hyvinvointi-kg/id/project/S21758'
    """
    key = code if re.fullmatch(r"[A-Z]{1,3}\d+", code) else slugify(code)
    return ID[f"project/{key}"]


def organisation_iri(name: str) -> URIRef:
    """IRI of an organisation from a slug of its canonical name.

    Examples
    --------
    >>> str(organisation_iri("Itä-Lapin kuntayhtymä"))
    'https://w3id.org/hyvinvointi-kg/id/org/ita-lapin-kuntayhtyma'
    """
    return ID[f"org/{slugify(name)}"]


def municipality_iri(code: str) -> URIRef:
    """IRI of a municipality (as a place) from its three-digit code, e.g. ``240`` for Kemi."""
    return ID[f"place/kunta/{code}"]


def subregion_iri(code: str) -> URIRef:
    """IRI of a sub-region (seutukunta) from its three-digit code."""
    return ID[f"place/seutukunta/{code}"]


def region_iri(code: str) -> URIRef:
    """IRI of a region (maakunta) from its two-digit code, e.g. ``19`` for Lappi."""
    return ID[f"place/maakunta/{code}"]


def source_iri(file_name: str) -> URIRef:
    """IRI of a source document from its file name."""
    return ID[f"source/{file_name}"]


def span_iri(file_name: str, first_line: int, last_line: int) -> URIRef:
    """IRI of a line range in a source document."""
    return ID[f"source/{file_name}/lines/{first_line}-{last_line}"]


def funding_iri(project: URIRef, key: str) -> URIRef:
    """IRI of one funding record of a project (*key* distinguishes several)."""
    return URIRef(f"{project}/funding/{slugify(key)}")


def claim_iri(subject: object, predicate: object, obj: object, span: URIRef) -> URIRef:
    """IRI of a claim: a stable hash of the statement and the span stating it."""
    digest = hashlib.sha1(
        "\x1f".join(map(str, (subject, predicate, obj, span))).encode("utf-8")
    ).hexdigest()[:20]
    return ID[f"claim/{digest}"]
