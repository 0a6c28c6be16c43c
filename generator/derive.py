"""Derive what pages need from the loaded draws: order, neighbours, indexes.

Stage 3 of the pipeline. Everything here is computed once, from published
draws only, so templates never filter or compare.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from generator.models import Category, Content, Draw, Site


@dataclass(frozen=True)
class Change:
    """How this draw compares with an earlier one."""

    draw: Draw
    crs: int  # this draw's minimum CRS minus the earlier one's
    invitations: int
    days: int


@dataclass(frozen=True)
class Facts:
    """Derived facts about one draw, within the published site."""

    draw: Draw
    category: Category
    previous_same: Change | None  # previous draw of the same category
    previous_any: Change | None  # previous draw of any kind
    ordinal_year: int  # 1 for the first draw of its year
    ordinal_overall: int
    ordinal_category: int
    year_invitations: int  # year to date, this draw included
    year_draws: int
    year_category_invitations: int
    year_category_draws: int
    lowest_since: dt.date | None  # lowest cut-off for the category since this date
    lowest_ever: bool  # lowest cut-off of the category so far (and not the first)
    largest_of_year: bool  # the largest draw of its year so far (and not the first)
    year_table: tuple[Draw, ...]  # the year's draws up to this one, newest first


@dataclass(frozen=True)
class Page:
    """One page of a paginated list."""

    number: int
    count: int
    items: tuple[Draw, ...]


@dataclass(frozen=True)
class SiteData:
    """The published site, ready to render."""

    site: Site
    categories: dict[str, Category]
    draws: tuple[Draw, ...]  # newest first
    facts: dict[str, Facts]  # by slug
    by_category: dict[str, tuple[Draw, ...]]  # newest first, only categories with draws
    by_year: dict[int, tuple[Draw, ...]]  # newest first, years newest first
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def newest(self) -> Draw | None:
        return self.draws[0] if self.draws else None


def published(draws: tuple[Draw, ...], *, drafts: bool, future: bool,
              today: dt.date) -> tuple[Draw, ...]:
    """The draws that are published at `today`, in chronological order."""
    return tuple(d for d in draws
                 if (drafts or not d.draft) and (future or d.date <= today))


def paginate(items: tuple[Draw, ...], per_page: int) -> list[Page]:
    """Split a list into pages; an empty list still has one (empty) page."""
    chunks = [items[i:i + per_page] for i in range(0, len(items), per_page)] or [()]
    return [Page(n, len(chunks), tuple(chunk)) for n, chunk in enumerate(chunks, start=1)]


def _change(draw: Draw, earlier: Draw | None) -> Change | None:
    if earlier is None:
        return None
    return Change(earlier, draw.min_crs - earlier.min_crs,
                  draw.invitations - earlier.invitations, (draw.date - earlier.date).days)


def _facts(chronological: tuple[Draw, ...], categories: dict[str, Category]) -> dict[str, Facts]:
    facts: dict[str, Facts] = {}
    last_in_category: dict[str, Draw] = {}
    history: dict[str, list[Draw]] = defaultdict(list)  # per category, chronological
    year_rows: dict[int, list[Draw]] = defaultdict(list)
    year_cat: dict[tuple[int, str], list[Draw]] = defaultdict(list)
    previous: Draw | None = None
    for index, draw in enumerate(chronological, start=1):
        year = draw.date.year
        earlier = history[draw.category]
        lowest_since = None
        lowest_ever = bool(earlier) and all(d.min_crs > draw.min_crs for d in earlier)
        if earlier and not lowest_ever:
            if earlier[-1].min_crs > draw.min_crs:
                for d in reversed(earlier):
                    if d.min_crs <= draw.min_crs:
                        lowest_since = d.date
                        break
        year_rows[year].append(draw)
        year_cat[(year, draw.category)].append(draw)
        this_year = year_rows[year]
        largest = len(this_year) > 1 and all(
            d.invitations < draw.invitations for d in this_year[:-1])
        facts[draw.slug] = Facts(
            draw=draw, category=categories[draw.category],
            previous_same=_change(draw, last_in_category.get(draw.category)),
            previous_any=_change(draw, previous),
            ordinal_year=len(this_year), ordinal_overall=index,
            ordinal_category=len(earlier) + 1,
            year_invitations=sum(d.invitations for d in this_year), year_draws=len(this_year),
            year_category_invitations=sum(d.invitations for d in year_cat[(year, draw.category)]),
            year_category_draws=len(year_cat[(year, draw.category)]),
            lowest_since=lowest_since, lowest_ever=lowest_ever, largest_of_year=largest,
            year_table=tuple(reversed(this_year)),
        )
        earlier.append(draw)
        last_in_category[draw.category] = draw
        previous = draw
    return facts


def derive(content: Content, *, drafts: bool = False, future: bool = False,
           today: dt.date) -> SiteData:
    """Order, compare and index the published draws."""
    chronological = published(content.draws, drafts=drafts, future=future, today=today)
    newest_first = tuple(reversed(chronological))
    by_category: dict[str, list[Draw]] = defaultdict(list)
    by_year: dict[int, list[Draw]] = defaultdict(list)
    for draw in newest_first:
        by_category[draw.category].append(draw)
        by_year[draw.date.year].append(draw)
    return SiteData(
        site=content.site, categories=content.categories, draws=newest_first,
        facts=_facts(chronological, content.categories),
        by_category={k: tuple(v) for k, v in by_category.items()},
        by_year={y: tuple(by_year[y]) for y in sorted(by_year, reverse=True)},
    )
