"""Stored pages: make a file only if what it is made from changed (see `buildcache.disk`).

A file's key is a digest of the build's settings and templates, its recipe's
scope and inputs (`core.caching.Recipe`), and of every item it read from the
watched mappings while it was made (`buildcache.watched`). Making is a function
of exactly these, so an equal key and an intact output file mean equal bytes:
the file is kept as it is. A recipe holding a value that cannot be digested is
always made, never kept. `WarmRecords` (the preview's, `buildcache.memory`) can make
the pages being viewed ahead of the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import TypeVar

from ..core.caching import Recipe, Stager, Task
from ..core.outputs import OutputFile, file_digest
from ..parallel import rendering
from . import watched
from .valuedigests import Fingerprinter, Unfingerprintable

T = TypeVar("T")
_MISSING = "<missing>"
Reads = tuple[tuple[str, object], ...]
PageRecord = tuple[str, Reads, str, str]  # key, reads, digest of what they read, file digest


class PageRecords:
    """What the files of a build were made from, and the last build's records to compare."""

    def __init__(self, build_key: str, previous: object,
                 carried: dict[int, tuple[object, str]] | None = None):
        self.build_key = build_key
        self.fp = Fingerprinter(carried)
        pages, fragments = previous if isinstance(previous, tuple) and len(previous) == 2 \
            else ({}, {})
        self.previous_pages: dict[str, PageRecord] = pages if isinstance(pages, dict) else {}
        self.previous_fragments: dict[str, tuple] = \
            fragments if isinstance(fragments, dict) else {}
        self.pages: dict[str, PageRecord] = {}
        self.fragments: dict[str, tuple] = {}
        self.watched: dict[str, object] = {}  # name -> the mapping pages read it from
        self._whole: dict[str, str] = {}
        self._reads: dict[frozenset, Reads] = {}
        self._reads_known: dict[Reads, str | None] = {}
        self._interned: dict[frozenset, frozenset] = {}
        self.stage: Stager | None = None  # while files are made

    # -- what stages call -----------------------------------------------------------------
    def watch(self, name: str, mapping: dict) -> dict:
        tracked = watched.Tracked(name, mapping)
        self.watched[name] = tracked
        return tracked

    def recorded(self, make: Callable[[], T]) -> tuple[T, frozenset]:
        value, reads = watched.recorded(make)
        return value, self._interned.setdefault(reads, reads)  # few distinct sets: one each

    def render(self, tasks: Callable[[], Iterable[Task]], stage: Stager, processes: int,
               each: Callable[[OutputFile], None] | None) -> list[OutputFile]:
        self.stage = stage
        try:
            return rendering.render_pages(tasks, self, processes, each)
        finally:
            self.stage = None

    # -- keys ----------------------------------------------------------------------------
    def _key(self, scope: object, parts: Sequence[object]) -> str | None:
        try:
            return self.fp.many((self.build_key, self.fp(scope),
                                 *(self.fp.fresh(part) for part in parts)))
        except Unfingerprintable:
            return None

    def _reads_digest(self, reads: Reads) -> str | None:
        """The digest of what `reads` name, now; files that read the same items (most
        articles read the same few categories) share one computation per build."""
        try:
            known = self._reads_known.get(reads, _MISSING)
        except TypeError:  # not hashable (a damaged cache): computed, never remembered
            return self._reads_fresh(reads)
        if known is _MISSING:
            known = self._reads_known[reads] = self._reads_fresh(reads)
        return known

    def _reads_fresh(self, reads: Reads) -> str | None:
        parts: list[object] = []
        try:
            for name, key in reads:
                source = self.watched.get(name)
                if source is None:
                    return None
                if key == watched.ALL:
                    parts.append(self._whole_digest(name, source))
                else:
                    parts.append(name)
                    parts.append(key)
                    value = dict.get(source, key, _MISSING) if isinstance(source, dict) \
                        else _MISSING
                    parts.append(self.fp(value))
            return self.fp.many(parts)
        except (Unfingerprintable, TypeError):
            return None

    def _whole_digest(self, name: str, source: object) -> str:
        known = self._whole.get(name)
        if known is None:
            if isinstance(source, dict):
                known = self.fp.fresh(dict(dict.items(source)))
            else:
                known = self.fp(source)
            self._whole[name] = known
        return known

    def _interned_reads(self, reads: set[tuple[str, object]]) -> Reads:
        """One tuple for equal sets of reads (most articles read the same few items)."""
        key = frozenset(reads)
        found = self._reads.get(key)
        if found is None:
            found = self._reads[key] = tuple(reads)
        return found

    # -- files (parallel.rendering.Maker) ------------------------------------------------
    def make(self, recipe: Recipe) -> OutputFile:
        """The recipe's file: kept if its key is the last build's and the output file is
        intact, else made and staged."""
        key, kept = self.unchanged(recipe)
        if kept is not None:
            return kept
        data, reads = self.made(recipe)
        return self.staged(recipe, key, data, reads)

    def unchanged(self, recipe: Recipe) -> tuple[str | None, OutputFile | None]:
        """The recipe's key, and its file kept as it is if the key is the last build's,
        what the file read then is unchanged and the output file is intact."""
        stage = self.stage
        assert stage is not None, "files are made only while rendering"
        rel = recipe.file.path
        key = self._key(recipe.scope, (recipe.file, *recipe.inputs))
        record = self.previous_pages.get(rel)
        if key is not None and record is not None and record[0] == key and \
                stage.intact(rel) == record[3] and self._reads_digest(record[1]) == record[2]:
            self.pages[rel] = record
            return key, stage.kept(recipe.file)
        return key, None

    @staticmethod
    def made(recipe: Recipe) -> tuple[bytes, set[tuple[str, object]]]:
        """The recipe's bytes, and what they read from the watched mappings."""
        with watched.Recorder() as recorder:
            data = recipe.make()
        return data, recorder.reads

    def staged(self, recipe: Recipe, key: str | None, data: bytes,
               reads: set[tuple[str, object]]) -> OutputFile:
        """The file made of `data`, staged, and its record (under `key`) kept."""
        assert self.stage is not None, "files are made only while rendering"
        item = self.stage.stage(replace(recipe.file, data=data))
        if key is not None:
            interned = self._interned_reads(reads)
            reads_digest = self._reads_digest(interned)
            if reads_digest is not None:
                self.pages[recipe.file.path] = (key, interned, reads_digest,
                                                item.digest)  # type: ignore[attr-defined]
        return item

    def last_digest(self, path: str) -> str | None:
        """The digest of the file the last build made at `path`, if it kept its record."""
        record = self.previous_pages.get(path)
        return record[3] if record is not None else None

    def forked(self) -> None:
        self.pages = {}

    def learned(self) -> object:
        return self.pages

    def learn(self, news: object) -> None:
        if isinstance(news, dict):
            self.pages.update(news)

    def adopt(self, item: OutputFile) -> OutputFile:
        assert self.stage is not None
        return self.stage.adopt(item)

    # -- fragments -----------------------------------------------------------------------
    def fragment(self, scope: object, inputs: tuple[object, ...],
                 make: Callable[[], str]) -> str:
        """`make()` (a piece of markup), kept across builds like a page (as its text)."""
        key = self._key(scope, inputs)
        record = self.previous_fragments.get(key) if key is not None else None
        if record is not None and self._reads_digest(record[0]) == record[1]:
            watched.replay(frozenset(record[0]))  # whoever includes it read what it read
            self.fragments[key] = record  # type: ignore[index]
            return record[2]
        value, reads = watched.recorded(make)
        if key is not None and isinstance(value, str):
            kept = tuple(reads)
            reads_digest = self._reads_digest(kept)
            if reads_digest is not None:
                self.fragments[key] = (kept, reads_digest, str(value))
        return value


class WarmRecords(PageRecords):
    """Page records that can make some pages ahead of the others (`early`): made, not
    staged, so that nothing but the page itself is needed (the output folder is checked
    when the first page is staged); each is staged when the build reaches it."""

    def __init__(self, build_key: str, previous: object,
                 carried: dict[int, tuple[object, str]] | None = None):
        super().__init__(build_key, previous, carried)
        # path -> the page kept, or (key, bytes, reads) of the page made early
        self.ahead: dict[str, OutputFile | tuple] = {}

    def early(self, recipe: Recipe, stage: Stager) -> bytes | None:
        """Make the recipe's page now; its bytes if they differ from the last build's."""
        self.stage = stage
        try:
            key, kept = self.unchanged(recipe)
        finally:
            self.stage = None
        path = recipe.file.path
        if kept is not None:
            self.ahead[path] = kept
            return None
        data, reads = self.made(recipe)
        self.ahead[path] = (key, data, reads)
        return data if file_digest(data) != self.last_digest(path) else None

    def make(self, recipe: Recipe) -> OutputFile:
        made = self.ahead.pop(recipe.file.path, None)
        if made is None:
            return super().make(recipe)
        if isinstance(made, tuple):
            key, data, reads = made
            return self.staged(recipe, key, data, reads)
        return made
