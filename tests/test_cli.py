"""The command line: documented exit codes, one-line errors, nothing half-written."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from hyvinvointi_kg._resources import resource_dir
from hyvinvointi_kg.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_build_writes_valid_graph_and_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "build", "-o", str(tmp_path))
    assert code == 0, err
    assert "validation: conforms" in out
    assert "projects: 227" in out and "regions: 19" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "build-report.md", "graph.ttl", "inferred.ttl", "places.ttl"]
    for path in tmp_path.iterdir():  # the committed data/ttl is exactly a fresh build
        assert path.read_bytes() == (resource_dir("data/ttl") / path.name).read_bytes(), path.name
    code, out, _ = run(capsys, "validate", "--data-dir", str(tmp_path))
    assert code == 0 and out.startswith("Conforms.")


def test_build_missing_source_names_it_and_keeps_existing_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "graph.ttl").write_text("# previous build\n")
    sources = tmp_path / "sources"
    sources.mkdir()
    for path in resource_dir("data/sources").iterdir():
        if path.name != "eura_S20154_description_fi.txt":
            (sources / path.name).write_bytes(path.read_bytes())
    code, _, err = run(capsys, "build", "--sources", str(sources), "-o", str(out_dir))
    assert code == 2
    assert "eura_S20154_description_fi.txt: source file not found" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert (out_dir / "graph.ttl").read_text() == "# previous build\n"
    assert sorted(p.name for p in out_dir.iterdir()) == ["graph.ttl"]


def test_validate_default_bundled_graph_conforms(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "validate")
    assert code == 0 and out.startswith("Conforms.")


def test_validate_fast_and_reference_validators_report_the_same(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix hk: <https://w3id.org/hyvinvointi-kg/ontology#> .\n"
        "<https://w3id.org/hyvinvointi-kg/id/place/kunta/47> a hk:Municipality ;\n"
        "    hk:municipalityCode \"47\" .\n")
    fast = run(capsys, "validate", "--validator", "oxigraph", str(bad))
    reference = run(capsys, "validate", "--validator", "pyshacl", str(bad))
    assert fast[0] == reference[0] == 1
    assert fast[1].splitlines()[0] == reference[1].splitlines()[0]  # the counts line
    assert sorted(fast[1].splitlines()) == sorted(reference[1].splitlines())


def test_validate_syntax_error_names_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\n\nex:a ex:b ex:c ;\n  ex:d .\n")
    code, out, err = run(capsys, "validate", str(bad))
    assert code == 2 and out == ""
    assert err.startswith(f"error: {bad}:4: RDF syntax error")
    assert len(err.strip().splitlines()) == 1


def test_validate_nonconforming_file_reports_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix hk: <https://w3id.org/hyvinvointi-kg/ontology#> .\n"
        "<https://w3id.org/hyvinvointi-kg/id/place/kunta/47> a hk:Municipality ;\n"
        "    hk:municipalityCode \"47\" .\n")
    code, out, _ = run(capsys, "validate", str(bad))
    assert code == 1
    assert out.startswith("Does not conform.")
    assert "<https://w3id.org/hyvinvointi-kg/id/place/kunta/47>" in out
    code, out, _ = run(capsys, "validate", "--lang", "fi", str(bad))
    assert code == 1 and "kunta" in out.lower()


def test_validate_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "validate", str(tmp_path / "nope.ttl"))
    assert code == 2 and "nope.ttl: file not found" in err


def test_query_named_csv(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "query", "projects", "--format", "csv",
                       "--param", "place=https://w3id.org/hyvinvointi-kg/id/place/kunta/320")
    assert code == 0
    assert out.splitlines()[0] == "project,code,title,lead,lead_label,start,end,status"
    assert ",S21758," in out and ",S20154," not in out


def test_query_file_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rq = tmp_path / "count.rq"
    rq.write_text("#+ summary: count projects\n#+ returns: [n]\n"
                  "SELECT (COUNT(?p) AS ?n) WHERE { ?p a hk:Project }\n")
    code, out, _ = run(capsys, "query", str(rq), "--format", "json")
    assert code == 0 and '"n": 227' in out


def test_query_unknown_name_lists_available(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "query", "nonexistent")
    assert code == 2 and "unknown query 'nonexistent'" in err and "projects" in err


def test_query_missing_and_unknown_parameter_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "query", "project-claims")
    assert code == 2 and "missing required parameter(s): project" in err
    code, _, err = run(capsys, "query", "projects", "--param", "colour=red")
    assert code == 2 and "no parameter 'colour'" in err
    code, _, err = run(capsys, "query", "projects", "--param", "noequals")
    assert code == 2 and "key=value" in err


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["frobnicate"])
    assert exc.value.code == 2


def test_info_counts(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "info")
    assert code == 0
    counts = dict(line.split(": ") for line in out.splitlines())
    assert counts["projects"] == "227" and counts["municipalities"] == "309"
    assert counts["subregions"] == "69" and counts["sources"] == "11"
    assert int(counts["organisations"]) > 250


def test_python_dash_m_runs_the_cli() -> None:
    proc = subprocess.run([sys.executable, "-m", "hyvinvointi_kg", "query", "--list"],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and "projects(" in proc.stdout


def test_build_with_broken_reference_turtle_names_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reference = tmp_path / "reference"
    shutil.copytree(resource_dir("data/reference"), reference)
    funding = reference / "funding.ttl"
    funding.write_text(funding.read_text(encoding="utf-8") + "\nhkid:x hk:y .\n", encoding="utf-8")
    code, _, err = run(capsys, "build", "--reference", str(reference), "-o", str(tmp_path / "out"))
    assert code == 2
    assert err.startswith(f"error: {funding}:") and "RDF syntax error" in err
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


# --- output formats: fitted tables, typed JSON, workbooks, maps ------------------------------------

def test_xlsx_without_output_file_is_refused_before_work(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "query", "projects", "-f", "xlsx", "--backend", "memory")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "-o FILE.xlsx" in err


def test_query_xlsx_reads_back_with_typed_cells(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "projects.xlsx"
    code, _, err = run(capsys, "query", "projects-by-filter", "-p", "active_from=1.1.2019", "-f", "xlsx",
                       "-o", str(path), "--backend", "memory")
    assert code == 0, err
    sheet = load_workbook(path)["projects-by-filter"]
    header = [c.value for c in sheet[1]]
    assert sheet.freeze_panes == "A2" and "start_date" in header
    starts = [row[header.index("start_date")] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert any(hasattr(value, "year") for value in starts)  # a real date, not text


def test_overlaps_json_has_numbers_iso_dates_and_null(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    code, out, _ = run(capsys, "overlaps", "-f", "json", "--backend", "memory", "--municipality", "Kemi")
    rows = json.loads(out)
    assert code == 0 and rows
    first = rows[0]
    assert isinstance(first["score"], float) and isinstance(first["overlap_days"], int)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", first["overlap_start"])
    assert all(row["shared_organisations"] is None or row["shared_organisations"] for row in rows)


def test_table_fits_the_terminal_and_says_what_it_cut(capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import hyvinvointi_kg.terminal as terminal

    monkeypatch.setattr(terminal, "terminal_width", lambda *, full=False: None if full else 80)
    code, out, _ = run(capsys, "table", "organisations", "--backend", "memory")
    assert code == 0
    lines = out.splitlines()
    assert max(len(line) for line in lines[:-1]) <= 80 and "…" in out
    assert "cut to fit 80 columns" in lines[-1]
    code, full, _ = run(capsys, "table", "organisations", "--backend", "memory", "--full")
    assert "…" not in full.splitlines()[-1] and max(len(line) for line in full.splitlines()) > 80


def test_map_writes_an_offline_page_and_counts_white_spots(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "turvallisuus.html"
    code, out, err = run(capsys, "map", "-o", str(path), "--theme", "turvallisuus", "--period", "2015–2022",
                         "--backend", "memory")
    assert code == 0, err
    assert "21 municipalities" in out and "without projects" in out
    page = path.read_text(encoding="utf-8")
    assert "<svg" in page and "<script src" not in page and "Maanmittauslaitos" in page


def test_export_workbook_has_a_sheet_per_subject(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "hankkeet.xlsx"
    code, _, err = run(capsys, "export", "workbook", "-o", str(path), "--no-overlaps", "--backend", "memory")
    assert code == 0, err
    names = load_workbook(path, read_only=True).sheetnames
    assert {"projects", "implementers", "funding", "municipalities", "claims"} <= set(names)


def test_diff_of_two_builds_names_the_added_projects(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    imports = Path(__file__).parent / "data" / "imports"
    old, new = tmp_path / "old", tmp_path / "new"
    assert run(capsys, "build", "-o", str(old))[0] == 0
    assert run(capsys, "build", "-o", str(new), "--add", str(imports / "eura2021_report.xlsx"))[0] == 0
    code, out, err = run(capsys, "diff", str(old), str(new))
    assert code == 0, err
    assert out.startswith("projects: 3 added, 0 removed") and "+ project hkid:project/S30101" in out
    assert run(capsys, "diff", str(old), str(tmp_path / "nowhere"))[0] == 2


def test_funded_elsewhere_lists_organisations_with_several_funders(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    code, out, err = run(capsys, "funded-elsewhere", "--municipality", "Kemi", "--period", "2018–2019",
                         "-f", "json")
    assert code == 0, err
    rows = json.loads(out)
    assert rows and all(row["funder_count"] >= 2 for row in rows)
    assert "Kemin kaupunki" in {row["organisation_label"] for row in rows}
