"""The package's import graph, read from the source with ``ast``: no cycles, no private imports.

Every ``import hyvinvointi_kg.x`` and ``from hyvinvointi_kg.x import y`` is an edge from the
importing module to ``hyvinvointi_kg.x``, whether it is at module level or inside a function
(``if TYPE_CHECKING:`` blocks are left out: they never run). Module-level imports must not form
a cycle; no module imports a name starting with ``_`` from another module, except from a module
whose own name starts with ``_`` (``hyvinvointi_kg._resources``, ``_engines``, ...).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).parent.parent / "src" / "hyvinvointi_kg"

# No known exceptions: a cycle or a private import anywhere in the package fails these tests.
KNOWN_CYCLES: list[list[str]] = []
KNOWN_PRIVATE: set[tuple[str, str, str]] = set()


@dataclass(frozen=True)
class Import:
    """One import of a ``hyvinvointi_kg`` module by another."""

    importer: str
    imported: str
    names: tuple[str, ...]
    module_level: bool
    line: int


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(path: Path) -> list[Import]:
    importer = _module_name(path)
    package = importer if path.name == "__init__.py" else importer.rpartition(".")[0]
    found: list[Import] = []

    def visit(node: ast.AST, *, module_level: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for branch in child.orelse:
                    visit(branch, module_level=module_level)
                continue
            if isinstance(child, ast.Import):
                found.extend(Import(importer, alias.name, (), module_level, child.lineno)
                             for alias in child.names if alias.name.split(".")[0] == "hyvinvointi_kg")
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    base = ".".join([*package.split(".")[: len(package.split(".")) - child.level + 1], base]).strip(".")
                if base.split(".")[0] == "hyvinvointi_kg":
                    found.append(Import(importer, base, tuple(a.name for a in child.names), module_level,
                                        child.lineno))
            inner = module_level and not isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
            visit(child, module_level=inner)

    visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)), module_level=True)
    return found


def _all_imports() -> list[Import]:
    return [i for path in sorted(PACKAGE.rglob("*.py")) for i in _imports(path)]


def _is_private_module(name: str) -> bool:
    return any(part.startswith("_") and not part.startswith("__") for part in name.split("."))


def test_imports_finds_the_package() -> None:
    imports = _all_imports()
    assert any(i.importer == "hyvinvointi_kg.cli" and i.imported == "hyvinvointi_kg.errors" for i in imports)
    assert any(not i.module_level for i in imports)


def test_imports_no_cycle_among_module_level_imports() -> None:
    graph = nx.DiGraph((i.importer, i.imported) for i in _all_imports()
                       if i.module_level and i.importer != i.imported)
    assert list(nx.simple_cycles(graph)) == []


def test_imports_no_cycle_when_function_level_imports_count() -> None:
    graph = nx.DiGraph((i.importer, i.imported) for i in _all_imports() if i.importer != i.imported)
    assert sorted(sorted(c) for c in nx.simple_cycles(graph)) == KNOWN_CYCLES


@pytest.mark.parametrize("imp", [pytest.param(i, id=f"{i.importer}:{i.line}") for i in _all_imports()
                                 if i.imported != i.importer and not _is_private_module(i.imported)])
def test_imports_no_private_name_from_another_module(imp: Import) -> None:
    private = [name for name in imp.names
               if name.startswith("_") and (imp.importer, imp.imported, name) not in KNOWN_PRIVATE]
    assert private == [], f"{imp.importer} line {imp.line} imports {private} from {imp.imported}"
