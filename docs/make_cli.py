"""Write docs/cli.md: every ``hyvinvointi-kg`` command with its ``--help`` text and a few examples.

Run ``python docs/make_cli.py`` after changing the command line; ``tests/test_docs.py`` fails while
docs/cli.md differs from what this script writes, and this script fails while a command has no
examples in ``EXAMPLES``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hyvinvointi_kg.cli import _parser

OUT = Path(__file__).parent / "cli.md"

#: The terminal width the help texts are wrapped at, so the page does not depend on the terminal.
WIDTH = 100

#: One or two example lines per command, as a user would type them.
EXAMPLES: dict[str, tuple[str, ...]] = {
    "build": (
        "hyvinvointi-kg build                                  # build data/ttl from data/sources, print a summary",
        "hyvinvointi-kg build --sources my-sources -o /tmp/kg --validator pyshacl",
        "hyvinvointi-kg build -o /tmp/kg --add hankkeet.xlsx eura-raportti.xlsx --skip-bad-rows",
    ),
    "validate": (
        "hyvinvointi-kg validate                               # the bundled graph",
        "hyvinvointi-kg validate my-graph.ttl --lang fi",
    ),
    "query": (
        "hyvinvointi-kg query --list",
        "hyvinvointi-kg query municipality-profile -p municipality=Savukoski -f csv",
    ),
    "table": (
        "hyvinvointi-kg table projects -f csv",
        "hyvinvointi-kg table organisations -f table",
    ),
    "report": (
        "hyvinvointi-kg report quality -o build-report.md",
        "hyvinvointi-kg report overview -o overview.html",
        "hyvinvointi-kg report overview --data-dir /tmp/kg --since data/ttl -o muutokset.html  # and what changed",
    ),
    "network": (
        "hyvinvointi-kg network co-implementation -f graphml -o co.graphml --period 2018-2020",
        "hyvinvointi-kg network lead-partner -f csv",
    ),
    "metrics": (
        "hyvinvointi-kg metrics co-implementation --top 5",
        "hyvinvointi-kg metrics co-implementation --period 2021-2027 -f csv",
    ),
    "viz": (
        "hyvinvointi-kg viz co-implementation -o kemi.html --municipality Kemi --color-by community",
        "hyvinvointi-kg viz organisation-municipality -o reach.svg",
    ),
    "overlaps": (
        "hyvinvointi-kg overlaps --top 5",
        "hyvinvointi-kg overlaps -f csv --municipality Simo --min-score 0.4",
    ),
    "serve": (
        "hyvinvointi-kg serve                                  # http://127.0.0.1:7878/",
        "hyvinvointi-kg serve --port 8080 --timeout 60 --allow-service https://query.wikidata.org/sparql",
    ),
    "publish": (
        "hyvinvointi-kg publish --endpoint http://localhost:7878/store",
        "hyvinvointi-kg publish --endpoint http://localhost:3030/kg/data --graph https://example.org/kg",
    ),
    "diff": (
        "hyvinvointi-kg diff data/ttl /tmp/kg                  # what an import changed",
        "hyvinvointi-kg diff old-build new-build -f csv -o muutokset.csv",
    ),
    "funded-elsewhere": (
        "hyvinvointi-kg funded-elsewhere --municipality Kemi --period 2018–2019",
        "hyvinvointi-kg funded-elsewhere pairs -f xlsx -o rahoitus.xlsx",
    ),
    "template": (
        "hyvinvointi-kg template -o hankkeet.xlsx              # fill it in, then: build --add hankkeet.xlsx",
        "hyvinvointi-kg template -o hankkeet.xlsx --lang fi",
    ),
    "export": (
        "hyvinvointi-kg export workbook -o hankkeet.xlsx",
        "hyvinvointi-kg export workbook -o hankkeet.xlsx --no-overlaps",
    ),
    "map": (
        "hyvinvointi-kg map -o lappi.html --theme turvallisuus",
        "hyvinvointi-kg map -o suomi.svg --all-finland --period 2018-2020",
    ),
    "info": (
        "hyvinvointi-kg info",
        "hyvinvointi-kg info --backend memory",
    ),
}

INTRO = """\
# Command line

`hyvinvointi-kg COMMAND ...` (or `python -m hyvinvointi_kg COMMAND ...`). Each command below is
given with its `--help` text and examples; `hyvinvointi-kg COMMAND -h` prints the same.
This page is written by `python docs/make_cli.py`.

**Exit codes.** **0** ok; **1** the data does not conform to the shapes (or a claim does not
verify against its source lines); **2** usage or input error: an unknown command, query,
parameter or name, a missing or unusable file, a Turtle syntax error, a key given twice or a
value of the wrong type in a curation file, a damaged store — reported on one line naming the
file and line or key, with what to do; **3** the command could not finish (the validation
process died).

**Where the answers come from.** Commands that read the graph answer by default from a
persistent Oxigraph store of the bundled graph, built on the first call after a build in the
user's cache folder and reused afterwards. `--backend memory` parses the Turtle files with
rdflib (the reference implementation), `--backend oxigraph:DIR` keeps the store in DIR, and
`--backend URL` asks a SPARQL endpoint; `--data-dir DIR` reads another built graph. `build`
and `validate` check the shapes with SPARQL on Oxigraph by default; `--validator pyshacl` runs
the reference.

**Names and periods.** Network kinds (KIND) are `co-implementation`, `lead-partner`,
`organisation-project`, `organisation-municipality` and `project-overlap`. Filters and query
parameters take names as people write them or IRIs (an unknown name gets the closest matches),
and periods as `2019`, `2018-2020`, `2018–2020`, `1.1.2019-31.12.2020` or
`2018-03-01..2019-12-31`.
"""


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """The parser of every subcommand, by name, in the order the command line defines them."""
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if len(actions) != 1:
        raise SystemExit("expected one set of subcommands")
    return dict(actions[0].choices)


@contextmanager
def _columns(width: int) -> Iterator[None]:
    """Help texts wrapped at *width* columns whatever the terminal (argparse reads COLUMNS)."""
    before = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = str(width)
    try:
        yield
    finally:
        if before is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = before


def render() -> str:
    """The text of docs/cli.md."""
    commands = subcommands(_parser())
    missing = [name for name in commands if name not in EXAMPLES]
    if missing:
        raise SystemExit(f"no examples for {', '.join(missing)}: add them to EXAMPLES in docs/make_cli.py")
    lines = [INTRO, "| command | what it does |", "|---|---|"]
    lines += [f"| [`{name}`](#hyvinvointi-kg-{name}) | {cmd.description} |" for name, cmd in commands.items()]
    lines.append("")
    with _columns(WIDTH):
        for name, cmd in commands.items():
            lines += [f"## `hyvinvointi-kg {name}`", "", "```bash", *EXAMPLES[name], "```", "",
                      "```", cmd.format_help().rstrip(), "```", ""]
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT}", file=sys.stderr)
