"""Site-wide statistics for the charts and the /stats/ page, computed once.

Every figure comes from the published draws, in one pass.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..core.models import Category, Draw


@dataclass(frozen=True)
class Total:
    """The draws of one year or one category, summed."""

    key: str  # the year ("2025") or the category key
    draws: int
    invitations: int
    lowest: int  # the lowest minimum CRS score
    highest: int  # the highest minimum CRS score


@dataclass(frozen=True)
class Series:
    """One category's draws in a chart, oldest first."""

    category: str
    draws: tuple[Draw, ...]


@dataclass(frozen=True)
class Recent:
    """The draws of the twelve months up to the newest draw."""

    start: dt.date  # the window holds the draws after this date...
    end: dt.date  # ...up to and including this one (the newest draw's date)
    series: tuple[Series, ...]  # categories in categories.yaml order
    draws: tuple[Draw, ...]  # newest first


@dataclass(frozen=True)
class Stats:
    years: tuple[Total, ...]  # oldest year first
    categories: tuple[Total, ...]  # most invitations first, then categories.yaml order
    recent: Recent | None  # None when nothing is published


def year_before(day: dt.date) -> dt.date:
    """The same day a year earlier (February 29 becomes February 28)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


class _Sum:
    def __init__(self) -> None:
        self.draws = self.invitations = 0
        self.lowest = self.highest = -1

    def add(self, draw: Draw) -> None:
        self.draws += 1
        self.invitations += draw.invitations
        self.lowest = draw.min_crs if self.lowest < 0 else min(self.lowest, draw.min_crs)
        self.highest = max(self.highest, draw.min_crs)

    def total(self, key: str) -> Total:
        return Total(key, self.draws, self.invitations, self.lowest, self.highest)


def compute_stats(chronological: tuple[Draw, ...], categories: dict[str, Category]) -> Stats:
    """Totals per year and per category, and the last twelve months by category."""
    years: dict[int, _Sum] = {}
    cats: dict[str, _Sum] = {}
    for draw in chronological:
        years.setdefault(draw.date.year, _Sum()).add(draw)
        cats.setdefault(draw.category, _Sum()).add(draw)
    order = {key: i for i, key in enumerate(categories)}
    by_category = sorted((s.total(k) for k, s in cats.items()),
                         key=lambda t: (-t.invitations, order.get(t.key, len(order)), t.key))
    recent = None
    if chronological:
        end = chronological[-1].date
        start = year_before(end)
        window = tuple(d for d in chronological if d.date > start)
        series = tuple(Series(key, tuple(d for d in window if d.category == key))
                       for key in sorted({d.category for d in window},
                                         key=lambda k: (order.get(k, len(order)), k)))
        recent = Recent(start, end, series, tuple(reversed(window)))
    return Stats(
        years=tuple(years[y].total(str(y)) for y in sorted(years)),
        categories=tuple(by_category), recent=recent)
