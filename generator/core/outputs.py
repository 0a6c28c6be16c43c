"""The files a build makes: what each one is, where it may go, and what the last build left.

`OutputFile` describes one file of the built site: the present stage makes
them, the output stage writes them. Paths are relative and checked
(`check_relative`): nothing is ever written outside the output folder.
`Manifest` is what the output folder held after the last build, as the build
cache keeps it for the next one.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

StatKey = tuple[int, int, int, int]  # size, mtime_ns, inode, ctime_ns


class UnsafePath(ValueError):
    """A page path that would escape the output folder."""


_UNSAFE_CHARACTER = re.compile(r"[\x00-\x1f\\]")


def file_digest(data: bytes) -> str:
    """The digest of a file of the site, as the output folder's manifest records it."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def check_relative(path: str) -> str:
    """Return `path` if it is a safe, relative, forward-slash path."""
    if (not path or path.startswith("/") or _UNSAFE_CHARACTER.search(path)
            or ".." in path.split("/")):  # '.' parts are harmless: pathlib drops them
        raise UnsafePath(f"unsafe output path: {path!r}")
    return path


@dataclass(frozen=True)
class Alternate:
    """One language version of a page."""

    lang: str  # "en", "fr"; "" for x-default
    hreflang: str  # "en-CA", "fr-CA" or "x-default"
    page: str  # the page path, relative to the site root
    name: str  # the language's own name ("Français"), for the language switch


@dataclass(frozen=True)
class OutputFile:
    """One file of the built site; `page` is its URL path ('' for the home page)."""

    path: str
    data: bytes
    kind: str  # article, index, feed, data, static, asset, other
    page: str | None = None
    lastmod: str | None = None
    alternates: tuple[Alternate, ...] = ()  # the page in every language, for the sitemap


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
