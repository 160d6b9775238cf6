"""Claims: every fact added to the graph together with the source lines that state it."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, XSD
from rdflib.term import Node

from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.ingest.import_records import Cell
from hyvinvointi_kg.ingest.sources import SourceDocument, read_lines
from hyvinvointi_kg.namespaces import HK, ID, claim_iri, span_iri

__all__ = ["ClaimMismatch", "Stated", "add_claim", "cell_span_iri", "stated_in", "verify_claims"]


@dataclass(frozen=True)
class Stated:
    """A value exactly as a source writes it, with the lines it spans (1-based, inclusive)."""

    text: str
    first_line: int
    last_line: int

    def __post_init__(self) -> None:
        if not 1 <= self.first_line <= self.last_line:
            raise ValueError(f"bad line range {self.first_line}-{self.last_line}")


def add_claim(
    graph: Graph,
    subject: URIRef,
    predicate: URIRef,
    obj: Node,
    *,
    source: SourceDocument,
    stated: Stated | Cell,
    rule: str | None = None,
    repaired: str | None = None,
) -> URIRef:
    """Assert ``subject predicate obj`` and record who says so.

    Adds the triple itself, a ``hk:Claim`` (a reified ``rdf:Statement``) derived
    from a ``hk:SourceSpan`` of *source*, the text as stated and, when the value
    is not a plain copy of the text, the rule that derived it. The subject also
    gets ``dcterms:source`` the document. Returns the claim's IRI.

    ``stated.text`` is always the text as the source's lines hold it (line wraps
    aside, see :func:`verify_claims`). When the value was read from a repaired
    form of that text (mojibake undone, a reviewed correction, a garbled word
    restored), the repaired text goes to *repaired* (``hk:repairedAs``) and
    *rule* says what was repaired.

    A value read from a spreadsheet cell is stated by its :class:`Cell`: the span is
    then an ``hk:SpreadsheetCell`` (``hk:sheetName``, ``hk:rowNumber``,
    ``hk:columnName``; see :func:`cell_span_iri`) and the stated text the cell's text.

    Examples
    --------
    >>> from rdflib import Graph, Literal, URIRef
    >>> from hyvinvointi_kg.ingest.sources import SourceDocument
    >>> doc = SourceDocument("x_fi.txt", "register", "fi", "00", 10)
    >>> g = Graph()
    >>> s = URIRef("https://example.org/p")
    >>> claim = add_claim(g, s, HK.projectCode, Literal("S1"), source=doc,
    ...                   stated=Stated("Hankekoodi: S1", 5, 5))
    >>> (s, HK.projectCode, Literal("S1")) in g, g.value(claim, RDF.subject) == s
    (True, True)
    """
    if isinstance(stated, Cell):
        where = stated.location
        if where.column is None:
            raise ValueError(f"{where}: a claim cites a cell, not a whole row")
        span = cell_span_iri(source.file_name, where.sheet, where.row, where.column)
    else:
        span = span_iri(source.file_name, stated.first_line, stated.last_line)
    claim = claim_iri(subject, predicate, obj, span)
    graph.add((subject, predicate, obj))
    graph.add((subject, DCTERMS.source, source.iri))
    graph.add((claim, RDF.type, HK.Claim))
    graph.add((claim, RDF.subject, subject))
    graph.add((claim, RDF.predicate, predicate))
    graph.add((claim, RDF.object, obj))
    graph.add((claim, PROV.wasDerivedFrom, span))
    graph.add((claim, HK.statedAs, Literal(stated.text)))
    if repaired is not None and repaired != stated.text:
        graph.add((claim, HK.repairedAs, Literal(repaired)))
    if rule:
        graph.add((claim, HK.derivationRule, Literal(rule)))
    graph.add((span, RDF.type, HK.SourceSpan))
    graph.add((span, HK.inDocument, source.iri))
    if isinstance(stated, Cell):
        graph.add((span, RDF.type, HK.SpreadsheetCell))
        graph.add((span, HK.sheetName, Literal(stated.location.sheet)))
        graph.add((span, HK.rowNumber, Literal(stated.location.row, datatype=XSD.positiveInteger)))
        graph.add((span, HK.columnName, Literal(stated.location.column)))
    else:
        graph.add((span, HK.firstLine, Literal(stated.first_line, datatype=XSD.positiveInteger)))
        graph.add((span, HK.lastLine, Literal(stated.last_line, datatype=XSD.positiveInteger)))
    return claim


def cell_span_iri(file_name: str, sheet: str, row: int, column: str) -> URIRef:
    """IRI of a spreadsheet cell: ``source/<file>/sheet/<sheet>/row/<row>/column/<column>``.

    Each part is percent-encoded, so a header with spaces or a line break stays one IRI.

    Examples
    --------
    >>> str(cell_span_iri("eura.xlsx", "Raportti", 2, "Hankekoodi")).removeprefix(str(ID))
    'source/eura.xlsx/sheet/Raportti/row/2/column/Hankekoodi'
    >>> str(cell_span_iri("h.xlsx", "kunnat", 3, "Suunniteltu rahoitus")).rsplit("/", 1)[-1]
    'Suunniteltu%20rahoitus'
    """
    parts = (quote(file_name, safe=""), quote(sheet, safe=""), str(row), quote(column, safe=""))
    return ID["source/{}/sheet/{}/row/{}/column/{}".format(*parts)]


_WHITESPACE = re.compile(r"\s+")


def stated_in(text: str, lines: list[str]) -> bool:
    """Whether *text* is written in *lines*, however the lines wrap it.

    All whitespace is removed on both sides before comparing, so a phrase wrapped
    over several lines and a word broken across lines (``ammattikorkeak`` +
    ``oulu``) both count as written.

    Examples
    --------
    >>> stated_in("Lapin ammattikorkeakoulu", ["Lapin ammattikorkeak", "oulu, Lapin "])
    True
    >>> stated_in("Utsjoki", ["Ut j ki  Ylit i"])
    False
    """
    return _WHITESPACE.sub("", text) in _WHITESPACE.sub("", "".join(lines))


@dataclass(frozen=True)
class ClaimMismatch:
    """A claim whose source span does not hold its stated text.

    For a spreadsheet cell, ``first_line`` and ``last_line`` are its row and
    ``sheet`` and ``column`` say where the cell is.
    """

    claim: URIRef
    file_name: str
    first_line: int
    last_line: int
    stated: str
    problem: str
    sheet: str | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = (f"{self.file_name}, sheet {self.sheet!r}, row {self.first_line}, column {self.column!r}"
                 if self.column is not None else f"{self.file_name}:{self.first_line}-{self.last_line}")
        return f"{where}: {self.problem}: {self.stated[:120]!r} ({self.claim})"


def _file_name(graph: Graph, document: Node) -> str:
    """The file a document IRI stands for: its ``hk:fileName``, else the IRI's last part."""
    name = graph.value(document, HK.fileName)
    if name is not None:
        return str(name)
    return str(document).removeprefix(str(ID["source/"]))


def verify_claims(graph: Graph, sources_dir: Path, *,
                  imported: Mapping[str, Path] | None = None) -> list[ClaimMismatch]:
    """Check every ``hk:Claim`` against its source: do the cited lines hold the stated text?

    For each claim and each ``hk:SourceSpan`` it is derived from, the lines
    ``hk:firstLine`` to ``hk:lastLine`` of the span's document (the file of that
    name in *sources_dir*) must contain ``hk:statedAs``, compared with all
    whitespace removed (see :func:`stated_in`). A claim with no span, no stated
    text, a missing file or lines beyond the file's end is a mismatch too.

    A span that is an ``hk:SpreadsheetCell`` is checked by reading the file again:
    the cell of its sheet and row under the column headed ``hk:columnName`` must
    read, as :func:`~hyvinvointi_kg.ingest.tabular.stated_text` writes it, the
    stated text (whitespace runs compared as one space).

    Parameters
    ----------
    graph
        A graph holding claims, their spans and (optionally) the documents'
        ``hk:fileName``; without it the file name is the last part of the
        document's IRI (``hkid:source/<file name>``).
    sources_dir
        The folder holding the source documents.
    imported
        Where each imported spreadsheet is, by file name (``build --add``); a file
        not named here is looked for in *sources_dir*.

    Returns
    -------
    list of ClaimMismatch
        The claims that do not verify, sorted by file, lines and stated text;
        empty when every claim does.

    Raises
    ------
    SourceError
        If a source file exists but is not readable UTF-8 text.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "x_fi.txt").write_text("Hankekoodi: S1\\nToteuttaja: Lapin \\nyliopisto\\n",
    ...                                      encoding="utf-8")
    >>> doc = SourceDocument("x_fi.txt", "register", "fi", "00", 3)
    >>> g = Graph()
    >>> p, lead = URIRef("https://example.org/p"), URIRef("https://example.org/lapin-yliopisto")
    >>> _ = add_claim(g, p, HK.projectCode, Literal("S1"), source=doc,
    ...               stated=Stated("Hankekoodi: S1", 1, 1))
    >>> _ = add_claim(g, p, HK.leadImplementer, lead, source=doc,
    ...               stated=Stated("Lapin yliopisto", 2, 3))
    >>> verify_claims(g, folder)
    []
    >>> _ = add_claim(g, p, HK.partner, lead, source=doc, stated=Stated("Lapin yliopisto", 2, 2))
    >>> [(m.first_line, m.last_line, m.stated, m.problem) for m in verify_claims(g, folder)]
    [(2, 2, 'Lapin yliopisto', 'stated text not in the cited lines')]
    """
    files: dict[str, list[str] | None] = {}
    workbooks: dict[str, _Workbook | None] = {}
    mismatches: list[ClaimMismatch] = []
    for claim in set(graph.subjects(RDF.type, HK.Claim)):
        if not isinstance(claim, URIRef):
            continue
        stated = graph.value(claim, HK.statedAs)
        text = "" if stated is None else str(stated)
        spans = list(graph.objects(claim, PROV.wasDerivedFrom))
        if stated is None or not spans:
            mismatches.append(ClaimMismatch(claim, "", 0, 0, text,
                                            "no stated text" if stated is None else "no source span"))
            continue
        for span in spans:
            if (span, HK.rowNumber, None) in graph:
                found = _verify_cell(graph, claim, span, text, workbooks,
                                     lambda name: (imported or {}).get(name) or sources_dir / name)
                mismatches.extend(found)
                continue
            document = graph.value(span, HK.inDocument)
            first, last = graph.value(span, HK.firstLine), graph.value(span, HK.lastLine)
            if document is None or first is None or last is None:
                mismatches.append(ClaimMismatch(claim, "", 0, 0, text, "incomplete source span"))
                continue
            name = _file_name(graph, document)
            first_line, last_line = int(str(first)), int(str(last))
            if name not in files:
                path = sources_dir / name
                files[name] = read_lines(path) if path.is_file() else None
            lines = files[name]
            if lines is None:
                problem = "source file not found"
            elif not 1 <= first_line <= last_line <= len(lines):
                problem = f"lines beyond the file's {len(lines)}"
            elif not stated_in(text, lines[first_line - 1:last_line]):
                problem = "stated text not in the cited lines"
            else:
                continue
            mismatches.append(ClaimMismatch(claim, name, first_line, last_line, text, problem))
    return sorted(mismatches, key=lambda m: (m.file_name, m.first_line, m.last_line, m.stated,
                                             str(m.claim)))


_Workbook = dict[str, tuple[tuple[object, ...], ...]]
"""The rows of each sheet of a spreadsheet file, by sheet name (a CSV file: by ``""``)."""


def _read_workbook(path: Path) -> _Workbook | None:
    from hyvinvointi_kg.ingest.tabular import read_sheets

    if not path.is_file():
        return None
    try:
        sheets = read_sheets(path)
    except InputError:
        return None
    if path.suffix.casefold() == ".csv":
        return {"": sheets[0].rows}
    return {s.sheet: s.rows for s in sheets}


def _verify_cell(graph: Graph, claim: URIRef, span: Node, text: str,
                 workbooks: dict[str, _Workbook | None],
                 locate: Callable[[str], Path]) -> list[ClaimMismatch]:
    """The mismatch of one claim citing a spreadsheet cell, if any (see :func:`verify_claims`)."""
    from hyvinvointi_kg.ingest.tabular import stated_text

    document = graph.value(span, HK.inDocument)
    sheet, row, column = (graph.value(span, p) for p in (HK.sheetName, HK.rowNumber, HK.columnName))
    if document is None or sheet is None or row is None or column is None:
        return [ClaimMismatch(claim, "", 0, 0, text, "incomplete source span")]
    name, number = _file_name(graph, document), int(str(row))

    def mismatch(problem: str) -> list[ClaimMismatch]:
        return [ClaimMismatch(claim, name, number, number, text, problem, str(sheet), str(column))]

    if name not in workbooks:
        workbooks[name] = _read_workbook(locate(name))
    book = workbooks[name]
    if book is None:
        return mismatch("source file not found or not a readable spreadsheet")
    rows = book.get("" if "" in book else str(sheet))
    if rows is None:
        return mismatch("no such sheet")
    header = next((i for i, r in enumerate(rows[:number])
                   if str(column) in (stated_text(v) for v in r)), None)
    if header is None or number > len(rows):
        return mismatch("no such column" if header is None else f"row beyond the sheet's {len(rows)}")
    index = [stated_text(v) for v in rows[header]].index(str(column))
    values = rows[number - 1]
    found = stated_text(values[index]) if index < len(values) else ""
    if " ".join(found.split()) != " ".join(text.split()):
        return mismatch(f"the cell reads {found[:60]!r}, not the stated text")
    return []
