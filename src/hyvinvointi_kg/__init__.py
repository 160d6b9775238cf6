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
    from hyvinvointi_kg.analysis.diff import diff_builds
    from hyvinvointi_kg.analysis.funded_elsewhere import funded_elsewhere
    from hyvinvointi_kg.analysis.municipalities import municipality_counts
    from hyvinvointi_kg.analysis.networks import (
        NetworkMetrics,
        metrics_by_period,
        network_metrics,
        to_networkx,
        write_network,
    )
    from hyvinvointi_kg.analysis.overlaps import (
        Overlap,
        OverlapWeights,
        find_overlaps,
        overlap_clusters,
        overlaps_frame,
    )
    from hyvinvointi_kg.analysis.selection import select_projects
    from hyvinvointi_kg.analysis.summary import summarise
    from hyvinvointi_kg.analysis.tables import organisations_table, projects_table
    from hyvinvointi_kg.cells import format_result
    from hyvinvointi_kg.dates import parse_period
    from hyvinvointi_kg.pipeline import BuildResult, build
    from hyvinvointi_kg.query import (
        QueryInfo,
        QueryResult,
        list_queries,
        load_query,
        query_text,
        run_query,
        run_sparql,
    )
    from hyvinvointi_kg.reasoning.entailments import entailments
    from hyvinvointi_kg.stores.backends import open_graph, publish
    from hyvinvointi_kg.stores.files import load_graph
    from hyvinvointi_kg.validation.validate import ValidationReport, validate
    from hyvinvointi_kg.views.figures import draw_network
    from hyvinvointi_kg.views.html import to_pyvis, write_html
    from hyvinvointi_kg.views.map import municipality_map, write_map
    from hyvinvointi_kg.views.notebook import show_network
    from hyvinvointi_kg.views.options import ViewOptions
    from hyvinvointi_kg.views.overview import write_overview
    from hyvinvointi_kg.views.template import write_template
    from hyvinvointi_kg.views.workbook import write_workbook

# Each name loads its module on first use, so that `import hyvinvointi_kg` and the CLI
# start fast (rdflib's parsers, networkx, pandas and scikit-learn are not loaded until needed).
_MODULES = {
    "pipeline": ("BuildResult", "build"),
    "stores.files": ("load_graph",),
    "stores.backends": ("open_graph", "publish"),
    "validation.validate": ("ValidationReport", "validate"),
    "reasoning.entailments": ("entailments",),
    "query": (
        "QueryInfo", "QueryResult", "list_queries", "load_query", "query_text", "run_query", "run_sparql",
    ),
    "cells": ("format_result",),
    "analysis.selection": ("select_projects",),
    "dates": ("parse_period",),
    "analysis.tables": ("organisations_table", "projects_table"),
    "analysis.summary": ("summarise",),
    "analysis.overlaps": ("Overlap", "OverlapWeights", "find_overlaps", "overlap_clusters", "overlaps_frame"),
    "analysis.networks": (
        "NetworkMetrics", "metrics_by_period", "network_metrics", "to_networkx", "write_network",
    ),
    "views.options": ("ViewOptions",),
    "views.html": ("to_pyvis", "write_html"),
    "views.figures": ("draw_network",),
    "views.notebook": ("show_network",),
    "views.overview": ("write_overview",),
    "views.workbook": ("write_workbook",),
    "analysis.municipalities": ("municipality_counts",),
    "views.map": ("municipality_map", "write_map"),
    "views.template": ("write_template",),
    "analysis.diff": ("diff_builds",),
    "analysis.funded_elsewhere": ("funded_elsewhere",),
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
    "HyvinvointiKGError",
    "InputError",
    "NetworkMetrics",
    "Overlap",
    "OverlapWeights",
    "QueryError",
    "QueryInfo",
    "QueryResult",
    "RDFSyntaxError",
    "SourceError",
    "ValidationReport",
    "ViewOptions",
    "build",
    "diff_builds",
    "draw_network",
    "entailments",
    "find_overlaps",
    "format_result",
    "funded_elsewhere",
    "list_queries",
    "load_graph",
    "load_query",
    "metrics_by_period",
    "municipality_counts",
    "municipality_map",
    "network_metrics",
    "open_graph",
    "organisations_table",
    "overlap_clusters",
    "overlaps_frame",
    "parse_period",
    "projects_table",
    "publish",
    "query_text",
    "run_query",
    "run_sparql",
    "select_projects",
    "show_network",
    "summarise",
    "to_networkx",
    "to_pyvis",
    "validate",
    "write_html",
    "write_map",
    "write_network",
    "write_overview",
    "write_template",
    "write_workbook",
]
