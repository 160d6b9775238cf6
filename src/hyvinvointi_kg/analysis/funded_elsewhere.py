"""Funded elsewhere? Organisations with several funders; overlapping projects of one implementer, funded apart."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import Graph

from hyvinvointi_kg.analysis.selection import Named, Period
from hyvinvointi_kg.dates import parse_period
from hyvinvointi_kg.query import run_query

if TYPE_CHECKING:
    import pandas

__all__ = ["FundedElsewhere", "funded_elsewhere"]

#: The two named queries, in queries/.
ORGANISATIONS_QUERY = "organisations-with-several-funders"
PAIRS_QUERY = "shared-implementer-different-funders"


@dataclass(frozen=True)
class FundedElsewhere:
    """The answers of the two "funded elsewhere?" queries, as data frames.

    ``organisations``: one row per organisation funded through two or more funders (the
    columns of ``organisations-with-several-funders``); ``pairs``: one row per pair of
    overlapping projects with a shared implementer and different funders (the columns of
    ``shared-implementer-different-funders``). Multi-valued cells are `` | ``-joined and sorted.
    """

    organisations: pandas.DataFrame
    pairs: pandas.DataFrame


def _sorted_lists(frame: pandas.DataFrame, columns: tuple[str, ...]) -> pandas.DataFrame:
    """GROUP_CONCAT's order is not defined: the lists sorted, so that every engine gives the same cells."""
    for column in columns:
        frame[column] = [" | ".join(sorted(v.split(" | "))) if isinstance(v, str) else v for v in frame[column]]
    return frame


def funded_elsewhere(graph: Graph, *, municipality: Named | None = None,
                     period: Period | None = None) -> FundedElsewhere:
    """Who is funded through several funders, and which projects of one implementer overlap with different funders.

    Runs the queries ``organisations-with-several-funders`` and
    ``shared-implementer-different-funders`` on *graph* (any backend).

    Parameters
    ----------
    graph
        The knowledge graph.
    municipality
        Only projects (for pairs: at least one of the two) that target this municipality or
        a place within it; an IRI or a name the graph knows (``"Kemi"``).
    period
        Only projects active in the period (for pairs: whose overlap meets it), as
        ``(first day, last day)`` or as people write it (``2019``, ``2018–2020``).

    Returns
    -------
    FundedElsewhere
        Two data frames, with the evidence (projects and source lines) in each row.

    Raises
    ------
    InputError
        If the period cannot be read.
    QueryError
        If the municipality is not known.

    Examples
    --------
    >>> from rdflib import Graph
    >>> g = Graph().parse(format="turtle", data='''
    ...     @prefix hk: <https://w3id.org/hyvinvointi-kg/ontology#> .
    ...     @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
    ...     @prefix : <urn:x:> .
    ...     :p1 hk:leadImplementer :org ; hk:hasFunding :f1 ;
    ...         hk:startDate "2019-01-01"^^xsd:date ; hk:endDate "2020-12-31"^^xsd:date .
    ...     :p2 hk:partner :org ; hk:hasFunding :f2 ;
    ...         hk:startDate "2020-06-01"^^xsd:date ; hk:endDate "2021-05-31"^^xsd:date .
    ...     :f1 hk:funder :esr . :f2 hk:funder :stea .
    ...     ''')
    >>> found = funded_elsewhere(g)
    >>> found.organisations[["organisation", "funders", "project_count"]].values.tolist()
    [['urn:x:org', 'urn:x:esr | urn:x:stea', 2]]
    >>> found.pairs[["role_a", "role_b", "overlap_start", "overlap_end"]].values.tolist()
    [['lead', 'partner', datetime.date(2020, 6, 1), datetime.date(2020, 12, 31)]]
    >>> len(funded_elsewhere(g, period="2018").pairs)
    0
    """
    params: dict[str, object] = {}
    if municipality is not None:
        params["municipality"] = municipality
    if period is not None:
        first, last = parse_period(period) if isinstance(period, str) else period
        params.update(active_from=first, active_to=last)
    organisations = run_query(graph, ORGANISATIONS_QUERY, **params).to_dataframe()
    pairs = run_query(graph, PAIRS_QUERY, **params).to_dataframe()
    return FundedElsewhere(
        organisations=_sorted_lists(organisations, ("funders", "projects", "sources")),
        pairs=_sorted_lists(pairs, ("sources_a", "sources_b")),
    )
