"""`drawdesk ping`: tell the site's WebSub hub that its feeds changed, after a deploy.

A site that names a hub (`websub_hub:` in site.yaml) publishes feeds that link
it (`rel="hub"`), so feed readers subscribe there and the hub pushes them new
items as soon as it is told (https://www.w3.org/TR/websub/). Telling it is this
module's job, never the build's, which stays offline: after the built site is
deployed, `ping` sends the hub one publish notice per feed (`hub.mode=publish`,
`hub.url=` the feed's address, as hubs accept it), for the feeds whose bytes
changed since the last ping it recorded, or for all of them.

What it recorded (each feed's address and the digest of the bytes it announced)
is `websub.json` in `.drawdesk/` beside the content: without it, every feed
is announced.
"""

from __future__ import annotations

import hashlib
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..buildcache.storage import cache_dir
from ..output.atomic import write_atomically

FEED_FILES = ("feed.xml", "atom.xml", "feed.json")  # every feed a build writes is named so
RECORD = "websub.json"
DEFAULT_TIMEOUT = 30.0


class PingError(Exception):
    """A ping that could not be done: one line saying why."""


@dataclass(frozen=True)
class Feed:
    path: str  # inside the output folder
    url: str
    digest: str


@dataclass(frozen=True)
class PingReport:
    notified: tuple[str, ...]  # the feeds' addresses
    unchanged: int


def site_feeds(output: Path, base_url: str) -> list[Feed]:
    """Every feed in the built site `output`, with its address and the digest of its bytes."""
    if not output.is_dir():
        raise PingError(f"{output} is not a built site (run drawdesk build first)")
    feeds = []
    for folder, dirs, files in os.walk(output):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name in FEED_FILES:
                path = Path(folder, name)
                rel = path.relative_to(output).as_posix()
                feeds.append(Feed(rel, base_url + rel, hashlib.sha256(
                    path.read_bytes()).hexdigest()))
    if not feeds:
        raise PingError(f"{output} holds no feed (run drawdesk build first)")
    return sorted(feeds, key=lambda f: f.path)


def _record_path(content: Path) -> Path:
    return cache_dir(content) / RECORD


def _read_record(content: Path) -> dict[str, str]:
    try:
        data = json.loads(_record_path(content).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)} \
        if isinstance(data, dict) else {}


def notify(hub: str, topic: str, timeout: float) -> None:
    """One publish notice to `hub`: a 2xx answer, or PingError."""
    body = urllib.parse.urlencode({"hub.mode": "publish", "hub.url": topic}).encode()
    request = urllib.request.Request(hub, data=body, method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded", "User-Agent": "drawdesk"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310 - the site's hub
            answer.read(65536)
    except urllib.error.HTTPError as exc:
        raise PingError(f"the hub {hub} refused {topic}: HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise PingError(f"cannot reach the hub {hub}: {reason}") from None


def ping(content: Path, output: Path, hub: str, base_url: str, *, every: bool = False,
         timeout: float = DEFAULT_TIMEOUT,
         each: Callable[[str], None] | None = None) -> PingReport:
    """Notify `hub` of the feeds of `output` that changed since the last ping (`every`:
    all of them); each feed notified is recorded at once, so a failure part way
    leaves the others to the next ping."""
    feeds = site_feeds(output, base_url)
    record = {} if every else _read_record(content)
    done = _read_record(content)
    notified = []
    try:
        for feed in feeds:
            if record.get(feed.url) == feed.digest:
                continue
            notify(hub, feed.url, timeout)
            done[feed.url] = feed.digest
            notified.append(feed.url)
            if each is not None:
                each(feed.url)
    finally:
        if notified:
            try:
                write_atomically(_record_path(content),
                                 json.dumps(done, sort_keys=True, indent=1).encode())
            except OSError as exc:
                raise PingError(f"cannot record the ping in {_record_path(content)}: "
                                f"{exc.strerror or exc}") from None
    return PingReport(tuple(notified), len(feeds) - len(notified))
