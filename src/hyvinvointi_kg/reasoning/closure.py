"""Transitive closure of a relation: takes successor sets, gives every node's reachable set."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

_T = TypeVar("_T")

__all__ = ["transitive_closure"]


def transitive_closure(pairs: Mapping[_T, set[_T]]) -> dict[_T, set[_T]]:
    """Reflexive-free transitive closure of a relation given as successor sets.

    Examples
    --------
    >>> {k: sorted(v) for k, v in transitive_closure({"a": {"b"}, "b": {"c"}, "c": set()}).items()}
    {'a': ['b', 'c'], 'b': ['c'], 'c': []}
    """
    closed: dict[_T, set[_T]] = {}
    for start in pairs:
        seen: set[_T] = set()
        stack = list(pairs[start])
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            stack.extend(pairs.get(node, ()))
        closed[start] = seen
    return closed
