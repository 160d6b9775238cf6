"""Draw the final target-group sample (run once, before the target-group rules change again).

The held-out sample (``target_groups_heldout_sample.yaml``) measured the rules blindly once;
its misses are then read to improve the rules, so it becomes a second development sample.
This script draws the sample that measures the improved rules: one nobody working on the
target-group rules has read.

Procedure (written down before drawing; the output is committed next to this script):

1. The frame and the row texts are those of ``draw_samples.py`` (the hand-made row list in
   ``tests/data/catalogue_counts.yaml``; no parser output); rows are grouped by their name
   (case-folded, spaces collapsed) so that one project counts once, and each name's first
   row (lowest line) is the text shown.
2. Names in either target-group sample (development, held-out) are removed.  Of the 225
   names, 44 have never been in any sample; all of them are taken (the frame of unread names
   is exhausted, so this part is a census, not a draw).
3. The other names left are those of the catalogue (field) sample, which were read for the
   catalogue fields but never annotated or read for target groups;
   ``random.Random(SEED_FINAL)`` draws ``FINAL_SIZE`` minus the census from their sorted list.
4. ``target_groups_final_input.txt`` shows the rows as ``draw_samples.py`` does; annotators
   see that file and ``GUIDE_target_groups.md`` only.

Run from the project root: ``python tests/data/blind/draw_final.py``.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import yaml
from draw_samples import SOURCE, render, rows

HERE = Path(__file__).parent
SEED_FINAL = 6122027
FINAL_SIZE = 64


def _key(name: object) -> str:
    return re.sub(r"\s+", " ", str(name)).casefold().strip()


def _names(sample: str, by_line: dict[int, dict[str, object]]) -> set[str]:
    return {_key(by_line[int(e["line"])]["name"])
            for e in yaml.safe_load((HERE / sample).read_text(encoding="utf-8"))}


def main() -> None:
    lines = SOURCE.read_text(encoding="utf-8").split("\n")
    all_rows = rows()
    by_line = {int(r["line"]): r for r in all_rows}  # type: ignore[call-overload]
    target_groups = _names("target_groups_sample.yaml", by_line) | _names("target_groups_heldout_sample.yaml", by_line)
    catalogue = _names("catalogue_sample.yaml", by_line)
    by_name: dict[str, dict[str, object]] = {}
    for r in sorted(all_rows, key=lambda r: int(r["line"])):  # type: ignore[call-overload]
        by_name.setdefault(_key(r["name"]), r)
    unread = sorted(n for n in by_name if n not in target_groups and n not in catalogue)
    read_for_fields = sorted(n for n in by_name if n in catalogue and n not in target_groups)
    drawn = unread + random.Random(SEED_FINAL).sample(read_for_fields, FINAL_SIZE - len(unread))
    sample = sorted((by_name[n] for n in drawn), key=lambda r: int(r["line"]))  # type: ignore[call-overload]
    (HERE / "target_groups_final_input.txt").write_text(
        "".join(render(r, lines) for r in sample), encoding="utf-8")
    (HERE / "target_groups_final_sample.yaml").write_text(
        yaml.safe_dump([{"section": r["section"], "line": r["line"], "last_line": r["last_line"]}
                        for r in sample], allow_unicode=True, sort_keys=False), encoding="utf-8")
    print(f"final target-group sample: {len(unread)} unread names (all) and "
          f"{FINAL_SIZE - len(unread)} of {len(read_for_fields)} names read for the catalogue fields")


if __name__ == "__main__":
    main()
