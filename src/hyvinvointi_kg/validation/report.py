"""The typed outcome of a SHACL validation: takes nothing, gives ValidationResult and ValidationReport."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal as TypingLiteral

__all__ = ["Severity", "ValidationReport", "ValidationResult"]

Severity = TypingLiteral["Violation", "Warning", "Info"]


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

    def describe(self, *, lang: str = "en") -> str:
        """One readable line: severity, focus node, path and message."""
        message = self.message_fi if lang == "fi" else self.message_en
        path = f" {self.path}" if self.path else ""
        return f"{self.severity}: <{self.focus_node}>{path}: {message}"


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

    def text(self, *, lang: str = "en") -> str:
        """A readable multi-line report."""
        head = "Conforms." if self.conforms else "Does not conform."
        counts = (f" {len(self.violations)} violation(s), {len(self.warnings)} warning(s), "
                  f"{len(self.results) - len(self.violations) - len(self.warnings)} info.")
        return "\n".join([head + counts, *(r.describe(lang=lang) for r in self.results)])
