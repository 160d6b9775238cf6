"""Tests of hyvinvointi_kg.assembly.imported: spreadsheets added to the build (``build --add``)."""

from __future__ import annotations

import shutil
from functools import cache
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

from hyvinvointi_kg._resources import resource_dir
from hyvinvointi_kg.assembly.assemble import assemble
from hyvinvointi_kg.assembly.imported import read_imports
from hyvinvointi_kg.assembly.provenance import verify_claims
from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.ingest.import_records import BadInputError
from hyvinvointi_kg.namespaces import HK, ID, municipality_iri, project_iri
from hyvinvointi_kg.pipeline import BuildResult, build

IMPORTS = Path(__file__).parent / "data" / "imports"
IMPORTED = Path(__file__).parent / "data" / "imported"
EXISTING = IMPORTED / "lappi2025_hankkeet.csv"
LAPIN_AMK = ID["org/lapin-ammattikorkeakoulu-oy"]


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
