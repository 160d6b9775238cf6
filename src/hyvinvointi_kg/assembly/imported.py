"""Imported spreadsheets to claims: every value a claim whose source span is its file, sheet, row and column.

The rows of ``build --add`` files meet the documents' graph through the same
machinery: a project the graph has already (the same register code, or the same
name and lead) gains claims instead of a second node; organisations resolve by
business ID first, then by the curated names and the spelling rules of
:class:`~hyvinvointi_kg.assembly.organisations.OrganisationResolver`; a project's
places are the municipalities where it is carried out (the EURA report's
implementation site, never the beneficiary's head office, which becomes the
organisation's ``hk:domicile``); funders by the funding rules of ``funders.yaml``.
Disagreements stay as competing claims for :mod:`hyvinvointi_kg.assembly.merge`.

Not mapped yet, and kept in the import records: the EURA 2021–2027 policy axis and
specific objective (the programme-objective scheme holds 2014–2020's), STEA's grant
type (``avustuslaji``) and a funding line's year (it is part of the line's IRI).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal as TypingLiteral

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, SKOS, XSD

from hyvinvointi_kg.assembly.concepts import ConceptIndex
from hyvinvointi_kg.assembly.funding import FundingRule, match_funding
from hyvinvointi_kg.assembly.organisations import OrganisationResolver
from hyvinvointi_kg.assembly.places import FINLAND, PlaceIndex
from hyvinvointi_kg.assembly.provenance import add_claim
from hyvinvointi_kg.assembly.vocabulary import LabelIndex
from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.ingest.catalogue_graph import project_key
from hyvinvointi_kg.ingest.eura2021 import load_postal_towns
from hyvinvointi_kg.ingest.import_records import (
    BadInputError,
    BadRow,
    Cell,
    ImportedFunding,
    ImportedImplementer,
    ImportedProject,
    ImportReport,
    ImportResult,
    Location,
)
from hyvinvointi_kg.ingest.imports import read_import
from hyvinvointi_kg.ingest.register import guess_language
from hyvinvointi_kg.ingest.sources import SourceDocument, SourceKind
from hyvinvointi_kg.namespaces import (
    AMOUNT_KIND,
    HK,
    ID,
    funding_iri,
    municipality_iri,
    project_iri,
    region_iri,
    slugify,
)

__all__ = ["FindingKind", "ImportFinding", "ImportedFile", "imports_to_graph", "read_imports"]

_REGISTER_CODE = re.compile(r"[A-Z][0-9]{5}|[0-9]{5,6}")  # as the shape hks:Project-projectCode
_YEAR = re.compile(r"\d{4}")
_URL = re.compile(r"https?://\S+")

FindingKind = TypingLiteral["joined project", "reused organisation", "not resolved"]
"""What a finding says: a row joined a project the graph had, an organisation was found
again (by business ID or name), or a stated value matched nothing and is not in the graph."""


@dataclass(frozen=True)
class ImportedFile:
    """One file given to ``build --add``: what it read and the source documents it stands for.

    ``documents`` and ``locations`` go together: one document per file read (the
    workbook, or each CSV file of a folder), and where that file is.
    """

    path: Path
    result: ImportResult
    documents: tuple[SourceDocument, ...]
    locations: tuple[Path, ...]

    @property
    def report(self) -> ImportReport:
        """What the importer read and left out."""
        return self.result.report


@dataclass(frozen=True)
class ImportFinding:
    """What the build did with one imported value that needs a word: where, what, the detail."""

    location: Location
    kind: FindingKind
    detail: str

    def __str__(self) -> str:
        return f"{self.location}: {self.kind}: {self.detail}"


def read_imports(paths: Sequence[Path], *, skip_bad_rows: bool = False,
                 reserved: Iterable[str] = ()) -> tuple[ImportedFile, ...]:
    """Read every file with the importer of its format, before anything is built.

    Parameters
    ----------
    paths
        The files (an .xlsx or .csv file, or a folder of our format's CSV files).
    skip_bad_rows
        Leave bad rows out (each listed in its report's ``skipped``) instead of failing.
    reserved
        File names already taken by the bundled sources: claims cite sources by name.

    Raises
    ------
    BadInputError
        Every bad row of every file, one line each, when any file has one (or with
        *skip_bad_rows*, a file that cannot be read at all).
    InputError
        If two sources would have the same file name.

    Examples
    --------
    >>> from hyvinvointi_kg._resources import resource_dir
    >>> folder = Path(__file__).parents[3] / "tests" / "data" / "imports"
    >>> [f.documents[0].kind for f in read_imports([folder / "stea_register.csv"])]
    ['register_export']
    """
    files: list[ImportedFile] = []
    bad: list[BadRow] = []
    for path in paths:
        try:
            result = read_import(path, skip_bad_rows=skip_bad_rows)
        except BadInputError as err:
            bad.extend(err.bad_rows)
            continue
        kind: SourceKind = ("register_export" if result.report.format in ("eura2021", "stea")
                            else "project_spreadsheet")
        folder = path if path.is_dir() else path.parent
        files.append(ImportedFile(
            path, result,
            tuple(SourceDocument(s.name, kind, "fi", s.sha256, None) for s in result.report.sources),
            tuple(folder / s.name for s in result.report.sources)))
    if bad:
        raise BadInputError(tuple(bad))
    seen: dict[str, Path | None] = dict.fromkeys(reserved)
    for file in files:
        for document, where in zip(file.documents, file.locations, strict=True):
            if document.file_name in seen:
                other = seen[document.file_name]
                raise InputError(f"{where}: a source named {document.file_name!r} is already "
                                 + ("a bundled source document" if other is None else f"added from {other}")
                                 + "; rename one of them (claims cite their sources by file name)")
            seen[document.file_name] = where
    return tuple(files)


def imports_to_graph(
    files: Sequence[ImportedFile], data: Graph, *, places: PlaceIndex, concepts: ConceptIndex,
    resolver: OrganisationResolver, funding_rules: tuple[FundingRule, ...],
    authorities: LabelIndex, programmes: LabelIndex, known_projects: dict[str, URIRef],
) -> tuple[Graph, tuple[ImportFinding, ...]]:
    """The claims of the imported projects, and the findings worth reporting.

    Parameters
    ----------
    data
        The graph of the documents (read, not changed): its projects' codes and
        leads, and its organisations' business IDs.
    known_projects
        Projects by :func:`~hyvinvointi_kg.ingest.catalogue_graph.project_key` of
        their names (and ``key|lead``), as the catalogue step left them; extended.
    resolver
        The documents' organisation resolver; the imported names are registered
        with it, so the build describes the organisations it creates.
    """
    importer = _Importer(data, places, concepts, resolver, funding_rules, authorities, programmes,
                         known_projects, {d.file_name: d for f in files for d in f.documents})
    projects = [p for f in files for p in f.result.projects]
    resolver.register(sorted({i.name.text for p in projects for i in p.implementers
                              if not (i.business_id and i.business_id.value in importer.by_business_id)}
                             | {f.granting_authority.text for p in projects for f in p.funding
                                if f.granting_authority and authorities.resolve(f.granting_authority.text) is None}))
    # Projects with a register code first: a code names the project whatever the files' order.
    for project in sorted(projects, key=lambda p: not _register_code(p)):
        importer.add_project(project)
    return importer.graph, tuple(importer.findings)


def _register_code(project: ImportedProject) -> str | None:
    code = project.code.text if project.code else None
    return code if code and _REGISTER_CODE.fullmatch(code) else None


class _Importer:
    """The state of one build's imports: the graph made so far and what it knows."""

    def __init__(self, data: Graph, places: PlaceIndex, concepts: ConceptIndex,
                 resolver: OrganisationResolver, rules: tuple[FundingRule, ...], authorities: LabelIndex,
                 programmes: LabelIndex, known: dict[str, URIRef], documents: dict[str, SourceDocument]) -> None:
        self.graph = Graph(store="SimpleMemory")
        self.places, self.concepts, self.resolver, self.rules = places, concepts, resolver, rules
        self.authorities, self.programmes, self.known, self.documents = authorities, programmes, known, documents
        self.findings: list[ImportFinding] = []
        self.postal_towns = {t.name.casefold(): t for t in load_postal_towns()}
        self.codes = {str(c): s for s, c in data.subject_objects(HK.projectCode) if isinstance(s, URIRef)}
        self.leads: dict[URIRef, set[URIRef]] = {}
        for s, o in data.subject_objects(HK.leadImplementer):
            if isinstance(s, URIRef) and isinstance(o, URIRef):
                self.leads.setdefault(s, set()).add(o)
        self.by_business_id = {str(b): s for s, b in sorted(data.subject_objects(HK.businessId))
                               if isinstance(s, URIRef)}
        for org in resolver.by_iri.values():
            if org.business_id:
                self.by_business_id.setdefault(org.business_id, org.iri)
        self.business_id_of = {iri: bid for bid, iri in self.by_business_id.items()}
        self.organisations = set(data.subjects(SKOS.prefLabel, None)) | set(resolver.by_iri)

    def claim(self, s: URIRef, p: URIRef, o: Literal | URIRef, cell: Cell, rule: str | None = None) -> None:
        add_claim(self.graph, s, p, o, source=self.documents[cell.location.file], stated=cell, rule=rule)

    def note(self, location: Location, kind: FindingKind, detail: str) -> None:
        self.findings.append(ImportFinding(location, kind, detail))

    def add_project(self, project: ImportedProject) -> None:
        organisations = [self.organisation(i) for i in project.implementers]
        lead = next((o for o, i in zip(organisations, project.implementers, strict=True)
                     if i.role.value == "lead"), None)
        iri = self.project(project, lead)
        name = project.name
        self.claim(iri, RDF.type, HK.Project, name)
        self.claim(iri, DCTERMS.title, Literal(name.text, lang=guess_language(name.text, "fi")), name)
        code = _register_code(project)
        if code is not None and project.code is not None:
            self.claim(iri, HK.projectCode, Literal(code), project.code)
            self.codes.setdefault(code, iri)
        elif project.code is not None:
            self.claim(iri, DCTERMS.identifier, Literal(project.code.text), project.code,
                       rule="the spreadsheet's own code, not a register code")
        for implementer, org in zip(project.implementers, organisations, strict=True):
            role = HK.leadImplementer if implementer.role.value == "lead" else HK.partner
            stated_role = implementer.role.cell
            self.claim(iri, role, org, implementer.name,
                       rule=None if stated_role == implementer.name
                       else f"role {stated_role.text!r} in column {stated_role.location.column!r}")
        if lead is not None:
            self.leads.setdefault(iri, set()).add(lead)
        self.dates(iri, project)
        if project.status is not None:
            status = self.concepts.resolve(project.status.text, scheme="status")
            if status is None:
                self.note(project.status.location, "not resolved", f"status {project.status.text!r}")
            else:
                self.claim(iri, HK.status, status, project.status)
        if project.description is not None:
            text = project.description.text
            self.claim(iri, DCTERMS.description, Literal(text, lang=guess_language(text, "fi")),
                       project.description)
        if project.homepage is not None and _URL.fullmatch(project.homepage.text):
            self.claim(iri, FOAF.homepage, URIRef(project.homepage.text), project.homepage)
        for place in project.places:
            area = (municipality_iri(place.code) if place.kind == "municipality"
                    else region_iri(place.code) if place.kind == "region" else FINLAND)
            self.claim(iri, HK.targetArea, area, place.cell, rule=place.rule)
        self.concepts_of(iri, project)
        for funding in project.funding:
            self.funding(iri, funding)

    def project(self, project: ImportedProject, lead: URIRef | None) -> URIRef:
        """The project the row is about: by register code, else by name and lead, else a new one."""
        code = _register_code(project)
        key = project_key(project.name.text)
        if code is not None and code in self.codes:
            iri = self.codes[code]
            self.note(project.row, "joined project", f"{iri} (the same project code {code})")
            return iri
        for candidate in (self.known.get(f"{key}|{lead}"), self.known.get(key)):
            has_other_code = code is not None and any(c != code for c, p in self.codes.items() if p == candidate)
            if candidate is not None and lead in self.leads.get(candidate, ()) and not has_other_code:
                self.note(project.row, "joined project", f"{candidate} (the same name and lead)")
                return candidate
        lead_slug = lead.rsplit("/", 1)[-1] if lead is not None else "no-lead"
        iri = project_iri(code) if code else project_iri(f"{slugify(project.name.text)}-{lead_slug}")
        self.known.setdefault(key, iri)
        self.known.setdefault(f"{key}|{lead}", iri)
        return iri

    def organisation(self, implementer: ImportedImplementer) -> URIRef:
        """An implementer's organisation: by business ID, else by name (curated names first)."""
        name, business_id = implementer.name, implementer.business_id
        bid = business_id.value if business_id is not None else None
        if bid is not None and bid in self.by_business_id:
            iri, rule = self.by_business_id[bid], "the same business ID"
        else:
            resolution = self.resolver.resolve(name.text)
            if bid is not None and self.business_id_of.get(resolution.iri, bid) != bid:
                # The same name, another business ID: another organisation.
                resolution = self.resolver.resolve(f"{name.text} ({bid})")
            iri, rule = resolution.iri, resolution.rule
        if iri in self.organisations:
            self.note(name.location, "reused organisation",
                      f"{name.text!r} is {iri} ({'the same name' if rule == 'new organisation' else rule})")
        if rule != "new organisation":
            self.claim(iri, SKOS.altLabel, Literal(name.text, lang="fi"), name,
                       rule=f"spelling in the source; resolved by {rule}")
        if business_id is not None and bid is not None:
            self.by_business_id.setdefault(bid, iri)
            self.business_id_of.setdefault(iri, bid)
            if self.business_id_of[iri] == bid:
                self.claim(iri, HK.businessId, Literal(bid), business_id.cell, rule=business_id.rule)
        if implementer.domicile is not None:
            self.domicile(iri, implementer.domicile)
        if implementer.organisation_type is not None:
            self.claim(iri, HK.registeredOrganisationType,
                       Literal(implementer.organisation_type.text, lang="fi"), implementer.organisation_type)
        return iri

    def domicile(self, organisation: URIRef, stated: Cell) -> None:
        """The head office: the municipality the beneficiary's post office names, or is in."""
        town = self.places.resolve(stated.text, kind="municipality")
        post_office = self.postal_towns.get(" ".join(stated.text.split()).casefold())
        if town is not None:
            self.claim(organisation, HK.domicile, town, stated,
                       rule="the beneficiary's post office names its municipality (its head office, "
                            "not the project's place)")
        elif post_office is not None:
            self.claim(organisation, HK.domicile, municipality_iri(post_office.municipality_code), stated,
                       rule=f"the beneficiary's post office {post_office.name} is in {post_office.municipality} "
                            "(data/reference/postal_towns.csv; its head office, not the project's place)")
        else:
            self.note(stated.location, "not resolved",
                      f"head office {stated.text!r} is neither a municipality's name nor a post office of "
                      "data/reference/postal_towns.csv")

    def dates(self, iri: URIRef, project: ImportedProject) -> None:
        """The stated start and end (a year stays a year) and the first and last day."""
        for value, stated, bound in ((project.start, HK.start, HK.startDate), (project.end, HK.end, HK.endDate)):
            if value is None:
                continue
            day = Literal(value.value, datatype=XSD.date)
            as_year = value.rule is not None and _YEAR.fullmatch(value.cell.text) is not None
            self.claim(iri, stated, Literal(value.cell.text, datatype=XSD.gYear) if as_year else day,
                       value.cell, rule=None if as_year else value.rule)
            self.claim(iri, bound, day, value.cell, rule=value.rule)

    def concepts_of(self, iri: URIRef, project: ImportedProject) -> None:
        """Themes and target groups: by the schemes' labels; a target group also by keyword."""
        for cell in project.themes:
            theme = self.concepts.resolve(cell.text, scheme="theme")
            if theme is None:
                self.note(cell.location, "not resolved", f"theme {cell.text!r} is not in the theme scheme")
            else:
                self.claim(iri, HK.theme, theme, cell)
        for cell in project.target_groups:
            group = self.concepts.resolve(cell.text, scheme="target-group")
            matches = ([(group, None)] if group is not None else
                       [(c, f"keyword {k!r}") for c, k in self.concepts.match_target_groups(cell.text)])
            if not matches:
                self.note(cell.location, "not resolved", f"target group {cell.text!r}")
            for concept, rule in matches:
                self.claim(iri, HK.targetGroup, concept, cell, rule=rule)

    def funding(self, project: URIRef, funding: ImportedFunding) -> None:
        """One funding line: funder by the funding rules, programme, granting body and amounts."""
        if funding.funder is None:
            return
        cell, text = funding.funder.cell, funding.funder.value
        rule = match_funding(text, self.rules)
        node = funding_iri(project, funding.key)
        self.claim(project, HK.hasFunding, node, cell)
        self.claim(node, RDF.type, HK.Funding, cell)
        if rule is None:
            funder = ID[f"funder/{slugify(text)[:80]}"]
            self.note(cell.location, "not resolved", f"funder {text!r} is not in funders.yaml; kept as stated")
            self.claim(funder, SKOS.prefLabel, Literal(text, lang="fi"), cell,
                       rule="a funder funders.yaml does not know, named as stated")
            self.claim(node, HK.funder, funder, cell, rule=funding.funder.rule)
        else:
            # A funding line names one funder; a rule naming several would need one line each.
            self.claim(node, HK.funder, rule.funders[0], cell,
                       rule="; ".join(r for r in (funding.funder.rule, rule.describe()) if r))
        if funding.programme is not None:
            stated = funding.programme
            programme = self.programmes.resolve(stated.text)
            if programme is None:
                programme = ID[f"programme/{slugify(stated.text)}"]
                self.claim(programme, RDF.type, HK.FundingProgramme, stated,
                           rule="a programme the reference data does not describe, named as stated")
                self.claim(programme, SKOS.prefLabel, Literal(stated.text, lang="fi"), stated)
            self.claim(node, HK.programme, programme, stated)
        elif rule is not None and rule.programme is not None:
            self.claim(node, HK.programme, rule.programme, cell, rule=rule.describe())
        if funding.granting_authority is not None:
            stated = funding.granting_authority
            body = self.authorities.resolve(stated.text) or self.resolver.resolve(stated.text).iri
            self.claim(node, HK.grantingAuthority, body, stated)
        elif rule is not None and len(rule.bodies) == 1:
            self.claim(node, HK.grantingAuthority, rule.bodies[0], cell, rule=rule.describe())
        for amount in funding.amounts:
            value = amount.value
            target = URIRef(f"{node}/amount/{amount.kind.value}")
            self.claim(node, HK.hasAmount, target, value.cell)
            self.claim(target, RDF.type, HK.MonetaryAmount, value.cell)
            self.claim(target, HK.amountKind, AMOUNT_KIND[amount.kind.value], amount.kind.cell, rule=amount.kind.rule)
            self.claim(target, HK.amount, Literal(value.value, datatype=XSD.decimal), value.cell, rule=value.rule)
            self.claim(target, HK.currency, Literal("EUR"), value.cell, rule="amounts are in euros (docs/import.md)")

