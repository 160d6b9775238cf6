"""The command line: a thin layer over the public API (exit 0 ok, 1 does not conform, 2 usage/input error)."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph

from hyvinvointi_kg._resources import resource_dir
from hyvinvointi_kg.cells import format_result
from hyvinvointi_kg.dates import PERIOD_FORMS
from hyvinvointi_kg.errors import BuildError, HyvinvointiKGError, one_line, shorten
from hyvinvointi_kg.i18n import LANGUAGES, N_, Lang, check_lang, default_lang, format_number, translator
from hyvinvointi_kg.query import (
    QueryResult,
    bind_parameters,
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

# argparse's own texts (Python 3.11's argparse), marked here so that the catalogues carry them;
# _argparse_speaking() has argparse look them up there.
_ARGPARSE_MESSAGES = (
    N_("usage: "), N_("positional arguments"), N_("options"), N_("show this help message and exit"),
    N_("the following arguments are required: %s"), N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"), N_("argument %(argument_name)s: %(message)s"),
    N_("expected one argument"), N_("expected at least one argument"), N_("expected at most one argument"),
    N_("invalid %(type)s value: %(value)r"), N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"), N_("one of the arguments %s is required"),
    N_("ignored explicit argument %r"), N_("can't open '%(filename)s': %(error)s"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
)


@contextlib.contextmanager
def _argparse_speaking(lang: Lang) -> Iterator[None]:
    """Have argparse write its own texts ("usage:", "options", its errors) in *lang* while parsing.

    argparse looks every text up through its module's ``_`` and ``ngettext`` (``gettext``'s
    global functions): the one place that relies on that, for the time of one parse, put back
    afterwards; ``tests/test_i18n.py`` pins it.
    """
    t = translator(lang)
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = t.gettext, t.ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def _scan_lang(argv: Sequence[str]) -> Lang:
    """The language ``--lang`` names anywhere in *argv* (before ``--``), else :func:`default_lang`.

    The parser's help texts are in that language, so it is known before the parser is built;
    an unknown value is left for the parser to refuse.
    """
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        value = arg.partition("=")[2] if arg.startswith("--lang=") else (
            argv[i + 1] if arg == "--lang" and i + 1 < len(argv) else None)
        if value in LANGUAGES:
            return check_lang(value)
    return default_lang()


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        _ = argparse._  # type: ignore[attr-defined]  # the language _argparse_speaking() set
        print(_("{prog}: error: {message} (see {prog} -h)").format(prog=self.prog, message=one_line(message)),
              file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _port(text: str) -> int:
    """A TCP port number, 0-65535 (0: any free port)."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        _ = argparse._  # type: ignore[attr-defined]
        raise argparse.ArgumentTypeError(_("{value} is not a port number (0-65535)").format(value=shorten(text)))
    return port


def _cmd_build(args: argparse.Namespace) -> int:
    from hyvinvointi_kg.pipeline import build

    _ = translator(args.lang).gettext
    result = build(sources_dir=args.sources, reference_dir=args.reference,
                   output_dir=args.output_dir or resource_dir("data/ttl"),
                   validator="sparql" if args.validator == "oxigraph" else "pyshacl",
                   add=args.add, skip_bad_rows=args.skip_bad_rows)
    if not result.conforms:
        if not result.validation.conforms:
            print(result.validation.text(lang=args.lang), file=sys.stderr)
        for mismatch in result.mismatches[:20]:
            print(_("claim does not verify: {claim}").format(claim=mismatch), file=sys.stderr)
        if not result.validation.conforms:
            print(_("error: the built graph does not conform; nothing was written"), file=sys.stderr)
        else:
            print(translator(args.lang).ngettext(
                "error: the built graph has {n} claim whose lines do not hold its stated text; nothing was written",
                "error: the built graph has {n} claims whose lines do not hold their stated text; "
                "nothing was written", len(result.mismatches)).format(n=len(result.mismatches)), file=sys.stderr)
        return EXIT_NONCONFORMING
    for path in result.written:
        print(_("wrote {path}").format(path=path))
    for line in result.lines(lang=args.lang):
        print(line)
    print(_("time: {seconds} s").format(seconds=f"{result.seconds:.1f}"))
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


def _parse_params(pairs: Sequence[str], lang: Lang) -> dict[str, str]:
    params = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            _ = translator(lang).gettext
            raise HyvinvointiKGError(_("--param expects key=value, got {pair}").format(pair=repr(pair)))
        params[key.strip()] = value
    return params


def _write(text: str, args: argparse.Namespace) -> None:
    """*text* to the file ``-o`` names (atomically), else to standard output."""
    if getattr(args, "output", None):
        write_text(text, args.output)
        print(translator(args.lang).gettext("wrote {path}").format(path=args.output), file=sys.stderr)
    else:
        sys.stdout.write(text)


def _check_output(args: argparse.Namespace) -> None:
    """Refuse ``-f xlsx`` without ``-o`` before any work: a workbook is a file, not text."""
    if args.format == "xlsx" and not args.output:
        _ = translator(args.lang).gettext
        raise HyvinvointiKGError(_("-f xlsx writes a workbook: name the file with -o FILE.xlsx"))


def _emit_frame(frame: pandas.DataFrame, args: argparse.Namespace, *, sheet: str, index: bool = False,
                head: str | None = None) -> None:
    """A DataFrame in the format ``-f`` asks for: table (fitted to the terminal), csv, json or xlsx.

    CSV, JSON and workbook columns keep their names (one vocabulary for programs); the table,
    for people, titles them in the language of the messages.
    """
    if args.format == "xlsx":
        from hyvinvointi_kg.views.workbook import write_frame_xlsx

        write_frame_xlsx(frame, args.output, sheet=sheet, index=index)
        print(translator(args.lang).ngettext("wrote {path} ({n} row)", "wrote {path} ({n} rows)", len(frame)).format(
            path=args.output, n=len(frame)), file=sys.stderr)
        return
    if args.format == "csv":
        from hyvinvointi_kg.cells import frame_to_csv

        _write(frame_to_csv(frame, index=index, dialect=args.csv), args)
    elif args.format == "json":
        from hyvinvointi_kg.cells import frame_to_json

        _write(frame_to_json(frame.reset_index() if index else frame) + "\n", args)
    else:
        from hyvinvointi_kg.terminal import terminal_width, text_table
        from hyvinvointi_kg.views.workbook import column_titles

        titles = column_titles(args.lang)
        shown = frame.head(args.top) if getattr(args, "top", None) else frame
        rows = [[_shown(v, args.lang) for v in row] for row in shown.itertuples(index=False)]
        _write((head + "\n" if head else "") + text_table(
            [titles.get(str(c), str(c)) for c in shown.columns], rows,
            width=None if args.output else terminal_width(full=args.full), lang=args.lang), args)


def _shown(value: object, lang: Lang) -> str:
    """A cell of a table for people: a number with four decimals and a date as *lang* writes them
    (English dates as before, ISO 8601)."""
    from datetime import date, datetime

    from hyvinvointi_kg.i18n import format_date

    if isinstance(value, float):
        return format_number(value, lang, digits=4, fixed=True)
    if lang != "en" and isinstance(value, date) and not isinstance(value, datetime):
        return format_date(value, lang)
    return "" if value is None else str(value)


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
        queries = list_queries()
        for info in queries:
            signature = ", ".join(f"{p.name}{'?' if p.optional else ''}:{p.type}"
                                  for p in info.params)
            print(f"{info.name}({signature}): {info.summary}")
        t = translator(args.lang)
        print(t.ngettext("({n} query: name(parameter?:type), ? marks an optional parameter; the summaries are those "
                         "of the query files, in English; run one with: hyvinvointi-kg query NAME -p KEY=VALUE)",
                         "({n} queries: name(parameter?:type), ? marks an optional parameter; the summaries are those "
                         "of the query files, in English; run one with: hyvinvointi-kg query NAME -p KEY=VALUE)",
                         len(queries)).format(n=len(queries)))
        return EXIT_OK
    info = load_query(Path(args.query)) if args.query.endswith(".rq") else get_query(args.query)
    _check_output(args)
    params = _parse_params(args.param, args.lang)
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
        print(translator(args.lang).gettext("{query}: no rows match").format(query=info.name), file=sys.stderr)
    return EXIT_OK


def _emit_result(result: QueryResult, args: argparse.Namespace, *, sheet: str) -> None:
    """A query result in the format ``-f`` asks for; plain CSV and JSON keep each literal's exact value."""
    if args.format == "xlsx" or (args.format == "csv" and args.csv != "plain"):
        _emit_frame(result.to_dataframe(), args, sheet=sheet)
    elif args.format == "table":  # for people: the columns titled in the language of the messages
        from dataclasses import replace

        from hyvinvointi_kg.terminal import terminal_width
        from hyvinvointi_kg.views.workbook import column_titles

        titles = column_titles(args.lang)
        titled = replace(result, columns=tuple(titles.get(c, c) for c in result.columns))
        _write(format_result(titled, "table", width=None if args.output else terminal_width(full=args.full),
                             lang=args.lang), args)
    else:
        _write(format_result(result, args.format), args)


def _cmd_table(args: argparse.Namespace) -> int:
    from hyvinvointi_kg.analysis.tables import table

    _check_output(args)
    _emit_result(table(_graph(args), args.name, lang=args.lang), args, sheet=args.name)
    return EXIT_OK


def _cmd_report(args: argparse.Namespace) -> int:
    _ = translator(args.lang).gettext
    if args.since is not None and args.kind != "overview":
        raise HyvinvointiKGError(_("--since goes with the overview report"))
    if args.kind == "overview":
        from hyvinvointi_kg.views.overview import write_overview

        output = args.output or Path("overview.html")
        write_overview(_graph(args), output, lang=args.lang, previous=args.since)
        print(_("wrote {path}").format(path=output))
        return EXIT_OK
    from hyvinvointi_kg.assembly.assemble import assemble
    from hyvinvointi_kg.assembly.report import quality_report

    text = quality_report(assemble(sources_dir=args.sources), lang=args.lang)
    if args.output:
        write_text(text, args.output)
        print(_("wrote {path}").format(path=args.output))
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _network(args: argparse.Namespace) -> nx.Graph:
    from hyvinvointi_kg.analysis.networks import to_networkx

    return to_networkx(_graph(args), args.kind, ties=args.ties, period=args.period,
                       municipality=args.municipality, theme=args.theme, funder=args.funder)


def _drawn(args: argparse.Namespace, G: nx.Graph, output: Path, *, also: str = "") -> str:
    """The line saying what was written: the file and the size of the network."""
    t = translator(args.lang)
    size = t.ngettext("{n} node", "{n} nodes", len(G)).format(n=len(G))
    ties = t.ngettext("{n} edge", "{n} edges", G.number_of_edges()).format(n=G.number_of_edges())
    return t.gettext("wrote {path}{also} ({nodes}, {edges})").format(path=output, also=also, nodes=size, edges=ties)


def _cmd_network(args: argparse.Namespace) -> int:
    from hyvinvointi_kg.analysis.networks import nodes_csv_path, write_network

    _ = translator(args.lang).gettext
    G = _network(args)
    if G.number_of_edges() == 0:
        print(_("the selection has no ties (empty network)"), file=sys.stderr)
    output = args.output or Path(f"{args.kind}.{args.format}")
    write_network(G, output, format=args.format)
    also = _(" and its node list {path}").format(path=nodes_csv_path(output)) if args.format == "csv" else ""
    print(_drawn(args, G, output, also=also))
    return EXIT_OK


def _cmd_viz(args: argparse.Namespace) -> int:
    G = _network(args)
    filters = {name: str(getattr(args, name)) for name in ("municipality", "theme", "funder", "period")
               if getattr(args, name)}
    if args.kind == "co-implementation" and args.ties != "all":
        filters["ties"] = args.ties
    if G.number_of_nodes() == 0:
        print(translator(args.lang).gettext("no organisations or projects match the filters; the page says so"),
              file=sys.stderr)
    from hyvinvointi_kg.views.options import ViewOptions

    options = ViewOptions(color_by=args.color_by, size_by=args.size_by, filters=filters, seed=args.seed,
                          lang=args.lang)
    if args.output.suffix.lower() in (".png", ".svg"):
        from hyvinvointi_kg.views.figures import draw_network

        draw_network(G, args.output, options=options)
    else:
        from hyvinvointi_kg.views.html import write_html

        write_html(G, args.output, options=options)
    print(_drawn(args, G, args.output))
    return EXIT_OK


def _cmd_metrics(args: argparse.Namespace) -> int:
    from hyvinvointi_kg.analysis.networks import network_metrics

    _ = translator(args.lang).gettext
    _check_output(args)
    metrics = network_metrics(_network(args))
    frame = metrics.nodes.sort_values(["betweenness", "weighted_degree"], ascending=False)
    if args.format == "table" and "kind" in frame.columns:  # for people: the kinds in words
        from hyvinvointi_kg.views.tooltips import KIND_NAMES

        frame = frame.assign(kind=[_(KIND_NAMES[k]) if k in KIND_NAMES else k for k in frame["kind"]])
    _emit_frame(frame, args, sheet="metrics", index=args.format != "table",
                head=_("density {density}, components {components}, communities {communities}, "
                       "modularity {modularity}").format(
                    density=format_number(metrics.density, args.lang, digits=4), components=metrics.components,
                    communities=metrics.communities,
                    modularity=format_number(metrics.modularity, args.lang, digits=3)))
    return EXIT_OK


def _cmd_overlaps(args: argparse.Namespace) -> int:
    from hyvinvointi_kg.analysis.overlaps import find_overlaps, overlaps_frame

    _check_output(args)
    overlaps = find_overlaps(_graph(args), min_score=args.min_score, period=args.period,
                             municipality=args.municipality, theme=args.theme)
    if not overlaps:
        print(translator(args.lang).gettext("no overlapping projects in the selection"), file=sys.stderr)
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
    write_workbook(_graph(args), args.output, built=built, overlaps=not args.no_overlaps, lang=args.lang)
    print(translator(args.lang).gettext("wrote {path}").format(path=args.output))
    return EXIT_OK


def _cmd_diff(args: argparse.Namespace) -> int:
    from hyvinvointi_kg.analysis.diff import diff_builds

    _check_output(args)
    changes = diff_builds(args.old, args.new)
    if args.format == "table":
        _write("\n".join(changes.lines(lang=args.lang)) + "\n", args)
    else:
        _emit_frame(changes.frame(), args, sheet="diff")
    return EXIT_OK


def _cmd_funded_elsewhere(args: argparse.Namespace) -> int:
    from hyvinvointi_kg.analysis.funded_elsewhere import funded_elsewhere

    _check_output(args)
    found = funded_elsewhere(_graph(args), municipality=args.municipality, period=args.period)
    frame = found.pairs if args.what == "pairs" else found.organisations
    if args.format == "table" and args.what == "pairs":  # for people: the roles in words
        t = translator(args.lang)
        frame = frame.assign(**{column: [t.pgettext("role", r) if r in ("lead", "partner") else r
                                         for r in frame[column]] for column in ("role_a", "role_b")})
    _emit_frame(frame, args, sheet=args.what)
    return EXIT_OK


def _cmd_template(args: argparse.Namespace) -> int:
    from hyvinvointi_kg.views.template import write_template

    _ = translator(args.lang).gettext
    write_template(args.output)
    print(_("wrote {path}").format(path=args.output))
    return EXIT_OK


def _cmd_map(args: argparse.Namespace) -> int:
    from hyvinvointi_kg.views.map import municipality_map, write_map

    t = translator(args.lang)
    drawn = municipality_map(_graph(args), region=None if args.all_finland else "19", theme=args.theme,
                             target_group=args.target_group, funder=args.funder, period=args.period,
                             lang=args.lang)
    write_map(drawn, args.output)
    counts = drawn.counts
    print(t.gettext("wrote {path} ({municipalities}, {white} without projects, {wide} covering a whole region "
                    "or sub-region)").format(
        path=args.output,
        municipalities=t.ngettext("{n} municipality", "{n} municipalities", len(counts.frame)).format(
            n=len(counts.frame)),
        white=len(counts.white_spots),
        wide=t.ngettext("{n} project", "{n} projects", len(counts.region_wide_projects)).format(
            n=len(counts.region_wide_projects))))
    return EXIT_OK


def _cmd_serve(args: argparse.Namespace) -> int:
    from hyvinvointi_kg.stores.backends import default_store_location
    from hyvinvointi_kg.stores.endpoint import Endpoint, serve

    _ = translator(args.lang).gettext
    location = args.location or default_store_location(args.data_dir)

    def ready(endpoint: Endpoint) -> None:
        print(_("SPARQL endpoint {query_url} (query page {url}); read-only, {timeout} s per query, results up "
                "to {mb} MB; store {location}. Ctrl-C stops it.").format(
            query_url=endpoint.query_url, url=endpoint.url, timeout=args.timeout, mb=args.max_result_mb,
            location=location), flush=True)

    serve(location=location, port=args.port, host=args.host, timeout_s=args.timeout,
          max_result_bytes=args.max_result_mb * 1_000_000, allow_service=args.allow_service,
          allow_hosts=args.allow_host, engines=args.engines, max_engine_memory_bytes=args.max_engine_mb * 1_000_000,
          data_dir=args.data_dir, ready=ready)
    return EXIT_OK


def _cmd_publish(args: argparse.Namespace) -> int:
    from hyvinvointi_kg.stores.backends import publish

    _ = translator(args.lang).gettext
    size = publish(args.endpoint, data_dir=args.data_dir, graph_iri=args.graph)
    target = _("graph <{iri}>").format(iri=args.graph) if args.graph else _("the default graph")
    print(_("uploaded {mb} MB of N-Triples to {target} of {endpoint}").format(
        mb=f"{size / 1e6:.1f}", target=target, endpoint=args.endpoint))
    return EXIT_OK


def _cmd_info(args: argparse.Namespace) -> int:
    from hyvinvointi_kg.analysis.summary import summarise

    for line in summarise(_graph(args)).lines(lang=args.lang):
        print(line)
    return EXIT_OK


def _shared_flags(lang: Lang) -> dict[str, _Parser]:
    """The flags several commands take, each defined once (argparse parent parsers), with help in *lang*."""

    _ = translator(lang).gettext
    language = _Parser(add_help=False)
    language.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS,
                          help=_("language of messages, pages and spreadsheets: fi, sv or en (default: "
                                 "$HYVINVOINTI_KG_LANG, else the locale's language if Finnish or Swedish, "
                                 "else English)"))
    data = _Parser(add_help=False)
    data.add_argument("--data-dir", type=Path, help=_("folder of a built graph (default: bundled)"))
    backend = _Parser(add_help=False, parents=[data])
    backend.add_argument("--backend", metavar="SOURCE", help=_(
        "oxigraph (default: a persistent Oxigraph store of the graph, built once per graph in the user's cache "
        "folder), oxigraph:DIR (such a store in DIR), memory (rdflib, the reference implementation) or the URL "
        "of a SPARQL endpoint"))
    checks = _Parser(add_help=False)
    checks.add_argument("--validator", choices=("oxigraph", "pyshacl"), default="oxigraph", help=_(
        "oxigraph (default): the shapes as SPARQL on Oxigraph, fast, the same results; "
        "pyshacl: the reference implementation"))
    places = _Parser(add_help=False)
    places.add_argument("--municipality", help=_("a municipality name or IRI (and places within it)"))
    places.add_argument("--theme", help=_("a theme label or IRI"))
    places.add_argument("--period", help=PERIOD_FORMS)
    funder = _Parser(add_help=False, parents=[places])
    funder.add_argument("--funder", help=_("a funder name or IRI"))
    output = _Parser(add_help=False)
    output.add_argument("-f", "--format", choices=("table", "csv", "json", "xlsx"), default="table",
                        help=_("table (default; fitted to the terminal), csv, json (numbers as numbers, ISO "
                               "dates, null for missing) or xlsx (a workbook; needs -o)"))
    output.add_argument("-o", "--output", type=Path, help=_("write to this file instead of standard output"))
    output.add_argument("--csv", choices=("plain", "excel", "excel-semicolon"), default="plain",
                        help=_("CSV for: plain (UTF-8), excel (with a byte-order mark), excel-semicolon "
                               "(';' and decimal comma, as Finnish Excel expects)"))
    output.add_argument("--full", action="store_true", help=_("table: show every cell whole, however wide"))
    return {"language": language, "data": data, "backend": backend, "checks": checks, "filters": funder,
            "places": places, "output": output}


def _parser(lang: Lang = "en") -> argparse.ArgumentParser:
    """The command line's parser, its help in *lang* (English for the docs; in another language build it
    inside :func:`_argparse_speaking`, as :func:`main` does, so that argparse's own texts follow)."""
    _ = translator(lang).gettext
    parser = _Parser(
        prog="hyvinvointi-kg",
        description=_("Knowledge graph of welfare, inclusion and safety projects in Finnish Lapland."),
        epilog=_("Exit codes: 0 ok, 1 data does not conform, 2 usage or input error, "
                 "3 the command could not finish (a worker process died)."),
    )
    shared = _shared_flags(lang)
    parser.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS,
                        help=_("language of messages, pages and spreadsheets (also after the command)"))
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def command(name: str, func: Callable[[argparse.Namespace], int], text: str,
                *parents: str) -> argparse.ArgumentParser:
        cmd = sub.add_parser(name, help=text, description=text,
                             parents=[shared[p] for p in dict.fromkeys(("language", *parents))])
        cmd.set_defaults(func=func)
        return cmd

    build = command("build", _cmd_build, _("build the graph from the sources, validate it, write data/ttl"),
                    "checks")
    build.add_argument("--sources", type=Path, help=_("folder of source documents (default: bundled)"))
    build.add_argument("--reference", type=Path, help=_("folder of reference data (default: bundled)"))
    build.add_argument("-o", "--output-dir", type=Path, help=_("where to write the Turtle files"))
    build.add_argument("--add", nargs="+", type=Path, default=[], metavar="FILE",
                       help=_("also read these spreadsheets: the project template (hyvinvointi-kg template), "
                              "a EURA 2021-2027 project report or a STEA grants register (.xlsx or .csv)"))
    build.add_argument("--skip-bad-rows", action="store_true",
                       help=_("with --add: leave out rows that cannot be read, listing each, instead of stopping"))

    check = command("validate", _cmd_validate, _("validate RDF files (default: the bundled graph)"),
                    "data", "checks")
    check.add_argument("files", nargs="*", type=Path, help=_("Turtle/RDF files to validate together"))

    query = command("query", _cmd_query, _("run a named query from queries/ or a .rq file"), "backend", "output")
    query.add_argument("query", nargs="?", help=_("query name (see --list) or path to a .rq file"))
    query.add_argument("-p", "--param", action="append", default=[], metavar="KEY=VALUE",
                       help=_("a query parameter (repeatable)"))
    query.add_argument("--list", action="store_true", help=_("list the available queries"))
    query.add_argument("--sparql", action="store_true",
                       help=_("print the query as one self-contained SPARQL text (prefixes declared, "
                              "parameters fixed) for another client, instead of running it"))

    tab = command("table", _cmd_table, _("one row per project or organisation, for people"), "backend", "output")
    tab.add_argument("name", choices=("projects", "organisations"))

    rep = command("report", _cmd_report, _("quality: the data-quality report of a fresh build (Markdown); "
                                           "overview: one offline HTML page of the project landscape"), "data")
    rep.add_argument("kind", choices=("quality", "overview"))
    rep.add_argument("-o", "--output", type=Path,
                     help=_("write to this file (default: stdout for quality, overview.html for overview)"))
    rep.add_argument("--sources", type=Path, help=_("quality: folder of source documents (default: bundled)"))
    rep.add_argument("--since", type=Path, metavar="OLD",
                     help=_("overview: also say what changed since this earlier build (its output folder or "
                            "an RDF file, as diff reads them)"))

    from hyvinvointi_kg.analysis._kinds import NETWORK_KINDS

    for name, func, text in (("network", _cmd_network, _("export a collaboration network")),
                             ("metrics", _cmd_metrics, _("per-organisation network metrics")),
                             ("viz", _cmd_viz, _("an interactive network page (offline HTML), or PNG/SVG"))):
        net = command(name, func, text, "backend", "filters", *(("output",) if name == "metrics" else ()))
        net.add_argument("kind", choices=NETWORK_KINDS)
        if name == "network":
            net.add_argument("-f", "--format", choices=("graphml", "gexf", "csv"), default="graphml")
            net.add_argument("-o", "--output", type=Path, help=_("file to write (default: KIND.FORMAT)"))
        elif name == "viz":
            net.add_argument("-o", "--output", type=Path, required=True,
                             help=_("FILE.html (interactive, self-contained) or FILE.png / FILE.svg (static)"))
            net.add_argument("--color-by", choices=("kind", "community"), default="kind")
            net.add_argument("--size-by", choices=("degree", "betweenness", "projects"), default="degree")
            net.add_argument("--seed", type=int, default=42, help=_("layout and community seed (default 42)"))
        else:
            net.add_argument("--top", type=int, default=20, help=_("rows in the table (default 20)"))
        net.add_argument("--ties", choices=("all", "lead-partner"), default="all",
                         help=_("co-implementation: all co-implementers or lead-partner ties only"))

    over = command("overlaps", _cmd_overlaps, _("pairs of projects overlapping in place, topic and time"),
                   "backend", "places", "output")
    over.add_argument("--top", type=int, default=20, help=_("rows in the table (default 20)"))
    over.add_argument("--min-score", type=float, default=0.0, help=_("keep pairs scoring at least this"))

    changes = command("diff", _cmd_diff, _("what changed between two builds: projects added, removed and "
                                            "changed (fact, old and new value, source), organisations merged or "
                                            "split, new conflicts"), "output")
    changes.add_argument("old", type=Path, help=_("the earlier build: its output folder or an RDF file"))
    changes.add_argument("new", type=Path, help=_("the later build: its output folder or an RDF file"))

    elsewhere = command("funded-elsewhere", _cmd_funded_elsewhere,
                        _("funded elsewhere? organisations funded through several funders, or pairs of projects "
                          "with a shared implementer, overlapping periods and different funders, with evidence"),
                        "backend", "output")
    elsewhere.add_argument("--municipality", help=_("a municipality name or IRI (and places within it)"))
    elsewhere.add_argument("--period", help=PERIOD_FORMS)
    elsewhere.add_argument("what", nargs="?", choices=("organisations", "pairs"), default="organisations",
                           help=_("organisations (default) or pairs of projects"))

    template = command("template", _cmd_template, _("an empty project spreadsheet to fill in and add with "
                                                    "build --add (sheets, headers with help, lists to choose from)"))
    template.add_argument("-o", "--output", type=Path, required=True, help=_("FILE.xlsx"))

    export = command("export", _cmd_export, _("the whole graph as one spreadsheet workbook (.xlsx), a sheet "
                                              "per subject: projects, implementers, funding, places, themes, "
                                              "overlaps, claims"), "backend")
    export.add_argument("what", choices=("workbook",))
    export.add_argument("-o", "--output", type=Path, required=True, help="FILE.xlsx")
    export.add_argument("--no-overlaps", action="store_true", help=_("leave out the overlap sheets (faster)"))

    drawn = command("map", _cmd_map, _("a map of projects per municipality (offline HTML, SVG or PNG)"),
                    "backend")
    drawn.add_argument("-o", "--output", type=Path, required=True, help=_("FILE.html, FILE.svg or FILE.png"))
    drawn.add_argument("--all-finland", action="store_true", help=_("all 309 municipalities (default: Lapland)"))
    drawn.add_argument("--theme", help=_("a theme label or IRI"))
    drawn.add_argument("--target-group", help=_("a target group label or IRI"))
    drawn.add_argument("--funder", help=_("a funder name or IRI"))
    drawn.add_argument("--period", help=PERIOD_FORMS)

    srv = command("serve", _cmd_serve, _("a local read-only SPARQL 1.1 endpoint with a query page (Oxigraph)"),
                  "data")
    srv.add_argument("--port", type=_port, default=7878, help=_("port (default 7878)"))
    srv.add_argument("--host", default="127.0.0.1",
                     help=_("address to listen on (default 127.0.0.1, this machine)"))
    srv.add_argument("--location", type=Path, help=_("folder of the persistent store (default: a cache folder)"))
    srv.add_argument("--timeout", type=int, default=30, help=_("seconds per query (default 30)"))
    srv.add_argument("--max-result-mb", type=int, default=100, help=_("larger results are refused (default 100)"))
    srv.add_argument("--allow-service", action="append", default=[], metavar="IRI",
                     help=_("an endpoint SERVICE may call (repeatable; default: none)"))
    srv.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                     help=_("a host name clients may use besides localhost and the --host address (repeatable)"))
    srv.add_argument("--engines", type=int, default=4, help=_("queries run at once (default 4)"))
    srv.add_argument("--max-engine-mb", type=int, default=2000,
                     help=_("a query whose engine grows past this is stopped (default 2000)"))

    pub = command("publish", _cmd_publish, _("upload the graph to a store (SPARQL 1.1 Graph Store Protocol)"),
                  "data")
    pub.add_argument("--endpoint", required=True,
                     help=_("Graph Store URL, e.g. http://localhost:7878/store (Oxigraph), "
                            "http://localhost:3030/DATASET/data (Fuseki)"))
    pub.add_argument("--graph", help=_("replace this named graph (default: the default graph)"))

    command("info", _cmd_info, _("counts of projects, organisations, places, sources, triples"), "backend")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    Help, messages, pages and spreadsheets are in the language ``--lang`` names (anywhere on
    the line), else :func:`hyvinvointi_kg.i18n.default_lang`.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = _scan_lang(argv)
    with _argparse_speaking(lang):
        args = _parser(lang).parse_args(argv)
    args.lang = lang
    _ = translator(lang).gettext
    try:
        code: int = args.func(args)
    except BuildError as err:
        print(_("error: {message}").format(message=one_line(str(err))), file=sys.stderr)
        return EXIT_FAILED
    except HyvinvointiKGError as err:
        if getattr(err, "bad_rows", None):  # an import: a count, then one line per bad row
            first, *rows = str(err).splitlines()
            print(_("error: {message}").format(message=one_line(first)), file=sys.stderr)
            for row in rows:
                print(f"  {one_line(row)}", file=sys.stderr)
            return EXIT_USAGE
        print(_("error: {message}").format(message=one_line(str(err))), file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # pragma: no cover - e.g. piping into head
        return EXIT_OK
    except RuntimeError as err:  # RocksDB (Oxigraph's storage) finds a damaged block on reading
        if not str(err).startswith("Corruption"):
            raise
        print(_("error: {message}; the Oxigraph store is damaged: delete its folder (it is built again on the "
                "next use)").format(message=one_line(str(err))), file=sys.stderr)
        return EXIT_USAGE
    except OSError as err:  # a file or folder the user named cannot be written, a port is taken
        named = err.filename2 or err.filename  # of a rename, the target the user named
        where = f"{named}: " if named else ""
        print(_("error: {message}").format(message=where + one_line(err.strerror or str(err))), file=sys.stderr)
        return EXIT_USAGE
    return code


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
