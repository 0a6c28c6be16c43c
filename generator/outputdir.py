"""The output folder as the last build left it: locks, safety checks, the manifest.

Kept apart from `generator.write` (which needs the renderer) so that a build
with nothing to do can check the output folder without loading Jinja.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

StatKey = tuple[int, int, int, int]  # size, mtime_ns, inode, ctime_ns


class OutputError(Exception):
    """The output folder cannot be written safely."""


@contextlib.contextmanager
def output_lock(output: Path) -> Iterator[None]:
    """Hold an exclusive lock so two builds never interleave in one folder."""
    output.parent.mkdir(parents=True, exist_ok=True)
    lock_path = output.parent / f".{output.name}.lock"
    with open(lock_path, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise OutputError(f"another build is writing {output} (lock: {lock_path}); "
                                  "try again when it has finished") from None
            raise
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def check_output_folder(output: Path, protected: Iterable[Path]) -> None:
    """Refuse an output folder that would overwrite the sources or the system."""
    target = output.resolve()
    if target == Path(target.anchor) or target == Path.home().resolve():
        raise OutputError(f"refusing to write the site into {output}")
    for folder in protected:
        folder = folder.resolve()
        if target == folder or folder.is_relative_to(target) or target.is_relative_to(folder):
            raise OutputError(f"output folder {output} overlaps {folder}; choose another folder")
    if output.exists() and not output.is_dir():
        raise OutputError(f"{output} exists and is not a folder")


@dataclass
class Manifest:
    """What the output folder held after the last build: files and folders with their stat."""

    files: dict[str, tuple[str, StatKey]] = field(default_factory=dict)  # path: digest, stat
    dirs: dict[str, tuple[int, int]] = field(default_factory=dict)  # '' is the folder itself

    def to_plain(self) -> tuple[dict, dict]:
        return self.files, self.dirs

    @classmethod
    def from_plain(cls, plain: object) -> Manifest | None:
        if not (isinstance(plain, tuple) and len(plain) == 2 and
                all(isinstance(x, dict) for x in plain)):
            return None
        return cls(plain[0], plain[1])


@dataclass
class OutputCheck:
    """The old output measured against its manifest."""

    intact: dict[str, str]  # files exactly as recorded: path -> digest
    dirty_dirs: set[str]  # folders whose entries changed since (may hold strays)
    usable: bool  # False if the output cannot be updated in place (swap instead)


def check_output(output: Path, manifest: Manifest | None) -> OutputCheck:
    """Which recorded files are still exactly what the last build wrote."""
    if manifest is None or not output.is_dir() or output.is_symlink():
        return OutputCheck({}, set(), False)
    base = str(output) + "/"
    lstat = os.lstat
    intact: dict[str, str] = {}
    for rel, (digest, key) in manifest.files.items():
        try:
            st = lstat(base + rel)
        except OSError:
            continue
        if (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns) == key:
            intact[rel] = digest
        elif not stat.S_ISREG(st.st_mode):
            return OutputCheck({}, set(), False)
    dirty: set[str] = set()
    for rel, (mtime, ino) in manifest.dirs.items():
        try:
            st = lstat(base + rel if rel else str(output))
        except OSError:
            continue
        if not stat.S_ISDIR(st.st_mode):
            return OutputCheck({}, set(), False)
        if st.st_mtime_ns != mtime or st.st_ino != ino:
            dirty.add(rel)
    if "" not in manifest.dirs:
        return OutputCheck({}, set(), False)
    return OutputCheck(intact, dirty, True)


