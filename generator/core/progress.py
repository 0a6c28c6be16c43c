"""A progress bar for builds that take a while.

It draws only on a terminal, and only once the work has run for a second, so a
quick build prints nothing but its closing line and a build in CI prints no
control characters at all.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO


class Progress:
    """Counts steps of known total; draws a bar on `stream` (None: silent)."""

    def __init__(self, stream: TextIO | None, delay: float = 1.0, width: int = 30,
                 clock: Callable[[], float] = time.monotonic):
        self.stream = stream
        self.delay = delay
        self.width = width
        self.clock = clock
        self.label = ""
        self.total = 0
        self.done = 0
        self.started = clock()
        self._drawn_at: float | None = None
        self._line = 0

    def start(self, total: int, label: str = "Building") -> None:
        self.total, self.label, self.done = max(total, 1), label, 0

    def advance(self, steps: int = 1) -> None:
        self.done = min(self.done + steps, self.total)
        self._draw()

    def _draw(self) -> None:
        if self.stream is None:
            return
        now = self.clock()
        if now - self.started < self.delay:
            return
        if self._drawn_at is not None and now - self._drawn_at < 0.1 and self.done < self.total:
            return
        filled = self.width * self.done // self.total
        line = (f"{self.label} [{'#' * filled}{'-' * (self.width - filled)}] "
                f"{self.done}/{self.total}")
        self.stream.write("\r" + line.ljust(self._line))
        self.stream.flush()
        self._line, self._drawn_at = len(line), now

    def finish(self) -> None:
        """Clear the bar, if one was drawn, so the closing line starts clean."""
        if self.stream is not None and self._drawn_at is not None:
            self.stream.write("\r" + " " * self._line + "\r")
            self.stream.flush()
            self._drawn_at = None


def terminal_progress(quiet: bool = False) -> Progress:
    """A bar on standard error if it is a terminal and not `quiet`; else a silent one."""
    stream = sys.stderr
    return Progress(stream if not quiet and stream.isatty() else None)
