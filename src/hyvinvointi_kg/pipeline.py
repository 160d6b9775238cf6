"""The main job: source documents to a validated graph whose claims verify, written as one set.

:func:`build` is what ``hyvinvointi-kg build`` runs: assemble the graph
(:mod:`hyvinvointi_kg.assembly`), validate it against the shapes in a forked process
while its entailments, the quality report and the Turtle files are prepared, check
every claim against its source lines, and replace the output folder only if all of
it holds.
"""

from __future__ import annotations

import os
import secrets
import shutil
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, Graph

from hyvinvointi_kg._resources import resource_dir
from hyvinvointi_kg.analysis.summary import summarise
from hyvinvointi_kg.assembly.assemble import Assembly, assemble
from hyvinvointi_kg.assembly.provenance import ClaimMismatch, verify_claims
from hyvinvointi_kg.assembly.report import quality_report
from hyvinvointi_kg.errors import InputError
from hyvinvointi_kg.i18n import Lang, translator
from hyvinvointi_kg.namespaces import HK
from hyvinvointi_kg.reasoning.entailments import entailments
from hyvinvointi_kg.stores.files import load_ontology, turtle_bytes
from hyvinvointi_kg.validation.validate import Engine, ValidationReport, validate_in_background

__all__ = ["BuildResult", "build", "check_output_folder", "write_output_folder"]


@dataclass(frozen=True)
class BuildResult:
    """What :func:`build` did: the assembled graph, its checks and the files written.

    Attributes
    ----------
    assembly
        The assembled graph with the build's findings (conflicts, merges, flags).
    graph
        Places, data, the ontology and the entailments in one graph.
    validation
        The SHACL report of the assembled graph with the ontology.
    mismatches
        Claims whose cited lines do not hold their stated text (none when it conforms).
    written
        The files written, in the output folder; empty when nothing was written
        (no output folder asked for, or the graph does not conform).
    seconds
        Wall-clock time of the whole build.
    """

    assembly: Assembly
    graph: Graph
    validation: ValidationReport
    mismatches: tuple[ClaimMismatch, ...]
    written: tuple[Path, ...]
    seconds: float

    @property
    def conforms(self) -> bool:
        """True when the graph conforms to the shapes and every claim verifies."""
        return self.validation.conforms and not self.mismatches

    def lines(self, *, lang: Lang = "en") -> list[str]:
        """The summary ``hyvinvointi-kg build`` prints in *lang*: what was read, merged, checked and counted."""
        t = translator(lang)
        catalogue, result = self.assembly.catalogue, self.assembly
        claims = len(set(result.data.subjects(RDF.type, HK.Claim)))
        if self.conforms:
            validation = t.gettext("validation: conforms ({warnings} warning(s)); provenance: all {claims} claims "
                                   "verified against their source lines").format(
                warnings=len(self.validation.warnings), claims=claims)
        else:
            validation = t.gettext("validation: {conforms}; provenance: {mismatches} of {claims} claims do not "
                                   "verify").format(
                conforms=t.gettext("conforms") if self.validation.conforms else t.gettext("does not conform"),
                mismatches=len(self.mismatches), claims=claims)
        return [
            t.gettext("catalogue: {entries} entries, {flags} reading flags, {applied} corrections applied, "
                      "{unmatched} unmatched").format(
                entries=catalogue.entries, flags=len(catalogue.flagged),
                applied=len(catalogue.corrections_applied), unmatched=len(catalogue.corrections_unmatched)),
            t.gettext("organisations: {merges} merged spellings, {near} near-misses for review, {names} organisation "
                      "names to review; unknown places: {places}, unknown funders: {funders}; conflicts between "
                      "sources: {conflicts} (see build-report.md)").format(
                merges=len(result.merges), near=len(result.near_misses), names=len(result.names_to_review),
                places=len(catalogue.unknown_places), funders=len(catalogue.unknown_funders),
                conflicts=len(result.conflicts)),
            validation,
            *self.import_lines(lang=lang),
            *summarise(self.graph).lines(lang=lang),
        ]

    def import_lines(self, *, lang: Lang = "en") -> list[str]:
        """One line per added file (format, rows, projects, what was left out) and the findings, in *lang*.

        Empty when nothing was added, so a build of the bundled sources prints what it always did.
        The bad rows and the findings are said as the import reports them (in English).
        """
        t = translator(lang)
        lines = []
        for file in self.assembly.imports:
            report = file.report
            left = [t.gettext("{n} bad rows skipped").format(n=len(report.skipped)) if report.skipped else "",
                    t.gettext("{n} turned-down applications").format(n=len(report.turned_down))
                    if report.turned_down else "",
                    t.gettext("{n} footer rows").format(n=len(report.ignored_rows)) if report.ignored_rows else "",
                    t.gettext("unknown columns: {columns}").format(
                        columns=", ".join(sorted({str(c.column) for c in report.unknown_columns})))
                    if report.unknown_columns else "",
                    t.gettext("unknown sheets: {sheets}").format(sheets=", ".join(report.unknown_sheets))
                    if report.unknown_sheets else ""]
            lines.append(t.gettext("added {file} ({format}): {rows} rows, {projects} projects").format(
                file=file.path.name, format=report.format, rows=report.rows_read,
                projects=len(file.result.projects)) + "".join(f"; {x}" for x in left if x))
            lines += ["  " + t.gettext("skipped {row}").format(row=bad) for bad in report.skipped]
        lines += [f"  {finding}" for finding in self.assembly.import_findings]
        return lines


def build(
    *,
    sources_dir: Path | None = None,
    reference_dir: Path | None = None,
    curation_dir: Path | None = None,
    output_dir: Path | None = None,
    validator: Engine = "sparql",
    add: Sequence[Path] = (),
    skip_bad_rows: bool = False,
) -> BuildResult:
    """Build, validate and verify the graph; write it to *output_dir* if all of it holds.

    Parameters
    ----------
    sources_dir, reference_dir, curation_dir
        Folders of the source documents, the reference data and the reviewed
        curation files (default: the bundled ``data/sources``, ``data/reference``
        and ``data/curation``).
    output_dir
        Folder to write ``places.ttl``, ``graph.ttl``, ``inferred.ttl`` and
        ``build-report.md`` into, replaced as one set (:func:`write_output_folder`);
        ``None`` (default) writes nothing. Nothing is written unless the graph
        conforms and every claim verifies.
    validator
        ``"sparql"`` (default): the shapes compiled to SPARQL on Oxigraph, the
        same results as pySHACL (tested) and much faster; ``"pyshacl"``: the
        reference implementation.
    add
        Spreadsheets to add to the sources (``build --add FILE…``): our project
        spreadsheet, an EURA 2021–2027 project report or a STEA register export
        (see :func:`~hyvinvointi_kg.assembly.assemble.assemble`). Their claims cite
        file, sheet, row and column, and are verified by reading the cells again.
        The reports are in ``result.assembly.imports``; :meth:`BuildResult.import_lines`
        says them in a few lines.
    skip_bad_rows
        Build from the good rows of the added files and list the bad ones (in the
        reports' ``skipped``) instead of failing.

    Raises
    ------
    InputError
        If *output_dir* cannot become the output folder (checked before the build).
    BadInputError
        If an added file has bad rows (every one listed, one line each, nothing
        written) or cannot be read; an :class:`InputError`.
    SourceError
        If a source document is missing or does not fit its layout.
    BuildError
        If the validation process dies without a report.

    Examples
    --------
    >>> result = build()
    >>> result.conforms, result.written
    (True, ())
    >>> result.lines()[-1].startswith("triples: "), result.lines(lang="sv")[-1].startswith("tripler: ")
    (True, True)
    """
    started = time.perf_counter()
    if output_dir is not None:
        check_output_folder(output_dir)  # a wrong output folder fails now, not after the build
    assembly = assemble(sources_dir=sources_dir, reference_dir=reference_dir, curation_dir=curation_dir,
                        additions=add, skip_bad_rows=skip_bad_rows)
    graph = assembly.graph()
    graph += load_ontology()
    # Validation, the slowest step, runs in a forked process meanwhile.
    wait_for_report = validate_in_background(graph, engine=validator)
    inferred = entailments(graph)
    outputs = {
        "places.ttl": turtle_bytes(assembly.places),
        "graph.ttl": turtle_bytes(assembly.data),
        "inferred.ttl": turtle_bytes(inferred),
        # English whatever language the build speaks: the file is part of the output, the same for everyone
        "build-report.md": quality_report(assembly, lang="en").encode("utf-8"),
    }
    mismatches = tuple(verify_claims(assembly.data, sources_dir or resource_dir("data/sources"),
                                     imported=assembly.import_locations()))
    report = wait_for_report()
    written: tuple[Path, ...] = ()
    if output_dir is not None and report.conforms and not mismatches:
        written = write_output_folder(outputs, output_dir)
    graph += inferred
    return BuildResult(assembly=assembly, graph=graph, validation=report, mismatches=mismatches,
                       written=written, seconds=time.perf_counter() - started)


def check_output_folder(out_dir: Path) -> None:
    """Raise an :class:`InputError` now if *out_dir* cannot become the output folder.

    Called before a long build, so a wrong ``-o`` fails at once.
    """
    if not Path(os.path.abspath(out_dir)).name:
        raise InputError(f"{out_dir}: the root folder cannot be the output folder")
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(f"{out_dir}: is a file; the output must be a folder (a new one, or one "
                         "holding a previous build)")
    ancestor = Path(os.path.abspath(out_dir)).parent
    while not ancestor.exists():
        ancestor = ancestor.parent
    if not ancestor.is_dir() or not os.access(ancestor, os.W_OK | os.X_OK):
        raise InputError(f"{out_dir}: cannot be created or replaced: {ancestor} is not a "
                         "writable folder; choose another -o")
    if out_dir.is_dir():
        folders = sorted(p.name for p in out_dir.iterdir() if p.is_dir())
        if folders:
            raise InputError(f"{out_dir}: holds folders ({', '.join(folders[:3])}); the output "
                             "folder is replaced as a whole, so name a folder for the build alone")


def write_output_folder(files: Mapping[str, bytes], out_dir: Path) -> tuple[Path, ...]:
    """Replace the files *files* (name -> content) in *out_dir* as one set.

    The files are written into a new sibling folder, which then takes the place
    of *out_dir* (the old folder is renamed away, the new one renamed in, the old
    one deleted). Other files of *out_dir* are carried over. A failure or a kill
    never leaves *out_dir* holding some old and some new files; at worst the old
    folder waits beside it as ``.NAME.old-*``.

    Raises
    ------
    InputError
        If *out_dir* is a file, holds folders, or cannot be written (naming it).
    """
    check_output_folder(out_dir)
    given, out_dir = out_dir, Path(os.path.abspath(out_dir))
    parent = out_dir.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tag = f"{os.getpid()}-{secrets.token_hex(4)}"
        staging = parent / f".{out_dir.name}.new-{tag}"
        staging.mkdir()  # the umask's permissions, like any new folder
    except OSError as err:
        raise InputError(f"{out_dir}: cannot be written: {err.strerror or err}") from err
    try:
        for name, data in files.items():
            (staging / name).write_bytes(data)
            os.chmod(staging / name, 0o644)
        if out_dir.is_dir():
            for other in out_dir.iterdir():
                if other.name not in files:
                    shutil.copy2(other, staging / other.name)
            shutil.copymode(out_dir, staging)
            old = parent / f".{out_dir.name}.old-{tag}"
            os.rename(out_dir, old)
            try:
                os.rename(staging, out_dir)
            except BaseException:
                os.rename(old, out_dir)
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(staging, out_dir)
    except OSError as err:
        raise InputError(f"{out_dir}: cannot be written: {err.strerror or err}; it is unchanged"
                         ) from err
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return tuple(given / name for name in files)

