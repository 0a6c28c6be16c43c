"""Write the built site atomically.

Stage 5 of the pipeline. Files are staged in a temporary folder beside the
output folder as they are rendered, and the output changes only once every
file is there; on any error or interruption the old output stays exactly as
it was. Files whose bytes did not change are never rewritten, so they keep
their modification times and deploy tools upload only what changed.

The staged files reach the output in one of three ways:

- fresh: there is no output yet; the staging folder is renamed to it.
- swap: the staging folder holds the whole site (unchanged files hard-linked
  from the old output) and replaces the old output folder whole.
- update: the build cache vouches for the old output (`Manifest`: every file's
  digest and `stat`, checked at the start of the build), so only changed
  files were staged. They are renamed into place, and files that are no
  longer part of the site are removed, with SIGINT and SIGTERM held back; if
  a step fails, the steps done are undone in reverse before the error is
  raised. Each file is replaced by a rename, so a reader sees either its old
  or its new bytes; unlike a swap, a reader may see some files new and others
  still old while the update runs (milliseconds).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..core.outputs import OutputFile, check_relative, file_digest
from ..core.problems import ContentError
from ..source import sitefiles
from .folder import KEPT, Manifest, OutputCheck, OutputError, StatKey, check_output


@dataclass(frozen=True)
class WriteReport:
    written: int
    unchanged: int


def _place(tmp: Path, old: Path, item: OutputFile) -> bool:
    """Put one file into the new tree; return True if it was (re)written."""
    rel = check_relative(item.path)
    target = tmp / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    previous = old / rel
    try:
        if previous.is_file() and not previous.is_symlink() and \
                previous.stat().st_size == len(item.data) and previous.read_bytes() == item.data:
            try:
                os.link(previous, target)
            except OSError:
                shutil.copy2(previous, target)
            return False
    except OSError:
        pass
    target.write_bytes(item.data)
    return True


def _static_files(static: Path, roots: tuple[str, ...] | None = None) -> list[OutputFile]:
    """content/static/ as files of the site: regular files inside the site only (the
    loader reported anything else; one that appeared since stops the build)."""
    listing = sitefiles.walk(static, roots if roots is not None else
                           sitefiles.real_roots([static.parent]))
    if listing.refused:
        raise ContentError(sitefiles.problems(listing, static.parent))
    return [OutputFile(found.rel, sitefiles.read_regular(found.path), "static")
            for found in listing.files]


def _key(st: os.stat_result) -> StatKey:
    return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)


class StagedFile(OutputFile):
    """A file of the new site already on disk: staged, or unchanged in the output.

    It carries its digest instead of its bytes, so memory stays flat however
    many pages the site has; `data` reads the bytes back if anything asks.
    `rendered` is False for a page the build cache let the build skip;
    `placed` is True if the file went through `_place` (written or linked).
    """

    def __init__(self, like: OutputFile, digest: str, changed: bool,
                 writer: Writer | None = None, rendered: bool = True, placed: bool = False):
        for f in dataclasses.fields(OutputFile):
            if f.name != "data":
                object.__setattr__(self, f.name, getattr(like, f.name))
        for name, value in (("digest", digest), ("changed", changed), ("writer", writer),
                            ("rendered", rendered), ("placed", placed)):
            object.__setattr__(self, name, value)

    @property
    def data(self) -> bytes:  # type: ignore[override]
        if self.writer is None:
            raise OutputError(f"the bytes of {self.path} are not at hand")
        return self.writer.location(self).read_bytes()

    def shell(self) -> OutputFile:
        """The file's description without its bytes."""
        return OutputFile(**{f.name: b"" if f.name == "data" else getattr(self, f.name)
                             for f in dataclasses.fields(OutputFile)})

    def __reduce__(self):
        return (StagedFile, (self.shell(), self.digest, self.changed, None, self.rendered,
                             self.placed))

    def bind(self, writer: Writer) -> StagedFile:
        object.__setattr__(self, "writer", writer)
        return self


def _held_signals() -> contextlib.AbstractContextManager:
    """Hold SIGINT and SIGTERM back (delivered on exit) while the output is updated."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - POSIX only
        return contextlib.nullcontext()

    @contextlib.contextmanager
    def held() -> Iterator[None]:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        try:
            yield
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)
    return held()


def _parents(path: str, into: set[str]) -> None:
    parent = os.path.dirname(path)
    while parent not in into:
        into.add(parent)
        parent = os.path.dirname(parent)


class Writer:
    """Stages the files of a new site, then puts them in place all at once.

    With the manifest of the last build, and an output folder that still
    matches it, the output is updated in place; otherwise it is replaced whole.
    """

    def __init__(self, output: Path, manifest: Manifest | None = None):
        self.output = output
        self.before = manifest
        output.parent.mkdir(parents=True, exist_ok=True)
        self.staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
        self.manifest: Manifest | None = None  # after the commit
        self._committed = False
        self._touched_dirs: set[str] = {""}

    @cached_property
    def check(self) -> OutputCheck:
        """Which files of the output folder are as the last build left them (looked at
        when the first file is staged, kept or asked about)."""
        return check_output(self.output, self.before)

    @cached_property
    def mode(self) -> str:
        """"update" (the output folder is as the last build left it: changed files are
        replaced in place), "swap" (it is replaced whole) or "fresh" (there is none)."""
        return "update" if self.check.usable else ("swap" if self.output.exists() else "fresh")

    @property
    def updating(self) -> bool:
        """Whether files may be left out of the staging folder, kept as they are."""
        return self.mode == "update"

    def intact(self, path: str) -> str | None:
        """The digest of the output file at `path` if it is exactly what was recorded."""
        return self.check.intact.get(path) if self.updating else None

    def adopt(self, item: OutputFile) -> OutputFile:
        """A file another process staged (in this writer's staging folder), now this
        process's."""
        return item.bind(self) if isinstance(item, StagedFile) else item

    def kept(self, shell: OutputFile) -> StagedFile:
        """A file left as it is in the output (the caller knows its bytes would not change)."""
        digest = self.intact(shell.path)
        assert digest is not None, shell.path
        return StagedFile(shell, digest, False, self, rendered=False)

    def stage(self, item: OutputFile) -> StagedFile:
        """Put one file of the new site in the staging folder (or note it unchanged)."""
        if isinstance(item, StagedFile):
            return item
        check_relative(item.path)
        data = item.data
        digest = file_digest(data)
        if self.updating and self.check.intact.get(item.path) == digest:
            return StagedFile(item, digest, False, self)
        changed = _place(self.staging, self.output, item)
        return StagedFile(item, digest, changed, self, placed=True)

    def location(self, item: StagedFile) -> Path:
        """Where the bytes of a file of the new site are now."""
        if not self._committed and (item.changed or (item.placed and not self.updating)):
            return self.staging / item.path
        return self.output / item.path

    def abort(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def commit(self, files: list[StagedFile]) -> WriteReport:
        """Make `files` (every file of the new site, staged or kept) the output folder."""
        seen: set[str] = set()
        for item in files:
            if item.path in seen:
                raise OutputError(f"two files would be written to {item.path}")
            seen.add(item.path)
        try:
            if self.updating:
                self._update(files)
            else:
                self._replace()
            self._committed = True
        finally:
            shutil.rmtree(self.staging, ignore_errors=True)
        self.manifest = self._measure(files)
        written = sum(1 for item in files if item.changed)
        return WriteReport(written=written, unchanged=len(files) - written)

    # -- fresh and swap ------------------------------------------------------------------
    def _replace(self) -> None:
        """Swap the staging folder in; a `.git` folder in the old output moves across."""
        tmp, output = self.staging, self.output
        tmp.chmod(0o755)
        retired = None
        try:
            with _held_signals():
                git = output / KEPT
                kept = os.path.lexists(git)
                if kept:
                    os.rename(git, tmp / KEPT)
                try:
                    if output.exists():
                        retired = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-",
                                                        dir=output.parent))
                        retired.rmdir()
                        output.rename(retired)
                    try:
                        tmp.rename(output)
                    except BaseException:
                        if retired is not None:
                            retired.rename(output)
                            retired = None
                        raise
                except BaseException:
                    if kept:  # the old output is in place again: so is its .git
                        os.rename(tmp / KEPT, git)
                    raise
        finally:  # signals are delivered again while the old site is deleted
            if retired is not None:
                shutil.rmtree(retired, ignore_errors=True)

    # -- update in place -----------------------------------------------------------------
    def _update(self, files: list[StagedFile]) -> None:
        base = str(self.output)
        wanted = {item.path for item in files}
        wanted_dirs = {""}
        for path in wanted:
            _parents(path, wanted_dirs)
        backup = self.staging / ".backup"
        backup.mkdir()
        undo: list[tuple[str, str, str]] = []  # (action, path, saved copy)
        touched = self._touched_dirs

        def save(path: str, move: bool) -> str:
            saved = f"{backup}/{len(undo)}"
            (os.rename if move else os.link)(path, saved)
            return saved

        with _held_signals():
            try:
                for item in files:
                    if not item.changed:
                        continue
                    target = f"{base}/{item.path}"
                    self._make_parents(item.path, undo, save)
                    if os.path.lexists(target):
                        moved = os.path.isdir(target) and not os.path.islink(target)
                        undo.append(("restore", target, save(target, moved)))
                    else:
                        undo.append(("remove", target, ""))
                    os.rename(self.staging / item.path, target)
                    _parents(item.path, touched)
                gone = [rel for rel in (self.before.files if self.before else ())
                        if rel not in wanted and rel not in wanted_dirs]
                gone += self._strays(wanted, wanted_dirs)
                for rel in sorted(set(gone), key=lambda r: (-r.count("/"), r)):
                    target = f"{base}/{rel}"
                    if not os.path.lexists(target):
                        continue
                    undo.append(("restore", target, save(target, True)))
                    _parents(rel, touched)
                    self._prune(os.path.dirname(rel), wanted_dirs, undo)
            except BaseException:
                self._undo(undo)
                raise

    @staticmethod
    def _undo(undo: list[tuple[str, str, str]]) -> None:
        for action, target, saved in reversed(undo):
            with contextlib.suppress(OSError):
                if action == "restore":
                    os.replace(saved, target)
                elif action == "remove":
                    os.unlink(target)
                elif action == "rmdir":
                    os.rmdir(target)
                elif action == "mkdir":
                    os.mkdir(target)

    def _make_parents(self, rel: str, undo: list[tuple[str, str, str]],
                      save: Callable[[str, bool], str]) -> None:
        """Make the folders `rel` needs; a file (or link) in the way, added by hand, is
        moved aside (and back on failure), as a clean build would not have it."""
        current = str(self.output)
        for part in rel.split("/")[:-1]:
            current = f"{current}/{part}"
            if os.path.isdir(current) and not os.path.islink(current):
                continue
            if os.path.lexists(current):
                undo.append(("restore", current, save(current, True)))
            os.mkdir(current)
            undo.append(("rmdir", current, ""))

    def _prune(self, rel: str, wanted_dirs: set[str], undo: list[tuple[str, str, str]]) -> None:
        """Remove folders left empty that the new site does not have."""
        while rel and rel not in wanted_dirs:
            path = f"{self.output}/{rel}"
            try:
                os.rmdir(path)
            except OSError:
                return
            undo.append(("mkdir", path, ""))
            _parents(rel, self._touched_dirs)
            rel = os.path.dirname(rel)

    def _strays(self, wanted: set[str], wanted_dirs: set[str]) -> list[str]:
        """Entries the new site does not have, in folders changed since the last build."""
        found = []
        for rel in sorted(self.check.dirty_dirs):
            self._touched_dirs.add(rel)
            folder = f"{self.output}/{rel}" if rel else str(self.output)
            try:
                names = os.listdir(folder)
            except OSError:
                continue
            for name in names:
                path = f"{rel}/{name}" if rel else name
                if path not in wanted and path not in wanted_dirs and path != KEPT:
                    found.append(path)
        return found

    # -- the manifest after writing ------------------------------------------------------
    def _measure(self, files: list[StagedFile]) -> Manifest:
        base = str(self.output) + "/"
        old = self.before if self.updating else None
        manifest = Manifest()
        dirs = {""}
        for item in files:
            _parents(item.path, dirs)
            if old is not None and not item.placed:
                previous = old.files.get(item.path)
                if previous is not None and previous[0] == item.digest:
                    manifest.files[item.path] = previous
                    continue
            st = os.lstat(base + item.path)
            manifest.files[item.path] = (item.digest, _key(st))
            _parents(item.path, self._touched_dirs)
        for rel in dirs:
            if old is not None and rel not in self._touched_dirs and rel in old.dirs:
                manifest.dirs[rel] = old.dirs[rel]
                continue
            st = os.lstat(base + rel if rel else str(self.output))
            manifest.dirs[rel] = (st.st_mtime_ns, st.st_ino)
        return manifest


def write_site(files: list[OutputFile], static: Path, writer: Writer,
               roots: tuple[str, ...] | None = None) -> WriteReport:
    """Write `files` (plus `static/` verbatim) as the new content of the writer's output
    folder; `roots` are the folders links in `static/` may lead into (default: the
    content folder)."""
    try:
        staged = [writer.stage(item) for item in _static_files(static, roots) + files]
        return writer.commit(staged)
    except BaseException:
        writer.abort()
        raise
