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
    from hyvinvointi_kg.backends import open_graph, publish
    from hyvinvointi_kg.build import BuildResult, build_graph, write_build
    from hyvinvointi_kg.figures import draw_network
    from hyvinvointi_kg.graph import load_graph, load_ontology, load_shapes, parse_rdf, write_turtle
    from hyvinvointi_kg.inference import entailments, infer, materialise
    from hyvinvointi_kg.network import (
        NetworkMetrics,
        metrics_by_period,
        network_metrics,
        to_networkx,
        write_network,
    )
    from hyvinvointi_kg.notebook import show_network
    from hyvinvointi_kg.overlaps import (
        Overlap,
        OverlapPairs,
        find_overlaps,
        overlap_clusters,
        overlap_pairs,
        overlaps_frame,
    )
    from hyvinvointi_kg.overview import overview, write_overview
    from hyvinvointi_kg.provenance import ClaimMismatch, verify_claims
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
    from hyvinvointi_kg.report import quality_report
    from hyvinvointi_kg.summary import GraphSummary, summarise
    from hyvinvointi_kg.tables import organisations_table, projects_table
    from hyvinvointi_kg.validation import ValidationReport, ValidationResult, validate
    from hyvinvointi_kg.viz import html_document, to_pyvis, write_html

# Each name loads its module on first use, so that `import hyvinvointi_kg` and the CLI
# start fast (rdflib's parsers, networkx, pandas and scikit-learn are not loaded until needed).
_LAZY = {
    "open_graph": "backends", "publish": "backends",
    "BuildResult": "build", "build_graph": "build", "write_build": "build",
    "load_graph": "graph", "load_ontology": "graph", "load_shapes": "graph", "parse_rdf": "graph",
    "write_turtle": "graph",
    "entailments": "inference", "infer": "inference", "materialise": "inference",
    "QueryInfo": "query", "QueryParameter": "query", "QueryResult": "query", "format_result": "query",
    "list_queries": "query", "load_query": "query", "query_text": "query", "run_query": "query",
    "run_sparql": "query",
    "quality_report": "report", "ClaimMismatch": "provenance", "verify_claims": "provenance",
    "GraphSummary": "summary", "summarise": "summary",
    "organisations_table": "tables", "projects_table": "tables",
    "ValidationReport": "validation", "ValidationResult": "validation", "validate": "validation",
    "NetworkMetrics": "network", "metrics_by_period": "network", "network_metrics": "network",
    "to_networkx": "network", "write_network": "network",
    "Overlap": "overlaps", "OverlapPairs": "overlaps", "find_overlaps": "overlaps",
    "overlap_clusters": "overlaps", "overlap_pairs": "overlaps", "overlaps_frame": "overlaps",
    "to_pyvis": "viz", "write_html": "viz", "html_document": "viz", "draw_network": "figures",
    "show_network": "notebook", "overview": "overview", "write_overview": "overview",
}


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
