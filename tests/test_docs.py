"""The docs stay honest: every command documented, every public name mentioned, every quoted
figure of the bundled graph equal to what the code computes today."""

from __future__ import annotations

import importlib.util
import re
import shlex
from pathlib import Path
from types import ModuleType
from typing import Any

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


def _script(name: str) -> ModuleType:
    """docs/NAME.py, imported without running its main block."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "docs" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _subcommands() -> list[str]:
    return sorted(_script("make_cli").subcommands(_parser()))


# --- (a) commands and (b) public names ----------------------------------------------------------

def test_cli_page_is_what_make_cli_writes() -> None:
    assert DOCS["cli.md"] == _script("make_cli").render(), "run: python docs/make_cli.py"


@pytest.mark.parametrize("command", _subcommands())
def test_cli_page_documents_every_subcommand(command: str) -> None:
    assert f"## `hyvinvointi-kg {command}`" in DOCS["cli.md"], command


@pytest.mark.parametrize("command", _subcommands())
def test_cli_page_examples_parse(command: str) -> None:
    examples = _script("make_cli").EXAMPLES[command]
    assert examples
    for line in examples:
        words = shlex.split(line, comments=True)
        assert words[:2] == ["hyvinvointi-kg", command], line
        _parser().parse_args(words[1:])  # a usage error exits with code 2


def test_readme_links_the_reference_pages() -> None:
    for page in ("cli.md", "api.md", "model.md", "usage.md", "performance.md", "target-groups.md"):
        assert f"](docs/{page})" in README, page
        assert page in DOCS, page


def _mentioned(name: str) -> bool:
    pattern = re.compile(rf"\b{re.escape(name)}\b")
    return bool(pattern.search(README)) or any(pattern.search(text) for text in DOCS.values())


def test_docs_mention_every_public_name() -> None:
    assert {name for name in hyvinvointi_kg.__all__ if not _mentioned(name)} == set()


def test_api_page_is_what_make_api_writes() -> None:
    assert DOCS["api.md"] == _script("make_api").render(), "run: python docs/make_api.py"


# --- (c) figures of the bundled graph -----------------------------------------------------------

def _quoted(pattern: str, text: str) -> str:
    """The text in the one place *pattern* matches (its group 1), line breaks read as spaces."""
    found = re.findall(pattern, " ".join(text.split()))
    assert len(found) == 1, (pattern, found)
    return str(found[0])


def _number(pattern: str, text: str) -> int:
    """The whole number in the one place *pattern* matches (thousands separators dropped)."""
    return int(re.sub(r"[ ,]", "", _quoted(pattern, text)))


MODEL = DOCS["model.md"]
USAGE = DOCS["usage.md"]


def test_readme_figures_of_the_build(built_graph: Graph) -> None:
    from hyvinvointi_kg.analysis.summary import summarise

    summary = summarise(built_graph)
    # "The bundled graph holds 227 projects, 256 organisations and all 309 municipalities of
    # Finland, with 7,247 claims"
    assert _number(r"bundled\s+graph holds (\d+) projects", README) == summary.projects
    assert _number(r"holds \d+ projects, (\d+) organisations", README) == summary.organisations
    assert _number(r"organisations and all (\d+) municipalities", README) == summary.municipalities
    assert _number(r"with ([\d,]+) claims that tie", README) == summary.claims
    # "GraphSummary(projects=227, organisations=256, ...)", in the README and docs/usage.md
    for text in (README, USAGE):
        assert _number(r"GraphSummary\(projects=(\d+)", text) == summary.projects
        assert _number(r"GraphSummary\(projects=\d+, organisations=(\d+)", text) == summary.organisations


def test_model_figures_of_the_build(built: Assembly, built_graph: Graph) -> None:
    from hyvinvointi_kg.analysis.summary import summarise

    summary = summarise(built_graph)
    # "places | all 309 municipalities (...), 69 sub-regions, 19 regions, Finland"
    assert _number(r"all (\d+) municipalities \(codes", MODEL) == summary.municipalities
    assert _number(r"(\d+) sub-regions, \d+ regions", MODEL) == summary.subregions
    assert _number(r"sub-regions, (\d+) regions", MODEL) == summary.regions
    # "every source: 227 projects ... all 317 catalogue entries; 256 organisations"
    assert _number(r"every source: (\d+) projects", MODEL) == summary.projects
    assert _number(r"all (\d+) catalogue entries", MODEL) == built.catalogue.entries
    assert _number(r"catalogue entries; (\d+) organisations", MODEL) == summary.organisations
    # "(136 flags in the bundled graph)"
    assert _number(r"\((\d+) flags in the bundled graph\)", MODEL) == len(
        list(built_graph.triples((None, HK.readingFlag, None))))
    # "17 reviewed cell corrections"
    assert _number(r"(\d+) reviewed cell corrections", MODEL) == len(built.catalogue.corrections_applied)
    assert not built.catalogue.corrections_unmatched
    # "every claim (7,247 in the bundled graph)"
    assert _number(r"every claim \(([\d,]+) in the bundled graph\)", MODEL) == summary.claims
    # "that the decision file has not reviewed:\n  0 in the bundled graph"
    assert _number(r"has not reviewed:\s+(\d+) in the bundled graph", MODEL) == len(built.names_to_review)


def test_performance_triples_of_the_real_graph(built_graph: Graph) -> None:
    # "the graph with the ontology then had 64,571 triples, today 66,809": what bench_build.py
    # reasons over (a fresh build plus the ontology), as built_graph is
    assert _number(r"then had [\d,]+ triples, today ([\d,]+)", DOCS["performance.md"]) == len(built_graph)


def test_model_catalogue_counts_are_the_hand_count() -> None:
    import yaml

    counts = yaml.safe_load((ROOT / "tests" / "data" / "catalogue_counts.yaml").read_text(encoding="utf-8"))
    [quoted] = re.findall(r"\(Kemi (\d+), Keminmaa (\d+), Simo (\d+), Tervola (\d+), Tornio (\d+), Lapland in"
                          r" general (\d+)\)", " ".join(MODEL.split()))
    assert [int(n) for n in quoted] == [v for k, v in counts.items() if isinstance(v, int) and k != "total"]
    assert _number(r"hand count \(`tests/data/catalogue_counts\.yaml`\) of (\d+) entries", MODEL) == counts["total"]


def test_model_figures_of_the_curation_and_queries() -> None:
    from hyvinvointi_kg.assembly.funding import load_funding_rules
    from hyvinvointi_kg.query import list_queries

    # "43 reviewed rules map funding texts"
    rules = load_funding_rules(ROOT / "data" / "curation" / "funders.yaml")
    assert _number(r"(\d+) reviewed rules map\s+funding texts", MODEL) == len(rules)
    queries = list_queries()
    # "`*-violation.rq` (7 checks: ..."
    assert _number(r"`\*-violation\.rq` \((\d+) checks", MODEL) == sum(q.name.endswith("-violation") for q in queries)


def test_overlap_figures(built_graph: Graph) -> None:
    from hyvinvointi_kg.analysis.overlaps import overlap_pairs

    # "505 overlapping pairs touch Kemi (both give the same pairs); 813 in all"
    assert _number(r"(\d+) overlapping pairs touch Kemi", MODEL) == len(
        overlap_pairs(built_graph, municipality=ID["place/kunta/240"]))
    total = len(overlap_pairs(built_graph))
    assert _number(r"touch Kemi \(both give the same pairs\); (\d+) in all", MODEL) == total
    # "`hyvinvointi-kg overlaps` finds 813\noverlapping pairs"
    assert _number(r"`hyvinvointi-kg overlaps` finds (\d+)\s+overlapping pairs", USAGE) == total


# The research questions' answers, as docs/model.md quotes them: what `hyvinvointi-kg query`
# prints on the bundled graph (data/ttl with its entailments), the graph the golden tests use.

@pytest.fixture(scope="module")
def bundled() -> Graph:
    return hyvinvointi_kg.load_graph()


def _rows(graph: Graph, name: str, **params: str) -> list[dict[str, Any]]:
    return hyvinvointi_kg.run_query(graph, name, **params).records()


def _row(rows: list[dict[str, Any]], column: str, value: str) -> dict[str, Any]:
    [found] = [r for r in rows if r[column] == value]
    return found


def test_model_answers_projects_and_organisations(bundled: Graph) -> None:
    simo = {"municipality": "Simo", "theme": "Osallisuus", "active_from": "2019-01-01"}
    # "9 projects name Simo itself; 69 once the Lapland-wide and Meri-Lappi-wide projects are included"
    assert _number(r"\| (\d+) projects name Simo itself", MODEL) == len(_rows(bundled, "projects-by-filter", **simo))
    assert _number(r"Simo itself; (\d+) once the", MODEL) == len(
        _rows(bundled, "projects-by-filter", include_region="true", **simo))
    # "Kemin kaupunki leads or partners in 10 projects"
    profile = _rows(bundled, "organisation-profile", organisation="Kemin kaupunki")
    assert _number(r"Kemin kaupunki leads or partners in (\d+) projects", MODEL) == len({r["project"] for r in profile})
    # "Lapin ammattikorkeakoulu Oy (21 shared projects), then Oulun yliopisto and
    # Pohjois-Suomen sosiaalialan osaamiskeskus (5 each)"
    partners = _rows(bundled, "organisation-partners", organisation="Lapin yliopisto")
    top = [(r["partner_label"], r["shared_projects"]) for r in partners[:3]]
    assert top[0] == ("Lapin ammattikorkeakoulu Oy",
                      _number(r"partner is Lapin ammattikorkeakoulu Oy \((\d+) shared projects\)", MODEL))
    each = _number(r"Pohjois-Suomen sosiaalialan osaamiskeskus \((\d+) each\)", MODEL)
    assert sorted(top[1:]) == [("Oulun yliopisto", each), ("Pohjois-Suomen sosiaalialan osaamiskeskus", each)]
    assert partners[3]["shared_projects"] < each
    # "6 projects in Savukoski, e.g. REILA reittimerkintöjen turvallisuus (Lapin AMK, EAKR, 2015-06-01–2018-08-31)"
    savukoski = _rows(bundled, "municipality-profile", municipality="Savukoski")
    assert _number(r"\| (\d+) projects in Savukoski", MODEL) == len(savukoski)
    reila = next(r for r in savukoski if str(r["title"]).startswith("REILA"))
    assert (str(reila["start_date"]), str(reila["end_date"])) == ("2015-06-01", "2018-08-31")
    assert reila["funders"] == "Euroopan aluekehitysrahasto" and reila["lead_label"] == "Lapin ammattikorkeakoulu Oy"


def test_model_answers_funding_and_collaboration(bundled: Graph) -> None:
    # "Tornio: ESR 29 projects (the granted EU+state amount is known for one: 280 681 €), STEA 10, EAKR 3"
    tornio = _rows(bundled, "funders-by-municipality", municipality="Tornio")
    esr = _row(tornio, "funder_label", "Euroopan sosiaalirahasto")
    assert _number(r"Tornio: ESR (\d+) projects", MODEL) == esr["projects"]
    assert esr["projects_with_amount"] == 1
    assert _number(r"known for one: ([\d ]+) €", MODEL) == esr["granted_eu_state"]
    stea = _row(tornio, "funder_label", "Sosiaali- ja terveysjärjestöjen avustuskeskus STEA")
    assert _number(r"STEA (\d+), EAKR", MODEL) == stea["projects"]
    eakr = _row(tornio, "funder_label", "Euroopan aluekehitysrahasto")
    assert _number(r"STEA \d+, EAKR (\d+) \|", MODEL) == eakr["projects"]
    # "880 pairs; the strongest tie is Lapin ammattikorkeakoulu Oy – Lapin yliopisto, 21 shared projects"
    pairs = _rows(bundled, "collaboration-pairs")
    assert _number(r"\| (\d+) pairs; the strongest tie", MODEL) == len(pairs)
    assert {pairs[0]["label_a"], pairs[0]["label_b"]} == {"Lapin ammattikorkeakoulu Oy", "Lapin yliopisto"}
    assert _number(r"Lapin yliopisto, (\d+) shared projects", MODEL) == pairs[0]["projects"] > pairs[1]["projects"]
    # "Lapin ammattikorkeakoulu Oy reaches all 21 municipalities of Lappi through 18 projects"
    reach = _rows(bundled, "organisations-by-reach", region="Lappi")[0]
    assert reach["organisation_label"] == "Lapin ammattikorkeakoulu Oy"
    assert _number(r"reaches all (\d+) municipalities of Lappi", MODEL) == reach["municipalities"]
    assert _number(r"municipalities of Lappi through (\d+) projects", MODEL) == reach["projects"]
    # "Keminmaa, Pello and Simo are white spots"
    spots = sorted(str(r["municipality_label"]) for r in _rows(bundled, "white-spots", theme="Turvallisuus")
                   if r["projects"] == 0)
    assert _quoted(r"turvallisuus\), ([\w, ]+) are white spots", MODEL) == f"{', '.join(spots[:-1])} and {spots[-1]}"


def test_model_answers_time_and_sources(bundled: Graph) -> None:
    # "sosiaalinen osallisuus active per year: 15 (2015), 45 (2017), 76 (2020), 23 (2022)"
    per_year = {r["year"]: r["projects"] for r in _rows(bundled, "projects-per-year")
                if r["theme_label"] == "sosiaalinen osallisuus"}
    quoted = re.findall(r"(\d+) \((\d{4})\)", _quoted(r"osallisuus active per year: ([^;]+);", MODEL))
    assert len(quoted) == 4 and all(per_year[int(year)] == int(n) for n, year in quoted)
    # "ESR-funded: 18 (2015), 54 (2020), 11 (2023)"
    esr = {r["year"]: r["projects"] for r in _rows(bundled, "projects-per-year-by-funder")
           if r["funder_label"] == "Euroopan sosiaalirahasto"}
    quoted = re.findall(r"(\d+) \((\d{4})\)", _quoted(r"ESR-funded: ([^|]+)\|", MODEL))
    assert len(quoted) == 3 and all(esr[int(year)] == int(n) for n, year in quoted)
    # "the register description (70 claims), the summary card (24) and the news release (26, ..."
    claims = {r["file"]: r["claims"] for r in _rows(bundled, "project-sources", project="S21758")}
    assert len(claims) == 3
    assert _number(r"register description \((\d+) claims\)", MODEL) == claims["eura_S21758_description_en.txt"]
    assert _number(r"the summary card \((\d+)\)", MODEL) == claims["S21758_summary_card_fi.txt"]
    assert _number(r"the news release \((\d+), each line", MODEL) == claims["S21758_news_2019-08-07_fi.txt"]


def test_model_answers_brokers_per_period(bundled: Graph) -> None:
    # "narrowly in 2014–2020 (betweenness 0.307 against Lapin yliopisto's 0.303), and in
    # 2021–2027 (0.274 against 0.267)"
    frame = hyvinvointi_kg.metrics_by_period(bundled)
    top = frame[frame["rank"] <= 2].sort_values(["period", "rank"])
    for period, quoted in (("2014-2020", _quoted(r"in 2014–2020 \(betweenness ([\d.]+ against [^)]+)\)", MODEL)),
                           ("2021-2027", _quoted(r"in 2021–2027 \(([\d.]+ against [\d.]+)\)", MODEL))):
        rows = top[top["period"] == period]
        assert list(rows["label"]) == ["Lapin ammattikorkeakoulu Oy", "Lapin yliopisto"]
        assert re.findall(r"\d\.\d+", quoted) == [f"{b:.3f}" for b in rows["betweenness"]]


def test_usage_network_figures(bundled: Graph) -> None:
    # "density 0.0315, 38 components, 51 communities, modularity 0.568; the top brokers by
    # betweenness are Lapin ammattikorkeakoulu Oy (0.312), ..."
    metrics = hyvinvointi_kg.network_metrics(hyvinvointi_kg.to_networkx(bundled, "co-implementation"))
    assert _quoted(r"prints density\s+([\d.]+),", USAGE) == f"{metrics.density:.4f}"
    assert _number(r"(\d+) components, \d+ communities", USAGE) == metrics.components
    assert _number(r"(\d+) communities, modularity", USAGE) == metrics.communities
    assert _quoted(r"communities, modularity ([\d.]+);", USAGE) == f"{metrics.modularity:.3f}"
    brokers = re.findall(r"([^,()]+) \((0\.\d+)\)",
                         _quoted(r"top brokers by betweenness are (.+?)\. `hyvinvointi-kg overlaps`", USAGE))
    top = metrics.nodes.sort_values("betweenness", ascending=False).head(len(brokers))
    assert len(brokers) == 5
    assert [(name.strip().removeprefix("and "), value) for name, value in brokers] == [
        (str(label), f"{b:.3f}") for label, b in zip(top["label"], top["betweenness"], strict=True)]
    # "the strongest is "Lapin tuetun ..." and "Sosiaalitaloudesta ..." (score 0.67)"
    best = hyvinvointi_kg.find_overlaps(bundled, top=1)[0]
    assert _quoted(r'the strongest is "([^"]+)" and', USAGE) == best.name_a
    assert _quoted(r'" and "([^"]+)" \(score', USAGE) == best.name_b
    assert _quoted(r"\(score ([\d.]+)\)", USAGE) == f"{best.score:.2f}"


def test_target_groups_doc_projects_without_a_target_group(built_graph: Graph) -> None:
    # docs/target-groups.md: "| today (`data/ttl`) | 40 |", counted as that page's snippet does
    quoted = _number(r"\| today \(`data/ttl`\) \| (\d+) \|", DOCS["target-groups.md"])
    projects = set(built_graph.subjects(RDF.type, HK.Project))
    assert quoted == sum(built_graph.value(p, HK.targetGroup) is None for p in projects)
    # "Projects without any target group (227 projects)"
    assert _number(r"without any target group \((\d+) projects\)", DOCS["target-groups.md"]) == len(projects)
