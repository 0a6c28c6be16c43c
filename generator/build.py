"""The pipeline: load -> validate -> derive -> render -> write."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from generator.catalog import load_catalog
from generator.config import BuildConfig, site_now
from generator.derive import SiteData, derive
from generator.editions import Editions, prefix
from generator.feeds import feeds
from generator.loader import load_or_raise
from generator.opendata import draws_csv, draws_json
from generator.problems import Problem
from generator.progress import Progress
from generator.render import THEME_DIR, Edition, OutputFile
from generator.rootpage import root_pages
from generator.sitemap import sitemap
from generator.urls import Urls
from generator.write import WriteReport, check_output_folder, output_lock, write_site


@dataclass(frozen=True)
class BuildResult:
    files: int
    articles: int
    index_pages: int
    feeds: int
    report: WriteReport
    warnings: list[Problem]
    seconds: float

    @property
    def pages(self) -> int:
        return self.articles + self.index_pages

    def summary(self) -> str:
        return (f"Built {self.pages} pages ({self.articles} articles, {self.index_pages} index "
                f"pages, {self.feeds} feeds) in {self.seconds:.1f} s; "
                f"{self.report.written} files written, {self.report.unchanged} unchanged")


def theme_asset(name: str) -> bytes:
    return (THEME_DIR / "assets" / name).read_bytes()


def render_site(data: SiteData, config: BuildConfig,
                progress: Progress | None = None) -> list[OutputFile]:
    """Every file of the site, in a stable order; `progress` advances once per article."""
    dirs = config.template_dirs(THEME_DIR)
    site = data.site
    urls = Urls(site.base_url)
    links = Editions(site, {lang: load_catalog(dirs, lang).language_name
                            for lang in site.languages})
    files: list[OutputFile] = []
    editions = []
    for lang in site.languages:
        edition = Edition(data, dirs, lang, urls.edition(prefix(site, lang)), config.head_extra,
                          links.alternates)
        editions.append(edition)
        for item in edition.pages():
            files.append(item)
            if progress is not None and item.kind == "article":
                progress.advance()
        files.extend(feeds(edition, site_now(config.now, site.tz)))
    if site.multilingual:
        files.extend(root_pages(editions, links))
    # One set of open data files for every edition, linking the main language's pages.
    main_urls = urls.edition(prefix(site, site.main_language))
    files.append(OutputFile(urls.data_json(), draws_json(data, main_urls), "data"))
    files.append(OutputFile(urls.data_csv(), draws_csv(data, main_urls), "data"))
    files.extend(sitemap(files, urls))
    style = next((d / "assets" / "style.css" for d in dirs
                  if (d / "assets" / "style.css").is_file()), None)
    if style is not None:
        files.append(OutputFile(urls.stylesheet(), style.read_bytes(), "asset"))
    return files


def prepare(config: BuildConfig) -> tuple[SiteData, list[Problem]]:
    """Load, validate and derive; raises ContentError with every problem."""
    content, warnings = load_or_raise(config.content)
    if config.base_url:
        from dataclasses import replace
        base = config.base_url if config.base_url.endswith("/") else config.base_url + "/"
        content = replace(content, site=replace(content.site, base_url=base))
    today = site_now(config.now, content.site.tz).date()
    data = derive(content, drafts=config.drafts, future=config.future, today=today)
    return data, warnings


def build(config: BuildConfig, progress: Progress | None = None) -> BuildResult:
    """Build the site into `config.output`, atomically.

    `progress` (optional) is told the number of steps, one per article plus the
    write, and advanced as they are done; it is cleared whatever happens.
    """
    started = time.perf_counter()
    check_output_folder(config.output, [config.content, THEME_DIR] +
                        ([config.templates] if config.templates else []))
    data, warnings = prepare(config)
    if progress is not None:
        progress.start(len(data.draws) * len(data.site.languages) + 1)
    try:
        files = render_site(data, config, progress)
        with output_lock(config.output):
            report = write_site(files, config.output, config.static)
        if progress is not None:
            progress.advance()
    finally:
        if progress is not None:
            progress.finish()
    kinds = [f.kind for f in files]
    return BuildResult(
        files=len(files), articles=kinds.count("article"), index_pages=kinds.count("index"),
        feeds=kinds.count("feed"), report=report, warnings=warnings,
        seconds=time.perf_counter() - started)


def site_root(content: Path) -> Path:
    return content.resolve().parent
