"""Build the knowledge graph from the source documents and the reference data."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from hyvinvointi_kg._resources import resource_dir
from hyvinvointi_kg.errors import SourceError
from hyvinvointi_kg.graph import DATA_FILES, INFERRED_FILE, load_ontology, parse_rdf, write_turtle
from hyvinvointi_kg.ingest.register import parse_register, register_to_graph
from hyvinvointi_kg.namespaces import HK, bind_prefixes
from hyvinvointi_kg.places import PlaceIndex, place_graph
from hyvinvointi_kg.sources import SourceDocument, describe_source, source_graph
from hyvinvointi_kg.vocabulary import ConceptIndex, LabelIndex

__all__ = ["SOURCE_FILES", "BuildResult", "build_graph", "write_build"]

SOURCE_FILES = (
    "eura_S21758_description_en.txt",
    "eura_S20154_description_fi.txt",
    "S21758_summary_card_fi.txt",
    "S21758_news_2019-08-07_fi.txt",
    "lapland_projects_catalogue_fi.txt",
)
REGISTER_FILES = ("eura_S21758_description_en.txt", "eura_S20154_description_fi.txt")


@dataclass(frozen=True)
class BuildResult:
    """What a build produced: the place reference graph, the data graph and the sources."""

    places: Graph
    data: Graph
    sources: tuple[SourceDocument, ...]

    def graph(self) -> Graph:
        """Places and data in one new graph (no ontology, no inferences)."""
        union = bind_prefixes(Graph())
        for triple in self.places:
            union.add(triple)
        for triple in self.data:
            union.add(triple)
        return union


def build_graph(
    *, sources_dir: Path | None = None, reference_dir: Path | None = None
) -> BuildResult:
    """Build the graph from the source documents, deterministically.

    Parameters
    ----------
    sources_dir
        Folder holding the source documents (default: the bundled ``data/sources``).
    reference_dir
        Folder holding the reference data (default: the bundled ``data/reference``).

    Raises
    ------
    SourceError
        If a source file is missing or does not fit its expected layout; the
        message names the file (and line).

    Examples
    --------
    >>> result = build_graph()
    >>> sorted(d.file_name for d in result.sources)[0]
    'S21758_news_2019-08-07_fi.txt'
    """
    sources_dir = sources_dir or resource_dir("data/sources")
    reference_dir = reference_dir or resource_dir("data/reference")
    missing = [name for name in SOURCE_FILES if not (sources_dir / name).is_file()]
    if missing:
        raise SourceError(f"{sources_dir / missing[0]}: source file not found"
                          + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""))
    documents = tuple(describe_source(sources_dir / name) for name in SOURCE_FILES) + (
        describe_source(reference_dir / "municipalities_fi.csv"),)
    places = place_graph(reference_dir)
    funding = parse_rdf(reference_dir / "funding.ttl")
    ontology = load_ontology()
    place_index = PlaceIndex(places)
    concepts = ConceptIndex(ontology)
    authorities = LabelIndex(funding, {HK.StateAgency, HK.RegionalCouncil, HK.Ministry})

    data = bind_prefixes(Graph())
    data += source_graph(list(documents))
    data += funding
    by_name = {doc.file_name: doc for doc in documents}
    for name in REGISTER_FILES:
        record = parse_register(sources_dir / name)
        data += register_to_graph(record, by_name[name], places=place_index,
                                  concepts=concepts, authorities=authorities)
    return BuildResult(places=places, data=data, sources=documents)


def write_build(result: BuildResult, inferred: Graph, out_dir: Path) -> tuple[Path, ...]:
    """Write ``places.ttl``, ``graph.ttl`` and ``inferred.ttl`` into *out_dir* atomically.

    Each file is written to a temporary file and renamed, so a failure never
    leaves a half-written file behind.
    """
    paths = tuple(out_dir / name for name in (*DATA_FILES, INFERRED_FILE))
    for graph, path in zip((result.places, result.data, inferred), paths, strict=True):
        write_turtle(graph, path)
    return paths
