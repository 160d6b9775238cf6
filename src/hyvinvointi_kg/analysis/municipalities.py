"""Projects per municipality of a region, white spots included, with the region-wide projects apart."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from rdflib import Graph, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.namespace import XSD
from rdflib.term import Node

from hyvinvointi_kg._resources import resource_dir
from hyvinvointi_kg.dates import parse_period
from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.namespaces import HK
from hyvinvointi_kg.query import run_sparql

if TYPE_CHECKING:
    import pandas

__all__ = [
    "LAPLAND",
    "AreaProjects",
    "Municipality",
    "MunicipalityCounts",
    "municipality_counts",
    "read_municipalities",
]

LAPLAND = "19"
"""The region code of Lapland (Lappi), the default region."""

AreaKind = Literal["subregion", "region", "country"]

# Every target area of every selected project, with the codes that say what kind of place it is.
# The filters are those of queries/projects-by-filter.rq (in the outermost group, where the
# parameters' VALUES is in scope), but a project needs no lead implementer to be counted.
_PROJECT_AREAS = """
SELECT ?project ?title ?area ?municipality_code ?subregion_code ?region_code ?country ?area_label
WHERE {
  ?project a hk:Project ;
           hk:targetArea ?area .
  FILTER(IF(BOUND(?theme), EXISTS { ?project hk:theme ?theme }, true))
  FILTER(IF(BOUND(?target_group), EXISTS { ?project hk:targetGroup ?target_group }, true))
  FILTER(IF(BOUND(?funder), EXISTS { ?project hk:fundedBy ?funder }, true))
  OPTIONAL { ?project hk:startDate ?start_date }
  OPTIONAL { ?project hk:endDate ?end_date }
  FILTER(!BOUND(?active_to) || (BOUND(?start_date) && ?start_date <= ?active_to))
  FILTER(!BOUND(?active_from) || (BOUND(?end_date) && ?end_date >= ?active_from))
  OPTIONAL { ?area hk:municipalityCode ?municipality_code }
  OPTIONAL { ?area hk:subRegionCode ?subregion_code }
  OPTIONAL { ?area hk:regionCode ?region_code }
  OPTIONAL { ?area a hk:Country . BIND(true AS ?country) }
  OPTIONAL { ?area skos:prefLabel ?area_label FILTER(LANG(?area_label) = "fi") }
  OPTIONAL { ?project dcterms:title ?title_fi FILTER(LANG(?title_fi) = "fi") }
  OPTIONAL { ?project dcterms:title ?title_en FILTER(LANG(?title_en) = "en") }
  OPTIONAL { ?project dcterms:title ?title_plain FILTER(LANG(?title_plain) = "") }
  BIND(STR(COALESCE(?title_fi, ?title_en, ?title_plain, ?project)) AS ?title)
}
"""

@dataclass(frozen=True)
class Municipality:
    """A municipality of the official division (``data/reference/municipalities_fi.csv``)."""

    code: str
    name: str
    subregion_code: str
    subregion: str
    region_code: str
    region: str


@dataclass(frozen=True)
class AreaProjects:
    """The projects that name a whole sub-region, region or the country as their target area.

    ``projects`` are IRIs and ``titles`` their titles, in the same order
    (sorted by title).
    """

    kind: AreaKind
    code: str
    name: str
    projects: tuple[str, ...]
    titles: tuple[str, ...]


@dataclass(frozen=True)
class MunicipalityCounts:
    """Projects per municipality of a region, and the projects that cover it as a whole.

    Attributes
    ----------
    frame
        One row per municipality of the region (all 309 of Finland when
        ``region`` is None), those with no project included with 0: columns
        ``code`` (3 digits), ``name`` (Finnish), ``projects`` (distinct
        projects that name the municipality as a target area), sorted by name.
    pairs
        One row per municipality–project pair behind the counts: ``code``,
        ``project`` (IRI), ``title``.
    region_wide
        The sub-regions, regions and the country named as a whole by the
        selected projects (within the region, or containing it), each with its
        projects. A project that names both a municipality and its region
        counts in both places.
    region, region_name
        The region code and its Finnish name; None for all of Finland.
    filters
        The filters used, as text for people (``{"teema": "turvallisuus"}``).
    """

    frame: pandas.DataFrame
    pairs: pandas.DataFrame
    region_wide: tuple[AreaProjects, ...]
    region: str | None
    region_name: str | None
    filters: Mapping[str, str] = field(default_factory=dict)

    @property
    def region_wide_projects(self) -> tuple[str, ...]:
        """The distinct projects of :attr:`region_wide` (IRIs, sorted).

        Examples
        --------
        >>> from hyvinvointi_kg.stores.files import load_graph
        >>> len(municipality_counts(load_graph()).region_wide_projects)
        153
        """
        return tuple(sorted({p for area in self.region_wide for p in area.projects}))

    @property
    def white_spots(self) -> tuple[str, ...]:
        """The names of the municipalities with no project (sorted).

        Examples
        --------
        >>> from hyvinvointi_kg.stores.files import load_graph
        >>> municipality_counts(load_graph(), theme="turvallisuus").white_spots
        ('Keminmaa', 'Pello', 'Simo')
        """
        return tuple(sorted(self.frame.loc[self.frame["projects"] == 0, "name"]))


def read_municipalities(path: Path | None = None) -> tuple[Municipality, ...]:
    """The official municipalities, their sub-regions and regions (the bundled 2024 division).

    Parameters
    ----------
    path
        A CSV file with the columns of ``data/reference/municipalities_fi.csv``
        (default: that file).

    Raises
    ------
    InputError
        If the file is missing or lacks a column.

    Examples
    --------
    >>> everything = read_municipalities()
    >>> len(everything), sum(m.region_code == LAPLAND for m in everything)
    (309, 21)
    """
    path = path or resource_dir("data/reference") / "municipalities_fi.csv"
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            return tuple(
                Municipality(code=row["code"], name=row["name_fi"], subregion_code=row["subregion_code"],
                             subregion=row["subregion_fi"], region_code=row["region_code"], region=row["region_fi"])
                for row in csv.DictReader(handle))
    except OSError as err:
        raise InputError(f"{path}: cannot read the municipalities: {err}") from err
    except KeyError as err:
        raise InputError(f"{path}: no column {err} in the municipalities file") from err


def _bindings(graph: Graph, *, theme: URIRef | str | None, target_group: URIRef | str | None,
              funder: URIRef | str | None, period: tuple[date, date] | str | None
              ) -> tuple[dict[str, Node], dict[str, str]]:
    """The query's bound parameters and the filters as text for people."""
    from hyvinvointi_kg.assembly.vocabulary import preferred_label, resolve_name

    bindings: dict[str, Node] = {}
    text: dict[str, str] = {}
    for name, value, cls, what, shown in (("theme", theme, HK.Theme, "theme", "teema"),
                                          ("target_group", target_group, HK.TargetGroup, "target group",
                                           "kohderyhmä"),
                                          ("funder", funder, HK.FundingSource, "funder", "rahoittaja")):
        if value is not None:
            bindings[name] = resolve_name(graph, str(value), cls=cls, what=what)
            text[shown] = preferred_label(graph, bindings[name])
    if period is not None:
        first, last = parse_period(period) if isinstance(period, str) else period
        if last < first:
            raise InputError(f"the period {first.isoformat()}–{last.isoformat()} ends before it starts")
        bindings["active_from"] = RDFLiteral(first, datatype=XSD.date)
        bindings["active_to"] = RDFLiteral(last, datatype=XSD.date)
        text["ajanjakso"] = f"{first.day}.{first.month}.{first.year}–{last.day}.{last.month}.{last.year}"
    return bindings, text


def municipality_counts(
    graph: Graph,
    *,
    region: str | None = LAPLAND,
    theme: URIRef | str | None = None,
    target_group: URIRef | str | None = None,
    funder: URIRef | str | None = None,
    period: tuple[date, date] | str | None = None,
) -> MunicipalityCounts:
    """Count the projects per municipality of *region*, white spots and region-wide projects apart.

    The filters mean what they mean in the bundled ``projects-by-filter``
    query; every project counts, with or without a known lead implementer. A
    project counts in a municipality when it names the municipality as a target
    area (``hk:targetArea``), as ``municipality-profile`` lists them. Projects
    that name a sub-region or region as a whole are not spread over its
    municipalities: they are in :attr:`MunicipalityCounts.region_wide`. The
    rows are the official 2024 division (:func:`read_municipalities`), the
    one the bundled boundaries draw; the graph's places carry the same codes.
    Needs the inferred graph (``hk:fundedBy``), as :func:`load_graph` loads it.

    Parameters
    ----------
    graph
        The knowledge graph (:func:`hyvinvointi_kg.stores.files.load_graph`).
    region
        A two-digit region code (default ``"19"``, Lapland), or None for all of
        Finland.
    theme, target_group, funder
        An IRI or a name (a label in any language) of a theme, a direct target
        group, or a funder, fund or agency (``hk:fundedBy``).
    period
        ``(first, last)`` day, or a period as people write it (``"2018–2020"``):
        only projects whose dates overlap it (projects without both dates are left out).

    Returns
    -------
    MunicipalityCounts

    Raises
    ------
    InputError
        If *region* is not a region code, a name matches no concept, or the
        period ends before it starts.

    Examples
    --------
    >>> from hyvinvointi_kg.stores.files import load_graph
    >>> g = load_graph()
    >>> counts = municipality_counts(g)
    >>> len(counts.frame), int((counts.frame["projects"] == 0).sum())
    (21, 0)
    >>> int(counts.frame.set_index("name").loc["Rovaniemi", "projects"])
    33
    >>> [(a.name, len(a.projects)) for a in counts.region_wide][:2]
    [('Lappi', 152), ('Kemi-Tornio', 1)]
    >>> safety = municipality_counts(g, theme="turvallisuus")
    >>> safety.filters, safety.white_spots
    ({'teema': 'turvallisuus'}, ('Keminmaa', 'Pello', 'Simo'))
    """
    import pandas

    municipalities = read_municipalities()
    regions = {m.region_code: m.region for m in municipalities}
    if region is not None and region not in regions:
        raise InputError(f"no region with the code {region!r}; the codes are {', '.join(sorted(regions))}")
    members = [m for m in municipalities if region is None or m.region_code == region]
    subregion_region = {m.subregion_code: m.region_code for m in municipalities}
    codes = {m.code for m in members}

    bindings, filters = _bindings(graph, theme=theme, target_group=target_group, funder=funder, period=period)

    titles: dict[str, str] = {}
    pairs: set[tuple[str, str]] = set()
    wide: dict[tuple[AreaKind, str], tuple[str, set[str]]] = {}
    for row in run_sparql(graph, _PROJECT_AREAS, bindings=bindings).records():
        project = str(row["project"])
        titles[project] = str(row["title"])
        label = str(row["area_label"] or row["area"])
        if row["municipality_code"] is not None:
            if str(row["municipality_code"]) in codes:
                pairs.add((str(row["municipality_code"]), project))
            continue
        kind: AreaKind
        if row["subregion_code"] is not None:
            kind, code = "subregion", str(row["subregion_code"])
            inside = region is None or subregion_region.get(code) == region
        elif row["region_code"] is not None:
            kind, code = "region", str(row["region_code"])
            inside = region is None or code == region
        elif row["country"] is not None:
            kind, code, inside = "country", str(row["area"]).rsplit("/", 1)[-1], True
        else:
            continue  # a place of no known kind: not drawn
        if inside:
            wide.setdefault((kind, code), (label, set()))[1].add(project)

    order = {"country": 0, "region": 1, "subregion": 2}
    region_wide = tuple(
        AreaProjects(kind=kind, code=code, name=label,
                     projects=tuple(p for p in sorted(found, key=lambda p: (titles[p], p))),
                     titles=tuple(titles[p] for p in sorted(found, key=lambda p: (titles[p], p))))
        for (kind, code), (label, found) in sorted(wide.items(), key=lambda kv: (order[kv[0][0]], kv[0][1])))
    pair_frame = pandas.DataFrame(
        sorted(((code, project, titles[project]) for code, project in pairs), key=lambda r: (r[0], r[2], r[1])),
        columns=["code", "project", "title"])
    per_code = pair_frame.groupby("code")["project"].nunique()
    frame = pandas.DataFrame(
        [(m.code, m.name, int(per_code.get(m.code, 0))) for m in sorted(members, key=lambda m: (m.name, m.code))],
        columns=["code", "name", "projects"])
    return MunicipalityCounts(
        frame=frame, pairs=pair_frame, region_wide=region_wide, region=region,
        region_name=regions[region] if region is not None else None,
        filters=filters)
