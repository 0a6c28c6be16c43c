"""The build's settings, passed explicitly to every stage (no globals)."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path

# The years a date may be in: every stage (time zones, charts, feeds) handles them, and
# they hold every Express Entry round and any draw written ahead. 0001-01-01 and
# 9999-12-31 are real dates but overflow as soon as a time zone or a margin is applied.
FIRST_YEAR, LAST_YEAR = 1970, 2999


def year_problem(value: dt.date) -> str | None:
    """Why `value` (a date or a date-time) cannot be published, or None."""
    if FIRST_YEAR <= value.year <= LAST_YEAR:
        return None
    return f"year {value.year} is out of range (a year from {FIRST_YEAR} to {LAST_YEAR} expected)"


@dataclass(frozen=True)
class BuildConfig:
    content: Path
    output: Path
    drafts: bool = False
    future: bool = False
    # The build's "now": aware, or naive for a --now given without a zone, which means
    # the site's own time (--now 2026-01-01 publishes entries dated 2026-01-01).
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    templates: Path | None = None  # a site's own templates, overriding the theme
    base_url: str | None = None  # overrides site.yaml (the dev server uses it)
    head_extra: str = ""  # extra markup for <head> (the dev server's reload script)
    force: bool = False  # replace an output folder drawdesk did not build (--force)

    @property
    def static(self) -> Path:
        return self.content / "static"

    def template_dirs(self, theme: Path) -> list[Path]:
        own = self.templates or self.content / "templates"
        return [own, theme] if own.is_dir() else [theme]

    def roots(self, theme: Path) -> tuple[str, ...]:
        """The folders inputs are read from, as real paths: symbolic links are followed
        only into these (the content folder, --templates, the theme)."""
        return tuple(os.path.realpath(folder) for folder in
                     (self.content, *([self.templates] if self.templates else []), theme))


def build_now(option: dt.datetime | None) -> dt.datetime:
    """The build's 'now': --now (naive: the site's time), else SOURCE_DATE_EPOCH, else the
    wall clock. Read it with `site_now`."""
    if option is not None:
        problem = year_problem(option)
        if problem is not None:
            raise ValueError(f"--now {option.date().isoformat()}: {problem}")
        return option
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            now = dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        except (ValueError, OverflowError, OSError):
            raise ValueError(f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix timestamp") from None
        problem = year_problem(now)
        if problem is not None:
            raise ValueError(f"SOURCE_DATE_EPOCH={epoch!r}: {problem}")
        return now
    return dt.datetime.now(dt.UTC)


def site_now(now: dt.datetime, tz: tzinfo) -> dt.datetime:
    """`now` as an aware time in the site's zone; a naive `now` is already site time."""
    return now.replace(tzinfo=tz) if now.tzinfo is None else now.astimezone(tz)
