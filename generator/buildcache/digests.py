"""Digests of bytes and text, and of drawdesk's own code: what every cache record is keyed by."""

from __future__ import annotations

import hashlib
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path

DIGEST_SIZE = 16
_PACKAGE = Path(__file__).resolve().parent.parent


def digest_text(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"),
                           digest_size=DIGEST_SIZE).hexdigest()


def digest_bytes(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=DIGEST_SIZE).hexdigest()


# The libraries whose versions shape the output (templates, markup, feeds, YAML, numbers).
LIBRARIES = ("jinja2", "markupsafe", "markdown", "nh3", "feedgen", "lxml", "pyyaml",
             "python-dateutil", "babel")


def code_version(extra: Iterable[str] = ()) -> str:
    """drawdesk's source code, the versions of the libraries that shape output, Python."""
    parts = [sys.version]
    for path in sorted(_PACKAGE.rglob("*.py")):
        parts.append(path.relative_to(_PACKAGE).as_posix())
        parts.append(digest_bytes(path.read_bytes()))
    versions = installed_versions(LIBRARIES)
    parts.extend(f"{name}={versions.get(name, '-')}" for name in LIBRARIES)
    parts.extend(extra)
    return digest_text("\n".join(parts))


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def installed_versions(names: Iterable[str]) -> dict[str, str]:
    """The installed version of each library named, as the first `NAME-VERSION.dist-info`
    (or `.egg-info`) folder on the module search path names it, the way imports find
    them (importlib.metadata takes ~20 ms to load; a build with nothing to do, ~80)."""
    wanted = {_normal(name): name for name in names}
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            listing = os.listdir(entry or ".")
        except OSError:
            continue
        for item in listing:
            stem, _, kind = item.rpartition(".")
            if kind not in ("dist-info", "egg-info"):
                continue
            name, _, version = stem.partition("-")
            key = _normal(name)
            if key in wanted and wanted[key] not in found:
                found[wanted[key]] = version
    return found
