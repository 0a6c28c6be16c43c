"""The files of the build cache in `.drawdesk/` beside `content/`: what the last build read
and wrote.

These are kept, each in its own file:

- `inputs`: every content file's digest, with the `stat` it had when read, so
  an unchanged file is not read again (git's index does the same). A file
  whose modification time is within `RACY_SECONDS` of the build that recorded
  it is always read again, so an edit made during a build is never missed.
- `parsed`: each draw file's validated fields, by file digest, so unchanged
  entries are not parsed again.
- `templates`: compiled templates.
- per output folder: `build-<output>` (what the build depended on, its closing
  line), `pages-<output>` (each page's key and the digest of its bytes) and
  `output-<output>` (the output files' digests and `stat`s); see
  `buildcache.disk`.

Every file starts with a header naming the format and drawdesk's code version,
and carries a digest of its payload keyed with this user's and this machine's
cache key (`cache_key`): a file from another version, a truncated or altered
file, a file written by another user or on another machine (a CI cache restored
from elsewhere), or anything that is not a drawdesk cache is ignored (and
replaced by the next build), never trusted. That matters: the cache holds
compiled templates, which Python runs, and figures that pages publish. Payloads
are unpickled by an unpickler that refuses every class but the few plain types
caches hold.
"""

from __future__ import annotations

import functools
import hashlib
import io
import os
import pickle
import shutil
import time
from pathlib import Path
from typing import Any

from ..output.atomic import atomic_file
from ..source.sitefiles import open_regular, read_regular

CACHE_DIR = ".drawdesk"
FORMAT = b"drawdesk-cache/1\n"
RACY_SECONDS = 3  # files changed this close to a build are re-read by the next one

StatKey = tuple[int, int, int, int]  # size, mtime_ns, inode, ctime_ns


def cache_dir(content: Path) -> Path:
    """`.drawdesk/` in the site root (the folder holding `content/`)."""
    return content.resolve().parent / CACHE_DIR


def stat_key(st: os.stat_result) -> StatKey:
    return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)


def clean(content: Path, output: Path, kept: str = ".git") -> list[Path]:
    """Remove the build cache and the output folder (all but its `kept` folder, a
    deploy checkout); return what was removed."""
    removed = []
    for folder in (cache_dir(content), output):
        if folder.is_symlink() or folder.is_file():
            folder.unlink()
            removed.append(folder)
        elif folder.is_dir() and folder == output and os.path.lexists(folder / kept):
            for entry in sorted(os.listdir(folder)):
                path = folder / entry
                if entry == kept:
                    continue
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path)
                else:
                    path.unlink()
                removed.append(path)
        elif folder.is_dir():
            shutil.rmtree(folder)
            removed.append(folder)
    return removed


# -- storage -----------------------------------------------------------------------------
_ALLOWED = {
    ("builtins", "frozenset"), ("builtins", "set"), ("builtins", "bytearray"),
    ("datetime", "date"), ("datetime", "datetime"), ("datetime", "time"),
    ("datetime", "timedelta"), ("datetime", "timezone"), ("zoneinfo", "ZoneInfo"),
    ("zoneinfo._zoneinfo", "ZoneInfo"), ("_codecs", "encode"),
    ("copyreg", "_reconstructor"), ("builtins", "object"),
}


class _SafeUnpickler(pickle.Unpickler):
    """Plain data only: no class outside `_ALLOWED` can be named by a cache file."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a cache")


def _header(version: str, name: str) -> bytes:
    return FORMAT + f"{version}\n{name}\n".encode()


KEY_FILE = "cache-key"  # in $XDG_STATE_HOME/drawdesk/ (~/.local/state/drawdesk/)


def key_folder() -> Path:
    """Where this user's random cache key is kept (outside any site and any cache)."""
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "drawdesk"


def _user_secret() -> bytes:
    """This user's random secret, made on first use (empty if it cannot be kept)."""
    folder = key_folder()
    path = folder / KEY_FILE
    for _ in range(2):
        try:
            with os.fdopen(open_regular(path), "rb") as handle:
                secret = handle.read(64)
            if len(secret) >= 32:
                return secret
        except OSError:
            pass
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
        except FileExistsError:
            continue  # made meanwhile by another build: read it
        except OSError:
            return b""
        with os.fdopen(fd, "wb") as handle:
            handle.write(os.urandom(32))
    return b""


def _machine_id() -> bytes:
    for path in ("/etc/machine-id", "/var/lib/dbus/machine-id"):
        try:
            return Path(path).read_bytes().strip()
        except OSError:
            continue
    import socket  # only without a machine id: not loaded by every build
    return socket.gethostname().encode()


@functools.cache
def cache_key() -> bytes:
    """The key every cache file's digest is made with: this user's random secret, this
    user's id and this machine's id. A cache written by anyone else, anywhere else, does
    not match it and is ignored."""
    return hashlib.blake2b(b"drawdesk-cache-key\0" + _user_secret() + b"\0" + _machine_id() +
                           f"\0{os.getuid()}".encode(), digest_size=32).digest()


def _payload_hash() -> Any:
    return hashlib.blake2b(digest_size=16, key=cache_key())


def dumps(value: Any) -> bytes:
    """`value` as bytes for a cache (plain data only: see `loads`)."""
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def loads(data: bytes) -> Any:
    """What `dumps` made, read with the same restrictions as a cache file."""
    return _SafeUnpickler(io.BytesIO(data)).load()


def read(folder: Path, name: str, version: str) -> Any | None:
    """The payload stored under `name`, or None if missing, foreign or damaged."""
    try:
        blob = read_regular(folder / name)  # never waits on a pipe put in its place
    except OSError:
        return None
    head = _header(version, name)
    start = len(head) + 32
    if not blob.startswith(head) or len(blob) < start:
        return None
    check = blob[len(head):start]
    with memoryview(blob) as view:  # no copy of a payload of tens of megabytes
        digest = _payload_hash()
        digest.update(view[start:])
        if digest.hexdigest().encode() != check:
            return None  # damaged, or written by another user or on another machine
    stream = io.BytesIO(blob)  # shares the bytes until written to
    stream.seek(start)
    try:
        return _SafeUnpickler(stream).load()
    except Exception:  # noqa: BLE001 - any damage means: no cache
        return None


def write(folder: Path, name: str, version: str, value: Any) -> bool:
    """Store `value` under `name` atomically (a reader sees the old or the new file).

    Returns False if the cache cannot be written; a build never fails for that.
    """
    try:
        _write(folder, name, version, value)
        return True
    except OSError:
        target = folder / name
        if target.is_dir() and not target.is_symlink():  # something in the way
            shutil.rmtree(target, ignore_errors=True)
            try:
                _write(folder, name, version, value)
                return True
            except OSError:
                pass
        return False


class _Hashing:
    """A file to pickle into that digests what it is given (no payload in memory)."""

    def __init__(self, handle: Any):
        self.handle = handle
        self.hash = _payload_hash()

    def write(self, data: bytes) -> int:
        self.hash.update(data)
        return self.handle.write(data)


def _write(folder: Path, name: str, version: str, value: Any) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# drawdesk's build cache: safe to delete\n*\n", encoding="utf-8")
    with atomic_file(folder / name, private=True) as handle:
        head = _header(version, name)
        handle.write(head)
        handle.write(b"0" * 32)  # the payload's digest, written once it is known
        hashing = _Hashing(handle)
        pickle.dump(value, hashing, protocol=pickle.HIGHEST_PROTOCOL)
        handle.seek(len(head))
        handle.write(hashing.hash.hexdigest().encode())


# -- inputs -----------------------------------------------------------------------------
class InputIndex:
    """Digests of input files, trusted from `stat` only when that cannot be racy.

    A file read less than `RACY_SECONDS` after its last modification could be
    modified again within the same timestamp tick without its `stat` changing,
    so such an entry is recorded as untrusted and read again next time. The
    bytes of small files read here are kept until `take`n, so a parser reads
    exactly the bytes that were hashed.
    """

    KEEP_BYTES = 256 * 1024

    def __init__(self, entries: object = None):
        valid = isinstance(entries, dict)
        self.previous: dict[str, tuple[StatKey, str, bool]] = entries if valid else {}
        self.current: dict[str, tuple[StatKey, str, bool]] = {}
        self.changed = not valid
        self._bytes: dict[str, bytes] = {}

    def digest(self, path: str, st: os.stat_result | None = None) -> str | None:
        """The digest of the file at `path` (None if it cannot be read)."""
        known = self.current.get(path)
        if known is not None:
            return known[1]
        try:
            st = st or os.stat(path)
        except OSError:
            return None
        key = stat_key(st)
        old = self.previous.get(path)
        if old is not None and old[2] and old[0] == key:
            self.current[path] = old
            return old[1]
        hasher = hashlib.blake2b(digest_size=16)
        try:  # a regular file only: a pipe swapped in is refused, never waited on
            with os.fdopen(open_regular(path), "rb") as handle:
                if st.st_size <= self.KEEP_BYTES:
                    data = handle.read()
                    hasher.update(data)
                    self._bytes[path] = data
                else:
                    for block in iter(lambda: handle.read(1 << 20), b""):
                        hasher.update(block)
        except OSError:
            return None
        digest = hasher.hexdigest()
        trusted = key[1] < time.time_ns() - RACY_SECONDS * 1_000_000_000
        self.current[path] = (key, digest, trusted)
        if old != (key, digest, trusted) or not trusted:  # new, changed, or newly trusted
            self.changed = True
        return digest

    def take(self, path: str) -> bytes | None:
        """The bytes read while hashing `path` this build, if any (handed out once)."""
        return self._bytes.pop(path, None)

    def forget(self, path: str) -> None:
        """Read `path` again next time (it changed while this build read it)."""
        entry = self.current.get(path)
        if entry is not None:
            self.current[path] = (entry[0], entry[1], False)
            self.changed = True

    def invalidate(self, path: str) -> None:
        """Forget what is known of `path`: it is read again when next asked for."""
        self.current.pop(path, None)
        self.previous.pop(path, None)
        self._bytes.pop(path, None)
        self.changed = True

    def snapshot(self) -> dict[str, tuple[StatKey, str, bool]]:
        return self.current
