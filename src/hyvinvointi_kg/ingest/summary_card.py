"""One-page project summary cards (Finnish, label/value broken over lines) parsed into claims."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, SKOS, XSD

from hyvinvointi_kg.assembly.concepts import ConceptIndex
from hyvinvointi_kg.assembly.provenance import Stated, add_claim
from hyvinvointi_kg.assembly.vocabulary import LabelIndex
from hyvinvointi_kg.errors import SourceError
from hyvinvointi_kg.ingest._common import parse_day_range
from hyvinvointi_kg.ingest.sources import SourceDocument, read_lines
from hyvinvointi_kg.namespaces import AMOUNT_KIND, HK, ID, funding_iri, organisation_iri, project_iri

__all__ = ["SummaryCardRecord", "parse_summary_card", "summary_card_to_graph"]

# The card's labels in the order the card prints them -> field name. A label is
# recognised only after the labels before it, so a value sentence that happens to
# start like an earlier label is never mistaken for one.
_LABELS: tuple[tuple[str, str], ...] = (
    ("Hankkeen nimi, S-numero ja toteutusaika", "identification"),
    ("Rahoittaja ja toteutunut julkinen rahoitus", "funding"),
    ("Toteuttajat", "implementers"),
    ("Varsinaiset kohderyhmät", "target_groups"),
    ("Hankkeen tausta", "background"),
    ("Tavoitteet", "goals"),
    ("Toimintatapa", "approach"),
    ("Tuotokset", "outputs"),
    ("Muut tulokset ja vaikutukset", "results"),
    ("Levittäminen ja juurrutus", "dissemination"),
    ("Erityishuomioita, kehittämistyön ongelmia", "remarks"),
)
_REQUIRED = ("identification", "funding", "implementers", "target_groups")
_MAX_LABEL_LINES = 3
# Words that follow a hyphen which is not a line-break hyphen ("sosiaali- ja terveys").
_COORDINATORS = {"ja", "tai", "sekä", "eli"}
_IDENTIFICATION = re.compile(
    r"^(?P<code>[A-Z]\d{5}),\s*(?P<title>.+?),\s*"
    r"(?P<period>\d{1,2}\.\d{1,2}\.\d{4}\s*[–-]\s*\d{1,2}\.\d{1,2}\.\d{4})(?:\s*\(.*\))?$"
)
_FUNDING = re.compile(r"^(?P<authority>.+?),\s*(?P<amount>\d{1,3}(?:[ \u00a0\u202f]\d{3})*(?:,\d+)?\s*€)$")
_DATE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
_URL = re.compile(r"^https?://\S+$")
_HEADER_CODE = re.compile(r"^([A-Z]\d{5})\b")
# EURA 2014 codes: S2.... are ESF (ESR) projects, A7.... ERDF (EAKR) projects
# (every row of the 2014-2020 project export, shared/research/ecosystem.md section 3.1).
_FUND_BY_CODE_PREFIX = {"S": "esr", "A": "eakr"}
_FUND_RULE = (
    "the card names no fund; EURA 2014 codes starting with {prefix} are {fund_name} projects, "
    "so this is the register's {fund_name} funding record of the project"
)
_FUND_NAMES = {"esr": "ESF (ESR)", "eakr": "ERDF (EAKR)"}


@dataclass(frozen=True)
class SummaryCardRecord:
    """Every field of one summary card, each with the lines that state it.

    Text fields join the card's wrapped lines with single spaces (a hyphen at a
    line end before a lower-case continuation is a broken word and is removed).
    """

    file_name: str
    project_code: Stated
    title: Stated
    period: Stated
    start: date
    end: date
    granting_authority: Stated
    realised_public_funding: Stated
    realised_public_funding_eur: Decimal
    implementer: Stated
    target_groups: Stated
    target_group_lines: tuple[Stated, ...]
    goals: Stated | None
    approach: Stated | None
    outputs: Stated | None
    results: Stated | None
    dissemination: Stated | None
    remarks: Stated | None
    page: Stated | None


@dataclass
class _Block:
    """The value lines under one label, joined, with a map from characters back to lines."""

    label: str
    label_line: int
    parts: list[tuple[int, str]] = field(default_factory=list)

    def text(self) -> tuple[str, list[tuple[int, int]]]:
        return _join(self.parts)

    def stated(self, start: int = 0, end: int | None = None) -> Stated:
        """The joined value (or its characters ``start:end``) with the lines they come from."""
        text, starts = self.text()
        end = len(text) if end is None else end
        lines = [number for offset, number in starts if offset < end]
        first = next(number for offset, number in reversed(starts) if offset <= start)
        return Stated(text[start:end], first, lines[-1])


def _join(parts: Sequence[tuple[int, str]]) -> tuple[str, list[tuple[int, int]]]:
    """Join wrapped lines into one text; return it and (start offset, line number) per line."""
    text = ""
    starts: list[tuple[int, int]] = []
    for number, part in parts:
        if text:
            first_word = part.split(maxsplit=1)[0]
            broken_word = (len(text) > 1 and text.endswith("-") and text[-2].isalpha()
                           and part[0].islower() and first_word not in _COORDINATORS)
            text = text[:-1] if broken_word else text + " "
        starts.append((len(text), number))
        text += part
    return text, starts


def _normalise(text: str) -> str:
    return " ".join(text.split())


def _match_label(rows: Sequence[tuple[int, str]], index: int, after: int
                 ) -> tuple[int, int, str | None] | None:
    """Match a label starting at ``rows[index]``; return (label index, last row, inline value)."""
    for span in range(1, _MAX_LABEL_LINES + 1):
        if index + span > len(rows):
            break
        joined = _normalise(_join(rows[index:index + span])[0])
        for position in range(after + 1, len(_LABELS)):
            label = _LABELS[position][0]
            if joined == label:
                return position, index + span - 1, None
            if span == 1 and joined.startswith(label + " "):
                return position, index, joined[len(label):].strip()
    return None


def parse_summary_card(path: Path) -> SummaryCardRecord:
    """Parse a one-page project summary card.

    Labels may wrap over several lines (``Hankkeen nimi, S-numero ja`` /
    ``toteutusaika``, even mid-word: ``kehittä-`` / ``mistyön``) and a short value
    may share the label's line (``Toteuttajat Itä-Lapin kuntayhtymä``). A bare
    URL line ends the last field and is the card's page.

    Parameters
    ----------
    path
        The card, a UTF-8 text file.

    Returns
    -------
    SummaryCardRecord
        Every field with the lines (1-based) that state it.

    Raises
    ------
    SourceError
        If the file is missing or unreadable, a required label (identification,
        funding, implementers, target groups) is absent, or a value does not fit
        the layout (the message names the file and line).

    Examples
    --------
    >>> from hyvinvointi_kg._resources import resource_dir
    >>> rec = parse_summary_card(resource_dir("data/sources") / "S21758_summary_card_fi.txt")
    >>> rec.project_code.text, rec.start.isoformat(), rec.end.isoformat()
    ('S21758', '2019-09-01', '2022-03-31')
    >>> rec.granting_authority.text, rec.realised_public_funding_eur
    ('Pohjois-Pohjanmaan ELY-keskus', Decimal('259577'))
    """
    name = path.name
    rows = [(number, line.strip()) for number, line in enumerate(read_lines(path), start=1)
            if line.strip()]
    header: list[tuple[int, str]] = []
    blocks: dict[str, _Block] = {}
    current: _Block | None = None
    page: Stated | None = None
    last_label = -1
    index = 0
    while index < len(rows):
        number, line = rows[index]
        match = _match_label(rows, index, last_label)
        if match is not None:
            last_label, last_row, inline = match
            label, key = _LABELS[last_label]
            current = blocks[key] = _Block(label, number)
            if inline:
                current.parts.append((rows[last_row][0], inline))
            index = last_row + 1
            continue
        if _URL.match(line):
            if page is not None:
                raise SourceError(f"{name}:{number}: a second page address; the card has one")
            page = Stated(line, number, number)
            current = None
        elif page is not None:
            raise SourceError(f"{name}:{number}: text after the page address: {line[:60]!r}")
        elif current is None:
            header.append((number, line))
        else:
            current.parts.append((number, line))
        index += 1

    missing = [label for label, key in _LABELS if key in _REQUIRED and key not in blocks]
    if missing:
        raise SourceError(f"{name}: required label(s) not found: "
                          + ", ".join(repr(label) for label in missing))
    empty = [blocks[key] for key in _REQUIRED if not blocks[key].parts]
    if empty:
        raise SourceError(f"{name}:{empty[0].label_line}: no value under {empty[0].label!r}")

    ident_block = blocks["identification"]
    ident_text = ident_block.text()[0]
    ident = _IDENTIFICATION.match(ident_text)
    if ident is None:
        raise SourceError(f"{name}:{ident_block.parts[0][0]}: expected 'code, title, "
                          f"d.m.yyyy – d.m.yyyy' under {ident_block.label!r}, got {ident_text[:80]!r}")
    code, title, period = (ident_block.stated(*ident.span(group))
                           for group in ("code", "title", "period"))
    if header:
        header_code = _HEADER_CODE.match(header[0][1])
        if header_code and header_code.group(1) != code.text:
            raise SourceError(f"{name}:{header[0][0]}: the heading names {header_code.group(1)} "
                              f"but {ident_block.label!r} names {code.text}")
    start, end = parse_day_range(name, period)

    funding_block = blocks["funding"]
    funding_text = funding_block.text()[0]
    funding = _FUNDING.match(funding_text)
    if funding is None:
        raise SourceError(f"{name}:{funding_block.parts[0][0]}: expected 'authority, amount €' "
                          f"under {funding_block.label!r}, got {funding_text[:80]!r}")
    amount = funding_block.stated(*funding.span("amount"))
    digits = re.sub(r"[\s\u00a0\u202f€]", "", amount.text).replace(",", ".")

    implementers = blocks["implementers"]
    if ";" in implementers.text()[0]:
        raise SourceError(f"{name}:{implementers.parts[0][0]}: several implementers; the card "
                          "does not tell which one is the lead implementer")

    def optional(key: str) -> Stated | None:
        block = blocks.get(key)
        return block.stated() if block is not None and block.parts else None

    target_groups = blocks["target_groups"]
    return SummaryCardRecord(
        file_name=name,
        project_code=code,
        title=title,
        period=period,
        start=start,
        end=end,
        granting_authority=funding_block.stated(*funding.span("authority")),
        realised_public_funding=amount,
        realised_public_funding_eur=Decimal(digits),
        implementer=implementers.stated(),
        target_groups=target_groups.stated(),
        target_group_lines=tuple(Stated(text, number, number) for number, text in target_groups.parts),
        goals=optional("goals"),
        approach=optional("approach"),
        outputs=optional("outputs"),
        results=optional("results"),
        dissemination=optional("dissemination"),
        remarks=optional("remarks"),
        page=page,
    )


def summary_card_to_graph(
    record: SummaryCardRecord,
    source: SourceDocument,
    *,
    concepts: ConceptIndex,
    authorities: LabelIndex,
) -> Graph:
    """Turn a summary card into triples, each backed by a claim on its source lines.

    The IRIs are those of :func:`~hyvinvointi_kg.ingest.register.register_to_graph`
    (project, lead implementer, funding record, amount), so the card's facts merge
    with the register's. The card does not name the fund: the funding record is the
    one of the fund its EURA code implies (``S…`` ESF, ``A…`` ERDF), and the
    claims say so. Goals, approach, outputs and results become ``hk:goals``,
    ``hk:approach``, ``hk:outputs`` and ``hk:results`` in Finnish.

    Parameters
    ----------
    record
        The parsed card.
    source
        The document it was parsed from.
    concepts
        Resolves target-group keywords.
    authorities
        Resolves the funder's name to a granting authority of the funding
        reference data.

    Raises
    ------
    SourceError
        If the granting authority is unknown, or the project code's letter does
        not tell the fund (the message says which file to extend).

    Examples
    --------
    >>> from hyvinvointi_kg._resources import resource_dir
    >>> from hyvinvointi_kg.stores.files import load_ontology, parse_rdf
    >>> from hyvinvointi_kg.ingest.sources import describe_source
    >>> path = resource_dir("data/sources") / "S21758_summary_card_fi.txt"
    >>> authorities = LabelIndex(parse_rdf(resource_dir("data/reference") / "funding.ttl"),
    ...                          {HK.StateAgency})
    >>> g = summary_card_to_graph(parse_summary_card(path), describe_source(path),
    ...                           concepts=ConceptIndex(load_ontology()), authorities=authorities)
    >>> str(g.value(project_iri("S21758"), HK.leadImplementer)).rsplit("/", 1)[-1]
    'ita-lapin-kuntayhtyma'
    """
    g = Graph(store="SimpleMemory")  # no named graphs here: the faster store
    project = project_iri(record.project_code.text)

    def claim(s: URIRef, p: URIRef, o: Literal | URIRef, stated: Stated,
              rule: str | None = None) -> None:
        add_claim(g, s, p, o, source=source, stated=stated, rule=rule)

    def fail(stated: Stated, message: str) -> SourceError:
        return SourceError(f"{record.file_name}:{stated.first_line}: {message}")

    claim(project, RDF.type, HK.Project, record.project_code)
    claim(project, HK.projectCode, Literal(record.project_code.text), record.project_code)
    claim(project, DCTERMS.title, Literal(record.title.text, lang="fi"), record.title)
    for prop, day in ((HK.start, record.start), (HK.end, record.end),
                      (HK.startDate, record.start), (HK.endDate, record.end)):
        claim(project, prop, Literal(day, datatype=XSD.date), record.period)

    # Implementer: the card lists implementers; a single one is the applicant.
    org = organisation_iri(record.implementer.text)
    claim(project, HK.leadImplementer, org, record.implementer,
          rule="the card names a single implementer ('Toteuttajat'), so it is the lead implementer")
    claim(org, SKOS.prefLabel, Literal(record.implementer.text, lang="fi"), record.implementer)

    # Funding: the card names the granting authority and the realised public funding.
    prefix = record.project_code.text[0]
    fund = _FUND_BY_CODE_PREFIX.get(prefix)
    if fund is None:
        raise fail(record.project_code, f"project code {record.project_code.text!r} does not tell "
                   "the fund; add its letter to hyvinvointi_kg.ingest.summary_card._FUND_BY_CODE_PREFIX")
    fund_rule = _FUND_RULE.format(prefix=prefix, fund_name=_FUND_NAMES[fund])
    funding = funding_iri(project, fund)
    claim(project, HK.hasFunding, funding, record.granting_authority, rule=fund_rule)
    claim(funding, RDF.type, HK.Funding, record.granting_authority, rule=fund_rule)
    claim(funding, HK.funder, ID[f"fund/{fund}"], record.project_code, rule=fund_rule)
    authority = authorities.resolve(record.granting_authority.text)
    if authority is None:
        raise fail(record.granting_authority, f"unknown authority {record.granting_authority.text!r}; "
                   "add it (or an altLabel) to data/reference/funding.ttl")
    claim(funding, HK.grantingAuthority, authority, record.granting_authority,
          rule="the card's funder ('Rahoittaja') is the authority that granted the funding")
    node = URIRef(f"{funding}/amount/realised-public-total")
    stated = record.realised_public_funding
    claim(funding, HK.hasAmount, node, stated)
    claim(node, RDF.type, HK.MonetaryAmount, stated)
    claim(node, HK.amountKind, AMOUNT_KIND["realised-public-total"], stated,
          rule="label 'Rahoittaja ja toteutunut julkinen rahoitus'")
    claim(node, HK.amount, Literal(record.realised_public_funding_eur, datatype=XSD.decimal), stated)
    claim(node, HK.currency, Literal("EUR"), stated, rule="the card writes the amount in €")

    # Target groups: the description, and keyword rules line by line.
    claim(project, HK.targetGroupDescription, Literal(record.target_groups.text, lang="fi"),
          record.target_groups)
    for line in record.target_group_lines:
        for concept, keyword in concepts.match_target_groups(line.text):
            claim(project, HK.targetGroup, concept, line, rule=f"keyword {keyword!r}")

    for prop, text in ((HK.goals, record.goals), (HK.approach, record.approach),
                       (HK.outputs, record.outputs), (HK.results, record.results)):
        if text is not None:
            claim(project, prop, Literal(text.text, lang="fi"), text)
    if record.page is not None:
        claim(project, FOAF.page, URIRef(record.page.text), record.page)
    return g
