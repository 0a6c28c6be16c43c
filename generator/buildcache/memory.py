"""The build cache of a long-running preview (`drawdesk serve`): everything kept in memory.

One `MemoryCache` lives as long as the preview server and is handed to every
build it runs (`core.caching.BuildCache`, as the disk cache is). Between
builds it keeps:

- every entry file's parsed values and what the loader finished them into (its
  `Draw`), with the file's stat and the variant it was parsed for: a file is read
  again only if the file watcher reported it (`changed`) or its stat differs (a
  change the watcher missed), and an unchanged entry's draw is the same object
  from build to build;
- what the stages made under a name in the last good build (`incremental`: the
  derived site with what each draw's facts were made from, each edition's
  entries), which they derive the next build's from;
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

The server's first build starts from the disk cache in `.drawdesk/`
(`buildcache.disk`), as `drawdesk build` does: entries parsed by earlier
builds are not parsed again, compiled templates are loaded, and a page whose
record is there and whose file in the output folder is intact (`--output`
kept between previews) is not rendered again. Until a build succeeds, every
call goes to a `DiskCache`; that build saves the disk cache as a one-shot
build would, and its parsed entries, page records, templates and manifest
become this cache's (the page records' keys are the disk cache's, so they carry
over). Later builds write nothing to `.drawdesk/`. Everything the build
receives from this cache is what a clean build would make for the same inputs:
the same keys and records as the disk cache. A build that fails keeps nothing
of what it did (the last good build's records stay), so fixing the error
rebuilds from the last good state.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Collection, Hashable, Iterable, Sequence
from typing import TypeVar

from ..core.caching import ParseMany, Reads, Stager, Summary, Task
from ..core.options import BuildConfig, site_now
from ..core.outputs import Manifest, OutputFile
from ..core.theme import THEME_DIR
from ..output.folder import check_output
from ..source import sitefiles
from . import watched
from .digests import code_version, digest_bytes
from .disk import DiskCache, pages_key, settings_key
from .pages import WarmRecords
from .storage import StatKey, stat_key

T = TypeVar("T")
U = TypeVar("U")


def _stat(path: str) -> StatKey | None:
    try:
        return stat_key(os.stat(path))
    except OSError:
        return None


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
        # Entry files: path -> (variant, stat, parsed value, what the loader made of it).
        self._entries: dict[str, tuple[Hashable, StatKey, object, object]] = {}
        self._entries_new: dict[str, tuple[Hashable, StatKey, object, object]] = {}
        self._paths: dict[str, str] = {}  # path -> absolute path
        self._changed_under: tuple[str, ...] | None = None  # `_changed` + "/" (prefixes)
        self._file_digests: dict[str, tuple[StatKey, str]] = {}
        self._stored: dict[str, dict] = {}
        self._summary: Summary | None = None
        self._manifest: Manifest | None = None
        self._day: tuple[str, str] | None = None  # (time zone, day) of the last good build
        self._pages_before: tuple[dict, dict] | None = None
        self._pages: WarmRecords | None = None
        self._inputs: tuple | None = None  # the input files' listing at the last good build
        self._inputs_now: tuple | None = None  # None: not listed (see `unchanged`)
        self._made: dict[str, object] = {}  # `incremental`: what the last good build made
        # Digests of the last good build's frozen values, by id (`Fingerprinter.carry`).
        self._digests: dict[int, tuple[object, str]] = {}
        self._made_new: dict[str, object] = {}
        self._disk: DiskCache | None = None  # until a build succeeds (see the module's text)
        self._from_disk = True  # the first build starts from `.drawdesk/`

    # -- what the file watcher reports ----------------------------------------------------
    def changed(self, paths: Iterable[str]) -> None:
        """These files (or folders) changed, were added or removed: read them again."""
        self._generation += 1
        for path in paths:
            self._changed[os.path.abspath(path)] = self._generation
        self._changed_under = None

    def forget(self) -> None:
        """Drop everything kept: the next build is a clean build (the output folder is
        still compared file by file, so unchanged files are not written again)."""
        self._generation += 1
        self._disk = None
        self._from_disk = False
        self._entries.clear()
        self._file_digests.clear()
        self._stored.clear()
        self._made = {}
        self._digests = {}
        self._summary = None
        self._pages_before = None
        self._inputs = None

    def _absolute(self, path: str) -> str:
        """`os.path.abspath(path)`, remembered (the same files are looked up every build;
        the working directory does not change while a server runs)."""
        found = self._paths.get(path)
        if found is None:
            found = self._paths[path] = os.path.abspath(path)
        return found

    def _is_changed(self, path: str) -> bool:
        """Whether `path` (absolute), or a folder holding it, was reported changed."""
        if not self._changed:
            return False
        if self._changed_under is None:
            self._changed_under = tuple(folder.rstrip("/") + "/" for folder in self._changed)
        return path in self._changed or path.startswith(self._changed_under)

    # -- the build ------------------------------------------------------------------------
    def unchanged(self) -> Summary | None:
        """The last build's summary when no input changed since, on the same day, and the
        output folder is as that build left it; else None (and a build starts)."""
        self._started = self._generation
        self._changed_under = None
        self._made_new = {}
        self._entries_new = {}
        self._pages = None
        self._calls = 0
        self._places_new = {}
        if self._changed and not self._from_disk:
            # Files were reported changed: a build starts. The listing is what a later
            # build compares with when nothing is reported, to find changes the watcher
            # missed; without it, that build is made (never skipped).
            self._inputs_now = None
            return None
        self._inputs_now = self._listing()
        if self._from_disk:  # nothing kept yet: start from `.drawdesk/` as it is now (a
            self._disk = DiskCache(self.config)  # build that failed leaves it as it was)
            return self._disk.unchanged()
        if self._summary is None or self._day is None or self._inputs is None or \
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
            parts.extend((found.path, found.link, stat_key(found.st) if found.st else None)
                         for found in listing.files)
            parts.extend((refused.path, refused.reason) for refused in listing.refused)
        return tuple(parts)

    def last_output(self) -> Manifest | None:
        return self._disk.last_output() if self._disk is not None else self._manifest

    def save(self, summary: Summary, manifest: Manifest | None, *, timezone: str,
             today: dt.date, published: int) -> None:
        """This build succeeded and its output is in place: keep what it made (the first
        build also saves the disk cache, and takes over what it holds)."""
        disk, self._disk = self._disk, None
        if disk is not None:
            disk.save(summary, manifest, timezone=timezone, today=today, published=published)
            self._from_disk = False
            self._pages_before, self._stored = disk.kept()
        self._entries.update(self._entries_new)
        self._entries_new = {}
        self._changed = {path: generation for path, generation in self._changed.items()
                         if generation > self._started}  # reported while it ran: still new
        self._changed_under = None
        self._made, self._made_new = self._made_new, {}
        self._summary = summary
        self._manifest = manifest
        self._inputs = self._inputs_now
        self._places = self._places_new
        self._day = (timezone, today.isoformat())
        if self._pages is not None:
            self._pages_before = (self._pages.pages, self._pages.fragments)
            self._digests = self._pages.fp.carry()
        self._pages = None

    # -- source ---------------------------------------------------------------------------
    def parsed(self, files: Sequence[tuple[str, Hashable]], parse: ParseMany,
               finish: Callable[[object], U]) -> list[U]:
        """What each file held, finished: kept from an earlier build (with what `finish`
        made of it) unless the file was reported changed, its stat differs or it was
        parsed for another variant."""
        if self._disk is not None:
            return self._parsed_on_disk(files, parse, finish, self._disk)
        found: list[U] = [None] * len(files)  # type: ignore[list-item]
        todo: list[tuple[int, bytes | None]] = []
        stats: dict[int, StatKey | None] = {}
        entries, kept, absolute = self._entries, self._entries_new, self._paths
        changed = self._is_changed if self._changed else None
        for index, (path, variant) in enumerate(files):  # (10,000 files: every step counts)
            key = absolute.get(path) or self._absolute(path)
            known = entries.get(key)
            st = _stat(path)
            if known is not None and st is not None and known[1] == st and \
                    known[0] == variant and (changed is None or not changed(key)):
                found[index] = known[3]
                kept[key] = known
            else:
                stats[index] = st
                todo.append((index, None))
        if todo:
            for (index, _), (value, keep) in zip(todo, parse(todo), strict=True):
                path, variant = files[index]
                st = stats[index]
                finished = found[index] = finish(value)
                if keep and st is not None:
                    self._entries_new[self._absolute(path)] = (variant, st, value, finished)
        self._entries = {path: self._entries[path] for path in self._entries_new
                         if path in self._entries}  # removed files are forgotten
        return found

    def _parsed_on_disk(self, files: Sequence[tuple[str, Hashable]], parse: ParseMany,
                        finish: Callable[[object], U], disk: DiskCache) -> list[U]:
        """What each file held, from the disk cache (parsed by an earlier build) or parsed
        now; each kept here too, with the stat it had before it was read."""
        stats = [_stat(path) for path, _ in files]
        not_kept: set[int] = set()

        def noted(todo: list[tuple[int, bytes | None]]) -> list[tuple[object, bool]]:
            results = parse(todo)
            not_kept.update(index for (index, _), (_, keep) in zip(todo, results, strict=True)
                            if not keep)
            return results

        pairs = disk.parsed(files, noted, lambda value: (value, finish(value)))
        self._entries_new.update({
            self._absolute(path): (variant, st, value, finished)
            for index, ((path, variant), st, (value, finished)) in enumerate(zip(
                files, stats, pairs, strict=True))
            if st is not None and index not in not_kept})
        return [finished for _, finished in pairs]

    # -- derive and present -----------------------------------------------------------------
    def incremental(self, name: str, make: Callable[[object | None], T]) -> T:
        """`make(before)`, `before` being what it made under `name` in the last good build;
        kept for the next build if this one succeeds."""
        value = make(self._made.get(name))
        self._made_new[name] = value
        return value

    # -- present --------------------------------------------------------------------------
    def _file_digest(self, path: str, st: os.stat_result | None) -> str:
        key = stat_key(st) if st is not None else None
        known = self._file_digests.get(path)
        if known is not None and key is not None and known[0] == key and \
                not self._is_changed(self._absolute(path)):
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
            key = pages_key(settings_key(c, dirs, self.version), templates)
            self._pages = WarmRecords(key, self._pages_before, self._digests)
        return self._pages

    def watch(self, name: str, mapping: dict) -> dict:
        if self._disk is not None:
            return self._disk.watch(name, mapping)
        return self._records().watch(name, mapping)

    def recorded(self, make: Callable[[], T]) -> tuple[T, Reads]:
        if self._disk is not None:
            return self._disk.recorded(make)
        return self._records().recorded(make)

    def replay(self, *reads: Reads) -> None:
        watched.replay(*reads)

    def fragment(self, scope: object, inputs: tuple[object, ...],
                 make: Callable[[], str]) -> str:
        if self._disk is not None:
            return self._disk.fragment(scope, inputs, make)
        return self._records().fragment(scope, inputs, make)

    def stored(self, name: str) -> dict | None:
        """A mapping kept in memory under `name` (compiled templates, keyed by their
        source by whoever fills it)."""
        if self._disk is not None:
            return self._disk.stored(name)
        return self._stored.setdefault(name, {})

    # -- rendering ------------------------------------------------------------------------
    def render(self, tasks: Callable[[], Iterable[Task]], stage: Stager, processes: int = 1,
               each: Callable[[OutputFile], None] | None = None) -> list[OutputFile]:
        """Every task's file, as `PageRecords.render` makes them; the pages being viewed
        first (see the module's text)."""
        call = self._calls
        self._calls += 1
        if self._disk is not None:
            made = self._disk.render(tasks, stage, processes, each)
        else:
            records = self._records()
            self._ahead(call, tasks, stage, records)
            made = records.render(tasks, stage, processes, each)
        for number, item in enumerate(made):  # where each file was found, for the next
            self._places_new[item.path] = (call, number)  # build (whichever process made it)
        return made

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
                    data = records.early(recipe, stage)
                    if data is not None:
                        self.early(recipe.file.path, data)
            if number >= last:
                return
