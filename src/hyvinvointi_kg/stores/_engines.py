"""Oxigraph server processes behind the endpoint: one query at a time each, replaced when one fails."""

from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

from hyvinvointi_kg.errors import InputError

__all__ = ["Engine", "EnginePool", "EngineUnavailable"]


class EngineUnavailable(InputError):
    """No engine became free in time, or a replacement could not start."""


def free_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


class _Watcher:
    """A small process (:mod:`hyvinvointi_kg.stores._engine_watch`) told of every engine started
    and stopped, that kills the engines left when this process ends, however it ends: its end of
    the pipe is closed by the kernel even after SIGKILL. None of it where ``/proc`` is missing."""

    def __init__(self) -> None:
        from hyvinvointi_kg.stores._engine_watch import start_time

        self._start_time = start_time
        self._lock = threading.Lock()
        self.process: subprocess.Popen[bytes] | None = None
        if start_time(os.getpid()) is None:  # pragma: no cover - not Linux
            return
        script = Path(__file__).with_name("_engine_watch.py")
        self.process = subprocess.Popen([sys.executable, "-I", str(script)], stdin=subprocess.PIPE,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def _say(self, line: str) -> None:
        with self._lock:
            if self.process is None or self.process.stdin is None or self.process.stdin.closed:
                return
            try:
                self.process.stdin.write(line.encode("ascii"))
                self.process.stdin.flush()
            except OSError:  # the watcher is gone: the engines are stopped by the pool as before
                pass

    def started(self, pid: int) -> None:
        """Have the engine *pid* killed if this process ends without stopping it."""
        started = self._start_time(pid)
        if started is not None:
            self._say(f"+{pid} {started}\n")

    def stopped(self, pid: int) -> None:
        """The engine *pid* has been stopped and reaped."""
        self._say(f"-{pid}\n")

    def close(self) -> None:
        """End the watcher's input (it kills what is still listed) and reap it."""
        with self._lock:
            if self.process is None:
                return
            if self.process.stdin is not None:
                with suppress(OSError):
                    self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover - it only reads and kills
            self.process.kill()
            self.process.wait()


class Engine:
    """One ``oxigraph serve-read-only`` process on a private loopback port."""

    def __init__(self, argv: Callable[[str], Sequence[str]], *, start_timeout_s: float = 30.0,
                 watcher: _Watcher | None = None) -> None:
        self.port = free_port()
        self.stopped_for: str | None = None
        """Why the pool stopped it (for the request it was running), if it did."""
        self._watcher = watcher
        self._log: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the process
        self.process = subprocess.Popen([*argv(f"127.0.0.1:{self.port}")], stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=self._log)
        if watcher is not None:
            watcher.started(self.process.pid)
        deadline = time.monotonic() + start_timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self._log.seek(0)
                message = self._log.read(2000).decode("utf-8", "replace").strip()
                self._log.close()
                if watcher is not None:
                    watcher.stopped(self.process.pid)
                raise InputError(f"the oxigraph server stopped: {message[:300]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.02)
        self.stop()
        raise InputError(f"the oxigraph server did not start within {start_timeout_s:.0f} s")

    @property
    def alive(self) -> bool:
        """Whether the process still runs (asking reaps it if it has ended)."""
        return self.process.poll() is None

    def memory_bytes(self) -> int:
        """The process's own resident memory, without mapped files (Linux; 0 where ``/proc`` is missing)."""
        try:
            with open(f"/proc/{self.process.pid}/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("RssAnon:"):
                        return int(line.split()[1]) * 1024
        except (OSError, ValueError, IndexError):
            pass
        return 0

    def stop(self) -> None:
        """Kill the process and reap it; whatever it was doing stops now."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self._log.close()
        if self._watcher is not None:
            self._watcher.stopped(self.process.pid)


class EnginePool:
    """*size* engines, each lent to one request at a time.

    A request that times out or loses its engine marks it broken; the engine is
    killed, reaped and replaced before it is lent again. A watchdog thread reaps
    an engine that dies while idle, so no process is left a zombie, and kills
    one whose resident memory passes *max_memory_bytes* (its request fails).
    If this process dies without closing the pool (even by SIGKILL), a watcher
    process kills the engines (Linux; see :mod:`hyvinvointi_kg.stores._engine_watch`).
    """

    def __init__(self, argv: Callable[[str], Sequence[str]], *, size: int, max_memory_bytes: int) -> None:
        self._argv = argv
        self._max_memory = max_memory_bytes
        self._idle: queue.Queue[Engine | None] = queue.Queue()
        self._engines: list[Engine] = []
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._watcher = _Watcher()
        try:
            for _ in range(size):
                self._add(Engine(argv, watcher=self._watcher))
        except BaseException:
            self.close()
            raise
        self._watchdog = threading.Thread(target=self._watch, name="engine-watchdog", daemon=True)
        self._watchdog.start()

    def _add(self, engine: Engine) -> None:
        with self._lock:
            self._engines.append(engine)
        self._idle.put(engine)

    @property
    def pids(self) -> tuple[int, ...]:
        """The process ids of the engines now running."""
        with self._lock:
            return tuple(e.process.pid for e in self._engines if e.alive)

    def _watch(self) -> None:
        while not self._closed.wait(0.25):
            with self._lock:
                engines = list(self._engines)
            for engine in engines:
                if engine.alive and engine.memory_bytes() > self._max_memory:  # alive: poll() reaps the dead
                    engine.stopped_for = f"the query needed more than {self._max_memory // 1_000_000} MB of memory"
                    engine.process.kill()

    def _replace(self, engine: Engine | None) -> Engine:
        if engine is not None:
            engine.stop()
            with self._lock:
                if engine in self._engines:
                    self._engines.remove(engine)
        if self._closed.is_set():
            raise EngineUnavailable("the endpoint is stopping")
        fresh = Engine(self._argv, watcher=self._watcher)
        with self._lock:
            self._engines.append(fresh)
        return fresh

    @contextmanager
    def engine(self, *, wait_s: float) -> Iterator[Lease]:
        """Lend an engine for one request; wait up to *wait_s* seconds for one to be free.

        Raises
        ------
        EngineUnavailable
            If none is free in time, or a dead one cannot be replaced.
        """
        try:
            engine = self._idle.get(timeout=wait_s)
        except queue.Empty as err:
            raise EngineUnavailable(f"every query engine stayed busy for {wait_s:.0f} s") from err
        lease = Lease(engine)
        try:
            if engine is None or not engine.alive:
                try:
                    lease.engine = engine = self._replace(engine)
                except InputError as err:
                    lease.engine = None
                    raise EngineUnavailable(f"a query engine could not be restarted: {err}") from err
            yield lease
        finally:
            if lease.broken and lease.engine is not None:
                try:
                    lease.engine = self._replace(lease.engine)
                except InputError:
                    lease.engine = None  # the next request tries again
            self._idle.put(lease.engine)

    def close(self) -> None:
        """Stop every engine, busy or idle, and reap it."""
        self._closed.set()
        with self._lock:
            engines, self._engines = list(self._engines), []
        for engine in engines:
            engine.stop()
        self._watcher.close()


class Lease:
    """An engine lent to one request; :meth:`discard` has it replaced when given back."""

    def __init__(self, engine: Engine | None) -> None:
        self.engine = engine
        self.broken = False

    @property
    def port(self) -> int:
        """The engine's private port."""
        assert self.engine is not None
        return self.engine.port

    def discard(self) -> None:
        """Kill the engine now (what it runs stops) and have it replaced."""
        self.broken = True
        if self.engine is not None:
            self.engine.stop()
