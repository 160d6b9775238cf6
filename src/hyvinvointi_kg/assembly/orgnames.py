"""Organisation names: what in a partner cell names no organisation, and what a reviewer should check.

Two functions over plain strings, used by :mod:`hyvinvointi_kg.assembly.organisations` and the build:

* :func:`describes_no_organisation` says why a partner-cell item is not one
  organisation (a plural group, places, a vague phrase, a count); such text is kept
  on the project as stated text (``hk:partnerDescription``), never made a node;
* :func:`check_organisation_name` lists the shapes of a name a reviewer should look
  at (a lower-case start, a plural group noun, an elative or ablative place, a
  conjunction between two organisation-like parts, a person-name shape, a trailing
  hyphen or comma, a single word, an inessive place in the name). The build reports
  every finding on a name that ``data/curation/organisations.yaml`` has not reviewed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "NameFinding",
    "check_organisation_name",
    "describes_no_organisation",
    "ends_with_organisation_word",
]

# The last word of most Finnish organisation names says what the body is; a name whose
# last word ends in one of these is organisation-like (also inside compounds:
# "Mielenterveyden keskusliitto", "Seitasäätiö").
_HEAD_WORDS = (
    "ry", "r.y", "r.y.", "oy", "oyj", "ab", "ay", "ky", "sr", "ltd", "kaupunki", "kunta", "kuntayhtymä",
    "yliopisto", "amk", "ammattikorkeakoulu", "korkeakoulu", "säätiö", "liitto", "yhdistys", "seura",
    "keskus", "laitos", "virasto", "ministeriö", "opisto", "oppilaitos", "seurakunta", "piiri",
    "sairaanhoitopiiri", "instituutti", "setlementti", "osuuskunta", "yhtiö", "komitea", "hallitus",
    "university", "universitet", "college", "institute", "centre", "center", "foundation", "agency",
    "association", "liikelaitos", "kuntayhtymä", "toimisto", "lappia", "redu", "hyvinvointialue",
)
# Heads that also end compounds naming a body ("keskusliitto", "Seitasäätiö"); the short and
# ambiguous ones ("kunta" ends "liikunta") count only as whole words.
_COMPOUND_HEADS = ("kaupunki", "kuntayhtymä", "yliopisto", "ammattikorkeakoulu", "korkeakoulu", "säätiö",
                   "liitto", "yhdistys", "seura", "keskus", "laitos", "virasto", "ministeriö", "opisto",
                   "oppilaitos", "seurakunta", "sairaanhoitopiiri", "instituutti", "setlementti",
                   "osuuskunta", "yhtiö", "komitea", "hyvinvointialue", "universitet")
# Plural nouns that name a group or category of organisations, not one of them.
_GROUP_PLURALS = (
    "seurat", "opistot", "järjestöt", "yhdistykset", "kunnat", "kaupungit", "koulut", "oppilaitokset",
    "yritykset", "toimijat", "kumppanit", "kumppanuudet", "partnerit", "edustajat", "piirit",
    "yliopistot", "korkeakoulut", "seurakunnat", "kuntayhtymät", "liitot", "säätiöt", "keskukset",
    "laitokset", "verkostot", "tahot", "viranomaiset", "palvelut",
)
_VAGUE_START = re.compile(r"^(?:useita|useat|muun muassa|mm\.|lisäksi|muut|muita|eri|kaikki|alueen)\b",
                          re.IGNORECASE)
_CASE_ENDING = re.compile(r"(?:sta|stä|lta|ltä)$")
_INESSIVE = re.compile(r"\w(?:ssa|ssä)$")
_CONJUNCTION = re.compile(r"\s(?:ja|sekä|and|&)\s")
_PARENS = re.compile(r"\([^)]*\)")


@dataclass(frozen=True)
class NameFinding:
    """One shape of a name that a reviewer should look at."""

    rule: str
    detail: str


def _words(name: str) -> list[str]:
    return _PARENS.sub(" ", name).replace(",", " ").split()


def ends_with_organisation_word(text: str) -> bool:
    """Whether the last word of *text* (parentheses aside) says what kind of body it is.

    Examples
    --------
    >>> ends_with_organisation_word("Mielenterveyden keskusliitto")
    True
    >>> ends_with_organisation_word("Terveyden")
    False
    """
    words = _words(text)
    if not words:
        return False
    last = words[-1].casefold().strip(".,;:")
    return last in _HEAD_WORDS or any(last.endswith(head) for head in _COMPOUND_HEADS)


def describes_no_organisation(text: str) -> str | None:
    """Why a partner-cell item names no single organisation, or ``None`` if it may name one.

    Examples
    --------
    >>> describes_no_organisation("urheiluseurat")
    'a plural group or category, not one organisation'
    >>> describes_no_organisation("muun muassa Ruotsista")
    'a vague or partial list, not one organisation'
    >>> describes_no_organisation("Venäjältä")
    'a place in the elative or ablative ("from ..."), not an organisation'
    >>> describes_no_organisation("Lapin ammattikorkeakoulu Oy") is None
    True
    """
    text = " ".join(text.split()).strip(" ,;.")
    words = _words(text)
    if not words:
        return "empty text"
    if _VAGUE_START.match(text):
        return "a vague or partial list, not one organisation"
    if re.match(r"\d", text):
        return "a count or number, not one organisation"
    last = words[-1].casefold().strip(".,;:")
    if any(last == plural or last.endswith(plural) for plural in _GROUP_PLURALS):
        return "a plural group or category, not one organisation"
    if all(_CASE_ENDING.search(w.strip(".,;:")) or w in ("ja", "sekä") for w in words):
        return 'a place in the elative or ablative ("from ..."), not an organisation'
    if text[:1].islower() and not ends_with_organisation_word(text):
        return "a common noun phrase, not the name of an organisation"
    return None


def check_organisation_name(name: str) -> tuple[NameFinding, ...]:
    """The shapes of *name* a reviewer should look at (empty for an ordinary name).

    Examples
    --------
    >>> [f.rule for f in check_organisation_name("Lapin yliopisto ja Tornion kaupunki")]
    ['conjunction']
    >>> [f.rule for f in check_organisation_name("Elinkeino-")]
    ['trailing-hyphen-or-comma', 'single-word']
    >>> check_organisation_name("Kemin kaupunki")
    ()
    """
    findings: list[NameFinding] = []
    text = " ".join(name.split())
    words = _words(text)
    if text[:1].islower():
        findings.append(NameFinding("lower-case-start", "a name starts with a capital letter"))
    last = words[-1].casefold().strip(".,;:") if words else ""
    if any(last == p or last.endswith(p) for p in _GROUP_PLURALS):
        findings.append(NameFinding("plural-group", f"{words[-1]!r} is a plural group noun"))
    elative = [w for w in words if w[:1].isupper() and _CASE_ENDING.search(w.strip(".,;:"))]
    if elative:
        findings.append(NameFinding("elative-place", f"{elative[0]!r} reads as 'from a place'"))
    for match in _CONJUNCTION.finditer(text):
        left, right = text[: match.start()], text[match.end():]
        if not left.endswith("-") and ends_with_organisation_word(left) and ends_with_organisation_word(right):
            findings.append(NameFinding("conjunction", "two organisation-like parts joined by "
                                                       f"{match.group().strip()!r}"))
            break
    if (2 <= len(words) <= 4 and all(re.fullmatch(r"[A-ZÅÄÖ][a-zåäöé]+", w) for w in words)
            and not any(w.endswith("n") for w in words) and not any(ends_with_organisation_word(w) for w in words)):
        findings.append(NameFinding("person-name", "capitalised words with no organisation word: "
                                                   "a person's name?"))
    if text.endswith(("-", ",", "–")):
        findings.append(NameFinding("trailing-hyphen-or-comma", "a name cut at a hyphen or comma"))
    if len(words) == 1:
        findings.append(NameFinding("single-word", "one word: a fragment, or a name to confirm"))
    inessive = [w for w in words if w[:1].isupper() and _INESSIVE.search(w.strip(".,;:"))]
    if inessive:
        findings.append(NameFinding("inessive-place", f"{inessive[0]!r} reads as 'in a place'"))
    return tuple(findings)
