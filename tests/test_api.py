"""The public API: ``hyvinvointi_kg.__all__`` is the one list of public names, each importable
and each public function showing a runnable example (its doctest runs with the suite)."""

from __future__ import annotations

import inspect

import hyvinvointi_kg as hk

#: Functions whose example cannot run offline and alone: ``publish`` needs a SPARQL store to
#: upload to (tests/test_endpoint.py publishes to a real one).
WITHOUT_EXAMPLE = {"publish"}


def test_every_public_name_is_importable_and_listed_once() -> None:
    assert len(hk.__all__) == len(set(hk.__all__))
    for name in hk.__all__:
        assert getattr(hk, name) is not None, name


def test_every_public_name_is_what_it_names_not_a_module() -> None:
    """A submodule named like a public function would replace it on the package once imported."""
    for name in hk.__all__:
        value = getattr(hk, name)
        assert not inspect.ismodule(value), name
        assert getattr(value, "__name__", name) == name, name


def test_every_public_function_has_a_runnable_example() -> None:
    functions = [n for n in hk.__all__ if inspect.isfunction(getattr(hk, n))]
    without = {n for n in functions if ">>>" not in (getattr(hk, n).__doc__ or "")}
    assert without == WITHOUT_EXAMPLE


def test_every_public_function_has_a_numpydoc_summary_line() -> None:
    for name in hk.__all__:
        doc = inspect.getdoc(getattr(hk, name)) or ""
        assert doc and doc.splitlines()[0].strip(), name
