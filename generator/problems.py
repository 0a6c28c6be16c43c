"""Problems found in content: values, not log lines.

Every stage that reads editor input collects `Problem`s instead of raising on
the first one, so an editor sees every mistake in one run.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or suspicious) in one input file."""

    path: str
    line: int
    column: int
    field: str
    message: str
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{where}: {self.field}: {prefix}{self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "field": self.field,
            "message": self.message,
            "severity": self.severity,
        }


@dataclass
class Problems:
    """A collector of problems for one run."""

    items: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.items.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return sorted(p for p in self.items if p.severity == "error")

    @property
    def warnings(self) -> list[Problem]:
        return sorted(p for p in self.items if p.severity == "warning")

    def __bool__(self) -> bool:
        return bool(self.errors)


class ContentError(Exception):
    """Raised when content has errors; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in content")
        self.problems = problems


def display_path(path: Path, root: Path | None = None) -> str:
    """A path as editors know it: relative to the working directory if possible."""
    absolute = os.path.abspath(path)
    for base in (os.getcwd(), root):
        if base is None:
            continue
        base = os.path.abspath(base)
        if absolute == base:
            return "."
        prefix = base if base.endswith("/") else base + "/"
        if absolute.startswith(prefix):
            return absolute[len(prefix):]
    return str(path)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ' (did you mean ...?)' suffix, or an empty string."""
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{match[0]}'?" if match else ""
