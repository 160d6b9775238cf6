"""Concept labels in Finnish, Swedish and English (ontology/schemes.ttl): one prefLabel per language."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from hyvinvointi_kg._resources import resource_dir
from hyvinvointi_kg.assembly.concepts import ConceptIndex
from hyvinvointi_kg.assembly.vocabulary import label_key
from hyvinvointi_kg.i18n import label
from hyvinvointi_kg.namespaces import YSO
from hyvinvointi_kg.stores.files import load_ontology

SCHEMES = resource_dir("ontology") / "schemes.ttl"
CONCEPT = "https://w3id.org/hyvinvointi-kg/concept/"
PREFIXES = {"theme": "theme/", "tg": "target-group/", "role": "role/", "status": "status/",
            "amount": "amount-kind/", "form": "legal-form/", "obj": "programme-objective/"}


def _iri(curie: str) -> URIRef:
    prefix, name = curie.split(":")
    return URIRef(CONCEPT + PREFIXES[prefix] + name)


@pytest.fixture(scope="module")
def schemes() -> Graph:
    return Graph().parse(SCHEMES)


def test_schemes_every_concept_has_one_prefLabel_in_fi_sv_and_en(schemes: Graph) -> None:
    concepts = set(schemes.subjects(SKOS.inScheme, None))
    assert len(concepts) == 57
    for concept in concepts:
        languages = Counter(x.language for x in schemes.objects(concept, SKOS.prefLabel) if isinstance(x, Literal))
        assert languages == Counter({"fi": 1, "sv": 1, "en": 1}), concept


def test_schemes_every_scheme_has_a_swedish_prefLabel(schemes: Graph) -> None:
    for scheme in set(schemes.objects(None, SKOS.inScheme)):
        assert any(x.language == "sv" for x in schemes.objects(scheme, SKOS.prefLabel) if isinstance(x, Literal))


@pytest.mark.parametrize(("curie", "swedish"), [
    ("tg:nuoret", "ungdomar"),
    ("theme:turvallisuus", "säkerhet och trygghet"),
    ("tg:saamelaiset", "samer"),
    ("form:rekisteroity-yhdistys", "registrerad förening (rf)"),
    ("form:osakeyhtio", "aktiebolag (Ab)"),
    ("form:kuntayhtyma", "samkommun"),
    ("form:hyvinvointialue", "välfärdsområde"),
    ("role:lead", "huvudgenomförare"),
    ("status:ongoing", "pågående"),
])
def test_schemes_swedish_prefLabel(schemes: Graph, curie: str, swedish: str) -> None:
    assert label(schemes, _iri(curie), lang="sv") == swedish


def test_label_of_a_target_group_in_swedish() -> None:
    assert label(load_ontology(), _iri("tg:nuoret"), lang="sv") == "ungdomar"


def test_schemes_comment_names_the_yso_labels_it_took(schemes: Graph) -> None:
    # The comment at the top of schemes.ttl lists the Swedish labels taken from YSO 2019.3 as
    # `curie yso:pNNN "label"`; each is the concept's Swedish label and the concept matches it.
    text = SCHEMES.read_text(encoding="utf-8")
    comment = " ".join(line.lstrip("# ") for line in text.splitlines() if line.startswith("#"))
    taken = re.findall(r"(\w+:[\w-]+) yso:(p\d+) \"([^\"]+)\"", comment)
    assert len(taken) == 11
    for curie, yso, swedish in taken:
        concept = _iri(curie)
        assert label(schemes, concept, lang="sv") == swedish
        matches = set(schemes.objects(concept, SKOS.exactMatch)) | set(schemes.objects(concept, SKOS.closeMatch))
        assert YSO[yso] in matches


def test_schemes_labels_name_one_concept_per_scheme(schemes: Graph) -> None:
    named: dict[tuple[object, str], set[object]] = {}
    for concept in set(schemes.subjects(SKOS.inScheme, None)):
        for prop in (SKOS.prefLabel, SKOS.altLabel):
            for name in schemes.objects(concept, prop):
                named.setdefault((schemes.value(concept, SKOS.inScheme), label_key(str(name))), set()).add(concept)
    assert {key: found for key, found in named.items() if len(found) > 1} == {}


def test_concept_index_resolves_swedish_labels() -> None:
    index = ConceptIndex(load_ontology())
    assert index.resolve("ungdomar", scheme="target-group") == _iri("tg:nuoret")
    assert index.resolve("Avslutat", scheme="status") == _iri("status:ended")
