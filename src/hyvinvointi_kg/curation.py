"""Reading the reviewed curation files (``data/curation/*.yaml``) with clear errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from hyvinvointi_kg.errors import InputError

__all__ = ["load_curation_file"]


def load_curation_file(path: Path) -> dict[str, Any]:
    """Read a curation YAML file as a mapping.

    Raises
    ------
    InputError
        If the file is missing or unreadable, is not valid YAML, or is not a mapping;
        the message names the file (and YAML's line and column).

    Examples
    --------
    >>> from hyvinvointi_kg._resources import resource_dir
    >>> sorted(load_curation_file(resource_dir("data/curation") / "funders.yaml"))
    ['rules']
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror or err}") from err
    except yaml.YAMLError as err:
        raise InputError(f"{path}: not valid YAML: {' '.join(str(err).split())}") from err
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a mapping at the top level")
    return data
