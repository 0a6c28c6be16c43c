"""Write the built site atomically.

Stage 5 of the pipeline. The site is written to a temporary folder beside
the output folder and swapped in only once every file is there; on any
error or interruption the old output stays exactly as it was. Files whose
bytes did not change are hard-linked from the old output, so they keep
their modification times and deploy tools upload only what changed.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.render import OutputFile
from generator.urls import check_relative


class OutputError(Exception):
    """The output folder cannot be written safely."""


@dataclass(frozen=True)
class WriteReport:
    written: int
    unchanged: int


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


def _static_files(static: Path) -> list[OutputFile]:
    files = []
    if not static.is_dir():
        return files
    for dirpath, dirnames, filenames in os.walk(static):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.is_symlink():
                continue
            rel = path.relative_to(static).as_posix()
            files.append(OutputFile(rel, path.read_bytes(), "static"))
    return files


def write_site(files: list[OutputFile], output: Path, static: Path) -> WriteReport:
    """Write `files` (plus `static/` verbatim) as the new content of `output`."""
    all_files = _static_files(static) + files
    seen: set[str] = set()
    for item in all_files:
        if item.path in seen:
            raise OutputError(f"two files would be written to {item.path}")
        seen.add(item.path)
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{output.name}.new-", dir=output.parent))
    retired = None
    try:
        written = sum(_place(tmp, output, item) for item in all_files)
        tmp.chmod(0o755)
        if output.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
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
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        if retired is not None:
            shutil.rmtree(retired, ignore_errors=True)
    return WriteReport(written=written, unchanged=len(all_files) - written)
