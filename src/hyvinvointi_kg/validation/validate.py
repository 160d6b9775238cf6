"""SHACL validation with pySHACL (the only module that imports it) and a typed report."""

from __future__ import annotations

import functools
import json
import multiprocessing
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from queue import Empty
from typing import TYPE_CHECKING
from typing import Literal as TypingLiteral

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from hyvinvointi_kg.errors import BuildError, InputError, shorten
from hyvinvointi_kg.stores.files import load_ontology, load_shapes, parse_rdf
from hyvinvointi_kg.validation.report import Severity, ValidationReport, ValidationResult

if TYPE_CHECKING:
    import pyoxigraph

__all__ = [
    "Engine",
    "Severity",
    "ValidationReport",
    "ValidationResult",
    "load_data_files",
    "validate",
    "validate_in_background",
]


def _message(results: Graph, node: Node, lang: str) -> str:
    messages = list(results.objects(node, SH.resultMessage))
    tagged = sorted(str(m) for m in messages if isinstance(m, Literal) and m.language == lang)
    if tagged:
        return tagged[0]
    # No message in *lang*: the same one every run (untagged first, then by language and text),
    # not whichever the result graph happens to yield first.
    return str(min(messages, key=lambda m: (getattr(m, "language", None) or "", str(m)))) if messages else ""


def _severity(node: Node | None) -> Severity:
    if node == SH.Warning:
        return "Warning"
    if node == SH.Info:
        return "Info"
    return "Violation"


Engine = TypingLiteral["pyshacl", "sparql"]


def validate(graph: Graph | pyoxigraph.Store, *, engine: Engine = "pyshacl", shapes: Graph | None = None,
             with_ontology: bool = True) -> ValidationReport:
    """Validate *graph* against the project's SHACL shapes.

    Parameters
    ----------
    graph
        The data graph. It is not modified. With ``engine="sparql"`` it may also be a store
        built by :func:`hyvinvointi_kg.stores.oxigraph.load_store`.
    engine
        ``"pyshacl"`` (default): pySHACL, the reference implementation. ``"sparql"``: the
        shapes compiled to SPARQL and run on Oxigraph
        (:func:`hyvinvointi_kg.validation.sparql.validate_sparql`), the same report, tested,
        tens of times faster; it refuses a shape it cannot compile.
    shapes
        A shapes graph (default: the bundled ``ontology/shapes.ttl``).
    with_ontology
        Validate the union of *graph* and the ontology with its SKOS schemes, so
        that ``sh:class`` follows the subclass hierarchy and concepts are found
        in their schemes. Set to false when *graph* already contains them.

    Returns
    -------
    ValidationReport
        ``conforms`` and every result, sorted by focus node and shape.

    Raises
    ------
    InputError
        For an unknown engine, a store with ``engine="pyshacl"``, or (``"sparql"``) a shape
        the SPARQL engine does not compile or a missing pyoxigraph.

    Examples
    --------
    >>> from rdflib import Graph
    >>> bad = Graph().parse(data='''
    ... @prefix hk: <https://w3id.org/hyvinvointi-kg/ontology#> .
    ... <https://w3id.org/hyvinvointi-kg/id/place/kunta/999> a hk:Municipality ;
    ...     hk:municipalityCode "99" .
    ... ''', format="turtle")
    >>> report = validate(bad)
    >>> report.conforms
    False
    >>> validate(bad, engine="sparql") == report
    True
    """
    if engine == "sparql":
        from hyvinvointi_kg.validation.sparql import validate_sparql

        return validate_sparql(graph, shapes=shapes, with_ontology=with_ontology)
    if engine != "pyshacl":
        raise InputError(f"unknown validation engine {engine!r}; one of pyshacl, sparql")
    if not isinstance(graph, Graph):
        raise InputError(f"validate(engine='pyshacl') takes an rdflib Graph, not {type(graph).__name__}")
    import pyshacl

    data = Graph()
    data += graph
    if with_ontology:
        data += load_ontology()
    shapes = shapes if shapes is not None else load_shapes()
    _conforms, results_graph, _text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", allow_warnings=True, advanced=True,
    )
    results = []
    for node in results_graph.subjects(SH.resultSeverity, None):
        path = results_graph.value(node, SH.resultPath)
        value = results_graph.value(node, SH.value)
        results.append(ValidationResult(
            focus_node=str(results_graph.value(node, SH.focusNode)),
            path=str(path) if isinstance(path, URIRef) else None,
            value=str(value) if value is not None else None,
            severity=_severity(results_graph.value(node, SH.resultSeverity)),
            source_shape=str(results_graph.value(node, SH.sourceShape)),
            constraint=str(results_graph.value(node, SH.sourceConstraintComponent)),
            message_en=_message(results_graph, node, "en"),
            message_fi=_message(results_graph, node, "fi"),
        ))
    results.sort(key=lambda r: (r.focus_node, r.source_shape, r.path or "", r.value or ""))
    return ValidationReport(
        conforms=not any(r.severity == "Violation" for r in results),
        results=tuple(results),
    )


def load_data_files(paths: Sequence[Path]) -> Graph:
    """Parse RDF files into one graph for validation, never fetching anything over the network.

    A JSON-LD file whose ``@context`` (or a context's ``@import``) refers to
    another document is refused: the parser would fetch it, without a time
    limit, while a validation should depend on the files alone.

    Raises
    ------
    InputError
        If a file is missing or unreadable, or refers to a remote JSON-LD context.
    RDFSyntaxError
        If a file does not parse.

    Examples
    --------
    >>> import tempfile
    >>> remote = Path(tempfile.mkdtemp()) / "data.jsonld"
    >>> _ = remote.write_text('{"@context": "https://example.org/ctx.jsonld", "@id": "x"}')
    >>> try:
    ...     load_data_files([remote])
    ... except InputError as err:
    ...     print(str(err).split(": ", 1)[1][:64])
    the JSON-LD @context 'https://example.org/ctx.jsonld' is another
    """
    graph = Graph()
    for path in paths:
        if path.suffix.lower() in (".jsonld", ".json"):
            _refuse_remote_contexts(path)
        parse_rdf(path, into=graph)
    return graph


def _refuse_remote_contexts(path: Path) -> None:
    try:
        document = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError):
        return  # parse_rdf reports it
    try:
        reference = next(_context_references(document), None)
    except RecursionError as err:
        raise InputError(f"{path}: JSON nested too deeply to read") from err
    if reference is not None:
        raise InputError(f"{path}: the JSON-LD @context {shorten(reference)} is another "
                         "document, which is not fetched; put the context into the file")


def _context_references(node: object, *, in_context: bool = False) -> Iterator[str]:
    """Every string that names a context document (``@context``/``@import`` values) in *node*."""
    if isinstance(node, str):
        if in_context:
            yield node
    elif isinstance(node, list):
        for item in node:
            yield from _context_references(item, in_context=in_context)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key in ("@context", "@import"):
                yield from _context_references(value, in_context=True)
            elif not in_context or isinstance(value, (dict, list)):
                yield from _context_references(value, in_context=in_context and key == "@context")


def _validate_in_child(queue: multiprocessing.Queue, engine: Engine, graph: Graph) -> None:  # type: ignore[type-arg]
    try:
        queue.put(_validator(engine)(graph, with_ontology=False))
    except BaseException as err:  # report, do not hang the parent
        queue.put(err)


def _validator(engine: Engine) -> Callable[..., ValidationReport]:
    return functools.partial(validate, engine=engine)


def validate_in_background(graph: Graph, *, engine: Engine = "pyshacl") -> Callable[[], ValidationReport]:
    """Start validating *graph* (which already holds the ontology) in a forked process.

    Returns a function that waits for and returns the report, or raises
    :class:`~hyvinvointi_kg.errors.BuildError` if the process dies without one
    (killed, out of memory). The graph is not
    copied or pickled: the child is forked with it as an argument, no module state. Where ``fork`` is not
    available the validation runs when the function is called. *engine* is that of
    :func:`validate`: ``"pyshacl"`` (default) or ``"sparql"`` (the shapes as SPARQL on
    Oxigraph, the same results as pySHACL, tested).

    Examples
    --------
    >>> from hyvinvointi_kg.stores.files import load_ontology
    >>> wait = validate_in_background(load_ontology())
    >>> wait().conforms
    True
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        return lambda: _validator(engine)(graph, with_ontology=False)
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    # A forked child gets its arguments with the parent's memory: the graph is not pickled.
    process = context.Process(target=_validate_in_child, args=(queue, engine, graph), daemon=True)
    process.start()

    def wait() -> ValidationReport:
        while True:
            try:
                result = queue.get(timeout=0.5)
                break
            except Empty:
                if not process.is_alive():  # its last words may still be in the pipe
                    try:
                        result = queue.get(timeout=1.0)
                        break
                    except Empty:
                        raise BuildError(
                            f"the validation process died (exit code {process.exitcode}) "
                            "without a report; nothing was written") from None
        process.join()
        if isinstance(result, BaseException):
            raise result
        assert isinstance(result, ValidationReport)
        return result

    return wait
