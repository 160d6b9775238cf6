"""Draw the held-out target-group sample (run once, before the target-group rules are tuned).

The first target-group sample (``target_groups_sample.yaml``, drawn by ``draw_samples.py``)
was read while the lemma rules were written, so it no longer measures them blindly: it is the
development sample.  This script draws a second one that nobody working on the rules has read.

Procedure (written down before drawing; the output is committed next to this script):

1. The frame and the row texts are those of ``draw_samples.py`` (the hand-made row list in
   ``tests/data/catalogue_counts.yaml``; no parser output).
2. Rows are grouped by their name (case-folded, spaces collapsed) so that one project counts
   once; names in the catalogue sample and in the first target-group sample are removed.
3. ``random.Random(SEED_HELDOUT)`` draws ``HELDOUT_SIZE`` names from the sorted list of the
   rest; each name's first row (lowest line) is the text shown.
4. ``target_groups_heldout_input.txt`` shows the rows as ``draw_samples.py`` does; annotators
   see that file and ``GUIDE_target_groups.md`` only.

Run from the project root: ``python tests/data/blind/draw_heldout.py``.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import yaml
from draw_samples import SOURCE, render, rows

HERE = Path(__file__).parent
SEED_HELDOUT = 6122026
HELDOUT_SIZE = 64


def _key(name: object) -> str:
    return re.sub(r"\s+", " ", str(name)).casefold().strip()


def main() -> None:
    lines = SOURCE.read_text(encoding="utf-8").split("\n")
    all_rows = rows()
    by_line = {int(r["line"]): r for r in all_rows}  # type: ignore[call-overload]
    taken = {_key(by_line[int(e["line"])]["name"])
             for sample in ("catalogue_sample.yaml", "target_groups_sample.yaml")
             for e in yaml.safe_load((HERE / sample).read_text(encoding="utf-8"))}
    by_name: dict[str, dict[str, object]] = {}
    for r in sorted(all_rows, key=lambda r: int(r["line"])):  # type: ignore[call-overload]
        by_name.setdefault(_key(r["name"]), r)
    names = sorted(n for n in by_name if n not in taken)
    drawn = random.Random(SEED_HELDOUT).sample(names, HELDOUT_SIZE)
    sample = sorted((by_name[n] for n in drawn), key=lambda r: int(r["line"]))  # type: ignore[call-overload]
    (HERE / "target_groups_heldout_input.txt").write_text(
        "".join(render(r, lines) for r in sample), encoding="utf-8")
    (HERE / "target_groups_heldout_sample.yaml").write_text(
        yaml.safe_dump([{"section": r["section"], "line": r["line"], "last_line": r["last_line"]}
                        for r in sample], allow_unicode=True, sort_keys=False), encoding="utf-8")
    print(f"held-out target-group sample: {len(sample)} of {len(names)} names left")


if __name__ == "__main__":
    main()
