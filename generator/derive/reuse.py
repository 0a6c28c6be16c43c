"""What a build derives again from the last one's derived site (a warm preview's).

`derive.facts` takes, from the site derived before, the facts that did not
change: those of the draws before the first that differs, and those whose inputs
are the same as then.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..core.models import Category, Draw
    from .facts import Facts, SiteData


def reusable(chronological: tuple[Draw, ...], categories: dict[str, Category],
             before: SiteData | None) -> tuple[int, dict[str, Facts], dict[str, tuple]]:
    """How many draws, from the oldest, are those `before` was derived from (the same
    objects, in the same order), with its facts and what each was made from."""
    if before is None or before.categories is not categories:
        return 0, {}, {}
    old = before.draws[::-1]
    count = min(len(old), len(chronological))
    reused = 0
    while reused < count and old[reused] is chronological[reused]:
        reused += 1
    if len(before.inputs) != len(before.facts):
        return 0, {}, {}  # derived without what its facts were made from
    return reused, before.facts, before.inputs
