"""Incremental builds: skip the work whose inputs did not change, never trust a guess.

A build with a usable cache (see `buildcache.storage`) does what a clean build
does, with three shortcuts, each keyed by content digests:

1. Nothing changed (every file under content/ and the template folders, the
   settings, drawdesk's code, the day, and the output folder as the last build
   left it): the build stops there.
2. A draw file whose digest is known is not parsed again (`ParseMemo`).
3. A page whose key is unchanged and whose output file is intact is not
   rendered again (`PageMemo`). The key is a digest of the template set, the
   code version, the page's template, path and whole context (values, not
   names: a page type added later is covered the day it is added), and of
   every item the render read from the site-wide tracked mappings. Rendering
   is a function of exactly these, so equal keys mean equal bytes.

A page that receives a value the fingerprinter does not know is always
rendered. The output folder is checked file by file against the manifest of
the last build before any page is skipped, so a file edited or removed by
hand is rendered again and a file added by hand is removed, as a clean build
would.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import time
import zoneinfo
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.options import BuildConfig, site_now
from ..core.outputs import Manifest
from ..core.problems import Problem
from ..output.folder import check_output
from ..source import sitefiles
from . import storage
from .digests import Fingerprinter, code_version, digest_bytes, digest_text

if TYPE_CHECKING:  # the renderer is loaded only if something must be rendered
    from ..core.outputs import OutputFile
    from ..output.writer import Writer
    from .pages import PageMemo, TemplateCode

THEME_DIR = Path(__file__).resolve().parent.parent.parent / "templates"  # as generator.render's
# The manifest describes the output folder, not how it was made: it stays
# valid across drawdesk versions, so an upgrade rewrites only changed files.
MANIFEST_FORMAT = "manifest/1"


@dataclass(frozen=True)
class Summary:
    """What a build produced, as its closing line reports it."""

    files: int
    articles: int
    index_pages: int
    feeds: int
    rendered: int  # pages rendered this time (the others were unchanged)
    written: int
    warnings: tuple[Problem, ...]


def _plain_problems(problems: Sequence[Problem]) -> list[tuple]:
    return [(p.path, p.line, p.column, p.field, p.message, p.severity) for p in problems]


def _entry(stored: object) -> tuple | None:
    if not isinstance(stored, bytes):
        return None
    try:
        entry = storage.loads(stored)
    except Exception:  # noqa: BLE001 - damaged: parse the file instead
        return None
    return entry if isinstance(entry, tuple) and len(entry) == 5 else None


class ParseMemo:
    """What draw files held, by file digest (see `source.loader._read_draw`)."""

    def __init__(self, index: storage.InputIndex, previous: object):
        self.index = index
        self.previous: dict[str, bytes] = previous if isinstance(previous, dict) else {}
        self.current: dict[str, bytes] = {}
        self._reading: dict[str, str] = {}
        self.reused = 0

    def lookup(self, path: Path, shown: str, languages: tuple[str, ...]
               ) -> tuple[tuple | None, bytes | None]:
        """(fields, positions, gaps, shown) kept for this file's bytes, else the bytes."""
        key = str(path)
        digest = self.index.digest(key)
        if digest is not None:
            stored = self.current.get(digest) or self.previous.get(digest)
            hit = _entry(stored)
            if hit is not None and hit[0] == shown and hit[1] == languages:
                self.current[digest] = stored
                self.reused += 1
                return (hit[2], hit[3], [Problem(*gap) for gap in hit[4]], shown), None
        raw = self.index.take(key)
        if raw is None:
            try:
                raw = sitefiles.read_regular(path)
            except OSError:
                return None, None  # the parser reports it
        actual = digest_bytes(raw)
        if actual != digest:  # changed while this build looked at it
            self.index.forget(key)
        self._reading[key] = actual
        return None, raw

    def store(self, path: Path, shown: str, languages: tuple[str, ...], fields: dict,
              positions: dict, gaps: Sequence[Problem]) -> None:
        digest = self._reading.pop(str(path), None)
        if digest is not None:  # kept pickled: compact, and read back only if used
            self.current[digest] = storage.dumps((shown, languages, fields, positions,
                                                _plain_problems(gaps)))

    @property
    def changed(self) -> bool:
        return self.current.keys() != self.previous.keys()


_handed_over: Session | None = None


class Session:
    """One build's view of the cache: what it can skip, and what it leaves for the next."""

    def __init__(self, config: BuildConfig, template_dirs: list[Path]):
        self.started = time.perf_counter()
        self.config = config
        self.folder = storage.cache_dir(config.content)
        self.dirs = template_dirs
        self.version = code_version()
        self.name = "build-" + digest_text(str(config.output.resolve()))[:16]
        self.index = storage.InputIndex(storage.read(self.folder, "inputs", self.version))
        state = storage.read(self.folder, self.name, self.version)
        self.state: dict[str, Any] | None = state if isinstance(state, dict) and \
            state.get("format") == 1 else None
        self.fp = Fingerprinter()
        self.parse_memo: ParseMemo | None = None
        self.memo: PageMemo | None = None
        self.code: TemplateCode | None = None
        self._key: str | None = None
        self._inputs: str | None = None
        self._output: Manifest | bool | None = None
        self.checked = False
        self.output_name = "output-" + self.name[len("build-"):]
        self.pages_name = "pages-" + self.name[len("build-"):]

    @classmethod
    def open(cls, config: BuildConfig, template_dirs: list[Path]) -> Session:
        """The session `hand_over` left for this very build, else a new one."""
        global _handed_over
        session, _handed_over = _handed_over, None
        if session is not None and session.config == config and session.dirs == template_dirs:
            return session
        return cls(config, template_dirs)

    def hand_over(self) -> None:
        """Let the build that follows in this process start from what this one read."""
        global _handed_over
        _handed_over = self

    # -- what the build depends on -------------------------------------------------------
    @property
    def key(self) -> str:
        """The settings a build's output depends on, besides its input files."""
        if self._key is None:
            c = self.config
            self._key = self.fp.many((
                self.version, str(c.content.resolve()), str(c.output.resolve()), c.drafts,
                c.future, c.base_url, c.head_extra, [str(d.resolve()) for d in self.dirs],
                os.getcwd()))
        return self._key

    @property
    def inputs(self) -> str:
        """A digest of every file under content/ and the template folders, listed as the
        build lists them (`source.sitefiles`): links followed inside the site with their
        text, and every entry a build refuses (a pipe, a dangling link...) with its reason."""
        if self._inputs is None:
            parts: list[str] = []
            roots = self.roots
            for folder in [self.config.content, *self.dirs]:
                parts.append(f"folder:{folder.resolve()}")
                listing = sitefiles.walk(folder, roots, hidden=True, with_stat=True)
                for found in listing.files:
                    parts.append(found.path)
                    parts.append(found.link or "")
                    parts.append(self.index.digest(found.path, found.st) or "-")
                for refused in listing.refused:
                    parts.append(f"refused:{refused.path}\0{refused.reason}")
            self._inputs = digest_text("\n".join(parts))
        return self._inputs

    @property
    def roots(self) -> tuple[str, ...]:
        """The folders links may lead into (see `source.sitefiles`)."""
        return self.config.roots(THEME_DIR)

    def _manifest(self) -> Manifest | None:
        """What the last build left in the output folder (whatever drawdesk's version)."""
        if self._output is None:
            plain = storage.read(self.folder, self.output_name, MANIFEST_FORMAT)
            self._output = Manifest.from_plain(plain) or False
        return self._output or None

    # -- shortcut 1 ----------------------------------------------------------------------
    def unchanged(self, today: Callable[[zoneinfo.ZoneInfo], dt.date]) -> Summary | None:
        """The last build's summary if it would be rebuilt byte for byte, else None."""
        if self.checked:  # asked already (generator.quick) and the answer was no
            return None
        self.checked = True
        state = self.state
        if state is None or state.get("key") != self.key or not state.get("published"):
            return None
        try:
            day = today(zoneinfo.ZoneInfo(state["timezone"])).isoformat()
        except (KeyError, TypeError, ValueError, zoneinfo.ZoneInfoNotFoundError):
            return None
        if day != state.get("today") or state.get("inputs") != self.inputs:
            return None
        manifest = self._manifest()
        check = check_output(self.config.output, manifest)
        if manifest is None or not check.usable or check.dirty_dirs or \
                len(check.intact) != len(manifest.files):
            return None
        try:
            files, articles, index_pages, feeds, warnings = state["summary"]
            summary = Summary(files, articles, index_pages, feeds, 0, 0,
                              tuple(Problem(*w) for w in warnings))
        except (TypeError, ValueError):
            return None
        if self.index.changed:  # files read again (recently edited): trust them next time
            storage.write(self.folder, "inputs", self.version, self.index.snapshot())
        return summary

    # -- shortcuts 2 and 3 ---------------------------------------------------------------
    def writer(self) -> Writer:
        from ..output.writer import Writer
        return Writer(self.config.output, self._manifest())

    def parsing(self) -> ParseMemo:
        previous = storage.read(self.folder, "parsed", self.version)
        self.parse_memo = ParseMemo(self.index, previous)
        return self.parse_memo

    def template_code(self) -> TemplateCode:
        from .pages import TemplateCode
        if self.code is None:
            self.code = TemplateCode(storage.read(self.folder, "templates", self.version))
        return self.code

    def page_memo(self, writer: Writer) -> PageMemo:
        from .pages import PageMemo
        templates = self.fp.many(
            [(found.path, found.link, self.index.digest(found.path, found.st))
             for folder in self.dirs
             for found in sitefiles.walk(folder, self.roots, with_stat=True).files])
        previous = storage.read(self.folder, self.pages_name, self.version) \
            if self.state is not None else None
        self.memo = PageMemo(self.fp.many((self.key, templates)), previous, writer, self.fp)
        return self.memo

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

    def save(self, *, files: Sequence[OutputFile], writer: Writer, warnings: Sequence[Problem],
             timezone: str, today: dt.date, published: int) -> None:
        """Record what this build read and wrote (after the output is in place)."""
        kinds = [f.kind for f in files]
        if self.parse_memo is not None and self.parse_memo.changed:
            storage.write(self.folder, "parsed", self.version, self.parse_memo.current)
        self.inputs  # noqa: B018 - every input file is in the index before it is saved
        if self.index.changed or self.index.current.keys() != self.index.previous.keys():
            storage.write(self.folder, "inputs", self.version, self.index.snapshot())
        if self.code is not None and self.code.changed:
            storage.write(self.folder, "templates", self.version, self.code.stored)
        manifest = writer.manifest
        memo = self.memo
        if memo is not None:  # apart: a build with nothing to do does not read them
            storage.write(self.folder, self.pages_name, self.version, (memo.pages, memo.fragments))
        if manifest is not None:
            storage.write(self.folder, self.output_name, MANIFEST_FORMAT, manifest.to_plain())
        self._prune()
        storage.write(self.folder, self.name, self.version, {
            "format": 1, "key": self.key, "inputs": self.inputs, "timezone": timezone,
            "today": today.isoformat(), "published": published,

            "summary": (len(files), kinds.count("article"), kinds.count("index"),
                        kinds.count("feed"), _plain_problems(warnings)),
        })


KEEP_OUTPUTS = 4  # records of this many output folders are kept (serve uses new ones)


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


def site_today(now: dt.datetime, tz: dt.tzinfo) -> dt.date:
    """The build's day in the site's time zone: it decides which entries are published."""
    return site_now(now, tz).date()


def summary_line(pages: int, articles: int, index_pages: int, feeds: int, seconds: float,
                 rendered: int, written: int, unchanged: int) -> str:
    """The closing line of a build."""
    return (f"Built {pages} pages ({articles} articles, {index_pages} index pages, "
            f"{feeds} feeds) in {seconds:.1f} s: {rendered} rendered, "
            f"{pages - rendered} unchanged; {written} files written, "
            f"{unchanged} left as they were")


def rendered_pages(files: Sequence[OutputFile]) -> int:
    """How many pages of `files` were rendered (not kept unchanged by the cache)."""
    return sum(1 for f in files if f.kind in ("article", "index") and getattr(f, "rendered", True))

