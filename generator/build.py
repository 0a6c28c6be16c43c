"""The pipeline: unchanged? -> load -> derive -> render -> write -> save.

`build()` composes the stages (`source`, `derive`, `present`, `output`) and
hands them the build cache it receives (`core.caching.BuildCache`): the only
way the stages meet the cache. A build with nothing to do answers before the
stages' modules (Jinja2, PyYAML, feedgen) are even loaded.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .core.caching import NO_CACHE, BuildCache, Summary
from .core.options import BuildConfig, site_now
from .core.outputs import OutputFile
from .core.problems import Problem
from .core.progress import Progress
from .core.theme import THEME_DIR
from .output.folder import check_output_folder, check_ownership, clear_leftovers, output_lock

if TYPE_CHECKING:
    from .derive.facts import SiteData
    from .output.writer import Writer, WriteReport


class LoadInterrupted(KeyboardInterrupt):
    """Ctrl-C while the stages' modules loaded: nothing was read or written yet."""


@dataclass(frozen=True)
class BuildResult:
    """What a build did, and how long it took."""

    files: int
    articles: int
    index_pages: int
    feeds: int
    rendered: int  # pages rendered; the others were unchanged (build cache)
    written: int
    kept: int
    warnings: list[Problem]
    seconds: float
    notes: tuple[str, ...] = ()

    @classmethod
    def of(cls, summary: Summary, started: float) -> BuildResult:
        return cls(summary.files, summary.articles, summary.index_pages, summary.feeds,
                   summary.rendered, summary.written, summary.kept, list(summary.warnings),
                   time.perf_counter() - started, summary.notes)

    @property
    def pages(self) -> int:
        return self.articles + self.index_pages

    def summary(self) -> str:
        """The closing line of a build."""
        return (f"Built {self.pages} pages ({self.articles} articles, {self.index_pages} "
                f"index pages, {self.feeds} feeds) in {self.seconds:.1f} s: {self.rendered} "
                f"rendered, {self.pages - self.rendered} unchanged; {self.written} files "
                f"written, {self.kept} left as they were"
                + "".join(f"; {note}" for note in self.notes))


def build(config: BuildConfig, progress: Progress | None = None, *,
          cache: BuildCache | None = None) -> BuildResult:
    """Build the site into `config.output`, atomically.

    `cache` (default: the build cache in `.drawdesk/` beside the content; `NoCache()`
    for none) lets the build skip what did not change; the output is byte for byte
    the same. `progress` is told the number of steps, one per article plus the
    write, and advanced as they are done; it is cleared whatever happens.
    """
    started = time.perf_counter()
    cache = cache if cache is not None else open_cache(config)
    with _output_folder(config):
        done = cache.unchanged()
        if done is not None:
            return BuildResult.of(done, started)
        _load_stages()
        data, warnings = prepare(config, cache)
        check_ownership(config.output, config.force)  # content problems first
        writer = _writer(config, cache)
        with _progress(progress, len(data.draws) * len(data.site.languages) + 1), \
                _aborted_on_failure(writer):
            files = _render(data, config, cache, writer, progress)
            report = _write(files, config, writer)
            if progress is not None:
                progress.advance()
        summary = _summary(files, report, warnings, robots_note(data.site.base_url))
        cache.save(summary, writer.manifest, timezone=data.site.timezone,
                   today=site_today(config.now, data.site.tz), published=len(data.draws))
    return BuildResult.of(summary, started)


def prepare(config: BuildConfig, cache: BuildCache = NO_CACHE
            ) -> tuple[SiteData, list[Problem]]:
    """Load, validate and derive; raises ContentError with every problem."""
    from .derive.facts import SiteData, derive
    from .source.loader import load_or_raise
    content, warnings = load_or_raise(config.content, config.templates, cache)
    if config.base_url:
        base = config.base_url if config.base_url.endswith("/") else config.base_url + "/"
        content = replace(content, site=replace(content.site, base_url=base))
    today = site_today(config.now, content.site.tz)
    data = cache.incremental("derive", lambda before: derive(
        content, drafts=config.drafts, future=config.future, today=today,
        before=before if isinstance(before, SiteData) else None))
    return data, warnings


def open_cache(config: BuildConfig) -> BuildCache:
    """The build cache in `.drawdesk/` beside the content folder."""
    try:
        from .buildcache.disk import DiskCache
    except KeyboardInterrupt:
        raise LoadInterrupted from None
    return DiskCache(config)


def site_today(now: dt.datetime, tz: dt.tzinfo) -> dt.date:
    """The build's day in the site's time zone: it decides which entries are published."""
    return site_now(now, tz).date()


# -- the steps ---------------------------------------------------------------------------
def _load_stages() -> None:
    """Load the stages' modules (Jinja2, PyYAML, feedgen...), which only a build with
    something to do needs; Ctrl-C meanwhile ends the build quietly."""
    try:
        from .output import writer  # noqa: F401
        from .parallel import rendering  # noqa: F401
        from .present import site  # noqa: F401
        from .source import loader  # noqa: F401
    except KeyboardInterrupt:
        raise LoadInterrupted from None


@contextlib.contextmanager
def _output_folder(config: BuildConfig) -> Iterator[None]:
    """The output folder checked (never a system folder, the sources...), locked against
    another build, and cleared of what a killed build left beside it."""
    check_output_folder(config.output, [config.content, THEME_DIR] +
                        ([config.templates] if config.templates else []))
    with output_lock(config.output):
        clear_leftovers(config.output)
        yield


def _writer(config: BuildConfig, cache: BuildCache) -> Writer:
    from .output.writer import Writer
    return Writer(config.output, cache.last_output())


@contextlib.contextmanager
def _progress(progress: Progress | None, steps: int) -> Iterator[None]:
    if progress is None:
        yield
        return
    progress.start(steps)
    try:
        yield
    finally:
        progress.finish()


@contextlib.contextmanager
def _aborted_on_failure(writer: Writer) -> Iterator[None]:
    try:
        yield
    except BaseException:
        writer.abort()
        raise


def _render(data: SiteData, config: BuildConfig, cache: BuildCache, writer: Writer,
            progress: Progress | None) -> list[OutputFile]:
    from .parallel.rendering import processes_for
    from .present.site import render_site

    def advance(item: OutputFile) -> None:
        if progress is not None and item.kind == "article":
            progress.advance()

    processes = processes_for(len(data.draws) * len(data.site.languages))
    return render_site(data, config, cache, writer, processes, advance)


def _write(files: list[OutputFile], config: BuildConfig, writer: Writer) -> WriteReport:
    from .output.writer import write_site
    return write_site(files, config.static, writer, config.roots(THEME_DIR))


def robots_note(base_url: str) -> tuple[str, ...]:
    """Crawlers read robots.txt only at a host's root: a site published under a path says
    where its robots.txt must be copied."""
    parts = urlsplit(base_url)
    if parts.path in ("", "/"):
        return ()
    root = f"{parts.scheme}://{parts.netloc}/robots.txt"
    return (f"copy robots.txt to {root} (crawlers read it only at the host's root)",)


def _summary(files: list[OutputFile], report: WriteReport, warnings: list[Problem],
             notes: tuple[str, ...] = ()) -> Summary:
    kinds = [f.kind for f in files]
    rendered = sum(1 for f in files if f.kind in ("article", "index")
                   and getattr(f, "rendered", True))
    return Summary(files=len(files), articles=kinds.count("article"),
                   index_pages=kinds.count("index"), feeds=kinds.count("feed"),
                   rendered=rendered, written=report.written, kept=report.unchanged,
                   warnings=tuple(warnings), notes=notes)
