"""Write docs/api.md: every public name of ``hyvinvointi_kg``, grouped by stage, from its docstring.

Run ``python docs/make_api.py`` after changing the public API; ``tests/test_docs.py`` fails while
docs/api.md differs from what this script writes.
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

import hyvinvointi_kg

OUT = Path(__file__).parent / "api.md"

#: Stages in the order the data goes through them, with the package path their names live in.
STAGES = (
    ("Errors and namespaces", ("hyvinvointi_kg.errors", "hyvinvointi_kg.namespaces")),
    ("Building the graph", ("hyvinvointi_kg.pipeline",)),
    ("Loading and publishing", ("hyvinvointi_kg.stores",)),
    ("Validation", ("hyvinvointi_kg.validation",)),
    ("Reasoning", ("hyvinvointi_kg.reasoning",)),
    ("Queries", ("hyvinvointi_kg.query", "hyvinvointi_kg.cells")),
    ("Selections, tables and summaries", ("hyvinvointi_kg.dates", "hyvinvointi_kg.analysis.selection",
                                          "hyvinvointi_kg.analysis.tables", "hyvinvointi_kg.analysis.summary",
                                          "hyvinvointi_kg.analysis.municipalities")),
    ("Overlaps, funding and changes", ("hyvinvointi_kg.analysis.overlaps", "hyvinvointi_kg.analysis.funded_elsewhere",
                                       "hyvinvointi_kg.analysis.diff")),
    ("Networks", ("hyvinvointi_kg.analysis.networks", "hyvinvointi_kg.analysis.network_measures")),
    ("Views, maps and spreadsheets", ("hyvinvointi_kg.views",)),
)


#: What the two namespaces are (a Namespace has no docstring of its own).
NAMESPACES = {
    "HK": "The ontology's namespace, `https://w3id.org/hyvinvointi-kg/ontology#`: classes and properties "
          "(`hk.HK.Project`, `hk.HK.leadImplementer`).",
    "ID": "The namespace of the graph's resources, `https://w3id.org/hyvinvointi-kg/id/`: projects, "
          "organisations, places (`hk.ID['place/kunta/240']` is Kemi).",
}


def _home(name: str) -> str:
    obj = getattr(hyvinvointi_kg, name)
    return getattr(obj, "__module__", "") if not isinstance(obj, str) else "hyvinvointi_kg.namespaces"


def _summary(obj: object) -> str:
    doc = inspect.getdoc(obj) or ""
    return doc.split("\n\n")[0].replace("\n", " ")


def _signature(name: str, obj: object) -> str:
    if inspect.isfunction(obj):
        return f"{name}{inspect.signature(obj)}"
    if inspect.isclass(obj):
        return f"class {name}"
    return f"{name} = Namespace({str(obj)!r})"


def render() -> str:
    """The text of docs/api.md."""
    names = list(hyvinvointi_kg.__all__)
    lines = [
        "# Python API",
        "",
        "Every public name of `hyvinvointi_kg` (`import hyvinvointi_kg as hk`), in the order the data",
        "goes: build, load, validate, reason, query, analyse, view. Each function's docstring has a",
        "runnable example (`help(hk.build)`); the modules behind them are private.",
        "This page is written by `python docs/make_api.py`.",
        "",
    ]
    placed: set[str] = set()
    for title, packages in STAGES:
        members = [n for n in names if n not in placed and _home(n).startswith(packages)]
        if not members:
            continue
        lines += [f"## {title}", ""]
        for name in members:
            obj = getattr(hyvinvointi_kg, name)
            lines += [f"### `{name}`", "", "```python", _signature(name, obj), "```", ""]
            summary = NAMESPACES.get(name) or _summary(obj)
            if summary:
                lines += [summary, ""]
            placed.add(name)
    left = [n for n in names if n not in placed]
    if left:
        raise SystemExit(f"no stage for {', '.join(left)}: add their module to STAGES")
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT}", file=sys.stderr)
