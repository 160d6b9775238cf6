"""The command line: a thin layer over the public API (exit 0 ok, 1 does not conform, 2 usage/input error)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph

from hyvinvointi_kg._resources import resource_dir
from hyvinvointi_kg.errors import BuildError, HyvinvointiKGError, one_line, shorten
from hyvinvointi_kg.query import (
    QueryResult,
    bind_parameters,
    format_result,
    get_query,
    list_queries,
    load_query,
    run_query,
)
from hyvinvointi_kg.stores.files import (
    load_graph,
    write_text,
)

if TYPE_CHECKING:
    import networkx as nx
    import pandas

__all__ = ["main"]

EXIT_OK, EXIT_NONCONFORMING, EXIT_USAGE, EXIT_FAILED = 0, 1, 2, 3
BACKEND_HELP = ("oxigraph (default: a persistent Oxigraph store of the graph, built once per graph "
                "in the user's cache folder), oxigraph:DIR (such a store in DIR), memory (rdflib, "
                "the reference implementation) or the URL of a SPARQL endpoint")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        print(f"{self.prog}: error: {one_line(message)} (see {self.prog} -h)", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _port(text: str) -> int:
    """A TCP port number, 0-65535 (0: any free port)."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{shorten(text)} is not a port number (0-65535)")
    return port


_VALIDATOR_HELP = ("oxigraph (default): the shapes as SPARQL on Oxigraph, fast, the same results; "
                   "pyshacl: the reference implementation")


def _cmd_build(args: argparse.Namespace) -> int:
    from hyvinvointi_kg.pipeline import build

    result = build(sources_dir=args.sources, reference_dir=args.reference,
                   output_dir=args.output_dir or resource_dir("data/ttl"),
                   validator="sparql" if args.validator == "oxigraph" else "pyshacl")
    if not result.conforms:
        if not result.validation.conforms:
            print(result.validation.text(lang=args.lang), file=sys.stderr)
        for mismatch in result.mismatches[:20]:
            print(f"claim does not verify: {mismatch}", file=sys.stderr)
        what = "does not conform" if not result.validation.conforms else (
            f"has {len(result.mismatches)} claim(s) whose lines do not hold their stated text")
        print(f"error: the built graph {what}; nothing was written", file=sys.stderr)
        return EXIT_NONCONFORMING
    for path in result.written:
        print(f"wrote {path}")
    for line in result.lines():
        print(line)
    print(f"time: {result.seconds:.1f} s")
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    from hyvinvointi_kg.validation.validate import Engine, validate

    engine: Engine = "sparql" if args.validator == "oxigraph" else "pyshacl"
    if args.files:
        from hyvinvointi_kg.validation.validate import load_data_files

        report = validate(load_data_files(args.files), engine=engine)
    else:
        report = validate(load_graph(data_dir=args.data_dir, inferred=False), engine=engine, with_ontology=False)
    print(report.text(lang=args.lang))
    return EXIT_OK if report.conforms else EXIT_NONCONFORMING


def _parse_params(pairs: Sequence[str]) -> dict[str, str]:
    params = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise HyvinvointiKGError(f"--param expects key=value, got {pair!r}")
        params[key.strip()] = value
    return params


def _write(text: str, args: argparse.Namespace) -> None:
    """*text* to the file ``-o`` names (atomically), else to standard output."""
    if getattr(args, "output", None):
        write_text(text, args.output)
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)


def _check_output(args: argparse.Namespace) -> None:
    """Refuse ``-f xlsx`` without ``-o`` before any work: a workbook is a file, not text."""
    if args.format == "xlsx" and not args.output:
        raise HyvinvointiKGError("-f xlsx writes a workbook: name the file with -o FILE.xlsx")


def _emit_frame(frame: pandas.DataFrame, args: argparse.Namespace, *, sheet: str, index: bool = False,
                head: str | None = None) -> None:
    """A DataFrame in the format ``-f`` asks for: table (fitted to the terminal), csv, json or xlsx."""
    if args.format == "xlsx":
        from hyvinvointi_kg.views.workbook import write_frame_xlsx

        write_frame_xlsx(frame, args.output, sheet=sheet, index=index)
        print(f"wrote {args.output} ({len(frame)} rows)", file=sys.stderr)
        return
    if args.format == "csv":
        from hyvinvointi_kg.cells import frame_to_csv

        _write(frame_to_csv(frame, index=index, dialect=args.csv), args)
    elif args.format == "json":
        from hyvinvointi_kg.cells import frame_to_json

        _write(frame_to_json(frame.reset_index() if index else frame) + "\n", args)
    else:
        from hyvinvointi_kg.terminal import terminal_width, text_table

        shown = frame.head(args.top) if getattr(args, "top", None) else frame
        rows = [[f"{v:.4f}" if isinstance(v, float) else "" if v is None else str(v) for v in row]
                for row in shown.itertuples(index=False)]
        _write((head + "\n" if head else "") + text_table(
            [str(c) for c in shown.columns], rows,
            width=None if args.output else terminal_width(full=args.full)), args)


def _graph(args: argparse.Namespace) -> Graph:
    """The graph on the backend the command names (``--backend``; default: the Oxigraph store of
    the graph, built once per graph digest; ``memory`` is rdflib)."""
    backend = getattr(args, "backend", None)
    if backend == "memory":
        return load_graph(data_dir=args.data_dir)
    from hyvinvointi_kg.stores.backends import default_store_location, open_graph

    if backend in (None, "oxigraph"):
        backend = f"oxigraph:{default_store_location(args.data_dir)}"
    return open_graph(backend, data_dir=args.data_dir)


def _cmd_query(args: argparse.Namespace) -> int:
    if args.list or not args.query:
        for info in list_queries():
            signature = ", ".join(f"{p.name}{'?' if p.optional else ''}:{p.type}"
                                  for p in info.params)
            print(f"{info.name}({signature}): {info.summary}")
        return EXIT_OK
    info = load_query(Path(args.query)) if args.query.endswith(".rq") else get_query(args.query)
    _check_output(args)
    params = _parse_params(args.param)
    bind_parameters(info, params)  # report a bad name or parameter before loading the graph
    if args.sparql:
        from hyvinvointi_kg.query import query_text

        names = any(not str(v).startswith(("http://", "https://")) for v in params.values())
        sys.stdout.write(query_text(info, graph=_graph(args) if names else None, **params))
        return EXIT_OK
    graph = _graph(args)
    result = run_query(graph, info, **params)
    _emit_result(result, args, sheet=info.name)
    if not result.rows and args.format != "table":
        print(f"{info.name}: no rows match", file=sys.stderr)
    return EXIT_OK


def _emit_result(result: QueryResult, args: argparse.Namespace, *, sheet: str) -> None:
    """A query result in the format ``-f`` asks for; plain CSV and JSON keep each literal's exact value."""
    if args.format == "xlsx" or (args.format == "csv" and args.csv != "plain"):
        _emit_frame(result.to_dataframe(), args, sheet=sheet)
    elif args.format == "table":
        from hyvinvointi_kg.terminal import terminal_width

        _write(format_result(result, "table", width=None if args.output else terminal_width(full=args.full)),
               args)
    else:
        _write(format_result(result, args.format), args)


def _cmd_table(args: argparse.Namespace) -> int:
    from hyvinvointi_kg.analysis.tables import table

    _check_output(args)
    _emit_result(table(_graph(args), args.name), args, sheet=args.name)
    return EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    if args.kind == "overview":
        from hyvinvointi_kg.views.overview import write_overview

        output = args.output or Path("overview.html")
        write_overview(_graph(args), output)
        print(f"wrote {output}")
        return EXIT_OK
    from hyvinvointi_kg.assembly.assemble import assemble
    from hyvinvointi_kg.assembly.report import quality_report

    text = quality_report(assemble(sources_dir=args.sources))
    if args.output:
        write_text(text, args.output)
        print(f"wrote {args.output}")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _network(args: argparse.Namespace) -> nx.Graph:
    from hyvinvointi_kg.analysis.networks import to_networkx

    return to_networkx(_graph(args), args.kind, ties=args.ties, period=args.period,
                       municipality=args.municipality, theme=args.theme, funder=args.funder)


def _cmd_network(args: argparse.Namespace) -> int:
    from hyvinvointi_kg.analysis.networks import nodes_csv_path, write_network

    G = _network(args)
    if G.number_of_edges() == 0:
        print("the selection has no ties (empty network)", file=sys.stderr)
    output = args.output or Path(f"{args.kind}.{args.format}")
    write_network(G, output, format=args.format)
    also = f" and its node list {nodes_csv_path(output)}" if args.format == "csv" else ""
    print(f"wrote {output}{also} ({G.number_of_nodes()} nodes, {G.number_of_edges()} edges)")
    return EXIT_OK


def _cmd_viz(args: argparse.Namespace) -> int:
    G = _network(args)
    filters = {name: str(getattr(args, name)) for name in ("municipality", "theme", "funder", "period")
               if getattr(args, name)}
    if args.kind == "co-implementation" and args.ties != "all":
        filters["ties"] = args.ties
    if G.number_of_nodes() == 0:
        print("no organisations or projects match the filters; the page says so", file=sys.stderr)
    from hyvinvointi_kg.views.options import ViewOptions

    options = ViewOptions(color_by=args.color_by, size_by=args.size_by, filters=filters, seed=args.seed)
    if args.output.suffix.lower() in (".png", ".svg"):
        from hyvinvointi_kg.views.figures import draw_network

        draw_network(G, args.output, options=options)
    else:
        from hyvinvointi_kg.views.html import write_html

        write_html(G, args.output, options=options)
    print(f"wrote {args.output} ({G.number_of_nodes()} nodes, {G.number_of_edges()} edges)")
    return EXIT_OK


def _cmd_metrics(args: argparse.Namespace) -> int:
    from hyvinvointi_kg.analysis.networks import network_metrics

    _check_output(args)
    metrics = network_metrics(_network(args))
    frame = metrics.nodes.sort_values(["betweenness", "weighted_degree"], ascending=False)
    _emit_frame(frame, args, sheet="metrics", index=args.format != "table",
                head=(f"density {metrics.density:.4f}, components {metrics.components}, "
                      f"communities {metrics.communities}, modularity {metrics.modularity:.3f}"))
    return EXIT_OK


def _cmd_overlaps(args: argparse.Namespace) -> int:
    from hyvinvointi_kg.analysis.overlaps import find_overlaps, overlaps_frame
    from hyvinvointi_kg.analysis.selection import resolve_filters

    _check_output(args)
    graph = _graph(args)
    chosen = resolve_filters(graph, period=args.period, municipality=args.municipality, theme=args.theme)
    overlaps = find_overlaps(graph, min_score=args.min_score, period=chosen.period,
                             municipality=chosen.municipality, theme=chosen.theme)
    if not overlaps:
        print("no overlapping projects in the selection", file=sys.stderr)
    frame = overlaps_frame(overlaps)
    if args.format == "table":
        frame = frame[["score", "name_a", "name_b", "shared_municipalities", "overlap_days", "text_similarity"]]
    _emit_frame(frame, args, sheet="overlaps")
    return EXIT_OK


def _cmd_export(args: argparse.Namespace) -> int:
    from datetime import datetime

    from hyvinvointi_kg.views.workbook import write_workbook

    graph_file = (args.data_dir or resource_dir("data/ttl")) / "graph.ttl"
    built = datetime.fromtimestamp(graph_file.stat().st_mtime) if graph_file.is_file() else None
    write_workbook(_graph(args), args.output, built=built, overlaps=not args.no_overlaps)
    print(f"wrote {args.output}")
    return EXIT_OK


def _cmd_map(args: argparse.Namespace) -> int:
    from hyvinvointi_kg.views.map import municipality_map, write_map

    drawn = municipality_map(_graph(args), region=None if args.all_finland else "19", theme=args.theme,
                             target_group=args.target_group, funder=args.funder, period=args.period)
    write_map(drawn, args.output)
    counts = drawn.counts
    print(f"wrote {args.output} ({len(counts.frame)} municipalities, {len(counts.white_spots)} without "
          f"projects, {len(counts.region_wide_projects)} projects covering a whole region or sub-region)")
    return EXIT_OK


def _cmd_serve(args: argparse.Namespace) -> int:
    from hyvinvointi_kg.stores.backends import default_store_location
    from hyvinvointi_kg.stores.endpoint import Endpoint, serve

    location = args.location or default_store_location(args.data_dir)

    def ready(endpoint: Endpoint) -> None:
        print(f"SPARQL endpoint {endpoint.query_url} (query page {endpoint.url}); read-only, "
              f"{args.timeout} s per query, results up to {args.max_result_mb} MB; store {location}. "
              "Ctrl-C stops it.", flush=True)

    serve(location=location, port=args.port, host=args.host, timeout_s=args.timeout,
          max_result_bytes=args.max_result_mb * 1_000_000, allow_service=args.allow_service,
          allow_hosts=args.allow_host, engines=args.engines, max_engine_memory_bytes=args.max_engine_mb * 1_000_000,
          data_dir=args.data_dir, ready=ready)
    return EXIT_OK


def _cmd_publish(args: argparse.Namespace) -> int:
    from hyvinvointi_kg.stores.backends import publish

    size = publish(args.endpoint, data_dir=args.data_dir, graph_iri=args.graph)
    target = f"graph <{args.graph}>" if args.graph else "the default graph"
    print(f"uploaded {size / 1e6:.1f} MB of N-Triples to {target} of {args.endpoint}")
    return EXIT_OK


def _cmd_info(args: argparse.Namespace) -> int:
    from hyvinvointi_kg.analysis.summary import summarise

    for line in summarise(_graph(args)).lines():
        print(line)
    return EXIT_OK


def _shared_flags() -> dict[str, _Parser]:
    """The flags several commands take, each defined once (argparse parent parsers)."""
    from hyvinvointi_kg.dates import PERIOD_FORMS

    data = _Parser(add_help=False)
    data.add_argument("--data-dir", type=Path, help="folder of a built graph (default: bundled)")
    backend = _Parser(add_help=False, parents=[data])
    backend.add_argument("--backend", metavar="SOURCE", help=BACKEND_HELP)
    checks = _Parser(add_help=False)
    checks.add_argument("--lang", choices=("en", "fi"), default="en", help="language of messages")
    checks.add_argument("--validator", choices=("oxigraph", "pyshacl"), default="oxigraph", help=_VALIDATOR_HELP)
    places = _Parser(add_help=False)
    places.add_argument("--municipality", help="a municipality name or IRI (and places within it)")
    places.add_argument("--theme", help="a theme label or IRI")
    places.add_argument("--period", help=PERIOD_FORMS)
    funder = _Parser(add_help=False, parents=[places])
    funder.add_argument("--funder", help="a funder name or IRI")
    output = _Parser(add_help=False)
    output.add_argument("-f", "--format", choices=("table", "csv", "json", "xlsx"), default="table",
                        help="table (default; fitted to the terminal), csv, json (numbers as numbers, ISO dates, "
                             "null for missing) or xlsx (a workbook; needs -o)")
    output.add_argument("-o", "--output", type=Path, help="write to this file instead of standard output")
    output.add_argument("--csv", choices=("plain", "excel", "excel-semicolon"), default="plain",
                        help="CSV for: plain (UTF-8), excel (with a byte-order mark), excel-semicolon "
                             "(';' and decimal comma, as Finnish Excel expects)")
    output.add_argument("--full", action="store_true", help="table: show every cell whole, however wide")
    return {"data": data, "backend": backend, "checks": checks, "filters": funder, "places": places,
            "output": output}


def _parser() -> argparse.ArgumentParser:
    from hyvinvointi_kg.dates import PERIOD_FORMS

    parser = _Parser(
        prog="hyvinvointi-kg",
        description="Knowledge graph of welfare, inclusion and safety projects in Finnish Lapland.",
        epilog="Exit codes: 0 ok, 1 data does not conform, 2 usage or input error, "
               "3 the command could not finish (a worker process died).",
    )
    shared = _shared_flags()
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def command(name: str, func: Callable[[argparse.Namespace], int], text: str,
                *parents: str) -> argparse.ArgumentParser:
        cmd = sub.add_parser(name, help=text, description=text, parents=[shared[p] for p in parents])
        cmd.set_defaults(func=func)
        return cmd

    build = command("build", _cmd_build, "build the graph from the sources, validate it, write data/ttl",
                    "checks")
    build.add_argument("--sources", type=Path, help="folder of source documents (default: bundled)")
    build.add_argument("--reference", type=Path, help="folder of reference data (default: bundled)")
    build.add_argument("-o", "--output-dir", type=Path, help="where to write the Turtle files")

    check = command("validate", _cmd_validate, "validate RDF files (default: the bundled graph)",
                    "data", "checks")
    check.add_argument("files", nargs="*", type=Path, help="Turtle/RDF files to validate together")

    query = command("query", _cmd_query, "run a named query from queries/ or a .rq file", "backend", "output")
    query.add_argument("query", nargs="?", help="query name (see --list) or path to a .rq file")
    query.add_argument("-p", "--param", action="append", default=[], metavar="KEY=VALUE",
                       help="a query parameter (repeatable)")
    query.add_argument("--list", action="store_true", help="list the available queries")
    query.add_argument("--sparql", action="store_true",
                       help="print the query as one self-contained SPARQL text (prefixes declared, "
                            "parameters fixed) for another client, instead of running it")

    tab = command("table", _cmd_table, "one row per project or organisation, for people", "backend", "output")
    tab.add_argument("name", choices=("projects", "organisations"))

    rep = command("report", _cmd_report, "quality: the data-quality report of a fresh build (Markdown); "
                  "overview: one offline HTML page of the project landscape", "data")
    rep.add_argument("kind", choices=("quality", "overview"))
    rep.add_argument("-o", "--output", type=Path,
                     help="write to this file (default: stdout for quality, overview.html for overview)")
    rep.add_argument("--sources", type=Path, help="quality: folder of source documents (default: bundled)")

    from hyvinvointi_kg.analysis._kinds import NETWORK_KINDS

    for name, func, text in (("network", _cmd_network, "export a collaboration network"),
                             ("metrics", _cmd_metrics, "per-organisation network metrics"),
                             ("viz", _cmd_viz, "an interactive network page (offline HTML), or PNG/SVG")):
        net = command(name, func, text, "backend", "filters", *(("output",) if name == "metrics" else ()))
        net.add_argument("kind", choices=NETWORK_KINDS)
        if name == "network":
            net.add_argument("-f", "--format", choices=("graphml", "gexf", "csv"), default="graphml")
            net.add_argument("-o", "--output", type=Path, help="file to write (default: KIND.FORMAT)")
        elif name == "viz":
            net.add_argument("-o", "--output", type=Path, required=True,
                             help="FILE.html (interactive, self-contained) or FILE.png / FILE.svg (static)")
            net.add_argument("--color-by", choices=("kind", "community"), default="kind")
            net.add_argument("--size-by", choices=("degree", "betweenness", "projects"), default="degree")
            net.add_argument("--seed", type=int, default=42, help="layout and community seed (default 42)")
        else:
            net.add_argument("--top", type=int, default=20, help="rows in the table (default 20)")
        net.add_argument("--ties", choices=("all", "lead-partner"), default="all",
                         help="co-implementation: all co-implementers or lead-partner ties only")

    over = command("overlaps", _cmd_overlaps, "pairs of projects overlapping in place, topic and time",
                   "backend", "places", "output")
    over.add_argument("--top", type=int, default=20, help="rows in the table (default 20)")
    over.add_argument("--min-score", type=float, default=0.0, help="keep pairs scoring at least this")

    export = command("export", _cmd_export, "the whole graph as one spreadsheet workbook (.xlsx), a sheet "
                     "per subject: projects, implementers, funding, places, themes, overlaps, claims", "backend")
    export.add_argument("what", choices=("workbook",))
    export.add_argument("-o", "--output", type=Path, required=True, help="FILE.xlsx")
    export.add_argument("--no-overlaps", action="store_true", help="leave out the overlap sheets (faster)")

    drawn = command("map", _cmd_map, "a map of projects per municipality (offline HTML, SVG or PNG)",
                    "backend")
    drawn.add_argument("-o", "--output", type=Path, required=True, help="FILE.html, FILE.svg or FILE.png")
    drawn.add_argument("--all-finland", action="store_true", help="all 309 municipalities (default: Lapland)")
    drawn.add_argument("--theme", help="a theme label or IRI")
    drawn.add_argument("--target-group", help="a target group label or IRI")
    drawn.add_argument("--funder", help="a funder name or IRI")
    drawn.add_argument("--period", help=PERIOD_FORMS)

    srv = command("serve", _cmd_serve, "a local read-only SPARQL 1.1 endpoint with a query page (Oxigraph)",
                  "data")
    srv.add_argument("--port", type=_port, default=7878, help="port (default 7878)")
    srv.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1, this machine)")
    srv.add_argument("--location", type=Path, help="folder of the persistent store (default: a cache folder)")
    srv.add_argument("--timeout", type=int, default=30, help="seconds per query (default 30)")
    srv.add_argument("--max-result-mb", type=int, default=100, help="larger results are refused (default 100)")
    srv.add_argument("--allow-service", action="append", default=[], metavar="IRI",
                     help="an endpoint SERVICE may call (repeatable; default: none)")
    srv.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                     help="a host name clients may use besides localhost and the --host address (repeatable)")
    srv.add_argument("--engines", type=int, default=4, help="queries run at once (default 4)")
    srv.add_argument("--max-engine-mb", type=int, default=2000,
                     help="a query whose engine grows past this is stopped (default 2000)")

    pub = command("publish", _cmd_publish, "upload the graph to a store (SPARQL 1.1 Graph Store Protocol)",
                  "data")
    pub.add_argument("--endpoint", required=True,
                     help="Graph Store URL, e.g. http://localhost:7878/store (Oxigraph), "
                          "http://localhost:3030/DATASET/data (Fuseki)")
    pub.add_argument("--graph", help="replace this named graph (default: the default graph)")

    command("info", _cmd_info, "counts of projects, organisations, places, sources, triples", "backend")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except BuildError as err:
        print(f"error: {one_line(str(err))}", file=sys.stderr)
        return EXIT_FAILED
    except HyvinvointiKGError as err:
        print(f"error: {one_line(str(err))}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # pragma: no cover - e.g. piping into head
        return EXIT_OK
    except RuntimeError as err:  # RocksDB (Oxigraph's storage) finds a damaged block on reading
        if not str(err).startswith("Corruption"):
            raise
        print(f"error: {one_line(str(err))}; the Oxigraph store is damaged: delete its folder "
              "(it is built again on the next use)", file=sys.stderr)
        return EXIT_USAGE
    except OSError as err:  # a file or folder the user named cannot be written, a port is taken
        named = err.filename2 or err.filename  # of a rename, the target the user named
        where = f"{named}: " if named else ""
        print(f"error: {where}{one_line(err.strerror or str(err))}", file=sys.stderr)
        return EXIT_USAGE
    return code


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
