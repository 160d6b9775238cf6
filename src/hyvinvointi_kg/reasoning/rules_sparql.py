"""Rule inference as SPARQL updates on Oxigraph: takes a store or a graph, gives the triples the rules add.

The rules are those of :func:`hyvinvointi_kg.reasoning.entailments.entailments` with ``method="rules"``,
derived from the axioms in the data; ``entailments(graph, method="sparql")`` gives the same
triples through this module, and :func:`materialise_in_place` adds them to a store.
"""

from __future__ import annotations

import itertools
import re
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.namespaces import bind_prefixes
from hyvinvointi_kg.reasoning.closure import transitive_closure
from hyvinvointi_kg.stores.oxigraph import (
    LEXICAL_GRAPH,
    NAMESPACE,
    TermCodec,
    require_oxigraph,
    store_triples,
    stored_form,
)

if TYPE_CHECKING:
    import pyoxigraph

__all__ = ["entailments_sparql", "materialise_in_place"]

_RDF_TYPE = f"<{RDF.type}>"

_RULE = NAMESPACE + "rule:"


def _rule_quads(store: pyoxigraph.Store, rules: pyoxigraph.NamedNode) -> list[pyoxigraph.Quad]:
    """The rules :func:`~hyvinvointi_kg.reasoning.entailments.entailments` derives, as quads in *rules*."""
    import pyoxigraph as ox

    default = ox.DefaultGraph()

    def pairs(predicate: URIRef) -> Iterator[tuple[object, object]]:
        for quad in store.quads_for_pattern(None, ox.NamedNode(str(predicate)), None, default):
            yield quad.subject, quad.object

    def value(subject: object, predicate: URIRef) -> object | None:
        if not isinstance(subject, ox.NamedNode | ox.BlankNode):
            return None
        for quad in store.quads_for_pattern(subject, ox.NamedNode(str(predicate)), None, default):
            return quad.object
        return None

    sub_class: dict[object, set[object]] = defaultdict(set)
    for s, o in pairs(RDFS.subClassOf):
        if isinstance(o, ox.NamedNode) and s != o:
            sub_class[s].add(o)
    sub_property: dict[object, set[object]] = defaultdict(set)
    for s, o in pairs(RDFS.subPropertyOf):
        if s != o:
            sub_property[s].add(o)
    quads: list[pyoxigraph.Quad] = []

    def add(s: object, p: str, o: object) -> None:
        quads.append(ox.Quad(s, ox.NamedNode(_RULE + p), o, rules))  # type: ignore[arg-type]

    for relation, name in ((transitive_closure(sub_class), "superClass"),
                           (transitive_closure(sub_property), "superProperty")):
        for s, supers in relation.items():
            for o in supers:
                add(s, name, o)
    for s, o in pairs(OWL.inverseOf):
        add(s, "inverse", o)
        add(o, "inverse", s)
    for name, predicate in (("domain", RDFS.domain), ("range", RDFS.range)):
        for s, o in pairs(predicate):
            add(s, name, o)
    for quad in store.quads_for_pattern(None, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(OWL.TransitiveProperty)),
                                        default):
        add(quad.subject, "transitive", ox.Literal(True))
    for prop, head in pairs(OWL.propertyChainAxiom):
        steps, node, seen = [], head, {head}
        while node is not None and node != ox.NamedNode(str(RDF.nil)):
            first = value(node, RDF.first)
            if first is not None:
                steps.append(first)
            node = value(node, RDF.rest)
            if node in seen:
                raise InputError("owl:propertyChainAxiom: the list contains a recursive rdf:rest reference")
            seen.add(node)
        if len(steps) == 2:
            chain = ox.BlankNode()
            add(chain, "chain", prop)
            add(chain, "first", steps[0])
            add(chain, "second", steps[1])
    return quads


@dataclass(frozen=True)
class _Round:
    """The private named graphs of one round of a materialisation: the triples it added."""

    added: str
    added_lex: str

    @classmethod
    def fresh(cls, token: str, number: int) -> _Round:
        return cls(f"{NAMESPACE}added-{token}-{number}", f"{NAMESPACE}added-lexical-{token}-{number}")


_KEYS = "#keys#"
"""Where :func:`_materialise` puts the ``VALUES`` block of a split update (a comment otherwise)."""


@dataclass(frozen=True)
class _Update:
    """One rule of a round: the triple *head* concluded from the solutions of *where*.

    The rule runs once, or, split, once per *key*: once per subject of *predicate* in
    the rules graph, bound by a ``VALUES`` block at each ``_KEYS`` of *keyed* (else of
    *where*), so that one run concludes the triples of one property or class, not of all.
    A *lexical* rule concludes originals of literals (the lexical graph of :func:`load_store`).
    """

    head: str
    where: str
    lexical: bool = False
    key: str | None = None
    predicate: str | None = None
    keyed: str | None = None

    def body(self, bind: str | None) -> str:
        """The ``WHERE`` clause, for the key *bind* (a ``VALUES`` block or a filter) or, if None, whole."""
        return self.where if bind is None else (self.keyed or self.where).replace(_KEYS, bind)

    def update(self, now: _Round, bind: str | None = None) -> str:
        """The rule as one SPARQL update that adds its conclusions to the store and to the round *now*."""
        graph, added = ((f"GRAPH <{LEXICAL_GRAPH}> {{ {self.head} }}", now.added_lex) if self.lexical
                        else (self.head, now.added))
        return f"INSERT {{ {graph} GRAPH <{added}> {{ {self.head} }} }} WHERE {{ {self.body(bind)} }}"

    def construct(self, bind: str | None = None) -> str:
        """The rule as a query whose result is its conclusions (written to the store by the caller)."""
        return f"CONSTRUCT {{ {self.head} }} WHERE {{ {self.body(bind)} }}"


def _rule_round(rules: str, before: _Round | None) -> list[_Update]:
    """One semi-naive round of every rule.

    The first round (*before* is None) reads the whole default graph; later
    rounds join at least one atom with the triples the round *before* added,
    so each derivation is made once it becomes possible. A new triple goes to
    the default graph and to the graph of the round that concludes it. The originals of
    literals (the lexical graph of :func:`load_store`) are carried along the
    rules that copy an object: sub-properties, transitivity and chains.
    """
    r, lex, rule = f"<{rules}>", f"<{LEXICAL_GRAPH}>", _RULE

    def new(atom: str) -> str:
        return atom if before is None else f"GRAPH <{before.added}> {{ {atom} }}"

    def new_lex(atom: str) -> str:
        return f"GRAPH {lex if before is None else f'<{before.added_lex}>'} {{ {atom} }}"

    def either(left: str, right: str) -> str:
        return f"{left} {right}" if before is None else f"{{ {new(left)} {right} }} UNION {{ {left} {new(right)} }}"

    def either_lex(left: str, right: str) -> str:
        if before is None:
            return f"{left} GRAPH {lex} {{ {right} }}"
        return f"{{ {new(left)} GRAPH {lex} {{ {right} }} }} UNION {{ {left} {new_lex(right)} }}"

    def insert(head: str, body: str, key: tuple[str, str] | None = None, rule_atom: str = "") -> _Update:
        body = f"{_KEYS}\n{body}"
        var, predicate = key or (None, None)
        if _RDF_TYPE in head:
            # A type conclusion (subclass, domain, range) is drawn from many matches for few
            # resources: the distinct conclusions MINUS the known types, one anti-join. Every
            # head variable is bound by the body, so MINUS means FILTER NOT EXISTS here, which
            # Oxigraph evaluates per solution and which grew quadratically (range rule at 30,000
            # projects: 23 s against 0.6 s). Split by key, the known types are only those of the
            # key's conclusions (*rule_atom*), not all types once per key.
            variables = " ".join(sorted(set(re.findall(r"\?\w+", head))))
            distinct = f"{{ SELECT DISTINCT {variables} WHERE {{ {body} }} }}"
            keyed = f"{distinct} MINUS {{ {_KEYS}\n{rule_atom} {head} }}"
            return _Update(head, f"{distinct} MINUS {{ {head} }}", key=var, predicate=predicate,
                           keyed=keyed if key else None)
        return _Update(head, f"{body} FILTER NOT EXISTS {{ {head} }}", key=var, predicate=predicate)

    def insert_lex(head: str, body: str, key: tuple[str, str] | None = None) -> _Update:
        var, predicate = key or (None, None)
        return _Update(head, f"{_KEYS}\n{body} FILTER NOT EXISTS {{ GRAPH {lex} {{ {head} }} }}", lexical=True,
                       key=var, predicate=predicate)

    chain = f"GRAPH {r} {{ ?k <{rule}chain> ?q ; <{rule}first> ?p1 ; <{rule}second> ?p2 }}"
    # Split, the property rules run per property and the type rules per class or property
    # (their conclusions for a million projects would not fit one transaction).
    per_property = {name: ("?p", f"{rule}{name}") for name in ("superProperty", "inverse", "transitive",
                                                               "domain", "range")}
    sub_class = f"GRAPH {r} {{ ?c <{rule}superClass> ?sup }}"
    domain, range_ = f"GRAPH {r} {{ ?p <{rule}domain> ?c }}", f"GRAPH {r} {{ ?p <{rule}range> ?c }}"
    return [
        insert(f"?s {_RDF_TYPE} ?sup .", f"{sub_class} {new(f'?s {_RDF_TYPE} ?c .')}",
               ("?c", f"{rule}superClass"), sub_class),
        insert("?s ?q ?o .", f"GRAPH {r} {{ ?p <{rule}superProperty> ?q }} {new('?s ?p ?o .')}",
               per_property["superProperty"]),
        insert_lex("?s ?q ?e .", f"GRAPH {r} {{ ?p <{rule}superProperty> ?q }} {new_lex('?s ?p ?e .')}",
                   per_property["superProperty"]),
        insert("?o ?q ?s .", f"GRAPH {r} {{ ?p <{rule}inverse> ?q }} {new('?s ?p ?o .')} FILTER(!isLiteral(?o))",
               per_property["inverse"]),
        insert(f"?s {_RDF_TYPE} ?c .", f"{domain} {new('?s ?p ?o .')}", per_property["domain"], domain),
        insert(f"?o {_RDF_TYPE} ?c .", f"{range_} {new('?s ?p ?o .')} FILTER(!isLiteral(?o))",
               per_property["range"], range_),
        insert("?s ?p ?o .", f"GRAPH {r} {{ ?p <{rule}transitive> true }} {either('?s ?p ?m .', '?m ?p ?o .')}",
               per_property["transitive"]),
        insert_lex("?s ?p ?e .", f"GRAPH {r} {{ ?p <{rule}transitive> true }} "
                                 f"{either_lex('?s ?p ?m .', '?m ?p ?e .')}", per_property["transitive"]),
        insert("?s ?q ?o .", f"{chain} {either('?s ?p1 ?m .', '?m ?p2 ?o .')}"),
        insert_lex("?s ?q ?e .", f"{chain} {either_lex('?s ?p1 ?m .', '?m ?p2 ?e .')}"),
    ]


def _stream(store: pyoxigraph.Store, update: _Update, bind: str | None, now: _Round, scratch: Path) -> None:
    """Run *update* without a transaction: its conclusions go to a file, then into the store in bulk.

    A SPARQL update holds all its conclusions in one transaction, in memory; a
    million projects conclude tens of millions of triples. Here the query's result
    is written to *scratch* as it is evaluated, and read back into the store with
    ``bulk_extend``, which writes sorted files to disk (blank nodes keep their
    identifiers: ``parse`` does not rename them, unlike ``bulk_load``).
    """
    import pyoxigraph as ox

    result = store.query(update.construct(bind))
    assert isinstance(result, ox.QueryTriples)
    result.serialize(scratch, ox.RdfFormat.N_TRIPLES)
    if scratch.stat().st_size == 0:
        return
    target = ox.NamedNode(LEXICAL_GRAPH) if update.lexical else ox.DefaultGraph()
    added = ox.NamedNode(now.added_lex if update.lexical else now.added)
    Quad = ox.Quad

    def quads() -> Iterator[pyoxigraph.Quad]:
        for quad in ox.parse(path=scratch, format=ox.RdfFormat.N_TRIPLES):
            s, p, o = quad.subject, quad.predicate, quad.object
            yield Quad(s, p, o, target)
            yield Quad(s, p, o, added)

    store.bulk_extend(quads())


def _is_empty(store: pyoxigraph.Store, graph: str) -> bool:
    import pyoxigraph as ox

    return not any(True for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))


_SPLIT_ABOVE = 5_000_000
"""From this many triples in the default graph on, the property rules run property by property."""


def _holds_more_than(store: pyoxigraph.Store, triples: int) -> bool:
    """Whether the default graph of *store* holds more than *triples* triples (counting at most that many)."""
    import pyoxigraph as ox

    result = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT * WHERE {{ ?s ?p ?o }} LIMIT {triples + 1} }}")
    assert isinstance(result, ox.QuerySolutions)
    return int(next(iter(result))["n"].value) > triples


def _materialise(store: pyoxigraph.Store, token: str) -> list[_Round]:
    """Apply the rules to a fixpoint; returns the rounds, whose graphs hold the triples each added."""
    import tempfile

    import pyoxigraph as ox

    rules = f"{NAMESPACE}rules-{token}"
    quads = _rule_quads(store, ox.NamedNode(rules))
    store.extend(quads)
    # The properties or classes each rule runs for, in order; blank nodes, which VALUES cannot
    # hold, all in one run.
    keys: dict[str, dict[str, None]] = defaultdict(dict)
    for quad in quads:
        keys[quad.predicate.value][str(quad.subject) if isinstance(quad.subject, ox.NamedNode) else ""] = None
    split = _holds_more_than(store, _SPLIT_ABOVE)
    rounds: list[_Round] = []
    try:
        with tempfile.TemporaryDirectory(prefix="hyvinvointi-kg-rules-") as folder:
            scratch = Path(folder) / "conclusions.nt"
            while True:
                now = _Round.fresh(token, len(rounds))
                for update in _rule_round(rules, rounds[-1] if rounds else None):
                    if not split:
                        store.update(update.update(now))
                    elif update.key is None or update.predicate is None:
                        _stream(store, update, None, now, scratch)
                    else:
                        for key in keys.get(update.predicate, {}):
                            bind = f"VALUES {update.key} {{ {key} }}" if key else f"FILTER(isBlank({update.key}))"
                            _stream(store, update, bind, now, scratch)
                rounds.append(now)
                if _is_empty(store, now.added) and _is_empty(store, now.added_lex):
                    return rounds
    finally:
        store.remove_graph(ox.NamedNode(rules))


def _count(store: pyoxigraph.Store, graph: str) -> int:
    import pyoxigraph as ox

    result = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert isinstance(result, ox.QuerySolutions)
    return int(next(iter(result))["n"].value)


_DROP_BATCH = 100_000
"""A named graph of more quads than this is removed in transactions of this many quads."""


def _drop_graph(store: pyoxigraph.Store, graph: pyoxigraph.NamedNode) -> None:
    """Remove *graph* from *store*, in memory bounded by the batch, not by the graph.

    ``remove_graph`` deletes a graph in one transaction held in memory: the
    private graphs of a materialisation of a million projects, tens of millions
    of quads, outgrew 16 GB. A large graph is written to a temporary file and
    deleted from it in ``DELETE DATA`` updates of ``_DROP_BATCH`` triples
    (triples with blank nodes, which ``DELETE DATA`` cannot name, one by one).
    """
    import tempfile

    import pyoxigraph as ox

    if sum(1 for _ in itertools.islice(store.quads_for_pattern(None, None, None, graph), _DROP_BATCH + 1)) \
            <= _DROP_BATCH:
        store.remove_graph(graph)
        return
    with tempfile.TemporaryDirectory(prefix="hyvinvointi-kg-drop-") as scratch:
        path = Path(scratch) / "graph.nt"
        store.dump(path, ox.RdfFormat.N_TRIPLES, from_graph=graph)
        with path.open(encoding="utf-8") as lines:
            while batch := list(itertools.islice(lines, _DROP_BATCH)):
                named = [line for line in batch if "_:" not in line]
                store.update(f"DELETE DATA {{ GRAPH <{graph.value}> {{ {''.join(named)} }} }}")
                for quad in ox.parse("".join(line for line in batch if "_:" in line), format=ox.RdfFormat.N_TRIPLES):
                    store.remove(ox.Quad(quad.subject, quad.predicate, quad.object, graph))
    store.remove_graph(graph)


def materialise_in_place(store: pyoxigraph.Store) -> int:
    """Add the entailments of the rules to *store* in place, with SPARQL updates; return how many.

    The rules are those of :func:`hyvinvointi_kg.reasoning.entailments.entailments` (``method="rules"``),
    derived from the axioms in the store's default graph, which should hold
    the ontology: ``rdfs:subClassOf`` and ``rdfs:subPropertyOf`` (transitively),
    ``rdfs:domain``, ``rdfs:range``, ``owl:inverseOf``, ``owl:TransitiveProperty``
    and two-step ``owl:propertyChainAxiom``, applied to a fixpoint. The store
    is changed in place (unlike :func:`hyvinvointi_kg.reasoning.entailments.materialise`,
    which returns a new graph); the originals that :func:`load_store` keeps of
    literals are carried along, so ``validate(store, engine="sparql")`` stays exact afterwards.

    Each rule of a round is one update, one transaction. On a store of more than
    five million triples, where the conclusions of one rule outgrow a transaction
    held in memory, the rules run one property or class at a time, and each run's
    conclusions are written to a temporary file as they are found and then into
    the store in bulk, without a transaction; the private graphs that record
    each round's conclusions are removed in batches. A run that is killed leaves a store
    with part of the entailments, each of them right; running it again completes them.

    Returns
    -------
    int
        The number of triples added to the default graph.

    Examples
    --------
    >>> from hyvinvointi_kg.stores.files import load_ontology
    >>> from rdflib import URIRef
    >>> from hyvinvointi_kg.namespaces import HK
    >>> from hyvinvointi_kg.stores.oxigraph import load_store
    >>> g = load_ontology()
    >>> _ = g.add((URIRef("https://example.org/p"), HK.partner, URIRef("https://example.org/o")))
    >>> store = load_store(g)
    >>> materialise_in_place(store) > 0
    True
    >>> materialise_in_place(store)
    0
    """
    require_oxigraph()
    import pyoxigraph as ox

    # The private graphs of a run that was killed before its clean-up (see _materialise).
    for graph in list(store.named_graphs()):
        if isinstance(graph, ox.NamedNode) and graph.value.startswith((f"{NAMESPACE}added", f"{NAMESPACE}rules-")):
            _drop_graph(store, graph)
    token = uuid.uuid4().hex
    rounds: list[_Round] = []
    try:
        rounds = _materialise(store, token)
        return sum(_count(store, r.added) for r in rounds)
    finally:
        # (listed first: removing a graph while iterating over them deadlocks)
        for graph in list(store.named_graphs()):
            if isinstance(graph, ox.NamedNode) and graph.value.startswith(f"{NAMESPACE}added") and token in graph.value:
                _drop_graph(store, graph)


def entailments_sparql(data: Graph | pyoxigraph.Store) -> Graph:
    """Only the triples the rules add to *data*: the same triples as ``entailments(data, method="rules")``.

    Parameters
    ----------
    data
        An rdflib graph with the data and the ontology, or a store built by
        :func:`load_store`; neither is modified.

    Raises
    ------
    InputError
        If pyoxigraph is missing.

    Examples
    --------
    >>> from hyvinvointi_kg.stores.files import load_ontology
    >>> from hyvinvointi_kg.reasoning.entailments import entailments
    >>> from rdflib import URIRef
    >>> from hyvinvointi_kg.namespaces import HK
    >>> g = load_ontology()
    >>> _ = g.add((URIRef("https://example.org/p"), HK.partner, URIRef("https://example.org/o")))
    >>> set(entailments_sparql(g)) == set(entailments(g))
    True
    """
    require_oxigraph()
    import pyoxigraph as ox

    codec = TermCodec()
    store = ox.Store()
    lex = ox.NamedNode(LEXICAL_GRAPH)
    if isinstance(data, Graph):
        store_triples(store, data, codec, graph=ox.DefaultGraph(), lex_graph=lex)
    else:
        store.extend(data.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        store.extend(data.quads_for_pattern(None, None, None, lex))
    rounds = _materialise(store, uuid.uuid4().hex)
    added_graphs = " ".join(f"<{r.added}>" for r in rounds)
    lex_graphs = " ".join(f"<{r.added_lex}>" for r in rounds)
    # A new triple whose literal has a recorded original is reported through that original.
    query = (f"SELECT ?s ?p ?o WHERE {{ {{ VALUES ?g {{ {added_graphs} }} GRAPH ?g {{ ?s ?p ?o }} "
             f"FILTER(!isLiteral(?o) || NOT EXISTS {{ GRAPH <{LEXICAL_GRAPH}> {{ ?s ?p ?e }} "
             f"FILTER(sameTerm(?o, {stored_form('?e')})) }}) }} "
             f"UNION {{ VALUES ?g {{ {lex_graphs} }} GRAPH ?g {{ ?s ?p ?o }} }} }}")
    result = store.query(query)
    assert isinstance(result, ox.QuerySolutions)
    added = bind_prefixes(Graph())
    terms: dict[object, Node] = {}

    def term(value: object) -> Node:
        found = terms.get(value)
        if found is None:
            found = terms[value] = codec.to_rdflib(value)
        return found

    for row in result:
        added.add((term(row["s"]), term(row["p"]), term(row["o"])))
    return added
