"""Locate the bundled folders (ontology/, queries/, data/...) in a checkout or an installed wheel."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Literal

__all__ = ["resource_dir"]

ResourceName = Literal[
    "ontology", "queries", "data/ttl", "data/sources", "data/reference", "data/curation"
]

_REPO_ROOT = Path(__file__).resolve().parents[2]


def resource_dir(name: ResourceName) -> Path:
    """Return the directory holding a bundled resource folder.

    An installed wheel carries the folders inside the package
    (``hyvinvointi_kg/ontology`` ...); an editable install or a source checkout
    keeps them at the repository root. The wheel location wins when both exist.

    Parameters
    ----------
    name
        One of ``"ontology"``, ``"queries"``, ``"data/ttl"``, ``"data/sources"``
        or ``"data/reference"``.

    Returns
    -------
    pathlib.Path
        An existing directory.

    Raises
    ------
    FileNotFoundError
        If the folder is in neither place (a broken installation).

    Examples
    --------
    >>> (resource_dir("ontology") / "hyvinvointi.ttl").is_file()
    True
    """
    traversable = resources.files("hyvinvointi_kg")
    for part in name.split("/"):
        traversable = traversable.joinpath(part)
    packaged = Path(str(traversable))
    if packaged.is_dir():
        return packaged
    checkout = _REPO_ROOT.joinpath(*name.split("/"))
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(
        f"hyvinvointi_kg resource folder {name!r} not found in {packaged} or {checkout}; "
        "reinstall the package"
    )
