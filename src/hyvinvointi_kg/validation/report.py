"""The typed outcome of a SHACL validation: takes nothing, gives ValidationResult and ValidationReport."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal as TypingLiteral

from hyvinvointi_kg.i18n import N_, Lang, Nn_, count_text, translator

__all__ = ["Severity", "ValidationReport", "ValidationResult"]

Severity = TypingLiteral["Violation", "Warning", "Info"]
_SEVERITY_NAMES = {"Violation": N_("Violation"), "Warning": N_("Warning"), "Info": N_("Info")}


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL result: which node, which path, what is wrong, how bad."""

    focus_node: str
    path: str | None
    value: str | None
    severity: Severity
    source_shape: str
    constraint: str
    message_en: str
    message_fi: str

    def describe(self, *, lang: Lang = "en") -> str:
        """One readable line: severity, focus node, path and message, in *lang*.

        The shapes' messages are in Finnish and English: Swedish shows the Finnish one (the
        fallback of every label: the language asked for, then Finnish, then English).

        Examples
        --------
        >>> r = ValidationResult("urn:x:p", None, None, "Warning", "urn:x:s", "sh:minCount", "No title.", "Ei nimeä.")
        >>> r.describe(lang="sv")
        'Varning: <urn:x:p>: Ei nimeä.'
        """
        message = (self.message_en if lang == "en" else self.message_fi) or self.message_en or self.message_fi
        path = f" {self.path}" if self.path else ""
        return f"{translator(lang).gettext(_SEVERITY_NAMES[self.severity])}: <{self.focus_node}>{path}: {message}"


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of validating a graph against the shapes.

    ``conforms`` is true when there is no result of severity Violation
    (warnings and infos are reported but do not fail validation).
    """

    conforms: bool
    results: tuple[ValidationResult, ...]

    @property
    def violations(self) -> tuple[ValidationResult, ...]:
        """Results of severity Violation."""
        return tuple(r for r in self.results if r.severity == "Violation")

    @property
    def warnings(self) -> tuple[ValidationResult, ...]:
        """Results of severity Warning."""
        return tuple(r for r in self.results if r.severity == "Warning")

    def shapes_violated(self) -> frozenset[str]:
        """IRIs of the shapes (node or property shapes) with at least one result."""
        return frozenset(r.source_shape for r in self.results)

    def text(self, *, lang: Lang = "en") -> str:
        """A readable multi-line report in *lang*: whether the graph conforms, the counts, one line per result.

        Examples
        --------
        >>> print(ValidationReport(True, ()).text(lang="fi"))
        Vastaa muotoja. 0 rikkomusta, 0 varoitusta, 0 huomautusta.
        """
        _ = translator(lang).gettext
        head = _("Conforms.") if self.conforms else _("Does not conform.")
        infos = len(self.results) - len(self.violations) - len(self.warnings)
        counts = _("{violations}, {warnings}, {infos}.").format(
            violations=count_text(Nn_("{n} violation", "{n} violations"), len(self.violations), lang=lang),
            warnings=count_text(Nn_("{n} warning", "{n} warnings"), len(self.warnings), lang=lang),
            infos=count_text(Nn_("{n} info", "{n} infos"), infos, lang=lang))
        return "\n".join([f"{head} {counts}", *(r.describe(lang=lang) for r in self.results)])
