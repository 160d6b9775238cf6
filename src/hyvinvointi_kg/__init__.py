"""hyvinvointi_kg: a knowledge graph of welfare, inclusion and safety projects in Finnish Lapland.

Functions take an ``rdflib.Graph`` first and return new objects; nothing is
computed at import time.

Examples
--------
>>> import hyvinvointi_kg as hk
>>> g = hk.load_graph()
>>> hk.summarise(g).projects
227
"""

from typing import TYPE_CHECKING, Any

from hyvinvointi_kg.errors import (
    HyvinvointiKGError,
    InputError,
    QueryError,
    RDFSyntaxError,
    SourceError,
)
from hyvinvointi_kg.namespaces import HK, ID

if TYPE_CHECKING:
    from hyvinvointi_kg.analysis.networks import (
        NetworkMetrics,
        metrics_by_period,
        network_metrics,
        to_networkx,
        write_network,
    )
    from hyvinvointi_kg.analysis.overlaps import (
        Overlap,
        OverlapPairs,
        find_overlaps,
        overlap_clusters,
        overlap_pairs,
        overlaps_frame,
    )
    from hyvinvointi_kg.analysis.summary import GraphSummary, summarise
    from hyvinvointi_kg.analysis.tables import organisations_table, projects_table
    from hyvinvointi_kg.assembly.pipeline import BuildResult, build_graph, write_build
    from hyvinvointi_kg.assembly.provenance import ClaimMismatch, verify_claims
    from hyvinvointi_kg.assembly.report import quality_report
    from hyvinvointi_kg.query import (
        QueryInfo,
        QueryParameter,
        QueryResult,
        format_result,
        list_queries,
        load_query,
        query_text,
        run_query,
        run_sparql,
    )
    from hyvinvointi_kg.reasoning.entailments import entailments, infer, materialise
    from hyvinvointi_kg.stores.backends import open_graph, publish
    from hyvinvointi_kg.stores.files import load_graph, load_ontology, load_shapes, parse_rdf, write_turtle
    from hyvinvointi_kg.validation.validate import ValidationReport, ValidationResult, validate
    from hyvinvointi_kg.views.figures import draw_network
    from hyvinvointi_kg.views.html import html_document, to_pyvis, write_html
    from hyvinvointi_kg.views.notebook import show_network
    from hyvinvointi_kg.views.overview import overview, write_overview

# Each name loads its module on first use, so that `import hyvinvointi_kg` and the CLI
# start fast (rdflib's parsers, networkx, pandas and scikit-learn are not loaded until needed).
_MODULES = {
    "stores.backends": ("open_graph", "publish"),
    "assembly.pipeline": ("BuildResult", "build_graph", "write_build"),
    "stores.files": ("load_graph", "load_ontology", "load_shapes", "parse_rdf", "write_turtle"),
    "reasoning.entailments": ("entailments", "infer", "materialise"),
    "query": (
        "QueryInfo", "QueryParameter", "QueryResult", "format_result", "list_queries",
        "load_query", "query_text", "run_query", "run_sparql",
    ),
    "assembly.report": ("quality_report",),
    "assembly.provenance": ("ClaimMismatch", "verify_claims"),
    "analysis.summary": ("GraphSummary", "summarise"),
    "analysis.tables": ("organisations_table", "projects_table"),
    "validation.validate": ("ValidationReport", "ValidationResult", "validate"),
    "analysis.networks": (
        "NetworkMetrics", "metrics_by_period", "network_metrics", "to_networkx", "write_network",
    ),
    "analysis.overlaps": (
        "Overlap", "OverlapPairs", "find_overlaps", "overlap_clusters", "overlap_pairs",
        "overlaps_frame",
    ),
    "views.html": ("to_pyvis", "write_html", "html_document"),
    "views.figures": ("draw_network",),
    "views.notebook": ("show_network",),
    "views.overview": ("overview", "write_overview"),
}
_LAZY = {name: module for module, names in _MODULES.items() for name in names}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        value = getattr(import_module(f"hyvinvointi_kg.{_LAZY[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'hyvinvointi_kg' has no attribute {name!r}")


__all__ = [
    "HK",
    "ID",
    "BuildResult",
    "ClaimMismatch",
    "GraphSummary",
    "HyvinvointiKGError",
    "InputError",
    "NetworkMetrics",
    "Overlap",
    "OverlapPairs",
    "QueryError",
    "QueryInfo",
    "QueryParameter",
    "QueryResult",
    "RDFSyntaxError",
    "SourceError",
    "ValidationReport",
    "ValidationResult",
    "build_graph",
    "draw_network",
    "entailments",
    "find_overlaps",
    "format_result",
    "html_document",
    "infer",
    "list_queries",
    "load_graph",
    "load_ontology",
    "load_query",
    "load_shapes",
    "materialise",
    "metrics_by_period",
    "network_metrics",
    "open_graph",
    "organisations_table",
    "overlap_clusters",
    "overlap_pairs",
    "overlaps_frame",
    "overview",
    "parse_rdf",
    "projects_table",
    "publish",
    "quality_report",
    "query_text",
    "run_query",
    "run_sparql",
    "show_network",
    "summarise",
    "to_networkx",
    "to_pyvis",
    "validate",
    "verify_claims",
    "write_build",
    "write_html",
    "write_network",
    "write_overview",
    "write_turtle",
]
