"""Every file of the built site, made through the build cache: each edition's pages and
feeds, the open data, the root of a multilingual site, the sitemap and the stylesheet."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from functools import partial

import jinja2

from ..core.caching import BuildCache, Recipe, Stager, Task
from ..core.options import BuildConfig
from ..core.outputs import OutputFile
from ..core.problems import TemplateProblem
from ..core.theme import THEME_DIR
from ..derive.facts import SiteData
from ..source import sitefiles
from .catalogue import load_catalog
from .editions import Editions, prefix
from .feeds import feeds
from .opendata import OpenData, posts_json
from .pages import Edition
from .rootpages import root_pages
from .sitemap import sitemap
from .templating import template_problem
from .urls import Urls


def render_site(data: SiteData, config: BuildConfig, cache: BuildCache, stage: Stager,
                processes: int = 1, each: Callable[[OutputFile], None] | None = None
                ) -> list[OutputFile]:
    """Every file of the site, in a stable order, made (or kept) by `cache` and staged by
    `stage`; pages are rendered by `processes` processes, and `each` is called with
    every page. A template that cannot be rendered raises TemplateProblem."""
    try:
        return _render_site(data, config, cache, stage, processes, each)
    except jinja2.TemplateError as exc:
        raise TemplateProblem(template_problem(exc)) from exc


def _render_site(data: SiteData, config: BuildConfig, cache: BuildCache, stage: Stager,
                 processes: int, each: Callable[[OutputFile], None] | None
                 ) -> list[OutputFile]:
    dirs = config.template_dirs(THEME_DIR)
    site = data.site
    urls = Urls(site.base_url)
    links = Editions(site, {lang: load_catalog(dirs, lang).language_name
                            for lang in site.languages})
    files: list[OutputFile] = []
    editions = []
    # One set of open data files for every edition, linking the main language's pages;
    # made with the main edition's pages, so that another process may make them.
    open_data = OpenData(data, urls.edition(prefix(site, site.main_language)))
    for lang in site.languages:
        edition = Edition(data, dirs, lang, urls.edition(prefix(site, lang)), config.head_extra,
                          links.alternates, config.roots(THEME_DIR), cache)
        editions.append(edition)
        main = lang == site.main_language
        files.extend(cache.render(partial(_pages, edition, open_data if main else None, urls),
                                  stage, processes, each))
        files.extend(cache.render(partial(feeds, edition), stage))
    if data.posts.posts:
        files.extend(cache.render(partial(_posts_data, data, urls), stage))
    if site.multilingual:
        files.extend(root_pages(editions, links))
    files.extend(sitemap(files, urls))
    style = next((d / "assets" / "style.css" for d in dirs
                  if os.path.lexists(d / "assets" / "style.css")), None)
    if style is not None:
        files.append(OutputFile(urls.stylesheet(), sitefiles.read_regular(style), "asset"))
    return files


def _posts_data(data: SiteData, urls: Urls) -> Iterator[Task]:
    """data/posts.json: every published post, in the main language with its translations."""
    site = data.site
    editions = {lang: urls.edition(prefix(site, lang)) for lang in site.languages}
    file = OutputFile(urls.data_posts(), b"", "data")
    inputs = (posts_json, data.posts.posts, editions, site.main_language)
    yield Task("data", partial(Recipe, file, site, inputs, partial(
        posts_json, data, editions, site.main_language)))


def _pages(edition: Edition, open_data: OpenData | None, urls: Urls) -> Iterator[Task]:
    """An edition's pages, after the open data files if it makes them (first: the process
    that makes them takes fewer pages after)."""
    if open_data is not None:
        for path, make, name in ((urls.data_json(), open_data.json, OpenData.json),
                                 (urls.data_csv(), open_data.csv, OpenData.csv)):
            file = OutputFile(path, b"", "data")
            yield Task("data", partial(Recipe, file, edition.scope,
                                       (name, open_data.data, open_data.urls), make))
    yield from edition.pages()
