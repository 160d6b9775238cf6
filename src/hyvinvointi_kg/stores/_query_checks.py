"""Checks the endpoint makes on a SPARQL query before any engine sees it: size, nesting, SERVICE."""

from __future__ import annotations

import re
from collections.abc import Collection

from hyvinvointi_kg.errors import QueryError

__all__ = ["QueryRefused", "check_query"]


class QueryRefused(QueryError):
    """The endpoint refuses to run a query (HTTP 400); the message says why."""


# Tokens that can hide brackets: comments, strings and IRIs (SPARQL 1.1, §19.8).
_STRINGS = r"""\#[^\n\r]*
      | '''(?:[^'\\]|\\.|'(?!''))*(?:'''|\Z)
      | \"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\"|\Z)
      | '(?:[^'\\\n\r]|\\.)*(?:'|$|\Z)
      | "(?:[^"\\\n\r]|\\.)*(?:"|$|\Z)"""
_IRI = r"""| <[^<>"{}|^`\\\x00-\x20]*>"""
_OPAQUE = re.compile(_STRINGS + _IRI, re.VERBOSE | re.DOTALL | re.MULTILINE)
# '<' may also be "less than": read that way, what looked like an IRI is code.
_OPAQUE_NO_IRI = re.compile(_STRINGS, re.VERBOSE | re.DOTALL | re.MULTILINE)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# The keyword as a word: not part of a variable, prefixed name or longer word.
_SERVICE = re.compile(r"(?<![\w?$:\-])service(?![\w:\-])", re.IGNORECASE)


def _unescape(text: str) -> str:
    # SPARQL replaces \\uXXXX and \\UXXXXXXXX before parsing, so they may spell brackets and keywords.
    def character(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF else match.group(0)

    return _ESCAPE.sub(character, text)


def _depth(code: str) -> int:
    depth = deepest = 0
    for char in code:
        if char in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "})]":
            depth = max(0, depth - 1)
    return deepest


def nesting_depth(text: str) -> int:
    """The deepest nesting of ``{``, ``(`` and ``[`` outside comments, strings and IRIs.

    A ``<`` that could start an IRI or mean "less than" is read both ways and the
    deeper count kept, so an operator cannot hide brackets.

    Examples
    --------
    >>> nesting_depth('SELECT * WHERE { ?s ?p "{{{" . FILTER((1)) } # {{{{')
    3
    >>> nesting_depth('ASK { FILTER(?a<((((?b>1)))) }')
    6
    """
    return max(_depth(_OPAQUE.sub(" ", text)), _depth(_OPAQUE_NO_IRI.sub(" ", text)))


def mentions_service(text: str) -> bool:
    """Whether the keyword ``SERVICE`` may occur in *text*.

    A cheap, conservative test on the text as written, comments, strings and
    IRIs included: ``True`` may be a false alarm, ``False`` is certain.

    Examples
    --------
    >>> mentions_service('SELECT ?service WHERE { ?service ex:service "services" }')
    False
    >>> mentions_service('SELECT * WHERE { ?s ?p ?o .SERVICE <http://example.org/sparql> { ?s ?p ?o } }')
    True
    """
    return bool(_SERVICE.search(text))


def _service_targets(text: str) -> list[str]:
    """The IRI (or ``?variable``) of every SERVICE clause, read by rdflib's SPARQL parser."""
    from rdflib import URIRef
    from rdflib.plugins.sparql.algebra import translateQuery, traverse
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        algebra = translateQuery(parseQuery(text)).algebra
    except RecursionError as err:
        raise QueryRefused("the query nests too deeply for its SERVICE clauses to be checked") from err
    except Exception as err:  # pyparsing and rdflib raise several kinds
        raise QueryRefused(f"a query with SERVICE must parse to be checked, and this one does not: "
                           f"{str(err).splitlines()[0][:200]}") from err
    targets: list[str] = []

    def visit(node: object) -> None:
        if getattr(node, "name", None) == "ServiceGraphPattern":
            term = getattr(node, "term", None)
            targets.append(str(term) if isinstance(term, URIRef) else f"?{term}")

    traverse(algebra, visitPre=visit)
    return targets


def check_query(text: str, *, max_bytes: int, max_depth: int, allow_service: Collection[str] = ()) -> None:
    """Refuse a query that is too long, nests too deeply or calls a service not allowed.

    Parameters
    ----------
    text
        The query as the client sent it.
    max_bytes
        The longest query accepted, in UTF-8 bytes.
    max_depth
        The deepest nesting of brackets accepted (see :func:`nesting_depth`);
        checked before the query is parsed, since parsers recurse on nesting.
    allow_service
        The IRIs ``SERVICE`` may call; empty: none.

    Raises
    ------
    QueryRefused
        With a message for the client.

    Examples
    --------
    >>> check_query("ASK { ?s ?p ?o }", max_bytes=100, max_depth=8)
    >>> check_query("ASK { SERVICE <http://h/> { ?s ?p ?o } }", max_bytes=100, max_depth=8)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    hyvinvointi_kg.stores._query_checks.QueryRefused: SERVICE <http://h/> is not allowed ...
    """
    size = len(text.encode("utf-8"))
    if size > max_bytes:
        raise QueryRefused(f"the query is {size} bytes long; this endpoint accepts at most {max_bytes}")
    plain = _unescape(text)
    depth = max(nesting_depth(text), nesting_depth(plain))
    if depth > max_depth:
        raise QueryRefused(f"the query nests brackets {depth} deep; this endpoint accepts at most {max_depth}")
    if not (mentions_service(text) or mentions_service(plain)):
        return
    allowed = set(allow_service)
    for target in _service_targets(text):
        if target not in allowed:
            names = ", ".join(f"<{iri}>" for iri in sorted(allowed)) or "none"
            shown = target if target.startswith("?") else f"<{target}>"
            raise QueryRefused(f"SERVICE {shown} is not allowed on this endpoint (allowed: {names})")
