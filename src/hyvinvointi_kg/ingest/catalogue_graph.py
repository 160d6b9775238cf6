"""Catalogue entries to claims: projects, implementers, funding, periods, areas, themes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from hyvinvointi_kg.assembly.concepts import ConceptIndex
from hyvinvointi_kg.assembly.curation import expect, load_curation_file
from hyvinvointi_kg.assembly.funding import FundingRule, match_funding, split_funding_cell
from hyvinvointi_kg.assembly.organisations import OrganisationResolver, read_implementers, split_implementers
from hyvinvointi_kg.assembly.periods import parse_period
from hyvinvointi_kg.assembly.places import PlaceIndex
from hyvinvointi_kg.assembly.provenance import Stated, add_claim, stated_in
from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.ingest.catalogue_records import CELL_NAMES, CatalogueEntry, Cell, Section
from hyvinvointi_kg.ingest.register import guess_language
from hyvinvointi_kg.ingest.sources import SourceDocument
from hyvinvointi_kg.namespaces import HK, ID, THEME, funding_iri, project_iri, slugify, span_iri

__all__ = [
    "CatalogueReport",
    "Correction",
    "apply_corrections",
    "catalogue_to_graph",
    "load_corrections",
    "project_key",
]

_THEME_SLUGS = {"hyvinvointi": "hyvinvointi", "sosiaalinen osallisuus": "sosiaalinen-osallisuus",
                "turvallisuus": "turvallisuus", "yhteisöllisyys": "yhteisollisyys"}
_AREA_SEPARATORS = re.compile(r",|\s+ja\s+|\s+sekä\s+")


def project_key(name: str) -> str:
    """A key under which spellings of one project's name meet (case, punctuation, trailing years).

    Examples
    --------
    >>> project_key("Isosisko ja Isoveli - aikuiskaveritoiminta 2018-2020") == project_key(
    ...     "Isosisko ja Isoveli -aikuiskaveritoiminta")
    True
    >>> project_key("High five – Yhteistyöllä hyvinvointia Itä-Lappiin")
    'highfiveyhteistyöllähyvinvointiaitälappiin'
    """
    text = name.casefold().replace("–", "-")
    text = re.sub(r"\s*\(?(?:19|20)\d{2}\s*(?:[-–]\s*(?:19|20)?\d{2,4})?\)?\s*$", "", text)
    return re.sub(r"[^0-9a-zåäöü]", "", text)


@dataclass(frozen=True)
class Correction:
    """A reviewed fix of one cell of one catalogue entry.

    ``lines`` (first, last) are the source lines that hold the corrected text when
    it is read from other lines than the parser's cell (a row interleaved at a
    page break); without them the value is a repair of the parser's cell, which
    keeps its lines.
    """

    index: int
    section: str
    line: int
    field: str
    value: str
    reason: str
    lines: tuple[int, int] | None = None


@dataclass
class CatalogueReport:
    """What the catalogue contributed and what needs review."""

    entries: int = 0
    projects: set[URIRef] = field(default_factory=set)
    flagged: list[tuple[str, int, str]] = field(default_factory=list)
    unknown_places: list[tuple[str, int, str]] = field(default_factory=list)
    unknown_funders: list[tuple[str, int, str]] = field(default_factory=list)
    corrections_applied: list[Correction] = field(default_factory=list)
    corrections_unmatched: list[Correction] = field(default_factory=list)


def load_corrections(path: Path) -> tuple[Correction, ...]:
    """Read ``corrections.yaml``.

    Each correction has ``section``, ``line``, ``field``, ``value`` and ``reason``,
    and optionally ``lines``: where the value's text is in the source (``7527-7531``
    or one line number).

    Raises
    ------
    InputError
        On a missing file, invalid YAML, a missing key, an unknown key or field
        name, or bad ``lines`` (naming the file and the correction's number).

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "corrections.yaml"
    >>> _ = path.write_text("corrections:\\n  - {section: Kemi, line: 8, field: name, "
    ...                     "value: Lappi NYT, reason: merged, lines: 9-10}\\n", encoding="utf-8")
    >>> load_corrections(path)[0].lines
    (9, 10)
    """
    data = load_curation_file(path)
    corrections = []
    required = ("section", "line", "field", "value", "reason")
    for index, item in enumerate(expect(data.get("corrections") or [], list,
                                        where=f"{path}: corrections"), start=1):
        if not isinstance(item, dict):
            raise InputError(f"{path}: correction {index} is not a mapping")
        missing = [k for k in required if k not in item]
        if missing:
            raise InputError(f"{path}: correction {index}: missing {', '.join(missing)}")
        unknown = set(item) - {*required, "lines"}
        if unknown:
            raise InputError(f"{path}: correction {index}: unknown key(s) {', '.join(sorted(unknown))}")
        if item["field"] not in CELL_NAMES:
            raise InputError(f"{path}: correction {index}: unknown field {item['field']!r} "
                             f"(one of {', '.join(CELL_NAMES)})")
        where = f"{path}: correction {index}:"
        corrections.append(Correction(index, expect(item["section"], str, where=f"{where} section"),
                                      expect(item["line"], int, where=f"{where} line"),
                                      str(item["field"]),
                                      expect(item["value"] or "", str, where=f"{where} value"),
                                      expect(item["reason"], str, where=f"{where} reason"),
                                      _line_range(item["lines"], path, index)
                                      if "lines" in item else None))
    return tuple(corrections)


def _line_range(value: object, path: Path, index: int) -> tuple[int, int]:
    """``lines`` of a correction: ``first-last`` or one line number, 1-based, first <= last."""
    match = re.fullmatch(r"\s*(\d+)\s*(?:[-–]\s*(\d+)\s*)?", str(value))
    if match is None or isinstance(value, bool):
        raise InputError(f"{path}: correction {index}: lines must be 'first-last' "
                         f"(e.g. 7527-7531) or one line number, not {value!r}")
    first, last = int(match.group(1)), int(match.group(2) or match.group(1))
    if not 1 <= first <= last:
        raise InputError(f"{path}: correction {index}: lines {value!r} do not run forwards from 1")
    return first, last


def apply_corrections(
    sections: tuple[Section, ...], corrections: tuple[Correction, ...], report: CatalogueReport
) -> tuple[Section, ...]:
    """Replace corrected cells; corrections that match no entry go to the report."""
    by_place = {(c.section, c.line): [] for c in corrections}  # type: dict[tuple[str, int], list[Correction]]
    for c in corrections:
        by_place[(c.section, c.line)].append(c)
    used: set[int] = set()
    result = []
    for section in sections:
        entries = []
        for entry in section.entries:
            fixes = by_place.get((section.title, entry.first_line), [])
            if fixes:
                cells = dict(entry.cells)
                flags = list(entry.flags)
                for fix in fixes:
                    old = cells.get(fix.field)
                    if fix.lines is not None:  # the value is the text of other lines
                        cell = Cell(fix.value, *fix.lines,
                                    repair=f"corrections.yaml #{fix.index}: the cell is read "
                                           f"from lines {fix.lines[0]}-{fix.lines[1]}")
                    elif old is not None:  # the value repairs the parser's cell
                        cell = Cell(fix.value, old.first_line, old.last_line,
                                    source_text=old.source_text or old.text,
                                    repair=f"corrections.yaml #{fix.index}: reviewed repair "
                                           "of the cell's text")
                    else:
                        cell = Cell(fix.value, entry.first_line, entry.last_line,
                                    repair=f"corrections.yaml #{fix.index}: a cell the parser "
                                           "did not find")
                    if fix.value:
                        cells[fix.field] = cell
                    else:
                        cells.pop(fix.field, None)
                    flags.append(f"corrected {fix.field} (corrections.yaml #{fix.index}: {fix.reason})")
                    used.add(fix.index)
                    report.corrections_applied.append(fix)
                entry = replace(entry, cells=cells, flags=tuple(flags))
            entries.append(entry)
        result.append(replace(section, entries=tuple(entries)))
    report.corrections_unmatched.extend(c for c in corrections if c.index not in used)
    return tuple(result)


def catalogue_to_graph(
    sections: tuple[Section, ...],
    source: SourceDocument,
    *,
    places: PlaceIndex,
    concepts: ConceptIndex,
    resolver: OrganisationResolver,
    funding_rules: tuple[FundingRule, ...],
    known_projects: dict[str, URIRef],
    report: CatalogueReport,
    known_project_leads: dict[URIRef, tuple[URIRef, ...]] | None = None,
) -> Graph:
    """Turn catalogue entries into triples with claims; merge rows of one project by name.

    Parameters
    ----------
    known_projects
        Projects already known from other sources by :func:`project_key` of their
        titles (so a catalogue row joins the register's project).
    known_project_leads
        The lead implementers other sources give for those projects; a row with
        the same name but another lead is another project.
    report
        Filled with counts, flags and everything the build must report.
    """
    g = Graph(store="SimpleMemory")  # no named graphs here: the faster store
    known_leads: dict[URIRef, URIRef] = {}
    for project in set(known_projects.values()):
        for lead in (known_project_leads or {}).get(project, ()):
            known_leads[project] = lead
    for section in sections:
        for entry in section.entries:
            report.entries += 1
            _entry_to_graph(g, entry, source, places=places, concepts=concepts,
                            resolver=resolver, funding_rules=funding_rules,
                            known_projects=known_projects, report=report,
                            known_leads=known_leads)
    return g


def _entry_to_graph(
    g: Graph, entry: CatalogueEntry, source: SourceDocument, *, places: PlaceIndex,
    concepts: ConceptIndex, resolver: OrganisationResolver,
    funding_rules: tuple[FundingRule, ...], known_projects: dict[str, URIRef],
    report: CatalogueReport, known_leads: dict[URIRef, URIRef],
) -> None:
    flags = list(entry.flags)

    def claim(s: URIRef, p: URIRef, o: Literal | URIRef, cell: Cell, rule: str | None = None,
              text: str | None = None, repaired: str | None = None) -> None:
        # The stated text is the source's: a value read from a corrected cell states the
        # cell as its lines hold it when the value is not written there.
        stated = text if text is not None else cell.text
        if cell.repair is not None:
            rule = "; ".join(r for r in (rule, cell.repair) if r)
            if cell.source_text is not None and not stated_in(stated, [cell.source_text]):
                stated, repaired = cell.source_text, repaired or stated
        add_claim(g, s, p, o, source=source, stated=Stated(stated, cell.first_line, cell.last_line),
                  rule=rule, repaired=repaired)

    record = span_iri(source.file_name, entry.first_line, entry.last_line)
    name = entry.cell("name")
    if name is None:
        flags.append("no project name: the row is kept as a record only")
        _record(g, record, source, entry, None, flags, report)
        return
    implementers = entry.cell("implementers")
    items = (read_implementers(implementers.text, known=resolver.is_known)
             if implementers is not None else [])
    lead_name = next((piece.name for piece in items if piece.lead), None)
    lead_iri = (resolver.resolve(lead_name).iri
                if lead_name and not resolver.describes_no_organisation(lead_name) else None)
    # Rows of one project share the name and the lead; two projects may share a name.
    key = project_key(name.text)
    project = known_projects.get(f"{key}|{lead_iri}") or known_projects.get(key)
    if project is None or (lead_iri is not None and known_leads.get(project, lead_iri) != lead_iri):
        slug = slugify(re.sub(r"\s*(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}\s*$", "", name.text))
        project = project_iri(slug or "untitled")
        if lead_iri is not None and known_leads.get(project, lead_iri) != lead_iri:
            project = project_iri(f"{slug}-{lead_iri.split('/')[-1]}")
    known_projects.setdefault(key, project)
    known_projects.setdefault(f"{key}|{lead_iri}", project)
    if lead_iri is not None:
        known_leads.setdefault(project, lead_iri)
    report.projects.add(project)
    _record(g, record, source, entry, project, flags, report)
    language = guess_language(name.text + " " + (entry.text("description") or ""), "fi")
    claim(project, RDF.type, HK.Project, name)
    claim(project, DCTERMS.title, Literal(name.text, lang=language), name)
    # A project's name often says whom it is for ("Ohjaa nuori tulevaan", "PIENIKIN ISKUSSA -
    # TYÖHYVINVOINNIN VUOSIKELLOSTA …"); the description's match of a concept comes first.
    description_groups = {m.concept for m in concepts.find_target_groups(entry.text("description") or "")}
    for match in concepts.find_target_groups(name.text):
        if match.concept not in description_groups:
            claim(project, HK.targetGroup, match.concept, name,
                  rule=f"derived, not stated: {match.rule} in the name")

    description = entry.cell("description")
    if description is not None:
        claim(project, DCTERMS.description,
              Literal(description.text, lang=guess_language(description.text, "fi")), description)
        for match in concepts.find_target_groups(description.text):
            claim(project, HK.targetGroup, match.concept, description,
                  rule=f"derived, not stated: {match.rule} in the description")

    if implementers is not None:
        _, _, notes = split_implementers(implementers.text)
        flags.extend(f"implementers: {n}" for n in notes)
        seen: set[object] = set()  # two items of one cell may name one organisation
        for piece in items:
            role = HK.leadImplementer if piece.lead else HK.partner
            if resolver.is_person(piece.name):
                flags.append("a person's name in the implementer cell is not kept (privacy)")
                continue
            why_not = resolver.describes_no_organisation(piece.name)
            if why_not and piece.name not in seen:
                seen.add(piece.name)
                # Kept as the source states it, on the project, and never as a node.
                claim(project, HK.partnerDescription, Literal(piece.name, lang="fi"), implementers,
                      rule=f"not an organisation: {why_not}", text=piece.stated)
            if why_not:
                continue
            resolution = resolver.resolve(piece.name)
            if resolution.iri in seen:
                continue
            seen.add(resolution.iri)
            claim(project, role, resolution.iri, implementers, text=piece.stated,
                  rule=piece.rule or None)
            if not piece.rule:
                claim(resolution.iri, SKOS.altLabel, Literal(resolution.text, lang="fi"),
                      implementers, rule=f"spelling in the source; resolved by {resolution.rule}",
                      text=piece.stated)

    funding_cell = entry.cell("funding")
    if funding_cell is not None:
        funding_text, period_text = split_funding_cell(funding_cell.text)
        if funding_text:
            _funding(g, project, funding_text, funding_cell, claim, funding_rules, entry, flags,
                     report)
        if period_text:
            _period(project, period_text, funding_cell, claim, flags)
        else:
            flags.append("no period stated")

    area = entry.cell("area")
    if area is not None:
        for item in _area_items(area.text):
            if not item:
                continue
            place = places.resolve_area(item)
            if place is None:
                flags.append(f"unknown area item {item!r}")
                report.unknown_places.append((entry.section, entry.first_line, item))
                continue
            claim(project, HK.targetArea, place, area, text=item)

    themes = entry.cell("themes")
    if themes is not None:
        for written in (t.strip() for t in themes.text.split(",")):
            theme = written.casefold()
            if theme in _THEME_SLUGS:  # the scheme's labels are lower case
                claim(project, HK.theme, THEME[_THEME_SLUGS[theme]], themes, text=written,
                      rule=None if written == theme else "theme read case-insensitively",
                      repaired=theme)
    for flag in flags[len(entry.flags):]:
        g.add((record, HK.readingFlag, Literal(flag)))
        report.flagged.append((entry.section, entry.first_line, flag))


def _area_items(text: str) -> list[str]:
    """Items of an area cell: commas, 'ja' and 'sekä' separate; 'Lappi (a, b)' gives all three."""
    items: list[str] = []
    for outer in re.split(r",(?![^(]*\))", text):
        match = re.match(r"\s*([^()]*?)\s*\((.*)\)\s*$", outer)
        parts = [match.group(1), *match.group(2).split(",")] if match else [outer]
        for part in parts:
            items.extend(i.strip() for i in _AREA_SEPARATORS.split(part) if i.strip())
    return items


def _record(g: Graph, record: URIRef, source: SourceDocument, entry: CatalogueEntry,
            project: URIRef | None, flags: list[str], report: CatalogueReport) -> None:
    g.add((record, RDF.type, HK.SourceRecord))
    g.add((record, RDF.type, HK.SourceSpan))
    g.add((record, HK.inDocument, source.iri))
    g.add((record, HK.firstLine, Literal(entry.first_line, datatype=XSD.positiveInteger)))
    g.add((record, HK.lastLine, Literal(entry.last_line, datatype=XSD.positiveInteger)))
    g.add((record, HK.section, Literal(entry.section)))
    if project is not None:
        g.add((record, HK.describes, project))
    for flag in entry.flags:
        g.add((record, HK.readingFlag, Literal(flag)))
        report.flagged.append((entry.section, entry.first_line, flag))


def _funding(g: Graph, project: URIRef, text: str, cell: Cell, claim, rules, entry,  # type: ignore[no-untyped-def]
             flags: list[str], report: CatalogueReport) -> None:
    rule = match_funding(text, rules)
    if rule is None:
        funder = ID[f"funder/{slugify(text)[:80]}"]
        flags.append(f"funder {text!r} is not in funders.yaml; kept as stated")
        report.unknown_funders.append((entry.section, entry.first_line, text))
        node = funding_iri(project, slugify(text)[:40])
        claim(project, HK.hasFunding, node, cell, text=text)
        claim(node, RDF.type, HK.Funding, cell, text=text)
        claim(node, HK.funder, funder, cell, text=text)
        g.add((funder, RDF.type, HK.FundingSource))
        g.add((funder, SKOS.prefLabel, Literal(text, lang="fi")))
        return
    # One funding record per funder, and per granting body when the text names several
    # (two Leader groups each grant for their own area); the text stays as stated.
    several = len(rule.bodies) > 1
    for funder in rule.funders:
        for body in rule.bodies or (None,):
            key = funder.split("/")[-1]
            node = funding_iri(project, f"{key}-{body.split('/')[-1]}" if several and body else key)
            claim(project, HK.hasFunding, node, cell, text=text)
            claim(node, RDF.type, HK.Funding, cell, text=text)
            claim(node, HK.funder, funder, cell, rule=rule.describe(), text=text)
            if rule.programme is not None:
                claim(node, HK.programme, rule.programme, cell, rule=rule.describe(), text=text)
            if body is not None:
                claim(node, HK.grantingAuthority, body, cell, rule=rule.describe(), text=text)
    if rule.body_label is not None:
        # A body the reference data does not know, named as the source names it; where
        # another source names the body differently, hyvinvointi_kg.assembly.merge decides.
        claim(rule.bodies[0], SKOS.prefLabel, Literal(rule.body_label, lang="fi"), cell,
              rule=f"the body as stated; {rule.describe()}", text=text)


def _period(project: URIRef, text: str, cell: Cell, claim, flags: list[str]) -> None:  # type: ignore[no-untyped-def]
    period = parse_period(text)
    flags.extend(f"period {text!r}: {p}" for p in period.problems)
    if period.start is not None:
        claim(project, HK.start, period.start.literal(), cell, text=text)
        claim(project, HK.startDate, Literal(period.start.first_day(), datatype=XSD.date), cell,
              rule="first day of the stated start", text=text)
    if period.end is not None:
        claim(project, HK.end, period.end.literal(), cell, text=text)
        claim(project, HK.endDate, Literal(period.end.last_day(), datatype=XSD.date), cell,
              rule="last day of the stated end", text=text)
