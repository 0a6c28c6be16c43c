"""Skip rendering a page whose key did not change (see `buildcache.disk`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import jinja2
import jinja2.bccache
from markupsafe import Markup

from ..core.outputs import OutputFile
from ..output.writer import Writer
from ..parallel.rendering import Elsewhere, Share
from . import watched
from .digests import Fingerprinter, Unfingerprintable

_MISSING = "<missing>"


class TemplateCode(jinja2.BytecodeCache):
    """Compiled templates kept in the build cache (checked like every cache file)."""

    def __init__(self, stored: object):
        self.stored: dict[str, tuple[str, bytes]] = stored if isinstance(stored, dict) else {}
        self.changed = False

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        entry = self.stored.get(bucket.key)
        if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == bucket.checksum:
            bucket.bytecode_from_string(entry[1])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.stored[bucket.key] = (bucket.checksum, bucket.bytecode_to_string())
        self.changed = True


class PageMemo:
    """Renders a page only if its key changed or its output file is not intact."""

    def __init__(self, build_key: str, previous: object, writer: Writer,
                 fingerprinter: Fingerprinter):
        self.build_key = build_key
        self.writer = writer
        self.fp = fingerprinter
        pages, fragments = previous if isinstance(previous, tuple) and len(previous) == 2 \
            else ({}, {})
        self.previous_pages: dict[str, tuple] = pages if isinstance(pages, dict) else {}
        self.previous_fragments: dict[str, tuple] = \
            fragments if isinstance(fragments, dict) else {}
        self.pages: dict[str, tuple] = {}
        self.fragments: dict[str, tuple] = {}
        self._tracked: dict[int, dict[str, object]] = {}
        self._whole: dict[str, str] = {}
        self._reads: dict[frozenset, tuple[tuple[str, object], ...]] = {}
        self._reads_known: dict[tuple[int, object], str | None] = {}
        self.rendered = 0
        self.kept = 0
        self.share: Share | None = None  # set while pages are rendered by several processes
        self._claimed = False

    def attach(self, edition: Any, code: TemplateCode | None) -> None:
        """Let `edition` render through this memo, its templates compiled once."""
        edition.memo = self
        if code is not None:
            edition.env.bytecode_cache = code
        for name in edition.env.list_templates(extensions=["html", "xml", "txt"]):
            try:  # before any fork: compiled once, and kept
                edition.env.get_template(name)
            except jinja2.TemplateError:
                pass  # reported if a page uses it, as without the cache

    # -- keys ----------------------------------------------------------------------------
    def _static(self, edition: Any, parts: tuple) -> str | None:
        try:
            return self.fp.many((self.build_key, self.fp(edition),
                                 self.fp(edition.base_context), *parts))
        except Unfingerprintable:
            return None

    def _reads_digest(self, edition: Any, reads: Sequence[tuple[str, object]]) -> str | None:
        """The digest of what `reads` name, now; pages that read the same items (most
        articles read the same few categories) share one computation per build."""
        try:
            known = self._reads_known.get((id(edition), reads), _MISSING)
        except TypeError:  # not hashable (a damaged cache): computed, never remembered
            return self._reads_fresh(edition, reads)
        if known is _MISSING:
            known = self._reads_known[(id(edition), reads)] = self._reads_fresh(edition, reads)
        return known

    def _reads_fresh(self, edition: Any, reads: Sequence[tuple[str, object]]) -> str | None:
        tracked = self._tracked.get(id(edition))
        if tracked is None:
            tracked = self._tracked[id(edition)] = edition.tracked()
        parts: list[object] = []
        try:
            for name, key in reads:
                source = tracked.get(name)
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

    # -- pages ---------------------------------------------------------------------------
    def elsewhere(self, kind: str) -> OutputFile | None:
        """A placeholder if another process renders the next page, else None (this
        process does): lets a caller skip making the context of others' pages."""
        share = self.share
        if share is not None and not share.mine():
            return Elsewhere(share.seen - 1, kind)
        self._claimed = True
        return None

    def _mine(self) -> bool:
        if self._claimed:  # asked already through `elsewhere`
            self._claimed = False
            return True
        return self.share is None or self.share.mine()

    def page(self, edition: Any, template: str, path: str, context: dict[str, object],
             shell: OutputFile) -> OutputFile:
        """The page `shell` describes (its bytes rendered, or kept from the output)."""
        share = self.share
        if not self._mine():  # another process renders it
            return Elsewhere(share.seen - 1, shell.kind)
        rel = shell.path
        static = self._static(edition, (template, path, self._context_digest(shell),
                                        self._context_digest(context)))
        record = self.previous_pages.get(rel)
        if static is not None and record is not None and record[0] == static and \
                self.writer.intact(rel) == record[3] and \
                self._reads_digest(edition, record[1]) == record[2]:
            self.pages[rel] = record
            self.kept += 1
            return self.writer.kept(shell)
        with watched.Recorder() as recorder:
            data = edition.render(template, path, context)
        self.rendered += 1
        item = self.writer.stage(replace(shell, data=data))
        if static is not None:
            reads = self._interned(recorder.reads)
            reads_digest = self._reads_digest(edition, reads)
            if reads_digest is not None:
                self.pages[rel] = (static, reads, reads_digest, item.digest)
        return item

    def output(self, edition: Any, shell: OutputFile, fn: Callable[..., bytes],
               args: tuple) -> OutputFile:
        """The file `shell` describes, its bytes `fn(*args)`: computed only if `fn` or
        `args` changed or the file is not intact (for site-wide files: open data)."""
        share = self.share
        if not self._mine():  # another process makes it
            return Elsewhere(share.seen - 1, shell.kind)
        rel = shell.path
        static = self._static(edition, ("output", self._context_digest(shell), fn, args))
        record = self.previous_pages.get(rel)
        if static is not None and record is not None and record[0] == static and \
                self.writer.intact(rel) == record[3]:
            self.pages[rel] = record
            return self.writer.kept(shell)
        item = self.writer.stage(replace(shell, data=fn(*args)))
        if static is not None:
            self.pages[rel] = (static, (), self.fp.many(()), item.digest)
        return item

    def _interned(self, reads: set[tuple[str, object]]) -> tuple[tuple[str, object], ...]:
        """One tuple for equal sets of reads (most articles read the same few items)."""
        key = frozenset(reads)
        found = self._reads.get(key)
        if found is None:
            found = self._reads[key] = tuple(reads)
        return found

    def _context_digest(self, context: dict[str, object]) -> str | None:
        try:
            return self.fp.fresh(context)
        except Unfingerprintable:
            return None

    # -- fragments -----------------------------------------------------------------------
    def fragment(self, edition: Any, fn: Callable[..., Any], args: tuple) -> Any:
        """`fn(*args)` (a Markup fragment), kept across builds like a page."""
        static = self._static(edition, (fn, args))
        record = self.previous_fragments.get(static) if static is not None else None
        if record is not None and self._reads_digest(edition, record[0]) == record[1]:
            for name, key in record[0]:
                watched.record(name, key)  # whoever includes it read what it read
            self.fragments[static] = record
            return Markup(record[2])
        with watched.Recorder() as recorder:
            value = fn(*args)
        for name, key in recorder.reads:
            watched.record(name, key)
        if static is not None and isinstance(value, str):
            reads = tuple(recorder.reads)
            reads_digest = self._reads_digest(edition, reads)
            if reads_digest is not None:
                self.fragments[static] = (reads, reads_digest, str(value))
        return value
