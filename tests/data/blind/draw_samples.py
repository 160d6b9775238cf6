"""Draw the blind evaluation samples of the catalogue (run once, before the rules change).

Procedure (written down before drawing; the output is committed next to this script):

1. The sampling frame is the hand-made list of catalogue rows in
   ``tests/data/catalogue_counts.yaml`` (317 rows, each with the line where its name
   cell begins); no parser output is used.  A row's text is every file line from its
   start line up to the line before the next row's start line or the next section
   heading, whichever comes first.
2. Catalogue sample: rows already in last round's gold sample
   (``tests/data/catalogue_gold.yaml``) are removed; from what is left,
   ``random.Random(SEED_CATALOGUE)`` draws, section by section in file order, the
   number of rows in ``PER_SECTION`` (64 in all, every section represented, the
   large Lapland section in proportion).
3. Target-group sample: rows are grouped by their name (case-folded, spaces
   collapsed) so that one project counts once; names in the catalogue sample are
   removed; ``random.Random(SEED_TARGET_GROUPS)`` draws 64 names from the sorted
   list, and each name's first row (lowest line) is the text shown.
4. The annotation inputs (``*_input.txt``) show each row's lines with their numbers
   and a ``|`` after the last character so trailing spaces are visible.  Annotators
   see those files and the guides only.

Run from the project root: ``python tests/data/blind/draw_samples.py``.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import yaml

HERE = Path(__file__).parent
ROOT = HERE.parents[2]
SOURCE = ROOT / "data" / "sources" / "lapland_projects_catalogue_fi.txt"
SEED_CATALOGUE = 20261205
SEED_TARGET_GROUPS = 51202026
PER_SECTION = {"Kemi": 10, "Keminmaa": 8, "Simo": 6, "Tervola": 6, "Tornio": 10,
               "Lapin alueella yleisesti toteutetut hankkeet": 24}
TARGET_GROUP_SIZE = 64
HEADINGS = (2, 1484, 2450, 2989, 3576, 5120)


def rows() -> list[dict[str, object]]:
    counts = yaml.safe_load((HERE.parent / "catalogue_counts.yaml").read_text(encoding="utf-8"))
    lines = SOURCE.read_text(encoding="utf-8").split("\n")
    flat = [(section, e["line"], e["name"]) for section, es in counts["entries"].items() for e in es]
    starts = sorted({line for _, line, _ in flat} | set(HEADINGS) | {len(lines) + 1})
    out = []
    for section, start, name in flat:
        end = min(s for s in starts if s > start) - 1
        while end > start and not lines[end - 1].strip():
            end -= 1
        out.append({"section": section, "line": start, "last_line": end, "name": name})
    return out


def render(row: dict[str, object], lines: list[str]) -> str:
    start, end = int(row["line"]), int(row["last_line"])  # type: ignore[call-overload]
    body = "\n".join(f"{n:5d}  {lines[n - 1]}|" for n in range(start, end + 1))
    return f"=== row starting at line {start} (section: {row['section']}) ===\n{body}\n"


def main() -> None:
    lines = SOURCE.read_text(encoding="utf-8").split("\n")
    gold = {e["line"] for e in yaml.safe_load((HERE.parent / "catalogue_gold.yaml").read_text(encoding="utf-8"))}
    all_rows = rows()
    rng = random.Random(SEED_CATALOGUE)
    catalogue: list[dict[str, object]] = []
    for section, k in PER_SECTION.items():
        pool = [r for r in all_rows if r["section"] == section and r["line"] not in gold]
        catalogue.extend(sorted(rng.sample(pool, k), key=lambda r: int(r["line"])))  # type: ignore[call-overload]

    def key(name: object) -> str:
        return re.sub(r"\s+", " ", str(name)).casefold().strip()

    taken = {key(r["name"]) for r in catalogue}
    by_name: dict[str, dict[str, object]] = {}
    for r in sorted(all_rows, key=lambda r: int(r["line"])):  # type: ignore[call-overload]
        by_name.setdefault(key(r["name"]), r)
    names = sorted(n for n in by_name if n not in taken)
    drawn = random.Random(SEED_TARGET_GROUPS).sample(names, TARGET_GROUP_SIZE)
    target = sorted((by_name[n] for n in drawn), key=lambda r: int(r["line"]))  # type: ignore[call-overload]

    for name, sample in (("catalogue", catalogue), ("target_groups", target)):
        (HERE / f"{name}_input.txt").write_text("".join(render(r, lines) for r in sample), encoding="utf-8")
        (HERE / f"{name}_sample.yaml").write_text(
            yaml.safe_dump([{"section": r["section"], "line": r["line"], "last_line": r["last_line"]}
                            for r in sample], allow_unicode=True, sort_keys=False), encoding="utf-8")
        print(name, len(sample))


if __name__ == "__main__":
    main()
