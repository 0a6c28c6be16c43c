"""Render every page of one language edition with Jinja2.

Stage 4 of the pipeline: `SiteData` in, `OutputFile`s out. Templates hold the
markup and the prose; this module only decides which template gets which data.
"""

from __future__ import annotations

import os
import posixpath
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..buildcache import watched
from ..buildcache.digests import derived
from ..core.models import Draw
from ..core.outputs import Alternate, OutputFile
from ..derive.facts import Page, SiteData, paginate
from ..source import sitefiles
from . import formatting, jsonld
from .catalogue import Catalog, load_catalog
from .chartdata import Figures
from .entry import Entry, make_entry
from .opendata import COLUMNS
from .urls import SiteLinks, Urls, output_path

THEME_DIR = Path(__file__).resolve().parent.parent.parent / "templates"


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


Trail = list[tuple[str, str]]  # breadcrumbs: (name, page path), the current page last


class SiteLoader(jinja2.FileSystemLoader):
    """Jinja's file system loader, reading as every input is read (`source.sitefiles`):
    regular files only, links followed only into `roots`."""

    def __init__(self, searchpath: list[str], roots: tuple[str, ...]):
        super().__init__(searchpath)
        self.roots = roots

    def get_source(self, environment: jinja2.Environment,
                   template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = jinja2.loaders.split_template_path(template)
        for searchpath in self.searchpath:
            filename = posixpath.join(searchpath, *pieces)
            exists, refusal = sitefiles.check_file(Path(filename), self.roots)
            if not exists:
                continue
            if refusal is not None:
                raise jinja2.TemplateError(f"{filename}: {refusal}")
            contents = sitefiles.read_text(filename)
            return contents, os.path.normpath(filename), lambda: True  # never reloaded
        raise jinja2.TemplateNotFound(template)

    def list_templates(self) -> list[str]:
        return sorted({found.rel for searchpath in self.searchpath
                       for found in sitefiles.walk(Path(searchpath), self.roots).files})


def make_environment(template_dirs: list[Path], lang: str,
                     roots: tuple[str, ...] | None = None) -> jinja2.Environment:
    """Templates from `template_dirs`, first match wins, file by file; links in them
    are followed only into `roots` (default: the template folders themselves).

    The built-in theme is also reachable as "theme/NAME", so a site's own
    template can extend the theme's version of the very file it overrides.
    """
    roots = roots if roots is not None else sitefiles.real_roots(template_dirs)
    loader = jinja2.ChoiceLoader([
        SiteLoader([str(d) for d in template_dirs], roots),
        jinja2.PrefixLoader({"theme": SiteLoader([str(THEME_DIR)],
                                                 sitefiles.real_roots([THEME_DIR]))}),
    ])
    env = jinja2.Environment(
        loader=loader,
        autoescape=True, undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        auto_reload=False,  # templates do not change during a build: no stat per page
    )
    env.filters.update(
        number=lambda v: formatting.number(v, lang),
        long_date=lambda v: formatting.long_date(v, lang),
        date_time=lambda v: formatting.date_time(v, lang),
        ordinal=lambda v: formatting.ordinal(v, lang),
        signed=lambda v: formatting.signed(v, lang), clock=lambda v: formatting.clock(v, lang),
        date_hm=lambda v: formatting.date_time(v, lang, seconds=False), de=formatting.french_de,
    )
    return env


class Edition:
    """Renders the pages of one language edition."""

    # Set by the build (a `buildcache.pages.PageMemo`) to skip pages whose inputs
    # did not change; None renders every page.
    memo: Any = None
    # What renders fill in as they go: not settings, so not part of the fingerprint.
    _CACHES = ("_bodies", "_rows", "_row_reads")

    def __init__(self, data: SiteData, template_dirs: list[Path], lang: str,
                 urls: Urls, head_extra: str = "",
                 alternates: Callable[[str, str], tuple[Alternate, ...]] | None = None,
                 roots: tuple[str, ...] | None = None):
        self._data = data
        self.lang = lang
        self.urls = urls
        self.alternates = alternates or (lambda lang, page: ())
        self.env = make_environment(template_dirs, lang, roots)
        self.t: Catalog = load_catalog(template_dirs, lang)
        self.figures = Figures(self.t, lang, data.categories)
        site = data.site
        self.lang_tag = site.tag(lang)
        # Site-wide mappings: a page's cache key covers only the items it reads.
        self.entries: dict[str, Entry] = watched.Tracked(f"{lang}:entries", {
            slug: derived(make_entry, f, self.t, lang, site.disclaimer[lang])
            for slug, f in data.facts.items()})
        # Listings show only each draw's headline: reading it from here, not from the
        # entry, keeps their keys off the entry's facts (year-to-date totals...).
        self.titles: dict[str, str] = watched.Tracked(
            f"{lang}:titles", {slug: entry.title for slug, entry in self.entries.items()})
        self._bodies: dict[str, Markup] = {}
        self._rows: dict[Urls, dict[str, tuple[str, frozenset]]] = {}
        self._row_reads: dict[frozenset, frozenset] = {}
        self.base_context = {
            "site": site, "lang": lang, "lang_tag": self.lang_tag, "urls": urls, "t": self.t,
            "links": SiteLinks.of(urls),
            "site_title": site.title[lang],
            "categories": watched.Tracked(f"{lang}:categories", data.categories),
            "entries": self.entries, "titles": self.titles,
            "head_extra": Markup(head_extra), "jsonld": [],
            "prev_page": None, "next_page": None, "alternates": (), "breadcrumbs": [],
            "noindex": False, "og_locale": self.lang_tag.replace("-", "_"),
        }

    @property
    def data(self) -> SiteData:
        """The whole site; a page that reads it while rendering depends on all of it."""
        if watched.recording():
            watched.record(f"{self.lang}:data", watched.ALL)
        return self._data

    def tracked(self) -> dict[str, object]:
        """What renders read item by item (see `buildcache.watched`), by name."""
        found: dict[str, object] = {f"{self.lang}:data": self._data}
        for value in (*self.base_context.values(), *vars(self).values()):
            if isinstance(value, watched.Tracked):
                found[value.name] = value
        return found

    def __fingerprint__(self, fp: Any) -> str:
        """The edition's settings: everything but the site's data, read item by item."""
        return fp.fresh({k: v for k, v in vars(self).items()
                         if k not in ("_data", "env", "memo", *self._CACHES)})

    # -- helpers -----------------------------------------------------------------------
    def _page(self, template: str, path: str, kind: str, lastmod: str | None,
              listed: bool = True, **context: object) -> OutputFile:
        """A page; `listed` pages have a URL (sitemap), others (404.html) do not."""
        alternates = self.alternates(self.lang, path)
        context = {"alternates": alternates, **context}
        shell = OutputFile(output_path(path), b"", kind, path if listed else None, lastmod,
                           alternates if listed else ())
        if self.memo is not None:
            return self.memo.page(self, template, path, context, shell)
        return replace(shell, data=self.render(template, path, context))

    def render(self, template: str, path: str, context: dict[str, object]) -> bytes:
        """Render one page (`Deferred` context values are computed first)."""
        full = watched.resolve({**self.base_context, "page_path": path, **context})
        return self.env.get_template(template).render(full).encode("utf-8")

    def remember(self, fn: Any, *args: Any) -> Any:
        """`fn(*args)`, kept by the build cache across builds if the build has one."""
        if self.memo is not None:
            return self.memo.fragment(self, fn, args)
        return fn(*args)

    def article_body(self, entry: Entry, urls: Urls, feed: bool = False) -> Markup:
        """The article's sections; also the full content of feed items (`feed`),
        which leave out the table of the year's draws."""
        if not feed:  # a page: rendered once, not worth keeping
            return self._render_body(entry, urls, feed)
        if entry.draw.slug not in self._bodies:  # feed items: shared by several feeds
            self._bodies[entry.draw.slug] = self.remember(self._render_body, entry, urls, feed)
        return self._bodies[entry.draw.slug]

    def _render_body(self, entry: Entry, urls: Urls, feed: bool) -> Markup:
        template = self.env.get_template(f"article_body.{self.lang}.html")
        return Markup(template.render(
            **{**self.base_context, "urls": urls}, draw=entry.draw, f=entry.facts,
            cat=entry.category, sections=entry.sections, faq=entry.faq,
            disclaimer=entry.disclaimer, in_feed=feed,
            linked_rows=lambda draws: self.linked_rows(draws, urls)))

    def linked_rows(self, draws: Sequence[Draw], urls: Urls) -> Markup:
        """Table rows linking to `draws`, from `year_row.LANG.html`.

        A draw's row is the same on every article whose year table lists it, so
        it is rendered once per build and reused; each use records the reads its
        render made (the category's label), as if the page had made them itself.
        """
        template = self.env.get_template(f"year_row.{self.lang}.html")
        made = self._rows.setdefault(urls, {})
        parts: list[str] = []
        reads: set[frozenset] = set()  # rows mostly read the same few items: few sets
        for draw in draws:
            done = made.get(draw.slug)
            if done is None:
                with watched.Recorder() as recorder:
                    row = template.render(**{**self.base_context, "urls": urls}, d=draw)
                found = frozenset(recorder.reads)  # rows share a few sets: keep one of each
                found = self._row_reads.setdefault(found, found)
                done = made[draw.slug] = (row, found)
            parts.append(done[0])
            reads.add(done[1])
        for name, key in set().union(*reads):
            watched.record(name, key)
        return Markup("".join(parts))

    def _lastmod(self, draws) -> str | None:
        return draws[0].date.isoformat() if draws else None

    def _crumbs(self, *crumbs: tuple[str, str]) -> Trail:
        """Breadcrumbs from the home page to this page (the last crumb)."""
        return [(self.t.nav_home, self.urls.home()), *crumbs]

    def _trail(self, *crumbs: tuple[str, str]) -> dict[str, object]:
        """Page context for breadcrumbs shown on the page and given as JSON-LD."""
        trail = self._crumbs(*crumbs)
        return {"breadcrumbs": trail, "jsonld": [jsonld.breadcrumbs(self.urls, trail)]}

    def _page_crumb(self, page: Page, url_for) -> list[tuple[str, str]]:
        """A last breadcrumb for page 2 and later of a list."""
        if page.number == 1:
            return []
        return [(self.t.page_of.format(number=page.number, count=page.count),
                 url_for(page.number))]

    def _paged(self, text: str, page: Page) -> str:
        """`text`, with "Page 2 of 5." after it on every page but the first."""
        if page.number == 1:
            return text
        return f"{text} {self.t.page_of.format(number=page.number, count=page.count)}."

    # -- pages -------------------------------------------------------------------------
    def _article_titles(self) -> dict[str, str]:
        """Each article's <title>; two draws with the same headline get their dates added."""
        counts = Counter(entry.title for entry in self.entries.values())
        date = formatting.long_date
        return {slug: self._title(entry.title if counts[entry.title] == 1 else
                                  f"{entry.title} ({date(entry.draw.date, self.lang)})")
                for slug, entry in self.entries.items()}

    def articles(self) -> Iterator[OutputFile]:
        titles = self._article_titles()
        for draw in self.data.draws:
            skip = self.memo.elsewhere("article") if self.memo is not None else None
            if skip is not None:  # another process renders it
                yield skip
                continue
            entry = self.entries[draw.slug]
            page = self.urls.article(draw.slug)
            cat = entry.category
            trail = self._crumbs((self.t.nav_categories, self.urls.categories()),
                                 (cat.name[self.lang], self.urls.category(cat.key)),
                                 (formatting.long_date(draw.date, self.lang), page))
            yield self._page(
                "article.html", page, "article", draw.date.isoformat(),
                entry=entry, draw=draw, cat=cat, f=entry.facts,
                body=watched.Deferred(self.article_body, entry, self.urls), og_type="article",
                published=draw.published.isoformat(),
                page_title=titles[draw.slug],
                page_description=entry.summary, breadcrumbs=trail,
                jsonld=watched.Deferred(jsonld.article, entry, self.data.site, self.urls,
                                         self.lang_tag, trail))

    def home(self) -> Iterator[OutputFile]:
        site, t = self.data.site, self.t
        for page in paginate(self.data.draws, site.items_per_page):
            url_for = self.urls.home
            title = site.title[self.lang] if page.number == 1 else self._title(
                t.home_heading_page.format(number=page.number))
            yield self._page(
                "index.html", url_for(page.number), "index", self._lastmod(self.data.draws),
                page=page, page_url=url_for, page_title=title,
                recent=self.data.stats.recent if page.number == 1 and self.data.stats else None,
                recent_chart=self.figures.recent(self.data.stats.recent)
                if page.number == 1 and self.data.stats else None,
                page_description=self._paged(site.description[self.lang], page),
                jsonld=[jsonld.website(site, self.urls, self.lang, self.lang_tag)]
                if page.number == 1 else [],
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
            figures = watched.Deferred(self.figures.category, cat, draws)  # if rendered
            for page in paginate(draws, self.data.site.items_per_page):
                suffix = "" if page.number == 1 else " " + self.t.page_of.format(
                    number=page.number, count=page.count)
                first = page.number == 1  # only the first page shows the whole category
                yield self._page(
                    "category.html", url_for(page.number), "index", self._lastmod(draws),
                    cat=cat, all_draws=draws if first else (), page=page, page_url=url_for,
                    figures=figures if first else None,
                    prev_page=url_for(page.number - 1) if page.number > 1 else None,
                    next_page=url_for(page.number + 1) if page.number < page.count else None,
                    page_title=self._title(cat.name[self.lang] + suffix),
                    page_description=self._paged(cat.description[self.lang], page),
                    **self._trail((self.t.nav_categories, self.urls.categories()),
                                  (cat.name[self.lang], url_for(1)),
                                  *self._page_crumb(page, url_for)))

    def listings(self) -> Iterator[OutputFile]:
        data, t = self.data, self.t
        rows = [(cat, len(data.by_category[key])) for key, cat in data.categories.items()
                if key in data.by_category]
        newest = self._lastmod(data.draws)
        yield self._page("categories.html", self.urls.categories(), "index", newest, rows=rows,
                         page_title=self._title(t.categories_heading),
                         page_description=t.categories_intro,
                         **self._trail((t.nav_categories, self.urls.categories())))
        years = [(year, len(draws)) for year, draws in data.by_year.items()]
        yield self._page("archive.html", self.urls.archive(), "index", newest, rows=years,
                         page_title=self._title(t.archive_heading),
                         page_description=t.archive_intro,
                         **self._trail((t.nav_archive, self.urls.archive())))
        for year, draws in data.by_year.items():
            yield self._page("year.html", self.urls.year(year), "index", self._lastmod(draws),
                             year=year, draws=draws,
                             page_title=self._title(t.year_heading.format(year=year)),
                             page_description=t.year_caption.format(year=year),
                             **self._trail((t.nav_archive, self.urls.archive()),
                                           (str(year), self.urls.year(year))))

    def stats_page(self) -> OutputFile:
        stats, t = self.data.stats, self.t
        years = stats.years if stats else ()
        totals = stats.categories if stats else ()
        return self._page(
            "stats.html", self.urls.stats(), "index", self._lastmod(self.data.draws),
            years=years, totals=totals, years_chart=self.figures.years(years),
            categories_chart=self.figures.categories_total(totals),
            page_title=self._title(t.stats_heading), page_description=t.stats_intro,
            **self._trail((t.nav_stats, self.urls.stats())))

    def data_page(self) -> OutputFile:
        t = self.t
        return self._page(
            "data.html", self.urls.data_page(), "index", self._lastmod(self.data.draws),
            columns=COLUMNS, count=len(self.data.draws),
            page_title=self._title(t.data_heading), page_description=t.data_intro,
            **self._trail((t.data_heading, self.urls.data_page())))

    def not_found(self) -> OutputFile:
        return self._page("404.html", self.urls.prefix + "404.html", "other", None,
                          listed=False, page_title=self._title(self.t.not_found_heading),
                          page_description=self.t.not_found_text, noindex=True)

    def pages(self) -> Iterator[OutputFile]:
        yield from self.articles()
        yield from self.home()
        yield from self.category_pages()
        yield from self.listings()
        yield self.stats_page()
        yield self.data_page()
        yield self.not_found()
