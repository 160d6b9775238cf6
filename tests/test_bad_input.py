"""Bad input never loses data silently and never shows a traceback: one line, a documented exit code."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hyvinvointi_kg._resources import resource_dir
from hyvinvointi_kg.assembly.curation import load_curation_file
from hyvinvointi_kg.assembly.funding import load_funding_rules, split_funding_cell
from hyvinvointi_kg.assembly.organisations import load_organisation_curation
from hyvinvointi_kg.assembly.periods import parse_period
from hyvinvointi_kg.cells import escape_formula, frame_to_csv
from hyvinvointi_kg.cli import main
from hyvinvointi_kg.errors import BuildError, InputError, one_line
from hyvinvointi_kg.ingest.catalogue_graph import load_corrections
from hyvinvointi_kg.ingest.catalogue_layout import load_catalogue_layout
from hyvinvointi_kg.pipeline import write_output_folder

LOADERS = (load_curation_file, load_funding_rules, load_corrections, load_organisation_curation,
           load_catalogue_layout)


def fails_in_one_line(capsys: pytest.CaptureFixture[str], *argv: str, code: int = 2) -> str:
    """Run the CLI; assert the exit code and a single error line without a traceback."""
    assert main(list(argv)) == code
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    return err


# --- curation files ------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["funders.yaml", "organisations.yaml", "corrections.yaml"])
def test_load_curation_file_duplicate_key_names_file_line_and_key(tmp_path: Path, name: str) -> None:
    text = (resource_dir("data/curation") / name).read_text(encoding="utf-8")
    path = tmp_path / name
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("  - ") and ":" in line)
    key = lines[first][4:].split(":")[0]
    lines.insert(first + 1, f"    {key}: again")  # the same key twice in one mapping
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=rf"{name}: line {first + 2}: found the key '{key}' a second time"):
        load_curation_file(path)


def test_load_curation_file_duplicate_key_in_a_flow_mapping(tmp_path: Path) -> None:
    path = tmp_path / "funders.yaml"
    path.write_text("rules:\n  - {match: STEA, funders: [org/stea], match: ESR}\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 2: found the key 'match' a second time"):
        load_funding_rules(path)


def test_load_curation_file_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "funders.yaml"
    path.write_bytes("rules:\n  - {match: Sää, funders: [x]}\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"funders.yaml:2: not valid UTF-8"):
        load_funding_rules(path)


@pytest.mark.parametrize("loader, text, message", [
    (load_corrections, "corrections:\n  - {section: Kemi, line: eight, field: name, value: x, reason: y}\n",
     "correction 1: line must be an integer, not text"),
    (load_corrections, "corrections: Kemi\n", "corrections must be a list"),
    (load_funding_rules, "rules:\n  - {match: STEA, funders: 5}\n", "rule 1: funders must be a list"),
    (load_funding_rules, "rules:\n  - {match: [STEA], funders: [x]}\n", "rule 1: match must be text"),
    (load_funding_rules, "rules:\n  - {match: STEA, funders: [{a: 1}]}\n", "rule 1: funders must be text"),
    (load_organisation_curation, "not_organisations: [a, b]\n", "not_organisations must be a mapping"),
    (load_organisation_curation, "organisations:\n  - {name: [A], kind: Association}\n",
     "organisation 1: name must be text"),
    (load_organisation_curation, "distinct:\n  - [A, 5]\n", "distinct entry 1 must be text"),
])
def test_curation_loaders_wrong_value_type_is_an_input_error(
        tmp_path: Path, loader: object, text: str, message: str) -> None:
    path = tmp_path / "curation.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        loader(path)  # type: ignore[operator]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(LOADERS), st.one_of(
    st.text(max_size=300),
    st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
    st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=10),
                 lambda inner: st.lists(inner, max_size=4)
                 | st.dictionaries(st.sampled_from(["rules", "corrections", "organisations",
                                                    "distinct", "not_organisations", "match",
                                                    "funders", "line", "name", "kind",
                                                    "sections", "header", "heading", "entries"]),
                                   inner, max_size=5),
                 max_leaves=12).map(repr),
))
def test_curation_loaders_arbitrary_text_raises_only_input_errors(
        tmp_path_factory: pytest.TempPathFactory, loader: object, text: str) -> None:
    import yaml

    path = tmp_path_factory.mktemp("curation") / "file.yaml"
    try:  # half the texts are YAML of Python reprs, a wide mix of shapes and types
        path.write_text(yaml.safe_dump(yaml.safe_load(text)), encoding="utf-8")
    except (yaml.YAMLError, ValueError):
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
    with contextlib.suppress(InputError):
        loader(path)  # type: ignore[operator]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(LOADERS), st.binary(max_size=300))
def test_curation_loaders_arbitrary_bytes_raise_only_input_errors(
        tmp_path_factory: pytest.TempPathFactory, loader: object, raw: bytes) -> None:
    path = tmp_path_factory.mktemp("curation") / "file.yaml"
    path.write_bytes(raw)
    with contextlib.suppress(InputError):
        loader(path)  # type: ignore[operator]


# --- periods and funding cells -------------------------------------------------------------

@pytest.mark.parametrize("text", ["Kesäkuu 0000 – Huhtikuu 2019", "1.1.0000 - 2.2.2019",
                                  "5/0000 - 2019", "0/2019", "Toukokuu 9999"])
def test_parse_period_impossible_year_is_a_problem_not_a_crash(text: str) -> None:
    period = parse_period(text)
    assert period.start is None and period.problems
    assert split_funding_cell(f"STEA {text}")[0].startswith("STEA")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789.-–/→, KkesäuHhtiTlmjy", max_size=40))
def test_parse_period_arbitrary_text_never_raises(text: str) -> None:
    period = parse_period(text)
    for part in (period.start, period.end):
        if part is not None:
            assert part.first_day() <= part.last_day()
            part.literal()
    split_funding_cell(f"ESR {text}")


# --- the command line ----------------------------------------------------------------------

def test_build_output_is_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.ttl"
    target.write_text("keep", encoding="utf-8")
    err = fails_in_one_line(capsys, "build", "-o", str(target))
    assert "is a file; the output must be a folder" in err
    assert target.read_text(encoding="utf-8") == "keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.ttl"]


def test_build_output_under_a_file_is_not_writable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "file").write_text("", encoding="utf-8")
    err = fails_in_one_line(capsys, "build", "-o", str(tmp_path / "file" / "out"))
    assert "is not a writable folder" in err


def test_network_output_is_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    err = fails_in_one_line(capsys, "network", "co-implementation", "-o", str(tmp_path))
    assert err.strip() == f"error: {tmp_path}: Is a directory"
    assert list(tmp_path.iterdir()) == []


def test_build_damaged_catalogue_header_stops_the_build(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    for path in resource_dir("data/sources").iterdir():
        (sources / path.name).write_bytes(path.read_bytes())
    catalogue = sources / "lapland_projects_catalogue_fi.txt"
    lines = catalogue.read_text(encoding="utf-8").split("\n")
    lines[2] = "Hankkeen tiedot"  # Kemi's header row, beyond recognition
    catalogue.write_text("\n".join(lines), encoding="utf-8")
    err = fails_in_one_line(capsys, "build", "--sources", str(sources), "-o", str(tmp_path / "out"))
    assert "section 'Kemi' not found; line 2 reads 'Kemi'" in err
    assert not (tmp_path / "out").exists()


def test_serve_port_out_of_range(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["serve", "--port", "99999"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "not a port number (0-65535)" in err


def test_validate_remote_jsonld_context_is_refused_not_fetched(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data.jsonld"
    data.write_text('{"@context": ["http://192.0.2.1/never.jsonld", {"ex": "http://example.org/"}],'
                    ' "@id": "ex:a", "ex:p": "x"}', encoding="utf-8")
    err = fails_in_one_line(capsys, "validate", str(data))
    assert "'http://192.0.2.1/never.jsonld' is another document, which is not fetched" in err


def test_validate_jsonld_with_inline_context_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data.jsonld"
    data.write_text('{"@context": {"ex": "http://example.org/"}, "@id": "ex:a", "ex:p": "x"}',
                    encoding="utf-8")
    assert main(["validate", str(data)]) == 0


def test_error_messages_cut_a_long_value(capsys: pytest.CaptureFixture[str]) -> None:
    err = fails_in_one_line(capsys, "query", "projects", "-p", "x" * 100_000 + "=1")
    assert len(err) < 300 and "…" in err


def test_one_line_cuts_quoted_values_and_joins_lines() -> None:
    message = one_line("bad value " + repr("a\nb" * 10_000) + " in file.yaml")
    assert len(message) < 120 and message.endswith("… in file.yaml") and "\n" not in message


def test_a_dead_validation_process_is_reported_not_waited_for(monkeypatch: pytest.MonkeyPatch) -> None:
    from rdflib import Graph

    from hyvinvointi_kg.validation import validate as validation

    def die(graph: Graph, **options: object) -> None:
        os._exit(9)  # as if killed

    monkeypatch.setattr(validation, "_validator", lambda fast: die)
    wait = validation.validate_in_background(Graph(), engine="sparql")
    with pytest.raises(BuildError, match=r"the validation process died \(exit code 9\)"):
        wait()


def test_build_error_is_exit_3_in_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    import hyvinvointi_kg.pipeline

    def fail(**options: object) -> None:
        raise BuildError("the validation process died (exit code -9) without a report")

    monkeypatch.setattr(hyvinvointi_kg.pipeline, "assemble", fail)
    err = fails_in_one_line(capsys, "build", "-o", str(tmp_path / "out"), code=3)
    assert "validation process died" in err and not (tmp_path / "out").exists()


# --- the output folder ---------------------------------------------------------------------

def test_write_output_folder_replaces_the_set_and_keeps_other_files(tmp_path: Path) -> None:
    out = tmp_path / "ttl"
    write_output_folder({"a.ttl": b"old a", "b.ttl": b"old b"}, out)
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    write_output_folder({"a.ttl": b"new a", "b.ttl": b"new b"}, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == {
        "a.ttl": b"new a", "b.ttl": b"new b", "notes.txt": b"mine"}
    assert [p.name for p in tmp_path.iterdir()] == ["ttl"]  # no temporary folder left


def test_write_output_folder_failure_leaves_the_old_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "ttl"
    write_output_folder({"a.ttl": b"old a", "b.ttl": b"old b"}, out)
    renames = []

    def rename_once(src: object, dst: object) -> None:
        renames.append(dst)
        if len(renames) == 2:  # the new folder cannot be renamed in
            raise PermissionError(13, "Permission denied", str(dst))
        os.replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "rename", rename_once)
    with pytest.raises(InputError, match="it is unchanged"):
        write_output_folder({"a.ttl": b"new a", "b.ttl": b"new b"}, out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == {"a.ttl": b"old a", "b.ttl": b"old b"}
    assert [p.name for p in tmp_path.iterdir()] == ["ttl"]


# --- stores --------------------------------------------------------------------------------

def test_two_processes_building_one_new_store_both_succeed(tmp_path: Path) -> None:
    store = tmp_path / "store"
    command = [sys.executable, "-m", "hyvinvointi_kg", "info", "--backend", f"oxigraph:{store}"]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    for run in runs:
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
        assert "projects: 227" in out
    assert [p.name for p in tmp_path.iterdir()] == ["store"]


def test_a_damaged_data_block_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from hyvinvointi_kg.stores.backends import build_store

    location = build_store(tmp_path / "store")
    for table in (location / "db").glob("*.sst"):
        if table.stat().st_size > 100_000:  # a data block in the middle, not the file's index
            data = bytearray(table.read_bytes())
            data[len(data) // 3: len(data) // 3 + 64] = b"\0garbage" * 8
            table.write_bytes(bytes(data))
    # caught before any query reads the damaged table (a query over it made Oxigraph allocate
    # gigabytes and abort), by the table checksums kept when the store was built
    err = fails_in_one_line(capsys, "info", "--backend", f"oxigraph:{location}")
    assert "the Oxigraph store is damaged" in err and "delete its folder" in err


def test_a_damaged_store_without_checksums_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # a store built before the checksums were kept: RocksDB reports the damage on reading
    from hyvinvointi_kg.stores.backends import build_store

    location = build_store(tmp_path / "store")
    (location / "tables.sha256").unlink()
    for table in (location / "db").glob("*.sst"):
        if table.stat().st_size > 100_000:
            data = bytearray(table.read_bytes())
            data[len(data) // 3: len(data) // 3 + 64] = b"\0garbage" * 8
            table.write_bytes(bytes(data))
    err = fails_in_one_line(capsys, "table", "organisations", "--backend", f"oxigraph:{location}")
    assert "Corruption" in err and "the Oxigraph store is damaged: delete its folder" in err


# --- CSV for spreadsheets ------------------------------------------------------------------

@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+1", "-1+1", "@SUM(A1)", "\tx", "\rx"])
def test_escape_formula_makes_a_formula_text(text: str) -> None:
    assert escape_formula(text) == "'" + text


def test_frame_to_csv_escapes_cells_and_index() -> None:
    import pandas

    frame = pandas.DataFrame({"label": ["=cmd()", "Kemi"], "n": [-1, 2]}, index=["@a", "b"])
    assert frame_to_csv(frame, index=True) == ",label,n\n'@a,'=cmd(),-1\nb,Kemi,2\n"


def test_write_network_csv_escapes_labels(tmp_path: Path) -> None:
    from hyvinvointi_kg.analysis.networks import write_network

    G = nx.Graph()
    G.add_node("a", label="=cmd()")
    G.add_node("b", label="Kemi")
    G.add_edge("a", "b", weight=1, project_names="+x")
    write_network(G, tmp_path / "net.csv", format="csv")
    edges = (tmp_path / "net.csv").read_text(encoding="utf-8")
    nodes = (tmp_path / "net.nodes.csv").read_text(encoding="utf-8")
    assert "'=cmd()" in edges and "'+x" in edges and "'=cmd()" in nodes


# --- the source parsers --------------------------------------------------------------------

def _source_lines(name: str) -> list[str]:
    return (resource_dir("data/sources") / name).read_text(encoding="utf-8").splitlines()


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["register", "summary_card", "news"]), st.data())
def test_source_parsers_damaged_text_raises_only_input_errors(
        tmp_path_factory: pytest.TempPathFactory, kind: str, data: st.DataObject) -> None:
    from hyvinvointi_kg.ingest.news import parse_news_release
    from hyvinvointi_kg.ingest.register import parse_register
    from hyvinvointi_kg.ingest.summary_card import parse_summary_card

    parser, name = {
        "register": (parse_register, "eura_S20154_description_fi.txt"),
        "summary_card": (parse_summary_card, "S21758_summary_card_fi.txt"),
        "news": (parse_news_release, "S21758_news_2019-08-07_fi.txt"),
    }[kind]
    lines = _source_lines(name)
    # Real lines, some dropped, repeated or replaced by arbitrary text: a damaged document.
    picked = data.draw(st.lists(st.one_of(st.sampled_from(lines), st.text(max_size=60)), max_size=80))
    path = tmp_path_factory.mktemp("source") / name
    path.write_text("\n".join(picked), encoding="utf-8", errors="surrogatepass")
    with contextlib.suppress(InputError):
        parser(path)


# --- query files and parameters ------------------------------------------------------------------

_RQ = """#+ summary: Projects above an amount.
#+ params:
#+   - name: share
#+     type: decimal
#+ returns: [project]
SELECT ?project WHERE { ?project a <https://w3id.org/hyvinvointi-kg/ontology#Project> FILTER(?share > 0) }
"""


@pytest.mark.parametrize("value", ["1e-999999999", "1e999999999", "NaN", "Infinity", "1" * 100])
def test_a_decimal_parameter_out_of_range_is_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str) -> None:
    rq = tmp_path / "amounts.rq"
    rq.write_text(_RQ, encoding="utf-8")
    assert main(["query", str(rq), "-p", f"share={value}"]) == 2
    err = capsys.readouterr().err
    assert "parameter 'share' (decimal): not a decimal between 1e-40 and 1e40" in err
    assert len(err) < 300 and "Traceback" not in err


def test_a_query_file_that_is_not_utf8_names_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rq = tmp_path / "latin1.rq"
    rq.write_bytes(_RQ.encode("utf-8") + "# Kemijärvi\n".encode("latin-1"))
    assert main(["query", str(rq)]) == 2
    assert capsys.readouterr().err.strip() == (
        f"error: {rq}:7: not valid UTF-8 text; save the query file as UTF-8")


@pytest.mark.parametrize(("header", "message"), [
    ("#+ summary: x\n#+ params: 5\n", "'#+ params:' must be a list of parameters, not 5"),
    ("#+ summary: [a, b]\n", "'#+ summary:' must be text"),
    ("#+ summary: x\n#+ tags: music\n", "'#+ tags:' must be a list of tags, not 'music'"),
])
def test_a_query_header_of_the_wrong_type_is_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], header: str, message: str) -> None:
    rq = tmp_path / "bad.rq"
    rq.write_text(header + "SELECT * WHERE { ?s ?p ?o }\n", encoding="utf-8")
    assert main(["query", str(rq)]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and err.count("\n") == 1


def test_query_csv_escapes_text_a_spreadsheet_would_run(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rq = tmp_path / "formula.rq"
    rq.write_text('#+ summary: A label and a number.\n'
                  'SELECT ?label ?n WHERE { BIND("=HYPERLINK(\\"http://x\\")" AS ?label) BIND(-5 AS ?n) }\n',
                  encoding="utf-8")
    assert main(["query", str(rq), "-f", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "\"'=HYPERLINK(\"\"http://x\"\")\",-5"
