"""Tests of hyvinvointi_kg.assembly.imported: spreadsheets added to the build (``build --add``)."""

from __future__ import annotations

import re
import shutil
from functools import cache
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

import hyvinvointi_kg as hk
from hyvinvointi_kg._resources import resource_dir
from hyvinvointi_kg.assembly.assemble import assemble
from hyvinvointi_kg.assembly.funding import load_funding_rules, match_funding
from hyvinvointi_kg.assembly.imported import read_imports
from hyvinvointi_kg.assembly.provenance import verify_claims
from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.ingest.import_records import BadInputError
from hyvinvointi_kg.ingest.imports import read_import
from hyvinvointi_kg.namespaces import HK, ID, municipality_iri, project_iri
from hyvinvointi_kg.pipeline import BuildResult, build

IMPORTS = Path(__file__).parent / "data" / "imports"
IMPORTED = Path(__file__).parent / "data" / "imported"
EXISTING = IMPORTED / "lappi2025_hankkeet.csv"
LAPIN_AMK = ID["org/lapin-ammattikorkeakoulu-oy"]
PROGRAMME_2021 = ID["programme/uudistuva-ja-osaava-suomi-2021-2027"]
WORKED_EXAMPLE = (Path(__file__).parent.parent / "docs" / "worked-example.md").read_text(encoding="utf-8")
STALE = "docs/worked-example.md is stale: run its commands again and show what they print"


@cache
def _build(*names: str) -> BuildResult:
    return build(add=[IMPORTS / n if (IMPORTS / n).exists() else IMPORTED / n for n in names])


@pytest.mark.parametrize("fixture", ["hankkeet_filled.xlsx", "eura2021_report.xlsx", "stea_register.xlsx",
                                     "lappi2025_hankkeet.csv"])
def test_build_with_an_added_file_conforms_and_verifies(fixture: str) -> None:
    result = _build(fixture)
    assert result.validation.conforms, result.validation.text()
    assert result.mismatches == ()
    assert [f.path.name for f in result.assembly.imports] == [fixture]


def test_build_adds_the_projects_with_cell_spans() -> None:
    data = _build("eura2021_report.xlsx").assembly.data
    project = project_iri("S30101")
    assert (project, HK.projectCode, Literal("S30101")) in data
    claim = next(c for c in data.subjects(RDF.subject, project) if data.value(c, RDF.predicate) == HK.projectCode)
    span = data.value(claim, URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"))
    assert (span, RDF.type, HK.SpreadsheetCell) in data
    assert (data.value(span, HK.sheetName), data.value(span, HK.rowNumber), data.value(span, HK.columnName)) == (
        Literal("Raportti"), Literal(2, datatype=XSD.positiveInteger), Literal("Hankekoodi"))
    assert (data.value(span, HK.inDocument), RDF.type, HK.RegisterExport) in data


def test_build_joins_a_project_by_code_with_a_competing_date() -> None:
    result = _build("lappi2025_hankkeet.csv")
    data, project = result.assembly.data, project_iri("S20154")
    assert len(set(data.subjects(HK.projectCode, Literal("S20154")))) == 1
    assert data.value(project, HK.end) == Literal("2018-02-28", datatype=XSD.date)
    conflict = next(c for c in result.assembly.conflicts if c.subject == str(project) and c.predicate == str(HK.end))
    assert conflict.rejected == (("2018-06-30", ("lappi2025_hankkeet.csv",)),)
    assert conflict.rule.startswith("source precedence")
    losing = [c for c in data.subjects(RDF.object, Literal("2018-06-30", datatype=XSD.date))
              if data.value(c, RDF.predicate) == HK.end]
    assert losing and all(data.value(c, HK.supersededBy) is not None for c in losing)


def test_build_joins_a_project_by_name_and_lead() -> None:
    data = _build("lappi2025_hankkeet.csv").assembly.data
    project = project_iri("arjen-turvan-tiekartta")
    assert (project, DCTERMS.identifier, Literal("AT-2020")) in data
    titled = {s for s in data.subjects(DCTERMS.title, None)
              if str(data.value(s, DCTERMS.title)).casefold() == "arjen turvan tiekartta"}
    assert titled == {project}


def test_build_reuses_an_organisation_by_business_id_and_curated_name() -> None:
    result = _build("lappi2025_hankkeet.csv")
    data, before = result.assembly.data, assemble().data
    assert data.value(project_iri("arjen-turvan-tiekartta"), HK.leadImplementer) == LAPIN_AMK
    assert (LAPIN_AMK, SKOS.altLabel, Literal("Lapin AMK", lang="fi")) in data
    organisations = {o for o in data.subjects(SKOS.prefLabel, None) if str(o).startswith(str(ID["org/"]))}
    existing = {o for o in before.subjects(SKOS.prefLabel, None) if str(o).startswith(str(ID["org/"]))}
    assert organisations == existing  # Lapin AMK, Majakka ry and Savukosken kunta were all known
    assert any(f.kind == "reused organisation" and "Savukosken kunta" in f.detail
               for f in result.assembly.import_findings)


def test_build_places_a_project_where_it_is_carried_out() -> None:
    data = _build("lappi2025_hankkeet.csv").assembly.data
    project = next(iter(data.subjects(DCTERMS.identifier, Literal("SAV-2024"))))
    assert data.value(project, HK.leadImplementer) == LAPIN_AMK  # in Rovaniemi
    assert set(data.objects(project, HK.targetArea)) == {municipality_iri("742")}


def test_build_keeps_the_eura_beneficiary_office_off_the_project() -> None:
    data = _build("eura2021_report.xlsx").assembly.data
    project = project_iri("S30101")  # run in Savukoski by a Rovaniemi association
    assert set(data.objects(project, HK.targetArea)) == {municipality_iri("742")}
    lead = data.value(project, HK.leadImplementer)
    assert data.value(lead, HK.domicile) == municipality_iri("698")


def test_build_with_bad_rows_lists_every_one_and_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(BadInputError) as caught:
        build(add=[IMPORTS / "bad_several.xlsx", IMPORTS / "stea_bad_rows.xlsx"], output_dir=tmp_path / "out")
    files = {b.location.file for b in caught.value.bad_rows}
    assert files == {"bad_several.xlsx", "stea_bad_rows.xlsx"}
    assert len(str(caught.value).splitlines()) == len(caught.value.bad_rows) + 1
    assert not (tmp_path / "out").exists()


def test_build_skip_bad_rows_builds_and_lists_them() -> None:
    result = build(add=[IMPORTS / "stea_bad_rows.xlsx"], skip_bad_rows=True)
    report = result.assembly.imports[0].report
    assert result.conforms and report.skipped
    assert [line for line in result.import_lines() if line.startswith("  skipped")] == [
        f"  skipped {bad}" for bad in report.skipped]


def test_read_imports_refuses_two_sources_of_one_name(tmp_path: Path) -> None:
    shutil.copy(IMPORTS / "stea_register.csv", tmp_path / "stea_register.csv")
    with pytest.raises(InputError, match="already added from"):
        read_imports([IMPORTS / "stea_register.csv", tmp_path / "stea_register.csv"])
    with pytest.raises(InputError, match="bundled source"):
        read_imports([IMPORTS / "stea_register.csv"], reserved=["stea_register.csv"])


def test_verify_claims_reads_the_cell_again(tmp_path: Path) -> None:
    result = _build("stea_register.csv")
    changed = tmp_path / "stea_register.csv"
    changed.write_text((IMPORTS / "stea_register.csv").read_text(encoding="utf-8").replace("95000", "96000"),
                       encoding="utf-8")
    mismatches = verify_claims(result.assembly.data, resource_dir("data/sources"),
                               imported={"stea_register.csv": changed})
    assert mismatches and {m.column for m in mismatches} == {"haettu"}
    assert "column 'haettu'" in str(mismatches[0])


def test_build_without_additions_has_no_imports() -> None:
    result = _build()
    assert result.assembly.imports == () and result.import_lines() == []


def test_build_maps_eura_esr_plus_to_its_fund_and_programme() -> None:
    data = _build("eura2021_report.xlsx").assembly.data
    funding = next(iter(data.objects(project_iri("S30101"), HK.hasFunding)))
    assert data.value(funding, HK.funder) == ID["fund/esr-plus"]
    assert data.value(funding, HK.programme) == PROGRAMME_2021


@cache
def _build_together() -> BuildResult:
    """The three format fixtures and the EURA report of post offices, built together (its bad row skipped)."""
    return build(add=[IMPORTS / n for n in ("hankkeet_filled.xlsx", "eura2021_report.xlsx", "stea_register.xlsx",
                                            "eura2021_postal_towns.xlsx")], skip_bad_rows=True)


def test_build_places_eura_projects_by_post_offices_that_are_not_municipalities() -> None:
    result = _build_together()
    assert result.conforms, result.validation.text()
    data = result.assembly.data
    places = {code: set(data.objects(project_iri(code), HK.targetArea))
              for code in ("S30201", "S30202", "J30301", "S30203")}
    assert places == {"S30201": {municipality_iri("148")}, "S30202": {municipality_iri("758")},  # SAARISELKÄ; 99690
                      "J30301": {municipality_iri("498")}, "S30203": {municipality_iri("273")}}  # PALLASTUNTURI
    lead = data.value(project_iri("S30201"), HK.leadImplementer)
    assert data.value(lead, HK.domicile) == municipality_iri("148")  # head office IVALO, a post office of Inari
    jtf = next(iter(data.objects(project_iri("J30301"), HK.hasFunding)))
    assert (data.value(jtf, HK.funder), data.value(jtf, HK.programme)) == (ID["fund/jtf"], PROGRAMME_2021)
    assert ("  skipped eura2021_postal_towns.xlsx, sheet 'Raportti', row 7, column 'Toteutuspaikan "
            "postitoimipaikka': unknown post office 'YLLÄSJÄRVI'") in "\n".join(result.import_lines())


def test_build_reports_an_unknown_fund_with_its_cell() -> None:
    # A fund value no rule knows is kept as stated and reported with its cell, not dropped.
    result = _build_together()
    assert ("  eura2021_postal_towns.xlsx, sheet 'Raportti', row 5, column 'Rahasto': not resolved: funder "
            "'Koheesiorahasto' is not in funders.yaml; kept as stated") in result.import_lines()
    data = result.assembly.data
    unknown = next(iter(data.objects(project_iri("S30203"), HK.hasFunding)))
    assert data.value(data.value(unknown, HK.funder), SKOS.prefLabel) == Literal("Koheesiorahasto", lang="fi")


def test_build_keeps_organisations_with_different_business_ids_apart() -> None:
    data = _build_together().assembly.data
    lead = {code: data.value(project_iri(code), HK.leadImplementer) for code in ("S30102", "S30155", "A70301")}
    assert len(set(lead.values())) == 3
    assert {str(data.value(o, SKOS.prefLabel)) for o in lead.values()} == {
        "Tunturi-Lapin Turva ry", "Pohjois-Lapin Nuoret ry", "Meri-Lapin Kehitys Oy"}
    # Lapin Kylätoiminta ry in the template, the EURA report and the STEA register, by its one business ID.
    assert len(set(data.subjects(HK.businessId, Literal("2841553-1")))) == 1


# --- docs/worked-example.md: the same steps through the Python API ---------------------------------

def _shown(command: str) -> list[str]:
    """The lines docs/worked-example.md shows printed by ``$ command``."""
    after = WORKED_EXAMPLE.split(f"$ {command}\n", 1)[1].split("```", 1)[0]
    return after.split("\n$ ", 1)[0].splitlines()


def _with_addition() -> BuildResult:
    return _build("hankkeet_filled.xlsx")  # the example copies this file to hankkeet.xlsx


def test_worked_example_build_prints_what_the_page_shows() -> None:
    # The page leaves out the lines about the bundled sources ("…"); the others are printed, in order.
    shown = [line for line in _shown("hyvinvointi-kg build --add hankkeet.xlsx -o uusi")
             if line != "…" and not line.startswith("wrote ")]
    printed = iter(line.replace("hankkeet_filled.xlsx", "hankkeet.xlsx") for line in _with_addition().lines())
    assert all(line in printed for line in shown), STALE
    assert shown[0].startswith("added hankkeet.xlsx") and shown[-1].startswith("organisations: "), STALE


def test_worked_example_new_organisations_and_the_esr_plus_rule() -> None:
    old, new = (set(b.assembly.data.subjects(SKOS.prefLabel, None)) for b in (_build(), _with_addition()))
    added = {str(_with_addition().assembly.data.value(o, SKOS.prefLabel)) for o in new - old
             if str(o).startswith(str(ID["org/"]))}
    assert added == {"Lapin Kylätoiminta ry", "Tunturi-Lapin Turva ry", "Inarin Seniorit ry",
                     "Lapin Oppimiskeskus Oy", "Lapin ELY-keskus"}
    assert "five organisations are new" in " ".join(WORKED_EXAMPLE.split()).casefold(), STALE
    rule = match_funding("ESR+", load_funding_rules(resource_dir("data/curation") / "funders.yaml"))
    assert rule is not None and f"rule {rule.index} of" in WORKED_EXAMPLE, STALE


def test_worked_example_table_is_the_fixture() -> None:
    projects = read_import(IMPORTS / "hankkeet_filled.xlsx").projects
    table = re.findall(r"^\| `([^`]+)` \| ([^|]+) \| ([^|(]+)", WORKED_EXAMPLE, re.MULTILINE)
    assert [(code, name.strip(), lead.strip()) for code, name, lead in table] == [
        (p.code.text if p.code else "", p.name.text, p.implementers[0].name.text) for p in projects], STALE


def test_worked_example_diff_prints_what_the_page_shows() -> None:
    old, new = _build(), _with_addition()
    changes = hk.diff_builds(old.assembly.places + old.assembly.data, new.assembly.places + new.assembly.data)
    assert _shown("hyvinvointi-kg diff data/ttl uusi") == changes.lines(), STALE


@pytest.mark.parametrize("data_dir", ["data/ttl", "uusi"])
def test_worked_example_funded_elsewhere_shows_the_rows(data_dir: str) -> None:
    pytest.importorskip("pyoxigraph", reason="needs the 'serve' extra")
    from hyvinvointi_kg.stores.oxigraph import load_store
    from hyvinvointi_kg.stores.oxrdflib_adapter import graph_over_store

    # On Oxigraph, as the command runs it (the same rows as rdflib, tests/test_funded_elsewhere.py).
    graph = graph_over_store(load_store((_build() if data_dir == "data/ttl" else _with_addition()).graph))
    found = hk.funded_elsewhere(graph, municipality="Savukoski").organisations
    shown = _shown(f"hyvinvointi-kg funded-elsewhere --data-dir {data_dir} --municipality Savukoski")
    assert shown[-1] == (f"({len(found)} row{'s' if len(found) != 1 else ''})"), STALE
    for row in found.itertuples(index=False):
        line = next(line for line in shown if line.startswith(f"{row.organisation} "))
        # (The page's file is hankkeet.xlsx, a copy of the fixture: its cells cite that name.)
        assert all(str(value).replace("hankkeet_filled.xlsx", "hankkeet.xlsx") in line for value in row), STALE


def test_worked_example_map_counts() -> None:
    graph = _with_addition().graph
    for command, funder in (("hyvinvointi-kg map --data-dir uusi -o kartta.html", None),
                            ('hyvinvointi-kg map --data-dir uusi -o esr-plus.html --funder "ESR+"', "ESR+")):
        counts = hk.municipality_counts(graph, region="19", funder=funder)
        [line] = _shown(command)
        quoted = re.search(r"\((\d+) municipalities, (\d+) without projects, (\d+) projects covering", line)
        assert quoted and tuple(map(int, quoted.groups())) == (
            len(counts.frame), len(counts.white_spots), len(counts.region_wide_projects)), STALE


def test_worked_example_municipalities_that_gained_projects() -> None:
    before, after = (hk.municipality_counts(b.graph, region="19").frame.set_index("name")["projects"]
                     for b in (_build(), _with_addition()))
    changed = {name: (int(before[name]), int(after[name])) for name in after.index if before[name] != after[name]}
    table = re.findall(r"^\| (\w+) \| (\d+) \| (\d+) \|$", WORKED_EXAMPLE, re.MULTILINE)
    assert {name: (int(a), int(b)) for name, a, b in table} == changed, STALE
