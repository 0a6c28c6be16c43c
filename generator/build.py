"""The pipeline: load -> validate -> derive -> render -> write."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .buildcache.disk import Session, rendered_pages, site_today, summary_line
from .buildcache.pages import PageMemo, TemplateCode
from .core.options import BuildConfig, site_now
from .core.outputs import OutputFile
from .core.problems import Problem
from .core.progress import Progress
from .derive.facts import SiteData, derive
from .output.folder import check_ownership, clear_leftovers
from .output.writer import WriteReport, check_output_folder, output_lock, write_site
from .parallel import rendering
from .present.catalogue import load_catalog
from .present.editions import Editions, prefix
from .present.feeds import feeds
from .present.opendata import OpenData
from .present.pages import THEME_DIR, Edition
from .present.rootpages import root_pages
from .present.sitemap import sitemap
from .present.urls import Urls
from .source import sitefiles
from .source.loader import load_or_raise, parsing


@dataclass(frozen=True)
class BuildResult:
    files: int
    articles: int
    index_pages: int
    feeds: int
    report: WriteReport
    warnings: list[Problem]
    seconds: float
    rendered: int | None = None  # pages rendered; the others were unchanged (build cache)

    @property
    def pages(self) -> int:
        return self.articles + self.index_pages

    def summary(self) -> str:
        rendered = self.pages if self.rendered is None else self.rendered
        return summary_line(self.pages, self.articles, self.index_pages, self.feeds,
                            self.seconds, rendered, self.report.written, self.report.unchanged)


def theme_asset(name: str) -> bytes:
    return (THEME_DIR / "assets" / name).read_bytes()


def render_site(data: SiteData, config: BuildConfig, progress: Progress | None = None,
                memo: PageMemo | None = None, code: TemplateCode | None = None
                ) -> list[OutputFile]:
    """Every file of the site, in a stable order; `progress` advances once per article.

    `memo` skips the pages whose inputs did not change; `code` keeps compiled templates.
    """
    dirs = config.template_dirs(THEME_DIR)
    site = data.site
    urls = Urls(site.base_url)
    links = Editions(site, {lang: load_catalog(dirs, lang).language_name
                            for lang in site.languages})
    files: list[OutputFile] = []
    editions = []
    processes = rendering.workers() if len(data.draws) * len(site.languages) >= \
        rendering.MIN_DRAWS else 1

    def advance(item: OutputFile) -> None:
        if progress is not None and item.kind == "article":
            progress.advance()

    # One set of open data files for every edition, linking the main language's pages;
    # made with the main edition's pages, so that another process may make them.
    main_urls = urls.edition(prefix(site, site.main_language))
    open_data = OpenData(data, main_urls)

    def data_files(edition: Edition) -> Iterator[OutputFile]:
        for path, write in ((urls.data_json(), open_data.json), (urls.data_csv(), open_data.csv)):
            if memo is None:
                yield OutputFile(path, write(), "data")
            else:  # made again only if the data changed
                yield memo.output(edition, OutputFile(path, b"", "data"), write, ())

    for lang in site.languages:
        edition = Edition(data, dirs, lang, urls.edition(prefix(site, lang)), config.head_extra,
                          links.alternates, config.roots(THEME_DIR))
        editions.append(edition)
        if memo is not None:
            memo.attach(edition, code)
        def pages(edition: Edition = edition,
                  main: bool = lang == site.main_language) -> Iterator[OutputFile]:
            if main:  # first: the process that makes them takes fewer pages after
                yield from data_files(edition)
            yield from edition.pages()

        files.extend(rendering.render_pages(pages, memo, processes, advance))
        files.extend(feeds(edition, site_now(config.now, site.tz), memo))
    if site.multilingual:
        files.extend(root_pages(editions, links))
    files.extend(sitemap(files, urls))
    style = next((d / "assets" / "style.css" for d in dirs
                  if os.path.lexists(d / "assets" / "style.css")), None)
    if style is not None:
        files.append(OutputFile(urls.stylesheet(), sitefiles.read_regular(style), "asset"))
    return files


def prepare(config: BuildConfig) -> tuple[SiteData, list[Problem]]:
    """Load, validate and derive; raises ContentError with every problem."""
    content, warnings = load_or_raise(config.content, config.templates)
    if config.base_url:
        from dataclasses import replace
        base = config.base_url if config.base_url.endswith("/") else config.base_url + "/"
        content = replace(content, site=replace(content.site, base_url=base))
    data = derive(content, drafts=config.drafts, future=config.future,
                  today=site_today(config.now, content.site.tz))
    return data, warnings


def build(config: BuildConfig, progress: Progress | None = None,
          cached: bool = True) -> BuildResult:
    """Build the site into `config.output`, atomically.

    `progress` (optional) is told the number of steps, one per article plus the
    write, and advanced as they are done; it is cleared whatever happens.
    With `cached`, the build cache in `.drawdesk/` (see `buildcache.disk`)
    lets the build skip what did not change; the output is byte for byte the same.
    """
    started = time.perf_counter()
    check_output_folder(config.output, [config.content, THEME_DIR] +
                        ([config.templates] if config.templates else []))
    with output_lock(config.output):
        clear_leftovers(config.output)
        session = Session.open(config, config.template_dirs(THEME_DIR)) if cached else None
        if session is not None:
            summary = session.unchanged(lambda tz: site_today(config.now, tz))
            if summary is not None:
                return BuildResult(
                    files=summary.files, articles=summary.articles,
                    index_pages=summary.index_pages, feeds=summary.feeds,
                    report=WriteReport(0, summary.files), warnings=list(summary.warnings),
                    seconds=time.perf_counter() - started, rendered=0)
        with parsing(session.parsing() if session is not None else None):
            data, warnings = prepare(config)
        check_ownership(config.output, config.force)  # content problems first
        if progress is not None:
            progress.start(len(data.draws) * len(data.site.languages) + 1)
        writer = session.writer() if session is not None else None
        try:
            memo = session.page_memo(writer) if writer is not None else None
            code = session.template_code() if session is not None else None
            files = render_site(data, config, progress, memo, code)
            report = write_site(files, config.output, config.static, writer,
                                config.roots(THEME_DIR))
            if progress is not None:
                progress.advance()
        except BaseException:
            if writer is not None:
                writer.abort()
            raise
        finally:
            if progress is not None:
                progress.finish()
        if session is not None:
            session.save(files=files, writer=writer, warnings=warnings,
                         timezone=data.site.timezone,
                         today=site_today(config.now, data.site.tz), published=len(data.draws))
    kinds = [f.kind for f in files]
    return BuildResult(
        files=len(files), articles=kinds.count("article"), index_pages=kinds.count("index"),
        feeds=kinds.count("feed"), report=report, warnings=warnings,
        seconds=time.perf_counter() - started,
        rendered=rendered_pages(files) if session is not None else None)


def site_root(content: Path) -> Path:
    return content.resolve().parent
