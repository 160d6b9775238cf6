"""Languages: the catalogues are complete and compiled, the default language, formats, and pages in each language."""

from __future__ import annotations

import argparse
import gettext
import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from hyvinvointi_kg import cli
from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.i18n import (
    LANG_VARIABLE,
    LANGUAGES,
    default_lang,
    format_date,
    format_money,
    format_number,
    translator,
)

LOCALE = Path(__file__).parent.parent / "src" / "hyvinvointi_kg" / "locale"
_FIELDS = re.compile(r"%\(\w+\)[sdr]|%[sdr]|\{\w*\}")


def _catalogue(lang: str):  # type: ignore[no-untyped-def]
    with (LOCALE / lang / "LC_MESSAGES" / "hyvinvointi_kg.po").open("rb") as stream:
        return read_po(stream, locale=lang)


def _template_ids() -> set[object]:
    with (LOCALE / "hyvinvointi_kg.pot").open("rb") as stream:
        return {(m.context, m.id) for m in read_po(stream) if m.id}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_translates_every_message_with_the_same_fields(lang: str) -> None:
    catalogue = _catalogue(lang)
    assert {(m.context, m.id) for m in catalogue if m.id} == _template_ids()
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"{lang}: {ids[0]!r} is not translated"
        assert not message.fuzzy, f"{lang}: {ids[0]!r} is fuzzy"
        wanted = sorted(set(_FIELDS.findall(ids[-1])) | set(_FIELDS.findall(ids[0])))
        for string in strings:
            assert sorted(set(_FIELDS.findall(string))) == wanted, f"{lang}: {ids[0]!r} -> {string!r}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_mo_file_is_compiled_from_its_po_file(lang: str, tmp_path: Path) -> None:
    compiled = tmp_path / "hyvinvointi_kg.mo"
    with compiled.open("wb") as stream:
        write_mo(stream, _catalogue(lang))
    shipped = LOCALE / lang / "LC_MESSAGES" / "hyvinvointi_kg.mo"
    with compiled.open("rb") as a, shipped.open("rb") as b:
        assert gettext.GNUTranslations(a)._catalog == gettext.GNUTranslations(b)._catalog  # type: ignore[attr-defined]


def test_translator_finnish_and_swedish_plurals() -> None:
    assert translator("fi").ngettext("{n} project", "{n} projects", 1) == "{n} hanke"
    assert translator("fi").ngettext("{n} project", "{n} projects", 5) == "{n} hanketta"
    assert translator("sv").gettext("Find") == "Sök"
    with pytest.raises(InputError):
        translator("de")  # type: ignore[arg-type]


def test_default_lang_env_variable_wins_over_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "fi_FI.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.delenv(LANG_VARIABLE, raising=False)
    assert default_lang() == "fi"
    monkeypatch.setenv(LANG_VARIABLE, "sv")
    assert default_lang() == "sv"
    monkeypatch.setenv(LANG_VARIABLE, "de")
    with pytest.raises(InputError, match="de"):
        default_lang()


def test_default_lang_c_locale_is_english() -> None:
    assert default_lang({"LANG": "C.UTF-8"}) == "en" and default_lang({}) == "en"


def test_formats_as_each_language_writes_them() -> None:
    assert format_date(date(2019, 9, 1), "fi") == "1.9.2019"
    assert format_money(259577, "fi") == "259\u00a0577\u00a0€"
    assert format_money(1250.5, "fi") == "1\u00a0250,50\u00a0€"
    assert format_number(1234.5, "en") == "1,234.5"


def test_argparse_adapter_pins_argparse_gettext() -> None:
    """argparse looks its texts up through its module's ``_``; the CLI's adapter swaps it for one parse."""
    assert argparse._ is gettext.gettext  # type: ignore[attr-defined]
    with cli._argparse_speaking("fi"):
        assert argparse._("usage: ") == "käyttö: "  # type: ignore[attr-defined]
        help_text = argparse.ArgumentParser(prog="x").format_help()
    assert argparse._ is gettext.gettext  # type: ignore[attr-defined]
    assert help_text.startswith("käyttö: x") and "näytä tämä ohje ja lopeta" in help_text


def test_cli_help_in_finnish(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["map", "--lang", "fi", "-h"])
    out = capsys.readouterr().out
    assert out.startswith("käyttö: hyvinvointi-kg map") and "kartta hankkeista kunnittain" in out


def test_cli_usage_error_in_swedish(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        cli.main(["--lang=sv", "table"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "fel:" in err and "följande argument krävs" in err


def test_cli_language_from_environment(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(LANG_VARIABLE, "fi")
    assert cli.main(["validate"]) == 0
    assert capsys.readouterr().out.startswith("Vastaa muotoja.")


@pytest.mark.parametrize(("lang", "words"), [("fi", ("Hae", "Väri: laji", "Yhdistys")),
                                             ("sv", ("Sök", "Färg: typ", "Förening")),
                                             ("en", ("Find", "Colour: kind", "Association"))])
def test_network_page_in_each_language(lang: str, words: tuple[str, ...]) -> None:
    import networkx as nx

    from hyvinvointi_kg.views.html import html_document
    from hyvinvointi_kg.views.options import ViewOptions

    G = nx.Graph([("a", "b")])
    G.nodes["a"]["kind"] = "Association"
    page = html_document(G, options=ViewOptions(lang=lang))  # type: ignore[arg-type]
    assert f'<html lang="{lang}">' in page
    assert all(word in page for word in words)


def test_validation_report_in_swedish() -> None:
    from hyvinvointi_kg.validation.report import ValidationReport, ValidationResult

    result = ValidationResult("urn:x", None, None, "Info", "urn:s", "c", "Note.", "Huom.")
    text = ValidationReport(True, (result,)).text(lang="sv")
    assert text.splitlines() == ["Uppfyller formerna. 0 överträdelser, 0 varningar, 1 info.", "Info: <urn:x>: Huom."]


# --- what the commands print, in the language asked for (issue 17) ---------------------------------

@pytest.mark.parametrize(("lang", "first", "last"), [("fi", "hankkeita: 227", "kolmikoita: "),
                                                     ("sv", "projekt: 227", "tripler: "),
                                                     ("en", "projects: 227", "triples: ")])
def test_cli_info_in_each_language(lang: str, first: str, last: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--lang", lang, "info"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == first and lines[-1].startswith(last) and len(lines) == 8


def test_cli_query_list_says_in_swedish_what_it_lists(capsys: pytest.CaptureFixture[str]) -> None:
    from hyvinvointi_kg.query import list_queries

    assert cli.main(["--lang", "sv", "query", "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1].startswith(f"({len(list_queries())} frågor: namn(parameter?:typ)") and "på engelska" in lines[-1]
    assert len(lines) == len(list_queries()) + 1


def test_cli_tables_title_columns_and_write_numbers_in_finnish(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--lang", "fi", "metrics", "co-implementation", "--top", "2"]) == 0
    out = capsys.readouterr().out
    assert "välillisyys" in out and "Ammattikorkeakoulu" in out and "UniversityOfAppliedSciences" not in out
    assert re.search(r"\b0,\d{4}\b", out) and not re.search(r"\b0\.\d{4}\b", out)
    assert cli.main(["--lang", "sv", "query", "projects"]) == 0
    assert capsys.readouterr().out.split()[:2] == ["projekt", "kod"]


def test_cli_table_footer_and_every_column_in_finnish(capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import hyvinvointi_kg.terminal as terminal

    monkeypatch.setattr(terminal, "terminal_width", lambda *, full=False: None if full else 80)
    assert cli.main(["--lang", "fi", "table", "organisations", "--backend", "memory"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1].startswith("(") and "riviä; …-merkkiin päättyvät solut on lyhennetty" in lines[-1]
    assert cli.main(["--lang", "fi", "table", "organisations", "--backend", "memory", "--full"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split("  ")[0] == "organisaatio" and re.fullmatch(r"\(\d+ riviä\)", lines[-1])
    for title in ("muut nimet", "Y-tunnus", "hankkeet päätoteuttajana", "hankkeet osatoteuttajana"):
        assert title in lines[0]
    assert "aliases" not in lines[0] and "business_id" not in lines[0]


def test_cli_query_titled_and_counted_in_swedish(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--lang", "sv", "query", "organisations-with-several-funders", "--full"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert re.split(r"\s{2,}", lines[0]) == ["organisation", "organisationens namn", "antal finansiärer",
                                              "antal projekt", "finansiärer", "projekt", "källor"]
    assert re.fullmatch(r"\(\d+ rader\)", lines[-1])


def test_cli_tables_write_dates_as_the_language_does(capsys: pytest.CaptureFixture[str]) -> None:
    iso, finnish = re.compile(r"\b\d{4}-\d\d-\d\d\b"), re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{4}\b")
    query = ["query", "projects-by-filter", "-p", "municipality=Kemi", "--full"]
    assert cli.main(["--lang", "sv", *query]) == 0
    out = capsys.readouterr().out
    assert finnish.search(out) and not iso.search(out)
    assert cli.main(["--lang", "en", *query]) == 0
    out = capsys.readouterr().out
    assert iso.search(out) and not finnish.search(out)
    assert cli.main(["--lang", "fi", "funded-elsewhere", "pairs", "--full"]) == 0  # a frame's dates
    header, _rule, first, *_rest = capsys.readouterr().out.splitlines()
    start = header.index("päällekkäisyyden alku")
    assert finnish.match(first[start:])


def test_cli_diff_and_funded_elsewhere_in_finnish(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    from hyvinvointi_kg._resources import resource_dir

    built = str(shutil.copytree(resource_dir("data/ttl"), tmp_path / "build"))
    assert cli.main(["--lang", "fi", "diff", built, built]) == 0
    assert capsys.readouterr().out.startswith("hankkeet: lisätty 0, poistettu 0, muuttunut 0, ennallaan ")
    assert cli.main(["--lang", "fi", "funded-elsewhere", "pairs", "--municipality", "Savukoski"]) == 0
    out = capsys.readouterr().out
    assert "päätoteuttaja" in out or "osatoteuttaja" in out
    assert " lead " not in out and " partner " not in out
