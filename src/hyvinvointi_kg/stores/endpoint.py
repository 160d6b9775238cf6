"""A local, read-only SPARQL 1.1 endpoint over the graph: Oxigraph engines behind a guard.

:func:`serve` builds (once) a persistent Oxigraph store of the graph with its
entailments and starts a few ``oxigraph serve-read-only`` engines on private
loopback ports, each answering one query at a time. In front of them a guard,
a `waitress <https://docs.pylonsproject.org/projects/waitress/>`_ WSGI server
on the public port, is the only way in:

- it answers only requests whose ``Host`` is this server (``localhost``,
  ``127.0.0.1``, ``[::1]``, the listening address, or one allowed), so a web
  page cannot reach it through DNS rebinding (HTTP 421);
- it refuses updates and Graph Store writes (HTTP 403), a query longer than
  *max_query_bytes* or nesting brackets deeper than *max_depth*, and a
  ``SERVICE`` call to an IRI not in *allow_service* (HTTP 400, with a message);
- it stops a query at the timeout by killing its engine, which is replaced
  (HTTP 504), and likewise a query whose engine grows past
  *max_engine_memory_bytes* (HTTP 503); an engine that dies for any reason is
  reaped and replaced;
- it sends a result only once it has all of it, with its length: a result
  larger than *max_result_bytes* is refused (HTTP 413), an engine failing part
  way gives HTTP 502, never a cut-off body;
- it answers ``GET /query`` without a query with its own service description,
  and never shows an engine's address;
- waitress bounds connections, request sizes (HTTP 413 before the body is
  read) and idle time, parses HTTP (HTTP 400 for a bad ``Content-Length``;
  chunked request bodies are accepted) and runs a fixed pool of threads.

The query page at ``/`` (YASGUI, served by the engines' own files) loads
nothing from the internet: prefixes come from this server, and the bundled
queries are its examples.
"""

from __future__ import annotations

import http.client
import json
import logging
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import IO, Any

from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.stores._engines import EnginePool, EngineUnavailable, Lease, free_port
from hyvinvointi_kg.stores._query_checks import QueryRefused, check_query
from hyvinvointi_kg.stores.backends import build_store, check_store

__all__ = ["Endpoint", "oxigraph_command", "running_endpoint", "serve"]

_CANCELLED = b"The SPARQL operation has been cancelled"
_ASSETS = ("yasgui.min.js", "yasgui.min.css", "logo.svg")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_LOOPBACK_ADDRESS = re.compile(r"(?:127\.0\.0\.1|localhost|\[::1\]):\d+")
_PAGE_POLICY = ("default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
                "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; base-uri 'none'; "
                "form-action 'none'; frame-ancestors 'none'")
_DESCRIPTION_FORMATS = {"text/turtle": "turtle", "application/n-triples": "nt",
                        "application/rdf+xml": "xml", "application/ld+json": "json-ld"}
_RESULT_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                   "N-Triples", "Turtle", "RDF_XML")


def oxigraph_command() -> str:
    """The ``oxigraph`` server executable (from the ``oxigraph`` package on PyPI).

    Raises
    ------
    InputError
        If it is not installed.
    """
    for candidate in (Path(sys.executable).parent / "oxigraph", shutil.which("oxigraph")):
        if candidate and Path(candidate).is_file():
            return str(candidate)
    raise InputError("the oxigraph server is not installed: pip install 'hyvinvointi_kg[serve]'")


@dataclass(frozen=True)
class Endpoint:
    """A running endpoint: its public URLs."""

    host: str
    port: int

    @property
    def url(self) -> str:
        """The base URL (the query page)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    @property
    def query_url(self) -> str:
        """The SPARQL 1.1 Protocol query endpoint."""
        return f"{self.url}query"


@dataclass(frozen=True)
class _Limits:
    timeout_s: int
    max_result_bytes: int
    max_query_bytes: int
    max_depth: int
    allow_service: frozenset[str]
    queue_wait_s: float


@dataclass(frozen=True)
class _Reply:
    status: int
    content_type: str = "text/plain; charset=utf-8"
    body: bytes | IO[bytes] = b""
    length: int | None = None
    headers: tuple[tuple[str, str], ...] = ()


def _text(status: int, message: str) -> _Reply:
    return _Reply(status, body=(message + "\n").encode("utf-8"))


def _accepted(accept: str, offered: Iterable[str]) -> str | None:
    wanted = [part.split(";")[0].strip().lower() for part in accept.split(",")]
    offered = list(offered)
    for mime in wanted:
        if mime in offered:
            return mime
    return offered[0] if not accept or "*/*" in wanted else None


def _service_description(query_url: str, accept: str, *, federated: bool) -> _Reply:
    from rdflib import RDF, BNode, Graph, Namespace, URIRef

    mime = _accepted(accept, _DESCRIPTION_FORMATS)
    if mime is None:
        return _text(406, "the service description is available as " + ", ".join(_DESCRIPTION_FORMATS))
    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    graph = Graph()
    graph.bind("sd", sd)
    service = BNode()
    graph.add((service, RDF.type, sd.Service))
    graph.add((service, sd.endpoint, URIRef(query_url)))
    graph.add((service, sd.supportedLanguage, sd.SPARQL11Query))
    for name in _RESULT_FORMATS:
        graph.add((service, sd.resultFormat, URIRef(f"http://www.w3.org/ns/formats/{name}")))
    if federated:
        graph.add((service, sd.feature, sd.BasicFederatedQuery))
    body = graph.serialize(format=_DESCRIPTION_FORMATS[mime], encoding="utf-8")
    return _Reply(200, content_type=f"{mime}; charset=utf-8", body=body)


def _page(examples: Sequence[dict[str, str]]) -> bytes:
    from importlib import resources

    import jinja2
    from rdflib import Graph

    from hyvinvointi_kg.namespaces import bind_prefixes

    prefixes = {prefix: str(ns) for prefix, ns in bind_prefixes(Graph(bind_namespaces="none")).namespaces()}
    default_query = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(prefixes.items())) + (
        "\nSELECT ?class (COUNT(?thing) AS ?things)\nWHERE { ?thing a ?class }\n"
        "GROUP BY ?class\nORDER BY DESC(?things)\nLIMIT 20\n")
    template = (resources.files("hyvinvointi_kg.stores") / "endpoint_page" / "query-page.html").read_text("utf-8")
    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return environment.from_string(template).render(
        query_path="query", examples=list(examples), default_query=default_query).encode("utf-8")


def _prefixes_json() -> bytes:
    from rdflib import Graph

    from hyvinvointi_kg.namespaces import bind_prefixes

    graph = bind_prefixes(Graph(bind_namespaces="none"))
    return json.dumps({prefix: str(ns) for prefix, ns in graph.namespaces()}, sort_keys=True).encode("utf-8")


def _examples() -> list[dict[str, str]]:
    from hyvinvointi_kg.query import list_queries

    return [{"name": info.name, "summary": info.summary, "text": info.text} for info in list_queries()]


_UPDATE_REFUSED = _text(403, "this endpoint is read-only: SPARQL updates are refused")


def _timed_out(limits: _Limits) -> _Reply:
    return _text(504, f"the query was stopped after the {limits.timeout_s} s timeout; make it more selective "
                      "or start the server with a larger --timeout")


def _ask(lease: Lease, method: str, target: str, *, body: bytes | None, headers: dict[str, str],
         limits: _Limits) -> _Reply:
    """Send one request to the lent engine; the whole answer or an error, within the timeout."""
    budget = limits.timeout_s + 1.0  # the engine's own timeout first; then the guard's
    deadline = time.monotonic() + budget
    connection = http.client.HTTPConnection("127.0.0.1", lease.port, timeout=budget)
    spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=1_000_000)  # noqa: SIM115 - the reply sends it
    size, tail = 0, b""
    try:
        connection.request(method, target, body=body, headers=headers)
        sock = connection.sock
        response = connection.getresponse()
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            if sock is not None:
                sock.settimeout(remaining)
            chunk = response.read1(65536)
            if not chunk:
                break
            size += len(chunk)
            if size > limits.max_result_bytes:
                lease.discard()
                spool.close()
                return _text(413, f"the result is larger than {limits.max_result_bytes} bytes; add a LIMIT to "
                                  "the query or start the server with a larger --max-result-mb")
            spool.write(chunk)
            tail = (tail + chunk)[-len(_CANCELLED):]
        announced = response.getheader("Content-Length")
        if announced is not None and int(announced) != size:
            raise http.client.IncompleteRead(b"", int(announced) - size)
    except TimeoutError:
        lease.discard()
        spool.close()
        return _timed_out(limits)
    except (OSError, http.client.HTTPException, ValueError):
        reason = lease.engine.stopped_for if lease.engine is not None else None
        lease.discard()
        spool.close()
        if reason:
            return _text(503, f"{reason} and was stopped; make it more selective (the engine has been restarted)")
        return _text(502, "the query engine failed while answering and has been restarted; "
                          "the query may be too demanding for this server")
    finally:
        connection.close()
    if tail == _CANCELLED:  # the engine's own timeout: it has sent 200 and ends the body so,
        lease.discard()  # and the evaluation may go on: replace the engine
        spool.close()
        return _timed_out(limits)
    content_type = response.getheader("Content-Type", "application/octet-stream")
    if response.status >= 400:
        spool.seek(0)
        message = spool.read().decode("utf-8", "replace")
        spool.close()
        return _Reply(response.status, content_type="text/plain; charset=utf-8",
                      body=_LOOPBACK_ADDRESS.sub("(engine)", message).encode("utf-8"))
    spool.seek(0)
    return _Reply(response.status, content_type=content_type, body=spool, length=size)


class _Guard:
    """The WSGI application in front of the engines."""

    def __init__(self, pool: EnginePool, limits: _Limits, *, hosts: frozenset[str],
                 assets: dict[str, tuple[str, bytes]]) -> None:
        self.pool, self.limits, self.hosts, self.assets = pool, limits, hosts, assets

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        reply = self.respond(environ)
        headers = [("Content-Type", reply.content_type), ("X-Content-Type-Options", "nosniff"),
                   ("Cache-Control", "no-store"), *reply.headers]
        if isinstance(reply.body, bytes):
            headers.append(("Content-Length", str(len(reply.body))))
            start_response(f"{reply.status} {HTTPStatus(reply.status).phrase}", headers)
            return [reply.body]
        headers.append(("Content-Length", str(reply.length)))
        start_response(f"{reply.status} {HTTPStatus(reply.status).phrase}", headers)
        wrapper: Callable[[IO[bytes], int], Iterable[bytes]] = environ.get(
            "wsgi.file_wrapper", lambda f, n: iter(lambda: f.read(n), b""))
        return wrapper(reply.body, 65536)

    def respond(self, environ: dict[str, Any]) -> _Reply:
        raw_target = environ.get("REQUEST_URI", "") + environ.get("PATH_INFO", "")
        if _CONTROL.search(raw_target):
            return _text(400, "the request target contains control characters")
        host = environ.get("HTTP_HOST", "").lower()
        if host not in self.hosts:
            return _text(421, "this server answers only requests addressed to it "
                              "(Host: localhost, 127.0.0.1, [::1] or the address it listens on)")
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "/")
        if path in ("/query", "/sparql"):
            if method not in ("GET", "HEAD", "POST"):
                return _Reply(405, body=b"use GET or POST\n", headers=(("Allow", "GET, HEAD, POST"),))
            return self.query(environ, host)
        if path == "/update" or (path == "/store" and method not in ("GET", "HEAD")):
            return _text(403, "this endpoint is read-only: SPARQL updates and Graph Store writes are refused")
        if method not in ("GET", "HEAD"):
            return _Reply(405, body=b"use GET\n", headers=(("Allow", "GET, HEAD"),))
        if path == "/store":
            return self.forward("GET", "/store?" + environ.get("QUERY_STRING", ""), environ, body=None)
        if path == "/":
            content_type, body = self.assets["/"]
            return _Reply(200, content_type=content_type, body=body,
                          headers=(("Content-Security-Policy", _PAGE_POLICY),))
        if path in self.assets:
            content_type, body = self.assets[path]
            return _Reply(200, content_type=content_type, body=body)
        return _text(404, "not found: the query page is at /, the SPARQL endpoint at /query")

    def query(self, environ: dict[str, Any], host: str) -> _Reply:
        method = environ["REQUEST_METHOD"]
        params = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        if method == "POST":
            content_type = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
            length = int(environ.get("CONTENT_LENGTH") or 0)
            body = environ["wsgi.input"].read(length) if length else b""
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                return _text(400, "the request body is not UTF-8")
            if content_type == "application/sparql-update":
                return _UPDATE_REFUSED
            if content_type == "application/x-www-form-urlencoded":
                params = urllib.parse.parse_qs(text, keep_blank_values=True)
            elif content_type == "application/sparql-query":
                params["query"] = [text]
            else:
                return _text(415, "send the query as application/sparql-query or "
                                  "application/x-www-form-urlencoded (query=...)")
        if "update" in params:
            return _UPDATE_REFUSED
        queries = params.get("query", [])
        if len(queries) > 1:
            return _text(400, "send one query per request")
        if not queries:
            if method == "POST":
                return _text(400, "no query: send query=... or an application/sparql-query body")
            return _service_description(f"http://{host}/query", environ.get("HTTP_ACCEPT", ""),
                                        federated=bool(self.limits.allow_service))
        try:
            check_query(queries[0], max_bytes=self.limits.max_query_bytes, max_depth=self.limits.max_depth,
                        allow_service=self.limits.allow_service)
        except QueryRefused as err:
            return _text(400, str(err))
        form = [("query", queries[0])] + [(key, value) for key in ("default-graph-uri", "named-graph-uri")
                                          for value in params.get(key, [])]
        return self.forward("POST", "/query", environ, body=urllib.parse.urlencode(form).encode("utf-8"),
                            content_type="application/x-www-form-urlencoded")

    def forward(self, method: str, target: str, environ: dict[str, Any], *, body: bytes | None,
                content_type: str | None = None) -> _Reply:
        headers = {"Accept": environ.get("HTTP_ACCEPT", "*/*")}
        if content_type:
            headers["Content-Type"] = content_type
        try:
            with self.pool.engine(wait_s=self.limits.queue_wait_s) as lease:
                return _ask(lease, method, target, body=body, headers=headers, limits=self.limits)
        except EngineUnavailable as err:
            return _Reply(503, body=f"{err}; try again later\n".encode(), headers=(("Retry-After", "5"),))


def _allowed_hosts(host: str, port: int, extra: Iterable[str]) -> frozenset[str]:
    names = {"localhost", "127.0.0.1", "[::1]", f"[{host}]" if ":" in host else host, *extra}
    allowed = {f"{name.lower()}:{port}" for name in names}
    if port == 80:
        allowed |= {name.lower() for name in names}
    return frozenset(allowed)


def _fetch_assets(pool: EnginePool, limits: _Limits) -> dict[str, tuple[str, bytes]]:
    assets: dict[str, tuple[str, bytes]] = {}
    for name in _ASSETS:
        with pool.engine(wait_s=30) as lease:
            reply = _ask(lease, "GET", f"/{name}", body=None, headers={}, limits=limits)
        data = reply.body if isinstance(reply.body, bytes) else reply.body.read()
        if reply.status == 200:
            assets[f"/{name}"] = (reply.content_type, data)
    assets["/prefixes.json"] = ("application/json", _prefixes_json())
    assets["/"] = ("text/html; charset=utf-8", _page(_examples()))
    return assets


def _quiet_queue(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith("Task queue depth")


@contextmanager
def running_endpoint(
    *,
    location: Path,
    port: int = 7878,
    host: str = "127.0.0.1",
    timeout_s: int = 30,
    max_result_bytes: int = 100_000_000,
    max_query_bytes: int = 100_000,
    max_depth: int = 48,
    allow_service: Collection[str] = (),
    allow_hosts: Collection[str] = (),
    engines: int = 4,
    max_engine_memory_bytes: int = 2_000_000_000,
    max_connections: int = 200,
    data_dir: Path | None = None,
) -> Iterator[Endpoint]:
    """Run the endpoint while the ``with`` block runs (see :func:`serve`)."""
    try:
        from waitress.server import create_server
        from waitress.wasyncore import close_all
    except ImportError as err:  # pragma: no cover - the 'serve' extra
        raise InputError("the endpoint needs waitress: pip install 'hyvinvointi_kg[serve]'") from err
    build_store(location, data_dir=data_dir)
    check_store(location)  # a damaged table would crash or bloat every engine
    command = oxigraph_command()
    database = str(location / "db")

    def argv(bind: str) -> list[str]:
        return [command, "serve-read-only", "--location", database, "--bind", bind, "--timeout-s", str(timeout_s)]

    limits = _Limits(timeout_s=timeout_s, max_result_bytes=max_result_bytes, max_query_bytes=max_query_bytes,
                     max_depth=max_depth, allow_service=frozenset(allow_service),
                     queue_wait_s=max(60.0, 4.0 * timeout_s))
    pool = EnginePool(argv, size=max(1, engines), max_memory_bytes=max_engine_memory_bytes)
    try:
        assets = _fetch_assets(pool, limits)
        sockets: dict[int, Any] = {}
        port = port or free_port(host)  # the Host check needs the port before the server starts
        try:
            server = create_server(
                _Guard(pool, limits, hosts=_allowed_hosts(host, port, allow_hosts), assets=assets),
                map=sockets, host=host, port=port, threads=2 * max(1, engines) + 4,
                connection_limit=max_connections, backlog=1024, channel_timeout=30, cleanup_interval=5,
                max_request_body_size=max(1_000_000, 3 * max_query_bytes), asyncore_use_poll=True,
                ident="hyvinvointi-kg", expose_tracebacks=False)
        except OSError as err:
            raise InputError(f"cannot listen on {host}:{port}: {err.strerror}; choose another --port") from err
        # Requests waiting for an engine is how the guard works, not news: waitress would warn on each.
        queue_log = logging.getLogger("waitress.queue")
        queue_log.addFilter(_quiet_queue)
        thread = threading.Thread(target=server.run, name="endpoint", daemon=True)
        thread.start()
        try:
            yield Endpoint(host, port)
        finally:
            queue_log.removeFilter(_quiet_queue)
            server.task_dispatcher.shutdown(timeout=5)  # requests under way finish first
            close_all(sockets)  # the listening socket, the connections and the loop's trigger
            thread.join(timeout=10)
    finally:
        pool.close()


def serve(
    *,
    location: Path,
    port: int = 7878,
    host: str = "127.0.0.1",
    timeout_s: int = 30,
    max_result_bytes: int = 100_000_000,
    max_query_bytes: int = 100_000,
    max_depth: int = 48,
    allow_service: Collection[str] = (),
    allow_hosts: Collection[str] = (),
    engines: int = 4,
    max_engine_memory_bytes: int = 2_000_000_000,
    max_connections: int = 200,
    data_dir: Path | None = None,
    ready: Any = None,
) -> None:
    """Serve the graph over the SPARQL 1.1 Protocol until interrupted (Ctrl-C or SIGTERM).

    Parameters
    ----------
    location
        Folder of the persistent store (built from the graph on first use).
    port, host
        Where to listen (default 127.0.0.1:7878; another host exposes the
        endpoint to the network).
    timeout_s
        Per-query timeout: the engine running a query still busy after it is
        killed and replaced (HTTP 504).
    max_result_bytes
        Larger results are refused with HTTP 413.
    max_query_bytes, max_depth
        Longer queries, or queries nesting ``{``, ``(`` or ``[`` deeper, are
        refused with HTTP 400 before any engine sees them.
    allow_service
        IRIs that ``SERVICE`` may call (default: none; any other is HTTP 400).
    allow_hosts
        Host names clients may use besides ``localhost``, ``127.0.0.1``,
        ``[::1]`` and *host* (for instance this machine's name when *host* is
        ``0.0.0.0``); other ``Host`` headers get HTTP 421.
    engines
        Oxigraph engines, each running one query at a time; more requests wait.
    max_engine_memory_bytes
        An engine whose resident memory grows past this is killed and
        replaced; its query gets HTTP 503 with a message.
    max_connections
        Open connections at most; more wait to be accepted.
    data_dir
        Folder of a built graph (default: the bundled one).
    ready
        Called with the :class:`Endpoint` once it answers.

    Raises
    ------
    InputError
        If the server or its engines cannot start.
    """
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        with running_endpoint(location=location, port=port, host=host, timeout_s=timeout_s,
                              max_result_bytes=max_result_bytes, max_query_bytes=max_query_bytes,
                              max_depth=max_depth, allow_service=allow_service, allow_hosts=allow_hosts,
                              engines=engines, max_engine_memory_bytes=max_engine_memory_bytes,
                              max_connections=max_connections,
                              data_dir=data_dir) as endpoint:
            if ready is not None:
                ready(endpoint)
            try:
                while not stop.wait(0.5):
                    pass
            except KeyboardInterrupt:
                pass
    finally:
        signal.signal(signal.SIGTERM, previous)

