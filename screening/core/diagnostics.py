"""Diagnostics that point at a place in a source file: `file:line:col: CODE: message`."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Diagnostic:
    file: str
    line: int
    column: int
    code: str
    message: str
    severity: str = "error"  # error | warning

    def format(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.code}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "message": self.message,
            "severity": self.severity,
        }


class RuleSetError(Exception):
    """A rule set could not be loaded; carries one or more diagnostics."""

    def __init__(self, diagnostics: Iterable[Diagnostic]):
        self.diagnostics = sorted(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))


class InputError(Exception):
    """Invalid user input (patient file, option value): exit 2 / HTTP 4xx with this message."""


def unknown_trial(trial_id: str, known: Iterable[str]) -> str:
    """The one message for a trial id that is not in the catalog."""
    known = list(known)
    return f"unknown trial {trial_id!r}{did_you_mean(trial_id, known)}; known trials: {', '.join(known)}"


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(candidates), n=3, cutoff=0.6)
    if not close:
        return ""
    return " (did you mean " + " or ".join(repr(c) for c in close) + "?)"
