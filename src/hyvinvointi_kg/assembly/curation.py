"""Reading the reviewed curation files (``data/curation/*.yaml``) with clear errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml

from hyvinvointi_kg.errors import InputError, shorten

__all__ = ["expect", "load_curation_file"]

T = TypeVar("T")


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML's safe loader, refusing a key given twice in one mapping (YAML 1.2 forbids it)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.get(key)
                seen.setdefault(key, key_node.start_mark.line + 1)
            except TypeError:  # an unhashable key: the base class reports it
                continue
            if first is not None:
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping", node.start_mark,
                    f"found the key {shorten(key)} a second time (first on line {first}); "
                    "keep one", key_node.start_mark)
        return super().construct_mapping(node, deep=deep)


def load_curation_file(path: Path) -> dict[str, Any]:
    """Read a curation YAML file as a mapping.

    Raises
    ------
    InputError
        If the file is missing or unreadable, is not UTF-8, is not valid YAML,
        gives a key twice in one mapping, or is not a mapping; the message names
        the file and the line.

    Examples
    --------
    >>> from hyvinvointi_kg._resources import resource_dir
    >>> sorted(load_curation_file(resource_dir("data/curation") / "funders.yaml"))
    ['rules']
    >>> import tempfile
    >>> twice = Path(tempfile.mkdtemp()) / "twice.yaml"
    >>> _ = twice.write_text("rules: []\\nrules: [x]\\n", encoding="utf-8")
    >>> try:
    ...     load_curation_file(twice)
    ... except InputError as err:
    ...     print(str(err).split(": ", 1)[1])
    line 2: found the key 'rules' a second time (first on line 1); keep one
    """
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror or err}") from err
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not valid UTF-8 ({err.reason}); save the file as UTF-8"
                         ) from err
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise InputError(f"{path}: {where}{err.problem or err.context}") from err
    except yaml.YAMLError as err:
        raise InputError(f"{path}: not valid YAML: {' '.join(str(err).split())}") from err
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a mapping at the top level")
    return data


def expect(value: object, kind: type[T], *, where: str) -> T:
    """*value* if it is a *kind*, else an :class:`InputError` naming *where* and both types.

    A curation loader calls this on every value it uses, so a wrong type in a
    file is reported by name instead of failing later.

    Examples
    --------
    >>> expect(8, int, where="corrections.yaml: correction 1: line")
    8
    >>> try:
    ...     expect("eight", int, where="corrections.yaml: correction 1: line")
    ... except InputError as err:
    ...     print(err)
    corrections.yaml: correction 1: line must be an integer, not text ('eight')
    """
    if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
        return value
    raise InputError(f"{where} must be {_TYPE_NAMES.get(kind, kind.__name__)}, not "
                     f"{_TYPE_NAMES.get(type(value), type(value).__name__)} "
                     f"({shorten(value)})")


_TYPE_NAMES: dict[type, str] = {
    int: "an integer", str: "text", list: "a list", dict: "a mapping", bool: "a boolean",
    float: "a number", type(None): "an empty value",
}
