"""The output folder as the last build left it: locks, safety checks, the manifest.

Kept apart from `output.writer` (which needs the renderer) so that a build
with nothing to do can check the output folder without loading Jinja.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import shutil
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..core.outputs import Manifest, StatKey  # noqa: F401 - part of this module's interface


class OutputError(Exception):
    """The output folder cannot be written safely."""


@contextlib.contextmanager
def output_lock(output: Path) -> Iterator[None]:
    """Hold an exclusive lock so two builds never interleave in one folder. The lock is a
    hidden file beside the folder (`.output.lock` for output/: git-ignore it), the one
    place every build into that folder sees, whatever its content folder."""
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


# Folders of the file system's root that hold the system or other people's files.
SYSTEM_FOLDERS = frozenset({
    "bin", "boot", "dev", "etc", "home", "lib", "lib32", "lib64", "libx32", "lost+found",
    "media", "mnt", "opt", "proc", "root", "run", "sbin", "snap", "srv", "sys", "tmp", "usr",
    "var", "Applications", "Library", "System", "Users", "Volumes", "private", "cores"})
KEPT = ".git"  # a deploy checkout inside the output folder: never replaced or removed
# The mark every drawdesk build leaves (every version so far): its feeds name it.
_MARK = re.compile(rb"<generator[^>]*>drawdesk</generator>")


def describe(exc: OSError) -> str:
    """An operating system error as one line: the path(s) and the reason."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    paths = [str(p) for p in (exc.filename, exc.filename2) if p is not None]
    return f"{' -> '.join(paths)}: {reason}" if paths else reason


def check_output_folder(output: Path, protected: Iterable[Path]) -> None:
    """Refuse, whatever the options, an output folder whose replacement would destroy
    what is not a site: the file system root, a top-level folder (/usr, /etc...), the
    home folder or a folder holding it, a `.git` folder or one inside it, a folder
    overlapping the sources (`protected`), a mount point, a link, a file."""
    target = Path(os.path.realpath(output))
    home = Path(os.path.realpath(Path.home()))
    if any(path == Path(path.anchor) or (path.parent == Path(path.anchor) and
                                         path.name in SYSTEM_FOLDERS)
           for path in (target, Path(os.path.abspath(output)))):
        raise OutputError(f"refusing to write the site into {output} (a system folder); "
                          "choose a folder of its own, such as ./output")
    if target == home or home.is_relative_to(target):
        raise OutputError(f"refusing to write the site into {output} (it holds your home "
                          "folder); choose a folder of its own, such as ./output")
    if KEPT in target.parts:
        raise OutputError(f"refusing to write the site into {output} (a Git repository's "
                          "own folder); choose a folder of its own, such as ./output")
    for folder in protected:
        folder = Path(os.path.realpath(folder))
        if target == folder or folder.is_relative_to(target) or target.is_relative_to(folder):
            raise OutputError(f"output folder {output} overlaps {folder}; choose another folder")
    if os.path.islink(output):
        raise OutputError(f"{output} is a symbolic link (to {os.readlink(output)}); give the "
                          f"folder itself (--output {target})")
    if output.exists() and not output.is_dir():
        raise OutputError(f"{output} exists and is not a folder")
    if output.is_dir() and os.path.ismount(output):
        raise OutputError(f"{output} is a mount point, which cannot be replaced whole as a "
                          f"build does; give a folder inside it (--output {output / 'site'})")


def built_by_drawdesk(output: Path) -> bool:
    """Whether `output` holds a site drawdesk built (its feeds name their generator:
    feed.xml, or LANG/feed.xml on a site with several editions)."""
    candidates = [output / "feed.xml"]
    try:
        with os.scandir(output) as entries:
            candidates += [Path(e.path) / "feed.xml" for e in entries
                           if e.is_dir(follow_symlinks=False) and e.name != KEPT]
    except OSError:
        return False
    for path in candidates:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | os.O_NOFOLLOW)
        except OSError:
            continue
        try:
            if stat.S_ISREG(os.fstat(fd).st_mode) and _MARK.search(os.read(fd, 8192)):
                return True
        finally:
            os.close(fd)
    return False


def check_ownership(output: Path, force: bool = False) -> None:
    """Refuse to replace a folder drawdesk did not build, unless `force`: a build
    replaces a missing or empty folder (`.git` aside), or one it built before."""
    try:
        names = [name for name in os.listdir(output) if name != KEPT]
    except FileNotFoundError:
        return
    except OSError as exc:
        raise OutputError(f"cannot read the output folder: {describe(exc)}") from None
    if not names or force or built_by_drawdesk(output):
        return
    shown = ", ".join(sorted(names)[:3]) + (", ..." if len(names) > 3 else "")
    raise OutputError(f"{output} holds files drawdesk did not write ({shown}); a build "
                      "replaces the whole folder, so give an empty or new folder, or run "
                      "again with --force to replace its content (a .git folder in it is "
                      "kept)")


def clear_leftovers(output: Path) -> None:
    """Remove the staging folders a killed build left beside `output`; if it was killed
    after moving the old output aside, put that back first, and its `.git` folder too."""
    parent = output.parent
    new, old = f".{output.name}.new-", f".{output.name}.old-"
    try:
        found = [parent / name for name in sorted(os.listdir(parent))
                 if name.startswith((new, old))]
    except OSError:
        return
    found = [path for path in found if path.is_dir() and not path.is_symlink()]
    retired = [path for path in found if path.name.startswith(old)]
    if retired and not os.path.lexists(output):  # the site as it was before the killed build
        newest = max(retired, key=lambda path: path.stat().st_mtime_ns)
        os.rename(newest, output)
        found.remove(newest)
    for path in found:
        git = path / KEPT
        if os.path.lexists(git) and output.is_dir() and not os.path.lexists(output / KEPT):
            os.rename(git, output / KEPT)
        shutil.rmtree(path, ignore_errors=True)


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


