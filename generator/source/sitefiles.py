"""The files drawdesk reads: regular files inside the site, and nothing else.

Every reader of input files (entries, site settings, categories, templates,
catalogues, static files) lists and opens them through this module, and so
does the build cache when it digests them: a cached build sees exactly the
files, and the refusals, that a clean build sees.

- Only regular files are read. A named pipe, a socket or a device is refused
  without being opened (opening a pipe waits for a writer that never comes),
  and a file is opened with O_NONBLOCK and checked again once open, so one
  swapped in after the listing is refused too.
- A symbolic link is followed only while it stays inside the site (the
  content folder, or a templates folder given on the command line), whether
  it leads to a file or to a folder. A link leading outside, to nothing, or
  round in a loop is refused.
- Nothing is read from a `.git` folder.

Refusals are values (`Refusal`), reported by the caller as positioned problems.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from pathlib import Path

from ..core.problems import Problem, display_path

SKIPPED = frozenset({".git"})  # never listed, never read
OUTSIDE = "symbolic link points outside the content folder (a file inside content/ expected)"


class NotRegular(OSError):
    """A path that is not a regular file (a pipe, a socket, a device, a folder)."""


class Found:
    """A regular file (or a link to one inside the site) found by `walk`."""

    __slots__ = ("path", "rel", "link", "st")

    def __init__(self, path: str, rel: str, link: str | None = None,
                 st: os.stat_result | None = None):
        self.path = path  # as listed, through links
        self.rel = rel  # relative to the folder walked, with '/'
        self.link = link  # the link's own text, for a symbolic link
        self.st = st  # its stat (through links), when asked for


class Refusal:
    """An entry that is never read, and why (a message for a positioned problem)."""

    __slots__ = ("path", "reason")

    def __init__(self, path: str, reason: str):
        self.path = path
        self.reason = reason


class Listing:
    """What `walk` found: files to read, entries refused, folders entered."""

    __slots__ = ("files", "refused", "folders")

    def __init__(self) -> None:
        self.files: list[Found] = []
        self.refused: list[Refusal] = []
        self.folders: list[str] = []  # every folder entered, as listed


def problems(listing: Listing, root: Path) -> list[Problem]:
    """A problem for every entry of `listing` that is never read, its path shown as
    editors know it (`root`: the content folder)."""
    return [Problem(display_path(Path(r.path), root), 1, 1, "file", r.reason)
            for r in listing.refused]


_KINDS = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISDIR, "a folder"), (stat.S_ISREG, "a regular file"))


def kind(mode: int) -> str:
    """What a file that is not a regular file is, in words."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return "of an unknown kind"


def not_regular(mode: int) -> str:
    return f"is {kind(mode)}, never read (a regular file expected)"


def real_roots(roots: Iterable[Path]) -> tuple[str, ...]:
    """The real paths of the folders links may lead into."""
    return tuple(os.path.realpath(r) for r in roots)


def inside(real: str, roots: tuple[str, ...]) -> bool:
    return any(real == root or real.startswith(root.rstrip("/") + "/") for root in roots)


def _link_problem(path: str, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop (a link to a file inside the site expected)"
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        try:
            target = os.readlink(path)
        except OSError:
            target = "?"
        return (f"symbolic link to '{target}', which does not exist (a link to a file "
                "inside the site expected)")
    return f"cannot read ({exc.strerror or exc})"


def follow(path: str, roots: tuple[str, ...]) -> tuple[os.stat_result | None, str | None]:
    """(stat of what the link at `path` leads to, None), or (None, why it is refused)."""
    try:
        st = os.stat(path)
    except OSError as exc:
        return None, _link_problem(path, exc)
    if not inside(os.path.realpath(path), roots):
        return None, OUTSIDE
    return st, None


def check_file(path: Path, roots: tuple[str, ...]) -> tuple[bool, str | None]:
    """(exists, refusal) for one named input file (site.yaml...): a regular file, or a
    link to one inside the site, is (True, None); a missing one (False, None)."""
    text = str(path)
    try:
        st = os.lstat(text)
    except FileNotFoundError:
        return False, None
    except OSError as exc:
        return True, f"cannot read file ({exc.strerror or exc})"
    if stat.S_ISLNK(st.st_mode):
        st, refusal = follow(text, roots)
        if st is None:
            return True, refusal
    if not stat.S_ISREG(st.st_mode):
        return True, not_regular(st.st_mode)
    return True, None


def walk(folder: Path, roots: tuple[str, ...], hidden: bool = True,
         with_stat: bool = False) -> Listing:
    """Every regular file under `folder`, sorted (a folder's files, then its folders),
    links followed while they stay inside `roots`; every other entry refused.

    `hidden`: list names starting with '.' too (`.git` never). `with_stat`: give each
    file its stat.
    """
    listing = Listing()
    top = str(folder)
    try:
        st = os.lstat(top)
    except FileNotFoundError:
        return listing
    except OSError as exc:
        listing.refused.append(Refusal(top, f"cannot read folder ({exc.strerror or exc})"))
        return listing
    if stat.S_ISLNK(st.st_mode):
        st, refusal = follow(top, roots)
        if st is None:
            listing.refused.append(Refusal(top, refusal or OUTSIDE))
            return listing
    if not stat.S_ISDIR(st.st_mode):
        listing.refused.append(Refusal(top, f"is {kind(st.st_mode)} (a folder expected)"))
        return listing
    _walk(top, "", os.path.realpath(top), frozenset(), roots, hidden, with_stat, listing)
    return listing


def _walk(directory: str, rel: str, real: str, chain: frozenset[str],
          roots: tuple[str, ...], hidden: bool, with_stat: bool, listing: Listing) -> None:
    chain = chain | {real}
    listing.folders.append(directory)
    try:
        with os.scandir(directory) as found:  # types from the listing: no stat per file
            entries = sorted(found, key=lambda entry: entry.name)
    except OSError as exc:
        listing.refused.append(Refusal(directory,
                                       f"cannot read folder ({exc.strerror or exc})"))
        return
    folders: list[tuple[str, str, str]] = []
    for entry in entries:
        name = entry.name
        if name in SKIPPED or (not hidden and name.startswith(".")):
            continue
        path, sub = entry.path, f"{rel}/{name}" if rel else name
        try:
            if entry.is_symlink():
                st, refusal = follow(path, roots)
                if st is None:
                    listing.refused.append(Refusal(path, refusal or OUTSIDE))
                elif stat.S_ISDIR(st.st_mode):
                    folders.append((path, sub, os.path.realpath(path)))
                elif stat.S_ISREG(st.st_mode):
                    listing.files.append(Found(path, sub, os.readlink(path),
                                               st if with_stat else None))
                else:
                    listing.refused.append(Refusal(path, not_regular(st.st_mode)))
            elif entry.is_dir(follow_symlinks=False):
                folders.append((path, sub, f"{real}/{name}"))
            elif entry.is_file(follow_symlinks=False):
                listing.files.append(Found(path, sub, None,
                                           entry.stat(follow_symlinks=False)
                                           if with_stat else None))
            else:
                mode = entry.stat(follow_symlinks=False).st_mode
                listing.refused.append(Refusal(path, not_regular(mode)))
        except OSError as exc:  # gone or unreadable since the listing
            listing.refused.append(Refusal(path, f"cannot read ({exc.strerror or exc})"))
    for path, sub, target in folders:
        if target in chain or real.startswith(target.rstrip("/") + "/"):  # holds `directory`
            listing.refused.append(Refusal(
                path, "symbolic link loop: a link to a folder that holds it (a link to a "
                      "folder inside the site expected)"))
            continue
        _walk(path, sub, target, chain, roots, hidden, with_stat, listing)


def open_regular(path: str | Path) -> int:
    """A file descriptor of the regular file at `path`, opened without waiting
    (raises NotRegular for a pipe, socket, device or folder; OSError otherwise)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRegular(errno.EINVAL, f"{kind(st.st_mode)}, not a regular file", str(path))
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_regular(path: str | Path) -> bytes:
    """The bytes of the regular file at `path` (see `open_regular`)."""
    with os.fdopen(open_regular(path), "rb") as handle:
        return handle.read()


def read_text(path: str | Path) -> str:
    """A regular file's text, as UTF-8."""
    return read_regular(path).decode("utf-8")
