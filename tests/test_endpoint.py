"""The SPARQL endpoint and the backends: real servers, real clients, the same answers as in memory."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph

from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.query import QueryResult, list_queries, query_text, run_query
from hyvinvointi_kg.stores.backends import build_store, open_graph, publish
from hyvinvointi_kg.stores.endpoint import Endpoint, oxigraph_command, running_endpoint

pytest.importorskip("pyoxigraph", reason="the endpoint tests need the 'serve' extra")
SPARQLWrapper = pytest.importorskip("SPARQLWrapper", reason="the endpoint tests need SPARQLWrapper")

sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))
import endpoint_load  # noqa: E402  (benchmarks/ is not a package)

sys.path.pop(0)
# Parameters for every query that takes some (the golden values of tests/test_query_library.py).
PARAMS = endpoint_load.PARAMS
QUERIES = list_queries()


def _normal(rows: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Rows as a sorted multiset; ' | '-joined lists sorted (GROUP_CONCAT order is not defined);
    numbers compared as numbers (engines write 1.0, 1.0E0 or 1 for the same decimal)."""
    def cell(text: str) -> str:
        if " | " in text:
            text = " | ".join(sorted(text.split(" | ")))
        try:
            return repr(float(text)) if text and text.lstrip("-")[0].isdigit() and "-" not in text[1:] else text
        except ValueError:
            return text
    return sorted(tuple(cell(c) for c in row) for row in rows)


def _rows(result: QueryResult) -> list[tuple[str, ...]]:
    return _normal([tuple("" if c is None else str(c) for c in row) for row in result.rows])


@pytest.fixture(scope="module")
def reference(memory: Graph) -> Callable[[str], QueryResult]:
    """The in-memory (rdflib) result of a bundled query with its test parameters, computed once."""
    results: dict[str, QueryResult] = {}

    def result(name: str) -> QueryResult:
        if name not in results:
            results[name] = run_query(memory, name, **PARAMS.get(name, {}))
        return results[name]

    return result


@pytest.fixture(scope="module")
def strict(store: Path) -> Iterator[Endpoint]:
    """A second server on the same store with a 1 s timeout and a 2 MB result limit."""
    with running_endpoint(location=store, port=0, timeout_s=1, max_result_bytes=2_000_000) as running:
        yield running


@pytest.fixture(scope="module")
def frugal(store: Path) -> Iterator[Endpoint]:
    """A third server on the same store: one engine, killed past 300 MB."""
    with running_endpoint(location=store, port=0, engines=1, max_engine_memory_bytes=300_000_000) as running:
        yield running


def _get(url: str, **params: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"{url}?{urllib.parse.urlencode(params)}", timeout=60) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8")


@pytest.mark.parametrize("info", QUERIES, ids=[q.name for q in QUERIES])
def test_every_query_over_http_equals_in_process(info: Any, memory: Graph, endpoint: Endpoint,
                                                 reference: Callable[[str], QueryResult]) -> None:
    client = SPARQLWrapper.SPARQLWrapper(endpoint.query_url)
    client.setReturnFormat(SPARQLWrapper.JSON)
    client.setMethod(SPARQLWrapper.POST)  # long queries do not fit in a URL
    client.setQuery(query_text(info, graph=memory, **PARAMS.get(info.name, {})))
    answer = client.queryAndConvert()
    columns = answer["head"]["vars"]
    remote = _normal([tuple(b.get(c, {}).get("value", "") for c in columns)
                      for b in answer["results"]["bindings"]])
    local = reference(info.name)
    assert list(local.columns) == columns
    assert remote == _rows(local)
    if not info.name.endswith("-violation"):
        assert remote, "a golden query with no rows proves nothing"


def test_update_is_refused(endpoint: Endpoint) -> None:
    for url, body, kind in ((endpoint.url + "update", b"update=DELETE+WHERE+%7B%3Fs+%3Fp+%3Fo%7D",
                             "application/x-www-form-urlencoded"),
                            (endpoint.query_url, b"DELETE WHERE { ?s ?p ?o }", "application/sparql-update"),
                            (endpoint.url + "store?default", b"<a:a> <a:b> <a:c> .", "application/n-triples")):
        request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": kind})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=30)
        assert refused.value.code == 403
        assert "read-only" in refused.value.read().decode("utf-8")
    status, text = _get(endpoint.query_url, query="SELECT (COUNT(*) AS ?n) WHERE { ?p a hk:Project }".replace(
        "hk:Project", "<https://w3id.org/hyvinvointi-kg/ontology#Project>"))
    assert status == 200 and json.loads(text)["results"]["bindings"][0]["n"]["value"] == "227"


def test_malformed_query_is_http_400_with_a_message(endpoint: Endpoint) -> None:
    status, text = _get(endpoint.query_url, query="SELEC ?x WHERE { ?x ?y ?z }")
    assert status == 400 and "error at 1:1" in text


def test_too_large_result_is_refused_not_cut(strict: Endpoint) -> None:
    status, text = _get(strict.query_url, query="SELECT * WHERE { ?s ?p ?o }")
    assert status == 413 and "larger than 2000000 bytes" in text and "LIMIT" in text
    status, text = _get(strict.query_url, query="SELECT * WHERE { ?s ?p ?o } LIMIT 10")
    assert status == 200 and len(json.loads(text)["results"]["bindings"]) == 10


def test_timeout_is_http_504_with_a_message(strict: Endpoint) -> None:
    started = time.monotonic()
    status, text = _get(strict.query_url, query="SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }")
    assert status == 504 and "1 s timeout" in text
    assert time.monotonic() - started < 20


def test_query_page_loads_nothing_from_elsewhere(endpoint: Endpoint) -> None:
    with urllib.request.urlopen(endpoint.url, timeout=30) as response:
        policy = response.headers["Content-Security-Policy"]
        page = response.read().decode("utf-8")
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy  # the browser enforces it
    assert "yasgui.min.js" in page and "prefixCcApi" in page and "prefix.cc" not in page
    assert not [url for url in re.findall(r'(?:src|href)="([^"]*)"', page) if "//" in url]
    assert all(f'"name": "{info.name}"' in page for info in QUERIES)  # the bundled queries as examples
    assert "PREFIX hk: " in page and "https://w3id.org/hyvinvointi-kg/ontology#" in page  # escaped in JSON
    status, prefixes = _get(endpoint.url + "prefixes.json")
    assert status == 200 and json.loads(prefixes)["hk"] == "https://w3id.org/hyvinvointi-kg/ontology#"
    status, script = _get(endpoint.url + "yasgui.min.js")
    assert status == 200 and len(script) > 100_000


def test_endpoint_listens_on_loopback_only(endpoint: Endpoint) -> None:
    assert endpoint.host == "127.0.0.1"


def test_remote_backend_answers_like_memory(endpoint: Endpoint, reference: Callable[[str], QueryResult]) -> None:
    remote = open_graph(endpoint.query_url)
    for name in ("municipality-profile", "organisation-partners", "collaboration-pairs"):
        assert _rows(run_query(remote, name, **PARAMS.get(name, {}))) == _rows(
            reference(name)), name


def test_oxigraph_backend_reopens_and_answers_like_memory(store: Path, reference: Callable[[str], QueryResult]) -> None:
    started = time.perf_counter()
    graph = open_graph(f"oxigraph:{store}")
    assert time.perf_counter() - started < 2  # reopened, not rebuilt
    for info in QUERIES:
        params = PARAMS.get(info.name, {})
        assert _rows(run_query(graph, info, **params)) == _rows(reference(info.name)), info.name


def test_tables_and_networks_on_the_oxigraph_backend(memory: Graph, store: Path) -> None:
    from hyvinvointi_kg.analysis.networks import to_networkx
    from hyvinvointi_kg.analysis.tables import projects_table

    graph = open_graph(store)
    assert _rows(projects_table(graph)) == _rows(projects_table(memory))
    a, b = to_networkx(graph, "co-implementation"), to_networkx(memory, "co-implementation")
    assert sorted(a.edges) == sorted(b.edges)


def test_overlaps_on_the_oxigraph_backend(memory: Graph, store: Path) -> None:
    # overlap_pairs reads the store's quads directly (not term by term through oxrdflib): same pairs.
    from hyvinvointi_kg.analysis.overlaps import find_overlaps, overlap_pairs
    from hyvinvointi_kg.stores.oxrdflib_adapter import oxigraph_store

    graph = open_graph(store)
    assert oxigraph_store(graph) is not None and oxigraph_store(memory) is None
    fast, reference = overlap_pairs(graph), overlap_pairs(memory)
    assert len(fast) == len(reference) == 813
    assert fast.projects == reference.projects
    assert (fast.first.tolist(), fast.second.tolist()) == (reference.first.tolist(), reference.second.tolist())
    assert find_overlaps(graph) == find_overlaps(memory)


def test_build_store_refuses_a_foreign_folder(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(InputError, match="is not a hyvinvointi-kg Oxigraph store"):
        build_store(tmp_path / "mine")
    assert (tmp_path / "mine" / "notes.txt").read_text(encoding="utf-8") == "keep me"
    with pytest.raises(InputError, match="does not exist"):
        build_store(tmp_path / "no" / "store")


def test_publish_with_the_graph_store_protocol(tmp_path: Path, memory: Graph) -> None:
    from hyvinvointi_kg.stores._engines import free_port

    port = free_port()
    server = subprocess.Popen([oxigraph_command(), "serve", "--location", str(tmp_path / "db"),
                               "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base, timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        sent = publish(f"{base}/store")
        assert sent > 1_000_000
        status, text = _get(f"{base}/query", query="SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        assert status == 200
        assert int(json.loads(text)["results"]["bindings"][0]["n"]["value"]) == len(memory)
        with pytest.raises(InputError, match="HTTP 4"):
            publish(f"{base}/no-such-path")
    finally:
        server.terminate()
        server.wait(timeout=10)
    with pytest.raises(InputError, match="cannot reach the server"):
        publish(f"http://127.0.0.1:{port}/store")


def test_cli_serve_starts_answers_and_stops(store: Path) -> None:
    import signal
    import sys

    from hyvinvointi_kg.stores._engines import free_port

    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "hyvinvointi_kg", "serve", "--port", str(port),
                                "--location", str(store)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    try:
        assert process.stdout is not None
        ready = process.stdout.readline()
        assert f"SPARQL endpoint http://127.0.0.1:{port}/query" in ready and "read-only" in ready
        status, text = _get(f"http://127.0.0.1:{port}/query", query="ASK { ?s ?p ?o }")
        assert status == 200 and json.loads(text)["boolean"] is True
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0


def test_cli_backend_option_and_publish_errors(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from hyvinvointi_kg.cli import main

    args = ["query", "municipality-profile", "-p", "municipality=Savukoski", "-f", "csv"]
    assert main(args) == 0
    in_memory = capsys.readouterr().out
    assert main([*args, "--backend", f"oxigraph:{store}"]) == 0
    assert sorted(capsys.readouterr().out.splitlines()) == sorted(in_memory.splitlines())
    assert main(["publish", "--endpoint", "localhost:7878/store"]) == 2
    assert "is not an http(s) URL" in capsys.readouterr().err


def test_a_damaged_store_gives_a_clear_error_and_a_rebuild_replaces_it(tmp_path: Path) -> None:
    from hyvinvointi_kg.errors import InputError
    from hyvinvointi_kg.stores.backends import build_store, open_graph

    location = build_store(tmp_path / "store")
    for path in (location / "db").iterdir():
        if path.is_file():
            path.write_bytes(b"\0garbage" * 16)
    # caught by the table checksums kept with the store, before RocksDB opens it
    with pytest.raises(InputError, match=r"the Oxigraph store is damaged .*delete its folder"):
        open_graph(f"oxigraph:{location}")
    (location / "tables.sha256").unlink()  # a store without checksums: RocksDB refuses to open it
    with pytest.raises(InputError, match="cannot be opened"):
        open_graph(f"oxigraph:{location}")
    build_store(location, replace=True)
    assert len(open_graph(f"oxigraph:{location}")) > 90_000
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary folder left


def test_twenty_concurrent_clients_get_no_errors(endpoint: Endpoint) -> None:
    # The load test of benchmarks/endpoint_load.py, shortened (the benchmark runs 50 clients for 60 s).
    texts = endpoint_load.query_texts()
    result = endpoint_load.run_load(endpoint.query_url, texts, clients=20, seconds=5)
    assert result.errors == ()
    assert result.requests >= 20
    status, _ = _get(endpoint.query_url, query="ASK { ?s ?p ?o }")
    assert status == 200  # still up


# --- Attacks on the endpoint: each must be refused or survived, and the server must go on answering.

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _post(url: str, query: str) -> tuple[int, str]:
    body = urllib.parse.urlencode({"query": query}).encode("utf-8")
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8")


def _answers(endpoint: Endpoint) -> bool:
    status, text = _get(endpoint.query_url, query="ASK { ?s ?p ?o }")
    return status == 200 and json.loads(text)["boolean"] is True


def _children() -> list[tuple[int, str, float, str]]:
    """(pid, state, CPU seconds, command line) of the processes this test process started."""
    found = []
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        try:
            pids = (task / "children").read_text().split()
        except OSError:
            continue
        for pid in pids:
            try:
                stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            cpu = (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")
            found.append((int(pid), stat[0], cpu, command))
    return found


def _engines() -> list[tuple[int, str, float, str]]:
    return [child for child in _children() if "serve-read-only" in child[3]]


def _raw(endpoint: Endpoint, request: bytes, *, timeout: float = 30) -> bytes:
    """Send bytes as they are; the answer until the server closes the connection."""
    with socket.create_connection((endpoint.host, endpoint.port), timeout=timeout) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def _status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def test_deeply_nested_query_is_400_and_the_server_still_answers(endpoint: Endpoint) -> None:
    # 3,000 nested groups in 12 KB used to make the engine abort.
    status, text = _post(endpoint.query_url, "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000)
    assert status == 400 and "nests brackets 3000 deep" in text and "at most 48" in text
    status, text = _post(endpoint.query_url, "ASK { " + "?s ?p ?o . " * 20_000 + "}")
    assert status == 400 and "this endpoint accepts at most 100000" in text
    assert _answers(endpoint)


def test_runaway_queries_are_stopped_and_their_engines_replaced(strict: Endpoint) -> None:
    before = {pid for pid, *_ in _engines()}
    answers: list[tuple[int, str]] = []
    clients = [threading.Thread(target=lambda: answers.append(_get(strict.query_url, query=RUNAWAY)))
               for _ in range(3)]
    for client in clients:
        client.start()
    for client in clients:
        client.join(timeout=30)
    assert [status for status, _ in answers] == [504] * 3
    assert all("1 s timeout" in text for _, text in answers)
    engines = _engines()
    assert len(before - {pid for pid, *_ in engines}) >= 3  # killed and replaced
    assert not [child for child in _children() if child[1] == "Z"]  # and reaped
    cpu = sum(child[2] for child in engines)
    time.sleep(1.0)
    assert sum(child[2] for child in _engines()) - cpu < 0.3  # nothing runs on
    assert _answers(strict)


def test_service_to_any_address_is_refused_and_nothing_is_sent(endpoint: Endpoint) -> None:
    with socket.socket() as listener:  # the address a forged request would reach
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(0.5)
        target = f"http://127.0.0.1:{listener.getsockname()[1]}/x"
        for query in (f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
                      f"PREFIX t: <{target}> SELECT * WHERE {{ service silent t:sparql {{ ?s ?p ?o }} }}",
                      f"SELECT * WHERE {{ VALUES ?t {{ <{target}> }} ?s ?p ?o .SERVICE ?t {{ ?s ?p ?o }} }}",
                      f'SELECT * WHERE {{ # a comment with a quote "\n SERVICE <{target}> {{ ?s ?p ?o }} }}',
                      f"SELECT * WHERE {{ \\u0053ERVICE <{target}> {{ ?s ?p ?o }} }}"):
            status, text = _post(endpoint.query_url, query)
            assert status == 400 and "SERVICE" in text, query
        with pytest.raises(TimeoutError):
            listener.accept()
    status, _ = _post(endpoint.query_url, 'SELECT * WHERE { ?s ?p "SERVICE <http://x/> {}" }')
    assert status == 200  # the word in a string is not a call


def test_service_description_shows_the_public_address_only(endpoint: Endpoint) -> None:
    private = {command.split("--bind 127.0.0.1:")[1].split()[0] for *_, command in _engines()}
    assert private
    for accept in ("text/turtle", "application/n-triples", "application/ld+json", "*/*"):
        request = urllib.request.Request(endpoint.query_url, headers={"Accept": accept})
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read().decode("utf-8")
        assert endpoint.query_url in text, accept
        assert set(re.findall(r":(\d+)/", text)) == {str(endpoint.port)}, accept
    for answer in (_get(endpoint.query_url, query="SELEC ?x")[1], _get(endpoint.url + "store", graph="x:y")[1],
                   _get(endpoint.url + "nowhere")[1]):
        assert not any(port in answer for port in private)


def test_requests_for_another_host_are_refused(endpoint: Endpoint) -> None:
    # DNS rebinding: a web page on evil.example resolving to 127.0.0.1 sends its own name.
    def status(host: str) -> int:
        return _status(_raw(endpoint, f"GET /query?query=ASK%7B%7D HTTP/1.1\r\nHost: {host}\r\n"
                                      "Connection: close\r\n\r\n".encode()))

    port = endpoint.port
    assert status(f"evil.example:{port}") == 421
    assert status(f"127.0.0.1.evil.example:{port}") == 421
    assert status("127.0.0.1") == 421  # another port
    assert [status(f"{name}:{port}") for name in ("localhost", "127.0.0.1", "[::1]", "LOCALHOST")] == [200] * 4


def test_slow_clients_hold_no_thread_and_block_no_one(endpoint: Endpoint) -> None:
    threads = threading.active_count()
    slow = [socket.create_connection((endpoint.host, endpoint.port), timeout=10) for _ in range(40)]
    try:
        for sock in slow:
            sock.sendall(b"POST /query HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nquery=")
        time.sleep(0.5)
        assert threading.active_count() == threads  # a fixed pool of threads, not one per connection
        started = time.monotonic()
        assert _answers(endpoint)
        assert time.monotonic() - started < 5
    finally:
        for sock in slow:
            sock.close()


def test_huge_bodies_are_413_without_being_read(endpoint: Endpoint) -> None:
    # 250 connections announcing 1 GB each: every one refused at once, nothing buffered.
    request = (f"POST /query HTTP/1.1\r\nHost: 127.0.0.1:{endpoint.port}\r\nContent-Type: application/sparql-query"
               "\r\nContent-Length: 1000000000\r\n\r\n").encode()
    started = time.monotonic()
    assert {_status(_raw(endpoint, request)) for _ in range(250)} == {413}
    assert time.monotonic() - started < 30
    assert _answers(endpoint)


def test_bad_content_length_is_400(endpoint: Endpoint) -> None:
    for length in (b"Content-Length: abc", b"Content-Length: 5\r\nContent-Length: 6", b"Content-Length: 0x10"):
        answer = _raw(endpoint, b"POST /query HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query"
                                b"\r\n" + length + b"\r\nConnection: close\r\n\r\nASK {}")
        assert _status(answer) == 400, length


def test_control_characters_in_the_path_are_400(endpoint: Endpoint) -> None:
    host = f"Host: 127.0.0.1:{endpoint.port}\r\nConnection: close\r\n\r\n".encode()
    for target in (b"/qu\x01ery?query=ASK%7B%7D", b"/query\x7f", b"/query%00?query=ASK%7B%7D", b"/\x1b[2J"):
        assert _status(_raw(endpoint, b"GET " + target + b" HTTP/1.1\r\n" + host)) == 400, target


def test_chunked_request_body_is_read(endpoint: Endpoint) -> None:
    query = b"ASK { ?s ?p ?o }"
    answer = _raw(endpoint, f"POST /query HTTP/1.1\r\nHost: 127.0.0.1:{endpoint.port}\r\nConnection: close\r\n"
                            "Content-Type: application/sparql-query\r\nAccept: application/sparql-results+json\r\n"
                            "Transfer-Encoding: chunked\r\n\r\n".encode()
                  + b"%x\r\n%s\r\n0\r\n\r\n" % (len(query), query))
    assert _status(answer) == 200 and json.loads(answer.split(b"\r\n\r\n", 1)[1])["boolean"] is True


def test_engine_failing_part_way_is_502_not_a_cut_200(endpoint: Endpoint) -> None:
    # Two thousand rows come at once, then a cross product that finds nothing runs on; the engine is
    # killed meanwhile: the client must not get "200" and half a result.
    query = ('SELECT * WHERE { { SELECT * WHERE { ?s ?p ?o } LIMIT 2000 } UNION '
             '{ ?a ?b ?c . ?d ?e ?f FILTER(STR(?c) = CONCAT(STR(?f), "never")) } }')
    answers: list[tuple[int, str]] = []
    client = threading.Thread(target=lambda: answers.append(_get(endpoint.query_url, query=query)))
    client.start()
    time.sleep(1.5)
    for pid, *_ in _engines():  # an engine dying for any reason
        os.kill(pid, signal.SIGKILL)
    client.join(timeout=30)
    assert answers and answers[0][0] == 502 and "restarted" in answers[0][1]
    time.sleep(1.5)  # the watchdog reaps the idle ones
    assert not [child for child in _children() if child[1] == "Z"]
    assert _answers(endpoint)


def test_query_page_runs_an_example_in_a_browser_offline(endpoint: Endpoint) -> None:
    # The page under its Content-Security-Policy, in Chromium: every request it makes goes to this server.
    import shutil

    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        pytest.skip(f"no Chromium at {chromium}")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    requests: list[str] = []
    problems: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=[
            "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"])
        try:
            page = browser.new_page()
            page.on("request", lambda request: requests.append(request.url))
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(endpoint.url)
                       else route.abort())
            page.goto(endpoint.url)
            page.wait_for_function("window.hkPage && window.hkPage.yasgui", timeout=30_000)
            opening = page.evaluate("window.hkPage.yasgui.getTab().getYasqe().getValue()")
            page.select_option("#examples", label="projects")
            page.evaluate("window.hkPage.yasgui.getTab().getYasqe().query()")
            page.wait_for_selector(".yasr table tbody tr", timeout=30_000)
        finally:
            browser.close()
    assert problems == []
    # A first visit opens on the project's prefixes and a query about this graph, not YASGUI's generic one.
    assert "PREFIX hk: <https://w3id.org/hyvinvointi-kg/ontology#>" in opening and "GROUP BY ?class" in opening
    assert {url.split("?")[0] for url in requests} == {endpoint.url + path for path in (
        "", "yasgui.min.js", "yasgui.min.css", "logo.svg", "prefixes.json", "query")}


def test_query_growing_past_the_memory_limit_is_stopped(frugal: Endpoint) -> None:
    # Sorting a cross product keeps every row: the engine would grow by gigabytes within the timeout.
    started = time.monotonic()
    status, text = _get(frugal.query_url, query="SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f")
    assert status == 503 and "more than 300 MB of memory" in text
    assert time.monotonic() - started < 20
    assert _answers(frugal)
