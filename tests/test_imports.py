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


# --- the layout: stage folders, module sizes, tests that mirror modules ---------------------------

#: The stages in the order the data goes through them; each folder's docstring says what it takes and gives.
STAGES = ("ingest", "assembly", "validation", "reasoning", "stores", "analysis", "views")

#: Modules whose tests live in a file not named after them (``tests/test_<module>.py``), and where.
#: A module listed as "doctests" is tested by the examples in its own docstrings only.
TESTED_IN = {
    "hyvinvointi_kg._resources": ["test_packaging.py"],
    "hyvinvointi_kg.analysis._closeness_worker": ["test_igraph_metrics.py"],
    "hyvinvointi_kg.analysis._kinds": ["test_cli.py"],
    "hyvinvointi_kg.analysis.network_measures": ["test_igraph_metrics.py", "test_networks.py"],
    "hyvinvointi_kg.assembly.assemble": ["test_organisations.py", "test_merge.py", "test_provenance.py"],
    "hyvinvointi_kg.assembly.concepts": ["test_vocabulary.py"],
    "hyvinvointi_kg.assembly.lemmas": ["test_vocabulary.py"],
    "hyvinvointi_kg.assembly.report": ["test_quality_report.py", "test_merge.py", "test_tables.py"],
    "hyvinvointi_kg.errors": ["test_bad_input.py"],
    "hyvinvointi_kg.ingest._common": ["test_register.py", "test_news.py"],
    "hyvinvointi_kg.ingest.catalogue_graph": ["test_catalogue.py"],
    "hyvinvointi_kg.ingest.catalogue_records": ["test_catalogue.py"],
    "hyvinvointi_kg.ingest.catalogue_text": ["test_catalogue.py"],
    "hyvinvointi_kg.ingest.sources": ["test_provenance.py"],
    "hyvinvointi_kg.namespaces": ["test_provenance.py"],
    "hyvinvointi_kg.pipeline": ["test_cli.py", "test_bad_input.py"],
    "hyvinvointi_kg.reasoning.closure": ["test_entailments.py", "test_rules_sparql.py"],
    "hyvinvointi_kg.stores._engines": ["test_endpoint.py"],
    "hyvinvointi_kg.stores.files": ["test_bad_input.py", "test_backends.py"],
    "hyvinvointi_kg.validation.report": ["test_validation.py"],
    "hyvinvointi_kg.validation.sparql_compile": ["test_sparql.py"],
    "hyvinvointi_kg.validation.validate": ["test_validation.py", "test_sparql.py", "test_shapes.py"],
    "hyvinvointi_kg.ingest.catalogue_flags": ["test_catalogue.py"],
    "hyvinvointi_kg.ingest.import_records": ["test_spreadsheet_import.py", "test_eura2021.py", "test_stea.py"],
    "hyvinvointi_kg.ingest.spreadsheet": ["test_spreadsheet_import.py"],
    "hyvinvointi_kg.ingest.tabular": ["test_spreadsheet_import.py", "test_eura2021.py", "test_stea.py"],
    "hyvinvointi_kg.stores._engine_watch": ["test_endpoint_orphans.py"],
    "hyvinvointi_kg.views.centrality": ["test_viz.py"],
    "hyvinvointi_kg.views.encoding": ["test_viz.py"],
    "hyvinvointi_kg.views.figures": ["test_viz.py"],
    "hyvinvointi_kg.views.html": ["test_viz.py", "test_viz_browser.py"],
    "hyvinvointi_kg.views.inline": ["test_viz.py", "test_overview.py"],
    "hyvinvointi_kg.views.layout": ["test_viz.py"],
    "hyvinvointi_kg.views.options": ["test_viz.py"],
    "hyvinvointi_kg.views.pages": ["test_viz.py", "test_overview.py"],
    "hyvinvointi_kg.views.template": ["test_spreadsheet_import.py"],
    "hyvinvointi_kg.views.tooltips": ["test_viz.py", "test_viz_browser.py"],
}

#: Modules over the size limit, each with what to split out of it. A module leaves the list when split;
#: a module not on it that grows past the limit fails the test.
OVERSIZED = {
    "hyvinvointi_kg.cli": "the output formatting (tables, CSV, JSON, xlsx) into a module of its own",
    "hyvinvointi_kg.views.map": "the projection and label placement from the page",
    "hyvinvointi_kg.views.workbook": "the sheets' queries from the writing of the workbook",
}


def _modules() -> list[str]:
    return sorted(_module_name(p) for p in PACKAGE.rglob("*.py")
                  if p.name not in ("__init__.py", "__main__.py"))


def test_every_stage_folder_says_what_it_takes_and_gives() -> None:
    folders = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file())
    assert sorted(STAGES) == folders
    for stage in STAGES:
        doc = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text(encoding="utf-8")))
        assert doc and len(doc.splitlines()) == 1 and ":" in doc, stage


def test_no_module_is_much_over_five_hundred_lines() -> None:
    sizes = {m: len((PACKAGE.parent / (m.replace(".", "/") + ".py")).read_text(encoding="utf-8").splitlines())
             for m in _modules()}
    assert {m for m, n in sizes.items() if n > 560} == set(OVERSIZED)


@pytest.mark.parametrize("module", _modules())
def test_every_module_has_its_tests(module: str) -> None:
    tests = Path(__file__).parent
    own = tests / f"test_{module.rsplit('.', 1)[1].lstrip('_')}.py"
    if own.is_file():
        assert module not in TESTED_IN, f"{module} has {own.name}: drop it from TESTED_IN"
        return
    assert module in TESTED_IN, f"no tests/{own.name} and no entry in TESTED_IN for {module}"
    assert all((tests / name).is_file() for name in TESTED_IN[module]), TESTED_IN[module]
