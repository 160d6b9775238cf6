"""Funding strings of the sources normalised to funders, programmes and granting bodies."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from hyvinvointi_kg.assembly.curation import expect, load_curation_file
from hyvinvointi_kg.assembly.periods import parse_period
from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.namespaces import ID

__all__ = ["FundingRule", "load_funding_rules", "match_funding", "split_funding_cell"]

_PERIOD_TEXT = re.compile(
    r"(?:[\d\s./–—→,]|-y?)+|(?i:(?:[a-zäö]+kuu\w*\s+\d{0,4}\s*[-–→]?\s*)+)"
)


@dataclass(frozen=True)
class FundingRule:
    """One reviewed rule of ``data/curation/funders.yaml``.

    ``bodies`` are the granting (intermediate) bodies the text names, none, one, or
    several (one funding record each). ``body_label`` is the name of a body the
    reference data does not know, as the source states it.
    """

    index: int
    pattern: re.Pattern[str]
    funders: tuple[URIRef, ...]
    programme: URIRef | None
    bodies: tuple[URIRef, ...]
    note: str
    body_label: str | None = None

    def describe(self) -> str:
        """The rule as written, for provenance (``hk:derivationRule``)."""
        text = f"funders.yaml rule {self.index}: '{self.pattern.pattern}'"
        return f"{text} ({self.note})" if self.note else text


def load_funding_rules(path: Path) -> tuple[FundingRule, ...]:
    """Read the funding rules file.

    Raises
    ------
    InputError
        If the file is missing, not YAML, or a rule lacks ``match``/``funders``,
        has an invalid regular expression or an unknown key (the message names
        the file and the rule's number).

    Examples
    --------
    >>> from hyvinvointi_kg._resources import resource_dir
    >>> rules = load_funding_rules(resource_dir("data/curation") / "funders.yaml")
    >>> [b.split("/")[-1] for b in match_funding("ESR 2014-2020/ELY", rules).bodies]
    ['pohjois-pohjanmaan-ely-keskus']
    >>> leader = match_funding("Peräpohjolan Leader", rules)
    >>> [n.split("/")[-1] for n in (*leader.funders, leader.programme, *leader.bodies)]
    ['maaseuturahasto', 'manner-suomen-maaseudun-kehittamisohjelma-2014-2020', 'perapohjolan-leader-ry']
    """
    data = load_curation_file(path)
    if not isinstance(data.get("rules"), list):
        raise InputError(f"{path}: expected a mapping with a list 'rules'")
    rules = []
    allowed = {"match", "funders", "programme", "body", "body_label", "note"}
    for index, item in enumerate(data["rules"], start=1):
        if not isinstance(item, dict):
            raise InputError(f"{path}: rule {index} is not a mapping")
        unknown = set(item) - allowed
        if unknown:
            raise InputError(f"{path}: rule {index}: unknown key(s) {', '.join(sorted(unknown))} "
                             f"(allowed: {', '.join(sorted(allowed))})")
        if "match" not in item or not item.get("funders"):
            raise InputError(f"{path}: rule {index}: 'match' and 'funders' are required")
        where = f"{path}: rule {index}:"
        match = expect(item["match"], str, where=f"{where} match")
        try:
            pattern = re.compile(match, re.IGNORECASE)
        except re.error as err:
            raise InputError(f"{where} invalid regular expression: {err}") from err
        body = item.get("body") or []
        bodies = tuple(ID[expect(b, str, where=f"{where} body")]
                       for b in (body if isinstance(body, list) else [body]))
        if item.get("body_label") and len(bodies) != 1:
            raise InputError(f"{path}: rule {index}: 'body_label' names exactly one 'body'")
        funders = expect(item["funders"], list, where=f"{where} funders")
        programme = item.get("programme")
        body_label = item.get("body_label")
        rules.append(FundingRule(
            index=index, pattern=pattern,
            funders=tuple(ID[expect(f, str, where=f"{where} funders")] for f in funders),
            programme=ID[expect(programme, str, where=f"{where} programme")] if programme else None,
            bodies=bodies,
            note=expect(item.get("note") or "", str, where=f"{where} note"),
            body_label=expect(body_label, str, where=f"{where} body_label") if body_label else None,
        ))
    return tuple(rules)


def match_funding(text: str, rules: tuple[FundingRule, ...]) -> FundingRule | None:
    """The first rule whose pattern matches the whole funding text, or ``None``."""
    text = " ".join(text.split()).strip(" ,;")
    for rule in rules:
        if rule.pattern.fullmatch(text):
            return rule
    return None


def split_funding_cell(text: str) -> tuple[str, str | None]:
    """Split a catalogue funding cell into the funding text and the period text.

    The period is the longest readable suffix made of dates, years, month names
    and dashes or arrows.

    Examples
    --------
    >>> split_funding_cell("ESR 2014-2020/ELY 1.10.2018 - 31.12.2020")
    ('ESR 2014-2020/ELY', '1.10.2018 - 31.12.2020')
    >>> split_funding_cell("STEA 2018-2020")
    ('STEA', '2018-2020')
    >>> split_funding_cell("Erasmus+ 2014-2020 3.9.2018 - 31.12.2020")
    ('Erasmus+ 2014-2020', '3.9.2018 - 31.12.2020')
    >>> split_funding_cell("Suomen Akatemia")
    ('Suomen Akatemia', None)
    """
    text = " ".join(text.split())
    for token in re.finditer(r"\S+", text):
        suffix = text[token.start():]
        if _PERIOD_TEXT.fullmatch(suffix):
            period = parse_period(suffix.strip(" ,"))
            if not any(p.startswith("unreadable") for p in period.problems):
                return text[: token.start()].strip(), suffix.strip(" ,")
    return text.strip(), None
