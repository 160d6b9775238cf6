"""The docs stay honest: every command documented, every public name mentioned, every quoted
figure of the bundled graph equal to what the code computes today."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDF

import hyvinvointi_kg
from hyvinvointi_kg.assembly.assemble import Assembly
from hyvinvointi_kg.cli import _parser
from hyvinvointi_kg.namespaces import HK, ID

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = {path.name: path.read_text(encoding="utf-8") for path in sorted((ROOT / "docs").glob("*.md"))}

def _command_line_block() -> str:
    section = README[README.index("## Command line"):]
    return section[section.index("```") + 3:section.index("```", section.index("```") + 3)]


def _subcommands() -> list[str]:
    actions = [a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction)]
    assert len(actions) == 1
    return sorted(actions[0].choices)


# --- (a) commands and (b) public names ----------------------------------------------------------

@pytest.mark.parametrize("command", _subcommands())
def test_readme_command_line_block_documents_every_subcommand(command: str) -> None:
    assert re.search(rf"^hyvinvointi-kg {re.escape(command)}\b", _command_line_block(), re.MULTILINE), command


def test_readme_command_line_block_documents_no_unknown_subcommand() -> None:
    documented = set(re.findall(r"^hyvinvointi-kg ([a-z-]+)", _command_line_block(), re.MULTILINE))
    assert documented == set(_subcommands())


def _mentioned(name: str) -> bool:
    pattern = re.compile(rf"\b{re.escape(name)}\b")
    return bool(pattern.search(README)) or any(pattern.search(text) for text in DOCS.values())


def test_docs_mention_every_public_name() -> None:
    assert {name for name in hyvinvointi_kg.__all__ if not _mentioned(name)} == set()


def test_api_page_is_what_make_api_writes() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_api", ROOT / "docs" / "make_api.py")
    assert spec and spec.loader
    make_api = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_api)
    assert DOCS["api.md"] == make_api.render(), "run: python docs/make_api.py"


# --- (c) figures of the bundled graph -----------------------------------------------------------

def _quoted(pattern: str, text: str = README) -> int:
    """The number in the one place *pattern* matches (its group 1; thousands separators dropped)."""
    found = re.findall(pattern, text)
    assert len(found) == 1, (pattern, found)
    return int(found[0].replace(",", "").replace(" ", ""))


def test_readme_figures_of_the_build(built: Assembly, built_graph: Graph) -> None:
    from hyvinvointi_kg.analysis.summary import summarise

    summary = summarise(built_graph)
    # "places | all 309 municipalities (...), 69 sub-regions, 19 regions, Finland"
    assert _quoted(r"all (\d+) municipalities \(codes") == summary.municipalities
    assert _quoted(r"(\d+) sub-regions, \d+ regions") == summary.subregions
    assert _quoted(r"sub-regions, (\d+) regions") == summary.regions
    # "every source: 227 projects ... all 317 catalogue entries; 256 organisations"
    assert _quoted(r"every source: (\d+) projects") == summary.projects
    assert _quoted(r"all (\d+) catalogue entries") == built.catalogue.entries
    assert _quoted(r"catalogue entries; (\d+) organisations") == summary.organisations
    # "(136 flags today)"
    assert _quoted(r"\((\d+) flags today\)") == len(list(built_graph.triples((None, HK.readingFlag, None))))
    # "17 reviewed cell corrections"
    assert _quoted(r"(\d+) reviewed cell corrections") == len(built.catalogue.corrections_applied)
    assert not built.catalogue.corrections_unmatched
    # "every claim (7,256 today)"
    assert _quoted(r"every claim \(([\d,]+) today\)") == summary.claims
    # "that the decision file has not reviewed: 0 today"
    assert _quoted(r"has not reviewed: (\d+) today") == len(built.names_to_review)


def test_readme_figures_of_the_curation_and_queries() -> None:
    from hyvinvointi_kg.assembly.funding import load_funding_rules
    from hyvinvointi_kg.query import list_queries

    # "41 reviewed rules map funding texts"
    rules = load_funding_rules(ROOT / "data" / "curation" / "funders.yaml")
    assert _quoted(r"(\d+) reviewed\s+rules map funding texts") == len(rules)
    queries = list_queries()
    # "On the real graph all 22 queries give the same rows on every backend"
    assert _quoted(r"all (\d+) queries give the same rows") == len(queries)
    # "`*-violation.rq` (7 checks: ..."
    assert _quoted(r"`\*-violation\.rq` \((\d+) checks") == sum(q.name.endswith("-violation") for q in queries)


def test_readme_overlap_figures(built_graph: Graph) -> None:
    from hyvinvointi_kg.analysis.overlaps import overlap_pairs

    # "511 overlapping pairs touch Kemi (both give the same pairs); 818 in all"
    assert _quoted(r"(\d+) overlapping pairs touch Kemi") == len(
        overlap_pairs(built_graph, municipality=ID["place/kunta/240"]))
    total = len(overlap_pairs(built_graph))
    assert _quoted(r"touch Kemi \(both give the same pairs\); (\d+) in all") == total
    # "`hyvinvointi-kg overlaps` finds 818\noverlapping pairs"
    assert _quoted(r"`hyvinvointi-kg overlaps` finds (\d+)\s+overlapping pairs") == total


def test_target_groups_doc_projects_without_a_target_group(built_graph: Graph) -> None:
    # docs/target-groups.md: "| today (`data/ttl`) | 40 |", counted as that page's snippet does
    quoted = _quoted(r"\| today \(`data/ttl`\) \| (\d+) \|", DOCS["target-groups.md"])
    projects = set(built_graph.subjects(RDF.type, HK.Project))
    assert quoted == sum(built_graph.value(p, HK.targetGroup) is None for p in projects)
    # "Projects without any target group (227 projects)"
    assert _quoted(r"without any target group \((\d+) projects\)", DOCS["target-groups.md"]) == len(projects)
