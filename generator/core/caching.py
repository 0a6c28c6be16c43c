"""The build cache as the build and the stages see it: one interface, and a do-nothing one.

A build receives a `BuildCache`; the stages call only its methods and never
know how it keeps what it keeps (drawdesk's own, `buildcache.DiskCache`,
keeps digests, parsed entries and page records in `.drawdesk/`; `NoCache`
keeps nothing, and every build with it is a clean build). Pages are
described as `Task`s, each saying what its bytes are made from; the cache
runs them, and may skip one whose inputs did not change, as doit runs tasks.

- the build: `unchanged` (nothing to do?), `last_output`, `save`;
- source: `parsed` (what entry files held, by content);
- derive and present: `incremental` (what the last good build made, in a process
  that keeps it: the derived site, the entries);
- present: `watch` (site-wide mappings whose reads pages depend on),
  `recorded` and `replay` (a piece made once and used by many pages),
  `fragment` (a piece kept across builds), `stored` (compiled templates);
- rendering: `render` (the page tasks, run or kept);
- a long-running preview server: `changed` (input files edited since the
  last build, as its file watcher reports them).

The same interface serves a one-shot build, which reads the cache at its
start and saves it at its end, and a warm preview server, which keeps one
cache object between builds and tells it which inputs changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol, TypeVar

from .outputs import Manifest, OutputFile
from .problems import Problem

T = TypeVar("T")
U = TypeVar("U")
Reads = frozenset  # what a piece of output read from watched mappings (opaque to stages)


@dataclass(frozen=True)
class Summary:
    """What a build produced, as its closing line reports it."""

    files: int
    articles: int
    index_pages: int
    feeds: int
    rendered: int  # pages rendered this time (the others were unchanged)
    written: int  # files written, static files included
    kept: int  # files left as they were, static files included
    warnings: tuple[Problem, ...]
    notes: tuple[str, ...] = ()  # what the closing line adds (where robots.txt must go)

    @property
    def pages(self) -> int:
        return self.articles + self.index_pages


@dataclass(frozen=True)
class Recipe:
    """How to make one file, and what its bytes depend on.

    `make()` must be a function of `scope`, `inputs` and the items it reads
    from watched mappings (see `BuildCache.watch`), and of nothing else: the
    cache keeps the file as it is when none of them changed.
    """

    file: OutputFile  # the file's description, its data empty
    scope: object  # settings shared by many files (an edition's), digested once a build
    inputs: tuple[object, ...]  # what this file alone is made from
    make: Callable[[], bytes]


@dataclass(frozen=True)
class Task:
    """One file to make: its kind, and its recipe, prepared only by the process that makes
    it (a page's context costs time to build)."""

    kind: str
    prepare: Callable[[], Recipe]


class Stager(Protocol):
    """Where made files go until the whole site is there (the output stage's writer)."""

    def stage(self, item: OutputFile) -> OutputFile:
        """Put a made file aside for the new site."""
        ...

    def kept(self, item: OutputFile) -> OutputFile:
        """A file left as it is in the output (its bytes would not change)."""
        ...

    def intact(self, path: str) -> str | None:
        """The digest of the output file at `path`, if it is as the last build left it."""
        ...

    def adopt(self, item: OutputFile) -> OutputFile:
        """A file another process staged, now this process's."""
        ...


ParseMany = Callable[[list[tuple[int, bytes | None]]], list[tuple[object, bool]]]


class BuildCache(Protocol):
    """What a build and its stages may ask of a build cache."""

    # -- the build ------------------------------------------------------------------
    def unchanged(self) -> Summary | None:
        """The last build's summary if this build would write the same output, else None."""
        ...

    def last_output(self) -> Manifest | None:
        """The output folder as the last build left it, if known."""
        ...

    def save(self, summary: Summary, manifest: Manifest | None, *, timezone: str,
             today: dt.date, published: int) -> None:
        """Keep what this build read and wrote, for the next one (after the output is in
        place)."""
        ...

    # -- source ---------------------------------------------------------------------
    def parsed(self, files: Sequence[tuple[str, Hashable]], parse: ParseMany,
               finish: Callable[[object], U]) -> list[U]:
        """`finish` of what `parse` makes of each file, given as (path, variant): a file
        whose bytes and variant are those of a file parsed before may not be parsed
        again. `parse` gets the files to parse, as (index in `files`, their bytes if
        already read, else None), and returns (value, keep) for each: plain data, and
        whether it may be reused. `finish` turns a value into what the stage works with
        (a function of the value alone: a cache that keeps values in this process may
        keep what `finish` made of one, as long as it keeps the value)."""
        ...

    # -- derive and present ---------------------------------------------------------
    def incremental(self, name: str, make: Callable[[object | None], T]) -> T:
        """`make(before)`, where `before` is what `make` returned under `name` in this
        process's last good build if the cache keeps it (a cache kept in memory), else
        None: the stage may take from it what did not change, and must make the same
        value either way."""
        ...

    # -- present --------------------------------------------------------------------
    def watch(self, name: str, mapping: dict) -> dict:
        """`mapping`, as pages read it: a page depends on the items it reads from it, not
        on the whole (`name` is unique in the build)."""
        ...

    def recorded(self, make: Callable[[], T]) -> tuple[T, Reads]:
        """`make()` and what it read from watched mappings, to `replay` where it is used."""
        ...

    def replay(self, *reads: Reads) -> None:
        """Count `reads` as read by the file being made (a piece `recorded` earlier)."""
        ...

    def fragment(self, scope: object, inputs: tuple[object, ...],
                 make: Callable[[], str]) -> str:
        """`make()` (a piece of markup, its text), which may be kept from an earlier build:
        it must be a function of `scope`, `inputs` and what it reads from watched
        mappings."""
        ...

    def stored(self, name: str) -> dict | None:
        """A mapping kept between builds under `name` (compiled templates), or None."""
        ...

    # -- rendering ------------------------------------------------------------------
    def render(self, tasks: Callable[[], Iterable[Task]], stage: Stager, processes: int = 1,
               each: Callable[[OutputFile], None] | None = None) -> list[OutputFile]:
        """The file of every task of `tasks()`, in order, each staged (or kept) by
        `stage`; `each` is called with every file as this process gets to it."""
        ...

    # -- a long-running preview server ---------------------------------------------
    def changed(self, paths: Iterable[str]) -> None:
        """Input files changed, were added or removed since the last build."""
        ...


class NoCache:
    """A build cache that keeps nothing: every build is a clean build."""

    def unchanged(self) -> Summary | None:
        return None

    def last_output(self) -> Manifest | None:
        return None

    def save(self, summary: Summary, manifest: Manifest | None, *, timezone: str,
             today: dt.date, published: int) -> None:
        pass

    def parsed(self, files: Sequence[tuple[str, Hashable]], parse: ParseMany,
               finish: Callable[[object], U]) -> list[U]:
        return [finish(value)
                for value, _ in parse([(index, None) for index in range(len(files))])]

    def incremental(self, name: str, make: Callable[[object | None], T]) -> T:
        return make(None)

    def watch(self, name: str, mapping: dict) -> dict:
        return mapping

    def recorded(self, make: Callable[[], T]) -> tuple[T, Reads]:
        return make(), frozenset()

    def replay(self, *reads: Reads) -> None:
        pass

    def fragment(self, scope: object, inputs: tuple[object, ...],
                 make: Callable[[], str]) -> str:
        return make()

    def stored(self, name: str) -> dict | None:
        return None

    def render(self, tasks: Callable[[], Iterable[Task]], stage: Stager, processes: int = 1,
               each: Callable[[OutputFile], None] | None = None) -> list[OutputFile]:
        made = []
        for task in tasks():
            recipe = task.prepare()
            item = stage.stage(replace(recipe.file, data=recipe.make()))
            if each is not None:
                each(item)
            made.append(item)
        return made

    def changed(self, paths: Iterable[str]) -> None:
        pass


NO_CACHE = NoCache()
