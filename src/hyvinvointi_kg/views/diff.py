"""What changed between two builds as HTML: a section of counts and tables, in Finnish, Swedish or English."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from rdflib import Graph, URIRef

from hyvinvointi_kg.analysis.diff import BuildDiff, prefixed_name
from hyvinvointi_kg.i18n import Lang, Nn_, default_lang, format_date, format_number, label, translator

__all__ = ["ChangedFact", "DiffView", "NewConflict", "OrganisationMove", "diff_html", "diff_view"]

_LONGEST = 200  # characters of a value shown; the diff command gives every value whole
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class ChangedFact:
    """One changed fact as a person reads it: names for identifiers, dates in the language's way."""

    project: str
    part: str
    """The part of the project the fact is about (``funding/esr``), empty for the project itself."""
    property: str
    old: str
    new: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class OrganisationMove:
    """Organisations merged or split: the kind in words, the names before and after."""

    kind: str
    old: tuple[str, ...]
    new: tuple[str, ...]


@dataclass(frozen=True)
class NewConflict:
    """A fact with competing claims that the previous build did not have: the value chosen, the others."""

    subject: str
    part: str
    property: str
    chosen: tuple[str, ...]
    competing: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class DiffView:
    """What the ``build_diff.html`` template shows of a :class:`~hyvinvointi_kg.analysis.diff.BuildDiff`.

    ``counts`` are ``(number, text)`` pairs (``("1", "project added")``); ``changes`` holds at most
    the *limit* :func:`diff_view` was given, ``more_changes`` how many were left out.
    """

    counts: tuple[tuple[str, str], ...]
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changes: tuple[ChangedFact, ...]
    more_changes: int
    organisations: tuple[OrganisationMove, ...]
    conflicts: tuple[NewConflict, ...]
    empty: bool


def _namer(graphs: Sequence[Graph], lang: Lang) -> Callable[[str], str]:
    """IRI → its name in the first of *graphs* that has one, else its prefixed form."""
    names: dict[str, str] = {}

    def name(iri: str) -> str:
        if iri not in names:
            names[iri] = prefixed_name(iri)
            for graph in graphs:
                found = label(graph, URIRef(iri), lang=lang)
                if found != iri:
                    names[iri] = found
                    break
        return names[iri]

    return name


def _located(iri: str, name: Callable[[str], str]) -> tuple[str, str]:
    """(name, part) of *iri*: the name of the nearest IRI above it that has one, and the path below that.

    ``…/project/S20154/funding/esr`` → (the project's title, ``"funding/esr"``).
    """
    whole, above = name(iri), iri
    while whole == prefixed_name(iri) and "/" in above.split("://", 1)[-1]:
        above = above.rsplit("/", 1)[0]
        if name(above) != prefixed_name(above):
            return name(above), iri[len(above):].lstrip("/")
    return whole, ""


def _value(value: str | None, name: Callable[[str], str], lang: Lang) -> str:
    """A fact's value to read: a name for an IRI, a date as the language writes it, long texts cut."""
    if value is None:
        return ""
    if value.startswith(("http://", "https://", "urn:")):
        return name(value)
    if _DATE.fullmatch(value):
        return format_date(date.fromisoformat(value), lang)
    return value if len(value) <= _LONGEST else value[: _LONGEST - 1] + "…"


def diff_view(diff: BuildDiff, *, graphs: Sequence[Graph] = (), lang: Lang | None = None,
              limit: int | None = None) -> DiffView:
    """*diff* prepared for reading in *lang*: names from *graphs*, counts in words, at most *limit* changed facts.

    Parameters
    ----------
    diff
        What :func:`~hyvinvointi_kg.analysis.diff.diff_builds` found.
    graphs
        Where to look up the names of projects, organisations and properties, first to last
        (the new build, then the old, which still names what was removed); an identifier
        without a name is shown with the project's prefixes (``hkid:project/S20154``).
    lang
        Language of the texts (default: :func:`~hyvinvointi_kg.i18n.default_lang`).
    limit
        Show at most this many changed facts (default: all).

    Examples
    --------
    >>> from hyvinvointi_kg.analysis.diff import diff_builds
    >>> head = '@prefix hk: <https://w3id.org/hyvinvointi-kg/ontology#> . @prefix p: <urn:p:> .'
    >>> old = Graph().parse(data=head + 'p:a a hk:Project ; hk:endDate "2020-12-31" .', format="turtle")
    >>> new = Graph().parse(data=head + 'p:a a hk:Project ; hk:endDate "2021-06-30" . p:b a hk:Project ; '
    ...                     '<http://purl.org/dc/terms/title> "Uusi hanke"@fi .', format="turtle")
    >>> view = diff_view(diff_builds(old, new), graphs=[new, old], lang="fi")
    >>> view.added, view.changes[0].old, view.changes[0].new
    (('Uusi hanke',), '31.12.2020', '30.6.2021')
    >>> view.counts[0]
    ('1', 'uusi hanke')
    """
    lang = default_lang() if lang is None else lang
    t = translator(lang)
    name = _namer(graphs, lang)
    merged = sum(o.kind == "merged" for o in diff.organisations)
    figures = [
        (len(diff.added), Nn_("{n} project added", "{n} projects added")),
        (len(diff.removed), Nn_("{n} project removed", "{n} projects removed")),
        (len(diff.changed), Nn_("{n} project changed", "{n} projects changed")),
        (diff.unchanged, Nn_("{n} project unchanged", "{n} projects unchanged")),
        (merged, Nn_("{n} organisation merged", "{n} organisations merged")),
        (len(diff.organisations) - merged, Nn_("{n} organisation split", "{n} organisations split")),
        (len(diff.conflicts), Nn_("{n} new conflict between sources", "{n} new conflicts between sources")),
    ]
    shown = diff.changes if limit is None else diff.changes[:limit]
    return DiffView(
        counts=tuple((format_number(n, lang), t.ngettext(*forms, n).format(n="").strip()) for n, forms in figures),
        added=tuple(name(p) for p in diff.added),
        removed=tuple(name(p) for p in diff.removed),
        changes=tuple(ChangedFact(project=name(c.project), part=c.subject[len(c.project):].lstrip("/"),
                                  property=name(c.property), old=_value(c.old, name, lang),
                                  new=_value(c.new, name, lang), sources=c.sources) for c in shown),
        more_changes=len(diff.changes) - len(shown),
        organisations=tuple(OrganisationMove(
            kind=t.gettext("merged") if o.kind == "merged" else t.gettext("split"),
            old=tuple(map(name, o.old)), new=tuple(map(name, o.new))) for o in diff.organisations),
        conflicts=tuple(NewConflict(
            *_located(k.subject, name), property=name(k.property),
            chosen=tuple(_value(v, name, lang) for v in k.chosen),
            competing=tuple(_value(v, name, lang) for v in k.competing), sources=k.sources)
            for k in diff.conflicts),
        empty=diff.is_empty(),
    )


def diff_html(diff: BuildDiff, *, graphs: Sequence[Graph] = (), lang: Lang | None = None,
              limit: int | None = None) -> str:
    """*diff* as an HTML fragment: a ``<section>`` with the counts and a table per kind of change.

    The section the overview report shows with ``previous=`` (template
    ``views/templates/build_diff.html``); every text from the data is escaped, and there is
    no script. The parameters are those of :func:`diff_view`.

    Examples
    --------
    >>> from hyvinvointi_kg.analysis.diff import diff_builds
    >>> html = diff_html(diff_builds(Graph(), Graph()), lang="sv")
    >>> html.startswith('<section class="build-diff">'), "<script" in html, "Vad har ändrats" in html
    (True, False, True)
    """
    from hyvinvointi_kg.views.pages import render_page

    lang = default_lang() if lang is None else lang
    return render_page("build_diff.html", lang=lang,
                       changes=diff_view(diff, graphs=graphs, lang=lang, limit=limit)).strip() + "\n"
