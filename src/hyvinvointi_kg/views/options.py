"""What a network view shows: the options shared by the HTML page, pyvis, the notebook and the figures."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any, Literal

from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.i18n import Lang, check_lang, default_lang

__all__ = ["ColorBy", "SizeBy", "ViewOptions", "merge_keywords"]

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


_NAMES = frozenset(f.name for f in fields(ViewOptions))


def merge_keywords(options: ViewOptions, keywords: Mapping[str, Any], *, caller: str) -> ViewOptions:
    """*options* with the keywords of the earlier signatures applied, and a :class:`DeprecationWarning`.

    Before :class:`ViewOptions`, the view functions took ``color_by``, ``size_by``, ``title``,
    ``filters`` and ``seed`` as keywords of their own; for one release they still do, through
    this function. It is removed with them.

    Raises
    ------
    TypeError
        For a keyword that is not a field of :class:`ViewOptions`, as Python would.
    InputError
        For an unknown *color_by* or *size_by*.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True):
    ...     merge_keywords(ViewOptions(), {"seed": 7}, caller="write_html").seed
    7
    >>> merge_keywords(ViewOptions(seed=3), {}, caller="write_html").seed
    3
    """
    if not keywords:
        return options
    unknown = sorted(set(keywords) - _NAMES)
    if unknown:
        raise TypeError(f"{caller}() got unexpected keyword arguments: {', '.join(unknown)}")
    names = ", ".join(f"{k}=…" for k in keywords)
    warnings.warn(f"{caller}({names}) is deprecated: pass options=ViewOptions({names})",
                  DeprecationWarning, stacklevel=3)
    return replace(options, **keywords)
