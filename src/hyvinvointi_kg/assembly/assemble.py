"""Assemble the graph from the source documents, the reference data and the curation files."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, SKOS

from hyvinvointi_kg._resources import resource_dir
from hyvinvointi_kg.assembly.concepts import ConceptIndex
from hyvinvointi_kg.assembly.funding import load_funding_rules
from hyvinvointi_kg.assembly.imported import ImportedFile, ImportFinding, imports_to_graph, read_imports
from hyvinvointi_kg.assembly.merge import Conflict, resolve_conflicts
from hyvinvointi_kg.assembly.organisations import NearMiss, OrganisationResolver, read_implementers
from hyvinvointi_kg.assembly.places import PlaceIndex, place_graph
from hyvinvointi_kg.assembly.vocabulary import LabelIndex
from hyvinvointi_kg.errors import SourceError
from hyvinvointi_kg.ingest.catalogue import parse_catalogue
from hyvinvointi_kg.ingest.catalogue_graph import (
    CatalogueReport,
    apply_corrections,
    catalogue_to_graph,
    load_corrections,
    project_key,
)
from hyvinvointi_kg.ingest.catalogue_layout import load_catalogue_layout
from hyvinvointi_kg.ingest.news import news_release_to_graph, parse_news_release
from hyvinvointi_kg.ingest.register import parse_register, register_to_graph
from hyvinvointi_kg.ingest.sources import SourceDocument, describe_source, source_graph
from hyvinvointi_kg.ingest.summary_card import parse_summary_card, summary_card_to_graph
from hyvinvointi_kg.namespaces import HK, bind_prefixes, project_iri, source_iri
from hyvinvointi_kg.stores.files import load_ontology, parse_rdf

__all__ = [
    "SOURCE_FILES",
    "Assembly",
    "assemble",
]

SOURCE_FILES = (
    "eura_S21758_description_en.txt",
    "eura_S20154_description_fi.txt",
    "S21758_summary_card_fi.txt",
    "S21758_news_2019-08-07_fi.txt",
    "lapland_projects_catalogue_fi.txt",
)
REGISTER_FILES = ("eura_S21758_description_en.txt", "eura_S20154_description_fi.txt")
CATALOGUE_FILE = "lapland_projects_catalogue_fi.txt"
SUMMARY_CARD_FILE = "S21758_summary_card_fi.txt"
NEWS_FILE = "S21758_news_2019-08-07_fi.txt"


@dataclass(frozen=True)
class Assembly:
    """What a build produced: the place reference graph, the data graph and the sources."""

    places: Graph
    data: Graph
    sources: tuple[SourceDocument, ...]
    catalogue: CatalogueReport
    conflicts: tuple[Conflict, ...]
    near_misses: tuple[NearMiss, ...]
    merges: tuple[tuple[str, str, str], ...]
    names_to_review: tuple[tuple[str, str, str], ...] = ()
    """(name, rule, detail) for every organisation name the checker flags and no one has reviewed."""
    imports: tuple[ImportedFile, ...] = ()
    """The files added to the build (``additions``), each with its import report."""
    import_findings: tuple[ImportFinding, ...] = ()
    """Imported rows that joined a project, organisations found again, values that matched nothing."""

    def import_locations(self) -> dict[str, Path]:
        """Where each imported source is, by file name (for ``verify_claims``)."""
        return {d.file_name: where for f in self.imports
                for d, where in zip(f.documents, f.locations, strict=True)}

    def graph(self) -> Graph:
        """Places and data in one new graph (no ontology, no inferences)."""
        union = bind_prefixes(Graph(store="SimpleMemory"))
        for triple in self.places:
            union.add(triple)
        for triple in self.data:
            union.add(triple)
        return union


def assemble(
    *, sources_dir: Path | None = None, reference_dir: Path | None = None,
    curation_dir: Path | None = None, additions: Sequence[Path] = (), skip_bad_rows: bool = False,
) -> Assembly:
    """Build the graph from the source documents and any added spreadsheets, deterministically.

    Parameters
    ----------
    sources_dir
        Folder holding the source documents (default: the bundled ``data/sources``).
    reference_dir
        Folder holding the reference data (default: the bundled ``data/reference``).
    curation_dir
        Folder holding the reviewed curation files (default: the bundled ``data/curation``).
    additions
        Spreadsheets to add (``build --add``): our project spreadsheet (.xlsx, a
        folder of CSV files or one ``<base>_hankkeet.csv``), an EURA 2021–2027
        project report or a STEA register export, recognised by their headers. All
        are read before anything is built; their rows are resolved and merged with
        the documents' (see :mod:`hyvinvointi_kg.assembly.imported`).
    skip_bad_rows
        Leave the added files' bad rows out (listed in each ``imports[i].report.skipped``)
        instead of failing.

    Raises
    ------
    SourceError
        If a source file is missing or does not fit its expected layout; the
        message names the file (and line).
    BadInputError
        If an added file has bad rows (every one listed) or cannot be read.
    InputError
        If an added source has the name of another source.

    Examples
    --------
    >>> result = assemble()
    >>> sorted(d.file_name for d in result.sources)[0]
    'S21758_news_2019-08-07_fi.txt'
    """
    sources_dir = sources_dir or resource_dir("data/sources")
    reference_dir = reference_dir or resource_dir("data/reference")
    curation_dir = curation_dir or resource_dir("data/curation")
    missing = [name for name in SOURCE_FILES if not (sources_dir / name).is_file()]
    if missing:
        raise SourceError(f"{sources_dir / missing[0]}: source file not found"
                          + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""))
    documents = tuple(describe_source(sources_dir / name) for name in SOURCE_FILES) + (
        describe_source(reference_dir / "municipalities_fi.csv"),
        *(describe_source(curation_dir / name)
          for name in ("organisations.yaml", "funders.yaml", "corrections.yaml")),
    )
    imports = read_imports(additions, skip_bad_rows=skip_bad_rows,
                           reserved=[d.file_name for d in documents]) if additions else ()
    places = place_graph(reference_dir)
    funding = parse_rdf(reference_dir / "funding.ttl")
    ontology = load_ontology()
    place_index = PlaceIndex(places)
    concepts = ConceptIndex(ontology)
    authorities = LabelIndex(funding, {HK.StateAgency, HK.RegionalCouncil, HK.Ministry})

    data = bind_prefixes(Graph(store="SimpleMemory"))
    data += source_graph(list(documents) + [d for f in imports for d in f.documents])
    data += funding
    by_name = {doc.file_name: doc for doc in documents}
    known_projects = {}
    for name in REGISTER_FILES:
        record = parse_register(sources_dir / name)
        data += register_to_graph(record, by_name[name], places=place_index,
                                  concepts=concepts, authorities=authorities)
        known_projects[project_key(record.project_name.text)] = project_iri(record.project_code.text)

    data += summary_card_to_graph(parse_summary_card(sources_dir / SUMMARY_CARD_FILE),
                                  by_name[SUMMARY_CARD_FILE], concepts=concepts,
                                  authorities=authorities)
    data += news_release_to_graph(parse_news_release(sources_dir / NEWS_FILE), by_name[NEWS_FILE],
                                  places=place_index, concepts=concepts)

    resolver = OrganisationResolver(curation_dir / "organisations.yaml", place_index)
    report = CatalogueReport()
    sections = parse_catalogue(
        sources_dir / CATALOGUE_FILE,
        is_area_item=lambda text: place_index.resolve_area(text) is not None,
        known_organisations={label for org in resolver.by_iri.values() for label in [org.name]},
        layout=load_catalogue_layout(curation_dir / "catalogue_layout.yaml"),
    )
    sections = apply_corrections(sections, load_corrections(curation_dir / "corrections.yaml"),
                                 report)
    # Every organisation the catalogue names is created before any row is read (IRIs by name).
    funding_rules = load_funding_rules(curation_dir / "funders.yaml")
    resolver.register(
        item.name for section in sections for entry in section.entries
        for item in read_implementers(entry.text("implementers") or "", known=resolver.is_known)
        if not resolver.describes_no_organisation(item.name) and not resolver.is_person(item.name))
    data += catalogue_to_graph(
        sections, by_name[CATALOGUE_FILE], places=place_index, concepts=concepts,
        resolver=resolver, funding_rules=funding_rules,
        known_projects=known_projects, report=report,
        known_project_leads={p: tuple(o for o in data.objects(p, HK.leadImplementer)
                                      if isinstance(o, URIRef))
                             for p in set(known_projects.values())},
    )
    findings: tuple[ImportFinding, ...] = ()
    if imports:
        added, findings = imports_to_graph(
            imports, data, places=place_index, concepts=concepts, resolver=resolver,
            funding_rules=funding_rules, authorities=authorities,
            programmes=LabelIndex(funding, {HK.FundingProgramme}), known_projects=known_projects)
        data += added
    _add_organisations(data, resolver)
    for funder in set(data.objects(None, HK.funder)):  # the range of hk:funder, stated
        data.add((funder, RDF.type, HK.FundingSource))
    conflicts = resolve_conflicts(data)
    merges = tuple(sorted((r.text, str(r.iri), r.rule) for r in resolver.resolutions.values()
                          if r.rule != "new organisation"))
    return Assembly(places=places, data=data, sources=documents, catalogue=report,
                       conflicts=tuple(conflicts), near_misses=tuple(resolver.near_misses()),
                       merges=merges,
                       names_to_review=tuple((name, f.rule, f.detail) for name, f in resolver.names_to_review()),
                       imports=imports, import_findings=findings)


def _add_organisations(data: Graph, resolver: OrganisationResolver) -> None:
    """Describe every organisation the resolver met: kind, names, legal form, place governed."""
    curation = source_iri("organisations.yaml")
    for org in resolver.by_iri.values():
        if not org.labels and not org.curated:
            continue
        if org.curated or (org.iri, RDF.type, None) not in data:
            data.add((org.iri, RDF.type, org.kind))
        if not any(True for _ in data.objects(org.iri, SKOS.prefLabel)):
            data.add((org.iri, SKOS.prefLabel, Literal(org.name, lang="fi")))
        if org.legal_form is not None and (org.iri, HK.legalForm, None) not in data:
            data.add((org.iri, HK.legalForm, org.legal_form))
        if org.business_id and (org.iri, HK.businessId, None) not in data:
            data.add((org.iri, HK.businessId, Literal(org.business_id)))
        if org.governs is not None:
            data.add((org.iri, HK.governs, org.governs))
        data.add((org.iri, PROV.wasDerivedFrom, curation) if org.curated else
                 (org.iri, HK.kindRule, Literal(org.kind_rule)))
        for label in sorted(org.labels - {org.name}):
            data.add((org.iri, SKOS.altLabel, Literal(label, lang="fi")))
