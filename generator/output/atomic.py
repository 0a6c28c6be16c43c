"""Writing one file all or nothing: drawdesk's only way to put a single file in place.

The bytes go to a hidden temporary file beside the target, then a rename puts
it in place (or, `exclusive`, a hard link, which never replaces a file), so a
reader sees the old file or the new one, never part of it, and an
interruption leaves the old file as it was. Used for entries (new draw,
import), categories.yaml, schema files and the build cache's files.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


@contextlib.contextmanager
def atomic_file(path: Path, *, exclusive: bool = False,
                private: bool = False) -> Iterator[BinaryIO]:
    """A file to write `path`'s new bytes into; in place once the block ends without an
    error. `exclusive`: raise FileExistsError rather than replace an existing file.
    `private`: readable by this user only (else an existing file's mode is kept, and a
    new file gets the usual mode for the umask)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
        if not private:
            _usual_mode(tmp, path)
        if exclusive:
            _link(tmp, path)
        else:
            os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def write_atomically(path: Path, data: bytes, *, exclusive: bool = False,
                     private: bool = False) -> None:
    """Write `data` as the whole of `path`, all or nothing (see `atomic_file`)."""
    with atomic_file(path, exclusive=exclusive, private=private) as handle:
        handle.write(data)


def _usual_mode(tmp: str, path: Path) -> None:
    if path.exists():
        shutil.copymode(path, tmp)
    else:
        umask = os.umask(0o022)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)


def _link(tmp: str, path: Path) -> None:
    """`tmp` as `path`, which must not exist yet."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError as exc:  # a file system without hard links: claim the name, then fill it
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            raise
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        os.replace(tmp, path)
