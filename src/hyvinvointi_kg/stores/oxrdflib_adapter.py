"""The one place that touches oxrdflib: an rdflib graph over a pyoxigraph store, and reading its quads directly.

oxrdflib's public surface is its store class (``oxrdflib.store.OxigraphStore``); reading a
store's quads without converting every term of every triple needs two private pieces of it:
the store's ``_inner`` pyoxigraph store and the term converters of ``oxrdflib._converter``
(``from_ox``, ``to_ox_quad_pattern``). They are used here and nowhere else, and
``tests/test_oxrdflib_adapter.py`` pins them, so that an oxrdflib release that changes them
fails that one test with a message naming what changed.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from rdflib import Graph, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

if TYPE_CHECKING:
    import pyoxigraph

__all__ = ["graph_over_store", "objects_by_subject", "oxigraph_store"]


def graph_over_store(store: pyoxigraph.Store) -> Graph:
    """An rdflib graph (the default graph) over the pyoxigraph *store*; SPARQL runs on Oxigraph.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> store = ox.Store()
    >>> store.add(ox.Quad(ox.NamedNode("http://example.org/a"), ox.NamedNode("http://example.org/p"),
    ...                   ox.Literal("1")))
    >>> len(list(graph_over_store(store).triples((None, None, None))))
    1
    """
    from oxrdflib.store import OxigraphStore

    return Graph(store=OxigraphStore(store=store), identifier=DATASET_DEFAULT_GRAPH_ID)


def oxigraph_store(graph: Graph) -> pyoxigraph.Store | None:
    """The pyoxigraph store under *graph* when it is a plain graph over oxrdflib's store, else None.

    None also when oxrdflib's internals changed or the store is closed, so a caller reads
    through rdflib instead.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> oxigraph_store(graph_over_store(ox.Store())) is not None, oxigraph_store(Graph()) is None
    (True, True)
    """
    module = sys.modules.get("oxrdflib.store")  # not imported: no graph can be over its store
    if module is None or type(graph) is not Graph or not isinstance(graph.store, module.OxigraphStore):
        return None
    try:
        inner: pyoxigraph.Store = graph.store._inner
    except Exception:  # oxrdflib's internals changed or the store is closed: read through rdflib
        return None
    return inner


def objects_by_subject(graph: Graph, predicate: URIRef,
                       subjects: Collection[URIRef]) -> dict[URIRef, list[Node]] | None:
    """The objects of *predicate* per subject in *subjects*, read in one scan of an Oxigraph store.

    Each distinct term is converted to rdflib once (projects, places, themes and dates
    repeat) instead of oxrdflib converting every term of every triple, which is what makes
    it worth having (100,000 projects: 60 s through rdflib). None when *graph* is not over
    an Oxigraph store (see :func:`oxigraph_store`): the caller reads through rdflib.

    Examples
    --------
    >>> import pyoxigraph as ox
    >>> graph = graph_over_store(ox.Store())
    >>> _ = graph.parse(data="<http://e.org/a> <http://e.org/p> 1, 2 . <http://e.org/b> <http://e.org/p> 3 .",
    ...                 format="turtle")
    >>> found = objects_by_subject(graph, URIRef("http://e.org/p"), {URIRef("http://e.org/a")})
    >>> sorted(int(o) for o in found[URIRef("http://e.org/a")]), len(found)
    ([1, 2], 1)
    >>> objects_by_subject(Graph(), URIRef("http://e.org/p"), set()) is None
    True
    """
    inner = oxigraph_store(graph)
    if inner is None:
        return None
    import pyoxigraph as ox
    from oxrdflib._converter import from_ox, to_ox_quad_pattern

    wanted = {str(s) for s in subjects}
    values: dict[URIRef, list[Node]] = defaultdict(list)
    subject_terms: dict[Any, URIRef] = {}
    object_terms: dict[Any, Node] = {}
    for quad in inner.quads_for_pattern(*to_ox_quad_pattern((None, predicate, None), graph)):
        subject = quad.subject
        if not isinstance(subject, ox.NamedNode) or subject.value not in wanted:
            continue
        s, o = subject_terms.get(subject), object_terms.get(quad.object)
        if s is None:
            s = subject_terms[subject] = URIRef(subject.value)
        if o is None:
            converted: Node = from_ox(quad.object)  # type: ignore[assignment]  # a term, never None here
            o = object_terms[quad.object] = converted
        values[s].append(o)
    return values
