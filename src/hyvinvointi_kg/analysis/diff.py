"""What changed between two builds: projects added, removed, changed; organisations merged or split; new conflicts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.namespace import PROV, RDF, SKOS
from rdflib.term import Node

from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.i18n import Lang, translator
from hyvinvointi_kg.namespaces import HK, PREFIXES
from hyvinvointi_kg.stores.files import INFERRED_FILE, load_graph, parse_rdf

if TYPE_CHECKING:
    import pandas

__all__ = ["BuildDiff", "Conflict", "FactChange", "OrganisationChange", "diff_builds", "prefixed_name", "read_build"]

Build = Graph | Path
_COLUMNS = ("change", "subject", "property", "old", "new", "sources")


@dataclass(frozen=True)
class FactChange:
    """One fact of a project that differs: ``old`` → ``new`` (``None``: no such value in that build).

    ``subject`` is the project or one of its parts (``…/funding/esr``); ``sources`` are the
    source lines (``file:first-last``) of the claims that state the new value in the new
    build, or, for a removed value, the old value in the old build.
    """

    project: str
    subject: str
    property: str
    old: str | None
    new: str | None
    sources: tuple[str, ...]


@dataclass(frozen=True)
class OrganisationChange:
    """Organisations merged (several old IRIs' names now on one IRI) or split (one old IRI's names on several)."""

    kind: Literal["merged", "split"]
    old: tuple[str, ...]
    new: tuple[str, ...]
    labels: tuple[str, ...]


@dataclass(frozen=True)
class Conflict:
    """A subject and property with competing claims in the new build but not in the old."""

    subject: str
    property: str
    chosen: tuple[str, ...]
    competing: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class BuildDiff:
    """The difference between two builds, compared by stable IRIs and values."""

    added: tuple[str, ...]
    removed: tuple[str, ...]
    changes: tuple[FactChange, ...]
    unchanged: int
    organisations: tuple[OrganisationChange, ...]
    conflicts: tuple[Conflict, ...]

    @property
    def changed(self) -> tuple[str, ...]:
        """The projects in both builds with at least one changed fact, sorted."""
        return tuple(sorted({change.project for change in self.changes}))

    def is_empty(self) -> bool:
        """Whether nothing changed."""
        return not (self.added or self.removed or self.changes or self.organisations or self.conflicts)

    def lines(self, *, lang: Lang = "en") -> list[str]:
        """The difference as text in *lang*, one line per change, after a summary line.

        Examples
        --------
        >>> from rdflib import Graph
        >>> diff_builds(Graph(), Graph()).lines()
        ['projects: 0 added, 0 removed, 0 changed, 0 unchanged; organisations: 0 merged, 0 split; 0 new conflicts']
        >>> diff_builds(Graph(), Graph()).lines(lang="fi")[0].split(";")[0]
        'hankkeet: lisätty 0, poistettu 0, muuttunut 0, ennallaan 0'
        """
        t = translator(lang)
        none = t.gettext("(none)")

        def show(value: str | None) -> str:
            return none if value is None else _show(value)

        merged = sum(o.kind == "merged" for o in self.organisations)
        lines = [t.gettext("projects: {added} added, {removed} removed, {changed} changed, {unchanged} unchanged; "
                           "organisations: {merged} merged, {split} split; {conflicts} new conflicts").format(
            added=len(self.added), removed=len(self.removed), changed=len(self.changed), unchanged=self.unchanged,
            merged=merged, split=len(self.organisations) - merged, conflicts=len(self.conflicts))]
        lines += ["+ " + t.gettext("project {project}").format(project=prefixed_name(p)) for p in self.added]
        lines += ["- " + t.gettext("project {project}").format(project=prefixed_name(p)) for p in self.removed]
        for c in self.changes:
            where = f" ({'; '.join(c.sources)})" if c.sources else ""
            lines.append(f"~ {prefixed_name(c.subject)} {prefixed_name(c.property)}: "
                         f"{show(c.old)} -> {show(c.new)}{where}")
        for o in self.organisations:
            moved = (t.gettext("organisation merged: {old} -> {new}") if o.kind == "merged"
                     else t.gettext("organisation split: {old} -> {new}"))
            lines.append(("= " if o.kind == "merged" else "< ") + moved.format(
                old=", ".join(map(prefixed_name, o.old)), new=", ".join(map(prefixed_name, o.new))))
        for k in self.conflicts:
            lines.append("! " + t.gettext("new conflict {subject} {property}: chosen {chosen} over {competing} "
                                          "({sources})").format(
                subject=prefixed_name(k.subject), property=prefixed_name(k.property),
                chosen=", ".join(map(show, k.chosen)) or none, competing=", ".join(map(show, k.competing)),
                sources="; ".join(k.sources)))
        return lines

    def frame(self) -> pandas.DataFrame:
        """One row per change (columns change, subject, property, old, new, sources), e.g. for CSV.

        Raises
        ------
        ImportError
            If pandas is not installed (``pip install 'hyvinvointi_kg[dataframe]'``).

        Examples
        --------
        >>> from rdflib import Graph
        >>> list(diff_builds(Graph(), Graph()).frame().columns)
        ['change', 'subject', 'property', 'old', 'new', 'sources']
        """
        try:
            import pandas as pd
        except ImportError as err:  # pragma: no cover - depends on the environment
            raise ImportError("BuildDiff.frame() needs pandas: pip install 'hyvinvointi_kg[dataframe]'") from err
        return pd.DataFrame(self._rows(), columns=list(_COLUMNS))

    def _rows(self) -> list[tuple[str, str, str | None, str | None, str | None, str]]:
        rows: list[tuple[str, str, str | None, str | None, str | None, str]] = []
        rows += [("project added", p, None, None, None, "") for p in self.added]
        rows += [("project removed", p, None, None, None, "") for p in self.removed]
        rows += [("fact changed", c.subject, c.property, c.old, c.new, " | ".join(c.sources)) for c in self.changes]
        rows += [(f"organisation {o.kind}", " | ".join(o.old), None, " | ".join(o.old), " | ".join(o.new),
                  "") for o in self.organisations]
        rows += [("new conflict", k.subject, k.property, " | ".join(k.competing), " | ".join(k.chosen),
                  " | ".join(k.sources)) for k in self.conflicts]
        return rows


def prefixed_name(iri: str) -> str:
    """*iri* written with the project's prefixes (``hk:endDate``, ``hkid:project/S20154``); else as it is.

    Examples
    --------
    >>> prefixed_name("https://w3id.org/hyvinvointi-kg/ontology#endDate"), prefixed_name("urn:x:a")
    ('hk:endDate', 'urn:x:a')
    """
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(str(namespace)) and len(iri) > len(str(namespace)):
            return f"{prefix}:{iri[len(str(namespace)):]}"
    return iri


def _show(value: str) -> str:
    text = prefixed_name(value)
    return text if len(text) <= 80 else text[:79] + "…"


def _text(node: Node) -> str:
    """A value as compared: numbers by value (Oxigraph stores ``"1.50"^^xsd:decimal`` as ``"1.5"``)."""
    if isinstance(node, RDFLiteral):
        if node.language:
            return f"{node}@{node.language}"
        value = node.toPython()
        if isinstance(value, Decimal) and value.is_finite():
            return format(value.normalize(), "f")
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
    return str(node)


def read_build(path: Path, *, inferred: bool = False) -> Graph:
    """The graph of a build: its output folder (``places.ttl``, ``graph.ttl``) or one RDF file, as it is.

    Parameters
    ----------
    path
        A folder ``hyvinvointi-kg build -o`` wrote, or an RDF file (Turtle, N-Triples, RDF/XML …;
        the format from the extension), such as an old ``graph.ttl``.
    inferred
        Of a folder: also read its ``inferred.ttl`` (the entailments), when it has one.

    Raises
    ------
    InputError
        If *path* does not exist, or is a folder without ``graph.ttl``.
    RDFSyntaxError
        If a file does not parse.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "old.ttl").write_text("<urn:x:p> a <https://w3id.org/hyvinvointi-kg/ontology#Project> .")
    >>> len(read_build(folder / "old.ttl"))
    1
    >>> read_build(folder)
    Traceback (most recent call last):
    hyvinvointi_kg.errors.InputError: ...: no graph.ttl; name the output folder of a build or an RDF file
    """
    path = Path(path)
    if path.is_dir():
        if not (path / "graph.ttl").is_file():
            raise InputError(f"{path}: no graph.ttl; name the output folder of a build or an RDF file")
        return load_graph(data_dir=path, inferred=inferred and (path / INFERRED_FILE).is_file(),
                          ontology=False)
    if not path.exists():
        raise InputError(f"{path}: not found; name the output folder of a build or an RDF file")
    return parse_rdf(path)


def _graph(build: Build) -> Graph:
    return build if isinstance(build, Graph) else read_build(build)


def _projects(graph: Graph) -> set[str]:
    return {str(p) for p in graph.subjects(RDF.type, HK.Project) if isinstance(p, URIRef)}


def _facts(graph: Graph, projects: set[str]) -> dict[tuple[str, str], set[str]]:
    """(subject, property) → values, for each project and its parts (IRIs under the project's IRI)."""
    facts: dict[tuple[str, str], set[str]] = defaultdict(set)
    for s, p, o in graph:
        if not isinstance(s, URIRef) or isinstance(o, BNode):
            continue  # blank nodes are bookkeeping: compared by the IRIs and values around them
        if _owner(str(s), projects) is not None:
            facts[(str(s), str(p))].add(_text(o))
    return facts


def _owner(subject: str, projects: set[str]) -> str | None:
    """The project *subject* is or is a part of (``…/project/x/funding/esr`` → ``…/project/x``)."""
    while subject not in projects:
        if "/" not in subject:
            return None
        subject = subject.rsplit("/", 1)[0]
    return subject


def _claim_sources(graph: Graph) -> dict[tuple[str, str, str], tuple[str, ...]]:
    """(subject, property, value) → the sources (``file:first-last``, or ``file:sheet:row:column`` for a
    spreadsheet cell) of the claims stating it.

    Read as one scan per property, joined here: a store answers each scan at once, where a
    look-up per claim costs a call each (on Oxigraph 3 s instead of 0.3 s).
    """
    def pairs(prop: URIRef) -> dict[Node, list[Node]]:
        found: dict[Node, list[Node]] = defaultdict(list)
        for node, value in graph.subject_objects(prop):
            found[node].append(value)
        return found

    subject, predicate, value, derived = (pairs(prop) for prop in (RDF.subject, RDF.predicate, RDF.object,
                                                                    PROV.wasDerivedFrom))
    document, first, last, file = (pairs(prop) for prop in (HK.inDocument, HK.firstLine, HK.lastLine,
                                                            HK.fileName))
    sheet, row, column = (pairs(prop) for prop in (HK.sheetName, HK.rowNumber, HK.columnName))
    sources: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for claim in graph.subjects(RDF.type, HK.Claim):
        spans = [f"{name}:{a}-{b}" for span in derived.get(claim, ()) for doc in document.get(span, ())
                 for name in file.get(doc, ()) for a in first.get(span, ()) for b in last.get(span, ())]
        # a spreadsheet cell, as the tables and queries cite it: file:sheet:row:column
        spans += [f"{name}:{s}:{r}:{c}" for span in derived.get(claim, ()) for doc in document.get(span, ())
                  for name in file.get(doc, ()) for s in sheet.get(span, ()) for r in row.get(span, ())
                  for c in column.get(span, ())]
        for s in subject.get(claim, ()):
            for p in predicate.get(claim, ()):
                for o in value.get(claim, ()):
                    sources[(str(s), str(p), _text(o))].update(spans)
    return {key: tuple(sorted(lines, key=_line_order)) for key, lines in sources.items() if lines}


def _line_order(source: str) -> tuple[str, int, str]:
    file, _, lines = source.rpartition(":")
    return file, int(lines.split("-")[0]) if lines.split("-")[0].isdigit() else 0, source


def _fact_changes(old: Graph, new: Graph, common: set[str]) -> list[FactChange]:
    before, after = _facts(old, common), _facts(new, common)
    new_sources, old_sources = _claim_sources(new), _claim_sources(old)
    changes = []
    for subject, prop in sorted(set(before) | set(after)):
        gone = sorted(before.get((subject, prop), set()) - after.get((subject, prop), set()))
        come = sorted(after.get((subject, prop), set()) - before.get((subject, prop), set()))
        project = _owner(subject, common) or subject
        pairs: list[tuple[str | None, str | None]] = (
            [(gone[0], come[0])] if len(gone) == 1 and len(come) == 1
            else [(value, None) for value in gone] + [(None, value) for value in come])
        for old_value, new_value in pairs:
            # the claims behind the new value in the new build, or behind a removed one in the old
            key = (subject, prop, new_value) if new_value is not None else (subject, prop, old_value or "")
            sources = (new_sources if new_value is not None else old_sources).get(key, ())
            changes.append(FactChange(project, subject, prop, old_value, new_value, sources))
    return changes


def _labels(graph: Graph) -> dict[str, set[str]]:
    """Organisation IRI → its names (preferred and alternative, case-folded, spaces collapsed)."""
    names: dict[str, set[str]] = {}
    for org in graph.subjects(RDF.type, HK.Organisation):
        names[str(org)] = {" ".join(str(label).split()).casefold()
                           for prop in (SKOS.prefLabel, SKOS.altLabel) for label in graph.objects(org, prop)}
    return names


def _organisation_changes(old: Graph, new: Graph) -> list[OrganisationChange]:
    before, after = _labels(old), _labels(new)
    holders: dict[str, set[str]] = defaultdict(set)
    for org, names in after.items():
        for name in names:
            holders[name].add(org)
    merged: dict[str, set[str]] = defaultdict(set)
    changes = []
    for org, names in sorted(before.items()):
        now = set().union(*(holders.get(name, set()) for name in names)) if names else set()
        if len(now) >= 2:
            changes.append(OrganisationChange("split", (org,), tuple(sorted(now)), tuple(sorted(names))))
        elif len(now) == 1 and now != {org}:
            merged[next(iter(now))].add(org)
    for target, olds in sorted(merged.items()):
        if target in before:
            olds.add(target)  # the IRI that absorbed the others was there before
        changes.append(OrganisationChange(
            "merged", tuple(sorted(olds)), (target,),
            tuple(sorted(set().union(*(before[o] for o in olds))))))
    return sorted(changes, key=lambda c: (c.kind, c.old))


def _conflicts(graph: Graph) -> dict[tuple[str, str], list[URIRef | BNode]]:
    """(subject, property) with competing claims → all its claims."""
    keys = set()
    for claim in graph.subjects(HK.supersededBy, None):
        s, p = graph.value(claim, RDF.subject), graph.value(claim, RDF.predicate)
        if s is not None and p is not None:
            keys.add((str(s), str(p)))
    claims: dict[tuple[str, str], list[URIRef | BNode]] = defaultdict(list)
    for claim in graph.subjects(RDF.type, HK.Claim):
        key = (str(graph.value(claim, RDF.subject)), str(graph.value(claim, RDF.predicate)))
        if key in keys and isinstance(claim, (URIRef, BNode)):
            claims[key].append(claim)
    return claims


def _new_conflicts(old: Graph, new: Graph) -> list[Conflict]:
    before, after = _conflicts(old), _conflicts(new)
    sources = _claim_sources(new)
    conflicts = []
    for (subject, prop), claims in sorted(after.items()):
        if (subject, prop) in before:
            continue
        values = {_text(o) for c in claims if (o := new.value(c, RDF.object)) is not None}
        chosen = {_text(o) for o in new.objects(URIRef(subject), URIRef(prop))} & values
        spans = sorted({s for v in values for s in sources.get((subject, prop, v), ())}, key=_line_order)
        conflicts.append(Conflict(subject, prop, tuple(sorted(chosen)), tuple(sorted(values - chosen)),
                                  tuple(spans)))
    return conflicts


def diff_builds(old: Build, new: Build) -> BuildDiff:
    """What changed from the build *old* to the build *new*.

    Both are graphs, or builds as :func:`read_build` reads them: an output folder (``places.ttl``
    and ``graph.ttl``, without the ontology and the entailments) or one RDF file. Projects and
    organisations are compared by their stable IRIs and facts by value (numbers by number, so
    that a graph over Oxigraph, which writes ``1.50`` as ``1.5``, equals its file), so blank
    node labels and the content-derived claim IRIs do not count; a project whose facts (and
    those of its parts, such as ``…/funding/esr``) are all equal is unchanged.

    Parameters
    ----------
    old, new
        The two builds, as :class:`rdflib.Graph`, or as a folder or file :func:`read_build` reads.
        Give both in the same form: a graph with its entailments against one without differs in
        every project.

    Returns
    -------
    BuildDiff
        Projects added and removed (IRIs), fact changes of the projects in both with the
        source lines of each new value, the count of unchanged projects, organisations merged
        or split (by where their names went) and new conflicts (competing claims, one value
        chosen by rule, that the old build did not have).

    Raises
    ------
    InputError
        If a folder lacks a build's files or a path does not exist.

    Examples
    --------
    >>> from rdflib import Graph
    >>> head = '@prefix hk: <https://w3id.org/hyvinvointi-kg/ontology#> . @prefix p: <urn:p:> .'
    >>> old = Graph().parse(data=head + 'p:a a hk:Project ; hk:endDate "2020-12-31" .', format="turtle")
    >>> new = Graph().parse(data=head + 'p:a a hk:Project ; hk:endDate "2021-06-30" . p:b a hk:Project .',
    ...                     format="turtle")
    >>> d = diff_builds(old, new)
    >>> d.added, d.changed, d.unchanged
    (('urn:p:b',), ('urn:p:a',), 0)
    >>> print(d.lines()[2])
    ~ urn:p:a hk:endDate: 2020-12-31 -> 2021-06-30
    """
    old_graph, new_graph = _graph(old), _graph(new)
    before, after = _projects(old_graph), _projects(new_graph)
    common = before & after
    changes = _fact_changes(old_graph, new_graph, common)
    changed = {c.project for c in changes}
    return BuildDiff(
        added=tuple(sorted(after - before)),
        removed=tuple(sorted(before - after)),
        changes=tuple(changes),
        unchanged=len(common - changed),
        organisations=tuple(_organisation_changes(old_graph, new_graph)),
        conflicts=tuple(_new_conflicts(old_graph, new_graph)),
    )

