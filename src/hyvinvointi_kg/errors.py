"""The error hierarchy of hyvinvointi_kg: one base class and a few specific subclasses."""

from __future__ import annotations

import re

__all__ = [
    "BuildError",
    "HyvinvointiKGError",
    "InputError",
    "QueryError",
    "RDFSyntaxError",
    "SourceError",
    "one_line",
    "shorten",
]

ECHO_LIMIT = 80
"""The most characters of a user's value an error message repeats."""


class HyvinvointiKGError(Exception):
    """Base class of every error this library raises on purpose."""


class InputError(HyvinvointiKGError):
    """A user-supplied file, name or value cannot be used (CLI exit code 2)."""


class SourceError(InputError):
    """A source document is missing, unreadable or not in the expected layout."""


class RDFSyntaxError(InputError):
    """An RDF file does not parse; the message names the file and, when known, the line."""

    def __init__(self, path: str, line: int | None, detail: str) -> None:
        self.path = path
        self.line = line
        self.detail = detail
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: RDF syntax error: {detail}")


class QueryError(InputError):
    """A query name, query text or query parameter is not valid."""


class BuildError(HyvinvointiKGError):
    """A build could not finish for a reason other than its input (a worker process died)."""


def shorten(value: object, limit: int = ECHO_LIMIT) -> str:
    """The ``repr`` of a user's *value*, cut to *limit* characters with an ellipsis.

    Examples
    --------
    >>> shorten("Kemi")
    "'Kemi'"
    >>> shorten("x" * 500, limit=10)
    "'xxxxxxxx…"
    """
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


_QUOTED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


def one_line(message: str, *, limit: int = ECHO_LIMIT) -> str:
    """*message* on one line, each quoted value in it cut to *limit* characters.

    The command line prints every error through this, so a message that
    repeats a 100 KB value, or a value with line breaks, stays one short line.

    Examples
    --------
    >>> one_line("--param expects key=value, got 'x\\nyyyyyyyyyyyyyyy'", limit=8)
    "--param expects key=value, got 'x yyyy…"
    """
    text = " ".join(message.split())
    text = _QUOTED.sub(lambda m: m.group() if len(m.group()) <= limit
                       else m.group()[: limit - 1] + "…", text)
    cap = 4 * limit + 200  # a value the quotes did not catch
    return text if len(text) <= cap else text[: cap - 1] + "…"
