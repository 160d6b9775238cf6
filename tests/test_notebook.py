"""The quickstart notebook runs top to bottom, offline, and shows the network inline."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

nbformat = pytest.importorskip("nbformat", reason="the notebook test needs the 'notebook' extra")
nbclient = pytest.importorskip("nbclient", reason="the notebook test needs the 'notebook' extra")

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "quickstart.ipynb"


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> Any:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    workdir = tmp_path_factory.mktemp("notebook")
    nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(workdir)}}).execute()
    assert not any(workdir.iterdir()), "the notebook wrote into its working folder"
    return nb


def _outputs(nb: Any) -> list[dict[str, Any]]:
    return [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]


def test_notebook_is_committed_without_outputs() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not c.outputs for c in nb.cells if c.cell_type == "code")


def test_notebook_runs_without_errors(executed: Any) -> None:
    errors = [f"{o['ename']}: {o['evalue']}" for o in _outputs(executed) if o["output_type"] == "error"]
    assert errors == []
    text = "\n".join(o.get("data", {}).get("text/plain", "") for o in _outputs(executed))
    assert "GraphSummary(projects=227" in text and "Lumiturvallisuuskoulutuksen" in text
    assert "Varhaiskasvatuksen positiivinen diskriminaatio" in text  # the strongest overlap


def test_notebook_network_is_inline_isolated_and_offline(executed: Any) -> None:
    views = [o for o in _outputs(executed) if "<iframe srcdoc=" in o.get("data", {}).get("text/html", "")]
    assert len(views) == 1
    view = views[0]
    assert view["metadata"]["text/html"] == {"isolated": True}
    page = view["data"]["text/html"]
    assert 'sandbox="allow-scripts"' in page
    assert not re.search(r"(src|href)=(&quot;|\")?https?:", page)
    assert len(view["data"]["text/plain"]) < 100  # a short repr, not the page twice


def test_notebook_draws_a_static_figure(executed: Any) -> None:
    assert any("image/png" in o.get("data", {}) for o in _outputs(executed))
