"""Loading RDF into an Oxigraph store: takes an rdflib graph or RDF files, gives a ``pyoxigraph.Store``.

This module is the one place that converts terms between rdflib and pyoxigraph. Oxigraph
normalises literals when it stores them (``"0"^^xsd:positiveInteger`` becomes
``"0"^^xsd:integer``, ``"1.50"^^xsd:decimal`` becomes ``"1.5"``; see oxigraph/oxigraph#526).
:func:`load_store` therefore keeps the original of every literal that the store would change, or
that pySHACL would find ill-typed for its own datatype, in a private named graph, which
:mod:`hyvinvointi_kg.validation.sparql` and :mod:`hyvinvointi_kg.reasoning.rules_sparql` read. Literals are first
normalised as rdflib normalises them when it parses a file, so ``sh:pattern`` sees the same text
as pySHACL.

The names without an underscore other than :func:`load_store` are shared with those two modules.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from hyvinvointi_kg.errors import InputError, RDFSyntaxError

if TYPE_CHECKING:
    import pyoxigraph

    _Term: TypeAlias = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal
    _Binding: TypeAlias = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | pyoxigraph.Triple
    _Resource: TypeAlias = pyoxigraph.NamedNode | pyoxigraph.BlankNode
    _GraphName: TypeAlias = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.DefaultGraph

__all__ = ["load_store"]

NAMESPACE = "urn:x-hyvinvointi-kg:fast:"  # (named after the old module; stores on disk use it)
LEXICAL_GRAPH = NAMESPACE + "lexical"          # the named graph with the original of literals the store changes
ORIGINAL_OK = NAMESPACE + "ok:"           # datatype prefix: original of a well-typed literal
ORIGINAL_BAD = NAMESPACE + "no:"          # ... of a literal that fails sh:datatype of its own datatype
ORIGINAL_PLAIN = NAMESPACE + "pl:"        # ... of a plain literal (no datatype in rdflib)
STORE_MARK = NAMESPACE + "version"     # marks a store built by load_store
_EXTRA = "pip install 'hyvinvointi_kg[fast]'"


def require_oxigraph() -> None:
    try:
        import pyoxigraph  # noqa: F401
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise InputError(f"the Oxigraph store needs pyoxigraph: {_EXTRA}") from err



class TermCodec:
    """Converts terms between rdflib and pyoxigraph and encodes original literals.

    Blank nodes keep their identifiers where Oxigraph accepts them, so that
    results name the same blank nodes as the rdflib graph.
    """

    def __init__(self) -> None:
        self._named: dict[str, pyoxigraph.NamedNode] = {}
        self._iris: dict[str, URIRef] = {}
        self._to_blank: dict[BNode, pyoxigraph.BlankNode] = {}
        self._from_blank: dict[str, BNode] = {}

    def named(self, iri: str) -> pyoxigraph.NamedNode:
        import pyoxigraph as ox

        node = self._named.get(iri)
        if node is None:
            node = self._named[iri] = ox.NamedNode(iri)
        return node

    def resource(self, node: Node) -> _Resource:
        """An rdflib subject as a pyoxigraph term."""
        import pyoxigraph as ox

        if isinstance(node, URIRef):
            return self.named(str(node))
        if isinstance(node, BNode):
            blank = self._to_blank.get(node)
            if blank is None:
                try:
                    blank = ox.BlankNode(str(node))
                except ValueError:
                    blank = ox.BlankNode()
                    self._from_blank[blank.value] = node
                self._to_blank[node] = blank
            return blank
        raise InputError(f"cannot store {node!r} as a subject: only IRIs and blank nodes can be")

    def term(self, node: Node) -> _Term:
        """An rdflib term as a pyoxigraph term (the store may still normalise a literal)."""
        import pyoxigraph as ox

        if isinstance(node, Literal):
            if node.language:
                return ox.Literal(str(node), language=node.language)
            if node.datatype is None:
                return ox.Literal(str(node))
            return ox.Literal(str(node), datatype=self.named(str(node.datatype)))
        return self.resource(node)

    def original(self, literal: Literal, *, bad: bool) -> pyoxigraph.Literal:
        """*literal* encoded with an opaque datatype, so that the store keeps it as it is."""
        import pyoxigraph as ox

        if literal.datatype is None:
            marker = ORIGINAL_PLAIN + str(XSD.string)
        else:
            marker = (ORIGINAL_BAD if bad else ORIGINAL_OK) + str(literal.datatype)
        return ox.Literal(str(literal), datatype=self.named(marker))

    def iri(self, value: str) -> URIRef:
        iri = self._iris.get(value)
        if iri is None:
            iri = self._iris[value] = URIRef(value)
        return iri

    def to_rdflib(self, term: object) -> Node:
        """A pyoxigraph term as an rdflib term; encoded originals are decoded."""
        import pyoxigraph as ox

        if isinstance(term, ox.NamedNode):
            return self.iri(term.value)
        if isinstance(term, ox.BlankNode):
            return self._from_blank.get(term.value) or BNode(term.value)
        if isinstance(term, ox.Literal):
            if term.language:
                return Literal(term.value, lang=term.language)
            datatype = term.datatype.value
            if datatype.startswith(NAMESPACE):
                if datatype.startswith(ORIGINAL_PLAIN):
                    return Literal(term.value)
                return Literal(term.value, datatype=self.iri(datatype[len(ORIGINAL_OK):]))
            if datatype == str(XSD.string):
                return Literal(term.value)
            return Literal(term.value, datatype=self.iri(datatype))
        raise InputError(f"cannot convert {term!r} to rdflib (RDF 1.2 triple terms are not supported)")


def _value_has_python_type(value: object, datatype: URIRef) -> bool:
    """pySHACL's check that a literal's Python value fits its datatype (others pass)."""
    expected: dict[URIRef, type | tuple[type, ...]] = {
        XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: int, XSD.float: float,
        XSD.decimal: Decimal, XSD.boolean: bool, XSD.date: datetime.date, XSD.time: datetime.time,
        XSD.dateTime: datetime.datetime,
    }
    kind = expected.get(datatype)
    return kind is None or isinstance(value, kind)


def fails_own_datatype(literal: Literal) -> bool:
    """Whether pySHACL's ``sh:datatype`` of the literal's own datatype would reject it."""
    if literal.datatype is None or literal.language:
        return False
    return literal.ill_typed is True or not _value_has_python_type(literal.value, literal.datatype)


_Triple: TypeAlias = "tuple[_Resource, pyoxigraph.NamedNode, Literal]"


def store_triples(store: pyoxigraph.Store, triples: Iterable[tuple[Node, Node, Node]], codec: TermCodec, *,
                   graph: _GraphName, lex_graph: pyoxigraph.NamedNode) -> None:
    """Add rdflib triples to *graph* of *store*, and the originals of changed literals to *lex_graph*."""
    import pyoxigraph as ox

    typed: list[_Triple] = []
    terms: dict[Node, _Term] = {}
    quad = ox.Quad

    def converted() -> Iterator[pyoxigraph.Quad]:
        for s, p, o in triples:
            subject, predicate, obj = terms.get(s), terms.get(p), terms.get(o)
            if subject is None:
                subject = terms[s] = codec.resource(s)
            if predicate is None:
                if not isinstance(p, URIRef):
                    raise InputError(f"cannot store the predicate {p!r}: predicates are IRIs")
                predicate = terms[p] = codec.named(str(p))
            if obj is None:
                obj = terms[o] = codec.term(o)
            if isinstance(o, Literal) and o.datatype is not None:
                typed.append((subject, predicate, o))  # type: ignore[arg-type]
            yield quad(subject, predicate, obj, graph)  # type: ignore[arg-type]

    store.extend(converted())
    _store_originals(store, typed, codec, lex_graph)


def _store_file(store: pyoxigraph.Store, path: Path, codec: TermCodec, *, lex_graph: pyoxigraph.NamedNode) -> None:
    """Parse an RDF file with Oxigraph, normalise literals as rdflib would, add it to the default graph."""
    import pyoxigraph as ox

    fmt = ox.RdfFormat.from_extension(path.suffix.lstrip(".")) or ox.RdfFormat.TURTLE
    string, literal_type = str(XSD.string), ox.Literal
    normalised: dict[tuple[str, str], tuple[Literal, pyoxigraph.Literal | None]] = {}
    typed: list[_Triple] = []

    def normalise(value: str, datatype: pyoxigraph.NamedNode) -> tuple[Literal, pyoxigraph.Literal | None]:
        literal = Literal(value, datatype=codec.iri(datatype.value))
        return literal, (ox.Literal(str(literal), datatype=datatype) if str(literal) != value else None)

    def quads() -> Iterator[pyoxigraph.Quad]:
        for quad in ox.parse(path=str(path), format=fmt, rename_blank_nodes=True, without_named_graphs=True):
            obj = quad.object
            if type(obj) is literal_type and obj.language is None and obj.datatype.value != string:
                key = (obj.value, obj.datatype.value)
                found = normalised.get(key)
                if found is None:
                    found = normalised[key] = normalise(obj.value, obj.datatype)
                subject = quad.subject
                if not isinstance(subject, ox.NamedNode | ox.BlankNode):
                    raise InputError(f"{path}: RDF 1.2 triple terms are not supported")
                typed.append((subject, quad.predicate, found[0]))
                if found[1] is not None:
                    quad = ox.Quad(subject, quad.predicate, found[1])
            yield quad

    try:
        store.bulk_extend(quads())
    except SyntaxError as err:
        match = re.search(r"line (\d+)", str(err))
        raise RDFSyntaxError(str(path), int(match.group(1)) if match else None, str(err)) from err
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror or err}") from err
    _store_originals(store, typed, codec, lex_graph)


def _store_originals(store: pyoxigraph.Store, typed: list[_Triple], codec: TermCodec,
                     lex_graph: pyoxigraph.NamedNode) -> None:
    """Record the original of every typed literal whose stored form differs, or that is ill-typed.

    Each distinct literal is stored once in a scratch store and read back; if
    any literal of a stored form changed, all literals with that stored form are
    recorded, so that values the store merged stay apart.
    """
    import pyoxigraph as ox

    distinct = list(dict.fromkeys(literal for _, _, literal in typed))
    scratch = ox.Store()
    predicate = ox.NamedNode(NAMESPACE + "p")
    scratch.extend(ox.Quad(ox.NamedNode(f"{NAMESPACE}{i}"), predicate, codec.term(literal))
                   for i, literal in enumerate(distinct))
    stored: dict[int, object] = {}
    for quad in scratch:
        subject = quad.subject
        assert isinstance(subject, ox.NamedNode)
        stored[int(subject.value[len(NAMESPACE):])] = quad.object
    bad = [fails_own_datatype(literal) for literal in distinct]
    changed = {stored[i] for i, literal in enumerate(distinct) if bad[i] or codec.to_rdflib(stored[i]) != literal}
    originals = {literal: codec.original(literal, bad=bad[i])
                 for i, literal in enumerate(distinct) if stored[i] in changed}
    store.extend(ox.Quad(s, p, originals[literal], lex_graph) for s, p, literal in typed if literal in originals)
    store.add(ox.Quad(lex_graph, ox.NamedNode(STORE_MARK), ox.Literal("1"), lex_graph))


def load_store(source: Graph | Sequence[Path], *, path: Path | None = None) -> pyoxigraph.Store:
    """An Oxigraph store with *source* in its default graph, ready for the SPARQL engines.

    Parameters
    ----------
    source
        An rdflib graph, or RDF files (Turtle, N-Triples, RDF/XML; the format
        from the extension) to load as :func:`hyvinvointi_kg.stores.files.parse_rdf`
        would: literals are normalised as rdflib normalises them.
    path
        A folder for a persistent store (default: in memory).

    Returns
    -------
    pyoxigraph.Store
        The triples in the default graph, and in a private named graph the
        original of every literal that Oxigraph stores in another form.

    Raises
    ------
    InputError
        If pyoxigraph is missing, a file cannot be read, or *source* is a
        single string or path rather than a list of paths.
    RDFSyntaxError
        If a file does not parse.

    Examples
    --------
    >>> from rdflib import Graph
    >>> g = Graph().parse(data='<http://example.org/a> <http://example.org/n> 3 .', format="turtle")
    >>> len(list(load_store(g).quads_for_pattern(None, None, None, None)))  # the triple and a marker
    2
    """
    require_oxigraph()
    import pyoxigraph as ox

    if isinstance(source, str | bytes | Path):
        raise InputError("load_store() takes an rdflib Graph or a list of paths, not a single path")
    store = ox.Store(str(path)) if path is not None else ox.Store()
    codec = TermCodec()
    lex = ox.NamedNode(LEXICAL_GRAPH)
    if isinstance(source, Graph):
        store_triples(store, source, codec, graph=ox.DefaultGraph(), lex_graph=lex)
    else:
        for file in source:
            _store_file(store, Path(file), codec, lex_graph=lex)
    return store


def recorded_datatype(encoded: str) -> str:
    """SPARQL expression: the datatype of a recorded original (see :meth:`TermCodec.original`)."""
    return f"IRI(SUBSTR(STR(DATATYPE({encoded})), {len(ORIGINAL_OK) + 1}))"


def stored_form(encoded: str) -> str:
    """SPARQL expression: the term the store holds for a recorded original."""
    return f"STRDT(STR({encoded}), {recorded_datatype(encoded)})"
