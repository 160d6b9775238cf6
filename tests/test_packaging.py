"""Resources are found from a checkout and are packed into the wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import hyvinvointi_kg
from hyvinvointi_kg._resources import resource_dir

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", ["ontology", "queries", "data/ttl", "data/sources", "data/reference"])
def test_resource_dir_finds_folder(name: str) -> None:
    folder = resource_dir(name)  # type: ignore[arg-type]
    assert folder.is_dir() and any(folder.iterdir())


def test_public_api_is_listed() -> None:
    for name in hyvinvointi_kg.__all__:
        assert hasattr(hyvinvointi_kg, name), name


def test_import_and_cli_help_do_not_load_the_analysis_stack() -> None:
    code = ("import sys, hyvinvointi_kg, hyvinvointi_kg.cli; hyvinvointi_kg.cli._parser(); "
            "print(sorted(m for m in ('networkx', 'pandas', 'sklearn', 'pyvis') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.slow
def test_wheel_contains_resources(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    wheel = next(tmp_path.glob("*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ("hyvinvointi_kg/ontology/hyvinvointi.ttl", "hyvinvointi_kg/ontology/shapes.ttl",
                     "hyvinvointi_kg/queries/projects.rq", "hyvinvointi_kg/data/ttl/graph.ttl",
                     "hyvinvointi_kg/data/ttl/inferred.ttl",
                     "hyvinvointi_kg/data/sources/lapland_projects_catalogue_fi.txt",
                     "hyvinvointi_kg/data/reference/municipalities_fi.csv",
                     "hyvinvointi_kg/py.typed"):
        assert required in names, required
