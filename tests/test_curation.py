"""Reading the reviewed curation files (``curation.py``): the bundled files, and ``expect``.

Error cases of the loaders (duplicate keys, bad UTF-8, wrong types, arbitrary input) are in
``tests/test_bad_input.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hyvinvointi_kg._resources import resource_dir
from hyvinvointi_kg.assembly.curation import expect, load_curation_file
from hyvinvointi_kg.errors import InputError

CURATION = resource_dir("data/curation")


def _count_lines(name: str, pattern: str) -> int:
    """Lines of a curation file matching *pattern*, counted without YAML."""
    text = (CURATION / name).read_text(encoding="utf-8")
    return sum(1 for line in text.splitlines() if re.match(pattern, line))


@pytest.mark.parametrize("name", sorted(p.name for p in CURATION.glob("*.yaml")))
def test_load_curation_file_reads_every_bundled_file_as_a_mapping(name: str) -> None:
    data = load_curation_file(CURATION / name)
    assert isinstance(data, dict) and data


def test_load_curation_file_corrections_are_the_seventeen_reviewed() -> None:
    # 17: the items of the 'corrections:' list, counted as lines starting '  - ' (README:
    # "17 reviewed cell corrections").
    corrections = load_curation_file(CURATION / "corrections.yaml")["corrections"]
    assert len(corrections) == _count_lines("corrections.yaml", r"  - ") == 17
    assert all({"section", "line", "field", "value", "reason"} <= set(c) for c in corrections)


def test_load_curation_file_funder_rules_are_the_forty_three_reviewed() -> None:
    # 43: the items of the 'rules:' list, counted as lines starting '  - ' (docs/model.md: "43 reviewed
    # rules map funding texts"); the last two map ESR+ and JTF of the 2021-2027 programme.
    rules = load_curation_file(CURATION / "funders.yaml")["rules"]
    assert len(rules) == _count_lines("funders.yaml", r"  - ") == 43


def test_load_curation_file_catalogue_layout_counts_are_the_hand_count() -> None:
    # tests/data/catalogue_counts.yaml: 49/32/17/17/51/151 entries, 317 in all, counted by hand
    # and cross-checked by counting theme-cell line ends with grep (see that file's header).
    layout = load_curation_file(CURATION / "catalogue_layout.yaml")
    counts = load_curation_file(Path(__file__).parent / "data" / "catalogue_counts.yaml")
    sections = {s["heading"]: s["entries"] for s in layout["sections"]}
    assert list(sections) == ["Kemi", "Keminmaa", "Simo", "Tervola", "Tornio",
                              "Lapin alueella yleisesti toteutetut hankkeet"]
    assert sections == {name: counts[name] for name in sections}
    assert sum(sections.values()) == counts["total"] == 317


def test_load_curation_file_empty_file_is_an_empty_mapping(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("# nothing reviewed yet\n", encoding="utf-8")
    assert load_curation_file(path) == {}


def test_load_curation_file_list_at_the_top_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"list.yaml: expected a mapping at the top level"):
        load_curation_file(path)


def test_load_curation_file_missing_file_names_it(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"missing.yaml: cannot read"):
        load_curation_file(tmp_path / "missing.yaml")


def test_load_curation_file_yaml_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("rules:\n  - {match: STEA\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.yaml: line \d+: "):
        load_curation_file(path)


def test_expect_passes_the_value_through() -> None:
    assert expect(["Kemi"], list, where="x") == ["Kemi"]
    assert expect({"a": 1}, dict, where="x") == {"a": 1}


def test_expect_a_boolean_is_not_an_integer() -> None:
    with pytest.raises(InputError, match=r"^corrections.yaml: correction 2: line must be an integer, "
                                         r"not a boolean \(True\)$"):
        expect(True, int, where="corrections.yaml: correction 2: line")


def test_expect_empty_value_is_named() -> None:
    with pytest.raises(InputError, match=r"^funders.yaml: rule 1: match must be text, not an empty value \(None\)$"):
        expect(None, str, where="funders.yaml: rule 1: match")
