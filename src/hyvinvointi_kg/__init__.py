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

from hyvinvointi_kg.build import BuildResult, build_graph, write_build
from hyvinvointi_kg.errors import (
    HyvinvointiKGError,
    InputError,
    QueryError,
    RDFSyntaxError,
    SourceError,
)
from hyvinvointi_kg.graph import load_graph, load_ontology, load_shapes, parse_rdf, write_turtle
from hyvinvointi_kg.inference import entailments, infer, materialise
from hyvinvointi_kg.namespaces import HK, ID
from hyvinvointi_kg.query import (
    QueryInfo,
    QueryParameter,
    QueryResult,
    format_result,
    list_queries,
    load_query,
    run_query,
    run_sparql,
)
from hyvinvointi_kg.report import quality_report
from hyvinvointi_kg.summary import GraphSummary, summarise
from hyvinvointi_kg.tables import organisations_table, projects_table
from hyvinvointi_kg.validation import ValidationReport, ValidationResult, validate

__all__ = [
    "HK",
    "ID",
    "BuildResult",
    "GraphSummary",
    "HyvinvointiKGError",
    "InputError",
    "QueryError",
    "QueryInfo",
    "QueryParameter",
    "QueryResult",
    "RDFSyntaxError",
    "SourceError",
    "ValidationReport",
    "ValidationResult",
    "build_graph",
    "entailments",
    "format_result",
    "infer",
    "list_queries",
    "load_graph",
    "load_ontology",
    "load_query",
    "load_shapes",
    "materialise",
    "organisations_table",
    "parse_rdf",
    "projects_table",
    "quality_report",
    "run_query",
    "run_sparql",
    "summarise",
    "validate",
    "write_build",
    "write_turtle",
]
