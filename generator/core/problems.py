"""Problems found in content: values, not log lines.

Every stage that reads editor input collects `Problem`s instead of raising on
the first one, so an editor sees every mistake in one run.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# Characters never printed as they are: control characters (a newline would split a
# message, an escape sequence would reach the terminal), line and paragraph separators,
# and the bidirectional controls that reorder what is shown.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028\u2029\u202a-\u202e"
                          "\u2066-\u2069]")
_UNPRINTABLE_BUT_NEWLINE = re.compile(_UNPRINTABLE.pattern.replace("\x00-\x1f",
                                                                   "\x00-\x09\x0b-\x1f"))
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, keep_newlines: bool = False) -> str:
    """`text` safe to print on one line: unprintable characters written as escapes
    (a file name holding a newline or a terminal escape sequence shows as `\\n`, `\\x1b`).
    With `keep_newlines`, newlines stay (text made of several lines, each already safe)."""
    pattern = _UNPRINTABLE_BUT_NEWLINE if keep_newlines else _UNPRINTABLE
    return pattern.sub(_escape, text)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or suspicious, or worth knowing) in one input.

    Printed as `path:line:column: field: message`; in an input without lines (IRCC's
    JSON rounds) `line` is 0, and `item` names the record instead:
    `path: round 357: field: message`.
    """

    path: str
    line: int
    column: int
    field: str
    message: str
    severity: str = "error"  # "error", "warning" or "note" (said as it is, no prefix)
    item: str = ""  # a record of an input without lines ("round 357")

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        if self.line:
            where = f"{printable(self.path)}:{self.line}:{self.column}"
            return f"{where}: {printable(self.field)}: {prefix}{printable(self.message)}"
        parts = [printable(part) for part in (self.path, self.item, self.field) if part]
        return ": ".join([*parts, prefix + printable(self.message)])

    def as_tuple(self) -> tuple:
        """The problem as plain values: `Problem(*problem.as_tuple())` is equal to it."""
        return (self.path, self.line, self.column, self.field, self.message, self.severity,
                self.item)

    def as_dict(self) -> dict[str, object]:
        found: dict[str, object] = {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "field": self.field,
            "message": self.message,
            "severity": self.severity,
        }
        if self.item:
            found["item"] = self.item
        return found


class TemplateProblem(Exception):
    """A template that cannot be rendered; the message is 'path:line:column: template:
    message'."""


class ContentError(Exception):
    """Raised when content has errors; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s) in content")
        self.problems = problems


def display_path(path: Path | str, root: Path | None = None) -> str:
    """A path as editors know it: relative to the working directory if possible, else
    to `root`."""
    return display_paths([path], root)[0]


def display_paths(paths: Iterable[Path | str], root: Path | None = None) -> list[str]:
    """`display_path` of each of `paths` (the working directory looked up once)."""
    bases = [os.path.abspath(base) for base in (os.getcwd(), root) if base is not None]
    prefixes = [(base, base if base.endswith("/") else base + "/") for base in bases]
    folders: dict[str, str] = {}  # folder as given -> absolute (files share few folders)
    shown: list[str] = []
    for path in paths:
        text = os.fspath(path)
        folder, _, name = text.rpartition("/")
        if folder and name not in ("", ".", ".."):
            known = folders.get(folder)
            if known is None:
                known = folders[folder] = os.path.abspath(folder)
            absolute = known.rstrip("/") + "/" + name
        else:
            absolute = os.path.abspath(text)
        for base, prefix in prefixes:
            if absolute == base:
                shown.append(".")
                break
            if absolute.startswith(prefix):
                shown.append(absolute[len(prefix):])
                break
        else:
            shown.append(str(path))
    return shown


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ' (did you mean ...?)' suffix, or an empty string."""
    import difflib  # only when something is misspelt
    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{match[0]}'?" if match else ""
