"""What a build derives again from the last one's derived site (a warm preview's).

`derive.facts` takes, from the site derived before, the facts that did not
change: those of the draws before the first that differs, and those made again
equal to the earlier ones. These helpers say which.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..core.models import Category, Draw
    from .facts import Facts, SiteData, YearRows


def same_rows(a: YearRows, b: YearRows, same_year: bool) -> bool:
    """Whether two views show the same draws (the same objects)."""
    if a.stop - a.start != b.stop - b.start:
        return False
    if same_year:  # the years hold the same draws: the same place shows the same ones
        return a.start == b.start
    return all(x is y for x, y in zip(a.year[a.start:a.stop], b.year[b.start:b.stop],
                                      strict=True))


def reusable(chronological: tuple[Draw, ...], categories: dict[str, Category],
             by_year: dict[int, tuple[Draw, ...]], before: SiteData | None
             ) -> tuple[int, dict[str, Facts], Callable[[int], bool]]:
    """How many draws, from the oldest, are those `before` was derived from (the same
    objects, in the same order), its facts, and whether a year's draws are all the same
    as then (then a year table shows the same draws as at the same place then)."""
    if before is None or before.categories is not categories:
        return 0, {}, lambda year: False
    old = before.draws[::-1]
    count = min(len(old), len(chronological))
    reused = 0
    while reused < count and old[reused] is chronological[reused]:
        reused += 1
    known: dict[int, bool] = {}

    def same_year(year: int) -> bool:
        found = known.get(year)
        if found is None:
            now, then = by_year.get(year, ()), before.by_year.get(year, ())
            found = known[year] = len(now) == len(then) and all(
                a is b for a, b in zip(now, then, strict=True))
        return found

    return reused, before.facts, same_year
