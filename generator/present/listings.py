"""The edition's list pages: categories and each category, the archive and each year,
statistics, open data, corrections and the page for a missing address."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING

from ..core.caching import Recipe, Task
from ..core.models import Draw, Post
from ..derive.facts import Page, paginate
from . import formatting
from .opendata import COLUMNS

if TYPE_CHECKING:
    from .pages import Edition


def category_pages(ed: Edition) -> Iterator[Task]:
    for key in ed.data.categories:
        items = ed.data.category_items(key)
        if not items:
            continue
        draws = ed.data.by_category.get(key, ())
        for page in paginate(items, ed.data.site.items_per_page):
            yield Task("index", partial(_category_page, ed, key, draws, items, page))


def _category_page(ed: Edition, key: str, draws: tuple[Draw, ...],
                   items: tuple[Draw | Post, ...], page: Page) -> Recipe:
    cat = ed.data.categories[key]
    url_for = partial(ed.urls.category, key)  # page_url(n) in the template
    suffix = "" if page.number == 1 else " " + ed.t.page_of.format(
        number=page.number, count=page.count)
    first = page.number == 1  # only the first page shows the whole category
    return ed.recipe(
        "category.html", url_for(page.number), "index", ed.lastmod(items),
        cat=cat, all_draws=draws if first else (), page=page, page_url=url_for,
        prev_page=url_for(page.number - 1) if page.number > 1 else None,
        next_page=url_for(page.number + 1) if page.number < page.count else None,
        page_title=ed.heading_title(cat.name[ed.lang] + suffix),
        page_description=ed.paged(cat.description[ed.lang], page),
        later={"figures": (cat, draws)} if first and draws else None,
        **({} if first and draws else {"figures": None}),
        **ed.trail((ed.t.nav_categories, ed.urls.categories()),
                   (cat.name[ed.lang], url_for(1)),
                   *ed.page_crumb(page, url_for)))


def _listings(ed: Edition) -> Iterator[Task]:
    data, t = ed.data, ed.t
    newest = ed.lastmod(data.timeline)

    def categories() -> Recipe:
        rows = [(cat, len(data.by_category.get(key, ())),
                 len(data.posts.by_category.get(key, ())))
                for key, cat in data.categories.items()
                if key in data.by_category or key in data.posts.by_category]
        return ed.recipe("categories.html", ed.urls.categories(), "index", newest,
                         rows=rows, page_title=ed.heading_title(t.categories_heading),
                         page_description=t.categories_intro,
                         **ed.trail((t.nav_categories, ed.urls.categories())))

    def archive() -> Recipe:
        years = [(year, len(data.by_year.get(year, ())),
                  len(data.posts.by_year.get(year, ()))) for year in data.year_keys()]
        return ed.recipe("archive.html", ed.urls.archive(), "index", newest,
                         rows=years, page_title=ed.heading_title(t.archive_heading),
                         page_description=t.archive_intro,
                         **ed.trail((t.nav_archive, ed.urls.archive())))

    def year_page(year: int, draws: tuple[Draw, ...], posts: tuple[Post, ...]) -> Recipe:
        return ed.recipe("year.html", ed.urls.year(year), "index",
                         max(item.date for item in (*posts, *draws)).isoformat(),
                         year=year, draws=draws, posts=posts,
                         page_title=ed.heading_title(t.year_heading.format(year=year)),
                         page_description=t.year_caption.format(year=year),
                         **ed.trail((t.nav_archive, ed.urls.archive()),
                                    (str(year), ed.urls.year(year))))

    yield Task("index", categories)
    yield Task("index", archive)
    for year in data.year_keys():
        yield Task("index", partial(year_page, year, data.by_year.get(year, ()),
                                    data.posts.by_year.get(year, ())))


def _stats_page(ed: Edition) -> Recipe:
    stats, t = ed.data.stats, ed.t
    years = stats.years if stats else ()
    totals = stats.categories if stats else ()
    return ed.recipe(
        "stats.html", ed.urls.stats(), "index", ed.lastmod(ed.data.draws),
        years=years, totals=totals, years_chart=ed.figures.years(years),
        categories_chart=ed.figures.categories_total(totals),
        page_title=ed.heading_title(t.stats_heading), page_description=t.stats_intro,
        **ed.trail((t.nav_stats, ed.urls.stats())))


def _data_page(ed: Edition) -> Recipe:
    t = ed.t
    return ed.recipe(
        "data.html", ed.urls.data_page(), "index", ed.lastmod(ed.data.draws),
        columns=COLUMNS, count=len(ed.data.draws),
        page_title=ed.heading_title(t.data_heading), page_description=t.data_intro,
        **ed.trail((t.data_heading, ed.urls.data_page())))


def _corrections_page(ed: Edition) -> Recipe:
    t, corrected = ed.t, ed.corrected()
    items = tuple((told, *ed.page_and_title(item)) for told, item in corrected)
    lastmod = formatting.w3c_moment(corrected[0][0].at) if corrected else None
    return ed.recipe(
        "corrections.html", ed.urls.corrections(), "index", lastmod, items=items,
        page_title=ed.heading_title(t.corrections_heading), page_description=t.corrections_intro,
        **ed.trail((t.corrections_heading, ed.urls.corrections())))


def _not_found(ed: Edition) -> Recipe:
    return ed.recipe("404.html", ed.urls.prefix + "404.html", "other", None,
                     listed=False, page_title=ed.heading_title(ed.t.not_found_heading),
                     page_description=ed.t.not_found_text, noindex=True)


def list_pages(ed: Edition) -> Iterator[Task]:
    """The list pages beyond the home and the categories, in a stable order."""
    yield from _listings(ed)
    yield Task("index", partial(_stats_page, ed))
    yield Task("index", partial(_data_page, ed))
    yield Task("index", partial(_corrections_page, ed))
    yield Task("other", partial(_not_found, ed))
