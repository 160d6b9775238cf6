"""Compare the two lemmatisers of target-group matching on every catalogue description.

Run: python benchmarks/compare_lemmatisers.py [--repeat 5] [--all]

For each description prints where simplemma and voikko find different target groups (every
description with --all), then the number of descriptions that differ, the descriptions
without any target group per lemmatiser, and the median time of *repeat* runs over all
descriptions (after one warm-up run that fills the lemma caches).
"""

from __future__ import annotations

import argparse
import statistics
import time

from hyvinvointi_kg._resources import resource_dir
from hyvinvointi_kg.assembly.concepts import ConceptIndex
from hyvinvointi_kg.assembly.lemmas import Lemmatiser
from hyvinvointi_kg.assembly.places import PlaceIndex, place_graph
from hyvinvointi_kg.ingest.catalogue import parse_catalogue
from hyvinvointi_kg.stores.files import load_ontology

LEMMATISERS: tuple[Lemmatiser, ...] = ("simplemma", "voikko")


def _descriptions() -> list[tuple[str, str]]:
    places = PlaceIndex(place_graph())
    sections = parse_catalogue(resource_dir("data/sources") / "lapland_projects_catalogue_fi.txt",
                               is_area_item=lambda text: places.resolve_area(text) is not None)
    return [(f"{s.title} {cell.first_line}-{cell.last_line}", cell.text)
            for s in sections for e in s.entries if (cell := e.cell("description")) is not None]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--all", action="store_true", help="print every description, not only differences")
    args = parser.parse_args()
    descriptions = _descriptions()
    timings: dict[str, float] = {}
    found: dict[str, list[set[str]]] = {}
    for lemmatiser in LEMMATISERS:
        index = ConceptIndex(load_ontology())
        runs = []
        for _ in range(args.repeat + 1):
            started = time.perf_counter()
            found[lemmatiser] = [{m.concept.split("/")[-1] for m in index.find_target_groups(
                text, lemmatiser=lemmatiser)} for _, text in descriptions]
            runs.append(time.perf_counter() - started)
        timings[lemmatiser] = statistics.median(runs[1:])
    differing = 0
    for k, (where, _) in enumerate(descriptions):
        a, b = (found[name][k] for name in LEMMATISERS)
        differing += a != b
        if a != b or args.all:
            print(f"{where}: simplemma {sorted(a)} voikko {sorted(b)}"
                  + (f"  only simplemma {sorted(a - b)} only voikko {sorted(b - a)}" if a != b else ""))
    print(f"descriptions: {len(descriptions)}; differing: {differing}")
    for name in LEMMATISERS:
        empty = sum(not groups for groups in found[name])
        print(f"{name}: without a target group {empty}; median of {args.repeat} runs {timings[name]:.3f} s")


if __name__ == "__main__":
    main()
