"""Render every page of one language edition with Jinja2.

Stage 4 of the pipeline: `SiteData` in, `OutputFile`s out. Templates hold the
markup and the prose; this module only decides which template gets which data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup

from generator import jsonld, text
from generator.article import Entry, make_entry
from generator.catalog import Catalog, load_catalog
from generator.derive import SiteData, paginate
from generator.editions import Alternate
from generator.figures import Figures
from generator.opendata import COLUMNS
from generator.urls import Urls, output_path

THEME_DIR = Path(__file__).resolve().parent.parent / "templates"


@dataclass(frozen=True)
class OutputFile:
    """One file of the built site; `page` is its URL path ('' for the home page)."""

    path: str
    data: bytes
    kind: str  # article, index, feed, other
    page: str | None = None
    lastmod: str | None = None
    alternates: tuple[Alternate, ...] = ()  # the page in every language, for the sitemap


def template_problem(exc: jinja2.TemplateError) -> str:
    """A template error as 'path:line:column: template: message'."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"{exc.filename or exc.name}:{exc.lineno}:1: template: {exc.message}"
    where = "template"
    tb = exc.__traceback__
    while tb is not None:  # Jinja maps template frames to the template's file and line
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt")):
            where = f"{filename}:{tb.tb_lineno}:1"
        tb = tb.tb_next
    return f"{where}: template: {exc.message or exc}"


def make_environment(template_dirs: list[Path], lang: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs]),
        autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.filters.update(
        number=lambda v: text.number(v, lang), long_date=lambda v: text.long_date(v, lang),
        date_time=lambda v: text.date_time(v, lang), ordinal=lambda v: text.ordinal(v, lang),
        signed=lambda v: text.signed(v, lang), clock=lambda v: text.clock(v, lang),
    )
    return env


class Edition:
    """Renders the pages of one language edition."""

    def __init__(self, data: SiteData, template_dirs: list[Path], lang: str,
                 urls: Urls, head_extra: str = "",
                 alternates: Callable[[str, str], tuple[Alternate, ...]] | None = None):
        self.data = data
        self.lang = lang
        self.urls = urls
        self.alternates = alternates or (lambda lang, page: ())
        self.env = make_environment(template_dirs, lang)
        self.t: Catalog = load_catalog(template_dirs, lang)
        self.figures = Figures(self.t, lang, data.categories)
        site = data.site
        self.lang_tag = site.tag(lang)
        self.entries: dict[str, Entry] = {
            slug: make_entry(f, self.t, lang, site.disclaimer[lang])
            for slug, f in data.facts.items()}
        self._bodies: dict[str, Markup] = {}
        self.base_context = {
            "site": site, "lang": lang, "lang_tag": self.lang_tag, "urls": urls, "t": self.t,
            "site_title": site.title[lang], "categories": data.categories,
            "entries": self.entries, "head_extra": Markup(head_extra), "jsonld": [],
            "prev_page": None, "next_page": None, "alternates": (),
        }

    # -- helpers -----------------------------------------------------------------------
    def _page(self, template: str, path: str, kind: str, lastmod: str | None,
              **context: object) -> OutputFile:
        alternates = self.alternates(self.lang, path)
        html = self.env.get_template(template).render(
            {**self.base_context, "page_path": path, "alternates": alternates, **context})
        return OutputFile(output_path(path), html.encode("utf-8"), kind, path, lastmod,
                          alternates)

    def article_body(self, entry: Entry, urls: Urls, feed: bool = False) -> Markup:
        """The article's sections; also the full content of feed items (`feed`),
        which leave out the table of the year's draws."""
        if not feed:  # a page: rendered once, not worth keeping
            return self._render_body(entry, urls, feed)
        if entry.draw.slug not in self._bodies:  # feed items: shared by several feeds
            self._bodies[entry.draw.slug] = self._render_body(entry, urls, feed)
        return self._bodies[entry.draw.slug]

    def _render_body(self, entry: Entry, urls: Urls, feed: bool) -> Markup:
        template = self.env.get_template(f"article_body.{self.lang}.html")
        return Markup(template.render(
            **{**self.base_context, "urls": urls}, draw=entry.draw, f=entry.facts,
            cat=entry.category, sections=entry.sections, faq=entry.faq,
            disclaimer=entry.disclaimer, in_feed=feed))

    def _lastmod(self, draws) -> str | None:
        return draws[0].date.isoformat() if draws else None

    # -- pages -------------------------------------------------------------------------
    def articles(self) -> Iterator[OutputFile]:
        for draw in self.data.draws:
            entry = self.entries[draw.slug]
            page = self.urls.article(draw.slug)
            yield self._page(
                "article.html", page, "article", draw.date.isoformat(),
                entry=entry, draw=draw, cat=entry.category, f=entry.facts,
                body=self.article_body(entry, self.urls), og_type="article",
                page_title=f"{entry.title} | {self.data.site.title[self.lang]}",
                page_description=entry.summary,
                jsonld=jsonld.article(entry, self.data.site, self.urls, self.lang_tag,
                                      self.t.nav_home))

    def home(self) -> Iterator[OutputFile]:
        site, t = self.data.site, self.t
        for page in paginate(self.data.draws, site.items_per_page):
            url_for = self.urls.home
            title = site.title[self.lang] if page.number == 1 else self._title(
                t.home_heading_page.format(number=page.number))
            yield self._page(
                "index.html", url_for(page.number), "index", self._lastmod(self.data.draws),
                page=page, page_url=url_for, page_title=title,
                recent=self.data.stats.recent if self.data.stats else None,
                recent_chart=self.figures.recent(self.data.stats.recent)
                if page.number == 1 and self.data.stats else None,
                page_description=site.description[self.lang],
                prev_page=url_for(page.number - 1) if page.number > 1 else None,
                next_page=url_for(page.number + 1) if page.number < page.count else None)

    def _title(self, heading: str) -> str:
        return f"{heading} | {self.data.site.title[self.lang]}"

    def category_pages(self) -> Iterator[OutputFile]:
        for key, cat in self.data.categories.items():
            draws = self.data.by_category.get(key)
            if not draws:
                continue
            def url_for(n, key=key):
                return (self.urls.category(key, n))
            figures = self.figures.category(cat, draws)
            for page in paginate(draws, self.data.site.items_per_page):
                suffix = "" if page.number == 1 else " " + self.t.page_of.format(
                    number=page.number, count=page.count)
                yield self._page(
                    "category.html", url_for(page.number), "index", self._lastmod(draws),
                    cat=cat, all_draws=draws, page=page, page_url=url_for, figures=figures,
                    prev_page=url_for(page.number - 1) if page.number > 1 else None,
                    next_page=url_for(page.number + 1) if page.number < page.count else None,
                    page_title=self._title(cat.name[self.lang] + suffix),
                    page_description=cat.description[self.lang],
                    jsonld=[jsonld.breadcrumbs(self.urls, [
                        (self.t.nav_home, self.urls.home()),
                        (self.t.nav_categories, self.urls.categories()),
                        (cat.name[self.lang], self.urls.category(key))])])

    def listings(self) -> Iterator[OutputFile]:
        data, t = self.data, self.t
        rows = [(cat, len(data.by_category[key])) for key, cat in data.categories.items()
                if key in data.by_category]
        newest = self._lastmod(data.draws)
        yield self._page("categories.html", self.urls.categories(), "index", newest, rows=rows,
                         page_title=self._title(t.categories_heading),
                         page_description=t.categories_intro)
        years = [(year, len(draws)) for year, draws in data.by_year.items()]
        yield self._page("archive.html", self.urls.archive(), "index", newest, rows=years,
                         page_title=self._title(t.archive_heading),
                         page_description=t.archive_intro)
        for year, draws in data.by_year.items():
            yield self._page("year.html", self.urls.year(year), "index", self._lastmod(draws),
                             year=year, draws=draws,
                             page_title=self._title(t.year_heading.format(year=year)),
                             page_description=t.year_caption.format(year=year))

    def stats_page(self) -> OutputFile:
        stats, t = self.data.stats, self.t
        years = stats.years if stats else ()
        totals = stats.categories if stats else ()
        return self._page(
            "stats.html", self.urls.stats(), "index", self._lastmod(self.data.draws),
            years=years, totals=totals, years_chart=self.figures.years(years),
            categories_chart=self.figures.categories_total(totals),
            page_title=self._title(t.stats_heading), page_description=t.stats_intro)

    def data_page(self) -> OutputFile:
        t = self.t
        return self._page(
            "data.html", self.urls.data_page(), "index", self._lastmod(self.data.draws),
            columns=COLUMNS, count=len(self.data.draws),
            page_title=self._title(t.data_heading), page_description=t.data_intro)

    def not_found(self) -> OutputFile:
        out = self._page("404.html", self.urls.prefix + "404.html", "other", None,
                         page_title=self._title(self.t.not_found_heading),
                         page_description=self.t.not_found_text)
        return OutputFile(out.path, out.data, "other", None, None)

    def pages(self) -> Iterator[OutputFile]:
        yield from self.articles()
        yield from self.home()
        yield from self.category_pages()
        yield from self.listings()
        yield self.stats_page()
        yield self.data_page()
        yield self.not_found()
