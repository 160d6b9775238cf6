"""A local, read-only SPARQL 1.1 endpoint over the graph: Oxigraph's server behind a small guard.

:func:`serve` builds (once) a persistent Oxigraph store of the graph with its
entailments, starts the `oxigraph` server (``serve-read-only``, with its
per-query timeout) on a private loopback port, and in front of it a small
HTTP guard on the public port that

- refuses updates (``/update``, ``application/sparql-update`` bodies, and any
  write to the Graph Store ``/store``) with HTTP 403 and a message;
- refuses a result larger than *max_result_bytes* with HTTP 413 and a message
  (the result is never cut: a client gets all of it or a clear error);
- turns a query stopped by the timeout into HTTP 504 with a message (Oxigraph
  itself would answer 200 with a truncated body);
- passes everything else through unchanged: the SPARQL 1.1 Protocol at
  ``/query`` (GET and POST), reads of ``/store``, and Oxigraph's YASGUI query
  page at ``/``.

The guard binds 127.0.0.1 unless told otherwise. Stop it with Ctrl-C (or
SIGTERM); the server process goes with it.
"""

from __future__ import annotations

import http.client
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from hyvinvointi_kg.backends import build_store
from hyvinvointi_kg.errors import InputError

__all__ = ["Endpoint", "oxigraph_command", "running_endpoint", "serve"]

_HOP_BY_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te",
               "trailers", "transfer-encoding", "upgrade", "host", "content-length", "server", "date"}


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


def _free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass(frozen=True)
class Endpoint:
    """A running endpoint: its public URLs."""

    host: str
    port: int

    @property
    def url(self) -> str:
        """The base URL (the query page)."""
        return f"http://{self.host}:{self.port}/"

    @property
    def query_url(self) -> str:
        """The SPARQL 1.1 Protocol query endpoint."""
        return f"{self.url}query"


_CANCELLED = b"The SPARQL operation has been cancelled"


def _guard(upstream: tuple[str, int], max_result_bytes: int, timeout_s: int) -> type[BaseHTTPRequestHandler]:
    timeout = timeout_s + 5.0
    class Guard(BaseHTTPRequestHandler):
        server_version = "hyvinvointi-kg"
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return  # quiet; the server prints one line when it starts

        def _reply(self, status: int, text: str) -> None:
            body = (text + "\n").encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _is_write(self, body: bytes) -> bool:
            path = self.path.split("?", 1)[0].rstrip("/")
            content_type = self.headers.get("Content-Type", "")
            if path.endswith("/update") or "sparql-update" in content_type:
                return True
            if path.endswith("/store") and self.command not in ("GET", "HEAD"):
                return True
            if self.command == "POST" and "form-urlencoded" in content_type:
                return "update" in urllib.parse.parse_qs(body.decode("utf-8", "replace"))
            return False

        def _forward(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            if self.command not in ("GET", "HEAD", "POST", "OPTIONS") or self._is_write(body):
                self._reply(403, "this endpoint is read-only: SPARQL updates and Graph Store writes "
                                 "are refused")
                return
            headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP_BY_HOP}
            connection = http.client.HTTPConnection(*upstream, timeout=timeout)
            try:
                connection.request(self.command, self.path, body=body or None, headers=headers)
                response = connection.getresponse()
                data = response.read(max_result_bytes + 1)
                if len(data) > max_result_bytes:
                    self._reply(413, f"the result is larger than {max_result_bytes} bytes; add a LIMIT "
                                     "to the query or start the server with a larger --max-result-mb")
                    return
                if data.endswith(_CANCELLED):
                    # Oxigraph has already sent "200 OK" when its timeout cancels a query
                    # and ends the body with this sentence: not a result a client can parse.
                    self._reply(504, f"the query was stopped after the {timeout_s} s timeout; "
                                     "make it more selective or start the server with a larger --timeout")
                    return
                self.send_response(response.status, response.reason)
                for key, value in response.getheaders():
                    if key.lower() not in _HOP_BY_HOP:
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)
            except TimeoutError:
                self._reply(504, f"the query took longer than {timeout:.0f} s")
            except OSError as err:
                self._reply(502, f"the SPARQL server did not answer: {err}")
            finally:
                connection.close()

        do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _forward

    return Guard


def _wait_ready(host: str, port: int, process: subprocess.Popen[bytes], deadline: float) -> None:
    while time.monotonic() < deadline:
        if process.poll() is not None:
            stderr = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
            raise InputError(f"the oxigraph server stopped: {stderr.strip()[:300]}")
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise InputError("the oxigraph server did not start within 30 s")


@contextmanager
def running_endpoint(
    *,
    location: Path,
    port: int = 7878,
    host: str = "127.0.0.1",
    timeout_s: int = 30,
    max_result_bytes: int = 100_000_000,
    data_dir: Path | None = None,
) -> Iterator[Endpoint]:
    """Run the endpoint while the ``with`` block runs (see :func:`serve`)."""
    build_store(location, data_dir=data_dir)
    inner = _free_port()
    process = subprocess.Popen(
        [oxigraph_command(), "serve-read-only", "--location", str(location / "db"),
         "--bind", f"127.0.0.1:{inner}", "--timeout-s", str(timeout_s)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_ready("127.0.0.1", inner, process, time.monotonic() + 30)
        try:
            server = ThreadingHTTPServer((host, port), _guard(("127.0.0.1", inner), max_result_bytes,
                                                              timeout_s))
        except OSError as err:
            raise InputError(f"cannot listen on {host}:{port}: {err.strerror}; "
                             "choose another --port") from err
        server.daemon_threads = True
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield Endpoint(host, server.server_address[1])
        finally:
            server.shutdown()
            server.server_close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover
            process.kill()


def serve(
    *,
    location: Path,
    port: int = 7878,
    host: str = "127.0.0.1",
    timeout_s: int = 30,
    max_result_bytes: int = 100_000_000,
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
        Per-query timeout, enforced by Oxigraph.
    max_result_bytes
        Larger results are refused with HTTP 413.
    ready
        Called with the :class:`Endpoint` once it answers.
    """
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        with running_endpoint(location=location, port=port, host=host, timeout_s=timeout_s,
                              max_result_bytes=max_result_bytes, data_dir=data_dir) as endpoint:
            if ready is not None:
                ready(endpoint)
            try:
                while not stop.wait(0.5):
                    pass
            except KeyboardInterrupt:
                pass
    finally:
        signal.signal(signal.SIGTERM, previous)
