"""SPARQL queries: the documented query files in queries/, parameters bound as RDF terms."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

import yaml
from rdflib import BNode, Graph, URIRef, Variable
from rdflib import Literal as RDFLiteral
from rdflib.namespace import XSD
from rdflib.term import Identifier, Node

from hyvinvointi_kg._resources import resource_dir
from hyvinvointi_kg.errors import InputError, QueryError
from hyvinvointi_kg.namespaces import _PREFIXES

if TYPE_CHECKING:
    import pandas

__all__ = [
    "OutputFormat",
    "ParameterType",
    "QueryInfo",
    "QueryParameter",
    "QueryResult",
    "bind_in_text",
    "bind_parameters",
    "format_result",
    "get_query",
    "list_queries",
    "load_query",
    "query_text",
    "run_query",
    "run_sparql",
]

ParameterType = Literal["iri", "string", "date", "integer", "decimal", "boolean"]
OutputFormat = Literal["table", "csv", "json"]
_TYPES: tuple[str, ...] = ("iri", "string", "date", "integer", "decimal", "boolean")
_IRI = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
_NAME = re.compile(r"^[a-z][a-z0-9-]*$")


@dataclass(frozen=True)
class QueryParameter:
    """A parameter a query file declares in its header."""

    name: str
    type: ParameterType
    optional: bool
    description: str
    cls: URIRef | None = None
    """For an ``iri`` parameter, the class (header key ``class``) whose members may also
    be named by label or code instead of IRI."""


@dataclass(frozen=True)
class QueryInfo:
    """A query file with its parsed ``#+`` header."""

    name: str
    path: Path
    summary: str
    params: tuple[QueryParameter, ...]
    returns: tuple[str, ...]
    tags: tuple[str, ...]
    text: str

    def parameter(self, name: str) -> QueryParameter:
        """The declared parameter *name*.

        Raises
        ------
        QueryError
            If the query declares no such parameter.
        """
        for param in self.params:
            if param.name == name:
                return param
        known = ", ".join(p.name for p in self.params) or "none"
        raise QueryError(f"query {self.name!r} has no parameter {name!r} (parameters: {known})")


def _python(node: Node | None) -> Any:
    if node is None:
        return None
    if isinstance(node, RDFLiteral):
        value = node.toPython()
        return value if not isinstance(value, RDFLiteral) else str(value)
    return str(node)


@dataclass(frozen=True)
class QueryResult:
    """Rows of a SELECT query; cells are rdflib terms or ``None`` for unbound."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Node | None, ...], ...]

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[tuple[Node | None, ...]]:
        return iter(self.rows)

    def records(self) -> list[dict[str, Any]]:
        """Rows as dicts of Python values: dates as ``date``, amounts as ``Decimal``, IRIs as ``str``."""
        return [dict(zip(self.columns, map(_python, row), strict=True)) for row in self.rows]

    def to_dataframe(self) -> pandas.DataFrame:
        """Rows as a pandas DataFrame with Python-typed cells (needs the ``dataframe`` extra).

        Raises
        ------
        ImportError
            If pandas is not installed (``pip install 'hyvinvointi_kg[dataframe]'``).
        """
        try:
            import pandas as pd
        except ImportError as err:  # pragma: no cover - depends on the environment
            raise ImportError(
                "to_dataframe() needs pandas: pip install 'hyvinvointi_kg[dataframe]'"
            ) from err
        return pd.DataFrame(self.records(), columns=list(self.columns))


def _parse_header(path: Path, text: str) -> QueryInfo:
    header = "\n".join(line[2:] for line in text.splitlines() if line.startswith("#+"))
    try:
        meta = yaml.safe_load(header) or {}
    except yaml.YAMLError as err:
        raise QueryError(f"{path}: the '#+' header is not valid YAML: {err}") from err
    if not isinstance(meta, dict) or "summary" not in meta:
        raise QueryError(f"{path}: the '#+' header must give at least 'summary'")
    params = []
    for item in meta.get("params") or []:
        if not isinstance(item, dict) or "name" not in item or "type" not in item:
            raise QueryError(f"{path}: each parameter needs 'name' and 'type', got {item!r}")
        if item["type"] not in _TYPES:
            raise QueryError(f"{path}: parameter {item['name']!r} has unknown type "
                             f"{item['type']!r} (one of {', '.join(_TYPES)})")
        cls = None
        if "class" in item:
            prefix, _, local = str(item["class"]).partition(":")
            if prefix not in _PREFIXES or not local:
                raise QueryError(f"{path}: parameter {item['name']!r} has class {item['class']!r}; "
                                 f"use a prefixed name such as hk:Municipality")
            cls = URIRef(str(_PREFIXES[prefix]) + local)
        params.append(QueryParameter(name=str(item["name"]), type=item["type"],
                                     optional=bool(item.get("optional", False)),
                                     description=str(item.get("description", "")), cls=cls))
    returns = meta.get("returns") or []
    if isinstance(returns, str):
        returns = [c.strip() for c in returns.split(",")]
    return QueryInfo(
        name=path.stem, path=path, summary=str(meta["summary"]), params=tuple(params),
        returns=tuple(str(r) for r in returns), tags=tuple(str(t) for t in meta.get("tags") or []),
        text=text,
    )


def load_query(path: Path) -> QueryInfo:
    """Read a ``.rq`` file and its ``#+`` header.

    Raises
    ------
    InputError
        If the file cannot be read.
    QueryError
        If the header is malformed.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise InputError(f"{path}: cannot read query file: {err.strerror or err}") from err
    return _parse_header(path, text)


def list_queries() -> tuple[QueryInfo, ...]:
    """Every bundled query in ``queries/``, sorted by name.

    Examples
    --------
    >>> "projects" in [q.name for q in list_queries()]
    True
    """
    return tuple(load_query(p) for p in sorted(resource_dir("queries").glob("*.rq")))


def get_query(name: str) -> QueryInfo:
    """The bundled query *name*.

    Raises
    ------
    QueryError
        If there is no such query (the message lists the available ones).
    """
    path = resource_dir("queries") / f"{name}.rq"
    if not _NAME.match(name) or not path.is_file():
        available = ", ".join(q.name for q in list_queries())
        raise QueryError(f"unknown query {name!r}; available: {available}")
    return load_query(path)


def _term(param: QueryParameter, value: object) -> Node:
    """Convert a Python value (or its string form from the CLI) to an RDF term."""
    try:
        if param.type == "iri":
            text = str(value)
            if not _IRI.match(text):
                raise ValueError(f"not an absolute IRI: {text!r}")
            return URIRef(text)
        if param.type == "string":
            return RDFLiteral(str(value))
        if param.type == "date":
            day = value if isinstance(value, date) else date.fromisoformat(str(value))
            return RDFLiteral(day, datatype=XSD.date)
        if param.type == "integer":
            if isinstance(value, bool):
                raise ValueError("a boolean is not an integer")
            return RDFLiteral(int(str(value)), datatype=XSD.integer)
        if param.type == "decimal":
            return RDFLiteral(Decimal(str(value)), datatype=XSD.decimal)
        if param.type == "boolean":
            text = str(value).lower()
            if text not in ("true", "false"):
                raise ValueError("expected true or false")
            return RDFLiteral(text == "true", datatype=XSD.boolean)
    except (ValueError, InvalidOperation) as err:
        raise QueryError(f"parameter {param.name!r} ({param.type}): {err}") from err
    raise QueryError(f"parameter {param.name!r}: unsupported type {param.type!r}")


_TOKENS = re.compile(r"""<[^<>"{}|^`\\\s]*>|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|#[^\n]*|(?i:\bWHERE\s*\{)""")

_SUBSELECT = re.compile(r"\s*(?i:SELECT)\b")


def bind_in_text(text: str, bindings: Mapping[str, Node]) -> str:
    """*text* with every variable of *bindings* fixed by ``VALUES`` in every ``WHERE`` group.

    For SPARQL engines that cannot pre-bind variables (a remote endpoint,
    Oxigraph): a one-row ``VALUES ?v { term }`` at the start of the outer and of
    every sub-query's ``WHERE`` group has the effect of rdflib's ``initBindings``,
    which bind a variable in every scope. Terms are written with their N-Triples
    form (``term.n3()``), which escapes quotes and line breaks; IRIs, strings and
    comments in *text* are skipped when looking for ``WHERE``.

    Examples
    --------
    >>> from rdflib import Literal
    >>> print(bind_in_text('SELECT ?p WHERE { ?p ?q "WHERE {" }  # WHERE {', {"q": Literal('a"b')}))
    SELECT ?p WHERE { VALUES ?q { "a\\"b" } ?p ?q "WHERE {" }  # WHERE {
    """
    if not bindings:
        return text
    values = " ".join(f"VALUES ?{name} {{ {term.n3()} }}" for name, term in bindings.items())

    def where(token: str) -> bool:
        return token[:1] not in ("<", '"', "'", "#")

    def insert(match: re.Match[str]) -> str:
        # A group that is a bare sub-query ("WHERE { SELECT ...}") can hold nothing
        # else; the sub-query's own WHERE gets the VALUES.
        if not where(match.group(0)) or _SUBSELECT.match(text, match.end()):
            return match.group(0)
        return f"{match.group(0)} {values}"

    if not any(where(m.group(0)) for m in _TOKENS.finditer(text)):
        raise QueryError("cannot bind parameters: the query has no WHERE group")
    return _TOKENS.sub(insert, text)


def _binds_natively(graph: Graph) -> bool:
    """Whether the graph's store evaluates SPARQL with rdflib (which supports initBindings)."""
    from rdflib.plugins.stores.memory import Memory, SimpleMemory

    return isinstance(graph.store, Memory | SimpleMemory)


def run_sparql(graph: Graph, text: str, *, bindings: Mapping[str, Node] | None = None) -> QueryResult:
    """Run a SPARQL SELECT or ASK query text on *graph* with optional pre-bound variables.

    The project's prefixes (``hk:``, ``hkid:``, ``skos:`` ...) are predeclared.

    Raises
    ------
    QueryError
        If the text does not parse or is not a SELECT/ASK query.

    Examples
    --------
    >>> from hyvinvointi_kg.graph import load_graph
    >>> r = run_sparql(load_graph(), "SELECT (COUNT(*) AS ?n) WHERE { ?p a hk:Project }")
    >>> r.records()[0]["n"] >= 2
    True
    """
    bindings = dict(bindings or {})
    if bindings and not _binds_natively(graph):
        text, bindings = bind_in_text(text, bindings), {}
    try:
        result = graph.query(text, initNs={k: str(v) for k, v in _PREFIXES.items()},
                             initBindings={Variable(k): cast(Identifier, v) for k, v in bindings.items()})
    except Exception as err:  # pyparsing and rdflib raise several types
        raise QueryError(f"query failed: {' '.join(str(err).split())[:300]}") from err
    if result.type == "ASK":
        return QueryResult(("ask",), ((RDFLiteral(bool(result.askAnswer)),),))
    if result.type != "SELECT":
        raise QueryError(f"only SELECT and ASK queries are supported, not {result.type}")
    columns = tuple(str(v) for v in result.vars or ())
    rows = tuple(tuple(row[i] for i in range(len(columns))) for row in result)  # type: ignore[index]
    return QueryResult(columns, rows)


def run_query(graph: Graph, query: str | QueryInfo, /, **params: object) -> QueryResult:
    """Run a bundled query by name (or a loaded :class:`QueryInfo`) with parameters.

    Parameters are checked against the query's header (unknown or missing
    required parameters are errors) and bound as RDF terms with ``initBindings``,
    never pasted into the query text.

    Raises
    ------
    QueryError
        If the query is unknown, a parameter is unknown, missing or of the wrong type.

    Examples
    --------
    >>> from hyvinvointi_kg.graph import load_graph
    >>> rows = run_query(load_graph(), "projects").records()
    >>> sorted(r["code"] for r in rows if r["code"])
    ['S20154', 'S21758']
    """
    info = query if isinstance(query, QueryInfo) else get_query(query)
    return run_sparql(graph, info.text, bindings=bind_parameters(info, params, graph=graph))


def query_text(query: str | QueryInfo, /, *, graph: Graph | None = None, **params: object) -> str:
    """A bundled query as one self-contained SPARQL text, for another SPARQL client.

    The project's prefixes are declared and the parameters fixed with ``VALUES``
    (see :func:`bind_in_text`), so the text runs as is on any SPARQL 1.1 endpoint,
    e.g. pasted into the query page of ``hyvinvointi-kg serve``. Names given for
    IRI parameters are looked up in *graph*.

    Examples
    --------
    >>> text = query_text("organisation-partners",
    ...                   organisation="https://w3id.org/hyvinvointi-kg/id/org/lapin-yliopisto")
    >>> text.splitlines()[0]
    'PREFIX hk: <https://w3id.org/hyvinvointi-kg/ontology#>'
    >>> "VALUES ?organisation { <https://w3id.org/hyvinvointi-kg/id/org/lapin-yliopisto> }" in text
    True
    """
    info = query if isinstance(query, QueryInfo) else get_query(query)
    bindings = bind_parameters(info, params, graph=graph)
    prologue = "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in _PREFIXES.items())
    return prologue + bind_in_text(info.text, bindings)


def bind_parameters(info: QueryInfo, params: Mapping[str, object], *,
                    graph: Graph | None = None) -> dict[str, Node]:
    """Check *params* against the query's header and convert them to RDF terms.

    With *graph*, an ``iri`` parameter that declares a ``class`` may be given as a
    name (a label in any language, or a project code) instead of an IRI; it is
    looked up among the members of that class (without *graph* such a name is
    left out of the result: use this to check parameters before loading a graph).

    Raises
    ------
    QueryError
        If a parameter is unknown, of the wrong type, or a required one is missing.
    InputError
        If a name matches no member of the parameter's class (the message suggests
        the closest known names).

    Examples
    --------
    >>> from hyvinvointi_kg.graph import load_graph
    >>> bind_parameters(get_query("municipality-profile"), {"municipality": "Kemi"},
    ...                 graph=load_graph())["municipality"].split("/")[-1]
    '240'
    """
    from hyvinvointi_kg.vocabulary import resolve_name

    bindings: dict[str, Node] = {}
    named: set[str] = set()  # names to look up once there is a graph
    for name, value in params.items():
        param = info.parameter(name)
        if value is None:
            continue
        if (param.type == "iri" and param.cls is not None and not isinstance(value, URIRef)
                and not str(value).startswith(("http://", "https://"))):
            if graph is None:
                named.add(param.name)
            else:
                bindings[param.name] = resolve_name(graph, str(value), cls=param.cls,
                                                    what=param.name.replace("_", " "))
            continue
        bindings[param.name] = _term(param, value)
    missing = [p.name for p in info.params
               if not p.optional and p.name not in bindings and p.name not in named]
    if missing:
        raise QueryError(f"query {info.name!r}: missing required parameter(s): "
                         + ", ".join(missing))
    return bindings


def _cell(node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)


def format_result(result: QueryResult, fmt: OutputFormat) -> str:
    """Render a result as an aligned text table, CSV or JSON (a list of objects).

    Examples
    --------
    >>> r = QueryResult(("a", "b"), ((RDFLiteral(1), None),))
    >>> print(format_result(r, "csv").strip())
    a,b
    1,
    """
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows([_cell(c) for c in row] for row in result.rows)
        return out.getvalue()
    if fmt == "json":
        return json.dumps(result.records(), ensure_ascii=False, indent=2, default=str) + "\n"
    if fmt == "table":
        cells = [list(result.columns)] + [[_cell(c) for c in row] for row in result.rows]
        widths = [min(60, max(len(r[i]) for r in cells)) for i in range(len(result.columns))]
        lines = []
        for n, row in enumerate(cells):
            lines.append("  ".join(c[:60].ljust(w) for c, w in zip(row, widths, strict=True)))
            if n == 0:
                lines.append("  ".join("-" * w for w in widths))
        lines.append(f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''})")
        return "\n".join(line.rstrip() for line in lines) + "\n"
    raise ValueError(f"unknown format {fmt!r}")
