"""Warnings about figures worth a second look: reported, never fatal.

An entry can be valid and still wrong: a cut-off typed with a digit missing,
or a date on a weekend. These checks compare each draw with the previous
draw of its category and with the calendar, and say where to look.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..core.models import Draw
from ..core.problems import Problem

CRS_JUMP = 150  # points from the category's previous cut-off that deserve a second look

Positions = dict[str, dict[str, tuple[int, int]]]  # file -> field -> (line, column)


def suspicious(draws: Iterable[Draw], positions: Positions) -> list[Problem]:
    """Warnings for every draw, each compared with its category's previous draw."""
    problems: list[Problem] = []

    def warn(draw: Draw, name: str, message: str) -> None:
        marks = positions.get(draw.source, {})
        line, column = marks.get(name, marks.get("", (1, 1)))
        problems.append(Problem(draw.source, line, column, name, message, severity="warning"))

    previous: dict[str, Draw] = {}
    for draw in sorted(draws, key=lambda d: d.sort_key):
        if draw.date.weekday() >= 5:
            warn(draw, "date", f"{draw.date.isoformat()} is a {draw.date:%A}; IRCC holds "
                               "draws on weekdays (check the date)")
        before = previous.get(draw.category)
        if before is not None and abs(draw.min_crs - before.min_crs) > CRS_JUMP:
            gap = draw.min_crs - before.min_crs
            warn(draw, "min_crs", f"{draw.min_crs} is {abs(gap)} points "
                                  f"{'above' if gap > 0 else 'below'} the previous "
                                  f"'{draw.category}' draw ({before.min_crs} on "
                                  f"{before.date.isoformat()}, {before.source}); "
                                  "check the figure")
        previous[draw.category] = draw
    return problems
