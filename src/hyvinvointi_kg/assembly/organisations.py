"""Organisation resolution: many spellings to one canonical organisation, explainably.

Three steps, each recorded with the rule that made it:

1. a reviewed decision file (``data/curation/organisations.yaml``) names canonical
   organisations with their kind, legal form, business ID and aliases, and pairs
   that must never be merged;
2. otherwise spellings merge only when their normalised keys are equal (case,
   spacing, hyphens, legal-form suffixes and ``AMK`` = ``ammattikorkeakoulu``);
3. fuzzy similarity (rapidfuzz) never merges: it lists near-misses for review.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef

from hyvinvointi_kg.assembly.curation import expect, load_curation_file
from hyvinvointi_kg.assembly.orgnames import (
    NameFinding,
    check_organisation_name,
    describes_no_organisation,
    ends_with_organisation_word,
)
from hyvinvointi_kg.assembly.places import PlaceIndex
from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.namespaces import HK, LEGAL_FORM, organisation_iri

__all__ = [
    "ImplementerItem",
    "NearMiss",
    "Organisation",
    "OrganisationResolver",
    "Resolution",
    "load_organisation_curation",
    "name_key",
    "person_digest",
    "read_implementers",
    "split_implementers",
]

_KINDS = {
    "MunicipalityOrganisation", "JointMunicipalAuthority", "RegionalCouncil",
    "WellbeingServicesCounty", "StateAgency", "Ministry", "Association", "Foundation",
    "Company", "University", "UniversityOfAppliedSciences", "Parish", "InternationalBody",
    "OtherOrganisation",
}
# Kinds follow evidence, strongest first: the legal-form suffix (an education company is still
# an education institution), then the word that says what the body is. A university hospital
# is not a university; a rescue service is run by municipalities, not the state.
_KIND_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), kind) for pattern, kind in (
        (r"ammattikorkeakoulu|\bAMK\b|University of Applied Sciences|Yrkeshögskola", "UniversityOfAppliedSciences"),
        (r"\b(?:oy|oyj|ab|ay|ky|ltd\.?|osuuskunta)$", "Company"),
        (r"\b(?:ry|r\.y\.?)$|\w*yhdistys\b", "Association"),
        (r"säätiö\b|\bsr$|foundation|stiftelse", "Foundation"),
        (r"hyvinvointialue", "WellbeingServicesCounty"),
        (r"sairaala|sairaanhoitopiiri|sosiaali- ja terveyspiiri|kuntayhtymä|\bkky\b", "JointMunicipalAuthority"),
        (r"pelastuslaitos|liikelaitos|kansalaisopisto|\b(?:kaupunki|kunta|kommun)$", "MunicipalityOrganisation"),
        (r"yliopisto|\bUniversity\b|universitet|Universidad|Universita|Hochschule", "University"),
        (r"ministeriö|ministry", "Ministry"),
        (r"seurakunta", "Parish"),
        (r"\w*liitto$|\w*seura$|\bMartat\b|setlementti|järjestö$", "Association"),
        (r"virasto$|ELY-keskus|KEHA-keskus|TE-toimisto|tutkimuskeskus|luonnonvarakeskus|metsähallitus|"
         r"\bpoliisi|Kansaneläkelaitos|Terveyden ja hyvinvoinnin laitos", "StateAgency"),
    )
)
_LEGAL_FORM_RULES = (
    (re.compile(r"\b(?:ry|r\.y\.?)$", re.IGNORECASE), "rekisteroity-yhdistys"),
    (re.compile(r"\b(?:oy|oyj)$", re.IGNORECASE), "osakeyhtio"),
    (re.compile(r"\bsr$|säätiö$", re.IGNORECASE), "saatio"),
    (re.compile(r"kuntayhtymä$", re.IGNORECASE), "kuntayhtyma"),
    (re.compile(r"\b(?:kaupunki|kunta)$", re.IGNORECASE), "kunta"),
)
_ABBREVIATIONS = {"amk": "ammattikorkeakoulu", "kky": "koulutuskuntayhtymä",
                  "shp": "sairaanhoitopiiri"}
_SUFFIXES = {"oy", "oyj", "ab", "ry", "r.y", "r.y.", "sr", "ltd", "ltd."}


def name_key(name: str) -> str:
    """A normalised key: equal keys mean the same organisation.

    Examples
    --------
    >>> name_key("Lapin AMK") == name_key("Lapin ammattikorkeakoulu Oy")
    True
    >>> name_key("Laurea-ammattikorkeakoulu") == name_key("Laurea ammattikorkeakoulu")
    True
    >>> name_key("Kemin kaupunki") == name_key("Keminmaan kunta")
    False
    """
    text = unicodedata.normalize("NFC", name).casefold().replace("–", "-")
    text = re.sub(r"\([^)]*\)", " ", text)
    text = re.sub(r"^(?:ml\.|mm\.)\s*", "", text.strip())
    tokens = [_ABBREVIATIONS.get(t, t) for t in re.split(r"[\s/]+", text) if t]
    while tokens and tokens[-1].strip(".,;") in {s.strip(".") for s in _SUFFIXES}:
        tokens.pop()
    return re.sub(r"[^0-9a-zåäöüæøéáíóú]", "", "".join(tokens))


def person_digest(text: str) -> str:
    """How ``organisations.yaml`` names a person it must not spell out: a SHA-256 digest.

    Examples
    --------
    >>> person_digest("Maija  Meikäläinen") == person_digest("Maija Meikäläinen")
    True
    >>> person_digest("Maija Meikäläinen")[:7]
    'sha256:'
    """
    return "sha256:" + hashlib.sha256(_clean(text).casefold().encode()).hexdigest()


def _clean(name: str) -> str:
    return " ".join(name.split()).strip(" ,;")


def _split_top_level(text: str, separators: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in text:
        depth += char == "("
        depth -= char == ")" and depth > 0
        if char in separators and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return [p for p in (_clean(p) for p in parts) if p]


_COUNTRIES = {"finland", "suomi", "sweden", "ruotsi", "norway", "norja", "iceland", "islanti",
              "denmark", "tanska", "canada", "kanada", "uk", "uk.", "united kingdom", "russia",
              "venäjä", "spain", "espanja", "germany", "saksa", "latvia", "ireland", "irlanti",
              "italy", "italia", "netherlands", "poland", "puola", "lithuania", "liettua",
              "hungary", "unkari", "usa", "australia", "greenland", "grönlanti", "belgium"}


def _join_continuations(items: list[str]) -> list[str]:
    """Re-join comma items that continue the previous organisation (a country, 'ml. ...')."""
    joined: list[str] = []
    for item in items:
        first = item.split()[0].casefold().rstrip(".,") if item.split() else ""
        if joined and (first in _COUNTRIES or item.casefold() in _COUNTRIES
                       or item.startswith(("ml.", "mm."))):
            joined[-1] = f"{joined[-1]}, {item}"
        else:
            joined.append(item)
    return joined


def split_implementers(text: str) -> tuple[str | None, list[str], list[str]]:
    """Split an implementer cell into the lead, the partners and notes on what was assumed.

    The lead is written before ``;`` and partners after it, separated by commas
    (commas inside parentheses do not separate). Without ``;`` the first
    organisation is taken as the lead, and a note says so.

    Examples
    --------
    >>> split_implementers("Lapin yliopisto; Rovaniemen kehitys Oy, Luonnonvarakeskus (LUKE)")
    ('Lapin yliopisto', ['Rovaniemen kehitys Oy', 'Luonnonvarakeskus (LUKE)'], [])
    >>> split_implementers("Kemin kaupunki, Keminmaan kunta")
    ('Kemin kaupunki', ['Keminmaan kunta'], ["no ';' after the lead: the first organisation is taken as lead"])
    """
    text = " ".join(text.split())
    notes: list[str] = []
    if ";" in text:
        lead_text, _, rest = text.partition(";")
        leads = _join_continuations(_split_top_level(lead_text, ","))
        partners = _join_continuations(_split_top_level(rest, ",;"))
        if len(leads) > 1:
            partners = leads[1:] + partners
            notes.append("several organisations before ';': the first is taken as lead")
        return (leads[0] if leads else None), partners, notes
    items = _join_continuations(_split_top_level(text, ","))
    if len(items) > 1:
        notes.append("no ';' after the lead: the first organisation is taken as lead")
    return (items[0] if items else None), items[1:], notes


_PLURAL_HEADS = {"sairaanhoitopiirit": "sairaanhoitopiiri", "kaupungit": "kaupunki", "kunnat": "kunta",
                 "yliopistot": "yliopisto", "ammattikorkeakoulut": "ammattikorkeakoulu",
                 "seurakunnat": "seurakunta", "kuntayhtymät": "kuntayhtymä", "liitot": "liitto",
                 "ELY-keskukset": "ELY-keskus"}
_GENITIVE_WORD = re.compile(r"[A-ZÅÄÖ][\w-]*n")
_DISTRIBUTIVE = re.compile(
    rf"^({_GENITIVE_WORD.pattern}(?:\s*,\s*{_GENITIVE_WORD.pattern})*(?:\s+(?:ja|sekä)\s+"
    rf"{_GENITIVE_WORD.pattern})+)\s+({'|'.join(_PLURAL_HEADS)})$")
_SENTENCE_BREAK = re.compile(r"(?:(?<=[a-zåäö]{3})|(?<=\)))\.\s+(?=[A-ZÅÄÖ])")
_INESSIVE_PREFIX = re.compile(r"^[A-ZÅÄÖ][\w-]+(?:ssa|ssä)\s+(?=\S)")
_CONJUNCTION = re.compile(r"\s+(?:ja|sekä)\s+")


def _sentences(text: str) -> list[str]:
    """*text* cut at sentence breaks outside parentheses (``(aik. Meri-Lapin ...)`` stays whole)."""
    parts, start = [], 0
    for match in _SENTENCE_BREAK.finditer(text):
        before = text[start: match.start()]
        if before.count("(") == before.count(")"):
            parts.append(before)
            start = match.end()
    parts.append(text[start:])
    # "24 korkeakoulua, ml. Lapin AMK": what follows "including" is an organisation of its own
    return [p for part in parts for p in re.split(r",\s*(?:ml\.|mm\.)\s+", part)]


_TRAILING_PLACE = re.compile(r"\s+[A-ZÅÄÖ][\w-]+(?:sta|stä|lta|ltä|ssa|ssä)$")


@dataclass(frozen=True)
class ImplementerItem:
    """One item of an implementer cell, read as an organisation or as a description.

    ``name`` is the organisation's name (or the description); ``stated`` the text of
    the cell it comes from, as written; ``rule`` what was done to get from one to the
    other (empty when ``name`` is ``stated``).
    """

    name: str
    stated: str
    lead: bool
    rule: str = ""


def _expand(item: str, known: Callable[[str], bool]) -> list[tuple[str, str]]:
    """An item's organisations: ``X ja Y`` split where both sides name one; (name, rule) pairs."""
    item = _clean(re.sub(r"^(?:ml\.|mm\.|[-–]+)\s*", "", _clean(item)))
    trailing = _TRAILING_PLACE.search(item)
    if trailing and ends_with_organisation_word(item[: trailing.start()]):
        place = trailing.group().strip()
        return [(name, rule or f"place {place!r} after the name left out")
                for name, rule in _expand(item[: trailing.start()], known)]
    match = _DISTRIBUTIVE.match(item)
    if match:
        head = _PLURAL_HEADS[match.group(2)]
        owners = [o for o in re.split(r"\s*,\s*|\s+(?:ja|sekä)\s+", match.group(1)) if o]
        return [(f"{owner} {head}", f"distributive plural {match.group(2)!r} read as one {head!r} each")
                for owner in owners]
    stripped = _INESSIVE_PREFIX.sub("", item)
    if stripped != item and ends_with_organisation_word(stripped):
        return [(name, rule or f"place prefix {item.split()[0]!r} left out")
                for name, rule in _expand(stripped, known)]
    for conj in _CONJUNCTION.finditer(item):
        left, right = item[: conj.start()], item[conj.end():]
        if left.endswith("-") or not right[:1].isupper():
            continue
        if (ends_with_organisation_word(left) or known(left)) and (
                ends_with_organisation_word(right) or known(right)):
            rule = f"split at {conj.group().strip()!r}: two organisations"
            return [(left, rule), *((n, r or rule) for n, r in _expand(right, known))]
    return [(item, "")]


def read_implementers(text: str, *, known: Callable[[str], bool] | None = None) -> list[ImplementerItem]:
    """Read an implementer cell into one item per organisation (or description), lead first.

    Builds on :func:`split_implementers` (the cell's ``;`` and commas) and then
    re-joins a piece cut at a hyphen (``Elinkeino-, liikenne- ja ympäristökeskus``),
    reads a distributive plural as one organisation each (``Etelä-Pohjanmaan, Lapin ja
    Pirkanmaan sairaanhoitopiirit``), splits ``X ja Y`` / ``X sekä Y`` where both sides
    name an organisation (by their last word, or *known* names), and cuts a sentence
    break (``Lapin Lukko. Lisäksi 11 aluejärjestöä``).

    Examples
    --------
    >>> [i.name for i in read_implementers("Lapin yliopisto ja Tornion kaupunki; Lasten ja nuorten säätiö")]
    ['Lapin yliopisto', 'Tornion kaupunki', 'Lasten ja nuorten säätiö']
    >>> [i.name for i in read_implementers("Kela; Etelä-Pohjanmaan, Lapin ja Pirkanmaan sairaanhoitopiirit")]
    ['Kela', 'Etelä-Pohjanmaan sairaanhoitopiiri', 'Lapin sairaanhoitopiiri', 'Pirkanmaan sairaanhoitopiiri']
    >>> [i.name for i in read_implementers("THL; Pohjois-Pohjanmaan elinkeino-, liikenne- ja ympäristökeskus")]
    ['THL', 'Pohjois-Pohjanmaan elinkeino-, liikenne- ja ympäristökeskus']
    """
    known = known or (lambda _name: False)
    lead, partners, _notes = split_implementers(text)
    pieces = [(p, True) for p in ([lead] if lead else [])] + [(p, False) for p in partners]
    joined: list[tuple[str, bool]] = []
    for piece, is_lead in pieces:
        previous = joined[-1][0] if joined else ""
        cut_at_hyphen = previous.endswith("-") and not piece[:1].isupper()
        distributive = bool(_GENITIVE_WORD.fullmatch(previous)) and bool(_DISTRIBUTIVE.match(f"{previous}, {piece}"))
        if joined and (cut_at_hyphen or distributive):
            joined[-1] = (f"{joined[-1][0]}, {piece}", joined[-1][1])
        else:
            joined.append((piece, is_lead))
    items: list[ImplementerItem] = []
    for piece, is_lead in joined:
        for sentence in _sentences(piece):
            for name, rule in _expand(sentence, known):
                items.append(ImplementerItem(name, piece, is_lead and not items, rule))
    return items


@dataclass
class Organisation:
    """A canonical organisation and everything known about it."""

    iri: URIRef
    name: str
    kind: URIRef
    kind_rule: str
    legal_form: URIRef | None = None
    business_id: str | None = None
    governs: URIRef | None = None
    curated: bool = False
    note: str = ""
    labels: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Resolution:
    """How one spelling was resolved."""

    text: str
    iri: URIRef
    rule: str


@dataclass(frozen=True)
class NearMiss:
    """Two organisations whose names are similar but that were not merged."""

    a: str
    b: str
    score: float
    reason: str


def load_organisation_curation(path: Path) -> tuple[list[dict[str, object]], list[tuple[str, str]],
                                                    dict[str, str]]:
    """Read ``organisations.yaml``: canonical organisations, never-merge pairs, non-organisations.

    Raises
    ------
    InputError
        On a missing file, invalid YAML, an unknown key or kind (naming file and entry).
    """
    data = load_curation_file(path)
    allowed = {"name", "kind", "legal_form", "business_id", "aliases", "note", "governs"}
    organisations = []
    for index, item in enumerate(expect(data.get("organisations") or [], list,
                                        where=f"{path}: organisations"), start=1):
        if not isinstance(item, dict) or "name" not in item:
            raise InputError(f"{path}: organisation {index} needs a 'name'")
        for key in ("name", "legal_form", "business_id", "note", "governs"):
            if item.get(key) is not None:
                expect(item[key], str, where=f"{path}: organisation {index}: {key}")
        expect(item.get("aliases") or [], list, where=f"{path}: organisation {index}: aliases")
        unknown = set(item) - allowed
        if unknown:
            raise InputError(f"{path}: organisation {index} ({item['name']}): unknown key(s) "
                             f"{', '.join(sorted(unknown))}")
        if item.get("kind") not in _KINDS:
            raise InputError(f"{path}: organisation {index} ({item['name']}): kind must be one of "
                             f"{', '.join(sorted(_KINDS))}")
        organisations.append(item)
    distinct = []
    for index, pair in enumerate(expect(data.get("distinct") or [], list,
                                        where=f"{path}: distinct"), start=1):
        if not (isinstance(pair, list) and len(pair) == 2):
            raise InputError(f"{path}: distinct entry {index} must be a pair of names")
        distinct.append((expect(pair[0], str, where=f"{path}: distinct entry {index}"),
                         expect(pair[1], str, where=f"{path}: distinct entry {index}")))
    not_organisations = {
        expect(k, str, where=f"{path}: not_organisations key"):
        expect(v, str, where=f"{path}: not_organisations: {k}")
        for k, v in expect(data.get("not_organisations") or {}, dict,
                           where=f"{path}: not_organisations").items()}
    return organisations, distinct, not_organisations


class OrganisationResolver:
    """Resolve organisation names to canonical IRIs and keep the record of every decision."""

    def __init__(self, curation: Path, places: PlaceIndex) -> None:
        organisations, self.distinct, self.not_organisations = load_organisation_curation(curation)
        self.places = places
        self.by_key: dict[str, Organisation] = {}
        self.by_iri: dict[URIRef, Organisation] = {}
        self.resolutions: dict[str, Resolution] = {}
        for item in organisations:
            name = str(item["name"])
            org = Organisation(
                iri=organisation_iri(name), name=name, kind=HK[str(item["kind"])],
                kind_rule="organisations.yaml", curated=True, note=str(item.get("note") or ""),
                legal_form=LEGAL_FORM[str(item["legal_form"])] if item.get("legal_form") else None,
                business_id=str(item["business_id"]) if item.get("business_id") else None,
            )
            if item.get("governs"):
                org.governs = places.resolve_area(str(item["governs"]))
            elif org.kind == HK.MunicipalityOrganisation:
                org.governs = places.resolve_area(name)
            self.by_iri[org.iri] = org
            aliases = item.get("aliases") or []
            if not isinstance(aliases, list):
                raise InputError(f"{curation}: {name!r}: 'aliases' must be a list")
            for alias in [name, *[str(a) for a in aliases]]:
                key = name_key(alias)
                if key in self.by_key and self.by_key[key] is not org:
                    raise InputError(f"{curation}: alias {alias!r} is given to both "
                                     f"{self.by_key[key].name!r} and {name!r}")
                self.by_key[key] = org
        for a, b in self.distinct:
            if name_key(a) in self.by_key and self.by_key.get(name_key(a)) is self.by_key.get(
                    name_key(b)):
                raise InputError(f"{curation}: {a!r} and {b!r} are declared distinct but "
                                 "resolve to the same organisation")

    def is_organisation(self, text: str) -> str | None:
        """``None`` if *text* may name an organisation, else why not (from the curation file)."""
        return self.not_organisations.get(_clean(text)) or self.not_organisations.get(person_digest(text))

    def is_person(self, text: str) -> bool:
        """Whether the curation file lists *text* as a person's name (kept only as a digest)."""
        return person_digest(text) in self.not_organisations

    def describes_no_organisation(self, text: str) -> str | None:
        """Why *text* names no organisation: a reviewed decision, else the rules of
        :func:`hyvinvointi_kg.assembly.orgnames.describes_no_organisation`; ``None`` if it may name one."""
        if self.is_known(text):
            return None
        return self.is_organisation(text) or describes_no_organisation(text)

    def is_known(self, text: str) -> bool:
        """Whether *text* is a reviewed name or alias of a canonical organisation."""
        org = self.by_key.get(name_key(text))
        return org is not None and org.curated

    def register(self, names: Iterable[str]) -> None:
        """Create the organisations of all *names* at once, so that nothing depends on order.

        Spellings are grouped by :func:`name_key`; a group's canonical name is its
        most complete spelling (a legal-form suffix first, then the longest, then the
        first in alphabetical order), and groups are created in the order of their
        keys, so the same names give the same IRIs whatever order the sources come in.
        """
        groups: dict[str, set[str]] = {}
        for text in names:
            name = _clean(text)
            if name and name_key(name) not in self.by_key:
                groups.setdefault(name_key(name), set()).add(name)
        for key in sorted(groups):
            spellings = sorted(groups[key], key=lambda n: (
                not any(p.search(n) for p, _ in _LEGAL_FORM_RULES), -len(n), n))
            self.resolve(spellings[0])
            self.resolutions.pop(spellings[0], None)
            self.by_key[key].labels.discard(spellings[0])

    def resolve(self, text: str, *, kind_hint: URIRef | None = None) -> Resolution:
        """Resolve one spelling to a canonical organisation (creating one if new)."""
        name = _clean(text)
        key = name_key(name)
        org = self.by_key.get(key)
        if org is not None and not org.curated and name == org.name:
            rule = "new organisation"  # the canonical spelling itself, registered earlier
        elif org is not None:
            rule = ("alias in organisations.yaml" if org.curated
                    else "same normalised name as another spelling")
        else:
            kind, kind_rule = (kind_hint, "stated by the source") if kind_hint else self._kind(name)
            org = Organisation(iri=organisation_iri(name), name=name, kind=kind,
                               kind_rule=kind_rule)
            for pattern, form in _LEGAL_FORM_RULES:
                if pattern.search(name):
                    org.legal_form = LEGAL_FORM[form]
                    break
            if kind == HK.MunicipalityOrganisation:
                # a city, or a unit of one ("Tornion kansalaisopisto"): the place of its owner
                org.governs = self.places.resolve_area(name) or self.places.resolve_area(name.split()[0])
                if org.governs is None:  # no Finnish municipality runs it (Simrishamns kommun)
                    org.kind, org.kind_rule = HK.OtherOrganisation, "a municipality outside Finland"
            if org.iri in self.by_iri:  # a different key with the same slug: keep them apart,
                # by the name itself, never by the order in which names were met
                org.iri = URIRef(f"{org.iri}-{hashlib.sha256(key.encode()).hexdigest()[:8]}")
            self.by_iri[org.iri] = org
            self.by_key[key] = org
            rule = "new organisation"
        org.labels.add(name)
        resolution = Resolution(name, org.iri, rule)
        self.resolutions.setdefault(name, resolution)
        return resolution

    @staticmethod
    def _kind(name: str) -> tuple[URIRef, str]:
        name = _clean(re.sub(r"\([^)]*\)", " ", name))
        for pattern, kind in _KIND_RULES:
            if pattern.search(name):
                return HK[kind], f"kind from the name (pattern {pattern.pattern!r})"
        return HK.OtherOrganisation, "no rule tells the kind"

    def names_to_review(self) -> list[tuple[str, NameFinding]]:
        """Findings of :func:`~hyvinvointi_kg.assembly.orgnames.check_organisation_name` on every
        organisation that ``organisations.yaml`` has not reviewed (a curated organisation is)."""
        return [(org.name, finding) for org in sorted(self.by_iri.values(), key=lambda o: o.name)
                if not org.curated and org.labels for finding in check_organisation_name(org.name)]

    def near_misses(self, *, threshold: float = 88.0) -> list[NearMiss]:
        """Pairs of distinct organisations with similar names (rapidfuzz), for review."""
        from rapidfuzz import fuzz, process

        orgs = sorted(self.by_iri.values(), key=lambda o: o.name)
        names = [o.name.casefold() for o in orgs]
        declared = {frozenset((name_key(a), name_key(b))) for a, b in self.distinct}
        misses = []
        for i, org in enumerate(orgs):
            for _match, score, j in process.extract(names[i], names, scorer=fuzz.token_sort_ratio,
                                                    score_cutoff=threshold, limit=None):
                if j <= i:
                    continue
                pair = frozenset((name_key(org.name), name_key(orgs[j].name)))
                reason = ("declared distinct in organisations.yaml" if pair in declared
                          else "similar names; not merged automatically")
                misses.append(NearMiss(org.name, orgs[j].name, round(score, 1), reason))
        return misses
