"""One answer on every engine: every query with its parameter cases on rdflib, Oxigraph, the endpoint and Jena.

Each case runs the text :func:`~hyvinvointi_kg.query.run_query` runs (parameters fixed by one
``VALUES`` block at the top of the query's ``WHERE``) on rdflib's in-memory graph (the reference
here), a persistent Oxigraph store, the project's SPARQL endpoint (``running_endpoint``, through
the ``http://`` backend) and Apache Jena (all texts in one JVM, started in the background while
the other engines run; see tests/jena.py). Rows are compared as multisets of lexical values
(numbers by value, `` | ``-joined lists as sets, since ``GROUP_CONCAT`` order is not defined);
where the query's ORDER BY keys are projected variables that tell the reference rows apart,
the order is compared too.

Jena is skipped where it is not installed, unless ``HK_REQUIRE_JENA=1`` (as in CI), which turns
a missing Jena into a failure.
"""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.namespace import XSD
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

import jena
from hyvinvointi_kg.query import QueryInfo, bind_parameters, get_query, list_queries, query_text, run_query
from hyvinvointi_kg.stores.backends import graph_files, open_graph
from hyvinvointi_kg.stores.endpoint import Endpoint

pytest.importorskip("pyoxigraph", reason="the cross-engine tests need the 'serve' extra")

PLACE = "https://w3id.org/hyvinvointi-kg/id/place/"
ORG = "https://w3id.org/hyvinvointi-kg/id/org/"
THEME = "https://w3id.org/hyvinvointi-kg/concept/theme/"
GROUP = "https://w3id.org/hyvinvointi-kg/concept/target-group/"
PROJECT = "https://w3id.org/hyvinvointi-kg/id/project/"
ESR = "https://w3id.org/hyvinvointi-kg/id/fund/esr"

# Parameter cases per query: the defaults, each parameter alone, combinations, and both a name
# and an IRI where a parameter takes an organisation, a place or a concept. A query that is not
# listed runs once without parameters; test_every_parameter_has_a_case keeps the table complete.
CASES: dict[str, list[dict[str, str]]] = {
    "collaboration-pairs": [{}, {"min_projects": "2"}, {"min_projects": "1000"}],
    "funders-by-municipality": [{}, {"funder": ESR}, {"municipality": "Tornio"},
                                {"funder": "Kansaneläkelaitos", "municipality": PLACE + "kunta/698"}],
    "funders-by-theme": [{}, {"funder": ORG + "stea"}, {"theme": "Turvallisuus"},
                         {"funder": ESR, "theme": THEME + "hyvinvointi"}],
    "municipality-profile": [{"municipality": "Savukoski"}, {"municipality": PLACE + "kunta/583"}],
    "organisation-partners": [{"organisation": "Lapin yliopisto"},
                              {"organisation": ORG + "pohjoisen-yhteisojen-tuki-majakka-ry"}],
    "organisation-profile": [{"organisation": "Kemin kaupunki"}, {"organisation": ORG + "ita-lapin-kuntayhtyma"}],
    "organisations-by-reach": [{}, {"include_region": "true"}, {"region": "Lappi", "include_region": "false"},
                               {"region": PLACE + "seutukunta/194", "include_region": "true"},
                               {"region": PLACE + "kunta/240"}],  # a municipality: nothing lies within it
    "overlapping-projects": [{}, {"municipality": "Pelkosenniemi", "theme": THEME + "turvallisuus"}],
    "project-claims": [{"project": "S21758"}, {"project": PROJECT + "S20154"}],
    "project-sources": [{"project": "S21758"}, {"project": PROJECT + "S20154"}],
    "projects-by-filter": [
        {}, {"municipality": "Simo"}, {"municipality": PLACE + "kunta/751", "include_region": "true"},
        {"include_region": "true"}, {"theme": "Turvallisuus"}, {"target_group": GROUP + "nuoret"},
        {"funder": ESR}, {"organisation": "Lapin yliopisto"}, {"active_from": "2021-01-01"},
        {"active_to": "2016-12-31"},
        {"municipality": "Kemi", "include_region": "true", "theme": THEME + "hyvinvointi",
         "target_group": "työikäiset", "funder": ESR, "organisation": ORG + "kemin-kaupunki",
         "active_from": "2015-01-01", "active_to": "2022-12-31"}],
    "projects-per-year-by-funder": [{}, {"funder": ORG + "stea"}],
    "projects-per-year": [{}, {"theme": "Turvallisuus"}],
    "projects": [{}, {"place": PLACE + "maakunta/19"},
                 {"organisation": ORG + "pohjoisen-yhteisojen-tuki-majakka-ry"},
                 {"place": "Lappi", "organisation": "Lapin yliopisto"}],
    "organisations-with-several-funders": [
        {}, {"municipality": "Kemi", "active_from": "2018-01-01", "active_to": "2019-12-31"}],
    "shared-implementer-different-funders": [
        {}, {"municipality": PLACE + "kunta/240", "active_from": "2019-01-01", "active_to": "2019-12-31"}],
    "white-spots": [{}, {"theme": "Turvallisuus"}, {"theme": THEME + "mielenterveys"}],
}
QUERIES = {info.name: info for info in list_queries()}
PARAMETRISED = [(name, params) for name in QUERIES for params in CASES.get(name, [{}])]
ENGINES = ("oxigraph", "endpoint", "jena")


def _case_id(name: str, params: Mapping[str, str]) -> str:
    return name + "".join(f"-{key}={value.rsplit('/', 1)[-1]}" for key, value in params.items())


KEYS = {_case_id(name, params): (name, params) for name, params in PARAMETRISED}

_NUMERIC = {XSD[name] for name in (
    "integer", "decimal", "double", "float", "int", "long", "short", "byte", "nonNegativeInteger",
    "positiveInteger", "nonPositiveInteger", "negativeInteger", "unsignedLong", "unsignedInt",
    "unsignedShort", "unsignedByte")}

Cell = tuple[str, ...] | None
Row = tuple[Cell, ...]


def _cell(node: Node | None) -> Cell:
    """A term as comparable values: numbers by value, GROUP_CONCAT lists as sorted items."""
    if node is None:
        return None
    if isinstance(node, URIRef):
        return ("iri", str(node))
    if isinstance(node, BNode):
        return ("bnode",)  # blank node labels differ between engines
    assert isinstance(node, RDFLiteral)
    if node.datatype in _NUMERIC:
        try:
            return ("number", str(Decimal(str(node)).normalize()))
        except InvalidOperation:
            return ("number", str(node))
    text = str(node)
    if " | " in text:
        text = " | ".join(sorted(text.split(" | ")))
    datatype = None if node.datatype == XSD.string else node.datatype
    return ("literal", text, str(datatype or ""), node.language or "")


def _term(binding: dict[str, str]) -> Node:
    """A term of SPARQL 1.1 Query Results JSON as an rdflib term."""
    if binding["type"] == "uri":
        return URIRef(binding["value"])
    if binding["type"] == "bnode":
        return BNode(binding["value"])
    datatype = binding.get("datatype")
    return RDFLiteral(binding["value"], lang=binding.get("xml:lang"),
                      datatype=URIRef(datatype) if datatype else None)


def _order_keys(info: QueryInfo) -> list[str] | None:
    """The ORDER BY variables of the query, if every condition is a plain projected variable."""
    algebra = prepareQuery(info.text).algebra

    def find(node: Any) -> Any:
        if getattr(node, "name", None) == "OrderBy":
            return node
        for value in (node.values() if isinstance(node, dict) else []):
            found = find(value)
            if found is not None:
                return found
        return None

    order = find(algebra["p"])
    if order is None:
        return None
    keys = []
    for condition in order.expr:
        variable = condition.expr if hasattr(condition, "expr") else condition
        if str(variable) not in info.returns or not hasattr(variable, "n3") or not variable.n3().startswith("?"):
            return None
        keys.append(str(variable))
    return keys


def _agree(info: QueryInfo, reference: tuple[tuple[str, ...], list[Row]],
           other: tuple[tuple[str, ...], list[Row]], engine: str) -> None:
    (columns, rows), (other_columns, other_rows) = reference, other
    assert other_columns == columns, engine
    assert sorted(other_rows, key=repr) == sorted(rows, key=repr), (
        f"{engine} differs: only on rdflib {_diff(rows, other_rows)}, only on {engine} {_diff(other_rows, rows)}")
    keys = _order_keys(info)
    if keys is not None:
        index = [columns.index(key) for key in keys]
        if len({tuple(row[i] for i in index) for row in rows}) == len(rows):  # a total order
            assert other_rows == rows, f"{engine} returns the rows in another order"


def _diff(rows: list[Row], others: list[Row]) -> list[Row]:
    rest = list(others)
    missing = []
    for row in rows:
        if row in rest:
            rest.remove(row)
        else:
            missing.append(row)
    return missing[:3]


def _rows(graph: Graph, name: str, params: Mapping[str, object]) -> tuple[tuple[str, ...], list[Row]]:
    result = run_query(graph, name, **params)
    return result.columns, [tuple(map(_cell, row)) for row in result.rows]


class _Jena:
    """Jena's answers to every case, computed in a background thread (one JVM) while the rest runs."""

    def __init__(self, texts: dict[str, str], work: Path) -> None:
        self._answers: dict[str, jena.JenaAnswer] = {}
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(texts, work), daemon=True)
        self._thread.start()

    def _run(self, texts: dict[str, str], work: Path) -> None:
        try:
            self._answers = jena.run_jena(graph_files(), texts, work)
        except (RuntimeError, OSError, subprocess.SubprocessError) as err:
            self._error = err

    def answer(self, key: str) -> jena.JenaAnswer:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._answers[key]


@pytest.fixture(scope="module")
def jena_answers(memory: Graph, tmp_path_factory: pytest.TempPathFactory) -> _Jena | str:
    """Jena started on every case at once, or why it cannot run here."""
    why = jena.missing()
    if why is not None:
        return why
    texts = {f"case{n}": query_text(name, graph=memory, **params) for n, (name, params) in enumerate(PARAMETRISED)}
    return _Jena(texts, tmp_path_factory.mktemp("jena"))


@pytest.fixture(scope="module")
def engines(store: Path, endpoint: Endpoint) -> dict[str, Graph]:
    return {"oxigraph": open_graph(f"oxigraph:{store}"), "endpoint": open_graph(endpoint.query_url)}


@pytest.fixture(scope="module")
def reference(memory: Graph) -> dict[str, tuple[tuple[str, ...], list[Row]]]:
    """rdflib's rows per case, filled in by the first test of the case."""
    return {}


# Jena's cases last, so that its JVM runs beside the other engines.
@pytest.mark.parametrize(("key", "engine"), [(key, engine) for engine in ENGINES for key in KEYS])
def test_engine_answers_like_rdflib(key: str, engine: str, jena_answers: _Jena | str, memory: Graph,
                                    reference: dict[str, Any], request: pytest.FixtureRequest) -> None:
    name, params = KEYS[key]
    # Names looked up once, in memory: the same terms, and so the same text, for every engine.
    terms = bind_parameters(QUERIES[name], params, graph=memory)
    if key not in reference:
        reference[key] = _rows(memory, name, terms)
    if engine == "jena":
        if isinstance(jena_answers, str):
            if os.environ.get("HK_REQUIRE_JENA") == "1":
                pytest.fail(f"HK_REQUIRE_JENA=1 but {jena_answers}")
            pytest.skip(jena_answers)
        answer = jena_answers.answer(f"case{PARAMETRISED.index((name, params))}")
        assert answer.results is not None, f"Jena: {answer.error}"
        columns = tuple(answer.results["head"]["vars"])
        other = (columns, [tuple(_cell(_term(b[c])) if c in b else None for c in columns)
                           for b in answer.results["results"]["bindings"]])
    else:
        other = _rows(request.getfixturevalue("engines")[engine], name, terms)
    _agree(QUERIES[name], reference[key], other, engine)


def test_every_parameter_has_a_case() -> None:
    for name, cases in CASES.items():
        assert name in QUERIES, name
        for params in cases:
            for param in params:
                QUERIES[name].parameter(param)  # a declared parameter
    for info in QUERIES.values():
        covered = {param for params in CASES.get(info.name, [{}]) for param in params}
        assert covered == {p.name for p in info.params}, info.name
        required = {p.name for p in info.params if not p.optional}
        assert all(required <= set(params) for params in CASES.get(info.name, [{}])), info.name


def test_min_projects_takes_effect_on_oxigraph(memory: Graph, engines: dict[str, Graph]) -> None:
    # Issue 15: with the parameter filtered in a nested group, Oxigraph ignored it (880 rows, not 107).
    every = run_query(engines["oxigraph"], "collaboration-pairs").records()
    pairs = run_query(engines["oxigraph"], "collaboration-pairs", min_projects=2).records()
    assert pairs == [row for row in every if row["projects"] >= 2]
    assert 0 < len(pairs) < len(every)


def test_include_region_takes_effect_on_oxigraph(memory: Graph, engines: dict[str, Graph]) -> None:
    # Issue 15: Oxigraph ignored include_region (80 organisations, not 237).
    direct = run_query(engines["oxigraph"], "organisations-by-reach").records()
    wider = run_query(engines["oxigraph"], "organisations-by-reach", include_region=True).records()
    assert len(wider) > len(direct)
    reach = {row["organisation"]: row["municipalities"] for row in wider}
    assert all(reach[row["organisation"]] >= row["municipalities"] for row in direct)


def test_the_text_is_the_one_every_engine_runs() -> None:
    text = query_text(get_query("collaboration-pairs"), min_projects=2)
    assert text.startswith("PREFIX hk: <https://w3id.org/hyvinvointi-kg/ontology#>")
    assert text.count("VALUES ?") == 1
    assert 'WHERE { VALUES ?min_projects { "2"^^<http://www.w3.org/2001/XMLSchema#integer> }' in " ".join(
        text.split())


# --- the http:// backend: errors instead of hangs and tracebacks ------------------------------


def test_endpoint_backend_that_hangs_times_out_with_a_clear_error() -> None:
    import socket
    import time

    from hyvinvointi_kg.errors import InputError

    with socket.socket() as server:  # accepts the connection, never answers
        server.bind(("127.0.0.1", 0))
        server.listen()
        url = f"http://127.0.0.1:{server.getsockname()[1]}/query"
        started = time.monotonic()
        with pytest.raises(InputError, match=f"{url}: the SPARQL endpoint did not answer within 0.5 s"):
            run_query(open_graph(url, timeout=0.5), "projects")
        assert time.monotonic() - started < 10


def test_endpoint_backend_refused_connection_is_one_clear_line(capsys: pytest.CaptureFixture[str]) -> None:
    from hyvinvointi_kg.cli import main
    from hyvinvointi_kg.errors import InputError

    url = "http://127.0.0.1:9/query"
    with pytest.raises(InputError, match="cannot reach the SPARQL endpoint .*check the URL"):
        len(open_graph(url))
    assert main(["info", "--backend", url]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {url}: cannot reach") and len(err.splitlines()) == 1 and "Traceback" not in err


def test_endpoint_backend_sends_every_request_through_its_timeout(endpoint: Endpoint) -> None:
    # Pins the one adapter over rdflib's SPARQLStore (backends._endpoint_store overrides its _query):
    # queries, triple patterns and len() all go through it.
    from unittest import mock

    graph = open_graph(endpoint.query_url, timeout=30)
    with mock.patch("urllib.request.urlopen", wraps=__import__("urllib.request").request.urlopen) as opened:
        assert len(graph) > 90_000
        assert next(iter(graph.triples((None, None, None))))
        run_query(graph, "municipality-profile", municipality=PLACE + "kunta/742")
    assert opened.call_count == 3
    assert all(call.kwargs.get("timeout") == 30 for call in opened.call_args_list)


def test_endpoint_backend_http_error_names_the_status(endpoint: Endpoint) -> None:
    from hyvinvointi_kg.errors import InputError

    with pytest.raises(InputError, match="refused the query: HTTP 400"):
        run_query(open_graph(endpoint.query_url), QueryInfo(
            name="bad", path=Path("bad.rq"), summary="", params=(), returns=(), tags=(),
            text="SELECT ?x WHERE { ?x ?y }"))
