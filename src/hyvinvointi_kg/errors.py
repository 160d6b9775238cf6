"""The error hierarchy of hyvinvointi_kg: one base class and a few specific subclasses."""

from __future__ import annotations

__all__ = [
    "HyvinvointiKGError",
    "InputError",
    "QueryError",
    "RDFSyntaxError",
    "SourceError",
]


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
