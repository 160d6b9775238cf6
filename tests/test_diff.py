"""diff_builds: what changed between two builds, on hand-made builds (tests/data/diff) and the bundled one."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDF

from hyvinvointi_kg.analysis.diff import (
    BuildDiff,
    Conflict,
    FactChange,
    OrganisationChange,
    diff_builds,
    read_build,
)
from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.namespaces import HK
from hyvinvointi_kg.stores.files import load_graph
from hyvinvointi_kg.views.diff import diff_html, diff_view

DATA = Path(__file__).parent / "data" / "diff"
ROOT = Path(__file__).parent.parent
PROJECT = "https://w3id.org/hyvinvointi-kg/id/project/"
ORG = "https://w3id.org/hyvinvointi-kg/id/org/"


@pytest.fixture(scope="module")
def fixture_diff() -> BuildDiff:
    return diff_builds(Graph().parse(DATA / "old.ttl"), Graph().parse(DATA / "new.ttl"))


def test_diff_builds_bundled_graph_with_itself_is_empty() -> None:
    folder = ROOT / "data" / "ttl"
    projects = len(set(load_graph(data_dir=folder, inferred=False, ontology=False).subjects(RDF.type, HK.Project)))
    diff = diff_builds(folder, folder)
    assert diff.is_empty()
    assert diff.unchanged == projects > 200
    assert len(diff.frame()) == 0
    assert diff.lines() == [f"projects: 0 added, 0 removed, 0 changed, {projects} unchanged; "
                            "organisations: 0 merged, 0 split; 0 new conflicts"]


def test_diff_builds_added_removed_unchanged(fixture_diff: BuildDiff) -> None:
    # project:steady has another claim IRI and another blank node in new.ttl: bookkeeping only.
    assert fixture_diff.added == (PROJECT + "fresh",)
    assert fixture_diff.removed == (PROJECT + "gone",)
    assert fixture_diff.changed == (PROJECT + "funded", PROJECT + "moved")
    assert fixture_diff.unchanged == 1


def test_diff_builds_changed_date_with_its_new_source(fixture_diff: BuildDiff) -> None:
    assert fixture_diff.changes == (
        FactChange(project=PROJECT + "funded", subject=PROJECT + "funded/funding/esr",
                   property=str(HK.grantingAuthority), old=ORG + "lapin-ely-keskus",
                   new=ORG + "pohjois-pohjanmaan-ely-keskus", sources=("register.txt:19-19",)),
        FactChange(project=PROJECT + "moved", subject=PROJECT + "moved", property=str(HK.endDate),
                   old="2021-12-31", new="2022-06-30", sources=("catalogue.txt:40-41",)),
    )


def test_diff_builds_organisation_merge_and_split(fixture_diff: BuildDiff) -> None:
    assert fixture_diff.organisations == (
        OrganisationChange(kind="merged", old=(ORG + "lapin-yliopisto", ORG + "lapland-university"),
                           new=(ORG + "lapin-yliopisto",), labels=("lapin yliopisto", "university of lapland")),
        OrganisationChange(kind="split", old=(ORG + "kemin-kaupunki",),
                           new=(ORG + "kemin-kaupungin-nuorisopalvelut", ORG + "kemin-kaupunki"),
                           labels=("kemin kaupungin nuorisopalvelut", "kemin kaupunki")),
    )


def test_diff_builds_new_conflict(fixture_diff: BuildDiff) -> None:
    assert fixture_diff.conflicts == (
        Conflict(subject=PROJECT + "funded/funding/esr", property=str(HK.grantingAuthority),
                 chosen=(ORG + "pohjois-pohjanmaan-ely-keskus",), competing=(ORG + "lapin-ely-keskus",),
                 sources=("card.txt:3-3", "register.txt:19-19")),
    )


def test_diff_builds_conflict_already_in_old_is_not_new() -> None:
    new = Graph().parse(DATA / "new.ttl")
    assert diff_builds(new, new).conflicts == ()


def test_diff_builds_lines_and_frame(fixture_diff: BuildDiff) -> None:
    lines = fixture_diff.lines()
    assert lines[0] == ("projects: 1 added, 1 removed, 2 changed, 1 unchanged; "
                        "organisations: 1 merged, 1 split; 1 new conflicts")
    assert "~ hkid:project/moved hk:endDate: 2021-12-31 -> 2022-06-30 (catalogue.txt:40-41)" in lines
    assert len(lines) == 1 + 7
    frame = fixture_diff.frame()
    assert list(frame["change"]) == ["project added", "project removed", "fact changed", "fact changed",
                                     "organisation merged", "organisation split", "new conflict"]
    assert frame.loc[3, ["old", "new", "sources"]].tolist() == ["2021-12-31", "2022-06-30", "catalogue.txt:40-41"]


def test_diff_html_escapes_values_and_has_no_script() -> None:
    head = "@prefix hk: <https://w3id.org/hyvinvointi-kg/ontology#> . @prefix p: <urn:p:> ."
    old = Graph().parse(data=head + 'p:a a hk:Project ; hk:goals "<b>old</b>" .', format="turtle")
    new = Graph().parse(data=head + 'p:a a hk:Project ; hk:goals "<script>x</script>" .', format="turtle")
    html = diff_html(diff_builds(old, new), lang="en")
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "&lt;b&gt;old&lt;/b&gt;" in html
    assert "<script" not in html
    assert html.startswith('<section class="build-diff">')


@pytest.mark.parametrize(("lang", "heading", "added", "merged"), [
    ("fi", "Mikä muuttui edellisen koostamisen jälkeen", "Lisätyt hankkeet", "yhdistetty"),
    ("sv", "Vad har ändrats sedan förra bygget", "Tillagda projekt", "sammanslagna"),
    ("en", "What changed since the previous build", "Projects added", "merged"),
])
def test_diff_html_in_each_language_names_what_the_graphs_name(lang: str, heading: str, added: str,
                                                              merged: str, fixture_diff: BuildDiff) -> None:
    old, new = Graph().parse(DATA / "old.ttl"), Graph().parse(DATA / "new.ttl")
    html = diff_html(fixture_diff, graphs=(new, old), lang=lang)
    assert heading in html and added in html and f"<td>{merged}</td>" in html
    assert "Mikä muuttui · What changed" not in html
    # names instead of identifiers: the added project by its title, the removed one by its old title,
    # organisations by their names, the property by the ontology's label where the graph has it
    assert "<li>Uusi hanke</li>" in html and "<li>Päättynyt hanke</li>" in html
    assert "Pohjois-Pohjanmaan ELY-keskus" in html and ORG not in html
    assert "hkid:project/fresh" not in html


def test_diff_view_dates_in_the_language_and_counts(fixture_diff: BuildDiff) -> None:
    view = diff_view(fixture_diff, lang="fi", limit=1)
    assert view.changes[0].part == "funding/esr" and len(view.changes) == 1 and view.more_changes == 1
    moved = diff_view(fixture_diff, lang="fi").changes[1]
    assert (moved.old, moved.new, moved.sources) == ("31.12.2021", "30.6.2022", ("catalogue.txt:40-41",))
    assert [number for number, _ in view.counts] == ["1", "1", "2", "1", "1", "1", "1"]


def test_read_build_file_folder_and_missing(tmp_path: Path) -> None:
    assert len(read_build(DATA / "old.ttl")) == len(Graph().parse(DATA / "old.ttl"))
    with pytest.raises(InputError, match="no graph.ttl"):
        read_build(tmp_path)
    with pytest.raises(InputError, match="not found"):
        read_build(tmp_path / "missing.ttl")


def test_diff_builds_graph_over_oxigraph_equals_its_files() -> None:
    """Oxigraph writes numbers in their canonical form (280681.0 as 280681): compared by value, nothing changed."""
    from hyvinvointi_kg.stores.oxigraph import load_store
    from hyvinvointi_kg.stores.oxrdflib_adapter import graph_over_store

    graph = read_build(ROOT / "data" / "ttl")
    diff = diff_builds(graph, graph_over_store(load_store(graph)))
    assert diff.is_empty() and diff.unchanged == len(set(graph.subjects(RDF.type, HK.Project)))


def test_diff_builds_reads_data_folders(tmp_path: Path) -> None:
    for name, source in (("old", "old.ttl"), ("new", "new.ttl")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "graph.ttl").write_text((DATA / source).read_text(encoding="utf-8"), encoding="utf-8")
        (tmp_path / name / "places.ttl").write_text("", encoding="utf-8")
    from_folders = diff_builds(tmp_path / "old", tmp_path / "new")
    assert from_folders.lines() == diff_builds(Graph().parse(DATA / "old.ttl"),
                                               Graph().parse(DATA / "new.ttl")).lines()


def test_diff_builds_cites_a_spreadsheet_cell_as_tables_and_queries_do() -> None:
    # a fact stated by an imported spreadsheet (build --add): its source is file:sheet:row:column
    prefixes = """@prefix hk: <https://w3id.org/hyvinvointi-kg/ontology#> .
        @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
        @prefix prov: <http://www.w3.org/ns/prov#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        @prefix p: <https://w3id.org/hyvinvointi-kg/id/project/> ."""
    old = Graph().parse(format="turtle", data=prefixes + """
        p:x a hk:Project ; hk:endDate "2021-12-31"^^xsd:date .""")
    new = Graph().parse(format="turtle", data=prefixes + """
        p:x a hk:Project ; hk:endDate "2022-06-30"^^xsd:date .
        <urn:claim> a hk:Claim ; rdf:subject p:x ; rdf:predicate hk:endDate ;
            rdf:object "2022-06-30"^^xsd:date ; prov:wasDerivedFrom <urn:cell> .
        <urn:cell> a hk:SpreadsheetCell ; hk:inDocument <urn:doc> ; hk:sheetName "hankkeet" ;
            hk:rowNumber 5 ; hk:columnName "päättymispäivä" .
        <urn:doc> hk:fileName "hankkeet.xlsx" .""")
    (change,) = diff_builds(old, new).changes
    assert change.sources == ("hankkeet.xlsx:hankkeet:5:päättymispäivä",)
