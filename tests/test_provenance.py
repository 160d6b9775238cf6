"""Claims verify themselves: every claim's source lines hold its stated text (provenance.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF

from hyvinvointi_kg._resources import resource_dir
from hyvinvointi_kg.assembly.assemble import Assembly
from hyvinvointi_kg.assembly.provenance import ClaimMismatch, Stated, add_claim, stated_in, verify_claims
from hyvinvointi_kg.ingest.sources import SourceDocument
from hyvinvointi_kg.namespaces import HK, THEME, organisation_iri, project_iri

SOURCES = resource_dir("data/sources")
CATALOGUE = "lapland_projects_catalogue_fi.txt"
NEWS = "S21758_news_2019-08-07_fi.txt"
DOC = SourceDocument("x_fi.txt", "register", "fi", "00", 4)
P = URIRef("https://example.org/p")


@pytest.fixture(scope="module")
def data(built: Assembly) -> Graph:
    return built.data


def _claims(g: Graph, *, predicate: URIRef, obj: URIRef | Literal | None = None,
            subject: URIRef | None = None) -> list[tuple[str, int, int, str, str | None, str | None]]:
    """(file, first line, last line, stated, repaired, rule) of the claims of a statement."""
    found = []
    for claim in g.subjects(RDF.predicate, predicate):
        if (obj is not None and (claim, RDF.object, obj) not in g) or (
                subject is not None and (claim, RDF.subject, subject) not in g):
            continue
        span = g.value(claim, PROV.wasDerivedFrom)
        repaired, rule = g.value(claim, HK.repairedAs), g.value(claim, HK.derivationRule)
        found.append((str(g.value(span, HK.inDocument)).rsplit("/", 1)[-1],
                      int(str(g.value(span, HK.firstLine))), int(str(g.value(span, HK.lastLine))),
                      str(g.value(claim, HK.statedAs)), None if repaired is None else str(repaired),
                      None if rule is None else str(rule)))
    return sorted(found)


def _folder(tmp_path: Path, text: str) -> Path:
    (tmp_path / DOC.file_name).write_text(text, encoding="utf-8")
    return tmp_path


# --- the real build ---------------------------------------------------------------------------


def test_verify_claims_every_claim_of_the_build_holds_its_stated_text(data: Graph) -> None:
    claims = len(set(data.subjects(RDF.type, HK.Claim)))
    mismatches = verify_claims(data, SOURCES)
    listed = "\n".join(str(m) for m in mismatches[:25])
    assert not mismatches, (f"{len(mismatches)} of {claims} claims cite lines that do not hold "
                            f"their stated text (first 25):\n{listed}")
    assert claims > 6000  # the check walked the whole graph


def test_news_release_claims_state_the_mojibake_and_the_repair_beside_it(data: Graph) -> None:
    [(first, last, stated, repaired, rule)] = [
        c[1:] for c in _claims(data, predicate=HK.leadImplementer,
                               obj=organisation_iri("Itä-Lapin kuntayhtymä"),
                               subject=project_iri("S21758")) if c[0] == NEWS]
    assert (first, last) == (5, 5)
    assert stated == "It√§-Lapin kuntayhtym√§n hallinnoima"
    assert repaired == "Itä-Lapin kuntayhtymän hallinnoima"
    assert rule is not None and "mojibake" in rule


def test_catalogue_theme_in_capitals_states_the_capital(data: Graph) -> None:
    # line 3088 'Hyvinvointi' (capital H) is read as the theme 'hyvinvointi'
    found = [c for c in _claims(data, predicate=HK.theme, obj=THEME.hyvinvointi)
             if c[0] == CATALOGUE and c[1] == 3087]
    assert [(c[3], c[4]) for c in found] == [("Hyvinvointi", "hyvinvointi")]
    assert found[0][5] is not None and "case" in found[0][5]


def test_catalogue_corrected_area_states_the_garbled_text(data: Graph) -> None:
    # corrections.yaml: line 939 'Ut j ki  Ylit i' is 'Utsjoki, Ylitornio'
    found = {c[4]: c for c in _claims(data, predicate=HK.targetArea)
             if c[0] == CATALOGUE and c[1] == 923}
    utsjoki = found["Utsjoki"]
    assert "Ut j ki" in utsjoki[3] and utsjoki[2] == 939
    assert utsjoki[5] is not None and "corrections.yaml" in utsjoki[5]
    assert "Inari" not in found  # stated as written: no repair


def test_catalogue_partner_list_cites_the_whole_cell(data: Graph) -> None:
    # lines 5421-5436: 'Lapin yliopisto OKM The Arctic universities Un|iversity of ...'
    spans = {(c[1], c[2]) for c in _claims(data, predicate=HK.partner)
             if c[0] == CATALOGUE and 5416 <= c[1] <= 5437}
    assert spans == {(5421, 5436)}


def test_catalogue_interleaved_row_cites_its_own_lines(data: Graph) -> None:
    # the row of 'PIENIKIN ISKUSSA' (lines 7527-7531) printed after the next row's implementers
    titles = [c for c in _claims(data, predicate=HK.leadImplementer)
              if c[0] == CATALOGUE and c[3].startswith("Pohjois-Suomen sosiaalialan")
              and 7500 < c[1] < 7578]
    assert [(c[1], c[2]) for c in titles] == [(7508, 7526)]
    names = [c for c in _claims(data, predicate=RDF.type, obj=HK.Project)
             if c[0] == CATALOGUE and c[3].startswith("PIENIKIN ISKUSSA")]
    assert [(c[1], c[2]) for c in names] == [(7527, 7531)]


def test_register_target_group_claims_cite_their_own_paragraph(data: Graph) -> None:
    # eura_S21758_description_en.txt: line 62 'Kohderyhmien painotukset ... nuoret', line 61 blank
    lines = {(c[1], c[2]) for c in _claims(data, predicate=HK.targetGroup, subject=project_iri("S21758"))
             if c[0] == "eura_S21758_description_en.txt"}
    assert (62, 62) in lines and (61, 61) not in lines


# --- verify_claims on small graphs --------------------------------------------------------------


def test_verify_claims_allows_line_wraps_and_broken_words(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "Turun \nammattikorkeak\noulu ;  Lapin \nammattikorkeak\noulu\n")
    add_claim(g := Graph(), P, HK.partner, URIRef("https://example.org/lapin-amk"), source=DOC,
              stated=Stated("Turun ammattikorkeakoulu; Lapin ammattikorkeakoulu", 1, 5))
    assert verify_claims(g, folder) == []


def test_verify_claims_reports_text_on_other_lines(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "Hankekoodi: S1\n\nLapin yliopisto\n")
    g = Graph()
    claim = add_claim(g, P, HK.leadImplementer, URIRef("https://example.org/o"), source=DOC,
                      stated=Stated("Lapin yliopisto", 1, 2))
    assert verify_claims(g, folder) == [
        ClaimMismatch(claim, DOC.file_name, 1, 2, "Lapin yliopisto", "stated text not in the cited lines")]


def test_verify_claims_reports_lines_beyond_the_file_and_missing_files(tmp_path: Path) -> None:
    folder = _folder(tmp_path, "Hankekoodi: S1\n")
    g = Graph()
    add_claim(g, P, HK.projectCode, Literal("S1"), source=DOC, stated=Stated("S1", 1, 3))
    other = SourceDocument("y_fi.txt", "register", "fi", "00", 1)
    add_claim(g, P, HK.projectCode, Literal("S2"), source=other, stated=Stated("S2", 1, 1))
    assert [(m.file_name, m.problem) for m in verify_claims(g, folder)] == [
        ("x_fi.txt", "lines beyond the file's 1"), ("y_fi.txt", "source file not found")]


def test_add_claim_repaired_text_beside_the_stated_text() -> None:
    g = Graph()
    claim = add_claim(g, P, HK.theme, THEME.hyvinvointi, source=DOC,
                      stated=Stated("Hyvinvointi", 1, 1), repaired="hyvinvointi",
                      rule="theme read case-insensitively")
    assert g.value(claim, HK.statedAs) == Literal("Hyvinvointi")
    assert g.value(claim, HK.repairedAs) == Literal("hyvinvointi")
    same = add_claim(Graph(), P, HK.theme, THEME.hyvinvointi, source=DOC,
                     stated=Stated("hyvinvointi", 1, 1), repaired="hyvinvointi")
    assert same == claim  # the repair does not change what the claim is


@pytest.mark.parametrize(("text", "lines", "expected"), [
    ("Lapin ammattikorkeakoulu", ["Lapin ammattikorkeak", "oulu, "], True),
    ("ESR 2014-2020/ELY", ["ESR 2014-", "2020/ELY "], True),
    ("Utsjoki", ["Ut j ki  Ylit i"], False),
    ("hyvinvointi", ["Hyvinvointi"], False),
])
def test_stated_in(text: str, lines: list[str], expected: bool) -> None:
    assert stated_in(text, lines) is expected


def test_build_writes_nothing_when_a_claim_does_not_verify(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    # The build checks every claim against its lines; a parser change that cites the wrong lines
    # stops it (exit 1, as for a graph that does not conform) with the claim named.
    import hyvinvointi_kg.pipeline as pipeline
    from hyvinvointi_kg.cli import main

    wrong = ClaimMismatch(URIRef("https://example.org/claim"), "lapland_projects_catalogue_fi.txt",
                          74, 75, "Kemin kaupunki", "the lines do not hold the stated text")
    monkeypatch.setattr(pipeline, "verify_claims", lambda graph, sources, **_: [wrong])
    out = tmp_path / "out"
    assert main(["build", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "claim does not verify: lapland_projects_catalogue_fi.txt:74-75" in err
    assert "1 claim whose lines do not hold its stated text; nothing was written" in err
    assert not out.exists()
