"""What a network view shows: the options shared by the HTML page, pyvis, the notebook and the figures."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.i18n import Lang, check_lang, default_lang

__all__ = ["ColorBy", "SizeBy", "ViewOptions"]

ColorBy = Literal["kind", "community"]
SizeBy = Literal["degree", "betweenness", "projects"]


@dataclass(frozen=True)
class ViewOptions:
    """How a network is drawn: one record passed to every view function.

    Attributes
    ----------
    color_by
        What the fill colour shows: the organisation ``"kind"`` or the Louvain ``"community"``.
    size_by
        What the node area shows: ``"degree"``, ``"betweenness"`` or the number of ``"projects"``.
    title
        The heading; ``None`` says what the network kind shows.
    filters
        The filters that produced the network (``{"municipality": "Rovaniemi"}``), named
        under the heading; an empty value is left out.
    seed
        Seeds the layout and the communities: the same seed gives the same picture.
    lang
        The language of every text of the view (``"fi"``, ``"sv"``, ``"en"``); ``None``:
        :func:`hyvinvointi_kg.i18n.default_lang` when the view is drawn (see :attr:`language`).

    Raises
    ------
    InputError
        For an unknown *color_by*, *size_by* or *lang*.

    Examples
    --------
    >>> options = ViewOptions(size_by="betweenness", filters={"period": "2018-2020"})
    >>> options.color_by, options.size_by, options.seed
    ('kind', 'betweenness', 42)
    >>> ViewOptions(lang="sv").language
    'sv'
    """

    color_by: ColorBy = "kind"
    size_by: SizeBy = "degree"
    title: str | None = None
    filters: Mapping[str, str] | None = None
    seed: int = 42
    lang: Lang | None = None

    @property
    def language(self) -> Lang:
        """:attr:`lang`, or the default language when it is ``None``."""
        return default_lang() if self.lang is None else self.lang

    def __post_init__(self) -> None:
        if self.lang is not None:
            check_lang(self.lang)
        if self.color_by not in ("kind", "community"):
            raise InputError(f"unknown color_by {self.color_by!r}; one of kind, community")
        if self.size_by not in ("degree", "betweenness", "projects"):
            raise InputError(f"unknown size_by {self.size_by!r}; one of degree, betweenness, projects")
