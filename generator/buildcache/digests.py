"""Digests of bytes and text, and of drawdesk's own code: what every cache record is keyed by."""

from __future__ import annotations

import hashlib
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


def code_version(extra: Iterable[str] = ()) -> str:
    """drawdesk's source code, the versions of the libraries that shape output, Python."""
    from importlib import metadata

    parts = [sys.version]
    for path in sorted(_PACKAGE.rglob("*.py")):
        parts.append(path.relative_to(_PACKAGE).as_posix())
        parts.append(digest_bytes(path.read_bytes()))
    for name in ("jinja2", "markupsafe", "markdown", "nh3", "feedgen", "lxml", "pyyaml",
                 "python-dateutil"):
        try:
            parts.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name}=-")
    parts.extend(extra)
    return digest_text("\n".join(parts))
