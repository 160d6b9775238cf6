"""Stops the endpoint's engines when the process that started them dies, even by SIGKILL (Linux).

Run by path (``python -I _engine_watch.py``, standard library only, so it starts in a few
milliseconds) by :class:`hyvinvointi_kg.stores._engines.EnginePool`, with its stdin a pipe from
the pool's process. It reads lines ``+PID START`` (an engine started; ``START`` is its start time,
field 22 of ``/proc/PID/stat``) and ``-PID`` (the pool stopped it). At the end of its input —
the pool closed, or its process died and the kernel closed the pipe — it kills the engines still
listed whose start time is unchanged (a pid the system has given to another process is left
alone), and exits. ``PR_SET_PDEATHSIG`` cannot do this: it follows the thread that started a
child, not the process, and engines are started by whichever request thread replaces one.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys


def start_time(pid: int) -> str | None:
    """The start time of process *pid* (clock ticks after boot), or None if it has ended."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return None
    # After the command name: state is field 3, so start time (field 22) is the 20th.
    return fields[19].decode("ascii") if len(fields) > 19 and fields[0] != b"Z" else None


def main() -> None:
    # Ctrl-C and a closed terminal reach the whole process group; this one waits for its input's end.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    engines: dict[int, str] = {}
    for line in sys.stdin.buffer:
        words = line.split()
        if len(words) == 2 and words[0].startswith(b"+"):
            engines[int(words[0][1:])] = words[1].decode("ascii")
        elif len(words) == 1 and words[0].startswith(b"-"):
            engines.pop(int(words[0][1:]), None)
    for pid, started in engines.items():
        if start_time(pid) == started:
            with contextlib.suppress(OSError):  # ended meanwhile
                os.kill(pid, signal.SIGKILL)


if __name__ == "__main__":
    main()
