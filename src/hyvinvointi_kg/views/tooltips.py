"""The plain-text tooltips of a network view: what each node and edge stands for, with its figures."""

from __future__ import annotations

import functools
import gettext
import re
from collections.abc import Hashable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from hyvinvointi_kg.analysis.networks import SEPARATOR
from hyvinvointi_kg.i18n import N_, Lang, Nn_, default_lang, translator
from hyvinvointi_kg.i18n import format_number as _format_number
from hyvinvointi_kg.views.centrality import NodeMetrics

__all__ = ["KIND_NAMES", "Tooltips", "format_number", "network_tooltips"]

#: The kinds of node the networks name (hk: classes), as tooltips and the overview name them (to translate).
KIND_NAMES = {
    "University": N_("University"), "UniversityOfAppliedSciences": N_("University of applied sciences"),
    "MunicipalityOrganisation": N_("Municipality organisation"),
    "JointMunicipalAuthority": N_("Joint municipal authority"), "StateAgency": N_("State agency"),
    "Ministry": N_("Ministry"), "RegionalCouncil": N_("Regional council"), "Association": N_("Association"),
    "Foundation": N_("Foundation"), "Company": N_("Company"), "OtherOrganisation": N_("Other organisation"),
    "Organisation": N_("Organisation"), "Project": N_("Project"), "Municipality": N_("Municipality"),
}

_LIST_LIMIT = 10  # project and neighbour names listed in a tooltip

# (projects, project_names) of an edge → its (IRI, name) pairs: each distinct edge text parsed once.
_ProjectMemo = dict[tuple[str, str], tuple[tuple[str, str], ...]]


@dataclass(frozen=True)
class Tooltips:
    """Plain text (lines separated by newlines) for each node and edge, and each node's project count.

    Attributes
    ----------
    nodes
        Node → its tooltip.
    edges
        Edge ``(u, v)`` (as ``G.edges`` yields it) → its tooltip.
    projects
        Node → number of projects in the selection (its ``projects`` attribute, 1 for a
        project, else the distinct projects of its ties).

    Examples
    --------
    >>> tips = Tooltips({"a": "A"}, {}, {"a": 1})
    >>> tips.nodes["a"], tips.projects["a"]
    ('A', 1)
    """

    nodes: Mapping[Hashable, str]
    edges: Mapping[tuple[Hashable, Hashable], str]
    projects: Mapping[Hashable, int]


def format_number(value: float, *, lang: Lang = "en") -> str:
    """*value* as the views print it: a whole number without decimals, else two decimals.

    Examples
    --------
    >>> format_number(3.0), format_number(0.4567), format_number(0.4567, lang="fi")
    ('3', '0.46', '0,46')
    """
    if float(value).is_integer():
        return _format_number(int(value), lang)
    return _format_number(value, lang, digits=2, fixed=True)


def network_tooltips(G: nx.Graph, metrics: NodeMetrics, *, lang: Lang | None = None) -> Tooltips:
    """The tooltip of every node and edge of *G*, as plain text (never markup).

    A node's tooltip names it, its kind and municipality, its projects in the selection
    (with roles where the network knows them), its degree, betweenness (with its rank) and
    community; a project's lists what it is tied to. An edge's tooltip names its ends and
    what the tie stands for (shared projects, roles, overlap score).

    Parameters
    ----------
    G
        A network from :func:`hyvinvointi_kg.analysis.networks.to_networkx`, or any networkx graph.
    metrics
        The figures of its nodes (:func:`hyvinvointi_kg.views.centrality.node_metrics`).
    lang
        The language of the texts (default: :func:`hyvinvointi_kg.i18n.default_lang`).

    Examples
    --------
    >>> from hyvinvointi_kg.views.centrality import node_metrics
    >>> G = nx.Graph([("a", "b")])
    >>> G.nodes["a"]["label"] = "Alpha ry"
    >>> tips = network_tooltips(G, node_metrics(G))
    >>> print(tips.nodes["a"])
    Alpha ry
    Projects in the selection: 0
    Degree (ties): 1 · weighted: 1
    Betweenness: 0.0000 (rank 1 of 2)
    Community: 1
    >>> print(tips.edges["a", "b"])
    Alpha ry — b
    Weight: 1
    """
    net = _Network.of(G, default_lang() if lang is None else lang)
    nodes = sorted(G.nodes, key=str)
    projects = {n: _project_count(G, n, net) for n in nodes}
    order = sorted(nodes, key=lambda n: (-metrics.betweenness.get(n, 0.0), str(n)))
    rank: dict[Hashable, int] = {}
    for i, n in enumerate(order):
        previous = order[i - 1] if i else None
        same = previous is not None and metrics.betweenness.get(previous, 0.0) == metrics.betweenness.get(n, 0.0)
        rank[n] = rank[previous] if same else i + 1
    return Tooltips(
        nodes={n: _node_tooltip(G, n, metrics, rank, projects[n], net) for n in nodes},
        edges={(u, v): _edge_tooltip(net, u, v, d) for u, v, d in G.edges(data=True)},
        projects=projects,
    )


@dataclass(frozen=True)
class _Network:
    """What the tooltips of one network share, worked out once rather than for every node and edge."""

    graph: nx.Graph
    lang: Lang
    t: gettext.NullTranslations
    kind: str
    directed: bool
    labels: dict[Hashable, Any]
    projects: _ProjectMemo
    listings: dict[str, tuple[int, str]]  # an edge's project_names → (how many, the lines listing them)
    # node → neighbour (successor) → edge data, and node → predecessor → edge data if directed;
    # both empty for a multigraph (there each neighbour maps to several edges).
    succ: dict[Hashable, Mapping[Hashable, Mapping[str, Any]]]
    pred: dict[Hashable, Mapping[Hashable, Mapping[str, Any]]]

    @classmethod
    def of(cls, G: nx.Graph, lang: Lang) -> _Network:
        simple = not G.is_multigraph()
        return cls(G, lang, translator(lang), str(G.graph.get("kind", "")), G.is_directed(),
                   {n: d.get("label", n) for n, d in G.nodes(data=True)}, {}, {},
                   dict(G.adjacency()) if simple else {},
                   dict(G.pred) if simple and G.is_directed() else {})

    def listing(self, project_names: str) -> tuple[int, str]:
        """How many projects an edge's ``project_names`` names, and its tooltip lines listing them."""
        found = self.listings.get(project_names)
        if found is None:
            names = _split(project_names)
            found = self.listings[project_names] = (len(names), "\n".join(_bullets(names, self)))
        return found

    def incident(self, n: Hashable) -> Iterator[tuple[Hashable, Hashable, Mapping[str, Any]]]:
        """The edges at *n* as ``G.edges(n, data=True)`` gives them (out-edges, then in-edges, if directed)."""
        G = self.graph
        if G.is_multigraph():
            if self.directed:
                yield from G.out_edges(n, data=True)
                yield from G.in_edges(n, data=True)
            else:
                yield from G.edges(n, data=True)
            return
        for v, d in self.succ[n].items():
            yield n, v, d
        if self.directed:
            for u, d in self.pred[n].items():
                yield u, n, d


@functools.cache
def _humanise(kind: str) -> str:
    words = re.findall(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+", kind) or [kind]
    return " ".join([words[0], *(w.lower() for w in words[1:])])


def _edge_projects(data: Mapping[str, Any], memo: _ProjectMemo) -> tuple[tuple[str, str], ...]:
    """(IRI, name) of each project an edge stands for; *memo* keeps each distinct pair of strings parsed once."""
    key = (str(data.get("projects", "")), str(data.get("project_names", "")))
    if (found := memo.get(key)) is not None:
        return found
    iris, names = _split(key[0]), _split(key[1])
    pairs = tuple(zip(iris, names, strict=True)) if len(iris) == len(names) else tuple(zip(names, names, strict=True))
    memo[key] = pairs
    return pairs


def _split(text: str) -> list[str]:
    parts = text.split(SEPARATOR)
    return [s for s in parts if s] if "" in parts else parts


def _project_count(G: nx.Graph, n: Hashable, net: _Network) -> int:
    value = G.nodes[n].get("projects")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value)
    if G.nodes[n].get("type") == "project":
        return 1
    return len({iri for _, _, d in net.incident(n) for iri, _ in _edge_projects(d, net.projects)})


def _node_tooltip(G: nx.Graph, n: Hashable, m: NodeMetrics, rank: Mapping[Hashable, int], projects: int,
                  net: _Network) -> str:
    _ = net.t.gettext
    data = G.nodes[n]
    kind = str(data.get("kind", ""))
    lines = [str(data.get("label", n))]
    kind_name = _(KIND_NAMES[kind]) if kind in KIND_NAMES else _humanise(kind) if kind else ""
    head = " · ".join(str(x) for x in (kind_name, data.get("municipality")) if x)
    if head:
        lines.append(head)
    is_project = data.get("type") == "project" or kind == "Project"
    if not is_project:
        lines.append(_("Projects in the selection: {n}").format(n=projects))
    lines.append(_("Degree (ties): {degree} · weighted: {weighted}").format(
        degree=m.degree.get(n, 0), weighted=format_number(m.weighted_degree.get(n, 0.0), lang=net.lang)))
    betweenness = _format_number(m.betweenness.get(n, 0.0), net.lang, digits=4, fixed=True)
    lines.append((_("Betweenness (estimated): {value} (rank {rank} of {total})") if m.estimated
                  else _("Betweenness: {value} (rank {rank} of {total})")).format(
        value=betweenness, rank=rank[n], total=len(G)))
    lines.append(_("Community: {number}").format(number=m.community.get(n, 0) + 1))
    if is_project:
        lines.extend(_neighbour_lines(n, net))
    else:
        lines.extend(_project_lines(n, kind, net))
    return "\n".join(lines)


def _role(role: str, net: _Network) -> str:
    """A role (``lead``, ``partner``) as the tooltips name it."""
    names = {"lead": net.t.pgettext("role", "lead"), "partner": net.t.pgettext("role", "partner")}
    return names.get(role, role)


def _neighbour_lines(n: Hashable, net: _Network) -> list[str]:
    """A project's tooltip lines on the nodes it is tied to (with roles or overlap scores)."""
    _ = net.t.gettext
    neighbours = []
    for u, v, d in net.incident(n):
        other = v if u == n else u
        if "role" in d:
            extra = f" ({_role(str(d['role']), net)})"
        elif net.kind == "project-overlap":
            extra = " (" + _("score {value}").format(
                value=format_number(float(d.get("weight", 0)), lang=net.lang)) + ")"
        else:
            extra = ""
        neighbours.append(f"{net.labels[other]}{extra}")
    heading = {"organisation-project": N_("Implementers"), "project-overlap": N_("Overlaps with")}.get(
        net.kind, N_("Linked to"))
    return _listing(_(heading), neighbours, net)


def _project_lines(n: Hashable, kind: str, net: _Network) -> list[str]:
    """An organisation's (or a place's) tooltip lines on the projects of its ties, with roles where known."""
    _ = net.t.gettext
    names: dict[str, str] = {}  # project IRI → name, in the order the ties give them
    roles: dict[str, set[str]] = {}  # only projects with a role
    lead_partner = net.directed and net.kind == "lead-partner"
    for u, _v, d in net.incident(n):
        role: str | None = None
        if "role" in d:
            role = str(d["role"])
        elif lead_partner:
            role = "lead" if u == n else "partner"
        for iri, name in _edge_projects(d, net.projects):
            names.setdefault(iri, name)
            if role is not None:
                roles.setdefault(iri, set()).add(role)
    lines = []
    if net.kind == "lead-partner":
        led = sum("lead" in r for r in roles.values())
        partnered = sum("partner" in r for r in roles.values())
        lines.append(_("Lead in {led} and partner in {partnered} of the projects with ties here").format(
            led=led, partnered=partnered))
    if kind == "Municipality":
        heading = N_("Projects targeting it")
    else:
        heading = {"co-implementation": N_("Projects with partners in this network"),
                   "organisation-municipality": N_("Projects targeting these municipalities")}.get(
            net.kind, N_("Projects"))
    entries = [f"{name} ({', '.join(sorted(_role(x, net) for x in r))})" if (r := roles.get(iri)) else name
               for iri, name in names.items()]
    return [*lines, *_listing(_(heading), entries, net)]


def _listing(heading: str, entries: list[str], net: _Network) -> list[str]:
    return [f"{heading} ({len(entries)}):", *_bullets(entries, net)] if entries else []


def _bullets(entries: list[str], net: _Network) -> list[str]:
    """The first entries by name (case ignored), one a line, and how many more there are."""
    if len(entries) > 1:
        entries = sorted(entries, key=str.casefold)
    lines = [f"• {e}" for e in entries[:_LIST_LIMIT]]
    if len(entries) > _LIST_LIMIT:
        lines.append(net.t.gettext("… and {n} more").format(n=len(entries) - _LIST_LIMIT))
    return lines


def _edge_tooltip(net: _Network, u: Hashable, v: Hashable, data: Mapping[str, Any]) -> str:
    _ = net.t.gettext
    arrow = "→" if net.directed else "—"
    source, target = net.labels[u], net.labels[v]
    first = f"{source} {arrow} {target}"
    if "role" in data:
        return f"{first}\n" + _("Role: {role}").format(role=_role(str(data["role"]), net))
    if net.kind == "project-overlap":
        return "\n".join([first, *_overlap_lines(data, net)])
    count, listed = net.listing(str(data.get("project_names", "")))
    weight = float(data.get("weight", count or 1))
    number = format_number(weight, lang=net.lang)
    many = 1 if weight == 1 else 2
    if net.kind == "co-implementation":
        summary = net.t.ngettext(*Nn_("{n} shared project", "{n} shared projects"), many).format(n=number)
    elif net.kind == "lead-partner":
        summary = net.t.ngettext(*Nn_("{n} project led by {source} with {target} as partner",
                                      "{n} projects led by {source} with {target} as partner"), many).format(
            n=number, source=source, target=target)
    elif net.kind == "organisation-municipality":
        summary = net.t.ngettext(*Nn_("{n} project of {source} targeting {target}",
                                      "{n} projects of {source} targeting {target}"), many).format(
            n=number, source=source, target=target)
    else:
        summary = _("Weight: {value}").format(value=number)
    return f"{first}\n{summary}\n{listed}" if listed else f"{first}\n{summary}"


def _overlap_lines(data: Mapping[str, Any], net: _Network) -> list[str]:
    _ = net.t.gettext
    lines = [_("Overlap score: {value}").format(value=format_number(float(data.get("weight", 0)), lang=net.lang))]
    for key, label in (("overlap_days", N_("Overlapping days: {value}")),
                       ("text_similarity", N_("Text similarity: {value}")),
                       ("municipalities", N_("Shared municipalities: {value}"))):
        if data.get(key) not in (None, ""):
            value = data[key]
            lines.append(_(label).format(value=format_number(value, lang=net.lang) if isinstance(value, float)
                                         else value))
    return lines
