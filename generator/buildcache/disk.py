"""The build cache in `.drawdesk/`: skip the work whose inputs did not change, never trust a guess.

A build with a `DiskCache` does what a clean build does, with three shortcuts,
each keyed by content digests:

1. Nothing changed (every file under content/ and the template folders, the
   settings, drawdesk's code, the day, and the output folder as the last build
   left it): the build stops there (`unchanged`).
2. A draw file whose digest is known is not parsed again (`parsed`).
3. A page whose key is unchanged and whose output file is intact is not
   rendered again (`render`, see `buildcache.pages`). The key is a digest of the
   template set, the code version, the page's recipe (template, path and whole
   context: values, not names, so a page type added later is covered the day
   it is added), and of every item the render read from the watched site-wide
   mappings. Rendering is a function of exactly these, so equal keys mean equal
   bytes.

The output folder is checked file by file against the manifest of the last
build before any page is skipped, so a file edited or removed by hand is
rendered again and a file added by hand is removed, as a clean build would.
Nothing here is loaded by the stages: they see the cache only through
`core.caching.BuildCache`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import zoneinfo
from collections.abc import Callable, Hashable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ..core.caching import ParseMany, Reads, Stager, Summary, Task
from ..core.options import BuildConfig, site_now
from ..core.outputs import Manifest, OutputFile
from ..core.problems import Problem
from ..core.theme import THEME_DIR
from ..output.folder import check_output
from ..source import sitefiles
from . import storage, watched
from .digests import code_version, digest_bytes, digest_text

if TYPE_CHECKING:  # loaded only if something must be rendered
    from .pages import PageRecords

T = TypeVar("T")
U = TypeVar("U")
# The manifest describes the output folder, not how it was made: it stays
# valid across drawdesk versions, so an upgrade rewrites only changed files.
MANIFEST_FORMAT = "manifest/1"
KEEP_OUTPUTS = 4  # records of this many output folders are kept (serve uses new ones)


def _entry(stored: object) -> tuple | None:
    if not isinstance(stored, bytes):
        return None
    try:
        entry = storage.loads(stored)
    except Exception:  # noqa: BLE001 - damaged: parse the file instead
        return None
    return entry if isinstance(entry, tuple) and len(entry) == 2 else None


def settings_key(config: BuildConfig, dirs: Sequence[Path], version: str) -> str:
    """A digest of the settings a build's output depends on, besides its input files."""
    c = config
    return digest_text(repr((
        version, str(c.content.resolve()), str(c.output.resolve()), c.drafts, c.future,
        c.base_url, c.head_extra, [str(d.resolve()) for d in dirs], os.getcwd())))


def pages_key(settings: str, templates: Sequence[tuple[str, str | None, str | None]]) -> str:
    """The key every page record of a build starts from: the settings (`settings_key`) and
    the template files, as (path, link, digest of the bytes). The disk cache and the
    preview's memory cache share it, so records pass from one to the other."""
    return digest_text(settings + digest_text(repr(list(templates))))


class DiskCache:
    """One build's view of `.drawdesk/`: what it can skip, and what it leaves for the next
    build (see `core.caching.BuildCache`)."""

    def __init__(self, config: BuildConfig):
        self.config = config
        self.folder = storage.cache_dir(config.content)
        self.dirs = config.template_dirs(THEME_DIR)
        self.roots = config.roots(THEME_DIR)  # the folders links may lead into
        self.version = code_version()
        suffix = digest_text(str(config.output.resolve()))[:16]
        self.name, self.output_name, self.pages_name = (
            f"build-{suffix}", f"output-{suffix}", f"pages-{suffix}")
        self.index = storage.InputIndex(storage.read(self.folder, "inputs", self.version))
        state = storage.read(self.folder, self.name, self.version)
        self.state: dict[str, Any] | None = state if isinstance(state, dict) and \
            state.get("format") == 1 else None
        self._key: str | None = None
        self._inputs: str | None = None
        self._output: Manifest | bool | None = None
        self._parsed_before: dict[str, bytes] | None = None
        self._parsed: dict[str, bytes] = {}
        self._reading: dict[str, str] = {}
        self._stored: dict[str, tuple[dict, dict]] = {}
        self._pages: PageRecords | None = None
        self._pages_before: object = None  # the last build's page records, once saved

    # -- what the build depends on -------------------------------------------------------
    @property
    def key(self) -> str:
        """The settings a build's output depends on, besides its input files."""
        if self._key is None:
            self._key = settings_key(self.config, self.dirs, self.version)
        return self._key

    @property
    def inputs(self) -> str:
        """A digest of every file under content/ and the template folders, listed as the
        build lists them (`source.sitefiles`): links followed inside the site with their
        text, and every entry a build refuses (a pipe, a dangling link...) with its reason."""
        if self._inputs is None:
            parts: list[str] = []
            for folder in [self.config.content, *self.dirs]:
                parts.append(f"folder:{folder.resolve()}")
                listing = sitefiles.walk(folder, self.roots, hidden=True, with_stat=True)
                for found in listing.files:
                    parts.append(found.path)
                    parts.append(found.link or "")
                    parts.append(self.index.digest(found.path, found.st) or "-")
                for refused in listing.refused:
                    parts.append(f"refused:{refused.path}\0{refused.reason}")
            self._inputs = digest_text("\n".join(parts))
        return self._inputs

    def last_output(self) -> Manifest | None:
        """What the last build left in the output folder (whatever drawdesk's version)."""
        if self._output is None:
            plain = storage.read(self.folder, self.output_name, MANIFEST_FORMAT)
            self._output = Manifest.from_plain(plain) or False
        return self._output or None

    # -- shortcut 1: nothing to do ---------------------------------------------------------
    def unchanged(self) -> Summary | None:
        """The last build's summary if it would be rebuilt byte for byte, else None."""
        state = self.state
        if state is None or state.get("key") != self.key or not state.get("published"):
            return None
        try:
            zone = zoneinfo.ZoneInfo(state["timezone"])
            day = site_now(self.config.now, zone).date().isoformat()
        except (KeyError, TypeError, ValueError, zoneinfo.ZoneInfoNotFoundError):
            return None
        if day != state.get("today") or state.get("inputs") != self.inputs:
            return None
        manifest = self.last_output()
        check = check_output(self.config.output, manifest)
        if manifest is None or not check.usable or check.dirty_dirs or \
                len(check.intact) != len(manifest.files):
            return None
        try:
            files, articles, index_pages, feeds, warnings, notes = state["summary"]
            summary = Summary(files, articles, index_pages, feeds, rendered=0, written=0,
                              kept=files, warnings=tuple(Problem(*w) for w in warnings),
                              notes=tuple(str(n) for n in notes))
        except (TypeError, ValueError):
            return None
        if self.index.changed:  # files read again (recently edited): trust them next time
            storage.write(self.folder, "inputs", self.version, self.index.snapshot())
        return summary

    # -- shortcut 2: entries parsed before ---------------------------------------------
    def parsed(self, files: Sequence[tuple[str, Hashable]], parse: ParseMany,
               finish: Callable[[object], U]) -> list[U]:
        """`finish` of what `parse` makes of each file; a file whose bytes and variant were
        parsed by an earlier build is not parsed again."""
        if self._parsed_before is None:
            before = storage.read(self.folder, "parsed", self.version)
            self._parsed_before = before if isinstance(before, dict) else {}
        found: list[object] = [None] * len(files)
        todo: list[tuple[int, bytes | None]] = []
        for index, (path, variant) in enumerate(files):
            hit, raw = self._recall(path, variant)
            if hit is not None:
                found[index] = hit
            else:
                todo.append((index, raw))
        for (index, _), (value, keep) in zip(todo, parse(todo), strict=True):
            path, variant = files[index]
            digest = self._reading.pop(path, None)
            if keep and digest is not None:  # pickled: compact, read back only if used
                self._parsed[digest] = storage.dumps((variant, value))
            found[index] = value
        return [finish(value) for value in found]

    def _recall(self, path: str, variant: Hashable) -> tuple[object | None, bytes | None]:
        """What this file's bytes held, else its bytes (if they could be read)."""
        digest = self.index.digest(path)
        if digest is not None:
            stored = self._parsed.get(digest) or self._parsed_before.get(digest)  # type: ignore[union-attr]
            hit = _entry(stored)
            if hit is not None and hit[0] == variant:
                self._parsed[digest] = stored  # type: ignore[assignment]
                return hit[1], None
        raw = self.index.take(path)
        if raw is None:
            try:
                raw = sitefiles.read_regular(path)
            except OSError:
                return None, None  # the parser reports it
        actual = digest_bytes(raw)
        if actual != digest:  # changed while this build looked at it
            self.index.forget(path)
        self._reading[path] = actual
        return None, raw

    # -- shortcut 3: pages -------------------------------------------------------------
    def _records(self) -> PageRecords:
        if self._pages is None:
            from .pages import PageRecords
            templates = [(found.path, found.link, self.index.digest(found.path, found.st))
                         for folder in self.dirs
                         for found in sitefiles.walk(folder, self.roots, with_stat=True).files]
            previous = self._pages_before
            if previous is None and self.state is not None:
                previous = storage.read(self.folder, self.pages_name, self.version)
            self._pages = PageRecords(pages_key(self.key, templates), previous)
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

    def incremental(self, name: str, make: Callable[[object | None], T]) -> T:
        """`make(None)`: nothing of it is kept on disk."""
        return make(None)

    def stored(self, name: str) -> dict | None:
        """A mapping kept under `name` between builds (compiled templates)."""
        if name not in self._stored:
            before = storage.read(self.folder, name, self.version)
            before = before if isinstance(before, dict) else {}
            self._stored[name] = (dict(before), before)
        return self._stored[name][0]

    def render(self, tasks: Callable[[], Iterable[Task]], stage: Stager, processes: int = 1,
               each: Callable[[OutputFile], None] | None = None) -> list[OutputFile]:
        return self._records().render(tasks, stage, processes, each)

    # -- a long-running preview server ---------------------------------------------------
    def changed(self, paths: Iterable[str]) -> None:
        """Read these files again at the next build (a long-running process keeps this
        cache between builds; see `save`)."""
        for path in paths:
            self.index.invalidate(path)
        self._inputs = None

    # -- for the next build --------------------------------------------------------------
    def _prune(self) -> None:
        """Forget the output folders least recently built, beyond KEEP_OUTPUTS."""
        mine = self.name[len("build-"):]
        records = _records(self.folder)
        others = sorted((when, suffix) for suffix, when in records.items() if suffix != mine)
        for _, suffix in others[:max(0, len(others) - (KEEP_OUTPUTS - 1))]:
            for prefix in ("build", "pages", "output"):
                with contextlib.suppress(OSError):
                    os.unlink(self.folder / f"{prefix}-{suffix}")

    def save(self, summary: Summary, manifest: Manifest | None, *, timezone: str,
             today: dt.date, published: int) -> None:
        """Record what this build read and wrote (after the output is in place)."""
        if self._parsed_before is not None and self._parsed.keys() != self._parsed_before.keys():
            storage.write(self.folder, "parsed", self.version, self._parsed)
        self.inputs  # noqa: B018 - every input file is in the index before it is saved
        if self.index.changed or self.index.current.keys() != self.index.previous.keys():
            storage.write(self.folder, "inputs", self.version, self.index.snapshot())
        for name, (now, before) in self._stored.items():
            if now != before:
                storage.write(self.folder, name, self.version, now)
        pages = self._pages
        if pages is not None:  # apart: a build with nothing to do does not read them
            storage.write(self.folder, self.pages_name, self.version,
                          (pages.pages, pages.fragments))
        if manifest is not None:
            storage.write(self.folder, self.output_name, MANIFEST_FORMAT, manifest.to_plain())
        self._prune()
        state = {
            "format": 1, "key": self.key, "inputs": self.inputs, "timezone": timezone,
            "today": today.isoformat(), "published": published,
            "summary": (summary.files, summary.articles, summary.index_pages, summary.feeds,
                        [w.as_tuple() for w in summary.warnings], list(summary.notes)),
        }
        storage.write(self.folder, self.name, self.version, state)
        self._roll_over(state, manifest)

    def kept(self) -> tuple[object, dict[str, dict]]:
        """After `save`: this build's page records and the mappings kept under names
        (compiled templates), for a cache that goes on from here (the preview's)."""
        return self._pages_before, {name: now for name, (now, _) in self._stored.items()}

    def _roll_over(self, state: dict[str, Any], manifest: Manifest | None) -> None:
        """Make this object the cache of the next build, as a new one would read it from
        `.drawdesk/` (a long-running process reuses it, telling it what `changed`)."""
        self.state = state
        self.index = storage.InputIndex(self.index.snapshot())
        self._inputs = None
        self._output = manifest or False
        self._parsed_before, self._parsed = self._parsed, {}
        self._stored = {name: (dict(now), now) for name, (now, _) in self._stored.items()}
        if self._pages is not None:
            self._pages_before = (self._pages.pages, self._pages.fragments)
        self._pages = None


def _records(folder: Path) -> dict[str, float]:
    """The output folders with records in the cache: suffix -> last written."""
    found: dict[str, float] = {}
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return found
    for entry in entries:
        prefix, _, suffix = entry.name.partition("-")
        if prefix in ("build", "pages", "output") and suffix:
            try:
                found[suffix] = max(found.get(suffix, 0.0), entry.stat().st_mtime)
            except OSError:
                continue
    return found
