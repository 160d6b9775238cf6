"""SPARQL queries: the documented query files in queries/, parameters bound as RDF terms."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import yaml
from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.namespace import XSD
from rdflib.term import Node

from hyvinvointi_kg._resources import resource_dir
from hyvinvointi_kg.dates import parse_date
from hyvinvointi_kg.errors import HyvinvointiKGError, InputError, QueryError, shorten
from hyvinvointi_kg.namespaces import PREFIXES

if TYPE_CHECKING:
    import pandas

__all__ = [
    "ParameterType",
    "QueryInfo",
    "QueryParameter",
    "QueryResult",
    "bind_in_text",
    "bind_parameters",
    "get_query",
    "list_queries",
    "load_query",
    "query_text",
    "run_query",
    "run_sparql",
]

ParameterType = Literal["iri", "string", "date", "integer", "decimal", "boolean"]
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
    for key, kinds, what in (("summary", (str,), "text"), ("params", (list,), "a list of parameters"),
                             ("returns", (str, list), "a list of column names"),
                             ("tags", (list,), "a list of tags")):
        if meta.get(key) is not None and not isinstance(meta[key], kinds):
            raise QueryError(f"{path}: '#+ {key}:' must be {what}, not {shorten(meta[key])}")
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
            if prefix not in PREFIXES or not local:
                raise QueryError(f"{path}: parameter {item['name']!r} has class {item['class']!r}; "
                                 f"use a prefixed name such as hk:Municipality")
            cls = URIRef(str(PREFIXES[prefix]) + local)
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

    Examples
    --------
    >>> from hyvinvointi_kg._resources import resource_dir
    >>> info = load_query(resource_dir("queries") / "white-spots.rq")
    >>> info.name, [p.name for p in info.params]
    ('white-spots', ['theme'])

    Raises
    ------
    InputError
        If the file cannot be read.
    QueryError
        If the header is malformed, or the query has a ``SERVICE`` clause.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise InputError(f"{path}: cannot read query file: {err.strerror or err}") from err
    except UnicodeDecodeError as err:
        line = path.read_bytes()[:err.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not valid UTF-8 text; save the query file as UTF-8") from err
    try:
        _refuse_service(text)
    except QueryError as err:
        raise QueryError(f"{path}: {err}") from err
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
            try:
                day = value if isinstance(value, date) else parse_date(str(value))
            except InputError as err:
                raise ValueError(str(err)) from err
            return RDFLiteral(day, datatype=XSD.date)
        if param.type == "integer":
            if isinstance(value, bool):
                raise ValueError("a boolean is not an integer")
            return RDFLiteral(int(str(value)), datatype=XSD.integer)
        if param.type == "decimal":
            number = Decimal(str(value))
            # rdflib writes a decimal out in full: 1e-999999999 would become a billion digits
            if not number.is_finite() or not -40 <= number.adjusted() <= 40 or len(number.as_tuple().digits) > 40:
                raise ValueError(f"not a decimal between 1e-40 and 1e40 with at most 40 digits: {shorten(value)}")
            return RDFLiteral(number, datatype=XSD.decimal)
        if param.type == "boolean":
            text = str(value).lower()
            if text not in ("true", "false"):
                raise ValueError("expected true or false")
            return RDFLiteral(text == "true", datatype=XSD.boolean)
    except (ValueError, InvalidOperation) as err:
        raise QueryError(f"parameter {param.name!r} ({param.type}): {err}") from err
    raise QueryError(f"parameter {param.name!r}: unsupported type {param.type!r}")


# IRIs, strings and comments (skipped) and the braces that may open the query's WHERE group.
_TOKENS = re.compile(r"""<[^<>"{}|^`\\\s]*>|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|#[^\n]*|(?i:\bWHERE\s*\{)|\{""")
_VARNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# SPARQL applies \u and \U escapes to the whole query text before it parses it (SPARQL 1.1, 19.2).
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# The keyword, not a variable (?service), a prefixed name (service:x, ex:service) or a blank node.
_SERVICE = re.compile(r"(?<![\w?$:.-])(?i:SERVICE)(?![\w:.-])")


def _code(token: str) -> bool:
    """Whether a token of :data:`_TOKENS` is query syntax (not an IRI, a string or a comment)."""
    return token[:1] not in ("<", '"', "'", "#")


def _refuse_service(text: str) -> None:
    """Refuse a query text that contains a ``SERVICE`` clause (a federated query).

    A query runs on the graph it is given: rdflib would fetch a ``SERVICE`` URL
    from the network, and an endpoint would call out on the caller's behalf.
    IRIs, strings and comments are not looked at; ``\\u`` escapes are decoded first,
    as SPARQL decodes them before parsing.

    Raises
    ------
    QueryError
        If the text has a ``SERVICE`` clause.

    Examples
    --------
    >>> _refuse_service('SELECT ?service WHERE { ?service ?p "SERVICE" }  # no SERVICE here')
    >>> _refuse_service("SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    hyvinvointi_kg.errors.QueryError: the query has a SERVICE clause; federated queries are refused ...
    """
    decoded = _CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)
    for piece in _TOKENS.split(decoded):
        if _SERVICE.search(piece):
            raise QueryError("the query has a SERVICE clause; federated queries are refused "
                             "(a query runs only on the graph it is given)")


def bind_in_text(text: str, bindings: Mapping[str, Node]) -> str:
    """*text* with the variables of *bindings* fixed by one ``VALUES`` block at the top of its ``WHERE`` group.

    This is how a parameter is bound on every engine (rdflib, Oxigraph, an
    endpoint, Jena): the block is the first element of the query's outermost
    group (after ``WHERE {``, or the first ``{`` of a query without ``WHERE``), so
    by SPARQL 1.1 scoping the parameter is in scope in that group — its triple
    patterns, filters and ``BIND``s, the conditions of its ``OPTIONAL`` s and the
    groups it joins — but not in the filters of a nested group or inside a
    sub-select, which see only their own variables. Terms are written in their
    N-Triples form (``term.n3()``), which escapes quotes and line breaks; IRIs,
    strings and comments in *text* are skipped when looking for the group.

    Raises
    ------
    QueryError
        If a name is not a SPARQL variable name, a term is a blank node (``VALUES``
        cannot hold one), or the text has no group to bind in.

    Examples
    --------
    >>> from rdflib import Literal
    >>> print(bind_in_text('SELECT ?p WHERE { ?p ?q "WHERE {" }  # WHERE {', {"q": Literal('a"b')}))
    SELECT ?p WHERE { VALUES ?q { "a\\"b" } ?p ?q "WHERE {" }  # WHERE {
    >>> print(bind_in_text("ASK { ?a ?b ?c }", {"a": URIRef("urn:x:a"), "b": URIRef("urn:x:b")}))
    ASK { VALUES (?a ?b) { (<urn:x:a> <urn:x:b>) } ?a ?b ?c }
    """
    if not bindings:
        return text
    for name, term in bindings.items():
        if not _VARNAME.match(name):
            raise QueryError(f"cannot bind {name!r}: not a SPARQL variable name")
        if isinstance(term, BNode):
            raise QueryError(f"cannot bind ?{name} to a blank node; give an IRI or a literal")
    if len(bindings) == 1:
        [(name, term)] = bindings.items()
        values = f"VALUES ?{name} {{ {term.n3()} }}"
    else:
        values = (f"VALUES ({' '.join(f'?{name}' for name in bindings)}) "
                  f"{{ ({' '.join(term.n3() for term in bindings.values())}) }}")
    groups = [m for m in _TOKENS.finditer(text) if _code(m.group(0))]
    if not groups:
        raise QueryError("cannot bind parameters: the query has no WHERE group")
    group = next((m for m in groups if m.group(0) != "{"), groups[0])
    return f"{text[:group.end()]} {values}{text[group.end():]}"


def run_sparql(graph: Graph, text: str, *, bindings: Mapping[str, Node] | None = None) -> QueryResult:
    """Run a SPARQL SELECT or ASK query text on *graph* with optional bound variables.

    The project's prefixes (``hk:``, ``hkid:``, ``skos:`` ...) are predeclared.
    *bindings* are fixed by one ``VALUES`` block at the top of the query's
    ``WHERE`` group (:func:`bind_in_text`), and that same text runs on every
    backend, so rdflib, Oxigraph and an endpoint give the same answer: the one
    SPARQL 1.1 defines. A ``SERVICE`` clause is refused (:func:`_refuse_service`).

    Raises
    ------
    QueryError
        If the text does not parse, is not a SELECT/ASK query, has a ``SERVICE``
        clause, or a binding cannot be written in it.

    Examples
    --------
    >>> from hyvinvointi_kg.stores.files import load_graph
    >>> r = run_sparql(load_graph(), "SELECT (COUNT(*) AS ?n) WHERE { ?p a hk:Project }")
    >>> r.records()[0]["n"] >= 2
    True
    >>> from rdflib import Literal
    >>> run_sparql(load_graph(), "SELECT ?p WHERE { ?p hk:projectCode ?code }",
    ...            bindings={"code": Literal("S21758")}).records()[0]["p"].split("/")[-1]
    'S21758'
    """
    _refuse_service(text)
    text = bind_in_text(text, dict(bindings or {}))
    try:
        result = graph.query(text, initNs={k: str(v) for k, v in PREFIXES.items()})
    except HyvinvointiKGError:
        raise  # a backend's own clear error (e.g. an endpoint that cannot be reached)
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
    required parameters are errors) and bound as RDF terms by one ``VALUES``
    block at the top of the query's ``WHERE`` group, the same text on every
    backend (see :func:`run_sparql`); they are never pasted into the query text.

    Raises
    ------
    QueryError
        If the query is unknown, a parameter is unknown, missing or of the wrong type.

    Examples
    --------
    >>> from hyvinvointi_kg.stores.files import load_graph
    >>> rows = run_query(load_graph(), "projects").records()
    >>> sorted(r["code"] for r in rows if r["code"])
    ['S20154', 'S21758']
    """
    info = query if isinstance(query, QueryInfo) else get_query(query)
    return run_sparql(graph, info.text, bindings=bind_parameters(info, params, graph=graph))


def query_text(query: str | QueryInfo, /, *, graph: Graph | None = None, **params: object) -> str:
    """A bundled query as one self-contained SPARQL text, for another SPARQL client.

    The project's prefixes are declared and the parameters fixed with ``VALUES``
    (see :func:`bind_in_text`): the text :func:`run_query` runs, so it gives the
    same rows as is on any SPARQL 1.1 engine, e.g. pasted into the query page of
    ``hyvinvointi-kg serve``. Names given for IRI parameters are looked up in
    *graph*.

    Raises
    ------
    QueryError
        As :func:`run_query`, and if the query has a ``SERVICE`` clause.

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
    _refuse_service(info.text)
    bindings = bind_parameters(info, params, graph=graph)
    prologue = "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in PREFIXES.items())
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
    >>> from hyvinvointi_kg.stores.files import load_graph
    >>> bind_parameters(get_query("municipality-profile"), {"municipality": "Kemi"},
    ...                 graph=load_graph())["municipality"].split("/")[-1]
    '240'
    """
    from hyvinvointi_kg.assembly.vocabulary import resolve_name

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
