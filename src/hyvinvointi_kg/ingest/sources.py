"""Source documents: reading them strictly, identifying them by file name and checksum."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from rdflib import Graph, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.namespace import DCTERMS, RDF, XSD

from hyvinvointi_kg._resources import resource_dir
from hyvinvointi_kg.errors import SourceError
from hyvinvointi_kg.namespaces import HK, SPDX, source_iri

__all__ = ["SourceDocument", "SourceKind", "describe_source", "read_lines", "source_graph"]

SourceKind = Literal["register", "catalogue", "summary_card", "news_release", "reference",
                     "register_export", "project_spreadsheet"]
"""What a source is; ``register_export`` and ``project_spreadsheet`` are imported spreadsheets
(an EURA or STEA export, our own project spreadsheet), the others the bundled documents."""

_KIND_CLASS = {
    "register": HK.RegisterDescription,
    "catalogue": HK.Catalogue,
    "summary_card": HK.SummaryCard,
    "news_release": HK.NewsRelease,
    "reference": HK.SourceDocument,
    "register_export": HK.RegisterExport,
    "project_spreadsheet": HK.ProjectSpreadsheet,
}


@dataclass(frozen=True)
class SourceDocument:
    """A source file as the graph identifies it.

    ``line_count`` is ``None`` for a spreadsheet, whose claims cite cells, not lines.
    """

    file_name: str
    kind: SourceKind
    language: str
    sha256: str
    line_count: int | None
    received_as: str | None = None
    issued: date | None = None

    @property
    def iri(self) -> URIRef:
        """The document's IRI in the graph."""
        return source_iri(self.file_name)


def read_lines(path: Path) -> list[str]:
    """Read a UTF-8 text file into lines (index 0 is line 1).

    Raises
    ------
    SourceError
        If the file is missing, unreadable or not valid UTF-8.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError as err:
        raise SourceError(f"{path}: source file not found") from err
    except OSError as err:
        raise SourceError(f"{path}: cannot read source file: {err.strerror}") from err
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise SourceError(f"{path}:{line}: not valid UTF-8 ({err.reason})") from err
    return text.splitlines()


def _kind_of(file_name: str) -> SourceKind:
    if file_name.startswith("eura_"):
        return "register"
    if "catalogue" in file_name:
        return "catalogue"
    if "summary_card" in file_name:
        return "summary_card"
    if "_news_" in file_name:
        return "news_release"
    return "reference"


def _received_as(sources_dir: Path, file_name: str) -> str | None:
    readme = sources_dir / "README.md"
    if not readme.is_file():
        return None
    pattern = re.compile(rf"^\|\s*`{re.escape(file_name)}`\s*\|\s*`([^`]+)`")
    for line in readme.read_text(encoding="utf-8").splitlines():
        match = pattern.match(line)
        if match:
            return match.group(1)
    return None


def describe_source(path: Path) -> SourceDocument:
    """Identify one source file: kind, language, checksum, line count, original name.

    Examples
    --------
    >>> from hyvinvointi_kg._resources import resource_dir
    >>> doc = describe_source(resource_dir("data/sources") / "S21758_news_2019-08-07_fi.txt")
    >>> doc.kind, doc.language, doc.issued.isoformat(), doc.received_as
    ('news_release', 'fi', '2019-08-07', '002_ee7880457899575c.txt')
    """
    try:
        data = path.read_bytes()
    except OSError as err:
        raise SourceError(f"{path}: cannot read source file: {err.strerror or err}") from err
    name = path.name
    lang_match = re.search(r"_(fi|en|sv)\.\w+$", name)
    date_match = re.search(r"(\d{4})-(\d{2})-(\d{2})", name)
    return SourceDocument(
        file_name=name,
        kind=_kind_of(name),
        language=lang_match.group(1) if lang_match else "fi",
        sha256=hashlib.sha256(data).hexdigest(),
        line_count=len(data.decode("utf-8", errors="replace").splitlines()),
        received_as=_received_as(path.parent, name),
        issued=date(*map(int, date_match.groups())) if date_match else None,
    )


def source_graph(documents: list[SourceDocument]) -> Graph:
    """Describe source documents in RDF (PROV entities with SPDX SHA-256 checksums)."""
    g = Graph(store="SimpleMemory")  # no named graphs here: the faster store
    for doc in documents:
        node = doc.iri
        checksum = URIRef(f"{node}/sha256")
        g.add((node, RDF.type, _KIND_CLASS[doc.kind]))
        g.add((node, HK.fileName, RDFLiteral(doc.file_name)))
        g.add((node, DCTERMS.title, RDFLiteral(doc.file_name)))
        g.add((node, DCTERMS.language, RDFLiteral(doc.language)))
        if doc.line_count is not None:
            g.add((node, HK.lineCount, RDFLiteral(doc.line_count, datatype=XSD.nonNegativeInteger)))
        g.add((node, SPDX.checksum, checksum))
        g.add((checksum, RDF.type, SPDX.Checksum))
        g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        g.add((checksum, SPDX.checksumValue, RDFLiteral(doc.sha256, datatype=XSD.hexBinary)))
        if doc.received_as:
            g.add((node, HK.receivedAs, RDFLiteral(doc.received_as)))
        if doc.issued:
            g.add((node, DCTERMS.issued, RDFLiteral(doc.issued)))
    return g


def default_sources_dir() -> Path:
    """The bundled ``data/sources`` folder."""
    return resource_dir("data/sources")
