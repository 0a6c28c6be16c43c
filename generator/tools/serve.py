"""`drawdesk serve`: build, serve on loopback, rebuild on change, reload the page.

The site is built into a folder of its own (a temporary one unless --output
says otherwise) with the base URL set to the server's address; the pages carry
a reload script (`tools.previewhttp`, which also serves them), the same in
every build, so a page an edit does not touch keeps its bytes and the browser
showing it does not reload.

The server stays warm: one `buildcache.memory.MemoryCache` is handed to every
build, so a change re-reads only the files the watcher reported and renders
again only the pages whose inputs changed, through the same build path as
`drawdesk build`. Changes are found by the operating system's file watching
(inotify and its equivalents, through watchfiles); saves in quick succession
make one rebuild. Invalid content keeps the last good build online, with the
problems printed in the terminal and shown in the page, until the files are
fixed.
"""

from __future__ import annotations

import gc
import shutil
import signal
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import watchfiles

from ..build import BuildResult, build
from ..buildcache.memory import MemoryCache
from ..core.options import BuildConfig
from ..core.problems import ContentError, TemplateProblem
from ..core.theme import THEME_DIR
from ..output.folder import OutputError, describe
from ..source import sitefiles
from .previewhttp import Status, make_server, reload_script, site_url

STEP_SECONDS = 0.02  # changes this close together make one rebuild
SWITCH_SECONDS = 0.0005  # how long a thread waits for the interpreter (see `serve`)
_SKIPPED = ("~", ".swp", ".tmp")  # editors' backup, swap and temporary files

Snapshot = dict[str, tuple[int, int, int]]


def snapshot(folders: Iterable[Path], roots: tuple[str, ...] | None = None) -> Snapshot:
    """Modification time, size and inode of every file under `folders` (hidden ones
    skipped), listed as a build lists them (`source.sitefiles`: links followed inside
    `roots`), and every entry a build refuses: an edit, a save by rename, a new link or
    a named pipe changes the snapshot. (What changed between the start of the first
    build and the start of the file watcher.)"""
    folders = list(folders)
    roots = roots if roots is not None else sitefiles.real_roots(folders)
    found: Snapshot = {}
    for folder in folders:
        listing = sitefiles.walk(folder, roots, hidden=False, with_stat=True)
        for item in listing.files:
            if item.path.endswith(_SKIPPED) or item.st is None:
                continue
            info = item.st
            found[item.path] = (info.st_mtime_ns, info.st_size, info.st_ino)
        for refused in listing.refused:
            found[refused.path] = (-1, len(refused.reason), hash(refused.reason))
    return found


def differences(before: Snapshot, after: Snapshot) -> list[str]:
    """The paths added, removed or changed between two snapshots."""
    return sorted(path for path in before.keys() | after.keys()
                  if before.get(path) != after.get(path))


def relevant(path: str, folders: Iterable[Path]) -> bool:
    """Whether a change at `path` can change the site: not an editor's backup, swap or
    temporary file, nothing hidden inside the watched folders (builds skip those)."""
    if path.endswith(_SKIPPED):
        return False
    for folder in folders:
        base = str(folder.resolve())
        if path == base or path.startswith(base + "/"):
            return not any(part.startswith(".") for part in path[len(base):].split("/"))
    return True


class DevSite:
    """Builds into `config.output` for the server and rebuilds when sources change,
    keeping the site warm in memory between builds (`MemoryCache`)."""

    def __init__(self, config: BuildConfig, base_url: str, status: Status,
                 echo: Callable[[str], None], echo_err: Callable[[str], None]):
        self.config = replace(config, base_url=base_url, head_extra=reload_script())
        self.base_url = base_url
        self.status = status
        self.echo = echo
        self.echo_err = echo_err
        self.cache = MemoryCache(self.config, first=status.being_viewed,
                                 early=status.made_ahead)
        self.full = threading.Event()  # set: forget what is kept, rebuild everything

    @property
    def watched(self) -> list[Path]:
        folders = [self.config.content, THEME_DIR]
        if self.config.templates is not None:
            folders.append(self.config.templates)
        return [f for f in folders if f.is_dir()]

    def snapshot(self) -> Snapshot:
        return snapshot(self.watched, self.config.roots(THEME_DIR))

    def changed(self, paths: Iterable[str]) -> None:
        """Tell the warm cache which files changed (read them again at the next build)."""
        self.cache.changed(paths)

    def full_rebuild(self) -> BuildResult | None:
        """Forget everything kept in memory and build again (unchanged output files are
        still left as they are)."""
        self.cache.forget()
        return self.rebuild()

    def rebuild(self) -> BuildResult | None:
        version = self.status.snapshot()[0] + 1
        try:
            result = self._build()
        except ContentError as exc:
            return self._failed([str(p) for p in exc.problems])
        except OutputError as exc:
            return self._failed([str(exc)])
        except OSError as exc:  # disk full, no permission...
            return self._failed([describe(exc)])
        except TemplateProblem as exc:  # a template being edited
            return self._failed([str(exc)])
        except Exception as exc:  # anything else: report it and keep serving
            where = traceback.extract_tb(exc.__traceback__)[-1]
            return self._failed([f"{type(exc).__name__}: {exc} "
                                 f"({Path(where.filename).name}:{where.lineno})"])
        for problem in result.warnings:
            self.echo_err(str(problem))
        self.status.succeeded(version)
        return result

    def _build(self) -> BuildResult:
        """One build, the pages being viewed made first and served as soon as they are
        made (`Status.made_ahead`), until the build ends.

        Python's cycle collector is paused while the build runs: its collections would
        scan what the server keeps between builds (the warm cache: every entry, page
        record and template) before the viewed page is made. One collection after the
        build, the page served, frees the cycles the build and the last one left
        (reference counting frees the rest as the build goes)."""
        paused = gc.isenabled()
        gc.disable()
        try:
            return build(self.config, cache=self.cache)
        finally:
            self.status.build_ended()
            if paused:
                gc.enable()
                gc.collect()

    def _failed(self, problems: list[str]) -> None:
        for problem in problems:
            self.echo_err(problem)
        good = "the last good build is still served" if self.status.snapshot()[0] else \
            "nothing to serve until it is fixed"
        self.echo_err(f"Build failed: {len(problems)} problem(s); {good}.")
        self.status.failed(problems)
        return None

    def watch(self, stop: threading.Event, interval: float = STEP_SECONDS,
              on_build: Callable[[BuildResult], None] | None = None,
              seen: Snapshot | None = None) -> None:
        """Rebuild whenever a watched file changes, until `stop` is set.

        The operating system reports changes (watchfiles); changes less than
        `interval` seconds apart are taken together, so several quick saves make one
        rebuild. `seen` is the snapshot the current build was made from (taken before
        it started): what changed since, before the watcher started, is built first.
        """
        folders = self.watched
        changes = watchfiles.watch(*(f.resolve() for f in folders), watch_filter=None,
                                   step=int(interval * 1000), stop_event=stop,
                                   rust_timeout=200, yield_on_timeout=True)
        first = True
        for batch in changes:
            paths = sorted({path for _, path in batch if relevant(path, folders)})
            if self.full.is_set() and not stop.is_set():  # asked for (SIGHUP)
                self.full.clear()
                result = self.full_rebuild()
                if result is not None and on_build is not None:
                    on_build(result)
            if first:  # the watcher is running: catch up with what it did not see
                first = False
                if seen is not None:
                    paths = sorted(set(paths) | set(differences(seen, self.snapshot())))
            if not paths or stop.is_set():
                continue
            self.changed(paths)
            result = self.rebuild()
            if result is not None and on_build is not None:
                on_build(result)


@dataclass
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    output: Path | None = None  # default: a temporary folder, removed on exit


def serve(config: BuildConfig, options: ServeOptions, echo: Callable[[str], None],
          echo_err: Callable[[str], None],
          started: Callable[[str, BuildResult | None], None] | None = None) -> None:
    """Build, serve and rebuild until interrupted (KeyboardInterrupt), then clean up."""
    temp = None
    if options.output is None:
        temp = Path(tempfile.mkdtemp(prefix="drawdesk-serve-"))
        output = temp / "site"
    else:
        output = options.output
    config = replace(config, output=output)
    status = Status()
    # The server's threads answer while a build runs in this one: each takes the
    # interpreter's lock at most this long after asking (default 5 ms, for each read and
    # write of a request), so a page made ahead reaches the browser at once.
    switch = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_SECONDS)
    stop = threading.Event()
    server = None
    thread = None
    hangup = None
    try:
        output.mkdir(parents=True, exist_ok=True)
        server = make_server(options.host, options.port, output, status)
        url = site_url(options.host, server.server_address[1])
        site = DevSite(config, url, status, echo, echo_err)
        seen = site.snapshot()
        result = site.rebuild()
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                                  name="drawdesk-http", daemon=True)
        thread.start()
        if started is not None:
            started(url, result)

        def rebuilt(result: BuildResult) -> None:
            echo(f"Rebuilt {result.rendered} pages in {result.seconds:.1f} s; reloading.")

        if hasattr(signal, "SIGHUP") and threading.current_thread() is threading.main_thread():
            hangup = signal.signal(signal.SIGHUP, lambda *_: site.full.set())  # kill -HUP
        site.watch(stop, on_build=rebuilt, seen=seen)
    finally:
        sys.setswitchinterval(switch)
        if hangup is not None:
            signal.signal(signal.SIGHUP, hangup)
        stop.set()
        if server is not None:
            if thread is not None:
                server.shutdown()
            server.server_close()
        if temp is not None:
            shutil.rmtree(temp, ignore_errors=True)
