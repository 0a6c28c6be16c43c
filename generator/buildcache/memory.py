"""The build cache of a long-running preview (`drawdesk serve`): everything kept in memory.

One `MemoryCache` lives as long as the preview server and is handed to every
build it runs (`core.caching.BuildCache`, as the disk cache is). Between
builds it keeps:

- every entry file's parsed values, with the file's stat and the variant it was
  parsed for: a file is read again only if the file watcher reported it
  (`changed`) or its stat differs (a change the watcher missed);
- the page records and fragments of the last good build (`buildcache.pages`):
  a page whose key (its whole context, the templates, the settings) and whose
  reads of the site-wide mappings are unchanged is not rendered again, and its
  file in the output folder is left as it is;
- the compiled templates, the digests of the template files (by stat), and the
  output folder's manifest and summary.

Pages being viewed come first (as Hugo's fast render mode): given `first`
(the output paths a browser shows) and `early` (where to hand them), each
`render` makes those pages before the others, from the task at the place
where the last build found them, and hands over their bytes at once; the
build then goes on through every task as usual and uses the page already made.
The page is made by the same recipe and records either way.

Nothing is written to `.drawdesk/`. Everything the build receives from this
cache is what a clean build would make for the same inputs: the same keys and
records as the disk cache, without the disk. A build that fails keeps nothing
of what it did (the last good build's records stay), so fixing the error
rebuilds from the last good state.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator, Sequence
from functools import partial
from typing import TypeVar

from ..core.caching import ParseMany, Reads, Recipe, Stager, Summary, Task
from ..core.options import BuildConfig, site_now
from ..core.outputs import Manifest, OutputFile
from ..core.theme import THEME_DIR
from ..output.folder import check_output
from ..source import sitefiles
from . import watched
from .digests import code_version, digest_bytes, digest_text
from .pages import PageRecords

T = TypeVar("T")
StatKey = tuple[int, int, int, int]  # mtime_ns, ctime_ns, size, inode


def _stat_key(st: os.stat_result) -> StatKey:
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)


def _stat(path: str) -> StatKey | None:
    try:
        return _stat_key(os.stat(path))
    except OSError:
        return None


class WarmRecords(PageRecords):
    """Page records that can make some pages ahead of the others (`early`)."""

    def __init__(self, build_key: str, previous: object):
        super().__init__(build_key, previous)
        self.ahead: dict[str, OutputFile] = {}  # made early, not yet reached in order

    def early(self, recipe: Recipe, stage: Stager) -> OutputFile:
        self.stage = stage
        try:
            item = super().make(recipe)
        finally:
            self.stage = None
        self.ahead[recipe.file.path] = item
        return item

    def make(self, recipe: Recipe) -> OutputFile:
        made = self.ahead.pop(recipe.file.path, None)
        return made if made is not None else super().make(recipe)


class MemoryCache:
    """A build cache kept in this process between builds (see the module's text).

    `first()`: the output paths to make first (pages being viewed); `early(path,
    data)` receives each of them as soon as it is made, if its bytes changed."""

    def __init__(self, config: BuildConfig,
                 first: Callable[[], Collection[str]] | None = None,
                 early: Callable[[str, bytes], None] | None = None):
        self.config = config
        self.first = first
        self.early = early
        self._calls = 0  # render() calls in this build
        self._places: dict[str, tuple[int, int]] = {}  # path -> (render call, task number)
        self._places_new: dict[str, tuple[int, int]] = {}
        self.roots = config.roots(THEME_DIR)
        self.version = code_version()
        self._generation = 0  # counts reported changes
        self._changed: dict[str, int] = {}  # path -> generation it was reported in
        self._started = 0  # the generation the current build started from
        self._entries: dict[str, tuple[Hashable, StatKey, object]] = {}
        self._entries_new: dict[str, tuple[Hashable, StatKey, object]] = {}
        self._file_digests: dict[str, tuple[StatKey, str]] = {}
        self._stored: dict[str, dict] = {}
        self._summary: Summary | None = None
        self._manifest: Manifest | None = None
        self._day: tuple[str, str] | None = None  # (time zone, day) of the last good build
        self._pages_before: tuple[dict, dict] | None = None
        self._pages: WarmRecords | None = None
        self._inputs: tuple | None = None  # the input files' listing at the last good build
        self._inputs_now: tuple | None = None

    # -- what the file watcher reports ----------------------------------------------------
    def changed(self, paths: Iterable[str]) -> None:
        """These files (or folders) changed, were added or removed: read them again."""
        self._generation += 1
        for path in paths:
            self._changed[os.path.abspath(path)] = self._generation

    def forget(self) -> None:
        """Drop everything kept: the next build is a clean build (the output folder is
        still compared file by file, so unchanged files are not written again)."""
        self._generation += 1
        self._entries.clear()
        self._file_digests.clear()
        self._stored.clear()
        self._summary = None
        self._pages_before = None
        self._inputs = None

    def _is_changed(self, path: str) -> bool:
        if not self._changed:
            return False
        path = os.path.abspath(path)
        while True:
            if path in self._changed:
                return True
            parent = os.path.dirname(path)
            if parent == path:
                return False
            path = parent

    # -- the build ------------------------------------------------------------------------
    def unchanged(self) -> Summary | None:
        """The last build's summary when no input changed since, on the same day, and the
        output folder is as that build left it; else None (and a build starts)."""
        self._started = self._generation
        self._entries_new = {}
        self._pages = None
        self._calls = 0
        self._places_new = {}
        self._inputs_now = self._listing()
        if self._changed or self._summary is None or self._day is None or \
                self._inputs_now != self._inputs:
            return None
        zone, day = self._day
        try:
            import zoneinfo
            today = site_now(self.config.now, zoneinfo.ZoneInfo(zone)).date().isoformat()
        except (ValueError, KeyError, zoneinfo.ZoneInfoNotFoundError):
            return None
        if today != day:
            return None
        check = check_output(self.config.output, self._manifest)
        if self._manifest is None or not check.usable or check.dirty_dirs or \
                len(check.intact) != len(self._manifest.files):
            return None
        summary = self._summary
        return Summary(summary.files, summary.articles, summary.index_pages, summary.feeds,
                       rendered=0, written=0, kept=summary.files, warnings=summary.warnings)

    def _listing(self) -> tuple:
        """Every input file (content, templates) with its stat, and every entry a build
        refuses: a change the watcher did not report still makes a build."""
        parts: list[object] = []
        for folder in [self.config.content, *self.config.template_dirs(THEME_DIR)]:
            listing = sitefiles.walk(folder, self.roots, hidden=True, with_stat=True)
            parts.extend((found.path, found.link, _stat_key(found.st) if found.st else None)
                         for found in listing.files)
            parts.extend((refused.path, refused.reason) for refused in listing.refused)
        return tuple(parts)

    def last_output(self) -> Manifest | None:
        return self._manifest

    def save(self, summary: Summary, manifest: Manifest | None, *, timezone: str,
             today: dt.date, published: int) -> None:
        """This build succeeded and its output is in place: keep what it made."""
        self._entries.update(self._entries_new)
        self._entries_new = {}
        self._changed = {path: generation for path, generation in self._changed.items()
                         if generation > self._started}  # reported while it ran: still new
        self._summary = summary
        self._manifest = manifest
        self._inputs = self._inputs_now
        self._places = self._places_new
        self._day = (timezone, today.isoformat())
        if self._pages is not None:
            self._pages_before = (self._pages.pages, self._pages.fragments)
        self._pages = None

    # -- source ---------------------------------------------------------------------------
    def parsed(self, files: Sequence[tuple[str, Hashable]], parse: ParseMany) -> list[object]:
        """What each file held: kept from an earlier build unless the file was reported
        changed, its stat differs or it was parsed for another variant."""
        found: list[object] = [None] * len(files)
        todo: list[tuple[int, bytes | None]] = []
        stats: dict[int, StatKey | None] = {}
        for index, (path, variant) in enumerate(files):
            key = os.path.abspath(path)
            known = self._entries.get(key)
            st = _stat(path)
            if known is not None and st is not None and known[0] == variant and \
                    known[1] == st and not self._is_changed(key):
                found[index] = known[2]
                self._entries_new[key] = known
            else:
                stats[index] = st
                todo.append((index, None))
        if todo:
            for (index, _), (value, keep) in zip(todo, parse(todo), strict=True):
                path, variant = files[index]
                st = stats[index]
                if keep and st is not None:
                    self._entries_new[os.path.abspath(path)] = (variant, st, value)
                found[index] = value
        self._entries = {path: self._entries[path] for path in self._entries_new
                         if path in self._entries}  # removed files are forgotten
        return found

    # -- present --------------------------------------------------------------------------
    def _file_digest(self, path: str, st: os.stat_result | None) -> str:
        key = _stat_key(st) if st is not None else None
        known = self._file_digests.get(path)
        if known is not None and key is not None and known[0] == key and \
                not self._is_changed(path):
            return known[1]
        try:
            digest = digest_bytes(sitefiles.read_regular(path))
        except OSError as exc:
            return f"unreadable:{exc.errno}"
        if key is not None:
            self._file_digests[path] = (key, digest)
        return digest

    def _records(self) -> WarmRecords:
        if self._pages is None:
            c = self.config
            dirs = c.template_dirs(THEME_DIR)  # content/templates may come and go
            templates = [(found.path, found.link, self._file_digest(found.path, found.st))
                         for folder in dirs
                         for found in sitefiles.walk(folder, self.roots, with_stat=True).files]
            key = digest_text(repr((
                self.version, str(c.content.resolve()), str(c.output.resolve()), c.drafts,
                c.future, c.base_url, c.head_extra, [str(d.resolve()) for d in dirs],
                os.getcwd(), templates)))
            self._pages = WarmRecords(key, self._pages_before)
        return self._pages

    def watch(self, name: str, mapping: dict) -> dict:
        return self._records().watch(name, mapping)

    def recorded(self, make: Callable[[], T]) -> tuple[T, Reads]:
        return self._records().recorded(make)

    def replay(self, *reads: Reads) -> None:
        watched.replay(*reads)

    def fragment(self, scope: object, inputs: tuple[object, ...],
                 make: Callable[[], str]) -> str:
        return self._records().fragment(scope, inputs, make)

    def stored(self, name: str) -> dict | None:
        """A mapping kept in memory under `name` (compiled templates, keyed by their
        source by whoever fills it)."""
        return self._stored.setdefault(name, {})

    # -- rendering ------------------------------------------------------------------------
    def render(self, tasks: Callable[[], Iterable[Task]], stage: Stager, processes: int = 1,
               each: Callable[[OutputFile], None] | None = None) -> list[OutputFile]:
        """Every task's file, as `PageRecords.render` makes them; the pages being viewed
        first (see the module's text)."""
        call = self._calls
        self._calls += 1
        records = self._records()
        self._ahead(call, tasks, stage, records)
        return records.render(partial(self._numbered, call, tasks), stage, processes, each)

    def _numbered(self, call: int, tasks: Callable[[], Iterable[Task]]) -> Iterator[Task]:
        """The tasks, each noting where its file was found (for the next build)."""
        for number, task in enumerate(tasks()):
            yield Task(task.kind, partial(self._noted, call, number, task.prepare))

    def _noted(self, call: int, number: int, prepare: Callable[[], Recipe]) -> Recipe:
        recipe = prepare()
        self._places_new[recipe.file.path] = (call, number)
        return recipe

    def _ahead(self, call: int, tasks: Callable[[], Iterable[Task]], stage: Stager,
               records: WarmRecords) -> None:
        """Make the pages being viewed that this call made in the last build, now."""
        if self.first is None or self.early is None:
            return
        wanted = {number: path for path in self.first()
                  if (place := self._places.get(path)) is not None and place[0] == call
                  for number in (place[1],)}
        if not wanted:
            return
        last = max(wanted)
        for number, task in enumerate(tasks()):
            if number in wanted:
                recipe = task.prepare()
                if recipe.file.path == wanted[number]:  # the site may have changed since
                    item = records.early(recipe, stage)
                    if getattr(item, "changed", True):
                        self.early(item.path, item.data)
            if number >= last:
                return
