"""Derive what pages need from the loaded draws: order, neighbours, indexes.

Stage 3 of the pipeline. Everything here is computed once, from published
draws only, so templates never filter or compare. Every fact is computed in
one pass over the draws in chronological order (date, then round, then slug;
a draw without a round comes first on its day), in time and memory linear
in the number of draws.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import overload

from ..core.models import Category, Content, Correction, Draw, Post, Site, Words
from .pool import PoolRow, pool_rows
from .posts import PostIndex, index_posts, published_posts, timeline
from .reuse import reusable
from .statistics import Stats, compute_stats

# A gap since the previous draw of the same category worth a sentence
# ("the first Canadian Experience Class draw in 97 days").
LONG_GAP_DAYS = 60
# An article's table of the year's draws shows at most this many, newest first
# (every real year so far fits); the year's page lists them all. This keeps
# each page's size bounded, so a site's size grows linearly with its draws.
YEAR_TABLE_ROWS = 60


@dataclass(frozen=True)
class Change:
    """How this draw compares with an earlier one."""

    draw: Draw  # the earlier draw
    crs: int  # this draw's minimum CRS minus the earlier one's
    invitations: int  # this draw's invitations minus the earlier one's
    days: int  # days between the two draws (0 on the same day)
    words: Words | None = None  # how articles name the earlier draw's category on its date


# How an article names a draw's selection method when it says the method "continues":
# occupation-based selection, category-based selection, program-specific rounds.
def _method(category: Category) -> str:
    if category.selection == "category":
        return "occupation" if category.occupation_based else "category"
    return category.selection


def _methods(category: Category) -> tuple[str, ...]:
    """The methods a draw of `category` is an instance of (occupation-based selection is
    also category-based selection)."""
    method = _method(category)
    return (method, "category") if method == "occupation" else (method,)


class YearRows(Sequence[Draw]):
    """Some consecutive draws of a year, newest first: a view of the year's tuple, which
    every draw of the year shares (a site's size stays linear in its draws)."""

    __slots__ = ("year", "start", "stop")

    def __init__(self, year: tuple[Draw, ...], start: int, stop: int):
        self.year = year
        self.start = start
        self.stop = stop

    def __len__(self) -> int:
        return self.stop - self.start

    def __iter__(self) -> Iterator[Draw]:
        return iter(self.year[self.start:self.stop])

    @overload
    def __getitem__(self, index: int) -> Draw: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Draw, ...]: ...

    def __getitem__(self, index: int | slice) -> Draw | tuple[Draw, ...]:
        return self.year[self.start:self.stop][index]

    def __repr__(self) -> str:
        return f"YearRows({self.year[self.start:self.stop]!r})"


@dataclass(frozen=True)
class Said:
    """A correction as an article tells it: `figure` when it names the figure corrected
    and both its values ("IRCC corrected the minimum CRS score from 475 to 480"), else
    `note` (the editor's note alone says what changed). Who corrected it: `by`."""

    correction: Correction
    kind: str  # "figure" or "note"

    @property
    def by(self) -> str:
        return self.correction.by


def corrections_said(draw: Draw | Post) -> tuple[Said, ...]:
    """The draw's (or post's) corrections as articles tell them, oldest first (the loader
    checked each one against the entry: the latest of a figure corrected it to the entry's
    value; a post's are notes)."""
    if not draw.corrections:
        return ()
    said = []
    for c in sorted(draw.corrections, key=lambda c: c.at):
        figure = c.figure is not None and c.old is not None and c.new is not None
        said.append(Said(c, "figure" if figure else "note"))
    return tuple(said)


@dataclass(frozen=True)
class Facts:
    """Derived facts about one draw, within the published site."""

    draw: Draw
    category: Category
    previous_same: Change | None  # previous draw of the same category
    previous_any: Change | None  # previous draw of any kind
    ordinal_year: int  # 1 for the first draw of its year
    ordinal_overall: int
    ordinal_category: int  # 1 for the first draw of its category
    year_invitations: int  # year to date, this draw included
    year_draws: int
    year_category_invitations: int  # year to date in the category, this draw included
    year_category_draws: int  # also the draw's ordinal within its category this year
    # The latest earlier draw of the category whose cut-off was as low or lower,
    # when this cut-off is lower than the previous one's and not the lowest ever.
    lowest_since: Draw | None
    lowest_ever: bool  # lower than every earlier draw of the category (and not the first)
    largest_of_year: bool  # more invitations than every earlier draw of its year
    first_in_days: int | None  # days since the previous draw of the category, when long
    pool: tuple[PoolRow, ...]  # the pool's score distribution, highest band first
    # What the prose may say about this draw (one place for "this sentence only when the
    # facts support it"): every fact below looks only at earlier published draws.
    words: Words  # the category's name and phrases on the draw's date (categories.yaml)
    another: bool  # an earlier draw of the category under the same name: "continues to"
    # An earlier draw used this draw's selection method (occupation-based selection for an
    # occupation-based category, category-based selection for another category, a
    # program-specific round for a program): "... continues to play a role".
    method_before: bool
    held_before: frozenset[str]  # the selections ("general", "program", "category") held
    other_category_before: bool  # an earlier category-based draw of another category
    # The category's earlier names and phrases, when its earlier draws had other names
    # than this one (comparisons follow a category across its renames).
    earlier_words: tuple[Words, ...]
    pool_taken: str | None  # the pool's date: "before", "on" or "after" the draw's date
    corrections: tuple[Said, ...] = ()  # oldest first
    # The year's draws up to and including this one, newest first, at most
    # YEAR_TABLE_ROWS of them (the year's page lists them all).
    year_table: YearRows = field(default_factory=lambda: YearRows((), 0, 0), repr=False,
                                 compare=False)

    @property
    def updated(self) -> dt.datetime | None:
        """When the article last changed after publication: its latest correction."""
        return self.corrections[-1].correction.at if self.corrections else None

    @property
    def first_of_category(self) -> bool:
        return self.previous_same is None

    @property
    def year_all(self) -> tuple[Draw, ...]:
        """The year's published draws, newest first (one tuple shared by the year)."""
        return self.year_table.year

    @property
    def year_table_omitted(self) -> int:
        """The year's earlier draws that `year_table` leaves out."""
        return max(0, self.ordinal_year - YEAR_TABLE_ROWS)


@dataclass(frozen=True)
class Page:
    """One page of a paginated list."""

    number: int
    count: int
    items: tuple[Draw | Post, ...]


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
    stats: Stats | None = None
    posts: PostIndex = field(default_factory=PostIndex)
    timeline: tuple[Draw | Post, ...] = ()  # draws and posts, newest first (source.posts)
    # What each draw's facts were made from, by slug (`_facts`): the next build of a warm
    # preview keeps the facts whose inputs are the same.
    inputs: dict[str, tuple] = field(default_factory=dict, repr=False, compare=False)

    def category_items(self, key: str) -> tuple[Draw | Post, ...]:
        """A category's draws and posts, newest first."""
        return timeline(self.by_category.get(key, ()), self.posts.by_category.get(key, ()))

    def year_keys(self) -> list[int]:
        """Every year with a published draw or post, newest first."""
        return sorted({*self.by_year, *self.posts.by_year}, reverse=True)

    @property
    def newest(self) -> Draw | None:
        return self.draws[0] if self.draws else None

    @property
    def chronological(self) -> tuple[Draw, ...]:
        return tuple(reversed(self.draws))


def published(draws: tuple[Draw, ...], *, drafts: bool, future: bool,
              today: dt.date) -> tuple[Draw, ...]:
    """The draws that are published at `today`, in chronological order."""
    return tuple(d for d in draws
                 if (drafts or not d.draft) and (future or d.date <= today))


def paginate(items: tuple[Draw | Post, ...], per_page: int) -> list[Page]:
    """Split a list into pages; an empty list still has one (empty) page."""
    chunks = [items[i:i + per_page] for i in range(0, len(items), per_page)] or [()]
    return [Page(n, len(chunks), tuple(chunk)) for n, chunk in enumerate(chunks, start=1)]


def _change(draw: Draw, earlier: Draw | None,
            categories: dict[str, Category]) -> Change | None:
    if earlier is None:
        return None
    return Change(earlier, draw.min_crs - earlier.min_crs,
                  draw.invitations - earlier.invitations, (draw.date - earlier.date).days,
                  categories[earlier.category].words_on(earlier.date))


def _pool_taken(draw: Draw) -> str | None:
    if draw.pool is None:
        return None
    if draw.pool.as_of == draw.date:
        return "on"
    return "before" if draw.pool.as_of < draw.date else "after"


@dataclass
class _Running:
    """Running totals of one group of draws (a year, or a category in a year)."""

    draws: int = 0
    invitations: int = 0

    def add(self, draw: Draw) -> None:
        self.draws += 1
        self.invitations += draw.invitations


def _year_table(year: tuple[Draw, ...], ordinal: int) -> YearRows:
    """The draws of `year` (newest first) up to and including its `ordinal`-th, newest
    first, at most YEAR_TABLE_ROWS of them."""
    start = len(year) - ordinal
    return YearRows(year, start, min(len(year), start + YEAR_TABLE_ROWS))


def _facts(chronological: tuple[Draw, ...], categories: dict[str, Category],
           by_year: dict[int, tuple[Draw, ...]], before: SiteData | None = None
           ) -> tuple[dict[str, Facts], dict[str, tuple]]:
    """Every published draw's facts, in one pass in chronological order, and what each
    was made from (its inputs: objects and figures).

    Given the site derived before (`before`, from the same categories), a draw whose
    inputs are the same as then has the same facts, the earlier object: the facts of
    the draws before the first that differs (by identity: an entry read again makes a
    new draw) are taken without a look, as a draw's facts depend only on the draws up to
    and including it; the stages after this one can tell by identity what did not
    change.
    """
    reused, old_facts, old_inputs = reusable(chronological, categories, before)
    facts: dict[str, Facts] = {}
    inputs: dict[str, tuple] = {}
    last_in_category: dict[str, Draw] = {}
    count_in_category: dict[str, int] = defaultdict(int)
    # Per category, the earlier draws that no later draw has undercut, oldest
    # first, so their cut-offs never fall from bottom to top. The most recent
    # earlier draw with a cut-off <= x is the top once the draws above x are
    # popped; each draw is pushed and popped at most once.
    low_stack: dict[str, list[Draw]] = defaultdict(list)
    year_totals: dict[int, _Running] = defaultdict(_Running)
    year_category_totals: dict[tuple[int, str], _Running] = defaultdict(_Running)
    year_largest: dict[int, int] = {}
    methods: set[str] = set()  # selection methods of the draws so far (see `_methods`)
    held: set[str] = set()  # their selections
    category_keys: set[str] = set()  # categories of the category-based draws so far
    named: dict[str, list[Words]] = defaultdict(list)  # per category, oldest first
    held_now: frozenset[str] = frozenset()  # `held`, as the facts share it
    previous: Draw | None = None
    for index, draw in enumerate(chronological, start=1):
        key, year, slug = draw.category, draw.date.year, draw.slug
        category = categories[key]
        words = category.words_on(draw.date)
        before_same = last_in_category.get(key)
        stack = low_stack[key]
        while stack and stack[-1].min_crs > draw.min_crs:
            stack.pop()
        lowest_ever = before_same is not None and not stack
        lowest_since = None
        if stack and before_same is not None and before_same.min_crs > draw.min_crs:
            lowest_since = stack[-1]
        stack.append(draw)
        largest = year in year_largest and draw.invitations > year_largest[year]
        year_largest[year] = max(year_largest.get(year, 0), draw.invitations)
        totals, cat_totals = year_totals[year], year_category_totals[(year, key)]
        totals.add(draw)
        cat_totals.add(draw)
        count_in_category[key] += 1
        names = named[key]
        if index <= reused:
            facts[slug], inputs[slug] = old_facts[slug], old_inputs[slug]
        else:
            made_from = inputs[slug] = (
                draw, category, words, before_same, previous, index, totals.draws,
                totals.invitations, count_in_category[key], cat_totals.invitations,
                cat_totals.draws, lowest_since, lowest_ever, largest,
                _method(category) in methods, held_now, bool(category_keys - {key}),
                tuple(w for w in names if w.name != words.name) if names else (),
                by_year[year])  # with the ordinal (totals.draws): the year table
            if old_inputs.get(slug) == made_from:
                facts[slug] = old_facts[slug]
            else:
                facts[slug] = _made(made_from, categories)
        last_in_category[key] = draw
        previous = draw
        methods.update(_methods(category))
        if category.selection not in held:
            held.add(category.selection)
            held_now = frozenset(held)
        if category.selection == "category":
            category_keys.add(key)
        if all(w.name != words.name for w in names):
            names.append(words)
    return facts, inputs


def _made(made_from: tuple, categories: dict[str, Category]) -> Facts:
    """A draw's facts, from its inputs (see `_facts`)."""
    (draw, category, words, before_same, previous, index, year_draws, year_invitations,
     ordinal_category, category_invitations, category_draws, lowest_since, lowest_ever,
     largest, method_before, held_before, other_category_before, earlier_words,
     year) = made_from
    same = _change(draw, before_same, categories)
    return Facts(
        draw=draw, category=category, previous_same=same,
        previous_any=_change(draw, previous, categories),
        ordinal_year=year_draws, ordinal_overall=index, ordinal_category=ordinal_category,
        year_invitations=year_invitations, year_draws=year_draws,
        year_category_invitations=category_invitations,
        year_category_draws=category_draws,
        lowest_since=lowest_since, lowest_ever=lowest_ever, largest_of_year=largest,
        first_in_days=same.days if same and same.days >= LONG_GAP_DAYS else None,
        pool=pool_rows(draw.pool), year_table=_year_table(year, year_draws),
        words=words, another=same is not None and same.words == words,
        method_before=method_before, held_before=held_before,
        other_category_before=other_category_before,
        earlier_words=earlier_words, pool_taken=_pool_taken(draw),
        corrections=corrections_said(draw),
    )


def _kept(draws: tuple[Draw, ...], earlier: tuple[Draw, ...] | None) -> tuple[Draw, ...]:
    """`earlier` if it holds the same draws (objects) as `draws`, else `draws`."""
    if earlier is not None and len(earlier) == len(draws) and all(
            a is b for a, b in zip(draws, earlier, strict=True)):
        return earlier
    return draws


def derive(content: Content, *, drafts: bool = False, future: bool = False,
           today: dt.date, before: SiteData | None = None) -> SiteData:
    """Order, compare and index the published draws.

    `before`: the site derived by an earlier build of the same process, if kept; the
    categories and facts it shares with this one are taken from it (equal values: the
    result is the same)."""
    categories = content.categories
    if before is not None and before.categories == categories:
        categories = before.categories  # the same objects: facts compare by identity
    else:
        before = None
    chronological = published(content.draws, drafts=drafts, future=future, today=today)
    newest_first = tuple(reversed(chronological))
    by_category: dict[str, list[Draw]] = defaultdict(list)
    by_year: dict[int, list[Draw]] = defaultdict(list)
    for draw in newest_first:
        by_category[draw.category].append(draw)
        by_year[draw.date.year].append(draw)
    years = {y: _kept(tuple(by_year[y]), before.by_year.get(y) if before else None)
             for y in sorted(by_year, reverse=True)}
    posts = index_posts(published_posts(content.posts, drafts=drafts, future=future,
                                        today=today), chronological)
    facts, inputs = _facts(chronological, categories, years, before)
    return SiteData(
        site=content.site, categories=categories, draws=newest_first,
        facts=facts, inputs=inputs,
        by_category={k: tuple(v) for k, v in by_category.items()},
        by_year=years,
        stats=compute_stats(chronological, categories),
        posts=posts, timeline=timeline(newest_first, posts.posts),
    )
