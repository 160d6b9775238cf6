"""The endpoint's Oxigraph engines never outlive it: not even a ``serve`` killed with SIGKILL.

See hyvinvointi_kg.stores._engine_watch; Linux only (it reads ``/proc``).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hyvinvointi_kg.stores._engine_watch import start_time
from hyvinvointi_kg.stores._engines import EnginePool

pytest.importorskip("pyoxigraph", reason="the endpoint tests need the 'serve' extra")
pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="needs Linux's /proc")


def _children(pid: int) -> dict[int, str]:
    """The processes whose parent is *pid*, with their command lines."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_bytes()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if int(stat.rsplit(b")", 1)[1].split()[1]) == pid:
            found[int(entry.name)] = cmdline
    return found


def _ended(pids: set[int], within_s: float) -> set[int]:
    """Those of *pids* still running (not ended, not a zombie) after *within_s* seconds."""
    deadline = time.monotonic() + within_s
    running = set(pids)
    while running and time.monotonic() < deadline:
        running = {pid for pid in running if start_time(pid) is not None}
        time.sleep(0.1)
    return running


def test_engines_exit_when_serve_is_killed_with_sigkill(store: Path) -> None:
    code = ("import sys; from pathlib import Path; from hyvinvointi_kg.stores.endpoint import serve; "
            "serve(location=Path(sys.argv[1]), port=0, engines=2, ready=lambda e: print(e.url, flush=True))")
    serve = subprocess.Popen([sys.executable, "-c", code, str(store)], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True)
    try:
        assert serve.stdout is not None
        assert serve.stdout.readline().startswith("http://127.0.0.1:")
        children = _children(serve.pid)
        engines = {pid for pid, command in children.items() if "serve-read-only" in command}
        watchers = {pid for pid, command in children.items() if "_engine_watch.py" in command}
        assert len(engines) == 2 and len(watchers) == 1
    finally:
        serve.send_signal(signal.SIGKILL)
        serve.wait(timeout=20)
    assert _ended(engines | watchers, within_s=5) == set()


def test_engine_pool_close_stops_its_watcher_and_engines() -> None:
    # Engines that are plain sleeping processes listening on nothing would not start: a tiny server.
    server = ("import socket,sys,time;h,p=sys.argv[1].rsplit(':',1);s=socket.socket();"
              "s.bind((h,int(p)));s.listen();time.sleep(600)")
    pool = EnginePool(lambda bind: [sys.executable, "-c", server, bind], size=2, max_memory_bytes=10**10)
    children = _children(os.getpid())
    engines = set(pool.pids)
    watchers = {pid for pid, command in children.items() if "_engine_watch.py" in command}
    assert len(engines) == 2 and len(watchers) == 1
    with pool.engine(wait_s=5) as lease:
        lease.discard()  # replaced: the watcher is told of the new one and forgets the old one
    replaced = set(pool.pids)
    assert len(replaced) == 2 and replaced != engines
    pool.close()
    assert _ended(engines | replaced | watchers, within_s=5) == set()
